import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mmsurv
from mmsurv.cox import cox_binary
from mmsurv.errors import InputError
from mmsurv.km import km_curve, median_time, n_at_risk, step_values
from mmsurv.study import load_study
from mmsurv.synthesis import (
    UNMODELLED_CENSORING_ERROR,
    SummaryCurve,
    expected_events,
    greenwood_variance,
    median_ci_points,
    recent_hazard,
    survival_through_points,
    tail_for_events,
    weibull_common_shape,
)


def lifelines_hr(ipd, treatment):
    from lifelines import CoxPHFitter

    data = ipd.assign(x=(ipd["arm"] == treatment).astype(int))[["time", "event", "x"]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return CoxPHFitter().fit(data, "time", "event").hazard_ratios_["x"]


def study(arms, comparison=None, follow_up=None, **extra):
    ep = {"arms": arms}
    if comparison:
        ep["comparison"] = comparison
    if follow_up:
        ep["follow_up"] = follow_up
    return load_study(
        {
            "id": "s",
            "arms": [
                {"id": "T", "n": extra.get("n_t", 120)},
                {"id": "R", "n": extra.get("n_r", 110)},
            ],
            "endpoints": {"PFS": ep},
        }
    )


def test_curve_passes_through_points_and_carries_the_last_hazard():
    pts = [(6.0, 0.8), (12.0, 0.5), (24.0, 0.3)]
    s = survival_through_points(pts, np.array([0.0, 6.0, 12.0, 24.0, 30.0]))
    assert s[:4] == pytest.approx([1.0, 0.8, 0.5, 0.3])
    # the last stretch's average hazard goes on
    assert s[4] == pytest.approx(0.3 * math.exp(-6 * math.log(0.5 / 0.3) / 12))


@pytest.mark.parametrize("shape", [0.7, 1.0, 1.6])
def test_a_weibull_curve_is_rebuilt_exactly_from_three_of_its_points(shape):
    # log H is linear in log t for a Weibull curve: the monotone cubic through three of
    # its points is the curve itself, before, between and up to the last point
    scale = 20.0
    pts = [(t, math.exp(-((t / scale) ** shape))) for t in (8.0, 15.0, 30.0)]
    times = np.linspace(0.0, 30.0, 61)
    s = survival_through_points(pts, times)
    truth = np.exp(-((times / scale) ** shape))
    if shape < 1:  # before the first point the Weibull shape is held at 1 or more
        assert s[times >= 8.0] == pytest.approx(truth[times >= 8.0], abs=1e-12)
        assert np.all(s[times < 8.0] >= truth[times < 8.0] - 1e-12)
    else:
        assert s == pytest.approx(truth, abs=1e-12)


@pytest.mark.parametrize("tilt", [0.5, 2.0])
def test_a_tilted_curve_keeps_every_point_and_moves_events_within_stretches(tilt):
    pts = [(6.0, 0.8), (12.0, 0.5), (24.0, 0.3)]
    times = np.linspace(0.0, 24.0, 97)
    plain = survival_through_points(pts, times)
    tilted = survival_through_points(pts, times, shape=tilt)
    at_points = np.isin(times, [0.0, 6.0, 12.0, 24.0])
    assert tilted[at_points] == pytest.approx(plain[at_points], abs=1e-12)
    inner = ~at_points
    # shape > 1 puts the events of every stretch later: survival higher in between
    assert np.all((tilted[inner] > plain[inner]) == (tilt > 1))
    assert np.all(np.diff(tilted) <= 1e-15)


def _two_point_curve(end: float = 60.0) -> SummaryCurve:
    pts = [(12.0, 0.7), (24.0, 0.5)]
    grid = np.unique(np.concatenate([np.linspace(0.0, end, 601), [12.0, 24.0]]))
    return SummaryCurve("test", grid, survival_through_points(pts, grid), end, tuple(pts))


def _tail_hazard_of(curve: SummaryCurve) -> float:
    t_last, s_last = curve.points[-1]
    return math.log(s_last / float(curve.at(curve.end))) / (curve.end - t_last)


@pytest.mark.parametrize("events", [60, 75, 90])
def test_without_censoring_the_events_set_the_tail(events):
    curve = _two_point_curve()
    fitted = tail_for_events(curve, 100, 0.0, events, not_reached=False)
    # 50 events by the last point, nobody censored: the events after it are met within
    # their Poisson and unmodelled-dropout spread
    spread = math.sqrt(events - 50 + (UNMODELLED_CENSORING_ERROR * 50) ** 2)
    assert expected_events(fitted, 100, 0.0) == pytest.approx(events, abs=spread)
    assert fitted.survival[curve.time <= 24.0] == pytest.approx(curve.survival[curve.time <= 24.0])


def test_when_censoring_spends_the_events_the_curve_keeps_its_recent_hazard():
    curve = _two_point_curve()
    accrual = 60.0  # heavy censoring: fewer events expected before 24 than 50
    before = expected_events(curve.with_tail(0.0), 100, accrual)
    fitted = tail_for_events(curve, 100, accrual, int(before) - 2, not_reached=False)
    # the reported events leave none for after the point, yet the model's censoring is
    # uncertain: the curve does not go flat but stays near its recent hazard
    assert _tail_hazard_of(fitted) == pytest.approx(recent_hazard(curve), rel=0.5)


def test_many_events_after_the_last_point_raise_the_tail_hazard():
    curve = _two_point_curve()
    centre = recent_hazard(curve)
    low = tail_for_events(curve, 100, 30.0, 55, not_reached=False)
    high = tail_for_events(curve, 100, 30.0, 85, not_reached=False)
    assert _tail_hazard_of(low) < centre < _tail_hazard_of(high)
    assert "85 events" in high.assumptions[-1]


def test_a_median_not_reached_caps_the_tail():
    pts = [(12.0, 0.8), (24.0, 0.7)]
    grid = np.linspace(0.0, 60.0, 601)
    curve = SummaryCurve("test", grid, survival_through_points(pts, grid), 60.0, tuple(pts))
    fitted = tail_for_events(curve, 100, 0.0, 90, not_reached=True)
    assert fitted.survival[-1] > 0.5


def test_recent_hazard_is_the_second_half_average():
    curve = _two_point_curve()
    expected = math.log(float(curve.at(12.0)) / 0.5) / 12.0
    assert recent_hazard(curve) == pytest.approx(expected)


def test_weibull_common_shape():
    k = weibull_common_shape(14, 12, 0.712)
    assert k == pytest.approx(math.log(0.712) / math.log(12 / 14))
    assert weibull_common_shape(10, 12, 0.7) is None  # shorter median yet HR < 1
    assert weibull_common_shape(12, 12, 0.7) is None


@pytest.mark.parametrize(
    ("endpoint", "medians", "hr"), [("PFS", (14, 12), 0.712), ("OS", (18, 14), 0.627)]
)
def test_carfilzomib_cohort_hr_informed_meets_the_bars(endpoint, medians, hr):
    ipd, report = mmsurv.reconstruct("niu-2026-krd-vs-vrd", endpoint)
    assert ipd.groupby("arm").size().to_dict() == {"KRd": 42, "VRd": 38}
    got = {
        arm: next(c for c in report[arm].constraints if c.quantity == "median") for arm in report
    }
    assert abs(got["KRd"].reconstructed - medians[0]) <= 0.25
    assert abs(got["VRd"].reconstructed - medians[1]) <= 0.25
    assert abs(lifelines_hr(ipd, "KRd") / hr - 1) <= 0.02
    assert report["KRd"].method == "summaries"
    assert any("Weibull" in note for note in report["KRd"].notes)


@pytest.mark.parametrize(
    ("study", "endpoint", "flagged"),
    [
        ("tourmaline-mm2-2021-pfs-primary", "PFS", True),  # 35.3 vs 21.8, HR 0.83: k 0.39
        ("niu-2026-krd-vs-vrd", "PFS", True),  # 14 vs 12, HR 0.712: k 2.20
        ("niu-2026-krd-vs-vrd", "OS", False),  # 18 vs 14, HR 0.627: k 1.86
    ],
)
def test_an_implausible_weibull_shape_is_flagged(study, endpoint, flagged):
    _, report = mmsurv.reconstruct(study, endpoint)
    for arm in report:
        notes = " ".join(report[arm].notes)
        assert "Weibull curves with a common shape" in notes
        assert ("rare for survival data" in notes) == flagged


def test_hr_blind_does_not_use_the_hr():
    ipd, report = mmsurv.reconstruct("niu-2026-krd-vs-vrd", "PFS", hr_blind=True)
    assert all("HR-blind" in " ".join(report[a].notes) for a in report)
    # exponential curves through medians 14 and 12 imply HR 12/14 = 0.857, not 0.712
    assert lifelines_hr(ipd, "KRd") == pytest.approx(12 / 14, abs=0.05)


def test_reconstruction_is_deterministic():
    a, _ = mmsurv.reconstruct("niu-2026-krd-vs-vrd", "OS")
    b, _ = mmsurv.reconstruct("niu-2026-krd-vs-vrd", "OS")
    pd.testing.assert_frame_equal(a, b)


def test_landmarks_and_events_are_reproduced():
    s = study(
        {
            "T": {"median": 20, "events": 60, "landmarks": {12: 0.7, 24: 0.45}},
            "R": {"median": 11, "events": 75, "landmarks": {12: 0.47}},
        },
        follow_up={"max": 36, "median": 22},
    )
    ipd, report = mmsurv.reconstruct(s, "PFS")
    for arm in ("T", "R"):
        times = ipd.loc[ipd.arm == arm, "time"].to_numpy()
        for c in report[arm].constraints:
            if c.quantity == "events":
                assert c.reconstructed == c.reported
            elif c.quantity.startswith("survival"):
                # A KM value moves in steps of S / (number at risk): the reconstruction
                # is within half a step of the reported landmark.
                t = float(c.quantity.split()[-1])
                half_step = 0.5 * max(c.reported, c.reconstructed) / ((times >= t).sum() - 1)
                assert abs(c.reconstructed - c.reported) <= half_step
            elif c.quantity == "median":
                assert abs(c.reconstructed - c.reported) <= 0.25


def test_arm_without_numbers_borrows_the_other_arm_by_hr():
    s = study(
        {"T": {}, "R": {"median": 10}}, {"treatment": "T", "reference": "R", "hr": 0.6}, {"max": 30}
    )
    ipd, report = mmsurv.reconstruct(s, "PFS")
    assert "proportional hazards to R" in report["T"].notes[0]
    t, r = ipd[ipd.arm == "T"], ipd[ipd.arm == "R"]
    log_hr, _ = cox_binary(
        np.r_[t.time, r.time], np.r_[t.event, r.event], np.r_[np.ones(len(t)), np.zeros(len(r))]
    )
    assert math.exp(log_hr) == pytest.approx(0.6, rel=0.02)


@pytest.mark.parametrize(
    ("arms", "follow_up", "message"),
    [
        (
            {"T": {"median": 10, "landmarks": {12: 0.6}}, "R": {"median": 8}},
            {"max": 30},
            "cannot all hold",
        ),
        (
            {"T": {"landmarks": {6: 0.6, 12: 0.7}}, "R": {"median": 8}},
            {"max": 30},
            "cannot all hold",
        ),
        ({"T": {"median": 40}, "R": {"median": 8}}, {"max": 30}, "after the longest follow-up"),
        ({"T": {}, "R": {"median": 8}}, {"max": 30}, "no point of this arm.s curve"),
    ],
)
def test_inconsistent_summaries_are_refused(arms, follow_up, message):
    with pytest.raises(InputError, match=message):
        mmsurv.reconstruct(study(arms, follow_up=follow_up), "PFS", hr_blind=True)


@settings(max_examples=60, deadline=None)
@given(
    m_t=st.floats(1, 40),
    m_r=st.floats(1, 40),
    hr=st.floats(0.2, 3.0),
    fmax=st.floats(5, 60),
    n=st.integers(1, 300),
    events=st.none() | st.integers(0, 300),
    ci=st.none() | st.tuples(st.floats(0.5, 60), st.floats(0.5, 60)).map(sorted),
    median_fu=st.none() | st.floats(0.5, 60),
    dropout=st.none() | st.floats(0, 0.5),
)
def test_any_summary_gives_valid_ipd_or_input_error(
    m_t, m_r, hr, fmax, n, events, ci, median_fu, dropout
):
    arms = {"T": {"median": m_t}, "R": {"median": m_r}}
    if ci is not None:
        arms["T"]["median_ci"] = ci
    if events is not None and events <= n:
        arms["T"]["events"] = events
    follow_up = {"max": fmax, "median": median_fu, "dropout": dropout}
    try:
        s = study(arms, {"treatment": "T", "reference": "R", "hr": hr}, follow_up, n_t=n)
        ipd, _ = mmsurv.reconstruct(s, "PFS")
    except InputError:
        return
    assert ipd.groupby("arm").size().to_dict() == {"T": n, "R": 110}
    assert ipd["event"].isin([0, 1]).all() and (ipd["time"] >= 0).all()
    assert (ipd["time"] <= fmax + 1e-9).all()


def test_published_numbers_at_risk_set_the_censoring_of_an_arm_without_a_curve():
    # ASPIRE prints numbers at risk under its figure, no curve was digitized
    study = mmsurv.load_study("aspire-2015-pfs-os-primary")
    ipd, report = mmsurv.reconstruct(study, "PFS")
    for arm_id, res in study.endpoint("PFS").arms.items():
        time = ipd.loc[ipd["arm"] == arm_id, "time"].to_numpy()
        table = np.array(res.at_risk.times, dtype=float)
        np.testing.assert_array_equal(n_at_risk(time, table), res.at_risk.n)
        notes = " ".join(report[arm_id].notes)
        assert "taken as 42, the last time with patients at risk" in notes
        assert "censoring within the intervals of the published numbers at risk" in notes


@settings(max_examples=60, deadline=None)
@given(
    median=st.floats(1, 40),
    step=st.floats(1, 12),
    drops=st.lists(st.integers(0, 60), min_size=1, max_size=8),
    fmax=st.none() | st.floats(5, 80),
    events=st.none() | st.integers(0, 120),
)
def test_any_at_risk_table_without_curve_gives_valid_ipd_or_input_error(
    median, step, drops, fmax, events
):
    n = 120
    counts = np.maximum(n - np.cumsum([0, *drops]), 0).tolist()
    arm = {
        "median": median,
        "at_risk": {"times": [i * step for i in range(len(counts))], "n": counts},
    }
    if events is not None:
        arm["events"] = events
    try:
        s = study({"T": arm, "R": {"median": 8}}, follow_up={"max": fmax} if fmax else None)
        ipd, _ = mmsurv.reconstruct(s, "PFS", hr_blind=True)
    except InputError:
        return
    t = ipd.loc[ipd["arm"] == "T"]
    assert len(t) == n and t["event"].isin([0, 1]).all() and (t["time"] >= 0).all()


@pytest.mark.parametrize("hormonal", ["yes", "no"])
def test_median_ci_points_invert_the_greenwood_band(hormonal):
    from lifelines import KaplanMeierFitter
    from lifelines.datasets import load_gbsg2
    from lifelines.utils import median_survival_times

    data = load_gbsg2()
    rows = data[data["horTh"] == hormonal]
    time, event = rows["time"].to_numpy(float), rows["cens"].to_numpy()
    kmf = KaplanMeierFitter().fit(time, event)
    lo, hi = median_survival_times(kmf.confidence_interval_).iloc[0]
    km_t, km_s = km_curve(time, event)
    at_risk = n_at_risk(time, km_t[1:])
    deaths = np.array([((time == u) & (event == 1)).sum() for u in km_t[1:]])
    greenwood = np.concatenate([[0.0], np.cumsum(deaths / (at_risk * (at_risk - deaths)))])
    points, notes = median_ci_points([(kmf.median_survival_time_, 0.5)], (lo, hi), km_t, greenwood)
    assert [t for t, _ in points] == [b for b in (lo, hi) if np.isfinite(b)]
    for bound, survival in points:  # between the KM just before the bound and at it
        before, at = step_values(km_t, km_s, np.array([bound - 1e-9, bound]))
        assert at <= survival <= before
    assert all("log(-log) Greenwood band crosses 0.5" in note for note in notes)


def test_expected_greenwood_variance_without_censoring_is_binomial():
    grid = np.linspace(0, 30, 3001)
    surv = np.exp(-0.05 * grid)
    variance = greenwood_variance(grid, surv, 200, 0.0, 30.0)
    expected = (1 - surv) / (200 * surv)  # the integral of dH / (n S)
    np.testing.assert_allclose(variance, expected, rtol=2e-3, atol=1e-9)
    censored = greenwood_variance(grid, surv, 200, 30.0, 30.0)
    assert (censored[1:] > variance[1:]).all()  # fewer at risk, more variance


def test_a_median_ci_bound_out_of_order_is_left_out_and_said():
    grid = np.linspace(0, 30, 301)
    variance = np.full(grid.size, 0.01)
    points, notes = median_ci_points([(10.0, 0.5), (12.0, 0.45)], (8.0, 11.0), grid, variance)
    assert [t for t, _ in points] == [8.0]
    assert "out of order with the other reported points: not used" in notes[1]


def test_median_ci_points_shape_the_reconstruction_and_are_reported():
    arms = {"T": {"median": 14, "median_ci": [11, 18]}, "R": {"median": 10}}
    ipd, report = mmsurv.reconstruct(study(arms, follow_up={"max": 36}), "PFS", hr_blind=True)
    notes = " ".join(report["T"].notes)
    assert "at 11, where the 95% log(-log) Greenwood band" in notes
    assert "at 18, where the 95% log(-log) Greenwood band" in notes
    assert report["T"].method == "summaries"
    rows = ipd[ipd["arm"] == "T"]
    km_t, km_s = km_curve(rows["time"].to_numpy(), rows["event"].to_numpy())
    assert median_time(km_t, km_s) == 14


def test_a_median_ci_bound_past_the_follow_up_is_said_unused():
    arms = {"T": {"median": 14, "median_ci": [11, 40]}, "R": {"median": 10}}
    _, report = mmsurv.reconstruct(study(arms, follow_up={"max": 36}), "PFS", hr_blind=True)
    notes = " ".join(report["T"].notes)
    assert "at 11, where the 95% log(-log) Greenwood band" in notes
    assert "the median's CI bound 40 lies outside the follow-up: not used" in notes


# --------------------------------------------------------------------------- events only


def _exponential_trial(n, hazard, accrual, study_end, seed):
    """Exponential event times, uniform accrual, administrative censoring at study end."""
    rng = np.random.default_rng(seed)
    event_t = rng.exponential(1 / hazard, n)
    potential = study_end - rng.uniform(0.0, accrual, n)
    time = np.minimum(event_t, potential)
    return time, (event_t <= potential).astype(int)


@pytest.mark.parametrize("accrual", [0.0, 24.0, 40.0])
def test_exponential_for_events_meets_the_expected_events(accrual):
    from mmsurv.synthesis import expected_events, exponential_for_events

    for events in (1, 37, 90):
        curve = exponential_for_events(48.0, 100, accrual, events)
        assert expected_events(curve, 100, accrual) == pytest.approx(events, abs=1e-6)
        assert curve.family == "exponential (from events)"
        assert any(f"reported {events} events" in a for a in curve.assumptions)
    assert (exponential_for_events(48.0, 100, accrual, 0).survival == 1.0).all()


def test_arm_with_events_and_follow_up_only_recovers_the_true_hazard():
    # Truth: exponential, hazard 0.04 per month, accrual over 24 months, cut-off at 48.
    time, event = _exponential_trial(400, 0.04, 24.0, 48.0, seed=11)
    reverse_t, reverse_s = km_curve(time, 1 - event)
    follow_up = {"max": round(float(time.max()), 1), "median": median_time(reverse_t, reverse_s)}
    arms = {"T": {"events": int(event.sum())}, "R": {"median": 20}}
    ipd, report = mmsurv.reconstruct(
        study(arms, follow_up=follow_up, n_t=400), "PFS", hr_blind=True
    )
    rec = ipd[ipd["arm"] == "T"]
    assert int(rec["event"].sum()) == int(event.sum())
    rate_true = event.sum() / time.sum()
    rate_rec = rec["event"].sum() / rec["time"].sum()
    assert rate_rec == pytest.approx(rate_true, rel=0.10)
    grid = np.linspace(0, 40, 81)
    true_s = step_values(*km_curve(time, event), grid)
    rec_s = step_values(*km_curve(rec["time"].to_numpy(), rec["event"].to_numpy()), grid)
    assert np.abs(true_s - rec_s).mean() < 0.02
    assert "exponential curve, hazard" in " ".join(report["T"].notes)


def test_two_arms_with_events_only_honour_the_hr_when_informed():
    arms = {"T": {"events": 40}, "R": {"events": 55}}
    comparison = {"treatment": "T", "reference": "R", "hr": 0.7}
    s = study(arms, comparison, follow_up={"max": 36, "median": 20})
    ipd, report = mmsurv.reconstruct(s, "PFS")
    assert lifelines_hr(ipd, "T") == pytest.approx(0.7, rel=0.02)
    assert [int(ipd.loc[ipd["arm"] == a, "event"].sum()) for a in ("T", "R")] == [40, 55]
    assert "proportional hazards to R" in " ".join(report["T"].notes)
    blind, _ = mmsurv.reconstruct(s, "PFS", hr_blind=True)
    assert [int(blind.loc[blind["arm"] == a, "event"].sum()) for a in ("T", "R")] == [40, 55]


def test_events_without_follow_up_are_not_enough():
    arms = {"T": {"events": 40}, "R": {"median": 12}}
    with pytest.raises(InputError, match="no events with a follow-up to fit"):
        mmsurv.reconstruct(study(arms), "PFS", hr_blind=True)


# --------------------------------------------------------------------------- dropout


def test_expected_events_with_dropout_match_the_competing_risks_formula():
    # exponential events (hazard 0.05) and dropout (0.02), everyone else followed to 48:
    # expected events n * h / (h + d) * (1 - exp(-(h + d) * 48))
    grid = np.linspace(0.0, 48.0, 4801)
    curve = SummaryCurve("test", grid, np.exp(-0.05 * grid), 48.0)
    expected = 100 * 0.05 / 0.07 * (1 - math.exp(-0.07 * 48.0))
    assert expected_events(curve, 100, 0.0, dropout=0.02) == pytest.approx(expected, rel=1e-3)
    assert expected_events(curve, 100, 0.0) > expected_events(curve, 100, 0.0, dropout=0.02)


def test_a_reported_dropout_leaves_room_in_the_accrual_span():
    from mmsurv.synthesis import accrual_span

    plain = load_study(
        {
            "id": "f",
            "arms": [{"id": "A", "n": 10}],
            "endpoints": {
                "E": {"follow_up": {"max": 48, "median": 30}, "arms": {"A": {"median": 20}}}
            },
        }
    )
    lossy = load_study(
        {
            "id": "f",
            "arms": [{"id": "A", "n": 10}],
            "endpoints": {
                "E": {
                    "follow_up": {"max": 48, "median": 30, "dropout": 0.01},
                    "arms": {"A": {"median": 20}},
                }
            },
        }
    )
    span, _ = accrual_span(plain.endpoint("E").follow_up, 48.0)
    lossy_span, said = accrual_span(lossy.endpoint("E").follow_up, 48.0)
    assert span == pytest.approx(36.0)
    # still followed at the median follow-up: (48 - 30) / span * exp(-0.01 * 30) = 0.5
    assert (48 - 30) / lossy_span * math.exp(-0.3) == pytest.approx(0.5)
    assert "loss to follow-up at 0.01" in said


def test_reported_dropout_is_used_and_said_in_the_reconstruction():
    arms = {"T": {"median": 18, "events": 60}, "R": {"median": 12, "events": 75}}
    follow_up = {"max": 48, "median": 20, "dropout": 0.02}
    ipd, report = mmsurv.reconstruct(study(arms, follow_up=follow_up), "PFS", hr_blind=True)
    for arm_id, res in arms.items():
        assert int(ipd[ipd["arm"] == arm_id]["event"].sum()) == res["events"]
        notes = " ".join(report[arm_id].notes)
        assert "loss to follow-up at 0.02 per time unit" in notes


def test_a_negative_dropout_is_refused_naming_the_field():
    with pytest.raises(InputError, match=r"follow_up\.dropout"):
        study({"T": {"median": 18}, "R": {"median": 12}}, follow_up={"max": 48, "dropout": -0.1})
