"""Individual patient data from a digitized Kaplan-Meier curve (Guyot et al. 2012).

Reference
---------
Guyot P, Ades AE, Ouwens MJ, Welton NJ. Enhanced secondary analysis of survival data:
reconstructing the data from published Kaplan-Meier survival curves. BMC Med Res
Methodol 2012;12:9. doi:10.1186/1471-2288-12-9

The model is the paper's. Between two times of the numbers-at-risk table, the
patients at risk leave by events, at the clicked drops of the curve, and by censoring;
the Kaplan-Meier product ``S_k / S_{k-1} = 1 - d_k / r_k`` ties the events ``d_k`` at
click ``k`` to the number at risk ``r_k``. As in the paper, the censoring of an interval
is set so that the number at risk at the next table time is reproduced; in the last
interval, which has no count at its end, it is set to meet the reported total of events,
or else to the average censoring rate of the earlier intervals. Without a table the
curve is one interval starting with ``n`` patients (the paper's cases 3 and 4).

What differs from the published pseudo-code, and why:

* **Censoring at a constant hazard within each interval, solved in closed form.** The
  paper spreads the censoring times of an interval uniformly and searches for their
  number by trial. With a censoring hazard ``mu`` the number at risk is
  ``r(t) = r_start S(t) / S_start exp(-mu (t - start))``, so ``mu`` that reproduces the
  next count at risk is a logarithm, and events and censorings of every click follow
  with array operations: no loop per click or per patient. Over the short intervals of
  an at-risk table this agrees with uniform spreading to first order; over a long last
  interval, or a whole curve without table, uniform spreading runs out of patients where
  survival is low, and a constant hazard does not.
* **The reconstruction's own Kaplan-Meier curve is tracked.** Each interval starts from
  the Kaplan-Meier value of the integer data rebuilt so far (the paper's ``KM.hat``),
  not from the curve, so events the table pushed across an interval boundary, by a
  digitizing error of a fraction of a tick, are made up in the next interval instead of
  being lost. The intervals are still computed together, as arrays: the recursion is
  solved as a fixed point (at most one pass per interval, usually a few).
* **Integer events by cumulative rounding.** Events are rounded on their running total
  within an interval, so the count never drifts by more than half an event from the
  continuous solution and the interval agrees exactly with the table.
* **Reported total events met with a table.** With the censoring of each interval fixed
  by the table, the paper can meet a reported total only in the last interval, and
  misses it when censoring was uneven. mmsurv then tilts the censoring hazard within
  the intervals, ``mu exp(tilt * (t - start) / width)`` (``tilt > 0``: later), with one
  tilt for all intervals, the closest to 0 (within 0.02) that meets the total; the trial
  tilts are computed together as rows of one array. The report gives the tilt and, when
  even the extremes cannot meet the total, by how many events it is missed.
* **Drops at the at-risk times.** A patient whose event falls exactly at a time of the
  table is counted at risk there, so a drop at a tick belongs to the interval it opens;
  a click a fraction of a tick early (or a drop just before a tick clicked late) puts it
  on the wrong side. The table decides: when an interval's drop asks for at least half
  an event more than the table lets leave it, even with no censoring, the last clicks
  within 1% of the time axis before its closing tick are moved onto the tick, as many
  as bring the two closest. When a reported total is still missed, or met only by
  placing events where the last interval's curve does not drop, clicks within 1% of a
  table time are moved onto it (or just before it) and the better reconstruction is
  kept. The report says so each time. Data in whole weeks, months or years put many
  drops on the ticks, where this matters most.
* **The reported total in the last interval.** After the last table time patients are
  censored as after uniform accrual with an administrative cut-off at the end of the
  curve, and the accrual span that gives the reported total is solved for exactly (the
  expected events are piecewise linear in its inverse), so the total is met whenever
  the curve allows it (at most ``n (1 - S_end)`` events). When it needs no event
  there, the censorings are spread evenly over the interval (accrual over its width),
  not put all at its start. Without a table, over the whole curve, neither that
  model nor the paper's (censorings spread evenly in time) fits every data set:
  administrative censoring after a long accrual is spread out, after a short one it
  comes late. Each is solved for the total, and their censoring
  survival functions are averaged; the expected events are linear in the censoring
  survival, so the average meets the total too (a hedge between the two, measured
  better than either alone on the validation below).
* **The end of the curve.** Nothing is clicked on a flat tail: when the at-risk table
  goes on after the last click with patients still at risk, the curve is taken as flat
  to the table's last such time. A known end of follow-up (``max_follow_up``) extends it
  the same way, and then the patients still at risk after the last table time are
  censored at that end, unless a reported total needs some censored earlier.
* **Small risk sets read off the drops.** With few patients at risk a drop tells how
  many were (``d`` events take the curve from ``S`` to ``S (1 - d / r)``). Where one
  patient's step is at least 1% of the axis, an interval's censorings (their number
  fixed by the table) are placed before the drops whose sizes they best explain, when
  that beats the constant-hazard placement by more than click error could. Then the
  integer events of each drop and the censorings before it are chosen together, the
  interval's leavers (and, with a reported total, its events) kept: a continuous
  model rounds an interval's expected events and can lose a drop (1.4 events rounded
  to 1) or censor patients before a drop that shows they were still at risk. The same
  reading applies after the last table time, and to the whole curve without a table,
  when a reported total fixes the events there.
* **Censor marks.** The ticks on a curve are censored patients. Read off the figure
  (``censor_times``), they place each interval's censorings (their number still set by
  the table or the total), tell the table how many of an interval's leavers were
  censored (so whether a drop clicked just before a tick belongs after it), and, with
  no count to set it, give the number censored. An interval's events are then shared
  among its drops again for the risk sets the marks leave, by the Kaplan-Meier relation
  the paper inverts.
* **Clicks with error in both coordinates** are ordered along the curve's staircase
  and made monotone by isotonic regression (see :func:`mmsurv.curves.clean_curve`),
  so reversed corners give a vertical step instead of a merged or moved drop.

Assumptions: censoring is non-informative; events happen only at clicked drops;
everyone still at risk at the end of the curve is censored there.

A reconstruction that cannot follow its curve (a table that reaches 0 at risk while
the curve still falls, a total far from the curve's drop) says so in its report, with
the largest gap between its Kaplan-Meier curve and the digitized one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from numpy.typing import ArrayLike

from .curves import (
    AtRiskTable,
    CleaningLog,
    as_at_risk,
    as_coordinates,
    check_at_risk,
    check_censor_times,
    clean_curve,
)
from .errors import InputError
from .km import km_curve, n_at_risk, step_difference, step_values
from .views import html_view

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ArmIPD", "ReconstructionReport", "guyot", "guyot_arrays"]

_EPS = 1e-12

METHODS = {
    "at_risk_events": "Guyot: numbers at risk and total events",
    "at_risk": "Guyot: numbers at risk",
    "events": "Guyot: total events only",
    "curve_only": "Guyot: curve only (no censoring before the last click)",
    "summaries": "synthesis from reported summaries",
}


@dataclass(frozen=True)
class ReconstructionReport:
    """How one arm was reconstructed and how close the result is to what was reported.

    Attributes
    ----------
    method : str
        Key of the case of Guyot et al. that applied: ``at_risk_events``, ``at_risk``,
        ``events`` or ``curve_only``.
    n : int
        Patients in the arm (rows of the IPD).
    events_reported, events_reconstructed : int or None, int
        Total events as reported and in the reconstruction.
    cleaning : CleaningLog
        What was done to the digitized clicks.
    interval_start, interval_end : numpy.ndarray
        Interval limits (times of the at-risk table, then the last click).
    n_risk_reported, n_risk_reconstructed : numpy.ndarray
        Numbers at risk at each interval start, as reported (NaN without a table) and
        in the reconstruction.
    interval_events, interval_censored : numpy.ndarray
        Events and censorings inside each interval; the patients censored at the last
        click are counted in the last interval.
    censoring_tilt : float
        Tilt of the censoring hazard within at-risk intervals (0 = constant; positive
        = censoring later in each interval), moved from 0 only to meet a reported total.
    max_abs_km_error, mean_abs_km_error : float
        Largest and time-averaged absolute difference between the Kaplan-Meier curve of
        the reconstruction and the cleaned digitized curve, over [0, last click].
    notes : tuple of str
        Assumptions made and warnings, one sentence each.
    arm : str or None
        Arm id, when known.
    constraints : tuple of Constraint
        Every number the study reports for the arm beside the reconstruction's value
        (filled by :func:`mmsurv.reconstruct`).
    """

    method: str
    n: int
    events_reported: int | None
    events_reconstructed: int
    cleaning: CleaningLog
    interval_start: np.ndarray
    interval_end: np.ndarray
    n_risk_reported: np.ndarray
    n_risk_reconstructed: np.ndarray
    interval_events: np.ndarray
    interval_censored: np.ndarray
    censoring_tilt: float
    max_abs_km_error: float
    mean_abs_km_error: float
    notes: tuple[str, ...] = ()
    arm: str | None = None
    constraints: tuple = ()

    @property
    def method_description(self) -> str:
        """The method in words."""
        return METHODS[self.method]

    @property
    def events_missed(self) -> int | None:
        """Reconstructed minus reported total events (None when none was reported)."""
        if self.events_reported is None:
            return None
        return self.events_reconstructed - self.events_reported

    def table(self) -> pd.DataFrame:
        """Per-interval events, censorings and numbers at risk as a DataFrame."""
        import pandas as pd

        return pd.DataFrame(
            {
                "start": self.interval_start,
                "end": self.interval_end,
                "n_risk_reported": self.n_risk_reported,
                "n_risk_reconstructed": self.n_risk_reconstructed,
                "events": self.interval_events,
                "censored": self.interval_censored,
            }
        )

    def summary(self) -> str:
        """One line: method, n, events reconstructed vs reported, max |dS|."""
        reported = (
            "none reported" if self.events_reported is None else f"reported {self.events_reported}"
        )
        who = f"{self.arm}: " if self.arm else ""
        return (
            f"{who}{self.method_description}; n = {self.n}; events {self.events_reconstructed} "
            f"({reported}); max |dS| = {self.max_abs_km_error:.4f}"
        )

    def input_lines(self) -> list[str]:
        """What was done to a digitized input, and what it could not give, one sentence each.

        The cleaning steps that changed the clicks and the notes of the reconstruction
        (a curve taken as flat to the table's end, clicks moved onto a table time, a curve
        the table and total cannot follow). Empty for an arm rebuilt from summaries, whose
        notes state the model's assumptions instead.
        """
        if self.method == "summaries":
            return []
        return [
            *(f"cleaning: {step}" for step in self.cleaning.steps()),
            *(f"note: {note}" for note in self.notes),
        ]

    def _repr_html_(self) -> str:
        lines = [
            *(f"cleaning: {step}" for step in self.cleaning.steps()),
            f"mean |dS| = {self.mean_abs_km_error:.4f}; censoring tilt {self.censoring_tilt:+.3g}",
            *(str(c) for c in self.constraints),
            *(f"note: {note}" for note in self.notes),
        ]
        return html_view(self.summary(), self.table(), lines)

    def __repr__(self) -> str:
        lines = [f"ReconstructionReport({self.summary()})"]
        lines += [f"  cleaning: {step}" for step in self.cleaning.steps()]
        lines.append(
            f"  mean |dS| = {self.mean_abs_km_error:.4f}; censoring tilt {self.censoring_tilt:+.3g}"
        )
        lines += [f"  {c}" for c in self.constraints]
        lines += [f"  note: {note}" for note in self.notes]
        return "\n".join(lines)


@dataclass(frozen=True)
class ArmIPD:
    """Reconstructed patients of one arm, as numpy arrays sorted by time."""

    time: np.ndarray
    event: np.ndarray


# --------------------------------------------------------------------------- core

_M_MAX = 1e6  # censoring hazard x interval length treated as "everyone censored at once"
_A_RANGE = (1e-9, 1e9)  # accrual spans (in interval widths) considered
_END = 1e-6
_TILT_MAX = 8.0
_TILT_COARSE = 17  # tilts tried together over [0, _TILT_MAX]: steps of 0.5
_TILT_FINE = 26  # then between the two coarse tilts that bracket the total: steps of 0.02
#: A drop tells the number at risk when one patient's step, the curve's level over the
#: number at risk, is at least this share of the survival axis: four times a careful
#: digitizer's click error (0.25% of the axis).
_STEP_SEEN = 0.01
#: Censorings are moved only when that explains the drops better than click error
#: could: by more than (2 x 0.25%)^2 of squared survival per drop.
_NOISE_GAIN = (2 * 0.0025) ** 2
_TICK_REACH = 0.01  # clicks this close to an at-risk time (share of the time axis) may cross it


@dataclass(frozen=True)
class _Segments:
    """Consecutive segments laid end to end along the last axis of an array.

    Segmented sums, running sums and shifts are whole-array operations, so every
    interval of a reconstruction (and every trial tilt, along the first axis) is
    processed at once.
    """

    starts: np.ndarray  # first element of each segment
    ends: np.ndarray  # last element of each segment
    seg: np.ndarray  # segment of each element

    @classmethod
    def of(cls, lengths: ArrayLike) -> _Segments:
        lengths = np.asarray(lengths, dtype=np.int64)
        ends = np.cumsum(lengths) - 1
        return cls(ends - lengths + 1, ends, np.repeat(np.arange(lengths.size), lengths))

    def running(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Running sums restarting at each segment, and each segment's total."""
        running = np.cumsum(x, axis=-1)
        before = running[..., self.ends]
        totals = before.copy()
        totals[..., 1:] -= before[..., :-1]
        before -= totals  # sum of the earlier segments
        running -= before[..., self.seg]
        return running, totals

    def steps(self, whole: np.ndarray) -> np.ndarray:
        """Increments of running sums that restart at each segment."""
        return whole - self.previous(whole, 0)

    def previous(self, x: np.ndarray, first: float | np.ndarray) -> np.ndarray:
        """Each element's predecessor in its segment; ``first`` (per segment) at the start."""
        out = np.empty_like(x)
        out[..., 1:] = x[..., :-1]
        out[..., self.starts] = first
        return out

    def following(self, x: np.ndarray, last: float | np.ndarray) -> np.ndarray:
        """Each element's successor in its segment; ``last`` (per segment) at the end."""
        out = np.empty_like(x)
        out[..., :-1] = x[..., 1:]
        out[..., self.ends] = last
        return out


@dataclass(frozen=True)
class _Grid:
    """Clicks plus one pseudo-click (no drop) at each table time after 0.

    Interval ``i`` holds the points ``first[i]`` to ``first[i + 1] - 1``, never none:
    the click at time 0 or the pseudo-click at its table time comes first.
    """

    time: np.ndarray
    surv: np.ndarray
    first: np.ndarray
    lo: np.ndarray  # interval limits
    width: np.ndarray
    tau: np.ndarray  # position of each point within its interval, 0..1

    inner: _Segments  # layout of the points of every interval but the last


def _build_grid(t: np.ndarray, s: np.ndarray, risk_t: np.ndarray) -> _Grid:
    inner = risk_t[1:]
    left = s[np.searchsorted(t, inner, side="left") - 1]  # S just before each table time
    times = np.concatenate([t, inner])
    surv = np.concatenate([s, left])
    real = np.concatenate([np.ones(t.size, bool), np.zeros(inner.size, bool)])
    order = np.lexsort((real, times))  # pseudo-click first among equal times
    times, surv = times[order], surv[order]
    interval = np.searchsorted(risk_t, times, side="right") - 1
    first = np.searchsorted(interval, np.arange(risk_t.size + 1), side="left")
    lo = risk_t.astype(float)
    width = np.maximum(np.concatenate([inner, [t[-1]]]) - lo, _EPS)
    tau = np.clip((times - lo[interval]) / width[interval], 0.0, 1.0)
    inner_segments = _Segments.of(np.diff(first[:-1]))
    return _Grid(times, surv, first, lo, width, tau, inner_segments)


def _phi(tau: np.ndarray | float, tilt: np.ndarray | float) -> np.ndarray:
    """Cumulative censoring hazard shape on [0, 1]: hazard proportional to exp(tilt * tau)."""
    tilt = np.asarray(tilt, dtype=float)
    flat = np.abs(tilt) < 1e-9
    safe = np.where(flat, 1.0, tilt)
    return np.where(flat, tau, np.expm1(safe * tau) / safe)


def _phi_inverse(value: np.ndarray, tilt: float) -> np.ndarray:
    if abs(tilt) < 1e-9:
        return value
    return np.log1p(np.maximum(tilt * value, -1 + 1e-15)) / tilt


def _relative(surv: np.ndarray, km_start: np.ndarray | float) -> np.ndarray:
    """S(t) / KM_reconstructed(start), capped at 1 (0 once the reconstruction hit 0)."""
    km_start = np.asarray(km_start, dtype=float)
    out = np.minimum(surv / np.maximum(km_start, _EPS), 1.0)
    if (km_start <= _EPS).any():
        out = np.where(km_start > _EPS, out, 0.0)
    return out


def _events_range(n_start: int, srel: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Fewest (all censored at the start) and most (no censoring) events in an interval."""
    return n_start * (1.0 - srel[..., 0]), n_start * (1.0 - srel[..., -1])


class _Censoring(Protocol):
    """A censoring model of an interval: the share ``G(tau)`` not yet censored at each
    position ``tau`` (0..1) in it, and the positions where ``G`` reaches given levels."""

    def survival(self, tau: np.ndarray) -> np.ndarray: ...

    def inverse(self, g: np.ndarray) -> np.ndarray: ...


@dataclass(frozen=True)
class _Hazard:
    """Censoring at a constant hazard ``m / width`` within an interval (``m = 0``: none)."""

    m: float

    def survival(self, tau: np.ndarray) -> np.ndarray:
        return np.exp(-self.m * tau)

    def inverse(self, g: np.ndarray) -> np.ndarray:
        return -np.log(g) / max(self.m, _EPS)


@dataclass(frozen=True)
class _Accrual:
    """Administrative censoring after uniform accrual.

    The follow-up still available to the patients at risk at the start of the interval is
    uniform over ``a`` interval widths, ending at the end of the curve, with a share
    ``floor`` followed to the end: ``G(tau) = min(1, (1 + _END - tau) / a + floor)``
    (the tiny ``_END`` lets events clicked at the very end count). Small
    ``a``: censoring just before the end; ``a > 1``: some patients censored at the start
    (accrued just before the data cut-off). The floor keeps about one patient at risk at
    the end, as on a real curve, so the last events do not fall on an empty risk set.
    """

    a: float
    floor: float = 0.0

    def survival(self, tau: np.ndarray) -> np.ndarray:
        return np.minimum(1.0, (1.0 + _END - tau) / self.a + self.floor)

    def inverse(self, g: np.ndarray) -> np.ndarray:
        return 1.0 + _END - (g - self.floor) * self.a


@dataclass(frozen=True)
class _EvenCount:
    """Censorings spread evenly in time over an interval, as Guyot et al. (2012) spread
    them, written as a censoring survival ``G(tau) = max(0, 1 - k I(tau))`` with
    ``I(tau)`` the integral of ``1 / S_rel`` from 0: the censoring hazard is then
    inversely proportional to the number at risk, so the same number is censored in
    every stretch of equal length, whatever the curve does."""

    k: float
    tau: np.ndarray  # the interval's points and its end, non-decreasing
    integral: np.ndarray  # I at those times

    @classmethod
    def over(cls, tau: np.ndarray, srel: np.ndarray, k: float = 0.0) -> _EvenCount:
        knots = np.append(tau, 1.0)
        slope = 1.0 / np.maximum(srel, 1e-9)
        integral = np.concatenate([[0.0], np.cumsum(np.diff(knots) * slope)])
        return cls(k, knots, integral)

    def survival(self, tau: np.ndarray) -> np.ndarray:
        return np.maximum(1.0 - self.k * np.interp(tau, self.tau, self.integral), 0.0)

    def inverse(self, g: np.ndarray) -> np.ndarray:
        target = (1.0 - g) / max(self.k, _EPS)
        return np.interp(target, self.integral, self.tau)


@dataclass(frozen=True)
class _Blend:
    """The average of two censoring models that each give the same expected events.

    The expected events are linear in the censoring survival, so the average gives them
    too; it hedges between censoring late (accrual) and spread out (even counts).
    """

    first: _Censoring
    second: _Censoring

    def survival(self, tau: np.ndarray) -> np.ndarray:
        return 0.5 * (self.first.survival(tau) + self.second.survival(tau))

    def inverse(self, g: np.ndarray) -> np.ndarray:
        grid = np.linspace(0.0, 1.0, 4097)
        level = self.survival(grid)
        return np.interp(-np.asarray(g), -level, grid)


@dataclass(frozen=True)
class _Marked:
    """Censorings at the censor marks read off a figure, one patient each.

    With ``r(tau) = n S_rel(tau) G(tau)`` patients at risk, a patient censored at a mark
    ``c`` lowers ``G`` by ``1 / (n S_rel(c))``, so ``G(tau) = max(0, 1 - sum w_c)`` over
    the marks before ``tau`` (a mark at a drop is censored after its events, the
    Kaplan-Meier convention). The expected censorings are then one per mark.
    """

    knots: np.ndarray  # positions of the marks in the interval (0..1), sorted
    weight: np.ndarray  # cumulative w_c

    @classmethod
    def over(cls, last: _Slice, knots: np.ndarray) -> _Marked:
        srel = last.srel[np.maximum(np.searchsorted(last.tau, knots, side="right") - 1, 0)]
        w = 1.0 / (last.n_start * np.maximum(srel, 1e-9))
        return cls(knots, np.cumsum(w))

    def survival(self, tau: np.ndarray) -> np.ndarray:
        before = np.searchsorted(self.knots, tau, side="left")
        gone = np.concatenate([[0.0], self.weight])[before]
        return np.maximum(1.0 - gone, 0.0)

    def inverse(self, g: np.ndarray) -> np.ndarray:
        j = np.searchsorted(self.weight, 1.0 - np.asarray(g) - 1e-12, side="left")
        return self.knots[np.minimum(j, self.knots.size - 1)]


def _whole_events(
    running: np.ndarray,
    s: np.ndarray,
    total: np.ndarray,
    segs: _Segments,
    quantiles: bool,
    nearest: bool = False,
) -> np.ndarray:
    """Running integer events: each segment's continuous running events rounded, scaled
    first to its integer total when that is not the continuous total (``s``) rounded.

    Rounding to the nearest whole event follows a digitized curve most closely (with
    ``nearest``, used for the last interval, the running events are rounded as they are
    whenever the integer total allows it; the intervals of a table keep the scaled
    rounding, measured the better there); with
    ``quantiles`` the running sum is rounded down instead, so the k-th event falls where
    the curve has lost k patients (the median then sits where the curve crosses 0.5). A
    segment without any continuous events gets its total at its last point.
    """
    total = np.maximum(total, 0)
    empty = s <= _EPS
    scale = np.zeros(s.shape)
    np.divide(total, s, out=scale, where=~empty)
    scaled = running * scale[..., segs.seg]
    if quantiles:
        plain = np.minimum(np.floor(running + 1e-9), total[..., segs.seg])
        fits = (total <= s + 1e-9)[..., segs.seg]
        whole = np.where(fits, plain, np.floor(scaled + 1e-9))
    elif nearest:
        # when the integer total is the continuous one rounded, the running events
        # rounded as they are follow the curve most closely; otherwise spread the
        # difference along the segment
        same = (np.rint(s) == total)[..., segs.seg]
        whole = np.where(same, np.minimum(np.rint(running), total[..., segs.seg]), np.rint(scaled))
    else:
        whole = np.rint(scaled)
    if empty.any():
        whole = np.where(empty[..., segs.seg], 0.0, whole)
        whole[..., segs.ends] = np.where(empty, total, whole[..., segs.ends])
    return whole


def _whole_censored(
    running: np.ndarray,
    s: np.ndarray,
    count: np.ndarray,
    at_start: np.ndarray | None,
    segs: _Segments,
) -> tuple[np.ndarray, np.ndarray]:
    """Running integer censorings of each segment, ending at its ``count``.

    ``running`` is the expected censoring accumulated over the gaps after the points
    (``s`` its total) and ``at_start`` the expected censoring at the very start (None:
    none). Returns the count censored at the start and the running counts (the start
    ones included), rounding the running total of the censoring distribution; a segment
    without censoring mass gets its count at the start.
    """
    total = s if at_start is None else s + at_start
    live = (count > 0) & (total > _EPS)
    scale = np.zeros(total.shape)
    np.divide(count, total, out=scale, where=live)
    if at_start is None:
        start = np.zeros(total.shape)
    else:
        running = running + at_start[..., segs.seg]
        start = np.rint(at_start * scale)
    whole = np.rint(running * scale[..., segs.seg])
    if not live.all():
        whole = np.where(live[..., segs.seg], whole, count[..., segs.seg])
        start = np.where(live, start, count)
    return start.astype(np.int64), whole


def _spread(
    counts: np.ndarray,
    tau: np.ndarray,
    tau_next: np.ndarray,
    g: np.ndarray,
    g_next: np.ndarray,
    inverse: Callable[[np.ndarray, np.ndarray], np.ndarray],
) -> np.ndarray:
    """Positions (0..1 in the interval) of ``counts[k]`` censorings within gap k.

    They sit at the quantiles of the censoring distribution ``g`` over the gap;
    ``inverse(level, k)`` maps censoring survival back to a position.
    """
    idx = np.repeat(np.arange(counts.size), counts)
    first = np.cumsum(counts) - counts
    frac = (np.arange(idx.size) - first[idx] + 0.5) / counts[idx]
    level = np.clip(g[idx] - frac * (g[idx] - g_next[idx]), 1e-300, 1.0)
    return np.clip(inverse(level, idx), tau[idx], tau_next[idx])


def _km_factors(
    n_start: np.ndarray, events: np.ndarray, gone_before: np.ndarray, segs: _Segments
) -> np.ndarray:
    """KM of the integer reconstruction over each interval (ratio end / start).

    ``gone_before[k]``: patients of the interval who left before the events at point k.
    """
    at_risk = n_start[segs.seg] - gone_before
    # a point without events has the factor 1 exactly (0 / r = 0), as the cap gives it
    factor = np.minimum(np.maximum(1.0 - events / np.maximum(at_risk, 1), 0.0), 1.0)
    return np.multiply.reduceat(factor, segs.starts, axis=-1)


@dataclass(frozen=True)
class _Inner:
    """The intervals before the last, reconstructed for each trial tilt (first axis).

    Their censoring is fixed by the table: a hazard ``m exp(tilt tau) / width`` that
    leaves the next count at risk.
    """

    tilt: np.ndarray  # (tilts,)
    m: np.ndarray  # (tilts, intervals)
    g: np.ndarray  # censoring survival at each point, (tilts, points)
    g_end: np.ndarray  # ... at the end of each interval, (tilts, intervals)
    events: np.ndarray  # integer events at each point
    censored: np.ndarray  # integer censorings in the gap after each point
    interval_events: np.ndarray  # (tilts, intervals)
    km_start: np.ndarray  # KM of the reconstruction at the start of each interval
    km_last: np.ndarray  # ... and of the last interval

    def row(self, k: int) -> _Inner:
        k %= self.tilt.size
        return _Inner(*(field[k : k + 1] for field in vars(self).values()))


def _inner(
    grid: _Grid,
    n_risk: np.ndarray,
    tilts: np.ndarray,
    quantiles: bool,
    guess: np.ndarray | None = None,
) -> _Inner:
    """Every interval but the last, for several tilts at once.

    Each interval starts from the Kaplan-Meier value the reconstruction reached, which
    depends on the integer events before it. That recursion is solved as a fixed point:
    all intervals are computed from a guess of their starting values (the curve), the
    guess is replaced by the product of the intervals' own factors, and so on. After
    ``j`` passes the first ``j + 1`` starting values are exact, so at most one pass per
    interval is needed. ``guess`` (the starting values found for a nearby tilt) saves
    passes.
    """
    count = n_risk.size - 1
    segs = grid.inner
    points = int(grid.first[count])
    tilts = np.asarray(tilts, dtype=float)
    shape = (tilts.size, count)
    if count == 0:
        none = np.zeros((tilts.size, 0))
        ints = none.astype(np.int64)
        return _Inner(tilts, none, none, none, ints, ints, ints, none, np.ones(tilts.size))
    surv = grid.surv[:points]
    n_start = n_risk[:-1].astype(float)
    n_point = n_start[segs.seg]
    leave = n_risk[:-1] - n_risk[1:]
    target = np.maximum(n_risk[1:], 0.5)
    minus_phi = -_phi(grid.tau[:points], tilts[:, None])
    phi_end = _phi(1.0, tilts[:, None])
    flows = np.empty((2, tilts.size, points))
    km = np.broadcast_to(grid.surv[grid.first[:count]] if guess is None else guess, shape).copy()
    km[:, 0] = 1.0
    for _ in range(count):
        srel = _relative(surv, km[:, segs.seg])
        reach = n_start * srel[:, segs.ends]
        m = np.minimum(np.log(np.maximum(reach, target) / target) / phi_end, _M_MAX)
        g = np.exp(m[:, segs.seg] * minus_phi)
        g_end = np.exp(-m * phi_end)
        # continuous events at each point and expected censoring in the gap after it
        np.multiply(n_point * g, segs.previous(srel, 1.0) - srel, out=flows[0])
        np.multiply(n_point * srel, np.maximum(g - segs.following(g, g_end), 0.0), out=flows[1])
        running, totals = segs.running(flows)
        n_ev = np.minimum(np.maximum(np.rint(totals[0]), 0), leave).astype(np.int64)
        whole_events = _whole_events(running[0], totals[0], n_ev, segs, quantiles)
        _, whole_censored = _whole_censored(running[1], totals[1], leave - n_ev, None, segs)
        events = segs.steps(whole_events).astype(np.int64)
        gone_before = segs.previous(whole_events + whole_censored, 0.0)
        reached = np.cumprod(_km_factors(n_start, events, gone_before, segs), axis=1)
        settled = bool((km[:, 1:] == reached[:, :-1]).all())
        km[:, 1:] = reached[:, :-1]
        if settled:
            break
    censored = segs.steps(whole_censored).astype(np.int64)
    return _Inner(tilts, m, g, g_end, events, censored, n_ev, km, reached[:, -1])


def _inner_censor_times(grid: _Grid, inner: _Inner) -> np.ndarray:
    """Censoring times within the intervals before the last (one tilt)."""
    count = inner.m.shape[1]
    if count == 0:
        return np.zeros(0)
    segs = grid.inner
    tau = grid.tau[: segs.seg.size]
    m, tilt = inner.m[0], float(inner.tilt[0])
    g = inner.g[0]

    def inverse(level: np.ndarray, idx: np.ndarray) -> np.ndarray:
        return _phi_inverse(-np.log(level) / np.maximum(m[segs.seg[idx]], _EPS), tilt)

    counts = inner.censored[0]
    pos = _spread(
        counts, tau, segs.following(tau, 1.0), g, segs.following(g, inner.g_end[0]), inverse
    )
    which = np.repeat(segs.seg, counts)
    return grid.lo[which] + grid.width[which] * pos


@dataclass
class _Slice:
    """The last interval, survival relative to the reconstruction's KM at its start."""

    n_start: int
    lo: float
    width: float
    time: np.ndarray
    tau: np.ndarray
    srel: np.ndarray
    drop: np.ndarray  # srel[k-1] - srel[k], with srel[-1] = 1

    @classmethod
    def last(cls, grid: _Grid, n_start: int, km_start: float) -> _Slice:
        a = grid.first[-2]
        srel = _relative(grid.surv[a:], km_start)
        drop = np.concatenate([[1.0], srel[:-1]]) - srel
        lo, width = float(grid.lo[-1]), float(grid.width[-1])
        return cls(n_start, lo, width, grid.time[a:], grid.tau[a:], srel, drop)

    def events(self, model: _Censoring) -> np.ndarray:
        """Continuous events at each point under a censoring model."""
        return self.n_start * model.survival(self.tau) * self.drop

    def remaining(self, model: _Censoring) -> float:
        return self.n_start * float(self.srel[-1] * model.survival(np.array(1.0)))

    def accrual_for_events(self, target: float) -> _Accrual:
        """Accrual censoring that gives ``target`` events in the interval.

        With ``u = 1 / a`` the expected events ``n sum_k drop_k min(1, c_k u + floor)``
        (``c_k = 1 + _END - tau_k``) are piecewise linear and non-decreasing in ``u``,
        with a knot where each point's censoring survival reaches 1; the root is found
        between two knots and solved for exactly (the largest ``u``, the least
        censoring, when the events are flat at the target). Spans outside
        :data:`_A_RANGE` are clipped to it. A target of no event, where the least
        censoring already gives fewer than half an event, takes accrual over one
        interval width (the censorings spread evenly over the interval), rather than
        the root that censors everyone at its start.
        """
        left = self.n_start * float(self.srel[-1])
        floor = 1.0 / left if left > 1.0 else 0.0
        lo, hi = _A_RANGE
        least = self.events(_Accrual(lo, floor)).sum()
        if least <= target + 1e-9:
            return _Accrual(lo, floor)
        if target < 0.5 and least < 0.5:
            # No event wanted where the curve barely moves: the exact root would censor
            # everyone at the start. Any censoring rounds to no event; accrual over the
            # interval's own width spreads the censorings evenly over it.
            return _Accrual(1.0, floor)
        if self.events(_Accrual(hi, floor)).sum() >= target:
            return _Accrual(hi, floor)
        c = 1.0 + _END - self.tau
        knot = (1.0 - floor) / c  # ascending: tau is sorted
        saturated = np.concatenate([[0.0], np.cumsum(self.drop)])  # drop of points before k
        weighted = np.concatenate([[0.0], np.cumsum(self.drop * c)])
        flat = saturated[:-1] + floor * (saturated[-1] - saturated[:-1])
        at_knot = self.n_start * (flat + knot * (weighted[-1] - weighted[:-1]))
        # the least censoring that meets the target: the right end of a flat stretch
        k = min(int(np.searchsorted(at_knot, target, side="right")), knot.size - 1)
        slope = max(weighted[-1] - weighted[k], _EPS)
        u = (target / self.n_start - flat[k]) / slope
        u = min(max(u, knot[k - 1] if k else 0.0), knot[k])  # rounding cannot leave the stretch
        return _Accrual(float(np.clip(1.0 / max(u, _EPS), lo, hi)), floor)

    def even_for_events(self, target: float) -> _EvenCount:
        """Censoring spread evenly in time that gives ``target`` events in the interval.

        The expected events ``n sum_k drop_k max(0, 1 - k I_k)`` fall as ``k`` grows,
        piecewise linearly; the root is bracketed on a grid and refined by bisection.
        """
        model = _EvenCount.over(self.tau, self.srel)
        if self.events(model).sum() <= target + 1e-9:
            return model
        reach = model.integral[:-1][self.drop > 0]
        top = 1.0 / max(float(reach.min()) if reach.size and reach.min() > 0 else _EPS, _EPS)
        ks = np.concatenate([[0.0], np.geomspace(top * 1e-9, top, 200)])
        g = np.maximum(1.0 - np.outer(ks, model.integral[:-1]), 0.0)
        totals = self.n_start * (g * self.drop).sum(axis=1)
        j = int(np.argmax(totals < target)) if (totals < target).any() else ks.size - 1
        lo, hi = ks[max(j - 1, 0)], ks[j]
        for _ in range(60):
            mid = 0.5 * (lo + hi)
            if self.events(replace(model, k=mid)).sum() >= target:
                lo = mid
            else:
                hi = mid
        return replace(model, k=lo)

    def integer(
        self, model: _Censoring, n_ev: int, n_cens: int, quantiles: bool
    ) -> tuple[np.ndarray, np.ndarray]:
        """Integer events at each point and censoring times for the interval."""
        segs = _Segments.of([self.tau.size])
        g = model.survival(self.tau)
        g_end = float(model.survival(np.array(1.0)))
        g_next = np.append(g[1:], g_end)
        at_start = self.n_start * (1.0 - float(model.survival(np.array(0.0))))
        flows = np.stack(
            [self.events(model), self.n_start * self.srel * np.maximum(g - g_next, 0.0)]
        )
        running, totals = segs.running(flows)
        whole = _whole_events(
            running[0], totals[0], np.array([n_ev]), segs, quantiles, nearest=True
        )
        start, whole_censored = _whole_censored(
            running[1], totals[1], np.array([n_cens]), np.array([at_start]), segs
        )
        gaps = segs.steps(whole_censored).astype(np.int64)
        gaps[0] -= start[0]
        pos = _spread(
            gaps,
            self.tau,
            np.append(self.tau[1:], 1.0),
            g,
            g_next,
            lambda level, _: model.inverse(level),
        )
        times = self.lo + self.width * np.concatenate([np.zeros(start[0]), pos])
        return segs.steps(whole).astype(np.int64), times


def _last_share(
    grid: _Grid, n_risk: np.ndarray, total: int, inner: _Inner
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per tilt, the last interval's share of a reported total: its events (what the
    total leaves, within what it can hold), the total missed (reconstructed minus
    reported), and the events placed beyond (+) or below (-) its drop in the curve."""
    n_last = int(n_risk[-1])
    target = total - inner.interval_events.sum(axis=1)
    n_ev = np.clip(target, 0, n_last)
    srel = _relative(grid.surv[grid.first[-2] :], inner.km_last[:, None])
    e_min, e_max = _events_range(n_last, srel)
    forced = n_ev - np.clip(n_ev, np.rint(e_min), np.rint(e_max))
    return n_ev, n_ev - target, forced


def _deficit(grid: _Grid, n_risk: np.ndarray, total: int, inner: _Inner) -> np.ndarray:
    """Events the last interval is forced to take beyond its drop, minus the total missed.

    Per tilt; > 0: the intervals before the last need more events (censor later).
    """
    _, missed, forced = _last_share(grid, n_risk, total, inner)
    return forced - missed


def _search_tilt(
    grid: _Grid, n_risk: np.ndarray, total: int, quantiles: bool, base: _Inner
) -> _Inner:
    """The tilt closest to 0 that meets the reported total, or else the best extreme.

    Deficits are computed for many tilts at once: 0 to the extreme in steps of 0.5, then
    in steps of 0.02 between the two that bracket the total.
    """
    d0 = int(_deficit(grid, n_risk, total, base)[0])
    if d0 == 0 or n_risk.size < 2:
        return base
    side = 1.0 if d0 > 0 else -1.0  # more events: censor later (tilt > 0)
    coarse = _inner(
        grid, n_risk, side * np.linspace(0.0, _TILT_MAX, _TILT_COARSE), quantiles, base.km_start
    )
    d_coarse = side * _deficit(grid, n_risk, total, coarse)
    if (d_coarse > 0).all():  # even the extreme tilt falls short
        return coarse.row(-1) if abs(d_coarse[-1]) < abs(d0) else base
    j = int(np.argmax(d_coarse <= 0))
    fine = _inner(
        grid,
        n_risk,
        np.linspace(coarse.tilt[j - 1], coarse.tilt[j], _TILT_FINE),
        quantiles,
        coarse.km_start[j],
    )
    d_fine = side * _deficit(grid, n_risk, total, fine)
    if not (d_fine <= 0).any():
        return coarse.row(j)
    k = int(np.argmax(d_fine <= 0))
    return fine.row(k if abs(d_fine[k]) < abs(d_fine[k - 1]) else k - 1)


@dataclass
class _Pass:
    """The integer reconstruction of every interval."""

    event_count: np.ndarray  # at each grid point
    censor_time: np.ndarray
    interval_events: np.ndarray
    interval_censored: np.ndarray
    tilt: float
    missed: int  # reconstructed minus reported total events (0 without a total)
    forced: int  # events put in the last interval beyond (+) or below (-) its drop
    notes: list
    km_start: np.ndarray | None = None  # KM at each interval start, untilted censoring

    @property
    def strain(self) -> tuple[int, int]:
        """How far the reported total is from the curve and table: missed, then forced."""
        return abs(self.missed), abs(self.forced)


def _solve(
    grid: _Grid,
    n_risk: np.ndarray,
    total: int | None,
    have_table: bool,
    quantiles: bool = False,
    end_known: bool = False,
    digitized: bool = True,
    marks: np.ndarray | None = None,
    guess: np.ndarray | None = None,
) -> _Pass:
    """Reconstruct every interval, tilting the censoring when a reported total needs it.

    Without a table, a reported total on a digitized curve is met by the average of two
    censoring models that each meet it: uniform accrual (censoring late, as after an
    administrative cut-off) and censorings spread evenly in time (as Guyot et al. spread
    them); a curve built from summaries keeps the uniform-accrual censoring it was built
    with. Without a total, censor ``marks`` (times) after the last table time give the
    last interval's censorings, one patient each (:class:`_Marked`). ``guess``, the
    untilted Kaplan-Meier values at the interval starts of a solve on nearly the same
    grid, only saves passes of :func:`_inner` (its fixed point does not depend on it).
    """
    if total is not None:
        rule = "total"
    elif have_table and not end_known:
        rule = "rate"
    else:
        rule = "end" if end_known else "none"
    inner = _inner(grid, n_risk, np.zeros(1), quantiles, guess)
    untilted = inner.km_start
    if total is not None:
        inner = _search_tilt(grid, n_risk, total, quantiles, inner)
    tilt = float(inner.tilt[0])
    last = _Slice.last(grid, int(n_risk[-1]), float(inner.km_last[0]))
    target_miss = forced = 0
    if total is not None:
        n_ev, target_miss, forced = (int(x[0]) for x in _last_share(grid, n_risk, total, inner))
        e_max = _events_range(last.n_start, last.srel)[1]
        # Rounding down, the last event falls where the running total reaches it:
        # aim half an event above, so it is not the very last click.
        aim = min(n_ev + 0.5, float(e_max)) if quantiles and n_ev else float(n_ev)
        spread_evenly = digitized and not have_table
        model: _Censoring = last.accrual_for_events(aim)
        if spread_evenly:
            model = _Blend(model, last.even_for_events(aim))
    else:
        model = _Hazard(_rate_m(grid, n_risk, inner, last.width) if rule == "rate" else 0.0)
        seen = np.zeros(0) if marks is None else marks[marks >= last.lo]
        if seen.size and last.n_start > 0:  # marks where nobody is at risk censor no one
            rule = "marks"
            model = _Marked.over(last, (seen - last.lo) / last.width)
        expected = last.events(model).sum() + (1e-9 if quantiles else 0.0)
        whole = np.floor(expected) if quantiles else round(expected)
        n_ev = int(np.clip(whole, 0, last.n_start))
    n_cens = int(
        np.clip(round(last.n_start - n_ev - last.remaining(model)), 0, last.n_start - n_ev)
    )
    last_events, last_censor = last.integer(model, n_ev, n_cens, quantiles)
    notes = _notes(rule, tilt, forced, target_miss, total, have_table)
    return _Pass(
        event_count=np.concatenate([inner.events[0], last_events]),
        censor_time=np.concatenate([_inner_censor_times(grid, inner), last_censor]),
        interval_events=np.append(inner.interval_events[0], n_ev),
        interval_censored=np.append(n_risk[:-1] - n_risk[1:] - inner.interval_events[0], n_cens),
        tilt=tilt,
        missed=target_miss,
        forced=forced,
        notes=notes,
        km_start=untilted,
    )


def _rate_m(grid: _Grid, n_risk: np.ndarray, inner: _Inner, width: float) -> float:
    """Censoring of the last interval at the average rate of the earlier ones (hazard x width)."""
    count = n_risk.size - 1
    if count == 0:
        return 0.0
    segs = grid.inner
    censored = inner.censored[0]
    since = grid.time[: segs.seg.size] - grid.lo[segs.seg]
    person_time = float(np.sum(n_risk[1:] * grid.width[:count])) + float(
        np.sum((inner.events[0] + censored) * since)
    )
    if person_time <= _EPS:
        return 0.0
    return min(float(censored.sum()) / person_time * width, _M_MAX)


def _notes(
    rule: str, tilt: float, forced: int, target_miss: int, total: int | None, have_table: bool
) -> list[str]:
    """The assumptions and misses of a reconstruction, one sentence each."""
    notes = []
    if tilt != 0.0:
        where = "later" if tilt > 0 else "earlier"
        notes.append(
            f"censoring moved {where} within the at-risk intervals (tilt {tilt:+.3g}; 0 = "
            "constant censoring hazard) to meet the reported total events"
        )
    if forced:
        more = "more" if forced > 0 else "fewer"
        notes.append(
            f"{abs(forced)} {more} events placed in the last interval than its drop in "
            "the curve implies, to meet the reported total events"
        )
    if rule == "total" and target_miss != 0:
        notes.append(
            f"the reported total of {total} events cannot be met with this curve"
            f"{' and table' if have_table else ''}: missed by {target_miss:+d}"
        )
    elif rule == "rate":
        notes.append(
            "censoring after the last at-risk time assumed at the average censoring rate of "
            "the earlier intervals (no total events reported)"
        )
    elif rule == "marks":
        notes.append(
            "censoring after the last at-risk time at the censor marks read off the figure, "
            "one patient each (no total events reported)"
        )
    elif rule == "end":
        notes.append(
            "patients still at risk after the last at-risk time censored at the known end "
            "of follow-up (no total events reported)"
        )
    elif rule == "none":
        notes.append(
            "no numbers at risk and no total events: nobody censored before the last click; "
            "everyone still at risk is censored there"
        )
    return notes


def _extended(
    coords: np.ndarray,
    at_risk: AtRiskTable | None,
    max_follow_up: float | None,
    censor_times: np.ndarray | None = None,
) -> np.ndarray:
    """The curve made flat to the last at-risk time, a known end of follow-up or the
    last censor mark, when its last click is earlier (nothing is clicked on a flat
    tail)."""
    end = float(coords[-1, 0])
    targets = [end]
    if censor_times is not None and len(censor_times):
        targets.append(float(np.max(censor_times)))
    if at_risk is not None:
        targets.append(float(at_risk.time[-1]))
    if max_follow_up is not None:
        targets.append(float(max_follow_up))
    new_end = max(targets)
    if new_end <= end:
        return coords
    return np.vstack([coords, [new_end, coords[-1, 1]]])


def _disagreement(
    km_t: np.ndarray,
    km_s: np.ndarray,
    t: np.ndarray,
    s: np.ndarray,
    n: int,
    risk_t: np.ndarray,
    n_risk: np.ndarray,
) -> list[str]:
    """Sentences for a reconstruction that cannot follow its curve.

    A table that reaches 0 at risk while the curve still falls, or a reported total of
    events far from the curve's drop, leaves the reconstruction's Kaplan-Meier curve
    away from the digitized one; this is said, with the largest gap and where it is,
    whenever the gap exceeds both 0.05 and one and a half patients' step (``1.5 / n``).
    """
    notes = []
    empty = np.flatnonzero(n_risk == 0)
    if empty.size:
        when = float(risk_t[empty[0]])
        level = float(s[np.searchsorted(t, when, side="right") - 1])
        if s[-1] < level - _EPS:
            notes.append(
                f"0 at risk at time {when:g} in the table, but the curve still falls after it "
                f"(from {level:.3g} to {s[-1]:.3g}): those drops cannot be reconstructed"
            )
    grid = np.unique(np.concatenate([km_t, t]))
    gap = np.abs(step_values(km_t, km_s, grid) - step_values(t, s, grid))
    worst = int(np.argmax(gap))
    if gap[worst] > max(0.05, 1.5 / max(n, 1)):
        notes.append(
            f"the reconstruction's Kaplan-Meier curve is {gap[worst]:.3f} from the digitized "
            f"curve at time {grid[worst]:g}: the curve, its numbers at risk and the reported "
            "total of events do not all agree"
        )
    return notes


def _censoring_by_drops(
    grid: _Grid, n_risk: np.ndarray, counts: np.ndarray, censor_time: np.ndarray
) -> np.ndarray:
    """Place each small interval's censorings where its drops say the risk set shrank.

    When few patients are at risk, a drop of the curve tells how many were: ``d``
    events take the curve from ``S`` to ``S (1 - d / r)``, and with one or two events ``r``
    is read off to the patient. The constant-hazard censoring of an interval knows
    nothing of that and may censor patients before a drop that shows they were still at
    risk. For every interval before the last where one patient's step (the
    reconstruction's Kaplan-Meier value over the number at risk) is at least
    :data:`_STEP_SEEN` of the axis, its events (at their clicks) and its number of
    censorings (from the table) are kept, and the censorings are put, one drop at a
    time, before the drops whose sizes they best explain: the numbers before each drop
    that bring the reconstruction's Kaplan-Meier values after the drops closest to the
    curve's (least squares over the interval), the rest after its last drop. They are
    spread evenly within the gap they fall in. An interval keeps its constant-hazard
    censoring unless the move explains its drops better by more than click error could
    (:data:`_NOISE_GAIN` per drop).
    """
    out = censor_time.copy()
    km = 1.0
    count = n_risk.size - 1
    for i in range(count):
        a, b = int(grid.first[i]), int(grid.first[i + 1])
        lo, hi = float(grid.lo[i]), float(grid.lo[i + 1])
        inside = (out >= lo) & (out < hi)
        c_total = int(inside.sum())
        leave = int(n_risk[i] - n_risk[i + 1])
        d = counts[a:b]
        small = km >= _STEP_SEEN * n_risk[i]
        if not small or c_total != leave - int(d.sum()) or c_total == 0 or not d.any():
            km = _km_after(km, int(n_risk[i]), d, out[inside], grid.time[a:b])
            continue
        drops = np.flatnonzero(d > 0)
        levels = grid.surv[a + drops]
        before = _censored_before_drops(km, int(n_risk[i]), d[drops], levels, c_total)
        now = np.searchsorted(np.sort(out[inside]), grid.time[a + drops], side="left")
        gain = _misfit(km, int(n_risk[i]), d[drops], now, levels) - _misfit(
            km, int(n_risk[i]), d[drops], before, levels
        )
        if gain <= drops.size * _NOISE_GAIN:
            km = _km_after(km, int(n_risk[i]), d, out[inside], grid.time[a:b])
            continue
        placed: list[np.ndarray] = []
        edges = np.concatenate([[lo], grid.time[a + drops], [hi]])
        for g, c in enumerate(np.diff(np.concatenate([[0], before, [c_total]]))):
            if c:
                placed.append(_evenly_within(edges[g], edges[g + 1], c))
        km = _km_with(km, int(n_risk[i]), d[drops], before)
        out = np.concatenate([out[~inside], *placed])
    return np.sort(out)


def _evenly_within(lo: float, hi: float, count: int) -> np.ndarray:
    """``count`` times spread evenly within ``[lo, hi)``: at ``lo + (hi - lo) k / (count +
    1)``, kept below ``hi``.

    A censoring placed before a drop at ``hi`` (or in an interval that ends at ``hi``)
    must stay before it: when ``hi`` is a hair above ``lo`` (a drop clicked just before
    an at-risk time and moved to the float below it), the evenly spread times round to
    ``hi`` itself, which would put them after the drop, or in the next interval, where
    the table lets nobody leave.

    >>> _evenly_within(1.0, 3.0, 3).tolist()
    [1.5, 2.0, 2.5]
    >>> hi = float(np.nextafter(19.5, 0.0)); bool(np.all(_evenly_within(hi, 19.5, 2) < 19.5))
    True
    """
    spread = lo + (hi - lo) * np.arange(1, count + 1) / (count + 1)
    return np.clip(spread, lo, np.nextafter(hi, -np.inf) if hi > lo else lo)


#: Risk sets read off the drops jointly (events and censorings) only up to this many
#: patients at the start of an interval: the search grows with its square.
_JOINT_MAX = 80


def _small_risk_sets(
    grid: _Grid,
    n_risk: np.ndarray,
    counts: np.ndarray,
    censor_time: np.ndarray,
    have_table: bool,
    have_total: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Events and censorings of the intervals with few patients at risk, read off the
    drops together.

    With few patients at risk every drop is a ratio of small whole numbers: ``d`` events
    among ``r`` at risk take the curve from ``S`` to ``S (1 - d / r)``, the relation the
    Kaplan-Meier estimator is built on and Guyot et al. (2012) invert. A continuous
    censoring model rounds its expected events per interval and can lose a drop (1.4
    expected events rounded to 1, the second drop of the interval given none) or put
    censorings before a drop that shows its risk set was still whole. Where one
    patient's step is at least :data:`_STEP_SEEN` of the axis, the integer events at
    each drop and the censorings before it are chosen together so that the
    reconstruction's Kaplan-Meier values after the drops are closest to the curve's
    (least squares; :func:`_joint_drops`), keeping what the input fixes: the patients
    leaving each interval of a table, and the events of each interval when a total of
    events was reported (then only their split among the drops and the censorings'
    places change). The interval after the last table time (or the whole curve without
    a table) is read this way only when a total fixes its events. The reading replaces
    the model's only when it fits the drops better than click error could explain
    (:data:`_NOISE_GAIN` per drop).
    """
    last = n_risk.size - 1
    pinned = np.arange(n_risk.size) < (last + int(have_total))
    # the curve's level at each start, a cheap bound on the reconstruction's there
    level_start = grid.surv[np.minimum(grid.first[:-1], grid.surv.size - 1)]
    few = (n_risk > 0) & (n_risk <= _JOINT_MAX) & (level_start >= 0.5 * _STEP_SEEN * n_risk)
    if not (few & pinned).any():
        return counts, censor_time
    counts = counts.copy()
    out = np.sort(censor_time)
    km_start = _km_at_starts(grid, int(n_risk[0]), counts, out)
    for i in range(n_risk.size):
        at_start = int(n_risk[i])
        km = float(km_start[i])
        if not (few[i] and pinned[i]) or km < _STEP_SEEN * at_start:
            continue
        a, b = int(grid.first[i]), int(grid.first[i + 1])
        lo = float(grid.lo[i])
        hi = float(grid.lo[i + 1]) if i < last else np.inf
        inside = (out >= lo) & (out < hi)
        d = counts[a:b]
        level = grid.surv[a:b]
        previous = np.concatenate([[grid.surv[a - 1] if a else 1.0], level[:-1]])
        drops = np.flatnonzero((level < previous - _EPS) | (d > 0))
        if not drops.size:
            continue
        leave = int(n_risk[i] - n_risk[i + 1]) if i < last else None
        times = grid.time[a + drops]
        now_before = np.searchsorted(out[inside], times, side="left")
        levels = level[drops]
        fixed = int(d.sum()) if (have_total or i == last) else None
        joint = _joint_drops(km, at_start, levels, d[drops], leave, fixed)
        if joint is None:
            continue
        events, before = joint
        gain = _misfit(km, at_start, d[drops], now_before, levels) - _misfit(
            km, at_start, events, before, levels
        )
        if gain <= drops.size * _NOISE_GAIN:
            continue
        counts[a + drops] = events
        edges = np.concatenate([[lo], times])
        placed = [
            _evenly_within(edges[g], edges[g + 1], c)
            for g, c in enumerate(np.diff(np.concatenate([[0], before])))
            if c
        ]
        if leave is None:  # the last interval
            rest = out[inside & (out >= times[-1])]
            rest = rest[: max(at_start - int(events.sum()) - int(before[-1]), 0)]
        else:
            after = leave - int(events.sum()) - int(before[-1])
            rest = _evenly_within(times[-1], hi, after)
        out = np.sort(np.concatenate([out[~inside], *placed, rest]))
        km_start = _km_at_starts(grid, int(n_risk[0]), counts, out)
    return counts, out


def _km_at_starts(
    grid: _Grid, at_start: int, counts: np.ndarray, censor_time: np.ndarray
) -> np.ndarray:
    """The reconstruction's Kaplan-Meier value at the start of each interval, before the
    events at its first time (they belong to the interval that time opens); of the
    ``at_start`` patients, those neither with an event nor censored are followed on."""
    n_events = int(counts.sum())
    left = max(at_start - n_events - censor_time.size, 0)
    times = np.concatenate([np.repeat(grid.time, counts), censor_time, np.full(left, np.inf)])
    flags = np.concatenate([np.ones(n_events), np.zeros(censor_time.size + left)])
    km_t, km_s = km_curve(times, flags)
    out = step_values(km_t, km_s, np.nextafter(grid.lo, -np.inf))
    out[0] = 1.0
    return out


def _joint_drops(
    km: float,
    at_start: int,
    levels: np.ndarray,
    model: np.ndarray,
    leave: int | None,
    fixed: int | None,
    schedule: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray] | None:
    """Integer events at each drop and censorings (cumulative) before it that bring the
    Kaplan-Meier values after the drops closest to ``levels`` (least squares).

    ``leave``: the patients who leave the interval (events plus censorings, a table's
    difference; None: any number); ``fixed``: its events (None: free). Dynamic
    programming over the drops (Viterbi's algorithm), the state being the events and
    censorings so far: a censoring step (the running minimum over fewer censorings) then
    an event step. A tiny penalty on the distance to the ``model``'s events settles ties
    (``1/2`` and ``2/4`` give the same value). ``schedule``, the censorings before each
    drop when they are known (censor marks), leaves only the events to choose. None
    when nothing meets the constraints.
    """
    cap = leave if leave is not None else at_start
    d_max = min(fixed if fixed is not None else cap, at_start)
    c_max = cap - (fixed or 0) if fixed is not None else cap
    if c_max < 0 or d_max < 0 or (schedule is not None and schedule[-1] > c_max):
        return None
    dd = np.arange(d_max + 1)
    cc = np.arange(c_max + 1)
    cost = np.full((d_max + 1, c_max + 1), np.inf)
    cost[0, 0] = 0.0
    value = np.full(cost.shape, km)
    back_c, back_d = [], []
    for k, (level, guess) in enumerate(zip(levels, model, strict=True)):
        # censorings before this drop: from (D, C) to (D, C') with C <= C'
        best = np.minimum.accumulate(cost, axis=1)
        arg_c = np.maximum.accumulate(np.where(cost <= best, cc[None, :], 0), axis=1)
        if schedule is not None:
            best = np.where(cc[None, :] == schedule[k], best, np.inf)
        value = np.take_along_axis(value, arg_c, axis=1)
        at_risk = at_start - dd[:, None] - cc[None, :]  # (D, C)
        # events at this drop: from (D, C) to (D', C), D' >= D
        d_new = dd[None, :, None] - dd[:, None, None]  # (D, D', C)
        ok = (d_new >= 0) & (d_new <= at_risk[:, None, :]) & (dd[None, :, None] + cc <= cap)
        ratio = 1.0 - d_new / np.maximum(at_risk[:, None, :], 1)
        new_value = value[:, None, :] * ratio
        trial = best[:, None, :] + (new_value - level) ** 2 + 1e-9 * (d_new - guess) ** 2
        trial = np.where(ok, trial, np.inf)
        arg_d = np.argmin(trial, axis=0)  # (D', C)
        cost = np.take_along_axis(trial, arg_d[None], axis=0)[0]
        value = np.take_along_axis(new_value, arg_d[None], axis=0)[0]
        back_c.append(arg_c)
        back_d.append(arg_d)
    final = cost.copy()
    if fixed is not None:
        final[np.arange(d_max + 1) != fixed, :] = np.inf
    if not np.isfinite(final).any():
        return None
    state_d, state_c = (int(x) for x in np.unravel_index(int(np.argmin(final)), final.shape))
    events, before = [], []
    for arg_c, arg_d in zip(reversed(back_c), reversed(back_d), strict=True):
        prev_d = int(arg_d[state_d, state_c])
        events.append(state_d - prev_d)
        before.append(state_c)
        state_c = int(arg_c[prev_d, state_c])
        state_d = prev_d
    return np.array(events[::-1], dtype=np.int64), np.array(before[::-1], dtype=np.int64)


def _km_with(km: float, at_start: int, events: np.ndarray, censored_before: np.ndarray) -> float:
    """Kaplan-Meier value after drops of ``events`` with ``censored_before`` censorings
    (cumulative) before each."""
    at_risk = at_start - np.concatenate([[0], np.cumsum(events)[:-1]]) - censored_before
    return float(km * np.prod(1.0 - events / np.maximum(at_risk, 1)))


def _misfit(
    km: float, at_start: int, events: np.ndarray, censored_before: np.ndarray, levels: np.ndarray
) -> float:
    """Squared distance of the Kaplan-Meier values after the drops to the curve's."""
    at_risk = at_start - np.concatenate([[0], np.cumsum(events)[:-1]]) - censored_before
    values = km * np.cumprod(1.0 - events / np.maximum(at_risk, 1))
    return float(np.sum((values - levels) ** 2))


def _censored_before_drops(
    km: float, at_start: int, events: np.ndarray, levels: np.ndarray, total: int
) -> np.ndarray:
    """Censorings (cumulative) before each drop that bring the Kaplan-Meier values after
    the drops closest to the curve's ``levels`` (least squares), ``total`` at most.

    Dynamic programming over the drops, the state being the censorings used so far:
    for each count the best path to it is kept, with its Kaplan-Meier value (Viterbi's
    algorithm; the value depends on the path only through the risk sets it left).
    """
    counts = np.arange(total + 1)
    cost = np.where(counts == 0, 0.0, np.inf)
    value = np.full(total + 1, km)
    back = []
    gone = 0
    for d, level in zip(events, levels, strict=True):
        at_risk = at_start - gone - counts  # by censorings used before this drop
        ok = at_risk >= d
        # from used u_prev to used u >= u_prev
        trial = np.where(counts[None, :] >= counts[:, None], 1, np.nan)
        new_value = value[:, None] * np.where(ok, 1.0 - d / np.maximum(at_risk, 1), np.nan)[None, :]
        new_cost = cost[:, None] + (new_value - level) ** 2 * trial
        new_cost = np.where(np.isnan(new_cost), np.inf, new_cost)
        best = np.argmin(new_cost, axis=0)
        cost = new_cost[best, counts]
        value = new_value[best, counts]
        back.append(best)
        gone += int(d)
    end = int(np.argmin(cost))
    path = [end]
    for best in reversed(back[1:]):
        path.append(int(best[path[-1]]))
    return np.array(path[::-1], dtype=np.int64)


def _km_after(
    km: float, at_start: int, events: np.ndarray, censored: np.ndarray, times: np.ndarray
) -> float:
    """Kaplan-Meier value after an interval, from its events at their clicks and its
    censoring times."""
    drops = np.flatnonzero(events > 0)
    if drops.size == 0:
        return km
    gone = np.searchsorted(np.sort(censored), times[drops], side="left")
    return _km_with(km, at_start, events[drops], gone)


def _drops_onto_ticks(
    t: np.ndarray,
    s: np.ndarray,
    risk_t: np.ndarray,
    n_risk: np.ndarray,
    reach: float,
    seen: np.ndarray | None = None,
) -> tuple[np.ndarray, int]:
    """Give the drops clicked a hair before an at-risk time to the interval it opens,
    when the table says they cannot belong to the interval it closes.

    Patients whose event falls exactly at a table time are counted at risk there, so a
    drop at a tick belongs to the interval that starts at it; data in whole weeks or
    months put many drops on the ticks, and a click error of a fraction of a tick puts
    some of them just before. Without censoring, interval ``i`` can hold at most
    ``r_i (1 - S(end-) / S(start))`` events, and the table lets ``r_i - r_{i+1}``
    patients leave. When the curve's drop asks for at least half an event more than
    that, the last clicks within ``reach`` before the tick are moved onto it, as many as
    bring the two closest. Intervals are taken in time order, so a move is seen by the
    next interval's start. ``seen``, the censor marks of each interval, shows that many
    patients left by censoring: the events may then take only ``r_i - r_{i+1} - seen``.
    Returns the times and the number of clicks moved.
    """
    t = t.copy()
    moved = 0
    for i in range(risk_t.size - 1):
        start, tick = risk_t[i], risk_t[i + 1]
        if tick > t[-1] or n_risk[i] <= 0:
            break
        s_start = s[np.searchsorted(t, start, side="right") - 1]
        if s_start <= _EPS:
            break
        before = np.flatnonzero((t < tick) & (t >= start))
        if before.size == 0:
            continue
        leave = float(n_risk[i] - n_risk[i + 1] - (0 if seen is None else seen[i]))
        # survival just before the tick if the last j clicks before it were moved onto it
        window = before[t[before] > tick - reach][::-1]
        levels = [s[before[-1]]]
        for j in range(1, window.size + 1):
            rest = before[: before.size - j]
            levels.append(s[rest[-1]] if rest.size else s_start)
        excess = np.abs(n_risk[i] * (1.0 - np.asarray(levels) / s_start) - leave)
        if excess[0] < 0.5 or window.size == 0:
            continue
        j = int(np.argmin(excess))
        if j:
            t[window[:j]] = tick
            moved += j
    return t, moved


def _across_ticks(
    t: np.ndarray, risk_t: np.ndarray, reach: float, forward: bool
) -> np.ndarray | None:
    """Click times with those within ``reach`` before (``forward``) or at and after an
    at-risk time moved onto it or just before it; None when no click moves.

    The numbers at risk count patients whose event falls exactly at a table time, so a
    drop at a tick belongs to the interval that starts there; a click a fraction of a
    tick off puts it on the wrong side. The reach never exceeds half the shortest gap
    between table times.
    """
    ticks = risk_t[1:]
    if ticks.size == 0:
        return None
    reach = min(reach, 0.5 * float(np.diff(risk_t).min()))
    if forward:
        j = np.minimum(np.searchsorted(ticks, t, side="left"), ticks.size - 1)
        move = (t < ticks[j]) & (ticks[j] - t <= reach)
        target = ticks[j]
    else:
        j = np.searchsorted(ticks, t, side="right") - 1
        near = ticks[np.maximum(j, 0)]
        move = (j >= 0) & (t - near <= reach)
        target = np.nextafter(near, -np.inf)
    if not move.any():
        return None
    return np.where(move, target, t)


def guyot_arrays(
    coords: np.ndarray,
    n: int,
    at_risk: AtRiskTable | None = None,
    total_events: int | None = None,
    *,
    cleaning: CleaningLog | None = None,
    quantiles: bool = False,
    digitized: bool = True,
    max_follow_up: float | None = None,
    censor_times: np.ndarray | None = None,
) -> tuple[ArmIPD, ReconstructionReport]:
    """The algorithm on cleaned coordinates and a checked table (the numpy core).

    Parameters are those of :func:`guyot`, already validated: ``coords`` cleaned by
    :func:`~mmsurv.curves.clean_curve`, ``at_risk`` checked by
    :func:`~mmsurv.curves.check_at_risk`. ``quantiles`` rounds events down to the
    curve's quantiles; ``digitized=False`` (an exact curve, built from summaries) keeps
    drops where they are rather than moving them across at-risk times.
    ``max_follow_up``, a known end of follow-up, makes the curve flat to it when it
    ends earlier, and then nobody still at risk after the last table time is censored
    before it unless a reported total of events needs it. ``censor_times``, the sorted
    times of censor marks read off the figure, places censorings at the marks (see
    :func:`_at_marks`).
    """
    last_click = float(coords[-1, 0])
    coords = _extended(coords, at_risk, max_follow_up, censor_times)
    t, s = coords[:, 0], coords[:, 1]
    have_table = at_risk is not None and at_risk.time.size > 1
    if at_risk is None:
        risk_t, n_risk = np.zeros(1), np.array([n], dtype=np.int64)
    else:
        risk_t, n_risk = at_risk.time.astype(float), at_risk.n_risk.astype(np.int64)
    tick_notes = []
    marks = None if censor_times is None else np.asarray(censor_times, dtype=float)
    if digitized and have_table:
        seen = None
        if marks is not None:
            where = np.searchsorted(risk_t, marks, side="right") - 1
            seen = np.minimum(
                np.bincount(where, minlength=risk_t.size), n_risk - np.append(n_risk[1:], 0)
            )
        t, n_moved = _drops_onto_ticks(t, s, risk_t, n_risk, _TICK_REACH * float(t[-1]), seen)
        if n_moved:
            tick_notes.append(
                f"{n_moved} clicks within {_TICK_REACH:.0%} of the time axis before an at-risk "
                "time moved onto it: the curve drops more before that time than the table "
                "lets patients leave"
            )
    grid = _build_grid(t, s, risk_t)
    end_known = max_follow_up is not None and max_follow_up >= t[-1]
    result = _solve(grid, n_risk, total_events, have_table, quantiles, end_known, digitized, marks)
    if digitized and result.strain != (0, 0):
        for forward in (True, False):
            moved = _across_ticks(t, risk_t, _TICK_REACH * float(t[-1]), forward)
            if moved is None:
                continue
            moved_grid = _build_grid(moved, s, risk_t)
            trial = _solve(
                moved_grid,
                n_risk,
                total_events,
                have_table,
                quantiles,
                end_known,
                True,
                marks,
                result.km_start,
            )
            if trial.strain < result.strain:
                side = "onto" if forward else "to just before"
                trial.notes.insert(
                    0,
                    f"drops clicked within {_TICK_REACH:.0%} of the time axis of an "
                    f"at-risk time moved {side} it (a digitizing error of that size puts "
                    "a drop on the wrong side of the count) to meet the reported total "
                    "events",
                )
                result, grid = trial, moved_grid
    counts = result.event_count
    censor_time = result.censor_time
    if digitized and have_table:
        censor_time = _censoring_by_drops(grid, n_risk, counts, censor_time)
    if digitized:
        counts, censor_time = _small_risk_sets(
            grid, n_risk, counts, censor_time, have_table, total_events is not None
        )
    never_at_risk = int(n - n_risk[0])
    n_events = int(counts.sum())
    n_end = int(n - n_events - never_at_risk - censor_time.size)
    censor_time = np.concatenate([censor_time, np.full(n_end, t[-1])])
    mark_notes = []
    if marks is not None and marks.size:
        censor_time, placed = _at_marks(censor_time, marks, risk_t)
        counts = _events_given_censoring(grid, n_risk, counts, censor_time)
        mark_notes.append(
            f"{placed} of {censor_time.size} censorings placed at the {marks.size} censor "
            "marks read off the figure (their number in each at-risk interval set by the "
            "table or the total as without marks)"
        )
        if marks[-1] > last_click and (not have_table or marks[-1] > risk_t[-1]):
            mark_notes.append(
                f"the curve taken as flat from its last click at {last_click:g} to the last "
                f"censor mark at {marks[-1]:g}"
            )
    cens_t = np.concatenate([np.zeros(never_at_risk), censor_time])
    times = np.concatenate([np.repeat(grid.time, counts), cens_t])
    flags = np.concatenate([np.ones(n_events, np.int8), np.zeros(cens_t.size, np.int8)])
    order = np.argsort(times, kind="stable")
    ipd = ArmIPD(time=times[order], event=flags[order])

    km_t, km_s = km_curve(ipd.time, ipd.event)
    max_err, mean_err = step_difference(km_t, km_s, t, s, horizon=float(t[-1]))
    n_rec = n_at_risk(ipd.time, risk_t)
    if total_events is not None and have_table:
        method = "at_risk_events"
    elif have_table:
        method = "at_risk"
    elif total_events is not None:
        method = "events"
    else:
        method = "curve_only"
    notes = [
        *tick_notes,
        *result.notes,
        *mark_notes,
        *_disagreement(km_t, km_s, t, s, n, risk_t, n_risk),
    ]
    if at_risk is not None:
        notes = [*at_risk.notes, *notes]
    censored = result.interval_censored.copy()
    censored[0] += never_at_risk
    censored[-1] += n_end
    report = ReconstructionReport(
        method=method,
        n=int(n),
        events_reported=None if total_events is None else int(total_events),
        events_reconstructed=n_events,
        cleaning=cleaning if cleaning is not None else CleaningLog(n_input=t.size, n_output=t.size),
        interval_start=risk_t.copy(),
        interval_end=np.concatenate([risk_t[1:], [t[-1]]]),
        n_risk_reported=n_risk.astype(float) if have_table else np.full(risk_t.size, np.nan),
        n_risk_reconstructed=n_rec.astype(np.int64),
        interval_events=result.interval_events,
        interval_censored=censored,
        censoring_tilt=result.tilt,
        max_abs_km_error=max_err,
        mean_abs_km_error=mean_err,
        notes=tuple(notes),
    )
    return ipd, report


def _at_marks(
    censor_time: np.ndarray, marks: np.ndarray, risk_t: np.ndarray
) -> tuple[np.ndarray, int]:
    """Censoring times moved onto the censor marks of their at-risk interval.

    The number censored in each interval stays what the table (or the total) made it;
    only where they fall changes. With at least as many marks as censorings in an
    interval, the censorings take the marks nearest to where the model put them; with
    fewer, each mark takes the nearest model censoring and the others stay where they
    were. "Nearest" is the order-keeping matching with the least total distance
    (:func:`_nearest_subset`). A mark at an at-risk time belongs to the interval it
    opens (a patient censored there is counted at risk there). Returns the sorted
    times and how many censorings were placed at a mark.
    """
    times = np.sort(censor_time)
    where_c = np.searchsorted(risk_t, times, side="right") - 1
    where_m = np.searchsorted(risk_t, marks, side="right") - 1
    placed = 0
    for i in np.intersect1d(where_c, where_m):
        pool = np.flatnonzero(where_c == i)
        mk = marks[where_m == i]
        if mk.size >= pool.size:
            times[pool] = mk[_nearest_subset(times[pool], mk)]
        else:
            times[pool[_nearest_subset(mk, times[pool])]] = mk
        placed += min(mk.size, pool.size)
    return np.sort(times), placed


def _events_given_censoring(
    grid: _Grid, n_risk: np.ndarray, counts: np.ndarray, censor_time: np.ndarray
) -> np.ndarray:
    """Each interval's events dealt again to its clicks once its censoring times are known.

    The number of events of an interval stays (the table or the total fixed it); their
    split among the drops follows the Kaplan-Meier relation ``d_k = r_k (1 - S_k /
    S_{k-1})`` with the risk set ``r(t) = r_start S_rel(t) G(t)`` that the known
    censorings leave: each patient censored at ``c`` lowers ``G`` by ``1 / (r_start
    S_rel(c))`` (Guyot et al. 2012, the relation their algorithm inverts). Rounded on the
    running total, as the intervals are without marks. With few patients at risk (at
    most :data:`_JOINT_MAX`) the integer events of each drop are read off the drops
    instead, for the censorings before each (:func:`_joint_drops`).
    """
    out = counts.copy()
    km = 1.0
    ends = np.append(grid.lo[1:], np.inf)
    for i in range(n_risk.size):
        a, b = int(grid.first[i]), int(grid.first[i + 1])
        at_start = int(n_risk[i])
        cens = censor_time[(censor_time >= grid.lo[i]) & (censor_time < ends[i])]
        total = int(out[a:b].sum())
        srel = _relative(grid.surv[a:b], km)
        level = grid.surv[a:b]
        previous = np.concatenate([[grid.surv[a - 1] if a else 1.0], level[:-1]])
        steps = np.flatnonzero((level < previous - _EPS) | (out[a:b] > 0))
        joint = None
        if total and 0 < at_start <= _JOINT_MAX and steps.size:
            schedule = np.searchsorted(cens, grid.time[a + steps], side="left")
            joint = _joint_drops(km, at_start, level[steps], out[a + steps], None, total, schedule)
        if joint is not None:
            out[a:b] = 0
            out[a + steps] = joint[0]
        elif total and at_start:
            where = np.maximum(np.searchsorted(grid.time[a:b], cens, side="right") - 1, 0)
            weight = np.cumsum(1.0 / (at_start * np.maximum(srel[where], 1e-9)))
            before = np.searchsorted(cens, grid.time[a:b], side="left")
            g = np.maximum(1.0 - np.concatenate([[0.0], weight])[before], 0.0)
            flow = at_start * g * (np.concatenate([[1.0], srel[:-1]]) - srel)
            running, expected = np.cumsum(flow), float(flow.sum())
            if expected > _EPS:
                segs = _Segments.of([b - a])
                whole = _whole_events(running, np.array([expected]), np.array([total]), segs, False)
                out[a:b] = segs.steps(whole).astype(np.int64)
        drops = np.flatnonzero(out[a:b] > 0)
        gone = np.searchsorted(cens, grid.time[a:b][drops], side="left")
        km = _km_with(km, at_start, out[a:b][drops], gone) if drops.size else km
    return out


def _nearest_subset(short: np.ndarray, long: np.ndarray) -> np.ndarray:
    """Increasing indices into sorted ``long``, one per element of sorted ``short``, with
    the least total absolute distance (dynamic programming over ``short``; each row is
    a whole-array step over ``long``)."""
    cost = np.abs(short[:, None] - long[None, :])
    best = cost[0].copy()
    back = []
    positions = np.arange(long.size)
    for row in cost[1:]:
        prefix = np.minimum.accumulate(best)
        arg = np.maximum.accumulate(np.where(best <= prefix, positions, 0))
        best = np.full(long.size, np.inf)
        best[1:] = prefix[:-1] + row[1:]
        back.append(arg)
    path = [int(np.argmin(best))]
    for arg in reversed(back):
        path.append(int(arg[path[-1] - 1]))
    return np.array(path[::-1], dtype=np.int64)


def _check_count(value: Any, name: str, *, minimum: int) -> int:
    if isinstance(value, bool) or value is None:
        raise InputError("must be a whole number", field=name)
    try:
        as_float = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{value!r} is not a number", field=name) from None
    if not np.isfinite(as_float) or as_float != round(as_float):
        raise InputError(f"{value!r} is not a whole number", field=name)
    if as_float < minimum:
        raise InputError(f"{int(as_float)} is below {minimum}", field=name)
    return int(as_float)


def _check_time(value: Any, name: str) -> float:
    if isinstance(value, bool):
        raise InputError("must be a number", field=name)
    try:
        as_float = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{value!r} is not a number", field=name) from None
    if not np.isfinite(as_float) or as_float <= 0:
        raise InputError(f"{value!r} is not a positive time", field=name)
    return as_float


def guyot(
    curve: object,
    n: int,
    at_risk: object = None,
    total_events: int | None = None,
    *,
    max_follow_up: float | None = None,
    censor_times: Sequence[float] | np.ndarray | None = None,
) -> tuple[pd.DataFrame, ReconstructionReport]:
    """Reconstruct one arm's individual patient data from a digitized Kaplan-Meier curve.

    Implements Guyot et al. (2012), BMC Med Res Methodol 12:9, in all four of its cases
    (numbers at risk with or without the total of events, the total only, neither), with
    the refinements described in :mod:`mmsurv._guyot`.

    Parameters
    ----------
    curve : pandas.DataFrame, numpy.ndarray or sequence of pairs
        Digitized coordinates: a DataFrame with columns ``time`` and ``survival``, or an
        array of shape (k, 2). Survival as fractions, or percent (then converted and
        reported). Noisy clicks are cleaned (see :func:`mmsurv.curves.clean_curve`).
    n : int
        Patients in the arm at time 0.
    at_risk : pandas.DataFrame or mapping, optional
        Numbers at risk: a DataFrame with columns ``time`` and ``n_risk`` or a mapping
        ``{"times": [...], "n": [...]}``.
    total_events : int, optional
        Total events reported for the arm.
    max_follow_up : float, optional
        A known end of follow-up (administrative censoring), in the curve's time unit:
        the curve is flat to it when its last click is earlier, and the patients still
        at risk after the last at-risk time are censored there unless the reported
        total of events needs some censored earlier.
    censor_times : sequence of float, optional
        Times of the censor marks read off the figure, one censored patient each. Within
        each at-risk interval the number censored still comes from the table (or the
        total), but they are placed at the marks nearest to where they would otherwise
        go; without a table, after its last time and without a total, the marks give
        the number censored. The report says how many were placed at marks.

    Returns
    -------
    ipd : pandas.DataFrame
        Exactly ``n`` rows, columns ``time`` and ``event`` (1 = event, 0 = censored),
        sorted by time.
    report : ReconstructionReport
        Method, cleaning, per-interval events and censorings, numbers at risk and
        events reconstructed vs reported, and the Kaplan-Meier error.

    Raises
    ------
    InputError
        For input that cannot be cleaned: NaN, negative times, fewer than two points,
        ``n < 1``, numbers at risk that increase, exceed ``n`` or lie beyond the curve,
        ``total_events`` above ``n``.

    Examples
    --------
    >>> import mmsurv
    >>> curve = [[0, 1.0], [2, 0.9], [5, 0.7], [9, 0.5], [12, 0.45]]
    >>> ipd, report = mmsurv.guyot(curve, n=40, at_risk={"times": [0, 6], "n": [40, 25]})
    >>> len(ipd)
    40
    """
    n_int = _check_count(n, "n", minimum=1)
    risk = None if at_risk is None else as_at_risk(at_risk)
    axis = float(np.nanmax(risk[0])) if risk is not None and risk[0].size else None
    raw = as_coordinates(curve)
    coords, log = clean_curve(raw, time_axis=axis)
    table = None
    if risk is not None:
        table = check_at_risk(*risk, n=n_int, curve_end=float(coords[-1, 0]))
    events = None
    if total_events is not None:
        events = _check_count(total_events, "total_events", minimum=0)
        if events > n_int:
            raise InputError(
                f"{events} events exceed the arm size n = {n_int}", field="total_events"
            )
    end = None
    if max_follow_up is not None:
        end = _check_time(max_follow_up, "max_follow_up")
        if end < float(coords[-1, 0]):
            raise InputError(
                f"{end:g} is before the curve's last click at {coords[-1, 0]:g}",
                field="max_follow_up",
            )
    marks = None
    if censor_times is not None:
        marks = check_censor_times(censor_times)
    arm, report = guyot_arrays(
        coords, n_int, table, events, cleaning=log, max_follow_up=end, censor_times=marks
    )
    import pandas as pd

    return pd.DataFrame({"time": arm.time, "event": arm.event.astype(np.int64)}), report
