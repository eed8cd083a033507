"""What a paper would print about real data sets: the "paper views" the audit is tested on.

Each view splits a lifelines data set into two arms, computes with lifelines what a
journal reports (n, events, Kaplan-Meier medians with 95% CIs, landmark survival at two
times, a Cox HR with its 95% CI and Wald p, the log-rank chi-square and p, the longest
follow-up and numbers at risk) and rounds it as journals print it: HR and CI to 2
decimals, medians to 1 decimal, p to 3 decimals or ``<0.001``, chi-square to 2
decimals, landmark survival as a percentage with 1 decimal (a fraction with 3).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from lifelines import CoxPHFitter, KaplanMeierFitter, datasets
from lifelines.statistics import logrank_test
from lifelines.utils import median_survival_times


@dataclass(frozen=True)
class View:
    """How to read one data set as a two-arm paper."""

    loader: Callable[[], pd.DataFrame]
    duration: str
    event: str
    treatment: Callable[[pd.DataFrame], pd.Series]
    labels: tuple[str, str]
    landmarks: tuple[float, float]
    time_unit: str


def _kidney_male(df: pd.DataFrame) -> pd.Series:
    return (df["black_male"] + df["white_male"]) == 1


def _larynx_late(df: pd.DataFrame) -> pd.Series:
    return (df["Stage_III"] + df["Stage_IV"]) == 1


VIEWS: dict[str, View] = {
    "rossi": View(
        datasets.load_rossi, "week", "arrest", lambda d: d["fin"] == 1, ("fin", "nofin"),
        (20, 40), "weeks",
    ),
    "gbsg2": View(
        datasets.load_gbsg2, "time", "cens", lambda d: d["horTh"] == "yes", ("horTh", "noHorTh"),
        (730, 1460), "days",
    ),
    "lung": View(
        datasets.load_lung, "time", "status", lambda d: d["sex"] == 2, ("female", "male"),
        (180, 365), "days",
    ),
    "kidney_transplant": View(
        datasets.load_kidney_transplant, "time", "death", _kidney_male, ("male", "female"),
        (365, 1825), "days",
    ),
    "waltons": View(
        datasets.load_waltons, "T", "E", lambda d: d["group"] == "miR-137", ("miR137", "control"),
        (20, 40), "days",
    ),
    "leukemia": View(
        datasets.load_leukemia, "t", "status", lambda d: d["Rx"] == 1, ("Rx1", "Rx0"),
        (10, 20), "weeks",
    ),
    "lymphoma": View(
        datasets.load_lymphoma, "Time", "Censor", lambda d: d["Stage_group"] == 2,
        ("stage2", "stage1"), (50, 150), "months",
    ),
    "larynx": View(
        datasets.load_larynx, "time", "death", _larynx_late, ("III-IV", "I-II"), (2, 5), "years",
    ),
}  # fmt: skip


def _p_printed(p: float) -> str | float:
    return "<0.001" if p < 0.001 else round(p, 3)


def _ci_limit(value: float) -> float | None:
    return None if not math.isfinite(value) else round(float(value), 1)


def _arm_view(df: pd.DataFrame, view: View, label: str) -> dict[str, Any]:
    """Per-arm numbers as printed: events, median (95% CI), landmarks (95% CI), at risk."""
    t, e = df[view.duration].to_numpy(float), df[view.event].to_numpy(int)
    km = KaplanMeierFitter().fit(t, e, label=label)
    median = km.median_survival_time_
    median_ci = median_survival_times(km.confidence_interval_).iloc[0].to_numpy()
    landmarks = {}
    for time in view.landmarks:
        band = km.confidence_interval_.loc[:time].iloc[-1].to_numpy()
        landmarks[time] = {
            "survival": round(float(km.predict(time)), 3),
            "ci": [round(float(band[0]), 3), round(float(band[1]), 3)],
        }
    times = [0.0, *view.landmarks]
    return {
        "median": round(float(median), 1) if math.isfinite(median) else "NR",
        "median_ci": [_ci_limit(v) for v in median_ci],
        "events": int(e.sum()),
        "landmarks": landmarks,
        "at_risk": {"times": times, "n": [int((t >= u).sum()) for u in times]},
    }


def _comparison(df: pd.DataFrame, view: View, arm: np.ndarray, p_from: str) -> dict[str, Any]:
    """Cox HR (95% CI, Wald p) and log-rank chi-square, rounded as printed."""
    data = pd.DataFrame({"T": df[view.duration], "E": df[view.event], "arm": arm.astype(int)})
    cox = CoxPHFitter().fit(data, "T", "E")
    row = cox.summary.loc["arm"]
    test = logrank_test(data["T"][arm], data["T"][~arm], data["E"][arm], data["E"][~arm])
    p = row["p"] if p_from == "wald" else test.p_value
    return {
        "treatment": view.labels[0],
        "reference": view.labels[1],
        "hr": round(float(row["exp(coef)"]), 2),
        "hr_ci": [
            round(float(row["exp(coef) lower 95%"]), 2),
            round(float(row["exp(coef) upper 95%"]), 2),
        ],
        "ci_level": 0.95,
        "p": _p_printed(float(p)),
        "logrank_chi2": round(float(test.test_statistic), 2),
        "adjusted": False,
    }


def paper_view(name: str, p_from: Literal["wald", "logrank"] = "wald") -> dict[str, Any]:
    """The study mapping a paper on data set ``name`` would print.

    Parameters
    ----------
    name : str
        A key of :data:`VIEWS`.
    p_from : {'wald', 'logrank'}
        Which test the printed p comes from (the Cox Wald test or the log-rank test).
    """
    view = VIEWS[name]
    df = view.loader()
    arm = view.treatment(df).to_numpy(bool)
    arms = {view.labels[0]: df[arm], view.labels[1]: df[~arm]}
    return {
        "id": f"paper-{name.replace('_', '-')}",
        "time_unit": view.time_unit,
        "arms": [{"id": label, "n": len(part)} for label, part in arms.items()],
        "endpoints": {
            "OS": {
                "follow_up": {"max": round(float(df[view.duration].max()), 1)},
                "arms": {label: _arm_view(part, view, label) for label, part in arms.items()},
                "comparison": _comparison(df, view, arm, p_from),
            }
        },
    }
