"""Click error of a digitized curve (clicks.py)."""

import numpy as np
import pytest
from simulated import weibull_arm

from mmsurv.clicks import SURVIVAL_ERROR_FLOOR, TIME_ERROR_FLOOR, click_error
from mmsurv.validation import digitize


@pytest.mark.parametrize("noise", [0.002, 0.005])
def test_click_error_recovers_the_digitizer_noise(noise):
    time, event = weibull_arm(400, 3)
    clicks = digitize(time, event, rng=np.random.default_rng(5), time_noise=noise, surv_noise=noise)
    error = click_error(clicks)
    assert error.survival == pytest.approx(noise, rel=0.25)
    assert error.time == pytest.approx(noise * time.max(), rel=0.25)
    assert error.time_pairs > 50 and error.survival_pairs > 50


def test_click_error_of_a_clean_curve_is_the_floor():
    curve = np.array([[0, 1.0], [2, 0.9], [5, 0.7], [9, 0.5], [12, 0.45]])
    error = click_error(curve)
    assert error.survival == SURVIVAL_ERROR_FLOOR
    assert error.time == pytest.approx(TIME_ERROR_FLOOR * 12)
    assert error.time_pairs == error.survival_pairs == 0
    percent = click_error(curve * [1, 100])
    assert percent.survival == SURVIVAL_ERROR_FLOOR
