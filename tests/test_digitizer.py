"""Digitizing Kaplan-Meier figures: vector input (PDF, SVG) is read exactly.

Figures are drawn from known patients with ``validation/km_figures.py`` (three
journal styles) or written by hand (``tests/data/digitize/handmade.svg``: nested
transforms, a split curve, relative path commands, a band, a grid line, a legend, a
table), so every number read can be checked against the truth.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml
from digitize_trials import TICKS, rossi_figure, trial
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from km_figures import FigureSpec, TrueArm, render_km_figure

import mmsurv
from mmsurv.cli import main
from mmsurv.km import km_curve, n_at_risk, step_values

DATA = Path(__file__).parent / "data" / "digitize"
HANDMADE = DATA / "handmade.svg"


def _spec(style: str, **kw) -> FigureSpec:
    return FigureSpec(style=style, ticks=TICKS, x_max=50.0, **kw)


def _check_exact(result, arms: list[TrueArm], x_max: float = 50.0) -> None:
    """Curves, drops, censor marks and at-risk rows equal the truth."""
    assert len(result.arms) == len(arms)
    by_label = {a.label: a for a in result.arms}
    for truth in arms:
        got = by_label[truth.label]
        t, s = km_curve(truth.time, truth.event)
        curve = got.curve.to_numpy()
        # the drawn step function at every vertex time, and between them
        grid = np.linspace(0, min(truth.time.max(), x_max), 2001)
        last = np.array([curve[curve[:, 0] == u, 1].min() for u in np.unique(curve[:, 0])])
        extracted = step_values(np.unique(curve[:, 0]), last, grid)
        assert np.max(np.abs(extracted - step_values(t, s, grid))) <= 1e-4
        true_drops = np.unique(truth.time[(truth.event == 1) & (truth.time <= x_max)])
        np.testing.assert_allclose(got.drops, true_drops, atol=1e-4)
        marks = np.unique(truth.time[(truth.event == 0) & (truth.time < x_max)])
        np.testing.assert_allclose(got.censored, marks, atol=1e-4)
        ticks = np.asarray(TICKS)
        expected = n_at_risk(truth.time, ticks)
        table = got.at_risk
        assert table is not None
        np.testing.assert_array_equal(table["time"], ticks[: len(table)])
        np.testing.assert_array_equal(table["n"], expected[: len(table)])
        assert got.n == len(truth.time)


@pytest.mark.parametrize("style", ["base", "ggplot", "lifelines"])
@pytest.mark.parametrize("suffix", [".pdf", ".svg"])
def test_vector_figures_are_read_exactly(tmp_path, style, suffix):
    arms = trial()
    path = render_km_figure(arms, _spec(style), tmp_path / f"km{suffix}")
    result = mmsurv.digitize(path)
    _check_exact(result, arms)
    assert result.calibration.x.source == "labels on tick marks"


def test_percent_axis_and_truncated_time_axis(tmp_path):
    arms = trial(seed=3)
    spec = FigureSpec(style="ggplot", ticks=(0.0, 10.0, 20.0, 30.0), x_max=30.0, percent=True)
    result = mmsurv.digitize(render_km_figure(arms, spec, tmp_path / "km.pdf"))
    assert result.calibration.percent
    for got in result.arms:
        assert got.curve["time"].max() <= 30.0 + 1e-9
        assert got.curve["survival"].between(0, 1).all()
    truth = {a.label: a for a in arms}
    for got in result.arms:
        t, s = km_curve(truth[got.label].time, truth[got.label].event)
        grid = np.linspace(0, 29.9, 500)
        curve = got.curve.to_numpy()
        u = np.unique(curve[:, 0])
        low = np.array([curve[curve[:, 0] == v, 1].min() for v in u])
        assert np.max(np.abs(step_values(u, low, grid) - step_values(t, s, grid))) <= 1e-4


def test_handmade_svg_transforms_split_paths_and_table():
    result = mmsurv.digitize(HANDMADE)
    assert result.warnings == ()
    arms = {a.id: a for a in result.arms}
    assert set(arms) == {"Drug_A", "Placebo"}
    assert arms["Drug_A"].curve.to_numpy().tolist() == [
        [0, 1],
        [3, 1],
        [3, 0.9],
        [8, 0.9],
        [8, 0.75],
        [15, 0.75],
        [15, 0.6],
        [20, 0.6],
    ]
    assert arms["Placebo"].curve.to_numpy().tolist() == [
        [0, 1],
        [5, 1],
        [5, 0.8],
        [12, 0.8],
        [12, 0.5],
        [22, 0.5],
    ]
    assert arms["Drug_A"].censored == (10.0,) and arms["Placebo"].censored == (17.0,)
    assert arms["Drug_A"].at_risk["n"].tolist() == [40, 33, 21, 9]
    assert arms["Placebo"].at_risk["n"].tolist() == [38, 27, 16, 5]
    assert arms["Placebo"].colour == "#d95f02"
    assert result.calibration.percent
    assert result.time_unit == "months"  # the axis title "Months"


def test_axis_values_given_when_text_is_drawn_as_paths(tmp_path):
    import matplotlib

    arms = trial(seed=11)
    with matplotlib.rc_context({"svg.fonttype": "path"}):
        fig_path = tmp_path / "paths.svg"
        render_km_figure(arms, _spec("base", at_risk=False), fig_path)
    # the generator keeps text as text; rewrite the file without its text elements
    text = fig_path.read_text()
    import re

    stripped = re.sub(r"<text[^>]*>[^<]*</text>", "", text)
    assert "<text" not in stripped
    fig_path.write_text(stripped)
    with pytest.raises(mmsurv.InputError, match="no x tick labels"):
        mmsurv.digitize(fig_path)
    result = mmsurv.digitize(fig_path, x_axis=(0, 50), y_axis=(0, 1))
    assert "--x-axis" in result.calibration.x.source
    for got in result.arms:
        assert got.curve["time"].iloc[0] == 0 and got.curve["survival"].iloc[0] == 1


@pytest.mark.parametrize("suffix", [".pdf", ".svg"])
def test_labels_ending_in_a_number_keep_it_and_their_table(tmp_path, suffix):
    """Arms named ``Arm 1`` and ``Arm 2`` (matplotlib users' and many papers' labels):
    the at-risk rows' labels keep their numbers, so each row finds its arm's legend
    label (a PDF's text layer splits ``Arm`` and ``1`` into two words)."""
    arms = [TrueArm(f"Arm {i + 1}", a.time, a.event) for i, a in enumerate(trial())]
    path = render_km_figure(arms, _spec("base"), tmp_path / f"km{suffix}")
    _check_exact(mmsurv.digitize(path), arms)


@pytest.mark.parametrize("suffix", [".pdf", ".svg"])
def test_axis_values_given_still_read_the_table(tmp_path, suffix):
    """Axis values given for a vector figure set the calibration; the at-risk table is
    still read on the text layer's tick labels when they agree, and when they do not
    the table is left out with a warning, never silently."""
    arms = trial()
    path = render_km_figure(arms, _spec("ggplot"), tmp_path / f"km{suffix}")
    result = mmsurv.digitize(path, x_axis=(0, 50), y_axis=(0, 1))
    assert result.calibration.x.source == "--x-axis at the end tick marks"
    _check_exact(result, arms)
    wrong = mmsurv.digitize(path, x_axis=(0, 100), y_axis=(0, 1))
    assert all(a.at_risk is None for a in wrong.arms)
    assert (
        "the x tick labels of the text layer disagree with --x-axis: "
        "the at-risk table is not read" in wrong.warnings
    )


def test_arms_keeps_the_longest_curves_and_refuses_too_many(tmp_path):
    arms = trial()
    path = render_km_figure(arms, _spec("lifelines"), tmp_path / "km.svg")
    one = mmsurv.digitize(path, arms=1)
    assert len(one.arms) == 1 and any("kept the 1 longest" in w for w in one.warnings)
    with pytest.raises(mmsurv.InputError, match="2 curves found, 3 asked for"):
        mmsurv.digitize(path, arms=3)


def test_to_study_reconstructs(tmp_path):
    arms = trial()
    result = mmsurv.digitize(render_km_figure(arms, _spec("ggplot"), tmp_path / "km.pdf"))
    study = result.to_study(endpoint="OS", labels={"Drug": "Drug X"})
    assert study.arm("Drug").label == "Drug X" and study.arm("Drug").n == 60
    ipd, _ = mmsurv.reconstruct(study, "OS")
    assert ipd.groupby("arm").size().to_dict() == {"Control": 60, "Drug": 60}
    table = result.table()
    assert list(table["n"]) == [60, 60] and "DigitizedArm" in repr(result)


def test_cli_writes_a_folder_that_reconstruct_takes(tmp_path, capsys):
    arms = trial()
    figure = render_km_figure(arms, _spec("base"), tmp_path / "km.pdf")
    out = tmp_path / "study"
    assert main(["digitize", str(figure), "-o", str(out), "--endpoint", "PFS"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "Control-censor-marks.csv",
        "Control.csv",
        "Drug-censor-marks.csv",
        "Drug.csv",
        "digitized.png",
        "study.yaml",
    ]
    data = yaml.safe_load((out / "study.yaml").read_text())
    assert data["endpoints"]["PFS"]["arms"]["Drug"]["curve"] == "Drug.csv"
    assert data["endpoints"]["PFS"]["arms"]["Drug"]["censor_times"] == "Drug-censor-marks.csv"
    assert (out / "Drug-censor-marks.csv").read_text().startswith("time\n")
    assert (out / "Drug.csv").read_text().startswith("time,survival\n0,1\n")
    ipd = tmp_path / "ipd.csv"
    assert main(["reconstruct", str(out / "study.yaml"), "-o", str(ipd)]) == 0
    assert len(ipd.read_text().splitlines()) == 1 + 120


def test_cli_needs_n_without_a_table_and_takes_it_in_order(tmp_path, capsys):
    figure = render_km_figure(trial(), _spec("lifelines", at_risk=False), tmp_path / "km.svg")
    out = tmp_path / "study"
    assert main(["digitize", str(figure), "-o", str(out), "--time-unit", "months"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "n is unknown" in err and "km.svg" in err
    assert not out.exists() or not any(out.iterdir())
    assert main(["digitize", str(figure), "-o", str(out)]) == 2  # the axis title: "Time"
    assert "no time unit read from the axis title: months assumed" in capsys.readouterr().err
    assert main(["digitize", str(figure), "-o", str(out), "--n", "60"]) == 2
    assert "1 sizes for 2 curves" in capsys.readouterr().err
    assert main(["digitize", str(figure), "-o", str(out), "--n", "60", "61"]) == 0
    data = yaml.safe_load((out / "study.yaml").read_text())
    assert [a["n"] for a in data["arms"]] == [60, 61]


def test_a_failed_write_leaves_no_files(tmp_path, monkeypatch):
    figure = render_km_figure(trial(), _spec("ggplot"), tmp_path / "km.pdf")
    result = mmsurv.digitize(figure)
    out = tmp_path / "out"

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(mmsurv, "save_figure", broken)
    with pytest.raises(OSError):
        result.save(out)
    assert list(out.iterdir()) == []


def test_refuses_to_write_over_the_figure(tmp_path):
    figure = tmp_path / "digitized.png"
    render_km_figure(trial(), _spec("ggplot"), tmp_path / "km.pdf")
    result = mmsurv.digitize(tmp_path / "km.pdf")
    object.__setattr__(result, "source", str(figure))
    with pytest.raises(mmsurv.InputError, match="over the input figure"):
        result.save(tmp_path)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.pdf"], "missing.pdf: no such file"),
        (["{fig}", "--page", "2"], "page: page 2 does not exist (the file has 1)"),
        (["{txt}"], "unsupported figure format '.txt'"),
        (["{fig}", "--x-axis", "5", "5"], "x_axis: expected two different finite numbers"),
    ],
)
def test_cli_bad_input_is_one_line(tmp_path, capsys, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    render_km_figure(trial(), _spec("base"), tmp_path / "km.pdf")
    (tmp_path / "notes.txt").write_text("x")
    argv = [a.format(fig="km.pdf", txt="notes.txt") for a in args]
    assert main(["digitize", *argv, "-o", "out"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err
    assert not (tmp_path / "out").exists()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".pdf", ".svg", ".png", ".jpg"]))
def test_garbage_files_raise_input_error_only(tmp_path, data, suffix):
    path = tmp_path / f"figure{suffix}"
    path.write_bytes(data)
    with pytest.raises(mmsurv.InputError):
        mmsurv.digitize(path, x_axis=(0, 10), y_axis=(0, 1))


def test_import_mmsurv_stays_light():
    import subprocess
    import sys

    heavy = "('pdfplumber', 'svgelements', 'PIL', 'rapidocr', 'onnxruntime', 'cv2')"
    code = f"import mmsurv, mmsurv.digitizer, sys; print(any(m in sys.modules for m in {heavy}))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_mmsurv_own_figure_is_read_back_with_its_table(tmp_path):
    """plot_km prints each at-risk row's label in the arm's colour, right-aligned just
    left of the first count, with the counts in black: the rows still go to their arms
    (by the label's colour, or the legend label the row label begins), and the figure
    gives back the true curves and counts."""
    path = tmp_path / "figure.pdf"
    truth = rossi_figure(path)
    read = mmsurv.digitize(path)
    assert read.warnings == ()
    assert read.time_unit == "weeks"  # from the axis title "Time (weeks)"
    ids = {arm.label.split(" ")[0]: arm.id for arm in read.arms}
    study = read.to_study(endpoint="rearrest", comparison=(ids["aid"], ids["no_aid"]))
    assert study.time_unit == "weeks"
    rebuilt = mmsurv.analyze_endpoint(study, "rearrest")[1]
    assert abs(np.log(rebuilt.hr / mmsurv.analyze(truth, "aid", "no_aid").hr)) < 0.01
    for bad in [("aid",), 123, (["aid"], "no_aid"), iter(ids.values()), set(ids.values())]:
        with pytest.raises(mmsurv.InputError, match="comparison: expected"):
            read.to_study(comparison=bad)
    with pytest.raises(mmsurv.InputError, match="compared with itself"):
        read.to_study(comparison=(ids["aid"], ids["aid"]))
    with pytest.raises(mmsurv.InputError, match="no arm 'placebo'"):
        read.to_study(comparison=(ids["aid"], "placebo"))
    for arm in read.arms:
        name = "no_aid" if arm.label.startswith("no_aid") else "aid"
        rows = truth[truth["arm"] == name]
        t, s = km_curve(rows["time"].to_numpy(), rows["event"].to_numpy())
        curve = arm.curve.to_numpy()
        np.testing.assert_allclose(curve[-1], [t[-1], s[-1]], atol=1e-4)
        table = arm.at_risk
        assert table is not None and arm.n == 216
        np.testing.assert_array_equal(
            table["n"], n_at_risk(rows["time"].to_numpy(), table["time"].to_numpy())
        )
