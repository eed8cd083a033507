import copy

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import mmsurv
from mmsurv.errors import InputError
from mmsurv.study import catalog_ids, load_study

BASE = {
    "id": "demo",
    "time_unit": "months",
    "arms": [{"id": "A", "n": 42, "label": "Treatment"}, {"id": "B", "n": 38}],
    "endpoints": {
        "PFS": {
            "follow_up": {"max": 18, "median": None},
            "arms": {
                "A": {
                    "median": 14,
                    "median_ci": [10.2, "NE"],
                    "events": 20,
                    "landmarks": {12: 0.6, 6: {"survival": 0.8, "ci": [0.7, 0.9]}},
                    "curve": [[0, 1], [6, 0.8], [12, 0.6], [18, 0.4]],
                    "at_risk": {"times": [0, 6, 12], "n": [42, 33, 24]},
                },
                "B": {"median": "NR"},
            },
            "comparison": {
                "treatment": "A",
                "reference": "B",
                "hr": 0.712,
                "hr_ci": [0.583, 0.874],
                "p": "<0.001",
                "logrank_chi2": 7.345,
                "adjusted": True,
            },
        }
    },
}


def modified(path, value):
    data = copy.deepcopy(BASE)
    node = data
    for key in path[:-1]:
        node = node[key]
    if value is KeyError:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data


def test_loads_every_field():
    study = load_study(BASE)
    ep = study.endpoint("PFS")
    a = ep.arms["A"]
    assert a.median == 14 and a.median_ci == (10.2, None)
    assert a.landmarks[6].ci == (0.7, 0.9) and a.landmarks[12].survival == 0.6
    assert a.curve.to_array().shape == (4, 2)
    assert a.at_risk.n == (42, 33, 24)
    assert ep.arms["B"].median_reached is False
    assert ep.comparison.p.relation == "<" and ep.comparison.p.value == 0.001
    assert ep.comparison.ci_level == 0.95
    assert study.arm("A").name == "Treatment" and study.arm("B").name == "B"


def test_arm_needs_only_id_and_n():
    study = load_study(
        {"id": "x", "arms": [{"id": "A", "n": 5}], "endpoints": {"OS": {"arms": {"A": None}}}}
    )
    assert study.endpoint("OS").arms["A"].median is None


def test_buildable_from_python_objects():
    study = mmsurv.Study(
        id="py",
        arms=[mmsurv.study.Arm(id="A", n=10)],
        endpoints={
            "OS": mmsurv.study.Endpoint(arms={"A": {"curve": np.array([[0, 1], [5, 0.5]])}})
        },
    )
    assert study.endpoint("OS").arms["A"].curve.time == (0.0, 5.0)


def test_yaml_file_with_relative_csvs(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.csv").write_text("time,survival\n0,100\n6,80\n12,60\n")
    (tmp_path / "data" / "a_risk.csv").write_text("time,n_risk\n0,42\n6,33\n")
    data = modified(["endpoints", "PFS", "arms", "A", "curve"], "data/a.csv")
    data["endpoints"]["PFS"]["arms"]["A"]["at_risk"] = "data/a_risk.csv"
    f = tmp_path / "study.yaml"
    f.write_text(yaml.safe_dump(data))
    study = load_study(f)
    res = study.endpoint("PFS").arms["A"]
    assert res.curve.survival[1] == 80.0 and res.curve.source == "data/a.csv"
    assert res.at_risk.n == (42, 33)
    assert study.path == str(f)


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (
            ["endpoints", "PFS", "arms", "A", "at_risk", "n"],
            [42, 33, 40],
            "endpoints.PFS.arms.A.at_risk.n[2]: 40 at risk is more than the 33",
        ),
        (
            ["endpoints", "PFS", "arms", "A", "at_risk", "n"],
            [42, 50, 40],
            "endpoints.PFS.arms.A.at_risk.n[1]: 50 exceeds the arm size n = 42",
        ),
        (
            ["endpoints", "PFS", "arms", "A", "events"],
            43,
            "endpoints.PFS.arms.A.events: 43 events exceed the arm size n = 42",
        ),
        (
            ["endpoints", "PFS", "arms", "A", "medain"],
            3,
            "endpoints.PFS.arms.A.medain: unknown field",
        ),
        (
            ["endpoints", "PFS", "arms", "A", "median"],
            -1,
            "endpoints.PFS.arms.A.median: expected a positive number, 'NR' (not reached; "
            "also NE, N.E., 'not reached') or null, got -1",
        ),
        (
            ["endpoints", "PFS", "arms", "C"],
            {},
            "endpoints.PFS.arms.C: no arm 'C' in the study (arms: A, B)",
        ),
        (
            ["endpoints", "PFS", "comparison", "reference"],
            "A",
            "endpoints.PFS.comparison: treatment and reference are the same arm",
        ),
        (
            ["endpoints", "PFS", "comparison", "p"],
            "about .05",
            "endpoints.PFS.comparison.p: 'about .05' is not a p-value",
        ),
        (
            ["endpoints", "PFS", "comparison", "hr_ci"],
            [0.9, 0.5],
            "endpoints.PFS.comparison: hr_ci lower bound 0.9 is above the upper 0.5",
        ),
        (["arms", 0, "n"], 0, "arms[0].n: Input should be greater than or equal to 1"),
        (["arms", 1, "n"], True, "arms[1].n: expected a number, got True"),
        (["arms"], KeyError, "arms: required field is missing"),
        (["time_unit"], "hours", "time_unit: Input should be 'months', 'weeks', 'days' or 'years'"),
        (["id"], "bad id!", "id: 'bad id!' is not a slug"),
        (
            ["endpoints", "PFS", "arms", "A", "landmarks"],
            {12: 1.5},
            "endpoints.PFS.arms.A.landmarks[12].survival: Input should be less than or equal to 1",
        ),
        (
            ["endpoints", "PFS", "arms", "A", "curve"],
            [[0, 1], [-1, 0.5]],
            "endpoints.PFS.arms.A.curve: point 1 has a negative time -1",
        ),
        (
            ["endpoints", "PFS", "arms", "A", "curve"],
            "missing.csv",
            "endpoints.PFS.arms.A.curve: missing.csv: no such file",
        ),
        (["source"], "a paper", "source: expected a mapping or a list (got 'a paper')"),
        (
            ["endpoints", "PFS", "arms", "A", "landmarks"],
            {12: [0.8]},
            "endpoints.PFS.arms.A.landmarks[12]: expected a survival fraction or {survival",
        ),
        (
            ["endpoints", "PFS", "arms", "A", "median_ci"],
            3,
            "endpoints.PFS.arms.A.median_ci: expected a list (got 3)",
        ),
        (
            ["endpoints", "PFS", "arms", "A", "events"],
            "many",
            "endpoints.PFS.arms.A.events: expected a whole number (got 'many')",
        ),
    ],
)
def test_errors_name_field_and_problem(path, value, expected):
    with pytest.raises(InputError) as err:
        load_study(modified(path, value))
    message = str(err.value)
    assert message.startswith(expected), message
    assert "\n" not in message


def test_errors_name_the_file(tmp_path):
    f = tmp_path / "s.yaml"
    f.write_text(yaml.safe_dump(modified(["endpoints", "PFS", "arms", "A", "events"], 99)))
    with pytest.raises(InputError) as err:
        load_study(f)
    assert str(err.value).startswith(f"{f}: endpoints.PFS.arms.A.events: 99 events exceed")


def test_bad_yaml_and_missing_file(tmp_path):
    f = tmp_path / "s.yaml"
    f.write_text("id: [unclosed\n")
    with pytest.raises(InputError, match=r"s.yaml: line \d+: "):
        load_study(f)
    f.write_text("- just a list\n")
    with pytest.raises(InputError, match="expected a mapping of study fields"):
        load_study(f)
    with pytest.raises(InputError, match="no such file"):
        load_study(tmp_path / "absent.yaml")
    with pytest.raises(InputError, match="no catalog study with this id"):
        load_study("not-a-study-id")


def test_unsafe_yaml_is_not_executed(tmp_path):
    f = tmp_path / "s.yaml"
    f.write_text("id: !!python/object/apply:os.system ['echo hi']\n")
    with pytest.raises(InputError):
        load_study(f)


def test_unknown_endpoint_lists_the_names():
    with pytest.raises(InputError, match=r"no endpoint 'OS' \(endpoints: PFS\)"):
        load_study(BASE).endpoint("OS")


def test_catalog_and_extra_catalog_folder(tmp_path, monkeypatch):
    assert "niu-2026-krd-vs-vrd" in catalog_ids()
    (tmp_path / "mine.yaml").write_text(yaml.safe_dump({**BASE, "id": "mine"}))
    monkeypatch.setenv("MMSURV_CATALOG", str(tmp_path))
    assert "mine" in catalog_ids()
    assert load_study("mine").id == "mine"


def test_carfilzomib_cohort_in_catalog():
    study = load_study("niu-2026-krd-vs-vrd")
    assert [(a.id, a.n) for a in study.arms] == [("KRd", 42), ("VRd", 38)]
    pfs, os_ = study.endpoint("PFS"), study.endpoint("OS")
    assert (pfs.comparison.hr, pfs.comparison.hr_ci) == (0.712, (0.583, 0.874))
    assert (os_.comparison.hr, os_.comparison.hr_ci) == (0.627, (0.504, 0.779))
    assert pfs.comparison.logrank_chi2 == 7.345 and os_.comparison.logrank_chi2 == 18.798
    assert pfs.arms["KRd"].median == 14 and os_.arms["VRd"].median == 14
    assert pfs.comparison.adjusted is True and pfs.follow_up.max == 18


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 100) | st.floats(-1, 100) | st.text(max_size=6),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_arbitrary_documents_load_or_fail_cleanly(data):
    doc = copy.deepcopy(BASE)
    # Replace one field somewhere in the document with an arbitrary value.
    paths = [
        ["id"],
        ["arms"],
        ["arms", 0],
        ["arms", 0, "n"],
        ["endpoints"],
        ["endpoints", "PFS"],
        ["endpoints", "PFS", "arms", "A"],
        ["endpoints", "PFS", "arms", "A", "curve"],
        ["endpoints", "PFS", "arms", "A", "at_risk"],
        ["endpoints", "PFS", "arms", "A", "landmarks"],
        ["endpoints", "PFS", "comparison"],
        ["endpoints", "PFS", "comparison", "p"],
        ["endpoints", "PFS", "follow_up"],
        ["endpoints", "PFS", "arms", "A", "median_ci"],
    ]
    path = data.draw(st.sampled_from(paths))
    doc = modified(path, data.draw(json_values))
    try:
        study = load_study(doc)
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    assert study.id and study.arms


def test_a_value_with_a_line_break_gives_a_one_line_error():
    """A curve given as a file name that is a line break (found by the property test
    above): the message escapes it, as Python writes it, and stays on one line."""
    doc = modified(["endpoints", "PFS", "arms", "A", "curve"], "\n")
    with pytest.raises(InputError) as info:
        load_study(doc)
    assert str(info.value) == "endpoints.PFS.arms.A.curve: \\n: no such file"


# --------------------------------------------------------------------------- check: block


def with_check(block):
    return {**copy.deepcopy(BASE), "check": block}


def test_check_block_loads_tolerances_and_notes():
    study = load_study(
        with_check(
            {
                "tolerances": {"hr": 0.1, "median": 1},
                "notes": [
                    {"endpoint": "PFS", "reason": "adjusted HR"},
                    {"endpoint": "PFS", "arm": "A", "quantity": "survival at 12.0", "reason": "r"},
                    {"endpoint": "PFS", "quantity": "HR CI upper", "reason": "r"},
                ],
            }
        )
    )
    assert study.check.tolerances == {"hr": 0.1, "median": 1.0}
    notes = study.check.notes
    assert notes[1].quantity == "survival at 12"  # as the published table names it
    assert notes[0].covers("PFS", None, "HR") and notes[0].covers("PFS", "A", "median")
    assert notes[1].covers("PFS", "A", "survival at 12")
    assert not notes[1].covers("PFS", "B", "survival at 12")
    assert notes[2].covers("PFS", None, "HR CI upper") and not notes[2].covers(
        "OS", None, "HR CI upper"
    )
    assert load_study(with_check({})).check.notes == ()
    assert load_study(BASE).check is None


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        (
            {"notes": [{"endpoint": "OS", "reason": "r"}]},
            "check.notes[0].endpoint: no endpoint 'OS' (endpoints: PFS)",
        ),
        (
            {
                "notes": [
                    {"endpoint": "PFS", "reason": "r"},
                    {"endpoint": "PFS", "arm": "C", "reason": "r"},
                ]
            },
            "check.notes[1].arm: PFS reports no arm 'C' (arms: A, B)",
        ),
        (
            {"notes": [{"endpoint": "PFS", "quantity": "medain", "reason": "r"}]},
            "check.notes[0].quantity: 'medain' is not a published quantity (one of median, ",
        ),
        (
            {"notes": [{"endpoint": "PFS", "arm": "A", "quantity": "HR", "reason": "r"}]},
            "check.notes[0].quantity: 'HR' is a number of the comparison: name no arm",
        ),
        (
            {"notes": [{"endpoint": "PFS", "quantity": "survival at soon", "reason": "r"}]},
            "check.notes[0].quantity: 'survival at soon': 'soon' is not a landmark time",
        ),
        ({"notes": [{"endpoint": "PFS"}]}, "check.notes[0].reason: required field is missing"),
        (
            {"notes": [{"endpoint": "PFS", "reason": "  "}]},
            "check.notes[0].reason: the reason is empty",
        ),
        (
            {"notes": [{"endpoint": "PFS", "reason": "r", "why": 1}]},
            "check.notes[0].why: unknown field",
        ),
        (
            {"tolerances": {"hrr": 0.1}},
            "check.tolerances: unknown tolerance 'hrr' (known: hr, hr_blind, ",
        ),
        (
            {"tolerances": {"hr": -1}},
            "check.tolerances.hr: Input should be greater than or equal to 0",
        ),
        ({"tolerances": {"hr": True}}, "check.tolerances.hr: expected a number, got True"),
        ({"tolerance": {"hr": 0.1}}, "check.tolerance: unknown field"),
    ],
)
def test_check_block_errors_name_the_field(block, expected):
    with pytest.raises(InputError) as err:
        load_study(with_check(block))
    assert str(err.value).startswith(expected), str(err.value)
    assert "\n" not in str(err.value)


note_fields = st.fixed_dictionaries(
    {},
    optional={
        "endpoint": st.sampled_from(["PFS", "OS"]) | json_values,
        "arm": st.sampled_from(["A", "B", "C", None]) | json_values,
        "quantity": st.sampled_from(
            ["median", "HR", "p", "survival at 12", "survival at x CI lower", "events"]
        )
        | json_values,
        "reason": st.text(max_size=5) | json_values,
        "extra": json_values,
    },
)
check_blocks = st.fixed_dictionaries(
    {},
    optional={
        "tolerances": st.dictionaries(
            st.sampled_from(["hr", "median", "p", "x"]) | st.text(max_size=4),
            json_values,
            max_size=3,
        )
        | json_values,
        "notes": st.lists(note_fields, max_size=3) | json_values,
        "other": json_values,
    },
)


@settings(max_examples=300, deadline=None)
@given(check_blocks | json_values)
def test_arbitrary_check_blocks_load_or_fail_cleanly(block):
    try:
        study = load_study(with_check(block))
    except InputError as exc:
        assert "\n" not in str(exc) and exc.field.startswith("check"), str(exc)
        return
    assert block is None or study.check is not None


def test_a_study_built_directly_checks_its_fields_across_each_other():
    """The cross-field checks run however the study is built, not only when loaded."""
    from mmsurv.study import Study

    fields = {
        "id": "direct",
        "arms": [{"id": "A", "n": 3}, {"id": "B", "n": 3}],
        "endpoints": {
            "OS": {
                "arms": {"A": {"median": 2}},
                "comparison": {"treatment": "A", "reference": "C", "hr": 0.5},
            }
        },
    }
    with pytest.raises(ValueError, match=r"endpoints\.OS\.comparison\.reference: no arm 'C'"):
        Study(**fields)
    with pytest.raises(ValueError, match="4 events exceed the arm size n = 3"):
        Study.model_validate({**fields, "endpoints": {"OS": {"arms": {"A": {"events": 4}}}}})
