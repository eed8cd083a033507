"""Kaplan-Meier curves from the paths of a vector figure (PDF page or SVG).

The figure's own geometry is read, not an image of it, so the extracted step function
is the drawn one up to the file's coordinate precision. The steps:

1. Chain the stroked, unfilled subpaths of one style (colour and dash) whose ends
   meet, so a curve split into pieces becomes one polyline.
2. A *staircase* is a chained polyline going right and down, made of horizontal and
   vertical segments, with at least one of each: a Kaplan-Meier curve. Axis lines, grid
   lines, tick marks, legend handles and filled confidence bands are none.
3. The plot frame is the smallest rectangle holding every staircase's first point
   (the axes box, or the panel of ggplot-like figures), else the axis lines (drawn
   apart from the plot, as R's axes without a box are).
4. The axes are calibrated from the tick labels of the text layer snapped to the tick
   marks (or grid lines), or from ``x_axis``/``y_axis`` given for the first and last
   tick marks.
5. Staircases of one colour and dash pattern are one arm; of the arms of one colour,
   one that steps only where another does and runs on one side of it is that arm's
   confidence limit, left out; small marks on an arm's curve (``+``, ``|``, ``x``) are
   its censoring times. An arm with no legend is named by the text in its colour
   inside the plot (a label beside the curve).

A curve drawn as the filled outline of its stroke is read as its centre line (see
:mod:`._outline`), in its fill colour.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from ..errors import InputError
from ._calibration import AxisMap, Calibration, fit_axis, labels_agree
from ._outline import outline_centre
from ._shapes import Drawing, Shape, Word

__all__ = ["VectorArm", "VectorResult", "axis_time_unit", "read_vector"]

#: Largest censor mark, as a fraction of the frame height.
MARK_SIZE = 0.1
#: Shortest curve, as a fraction of the figure width (tick marks meeting at a corner are
#: a tiny staircase).
MIN_CURVE = 0.05
#: Largest tick mark, as a fraction of the frame's extent across the axis.
TICK_SIZE = 0.06
#: Characters a plotting program sets as text for a censor mark (ggplot2's ``|`` shape).
MARK_GLYPHS = frozenset("|+×")
#: Widest line drawn as an outline that is read as a curve, as a fraction of the
#: figure's size (6 pt on a 6-inch figure: thicker is an area, e.g. a band).
OUTLINE_WIDTH = 0.015


@dataclass(frozen=True)
class VectorArm:
    """One curve as drawn: vertices (figure coordinates), style, censor mark centres."""

    points: np.ndarray
    style: tuple
    marks: np.ndarray
    label: str | None = None


@dataclass(frozen=True)
class VectorResult:
    """What :func:`read_vector` found, in figure coordinates."""

    arms: tuple[VectorArm, ...]
    calibration: Calibration
    x_labels: tuple[Word, ...]
    warnings: tuple[str, ...] = field(default_factory=tuple)


def _tolerance(drawing: Drawing) -> float:
    return 1e-6 * max(drawing.width, drawing.height, 1.0)


def _oriented(points: np.ndarray) -> np.ndarray:
    return points[::-1] if points[-1, 0] < points[0, 0] else points


def _chain(pieces: list[np.ndarray], tol: float) -> list[np.ndarray]:
    """Join polylines whose ends meet (a curve written as several subpaths)."""
    pieces = sorted((_oriented(p) for p in pieces if len(p) >= 2), key=lambda p: p[0, 0])
    chains: list[np.ndarray] = []
    used = [False] * len(pieces)
    for i, start in enumerate(pieces):
        if used[i]:
            continue
        used[i] = True
        current = start
        extended = True
        while extended:
            extended = False
            for j in range(i + 1, len(pieces)):
                if not used[j] and np.all(np.abs(pieces[j][0] - current[-1]) <= tol * 1e3):
                    current = np.vstack([current, pieces[j][1:]])
                    used[j] = True
                    extended = True
                    break
        chains.append(current)
    return chains


def _is_staircase(points: np.ndarray, tol: float) -> bool:
    """Going right and down (y down: increasing) in horizontal and vertical segments,
    with a step in it. A slanted segment is allowed when it is tiny (at most 1e-3 of the
    figure's size across): where steps are closer than the drawing's resolution, a
    plotting library (matplotlib's path simplification) merges a short run and its drop
    into one segment."""
    if len(points) < 3:
        return False
    d = np.diff(points, axis=0)
    if np.any(d[:, 0] < -tol) or np.any(d[:, 1] < -tol):
        return False
    horizontal = np.abs(d[:, 1]) <= tol
    vertical = np.abs(d[:, 0]) <= tol
    tiny = np.abs(d[:, 0]) <= 1e3 * tol
    moving = np.abs(d).sum(axis=1) > tol
    return bool(
        np.all(horizontal | vertical | tiny)
        and np.any(horizontal & moving)
        and np.any(vertical & moving)
    )


def _rectangles(shapes: tuple[Shape, ...], tol: float) -> list[tuple[float, float, float, float]]:
    out = []
    for s in shapes:
        pts = s.points
        if s.closed and len(pts) in (4, 5) and (s.fill is not None or s.stroke is not None):
            x0, y0, x1, y1 = s.bbox
            xs_ok = np.all(np.minimum(np.abs(pts[:, 0] - x0), np.abs(pts[:, 0] - x1)) <= tol)
            ys_ok = np.all(np.minimum(np.abs(pts[:, 1] - y0), np.abs(pts[:, 1] - y1)) <= tol)
            if xs_ok and ys_ok and x1 - x0 > tol and y1 - y0 > tol:
                out.append((x0, y0, x1, y1))
    return out


def _first_drop(points: np.ndarray, tol: float) -> np.ndarray:
    """The top of a staircase's first vertical segment: inside the plot area even when a
    tick mark or axis line was chained to the curve's start."""
    d = np.diff(points, axis=0)
    k = int(np.argmax((np.abs(d[:, 0]) <= tol) & (d[:, 1] > tol)))
    return points[k]


def _runs_along(stair: np.ndarray, line: np.ndarray, tol: float) -> bool:
    """Whether a horizontal segment of the staircase covers the horizontal ``line``:
    the staircase is the axis line itself, chained with its tick marks (R's ``axis``
    draws them as separate segments that meet), and need not lie above it."""
    d = np.diff(stair, axis=0)
    flat = np.abs(d[:, 1]) <= tol
    lo, hi = min(line[:, 0]), max(line[:, 0])
    return bool(
        np.any(
            flat
            & (np.abs(stair[:-1, 1] - line[0, 1]) <= 1e3 * tol)
            & (stair[:-1, 0] <= lo + 1e3 * tol)
            & (stair[1:, 0] >= hi - 1e3 * tol)
        )
    )


def _frame(
    drawing: Drawing, stairs: list[np.ndarray], tol: float
) -> tuple[tuple[float, float, float, float], str | None]:
    starts = np.array([_first_drop(s, tol) for s in stairs])
    ends = np.array([s.max(axis=0) for s in stairs])
    slack = 1e-3 * max(drawing.width, drawing.height)
    boxes = [
        r
        for r in _rectangles(drawing.shapes, tol)
        if r[0] - slack <= starts[:, 0].min()
        and r[1] - slack <= starts[:, 1].min()
        and r[2] + slack >= starts[:, 0].max()
        and r[3] + slack >= starts[:, 1].max()
        and (r[2] - r[0]) * (r[3] - r[1]) < 0.999 * drawing.width * drawing.height
    ]
    if boxes:
        return min(boxes, key=lambda r: (r[2] - r[0]) * (r[3] - r[1])), None
    # axis lines: the longest horizontal line below the curves, the longest vertical left
    lines = [s.points for s in drawing.shapes if s.stroke is not None and len(s.points) == 2]
    horizontal = [p for p in lines if abs(p[0, 1] - p[1, 1]) <= tol]
    vertical = [p for p in lines if abs(p[0, 0] - p[1, 0]) <= tol]
    below = [
        p
        for p in horizontal
        if all(
            p[0, 1] >= end[1] - slack
            for stair, end in zip(stairs, ends, strict=True)
            if not _runs_along(stair, p, tol)
        )
    ]
    left = [p for p in vertical if p[0, 0] <= starts[:, 0].min() + slack]
    if below and left:
        h = max(below, key=lambda p: abs(p[1, 0] - p[0, 0]))
        v = max(left, key=lambda p: abs(p[1, 1] - p[0, 1]))
        return (
            float(v[0, 0]),
            float(min(v[:, 1])),
            float(max(h[:, 0])),
            float(h[0, 1]),
        ), None
    x0, y0 = starts.min(axis=0)
    x1, y1 = ends.max(axis=0)
    return (float(x0), float(y0), float(x1), float(y1)), (
        "no axis box or axis lines found: the plot area is the curves' extent"
    )


def _ticks(drawing: Drawing, frame, axis: str, tol: float) -> np.ndarray:
    """Positions of the tick marks on the bottom (``x``) or left (``y``) edge."""
    x0, y0, x1, y1 = frame
    size = TICK_SIZE * ((y1 - y0) if axis == "x" else (x1 - x0))
    found = []
    for s in drawing.shapes:
        p = s.points
        if s.stroke is None or len(p) != 2:
            continue
        if axis == "x":
            on_edge = np.min(np.abs(p[:, 1] - y1)) <= tol * 1e3
            ok = abs(p[0, 0] - p[1, 0]) <= tol and 0 < abs(p[0, 1] - p[1, 1]) <= size
            if ok and on_edge and x0 - tol <= p[0, 0] <= x1 + tol:
                found.append(p[0, 0])
        else:
            on_edge = np.min(np.abs(p[:, 0] - x0)) <= tol * 1e3
            ok = abs(p[0, 1] - p[1, 1]) <= tol and 0 < abs(p[0, 0] - p[1, 0]) <= size
            if ok and on_edge and y0 - tol <= p[0, 1] <= y1 + tol:
                found.append(p[0, 1])
    return np.unique(np.round(np.asarray(found, dtype=float), 6))


def _grid(drawing: Drawing, frame, axis: str, tol: float) -> np.ndarray:
    """Positions of grid lines across the whole frame."""
    x0, y0, x1, y1 = frame
    found = []
    for s in drawing.shapes:
        p = s.points
        if s.stroke is None or len(p) != 2:
            continue
        if axis == "x" and abs(p[0, 0] - p[1, 0]) <= tol and np.ptp(p[:, 1]) >= 0.95 * (y1 - y0):
            found.append(p[0, 0])
        if axis == "y" and abs(p[0, 1] - p[1, 1]) <= tol and np.ptp(p[:, 0]) >= 0.95 * (x1 - x0):
            found.append(p[0, 1])
    return np.unique(np.round(np.asarray(found, dtype=float), 6))


def label_rows(words: tuple[Word, ...]) -> list[list[Word]]:
    """Words grouped into lines (centres within half a word height), top to bottom."""
    rows: list[list[Word]] = []
    for w in sorted(words, key=lambda w: w.cy):
        if rows and abs(w.cy - np.mean([r.cy for r in rows[-1]])) <= 0.5 * w.height:
            rows[-1].append(w)
        else:
            rows.append([w])
    return [sorted(r, key=lambda w: w.cx) for r in rows]


_UNIT = re.compile(r"^\W*(day|week|month|year)s?\W*$", re.IGNORECASE)


def axis_time_unit(words, x_labels, frame) -> str | None:
    """The unit named in the time axis's title: the nearest word under the x tick
    labels, across the plot's width, that is ``days``, ``weeks``, ``months`` or
    ``years`` (``(months)``, ``Month`` ...)."""
    if not x_labels:
        return None
    below = max(w.y1 for w in x_labels)
    x0, _, x1, _ = frame
    found = [
        w for w in words if w.y0 >= below and x0 <= w.cx <= x1 and _UNIT.match(w.text) is not None
    ]
    if not found:
        return None
    match = _UNIT.match(min(found, key=lambda w: w.y0).text)
    return f"{match.group(1).lower()}s" if match else None


def _evenly(values: list[float], positions: list[float]) -> bool:
    v = np.asarray(values)
    if len(v) < 3 or np.any(np.diff(v) <= 0):
        return False
    slope, offset = np.polyfit(positions, v, 1)
    return bool(np.max(np.abs(offset + slope * np.asarray(positions) - v)) <= 0.01 * np.ptp(v))


def _x_labels(words: tuple[Word, ...], frame) -> list[Word]:
    """The row of tick labels under the frame: increasing, evenly spaced numbers."""
    x0, _, x1, y1 = frame
    width = x1 - x0
    for row in label_rows(tuple(w for w in words if w.value is not None and w.cy > y1)):
        row = [w for w in row if x0 - 0.05 * width <= w.cx <= x1 + 0.05 * width]
        if _evenly([w.value for w in row if w.value is not None], [w.cx for w in row]):
            return row
    return []


def _y_labels(words: tuple[Word, ...], frame) -> list[Word]:
    """The column of tick labels left of the frame, increasing upwards, evenly spaced."""
    x0, y0, _, y1 = frame
    height = y1 - y0
    near = [
        w
        for w in words
        if w.value is not None and w.cx < x0 and y0 - 0.05 * height <= w.cy <= y1 + 0.05 * height
    ]
    columns: list[list[Word]] = []
    for w in sorted(near, key=lambda w: -w.x1):
        if columns and abs(w.x1 - columns[-1][0].x1) <= 0.5 * w.height:
            columns[-1].append(w)
        else:
            columns.append([w])
    for col in columns:  # nearest the frame first
        col = sorted(col, key=lambda w: -w.cy)
        if _evenly([w.value for w in col if w.value is not None], [-w.cy for w in col]):
            return col
    return []


def _snap(labels: list[Word], marks: np.ndarray, axis: str) -> list[float] | None:
    """Tick-mark positions of the labels, when every label has its mark."""
    if marks.size == 0:
        return None
    out = []
    for w in labels:
        centre = w.cx if axis == "x" else w.cy
        reach = 0.6 * ((w.x1 - w.x0) if axis == "x" else w.height)
        i = int(np.argmin(np.abs(marks - centre)))
        if abs(marks[i] - centre) > reach:
            return None
        out.append(float(marks[i]))
    return out if len(set(out)) == len(out) else None


def _calibrate_axis(
    drawing: Drawing, frame, axis: str, given: tuple[float, float] | None, tol: float
) -> tuple[AxisMap, list[Word], list[str]]:
    name = f"{axis}_axis"
    warnings: list[str] = []
    marks = _ticks(drawing, frame, axis, tol)
    grid = _grid(drawing, frame, axis, tol)
    if given is not None:
        ticks = marks if marks.size >= 2 else grid
        if ticks.size >= 2:
            pos = [float(ticks.min()), float(ticks.max())]
            if axis == "y":
                pos = pos[::-1]  # y down: the first (lowest) tick is the largest coordinate
            source = f"--{axis}-axis at the end tick marks"
        else:
            x0, y0, x1, y1 = frame
            pos = [x0, x1] if axis == "x" else [y1, y0]
            source = f"--{axis}-axis at the frame ends"
            warnings.append(f"no {axis} tick marks found: --{axis}-axis taken at the frame's ends")
        axis_map = fit_axis(pos, list(given), source, name=name)
        if axis == "y":
            return axis_map, [], warnings
        # the at-risk table's columns: the tick labels of the text layer, where they agree
        labels = _x_labels(drawing.words, frame)
        if labels and labels_agree(axis_map, labels, axis):
            return axis_map, labels, warnings
        warnings.append(
            "the x tick labels of the text layer disagree with --x-axis: "
            "the at-risk table is not read"
            if labels
            else "no x tick labels in the text layer: the at-risk table is not read"
        )
        return axis_map, [], warnings
    labels = _x_labels(drawing.words, frame) if axis == "x" else _y_labels(drawing.words, frame)
    if not labels:
        raise InputError(
            f"no {axis} tick labels in the figure's text layer; give the values of the "
            f"first and last {axis} tick marks with --{axis}-axis START END",
            field=name,
        )
    values = [w.value for w in labels if w.value is not None]
    for source, ticks in (("tick marks", marks), ("grid lines", grid)):
        snapped = _snap(labels, ticks, axis)
        if snapped is not None:
            return fit_axis(snapped, values, f"labels on {source}", name=name), labels, warnings
    centres = [w.cx if axis == "x" else w.cy for w in labels]
    warnings.append(
        f"{axis} tick labels have no tick marks: the axis is placed from the label centres "
        "(less exact; check the diagnostic image)"
    )
    return fit_axis(centres, values, "label centres", name=name), labels, warnings


def _clip(points: np.ndarray, frame) -> np.ndarray:
    """The part of a staircase inside the frame (segments crossing the left, right or
    bottom edge are cut there)."""
    x0, _, x1, y1 = frame
    k = int(np.searchsorted(points[:, 0], x0, side="right"))
    if k > 0 and points[0, 0] < x0:
        points = np.vstack([[x0, points[k - 1, 1]], points[k:]])
    inside = (points[:, 0] <= x1) & (points[:, 1] <= y1)
    if inside.all():
        return points
    k = int(np.argmin(inside)) if not inside[0] else int(np.argmax(~inside))
    kept = points[:k]
    if k > 0 and points[k, 1] == points[k - 1, 1] and points[k, 0] > x1:
        kept = np.vstack([kept, [x1, points[k, 1]]])
    elif k > 0 and points[k, 0] == points[k - 1, 0] and points[k, 1] > y1:
        kept = np.vstack([kept, [points[k, 0], y1]])  # a drop out through the bottom
    return kept


def _drop_repeats(points: np.ndarray) -> np.ndarray:
    keep = np.ones(len(points), dtype=bool)
    keep[1:] = np.any(np.diff(points, axis=0) != 0, axis=1)
    return points[keep]


def _height_at(points: np.ndarray, x: float, tol: float) -> tuple[float, float]:
    """The vertical extent of a staircase at ``x`` (a jump spans its two levels)."""
    xs, ys = points[:, 0], points[:, 1]
    left = np.searchsorted(xs, x - tol, side="left")
    right = np.searchsorted(xs, x + tol, side="right")
    if right == 0 or left >= len(xs):
        return np.inf, np.inf
    if left < right:  # vertices at exactly x
        return float(ys[left:right].min()), float(ys[left:right].max())
    return float(ys[left - 1]), float(ys[left - 1])


def _mark_centres(pieces: list[Shape], tol: float) -> np.ndarray:
    """Centres of small marks; a ``+`` or ``x`` (two strokes about one centre) counts once.

    A mark needs a stroke that is not horizontal: a lone short horizontal line is a
    legend key or a piece of a curve, and could not be seen on a curve anyway.
    """
    centres: list[np.ndarray] = []
    upright: list[bool] = []
    for piece in pieces:
        c = _bbox_centre(piece)
        rises = bool(np.ptp(piece.points[:, 1]) > tol)
        near = [i for i, d in enumerate(centres) if np.all(np.abs(c - d) <= 1e3 * tol)]
        if near:
            upright[near[0]] = upright[near[0]] or rises
        else:
            centres.append(c)
            upright.append(rises)
    out = np.asarray(centres, dtype=float).reshape(-1, 2)
    return out[np.asarray(upright, dtype=bool)] if len(out) else out


def _glyph_marks(words: tuple[Word, ...]) -> np.ndarray:
    """Centres of censor marks set as text: ggplot2 draws its ``|`` shape as a glyph.
    A word of several marks (glyphs close enough to be read as one word) gives one
    centre per glyph, spread evenly over its box."""
    out = []
    for w in words:
        if w.text and set(w.text) <= MARK_GLYPHS:
            k = len(w.text)
            xs = w.x0 + (np.arange(k) + 0.5) * (w.x1 - w.x0) / k
            out += [(x, w.cy) for x in xs]
    return np.asarray(out, dtype=float).reshape(-1, 2)


def _bbox_centre(shape: Shape) -> np.ndarray:
    x0, y0, x1, y1 = shape.bbox
    return np.array([(x0 + x1) / 2, (y0 + y1) / 2])


def _legend_label(drawing: Drawing, style: tuple, tol: float) -> str | None:
    """The text right of a short horizontal line drawn in the arm's style (its legend key)."""
    for s in drawing.shapes:
        p = s.points
        if s.style != style or len(p) < 2 or np.ptp(p[:, 1]) > tol or _is_staircase(p, tol):
            continue
        x_end, y = float(p[:, 0].max()), float(p[0, 1])
        line = [
            w
            for w in drawing.words
            if abs(w.cy - y) <= 0.6 * w.height and 0 <= w.x0 - x_end <= 3 * w.height
        ]
        if line:
            row = min(label_rows(tuple(line)), key=lambda r: abs(r[0].cy - y))
            first = min(row, key=lambda w: w.x0)
            text = [first]
            for w in sorted(
                (w for w in drawing.words if abs(w.cy - first.cy) <= 0.5 * w.height),
                key=lambda w: w.x0,
            ):
                if set(w.text) <= MARK_GLYPHS:  # the next legend key's censor mark
                    break
                if w.x0 > text[-1].x1 and w.x0 - text[-1].x1 <= 1.0 * w.height:
                    text.append(w)
            return " ".join(w.text for w in text)
    return None


def _curve_label(drawing: Drawing, colour, frame) -> str | None:
    """The text written in the arm's colour inside the plot, when it is one line: the
    label set beside the curve (rms's ``survplot`` labels its curves so, with no
    legend). Black text is the figure's own, never a curve's label."""
    if colour is None or colour == (0.0, 0.0, 0.0):
        return None
    x0, y0, x1, y1 = frame
    words = tuple(
        w for w in drawing.words if w.colour == colour and x0 <= w.cx <= x1 and y0 <= w.cy <= y1
    )
    rows = label_rows(words)
    return " ".join(w.text for w in rows[0]) if len(rows) == 1 else None


def _within_axes(calibration: Calibration, points: np.ndarray) -> bool:
    """Whether a step line can be a Kaplan-Meier curve: no point before time 0 or below
    survival 0 by more than 1% of its axis. An axis line with its end ticks, or the
    L-shaped box R draws with ``bty = "l"``, is a staircase too, but it runs at the
    plot region's edge, which R and ggplot2 set 4% beyond the data."""
    data = calibration.to_data(points)
    span = np.ptp(calibration.x.values), np.ptp(calibration.y.values)
    scale = 100.0 if calibration.percent else 1.0
    return bool(data[:, 0].min() >= -0.01 * span[0] and data[:, 1].min() >= -0.01 * span[1] / scale)


def _outlined_curves(drawing: Drawing, tol: float) -> list[tuple[tuple, np.ndarray]]:
    """Curves drawn as filled outlines: (style as if stroked in the fill colour, centre)."""
    widest = OUTLINE_WIDTH * max(drawing.width, drawing.height)
    out = []
    for s in drawing.shapes:
        if not s.filled or s.stroke not in (None, s.fill):
            continue
        centre = outline_centre(s.points, tol, widest)
        if (
            centre is not None
            and _is_staircase(centre, tol)
            and np.ptp(centre[:, 0]) >= MIN_CURVE * drawing.width
        ):
            out.append(((s.fill, ()), centre))
    return out


def _drop_times(points: np.ndarray, tol: float) -> np.ndarray:
    """The x of a staircase's vertical segments going down (its steps)."""
    d = np.diff(points, axis=0)
    return points[1:][(np.abs(d[:, 0]) <= tol) & (d[:, 1] > tol), 0]


def _levels_at(points: np.ndarray, xs: np.ndarray) -> np.ndarray:
    """A staircase's level (y, down) just right of each ``x``: the last vertex at or
    before it."""
    k = np.searchsorted(points[:, 0], xs, side="right") - 1
    return points[np.clip(k, 0, len(points) - 1), 1]


def _is_limit_of(limit: np.ndarray, curve: np.ndarray, tol: float) -> bool:
    """Whether ``limit`` is a confidence limit of ``curve``: a pointwise limit of a
    Kaplan-Meier estimate (Greenwood's variance, on any scale) changes only where the
    estimate does, so every step of the limit is at a step of the curve, and it lies on
    one side of the curve over their common times. It also runs along the curve to at
    least the curve's last step but one (R stops a limit where the estimate reaches 0 and
    its variance is undefined), where an arm of its own, censored earlier, stops short."""
    steps, at = _drop_times(limit, tol), _drop_times(curve, tol)
    if steps.size == 0 or at.size == 0:
        return False
    if at.size > 1 and limit[-1, 0] < at[-2] - 1e3 * tol:
        return False
    if np.min(np.abs(steps[:, None] - at[None, :]), axis=1).max() > 1e3 * tol:
        return False
    lo = max(limit[0, 0], curve[0, 0])
    hi = min(limit[-1, 0], curve[-1, 0])
    xs = np.unique(np.concatenate([limit[:, 0], curve[:, 0]]))
    xs = xs[(xs >= lo) & (xs < hi)]
    gap = _levels_at(limit, xs) - _levels_at(curve, xs)
    return bool(np.all(gap >= -1e3 * tol) or np.all(gap <= 1e3 * tol))


def _without_limits(
    curves: list[tuple[tuple, np.ndarray]], tol: float
) -> tuple[list[tuple[tuple, np.ndarray]], int]:
    """The curves less the confidence limits drawn as lines in an arm's colour (base R's
    ``plot.survfit(conf.int = TRUE)`` dashes them): of the step lines of one colour, the
    curve is the one with the most steps (the solid one on a tie), and another is its
    limit when :func:`_is_limit_of` holds. Arms of one colour told apart by line type
    only (black, ``lty = 1:2``) step at their own times, and are kept."""
    kept: list[tuple[tuple, np.ndarray]] = []
    left_out = 0
    for colour in dict.fromkeys(style[0] for style, _ in curves):
        same = [(style, pts) for style, pts in curves if style[0] == colour]
        while same:
            main = max(
                same, key=lambda sc: (_drop_times(sc[1], tol).size, not sc[0][1], -len(sc[0][1]))
            )
            limits = [sc for sc in same if sc is not main and _is_limit_of(sc[1], main[1], tol)]
            kept.append(main)
            left_out += len(limits)
            same = [sc for sc in same if sc is not main and not any(sc is s for s in limits)]
    order = {id(pts): i for i, (_, pts) in enumerate(curves)}
    return sorted(kept, key=lambda sc: order[id(sc[1])]), left_out


def read_vector(
    drawing: Drawing,
    *,
    x_axis: tuple[float, float] | None = None,
    y_axis: tuple[float, float] | None = None,
    arms: int | None = None,
) -> VectorResult:
    """The Kaplan-Meier curves of a vector drawing, in figure coordinates.

    Raises
    ------
    InputError
        No curve, an axis that cannot be calibrated, or fewer curves than ``arms``.
    """
    tol = _tolerance(drawing)
    warnings: list[str] = []
    by_style: dict[tuple, list[Shape]] = {}
    for s in drawing.shapes:
        if s.stroke is not None and not s.filled and len(s.points) >= 2:
            by_style.setdefault(s.style, []).append(s)
    stairs: dict[tuple, list[np.ndarray]] = {}
    leftovers: list[Shape] = []
    for style, shapes in by_style.items():
        for chain in _chain([s.points for s in shapes], tol):
            if _is_staircase(chain, tol) and np.ptp(chain[:, 0]) >= MIN_CURVE * drawing.width:
                stairs.setdefault(style, []).append(chain)
        leftovers += shapes
    outlined = _outlined_curves(drawing, tol)
    for style, centre in outlined:
        stairs.setdefault(style, []).append(centre)
    if outlined:
        warnings.append(
            f"{len(outlined)} curve{'s are' if len(outlined) != 1 else ' is'} drawn as the "
            "filled outline of a line: read as the centre line, taking the line's ends as "
            "cut square (check each curve's last point on the diagnostic image)"
        )
    if not stairs:
        raise InputError("no Kaplan-Meier curve (a stroked step line) in the figure")
    all_stairs = [c for chains in stairs.values() for c in chains]
    frame, note = _frame(drawing, all_stairs, tol)
    if note:
        warnings.append(note)
    x_map, x_labels, notes = _calibrate_axis(drawing, frame, "x", x_axis, tol)
    warnings += notes
    y_map, _, notes = _calibrate_axis(drawing, frame, "y", y_axis, tol)
    warnings += notes
    percent = max(abs(v) for v in y_map.values) > 1.5
    calibration = Calibration(x_map, y_map, percent, frame)

    curves = []
    outside = 0
    for style, chains in stairs.items():
        kept = [_drop_repeats(_clip(c, frame)) for c in sorted(chains, key=lambda c: c[0, 0])]
        kept = [
            c
            for c in kept
            if _is_staircase(c, tol) and np.ptp(c[:, 0]) >= MIN_CURVE * drawing.width
        ]
        within = [c for c in kept if _within_axes(calibration, c)]
        outside += len(kept) - len(within)
        kept = within
        if not kept:
            continue
        merged = _drop_repeats(np.vstack(kept))
        if _is_staircase(merged, tol):  # one curve, maybe written in pieces
            curves.append((style, merged))
        else:  # several curves drawn alike
            curves += [(style, c) for c in kept]
    if outside:
        warnings.append(
            f"{outside} step line{'s' if outside != 1 else ''} before time 0 or below "
            "survival 0 left out (axis lines, not curves)"
        )
    if not curves:
        raise InputError("no Kaplan-Meier curve (a stroked step line) in the figure")
    curves, limits = _without_limits(curves, tol)
    if limits:
        warnings.append(
            f"{limits} confidence limit{'s' if limits != 1 else ''} (step lines in an arm's "
            "colour stepping only where it does) left out"
        )
    alike = Counter(style for style, _ in curves)
    warnings += [
        f"{k} curves are drawn in the same colour and dash pattern: told apart by where "
        "they run only"
        for k in alike.values()
        if k > 1
    ]
    curves.sort(key=lambda sc: -(sc[1][-1, 0] - sc[1][0, 0]))
    if arms is not None:
        if len(curves) < arms:
            raise InputError(
                f"{len(curves)} curve{'s' if len(curves) != 1 else ''} found, {arms} asked for",
                field="arms",
            )
        if len(curves) > arms:
            warnings.append(
                f"{len(curves)} curves found; kept the {arms} longest (the others may be "
                "confidence limits drawn as lines)"
            )
            curves = curves[:arms]
    colours = [style[0] for style, _ in curves]
    if len(set(colours)) < len(colours):
        warnings.append(
            "two curves share a colour (told apart by dash): check that none is a confidence limit"
        )

    x0, y0, x1, y1 = frame
    size = MARK_SIZE * (y1 - y0)
    small = [
        s
        for s in drawing.shapes
        if s.stroke is not None
        and not s.filled
        and max(np.ptp(s.points[:, 0]), np.ptp(s.points[:, 1])) <= size
        and not _is_staircase(s.points, tol)
    ]
    centres = np.vstack([_mark_centres(small, tol), _glyph_marks(drawing.words)])
    inside = (
        (centres[:, 0] > x0 + tol)
        & (centres[:, 0] < x1 - tol)
        & (centres[:, 1] > y0 + tol)
        & (centres[:, 1] < y1 - tol)
    )
    centres = centres[inside]
    owner = np.full(len(centres), -1)
    best = np.full(len(centres), np.inf)
    for k, (_, pts) in enumerate(curves):
        for i, (cx, cy) in enumerate(centres):
            lo, hi = _height_at(pts, cx, 1e3 * tol)
            gap = max(lo - cy, cy - hi, 0.0)
            if gap <= 0.5 * size and gap < best[i]:
                owner[i], best[i] = k, gap
    result_arms = []
    for k, (style, pts) in enumerate(curves):
        marks = centres[owner == k]
        marks = marks[np.argsort(marks[:, 0])]
        label = _legend_label(drawing, style, tol) or _curve_label(drawing, style[0], frame)
        result_arms.append(VectorArm(pts, style, marks, label))
    return VectorResult(tuple(result_arms), calibration, tuple(x_labels), tuple(warnings))
