"""The Guyot et al. (2012) algorithm as printed: the baseline of every accuracy table.

Guyot P, Ades AE, Ouwens MJ, Welton NJ. Enhanced secondary analysis of survival data:
reconstructing the data from published Kaplan-Meier survival curves. BMC Med Res
Methodol 2012;12:9, the appendix pseudo-code and its R code ("Additional file 1").

This module follows the published steps one by one, loops included, with none of
mmsurv's refinements: censoring spread uniformly within each at-risk interval, its
count searched by the printed iteration, the last interval censored at the average
rate of the earlier ones, and a reported total of events met by adjusting the
censoring of the last interval only. It exists to measure mmsurv against; it is not
part of the installed package and is not tuned.

The published code assumes input it can use as it is. The only preparation done here
is what a user of the printed code must do before calling it: the clicks sorted by
time, survival clipped to [0, 1] and made non-increasing (running minimum), the
curve started at (0, 1), and at-risk rows after the last click, or whose interval
holds no click, left out (the printed loops need a click in every interval).
"""

from __future__ import annotations

import numpy as np

__all__ = ["guyot_published", "prepare_clicks"]

_MAX_ITERATIONS = 10_000


def prepare_clicks(clicks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sort by time, clip to [0, 1], force non-increasing survival, start at (0, 1)."""
    arr = np.asarray(clicks, dtype=float)
    order = np.argsort(arr[:, 0], kind="stable")
    t = np.maximum(arr[order, 0], 0.0)
    s = np.minimum.accumulate(np.clip(arr[order, 1], 0.0, 1.0))
    if t[0] > 0:
        t, s = np.concatenate([[0.0], t]), np.concatenate([[1.0], s])
    s[t == 0] = 1.0
    s = np.minimum.accumulate(s)
    return t, s


def _uniform_censoring(t: np.ndarray, lo: int, hi: int, count: int) -> np.ndarray:
    """Counts of ``count`` censorings spread evenly over (t[lo], t[hi]), per gap
    (t[k], t[k+1]] for k = lo .. hi - 1, as R's ``hist`` counts them."""
    cen = np.zeros(hi - lo, dtype=np.int64)
    if count <= 0 or hi <= lo:
        return cen
    cen_t = t[lo] + np.arange(1, count + 1) * (t[hi] - t[lo]) / (count + 1)
    breaks = t[lo : hi + 1]
    gap = np.clip(np.searchsorted(breaks, cen_t, side="left") - 1, 0, hi - lo - 1)
    np.add.at(cen, gap, 1)
    return cen


def guyot_published(
    clicks: np.ndarray,
    n: int,
    at_risk: dict | None = None,
    total_events: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Reconstruct one arm with the published algorithm.

    Parameters
    ----------
    clicks : array of shape (k, 2)
        Digitized time, survival (fractions).
    n : int
        Patients at time 0 (used when there is no at-risk table).
    at_risk : dict, optional
        ``{"times": [...], "n": [...]}``; the first row must be time 0.
    total_events : int, optional
        Reported total of events.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Times and event flags (1 = event) of the reconstructed patients.
    """
    t_s, surv = prepare_clicks(clicks)
    n_t = t_s.size
    if at_risk is None:
        t_risk, n_risk = np.array([0.0]), np.array([float(n)])
    else:
        t_risk = np.asarray(at_risk["times"], dtype=float)
        n_risk = np.asarray(at_risk["n"], dtype=float)
        if t_risk[0] > 0:
            t_risk, n_risk = np.concatenate([[0.0], t_risk]), np.concatenate([[float(n)], n_risk])
        keep = t_risk <= t_s[-1]
        t_risk, n_risk = t_risk[keep], n_risk[keep]
        lower = np.searchsorted(t_s, t_risk, side="left")
        holds = np.append(lower[1:] > lower[:-1], True)
        holds[0] = True
        t_risk, n_risk = t_risk[holds], n_risk[holds]
    n_int = t_risk.size
    lower = np.searchsorted(t_s, t_risk, side="left")
    upper = np.append(lower[1:] - 1, n_t - 1)
    n_risk = n_risk.copy()

    n_censor = np.zeros(n_int)
    n_hat = np.full(n_t + 1, n_risk[0] + 1)
    cen = np.zeros(n_t, dtype=np.int64)
    d = np.zeros(n_t)
    km_hat = np.ones(n_t)
    last_i = np.zeros(n_int, dtype=np.int64)

    def events_over(i: int, last: int, last_interval: bool) -> int:
        n_hat[lower[i]] = n_risk[i]
        for k in range(lower[i], upper[i] + 1):
            if i == 0 and k == lower[i]:
                d[k] = 0
                km_hat[k] = 1.0
            elif km_hat[last] != 0 and n_hat[k] > 0:
                d[k] = round(n_hat[k] * (1 - surv[k] / km_hat[last]))
                km_hat[k] = km_hat[last] * (1 - d[k] / n_hat[k])
            else:
                d[k] = 0
                km_hat[k] = km_hat[last]
            n_hat[k + 1] = n_hat[k] - d[k] - cen[k]
            if last_interval and n_hat[k + 1] < 0:
                n_hat[k + 1] = 0
                cen[k] = n_hat[k] - d[k]
            if d[k] != 0:
                last = k
        return last

    last = 0
    for i in range(n_int - 1):
        n_censor[i] = round(n_risk[i] * surv[lower[i + 1]] / surv[lower[i]] - n_risk[i + 1])
        for _ in range(_MAX_ITERATIONS):
            nxt = n_hat[lower[i + 1]]
            if not (nxt > n_risk[i + 1] or (nxt < n_risk[i + 1] and n_censor[i] > 0)):
                break
            if n_censor[i] <= 0:
                n_censor[i] = 0
            cen[lower[i] : upper[i] + 1] = _uniform_censoring(
                t_s, lower[i], lower[i + 1], int(n_censor[i])
            )
            last = events_over(i, last_i[i], False)
            n_censor[i] += n_hat[lower[i + 1]] - n_risk[i + 1]
        if n_hat[lower[i + 1]] < n_risk[i + 1]:
            n_risk[i + 1] = n_hat[lower[i + 1]]
        last_i[i + 1] = last

    j = n_int - 1
    lo, hi = lower[j], upper[j]
    if n_int > 1:
        span = t_s[upper[j - 1]] - t_s[lower[0]]
        rate = n_censor[:j].sum() * (t_s[hi] - t_s[lo]) / span if span > 0 else 0.0
        n_censor[j] = min(round(rate), n_risk[j])
    else:
        n_censor[j] = 0
    n_censor[j] = max(n_censor[j], 0)
    cen[lo:hi] = _uniform_censoring(t_s, lo, hi, int(n_censor[j]))
    events_over(j, last_i[j], True)

    if total_events is not None:
        sum_before = d[: upper[j - 1] + 1].sum() if n_int > 1 else 0.0
        if n_int > 1 and sum_before >= total_events:
            d[lo : hi + 1] = 0
            cen[lo:hi] = 0
            n_hat[lo + 1 : hi + 2] = n_risk[j]
        else:
            sumd = d[: hi + 1].sum()
            for _ in range(_MAX_ITERATIONS):
                if not (sumd > total_events or (sumd < total_events and n_censor[j] > 0)):
                    break
                n_censor[j] = max(n_censor[j] + (sumd - total_events), 0)
                cen[lo:hi] = _uniform_censoring(t_s, lo, hi, int(n_censor[j]))
                events_over(j, last_i[j], True)
                sumd = d[: hi + 1].sum()

    return _ipd(t_s, d, cen, int(n_risk[0]))


def _ipd(t_s: np.ndarray, d: np.ndarray, cen: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Events at their click, censorings at the middle of their gap, the rest at the end."""
    events = np.maximum(d, 0).astype(np.int64)
    cens = np.maximum(cen[:-1], 0)
    ev_t = np.repeat(t_s, events)
    cen_t = np.repeat(0.5 * (t_s[:-1] + t_s[1:]), cens)
    times = np.concatenate([ev_t, cen_t])[:n]
    flags = np.concatenate([np.ones(ev_t.size, np.int64), np.zeros(cen_t.size, np.int64)])[:n]
    rest = n - times.size
    times = np.concatenate([times, np.full(rest, t_s[-1])])
    flags = np.concatenate([flags, np.zeros(rest, np.int64)])
    return times, flags
