"""Tests of the validation helpers in mmsurv.validation (not of the algorithm's accuracy)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from accuracy import guyot_accuracy_table, markdown_table, summarize_accuracy
from hypothesis import given, settings
from hypothesis import strategies as st

from mmsurv.km import km_curve, step_values
from mmsurv.validation import (
    CASES,
    PaperArm,
    at_risk_table,
    cox_log_hr,
    digitize,
    km_errors,
    km_median,
    nice_ticks,
    paper_view,
    real_datasets,
)

REQUIRED = ["rossi", "gbsg2", "lung", "kidney_transplant", "waltons", "leukemia", "dd", "larynx"]


def _distinct_event_times(time, event):
    return np.unique(np.asarray(time)[np.asarray(event) == 1])


# --------------------------------------------------------------------------- data sets


def test_required_datasets_are_present(datasets):
    assert len(datasets) >= 8
    assert set(REQUIRED) <= set(datasets)


@pytest.mark.parametrize("name", [*REQUIRED, "lymph_node"])
def test_dataset_shape_and_arms(datasets, name):
    ds = datasets[name]
    data = ds.data
    assert list(data.columns) == ["arm", "time", "event"]
    assert ds.treatment != ds.reference
    assert set(data["arm"]) == {ds.treatment, ds.reference}
    assert all(isinstance(a, str) for a in data["arm"])
    sizes = data["arm"].value_counts()
    assert sizes.min() >= 20, sizes.to_dict()
    assert data["time"].dtype == float
    assert np.all(np.isfinite(data["time"])) and np.all(data["time"] >= 0)
    assert pd.api.types.is_integer_dtype(data["event"])
    assert set(np.unique(data["event"])) <= {0, 1}
    for label in ds.arms:
        t, e = ds.arm(label)
        assert t.size == sizes[label]
        assert e.sum() > 0, f"{name}/{label} has no events"
    assert ds.description and "\n" not in ds.description
    assert ds.name == name


@pytest.mark.parametrize(
    ("name", "arm", "n", "events"),
    [
        ("rossi", "financial aid", 216, 48),
        ("rossi", "no aid", 216, 66),
        ("gbsg2", "hormonal therapy", 246, 94),
        ("lung", "male", 138, 112),
        ("lung", "female", 90, 53),
        ("kidney_transplant", "male", 524, 87),
        ("kidney_transplant", "female", 339, 53),
        ("leukemia", "6-MP", 21, 9),
        ("leukemia", "placebo", 21, 21),
        ("larynx", "stage I-II", 50, 22),
        ("larynx", "stage III-IV", 40, 28),
        ("waltons", "miR-137", 34, 34),
        ("dd", "democracy", 1187, 1027),
    ],
)
def test_grouping_matches_the_published_data(datasets, name, arm, n, events):
    t, e = datasets[name].arm(arm)
    assert (t.size, int(e.sum())) == (n, events)


def test_unknown_arm_raises(datasets):
    with pytest.raises(KeyError):
        datasets["rossi"].arm("nobody")


def test_real_datasets_returns_copies():
    first = real_datasets()
    first["rossi"].data.loc[:, "time"] = -1.0
    assert (real_datasets()["rossi"].data["time"] >= 0).all()


# --------------------------------------------------------------------------- digitize


def _toy():
    time = np.array([1.0, 2.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0])
    event = np.array([1, 1, 0, 1, 0, 1, 0, 0])
    return time, event


def test_digitize_without_noise_hits_the_km_corners():
    time, event = _toy()
    clicks = digitize(time, event, rng=np.random.default_rng(0), time_noise=0, surv_noise=0)
    ev = _distinct_event_times(time, event)
    assert clicks.shape == (2 * ev.size + 1, 2)
    km_t, km_s = km_curve(time, event)
    after = step_values(km_t, km_s, ev)
    before = np.concatenate([[1.0], after[:-1]])
    np.testing.assert_allclose(clicks[0:-1:2], np.column_stack([ev, before]))
    np.testing.assert_allclose(clicks[1:-1:2], np.column_stack([ev, after]))
    np.testing.assert_allclose(clicks[-1], [8.0, after[-1]])
    # S after the event at 1: 7/8; at 2 (7 at risk, 1 event): 7/8 * 6/7 = 3/4
    np.testing.assert_allclose(clicks[:4, 1], [1.0, 7 / 8, 7 / 8, 3 / 4])


def test_digitize_no_final_click_when_last_time_is_an_event():
    time = np.array([1.0, 2.0, 3.0, 3.0])
    event = np.array([1, 0, 1, 1])
    clicks = digitize(time, event, rng=np.random.default_rng(0), time_noise=0, surv_noise=0)
    assert clicks.shape == (4, 2)
    assert clicks[-1, 1] == 0.0


def test_digitize_without_events_gives_a_flat_curve():
    clicks = digitize([1.0, 2.0], [0, 0], rng=np.random.default_rng(0), time_noise=0, surv_noise=0)
    np.testing.assert_allclose(clicks, [[0.0, 1.0], [2.0, 1.0]])


def test_digitize_is_deterministic_given_the_generator(datasets):
    t, e = datasets["lung"].arm("male")
    a = digitize(t, e, rng=np.random.default_rng(5))
    b = digitize(t, e, rng=np.random.default_rng(5))
    c = digitize(t, e, rng=np.random.default_rng(6))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_digitize_noise_has_the_requested_size(datasets):
    t, e = datasets["dd"].arm("democracy")
    t = np.concatenate([t + 0.001 * i for i in range(40)])  # many distinct event times
    e = np.tile(e, 40)
    exact = digitize(t, e, rng=np.random.default_rng(1), time_noise=0, surv_noise=0)
    noisy = digitize(t, e, rng=np.random.default_rng(1), time_noise=0.01, surv_noise=0.02)
    dt = (noisy[:, 0] - exact[:, 0]) / t.max()
    ds = noisy[:, 1] - exact[:, 1]
    inner = exact[:, 0] > 0.1 * t.max()  # away from the clipping at 0
    assert exact.shape[0] > 500
    assert abs(np.std(dt[inner]) - 0.01) < 0.002
    assert abs(np.std(ds) - 0.02) < 0.003
    assert abs(np.mean(ds)) < 0.003


def test_digitize_clips_times_at_zero():
    time = np.array([0.01, 0.02, 0.03, 10.0])
    event = np.array([1, 1, 1, 0])
    clicks = digitize(time, event, rng=np.random.default_rng(3), time_noise=0.5)
    assert clicks[:, 0].min() >= 0.0
    assert np.any(clicks[:, 0] == 0.0)


def test_digitize_noisy_clicks_are_nearly_non_increasing(datasets):
    t, e = datasets["gbsg2"].arm("no hormonal therapy")
    clicks = digitize(t, e, rng=np.random.default_rng(11))
    rises = np.diff(clicks[:, 1])  # in click order, only noise can make the curve rise
    assert rises.max() < 6 * 0.002 * math.sqrt(2)
    assert np.all(np.diff(clicks[:, 0]) > -6 * 0.002 * t.max() * math.sqrt(2))
    assert clicks[0, 1] == pytest.approx(1.0, abs=0.01)
    _km_t, km_s = km_curve(t, e)
    assert clicks[-1, 1] == pytest.approx(km_s[-1], abs=0.01)
    assert clicks[-1, 0] == pytest.approx(t.max(), abs=0.01 * t.max())


@pytest.mark.parametrize("max_clicks", [3, 10, 25, 100])
def test_digitize_thinning_keeps_size_and_shape(datasets, max_clicks):
    t, e = datasets["gbsg2"].arm("no hormonal therapy")
    clicks = digitize(
        t, e, rng=np.random.default_rng(0), time_noise=0, surv_noise=0, max_clicks=max_clicks
    )
    assert max_clicks - 2 <= clicks.shape[0] <= max_clicks
    assert np.all(np.diff(clicks[:, 0]) >= 0)
    assert np.all(np.diff(clicks[:, 1]) <= 0)
    km_t, km_s = km_curve(t, e)
    # every click lies on the true curve: a top corner at S(t-), a bottom one at S(t)
    tops, bottoms = clicks[0:-1:2], clicks[1:-1:2]
    np.testing.assert_allclose(bottoms[:, 1], step_values(km_t, km_s, bottoms[:, 0]))
    left = step_values(km_t, km_s, np.nextafter(tops[:, 0], -np.inf))
    np.testing.assert_allclose(tops[:, 1], left)
    # the end of the curve is kept
    np.testing.assert_allclose(clicks[-1], [t.max(), km_s[-1]])
    # the largest drop of the curve is among the clicked ones
    drops = -np.diff(km_s)
    assert np.isclose(bottoms[:, 0], km_t[1:][np.argmax(drops)]).any()


def test_digitize_thinning_follows_the_curve(datasets):
    t, e = datasets["kidney_transplant"].arm("male")
    clicks = digitize(t, e, rng=np.random.default_rng(0), time_noise=0, surv_noise=0, max_clicks=41)
    km_t, km_s = km_curve(t, e)
    grid = np.linspace(0, t.max(), 500)
    gap = np.abs(step_values(clicks[:, 0], clicks[:, 1], grid) - step_values(km_t, km_s, grid))
    assert gap.max() < 0.05


def test_digitize_rejects_bad_input():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError):
        digitize([1.0, 2.0], [1], rng=rng)
    with pytest.raises(ValueError):
        digitize([-1.0, 2.0], [1, 1], rng=rng)
    with pytest.raises(ValueError):
        digitize([], [], rng=rng)
    with pytest.raises(ValueError):
        digitize([1.0, 2.0], [1, 1], rng=rng, max_clicks=2)
    with pytest.raises(ValueError):
        digitize([1.0, 2.0], [1, 1], rng=rng, surv_noise=-0.1)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 30), st.booleans()),
        min_size=1,
        max_size=60,
    ),
    st.one_of(st.none(), st.integers(3, 40)),
)
def test_digitize_exact_clicks_form_a_km_staircase(pairs, max_clicks):
    time = np.array([p[0] for p in pairs], dtype=float)
    event = np.array([p[1] for p in pairs], dtype=int)
    clicks = digitize(
        time,
        event,
        rng=np.random.default_rng(0),
        time_noise=0,
        surv_noise=0,
        max_clicks=max_clicks,
    )
    k = _distinct_event_times(time, event).size
    if max_clicks is None:
        expected = 2 * k + int(k == 0 or time.max() > time[event == 1].max())
        assert clicks.shape == (max(expected, 2), 2)
    else:
        assert clicks.shape[0] <= max_clicks
    assert np.all(np.diff(clicks[:, 0]) >= 0)
    assert np.all(np.diff(clicks[:, 1]) <= 1e-12)
    assert clicks[:, 1].min() >= 0 and clicks[:, 1].max() <= 1
    _km_t, km_s = km_curve(time, event)
    assert clicks[-1, 1] == pytest.approx(km_s[-1])


# --------------------------------------------------------------------------- ticks and tables


def test_at_risk_table_counts():
    time = [1.0, 2.0, 2.0, 3.0, 5.0]
    table = at_risk_table(time, [0, 2, 4, 6])
    assert table == {"times": [0.0, 2.0, 4.0, 6.0], "n": [5, 4, 1, 0]}
    assert all(type(x) is int for x in table["n"])
    assert all(type(x) is float for x in table["times"])


def test_at_risk_table_counts_censored_at_a_tick_as_at_risk():
    table = at_risk_table(np.array([3.0, 3.0, 3.0, 7.0]), np.array([3.0, 3.5]))
    assert table["n"] == [4, 1]


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=1e-3, max_value=1e6), st.integers(1, 20))
def test_nice_ticks_properties(max_time, k):
    ticks = nice_ticks(max_time, k)
    assert 6 <= ticks.size <= 10
    assert ticks[0] == 0
    assert np.all(ticks < max_time)
    steps = np.diff(ticks)
    step = steps[0]
    np.testing.assert_allclose(steps, step, rtol=1e-9)
    assert ticks[-1] + step >= max_time * (1 - 1e-9)  # the ticks span the axis
    mantissa = step / 10.0 ** math.floor(math.log10(step))
    assert any(math.isclose(mantissa, m) for m in (1, 1.2, 2, 2.4, 2.5, 3, 5, 6))


@pytest.mark.parametrize(
    ("max_time", "expected"),
    [
        (10.7, [0, 2, 4, 6, 8, 10]),
        (52.0, [0, 6, 12, 18, 24, 30, 36, 42, 48]),
        (2659.0, [0, 300, 600, 900, 1200, 1500, 1800, 2100, 2400]),
        (1.0, [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]),
    ],
)
def test_nice_ticks_examples(max_time, expected):
    np.testing.assert_allclose(nice_ticks(max_time), expected)


@pytest.mark.parametrize("bad", [0.0, -3.0, float("nan"), float("inf")])
def test_nice_ticks_rejects_bad_axis(bad):
    with pytest.raises(ValueError):
        nice_ticks(bad)


# --------------------------------------------------------------------------- comparisons


def test_km_median():
    assert km_median([1, 2, 3, 4], [1, 1, 1, 1]) == 2.0  # S(2) = 0.5 exactly
    assert km_median([1, 2, 3, 4, 5], [1, 0, 1, 1, 0]) == 4.0  # S: .8, .8, .533, .267
    assert math.isnan(km_median([1, 2, 3, 4], [1, 0, 0, 0]))


def test_km_errors():
    time, event = _toy()
    assert km_errors(time, event, time, event, 8.0) == (0.0, 0.0)
    # one event at 2 vs the same event at 3: |dS| = 1/2 on [2, 3), horizon 4
    max_abs, mean_abs = km_errors([2.0, 5.0], [1, 0], [3.0, 5.0], [1, 0], 4.0)
    assert max_abs == pytest.approx(0.5)
    assert mean_abs == pytest.approx(0.5 * 1 / 4)


def test_cox_log_hr_antisymmetric_and_ignores_other_arms(datasets):
    ds = datasets["rossi"]
    forward = cox_log_hr(ds.data, ds.treatment, ds.reference)
    backward = cox_log_hr(ds.data, ds.reference, ds.treatment)
    assert forward == pytest.approx(-backward, abs=1e-6)
    assert forward == pytest.approx(-0.369, abs=0.005)  # univariate fin effect
    extra = pd.DataFrame({"arm": "other", "time": [1.0, 2.0, 3.0], "event": [1, 1, 1]})
    assert cox_log_hr(pd.concat([ds.data, extra]), ds.treatment, ds.reference) == pytest.approx(
        forward
    )
    with pytest.raises(ValueError):
        cox_log_hr(ds.data, ds.treatment, "nobody")


# --------------------------------------------------------------------------- paper view


def test_paper_view_is_consistent_and_reproducible(datasets):
    ds = datasets["larynx"]
    view = paper_view(ds)
    again = paper_view(ds)
    assert list(view) == list(ds.arms)
    for label, paper in view.items():
        t, e = ds.arm(label)
        assert isinstance(paper, PaperArm)
        assert paper.n == t.size and paper.total_events == int(e.sum())
        np.testing.assert_array_equal(paper.clicks, again[label].clicks)
        times, counts = paper.at_risk["times"], paper.at_risk["n"]
        assert times[0] == 0 and counts[0] == paper.n
        assert max(times) <= paper.clicks[:, 0].max()
        assert all(c > 0 for c in counts)
        assert counts == at_risk_table(t, times)["n"]
    other = paper_view(ds, seed=1)[ds.treatment].clicks
    assert not np.array_equal(other, view[ds.treatment].clicks)


def test_guyot_inputs_per_case(datasets):
    paper = paper_view(datasets["leukemia"])["6-MP"]
    expected = {
        "at_risk_events": (True, True),
        "at_risk": (True, False),
        "events": (False, True),
        "curve_only": (False, False),
    }
    for case in CASES:
        args = paper.guyot_inputs(case)
        assert (args["at_risk"] is not None, args["total_events"] is not None) == expected[case]
        assert args["n"] == 21
    with pytest.raises(ValueError):
        paper.guyot_inputs("nonsense")


# --------------------------------------------------------------------------- the table


def test_accuracy_table_layout(datasets):
    table = guyot_accuracy_table(cases=["events"], datasets=["leukemia", datasets["larynx"]])
    assert list(table["dataset"]) == ["leukemia", "leukemia", "larynx", "larynx"]
    assert list(table["arm"]) == ["6-MP", "placebo", "stage III-IV", "stage I-II"]
    assert (table["case"] == "events").all()
    assert list(table["events_true"]) == [9, 21, 28, 22]
    assert (table["n"] == [21, 21, 40, 50]).all()
    for _, rows in table.groupby("dataset"):
        assert rows["log_hr_err"].nunique() == 1
        assert rows["log_hr_true"].nunique() == 1
    ok = table["error"] == ""
    np.testing.assert_allclose(
        table.loc[ok, "events_miss"], table.loc[ok, "events_rec"] - table.loc[ok, "events_true"]
    )
    assert (table.loc[ok, "at_risk_rows"] == 0).all()


def test_accuracy_table_rejects_unknowns():
    with pytest.raises(ValueError):
        guyot_accuracy_table(cases=["bogus"], datasets=["rossi"])
    with pytest.raises(KeyError):
        guyot_accuracy_table(cases=["events"], datasets=["no_such_data"])


def test_summarize_accuracy_by_hand():
    table = pd.DataFrame(
        {
            "dataset": ["a", "a", "b", "b", "a", "a"],
            "case": ["events"] * 4 + ["at_risk"] * 2,
            "arm": ["x", "y", "x", "y", "x", "y"],
            "events_miss": [0, -3, 1, 0, 2, 0],
            "max_abs_dS": [0.1, 0.2, 0.3, 0.05, 0.01, 0.02],
            "mean_abs_dS": [0.01, 0.02, 0.04, 0.03, 0.001, 0.003],
            "log_hr_err": [0.1, 0.1, 0.3, 0.3, 0.05, 0.05],
            "error": ["", "", "", "", "", ""],
        }
    )
    summary = summarize_accuracy(table)
    assert list(summary.index) == ["at_risk", "events"]  # in the order of CASES
    row = summary.loc["events"]
    assert row["arms"] == 4
    assert row["mean_abs_dS_median"] == pytest.approx(0.025)
    assert row["mean_abs_dS_worst"] == pytest.approx(0.04)
    assert row["max_abs_dS_worst"] == pytest.approx(0.3)
    assert row["log_hr_err_median"] == pytest.approx(0.2)  # over data sets, not arms
    assert row["log_hr_err_worst"] == pytest.approx(0.3)
    assert row["events_miss_worst"] == 3
    assert summary.loc["at_risk", "events_miss_worst"] == 2


def test_markdown_table_escapes_and_aligns():
    frame = pd.DataFrame({"mean |dS|": [0.5, float("nan")], "arm": ["a|b", "c"], "n": [3, 4]})
    text = markdown_table(frame, digits=2).splitlines()
    assert text[0] == "| mean \\|dS\\| | arm | n |"
    assert text[1] == "|---:|:---|---:|"
    assert text[2] == "| 0.50 | a\\|b | 3 |"
    assert text[3] == "|  | c | 4 |"
