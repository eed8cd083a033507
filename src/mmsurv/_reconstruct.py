"""Reconstruct an endpoint of a study: IPD of its arms, with a report per arm.

Each arm is reconstructed with the method its reported data allow. An arm with a
digitized curve goes through :func:`mmsurv._guyot.guyot_arrays` with whatever it also
reports: numbers at risk, total events, both or neither (the four cases of Guyot et al.
2012). An arm without a curve is rebuilt from its reported summaries
(:mod:`mmsurv.summaries`: a curve from :mod:`mmsurv.synthesis`, HR-calibrated, turned
into patients by the same engine). This module only dispatches.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

import numpy as np

from ._guyot import ArmIPD, ReconstructionReport, guyot_arrays
from .clicks import click_error
from .curves import check_at_risk, clean_curve
from .errors import InputError
from .km import km_curve, median_time, n_at_risk, one_event_step, step_values
from .printed import half_unit
from .study import Study, load_study
from .summaries import arm_from_summaries, summary_arms
from .views import html_view

__all__ = [
    "END_SHARE",
    "SHARED_END_REACH",
    "Constraint",
    "EndpointReport",
    "constraints_of",
    "reconstruct",
    "reconstruct_arrays",
    "shared_end",
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
        """One line per arm: endpoint, arm, method, n, events, max |dS|, followed for a
        digitized arm by one indented line per repair of its input and per warning
        (:meth:`ReconstructionReport.input_lines`); then one line per reported number the
        reconstruction could not keep."""
        lines = [
            line
            for report in self.arms.values()
            for line in (
                f"{self.endpoint} {report.summary()}",
                *(f"  {item}" for item in report.input_lines()),
            )
        ]
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


def constraints_of(res, arm: ArmIPD, n: int, *, judged: bool = False) -> tuple[Constraint, ...]:
    """Every number reported for an arm next to the value in its reconstruction.

    With ``judged`` (an arm rebuilt from its summaries, which aims at every reported
    number), each number is marked kept or not: a median kept when reached or not as
    reported and, when reached, within its printed rounding; a landmark within its
    printed rounding plus one event's step of the Kaplan-Meier curve next to it
    (:func:`mmsurv.km.one_event_step`); events exactly.
    """
    km_t, km_s = km_curve(arm.time, arm.event)
    risk = n_at_risk(arm.time, km_t)
    out = [Constraint("n", float(n), float(arm.time.size))]
    if res.median is not None:
        rec = median_time(km_t, km_s)
        if res.median == "NR":
            kept = rec is None
        else:
            kept = rec is not None and abs(rec - res.median) <= half_unit(res.median) + 1e-9
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
        step = float(one_event_step(km_t, km_s, risk, np.array([t]))[0])
        slack = half_unit(lm.survival) + step + 1e-9
        kept = (at_risk > 0 or value == 0) and abs(value - lm.survival) <= slack
        out.append(Constraint(f"survival at {t:g}", float(lm.survival), value, kept or not judged))
    if res.events is not None:
        rec = float(arm.event.sum())
        out.append(Constraint("events", float(res.events), rec, rec == res.events or not judged))
    return tuple(out)


#: Censorings within this share of the last interval's width before the end of a curve
#: are its survivors followed to the end: the censoring model puts them there, a hair
#: before it (:func:`mmsurv._guyot.guyot_arrays`).
END_SHARE = 1e-4
#: The last clicks of two digitized curves of one endpoint within this many standard
#: deviations of the difference of their click errors mark one end of follow-up
#: (:func:`shared_end`).
SHARED_END_REACH = 4.0


def shared_end(
    ends: Mapping[str, float], time_errors: Mapping[str, float]
) -> dict[str, tuple[float, str]]:
    """The arms whose curve ends at the endpoint's latest end, up to click error.

    The arms of one trial share its data cut-off, and a figure draws each arm's curve
    up to its last patient's time: where two curves end at what is one time on the
    figure, their clicks still differ by the difference of two click errors. Each arm's
    patients still at risk at the end of its curve are censored at that end (Guyot et
    al. 2012); with the ends apart, the events at the end of the later curve (a drop
    at the end of a fixed follow-up, as at the last week of a one-year study) fall
    after the other arm's censorings and lose its patients from their risk set, which
    biases a Cox model of the arms. The convention of survival data counts a patient
    censored at an event's time as at risk for it: an arm whose end lies within
    :data:`SHARED_END_REACH` standard deviations of the latest end (its click error in
    time and that curve's, :func:`mmsurv.clicks.click_error`, combined) takes the latest
    end for its censorings at the end. Ends further apart are taken as they are.

    Parameters
    ----------
    ends : mapping of str to float
        The end of each digitized arm's curve, by arm id.
    time_errors : mapping of str to float
        The standard deviation of each arm's click error in time.

    Returns
    -------
    dict of str to (float, str)
        For each arm that moves: the latest end, and the arm whose curve ends there.

    Examples
    --------
    >>> shared_end({"A": 51.9, "B": 52.1, "C": 40.0}, {"A": 0.1, "B": 0.1, "C": 0.1})
    {'A': (52.1, 'B')}
    """
    if not ends:
        return {}
    last = max(ends, key=lambda arm_id: ends[arm_id])
    latest = ends[last]
    moves = {}
    for arm_id, end in ends.items():
        reach = SHARED_END_REACH * math.hypot(time_errors[arm_id], time_errors[last])
        if end < latest and latest - end <= reach:
            moves[arm_id] = (latest, last)
    return moves


def _censored_at(arm: ArmIPD, report: ReconstructionReport, latest: float) -> tuple[ArmIPD, int]:
    """The arm with its patients censored at the end of its curve (within
    :data:`END_SHARE` of the last interval) censored at ``latest`` instead."""
    end, start = float(report.interval_end[-1]), float(report.interval_start[-1])
    moved = (arm.event == 0) & (arm.time >= end - END_SHARE * (end - start))
    time = np.where(moved, latest, arm.time)
    order = np.argsort(time, kind="stable")
    return ArmIPD(time=time[order], event=arm.event[order]), int(moved.sum())


def reconstruct_arrays(
    study: Study,
    endpoint: str,
    *,
    hr_blind: bool = False,
    tilt: float = 0.0,
    common_tilt: float = 0.0,
) -> tuple[dict[str, ArmIPD], EndpointReport]:
    """The numpy form of :func:`reconstruct`: IPD arrays per arm id, and the report.

    ``tilt`` shapes, HR-blind, the stretches between the reported points of arms rebuilt
    from summaries (see :func:`mmsurv.synthesis.summary_curves`): one of the curve shapes
    that honour the points, as drawn by :mod:`mmsurv.draws`. The HR-informed calibration
    chooses its own tilt. ``common_tilt`` shapes those stretches in every arm alike, in
    both modes (drawn by :mod:`mmsurv.draws`).
    """
    ep = study.endpoint(endpoint)
    file = study.path
    needs_synthesis = any(res.curve is None for res in ep.arms.values())
    curves = (
        summary_arms(study, endpoint, hr_blind=hr_blind, tilt=tilt, common_tilt=common_tilt)
        if needs_synthesis
        else {}
    )
    ipd: dict[str, ArmIPD] = {}
    reports: dict[str, ReconstructionReport] = {}
    ends: dict[str, float] = {}
    time_errors: dict[str, float] = {}
    for arm in study.arms:
        res = ep.arms.get(arm.id)
        if res is None:
            continue
        where = f"endpoints.{endpoint}.arms.{arm.id}"
        if res.curve is None:
            arm_ipd, report = arm_from_summaries(study, endpoint, arm, res, curves[arm.id])
        else:
            try:
                coords, log = clean_curve(
                    res.curve.to_array(), field="curve", time_axis=ep.time_extent
                )
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
            marks = None if res.censor_times is None else np.asarray(res.censor_times)
            arm_ipd, report = guyot_arrays(
                coords,
                arm.n,
                table,
                res.events,
                cleaning=log,
                max_follow_up=end,
                censor_times=marks,
            )
        ipd[arm.id] = arm_ipd
        reports[arm.id] = report
        if res.curve is not None:
            ends[arm.id] = float(report.interval_end[-1])
            time_errors[arm.id] = click_error(res.curve.to_array()).time
    for arm_id, (latest, other) in shared_end(ends, time_errors).items():
        ipd[arm_id], count = _censored_at(ipd[arm_id], reports[arm_id], latest)
        if count:
            note = (
                f"{count} patients still at risk at the end of the curve ({ends[arm_id]:g}) "
                f"censored at {latest:g}, where the curve of {other} ends: the two ends are "
                "one time up to click error, and the arms share the data cut-off"
            )
            reports[arm_id] = replace(reports[arm_id], notes=(*reports[arm_id].notes, note))
    for arm in study.arms:
        if arm.id not in ipd:
            continue
        res = ep.arms[arm.id]
        constraints = constraints_of(res, ipd[arm.id], arm.n, judged=res.curve is None)
        unkept = tuple(c.shortfall for c in constraints if c.shortfall is not None)
        report = reports[arm.id]
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
        A :class:`mmsurv.ReconstructionReport` per arm id.

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
