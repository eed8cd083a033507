"""Text and box frames inside an image's plot are not taken for curves (issue 20): the
shape rules of ``_clutter`` on masks made by hand, and figures with annotation boxes,
median labels and p-values in the plot read with and without OCR."""

from __future__ import annotations

import numpy as np
import pytest
from digitize_harness import BOX_BOTTOM_LEFT, BOX_TOP_RIGHT
from digitize_trials import TICKS, mean_errors, rossi_figure, trial
from hypothesis import given, settings
from hypothesis import strategies as st
from km_figures import FigureSpec, Note, TrueArm, render_km_figure
from scipy import ndimage

import mmsurv
from mmsurv.digitizer._clutter import run_lengths, stroke, text_and_frames
from mmsurv.digitizer._shapes import Word

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


def test_dots_and_dashes_of_a_curve_are_not_glyphs():
    """A dotted or dashed curve is pieces in a row too, but each as tall as the stroke."""
    dotted = _staircase([30, 60, 100, 140]) & (np.arange(W) % 6 < 2)
    dashed = _staircase([20, 50, 80, 110]) & (np.arange(W) % 14 < 9)
    assert not clutter(dotted).any()
    assert not clutter(dashed).any()


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
