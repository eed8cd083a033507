"""Cox proportional-hazards fit for one binary covariate, in plain numpy.

Used where the HR of many candidate reconstructions must be computed quickly (HR
calibration of curves built from summaries); :mod:`mmsurv.analysis` uses lifelines.
Ties are handled with Efron's approximation, as lifelines does, so both agree.

Cox DR. Regression models and life-tables. J R Stat Soc B 1972;34:187-220.
Efron B. The efficiency of Cox's likelihood function for censored data. J Am Stat Assoc
1977;72:557-565.
"""

from __future__ import annotations

import numpy as np

__all__ = ["cox_binary"]

_MAX_STEPS = 50


def cox_binary(time: np.ndarray, event: np.ndarray, group: np.ndarray) -> tuple[float, float]:
    """Log hazard ratio of ``group == 1`` vs ``group == 0`` and its standard error.

    Newton-Raphson on the Efron partial likelihood, at most 50 steps. Returns
    ``(nan, nan)`` when the HR is not estimable (no events, or one group only).
    """
    time = np.asarray(time, dtype=float)
    event = np.asarray(event).astype(bool)
    x = np.asarray(group).astype(bool)
    if not event.any() or x.all() or not x.any():
        return float("nan"), float("nan")
    order = np.argsort(time, kind="stable")
    t, e, g = time[order], event[order], x[order]
    uniq, first = np.unique(t, return_index=True)
    n1_at_risk = np.cumsum(g[::-1])[::-1][first].astype(float)
    n0_at_risk = (t.size - first) - n1_at_risk
    which = np.searchsorted(uniq, t[e])
    d1 = np.bincount(which, g[e], minlength=uniq.size)
    d0 = np.bincount(which, ~g[e], minlength=uniq.size)
    keep = (d0 + d1) > 0
    n1_at_risk, n0_at_risk, d1, d0 = n1_at_risk[keep], n0_at_risk[keep], d1[keep], d0[keep]
    d = d0 + d1
    # One row per (event time, l) with l = 0 .. d - 1 for Efron's correction.
    row = np.repeat(np.arange(d.size), d.astype(np.int64))
    frac = (np.arange(row.size) - np.repeat(np.cumsum(d) - d, d.astype(np.int64))) / d[row]
    beta = 0.0
    info = np.nan
    for _ in range(_MAX_STEPS):
        w = np.exp(beta)
        s1 = n1_at_risk[row] * w - frac * d1[row] * w
        s0 = n0_at_risk[row] - frac * d0[row] + s1
        p = s1 / s0
        score = d1.sum() - p.sum()
        info = float(np.sum(p * (1.0 - p)))
        if info <= 0:
            return float("nan"), float("nan")
        step = score / info
        beta += float(np.clip(step, -2.0, 2.0))
        if abs(step) < 1e-10:
            break
    return beta, float(1.0 / np.sqrt(info))
