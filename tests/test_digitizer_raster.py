"""Digitizing Kaplan-Meier images (PNG, JPEG): traced from the pixels with the axis
values given, scored against the true curves of the patients drawn. (Reading the tick
labels, legend and at-risk table by OCR: test_digitizer_ocr.py.)"""

from __future__ import annotations

import numpy as np
import pytest
import yaml
from digitize_harness import CASES, digitize_accuracy_table
from digitize_trials import TICKS, mean_errors, trial
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from km_figures import FigureSpec, TrueArm, render_km_figure

import mmsurv
from mmsurv.cli import main
from mmsurv.digitizer._fills import FILL_SHARE, Beside, under_fill
from mmsurv.digitizer._raster import (
    PALER,
    STRONG,
    TINT,
    _crossings,
    _curve_weight,
    _dark_lines,
    _grid,
    _grid_step,
    _hues,
    _mix,
    _near,
    _overlap_of,
    _paler,
    _reach,
    _spanned,
    _starts_with,
)
from mmsurv.km import km_curve
from mmsurv.validation import real_datasets


@pytest.mark.parametrize(
    ("style", "suffix", "dpi", "bar"),
    [
        ("ggplot", ".png", 150, 0.005),
        ("lifelines", ".png", 100, 0.006),
        ("ggplot", ".jpg", 100, 0.008),
    ],
)
def test_images_are_traced_close_to_the_truth(tmp_path, style, suffix, dpi, bar):
    arms = trial()
    spec = FigureSpec(style=style, ticks=TICKS, x_max=50.0)
    path = render_km_figure(arms, spec, tmp_path / f"km{suffix}", dpi=dpi, jpeg_quality=70)
    result = mmsurv.digitize(path, x_axis=(0, 50), y_axis=(0, 1), arms=2)
    assert result.kind == "raster" and len(result.arms) == 2
    errors = mean_errors(result, arms)
    assert max(errors) <= bar, errors
    assert result.calibration.x.source == "--x-axis at the end tick marks"


@pytest.mark.xfail(
    strict=True,
    reason="measured: median distance of the read vertices from the nearest true curve "
    "0.0076 and 0.0069 (bar 0.005) since the monotone-path tracer; the curves' mean |ΔS| "
    "is within the bars (validation/results/digitize_accuracy.md)",
)
def test_truncated_survival_axis(tmp_path):
    arms = trial(seed=5)
    spec = FigureSpec(style="ggplot", ticks=TICKS, x_max=50.0, y_min=0.2)
    path = render_km_figure(arms, spec, tmp_path / "km.png")
    result = mmsurv.digitize(path, x_axis=(0, 50), y_axis=(0.2, 1), arms=2)
    truths = [km_curve(a.time, a.event) for a in arms]
    for got in result.arms:
        assert got.curve["survival"].min() >= 0.2 - 0.01
        # every read point sits on one of the true curves (within a pixel or two)
        t, s = got.curve["time"].to_numpy(), got.curve["survival"].to_numpy()
        gaps = [
            np.median(np.abs(s - tt_s[np.searchsorted(tt, t, side="right") - 1]))
            for tt, tt_s in truths
        ]
        assert min(gaps) <= 0.005


def test_images_need_the_axis_values_without_ocr(tmp_path, no_ocr):
    path = render_km_figure(trial(), FigureSpec(ticks=TICKS, x_max=50.0), tmp_path / "km.png")
    with pytest.raises(
        mmsurv.InputError,
        match=r"^.*km\.png: x_axis: tick labels of an image are read by OCR, which is not "
        r'installed: install it \(pip install "mmsurv\[ocr\]"\) or give the values of the '
        r"first and last tick marks with --x-axis START END and --y-axis START END$",
    ):
        mmsurv.digitize(path)
    # one axis given is not enough
    with pytest.raises(mmsurv.InputError, match=r"km\.png: y_axis: tick labels of an image"):
        mmsurv.digitize(path, x_axis=(0, 50))


def test_too_many_arms_asked_for(tmp_path):
    spec = FigureSpec(style="lifelines", ticks=TICKS, x_max=50.0)
    path = render_km_figure(trial(), spec, tmp_path / "km.png")
    with pytest.raises(mmsurv.InputError, match="2 curve colours found, 3 asked for"):
        mmsurv.digitize(path, x_axis=(0, 50), y_axis=(0, 1), arms=3)


def test_cli_on_an_image_with_sizes(tmp_path, capsys, no_ocr):
    spec = FigureSpec(style="ggplot", ticks=TICKS, x_max=50.0)
    path = render_km_figure(trial(), spec, tmp_path / "km.png")
    out = tmp_path / "study"
    argv = ["digitize", str(path), "-o", str(out), "--x-axis", "0", "50", "--y-axis", "0", "1"]
    assert main([*argv, "--arms", "2", "--n", "60", "60"]) == 0
    assert "no OCR" in capsys.readouterr().err
    data = yaml.safe_load((out / "study.yaml").read_text())
    assert [a["n"] for a in data["arms"]] == [60, 60]
    assert main(["reconstruct", str(out / "study.yaml"), "-o", str(tmp_path / "ipd.csv")]) == 0


def test_one_black_curve_found_says_how_to_read_two(tmp_path, no_ocr):
    """A black-and-white figure read without --arms and without a table: one curve, and
    a warning that two arms in one colour are read with --arms 2, which reads both."""
    spec = FigureSpec(style="base", ticks=TICKS, x_max=50.0)
    path = render_km_figure(trial(), spec, tmp_path / "km.png")
    one = mmsurv.digitize(path, x_axis=(0, 50), y_axis=(0, 1))
    assert len(one.arms) == 1
    assert any("read with --arms 2" in w for w in one.warnings)
    two = mmsurv.digitize(path, x_axis=(0, 50), y_axis=(0, 1), arms=2)
    assert len(two.arms) == 2 and not any("read with --arms 2" in w for w in two.warnings)
    assert max(mean_errors(two, trial())) <= 0.01


def test_two_solid_arms_of_one_colour_are_read_but_not_named(tmp_path, no_ocr):
    """Both arms solid black: both curves are read, and the warning says which is which
    was not told."""
    spec = FigureSpec(style="ggplot", ticks=TICKS, x_max=50.0, colours=("#000000", "#000000"))
    path = render_km_figure(trial(), spec, tmp_path / "km.png")
    result = mmsurv.digitize(path, x_axis=(0, 50), y_axis=(0, 1), arms=2)
    assert len(result.arms) == 2 and max(mean_errors(result, trial())) <= 0.01
    assert any(
        "which is solid and which dashed or dotted was not told" in w for w in result.warnings
    )


def test_black_arms_told_apart_by_line_type():
    """Base R's black arms, solid and dashed, on real data: both found, within the
    issue's worst bar, each closer to its true curve than the plain column trace."""
    datasets = {k: v for k, v in real_datasets().items() if k in ("rossi", "waltons")}
    cases = tuple(c for c in CASES if c.name in ("png150-base", "jpeg100-base"))
    table = digitize_accuracy_table(datasets, cases)
    assert len(table) == 8 and table["found"].all()
    assert table["mean_abs_dS"].max() <= 0.02
    assert (table["mean_abs_dS"] < table["baseline_mean_abs_dS"]).all()


def test_a_dotted_arm_with_marks_down_its_slope_is_found():
    """Base R's black arms, solid and dotted, of the dd data: the dotted arm's censor
    marks follow its slope close together, and were taken, with every dot among them,
    for a row of text, so the pair was refused. Both arms are found, within the issue's
    worst bar, each closer to its true curve than the plain column trace."""
    datasets = {k: v for k, v in real_datasets().items() if k == "dd"}
    table = digitize_accuracy_table(datasets, tuple(c for c in CASES if c.name == "dotted150-base"))
    assert len(table) == 2 and table["found"].all()
    assert table["mean_abs_dS"].max() <= 0.02
    assert (table["mean_abs_dS"] < table["baseline_mean_abs_dS"]).all()


def test_accuracy_bars_on_real_data():
    """The issue's targets on two real data sets: every arm found; 150-dpi images with
    the axis ranges given: median mean |ΔS| <= 0.003, worst <= 0.02; vector input:
    levels within 1e-4, every drop and censor mark found, every at-risk row read
    exactly. (Every case, 72-dpi and JPEG included, is measured by
    validation/digitize_accuracy.py.)"""
    datasets = {k: v for k, v in real_datasets().items() if k in ("rossi", "waltons")}
    names = ("pdf-base", "svg-ggplot", "png150-ggplot", "png150-base-colour", "thick150-lifelines")
    table = digitize_accuracy_table(datasets, tuple(c for c in CASES if c.name in names))
    assert table["found"].all()
    images = table[~table["vector"]]
    assert images["mean_abs_dS"].median() <= 0.003
    assert images["mean_abs_dS"].max() <= 0.02
    vector = table[table["vector"]]
    assert vector["max_level_err"].max() <= 1e-4
    assert vector["drops_found"].min() == 1.0 and vector["marks_found"].min() == 1.0
    assert vector["table_exact"].all() and vector["n_exact"].all()


def test_image_censor_marks_go_to_the_study_folder(tmp_path):
    """Censor marks read off an image are each arm's censor_times, a CSV next to its
    curve, which the study file names and the reconstruction reads."""
    arms = trial()
    spec = FigureSpec(style="ggplot", ticks=TICKS, x_max=50.0)
    path = render_km_figure(arms, spec, tmp_path / "km.png")
    result = mmsurv.digitize(path, x_axis=(0, 50), y_axis=(0, 1), arms=2)
    assert all(len(a.censored) > 0 for a in result.arms)
    written = result.save(tmp_path / "study", n={a.id: 60 for a in result.arms})
    data = yaml.safe_load(written.read_text())
    for arm in result.arms:
        entry = data["endpoints"]["survival"]["arms"][arm.id]
        assert entry["censor_times"] == f"{arm.id}-censor-marks.csv"
    study = mmsurv.load_study(written)
    for arm in result.arms:
        res = study.endpoint("survival").arms[arm.id]
        assert res.censor_times == tuple(sorted(arm.censored))
    true_marks = np.unique(np.concatenate([a.time[a.event == 0] for a in arms]))
    read = np.concatenate([a.censored for a in result.arms])
    near = np.min(np.abs(read[:, None] - true_marks[None, :]), axis=1)
    assert np.mean(near <= 0.005 * 50) >= 0.9, near


def test_a_frame_line_anti_aliased_over_two_pixels_is_a_line():
    """ggplot's ``theme_bw`` border (0.5 mm of dark grey) falls between two pixel
    columns at luminance 0.52 and 0.59: each lighter than :data:`DARK`, together a dark
    line. A shade as dark (a confidence band) is no line: it is as dark beyond."""
    lum = np.ones((40, 60))
    lum[:, 10], lum[:, 11] = 0.52, 0.59  # a vertical line between two columns
    lum[5, :], lum[6, :] = 0.55, 0.6  # a horizontal one between two rows
    lum[20:30, 30:50] = 0.6  # a band
    dark = _dark_lines(lum)
    lines = np.zeros_like(dark)
    lines[:, 10:12] = lines[5:7, :] = True
    lines[5:7, 10:12] = False  # where they cross, neither is a thin line: left open
    assert dark[lines].all()
    assert not dark[~lines & (lum > 0.5)].any()


@settings(max_examples=80, deadline=None)
@given(
    shade=st.floats(0.5, 0.95),
    top=st.integers(0, 30),
    left=st.integers(0, 50),
    height=st.integers(3, 9),
    width=st.integers(3, 9),
    ink=st.floats(0.75, 1.0),
    share=st.floats(0.5, 1.0),
)
def test_dark_lines_property(shade, top, left, height, width, ink, share):
    """Property: a shade lighter than :data:`DARK` and at least three pixels across is
    never an axis line, whatever its size and grey; a dark line (ink 0.75-1) falling
    between two pixel columns, its ink shared between them in any proportion, is one,
    and nothing beside it is."""
    lum = np.ones((40, 60))
    lum[top : top + height, left : left + width] = shade
    assert not _dark_lines(lum).any()
    lum = np.ones((40, 60))
    lum[:, 20], lum[:, 21] = 1.0 - ink * share, 1.0 - ink * (1.0 - share)
    dark = _dark_lines(lum)
    assert dark[:, 20].all()
    assert dark[:, 21].all() == (lum[0, 21] < 1.0)
    assert not dark[:, :20].any() and not dark[:, 22:].any()


@settings(max_examples=60, deadline=None)
@given(
    share=st.floats(0.2, 0.8),
    colour=st.sampled_from([(0.12, 0.47, 0.71), (0.84, 0.15, 0.16), (0.0, 0.0, 0.0)]),
    background=st.sampled_from([(1.0, 1.0, 1.0), (0.92, 0.92, 0.92)]),
)
def test_a_thin_line_between_two_pixel_rows_is_the_curves(share, colour, background):
    """Property: a one-pixel line drawn between two rows is two rows of blends of its
    colour with the background, neither near the colour: each counts as the curve's by
    its share of the colour; beside a line in its full colour a blend adds nothing (the
    line is not thickened); a blend with another curve's colour is no one's, nor one
    within two pixels of text (the grey edges of black glyphs are blends too)."""
    c, bg = np.array(colour), np.array(background)
    inner = np.broadcast_to(bg, (40, 30, 3)).copy()
    inner[10, :10] = share * c + (1 - share) * bg  # the thin flat, split over rows 10-11
    inner[11, :10] = (1 - share) * c + share * bg
    inner[25, 10:20] = c  # a flat in full colour, anti-aliased above
    inner[24, 10:20] = 0.3 * c + 0.7 * bg
    other = np.array([0.17, 0.63, 0.17])
    inner[5, 20:] = 0.5 * other + 0.5 * bg  # another curve's blend
    nothing = np.zeros((40, 30), dtype=bool)
    weight = _curve_weight(inner, c, bg, nothing, nothing, Beside.of(inner, bg, STRONG))
    assert weight[10, :10] == pytest.approx(np.full(10, share), abs=1e-9)
    assert weight[11, :10] == pytest.approx(np.full(10, 1 - share), abs=1e-9)
    assert (weight[25, 10:20] == 1.0).all() and (weight[24, 10:20] == 0.0).all()
    assert (weight[5, 20:] == 0.0).all()
    text = nothing.copy()
    text[12, 0] = True  # a glyph's pixel: blends within two pixels of it are not counted
    near_text = _curve_weight(inner, c, bg, nothing, text, Beside.of(inner, bg, STRONG))
    assert (near_text[10:12, :3] < weight[10:12, :3]).all()
    assert (near_text[10:12, 3:] == weight[10:12, 3:]).all()


@given(
    darker=st.floats(1.1, 1.6),
    wash=st.floats(0.35, 0.6),
    grey_edge=st.floats(0.38, 0.46),
)
def test_a_jpeg_thin_coloured_line_keeps_its_grey_core(darker, wash, grey_edge):
    """Property: JPEG leaves a one-pixel coloured line a row darker and greyer than its
    colour (beyond it from the background) between two rows of its washes: that row is
    the curve's in full. A grey as far beyond (a black line's anti-aliased edge, between
    grey washes) is not, nor is the same row without the washes beside it."""
    bg = np.ones(3)
    c = np.array([134, 166, 191]) / 255  # the colour found for R's blue arm in a JPEG
    inner = np.broadcast_to(bg, (30, 40, 3)).copy()
    inner[10, :20] = bg + darker * (c - bg)  # the core, greyer than the colour
    inner[10, :20] += np.array([0.06, 0.0, -0.06])  # less blue than the colour itself
    inner[9, :20] = inner[11, :20] = bg + wash * (c - bg)
    inner[20, 20:] = bg + darker * (c - bg)  # the same core without washes beside it
    grey = np.full(3, 1.0 - grey_edge)  # a black line's grey edge, grey washes beside
    inner[25, :20] = grey
    inner[24, :20] = inner[26, :20] = np.full(3, 0.9)
    nothing = np.zeros(inner.shape[:2], dtype=bool)
    weight = _curve_weight(inner, c, bg, nothing, nothing, Beside.of(inner, bg, STRONG))
    assert (weight[10, :20] == 1.0).all()
    # the others keep what their distance from the colour gives them, short of full
    assert (weight[20, 20:] < 1.0).all()
    assert (weight[25, :20] < 1.0).all()


def _thin_jpeg(tmp_path, colours: tuple[str, str], quality: int):
    """Base R style (the second arm dashed), lines of 0.7 pt in a 100-dpi JPEG."""
    spec = FigureSpec(
        style="base", ticks=TICKS, x_max=50.0, at_risk=False, line_width=0.7, colours=colours
    )
    return render_km_figure(trial(), spec, tmp_path / "km.jpg", dpi=100, jpeg_quality=quality)


@pytest.mark.parametrize("quality", [50, 75])
def test_thin_coloured_lines_in_a_jpeg_are_both_found(tmp_path, no_ocr, quality):
    """JPEG shares a thin line's colour with the white around it: the dark cores of the
    blue and the red arm are greyish and near one another in RGB (within the distance
    one colour's pixels are gathered by), but keep their hues. Without ``--arms`` both
    arms are found (one was), each within the image targets."""
    path = _thin_jpeg(tmp_path, ("#1f77b4", "#d62728"), quality)
    result = mmsurv.digitize(path, x_axis=(0, 50), y_axis=(0, 1))
    assert len(result.arms) == 2
    assert max(mean_errors(result, trial())) <= 0.02


@pytest.mark.parametrize("arms", [None, 2])
def test_thin_green_and_purple_lines_in_a_poor_jpeg(tmp_path, no_ocr, arms):
    """At JPEG quality 50 the thin purple (dashed) arm's core is grey, and the grey
    colours gather the green arm's pixels too: the purple arm was judged a variant of
    the green one, read 0.10 off with ``--arms 2`` and not found without. Both are found
    and read within 0.01 now."""
    path = _thin_jpeg(tmp_path, ("#2ca02c", "#9467bd"), 50)
    result = mmsurv.digitize(path, x_axis=(0, 50), y_axis=(0, 1), arms=arms)
    assert len(result.arms) == 2
    assert max(mean_errors(result, trial())) <= 0.01


_HUED = st.tuples(*[st.floats(0.0, 0.8)] * 3).filter(lambda c: max(c) - min(c) >= 0.3)


@settings(max_examples=150, deadline=None)
@given(line=_HUED, share=st.floats(0.05, 0.95), grey=st.floats(0.0, 0.8))
def test_a_pale_wash_of_a_line_is_told(line, share, grey):
    """Property: ``line`` mixed with a white background at ``share`` of it is a pale
    wash of it exactly when the share is under :data:`PALER` and the wash keeps a hue
    (its RGB values spread by :data:`TINT`); a grey is no wash of a coloured line, nor
    a coloured line one of a grey."""
    white = np.ones(3)
    colour = np.asarray(line)
    wash = white + share * (colour - white)
    spread = share * (colour.max() - colour.min())
    assume(abs(share - PALER) > 1e-9 and abs(spread - TINT) > 1e-9)
    assert _paler(wash, colour, white) == (share < PALER and spread >= TINT)
    assert not _paler(np.full(3, grey), colour, white)
    assert not _paler(wash, np.full(3, grey), white)


def test_a_coloured_curve_reaches_only_pixels_of_its_hue():
    """A variant's pixels add to a coloured curve's reach only where of its hue: greys
    (a JPEG's greyed cores of any curve) and other hues do not; a grey curve takes all."""
    pixels = np.array([[[0.3, 0.4, 0.7], [0.5, 0.5, 0.5], [0.7, 0.3, 0.3], [0.55, 0.6, 0.8]]])
    hues = _hues(pixels, TINT)
    every = np.ones((1, 4), dtype=bool)
    blue = np.array([0.2, 0.4, 0.8])
    assert _reach(every, hues, blue).tolist() == [[True, False, False, True]]
    assert _reach(every, hues, np.full(3, 0.3)).all()


@pytest.mark.parametrize("seed", [3, 4])
def test_thin_lines_over_bands_of_their_own_colour(tmp_path, no_ocr, seed):
    """lifelines shades each arm's confidence band in the line's colour, translucent; in
    a 100-dpi JPEG a 0.7-pt line is one pixel, fewer than its band's and greyed by the
    compression. Each arm is read in its line's colour, not its band's: with seed 3 the
    blue arm was traced in its band's colour, 0.068 off (seed 4: an earlier attempt
    gave both arms the red line's colour)."""
    spec = FigureSpec(style="lifelines", ticks=TICKS, x_max=50.0, at_risk=False, line_width=0.7)
    arms = trial(seed)
    path = render_km_figure(arms, spec, tmp_path / "km.jpg", dpi=100, jpeg_quality=60)
    result = mmsurv.digitize(path, x_axis=(0, 50), y_axis=(0, 1), arms=2)
    assert max(mean_errors(result, arms)) <= 0.01
    colours = [
        np.array([int(a.colour[k : k + 2], 16) / 255 for k in (1, 3, 5)]) for a in result.arms
    ]
    # the lines' own colours, far from white (the bands' are about 0.5 from it), of
    # two hues (a red and a blue, not one of them twice)
    assert all(np.linalg.norm(c - 1.0) > 0.9 for c in colours)
    assert np.linalg.norm(colours[0] - colours[1]) > 0.2


def test_thin_jpeg_lines_on_real_data():
    """Thin lines (0.7 pt) in 100-dpi JPEGs of two real data sets: every arm found and
    within 0.01 in mean |ΔS|. Before, larynx's base R figure was refused (its red arm's
    grey JPEG core taken for the blue one's wash) and rossi's lifelines arms were
    traced along their bands' colour, 0.030 and 0.033 off. With text in the plot, the
    dark edges of a few glyphs beside the bands are no line's colour: taking them for
    the bands' read rossi's blue arm 0.79 off."""
    datasets = {k: v for k, v in real_datasets().items() if k in ("rossi", "larynx")}
    names = ("thinjpeg100-base-colour", "thinjpeg100-lifelines", "text100-lifelines")
    table = digitize_accuracy_table(datasets, tuple(c for c in CASES if c.name in names))
    assert len(table) == 12 and table["found"].all()
    assert table["mean_abs_dS"].max() <= 0.01


def test_a_curve_seen_through_the_other_arms_band_is_its_own_colour():
    """Where lifelines' bands cover most of a curve, the curve's mix with the other
    arm's band (a pink grey: red, blue and the white background) is found before the
    curve's red, which is then judged a variant of it: kidney transplant's female arm
    was traced in that mix, 0.019 off in mean |ΔS| at 100 dpi (0.021 with the legend left
    of the plot). The mix is a washed overlap of the two; a purple of its own (red and
    blue, no white) and a pale wash of the red alone are not, nor a washed colour that a
    dark grey or a JPEG's reddish black (text beside the bands, no hue to speak of)
    mixes with the red: taken for their overlap, gbsg2's and lymph_node's lifelines
    figures lost an arm to the grey, and a ggplot JPEG one to the black (0.10-0.32
    off)."""
    red, blue = np.array([0.84, 0.15, 0.16]), np.array([0.12, 0.47, 0.71])
    white = np.ones(3)
    pink_grey = 0.3 * red + 0.18 * blue + 0.52 * white
    assert _overlap_of(pink_grey, red, [blue], white)
    assert not _overlap_of(0.55 * red + 0.45 * blue, red, [blue], white)
    assert not _overlap_of(0.4 * red + 0.6 * white, red, [blue], white)
    # a dark grey (text beside the bands) is as much a mix with the red and the white
    for dark in (np.full(3, 0.27), np.array([0.07, 0.01, 0.02])):
        assert not _overlap_of(0.26 * dark + 0.12 * red + 0.62 * white, dark, [red], white)
    datasets = {k: v for k, v in real_datasets().items() if k == "kidney_transplant"}
    names = ("png100-lifelines", "legendleft100-lifelines")
    table = digitize_accuracy_table(datasets, tuple(c for c in CASES if c.name in names))
    assert len(table) == 4 and table["found"].all()
    assert table["mean_abs_dS"].max() <= 0.005


def _banded_panel_figure(path, arms: list[TrueArm], style: str = "ggplot", dpi: int = 100) -> None:
    """Arms drawn by lifelines with their confidence bands in a matplotlib style
    (``ggplot``: a grey panel, no axis lines), as a Python user saves a figure."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from lifelines import KaplanMeierFitter

    with plt.style.context(style):
        fig, ax = plt.subplots(figsize=(6, 4))
        for arm in arms:
            fitter = KaplanMeierFitter().fit(arm.time, arm.event, label=arm.label)
            fitter.plot_survival_function(ax=ax, ci_show=True)
        ax.set_xlim(0, 50)
        ax.set_ylim(0, 1)
        fig.savefig(path, dpi=dpi)
        plt.close(fig)


def _three_arms(seed: int) -> list[TrueArm]:
    """Three arms of 80 patients, exponential event times (means 12, 30 and 90
    months) rounded to 0.1, uniform censoring over 10-50 months."""
    rng = np.random.default_rng(seed)
    arms = []
    for label, scale in (("Short", 12.0), ("Middle", 30.0), ("Long", 90.0)):
        event_time = np.round(rng.exponential(scale, 80), 1) + 0.1
        censor = np.round(rng.uniform(10, 50, 80), 1)
        time = np.minimum(event_time, censor)
        arms.append(TrueArm(label, time, (event_time <= censor).astype(int)))
    return arms


@pytest.mark.parametrize("suffix, dpi", [("png", 100), ("jpg", 100), ("png", 150), ("png", 300)])
def test_a_panel_mostly_under_bands_is_the_plot(tmp_path, no_ocr, suffix, dpi):
    """Three arms' bands cover most of the lower half of a ggplot-style panel, leaving
    too little of its grey in those rows for them to count as the panel's: the plot was
    taken to end halfway down (every time read negative). The panel is the rows drawn
    on around it, across the white rows of its grid lines (at 150 and 300 dpi they are
    two pixels or more: the plot ended at the first)."""
    arms = _three_arms(1)
    path = tmp_path / f"km.{suffix}"
    _banded_panel_figure(path, arms, dpi=dpi)
    result = mmsurv.digitize(path, x_axis=(0, 50), y_axis=(0, 1), arms=3)
    assert len(result.arms) == 3
    assert result.calibration.frame[3] > 3 * dpi  # the panel's bottom, at survival 0
    assert max(mean_errors(result, arms)) <= 0.01


@pytest.mark.xfail(
    strict=True,
    reason="measured: in the JPEG of trial 3 the long arm's band, where it overlaps the "
    "middle arm's, is traced instead of its line (0.116; the PNG reads it within 0.003); "
    "at 72 dpi the long arm's colour is read as a curve between two confidence limits, "
    "its band's edges (0.26)",
)
@pytest.mark.parametrize("seed, suffix, dpi", [(3, "jpg", 100), (1, "png", 72)])
def test_lines_among_bands_still_misread(tmp_path, no_ocr, seed, suffix, dpi):
    arms = _three_arms(seed)
    path = tmp_path / f"km.{suffix}"
    _banded_panel_figure(path, arms, dpi=dpi)
    result = mmsurv.digitize(path, x_axis=(0, 50), y_axis=(0, 1), arms=3)
    assert max(mean_errors(result, arms)) <= 0.02


@pytest.mark.parametrize(
    "suffix, dpi", [("png", 100), ("jpg", 100), ("png", 72), ("png", 150), ("png", 300)]
)
def test_a_light_grey_box_and_grid_without_tick_marks(tmp_path, no_ocr, suffix, dpi):
    """seaborn's ``whitegrid``: a light grey box and grid on white, no tick marks. The
    figure was refused (no plot frame found); the frame is now the box of light grey
    lines, and the axes are calibrated on the grid lines, the frame's edges among them
    where they continue the grid's spacing (the grid lines at 0 and 50 lie under the
    box's lines). A panel is grey: at 72, 150 and 300 dpi a band's light colour covers
    a tenth of the image and was taken for a ggplot-like panel."""
    arms = _three_arms(1)
    path = tmp_path / f"km.{suffix}"
    _banded_panel_figure(path, arms, style="seaborn-v0_8-whitegrid", dpi=dpi)
    result = mmsurv.digitize(path, x_axis=(0, 50), y_axis=(0, 1), arms=3)
    x0, y0, x1, y1 = result.calibration.frame
    # the ends of each axis on the frame's lines, within 0.3% of the axis (at 300 dpi
    # the frame's line is 5 pixels wide, and its inner edge is read as a grid line)
    assert result.calibration.x.positions == pytest.approx((x0, x1), abs=0.003 * (x1 - x0))
    assert result.calibration.y.positions == pytest.approx((y1, y0), abs=0.003 * (y1 - y0))
    assert max(mean_errors(result, arms)) <= 0.01


def test_tick_labels_are_not_tick_marks(tmp_path, no_ocr):
    """matplotlib's ``bmh`` style draws no tick mark at the survival axis's ends: the
    strokes of its labels ("0.0" ... "1.0") were taken for tick marks, and the axis
    calibrated 2 pixels off at either end. Strokes that are not evenly spaced are no
    tick marks; the grid lines and the frame's edges calibrate the axis."""
    arms = _three_arms(1)
    path = tmp_path / "km.png"
    _banded_panel_figure(path, arms, style="bmh")
    result = mmsurv.digitize(path, x_axis=(0, 50), y_axis=(0, 1), arms=3)
    _, y0, _, y1 = result.calibration.frame
    assert result.calibration.y.positions == pytest.approx((y1, y0), abs=1.0)
    assert max(mean_errors(result, arms)) <= 0.01


@settings(max_examples=150, deadline=None)
@given(
    start=st.floats(0.0, 50.0),
    step=st.floats(10.0, 80.0),
    count=st.integers(2, 8),
    missing=st.sets(st.integers(1, 6), max_size=2),
    jitter=st.floats(-0.5, 0.5),
)
def test_evenly_spaced_lines_give_their_step(start, step, count, missing, jitter):
    """Property: evenly spaced lines (within half a pixel) give their spacing, with some
    inner ones missing when that is allowed, and otherwise only when the lines seen are
    still evenly spaced; a line moved by a third of the step breaks the spacing."""
    keep = [k for k in range(count + 1) if k in (0, count) or k not in missing]
    lines = start + step * np.array(keep, dtype=float)
    lines[-1] += jitter
    assert _grid_step(lines) is not None
    assert _grid_step(lines) == pytest.approx(step * min(np.diff(keep)), abs=1.0)
    even = len(set(np.diff(keep).tolist())) == 1
    assert (_grid_step(lines, missing=False) is not None) == even
    moved = lines.copy()
    moved[0] += step / 3
    if len(keep) >= 3:
        assert _grid_step(moved, missing=False) is None


@settings(max_examples=100, deadline=None)
@given(
    top=st.integers(2, 20),
    height=st.integers(200, 300),
    covered=st.integers(0, 150),
    shade=st.floats(0.2, 0.9),
    grid=st.tuples(st.floats(0.1, 0.9), st.integers(1, 3)),
    apart=st.integers(10, 40),
)
def test_a_panel_run_grows_over_rows_drawn_on(top, height, covered, shade, grid, apart):
    """Property: rows of a panel drawn over by a band of any shade across most of their
    width join the panel's run around them, across the white rows of a grid line; the
    blank rows below the panel (more than 1% of the image), and a panel of its own
    under them, do not."""
    rgb = np.ones((height + apart + 200, 50, 3))  # a grid line is under 1% of it
    rgb[top : top + height, 5:45] = 0.9  # the panel
    rgb[top + height - covered : top + height, 8:44] = shade  # a band over its bottom rows
    where, thick = grid
    row = top + int(where * height)
    rgb[row : row + thick, 5:45] = 1.0  # a white grid line
    table = top + height + apart
    rgb[table : table + 20, 5:45] = 0.9  # a table's panel, apart
    seed = np.arange(top, max(top + height - covered, top + 1))
    run = _spanned(rgb, seed, np.arange(5, 45), axis=1)
    assert run[0] == top and run[-1] == top + height - 1


@settings(max_examples=80, deadline=None)
@given(
    first=st.tuples(*[st.floats(0.0, 0.9)] * 3),
    second=st.tuples(*[st.floats(0.0, 0.9)] * 3),
    weights=st.tuples(*[st.floats(0.0, 1.0)] * 3).filter(lambda w: sum(w) > 0.1),
)
def test_a_mix_of_curve_colours_is_told_from_a_colour_of_its_own(first, second, weights):
    """Property: any weighted average of two curves' colours and the background is a mix
    of them; the same colour moved 0.1 off their plane (no average of them reaches it) is
    not."""
    background = np.ones(3)
    lines = [np.array(first), np.array(second)]
    normal = np.cross(lines[0] - background, lines[1] - background)
    w = np.array(weights) / sum(weights)
    colour = w[0] * lines[0] + w[1] * lines[1] + w[2] * background
    assert _mix(colour, lines, background)
    if np.linalg.norm(normal) > 0.05:
        assert not _mix(colour + 0.1 * normal / np.linalg.norm(normal), lines, background)


def test_crossings_are_where_two_curves_run_close():
    """A colour mixed from a red and a blue curve is their crossings where its pixels lie
    where the two run within a few pixels of each other; a grey curve of that colour
    running along one of them alone is a curve."""
    background = np.ones(3)
    red, blue = np.array([0.84, 0.15, 0.16]), np.array([0.12, 0.47, 0.71])
    grey = 0.3 * red + 0.4 * blue + 0.3 * background
    shape = (60, 100)
    red_line, blue_line = np.zeros(shape, bool), np.zeros(shape, bool)
    red_line[20, :], blue_line[23, :60], blue_line[45, 60:] = True, True, True
    found = [(red, 1.0, _near(red_line)), (blue, 0.6, _near(blue_line))]
    between = np.zeros(shape, bool)
    between[21:23, 10:50] = True  # where the red and the blue run 3 pixels apart
    assert _crossings(grey, between, found, background)
    alone = np.zeros(shape, bool)
    alone[46, 60:] = True  # along the blue alone, where the red is far
    assert not _crossings(grey, alone, found, background)
    elsewhere = np.zeros(shape, bool)
    elsewhere[35, :] = True  # a path of its own
    assert not _crossings(grey, elsewhere, found, background)


def test_a_grey_arm_along_a_blue_one_is_not_their_mix(tmp_path):
    """A dotted grey arm running over a dashed blue one (same distribution) in a JPEG:
    its colour is close to a mix of the red and the blue, but its pixels lie along the
    blue alone, not where two curves meet: it is found, with the other two, without
    ``--arms``."""
    arms = [
        *trial(seed=4),
        TrueArm("Other", trial(seed=104)[0].time * 0.6, trial(seed=104)[0].event),
    ]
    spec = FigureSpec(
        style="base",
        ticks=TICKS,
        x_max=50.0,
        at_risk=False,
        line_width=2.0,
        colours=("#d62728", "#1f77b4", "#7f7f7f"),
    )
    path = render_km_figure(arms, spec, tmp_path / "km.jpg", dpi=100, jpeg_quality=60)
    result = mmsurv.digitize(path, x_axis=(0, 50), y_axis=(0, 1))
    assert len(result.arms) == 3
    assert max(mean_errors(result, arms)) <= 0.02


@settings(max_examples=60, deadline=None)
@given(
    opacity=st.floats(0.1, 0.45),
    own=st.booleans(),
    colour=st.sampled_from([(0.91, 0.72, 0.0), (0.18, 0.62, 0.87), (0.84, 0.15, 0.16)]),
    fill=st.sampled_from([(0.18, 0.62, 0.87), (0.91, 0.72, 0.0), (0.5, 0.5, 0.5)]),
)
def test_a_curve_under_a_translucent_band_is_the_curves(opacity, own, colour, fill):
    """Property: a curve under another arm's translucent band (and, ``own``, its own band
    too, both of one opacity) keeps ``(1 - a)`` (or ``(1 - a)^2``) of its colour's
    difference from the fill beside it: it counts by that share where at least 0.35;
    the bands themselves, and the edges where they overlap, count for nothing."""
    c, f, bg = np.array(colour), np.array(fill), np.ones(3)

    def over(top, under):
        return opacity * top + (1 - opacity) * under

    inner = np.broadcast_to(bg, (60, 80, 3)).copy()
    inner[30:32, :] = c  # the curve, a flat two pixels thick
    if own:
        inner[20:45, :] = over(c, inner[20:45, :])  # its own band, under its line
        inner[30:32, :] = c
    inner[10:50, 40:] = over(f, inner[10:50, 40:])  # the other arm's band, over it
    weight = under_fill(Beside.of(inner, bg, STRONG), c, bg)
    kept = (1 - opacity) ** (1 + own)
    # (the differences are kept in single precision: no claim within 1e-4 of the bar)
    if kept >= FILL_SHARE + 1e-4:
        assert np.allclose(weight[30:32, 45:], kept, atol=1e-5)
    elif kept <= FILL_SHARE - 1e-4:
        assert not weight[30:32, 45:].any()
    lines = np.zeros(weight.shape, dtype=bool)
    lines[30:32, :] = True
    assert not weight[~lines].any()


def test_another_curve_beside_is_no_fill():
    """A black arm's line four pixels from a grey arm's: the black pixels are no grey
    under a fill (beyond the grey, and the grey beside them is a line, not an area), nor
    the grey ones black under a fill."""
    bg, grey, black = np.ones(3), np.full(3, 0.5), np.zeros(3)
    inner = np.broadcast_to(bg, (50, 60, 3)).copy()
    inner[22:24, :] = grey
    inner[26:28, :] = black
    beside = Beside.of(inner, bg, STRONG)
    assert not under_fill(beside, grey, bg).any()
    assert not under_fill(beside, black, bg).any()


@settings(max_examples=100, deadline=None)
@given(
    step=st.integers(30, 80),
    count=st.integers(3, 7),
    hidden=st.integers(0, 2),
    beyond=st.floats(0.1, 0.9),
)
def test_grid_lines_hidden_at_the_end_are_still_ticks(step, count, hidden, beyond):
    """Property: light grey grid lines every ``step`` rows on white, the last ``hidden``
    of them drawn over (by curves starting along survival 1 and a legend box) and the
    frame a fraction ``beyond`` of a step past the last: every grid line's row is found,
    hidden or not (the hidden one at survival 1 was missed, and --y-axis 0 1 was put on
    the line at 0.8: every survival read 0.2 high at the top)."""
    assume(count - hidden >= 2)  # two lines seen give the spacing
    top = 10
    lines = top + int(beyond * step) + step * np.arange(count)
    height = int(lines[-1]) + 5
    rgb = np.ones((height + 10, 300, 3))
    for row in lines[hidden:]:
        rgb[row, 11:289] = 0.8
    for row in lines[:hidden]:
        rgb[row, 11:289] = (0.2, 0.4, 0.8)  # a curve along it, no grey left
    frame = (10.0, float(top), 290.0, float(height))
    found = _grid(rgb, frame, "y", np.ones(3))
    inside = found[(found > top + 2) & (found < height - 2)]
    np.testing.assert_allclose(inside, lines, atol=1.0)


@pytest.mark.parametrize("case", ["mplggplot150-lifelines", "mplbmh150-lifelines"])
def test_style_sheet_figures_with_the_axes_given(no_ocr, case):
    """lifelines' bands in matplotlib's ggplot and bmh style sheets, the axes given.
    ggplot's: bands split the panel's columns, and its rows stopped growing at the
    legend box (the panel's top taken at the legend's bottom, survival 1 put at 0.8:
    leukemia 0.12 off). bmh's: the grid line at survival 1 lies under the curves and
    the legend, and --y-axis 0 1 was put on the line at 0.8 (rossi 0.22 off)."""
    datasets = {k: v for k, v in real_datasets().items() if k in ("rossi", "leukemia")}
    table = digitize_accuracy_table(datasets, tuple(c for c in CASES if c.name == case))
    assert len(table) == 4 and table["found"].all()
    assert table["mean_abs_dS"].max() <= 0.01, table[["dataset", "arm", "mean_abs_dS"]]


def test_a_narrower_colour_is_an_arm_when_it_starts_with_the_curves():
    """Every arm starts at 1 at time 0: a short curve that starts there (drawn over the
    long one) and falls is an arm gone early; a legend key, flat and apart, is not, nor
    a stroke that starts there and does not fall."""
    h, w = 200, 400
    long_curve = np.zeros((h, w), dtype=bool)
    long_curve[20:22, 30:150] = True  # at 1, under the short curve from column 10
    long_curve[60:62, 150:380] = True
    found = _near(long_curve)
    short = np.zeros((h, w), dtype=bool)
    short[20:22, 10:60] = True
    short[90:92, 60:100] = True
    assert _starts_with(_near(short), found)
    key = np.zeros((h, w), dtype=bool)
    key[150:152, 300:340] = True
    assert not _starts_with(_near(key), found)
    flat = np.zeros((h, w), dtype=bool)
    flat[20:22, 10:90] = True
    assert not _starts_with(_near(flat), found)
