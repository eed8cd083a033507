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
from .curves import check_at_risk, clean_curve
from .errors import InputError
from .km import km_curve, median_time, n_at_risk, one_event_step, step_values
from .printed import half_unit
from .study import Study, load_study
from .summaries import arm_from_summaries, summary_arms
from .views import html_view

__all__ = ["Constraint", "EndpointReport", "constraints_of", "reconstruct", "reconstruct_arrays"]


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


#: Relative distance past a landmark at the median's printed time (with a rate above
#: 0.5) at which the reconstruction's curve crosses 0.5.
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
        constraints = constraints_of(res, arm_ipd, arm.n, judged=res.curve is None)
        unkept = tuple(c.shortfall for c in constraints if c.shortfall is not None)
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
