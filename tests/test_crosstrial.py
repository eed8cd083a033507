"""Tests of mmsurv.crosstrial: one arm of each of several studies on one time axis."""

from __future__ import annotations

import re

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mmsurv
from mmsurv.crosstrial import (
    CROSS_TRIAL_WARNING,
    CrossTrialArms,
    format_cross_trial,
)
from mmsurv.errors import InputError
from mmsurv.km import km_curve, median_time
from mmsurv.pipeline import cross_trial_arms

RD_TRIALS = ["maia-2019-pfs-primary", "pollux-2016-pfs-primary", "aspire-2015-pfs-os-primary"]


@pytest.fixture(scope="module")
def rd() -> CrossTrialArms:
    return cross_trial_arms(RD_TRIALS, "PFS")


def test_each_arm_is_the_arm_of_its_studys_reconstruction(rd):
    assert [a.study_id for a in rd.arms] == RD_TRIALS
    for arm in rd.arms:
        ipd, _ = mmsurv.reconstruct(arm.study_id, "PFS")
        rows = ipd[ipd["arm"] == arm.arm]
        np.testing.assert_array_equal(arm.time, rows["time"].to_numpy())
        np.testing.assert_array_equal(arm.event, rows["event"].to_numpy())
        assert arm.n == mmsurv.load_study(arm.study_id).arm(arm.arm).n


def test_default_arm_is_the_reference_of_each_comparison(rd):
    assert [a.arm for a in rd.arms] == ["Rd", "Rd", "Rd"]
    assert [a.label for a in rd.arms] == ["MAIA: Rd", "POLLUX: Rd", "ASPIRE: Rd"]
    assert rd.time_unit == "months" and rd.endpoint == "PFS"


def test_published_numbers_travel_with_the_arm(rd):
    for arm in rd.arms:
        reported = mmsurv.load_study(arm.study_id).endpoint("PFS").arms[arm.arm]
        assert arm.published == reported


def test_table_sets_reported_beside_reconstructed(rd):
    table = rd.table()
    assert list(table["study_id"]) == RD_TRIALS
    assert list(table["n"]) == [a.n for a in rd.arms]
    for row, arm in zip(table.itertuples(), rd.arms, strict=True):
        assert row.median_reported == arm.published.median
        assert row.median_reconstructed == median_time(*km_curve(arm.time, arm.event))
        assert row.events_reconstructed == int(arm.event.sum())


def test_ipd_stacks_the_arms_under_their_labels(rd):
    ipd = rd.ipd()
    assert list(ipd.columns) == ["arm", "time", "event"]
    assert ipd.groupby("arm", sort=False).size().to_dict() == {a.label: a.n for a in rd.arms}


def test_text_and_repr_carry_the_warning(rd):
    text = format_cross_trial(rd)
    assert repr(rd) == text
    assert "not randomised" in text and " ".join(text.split()).endswith(CROSS_TRIAL_WARNING)
    for arm in rd.arms:
        cells = [arm.study_id, arm.arm, str(arm.n), f"{arm.published.events}/{arm.events}"]
        cells.append(f"{arm.published.median:g}/{arm.median:.3g}")
        assert re.search(r"\s+".join(map(re.escape, cells)), text)


def test_one_arm_id_per_study_and_a_single_arm_study():
    arms = cross_trial_arms(
        ["tourmaline-mm1-2016-pfs-primary", "majestec-1-2022-pfs-primary"],
        "PFS",
        ["Placebo-Rd", "Tec"],
    )
    assert [a.arm for a in arms.arms] == ["Placebo-Rd", "Tec"]
    only = cross_trial_arms(["majestec-1-2022-pfs-primary"], "PFS")
    assert [a.arm for a in only.arms] == ["Tec"]


def test_two_cuts_of_one_trial_get_distinct_labels():
    arms = cross_trial_arms(["maia-2019-pfs-primary", "maia-2021-pfs-os-interim"], "PFS")
    assert [a.label for a in arms.arms] == [
        "MAIA: Rd (maia-2019-pfs-primary)",
        "MAIA: Rd (maia-2021-pfs-os-interim)",
    ]


def test_an_arm_the_study_lacks_is_named_with_the_file():
    with pytest.raises(InputError) as info:
        cross_trial_arms(["maia-2019-pfs-primary", "tourmaline-mm1-2016-pfs-primary"], "PFS", "Rd")
    assert info.value.file.endswith("tourmaline-mm1-2016-pfs-primary.yaml")
    assert info.value.field == "endpoints.PFS.arms"
    assert "no arm 'Rd'" in info.value.problem and "IRd, Placebo-Rd" in info.value.problem


@pytest.mark.parametrize(
    ("studies", "arm", "field", "problem"),
    [
        ([], None, "studies", "non-empty list"),
        ("maia-2019-pfs-primary", None, "studies", "non-empty list"),
        (RD_TRIALS, ["Rd", "Rd"], "arm", "2 arm ids for 3 studies"),
        (RD_TRIALS, 3, "arm", "expected an arm id"),
    ],
)
def test_bad_arguments(studies, arm, field, problem):
    with pytest.raises(InputError) as info:
        cross_trial_arms(studies, "PFS", arm)
    assert info.value.field == field and problem in info.value.problem


def test_other_time_units_are_refused(tmp_path):
    study = mmsurv.load_study("niu-2026-krd-vs-vrd").model_dump(mode="json", exclude_none=True)
    study["time_unit"] = "weeks"
    path = tmp_path / "weeks.yaml"
    path.write_text(yaml.safe_dump(study))
    with pytest.raises(InputError) as info:
        cross_trial_arms(["niu-2026-krd-vs-vrd", str(path)], "PFS")
    assert info.value.file == str(path) and info.value.field == "time_unit"
    assert "time is in weeks" in info.value.problem


def test_an_endpoint_without_comparison_needs_the_arm_named(tmp_path):
    study = mmsurv.load_study("niu-2026-krd-vs-vrd").model_dump(mode="json", exclude_none=True)
    del study["endpoints"]["PFS"]["comparison"]
    path = tmp_path / "nocomp.yaml"
    path.write_text(yaml.safe_dump(study))
    with pytest.raises(InputError) as info:
        cross_trial_arms([str(path)], "PFS")
    assert info.value.field == "endpoints.PFS" and "name the arm" in info.value.problem
    assert [a.arm for a in cross_trial_arms([str(path)], "PFS", "VRd").arms] == ["VRd"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    arm=st.one_of(
        st.none(),
        st.text(max_size=8),
        st.lists(st.sampled_from(["KRd", "VRd", "Rd", ""]), max_size=3),
        st.integers(),
    )
)
def test_any_arm_argument_gives_arms_or_an_input_error(arm):
    try:
        result = cross_trial_arms(["niu-2026-krd-vs-vrd"], "PFS", arm)
    except InputError:
        return
    assert len(result.arms) == 1 and result.arms[0].arm in {"KRd", "VRd"}
    assert result.arms[0].n == mmsurv.load_study("niu-2026-krd-vs-vrd").arm(result.arms[0].arm).n


# a single-arm study beside the control arms it is usually compared with
CAR_T_BESIDE = [
    "bcma-car-t-phase1-pfs-os",
    "majestec-1-2022-pfs-primary",
    "eloquent-3-2018-pfs-primary",
    "icaria-mm-2019-pfs-os-primary",
]


@pytest.fixture(scope="module")
def car_t() -> CrossTrialArms:
    return cross_trial_arms(CAR_T_BESIDE, "PFS")


def test_a_single_arm_study_sits_beside_the_pd_control_arms(car_t):
    assert [a.arm for a in car_t.arms] == ["CAR-T", "Tec", "Pd", "Pd"]
    assert [a.single_arm for a in car_t.arms] == [True, True, False, False]
    assert list(car_t.table()["single_arm"]) == [True, True, False, False]
    for arm in car_t.arms:
        study = mmsurv.load_study(arm.study_id)
        assert arm.n == study.arm(arm.arm).n
        # each arm keeps its own study's median; the reconstruction reproduces it
        assert arm.median == pytest.approx(arm.published.median, rel=0.05)


def test_the_text_names_the_single_arm_studies_and_computes_no_hr(car_t):
    text = format_cross_trial(car_t)
    flat = " ".join(text.split())
    assert "Single-arm: bcma-car-t-phase1-pfs-os, majestec-1-2022-pfs-primary" in flat
    assert "no hazard ratio is computed between arms of different studies" in flat
    assert flat.endswith(CROSS_TRIAL_WARNING)
    assert "HR" not in text and not hasattr(car_t, "hr")


def test_no_single_arm_line_when_every_study_is_randomised(rd):
    assert "Single-arm" not in format_cross_trial(rd)
    assert not any(a.single_arm for a in rd.arms)


# the CAR-T PFS beside the teclistamab arm and one Pd arm only
CAR_T_TEC_PD = CAR_T_BESIDE[:3]


def test_three_studies_give_the_car_t_tec_and_pd_arms_without_hr():
    arms = cross_trial_arms(CAR_T_TEC_PD, "PFS")
    assert [(a.trial, a.arm, a.single_arm) for a in arms.arms] == [
        ("BCMA CAR-T phase I", "CAR-T", True),
        ("MajesTEC-1", "Tec", True),
        ("ELOQUENT-3", "Pd", False),
    ]
    assert [a.n for a in arms.arms] == [24, 165, 57]
    assert arms.warning == CROSS_TRIAL_WARNING and "HR" not in format_cross_trial(arms)


@pytest.mark.parametrize("ids", [CAR_T_TEC_PD, CAR_T_BESIDE], ids=["three", "four"])
def test_the_figure_of_a_single_arm_beside_control_arms_warns_and_shows_no_hr(ids):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    car_t = cross_trial_arms(ids, "PFS")
    ax = mmsurv.plot_arms(car_t)
    ax.figure.draw_without_rendering()

    def gid(name):
        return [a for a in ax.get_children() if a.get_gid() == name]

    assert not gid("hr-annotation")
    (box,) = gid("cross-trial-warning")
    assert " ".join(box.txt.get_text().split()) == CROSS_TRIAL_WARNING
    medians = [m.get_xdata()[0] for m in gid("published-median")]
    assert medians == [a.published.median for a in car_t.arms]
    plt.close(ax.figure)
