"""Figures: Kaplan-Meier curves with numbers at risk, panels of them, forest plots.

:func:`plot_km` draws the Kaplan-Meier curves of an :class:`~mmsurv.analysis.AnalysisResult`
with their confidence bands, censoring marks and a numbers-at-risk table aligned with the
time ticks, and puts the published numbers beside them: medians, landmark rates,
digitized clicks, numbers at risk and the hazard ratio. :func:`plot_panel` arranges
several such plots in a grid, :func:`plot_forest` draws published and reconstructed
hazard ratios of several studies with pooled estimates, and :func:`save_figure` writes a
figure as PNG, SVG or PDF, whole or not at all.

The figures are plain :class:`matplotlib.figure.Figure` objects with an Agg canvas: they
are not registered with pyplot (nothing to close, nothing shown), work without a
display, and show in a notebook when returned from a cell. Colours are the Okabe-Ito
palette, readable with colour-vision deficiencies, and every arm also has its own line
style so that the curves stay apart in greyscale.

Artists carry a ``gid`` so that programs (and tests) can find them: ``km-curve``,
``km-ci``, ``km-censor``, ``km-digitized``, ``published-median``, ``published-landmark``,
``published-landmark-ci``, ``hr-annotation``, ``risk-label``, ``risk-count``,
``risk-published`` and ``risk-header`` in Kaplan-Meier plots; ``forest-published``,
``forest-reconstructed``, ``forest-pooled``, ``forest-text`` and ``forest-ref`` in
forest plots.
"""

from __future__ import annotations

import math
import os
import sys
import textwrap
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib import colors as mcolors
from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.offsetbox import AnchoredText
from matplotlib.patches import Polygon
from matplotlib.ticker import MaxNLocator, PercentFormatter
from matplotlib.transforms import (
    Bbox,
    ScaledTranslation,
    blended_transform_factory,
    offset_copy,
)

from .analysis import AnalysisResult, ArmSummary, analyze, check_ipd
from .crosstrial import CrossTrialArms
from .curves import PERCENT_THRESHOLD
from .errors import InputError
from .files import write_atomic
from .formatting import fmt_number, fmt_p
from .km import n_at_risk, pointwise_band, step_values
from .meta import ComparisonTable
from .study import ArmResults, Endpoint, Study

__all__ = [
    "OKABE_ITO",
    "SIZES",
    "KMPanel",
    "new_figure",
    "plot_arms",
    "plot_forest",
    "plot_km",
    "plot_panel",
    "save_figure",
]

#: Okabe & Ito's colour-blind-safe palette (yellow left out: it does not read on white).
OKABE_ITO = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
_LINESTYLES = ("-", "--", "-.", ":", (0, (6, 2, 1, 2, 1, 2)), (0, (1, 1)), (0, (8, 3)))
#: Candidate tick steps per time unit; the first giving at most _MAX_INTERVALS is used.
_TICK_STEPS = {
    "months": (1, 2, 3, 6, 12, 24, 36, 60, 120),
    "weeks": (1, 2, 4, 8, 13, 26, 52, 104, 260),
    "days": (7, 14, 30, 60, 90, 180, 365, 730, 1825),
    "years": (0.25, 0.5, 1, 2, 5, 10, 20),
}
_MAX_INTERVALS = 8
_MAX_PUBLISHED_INTERVALS = 12  # more published times than this: every k-th is a tick
#: Where legend and HR box may go, in order of preference when they cover nothing.
_PLACES = (
    "lower left",
    "upper right",
    "lower right",
    "upper left",
    "center right",
    "center left",
    "lower center",
    "upper center",
    "center",
)
_MARKER_WEIGHT = 25.0  # covering a published marker costs as much as 25 curve points
_SHORT_NAME = 18  # longest label used as a risk-table row name; longer ones use the arm id
_LEGEND_STYLE = {
    "handlelength": 2.6,
    "borderaxespad": 0.6,
    "framealpha": 0.85,
    "edgecolor": "none",
    "fancybox": False,
}
_KEY_COLOR = "0.35"
_FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
_METADATA: dict[str, dict[str, Any]] = {
    "png": {},
    "svg": {"Date": None},
    "pdf": {"CreationDate": None},
}
#: Editable text in PDF (TrueType fonts); SVG element ids from a fixed, not a random, salt.
_SAVE_RC = {"pdf.fonttype": 42, "svg.hashsalt": "mmsurv"}
#: Censoring marks of an arm closer than this share of the time axis are drawn once.
_CENSOR_SPACING = 1 / 80


@dataclass(frozen=True)
class _Size:
    """Figure width, heights and type sizes (points) of one size preset."""

    width: float  # inches of a whole figure (of one column of a panel when screen)
    km_height: float  # inches of the curves' axes
    row: float  # inches per row of the numbers-at-risk table
    text: float  # legend, annotation and table text
    tick: float
    label: float
    title: float
    line: float  # width of the curves
    marker: float  # size of the published markers
    margin: float  # inches of a figure around the axes: title, axis labels, legend


#: ``size=`` of the plotting functions: the screen default, and journal columns at print
#: size (single 3.5 in, double 7.2 in; no text below 7 pt).
SIZES = {
    "screen": _Size(8.0, 3.6, 0.2, 8.5, 9.0, 10.0, 11.0, 1.8, 6.0, 1.4),
    "double": _Size(7.2, 3.0, 0.16, 7.5, 7.5, 8.5, 9.0, 1.4, 5.0, 1.1),
    "single": _Size(3.5, 2.2, 0.14, 7.0, 7.0, 7.5, 8.0, 1.1, 4.0, 0.9),
}


@dataclass(frozen=True)
class KMPanel:
    """One Kaplan-Meier plot of :func:`plot_panel`; the fields are :func:`plot_km`'s.

    Examples
    --------
    >>> import mmsurv
    >>> from mmsurv.analysis import analyze
    >>> study = mmsurv.load_study("niu-2026-krd-vs-vrd")
    >>> ipd, _ = mmsurv.reconstruct(study, "PFS")
    >>> panel = KMPanel(analyze(ipd, "KRd", "VRd"), ipd=ipd, study=study, endpoint="PFS")
    """

    result: AnalysisResult
    published: Endpoint | None = None
    ipd: pd.DataFrame | None = None
    study: Study | None = None
    endpoint: str | None = None
    labels: Mapping[Hashable, str] | None = None
    title: str | None = None
    band: pd.DataFrame | None = None


@dataclass(frozen=True)
class _Arm:
    """What is drawn for one arm."""

    name: str  # risk-table row
    legend: str
    color: str
    linestyle: Any
    summary: ArmSummary
    times: np.ndarray | None  # every observed time, sorted (from the IPD)
    censored: np.ndarray | None
    published: ArmResults | None
    band: _DrawBand | None = None


@dataclass(frozen=True)
class _KM:
    """A validated Kaplan-Meier plot, ready to draw."""

    arms: list[_Arm]
    unit: str | None
    annotation: str
    title: str
    tmax: float
    published_times: np.ndarray
    risk_table: bool
    annotation_gid: str = "hr-annotation"
    size: _Size = SIZES["screen"]


# --------------------------------------------------------------------------- Kaplan-Meier


def plot_km(
    result: AnalysisResult,
    published: Endpoint | None = None,
    *,
    ipd: pd.DataFrame | None = None,
    study: Study | None = None,
    endpoint: str | None = None,
    labels: Mapping[Hashable, str] | None = None,
    risk_table: bool | None = None,
    ci: bool = True,
    percent: bool = False,
    title: str | None = None,
    colors: Sequence[str] | None = None,
    figsize: tuple[float, float] | None = None,
    size: str = "screen",
    ax: Axes | None = None,
    band: pd.DataFrame | None = None,
) -> Axes:
    """Kaplan-Meier curves with numbers at risk and the published numbers beside them.

    Draws per arm the Kaplan-Meier step curve with its pointwise confidence band and,
    with ``ipd``, a mark at each censored time; below the curves, a table of the numbers
    at risk at each time tick. From the published endpoint: the reported numbers at
    risk (a row "<arm> (published)" under the arm's row), the medians (a diamond at
    (median, 0.5)), the landmark rates (circles, with their CI when reported), the
    digitized clicks (small dots) and, in a box, the published hazard ratio with its CI
    and p-value above the reconstructed Cox HR with its CI and the log-rank p-value.
    Legend and box go where they cover the least of the curves and published markers
    (corners first), apart from each other when the axes have room for both. Censoring
    marks closer than 1/80 of the time axis are drawn once, so that the curves of large
    arms stay clean.

    Parameters
    ----------
    result : AnalysisResult
        :func:`mmsurv.analysis.analyze` of the (reconstructed) data.
    published : Endpoint, optional
        What the paper reports for this endpoint (``study.endpoint("PFS")``). Its arm
        ids must be arms of ``result``; its comparison must compare the same treatment
        and reference. Defaults to ``study.endpoint(endpoint)`` when both are given.
    ipd : pandas.DataFrame, optional
        The patients ``result`` was computed from (columns ``arm``, ``time``,
        ``event``): needed for the censoring marks and the reconstructed numbers at
        risk, which an :class:`~mmsurv.analysis.AnalysisResult` does not hold. Its arms
        and their sizes must be those of ``result``.
    study : Study, optional
        Gives the arm labels, the time unit (when ``result`` has none) and the title.
    endpoint : str, optional
        Name of the endpoint, for the title (and to look ``published`` up in ``study``).
    labels : mapping, optional
        Arm (a key of ``result.arms``) to display name; overrides the study's labels.
        Arms default to the study's labels, then to their ids. Names of up to 18
        characters also name the risk-table rows; longer ones are given in the legend
        after the arm id, which names the row (on screen; the journal sizes name the
        arm by its row name only).
    risk_table : bool, optional
        None (default) draws the table when there are counts to show (``ipd`` or
        published numbers at risk); True requires them; False leaves the table out.
        The time ticks are the published at-risk times when these are evenly spaced
        from 0 (every k-th of many), otherwise steps that suit the time unit; published
        counts are shown at the ticks that are published times.
    ci : bool
        Draw the confidence bands.
    percent : bool
        Survival axis in percent instead of probability.
    title : str, optional
        Defaults to "<endpoint> — <trial>" from what is known (the study's
        :attr:`~mmsurv.study.Study.trial_name`); "" for none.
    colors : sequence of str, optional
        One matplotlib colour per arm, in the order of the arms (the study's order when
        ``study`` is given, else that of ``result.arms``); defaults to :data:`OKABE_ITO`.
    figsize : (float, float), optional
        Width and height in inches of a new figure; defaults to the ``size`` preset's.
    size : {"screen", "double", "single"}
        Type sizes and figure width: ``"screen"`` (8 in wide) fits a slide or a
        notebook; ``"double"`` (7.2 in) and ``"single"`` (3.5 in) are a journal's double
        and single column at print size, with no text below 7 pt.
    ax : matplotlib.axes.Axes, optional
        Draw into these axes instead of a new figure; the numbers-at-risk table goes
        beneath them, as lifelines' ``add_at_risk_counts`` puts it (leave room below, e.g.
        with ``layout="constrained"``, which makes room for it).
    band : pandas.DataFrame, optional
        Draws of plausible patient data (:func:`mmsurv.reconstruct` with ``draws``:
        columns ``draw``, ``arm``, ``time``, ``event``, at least 2 draws of the
        result's arms): per arm, the pointwise 2.5-97.5% band of the draws'
        Kaplan-Meier curves is drawn (gid ``km-draws``), as its envelope over 400 cells
        of time; with 40 draws or fewer those quantiles are the smallest and largest
        draw, and the key says "all K".
        It is reconstruction uncertainty (how far the rebuilt patients can be from the
        paper's), not sampling error, which the confidence band (``ci``) shows.

    Returns
    -------
    matplotlib.axes.Axes
        The axes of the curves (``ax.figure`` is the figure). The numbers-at-risk table,
        when drawn, is an inset of them below the time axis (``ax.child_axes``, gid
        ``risk-table``), sharing their x axis. See :func:`new_figure` for how a new
        figure shows in a notebook.

    Raises
    ------
    InputError
        Naming the argument and the problem: a result without arms, published arms or
        a comparison that do not match the result, IPD of other arms or sizes, a
        wrong type.

    Examples
    --------
    >>> import mmsurv
    >>> from mmsurv.analysis import analyze
    >>> study = mmsurv.load_study("niu-2026-krd-vs-vrd")
    >>> ipd, _ = mmsurv.reconstruct(study, "PFS")
    >>> result = analyze(ipd, "KRd", "VRd", time_unit=study.time_unit)
    >>> ax = plot_km(result, ipd=ipd, study=study, endpoint="PFS")
    >>> [line.get_label() for line in ax.get_lines()
    ...  if line.get_gid() == "km-curve"]  # doctest: +NORMALIZE_WHITESPACE
    ['KRd: Carfilzomib + lenalidomide + dexamethasone (n = 42)',
     'VRd: Bortezomib + lenalidomide + dexamethasone (n = 38)']
    """
    preset = _preset(size)
    compact = size != "screen"
    km = _km_spec(
        result, published, ipd, study, endpoint, labels, risk_table, title, colors,
        compact=compact, size=preset, band=band,
    )  # fmt: skip
    _check_flag(ci, "ci")
    _check_flag(percent, "percent")
    return _single_plot(km, figsize, ax, ci, percent)


def plot_panel(
    items: Sequence[KMPanel],
    *,
    ncols: int = 2,
    sharex: bool | None = None,
    risk_table: bool | None = None,
    ci: bool = True,
    percent: bool = False,
    title: str | None = None,
    colors: Sequence[str] | None = None,
    size: str = "screen",
    letters: bool = True,
) -> np.ndarray:
    """Several Kaplan-Meier plots in a grid, each with its own numbers at risk.

    Parameters
    ----------
    items : sequence of KMPanel
        One plot each, filled in rows of ``ncols``; each is drawn as :func:`plot_km`
        draws it.
    ncols : int
        Plots per row (fewer when there are fewer plots).
    sharex : bool, optional
        Give every plot the same time axis. None (default) shares it when all plots
        have the same time unit; True with different units is an error.
    risk_table, ci, percent, colors
        As in :func:`plot_km`, for every plot.
    title : str, optional
        Title above the grid.
    size : {"screen", "double", "single"}
        As in :func:`plot_km`: ``"screen"`` gives each plot 6 in, the journal presets
        share their width among the columns.
    letters : bool
        Put a panel letter (A, B, ...) at the top left of each plot.

    Returns
    -------
    numpy.ndarray of matplotlib.axes.Axes
        The curves' axes of every plot, in order (``axes[0].figure`` is the figure);
        each holds its numbers-at-risk table as :func:`plot_km`'s does.

    Raises
    ------
    InputError
        An item that is not a :class:`KMPanel` (``field="items[i]"``) or that
        :func:`plot_km` refuses, ``ncols`` below 1, ``sharex`` over different units.

    Examples
    --------
    >>> import mmsurv
    >>> from mmsurv.analysis import analyze
    >>> study = mmsurv.load_study("niu-2026-krd-vs-vrd")
    >>> panels = []
    >>> for name in ("PFS", "OS"):
    ...     ipd, _ = mmsurv.reconstruct(study, name)
    ...     result = analyze(ipd, "KRd", "VRd", time_unit=study.time_unit)
    ...     panels.append(KMPanel(result, ipd=ipd, study=study, endpoint=name, title=name))
    >>> axes = plot_panel(panels)
    >>> len(axes), len(axes[0].figure.axes)
    (2, 2)
    """
    if isinstance(items, (str, bytes)) or not isinstance(items, Sequence) or not items:
        raise InputError("expected a non-empty list of KMPanel", field="items")
    if not isinstance(ncols, int) or isinstance(ncols, bool) or ncols < 1:
        raise InputError(f"must be a whole number >= 1, got {ncols!r}", field="ncols")
    for name, flag in (("ci", ci), ("percent", percent), ("letters", letters)):
        _check_flag(flag, name)
    if sharex is not None:
        _check_flag(sharex, "sharex")
    if title is not None and not isinstance(title, str):
        raise InputError(f"expected a string, got {type(title).__name__}", field="title")
    preset = _preset(size)
    specs = [_panel_spec(i, item, risk_table, colors, preset) for i, item in enumerate(items)]
    units = {km.unit for km in specs}
    if sharex is None:
        sharex = len(units) == 1
    elif sharex and len(units) > 1:
        shown = ", ".join(sorted(str(u) for u in units))
        raise InputError(f"the plots have different time units ({shown})", field="sharex")
    ncols = min(ncols, len(specs))
    nrows = math.ceil(len(specs) / ncols)
    rows = [specs[r * ncols : (r + 1) * ncols] for r in range(nrows)]
    heights = [preset.km_height + max(map(_table_height, row)) + preset.margin for row in rows]
    width = 6.0 * ncols if size == "screen" else preset.width
    fig = new_figure((width, sum(heights) + 0.3 * bool(title)))
    grid = fig.add_gridspec(nrows, ncols, height_ratios=heights)
    shared_ticks = None
    if sharex:
        tmax = max(km.tmax for km in specs)
        union = np.unique(np.concatenate([km.published_times for km in specs]))
        shared_ticks = _ticks(tmax, union, specs[0].unit)
    axes: list[Axes] = []
    placements = []
    for i, km in enumerate(specs):
        ticks = shared_ticks if sharex else _ticks(km.tmax, km.published_times, km.unit)
        ax = fig.add_subplot(
            grid[i // ncols, i % ncols], sharex=axes[0] if sharex and axes else None
        )
        placements.append(_add_km(ax, km, ticks, ci, percent))
        if letters:
            _panel_letter(ax, chr(ord("A") + i) if i < 26 else str(i + 1), km.size)
        axes.append(ax)
    if title:
        fig.suptitle(title, fontsize=preset.title + 1, fontweight="bold")
    fig.draw_without_rendering()
    for ax, boxes in zip(axes, placements, strict=True):
        _place_boxes(ax, *boxes)
    return np.array(axes, dtype=object)


def plot_arms(
    arms: CrossTrialArms,
    *,
    risk_table: bool | None = None,
    ci: bool = False,
    percent: bool = False,
    title: str | None = None,
    colors: Sequence[str] | None = None,
    figsize: tuple[float, float] | None = None,
    size: str = "screen",
    ax: Axes | None = None,
) -> Axes:
    """Reconstructed arms of several studies on one axis, with the not-randomised warning.

    Draws each arm of :func:`mmsurv.cross_trial_arms` as :func:`plot_km` draws
    an arm: its Kaplan-Meier curve (and band with ``ci``), censoring marks, the
    published median, landmarks and clicks of its study, and its numbers at risk (with
    the published ones when its study reports them). A box placed off the curves says
    that the arms come from different studies and were not randomised against each other
    (:data:`~mmsurv.crosstrial.CROSS_TRIAL_WARNING`). No hazard ratio between arms of
    different studies is computed or shown.

    Parameters
    ----------
    arms : CrossTrialArms
        The arms, from :func:`mmsurv.cross_trial_arms`.
    risk_table, percent, colors, figsize, size, ax
        As in :func:`plot_km` (one colour per arm, in the order of ``arms.arms``).
    ci : bool, default False
        Draw the confidence bands (off by default: several overlapping bands hide the
        curves).
    title : str, optional
        Defaults to "<endpoint>: <arm ids> arms of <k> studies"; "" for none.

    Returns
    -------
    matplotlib.axes.Axes
        The axes of the curves, holding the table as :func:`plot_km`'s do.

    Raises
    ------
    InputError
        ``arms`` of another type, or an argument :func:`plot_km` would refuse.

    Examples
    --------
    >>> from mmsurv import cross_trial_arms
    >>> rd = cross_trial_arms(["maia-2019-pfs-primary", "pollux-2016-pfs-primary"], "PFS")
    >>> ax = plot_arms(rd)
    >>> [box.get_gid() for box in ax.artists]
    ['cross-trial-warning']
    """
    if not isinstance(arms, CrossTrialArms):
        raise InputError(
            f"expected CrossTrialArms (mmsurv.cross_trial_arms), got {type(arms).__name__}",
            field="arms",
        )
    for name, flag in (("ci", ci), ("percent", percent)):
        _check_flag(flag, name)
    _check_table_and_title(risk_table, title)
    palette = _palette(colors, len(arms.arms))
    trials = [a.trial for a in arms.arms]
    drawn = []
    for i, arm in enumerate(arms.arms):
        single = pd.DataFrame({"arm": arm.label, "time": arm.time, "event": arm.event})
        drawn.append(
            _Arm(
                name=arm.trial if trials.count(arm.trial) == 1 else arm.label,
                legend=f"{arm.label} (n = {arm.n})",
                color=palette[i],
                linestyle=_LINESTYLES[i % len(_LINESTYLES)],
                summary=analyze(single, time_unit=arms.time_unit).arms[arm.label],
                times=arm.time,
                censored=arm.time[arm.event == 0],
                published=arm.published,
            )
        )
    if title is None:
        ids = " / ".join(dict.fromkeys(a.arm for a in arms.arms))
        title = f"{arms.endpoint}: {ids} arms of {len(arms.arms)} studies"
    km = _KM(
        arms=drawn,
        unit=arms.time_unit,
        annotation=textwrap.fill(arms.warning, 48),
        title=title,
        tmax=_tmax(drawn),
        published_times=_published_times(drawn),
        risk_table=True if risk_table is None else risk_table,
        annotation_gid="cross-trial-warning",
    )
    return _single_plot(replace(km, size=_preset(size)), figsize, ax, ci, percent)


def _preset(size: Any) -> _Size:
    if not isinstance(size, str) or size not in SIZES:
        raise InputError(f"expected one of {', '.join(SIZES)}, got {size!r}", field="size")
    return SIZES[size]


def _single_plot(km: _KM, figsize: Any, ax: Any, ci: bool, percent: bool) -> Axes:
    """One Kaplan-Meier plot in ``ax`` or a new figure, legend and box placed after the
    layout."""
    if ax is None:
        size = km.size
        fig = new_figure(figsize or (size.width, size.km_height + _table_height(km) + size.margin))
        ax = fig.add_subplot()
    elif not isinstance(ax, Axes):
        raise InputError(f"expected matplotlib Axes, got {type(ax).__name__}", field="ax")
    elif figsize is not None:
        raise InputError("give figsize or ax, not both (ax has its figure)", field="figsize")
    boxes = _add_km(ax, km, _ticks(km.tmax, km.published_times, km.unit), ci, percent)
    ax.figure.draw_without_rendering()
    _place_boxes(ax, *boxes)
    return ax


def _add_km(
    ax: Axes, km: _KM, ticks: np.ndarray, ci: bool, percent: bool
) -> tuple[list[Any], list[str], str, np.ndarray, str, _Size]:
    """Draw one Kaplan-Meier plot in ``ax`` and its table beneath; return what
    :func:`_place_boxes` needs after the layout."""
    boxes = _draw_km(ax, km, ticks, ci=ci, percent=percent)
    if km.risk_table:
        _draw_table(_table_axes(ax, km), km, ticks)
    if km.title:
        ax.set_title(km.title, loc="left", fontsize=km.size.title, fontweight="bold")
    return boxes


def _table_axes(ax: Axes, km: _KM) -> Axes:
    """An inset of ``ax`` below its time axis and label, as high as the table's rows.

    Placed in inches from the bottom of ``ax`` so that the rows keep their spacing
    whatever the size of ``ax``; a constrained layout makes room for it.
    """
    size = km.size
    below = (3.5 + 3.5 + 1.3 * size.tick + 4.0 + 1.3 * size.label + 2.0) / 72
    height = _table_height(km)
    inches = ax.figure.dpi_scale_trans + ScaledTranslation(0, 0, ax.transAxes)
    where = blended_transform_factory(ax.transAxes, inches)
    table = ax.inset_axes((0, -below - height, 1, height), transform=where)
    table.sharex(ax)
    table.set_gid("risk-table")
    return table


def _table_height(km: _KM) -> float:
    """Height of the numbers-at-risk table in inches (0 without a table)."""
    return km.size.row * (len(_table_rows(km)) + 1.5) if km.risk_table else 0.0


def _panel_letter(ax: Axes, letter: str, size: _Size) -> None:
    ax.annotate(
        letter,
        xy=(0, 1),
        xycoords="axes fraction",
        xytext=(-2.2 * size.label, 1.2 * size.title),
        textcoords="offset points",
        ha="right",
        va="bottom",
        fontsize=size.title + 2,
        fontweight="bold",
        gid="panel-letter",
    )


def _panel_spec(
    index: int, item: Any, risk_table: bool | None, colors: Sequence[str] | None, size: _Size
) -> _KM:
    if not isinstance(item, KMPanel):
        raise InputError(f"expected a KMPanel, got {type(item).__name__}", field=f"items[{index}]")
    try:
        return _km_spec(
            item.result,
            item.published,
            item.ipd,
            item.study,
            item.endpoint,
            item.labels,
            risk_table,
            item.title,
            colors,
            compact=True,
            size=size,
            band=item.band,
        )
    except InputError as exc:
        raise exc.within(field=f"items[{index}]") from None


# --------------------------------------------------------------------------- validation


def _km_spec(
    result: Any,
    published: Any,
    ipd: Any,
    study: Any,
    endpoint: Any,
    labels: Any,
    risk_table: Any,
    title: Any,
    colors: Any,
    *,
    compact: bool = False,
    size: _Size = SIZES["screen"],
    band: Any = None,
) -> _KM:
    """Check the arguments of :func:`plot_km` and gather what is drawn.

    ``compact`` legends name the arms by their short names (in panels).
    """
    if not isinstance(result, AnalysisResult):
        raise InputError(
            f"expected an AnalysisResult (mmsurv.analysis.analyze), got {type(result).__name__}",
            field="result",
        )
    if not result.arms:
        raise InputError("the result has no arms", field="result")
    if study is not None and not isinstance(study, Study):
        raise InputError(f"expected a Study, got {type(study).__name__}", field="study")
    if endpoint is not None and not isinstance(endpoint, str):
        raise InputError(f"expected an endpoint name, got {endpoint!r}", field="endpoint")
    _check_table_and_title(risk_table, title)
    if published is None and study is not None and endpoint is not None:
        published = study.endpoint(endpoint)
    ids = {str(key): key for key in result.arms}
    if study is not None:  # the study's order of arms
        order = {arm_id: i for i, arm_id in enumerate(study.arm_ids)}
        ids = dict(sorted(ids.items(), key=lambda item: order.get(item[0], len(order))))
    _check_published(published, result, ids)
    arms = _arms(
        result,
        _arm_names(result, list(ids.values()), study, labels),
        _palette(colors, len(result.arms)),
        _observed(ipd, result, ids),
        published,
        _draw_bands(band, result, ids),
        compact=compact,
    )
    published_times = _published_times(arms)
    has_counts = ipd is not None or bool(published_times.size)
    if risk_table and not has_counts:
        raise InputError(
            "no numbers at risk to show: pass ipd= or a published endpoint with at_risk",
            field="risk_table",
        )
    unit = result.time_unit or (study.time_unit if study is not None else None)
    return _KM(
        arms=arms,
        unit=unit,
        annotation=_hr_text(result, published),
        title=_title(title, endpoint, study),
        tmax=_tmax(arms),
        published_times=published_times,
        risk_table=has_counts if risk_table is None else risk_table,
        size=size,
    )


def _check_table_and_title(risk_table: Any, title: Any) -> None:
    if risk_table is not None and not isinstance(risk_table, bool):
        raise InputError(f"expected True, False or None, got {risk_table!r}", field="risk_table")
    if title is not None and not isinstance(title, str):
        raise InputError(f"expected a string, got {type(title).__name__}", field="title")


def _published_times(arms: list[_Arm]) -> np.ndarray:
    """Every time of the arms' published numbers-at-risk tables, sorted, once each."""
    tables = [
        np.asarray(a.published.at_risk.times, dtype=float)
        for a in arms
        if a.published is not None and a.published.at_risk is not None
    ]
    return np.unique(np.concatenate([np.zeros(0), *tables]))


def _check_published(published: Any, result: AnalysisResult, ids: dict[str, Hashable]) -> None:
    if published is None:
        return
    if not isinstance(published, Endpoint):
        raise InputError(
            f"expected an Endpoint (study.endpoint(name)), got {type(published).__name__}",
            field="published",
        )
    listing = ", ".join(ids)
    for arm_id in published.arms:
        if arm_id not in ids:
            raise InputError(
                f"arm {arm_id!r} is not in the result (arms: {listing})", field="published.arms"
            )
    comp = published.comparison
    if comp is None or result.comparison is None:
        return
    ours = (str(result.comparison.treatment), str(result.comparison.reference))
    if (comp.treatment, comp.reference) != ours:
        raise InputError(
            f"compares {comp.treatment} with {comp.reference} but the result compares "
            f"{ours[0]} with {ours[1]}",
            field="published.comparison",
        )


def _arms(
    result: AnalysisResult,
    names: dict[Hashable, tuple[str, str]],
    palette: list[str],
    observed: dict[Hashable, tuple[np.ndarray, np.ndarray]],
    published: Endpoint | None,
    bands: dict[Hashable, _DrawBand],
    *,
    compact: bool,
) -> list[_Arm]:
    """The arms in the order of ``names``, with their styles and data."""
    arms = []
    for i, (key, (short, full)) in enumerate(names.items()):
        n = result.arms[key].n
        times, censored = observed.get(key, (None, None))
        arms.append(
            _Arm(
                name=short,
                legend=f"{short if compact or short == full else f'{short}: {full}'} (n = {n})",
                color=palette[i],
                linestyle=_LINESTYLES[i % len(_LINESTYLES)],
                summary=result.arms[key],
                times=times,
                censored=censored,
                published=published.arms.get(str(key)) if published is not None else None,
                band=bands.get(key),
            )
        )
    return arms


def _arm_names(
    result: AnalysisResult, keys: list[Hashable], study: Study | None, labels: Any
) -> dict[Hashable, tuple[str, str]]:
    """Per arm, in the order of ``keys``: short name (risk-table row) and full name."""
    if labels is not None and not isinstance(labels, Mapping):
        raise InputError(f"expected a mapping of arm to name, got {labels!r}", field="labels")
    labels = dict(labels or {})
    unknown = [key for key in labels if key not in result.arms]
    if unknown:
        raise InputError(f"{unknown[0]!r} is not an arm of the result", field="labels")
    names = {}
    for key in keys:
        full = labels.get(key)
        if full is None and study is not None:
            try:
                full = study.arm(str(key)).label
            except KeyError:
                raise InputError(
                    f"arm {str(key)!r} of the result is not an arm of {study.id}", field="study"
                ) from None
        full = str(key) if full is None else str(full)
        names[key] = (full if len(full) <= _SHORT_NAME else str(key), full)
    return names


def _palette(colors: Any, n: int) -> list[str]:
    if colors is None:
        return [OKABE_ITO[i % len(OKABE_ITO)] for i in range(n)]
    if isinstance(colors, str) or not isinstance(colors, Sequence):
        raise InputError(f"expected a list of colours, got {colors!r}", field="colors")
    if len(colors) < n:
        raise InputError(f"{len(colors)} colours for {n} arms", field="colors")
    for color in colors:
        if not mcolors.is_color_like(color):
            raise InputError(f"{color!r} is not a colour", field="colors")
    return list(colors[:n])


def _observed(
    ipd: Any, result: AnalysisResult, ids: dict[str, Hashable]
) -> dict[Hashable, tuple[np.ndarray, np.ndarray]]:
    """Per arm of the result: sorted observed times and censored times of ``ipd``."""
    if ipd is None:
        return {}
    data = check_ipd(ipd)
    arm_ids = data["arm"].astype(str)
    extra = sorted(set(arm_ids) - set(ids))
    if extra:
        raise InputError(f"arm {extra[0]!r} is not in the result", field="ipd.arm")
    out = {}
    for arm_id, key in ids.items():
        rows = data[arm_ids == arm_id]
        if len(rows) != result.arms[key].n:
            raise InputError(
                f"arm {arm_id!r} has {len(rows)} rows but the result has n = {result.arms[key].n}",
                field="ipd",
            )
        time = rows["time"].to_numpy(dtype=float)
        out[key] = (np.sort(time), np.sort(time[rows["event"].to_numpy() == 0]))
    return out


#: Cells of the time axis over which the draws' band is drawn.
_BAND_POINTS = 400
#: Fewer draws than this make the 2.5% quantile (taken as a draw) the smallest draw:
#: the key then says the band is the draws' range.
_BAND_MIN_95 = 41


@dataclass(frozen=True)
class _DrawBand:
    """The band of one arm's draws: lower and upper on ``[grid[i], grid[i + 1])``."""

    grid: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    draws: int

    @property
    def key(self) -> str:
        if self.draws < _BAND_MIN_95:
            return f"Draws, all {self.draws} (reconstruction)"
        return "Draws, 95% (reconstruction)"


def _draw_bands(
    band: Any, result: AnalysisResult, ids: dict[str, Hashable]
) -> dict[Hashable, _DrawBand]:
    """Per arm of the result with draws in ``band``: the pointwise 2.5-97.5% band of the
    draws' Kaplan-Meier curves, as its envelope over each of :data:`_BAND_POINTS` cells
    of time (upper at a cell's start, lower just before its end: the curves do not
    rise), so a drop between two grid times is never cut off."""
    if band is None:
        return {}
    if not isinstance(band, pd.DataFrame):
        raise InputError(
            "expected the draws of mmsurv.reconstruct(..., draws=K) (a DataFrame), "
            f"got {type(band).__name__}",
            field="band",
        )
    if "draw" not in band.columns:
        raise InputError("no column 'draw' (draws of mmsurv.reconstruct)", field="band")
    try:
        data = check_ipd(band.drop(columns="draw"))
    except InputError as exc:
        field = "band" + (exc.field or "ipd").removeprefix("ipd")
        raise InputError(exc.problem, field=field) from None
    data["draw"] = _draw_numbers(band["draw"])
    arm_ids = data["arm"].astype(str)
    extra = sorted(set(arm_ids) - set(ids))
    if extra:
        raise InputError(f"arm {extra[0]!r} is not in the result", field="band.arm")
    draws = np.unique(data["draw"].to_numpy())
    if draws.size < 2:
        raise InputError(f"a band needs at least 2 draws, got {draws.size}", field="band.draw")
    out = {}
    for arm_id, key in ids.items():
        rows = data[arm_ids == arm_id]
        if rows.empty:
            continue
        draw = rows["draw"].to_numpy()
        sizes = np.bincount(np.searchsorted(draws, draw), minlength=draws.size)
        wrong = np.flatnonzero(sizes != result.arms[key].n)
        if wrong.size:
            k = wrong[0]
            raise InputError(
                f"draw {draws[k]} of arm {arm_id!r} has {sizes[k]} rows but the result has "
                f"n = {result.arms[key].n} (draws of another endpoint or study?)",
                field="band",
            )
        time = rows["time"].to_numpy(dtype=float)
        event = rows["event"].to_numpy()
        samples = [(time[draw == k], event[draw == k]) for k in draws]
        grid = np.linspace(0.0, float(time.max()), _BAND_POINTS)
        before_next = np.append(np.nextafter(grid[1:], -np.inf), grid[-1])
        lower, upper = pointwise_band(samples, np.concatenate([grid, before_next]))
        out[key] = _DrawBand(grid, lower[grid.size :], upper[: grid.size], int(draws.size))
    return out


def _draw_numbers(column: pd.Series) -> np.ndarray:
    """The ``draw`` column as whole numbers from 0, or one InputError naming the row."""
    raw = column.reset_index(drop=True)
    values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    flags = raw.map(lambda v: isinstance(v, (bool, np.bool_))).to_numpy(dtype=bool)
    bad = ~np.isfinite(values) | (values < 0) | (values != np.round(values)) | flags
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"row {row}: {raw[row]!r} is not a draw number (a whole number from 0)",
            field="band.draw",
        )
    return values.astype(np.int64)


def _check_flag(value: Any, name: str) -> None:
    if not isinstance(value, bool):
        raise InputError(f"expected True or False, got {value!r}", field=name)


def _title(title: str | None, endpoint: str | None, study: Study | None) -> str:
    if title is not None:
        return title
    parts = [endpoint, study.trial_name if study is not None else None]
    return " — ".join(p for p in parts if p)


def _tmax(arms: list[_Arm]) -> float:
    """The latest time to show: observed times and published medians and landmarks."""
    times = [a.summary.max_time for a in arms]
    for arm in arms:
        if arm.published is not None:
            times += [arm.published.median_value or 0.0, *arm.published.landmarks]
    return max(times)


# --------------------------------------------------------------------------- text


def _hr_text(result: AnalysisResult, published: Endpoint | None) -> str:
    lines = []
    comp = published.comparison if published is not None else None
    if comp is not None and (comp.hr is not None or comp.p is not None):
        parts = []
        if comp.hr is not None:  # as printed: 0.69 (0.48–1.00), not 0.48–1
            places = max(printed_decimals(x) for x in (comp.hr, *(comp.hr_ci or ())))
            ci = ""
            if comp.hr_ci is not None:
                lo, hi = comp.hr_ci
                ci = f" ({comp.ci_level * 100:g}% CI {lo:.{places}f}–{hi:.{places}f})"
            parts.append(f"HR {comp.hr:.{places}f}{ci}")
        if comp.p is not None:
            parts.append(_p_text(str(comp.p)))
        lines.append("Published: " + ", ".join(parts) + (" (adjusted)" if comp.adjusted else ""))
    ours = result.comparison
    if ours is not None and (ours.hr is not None or ours.logrank_p is not None):
        parts = []
        if ours.hr is not None:
            parts.append(f"HR {fmt_number(ours.hr)}{_ci_text(ours.hr_ci, result.ci_level)}")
        if ours.logrank_p is not None:
            parts.append("log-rank " + _p_text(fmt_p(ours.logrank_p)))
        lines.append("Reconstructed: " + ", ".join(parts))
    return "\n".join(lines)


def _ci_text(ci: tuple[float, float] | None, level: float) -> str:
    if ci is None:
        return ""
    return f" ({level * 100:g}% CI {fmt_number(ci[0])}–{fmt_number(ci[1])})"


def _p_text(p: str) -> str:
    return f"p {p}" if p[:1] in "<>≤≥=" else f"p = {p}"


def _tick_label(value: float) -> str:
    return f"{value:g}"


# --------------------------------------------------------------------------- drawing


def new_figure(figsize: tuple[float, float]) -> Figure:
    """A new figure with a constrained layout, as every plotting function makes it.

    In IPython (a Jupyter notebook or the IPython shell) the figure is made by pyplot,
    so that the active backend shows it: in a notebook it appears below the cell that
    made it, with no ``%matplotlib`` magic, as lifelines' figures do (and pyplot closes
    it there). Elsewhere (scripts, the ``mmsurv`` command) it is a plain
    :class:`~matplotlib.figure.Figure` with an Agg canvas that pyplot does not know:
    nothing to close, nothing shown, no display needed.

    Parameters
    ----------
    figsize : (float, float)
        Width and height in inches, each above 0 and below 100.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    InputError
        ``field="figsize"`` when it is not two sizes in inches.

    Examples
    --------
    >>> fig = new_figure((3.5, 2.5))
    >>> fig.get_size_inches().tolist(), fig.get_layout_engine() is not None
    ([3.5, 2.5], True)
    """
    try:
        width, height = (float(x) for x in figsize)
    except (TypeError, ValueError):
        raise InputError(
            f"expected (width, height) in inches, got {figsize!r}", field="figsize"
        ) from None
    if not (0 < width < 100 and 0 < height < 100):
        raise InputError(f"expected (width, height) in inches, got {figsize!r}", field="figsize")
    if _in_ipython():
        import matplotlib.pyplot as plt

        return plt.figure(figsize=(width, height), layout="constrained")
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _in_ipython() -> bool:
    """Whether this runs in IPython (never imports IPython to find out)."""
    ipython = sys.modules.get("IPython")
    get = getattr(ipython, "get_ipython", None)
    return get is not None and get() is not None


def _ticks(tmax: float, published: np.ndarray, unit: str | None) -> np.ndarray:
    """Time ticks from 0 to at least ``tmax``.

    The published at-risk times when they are evenly spaced from 0 (every k-th when
    there are many), continued at the same step up to ``tmax``; otherwise steps that
    suit the unit (3, 6, 12 months; 4, 8, 13, 26 weeks; ...).
    """
    tmax = max(tmax, float(published[-1]) if published.size else 0.0)
    if published.size >= 3 and published[0] == 0:
        steps = np.diff(published)
        if np.allclose(steps, steps[0], rtol=1e-6):
            step = steps[0] * math.ceil(tmax / steps[0] / _MAX_PUBLISHED_INTERVALS)
            return step * np.arange(math.ceil(tmax / step - 1e-9) + 1)
    for step in _TICK_STEPS.get(unit or "", ()):
        count = max(math.ceil(tmax / step - 1e-9), 1)
        if count <= _MAX_INTERVALS:
            return step * np.arange(count + 1, dtype=float)
    ticks = MaxNLocator(nbins=_MAX_INTERVALS, min_n_ticks=2).tick_values(0, max(tmax, 1e-9))
    return ticks[ticks >= 0]


def _draw_km(
    ax: Axes, km: _KM, ticks: np.ndarray, *, ci: bool, percent: bool
) -> tuple[list[Any], list[str], str, np.ndarray, str, _Size]:
    """Draw the curves; return the legend entries, the annotation text, the data points
    (x, y, weight) that legend and text should not cover, the annotation's gid and the
    size preset."""
    size = km.size
    handles: list[Any] = []
    labels: list[str] = []
    keys: dict[str, Any] = {}
    points = []
    for arm in km.arms:
        s = arm.summary
        grid = np.linspace(0, s.max_time, 240)
        curve = {"color": arm.color, "ls": arm.linestyle, "label": arm.legend}
        (line,) = ax.step(s.times, s.survival, where="post", lw=size.line, gid="km-curve", **curve)
        handle: Any = line
        points.append(_weighted(grid, step_values(s.times, s.survival, grid), 1.0))
        if ci:
            band = ax.fill_between(
                s.times, s.ci_lower, s.ci_upper, step="post", color=arm.color, alpha=0.15, lw=0
            )
            band.set_gid("km-ci")
            handle = (band, line)
            for bound in (s.ci_lower, s.ci_upper):
                points.append(_weighted(grid, step_values(s.times, bound, grid), 0.25))
        if arm.band is not None:
            b = arm.band
            drawn = ax.fill_between(
                b.grid, b.lower, b.upper, step="post", color=arm.color, alpha=0.4, lw=0
            )
            drawn.set_gid("km-draws")
            keys[b.key] = Polygon([[0, 0]], closed=True, color=_KEY_COLOR, alpha=0.4, lw=0)
        handles.append(handle)
        labels.append(arm.legend)
        if arm.censored is not None and arm.censored.size:
            marks = thin_marks(arm.censored, _CENSOR_SPACING * ticks[-1])
            y = step_values(s.times, s.survival, marks)
            tick = {"ls": "none", "marker": "|", "ms": size.marker, "mew": 0.8 * size.line}
            ax.plot(marks, y, color=arm.color, clip_on=False, gid="km-censor", **tick)
            keys["Censored"] = Line2D([], [], color=_KEY_COLOR, **tick)
        if arm.published is not None:
            points += _draw_published(ax, arm, keys, size)
    ax.set_xlim(0, ticks[-1])
    ax.set_xticks(ticks, labels=[_tick_label(t) for t in ticks])
    ax.set_ylim(0, 1.02)
    ax.set_yticks(np.linspace(0, 1, 6))
    if percent:
        ax.yaxis.set_major_formatter(PercentFormatter(xmax=1, decimals=0))
    ax.set_ylabel("Survival (%)" if percent else "Survival probability", fontsize=size.label)
    ax.set_xlabel(f"Time ({km.unit})" if km.unit else "Time", fontsize=size.label)
    ax.tick_params(labelsize=size.tick)
    ax.spines[["top", "right"]].set_visible(False)
    handles += list(keys.values())
    labels += list(keys)
    return handles, labels, km.annotation, np.concatenate(points), km.annotation_gid, size


def thin_marks(times: np.ndarray, spacing: float) -> np.ndarray:
    """Sorted ``times`` thinned from the left so that no two kept marks are closer than
    ``spacing``: one mark where many would merge into a bar, and every time within
    ``spacing`` after a kept mark.

    Parameters
    ----------
    times : numpy.ndarray
        Sorted times (censoring times of an arm).
    spacing : float
        The least distance between two kept marks (> 0).

    Returns
    -------
    numpy.ndarray
        The kept times, the first one always among them.

    Examples
    --------
    >>> thin_marks(np.array([0.0, 0.1, 0.15, 0.3, 1.0]), 0.2).tolist()
    [0.0, 0.3, 1.0]
    """
    times = np.asarray(times, dtype=float)
    kept = []
    i = 0
    while i < times.size:  # one step per kept mark (at most span / spacing + 1)
        kept.append(i)
        i = int(np.searchsorted(times, times[i] + spacing, side="left"))
    return times[kept]


def _draw_published(ax: Axes, arm: _Arm, keys: dict[str, Any], size: _Size) -> list[np.ndarray]:
    """Published clicks, median and landmarks of one arm; returns their points."""
    pub = arm.published
    assert pub is not None
    points = []
    ms = size.marker
    marker = {"color": arm.color, "mfc": "white", "mew": 0.25 * ms, "ls": "none"}
    drawn = {**marker, "zorder": 4, "clip_on": False}
    key = {**marker, "mec": _KEY_COLOR}
    if pub.curve is not None:
        clicks = pub.curve.to_array()
        if clicks[:, 1].max() > PERCENT_THRESHOLD:
            clicks = clicks * [1.0, 0.01]
        dots = {"ls": "none", "marker": "o", "color": arm.color, "alpha": 0.45}
        ax.plot(*clicks.T, ms=0.37 * ms, zorder=1.5, gid="km-digitized", **dots)
        keys["Digitized curve"] = Line2D(
            [], [], ls="none", marker="o", ms=0.5 * ms, alpha=0.6, color=_KEY_COLOR
        )
        points.append(_weighted(*clicks.T, 0.5))
    median = pub.median_value
    if median is not None:
        ax.plot([median], [0.5], marker="D", ms=ms, gid="published-median", **drawn)
        keys["Published median"] = Line2D([], [], marker="D", ms=ms, **key)
        points.append(_weighted([median], [0.5], _MARKER_WEIGHT))
    if pub.landmarks:
        t = np.array(list(pub.landmarks), dtype=float)
        s = np.array([lm.survival for lm in pub.landmarks.values()])
        with_ci = without_ci = False
        for time, lm in pub.landmarks.items():
            lo, hi = lm.ci or (None, None)
            if lo is not None and hi is not None:
                ax.plot(
                    [time, time],
                    [lo, hi],
                    lw=0.7 * size.line,
                    color=arm.color,
                    gid="published-landmark-ci",
                )
                points.append(_weighted([time, time], [lo, hi], _MARKER_WEIGHT))
                with_ci = True
            else:
                without_ci = True
        ax.plot(t, s, marker="o", ms=ms, gid="published-landmark", **drawn)
        circle = Line2D([], [], marker="o", ms=ms, **key)
        if with_ci:
            bar = Line2D([], [], ls="none", marker="|", ms=2.6 * ms, mew=0.7 * size.line)
            bar.set_color(_KEY_COLOR)
            keys["Published landmark (CI)"] = (bar, circle)
        if without_ci:
            keys["Published landmark"] = circle
        points.append(_weighted(t, s, _MARKER_WEIGHT))
    return points


def _table_rows(km: _KM) -> list[tuple[str, str, _Arm]]:
    """Rows of the numbers-at-risk table: (kind, label, arm), kind 'ipd' or 'published'."""
    rows = []
    for arm in km.arms:
        if arm.times is not None:
            rows.append(("ipd", arm.name, arm))
        if arm.published is not None and arm.published.at_risk is not None:
            rows.append(("published", f"{arm.name} (published)", arm))
    return rows


def _table_counts(kind: str, arm: _Arm, ticks: np.ndarray) -> list[str]:
    """The counts of one row at the ticks ('' where a published table has none)."""
    if kind == "ipd":
        assert arm.times is not None
        return [str(n) for n in n_at_risk(arm.times, ticks)]
    assert arm.published is not None and arm.published.at_risk is not None
    times = np.asarray(arm.published.at_risk.times, dtype=float)
    counts = np.asarray(arm.published.at_risk.n, dtype=float)
    nearest = np.abs(ticks[:, None] - times[None, :]).argmin(axis=1)
    match = np.isclose(times[nearest], ticks, rtol=1e-6, atol=1e-9)
    return [fmt_number(counts[j]) if ok else "" for j, ok in zip(nearest, match, strict=True)]


def _draw_table(table: Axes, km: _KM, ticks: np.ndarray) -> None:
    """The numbers-at-risk table: a row per arm (and per published table), a column per
    tick, the row labels left of the axis."""
    font = km.size.text
    rows = _table_rows(km)
    cells = [_table_counts(kind, arm, ticks) for kind, _, arm in rows]
    widest = max((len(c) for row in cells for c in row), default=1)
    pad = 0.5 * widest * 0.62 * font + 6  # points left of the axis: half the widest count
    labels_at = offset_copy(
        blended_transform_factory(table.transAxes, table.transData),
        table.figure,
        x=-pad,
        units="points",
    )
    cell = {"ha": "center", "va": "center", "fontsize": font}
    label = {**cell, "ha": "right", "transform": labels_at}
    table.text(0, -1.1, "Number at risk", **label, fontweight="bold", gid="risk-header")
    for y, ((kind, name, arm), row) in enumerate(zip(rows, cells, strict=True)):
        if kind == "published":
            table.text(0, y, name, **label, color=_KEY_COLOR, gid="risk-label")
            style = {"color": _KEY_COLOR, "fontstyle": "italic", "gid": "risk-published"}
        else:
            table.text(0, y, name, **label, color=arm.color, fontweight="bold", gid="risk-label")
            style = {"color": "black", "gid": "risk-count"}
        for x, text in zip(ticks, row, strict=True):
            if text:
                table.text(x, y, text, **cell, **style)
    table.set_ylim(len(rows) - 0.1, -1.6)
    table.set_axis_off()


def _place_boxes(
    ax: Axes,
    handles: list[Any],
    labels: list[str],
    text: str,
    points: np.ndarray,
    gid: str,
    size: _Size,
) -> None:
    """Put legend and text box (``gid``) where they cover the least of the curves and markers.

    ``points`` are (x, y, weight) in data coordinates. Called once the layout is done:
    the boxes are measured in display coordinates. The box goes into another place
    than the legend or right above (below) a legend at the bottom (top); it covers the
    legend only when the axes have no room for both.
    """
    if not hasattr(ax.figure.canvas, "get_renderer"):  # a Figure made without a canvas
        FigureCanvasAgg(ax.figure)
    renderer = ax.figure.canvas.get_renderer()
    width = ax.bbox.width * 72 / ax.figure.dpi  # points
    fill = max(int(0.75 * width / (0.55 * size.text)), 20)
    text = "\n".join(_wrap_at_commas(line, fill) for line in text.splitlines())
    xy, weights = ax.transData.transform(points[:, :2]), points[:, 2]
    style = {**_LEGEND_STYLE, "fontsize": size.text}
    best: tuple[tuple[float, int], str, AnchoredText | None] | None = None
    for i, loc in enumerate(_PLACES):
        frame = ax.legend(handles, labels, loc=loc, **style).get_window_extent(renderer)
        options: list[AnchoredText | None] = [None]
        if text:
            options = [_hr_box(text, place, gid, size) for place in _PLACES if place != loc]
            options += _stacked_boxes(ax, text, loc, frame, gid, size)
        for j, box in enumerate(options):
            cost = _covered(xy, weights, frame)
            if box is not None:
                extent = _extent(ax, box, renderer)
                cost += _covered(xy, weights, extent) + 1e6 * frame.overlaps(extent)
            if best is None or (cost, i + j) < best[0]:
                best = ((cost, i + j), loc, box)
    assert best is not None
    ax.legend(handles, labels, loc=best[1], **style)
    if best[2] is not None:
        ax.add_artist(best[2])


def _wrap_at_commas(line: str, width: int) -> str:
    """``line`` in lines of at most ``width`` characters, broken after its commas where
    it can, before a parenthesis when a piece is still too long (a CI stays whole),
    otherwise between words; continuation lines indented."""
    pieces = []
    for i, part in enumerate(line.split(", ")):
        head, paren, rest = part.partition(" (")
        if len(part) + 2 > width and paren and head:
            pieces += [(head, i > 0), (f"({rest}", False)]
        else:
            pieces.append((part, i > 0))
    lines = [pieces[0][0]]
    for text, after_comma in pieces[1:]:
        joint = ", " if after_comma else " "
        if len(lines[-1]) + len(joint) + len(text) <= width:
            lines[-1] += joint + text
        else:
            lines[-1] += joint.rstrip()
            lines.append(f"  {text}")
    return "\n".join(textwrap.fill(text, width, subsequent_indent="  ") for text in lines)


def _hr_box(text: str, loc: str, gid: str, size: _Size, **anchor: Any) -> AnchoredText:
    box = AnchoredText(
        text, loc=loc, prop={"size": size.text}, frameon=True, borderpad=0.6, **anchor
    )
    box.patch.set(boxstyle="round,pad=0.3", facecolor="white", edgecolor="0.75", alpha=0.9)
    box.set_gid(gid)
    return box


def _stacked_boxes(
    ax: Axes, text: str, loc: str, frame: Bbox, gid: str, size: _Size
) -> list[AnchoredText]:
    """The box right above a legend at the bottom, or right below one at the top."""
    vertical, _, horizontal = loc.partition(" ")
    if vertical not in ("lower", "upper"):
        return []
    inner = frame.transformed(ax.transAxes.inverted())
    x = {"left": inner.x0, "right": inner.x1, "center": (inner.x0 + inner.x1) / 2}[horizontal]
    y = inner.y1 if vertical == "lower" else inner.y0
    anchor = {"bbox_to_anchor": (x, y), "bbox_transform": ax.transAxes}
    return [_hr_box(text, loc, gid, size, **anchor)]


def _extent(ax: Axes, box: AnchoredText, renderer: Any) -> Bbox:
    """Where ``box`` would be drawn on ``ax`` (display coordinates)."""
    ax.add_artist(box)
    extent = box.get_window_extent(renderer)
    box.remove()
    return extent


def _weighted(x: Any, y: Any, weight: float) -> np.ndarray:
    """Points (x, y) in data coordinates with the weight of covering them: (k, 3)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return np.column_stack([x, y, np.full(x.shape, weight)])


def _covered(xy: np.ndarray, weights: np.ndarray, box: Bbox) -> float:
    """Total weight of the display points inside ``box`` (with a margin of 3 pixels)."""
    x, y = xy[:, 0], xy[:, 1]
    inside = (x >= box.x0 - 3) & (x <= box.x1 + 3) & (y >= box.y0 - 3) & (y <= box.y1 + 3)
    return float(weights[inside].sum())


# --------------------------------------------------------------------------- forest


_FOREST_PUB = ("hr", "hr_lower", "hr_upper")
_FOREST_RANGE = (1e-9, 1e9)  # a ratio beyond this is an input error, and overflows a log axis
_FOREST_REC = ("rec_hr", "rec_lower", "rec_upper")
_EMPTY_POOLED = pd.DataFrame(columns=["label", *_FOREST_PUB])
#: Ticks per decade of the HR axis: narrow, medium and wide ranges.
_LOG_SUBS = ((1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9), (1, 2, 3, 5, 7), (1,))


def plot_forest(
    rows: ComparisonTable | pd.DataFrame,
    *,
    pooled: pd.DataFrame | Iterable[tuple[str, float, float, float]] | None = None,
    title: str | None = None,
    ref_line: float | None = 1.0,
    xlabel: str = "Hazard ratio (log scale)",
    ci_label: str = "95% CI",
    size: str = "screen",
    ax: Axes | None = None,
) -> Axes:
    """Forest plot of published and reconstructed hazard ratios, with pooled estimates.

    One line per study, top to bottom in the order of ``rows``: its label on the left,
    the published HR with its CI (filled square) and, just below, the reconstructed HR
    with its CI (hollow circle), on a log axis with a vertical line at ``ref_line``; on
    the right, the same numbers as text ("HR (CI)", the reconstructed one in grey
    italics) and, when known, the weights of the studies in the pooling (fixed / random
    effects). Pooled estimates follow below a rule as diamonds spanning their CI, then
    the heterogeneity line (Q, I², τ²) of a comparison. A published HR and its CI are
    printed with as many decimals as the most precise of the three numbers (0.69
    (0.48–1.00)), the reconstructed one of the row alike.

    Parameters
    ----------
    rows : ComparisonTable or pandas.DataFrame
        :func:`mmsurv.compare_studies`' result: its studies at 95% CIs (a published CI
        at another level re-centred, see :meth:`~mmsurv.meta.ComparisonTable.table`),
        its pooled estimates (unless ``pooled`` is given), weights and heterogeneity.
        Or a table of studies with columns

        ``label`` (required)
            Text shown on the left (any value; shown with ``str``).
        ``hr``, ``hr_lower``, ``hr_upper`` (required columns)
            Published hazard ratio and its CI bounds.
        ``rec_hr``, ``rec_lower``, ``rec_upper`` (optional columns)
            Reconstructed hazard ratio and its CI bounds.

        Missing values are NaN (or None). For each of the two estimates, in each row:
        the HR is a finite number > 0 or missing; the bounds are both given (finite,
        > 0, ``lower <= hr <= upper``) or both missing, and missing when the HR is
        missing (an HR without CI is drawn as a point). Each row needs at least one of
        the two HRs. Optional ``weight_fixed``, ``weight_random``: relative weights in the
        pooling (fractions). Other columns are ignored. All CIs are taken to be at the level
        that ``ci_label`` names.
    pooled : pandas.DataFrame or iterable of (label, hr, lower, upper), optional
        Pooled estimates (e.g. fixed and random effects): a DataFrame with the columns
        ``label``, ``hr``, ``hr_lower``, ``hr_upper``, or tuples in that order; every
        value required. Defaults to a comparison's :meth:`~mmsurv.meta.ComparisonTable.pooled`.
    title : str, optional
        Title above the plot.
    ref_line : float or None
        Where the vertical line of no effect goes; None for none.
    xlabel : str
        Label of the HR axis.
    ci_label : str
        Names the CIs in the column header ("HR (95% CI)").
    size, ax
        As in :func:`plot_km`; the text columns go right of ``ax`` (at ``"single"``
        without the weights, for want of room).

    Returns
    -------
    matplotlib.axes.Axes
        The estimates (log x axis, a y tick per study and pooled estimate); the text
        columns are texts of these axes right of them (gid ``forest-text``).

    Raises
    ------
    InputError
        ``rows`` neither a comparison nor a DataFrame (with a hint), or
        ``field="rows.<column>"`` or ``"pooled.<column>"``, naming the row and the
        problem: a missing column, a value that is not a positive number, a CI that
        does not contain its HR, a bound without its pair.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({
    ...     "label": ["ASPIRE 2015", "ENDEAVOR 2016"],
    ...     "hr": [0.69, 0.53], "hr_lower": [0.57, 0.44], "hr_upper": [0.83, 0.65],
    ...     "rec_hr": [0.69, None], "rec_lower": [0.57, None], "rec_upper": [0.835, None]})
    >>> ax = plot_forest(rows, pooled=[("Pooled (fixed effect)", 0.61, 0.53, 0.70)])
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['ASPIRE 2015', 'ENDEAVOR 2016', 'Pooled (fixed effect)']
    >>> [t.get_text() for t in ax.texts if t.get_gid() == "forest-text"]
    ['0.69 (0.57–0.83)', '0.53 (0.44–0.65)', '0.69 (0.57–0.83)', '0.61 (0.53–0.70)']
    """
    preset = _preset(size)
    heterogeneity = ""
    if isinstance(rows, ComparisonTable):
        if pooled is None:
            pooled = rows.pooled()
        if rows.meta is not None:
            heterogeneity = rows.meta.heterogeneity_line()
        rows = rows.table(ci_level=0.95)
    elif not isinstance(rows, pd.DataFrame):
        raise InputError(
            f"expected a ComparisonTable (mmsurv.compare_studies) or a pandas DataFrame, got "
            f"{type(rows).__name__}",
            field="rows",
        )
    if callable(pooled):
        raise InputError("is a method: call it (pooled=comparison.pooled())", field="pooled")
    studies = _forest_frame(rows, "rows", _FOREST_REC)
    if studies.empty:
        raise InputError("no rows (needs at least one study)", field="rows")
    if pooled is not None and not isinstance(pooled, pd.DataFrame):
        pooled = _pooled_frame(pooled)
    summary = _forest_frame(pooled if pooled is not None else _EMPTY_POOLED, "pooled", ())
    if ref_line is not None and not _positive(ref_line):
        raise InputError(f"must be a number > 0 or None, got {ref_line!r}", field="ref_line")
    for name, value in (("title", title), ("xlabel", xlabel), ("ci_label", ci_label)):
        if value is not None and not isinstance(value, str):
            raise InputError(f"expected a string, got {type(value).__name__}", field=name)
    narrow = size == "single"  # a single column has no room for the weights
    weights = None if narrow else _forest_weights(rows)
    heterogeneity = heterogeneity.replace("I^2", "I²").replace("tau^2", "τ²")
    if narrow:
        heterogeneity = heterogeneity.replace("; I²", ";\nI²")
    n, m = len(studies), len(summary)
    if ax is None:
        width = 8.5 if size == "screen" else preset.width
        rows_high = n + m + 1 + bool(heterogeneity) + heterogeneity.count("\n")
        height = preset.margin + 0.3 * (preset.tick / 7) * rows_high
        ax = new_figure((width, height + 0.3 * bool(title))).add_subplot()
    elif not isinstance(ax, Axes):
        raise InputError(f"expected matplotlib Axes, got {type(ax).__name__}", field="ax")
    y_rows = -np.arange(n, dtype=float)
    y_pooled = -(n + 0.6 + np.arange(m, dtype=float))
    both = (studies["hr"].notna() & studies["rec_hr"].notna()).to_numpy()
    estimates = [  # (columns, heights, published?)
        (_FOREST_PUB, y_rows + 0.17 * both, True),
        (_FOREST_REC, y_rows - 0.17 * both, False),
    ]
    for columns, y, published in estimates:
        _forest_points(ax, studies[list(columns)].to_numpy(float), y, preset, published=published)
    for y, (hr, lo, hi) in zip(y_pooled, summary[list(_FOREST_PUB)].to_numpy(float), strict=True):
        diamond = [(lo, y), (hr, y + 0.28), (hi, y), (hr, y - 0.28)]
        ax.add_patch(Polygon(diamond, closed=True, color="black", gid="forest-pooled"))
    values = np.concatenate(
        [
            studies[list(_FOREST_PUB + _FOREST_REC)].to_numpy(float).ravel(),
            summary[list(_FOREST_PUB)].to_numpy(float).ravel(),
        ]
    )
    values = values[np.isfinite(values)]
    bottom = (y_pooled[-1] if m else y_rows[-1]) - 0.7
    if ref_line is not None:
        values = np.append(values, float(ref_line))
        ax.plot(
            [ref_line] * 2, [bottom, 0.9], color="0.4", lw=0.9, ls="--", zorder=0, gid="forest-ref"
        )
    if m:
        ax.axhline(-(n - 0.2), color="0.6", lw=0.8)
    _forest_axis(ax, values, xlabel, preset)
    labels = [str(x) for x in studies["label"]] + [str(x) for x in summary["label"]]
    ax.set_yticks(np.concatenate([y_rows, y_pooled]), labels=labels)
    for label in ax.get_yticklabels()[n:]:
        label.set_fontweight("bold")
    if heterogeneity:
        top = bottom - 0.05
        bottom = top - 0.6 * (heterogeneity.count("\n") + 1)
        ax.text(
            0.01,
            top,
            heterogeneity,
            transform=blended_transform_factory(ax.transAxes, ax.transData),
            va="top",
            fontsize=preset.text,
            fontstyle="italic",
            gid="forest-heterogeneity",
        )
    ax.set_ylim(bottom, 0.9)
    decimals = _forest_decimals(studies)
    grey = {"color": "0.35", "fontstyle": "italic"}
    bold = {"color": "black", "fontweight": "bold"}
    texts = [
        (studies[list(_FOREST_PUB)], estimates[0][1], decimals, {"color": "black"}),
        (studies[list(_FOREST_REC)], estimates[1][1], decimals, grey),
        (summary[list(_FOREST_PUB)], y_pooled, _forest_decimals(summary), bold),
    ]
    _forest_text(ax, texts, ci_label, weights, y_rows, preset)
    handles = [
        Line2D([], [], ls="none", marker="s", ms=preset.marker, color="black", label="Published"),
        Line2D([], [], ls="none", label="Reconstructed", **_rec_marker(preset)),
    ]
    if m:
        handles.append(Polygon([(0, 0)], color="black", label="Pooled"))
    below = (3.5 + 3.5 + 1.3 * preset.tick + 4.0 + 1.3 * preset.label + 4.0) / 72
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, 0),
        bbox_transform=offset_copy(ax.transAxes, ax.figure, y=-below, units="inches"),
        ncol=len(handles),
        frameon=False,
        fontsize=preset.text,
    )
    if title:
        ax.set_title(title, loc="left", fontsize=preset.title, fontweight="bold")
    return ax


def _forest_frame(frame: Any, name: str, optional: tuple[str, ...]) -> pd.DataFrame:
    """Check a table of hazard ratios; return it with float columns (NaN when missing).

    Without ``optional`` columns (pooled estimates) every value is required.
    """
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"expected a pandas DataFrame, got {type(frame).__name__}", field=name)
    required = ("label", *_FOREST_PUB)
    missing = [c for c in required if c not in frame.columns]
    if missing:
        listing = ", ".join(missing)
        raise InputError(f"missing column(s) {listing} (needs {', '.join(required)})", field=name)
    out = pd.DataFrame({"label": frame["label"].to_numpy()})
    if out["label"].isna().any():
        row = int(np.flatnonzero(out["label"].isna())[0])
        raise InputError(f"row {row}: missing label", field=f"{name}.label")
    for column in (*_FOREST_PUB, *optional):
        out[column] = _numbers(frame, column, name) if column in frame.columns else np.nan
    _check_estimate(out, name, _FOREST_PUB, complete=not optional)
    present = out["hr"].notna().to_numpy()
    if optional:
        _check_estimate(out, name, optional, complete=False)
        present |= out[optional[0]].notna().to_numpy()
    if not present.all():
        row = int(np.flatnonzero(~present)[0])
        raise InputError(f"row {row}: no hazard ratio (needs hr or {optional[0]})", field=name)
    return out


def _numbers(frame: pd.DataFrame, column: str, name: str) -> np.ndarray:
    """A column as floats: NaN when missing, otherwise a positive finite number."""
    raw = frame[column].reset_index(drop=True)
    values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    flags = raw.map(lambda v: isinstance(v, (bool, np.bool_))).to_numpy(dtype=bool)
    bad = (np.isnan(values) & raw.notna().to_numpy()) | flags
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InputError(f"row {row}: {raw[row]!r} is not a number", field=f"{name}.{column}")
    bad = ~np.isnan(values) & ~((values > 0) & np.isfinite(values))
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"row {row}: {values[row]:g} is not a positive finite number", field=f"{name}.{column}"
        )
    low, high = _FOREST_RANGE
    bad = ~np.isnan(values) & ((values < low) | (values > high))
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"row {row}: {values[row]:g} is outside {low:g} to {high:g}, not a hazard ratio "
            "a log axis can show",
            field=f"{name}.{column}",
        )
    return values


def _check_estimate(
    frame: pd.DataFrame, name: str, columns: tuple[str, ...], *, complete: bool
) -> None:
    hr, lower, upper = columns
    h, lo, hi = (frame[c].to_numpy(dtype=float) for c in columns)
    has_h, has_lo, has_hi = ~np.isnan(h), ~np.isnan(lo), ~np.isnan(hi)
    checks = [
        (has_hi & ~has_lo, lower, f"missing while {upper} is given (both bounds or neither)"),
        (has_lo & ~has_hi, upper, f"missing while {lower} is given (both bounds or neither)"),
        (~has_h & has_lo, hr, "missing while its CI is given"),
        (has_lo & (lo > h), lower, f"the CI lower bound is above {hr}"),
        (has_hi & (hi < h), upper, f"the CI upper bound is below {hr}"),
    ]
    if complete:
        checks.insert(0, (~(has_h & has_lo & has_hi), hr, f"needs {', '.join(columns)}"))
    for bad, column, problem in checks:
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise InputError(f"row {row}: {problem}", field=f"{name}.{column}")


def _pooled_frame(pooled: Any) -> pd.DataFrame:
    if isinstance(pooled, (str, bytes)) or not isinstance(pooled, Iterable):
        raise InputError(
            f"expected a DataFrame or (label, hr, lower, upper) tuples, got {pooled!r}",
            field="pooled",
        )
    items = list(pooled)
    for i, item in enumerate(items):
        if isinstance(item, (str, bytes)) or not isinstance(item, Sequence) or len(item) != 4:
            raise InputError(
                f"expected (label, hr, lower, upper), got {item!r}", field=f"pooled[{i}]"
            )
    return pd.DataFrame(items, columns=["label", *_FOREST_PUB])


def _positive(value: Any) -> bool:
    number = isinstance(value, (int, float, np.integer, np.floating))
    return number and not isinstance(value, bool) and math.isfinite(value) and value > 0


def _rec_marker(size: _Size) -> dict[str, Any]:
    return {"marker": "o", "ms": 1.08 * size.marker, "mfc": "white", "mec": "0.35", "mew": 1.5}


def _forest_points(
    ax: Axes, values: np.ndarray, y: np.ndarray, size: _Size, *, published: bool
) -> None:
    """HRs (filled squares or hollow circles) with their CI lines; ``values`` (k, 3)."""
    hr, lo, hi = values.T
    shown = ~np.isnan(hr)
    if not shown.any():
        return
    color = "black" if published else "0.35"
    with_ci = shown & ~np.isnan(lo)
    ax.hlines(y[with_ci], lo[with_ci], hi[with_ci], color=color, lw=1.4 if published else 1.1)
    style = {"marker": "s", "ms": 1.15 * size.marker, "color": color}
    gid = "forest-published" if published else "forest-reconstructed"
    ax.plot(
        hr[shown],
        y[shown],
        ls="none",
        zorder=3,
        gid=gid,
        **(style if published else _rec_marker(size)),
    )


def _forest_axis(ax: Axes, values: np.ndarray, xlabel: str, size: _Size) -> None:
    """Log x axis over the values with readable ticks (0.5, 1, 2 ...)."""
    low, high = values.min() / 1.15, values.max() * 1.15
    if high / low < 1.5:
        middle = math.sqrt(low * high)
        low, high = middle / 1.25, middle * 1.25
    ax.set_xscale("log")
    ax.set_xlim(low, high)
    decades = 10.0 ** np.arange(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1)
    ratio = high / low
    subs = _LOG_SUBS[0] if ratio < 4 else _LOG_SUBS[1] if ratio < 30 else _LOG_SUBS[2]
    nice = np.outer(decades, list(subs)).ravel()
    nice = nice[(nice >= low) & (nice <= high)]
    if nice.size < 2:
        nice = np.array([low, high])
    ax.set_xticks(nice, labels=[f"{v:.2g}" for v in nice])
    ax.minorticks_off()
    ax.set_xlabel(xlabel, fontsize=size.label)
    ax.tick_params(labelsize=size.tick)
    ax.tick_params(axis="y", length=0, labelsize=size.tick + 0.5)
    ax.spines[["top", "right", "left"]].set_visible(False)


def _forest_weights(rows: pd.DataFrame) -> pd.DataFrame | None:
    """The weight columns of the studies (fractions), or None when there are none."""
    columns = [c for c in ("weight_fixed", "weight_random") if c in rows.columns]
    if not columns:
        return None
    weights = rows[columns].apply(pd.to_numeric, errors="coerce").reset_index(drop=True)
    return weights if weights.notna().any().any() else None


def _forest_decimals(studies: pd.DataFrame) -> np.ndarray:
    """Per row, the decimals of its most precise published number (at most 3; 2 when
    none is published)."""
    values = studies[list(_FOREST_PUB)].to_numpy(dtype=float)
    places = np.vectorize(printed_decimals, otypes=[int])(values)
    out = places.max(axis=1)
    out[np.isnan(values[:, 0])] = 2
    return out


def printed_decimals(value: float) -> int:
    """Decimals of a number as it would be printed: those of its shortest text, at most
    3 (0 for a missing value or a whole number).

    Examples
    --------
    >>> printed_decimals(0.48), printed_decimals(1.0), printed_decimals(0.26701234)
    (2, 0, 3)
    """
    if not math.isfinite(value):
        return 0
    text = repr(float(value))
    if "e" in text:
        return 3
    _, _, fraction = text.partition(".")
    return min(len(fraction.rstrip("0")), 3)


def _forest_text(
    ax: Axes,
    entries: list[tuple[pd.DataFrame, np.ndarray, np.ndarray, dict[str, Any]]],
    ci_label: str,
    weights: pd.DataFrame | None,
    y_rows: np.ndarray,
    size: _Size,
) -> None:
    """The columns right of the axes: "HR (CI)" of every estimate at its height, with
    the row's decimals, then the studies' weights."""
    font = size.text + 0.5

    def column(points: float) -> Any:
        return blended_transform_factory(
            offset_copy(ax.transAxes, ax.figure, x=points, units="points"), ax.transData
        )

    at = column(10)
    width = 0
    for frame, heights, decimals, style in entries:
        values = frame.to_numpy(dtype=float)
        for y, (hr, lo, hi), places in zip(heights, values, decimals, strict=True):
            if np.isnan(hr):
                continue
            ci = "" if np.isnan(lo) else f" ({lo:.{places}f}–{hi:.{places}f})"
            text = f"{hr:.{places}f}{ci}"
            width = max(width, len(text))
            ax.text(1, y, text, transform=at, va="center", ha="left", fontsize=font,
                    gid="forest-text", **style)  # fmt: skip
    header = {"va": "center", "ha": "left", "fontsize": font, "fontweight": "bold"}
    ax.text(1, 0.75, f"HR ({ci_label})", transform=at, **header)
    if weights is None:
        return
    at = column(10 + 0.6 * font * max(width, 12) + 8)
    names = {"weight_fixed": "fixed", "weight_random": "random"}
    ax.text(1, 0.75, f"Weight ({' / '.join(names[c] for c in weights)})", transform=at, **header)
    for y, shares in zip(y_rows, weights.to_numpy(dtype=float), strict=True):
        if np.isfinite(shares).any():
            text = " / ".join("–" if np.isnan(w) else f"{100 * w:.1f}%" for w in shares)
            ax.text(1, y, text, transform=at, va="center", ha="left", fontsize=font,
                    gid="forest-weight")  # fmt: skip


# --------------------------------------------------------------------------- saving


def save_figure(fig: Figure | Axes | Sequence[Axes], path: str | os.PathLike) -> Path:
    """Write a figure to a file, whole or not at all; the suffix picks the format.

    ``.png`` (300 dpi), ``.svg`` or ``.pdf`` (text kept as TrueType fonts). The figure
    goes to a temporary file in the same folder, which then replaces ``path``: an
    existing file is never left half-written, and the temporary file is removed when
    anything fails. SVG and PDF files carry no creation date.

    Parameters
    ----------
    fig : matplotlib.figure.Figure, Axes or sequence of Axes
        The figure, or what a plotting function returns (:func:`plot_km`'s axes,
        :func:`plot_panel`'s array of axes): their figure is written.
    path : str or os.PathLike
        The file to write; its folder must exist.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    InputError
        An unsupported suffix, a folder that does not exist, a path that is a folder,
        or ``fig`` not a Figure or Axes.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"label": ["A"], "hr": [0.7], "hr_lower": [0.5], "hr_upper": [0.9]})
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     out = save_figure(plot_forest(rows), pathlib.Path(folder) / "forest.pdf")
    ...     out.read_bytes()[:5]
    b'%PDF-'
    """
    fig = _figure_of(fig)
    path = Path(path)
    if not path.suffix:
        raise InputError("no file suffix; use .png, .svg or .pdf", file=str(path))
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(
            f"unsupported figure format '{path.suffix}'; use .png, .svg or .pdf", file=str(path)
        )
    if not path.parent.is_dir():
        raise InputError("the output folder does not exist", file=str(path))
    if path.is_dir():
        raise InputError("is a folder, not a file", file=str(path))
    if path.exists() and not path.is_file():  # a device or a pipe: never renamed over
        raise InputError("is not a regular file", file=str(path))
    with rc_context(_SAVE_RC):
        write_atomic(
            path, lambda out: fig.savefig(out, format=fmt, dpi=300, metadata=_METADATA[fmt])
        )
    return path


def _figure_of(value: Any) -> Figure:
    """The figure of a Figure, an Axes or a non-empty sequence of Axes of one figure."""
    if isinstance(value, Figure):
        return value
    if isinstance(value, Axes):
        return value.figure
    items = list(value) if isinstance(value, (Sequence, np.ndarray)) else []
    if items and all(isinstance(x, Axes) for x in items):
        figures = {id(x.figure) for x in items}
        if len(figures) == 1:
            return items[0].figure
        raise InputError("the axes belong to different figures", field="fig")
    raise InputError(
        f"expected a matplotlib Figure or Axes, got {type(value).__name__}", field="fig"
    )
