"""Draws of plausible patient data: the uncertainty a reconstruction's inputs leave.

One reconstruction is one data set; the paper's patients are one of many data sets that
agree with everything it reports. :func:`reconstruct_draws` makes ``K`` of them. Draw 0
is the point reconstruction (:func:`mmsurv._reconstruct.reconstruct_arrays`); every other
draw rebuilds the endpoint from inputs perturbed within what they leave open, with the
same engine:

* digitized curves: the two corners of each drop are given their mean time, and the
  two ends of each flat their mean level (:func:`level_steps`: the monotone fit of the
  clicks alone puts flats high and drops late, so draws without it would centre above
  the curve the clicks show); each such mean then moves by its own error, the click
  error (estimated from the clicks, :func:`mmsurv.clicks.click_error`) over sqrt(2), both clicks
  together, and every other click by the click error, which also moves drops across
  the at-risk times near them, as a digitizing error can. The pairs are found on the
  clicks as given: found on moved clicks, whose error is sqrt(2) times larger, fewer
  are, and the draws centre higher. Then where the censored patients fall
  within each at-risk interval (or the follow-up, without a table) is drawn
  (:func:`censoring_rows`) and given to the reconstruction as extra rows of numbers
  at risk, so that it solves the events for the curve under that censoring (the
  survivors the point reconstruction follows to the end of the curve stay there). A
  draw that misses an arm's reported total of events by more than the point
  reconstruction does is drawn again: a censoring pattern that contradicts the total
  is not plausible, and the draws are conditioned on it. A curve
  alone (no table, no total, no censor marks) leaves the censoring itself open: the
  point reconstruction censors nobody before the end, and each draw instead draws a
  censoring mechanism and the total events it gives (:func:`drawn_events`), and, when
  the curve stops before the endpoint's longest one, how long its survivors were
  followed (up to that curve's end: the arms of one trial share its calendar);
* summaries: every printed number (median and its CI, landmark rates, follow-up, HR)
  anywhere within its printed rounding (:func:`mmsurv.printed.printed`),
  uniformly; the shape of each arm's curve between (and the hazard after) the reported
  points drawn from the family :func:`mmsurv.synthesis.summary_curves` builds: a log
  shape per arm uniform within +-:data:`mmsurv.summaries.TILT_RANGE`: HR-blind, the
  treatment arm's and the other arms' are two draws (given as the tilt between them,
  ``tilt``, and their mean, ``common_tilt``); HR-informed, one draw is the shape every
  arm shares (``common_tilt``, which the HR leaves open) and the HR calibration
  chooses the tilt between the compared arms; an
  unreported dropout drawn between none and :data:`UNREPORTED_LOSS` of the patients
  lost by the end of follow-up.

The draws carry reconstruction uncertainty, not sampling error: they say how far the
reconstruction could be from the paper's own patients, not how far those patients are
from the population. This is the approach of multiple imputation of what was not
reported (Rubin DB. Multiple Imputation for Nonresponse in Surveys. Wiley 1987), applied
to the inputs of the Guyot reconstruction.

References
----------
Guyot P, Ades AE, Ouwens MJ, Welton NJ. Enhanced secondary analysis of survival data:
reconstructing the data from published Kaplan-Meier survival curves. BMC Med Res
Methodol 2012;12:9.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from ._guyot import ArmIPD
from ._reconstruct import END_SHARE, EndpointReport, reconstruct_arrays
from ._reconstruct import reconstruct as point_reconstruction
from .clicks import SURVIVAL_ERROR_FLOOR, TIME_ERROR_FLOOR, ClickError, click_error
from .curves import PERCENT_THRESHOLD, staircase_order
from .errors import InputError
from .printed import printed
from .study import AtRisk, Curve, Study, load_study
from .summaries import TILT_RANGE
from .synthesis import still_followed

__all__ = [
    "ALTERNATION",
    "CENSORING_PARTS",
    "END_SHARE",
    "MODEL_CONCENTRATION",
    "PAIR_REACH",
    "SURVIVAL_ERROR_FLOOR",
    "TIME_ERROR_FLOOR",
    "UNREPORTED_LOSS",
    "ClickError",
    "censoring_rows",
    "click_error",
    "draw_arrays",
    "drawn_events",
    "level_steps",
    "link_kinds",
    "perturb_study",
    "reconstruct",
    "reconstruct_draws",
]

#: Unreported dropout (summaries, and a curve alone): the share lost by the end of
#: follow-up is drawn uniformly between 0 and this, the range of losses to follow-up in
#: oncology trials.
UNREPORTED_LOSS = 0.3
#: Each censoring interval is cut into this many equal parts for the drawn censoring
#: pattern (:func:`censoring_rows`).
CENSORING_PARTS = 4
#: Without an at-risk table or censor marks, the point reconstruction's censoring
#: pattern over the follow-up comes from a censoring model; the draws' Dirichlet counts
#: it for this many pseudo-patients in all (:func:`censoring_rows`), whatever the arm's
#: size. Chosen on the calibration data sets (``validation/draw_calibration.py``) of two
#: values tried: 16 (the HR with events covered 0.89 / 0.97, intervals 0.10 / 0.07
#: wide) and 4 (0.78 / 1.00, intervals 0.20 / 0.17 wide); the censored patients
#: themselves, as before, covered 0.89 / 0.87 with intervals 0.10 / 0.06 wide.
MODEL_CONCENTRATION = 4.0 * CENSORING_PARTS
#: Attempts at drawing the numbers of a study before its printed values are used as they
#: are (draws of several numbers within their rounding can contradict each other).
_ATTEMPTS = 20
#: Chance that a link between consecutive clicks is of the other kind (flat, drop) than
#: the one before (:func:`link_kinds`): readers click both corners of every step, and
#: sometimes trace a flat or click steps as one. Not nearer 1, so that points traced
#: along a flat five click errors apart are not read as alternating.
ALTERNATION = 0.8
#: Two clicks of a flat (drop) are levelled only when their survival (time) differs by
#: at most this many standard deviations of a difference of two click errors.
PAIR_REACH = 4.0


def _pairs(link: np.ndarray) -> np.ndarray:
    """First clicks of disjoint pairs along runs of marked links, paired from each run's
    start (every click in at most one pair)."""
    index = np.arange(link.size)
    after_link = np.concatenate([[False], link[:-1]])
    starts = np.maximum.accumulate(np.where(after_link, 0, index))
    return np.flatnonzero(link & ((index - starts) % 2 == 0))


def level_steps(coords: np.ndarray, error: ClickError) -> np.ndarray:
    """The clicks in their order along the staircase, each corner pair at its mean.

    Guyot et al. (2012) have both corners of every step clicked: the two corners of a
    drop share a time, the bottom corner of a drop and the top corner of the next share
    a survival. Each link between consecutive clicks (in the order of
    :func:`mmsurv.curves.staircase_order`) is a flat or a drop: the most likely sequence
    of the two kinds (:func:`link_kinds`) given the differences of the clicks, in
    units of their click error, and that on a staircase a flat follows a drop and a drop
    a flat. The two clicks of a flat get their mean survival, those of a drop their mean
    time, when they differ by at most :data:`PAIR_REACH` standard deviations of a
    difference of two errors (a larger gap is a real change, not error).

    The monotone fit of :func:`mmsurv.curves.clean_curve` pools such a pair only when
    the error reversed it; otherwise the level of a flat is its first click's, and the
    time of a drop its bottom corner's. Given the order, that is the larger of two
    errors: each flat comes out biased up and each drop late, by about 0.28 sd on
    average (half the pairs, times sqrt(2 / pi) sd / sqrt(2), the mean of the larger
    error given it is the larger), and the area under the curve with them. Averaging
    every pair removes that selection, so that draws made of jittered clicks centre on
    the curve the clicks show rather than above it. Where one patient's drop is about
    the click error (hundreds at risk), a link alone often cannot tell a flat from a
    drop; the alternation of the staircase can, and leaves a quarter of the bias that
    pairs judged one link at a time leave (measured in ``tests/test_draws.py``). Within
    a run of links of one kind (points traced along a flat, say) the clicks are paired
    from its start, each at most once, so a run of small drops is never flattened into
    one level.

    Parameters
    ----------
    coords : numpy.ndarray
        Shape (k, 2): time, survival (fraction, or percent with ``error`` in percent).
    error : ClickError
        In the same units as ``coords``.

    Returns
    -------
    numpy.ndarray
        Shape (k, 2), in staircase order.

    Examples
    --------
    >>> import numpy as np
    >>> clicks = np.array([[0, 1], [2.0, 1.0], [2.1, 0.8], [5.0, 0.81], [5.0, 0.6]])
    >>> level_steps(clicks, ClickError(time=0.1, survival=0.01)).round(3).tolist()
    [[0.0, 1.0], [2.05, 1.0], [2.05, 0.805], [5.0, 0.805], [5.0, 0.6]]
    """
    return _levelled(coords, error)[0]


def link_kinds(time_gap: np.ndarray, survival_gap: np.ndarray) -> np.ndarray:
    """Which links between consecutive clicks of a staircase are drops, the rest flats.

    The most likely sequence of kinds (the Viterbi algorithm of a two-state hidden
    Markov chain: Rabiner LR. A tutorial on hidden Markov models and selected
    applications in speech recognition. Proc IEEE 1989;77:257-286). A flat's clicks
    share a survival, a drop's a time, so the gap in that coordinate is a difference of
    two click errors, normal with variance 2: log-likelihood ``-gap^2 / 4`` in units of
    the error; the other gap is left free. A link is of the other kind than the one
    before with probability :data:`ALTERNATION` (both corners of every step clicked),
    of the same kind otherwise (points traced along a flat, steps clicked as one).

    Parameters
    ----------
    time_gap, survival_gap : numpy.ndarray
        Absolute differences of consecutive clicks, each in units of its click error.

    Returns
    -------
    numpy.ndarray
        Boolean, one per link: True for a drop.

    Examples
    --------
    >>> import numpy as np
    >>> link_kinds(np.array([9.0, 1.2, 8.0, 1.5]), np.array([0.5, 1.8, 1.6, 2.5])).tolist()
    [False, True, False, True]
    """
    flat = (-0.25 * np.asarray(survival_gap, dtype=float) ** 2).tolist()
    drop = (-0.25 * np.asarray(time_gap, dtype=float) ** 2).tolist()
    if not flat:
        return np.zeros(0, dtype=bool)
    same, other = math.log(1.0 - ALTERNATION), math.log(ALTERNATION)
    from_drop = [(False, False)] * len(flat)  # best predecessor is a drop, per kind
    f, d = flat[0], drop[0]
    for i in range(1, len(flat)):
        flat_after_drop, drop_after_drop = d + other > f + same, d + same > f + other
        from_drop[i] = (flat_after_drop, drop_after_drop)
        f, d = (
            (d + other if flat_after_drop else f + same) + flat[i],
            (d + same if drop_after_drop else f + other) + drop[i],
        )
    kinds = np.empty(len(flat), dtype=bool)
    kinds[-1] = d > f
    for i in range(len(flat) - 1, 0, -1):
        kinds[i - 1] = from_drop[i][int(kinds[i])]
    return kinds


def _levelled(coords: np.ndarray, error: ClickError) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`level_steps`, with each click's pair in time and in survival: the index of
    the first click of its pair, or its own index."""
    arr = np.asarray(coords, dtype=float)
    order = staircase_order(arr[:, 0], arr[:, 1])
    t, s = arr[order, 0].copy(), arr[order, 1].copy()
    dt, ds = np.abs(np.diff(t)) / error.time, np.abs(np.diff(s)) / error.survival
    drop = link_kinds(dt, ds)
    reach = PAIR_REACH * math.sqrt(2.0)
    groups = []
    for values, link in ((s, ~drop & (ds <= reach)), (t, drop & (dt <= reach))):
        first = _pairs(link)
        mean = 0.5 * (values[first] + values[first + 1])
        values[first], values[first + 1] = mean, mean
        group = np.arange(t.size)
        group[first + 1] = first
        groups.append(group)
    return np.column_stack([t, s]), groups[1], groups[0]


@functools.lru_cache(maxsize=64)
def _jitter_plan(
    time: tuple[float, ...], survival: tuple[float, ...]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, float]:
    """A curve's levelled clicks, their pairs in time and survival (:func:`_levelled`)
    and its click error in its own units, computed once for all the draws of a curve."""
    arr = np.column_stack([time, survival]).astype(float)
    error = click_error(arr)
    unit = 100.0 if arr[:, 1].max() > PERCENT_THRESHOLD else 1.0
    scaled = ClickError(error.time, error.survival * unit)
    levelled, time_group, surv_group = _levelled(arr, scaled)
    return levelled, time_group, surv_group, scaled.time, scaled.survival


def _jitter_clicks(
    time: tuple[float, ...], survival: tuple[float, ...], rng: np.random.Generator
) -> np.ndarray:
    """The clicks levelled (:func:`level_steps`), then moved by independent draws of
    the error each value has: a pair's mean by its error over sqrt(2), together, and a
    click of no pair by its own (percent kept as percent)."""
    levelled, time_group, surv_group, time_sd, surv_sd = _jitter_plan(time, survival)
    moved = levelled.copy()
    for column, group, sd in ((0, time_group, time_sd), (1, surv_group, surv_sd)):
        size = np.bincount(group, minlength=group.size)
        noise = rng.normal(0.0, sd, group.size) / np.sqrt(np.maximum(size, 1))
        moved[:, column] += noise[group]
    moved[:, 0] = np.maximum(moved[:, 0], 0.0)
    return moved


def _within(value: float, rng: np.random.Generator, lo: float = 0.0, hi: float = math.inf):
    """A value drawn uniformly from the numbers that print as ``value`` (with the
    decimals the study file printed it with)."""
    low, high = printed(value, lo, hi)
    return float(rng.uniform(low, high))


def _perturb_arm(res, rng: np.random.Generator):
    update = {}
    if res.curve is not None:
        moved = _jitter_clicks(res.curve.time, res.curve.survival, rng)
        update["curve"] = res.curve.model_copy(
            update={"time": tuple(moved[:, 0]), "survival": tuple(moved[:, 1])}
        )
        return res.model_copy(update=update)
    if res.median_value is not None:
        update["median"] = _within(res.median_value, rng, lo=1e-9)
    if res.median_ci is not None:
        update["median_ci"] = tuple(
            None if b is None else _within(b, rng, lo=1e-9) for b in res.median_ci
        )
    if res.landmarks:
        update["landmarks"] = {
            t: lm.model_copy(update={"survival": _within(lm.survival, rng, 0.0, 1.0)})
            for t, lm in res.landmarks.items()
        }
    return res.model_copy(update=update)


def _perturb_follow_up(follow, rng: np.random.Generator, unreported_dropout: bool):
    if follow is None:
        return None
    update = {
        key: _within(getattr(follow, key), rng, lo=1e-9)
        for key in ("max", "median", "accrual", "dropout")
        if getattr(follow, key) is not None
    }
    if follow.dropout is None and unreported_dropout and follow.max is not None:
        loss = rng.uniform(0.0, UNREPORTED_LOSS)
        update["dropout"] = -math.log1p(-loss) / float(update["max"])
    if "median" in update and "max" in update:
        update["median"] = min(update["median"], update["max"])
    return follow.model_copy(update=update)


def perturb_study(study: Study, endpoint: str, rng: np.random.Generator) -> Study:
    """The study with one endpoint's inputs drawn within what they leave open.

    Digitized curves get their clicks moved by their click error (:func:`click_error`);
    arms rebuilt from summaries get every printed number drawn uniformly within its
    rounding; the follow-up likewise, with a dropout drawn (:data:`UNREPORTED_LOSS`) when
    none is reported and some arm is rebuilt from summaries without an at-risk table;
    and the HR within its rounding. Counts (n, events, numbers at risk) are exact.

    Parameters
    ----------
    study : Study
    endpoint : str
    rng : numpy.random.Generator

    Returns
    -------
    Study
        A copy; the input is not changed. The copy is not re-validated: its numbers can
        contradict each other (a reconstruction then raises :class:`InputError`).
    """
    ep = study.endpoint(endpoint)
    arms = {arm_id: _perturb_arm(res, rng) for arm_id, res in ep.arms.items()}
    modelled = any(res.curve is None and res.at_risk is None for res in ep.arms.values())
    update = {
        "arms": arms,
        "follow_up": _perturb_follow_up(ep.follow_up, rng, modelled),
    }
    comp = ep.comparison
    if comp is not None and comp.hr is not None:
        update["comparison"] = comp.model_copy(update={"hr": _within(comp.hr, rng, lo=1e-9)})
    endpoints = {**study.endpoints, endpoint: ep.model_copy(update=update)}
    return study.model_copy(update={"endpoints": endpoints})


def censoring_rows(
    point: ArmIPD,
    bounds: np.ndarray,
    rng: np.random.Generator,
    *,
    tabled: bool = True,
    concentration: float | None = MODEL_CONCENTRATION,
) -> tuple[np.ndarray, np.ndarray]:
    """Numbers at risk within each censoring interval, for one drawn censoring pattern.

    The reconstruction knows how many patients were censored within each interval
    between at-risk times (the whole follow-up without a table), not when; Guyot et al.
    (2012) spread them evenly. Here each interval is cut into :data:`CENSORING_PARTS`
    equal parts, the shares of its censored patients in the parts are drawn from a
    Dirichlet distribution and the patients allotted multinomially. Between two printed
    numbers at risk the Dirichlet is flat (any pattern within the interval equally
    likely, as in the Bayesian bootstrap of Rubin DB, Ann Stat 1981;9:130-134). Without
    a table the one interval is the whole follow-up, and the pattern of the point
    reconstruction's censoring is its centre: the Dirichlet's parameters are 1 plus
    that pattern's shares of ``concentration`` pseudo-patients (the posterior under a
    flat prior with the pattern as that many observations). Where a censoring model
    made the pattern (no censor marks), how sure it is does not grow with the arm's
    size: :data:`MODEL_CONCENTRATION`. Where censor marks placed the censorings, the
    pattern was read off the figure: ``concentration=None`` counts the point's
    censored patients themselves. With the point reconstruction's events
    before each cut this gives the numbers at risk at the cuts, which the draw's
    reconstruction takes as extra rows of the at-risk table, so that it solves the
    events for the curve under that censoring. An interval without censored patients
    has nothing to spread and gets no rows.

    Parameters
    ----------
    point : ArmIPD
        The arm's point reconstruction.
    bounds : numpy.ndarray
        The interval bounds: the at-risk times and the end of the curve.
    rng : numpy.random.Generator
    tabled : bool, default True
        The bounds are those of a printed at-risk table (a flat Dirichlet), or the whole
        follow-up (centred on the point's censoring).
    concentration : float or None, default :data:`MODEL_CONCENTRATION`
        Without a table, the pseudo-patients the point's censoring pattern counts for
        (None: its censored patients).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Times of the cuts and the numbers at risk there (none in an interval without
        censored patients).
    """
    starts, ends = bounds[:-1], bounds[1:]
    share = np.arange(1, CENSORING_PARTS) / CENSORING_PARTS
    cuts = starts[:, None] + (ends - starts)[:, None] * share[None, :]
    sorted_time = point.time
    event_time = np.sort(point.time[point.event == 1])
    cens_time = np.sort(point.time[(point.event == 0)])
    at_start = sorted_time.size - np.searchsorted(sorted_time, starts, side="left")
    events_before = (
        np.searchsorted(event_time, cuts, side="left")
        - np.searchsorted(event_time, starts, side="left")[:, None]
    )
    closing = ends.copy()
    # the survivors followed to the end are not censored within the last interval
    closing[-1] -= END_SHARE * (ends[-1] - starts[-1])
    censored = np.searchsorted(cens_time, closing, side="left") - np.searchsorted(
        cens_time, starts, side="left"
    )
    edges = np.concatenate([starts[:, None], cuts, ends[:, None]], axis=1)
    alpha = np.ones((starts.size, CENSORING_PARTS))
    if not tabled:
        parts = np.diff(np.searchsorted(cens_time, edges, side="left"), axis=1)
        if concentration is not None:
            parts = concentration * parts / np.maximum(parts.sum(axis=1, keepdims=True), 1)
        alpha += parts
    counts = np.array(
        [rng.multinomial(c, rng.dirichlet(a)) for c, a in zip(censored, alpha, strict=True)]
    )
    cens_before = np.cumsum(counts, axis=1)[:, :-1]
    n_risk = at_start[:, None] - events_before - cens_before
    spread = censored > 0
    return cuts[spread].ravel(), n_risk[spread].ravel()


def drawn_events(point: ArmIPD, rng: np.random.Generator, *, followed_to: float = 0.0) -> int:
    """Total events of an arm digitized from its curve alone, under a drawn censoring.

    Without an at-risk table, a total or censor marks, nothing printed says how many
    patients were censored before the end of the curve: from none (the point
    reconstruction, all ``n (1 - S_end)`` events) to as many as staggered entry and
    losses to follow-up give. The draw takes the censoring model of
    :mod:`mmsurv.synthesis` (administrative censoring after uniform accrual, and
    exponential dropout) with both of its unknowns drawn uniformly: the accrual span
    as a share of the curve's length in [0, 1] (from everyone followed to the end to
    entry spread over the whole follow-up), and the share lost to follow-up by the end
    in [0, :data:`UNREPORTED_LOSS`]. The expected events are the point's events, each
    weighted by the chance to be still followed at its time (:func:`still_followed`),
    at least one per drop of the curve. The reconstruction then solves the censoring
    for that total (Guyot et al. 2012, "total events only").

    The model's end of follow-up is the end of the curve, but at least one mean drop
    spacing (last drop time / number of drops) after the last drop: a drop is an
    observed event, so follow-up went on past it, and a curve clicked up to its last
    drop (nothing to click on a flat tail) does not say how far. Ending the follow-up
    at that drop would leave its patients no chance to have been followed to it.

    Parameters
    ----------
    point : ArmIPD
        The arm's point reconstruction (nobody censored before the end).
    rng : numpy.random.Generator
    followed_to : float, default 0
        A time the follow-up is known to have reached (the end of follow-up is at
        least this).

    Returns
    -------
    int
    """
    times = point.time[point.event == 1]
    drops = np.unique(times)
    end = max(float(point.time.max()), followed_to)
    if drops.size:
        end = max(end, float(drops[-1]) * (1.0 + 1.0 / drops.size))
    accrual = float(rng.uniform(0.0, 1.0)) * end
    loss = float(rng.uniform(0.0, UNREPORTED_LOSS))
    dropout = -math.log1p(-loss) / end if end > 0 else 0.0
    expected = float(np.sum(still_followed(times, end, accrual, dropout)))
    return max(round(expected), int(drops.size))


def _with_censoring_rows(study, endpoint, point, report, rng) -> Study:
    """The study with drawn at-risk rows (:func:`censoring_rows`) in every digitized arm,
    or, for a curve alone, a drawn end of its follow-up (:func:`_followed_curve`) and
    total of events (:func:`drawn_events`)."""
    ep = study.endpoint(endpoint)
    arms = dict(ep.arms)
    longest = max((max(res.curve.time) for res in ep.arms.values() if res.curve), default=0.0)
    for arm_id, res in ep.arms.items():
        if res.curve is None:
            continue
        if res.at_risk is None and res.events is None and res.censor_times is None:
            curve = _followed_curve(res.curve, longest, rng)
            events = drawn_events(point[arm_id], rng, followed_to=max(curve.time))
            arms[arm_id] = res.model_copy(update={"curve": curve, "events": events})
            continue
        rep = report[arm_id]
        bounds = np.concatenate([rep.interval_start, rep.interval_end[-1:]])
        tabled = res.at_risk is not None
        marked = res.censor_times is not None
        cuts, n_risk = censoring_rows(
            point[arm_id],
            bounds,
            rng,
            tabled=tabled,
            concentration=None if marked else MODEL_CONCENTRATION,
        )
        if not tabled:
            times, counts = np.array([0.0]), np.array([point[arm_id].time.size])
        else:
            times, counts = np.asarray(res.at_risk.times), np.asarray(res.at_risk.n)
        times = np.concatenate([times, cuts])
        counts = np.concatenate([counts, n_risk])
        order = np.argsort(times, kind="stable")
        table = AtRisk(times=tuple(times[order].tolist()), n=tuple(counts[order].tolist()))
        arms[arm_id] = res.model_copy(update={"at_risk": table})
    endpoints = {**study.endpoints, endpoint: ep.model_copy(update={"arms": arms})}
    return study.model_copy(update={"endpoints": endpoints})


def _followed_curve(curve: Curve, longest: float, rng: np.random.Generator) -> Curve:
    """A curve alone, flat from its last click to a drawn end of its follow-up.

    A curve that stops before the endpoint's longest one (clicked up to its last drop,
    or ending at its last event) says nothing of how long its survivors were followed;
    the arms of one trial share its calendar (accrual and data cut-off), so they were
    followed up to somewhere between the curve's end and the longest curve's. The end
    is drawn uniformly there; the point reconstruction censors them at the curve's end.
    """
    end = max(curve.time)
    if longest <= end:
        return curve
    drawn = float(rng.uniform(end, longest))
    level = min(curve.survival)  # the curve's last level, whatever the clicks' order
    return curve.model_copy(
        update={"time": (*curve.time, drawn), "survival": (*curve.survival, level)}
    )


def _one_draw(
    study: Study,
    endpoint: str,
    rng: np.random.Generator,
    hr_blind: bool,
    point: dict[str, ArmIPD],
    report: EndpointReport,
) -> dict[str, ArmIPD]:
    for _ in range(_ATTEMPTS):
        drawn = perturb_study(study, endpoint, rng)
        drawn = _with_censoring_rows(drawn, endpoint, point, report, rng)
        trt, ref = (float(x) for x in rng.uniform(-TILT_RANGE, TILT_RANGE, 2))
        # HR-blind, the treatment arm's shape and the other arms' are two draws.
        # HR-informed (or with no comparison), one draw is the shape every arm shares:
        # the calibration sets the tilt between the compared arms, and the HR says
        # nothing of the shape they share, which keeps the range of one arm's shape.
        split = hr_blind and study.endpoint(endpoint).comparison is not None
        tilt, common = ((trt - ref) / 2.0, (trt + ref) / 2.0) if split else (0.0, trt)
        try:
            arms, drawn_report = reconstruct_arrays(
                drawn, endpoint, hr_blind=hr_blind, tilt=tilt, common_tilt=common
            )
        except InputError:
            continue
        if _keeps_the_totals(study, endpoint, report, drawn_report):
            return arms
    return reconstruct_arrays(study, endpoint, hr_blind=hr_blind)[0]


def _keeps_the_totals(
    study: Study, endpoint: str, point: EndpointReport, drawn: EndpointReport
) -> bool:
    """Whether a draw meets every digitized arm's reported total of events as closely as
    the point reconstruction does.

    A drawn censoring pattern can leave a curve fewer or more events than reported
    (censored early where the total needs them late); such a draw contradicts the
    study and is drawn again: the draws are conditioned on the reported totals.
    """
    for arm_id, res in study.endpoint(endpoint).arms.items():
        missed = point[arm_id].events_missed
        if res.curve is None or missed is None:
            continue
        drawn_missed = drawn[arm_id].events_missed
        if drawn_missed is None or abs(drawn_missed) > abs(missed):
            return False
    return True


def _check_whole(value: object, least: int, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < least:
        raise InputError(f"{name} must be a whole number of at least {least}, got {value!r}")
    return int(value)


def draw_arrays(
    study: Study, endpoint: str, draws: int, *, seed: int = 0, hr_blind: bool = False
) -> tuple[list[dict[str, ArmIPD]], EndpointReport]:
    """The numpy form of :func:`reconstruct_draws`: per draw, IPD arrays by arm id.

    Draw ``k`` uses its own generator, spawned from ``seed`` (numpy's ``SeedSequence``),
    so a draw does not depend on how many are made.
    """
    draws = _check_whole(draws, 1, "draws")
    seed = _check_whole(seed, 0, "seed")
    point, report = reconstruct_arrays(study, endpoint, hr_blind=hr_blind)
    out = [point]
    for child in np.random.SeedSequence(seed).spawn(draws)[1:]:
        rng = np.random.default_rng(child)
        out.append(_one_draw(study, endpoint, rng, hr_blind, point, report))
    return out, report


def reconstruct_draws(
    study: Study | str, endpoint: str, draws: int, *, seed: int = 0, hr_blind: bool = False
):
    """``draws`` plausible IPD sets of an endpoint, each consistent with what is reported.

    See the module documentation for what varies between draws; draw 0 is the point
    reconstruction of :func:`mmsurv._reconstruct.reconstruct`.

    Returns
    -------
    ipd : pandas.DataFrame
        Columns ``draw`` (0 .. draws - 1), ``arm``, ``time``, ``event``; ``n`` rows per arm
        and draw.
    report : EndpointReport
        The report of the point reconstruction.
    """
    import pandas as pd

    study = load_study(study)
    sets, report = draw_arrays(study, endpoint, draws, seed=seed, hr_blind=hr_blind)
    frames = [
        pd.DataFrame(
            {"draw": k, "arm": arm_id, "time": arm.time, "event": arm.event.astype(np.int64)}
        )
        for k, arms in enumerate(sets)
        for arm_id, arm in arms.items()
    ]
    return pd.concat(frames, ignore_index=True), report


def reconstruct(
    study: Study | str,
    endpoint: str,
    *,
    hr_blind: bool = False,
    draws: int | None = None,
    seed: int = 0,
):
    """Reconstruct an endpoint's IPD: the point reconstruction, or ``draws`` plausible sets.

    Without ``draws``, :func:`mmsurv._reconstruct.reconstruct` (Guyot et al. 2012 from a
    curve, :mod:`mmsurv.synthesis` from summaries): columns ``arm``, ``time``, ``event``.
    With ``draws=K``, :func:`reconstruct_draws`: a first column ``draw`` (0 .. K-1), draw
    0 the point reconstruction, the same ``seed`` giving the same data.

    Parameters
    ----------
    study : Study or str
        A loaded study, a YAML path or a catalog id.
    endpoint : str
    hr_blind : bool, default False
        Rebuild arms from summaries without the published HR.
    draws : int, optional
        Number of plausible IPD sets (at least 1).
    seed : int, default 0

    Returns
    -------
    ipd : pandas.DataFrame
    report : EndpointReport
        The point reconstruction's.

    Examples
    --------
    >>> import mmsurv
    >>> ipd, report = mmsurv.reconstruct("niu-2026-krd-vs-vrd", "PFS", draws=3, seed=1)
    >>> sorted(ipd["draw"].unique().tolist())
    [0, 1, 2]
    """
    if draws is None:
        return point_reconstruction(study, endpoint, hr_blind=hr_blind)
    return reconstruct_draws(study, endpoint, draws, seed=seed, hr_blind=hr_blind)
