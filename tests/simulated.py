"""Simulated arms shared by the test modules."""

from __future__ import annotations

import numpy as np


def weibull_arm(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Times and event flags of ``n`` patients: Weibull events (shape 1.2, scale 20),
    entry spread over 24 of 48 months of follow-up."""
    rng = np.random.default_rng(seed)
    event_time = 20.0 * rng.weibull(1.2, n)
    follow = 48.0 - rng.uniform(0.0, 24.0, n)
    return np.minimum(event_time, follow), (event_time <= follow).astype(int)
