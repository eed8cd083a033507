"""Accuracy of the digitizer on figures R drew: base R, rms and survminer, never mmsurv's.

The figures of ``tests/data/r_figures`` were drawn by R itself (``r_figures.R``: base
R's ``plot.survfit`` with the numbers at risk written under the axis, with R's
defaults, with confidence limits, in black with line types only; rms's
``survplot``; survminer's ``ggsurvplot`` with its risk table, censor ticks, p-value and
legend, with confidence bands and ``theme_bw``, with a percent axis and ``theme_grey``)
from real data sets of R's survival package (lung, veteran, aml, colon), each saved as
PDF, SVG, PNG (150 dpi) and JPEG (100 dpi), base R also as PNG at 300 and 72 dpi.
They are read back with :func:`mmsurv.digitize` (vector files from their text layer;
images with the axis values given, as the manifest records them) and scored against
the true Kaplan-Meier curves with the measures of ``digitize_harness.py``:
``mean_abs_dS``/``max_abs_dS``/``max_level_err`` per arm, ``table_exact`` (the at-risk
row read equals the printed one at every tick it covers, and covers every tick with
patients at risk), ``n_exact``, and end to end the Cox log HR error after
:func:`mmsurv.reconstruct` (Guyot et al. 2012) of the digitized study as written (its
at-risk rows as read).

Baseline, images: ``baseline_mean_abs_dS``/``baseline_max_abs_dS`` of the plain
column-by-column trace of ``digitize_harness.naive_trace`` with the colours and axes the
digitizer found. Vector files have no trace to compare with: their PNG and JPEG rows,
the same figures, are beside them.

Usage::

    python validation/r_figures.py [--figures tests/data/r_figures] [--out validation/results]

Writes ``r_figures.csv`` (one row per figure and arm), ``r_figures_summary.csv`` (per
style and format) and ``r_figures.md``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd
from accuracy import markdown_table, write_results
from digitize_harness import curve_errors, match_arms, naive_trace
from km_figures import TrueArm

import mmsurv
from mmsurv.km import n_at_risk
from mmsurv.validation import cox_log_hr

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ROOT / "tests" / "data" / "r_figures"

#: Treatment and reference arm of each data set's comparison.
COMPARISONS = {
    "lung": ("Female", "Male"),
    "veteran": ("Test", "Standard"),
    "aml": ("Maintained", "Nonmaintained"),
    "colon": ("Lev+5FU", "Obs"),
}

VECTOR = ("pdf", "svg")


def true_arms(folder: Path, dataset: str) -> list[TrueArm]:
    """The data set's patients, one :class:`TrueArm` per arm, from ``<dataset>.csv``."""
    frame = pd.read_csv(folder / f"{dataset}.csv")
    return [
        TrueArm(str(arm), g["time"].to_numpy(float), g["event"].to_numpy(np.int64))
        for arm, g in frame.groupby("arm", sort=False)
    ]


def _table_exact(got, truth: TrueArm, ticks: np.ndarray) -> bool:
    if got.at_risk is None:
        return False
    read_t = got.at_risk["time"].to_numpy(float)
    read_n = got.at_risk["n"].to_numpy()
    printed = n_at_risk(truth.time, ticks)
    covered = np.isclose(read_t[:, None], ticks[None, :]).any(axis=0)
    return bool(
        np.array_equal(read_n, n_at_risk(truth.time, read_t)) and covered[printed > 0].all()
    )


def _log_hr_err(result, arms: list[TrueArm], match: dict[int, int], dataset: str) -> float:
    trt, ref = COMPARISONS[dataset]
    ids = {arms[i].label: result.arms[k].id for k, i in match.items()}
    sizes = {result.arms[k].id: len(arms[i].time) for k, i in match.items()}
    study = result.to_study(endpoint="E", n=sizes)
    ipd, _ = mmsurv.reconstruct(study, "E")
    true = pd.concat(
        [pd.DataFrame({"arm": ids[a.label], "time": a.time, "event": a.event}) for a in arms]
    )
    return abs(cox_log_hr(ipd, ids[trt], ids[ref]) - cox_log_hr(true, ids[trt], ids[ref]))


def score_figure(folder: Path, entry: pd.Series) -> list[dict]:
    """One row per true arm of the figure ``entry`` of the manifest."""
    arms = true_arms(folder, entry["dataset"])
    x_max = float(entry["x_last"])
    path = folder / entry["figure"]
    vector = entry["format"] in VECTOR
    axes = (
        {}
        if vector
        else {
            "x_axis": (float(entry["x_first"]), x_max),
            "y_axis": (float(entry["y_first"]), float(entry["y_last"])),
        }
    )
    base = {k: entry[k] for k in ("figure", "dataset", "style", "format")}
    try:
        result = mmsurv.digitize(path, **axes)
    except mmsurv.InputError as exc:
        problem = str(exc.within(file=path.name))  # the figure's name, not its folder
        return [{**base, "arm": a.label, "found": False, "problem": problem} for a in arms]
    curves = [a.curve for a in result.arms]
    match = match_arms(curves, [a.label for a in result.arms], arms, x_max, 0.0)
    baseline = {}
    if not vector:
        naive = [naive_trace(path, a.colour, result.calibration) for a in result.arms]
        for k, i in match_arms(naive, [None] * len(naive), arms, x_max, 0.0).items():
            baseline[i] = curve_errors(naive[k], arms[i], x_max, 0.0)[:2]
    ticks = np.asarray([float(v) for v in str(entry["x_ticks"]).split(";")])
    base["extra_curves"] = len(result.arms) - len(match)
    rows = []
    for k, i in sorted(match.items()):
        got = result.arms[k]
        truth = arms[i]
        max_abs, mean_abs, level = curve_errors(got.curve, truth, x_max, 0.0)
        row = {**base, "arm": truth.label, "found": True, "read_label": got.label}
        row.update(mean_abs_dS=mean_abs, max_abs_dS=max_abs, max_level_err=level)
        if i in baseline:
            row["baseline_max_abs_dS"], row["baseline_mean_abs_dS"] = baseline[i]
        row["table_exact"] = _table_exact(got, truth, ticks)
        row["n_exact"] = got.n == len(truth.time)
        rows.append(row)
    missing = sorted(set(range(len(arms))) - set(match.values()))
    rows += [{**base, "arm": arms[i].label, "found": False} for i in missing]
    if not missing and all(r.get("n_exact") for r in rows):
        try:
            err = _log_hr_err(result, arms, match, entry["dataset"])
        except mmsurv.InputError as exc:
            err = np.nan
            for row in rows:
                row["problem"] = f"reconstruction: {exc.within(file=path.name)}"
        for row in rows:
            row["log_hr_err"] = err
    return rows


def r_figures_table(
    folder: Path = FIGURES,
    formats: tuple[str, ...] | None = None,
    styles: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """:func:`score_figure` over every figure of the manifest (of ``formats`` and
    ``styles`` only, when given)."""
    manifest = pd.read_csv(folder / "manifest.csv")
    if formats is not None:
        manifest = manifest[manifest["format"].isin(formats)]
    if styles is not None:
        manifest = manifest[manifest["style"].isin(styles)]
    rows = [row for _, entry in manifest.iterrows() for row in score_figure(folder, entry)]
    return pd.DataFrame(rows)


def summarize(table: pd.DataFrame) -> pd.DataFrame:
    """Per style and format: arms found, mean |ΔS| (median and worst), max |ΔS| median,
    the baseline's, arms named by their own label (legend or at-risk row, exactly as
    printed), at-risk rows exact, n exact and the median log HR error."""
    out = {}
    for key, g in table.groupby(["style", "format"], sort=True):
        found = g[g["found"]]
        per_figure = g.drop_duplicates("figure")
        out[key] = {
            "arms_found": f"{len(found)} / {len(g)}",
            "mean_abs_dS_median": found["mean_abs_dS"].median(),
            "mean_abs_dS_worst": found["mean_abs_dS"].max(),
            "max_abs_dS_median": found["max_abs_dS"].median(),
            "baseline_mean_abs_dS_median": g.get("baseline_mean_abs_dS", pd.Series()).median(),
            "label_read": float((found["read_label"] == found["arm"]).mean())
            if len(found)
            else 0.0,
            "table_exact": float(found["table_exact"].mean()) if len(found) else 0.0,
            "n_exact": float(found["n_exact"].mean()) if len(found) else 0.0,
            "log_hr_err_median": per_figure.get("log_hr_err", pd.Series()).median(),
        }
    frame = pd.DataFrame.from_dict(out, orient="index")
    frame.index.names = ["style", "format"]
    return frame


def report(table: pd.DataFrame, summary: pd.DataFrame, seconds: float) -> str:
    head = __doc__.split("\n\nUsage::")[0]
    problems = table[table.get("problem", pd.Series(index=table.index)).notna()]
    lines = [
        "# " + head.splitlines()[0],
        "",
        "\n".join(head.splitlines()[2:]),
        "",
        "## Per style and format",
        "",
        markdown_table(summary, index=True),
        "",
        "## Per figure and arm",
        "",
        markdown_table(table.drop(columns=["problem"], errors="ignore")),
        "",
    ]
    if len(problems):
        lines += ["## Problems", ""]
        lines += [f"- {r.figure} ({r.arm}): {r.problem}" for r in problems.itertuples()]
        lines.append("")
    lines.append(f"Measured in {seconds:.0f} s.")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--figures", type=Path, default=FIGURES)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    table = r_figures_table(args.figures)
    summary = summarize(table)
    text = report(table, summary, time.perf_counter() - start)
    for path in write_results(args.out, "r_figures", table, summary, text):
        print(f"wrote {path}")
    print(markdown_table(summary, index=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
