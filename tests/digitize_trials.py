"""A small simulated two-arm trial with round times, drawn by the digitizer tests."""

from __future__ import annotations

import numpy as np
from km_figures import TrueArm

#: Time-axis ticks of the test figures (months).
TICKS = (0.0, 10.0, 20.0, 30.0, 40.0, 50.0)


def trial(seed: int = 7, n: int = 60) -> list[TrueArm]:
    """Two arms of ``n`` patients, exponential event times (means 30 and 18 months)
    rounded to 0.1, uniform censoring over 10-50 months."""
    rng = np.random.default_rng(seed)
    arms = []
    for label, scale in (("Drug", 30.0), ("Control", 18.0)):
        event_time = np.round(rng.exponential(scale, n), 1) + 0.1
        censor = np.round(rng.uniform(10, 50, n), 1)
        time = np.minimum(event_time, censor)
        arms.append(TrueArm(label, time, (event_time <= censor).astype(int)))
    return arms
