"""Tests of mmsurv.published: published versus reconstructed numbers, and their tables."""

from __future__ import annotations

import io
import json
import math
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest
from lifelines.datasets import load_rossi

from mmsurv.analysis import AnalysisResult, analyze
from mmsurv.errors import InputError
from mmsurv.published import format_table, published_vs_reconstructed
from mmsurv.study import Study, load_study

STUDY = {
    "id": "rossi-demo",
    "time_unit": "weeks",
    "arms": [{"id": "aid", "n": 216}, {"id": "none", "n": 216}],
    "endpoints": {
        "arrest": {
            "arms": {
                "aid": {
                    "median": "NR",
                    "events": 48,
                    "landmarks": {26: {"survival": 0.9, "ci": [0.85, 0.93]}, 52: 0.78},
                },
                "none": {"median": 40, "median_ci": [30, "NE"], "events": 66},
            },
            "comparison": {
                "treatment": "aid",
                "reference": "none",
                "hr": 0.69,
                "hr_ci": [0.48, 1.0],
                "p": "<0.001",
                "logrank_chi2": 3.8,
            },
        },
        "other": {"arms": {"aid": {"events": 10}}},
    },
}


@pytest.fixture(scope="module")
def ipd() -> pd.DataFrame:
    data = load_rossi()
    arm = data["fin"].map({1: "aid", 0: "none"})
    return pd.DataFrame({"arm": arm, "time": data["week"], "event": data["arrest"]})


@pytest.fixture(scope="module")
def study() -> Study:
    return load_study(STUDY)


@pytest.fixture(scope="module")
def result(ipd) -> AnalysisResult:
    return analyze(ipd, "aid", "none", time_unit="weeks")


@pytest.fixture(scope="module")
def table(study, result) -> pd.DataFrame:
    return published_vs_reconstructed(study, "arrest", result)


def _row(table: pd.DataFrame, arm, quantity: str) -> pd.Series:
    rows = table[(table["quantity"] == quantity) & (table["arm"].map(lambda a: a == arm))]
    assert len(rows) == 1, (arm, quantity)
    return rows.iloc[0]


def test_one_row_per_reported_number(table):
    assert list(table.columns) == [
        "endpoint",
        "arm",
        "quantity",
        "published",
        "reconstructed",
        "abs_diff",
        "rel_diff",
    ]
    assert set(table["endpoint"]) == {"arrest"}
    assert list(zip(table["arm"], table["quantity"], strict=True)) == [
        ("aid", "median"),
        ("aid", "events"),
        ("aid", "survival at 26"),
        ("aid", "survival at 26 CI lower"),
        ("aid", "survival at 26 CI upper"),
        ("aid", "survival at 52"),
        ("none", "median"),
        ("none", "median CI lower"),
        ("none", "events"),
        (None, "HR"),
        (None, "HR CI lower"),
        (None, "HR CI upper"),
        (None, "p"),
        (None, "log-rank chi2"),
    ]


def test_arm_values_come_from_the_analysis(table, result):
    aid = result.arms["aid"]
    assert _row(table, "aid", "events")["reconstructed"] == aid.events == 48
    mark = aid.survival_at(26)
    assert _row(table, "aid", "survival at 26")["reconstructed"] == mark.survival
    assert _row(table, "aid", "survival at 26 CI lower")["reconstructed"] == mark.ci[0]
    assert _row(table, "aid", "survival at 26 CI upper")["reconstructed"] == mark.ci[1]
    assert _row(table, "aid", "survival at 52")["reconstructed"] == aid.survival_at(52).survival


def test_not_reached_and_not_estimable(table):
    median = _row(table, "aid", "median")
    assert (median["published"], median["reconstructed"]) == ("NR", "NR")
    assert math.isnan(median["abs_diff"]) and math.isnan(median["rel_diff"])
    none_median = _row(table, "none", "median")
    assert (none_median["published"], none_median["reconstructed"]) == (40.0, "NR")
    lower = _row(table, "none", "median CI lower")
    assert (lower["published"], lower["reconstructed"]) == (30.0, "NE")


def test_comparison_values(table, result):
    hr = _row(table, None, "HR")
    assert hr["reconstructed"] == result.hr
    assert hr["abs_diff"] == pytest.approx(result.hr - 0.69)
    assert hr["rel_diff"] == pytest.approx((result.hr - 0.69) / 0.69)
    assert _row(table, None, "HR CI lower")["reconstructed"] == pytest.approx(result.hr_ci[0])
    assert _row(table, None, "HR CI upper")["reconstructed"] == pytest.approx(result.hr_ci[1])
    chi2 = _row(table, None, "log-rank chi2")
    assert chi2["reconstructed"] == result.logrank_chi2
    assert chi2["abs_diff"] == pytest.approx(result.logrank_chi2 - 3.8)


def test_p_bound_stays_text(table, result):
    p = _row(table, None, "p")
    assert p["published"] == "<0.001"
    assert p["reconstructed"] == result.logrank_p
    assert math.isnan(p["abs_diff"])


def _study(comparison: dict) -> Study:
    base = {"treatment": "aid", "reference": "none", **comparison}
    return load_study({**STUDY, "endpoints": {"arrest": {"arms": {}, "comparison": base}}})


def test_hr_ci_at_the_study_level(result, ipd):
    study = _study({"hr": 0.69, "hr_ci": [0.52, 0.92], "ci_level": 0.9})
    table = published_vs_reconstructed(study, "arrest", result)
    se = result.comparison.log_hr_se
    z = NormalDist().inv_cdf(0.95)
    expected = (result.hr * math.exp(-z * se), result.hr * math.exp(z * se))
    assert _row(table, None, "HR CI lower")["reconstructed"] == pytest.approx(expected[0])
    assert _row(table, None, "HR CI upper")["reconstructed"] == pytest.approx(expected[1])
    at_90 = analyze(ipd, "aid", "none", ci_level=0.9)
    assert expected == pytest.approx(at_90.hr_ci)


def test_exact_and_one_sided_p(result):
    two = published_vs_reconstructed(_study({"p": 0.05}), "arrest", result)
    assert _row(two, None, "p")["published"] == 0.05
    assert _row(two, None, "p")["abs_diff"] == pytest.approx(result.logrank_p - 0.05)
    one = published_vs_reconstructed(_study({"p": 0.025, "p_sided": "one-sided"}), "arrest", result)
    assert result.hr < 1
    assert _row(one, None, "p")["reconstructed"] == pytest.approx(result.logrank_p / 2)


def test_only_reported_numbers(study, result):
    table = published_vs_reconstructed(study, "other", result)
    assert table[["arm", "quantity", "published", "reconstructed"]].values.tolist() == [
        ["aid", "events", 10, 48]
    ]
    assert table["abs_diff"].tolist() == [38.0]
    assert table["rel_diff"].tolist() == [3.8]


def test_landmark_beyond_the_reconstruction(result):
    study = load_study(
        {**STUDY, "endpoints": {"arrest": {"arms": {"aid": {"landmarks": {60: 0.7}}}}}}
    )
    row = _row(published_vs_reconstructed(study, "arrest", result), "aid", "survival at 60")
    assert row["reconstructed"] is None and math.isnan(row["abs_diff"])


def test_errors(study, result, ipd):
    with pytest.raises(InputError, match="no endpoint 'OS'"):
        published_vs_reconstructed(study, "OS", result)
    numbered = analyze(ipd.assign(arm=ipd["arm"].map({"aid": 1, "none": 0})), 1, 0)
    with pytest.raises(InputError) as info:
        published_vs_reconstructed(study, "arrest", numbered)
    assert str(info.value) == (
        "result: no arm 'aid' in the analysis (arms: 0, 1); label the reconstructed data "
        "with the study's arm ids"
    )
    swapped = analyze(ipd, "none", "aid")
    with pytest.raises(InputError) as info:
        published_vs_reconstructed(study, "arrest", swapped)
    assert str(info.value) == (
        "result: the analysis has none vs aid, the study compares aid vs none: "
        "analyze with treatment='aid', reference='none'"
    )
    single = analyze(ipd[ipd["arm"] == "aid"])
    with pytest.raises(InputError, match=r"^result: the analysis has no comparison, "):
        published_vs_reconstructed(_study({"hr": 0.69}), "arrest", single)


# --------------------------------------------------------------------------- formatting


def test_text_table(table):
    text = format_table(table, "text")
    lines = text.splitlines()
    assert len(lines) == len(table) + 2
    assert lines[0].split() == list(table.columns)
    assert set(lines[1].replace(" ", "")) == {"-"}
    published_end = lines[0].index("published") + len("published")
    for line in lines[2:]:  # numbers right-aligned under their header
        assert line[published_end - 1] != " " and line[published_end] == " "
    p_line = next(line for line in lines if " p " in line)
    assert "<0.001" in p_line
    assert p_line.split()[2] == "<0.001"
    hr_line = next(line for line in lines if " HR " in line)
    assert hr_line.split()[1:4] == ["HR", "0.69", "0.691"]
    assert hr_line.split()[-1] == "+0.2%"
    events_line = next(line for line in lines if "aid" in line and "events" in line)
    assert events_line.split()[3:] == ["48", "48", "0", "+0.0%"]


def test_p_value_formatting():
    df = pd.DataFrame(
        {
            "quantity": ["p", "p", "p"],
            "published": ["<0.001", 0.012, 0.5],
            "reconstructed": [0.0004, 0.01234, 0.49],
        }
    )
    lines = format_table(df, "text").splitlines()[2:]
    assert [line.split()[1:] for line in lines] == [
        ["<0.001", "<0.001"],
        ["0.012", "0.012"],
        ["0.500", "0.490"],
    ]


def test_analysis_table_formats(result):
    text = format_table(result.table(), "text")
    hr_line = next(line for line in text.splitlines() if " HR " in line)
    assert hr_line.split() == ["aid", "vs", "none", "HR", "0.691", "0.477", "1.003", "0.052"]
    n_line = next(line for line in text.splitlines() if line.split()[1:2] == ["n"])
    assert n_line.split() == ["none", "n", "216"]


def test_csv_round_trip(table):
    back = pd.read_csv(io.StringIO(format_table(table, "csv")))
    assert list(back.columns) == list(table.columns)
    np.testing.assert_allclose(back["abs_diff"], table["abs_diff"])
    assert back["published"].tolist()[0] == "NR"


def test_json_records(table):
    records = json.loads(format_table(table, "json"))
    assert len(records) == len(table)
    assert records[0] == {
        "endpoint": "arrest",
        "arm": "aid",
        "quantity": "median",
        "published": "NR",
        "reconstructed": "NR",
        "abs_diff": None,
        "rel_diff": None,
    }
    hr = next(r for r in records if r["quantity"] == "HR")
    assert hr["arm"] is None and hr["reconstructed"] == pytest.approx(table.loc[9, "reconstructed"])


def test_markdown(table):
    lines = format_table(table, "markdown").splitlines()
    assert lines[0] == (
        "| endpoint | arm | quantity | published | reconstructed | abs_diff | rel_diff |"
    )
    assert lines[1] == "| --- | --- | --- | ---: | ---: | ---: | ---: |"
    assert lines[2] == "| arrest | aid | median | NR | NR |  |  |"
    assert len(lines) == len(table) + 2


def test_unknown_format(table):
    with pytest.raises(InputError) as info:
        format_table(table, "xlsx")
    assert str(info.value) == "fmt: unknown format 'xlsx' (one of text, csv, json, markdown)"
