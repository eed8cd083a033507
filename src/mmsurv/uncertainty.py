"""Intervals over draws: how sure a reconstruction is of each number it gives.

For every reconstructed quantity -- medians, landmark rates, RMST and events per arm, the
Cox HR and the log-rank chi-square of the comparison -- :func:`draw_intervals` computes
its value in every draw of :func:`mmsurv.draws.reconstruct_draws` and the central
interval over the draws, beside the published value, the point reconstruction's and,
for the HR, the usual Cox CI of the point reconstruction. The two intervals answer
different questions: the draws' interval is *reconstruction* uncertainty (how far the
rebuilt data could be from the paper's patients, given what the paper reports), the
Cox CI is *sampling* uncertainty (how far the paper's patients could be from the
population).

A published number is out of line with the draws when its rounding interval
(:func:`mmsurv.printed.printed`) does not meet the draws' interval: a complement
to the fixed tolerances of :mod:`mmsurv.check`.

References
----------
Kaplan EL, Meier P. J Am Stat Assoc 1958;53:457-481 (medians, landmarks).
Royston P, Parmar MKB. Restricted mean survival time: an alternative to the hazard
ratio for the design and analysis of randomized trials with a time-to-event outcome.
BMC Med Res Methodol 2013;13:152 (RMST, the area under the Kaplan-Meier curve).
Mantel N. Evaluation of survival data and two new rank order statistics arising in its
consideration. Cancer Chemother Rep 1966;50:163-170 (log-rank).
Cox DR. J R Stat Soc B 1972;34:187-220 (HR, :func:`mmsurv.cox.cox_binary`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from ._guyot import ArmIPD
from .cox import cox_binary
from .draws import draw_arrays
from .errors import check_level
from .km import km_curve, median_time, pointwise_band, step_values
from .printed import printed
from .study import Study, load_study

__all__ = [
    "DrawIntervals",
    "IntervalRow",
    "central_interval",
    "draw_intervals",
    "draw_quantities",
    "km_band",
    "logrank_chi2",
    "rmst",
]


def rmst(time: np.ndarray, event: np.ndarray, horizon: float) -> float:
    """Restricted mean survival time: area under the Kaplan-Meier curve up to ``horizon``.

    Royston P, Parmar MKB. BMC Med Res Methodol 2013;13:152.

    >>> rmst(np.array([1.0, 2.0]), np.array([1, 1]), 2.0)
    1.5
    """
    km_t, km_s = km_curve(time, event)
    knots = np.concatenate([km_t[km_t < horizon], [horizon]])
    return float(np.sum(step_values(km_t, km_s, knots[:-1]) * np.diff(knots)))


def logrank_chi2(time: np.ndarray, event: np.ndarray, group: np.ndarray) -> float:
    """Log-rank chi-square (1 df) of ``group == 1`` vs ``group == 0``.

    Observed minus expected events of group 1 at each event time, with the
    hypergeometric variance (Mantel 1966). NaN without events.

    >>> t = np.array([1.0, 2, 3, 4]); e = np.array([1, 1, 1, 1]); g = np.array([1, 1, 0, 0])
    >>> round(logrank_chi2(t, e, g), 3)
    2.882
    """
    time = np.asarray(time, dtype=float)
    event = np.asarray(event).astype(bool)
    g = np.asarray(group).astype(bool)
    order = np.argsort(time, kind="stable")
    t, e, g = time[order], event[order], g[order]
    uniq, first = np.unique(t, return_index=True)
    n = (t.size - first).astype(float)
    n1 = np.cumsum(g[::-1])[::-1][first].astype(float)
    which = np.searchsorted(uniq, t[e])
    d = np.bincount(which, minlength=uniq.size).astype(float)
    d1 = np.bincount(which, g[e], minlength=uniq.size)
    keep = d > 0
    n, n1, d, d1 = n[keep], n1[keep], d[keep], d1[keep]
    expected = d * n1 / n
    with np.errstate(invalid="ignore", divide="ignore"):
        var = np.where(n > 1, d * (n1 / n) * (1 - n1 / n) * (n - d) / (n - 1), 0.0)
    total = float(var.sum())
    return float((d1.sum() - expected.sum()) ** 2 / total) if total > 0 else math.nan


def _median(arm: ArmIPD) -> float:
    value = median_time(*km_curve(arm.time, arm.event))
    return math.inf if value is None else value


def draw_quantities(
    sets: Sequence[Mapping[str, ArmIPD]],
    *,
    landmarks: Mapping[str, Sequence[float]] | None = None,
    comparison: tuple[str, str] | None = None,
    horizon: float | None = None,
) -> dict[tuple[str, str], np.ndarray]:
    """Every reconstructed quantity in every draw.

    Parameters
    ----------
    sets : sequence of mappings of arm id to ArmIPD
        One per draw (:func:`mmsurv.draws.draw_arrays`).
    landmarks : mapping of arm id to times, optional
        Landmark times per arm.
    comparison : (treatment, reference), optional
        For the Cox HR and the log-rank chi-square.
    horizon : float, optional
        RMST horizon; default the earliest last time of an arm in draw 0.

    Returns
    -------
    dict
        ``(quantity, arm)`` to an array over draws: ``median`` (inf when not reached),
        ``events``, ``rmst``, ``survival at T``; ``(hr, comparison)`` and
        ``(logrank chi2, comparison)`` with arm ``"treatment vs reference"``.
    """
    landmarks = landmarks or {}
    if horizon is None:
        horizon = min(float(arm.time.max()) for arm in sets[0].values())
    out: dict[tuple[str, str], list[float]] = {}
    for arms in sets:
        for arm_id, arm in arms.items():
            out.setdefault(("median", arm_id), []).append(_median(arm))
            out.setdefault(("events", arm_id), []).append(float(arm.event.sum()))
            out.setdefault(("rmst", arm_id), []).append(rmst(arm.time, arm.event, horizon))
            times = list(landmarks.get(arm_id, ()))
            if times:
                km_t, km_s = km_curve(arm.time, arm.event)
                values = step_values(km_t, km_s, np.asarray(times, dtype=float))
                for t, v in zip(times, values, strict=True):
                    out.setdefault((f"survival at {t:g}", arm_id), []).append(float(v))
        if comparison is not None:
            trt, ref = arms[comparison[0]], arms[comparison[1]]
            time = np.concatenate([trt.time, ref.time])
            event = np.concatenate([trt.event, ref.event])
            group = np.concatenate([np.ones(trt.time.size), np.zeros(ref.time.size)])
            label = f"{comparison[0]} vs {comparison[1]}"
            out.setdefault(("hr", label), []).append(math.exp(cox_binary(time, event, group)[0]))
            out.setdefault(("logrank chi2", label), []).append(logrank_chi2(time, event, group))
    return {key: np.asarray(values, dtype=float) for key, values in out.items()}


def central_interval(values: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    """The ``(1 - level) / 2`` and ``(1 + level) / 2`` quantiles, taken as draws (no
    interpolation, so that not-reached medians, infinite, stay infinite); NaN draws are
    left out."""
    finite = values[~np.isnan(values)]
    if not finite.size:
        return math.nan, math.nan
    tail = (1.0 - level) / 2.0
    lo, hi = np.quantile(finite, [tail, 1.0 - tail], method="inverted_cdf")
    return float(lo), float(hi)


def km_band(
    sets: Sequence[Mapping[str, ArmIPD]], arm: str, times: np.ndarray, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Pointwise central band of the draws' Kaplan-Meier curves of one arm.

    Parameters
    ----------
    sets : sequence of mappings of arm id to ArmIPD
        The draws (:func:`mmsurv.draws.draw_arrays`).
    arm : str
    times : numpy.ndarray
        Where to evaluate the curves (e.g. a fine grid for ``fill_between``).
    level : float, default 0.95

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Lower and upper survival at ``times``.
    """
    return pointwise_band(((s[arm].time, s[arm].event) for s in sets), times, level)


@dataclass(frozen=True)
class IntervalRow:
    """One quantity: published, point reconstruction, the draws' interval, and for the HR
    the Cox CI of the point reconstruction (sampling)."""

    quantity: str
    arm: str
    published: float | None
    point: float
    lo: float
    hi: float
    cox_lo: float | None = None
    cox_hi: float | None = None
    judged: bool = True

    @property
    def out_of_line(self) -> bool | None:
        """The published number's rounding interval misses the draws' interval (None
        when nothing is published, the interval is undefined or the draws cannot judge
        the number: ``judged`` False)."""
        if self.published is None or math.isnan(self.lo) or not self.judged:
            return None
        if math.isinf(self.published):
            return not math.isinf(self.hi)
        low, high = printed(self.published, -math.inf)
        return high < self.lo or low > self.hi


@dataclass(frozen=True)
class DrawIntervals:
    """Reconstruction-uncertainty intervals of an endpoint over ``draws`` draws."""

    study_id: str
    endpoint: str
    draws: int
    seed: int
    level: float
    rows: tuple[IntervalRow, ...]

    def table(self):
        """One row per quantity; ``NR`` medians are infinite."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "quantity": r.quantity,
                    "arm": r.arm,
                    "published": r.published,
                    "point": r.point,
                    "draws_lo": r.lo,
                    "draws_hi": r.hi,
                    "cox_ci_lo": r.cox_lo,
                    "cox_ci_hi": r.cox_hi,
                    "out_of_line": r.out_of_line,
                }
                for r in self.rows
            ]
        )

    def heading(self) -> str:
        """What the intervals are: reconstruction uncertainty, not sampling."""
        return (
            f"{self.endpoint}: {100 * self.level:g}% interval over {self.draws} draws "
            f"(seed {self.seed}) -- reconstruction uncertainty, not sampling error; "
            "the Cox CI beside the HR is sampling error of the point reconstruction"
        )

    def lines(self) -> list[str]:
        """The heading and one readable line per quantity."""

        def show(x: float | None) -> str:
            if x is None or (isinstance(x, float) and math.isnan(x)):
                return "-"
            return "NR" if math.isinf(x) else f"{x:.4g}"

        out = [self.heading()]
        for r in self.rows:
            text = (
                f"  {r.quantity:<18} {r.arm:<20} published {show(r.published):>7}  "
                f"point {show(r.point):>7}  draws [{show(r.lo)}, {show(r.hi)}]"
            )
            if r.cox_lo is not None:
                text += f"  Cox CI [{show(r.cox_lo)}, {show(r.cox_hi)}]"
            if r.out_of_line:
                text += "  published out of line with the draws"
            elif r.published is not None and not r.judged:
                text += "  not judged (a curve alone leaves the censoring open)"
            out.append(text)
        return out

    def __repr__(self) -> str:
        return "\n".join(self.lines())


def _published(study: Study, endpoint: str) -> dict[tuple[str, str], float | None]:
    ep = study.endpoint(endpoint)
    out: dict[tuple[str, str], float | None] = {}
    for arm_id, res in ep.arms.items():
        if res.median is not None:
            out[("median", arm_id)] = math.inf if res.median == "NR" else float(res.median)
        if res.events is not None:
            out[("events", arm_id)] = float(res.events)
        for t, lm in res.landmarks.items():
            out[(f"survival at {t:g}", arm_id)] = float(lm.survival)
    comp = ep.comparison
    if comp is not None:
        label = f"{comp.treatment} vs {comp.reference}"
        if comp.hr is not None:
            out[("hr", label)] = float(comp.hr)
        if comp.logrank_chi2 is not None:
            out[("logrank chi2", label)] = float(comp.logrank_chi2)
    return out


def draw_intervals(
    study: Study | str,
    endpoint: str,
    draws: int = 1000,
    *,
    seed: int = 0,
    hr_blind: bool = False,
    level: float = 0.95,
) -> DrawIntervals:
    """Published, point and draws' interval of every reconstructed quantity.

    Parameters
    ----------
    study : Study or str
    endpoint : str
    draws : int, default 1000
        Draws of :func:`mmsurv.draws.reconstruct_draws` (draw 0 the point).
    seed : int, default 0
    hr_blind : bool, default False
    level : float, default 0.95
        Central share of the draws the interval holds.

    Returns
    -------
    DrawIntervals

    Examples
    --------
    >>> from mmsurv.uncertainty import draw_intervals
    >>> result = draw_intervals("niu-2026-krd-vs-vrd", "PFS", draws=20, seed=1)
    >>> result.table().columns[:4].tolist()
    ['quantity', 'arm', 'published', 'point']
    """
    level = check_level(level, field="level")
    study = load_study(study)
    sets, _ = draw_arrays(study, endpoint, draws, seed=seed, hr_blind=hr_blind)
    ep = study.endpoint(endpoint)
    comp = ep.comparison
    pair = None
    if comp is not None and {comp.treatment, comp.reference} <= set(sets[0]):
        pair = (comp.treatment, comp.reference)
    values = draw_quantities(
        sets,
        landmarks={a: sorted(r.landmarks) for a, r in ep.arms.items()},
        comparison=pair,
    )
    published = _published(study, endpoint)
    # A curve alone (no table, events or marks) says nothing of the censoring before its
    # end: the point censors nobody (the most events the curve allows), the draws a
    # drawn mechanism, so the log-rank chi-square of the draws lies below the point's
    # and cannot judge a published one.
    alone = {
        arm_id
        for arm_id, res in ep.arms.items()
        if res.curve is not None
        and res.at_risk is None
        and res.events is None
        and res.censor_times is None
    }
    unjudged: set[tuple[str, str]] = set()
    if pair is not None and alone & set(pair):
        unjudged.add(("logrank chi2", f"{pair[0]} vs {pair[1]}"))
    rows = []
    for (quantity, arm), series in values.items():
        lo, hi = central_interval(series, level)
        cox: tuple[float | None, float | None] = (None, None)
        if quantity == "hr" and pair is not None:  # the HR is drawn only for a pair
            trt, ref = sets[0][pair[0]], sets[0][pair[1]]
            beta, se = cox_binary(
                np.concatenate([trt.time, ref.time]),
                np.concatenate([trt.event, ref.event]),
                np.concatenate([np.ones(trt.time.size), np.zeros(ref.time.size)]),
            )
            z = NormalDist().inv_cdf(0.5 + level / 2)
            cox = (math.exp(beta - z * se), math.exp(beta + z * se))
        rows.append(
            IntervalRow(
                quantity,
                arm,
                published.get((quantity, arm)),
                float(series[0]),
                lo,
                hi,
                *cox,
                judged=(quantity, arm) not in unjudged,
            )
        )
    return DrawIntervals(study.id, endpoint, len(sets), seed, level, tuple(rows))
