"""Reconstruct an endpoint of a study: IPD of its arms, with a report per arm.

Each arm is reconstructed with the method its reported data allow. An arm with a
digitized curve goes through :func:`mmsurv.guyot.guyot_arrays` with whatever it also
reports: numbers at risk, total events, both or neither (the four cases of Guyot et al.
2012). An arm without a curve gets one built from its reported summaries
(:mod:`mmsurv.synthesis`), which the same engine turns into patients.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

import numpy as np

from .cox import cox_binary
from .curves import check_at_risk, clean_curve
from .errors import InputError
from .guyot import ArmIPD, ReconstructionReport, guyot_arrays
from .km import km_curve, median_time, n_at_risk, step_values
from .study import Study, load_study
from .synthesis import (
    accrual_span,
    dropout_of,
    expected_events,
    summary_curves,
    tail_for_events,
)
from .views import html_view

_CALIBRATION_STEPS = 12
_PARAM_RANGE = 3.0
#: The within-stretch shape exp(+-tilt) stays within 1/3-3: the catalog's HRs are met,
#: and the curves stay closer to the truth than with steeper tilts (measured by
#: validation/synthesis_accuracy.py: mean |dS| over real data sets).
TILT_RANGE = math.log(3.0)
#: The calibration counts the HR as met within 1% (on the log scale).
_HR_MET = 0.01

__all__ = [
    "TILT_RANGE",
    "Constraint",
    "EndpointReport",
    "constraints_of",
    "reconstruct",
    "reconstruct_arrays",
]


@dataclass(frozen=True)
class EndpointReport(Mapping):
    """The reconstruction reports of one endpoint, by arm id (a read-only mapping)."""

    study_id: str
    endpoint: str
    arms: dict[str, ReconstructionReport]
    hr_blind: bool = False

    def __getitem__(self, arm_id: str) -> ReconstructionReport:
        return self.arms[arm_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self.arms)

    def __len__(self) -> int:
        return len(self.arms)

    def summary_lines(self) -> list[str]:
        """One line per arm: endpoint, arm, method, n, events, max |dS|; then one line per
        reported number the reconstruction could not keep."""
        lines = [f"{self.endpoint} {report.summary()}" for report in self.arms.values()]
        return lines + [
            f"{self.endpoint} {arm_id}: {c.shortfall}"
            for arm_id, report in self.arms.items()
            for c in report.constraints
            if not c.kept
        ]

    def unkept(self) -> dict[tuple[str, str], str]:
        """The reported numbers not kept, by (arm, quantity): the sentence saying so."""
        return {
            (arm_id, c.quantity): c.shortfall
            for arm_id, report in self.arms.items()
            for c in report.constraints
            if not c.kept
        }

    def table(self):
        """One row per arm: method, n, events reported (NaN when not reported) and
        reconstructed, KM errors, notes."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "endpoint": self.endpoint,
                    "arm": arm_id,
                    "method": r.method,
                    "n": r.n,
                    "events_reported": math.nan
                    if r.events_reported is None
                    else float(r.events_reported),
                    "events_reconstructed": r.events_reconstructed,
                    "max_abs_km_error": r.max_abs_km_error,
                    "mean_abs_km_error": r.mean_abs_km_error,
                    "notes": "; ".join(r.notes),
                }
                for arm_id, r in self.arms.items()
            ]
        )

    def _repr_html_(self) -> str:
        mode = " (HR-blind)" if self.hr_blind else ""
        title = f"Reconstruction of {self.study_id}, {self.endpoint}{mode}"
        table = self.table().drop(columns=["endpoint", "notes"])
        return html_view(title, table, ["Method and assumptions per arm: print(report[arm])."])

    def __repr__(self) -> str:
        head = f"EndpointReport({self.study_id}, {self.endpoint})"
        return "\n".join([head, *(f"  {line}" for line in self.summary_lines())])


@dataclass(frozen=True)
class Constraint:
    """A reported number of an arm beside the reconstruction's value.

    ``kept`` is False when a reconstruction from summaries, which aims at every reported
    number, could not keep this one with the arm's other numbers (see
    :func:`constraints_of`); :attr:`shortfall` then says by how much.
    """

    quantity: str
    reported: float | str | None
    reconstructed: float | None
    kept: bool = True

    def __str__(self) -> str:
        text = f"{self.quantity}: reported {self._reported()}, reconstructed {self._rebuilt()}"
        return text if self.kept else f"{text} (not kept)"

    def _reported(self) -> str:
        return self.reported if isinstance(self.reported, str) else f"{self.reported:g}"

    def _rebuilt(self) -> str:
        if self.reconstructed is None:
            return "not reached" if self.quantity == "median" else "n/a"
        return f"{self.reconstructed:.4g}"

    @property
    def shortfall(self) -> str | None:
        """One sentence on a number not kept (None when kept)."""
        if self.kept:
            return None
        gap = ""
        if isinstance(self.reported, float) and self.reconstructed is not None:
            gap = f" ({self.reconstructed - self.reported:+.3g})"
        return (
            f"{self.quantity} reported {self._reported()} not kept: reconstructed "
            f"{self._rebuilt()}{gap}, the closest the reconstruction reached with the arm's "
            "other reported numbers"
        )


def _half_unit(value: float) -> float:
    """Half the last printed digit of a reported number (12 -> 0.5, 0.832 -> 0.0005)."""
    text = repr(float(value))
    if "e" in text or text.endswith(".0"):
        return 0.5 if "e" not in text else abs(value) * 1e-9
    return 0.5 * 10.0 ** -len(text.split(".")[1])


def constraints_of(res, arm: ArmIPD, n: int, *, judged: bool = False) -> tuple[Constraint, ...]:
    """Every number reported for an arm next to the value in its reconstruction.

    With ``judged`` (an arm rebuilt from its summaries, which aims at every reported
    number), each number is marked kept or not: a median kept when reached or not as
    reported and, when reached, within its printed rounding; a landmark within its
    printed rounding plus one step of the Kaplan-Meier curve there (one patient of those
    at risk); events exactly.
    """
    km_t, km_s = km_curve(arm.time, arm.event)
    out = [Constraint("n", float(n), float(arm.time.size))]
    if res.median is not None:
        rec = median_time(km_t, km_s)
        if res.median == "NR":
            kept = rec is None
        else:
            kept = rec is not None and abs(rec - res.median) <= _half_unit(res.median) + 1e-9
        out.append(
            Constraint(
                "median",
                "not reached" if res.median == "NR" else float(res.median),
                rec,
                kept or not judged,
            )
        )
    for t, lm in sorted(res.landmarks.items()):
        value = float(step_values(km_t, km_s, np.array([t]))[0])
        at_risk = int(n_at_risk(arm.time, np.array([t]))[0])
        # nobody followed to t while the curve is above 0: the KM curve is not defined there
        slack = _half_unit(lm.survival) + (value / at_risk if at_risk else 0.0) + 1e-9
        kept = (at_risk > 0 or value == 0) and abs(value - lm.survival) <= slack
        out.append(Constraint(f"survival at {t:g}", float(lm.survival), value, kept or not judged))
    if res.events is not None:
        rec = float(arm.event.sum())
        out.append(Constraint("events", float(res.events), rec, rec == res.events or not judged))
    return tuple(out)


#: Relative distance past a landmark at the median's printed time (with a rate above
#: 0.5) at which the reconstruction's curve crosses 0.5.
_PAST_LANDMARK = 1e-6

#: Most events :func:`_snap_median` may move, as a share of the arm.
_SNAP_SHARE = 0.05


def _snap_median(arm: ArmIPD, median: float) -> ArmIPD:
    """Move the event at which the KM curve crosses 0.5 to the reported median.

    Integer data cross 0.5 at an event time within an event's spacing or two of the
    curve's median. The crossing event goes to the median, and with it the events lying
    between its time and the median (tied there, at most ``_SNAP_SHARE`` of the arm);
    the move is kept only if the KM median is then exactly the reported one. Every other
    patient stays where he was.
    """
    km_t, km_s = km_curve(arm.time, arm.event)
    current = median_time(km_t, km_s)
    if current is None or current == median:
        return arm
    lo, hi = min(current, median), max(current, median)
    moving = (arm.event == 1) & (arm.time >= lo) & (arm.time <= hi)
    if moving.sum() > max(1, _SNAP_SHARE * arm.time.size):
        return arm
    time = np.where(moving, median, arm.time)
    order = np.argsort(time, kind="stable")
    moved = ArmIPD(time=time[order], event=arm.event[order])
    if median_time(*km_curve(moved.time, moved.event)) == median:
        return moved
    return arm


def _reach_half(arm: ArmIPD, median: float) -> ArmIPD:
    """Let the KM curve reach 0.5 by the reported median when it stays just above.

    The reconstruction's censoring follows a model, and a few censored patients too
    many before the median can leave the KM curve a fraction of a step above 0.5 at its
    last event before the median, with no event left to cross. The censored patients
    just after that event (the fewest needed, at most ``_SNAP_SHARE`` of the arm) are
    then moved to just before it, so that it has fewer patients at risk and crosses 0.5;
    events and their times are kept. Unchanged when the curve already reaches 0.5, or
    the move would take more patients.
    """
    km_t, km_s = km_curve(arm.time, arm.event)
    if median_time(km_t, km_s) is not None:
        return arm
    event_times = arm.time[(arm.event == 1) & (arm.time <= median)]
    if not event_times.size:
        return arm
    last = event_times.max()
    before = float(step_values(km_t, km_s, np.array([np.nextafter(last, -np.inf)]))[0])
    deaths = int(np.sum((arm.event == 1) & (arm.time == last)))
    at_risk = int(np.sum(arm.time >= last))
    if before <= 0.5:
        return arm
    needed = max(math.ceil(at_risk - deaths / (1.0 - 0.5 / before) - 1e-9), 1)
    later = np.flatnonzero((arm.event == 0) & (arm.time > last))
    if needed > later.size or needed > max(1, _SNAP_SHARE * arm.time.size):
        return arm
    earlier = arm.time[arm.time < last]
    time = arm.time.copy()
    time[later[:needed]] = 0.5 * (last + (earlier.max() if earlier.size else 0.0))
    order = np.argsort(time, kind="stable")
    return ArmIPD(time=time[order], event=arm.event[order])


def _below_half(arm: ArmIPD, median: float) -> ArmIPD:
    """Bring the first event after the median back to it when the KM curve sits at 0.5
    exactly from the median on: software disagrees on such a median (the first time at
    0.5, the middle of the flat stretch in R, the next event where floating-point error
    leaves the curve a hair above 0.5), a step below 0.5 leaves no doubt."""
    km_t, km_s = km_curve(arm.time, arm.event)
    if abs(float(step_values(km_t, km_s, np.array([median]))[0]) - 0.5) > 1e-9:
        return arm
    later = np.flatnonzero((arm.event == 1) & (arm.time > median))
    if not later.size:
        return arm
    time = arm.time.copy()
    time[later[0]] = median
    order = np.argsort(time, kind="stable")
    return ArmIPD(time=time[order], event=arm.event[order])


def _snap_landmark(arm: ArmIPD, t: float, target: float) -> ArmIPD:
    """Move one event across ``t`` when that brings the KM value at ``t`` closer to the
    reported landmark (events sit at quantiles of the curve, so the KM lies up to one
    step above it). The median is never changed by the move."""
    km_t, km_s = km_curve(arm.time, arm.event)
    now = float(step_values(km_t, km_s, np.array([t]))[0])
    events = np.flatnonzero(arm.event == 1)
    times = arm.time[events]
    if now > target:  # one more event by t: pull the first later event back to t
        later = events[times > t]
        if not later.size:
            return arm
        pick, new_time = later[0], t
    else:  # one event fewer by t: push the last event at or before t past it
        earlier = events[times <= t]
        after = times[times > t]
        if not earlier.size:
            return arm
        pick = earlier[-1]
        new_time = 0.5 * (t + (after[0] if after.size else max(arm.time.max(), t) + 1e-6))
        new_time = min(new_time, arm.time.max())
        if new_time <= t:
            return arm
    time = arm.time.copy()
    time[pick] = new_time
    order = np.argsort(time, kind="stable")
    moved = ArmIPD(time=time[order], event=arm.event[order])
    m_t, m_s = km_curve(moved.time, moved.event)
    better = abs(float(step_values(m_t, m_s, np.array([t]))[0]) - target) < abs(now - target)
    same_median = median_time(m_t, m_s) == median_time(km_t, km_s)
    return moved if better and same_median else arm


def _from_summaries(study, endpoint, arm, res, curve) -> tuple[ArmIPD, ReconstructionReport]:
    follow = study.endpoint(endpoint).follow_up
    span, sentence = accrual_span(follow, curve.end)
    dropout = dropout_of(follow)
    table = None
    if res.at_risk is not None:
        where = f"endpoints.{endpoint}.arms.{arm.id}.at_risk"
        try:
            table = check_at_risk(res.at_risk.times, res.at_risk.n, n=arm.n, curve_end=curve.end)
        except InputError as exc:
            raise exc.within(file=study.path, field=where) from None
        sentence = "censoring within the intervals of the published numbers at risk (Guyot)"
    if res.events is None:
        censoring = sentence
        # Rounded down: with fewer events than the curve allows, the censoring absorbs
        # the fraction and every event stays at its quantile of the curve. Without
        # accrual or dropout nobody is censored before the end (the curve-only case).
        censored = span > 0 or dropout > 0
        expected = expected_events(curve, arm.n, span, dropout=dropout)
        total = int(np.floor(expected + 1e-9)) if censored else None
        if total == 0 and res.median_value is not None:
            # a reached median needs an event; rounding down takes the only one from an
            # arm of one or two patients
            total = 1
    else:
        total = res.events
        follow_up_known = span > 0 or (follow is not None and follow.max is not None)
        tail = None
        if follow_up_known and not curve.uses_hr:
            tail = tail_for_events(
                curve, arm.n, span, total, not_reached=res.median == "NR", dropout=dropout
            )
        if tail is not None:
            curve, censoring = tail, sentence
        elif table is not None:
            censoring = sentence
        else:
            censoring = "uniform accrual, its span solved to meet the reported events"
    coords = np.column_stack([curve.time, curve.survival])
    notes = [f"curve: {curve.family}", *curve.assumptions, f"censoring: {censoring}"]
    arm_ipd, report = guyot_arrays(coords, arm.n, table, total, quantiles=True, digitized=False)
    if res.median_value is not None:
        median = float(res.median_value)
        same_time = res.landmarks.get(median)
        if same_time is not None and same_time.survival > 0.5:
            # a rate above 0.5 printed at the median's own time: the curve crosses 0.5
            # just after it (the median was rounded down onto that time)
            median *= 1.0 + _PAST_LANDMARK
        arm_ipd = _below_half(_snap_median(_reach_half(arm_ipd, median), median), median)
    for t, lm in sorted(res.landmarks.items()):
        arm_ipd = _snap_landmark(arm_ipd, float(t), lm.survival)
    return arm_ipd, replace(
        report,
        method="summaries",
        events_reported=res.events,
        notes=(*notes, *(n for n in report.notes if "cannot be met" in n or "placed" in n)),
    )


def _arm_from_summaries(study, endpoint, arm_id, curve) -> ArmIPD:
    arm = study.arm(arm_id)
    return _from_summaries(study, endpoint, arm, study.endpoint(endpoint).arms[arm_id], curve)[0]


def _calibrate_hr(study, endpoint: str, curves: dict) -> dict:
    """Rebuild the curves until the Cox HR of the integer data meets the published HR.

    Curves shaped by the HR (Weibull of a common shape, proportional hazards) honour it in
    continuous time, yet integer data of a few dozen patients give a Cox estimate several
    percent away: the HR they are built with is adjusted. Curves fixed by their own
    reported points get their within-stretch shape tilted instead (every point kept),
    and the centre of their tail-hazard prior scaled by the inverse factor
    (:func:`mmsurv.synthesis.tail_for_events`), by at most a factor 3: an HR that needs a
    steeper tilt is not met, as the report then says, rather than met by implausible
    curves.
    Secant steps on the log HR, at most ``_CALIBRATION_STEPS`` reconstructions; the
    closest is kept, and the report says which HR the data give.
    """
    comp = study.endpoint(endpoint).comparison
    target = float(np.log(comp.hr))
    by_hr = any(c.uses_hr for c in curves.values())

    def build(param: float) -> dict:
        if by_hr:
            rebuilt = summary_curves(study, endpoint, hr=float(np.exp(param)))
        else:
            rebuilt = summary_curves(study, endpoint, tilt=param)
        return {**curves, **{a: rebuilt[a] for a in (comp.treatment, comp.reference)}}

    def gap(built: dict) -> float:
        trt = _arm_from_summaries(study, endpoint, comp.treatment, built[comp.treatment])
        ref = _arm_from_summaries(study, endpoint, comp.reference, built[comp.reference])
        log_hr, _ = cox_binary(
            np.concatenate([trt.time, ref.time]),
            np.concatenate([trt.event, ref.event]),
            np.concatenate([np.ones(trt.time.size), np.zeros(ref.time.size)]),
        )
        return float(log_hr) - target if np.isfinite(log_hr) else np.inf

    p0 = target if by_hr else 0.0
    span = _PARAM_RANGE if by_hr else TILT_RANGE
    tried = [(p0, curves if by_hr else build(0.0))]
    tried[0] = (p0, tried[0][1], gap(tried[0][1]))
    if not np.isfinite(tried[0][2]):
        return curves
    p1 = p0 - tried[0][2] if by_hr else 0.5
    built = build(p1)
    tried.append((p1, built, gap(built)))
    for _ in range(_CALIBRATION_STEPS):
        (pa, _, fa), (pb, _, fb) = tried[-2], tried[-1]
        if abs(fb) < 1e-4 or fb == fa or not np.isfinite(fb):
            break
        pn = float(np.clip(pb - fb * (pb - pa) / (fb - fa), p0 - span, p0 + span))
        if pn == pb:  # held at the bound
            break
        built = build(pn)
        tried.append((pn, built, gap(built)))
    _, best, miss = min(tried, key=lambda item: abs(item[2]))
    said = f"Cox HR of the reconstruction {math.exp(target + miss):.3g}, published {comp.hr:g}"
    if abs(miss) > _HR_MET:
        said += (
            ": the closest the plausible curve shapes reach"
            if not by_hr
            else ": the closest the calibration reached"
        )
    arms = (comp.treatment, comp.reference)
    return {
        a: replace(c, assumptions=(*c.assumptions, said)) if a in arms else c
        for a, c in best.items()
    }


def reconstruct_arrays(
    study: Study, endpoint: str, *, hr_blind: bool = False, tilt: float = 0.0
) -> tuple[dict[str, ArmIPD], EndpointReport]:
    """The numpy form of :func:`reconstruct`: IPD arrays per arm id, and the report.

    ``tilt`` shapes, HR-blind, the stretches between the reported points of arms rebuilt
    from summaries (see :func:`mmsurv.synthesis.summary_curves`): one of the curve shapes
    that honour the points, as drawn by :mod:`mmsurv.draws`. The HR-informed calibration
    chooses its own tilt.
    """
    ep = study.endpoint(endpoint)
    file = study.path
    needs_synthesis = [a for a, res in ep.arms.items() if res.curve is None]
    curves = {}
    if needs_synthesis:
        try:
            curves = summary_curves(
                study, endpoint, hr_informed=not hr_blind, tilt=tilt if hr_blind else 0.0
            )
        except InputError as exc:
            raise exc.within(file=file) from None
        comp = ep.comparison
        if (
            not hr_blind
            and comp is not None
            and comp.hr is not None
            and {comp.treatment, comp.reference} <= set(curves)
        ):
            curves = _calibrate_hr(study, endpoint, curves)
    ipd: dict[str, ArmIPD] = {}
    reports: dict[str, ReconstructionReport] = {}
    for arm in study.arms:
        res = ep.arms.get(arm.id)
        if res is None:
            continue
        where = f"endpoints.{endpoint}.arms.{arm.id}"
        if res.curve is None:
            arm_ipd, report = _from_summaries(study, endpoint, arm, res, curves[arm.id])
        else:
            try:
                coords, log = clean_curve(res.curve.to_array(), field="curve")
                table = None
                if res.at_risk is not None:
                    table = check_at_risk(
                        res.at_risk.times, res.at_risk.n, n=arm.n, curve_end=float(coords[-1, 0])
                    )
            except InputError as exc:
                raise exc.within(file=file, field=where) from None
            end = ep.follow_up.max if ep.follow_up is not None else None
            if end is not None and end < coords[-1, 0]:
                end = None  # the curve goes on: its clicks say otherwise
            arm_ipd, report = guyot_arrays(
                coords, arm.n, table, res.events, cleaning=log, max_follow_up=end
            )
        ipd[arm.id] = arm_ipd
        constraints = constraints_of(res, arm_ipd, arm.n, judged=res.curve is None)
        unkept = tuple(c.shortfall for c in constraints if not c.kept)
        reports[arm.id] = replace(
            report, arm=arm.id, constraints=constraints, notes=(*report.notes, *unkept)
        )
    if not ipd:
        raise InputError(
            "no arm reports anything for this endpoint", file=file, field=f"endpoints.{endpoint}"
        )
    return ipd, EndpointReport(study.id, endpoint, reports, hr_blind)


def reconstruct(study: Study | str, endpoint: str, *, hr_blind: bool = False):
    """Reconstruct individual patient data for every arm of an endpoint.

    Each arm with a digitized curve goes through the Guyot algorithm
    (:func:`mmsurv.guyot`) with its numbers at risk and events when reported; an arm
    without one is rebuilt from its reported summaries (:mod:`mmsurv.synthesis`):
    median, landmarks, events, follow-up and, unless ``hr_blind``, the HR.

    Parameters
    ----------
    study : Study or str
        A loaded study, a YAML path or a catalog id.
    endpoint : str
        Endpoint name as in the study file (``"PFS"``, ``"OS"``).
    hr_blind : bool, default False
        Rebuild arms from summaries without the published HR, so that the HR of the
        reconstruction is a genuine check of the paper's. The default honours the HR
        (for re-plotting).

    The result is deterministic: no random numbers are drawn, so the same input gives
    the same IPD, byte for byte.

    Returns
    -------
    ipd : pandas.DataFrame
        Columns ``arm``, ``time``, ``event``; one row per patient, ``n`` rows per arm,
        times in the study's time unit.
    report : EndpointReport
        A :class:`~mmsurv.guyot.ReconstructionReport` per arm id.

    Raises
    ------
    InputError
        Unknown endpoint, no arm with a curve, or a curve or table that cannot be used.

    Examples
    --------
    >>> import mmsurv  # doctest: +SKIP
    >>> ipd, report = mmsurv.reconstruct("examples/rossi/study.yaml", "rearrest")  # doctest: +SKIP
    """
    import pandas as pd

    study = load_study(study)
    arrays, report = reconstruct_arrays(study, endpoint, hr_blind=hr_blind)
    frames = [
        pd.DataFrame({"arm": arm_id, "time": arm.time, "event": arm.event.astype(np.int64)})
        for arm_id, arm in arrays.items()
    ]
    return pd.concat(frames, ignore_index=True), report
