"""Text and box frames inside an image's plot are not taken for curves (issue 20): the
shape rules of ``_clutter`` on masks made by hand, and figures with annotation boxes,
median labels and p-values in the plot read with and without OCR."""

from __future__ import annotations

import numpy as np
import pytest
from digitize_harness import BOX_BOTTOM_LEFT, BOX_TOP_RIGHT
from digitize_trials import TICKS, mean_errors, rossi_figure, trial
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from km_figures import FigureSpec, Note, TrueArm, render_km_figure
from scipy import ndimage

import mmsurv
from mmsurv.digitizer._clutter import rectangles, run_lengths, stroke, text_and_frames
from mmsurv.digitizer._shapes import Word
from mmsurv.validation import real_datasets

H, W = 200, 400


def clutter(mask: np.ndarray, **where) -> np.ndarray:
    """The pixels set aside as text or a box frame."""
    text, frames = text_and_frames(mask, **where)
    assert not (text & frames).any()
    return text | frames


def _staircase(levels: list[int], thick: int = 2) -> np.ndarray:
    """A curve that never goes up: ``levels`` (rows, growing) over equal stretches of
    the width, joined by drops."""
    mask = np.zeros((H, W), dtype=bool)
    edges = np.linspace(0, W, len(levels) + 1).astype(int)
    rows = np.maximum.accumulate(np.asarray(levels))
    for k, row in enumerate(rows):
        mask[row : row + thick, edges[k] : edges[k + 1]] = True
        if k:
            mask[rows[k - 1] : row + thick, edges[k] : edges[k] + thick] = True
    return mask


def _word(mask: np.ndarray, top: int, left: int, letters: int, size: int = 9) -> None:
    """Letters in a row on one baseline, rings (an 'o', a 'D') one stroke thick, every
    other one a capital and the others two pixels lower."""
    for k in range(letters):
        x = left + k * (size + 3)
        y = top + 2 * (k % 2)
        mask[y : top + size, x : x + size - 2] = True
        mask[y + 2 : top + size - 2, x + 2 : x + size - 4] = False


def test_a_staircase_is_kept_and_a_word_beside_it_dropped():
    mask = _staircase([20, 40, 60, 90, 120, 150])
    curve = mask.copy()
    _word(mask, 160, 20, 6)
    dropped = clutter(mask)
    assert not (dropped & curve).any()
    assert (dropped == (mask & ~curve)).all()


def test_a_box_frame_is_dropped_a_thick_dash_is_not():
    mask = _staircase([10, 30, 50, 70])
    frame = np.zeros_like(mask)
    frame[120:150, 200:380] = True
    frame[122:148, 202:378] = False
    dash = np.zeros_like(mask)
    dash[170:178, 20:60] = True  # a thick line's dash: filled, not a frame
    text, frames = text_and_frames(mask | frame | dash)
    assert (frames == frame).all() and not text.any()


def _box(top: int, left: int, bottom: int, right: int, thick: int = 2) -> np.ndarray:
    """An open rectangle's frame, lines ``thick`` pixels thick."""
    frame = np.zeros((H, W), dtype=bool)
    frame[top:bottom, left:right] = True
    frame[top + thick : bottom - thick, left + thick : right - thick] = False
    return frame


def test_a_box_frame_a_curve_crosses_is_dropped_and_its_text_with_it():
    """A curve that crosses an annotation box's frame makes the frame one piece with the
    curve: the frame is still found (a rectangle of lines), the text inside stands
    alone, and the curve keeps every pixel but where it crosses the frame's lines."""
    curve = _staircase([20, 20, 130, 130, 180])
    frame = _box(110, 120, 160, 380)
    mask = curve | frame
    _word(mask, 140, 200, 6)
    text, frames = text_and_frames(mask)
    words = mask & ~curve & ~frame
    assert (text == words).all()
    assert frames[frame].all()
    # the curve loses only its pixels on the frame's lines, where it crosses them
    assert (
        frames & ~frame == curve & ~frame & ndimage.binary_dilation(frame, np.ones((7, 7)))
    ).all()


@settings(max_examples=60, deadline=None)
@given(
    levels=st.lists(st.integers(0, H - 10), min_size=1, max_size=30),
    thick=st.integers(1, 3),
    box=st.tuples(st.integers(0, H - 60), st.integers(0, W - 120)),
    size=st.tuples(st.integers(30, 58), st.integers(60, 118)),
)
def test_a_rectangle_is_found_whatever_crosses_it_and_a_staircase_never(levels, thick, box, size):
    curve = _staircase(sorted(levels), thick)
    assert not rectangles(curve, float(thick)).any()
    top, left = box
    bottom, right = top + size[0], left + size[1]
    frame = _box(top, left, bottom, right, thick)
    # a flat running on from a frame's edge makes one line of both: not a frame (README)
    edges = [*range(top, top + thick), *range(bottom - thick, bottom)]
    beside = [c for c in (left - 1, right) if 0 <= c < W]
    assume(not curve[np.ix_(edges, beside)].any())
    # nor is a frame whose corner a curve passes by, just beyond it (README)
    side = thick + 1
    corners = np.zeros_like(curve)
    for row in (slice(max(top - side - 3, 0), top), slice(bottom, bottom + side + 3)):
        for col in (
            slice(max(left - side - 1, 0), left + side + 2),
            slice(max(right - side - 2, 0), right + side + 1),
        ):
            corners[row, col] = True
    assume(not (curve & corners).any())
    found = rectangles(curve | frame, float(thick))
    assert found[frame].mean() >= 0.9
    # of the curve, only pixels within reach of the frame's lines go with it
    near_frame = ndimage.binary_dilation(frame, np.ones((2 * thick + 5,) * 2))
    assert not (found & ~near_frame).any()


@settings(max_examples=60, deadline=None)
@given(
    levels=st.lists(st.integers(20, H - 40), min_size=2, max_size=12, unique=True),
    gap=st.integers(3, 30),
    thick=st.integers(1, 3),
)
def test_a_curve_and_its_limit_stepping_together_draw_no_rectangle(levels, gap, thick):
    """A confidence limit drops where its curve drops: between two drops their flats
    have the same ends and their drops join them, but the lines down do not stop at
    those corners. Left out: a limit's flat within a pixel of the curve's flat before
    its drop (the two lines then close a box at the drop: README)."""
    rows = np.array(sorted(levels))
    assume(np.all(np.abs(rows[:-1] - (rows[1:] - gap)) > thick + 1))
    curve = _staircase(sorted(levels), thick)
    limit = _staircase([max(level - gap, 0) for level in sorted(levels)], thick)
    assert not rectangles(curve | limit, float(thick)).any()


def test_dots_and_dashes_of_a_curve_are_not_glyphs():
    """A dotted or dashed curve is pieces in a row too, but each as tall as the stroke."""
    dotted = _staircase([30, 60, 100, 140]) & (np.arange(W) % 6 < 2)
    dashed = _staircase([20, 50, 80, 110]) & (np.arange(W) % 14 < 9)
    assert not clutter(dotted).any()
    assert not clutter(dashed).any()


def test_censor_marks_down_a_dotted_slope_are_not_a_row_of_text():
    """Crosses on a dotted curve falling in small steps link each to the next as a
    word's letters do, but into a slanting chain many crosses tall: neither the crosses
    nor the dots among them are text. Three crosses on one level, as tall as a word's
    letters, still make a row."""
    levels = list(range(30, 150, 4))
    dotted = _staircase(levels) & (np.arange(W) % 6 < 2)
    mask = dotted.copy()
    edges = np.linspace(0, W, len(levels) + 1).astype(int)
    for k in range(1, len(levels)):  # a cross, 9 pixels tall, on every flat
        row, col = levels[k], edges[k] + 6
        mask[row - 4 : row + 5, col : col + 2] = True
        mask[row : row + 2, col - 3 : col + 6] = True
    assert not clutter(mask).any()
    flat = _staircase([100] * 4) & (np.arange(W) % 6 < 2)
    crosses = flat.copy()
    for col in (150, 162, 174):
        crosses[96:105, col : col + 2] = True
        crosses[100:102, col - 3 : col + 6] = True
    assert (clutter(crosses) & ~flat).any()


def test_a_curve_behind_a_word_keeps_every_pixel():
    """OCR's word box drops the pieces inside it (glyphs too few to make a row), never a
    curve that runs on outside it; a word of one character (a censor mark) drops
    nothing."""
    mask = _staircase([40, 40, 80, 80])
    curve = mask.copy()
    _word(mask, 60, 100, 2)
    words = (Word("HR", 95.0, 35.0, 130.0, 75.0), Word("+", 300.0, 70.0, 320.0, 90.0))
    dropped = clutter(mask, words=words)
    assert not (dropped & curve).any()
    assert (dropped == (mask & ~curve)).all()
    # the same in image pixels: the mask's top-left corner at row 5, column 7
    moved = tuple(Word(w.text, w.x0 + 7, w.y0 + 5, w.x1 + 7, w.y1 + 5) for w in words)
    assert (clutter(mask, words=moved, offset=(5, 7)) == dropped).all()


def test_stroke_and_run_lengths():
    mask = _staircase([50, 50], thick=3)
    assert stroke(mask) == 3.0
    assert run_lengths(mask)[50:53, 10].tolist() == [3, 3, 3]
    assert stroke(np.zeros((5, 5), dtype=bool)) == 0.0
    assert not clutter(np.zeros((5, 5), dtype=bool)).any()


@settings(max_examples=60, deadline=None)
@given(
    levels=st.lists(st.integers(0, H - 10), min_size=1, max_size=30),
    thick=st.integers(1, 4),
    noise=st.integers(0, 2**32 - 1),
)
def test_staircases_are_never_dropped_and_pieces_go_whole(levels, thick, noise):
    """Whatever else is drawn, a curve that never goes up keeps every pixel when it is a
    piece of its own, and every piece is dropped or kept whole."""
    curve = _staircase(sorted(levels), thick)
    rng = np.random.default_rng(noise)
    clutter_mask = rng.random((H, W)) < 0.02
    _word(clutter_mask, int(rng.integers(0, H - 12)), int(rng.integers(0, W - 80)), 5)
    mask = curve | clutter_mask
    dropped = clutter(mask)
    assert dropped.shape == mask.shape and not (dropped & ~mask).any()
    labels, count = ndimage.label(mask, structure=np.ones((3, 3), dtype=bool))
    for k in range(1, count + 1):
        piece = labels == k
        assert dropped[piece].all() or not dropped[piece].any()
    if not ndimage.binary_dilation(curve, np.ones((3, 3))).__and__(clutter_mask).any():
        assert not (dropped & curve).any()


# --- figures --------------------------------------------------------------------------


CROSSING = (Note("Median follow-up 30 months (IQR 18-42)", 0.15, 0.45),)


@pytest.mark.parametrize(
    ("style", "suffix", "dpi", "grey", "colours", "notes", "arms", "bar"),
    [
        # black curve, black annotation box and label
        ("base", ".png", 150, False, ("#000000", "#E41A1C"), BOX_TOP_RIGHT, None, 0.006),
        # black and grey curves, greyscale (a grey as light as this is a curve's only
        # when the number of arms says so: README)
        ("base", ".png", 150, True, ("#000000", "#999999"), BOX_TOP_RIGHT, 2, 0.006),
        # labels in the arms' colours, at 72 dpi
        ("ggplot", ".png", 72, False, None, BOX_BOTTOM_LEFT, None, 0.008),
        # text over confidence bands
        ("lifelines", ".png", 100, False, None, BOX_BOTTOM_LEFT, None, 0.006),
        ("ggplot", ".jpg", 100, False, None, BOX_BOTTOM_LEFT, None, 0.008),
        # a long label across both curves
        ("lifelines", ".png", 150, False, None, CROSSING, None, 0.006),
        ("base", ".png", 100, False, ("#000000", "#E41A1C"), CROSSING, None, 0.006),
    ],
)
def test_text_in_the_plot_is_not_a_curve(
    tmp_path, no_ocr, style, suffix, dpi, grey, colours, notes, arms, bar
):
    """Without OCR: the two curves are found, no more, and close to the truth."""
    truth = trial()
    spec = FigureSpec(style=style, ticks=TICKS, x_max=50.0, colours=colours, notes=notes)
    path = render_km_figure(
        truth, spec, tmp_path / f"km{suffix}", dpi=dpi, grey=grey, jpeg_quality=70
    )
    result = mmsurv.digitize(path, x_axis=(0, 50), y_axis=(0, 1), arms=arms)
    assert len(result.arms) == 2, [a.colour for a in result.arms]
    assert max(mean_errors(result, truth)) <= bar


@pytest.mark.parametrize(
    ("dataset", "ticks", "style", "suffix", "dpi"),
    [
        # the placebo arm crosses the black box's frame: one piece with the frame, so
        # the frame and its text were taken for an arm, the 6-MP arm lost
        ("leukemia", (0.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0, 35.0), "ggplot", ".png", 72),
        # the democracy arm runs under the box (its fill hides it) and out of it
        ("dd", (0.0, 10.0, 20.0, 30.0, 40.0, 50.0), "ggplot", ".jpg", 100),
        # JPEG washes the thin salmon line out and mixes it with the teal one where they
        # run close: the grey mix, along both curves, is their crossings, not an arm
        ("gbsg2", (0.0, 500.0, 1000.0, 1500.0, 2000.0, 2500.0, 3000.0), "ggplot", ".jpg", 100),
    ],
)
def test_real_arms_beside_an_annotation_box_are_found(
    tmp_path, no_ocr, dataset, ticks, style, suffix, dpi
):
    data = real_datasets()[dataset]
    truth = [TrueArm(str(label), *data.arm(label)) for label in data.arms]
    spec = FigureSpec(style=style, ticks=ticks, x_max=ticks[-1], notes=BOX_BOTTOM_LEFT)
    path = render_km_figure(truth, spec, tmp_path / f"km{suffix}", dpi=dpi, jpeg_quality=70)
    result = mmsurv.digitize(path, x_axis=(0, ticks[-1]), y_axis=(0, 1), arms=2)
    assert max(mean_errors(result, truth)) <= 0.02


def test_a_black_curve_that_ends_early_is_not_traced_along_a_black_box(tmp_path, no_ocr):
    """The box at the top right, beyond where the black arm ends (every patient has an
    event by 20 months): the path through the black pixels that covers the most line
    would run along the box's edge instead of down the curve; a frame is no curve's."""
    drug, control = trial()
    short = TrueArm("Drug", np.minimum(drug.time, 20.0), np.ones_like(drug.event))
    truth = [short, control]
    colours = ("#000000", "#E41A1C")
    spec = FigureSpec(style="base", ticks=TICKS, x_max=50.0, colours=colours, notes=BOX_TOP_RIGHT)
    path = render_km_figure(truth, spec, tmp_path / "km.png", dpi=150)
    result = mmsurv.digitize(path, x_axis=(0, 50), y_axis=(0, 1), arms=2)
    assert max(mean_errors(result, truth)) <= 0.006


def test_own_figure_annotation_box_without_ocr(tmp_path, no_ocr):
    """mmsurv's own figure (an HR annotation box in black at the top right): two curves,
    not the box's text, with or without the number of arms."""
    path = tmp_path / "figure.png"
    rossi_figure(path)
    for arms in (None, 2):
        read = mmsurv.digitize(path, x_axis=(0, 56), y_axis=(0, 1), arms=arms)
        assert sorted(a.colour for a in read.arms) == ["#0072b2", "#d55e00"]
