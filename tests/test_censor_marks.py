"""Censor marks read off a figure: the ``censor_times`` field and ``guyot(censor_times=)``."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mmsurv
from mmsurv.errors import InputError
from mmsurv.km import km_curve, n_at_risk, step_values
from mmsurv.study import load_study

#: 12 patients in whole weeks; censored at 6, 9, 12 and 14 (four at 14).
TIME = np.array([3, 3, 5, 6, 8, 9, 10, 12, 14, 14, 14, 14], dtype=float)
EVENT = np.array([1, 1, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0])


def clicks_of(time, event):
    kt, ks = km_curve(time, event)
    drops = np.flatnonzero(np.diff(ks) < 0) + 1
    clicks = [[0.0, 1.0]]
    for k in drops:
        clicks += [[kt[k], ks[k - 1]], [kt[k], ks[k]]]
    clicks.append([float(time.max()), float(ks[-1])])
    return np.array(clicks)


def censored(ipd):
    return np.sort(ipd.loc[ipd["event"] == 0, "time"].to_numpy())


def test_marks_without_a_table_give_the_censorings_and_their_times():
    marks = TIME[EVENT == 0]
    ipd, report = mmsurv.guyot(clicks_of(TIME, EVENT), n=12, censor_times=marks)
    assert censored(ipd).tolist() == sorted(marks.tolist())
    assert report.events_reconstructed == int(EVENT.sum())
    assert any("censor marks" in note for note in report.notes)
    # without marks nobody is censored before the last click
    plain, _ = mmsurv.guyot(clicks_of(TIME, EVENT), n=12)
    assert censored(plain).min() == 14.0


def test_marks_with_a_table_keep_its_counts_and_the_total():
    risk = {"times": [0, 5, 10], "n": [12, 10, 6]}
    marks = [6.0, 9.0, 12.0]
    ipd, report = mmsurv.guyot(
        clicks_of(TIME, EVENT), n=12, at_risk=risk, total_events=5, censor_times=marks
    )
    assert report.n_risk_reconstructed.tolist() == risk["n"]
    assert report.events_reconstructed == 5
    assert set(marks) <= set(censored(ipd).tolist())
    assert any("3 of" in note and "censor marks" in note for note in report.notes)


def test_more_marks_than_censorings_take_the_nearest():
    risk = {"times": [0, 5, 10], "n": [12, 10, 6]}
    ipd, _ = mmsurv.guyot(
        clicks_of(TIME, EVENT), n=12, at_risk=risk, total_events=5, censor_times=[6, 7, 9]
    )
    # [5, 10) loses 4 patients, 2 by the drops at 5 and 8: two of the three marks
    inside = censored(ipd)[(censored(ipd) >= 5) & (censored(ipd) < 10)]
    assert inside.size == 2 and set(inside.tolist()) < {6.0, 7.0, 9.0}


@pytest.mark.parametrize(
    ("marks", "problem"),
    [
        ([-1.0], "negative time"),
        (["x"], "not a finite number"),
        ([float("nan")], "not a finite number"),
        ("3", "expected a list"),
    ],
)
def test_bad_marks_are_refused_with_the_field(marks, problem):
    with pytest.raises(InputError, match=problem) as info:
        mmsurv.guyot(clicks_of(TIME, EVENT), n=12, censor_times=marks)
    assert "censor_times" in str(info.value)


def test_marks_on_the_flat_tail_after_the_last_click_are_taken():
    # Nothing is clicked on a flat tail, so its marks lie after the last drop: the
    # curve is taken as flat to the last mark, and the report says so.
    ipd, report = mmsurv.guyot(clicks_of(TIME, EVENT), n=12, censor_times=[3, 40])
    assert censored(ipd).max() == 40.0
    assert report.events_reconstructed == int(EVENT.sum())
    assert any(
        "flat from its last click at 14 to the last censor mark at 40" in note
        for note in report.notes
    )


def study_dict(marks):
    return {
        "id": "marks",
        "time_unit": "weeks",
        "arms": [{"id": "A", "n": 12}],
        "endpoints": {
            "OS": {
                "arms": {
                    "A": {
                        "curve": clicks_of(TIME, EVENT).tolist(),
                        "at_risk": {"times": [0, 5, 10], "n": [12, 10, 6]},
                        "censor_times": marks,
                    }
                }
            }
        },
    }


def test_study_file_field_from_a_csv_relative_to_the_file(tmp_path):
    (tmp_path / "marks.csv").write_text("time\n6\n9\n12\n", encoding="utf-8")
    path = tmp_path / "study.yaml"
    path.write_text(yaml.safe_dump(study_dict("marks.csv")), encoding="utf-8")
    study = mmsurv.load_study(path)
    assert study.endpoint("OS").arms["A"].censor_times == (6.0, 9.0, 12.0)
    ipd, report = mmsurv.reconstruct(study, "OS")
    rows = ipd[(ipd["arm"] == "A") & (ipd["event"] == 0)]["time"].tolist()
    assert {6.0, 9.0, 12.0} <= set(rows)
    assert any("censor marks" in note for note in report.arms["A"].notes)


@pytest.mark.parametrize(
    ("marks", "field", "problem"),
    [
        ([3, -2], "censor_times", "negative time"),
        ([3, "soon"], "censor_times", "not a finite number"),
    ],
)
def test_study_file_field_errors_name_file_and_field(tmp_path, marks, field, problem):
    path = tmp_path / "study.yaml"
    path.write_text(yaml.safe_dump(study_dict(marks)), encoding="utf-8")
    with pytest.raises(InputError, match=problem) as info:
        mmsurv.load_study(path)
    message = str(info.value)
    assert "study.yaml" in message and f"endpoints.OS.arms.A.{field}" in message


def test_study_file_marks_beyond_the_table_are_taken(tmp_path):
    path = tmp_path / "study.yaml"
    path.write_text(yaml.safe_dump(study_dict([3, 40])), encoding="utf-8")
    ipd, report = mmsurv.reconstruct(mmsurv.load_study(path), "OS")
    assert ipd["time"].max() == 40.0
    assert any("censor mark at 40" in note for note in report.arms["A"].notes)


def test_study_file_marks_need_a_curve(tmp_path):
    data = study_dict([3])
    del data["endpoints"]["OS"]["arms"]["A"]["curve"]
    path = tmp_path / "study.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(InputError, match="need the curve"):
        mmsurv.load_study(path)


def test_study_file_csv_marks_with_a_bad_header(tmp_path):
    (tmp_path / "marks.csv").write_text("when\n6\n", encoding="utf-8")
    path = tmp_path / "study.yaml"
    path.write_text(yaml.safe_dump(study_dict("marks.csv")), encoding="utf-8")
    with pytest.raises(InputError, match="header 'time'"):
        mmsurv.load_study(path)


@st.composite
def arms_with_marks(draw):
    n = draw(st.integers(5, 60))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    time = np.ceil(rng.exponential(12.0, n)).clip(1, 40)
    censor = np.ceil(rng.uniform(5, 45, n))
    event = (time <= censor).astype(int)
    time = np.minimum(time, censor)
    clicks = clicks_of(time, event)
    clicks[1:, 0] += rng.normal(0, 0.0025 * time.max(), clicks.shape[0] - 1)
    clicks[1:, 1] += rng.normal(0, 0.0025, clicks.shape[0] - 1)
    marks = time[event == 0]
    keep = rng.uniform(size=marks.size) < draw(st.floats(0.3, 1.0))
    return time, event, clicks, np.clip(marks[keep], 0, None)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(arms_with_marks(), st.booleans())
def test_marks_keep_table_and_total(arm, with_table):
    time, event, clicks, marks = arm
    ticks = np.arange(0, time.max() + 1e-9, 5.0)
    counts = n_at_risk(time, ticks)
    risk = {"times": ticks[counts > 0].tolist(), "n": counts[counts > 0].tolist()}
    ipd, report = mmsurv.guyot(
        clicks,
        n=time.size,
        at_risk=risk if with_table else None,
        total_events=int(event.sum()),
        censor_times=marks,
    )
    assert len(ipd) == time.size
    if with_table:
        assert report.n_risk_reconstructed.tolist() == risk["n"]
    else:
        assert report.events_reconstructed == int(event.sum())
    kt, ks = km_curve(ipd["time"].to_numpy(), ipd["event"].to_numpy())
    grid = np.linspace(0, time.max(), 200)
    assert np.all(np.diff(step_values(kt, ks, grid)) <= 1e-12)


def test_marks_bring_the_reconstruction_closer_on_simulated_figures():
    """The measurement of validation/censor_marks.py, on its data sets: with every mark,
    the numbers at risk and the HR with the total alone come closer to the truth."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "validation"))
    from censor_marks import marks_table, summarize
    from figure_accuracy import small_trials

    summary = summarize(marks_table(small_trials())).set_index(["case", "marks"])
    for case in ("events", "curve_only"):
        none, every = summary.loc[(case, "none")], summary.loc[(case, "all")]
        assert every["at_risk_err_median"] < none["at_risk_err_median"]
        assert every["log_hr_err_median"] < none["log_hr_err_median"]


junk = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-5, 50),
    st.text(max_size=4),
    st.none(),
    st.booleans(),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.lists(junk, max_size=6), junk))
def test_any_censor_times_load_and_reconstruct_or_give_one_input_error(marks):
    data = study_dict(marks)
    try:
        study = mmsurv.load_study(data)
        ipd, _ = mmsurv.reconstruct(study, "OS")
    except InputError as exc:
        assert "censor_times" in str(exc)
        return
    assert len(ipd) == 12


def test_marks_after_everyone_has_left_censor_no_one():
    # a table that reaches 0 before the curve's end, marks beyond it (as a misread image
    # gives): the marks' weights once divided by the 0 patients at risk there
    curve = [[0, 1], [10, 1], [10, 0.6], [30, 0.6], [30, 0.3], [50, 0.3], [50, 0.2], [130, 0.2]]
    arm = {
        "curve": curve,
        "at_risk": {"times": [0, 20, 40, 60], "n": [12, 6, 2, 0]},
        "censor_times": [70, 90],
    }
    study = {"id": "x", "arms": [{"id": "A", "n": 12}], "endpoints": {"E": {"arms": {"A": arm}}}}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ipd, _ = mmsurv.reconstruct(load_study(study), "E")
    assert len(ipd) == 12 and ipd["time"].max() < 60
