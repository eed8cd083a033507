"""What censor marks read off a figure add to the Guyot reconstruction.

The data sets and figures are those of ``validation/figure_accuracy.py`` (corners of the
drops clicked with error of sd 0.25% of each axis, numbers at risk at the axis ticks).
Both arms are rebuilt as one study by :func:`mmsurv.reconstruct` without marks and with
the marks of their censored patients, read with the same error in time (sd 0.25% of the
axis):

* ``all``: one mark per censored patient (every mark visible);
* ``distinct``: patients censored at the same time show as one mark (ties hide).

and compared with the true data: the numbers at risk (mean over time of
|r_rec(t) - r_true(t)| / n, over the arm's follow-up), mean |ΔS| of the Kaplan-Meier
curves, and the Cox log hazard ratio of the two arms.

Usage::

    python validation/censor_marks.py [--out validation/results] [--seed 2012]

Writes ``censor_marks.csv`` (one row per data set, case, arm and marks) and
``censor_marks.md``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from accuracy import reconstructed_together
from figure_accuracy import CASES, CLICK_ERROR, DEFAULT_SEED, digitized, measurement_main
from figure_accuracy import mean_abs as mean_abs_dS

from mmsurv.km import km_curve, n_at_risk
from mmsurv.validation import RealDataset, cox_log_hr

MARKS = ("none", "distinct", "all")


def marks_of(t: np.ndarray, e: np.ndarray, axis_end: float, rng, distinct: bool) -> np.ndarray:
    """Times of the censor marks of one arm as a reader reads them (error in time)."""
    cens = np.sort(t[e == 0])
    if distinct:
        cens = np.unique(cens)
    read = cens + rng.normal(0.0, CLICK_ERROR * axis_end, cens.size)
    return np.clip(read, 0.0, axis_end)


def at_risk_error(t, e, rt, horizon: float) -> float:
    """Mean over [0, horizon] of |r_rec(t) - r_true(t)| / n (numbers at risk)."""
    grid = np.unique(np.concatenate([[0.0], t, rt]))
    grid = grid[grid < horizon]
    widths = np.diff(np.append(grid, horizon))
    gap = np.abs(n_at_risk(rt, grid) - n_at_risk(t, grid)) / t.size
    return float(np.sum(gap * widths) / horizon)


def marks_table(datasets: dict[str, RealDataset], seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """One row per data set, case, arm and kind of marks (see the module docstring)."""
    rows = []
    for name, ds in datasets.items():
        rng, axis_end, truth, figures = digitized(name, ds, seed)
        marks = {
            (arm, kind): None
            if kind == "none"
            else marks_of(*truth[arm], axis_end, rng, kind == "distinct")
            for arm in ds.arms
            for kind in MARKS
        }
        log_hr_true = cox_log_hr(ds.data, ds.treatment, ds.reference)
        for case in CASES:
            table_on = case in ("at_risk_events", "at_risk")
            total_on = case in ("at_risk_events", "events")
            for kind in MARKS:
                inputs = {}
                for arm in ds.arms:
                    fig = figures[arm]
                    # marks lie on the curve or its table: none after both end
                    axis = float(fig.clicks[:, 0].max())
                    if table_on:
                        axis = max(axis, max(fig.at_risk["times"]))
                    mk = marks[arm, kind]
                    inputs[arm] = {
                        "curve": fig.clicks,
                        "n": fig.n,
                        "at_risk": fig.at_risk if table_on else None,
                        "total_events": fig.total_events if total_on else None,
                        "censor_times": None if mk is None else np.minimum(mk, axis),
                    }
                rebuilt = reconstructed_together(inputs, ds.treatment, ds.reference)
                log_hr = cox_log_hr(rebuilt, ds.treatment, ds.reference)
                for arm in ds.arms:
                    t, e = truth[arm]
                    mine = rebuilt[rebuilt["arm"] == arm]
                    rt, re = mine["time"].to_numpy(float), mine["event"].to_numpy(np.int64)
                    horizon = float(t.max())
                    tt, ts = km_curve(t, e)
                    qt, qs = km_curve(rt, re)
                    mk = marks[arm, kind]
                    rows.append(
                        {
                            "dataset": name,
                            "case": case,
                            "marks": kind,
                            "arm": arm,
                            "n": figures[arm].n,
                            "n_marks": 0 if mk is None else mk.size,
                            "at_risk_err": at_risk_error(t, e, rt, horizon),
                            "mean_abs_dS": mean_abs_dS(tt, ts, qt, qs, horizon),
                            "events_miss": int(re.sum() - e.sum()),
                            "log_hr_err": abs(log_hr - log_hr_true),
                        }
                    )
    return pd.DataFrame(rows)


def summarize(table: pd.DataFrame) -> pd.DataFrame:
    """Per case and kind of marks: medians over arms (HR: over data sets)."""
    keys = ["case", "marks"]
    groups = table.groupby(keys, sort=False)
    out = groups.agg(
        arms=("arm", "size"),
        at_risk_err_median=("at_risk_err", "median"),
        mean_abs_dS_median=("mean_abs_dS", "median"),
        events_miss_worst=("events_miss", lambda miss: miss.abs().max()),
    )
    per_ds = table.drop_duplicates(["dataset", *keys]).groupby(keys, sort=False)["log_hr_err"]
    out.insert(3, "log_hr_err_median", per_ds.median())
    return out.reset_index()


def main(argv: list[str] | None = None) -> int:
    return measurement_main(
        argv,
        __doc__ or "",
        "Censor marks in the Guyot reconstruction",
        "censor_marks",
        marks_table,
        summarize,
    )


if __name__ == "__main__":
    sys.exit(main())
