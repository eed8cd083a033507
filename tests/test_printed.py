"""Tests of mmsurv.printed: printed precision kept from the study file, one-sided p-values
measured on the z of a one-sided test, and the normal-test conversions."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from mmsurv.analysis import analyze
from mmsurv.check import deviations
from mmsurv.printed import (
    Printed,
    decimals_of,
    normal_quantile,
    p_of_z,
    printed,
    se_log_hr,
    wald_ci,
    z_critical,
    z_of_p,
)
from mmsurv.published import published_vs_reconstructed
from mmsurv.study import load_study

STUDY = """\
id: printed-demo
arms:
  - {id: A, n: 6}
  - {id: B, n: 6}
endpoints:
  OS:
    arms:
      A: {median: 40.0}
      B: {median: 20}
    comparison: {treatment: A, reference: B, hr: 0.50, p: "0.010", p_sided: one-sided}
"""


@pytest.fixture
def study(write_study):
    return load_study(write_study(STUDY))


def test_a_yaml_number_keeps_its_printed_decimals(study):
    ep = study.endpoints["OS"]
    median = ep.arms["A"].median
    assert median == 40.0 and median.decimals == 1
    assert [round(x, 6) for x in printed(median)] == [39.95, 40.05]
    assert ep.comparison.hr.decimals == 2
    assert [round(x, 6) for x in ep.comparison.p.interval()] == [0.0095, 0.0105]
    assert [round(x, 6) for x in printed(ep.arms["B"].median)] == [19.5, 20.5]


def test_a_mapping_number_without_printed_form_falls_back_to_its_shortest_repr():
    study = load_study(
        {
            "id": "d",
            "arms": [{"id": "A", "n": 3}],
            "endpoints": {"OS": {"arms": {"A": {"median": 40.0}}}},
        }
    )
    assert [round(x, 6) for x in printed(study.endpoints["OS"].arms["A"].median)] == [39.5, 40.5]


def test_printed_numbers_survive_pickling_and_plain_arithmetic(study):
    hr = study.endpoints["OS"].comparison.hr
    again = pickle.loads(pickle.dumps(hr))
    assert again == 0.5 and again.decimals == 2
    assert type(hr * 2) is float


def test_check_measures_a_median_printed_40_0_from_its_printed_rounding(study):
    ipd = pd.DataFrame(
        {
            "arm": ["A"] * 5 + ["B"] * 5,
            "time": [10, 20, 40.3, 50, 60, 5, 10, 20.2, 30, 40],
            "event": 1,
        }
    )
    table = published_vs_reconstructed(study, "OS", analyze(ipd, treatment="A", reference="B"))
    dev = deviations(table).set_index(["arm", "quantity"])["deviation"]
    # 40.0 stands for [39.95, 40.05]: a reconstructed 40.3 is 0.25 / 39.95 beyond it
    assert dev[("A", "median")] == pytest.approx(0.25 / 39.95, rel=1e-6)


def test_a_one_sided_p_is_measured_on_the_z_of_a_one_sided_test(study):
    table = pd.DataFrame(
        {
            "endpoint": ["OS"],
            "arm": [None],
            "quantity": ["p"],
            "published": pd.Series([study.endpoints["OS"].comparison.p.value], dtype=object),
            "reconstructed": [0.03],
        }
    )
    table.attrs["one_sided_p"] = ["OS"]
    z_rec = stats.norm.isf(0.03)
    z_lo = stats.norm.isf(0.0105)  # the one-sided z of the end of [0.0095, 0.0105] nearer it
    expected = (z_lo - z_rec) / z_lo
    assert deviations(table)["deviation"].iloc[0] == pytest.approx(expected, rel=1e-6)
    table.attrs["one_sided_p"] = []
    two_sided = (stats.norm.isf(0.0105 / 2) - stats.norm.isf(0.03 / 2)) / stats.norm.isf(0.0105 / 2)
    assert deviations(table)["deviation"].iloc[0] == pytest.approx(two_sided, rel=1e-6)


def test_published_table_marks_a_one_sided_p(study):
    ipd = pd.DataFrame({"arm": ["A"] * 3 + ["B"] * 3, "time": [1, 2, 3, 1, 2, 3], "event": 1})
    table = published_vs_reconstructed(study, "OS", analyze(ipd, treatment="A", reference="B"))
    assert table.attrs["one_sided_p"] == ["OS"]


@pytest.mark.parametrize(
    ("text", "decimals"),
    [("0.010", 3), ("40.0", 1), ("14", 0), ("1e-3", 3), ("1.5e2", -1), ("nan", None), (".5", 1)],
)
def test_decimals_of_printed_text(text, decimals):
    assert decimals_of(text) == decimals


@settings(max_examples=50, deadline=None)
@given(st.floats(min_value=1e-12, max_value=1 - 1e-12))
def test_normal_quantile_and_p_of_z_agree_with_scipy(p):
    assert normal_quantile(p) == pytest.approx(stats.norm.ppf(p), rel=1e-9, abs=1e-9)
    z = abs(stats.norm.ppf(p))
    assert p_of_z(z) == pytest.approx(2 * stats.norm.sf(z), rel=1e-9)
    assert z_of_p(p_of_z(z)) == pytest.approx(z, rel=1e-7, abs=1e-7)


def test_normal_quantile_ends_and_arrays():
    assert normal_quantile(0.0) == -math.inf and normal_quantile(1.0) == math.inf
    assert z_of_p(0.0) == math.inf
    out = normal_quantile([0.025, 0.5])
    assert isinstance(out, np.ndarray) and out[1] == 0


def test_se_from_a_ci_and_the_wald_ci_invert_each_other():
    se = se_log_hr(0.583, 0.874, 0.95)
    lo, hi = wald_ci(math.log(0.583 * 0.874) / 2, se, 0.95)
    assert (math.exp(lo), math.exp(hi)) == pytest.approx((0.583, 0.874))
    assert z_critical(np.array([0.95, 0.99])) == pytest.approx([1.959964, 2.575829], rel=1e-6)


def test_printed_is_a_float_for_pydantic_and_json():
    assert isinstance(Printed(1.0, 1), float)
    assert pd.Series([Printed(40.0, 1)], dtype=object).iloc[0].decimals == 1
