"""Tests of mmsurv.check: tolerances measured on real data, the check, notes, JUnit.

The default tolerances are measured here. Real data sets are reduced to what a paper
prints -- a digitized Kaplan-Meier figure with numbers at risk and events, medians and
landmark rates with CIs, the Cox HR with CI and p, the log-rank chi-square -- and
reconstructed; :func:`measure` collects the deviation of every published number from
its reconstruction. The tests hold the defaults to the worst deviations (a study whose
numbers are the truth of its data passes) and to altered numbers (a wrong number
fails). ``python tests/test_check.py`` prints the measurement over every view: the
digitized ones, and the summary-only ones (abstract views and ``paper_views.py``) in both
modes, which the :class:`~mmsurv.check.Tolerances` docstring quotes.
"""

from __future__ import annotations

import copy
import math
from xml.etree import ElementTree as ET

import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from paper_views import VIEWS, paper_view

from mmsurv.analysis import analyze
from mmsurv.check import (
    CheckResult,
    Miss,
    Tolerances,
    deviations,
    junit_xml,
    parse_tolerances,
    quantity_name,
    tolerance_for,
)
from mmsurv.cli import main
from mmsurv.errors import InputError
from mmsurv.pipeline import analyze_study, assert_reproduces, check_study
from mmsurv.study import load_study
from mmsurv.validation import ABSTRACT_ENDPOINT as E
from mmsurv.validation import abstract_view, real_datasets
from mmsurv.validation import paper_view as figure_view

#: Data sets of the defaults; dd and leukemia count whole years and weeks, so a landmark
#: falls on a tied time and a click's error puts the drop on either side of it.
BAR_DATASETS = ["rossi", "gbsg2", "lung", "kidney_transplant", "waltons", "larynx", "lymph_node"]


# --------------------------------------------------------------------------- measurement


def digitized_view(dataset) -> dict:
    """A study mapping with everything a full paper prints about a real data set.

    The abstract (:func:`mmsurv.validation.abstract_view`: medians and landmarks with
    95% CIs, events, follow-up, Cox HR with CI and p), the digitized figure with its
    numbers at risk and events (:func:`mmsurv.validation.paper_view`) and the log-rank
    chi-square of the true data (2 decimals).
    """
    view = abstract_view(dataset)
    ids = {arm["label"]: arm["id"] for arm in view["arms"]}
    endpoint = view["endpoints"][E]
    for label, arm in figure_view(dataset).items():
        endpoint["arms"][ids[label]].update(
            curve=arm.clicks.tolist(), at_risk=arm.at_risk, events=arm.total_events
        )
    truth = analyze(dataset.data, dataset.treatment, dataset.reference)
    endpoint["comparison"]["logrank_chi2"] = round(truth.logrank_chi2, 2)
    return view


def measure(views: dict[str, dict], *, hr_blind: bool = False) -> pd.DataFrame:
    """The deviation of every published number of the views from its reconstruction.

    Returns the rows of :meth:`CheckResult.table` (tolerance name, deviation on its
    scale) of every view, with a ``view`` column.
    """
    tables = [
        check_study(view, hr_blind=hr_blind).table().assign(view=name)
        for name, view in views.items()
    ]
    return pd.concat(tables, ignore_index=True)


def worst(measured: pd.DataFrame) -> pd.DataFrame:
    """Per tolerance: the largest deviation, where, and how many numbers were measured."""
    rows = []
    for name, group in measured[measured["kind"] == "number"].groupby("tolerance"):
        top = group.loc[group["deviation"].idxmax()]
        label = " ".join(str(x) for x in (top["view"], top["arm"], top["quantity"]) if x)
        rows.append({"tolerance": name, "worst": top["deviation"], "at": label, "n": len(group)})
    return pd.DataFrame(rows).set_index("tolerance")


@pytest.fixture(scope="module")
def views(datasets) -> dict[str, dict]:
    return {name: digitized_view(datasets[name]) for name in BAR_DATASETS}


@pytest.fixture(scope="module")
def results(views) -> dict[str, CheckResult]:
    return {name: check_study(view) for name, view in views.items()}


def test_defaults_cover_the_worst_deviation_measured_on_real_data(results):
    measured = pd.concat(
        [r.table().assign(view=name) for name, r in results.items()], ignore_index=True
    )
    table = worst(measured)
    defaults = Tolerances()
    assert set(table.index) == set(Tolerances.names()) - {"hr_blind"}
    for name, row in table.iterrows():
        assert row["worst"] <= getattr(defaults, name), (name, row["at"], row["worst"])


@pytest.mark.parametrize("name", BAR_DATASETS)
def test_a_study_whose_numbers_are_the_truth_passes(results, name):
    result = results[name]
    assert result.passed, "\n".join(result.lines())
    assert result.summary().endswith("passed")
    assert (result.table()["status"] == "pass").all()


@pytest.mark.parametrize("name", ["rossi", "gbsg2", "lung", "larynx"])
def test_the_hr_altered_fails_with_a_line_naming_it(views, name, tmp_path, capsys):
    altered = copy.deepcopy(views[name])
    comparison = altered["endpoints"][E]["comparison"]
    comparison["hr"] = round(comparison["hr"] * 1.5, 2)
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(altered))
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out.splitlines()
    misses = [line for line in out if line.startswith(f"{altered['id']} {E} HR: published")]
    assert len(misses) == 1 and f"published {comparison['hr']:g}," in misses[0]
    assert out[-1].startswith("check of 1 study: ") and out[-1].endswith("FAILED")


def test_every_default_fails_an_altered_number(views, results):
    """Wrong numbers that are not inputs of the reconstruction (the figure, its table
    and the events are) are caught: each altered number misses, nothing else does."""
    view = copy.deepcopy(views["lung"])
    endpoint = view["endpoints"][E]
    arm = endpoint["arms"]["female"]
    comp = endpoint["comparison"]
    arm["median"] *= 1.1
    arm["median_ci"][1] *= 1.5
    first = min(arm["landmarks"])
    arm["landmarks"][first]["survival"] -= 0.05
    arm["landmarks"][first]["ci"][0] -= 0.05
    comp["hr"] *= 1.25
    comp["hr_ci"][0] *= 1.25
    comp["p"] = 0.05  # printed for a p below 0.001
    comp["logrank_chi2"] *= 2
    result = check_study(view)
    missed = {(m.arm, m.quantity) for m in result.misses}
    assert missed == {
        ("female", "median"),
        ("female", "median CI upper"),
        ("female", f"survival at {first:g}"),
        ("female", f"survival at {first:g} CI lower"),
        (None, "HR"),
        (None, "HR CI lower"),
        (None, "p"),
        (None, "log-rank chi2"),
    }
    assert len(result.table()) == len(results["lung"].table())


def test_events_are_compared_as_counts():
    """Events are an input of the reconstruction (met when they can be): checked here
    on the scale alone."""
    table = pd.DataFrame(
        {"quantity": ["events"] * 3, "published": [120, 120, 120], "reconstructed": [123, 124, 117]}
    )
    found = deviations(table)["deviation"].tolist()
    assert found == [3, 4, 3]
    assert [d > Tolerances().events for d in found] == [False, True, False]


# --------------------------------------------------------------------------- scales


def dev(quantity, published, reconstructed, hr_blind=False) -> float:
    table = pd.DataFrame(
        {"quantity": [quantity], "published": [published], "reconstructed": [reconstructed]}
    )
    return float(deviations(table, hr_blind=hr_blind)["deviation"].iloc[0])


def test_deviations_start_beyond_the_printed_rounding():
    assert dev("median", 14, 14.49) == 0
    assert dev("median", 14, 15.2) == pytest.approx(0.7 / 13.5)
    assert dev("median", 14.2, 14.26) == pytest.approx(0.01 / 14.15)
    assert dev("HR", 0.712, 0.7124) == 0
    assert dev("HR CI upper", 0.7, 0.8) == pytest.approx(math.log(0.8 / 0.75))  # 0.7: ±0.05
    assert dev("survival at 12", 0.52, 0.56) == pytest.approx(0.035)
    assert dev("survival at 12 CI lower", 0.83, 0.8) == pytest.approx(0.025)


def test_p_and_chi2_are_compared_on_the_scale_of_z():
    z = 3.2905267314918945  # p = 0.001, two-sided
    assert dev("p", "<0.001", 1e-9) == 0
    assert dev("p", "<0.001", 0.01) == pytest.approx((z - 2.5758293035489) / z)
    assert dev("p", ">0.05", 0.3) == 0
    assert dev("p", 0.001, 0.05) > Tolerances().p
    assert dev("p", 0.5, 0.3) > 0
    lo, hi = math.sqrt(9.245), math.sqrt(9.255)  # 9.25 as printed
    assert dev("log-rank chi2", 9.25, 16.0) == pytest.approx((4 - hi) / lo)
    assert dev("log-rank chi2", 0.3, 0.8) == pytest.approx(math.sqrt(0.8) - math.sqrt(0.35))


def test_not_reached_and_not_estimable():
    assert dev("median", "NR", "NR") == 0
    assert dev("median", "NR", 20.0) == math.inf
    assert dev("median", 20, "NR") == math.inf
    assert dev("median CI upper", 20, "NE") == math.inf
    assert dev("survival at 99", 0.5, None) == math.inf


def test_quantity_names_and_their_tolerances():
    assert quantity_name("survival at 12.0") == ("survival at 12", True)
    assert quantity_name("HR CI lower") == ("HR CI lower", False)
    for text in ["hr", "median CI", "survival at x", "survival at -1", "survival at 12 CI"]:
        with pytest.raises(ValueError, match=r"quantity|landmark time"):
            quantity_name(text)
    assert tolerance_for("HR") == "hr" and tolerance_for("HR", hr_blind=True) == "hr_blind"
    assert tolerance_for("HR CI upper") == "hr_ci"
    assert tolerance_for("median CI lower") == "median_ci"
    assert tolerance_for("log-rank chi2") == "chi2"
    assert tolerance_for("survival at 6 CI upper") == "survival_ci"


# --------------------------------------------------------------------------- tolerances


def test_tolerances_are_validated_and_shown():
    assert Tolerances().replace(median=0.1).median == 0.1
    with pytest.raises(InputError, match="unknown tolerance 'hrr'"):
        Tolerances().replace(hrr=0.1)
    with pytest.raises(InputError, match="hr: must be a number >= 0"):
        Tolerances(hr=-0.1)
    with pytest.raises(InputError, match="must be a number"):
        Tolerances(events=True)
    table = Tolerances(hr=0.1).table()
    assert list(table["name"]) == list(Tolerances.names())
    assert table.set_index("name").loc["hr", ["value", "default"]].tolist() == [0.1, 0.05]
    assert repr(Tolerances()) == "Tolerances(defaults)"
    assert repr(Tolerances(p=1)) == "Tolerances(p=1 (default 0.2))"


def test_parse_tolerances_names_and_bare_numbers():
    assert parse_tolerances(["hr=0.1", " median = 0.2"]) == {"hr": 0.1, "median": 0.2}
    assert parse_tolerances(["0.3"]) == {"hr": 0.3}
    assert parse_tolerances(["0.3"], hr_blind=True) == {"hr_blind": 0.3}
    for bad, text in [
        (["hrr=1"], "unknown tolerance 'hrr'"),
        (["hr=-1"], "is not a number >= 0"),
        (["hr=nan"], "is not a number >= 0"),
        (["abc"], "is not a number >= 0"),
        (["hr=1", "0.2"], "given twice"),
    ]:
        with pytest.raises(InputError, match=text) as info:
            parse_tolerances(bad)
        assert info.value.field == "--tolerance"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=12) | st.sampled_from(["hr=0.1", "p=2", "0.5", "events=3"])))
def test_parse_tolerances_gives_a_mapping_or_an_input_error(items):
    try:
        parsed = parse_tolerances(items)
    except InputError as exc:
        assert exc.field == "--tolerance"
    else:
        assert set(parsed) <= set(Tolerances.names())
        assert Tolerances().replace(**parsed)


# --------------------------------------------------------------------------- precedence


@pytest.fixture(scope="module")
def wrong_hr(views) -> dict:
    """The rossi view with its HR 20 % off (a miss at the default tolerance)."""
    view = copy.deepcopy(views["rossi"])
    view["endpoints"][E]["comparison"]["hr"] = round(
        view["endpoints"][E]["comparison"]["hr"] * 1.2, 2
    )
    return view


def test_study_file_tolerances_and_overrides_take_precedence(wrong_hr):
    assert not check_study(wrong_hr).passed
    in_file = {**wrong_hr, "check": {"tolerances": {"hr": 0.3}}}
    result = check_study(in_file)
    assert result.passed and result.tolerances.hr == 0.3
    assert result.tolerance_lines() == [
        f"{wrong_hr['id']}: tolerance hr = 0.3 (default 0.05; study file)"
    ]
    overridden = check_study(in_file, tolerances={"hr": 0.01})
    assert not overridden.passed and "(default 0.05; override)" in overridden.lines()[-1]
    whole = check_study(in_file, tolerances=Tolerances())
    assert not whole.passed and whole.tolerance_lines() == []
    with pytest.raises(InputError, match="unknown tolerance 'x'"):
        check_study(wrong_hr, tolerances={"x": 1})


def test_assert_reproduces_raises_with_the_miss_lines(wrong_hr):
    with pytest.raises(AssertionError) as info:
        assert_reproduces(wrong_hr)
    result = check_study(wrong_hr)
    assert str(info.value) == "\n".join(map(str, result.misses))
    assert str(info.value).startswith(f"{wrong_hr['id']} {E} HR: published ")
    assert_reproduces(wrong_hr, E, hr=0.3)
    assert_reproduces(wrong_hr, tolerances=Tolerances(hr=0.01), hr=0.3)


# --------------------------------------------------------------------------- notes


def with_notes(view: dict, *notes: dict) -> dict:
    return {**view, "check": {"notes": list(notes)}}


def test_a_note_that_explains_a_miss_passes_as_noted(wrong_hr):
    reason = "the HR is adjusted for covariates the figure does not show"
    result = check_study(with_notes(wrong_hr, {"endpoint": E, "quantity": "HR", "reason": reason}))
    assert result.passed and not result.misses
    assert len(result.noted) == 1 and str(result.noted[0]).endswith(f"; noted: {reason}")
    assert result.table()["status"].value_counts()["noted"] == 1
    assert "1 noted" in result.summary() and result.summary().endswith("passed")


def test_a_stale_note_and_a_note_matching_nothing_fail(views):
    view = with_notes(
        views["gbsg2"],
        {"endpoint": E, "quantity": "HR", "reason": "thought to be off"},
        {"endpoint": E, "quantity": "survival at 99", "reason": "not reported"},
        {"endpoint": E, "arm": "hormonal_therapy", "reason": "whole arm"},
    )
    result = check_study(view)
    assert not result.passed
    lines = [str(m) for m in result.misses]
    assert lines[0].startswith(f"gbsg2 {E} HR: stale note check.notes[0]: published 0.69, ")
    assert "is within tolerance (hr=0.05, accepted" in lines[0]
    assert lines[1] == f"gbsg2 {E} survival at 99: note check.notes[1] matches no published number"
    assert lines[2].startswith(f"gbsg2 {E} hormonal_therapy: stale note check.notes[2]: all ")
    assert result.summary().endswith("3 notes explaining nothing; FAILED")


BELLINI = "bellini-2020-pfs-os-primary"
ICARIA = "icaria-mm-2019-pfs-os-primary"  # OS immature: medians not reached, nothing else


def _bellini_without_deaths() -> dict:
    """BELLINI's primary analysis without its OS deaths: OS has an HR and medians not
    reached, and nothing to rebuild the arms from."""
    data = yaml.safe_load(load_study(BELLINI).model_dump_json())
    for arm in data["endpoints"]["OS"]["arms"].values():
        arm.pop("events")
    return data


def test_an_endpoint_that_cannot_be_reconstructed_is_a_miss_unless_noted():
    data = _bellini_without_deaths()
    result = check_study(data, "OS")
    assert [str(m) for m in result.misses] == [
        f"{BELLINI} OS: cannot be reconstructed: endpoints.OS.arms.Ven-Vd: no point of this "
        "arm's curve is reported (a median reached, or a landmark rate), no other arm has "
        "one to lend its shape through the HR, and no events with a follow-up to fit a "
        "constant hazard to"
    ]
    reason = "both medians not reached and no events given"
    data["check"] = {"notes": [{"endpoint": "OS", "reason": reason}]}
    noted = check_study(data, "OS")
    assert noted.passed and str(noted.noted[0]).endswith(f"; noted: {reason}")
    assert noted.summary() == (
        "0 published numbers: 0 within tolerance, 0 missed, 0 noted; "
        "1 endpoint not reconstructed (1 noted); passed"
    )
    data["check"]["notes"].append({"endpoint": "OS", "quantity": "HR", "reason": "x"})
    narrow = check_study(data, "OS")
    assert [str(m) for m in narrow.misses] == [
        f"{BELLINI} OS HR: note check.notes[1] cannot be checked: OS cannot be "
        "reconstructed (a note on the whole endpoint explains that)"
    ]


def test_notes_of_endpoints_not_checked_are_left_alone():
    data = _bellini_without_deaths()
    data["check"] = {"notes": [{"endpoint": "OS", "reason": "nothing to build OS from"}]}
    result = check_study(data, "PFS")
    assert set(result.table()["endpoint"]) == {"PFS"}
    assert all("notes" not in str(m) for m in result.misses)


# --------------------------------------------------------------------------- analysis


def test_analyze_study_lists_what_cannot_be_reconstructed():
    table = analyze_study(ICARIA)
    assert set(table["endpoint"]) == {"PFS"}
    assert list(table.attrs["not_reconstructed"]) == ["OS"]
    assert "no point of this arm's curve is reported" in table.attrs["not_reconstructed"]["OS"]
    with pytest.raises(InputError, match=r"endpoints\.OS\.arms\.Isa-Pd: no point of"):
        analyze_study(ICARIA, "OS")
    with pytest.raises(InputError, match="no endpoint 'DFS'"):
        analyze_study(ICARIA, "DFS")


def test_analyze_study_uses_the_reported_landmarks_and_ci_level(views):
    view = copy.deepcopy(views["larynx"])
    view["endpoints"][E]["comparison"]["ci_level"] = 0.9
    table = analyze_study(view).set_index(["arm", "quantity"])
    wide = analyze_study(views["larynx"]).set_index(["arm", "quantity"])
    lower = (None, "HR CI lower")
    assert table.loc[lower, "reconstructed"] > wide.loc[lower, "reconstructed"]
    assert any(q.startswith("survival at ") for _, q in table.index)


def test_analyze_study_of_nothing_reconstructable_says_why():
    data = _bellini_without_deaths()
    del data["endpoints"]["PFS"]
    with pytest.raises(InputError) as info:
        analyze_study(data)
    assert str(info.value) == (
        "no endpoint can be reconstructed (endpoints.OS.arms.Ven-Vd: no point of this arm's "
        "curve is reported (a median reached, or a landmark rate), no other arm has one to "
        "lend its shape through the HR, and no events with a follow-up to fit a constant "
        "hazard to)"
    )


# --------------------------------------------------------------------------- results


def test_check_result_table_repr_and_miss_lines(wrong_hr):
    result = check_study(wrong_hr)
    table = result.table()
    assert list(table.columns[:6]) == [
        "study",
        "endpoint",
        "arm",
        "quantity",
        "published",
        "reconstructed",
    ]
    row = table.set_index("quantity").loc["HR"]
    assert row["status"] == "miss" and row["tolerance"] == "hr" and row["tolerance_value"] == 0.05
    assert (
        row["accepted_lower"]
        < wrong_hr["endpoints"][E]["comparison"]["hr"]
        < row["accepted_upper"] * 2
    )
    assert row["message"] == str(result.misses[0])
    assert repr(result).splitlines()[0].startswith(f"CheckResult({wrong_hr['id']}: ")
    miss = Miss("s", "PFS", None, "p", "<0.001", 0.0067, "p=0.2, accepted up to 0.008")
    assert (
        str(miss)
        == "s PFS p: published <0.001, reconstructed 0.0067 (tolerance p=0.2, accepted up to 0.008)"
    )


def test_hr_blind_holds_the_hr_to_its_own_tolerance():
    study = load_study(paper_view("gbsg2"))
    blind = check_study(study, hr_blind=True)
    hr = blind.table().set_index("quantity").loc["HR"]
    assert hr["tolerance"] == "hr_blind" and hr["status"] == "pass"
    data = paper_view("gbsg2")
    data["endpoints"]["OS"]["comparison"]["hr"] *= 2
    twice = check_study(data, "OS", hr_blind=True)
    assert any(m.quantity == "HR" and "hr_blind=0.4" in m.tolerance for m in twice.misses)


# --------------------------------------------------------------------------- JUnit


def test_junit_report_parses_and_counts(wrong_hr, results):
    failing = check_study(wrong_hr)
    text = junit_xml([failing, results["lung"]])
    root = ET.fromstring(text.encode())
    assert root.tag == "testsuites" and root.get("failures") == str(len(failing.misses))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [wrong_hr["id"], "lung"]
    assert int(suites[0].get("tests")) == len(failing.table())
    failures = suites[0].findall("testcase/failure")
    assert [f.get("message") for f in failures] == [str(m) for m in failing.misses]
    assert suites[1].get("failures") == "0"


def test_check_command_writes_junit_whole(tmp_path, capsys, wrong_hr):
    study = tmp_path / "study.yaml"
    study.write_text(yaml.safe_dump(wrong_hr))
    report = tmp_path / "report.xml"
    assert main(["check", str(study), "--junit", str(report)]) == 1
    root = ET.parse(report).getroot()
    assert root.get("failures") == "1" and root.get("tests") == root.find("testsuite").get("tests")
    assert main(["check", str(study), "-t", "0.3", "--junit", str(report)]) == 0
    assert ET.parse(report).getroot().get("failures") == "0"
    out = capsys.readouterr().out
    assert "tolerance hr = 0.3 (default 0.05; override)" in out
    missing = tmp_path / "nowhere" / "report.xml"
    assert main(["check", str(study), "--junit", str(missing)]) == 2
    assert main(["check", str(study), "--junit", str(study)]) == 2
    assert "refusing to write over an input file" in capsys.readouterr().err
    assert not missing.exists() and yaml.safe_load(study.read_text())["id"] == wrong_hr["id"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.xml", "study.yaml"]


def test_check_command_reports_an_invalid_study_file_in_junit(tmp_path, capsys, wrong_hr):
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(wrong_hr))
    bad = tmp_path / "bad.yaml"
    broken = {**wrong_hr, "id": "bad", "medain": 14, "arms": [{"id": "A"}, {"id": "B", "n": "x"}]}
    bad.write_text(yaml.safe_dump(broken))
    report = tmp_path / "report.xml"
    assert main(["check", str(good), str(bad), "--junit", str(report)]) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and "more problems)" in captured.err
    assert "check of 1 study" in captured.out  # the valid study was still checked
    root = ET.parse(report).getroot()
    assert root.get("errors") == "1" and root.get("failures") == "1"
    (suite,) = [s for s in root.findall("testsuite") if s.get("name") == str(bad)]
    (error,) = suite.findall("testcase/error")
    problems = error.text.splitlines()
    assert len(problems) == 3  # every problem, not "(and 2 more problems)"
    assert any(p.startswith("arms[0].n: required field is missing") for p in problems)
    assert any(p.startswith("arms[1].n: ") for p in problems)
    assert any(p == "medain: unknown field" for p in problems)
    assert error.get("message").startswith(str(bad))
    # without --junit, the first bad file stops the command as before
    assert main(["check", str(bad), str(good)]) == 2
    assert "check of" not in capsys.readouterr().out


def test_assert_reproduces_hides_its_frame_from_pytest(tmp_path, wrong_hr):
    import subprocess
    import sys

    (tmp_path / "study.yaml").write_text(yaml.safe_dump(wrong_hr))
    test = tmp_path / "test_gate.py"
    test.write_text(
        "import mmsurv\n\n\ndef test_gate():\n    mmsurv.assert_reproduces('study.yaml')\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert done.returncode == 1
    assert "mmsurv.assert_reproduces('study.yaml')" in done.stdout
    assert f"AssertionError: {wrong_hr['id']} {E} HR: published" in done.stdout
    assert "check_study(study, endpoint" not in done.stdout  # the library's source is hidden


if __name__ == "__main__":
    pd.set_option("display.width", 200)
    sets = real_datasets()
    digitized = {name: digitized_view(ds) for name, ds in sets.items()}
    summaries = {f"abstract:{n}": abstract_view(ds) for n, ds in sets.items()}
    summaries |= {f"paper:{n}": paper_view(n) for n in VIEWS}
    print("Digitized figures (the defaults), HR-informed:")
    print(worst(measure({n: digitized[n] for n in BAR_DATASETS})).to_string())
    print("\nDigitized figures left out of the defaults:")
    print(worst(measure({n: v for n, v in digitized.items() if n not in BAR_DATASETS})))
    for blind in (False, True):
        print(f"\nSummaries only, {'HR-blind' if blind else 'HR-informed'}:")
        print(worst(measure(summaries, hr_blind=blind)).to_string())
