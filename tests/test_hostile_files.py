"""Files as people save them: WebPlotDigitizer exports trimmed or with blank columns,
numeric dataset names, decimal commas, UTF-16 and cp1252; odd spellings of medians and
p-values; numbers at the edge of floating point."""

import numpy as np
import pytest
import yaml

from mmsurv import check_study, reconstruct
from mmsurv.curves import read_at_risk, read_curve
from mmsurv.errors import InputError
from mmsurv.study import PValue, load_study

THREE = "A,,B,,C,\nX,Y,X,Y,X,Y\n0,1,0,1,0,1\n1,0.9,1,0.8,1,0.7\n2,0.5,2,0.4\n3,0.3\n"


def write(tmp_path, text, name="curve.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


@pytest.mark.parametrize(
    ("dataset", "expected"),
    [("A", [[0, 1], [1, 0.9], [2, 0.5], [3, 0.3]]), ("B", [[0, 1], [1, 0.8], [2, 0.4]]),
     ("C", [[0, 1], [1, 0.7]])],
)  # fmt: skip
def test_wpd_rows_trimmed_after_their_last_value(tmp_path, dataset, expected):
    assert read_curve(write(tmp_path, THREE), dataset=dataset).tolist() == expected


def test_wpd_blank_separator_columns(tmp_path):
    text = "A,,,B,\nX,Y,,X,Y\n0,1,,0,1\n1,0.9,,1,0.8\n"
    assert read_curve(write(tmp_path, text), dataset="B").tolist() == [[0, 1], [1, 0.8]]
    assert read_curve(write(tmp_path, text), dataset="A").tolist() == [[0, 1], [1, 0.9]]


def test_wpd_numeric_dataset_names(tmp_path):
    text = "1,,2,\nX,Y,X,Y\n0,1,0,1\n1,0.9,1,0.8\n"
    assert read_curve(write(tmp_path, text), dataset=2).tolist() == [[0, 1], [1, 0.8]]
    assert read_curve(write(tmp_path, text), dataset="1").tolist() == [[0, 1], [1, 0.9]]


def test_wpd_names_missing_or_twice_are_one_line(tmp_path):
    with pytest.raises(InputError, match="column 3 has no name"):
        read_curve(write(tmp_path, "A,,,\nX,Y,X,Y\n0,1,0,1\n"), dataset="A")
    with pytest.raises(InputError, match="'A' is used twice"):
        read_curve(write(tmp_path, "A,,A,\nX,Y,X,Y\n0,1,0,1\n"), dataset="A")
    with pytest.raises(InputError, match=r"dataset 'D' not found \(datasets: A, B, C\)"):
        read_curve(write(tmp_path, THREE), dataset="D")


@pytest.mark.parametrize(
    "text",
    ["time;survival\n0;1\n1,5;0,95\n3;0,8\n", "0;1\n1,5;0,95\n3;0,8\n",
     "time\tsurvival\n0\t1\n1,5\t0,95\n3\t0,8\n", "A;\nX;Y\n0;1\n1,5;0,95\n3;0,8\n"],
)  # fmt: skip
def test_decimal_commas(tmp_path, text):
    assert read_curve(write(tmp_path, text)).tolist() == [[0, 1], [1.5, 0.95], [3, 0.8]]


def test_decimal_commas_in_an_at_risk_table(tmp_path):
    times, counts = read_at_risk(write(tmp_path, "time;n_risk\n0;10\n2,5;8\n"))
    assert times.tolist() == [0, 2.5] and counts.tolist() == [10, 8]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252"])
def test_encodings_are_detected(tmp_path, encoding):
    path = write(tmp_path, "Arm é,,B,\nX,Y,X,Y\n0,1,0,1\n1,0.9,1,0.8\n", encoding=encoding)
    assert read_curve(path, dataset="Arm é").tolist() == [[0, 1], [1, 0.9]]


def test_binary_file_is_one_line(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(InputError, match="binary"):
        read_curve(path)
    path.write_bytes(b"time,survival\n0,1\x00\n")
    with pytest.raises(InputError, match="binary"):
        read_curve(path)


def test_non_finite_value_names_the_line(tmp_path):
    with pytest.raises(InputError, match="line 3: survival 'inf' is not finite"):
        read_curve(write(tmp_path, "time,survival\n0,1\n1,inf\n"))


STUDY = {
    "id": "d",
    "arms": [{"id": "A", "n": 40}, {"id": "B", "n": 40}],
    "endpoints": {
        "OS": {
            "follow_up": {"max": 36},
            "arms": {"A": {"median": 20}, "B": {"median": 10}},
            "comparison": {"treatment": "A", "reference": "B"},
        }
    },
}


def study_with(median=20, median_ci=None, **comparison):
    data = {**STUDY, "endpoints": {"OS": {**STUDY["endpoints"]["OS"]}}}
    ep = data["endpoints"]["OS"]
    ep["arms"] = {"A": {"median": median, "median_ci": median_ci}, "B": {"median": 10}}
    ep["comparison"] = {"treatment": "A", "reference": "B", **comparison}
    return data


@pytest.mark.parametrize("spelling", ["NR", "NE", "N.E.", "n.r.", "not reached", "Not estimable"])
def test_median_not_reached_spellings(spelling):
    arm = load_study(study_with(spelling, ["N.E.", "NA"])).endpoints["OS"].arms["A"]
    assert arm.median == "NR" and arm.median_ci == (None, None)


def test_median_not_available_is_refused_with_the_spellings():
    with pytest.raises(InputError, match=r"also NE, N\.E\."):
        load_study(study_with("NA"))


@pytest.mark.parametrize(
    ("text", "value", "relation"),
    [("p<0.001", 0.001, "<"), ("p < 0.001", 0.001, "<"), ("P<.001", 0.001, "<"),
     ("p = 0.03", 0.03, "="), ("≤0.05", 0.05, "<="), ("0.2", 0.2, "=")],
)  # fmt: skip
def test_p_spellings(text, value, relation):
    p = PValue.model_validate(text)
    assert (p.value, p.relation) == (value, relation)


def test_check_of_a_p_at_the_smallest_float():
    result = check_study(study_with(hr=0.5, p=5e-324, logrank_chi2=1e308))
    assert {m.quantity for m in result.misses} <= {"p", "log-rank chi2", "HR"}
    (miss,) = [m for m in result.misses if m.quantity == "p"]
    assert "accepted up to 4.057e-208" in miss.tolerance  # z within 20% of 38.48, not 0


def test_check_of_a_one_patient_arm_without_events():
    data = study_with(hr=0.5, hr_ci=[0.2, 1.1], p=0.2)
    data["arms"][0]["n"] = 1
    data["endpoints"]["OS"]["arms"]["A"] = {"events": 0}
    for hr_blind in (False, True):
        result = check_study(data, hr_blind=hr_blind)
        assert not result.passed
        hr = result.table().set_index("quantity").loc["HR"]
        assert hr["status"] == "miss" and not np.isfinite(hr["deviation"])


def test_an_origin_clicked_left_of_the_axis_is_read_from_a_study(tmp_path):
    path = write(tmp_path, "time,survival\n-0.0143,1.0\n2,0.9\n5,0.6\n10,0.4\n")
    arm = {"curve": path.name, "events": 12}
    data = {"id": "d", "arms": [{"id": "A", "n": 20}], "endpoints": {"OS": {"arms": {"A": arm}}}}
    study = tmp_path / "study.yaml"
    study.write_text(yaml.safe_dump(data))
    _, report = reconstruct(str(study), "OS")
    assert any("below 0" in step for step in report["A"].cleaning.steps())
    arm["curve"] = [[-3, 1.0], [2, 0.9], [5, 0.6], [10, 0.4]]
    with pytest.raises(InputError, match="negative time -3"):
        load_study(data)


def test_an_origin_left_of_the_axis_is_judged_against_the_whole_figure():
    # an arm whose last drop is early (its curve ends at 2.4) in a figure whose axis runs
    # to 45: an origin clicked 0.2 to the left is 0.4% of that axis, digitizer noise
    short = {
        "curve": [[-0.2, 1.004], [0.9, 0.8], [2.4, 0.6]],
        "at_risk": {"times": [0, 12, 24], "n": [10, 6, 2]},
    }
    long = {"curve": [[0, 1.0], [10, 0.7], [30, 0.4], [45, 0.3]]}
    data = {
        "id": "d",
        "arms": [{"id": "A", "n": 10}, {"id": "B", "n": 30}],
        "endpoints": {"OS": {"arms": {"A": short, "B": long}}},
    }
    _, report = reconstruct(load_study(data), "OS")
    assert any("below 0" in step for step in report["A"].cleaning.steps())
    # the same click is not noise when the whole figure is that short
    data["endpoints"]["OS"]["arms"] = {"A": {"curve": short["curve"]}}
    with pytest.raises(InputError, match=r"arms\.A\.curve: point 0 has a negative time -0\.2"):
        load_study(data)


def test_numeric_dataset_name_in_a_study_file(tmp_path):
    write(tmp_path, "1;;2;\nX;Y;X;Y\n0;1;0;1\n2,5;0,9;1;0,8\n5;0,6;4;0,5\n", name="wpd.csv")
    study = tmp_path / "study.yaml"
    study.write_text(
        "id: d\narms: [{id: A, n: 20}]\n"
        "endpoints: {OS: {arms: {A: {curve: {file: wpd.csv, dataset: 2}, events: 9}}}}\n"
    )
    curve = load_study(study).endpoints["OS"].arms["A"].curve
    assert curve.to_array().tolist() == [[0, 1], [1, 0.8], [4, 0.5]]
