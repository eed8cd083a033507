"""Figures as readers digitize them: what mmsurv.guyot must accept, and how it places drops.

Clicks carry independent error in time and in survival (so the two corners of a step
can come out reversed), the clicks stop at the last drop while the at-risk table goes
on, the origin is clicked a hair left of the axis, and drops fall on the ticks.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mmsurv
from mmsurv.curves import clean_curve
from mmsurv.errors import InputError
from mmsurv.km import km_curve, n_at_risk, step_values

#: 12 patients in whole weeks: drops at 3, 5 (a tick), 8 and 10 (a tick); censored at
#: 6, 9, 12, 14 and after.
TIME = np.array([3, 3, 5, 6, 8, 9, 10, 12, 14, 14, 14, 14], dtype=float)
EVENT = np.array([1, 1, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0])
TICKS = np.array([0.0, 5.0, 10.0, 15.0])


def corner_clicks(time, event, *, tail=False):
    """Both corners of every drop; the flat tail clicked only when ``tail``."""
    kt, ks = km_curve(time, event)
    drops = np.flatnonzero(np.diff(ks) < 0) + 1
    clicks = [[0.0, 1.0]]
    for k in drops:
        clicks += [[kt[k], ks[k - 1]], [kt[k], ks[k]]]
    if tail:
        clicks.append([float(time.max()), float(ks[-1])])
    return np.array(clicks)


def table(time, ticks=TICKS):
    counts = n_at_risk(time, ticks)
    keep = counts > 0
    return {"times": ticks[keep].tolist(), "n": counts[keep].tolist()}


def test_curve_that_stops_at_its_last_drop_while_the_table_goes_on():
    clicks = corner_clicks(TIME, EVENT)  # last click at 10, table to 14 (tick 15 empty)
    risk = table(TIME, np.array([0.0, 5.0, 10.0, 12.0, 14.0]))
    ipd, report = mmsurv.guyot(clicks, n=12, at_risk=risk, total_events=5)
    assert report.n_risk_reconstructed.tolist() == risk["n"]
    assert report.events_reconstructed == 5
    assert any("taken as flat from its last click" in note for note in report.notes)
    kt, ks = km_curve(ipd["time"].to_numpy(), ipd["event"].to_numpy())
    assert step_values(kt, ks, np.array([14.0]))[0] == pytest.approx(
        step_values(*km_curve(TIME, EVENT), np.array([14.0]))[0]
    )


def test_a_tick_a_hair_after_the_last_click_is_accepted():
    clicks = corner_clicks(TIME, EVENT, tail=True)
    clicks[-1, 0] = 13.99  # the tail clicked just short of the tick at 14
    risk = {"times": [0, 5, 10, 14], "n": [12, 9, 6, 4]}
    _, report = mmsurv.guyot(clicks, n=12, at_risk=risk)
    assert report.n_risk_reconstructed.tolist() == [12, 9, 6, 4]


def test_origin_left_of_the_axis_and_overshoot_are_clipped_and_reported():
    clicks = corner_clicks(TIME, EVENT)
    clicks[0] = [-0.0143, 1.02]
    out, log = clean_curve(clicks)
    assert out[0].tolist() == [0.0, 1.0]
    assert log.n_time_clipped == 1 and log.n_clipped == 1
    assert "1 times below 0 set to 0" in log.steps()
    assert "1 survival values clipped to [0, 1]" in log.steps()
    _, report = mmsurv.guyot(clicks, n=12)
    assert "1 times below 0 set to 0" in repr(report)


def test_a_negative_time_far_left_of_the_axis_is_refused():
    with pytest.raises(InputError, match=r"curve\[1\]: negative time -2"):
        clean_curve(np.array([[0, 1.0], [-2, 0.9], [10, 0.5]]))


def test_reversed_corners_give_one_vertical_step():
    # click error gave the bottom corner of the drop at 5 the earlier time
    clicks = np.array([[0, 1.0], [5.03, 0.8], [4.97, 0.6], [9, 0.6], [9, 0.4]])
    out, log = clean_curve(clicks)
    assert out[:, 0].tolist() == pytest.approx([0, 5.0, 5.0, 9, 9])
    assert out[:, 1].tolist() == [1.0, 0.8, 0.6, 0.6, 0.4]
    assert log.n_snapped == 2 and log.n_monotone_adjusted == 0


def test_a_drop_at_a_tick_clicked_just_before_it_opens_the_next_interval():
    # the drop at 5 (a tick) clicked at 4.97: the table lets only 2 patients leave [0, 5)
    clicks = corner_clicks(TIME, EVENT)
    clicks[3:5, 0] = 4.97
    ipd, report = mmsurv.guyot(clicks, n=12, at_risk=table(TIME), total_events=5)
    events = np.sort(ipd.loc[ipd["event"] == 1, "time"].to_numpy())
    assert events[:3].tolist() == [3.0, 3.0, 5.0]
    assert any("moved onto it" in note for note in report.notes)


def test_known_end_of_follow_up_censors_the_patients_left_there():
    clicks = corner_clicks(TIME, EVENT)  # last click at 10
    risk = table(TIME, np.array([0.0, 5.0, 10.0]))
    ipd, report = mmsurv.guyot(clicks, n=12, at_risk=risk, total_events=5, max_follow_up=14)
    censored = ipd.loc[ipd["event"] == 0, "time"].to_numpy()
    assert (censored[censored > 10] == 14).all() and (censored == 14).sum() >= 4
    assert report.interval_end[-1] == 14
    with pytest.raises(InputError, match="max_follow_up: 9 is before the curve's last click"):
        mmsurv.guyot(clicks, n=12, max_follow_up=9)


def test_total_of_zero_events_on_a_falling_curve_is_reported():
    _, report = mmsurv.guyot([[0, 1], [2, 0.9], [5, 0.7], [9, 0.5]], n=40, total_events=0)
    assert report.events_reconstructed == 0
    assert any("do not all agree" in note for note in report.notes)


def test_zero_at_risk_while_the_curve_falls_is_reported():
    curve = [[0, 1], [2, 0.9], [5, 0.7], [9, 0.5], [12, 0.45]]
    _, report = mmsurv.guyot(curve, n=40, at_risk={"times": [0, 6], "n": [40, 0]})
    assert any("0 at risk at time 6" in note for note in report.notes)


# --------------------------------------------------------------------------- properties


@st.composite
def small_arms(draw):
    """A small arm in whole time units, digitized with error in both coordinates."""
    n = draw(st.integers(5, 60))
    seed = draw(st.integers(0, 2**32 - 1))
    noise = draw(st.floats(0.001, 0.005))
    thin = draw(st.booleans())
    rng = np.random.default_rng(seed)
    time = np.ceil(rng.exponential(12.0, n)).clip(1, 40)
    censor = np.ceil(rng.uniform(10, 45, n))
    event = (time <= censor).astype(int)
    time = np.minimum(time, censor)
    clicks = corner_clicks(time, event)
    if thin:  # one click a step: the bottom corners only
        clicks = np.vstack([clicks[:1], clicks[2::2]])
    axis = float(np.ceil(time.max() / 5) * 5)
    clicks[:, 0] += rng.normal(0, noise * axis, clicks.shape[0])
    clicks[:, 1] += rng.normal(0, noise, clicks.shape[0])
    return time, event, clicks, np.arange(0, axis + 1e-9, 5.0)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_arms())
def test_noisy_clicks_of_small_arms_keep_table_and_total(arm):
    time, event, clicks, ticks = arm
    risk = table(time, ticks)
    ipd, report = mmsurv.guyot(clicks, n=time.size, at_risk=risk, total_events=int(event.sum()))
    assert len(ipd) == time.size
    assert report.n_risk_reconstructed.tolist() == risk["n"]
    assert abs(report.events_reconstructed - int(event.sum())) <= 2
    # the reconstruction follows the truth: a gross misplacement of drops (a step lost,
    # or put on the wrong side of a tick) would exceed this
    kt, ks = km_curve(ipd["time"].to_numpy(), ipd["event"].to_numpy())
    tt, ts = km_curve(time, event)
    grid = np.linspace(0, time.max(), 400)
    gap = np.abs(step_values(kt, ks, grid) - step_values(tt, ts, grid))
    assert gap.mean() <= max(0.06, 0.4 / time.size)


def test_a_table_starting_below_the_arm_size_censors_the_rest_at_time_0():
    risk = {"times": [0, 5, 10], "n": [11, 8, 6]}
    ipd, report = mmsurv.guyot(corner_clicks(TIME, EVENT), n=12, at_risk=risk)
    assert len(ipd) == 12
    assert (ipd.loc[ipd["time"] == 0, "event"] == 0).sum() == 1
    assert any("the 1 not at risk are censored at time 0" in note for note in report.notes)


def test_origin_left_of_the_axis_is_judged_on_the_whole_axis():
    # the clicks stop at 4 but the axis (and table) run to 25: -0.2 is 0.8% of it
    clicks = np.array([[-0.2, 1.0], [2.0, 1.0], [2.0, 0.8], [4.0, 0.8], [4.0, 0.4]])
    risk = {"times": [0, 5, 10, 15, 20], "n": [5, 2, 2, 2, 1]}
    ipd, report = mmsurv.guyot(clicks, n=5, at_risk=risk, total_events=3)
    assert report.cleaning.n_time_clipped == 1 and len(ipd) == 5


def test_drops_of_a_small_arm_are_read_as_whole_patients():
    # 11 patients: events at 22, 25, 28 and 35 years; 6 censored between 28 and 35, so
    # the last step halves the curve (1 of 2 at risk). With the total only, a censoring
    # model spread over the whole curve put 2 events on the last drop and none at 28.
    time = np.array([22, 25, 28, 30, 30, 31, 33, 33, 34, 35, 39], dtype=float)
    event = np.array([1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0])
    clicks = corner_clicks(time, event)
    ipd, _ = mmsurv.guyot(clicks, n=11, total_events=4)
    events = np.sort(ipd.loc[ipd["event"] == 1, "time"].to_numpy())
    assert events.tolist() == [22.0, 25.0, 28.0, 35.0]
    kt, ks = km_curve(ipd["time"].to_numpy(), ipd["event"].to_numpy())
    assert step_values(kt, ks, np.array([36.0]))[0] == pytest.approx(4 / 11)


def test_an_interval_keeps_both_of_its_drops():
    # 7 at risk at 15: events at 18 and 19 (1 of 7, then 1 of 6), two censored at 19 and
    # the rest later; the continuous model expected 1.4 events and gave the 19 drop none
    time = np.array([2, 5, 9, 12, 13, 15, 18, 19, 19, 19, 23, 25], dtype=float)
    event = np.array([1, 1, 1, 1, 1, 0, 1, 1, 0, 0, 0, 0])
    risk = table(time, np.array([0.0, 5.0, 10.0, 15.0, 20.0, 25.0]))
    ipd, report = mmsurv.guyot(corner_clicks(time, event), n=12, at_risk=risk)
    events = np.sort(ipd.loc[ipd["event"] == 1, "time"].to_numpy())
    assert events.tolist() == time[event == 1].tolist()
    assert report.n_risk_reconstructed.tolist() == risk["n"]
