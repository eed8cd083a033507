"""Kaplan-Meier step functions in plain numpy (no lifelines import on the hot path).

Kaplan EL, Meier P. Nonparametric estimation from incomplete observations. J Am Stat
Assoc 1958;53:457-481. Censored times count as at risk at their own time.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

__all__ = [
    "km_curve",
    "median_time",
    "n_at_risk",
    "one_event_step",
    "pointwise_band",
    "step_difference",
    "step_values",
]


def km_curve(time: np.ndarray, event: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Kaplan-Meier estimate as a right-continuous step function.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Times (0 first, then every distinct observed time) and survival just after each.
    """
    time = np.asarray(time, dtype=float)
    event = np.asarray(event).astype(bool)
    order = np.argsort(time, kind="stable")
    t_sorted = time[order]
    uniq, first = np.unique(t_sorted, return_index=True)
    at_risk = t_sorted.size - first
    deaths = np.add.reduceat(event[order].astype(float), first) if uniq.size else np.zeros(0)
    surv = np.cumprod(1.0 - deaths / at_risk)
    if uniq.size and uniq[0] == 0:
        return uniq, surv
    return np.concatenate([[0.0], uniq]), np.concatenate([[1.0], surv])


def median_time(step_t: np.ndarray, step_s: np.ndarray) -> float | None:
    """Kaplan-Meier median: the first time the step function is at or below 0.5.

    None when the curve stays above 0.5. The 1e-9 absorbs floating error in the product
    of the Kaplan-Meier factors (19 events of 38 give 0.5 up to rounding).
    """
    below = np.flatnonzero(np.asarray(step_s) <= 0.5 + 1e-9)
    return float(step_t[below[0]]) if below.size else None


def n_at_risk(time: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Patients with an observed time at or after each of ``at``."""
    t_sorted = np.sort(np.asarray(time, dtype=float))
    return t_sorted.size - np.searchsorted(t_sorted, np.asarray(at, dtype=float), side="left")


def step_values(step_t: np.ndarray, step_s: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Values of the right-continuous step function (step_t, step_s) at times ``at``.

    Before the first step time the value is 1. ``step_t`` must be non-decreasing; of
    several values at one time the last holds from that time on.
    """
    idx = np.searchsorted(step_t, at, side="right") - 1
    return np.where(idx >= 0, step_s[np.maximum(idx, 0)], 1.0)


def step_difference(
    t1: np.ndarray, s1: np.ndarray, t2: np.ndarray, s2: np.ndarray, *, horizon: float
) -> tuple[float, float]:
    """Largest and time-averaged absolute difference of two step functions on [0, horizon].

    The average is the integral of ``|s1(t) - s2(t)|`` over [0, horizon] divided by
    ``horizon``.
    """
    grid = np.unique(np.concatenate([t1, t2, [0.0, horizon]]))
    grid = grid[grid <= horizon]
    diff = np.abs(step_values(t1, s1, grid) - step_values(t2, s2, grid))
    if horizon <= 0:
        return float(diff.max()), 0.0
    widths = np.diff(np.concatenate([grid, [horizon]]))
    return float(diff.max()), float(np.sum(diff * widths) / horizon)


def one_event_step(
    step_t: np.ndarray, step_s: np.ndarray, at_risk: np.ndarray, at: np.ndarray
) -> np.ndarray:
    """The drop of one event at the curve's event times next to each of ``at``.

    At an event time with ``r`` at risk one event takes the Kaplan-Meier curve from
    ``S(t-)`` to ``S(t-) (1 - 1 / r)``, a drop of ``S(t-) / r`` (Kaplan EL, Meier P.
    J Am Stat Assoc 1958;53:457-481). This is how finely the curve can be read at a
    time: one event placed a little earlier or later moves it there by that much. Of
    the last event time at or before each of ``at`` and the first after it, the larger
    such drop is returned (0 where there is none).

    Parameters
    ----------
    step_t, step_s : numpy.ndarray
        The step function (:func:`km_curve`).
    at_risk : numpy.ndarray
        Patients at risk at each of ``step_t`` (:func:`n_at_risk`).
    at : numpy.ndarray
        Times.

    Examples
    --------
    >>> import numpy as np
    >>> time, event = np.array([2.0, 4, 6, 6, 8]), np.array([1, 0, 1, 1, 1])
    >>> t, s = km_curve(time, event)
    >>> one_event_step(t, s, n_at_risk(time, t), np.array([1.0, 5, 10])).round(3).tolist()
    [0.2, 0.267, 0.267]
    """
    step_t = np.asarray(step_t, dtype=float)
    step_s = np.asarray(step_s, dtype=float)
    before = np.concatenate([[1.0], step_s[:-1]])
    falls = step_s < before
    risk = np.asarray(at_risk, dtype=float)[falls]
    one = np.where(risk > 0, before[falls] / np.maximum(risk, 1.0), 0.0)
    drop_t = step_t[falls]
    at = np.atleast_1d(np.asarray(at, dtype=float))
    padded = np.concatenate([[0.0], one, [0.0]])  # no event before the first, after the last
    idx = np.searchsorted(drop_t, at, side="right")
    return np.maximum(padded[idx], padded[idx + 1])


def pointwise_band(
    samples: Iterable[tuple[np.ndarray, np.ndarray]], at: np.ndarray, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Pointwise central band of the Kaplan-Meier curves of several data sets.

    At each of ``at``, the ``(1 - level) / 2`` and ``(1 + level) / 2`` quantiles of the
    curves' values, taken as values of the curves (no interpolation between them).

    Parameters
    ----------
    samples : iterable of (time, event)
        One data set each (e.g. the draws of a reconstruction of one arm).
    at : numpy.ndarray
        Times at which to take the band.
    level : float, default 0.95

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Lower and upper survival at ``at``.

    >>> sets = [(np.array([1.0, 2.0]), np.array([1, 1])), (np.array([3.0, 4.0]), np.array([1, 1]))]
    >>> [v.tolist() for v in pointwise_band(sets, np.array([0.0, 2.5]), level=0.5)]
    [[1.0, 0.0], [1.0, 1.0]]
    """
    at = np.asarray(at, dtype=float)
    curves = np.vstack([step_values(*km_curve(t, e), at) for t, e in samples])
    tail = (1.0 - level) / 2.0
    lo, hi = np.quantile(curves, [tail, 1.0 - tail], axis=0, method="inverted_cdf")
    return lo, hi
