"""Reconstruct an endpoint of a study: IPD of its arms, with a report per arm.

Each arm is reconstructed with the method its reported data allow. An arm with a
digitized curve goes through :func:`mmsurv.guyot.guyot_arrays` with whatever it also
reports: numbers at risk, total events, both or neither (the four cases of Guyot et al.
2012).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

import numpy as np

from .curves import check_at_risk, clean_curve
from .errors import InputError
from .guyot import ArmIPD, ReconstructionReport, guyot_arrays
from .study import Study, load_study

__all__ = ["EndpointReport", "reconstruct", "reconstruct_arrays"]


@dataclass(frozen=True)
class EndpointReport(Mapping):
    """The reconstruction reports of one endpoint, by arm id (a read-only mapping)."""

    study_id: str
    endpoint: str
    arms: dict[str, ReconstructionReport]

    def __getitem__(self, arm_id: str) -> ReconstructionReport:
        return self.arms[arm_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self.arms)

    def __len__(self) -> int:
        return len(self.arms)

    def summary_lines(self) -> list[str]:
        """One line per arm: endpoint, arm, method, n, events, max |dS|."""
        return [f"{self.endpoint} {report.summary()}" for report in self.arms.values()]

    def table(self):
        """One row per arm: method, n, events reported and reconstructed, KM errors."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "endpoint": self.endpoint,
                    "arm": arm_id,
                    "method": r.method,
                    "n": r.n,
                    "events_reported": r.events_reported,
                    "events_reconstructed": r.events_reconstructed,
                    "max_abs_km_error": r.max_abs_km_error,
                    "mean_abs_km_error": r.mean_abs_km_error,
                    "notes": "; ".join(r.notes),
                }
                for arm_id, r in self.arms.items()
            ]
        )

    def __repr__(self) -> str:
        head = f"EndpointReport({self.study_id}, {self.endpoint})"
        return "\n".join([head, *(f"  {line}" for line in self.summary_lines())])


def reconstruct_arrays(study: Study, endpoint: str) -> tuple[dict[str, ArmIPD], EndpointReport]:
    """The numpy form of :func:`reconstruct`: IPD arrays per arm id, and the report."""
    ep = study.endpoint(endpoint)
    file = study.path
    with_curve = {arm_id: res for arm_id, res in ep.arms.items() if res.curve is not None}
    if not with_curve:
        raise InputError(
            "no arm has a digitized curve; reconstruction from reported summaries alone "
            "is not available in this version",
            file=file,
            field=f"endpoints.{endpoint}",
        )
    ipd: dict[str, ArmIPD] = {}
    reports: dict[str, ReconstructionReport] = {}
    for arm in study.arms:
        res = with_curve.get(arm.id)
        if res is None:
            continue
        where = f"endpoints.{endpoint}.arms.{arm.id}"
        try:
            coords, log = clean_curve(res.curve.to_array(), field="curve")
            table = None
            if res.at_risk is not None:
                table = check_at_risk(
                    res.at_risk.times, res.at_risk.n, n=arm.n, curve_end=float(coords[-1, 0])
                )
        except InputError as exc:
            raise exc.within(file=file, field=where) from None
        arm_ipd, report = guyot_arrays(coords, arm.n, table, res.events, cleaning=log)
        ipd[arm.id] = arm_ipd
        reports[arm.id] = replace(report, arm=arm.id)
    return ipd, EndpointReport(study.id, endpoint, reports)


def reconstruct(study: Study | str, endpoint: str):
    """Reconstruct individual patient data for every arm of an endpoint that has a curve.

    Parameters
    ----------
    study : Study or str
        A loaded study, a YAML path or a catalog id.
    endpoint : str
        Endpoint name as in the study file (``"PFS"``, ``"OS"``).

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
    arrays, report = reconstruct_arrays(study, endpoint)
    frames = [
        pd.DataFrame({"arm": arm_id, "time": arm.time, "event": arm.event.astype(np.int64)})
        for arm_id, arm in arrays.items()
    ]
    return pd.concat(frames, ignore_index=True), report
