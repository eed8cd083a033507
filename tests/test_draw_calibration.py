"""CALIBRATION BARS of the reconstruction draws on real data (a subset).

The full measurement is ``python validation/draw_calibration.py`` (every real data set
and simulated trial, six input cases; ``validation/results/draw_calibration.md``). Here
four real data sets with a digitized figure (numbers at risk and events; events only;
the curve alone, with its flat tail and clicked up to its last drop), with the 200
draws of the full calibration (so that its rows for them are reproduced, not redrawn
with more Monte Carlo error at the interval ends),
and two abstracts rebuilt HR-blind and HR-informed with 12 draws (30 in the full
calibration: each summary draw repeats the HR calibration):

* the true Cox log HRs, medians and RMSTs lie within the draws' 95% interval in every
  data set, in the cases where that was measured (the others are marked as missed, with
  the measured count and why);
* where a curve and a count fix the data, the draws' interval of the log HR is at least
  three times narrower than a plain bootstrap's of the point reconstruction (which
  measures sampling error, not reconstruction error).

A failure here means the draws miss a target, not that the test is wrong.
"""

from __future__ import annotations

import numpy as np
import pytest
from draw_calibration import calibration_rows

from mmsurv.validation import real_datasets

DIGITIZED = ("rossi", "lung", "gbsg2", "leukemia")
DIGITIZED_CASES = ("at_risk_events", "events", "curve_only", "curve_to_last_drop")
ABSTRACTS = ("rossi", "lymph_node")
ABSTRACT_CASES = ("hr_blind", "hr_informed")


@pytest.fixture(scope="module")
def digitized():
    real = real_datasets()
    return calibration_rows([real[name] for name in DIGITIZED], DIGITIZED_CASES, draws=200)


@pytest.fixture(scope="module")
def abstracts():
    real = real_datasets()
    return calibration_rows([real[name] for name in ABSTRACTS], ABSTRACT_CASES, draws=12)


def test_no_reconstruction_fails(digitized, abstracts):
    assert (digitized["error"] == "").all()
    assert (abstracts["error"] == "").all()


def _missed(strict_reason: str):
    return pytest.mark.xfail(strict=True, reason=strict_reason)


RMST_WITH_TABLE_MISSED = _missed(
    "measured: 7 of 8 true RMSTs covered (rossi's arm0, 38.495 weeks, just below the "
    "interval's 38.509: with its table, rossi's point reconstruction lies 0.14% above "
    "the true RMST, the bias of the monotone fit of noisy clicks)"
)


@pytest.mark.parametrize(
    ("case", "quantity"),
    [
        ("at_risk_events", "log_hr"),
        ("events", "log_hr"),
        ("curve_only", "log_hr"),
        ("at_risk_events", "median"),
        ("events", "median"),
        ("curve_only", "median"),
        pytest.param("at_risk_events", "rmst", marks=RMST_WITH_TABLE_MISSED),
        ("events", "rmst"),
        ("curve_only", "rmst"),
        ("curve_to_last_drop", "log_hr"),
        ("curve_to_last_drop", "median"),
        ("curve_to_last_drop", "rmst"),
    ],
)
def test_digitized_draws_cover_the_truth(digitized, case, quantity):
    rows = digitized[(digitized["case"] == case) & (digitized["quantity"] == quantity)]
    assert len(rows) == len(DIGITIZED) * (1 if quantity == "log_hr" else 2)
    missed = rows[~rows["covered"]]
    assert missed.empty, missed[["dataset", "arm", "truth", "lo", "hi"]]


def test_digitized_draws_are_narrower_than_a_bootstrap(digitized):
    rows = digitized[
        (digitized["quantity"] == "log_hr") & digitized["case"].isin(["at_risk_events", "events"])
    ]
    assert np.all(3 * rows["width"] < rows["boot_width"]), rows[["dataset", "case", "width"]]


ABSTRACT_RMST_MISSED = _missed(
    "measured with 12 draws: HR-blind 2 of 4 true RMSTs covered (both lymph_node arms "
    "missed), HR-informed 3 of 4 (lymph_node's hormonal-therapy arm missed): they lie "
    "just below the interval; "
    "the full calibration (30 draws, every data set) covers 1.00 / 0.98 HR-blind and "
    "1.00 / 0.98 HR-informed"
)


@pytest.mark.parametrize(
    ("case", "quantity"),
    [
        ("hr_blind", "log_hr"),
        ("hr_informed", "log_hr"),
        ("hr_blind", "median"),
        ("hr_informed", "median"),
        pytest.param("hr_blind", "rmst", marks=ABSTRACT_RMST_MISSED),
        pytest.param("hr_informed", "rmst", marks=ABSTRACT_RMST_MISSED),
    ],
)
def test_summary_draws_cover_the_truth(abstracts, case, quantity):
    rows = abstracts[(abstracts["case"] == case) & (abstracts["quantity"] == quantity)]
    assert len(rows) == len(ABSTRACTS) * (1 if quantity == "log_hr" else 2)
    missed = rows[~rows["covered"]]
    assert missed.empty, missed[["dataset", "arm", "truth", "lo", "hi"]]
