"""The accuracy harnesses: reconstruct the real and simulated data sets of
:mod:`mmsurv.validation` from what a paper prints, compare with the truth, and write
the tables.

:func:`guyot_accuracy_table` runs :func:`mmsurv.guyot` on the paper view of every arm
in the four input cases of Guyot et al. (2012); :func:`synthesis_accuracy_table`
rebuilds both arms of every abstract view with :func:`mmsurv.reconstruct`. The scripts
``guyot_accuracy.py`` and ``synthesis_accuracy.py`` next to this file run them and write
``results/``; the tests hold them to the accuracy bars. The data sets and their paper
and abstract views stay in the package (:mod:`mmsurv.validation`), for the tests and
for anyone's own measurements.

Reference: Guyot P, Ades AE, Ouwens MJ, Welton NJ. Enhanced secondary analysis of
survival data: reconstructing the data from published Kaplan-Meier survival curves. BMC
Med Res Methodol 2012;12:9.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from guyot_published import guyot_published

from mmsurv.km import km_curve, n_at_risk, step_values
from mmsurv.validation import (
    ABSTRACT_ENDPOINT,
    CASES,
    DEFAULT_SEED,
    SYNTHESIS_MODES,
    RealDataset,
    abstract_view,
    cox_log_hr,
    figure_study,
    km_errors,
    km_median,
    paper_view,
    real_datasets,
    round_time,
)

__all__ = [
    "BASELINES",
    "exponential_view",
    "guyot_accuracy_table",
    "markdown_sections",
    "markdown_table",
    "reconstructed_together",
    "select_datasets",
    "summarize_accuracy",
    "summarize_synthesis_accuracy",
    "synthesis_accuracy_table",
    "write_results",
]


def reconstructed_together(
    inputs: Mapping[str, Mapping[str, object]], treatment: str, reference: str
) -> pd.DataFrame:
    """The arms of one figure rebuilt together, as one study, by :func:`mmsurv.reconstruct`.

    ``inputs`` maps each arm label to its keyword arguments of :func:`mmsurv.guyot`.
    A user reconstructs a figure's arms as one study, and the HR of the accuracy tables
    is that reconstruction's (the arms share the end of follow-up,
    :func:`mmsurv._reconstruct.shared_end`). Columns ``arm`` (the label), ``time``,
    ``event``.
    """
    from mmsurv import reconstruct

    study, ids = figure_study(inputs, treatment=treatment, reference=reference)
    ipd, _ = reconstruct(study, ABSTRACT_ENDPOINT)
    ipd["arm"] = ipd["arm"].map({arm_id: label for label, arm_id in ids.items()})
    return ipd


# --------------------------------------------------------------------------- accuracy


_COLUMNS = [
    "dataset",
    "case",
    "arm",
    "n",
    "clicks",
    "at_risk_rows",
    "events_true",
    "events_rec",
    "events_miss",
    "max_abs_dS",
    "mean_abs_dS",
    "median_true",
    "median_rec",
    "median_err",
    "log_hr_true",
    "log_hr_rec",
    "log_hr_err",
    "mean_abs_dS_published",
    "log_hr_err_published",
    "error",
]


def guyot_accuracy_table(
    cases: Sequence[str] = CASES,
    datasets: Iterable[str | RealDataset] | None = None,
    *,
    seed: int = DEFAULT_SEED,
    time_noise: float = 0.002,
    surv_noise: float = 0.002,
    max_clicks: int | None = None,
) -> pd.DataFrame:
    """Reconstruct real data sets from their paper view and compare with the truth.

    For every data set the paper view (:func:`paper_view`) of both arms is made once;
    each arm is reconstructed with :func:`mmsurv.guyot` in each case of Guyot et al.
    (2012): numbers at risk and total events (``at_risk_events``), numbers at risk only
    (``at_risk``), total events only (``events``) and the curve alone (``curve_only``).

    Parameters
    ----------
    cases : sequence of str, default all of :data:`CASES`
        Which input cases to run.
    datasets : iterable of str or RealDataset, optional
        Names from :func:`real_datasets` or data sets; default all.
    seed, time_noise, surv_noise, max_clicks
        Passed to :func:`paper_view`.

    Returns
    -------
    pandas.DataFrame
        One row per data set, case and arm (treatment first) with columns

        ``n``, ``clicks``, ``at_risk_rows``
            Arm size, digitized points, rows of the at-risk table given.
        ``events_true``, ``events_rec``, ``events_miss``
            Total events, reconstructed and true, and reconstructed minus true.
        ``max_abs_dS``, ``mean_abs_dS``
            Largest and time-averaged |S_rec - S_true| of the Kaplan-Meier curves over
            [0, last observed time of the arm].
        ``median_true``, ``median_rec``, ``median_err``
            Kaplan-Meier medians and reconstructed minus true (NaN when undefined).
        ``log_hr_true``, ``log_hr_rec``, ``log_hr_err``
            Cox log hazard ratio (treatment vs reference) of the true and reconstructed
            data and ``|log(HR_rec / HR_true)|``; the same on both rows of a data set
            and case. The reconstructed HR is that of both arms rebuilt together as one
            study (:func:`reconstructed_together`), as a user rebuilds a figure.
        ``error``
            Empty, or the message of an :class:`mmsurv.InputError` raised by
            :func:`mmsurv.guyot` (then the metrics are NaN).
    """
    from mmsurv import guyot
    from mmsurv.errors import InputError

    unknown = [c for c in cases if c not in CASES]
    if unknown:
        raise ValueError(f"unknown case(s) {unknown}; expected some of {', '.join(CASES)}")
    rows = []
    for ds in _choose(datasets):
        view = paper_view(
            ds, seed=seed, time_noise=time_noise, surv_noise=surv_noise, max_clicks=max_clicks
        )
        truth = {label: ds.arm(label) for label in ds.arms}
        medians = {label: km_median(*truth[label]) for label in ds.arms}
        log_hr_true = cox_log_hr(ds.data, ds.treatment, ds.reference)
        for case in cases:
            with_table = case in ("at_risk_events", "at_risk")
            case_rows, plain_parts, failed = [], [], False
            for label in ds.arms:
                paper, (t_true, e_true) = view[label], truth[label]
                row = {
                    "dataset": ds.name,
                    "case": case,
                    "arm": label,
                    "n": paper.n,
                    "clicks": int(paper.clicks.shape[0]),
                    "at_risk_rows": len(paper.at_risk["times"]) if with_table else 0,
                    "events_true": paper.total_events,
                    "median_true": medians[label],
                    "log_hr_true": log_hr_true,
                    "error": "",
                }
                try:
                    ipd, report = guyot(**paper.guyot_inputs(case))
                except InputError as exc:
                    row["error"] = str(exc)
                    failed = True
                    case_rows.append(row)
                    continue
                t_rec = ipd["time"].to_numpy(dtype=float)
                e_rec = ipd["event"].to_numpy(dtype=np.int64)
                max_abs, mean_abs = km_errors(t_true, e_true, t_rec, e_rec, float(t_true.max()))
                median_rec = km_median(t_rec, e_rec)
                inputs = paper.guyot_inputs(case)
                t_plain, e_plain = guyot_published(
                    paper.clicks, paper.n, inputs["at_risk"], inputs["total_events"]
                )
                row.update(
                    events_rec=int(report.events_reconstructed),
                    events_miss=int(report.events_reconstructed) - paper.total_events,
                    max_abs_dS=max_abs,
                    mean_abs_dS=mean_abs,
                    median_rec=median_rec,
                    median_err=median_rec - medians[label],
                    mean_abs_dS_published=km_errors(
                        t_true, e_true, t_plain, e_plain, float(t_true.max())
                    )[1],
                )
                case_rows.append(row)
                plain_parts.append(pd.DataFrame({"arm": label, "time": t_plain, "event": e_plain}))
            if not failed:
                inputs = {label: view[label].guyot_inputs(case) for label in ds.arms}
                together = reconstructed_together(inputs, ds.treatment, ds.reference)
                log_hr_rec = cox_log_hr(together, ds.treatment, ds.reference)
                log_hr_plain = cox_log_hr(pd.concat(plain_parts), ds.treatment, ds.reference)
                for row in case_rows:
                    row.update(
                        log_hr_rec=log_hr_rec,
                        log_hr_err=abs(log_hr_rec - log_hr_true),
                        log_hr_err_published=abs(log_hr_plain - log_hr_true),
                    )
            rows.extend(case_rows)
    table = pd.DataFrame(rows).reindex(columns=_COLUMNS)
    table["error"] = table["error"].fillna("")
    return table


def summarize_accuracy(table: pd.DataFrame) -> pd.DataFrame:
    """Per case: median and worst errors over arms and data sets.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`guyot_accuracy_table`.

    Returns
    -------
    pandas.DataFrame
        Indexed by case (in the order of :data:`CASES`), columns ``arms``,
        ``mean_abs_dS_median`` and ``mean_abs_dS_worst`` (over arms),
        ``max_abs_dS_worst``, ``log_hr_err_median`` and ``log_hr_err_worst`` (over data
        sets), ``events_miss_worst`` (largest |reconstructed - true| over arms) and
        ``failures`` (arms :func:`mmsurv.guyot` refused).
    """
    return _summary(table, "case", CASES)


#: Baselines measured beside mmsurv in the same run, by the suffix of their columns:
#: the published Guyot algorithm (:func:`guyot_accuracy_table`) and the exponential
#: curve through one reported point (:func:`synthesis_accuracy_table`).
BASELINES = ("published", "exponential")


def _baseline(done: pd.DataFrame) -> dict:
    """Each baseline's medians beside mmsurv's, for the baselines the table has."""
    out = {}
    for name in BASELINES:
        if f"mean_abs_dS_{name}" not in done:
            continue
        hr = done.drop_duplicates("dataset")[f"log_hr_err_{name}"]
        out[f"{name}_mean_abs_dS_median"] = done[f"mean_abs_dS_{name}"].median()
        out[f"{name}_log_hr_err_median"] = hr.median()
    return out


def _summary(table: pd.DataFrame, by: str, order: Sequence[str], extra=None) -> pd.DataFrame:
    """Median and worst errors per value of ``by`` (in ``order``), over the arms that
    were reconstructed; ``extra(done)`` adds columns, ``failures`` counts refusals."""
    out = {}
    for key, rows in table.groupby(by, sort=False):
        done = rows[rows["error"] == ""]
        hr = done.drop_duplicates("dataset")["log_hr_err"]
        out[key] = {
            "arms": len(rows),
            "mean_abs_dS_median": done["mean_abs_dS"].median(),
            "mean_abs_dS_worst": done["mean_abs_dS"].max(),
            "max_abs_dS_worst": done["max_abs_dS"].max(),
            "log_hr_err_median": hr.median(),
            "log_hr_err_worst": hr.max(),
            **_baseline(done),
            "events_miss_worst": done["events_miss"].abs().max(),
            **(extra(done) if extra else {}),
            "failures": int((rows["error"] != "").sum()),
        }
    summary = pd.DataFrame.from_dict(out, orient="index")
    summary = summary.loc[[k for k in order if k in summary.index]]
    summary.index.name = by
    return summary


def _cell(value: object, digits: int) -> str:
    if isinstance(value, float | np.floating):
        if np.isnan(value):
            return ""
        if float(value).is_integer() and abs(value) >= 1:
            return f"{value:.0f}"
        return f"{value:.{digits}f}"
    return str(value).replace("|", "\\|")


def markdown_sections(
    table: pd.DataFrame,
    by: str,
    titles: Mapping[str, str],
    shown: Mapping[str, str],
    digits: Mapping[str, int] | None = None,
) -> list[str]:
    """Markdown lines: one titled table per value of ``by``, then the refused arms.

    ``titles`` maps a value of ``by`` to its heading, ``shown`` the columns to show to
    their headers, ``digits`` headers to decimals.
    """
    lines: list[str] = []
    for key, rows in table.groupby(by, sort=False):
        lines += ["", f"## {titles[key]}", ""]
        frame = rows[list(shown)].rename(columns=shown)
        lines.append(markdown_table(frame, digits=4 if digits is None else digits))
        errors = rows[rows["error"] != ""]
        lines += [f"- refused: {r.dataset} / {r.arm}: {r.error}" for r in errors.itertuples()]
    return lines


def markdown_table(
    frame: pd.DataFrame, *, digits: int | Mapping[str, int] = 4, index: bool = False
) -> str:
    """A DataFrame as a GitHub-flavoured markdown table (no extra dependency).

    Parameters
    ----------
    frame : pandas.DataFrame
        The table.
    digits : int or mapping of column to int, default 4
        Decimals of float cells; NaN is left blank.
    index : bool, default False
        Include the index as the first column.
    """
    if index:
        frame = frame.reset_index()
    cols = [str(c) for c in frame.columns]
    header = [c.replace("|", "\\|") for c in cols]

    def places(col: str) -> int:
        return digits.get(col, 4) if isinstance(digits, Mapping) else digits

    body = [
        [_cell(v, places(c)) for c, v in zip(cols, row, strict=True)]
        for row in frame.itertuples(index=False, name=None)
    ]
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---:" if num else ":---" for num in numeric) + "|",
    ]
    lines += ["| " + " | ".join(r) + " |" for r in body]
    return "\n".join(lines)


# --------------------------------------------------------------------------- synthesis accuracy


_SYNTHESIS_COLUMNS = [
    "dataset",
    "mode",
    "arm",
    "arm_id",
    "n",
    "family",
    "censoring",
    "events_true",
    "events_rec",
    "events_miss",
    "max_abs_dS",
    "mean_abs_dS",
    "median_true",
    "median_reported",
    "median_rec",
    "median_err",
    "median_ok",
    "landmarks",
    "landmark_err_max",
    "landmarks_ok",
    "log_hr_true",
    "hr_reported",
    "log_hr_rec",
    "log_hr_err",
    "log_hr_gap_reported",
    "mean_abs_dS_exponential",
    "log_hr_err_exponential",
    "error",
]


def select_datasets(
    names: Sequence[str] | None, known: Mapping[str, RealDataset] | None = None
) -> dict[str, RealDataset]:
    """The data sets of these names (all with None), in that order, from ``known``
    (default: :func:`real_datasets`).

    Raises
    ------
    KeyError
        Naming the unknown data sets and the known ones.
    """
    known = real_datasets() if known is None else known
    names = list(known) if not names else list(names)
    unknown = [name for name in names if name not in known]
    if unknown:
        raise KeyError(f"unknown data set(s): {', '.join(unknown)}; known: {', '.join(known)}")
    return {name: known[name] for name in names}


def write_results(
    folder: Path, stem: str, table: pd.DataFrame, summary: pd.DataFrame, text: str
) -> list[Path]:
    """Write ``<stem>.csv`` (the table), ``<stem>_summary.csv`` and ``<stem>.md``
    (``text``) into ``folder``, made if missing; returns the CSV and markdown paths."""
    folder.mkdir(parents=True, exist_ok=True)
    table.to_csv(folder / f"{stem}.csv", index=False)
    summary.to_csv(folder / f"{stem}_summary.csv")
    (folder / f"{stem}.md").write_text(text, encoding="utf-8")
    return [folder / f"{stem}.csv", folder / f"{stem}.md"]


def _choose(datasets: Iterable[str | RealDataset] | None) -> list[RealDataset]:
    items = None if datasets is None else list(datasets)
    need_names = items is None or any(not isinstance(d, RealDataset) for d in items)
    available = real_datasets() if need_names else {}
    chosen: list[RealDataset] = []
    for item in list(available.values()) if items is None else items:
        if isinstance(item, RealDataset):
            chosen.append(item)
        elif item in available:
            chosen.append(available[item])
        else:
            raise KeyError(f"unknown data set {item!r}; known: {', '.join(available)}")
    return chosen


def _note(notes: Sequence[str], prefix: str) -> str:
    return next((n[len(prefix) :] for n in notes if n.startswith(prefix)), "")


def _median_reproduced(reported: float | str, rec: float) -> bool:
    """The reconstruction's median prints as the reported one (NR as NR)."""
    if reported == "NR":
        return bool(np.isnan(rec))
    return not np.isnan(rec) and round_time(rec) == reported


def _landmark_reproduced(time: np.ndarray, survival: float, t: float, reported: float) -> bool:
    """The reconstruction's survival at ``t`` is the reported rate within rounding.

    Integer data move in steps: one event at ``t`` lowers a Kaplan-Meier curve by
    ``S(t) / n_risk(t)``. A rate is reproduced when it is within that step of the printed
    value, itself within 0.0005 of the truth (a percentage printed with 1 decimal).
    """
    at_risk = float(n_at_risk(time, np.array([t]))[0])
    return abs(survival - reported) <= 0.0005 + survival / max(at_risk, 1.0) + 1e-12


def exponential_view(view: dict) -> dict | None:
    """The abstract ``view`` cut to what the plain exponential baseline uses.

    Per arm the reported median, or its first landmark when the median is not reached
    (None when an arm has neither), and the follow-up; no events, confidence intervals
    or HR. :func:`mmsurv.reconstruct` then draws through each arm's one point the
    exponential curve, censors it with the same follow-up model as the full
    reconstruction (:func:`mmsurv.synthesis.accrual_span`) and makes the patients with
    the same engine, so the baseline differs from mmsurv only in what it reads.
    """
    ep = view["endpoints"][ABSTRACT_ENDPOINT]
    arms = {}
    for arm_id, res in ep["arms"].items():
        if res["median"] != "NR":
            arms[arm_id] = {"median": res["median"]}
        elif res["landmarks"]:
            first = min(res["landmarks"])
            arms[arm_id] = {"landmarks": {first: {"survival": res["landmarks"][first]["survival"]}}}
        else:
            return None
    endpoint = {"follow_up": ep["follow_up"], "arms": arms}
    return {**view, "endpoints": {ABSTRACT_ENDPOINT: endpoint}}


def _exponential_baseline(
    ds: RealDataset, view: dict, ids: Mapping[str, str], log_hr_true: float
) -> dict[str, dict]:
    """Per arm label: mean |ΔS| and |log HR err| of the exponential baseline (NaN when
    an arm reports no point or the reconstruction refuses)."""
    from mmsurv import load_study, reconstruct
    from mmsurv.errors import InputError

    nan = {"mean_abs_dS_exponential": np.nan, "log_hr_err_exponential": np.nan}
    missing = {label: nan for label in ds.arms}
    cut = exponential_view(view)
    if cut is None:
        return missing
    try:
        ipd, _ = reconstruct(load_study(cut), ABSTRACT_ENDPOINT, hr_blind=True)
    except InputError:
        return missing
    labelled = ipd.assign(arm=ipd["arm"].map({arm_id: label for label, arm_id in ids.items()}))
    log_hr_err = abs(cox_log_hr(labelled, ds.treatment, ds.reference) - log_hr_true)
    out = {}
    for label in ds.arms:
        t_true, e_true = ds.arm(label)
        rec = labelled[labelled["arm"] == label]
        out[label] = {
            "mean_abs_dS_exponential": km_errors(
                t_true,
                e_true,
                rec["time"].to_numpy(dtype=float),
                rec["event"].to_numpy(dtype=np.int64),
                float(t_true.max()),
            )[1],
            "log_hr_err_exponential": log_hr_err,
        }
    return out


def synthesis_accuracy_table(
    datasets: Iterable[str | RealDataset] | None = None,
    modes: Sequence[str] = tuple(SYNTHESIS_MODES),
    *,
    landmark_times: Sequence[float] | None = None,
) -> pd.DataFrame:
    """Reconstruct real data sets from their abstract alone and compare with the truth.

    For every data set the abstract view (:func:`abstract_view`) is loaded as a study
    and reconstructed with :func:`mmsurv.reconstruct` -- no curve, only the reported
    summaries -- once per mode: ``hr_informed`` (the published HR may shape the curves)
    and ``hr_blind`` (each arm from its own numbers).

    Parameters
    ----------
    datasets : iterable of str or RealDataset, optional
        Names from :func:`real_datasets` or data sets; default all.
    modes : sequence of str, default both of :data:`SYNTHESIS_MODES`
    landmark_times : sequence of float, optional
        Passed to :func:`abstract_view`.

    Returns
    -------
    pandas.DataFrame
        One row per data set, mode and arm (treatment first) with columns

        ``arm``, ``arm_id``, ``n``
            Arm label, its id in the study and size.
        ``family``, ``censoring``
            The curve family and the censoring model, from the report's notes.
        ``events_true``, ``events_rec``, ``events_miss``
            Events (true = reported), reconstructed and reconstructed minus true.
        ``max_abs_dS``, ``mean_abs_dS``
            Largest and time-averaged |S_rec - S_true| of the Kaplan-Meier curves over
            [0, last observed time of the arm] (:func:`km_errors`).
        ``median_true``, ``median_reported``, ``median_rec``, ``median_err``
            Kaplan-Meier medians (NaN when not reached), the printed one, and
            reconstructed minus true (NaN when either is not reached).
        ``median_ok``
            The reconstruction's median printed the same way is the reported one (not
            reached in both counts).
        ``landmarks``, ``landmark_err_max``, ``landmarks_ok``
            Landmarks reported for the arm, the largest |S_rec - S_true| at them, and
            whether every reconstructed rate is the reported one within the step of one
            event there and the printed rounding (:func:`_landmark_reproduced`).
        ``lm<i>_time``, ``lm<i>_true``, ``lm<i>_reported``, ``lm<i>_rec``, ``lm<i>_err``
            Per landmark of the abstract (1, 2, ...): time, true, printed and
            reconstructed survival, reconstructed minus true (NaN when the arm does not
            report it).
        ``log_hr_true``, ``hr_reported``, ``log_hr_rec``, ``log_hr_err``
            Cox log HR of the truth, the printed HR, the Cox log HR of the
            reconstruction and ``|log(HR_rec / HR_true)|``; the same on both rows of a
            data set and mode.
        ``log_hr_gap_reported``
            ``|log(HR_rec / HR_printed)|``: how far the reconstruction is from the HR it
            was given (HR-informed) or could not see (HR-blind).
        ``mean_abs_dS_exponential``, ``log_hr_err_exponential``
            The same two errors for a plain baseline, measured in the same run on the
            same abstract: each arm an exponential curve through its reported median (or
            first landmark), censored with the same follow-up model
            (:func:`exponential_view`); the same on the rows of both modes.
        ``error``
            Empty, or the message of an :class:`mmsurv.InputError` raised by
            :func:`mmsurv.reconstruct` (then the metrics are NaN).
    """
    from mmsurv import load_study, reconstruct
    from mmsurv.errors import InputError

    unknown = [m for m in modes if m not in SYNTHESIS_MODES]
    if unknown:
        raise ValueError(
            f"unknown mode(s) {unknown}; expected some of {', '.join(SYNTHESIS_MODES)}"
        )
    rows = []
    n_landmarks = 0
    for ds in _choose(datasets):
        view = abstract_view(ds, landmark_times=landmark_times)
        study = load_study(view)
        ep = view["endpoints"][ABSTRACT_ENDPOINT]
        comp = ep["comparison"]
        ids = {arm["label"]: arm["id"] for arm in view["arms"]}
        times = sorted({t for res in ep["arms"].values() for t in res["landmarks"]})
        n_landmarks = max(n_landmarks, len(times))
        truth = {label: ds.arm(label) for label in ds.arms}
        log_hr_true = cox_log_hr(ds.data, ds.treatment, ds.reference)
        baseline = _exponential_baseline(ds, view, ids, log_hr_true)
        for mode in modes:
            base = {
                "dataset": ds.name,
                "mode": mode,
                "log_hr_true": log_hr_true,
                "hr_reported": comp["hr"],
                "error": "",
            }
            try:
                ipd, report = reconstruct(study, ABSTRACT_ENDPOINT, hr_blind=SYNTHESIS_MODES[mode])
            except InputError as exc:
                rows += [
                    {
                        **base,
                        **baseline[label],
                        "arm": label,
                        "arm_id": ids[label],
                        "error": str(exc),
                    }
                    for label in ds.arms
                ]
                continue
            log_hr_rec = cox_log_hr(ipd, comp["treatment"], comp["reference"])
            for label in ds.arms:
                arm_id, (t_true, e_true) = ids[label], truth[label]
                res, rep = ep["arms"][arm_id], report[arm_id]
                rec = ipd[ipd["arm"] == arm_id]
                t_rec = rec["time"].to_numpy(dtype=float)
                e_rec = rec["event"].to_numpy(dtype=np.int64)
                max_abs, mean_abs = km_errors(t_true, e_true, t_rec, e_rec, float(t_true.max()))
                median_true = km_median(t_true, e_true)
                median_rec = km_median(t_rec, e_rec)
                row = {
                    **base,
                    **baseline[label],
                    "arm": label,
                    "arm_id": arm_id,
                    "n": int(t_true.size),
                    "family": _note(rep.notes, "curve: "),
                    "censoring": _note(rep.notes, "censoring: "),
                    "events_true": int(e_true.sum()),
                    "events_rec": int(e_rec.sum()),
                    "events_miss": int(e_rec.sum()) - int(e_true.sum()),
                    "max_abs_dS": max_abs,
                    "mean_abs_dS": mean_abs,
                    "median_true": median_true,
                    "median_reported": np.nan if res["median"] == "NR" else res["median"],
                    "median_rec": median_rec,
                    "median_err": median_rec - median_true,
                    "median_ok": _median_reproduced(res["median"], median_rec),
                    "landmarks": len(res["landmarks"]),
                    "log_hr_rec": log_hr_rec,
                    "log_hr_err": abs(log_hr_rec - log_hr_true),
                    "log_hr_gap_reported": abs(log_hr_rec - math.log(comp["hr"])),
                }
                km_true, km_rec = km_curve(t_true, e_true), km_curve(t_rec, e_rec)
                errors, ok = [], True
                for i, lt in enumerate(times, start=1):
                    row[f"lm{i}_time"] = lt
                    if lt not in res["landmarks"]:
                        continue
                    s_true = float(step_values(*km_true, np.array([lt]))[0])
                    s_rec = float(step_values(*km_rec, np.array([lt]))[0])
                    reported = res["landmarks"][lt]["survival"]
                    row.update(
                        {
                            f"lm{i}_true": s_true,
                            f"lm{i}_reported": reported,
                            f"lm{i}_rec": s_rec,
                            f"lm{i}_err": s_rec - s_true,
                        }
                    )
                    errors.append(abs(s_rec - s_true))
                    ok = ok and _landmark_reproduced(t_rec, s_rec, lt, reported)
                row["landmark_err_max"] = max(errors) if errors else np.nan
                row["landmarks_ok"] = ok
                rows.append(row)
    per_landmark = [
        f"lm{i}_{what}"
        for i in range(1, n_landmarks + 1)
        for what in ("time", "true", "reported", "rec", "err")
    ]
    at = _SYNTHESIS_COLUMNS.index("log_hr_true")
    columns = [*_SYNTHESIS_COLUMNS[:at], *per_landmark, *_SYNTHESIS_COLUMNS[at:]]
    table = pd.DataFrame(rows).reindex(columns=columns)
    table["error"] = table["error"].fillna("")
    return table


def summarize_synthesis_accuracy(table: pd.DataFrame) -> pd.DataFrame:
    """Per mode: median and worst errors over arms and data sets.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`synthesis_accuracy_table`.

    Returns
    -------
    pandas.DataFrame
        Indexed by mode, columns ``arms``, ``mean_abs_dS_median`` and
        ``mean_abs_dS_worst`` (over arms), ``max_abs_dS_worst``, ``log_hr_err_median``
        and ``log_hr_err_worst`` (over data sets), ``events_miss_worst`` (largest
        |reconstructed - true| over arms), ``landmark_err_worst`` (largest |S_rec -
        S_true| at a reported landmark), ``medians_off`` and ``landmarks_off`` (arms
        whose reconstructed median or landmark rates do not print as reported) and
        ``failures`` (arms :func:`mmsurv.reconstruct` refused); and the exponential
        baseline's medians, ``exponential_mean_abs_dS_median`` and
        ``exponential_log_hr_err_median``, over the same arms.
    """

    def per_mode(done: pd.DataFrame) -> dict:
        return {
            "landmark_err_worst": done["landmark_err_max"].max(),
            "medians_off": int((~done["median_ok"].astype(bool)).sum()),
            "landmarks_off": int((~done["landmarks_ok"].astype(bool)).sum()),
        }

    return _summary(table, "mode", list(SYNTHESIS_MODES), per_mode)
