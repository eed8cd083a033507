"""The digitizer on figures R drew (``validation/r_figures.R``: base R, rms and survminer
in the styles papers use, PDF, SVG, PNG and JPEG, from real data sets of R's survival
package), scored by ``validation/r_figures.py``. R is not needed: the figures are
committed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "validation"))

import r_figures

import mmsurv
from mmsurv.digitizer import ocr_available

#: styles that print the numbers at risk
TABLED = ("base", "survminer", "ci", "mono", "rms", "survminer_ci", "survminer_pct")


@pytest.fixture(scope="module")
def vector():
    return r_figures.r_figures_table(formats=("pdf", "svg"))


#: the styles of the first set; the images of the later styles (``mono``, ``rms``,
#: ``survminer_pct``, base R at 300 and 72 dpi) are measured by ``validation/r_figures.py``
#: only (scoring them all here would take minutes); ``ci`` and ``survminer_ci`` by a test
#: of their own
FIRST = ("base", "plain", "survminer")


@pytest.fixture(scope="module")
def images():
    return r_figures.r_figures_table(formats=("png", "jpg"), styles=FIRST)


def test_vector_figures_are_read_exactly(vector):
    assert vector["found"].all(), vector.loc[~vector["found"], ["figure", "arm", "problem"]]
    assert (vector["extra_curves"] == 0).all()
    # the level of every plateau within 1e-4 of the drawn (true) Kaplan-Meier curve
    assert vector["max_level_err"].max() <= 1e-4
    assert vector["mean_abs_dS"].max() <= 1e-4  # R writes coordinates to 0.01 pt


def test_vector_tables_and_sizes_are_read_exactly(vector):
    tabled = vector[vector["style"].isin(TABLED)]
    assert tabled["table_exact"].all(), tabled.loc[~tabled["table_exact"], ["figure", "arm"]]
    assert tabled["n_exact"].all()


def test_base_r_images_meet_the_curve_targets(images):
    base = images[images["style"] == "base"]
    assert base["found"].all()
    assert base["mean_abs_dS"].median() <= 0.003
    assert base["mean_abs_dS"].max() <= 0.02
    assert base["mean_abs_dS"].median() < base["baseline_mean_abs_dS"].median()


@pytest.mark.skipif(not ocr_available(), reason="the ocr extra is not installed")
def test_base_r_image_tables_are_read(images):
    """At least 90% of the rows read exactly, on PNG and on JPEG (colon's JPEG: two rows
    of black counts whose labels, in the arms' colours, JPEG washes out were left out
    before rows were matched by the hue of their labels)."""
    base = images[images["style"] == "base"]
    assert base["table_exact"].mean() >= 0.9
    for fmt in ("png", "jpg"):
        assert base[base["format"] == fmt]["table_exact"].mean() >= 0.9, fmt


def test_every_image_meets_the_curve_targets(images):
    """Every arm found without ``arms``: aml's non-maintained arm, which ends at a quarter
    of the time axis, on the base R defaults JPEG (no at-risk table to ask for it) as a
    narrower colour that starts where the other curve starts, and no colour more."""
    assert images["found"].all()
    assert (images["extra_curves"] == 0).all(), images[["figure", "extra_curves"]]
    assert images["mean_abs_dS"].median() <= 0.003
    assert images["mean_abs_dS"].max() <= 0.02


def test_band_images_with_a_thin_panel_border_are_read():
    """survminer's ``theme_bw`` panel border is a line anti-aliased over two pixels; the
    confidence bands under the curves are shades, not curves.
    aml's curves run under the other arm's translucent band, where their colour turns
    olive or teal: the maintained arm is now traced there (0.012 before)."""
    table = r_figures.r_figures_table(formats=("png",), styles=("survminer_ci",))
    assert table["found"].all()
    # aml's blue arm seen teal through the other arm's band, narrower than a curve and
    # starting where the curves start, is that arm, not one gone early
    assert (table["extra_curves"] == 0).all(), table[["figure", "extra_curves"]]
    lung = table[table["dataset"] == "lung"]
    assert lung["mean_abs_dS"].max() <= 0.005
    assert (lung["mean_abs_dS"] < lung["baseline_mean_abs_dS"]).all()
    maintained = table[(table["dataset"] == "aml") & (table["arm"] == "Maintained")].iloc[0]
    assert maintained["mean_abs_dS"] <= 0.005
    assert maintained["mean_abs_dS"] < maintained["baseline_mean_abs_dS"]
    # the non-maintained arm is read in the teal it turns under the other band, not in
    # its own blue, farther from the truth than the plain trace (README)


def test_confidence_limits_in_the_arms_colour_are_left_out():
    """base R's ``plot.survfit(conf.int = TRUE)`` draws each arm's limits as lines in its
    colour: three curves per colour, the arm the middle one (aml's upper limits rise
    again where few are at risk). Read with the arms' count from the at-risk table or
    the legend, every arm is within the image targets and nearer the truth than the
    plain column trace."""
    table = r_figures.r_figures_table(formats=("png", "jpg"), styles=("ci",))
    assert table["found"].all() and len(table) == 8
    # where the two arms cross, JPEG mixes their colours: not a third arm (lung's was)
    assert (table["extra_curves"] == 0).all(), table[["figure", "extra_curves"]]
    assert table["mean_abs_dS"].median() <= 0.003
    assert table["mean_abs_dS"].max() <= 0.02
    assert (table["mean_abs_dS"] < table["baseline_mean_abs_dS"]).all()


@pytest.mark.parametrize("figure", ["aml-survminer.png", "aml-survminer.jpg", "aml-plain.jpg"])
def test_an_arm_that_ends_early_is_found_with_the_arms_given(figure):
    """aml's non-maintained arm ends at a quarter of the time axis, narrower than a
    curve must be to count on its own (legend text is as narrow); with two arms asked
    for it is the second colour (without, a narrower colour counts when it starts where
    the other curves start). In base R's 100-dpi JPEG its one-pixel blue
    line is a grey-blue row between two pale blue ones, its colour's pixels spread over
    a tenth of the plot: it was not found (a wash of the red arm, of another hue in the
    JPEG's coarse colours, was taken instead), then traced 0.026 off along its washes
    only."""
    folder = r_figures.FIGURES
    truth = r_figures.true_arms(folder, "aml")
    result = mmsurv.digitize(folder / figure, x_axis=(0, 180), y_axis=(0, 1), arms=2)
    errors = [
        [r_figures.curve_errors(arm.curve, true, 180.0)[1] for arm in result.arms] for true in truth
    ]
    assert len(result.arms) == 2
    assert max(min(row) for row in errors) <= 0.02  # each true arm read by a curve
    assert any("1 of the 2 arms asked for is drawn across less" in w for w in result.warnings)


@pytest.mark.skipif(not ocr_available(), reason="the at-risk table is read by OCR")
def test_a_risk_table_drawn_as_a_grey_panel_is_not_the_plot():
    """survminer with ``theme_grey`` draws its risk table in a grey panel of its own
    under the plot's, both crossed by white grid lines: the plot is the taller panel,
    and the rows under the table's panel are read (the frame took in both panels, and
    no row was found under the table's own time axis)."""
    folder = r_figures.FIGURES
    result = mmsurv.digitize(folder / "lung-survminer_pct.png", x_axis=(0, 36), y_axis=(0, 100))
    rows = sorted(a.at_risk["n"].tolist() for a in result.arms if a.at_risk is not None)
    assert rows == [[90, 70, 30, 15, 6, 1], [138, 86, 35, 17, 7, 2]]


def test_band_line_type_and_rms_images_find_every_arm():
    """Every arm found on PNG: survminer with confidence bands and ``theme_bw`` (its
    panel border, anti-aliased over two pixel columns), rms ``survplot``, and base R's
    black arms told apart by line type only (the dashed one was lost: 2 of 4), these
    within 0.01 of the true curves."""
    styles = ("survminer_ci", "mono", "rms")
    table = r_figures.r_figures_table(formats=("png",), styles=styles)
    assert table["found"].all()
    mono = table[table["style"] == "mono"]
    assert len(mono) == 4 and mono["mean_abs_dS"].max() <= 0.01
    assert (mono["mean_abs_dS"] < mono["baseline_mean_abs_dS"]).all()


@pytest.mark.skipif(not ocr_available(), reason="the legend is read by OCR")
@pytest.mark.parametrize("figure", ["aml-mono.png", "veteran-mono.jpg"])
def test_black_arms_are_named_by_their_legend_keys_line_type(figure):
    """Base R's legend keys of black arms: a solid stroke and a dashed one; each names
    the arm drawn in that line type, whatever the at-risk table says."""
    truth = {"aml": ("Maintained", "Nonmaintained"), "veteran": ("Standard", "Test")}
    names = truth[figure.split("-")[0]]
    result = mmsurv.digitize(r_figures.FIGURES / figure)
    assert [a.label for a in result.arms] == list(names)
    assert any("told apart by line type (solid, dashed or dotted)" in w for w in result.warnings)


def _scored(figure: str) -> list[dict]:
    """The rows of ``validation/r_figures.py``'s score of one figure of the manifest."""
    manifest = r_figures.pd.read_csv(r_figures.FIGURES / "manifest.csv").set_index("figure")
    entry = manifest.loc[figure].copy()
    entry["figure"] = figure
    return r_figures.score_figure(r_figures.FIGURES, entry)


@pytest.mark.skipif(not ocr_available(), reason="the at-risk table is read by OCR")
@pytest.mark.parametrize(
    "figure",
    [
        # rms: black rows, no legend; only one pairing leaves no one at risk after a curve
        "veteran-rms.png",
        # survminer's JPEG: the label '6' read as '-6' (and '0' not read on veteran's)
        "lung-survminer_pct.jpg",
        "veteran-survminer_pct.jpg",
        # base R: black numbers beside labels in the arms' colours, the legend not read
        "colon-base.jpg",
        # aml's non-maintained arm, gone at a quarter of the axis, too narrow to count
        # without --arms: the table's two rows ask for two arms
        "aml-survminer.png",
        "aml-survminer.jpg",
        # survminer's n (%) cells run together by OCR ('11(100)7(64)')
        "aml-survminer_ci.png",
    ],
)
def test_image_rows_read_where_labels_and_legends_fail(figure):
    """Every arm found, with its at-risk row read exactly and n from it; an arm whose
    legend is not read is named by its row's label (rms's at the right of the row, base
    R's before it), never by another arm's."""
    rows = _scored(figure)
    assert all(row["found"] and row["table_exact"] and row["n_exact"] for row in rows), rows
    assert all(row["read_label"] in (None, row["arm"]) for row in rows), rows
    if figure.startswith(("veteran-rms", "colon-base")):
        assert all(row["read_label"] == row["arm"] for row in rows), rows
    # no mix of the arms' colours where they cross taken for an arm (colon's JPEG had one)
    assert all(row["extra_curves"] == 0 for row in rows), rows


@pytest.mark.skipif(not ocr_available(), reason="the legend is read by OCR")
@pytest.mark.parametrize(
    "figure",
    [
        "lung-survminer_pct.png",
        "veteran-survminer_pct.jpg",
        "aml-survminer.png",
        "lung-survminer.jpg",
        # three keys: the red one is within reach of the orange read for the yellow arm
        "colon-survminer.png",
        # a 100-dpi JPEG: the words' boxes reach below the plot's top edge
        "colon-survminer.jpg",
    ],
)
def test_survminer_legends_above_the_plot_name_the_arms(figure):
    """survminer prints its legend above the plot, the entries in a row; without row
    labels in the table (``tables.y.text = FALSE``) the arms were left unnamed."""
    rows = _scored(figure)
    assert all(row["found"] and row["read_label"] == row["arm"] for row in rows), rows


@pytest.mark.parametrize("figure", ["aml-base_72dpi.png", "aml-plain.png"])
def test_thin_lines_between_pixel_rows_are_traced(figure):
    """R's one-pixel lines at 72 dpi (and aml's defaults at 150 dpi) fall between two
    pixel rows, blends of the curve's colour with white: their flats were lost, and the
    non-maintained arm was traced along its legend key (mean |dS| 0.49), the maintained
    arm of the defaults at 0.13."""
    rows = _scored(figure)
    assert all(row["found"] for row in rows), rows
    assert max(row["mean_abs_dS"] for row in rows) <= 0.01, rows


@pytest.mark.parametrize(
    "figure", ["colon-plain.png", "lung-survminer_ci.png", "aml-survminer_ci.jpg"]
)
def test_no_extra_curve_without_the_arms_given(figure):
    """Read without ``--arms``, every arm is found and nothing else. colon's red arm,
    where it runs between two pixel rows, is drawn in washed-out reds only, one of which
    was a fourth arm; on survminer's band figures a curve seen through the other arm's
    translucent band (lung's blue turned teal, aml's yellow olive) was an arm of its
    own."""
    rows = _scored(figure)
    assert all(row["found"] for row in rows), rows
    assert all(row["extra_curves"] == 0 for row in rows), rows
    assert max(row["mean_abs_dS"] for row in rows) <= 0.02, rows


@pytest.mark.skipif(not ocr_available(), reason="the at-risk table is read by OCR")
@pytest.mark.parametrize(
    "figure", ["aml-base.png", "aml-base_300dpi.png", "aml-mono.png", "aml-survminer.png"]
)
def test_a_small_arms_last_drop_and_long_drops_are_read(figure):
    """aml's non-maintained arm (12 patients) ends with its last patient's event: a drop
    to 0 that no flat follows, which was read as ending on the flat above it or halfway
    down, so the reconstruction censored that patient. At 150 and 300 dpi its drops are
    long beside its flats, and the trace crossed each drop's stroke on its runs, making
    a step halfway down and a censor mark at nearly every drop (7 false marks of 8 at
    300 dpi). The |log HR error| after reconstruction with the table read was 0.14-0.17
    on these figures (the dashed arm's last drop on the black figure was lost too)."""
    rows = _scored(figure)
    assert all(row["found"] and row["n_exact"] for row in rows), rows
    assert rows[0]["log_hr_err"] <= 0.02, rows
    result = mmsurv.digitize(r_figures.FIGURES / figure, x_axis=(0, 180), y_axis=(0, 1))
    gone = min(result.arms, key=lambda arm: arm.curve["time"].iloc[-1])
    assert gone.curve["time"].iloc[-1] == pytest.approx(45, abs=1.0)
    # a dashed arm's drop to 0 can end in a gap of its dashes: the level read is where
    # its last dash ends (0.019 on the black figure, at 150 dpi a gap is 0.02)
    assert gone.curve["survival"].iloc[-1] <= (0.02 if "mono" in figure else 0.01)
    assert gone.censored == pytest.approx((16,), abs=0.5)  # its one censored patient
