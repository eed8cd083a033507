"""Kaplan-Meier curves traced from the pixels of a PNG or JPEG figure.

Semi-automatic: the axis values are given (``x_axis``/``y_axis``: the values of the
first and last tick marks), everything else is found in the image.

1. The plot frame: the longest dark horizontal and vertical lines (axis lines, a box),
   else the panel of a ggplot-like figure (the largest region of one non-white colour).
2. Tick marks: short dark strokes just outside the frame's bottom and left edges (else
   grid lines across the panel); the first and last get the given axis values.
3. Curve colours: the colours of the thin strokes inside the frame, away from the
   background, grid lines, light greys and filled areas (confidence bands, legend
   boxes), largest first; ``arms`` of them, or every one drawn across enough columns.
4. Each colour's pixels are opened with a short horizontal line, which keeps the
   horizontal runs of a step function and drops vertical strokes (drops, ``|`` and
   ``+`` censor marks, text); the curve is followed column by column, never going up,
   at the intensity-weighted centre of its line, so legends and labels off its path are
   skipped.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import InputError
from ._calibration import Calibration, fit_axis
from ._diagnostic import Backdrop
from ._result import Digitized, DigitizedArm, hex_colour

__all__ = ["read_raster"]

#: Ink: at least this far (RGB distance, 0-1 scale) from the background colour.
INK = 0.25
#: A curve's own colour is at least this far from the background.
STRONG = 0.4
#: Without ``arms``, a colour is a curve's when at least this strong relative to the
#: strongest (shaded confidence bands, even where two overlap, are lighter).
RELATIVE = 0.6
#: Pixels this dark (luminance) are axis lines, ticks or text.
DARK = 0.5
#: A colour is a curve's when its pixels spread over this fraction of the frame width.
MIN_SPREAD = 0.15


def _load(path: Path) -> np.ndarray:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            image.load()
            rgb = image.convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise InputError(
            f"not a readable image ({exc.__class__.__name__})", file=str(path)
        ) from None
    data = np.asarray(rgb, dtype=float) / 255.0
    if data.shape[0] < 20 or data.shape[1] < 20:
        raise InputError(
            f"the image is too small ({data.shape[1]} x {data.shape[0]} pixels)", file=str(path)
        )
    return data


def _luminance(rgb: np.ndarray) -> np.ndarray:
    return rgb @ np.array([0.299, 0.587, 0.114])


def _groups(indices: np.ndarray) -> list[np.ndarray]:
    """Runs of consecutive integers."""
    if indices.size == 0:
        return []
    cuts = np.flatnonzero(np.diff(indices) > 1) + 1
    return np.split(indices, cuts)


def _frame(rgb: np.ndarray) -> tuple[float, float, float, float]:
    h, w = rgb.shape[:2]
    dark = _luminance(rgb) < DARK
    rows = _groups(np.flatnonzero(dark.sum(axis=1) >= 0.4 * w))
    cols = _groups(np.flatnonzero(dark.sum(axis=0) >= 0.3 * h))
    if rows and cols:
        bottom, left = float(rows[-1].mean()), float(cols[0].mean())
        top = float(rows[0].mean()) if len(rows) > 1 else None
        right = float(cols[-1].mean()) if len(cols) > 1 else None
        if top is None or top >= bottom - 0.2 * h:
            top = 0.0
        if right is None or right <= left + 0.2 * w:
            right = float(w - 1)
        return left, top, right, bottom
    # a panel of one colour (ggplot's grey): the rows and columns it fills half of
    flat = np.round(rgb.reshape(-1, 3) * 32).astype(int)
    colours, counts = np.unique(flat, axis=0, return_counts=True)
    for k in np.argsort(-counts):
        colour = colours[k] / 32
        if np.all(colour > 0.97) or counts[k] < 0.1 * h * w:
            continue
        panel = np.all(np.abs(rgb - colour) <= 0.04, axis=2)
        r = np.flatnonzero(panel.sum(axis=1) >= 0.3 * w)
        c = np.flatnonzero(panel.sum(axis=0) >= 0.3 * h)
        if r.size and c.size:
            return float(c[0]), float(r[0]), float(c[-1]), float(r[-1])
    raise InputError("no plot frame found (no axis lines and no panel)", field="figure")


def _tick_centres(band: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """Centres of the strokes across a band of rows: columns dark in most of its rows
    (a tick), not in one (the end of a tick of the other axis at the corner)."""
    dark = band < DARK + 0.2
    count = dark.sum(axis=0)
    weight = np.clip(DARK + 0.2 - band, 0, None).sum(axis=0)
    idx = np.flatnonzero(count >= max(1, 0.5 * band.shape[0]))
    idx = idx[(idx >= lo) & (idx <= hi)]
    return np.array(
        [np.average(g, weights=weight[g]) for g in _groups(idx) if g.size <= 0.03 * band.shape[1]]
    )


def _ticks(lum: np.ndarray, frame, axis: str) -> np.ndarray:
    """Tick marks just outside the bottom (``x``) or left (``y``) edge of the frame."""
    x0, y0, x1, y1 = (round(v) for v in frame)
    image = lum if axis == "x" else lum.T
    edge, lo, hi = (y1, x0, x1) if axis == "x" else (x0, y0, y1)
    margin = max(3, int(0.005 * image.shape[1]))  # a tick at the very end of the axis
    lo, hi = max(lo - margin, 0), min(hi + margin, image.shape[1] - 1)
    step = 1 if axis == "x" else -1
    rows: list[int] = []
    i = edge + step
    while 0 <= i < image.shape[0] and abs(i - edge) <= 0.06 * image.shape[0]:
        dark = image[i, lo : hi + 1] < DARK + 0.2
        if dark.mean() > 0.5:  # still the axis line
            i += step
            continue
        if not dark.any():
            if rows:
                break
            i += step
            continue
        rows.append(i)
        i += step
    if not rows:
        return np.zeros(0)
    return _tick_centres(image[sorted(rows)], lo, hi)


def _grid(rgb: np.ndarray, frame, axis: str, background: np.ndarray) -> np.ndarray:
    """Lines across the whole panel lighter than its background (ggplot's white grid)."""
    x0, y0, x1, y1 = (round(v) for v in frame)
    inner = rgb[y0 + 2 : y1 - 1, x0 + 2 : x1 - 1]
    lighter = _luminance(inner) > _luminance(background) + 0.03
    share = lighter.mean(axis=0 if axis == "x" else 1)
    idx = np.flatnonzero(share >= 0.7)
    offset = x0 + 2 if axis == "x" else y0 + 2
    return np.array([g.mean() + offset for g in _groups(idx)])


def _calibrate(rgb, frame, x_axis, y_axis, background) -> tuple[Calibration, list[str]]:
    lum = _luminance(rgb)
    warnings = []
    maps = {}
    for axis, given in (("x", x_axis), ("y", y_axis)):
        name = f"{axis}_axis"
        if given is None:
            raise InputError(
                f"give the values of the first and last {axis} tick marks with --{axis}-axis "
                "START END (tick labels are not read from images)",
                field=name,
            )
        ticks = _ticks(lum, frame, axis)
        source = "tick marks"
        if ticks.size < 2:
            ticks, source = _grid(rgb, frame, axis, background), "grid lines"
        if ticks.size < 2:
            x0, y0, x1, y1 = frame
            ticks, source = np.array([x0, x1] if axis == "x" else [y0, y1]), "frame ends"
            warnings.append(
                f"no {axis} tick marks or grid lines found: --{axis}-axis taken at the frame's ends"
            )
        pos = [float(ticks.min()), float(ticks.max())]
        if axis == "y":
            pos = pos[::-1]
        maps[axis] = fit_axis(pos, list(given), f"--{axis}-axis at the end {source}", name=name)
    percent = max(abs(v) for v in maps["y"].values) > 1.5
    return Calibration(maps["x"], maps["y"], percent, frame), warnings


def _background(inner: np.ndarray) -> np.ndarray:
    flat = np.round(inner.reshape(-1, 3) * 32).astype(int)
    colours, counts = np.unique(flat, axis=0, return_counts=True)
    return colours[np.argmax(counts)] / 32


def _thin(mask: np.ndarray) -> bool:
    """Strokes, not a filled area (a confidence band, a legend box): in the columns it
    is drawn in, it covers a few percent of the frame height at most (median)."""
    per_column = mask.sum(axis=0)
    drawn = per_column[per_column > 0]
    return drawn.size > 0 and float(np.median(drawn)) <= 0.04 * mask.shape[0]


def _without_grid(mask: np.ndarray) -> np.ndarray:
    """``mask`` less the rows and columns it fills across the frame (grid lines)."""
    out = mask.copy()
    out[mask.mean(axis=1) >= 0.9, :] = False
    out[:, mask.mean(axis=0) >= 0.9] = False
    return out


def _blend_of(colour: np.ndarray, curve: np.ndarray, background: np.ndarray) -> bool:
    """``colour`` is ``curve`` or its anti-aliased edge: on the way to the background."""
    if np.linalg.norm(colour - curve) < 0.3:
        return True
    direction = curve - background
    alpha = float(np.dot(colour - background, direction) / max(np.dot(direction, direction), 1e-12))
    residual = np.linalg.norm(colour - background - alpha * direction)
    return bool(0.0 < alpha < 1.0 and residual < 0.1)


def _curve_colours(inner: np.ndarray, background: np.ndarray, arms: int | None) -> list[np.ndarray]:
    """The curves' colours: among the thin strokes drawn across at least half as many
    columns as 0.3 of the widest (not a legend's text), the strongest (farthest from the
    background) first: ``arms`` of them, or those at least :data:`RELATIVE` as strong
    as the strongest."""
    dist = np.linalg.norm(inner - background, axis=2)
    lum = _luminance(inner)
    sat = inner.max(axis=2) - inner.min(axis=2)
    ink = (dist > INK) & ~((sat < 0.12) & (lum > 0.75))  # light greys: grid lines, boxes
    flat = np.round(inner[ink] * 8).astype(int)
    if flat.size == 0:
        return []
    colours, counts = np.unique(flat, axis=0, return_counts=True)
    found: list[np.ndarray] = []
    spreads: list[float] = []
    width = inner.shape[1]
    for k in np.argsort(-counts):
        colour = colours[k] / 8
        if counts[k] < 0.2 * width or any(_blend_of(colour, f, background) for f in found):
            continue
        mask = _without_grid(ink & (np.linalg.norm(inner - colour, axis=2) < 0.2))
        spread = float(mask.any(axis=0).mean())
        if spread >= MIN_SPREAD and _thin(mask):
            # the line's own colour: its pixels farthest from the background (the
            # anti-aliased edges, lighter, are often more numerous)
            pixels = inner[mask]
            far = np.linalg.norm(pixels - background, axis=1)
            line = np.median(pixels[far >= np.quantile(far, 0.9)], axis=0)
            if np.linalg.norm(line - background) >= STRONG:
                found.append(line)
                spreads.append(spread)
    # a curve runs across most of the plot; a legend's text does not
    found = [f for f, w in zip(found, spreads, strict=True) if w >= 0.3 * max(spreads)]
    strength = [float(np.linalg.norm(f - background)) for f in found]
    order = np.argsort(strength)[::-1]
    if arms is not None:
        return [found[i] for i in order[:arms]]
    return [found[i] for i in order if strength[i] >= RELATIVE * strength[order[0]]]


def _trace(weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Columns and levels (weighted centre row) of a curve that never goes up.

    A column counts where the curve's pixels form a run no longer than the line is
    thick (a horizontal part); longer runs are drops or censor marks and are passed
    over. Runs above the curve so far (legend keys, labels) are skipped, and so is a
    run far below it when the curve goes on above that run within the next few columns
    (a legend key or a label under a drop, a gap of a dashed line or a hidden stretch).
    """
    mask = _without_grid(weight > 0.5)
    columns = np.flatnonzero(mask.any(axis=0))
    if columns.size == 0:
        return np.zeros(0), np.zeros(0)
    runs_of = {c: _groups(np.flatnonzero(mask[:, c])) for c in columns}
    thick = float(np.median([g.size for runs in runs_of.values() for g in runs]))
    short = {c: [g for g in runs if g.size <= 1.5 * thick + 1] for c, runs in runs_of.items()}
    ahead = max(5, int(0.05 * mask.shape[1]))

    def runs_above(c: int, level: float, candidate: float) -> bool:
        """The curve goes on between its level and the candidate's in the next columns."""
        later = columns[(columns > c) & (columns <= c + ahead)]
        low, high = level - thick - 1, candidate - 3 * thick
        return any(low <= g.mean() <= high for k in later for g in short[k])

    cols: list[int] = []
    levels: list[float] = []
    current = -np.inf
    for c in columns.tolist():
        runs = [g for g in short[c] if g[-1] >= current - 1.0]
        if not runs:
            continue
        best = min(runs, key=lambda g: abs(g.mean() - current)) if cols else runs[0]
        if cols and best.mean() - current > 3 * thick and runs_above(c, current, best.mean()):
            continue
        lo, hi = max(best[0] - 1, 0), min(best[-1] + 2, mask.shape[0])
        level = float(np.average(np.arange(lo, hi), weights=weight[lo:hi, c] + 1e-12))
        current = max(level, current)
        cols.append(c)
        levels.append(current)
    return np.asarray(cols, dtype=float), np.asarray(levels, dtype=float)


def _steps(cols: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """Vertices of the step function through traced levels (a drop where the level
    moves by more than half a pixel)."""
    if cols.size < 2:
        return np.zeros((0, 2))
    change = np.flatnonzero(np.abs(np.diff(levels)) > 0.5) + 1
    starts = np.concatenate([[0], change])
    ends = np.concatenate([change - 1, [cols.size - 1]])
    points: list[tuple[float, float]] = []
    for s, e in zip(starts, ends, strict=True):
        level = float(np.median(levels[s : e + 1]))
        x_start = cols[s] if not points else (cols[s - 1] + cols[s]) / 2
        if points:
            points.append((x_start, points[-1][1]))
        points.append((x_start, level))
        points.append((cols[e], level))
    return np.asarray(points)


def read_raster(path: Path, *, x_axis, y_axis, arms: int | None):
    """Digitize a PNG or JPEG (see the module docstring)."""
    import pandas as pd

    rgb = _load(path)
    frame = _frame(rgb)
    x0, y0, x1, y1 = (round(v) for v in frame)
    inset = 3
    inner = rgb[y0 + inset : y1 - inset + 1, x0 + inset : x1 - inset + 1]
    if inner.shape[0] < 10 or inner.shape[1] < 10:
        raise InputError("the plot frame found is too small", field="figure")
    background = _background(inner)
    calibration, warnings = _calibrate(rgb, frame, x_axis, y_axis, background)
    colours = _curve_colours(inner, background, arms)
    if not colours:
        raise InputError("no curve found (no colour drawn across the plot)", field="figure")
    if arms is not None and len(colours) < arms:
        raise InputError(
            f"{len(colours)} curve colour{'s' if len(colours) != 1 else ''} found, "
            f"{arms} asked for",
            field="arms",
        )
    found = []
    for i, colour in enumerate(colours):
        dist = np.linalg.norm(inner - colour, axis=2)
        weight = np.clip(1.0 - dist / 0.35, 0, 1)
        cols, levels = _trace(weight)
        points = _steps(cols + x0 + inset, levels + y0 + inset)
        if len(points) < 2:
            continue
        data = np.round(calibration.to_data(points), 7) + 0.0
        data[:, 1] = np.minimum.accumulate(np.clip(data[:, 1], 0, None))
        frame_df = pd.DataFrame({"time": data[:, 0], "survival": data[:, 1]})
        found.append(DigitizedArm(f"arm{i + 1}", None, hex_colour(np.clip(colour, 0, 1)), frame_df))
    warnings.append("image: tick labels, legend text and the at-risk table are not read (no OCR)")
    return Digitized(
        source=str(path),
        kind="raster",
        arms=tuple(found),
        calibration=calibration,
        warnings=tuple(warnings),
        backdrop=Backdrop(image=(rgb * 255).astype(np.uint8)),
    )
