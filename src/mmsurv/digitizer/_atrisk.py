"""The numbers-at-risk table under a Kaplan-Meier figure, from the figure's text layer.

A table row is a line of numbers under the x tick labels, each number centred on a tick.
A cell may print the count with its percentage of the arm, ``90 (100)`` (survminer's
``risk.table = "abs_pct"``; OCR may read it ``1(1)``): the cell is the count and its
percentage together, centred on the tick, and its value the count. The row's label is
the text before its first number, or else after its last (rms's ``survplot`` writes the
arms' names at the right). A row is accepted only when it passes the checks a printed
table must pass: one whole number per tick from the first tick on (it may stop early),
never increasing. A row that fails is reported in words and left out, never repaired,
but for one inference from what the table prints: a first count cut by the table's
edge (survminer's ``90 (100)`` centred on time 0, read ``0 (100)``) is the one size
ending in the digits seen that every later count and its printed percentage allow
(a count c printed as p% puts n in [100c / (p + 0.5), 100c / (p - 0.5)]), with a
note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..curves import check_at_risk
from ..errors import InputError
from ._result import DigitizedArm, arm_id
from ._shapes import Colour, Word
from ._vector import label_rows

__all__ = ["TableRow", "attach_rows", "read_rows"]

#: A number belongs to a tick when its centre is within this fraction of the tick spacing.
ALIGN = 0.35
#: Words are printed in one colour when each is this close to their median (RGB
#: distance, 0-1 scale) ...
ONE_INK = 0.15
#: ... and that colour is black (no arm's) when no channel exceeds this.
BLACK_INK = 0.3


@dataclass(frozen=True)
class TableRow:
    """One row of the at-risk table: its label, colour, counts at the ticks, or a problem;
    ``label_cut`` when the label runs to the edge of an image (cut there, perhaps);
    ``note``, what was inferred in reading it (a first count cut at the table's edge)."""

    label: str
    colour: Colour | None
    times: tuple[float, ...]
    counts: tuple[int, ...]
    words: tuple[Word, ...]
    problem: str | None = None
    label_cut: bool = False
    note: str | None = None


def _check(label: str, times: list[float], cells: dict[int, Word]) -> tuple[list, str | None]:
    ticks = sorted(cells)
    if ticks[0] != 0:
        return [], f"at-risk row {label!r} has no number under the first tick ({times[0]:g})"
    missing = sorted(set(range(ticks[-1] + 1)) - set(ticks))
    if missing:
        return [], f"at-risk row {label!r} has no number under tick {times[missing[0]]:g}"
    values = [cells[i].value for i in ticks]
    if any(v is None or v != int(v) or v < 0 for v in values):
        return [], f"at-risk row {label!r} holds a number that is not a count"
    counts = [int(v) for v in values]  # type: ignore[arg-type]
    rises = [i for i in range(1, len(counts)) if counts[i] > counts[i - 1]]
    if rises:
        i = rises[0]
        return [], (
            f"at-risk row {label!r} increases from {counts[i - 1]} to {counts[i]} at {times[i]:g}"
        )
    return counts, None


_PERCENT = re.compile(r"^\(\d+(\.\d*)?%?\)$")
_COUNT_PERCENT = re.compile(r"^(\d+)\s*\((\d+(?:\.\d*)?)%?\)$")
_CELL = r"\d+\s*\(\d+(?:\.\d*)?%?\)"
#: Whole ``n (%)`` cells, and perhaps a count whose percentage is the next word: what
#: a percentage after it completes (``90``, or ``2(100)6`` as OCR runs cells together).
_ENDS_IN_COUNT = re.compile(rf"^(?:{_CELL}\s*)*\d+$")
#: Two or more whole cells OCR read as one word (``1(100)7(64)``).
_RUN = re.compile(rf"^(?:{_CELL}\s*){{2,}}$")
#: Cells read as one word are cut apart when the character widths their first and
#: last cells imply, centred on their ticks, agree within this factor.
RUN_FIT = 2.0


def _joined(line: list[Word]) -> list[Word]:
    """The line's words with a percentage joined to the count just before it (``90``
    ``(100)`` -> ``90(100)``), over both boxes."""
    out: list[Word] = []
    for w in line:
        last = out[-1] if out else None
        if (
            last is not None
            and _PERCENT.match(w.text)
            and _ENDS_IN_COUNT.match(last.text)
            and 0 <= w.x0 - last.x1 <= w.height
        ):
            out[-1] = Word(
                last.text + w.text,
                last.x0,
                min(last.y0, w.y0),
                w.x1,
                max(last.y1, w.y1),
                last.colour,
            )
        else:
            out.append(w)
    return out


def _apart(word: Word, positions: np.ndarray) -> list[Word]:
    """The ``n (%)`` cells OCR read as one word, as separate words; any other word as
    it is.

    Neighbouring cells sit centred on consecutive ticks (``positions``, ascending), and
    the word runs from its first cell's left edge to its last cell's right edge. With
    every character of one width c, the ticks of the first and last cell each give a c;
    the run of ticks where the two agree best (within ``RUN_FIT``) is taken, and each
    cell is centred on its tick, its characters c wide. A word that fits no run of
    ticks stays whole.
    """
    if not _RUN.match(word.text):
        return [word]
    parts = re.findall(_CELL, word.text)
    k = len(parts)
    first, last = len(parts[0]), len(parts[-1])
    best: tuple[float, int, float] | None = None
    for j in range(len(positions) - k + 1):
        c_first = 2.0 * (positions[j] - word.x0) / first
        c_last = 2.0 * (word.x1 - positions[j + k - 1]) / last
        if c_first <= 0 or c_last <= 0:
            continue
        misfit = abs(float(np.log(c_first / c_last)))
        if misfit <= np.log(RUN_FIT) and (best is None or misfit < best[0]):
            best = (misfit, j, (c_first + c_last) / 2.0)
    if best is None:
        return [word]
    _, j, c = best
    return [
        Word(
            text,
            float(positions[j + i]) - len(text) * c / 2.0,
            word.y0,
            float(positions[j + i]) + len(text) * c / 2.0,
            word.y1,
            word.colour,
        )
        for i, text in enumerate(parts)
    ]


def _cells(line: list[Word], positions: np.ndarray) -> tuple[list[Word], list[float | None]]:
    """The line's words with each count and the percentage after it (``90`` ``(100)``, or
    one word ``90 (100)``) made one word, the count's text over both boxes, and cells
    OCR ran together cut apart (``positions``: the table's columns, ascending); and
    beside each word its percentage (None without one)."""
    out: list[Word] = []
    shares: list[float | None] = []
    for w in (cell for word in _joined(line) for cell in _apart(word, positions)):
        whole = _COUNT_PERCENT.match(w.text)
        if whole is not None:
            out.append(Word(whole.group(1), w.x0, w.y0, w.x1, w.y1, w.colour))
            shares.append(float(whole.group(2)))
            continue
        out.append(w)
        shares.append(float(w.text.strip("()%")) if _PERCENT.match(w.text) else None)
    return out, shares


def _n_from_shares(counts: dict[int, int], shares: dict[int, float]) -> list[int]:
    """The arm sizes n that every count printed with its percentage of n allows: a count
    c printed as p% (p rounded to a whole number) puts n in [100c / (p + 0.5),
    100c / (p - 0.5)]. Empty when a count has no percentage or none is informative."""
    lo, hi = 1.0, np.inf
    informative = False
    for i, count in counts.items():
        if i not in shares:
            return []
        share = shares[i]
        if count <= 0 or share <= 0:
            continue
        informative = True
        lo = max(lo, 100.0 * count / (share + 0.5))
        hi = min(hi, 100.0 * count / (share - 0.5) if share > 0.5 else np.inf)
    if not informative or not np.isfinite(hi):
        return []
    return list(range(int(np.ceil(lo - 1e-9)), int(np.floor(hi + 1e-9)) + 1))


def _clipped_first(
    label: str, cells: dict[int, Word], shares: dict[int, float]
) -> tuple[int | None, str | None]:
    """The arm size and a note, when the first cell was cut by the table's edge: its
    count (or, with no count there, the digits ending the label it ran into:
    ``Female-0 (100)``) is the last digits of exactly one n that the later counts and
    their percentages allow, which the count read is not. Else (None, None)."""
    later = {i: int(w.value) for i, w in cells.items() if i > 0 and w.value is not None}
    sizes = _n_from_shares(later, shares)
    if not sizes:
        return None, None
    if 0 in cells:
        seen = cells[0].text
    else:
        tail = re.search(r"[^\d\s](\d+)$", label)
        if tail is None or shares.get(0) != 100.0:
            return None, None
        seen = tail.group(1)
    if seen.isdigit() and int(seen) in sizes:
        return None, None
    fits = [n for n in sizes if str(n).endswith(seen) and str(n) != seen]
    if len(fits) != 1:
        return None, None
    return fits[0], (
        f"at-risk row {label!r}: the first count, read {seen!r}, is cut at the table's "
        f"edge; n = {fits[0]}, the one size ending so that every later count and its "
        "printed percentage allow"
    )


def _row_colour(cells, label) -> Colour | None:
    """The row's colour: its numbers' when they share one that is not black, else its
    label's (tables often print the counts in black beside a label in the arm's colour).
    A text layer's words share a colour when it is the same; words read off an image
    when each is within :data:`ONE_INK` of their median (their colours vary a little
    from word to word), and there black is any colour no channel of which exceeds
    :data:`BLACK_INK`."""
    for words in (cells, label):
        inks = [w.colour for w in words]
        if not inks or any(c is None for c in inks):
            continue
        if len(set(inks)) == 1:
            if inks[0] != (0.0, 0.0, 0.0):
                return inks[0]
            continue
        ink = np.median(np.asarray(inks, dtype=float), axis=0)
        one = np.linalg.norm(np.asarray(inks, dtype=float) - ink, axis=1).max() <= ONE_INK
        if one and ink.max() > BLACK_INK:
            return tuple(round(float(v), 3) for v in ink)  # type: ignore[return-value]
    return None


def _label_numbers(line: list[Word]) -> set[int]:
    """Indices of the numbers in a line of words that continue a label: each one word
    space (under a text height) after a word that is not a number (``Arm 1``,
    ``ISS 2``). Beside a count under the same tick, such a number is the label's."""
    return {
        j
        for j in range(1, len(line))
        if line[j].value is not None
        and line[j - 1].value is None
        and not _PERCENT.match(line[j - 1].text)
        and line[j].x0 - line[j - 1].x1 <= line[j].height
    }


def read_rows(
    words: tuple[Word, ...],
    below: float,
    tick_positions: np.ndarray,
    tick_values: np.ndarray,
    *,
    names_at_right: bool = False,
    width: float | None = None,
) -> list[TableRow]:
    """Rows of numbers aligned with the x ticks under the line ``y = below``.

    Parameters
    ----------
    words : tuple of Word
        The figure's words.
    below : float
        The bottom of the x tick labels (figure coordinates, y down).
    tick_positions, tick_values : numpy.ndarray
        Where the labelled x ticks are and their values.
    names_at_right : bool
        A row with no text before its first number is labelled by the text after its
        last (rms writes the arms' names there).
    width : float, optional
        An image's width: a label within a pixel of either edge may be cut there
        (``label_cut``; a figure's text layer holds every label whole).
    """
    order = np.argsort(tick_positions)
    positions, values = tick_positions[order], tick_values[order]
    spacing = float(np.min(np.diff(positions))) if len(positions) > 1 else 1.0
    rows = []
    for words_of_line in label_rows(tuple(w for w in words if w.y0 >= below)):
        line, line_shares = _cells(words_of_line, positions)
        of_label = _label_numbers(line)
        cells: dict[int, Word] = {}
        shares: dict[int, float] = {}
        alone: dict[int, Word] = {}  # a percentage whose count is cut
        first_at: dict[int, int] = {}  # the index in the line of each cell's word
        clash = None
        for j, (w, share) in enumerate(zip(line, line_shares, strict=True)):
            i = int(np.argmin(np.abs(positions - w.cx)))
            if abs(positions[i] - w.cx) > ALIGN * spacing:
                continue
            if share is not None:
                shares[i] = share
            if w.value is None:
                if share is not None:
                    alone[i] = w
                continue
            if i in cells:
                if j in of_label:
                    continue  # the label's number beside the count: ``Arm 1``
                if first_at.get(i) not in of_label:
                    clash = i
            cells[i], first_at[i] = w, j
        if len(cells) < 2:
            continue
        if all(w.value == values[i] for i, w in cells.items()):
            continue  # the tick labels again: the time axis of a table drawn as a panel
        first = min(w.x0 for w in cells.values())
        last = max(w.x1 for w in cells.values())
        counted = {id(w) for w in cells.values()}
        text = [w for w in line if id(w) not in counted and not _PERCENT.match(w.text)]
        left = [w for w in text if w.cx < first]
        right = [w for w in text if w.cx > last] if names_at_right else []
        named = left or right
        label = " ".join(w.text for w in named)
        size, note = _clipped_first(label, cells, shares)
        if size is not None:
            if 0 not in cells:  # the count's last digits ran into the label: not the label
                label = re.sub(r"[-\u2013\u2014\s]*\d+$", "", label)
            box = cells.get(0) or alone[0]
            cells[0] = Word(str(size), box.x0, box.y0, box.x1, box.y1, box.colour)
        cut = width is not None and any(w.x0 <= 1.0 or w.x1 >= width - 1.0 for w in named)
        colour = _row_colour(cells.values(), named)
        times = [float(v) for v in values]
        counts: list[int]
        problem: str | None
        if clash is not None:
            counts, problem = (
                [],
                f"at-risk row {label!r} has two numbers under tick {times[clash]:g}",
            )
        else:
            counts, problem = _check(label, times, cells)
        rows.append(
            TableRow(
                label=label,
                colour=colour,
                times=tuple(times[: len(counts)]),
                counts=tuple(counts),
                words=tuple(cells[i] for i in sorted(cells)),
                problem=problem,
                label_cut=cut,
                note=note if problem is None else None,
            )
        )
    return rows


def attach_rows(
    arms: list[DigitizedArm],
    found: dict[str, TableRow | None],
    bottom: float,
    heights: dict[str, float],
) -> tuple[list[DigitizedArm], dict[str, float], list[str]]:
    """Each arm with the at-risk row assigned to it, once the row passes
    :func:`mmsurv.curves.check_at_risk` (first count = n, never increasing, the curve's
    end); the rows' heights by the arms' ids; the warnings for the rows left out.

    An arm without a legend label takes its row's label (a word or more with a letter:
    base R and survminer name each row; not one an image's edge may have cut), and its
    id from it.

    Parameters
    ----------
    arms : list of DigitizedArm
        The curves read.
    found : dict of str to TableRow or None
        The row assigned to each arm id (None: two rows matched it, none is used).
    bottom : float
        The survival at the bottom of the axis: a curve that ends there left the plot,
        and its counts after that time are not used.
    heights : dict of str to float
        The height of each assigned row in the figure, by arm id.
    """
    warnings: list[str] = []
    out = []
    used = {arm.id for arm in arms}
    moved: dict[str, float] = {}
    for index, arm in enumerate(arms):
        owned = found.get(arm.id)
        table = None
        if owned is not None and owned.note:
            warnings.append(owned.note)
        if owned is not None:
            times, counts = owned.times, owned.counts
            end = float(arm.curve["time"].iloc[-1])
            if float(arm.curve["survival"].iloc[-1]) <= bottom + 1e-6 and times[-1] > end:
                keep = sum(t <= end for t in times)
                warnings.append(
                    f"arm {arm.id!r} leaves the plot through the bottom of the survival axis "
                    f"at {end:g}: its at-risk counts after that are not used"
                )
                times, counts = times[:keep], counts[:keep]
            try:
                checked = check_at_risk(times, counts, n=counts[0], curve_end=end)
                table = pd.DataFrame({"time": checked.time, "n": checked.n_risk})
            except InputError as exc:
                warnings.append(f"at-risk row of arm {arm.id!r}: {exc}: left out")
        ident, label = arm.id, arm.label
        named = owned.label.strip() if owned is not None and not owned.label_cut else ""
        if table is not None and label is None and re.search(r"[^\W\d_]", named):
            label, candidate = named, arm_id(named, index)
            if candidate not in used:
                used.discard(ident)
                ident = candidate
                used.add(ident)
        if arm.id in heights:
            moved[ident] = heights[arm.id]
        out.append(DigitizedArm(ident, label, arm.colour, arm.curve, arm.censored, table))
    return out, moved, warnings
