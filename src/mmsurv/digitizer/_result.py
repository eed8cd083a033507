"""The result of digitizing a figure, and the study it becomes."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ._calibration import Calibration
from ._diagnostic import Backdrop, diagnostic_figure
from ._write import write_folder

__all__ = ["Digitized", "DigitizedArm", "arm_id", "hex_colour"]


def hex_colour(colour: tuple[float, float, float] | None) -> str | None:
    """``#rrggbb`` of an RGB triple in [0, 1]."""
    if colour is None:
        return None
    return "#" + "".join(f"{round(255 * c):02x}" for c in colour)


def arm_id(label: str | None, index: int) -> str:
    """An arm id a study file accepts, from a legend label (``arm1`` ... without one)."""
    slug = re.sub(r"[^A-Za-z0-9._+-]+", "_", label or "").strip("_.+-")
    return slug if slug else f"arm{index + 1}"


@dataclass(frozen=True)
class DigitizedArm:
    """One curve read from a figure.

    Attributes
    ----------
    id : str
        Arm id (from the legend label, else ``arm1``, ``arm2``, ...).
    label : str or None
        The legend text next to the curve's key, when found.
    colour : str or None
        Stroke colour, ``#rrggbb``.
    curve : pandas.DataFrame
        ``time, survival``: the vertices of the drawn step function (each drop is two
        points at one time), survival as a fraction.
    censored : tuple of float
        Times of the censor marks drawn on this curve (one per mark: patients censored
        at the same time share a mark).
    at_risk : pandas.DataFrame or None
        ``time, n``: the numbers-at-risk row of this arm, when read and consistent.
    """

    id: str
    label: str | None
    colour: str | None
    curve: pd.DataFrame
    censored: tuple[float, ...] = ()
    at_risk: pd.DataFrame | None = None

    @property
    def drops(self) -> np.ndarray:
        """Times at which the curve steps down (the event times the figure shows)."""
        t = self.curve["time"].to_numpy()
        s = self.curve["survival"].to_numpy()
        down = (np.diff(t) == 0) & (np.diff(s) < 0)
        return np.unique(t[1:][down])

    @property
    def n(self) -> int | None:
        """Patients at time 0: the at-risk table's first count (None without a table)."""
        if self.at_risk is None:
            return None
        return int(self.at_risk["n"].iloc[0])

    def __repr__(self) -> str:
        table = "no at-risk row" if self.at_risk is None else f"n = {self.n}"
        return (
            f"DigitizedArm({self.id!r}, {len(self.curve)} points to t = "
            f"{self.curve['time'].iloc[-1]:.4g}, {len(self.censored)} censor marks, {table})"
        )


@dataclass(frozen=True)
class Digitized:
    """Curves, at-risk table and calibration read from one Kaplan-Meier figure.

    Attributes
    ----------
    source : str
        The figure file.
    kind : str
        ``"pdf"``, ``"svg"`` or ``"raster"``.
    arms : tuple of DigitizedArm
        One per curve.
    calibration : Calibration
        How figure coordinates became time and survival.
    warnings : tuple of str
        What the reader was unsure of or could not read.
    time_unit : str or None
        The unit the time axis's title names (``"weeks"`` for "Time (weeks)"), None
        when it was not read; :meth:`study_data` uses it unless given one.
    backdrop : Backdrop
        The figure as read (paths and words, or pixels), for :meth:`diagnostic`.
    """

    source: str
    kind: str
    arms: tuple[DigitizedArm, ...]
    calibration: Calibration
    warnings: tuple[str, ...] = field(default_factory=tuple)
    time_unit: str | None = None
    backdrop: Backdrop = field(default_factory=Backdrop, repr=False, compare=False)

    def diagnostic(self):
        """A matplotlib Figure of the extracted points and table over the source figure."""
        return diagnostic_figure(self, self.backdrop)

    def save(self, folder: str | os.PathLike, **study: Any) -> Path:
        """Write ``folder/study.yaml``, one ``ARM.csv`` per curve, one
        ``ARM-censor-marks.csv`` per curve with censor marks and ``digitized.png``.

        ``study`` takes :meth:`to_study`'s keywords. All files are written, or none.
        Returns the study file's path, which ``mmsurv reconstruct`` takes as it is.
        """
        return write_folder(self, folder, **study)

    def table(self) -> pd.DataFrame:
        """One row per arm: id, label, colour, points, time range, last survival,
        censor marks and n from the at-risk table."""
        return pd.DataFrame(
            [
                {
                    "arm": a.id,
                    "label": a.label,
                    "colour": a.colour,
                    "points": len(a.curve),
                    "last_time": float(a.curve["time"].iloc[-1]),
                    "last_survival": float(a.curve["survival"].iloc[-1]),
                    "censor_marks": len(a.censored),
                    "at_risk_rows": 0 if a.at_risk is None else len(a.at_risk),
                    "n": a.n,
                }
                for a in self.arms
            ]
        )

    def __repr__(self) -> str:
        arms = ", ".join(repr(a) for a in self.arms)
        return (
            f"Digitized({self.source!r}, {self.kind}, arms=[{arms}], "
            f"{len(self.warnings)} warning{'s' if len(self.warnings) != 1 else ''})"
        )

    def study_data(
        self,
        *,
        study_id: str = "digitized",
        endpoint: str = "survival",
        time_unit: str | None = None,
        labels: dict[str, str] | None = None,
        n: dict[str, int] | None = None,
        comparison: tuple[str, str] | None = None,
        curves: dict[str, str] | None = None,
        marks: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """The study as a mapping (what ``study.yaml`` holds); see :meth:`to_study`.

        ``curves`` and ``marks`` map arm ids to CSV file names to write instead of the
        coordinates and the censor marks' times (each arm's ``censor_times``)."""
        labels, n = dict(labels or {}), dict(n or {})
        pair: tuple[str, ...] = ()
        if comparison is not None:
            ok = isinstance(comparison, (tuple, list)) and len(comparison) == 2
            if not ok or not all(isinstance(a, str) for a in comparison):
                raise InputError(
                    f"expected (treatment, reference) arm ids, got {comparison!r}",
                    file=self.source,
                    field="comparison",
                )
            pair = tuple(comparison)
            if pair[0] == pair[1]:
                raise InputError(
                    f"an arm compared with itself: {pair[0]!r}",
                    file=self.source,
                    field="comparison",
                )
        unknown = (set(labels) | set(n) | set(pair)) - {a.id for a in self.arms}
        if unknown:
            ids = ", ".join(a.id for a in self.arms)
            raise InputError(
                f"no arm {sorted(unknown)[0]!r} (arms: {ids})", file=self.source, field="arms"
            )
        arms, results = [], {}
        for a in self.arms:
            size = n.get(a.id, a.n)
            if size is None:
                raise InputError(
                    f"arm {a.id!r}: no at-risk row was read, so n is unknown; give it "
                    "(--n, or n={...})",
                    file=self.source,
                    field="n",
                )
            entry: dict[str, Any] = {"id": a.id, "n": int(size)}
            label = labels.get(a.id, a.label)
            if label:
                entry["label"] = label
            arms.append(entry)
            res: dict[str, Any] = {
                "curve": (curves or {}).get(a.id)
                or a.curve[["time", "survival"]].to_numpy().tolist()
            }
            if a.at_risk is not None:
                res["at_risk"] = {
                    "times": a.at_risk["time"].tolist(),
                    "n": [int(v) for v in a.at_risk["n"]],
                }
            if a.censored:
                res["censor_times"] = (marks or {}).get(a.id) or list(a.censored)
            results[a.id] = res
        reported: dict[str, Any] = {"arms": results}
        if pair:
            reported["comparison"] = {"treatment": pair[0], "reference": pair[1]}
        return {
            "id": study_id,
            "title": f"Digitized from {self.source}",
            "time_unit": time_unit or self.time_unit or "months",
            "arms": arms,
            "endpoints": {endpoint: reported},
        }

    def to_study(self, **study: Any):
        """The curves as a validated :class:`~mmsurv.study.Study`, ready to reconstruct.

        Parameters
        ----------
        **study
            Keywords of :meth:`study_data` but ``curves``:
        study_id : str
            The study's id (a slug).
        endpoint : str
            Endpoint name (the figure does not say whether it shows PFS or OS).
        time_unit : str, optional
            ``months``, ``weeks``, ``days`` or ``years`` (default: the unit the time
            axis's title names, else months).
        labels : dict, optional
            Arm labels by arm id (default: the legend text).
        n : dict, optional
            Arm sizes by arm id; required for an arm whose at-risk row was not read.
        comparison : (str, str), optional
            Treatment and reference arm ids: the endpoint's comparison, so that the
            reconstruction's HR is reported (with ``draws``, its interval too).

        Returns
        -------
        mmsurv.Study

        Examples
        --------
        >>> import mmsurv
        >>> result = mmsurv.digitize("km.svg")  # doctest: +SKIP
        >>> study = result.to_study(endpoint="PFS", n={"arm1": 120})  # doctest: +SKIP
        >>> ipd, report = mmsurv.reconstruct(study, "PFS")  # doctest: +SKIP
        """
        from ..study import load_study

        if "curves" in study or "marks" in study:
            raise InputError("to_study takes the curves as read", field="curves")
        return load_study(self.study_data(**study))
