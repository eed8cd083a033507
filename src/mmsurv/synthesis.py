"""Survival curves from reported summaries alone (no digitized figure).

Most papers print a few numbers per arm: the median, perhaps landmark rates, events and
follow-up, and a hazard ratio (HR) between arms. This module builds, for each arm, a
survival curve that passes through every reported point and a censoring pattern that
matches the reported follow-up and events; :mod:`mmsurv._reconstruct` then turns it into
integer patient data with the Guyot engine.

Curve family
------------
* **Two or more reported points** (the median as ``S = 0.5``, landmark rates, and the
  points the median's CI implies): a smooth curve through every point, its log
  cumulative hazard a monotone cubic in log time (the flexible parametric model of
  Royston and Parmar with knots at the reported points, :func:`survival_through_points`),
  Weibull before the first point; after the last point a constant hazard, fitted to the
  reported events (:func:`tail_for_events`) or, without events, the last stretch's
  average hazard.
* **A median only, in both arms, with a reported HR** (HR-informed mode): Weibull curves
  with a common shape ``k``, which satisfy proportional hazards with
  ``HR = (m_ref / m_trt) ** k``, so ``k = log(HR) / log(m_ref / m_trt)``; both medians
  and the HR hold exactly (Collett D. Modelling Survival Data in Medical Research, 3rd
  ed. 2015, section 5.6). Exponential curves cannot do this: with medians 14 and 12 they
  force ``HR = 12 / 14 = 0.857``.
* **A single point otherwise**: an exponential curve through it (said in the report).
* **No point in an arm** but a curve in the other arm and a reported HR (HR-informed):
  ``S_arm = S_other ** HR`` (or ``** (1 / HR)``), proportional hazards.

Censoring
---------
Administrative censoring after uniform accrual: a patient accrued at time ``a`` of an
accrual period of length ``A`` is followed until the data cut-off, ``T_max`` after the
first accrual, so potential follow-up is uniform on ``[T_max - A, T_max]``. ``A`` comes
from the study (``follow_up.accrual``), else from the median follow-up
(``A = 2 (T_max - median)``, the median potential follow-up, as estimated by the reverse
Kaplan-Meier method; Schemper M, Smith TL. Control Clin Trials 1996;17:343-346), else
``A = 0``: everyone is followed to ``T_max``. When only the median follow-up is
reported, ``T_max`` is taken as 4/3 of it (accrual over the first half of the study).
When events are reported, the hazard after the last reported point is fitted to them
under this censoring, weighed against the curve's recent hazard (:func:`tail_for_events`);
what it does not meet, the reconstruction's censoring absorbs, so that the events are met
exactly.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from .errors import InputError
from .printed import z_critical

if TYPE_CHECKING:
    from .study import Comparison, Endpoint, FollowUp, Study

__all__ = [
    "SummaryCurve",
    "accrual_span",
    "dropout_of",
    "expected_events",
    "recent_hazard",
    "still_followed",
    "summary_curves",
    "survival_through_points",
    "tail_for_events",
    "weibull_common_shape",
]

#: Longest over median follow-up when only the median is reported: uniform accrual over
#: the first half of the study period makes potential follow-up uniform on [T/2, T],
#: whose median is 3T/4.
END_PER_MEDIAN_FOLLOW_UP = 4.0 / 3.0

#: Weibull shapes outside this range are flagged in the assumptions as implausible.
PLAUSIBLE_SHAPE = (0.5, 2.0)

#: Points of the survival curve handed to the Guyot engine (besides the reported ones).
GRID_POINTS = 600


@dataclass(frozen=True)
class SummaryCurve:
    """A survival curve built from one arm's reported numbers.

    Attributes
    ----------
    family : str
        ``log-hazard spline``, ``weibull (common shape)``, ``exponential`` or
        ``proportional hazards to <arm>``.
    time, survival : numpy.ndarray
        The curve on a grid from 0 to the end of follow-up, reported times included.
    end : float
        End of follow-up (last time of the curve).
    points : tuple of (float, float)
        The reported points the curve passes through (time, survival).
    assumptions : tuple of str
        What was assumed, one sentence each.
    uses_hr : bool
        The curve was shaped by the HR (Weibull common shape, proportional hazards).
    tail_scale : float
        Factor on the centre of the prior of the hazard after the last reported point
        (:func:`tail_for_events`): 1, or what the HR calibration set.
    """

    family: str
    time: np.ndarray
    survival: np.ndarray
    end: float
    points: tuple[tuple[float, float], ...] = ()
    assumptions: tuple[str, ...] = field(default=())
    uses_hr: bool = False
    tail_scale: float = 1.0

    def at(self, t: np.ndarray | float) -> np.ndarray:
        """Survival at times ``t`` (log-linear between grid points)."""
        log_s = np.log(np.maximum(self.survival, 1e-300))
        return np.exp(np.interp(t, self.time, log_s))

    def with_tail(self, hazard: float, why: str | None = None) -> SummaryCurve:
        """The same curve with a constant ``hazard`` after its last reported point
        (``why``, when given, is added to the assumptions)."""
        t_last, s_last = self.points[-1]
        beyond = self.time > t_last
        survival = self.survival.copy()
        survival[beyond] = s_last * np.exp(-hazard * (self.time[beyond] - t_last))
        said = self.assumptions if why is None else (*self.assumptions, why)
        return replace(self, survival=survival, assumptions=said)


#: Weibull shape of the curve before its first reported point is the log-log slope of
#: the first stretch between points, held within this range (see
#: :func:`survival_through_points`).
FIRST_STRETCH_SHAPE = (1.0, 2.0)


def survival_through_points(
    points: list[tuple[float, float]],
    times: np.ndarray,
    *,
    shape: float = 1.0,
    tail_hazard: float | None = None,
) -> np.ndarray:
    """Survival at ``times`` of a smooth curve through ``points``.

    ``points`` are (time, survival) with increasing times and decreasing survival in
    (0, 1). The log cumulative hazard ``log H`` is a monotone cubic in ``log t`` through
    the points (Fritsch FN, Carlson RE. Monotone piecewise cubic interpolation. SIAM J
    Numer Anal 1980;17:238-246): the flexible parametric survival model of Royston P,
    Parmar MKB (Stat Med 2002;21:2175-2197) with its knots at the reported points and
    passing through them exactly. It is linear, hence exact, for Weibull and exponential
    curves, and follows hazards that rise or fall between the points instead of holding
    them constant.

    Before the first point (nothing reported there) the curve is Weibull,
    ``H(t) = H_1 (t / t_1) ** k``, ``k`` the log-log slope between the first two points
    held within :data:`FIRST_STRETCH_SHAPE`: a hazard that rises from 0 when the points
    say so, never one that falls from an unreported peak at time 0. One point alone
    gives the exponential curve through it.

    ``shape`` tilts every stretch between points (0 and the points): the cumulative
    hazard goes from one point's value to the next as ``g ** shape``, ``g`` the curve's
    own progress within the stretch, so ``shape > 1`` puts the events of every stretch
    later, ``shape < 1`` earlier, and every point still holds. Beyond the last point the
    hazard is ``tail_hazard``, by default the average hazard of the last stretch.
    """
    from scipy.interpolate import PchipInterpolator

    t_pts = np.array([p[0] for p in points], dtype=float)
    h_pts = -np.log(np.array([p[1] for p in points], dtype=float))
    times = np.asarray(times, dtype=float)
    knots_t = np.concatenate([[0.0], t_pts])
    knots_h = np.concatenate([[0.0], h_pts])
    k = 1.0
    if t_pts.size > 1:
        slope = math.log(h_pts[1] / h_pts[0]) / math.log(t_pts[1] / t_pts[0])
        k = float(np.clip(slope, *FIRST_STRETCH_SHAPE))
    cum = h_pts[0] * (np.clip(times, 0.0, t_pts[0]) / t_pts[0]) ** k
    inside = (times > t_pts[0]) & (times <= t_pts[-1])
    if t_pts.size > 1:
        spline = PchipInterpolator(np.log(t_pts), np.log(h_pts))
        cum[inside] = np.exp(spline(np.log(times[inside])))
    if shape != 1.0:
        j = np.clip(np.searchsorted(knots_t, times, side="right") - 1, 0, knots_t.size - 2)
        within = times <= t_pts[-1]
        low, rise = knots_h[j[within]], np.diff(knots_h)[j[within]]
        flat = rise <= 0  # two points at the same survival: nothing to tilt
        progress = np.clip((cum[within] - low) / np.where(flat, 1.0, rise), 0.0, 1.0)
        cum[within] = low + rise * progress**shape
    last = (knots_h[-1] - knots_h[-2]) / (knots_t[-1] - knots_t[-2])
    beyond = times > t_pts[-1]
    cum[beyond] = h_pts[-1] + (last if tail_hazard is None else tail_hazard) * (
        times[beyond] - t_pts[-1]
    )
    return np.exp(-cum)


def weibull_common_shape(median_trt: float, median_ref: float, hr: float) -> float | None:
    """Shape ``k`` of Weibull curves with these medians and proportional hazards ``hr``.

    Returns None when no positive shape exists (the medians' order contradicts the HR's
    side of 1, or equal medians with ``hr != 1``).
    """
    ratio = math.log(median_ref / median_trt)
    if ratio == 0 or hr == 1:
        return None
    k = math.log(hr) / ratio
    return k if k > 0 else None


def _tail_hazard(pts, end: float, *, not_reached: bool) -> float | None:
    """Hazard after the last point that keeps survival above 0.5 to ``end`` (None: the
    default tail already does, or the median is not reported as not reached)."""
    if not not_reached:
        return None
    t_last, s_last = pts[-1]
    if end <= t_last or s_last <= 0.5:
        return None
    prev_t, prev_s = pts[-2] if len(pts) > 1 else (0.0, 1.0)
    slope = math.log(prev_s / s_last) / (t_last - prev_t)
    room = math.log(s_last / 0.5) / (end - t_last)
    return 0.999 * room if slope >= room else None


def _grid(end: float, knots: list[float]) -> np.ndarray:
    base = np.linspace(0.0, end, GRID_POINTS)
    return np.unique(np.concatenate([base, [k for k in knots if 0 < k <= end]]))


def accrual_span(follow, end: float) -> tuple[float, str]:
    """Accrual span for the censoring model, and the sentence that says where it is from.

    ``end`` is where the curve ends: the longest follow-up, or the value taken for it
    when only the median follow-up is reported.

    When a dropout hazard is reported (``follow.dropout``), patients are also lost to
    follow-up at that constant hazard (exponential dropout), and the span derived from
    the median follow-up leaves room for it: the chance to be still followed at the
    median, ``min(1, (end - median) / span) * exp(-dropout * median)``, is 0.5.
    """
    dropout = dropout_of(follow)
    lost = "" if not dropout else f", and loss to follow-up at {dropout:g} per time unit"
    if follow is None or (follow.max is None and follow.median is None):
        return 0.0, "follow-up not reported: nobody censored before the end of the curve" + lost
    longest = float(follow.max) if follow.max is not None else end
    if follow.accrual is not None:
        span = min(float(follow.accrual), longest)
        return span, (
            f"uniform accrual over {span:g} (reported), censoring at the data cut-off{lost}"
        )
    if follow.median is not None:
        still = math.exp(-dropout * follow.median)  # followed at the median, dropout alone
        span = 0.0 if still <= 0.5 else 2.0 * (longest - follow.median) * still
        span = min(max(span, 0.0), longest)
        return span, (
            f"uniform accrual over {span:.3g}, from the median ({follow.median:g}) and longest "
            f"({longest:.3g}) follow-up, censoring at the data cut-off{lost}"
        )
    return 0.0, (
        f"only the longest follow-up ({longest:g}) reported: every patient followed to it, "
        f"no censoring before{lost or ' it'}"
    )


def dropout_of(follow) -> float:
    """The reported dropout hazard per time unit (0 when not reported)."""
    return 0.0 if follow is None or follow.dropout is None else float(follow.dropout)


def still_followed(t: np.ndarray, end: float, accrual: float, dropout: float) -> np.ndarray:
    """Chance to be still followed at ``t``: potential follow-up uniform on
    ``[end - accrual, end]`` (everyone to ``end`` when ``accrual`` is 0), times
    ``exp(-dropout * t)`` (the censoring model of the module documentation).

    >>> still_followed(np.array([0.0, 5.0, 10.0]), 10.0, 10.0, 0.0).tolist()
    [1.0, 0.5, 0.0]
    """
    followed = np.ones_like(t) if accrual <= 0 else np.clip((end - t) / accrual, 0.0, 1.0)
    return followed * np.exp(-dropout * t) if dropout > 0 else followed


def expected_events(curve: SummaryCurve, n: int, accrual: float, *, dropout: float = 0.0) -> float:
    """Expected events of ``n`` patients under uniform-accrual censoring.

    A patient's potential follow-up is uniform on ``[end - accrual, end]``: the chance to
    still be followed at time ``t`` is ``min(1, (end - t) / accrual)``, times
    ``exp(-dropout * t)`` with a dropout hazard.
    """
    rows = _expected_events_rows(
        curve.time, curve.survival[None, :], curve.end, n, accrual, dropout
    )
    return float(rows[0])


def _expected_events_rows(
    t: np.ndarray, survival: np.ndarray, end: float, n: int, accrual: float, dropout: float
) -> np.ndarray:
    """:func:`expected_events` of every row of ``survival`` (curves on the grid ``t``)."""
    drop = np.zeros_like(survival)
    drop[:, 1:] = survival[:, :-1] - survival[:, 1:]
    followed = still_followed(t, end, accrual, dropout)
    if accrual > 0 and t.size > 1:  # the drop into the last grid point, at the cut-off
        followed[-1] = followed[-2]
    return n * drop @ followed


#: Prior of the hazard after the last reported point: log-normal around the hazard of the
#: second half of the reported range, with this standard deviation on the log scale.
TAIL_PRIOR_SD = 1.0

#: Relative error allowed to the events the censoring model takes away before the last
#: reported point (those of patients it censors before they would have had them): the
#: model gives their order of magnitude, not their number.
CENSORING_MODEL_ERROR = 1.0

#: Relative error allowed to the events the censoring model expects before the last
#: reported point for censoring it does not model at all (dropout, when only the
#: follow-up is reported).
UNMODELLED_CENSORING_ERROR = 0.1

#: Log-hazard grid searched for the tail hazard: this many prior standard deviations on
#: either side of the prior's centre, in steps of 1% of the hazard.
_TAIL_REACH = 4.0
_TAIL_STEP = 0.01


def recent_hazard(curve: SummaryCurve) -> float:
    """Average hazard of ``curve`` over the second half of its reported range.

    ``log(S(t_last / 2) / S(t_last)) / (t_last / 2)``, ``t_last`` the last reported time:
    the hazard the curve shows just before its last point, over a stretch long enough not
    to hang on a single short gap between two close points (a landmark and the median a
    few days apart). When that stretch is flat, the average hazard from 0 is used.
    """
    t_last, s_last = curve.points[-1]
    half = float(curve.at(t_last / 2.0))
    if half > s_last:
        return math.log(half / s_last) / (t_last / 2.0)
    return -math.log(s_last) / t_last


def tail_for_events(
    curve: SummaryCurve,
    n: int,
    accrual: float,
    events: int,
    *,
    not_reached: bool,
    dropout: float = 0.0,
) -> SummaryCurve | None:
    """The curve with a constant hazard after its last reported point, fitted to ``events``.

    Nothing but the reported events says how the curve goes on after its last reported
    point, and they say it through the censoring model: the events expected before the
    point, ``E_before``, come from the curve and the modelled follow-up (uniform accrual
    over ``accrual``, 0: every patient followed to the end; and the ``dropout`` hazard
    when reported), and what the reported events leave after it, ``events - E_before``,
    sets the tail hazard ``h``. The censoring model is approximate (real follow-up also
    ends by dropout, and the arms of a trial are censored differently while the
    follow-up is reported for both together): the events it takes away before the
    point, ``lost = n (1 - S(t_last)) - E_before``, are taken as uncertain to
    :data:`CENSORING_MODEL_ERROR` of themselves, ``E_before`` as uncertain to
    :data:`UNMODELLED_CENSORING_ERROR` of itself for censoring the model leaves out
    (dropout), and the tail events given ``h`` as Poisson. The hazard is the posterior
    mode (Gelman A, et al. Bayesian Data Analysis, 3rd ed. 2013, section 4.1) under a
    log-normal prior centred on the hazard of the second half of the reported range
    (:func:`recent_hazard`; sd :data:`TAIL_PRIOR_SD` on the log scale), with the normal
    approximation

        log p(h) = -(log h - log h0)**2 / (2 sd**2)
                   - (E_after(h) - (events - E_before))**2 / (2 v(h)),
        v(h) = (kappa lost)**2 + (epsilon E_before)**2 + max(E_after(h), 1).

    ``kappa`` and ``epsilon`` being the two relative errors above.

    The fewer events the censoring model puts before the point, the more the reported
    events fix the tail; when the model leaves none for after it, the curve goes on at
    about its recent hazard rather than flattening (the reconstruction's censoring then
    absorbs the difference). With ``not_reached`` the hazard is also capped so that
    survival stays above 0.5 to the end. Returns None when the curve has no reported
    point or ends at it.

    The three constants are round values; the neighbours tried (``kappa`` 0.5-1,
    ``epsilon`` 0-0.1, sd 0.7-1) do about as well on the real data sets of
    ``validation/synthesis_accuracy.py`` and on simulated trials.
    """
    if not curve.points or curve.points[-1][0] >= curve.end:
        return None
    t_last, s_last = curve.points[-1]
    centre = math.log(recent_hazard(curve) * curve.tail_scale)
    log_h = centre + np.arange(
        -_TAIL_REACH * TAIL_PRIOR_SD, _TAIL_REACH * TAIL_PRIOR_SD + _TAIL_STEP / 2, _TAIL_STEP
    )
    if not_reached and s_last > 0.5:
        cap = math.log(0.999 * math.log(s_last / 0.5) / (curve.end - t_last))
        log_h = np.unique(np.minimum(log_h, cap))
    beyond = curve.time > t_last
    rows = np.repeat(curve.survival[None, :], log_h.size + 1, axis=0)
    rows[0, beyond] = s_last  # row 0: no event after the last point
    rows[1:, beyond] = s_last * np.exp(-np.exp(log_h)[:, None] * (curve.time[beyond] - t_last))
    expected = _expected_events_rows(curve.time, rows, curve.end, n, accrual, dropout)
    before, after = expected[0], expected[1:] - expected[0]
    lost = n * (1.0 - s_last) - before
    variance = (
        (CENSORING_MODEL_ERROR * lost) ** 2
        + (UNMODELLED_CENSORING_ERROR * before) ** 2
        + np.maximum(after, 1.0)
    )
    log_post = -((log_h - centre) ** 2) / (2 * TAIL_PRIOR_SD**2) - (
        after - (events - before)
    ) ** 2 / (2 * variance)
    best = int(np.argmax(log_post))
    hazard = float(np.exp(log_h[best]))
    return curve.with_tail(
        hazard,
        f"hazard after the last reported point ({t_last:g}) {hazard:.3g} per time unit: the "
        f"reported {events} events under the follow-up ({before + after[best]:.1f} expected, "
        f"{before:.1f} of them before {t_last:g}) weighed against a hazard of "
        f"{math.exp(centre):.3g}, the curve's recent one"
        + ("" if curve.tail_scale == 1.0 else f" times {curve.tail_scale:.3g}")
        + f" (log-normal prior, sd {TAIL_PRIOR_SD:g})",
    )


#: Doublings of the hazard tried when fitting an exponential curve to reported events.
_HAZARD_DOUBLINGS = 60


def exponential_for_events(
    end: float,
    n: int,
    accrual: float,
    events: int,
    assumptions: tuple[str, ...] = (),
    *,
    dropout: float = 0.0,
    delay: float = 0.0,
    not_reached: bool = False,
) -> SummaryCurve:
    """An exponential curve whose expected events under the follow-up are ``events``.

    For an arm that reports its events and the study its follow-up, but no median or
    landmark: the constant hazard ``h`` with ``n * integral of h S(t) G(t) dt = events``,
    ``G`` the chance to be still followed under uniform accrual over ``accrual`` (0: all
    followed to ``end``), as in :func:`expected_events`. The hazard is the one of an
    exponential model (events over person-time, Collett 2015, Modelling Survival Data in
    Medical Research, section 5.1.2); the shape of the curve is an assumption. When even
    an immediate drop cannot give ``events`` (all patients have an event), the steepest
    hazard tried is used. With ``delay`` (survival 1 reported up to it) the curve is flat
    to ``delay`` and exponential after it. With ``not_reached`` (the median reported not
    reached) the hazard is capped so that survival stays above 0.5 to ``end``, and the
    sentence says so when the events alone would have put the median before it.
    """
    grid = _grid(end, [delay])
    exposed = np.maximum(grid - delay, 0.0)

    def curve_at(hazard: float) -> SummaryCurve:
        return SummaryCurve("exponential (from events)", grid, np.exp(-hazard * exposed), end)

    def gap(hazard: float) -> float:
        return expected_events(curve_at(hazard), n, accrual, dropout=dropout) - events

    hazard = 0.0
    if events > 0:
        high = 1.0 / end
        for _ in range(_HAZARD_DOUBLINGS):
            if gap(high) >= 0:
                break
            high *= 2.0
        if gap(high) > 0:
            from scipy.optimize import brentq

            hazard = brentq(gap, 0.0, high, xtol=1e-12 * high)
        else:
            hazard = high
    start = f" from {delay:g} on" if delay > 0 else ""
    said = (
        f"no median or landmark below 1 reported: exponential curve{start}, hazard "
        f"{hazard:.3g} per time unit, the one that gives the reported {events} events "
        "under the follow-up"
    )
    cap = 0.999 * math.log(2.0) / (end - delay) if end > delay else math.inf
    if not_reached and hazard > cap:
        said = (
            f"median reported not reached: exponential curve{start} with hazard {cap:.3g} per "
            f"time unit, which keeps survival above 0.5 to {end:g}; the reported {events} "
            f"events under the follow-up alone would need {hazard:.3g} and put the median "
            f"at {delay + math.log(2.0) / hazard:.3g}"
        )
        hazard = cap
    return replace(curve_at(hazard), assumptions=(*assumptions, said))


def _fill_from_events(
    study, ep, curves, end, assumptions, followed, arm_ids=None, *, event_free=None, notes=None
) -> None:
    """Add an exponential curve fitted to its events for each arm without one that
    reports events, when the follow-up is known (see :func:`exponential_for_events`),
    starting at the arm's time without events (``event_free``, by arm id, with the
    sentences of ``notes``)."""
    follow = ep.follow_up
    known = followed is not None or (
        follow is not None and (follow.max is not None or follow.median is not None)
    )
    for arm_id in ep.arms if arm_ids is None else arm_ids:
        res = ep.arms[arm_id]
        if arm_id not in curves and res.events is not None and known:
            span, _ = accrual_span(follow, end)
            curves[arm_id] = exponential_for_events(
                end,
                study.arm(arm_id).n,
                span,
                res.events,
                (*assumptions, *(notes or {}).get(arm_id, ())),
                dropout=dropout_of(follow),
                delay=(event_free or {}).get(arm_id, 0.0),
                not_reached=res.median == "NR",
            )


def _end_for_events(study, ep, curves: dict[str, SummaryCurve]) -> float | None:
    """Without any follow-up reported, the end of the curves at which every arm's curve
    has fallen far enough for its reported events, nobody being censored before it
    (``n (1 - S(end)) >= events``), its hazard after the last reported point going on;
    None when the curves already end late enough."""
    needed = []
    for arm_id, curve in curves.items():
        events = ep.arms[arm_id].events
        n = study.arm(arm_id).n
        s_end = float(curve.survival[-1])
        if events is None or not curve.points or n * (1.0 - s_end) >= events:
            continue
        t_last, s_last = curve.points[-1]
        if curve.end <= t_last or s_end >= s_last:
            continue
        hazard = math.log(s_last / s_end) / (curve.end - t_last)
        target = max(1.0 - (events + 0.25) / n, 0.25 / n)
        needed.append(curve.end + math.log(s_end / target) / hazard)
    return max(needed) if needed else None


def _last_at_risk(ep) -> float | None:
    """The last time with a patient at risk in any arm's published table (None: no
    table, or no patient at risk after time 0)."""
    last = [
        max((t for t, k in zip(res.at_risk.times, res.at_risk.n, strict=True) if k > 0), default=0)
        for res in ep.arms.values()
        if res.at_risk is not None
    ]
    return float(max(last)) if last and max(last) > 0 else None


#: Level assumed for an arm's median CI (the study format has no arm-level CI level).
MEDIAN_CI_LEVEL = 0.95


def greenwood_variance(
    curve_t: np.ndarray,
    curve_s: np.ndarray,
    n: int,
    accrual: float,
    end: float,
    *,
    dropout: float = 0.0,
) -> np.ndarray:
    """Expected Greenwood variance of log S(t) on the curve's grid.

    The continuous form of Greenwood's sum ``sum d_j / (n_j (n_j - d_j))``: the integral
    of ``dH(u) / Y(u)`` with ``H = -log S`` and ``Y(u) = n S(u) G(u)`` the expected
    number at risk, ``G`` the chance to be still followed under uniform accrual over
    ``accrual`` up to ``end`` (1 everywhere when ``accrual`` is 0), times
    ``exp(-dropout * u)`` with a dropout hazard.
    """
    h = -np.log(np.maximum(curve_s, 1e-300))
    followed = still_followed(curve_t, end, accrual, dropout)
    at_risk = n * curve_s[1:] * np.maximum(followed[1:], 1e-12)
    return np.concatenate([[0.0], np.cumsum(np.diff(h) / np.maximum(at_risk, 1e-12))])


def median_ci_points(
    points: list[tuple[float, float]],
    median_ci: tuple[float | None, float | None],
    grid: np.ndarray,
    variance: np.ndarray,
    *,
    level: float = MEDIAN_CI_LEVEL,
) -> tuple[list[tuple[float, float]], list[str]]:
    """Survival at the bounds of a reported CI of the median.

    The CI of a Kaplan-Meier median is where the pointwise confidence band of S(t)
    crosses 0.5 (Brookmeyer R, Crowley J. Biometrics 1982;38:29-41), and with the
    log(-log) band that SAS, Stata and lifelines draw (Kalbfleisch JD, Prentice RL 1980),
    ``S(t) ** exp(+-z sqrt(V) / H(t)) = 0.5`` at the bounds, ``H = -log S`` and ``V``
    the Greenwood variance of ``log S``. Given ``V`` at a bound (``variance`` on
    ``grid``, from the curve and the follow-up: :func:`greenwood_variance`), this fixes
    ``H`` there: ``H exp(a / H) = log 2`` at the lower bound, ``H exp(-a / H) = log 2``
    at the upper one, ``a = z sqrt(V)``. Returns the points that fit between ``points``
    (time and survival both ordered) and a sentence per bound used or left out.
    """
    from scipy.optimize import brentq

    z = float(z_critical(level))
    log2 = math.log(2.0)
    out: list[tuple[float, float]] = []
    notes: list[str] = []
    for bound, side in zip(median_ci, (1.0, -1.0), strict=True):
        if bound is None or not math.isfinite(bound):
            continue
        a = z * math.sqrt(max(float(np.interp(bound, grid, variance)), 0.0))
        if a <= 0 or a * math.e >= log2:  # no band crossing, or one too wide to inform
            notes.append(f"the median's CI bound {bound:g} is not used (too few patients)")
            continue
        if side > 0:
            hazard = brentq(_band_gap, a, log2, args=(a,))
        else:
            hazard = brentq(_band_gap, log2, log2 + 10.0 + 10 * a, args=(-a,))
        point = (float(bound), math.exp(-hazard))
        merged = sorted([*points, *out, point])
        ordered = all(t1 > t0 and s1 < s0 for (t0, s0), (t1, s1) in itertools.pairwise(merged))
        if not ordered:
            notes.append(
                f"the median's CI bound {bound:g} implies survival {point[1]:.3g} there, out of "
                "order with the other reported points: not used"
            )
            continue
        out.append(point)
        notes.append(
            f"survival {point[1]:.3g} at {bound:g}, where the {level:.0%} log(-log) Greenwood band "
            "crosses 0.5 (the reported CI of the median; variance from the curve and follow-up)"
        )
    return out, notes


def _band_gap(hazard: float, a: float) -> float:
    """Zero where a log(-log) band through cumulative hazard ``hazard`` crosses 0.5."""
    return hazard * math.exp(a / hazard) - math.log(2.0)


def _points(results) -> list[tuple[float, float]]:
    """The reported points of an arm: the median at 0.5 and the landmarks (a landmark at
    time 0 says S(0) = 1, true of every curve, and is left out)."""
    pts = {}
    if results.median_value is not None:
        pts[float(results.median_value)] = 0.5
    for t, lm in results.landmarks.items():
        if t > 0:
            pts[float(t)] = float(lm.survival)
    return sorted(pts.items())


def _check_points(pts, arm_id: str, where: str) -> None:
    for (t0, s0), (t1, s1) in itertools.pairwise(pts):
        if s1 > s0:
            raise InputError(
                f"survival {s1:g} at {t1:g} is above {s0:g} at the earlier time {t0:g}: "
                "the reported median and landmarks of this arm cannot all hold",
                field=f"{where}.arms.{arm_id}",
            )


#: Survival put in place of a reported 0 (the curve's log cumulative hazard needs S > 0):
#: far below one patient's step in any arm.
ZERO_SURVIVAL = 1e-6


def _shape_points(pts: list[tuple[float, float]]) -> tuple[float, list, list[str]]:
    """Split an arm's reported points into the time before which nothing happens (the
    last one reported at survival 1: "all 21 in remission at 5 weeks") and the points a
    curve is built through (survival 0 taken as :data:`ZERO_SURVIVAL`), with a sentence
    for each."""
    event_free = max((t for t, s in pts if s >= 1.0), default=0.0)
    shaped, said = [], []
    if event_free > 0:
        said.append(
            f"survival 1 reported at {event_free:g}: no event before it, the curve falls "
            "only after it"
        )
    for t, s in pts:
        if s >= 1.0:
            continue
        if s <= 0.0:
            said.append(
                f"survival 0 reported at {t:g}: every patient's event before it (the curve "
                f"is taken through {ZERO_SURVIVAL:g} there)"
            )
            s = ZERO_SURVIVAL
        shaped.append((t, s))
    return event_free, shaped, said


def _span_for_events(curve: SummaryCurve, n: int, events: int, dropout: float) -> float:
    """Accrual span under which ``n`` patients are expected to have ``events`` events
    (0 when the curve gives no more than that without accrual)."""

    def gap(span: float) -> float:
        return expected_events(curve, n, span, dropout=dropout) - events

    if gap(0.0) <= 0:
        return 0.0
    if gap(curve.end) >= 0:
        return curve.end
    from scipy.optimize import brentq

    return brentq(gap, 0.0, curve.end, xtol=1e-9)


def _add_median_ci_points(study, ep, pts: dict, end: float) -> dict[str, list[str]]:
    """Add to ``pts`` the survival at the bounds of each arm's reported median CI
    (:func:`median_ci_points`); returns the sentences per arm. The Greenwood variance
    comes from the curve through the arm's points, recomputed once with the new points."""
    follow_span, _ = accrual_span(ep.follow_up, end)
    dropout = dropout_of(ep.follow_up)
    notes = {}
    for arm_id, p in pts.items():
        res = ep.arms[arm_id]
        if res.median_value is None or not res.median_ci:
            continue
        lo, hi = (b if b is not None and 0 < b < end else None for b in res.median_ci)
        n = study.arm(arm_id).n
        extra: list[tuple[float, float]] = []
        for _ in range(2):
            grid = _grid(end, [t for t, _ in p + extra])
            surv = survival_through_points(sorted(p + extra), grid)
            span = follow_span
            if span <= 0 and res.events is not None:  # censoring as the events imply
                span = _span_for_events(SummaryCurve("", grid, surv, end), n, res.events, dropout)
            variance = greenwood_variance(grid, surv, n, span, end, dropout=dropout)
            extra, said = median_ci_points(p, (lo, hi), grid, variance)
        pts[arm_id] = sorted(p + extra)
        outside = [b for b in res.median_ci if b is not None and not 0 < b < end]
        notes[arm_id] = [
            *said,
            *(f"the median's CI bound {b:g} lies outside the follow-up: not used" for b in outside),
        ]
    return notes


_END_BEFORE_NR = "before an arm whose median was not reached would reach 0.5"


def _hr_used(used: float | None, published: float | None) -> str:
    """The HR curves are built with, in words: the published one, or the calibrated one
    beside it (the HR calibration of :mod:`mmsurv._reconstruct` builds with another)."""
    if used == published:
        return f"HR {published:g}"
    return f"HR {used:.4g} (calibrated to meet the published {published:g} in the data)"


def summary_curves(
    study,
    endpoint: str,
    *,
    hr_informed: bool = True,
    hr: float | None = None,
    tilt: float = 0.0,
    common_tilt: float = 0.0,
    _end: float | None = None,
    _end_why: str = "",
) -> dict[str, SummaryCurve]:
    """A survival curve for each arm of an endpoint from its reported numbers.

    Parameters
    ----------
    study : Study
    endpoint : str
    hr_informed : bool, default True
        Use the reported HR to shape arms that report a median only (Weibull with a
        common shape) or nothing (proportional hazards to the other arm). With False,
        each arm uses its own numbers only, so the HR of the reconstruction is a check
        of the published one.
    hr : float, optional
        The HR to build the curves with, in place of the published one (the
        reconstruction calibrates it so that the Cox HR of its integer data meets the
        published value).
    tilt : float, default 0
        For arms whose curve is fixed by their own points: the shape of every stretch
        between points is ``exp(tilt)`` in the treatment arm and ``exp(-tilt)`` in the
        reference arm (see :func:`survival_through_points`), every point still holding, and
        the centre of the prior of the hazard after the last point is multiplied by the
        inverse (``tail_scale``, see :func:`tail_for_events`). The reconstruction
        calibrates it so that the Cox HR meets the published one.
    common_tilt : float, default 0
        Added to the log shape of every such arm, treatment and reference alike: the
        shape the points leave open and the HR does not fix (drawn by
        :mod:`mmsurv.draws`; the shape is then ``exp(common_tilt +- tilt)``).

    Returns
    -------
    dict of str to SummaryCurve
        By arm id, for every arm of the study that reports anything for the endpoint.

    Raises
    ------
    InputError
        When an arm's numbers contradict each other (a landmark above an earlier one),
        or an arm has nothing to build a curve from.
    """
    ep = study.endpoint(endpoint)
    where = f"endpoints.{endpoint}"
    comp = ep.comparison
    target_hr = None if comp is None else (hr if hr is not None else comp.hr)
    pts = {arm_id: _points(res) for arm_id, res in ep.arms.items()}
    for arm_id, p in pts.items():
        _check_points(p, arm_id, where)
    reported_times = [t for p in pts.values() for t, _ in p]
    event_free, point_notes = {}, {}
    for arm_id, p in pts.items():
        event_free[arm_id], pts[arm_id], point_notes[arm_id] = _shape_points(p)
    followed = _last_at_risk(ep)
    digitized = max((max(res.curve.time) for res in ep.arms.values() if res.curve), default=None)
    end, assumptions, stretched = _curve_end(
        ep.follow_up, followed, digitized, _end, _end_why, reported_times, where
    )
    if followed is None and (ep.follow_up is None or ep.follow_up.max is None):
        followed = digitized  # the last click of a digitized curve: the follow-up seen
    _check_within(pts, end, where)
    ci_notes = _add_median_ci_points(study, ep, pts, end)
    weibull = None
    if hr_informed and comp is not None and target_hr is not None:
        weibull = _common_weibull(ep, comp, pts, event_free, target_hr, assumptions)
    curves: dict[str, SummaryCurve] = {}
    for arm_id, p in pts.items():
        if not p and weibull is None:
            continue
        own = [*assumptions, *point_notes[arm_id], *ci_notes.get(arm_id, ())]
        curves[arm_id] = _own_curve(
            ep, arm_id, p, end, own, delay=event_free[arm_id], weibull=weibull,
            target_hr=target_hr, tilt=tilt, common_tilt=common_tilt,
            hr_informed=hr_informed, where=where,
        )  # fmt: skip
    if hr_informed and comp is not None and target_hr is not None:
        _through_hr(
            study, ep, comp, curves, end, assumptions, followed, target_hr,
            event_free=event_free, notes=point_notes,
        )  # fmt: skip
    if _end is None and (ep.follow_up is None or ep.follow_up.max is None):
        restart = _new_end(study, ep, curves, reported_times, stretched)
        if restart is not None:
            return summary_curves(
                study,
                endpoint,
                hr_informed=hr_informed,
                hr=hr,
                tilt=tilt,
                common_tilt=common_tilt,
                _end=restart[0],
                _end_why=restart[1],
            )
    _fill_from_events(
        study, ep, curves, end, assumptions, followed, event_free=event_free, notes=point_notes
    )
    missing = [a for a, res in ep.arms.items() if a not in curves and res.curve is None]
    if missing and event_free.get(missing[0]):
        raise InputError(
            f"survival 1 at {event_free[missing[0]]:g} says only that no event happened "
            "before it: a median, a landmark below 1, events with a follow-up, or the HR "
            "and the other arm's curve are needed to build what follows",
            field=f"{where}.arms.{missing[0]}",
        )
    if missing:
        raise InputError(
            "no point of this arm's curve is reported (a median reached, or a landmark "
            "rate), no other arm has one to lend its shape through the HR, and no events "
            "with a follow-up to fit a constant hazard to",
            field=f"{where}.arms.{missing[0]}",
        )
    return curves


def _curve_end(
    follow: FollowUp | None,
    followed: float | None,
    digitized: float | None,
    end: float | None,
    why: str,
    reported: list[float],
    where: str,
) -> tuple[float, list[str], bool]:
    """Where the curves end, the assumption said when the longest follow-up is not
    reported, and whether the end is only 1.5 times the last reported time. Without a
    reported longest follow-up: the last time at risk in a published table, the last
    click of the digitized curves, an end the curves are built again with (``end``, for
    the reason ``why``), a multiple of the median follow-up, or 1.5 times the last
    reported time."""
    if follow is not None and follow.max is not None:
        return float(follow.max), [], False
    if followed is not None:
        return followed, [
            f"longest follow-up not reported: taken as {followed:g}, the last time with "
            "patients at risk in the published table"
        ], False  # fmt: skip
    if digitized is not None:
        return digitized, [
            f"longest follow-up not reported: taken as {digitized:g}, the last click of the "
            "digitized curves"
        ], False  # fmt: skip
    if end is not None:
        return end, [f"longest follow-up not reported: curves end at {end:.3g}, {why}"], False
    if follow is not None and follow.median is not None:
        by_median = END_PER_MEDIAN_FOLLOW_UP * float(follow.median)
        end = max(by_median, 1.5 * max(reported, default=0.0))
        return end, [
            f"longest follow-up not reported: taken as {end:.3g}, the larger of "
            f"{END_PER_MEDIAN_FOLLOW_UP:.3g} times the median follow-up (accrual over the "
            "first half of the study period) and 1.5 times the last reported time"
        ], False  # fmt: skip
    if reported:
        end = 1.5 * max(reported)
        return end, [
            f"longest follow-up not reported: curves extended to {end:g} "
            f"(1.5 times the last reported time)"
        ], True  # fmt: skip
    raise InputError("no median, landmark or follow-up to build a curve from", field=where)


def _check_within(pts: dict[str, list[tuple[float, float]]], end: float, where: str) -> None:
    """No reported time lies after the end of the curves."""
    for arm_id, p in pts.items():
        late = [t for t, _ in p if t > end]
        if late:
            raise InputError(
                f"a reported time ({late[0]:g}) lies after the longest follow-up ({end:g})",
                field=f"{where}.arms.{arm_id}",
            )


def _common_weibull(
    ep: Endpoint,
    comp: Comparison,
    pts: dict[str, list[tuple[float, float]]],
    event_free: dict[str, float],
    target_hr: float,
    assumptions: list[str],
) -> float | None:
    """The common Weibull shape of two arms that report a median each and nothing else
    (no time without events either), under proportional hazards with ``target_hr``
    (None otherwise; when no shape fits, the assumption says so)."""
    m_t = ep.arms[comp.treatment].median_value if comp.treatment in ep.arms else None
    m_r = ep.arms[comp.reference].median_value if comp.reference in ep.arms else None
    single = all(
        len(pts.get(a, [])) == 1 and not event_free.get(a) for a in (comp.treatment, comp.reference)
    )
    if not (single and m_t and m_r):
        return None
    k = weibull_common_shape(m_t, m_r, target_hr)
    if k is None:
        assumptions.append(
            f"the medians ({m_t:g} vs {m_r:g}) and {_hr_used(target_hr, comp.hr)} cannot "
            "all hold under proportional hazards: each arm exponential through its median"
        )
    return k


def _own_curve(
    ep: Endpoint,
    arm_id: str,
    p: list[tuple[float, float]],
    end: float,
    own: list[str],
    *,
    delay: float,
    weibull: float | None,
    target_hr: float | None,
    tilt: float,
    common_tilt: float = 0.0,
    hr_informed: bool,
    where: str,
) -> SummaryCurve:
    """An arm's curve through its own points: the common Weibull, or the log-hazard
    spline (exponential through a single point), tilted by ``tilt`` for calibration,
    flat to ``delay`` (the time without events reported)."""
    comp = ep.comparison
    grid = _grid(end, [delay, *(t for t, _ in p)])
    shape = 1.0  # the HR calibration's tilt of a curve fixed by its own points
    if weibull is not None:
        m = p[0][0]
        with np.errstate(over="ignore"):  # an infinite cumulative hazard is S = 0
            surv = np.exp(-math.log(2.0) * (grid / m) ** weibull)
        family = "weibull (common shape)"
        own.append(
            f"Weibull curves with a common shape {weibull:.3g}: both medians hold and, "
            f"under proportional hazards, the "
            f"{_hr_used(target_hr, None if comp is None else comp.hr)}"
        )
        if not PLAUSIBLE_SHAPE[0] <= weibull <= PLAUSIBLE_SHAPE[1]:
            own.append(
                f"a Weibull shape of {weibull:.3g} is outside {PLAUSIBLE_SHAPE[0]:g}-"
                f"{PLAUSIBLE_SHAPE[1]:g}, rare for survival data: the medians and the HR "
                "may not fit proportional hazards, and the curves' shape is an assumption"
            )
    else:
        log_shape = common_tilt
        if comp is not None and tilt:
            log_shape += tilt if arm_id == comp.treatment else -tilt
        shape = math.exp(log_shape)
        shifted = [(t - delay, s) for t, s in p]  # the curve starts falling at delay
        tail = _tail_hazard(shifted, end - delay, not_reached=ep.arms[arm_id].median == "NR")
        if tail is not None:
            own.append(
                "median reported not reached: hazard after the last reported point "
                "lowered so that survival stays above 0.5 to the end of follow-up"
            )
        surv = survival_through_points(
            shifted, np.maximum(grid - delay, 0.0), shape=shape, tail_hazard=tail
        )
        family = "log-hazard spline" if len(p) > 1 else "exponential"
        own.append(
            "log cumulative hazard a monotone cubic in log time through the reported "
            "points (Royston-Parmar), Weibull before the first one"
            if len(p) > 1
            else "exponential curve through the only reported point"
        )
        if shape != 1.0:
            own.append(
                f"hazard within each stretch shaped as u^{shape:.3g} (every reported point "
                f"kept) and the prior of the hazard after the last one scaled by "
                f"{1 / shape:.3g}"
                + (
                    " (a drawn shape)"
                    if common_tilt
                    else " to bring the Cox HR to the published one"
                )
            )
        elif not hr_informed:
            own.append("HR-blind: the HR is not used")
    curve = SummaryCurve(
        family,
        grid,
        surv,
        end,
        tuple(p),
        tuple(own),
        uses_hr=weibull is not None,
        tail_scale=1.0 / shape,
    )
    if weibull is None and ep.arms[arm_id].median == "NR" and curve.survival[-1] <= 0.5:
        raise InputError(
            "the median is reported not reached, yet the reported points put survival "
            f"at or below 0.5 before the end of follow-up ({end:g})",
            field=f"{where}.arms.{arm_id}",
        )
    return curve


def _through_hr(
    study: Study,
    ep: Endpoint,
    comp: Comparison,
    curves: dict[str, SummaryCurve],
    end: float,
    assumptions: list[str],
    followed: float | None,
    target_hr: float,
    *,
    event_free: dict[str, float],
    notes: dict[str, list[str]],
) -> None:
    """An arm of the comparison with no point of its own: proportional hazards to the
    other arm with ``target_hr`` (when neither has a point, the reference arm is first
    built from its events, from its time without events on: ``event_free`` and the
    sentences of ``notes``, by arm id)."""
    if comp.treatment not in curves and comp.reference not in curves:
        # neither arm has a point: the reference from its events, the other through
        # the HR
        _fill_from_events(
            study,
            ep,
            curves,
            end,
            assumptions,
            followed,
            [comp.reference],
            event_free=event_free,
            notes=notes,
        )
    for arm_id, other, power in (
        (comp.treatment, comp.reference, target_hr),
        (comp.reference, comp.treatment, 1.0 / target_hr),
    ):
        if arm_id not in curves and other in curves and arm_id in ep.arms:
            base = curves[other]
            curves[arm_id] = SummaryCurve(
                f"proportional hazards to {other}",
                base.time,
                base.survival**power,
                base.end,
                (),
                (
                    *assumptions,
                    f"no median or landmark reported: proportional hazards to {other} "
                    f"with {_hr_used(target_hr, comp.hr)}",
                ),
                uses_hr=True,
            )


def _earlier_end(
    ep: Endpoint, curves: dict[str, SummaryCurve], reported: list[float]
) -> float | None:
    """Without a reported longest follow-up: an end just before the first curve whose
    median is reported not reached crosses 0.5 (None when none does, after the last
    reported time)."""
    crossings = [
        float(c.time[np.argmax(c.survival <= 0.5)])
        for a, c in curves.items()
        if ep.arms[a].median == "NR" and c.survival[-1] <= 0.5
    ]
    floor = max(reported, default=0.0)
    if crossings and 0.99 * min(crossings) > floor:
        return 0.99 * min(crossings)
    return None


def _new_end(
    study: Study,
    ep: Endpoint,
    curves: dict[str, SummaryCurve],
    reported: list[float],
    stretched: bool,
) -> tuple[float, str] | None:
    """Without a reported longest follow-up: the end to build the curves again with, and
    why. One restart serves both reasons to move the end: earlier, before a median
    reported not reached is crossed (:func:`_earlier_end`); or later, when the end was
    only stretched to 1.5 times the last reported time and the curves fall too little
    there for the reported events (:func:`_end_for_events`). None: the curves stay."""
    earlier = _earlier_end(ep, curves, reported)
    if earlier is not None:
        return earlier, _END_BEFORE_NR
    if stretched:
        later = _end_for_events(study, ep, curves)
        if later is not None:
            return later, "late enough for the reported events (no follow-up reported)"
    return None
