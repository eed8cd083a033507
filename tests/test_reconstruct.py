"""Reconstructing an endpoint (_reconstruct.py): the end its arms share, and the
finishing steps of a reconstruction from summaries (summaries.py)."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mmsurv
from mmsurv._guyot import ArmIPD
from mmsurv.km import km_curve, median_time, step_values
from mmsurv.summaries import _reach_half

# 21 patients whose KM curve stops at 0.504 after its last event (22.79): a median of 23
# is reported, yet no event is left to cross 0.5
STUCK_TIME = np.array(
    [
        *(3.45, 5.32, 6.89, 8.36, 9.76, 14.75, 16.21, 16.48, 17.73, 19.05, 19.31),
        *(21.01, 21.68, 22.79, 22.88, 24.98, 27.2, 29.36, 31.58, 33.86, 35.0),
    ]
)
STUCK_EVENT = np.array([1, 1, 1, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0])


def test_a_curve_stuck_above_half_is_brought_to_cross_it():
    arm = ArmIPD(time=STUCK_TIME, event=STUCK_EVENT)
    assert median_time(*km_curve(arm.time, arm.event)) is None
    moved = _reach_half(arm, 23.0)
    assert median_time(*km_curve(moved.time, moved.event)) == pytest.approx(22.79)
    # events and their times are kept; one censored patient moved before the last event
    assert np.array_equal(np.sort(moved.time[moved.event == 1]), STUCK_TIME[STUCK_EVENT == 1])
    assert moved.time.size == arm.time.size
    assert np.sum(~np.isin(moved.time, STUCK_TIME)) == 1


def test_a_curve_that_crosses_half_is_left_alone():
    time = np.arange(1.0, 11.0)
    arm = ArmIPD(time=time, event=np.ones(10, dtype=np.int64))
    assert _reach_half(arm, 5.0) is arm


def test_a_curve_too_far_above_half_is_left_alone():
    # 10 patients, 2 events then 8 censored: far more than 5% of the arm would move
    arm = ArmIPD(time=np.arange(1.0, 11.0), event=np.array([1, 1] + [0] * 8))
    assert _reach_half(arm, 5.0) is arm


def test_a_landmark_above_half_at_the_median_time_is_kept():
    # the median prints as 20.0 while 51% are still event-free at 20: the curve crosses
    # 0.5 just after 20, and both numbers are reproduced
    study = mmsurv.load_study(
        {
            "id": "landmark-at-median",
            "time_unit": "months",
            "arms": [{"id": "A", "n": 100}, {"id": "B", "n": 100}],
            "endpoints": {
                "PFS": {
                    "follow_up": {"max": 46.8, "median": 30.4},
                    "arms": {
                        "A": {"median": 20.0, "events": 55, "landmarks": {10: 0.695, 20: 0.51}},
                        "B": {"median": 14.0, "events": 70, "landmarks": {10: 0.6}},
                    },
                }
            },
        }
    )
    ipd, _ = mmsurv.reconstruct(study, "PFS")
    arm = ipd[ipd["arm"] == "A"]
    km_t, km_s = km_curve(arm["time"].to_numpy(), arm["event"].to_numpy())
    assert round(median_time(km_t, km_s), 1) == 20.0
    at_20 = float(step_values(km_t, km_s, np.array([20.0]))[0])
    assert at_20 > 0.5


def test_the_report_names_the_calibrated_hr_the_curves_were_built_with():
    """CANDOR's KdD arm reports no point: it is Kd's curve through the HR, and the HR
    calibration builds it with another HR than the published 0.63; the report says so."""
    import re

    _, report = mmsurv.reconstruct("candor-2020-pfs-primary", "PFS")
    (note,) = [n for n in report["KdD"].notes if "proportional hazards to Kd with" in n]
    used = float(re.search(r"with HR ([0-9.]+)", note).group(1))
    assert used != 0.63 and "(calibrated to meet the published 0.63 in the data)" in note
    cox = next(n for n in report["KdD"].notes if n.startswith("Cox HR of the reconstruction"))
    assert cox == "Cox HR of the reconstruction 0.63, published 0.63"


# --------------------------------------------------------------------------- shared end


def _two_arm_study(ends: tuple[float, float], last_drop: bool) -> dict:
    """Two digitized arms of 50 patients; the second drops at the very end of its curve
    when ``last_drop``."""
    first = [[0, 1], [4, 1], [4, 0.9], [10, 0.9], [10, 0.8], [ends[0], 0.8]]
    second = [[0, 1], [3, 1], [3, 0.8], [8, 0.8], [8, 0.7], [ends[1], 0.7]]
    if last_drop:
        second.append([ends[1], 0.6])
    return {
        "id": "shared-end",
        "arms": [{"id": "A", "n": 50}, {"id": "B", "n": 50}],
        "endpoints": {
            "OS": {
                "arms": {"A": {"curve": first}, "B": {"curve": second}},
                "comparison": {"treatment": "A", "reference": "B"},
            }
        },
    }


def test_shared_end_moves_only_ends_within_click_error_of_the_latest():
    from mmsurv._reconstruct import SHARED_END_REACH, shared_end

    errors = {"A": 0.1, "B": 0.1, "C": 0.1}
    reach = SHARED_END_REACH * math.hypot(0.1, 0.1)
    moves = shared_end({"A": 52.0 - 0.9 * reach, "B": 52.0, "C": 52.0 - 1.1 * reach}, errors)
    assert moves == {"A": (52.0, "B")}
    assert shared_end({"A": 52.0, "B": 52.0}, {"A": 0.1, "B": 0.1}) == {}
    assert shared_end({}, {}) == {}


@settings(max_examples=60, deadline=None)
@given(
    ends=st.lists(st.floats(0.1, 100.0), min_size=1, max_size=4),
    errors=st.lists(st.floats(0.0, 2.0), min_size=4, max_size=4),
)
def test_shared_end_moves_every_end_within_reach_of_the_latest(ends, errors):
    from mmsurv._reconstruct import SHARED_END_REACH, shared_end

    ids = [f"arm{i}" for i in range(len(ends))]
    end_of = dict(zip(ids, ends, strict=True))
    error_of = dict(zip(ids, errors[: len(ids)], strict=True))
    moves = shared_end(end_of, error_of)
    latest = max(ends)
    for arm_id, (end, other) in moves.items():
        assert end == latest == end_of[other] > end_of[arm_id]
        reach = SHARED_END_REACH * math.hypot(error_of[arm_id], error_of[other])
        assert latest - end_of[arm_id] <= reach
    last = ids[ends.index(latest)]
    for arm_id in set(ids) - set(moves):
        reach = SHARED_END_REACH * math.hypot(error_of[arm_id], error_of[last])
        assert end_of[arm_id] == latest or latest - end_of[arm_id] > reach


def test_arms_ending_within_click_error_keep_each_other_at_risk_at_the_end():
    study = _two_arm_study((51.9, 52.0), last_drop=True)
    ipd, report = mmsurv.reconstruct(study, "OS")
    a, b = (ipd[ipd["arm"] == arm] for arm in ("A", "B"))
    # B's events at the end of its curve keep A's patients at risk, as in the data
    assert b.loc[b["event"] == 1, "time"].max() == 52.0
    assert a.loc[a["event"] == 0, "time"].max() == 52.0
    assert any("censored at 52, where the curve of B ends" in n for n in report["A"].notes)
    assert b["time"].max() == 52.0
    assert not any("where the curve of" in note for note in report["B"].notes)
    # the moved arm's Kaplan-Meier curve is the same up to its own end
    alone, _ = mmsurv.guyot(study["endpoints"]["OS"]["arms"]["A"]["curve"], n=50)
    grid = np.linspace(0.0, 51.9, 200)
    assert np.array_equal(
        step_values(*km_curve(a["time"].to_numpy(), a["event"].to_numpy()), grid),
        step_values(*km_curve(alone["time"].to_numpy(), alone["event"].to_numpy()), grid),
    )
    assert a["event"].sum() == alone["event"].sum()


def test_arms_ending_apart_keep_their_own_ends():
    ipd, report = mmsurv.reconstruct(_two_arm_study((52.0, 40.0), last_drop=True), "OS")
    assert ipd.groupby("arm")["time"].max().to_dict() == {"A": 52.0, "B": 40.0}
    assert not any("where the curve of" in n for r in report.values() for n in r.notes)


def test_a_last_week_of_events_keeps_its_hazard_ratio_when_the_arms_are_rebuilt_together(
    datasets,
):
    """Rossi's re-arrests run to week 52, where 4 events of the arm without aid tie with
    318 censorings of both arms. Clicked, the two curves end a click error apart; rebuilt
    one at a time, those 4 events often fall after the other arm's censorings."""
    from accuracy import reconstructed_together

    from mmsurv.validation import cox_log_hr, paper_view

    rossi = datasets["rossi"]
    truth = cox_log_hr(rossi.data, rossi.treatment, rossi.reference)
    together, alone = [], []
    for seed in range(6):
        view = paper_view(rossi, seed=seed)
        inputs = {arm: view[arm].guyot_inputs("at_risk_events") for arm in rossi.arms}
        rebuilt = reconstructed_together(inputs, rossi.treatment, rossi.reference)
        together.append(abs(cox_log_hr(rebuilt, rossi.treatment, rossi.reference) - truth))
        parts = []
        for arm, arm_inputs in inputs.items():
            ipd, _ = mmsurv.guyot(**arm_inputs)
            parts.append(ipd.assign(arm=arm))
        one_by_one = pd.concat(parts)
        alone.append(abs(cox_log_hr(one_by_one, rossi.treatment, rossi.reference) - truth))
    assert np.median(together) < 0.01 < 0.04 < np.median(alone)


def test_survivors_placed_a_hair_before_the_end_move_with_it_and_stay_sorted(datasets):
    """With a table and a total the censoring model puts an arm's survivors a hair
    before the end of its curve: all of them follow the shared end (on rossi's figure
    three were left behind, a millionth of a week early)."""
    from draw_calibration import case_study

    from mmsurv._reconstruct import reconstruct_arrays
    from mmsurv.study import load_study
    from mmsurv.validation import ABSTRACT_ENDPOINT

    mapping, _ = case_study(datasets["rossi"], "at_risk_events", seed=2012)
    ipd, report = reconstruct_arrays(load_study(mapping), ABSTRACT_ENDPOINT)
    ends = {arm_id: float(report[arm_id].interval_end[-1]) for arm_id in ipd}
    latest = max(ends.values())
    moved = [arm_id for arm_id, end in ends.items() if end < latest]
    assert len(moved) == 1
    for arm_id in moved:
        arm = ipd[arm_id]
        assert np.all(np.diff(arm.time) >= 0)
        late = arm.time[(arm.event == 0) & (arm.time > ends[arm_id] - 0.01)]
        assert late.size > 100 and np.all(late == latest), (arm_id, np.unique(late))
