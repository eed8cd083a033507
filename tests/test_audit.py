"""Tests of the consistency audit: each rule consistent/inconsistent, rounding edges,
real data sets printed as papers print them, the catalog study, and robustness."""

from __future__ import annotations

import json
import math
import warnings
from typing import Any, Literal

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lifelines import CoxPHFitter
from lifelines.statistics import logrank_test
from paper_views import VIEWS, paper_view
from scipy import stats

from mmsurv import audit
from mmsurv._audit import RULES, AuditReport, Finding, format_audit
from mmsurv.errors import InputError
from mmsurv.study import ArmResults, AtRisk, Endpoint, Study, load_study

# --------------------------------------------------------------------------- helpers


def make_study(
    comparison: dict[str, Any] | None = None,
    arms: dict[str, dict[str, Any]] | None = None,
    n: tuple[int, int] = (100, 100),
    follow_up: float | None = None,
) -> Study:
    """A two-arm study (T vs R) with one endpoint, OS."""
    endpoint: dict[str, Any] = {"arms": arms or {}}
    if comparison is not None:
        endpoint["comparison"] = {"treatment": "T", "reference": "R", **comparison}
    if follow_up is not None:
        endpoint["follow_up"] = {"max": follow_up}
    return load_study(
        {
            "id": "test",
            "arms": [{"id": "T", "n": n[0]}, {"id": "R", "n": n[1]}],
            "endpoints": {"OS": endpoint},
        }
    )


def findings(study: Study, rule: str) -> list[Finding]:
    return list(audit(study, rules=[rule]).findings)


def severities(study: Study, rule: str) -> list[str]:
    return [f.severity for f in findings(study, rule)]


def journal(x: float) -> float:
    """Print a ratio as journals do: 2 decimals, 2 significant digits below 0.1."""
    return round(x, 2) if x >= 0.1 else float(f"{x:.2g}")


def journal_p(p: float) -> str | float:
    return "<0.001" if p < 0.001 else round(p, 3)


# --------------------------------------------------------------------------- hr_in_ci


def test_hr_in_ci_consistent_and_rounding_edge() -> None:
    assert findings(make_study({"hr": 0.69, "hr_ci": [0.5, 0.95]}), "hr_in_ci") == []
    # 0.69 stands for [0.685, 0.695] and 0.694 for [0.6935, 0.6945]: they meet.
    assert findings(make_study({"hr": 0.69, "hr_ci": [0.694, 0.95]}), "hr_in_ci") == []


def test_hr_in_ci_outside() -> None:
    (f,) = findings(make_study({"hr": 0.69, "hr_ci": [0.71, 0.95]}), "hr_in_ci")
    assert f.severity == "error" and "below" in f.message and "0.69" in f.message
    # A trailing zero is lost in a number: 0.70 reads as 0.7, i.e. [0.65, 0.75], which
    # holds 0.69; the audit stays silent rather than guess the printed decimals.
    assert findings(make_study({"hr": 0.69, "hr_ci": [0.70, 0.95]}), "hr_in_ci") == []
    (f,) = findings(make_study({"hr": 1.23, "hr_ci": [0.71, 1.12]}), "hr_in_ci")
    assert "above" in f.message


# --------------------------------------------------------------------------- ci_log_symmetry


def test_ci_symmetry_only_rounding_makes_it_look_asymmetric() -> None:
    # True HR 0.6949 with SE 0.15 prints as 0.69 (0.52-0.93); the printed centre
    # sqrt(0.52 * 0.93) = 0.695 is off 0.69 by more than the HR's own rounding (0.005),
    # yet values within rounding of all three numbers are exactly symmetric.
    lo, hi = (math.exp(math.log(0.6949) + s * 1.96 * 0.15) for s in (-1, 1))
    ci = [round(lo, 2), round(hi, 2)]
    assert ci == [0.52, 0.93]
    assert abs(math.sqrt(ci[0] * ci[1]) - 0.69) > 0.005
    assert findings(make_study({"hr": 0.69, "hr_ci": ci}), "ci_log_symmetry") == []


def test_ci_asymmetric_is_a_warning() -> None:
    (f,) = findings(make_study({"hr": 0.69, "hr_ci": [0.41, 0.95]}), "ci_log_symmetry")
    assert f.severity == "warning"
    assert "another CI method or a typo" in f.message
    assert f.implied["ci_centre"] == pytest.approx(math.sqrt(0.41 * 0.95), abs=1e-3)


def test_ci_slightly_asymmetric_is_a_note() -> None:
    # Beyond rounding with three decimals, but by well under 10% of the half-width.
    (f,) = findings(make_study({"hr": 0.712, "hr_ci": [0.583, 0.874]}), "ci_log_symmetry")
    assert f.severity == "note"


# --------------------------------------------------------------------------- events_from_ci


def test_events_from_ci_consistent_with_reported_events() -> None:
    # SE 0.15 with 1:1 allocation implies 1 / (0.15^2 / 4) = 178 events.
    ci = [journal(math.exp(math.log(0.7) + s * 1.96 * 0.15)) for s in (-1, 1)]
    study = make_study(
        {"hr": 0.7, "hr_ci": ci}, {"T": {"events": 84}, "R": {"events": 94}}, n=(200, 200)
    )
    assert findings(study, "events_from_ci") == []


def test_events_from_ci_more_than_patients_is_an_error() -> None:
    ci = [journal(math.exp(math.log(0.7) + s * 1.96 * 0.15)) for s in (-1, 1)]
    (f,) = findings(make_study({"hr": 0.7, "hr_ci": ci}, n=(50, 50)), "events_from_ci")
    assert f.severity == "error"
    assert 160 < f.implied["events_implied"] < 200
    assert f.implied["range"][0] <= f.implied["events_implied"] <= f.implied["range"][1]
    assert "100 patients" in f.message


def test_events_from_ci_rounding_edge() -> None:
    # 0.59-0.81 as printed needs 4/SE^2 = 612 events, above 1.1 x 540 = 594; but
    # 0.585-0.815, within rounding, needs only 559: no finding.
    se = math.log(0.81 / 0.59) / (2 * 1.96)
    assert 4 / se**2 > 1.1 * 540
    arms = {"T": {"events": 270}, "R": {"events": 270}}
    study = make_study({"hr": 0.69, "hr_ci": [0.59, 0.81]}, arms, n=(270, 270))
    assert findings(study, "events_from_ci") == []


def test_events_from_ci_against_reported_events() -> None:
    ci = [journal(math.exp(math.log(0.7) + s * 1.96 * 0.15)) for s in (-1, 1)]
    too_few = make_study(
        {"hr": 0.7, "hr_ci": ci}, {"T": {"events": 30}, "R": {"events": 30}}, n=(300, 300)
    )
    assert severities(too_few, "events_from_ci") == ["error"]  # needs >= ~170 events
    too_many = make_study(
        {"hr": 0.7, "hr_ci": ci, "adjusted": True},
        {"T": {"events": 250}, "R": {"events": 250}},
        n=(300, 300),
    )
    (f,) = findings(too_many, "events_from_ci")
    assert f.severity == "warning" and "adjust" in f.message


def test_events_from_ci_note_when_events_not_reported() -> None:
    ci = [journal(math.exp(math.log(0.7) + s * 1.96 * 0.15)) for s in (-1, 1)]
    assert severities(make_study({"hr": 0.7, "hr_ci": ci}, n=(300, 300)), "events_from_ci") == [
        "note"
    ]


# --------------------------------------------------------------------------- p_vs_ci


def test_p_vs_ci_consistent_and_rounding_edge() -> None:
    # HR 0.69 (0.55-0.87): Wald p between 0.0012 and 0.0024 within rounding.
    for p in (0.002, 0.001, 0.0015, "<0.01"):
        assert findings(make_study({"hr": 0.69, "hr_ci": [0.55, 0.87], "p": p}), "p_vs_ci") == []
    # one-sided p is half the two-sided one
    study = make_study({"hr": 0.69, "hr_ci": [0.55, 0.87], "p": 0.001, "p_sided": "one-sided"})
    assert findings(study, "p_vs_ci") == []


def test_p_vs_ci_bound_contradicted_tenfold_is_an_error() -> None:
    # HR 0.78 (0.63-0.97) implies p = 0.017-0.033: p < 0.001 cannot be its Wald p.
    (f,) = findings(make_study({"hr": 0.78, "hr_ci": [0.63, 0.97], "p": "<0.001"}), "p_vs_ci")
    assert f.severity == "error"
    assert f.implied["p_implied"][0] >= 0.01
    assert "p<0.001" in f.message


def test_p_vs_ci_adjusted_is_at_most_a_warning() -> None:
    study = make_study({"hr": 0.78, "hr_ci": [0.63, 0.97], "p": "<0.001", "adjusted": True})
    (f,) = findings(study, "p_vs_ci")
    assert f.severity == "warning" and "adjusted" in f.message


def test_p_vs_ci_smaller_gaps() -> None:
    def rule(p: float) -> list[str]:
        return severities(make_study({"hr": 0.78, "hr_ci": [0.63, 0.97], "p": p}), "p_vs_ci")

    # the CI implies p = 0.017-0.033
    assert rule(0.002) == ["warning"]  # at least 6.8-fold apart
    assert rule(0.006) == ["note"]  # 2.8-fold: as Wald and log-rank p-values may differ
    assert rule(0.021) == []


def test_p_vs_ci_large_effects_get_slack() -> None:
    # HR 7.8 (waltons): Wald z 9.5, log-rank z 11.1; an exactly printed log-rank p
    # 2.2e-28 must not be an alarm.
    study = make_study({"hr": 7.79, "hr_ci": [5.09, 11.91], "p": 2.2e-28})
    assert set(severities(study, "p_vs_ci")) <= {"note"}


# --------------------------------------------------------------------------- p_vs_logrank


def test_p_vs_logrank_consistent_and_rounding_edge() -> None:
    assert findings(make_study({"logrank_chi2": 3.84, "p": 0.05}), "p_vs_logrank") == []
    # chi2 3.8 stands for [3.75, 3.85], p 0.0498-0.0528; 0.053 for [0.0525, 0.0535]
    assert findings(make_study({"logrank_chi2": 3.8, "p": 0.053}), "p_vs_logrank") == []
    assert findings(make_study({"logrank_chi2": 18.798, "p": "<0.001"}), "p_vs_logrank") == []


def test_p_vs_logrank_inconsistent() -> None:
    # chi2 7.345 gives p = 0.0067; p < 0.001 needs chi2 >= 10.83: 6.7-fold -> warning
    (f,) = findings(make_study({"logrank_chi2": 7.345, "p": "<0.001"}), "p_vs_logrank")
    assert f.severity == "warning" and "0.0067" in f.message
    # chi2 2.5 gives p = 0.11 -> error
    assert severities(make_study({"logrank_chi2": 2.5, "p": "<0.001"}), "p_vs_logrank") == ["error"]


# --------------------------------------------------------------------------- chi2_vs_ci


def test_chi2_vs_ci() -> None:
    ci = {"hr": 0.71, "hr_ci": [0.56, 0.89]}  # Wald chi2 7.57-9.32 within rounding
    assert findings(make_study({**ci, "logrank_chi2": 8.9}), "chi2_vs_ci") == []
    assert findings(make_study({**ci, "logrank_chi2": 4.5}), "chi2_vs_ci") == []
    assert severities(make_study({**ci, "logrank_chi2": 3.1}), "chi2_vs_ci") == ["warning"]
    assert severities(make_study({**ci, "logrank_chi2": 1.1}), "chi2_vs_ci") == ["error"]
    adjusted = make_study({**ci, "logrank_chi2": 1.1, "adjusted": True})
    assert severities(adjusted, "chi2_vs_ci") == ["warning"]


# --------------------------------------------------------------------------- hr_direction


def test_hr_direction() -> None:
    comp = {"hr": 0.71, "hr_ci": [0.56, 0.89]}
    good = make_study(comp, {"T": {"median": 14}, "R": {"median": 10}})
    assert findings(good, "hr_direction") == []
    (f,) = findings(make_study(comp, {"T": {"median": 10}, "R": {"median": 14}}), "hr_direction")
    assert f.severity == "warning" and "arm labels" in f.message
    crossing = make_study(
        {"hr": 0.91, "hr_ci": [0.72, 1.15]}, {"T": {"median": 10}, "R": {"median": 14}}
    )
    assert severities(crossing, "hr_direction") == ["note"]
    # 12.3 and 12.4 meet within rounding at 12.35
    edge = make_study(comp, {"T": {"median": 12.3}, "R": {"median": 12.4}})
    assert findings(edge, "hr_direction") == []
    landmarks = make_study(comp, {"T": {"landmarks": {12: 0.55}}, "R": {"landmarks": {12: 0.62}}})
    assert severities(landmarks, "hr_direction") == ["warning"]
    reached = make_study(comp, {"T": {"median": 20}, "R": {"median": "NR"}})
    assert severities(reached, "hr_direction") == ["warning"]


# --------------------------------------------------------------------------- follow-up


def test_median_vs_follow_up() -> None:
    def rule(median: float, fu: float, ci: list | None = None) -> list[str]:
        study = make_study(arms={"T": {"median": median, "median_ci": ci}}, follow_up=fu)
        return severities(study, "median_vs_follow_up")

    assert rule(14, 18) == []
    assert rule(20, 18) == ["error"]
    assert rule(18, 18) == ["note"]
    assert rule(18.4, 18) == ["note"]  # 18 stands for up to 18.5
    assert rule(14, 18, [10, 22]) == ["warning"]


# --------------------------------------------------------------------------- landmark_vs_median


def test_landmark_vs_median() -> None:
    def rule(median: float | str, landmarks: dict) -> list[str]:
        study = make_study(arms={"T": {"median": median, "landmarks": landmarks}})
        return severities(study, "landmark_vs_median")

    assert rule(12, {6: 0.71, 24: 0.32}) == []
    assert rule(12, {24: 0.55}) == ["error"]
    assert rule(12, {6: 0.45}) == ["error"]
    assert rule(12, {12.4: 0.55}) == []  # 12 stands for up to 12.5
    assert rule(12, {24: 0.504}) == ["error"]
    assert rule(12, {24: 0.5}) == []  # S = 0.5 exactly after the median is possible
    assert rule("NR", {24: 0.45}) == ["error"]
    assert rule("NR", {24: 0.55}) == []


# --------------------------------------------------------------------------- ci_contains_estimate


def test_ci_contains_estimate() -> None:
    def rule(arm: dict) -> list[str]:
        return severities(make_study(arms={"T": arm}), "ci_contains_estimate")

    assert rule({"median": 12, "median_ci": [9.5, 15]}) == []
    assert rule({"median": 12, "median_ci": [13, 20]}) == []  # 12.5 prints as 12 or 13
    assert rule({"median": 12, "median_ci": [14, 20]}) == ["error"]
    assert rule({"median": 12, "median_ci": [12.4, "NE"]}) == []  # rounding edge
    assert rule({"landmarks": {12: {"survival": 0.6, "ci": [0.615, 0.7]}}}) == []
    assert rule({"landmarks": {12: {"survival": 0.612, "ci": [0.62, 0.7]}}}) == ["error"]


# --------------------------------------------------------------------------- events_vs_n


def test_events_vs_n() -> None:
    assert severities(make_study(arms={"T": {"events": 70, "median": 12}}), "events_vs_n") == []
    assert severities(make_study(arms={"T": {"events": 0, "median": 12}}), "events_vs_n") == [
        "error"
    ]
    dropped = make_study(arms={"T": {"events": 0, "landmarks": {12: 0.9}}})
    assert severities(dropped, "events_vs_n") == ["error"]
    (f,) = findings(make_study(arms={"T": {"events": 30, "median": 12}}), "events_vs_n")
    assert f.severity == "note" and f.implied["censored_before_median_at_least"] == 20


def test_events_above_n_built_in_python() -> None:
    # The loader refuses this; objects built without validation still get audited.
    study = make_study(arms={"T": {"median": 12}})
    ep = Endpoint.model_construct(arms={"T": ArmResults.model_construct(events=120)})
    bad = study.model_copy(update={"endpoints": {"OS": ep}})
    assert severities(bad, "events_vs_n") == ["error"]


# --------------------------------------------------------------------------- at_risk_consistency


def _risk(times: list[float], counts: list[int]) -> dict:
    return {"times": times, "n": counts}


def test_at_risk_consistent() -> None:
    arm = {"median": 12, "landmarks": {6: 0.7}, "at_risk": _risk([0, 6, 12, 18], [40, 27, 18, 9])}
    study = make_study(arms={"T": arm}, n=(40, 40), follow_up=24)
    assert findings(study, "at_risk_consistency") == []


def test_at_risk_inconsistent() -> None:
    def rule(arm: dict, fu: float | None = None) -> list[str]:
        return severities(
            make_study(arms={"T": arm}, n=(40, 40), follow_up=fu), "at_risk_consistency"
        )

    # 25 of 40 at risk after the median keeps S above 0.5
    assert rule({"median": 12, "at_risk": _risk([0, 18], [40, 25])}) == ["error"]
    # S(12) = 0.40 but 20 of 40 still at risk at 18
    assert rule({"landmarks": {12: 0.4}, "at_risk": _risk([0, 18], [40, 20])}) == ["error"]
    # at risk after the longest follow-up
    assert rule({"at_risk": _risk([0, 12, 24], [40, 20, 5])}, fu=18) == ["error"]
    # at the landmark time itself events at t may still fall: no finding
    assert rule({"landmarks": {12: 0.4}, "at_risk": _risk([0, 12], [40, 20])}) == []


def test_at_risk_rising_built_in_python() -> None:
    table = AtRisk.model_construct(times=(0.0, 6.0, 12.0), n=(40.0, 30.0, 35.0))
    ep = Endpoint.model_construct(arms={"T": ArmResults.model_construct(at_risk=table)})
    study = make_study(n=(40, 40)).model_copy(update={"endpoints": {"OS": ep}})
    (f,) = findings(study, "at_risk_consistency")
    assert "rises" in f.message


# --------------------------------------------------------------------------- report API


def test_report_api() -> None:
    report = audit("niu-2026-krd-vs-vrd")
    assert isinstance(report, AuditReport) and report.study_id == "niu-2026-krd-vs-vrd"
    assert report.has_errors and len(report.errors) == 2
    assert [f.severity for f in report.findings] == sorted(
        (f.severity for f in report.findings), key=["error", "warning", "note"].index
    )
    table = report.table()
    assert isinstance(table, pd.DataFrame) and len(table) == len(report.findings)
    assert {"rule", "severity", "endpoint", "arm", "message"} <= set(table.columns)
    assert "niu-2026-krd-vs-vrd" in repr(report) and "events_from_ci" in repr(report)
    text = report.to_text()
    assert text.startswith("Audit of niu-2026-krd-vs-vrd: 2 errors, 1 warning, 2 notes")
    parsed = json.loads(format_audit([report], fmt="json"))
    assert parsed[0]["errors"] == 2 and parsed[0]["findings"][0]["rule"] == "events_from_ci"
    assert format_audit(report) == text
    with pytest.raises(InputError):
        format_audit(report, fmt="xml")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="unknown audit rule"):
        audit(make_study(), rules=["no_such_rule"])
    assert hash(report.findings[0])  # frozen findings are hashable


def test_clean_study_text() -> None:
    report = audit(make_study(arms={"T": {"median": 12}}))
    assert not report.findings and "no findings" in report.to_text()


# --------------------------------------------------------------------------- the catalog study


def test_catalog_study_audit() -> None:
    report = audit("niu-2026-krd-vs-vrd")
    got = {(f.rule, f.severity, f.endpoint, f.arm) for f in report.findings}
    assert got == {
        # 95% CIs 0.583-0.874 and 0.504-0.779 need >= 372 and >= 322 events whatever the
        # allocation (var(log HR) >= 4/D, adjustment only widens CIs); there are 80 patients.
        ("events_from_ci", "error", "PFS", None),
        ("events_from_ci", "error", "OS", None),
        # chi2 7.345 gives p = 0.0067, not < 0.001 (which needs chi2 >= 10.83); the HR is
        # adjusted, so the p may be the Cox one: a warning, not an error.
        ("p_vs_logrank", "warning", "PFS", None),
        # 0.712 sits 0.6% of the half-width off the log centre 0.7138 beyond rounding.
        ("ci_log_symmetry", "note", "PFS", None),
        # median OS 18 in KRd equals the 18-month follow-up.
        ("median_vs_follow_up", "note", "OS", "KRd"),
    }
    # Not fired, and why: the CIs imply Wald p 0.0009-0.0011 (PFS) and 2.4e-5-2.9e-5 (OS),
    # compatible with p < 0.001; chi2 18.798 gives p = 1.5e-5; Wald chi2 10.7-10.9 vs 7.345
    # and 17.5-17.9 vs 18.798 are within 2-fold; HRs < 1 with KRd's medians longer.
    fired = {f.rule for f in report.findings}
    assert not fired & {"p_vs_ci", "chi2_vs_ci", "hr_direction", "hr_in_ci"}
    pfs = next(f for f in report.errors if f.endpoint == "PFS")
    assert pfs.implied["events_implied"] == pytest.approx(376, abs=1)
    assert pfs.numbers["n_total"] == 80


# --------------------------------------------------------------------------- paper views


@pytest.mark.parametrize("p_from", ["wald", "logrank"])
@pytest.mark.parametrize("name", sorted(VIEWS))
def test_real_data_printed_as_papers_raise_no_alarm(
    name: str, p_from: Literal["wald", "logrank"]
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lifelines' convergence chatter
        report = audit(paper_view(name, p_from))
    assert report.errors == (), report.to_text()
    assert report.warnings == (), report.to_text()


def test_paper_views_exercise_the_rules() -> None:
    view = paper_view("lung")
    comp = view["endpoints"]["OS"]["comparison"]
    assert comp["hr"] < 1 and comp["logrank_chi2"] > 0 and view["arms"][0]["n"] == 90
    arm = view["endpoints"]["OS"]["arms"]["female"]
    assert arm["events"] > 0 and len(arm["landmarks"]) == 2 and arm["at_risk"]["n"][0] == 90


@pytest.mark.parametrize("hr", [0.5, 2.5, 6.0, 12.0])
@pytest.mark.parametrize("n", [60, 300])
def test_log_rank_p_with_cox_ci_raises_no_alarm(hr: float, n: int) -> None:
    # The log-rank z outgrows the Wald z as the effect grows; the slack absorbs it.
    rng = np.random.default_rng(int(hr * 10) + n)
    arm = rng.random(n) < 0.5
    time = rng.exponential(1 / np.where(arm, hr, 1.0))
    censor = rng.exponential(2.0, n)
    data = pd.DataFrame({"T": np.minimum(time, censor), "E": time <= censor, "arm": arm * 1})
    row = CoxPHFitter().fit(data, "T", "E").summary.loc["arm"]
    test = logrank_test(data["T"][arm], data["T"][~arm], data["E"][arm], data["E"][~arm])
    comparison = {
        "hr": journal(row["exp(coef)"]),
        "hr_ci": [journal(row["exp(coef) lower 95%"]), journal(row["exp(coef) upper 95%"])],
        "p": float(f"{test.p_value:.2g}"),  # printed exactly, however small
        "logrank_chi2": round(test.test_statistic, 2),
        "adjusted": False,
    }
    report = audit(make_study(comparison, n=(int(arm.sum()), int((~arm).sum()))))
    assert not report.errors and not report.warnings, report.to_text()


# --------------------------------------------------------------------------- properties


@st.composite
def honest_numbers(draw: st.DrawFn) -> dict[str, Any]:
    """A Wald analysis printed with rounding: HR, CI, p, chi2 = z^2, events, medians."""
    n_t, n_r = draw(st.integers(10, 500)), draw(st.integers(10, 500))
    e_t, e_r = draw(st.integers(1, n_t)), draw(st.integers(1, n_r))
    share = n_t / (n_t + n_r)
    se = 1 / math.sqrt((e_t + e_r) * share * (1 - share))
    log_hr = draw(st.floats(-2, 2))
    level = draw(st.sampled_from([0.95, 0.9, 0.99]))
    zc = stats.norm.isf((1 - level) / 2)
    z = abs(log_hr) / se
    rate = draw(st.floats(0.01, 1.0))
    times = sorted(draw(st.lists(st.floats(0.5, 60), min_size=1, max_size=3, unique=True)))
    return {
        "id": "honest",
        "arms": [{"id": "T", "n": n_t}, {"id": "R", "n": n_r}],
        "endpoints": {
            "OS": {
                "arms": {
                    "T": {
                        "events": e_t,
                        "median": round(math.log(2) / rate, 1),
                        "landmarks": {t: round(math.exp(-rate * t), 3) for t in times},
                    },
                    "R": {"events": e_r},
                },
                "comparison": {
                    "treatment": "T",
                    "reference": "R",
                    "hr": journal(math.exp(log_hr)),
                    "hr_ci": [journal(math.exp(log_hr + s * zc * se)) for s in (-1, 1)],
                    "ci_level": level,
                    "p": journal_p(2 * stats.norm.sf(z)),
                    "logrank_chi2": round(z**2, 2),
                },
            }
        },
    }


@settings(max_examples=150, deadline=None)
@given(honest_numbers())
def test_rounding_alone_never_makes_a_finding(mapping: dict[str, Any]) -> None:
    report = audit(mapping)
    quiet = {
        "hr_in_ci",
        "ci_log_symmetry",
        "p_vs_ci",
        "p_vs_logrank",
        "chi2_vs_ci",
        "landmark_vs_median",
    }
    assert [f for f in report.findings if f.rule in quiet] == [], report.to_text()
    assert not report.has_errors, report.to_text()


fractions = st.floats(0, 1, allow_nan=False)
positives = st.floats(0.001, 1e4, allow_nan=False, allow_infinity=False)


@st.composite
def arbitrary_study(draw: st.DrawFn) -> dict[str, Any]:
    """Valid-ish numbers in every field the audit reads."""
    n_t, n_r = draw(st.integers(1, 1000)), draw(st.integers(1, 1000))

    def arm(n: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if draw(st.booleans()):
            out["events"] = draw(st.integers(0, n))
        out["median"] = draw(st.one_of(st.none(), st.just("NR"), positives))
        if draw(st.booleans()):
            lo = draw(st.one_of(st.none(), positives))
            out["median_ci"] = [lo, draw(st.one_of(st.none(), st.floats(lo or 0.001, 2e4)))]
        out["landmarks"] = draw(
            st.dictionaries(st.floats(0, 100), fractions.map(lambda s: round(s, 3)), max_size=3)
        )
        if draw(st.booleans()):
            steps = sorted(draw(st.lists(st.integers(0, n), max_size=4)), reverse=True)
            out["at_risk"] = {"times": list(range(len(steps) + 1)), "n": [n, *steps]}
        return out

    comparison: dict[str, Any] = {"treatment": "T", "reference": "R"}
    if draw(st.booleans()):
        lo = draw(positives)
        comparison["hr_ci"] = [lo, draw(st.floats(lo, lo * 100))]
    comparison["hr"] = draw(st.one_of(st.none(), positives))
    comparison["ci_level"] = draw(st.floats(0.5, 0.999))
    comparison["p"] = draw(
        st.one_of(st.none(), fractions, st.sampled_from(["<0.001", ">0.05", "<=0.05", "1"]))
    )
    comparison["p_sided"] = draw(st.sampled_from([None, "one-sided", "two-sided"]))
    comparison["logrank_chi2"] = draw(st.one_of(st.none(), st.floats(0, 500)))
    comparison["adjusted"] = draw(st.sampled_from([None, True, False]))
    endpoint: dict[str, Any] = {"arms": {"T": arm(n_t), "R": arm(n_r)}, "comparison": comparison}
    if draw(st.booleans()):
        endpoint["follow_up"] = {"max": draw(positives)}
    return {
        "id": "arbitrary",
        "arms": [{"id": "T", "n": n_t}, {"id": "R", "n": n_r}],
        "endpoints": {"OS": endpoint},
    }


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(arbitrary_study())
def test_audit_never_crashes(mapping: dict[str, Any]) -> None:
    try:
        study = load_study(mapping)
    except InputError:
        return
    report = audit(study)
    assert isinstance(report, AuditReport)
    assert set(f.rule for f in report.findings) <= set(RULES)
    json.loads(format_audit(report, fmt="json"))
    report.to_text()
    report.table()
