import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mmsurv
from mmsurv.errors import InputError
from mmsurv.km import km_curve, n_at_risk, step_difference

CURVE = [[0, 1.0], [2, 0.9], [5, 0.7], [9, 0.5], [12, 0.45]]


def simulated(n=300, seed=3):
    """Weibull event times with uniform accrual censoring: a known truth."""
    rng = np.random.default_rng(seed)
    event_t = 20 * rng.weibull(1.3, n)
    follow = rng.uniform(12, 36, n)
    time = np.round(np.minimum(event_t, follow), 3)
    return time, (event_t <= follow).astype(int)


def corners(time, event):
    """Noise-free clicks at the corners of the KM steps (what a perfect digitizer gives)."""
    kt, ks = km_curve(time, event)
    pts = np.column_stack([np.repeat(kt, 2)[1:], np.repeat(ks, 2)[:-1]])
    return np.vstack([pts, [[time.max(), ks[-1]]]])


def test_output_shape_and_report():
    ipd, report = mmsurv.guyot(CURVE, n=40, at_risk={"times": [0, 6], "n": [40, 25]})
    assert list(ipd.columns) == ["time", "event"]
    assert len(ipd) == 40
    assert set(ipd["event"].unique()) <= {0, 1}
    assert report.method == "at_risk"
    assert report.n_risk_reconstructed.tolist() == [40, 25]
    assert report.table().shape == (2, 6)
    assert "n = 40" in report.summary()


def test_dataframe_inputs_are_accepted():
    curve = pd.DataFrame(CURVE, columns=["time", "survival"])
    risk = pd.DataFrame({"time": [0, 6], "n_risk": [40, 25]})
    a, _ = mmsurv.guyot(curve, n=40, at_risk=risk)
    b, _ = mmsurv.guyot(np.array(CURVE), n=40, at_risk={"times": [0, 6], "n": [40, 25]})
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize("case", ["at_risk_events", "at_risk", "events", "curve_only"])
def test_perfect_clicks_reproduce_the_truth(case):
    time, event = simulated()
    ticks = np.arange(0, 36, 6.0)
    table = {"times": ticks, "n": n_at_risk(time, ticks)} if "at_risk" in case else None
    total = int(event.sum()) if case in ("at_risk_events", "events") else None
    ipd, report = mmsurv.guyot(corners(time, event), n=time.size, at_risk=table, total_events=total)
    assert report.method == case
    assert len(ipd) == time.size
    kt, ks = km_curve(time, event)
    rt, rs = km_curve(ipd["time"].to_numpy(), ipd["event"].to_numpy())
    _, mean_err = step_difference(kt, ks, rt, rs, horizon=time.max())
    assert report.mean_abs_km_error < 0.005
    if total is not None:
        assert report.events_reconstructed == total
    if table is not None:
        assert report.n_risk_reconstructed.tolist() == table["n"].tolist()
        assert mean_err < 0.005
    if case == "curve_only":
        # no censoring before the last click: every censored patient sits at the end
        assert np.all(ipd.loc[ipd["event"] == 0, "time"] == ipd["time"].max())
        assert any("nobody censored before the last click" in n for n in report.notes)


def test_events_only_meets_the_total_exactly_across_totals():
    time, event = simulated(200, seed=11)
    clicks = corners(time, event)
    _, ks = km_curve(time, event)
    most = round(200 * (1 - ks[-1]))
    for total in range(0, most + 1, 7):
        _, report = mmsurv.guyot(clicks, n=200, total_events=total)
        assert report.events_reconstructed == total


def test_total_events_met_with_uneven_censoring():
    # All censoring happens at the very start of each interval (early dropouts): uniform or
    # constant-hazard censoring within intervals then overestimates the events.
    rng = np.random.default_rng(5)
    n = 400
    event_t = 30 * rng.exponential(1.0, n)
    drop = rng.random(n) < 0.4
    cens_t = np.where(drop, np.floor(rng.uniform(0, 30, n) / 6) * 6 + 0.05, 60.0)
    time = np.minimum(event_t, cens_t)
    event = (event_t <= cens_t).astype(int)
    ticks = np.arange(0, 36, 6.0)
    table = {"times": ticks, "n": n_at_risk(time, ticks)}
    _, plain = mmsurv.guyot(corners(time, event), n=n, at_risk=table)
    _, report = mmsurv.guyot(
        corners(time, event), n=n, at_risk=table, total_events=int(event.sum())
    )
    assert report.events_reconstructed == int(event.sum())
    assert abs(report.events_missed) <= abs(plain.events_reconstructed - event.sum())


def test_impossible_total_is_reported_not_hidden():
    # The curve drops 30% before month 6 while 30 of 40 patients leave the table: some of
    # them must be events, whatever the censoring, so a reported total of 0 is impossible.
    ipd, report = mmsurv.guyot(
        CURVE, n=40, at_risk={"times": [0, 6], "n": [40, 10]}, total_events=0
    )
    assert len(ipd) == 40
    assert report.events_missed > 0
    assert any("cannot be met" in note for note in report.notes)


# Drops of 30 (at 3) and 40 (at 6) of 100 patients; 10 censored at 4 and 20 at 9.
TICK_CURVE_BEFORE = [(0, 1), (3, 1), (3, 0.7), (5.97, 0.7), (5.97, 0.7 / 3), (9, 0.7 / 3)]
TICK_CURVE_AFTER = [(0, 1), (3, 1), (3, 0.7), (6.03, 0.7), (6.03, 0.7 / 3), (9, 0.7 / 3)]


def test_drop_clicked_just_before_an_at_risk_time_moves_onto_it():
    # The 40 events happened at month 6 exactly, so the 60 at risk at 6 include them; the
    # click at 5.97 puts the drop before the count, where only 40 patients leave.
    table = {"times": [0, 6], "n": [100, 60]}
    ipd, report = mmsurv.guyot(TICK_CURVE_BEFORE, n=100, at_risk=table, total_events=70)
    assert report.events_reconstructed == 70
    events = ipd[ipd["event"] == 1]["time"].value_counts()
    assert events.to_dict() == {6.0: 40, 3.0: 30}
    assert any("moved onto it" in note for note in report.notes)


def test_drop_clicked_just_after_an_at_risk_time_moves_before_it():
    # The 40 events happened just before month 6, so only the 20 censored at 9 are at risk
    # there; the click at 6.03 puts the drop after the count.
    table = {"times": [0, 6], "n": [100, 20]}
    ipd, report = mmsurv.guyot(TICK_CURVE_AFTER, n=100, at_risk=table, total_events=70)
    assert report.events_reconstructed == 70
    assert (ipd.loc[ipd["event"] == 1, "time"] < 6).all()
    assert any("moved to just before it" in note for note in report.notes)


def test_clicks_stay_where_they_are_when_the_total_is_met():
    table = {"times": [0, 6], "n": [100, 20]}
    _, report = mmsurv.guyot(TICK_CURVE_BEFORE, n=100, at_risk=table, total_events=70)
    assert report.events_reconstructed == 70
    assert not any("moved" in note and "at-risk time" in note for note in report.notes)


def test_deterministic():
    time, event = simulated(150, seed=2)
    args = dict(n=150, at_risk={"times": [0, 10, 20], "n": n_at_risk(time, [0, 10, 20])})
    a, _ = mmsurv.guyot(corners(time, event), **args, total_events=int(event.sum()))
    b, _ = mmsurv.guyot(corners(time, event), **args, total_events=int(event.sum()))
    pd.testing.assert_frame_equal(a, b)


def test_curve_reaching_zero():
    curve = [[0, 1.0], [1, 0.5], [2, 0.0], [3, 0.0]]
    ipd, report = mmsurv.guyot(curve, n=10)
    assert report.events_reconstructed == 10
    assert len(ipd) == 10


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(n=0), "n: 0 is below 1"),
        (dict(n=2.5), "n: 2.5 is not a whole number"),
        (dict(n=True), "n: must be a whole number"),
        (dict(n=40, total_events=41), "total_events: 41 events exceed the arm size n = 40"),
        (dict(n=40, total_events=-1), "total_events: -1 is below 0"),
        (dict(n=40, at_risk={"times": [0, 3, 6], "n": [40, 30, 31]}), "at risk is more than"),
        (dict(n=40, at_risk={"times": [0, 6], "n": [45, 41]}), "exceeds the arm size"),
        (dict(n=40, at_risk={"times": [0, 6]}), "exactly the keys 'times' and 'n'"),
        (dict(n=40, at_risk=[1, 2]), "expected {times"),
    ],
)
def test_refusals(kwargs, message):
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace("[", r"\[")):
        mmsurv.guyot(CURVE, **kwargs)


def test_nan_in_curve_is_refused():
    with pytest.raises(InputError, match=r"curve\[1\]: missing or non-finite"):
        mmsurv.guyot([[0, 1], [1, np.nan], [2, 0.5]], n=10)


points = st.lists(st.tuples(st.floats(0, 50), st.floats(-0.02, 1.05)), min_size=2, max_size=40)


@st.composite
def guyot_inputs(draw):
    curve = draw(points)
    n = draw(st.integers(-2, 300) | st.floats(-1, 300) | st.sampled_from([None, "x"]))
    at_risk = None
    if draw(st.booleans()):
        k = draw(st.integers(1, 6))
        times = sorted(draw(st.lists(st.floats(0, 60), min_size=k, max_size=k)))
        counts = sorted(draw(st.lists(st.integers(0, 320), min_size=k, max_size=k)), reverse=True)
        at_risk = {"times": times, "n": counts}
    total = draw(st.none() | st.integers(-2, 320))
    return curve, n, at_risk, total


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(guyot_inputs())
def test_any_input_gives_valid_ipd_or_input_error(args):
    curve, n, at_risk, total = args
    try:
        ipd, report = mmsurv.guyot(curve, n=n, at_risk=at_risk, total_events=total)
    except InputError:
        return
    assert len(ipd) == int(n)
    assert ipd["event"].isin([0, 1]).all()
    assert np.isfinite(ipd["time"]).all() and (ipd["time"] >= 0).all()
    assert ipd["time"].is_monotonic_increasing
    assert report.events_reconstructed == int(ipd["event"].sum())
    assert 0 <= report.max_abs_km_error <= 1
    again, _ = mmsurv.guyot(curve, n=n, at_risk=at_risk, total_events=total)
    pd.testing.assert_frame_equal(ipd, again)


def test_report_has_a_notebook_view():
    _, report = mmsurv.guyot(CURVE, n=40, at_risk={"times": [0, 6], "n": [40, 25]})
    html = report._repr_html_()
    assert html.startswith('<div class="mmsurv-view">')
    assert "n = 40" in html and "n_risk_reported" in html


def test_censorings_after_a_drop_just_before_a_tick_stay_in_their_interval():
    """Regression: a drop clicked a hair before an at-risk time (moved to the float below
    it) with censorings read after it in a small risk set. Spread evenly between the drop
    and the tick, the censorings rounded onto the tick, into the next interval, and the
    arm ended with more patients gone than it had (a negative count of patients still
    at risk at the end, and a crash). From a draw of the calibration of the draws on a
    simulated trial (Weibull shape 1, dropout 3% a month, 100 a arm)."""
    import json
    from pathlib import Path

    case = json.loads((Path(__file__).parent / "data" / "guyot_drop_before_tick.json").read_text())
    ipd, report = mmsurv.guyot(case["curve"], case["n"], case["at_risk"], case["total_events"])
    assert len(ipd) == case["n"]
    assert int(ipd["event"].sum()) == case["total_events"]
    assert report.n_risk_reconstructed.tolist() == case["at_risk"]["n"]


@settings(max_examples=300, deadline=None)
@given(
    lo=st.floats(0.0, 1e4, allow_nan=False),
    gap=st.one_of(st.just(0), st.integers(1, 4), st.floats(1e-9, 1e3)),
    count=st.integers(0, 30),
)
def test_evenly_within_keeps_every_time_in_its_half_open_gap(lo, gap, count):
    from mmsurv._guyot import _evenly_within

    hi = float(np.nextafter(lo, np.inf, dtype=float)) if gap == 1 else lo + float(gap)
    if isinstance(gap, int) and gap > 1:
        hi = lo
        for _ in range(gap):
            hi = float(np.nextafter(hi, np.inf))
    times = _evenly_within(lo, hi, count)
    assert times.size == count
    assert np.all(np.diff(times) >= 0)
    assert np.all(times >= lo)
    assert np.all(times < hi) if hi > lo else np.all(times == lo)


def test_a_last_interval_needing_no_event_spreads_its_censorings():
    """With a total already met before the last table time and a curve that only drifts
    by click error after it, the patients at risk there are censored over the last
    stretch of the curve, not all at the table time (which took one arm's last patient
    out of the other arm's risk set)."""
    clicks = np.array(
        [[0, 1], [2, 1], [2, 0.8], [8, 0.8], [8, 0.6], [15, 0.6], [15, 0.4], [31, 0.398]]
    )
    at_risk = {"times": [0, 10, 20, 30], "n": [5, 3, 2, 2]}
    ipd, _ = mmsurv.guyot(clicks, n=5, at_risk=at_risk, total_events=3)
    late = np.sort(ipd["time"].to_numpy()[ipd["time"].to_numpy() >= 30])
    assert late.size == 2 and np.all(ipd["event"].to_numpy()[ipd["time"].to_numpy() >= 30] == 0)
    assert late[0] > 30 and late[-1] <= 31


def _grid_and_table(seed: int):
    """A simulated arm's corner clicks on the grid of a table with a row every 2 time
    units (short intervals, as the drawn censoring of the draws gives), and the table."""
    from mmsurv._guyot import _build_grid

    time, event = simulated(n=300, seed=seed)
    coords = corners(time, event)
    risk_t = np.arange(0.0, float(coords[-1, 0]), 2.0)
    n_risk = n_at_risk(time, risk_t).astype(np.int64)
    return coords, risk_t, n_risk, _build_grid(coords[:, 0], coords[:, 1], risk_t)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 50), level=st.floats(0.0, 1.0), tilt=st.floats(-8.0, 8.0))
def test_the_intervals_before_the_last_do_not_depend_on_the_starting_guess(seed, level, tilt):
    # the recursion over the intervals has one fixed point: a guess only saves passes
    from mmsurv._guyot import _inner

    _, _, n_risk, grid = _grid_and_table(seed)
    tilts = np.array([0.0, tilt])
    plain = _inner(grid, n_risk, tilts, False)
    for guess in (np.full(n_risk.size - 1, level), plain.km_start[0], plain.km_start[1]):
        guessed = _inner(grid, n_risk, tilts, False, guess)
        for name, value in vars(plain).items():
            assert np.array_equal(getattr(guessed, name), value), name


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_solve_started_from_a_nearby_grid_is_the_solve_from_the_curve(seed):
    # guyot_arrays solves the grid with drops moved across the ticks starting from the
    # first solve's Kaplan-Meier values: the same reconstruction, in fewer passes
    from mmsurv._guyot import _across_ticks, _build_grid, _solve

    coords, risk_t, n_risk, grid = _grid_and_table(seed)
    total = int(n_risk[0] - n_risk[-1]) // 2  # below the table's: the tilt is searched
    first = _solve(grid, n_risk, total, True)
    moved = _across_ticks(coords[:, 0], risk_t, 0.01 * float(coords[-1, 0]), True)
    moved_grid = _build_grid(moved, coords[:, 1], risk_t)
    plain = _solve(moved_grid, n_risk, total, True)
    started = _solve(moved_grid, n_risk, total, True, guess=first.km_start)
    for name, value in vars(plain).items():
        assert np.array_equal(getattr(started, name), value), name
