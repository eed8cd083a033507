"""The diagnostic image: what was read, drawn over the figure it was read from."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._shapes import Drawing

__all__ = ["Backdrop", "diagnostic_figure"]


@dataclass(frozen=True)
class Backdrop:
    """What to draw under the extracted points: the vector drawing or the image, and the
    height (figure coordinates) of each arm's at-risk row."""

    drawing: Drawing | None = None
    image: np.ndarray | None = None
    rows: dict[str, float] = field(default_factory=dict)


def _draw_vector(ax, drawing: Drawing) -> None:
    from matplotlib.collections import LineCollection

    lines = [s.points for s in drawing.shapes if len(s.points) >= 2]
    ax.add_collection(LineCollection(lines, colors="0.75", linewidths=0.6, zorder=1))
    for w in drawing.words:
        ax.text(w.x0, w.y1, w.text, fontsize=5, color="0.55", va="baseline", zorder=1)
    ax.set_xlim(0, drawing.width)
    ax.set_ylim(drawing.height, 0)


def diagnostic_figure(result, backdrop: Backdrop):
    """A matplotlib Figure: the source in grey (or the image), each arm's extracted
    vertices in its colour, censor marks as black crosses, the calibrated ticks in red
    and the at-risk counts read, in the arm's colour on its row."""
    from matplotlib.figure import Figure

    cal = result.calibration
    if backdrop.image is not None:
        h, w = backdrop.image.shape[:2]
        width, height = float(w), float(h)
    else:
        assert backdrop.drawing is not None  # a backdrop is an image or a drawing
        width, height = backdrop.drawing.width, backdrop.drawing.height
    fig = Figure(figsize=(8, 8 * height / width + 0.6))
    ax = fig.add_axes((0.02, 0.02, 0.96, 0.9))
    if backdrop.image is not None:
        ax.imshow(backdrop.image, cmap="gray" if backdrop.image.ndim == 2 else None, alpha=0.45)
    elif backdrop.drawing is not None:
        _draw_vector(ax, backdrop.drawing)
    x0, y0, x1, y1 = cal.frame
    ax.plot([x0, x1, x1, x0, x0], [y0, y0, y1, y1, y0], color="red", lw=0.5, ls=":", zorder=2)
    for pos, val in zip(cal.x.positions, cal.x.values, strict=True):
        ax.plot([pos, pos], [y1, y1 + 0.02 * (y1 - y0)], color="red", lw=1, zorder=3)
        ax.text(pos, y1 + 0.035 * (y1 - y0), f"{val:g}", color="red", fontsize=6, ha="center")
    for pos, val in zip(cal.y.positions, cal.y.values, strict=True):
        ax.plot([x0 - 0.02 * (x1 - x0), x0], [pos, pos], color="red", lw=1, zorder=3)
        ax.text(x0 - 0.03 * (x1 - x0), pos, f"{val:g}", color="red", fontsize=6, ha="right")
    for arm in result.arms:
        colour = arm.colour or "black"
        pts = cal.to_figure(arm.curve[["time", "survival"]].to_numpy())
        ax.plot(pts[:, 0], pts[:, 1], color=colour, lw=0.8, marker="o", ms=1.6, zorder=4)
        if arm.censored:
            times = np.asarray(arm.censored)
            level = np.interp(times, arm.curve["time"], arm.curve["survival"])
            marks = cal.to_figure(np.column_stack([times, level]))
            ax.plot(marks[:, 0], marks[:, 1], "x", color="black", ms=4, zorder=5)
        row = backdrop.rows.get(arm.id)
        if arm.at_risk is not None and row is not None:
            xs = cal.x.inverse(arm.at_risk["time"].to_numpy())
            for x, n in zip(xs, arm.at_risk["n"], strict=True):
                ax.text(
                    x,
                    row,
                    str(n),
                    color=colour,
                    fontsize=7,
                    ha="center",
                    va="center",
                    fontweight="bold",
                    zorder=6,
                )
    ax.set_axis_off()
    ax.set_title(
        f"{result.source}: {len(result.arms)} curves; red = calibration, crosses = censor "
        "marks, bold numbers = at-risk counts read",
        fontsize=7,
    )
    return fig
