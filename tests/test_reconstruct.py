"""The finishing steps of a reconstruction from summaries (summaries.py)."""

import numpy as np
import pytest

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
