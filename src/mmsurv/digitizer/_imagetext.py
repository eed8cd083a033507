"""What the words read off an image (by OCR) tell: axis values, legend labels, the
numbers at risk.

Every reading is checked and what fails a check is reported, never repaired:

* an axis is calibrated from the tick labels centred on its tick marks, when at least
  three of them lie on one straight line (evenly spaced in value and in pixels, within
  :data:`~mmsurv.digitizer._calibration.LINEAR_TOLERANCE` of the axis range); a label
  off that line (a misread digit) is left out and named; the at-risk table has a column
  at every tick mark on the labels' progression, also where a label was not read;
* a legend entry is text inside the plot or beside it (above, below, right, left) with
  a short stroke of one curve's colour just left of it (the legend key); of several entries,
  those laid out as a legend's column or row are the legend;
* an at-risk row belongs to the curve whose colour its numbers (else its label) are
  printed in, or whose legend label it carries; it is kept when it passes the table
  checks (one count per tick, never increasing, first count = n) and when it fits the
  curve: the share still at risk at a tick cannot exceed the survival just before it
  (Kaplan-Meier: the share at risk is the product of the ratios n(t_{j+1}) / n(t_j)
  of patients at risk from one event time to the next, each at most the survival
  factor 1 - d_j / n_j). Rows that neither colour nor label assign, as many as the
  arms without a row, are paired with them when exactly one pairing fits, or, of
  several, exactly one has no row with patients at risk after its curve's end (Kaplan
  EL, Meier P. Nonparametric estimation from incomplete observations. J Am Stat Assoc
  1958;53:457-481).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ._atrisk import TableRow, read_rows
from ._calibration import LINEAR_TOLERANCE, AxisMap, fit_axis
from ._result import DigitizedArm
from ._shapes import Word
from ._vector import label_rows

__all__ = [
    "assign_rows",
    "legend_labels",
    "legend_line_types",
    "ocr_axis",
    "table_rows",
    "tick_columns",
]

#: A label belongs to a tick when its centre is within this fraction of the tick spacing.
ALIGN = 0.35
#: A tick mark without a label read is a column of the table when its value is this
#: close (in steps between labels) to a step of the labels' progression.
ON_STEP = 0.1
#: Fewest labels on one line for an axis read by OCR (two always fit a line: no check).
MIN_LABELS = 3
#: Coloured text is a curve's when the directions of their chroma have at least this
#: cosine (about 25 degrees of hue) ...
HUE_COS = 0.9
#: ... and the curve's chroma is at least this share of the text's ...
WASH = 0.7
#: ... text with less chroma than this (RGB distance from its grey level) is black or
#: grey: no curve's by its colour.
MIN_CHROMA = 0.08
#: A legend key's pixel is a curve's when this close to its colour (as the tracer takes
#: a curve's pixels: thin keys are mostly anti-aliased edges).
KEY_INK = 0.35
#: ... and is not this much farther from it than from another curve's colour.
KEY_MARGIN = 0.1
#: A legend key with this many columns in a row not drawn is dashed there (a column
#: alone is blur).
KEY_GAP = 2
#: Consecutive entries of a legend laid out as a column are at most this many text
#: heights apart, centre to centre ...
COLUMN_PITCH = 3.0
#: ... and of one laid out as a row, a label starts at most this many text heights after
#: the one before ends (the key between them and the spaces around it).
ROW_GAP = 8.0
#: The share at risk may exceed the survival read off an image by this much (a pixel or
#: two of the curve's level) ...
FIT_SLACK = 0.03
#: ... and the survival is taken this fraction of the time axis before the tick (a drop
#: at the tick read a pixel or a line's half width early).
FIT_LEAD = 0.01


def _candidates(words: tuple[Word, ...], ticks: np.ndarray, frame, axis: str) -> list:
    """Per tick, the number label centred on it just outside the frame (the nearest to
    the frame when several are: the at-risk table is farther)."""
    x0, _, _, y1 = frame
    spacing = float(np.min(np.diff(np.sort(ticks)))) if ticks.size > 1 else np.inf
    out = []
    for tick in ticks:
        best = None
        for w in words:
            if w.value is None:
                continue
            # outside the frame, but for a quarter (x) or half (y) of the text height: a
            # tick mark read with the label
            if axis == "x":
                outside, centre, gap = w.y0 >= y1 - 0.25 * w.height, w.cx, w.y0 - y1
            else:
                outside, centre, gap = w.x1 <= x0 + 0.5 * w.height, w.cy, x0 - w.x1
            near = outside and abs(centre - tick) <= ALIGN * spacing
            if near and (best is None or gap < best[1]):
                best = (w, gap)
        if best is not None:
            out.append((float(tick), best[0]))
    if axis == "x" and out:  # the labels' row: the nearest to the frame's bottom
        top = min(w.y0 for _, w in out)
        out = [(t, w) for t, w in out if w.y0 <= top + max(w.height for _, w in out)]
    return out


def _on_one_line(pos: np.ndarray, val: np.ndarray) -> np.ndarray:
    """Mask of the largest set of (position, value) pairs on one straight line (within
    :data:`LINEAR_TOLERANCE` of the range the line spans over the positions)."""
    best = np.zeros(pos.size, dtype=bool)
    best_spread = np.inf
    for i in range(pos.size):
        for j in range(i + 1, pos.size):
            if pos[i] == pos[j] or val[i] == val[j]:
                continue
            slope = (val[j] - val[i]) / (pos[j] - pos[i])
            spread = np.abs(val - (val[i] + slope * (pos - pos[i])))
            inliers = spread <= LINEAR_TOLERANCE * abs(slope) * np.ptp(pos)
            total = float(spread[inliers].sum())
            if inliers.sum() > best.sum() or (inliers.sum() == best.sum() and total < best_spread):
                best, best_spread = inliers, total
    return best


def ocr_axis(
    words: tuple[Word, ...], ticks: np.ndarray, source: str, frame, axis: str
) -> tuple[AxisMap, list[Word], list[str]]:
    """The axis calibrated from the tick labels read by OCR, the labels used and the
    warnings (labels left out).

    Parameters
    ----------
    words : tuple of Word
        The image's words.
    ticks : numpy.ndarray
        Tick positions in pixels (columns for ``x``, rows for ``y``).
    source : str
        Where the ticks came from (``"tick marks"``, ``"grid lines"``).
    frame : tuple of float
        The plot frame ``(x0, y0, x1, y1)``.
    axis : str
        ``"x"`` or ``"y"``.

    Raises
    ------
    InputError
        Fewer than :data:`MIN_LABELS` labels on one line, more labels off it than on it,
        or values running the wrong way (down the time axis, down the survival axis).
    """
    from ..errors import InputError

    name = f"{axis}_axis"
    pairs = _candidates(words, ticks, frame, axis)
    read = ", ".join(repr(w.text) for _, w in pairs) or "none"
    advice = f"give the values of the first and last {axis} tick marks with --{axis}-axis START END"
    if len(pairs) < MIN_LABELS:
        raise InputError(
            f"{len(pairs)} {axis} tick label{'s' if len(pairs) != 1 else ''} read by OCR "
            f"on the {source} ({read}), {MIN_LABELS} needed; {advice}",
            field=name,
        )
    pos = np.array([t for t, _ in pairs])
    val = np.array([w.value for _, w in pairs], dtype=float)
    keep = _on_one_line(pos, val)
    slope = np.polyfit(pos[keep], val[keep], 1)[0] if keep.sum() >= 2 else 0.0
    rising = slope > 0 if axis == "x" else slope < 0  # rows grow downwards
    if keep.sum() < MIN_LABELS or 2 * keep.sum() <= len(pairs) or not rising:
        raise InputError(
            f"the {axis} tick labels read by OCR ({read}) are not evenly spaced values "
            f"{'increasing' if axis == 'x' else 'increasing upwards'} along the axis; {advice}",
            field=name,
        )
    warnings = [
        f"{axis} tick label {w.text!r} read by OCR is off the line through the others: left out"
        for (_, w), k in zip(pairs, keep, strict=True)
        if not k
    ]
    used = [pair for pair, k in zip(pairs, keep, strict=True) if k]
    axis_map = fit_axis(
        [t for t, _ in used],
        [float(v) for v in val[keep]],
        f"tick labels read by OCR on the {source}",
        name=name,
    )
    return axis_map, [w for _, w in used], warnings


def _words_only(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", " ", text.lower()).strip()


def _same_line(piece: list[Word], label: list[Word]) -> bool:
    """Whether a piece of text is on the label's line: the tops and bottoms of their
    boxes within a quarter of a text height (the words of one line of one font share
    them; the pieces of a rotated axis title read beside a legend left of the plot, or
    the frame of a legend's box read as a letter, do not)."""
    h = max(w.height for w in label)
    top, bottom = np.median([w.y0 for w in label]), np.median([w.y1 for w in label])
    return all(abs(w.y0 - top) <= 0.25 * h and abs(w.y1 - bottom) <= 0.25 * h for w in piece)


def _pieces(line: list[Word]) -> list[list[Word]]:
    """A line of text's words with a letter or digit, cut where a gap is wider than a
    text height (more than a word space: a censor mark, a curve, or the next entry's
    key in a legend laid out in a row) or where a word is off the line of the words
    before it (:func:`_same_line`)."""
    words = [w for w in line if any(ch.isalnum() for ch in w.text)]
    pieces: list[list[Word]] = []
    for w in words:
        if (
            pieces
            and w.x0 - pieces[-1][-1].x1 <= max(w.height, pieces[-1][-1].height)
            and _same_line([w], pieces[-1])
        ):
            pieces[-1].append(w)
        else:
            pieces.append([w])
    return pieces


def _key(
    label: list[Word], rgb: np.ndarray, colours: list[np.ndarray], start: float
) -> tuple[int, np.ndarray] | None:
    """The curve whose legend key is just left of ``label`` (not left of ``start``, the
    end of the text before it), and per column of the strip searched whether its colour
    is drawn there; None without one.

    In the strip left of the label (up to five text heights, a third of a text height
    high), the pixels of one curve's colour (within :data:`KEY_INK`, and not
    :data:`KEY_MARGIN` farther from it than from another curve's: survminer's red key
    is within reach of an orange read for its yellow arm) must make a stroke at least
    half a text height long, and those of every other curve less than half as many.
    (Nearer alone is not enough: a thin red key in a JPEG is washed halfway to a blue
    arm's dark colour.)"""
    first = label[0]
    h = max(w.height for w in label if w.value is None)
    left, right = int(max(first.x0 - 5 * h, start, 0)), int(first.x0)
    top, bottom = int(first.cy - h / 6), int(np.ceil(first.cy + h / 6)) + 1
    strip = rgb[max(top, 0) : bottom, left:right]
    if strip.size == 0:
        return None
    distance = np.stack([np.linalg.norm(strip - c, axis=2) for c in colours])
    near = (distance < KEY_INK) & (distance <= distance.min(axis=0) + KEY_MARGIN)
    drawn = [near[k].any(axis=0) for k in range(len(colours))]
    counts = np.array([d.sum() for d in drawn])
    order = np.argsort(counts)[::-1]
    strong = counts[order[0]] >= 0.5 * h
    alone = len(counts) == 1 or counts[order[1]] < 0.5 * counts[order[0]]
    return (int(order[0]), drawn[int(order[0])]) if strong and alone else None


def _mark_glyph(entry: list[Word]) -> bool:
    """One character other than a Latin letter or a digit: a censor mark on a curve
    read as a glyph (``+`` as ``干``), not a legend label (``A`` and ``B`` are)."""
    text = "".join(w.text for w in entry)
    return len(text) == 1 and not (text.isascii() and text.isalnum())


@dataclass(frozen=True)
class _Entry:
    """A legend entry: its key's curve, its label, where the key's colour is drawn left
    of it, where the label starts and ends, its centre line and its height."""

    curve: int
    label: str
    drawn: np.ndarray
    x0: float
    x1: float
    cy: float
    height: float


def _line_entries(line: list[Word], rgb: np.ndarray, colours: list[np.ndarray]) -> list[_Entry]:
    """The legend entries of one line of text (:func:`_pieces`): a piece with a legend
    key just left of it (:func:`_key`) starts an entry, from its first word with a
    letter on, or from its first word when the key is left of the numbers before that
    (a piece of numbers alone is no label); a piece without one, at most two text
    heights after an entry and on its line of text (:func:`_same_line`), is more of its
    label. One character other than a Latin letter or a digit is a censor mark read as a
    glyph, not an entry."""
    opened: list[tuple[int, np.ndarray, list[Word]]] = []
    end, extends = 0.0, False
    for piece in _pieces(line):
        gap = piece[0].x0 - end
        start = next((i for i, w in enumerate(piece) if w.value is None), len(piece))
        label, key = piece[start:], None
        if label and not _mark_glyph(label):
            # a label that starts with a number ("10 mg/kg") has its key left of the
            # number; otherwise the numbers before the words are no part of it
            key = _key(piece, rgb, colours, end) if start else None
            if key is not None:
                label = piece
            else:
                key = _key(label, rgb, colours, end)
        if key is not None:
            opened.append((key[0], key[1], list(label)))
            extends = True
        elif (
            extends
            and gap <= 2 * max(w.height for w in opened[-1][2])
            and _same_line(piece, opened[-1][2])
        ):
            opened[-1][2].extend(piece)  # more of the label, after a wide space
        else:
            extends = False
        end = piece[-1].x1
    return [
        _Entry(
            curve,
            " ".join(w.text for w in words),
            drawn,
            words[0].x0,
            words[-1].x1,
            words[0].cy,
            max(w.height for w in words if w.value is None),
        )
        for curve, drawn, words in opened
    ]


def _components(entries: list[_Entry], linked) -> set[frozenset[int]]:
    """The sets of entries connected by ``linked`` (a test of two entries)."""
    group = list(range(len(entries)))

    def root(i: int) -> int:
        while group[i] != i:
            i = group[i]
        return i

    for i, e in enumerate(entries):
        for j in range(i + 1, len(entries)):
            if linked(e, entries[j]):
                group[root(j)] = root(i)
    return {
        frozenset(j for j in range(len(entries)) if root(j) == root(i)) for i in range(len(entries))
    }


def _in_column(e: _Entry, f: _Entry) -> bool:
    h = max(e.height, f.height)
    return abs(e.x0 - f.x0) <= 0.5 * h and abs(e.cy - f.cy) <= COLUMN_PITCH * h


def _in_row(e: _Entry, f: _Entry) -> bool:
    h = max(e.height, f.height)
    return abs(e.cy - f.cy) <= 0.5 * h and max(e.x0, f.x0) - min(e.x1, f.x1) <= ROW_GAP * h


def _block(entries: list[_Entry]) -> list[_Entry]:
    """The entries of the legend: the largest set of two or more entries laid out as a
    legend's column (labels starting within half a text height of each other, each at
    most :data:`COLUMN_PITCH` text heights below the one above) or row (on one line,
    each label at most :data:`ROW_GAP` text heights after the one before), when one set
    is the largest; else every entry. A line of text that a curve happens to pass just
    left of (an annotation, a median's label) stands apart from the legend."""
    sets = _components(entries, _in_column) | _components(entries, _in_row)
    most = max((len(s) for s in sets), default=0)
    largest = [s for s in sets if len(s) == most]
    if most < 2 or len(largest) > 1:
        return entries
    return [entries[i] for i in sorted(largest[0])]


def _legend_keys(
    words: tuple[Word, ...], rgb: np.ndarray, frame, colours: list[np.ndarray]
) -> list[tuple[int, str, np.ndarray]]:
    """The legend entries: each as its key's curve colour (index), its label and, per
    column of the strip left of the label, whether the key's colour is drawn there.

    Legends are looked for inside the plot frame, above it (survminer's, laid out in a
    row), right of it (ggplot's), below it (across the plot's width: ggplot's and
    survminer's ``"bottom"``, under the axis) and left of it (beside the plot's height),
    each line of text cut into entries by :func:`_line_entries`; of several entries,
    those of the legend's column or row are kept (:func:`_block`). Tick labels, axis
    titles and an at-risk table's counts there have no key of a curve's colour beside
    them, and its row labels lie left of the plot's width.
    """
    x0, y0, x1, y1 = frame
    placed = tuple(
        w
        for w in words
        if (x0 <= w.x0 and w.x1 <= x1 and y0 <= w.y0 and w.y1 <= y1)  # inside the plot
        or ((w.cy <= y0 or w.cy >= y1) and x0 <= w.cx <= x1)  # above it or below it
        or ((w.cx >= x1 or w.cx <= x0) and y0 <= w.cy <= y1)  # right of it or left of it
    )
    found = [e for line in label_rows(placed) for e in _line_entries(line, rgb, colours)]
    return [(e.curve, e.label, e.drawn) for e in _block(found)]


def legend_labels(
    words: tuple[Word, ...], rgb: np.ndarray, frame, colours: list[np.ndarray]
) -> dict[int, str]:
    """Curve index -> the legend label drawn after a key (a short stroke) of its colour
    (see :func:`_legend_keys`). A curve with two entries gets none."""
    out: dict[int, str] = {}
    twice: set[int] = set()
    for k, label, _ in _legend_keys(words, rgb, frame, colours):
        if k in out:
            twice.add(k)
        out[k] = label
    return {k: v for k, v in out.items() if k not in twice}


def _line_type(drawn: np.ndarray) -> str | None:
    """A legend key's line type from the columns its colour is drawn in, split into runs
    where :data:`KEY_GAP` columns or more in a row are not drawn (a run at the strip's
    right end, against the label, is the label's; a key narrower than three times that
    is no stroke): ``solid`` when one run holds 80% of the key's width, ``dashed`` when
    there are two runs or more and none holds 60%; None otherwise."""
    idx = np.flatnonzero(drawn)
    runs = [r for r in np.split(idx, np.flatnonzero(np.diff(idx) > KEY_GAP) + 1) if r.size]
    if runs and runs[-1][-1] == drawn.size - 1:
        runs = runs[:-1]  # the label's first glyph, where its box starts a little late
    if not runs:
        return None
    width = float(runs[-1][-1] - runs[0][0] + 1)
    if width < 3 * KEY_GAP:
        return None  # a dot, no stroke
    longest = max(r.size for r in runs)
    if longest >= 0.8 * width:
        return "solid"
    if len(runs) >= 2 and longest < 0.6 * width:
        return "dashed"
    return None


def legend_line_types(
    words: tuple[Word, ...], rgb: np.ndarray, frame, colours: list[np.ndarray]
) -> dict[tuple[int, str], str]:
    """(curve colour index, ``solid`` or ``dashed``) -> the legend label after a key of
    that colour and line type (see :func:`_legend_keys`): how the legend names two arms
    drawn in one colour. A colour and line type with two entries gets none."""
    out: dict[tuple[int, str], str] = {}
    twice: set[tuple[int, str]] = set()
    for k, label, drawn in _legend_keys(words, rgb, frame, colours):
        kind = _line_type(drawn)
        if kind is None:
            continue
        if (k, kind) in out:
            twice.add((k, kind))
        out[(k, kind)] = label
    return {key: v for key, v in out.items() if key not in twice}


def _missing_cells(
    words: tuple[Word, ...], below: float, positions: np.ndarray, reread
) -> list[Word]:
    """Numbers under the tick labels that detection missed (one digit, often): in each
    line with numbers under at least two ticks, the box under each other tick that no
    word covers is read again with ``reread``; a number read there is kept."""
    spacing = float(np.min(np.diff(positions))) if positions.size > 1 else 1.0
    found = []
    for line in label_rows(tuple(w for w in words if w.y0 >= below)):
        cells = {
            int(np.argmin(np.abs(positions - w.cx)))
            for w in line
            if w.value is not None and np.min(np.abs(positions - w.cx)) <= ALIGN * spacing
        }
        if len(cells) < 2:
            continue
        h = float(np.median([w.height for w in line]))
        cy = float(np.median([w.cy for w in line]))
        for i, pos in enumerate(positions):
            x0, x1 = pos - 0.45 * spacing, pos + 0.45 * spacing
            if i in cells or any(w.x1 > x0 and w.x0 < x1 for w in line):
                continue
            word = reread((x0, cy - 0.75 * h, x1, cy + 0.75 * h))
            if word is not None and word.value is not None:
                found.append(word)
    return found


def tick_columns(
    labels: list[Word], ticks: np.ndarray, axis_map: AxisMap
) -> tuple[np.ndarray, np.ndarray]:
    """Positions and values of the x ticks: the labelled ones, and the tick marks whose
    labels OCR missed or misread (``-6`` for ``6``, a tick mark read as a minus).

    The labels read step evenly in value (every value a whole number of steps, the
    smallest gap between them, from the first); a tick mark whose value on the
    calibrated axis lies within :data:`ON_STEP` of a step on that progression and no
    label of which was read takes the step's value. A tick mark off the progression (a
    minor grid line half way between labels) is not a column.
    """
    values = np.sort(np.asarray([w.value for w in labels], dtype=float))
    positions = np.asarray(axis_map.inverse(values), dtype=float)
    gaps = np.diff(values)
    if values.size < 2 or ticks.size == 0 or not (gaps > 0).all():
        return positions, values
    step = float(gaps.min())
    steps = (values - values[0]) / step
    if np.abs(steps - np.round(steps)).max() > 1e-6:
        return positions, values
    at_ticks = (np.asarray(axis_map(ticks), dtype=float) - values[0]) / step
    whole = np.round(at_ticks)
    on = np.abs(at_ticks - whole) <= ON_STEP
    extra = np.setdiff1d(values[0] + step * whole[on], values)
    all_values = np.sort(np.concatenate([values, extra]))
    return np.asarray(axis_map.inverse(all_values), dtype=float), all_values


def table_rows(
    words: tuple[Word, ...],
    labels: list[Word],
    columns: tuple[np.ndarray, np.ndarray],
    width: float,
    reread=None,
) -> list[TableRow]:
    """The at-risk rows under the x tick labels, one column per tick (positions and
    values, :func:`tick_columns`); with ``reread`` (a box -> Word or None), cells that
    detection missed are read again first. A row's label is the text before its numbers,
    else after them (rms names its rows at the right); ``width`` is the image's (a label
    at its edge may be cut)."""
    positions, values = columns
    below = max(w.y1 for w in labels)
    if reread is not None:
        words = (*words, *_missing_cells(words, below, positions, reread))
    return read_rows(words, below, positions, values, names_at_right=True, width=width)


def _cells_colour(row: TableRow) -> np.ndarray | None:
    colours = [w.colour for w in row.words]
    if any(c is None for c in colours):
        return None
    return np.median(np.asarray(colours, dtype=float), axis=0)


def _by_colour(rows: list[TableRow], colours: list[np.ndarray]) -> dict[int, int] | None:
    """Row index -> curve index by the colour the rows are printed in, when the rows are
    printed in colours each of one curve and no other row's (one colour for every row
    tells nothing): the colour of their numbers, else of their labels (black numbers
    beside labels in the arms' colours, as base R's tables)."""
    for inks in (
        [_cells_colour(r) for r in rows],
        [None if r.colour is None else np.asarray(r.colour, dtype=float) for r in rows],
    ):
        owner = _by_inks(inks, colours)
        if owner is not None:
            return owner
    return None


def _by_inks(inks: list[np.ndarray | None], colours: list[np.ndarray]) -> dict[int, int] | None:
    """Row index -> curve index for the rows whose ink is one curve's and no other
    row's curve (:func:`_ink_of_curve`); None when no row is assigned."""
    if len(inks) < 2 or any(c is None for c in inks):
        return None
    curve = {i: _ink_of_curve(ink, colours) for i, ink in enumerate(inks)}  # type: ignore[arg-type]
    taken = [k for k in curve.values() if k is not None]
    out = {i: k for i, k in curve.items() if k is not None and taken.count(k) == 1}
    return out or None


def _ink_of_curve(ink: np.ndarray, colours: list[np.ndarray]) -> int | None:
    """The one curve whose colour the text's ink is, or None.

    Coloured ink is compared by hue: small text in a JPEG keeps its hue but loses
    colour (chroma subsampling spreads each stroke's colour over the background), so
    the ink matches a curve when the directions of their chroma (the colour less its
    grey level) agree within :data:`HUE_COS` and the curve is at least :data:`WASH`
    times as colourful (washing only takes colour away: a greyish blend where two
    curves overlap is not a label's colour). Ink with less chroma than
    :data:`MIN_CHROMA` (black, grey) matches no curve: its grey tells nothing (thin
    black digits come out of a JPEG grey, aml's row of ones at 0.35 beside a row at
    0.10, both printed black).
    """
    chroma = ink - ink.mean()
    strength = float(np.linalg.norm(chroma))
    if strength < MIN_CHROMA:
        return None
    fits = []
    for k, colour in enumerate(colours):
        other = colour - colour.mean()
        size = float(np.linalg.norm(other))
        if size >= WASH * strength and float(chroma @ other) >= HUE_COS * strength * size:
            fits.append(k)
    return fits[0] if len(fits) == 1 else None


def _fits(row: TableRow, arm: DigitizedArm) -> str | None:
    """The row's share at risk exceeds the curve's survival a little before a tick (by
    more than :data:`FIT_SLACK`, :data:`FIT_LEAD` of the axis before it): the problem,
    or None."""
    times = arm.curve["time"].to_numpy()
    surv = arm.curve["survival"].to_numpy()
    lead = FIT_LEAD * (max(row.times[-1], float(times[-1])) - min(row.times[0], 0.0))
    for t, count in zip(row.times, row.counts, strict=True):
        before = surv[times < t - lead]
        level = float(before.min()) if before.size else 1.0
        if count / row.counts[0] > level + FIT_SLACK:
            return (
                f"{count} of {row.counts[0]} at risk at {t:g} is more than the survival "
                f"{level:.3f} the curve of arm {arm.id!r} shows before it"
            )
    return None


def _outlives(row: TableRow, arm: DigitizedArm) -> bool:
    """The row has patients at risk at a tick after the curve ends (by more than
    :data:`FIT_LEAD` of the axis). A Kaplan-Meier curve is drawn to the last time a
    patient was seen, so patients at risk at a tick put the curve's end at or after it,
    unless its tail is hidden: a reason to prefer another pairing, not to refuse a row."""
    end = float(arm.curve["time"].iloc[-1])
    lead = FIT_LEAD * (max(row.times[-1], end) - min(row.times[0], 0.0))
    return any(c > 0 and t > end + lead for t, c in zip(row.times, row.counts, strict=True))


def _by_label(rows: list[TableRow], arms: list[DigitizedArm]) -> dict[int, int]:
    """Row index -> arm index by the row's label: equal to one arm's legend label, or
    the start of exactly one (``no_aid`` for ``no_aid (n = 216)``) or its last whole
    words (a label cut at the image's left edge: ``aid`` for ``no aid``, never ``male``
    for ``female``), unless another row carries that arm's label whole (``hormonal
    therapy`` is not ``no hormonal therapy`` cut when that row is there too)."""
    labels = [_words_only(a.label or "") for a in arms]
    texts = [_words_only(row.label) for row in rows]
    # an arm whose label a row carries whole is that row's, not a cut row's
    exact = {k for k, lab in enumerate(labels) if lab and lab in texts}
    out = {}
    for i, text in enumerate(texts):
        if not text or texts.count(text) > 1:  # rows of one label: it tells nothing
            continue
        equal = [k for k, lab in enumerate(labels) if lab and lab == text]
        ends = [
            k
            for k, lab in enumerate(labels)
            if lab and (lab.startswith(text + " ") or lab.endswith(" " + text)) and k not in exact
        ]
        if len(equal) == 1:
            out[i] = equal[0]
        elif not equal and len(ends) == 1:
            out[i] = ends[0]
    return out


def _by_fit(
    rows: list[TableRow], arms: list[DigitizedArm], owner: dict[int, int]
) -> dict[int, int]:
    """The rows not yet assigned -> the arms without a row, when as many rows as arms
    are left and exactly one way of pairing them passes :func:`_fits` (a table has one
    row per arm: the pairing is then the only one the curves allow); when several do,
    the one pairing of them in which no row has patients at risk after its curve's end
    (:func:`_outlives`), if there is exactly one."""
    rest = [i for i in range(len(rows)) if i not in owner]
    free = [k for k in range(len(arms)) if k not in owner.values()]
    if not rest or len(rest) != len(free) or len(rest) > 4:
        return {}
    from itertools import permutations

    fitting = [
        p
        for p in permutations(free)
        if all(_fits(rows[i], arms[k]) is None for i, k in zip(rest, p, strict=True))
    ]
    if len(fitting) > 1:
        fitting = [
            p
            for p in fitting
            if not any(_outlives(rows[i], arms[k]) for i, k in zip(rest, p, strict=True))
        ]
    return dict(zip(rest, fitting[0], strict=True)) if len(fitting) == 1 else {}


def assign_rows(
    rows: list[TableRow],
    arms: list[DigitizedArm],
    colours: list[np.ndarray],
) -> tuple[dict[str, TableRow | None], dict[str, float], list[str]]:
    """Each arm's at-risk row (by the colour of its numbers, else by its label: the
    arm's legend label, or its end when cut at the image's edge; the rows left and the
    arms left, as many, by the one pairing the curves allow), its height in the image,
    and the warnings for the rows left out."""
    warnings: list[str] = []
    good = []
    for row in rows:
        if row.problem:
            warnings.append(row.problem + ": left out")
        else:
            good.append(row)
    owner = _by_colour(good, colours) or {}
    for i, k in _by_label(good, arms).items():
        owner.setdefault(i, k)
    owner.update(_by_fit(good, arms, owner))
    found: dict[str, TableRow | None] = {}
    heights: dict[str, float] = {}
    for i, row in enumerate(good):
        if i not in owner:
            warnings.append(
                f"at-risk row {row.label!r} matches no curve by the colour of its numbers "
                "or a legend label: left out"
            )
            continue
        arm = arms[owner[i]]
        if arm.id in found:
            warnings.append(f"two at-risk rows match arm {arm.id!r}: both left out")
            found[arm.id] = None
            continue
        problem = _fits(row, arm)
        if problem:
            warnings.append(f"at-risk row {row.label!r}: {problem}: left out")
            continue
        found[arm.id] = row
        heights[arm.id] = float(np.mean([w.cy for w in row.words]))
    return found, heights, warnings
