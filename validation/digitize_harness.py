"""How well figures are digitized: figures drawn from known patients, read back, scored.

For each data set (real sets from lifelines and simulated trials, see
:mod:`mmsurv.validation`) and each *case* (a style, a file format, a resolution, a
degradation, text inside the plot), :func:`digitize_accuracy_table` draws the
Kaplan-Meier figure with :func:`km_figures.render_km_figure`, reads it with
:func:`mmsurv.digitize` and compares every arm with the truth:

* ``mean_abs_dS``/``max_abs_dS``: time-averaged and largest |S_read(t) - S_true(t)| over
  the drawn follow-up (the true KM cut at the axis end, and where it leaves the bottom
  of a truncated survival axis); ``max_level_err``: the largest |ΔS| at the middle of
  the true curve's plateaus (the level error, without the drops' timing, where a drop
  read a pixel early makes ``max_abs_dS`` as large as the drop);
* ``marks_found``: share of the true censoring times with a censor mark read within
  1e-4 (vector input) or :data:`MARK_TOLERANCE` (images) of the time axis, and
  ``marks_false``: share of the marks read with no censoring time that close;
* vector input: ``drops_found`` (share of the true event times found within 1e-4 of the
  time axis), ``table_exact`` (the at-risk row read
  equals the printed one), ``n_exact``;
* end to end (cases marked ``reconstruct``): the digitized study reconstructed with
  :func:`mmsurv.reconstruct` (Guyot et al. 2012; an image's table is the printed one,
  typed in as a user would), then the Cox log HR and the medians against the truth.

* images, the baseline: ``baseline_mean_abs_dS``/``baseline_max_abs_dS`` of a plain
  column-by-column trace (:func:`naive_trace`: per column, the mean row of the pixels of
  the curve's colour) with the colours and axes the digitizer found, scored the same way.

* images read by OCR (``ocr=True``, the ``ocr`` extra installed): the image read again
  with no axis values. ``ocr_found`` (the axes were calibrated and the arm found),
  ``x_labels_read``/``y_labels_read`` (share of the true tick labels the calibration
  used, each with its true value at its tick: within 0.5% of the axis of where the
  given-axes calibration puts that value), ``x_calibration_err`` (largest |Δtime| over
  the plot between the OCR calibration and the given-axes one, as a fraction of the time
  axis) and ``y_calibration_err`` (largest |Δsurvival|), ``ocr_mean_abs_dS``/
  ``ocr_max_abs_dS`` (the curve with the OCR calibration; the columns without the
  prefix, from the given axes, are its baseline), ``label_read`` (the arm named by its
  legend or at-risk row label exactly as drawn), ``table_read``/``table_exact`` (the
  at-risk row read by OCR, and read exactly: a figure whose axes were not read counts as
  not read) and end to end ``ocr_log_hr_err``/``ocr_median_err_max`` (the at-risk rows
  as read, an arm without one typed in; the given-axes columns type every row in).

Arms of an image carry no label: read curves are assigned to true arms (each at most
once) with the least total mean |ΔS|.
"""

from __future__ import annotations

import math
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from km_figures import FigureSpec, Note, TrueArm, render_km_figure

from mmsurv.km import km_curve, median_time, n_at_risk, step_difference, step_values

__all__ = [
    "CASES",
    "Case",
    "curve_errors",
    "digitize_accuracy_table",
    "match_arms",
    "naive_trace",
    "summarize_digitize_accuracy",
]


@dataclass(frozen=True)
class Case:
    """One way of printing a figure: style, format, resolution and degradations."""

    name: str
    style: str
    suffix: str
    dpi: int = 150
    grey: bool = False
    jpeg_quality: int | None = None
    line_width: float = 1.2
    truncate: bool = False
    overlap: bool = False
    colours: tuple[str, ...] | None = None
    notes: tuple[Note, ...] = ()
    reconstruct: bool = False
    sheet: str | None = None
    legend: str | None = None
    line_types: tuple[str, ...] | None = None

    @property
    def vector(self) -> bool:
        return self.suffix in (".pdf", ".svg")


_HR = "HR 0.71 (95% CI 0.55-0.92); p = 0.008"
#: Text inside a base-R plot (legend at the bottom left): a black annotation box at the
#: top right and a black median label in the middle, where curves often pass.
BOX_TOP_RIGHT = (
    Note(_HR, 0.97, 0.93, box=True, align="right"),
    Note("Median 12.0 vs 8.1 months", 0.3, 0.5),
)
#: Text inside a plot with its legend at the top right: the annotation box at the bottom
#: left, medians labelled in their arms' colours and a black p-value in the middle.
BOX_BOTTOM_LEFT = (
    Note(_HR, 0.03, 0.07, box=True),
    Note("Median 12.0 mo", 0.5, 0.62, colour="arm0"),
    Note("Median 8.1 mo", 0.5, 0.52, colour="arm1"),
    Note("Log-rank p = 0.008", 0.5, 0.42),
)

CASES: tuple[Case, ...] = (
    Case("pdf-base", "base", ".pdf", reconstruct=True),
    Case("pdf-ggplot", "ggplot", ".pdf"),
    Case("pdf-lifelines", "lifelines", ".pdf"),
    Case("svg-base", "base", ".svg"),
    Case("svg-ggplot", "ggplot", ".svg"),
    Case("svg-lifelines", "lifelines", ".svg"),
    Case("pdf-truncated", "ggplot", ".pdf", truncate=True),
    Case("svg-overlap", "lifelines", ".svg", overlap=True),
    Case("png150-ggplot", "ggplot", ".png", reconstruct=True),
    Case("png100-lifelines", "lifelines", ".png", dpi=100),
    Case("png72-ggplot", "ggplot", ".png", dpi=72),
    Case("png300-ggplot", "ggplot", ".png", dpi=300),
    Case("png150-base-colour", "base", ".png", colours=("#E41A1C", "#377EB8")),
    Case("png150-base", "base", ".png"),
    Case("jpeg100-base", "base", ".jpg", dpi=100, jpeg_quality=70),
    Case("jpeg100-ggplot", "ggplot", ".jpg", dpi=100, jpeg_quality=70),
    Case("grey150-base-colour", "base", ".png", grey=True, colours=("#000000", "#999999")),
    Case("thick150-lifelines", "lifelines", ".png", line_width=3.0),
    Case("truncated150-ggplot", "ggplot", ".png", truncate=True),
    Case("overlap150-lifelines", "lifelines", ".png", overlap=True),
    Case(
        "text150-base-colour",
        "base",
        ".png",
        colours=("#000000", "#377EB8"),
        notes=BOX_TOP_RIGHT,
    ),
    Case("text72-ggplot", "ggplot", ".png", dpi=72, notes=BOX_BOTTOM_LEFT),
    Case("text100-lifelines", "lifelines", ".png", dpi=100, notes=BOX_BOTTOM_LEFT),
    Case("textjpeg100-ggplot", "ggplot", ".jpg", dpi=100, jpeg_quality=70, notes=BOX_BOTTOM_LEFT),
    Case(
        "textgrey150-base-colour",
        "base",
        ".png",
        grey=True,
        colours=("#000000", "#999999"),
        notes=BOX_TOP_RIGHT,
    ),
    # thin lines in a small JPEG, as journals' web pages show figures: a line under a
    # pixel wide, whose colour JPEG shares with the white around it
    Case(
        "thinjpeg100-base-colour",
        "base",
        ".jpg",
        dpi=100,
        jpeg_quality=60,
        line_width=0.7,
        colours=("#1F77B4", "#D62728"),
    ),
    Case("thinjpeg100-lifelines", "lifelines", ".jpg", dpi=100, jpeg_quality=60, line_width=0.7),
    # a Python user's figure in a matplotlib style sheet: ggplot's grey panel and white
    # grid, seaborn's light grey box and grid without tick marks, bmh's grid without
    # tick marks at the survival axis's ends
    Case("mplggplot150-lifelines", "lifelines", ".png", sheet="ggplot"),
    Case(
        "mplwhitegrid100-lifelines",
        "lifelines",
        ".jpg",
        dpi=100,
        jpeg_quality=75,
        sheet="seaborn-v0_8-whitegrid",
    ),
    Case("mplbmh150-lifelines", "lifelines", ".png", sheet="bmh"),
    # legends outside the plot: in a row under the at-risk table (ggplot's and
    # survminer's "bottom"), and in a column left of the survival axis
    Case("legendbelow150-ggplot", "ggplot", ".png", legend="below"),
    Case("legendleft100-lifelines", "lifelines", ".png", dpi=100, legend="left"),
    # black arms solid and dotted (R's lty = 3), as many journals print them
    Case("dotted150-base", "base", ".png", line_types=("-", ":")),
    Case("dottedjpeg100-base", "base", ".jpg", dpi=100, jpeg_quality=70, line_types=("-", ":")),
)


#: An image's censor mark is found when within this fraction of the time axis of a true
#: censoring time (a pixel is 0.0014 of the axis at 150 dpi, 0.003 at 72 dpi).
MARK_TOLERANCE = 0.005


def _nice_step(span: float) -> float:
    raw = span / 6
    power = 10 ** math.floor(math.log10(raw))
    return min((m * power for m in (1, 2, 2.5, 5, 10)), key=lambda v: abs(v - raw))


def _figure_arms(dataset, case: Case) -> list[TrueArm]:
    arms = [TrueArm(str(label), *dataset.arm(label)) for label in dataset.arms]
    if case.overlap:  # two halves of one arm: curves on top of each other
        t, e = arms[0].time, arms[0].event
        rng = np.random.default_rng(0)
        half = rng.permutation(t.size) < t.size // 2
        arms = [TrueArm("half A", t[half], e[half]), TrueArm("half B", t[~half], e[~half])]
    return arms


def _spec(arms: list[TrueArm], case: Case) -> FigureSpec:
    end = max(float(a.time.max()) for a in arms)
    if case.truncate:
        end *= 0.6
    step = _nice_step(end)
    ticks = tuple(float(v) for v in np.round(np.arange(0, end + step, step), 10))
    return FigureSpec(
        style=case.style,
        ticks=ticks,
        x_max=ticks[-1],
        y_min=0.2 if case.truncate else 0.0,
        line_width=case.line_width,
        colours=case.colours,
        notes=case.notes,
        sheet=case.sheet,
        legend=case.legend,
        line_types=case.line_types,
    )


def _step_of(curve: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Right-continuous step function of digitized vertices (lowest value at a time)."""
    frame = curve.groupby("time", sort=True)["survival"].min()
    return frame.index.to_numpy(dtype=float), frame.to_numpy(dtype=float)


def curve_errors(
    curve: pd.DataFrame, truth: TrueArm, x_max: float, y_min: float = 0.0
) -> tuple[float, float, float]:
    """Max and mean |ΔS| over the part of the true curve the figure shows (up to the
    axis end, and while it is above the bottom of a truncated survival axis), and the
    max |ΔS| at the middle of each true plateau (the level error, without the timing
    of the drops)."""
    t, s = km_curve(truth.time, truth.event)
    u, v = _step_of(curve)
    horizon = min(float(truth.time.max()), x_max)
    below = np.flatnonzero(s < y_min)
    if below.size:
        horizon = min(horizon, float(t[below[0]]))
    if u[0] > 0:
        u, v = np.concatenate([[0.0], u]), np.concatenate([[1.0], v])
    max_abs, mean_abs = step_difference(u, v, t, s, horizon=horizon)
    edges = np.concatenate([t[t < horizon], [horizon]])
    mids = (edges[:-1] + edges[1:]) / 2
    plateau = np.abs(step_values(u, v, mids) - step_values(t, s, mids))
    return max_abs, mean_abs, float(plateau.max()) if plateau.size else 0.0


def _found(found: np.ndarray, true: np.ndarray, tol: float) -> float:
    if true.size == 0:
        return 1.0
    if found.size == 0:
        return 0.0
    idx = np.clip(np.searchsorted(found, true), 1, found.size - 1) if found.size > 1 else None
    if idx is None:
        return float(np.mean(np.abs(true - found[0]) <= tol))
    near = np.minimum(np.abs(found[idx] - true), np.abs(found[idx - 1] - true))
    return float(np.mean(near <= tol))


def match_arms(curves: list[pd.DataFrame], labels: list, arms: list[TrueArm], x_max, y_min):
    """Read arm index -> true arm index: by label, else the assignment of read curves to
    true arms with the least total mean |ΔS|; each true arm at most once (a second
    curve with an arm's label, e.g. a confidence limit, is matched by shape or left
    over as an extra curve)."""
    from scipy.optimize import linear_sum_assignment

    by_label = {a.label: i for i, a in enumerate(arms)}
    out: dict[int, int] = {}
    for k, lab in enumerate(labels):
        if lab in by_label and by_label[lab] not in out.values():
            out[k] = by_label[lab]
    rest = [k for k in range(len(curves)) if k not in out]
    free = [i for i in range(len(arms)) if i not in out.values()]
    if rest and free:
        cost = np.array(
            [[curve_errors(curves[k], arms[i], x_max, y_min)[1] for i in free] for k in rest]
        )
        for r, c in zip(*linear_sum_assignment(cost), strict=True):
            out[rest[r]] = free[c]
    return out


def naive_trace(image: Path, colour: str, calibration) -> pd.DataFrame:
    """The baseline: the image's pixels within 0.175 (RGB distance, 0-1 scale) of the
    curve's colour inside the plot frame, and per column their mean row, as a curve
    (what a plain column-by-column trace reads, with the same colour and axes)."""
    from PIL import Image

    with Image.open(image) as im:
        rgb = np.asarray(im.convert("RGB"), dtype=float) / 255.0
    target = np.array([int(colour[i : i + 2], 16) / 255.0 for i in (1, 3, 5)])
    x0, y0, x1, y1 = (round(v) for v in calibration.frame)
    inner = rgb[y0 + 3 : y1 - 2, x0 + 3 : x1 - 2]
    mask = np.linalg.norm(inner - target, axis=2) < 0.175
    cols = np.flatnonzero(mask.any(axis=0))
    rows = np.array([np.flatnonzero(mask[:, c]).mean() for c in cols])
    data = calibration.to_data(np.column_stack([cols + x0 + 3, rows + y0 + 3]))
    return pd.DataFrame({"time": data[:, 0], "survival": np.clip(data[:, 1], 0, 1)})


def _log_hr(frame: pd.DataFrame, treatment: str, reference: str) -> float:
    from mmsurv.validation import cox_log_hr

    return cox_log_hr(frame, treatment, reference)


def _end_to_end(
    result, arms: list[TrueArm], match: dict[int, int], spec: FigureSpec, *, typed: bool = False
) -> dict:
    """Reconstruct the digitized study; log HR and medians against the truth. An arm
    without an at-risk row read (every arm when ``typed``) gets the printed one, typed
    in as a user would."""
    import mmsurv

    ticks = np.asarray(spec.ticks)
    sizes, tables = {}, {}
    for k, got in enumerate(result.arms):
        truth = arms[match[k]]
        sizes[got.id] = len(truth.time)
        if got.at_risk is None or typed:  # typed in from the printed table
            end = float(got.curve["time"].iloc[-1])
            keep = ticks[ticks <= end]
            tables[got.id] = pd.DataFrame({"time": keep, "n": n_at_risk(truth.time, keep)})
    if tables:
        result = type(result)(
            result.source,
            result.kind,
            tuple(
                type(a)(a.id, a.label, a.colour, a.curve, a.censored, tables.get(a.id, a.at_risk))
                for a in result.arms
            ),
            result.calibration,
            result.warnings,
        )
    study = result.to_study(endpoint="E", n=sizes)
    ipd, _ = mmsurv.reconstruct(study, "E")
    ids = [a.id for a in result.arms]
    true = pd.concat(
        [
            pd.DataFrame({"arm": ids[k], "time": arms[i].time, "event": arms[i].event})
            for k, i in match.items()
        ]
    )
    out = {
        "log_hr_err": abs(_log_hr(ipd, ids[0], ids[1]) - _log_hr(true, ids[0], ids[1])),
    }
    errs = []
    for k, i in match.items():
        rec = ipd[ipd["arm"] == ids[k]]
        m_rec = median_time(*km_curve(rec["time"].to_numpy(), rec["event"].to_numpy()))
        m_true = median_time(*km_curve(arms[i].time, arms[i].event))
        if m_rec is not None and m_true is not None:
            errs.append(abs(m_rec - m_true) / max(spec.x_max, 1e-12))
    out["median_err_max"] = max(errs) if errs else math.nan
    return out


def _labels_read(ocr_map, given_map, truth: list[float], tol: float) -> float:
    """Share of the true tick labels read right by OCR: the value is a true tick's and
    sits where the given axis puts it (within ``tol``)."""
    if ocr_map is None or not ocr_map.source.startswith("tick labels read by OCR"):
        return 0.0
    right = {
        v
        for p, v in zip(ocr_map.positions, ocr_map.values, strict=True)
        if any(abs(v - t) <= 1e-9 for t in truth) and abs(float(given_map(p)) - v) <= tol
    }
    return len(right) / len(truth)


def _calibration_errors(ocr, given, spec: FigureSpec) -> tuple[float, float]:
    """Largest |Δtime| (as a fraction of the time axis) and |Δsurvival| between the OCR
    and the given-axes calibrations over the plot frame."""
    x0, y0, x1, y1 = given.frame
    corners = np.array([[x0, y1], [x1, y0]])
    diff = np.abs(ocr.to_data(corners) - given.to_data(corners))
    return float(diff[:, 0].max() / spec.x_max), float(diff[:, 1].max())


def _ocr_scores(path: Path, arms: list[TrueArm], spec: FigureSpec, case: Case, given) -> dict:
    """The image read with no axis values: tick labels, calibration, at-risk rows and
    curves from OCR, per true arm index."""
    import mmsurv

    y_ticks = [float(v) for v in np.linspace(0, 1, 6) if v >= spec.y_min - 1e-9]
    try:
        result = mmsurv.digitize(path, arms=len(arms))
    except mmsurv.InputError as exc:
        problem = str(exc.within(file=path.name))
        common = {"ocr_found": False, "ocr_problem": problem}
        common.update(x_labels_read=0.0, y_labels_read=0.0, table_exact=False)
        return {i: dict(common) for i in range(len(arms))}
    cal = result.calibration
    common = {
        "ocr_found": True,
        "x_labels_read": _labels_read(cal.x, given.x, list(spec.ticks), 0.005 * spec.x_max),
        "y_labels_read": _labels_read(
            cal.y, given.y, [v * (100 if cal.percent else 1) for v in y_ticks], 0.005
        ),
    }
    common["x_calibration_err"], common["y_calibration_err"] = _calibration_errors(cal, given, spec)
    match = match_arms(
        [a.curve for a in result.arms],
        [a.label for a in result.arms],
        arms,
        spec.x_max,
        spec.y_min,
    )
    out: dict[int, dict] = {i: {**common, "ocr_found": False} for i in range(len(arms))}
    ticks = np.asarray(spec.ticks)
    for k, got in enumerate(result.arms):
        truth = arms[match[k]]
        max_abs, mean_abs, _ = curve_errors(got.curve, truth, spec.x_max, spec.y_min)
        printed = n_at_risk(truth.time, ticks)
        read = None if got.at_risk is None else got.at_risk["n"].to_numpy()
        out[match[k]] = {
            **common,
            "ocr_mean_abs_dS": mean_abs,
            "ocr_max_abs_dS": max_abs,
            "label_read": got.label == truth.label,
            "table_read": read is not None,
            "table_exact": read is not None and np.array_equal(read, printed[: len(read)]),
        }
    missing = set(range(len(arms))) - set(match.values())
    if case.reconstruct and not missing and len(result.arms) == 2:
        try:
            extra = _end_to_end(result, arms, match, spec)
        except mmsurv.InputError as exc:
            extra = {"problem": f"reconstruction: {exc.within(file=path.name)}"}
        for i in out:
            out[i].update({f"ocr_{key}": value for key, value in extra.items()})
    return out


def _score_case(name: str, dataset, case: Case, folder: Path, ocr: bool) -> list[dict]:
    import mmsurv

    arms = _figure_arms(dataset, case)
    spec = _spec(arms, case)
    path = render_km_figure(
        arms,
        spec,
        folder / f"{name}-{case.name}{case.suffix}",
        dpi=case.dpi,
        grey=case.grey,
        jpeg_quality=case.jpeg_quality,
    )
    y_ticks = [v for v in np.linspace(0, 1, 6) if v >= spec.y_min - 1e-9]
    axes = {} if case.vector else {"x_axis": (0.0, spec.x_max), "y_axis": (y_ticks[0], 1.0)}
    base = {"dataset": name, "case": case.name, "vector": case.vector}
    try:
        result = mmsurv.digitize(path, arms=len(arms), **axes)
    except mmsurv.InputError as exc:
        problem = str(exc.within(file=path.name))  # the figure's name, not the temporary folder
        return [{**base, "arm": a.label, "found": False, "problem": problem} for a in arms]
    curves = [a.curve for a in result.arms]
    match = match_arms(curves, [a.label for a in result.arms], arms, spec.x_max, spec.y_min)
    baseline: dict[int, tuple[float, float]] = {}
    from_ocr: dict[int, dict] = {}
    if not case.vector:
        naive = [naive_trace(path, a.colour, result.calibration) for a in result.arms]
        for k, i in match_arms(naive, [None] * len(naive), arms, spec.x_max, spec.y_min).items():
            baseline[i] = curve_errors(naive[k], arms[i], spec.x_max, spec.y_min)[:2]
        if ocr:
            from_ocr = _ocr_scores(path, arms, spec, case, result.calibration)
    rows = []
    span = spec.x_max
    for k, got in enumerate(result.arms):
        truth = arms[match[k]]
        max_abs, mean_abs, level = curve_errors(got.curve, truth, spec.x_max, spec.y_min)
        row = {**base, "arm": truth.label, "found": True, "n": len(truth.time)}
        row.update(mean_abs_dS=mean_abs, max_abs_dS=max_abs, max_level_err=level)
        if match[k] in baseline:
            row["baseline_max_abs_dS"], row["baseline_mean_abs_dS"] = baseline[match[k]]
        t_true, s_true = km_curve(truth.time, truth.event)
        visible = s_true[np.searchsorted(t_true, truth.time, side="left") - 1] >= spec.y_min
        shown = (truth.time <= spec.x_max) & visible
        marks = np.unique(truth.time[shown & (truth.event == 0) & (truth.time < spec.x_max)])
        tol = (1e-4 if case.vector else MARK_TOLERANCE) * span
        row["marks_found"] = _found(np.asarray(got.censored), marks, tol)
        row["marks_false"] = 1.0 - _found(marks, np.asarray(got.censored), tol)
        if case.vector:
            drops = np.unique(truth.time[shown & (truth.event == 1)])
            row["drops_found"] = _found(got.drops, drops, 1e-4 * span)
            ticks = np.asarray(spec.ticks)
            printed = n_at_risk(truth.time, ticks)
            read = None if got.at_risk is None else got.at_risk["n"].to_numpy()
            row["table_exact"] = read is not None and np.array_equal(read, printed[: len(read)])
            row["n_exact"] = got.n == len(truth.time)
        row.update(from_ocr.get(match[k], {}))
        rows.append(row)
    missing = set(range(len(arms))) - set(match.values())
    rows += [{**base, "arm": arms[i].label, "found": False} for i in sorted(missing)]
    if case.reconstruct and not missing and len(result.arms) == 2:
        try:
            extra = _end_to_end(result, arms, match, spec, typed=not case.vector)
        except mmsurv.InputError as exc:
            extra = {"problem": f"reconstruction: {exc.within(file=path.name)}"}
        for row in rows:
            row.update(extra)
    return rows


def digitize_accuracy_table(
    datasets: dict, cases: tuple[Case, ...] = CASES, *, ocr: bool = False
) -> pd.DataFrame:
    """One row per data set, case and arm (see the module docstring for the columns).

    Parameters
    ----------
    datasets : dict of str to RealDataset
        E.g. :func:`mmsurv.validation.real_datasets`.
    cases : tuple of Case
        Default :data:`CASES`.
    """
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, dataset in datasets.items():
            for case in cases:
                rows += _score_case(name, dataset, case, Path(tmp), ocr)
    return pd.DataFrame(rows)


def summarize_digitize_accuracy(table: pd.DataFrame) -> pd.DataFrame:
    """Per case: arms found, median and worst mean |ΔS|, worst max |ΔS|, the baseline's
    median and worst mean |ΔS| (images), and for vector
    input the shares of event times, censor marks and at-risk rows read exactly."""
    groups = table.groupby("case", sort=False)
    summary = pd.DataFrame(
        {
            "arms": groups.size(),
            "found": groups["found"].sum(),
            "mean_abs_dS_median": groups["mean_abs_dS"].median(),
            "mean_abs_dS_worst": groups["mean_abs_dS"].max(),
            "max_abs_dS_worst": groups["max_abs_dS"].max(),
            "max_level_err_worst": groups["max_level_err"].max(),
        }
    )
    if "baseline_mean_abs_dS" in table:
        summary["baseline_mean_abs_dS_median"] = groups["baseline_mean_abs_dS"].median()
        summary["baseline_mean_abs_dS_worst"] = groups["baseline_mean_abs_dS"].max()
    shares = ("drops_found", "marks_found", "marks_false", "table_exact")
    for column in (*shares, "log_hr_err", "median_err_max"):
        if column in table:
            agg = "max" if column in ("log_hr_err", "median_err_max") else "mean"
            summary[column] = groups[column].agg(lambda c, a=agg: c.dropna().astype(float).agg(a))
    if "ocr_found" in table:
        summary["ocr_found"] = groups["ocr_found"].agg(
            lambda c: int((c == True).sum()) if c.notna().any() else np.nan  # noqa: E712
        )
        for column in ("x_labels_read", "y_labels_read", "label_read"):
            if column in table:
                summary[column] = groups[column].agg(lambda c: c.dropna().astype(float).mean())
        for column in ("x_calibration_err", "y_calibration_err"):
            summary[f"{column}_worst"] = groups[column].max()
        summary["ocr_mean_abs_dS_median"] = groups["ocr_mean_abs_dS"].median()
        summary["ocr_mean_abs_dS_worst"] = groups["ocr_mean_abs_dS"].max()
        summary["ocr_max_abs_dS_worst"] = groups["ocr_max_abs_dS"].max()
        for column in ("ocr_log_hr_err", "ocr_median_err_max"):
            if column in table:
                summary[column] = groups[column].max()
    return summary
