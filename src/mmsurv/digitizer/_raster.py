"""Kaplan-Meier curves traced from the pixels of a PNG or JPEG figure.

Semi-automatic: the axis values are given (``x_axis``/``y_axis``: the values of the
first and last tick marks) or read by OCR from the tick labels (the ``ocr`` extra, see
:mod:`._imagetext` for the checks); everything else is found in the image.

1. The plot frame: the longest dark horizontal and vertical lines (axis lines, a box),
   else the panel of a ggplot-like figure (the largest region of one light grey, with
   the rows and columns around it drawn over by bands), else a box of light grey lines.
2. Tick marks: short dark strokes just outside the frame's bottom and left edges,
   evenly spaced (else grid lines across the panel, with the frame's edges where they
   continue the grid's spacing); the first and last get the given axis values, else
   each gets the number label read centred on it.
3. Text and box frames inside the frame (an annotation box, a legend's labels, a
   median's label) are set aside by the shape of each connected piece (:mod:`._clutter`:
   glyphs in a row, closed rectangles, with OCR the pieces inside a word's box); a
   curve passing behind them is a piece that runs on outside them and is kept whole.
4. Curve colours: the colours of the thin strokes inside the frame, away from the
   background, grid lines, light greys, filled areas (confidence bands, legend boxes)
   and the text of step 3, largest first; ``arms`` of them, or every one drawn across
   enough columns (and, with OCR, as many as the at-risk table has rows that pass its
   checks, when fewer colours are that wide: an arm whose patients are gone early).
   A curve's colour where a translucent band drawn over it changes it is still the
   curve's (:mod:`._fills`); a mix of two curves' colours where they cross is none; a
   band shaded in its line's colour is not the curve's colour, the line's is.
5. Each colour's pixels, less the box frames of step 3 (text is kept: a dashed
   curve's censor marks can stand in a row like glyphs), are split into horizontal
   line (vertical runs no longer than the line is thick) and the rest (drops, ``|``
   and ``+`` censor marks, text); the
   curve is the path through the columns that never goes up and covers the most line
   (dynamic programming over the columns), so legend keys, labels and boxes off that
   path are left out and dash gaps are bridged; its level in each column is the
   intensity-weighted centre of the line there (:mod:`._trace`). When fewer colours
   are found than arms are wanted (``arms``, or the at-risk table's rows), a colour
   that holds a second curve gives two, told apart as solid and dashed
   (:func:`~._trace.trace_pair`).
6. Censor marks: columns where the colour crosses the line from above the level before
   to below the level after (a drop only joins the two; on two curves of one colour,
   on flats only).
7. With OCR: legend entries name the arms (two of one colour by their keys' line
   types), the at-risk rows under the tick labels are
   assigned to them and checked (:mod:`._imagetext`), and the time axis's title gives
   the time unit.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

from ..errors import InputError
from ._atrisk import TableRow, attach_rows
from ._calibration import Calibration, fit_axis, labels_agree
from ._clutter import text_and_frames
from ._diagnostic import Backdrop
from ._fills import Beside, under_fill
from ._imagetext import (
    assign_rows,
    legend_labels,
    legend_line_types,
    ocr_axis,
    table_rows,
    tick_columns,
)
from ._ocr import INSTALL, available, read_box, read_words
from ._result import Digitized, DigitizedArm, arm_id, hex_colour
from ._shapes import Word
from ._trace import (
    Traced,
    TracedPair,
    censor_marks,
    groups,
    steps,
    trace,
    trace_middle,
    trace_pair,
    without_grid,
)
from ._vector import axis_time_unit

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
#: Without a top frame line, the plot reaches this share of the y axis line's length
#: above its top (base R ends the line at the last tick and pads the plot 4% beyond).
AXIS_SLACK = 0.08
#: The y axis line may start this share of the image's height above the x axis line.
AXIS_GAP = 0.05
#: A blend of a curve's colour with the background counts as the curve's (its share
#: of the colour) when within this RGB distance of the line from one to the other, ...
BLEND_TOLERANCE = 0.06
#: ... no pixel of the curve's own colour is within this many rows in its column ...
BLEND_REACH = 3
#: ... and no text or box frame within this many pixels.
BLEND_CLEAR = 2
#: A pixel is beyond a curve's colour, on the line from the background through it, when
#: this close (RGB distance, 0-1 scale) to that line.
CORE_TOLERANCE = 0.2
#: A colour with less than this spread of its RGB values is a grey (it has no hue).
HUE_SATURATION = 0.12
#: A coloured candidate's pixels leave out those of a hue more than this angle (radians:
#: 60 degrees) from its own ...
OTHER_HUE = np.radians(60.0)
#: ... counting as coloured a pixel whose RGB values spread by at least this: JPEG keeps
#: a thin line's colour at a quarter of its strength or less (its chroma is shared with
#: the background around it), so the dark cores of a red and a blue line are near one
#: another in RGB and greyish, but keep their hues.
TINT = 0.05
#: A wash beside a pixel beyond a coloured curve's colour makes that pixel the curve's
#: core (:func:`_flanked`) when it has at least this share of the colour ...
FLANK_SHARE = 0.2
#: ... its hue is within this angle (radians: 30 degrees) of the colour's ...
FLANK_HUE = np.radians(30.0)
#: ... and the spread of its RGB values is at least this (a grey's hue is noise).
FLANK_SATURATION = 0.06
#: A wash of a colour lies within this distance (RGB) of the way from the background to it.
WASH_OFF = 0.1
#: A found colour is a pale wash of a stronger colour along the same curve
#: (:func:`_paler`) at under this share of that colour's strength ...
PALER = 0.5
#: ... and of its hue within this angle (radians: 30 degrees).
PALER_HUE = np.radians(30.0)
#: A grid line runs across this share of the pixels along it that are not coloured.
GRID_SHARE = 0.7
#: Evenly spaced ticks or grid lines are at least this many pixels apart.
MIN_STEP = 8
#: A colour is a curve's when its pixels spread over this fraction of the frame width.
MIN_SPREAD = 0.15
#: With ``arms`` asked for and too few colours spread as wide, the strongest of those
#: spread over at least this fraction are the others (an arm gone very early).
SHORT_SPREAD = 0.05
#: ... and lying mostly apart from the found curves: less than this share of their
#: pixels within two pixels of one.
SHORT_APART = 0.5
#: Without ``arms``, a narrower colour is an arm gone early when it starts where the
#: found curves start, within this share of the plot's width and height
#: (:func:`_starts_with`).
START_REACH = 0.02
#: A colour within this distance of a mix of curve colours and the background is a mix.
MIX_TOLERANCE = 0.05
#: Share of a mixed colour's pixels along the found curves for it to be their crossings.
MIX_ALONG = 0.8
#: ... and share of them where two found curves run within :data:`MIX_REACH` pixels.
MIX_SHARED = 0.2
#: How far JPEG carries a curve's colour into its neighbours' (its 8-pixel blocks,
#: chroma halved).
MIX_REACH = 4
#: A found colour is a curve seen through another arm's band (:func:`_overlap_of`) when
#: a mix with at least this weight of each of the two curves' colours ...
MIX_PART = 0.1
#: ... and at least this of the background (washed out, as a translucent band is).
MIX_WASHED = 0.3
#: A colour with at least this share of its pixels (within 2 pixels) where a found curve
#: runs under another arm's translucent band (:func:`~._fills.under_fill`) is that curve
#: seen through the band, not an arm (survminer's bands: 79-96% on R's figures, at most
#: 18% for a band's own colour).
THROUGH_BAND = 0.5


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


def _dark_lines(lum: np.ndarray) -> np.ndarray:
    """Pixels dark enough for an axis line: darker than :data:`DARK`, or one of two
    neighbours (across a line) over which a thin line is anti-aliased: their darkness
    (1 - luminance) adds up to a dark pixel's and each is more than twice as dark as the
    pixel beyond it (a filled area, such as a confidence band, is as dark beyond; a
    white pixel beside a line is no part of it)."""
    out = lum < DARK
    for image, view in ((lum, out), (lum.T, out.T)):
        ink = np.pad(1.0 - image, ((1, 1), (0, 0)))
        before, first, second, after = ink[:-3], ink[1:-2], ink[2:-1], ink[3:]
        pair = (first + second >= 1.0 - DARK) & (
            np.minimum(first, second) > 2 * np.maximum(before, after)
        )
        view[:-1] |= pair
        view[1:] |= pair
    return out


def _plot_axes(axis_column: np.ndarray, rows: list[np.ndarray]) -> tuple[float, int]:
    """The x axis line of the plot among the long horizontal lines ``rows``, and the top
    of the y axis line that rises from it (``axis_column``: the y axis line's dark
    pixels, by row): the line it rises furthest from. A risk table drawn as a panel
    under the plot (survminer) has axis lines of its own, lower and shorter."""
    gap = int(AXIS_GAP * axis_column.size)
    tops = []
    for r in rows:
        k = int(r.min())
        start = k
        while start - k < gap and k > 0 and not axis_column[k - 1]:
            k -= 1  # axes drawn apart from the plot (R's rms) leave a gap at the corner
        if k > 0 and axis_column[k - 1]:
            while k > 0 and axis_column[k - 1]:
                k -= 1
        else:
            k = start
        tops.append(k)
    reach = [int(r.min()) - k for r, k in zip(rows, tops, strict=True)]
    best = int(np.argmax(reach))
    return float(rows[best].mean()), (tops[best] if reach[best] > 0 else 0)


def _frame(rgb: np.ndarray) -> tuple[float, float, float, float]:
    h, w = rgb.shape[:2]
    dark = _dark_lines(_luminance(rgb))
    rows = groups(np.flatnonzero(dark.sum(axis=1) >= 0.4 * w))
    cols = groups(np.flatnonzero(dark.sum(axis=0) >= 0.3 * h))
    if rows and cols:
        left = float(cols[0].mean())
        bottom, axis_top = _plot_axes(np.any(dark[:, cols[0]], axis=1), rows)
        above = [float(r.mean()) for r in rows if r.mean() < bottom - 0.2 * h]
        # no top line: the plot ends a little above its y axis line (which R stops at
        # the last tick), not at the image's top, where a legend may be (survminer)
        top = above[0] if above else max(0.0, axis_top - AXIS_SLACK * (bottom - axis_top))
        right = float(cols[-1].mean()) if len(cols) > 1 else None
        if right is None or right <= left + 0.2 * w:
            right = float(w - 1)
        return left, top, right, bottom
    # a panel of one grey (ggplot's): the longest runs of rows and of columns it fills a
    # third of, across its grid lines (a risk table drawn as a panel of its own,
    # survminer's, is a shorter run of rows under the plot's); a band's light colour can
    # cover a tenth of the image too, and is no panel
    flat = np.round(rgb.reshape(-1, 3) * 32).astype(int)
    colours, counts = np.unique(flat, axis=0, return_counts=True)
    for k in np.argsort(-counts):
        colour = colours[k] / 32
        if np.all(colour > 0.97) or counts[k] < 0.1 * h * w or np.ptp(colour) >= TINT:
            continue
        panel = np.all(np.abs(rgb - colour) <= 0.04, axis=2)
        r = groups(np.flatnonzero(panel.sum(axis=1) >= 0.3 * w), gap=int(0.02 * h) + 1)
        c = groups(np.flatnonzero(panel.sum(axis=0) >= 0.3 * h), gap=int(0.02 * w) + 1)
        if r and c:
            across, down = max(r, key=len), max(c, key=len)
            # each run grown over the other's span, until neither grows: bands can split
            # the panel's columns too, and a legend box in the part of a row left
            # measured stopped the rows' growth (ggplot's style sheet: the panel's top
            # taken at the legend's bottom)
            while True:
                grown = _spanned(rgb, across, down, axis=1)
                wider = _spanned(rgb, down, grown, axis=0)
                if grown.size == across.size and wider.size == down.size:
                    break
                across, down = grown, wider
            return float(down[0]), float(across[0]), float(down[-1]), float(across[-1])
    light = _light_box(rgb)
    if light is not None:
        return light
    raise InputError("no plot frame found (no axis lines and no panel)", field="figure")


def _outside(rgb: np.ndarray) -> np.ndarray:
    """The colour around the plot: the median of the image's border pixels."""
    return np.median(np.concatenate([rgb[0], rgb[-1], rgb[:, 0], rgb[:, -1]]), axis=0)


def _light_box(rgb: np.ndarray) -> tuple[float, float, float, float] | None:
    """A frame of light grey lines (seaborn's ``whitegrid``: no dark axis line, no
    panel): the outermost grey lines, unlike the colour around the plot, across 0.4 of
    the image's width and 0.3 of its height (its grid lines run across too, inside
    them); None without two of each."""
    h, w = rgb.shape[:2]
    grey = (np.abs(rgb - _outside(rgb)).max(axis=2) > 0.06) & (np.ptp(rgb, axis=2) < TINT)
    rows = groups(np.flatnonzero(grey.sum(axis=1) >= 0.4 * w))
    cols = groups(np.flatnonzero(grey.sum(axis=0) >= 0.3 * h))
    if len(rows) < 2 or len(cols) < 2:
        return None
    return (
        float(cols[0].mean()),
        float(rows[0].mean()),
        float(cols[-1].mean()),
        float(rows[-1].mean()),
    )


def _spanned(rgb: np.ndarray, run: np.ndarray, span: np.ndarray, axis: int) -> np.ndarray:
    """A panel's run of rows (``axis=1``; of columns, ``axis=0``) grown over the lines
    next to it that are mostly drawn on (pixels unlike the image's border colour) across
    the panel's ``span`` of columns (rows). Confidence bands shaded over most of a
    panel's width leave too little of its colour in those rows for them to count as the
    panel's: three arms' bands took the lower half of a ggplot-style panel off the plot
    (every time read negative). A panel of its own under the plot (survminer's risk
    table) stays apart, behind the blank lines between the two."""
    outside = _outside(rgb)
    lo, hi = int(span[0]), int(span[-1]) + 1
    part = rgb[:, lo:hi] if axis == 1 else rgb[lo:hi].transpose(1, 0, 2)
    drawn = (np.abs(part - outside).max(axis=2) > 0.04).mean(axis=1) >= 0.5
    first, last = int(run[0]), int(run[-1])
    # a grid line's white rows inside the panel are fewer than 1% of the image
    for piece in groups(np.flatnonzero(drawn), gap=max(2, int(0.01 * drawn.size))):
        if piece[-1] >= run[0] and piece[0] <= run[-1]:
            first, last = min(first, int(piece[0])), max(last, int(piece[-1]))
    return np.arange(first, last + 1)


def _tick_centres(band: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """Centres of the strokes across a band of rows: columns dark in most of its rows
    (a tick), not in one (the end of a tick of the other axis at the corner)."""
    dark = band < DARK + 0.2
    count = dark.sum(axis=0)
    weight = np.clip(DARK + 0.2 - band, 0, None).sum(axis=0)
    idx = np.flatnonzero(count >= max(1, 0.5 * band.shape[0]))
    idx = idx[(idx >= lo) & (idx <= hi)]
    return np.array(
        [np.average(g, weights=weight[g]) for g in groups(idx) if g.size <= 0.03 * band.shape[1]]
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
    centres = _tick_centres(image[sorted(rows)], lo, hi)
    # tick marks are evenly spaced; the strokes of tick labels below an axis without
    # tick marks are not (a "0" is two strokes)
    if centres.size >= 3 and _grid_step(centres, missing=False) is None:
        return np.zeros(0)
    return centres


def _grid(rgb: np.ndarray, frame, axis: str, background: np.ndarray) -> np.ndarray:
    """Grid lines across the whole panel: thin grey lines lighter than its background
    (ggplot's white grid) or darker (a light grey grid on white), across at least
    :data:`GRID_SHARE` of what is not coloured along them (a translucent band drawn
    over a grid line colours it), evenly spaced (a line hidden under a curve may be
    missing); with the frame's edges where they continue the spacing (a grid line at
    an axis limit lies under the frame's line)."""
    x0, y0, x1, y1 = (round(v) for v in frame)
    inner = rgb[y0 + 2 : y1 - 1, x0 + 2 : x1 - 1]
    grey = np.ptp(inner, axis=2) < TINT
    off = np.abs(_luminance(inner) - _luminance(background))
    line = grey & (off > 0.03) & (off < 0.35)
    plain = grey & (off <= 0.03)
    along = 0 if axis == "x" else 1
    share = line.sum(axis=along) / np.maximum((line | plain).sum(axis=along), 1)
    runs = [g for g in groups(np.flatnonzero(share >= GRID_SHARE)) if g.size <= 3]
    offset = x0 + 2 if axis == "x" else y0 + 2
    lines = np.array([g.mean() + offset for g in runs])
    step = _grid_step(lines)
    if step is None:
        return lines if lines.size < 3 else np.zeros(0)
    ends = (x0, x1) if axis == "x" else (y0, y1)
    edges = [e for e in ends if _on_step(np.abs(lines - e).min(), step)]
    # a grid line is drawn at every tick inside the panel: one a step beyond the last
    # seen, and well inside the frame, is there, hidden (bmh's at survival 1, under the
    # curves that start along it and the legend)
    span = float(lines.max() - lines.min())
    pitch = span / round(span / step)  # the spacing over every line seen
    margin = _step_tolerance(step)
    hidden = [
        *np.arange(lines.min() - pitch, ends[0] + margin, -pitch),
        *np.arange(lines.max() + pitch, ends[1] - margin, pitch),
    ]
    return np.sort(np.concatenate([lines, edges, hidden]))


def _grid_step(lines: np.ndarray, missing: bool = True) -> float | None:
    """The spacing of evenly spaced lines: the smallest gap, when every gap is that
    (``missing``: a whole number of it, some lines unseen) within a pixel and a half or
    6%; None for fewer than two lines, uneven ones, or a step under
    :data:`MIN_STEP` pixels (any gap is near a whole number of so short a step)."""
    if lines.size < 2:
        return None
    gaps = np.diff(lines)
    step = float(gaps.min())
    if step < MIN_STEP:
        return None
    if not missing:
        step = float(np.median(gaps))
        return step if bool(np.all(np.abs(gaps - step) <= _step_tolerance(step))) else None
    return step if all(_on_step(g, step) for g in gaps) else None


def _step_tolerance(step: float) -> float:
    return max(1.5, 0.06 * step)


def _on_step(distance: float, step: float) -> bool:
    """``distance`` is a whole, non-zero number of ``step`` (:func:`_step_tolerance`)."""
    k = round(distance / step)
    return k >= 1 and abs(distance - k * step) <= _step_tolerance(step)


def _calibrate(
    rgb, frame, x_axis, y_axis, background, words: tuple[Word, ...] | None
) -> tuple[Calibration, list[Word], np.ndarray, list[str]]:
    """Both axes: from the given values at the end ticks, else from the tick labels read
    by OCR; the x tick labels read, when they agree, and the x tick marks (the at-risk
    table's columns)."""
    lum = _luminance(rgb)
    warnings: list[str] = []
    maps = {}
    x_labels: list[Word] = []
    x_ticks = np.zeros(0)
    for axis, given in (("x", x_axis), ("y", y_axis)):
        name = f"{axis}_axis"
        ticks = _ticks(lum, frame, axis)
        source = "tick marks"
        if ticks.size < 2:
            ticks, source = _grid(rgb, frame, axis, background), "grid lines"
        if axis == "x":
            x_ticks = ticks
        if given is None:
            if words is None:
                raise InputError(
                    "tick labels of an image are read by OCR, which is not installed: "
                    f"install it ({INSTALL}) or give the values of the first and last tick "
                    "marks with --x-axis START END and --y-axis START END",
                    field=name,
                )
            if ticks.size < 2:
                raise InputError(
                    f"no {axis} tick marks or grid lines found to read the tick labels on; "
                    f"give the values of the first and last {axis} tick marks with "
                    f"--{axis}-axis START END",
                    field=name,
                )
            maps[axis], labels, notes = ocr_axis(words, ticks, source, frame, axis)
            warnings += notes
            if axis == "x":
                x_labels = labels
            continue
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
        if axis == "x" and words is not None and source != "frame ends":
            try:
                _, labels, _ = ocr_axis(words, ticks, source, frame, axis)
            except InputError:
                labels = []
            if labels and labels_agree(maps[axis], labels, axis):
                x_labels = labels
            elif labels:
                warnings.append(
                    "the x tick labels read by OCR disagree with --x-axis: "
                    "the at-risk table is not read"
                )
    percent = max(abs(v) for v in maps["y"].values) > 1.5
    return Calibration(maps["x"], maps["y"], percent, frame), x_labels, x_ticks, warnings


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


def _blend_of(colour: np.ndarray, curve: np.ndarray, background: np.ndarray) -> bool:
    """``colour`` is ``curve`` or its anti-aliased edge: on the way to the background."""
    return bool(np.linalg.norm(colour - curve) < 0.3) or _washed(colour, curve, background)


def _wash_share(
    colour: np.ndarray, curve: np.ndarray, background: np.ndarray
) -> tuple[float, float]:
    """``colour`` projected on the way from the background to ``curve``: the share of
    ``curve``'s strength it has (0 the background, 1 the curve) and its distance off
    that way (RGB)."""
    direction = curve - background
    alpha = float(np.dot(colour - background, direction) / max(np.dot(direction, direction), 1e-12))
    return alpha, float(np.linalg.norm(colour - background - alpha * direction))


def _washed(colour: np.ndarray, curve: np.ndarray, background: np.ndarray) -> bool:
    """``colour`` lies strictly on the way from ``curve`` to the background: ``curve``
    partly covering a pixel (an anti-aliased edge, a line between two pixel rows)."""
    alpha, residual = _wash_share(colour, curve, background)
    return 0.0 < alpha < 1.0 and residual < WASH_OFF


def _paler(colour: np.ndarray, line: np.ndarray, background: np.ndarray) -> bool:
    """``colour`` is ``line`` washed out to less than :data:`PALER` of its strength, of
    its hue (:data:`PALER_HUE`, hues of pixels spread by :data:`TINT`): a translucent
    band of the line's colour (lifelines, survminer), or the wash JPEG spreads a thin
    line's colour into. Such a colour is often more numerous than the line's own (a
    line under a pixel wide, a band many pixels tall), and is found first."""
    a, b = _hue(colour, TINT), _hue(line, TINT)
    same_hue = a is not None and b is not None and float(_hue_gap(a, b)) <= PALER_HUE
    alpha, residual = _wash_share(colour, line, background)
    return same_hue and 0.0 < alpha < PALER and residual < WASH_OFF


def _of_hue(mask: np.ndarray, hues: np.ndarray, colour: np.ndarray) -> np.ndarray:
    """``mask`` less the pixels of a hue more than :data:`OTHER_HUE` from ``colour``'s
    (``hues``: per pixel, of those spread by :data:`TINT`; greys are kept)."""
    own = _hue(colour, TINT)
    return mask if own is None else mask & ~(_hue_gap(hues, own) > OTHER_HUE)


def _reach(mask: np.ndarray, hues: np.ndarray, colour: np.ndarray) -> np.ndarray:
    """The pixels of ``mask`` that a variant of a found curve of ``colour`` adds to where
    that curve runs: for a coloured curve those of its hue (:func:`_of_hue`) and no
    greys. A grey candidate's pixels are gathered by distance alone, and in a JPEG of
    thin lines they hold the greyed cores of every curve: larynx's red arm at 100 dpi,
    and a purple one beside a green one at quality 50, were then judged the other
    curve's variant and lost."""
    if _hue(colour, TINT) is None:
        return mask
    return _of_hue(mask, hues, colour) & ~np.isnan(hues)


def _hues(rgb: np.ndarray, least: float) -> np.ndarray:
    """Per pixel (last axis: RGB), the hue angle in radians; NaN where the spread of the
    RGB values is under ``least`` (a grey)."""
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    hue = np.arctan2(np.sqrt(3) * (g - b), 2 * r - g - b)
    return np.where(rgb.max(axis=-1) - rgb.min(axis=-1) < least, np.nan, hue)


def _hue(colour: np.ndarray, least: float = HUE_SATURATION) -> float | None:
    """Hue angle (radians) of an RGB colour, None for a grey (:func:`_hues`)."""
    hue = float(_hues(np.asarray(colour, dtype=float), least))
    return None if np.isnan(hue) else hue


def _hue_gap(a: np.ndarray | float, b: np.ndarray | float) -> np.ndarray:
    """Angle between two hues (radians, 0 to pi; NaN where either is)."""
    return np.abs((np.asarray(a) - np.asarray(b) + np.pi) % (2 * np.pi) - np.pi)


def _near(mask: np.ndarray, reach: int = 2) -> np.ndarray:
    """``mask`` grown by ``reach`` pixels up, down, left and right (a square)."""
    tall = mask.copy()
    for k in range(1, reach + 1):
        tall[k:] |= mask[:-k]
        tall[:-k] |= mask[k:]
    out = tall.copy()
    for k in range(1, reach + 1):
        out[:, k:] |= tall[:, :-k]
        out[:, :-k] |= tall[:, k:]
    return out


def _variant(colour, mask, line, near, background) -> bool:
    """The candidate (``colour``, its pixels ``mask``) is a found curve's (``line``, the
    pixels ``near`` it) own colour blurred: most of its pixels lie along that curve, and
    it is on the way from that colour to the background (an anti-aliased edge) or, as
    JPEG leaves it, of about the same hue. A grey curve beside a black one is not: its
    pixels lie along a path of their own."""
    along = float(near[mask].mean())
    if _blend_of(colour, line, background) or _blend_of(line, colour, background):
        return along >= 0.6
    a, b = _hue(colour), _hue(line)
    if a is None or b is None or _hue_gap(a, b) > np.radians(30):
        return False
    return along >= 0.8


def _variant_of(
    colour: np.ndarray,
    mean: np.ndarray,
    mask: np.ndarray,
    found: list[tuple[np.ndarray, float, np.ndarray]],
    background: np.ndarray,
) -> list[int]:
    """The found curves (line colour, spread, pixels near it) whose blurred colour the
    candidate is (:func:`_variant`), judged on its point of the coarse grid the
    candidates are counted on (``colour``) and, for a coloured one, on the mean colour
    of the pixels counted there (``mean``) too: a pale colour's grid point can be tens
    of degrees of hue off its pixels' (a JPEG wash of aml's red arm fell on an orange
    point, 31 degrees from the red)."""
    judged = [colour] if _hue(colour) is None else [colour, mean]
    return [
        i
        for i, (f, _, near) in enumerate(found)
        if any(_variant(c, mask, f, near, background) for c in judged)
    ]


def _mix_weights(
    colour: np.ndarray, lines: list[np.ndarray], background: np.ndarray
) -> np.ndarray | None:
    """The weights of ``lines`` and the background (last) whose weighted average is
    ``colour`` (weights >= 0 summing to 1, least squares), None when the nearest such
    average is more than :data:`MIX_TOLERANCE` from it."""
    from scipy.optimize import nnls

    basis = np.column_stack([*lines, background])
    # the sum-to-one constraint as a heavily weighted extra equation
    weights, _ = nnls(np.vstack([basis, np.full(basis.shape[1], 100.0)]), np.append(colour, 100.0))
    return weights if np.linalg.norm(basis @ weights - colour) < MIX_TOLERANCE else None


def _mix(colour: np.ndarray, lines: list[np.ndarray], background: np.ndarray) -> bool:
    """``colour`` is a mix of the found curves' colours and the background
    (:func:`_mix_weights`). Where two curves cross or run in one another's anti-aliased
    edges, and JPEG blurs them, pixels take such mixed colours (a grey between a red and
    a blue curve)."""
    return _mix_weights(colour, lines, background) is not None


def _overlap_of(
    own: np.ndarray, line: np.ndarray, others: list[np.ndarray], background: np.ndarray
) -> bool:
    """``own``, a found colour, is where ``line`` (a stronger colour of its pixels, of
    its hue within :data:`PALER_HUE`) runs through another curve's translucent band, or
    where the two arms' bands overlap: a washed mix (:func:`_mix_weights`) of ``line``,
    another found curve's colour (each at least :data:`MIX_PART`) and the background (at
    least :data:`MIX_WASHED`). Such a colour is found first where the bands cover most
    of a curve (lifelines' kidney transplant figure: the red arm read as its pink-grey
    mix with the blue band, 0.019 off); a curve's own colour, however near a mix of two
    others (a purple arm beside a red and a blue), is not washed out, and a grey or a
    near-black (text beside the bands, its RGB values spread by less than
    :data:`HUE_SATURATION`) has no hue to share: any washed colour is a mix of a grey,
    another hue and the background."""
    a, b = _hue(own, TINT), _hue(line)
    if a is None or b is None or float(_hue_gap(a, b)) > PALER_HUE:
        return False
    for other in others:
        weights = _mix_weights(own, [line, other], background)
        if weights is not None and min(weights[:2]) >= MIX_PART and weights[2] >= MIX_WASHED:
            return True
    return False


def _crossings(line, mask, found, background) -> bool:
    """The candidate (its colour ``line``, its pixels ``mask``) is where ``found``
    curves cross or overlap: a :func:`_mix` of their colours with most of its pixels
    (:data:`MIX_ALONG`) along them, and a share (:data:`MIX_SHARED`) where two of them
    run within :data:`MIX_REACH` pixels of each other, the only places their colours
    mix. A grey curve of its own among coloured ones may be such a mix in colour, but
    its pixels lie along a path of their own, or along one curve only (a dotted grey arm
    over a dashed blue one: 4-5% of its pixels near two curves, against 30-60% for the
    crossings of R's and ggplot's JPEGs)."""
    along = np.logical_or.reduce([near for _, _, near in found])
    if float(along[mask].mean()) < MIX_ALONG:
        return False
    reach = MIX_REACH - 2  # ``near`` already reaches 2 pixels
    count = sum(_near(near, reach)[mask].astype(int) for _, _, near in found)
    shared = float(np.mean(np.asarray(count) >= 2))
    return shared >= MIX_SHARED and _mix(line, [f for f, _, _ in found], background)


def _ink(inner: np.ndarray, background: np.ndarray) -> np.ndarray:
    """Pixels drawn in: :data:`INK` from the background and not a light grey (grid
    lines, boxes)."""
    dist = np.linalg.norm(inner - background, axis=2)
    lum = _luminance(inner)
    sat = inner.max(axis=2) - inner.min(axis=2)
    return (dist > INK) & ~((sat < 0.12) & (lum > 0.75))


def _text(
    inner: np.ndarray, background: np.ndarray, words: tuple[Word, ...], offset: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray]:
    """The pixels of text and box frames in the plot, and of the box frames alone
    (:func:`~._clutter.text_and_frames`), judged on every colour's strong pixels
    (:data:`STRONG` from the background) at once: light fills (a confidence band) would
    join a word to a curve, and a glyph's anti-aliased edge, lighter, is dropped with it
    (the ink within a pixel of a dropped piece and not of a kept one). ``offset``:
    ``inner``'s top-left pixel in the image."""
    ink = without_grid(_ink(inner, background))
    strong = ink & (np.linalg.norm(inner - background, axis=2) > STRONG)
    text, frames = text_and_frames(strong, words=words, offset=offset)
    kept = _near(strong & ~(text | frames), 1)
    return ink & _near(text | frames, 1) & ~kept, ink & _near(frames, 1) & ~kept


def _curve_colours(
    inner: np.ndarray,
    background: np.ndarray,
    arms: int | None,
    text: np.ndarray,
    beside: Beside,
) -> tuple[list[np.ndarray], int]:
    """The curves' colours: among the thin strokes drawn across at least 0.3 as many
    columns as the widest (not a legend's text), the strongest (farthest from the
    background) first: ``arms`` of them (with the strongest narrower ones when too few
    are that wide, and then those of :func:`_shortest`), or those at least
    :data:`RELATIVE` as strong as the strongest and the narrower ones (those of
    :func:`_shortest`, and found ones lying as far apart from the curves) that start
    where they start (:func:`_starts_with`). The pixels of ``text`` (text and box
    frames, see :func:`~._clutter.text_and_frames`) do not count, nor, for a coloured
    candidate, those of another hue (:data:`OTHER_HUE`, :data:`TINT`). A colour that is
    a found curve's blurred (see :func:`_variant_of`) is that curve's, and where it is
    a wash of the curve's colour its pixels tell the curve's further variants (a line
    between two pixel rows is drawn in washes only where it falls so); where the found
    colour is a pale wash of the stronger one (:func:`_paler`: a band shaded in the
    line's colour, found first for its many pixels), the curve's colour is the
    stronger; so it is where the found colour is the curve's mix with another arm's
    band (:func:`_overlap_of`). A colour mostly where a found curve runs under another
    arm's band (:data:`THROUGH_BAND`) is that curve seen through the band.
    Where its colour changes under a translucent band
    (:func:`~._fills.under_fill` of ``beside``) the curve is its too: those columns
    count towards its :data:`MIN_SPREAD` (not against the widest). A mix of found
    curves' colours where they cross is no curve (:func:`_crossings`). Also returns how
    many of the colours are narrower ones."""
    ink = _ink(inner, background)
    inked = inner[ink]
    flat = np.round(inked * 8).astype(int)
    if flat.size == 0:
        return [], 0
    colours, where, counts = np.unique(flat, axis=0, return_inverse=True, return_counts=True)
    where = where.ravel()
    means = np.column_stack([np.bincount(where, weights=inked[:, c]) / counts for c in range(3)])
    found: list[tuple[np.ndarray, float, np.ndarray]] = []  # line colour, spread, near
    narrower: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
    through_band: list[np.ndarray] = []  # near where each found curve runs under a band
    stronger: list[tuple[int, np.ndarray, np.ndarray]] = []  # strong variants of a found one
    width = inner.shape[1]
    hues = _hues(inner, TINT)
    for k in np.argsort(-counts):
        colour = colours[k] / 8
        if counts[k] < 0.2 * width:
            continue
        mask = without_grid(ink & (np.linalg.norm(inner - colour, axis=2) < 0.2)) & ~text
        if not mask.any() or not _thin(mask):
            continue
        # a coloured candidate's own pixels: not those of another hue (judged after
        # thinness: a pale band's edge, its own hue alone, is as thin as a line)
        mask = _of_hue(mask, hues, means[k])
        if not mask.any():
            continue
        # the line's own colour: its pixels farthest from the background (the
        # anti-aliased edges, lighter, are often more numerous)
        pixels = inner[mask]
        far = np.linalg.norm(pixels - background, axis=1)
        line = np.median(pixels[far >= np.quantile(far, 0.9)], axis=0)
        strength = float(np.linalg.norm(line - background))
        same = _variant_of(colour, means[k], mask, found, background)
        for i in same:
            # a line between two rows of pixels is drawn in washes of its colour only:
            # they are the curve's, and tell its further variants (a stronger colour
            # does not: a found wash of text would take the text's)
            own, spread, near = found[i]
            if _washed(line, own, background):
                found[i] = (own, spread, near | _near(_reach(mask, hues, own)))
            elif (
                strength >= STRONG
                and len(same) == 1
                and float(mask.any(axis=0).mean()) >= MIN_SPREAD
                and _paler(own, line, background)
            ):
                # the colour found was a pale wash of this one along the same curve (a
                # band of the line's colour, a thin line's JPEG wash): the line's own
                # colour is the stronger, when drawn across the plot as a curve is (the
                # dark edges of a few glyphs beside the bands are not)
                found[i] = (line, spread, near | _near(_reach(mask, hues, line)))
            elif strength >= STRONG and len(same) == 1:
                stronger.append((i, line, _near(_reach(mask, hues, line))))
        if same or strength < STRONG:
            continue
        # the curve where translucent bands drawn over it change its colour is its too
        # (but only the columns it is seen in are weighed against the widest below, and
        # only its own pixels tell its variants: a washed-out colour found first would
        # take the curve's own for its variant)
        hidden = (under_fill(beside, line, background) > 0) & ~text
        spread = float((mask | hidden).any(axis=0).mean())
        if spread < MIN_SPREAD:
            if spread >= SHORT_SPREAD:
                narrower.append((colour, means[k], line, mask))
            continue
        if any(float(seen[mask].mean()) >= THROUGH_BAND for seen in through_band):
            continue  # a found curve seen through another arm's band
        if found and _crossings(line, mask, found, background):
            continue
        through_band.append(_near(hidden))
        found.append((line, float(mask.any(axis=0).mean()), _near(mask)))
    for i, line, near in stronger:
        own, spread, own_near = found[i]
        others = [f for j, (f, _, _) in enumerate(found) if j != i]
        if _overlap_of(own, line, others, background):
            # the curve's own colour is the stronger one, seen through the other arm's band
            found[i] = (line, spread, own_near | near)
    if not found:
        return [], 0
    # a curve runs across most of the plot; a legend's text does not
    widest = max(w for _, w, _ in found)
    wide = [(f, w >= 0.3 * widest) for f, w, _ in found]
    lines = [f for f, ok in wide if ok]
    strengths = [float(np.linalg.norm(f - background)) for f in lines]
    order = np.argsort(strengths)[::-1]
    if arms is not None:
        # too few across the plot for the arms asked for: an arm whose patients are
        # all gone early is short (aml's non-maintained arm ends at a quarter of the
        # axis), the strongest of the shorter colours
        short = sorted(
            (f for f, ok in wide if not ok), key=lambda f: -float(np.linalg.norm(f - background))
        )
        chosen = ([lines[i] for i in order] + short)[:arms]
        if len(chosen) < arms:
            shortest = _shortest(narrower, found, background)
            chosen += [line for line, _ in shortest][: arms - len(chosen)]
        return chosen, max(0, len(chosen) - len(lines))
    chosen = [lines[i] for i in order if strengths[i] >= RELATIVE * strengths[order[0]]]
    along = np.logical_or.reduce(
        [near for (_, ok), (_, _, near) in zip(wide, found, strict=True) if ok]
    )
    # the narrower found colours lying mostly apart from the curves, as those of
    # :func:`_shortest` do (not a curve seen through another arm's band)
    shorter = [
        (f, near)
        for (f, ok), (_, _, near) in zip(wide, found, strict=True)
        if not ok and float(along[near].mean()) < SHORT_APART
    ]
    early = [
        line
        for line, near in [*shorter, *_shortest(narrower, found, background)]
        if _starts_with(near, along)
    ]
    return chosen + early, len(early)


def _shortest(
    narrower: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]],
    found: list[tuple[np.ndarray, float, np.ndarray]],
    background: np.ndarray,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """The colours drawn across :data:`SHORT_SPREAD` to :data:`MIN_SPREAD` of the plot
    (``narrower``: grid colour, its pixels' mean, line colour, pixels), strongest first,
    that lie mostly apart from the found curves (less than :data:`SHORT_APART` of their
    pixels within two of them: not where curves cross, nor their washes) and are no
    found or stronger one's variant (:func:`_variant_of`): the arms asked for beyond
    those found, an arm gone very early (aml's non-maintained arm, a thin line in a JPEG
    whose flats between two pixel rows are washed out). Each with its pixels, grown by
    :func:`_near`."""
    kept: list[tuple[np.ndarray, float, np.ndarray]] = []
    by_strength = sorted(narrower, key=lambda c: -float(np.linalg.norm(c[2] - background)))
    along = np.logical_or.reduce([near for _, _, near in found])
    for colour, mean, line, mask in by_strength:
        if float(along[mask].mean()) >= SHORT_APART:
            continue
        if _variant_of(colour, mean, mask, [*found, *kept], background):
            continue
        kept.append((line, 0.0, _near(mask)))
    return [(line, near) for line, _, near in kept]


def _starts_with(near: np.ndarray, along: np.ndarray) -> bool:
    """A narrower colour's pixels start where the curves' (``along``, their union)
    start and fall (each as grown by :func:`_near`): its first column no later than
    theirs and its top row at their top row, each within :data:`START_REACH` of the
    plot's width or height (every arm starts at 1 at time 0, drawn over the others or
    under them), and its last column lower than its first. A legend's key or a label of
    the arm's colour does not start there, nor does a mark or a word fall as a curve
    does."""
    h, w = near.shape
    first = int(np.argmax(along.any(axis=0)))
    top = int(np.argmax(along.any(axis=1)))
    cols = np.flatnonzero(near.any(axis=0))
    start_rows = np.flatnonzero(near[:, cols[0]])
    end_rows = np.flatnonzero(near[:, cols[-1]])
    reach_c, reach_r = max(3.0, START_REACH * w), max(3.0, START_REACH * h)
    return bool(
        cols[0] <= first + reach_c
        and abs(int(start_rows[0]) - top) <= reach_r
        and end_rows[-1] > start_rows[-1] + reach_r
    )


def _grown(mask: np.ndarray, by: int) -> np.ndarray:
    """``mask`` grown by ``by`` pixels in every direction."""
    h, w = mask.shape
    padded = np.pad(mask, by)
    out = np.zeros_like(mask)
    for dy in range(2 * by + 1):
        for dx in range(2 * by + 1):
            out |= padded[dy : dy + h, dx : dx + w]
    return out


def _curve_weight(
    inner: np.ndarray,
    colour: np.ndarray,
    background: np.ndarray,
    frames: np.ndarray,
    text: np.ndarray,
    beside: Beside,
    *,
    core: bool = False,
) -> np.ndarray:
    """Per pixel, how much it is the curve's: 1 in the curve's colour, falling to 0 at
    RGB distance 0.35; and where no such pixel is within :data:`BLEND_REACH` rows in its
    column, the share of the curve's colour in a blend of it with the background
    (within :data:`BLEND_TOLERANCE` of the line from one to the other). A line one pixel
    wide drawn between two pixel rows is two rows of such blends, neither close to the
    colour: at 72 dpi most of a thin curve's flats are (aml's non-maintained arm was
    traced along its legend key, its flats lost). Blends within :data:`BLEND_CLEAR`
    pixels of ``text`` or ``frames`` (see :func:`~._clutter.text_and_frames`) are not
    counted: the grey edges of black glyphs and box frames are blends of black and
    white too (a black arm that ends early was traced along a box's text). Pixels of
    ``frames`` are no curve's. Where no pixel of the colour is near either, a pixel
    under a translucent fill counts by its share of the colour there
    (:func:`~._fills.under_fill` of ``beside``, the figure's :class:`~._fills.Beside`).

    The blend share is the projection of the pixel on the background-to-colour line, as
    anti-aliasing mixes the two by the share of the pixel the line covers (Porter T,
    Duff T. Compositing digital images. SIGGRAPH 1984).

    ``core``: pixels beyond the colour on the line from the background through it
    (within :data:`CORE_TOLERANCE`; darker, on white) count fully too. The colour found
    can be a line's anti-aliased edge (a black line 2.5 pixels wide is a grey row either
    side of a black one: the grey is more numerous), its core then of no weight; two
    curves of one colour are told apart only when each line is one band.
    """
    dist = np.linalg.norm(inner - colour, axis=2)
    weight = np.clip(1.0 - dist / 0.35, 0, 1)
    towards = colour - background
    away = inner - background
    along = (away @ towards) / float(towards @ towards)
    share = np.clip(along, 0.0, 1.0)
    off = np.linalg.norm(away - share[..., None] * towards, axis=2)
    clear = ~_grown(text | frames, BLEND_CLEAR)
    blend = np.where((off < BLEND_TOLERANCE) & clear, share, 0.0)
    full = np.pad(weight > 0.5, ((BLEND_REACH + 1, BLEND_REACH), (0, 0))).cumsum(axis=0)
    near = full[2 * BLEND_REACH + 1 :] - full[: -2 * BLEND_REACH - 1] > 0
    fill = np.where(clear, under_fill(beside, colour, background), 0.0)
    out = np.where(near, weight, np.maximum(weight, np.maximum(blend, fill)))
    if core or _hue(colour) is not None:
        beyond = (along >= 1.0) & (
            np.linalg.norm(away - along[..., None] * towards, axis=2) < CORE_TOLERANCE
        )
        counted = beyond if core else beyond & _flanked(inner, colour, blend)
        out = np.where(counted, 1.0, out)
    return np.where(frames, 0.0, out)


def _flanked(inner: np.ndarray, colour: np.ndarray, blend: np.ndarray) -> np.ndarray:
    """Pixels with a wash of ``colour`` (a blend share of at least :data:`FLANK_SHARE`,
    of its hue within :data:`FLANK_HUE`) in the row above or below.

    JPEG keeps a pixel's brightness but shares its colour with its neighbours (chroma
    at half resolution): a coloured line one pixel wide comes out darker and greyer
    than its colour, with washes of the colour beside it (R's 100-dpi JPEG: aml's blue
    arm a grey-blue row between two pale blue ones). Such a core, beyond the colour from
    the background, is the curve's; the grey edge of a black line is not flanked so.
    """
    own = float(_hue(colour) or 0.0)
    near_hue = _hue_gap(_hues(inner, FLANK_SATURATION), own) <= FLANK_HUE
    wash = (blend >= FLANK_SHARE) & near_hue
    out = np.zeros_like(wash)
    out[1:] |= wash[:-1]
    out[:-1] |= wash[1:]
    return out


def _traces(
    inner: np.ndarray,
    colours: list[np.ndarray],
    background: np.ndarray,
    frames: np.ndarray,
    text: np.ndarray,
    beside: Beside,
    wanted: int | None,
) -> tuple[list[tuple[int, Traced, str | None]], int, int]:
    """Each curve colour's trace (of its :func:`_curve_weight`), as (colour index,
    trace, line type) triples: of a colour that holds three curves, the middle one (a
    curve between its confidence limits, :func:`~._trace.trace_middle`) when there are
    as many colours as arms wanted; when fewer colours than the ``wanted`` arms were found,
    colours that hold two curves told apart by line type (:func:`~._trace.trace_pair`)
    give two, ``solid`` and ``dashed`` (``shared`` both when the line types could not be
    told; else the line type is None), those whose second curve is seen in the most
    columns first. Also returns how many colours give two, and how many a curve between
    its limits.
    For a pair the lines' cores count and the pixels of ``text`` do not: a legend's
    labels in the curves' colour outweigh a dashed curve's short flats."""
    pairs: dict[int, TracedPair] = {}
    short = (wanted or 0) - len(colours)
    if short > 0:
        for i, colour in enumerate(colours):
            weight = _curve_weight(inner, colour, background, frames, text, beside, core=True)
            pair = trace_pair(np.where(text, 0.0, weight))
            if pair is not None:
                pairs[i] = pair
        chosen = sorted(pairs, key=lambda i: -pairs[i].second.cols.size)[:short]
        pairs = {i: pairs[i] for i in chosen}
    out: list[tuple[int, Traced, str | None]] = []
    limited = 0
    ink = _ink(inner, background) if short <= 0 else None
    for i, colour in enumerate(colours):
        if i in pairs:
            kinds = ("solid", "dashed") if pairs[i].told else ("shared", "shared")
            out += [(i, pairs[i].first, kinds[0]), (i, pairs[i].second, kinds[1])]
            continue
        weight = _curve_weight(inner, colour, background, frames, text, beside)
        middle = None if ink is None else trace_middle(weight, ink)
        limited += middle is not None
        out.append((i, trace(weight) if middle is None else middle, None))
    return out, len(pairs), limited


def _table_rows(rgb, words, x_labels, x_ticks, calibration) -> list[TableRow]:
    """The at-risk rows read by OCR under the x tick labels (none without labels)."""
    if not x_labels:
        return []
    columns = tick_columns(x_labels, x_ticks, calibration.x)
    return table_rows(words, x_labels, columns, rgb.shape[1], functools.partial(read_box, rgb))


def _table(rows, x_labels, calibration, arms, colours) -> tuple[list, dict, list[str]]:
    """The arms with the at-risk rows assigned, the rows' heights and the warnings."""
    if not x_labels:
        return arms, {}, ["the at-risk table is not read: the x tick labels were not read"]
    if not rows:
        return arms, {}, []
    found, heights, notes = assign_rows(rows, arms, colours)
    cal = calibration
    bottom = float(cal.to_data(np.array([[cal.frame[0], cal.frame[3]]]))[0, 1])
    arms, heights, checked = attach_rows(arms, found, bottom, heights)
    return arms, heights, [*notes, *checked]


def read_raster(path: Path, *, x_axis, y_axis, arms: int | None):
    """Digitize a PNG or JPEG (see the module docstring)."""
    import pandas as pd

    rgb = _load(path)
    words = read_words(rgb) if available() else None
    frame = _frame(rgb)
    x0, y0, x1, y1 = (round(v) for v in frame)
    inset = 3
    inner = rgb[y0 + inset : y1 - inset + 1, x0 + inset : x1 - inset + 1]
    if inner.shape[0] < 10 or inner.shape[1] < 10:
        raise InputError("the plot frame found is too small", field="figure")
    background = _background(inner)
    calibration, x_labels, x_ticks, warnings = _calibrate(
        rgb, frame, x_axis, y_axis, background, words
    )
    text, frames = _text(inner, background, words or (), (y0 + inset, x0 + inset))
    rows = _table_rows(rgb, words, x_labels, x_ticks, calibration) if words is not None else []
    beside = Beside.of(inner, background, STRONG)
    colours, narrow = _curve_colours(inner, background, arms, text, beside)
    wanted, why = (arms, "asked for") if arms is not None else (len(colours), "found")
    tabled = sum(row.problem is None for row in rows)
    if arms is None and tabled > len(colours):
        # the at-risk table has a row per arm: an arm gone early is a narrower colour
        wanted, why = tabled, "the at-risk table has rows for"
        colours, narrow = _curve_colours(inner, background, tabled, text, beside)
    if narrow:
        warnings.append(
            f"{narrow} of the {wanted} arms {why} {'are' if narrow > 1 else 'is'} drawn "
            "across less than 0.3 of the widest curve's width (an arm whose patients are "
            "gone early, or legend text): check on the diagnostic image"
        )
    if not colours:
        raise InputError("no curve found (no colour drawn across the plot)", field="figure")
    traces, split, limited = _traces(inner, colours, background, frames, text, beside, wanted)
    if limited:
        warnings.append(
            f"{limited} curve colour{'s hold' if limited > 1 else ' holds'} three curves: "
            "each read as a curve between its confidence limits, the middle one (the "
            "limits left out): check on the diagnostic image"
        )
    if arms is not None and len(traces) < arms:
        found_what = f"{len(colours)} curve colour{'s' if len(colours) != 1 else ''} found"
        if split:
            found_what = f"{len(traces)} curves found ({found_what}, {split} holding two)"
        raise InputError(f"{found_what}, {arms} asked for", field="arms")
    if arms is None and tabled == 0 and len(traces) == 1:
        warnings.append(
            "one curve found: two arms drawn in one colour, told apart by line type "
            "(solid, dashed or dotted), are read with --arms 2 (arms=2)"
        )
    for i in sorted({i for i, _, kind in traces if kind is not None}):
        told = any(kind == "solid" for j, _, kind in traces if j == i)
        how = (
            "told apart by line type (solid, dashed or dotted)"
            if told
            else "but which is solid and which dashed or dotted was not told (censor marks "
            "can fill a dashed line's gaps), so the legend does not name them"
        )
        warnings.append(
            f"two arms are drawn in colour {hex_colour(np.clip(colours[i], 0, 1))}, {how}: "
            "check on the diagnostic image"
        )
    legend: dict = {}
    if words is not None:
        legend = legend_labels(words, rgb, frame, colours)
        if split:
            legend.update(legend_line_types(words, rgb, frame, colours))
    found: list[DigitizedArm] = []
    traced_colours: list[np.ndarray] = []
    used: set[str] = set()
    for i, traced, kind in traces:
        points = steps(traced.cols + x0 + inset, traced.levels + y0 + inset)
        if len(points) < 2:
            continue
        data = np.round(calibration.to_data(points), 7) + 0.0
        data[:, 1] = np.minimum.accumulate(np.clip(data[:, 1], 0, None))
        frame_df = pd.DataFrame({"time": data[:, 0], "survival": data[:, 1]})
        marks = censor_marks(traced, on_flats=kind is not None)
        marks = np.round(calibration.x(marks + x0 + inset), 7) + 0.0
        label = legend.get(i if kind is None else (i, kind))
        ident = arm_id(label, len(found))
        ident = ident if ident not in used else f"{ident}_{len(found) + 1}"
        used.add(ident)
        found.append(
            DigitizedArm(
                ident,
                label,
                hex_colour(np.clip(colours[i], 0, 1)),
                frame_df,
                tuple(float(t) for t in marks),
            )
        )
        traced_colours.append(colours[i])
    heights: dict[str, float] = {}
    if words is None:
        warnings.append(
            f"no OCR engine ({INSTALL}): tick labels, legend text and the at-risk table "
            "are not read"
        )
    else:
        found, heights, notes = _table(rows, x_labels, calibration, found, traced_colours)
        warnings += notes
    return Digitized(
        source=str(path),
        kind="raster",
        arms=tuple(found),
        calibration=calibration,
        warnings=tuple(warnings),
        time_unit=axis_time_unit(words, x_labels, frame) if words is not None else None,
        backdrop=Backdrop(image=(rgb * 255).astype(np.uint8), rows=heights),
    )
