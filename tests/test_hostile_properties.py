"""Property-based tests of the entry points that take user data: any input ends in a
result or one InputError, never another exception, and a reconstruction from summaries
never leaves a reported median or event count silently unmet."""

import math
import warnings

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from mmsurv import audit, check_study, reconstruct
from mmsurv.cli import main
from mmsurv.curves import read_at_risk, read_curve
from mmsurv.errors import InputError
from mmsurv.study import load_study

FAST = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
SLOW = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

number = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-5, 200).map(str),
    st.decimals(min_value=0, max_value=100, places=3).map(str),
    st.decimals(min_value=0, max_value=1, places=3).map(lambda d: str(d).replace(".", ",")),
)
cell = st.one_of(number, st.sampled_from(["", " ", "X", "Y", "A", "1", "time", "n_risk", "%"]))
row = st.lists(cell, min_size=0, max_size=7)
csv_text = st.tuples(
    st.lists(row, min_size=0, max_size=12),
    st.sampled_from([",", ";", "\t"]),
    st.sampled_from(["utf-8", "utf-16", "cp1252", "utf-8-sig"]),
)


@FAST
@given(csv_text, st.one_of(st.none(), st.sampled_from(["A", "1", 1, "B"])))
def test_any_csv_is_coordinates_or_one_error(tmp_path, data, dataset):
    rows, sep, encoding = data
    path = tmp_path / "any.csv"
    text = "\n".join(sep.join(r) for r in rows)
    try:
        path.write_text(text, encoding=encoding)
    except UnicodeEncodeError:
        assume(False)
    for read in (lambda: read_curve(path, dataset=dataset), lambda: read_at_risk(path)):
        try:
            out = read()
        except InputError as exc:
            assert "\n" not in str(exc)
            continue
        arrays = out if isinstance(out, tuple) else (out,)
        assert all(math.isfinite(v) for a in arrays for v in a.ravel())


@FAST
@given(st.binary(max_size=300))
def test_any_bytes_are_a_study_or_one_error(tmp_path, data):
    path = tmp_path / "any.yaml"
    path.write_bytes(data)
    try:
        load_study(path)
    except InputError as exc:
        assert "\n" not in str(exc)


yaml_piece = st.sampled_from(
    ["id: x\n", "arms: [{id: A, n: 5}]\n", "endpoints: {PFS: {arms: {A: {median: 3}}}}\n",
     "a: &a [1, 2]\n", "b: [*a, *a]\n", "c: *a\n", "[", "]", "{", "}", "- ", "  ", "\n",
     "k: v\n", "k: w\n", "&x ", "*x ", "!!python/object:os.system\n", "? ", ": ", "'", '"',
     "\t", "%YAML 1.1\n", "---\n", "...\n", "<<: *a\n"],
)  # fmt: skip


@FAST
@given(st.lists(yaml_piece, max_size=40))
def test_yaml_fragments_are_a_study_or_one_error(tmp_path, pieces):
    path = tmp_path / "any.yaml"
    path.write_text("".join(pieces))
    try:
        load_study(path)
    except InputError as exc:
        assert "\n" not in str(exc)


@FAST
@given(
    st.lists(
        st.sampled_from(
            ["reconstruct", "check", "analyze", "audit", "plot", "catalog", "-o", "-",
             "--junit", "/dev/null", ".", "", "-e", "PFS", "--hr-blind", "-t", "hr=x",
             "hr=-1", "nan", "--format", "json", "no-such-study", "\x00", "--columns", "0"]
        ),
        max_size=6,
    )
)  # fmt: skip
def test_any_command_line_ends_in_a_status(capsys, argv):
    try:
        status = main(argv)
    except SystemExit as exc:  # argparse: usage errors exit 2, --help 0
        status = exc.code
    assert status in (0, 1, 2)
    assert "Traceback" not in capsys.readouterr().err


@st.composite
def summary_study(draw):
    n = draw(st.integers(1, 60))
    end = draw(st.sampled_from([6.0, 12.0, 24.0, 52.0]))
    arm = {}
    median = draw(
        st.one_of(st.none(), st.just("NR"), st.floats(0.5, end).map(lambda x: round(x, 1)))
    )
    if median is not None:
        arm["median"] = median
    times = draw(st.lists(st.sampled_from([0.0, end / 4, end / 2, end]), max_size=3, unique=True))
    levels = sorted(
        (draw(st.sampled_from([0.0, 0.05, 0.3, 0.5, 0.72, 0.9, 1.0])) for _ in times), reverse=True
    )
    arm["landmarks"] = {
        t: (1.0 if t == 0 else s) for t, s in zip(sorted(times), levels, strict=True)
    }
    if draw(st.booleans()):
        arm["events"] = draw(st.integers(0, n))
    follow = draw(
        st.sampled_from(
            [None, {"max": end}, {"median": end * 0.6}, {"max": end, "median": end / 2}]
        )
    )
    endpoint = {"arms": {"A": arm}}
    if follow:
        endpoint["follow_up"] = follow
    return {"id": "p", "arms": [{"id": "A", "n": n}], "endpoints": {"PFS": endpoint}}


@SLOW
@given(summary_study())
@example(  # KM at 0.5000000000000001 from 42 on: lifelines read it as not reached
    {
        "id": "p",
        "arms": [{"id": "A", "n": 6}],
        "endpoints": {"PFS": {"arms": {"A": {"median": 42.0}}, "follow_up": {"max": 52.0}}},
    }
)
def test_summaries_never_leave_a_median_or_events_silently_unmet(study):
    warnings.simplefilter("ignore")
    try:
        audit(study)
        _, report = reconstruct(study, "PFS")
        result = check_study(study)
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    unkept = report.unkept()
    for miss in result.misses:
        if miss.quantity in ("median", "events"):
            assert ("A", miss.quantity) in unkept and not miss.kept, str(miss)
    for (_, quantity), sentence in unkept.items():
        assert quantity in sentence and "not kept" in sentence


@pytest.mark.parametrize("level", [0.0, 1.0])
def test_landmark_levels_at_the_edge_never_crash(level):
    study = {
        "id": "edge",
        "arms": [{"id": "A", "n": 10}, {"id": "B", "n": 10}],
        "endpoints": {
            "PFS": {
                "follow_up": {"max": 12},
                "arms": {"A": {"landmarks": {6: level}, "events": 10 if level == 0 else 0},
                         "B": {"median": 4}},
                "comparison": {"treatment": "A", "reference": "B", "hr": 0.5, "p": 5e-324},
            }
        },
    }  # fmt: skip
    for hr_blind in (False, True):
        check_study(study, hr_blind=hr_blind)
