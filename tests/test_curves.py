import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmsurv.curves import check_at_risk, clean_curve, read_at_risk, read_curve
from mmsurv.errors import InputError


def test_read_curve_with_header(tmp_path):
    f = tmp_path / "km.csv"
    f.write_text("time,survival\n0,1\n2,0.9\n5,0.7\n")
    arr = read_curve(f)
    assert arr.shape == (3, 2)
    assert arr[2].tolist() == [5.0, 0.7]


def test_read_curve_headerless_and_tabs(tmp_path):
    f = tmp_path / "km.tsv"
    f.write_text("0\t100\n3\t80\n")
    assert read_curve(f).tolist() == [[0.0, 100.0], [3.0, 80.0]]


def test_read_webplotdigitizer_export_all(tmp_path):
    f = tmp_path / "wpd.csv"
    f.write_text("KRd,,VRd,\nX,Y,X,Y\n0,1,0,1\n3,0.9,2,0.8\n6,0.8,,\n")
    assert read_curve(f, dataset="VRd").tolist() == [[0.0, 1.0], [2.0, 0.8]]
    assert read_curve(f, dataset="KRd").shape == (3, 2)
    with pytest.raises(InputError, match="holds 2 datasets"):
        read_curve(f)
    with pytest.raises(InputError, match="'XX' not found"):
        read_curve(f, dataset="XX")


def test_read_curve_names_file_and_line(tmp_path):
    f = tmp_path / "km.csv"
    f.write_text("time,survival\n0,1\n2,abc\n")
    with pytest.raises(InputError) as err:
        read_curve(f)
    assert str(err.value) == f"{f}: line 3: survival 'abc' is not a number"


def test_read_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_curve(tmp_path / "nope.csv")


def test_read_at_risk(tmp_path):
    f = tmp_path / "risk.csv"
    f.write_text("time,n_risk\n0,42\n6,39\n")
    t, n = read_at_risk(f)
    assert t.tolist() == [0, 6] and n.tolist() == [42, 39]
    f.write_text("t,n\n0,42\n")
    with pytest.raises(InputError, match="expected the header 'time,n_risk'"):
        read_at_risk(f)


def test_clean_curve_counts_every_step():
    raw = np.array([[5, 70.0], [0.5, 99.0], [2, 90.0], [2, 90.0], [3, 91.0], [8, 60.0], [9, -0.5]])
    out, log = clean_curve(raw)
    assert log.percent_converted
    assert log.n_duplicates_dropped == 1
    assert log.n_reordered > 0
    assert log.n_clipped == 1
    assert log.n_monotone_adjusted >= 2  # the upward blip at t=3 and its neighbour
    assert log.start_added
    assert out[0].tolist() == [0.0, 1.0]
    assert np.all(np.diff(out[:, 0]) >= 0)
    assert np.all(np.diff(out[:, 1]) <= 0)
    assert log.steps()


def test_clean_curve_leaves_a_clean_curve_alone():
    raw = np.array([[0, 1.0], [1, 0.9], [1, 0.8], [4, 0.8], [4, 0.5]])
    out, log = clean_curve(raw)
    assert np.array_equal(out, raw)
    assert log.steps() == []


def test_upward_blip_does_not_stop_cleaning():
    raw = np.array([[0, 1.0], [1, 0.9], [2, 0.91], [3, 0.8]])
    out, log = clean_curve(raw)
    assert log.n_monotone_adjusted == 2
    assert out[1, 1] == pytest.approx(0.905) and out[2, 1] == pytest.approx(0.905)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([[0, 1.0], [1, np.nan]], "missing or non-finite"),
        ([[0, 1.0], [-1, 0.9]], "negative time"),
        ([[0, 1.0]], "at least two points"),
        ([[0, 1.0], [0, 0.5]], "points after time 0"),
        ([[0, 100.0], [1, 150.0]], "above 100%"),
        ([[0, 1.0], [1, -0.3]], "is negative"),
    ],
)
def test_clean_curve_refusals(raw, message):
    with pytest.raises(InputError, match=message):
        clean_curve(np.array(raw, dtype=float))


@pytest.mark.parametrize(
    ("times", "counts", "message"),
    [
        ([0, 6, 12], [42, 39, 40], r"n\[2\]: 40 at risk is more than the 39"),
        ([0, 6, 9], [42, 30, 33], r"n\[2\]: 33 at risk is more than the 30"),
        ([0, 6, 6], [42, 30, 20], r"times\[2\]: time 6 is not after"),
        ([0, -6], [42, 30], r"times\[1\]: negative time"),
        ([0, 6], [42, 30.5], r"n\[1\]: 30.5 is not a whole number"),
        ([0, 6], [42, np.nan], r"n\[1\]: missing"),
    ],
)
def test_at_risk_refusals(times, counts, message):
    with pytest.raises(InputError, match=message):
        check_at_risk(times, counts, n=42, curve_end=20.0)


def test_at_risk_exceeding_n():
    with pytest.raises(InputError, match=r"n\[0\]: 50 exceeds the arm size n = 42"):
        check_at_risk([3, 6], [50, 30], n=42)


def test_at_risk_repairs_are_noted():
    table = check_at_risk([6, 12, 24], [30, 20, 0], n=42, curve_end=20.0)
    assert table.time.tolist() == [0, 6, 12]
    assert table.n_risk.tolist() == [42, 30, 20]
    assert len(table.notes) == 2


coords = st.lists(
    st.tuples(
        st.floats(-5, 100) | st.sampled_from([np.nan, np.inf]),
        st.floats(-10, 120) | st.sampled_from([np.nan, -np.inf]),
    ),
    min_size=0,
    max_size=30,
)


@settings(max_examples=200, deadline=None)
@given(coords)
def test_clean_curve_returns_a_valid_curve_or_input_error(points):
    arr = np.array(points, dtype=float).reshape(-1, 2)
    try:
        out, _ = clean_curve(arr)
    except InputError:
        return
    assert out[0].tolist() == [0.0, 1.0]
    assert np.all(np.diff(out[:, 0]) >= 0)
    assert np.all(np.diff(out[:, 1]) <= 1e-12)
    assert np.all((out[:, 1] >= 0) & (out[:, 1] <= 1))
    again, _ = clean_curve(arr)
    assert np.array_equal(out, again)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_read_curve_arbitrary_text(tmp_path_factory, text):
    f = tmp_path_factory.mktemp("c") / "x.csv"
    f.write_text(text, encoding="utf-8")
    try:
        arr = read_curve(f)
    except InputError:
        return
    assert arr.ndim == 2 and arr.shape[1] == 2
