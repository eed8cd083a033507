"""Tests of mmsurv.analysis: every number against lifelines called directly."""

from __future__ import annotations

import math
import subprocess
import sys
import warnings
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lifelines import CoxPHFitter, KaplanMeierFitter
from lifelines.datasets import load_rossi, load_waltons
from lifelines.exceptions import ConvergenceError
from lifelines.statistics import logrank_test, proportional_hazard_test
from lifelines.utils import median_survival_times, restricted_mean_survival_time
from scipy.optimize import minimize_scalar

from mmsurv.analysis import AnalysisResult, analyze
from mmsurv.errors import InputError

# --------------------------------------------------------------------------- data


@pytest.fixture(scope="module")
def rossi() -> pd.DataFrame:
    data = load_rossi()
    return pd.DataFrame({"arm": data["fin"], "time": data["week"], "event": data["arrest"]})


@pytest.fixture(scope="module")
def waltons() -> pd.DataFrame:
    data = load_waltons()
    return pd.DataFrame({"arm": data["group"], "time": data["T"], "event": data["E"]})


@pytest.fixture(scope="module")
def rossi_result(rossi) -> AnalysisResult:
    return analyze(rossi, 1, 0, landmarks=[13, 26, 52], time_unit="weeks")


@pytest.fixture(scope="module")
def waltons_result(waltons) -> AnalysisResult:
    return analyze(waltons, "miR-137", "control", landmarks=[20, 40, 60])


CASES = [("rossi", 1, 0), ("waltons", "miR-137", "control")]


@pytest.fixture(params=CASES, ids=[c[0] for c in CASES])
def case(request, rossi, waltons, rossi_result, waltons_result):
    name, treatment, reference = request.param
    ipd, result = (rossi, rossi_result) if name == "rossi" else (waltons, waltons_result)
    return ipd, result, treatment, reference


def _km(ipd: pd.DataFrame, label, alpha: float = 0.05) -> KaplanMeierFitter:
    arm = ipd[ipd["arm"] == label]
    return KaplanMeierFitter(alpha=alpha).fit(arm["time"], arm["event"])


def _cox_frame(ipd: pd.DataFrame, treatment, reference) -> pd.DataFrame:
    rows = ipd[ipd["arm"].isin([treatment, reference])]
    return pd.DataFrame(
        {
            "time": rows["time"].to_numpy(float),
            "event": rows["event"].to_numpy(int),
            "treatment": (rows["arm"] == treatment).to_numpy(float),
        }
    )


def _none_if_inf(value: float) -> float | None:
    return None if not np.isfinite(value) else float(value)


# --------------------------------------------------------------------------- per arm


def test_km_curve_and_ci_match_lifelines(case):
    ipd, result, *_ = case
    for label, arm in result.arms.items():
        kmf = _km(ipd, label)
        np.testing.assert_allclose(arm.times, kmf.survival_function_.index.to_numpy(float))
        np.testing.assert_allclose(arm.survival, kmf.survival_function_.iloc[:, 0])
        np.testing.assert_allclose(arm.ci_lower, kmf.confidence_interval_.iloc[:, 0])
        np.testing.assert_allclose(arm.ci_upper, kmf.confidence_interval_.iloc[:, 1])
        assert arm.n == len(ipd[ipd["arm"] == label])
        assert arm.events == ipd.loc[ipd["arm"] == label, "event"].sum()


def test_median_and_ci_match_lifelines(case):
    ipd, result, *_ = case
    for label, arm in result.arms.items():
        kmf = _km(ipd, label)
        ci = median_survival_times(kmf.confidence_interval_).to_numpy()[0]
        assert arm.median == _none_if_inf(kmf.median_survival_time_)
        assert arm.median_ci == (_none_if_inf(ci[0]), _none_if_inf(ci[1]))


def test_waltons_medians_are_reached_and_rossi_are_not(rossi_result, waltons_result):
    assert waltons_result.arms["miR-137"].median == 26.0
    assert waltons_result.arms["miR-137"].median_ci == (19.0, 29.0)
    assert all(arm.median is None for arm in rossi_result.arms.values())


def test_landmarks_and_ci_match_lifelines(case):
    ipd, result, *_ = case
    for label, arm in result.arms.items():
        kmf = _km(ipd, label)
        times = list(arm.landmarks)
        expected = kmf.survival_function_at_times(times).to_numpy()
        for t, survival in zip(times, expected, strict=True):
            step = kmf.confidence_interval_.loc[:t].iloc[-1].to_numpy()
            assert arm.landmarks[t].survival == pytest.approx(survival, abs=1e-12)
            assert arm.landmarks[t].ci == pytest.approx(tuple(step), abs=1e-12)


def test_landmark_beyond_follow_up_is_none_unless_the_curve_reached_zero():
    ipd = pd.DataFrame(
        {"arm": ["A"] * 3 + ["B"] * 2, "time": [1, 2, 3, 1, 2], "event": [1, 0, 0, 1, 1]}
    )
    result = analyze(ipd, landmarks=[2.5, 5])
    assert result.arms["A"].landmarks[5].survival is None
    assert result.arms["A"].landmarks[5].ci == (None, None)
    assert result.arms["A"].landmarks[2.5].survival == pytest.approx(2 / 3)
    assert result.arms["B"].landmarks[5].survival == 0.0


def test_rmst_matches_lifelines(case):
    ipd, result, *_ = case
    for label, arm in result.arms.items():
        kmf = _km(ipd, label)
        assert arm.rmst == pytest.approx(restricted_mean_survival_time(kmf, t=result.horizon))


def _greenwood_rmst_se(kmf: KaplanMeierFitter, horizon: float) -> float:
    """The textbook sum, one event time at a time, areas from lifelines."""
    total = restricted_mean_survival_time(kmf, t=horizon)
    variance = 0.0
    for t, row in kmf.event_table.iterrows():
        d, n = row["observed"], row["at_risk"]
        if d > 0 and t <= horizon and n > d:
            area = total - restricted_mean_survival_time(kmf, t=t)
            variance += area**2 * d / (n * (n - d))
    return math.sqrt(variance)


def test_rmst_se_and_ci(case):
    ipd, result, *_ = case
    z = NormalDist().inv_cdf(0.975)
    for label, arm in result.arms.items():
        expected = _greenwood_rmst_se(_km(ipd, label), result.horizon)
        assert arm.rmst_se == pytest.approx(expected, rel=1e-9)
        assert arm.rmst_ci == pytest.approx((arm.rmst - z * expected, arm.rmst + z * expected))


def test_rmst_se_without_censoring_is_that_of_a_mean():
    # lifelines' return_variance=True gives restricted.var() itself: the spread of
    # min(T, horizon), not the sampling variance of the RMST estimate
    time = np.round(np.random.default_rng(0).exponential(10, 20), 1)
    ipd = pd.DataFrame({"arm": "A", "time": time, "event": 1})
    arm = analyze(ipd, horizon=12).arms["A"]
    restricted = np.minimum(time, 12)
    assert arm.rmst == pytest.approx(restricted.mean())
    assert arm.rmst_se == pytest.approx(math.sqrt(restricted.var() / time.size))


def test_default_horizon_is_the_smallest_last_time(case):
    ipd, result, *_ = case
    assert result.horizon == ipd.groupby("arm")["time"].max().min()


# --------------------------------------------------------------------------- comparison


def test_rmst_difference(case):
    _, result, treatment, reference = case
    comp = result.comparison
    a, b = result.arms[treatment], result.arms[reference]
    se = math.hypot(a.rmst_se, b.rmst_se)
    z = NormalDist().inv_cdf(0.975)
    assert comp.rmst_diff == pytest.approx(a.rmst - b.rmst)
    assert comp.rmst_diff_ci == pytest.approx((comp.rmst_diff - z * se, comp.rmst_diff + z * se))
    assert comp.rmst_diff_p == pytest.approx(2 * NormalDist().cdf(-abs(comp.rmst_diff) / se))


def test_logrank_matches_lifelines(case):
    ipd, result, treatment, reference = case
    a, b = ipd[ipd["arm"] == treatment], ipd[ipd["arm"] == reference]
    test = logrank_test(a["time"], b["time"], a["event"], b["event"])
    assert result.logrank_chi2 == pytest.approx(test.test_statistic, rel=1e-12)
    assert result.logrank_p == pytest.approx(test.p_value, rel=1e-12)


def test_cox_matches_lifelines(case):
    ipd, result, treatment, reference = case
    cph = CoxPHFitter().fit(_cox_frame(ipd, treatment, reference), "time", "event")
    summary = cph.summary.loc["treatment"]
    comp = result.comparison
    assert result.hr == pytest.approx(summary["exp(coef)"], rel=1e-9)
    assert result.hr_ci == pytest.approx(
        (summary["exp(coef) lower 95%"], summary["exp(coef) upper 95%"]), rel=1e-9
    )
    assert comp.hr_p == pytest.approx(summary["p"], rel=1e-9)
    assert comp.log_hr_se == pytest.approx(summary["se(coef)"], rel=1e-9)


def test_rossi_numbers(rossi_result):
    assert rossi_result.hr == pytest.approx(0.6914, abs=1e-4)
    assert rossi_result.hr_ci == pytest.approx((0.4767, 1.0028), abs=1e-4)
    assert rossi_result.logrank_chi2 == pytest.approx(3.8376, abs=1e-4)


def test_ph_test_matches_lifelines_with_distinct_times():
    rng = np.random.default_rng(3)
    time = np.concatenate([rng.exponential(1, 40), rng.weibull(2, 40)])
    event = (rng.random(80) < 0.8).astype(int)
    ipd = pd.DataFrame({"arm": ["T"] * 40 + ["R"] * 40, "time": time, "event": event})
    result = analyze(ipd, "T", "R")
    frame = _cox_frame(ipd, "T", "R")
    cph = CoxPHFitter().fit(frame, "time", "event")
    test = proportional_hazard_test(cph, frame, time_transform="rank")
    assert result.comparison.ph_chi2 == pytest.approx(np.asarray(test.test_statistic)[0])
    assert result.comparison.ph_p == pytest.approx(np.asarray(test.p_value)[0])


def test_ph_test_with_tied_times_does_not_depend_on_row_order(rossi, rossi_result, waltons):
    shuffled = rossi.sample(frac=1, random_state=7)
    again = analyze(shuffled, 1, 0)
    assert again.comparison.ph_chi2 == pytest.approx(rossi_result.comparison.ph_chi2)
    assert again.hr == pytest.approx(rossi_result.hr)
    result = analyze(waltons, "miR-137", "control")
    assert result.comparison.ph_p < 0.001  # the crossing hazards of this data set


def test_ci_level_applies_everywhere(rossi):
    result = analyze(rossi, 1, 0, landmarks=[26], ci_level=0.9)
    frame = _cox_frame(rossi, 1, 0)
    summary = CoxPHFitter(alpha=0.1).fit(frame, "time", "event").summary.loc["treatment"]
    assert result.hr_ci == pytest.approx(
        (summary["exp(coef) lower 90%"], summary["exp(coef) upper 90%"]), rel=1e-9
    )
    kmf = _km(rossi, 1, alpha=0.1)
    step = kmf.confidence_interval_.loc[:26].iloc[-1].to_numpy()
    assert result.arms[1].landmarks[26].ci == pytest.approx(tuple(step))
    z = NormalDist().inv_cdf(0.95)
    arm = result.arms[1]
    assert arm.rmst_ci == pytest.approx((arm.rmst - z * arm.rmst_se, arm.rmst + z * arm.rmst_se))


def _efron_log_hr(frame: pd.DataFrame) -> float:
    """The maximum of the Efron partial likelihood, by a scalar search."""
    time, event, x = (frame[c].to_numpy(float) for c in ("time", "event", "treatment"))

    def minus_loglik(beta: float) -> float:
        total = 0.0
        for t in np.unique(time[event == 1]):
            dead = (time == t) & (event == 1)
            risk = np.exp(beta * x[time >= t]).sum()
            tied = np.exp(beta * x[dead]).sum()
            d = dead.sum()
            total += beta * x[dead].sum() - sum(np.log(risk - r / d * tied) for r in range(d))
        return -total

    return minimize_scalar(minus_loglik, bounds=(-10, 10), method="bounded").x


def test_cox_refits_when_lifelines_default_steps_fail():
    time = [0, 0, 0, 0, 0, *[1] * 12, 2, 2, 4]
    event = [1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 1]
    ipd = pd.DataFrame({"arm": ["T"] * 2 + ["R"] * 18, "time": time, "event": event})
    frame = _cox_frame(ipd, "T", "R")
    with warnings.catch_warnings(), pytest.raises(ConvergenceError):
        warnings.simplefilter("ignore")
        CoxPHFitter().fit(frame, "time", "event")
    result = analyze(ipd, "T", "R")
    assert math.log(result.hr) == pytest.approx(_efron_log_hr(frame), abs=1e-3)
    assert result.comparison.ph_p is not None


@pytest.mark.parametrize(
    ("time_t", "event_t", "time_r", "event_r"),
    [
        ([1, 2, 3], [0, 0, 0], [1, 2, 3], [1, 0, 1]),  # no event in the treatment arm
        ([1, 2], [1, 1], [5, 6], [1, 0]),  # treatment events all before reference ones
    ],
    ids=["no-events", "separation"],
)
def test_cox_not_estimable_gives_none(time_t, event_t, time_r, event_r):
    ipd = pd.DataFrame(
        {
            "arm": ["T"] * len(time_t) + ["R"] * len(time_r),
            "time": time_t + time_r,
            "event": event_t + event_r,
        }
    )
    result = analyze(ipd, "T", "R")
    comp = result.comparison
    assert (comp.hr, comp.hr_ci, comp.hr_p, comp.ph_chi2, comp.ph_p) == (None,) * 5
    assert comp.logrank_chi2 is not None
    assert np.isnan(result.table().set_index("quantity").loc["HR", "estimate"])


def test_no_events_gives_no_logrank():
    ipd = pd.DataFrame({"arm": ["A", "A", "B", "B"], "time": [1, 2, 1, 2], "event": 0})
    result = analyze(ipd)
    assert (result.logrank_chi2, result.logrank_p, result.hr) == (None, None, None)
    assert result.arms["A"].median is None
    assert result.arms["A"].rmst == pytest.approx(2.0)


# --------------------------------------------------------------------------- arms


def test_single_arm(waltons):
    ipd = waltons[waltons["arm"] == "control"]
    result = analyze(ipd, landmarks=[30])
    assert list(result.arms) == ["control"]
    assert result.comparison is None
    assert (result.hr, result.hr_ci, result.logrank_chi2, result.logrank_p) == (None,) * 4
    assert result.treatment is None and result.reference is None
    assert result.horizon == ipd["time"].max()
    assert set(result.table()["arm"]) == {"control"}
    assert "vs" not in repr(result)


def test_arms_default_to_order_of_appearance(waltons):
    result = analyze(waltons)
    assert (result.treatment, result.reference) == ("miR-137", "control")
    assert analyze(waltons, reference="miR-137").treatment == "control"
    assert analyze(waltons, treatment="control").reference == "miR-137"


def test_three_arms():
    ipd = pd.DataFrame(
        {"arm": list("AABBCC"), "time": [1, 2, 1, 3, 2, 4], "event": [1, 0, 1, 1, 0, 1]}
    )
    assert analyze(ipd).comparison is None
    result = analyze(ipd, "C", "A")
    assert (result.comparison.treatment, result.comparison.reference) == ("C", "A")
    assert len(result.arms) == 3


def test_numpy_labels_are_plain(rossi_result):
    assert all(type(label) is int for label in rossi_result.arms)
    assert rossi_result.treatment == 1 and type(rossi_result.treatment) is int


# --------------------------------------------------------------------------- input errors


GOOD = {"arm": ["A", "A", "B", "B"], "time": [1.0, 2.0, 1.5, 3.0], "event": [1, 0, 1, 1]}


def _with(**columns) -> pd.DataFrame:
    return pd.DataFrame({**GOOD, **columns})


@pytest.mark.parametrize(
    ("ipd", "kwargs", "message"),
    [
        (GOOD, {}, "ipd: expected a pandas DataFrame, got dict"),
        (
            pd.DataFrame({"arm": ["A"], "time": [1]}),
            {},
            "ipd: missing column 'event' (needs arm, time, event)",
        ),
        (
            pd.DataFrame({"arm": ["A"]}),
            {},
            "ipd: missing columns 'time', 'event' (needs arm, time, event)",
        ),
        (
            pd.DataFrame(columns=["arm", "time", "event"]),
            {},
            "ipd: no rows (needs at least one patient)",
        ),
        (_with(arm=["A", None, "B", "B"]), {}, "ipd.arm: row 1: missing label"),
        (_with(time=[1.0, np.nan, 1.0, 1.0]), {}, "ipd.time: row 1: missing value"),
        (_with(time=[1, 2, "x", 3]), {}, "ipd.time: row 2: 'x' is not a number"),
        (_with(time=[1.0, -2.0, 1.0, 1.0]), {}, "ipd.time: row 1: -2 is negative"),
        (_with(time=[1.0, 2.0, np.inf, 1.0]), {}, "ipd.time: row 2: inf is not finite"),
        (_with(event=[1, 0, 2, 1]), {}, "ipd.event: row 2: 2 is not 0 or 1"),
        (_with(event=[1, 0, 0.5, 1]), {}, "ipd.event: row 2: 0.5 is not 0 or 1"),
        (_with(), {"treatment": "X"}, "treatment: no arm 'X' in ipd (arms: A, B)"),
        (_with(), {"reference": "Z"}, "reference: no arm 'Z' in ipd (arms: A, B)"),
        (_with(), {"treatment": "A", "reference": "A"}, "reference: 'A' is also the treatment"),
        (_with(), {"ci_level": 95}, "ci_level: must be a number between 0 and 1, got 95"),
        (_with(), {"ci_level": True}, "ci_level: must be a number between 0 and 1, got True"),
        (_with(), {"landmarks": 12}, "landmarks: expected a list of times"),
        (_with(), {"landmarks": [12, -1]}, "landmarks: -1 is not a time (a number >= 0)"),
        (_with(), {"horizon": 0}, "horizon: must be a number > 0, got 0"),
        (
            _with(),
            {"horizon": 2.5},
            "horizon: 2.5 is beyond the last observed time 2 of arm 'A'",
        ),
    ],
)
def test_input_errors(ipd, kwargs, message):
    with pytest.raises(InputError) as info:
        analyze(ipd, **kwargs)
    assert str(info.value) == message


def test_row_is_the_index_label():
    ipd = _with(event=[1, 0, 3, 1]).set_axis([10, 11, 12, 13])
    with pytest.raises(InputError, match=r"^ipd\.event: row 12: 3 is not 0 or 1$"):
        analyze(ipd)


def test_arm_choice_errors():
    one = pd.DataFrame({"arm": ["A", "A"], "time": [1, 2], "event": [1, 0]})
    with pytest.raises(InputError, match=r"^reference: no other arm in ipd to compare with$"):
        analyze(one, treatment="A")
    three = pd.DataFrame({"arm": list("ABC"), "time": [1, 2, 3], "event": [1, 1, 1]})
    with pytest.raises(InputError, match=r"^treatment: name one of A, C$"):
        analyze(three, reference="B")


def test_booleans_and_float_events_are_accepted():
    ipd = _with(event=[True, False, True, True])
    assert analyze(ipd).arms["A"].events == 1


# --------------------------------------------------------------------------- display


def test_table(rossi_result):
    table = rossi_result.table()
    assert list(table.columns) == ["arm", "quantity", "estimate", "ci_lower", "ci_upper", "p"]
    quantities = table.loc[table["arm"] == 1, "quantity"].tolist()
    assert quantities == [
        "n",
        "events",
        "median",
        "survival at 13",
        "survival at 26",
        "survival at 52",
        "RMST to 52",
    ]
    rows = table[table["arm"] == "1 vs 0"].set_index("quantity")
    assert list(rows.index) == [
        "log-rank chi2",
        "HR",
        "RMST difference to 52",
        "PH test chi2",
    ]
    assert rows.loc["HR", "estimate"] == rossi_result.hr
    assert (rows.loc["HR", "ci_lower"], rows.loc["HR", "ci_upper"]) == rossi_result.hr_ci
    assert rows.loc["log-rank chi2", "p"] == rossi_result.logrank_p


def test_repr_and_html(rossi_result, waltons_result):
    text = repr(rossi_result)
    assert text.splitlines()[0] == "AnalysisResult: 2 arms, 95% CIs, RMST to 52 weeks"
    assert "median NR (NR, NR)" in text
    assert "1 vs 0: HR 0.691 (0.477, 1.003), p 0.052" in text
    assert "p <0.001" in repr(waltons_result)
    html = rossi_result._repr_html_()
    assert html.startswith("<p><b>AnalysisResult") and "RMST to 52" in html and "0.691" in html


def test_results_are_read_only(rossi_result):
    arm = rossi_result.arms[1]
    with pytest.raises(ValueError):
        arm.survival[0] = 0.5
    with pytest.raises(AttributeError):
        arm.median = 3.0  # type: ignore[misc]


def test_import_does_not_load_lifelines_or_pandas():
    code = "import sys, mmsurv.analysis; print('lifelines' in sys.modules, 'pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


# --------------------------------------------------------------------------- properties


@st.composite
def small_ipd(draw) -> pd.DataFrame:
    sizes = [draw(st.integers(2, 6)), draw(st.integers(2, 6))]
    n = sum(sizes)
    time = draw(st.lists(st.integers(0, 8).map(float), min_size=n, max_size=n))
    event = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n).filter(any))
    return pd.DataFrame({"arm": ["A"] * sizes[0] + ["B"] * sizes[1], "time": time, "event": event})


def _within(value: float | None, low: float | None, high: float | None) -> bool:
    return value is None or (
        (low is None or low <= value + 1e-12) and (high is None or value <= high + 1e-12)
    )


@settings(max_examples=40, deadline=None)
@given(small_ipd(), st.lists(st.integers(0, 9).map(float), max_size=3))
def test_small_ipd_gives_consistent_results(ipd, landmarks):
    try:
        result = analyze(ipd, landmarks=landmarks)
    except InputError:
        return
    for arm in result.arms.values():
        assert np.all((arm.survival >= 0) & (arm.survival <= 1))
        assert np.all(
            (arm.ci_lower <= arm.survival + 1e-12) & (arm.survival <= arm.ci_upper + 1e-12)
        )
        if arm.median is not None:
            assert _within(arm.median, *arm.median_ci)
        for mark in arm.landmarks.values():
            assert mark.survival is None or 0 <= mark.survival <= 1
            assert _within(mark.survival, *mark.ci)
        assert 0 <= arm.rmst <= result.horizon + 1e-12
        assert arm.rmst_ci[0] <= arm.rmst <= arm.rmst_ci[1]
    comp = result.comparison
    for p in (comp.logrank_p, comp.hr_p, comp.rmst_diff_p, comp.ph_p):
        assert p is None or 0 <= p <= 1
    if comp.hr is not None:
        assert comp.hr > 0 and comp.hr_ci[0] <= comp.hr <= comp.hr_ci[1]
    assert len(result.table()) > 0


# --------------------------------------------------------------------------- tidy tables, lifelines habits


def test_arms_table_one_row_per_arm_named_by_time(rossi_result):
    table = rossi_result.arms_table()
    assert list(table.index) == list(rossi_result.arms) and table.index.name == "arm"
    assert list(table.columns) == [
        "n", "events", "median", "median_lower", "median_upper",
        "survival_13", "survival_13_lower", "survival_13_upper",
        "survival_26", "survival_26_lower", "survival_26_upper",
        "survival_52", "survival_52_lower", "survival_52_upper",
        "rmst_52", "rmst_52_lower", "rmst_52_upper",
    ]  # fmt: skip
    assert table["n"].dtype == np.int64 and table["events"].dtype == np.int64
    assert table.loc[1, "n"] == 216 and table.loc[0, "events"] == 66
    arm = rossi_result.arms[1]
    assert table.loc[1, "survival_26"] == arm.landmarks[26].survival
    assert (table.loc[1, "rmst_52_lower"], table.loc[1, "rmst_52_upper"]) == arm.rmst_ci
    assert np.isnan(table.loc[1, "median"])  # not reached: NaN, not None
    assert all(pd.api.types.is_numeric_dtype(dtype) for dtype in table.dtypes)


def test_comparison_table_one_row(rossi_result):
    (row,) = rossi_result.comparison_table().to_dict("records")
    comp = rossi_result.comparison
    assert (row["treatment"], row["reference"]) == (1, 0)
    assert (row["hr"], row["hr_lower"], row["hr_upper"]) == (comp.hr, *comp.hr_ci)
    assert row["rmst_diff_52"] == comp.rmst_diff and row["rmst_diff_52_p"] == comp.rmst_diff_p
    assert row["logrank_p"] == comp.logrank_p and row["ph_p"] == comp.ph_p
    single = analyze(pd.DataFrame({"arm": "a", "time": [1.0, 2.0], "event": [1, 0]}))
    assert single.comparison_table().empty


def test_lifelines_column_names(rossi):
    data = load_rossi()
    result = analyze(
        data, 1, 0, duration_col="week", event_col="arrest", group_col="fin", landmarks=[26]
    )
    expected = analyze(rossi, 1, 0, landmarks=[26])
    assert result.hr == expected.hr
    pd.testing.assert_frame_equal(result.arms_table(), expected.arms_table())
    pooled = analyze(data, duration_col="week", event_col="arrest")
    assert list(pooled.arms) == ["all"] and pooled.arms["all"].n == len(data)
    with pytest.raises(InputError, match=r"^duration_col: no column 'weeks' in ipd"):
        analyze(data, duration_col="weeks", event_col="arrest", group_col="fin")
    bad = data.assign(week=data["week"].astype(float))
    bad.loc[3, "week"] = -1.0
    with pytest.raises(InputError, match=r"^ipd.week: row 3: -1 is negative"):
        analyze(bad, duration_col="week", event_col="arrest", group_col="fin")


def test_survival_functions_as_frames(rossi_result):
    arm = rossi_result.arms[1]
    frame = arm.survival_function_
    assert frame.index.name == "timeline" and list(frame.columns) == [
        "survival",
        "ci_lower",
        "ci_upper",
    ]
    np.testing.assert_array_equal(frame["survival"], arm.survival)
    wide = rossi_result.survival_function_
    assert list(wide.columns) == list(rossi_result.arms)
    np.testing.assert_allclose(wide.loc[arm.times, 1], arm.survival)
    kmf = KaplanMeierFitter().fit(load_rossi()["week"][load_rossi()["fin"] == 1],
                                  load_rossi()["arrest"][load_rossi()["fin"] == 1])  # fmt: skip
    np.testing.assert_allclose(
        wide[1].dropna().to_numpy(), kmf.survival_function_at_times(wide[1].dropna().index)
    )


def test_print_summary_and_views(rossi_result, capsys):
    rossi_result.print_summary()
    out = capsys.readouterr().out
    assert out.startswith("AnalysisResult: 2 arms, 95% CIs, RMST to 52 weeks\n")
    assert " 216 " in out and "216.0" not in out  # counts print whole
    assert "hr " in out and "logrank_p" in out
    html = rossi_result._repr_html_()
    assert "RMST to 52 weeks" in html and "95% CIs" in html  # the header is kept
    assert html.count("<table") == 2 and ">216<" in html
    assert repr(rossi_result.arms[1]).startswith("ArmSummary(1: n 216, events 48")


_cells = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-2, 50),
    st.sampled_from(["x", "1", True]),
)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["a", "b", None]), _cells, _cells), min_size=0, max_size=8),
    st.sampled_from([("T", "E", "G"), ("T", "E", None), ("T", "missing", "G")]),
)
def test_lifelines_columns_build_or_refuse(rows, names):
    frame = pd.DataFrame(rows, columns=["G", "T", "E"])
    duration, event, group = names
    try:
        result = analyze(frame, duration_col=duration, event_col=event, group_col=group)
    except InputError as exc:
        assert exc.field in {"ipd", "ipd.G", "ipd.T", "ipd.E", "event_col", "treatment"}
        return
    assert sum(arm.n for arm in result.arms.values()) == len(frame)
