"""One arm from each of several studies, reconstructed on one time axis.

Meta-analysts put the control arms of several trials side by side (every Rd arm of the
daratumumab, elotuzumab, carfilzomib and ixazomib trials, say) to see how the
comparator behaved from trial to trial. :func:`mmsurv.cross_trial_arms` reconstructs the
endpoint of each study (:func:`mmsurv.reconstruct`), keeps the chosen arm and returns
the patients with what each paper reported for that arm;
:func:`mmsurv.plotting.plot_arms` draws them on one axis.

A single-arm study (a CAR-T or bispecific antibody phase I/II, say) is put beside the
control arms it is usually compared with in the same way: it has no comparator of its
own (:attr:`TrialArm.single_arm`), and no hazard ratio is computed between arms of
different studies.

Such curves are not a randomised comparison: the trials enrolled different patients
(newly diagnosed or relapsed, lines of prior therapy, fitness), in different eras, with
different follow-up, assessment schedules and subsequent therapies. Their differences
are not treatment effects; every result carries :data:`CROSS_TRIAL_WARNING` and says so.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from ._arrays import readonly
from .errors import InputError
from .formatting import distinct_labels
from .km import km_curve, median_time
from .study import ArmResults, Study
from .views import html_view

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    import pandas as pd

    from ._guyot import ArmIPD
    from ._reconstruct import EndpointReport

    #: A study's reconstructed endpoint: IPD arrays per arm id, and the report.
    Rebuild = Callable[[Study], tuple[Mapping[str, ArmIPD], EndpointReport]]

__all__ = [
    "CROSS_TRIAL_WARNING",
    "CrossTrialArms",
    "TrialArm",
    "collect_arms",
    "format_cross_trial",
]

CROSS_TRIAL_WARNING = (
    "Cross-trial comparisons are not randomised: patients were randomised within each "
    "trial, not between trials, so differences in populations, eras, comparator arms, "
    "endpoint definitions and follow-up can masquerade as treatment effects."
)


@dataclass(frozen=True, eq=False)
class TrialArm:
    """One study's arm: its reconstructed patients and what the paper reports for it.

    Attributes
    ----------
    study_id, trial : str
        The study's id and short name (:attr:`mmsurv.Study.trial_name`).
    arm : str
        The arm's id in the study.
    name : str
        The arm's label in the study (its id when it has none).
    label : str
        "<trial>: <arm>", with the study id added when two arms would share it.
    design : str or None
        The study's design, as the study file gives it.
    time, event : numpy.ndarray
        The reconstructed patients, sorted by time (read-only).
    published : ArmResults
        The arm's reported numbers for the endpoint.
    method : str
        How the arm was reconstructed (:attr:`mmsurv.ReconstructionReport.method`).
    single_arm : bool
        Whether the study has this one arm only (no randomised comparator of its own).
    """

    study_id: str
    trial: str
    arm: str
    name: str
    label: str
    design: str | None
    time: np.ndarray
    event: np.ndarray
    published: ArmResults
    method: str
    single_arm: bool = False

    @property
    def n(self) -> int:
        return int(self.time.size)

    @property
    def events(self) -> int:
        return int(self.event.sum())

    @property
    def median(self) -> float | None:
        """Kaplan-Meier median of the reconstruction (None when not reached)."""
        return median_time(*km_curve(self.time, self.event))

    def __repr__(self) -> str:
        median = "NR" if self.median is None else f"{self.median:.3g}"
        return (
            f"TrialArm({self.label}: n {self.n}, events {self.events}, median {median}; "
            f"{self.method})"
        )


@dataclass(frozen=True, eq=False)
class CrossTrialArms:
    """Arms of several studies for one endpoint, reconstructed (:func:`mmsurv.cross_trial_arms`).

    Attributes
    ----------
    endpoint : str
        The endpoint (``"PFS"``, ``"OS"``).
    time_unit : str
        The time unit shared by every study.
    arms : tuple of TrialArm
        One per study, in the order given.
    hr_blind : bool
        Whether arms rebuilt from summaries ignored the published HRs.
    warning : str
        :data:`CROSS_TRIAL_WARNING`.
    """

    endpoint: str
    time_unit: str
    arms: tuple[TrialArm, ...]
    hr_blind: bool = False
    warning: str = CROSS_TRIAL_WARNING

    def ipd(self) -> pd.DataFrame:
        """The patients, one row each: ``arm`` (the arm's :attr:`TrialArm.label`),
        ``time``, ``event``; ready for :func:`mmsurv.analyze`."""
        import pandas as pd

        return pd.DataFrame(
            {
                "arm": np.repeat([a.label for a in self.arms], [a.n for a in self.arms]),
                "time": np.concatenate([a.time for a in self.arms]),
                "event": np.concatenate([a.event for a in self.arms]).astype(int),
            }
        )

    def table(self) -> pd.DataFrame:
        """One row per arm: study, arm, n, reported and reconstructed events and
        medians (NaN when not reported or not reached), reconstruction method, and
        whether the study is single-arm."""
        import pandas as pd

        def number(value: Any) -> float:
            return float(value) if isinstance(value, (int, float)) else np.nan

        return pd.DataFrame(
            [
                {
                    "study_id": a.study_id,
                    "trial": a.trial,
                    "arm": a.arm,
                    "n": a.n,
                    "events_reported": number(a.published.events),
                    "events_reconstructed": a.events,
                    "median_reported": number(a.published.median),
                    "median_reconstructed": number(a.median),
                    "method": a.method,
                    "single_arm": a.single_arm,
                }
                for a in self.arms
            ]
        )

    def _repr_html_(self) -> str:
        title = f"{self.endpoint}: {len(self.arms)} arms of different studies ({self.time_unit})"
        return html_view(title, self.table(), [self.warning])

    def __repr__(self) -> str:
        return format_cross_trial(self)


def format_cross_trial(arms: CrossTrialArms) -> str:
    """The arms as a text table, with the warning under it."""
    rows = [("study", "arm", "n", "events rep/rec", f"median rep/rec ({arms.time_unit})")]
    for a in arms.arms:
        pub = a.published
        events = _number(pub.events, "d")
        median = pub.median if isinstance(pub.median, str) else _number(pub.median, "g")
        rec = "NR" if a.median is None else format(a.median, ".3g")
        rows.append((a.study_id, a.arm, str(a.n), f"{events}/{a.events}", f"{median}/{rec}"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [f"{arms.endpoint}: one arm from each of {len(arms.arms)} studies"]
    lines += [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    single = [a.study_id for a in arms.arms if a.single_arm]
    if single:
        note = (
            f"Single-arm: {', '.join(single)} (no randomised comparator; no hazard ratio "
            "is computed between arms of different studies)"
        )
        lines += textwrap.wrap(note, 88, subsequent_indent="  ")
    lines += textwrap.wrap(f"Warning: {arms.warning}", 88, subsequent_indent="  ")
    return "\n".join(lines)


def _number(value: float | None, spec: str) -> str:
    return "NA" if value is None else format(value, spec)


def _arm_ids(arm: str | Sequence[str] | None, count: int) -> list[str | None]:
    if arm is None or isinstance(arm, str):
        return [arm] * count
    if not isinstance(arm, Sequence) or not all(isinstance(a, str) for a in arm):
        raise InputError(f"expected an arm id or a list of them, got {arm!r}", field="arm")
    if len(arm) == 1:
        return [arm[0]] * count
    if len(arm) != count:
        raise InputError(
            f"{len(arm)} arm ids for {count} studies (give one, or one per study)", field="arm"
        )
    return list(arm)


def _chosen_arm(study: Study, endpoint: str, arm: str | None) -> str:
    """The arm ``arm`` of the endpoint; by default its comparison's reference arm, or
    its only arm."""
    ep = study.endpoint(endpoint)
    where = f"endpoints.{endpoint}"
    if arm is None:
        if ep.comparison is not None:
            return ep.comparison.reference
        if len(ep.arms) == 1:
            return next(iter(ep.arms))
        raise InputError(
            f"{endpoint} has no comparison, so no reference arm: name the arm (arms: "
            f"{', '.join(ep.arms)})",
            file=study.path,
            field=where,
        )
    if arm not in ep.arms:
        raise InputError(
            f"no arm {arm!r} reported for {endpoint} in study {study.id} (arms: "
            f"{', '.join(ep.arms)})",
            file=study.path,
            field=f"{where}.arms",
        )
    return arm


def collect_arms(
    studies: Sequence[Study],
    endpoint: str,
    arm: str | Sequence[str] | None,
    rebuilt: Rebuild,
    *,
    hr_blind: bool = False,
) -> CrossTrialArms:
    """Keep one arm of each loaded study: the collecting half of
    :func:`mmsurv.cross_trial_arms`.

    Parameters
    ----------
    studies : sequence of Study
        The studies, in one time unit.
    endpoint : str
        The endpoint.
    arm : str or sequence of str, optional
        As :func:`mmsurv.cross_trial_arms`.
    rebuilt : callable
        Gives a study's reconstructed endpoint: IPD arrays per arm id and the report
        (:func:`mmsurv._reconstruct.reconstruct_arrays`).
    hr_blind : bool
        The reconstructions are HR-blind.

    Returns
    -------
    CrossTrialArms
    """
    loaded = list(studies)
    unit = loaded[0].time_unit
    arms = []
    for study, wanted in zip(loaded, _arm_ids(arm, len(loaded)), strict=True):
        if study.time_unit != unit:
            raise InputError(
                f"time is in {study.time_unit}, but {loaded[0].id} uses {unit}: curves on one "
                "axis need one time unit",
                file=study.path,
                field="time_unit",
            )
        arm_id = _chosen_arm(study, endpoint, wanted)
        ipd, report = rebuilt(study)
        arm_ipd = ipd[arm_id]
        arms.append(
            TrialArm(
                study_id=study.id,
                trial=study.trial_name,
                arm=arm_id,
                name=study.arm(arm_id).name,
                label=f"{study.trial_name}: {arm_id}",
                design=study.design,
                time=readonly(arm_ipd.time),
                event=readonly(arm_ipd.event, dtype=int),
                published=study.endpoint(endpoint).arms[arm_id],
                method=report[arm_id].method,
                single_arm=len(study.arms) == 1,
            )
        )
    return CrossTrialArms(endpoint, unit, tuple(_distinct(arms)), hr_blind)


def _distinct(arms: list[TrialArm]) -> list[TrialArm]:
    """Labels made unique with the study id where two arms would share one."""
    labels = distinct_labels([a.label for a in arms], [a.study_id for a in arms])
    return [replace(a, label=label) for a, label in zip(arms, labels, strict=True)]
