"""Tests of mmsurv.plotting: what the figures hold, where it sits, and the files written."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lifelines.datasets import load_rossi
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

import mmsurv
from mmsurv.analysis import AnalysisResult, analyze
from mmsurv.crosstrial import CROSS_TRIAL_WARNING
from mmsurv.errors import InputError
from mmsurv.km import km_curve, n_at_risk
from mmsurv.pipeline import cross_trial_arms
from mmsurv.plotting import (
    KMPanel,
    plot_arms,
    plot_forest,
    plot_km,
    plot_panel,
    save_figure,
    thin_marks,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "rossi" / "study.yaml"

# --------------------------------------------------------------------------- data


def _analysed(study_ref, endpoint):
    study = mmsurv.load_study(study_ref)
    ipd, _ = mmsurv.reconstruct(study, endpoint)
    comp = study.endpoint(endpoint).comparison
    result = analyze(ipd, comp.treatment, comp.reference, time_unit=study.time_unit)
    return study, ipd, result


@pytest.fixture(scope="module")
def niu():
    return _analysed("niu-2026-krd-vs-vrd", "PFS")


@pytest.fixture(scope="module")
def niu_fig(niu):
    study, ipd, result = niu
    return plot_km(result, ipd=ipd, study=study, endpoint="PFS")


@pytest.fixture(scope="module")
def aspire():
    return _analysed("aspire-2015-pfs-os-primary", "PFS")


@pytest.fixture(scope="module")
def aspire_fig(aspire):
    study, ipd, result = aspire
    return plot_km(result, ipd=ipd, study=study, endpoint="PFS")


@pytest.fixture(scope="module")
def rossi():
    """Rossi's data with a study that reports a bit of everything (numbers of the data)."""
    data = load_rossi()
    ipd = pd.DataFrame(
        {
            "arm": np.where(data["fin"] == 1, "aid", "no_aid"),
            "time": data["week"].astype(float),
            "event": data["arrest"],
        }
    )
    study = mmsurv.load_study(
        {
            "id": "rossi-test",
            "time_unit": "weeks",
            "arms": [
                {"id": "aid", "label": "financial aid", "n": 216},
                {"id": "no_aid", "label": "no financial aid at release", "n": 216},
            ],
            "endpoints": {
                "arrest": {
                    "arms": {
                        "aid": {
                            "median": "NR",
                            "landmarks": {26: {"survival": 0.898, "ci": [0.85, 0.93]}, 52: 0.778},
                            "at_risk": {
                                "times": [0, 13, 26, 39, 52],
                                "n": [216, 211, 195, 185, 171],
                            },
                            "curve": [[0, 1], [10, 0.97], [20, 0.93], [30, 0.89], [52, 0.78]],
                        },
                        "no_aid": {"landmarks": {26: 0.843}},
                    },
                    "comparison": {
                        "treatment": "aid",
                        "reference": "no_aid",
                        "hr": 0.69,
                        "hr_ci": [0.48, 1.0],
                        "p": 0.05,
                    },
                }
            },
        }
    )
    result = analyze(ipd, "aid", "no_aid", time_unit="weeks")
    return study, ipd, result


@pytest.fixture(scope="module")
def rossi_fig(rossi):
    study, ipd, result = rossi
    return plot_km(result, ipd=ipd, study=study, endpoint="arrest")


def _gid(ax, gid):
    return [a for a in ax.get_children() if a.get_gid() == gid]


def _texts(ax, gid):
    return [t for t in ax.texts if t.get_gid() == gid]


def _rows(ax, gid):
    """Texts of one kind in the risk table, grouped by row (y), each row sorted by x."""
    rows = {}
    for text in _texts(ax, gid):
        rows.setdefault(text.get_position()[1], []).append(text)
    return [sorted(rows[y], key=lambda t: t.get_position()[0]) for y in sorted(rows)]


def _extent(fig, artist):
    return artist.get_window_extent(fig.figure.canvas.get_renderer())


def _parts(ax):
    """The curves' axes and the numbers-at-risk table beneath them (None without)."""
    tables = [a for a in ax.child_axes if a.get_gid() == "risk-table"]
    return ax, (tables[0] if tables else None)


def _annotation(ax):
    (box,) = _gid(ax, "hr-annotation")
    return box


def _assert_apart(fig, artists):
    boxes = [_extent(fig, a) for a in artists]
    for (i, a), (j, b) in itertools.combinations(enumerate(boxes), 2):
        assert not a.overlaps(b), (artists[i], artists[j])


# --------------------------------------------------------------------------- KM figure


def test_km_axes_curves_bands_and_censor_marks(niu, niu_fig):
    _, ipd, result = niu
    ax, table = _parts(niu_fig)
    assert isinstance(niu_fig, Axes)
    assert len(_gid(ax, "km-curve")) == 2
    assert len([c for c in ax.collections if c.get_gid() == "km-ci"]) == 2
    marks = _gid(ax, "km-censor")
    spacing = ax.get_xlim()[1] / 80
    for mark, arm in zip(marks, result.arms, strict=True):  # thinned: one per 1/80 axis
        censored = np.sort(ipd.loc[(ipd["event"] == 0) & (ipd["arm"] == arm), "time"])
        shown = mark.get_xdata()
        np.testing.assert_allclose(shown, thin_marks(censored, spacing))
        assert np.all(np.diff(shown) >= spacing)
        before = shown[np.searchsorted(shown, censored, side="right") - 1]
        assert np.all(censored - before < spacing)
    for mark in marks:  # on the curves
        arm = next(
            a
            for a, c in zip(result.arms.values(), _gid(ax, "km-curve"), strict=True)
            if c.get_color() == mark.get_color()
        )
        expected = [
            arm.survival[np.searchsorted(arm.times, t, side="right") - 1] for t in mark.get_xdata()
        ]
        np.testing.assert_allclose(mark.get_ydata(), expected)
    assert ax.get_xlabel() == "Time (months)"
    assert ax.get_ylim() == pytest.approx((0, 1.02))
    assert not table.axison


def test_km_legend_names_arms_from_the_study(niu_fig):
    labels = [t.get_text() for t in niu_fig.get_legend().get_texts()]
    assert labels[:2] == [
        "KRd: Carfilzomib + lenalidomide + dexamethasone (n = 42)",
        "VRd: Bortezomib + lenalidomide + dexamethasone (n = 38)",
    ]
    assert "Published median" in labels and "Censored" in labels


def test_km_hr_annotation_published_and_reconstructed(niu, niu_fig):
    _, _, result = niu
    text = _annotation(niu_fig).txt.get_text()
    published, reconstructed = text.split("\n")
    assert published == "Published: HR 0.712 (95% CI 0.583–0.874), p <0.001 (adjusted)"
    hr = f"{result.hr:.3f}".rstrip("0").rstrip(".")
    assert reconstructed.startswith(f"Reconstructed: HR {hr} (95% CI ")
    p = result.logrank_p
    assert reconstructed.endswith("log-rank p <0.001" if p < 0.001 else f"log-rank p = {p:.3f}")


def test_km_published_hr_as_printed(rossi_fig):
    text = _annotation(rossi_fig).txt.get_text()
    assert text.startswith("Published: HR 0.69 (95% CI 0.48–1.00), p = 0.05")


def test_km_published_medians_at_half(niu_fig):
    medians = _gid(niu_fig, "published-median")
    points = sorted((m.get_xdata()[0], m.get_ydata()[0]) for m in medians)
    assert points == [(12, 0.5), (14, 0.5)]


def test_km_risk_table_counts_at_ticks(niu, niu_fig):
    _, ipd, result = niu
    ax, table = _parts(niu_fig)
    ticks = ax.get_xticks()
    np.testing.assert_allclose(ticks, [0, 3, 6, 9, 12, 15, 18])
    rows = _rows(table, "risk-count")
    assert len(rows) == 2
    for row, label in zip(rows, result.arms, strict=True):
        times = ipd.loc[ipd["arm"] == label, "time"].to_numpy()
        shown = [int(t.get_text()) for t in row]
        assert shown == list(n_at_risk(times, ticks))
        assert shown == [int(np.sum(times >= t)) for t in ticks]
        np.testing.assert_allclose([t.get_position()[0] for t in row], ticks)
    assert [t.get_text() for t in _texts(table, "risk-label")] == ["KRd", "VRd"]


def test_km_risk_table_columns_line_up_with_tick_labels(niu_fig):
    niu_fig.figure.draw_without_rendering()
    ax, table = _parts(niu_fig)
    tick_x = {round(t.get_position()[0], 6): _extent(niu_fig, t) for t in ax.get_xticklabels()}
    for text in _texts(table, "risk-count"):
        tick = tick_x[round(text.get_position()[0], 6)]
        box = _extent(niu_fig, text)
        assert abs((box.x0 + box.x1) / 2 - (tick.x0 + tick.x1) / 2) < 1.5
        assert box.y1 < tick.y0  # below the axis


@pytest.mark.parametrize("name", ["niu_fig", "aspire_fig", "rossi_fig"])
def test_km_nothing_overlaps(name, request):
    fig = request.getfixturevalue(name)
    fig.figure.draw_without_rendering()
    ax, table = _parts(fig)
    legend, box = ax.get_legend(), _annotation(ax)
    _assert_apart(fig, [legend, box])
    inside = ax.get_window_extent()
    for artist in (legend, box):
        extent = _extent(fig, artist)
        assert inside.x0 <= extent.x0 and extent.x1 <= inside.x1
        assert inside.y0 <= extent.y0 and extent.y1 <= inside.y1
    texts = [t for t in table.texts if t.get_text()]
    labels = [*ax.get_xticklabels(), ax.xaxis.label, ax.yaxis.label]
    _assert_apart(fig, texts + [t for t in labels if t.get_text()] + [legend])
    whole = fig.figure.bbox
    for text in texts:  # row labels fit in the figure
        extent = _extent(fig, text)
        assert whole.x0 <= extent.x0 and extent.x1 <= whole.x1


def test_km_published_at_risk_beside_reconstructed(aspire, aspire_fig):
    study, _, _ = aspire
    ax, table = _parts(aspire_fig)
    published = study.endpoint("PFS").arms
    np.testing.assert_allclose(ax.get_xticks(), published["KRd"].at_risk.times)
    rows = _rows(table, "risk-published")
    assert [[t.get_text() for t in row] for row in rows] == [
        [str(int(n)) for n in published[arm].at_risk.n] for arm in ("KRd", "Rd")
    ]
    labels = [t.get_text() for t in _texts(table, "risk-label")]
    assert labels == ["KRd", "KRd (published)", "Rd", "Rd (published)"]
    assert [t.get_text() for t in rows[0][:3]] == ["396", "332", "279"]


def test_km_landmarks_clicks_and_short_labels(rossi_fig):
    ax, table = _parts(rossi_fig)
    landmarks = _gid(ax, "published-landmark")
    points = sorted(
        (x, y) for m in landmarks for x, y in zip(m.get_xdata(), m.get_ydata(), strict=True)
    )
    assert points == [(26, 0.843), (26, 0.898), (52, 0.778)]
    (ci,) = _gid(ax, "published-landmark-ci")
    assert list(ci.get_ydata()) == [0.85, 0.93]
    (clicks,) = _gid(ax, "km-digitized")
    assert len(clicks.get_xdata()) == 5
    assert not _gid(ax, "published-median")  # "NR" has no marker
    labels = [t.get_text() for t in _texts(table, "risk-label")]
    assert labels == ["financial aid", "financial aid (published)", "no_aid"]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[:2] == [
        "financial aid (n = 216)",
        "no_aid: no financial aid at release (n = 216)",
    ]
    assert ax.get_xlabel() == "Time (weeks)"
    # The published table (every 13 weeks) gives the ticks; counts where it has them.
    np.testing.assert_allclose(ax.get_xticks(), [0, 13, 26, 39, 52])
    published = [t.get_text() for t in _texts(table, "risk-published")]
    assert published == ["216", "211", "195", "185", "171"]


def test_km_as_the_design_calls_it(niu):
    study, _, result = niu
    ax = plot_km(result, published=study.endpoint("PFS"))
    assert _parts(ax)[1] is None  # no IPD, no published table: no numbers at risk
    assert not _gid(ax, "km-censor")
    assert "0.712" in _annotation(ax).txt.get_text()


def test_km_options(niu):
    study, ipd, result = niu
    ax = plot_km(
        result,
        ipd=ipd,
        study=study,
        endpoint="PFS",
        ci=False,
        percent=True,
        title="",
        labels={"KRd": "KRd", "VRd": "VRd"},
        colors=["black", "0.5"],
        risk_table=False,
    )
    assert _parts(ax)[1] is None
    assert not ax.collections
    assert ax.get_title(loc="left") == ""
    ax.figure.draw_without_rendering()
    assert ax.get_yticklabels()[-1].get_text() == "100%"
    assert ax.get_ylabel() == "Survival (%)"
    assert [t.get_text() for t in ax.get_legend().get_texts()][:2] == [
        "KRd (n = 42)",
        "VRd (n = 38)",
    ]
    assert [line.get_color() for line in _gid(ax, "km-curve")] == ["black", "0.5"]


# --------------------------------------------------------------------------- KM errors


def _bad_result():
    return AnalysisResult({}, None, None, None, 0.95, 1.0, None)


@pytest.mark.parametrize(
    ("change", "field", "problem"),
    [
        ({"result": "KRd"}, "result", "expected an AnalysisResult"),
        ({"result": _bad_result()}, "result", "the result has no arms"),
        ({"published": {"KRd": 14}}, "published", "expected an Endpoint"),
        ({"study": "niu"}, "study", "expected a Study"),
        ({"labels": ["a", "b"]}, "labels", "expected a mapping"),
        ({"labels": {"KPd": "x"}}, "labels", "'KPd' is not an arm of the result"),
        ({"colors": "red"}, "colors", "expected a list of colours"),
        ({"colors": ["red"]}, "colors", "1 colours for 2 arms"),
        ({"colors": ["red", "nocolour"]}, "colors", "'nocolour' is not a colour"),
        ({"ci": "yes"}, "ci", "expected True or False"),
        ({"risk_table": 1}, "risk_table", "expected True, False or None"),
        ({"figsize": (8,)}, "figsize", "expected (width, height) in inches"),
    ],
)
def test_km_bad_arguments(niu, change, field, problem):
    study, ipd, result = niu
    kwargs = {"result": result, "ipd": ipd, "study": study, "endpoint": "PFS", **change}
    with pytest.raises(InputError) as err:
        plot_km(**kwargs)
    assert err.value.field == field
    assert problem in err.value.problem


def test_km_published_arms_must_be_in_the_result(niu, aspire):
    _, _, result = niu
    other, _, _ = aspire
    with pytest.raises(InputError) as err:
        plot_km(result, other.endpoint("PFS"))
    assert err.value.field == "published.arms"
    assert err.value.problem == "arm 'Rd' is not in the result (arms: KRd, VRd)"


def test_km_published_comparison_must_match(niu):
    study, ipd, _ = niu
    reversed_result = analyze(ipd, "VRd", "KRd")
    with pytest.raises(InputError) as err:
        plot_km(reversed_result, study.endpoint("PFS"))
    assert str(err.value) == (
        "published.comparison: compares KRd with VRd but the result compares VRd with KRd"
    )


def test_km_ipd_must_be_the_result_s(niu):
    _, ipd, result = niu
    with pytest.raises(InputError, match=r"ipd: arm 'KRd' has 41 rows but the result has n = 42"):
        plot_km(result, ipd=ipd.iloc[1:])
    other = ipd.assign(arm=ipd["arm"].replace({"VRd": "Rd"}))
    with pytest.raises(InputError, match=r"ipd.arm: arm 'Rd' is not in the result"):
        plot_km(result, ipd=other)
    with pytest.raises(InputError, match=r"ipd: missing column 'event'"):
        plot_km(result, ipd=ipd.drop(columns="event"))


def test_km_risk_table_true_needs_counts(niu):
    study, _, result = niu
    with pytest.raises(InputError) as err:
        plot_km(result, study.endpoint("PFS"), risk_table=True)
    assert err.value.field == "risk_table"


def _random_ipd(draw):
    arms = draw(st.integers(1, 3))
    rows = []
    for arm in range(arms):
        n = draw(st.integers(1, 6))
        times = draw(st.lists(st.floats(0, 60, allow_nan=False), min_size=n, max_size=n))
        events = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
        rows += [(f"arm{arm}", t, e) for t, e in zip(times, events, strict=True)]
    return pd.DataFrame(rows, columns=["arm", "time", "event"])


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_km_random_ipd_builds_or_refuses(data):
    ipd = _random_ipd(data.draw)
    unit = data.draw(st.sampled_from([None, "months", "weeks", "days", "years"]))
    try:
        result = analyze(ipd, time_unit=unit)
        ax = plot_km(result, ipd=ipd, percent=data.draw(st.booleans()))
    except InputError:
        return
    assert isinstance(ax, Axes)
    assert len(_gid(ax, "km-curve")) == ipd["arm"].nunique()
    counts = [int(t.get_text()) for t in _texts(_parts(ax)[1], "risk-count")]
    assert all(0 <= c <= len(ipd) for c in counts)


# --------------------------------------------------------------------------- panel


def test_panel_shares_time_axis_of_one_unit(niu, aspire):
    panels = [
        KMPanel(result, ipd=ipd, study=study, endpoint="PFS", title=study.id)
        for study, ipd, result in (niu, aspire)
    ]
    axes = plot_panel(panels, title="PFS")
    fig = axes[0].figure
    assert len(axes) == 2 and len(fig.axes) == 2
    (km1, table1), (km2, table2) = map(_parts, axes)
    assert [a.get_gid() for a in [km1, km2] for a in _gid(a, "panel-letter")] == [
        "panel-letter",
        "panel-letter",
    ]
    assert [t.get_text() for km in (km1, km2) for t in _gid(km, "panel-letter")] == ["A", "B"]
    assert km1.get_shared_x_axes().joined(km1, km2)
    assert km1.get_xlim() == km2.get_xlim() == (0, 48)
    assert [t.get_text() for t in _texts(table1, "risk-label")] == ["KRd", "VRd"]
    assert len(_texts(table2, "risk-published")) == 18
    legend = [t.get_text() for t in km1.get_legend().get_texts()]
    assert legend[:2] == ["KRd (n = 42)", "VRd (n = 38)"]
    # Side by side: curves of the same height although the tables differ (2 and 4 rows).
    (_, y1, _, h1), (_, y2, _, h2) = km1.get_position().bounds, km2.get_position().bounds
    assert (y1, h1) == pytest.approx((y2, h2))
    row1 = _extent(fig, _texts(table1, "risk-label")[0])
    row2 = _extent(fig, _texts(table2, "risk-label")[0])
    assert row1.y0 == pytest.approx(row2.y0, abs=1)
    for km in (km1, km2):
        _assert_apart(fig, [km.get_legend(), _annotation(km)])


def test_panel_different_units(niu, rossi):
    panels = [KMPanel(r, ipd=i, study=s) for s, i, r in (niu, rossi)]
    km1, km2 = plot_panel(panels, ncols=1, letters=False)
    assert not _gid(km1, "panel-letter")
    assert not km1.get_shared_x_axes().joined(km1, km2)
    assert km2.get_xlabel() == "Time (weeks)"
    with pytest.raises(InputError, match=r"sharex: the plots have different time units"):
        plot_panel(panels, sharex=True)


def test_panel_bad_items(niu):
    _, ipd, result = niu
    with pytest.raises(InputError, match=r"^items\[1\]: expected a KMPanel, got tuple$"):
        plot_panel([KMPanel(result), (result, None)])
    with pytest.raises(InputError, match=r"^items\[0\].ipd: arm 'KRd' has 1 rows"):
        plot_panel([KMPanel(result, ipd=ipd.iloc[:1])])
    with pytest.raises(InputError, match=r"^items: expected a non-empty list"):
        plot_panel([])
    with pytest.raises(InputError, match=r"^ncols: must be a whole number >= 1"):
        plot_panel([KMPanel(result)], ncols=0)


# --------------------------------------------------------------------------- arms of several studies


RD_TRIALS = ["maia-2019-pfs-primary", "pollux-2016-pfs-primary", "aspire-2015-pfs-os-primary"]


@pytest.fixture(scope="module")
def rd_arms():
    return cross_trial_arms(RD_TRIALS, "PFS")


@pytest.fixture(scope="module")
def rd_fig(rd_arms):
    return plot_arms(rd_arms)


def test_arms_one_curve_per_study_as_the_km_of_its_patients(rd_arms, rd_fig):
    ax = rd_fig
    curves = _gid(ax, "km-curve")
    assert [c.get_label() for c in curves] == [f"{a.label} (n = {a.n})" for a in rd_arms.arms]
    for arm, curve in zip(rd_arms.arms, curves, strict=True):
        t, s = km_curve(arm.time, arm.event)
        np.testing.assert_allclose(curve.get_xdata(), t)
        np.testing.assert_allclose(curve.get_ydata(), s)
    assert not _gid(ax, "km-ci")  # bands off by default
    medians = _gid(ax, "published-median")
    assert [m.get_xdata()[0] for m in medians] == [a.published.median for a in rd_arms.arms]


def test_arms_warn_that_trials_were_not_randomised_and_show_no_hr(rd_fig):
    rd_fig.figure.draw_without_rendering()
    ax = rd_fig
    assert not _gid(ax, "hr-annotation")
    (box,) = _gid(ax, "cross-trial-warning")
    assert " ".join(box.txt.get_text().split()) == CROSS_TRIAL_WARNING
    _assert_apart(rd_fig, [ax.get_legend(), box])
    assert rd_fig.get_title(loc="left") == "PFS: Rd arms of 3 studies"


def test_arms_risk_table_rows_per_trial(rd_arms, rd_fig):
    table = _parts(rd_fig)[1]
    labels = [t.get_text() for t in _texts(table, "risk-label")]
    assert labels == ["MAIA", "POLLUX", "ASPIRE", "ASPIRE (published)"]
    ticks = rd_fig.get_xticks()
    counts = [[int(t.get_text()) for t in row] for row in _rows(table, "risk-count")]
    assert counts == [list(n_at_risk(a.time, ticks)) for a in rd_arms.arms]


def test_arms_options_and_bad_input(rd_arms):
    ax = plot_arms(rd_arms, ci=True, risk_table=False, title="", colors=["k", "r", "b"])
    assert _parts(ax)[1] is None and ax.get_title(loc="left") == ""
    assert len(_gid(ax, "km-ci")) == 3
    with pytest.raises(InputError, match=r"^arms: expected CrossTrialArms"):
        plot_arms([rd_arms])
    with pytest.raises(InputError, match=r"^colors: 2 colours for 3 arms"):
        plot_arms(rd_arms, colors=["k", "r"])
    with pytest.raises(InputError, match=r"^ci: expected True or False"):
        plot_arms(rd_arms, ci="yes")


# --------------------------------------------------------------------------- forest


FOREST = pd.DataFrame(
    {
        "label": ["ASPIRE", "ENDEAVOR", "Niu"],
        "hr": [0.69, 0.53, 0.712],
        "hr_lower": [0.57, 0.44, 0.583],
        "hr_upper": [0.83, 0.65, 0.874],
        "rec_hr": [0.69, np.nan, 0.707],
        "rec_lower": [0.57, np.nan, 0.426],
        "rec_upper": [0.835, np.nan, 1.174],
    }
)


def test_forest_elements():
    ax = text = plot_forest(FOREST, pooled=[("Fixed effect", 0.62, 0.56, 0.69)], title="PFS")
    fig = ax.figure
    assert ax.get_xscale() == "log"
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "ASPIRE",
        "ENDEAVOR",
        "Niu",
        "Fixed effect",
    ]
    (published,) = _gid(ax, "forest-published")
    (rebuilt,) = _gid(ax, "forest-reconstructed")
    np.testing.assert_allclose(published.get_xdata(), [0.69, 0.53, 0.712])
    np.testing.assert_allclose(rebuilt.get_xdata(), [0.69, 0.707])
    # Published just above, reconstructed just below the row; alone in the row: centred.
    np.testing.assert_allclose(published.get_ydata(), [0.17, -1, -2 + 0.17])
    np.testing.assert_allclose(rebuilt.get_ydata(), [-0.17, -2 - 0.17])
    assert len(_gid(ax, "forest-pooled")) == 1
    (ref,) = _gid(ax, "forest-ref")
    assert list(ref.get_xdata()) == [1.0, 1.0]
    shown = [t.get_text() for t in _texts(text, "forest-text")]
    assert "0.712 (0.583–0.874)" in shown and "0.707 (0.426–1.174)" in shown
    assert "0.62 (0.56–0.69)" in shown and len(shown) == 6
    assert any(t.get_text() == "HR (95% CI)" for t in text.texts)
    fig.figure.draw_without_rendering()
    _assert_apart(fig, [*ax.get_yticklabels(), *_texts(text, "forest-text")])


def test_forest_pooled_as_dataframe_and_no_reference_line():
    pooled = pd.DataFrame({"label": ["RE"], "hr": [0.6], "hr_lower": [0.5], "hr_upper": [0.7]})
    ax = plot_forest(FOREST[["label", "hr", "hr_lower", "hr_upper"]], pooled=pooled, ref_line=None)
    assert not _gid(ax, "forest-ref") and not _gid(ax, "forest-reconstructed")
    assert len(_gid(ax, "forest-pooled")) == 1


@pytest.mark.parametrize(
    ("rows", "pooled", "message"),
    [
        ("rows", None, "rows: expected a ComparisonTable (mmsurv.compare_studies) or a pandas"),
        (FOREST.drop(columns="hr_upper"), None, "rows: missing column(s) hr_upper"),
        (FOREST.iloc[:0], None, "rows: no rows (needs at least one study)"),
        (FOREST.assign(hr=[0.69, -1, 0.7]), None, "rows.hr: row 1: -1 is not a positive"),
        (FOREST.assign(hr=[0.69, "x", 0.7]), None, "rows.hr: row 1: 'x' is not a number"),
        (
            FOREST.assign(hr_upper=[0.87, 1.2, 3e293]),
            None,
            "rows.hr_upper: row 2: 3e+293 is outside",
        ),
        (FOREST.assign(hr=[0.69, 0.3, 0.7]), None, "rows.hr_lower: row 1: the CI lower bound"),
        (FOREST.assign(rec_upper=np.nan), None, "rows.rec_upper: row 0: missing while rec_lower"),
        (FOREST.assign(hr=np.nan), None, "rows.hr: row 0: missing while its CI is given"),
        (
            FOREST.assign(hr=np.nan, hr_lower=np.nan, hr_upper=np.nan),
            None,
            "rows: row 1: no hazard ratio (needs hr or rec_hr)",
        ),
        (FOREST.assign(label=["a", None, "c"]), None, "rows.label: row 1: missing label"),
        (FOREST, [("RE", 0.6, 0.5)], "pooled[0]: expected (label, hr, lower, upper)"),
        (FOREST, [("RE", 0.6, None, 0.7)], "pooled.hr: row 0: needs hr, hr_lower, hr_upper"),
        (FOREST, "RE", "pooled: expected a DataFrame or (label, hr, lower, upper) tuples"),
    ],
)
def test_forest_bad_input(rows, pooled, message):
    with pytest.raises(InputError) as err:
        plot_forest(rows, pooled=pooled)
    assert str(err.value).startswith(message)


def test_forest_bad_reference_line():
    with pytest.raises(InputError, match=r"^ref_line: must be a number > 0 or None"):
        plot_forest(FOREST, ref_line=0)


_maybe = st.one_of(
    st.none(),
    st.just(np.nan),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(0.01, 20),
    st.sampled_from(["0.5", "x", True]),
)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.text(max_size=12), *[_maybe] * 6),
        min_size=0,
        max_size=5,
    ),
    st.lists(st.tuples(st.text(max_size=8), _maybe, _maybe, _maybe), max_size=2),
)
def test_forest_random_rows_build_or_refuse(rows, pooled):
    frame = pd.DataFrame(
        rows, columns=["label", "hr", "hr_lower", "hr_upper", "rec_hr", "rec_lower", "rec_upper"]
    )
    try:
        ax = plot_forest(frame, pooled=pooled)
    except InputError:
        return
    assert isinstance(ax, Axes)
    assert len(ax.get_yticklabels()) == len(rows) + len(pooled)


def test_forest_sorted_rows_build():
    hr = np.array([0.5, 1.0, 2.0])
    rows = pd.DataFrame({"label": list("abc"), "hr": hr, "hr_lower": hr / 2, "hr_upper": hr * 2})
    low, high = plot_forest(rows).get_xlim()
    assert low < 0.25 and high > 4


# --------------------------------------------------------------------------- saving


MAGIC = {".png": b"\x89PNG\r\n\x1a\n", ".pdf": b"%PDF-", ".svg": b"<?xml"}


@pytest.fixture(scope="module")
def small_fig():
    return plot_forest(FOREST.iloc[:1])


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf", ".PNG"])
def test_save_figure_formats(small_fig, tmp_path, suffix):
    out = save_figure(small_fig, tmp_path / f"figure{suffix}")
    assert out == tmp_path / f"figure{suffix}"
    data = out.read_bytes()
    assert data.startswith(MAGIC[suffix.lower()])
    if suffix == ".svg":
        assert b"<svg" in data and b"<dc:date>" not in data
    if suffix == ".pdf":
        assert b"/CreationDate" not in data
    assert os.listdir(tmp_path) == [out.name]  # no temporary file left


def test_save_figure_png_is_300_dpi(small_fig, tmp_path):
    out = save_figure(small_fig, tmp_path / "figure.png")
    width = int.from_bytes(out.read_bytes()[16:20], "big")
    assert width == round(small_fig.figure.get_figwidth() * 300)


def test_save_figure_refuses(small_fig, tmp_path):
    with pytest.raises(InputError) as err:
        save_figure(small_fig, tmp_path / "figure.xyz")
    assert err.value.problem == "unsupported figure format '.xyz'; use .png, .svg or .pdf"
    assert err.value.file == str(tmp_path / "figure.xyz")
    with pytest.raises(InputError, match=r"no file suffix"):
        save_figure(small_fig, tmp_path / "figure")
    with pytest.raises(InputError) as err:
        save_figure(small_fig, tmp_path / "missing" / "figure.png")
    assert err.value.problem == "the output folder does not exist"
    (tmp_path / "folder.png").mkdir()
    with pytest.raises(InputError, match=r"is a folder"):
        save_figure(small_fig, tmp_path / "folder.png")
    with pytest.raises(InputError, match=r"^fig: expected a matplotlib Figure"):
        save_figure("figure", tmp_path / "figure.png")
    assert os.listdir(tmp_path) == ["folder.png"]


def test_save_figure_failure_leaves_old_file_and_nothing_else(tmp_path, monkeypatch):
    fig = plot_forest(FOREST.iloc[:1]).figure
    target = tmp_path / "figure.png"
    target.write_bytes(b"old")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(fig, "savefig", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        save_figure(fig, target)
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["figure.png"]


# --------------------------------------------------------------------------- composing, sizes


def test_km_into_given_axes_with_the_table_beneath(niu):
    study, ipd, result = niu
    fig = Figure(figsize=(10, 4.5), layout="constrained")
    left, right = fig.subplots(1, 2)
    returned = plot_km(result, ipd=ipd, study=study, endpoint="PFS", ax=right)
    assert returned is right and fig.axes == [left, right]
    _, table = _parts(right)
    fig.draw_without_rendering()
    label = _extent(fig, right.xaxis.label)
    for text in _texts(table, "risk-count"):  # below the axis label, inside the figure
        box = _extent(fig, text)
        assert box.y1 < label.y0 and box.y0 > 0
    with pytest.raises(InputError, match=r"^ax: expected matplotlib Axes, got Figure"):
        plot_km(result, ipd=ipd, ax=fig)
    with pytest.raises(InputError, match=r"^figsize: give figsize or ax, not both"):
        plot_km(result, ipd=ipd, ax=left, figsize=(3, 3))


def test_lifelines_curves_drawn_onto_our_axes_keep_ticks_and_legend(niu):
    from lifelines import KaplanMeierFitter

    study, ipd, result = niu
    ax = plot_km(result, ipd=ipd, study=study, endpoint="PFS")
    krd = ipd[ipd["arm"] == "KRd"]
    KaplanMeierFitter(label="lifelines KRd").fit(krd["time"], krd["event"]).plot_survival_function(
        ax=ax
    )
    ax.figure.draw_without_rendering()
    assert [t.get_text() for t in ax.get_xticklabels()][:3] == ["0", "3", "6"]
    assert "lifelines KRd" in [t.get_text() for t in ax.get_legend().get_texts()]


@pytest.mark.parametrize(("size", "width"), [("single", 3.5), ("double", 7.2)])
def test_journal_sizes_keep_text_at_7_points_or_more(niu, size, width):
    study, ipd, result = niu
    ax = plot_km(result, ipd=ipd, study=study, endpoint="PFS", size=size)
    fig = ax.figure
    assert fig.get_figwidth() == width
    fig.draw_without_rendering()
    texts = [t for t in fig.findobj(matplotlib.text.Text) if t.get_text() and t.get_visible()]
    assert len(texts) > 20
    assert min(t.get_fontsize() for t in texts) >= 7
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[:2] == ["KRd (n = 42)", "VRd (n = 38)"]  # short names at print size
    whole = fig.bbox
    for text in texts:
        box = _extent(fig, text)
        assert whole.x0 - 1 <= box.x0 and box.x1 <= whole.x1 + 1
    box = _annotation(ax).txt.get_text().splitlines()
    assert any("(95% CI 0.583–0.874)" in line for line in box)  # a CI is never split
    with pytest.raises(InputError, match=r"^size: expected one of screen, double, single"):
        plot_km(result, ipd=ipd, size="poster")


def test_censor_marks_of_a_large_arm_are_thinned():
    rng = np.random.default_rng(7)
    n = 800
    ipd = pd.DataFrame(
        {"arm": "A", "time": rng.uniform(0, 60, n), "event": (rng.uniform(size=n) < 0.3) * 1}
    )
    ax = plot_km(analyze(ipd, time_unit="months"), ipd=ipd)
    (marks,) = _gid(ax, "km-censor")
    censored = int((ipd["event"] == 0).sum())
    assert censored > 500 and len(marks.get_xdata()) <= 81
    assert np.all(np.diff(marks.get_xdata()) >= ax.get_xlim()[1] / 80)


def test_thin_marks_spacing_and_first_kept():
    times = np.sort(np.random.default_rng(1).uniform(0, 10, 500))
    kept = thin_marks(times, 0.25)
    assert kept[0] == times[0] and np.all(np.diff(kept) >= 0.25)
    nearest_before = kept[np.searchsorted(kept, times, side="right") - 1]
    assert np.all(times - nearest_before < 0.25)  # each time within spacing after a mark
    assert thin_marks(np.array([3.0]), 1).tolist() == [3.0]


def test_landmark_ci_has_its_legend_entry(rossi_fig):
    legend = [t.get_text() for t in rossi_fig.get_legend().get_texts()]
    assert "Published landmark (CI)" in legend  # 26 weeks with its CI
    assert "Published landmark" in legend  # 52 weeks and the other arm without


def test_km_title_names_the_trial():
    study = mmsurv.load_study("pollux-2016-pfs-primary")
    ipd, result = mmsurv.analyze_endpoint(study, "PFS")
    ax = plot_km(result, ipd=ipd, study=study, endpoint="PFS")
    assert ax.get_title(loc="left") == "PFS — POLLUX"


def test_new_figures_go_through_pyplot_in_ipython(monkeypatch):
    import sys
    import types

    import matplotlib.pyplot as plt

    from mmsurv.plotting import new_figure

    plain = new_figure((3, 2))
    assert not plt.fignum_exists(plain.number) if hasattr(plain, "number") else True
    fake = types.ModuleType("IPython")
    fake.get_ipython = lambda: object()
    monkeypatch.setitem(sys.modules, "IPython", fake)
    shown = new_figure((3, 2))
    try:
        assert plt.fignum_exists(shown.number)  # the backend shows it at the cell's end
        assert shown.get_layout_engine() is not None
    finally:
        plt.close(shown)
    fake.get_ipython = lambda: None  # IPython imported but not running
    assert not hasattr(new_figure((3, 2)), "number")


def test_save_figure_takes_what_the_plots_return(niu, aspire, tmp_path):
    panels = [KMPanel(r, ipd=i, study=s, endpoint="PFS") for s, i, r in (niu, aspire)]
    axes = plot_panel(panels, size="double")
    assert axes[0].figure.get_figwidth() == 7.2
    out = save_figure(axes, tmp_path / "panel.png")
    assert out.read_bytes().startswith(MAGIC[".png"])
    other = plot_forest(FOREST.iloc[:1])
    with pytest.raises(InputError, match=r"^fig: the axes belong to different figures"):
        save_figure([axes[0], other], tmp_path / "mixed.png")


# --------------------------------------------------------------------------- forest of a comparison


@pytest.fixture(scope="module")
def comparison():
    return mmsurv.compare_studies(
        ["maia-2019-pfs-primary", "pollux-2016-pfs-primary", "aspire-2015-pfs-os-primary"], "PFS"
    )


def test_forest_of_a_comparison_prints_published_numbers_as_stored(comparison):
    ax = plot_forest(comparison)
    shown = [t.get_text() for t in _texts(ax, "forest-text")]
    # POLLUX prints 0.37 (0.27-0.52) at 95%: shown so, not re-centred to 0.267-0.513
    assert "0.37 (0.27–0.52)" in shown and "0.56 (0.43–0.73)" in shown
    assert [t.get_text() for t in ax.get_yticklabels()][:3] == [
        "MAIA: D-Rd vs Rd",
        "POLLUX: D-Rd vs Rd",
        "ASPIRE: KRd vs Rd",
    ]
    weights = [t.get_text() for t in _texts(ax, "forest-weight")]
    meta = comparison.meta
    assert weights[0] == (
        f"{100 * meta.weights_fixed[0]:.1f}% / {100 * meta.weights_random[0]:.1f}%"
    )
    (line,) = _gid(ax, "forest-heterogeneity")
    assert line.get_text().startswith("Heterogeneity: Q = ") and "I² = " in line.get_text()
    assert "τ² = " in line.get_text()
    assert len(_gid(ax, "forest-pooled")) == 2


def test_forest_at_single_column_width(comparison):
    ax = plot_forest(comparison, size="single")
    fig = ax.figure
    assert fig.get_figwidth() == 3.5 and not _texts(ax, "forest-weight")
    fig.draw_without_rendering()
    assert ax.get_window_extent().width > 0.25 * fig.bbox.width  # room left for the HRs
    texts = [t for t in fig.findobj(matplotlib.text.Text) if t.get_text() and t.get_visible()]
    assert min(t.get_fontsize() for t in texts) >= 7
    _assert_apart(fig, [*ax.get_yticklabels(), *_texts(ax, "forest-text")])


def test_forest_keeps_trailing_zeros_of_a_printed_ci():
    rows = pd.DataFrame({"label": ["Rossi"], "hr": [0.69], "hr_lower": [0.48], "hr_upper": [1.0]})
    shown = [t.get_text() for t in _texts(plot_forest(rows), "forest-text")]
    assert shown == ["0.69 (0.48–1.00)"]


def test_forest_hints_at_what_it_takes(comparison):
    with pytest.raises(InputError, match=r"^rows: expected a ComparisonTable .* got MetaResult"):
        plot_forest(comparison.meta)
    with pytest.raises(InputError, match=r"^pooled: is a method: call it"):
        plot_forest(comparison, pooled=comparison.pooled)


def test_forest_into_given_axes(comparison):
    fig = Figure(figsize=(9, 4), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    assert plot_forest(comparison, ax=ax) is ax
    fig.draw_without_rendering()
    _assert_apart(fig, [*ax.get_yticklabels(), *_texts(ax, "forest-text")])
