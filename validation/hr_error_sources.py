"""Where the hazard-ratio error of a reconstruction with table and total comes from.

The data sets and figures are those of ``validation/figure_accuracy.py``. Every data set
is rebuilt with its at-risk table and total events by :func:`mmsurv.reconstruct` (both
arms as one study, as a user rebuilds a figure) and by the published algorithm
(``validation/guyot_published.py``) from figures that differ in one thing at a time:

* ``exact``: the noise-free corners of every drop, none merged: what is left is the
  error of placing the censorings (and of the table's coarse counts);
* ``exact + marks``: the same with every censor mark at its true time: what is left is
  what the figure cannot tell (ties at one time, the order of events and censorings);
* ``merged``: noise-free corners, drops closer than 1% of the time axis clicked as one
  step (the figure's resolution);
* ``clicked``: merged and clicked with error of sd 0.25% of each axis, as in
  ``figure_accuracy.py`` (its seed and four more: click error is random, so the median
  over data sets is given for each seed and their median);
* ``true data, times clicked`` (no reconstruction): the true patients, each distinct
  event time of an arm moved by a click error of sd 0.25% of the time axis, as a
  digitizer moves a drop. No reconstruction from the clicks can be closer to the true
  HR than the clicks' own times allow: this is the error click error leaves in the
  time coordinate alone (the survival coordinate adds more, through the step sizes).

The figure compared is the median over data sets of |log HR_rec - log HR_true| (Cox
fits on both).

Usage::

    python validation/hr_error_sources.py [--out validation/results] [--seed 2012]

Writes ``hr_error_sources.csv`` (one row per data set, figure, seed and method) and
``hr_error_sources.md``.
"""

from __future__ import annotations

import sys
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from accuracy import reconstructed_together
from figure_accuracy import (
    CLICK_ERROR,
    DEFAULT_SEED,
    METHODS,
    axis_ticks,
    digitized,
    measurement_main,
)
from guyot_published import guyot_published

from mmsurv.validation import RealDataset, cox_log_hr

#: figure -> (click error, merge reach, marks given)
FIGURES = {
    "exact": (0.0, 0.0, False),
    "exact + marks": (0.0, 0.0, True),
    "merged": (0.0, 0.01, False),
    "clicked": (0.0025, 0.01, False),
}
REPLICATES = 5  # seeds of the clicked figure


def rebuild(
    method: str, figures: dict, ds: RealDataset, marks: dict[str, np.ndarray] | None
) -> pd.DataFrame:
    """Both arms with table and total: mmsurv as one study (with the marks when given),
    or the baseline one arm at a time. Columns ``arm``, ``time``, ``event``."""
    if method == "published":
        parts = []
        for arm in ds.arms:
            fig = figures[arm]
            t, e = guyot_published(fig.clicks, fig.n, fig.at_risk, fig.total_events)
            parts.append(pd.DataFrame({"arm": arm, "time": t, "event": e}))
        return pd.concat(parts)
    inputs = {}
    for arm in ds.arms:
        fig, seen = figures[arm], None if marks is None else marks[arm]
        clicks = fig.clicks
        if seen is not None and seen.size and seen.max() > clicks[-1, 0]:
            # a reader who reads the marks on the flat tail clicks the tail too
            clicks = np.vstack([clicks, [seen.max(), clicks[-1, 1]]])
        inputs[arm] = {
            "curve": clicks,
            "n": fig.n,
            "at_risk": fig.at_risk,
            "total_events": fig.total_events,
            "censor_times": seen,
        }
    return reconstructed_together(inputs, ds.treatment, ds.reference)


def sources_table(datasets: dict[str, RealDataset], seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """One row per data set, figure, seed and method: |log HR error|."""
    rows = []
    for name, ds in datasets.items():
        log_hr_true = cox_log_hr(ds.data, ds.treatment, ds.reference)
        for figure, (error, merge, with_marks) in FIGURES.items():
            seeds = [seed + r for r in range(REPLICATES)] if error else [seed]
            for s in seeds:
                _, _, truth, figures = digitized(name, ds, s, error, merge)
                for method in METHODS:
                    if with_marks and method == "published":
                        continue
                    marks = None
                    if with_marks:
                        marks = {arm: truth[arm][0][truth[arm][1] == 0] for arm in ds.arms}
                    rebuilt = rebuild(method, figures, ds, marks)
                    log_hr = cox_log_hr(rebuilt, ds.treatment, ds.reference)
                    rows.append(
                        {
                            "dataset": name,
                            "figure": figure,
                            "seed": s,
                            "method": method,
                            "log_hr_err": abs(log_hr - log_hr_true),
                        }
                    )
    return pd.DataFrame(rows)


def jittered_truth(datasets: dict[str, RealDataset], seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """|log HR error| of the true data with each distinct event time moved by click error."""
    rows = []
    for name, ds in datasets.items():
        log_hr_true = cox_log_hr(ds.data, ds.treatment, ds.reference)
        axis_end = axis_ticks(float(ds.data["time"].max()))[1]
        for s in range(seed, seed + REPLICATES):
            rng = np.random.default_rng([s, zlib.crc32(name.encode()), 1])
            parts = []
            for arm in ds.arms:
                t, e = ds.arm(arm)
                drops, where = np.unique(t[e == 1], return_inverse=True)
                moved = drops + rng.normal(0.0, CLICK_ERROR * axis_end, drops.size)
                t = t.copy()
                t[e == 1] = np.maximum(moved[where], 1e-9)
                parts.append(pd.DataFrame({"arm": arm, "time": t, "event": e}))
            log_hr = cox_log_hr(pd.concat(parts), ds.treatment, ds.reference)
            rows.append(
                {
                    "dataset": name,
                    "figure": "true data, times clicked",
                    "seed": s,
                    "method": "none",
                    "log_hr_err": abs(log_hr - log_hr_true),
                }
            )
    return pd.DataFrame(rows)


def summarize(table: pd.DataFrame) -> pd.DataFrame:
    """Per figure and method: the median over data sets, per seed, then over seeds."""
    per_seed = table.groupby(["figure", "method", "seed"], sort=False)["log_hr_err"].median()
    out = per_seed.groupby(["figure", "method"], sort=False).agg(["median", "min", "max"])
    out.columns = ["log_hr_err_median", "over_seeds_min", "over_seeds_max"]
    return out.reset_index()


def sources_and_truth(datasets: dict[str, RealDataset], seed: int) -> pd.DataFrame:
    """The reconstructions' errors and the true data's with click-moved times."""
    return pd.concat([sources_table(datasets, seed), jittered_truth(datasets, seed)])


def main(argv: list[str] | None = None) -> int:
    return measurement_main(
        argv,
        __doc__ or "",
        "Sources of the hazard-ratio error with table and total",
        "hr_error_sources",
        sources_and_truth,
        summarize,
    )


if __name__ == "__main__":
    sys.exit(main())
