"""Calibration of the draws: do their intervals hold the truth as often as they claim?

For data sets whose patients are known (:func:`mmsurv.validation.real_datasets`, and
:func:`mmsurv.validation.simulated_trials` with a known mechanism), each input case is
made from the truth -- a digitized figure with numbers at risk and events, the figure
and the events, the figure alone (:func:`mmsurv.validation.paper_view`), or an abstract
(:func:`mmsurv.validation.abstract_view`) rebuilt with and without its HR -- and
reconstructed with draws (:func:`mmsurv.draws.draw_arrays`). A quantity is *covered*
when its true value (Cox log HR, median and RMST of each arm, from the true patients)
lies within the central 95% interval of the draws. Beside it, the baseline of a plain
bootstrap of the point reconstruction (Efron B, Tibshirani RJ. An Introduction to the
Bootstrap. Chapman & Hall 1993): it resamples patients, so it measures sampling error,
not how far the reconstruction is from the data it rebuilds.

The target is coverage of at least 90% in every case with intervals no wider than the
errors call for; the measured numbers are in ``validation/results/draw_calibration.md``
(``python validation/draw_calibration.py``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from ._guyot import ArmIPD
from .draws import draw_arrays
from .study import load_study
from .uncertainty import central_interval, draw_quantities
from .validation import ABSTRACT_ENDPOINT, RealDataset, abstract_view, paper_view

__all__ = [
    "CALIBRATION_CASES",
    "HORIZON_SHARE",
    "calibration_rows",
    "case_study",
    "summarize_calibration",
]

#: Input cases: the three digitized ones of Guyot et al. (2012) that the project
#: validates, and the two summary modes.
CALIBRATION_CASES: tuple[str, ...] = (
    "at_risk_events",
    "events",
    "curve_only",
    "hr_informed",
    "hr_blind",
)
#: RMST horizon: this share of the earliest last observed time of the two arms.
HORIZON_SHARE = 0.8
_SUMMARY_CASES = {"hr_informed": False, "hr_blind": True}


def case_study(dataset: RealDataset, case: str, *, seed: int) -> tuple[dict, dict[str, str]]:
    """The study mapping of one input case, and the arm id of each arm label."""
    if case in _SUMMARY_CASES:
        view = abstract_view(dataset)
        return view, {arm["label"]: arm["id"] for arm in view["arms"]}
    if case not in CALIBRATION_CASES:
        raise ValueError(f"unknown case {case!r}; expected one of {', '.join(CALIBRATION_CASES)}")
    paper = paper_view(dataset, seed=seed)
    ids = {label: f"arm{i}" for i, label in enumerate(dataset.arms)}
    arms = {}
    for label, arm in paper.items():
        entry = {"curve": arm.clicks.tolist()}
        if case == "at_risk_events":
            entry["at_risk"] = arm.at_risk
        if case in ("at_risk_events", "events"):
            entry["events"] = arm.total_events
        arms[ids[label]] = entry
    study = {
        "id": dataset.name.replace("_", "-"),
        "arms": [{"id": ids[label], "n": paper[label].n} for label in dataset.arms],
        "endpoints": {
            ABSTRACT_ENDPOINT: {
                "arms": arms,
                "comparison": {
                    "treatment": ids[dataset.treatment],
                    "reference": ids[dataset.reference],
                },
            }
        },
    }
    return study, ids


def _truth(dataset: RealDataset, ids: dict[str, str], horizon: float) -> dict:
    arms = {ids[label]: ArmIPD(*dataset.arm(label)) for label in dataset.arms}
    pair = (ids[dataset.treatment], ids[dataset.reference])
    return draw_quantities([arms], comparison=pair, horizon=horizon)


def _bootstrap(point: dict[str, ArmIPD], draws: int, rng: np.random.Generator) -> list[dict]:
    sets = []
    for _ in range(draws):
        sample = {}
        for arm_id, arm in point.items():
            pick = np.sort(rng.integers(0, arm.time.size, arm.time.size))
            sample[arm_id] = ArmIPD(time=arm.time[pick], event=arm.event[pick])
        sets.append(sample)
    return sets


def _width(lo: float, hi: float, scale: float) -> float:
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return math.nan
    return (hi - lo) / scale


def calibration_rows(
    datasets: Iterable[RealDataset],
    cases: Sequence[str] = CALIBRATION_CASES,
    *,
    draws: int = 200,
    summary_draws: int | None = None,
    seed: int = 2012,
    level: float = 0.95,
) -> pd.DataFrame:
    """Coverage of the draws' and of the bootstrap's intervals, per data set and case.

    Parameters
    ----------
    datasets : iterable of RealDataset
    cases : sequence of str, default :data:`CALIBRATION_CASES`
    draws : int, default 200
        Draws per digitized case (and bootstrap resamples).
    summary_draws : int, optional
        Draws per summary case (they cost a reconstruction with HR calibration each);
        default ``draws``.
    seed : int, default 2012
        Seed of the digitizer noise, the draws and the bootstrap.
    level : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        One row per data set, case and quantity (``log_hr``; ``median`` and ``rmst`` per
        arm): ``truth``, ``point``, the draws' ``lo``, ``hi``, ``covered`` and ``width``,
        the bootstrap's ``boot_lo``, ``boot_hi``, ``boot_covered``, ``boot_width``.
        Widths of the log HR are on the log scale; those of medians and RMSTs relative
        to the true value. A not-reached median is infinite (covered by an interval
        that reaches infinity); its width is NaN. ``error`` holds the message of a
        reconstruction that failed.
    """
    from .errors import InputError

    rows = []
    for dataset in datasets:
        horizon = HORIZON_SHARE * min(float(dataset.arm(a)[0].max()) for a in dataset.arms)
        for case in cases:
            k = summary_draws if (case in _SUMMARY_CASES and summary_draws) else draws
            mapping, ids = case_study(dataset, case, seed=seed)
            truth = _truth(dataset, ids, horizon)
            pair = (ids[dataset.treatment], ids[dataset.reference])
            base = {"dataset": dataset.name, "case": case, "draws": k}
            try:
                sets, _ = draw_arrays(
                    load_study(mapping),
                    ABSTRACT_ENDPOINT,
                    k,
                    seed=seed,
                    hr_blind=_SUMMARY_CASES.get(case, False),
                )
            except InputError as exc:
                rows.append({**base, "error": str(exc)})
                continue
            got = draw_quantities(sets, comparison=pair, horizon=horizon)
            boot = draw_quantities(
                _bootstrap(sets[0], k, np.random.default_rng(seed)),
                comparison=pair,
                horizon=horizon,
            )
            for (quantity, arm), true_values in truth.items():
                if quantity not in ("hr", "median", "rmst"):
                    continue
                log = quantity == "hr"
                tr = float(true_values[0])
                series, boot_series = got[(quantity, arm)], boot[(quantity, arm)]
                if log:
                    tr, series, boot_series = math.log(tr), np.log(series), np.log(boot_series)
                lo, hi = central_interval(series, level)
                b_lo, b_hi = central_interval(boot_series, level)
                scale = 1.0 if log or not math.isfinite(tr) else tr
                rows.append(
                    {
                        **base,
                        "quantity": "log_hr" if log else quantity,
                        "arm": "" if log else arm,
                        "truth": tr,
                        "point": float(series[0]),
                        "lo": lo,
                        "hi": hi,
                        "covered": bool(lo <= tr <= hi),
                        "width": _width(lo, hi, scale),
                        "boot_lo": b_lo,
                        "boot_hi": b_hi,
                        "boot_covered": bool(b_lo <= tr <= b_hi),
                        "boot_width": _width(b_lo, b_hi, scale),
                        "error": "",
                    }
                )
    return pd.DataFrame(rows)


def summarize_calibration(rows: pd.DataFrame) -> pd.DataFrame:
    """Per case and quantity: share covered and median width, draws and bootstrap, and
    the median error of the point reconstruction (log HR absolute, others relative)."""
    done = rows[rows["error"] == ""]
    grouped = done.groupby(["case", "quantity"], sort=False)
    out = grouped.agg(
        n=("covered", "size"),
        coverage=("covered", "mean"),
        width_median=("width", "median"),
        boot_coverage=("boot_covered", "mean"),
        boot_width_median=("boot_width", "median"),
    )
    out["abs_error_median"] = _abs_errors(grouped)
    return out


def _abs_errors(grouped) -> pd.Series:
    values = {}
    for key, g in grouped:
        err = np.abs(g["point"] - g["truth"]).to_numpy(dtype=float)
        if key[1] != "log_hr":
            truth = g["truth"].to_numpy(dtype=float)
            with np.errstate(invalid="ignore"):
                err = np.where(np.isfinite(truth), err / truth, np.nan)
        values[key] = float(np.nanmedian(err)) if np.isfinite(err).any() else math.nan
    return pd.Series(values)
