"""ACCURACY BARS of mmsurv.guyot beside the published algorithm, on reader-digitized figures.

``validation/figure_accuracy.py`` digitizes every arm of 27 data sets (nine real sets,
two small real sets, 16 simulated trials of 10-60 patients in whole weeks or months)
the way a reader does -- both corners of each drop, click error of 0.25% of each axis,
close drops clicked as one step, nothing clicked on the flat tail, numbers at risk at
the axis ticks -- and rebuilds each arm with mmsurv and with the algorithm as printed
(Guyot et al. 2012), from the same inputs. The bars:

* no input is refused;
* the median sup-norm distance to the truth (forgiving a 1% shift in time) is no
  higher than the published algorithm's, in every input case;
* events exact with a total and no table, within 2 with a table and a total;
* no arm's mean |ΔS| exceeds the published algorithm's by more than 0.002;
* the same bars (events: exact with the total alone) when the curves are clicked only
  at the lower corner of each drop, or traced at every 0.5% of the time axis;
* the median |log HR error| with table and total is at most 0.006 (not met: a strict
  expected failure, so that meeting it is noticed; ``validation/hr_error_sources.py``
  measures how much of the error the click error alone leaves).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "validation"))

import figure_accuracy as fa


@pytest.fixture(scope="module")
def table():
    return fa.accuracy_table(fa.all_datasets())


@pytest.fixture(scope="module")
def summary(table):
    return fa.summarize(table).set_index(["case", "method"])


def test_nothing_is_refused(table):
    refused = table[table["error"] != ""]
    assert refused.empty, refused[["dataset", "case", "method", "arm", "error"]].to_string()


@pytest.mark.parametrize("case", fa.CASES)
def test_median_sup_norm_no_worse_than_published(summary, case):
    ours = summary.loc[(case, "mmsurv"), "sup_dS_shift_median"]
    baseline = summary.loc[(case, "published"), "sup_dS_shift_median"]
    assert ours <= baseline, f"{case}: mmsurv {ours:.4f}, published {baseline:.4f}"


def test_events(table):
    ours = table[table["method"] == "mmsurv"]
    only_total = ours[ours["case"] == "events"]["events_miss"].abs()
    assert only_total.max() == 0
    with_table = ours[ours["case"] == "at_risk_events"]["events_miss"].abs()
    assert with_table.max() <= 2


def test_no_arm_much_worse_than_published(table):
    wide = fa.side_by_side(table)
    worse = wide[wide["mean_abs_dS_excess"] > 0.002]
    assert worse.empty, worse[["dataset", "case", "arm", "mean_abs_dS_excess"]].to_string()


@pytest.mark.xfail(
    strict=True,
    reason="measured 0.014 (published 0.048); the true data with drop times moved by the "
    "click error alone: 0.0078 (validation/hr_error_sources.py)",
)
def test_log_hr_error_with_table_and_total(summary):
    assert summary.loc[("at_risk_events", "mmsurv"), "log_hr_err_median"] <= 0.006


def test_log_hr_error_better_than_published_with_a_table(summary):
    for case in ("at_risk_events", "at_risk"):
        ours = summary.loc[(case, "mmsurv"), "log_hr_err_median"]
        assert ours < summary.loc[(case, "published"), "log_hr_err_median"]


@pytest.fixture(scope="module")
def styles():
    return fa.click_styles_table(fa.all_datasets())


def test_other_click_styles_meet_the_bars(styles):
    """Curves clicked only at the lower corner of each drop, or traced point by point:
    nothing refused, no arm much worse than the published algorithm, the median
    sup-norm no worse, events exact with the total alone."""
    refused = styles[styles["error"] != ""]
    assert refused.empty, refused[["dataset", "case", "method", "arm", "error"]].to_string()
    wide = fa.side_by_side(styles)
    worse = wide[wide["mean_abs_dS_excess"] > 0.002]
    assert worse.empty, worse[["dataset", "case", "arm", "mean_abs_dS_excess"]].to_string()
    summary = fa.summarize(styles).set_index(["case", "method"])
    for case in styles["case"].unique():
        ours = summary.loc[(case, "mmsurv"), "sup_dS_shift_median"]
        assert ours <= summary.loc[(case, "published"), "sup_dS_shift_median"], case
    only_total = styles[(styles["method"] == "mmsurv") & styles["case"].str.endswith(", events")]
    assert only_total["events_miss"].abs().max() == 0
