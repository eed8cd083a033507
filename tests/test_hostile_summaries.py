"""Summaries at the edges: landmarks of 1 or 0, at time 0 or at the end of follow-up,
events of 0, numbers that cannot all hold. The reconstruction keeps what was printed or
says which number it could not keep, and check says so too."""

from pathlib import Path

import numpy as np
import pytest
import yaml

from mmsurv import analyze_endpoint, check_study, reconstruct
from mmsurv.cli import main
from mmsurv.errors import InputError
from mmsurv.km import km_curve, n_at_risk, one_event_step
from mmsurv.study import load_study

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "rossi" / "study.yaml"


def one_arm(arm, follow_up=None, n=21):
    endpoint = {"arms": {"A": arm}}
    if follow_up is not None:
        endpoint["follow_up"] = follow_up
    return {"id": "edge", "arms": [{"id": "A", "n": n}], "endpoints": {"PFS": endpoint}}


def published(study):
    result = check_study(study)
    table = result.table()
    return result, dict(zip(table["quantity"], table["reconstructed"], strict=True))


@pytest.mark.parametrize(
    "arm",
    [
        {"landmarks": {5: 1.0}, "median": 12},  # "all 21 patients in remission at 5 weeks"
        {"landmarks": {5: 1.0}, "events": 10},
        {"landmarks": {10: 1.0}, "events": 0},
        {"landmarks": {0: 1.0, 5: 1.0, 20: 0.3}, "median": 12},
    ],
)
def test_landmark_of_one_is_kept(arm):
    result, values = published(one_arm(arm, {"max": 30}))
    assert result.passed, result.lines()
    for t, lm in arm["landmarks"].items():
        assert values[f"survival at {t:g}"] == pytest.approx(lm)
    _, report = reconstruct(one_arm(arm, {"max": 30}), "PFS")
    assert any("no event before it" in note for note in report["A"].notes)


def test_landmark_of_one_alone_is_one_clear_line():
    with pytest.raises(InputError, match="says only that no event happened before it"):
        reconstruct(one_arm({"landmarks": {5: 1.0}}, {"max": 30}), "PFS")


@pytest.mark.parametrize("arm", [{"landmarks": {10: 0.0}, "median": 4}, {"landmarks": {10: 0.0}}])
def test_landmark_of_zero_is_kept(arm):
    result, values = published(one_arm({**arm, "events": 21}, {"max": 30}))
    assert result.passed, result.lines()
    assert values["survival at 10"] == 0


def test_events_of_zero():
    result, values = published(one_arm({"events": 0}, {"max": 24}))
    assert result.passed and values["events"] == 0


@pytest.mark.parametrize(
    ("arm", "follow_up"),
    [
        ({"landmarks": {30: 0.3}, "median": 10}, {"max": 30}),
        ({"landmarks": {30: 0.3}, "events": 14}, {"max": 30, "median": 20}),
        ({"landmarks": {30: 0.3}, "median": 10}, {"max": 30, "accrual": 12}),
    ],
)
def test_landmark_at_the_end_of_follow_up_is_shown_and_checked(arm, follow_up):
    study = one_arm(arm, follow_up)
    _, result = analyze_endpoint(study, "PFS")
    assert result.arms["A"].landmarks[30].survival is not None
    check = check_study(study)
    assert check.passed, check.lines()


def test_landmark_at_time_zero():
    _, values = published(one_arm({"landmarks": {0: 1.0}, "median": 4}, {"max": 30}))
    assert values["survival at 0"] == 1
    with pytest.raises(InputError, match="survival at time 0 is 1 by definition"):
        reconstruct(one_arm({"landmarks": {0: 0.9}, "median": 4}, {"max": 30}), "PFS")


def test_landmark_at_time_zero_from_the_command_line(tmp_path, capsys):
    study = tmp_path / "zero.yaml"
    study.write_text(
        "id: zero\narms: [{id: A, n: 20}]\n"
        "endpoints: {PFS: {follow_up: {max: 24}, arms: {A: {median: 12, landmarks: {0: 0.9}}}}}\n"
    )
    for command in ("reconstruct", "analyze", "check", "audit"):
        assert main([command, str(study)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "survival at time 0 is 1" in err, err


def test_not_reached_median_with_many_events_stays_not_reached():
    study = one_arm({"median": "NR", "events": 30}, {"max": 48, "median": 24}, n=100)
    result, values = published(study)
    assert result.passed, result.lines()
    assert values["median"] == "NR"
    _, report = reconstruct(study, "PFS")
    assert any("median reported not reached" in note for note in report["A"].notes)


def test_median_with_many_events_and_no_follow_up_is_kept():
    result, values = published(one_arm({"median": 12, "events": 80}, n=100))
    assert result.passed, result.lines()
    assert values["median"] == 12 and values["events"] == 80


def test_numbers_that_cannot_all_hold_are_said_not_kept(capsys):
    study = one_arm({"median": 12, "events": 80}, {"max": 14, "median": 10}, n=100)
    _, report = reconstruct(study, "PFS")
    notes = report["A"].notes
    assert any("median reported 12 not kept" in note for note in notes)
    assert any("placed" in note for note in notes)  # events beyond the curve's drop
    assert any("not kept" in line for line in report.summary_lines())
    result = check_study(study)
    (miss,) = [m for m in result.misses if m.quantity == "median"]
    assert not miss.kept and "could not keep it" in str(miss)


def test_tiny_arm_says_what_it_cannot_show():
    study = one_arm({"median": 6, "landmarks": {3: 0.8}}, {"max": 24}, n=1)
    _, report = reconstruct(study, "PFS")
    unkept = report.unkept()
    assert ("A", "survival at 3") in unkept  # 0.8 is no Kaplan-Meier value of 1 patient
    result = check_study(study)
    assert not result.passed
    assert all(not m.kept for m in result.misses if m.quantity in {q for _, q in unkept})


def test_digitized_arm_and_summary_arm_without_hr_or_follow_up():
    base = load_study(EXAMPLE)
    data = yaml.safe_load(EXAMPLE.read_text())
    ep = data["endpoints"]["rearrest"]
    del ep["follow_up"]
    aid = ep["arms"]["aid"]
    del aid["at_risk"]
    aid["curve"] = base.endpoints["rearrest"].arms["aid"].curve.to_array().tolist()
    ep["arms"]["no_aid"] = {"events": 66}
    _, report = reconstruct(data, "rearrest")
    assert report["no_aid"].events_reconstructed == 66
    assert any("last click of the digitized curves" in n for n in report["no_aid"].notes)


def test_analyze_says_which_numbers_were_not_kept(tmp_path, capsys):
    study = tmp_path / "contra.yaml"
    study.write_text(
        "id: contra\narms: [{id: A, n: 100}]\nendpoints:\n  PFS:\n"
        "    follow_up: {max: 14, median: 10}\n    arms:\n      A: {median: 12, events: 80}\n"
    )
    assert main(["analyze", str(study)]) == 0
    err = capsys.readouterr().err
    assert "mmsurv: contra PFS A: median reported 12 not kept: reconstructed" in err


def test_an_arm_of_two_keeps_its_median():
    study = one_arm({"median": 6}, {"max": 24}, n=2)
    ipd, report = reconstruct(study, "PFS")
    assert int(ipd.loc[ipd["arm"] == "A", "event"].sum()) == 1
    assert ("A", "median") not in report.unkept()


def six_mp_abstract(end_rate: float | None = None, *, with_median: bool = True):
    """The 6-MP arm of the leukaemia trial (Freireich et al. 1963, in lifelines) as an
    abstract prints it: 21 patients all in remission at 5 weeks, 9 relapses, the median
    and the remission rate at the end of follow-up (35 weeks), from the true data."""
    from lifelines import KaplanMeierFitter
    from lifelines.datasets import load_leukemia

    d = load_leukemia()
    d = d[d["Rx"] == 0]
    km = KaplanMeierFitter().fit(d["t"], d["status"])
    end = float(d["t"].max())
    rate = round(float(km.predict(end)), 3) if end_rate is None else end_rate
    arm = {
        "landmarks": {5: round(float(km.predict(5.0)), 3), end: rate},
        "events": int(d["status"].sum()),
    }
    if with_median:
        arm["median"] = float(km.median_survival_time_)
    return one_arm(arm, {"max": end}, n=len(d)), end


def test_small_arm_landmark_at_the_end_is_judged_by_the_curve_step():
    """A curve of 21 patients moves by whole steps of 5-15%: the true numbers pass, held
    to one event's step of the reconstructed curve next to the landmark where it exceeds
    0.03."""
    study, end = six_mp_abstract()
    result = check_study(study)
    assert result.passed, result.lines()
    ipd, _ = reconstruct(study, "PFS")
    time = ipd["time"].to_numpy()
    t, s = km_curve(time, ipd["event"].to_numpy())
    step = float(one_event_step(t, s, n_at_risk(time, t), np.array([end]))[0])
    row = result.table().set_index("quantity").loc[f"survival at {end:g}"]
    assert step > 0.03
    assert row["tolerance_value"] == pytest.approx(step)


def test_a_landmark_the_small_arm_cannot_reach_misses_and_says_its_tolerance():
    """9 relapses in 21 patients leave at most 12/21 = 0.57 in remission: a printed 0.7
    misses even with the widened tolerance, and the line says how it was widened."""
    study, end = six_mp_abstract(end_rate=0.7, with_median=False)
    result = check_study(study)
    (miss,) = [m for m in result.misses if m.quantity == f"survival at {end:g}"]
    assert "widened to one event's step of the reconstructed curve there" in str(miss)


def test_many_tied_events_on_one_click_do_not_widen_the_landmark_tolerance(tmp_path):
    """A digitized curve of 300 patients drops by 6% at each click (18 events tied on
    it): one event there moves the curve by 0.004, so a printed rate 0.05 off the curve
    still misses at the plain tolerance of 0.03."""
    levels = 1.0 - 0.06 * np.arange(9)
    times = 3.0 * np.arange(9)
    corners = np.column_stack([np.repeat(times[1:], 2), np.repeat(levels, 2)[1:-1]])
    curve = np.vstack([[0.0, 1.0], corners, [30.0, levels[-1]]])
    np.savetxt(tmp_path / "curve.csv", curve, delimiter=",", header="time,survival", comments="")
    study = {
        "id": "coarse-300",
        "title": "coarse clicks, 300 patients",
        "design": "test",
        "source": {"citation": "none"},
        "time_unit": "months",
        "arms": [{"id": "A", "label": "arm A", "n": 300}],
        "endpoints": {
            "PFS": {
                "follow_up": {"max": 30},
                "arms": {
                    "A": {
                        "curve": {"file": "curve.csv"},
                        "at_risk": {"times": [0, 6, 12, 18, 24], "n": [300, 264, 228, 192, 156]},
                        "landmarks": {13: {"survival": 0.71}},
                    }
                },
            }
        },
    }
    path = tmp_path / "study.yaml"
    path.write_text(yaml.safe_dump(study))
    result = check_study(path)
    row = result.table().set_index("quantity").loc["survival at 13"]
    assert row["tolerance_value"] == pytest.approx(0.03)
    assert row["status"] == "miss"
