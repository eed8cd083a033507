"""A Kaplan-Meier curve traced through one colour's pixels, and two curves of one colour.

The curve is the path through the columns that never goes up and covers the most of
the colour's horizontal line (:func:`trace`). Two arms drawn in one colour and told
apart by line type (solid and dashed or dotted, as in a black-and-white journal
figure) are two such paths, the second through what the first leaves (:func:`trace_pair`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._clutter import run_lengths, stroke

__all__ = [
    "APART",
    "DASHED",
    "DASH_GAP",
    "GAP",
    "MIN_PAIR_SPREAD",
    "MIN_SEEN",
    "SEEN",
    "Traced",
    "TracedPair",
    "censor_marks",
    "groups",
    "monotone_path",
    "steps",
    "trace",
    "trace_middle",
    "trace_pair",
    "without_grid",
]

#: Two curves of one colour are apart in a column where their rows differ by more than
#: the line's thickness and this many pixels.
APART = 1.0
#: A stretch where two curves of one colour are apart tells which is dashed when each
#: is drawn over at least this many pixels there ...
SEEN = 12
#: ... and the shares of those pixels in gaps (see GAP) differ by at
#: least this over the square root of the shorter path's pixels (a share's sampling
#: error falls so: a dashed line's gaps partly filled by censor marks still tell over
#: hundreds of pixels; one gap over twenty does not).
DASHED = 1.0
#: A gap in a line: at least this many pixels in a row along it not drawn.
GAP = 2
#: A path is a curve in a stretch when seen in at least this share of its columns (a
#: dashed line's dashes are at least as long as its gaps).
MIN_SEEN = 0.5
#: Each of two curves of one colour must be seen across at least this share of the
#: columns (a legend key, a label's stroke or a censor mark's bar is not a curve).
MIN_PAIR_SPREAD = 0.15
#: A dotted line (matplotlib's ``:``, R's ``lty = 3``), whose dots are shorter than its
#: gaps, is a curve of a pair when seen in at least this share of its columns ...
DOTTED_SEEN = 0.25
#: ... evenly: gaps longer than :data:`DASH_GAP` line thicknesses and two pixels cover
#: at most this share of them (a path through censor marks' bars and a legend's key is
#: seen in clusters far apart).
DOTTED_LONG_GAPS = 0.1
#: The gaps of a dashed line are at most this many times its thickness and two
#: pixels, or as long as the dash before and two pixels (R's and ggplot's dashed line,
#: "44", leaves four widths; matplotlib's under two). Used only to follow a dashed
#: curve's last drop (:func:`_final_drop`).
DASH_GAP = 4.0


@dataclass(frozen=True)
class Traced:
    """One curve's trace: the columns the curve covers and its level (row) in each,
    the colour's pixels (grid lines removed) and the line's thickness in pixels."""

    cols: np.ndarray
    levels: np.ndarray
    mask: np.ndarray
    thick: float


@dataclass(frozen=True)
class TracedPair:
    """Two curves traced in one colour (:func:`trace_pair`): the solid and the dashed
    one when ``told``; else first the one that is upper at the start (which is which is
    not known)."""

    first: Traced
    second: Traced
    told: bool


def groups(indices: np.ndarray, gap: int = 1) -> list[np.ndarray]:
    """Runs of increasing integers, each no more than ``gap`` from the one before
    (consecutive by default)."""
    if indices.size == 0:
        return []
    cuts = np.flatnonzero(np.diff(indices) > gap) + 1
    return np.split(indices, cuts)


def without_grid(mask: np.ndarray) -> np.ndarray:
    """``mask`` less the rows and columns it fills across the frame (grid lines)."""
    out = mask.copy()
    out[mask.mean(axis=1) >= 0.9, :] = False
    out[:, mask.mean(axis=0) >= 0.9] = False
    return out


def monotone_path(reward: np.ndarray, *, late: bool = False) -> np.ndarray:
    """Row per column of the path that never goes up (rows only grow to the right) and
    collects the most reward, by dynamic programming over the columns.

    ``best[r]`` after column ``c`` is the most reward a path ending at row ``r`` there
    can have collected: the best of the rows at or above ``r`` in the column before,
    plus the reward at ``r``. A path stays on its row when that is as good (ties); of
    two routes as good, it takes the one that goes down first, or with ``late`` the one
    that goes down last (the uppermost of the best paths). Dynamic programming: Bellman
    R. Dynamic Programming. Princeton University Press, 1957.
    """
    h, w = reward.shape
    rows = np.arange(h)
    back = np.empty((w, h), dtype=np.int32)
    best = np.zeros(h)
    for c in range(w):
        running = np.maximum.accumulate(best)
        if late:
            # the first row at which the running best is reached (running never falls)
            back[c] = np.searchsorted(running, running, side="left")
        else:
            back[c] = np.maximum.accumulate(np.where(best == running, rows, 0))
        best = running + reward[:, c]
    path = np.empty(w, dtype=np.int64)
    path[-1] = int(np.argmax(best))
    for c in range(w - 1, 0, -1):
        path[c - 1] = back[c, path[c]]
    return path


def _line(weight: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """The colour's pixels (grid lines removed), those of them that are horizontal line
    (vertical runs no longer than the line is thick, give or take: longer runs are
    drops, censor marks or text) and the line's thickness."""
    mask = without_grid(weight > 0.5)
    if not mask.any():
        return mask, mask, 0.0
    lengths = run_lengths(mask)
    thick = stroke(mask, lengths)  # per run: most runs are the line's
    # per pixel, the typical run is longer where the curve falls steeply: those runs are
    # still its line, not marks
    line = mask & (lengths <= 1.5 * max(thick, float(np.median(lengths[mask]))) + 1)
    return mask, line, thick


def _runs(line: np.ndarray, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """Per column of ``columns`` (each drawn at ``rows[column]``), the first and last
    row (inclusive) of the run of ``line`` through ``rows[column]`` (:func:`_run_at`)."""
    out = np.empty((columns.size, 2), dtype=np.int64)
    for k, c in enumerate(columns.tolist()):
        run = _run_at(line[:, c], int(rows[c]))
        assert run is not None, "a column's row is not drawn"
        out[k] = run
    return out


def _spans(runs: np.ndarray, h: int) -> np.ndarray:
    """Runs (:func:`_runs`) as ``[lo, hi)`` with a pixel of margin above and two below."""
    return np.column_stack([np.maximum(runs[:, 0] - 1, 0), np.minimum(runs[:, 1] + 2, h)])


def _traced(
    line: np.ndarray,
    weight: np.ndarray,
    mask: np.ndarray,
    thick: float,
    rows: np.ndarray,
    seen: np.ndarray,
    *,
    dashes: bool = False,
) -> Traced:
    """The trace of a path (``rows``, one per column) in the columns where it is
    ``seen``: its level there is the weighted centre of the line's run through it, but
    in the columns of a drop's stroke (:func:`_stroke_levels`), and with the drop at
    the curve's end that no flat follows (:func:`_final_drop`; ``dashes``: the curve may
    be dashed)."""
    columns = np.flatnonzero(seen)
    runs = _runs(line, rows, columns)
    centres = [
        float(np.average(np.arange(lo, hi), weights=weight[lo:hi, c] + 1e-12))
        for c, (lo, hi) in zip(columns.tolist(), _spans(runs, line.shape[0]), strict=True)
    ]
    levels = np.maximum.accumulate(np.asarray(centres, dtype=float))
    stroke = runs[:, 1] - runs[:, 0] + 1 > thick + 1
    cols, levels, stroke = _stroke_levels(columns.astype(float), levels, runs, stroke, thick)
    cols, levels = _final_drop(mask, cols, levels, stroke, thick, dashes)
    return Traced(cols, levels, mask, thick)


def _stroke_levels(
    cols: np.ndarray, levels: np.ndarray, runs: np.ndarray, stroke: np.ndarray, thick: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Levels with each drop's stroke split between the flats it joins.

    Where a curve's drops are long beside its flats (few patients, a figure of 300 dpi)
    its line's typical run is a drop's (:func:`_line`), and a path crosses each drop's
    stroke, a line's thickness wide, on its runs: their centres would make a step
    halfway down, and a censor mark (:func:`censor_marks`: the stroke runs beyond those
    levels). A stroke is a run of ``stroke`` columns (runs longer than the line is
    thick and a pixel), no wider than one and a half times the line and two pixels,
    with a flat column before it and one after it within the line's thickness and two
    columns (a stroke's columns whose runs are too long to be line are not on the
    path), each of its columns reaching from the flat above's level to the flat
    below's, give or take a pixel and a half (drops a few pixels apart, where many
    patients fall quickly, make runs that each reach part of the way: they keep their
    levels). Its columns before its centre take the flat above's level, those after it
    the flat below's, and a centre column is left out, so that :func:`steps` puts the
    drop at the stroke's centre. Returns the columns, levels and ``stroke`` flags of
    what is kept.
    """
    n = cols.size
    keep = np.ones(n, dtype=bool)
    levels = levels.copy()
    for group in groups(np.flatnonzero(stroke)):
        i0, i1 = int(group[0]), int(group[-1])
        if i0 == 0 or i1 == n - 1 or cols[i1] - cols[i0] != i1 - i0:
            continue
        if max(cols[i0] - cols[i0 - 1], cols[i1 + 1] - cols[i1]) > thick + 2:
            continue
        upper, lower = levels[i0 - 1], levels[i1 + 1]
        spans_drop = bool(
            (runs[i0 : i1 + 1, 0] <= upper + 1.5).all()
            and (runs[i0 : i1 + 1, 1] >= lower - 1.5).all()
        )
        if i1 - i0 + 1 > 1.5 * thick + 2 or lower - upper <= 1 or not spans_drop:
            continue
        centre = (cols[i0] + cols[i1]) / 2
        part = slice(i0, i1 + 1)
        levels[part] = np.where(cols[part] < centre, upper, lower)
        keep[part] &= cols[part] != centre
    return cols[keep], levels[keep], stroke[keep]


def _run_at(column: np.ndarray, row: int) -> tuple[int, int] | None:
    """First and last row of the run of ``column`` (a mask's column) through ``row``."""
    if not 0 <= row < column.size or not column[row]:
        return None
    above = np.flatnonzero(~column[:row])
    below = np.flatnonzero(~column[row:])
    top = int(above[-1]) + 1 if above.size else 0
    bottom = row + int(below[0]) - 1 if below.size else column.size - 1
    return top, bottom


def _final_drop(
    mask: np.ndarray,
    cols: np.ndarray,
    levels: np.ndarray,
    stroke: np.ndarray,
    thick: float,
    dashes: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Columns and levels with the drop that ends a curve, when one does.

    A curve whose last patients all have the event ends with a drop (to 0) that no
    flat follows, so its level below is seen on no flat. Its stroke is there in the
    colour's pixels, around the end of the last flat (within the line's thickness and
    two columns): columns whose run through that flat's level reaches no more than a
    pixel and a half above the line (a censor mark at the end reaches above it as far
    as below) and goes on below it by more than its thickness and a pixel and a half.
    With ``dashes`` (a curve that may be dashed) the stroke is a chain of dashes, each
    longer than the line is thick and two pixels, below the one before (or the flat)
    by at most :data:`DASH_GAP` times the line's thickness and two pixels, or the dash
    before's length and two pixels (a dash and a gap are alike long in R's and
    ggplot's dashed line; a JPEG's thickness is its line's core's). The level the drop
    reaches is the stroke's lowest pixel less half the line's thickness (the line's
    cap), the drop at the stroke's centre; the columns of the stroke the path crossed
    (:func:`_stroke_levels`) are left out. A dashed drop can end in a gap: its level is
    then where its last dash ends.
    """
    flat = np.flatnonzero(~stroke)
    if flat.size == 0:
        return cols, levels
    k = int(flat[-1])
    upper = float(levels[k])
    half = thick / 2
    reach = int(np.ceil(thick)) + 2
    gap = int(DASH_GAP * thick) + 2 if dashes else 0
    w = mask.shape[1]
    found: list[tuple[int, int]] = []
    row = round(upper)
    for c in range(max(int(cols[k]) - reach, 0), min(int(cols[-1]) + reach, w - 1) + 1):
        run = _stroke_below(mask[:, c], row, thick, gap)
        if run is None:
            continue
        top, bottom = run
        if top >= upper - half - 1.5 and bottom > upper + half + thick + 1.5:
            found.append((c, bottom))
    if not found:
        return cols, levels
    where = np.array([c for c, _ in found], dtype=float)
    centre = float(where.mean())
    lower = max(bottom for _, bottom in found) + 0.5 - half
    keep = (cols < centre - 0.5) & ((np.arange(cols.size) <= k) | ~stroke)
    return (
        np.concatenate([cols[keep], [centre - 0.5, centre + 0.5]]),
        np.concatenate([levels[keep], [upper, lower]]),
    )


def _stroke_below(column: np.ndarray, row: int, thick: float, gap: int) -> tuple[int, int] | None:
    """Top and bottom of the stroke down from ``row`` in a mask's column: the run
    through ``row`` or a row below it within half a line and a pixel (a thin line's
    stroke can meet its flat at a corner only), else (``gap`` > 0) the first dash below
    it within ``gap`` pixels and half a line; with ``gap``, followed through the dashes
    below it, each within ``gap`` or the dash before's length and two pixels
    (:func:`_final_drop`)."""
    run = next(
        (r for r in (_run_at(column, row + d) for d in range(int(thick / 2) + 2)) if r), None
    )
    if run is None and gap:
        near = np.flatnonzero(column[row : row + gap + int(thick / 2) + 2])
        run = _run_at(column, row + int(near[0])) if near.size else None
        if run is not None and run[1] - run[0] + 1 <= thick + 2:
            return None
    if run is None:
        return None
    top, bottom = run
    reach = max(gap, bottom - top + 3) if gap else 0
    while reach:
        nxt = np.flatnonzero(column[bottom + 1 : bottom + 2 + reach])
        if nxt.size == 0:
            break
        piece = _run_at(column, bottom + 1 + int(nxt[0]))
        if piece is None or piece[1] - piece[0] + 1 <= thick + 2:
            break
        bottom = piece[1]
        reach = max(gap, piece[1] - piece[0] + 3)
    return top, bottom


def trace(weight: np.ndarray) -> Traced:
    """Columns and levels (weighted centre row) of a curve that never goes up.

    ``weight``: per pixel, how much it is the curve's (0-1). A pixel is the curve's
    horizontal line when its vertical run is no longer than the line is thick (longer
    runs are drops, censor marks or text). The curve is the path through the columns
    that never goes up and covers the most of that line (weighted): a legend key, a
    label or a box off that path, above it (passed already) or below it (which would
    cost the rest of the curve), is left out, and gaps (a dashed line, a stretch hidden
    under another curve) are bridged. The columns the path covers give the levels.
    """
    mask, line, thick = _line(weight)
    if not mask.any():
        return Traced(np.zeros(0), np.zeros(0), mask, 0.0)
    path = monotone_path(np.where(line, weight, 0.0))
    return _traced(line, weight, mask, thick, path, line[path, np.arange(mask.shape[1])])


def _gap_share(
    mask: np.ndarray, rows: np.ndarray, seen: np.ndarray, stretch: np.ndarray, thick: float
) -> tuple[float, int] | None:
    """Of the curve a path draws through ``stretch`` (its flats and the drops between
    them), from its first to its last ``seen`` column there, the share of pixels in
    gaps of :data:`GAP` pixels or more where ``mask`` has no pixel (about 0 for a solid
    line, a third to a half for a dashed one), and the path's length in pixels. A
    flat's pixel counts as drawn within a row of its level, a drop's within ``thick``
    and a pixel of its column (the path turns down at the first column of the level
    below, the drop's stroke is around it). None when the path drawn there is shorter
    than :data:`SEEN` pixels, or when it is not seen (on the colour's line) as a line
    is drawn (:func:`_seen_as_drawn`, dotted too): no curve there (the tops of censor
    marks above a curve that runs with the other)."""
    live = stretch[seen[stretch]]
    if live.size == 0 or not _seen_as_drawn(live, thick):
        return None
    w = mask.shape[1]
    reach = int(np.ceil(thick)) + 1
    drawn: list[np.ndarray] = []
    for c in range(int(live[0]), int(live[-1]) + 1):
        top = int(rows[c - 1]) + 1 if c > live[0] else int(rows[c])
        level = int(rows[c])
        if level > top:
            window = mask[top:level, max(c - reach, 0) : min(c + reach + 1, w)]
            drawn.append(np.asarray(window.any(axis=1)))
        drawn.append(np.array([bool(mask[max(level - 1, 0) : level + 2, c].any())]))
    path = np.concatenate(drawn)
    if path.size < SEEN:
        return None
    missing = np.flatnonzero(~path)
    in_gaps = sum(g.size for g in groups(missing) if g.size >= GAP)
    return in_gaps / float(path.size), int(path.size)


def _without_stray_end(seen: np.ndarray) -> np.ndarray:
    """``seen`` less a last cluster of seen columns narrower than :data:`SEEN` that comes
    more than :data:`SEEN` columns after the one before: the other curve's pixels (the
    foot of its last drop) that a path, free to go down once its own curve has ended,
    collected, or that fell to it where the two paths cross there. A curve does not
    vanish and come back for a few pixels at its end."""
    idx = np.flatnonzero(seen)
    breaks = np.flatnonzero(np.diff(idx) > SEEN)
    if breaks.size == 0 or idx[-1] - idx[breaks[-1] + 1] + 1 >= SEEN:
        return seen
    out = seen.copy()
    out[idx[breaks[-1] + 1] :] = False
    return out


def _a_curve(seen: np.ndarray, thick: float | None = None) -> bool:
    """A path is a curve: seen across at least :data:`MIN_PAIR_SPREAD` of the columns,
    and along them as a line is drawn (:func:`_seen_as_drawn`; a path through a legend
    key, a band's edge and censor marks' bars is seen here and there)."""
    idx = np.flatnonzero(seen)
    if idx.size == 0:
        return False
    span = idx[-1] - idx[0] + 1
    return bool(span >= MIN_PAIR_SPREAD * seen.size and _seen_as_drawn(idx, thick))


def _seen_as_drawn(idx: np.ndarray, thick: float | None = None) -> bool:
    """The columns ``idx`` (sorted) where a path is seen are those of a drawn line:
    at least :data:`MIN_SEEN` of the columns from the first to the last (solid or
    dashed), or, given the line's thickness, those of a dotted line: at least
    :data:`DOTTED_SEEN` of them, with gaps longer than :data:`DASH_GAP` thicknesses and
    two pixels covering at most :data:`DOTTED_LONG_GAPS` of them."""
    span = int(idx[-1] - idx[0] + 1)
    if idx.size >= MIN_SEEN * span:
        return True
    if thick is None or idx.size < DOTTED_SEEN * span:
        return False
    gaps = np.diff(idx) - 1
    long_gaps = gaps[gaps > DASH_GAP * thick + 2]
    return bool(long_gaps.sum() <= DOTTED_LONG_GAPS * span)


def _hidden_under(
    rows: np.ndarray, seen: np.ndarray, other: np.ndarray, other_seen: np.ndarray, tol: float
) -> tuple[np.ndarray, np.ndarray]:
    """A curve's rows and seen columns with the stretches where it runs under the other
    curve filled in: a column where it is not seen and the other curve is, at a row
    between this curve's levels before and after (within ``tol``), before its first
    seen column too (it starts where both start), but not after its last (it ended)."""
    w = rows.size
    cols = np.arange(w)
    if not seen.any():
        return rows, seen
    last = np.maximum.accumulate(np.where(seen, cols, -1))
    following = np.minimum.accumulate(np.where(seen, cols, w)[::-1])[::-1]
    before = np.where(last >= 0, rows[np.maximum(last, 0)], -np.inf)
    after = np.where(following < w, rows[np.minimum(following, w - 1)], -np.inf)
    fill = ~seen & other_seen & (other >= before - tol) & (other <= after + tol)
    return np.where(fill, other, rows), seen | fill


def _drops_at_strokes(traced: Traced) -> Traced:
    """``traced`` with each drop put at its vertical stroke: a dashed curve's flats end
    in gaps, so the columns seen on either side of a drop can be a gap apart and their
    midpoint (where :func:`steps` puts the drop) off by half of it. The stroke is the
    column, from the last seen on the upper level to the first on the lower, with the
    most of the colour's pixels strictly between the two levels (beyond half the line's
    thickness and a pixel); two points, half a column either side of it, carry the
    levels. A drop with no pixel between its levels (a short one, in a gap) stays."""
    cols, levels, mask = traced.cols, traced.levels, traced.mask
    half = traced.thick / 2 + 1
    extra_cols: list[float] = []
    extra_levels: list[float] = []
    for i in np.flatnonzero(np.diff(levels) > 0.5).tolist():
        a, b = int(cols[i]), int(cols[i + 1])
        top, bottom = int(np.ceil(levels[i] + half)), int(np.floor(levels[i + 1] - half))
        if b - a < 2 or bottom < top:
            continue
        counts = mask[top : bottom + 1, a : b + 1].sum(axis=0)
        if counts.max() == 0:
            continue
        at = a + float(np.flatnonzero(counts == counts.max()).mean())
        extra_cols += [at - 0.5, at + 0.5]
        extra_levels += [float(levels[i]), float(levels[i + 1])]
    if not extra_cols:
        return traced
    all_cols = np.concatenate([cols, extra_cols])
    order = np.argsort(all_cols, kind="stable")
    all_levels = np.concatenate([levels, extra_levels])[order]
    return Traced(all_cols[order], np.maximum.accumulate(all_levels), mask, traced.thick)


def _own(line: np.ndarray, path: np.ndarray) -> np.ndarray:
    """The pixels of ``line`` in the runs a path (one row per column) is on."""
    own = np.zeros_like(line)
    on = np.flatnonzero(line[path, np.arange(line.shape[1])])
    for c, (lo, hi) in zip(on.tolist(), _spans(_runs(line, path, on), line.shape[0]), strict=True):
        own[lo:hi, c] = line[lo:hi, c]
    return own


def _same_line(thick: float) -> float:
    """How far apart (rows) two paths on one line can be: the line's thickness less a
    pixel, a pixel at least."""
    return max(thick - 1.0, 1.0)


def _crossings(upper: np.ndarray, lower: np.ndarray, thick: float) -> np.ndarray:
    """Per column, whether the curves cross there: the upper one drops through the
    lower one (the lower one never rises through the upper). The upper path then comes
    down onto the lower one's line (two paths on one line are within its thickness less
    a pixel of each other: both drop at once, the upper to just above the lower, is no
    crossing), and the lower path, within the line's thickness and two columns either
    side (a path turns down where the level below is first seen, or earlier through an
    empty column), to a row below it, each by more than the thickness and
    :data:`APART` (smaller moves are the curves touching)."""
    tol = thick + APART
    same = _same_line(thick)
    reach = int(np.ceil(thick)) + 2
    w = upper.size
    padded = np.pad(lower, (reach + 1, reach), mode="edge")
    around = np.lib.stride_tricks.sliding_window_view(padded[1:], 2 * reach + 1).max(axis=1)
    before = padded[:w]  # the lower path's row reach + 1 columns before
    out = np.zeros(w, dtype=bool)
    out[1:] = (
        (upper[1:] > upper[:-1] + tol)
        & (np.abs(upper[1:] - before[1:]) <= same)
        & (around[1:] > before[1:] + tol)
    )
    return out


def _upper_solid(
    mask: np.ndarray,
    upper: tuple[np.ndarray, np.ndarray],
    lower: tuple[np.ndarray, np.ndarray],
    crossing: np.ndarray,
    thick: float,
) -> np.ndarray:
    """Per column, whether the upper of two paths (rows and seen columns each) is the
    solid curve: 1 or 0 in the stretches that tell, NaN elsewhere (see
    :func:`trace_pair`).

    A stretch where both paths are seen tells by the two paths' shares of pixels in
    gaps (:func:`_gap_share`, :data:`DASHED`). A stretch after one path is last seen
    (its curve has ended; the other runs on, often below where the first ended) tells
    by the one path left: it is the curve whose share in gaps, over the stretches that
    told, is nearer its own, by :data:`DASHED` over the square root of its length."""
    (upper_rows, upper_seen), (lower_rows, lower_seen) = upper, lower
    w = upper_rows.size
    decided = np.full(w, np.nan)
    ends = [int(np.flatnonzero(seen)[-1]) + 1 for seen in (upper_seen, lower_seen)]
    cuts = crossing.copy()
    cuts[[e for e in ends if e < w]] = True
    apart = np.flatnonzero(lower_rows - upper_rows > thick + APART)
    pieces = (np.split(g, np.flatnonzero(cuts[g][1:]) + 1) for g in groups(apart))
    in_gaps = np.zeros(2)  # pixels in gaps and pixels drawn, of the solid and the dashed
    drawn = np.zeros(2)
    alone: list[tuple[np.ndarray, float, int, bool]] = []
    for stretch in (piece for group in pieces for piece in group):
        upper_share = _gap_share(mask, upper_rows, upper_seen, stretch, thick)
        lower_share = _gap_share(mask, lower_rows, lower_seen, stretch, thick)
        if upper_share is None or lower_share is None:
            left = upper_share or lower_share
            if left is not None and stretch[0] >= ends[upper_share is not None]:
                alone.append((stretch, *left, upper_share is not None))
            continue
        (upper_gaps, upper_length), (lower_gaps, lower_length) = upper_share, lower_share
        if abs(upper_gaps - lower_gaps) * np.sqrt(min(upper_length, lower_length)) >= DASHED:
            upper_is_solid = upper_gaps < lower_gaps
            decided[stretch] = float(upper_is_solid)
            order = [0, 1] if upper_is_solid else [1, 0]
            in_gaps[order] += [upper_gaps * upper_length, lower_gaps * lower_length]
            drawn[order] += [upper_length, lower_length]
    if not drawn.all():
        return decided
    solid_gaps, dashed_gaps = in_gaps / drawn
    for stretch, gaps, length, on_upper in alone:
        nearer_dashed = abs(gaps - solid_gaps) - abs(gaps - dashed_gaps)
        if abs(nearer_dashed) * np.sqrt(length) >= DASHED:
            decided[stretch] = float((nearer_dashed < 0) == on_upper)
    return decided


def trace_pair(weight: np.ndarray) -> TracedPair | None:
    """Two curves drawn in one colour, told apart by line type (solid, dashed or dotted:
    the second, ``dashed``, is any line with gaps).

    The curves are the upper and the lower of two paths that never go up (whatever
    their order at a crossing, the upper and the lower of two such curves are curves
    too). The first guess: :func:`trace`'s path and the same through the line it
    leaves (its runs of line removed); then the lower is found again as the best path
    at or below the upper, the upper as the best at or above that (the uppermost of
    them: of two routes as good it keeps the higher), and the lower again (one path's
    runs removed for the other): a first path that took one curve's start and the
    other's end left the second only a path across empty space.

    Which is which is settled stretch by stretch: in each stretch where the two are
    apart (:data:`APART`) and do not cross, the solid one has a smaller share of its
    drawn path in gaps than the dashed one (see :data:`DASHED` and :func:`_gap_share`);
    after one curve has ended, the other's share alone tells, against the two shares
    where both were seen (:func:`_upper_solid`: a curve that runs on below where the
    other ended is the lower path there, yet is not the other). Between stretches
    the curves touch (and are taken not to cross) or cross (:func:`_crossings`: the
    upper one drops through the lower one): a stretch that cannot tell takes the
    identities of the one that tells before it (else after), swapped at each crossing
    between them. With no stretch that tells (dense censor marks can fill a dashed
    line's gaps), the one upper at the start comes first, not told. A curve hidden
    under the other (where both start, where they run together) follows it there (see
    :func:`_hidden_under`).

    None when either is not a curve (:func:`_a_curve`): there is one curve of that
    colour.
    """
    mask, line, thick = _line(weight)
    if not mask.any():
        return None
    h, w = mask.shape
    cols = np.arange(w)
    rows = np.arange(h)[:, None]
    reward = np.where(line, weight, 0.0)
    first = monotone_path(reward)
    second = monotone_path(np.where(_own(line, first), 0.0, reward))
    spread = np.flatnonzero(line[second, cols] & ~_own(line, first)[second, cols])
    if spread.size == 0 or spread[-1] - spread[0] + 1 < MIN_PAIR_SPREAD * w:
        return None
    upper = np.minimum(first, second)
    # no path may enter the rows beyond the other: a reward no run of line makes up
    barred = -float(reward.sum()) - 1.0

    def beside(path: np.ndarray, *, above: bool) -> np.ndarray:
        """The best path on one side of ``path`` (the uppermost of them above it),
        through what its runs of line leave."""
        barred_rows = rows > path if above else rows < path
        free = np.where(_own(line, path), 0.0, reward)
        return monotone_path(np.where(barred_rows, barred, free), late=above)

    lower = beside(upper, above=False)
    upper = beside(lower, above=True)
    lower = beside(upper, above=False)
    upper_seen = _without_stray_end(line[upper, cols])
    lower_seen = _without_stray_end(line[lower, cols] & ~_own(line, upper)[lower, cols])
    same = _same_line(thick)
    upper, upper_seen = _hidden_under(upper, upper_seen, lower, lower_seen, same)
    lower, lower_seen = _hidden_under(lower, lower_seen, upper, upper_seen, same)
    if not (_a_curve(upper_seen, thick) and _a_curve(lower_seen, thick)):
        return None

    crossing = _crossings(upper, lower, thick)
    swaps = np.cumsum(crossing) % 2
    decided = _upper_solid(mask, (upper, upper_seen), (lower, lower_seen), crossing, thick)
    told = not np.isnan(decided).all()
    solid_upper = swaps == 0
    if told:
        # each column as the stretch that tells before it (the first one: after it),
        # swapped at every crossing between them
        telling = np.flatnonzero(~np.isnan(decided))
        nearest = telling[np.clip(np.searchsorted(telling, cols, side="right") - 1, 0, None)]
        solid_upper = (decided[nearest].astype(int) ^ swaps[nearest] ^ swaps).astype(bool)
    solid_rows = np.where(solid_upper, upper, lower)
    solid_seen = _without_stray_end(np.where(solid_upper, upper_seen, lower_seen))
    dashed_rows = np.where(solid_upper, lower, upper)
    dashed_seen = _without_stray_end(np.where(solid_upper, lower_seen, upper_seen))
    return TracedPair(
        _drops_at_strokes(_traced(line, weight, mask, thick, solid_rows, solid_seen, dashes=True)),
        _drops_at_strokes(
            _traced(line, weight, mask, thick, dashed_rows, dashed_seen, dashes=True)
        ),
        told,
    )


def _runs_per_column(mask: np.ndarray) -> np.ndarray:
    """How many runs of ``mask`` each column holds."""
    return mask[0] + (mask[1:] & ~mask[:-1]).sum(axis=0)


def _top_runs(mask: np.ndarray) -> np.ndarray:
    """The pixels of each column's first (uppermost) run of ``mask``."""
    starts = mask.copy()
    starts[1:] &= ~mask[:-1]
    return mask & (np.cumsum(starts, axis=0) == 1)


def _holds_three(line: np.ndarray, reward: np.ndarray, *, uppermost: bool) -> bool:
    """Three paths that never go up, each through the line the ones before leave, are
    each a curve (:func:`_a_curve`). Each path takes the most reward, or with
    ``uppermost`` the most reward of the uppermost run left in each column."""
    cols = np.arange(line.shape[1])
    taken = np.zeros_like(line)
    for _ in range(3):
        left = line & ~taken
        allowed = _top_runs(left) if uppermost else left
        path = monotone_path(np.where(allowed, reward, 0.0))
        if not _a_curve(_without_stray_end(left[path, cols])):
            return False
        taken |= _own(line, path)
    return True


def trace_middle(weight: np.ndarray, ink: np.ndarray | None = None) -> Traced | None:
    """The middle of three curves drawn in one colour: a Kaplan-Meier curve between its
    pointwise confidence limits, drawn as lines in the arm's colour (base R's
    ``plot.survfit(conf.int = TRUE)``). A limit never crosses its estimate (the upper
    one stays above it, the lower one below), but need not fall with it: where few are
    at risk the variance jumps and an upper limit on the log scale rises again.

    The colour holds three curves when three paths that never go up
    (:func:`monotone_path`), each through the line the ones before leave, are each a
    curve (:func:`_a_curve`): paths of the most reward, or else, each, of the most
    reward in the uppermost run left in each column (:func:`_holds_three`; where the
    limits part from the curve late, the path of the most reward can follow the curve
    and then a limit, and leave too little of either to be a curve). The limits are
    then the colour's upper and lower edges in each column where its line has three
    runs or more (its first and last run there: limits need not be paths that never go
    up), and the curve is the best path that never goes up between them, through what
    their runs leave. Where the curve runs with a limit (at the start, all three at 1),
    it follows that limit (:func:`_hidden_under`).

    None when the colour does not hold three curves, or when the path between the edges
    is not a curve, nor where the three are apart (:func:`_a_curve` of those columns: a
    curve with marks or text of its colour here and there about it has no limits).
    Three runs of line are apart where what lies between them is not drawn in: ``ink``,
    the pixels drawn in any colour, closes gaps of up to twice a line's thickness and
    :data:`APART` between runs (a black line's anti-aliased edges are two runs of a grey
    colour's blends, the black between them); without it, every run counts.
    """
    mask, line, thick = _line(weight)
    h, w = mask.shape
    # too few columns with three runs for the limits to be curves (:func:`_a_curve`):
    # no path need be sought
    three = _runs_per_column(line) >= 3
    if three.sum() < MIN_SEEN * MIN_PAIR_SPREAD * w:
        return None
    cols = np.arange(w)
    reward = np.where(line, weight, 0.0)
    if not any(_holds_three(line, reward, uppermost=top) for top in (False, True)):
        return None
    # the edges bound the curve only in columns where the three are apart: three runs
    # of line with more than drawing between them (a column where a limit drops, or
    # runs with the curve, has fewer; a darker line's two anti-aliased edges, in a
    # lighter colour's blends, are two runs with that line between them)
    runs = line
    if ink is not None:
        from scipy import ndimage

        gap = int(np.ceil(thick + APART))
        padded = np.pad(line, ((2 * gap, 2 * gap), (0, 0)))  # no closing across the border
        closed = ndimage.binary_closing(padded, np.ones((2 * gap + 1, 1), dtype=bool))
        runs = closed[2 * gap : 2 * gap + h] & (line | ink)
    apart = _runs_per_column(runs) >= 3
    top = np.where(apart, np.argmax(line, axis=0), 0)
    bottom = np.where(apart, h - 1 - np.argmax(line[::-1], axis=0), h - 1)
    edges = (_own(line, top) | _own(line, bottom)) & apart
    rows = np.arange(h)[:, None]
    outside = (rows < top) | (rows > bottom)
    middle = monotone_path(
        np.where(outside, -float(reward.sum()) - 1.0, np.where(edges, 0.0, reward))
    )
    seen = _without_stray_end(line[middle, cols] & ~edges[middle, cols])
    if not (_a_curve(seen) and _a_curve(seen & apart)):
        return None
    same = _same_line(thick)
    for edge in (top, bottom):
        middle, seen = _hidden_under(middle, seen, edge, apart, same)
    return _traced(line, weight, mask, thick, middle, seen)


def censor_marks(traced: Traced, *, on_flats: bool = False) -> np.ndarray:
    """Columns (centres) of the censor marks on a traced curve.

    A mark (``+``, ``|``) crosses the line: in its column the curve's colour runs from
    above the level the curve has before it to below the level after it, by a pixel and
    a half beyond the line's half thickness. A drop runs from one level to the other
    only. Neighbouring mark columns are one mark, at their centre. ``on_flats``: only
    on a flat, more than the line's thickness and a pixel from a drop, for curves that
    share their colour with another (:func:`trace_pair`): a dashed drop's dash runs
    past the short flats at its ends, and beside a drop its stroke coming down and the
    flat's line, blurred, can pass for a mark's.
    """
    cols, levels, mask = traced.cols, traced.levels, traced.mask
    if cols.size < 2:
        return np.zeros(0)
    reach = traced.thick / 2 + 1.5
    change = np.flatnonzero(np.diff(levels) > 0.5)
    drops = (cols[change] + cols[change + 1]) / 2
    found: list[int] = []
    for c in range(int(cols[0]) + 1, int(cols[-1])):
        before = levels[np.searchsorted(cols, c, side="left") - 1]
        after = levels[np.searchsorted(cols, c, side="right")]
        if on_flats and np.any(np.abs(drops - c) <= traced.thick + 1):
            continue
        lo, hi = int(np.floor(before - reach)), int(np.ceil(after + reach))
        if lo >= 0 and hi < mask.shape[0] and mask[lo : hi + 1, c].all():
            found.append(c)
    return np.array([g.mean() for g in groups(np.asarray(found, dtype=int))])


def steps(cols: np.ndarray, levels: np.ndarray) -> np.ndarray:
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
