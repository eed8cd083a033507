"""Kaplan-Meier figures with known truth, in the styles journals print, to test the
digitizer: the curves, censor marks and at-risk table are drawn from patient data, so
what :func:`mmsurv.digitize` reads can be scored against the exact answer.

Styles: ``"base"`` (base R ``plot.survfit``: white, boxed, black solid and dashed lines,
``+`` censor marks, table rows labelled in black), ``"ggplot"`` (grey panel with white
grid lines, no box, coloured lines, ``+`` marks, legend inside the panel, table rows in
the arms' colours) and ``"lifelines"`` (lifelines' look: coloured lines, shaded
confidence bands, ``|`` marks). Each is written as PDF, SVG (text kept as text) or an
image at a given resolution, optionally degraded (JPEG, greyscale).
"""

from __future__ import annotations

import contextlib
import io
import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mmsurv.km import km_curve, n_at_risk

__all__ = ["STYLES", "FigureSpec", "Note", "TrueArm", "render_km_figure"]

STYLES = ("base", "ggplot", "lifelines")
_COLOURS = {
    "base": ("#000000", "#000000", "#000000"),
    "ggplot": ("#F8766D", "#00BFC4", "#7CAE00"),
    "lifelines": ("#1f77b4", "#d62728", "#2ca02c"),
}
_DASHES = {"base": ("-", "--", ":"), "ggplot": ("-", "-", "-"), "lifelines": ("-", "-", "-")}


@dataclass(frozen=True)
class TrueArm:
    """One arm's patients: label, times and event flags (1 = event)."""

    label: str
    time: np.ndarray
    event: np.ndarray


@dataclass(frozen=True)
class Note:
    """Text printed inside the plot (an annotation, a median's label).

    Attributes
    ----------
    text : str
        The words.
    x, y : float
        Where, as fractions of the plot's width and height (0, 0 the bottom left).
    colour : str
        The text's colour; ``"arm0"``, ``"arm1"``: that arm's curve colour.
    box : bool
        Drawn in a white box with a black frame (an annotation box).
    align : str
        ``"left"`` or ``"right"``: the side of the text at ``x``.
    """

    text: str
    x: float
    y: float
    colour: str = "black"
    box: bool = False
    align: str = "left"


@dataclass(frozen=True)
class FigureSpec:
    """How to draw a figure.

    Attributes
    ----------
    style : str
        ``"base"``, ``"ggplot"`` or ``"lifelines"``.
    ticks : tuple of float
        x tick values (the at-risk table is printed at each).
    x_max : float
        Right end of the time axis (the curves are cut there: a truncated axis).
    y_min : float
        Bottom of the survival axis (0, or more for a truncated axis).
    percent : bool
        Survival axis labelled 0-100.
    line_width : float
        Curve line width in points.
    at_risk : bool
        Print the numbers-at-risk table.
    colours : tuple of str, optional
        Curve colours instead of the style's (e.g. base R with ``col=``).
    notes : tuple of Note
        Text inside the plot.
    sheet : str, optional
        A matplotlib style sheet to draw in (``"ggplot"``, ``"seaborn-v0_8-whitegrid"``,
        ``"bmh"``), as a Python user's figure: its panel, grid, frame and fonts.
    legend : str, optional
        The legend outside the plot instead of the style's place inside it:
        ``"below"`` (its entries in a row under the at-risk table, or under the axis
        without one) or ``"left"`` (a column left of the survival axis).
    line_types : tuple of str, optional
        The arms' matplotlib line styles (``"-"``, ``"--"``, ``":"``) instead of the
        style's own (base R: solid, dashed, dotted).
    """

    style: str = "base"
    ticks: tuple[float, ...] = ()
    x_max: float = math.nan
    y_min: float = 0.0
    percent: bool = False
    line_width: float = 1.2
    at_risk: bool = True
    colours: tuple[str, ...] | None = None
    notes: tuple[Note, ...] = ()
    sheet: str | None = None
    legend: str | None = None
    line_types: tuple[str, ...] | None = None


def _step(arm: TrueArm, x_max: float) -> tuple[np.ndarray, np.ndarray]:
    """The drawn step line: KM up to the last observed time (or the axis end)."""
    t, s = km_curve(arm.time, arm.event)
    end = min(float(arm.time.max()), x_max)
    keep = t <= end
    t, s = np.append(t[keep], end), np.append(s[keep], s[keep][-1])
    return t, s


def render_km_figure(
    arms: list[TrueArm],
    spec: FigureSpec,
    path: str | os.PathLike,
    *,
    dpi: int = 150,
    grey: bool = False,
    jpeg_quality: int | None = None,
) -> Path:
    """Draw the Kaplan-Meier curves of ``arms`` in ``spec``'s style and save to ``path``.

    The suffix picks the format: ``.pdf``, ``.svg`` (text as text), ``.png`` or ``.jpg``
    (``dpi``, and ``grey``/``jpeg_quality`` to degrade it). With ``spec.sheet``, the
    figure is drawn and saved in that matplotlib style sheet.

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    import matplotlib.style

    sheet = matplotlib.style.context(spec.sheet) if spec.sheet else contextlib.nullcontext()
    with sheet:
        return _render(arms, spec, path, dpi=dpi, grey=grey, jpeg_quality=jpeg_quality)


def _render(
    arms: list[TrueArm],
    spec: FigureSpec,
    path: str | os.PathLike,
    *,
    dpi: int,
    grey: bool,
    jpeg_quality: int | None,
) -> Path:
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    style = spec.style
    colours, dashes = spec.colours or _COLOURS[style], spec.line_types or _DASHES[style]
    rows = len(arms) if spec.at_risk else 0
    fig = Figure(figsize=(6.0, 4.2 + 0.25 * rows))
    bottom = 0.12 + 0.07 * rows
    ax = fig.add_axes((0.16, bottom, 0.78, 0.92 - bottom))
    scale = 100.0 if spec.percent else 1.0
    if style == "ggplot":
        ax.set_facecolor("#EBEBEB")
        ax.grid(True, color="white", linewidth=1.0)
        ax.set_axisbelow(True)
        for side in ax.spines.values():
            side.set_visible(False)
        ax.tick_params(color="#333333", length=3)
    for i, arm in enumerate(arms):
        t, s = _step(arm, spec.x_max)
        ax.step(
            t,
            s * scale,
            where="post",
            color=colours[i],
            linestyle=dashes[i],
            linewidth=spec.line_width,
            label=arm.label,
        )
        cens = np.unique(arm.time[(arm.event == 0) & (arm.time <= spec.x_max)])
        level = s[np.searchsorted(t, cens, side="right") - 1] * scale
        marker = "|" if style == "lifelines" else "+"
        ax.plot(
            cens,
            level,
            linestyle="none",
            marker=marker,
            markersize=5,
            markeredgewidth=0.8,
            color=colours[i],
        )
        if style == "lifelines":
            band = np.clip(1.96 * np.sqrt(s * (1 - s) / max(len(arm.time), 1)), 0, None)
            ax.fill_between(
                t,
                np.clip(s - band, 0, 1) * scale,
                np.clip(s + band, 0, 1) * scale,
                step="post",
                color=colours[i],
                alpha=0.25,
                linewidth=0,
            )
    for note in spec.notes:
        ax.text(
            note.x,
            note.y,
            note.text,
            transform=ax.transAxes,
            ha=note.align,
            va="center",
            fontsize=8,
            color=colours[int(note.colour[3:])] if note.colour.startswith("arm") else note.colour,
            bbox={"facecolor": "white", "edgecolor": "black", "pad": 3} if note.box else None,
        )
    ax.set_xlim(0, spec.x_max)
    ax.set_xticks(list(spec.ticks))
    ax.set_ylim(spec.y_min * scale, 1.04 * scale)
    yt = [v for v in np.linspace(0, 1, 6) if v >= spec.y_min - 1e-9]
    ax.set_yticks([v * scale for v in yt])
    ax.set_yticklabels([f"{v * scale:g}" if spec.percent else f"{v:.1f}" for v in yt])
    ax.set_xlabel("Time")
    ax.set_ylabel("Survival (%)" if spec.percent else "Survival probability")
    placed: dict = {"loc": "upper right" if style != "base" else "lower left"}
    if spec.legend == "below":
        under = 0.22 + 0.09 * (rows + 1) * 4.2 / (4.2 + 0.25 * rows) if rows else 0.1
        placed = {"loc": "upper center", "bbox_to_anchor": (0.5, -under), "ncol": len(arms)}
    elif spec.legend == "left":
        placed = {"loc": "center right", "bbox_to_anchor": (-0.14, 0.5)}
    elif spec.legend is not None:
        raise ValueError(f"legend must be 'below', 'left' or None, got {spec.legend!r}")
    ax.legend(  # type: ignore[call-overload]
        **placed,
        frameon=style == "lifelines",
        fontsize=8,
        facecolor="#EBEBEB" if style == "ggplot" else "white",
        handlelength=2.5,
    )
    if spec.at_risk:
        ticks = np.asarray(spec.ticks, dtype=float)
        trans = ax.get_xaxis_transform()
        fig.text(0.02, bottom - 0.12, "Number at risk", fontsize=8, fontweight="bold")
        for i, arm in enumerate(arms):
            y = -0.22 - 0.09 * (i + 1) * 4.2 / (4.2 + 0.25 * rows)
            colour = colours[i] if style == "ggplot" else "black"
            ax.text(
                -0.06,
                y,
                arm.label,
                transform=ax.transAxes,
                ha="right",
                va="center",
                fontsize=8,
                color=colour,
            )
            for tick, n in zip(ticks, n_at_risk(arm.time, ticks), strict=True):
                ax.text(
                    tick,
                    y,
                    str(int(n)),
                    transform=trans,
                    ha="center",
                    va="center",
                    fontsize=8,
                    color=colour,
                )
    path = Path(path)
    suffix = path.suffix.lower()
    with rc_context({"svg.fonttype": "none", "pdf.fonttype": 42, "svg.hashsalt": "km"}):
        if suffix in (".pdf", ".svg"):
            fig.savefig(
                path,
                format=suffix[1:],
                metadata={"Date": None} if suffix == ".svg" else {"CreationDate": None},
            )
            return path
        buffer = io.BytesIO()
        # the canvas grown to hold every label (long at-risk row labels ran off its
        # left edge, which no journal prints)
        fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", pad_inches=0.05)
    from PIL import Image

    image = Image.open(io.BytesIO(buffer.getvalue())).convert("L" if grey else "RGB")
    if suffix in (".jpg", ".jpeg"):
        image.save(path, format="JPEG", quality=jpeg_quality or 75)
    else:
        image.save(path, format="PNG")
    return path
