"""Tracing curves through one colour's pixels: one curve, two curves of one colour told
apart by line type (solid and dashed), and a curve between its confidence limits drawn
in its colour, on drawn pixel arrays whose truth is known.
(Whole figures: test_digitizer_raster.py and test_r_figures.py.)"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from mmsurv.digitizer._imagetext import _line_type
from mmsurv.digitizer._trace import (
    MIN_PAIR_SPREAD,
    censor_marks,
    steps,
    trace,
    trace_middle,
    trace_pair,
)

H, W = 120, 320
END = 270
THICK = 2


def _draw(
    weight: np.ndarray,
    rows: np.ndarray,
    dash: tuple[int, int] | None = None,
    *,
    thick: int = THICK,
    end: int = END,
) -> None:
    """Draw a step curve (its row per column) into ``weight``, ``thick`` px thick, solid
    or dashed (``dash``: pixels on, pixels off, counted along the drawn path), to column
    ``end`` (a flat across the whole plot would be a grid line; a drop in its last
    column ends the curve with that drop)."""
    path: list[tuple[int, int]] = []
    for c in range(end):
        if c and rows[c] != rows[c - 1]:  # a drop (or a limit's rise)
            a, b = sorted((int(rows[c - 1]), int(rows[c])))
            path += [(r, c) for r in range(a + 1, b)]
        path.append((int(rows[c]), c))
    for k, (r, c) in enumerate(path):
        if dash is None or k % sum(dash) < dash[0]:
            weight[r : r + thick, c : c + thick] = 1.0


def _steps(drops: list[tuple[int, int]], start: int = 10) -> np.ndarray:
    """Rows per column of a step curve: ``(column, rows down)`` drops from ``start``."""
    rows = np.full(W, start)
    for c, down in drops:
        rows[c:] += down
    return rows


def _level_error(traced, rows: np.ndarray) -> float:
    """Largest distance (rows) from the drawn curve's line centre, at the traced columns
    more than three columns from a drop of the drawn curve."""
    cols = traced.cols.astype(int)
    drops = np.flatnonzero(np.diff(rows)) + 1
    away = np.array([np.all(np.abs(drops - c) > 3) for c in cols], dtype=bool)
    centre = rows[cols] + (THICK - 1) / 2
    return float(np.max(np.abs(traced.levels[away] - centre[away])))


def _told_apart(solid: np.ndarray, dashed: np.ndarray, dash: tuple[int, int] = (6, 4)):
    """Draw the two curves in one colour, trace the pair, and check that each comes
    back within a pixel of its line, told apart."""
    weight = np.zeros((H, W))
    _draw(weight, solid)
    _draw(weight, dashed, dash=dash)
    pair = trace_pair(weight)
    assert pair is not None and pair.told
    assert _level_error(pair.first, solid) <= 1.0
    assert _level_error(pair.second, dashed) <= 1.0
    return pair


def test_one_curve_gives_no_pair():
    weight = np.zeros((H, W))
    _draw(weight, _steps([(60, 15), (150, 20), (240, 10)]))
    assert trace_pair(weight) is None
    assert _level_error(trace(weight), _steps([(60, 15), (150, 20), (240, 10)])) <= 1.0


def test_a_dashed_curve_under_a_solid_one_and_apart_from_it():
    """Both start at the top (the dashed one hidden under the solid one), then the
    dashed one falls below: both come back whole, each with its own line type."""
    pair = _told_apart(_steps([(200, 20), (280, 10)]), _steps([(40, 30), (120, 25), (230, 15)]))
    # the dashed one is drawn from the start, where it runs under the solid one
    assert pair.second.cols.min() <= 5 and pair.second.levels[0] == pytest.approx(10.5, abs=1)


def test_two_solid_curves_of_one_colour_are_found_but_not_told_apart():
    upper, lower = _steps([(100, 20), (200, 15)]), _steps([(60, 30), (150, 25)], start=20)
    weight = np.zeros((H, W))
    _draw(weight, upper)
    _draw(weight, lower)
    pair = trace_pair(weight)
    assert pair is not None and not pair.told
    assert _level_error(pair.first, upper) <= 1.0 and _level_error(pair.second, lower) <= 1.0


def test_curves_that_cross_keep_their_line_types():
    """The solid curve starts above the dashed one and drops through it: each keeps its
    own line after the crossing (the upper and lower paths swap curves there)."""
    _told_apart(_steps([(170, 50)], start=20), _steps([(60, 20), (260, 30)], start=20))


@settings(max_examples=40, deadline=None)
@given(
    upper_drops=st.lists(st.tuples(st.integers(20, END - 20), st.integers(2, 12)), max_size=6),
    lower_drops=st.lists(st.tuples(st.integers(20, END - 20), st.integers(2, 12)), max_size=6),
    lower_start=st.integers(18, 80),
    solid_above=st.booleans(),
    # dashed, or dotted: dots of a line's thickness, gaps longer than them
    dash=st.one_of(
        st.tuples(st.integers(5, 9), st.integers(3, 5)),
        st.tuples(st.just(1), st.integers(3, 5)),
    ),
)
def test_two_curves_apart_come_back_with_their_line_types(
    upper_drops, lower_drops, lower_start, solid_above, dash
):
    """Property: a solid and a dashed (or dotted) step curve of one colour, drawn
    independently and at least 8 rows apart (either above), are traced each within a
    pixel of its line, and told apart. Left out: both dropping in one column, or within
    the line's thickness and two columns (their strokes touch), the upper onto the
    lower's line (within two rows), which looks the same as the upper dropping through
    the lower; only the line types on either side can tell (README)."""
    upper, lower = _steps(upper_drops, start=10), _steps(lower_drops, start=lower_start)
    assume(np.all(lower[:END] >= upper[:END] + 8) and lower[END - 1] < H - 4)
    upper_at = np.flatnonzero(np.diff(upper)) + 1
    lower_at = np.flatnonzero(np.diff(lower)) + 1
    assume(
        not any(
            abs(cu - cl) <= THICK + 2 and abs(upper[cu] - lower[cl - 1]) <= 2
            for cu in upper_at
            for cl in lower_at
        )
    )
    _told_apart(*((upper, lower) if solid_above else (lower, upper)), dash=dash)


@pytest.mark.parametrize("dots", [(1, 3), (1, 4), (1, 5)])
def test_a_dotted_curve_beside_a_solid_one(dots):
    """A dotted line (dots a line's thickness long, gaps longer than them) is seen in
    under half of its columns, yet evenly: it is the second curve of the colour (the
    pair was refused), told apart from the solid one."""
    _told_apart(_steps([(200, 20), (280, 10)]), _steps([(40, 30), (120, 25), (230, 15)]), dots)


def test_a_key_and_a_label_beside_one_curve_are_no_dotted_curve():
    """A legend's key and the strokes of a label in the curve's colour below it are
    seen over a third of the columns between them, but in two clusters far apart, not
    evenly as a dotted line's dots: one curve, no pair."""
    rows = _steps([(60, 15), (150, 20), (240, 10)])
    weight = np.zeros((H, W))
    _draw(weight, rows)
    weight[100:102, 20:80] = 1.0  # the key
    for c in range(200, 240, 4):  # the label's horizontal strokes
        weight[105:107, c : c + 2] = 1.0
    assert trace_pair(weight) is None


@pytest.mark.parametrize("dash", [(6, 4), (1, 4)])
@pytest.mark.parametrize("solid_ends", [True, False])
def test_a_curve_that_runs_on_below_where_the_other_ended(dash, solid_ends):
    """One curve ends (its follow-up is shorter); the other, above it until then, runs
    on and falls below the first one's last level. There the lower path is the second
    curve's alone: it is told by its share in gaps, nearer that of its own line type
    (dashed or dotted, or solid) where both were seen, and the first curve keeps its
    end."""
    ending = _steps([(30, 40), (90, 30)])
    running = _steps([(120, 20), (200, 70)])
    weight = np.zeros((H, W))
    _draw(weight, ending, None if solid_ends else dash, end=150)
    _draw(weight, running, dash if solid_ends else None)
    pair = trace_pair(weight)
    assert pair is not None and pair.told
    first, second = (pair.first, pair.second) if solid_ends else (pair.second, pair.first)
    assert first.cols.max() < 155 and second.cols.max() >= END - 5
    assert _level_error(first, ending) <= 1.0
    assert _level_error(second, running) <= 1.0


def test_drops_of_a_dashed_curve_go_to_their_strokes():
    """A dashed curve's flats end in gaps: the drop is put at its vertical stroke, not
    midway between the columns seen on either side."""
    solid = _steps([(250, 30)])
    dashed = _steps([(100, 40), (180, 20)], start=30)
    weight = np.zeros((H, W))
    _draw(weight, solid)
    _draw(weight, dashed, dash=(6, 5))
    pair = trace_pair(weight)
    assert pair is not None
    cols, levels = pair.second.cols, pair.second.levels
    for column in (100, 180):
        # the last column at the upper level and the first at the lower straddle it
        before = cols[
            (cols < column + 2) & (levels < levels[np.searchsorted(cols, column + 3)] - 1)
        ]
        assert column - 1.5 <= before.max() + 0.5 <= column + 1.5


def test_censor_marks_of_curves_sharing_a_colour_are_on_flats_only():
    """On curves of one colour a mark counts on a flat, away from drops: a '+' on the
    solid curve is found, the strokes beside a dashed drop are not marks."""
    solid = _steps([(200, 30)])
    dashed = _steps([(60, 30), (120, 25)], start=40)
    weight = np.zeros((H, W))
    _draw(weight, solid)
    _draw(weight, dashed, dash=(6, 4))
    weight[6:16, 150:152] = 1.0  # a '+' on the solid curve's flat (row 10)
    weight[10:12, 146:156] = 1.0
    pair = trace_pair(weight)
    assert pair is not None
    assert censor_marks(pair.first, on_flats=True) == pytest.approx([150.5], abs=1.0)
    assert censor_marks(pair.second, on_flats=True).size == 0


def _vertices_agree(traced, rows: np.ndarray, last: int, thick: int) -> None:
    """The step function through the trace has the drawn curve's levels only (within a
    pixel of a line's centre: no level halfway down a drop), each drop within a pixel
    and a half of its stroke's centre, and ends at the drawn curve's last level."""
    centre = (thick - 1) / 2
    points = steps(traced.cols, traced.levels)
    flats = np.unique(rows[: last + 1]) + centre
    assert np.abs(points[:, 1][:, None] - flats[None, :]).min(axis=1).max() <= 1.0
    drops = np.flatnonzero(np.diff(rows[: last + 1])) + 1 + centre
    read = points[1:][np.diff(points[:, 1]) > 0.5, 0]
    assert read.size == drops.size
    assert np.abs(read - drops).max() <= 1.5
    assert points[-1, 1] == pytest.approx(rows[last] + centre, abs=1.0)


@pytest.mark.parametrize("dash", [None, (6, 5)])
def test_a_curve_ending_in_a_drop_ends_at_its_foot(dash):
    """The last patients all have the event: the curve ends with a drop (to 0) that no
    flat follows. The trace ends at the drop's foot, not on the flat above it nor
    halfway down (solid, and dashed beside a solid curve of its colour)."""
    rows = _steps([(60, 15), (150, 20), (220, 45)], start=30)
    weight = np.zeros((H, W))
    _draw(weight, rows, dash, end=221)
    if dash is None:
        traced = trace(weight)
    else:
        _draw(weight, _steps([(100, 6)], start=8))
        pair = trace_pair(weight)
        assert pair is not None and pair.told
        traced = pair.second
    _vertices_agree(traced, rows, 220, THICK)


def test_a_censor_mark_at_the_end_is_no_drop():
    """A '+' at the end of the last flat reaches above the line as far as below it: the
    curve ends on its flat, with the mark."""
    rows = _steps([(60, 15), (150, 20)], start=30)
    weight = np.zeros((H, W))
    _draw(weight, rows)
    weight[rows[END - 1] - 5 : rows[END - 1] + 7, END - 2 : END] = 1.0
    traced = trace(weight)
    _vertices_agree(traced, rows, END - 1, THICK)
    assert censor_marks(traced) == pytest.approx([END - 1.5], abs=1.0)


@settings(max_examples=60, deadline=None)
@given(
    thick=st.integers(1, 6),
    drops=st.lists(st.integers(3, 40), min_size=1, max_size=5),
    gaps=st.lists(st.integers(0, 30), min_size=6, max_size=6),
    ends_in_drop=st.booleans(),
)
def test_long_drops_and_thick_lines_give_the_curves_levels(thick, drops, gaps, ends_in_drop):
    """Property: a step curve of any thickness (1-6 px), whose drops (3-40 rows) may be
    long beside its flats (few patients in a 300-dpi figure: the typical run of the
    line is then a drop's), comes back with its own levels only, each drop at its
    stroke, its last level whether it ends on a flat or with a drop, and no censor
    mark where none is drawn."""
    flat = 3 * thick + 4
    cols = np.cumsum([30] + [flat + g for g in gaps[: len(drops) - 1]])
    assume(cols[-1] < END - flat)
    rows = _steps(list(zip(cols.tolist(), drops, strict=True)), start=10)
    assume(rows.max() + thick < H - 2)
    # a last drop is found when it goes on below the line by more than its thickness
    # and a pixel and a half
    assume(not ends_in_drop or drops[-1] > thick + 2)
    last = int(cols[-1]) if ends_in_drop else END - 1
    weight = np.zeros((H, W))
    _draw(weight, rows, thick=thick, end=last + 1)
    traced = trace(weight)
    _vertices_agree(traced, rows, last, thick)
    assert censor_marks(traced).size == 0


@pytest.mark.parametrize(
    ("pattern", "kind"),
    [
        ("....##############################....#", "solid"),
        ("..########....########....########.....", "dashed"),
        ("..##...##...##...##...##...##...##.....", "dashed"),  # dotted: the line with gaps
        ("..####.#####..........................", "solid"),  # a one-column hole is blur
        ("..##.....................###", None),  # only the label's glyph beside a dot
        (".......", None),
    ],
)
def test_legend_key_line_types(pattern, kind):
    """A key is solid when one run of its colour holds most of its width, dashed when
    runs of it are apart; a run against the label (the strip's right end) is the
    label's first glyph."""
    assert _line_type(np.array([ch == "#" for ch in pattern])) == kind


def _limits(rows: np.ndarray, spread: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Confidence limits of a curve drawn at ``rows``: ``spread`` rows above and below,
    changing only where the curve does (per drop), within the plot, the upper one no
    higher than the curve's start (a limit of survival is at most 1)."""
    drops = np.flatnonzero(np.diff(rows)) + 1
    width = np.zeros(W, dtype=np.int64)
    for k, c in enumerate(drops):
        width[c:] = spread[k % spread.size]
    return np.clip(rows - width, rows[0], None), np.minimum(rows + width, H - THICK - 1)


def test_a_curve_between_its_limits_is_the_middle_one():
    """All three start at 1 (one line), the upper limit rises again near the end (the
    variance jumps where few are at risk), censor marks' bars lie on the curve."""
    rows = _steps([(30, 12), (60, 10), (95, 14), (130, 9), (170, 12), (215, 10)])
    upper, lower = _limits(rows, np.array([4, 7, 9, 12, 16, 20]))
    upper[240:] -= 8  # the rise
    weight = np.zeros((H, W))
    for curve in (upper, rows, lower):
        _draw(weight, curve)
    for c in (45, 110, 190):  # '+' marks: a vertical bar through the curve
        weight[rows[c] - 3 : rows[c] + 5, c : c + 2] = 1.0
    for ink in (None, weight > 0):  # nothing else drawn between the three
        middle = trace_middle(weight, ink)
        assert middle is not None
        assert _level_error(middle, rows) <= 1.0
        assert middle.cols.max() >= END - 5


def test_one_or_two_curves_of_a_colour_hold_no_middle():
    rows = _steps([(40, 15), (90, 20), (160, 25)])
    weight = np.zeros((H, W))
    _draw(weight, rows)
    assert trace_middle(weight) is None
    _draw(weight, _steps([(60, 25), (140, 30)], start=30))
    assert trace_middle(weight) is None


def test_a_dark_lines_edges_and_a_light_curve_hold_no_middle():
    """In a grey colour's blends, a black line is two runs (its anti-aliased edges, the
    black between them): with a grey curve apart, three curves of the grey. They are
    not a curve between its limits: what lies between the edges is drawn in."""
    black = _steps([(50, 14), (120, 18), (200, 20)], start=20)
    grey = _steps([(80, 30), (170, 25)], start=12)
    weight = np.zeros((H, W))
    core = np.zeros((H, W))
    _draw(core, black)
    edges = (np.roll(core, -1, axis=0) > 0) | (np.roll(core, 1, axis=0) > 0)
    weight[edges & (core == 0)] = 1.0
    _draw(weight, grey)
    assert trace_middle(weight) is not None  # three runs, if nothing is known between
    assert trace_middle(weight, ink=(weight > 0) | (core > 0)) is None


def test_limits_that_part_late_and_little():
    """The limits part from the curve only at its last two drops, of 4 rows each, the
    upper one held at the curve's start: the path of the most reward follows the curve
    and then the lower limit, and leaves too little of either to be a curve; the paths
    through the uppermost runs find the three (found by the property test below)."""
    _assert_middle_found(_steps([(173, 4), (222, 4)], start=12), np.array([9, 4]))


def _assert_middle_found(rows: np.ndarray, spread: np.ndarray) -> None:
    """The curve at ``rows`` drawn between its limits (:func:`_limits`) is the middle
    curve traced, within a row."""
    upper, lower = _limits(rows, spread)
    weight = np.zeros((H, W))
    for curve in (upper, rows, lower):
        _draw(weight, curve)
    middle = trace_middle(weight)
    assert middle is not None
    assert _level_error(middle, rows) <= 1.0


@settings(max_examples=40, deadline=None)
@given(
    drops=st.lists(
        st.tuples(st.integers(15, END - 15), st.integers(4, 14)), min_size=2, max_size=6
    ),
    spread=st.lists(st.integers(4, 14), min_size=1, max_size=6),
)
def test_a_curve_between_any_limits_is_the_middle_one(drops, spread):
    cols = [c for c, _ in drops]
    assume(min(np.diff(sorted(cols)), default=99) >= 8)  # steps a person can click apart
    # the limits are curves only apart from the curve over MIN_PAIR_SPREAD of the width
    assume(min(cols) <= END - MIN_PAIR_SPREAD * W - 10)
    rows = _steps(drops, start=12)
    assume(rows.max() + 2 * max(spread) < H - THICK - 1)
    _assert_middle_found(rows, np.array(spread))
