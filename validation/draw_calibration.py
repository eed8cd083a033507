"""Calibration of the reconstruction draws on data whose patients are known.

For every real data set of :func:`mmsurv.validation.real_datasets` and every simulated
trial of :func:`mmsurv.validation.simulated_trials`, the script makes each input case
from the true patients (digitized figure with numbers at risk and events, with events
only, alone, alone and clicked only up to its last drop; the abstract rebuilt with and
without its HR), reconstructs it with draws
(:func:`mmsurv.draws.draw_arrays`) and counts how often the true Cox log HR, medians and
RMSTs lie in the draws' central 95% interval -- and in that of a plain bootstrap of the
point reconstruction, the baseline that measures sampling error instead.

Usage::

    python validation/draw_calibration.py [--out validation/results] [--draws 200]
        [--summary-draws 30] [--datasets rossi lung ...] [--no-simulated]

Writes ``draw_calibration.csv`` (one row per data set, case and quantity),
``draw_calibration_summary.csv`` and ``draw_calibration.md``.

The harness (:func:`calibration_rows`, :func:`summarize_calibration`) is also used by
``tests/test_draw_calibration.py``.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from accuracy import markdown_table, write_results

from mmsurv._guyot import ArmIPD
from mmsurv.draws import draw_arrays
from mmsurv.errors import InputError
from mmsurv.study import load_study
from mmsurv.uncertainty import central_interval, draw_quantities
from mmsurv.validation import (
    ABSTRACT_ENDPOINT,
    RealDataset,
    abstract_view,
    figure_study,
    paper_view,
    real_datasets,
    simulated_trials,
)

#: Input cases: the three digitized ones of Guyot et al. (2012) that the project
#: validates, the curve alone clicked only up to its last drop (nothing to click on a
#: flat tail), and the two summary modes.
CALIBRATION_CASES: tuple[str, ...] = (
    "at_risk_events",
    "events",
    "curve_only",
    "curve_to_last_drop",
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
    inputs = {}
    for label in dataset.arms:
        arm = paper[label]
        clicks = arm.clicks
        time, event = dataset.arm(label)
        if case == "curve_to_last_drop" and event.any() and time.max() > time[event == 1].max():
            clicks = clicks[:-1]  # the click that ends the flat tail
        inputs[label] = {
            "curve": clicks,
            "n": arm.n,
            "at_risk": arm.at_risk if case == "at_risk_events" else None,
            "total_events": arm.total_events if case in ("at_risk_events", "events") else None,
        }
    return figure_study(
        inputs,
        treatment=dataset.treatment,
        reference=dataset.reference,
        name=dataset.name.replace("_", "-"),
    )


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


CASE_TITLES = {
    "at_risk_events": "curve, numbers at risk and events",
    "events": "curve and events",
    "curve_only": "curve only",
    "curve_to_last_drop": "curve only, clicked to its last drop",
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
