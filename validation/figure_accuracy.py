"""mmsurv's Guyot reconstruction beside the published algorithm, on figures as readers click them.

Every arm of a two-group patient-level data set is drawn as a paper would show it and
digitized as a reader does (Guyot et al. 2012, "Data extraction"):

* both corners of every drop are clicked, each click with independent Gaussian error
  of sd 0.25% of the axis range in time and in survival (so the two corners of a step
  can come out in either order);
* drops closer than 1% of the time axis look like one step and are clicked as one
  (top corner at the first drop, bottom corner at the last);
* nothing is clicked on the flat tail: the curve stops at its last drop;
* the numbers at risk are printed at the axis ticks for as long as patients remain,
  so the table often goes on after the last click.

Each arm is rebuilt in the four input cases of the paper (numbers at risk with and
without the total of events, the total only, the curve only) by :func:`mmsurv.guyot`
and, as the baseline, by the published algorithm as printed
(``validation/guyot_published.py``), from the same clicks and table, and both are
compared with the true data: mean |ΔS| of the Kaplan-Meier curves over the arm's
follow-up, the sup-norm distance that forgives a shift of 1% of the time axis, events,
and the Cox hazard ratio of the two arms (mmsurv's from both arms rebuilt as one study
by :func:`mmsurv.reconstruct`, as a user rebuilds a figure; the published algorithm
rebuilds one arm at a time).

Data sets: the nine real sets of :func:`mmsurv.validation.real_datasets`, two small
ones from lifelines (glioma, psychiatric patients: arms of 6 to 15), and small
simulated trials (10 to 60 patients an arm, times in whole weeks or months).

Usage::

    python validation/figure_accuracy.py [--out validation/results] [--seed 2012]

Writes ``figure_accuracy.csv`` (one row per data set, case, arm and method),
``figure_accuracy_summary.csv``, ``figure_accuracy_styles.csv`` (the other ways of
clicking, :data:`CLICK_STYLES`) and ``figure_accuracy.md``.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from accuracy import markdown_table, reconstructed_together
from guyot_published import guyot_published

import mmsurv
from mmsurv.errors import InputError
from mmsurv.km import km_curve, median_time, n_at_risk, step_values
from mmsurv.validation import (
    RealDataset,
    cox_log_hr,
    nice_ticks,
    real_datasets,
)

CASES = ("at_risk_events", "at_risk", "events", "curve_only")
METHODS = ("mmsurv", "published")
CLICK_ERROR = 0.0025  # sd of a click's error, share of each axis
MERGE = 0.01  # drops closer than this share of the time axis are clicked as one step
SHIFT = 0.01  # time shift (share of the axis) forgiven by the sup-norm distance
#: How a reader clicks a curve: both corners of every drop (Guyot et al. 2012), only the
#: lower corner of each drop (the left end of each level, as reconstructKM's guide asks),
#: or a trace of the line at every 0.5% of the time axis to its end (an automatic
#: extraction, as WebPlotDigitizer's "X step" exports).
CLICK_STYLES = ("corners", "lower corners", "traced")
TRACE_STEP = 0.005
DEFAULT_SEED = 2012

#: (patients per arm, time unit, Weibull shape) of the simulated small trials.
SMALL_TRIALS = tuple(
    (n, unit, shape)
    for n in (10, 20, 40, 60)
    for unit in ("weeks", "months")
    for shape in (0.8, 1.4)
)


# --------------------------------------------------------------------------- data sets


def _frame(arm, t, e) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "arm": np.asarray(arm, dtype=str),
            "time": np.asarray(t, dtype=float),
            "event": np.asarray(e, dtype=np.int64),
        }
    )


def small_datasets() -> dict[str, RealDataset]:
    """Small two-group data sets shipped by lifelines (arms of 6 to 15 patients)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import lifelines.datasets as ds

        g3 = ds.load_g3()
        psych = ds.load_psychiatric_patients()
    return {
        "g3": RealDataset(
            "g3",
            "17 patients with recurrent glioma, months to death; radioimmunotherapy (RIT, 11) vs "
            "control (6). Grana C et al. Br J Cancer 2002;86:207-212.",
            _frame(g3["group"], g3["time"], g3["event"].astype(int)),
            "RIT",
            "Control",
            "months",
        ),
        "psychiatric": RealDataset(
            "psychiatric",
            "26 psychiatric inpatients, years to death; women (15) vs men (11). Klein JP, "
            "Moeschberger ML. Survival Analysis 1997, section 1.15.",
            _frame(np.where(psych["sex"] == 2, "female", "male"), psych["T"], psych["C"]),
            "female",
            "male",
            "years",
        ),
    }


def small_trials(seed: int = DEFAULT_SEED) -> dict[str, RealDataset]:
    """Simulated two-arm trials of 10-60 patients an arm, times in whole weeks or months.

    Weibull event times (HR 0.6, reference median 20 weeks or 12 months), uniform
    accrual over half the study and a cut-off at 52 weeks or 36 months; observed times
    rounded up to whole units, so that drops tie and fall on the ticks.
    """
    out = {}
    for i, (n, unit, shape) in enumerate(SMALL_TRIALS):
        rng = np.random.default_rng([seed, i])
        median, cutoff = (20.0, 52.0) if unit == "weeks" else (12.0, 36.0)
        scale = median / np.log(2.0) ** (1.0 / shape)
        frames = []
        for arm, hr in (("treatment", 0.6), ("reference", 1.0)):
            event_t = scale * (rng.exponential(size=n) / hr) ** (1.0 / shape)
            follow = cutoff - rng.uniform(0.0, cutoff / 2.0, n)
            observed = np.maximum(np.ceil(np.minimum(event_t, follow)), 1.0)
            frames.append(_frame([arm] * n, observed, event_t <= follow))
        name = f"small-n{n}-{unit}-shape{shape:g}"
        out[name] = RealDataset(
            name,
            f"simulated: {n} per arm, Weibull shape {shape:g}, HR 0.6, whole {unit}",
            pd.concat(frames, ignore_index=True),
            "treatment",
            "reference",
            unit,
        )
    return out


def all_datasets(seed: int = DEFAULT_SEED) -> dict[str, RealDataset]:
    """Every data set of the comparison: real, small real and small simulated."""
    return {**real_datasets(), **small_datasets(), **small_trials(seed)}


# --------------------------------------------------------------------------- the figure


@dataclass(frozen=True)
class Figure:
    """One arm as a reader digitizes it."""

    clicks: np.ndarray
    at_risk: dict
    n: int
    total_events: int
    axis_end: float


def axis_ticks(max_time: float) -> tuple[np.ndarray, float]:
    """Round ticks of the time axis and its end (the first tick at or after the data)."""
    ticks = nice_ticks(max_time)
    step = float(ticks[1] - ticks[0])
    return ticks, float(ticks[-1] + step)


def _corner_clicks(t: np.ndarray, e: np.ndarray, axis_end: float, merge: float) -> np.ndarray:
    """Noise-free corners of the drops, drops within ``merge`` of the axis as one."""
    km_t, km_s = km_curve(t, e)
    ev_t = np.unique(t[e.astype(bool)])
    if ev_t.size == 0:
        return np.array([[0.0, 1.0], [float(t.max()), 1.0]])
    reach = merge * axis_end
    starts = [0]
    for k in range(1, ev_t.size):
        if ev_t[k] - ev_t[starts[-1]] >= reach:
            starts.append(k)
    ends = [*(s - 1 for s in starts[1:]), ev_t.size - 1]
    first, last = ev_t[starts], ev_t[ends]
    above = step_values(km_t, km_s, np.nextafter(first, -np.inf))
    below = step_values(km_t, km_s, last)
    clicks = np.empty((2 * first.size, 2))
    clicks[0::2, 0], clicks[0::2, 1] = first, above
    clicks[1::2, 0], clicks[1::2, 1] = last, below
    return np.concatenate([[[0.0, 1.0]], clicks])


def _clicks(t: np.ndarray, e: np.ndarray, axis_end: float, merge: float, style: str):
    """Noise-free clicks of one arm in one of :data:`CLICK_STYLES`."""
    if style == "traced":
        km_t, km_s = km_curve(t, e)
        x = np.append(np.arange(0.0, float(t.max()), TRACE_STEP * axis_end), float(t.max()))
        return np.column_stack([x, step_values(km_t, km_s, x)])
    corners = _corner_clicks(t, e, axis_end, merge)
    if style == "lower corners":
        return np.vstack([corners[:1], corners[2::2]])
    return corners


def figure_of(
    t: np.ndarray,
    e: np.ndarray,
    ticks: np.ndarray,
    axis_end: float,
    rng,
    click_error: float = CLICK_ERROR,
    merge: float = MERGE,
    style: str = "corners",
) -> Figure:
    """The clicks (with error of sd ``click_error`` of each axis) and the at-risk table of
    one arm."""
    clicks = _clicks(t, e, axis_end, merge, style)
    k = clicks.shape[0]
    clicks[:, 0] += rng.normal(0.0, click_error * axis_end, k)
    clicks[:, 1] += rng.normal(0.0, click_error, k)
    counts = n_at_risk(t, ticks)
    keep = counts > 0
    table = {"times": [float(x) for x in ticks[keep]], "n": [int(x) for x in counts[keep]]}
    return Figure(clicks, table, int(t.size), int(e.sum()), axis_end)


def digitized(
    name: str,
    ds: RealDataset,
    seed: int,
    click_error: float = CLICK_ERROR,
    merge: float = MERGE,
    style: str = "corners",
):
    """A data set's figure: the random stream (after the clicks), the axis end, the true
    times and events of each arm, and each arm's :class:`Figure`."""
    rng = np.random.default_rng([seed, zlib.crc32(name.encode())])
    ticks, axis_end = axis_ticks(float(ds.data["time"].max()))
    truth = {arm: ds.arm(arm) for arm in ds.arms}
    figures = {
        arm: figure_of(*truth[arm], ticks, axis_end, rng, click_error, merge, style)
        for arm in ds.arms
    }
    return rng, axis_end, truth, figures


# --------------------------------------------------------------------------- distances


def shifted_sup(true_t, true_s, rec_t, rec_s, *, shift: float, horizon: float) -> float:
    """Sup-norm distance of two survival step functions forgiving a time shift.

    ``max over t <= horizon of max(S_true(t + h) - S_rec(t), S_rec(t) - S_true(t - h), 0)``
    with ``h = shift``: a reconstructed curve that lies between the true curve moved
    ``h`` earlier and ``h`` later is at distance 0. Both functions are right-continuous
    steps, so the maximum is reached at a breakpoint of one of the terms.
    """
    grid = np.concatenate([[0.0], rec_t, true_t - shift, true_t + shift])
    grid = np.unique(grid[(grid >= 0) & (grid <= horizon)])
    rec = step_values(rec_t, rec_s, grid)
    later = step_values(true_t, true_s, grid + shift)
    earlier = step_values(true_t, true_s, np.maximum(grid - shift, 0.0))
    gap = np.maximum(later - rec, rec - earlier)
    return float(max(gap.max(), 0.0))


def mean_abs(true_t, true_s, rec_t, rec_s, horizon: float) -> float:
    """Time-averaged |S_rec - S_true| over [0, horizon]."""
    grid = np.unique(np.concatenate([true_t, rec_t, [0.0]]))
    grid = grid[grid < horizon]
    widths = np.diff(np.append(grid, horizon))
    diff = np.abs(step_values(true_t, true_s, grid) - step_values(rec_t, rec_s, grid))
    return float(np.sum(diff * widths) / horizon)


# --------------------------------------------------------------------------- reconstruct


def guyot_inputs(fig: Figure, case: str) -> dict:
    """Keyword arguments of :func:`mmsurv.guyot` for one arm in input ``case``."""
    table = fig.at_risk if case in ("at_risk_events", "at_risk") else None
    total = fig.total_events if case in ("at_risk_events", "events") else None
    return {"curve": fig.clicks, "n": fig.n, "at_risk": table, "total_events": total}


def reconstruct(method: str, fig: Figure, case: str) -> tuple[np.ndarray, np.ndarray]:
    """Times and event flags of one arm rebuilt by ``method`` in input ``case``."""
    inputs = guyot_inputs(fig, case)
    if method == "published":
        return guyot_published(fig.clicks, fig.n, inputs["at_risk"], inputs["total_events"])
    ipd, _ = mmsurv.guyot(**inputs)
    return ipd["time"].to_numpy(float), ipd["event"].to_numpy(np.int64)


def accuracy_table(
    datasets: dict[str, RealDataset],
    seed: int = DEFAULT_SEED,
    cases: Iterable[str] = CASES,
    style: str = "corners",
) -> pd.DataFrame:
    """One row per data set, case, arm and method (see the module docstring), the
    curves clicked in ``style`` (one of :data:`CLICK_STYLES`)."""
    rows = []
    for name, ds in datasets.items():
        _, axis_end, truth, figures = digitized(name, ds, seed, style=style)
        log_hr_true = cox_log_hr(ds.data, ds.treatment, ds.reference)
        for case in cases:
            for method in METHODS:
                parts, arm_rows = [], []
                for arm in ds.arms:
                    t, e = truth[arm]
                    fig = figures[arm]
                    row = {
                        "dataset": name,
                        "case": case,
                        "method": method,
                        "arm": arm,
                        "n": fig.n,
                        "clicks": fig.clicks.shape[0],
                        "error": "",
                    }
                    try:
                        rt, re = reconstruct(method, fig, case)
                    except InputError as exc:
                        row["error"] = str(exc)
                        arm_rows.append(row)
                        continue
                    tt, ts = km_curve(t, e)
                    qt, qs = km_curve(rt, re)
                    horizon = float(t.max())
                    true_median, rec_median = median_time(tt, ts), median_time(qt, qs)
                    row.update(
                        events_true=int(e.sum()),
                        events_rec=int(re.sum()),
                        events_miss=int(re.sum() - e.sum()),
                        mean_abs_dS=mean_abs(tt, ts, qt, qs, horizon),
                        sup_dS_shift=shifted_sup(
                            tt, ts, qt, qs, shift=SHIFT * axis_end, horizon=horizon
                        ),
                        median_err=np.nan
                        if true_median is None or rec_median is None
                        else rec_median - true_median,
                    )
                    arm_rows.append(row)
                    parts.append(_arm_frame(arm, rt, re))
                if len(parts) == 2:
                    together = pd.concat(parts)
                    if method == "mmsurv":
                        together = reconstructed_together(
                            {arm: guyot_inputs(figures[arm], case) for arm in ds.arms},
                            ds.treatment,
                            ds.reference,
                        )
                    log_hr = cox_log_hr(together, ds.treatment, ds.reference)
                    for row in arm_rows:
                        row["log_hr_err"] = abs(log_hr - log_hr_true)
                rows.extend(arm_rows)
    return pd.DataFrame(rows)


def click_styles_table(datasets: dict[str, RealDataset], seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """:func:`accuracy_table` with a table and a total, and with the total only, for the
    other ways of clicking (:data:`CLICK_STYLES`); the case is named with its style."""
    parts = []
    for style in CLICK_STYLES[1:]:
        part = accuracy_table(datasets, seed, ("at_risk_events", "events"), style)
        part["case"] = style + ", " + part["case"]
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def _arm_frame(arm: str, t: np.ndarray, e: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame({"arm": arm, "time": t, "event": e})


# --------------------------------------------------------------------------- summaries


def side_by_side(table: pd.DataFrame) -> pd.DataFrame:
    """Per data set, case and arm: mmsurv's and the published algorithm's errors."""
    keys = ["dataset", "case", "arm"]
    values = ["n", "mean_abs_dS", "sup_dS_shift", "events_miss", "log_hr_err", "error"]
    wide = table.pivot_table(index=keys, columns="method", values=values[1:-1], sort=False)
    wide.columns = [f"{v}_{m}" for v, m in wide.columns]
    first = table[table["method"] == "mmsurv"].set_index(keys)
    wide.insert(0, "n", first["n"])
    errors = table.groupby(keys, sort=False)["error"].apply(lambda s: "; ".join(x for x in s if x))
    wide["error"] = errors
    wide["mean_abs_dS_excess"] = wide["mean_abs_dS_mmsurv"] - wide["mean_abs_dS_published"]
    return wide.reset_index()


def summarize(table: pd.DataFrame) -> pd.DataFrame:
    """Per case and method: medians and worst values over arms (HR over data sets)."""
    out = []
    for (case, method), rows in table.groupby(["case", "method"], sort=False):
        per_ds = rows.drop_duplicates("dataset")
        out.append(
            {
                "case": case,
                "method": method,
                "arms": len(rows),
                "refused": int((rows["error"] != "").sum()),
                "mean_abs_dS_median": rows["mean_abs_dS"].median(),
                "mean_abs_dS_worst": rows["mean_abs_dS"].max(),
                "sup_dS_shift_median": rows["sup_dS_shift"].median(),
                "sup_dS_shift_worst": rows["sup_dS_shift"].max(),
                "events_miss_worst": rows["events_miss"].abs().max(),
                "log_hr_err_median": per_ds["log_hr_err"].median(),
                "log_hr_err_worst": per_ds["log_hr_err"].max(),
            }
        )
    return pd.DataFrame(out)


def report(
    table: pd.DataFrame,
    summary: pd.DataFrame,
    datasets: dict[str, RealDataset],
    styles: pd.DataFrame,
) -> str:
    """The markdown document: summary, the other click styles' summary, then arm by arm
    with the excess over the baseline."""
    wide = side_by_side(table)
    worst = side_by_side(styles).groupby("case", sort=False)["mean_abs_dS_excess"].max()
    style_summary = summarize(styles).merge(
        worst.rename("mean_abs_dS_excess_worst"), left_on="case", right_index=True
    )
    lines = [
        "# Guyot reconstruction on reader-digitized figures: mmsurv and the published algorithm",
        "",
        (__doc__ or "").split("Usage::")[0].strip().split("\n\n", 1)[1],
        "",
        "## Summary per case (arms; |log HR err| over data sets)",
        "",
        markdown_table(summary, index=False),
        "",
        "## Other ways of clicking",
        "",
        "The same figures clicked only at the lower corner of each drop, or traced at every "
        f"{TRACE_STEP:.1%} of the time axis to the curve's end, with the same click error "
        "(`mean_abs_dS_excess_worst`: the largest excess of an arm's mean |ΔS| over the "
        "published algorithm's, the same in both rows of a case).",
        "",
        markdown_table(style_summary, index=False),
        "",
        "## Arm by arm",
        "",
        "`excess` is mmsurv's mean |ΔS| minus the published algorithm's (negative: mmsurv "
        "closer to the truth).",
        "",
    ]
    shown = wide[
        [
            "dataset",
            "case",
            "arm",
            "n",
            "mean_abs_dS_mmsurv",
            "mean_abs_dS_published",
            "mean_abs_dS_excess",
            "sup_dS_shift_mmsurv",
            "sup_dS_shift_published",
            "events_miss_mmsurv",
            "events_miss_published",
            "error",
        ]
    ]
    lines.append(markdown_table(shown, index=False))
    lines += ["", "## Data sets", ""]
    lines += [f"- **{name}**: {ds.description}" for name, ds in datasets.items()]
    return "\n".join(lines) + "\n"


def measurement_main(
    argv: list[str] | None, doc: str, title: str, stem: str, build, summarize_table
) -> int:
    """The command line of a measurement on :func:`all_datasets`: ``--out`` and
    ``--seed``; ``build(datasets, seed)`` gives the table, ``summarize_table`` its
    summary; writes ``<stem>.csv`` and ``<stem>.md`` (the docstring's description and
    the summary) and prints the latter."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    datasets = all_datasets(args.seed)
    table = build(datasets, args.seed)
    description = doc.split("Usage::")[0].strip().split("\n\n", 1)[1]
    summary = markdown_table(summarize_table(table), index=False)
    text = "\n".join([f"# {title}", "", description, "", summary, ""])
    print(text)
    print(f"{len(datasets)} data sets in {time.perf_counter() - start:.1f} s")
    args.out.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out / f"{stem}.csv", index=False, float_format="%.6g")
    (args.out / f"{stem}.md").write_text(text, encoding="utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    datasets = all_datasets(args.seed)
    start = time.perf_counter()
    table = accuracy_table(datasets, args.seed)
    summary = summarize(table)
    styles = click_styles_table(datasets, args.seed)
    text = report(table, summary, datasets, styles)
    print(text)
    print(f"{len(datasets)} data sets in {time.perf_counter() - start:.1f} s")
    args.out.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out / "figure_accuracy.csv", index=False, float_format="%.6g")
    summary.to_csv(args.out / "figure_accuracy_summary.csv", index=False, float_format="%.6g")
    styles.to_csv(args.out / "figure_accuracy_styles.csv", index=False, float_format="%.6g")
    (args.out / "figure_accuracy.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
