"""Tests of mmsurv.meta: pooling, Bucher indirect comparisons, comparison of studies.

Every pooled number is checked against formulas written out here, against statsmodels
and against published worked examples: the BCG vaccine trials (metafor's dat.bcg, with
the values metafor's own tests check against Stata's metan) and the CLASP trials of
DerSimonian & Kacker (Contemp Clin Trials 2007;28:105-114, Tables 3 and 4).
"""

from __future__ import annotations

import math
import re
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.meta_analysis import combine_effects

from mmsurv.errors import InputError
from mmsurv.meta import (
    METHODS,
    BucherResult,
    ComparisonTable,
    Contrast,
    MetaResult,
    bucher,
    format_comparison,
    pool,
    pool_hr,
    se_from_ci,
)
from mmsurv.pipeline import compare_studies
from mmsurv.study import catalog_dir, load_study

Z95 = NormalDist().inv_cdf(0.975)
Z99 = NormalDist().inv_cdf(0.995)

# --------------------------------------------------------------------------- data

#: A small data set of log HRs and SEs (POLLUX, MAIA, ASPIRE, ELOQUENT-2 PFS).
SMALL_Y = [math.log(0.37), math.log(0.56), math.log(0.69), math.log(0.70)]
SMALL_SE = [0.1672, 0.1350, 0.0959, 0.1019]

#: metafor's dat.bcg: BCG vaccine trials, tuberculosis cases and non-cases per arm.
BCG = {
    "tpos": [4, 6, 3, 62, 33, 180, 8, 505, 29, 17, 186, 5, 27],
    "tneg": [119, 300, 228, 13536, 5036, 1361, 2537, 87886, 7470, 1699, 50448, 2493, 16886],
    "cpos": [11, 29, 11, 248, 47, 372, 10, 499, 45, 65, 141, 3, 29],
    "cneg": [128, 274, 209, 12619, 5761, 1079, 619, 87892, 7232, 1600, 27197, 2338, 17825],
}

#: The CLASP example of DerSimonian & Kacker 2007: events and patients per arm.
CLASP = {
    "n1": [156, 303, 565, 1570, 103, 4659],
    "n2": [74, 303, 477, 1565, 105, 4650],
    "a": [5, 5, 12, 69, 9, 313],
    "c": [8, 17, 9, 94, 11, 352],
}


def bcg_log_rr() -> tuple[list[float], list[float]]:
    """Log risk ratios and their variances (metafor's escalc, measure "RR")."""
    y, v = [], []
    for a, b, c, d in zip(BCG["tpos"], BCG["tneg"], BCG["cpos"], BCG["cneg"], strict=True):
        y.append(math.log(a / (a + b)) - math.log(c / (c + d)))
        v.append(1 / a - 1 / (a + b) + 1 / c - 1 / (c + d))
    return y, v


def clasp_log_or() -> tuple[list[float], list[float]]:
    """Log odds ratios and their variances (metafor's escalc, measure "OR")."""
    y, v = [], []
    for n1, n2, a, c in zip(CLASP["n1"], CLASP["n2"], CLASP["a"], CLASP["c"], strict=True):
        b, d = n1 - a, n2 - c
        y.append(math.log(a * d / (b * c)))
        v.append(1 / a + 1 / b + 1 / c + 1 / d)
    return y, v


# --------------------------------------------------------------------------- by hand


def weighted_mean(y, w):
    return sum(wi * yi for wi, yi in zip(w, y, strict=True)) / sum(w)


def generalized_q(tau2, y, v):
    w = [1 / (vi + tau2) for vi in v]
    m = weighted_mean(y, w)
    return sum(wi * (yi - m) ** 2 for wi, yi in zip(w, y, strict=True))


def by_hand(y, se, tau2=None):
    """Fixed effect, Q, DerSimonian-Laird tau^2 and random effects, written out."""
    v = [s * s for s in se]
    w = [1 / vi for vi in v]
    k = len(y)
    fixed = weighted_mean(y, w)
    q = sum(wi * (yi - fixed) ** 2 for wi, yi in zip(w, y, strict=True))
    c = sum(w) - sum(wi * wi for wi in w) / sum(w)
    dl = max(0.0, (q - (k - 1)) / c)
    tau2 = dl if tau2 is None else tau2
    w_re = [1 / (vi + tau2) for vi in v]
    return {
        "fixed": fixed,
        "fixed_se": 1 / math.sqrt(sum(w)),
        "q": q,
        "tau2": tau2,
        "random": weighted_mean(y, w_re),
        "random_se": 1 / math.sqrt(sum(w_re)),
        "i2": max(0.0, (q - (k - 1)) / q),
        "weights_fixed": [wi / sum(w) for wi in w],
        "weights_random": [wi / sum(w_re) for wi in w_re],
    }


# --------------------------------------------------------------------------- pooling


def test_fixed_and_dersimonian_laird_match_the_formulas():
    res = pool(SMALL_Y, SMALL_SE, method="DL")
    hand = by_hand(SMALL_Y, SMALL_SE)
    assert res.fixed.log_hr == pytest.approx(hand["fixed"], abs=1e-10)
    assert res.fixed.se == pytest.approx(hand["fixed_se"], abs=1e-10)
    assert res.q == pytest.approx(hand["q"], abs=1e-10)
    assert res.tau2 == pytest.approx(hand["tau2"], abs=1e-10)
    assert hand["tau2"] > 0
    assert res.random.log_hr == pytest.approx(hand["random"], abs=1e-10)
    assert res.random.se == pytest.approx(hand["random_se"], abs=1e-10)
    assert res.i2 == pytest.approx(hand["i2"], abs=1e-10)
    assert res.q_df == 3
    assert res.q_p == pytest.approx(stats.chi2.sf(hand["q"], 3), abs=1e-10)
    assert res.weights_fixed == pytest.approx(hand["weights_fixed"], abs=1e-10)
    assert res.weights_random == pytest.approx(hand["weights_random"], abs=1e-10)
    lo, hi = res.fixed.hr_ci
    assert lo == pytest.approx(math.exp(hand["fixed"] - Z95 * hand["fixed_se"]), rel=1e-10)
    assert hi == pytest.approx(math.exp(hand["fixed"] + Z95 * hand["fixed_se"]), rel=1e-10)
    z = hand["random"] / hand["random_se"]
    assert res.random.p == pytest.approx(2 * NormalDist().cdf(-abs(z)), rel=1e-9)


@pytest.mark.parametrize("method", METHODS)
def test_random_effects_use_the_estimated_tau2(method):
    res = pool(SMALL_Y, SMALL_SE, method=method)
    hand = by_hand(SMALL_Y, SMALL_SE, tau2=res.tau2)
    assert res.random.log_hr == pytest.approx(hand["random"], abs=1e-12)
    assert res.random.se == pytest.approx(hand["random_se"], abs=1e-12)
    assert res.random.label == f"Random effects ({method})"
    assert res.tau2_method == method


def test_dersimonian_laird_and_fixed_effect_agree_with_statsmodels():
    y, se = np.array(SMALL_Y), np.array(SMALL_SE)
    sm = combine_effects(y, se**2, method_re="dl")
    res = pool(y, se)
    assert res.fixed.log_hr == pytest.approx(sm.mean_effect_fe, abs=1e-12)
    assert res.fixed.se == pytest.approx(sm.sd_eff_w_fe, abs=1e-12)
    assert res.random.log_hr == pytest.approx(sm.mean_effect_re, abs=1e-12)
    assert res.random.se == pytest.approx(sm.sd_eff_w_re, abs=1e-12)
    assert res.tau2 == pytest.approx(sm.tau2, abs=1e-12)
    assert res.i2 == pytest.approx(sm.i2, abs=1e-12)
    # normal CIs, as statsmodels gives them with use_t=False
    fe_ci, re_ci, *_ = sm.conf_int(alpha=0.05, use_t=False)
    assert np.log(res.fixed.hr_ci) == pytest.approx(fe_ci, abs=1e-12)
    assert np.log(res.random.hr_ci) == pytest.approx(re_ci, abs=1e-12)


def test_paule_mandel_agrees_with_statsmodels_within_its_tolerance():
    y, v = bcg_log_rr()
    sm = combine_effects(np.array(y), np.array(v), method_re="pm")
    res = pool(y, np.sqrt(v), method="PM")
    # statsmodels stops once |Q(tau2) - df| < 1e-5
    assert res.tau2 == pytest.approx(sm.tau2, rel=1e-6)
    assert res.random.log_hr == pytest.approx(sm.mean_effect_re, rel=1e-6)


def test_dersimonian_laird_is_truncated_at_zero_where_statsmodels_is_not():
    y, se = [0.10, 0.12, 0.11], [0.1, 0.14, 0.17]
    with np.errstate(invalid="ignore"):  # statsmodels takes the root of a negative variance
        sm = combine_effects(np.array(y), np.array(se) ** 2, method_re="dl")
    assert sm.tau2 < 0  # statsmodels' raw (Q - df) / c
    res = pool(y, se)
    assert res.tau2 == 0
    assert res.i2 == 0
    assert res.random.log_hr == pytest.approx(res.fixed.log_hr, abs=1e-15)
    assert res.random.se == pytest.approx(res.fixed.se, abs=1e-15)


def test_bcg_vaccine_trials_as_metafor_and_stata_give_them():
    # metafor tests/testthat/test_misc_metan_vs_rma.uni_with_dat.bcg.r (Stata metan)
    y, v = bcg_log_rr()
    se = np.sqrt(v)
    res = pool(y, se, method="DL")
    assert res.k == 13
    assert res.fixed.log_hr == pytest.approx(-0.4303, abs=5e-5)
    assert res.fixed.log_ci == pytest.approx((-0.5097, -0.3509), abs=5e-5)
    assert res.fixed.z == pytest.approx(-10.6247, abs=5e-5)
    assert res.q == pytest.approx(152.2330, abs=5e-5)
    assert res.fixed.hr == pytest.approx(0.6503, abs=5e-5)
    assert res.random.log_hr == pytest.approx(-0.7141, abs=5e-5)
    assert res.random.log_ci == pytest.approx((-1.0644, -0.3638), abs=5e-5)
    assert res.random.z == pytest.approx(-3.9952, abs=5e-5)
    assert res.tau2 == pytest.approx(0.3088, abs=5e-5)
    assert 100 * res.i2 == pytest.approx(92.1173, abs=5e-5)
    assert res.random.hr == pytest.approx(0.4896, abs=5e-5)
    assert res.random.hr_ci == pytest.approx((0.3449, 0.6950), abs=5e-5)
    # metafor rma(yi, vi, data=dat), method="REML": tau^2 0.3132, estimate -0.7145
    reml = pool(y, se, method="REML")
    assert reml.tau2 == pytest.approx(0.3132, abs=5e-5)
    assert reml.random.log_hr == pytest.approx(-0.7145, abs=5e-5)
    assert reml.random.se == pytest.approx(0.1798, abs=5e-5)


@pytest.mark.parametrize(
    ("method", "tau", "mu", "se"),
    [
        ("PM", 0.3681, -0.3811, 0.2060),
        ("DL", 0.2323, -0.3240, 0.1540),
        ("REML", 0.1843, -0.2980, 0.1343),
    ],
)
def test_clasp_example_of_dersimonian_and_kacker(method, tau, mu, se):
    y, v = clasp_log_or()
    res = pool(y, np.sqrt(v), method=method)
    assert res.tau == pytest.approx(tau, abs=5e-5)
    assert res.random.log_hr == pytest.approx(mu, abs=5e-5)
    assert res.random.se == pytest.approx(se, abs=5e-5)


@pytest.mark.parametrize("data", [bcg_log_rr, clasp_log_or])
def test_paule_mandel_solves_the_generalized_q_equation(data):
    y, v = data()
    res = pool(y, np.sqrt(v), method="PM")
    assert res.tau2 > 0
    assert generalized_q(res.tau2, y, v) == pytest.approx(len(y) - 1, rel=1e-10)


def test_reml_tau2_is_a_zero_of_the_restricted_likelihood_score():
    y, v = bcg_log_rr()
    res = pool(y, np.sqrt(v), method="REML")

    def restricted_loglik(t):
        w = [1 / (vi + t) for vi in v]
        m = weighted_mean(y, w)
        return -0.5 * (
            sum(math.log(vi + t) for vi in v)
            + math.log(sum(w))
            + sum(wi * (yi - m) ** 2 for wi, yi in zip(w, y, strict=True))
        )

    h = 1e-5
    slope = (restricted_loglik(res.tau2 + h) - restricted_loglik(res.tau2 - h)) / (2 * h)
    assert abs(slope) < 1e-6
    assert restricted_loglik(res.tau2) > max(restricted_loglik(res.tau2 * f) for f in (0.9, 1.1))


@pytest.mark.parametrize("method", METHODS)
def test_homogeneous_studies_have_no_heterogeneity(method):
    res = pool([-0.5, -0.5, -0.5], [0.1, 0.2, 0.3], method=method)
    assert res.q == pytest.approx(0, abs=1e-12)
    assert res.tau2 == 0
    assert res.i2 == 0
    assert res.random.log_hr == pytest.approx(-0.5, abs=1e-12)


def test_i2_is_the_excess_of_q_over_its_degrees_of_freedom():
    res = pool(SMALL_Y, SMALL_SE)
    assert res.i2 == pytest.approx(max(0.0, (res.q - res.q_df) / res.q), abs=1e-15)
    low = pool([0.0, 0.05], [0.2, 0.2])  # Q = 0.03 < df = 1
    assert low.q < low.q_df
    assert low.i2 == 0


def test_prediction_interval_by_hand():
    res = pool(SMALL_Y, SMALL_SE, ci_level=0.9)
    hand = by_hand(SMALL_Y, SMALL_SE)
    half = stats.t.ppf(0.95, 4 - 2) * math.sqrt(hand["tau2"] + hand["random_se"] ** 2)
    expected = (hand["random"] - half, hand["random"] + half)
    assert res.log_prediction_interval == pytest.approx(expected, abs=1e-10)
    assert res.prediction_interval == pytest.approx(np.exp(expected), rel=1e-10)
    assert "90% prediction interval" in repr(res)


@pytest.mark.parametrize("k", [1, 2])
def test_no_prediction_interval_below_three_studies(k):
    res = pool(SMALL_Y[:k], SMALL_SE[:k])
    assert res.log_prediction_interval is None
    assert res.prediction_interval is None
    assert "Prediction interval: not defined for fewer than 3 studies" in repr(res)


def test_a_single_study_is_its_own_pooled_estimate():
    res = pool([math.log(0.7)], [0.1], labels=["ASPIRE"])
    assert res.k == 1
    assert res.fixed.hr == pytest.approx(0.7)
    assert res.random.hr == pytest.approx(0.7)
    assert res.fixed.se == res.random.se == pytest.approx(0.1)
    assert res.tau2 == 0
    assert res.q == 0
    assert res.q_df == 0
    assert math.isnan(res.i2)
    assert math.isnan(res.q_p)
    assert "not estimable from one study" in repr(res)


def test_results_table_and_repr():
    res = pool(SMALL_Y, SMALL_SE, labels=["POLLUX", "MAIA", "ASPIRE", "ELOQUENT-2"])
    assert isinstance(res, MetaResult)
    table = res.table()
    assert list(table.columns) == [
        "label", "hr", "hr_lower", "hr_upper", "log_hr", "se", "weight_fixed", "weight_random",
    ]  # fmt: skip
    assert list(table["label"]) == [
        "POLLUX", "MAIA", "ASPIRE", "ELOQUENT-2", "Fixed effect", "Random effects (DL)",
    ]  # fmt: skip
    assert table["hr"].iloc[0] == pytest.approx(0.37)
    assert table["hr_lower"].iloc[0] == pytest.approx(math.exp(SMALL_Y[0] - Z95 * SMALL_SE[0]))
    assert table["hr"].iloc[5] == pytest.approx(res.random.hr)
    assert table["weight_fixed"].iloc[:4].sum() == pytest.approx(1)
    assert table["weight_random"].iloc[4:].isna().all()
    text = repr(res)
    assert text.startswith("MetaResult: 4 studies; random effects by DerSimonian-Laird")
    assert "POLLUX: HR 0.37 (95% CI 0.267-0.513)" in text
    assert "Fixed effect: HR" in text
    assert "Heterogeneity: Q = " in text
    assert "I^2 = " in text
    with pytest.raises(ValueError, match="read-only"):
        res.log_hr[0] = 1.0


def test_pool_hr_takes_hazard_ratios_and_their_cis():
    hr = [0.37, 0.531]
    ci = [[0.27, 0.52], [0.318, 0.889]]
    res = pool_hr(hr, ci, hr_ci_level=[0.95, 0.99], labels=["POLLUX", "IKEMA"])
    se = [
        (math.log(0.52) - math.log(0.27)) / (2 * Z95),
        (math.log(0.889) - math.log(0.318)) / (2 * Z99),
    ]
    direct = pool(np.log(hr), se)
    assert res.fixed.log_hr == pytest.approx(direct.fixed.log_hr, abs=1e-14)
    assert res.random.se == pytest.approx(direct.random.se, abs=1e-14)
    assert res.se == pytest.approx(se, abs=1e-14)
    single = pool_hr(0.37, (0.27, 0.52))
    assert single.fixed.hr == pytest.approx(0.37)
    with pytest.raises(InputError, match=r"^hr_ci: expected 2 intervals, one per hazard ratio$"):
        pool_hr(hr, [[0.27, 0.52]] * 3)
    with pytest.raises(InputError, match=r"^hr\[1\]: -0.5 is not positive"):
        pool_hr([0.3, -0.5], ci)


# --------------------------------------------------------------------------- SE from CI


def test_se_from_ci_by_hand():
    assert se_from_ci((0.27, 0.52)) == pytest.approx((math.log(0.52 / 0.27)) / (2 * Z95), abs=1e-15)
    assert se_from_ci([0.318, 0.889], 0.99) == pytest.approx(
        math.log(0.889 / 0.318) / (2 * Z99), abs=1e-15
    )
    z954 = NormalDist().inv_cdf(0.5 + 0.954 / 2)
    many = se_from_ci([[0.27, 0.52], [0.68, 1.0]], [0.95, 0.954])
    assert many == pytest.approx(
        [math.log(0.52 / 0.27) / (2 * Z95), math.log(1 / 0.68) / (2 * z954)]
    )
    assert isinstance(se_from_ci((0.27, 0.52)), float)


@pytest.mark.parametrize(
    ("hr_ci", "level", "message"),
    [
        ((0.52, 0.27), 0.95, r"^hr_ci: lower bound 0.52 is not below the upper bound 0.27$"),
        ([[0.2, 0.5], [0.6, 0.6]], 0.95, r"^hr_ci\[1\]: lower bound 0.6 is not below"),
        ((0, 0.5), 0.95, r"^hr_ci\[0\]: 0 is not positive \(a hazard ratio is > 0\)$"),
        ((float("nan"), 0.5), 0.95, r"^hr_ci\[0\]: nan is not a finite number$"),
        ((0.2, 0.5, 0.7), 0.95, r"^hr_ci: expected \(lower, upper\) or one such pair"),
        ("wide", 0.95, r"^hr_ci: expected numbers$"),
        ((0.2, 0.5), 1.5, r"^ci_level: must be between 0 and 1, got 1.5$"),
        ([[0.2, 0.5]] * 2, [0.95, 0], r"^ci_level\[1\]: must be between 0 and 1, got 0$"),
        ([[0.2, 0.5]], [0.95, 0.99], r"^ci_level: expected one level or 1 \(one per interval\)"),
    ],
)
def test_se_from_ci_refuses_bad_intervals(hr_ci, level, message):
    with pytest.raises(InputError, match=message):
        se_from_ci(hr_ci, level)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"log_hr": [0.1, float("nan")], "se": [0.1, 0.2]},
            r"^log_hr\[1\]: nan is not a finite number$",
        ),
        (
            {"log_hr": [0.1, 0.2], "se": [0.1, float("inf")]},
            r"^se\[1\]: inf is not a finite number$",
        ),
        (
            {"log_hr": [0.1, 0.2], "se": [0.1, 0.0]},
            r"^se\[1\]: 0 is not positive \(a standard error is > 0\)$",
        ),
        ({"log_hr": [0.1, 0.2], "se": [-0.1, 0.2]}, r"^se\[0\]: -0.1 is not positive"),
        ({"log_hr": [0.1, 0.2, 0.3], "se": [0.1, 0.2]}, r"^se: 2 values but log_hr has 3$"),
        ({"log_hr": [], "se": []}, r"^log_hr: no values \(needs at least one study\)$"),
        (
            {"log_hr": [[0.1, 0.2]], "se": [[0.1, 0.2]]},
            r"^log_hr: expected a list of numbers, got shape \(1, 2\)$",
        ),
        ({"log_hr": ["a"], "se": [0.1]}, r"^log_hr: expected numbers$"),
        (
            {"log_hr": [0.1], "se": [0.1], "labels": ["a", "b"]},
            r"^labels: 2 labels but log_hr has 1$",
        ),
        (
            {"log_hr": [0.1], "se": [0.1], "method": "HKSJ"},
            r"^method: 'HKSJ' is not one of DL, PM, REML$",
        ),
        (
            {"log_hr": [0.1], "se": [0.1], "ci_level": 95},
            r"^ci_level: must be a number between 0 and 1, got 95$",
        ),
    ],
)
def test_pool_refuses_bad_input_naming_the_field(kwargs, message):
    with pytest.raises(InputError, match=message):
        pool(**kwargs)


def test_method_names_are_case_insensitive():
    assert pool(SMALL_Y, SMALL_SE, method="pm").tau2_method == "PM"


# --------------------------------------------------------------------------- properties

finite_log_hr = st.floats(-5, 5, allow_nan=False)
positive_se = st.floats(1e-3, 10, allow_nan=False)


@st.composite
def meta_inputs(draw):
    k = draw(st.integers(1, 8))
    y = draw(st.lists(finite_log_hr, min_size=k, max_size=k))
    se = draw(st.lists(positive_se, min_size=k, max_size=k))
    return y, se, draw(st.sampled_from(METHODS)), draw(st.floats(0.5, 0.999))


@settings(max_examples=300, deadline=None)
@given(meta_inputs())
@example(([0.0, 6.420092894443849e-158], [1.0, 1.0], "DL", 0.5))
def test_pool_properties(inputs):
    y, se, method, level = inputs
    res = pool(y, se, method=method, ci_level=level)
    k = len(y)
    for est in (res.fixed, res.random):
        assert math.isfinite(est.log_hr)
        assert math.isfinite(est.se)
        assert est.se > 0
        lo, hi = est.log_ci
        assert lo <= est.log_hr <= hi
    assert res.random.se >= res.fixed.se * (1 - 1e-12)
    assert math.isfinite(res.tau2)
    assert res.tau2 >= 0
    assert res.q >= 0
    assert sum(res.weights_fixed) == pytest.approx(1)
    assert sum(res.weights_random) == pytest.approx(1)
    assert min(y) - 1e-9 <= res.random.log_hr <= max(y) + 1e-9
    if k >= 2:
        assert 0 <= res.i2 <= 1
        assert 0 <= res.q_p <= 1
    if k >= 3:
        lo, hi = res.log_prediction_interval
        assert lo < res.random.log_hr < hi
    else:
        assert res.prediction_interval is None
    if method == "PM" and res.tau2 > 0:
        v = [s * s for s in se]
        assert generalized_q(res.tau2, y, v) == pytest.approx(k - 1, rel=1e-8)


@st.composite
def broken_meta_inputs(draw):
    k = draw(st.integers(1, 6))
    y = draw(st.lists(finite_log_hr, min_size=k, max_size=k))
    se = draw(st.lists(positive_se, min_size=k, max_size=k))
    i = draw(st.integers(0, k - 1))
    kind = draw(st.sampled_from(["nan_y", "inf_y", "nan_se", "nonpositive_se", "length"]))
    if kind == "nan_y":
        y[i] = float("nan")
        return y, se, rf"^log_hr\[{i}\]: nan is not a finite number$"
    if kind == "inf_y":
        y[i] = draw(st.sampled_from([float("inf"), float("-inf")]))
        return y, se, rf"^log_hr\[{i}\]: -?inf is not a finite number$"
    if kind == "nan_se":
        se[i] = float("nan")
        return y, se, rf"^se\[{i}\]: nan is not a finite number$"
    if kind == "nonpositive_se":
        se[i] = draw(st.floats(-10, 0))
        return y, se, rf"^se\[{i}\]: .* is not positive \(a standard error is > 0\)$"
    se = [*se, 0.1]
    return y, se, rf"^se: {k + 1} values but log_hr has {k}$"


@settings(max_examples=200, deadline=None)
@given(broken_meta_inputs())
def test_pool_refuses_broken_input_with_the_field_named(inputs):
    y, se, message = inputs
    with pytest.raises(InputError, match=message):
        pool(y, se)


# --------------------------------------------------------------------------- Bucher

POLLUX = Contrast.from_hr("D-Rd", "Rd", 0.37, (0.27, 0.52), label="POLLUX")
ASPIRE = Contrast.from_hr("KRd", "Rd", 0.69, (0.57, 0.83), label="ASPIRE")
IKEMA = Contrast.from_hr("Isa-Kd", "Kd", 0.531, (0.318, 0.889), ci_level=0.99, label="IKEMA")
CANDOR = Contrast.from_hr("KdD", "Kd", 0.63, (0.46, 0.85), label="CANDOR")


def test_bucher_by_hand():
    res = bucher(POLLUX, ASPIRE)
    assert isinstance(res, BucherResult)
    se_ab = math.log(0.52 / 0.27) / (2 * Z95)
    se_cb = math.log(0.83 / 0.57) / (2 * Z95)
    log_hr = math.log(0.37) - math.log(0.69)
    se = math.sqrt(se_ab**2 + se_cb**2)
    assert (res.treatment, res.reference, res.via) == ("D-Rd", "KRd", "Rd")
    assert res.log_hr == pytest.approx(log_hr, abs=1e-14)
    assert res.se == pytest.approx(se, abs=1e-14)
    assert res.hr == pytest.approx(0.37 / 0.69, rel=1e-14)
    assert res.hr_ci == pytest.approx(
        (math.exp(log_hr - Z95 * se), math.exp(log_hr + Z95 * se)), rel=1e-12
    )
    assert res.p == pytest.approx(2 * NormalDist().cdf(-abs(log_hr / se)), rel=1e-9)
    assert res.hr == pytest.approx(0.536, abs=5e-4)
    # the IKEMA CI is a 99% CI: its SE uses z = 2.576
    ik = bucher(IKEMA, CANDOR, ci_level=0.9)
    assert ik.se == pytest.approx(
        math.hypot(math.log(0.889 / 0.318) / (2 * Z99), math.log(0.85 / 0.46) / (2 * Z95)),
        abs=1e-14,
    )
    assert ik.hr == pytest.approx(0.531 / 0.63)
    lo, hi = ik.hr_ci
    assert math.log(hi / lo) == pytest.approx(2 * NormalDist().inv_cdf(0.95) * ik.se)


def test_bucher_orients_each_comparison_to_the_comparator():
    expected = bucher(IKEMA, CANDOR)
    for ab in (IKEMA, IKEMA.inverted()):
        for cb in (CANDOR, CANDOR.inverted()):
            res = bucher(ab, cb)
            assert (res.treatment, res.reference, res.via) == ("Isa-Kd", "KdD", "Kd")
            assert res.log_hr == pytest.approx(expected.log_hr, abs=1e-14)
            assert res.se == pytest.approx(expected.se, abs=1e-14)
            assert res.ab.reference == res.cb.reference == "Kd"
    # the comparator as the treatment of a trial: B vs A read as A vs B
    kd_vs_isa = Contrast("Kd", "Isa-Kd", -IKEMA.log_hr, IKEMA.se)
    assert bucher(kd_vs_isa, CANDOR).hr == pytest.approx(expected.hr, rel=1e-14)
    assert bucher(CANDOR, IKEMA).hr == pytest.approx(1 / expected.hr, rel=1e-14)


def test_bucher_bridges_comparators_named_differently():
    tourmaline = Contrast.from_hr("IRd", "Placebo-Rd", 0.74, (0.59, 0.94), label="TOURMALINE-MM1")
    with pytest.raises(
        InputError,
        match=r"^cb: the comparisons share no arm \(POLLUX: D-Rd vs Rd; TOURMALINE-MM1: IRd vs Placebo-Rd\): name the common comparator",
    ):
        bucher(POLLUX, tourmaline)
    res = bucher(POLLUX, tourmaline, via=("Rd", "Placebo-Rd"))
    assert (res.treatment, res.reference, res.via) == ("D-Rd", "IRd", "Rd / Placebo-Rd")
    assert res.hr == pytest.approx(0.37 / 0.74)
    assert bucher(POLLUX, ASPIRE, via="Rd").hr == pytest.approx(bucher(POLLUX, ASPIRE).hr)


@pytest.mark.parametrize(
    ("ab", "cb", "via", "message"),
    [
        (POLLUX, IKEMA, None, r"^cb: the comparisons share no arm"),
        (POLLUX, POLLUX.inverted(), None, r"^cb: both comparisons are of the same two arms"),
        (POLLUX, ASPIRE, "Kd", r"^via: 'Kd' is not an arm of POLLUX: D-Rd vs Rd$"),
        (POLLUX, ASPIRE, ("Rd", "Kd"), r"^via: 'Kd' is not an arm of ASPIRE: KRd vs Rd$"),
        (POLLUX, ASPIRE, ("Rd",), r"^via: expected an arm name or two"),
        (
            POLLUX,
            Contrast("D-Rd", "Rd-x", 0.1, 0.1),
            ("Rd", "Rd-x"),
            r"^cb: both comparisons are of D-Rd against the comparator",
        ),
        (POLLUX, (0.69, 0.1), None, r"^cb: expected a Contrast, got tuple$"),
    ],
)
def test_bucher_refuses_comparisons_without_one_common_comparator(ab, cb, via, message):
    with pytest.raises(InputError, match=message):
        bucher(ab, cb, via=via)


def test_bucher_states_its_assumptions():
    res = bucher(POLLUX, ASPIRE)
    text = repr(res)
    assert text.startswith("Bucher indirect comparison: D-Rd vs KRd through Rd: HR 0.536")
    assert "from POLLUX: D-Rd vs Rd, HR 0.37" in text
    assert "and ASPIRE: KRd vs Rd, HR 0.69" in text
    for words in ("Not randomised", "transitivity", "proportional", "variances add"):
        assert words in res.assumptions
    assert "Assumptions: Not randomised" in text
    assert "the Rd arms" in res.assumptions
    table = res.table()
    assert list(table.columns[:4]) == ["label", "hr", "hr_lower", "hr_upper"]
    assert table["label"].iloc[0] == "D-Rd vs KRd (indirect, through Rd)"
    assert table["hr"].iloc[0] == pytest.approx(res.hr)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("A", "A", 0.1, 0.1), r"^reference: 'A' is also the treatment$"),
        (("A", "", 0.1, 0.1), r"^reference: expected an arm name, got ''$"),
        (("A", "B", float("nan"), 0.1), r"^log_hr: nan is not a finite number$"),
        (("A", "B", 0.1, 0.0), r"^se: 0.0 is not a positive finite number$"),
        (("A", "B", 0.1, "0.1"), r"^se: '0.1' is not a positive finite number$"),
    ],
)
def test_contrast_refuses_bad_values(args, message):
    with pytest.raises(InputError, match=message):
        Contrast(*args)


def test_contrast_from_hr_refuses_bad_values():
    with pytest.raises(InputError, match=r"^hr: 0 is not a positive finite number$"):
        Contrast.from_hr("A", "B", 0, (0.1, 0.2))
    with pytest.raises(InputError, match=r"^hr_ci: expected one interval"):
        Contrast.from_hr("A", "B", 0.5, [(0.1, 0.9), (0.2, 0.8)])
    with pytest.raises(InputError, match=r"^ci_level: must be a number between 0 and 1"):
        Contrast.from_hr("A", "B", 0.5, (0.1, 0.9), ci_level=95)


@st.composite
def contrast_pairs(draw):
    y_ab, y_cb = draw(finite_log_hr), draw(finite_log_hr)
    se_ab, se_cb = draw(positive_se), draw(positive_se)
    flip_ab, flip_cb = draw(st.booleans()), draw(st.booleans())
    ab = Contrast("A", "B", y_ab, se_ab)
    cb = Contrast("C", "B", y_cb, se_cb)
    return (
        ab.inverted() if flip_ab else ab,
        cb.inverted() if flip_cb else cb,
        y_ab - y_cb,
        math.hypot(se_ab, se_cb),
    )


@settings(max_examples=200, deadline=None)
@given(contrast_pairs(), st.floats(0.5, 0.999))
def test_bucher_properties(pair, level):
    ab, cb, log_hr, se = pair
    res = bucher(ab, cb, ci_level=level)
    assert (res.treatment, res.reference, res.via) == ("A", "C", "B")
    assert res.log_hr == pytest.approx(log_hr, abs=1e-12)
    assert res.se == pytest.approx(se, rel=1e-12)
    assert res.se >= max(ab.se, cb.se)
    lo, hi = res.hr_ci
    assert math.isfinite(res.log_hr)
    assert 0 <= lo <= res.hr <= hi
    assert 0 <= res.p <= 1
    back = bucher(cb, ab, ci_level=level)
    assert back.log_hr == pytest.approx(-res.log_hr, abs=1e-12)


# --------------------------------------------------------------------------- studies

PAIR_RD = ["pollux-2016-pfs-primary", "aspire-2015-pfs-os-primary"]
PAIR_KD = ["ikema-2021-pfs-interim", "candor-2020-pfs-primary"]
FOREST = ["label", "hr", "hr_lower", "hr_upper", "rec_hr", "rec_lower", "rec_upper"]


@pytest.fixture(scope="module")
def rd_pair() -> ComparisonTable:
    return compare_studies(PAIR_RD, "PFS")


@pytest.fixture(scope="module")
def kd_pair() -> ComparisonTable:
    return compare_studies(PAIR_KD, "PFS")


def catalog_comparison(study_id: str, endpoint: str) -> dict:
    """The comparison as written in the catalog file, read without mmsurv."""
    text = (catalog_dir() / f"{study_id}.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)["endpoints"][endpoint]["comparison"]


def test_comparison_table_columns(rd_pair):
    table = rd_pair.table()
    assert list(table.columns) == [
        *FOREST, "study_id", "trial", "treatment", "reference", "ci_level", "log_hr", "se",
        "rec_se", "weight_fixed", "weight_random", "note",
    ]  # fmt: skip
    assert list(table["label"]) == ["POLLUX: D-Rd vs Rd", "ASPIRE: KRd vs Rd"]
    assert list(table["study_id"]) == PAIR_RD
    for column in FOREST[1:]:
        assert table[column].dtype == float
    pooled = rd_pair.pooled()
    assert list(pooled.columns[:4]) == ["label", "hr", "hr_lower", "hr_upper"]
    assert list(pooled["label"]) == ["Fixed effect", "Random effects (DL)"]
    assert pooled[["pi_lower", "pi_upper"]].isna().all().all()  # k = 2


@pytest.mark.parametrize("fixture", ["rd_pair", "kd_pair"])
def test_published_hazard_ratios_are_those_of_the_catalog_files(fixture, request):
    comparison = request.getfixturevalue(fixture)
    for row in comparison.table().itertuples():
        printed = catalog_comparison(row.study_id, "PFS")
        assert row.hr == printed["hr"]
        assert (row.hr_lower, row.hr_upper) == tuple(printed["hr_ci"])
        assert row.ci_level == printed["ci_level"]
        assert (row.treatment, row.reference) == (printed["treatment"], printed["reference"])
        z = NormalDist().inv_cdf(0.5 + printed["ci_level"] / 2)
        lo, hi = printed["hr_ci"]
        assert row.se == pytest.approx(math.log(hi / lo) / (2 * z), abs=1e-14)
        assert row.log_hr == pytest.approx(math.log(printed["hr"]), abs=1e-15)


def test_reconstructed_hazard_ratios_are_near_the_published_ones(rd_pair):
    table = rd_pair.table()
    assert table["note"].isna().all()
    assert (abs(table["rec_hr"] / table["hr"] - 1) < 0.05).all()
    assert (table["rec_lower"] < table["rec_hr"]).all()
    assert (table["rec_hr"] < table["rec_upper"]).all()
    # the reconstructed CI is at the published level: its width matches the SE
    width = np.log(table["rec_upper"] / table["rec_lower"])
    assert width.to_numpy() == pytest.approx(2 * Z95 * table["rec_se"].to_numpy(), rel=1e-9)


def test_pooled_and_indirect_results_of_two_studies_with_the_same_reference(rd_pair):
    y = [math.log(0.37), math.log(0.69)]
    se = [math.log(0.52 / 0.27) / (2 * Z95), math.log(0.83 / 0.57) / (2 * Z95)]
    hand = by_hand(y, se)
    meta = rd_pair.meta
    assert meta.fixed.log_hr == pytest.approx(hand["fixed"], abs=1e-12)
    assert meta.random.log_hr == pytest.approx(hand["random"], abs=1e-12)
    pooled = rd_pair.pooled()
    assert pooled["hr"].iloc[0] == pytest.approx(math.exp(hand["fixed"]), rel=1e-12)
    assert pooled["hr_upper"].iloc[1] == pytest.approx(
        math.exp(hand["random"] + Z95 * hand["random_se"]), rel=1e-12
    )
    weights = rd_pair.table()["weight_fixed"]
    assert list(weights) == pytest.approx(hand["weights_fixed"], abs=1e-12)
    (indirect,) = rd_pair.indirect
    assert (indirect.treatment, indirect.reference, indirect.via) == ("D-Rd", "KRd", "Rd")
    assert indirect.log_hr == pytest.approx(y[0] - y[1], abs=1e-14)
    assert indirect.se == pytest.approx(math.hypot(*se), abs=1e-14)
    frame = rd_pair.indirect_table()
    assert list(frame["label"]) == ["D-Rd vs KRd (indirect, through Rd)"]
    assert any("average different comparisons (D-Rd vs Rd, KRd vs Rd)" in n for n in rd_pair.notes)


def test_a_study_that_cannot_be_reconstructed_keeps_its_published_row(kd_pair):
    table = kd_pair.table().set_index("study_id")
    ikema = table.loc["ikema-2021-pfs-interim"]
    assert ikema["hr"] == 0.531
    assert ikema["ci_level"] == 0.99
    assert math.isnan(ikema["rec_hr"])
    assert math.isnan(ikema["rec_lower"])
    assert ikema["note"].startswith(
        "not reconstructed (endpoints.PFS.arms.Isa-Kd: no point of this arm's curve"
    )
    candor = table.loc["candor-2020-pfs-primary"]
    assert candor["rec_hr"] == pytest.approx(0.63, rel=0.05)
    (indirect,) = kd_pair.indirect
    assert (indirect.treatment, indirect.reference, indirect.via) == ("Isa-Kd", "KdD", "Kd")
    assert indirect.se == pytest.approx(bucher(IKEMA, CANDOR).se, abs=1e-14)
    assert kd_pair.meta.k == 2


def test_table_at_one_common_level_for_a_forest_plot(kd_pair):
    as_printed = kd_pair.table()
    common = kd_pair.table(ci_level=0.95)
    assert list(common.columns) == list(as_printed.columns)
    assert (common["ci_level"] == 0.95).all()
    ikema, candor = common.iloc[0], common.iloc[1]
    se = math.log(0.889 / 0.318) / (2 * Z99)
    assert (ikema["hr_lower"], ikema["hr_upper"]) == pytest.approx(
        (0.531 * math.exp(-Z95 * se), 0.531 * math.exp(Z95 * se)), rel=1e-12
    )
    assert math.isnan(ikema["rec_lower"])
    # a CI printed at 95% stays as printed (0.46-0.85, not re-centred to 0.463-0.856);
    # the reconstructed one stays as it is
    assert (candor["hr_lower"], candor["hr_upper"]) == (0.46, 0.85)
    assert candor["rec_lower"] == pytest.approx(as_printed["rec_lower"].iloc[1], rel=1e-9)
    assert candor["rec_upper"] == pytest.approx(as_printed["rec_upper"].iloc[1], rel=1e-9)
    with pytest.raises(InputError, match=r"^ci_level: must be a number between 0 and 1"):
        kd_pair.table(ci_level=95)


def test_format_comparison_reads_at_a_glance(rd_pair, kd_pair):
    text = format_comparison(rd_pair)
    assert text == repr(rd_pair)
    lines = text.splitlines()
    assert lines[0].startswith("PFS: 2 studies; reconstruction HR-informed")
    assert re.fullmatch(
        r"  POLLUX: D-Rd vs Rd +HR 0\.37 \(95% CI 0\.27-0\.52\) +reconstructed 0\.37 \(0\.26\d-0\.51\d\)",
        lines[1],
    )
    assert re.fullmatch(
        r"  ASPIRE: KRd vs Rd +HR 0\.69 \(95% CI 0\.57-0\.83\) +reconstructed 0\.69 \(0\.5\d*-0\.8\d*\)",
        lines[2],
    )
    assert any(line.startswith("  Fixed effect") for line in lines)
    assert any(line.startswith("  Random effects (DL)") for line in lines)
    assert "  Prediction interval: not defined for fewer than 3 studies" in lines
    assert any(line.startswith("  Heterogeneity: Q = 10.455 on 1 df") for line in lines)
    assert any(
        line.startswith("Indirect comparison (Bucher): D-Rd vs KRd through Rd: HR 0.536")
        for line in lines
    )
    assert "Assumptions: Not randomised" in text
    assert "Warning: Cross-trial comparisons are not randomised" in text
    assert max(len(line) for line in lines) <= 110
    other = format_comparison(kd_pair)
    assert re.search(
        r"IKEMA: Isa-Kd vs Kd +HR 0\.531 \(99% CI 0\.318-0\.889\) +reconstructed -", other
    )
    assert "note: not reconstructed" in other


def test_hr_blind_comparison_and_data_cuts_of_one_trial(tmp_path):
    # ALCYONE's 40-month cut with its PFS HR printed without a CI (as some reports do)
    raw = yaml.safe_load((catalog_dir() / "alcyone-2020-pfs-os-interim.yaml").read_text())
    for key in ("hr_ci", "ci_level"):
        raw["endpoints"]["PFS"]["comparison"].pop(key)
    alcyone_no_ci = tmp_path / "alcyone.yaml"
    alcyone_no_ci.write_text(yaml.safe_dump(raw), encoding="utf-8")
    ids = ["pollux-2016-pfs-primary", "pollux-2018-pfs-update", str(alcyone_no_ci)]
    comparison = compare_studies(ids, "PFS", hr_blind=True, method="REML", ci_level=0.9)
    table = comparison.table()
    assert list(table["label"]) == [
        "POLLUX: D-Rd vs Rd (pollux-2016-pfs-primary)",
        "POLLUX: D-Rd vs Rd (pollux-2018-pfs-update)",
        "ALCYONE: D-VMP vs VMP",
    ]
    # ALCYONE's HR has no CI: shown, not pooled
    alcyone = table.iloc[2]
    assert math.isnan(alcyone["hr_lower"]) and math.isnan(alcyone["se"])
    assert math.isnan(alcyone["weight_fixed"])
    assert alcyone["note"].startswith("the published HR has no CI")
    assert comparison.studies[2].contrast is None
    assert math.isfinite(alcyone["rec_hr"])
    assert comparison.meta.k == 2
    assert comparison.meta.tau2_method == "REML"
    assert comparison.pooled()["ci_level"].iloc[0] == 0.9
    assert comparison.indirect == ()
    notes = " | ".join(comparison.notes)
    assert (
        "pollux-2016-pfs-primary and pollux-2018-pfs-update are data cuts of one trial (POLLUX)"
        in notes
    )
    assert "compare the same arms: no indirect comparison" in notes
    assert "HR-blind" in format_comparison(comparison)
    # HR-blind, the synthesis from the medians and landmarks gives its own HR
    assert table["rec_hr"].iloc[0] != pytest.approx(0.37, abs=1e-3)


def test_three_studies_with_one_reference_get_a_prediction_interval_and_no_bucher():
    ids = ["pollux-2016-pfs-primary", "aspire-2015-pfs-os-primary", "eloquent-2-2015-pfs-primary"]
    comparison = compare_studies(ids, "PFS", method="PM")
    assert comparison.indirect == ()
    assert any(n.startswith("3 studies share the reference Rd") for n in comparison.notes)
    pooled = comparison.pooled()
    assert pooled["label"].iloc[1] == "Random effects (PM)"
    assert pooled[["pi_lower", "pi_upper"]].iloc[0].isna().all()
    assert (pooled["pi_lower"].iloc[1], pooled["pi_upper"].iloc[1]) == pytest.approx(
        comparison.meta.prediction_interval, rel=1e-12
    )
    assert "95% prediction interval: " in format_comparison(comparison)


def test_one_study_has_no_pooled_rows():
    comparison = compare_studies("aspire-2015-pfs-os-primary", "OS")
    assert comparison.meta is None
    assert comparison.indirect == ()
    pooled = comparison.pooled()
    assert pooled.empty
    assert list(pooled.columns[:4]) == ["label", "hr", "hr_lower", "hr_upper"]
    assert comparison.indirect_table().empty
    text = format_comparison(comparison)
    assert re.search(r"ASPIRE: KRd vs Rd +HR 0\.79 \(95% CI 0\.63-0\.99\)", text)
    assert "Pooled" not in text


def study(study_id: str, treatment: str, reference_label: str, hr: float) -> dict:
    """A study as a mapping: medians, follow-up and an HR with its CI."""
    return {
        "id": study_id,
        "title": f"{study_id.upper()}: a test trial",
        "arms": [{"id": treatment, "n": 100}, {"id": "Rd", "n": 100, "label": reference_label}],
        "endpoints": {
            "PFS": {
                "follow_up": {"max": 36},
                "arms": {treatment: {"median": 20}, "Rd": {"median": 14}},
                "comparison": {
                    "treatment": treatment,
                    "reference": "Rd",
                    "hr": hr,
                    "hr_ci": [hr * 0.8, hr * 1.25],
                },
            }
        },
    }


def test_study_objects_and_reference_arms_labelled_differently():
    one = load_study(study("one", "X", "Lenalidomide + dexamethasone", 0.7))
    two = load_study(study("two", "Y", "Lenalidomide + low-dose dexamethasone", 0.6))
    comparison = compare_studies([one, two], "PFS")
    assert list(comparison.table()["label"]) == ["ONE: X vs Rd", "TWO: Y vs Rd"]
    (indirect,) = comparison.indirect
    assert (indirect.treatment, indirect.reference) == ("X", "Y")
    assert indirect.hr == pytest.approx(0.7 / 0.6)
    assert indirect.se == pytest.approx(math.sqrt(2) * math.log(1.25 / 0.8) / (2 * Z95))
    assert any("labelled differently" in n for n in comparison.notes)


def test_reconstruction_without_a_cox_hr_is_marked():
    mapping = study("quiet", "X", "Lenalidomide + dexamethasone", 0.5)
    mapping["endpoints"]["PFS"]["arms"]["X"] = {"landmarks": {12: 0.999}, "events": 0}
    comparison = compare_studies([load_study(mapping)], "PFS", hr_blind=True)
    row = comparison.table().iloc[0]
    assert row["hr"] == 0.5
    assert math.isnan(row["rec_hr"])
    assert row["note"] == "the reconstructed data give no Cox HR"


@pytest.mark.parametrize(
    ("studies", "endpoint", "message"),
    [
        (
            ["pollux-2016-pfs-primary"],
            "OS",
            r"endpoints: study pollux-2016-pfs-primary has no endpoint 'OS' \(its endpoints: PFS\)$",
        ),
        (
            ["majestec-1-2022-pfs-primary"],
            "PFS",
            r"endpoints.PFS: study majestec-1-2022-pfs-primary reports no comparison of two arms for PFS$",
        ),
        (
            ["pollux-2019-pfs-update"],
            "PFS",
            r"endpoints.PFS.comparison.hr: study pollux-2019-pfs-update reports no hazard ratio for PFS$",
        ),
        (
            ["pollux-2016-pfs-primary", "pollux-2016-pfs-primary"],
            "PFS",
            r"^studies: study pollux-2016-pfs-primary is given twice$",
        ),
        ([], "PFS", r"^studies: no studies to compare$"),
        (["no-such-trial-2099"], "PFS", r"no catalog study with this id"),
    ],
)
def test_compare_studies_refuses_missing_numbers_naming_study_and_endpoint(
    studies, endpoint, message
):
    with pytest.raises(InputError, match=message):
        compare_studies(studies, endpoint)


def test_compare_studies_checks_method_and_level():
    with pytest.raises(InputError, match=r"^method: 'XX' is not one of DL, PM, REML$"):
        compare_studies(PAIR_RD, "PFS", method="XX")
    with pytest.raises(InputError, match=r"^ci_level: must be a number between 0 and 1, got 0$"):
        compare_studies(PAIR_RD, "PFS", ci_level=0)


def test_tables_are_plain_dataframes(rd_pair):
    assert isinstance(rd_pair.table(), pd.DataFrame)
    assert isinstance(rd_pair.pooled(), pd.DataFrame)
    with pytest.raises(AttributeError):
        rd_pair.endpoint = "OS"
