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
from mmsurv.study import load_study
from mmsurv.synthesis import piecewise_exponential, weibull_common_shape


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


def test_piecewise_exponential_passes_through_points():
    pts = [(6.0, 0.8), (12.0, 0.5), (24.0, 0.3)]
    s = piecewise_exponential(pts, np.array([0.0, 6.0, 12.0, 24.0, 30.0]))
    assert s[:4] == pytest.approx([1.0, 0.8, 0.5, 0.3])
    # the last stretch's hazard goes on
    assert s[4] == pytest.approx(0.3 * math.exp(-6 * math.log(0.5 / 0.3) / 12))


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
)
def test_any_summary_gives_valid_ipd_or_input_error(m_t, m_r, hr, fmax, n, events):
    arms = {"T": {"median": m_t}, "R": {"median": m_r}}
    if events is not None and events <= n:
        arms["T"]["events"] = events
    try:
        s = study(arms, {"treatment": "T", "reference": "R", "hr": hr}, {"max": fmax}, n_t=n)
        ipd, _ = mmsurv.reconstruct(s, "PFS")
    except InputError:
        return
    assert ipd.groupby("arm").size().to_dict() == {"T": n, "R": 110}
    assert ipd["event"].isin([0, 1]).all() and (ipd["time"] >= 0).all()
    assert (ipd["time"] <= fmax + 1e-9).all()
