"""Calibration of the reconstruction draws on data whose patients are known.

For every real data set of :func:`mmsurv.validation.real_datasets` and every simulated
trial of :func:`mmsurv.validation.simulated_trials`, the script makes each input case
from the true patients (digitized figure with numbers at risk and events, with events
only, alone; the abstract rebuilt with and without its HR), reconstructs it with draws
(:func:`mmsurv.draws.draw_arrays`) and counts how often the true Cox log HR, medians and
RMSTs lie in the draws' central 95% interval -- and in that of a plain bootstrap of the
point reconstruction, the baseline that measures sampling error instead.

Usage::

    python validation/draw_calibration.py [--out validation/results] [--draws 200]
        [--summary-draws 30] [--datasets rossi lung ...] [--no-simulated]

Writes ``draw_calibration.csv`` (one row per data set, case and quantity),
``draw_calibration_summary.csv`` and ``draw_calibration.md``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from accuracy import markdown_table, write_results

from mmsurv.draw_calibration import (
    CALIBRATION_CASES,
    HORIZON_SHARE,
    calibration_rows,
    summarize_calibration,
)
from mmsurv.validation import real_datasets, simulated_trials

CASE_TITLES = {
    "at_risk_events": "curve, numbers at risk and events",
    "events": "curve and events",
    "curve_only": "curve only",
    "hr_informed": "summaries, HR-informed",
    "hr_blind": "summaries, HR-blind",
}

HEADERS = {
    "case": "input case",
    "quantity": "quantity",
    "n": "n",
    "coverage": "draws: coverage",
    "width_median": "draws: median width",
    "abs_error_median": "point: median |error|",
    "boot_coverage": "bootstrap: coverage",
    "boot_width_median": "bootstrap: median width",
}


#: Default output folder: results/ next to this script.
RESULTS = Path(__file__).resolve().parent / "results"


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--out", type=Path, default=RESULTS, help="output folder (default: results/ here)")
    add("--draws", type=int, default=200, help="draws per digitized case")
    add("--summary-draws", type=int, default=30, help="draws per summary case")
    add("--datasets", nargs="+", help="real data set names (default: all)")
    add("--cases", nargs="+", choices=CALIBRATION_CASES)
    add("--no-simulated", action="store_true", help="real data sets only")
    return parser.parse_args(argv)


def _section(summary, title: str) -> list[str]:
    shown = summary.reset_index()
    shown["case"] = shown["case"].map(CASE_TITLES)
    shown = shown[list(HEADERS)].rename(columns=HEADERS)
    digits = {h: 3 for h in HEADERS.values()}
    digits["n"] = 0
    return [f"## {title}", "", markdown_table(shown, digits=digits), ""]


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    real = real_datasets()
    if args.datasets:
        real = {name: real[name] for name in args.datasets}
    sets = {"real": list(real.values())}
    if not args.no_simulated:
        sets["simulated"] = list(simulated_trials().values())
    cases = tuple(args.cases or CALIBRATION_CASES)
    started = time.perf_counter()
    tables = []
    for source, datasets in sets.items():
        for dataset in datasets:
            rows = calibration_rows(
                [dataset], cases, draws=args.draws, summary_draws=args.summary_draws
            )
            rows.insert(0, "source", source)
            tables.append(rows)
            print(f"{dataset.name}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    import pandas as pd

    table = pd.concat(tables, ignore_index=True)
    summary = pd.concat(
        {s: summarize_calibration(t) for s, t in table.groupby("source", sort=False)},
        names=["source"],
    )
    text = [
        "# Calibration of the reconstruction draws",
        "",
        "Share of data sets whose true value lies in the central 95% interval of the draws "
        "(coverage; target at least 0.90), the intervals' median width (log HR: on the log "
        "scale; median and RMST: relative to the true value), the median error of the "
        "point reconstruction, and the same for a plain bootstrap of the point "
        "reconstruction (sampling error, the baseline). Medians not reached in the truth "
        "count as covered when the interval reaches 'not reached'; their width is not "
        f"counted. RMST up to {HORIZON_SHARE:g} times the earlier last observed time of "
        f"the two arms. {args.draws} draws per digitized case, {args.summary_draws} per "
        "summary case; failed reconstructions are listed in the CSV.",
        "",
        "The interval is reconstruction uncertainty (how far the rebuilt patients can be "
        "from the data the figure or abstract shows), not sampling error.",
        "",
    ]
    for source in sets:
        text += _section(summary.loc[source], f"{source} data sets")
    failures = table[table["error"].fillna("") != ""]
    text.append(f"Failed reconstructions: {len(failures)}.")
    elapsed = time.perf_counter() - started
    text += ["", f"Run time {elapsed:.0f} s.", ""]
    for path in write_results(args.out, "draw_calibration", table, summary, "\n".join(text)):
        print(f"wrote {path}", file=sys.stderr)
    print(summary.to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
