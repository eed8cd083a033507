"""Pixels inside an image's plot that cannot be a Kaplan-Meier curve's:
text (an annotation such as "HR 0.71 (95% CI 0.55-0.92)", a legend's labels, "Median
PFS" notes) and the frames of boxes.

Judged by the shape of each connected piece (8-connected component) of the mask, not
by painting areas over, so a curve that passes behind a word or a box keeps all its
pixels: the piece it is part of runs on outside them.

* text: a glyph is a piece taller than twice the stroke (a dash or a dot of a curve is
  as tall as its stroke), no taller than :data:`GLYPH` of the plot's height, at most
  1.5 times as wide as it is tall (a dash is longer) and not a staircase (two runs in
  a column, or a top or bottom that rises, which a dash of a curve with its drop never
  has); glyphs
  stand in a row (a word) when three or more are linked, each to the next overlapping
  its rows by half the smaller height with a gap at most as wide as the taller is
  tall, and the row is no taller than :data:`ROW` times its tallest glyph (censor
  marks along a sloping curve link so too, into a slanting chain that would take
  every dot of a dotted curve within its rows for text); the row's text is
  then every piece within its rows (give or take a quarter of its height) and no
  farther from its ends than it is tall (an i's dot, a period, a hyphen, letters that
  JPEG ran together). OCR's words add the pieces that lie entirely inside a word's box
  (of two characters or more: a ``+`` or ``|`` read alone is a censor mark);
* a box frame: a piece more than four strokes (:func:`stroke`) tall and wide that
  covers 90% of each of its bounding box's four edges (of one of the rows or columns
  within a stroke and a pixel of the edge: a blurred line) and at most half of the box
  (an open frame, not a thick dash), which a curve that never goes up cannot do; and,
  where a curve crosses the frame and makes it one piece with the curve, a rectangle of
  lines (:func:`rectangles`): two horizontal lines with the same ends, one above the
  other, joined at both ends by vertical lines, its inside at most half drawn. Its
  pixels are set aside before the pieces are judged, so the text inside stands alone.

Connected components: Rosenfeld A, Pfaltz JL. Sequential operations in digital picture
processing. J ACM 1966;13(4):471-494.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._shapes import Word

__all__ = ["GLYPH", "rectangles", "run_lengths", "stroke", "text_and_frames"]

#: A glyph is at most this fraction of the plot's height tall (an 8-12 pt letter is
#: 2-4% of a journal figure's plot).
GLYPH = 0.08
#: A row of glyphs is at most this many times as tall as its tallest glyph (a word's
#: ascenders and descenders, or a parenthesis, reach about 1.3 times a capital's height).
ROW = 1.5


def run_lengths(mask: np.ndarray) -> np.ndarray:
    """Per pixel of ``mask``, the length of the vertical run (in its column) it is in;
    0 off the mask."""
    flat = mask.T.ravel()  # column after column: a column's runs are consecutive
    starts = flat & ~np.concatenate([[False], flat[:-1]])
    starts[:: mask.shape[0]] = flat[:: mask.shape[0]]  # a run does not go on in the next column
    ids = np.cumsum(starts)
    lengths = np.bincount(ids[flat], minlength=int(ids[-1]) + 1 if ids.size else 1)
    out = np.where(flat, lengths[ids], 0)
    return out.reshape(mask.shape[1], mask.shape[0]).T


def stroke(mask: np.ndarray, lengths: np.ndarray | None = None) -> float:
    """The typical thickness of ``mask``'s strokes: the median length of its vertical
    runs (most runs cross a horizontal line)."""
    if not mask.any():
        return 0.0
    lengths = run_lengths(mask) if lengths is None else lengths
    starts = mask.copy()
    starts[1:] &= ~mask[:-1]
    return float(np.median(lengths[starts]))


def _horizontal_runs(mask: np.ndarray, shortest: int) -> np.ndarray:
    """Rows of ``(row, first column, last column)``: every run of ``mask`` along a row
    at least ``shortest`` pixels long."""
    padded = np.pad(mask, ((0, 0), (1, 1))).astype(np.int8)
    step = np.diff(padded, axis=1)
    rows, starts = np.nonzero(step == 1)
    _, stops = np.nonzero(step == -1)  # row-major: each row's stops follow its starts
    runs = np.column_stack([rows, starts, stops - 1])
    return runs[stops - starts >= shortest]


def rectangles(mask: np.ndarray, thick: float) -> np.ndarray:
    """The pixels of ``mask`` on the frames of rectangles drawn with lines ``thick``
    pixels thick (an annotation box), whatever crosses them.

    A frame is two runs along a row, each a whole run of the mask (it stops at both
    ends) at least six strokes long, the lower more than four strokes below the upper,
    whose first and last columns agree within a stroke and a pixel; the columns at both
    ends covered over 90% of the rows between them (in one of the columns within a
    stroke and a pixel of the end), the lines down stopping at its corners (not every
    one of the three rows beyond a corner drawn in its columns), and the inside at most
    half drawn. Curves that never go up cannot draw one: a curve's flat stops where it
    drops, and its drop goes on beyond the flat. Two such curves can draw the rest (a
    confidence limit and its curve drop at the same times: between two drops their
    flats have the same ends and their drops join them), but not corners where the
    lines stop: the curve's drop comes from above the limit's flat, the limit's drop
    ends on the curve's flat as the curve drops on below it.
    """
    out = np.zeros_like(mask)
    side = int(np.ceil(thick)) + 1
    runs = _horizontal_runs(mask, max(int(6 * thick), 10))
    # a run with the same run right above and below it is inside a filled area or a
    # thick line: its top and bottom runs stand for it (a filled box is not paired
    # with itself row by row)
    w = mask.shape[1]
    key = (runs[:, 0] * w + runs[:, 1]) * w + runs[:, 2]
    step = w * w
    runs = runs[~(np.isin(key - step, key) & np.isin(key + step, key))]
    if len(runs) < 2:
        return out
    row, first, last = runs.T
    pairs = np.argwhere(
        (row[None, :] - row[:, None] > 4 * thick)
        & (np.abs(first[None, :] - first[:, None]) <= side)
        & (np.abs(last[None, :] - last[:, None]) <= side)
    )
    for i, j in pairs.tolist():
        top, bottom = int(row[i]), int(row[j])
        left, right = int(min(first[i], first[j])), int(max(last[i], last[j]))
        ends = (
            mask[top : bottom + 1, left : left + side].mean(axis=0).max(),
            mask[top : bottom + 1, max(right - side + 1, 0) : right + 1].mean(axis=0).max(),
        )
        inside = mask[top + side : bottom - side + 1, left + side : right - side + 1]
        if min(ends) < 0.9 or (inside.size and inside.mean() > 0.5):
            continue
        beyond = (
            mask[max(top - side - 3, 0) : max(top - side, 0)],
            mask[bottom + side + 1 : bottom + side + 4],
        )
        columns = (
            slice(max(left - side, 0), left + side + 1),
            slice(max(right - side, 0), right + side + 1),
        )
        if any(
            rows.shape[0] == 3 and rows[:, c].any(axis=1).all() for rows in beyond for c in columns
        ):
            continue
        band = np.zeros_like(mask)
        band[max(top - side, 0) : top + side + 1, left : right + 1] = True
        band[max(bottom - side, 0) : bottom + side + 1, left : right + 1] = True
        band[top : bottom + 1, max(left - side, 0) : left + side + 1] = True
        band[top : bottom + 1, max(right - side, 0) : right + side + 1] = True
        out |= band & mask
    return out


def _rows_of_glyphs(boxes: np.ndarray, glyph: np.ndarray) -> np.ndarray:
    """Which pieces (``boxes``: top, bottom, left, right, inclusive) are text: the
    glyph-sized ones (``glyph``) that stand in a row of three or more, no taller than
    :data:`ROW` times its tallest (see the module docstring), and every piece within
    that row's rows (give or take a quarter of its height, two pixels at least) and no
    farther from its ends than the row is tall (an i's dot, a period, a hyphen, letters
    run together)."""
    idx = np.flatnonzero(glyph)
    if idx.size < 3:
        return np.zeros(boxes.shape[0], dtype=bool)
    top, bottom, left, right = (boxes[idx, k].astype(float) for k in range(4))
    height = bottom - top + 1
    overlap = np.minimum.outer(bottom, bottom) - np.maximum.outer(top, top) + 1
    gap = np.maximum.outer(left, left) - np.minimum.outer(right, right) - 1
    linked = (overlap >= 0.5 * np.minimum.outer(height, height)) & (
        gap <= np.maximum.outer(height, height)
    )
    from scipy.sparse.csgraph import connected_components

    _, group = connected_components(linked, directed=False)
    out = np.zeros(boxes.shape[0], dtype=bool)
    for g in np.flatnonzero(np.bincount(group) >= 3):
        row = boxes[idx[group == g]]
        top, bottom = row[:, 0].min(), row[:, 1].max()
        if bottom - top + 1 > ROW * (row[:, 1] - row[:, 0] + 1).max():
            continue
        left, right = row[:, 2].min(), row[:, 3].max()
        reach = bottom - top + 1
        blur = max(2, reach // 4)  # JPEG's blur, letters run together
        out |= (
            (boxes[:, 0] >= top - blur)
            & (boxes[:, 1] <= bottom + blur)
            & (boxes[:, 2] >= left - reach)
            & (boxes[:, 3] <= right + reach)
        )
    return out


def _staircase(piece: np.ndarray) -> bool:
    """A piece of a curve that never goes up (a dash of a dashed curve with its drop, an
    L): one run of pixels in each column, and from column to column its top and its
    bottom row never rise (by more than a pixel of blur). An o, an e or a 0 has two runs
    in a column, an n, an r or a 1 a top or a bottom that rises."""
    starts = piece.copy()
    starts[1:] &= ~piece[:-1]
    if starts.sum(axis=0).max() > 1:
        return False
    rows = np.arange(piece.shape[0])[:, None]
    drawn = piece.any(axis=0)
    top = np.where(piece, rows, piece.shape[0]).min(axis=0)[drawn]
    bottom = np.where(piece, rows, -1).max(axis=0)[drawn]
    return bool(np.all(np.diff(top) >= -1) and np.all(np.diff(bottom) >= -1))


def _inside_words(boxes: np.ndarray, words: Sequence[Word], offset: tuple[int, int]) -> np.ndarray:
    """Which pieces lie entirely inside the box (grown by a pixel) of a word of two
    characters or more; ``offset`` is the mask's top-left corner in the image."""
    out = np.zeros(boxes.shape[0], dtype=bool)
    dy, dx = offset
    for word in words:
        if len(word.text.strip()) < 2:
            continue
        out |= (
            (boxes[:, 0] + dy >= word.y0 - 1)
            & (boxes[:, 1] + dy <= word.y1 + 1)
            & (boxes[:, 2] + dx >= word.x0 - 1)
            & (boxes[:, 3] + dx <= word.x1 + 1)
        )
    return out


def text_and_frames(
    mask: np.ndarray,
    *,
    words: Sequence[Word] = (),
    offset: tuple[int, int] = (0, 0),
) -> tuple[np.ndarray, np.ndarray]:
    """The pixels of ``mask`` (what is drawn inside the plot) in text, and those in box
    frames, apart: a frame's shape cannot be a curve's, while rows of glyphs can be a
    dashed curve's censor marks.

    Parameters
    ----------
    mask : numpy.ndarray of bool
        The drawn pixels, the plot's height by its width.
    words : sequence of Word
        Words read by OCR, their boxes in image pixels.
    offset : tuple of int
        The image row and column of ``mask``'s top-left pixel.

    Returns
    -------
    text, frames : numpy.ndarray of bool
        Same shape as ``mask``; no pixel in both.
    """
    from scipy import ndimage

    thick = stroke(mask)
    boxed = rectangles(mask, thick)
    labels, count = ndimage.label(mask & ~boxed, structure=np.ones((3, 3), dtype=bool))
    if count == 0:
        return np.zeros_like(mask), boxed
    slices = ndimage.find_objects(labels)
    boxes = np.array([[s[0].start, s[0].stop - 1, s[1].start, s[1].stop - 1] for s in slices])
    height = boxes[:, 1] - boxes[:, 0] + 1
    width = boxes[:, 3] - boxes[:, 2] + 1
    glyph = (height > 2 * thick) & (height <= GLYPH * mask.shape[0]) & (width <= 1.5 * height)
    for k in np.flatnonzero(glyph):
        glyph[k] = not _staircase(labels[slices[k]] == k + 1)
    text = _rows_of_glyphs(boxes, glyph) | _inside_words(boxes, words, offset)
    frame = np.zeros(count, dtype=bool)
    side = int(np.ceil(thick)) + 1  # an edge's rows: its stroke, blurred by a pixel
    for k in np.flatnonzero((height > 4 * thick) & (width > 4 * thick) & ~text):
        piece = labels[slices[k]] == k + 1
        edges = (
            piece[:side].mean(axis=1).max(),
            piece[-side:].mean(axis=1).max(),
            piece[:, :side].mean(axis=0).max(),
            piece[:, -side:].mean(axis=0).max(),
        )
        frame[k] = min(edges) >= 0.9 and piece.mean() <= 0.5
    return np.concatenate([[False], text])[labels], np.concatenate([[False], frame])[labels] | boxed
