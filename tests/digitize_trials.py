"""What the digitizer tests draw and score: a small simulated two-arm trial with round
times, mmsurv's own figure of the rossi data, and the error of read curves."""

from __future__ import annotations

import numpy as np
import pandas as pd
from km_figures import TrueArm

import mmsurv
from mmsurv.km import km_curve, step_difference

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


def mean_errors(result, arms: list[TrueArm]) -> list[float]:
    """Mean |ΔS| of each true arm against the read curve closest to it."""
    out = []
    for truth in arms:
        t, s = km_curve(truth.time, truth.event)
        errors = []
        for got in result.arms:
            step = got.curve.groupby("time")["survival"].min()
            u = np.concatenate([[0.0], step.index.to_numpy()])
            v = np.concatenate([[1.0], step.to_numpy()])
            errors.append(step_difference(u, v, t, s, horizon=float(truth.time.max()))[1])
        out.append(min(errors))
    return out


def rossi_figure(path) -> pd.DataFrame:
    """mmsurv's own KM figure of the rossi data (weeks; financial aid or not), with its
    at-risk table and HR annotation box, saved to ``path``; returns the true patients."""
    import matplotlib

    matplotlib.use("Agg")
    from lifelines.datasets import load_rossi

    rossi = load_rossi()
    truth = pd.DataFrame(
        {
            "arm": np.where(rossi["fin"] == 1, "aid", "no_aid"),
            "time": rossi["week"],
            "event": rossi["arrest"],
        }
    )
    result = mmsurv.analyze(truth, "aid", "no_aid", time_unit="weeks")
    mmsurv.save_figure(mmsurv.plot_km(result, ipd=truth, ci=False), path)
    return truth
