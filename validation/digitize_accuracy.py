"""Accuracy of the figure digitizer on figures drawn from known patients.

Every two-group data set of :func:`mmsurv.validation.real_datasets` and the simulated
trials with 100 patients per arm and 1% monthly dropout is drawn as a Kaplan-Meier
figure in journal styles (base R, ggplot, lifelines), saved as PDF, SVG, PNG and JPEG,
printed at 72-300 dpi, degraded (JPEG, greyscale, thick lines, overlapping arms,
truncated axes, text and an annotation box inside the plot),
read back with :func:`mmsurv.digitize` (images with the axis values given, and again
without them, read by OCR when the ``ocr`` extra is installed) and scored against the
true Kaplan-Meier curves (``digitize_harness.py``).

Usage::

    python validation/digitize_accuracy.py [--out validation/results]
        [--datasets rossi waltons ...] [--cases pdf-base png150-ggplot ...]

Writes ``digitize_accuracy.csv`` (one row per data set, case and arm),
``digitize_accuracy_summary.csv`` (per case) and ``digitize_accuracy.md``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from accuracy import markdown_table, write_results
from digitize_harness import (
    CASES,
    digitize_accuracy_table,
    summarize_digitize_accuracy,
)

from mmsurv.digitizer import ocr_available as available
from mmsurv.validation import real_datasets, simulated_trials


def _datasets(names: list[str] | None) -> dict:
    every = dict(real_datasets())
    every.update({k: v for k, v in simulated_trials().items() if k.endswith("-dropout-0.01-n100")})
    if not names:
        return every
    unknown = [n for n in names if n not in every]
    if unknown:
        sys.exit(f"unknown data set(s): {', '.join(unknown)} (known: {', '.join(every)})")
    return {n: every[n] for n in names}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    parser.add_argument("--datasets", nargs="+")
    parser.add_argument("--cases", nargs="+", choices=[c.name for c in CASES])
    args = parser.parse_args(argv)
    cases = tuple(c for c in CASES if not args.cases or c.name in args.cases)
    datasets = _datasets(args.datasets)
    start = time.perf_counter()
    ocr = available()
    table = digitize_accuracy_table(datasets, cases, ocr=ocr)
    summary = summarize_digitize_accuracy(table)
    seconds = time.perf_counter() - start
    text = "\n".join(
        [
            "# Digitizer accuracy",
            "",
            f"{len(datasets)} data sets x {len(cases)} cases, {len(table)} arms, "
            f"{seconds:.0f} s. Command: `python validation/digitize_accuracy.py`.",
            "",
            "Per case (mean |ΔS| over the drawn follow-up; max level error at the middle "
            "of each true plateau; drops, marks, tables: share read exactly, vector input "
            "only; log HR and median errors: end to end after reconstruction, worst arm, "
            "median error as a fraction of the time axis). "
            + (
                "Images are also read with no axis values, by OCR (the `ocr_` columns, the "
                "tick labels read right, the calibration error; `label_read`: arms named by "
                "their label exactly as drawn; `table_exact`: at-risk rows "
                "read exactly by OCR); the columns without the prefix, with the axis values "
                "given, are their baseline:"
                if ocr
                else "OCR engine not installed: images are read with the axis values only."
            ),
            "",
            markdown_table(summary, index=True),
            "",
            "Every arm:",
            "",
            markdown_table(table.drop(columns=["problem"], errors="ignore")),
            "",
        ]
    )
    for path in write_results(args.out, "digitize_accuracy", table, summary, text):
        print(f"written: {path}")
    print(markdown_table(summary, index=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
