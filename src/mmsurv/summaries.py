"""Reconstruction from reported summaries alone: an arm without a digitized curve.

:func:`summary_arms` builds each such arm's curve from its printed numbers
(:func:`mmsurv.synthesis.summary_curves`) and, when the study reports an HR and the
reconstruction is HR-informed, calibrates the curves until the Cox HR of the integer
data meets the published one; :func:`arm_from_summaries` turns a curve into patients
with the Guyot engine and snaps the Kaplan-Meier median and landmarks to the printed
ones. :func:`mmsurv._reconstruct.reconstruct_arrays` dispatches here.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from ._guyot import ArmIPD, ReconstructionReport, guyot_arrays
from .cox import cox_binary
from .curves import check_at_risk
from .errors import InputError
from .km import km_curve, median_time, step_values
from .study import Arm, ArmResults, Study
from .synthesis import (
    SummaryCurve,
    accrual_span,
    dropout_of,
    expected_events,
    summary_curves,
    tail_for_events,
)

__all__ = ["TILT_RANGE", "arm_from_summaries", "summary_arms"]

_CALIBRATION_STEPS = 12
_PARAM_RANGE = 3.0
#: The within-stretch shape exp(+-tilt) stays within 1/3-3: the catalog's HRs are met,
#: and the curves stay closer to the truth than with steeper tilts (measured by
#: validation/synthesis_accuracy.py: mean |dS| over real data sets).
TILT_RANGE = math.log(3.0)
#: The calibration counts the HR as met within 1% (on the log scale).
_HR_MET = 0.01


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


def arm_from_summaries(
    study: Study, endpoint: str, arm: Arm, res: ArmResults, curve: SummaryCurve
) -> tuple[ArmIPD, ReconstructionReport]:
    """An arm's patients from its summary curve: the Guyot engine at the curve's
    quantiles, with censoring from the follow-up (or the published numbers at risk),
    then the KM median and landmarks snapped to the printed ones."""
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
    return arm_from_summaries(study, endpoint, arm, study.endpoint(endpoint).arms[arm_id], curve)[0]


def _calibrate_hr(study: Study, endpoint: str, curves: dict, common_tilt: float = 0.0) -> dict:
    """Rebuild the curves until the Cox HR of the integer data meets the published HR.

    Curves shaped by the HR (Weibull of a common shape, proportional hazards) honour it in
    continuous time, yet integer data of a few dozen patients give a Cox estimate several
    percent away: the HR they are built with is adjusted. Curves fixed by their own
    reported points get their within-stretch shape tilted instead (every point kept),
    and the centre of their tail-hazard prior scaled by the inverse factor
    (:func:`mmsurv.synthesis.tail_for_events`), by at most a factor 3: an HR that needs a
    steeper tilt is not met, as the report then says, rather than met by implausible
    curves. ``common_tilt`` (both arms' shape, see :func:`mmsurv.synthesis.summary_curves`)
    is kept while the HR is calibrated.
    Secant steps on the log HR, at most ``_CALIBRATION_STEPS`` reconstructions; the
    closest is kept, and the report says which HR the data give.
    """
    comp = study.endpoint(endpoint).comparison
    assert comp is not None and comp.hr is not None  # summary_arms calls it only so
    target = float(np.log(comp.hr))
    by_hr = any(c.uses_hr for c in curves.values())

    def build(param: float) -> dict:
        if by_hr:
            rebuilt = summary_curves(study, endpoint, hr=float(np.exp(param)))
        else:
            rebuilt = summary_curves(study, endpoint, tilt=param, common_tilt=common_tilt)
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
    first = curves if by_hr else build(0.0)
    tried = [(p0, first, gap(first))]
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


def summary_arms(
    study: Study,
    endpoint: str,
    *,
    hr_blind: bool = False,
    tilt: float = 0.0,
    common_tilt: float = 0.0,
) -> dict[str, SummaryCurve]:
    """The curves of an endpoint's arms that report no digitized curve, HR-calibrated
    unless ``hr_blind`` (see :func:`_calibrate_hr`); HR-blind, shaped by ``tilt`` (see
    :func:`mmsurv.synthesis.summary_curves`; the calibration chooses its own), and in
    both modes by ``common_tilt``."""
    ep = study.endpoint(endpoint)
    try:
        curves = summary_curves(
            study,
            endpoint,
            hr_informed=not hr_blind,
            tilt=tilt if hr_blind else 0.0,
            common_tilt=common_tilt,
        )
    except InputError as exc:
        raise exc.within(file=study.path) from None
    comp = ep.comparison
    if (
        not hr_blind
        and comp is not None
        and comp.hr is not None
        and {comp.treatment, comp.reference} <= set(curves)
    ):
        curves = _calibrate_hr(study, endpoint, curves, common_tilt)
    return curves
