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
  being lost.
* **Integer events by cumulative rounding.** Events are rounded on their running total
  within an interval, so the count never drifts by more than half an event from the
  continuous solution and the interval agrees exactly with the table.
* **Reported total events met with a table.** With the censoring of each interval fixed
  by the table, the paper can meet a reported total only in the last interval, and
  misses it when censoring was uneven. mmsurv then tilts the censoring hazard within
  the intervals, ``mu exp(tilt * (t - start) / width)`` (``tilt > 0``: later), with one
  tilt for all intervals found by bisection as close to 0 as the total allows. The report
  gives the tilt and, when even the extremes cannot meet the total, by how many events it
  is missed.
* **Total events only.** The constant censoring hazard that gives the reported total is
  solved for (safeguarded Newton iterations, bounded), so the total is met exactly
  whenever the curve allows it (at most ``n (1 - S_end)`` events).

Assumptions: censoring is non-informative; events happen only at clicked drops;
everyone still at risk at the last click is censored there.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .curves import AtRiskTable, CleaningLog, as_at_risk, as_coordinates, check_at_risk, clean_curve
from .errors import InputError
from .km import km_curve, n_at_risk, step_difference

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

    def table(self):
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
_SOLVE_STEPS = 80
_END = 1e-6
_TILT_MAX = 8.0
_TILT_RESOLUTION = 0.02  # bisection stops here: at most 9 passes


@dataclass
class _Grid:
    """Clicks plus one pseudo-click (no drop) at each table time after 0."""

    time: np.ndarray
    surv: np.ndarray
    start: np.ndarray  # grid index where each interval starts (and ends: next start)
    lo: np.ndarray  # interval limits
    hi: np.ndarray


def _build_grid(t: np.ndarray, s: np.ndarray, risk_t: np.ndarray) -> _Grid:
    inner = risk_t[1:]
    left = s[np.searchsorted(t, inner, side="left") - 1]  # S just before each table time
    times = np.concatenate([t, inner])
    surv = np.concatenate([s, left])
    real = np.concatenate([np.ones(t.size, bool), np.zeros(inner.size, bool)])
    order = np.lexsort((real, times))  # pseudo-click first among equal times
    times, surv = times[order], surv[order]
    interval = np.searchsorted(risk_t, times, side="right") - 1
    start = np.searchsorted(interval, np.arange(risk_t.size + 1), side="left")
    hi = np.concatenate([inner, [t[-1]]])
    return _Grid(times, surv, start, risk_t.astype(float), hi)


def _phi(tau: np.ndarray, tilt: float) -> np.ndarray:
    """Cumulative censoring hazard shape on [0, 1]: hazard proportional to exp(tilt * tau)."""
    if abs(tilt) < 1e-9:
        return tau
    return np.expm1(tilt * tau) / tilt


def _phi_inverse(value: np.ndarray, tilt: float) -> np.ndarray:
    if abs(tilt) < 1e-9:
        return value
    return np.log1p(np.maximum(tilt * value, -1 + 1e-15)) / tilt


@dataclass(frozen=True)
class _Hazard:
    """Censoring at hazard ``m exp(tilt tau) / width`` within an interval (``m = 0``: none)."""

    m: float
    tilt: float = 0.0

    def survival(self, tau: np.ndarray) -> np.ndarray:
        return np.exp(-self.m * _phi(tau, self.tilt))

    def inverse(self, g: np.ndarray) -> np.ndarray:
        return _phi_inverse(-np.log(g) / max(self.m, _EPS), self.tilt)


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


def _solve_monotone(events_at, target: float, lo: float, hi: float) -> float:
    """Parameter in [lo, hi] (log scale) at which the decreasing ``events_at`` meets target."""
    if events_at(lo) <= target:
        return lo
    if events_at(hi) >= target:
        return hi
    a, b = np.log(lo), np.log(hi)
    for _ in range(_SOLVE_STEPS):
        mid = 0.5 * (a + b)
        if events_at(float(np.exp(mid))) > target:
            a = mid
        else:
            b = mid
        if b - a < 1e-10:
            break
    return float(np.exp(b))


@dataclass
class _Slice:
    """One interval of the grid, survival relative to the reconstruction's KM at its start."""

    n_start: int
    lo: float
    width: float
    time: np.ndarray
    tau: np.ndarray  # position in the interval, 0..1
    srel: np.ndarray  # S(t) / KM_reconstructed(lo), capped at 1
    drop: np.ndarray  # srel[k-1] - srel[k], with srel[-1] = 1

    @classmethod
    def make(cls, grid: _Grid, i: int, n_start: int, km_start: float) -> _Slice:
        a, b = grid.start[i], grid.start[i + 1]
        lo, hi = grid.lo[i], grid.hi[i]
        width = max(hi - lo, _EPS)
        srel = np.minimum(grid.surv[a:b] / km_start, 1.0) if km_start > _EPS else np.zeros(b - a)
        drop = np.concatenate([[1.0], srel[:-1]]) - srel
        tau = np.clip((grid.time[a:b] - lo) / width, 0.0, 1.0)
        return cls(n_start, lo, width, grid.time[a:b], tau, srel, drop)

    @property
    def events_range(self) -> tuple[float, float]:
        """Fewest (all censored at the start) and most (no censoring) events possible."""
        return self.n_start * float(self.drop[0]), self.n_start * float(self.drop.sum())

    def events(self, model) -> np.ndarray:
        """Continuous events at each grid point under a censoring model."""
        return self.n_start * model.survival(self.tau) * self.drop

    def remaining(self, model) -> float:
        return self.n_start * float(self.srel[-1] * model.survival(np.array(1.0)))

    def censor_counts(self, count: int, model) -> tuple[int, np.ndarray]:
        """Split ``count`` censorings over the gaps after each grid point.

        Returns how many are censored at the very start of the interval and the count in
        each gap (the start ones included in the first), rounding the running total of
        the censoring distribution.
        """
        g = model.survival(self.tau)
        g_end = float(model.survival(np.array(1.0)))
        at_start = self.n_start * (1.0 - float(model.survival(np.array(0.0))))
        mass = self.n_start * self.srel * np.maximum(g - np.append(g[1:], g_end), 0.0)
        total = at_start + float(mass.sum())
        if count == 0 or total <= _EPS:
            counts = np.zeros(self.tau.size, np.int64)
            counts[0] = count
            return count, counts
        scale = count / total
        whole = np.round(np.cumsum(np.concatenate([[at_start], mass])) * scale)
        per = np.diff(np.concatenate([[0.0], whole])).astype(np.int64)
        counts = per[1:].copy()
        counts[0] += per[0]
        return int(per[0]), counts

    def censor_times(self, start: int, counts: np.ndarray, model) -> np.ndarray:
        """Censoring times: ``start`` at the start, then ``counts[k]`` spread within gap k
        at the quantiles of the censoring distribution there."""
        gap_counts = counts.copy()
        gap_counts[0] -= start
        g = model.survival(self.tau)
        g_next = np.append(g[1:], float(model.survival(np.array(1.0))))
        tau_next = np.append(self.tau[1:], 1.0)
        idx = np.repeat(np.arange(gap_counts.size), gap_counts)
        first = np.cumsum(gap_counts) - gap_counts
        frac = (np.arange(idx.size) - first[idx] + 0.5) / gap_counts[idx]
        level = np.clip(g[idx] - frac * (g[idx] - g_next[idx]), 1e-300, 1.0)
        tau = np.clip(model.inverse(level), self.tau[idx], tau_next[idx])
        return self.lo + self.width * np.concatenate([np.zeros(start), tau])

    def hazard_for_end(self, n_end: int, tilt: float) -> _Hazard:
        """Censoring hazard that leaves n_end at risk at the end (none when none is needed)."""
        reach = self.n_start * self.srel[-1]
        target = max(n_end, 0.5)
        if reach <= target:
            return _Hazard(0.0, tilt)
        m = float(np.log(reach / target) / _phi(np.array(1.0), tilt))
        return _Hazard(min(m, _M_MAX), tilt)

    def accrual_for_events(self, target: float) -> _Accrual:
        """Accrual censoring that gives ``target`` events in the interval."""
        left = self.n_start * float(self.srel[-1])
        floor = 1.0 / left if left > 1.0 else 0.0
        a = _solve_monotone(lambda x: self.events(_Accrual(x, floor)).sum(), target, 1e-9, 1e9)
        return _Accrual(a, floor)


@dataclass
class _Pass:
    """The integer reconstruction of every interval for one censoring tilt."""

    event_time: list
    event_count: list
    censorings: list  # (slice, censored at its start, censored per gap, censoring model)
    interval_events: np.ndarray
    interval_censored: np.ndarray
    target_miss: int  # events short (-) or over (+) the reported total: table impossible
    forced: int  # events put in the last interval beyond (+) or below (-) the curve's drop
    notes: list


def _integer_events(d: np.ndarray, total: int, quantiles: bool = False) -> np.ndarray:
    """Scale continuous events to an integer total and round their running sum.

    Rounding to the nearest whole event follows a digitized curve most closely; with
    ``quantiles`` the running sum is rounded down instead, so the k-th event falls where
    the curve has lost k patients (the median then sits where the curve crosses 0.5).
    """
    s = d.sum()
    if total <= 0:
        return np.zeros(d.size, np.int64)
    if s <= _EPS:
        out = np.zeros(d.size, np.int64)
        out[-1] = total
        return out
    if quantiles and total <= s + 1e-9:
        whole = np.minimum(np.floor(np.cumsum(d) + 1e-9), total)
    else:
        running = np.cumsum(d * (total / s))
        whole = np.floor(running + 1e-9) if quantiles else np.round(running)
    return np.diff(np.concatenate([[0.0], whole])).astype(np.int64)


def _km_factor(sl: _Slice, events: np.ndarray, censored: np.ndarray) -> float:
    """KM of the integer reconstruction over the interval (ratio end / start).

    ``censored[k]`` leave after the events at grid point ``k``.
    """
    gone = np.cumsum(events + censored)
    at_risk = sl.n_start - np.concatenate([[0], gone[:-1]])
    hit = events > 0
    if not hit.any():
        return 1.0
    factor = 1.0 - events[hit] / np.maximum(at_risk[hit], 1)
    return float(np.prod(np.clip(factor, 0.0, 1.0)))


def _run(grid, n_risk, total, last_rule, tilt, quantiles=False) -> _Pass:
    """Reconstruct interval by interval (the KM of each depends on the ones before)."""
    n_int = n_risk.size
    km = 1.0
    out = _Pass([], [], [], np.zeros(n_int, np.int64), np.zeros(n_int, np.int64), 0, 0, [])
    person_time = 0.0
    early_censored = 0
    for i in range(n_int):
        sl = _Slice.make(grid, i, int(n_risk[i]), km)
        last = i == n_int - 1
        if not last:
            leave = int(n_risk[i] - n_risk[i + 1])
            model = sl.hazard_for_end(int(n_risk[i + 1]), tilt)
            d = sl.events(model)
            n_ev = int(np.clip(round(d.sum()), 0, leave))
            n_cens = leave - n_ev
        else:
            e_min, e_max = sl.events_range
            if last_rule == "total":
                target = total - int(out.interval_events.sum())
                n_ev = int(np.clip(target, 0, sl.n_start))
                out.target_miss = n_ev - target
                out.forced = n_ev - int(np.clip(n_ev, round(e_min), round(e_max)))
                # Rounding down, the last event falls where the running total reaches it:
                # aim half an event above, so it is not the very last click.
                aim = min(n_ev + 0.5, e_max) if quantiles and n_ev else n_ev
                model = sl.accrual_for_events(aim)
            else:
                use_rate = last_rule == "rate" and person_time > _EPS
                rate = early_censored / person_time if use_rate else 0.0
                model = _Hazard(min(rate * sl.width, _M_MAX))
                expected = sl.events(model).sum() + (1e-9 if quantiles else 0.0)
                whole = np.floor(expected) if quantiles else round(expected)
                n_ev = int(np.clip(whole, 0, sl.n_start))
            d = sl.events(model)
            n_cens = int(
                np.clip(round(sl.n_start - n_ev - sl.remaining(model)), 0, sl.n_start - n_ev)
            )
        ev = _integer_events(d, n_ev, quantiles)
        start, counts = sl.censor_counts(n_cens, model)
        km *= _km_factor(sl, ev, counts)
        out.event_time.append(sl.time)
        out.event_count.append(ev)
        out.censorings.append((sl, start, counts, model))
        out.interval_events[i] = n_ev
        out.interval_censored[i] = n_cens
        if not last:
            early_censored += n_cens
            person_time += (
                n_risk[i + 1] * sl.width
                + float(np.sum(ev * (sl.time - sl.lo)))
                + float(np.sum(counts * (sl.time - sl.lo)))
            )
    return out


def _solve(grid, n_risk, total, have_table, quantiles=False) -> tuple[_Pass, float]:
    """Run the reconstruction, tilting the censoring when a reported total needs it."""
    if total is not None:
        rule = "total"
    elif have_table:
        rule = "rate"
    else:
        rule = "none"
    result = _run(grid, n_risk, total, rule, 0.0, quantiles)
    tilt = 0.0

    def deficit(p: _Pass) -> int:  # > 0: the early intervals need more events
        return p.forced - p.target_miss

    def run_at(t: float) -> _Pass:
        return _run(grid, n_risk, total, rule, t, quantiles)

    tilt = 0.0
    if rule == "total" and n_risk.size > 1 and deficit(result) != 0:
        side = 1.0 if deficit(result) > 0 else -1.0  # more events: censor later (tilt > 0)
        extreme = run_at(side * _TILT_MAX)
        if side * deficit(extreme) > 0:  # even the extreme tilt falls short
            if abs(deficit(extreme)) < abs(deficit(result)):
                result, tilt = extreme, side * _TILT_MAX
        else:
            a, b, short, over = 0.0, _TILT_MAX, result, extreme
            while b - a > _TILT_RESOLUTION:
                mid = 0.5 * (a + b)
                trial = run_at(side * mid)
                if side * deficit(trial) > 0:
                    a, short = mid, trial
                else:
                    b, over = mid, trial
            if abs(deficit(over)) < abs(deficit(short)):
                result, tilt = over, side * b
            else:
                result, tilt = short, side * a
    notes = []
    if tilt != 0.0:
        where = "later" if tilt > 0 else "earlier"
        notes.append(
            f"censoring moved {where} within the at-risk intervals (tilt {tilt:+.3g}; 0 = "
            "constant censoring hazard) to meet the reported total events"
        )
    if result.forced:
        more = "more" if result.forced > 0 else "fewer"
        notes.append(
            f"{abs(result.forced)} {more} events placed in the last interval than its drop in "
            "the curve implies, to meet the reported total events"
        )
    if rule == "total" and result.target_miss != 0:
        notes.append(
            f"the reported total of {total} events cannot be met with this curve"
            f"{' and table' if have_table else ''}: missed by {result.target_miss:+d}"
        )
    elif rule == "rate":
        notes.append(
            "censoring after the last at-risk time assumed at the average censoring rate of "
            "the earlier intervals (no total events reported)"
        )
    elif rule == "none":
        notes.append(
            "no numbers at risk and no total events: nobody censored before the last click; "
            "everyone still at risk is censored there"
        )
    result.notes = notes
    return result, tilt


def guyot_arrays(
    coords: np.ndarray,
    n: int,
    at_risk: AtRiskTable | None = None,
    total_events: int | None = None,
    *,
    cleaning: CleaningLog | None = None,
    quantiles: bool = False,
) -> tuple[ArmIPD, ReconstructionReport]:
    """The algorithm on cleaned coordinates and a checked table (the numpy core).

    Parameters are those of :func:`guyot`, already validated: ``coords`` cleaned by
    :func:`~mmsurv.curves.clean_curve`, ``at_risk`` checked by
    :func:`~mmsurv.curves.check_at_risk`.
    """
    t, s = coords[:, 0], coords[:, 1]
    have_table = at_risk is not None and at_risk.time.size > 1
    if at_risk is None:
        risk_t, n_risk = np.zeros(1), np.array([n], dtype=np.int64)
    else:
        risk_t, n_risk = at_risk.time.astype(float), at_risk.n_risk.astype(np.int64)
    grid = _build_grid(t, s, risk_t)
    result, tilt = _solve(grid, n_risk, total_events, have_table, quantiles)
    counts = np.concatenate(result.event_count)
    cens_t = np.concatenate([sl.censor_times(*rest) for sl, *rest in result.censorings])
    n_events = int(counts.sum())
    n_end = int(n - n_events - cens_t.size)
    times = np.concatenate(
        [np.repeat(np.concatenate(result.event_time), counts), cens_t, np.full(n_end, t[-1])]
    )
    flags = np.concatenate([np.ones(n_events, np.int8), np.zeros(cens_t.size + n_end, np.int8)])
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
    notes = list(result.notes)
    if at_risk is not None:
        notes = [*at_risk.notes, *notes]
    censored = result.interval_censored.copy()
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
        censoring_tilt=tilt,
        max_abs_km_error=max_err,
        mean_abs_km_error=mean_err,
        notes=tuple(notes),
    )
    return ipd, report


def _check_count(value, name: str, *, minimum: int) -> int:
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


def guyot(curve, n, at_risk=None, total_events=None):
    """Reconstruct one arm's individual patient data from a digitized Kaplan-Meier curve.

    Implements Guyot et al. (2012), BMC Med Res Methodol 12:9, in all four of its cases
    (numbers at risk with or without the total of events, the total only, neither), with
    the refinements described in :mod:`mmsurv.guyot`.

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
    coords, log = clean_curve(as_coordinates(curve))
    table = None
    if at_risk is not None:
        times, counts = as_at_risk(at_risk)
        table = check_at_risk(times, counts, n=n_int, curve_end=float(coords[-1, 0]))
    events = None
    if total_events is not None:
        events = _check_count(total_events, "total_events", minimum=0)
        if events > n_int:
            raise InputError(
                f"{events} events exceed the arm size n = {n_int}", field="total_events"
            )
    arm, report = guyot_arrays(coords, n_int, table, events, cleaning=log)
    import pandas as pd

    return pd.DataFrame({"time": arm.time, "event": arm.event.astype(np.int64)}), report
