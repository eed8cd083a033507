"""Draws of plausible IPD (draws.py) and their intervals (uncertainty.py)."""

import itertools
import math
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from simulated import weibull_arm

import mmsurv
from mmsurv.cli import main
from mmsurv.draws import click_error, draw_arrays, perturb_study
from mmsurv.errors import InputError
from mmsurv.km import km_curve, step_values
from mmsurv.printed import printed as printed_interval
from mmsurv.study import load_study
from mmsurv.uncertainty import central_interval, draw_intervals, km_band, logrank_chi2, rmst
from mmsurv.validation import digitize

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "rossi" / "study.yaml"
SUMMARIES = "niu-2026-krd-vs-vrd"


def test_draw_zero_is_the_point_reconstruction_and_seeds_repeat():
    point, _ = mmsurv.reconstruct(EXAMPLE, "rearrest")
    ipd, report = mmsurv.reconstruct(EXAMPLE, "rearrest", draws=4, seed=3)
    assert list(ipd.columns) == ["draw", "arm", "time", "event"]
    assert ipd["draw"].tolist() == sorted(ipd["draw"].tolist())
    first = ipd[ipd["draw"] == 0].drop(columns="draw").reset_index(drop=True)
    assert first.equals(point)
    assert (ipd.groupby(["draw", "arm"]).size() == 216).all()
    again, _ = mmsurv.reconstruct(EXAMPLE, "rearrest", draws=4, seed=3)
    assert again.equals(ipd)
    other, _ = mmsurv.reconstruct(EXAMPLE, "rearrest", draws=4, seed=4)
    assert not other.equals(ipd)
    # the other draws differ from the point, yet keep the reported events
    assert not ipd[ipd["draw"] == 1]["time"].reset_index(drop=True).equals(point["time"])
    events = ipd.groupby(["draw", "arm"])["event"].sum().unstack()
    assert (events["aid"] == 48).all() and (events["no_aid"] == 66).all()
    assert report["aid"].events_reported == 48


@pytest.mark.parametrize("case", ["at_risk_events", "events"])
def test_every_draw_keeps_the_reported_totals(datasets, case):
    """A drawn censoring pattern can leave the lung curves more or fewer events than
    reported (before the draws were conditioned on the totals, 42% of the draws of the
    men's arm with a table, and up to 6 events off without one)."""
    from draw_calibration import case_study

    from mmsurv.validation import ABSTRACT_ENDPOINT

    mapping, _ = case_study(datasets["lung"], case, seed=2012)
    study = load_study(mapping)
    sets, report = draw_arrays(study, ABSTRACT_ENDPOINT, 40, seed=2012)
    for arm_id, res in study.endpoint(ABSTRACT_ENDPOINT).arms.items():
        assert report[arm_id].events_missed == 0
        assert [int(draw[arm_id].event.sum()) for draw in sets] == [res.events] * 40
        # and they are draws, not the point repeated
        assert len({draw[arm_id].time.tobytes() for draw in sets}) > 30


def test_a_draw_does_not_depend_on_how_many_are_made():
    study = load_study(EXAMPLE)
    few, _ = draw_arrays(study, "rearrest", 3, seed=9)
    many, _ = draw_arrays(study, "rearrest", 6, seed=9)
    for k in range(3):
        for arm in few[k]:
            assert np.array_equal(few[k][arm].time, many[k][arm].time)


@pytest.mark.parametrize("draws", [0, -1, 2.5, True, "3"])
def test_bad_number_of_draws_is_one_input_error(draws):
    with pytest.raises(InputError, match="draws must be a whole number"):
        mmsurv.reconstruct(EXAMPLE, "rearrest", draws=draws)


@pytest.mark.parametrize("seed", [-1, 1.5, None, True, "2"])
def test_bad_seed_is_one_input_error(seed):
    with pytest.raises(InputError, match="seed must be a whole number of at least 0"):
        mmsurv.reconstruct(EXAMPLE, "rearrest", draws=2, seed=seed)


@pytest.mark.parametrize("level", [0, 1, 95, 1.5, float("nan"), "0.9", True])
def test_bad_interval_level_is_one_input_error(level):
    with pytest.raises(InputError, match="level: must be a number between 0 and 1"):
        draw_intervals(EXAMPLE, "rearrest", draws=2, level=level)


@pytest.mark.parametrize("command", ["reconstruct", "analyze", "plot"])
def test_cli_bad_seed_is_a_usage_error(command, capsys):
    with pytest.raises(SystemExit) as exc:
        main([command, str(EXAMPLE), "--draws", "3", "--seed", "-1"])
    assert exc.value.code == 2
    assert "-1 is below 0" in capsys.readouterr().err


def test_summary_draws_stay_within_the_printed_rounding():
    study = load_study(SUMMARIES)
    rng = np.random.default_rng(0)
    for _ in range(20):
        drawn = perturb_study(study, "PFS", rng)
        for arm_id, res in study.endpoint("PFS").arms.items():
            new = drawn.endpoint("PFS").arms[arm_id]
            lo, hi = printed_interval(res.median_value)
            assert lo <= new.median <= hi and new.median != res.median
            for t, lm in res.landmarks.items():
                lo, hi = printed_interval(lm.survival, 0.0, 1.0)
                assert lo <= new.landmarks[t].survival <= hi
            assert new.events == res.events
        lo, hi = printed_interval(study.endpoint("PFS").comparison.hr)
        assert lo <= drawn.endpoint("PFS").comparison.hr <= hi
        assert drawn.endpoint("OS") is study.endpoint("OS")


@settings(max_examples=15, deadline=None)
@given(
    median=st.floats(3.0, 40.0).map(lambda x: round(x, 1)),
    ratio=st.floats(0.5, 1.5),
    n=st.integers(20, 120),
    draws=st.integers(1, 4),
    seed=st.integers(0, 2**16),
)
def test_summary_draws_of_any_plausible_abstract(median, ratio, n, draws, seed):
    study = load_study(
        {
            "id": "drawn",
            "arms": [{"id": "A", "n": n}, {"id": "B", "n": n}],
            "endpoints": {
                "OS": {
                    "follow_up": {"max": round(3 * median, 1)},
                    "arms": {"A": {"median": median}, "B": {"median": round(median * ratio, 1)}},
                    "comparison": {"treatment": "A", "reference": "B", "hr": 0.8},
                }
            },
        }
    )
    for hr_blind in (False, True):
        sets, _ = draw_arrays(study, "OS", draws, seed=seed, hr_blind=hr_blind)
        assert len(sets) == draws
        for arms in sets:
            assert {a: arm.time.size for a, arm in arms.items()} == {"A": n, "B": n}
            assert all(np.all(np.diff(arm.time) >= 0) for arm in arms.values())


@settings(max_examples=15, deadline=None)
@given(
    n=st.integers(20, 200),
    noise=st.floats(0.0, 0.01),
    seed=st.integers(0, 2**16),
)
def test_curve_draws_of_any_digitized_arm(n, noise, seed):
    time, event = weibull_arm(n, seed)
    clicks = digitize(
        time, event, rng=np.random.default_rng(seed), time_noise=noise, surv_noise=noise
    )
    study = load_study(
        {
            "id": "drawn",
            "arms": [{"id": "A", "n": n}],
            "endpoints": {
                "OS": {"arms": {"A": {"curve": clicks.tolist(), "events": int(event.sum())}}}
            },
        }
    )
    sets, _ = draw_arrays(study, "OS", 3, seed=seed)
    for arms in sets:
        assert arms["A"].time.size == n
        assert np.all(arms["A"].time >= 0)


def test_rmst_and_logrank_agree_with_lifelines():
    from lifelines import KaplanMeierFitter
    from lifelines.statistics import logrank_test
    from lifelines.utils import restricted_mean_survival_time

    t1, e1 = weibull_arm(150, 1)
    t0, e0 = weibull_arm(130, 2)
    kmf = KaplanMeierFitter().fit(t1, e1)
    assert rmst(t1, e1, 30.0) == pytest.approx(restricted_mean_survival_time(kmf, t=30.0))
    time = np.concatenate([t1, t0])
    event = np.concatenate([e1, e0])
    group = np.concatenate([np.ones(t1.size), np.zeros(t0.size)])
    expected = logrank_test(t1, t0, e1, e0).test_statistic
    assert logrank_chi2(time, event, group) == pytest.approx(expected, rel=1e-9)


def test_central_interval_keeps_not_reached_as_infinite():
    values = np.array([10.0, 11.0, 12.0, np.inf, np.inf, np.nan])
    lo, hi = central_interval(values, 0.5)
    assert lo == 11.0 and math.isinf(hi)
    assert all(math.isnan(x) for x in central_interval(np.array([np.nan])))


def test_draw_intervals_say_what_they_are_and_flag_a_number_out_of_line():
    result = draw_intervals(SUMMARIES, "PFS", draws=12, seed=1)
    assert "reconstruction uncertainty, not sampling" in repr(result)
    table = result.table()
    hr = table[table["quantity"] == "hr"].iloc[0]
    assert hr["draws_lo"] <= hr["draws_hi"]
    assert hr["cox_ci_lo"] < hr["point"] < hr["cox_ci_hi"]
    # the Cox CI (sampling) is far wider than the draws' interval of an HR-informed arm
    assert hr["cox_ci_hi"] - hr["cox_ci_lo"] > 10 * (hr["draws_hi"] - hr["draws_lo"])
    medians = table[table["quantity"] == "median"]
    assert not medians["out_of_line"].any()
    chi2 = table[table["quantity"] == "logrank chi2"].iloc[0]
    # a chi-square of 7.3 printed beside an HR of 0.71 from 80 patients: no draw meets it
    assert chi2["out_of_line"] and chi2["draws_hi"] < 7.3


def test_cli_reconstruct_draws(tmp_path, capsys):
    out = tmp_path / "draws.csv"
    assert main(["reconstruct", str(EXAMPLE), "--draws", "3", "--seed", "2", "-o", str(out)]) == 0
    lines = out.read_text().splitlines()
    assert lines[0] == "draw,arm,time,event"
    assert len(lines) == 1 + 3 * 432
    assert {line.split(",")[0] for line in lines[1:]} == {"0", "1", "2"}
    again = tmp_path / "again.csv"
    assert main(["reconstruct", str(EXAMPLE), "--draws", "3", "--seed", "2", "-o", str(again)]) == 0
    assert again.read_bytes() == out.read_bytes()
    capsys.readouterr()
    assert main(["reconstruct", SUMMARIES, "--draws", "2"]) == 0
    assert capsys.readouterr().out.startswith("draw,endpoint,arm,time,event\n0,PFS,")


def test_cli_bad_draws_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["reconstruct", str(EXAMPLE), "--draws", "0"])
    assert exc.value.code == 2
    assert "--draws: 0 is below 1" in capsys.readouterr().err


def test_cli_analyze_draws(capsys):
    assert main(["analyze", SUMMARIES, "-e", "PFS", "--draws", "8"]) == 0
    out = capsys.readouterr().out
    assert "reconstruction uncertainty, not sampling error" in out
    assert "Cox CI [" in out
    assert main(["analyze", SUMMARIES, "-e", "PFS", "--draws", "4", "--format", "csv"]) == 0
    csv = capsys.readouterr().out
    assert "endpoint,quantity,arm,published,point,draws_lo,draws_hi" in csv


def test_km_band_holds_the_point_curve_and_narrows_with_a_table():
    study = load_study(EXAMPLE)
    sets, _ = draw_arrays(study, "rearrest", 30, seed=1)
    grid = np.linspace(0.0, 52.0, 105)
    lo, hi = km_band(sets, "aid", grid)
    point = step_values(*km_curve(sets[0]["aid"].time, sets[0]["aid"].event), grid)
    assert np.all(lo <= hi) and np.all(lo <= point + 1e-12) and np.all(point <= hi + 1e-12)
    assert 0 < np.max(hi - lo) < 0.05


def test_cli_check_draws_is_a_complement(capsys):
    assert main(["check", SUMMARIES, "-e", "PFS", "--draws", "6"]) == 0
    out = capsys.readouterr().out
    assert "out of line with 6 draws" in out and "not part of the exit status" in out
    assert "logrank chi2 KRd vs VRd: published 7.345" in out


def test_censoring_rows_keep_the_table_and_the_censored_counts():
    from mmsurv._guyot import ArmIPD
    from mmsurv.draws import CENSORING_PARTS, censoring_rows

    time, event = weibull_arm(300, 11)
    order = np.argsort(time)
    arm = ArmIPD(time=time[order], event=event[order])
    bounds = np.array([0.0, 12.0, 24.0, 36.0, float(time.max())])
    pairs = list(itertools.pairwise(bounds))
    rng = np.random.default_rng(0)
    for tabled in (True, False):
        cuts, n_risk = censoring_rows(arm, bounds, rng, tabled=tabled)
        # rows only in the intervals with censored patients (follow-up starts at 24)
        censored = np.array(
            [np.sum((arm.event == 0) & (arm.time >= a) & (arm.time < b)) for a, b in pairs]
        )
        assert censored.tolist()[:2] == [0, 0] and np.all(censored[2:] > 0)
        assert cuts.size == n_risk.size == 2 * (CENSORING_PARTS - 1)
        assert np.all(np.diff(cuts) > 0)
        # at each cut, at most the patients without an event before it, at least those
        # still observed at the next bound
        starts = np.repeat(bounds[2:-1], CENSORING_PARTS - 1)
        ends = np.repeat(bounds[3:], CENSORING_PARTS - 1)
        events_before = np.array([np.sum((arm.event == 1) & (arm.time < c)) for c in cuts])
        at_start = np.array([np.sum(arm.time >= s) for s in starts])
        cens_before_start = (
            300 - at_start - np.array([np.sum((arm.event == 1) & (arm.time < s)) for s in starts])
        )
        assert np.all(n_risk <= 300 - events_before - cens_before_start)
        assert np.all(n_risk >= np.array([np.sum(arm.time >= e) for e in ends]))
        assert np.all(np.diff(n_risk) <= 0)


def test_a_modelled_censoring_pattern_is_as_sure_for_a_large_arm_as_for_a_small_one():
    """Without a table, the point's censoring pattern comes from a model: the drawn
    patterns spread about as widely whatever the arm's size (a Dirichlet of
    MODEL_CONCENTRATION pseudo-patients; the smaller arm adds the multinomial's noise),
    unlike a pattern read off censor marks, whose censored patients count as
    observations and narrow it as the arm grows."""
    from mmsurv._guyot import ArmIPD
    from mmsurv.draws import CENSORING_PARTS, MODEL_CONCENTRATION, censoring_rows

    def spread(n: int, concentration: float | None) -> float:
        time, event = weibull_arm(n, 11)
        order = np.argsort(time)
        arm = ArmIPD(time=time[order], event=event[order])
        bounds = np.array([0.0, float(time.max())])
        rng = np.random.default_rng(0)
        first = [
            censoring_rows(arm, bounds, rng, tabled=False, concentration=concentration)[1][0]
            for _ in range(300)
        ]
        return float(np.std(first)) / np.count_nonzero(event == 0)  # a share of the censored

    assert MODEL_CONCENTRATION == 4 * CENSORING_PARTS
    small, large = spread(100, MODEL_CONCENTRATION), spread(1000, MODEL_CONCENTRATION)
    # measured 0.077 and 0.048 of the censored patients; counted, 0.089 and 0.009
    assert 0.5 < large / small < 1.5
    assert spread(1000, None) < large / 4


def test_draw_intervals_are_public_and_match_the_cli(capsys):
    """``mmsurv.draw_intervals`` is what ``analyze --draws`` prints, number for number."""
    result = mmsurv.draw_intervals(EXAMPLE, "rearrest", draws=6, seed=2)
    assert isinstance(result, mmsurv.DrawIntervals)
    assert "reconstruction uncertainty, not sampling error" in repr(result)
    with pytest.raises(AttributeError):
        result.draws = 3  # frozen
    assert main(["analyze", str(EXAMPLE), "-e", "rearrest", "--draws", "6", "--seed", "2"]) == 0
    out = capsys.readouterr().out
    assert "\n".join(result.lines()) in out


def test_plot_km_draws_the_band_of_the_draws():
    import matplotlib

    matplotlib.use("Agg")
    from mmsurv.analysis import analyze
    from mmsurv.plotting import plot_km

    study = load_study(EXAMPLE)
    ipd, _ = mmsurv.reconstruct(study, "rearrest")
    draws, _ = mmsurv.reconstruct(study, "rearrest", draws=20, seed=1)
    result = analyze(ipd, time_unit=study.time_unit)
    ax = plot_km(result, ipd=ipd, study=study, endpoint="rearrest", band=draws, ci=False)
    bands = [c for c in ax.collections if c.get_gid() == "km-draws"]
    assert len(bands) == ipd["arm"].nunique()
    # the band holds the point reconstruction's curve (draw 0 is one of the draws), and
    # it is narrow with a table: within 0.1 up to the last table time
    for arm_id in ipd["arm"].unique():
        grid = np.linspace(0, 48, 50)
        point = step_values(*km_curve(*_arm(ipd, arm_id)), grid)
        lo, hi = km_band([_sets(draws, k) for k in range(20)], arm_id, grid)
        assert np.all(lo <= point + 1e-12) and np.all(point <= hi + 1e-12)
        assert float(np.max(hi - lo)) < 0.1
    with pytest.raises(InputError, match="band"):
        plot_km(result, ipd=ipd, band=ipd)  # no draw column
    legend = [t.get_text() for t in ax.figure.legends[0].get_texts()] if ax.figure.legends else []
    legend += [t.get_text() for t in ax.get_legend().get_texts()] if ax.get_legend() else []
    assert "Draws, all 20 (reconstruction)" in legend  # too few draws for a 95% band


def test_the_drawn_band_holds_the_point_curve_at_every_time():
    """The band is drawn as its envelope over cells of time: the point reconstruction's
    curve (draw 0) stays inside it just before and after every drop, not only on a grid."""
    import matplotlib

    matplotlib.use("Agg")
    from mmsurv.analysis import analyze
    from mmsurv.plotting import plot_km

    study = load_study(EXAMPLE)
    ipd, _ = mmsurv.reconstruct(study, "rearrest")
    draws, _ = mmsurv.reconstruct(study, "rearrest", draws=20, seed=1)
    result = analyze(ipd, time_unit=study.time_unit)
    ax = plot_km(result, ipd=ipd, band=draws, ci=False)
    for arm_id, poly in zip(
        ipd["arm"].unique(),
        [c for c in ax.collections if c.get_gid() == "km-draws"],
        strict=True,
    ):
        t, s = km_curve(*_arm(ipd, arm_id))
        at = np.concatenate([t, np.nextafter(t, -np.inf)])
        at = at[(at >= 0) & (at < t.max())]
        path = poly.get_paths()[0]
        for x, y in zip(at, step_values(t, s, at), strict=True):
            inside = path.contains_point((x, y), radius=1e-9) or path.contains_point(
                (x, y), radius=-1e-9
            )
            assert inside, (arm_id, x, y)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.assign(draw=d["draw"].astype(float).where(d.index != 3)), "band.draw: row 3"),
        (lambda d: d.assign(draw=d["draw"].astype(object).where(d.index != 5, None)), "band.draw"),
        (lambda d: d.assign(draw=d["draw"] + 0.5), "is not a draw number"),
        (lambda d: d.assign(time=d["time"].where(d.index != 2, -1.0)), "band.time: row 2"),
        (lambda d: d[d["draw"] == 0], "at least 2 draws, got 1"),
        (lambda d: d.drop(index=d.index[7]), "rows but the result has n ="),
    ],
)
def test_a_bad_band_is_one_error_naming_band(change, message):
    import matplotlib

    matplotlib.use("Agg")
    from mmsurv.analysis import analyze
    from mmsurv.plotting import plot_km

    study = load_study(EXAMPLE)
    ipd, _ = mmsurv.reconstruct(study, "rearrest")
    draws, _ = mmsurv.reconstruct(study, "rearrest", draws=3, seed=1)
    result = analyze(ipd, time_unit=study.time_unit)
    with pytest.raises(InputError, match=message):
        plot_km(result, ipd=ipd, band=change(draws.reset_index(drop=True)))


def _arm(ipd, arm_id):
    rows = ipd[ipd["arm"] == arm_id]
    return rows["time"].to_numpy(), rows["event"].to_numpy()


def _sets(draws, k):
    from mmsurv._guyot import ArmIPD

    one = draws[draws["draw"] == k]
    return {a: ArmIPD(*_arm(one, a)) for a in one["arm"].unique()}


def test_cli_plot_draws(tmp_path, capsys):
    out = tmp_path / "km.png"
    assert main(["plot", str(EXAMPLE), "--draws", "5", "--seed", "1", "-o", str(out)]) == 0
    assert out.stat().st_size > 0


def test_censoring_rows_leave_an_interval_without_censored_patients_alone():
    from mmsurv._guyot import ArmIPD
    from mmsurv.draws import censoring_rows

    # events only up to 30, everyone else censored at the end (50): nothing to spread
    # in the first three intervals
    time = np.concatenate([np.linspace(1.0, 29.0, 40), np.full(60, 50.0)])
    event = np.concatenate([np.ones(40, dtype=int), np.zeros(60, dtype=int)])
    arm = ArmIPD(time=time, event=event)
    bounds = np.array([0.0, 10.0, 20.0, 30.0, 50.0])
    cuts, n_risk = censoring_rows(arm, bounds, np.random.default_rng(0))
    assert cuts.size == n_risk.size == 0


def test_censoring_rows_leave_the_survivors_at_the_end_of_the_curve():
    from mmsurv._guyot import ArmIPD
    from mmsurv.draws import END_SHARE, censoring_rows

    # the censoring model puts the survivors a hair before the end of the curve (50);
    # two patients are censored within the last interval
    at_end = 50.0 - np.linspace(0.0, 0.5, 60) * END_SHARE * 20.0
    time = np.concatenate([np.linspace(1.0, 29.0, 40), [35.0, 41.0], at_end])
    event = np.concatenate([np.ones(40, dtype=int), np.zeros(62, dtype=int)])
    order = np.argsort(time)
    arm = ArmIPD(time=time[order], event=event[order])
    bounds = np.array([0.0, 10.0, 20.0, 30.0, 50.0])
    cuts, n_risk = censoring_rows(arm, bounds, np.random.default_rng(0))
    assert np.all((cuts > 30.0) & (cuts < 50.0))
    # only the two censored within the interval move: 62 at risk at 30, 60 left at the end
    assert n_risk.min() >= 60 and n_risk.max() <= 62


def _staircase_clicks(time, event):
    return digitize(time, event, rng=np.random.default_rng(0), time_noise=0.0, surv_noise=0.0)


def test_level_steps_keeps_an_exact_staircase():
    from mmsurv.draws import ClickError, level_steps

    time, event = weibull_arm(60, 4)
    clicks = _staircase_clicks(time, event)
    levelled = level_steps(clicks, ClickError(time=0.05, survival=0.002))
    assert np.allclose(levelled, clicks)


def _area(coords: np.ndarray, horizon: float) -> float:
    """Area under the cleaned clicks' curve up to ``horizon``."""
    from mmsurv.curves import clean_curve

    curve, _ = clean_curve(coords)
    t, s = curve[:, 0], curve[:, 1]
    knots = np.concatenate([t[t < horizon], [horizon]])
    index = np.searchsorted(t, knots[:-1], side="right") - 1
    return float(np.sum(s[index] * np.diff(knots)))


def test_levelled_and_drawn_clicks_centre_near_the_truth():
    """Over 200 digitizations of one arm: the monotone fit of noisy corner clicks (the
    point reconstruction's curve) puts flats high and drops late; the levelled clicks
    and a draw's curve sit above the true curve by less than a quarter as much, and a
    draw moves from the clicks' curve about as far as click error moved it from the
    truth (the area under the curve)."""
    from mmsurv.draws import level_steps

    time, event = weibull_arm(150, 8)
    horizon = 40.0
    truth = rmst(time, event, horizon)
    point, levelled, drawn = [], [], []
    for seed in range(200):
        clicks = digitize(time, event, rng=np.random.default_rng(seed))
        point.append(_area(clicks, horizon) / truth - 1)
        levelled.append(_area(level_steps(clicks, click_error(clicks)), horizon) / truth - 1)
        drawn.append(_area(_drawn_clicks(clicks, 150, seed + 1000), horizon) / truth - 1)
    point, levelled, drawn = np.array(point), np.array(levelled), np.array(drawn)
    # measured: +0.22% for the clicks' own curve; +0.02% levelled (+0.08% with pairs
    # judged one link at a time, before the alternation of flats and drops was used);
    # +0.02% for the draws (+0.14% with every click moved first and paired after)
    assert np.mean(point) > 4 * np.std(point) / np.sqrt(point.size)
    assert abs(np.mean(levelled)) < np.mean(point) / 4
    assert abs(np.mean(drawn)) < np.mean(point) / 4
    ratio = np.std(drawn - point) / np.std(point)
    assert 0.7 < ratio < 1.4  # measured 0.9


def _drawn_clicks(clicks: np.ndarray, n: int, seed: int) -> np.ndarray:
    study = load_study(
        {
            "id": "clicked",
            "arms": [{"id": "A", "n": n}],
            "endpoints": {"OS": {"arms": {"A": {"curve": clicks.tolist()}}}},
        }
    )
    drawn = perturb_study(study, "OS", np.random.default_rng(seed))
    return drawn.endpoint("OS").arms["A"].curve.to_array()


def test_drawn_clicks_move_each_corner_pair_as_one():
    """A drop's two corners keep one time, a flat's two ends one level, in every draw."""
    time, event = weibull_arm(40, 5)
    clicks = _staircase_clicks(time, event)
    for seed in range(5):
        moved = _drawn_clicks(clicks, 40, seed)
        assert not np.allclose(moved, clicks)
        # corners of the k-th drop: top 2k, bottom 2k + 1
        drops = 2 * np.unique(time[event == 1]).size
        assert np.array_equal(moved[0:drops:2, 0], moved[1:drops:2, 0])
        assert np.array_equal(moved[1 : drops - 1 : 2, 1], moved[2:drops:2, 1])


def test_a_curve_alone_draws_its_censoring():
    """Without a table, a total or censor marks the point reconstruction censors nobody
    before the end; the draws draw how many were, between that and a whole-follow-up
    accrual with dropout, and never fewer events than drops."""
    from mmsurv.draws import drawn_events

    time, event = weibull_arm(200, 21)
    clicks = digitize(time, event, rng=np.random.default_rng(2))
    study = load_study(
        {
            "id": "alone",
            "arms": [{"id": "A", "n": 200}],
            "endpoints": {"OS": {"arms": {"A": {"curve": clicks.tolist()}}}},
        }
    )
    sets, _ = draw_arrays(study, "OS", 40, seed=5)
    events = np.array([arms["A"].event.sum() for arms in sets])
    point = events[0]
    assert np.all(events[1:] <= point + 1)
    assert np.min(events[1:]) < 0.85 * point  # heavy censoring is drawn too
    assert np.max(events[1:]) > 0.95 * point  # and nearly none
    assert events.min() <= event.sum() <= events.max()  # the truth lies within
    rng = np.random.default_rng(0)
    drops = np.unique(sets[0]["A"].time[sets[0]["A"].event == 1]).size
    draws = [drawn_events(sets[0]["A"], rng) for _ in range(200)]
    assert min(draws) >= drops and max(draws) <= point


def test_a_curve_clicked_to_its_last_drop_is_followed_past_it():
    """A curve whose last click is its last drop (nothing to click on a flat tail) is
    followed at least one mean drop spacing past that drop: the draws are those of the
    same curve with a flat tail that long, and a tail shorter than it changes nothing.
    Ending the follow-up at the drop would count its patients as censored."""
    from mmsurv._guyot import ArmIPD
    from mmsurv.draws import drawn_events

    def drawn(time, event, tail):
        time = np.append(time, time.max() + tail)
        event = np.append(event, 0)
        rng = np.random.default_rng(7)
        return np.array([drawn_events(ArmIPD(time=time, event=event), rng) for _ in range(300)])

    # 10 patients, half of them die at 5: the one drop is the last click.
    time, event = np.full(10, 5.0), np.repeat([1, 0], 5)
    alone = drawn(time[:-1], event[:-1], 0.0)
    assert np.array_equal(alone, drawn(time[:-1], event[:-1], 2.5))
    assert np.array_equal(alone, drawn(time[:-1], event[:-1], 5.0))
    assert not np.array_equal(alone, drawn(time[:-1], event[:-1], 8.0))
    assert np.median(alone) >= 3 and alone.max() == 5

    # 60 patients of a Weibull arm, clicked up to its last event.
    t, e = weibull_arm(60, 4)
    last = t[e == 1].max()
    keep = (t <= last) & ~((t == last) & (e == 0))
    t, e = t[keep], e[keep]
    spacing = last / np.unique(t[e == 1]).size
    cut = drawn(t[:-1], e[:-1], 0.0)
    assert np.array_equal(cut, drawn(t[:-1], e[:-1], 0.4 * spacing))
    assert np.array_equal(cut, drawn(t[:-1], e[:-1], spacing))
    assert np.quantile(cut, 0.975) >= e.sum() - 1


def _shaped_study():
    """Two arms of 80 with a median and landmarks at 6 and 24 months, HR 0.7."""

    def arm(median, early, late):
        return {"median": median, "landmarks": {6: {"survival": early}, 24: {"survival": late}}}

    return load_study(
        {
            "id": "shaped",
            "arms": [{"id": "A", "n": 80}, {"id": "B", "n": 80}],
            "endpoints": {
                "OS": {
                    "follow_up": {"max": 36},
                    "arms": {"A": arm(14, 0.75, 0.3), "B": arm(10, 0.65, 0.2)},
                    "comparison": {"treatment": "A", "reference": "B", "hr": 0.7},
                }
            },
        }
    )


def test_summary_draws_vary_the_shape_both_arms_share():
    """HR-informed, the HR fixes the tilt between the arms, not their common shape: the
    curves differ between the reported points while the points and the HR still hold."""
    from mmsurv._reconstruct import reconstruct_arrays
    from mmsurv.cox import cox_binary

    study = _shaped_study()
    rmsts = []
    for common in (-0.8, 0.0, 0.8):
        arms, _ = reconstruct_arrays(study, "OS", common_tilt=common)
        trt, ref = arms["A"], arms["B"]
        log_hr, _ = cox_binary(
            np.concatenate([trt.time, ref.time]),
            np.concatenate([trt.event, ref.event]),
            np.concatenate([np.ones(trt.time.size), np.zeros(ref.time.size)]),
        )
        assert abs(log_hr - math.log(0.7)) < 0.05
        km_t, km_s = km_curve(ref.time, ref.event)
        assert step_values(km_t, km_s, np.array([6.0, 24.0])) == pytest.approx(
            [0.65, 0.2], abs=1 / 80
        )
        rmsts.append(rmst(ref.time, ref.event, 24.0))
    assert rmsts[0] < rmsts[1] < rmsts[2]  # later events within every stretch


def test_hr_informed_draws_leave_each_arm_its_shape_range():
    """The HR ties the arms' shapes to each other, not to a narrower range: an arm's
    RMST spreads over the HR-informed draws about as much as over the HR-blind ones
    (with the shape both arms share a mean of two draws, its spread was 0.74 times)."""
    study = _shaped_study()
    spread = {}
    for blind in (False, True):
        sets, _ = draw_arrays(study, "OS", 100, seed=3, hr_blind=blind)
        spread[blind] = np.std([rmst(s["B"].time, s["B"].event, 24.0) for s in sets])
    assert spread[False] > 0.85 * spread[True]


@settings(max_examples=15, deadline=None)
@given(
    n=st.tuples(st.integers(10, 200), st.integers(10, 200)),
    noise=st.floats(0.0, 0.01),
    cut=st.tuples(st.booleans(), st.booleans()),
    seed=st.integers(0, 2**16),
)
def test_draws_of_any_two_curves_alone(n, noise, cut, seed):
    """Two curves alone of any lengths, either clicked only up to its last drop: every
    draw has each arm's patients, at finite times, and events wherever the curve
    drops."""
    arms, dropped = {}, []
    for k, (size, stop) in enumerate(zip(n, cut, strict=True)):
        time, event = weibull_arm(size, seed + k)
        clicks = digitize(
            time, event, rng=np.random.default_rng(seed), time_noise=noise, surv_noise=noise
        )
        if stop and event.any() and time.max() > time[event == 1].max():
            clicks = clicks[:-1]  # no click on the flat tail
        arms[f"A{k}"] = {"curve": clicks.tolist()}
        dropped.append(bool(event.any()))
    study = load_study(
        {
            "id": "two-alone",
            "arms": [{"id": f"A{k}", "n": size} for k, size in enumerate(n)],
            "endpoints": {"OS": {"arms": arms}},
        }
    )
    sets, _ = draw_arrays(study, "OS", 4, seed=seed)
    for drawn in sets:
        for k, size in enumerate(n):
            arm = drawn[f"A{k}"]
            assert arm.time.size == size and np.all(np.isfinite(arm.time) & (arm.time >= 0))
            assert (arm.event.sum() > 0) == dropped[k]


@settings(max_examples=15, deadline=None)
@given(
    n=st.integers(20, 200),
    noise=st.floats(0.0, 0.01),
    flat=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_draws_of_any_curve_alone(n, noise, flat, seed):
    time, event = weibull_arm(n, seed)
    if flat:  # a curve that never drops (but for its click error)
        event = np.zeros_like(event)
    clicks = digitize(
        time, event, rng=np.random.default_rng(seed), time_noise=noise, surv_noise=noise
    )
    study = load_study(
        {
            "id": "alone",
            "arms": [{"id": "A", "n": n}],
            "endpoints": {"OS": {"arms": {"A": {"curve": clicks.tolist()}}}},
        }
    )
    sets, _ = draw_arrays(study, "OS", 4, seed=seed)
    point = int(sets[0]["A"].event.sum())
    for arms in sets:
        assert arms["A"].time.size == n and np.all(arms["A"].time >= 0)
        assert arms["A"].event.sum() <= point + 1


@settings(max_examples=30, deadline=None)
@given(
    clicks=st.lists(st.tuples(st.floats(0.0, 100.0), st.floats(0.0, 1.0)), min_size=2, max_size=60),
    time_error=st.floats(0.01, 5.0),
    survival_error=st.floats(0.001, 0.05),
)
def test_level_steps_of_any_clicks(clicks, time_error, survival_error):
    """Every click is kept, each coordinate moves only to a mean of two clicks' values
    (within the clicks' range)."""
    from mmsurv.draws import ClickError, level_steps

    arr = np.array(clicks, dtype=float)
    out = level_steps(arr, ClickError(time=time_error, survival=survival_error))
    assert out.shape == arr.shape
    assert np.all(out[:, 0] >= arr[:, 0].min() - 1e-9) and np.all(
        out[:, 0] <= arr[:, 0].max() + 1e-9
    )
    assert np.all(out[:, 1] >= arr[:, 1].min() - 1e-9) and np.all(
        out[:, 1] <= arr[:, 1].max() + 1e-9
    )
    assert out[:, 0].sum() == pytest.approx(arr[:, 0].sum())
    assert out[:, 1].sum() == pytest.approx(arr[:, 1].sum())


def test_link_kinds_read_the_staircase_where_single_links_cannot():
    """Corner clicks of drops and flats about twice the click error: judged one link at
    a time (the smaller gap in error units), one link in eight is misread; the
    alternation of the staircase misreads a quarter as many. Points traced along flats
    stay flats."""
    from mmsurv.draws import link_kinds

    rng = np.random.default_rng(4)
    k = 200
    truth = np.tile([True, False], k // 2)  # drop, flat, drop, ...
    time_gap = np.where(truth, np.abs(rng.normal(0.0, math.sqrt(2.0), k)), 2.5)
    survival_gap = np.where(truth, 2.0, np.abs(rng.normal(0.0, math.sqrt(2.0), k)))
    one_at_a_time = time_gap < survival_gap
    misread = np.count_nonzero(one_at_a_time != truth)
    assert misread > 20  # measured 25
    assert np.count_nonzero(link_kinds(time_gap, survival_gap) != truth) <= misread / 4
    traced = link_kinds(np.full(30, 5.0), np.abs(rng.normal(0.0, 1.0, 30)))
    assert not traced.any()
    assert link_kinds(np.zeros(0), np.zeros(0)).size == 0


@settings(max_examples=30, deadline=None)
@given(
    time_gap=st.lists(st.floats(0.0, 1e6), min_size=0, max_size=50),
    survival_gap=st.floats(0.0, 1e6),
)
def test_link_kinds_of_any_gaps(time_gap, survival_gap):
    from mmsurv.draws import link_kinds

    gaps = np.array(time_gap, dtype=float)
    kinds = link_kinds(gaps, np.full(gaps.size, survival_gap))
    assert kinds.dtype == bool and kinds.shape == gaps.shape


def test_a_curve_alone_does_not_judge_a_published_chi_square(tmp_path):
    """The point reconstruction of a curve alone censors nobody before its end, the
    draws a drawn mechanism: their chi-squares lie below the point's, and a true
    published chi-square must not be called out of line."""
    folder = tmp_path / "rossi"
    folder.mkdir()
    for name in ("figure_wpd.csv",):
        (folder / name).write_bytes((EXAMPLE.parent / name).read_bytes())
    data = yaml.safe_load(EXAMPLE.read_text())
    for res in data["endpoints"]["rearrest"]["arms"].values():
        res.pop("at_risk"), res.pop("events")
    data["endpoints"]["rearrest"].pop("follow_up")
    data["endpoints"]["rearrest"]["comparison"] = {
        "treatment": "aid",
        "reference": "no_aid",
        "hr": 0.69,
        "logrank_chi2": 3.84,
    }
    (folder / "study.yaml").write_text(yaml.safe_dump(data))
    result = draw_intervals(folder / "study.yaml", "rearrest", draws=40, seed=3)
    rows = {r.quantity: r for r in result.rows}
    chi2 = rows["logrank chi2"]
    assert chi2.published == pytest.approx(3.84) and not chi2.judged
    assert chi2.out_of_line is None
    assert rows["hr"].judged
    assert any("not judged (a curve alone" in line for line in result.lines())
