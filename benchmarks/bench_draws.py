"""Speed of the reconstruction draws: 1,000 draws of a 400-patient arm with an at-risk table.

The arm is simulated (Weibull event times, uniform accrual, fixed seed), digitized with
about 100 clicks (:func:`mmsurv.validation.digitize`) and given its numbers at risk at
10 ticks and its total events, as a typical published figure. The script times
:func:`mmsurv.draws.draw_arrays` for the whole set of draws (the median of a few runs)
and, to show where the time goes, one point reconstruction
(:func:`mmsurv._reconstruct.reconstruct_arrays`) and one call of the Guyot core
(:func:`mmsurv._guyot.guyot_arrays`), each the median of many calls.

Usage::

    python benchmarks/bench_draws.py [--draws 1000] [--runs 3] [--seed 7]

A benchmark is not a test: the script prints how the timing compares with the target
and always exits with status 0.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from mmsurv._guyot import guyot_arrays
from mmsurv._reconstruct import reconstruct_arrays
from mmsurv.curves import check_at_risk, clean_curve
from mmsurv.draws import draw_arrays
from mmsurv.study import load_study
from mmsurv.validation import at_risk_table, digitize, nice_ticks

#: Target seconds for 1,000 draws of the arm, on one core.
TARGET_S = 1.0
N = 400


def study_of(seed: int):
    """The simulated arm as a one-arm study, and its cleaned curve and table."""
    rng = np.random.default_rng(seed)
    event_time = 50.0 * rng.weibull(1.2, N)
    follow = 60.0 - rng.uniform(0.0, 24.0, N)
    t, e = np.minimum(event_time, follow), (event_time <= follow).astype(np.int64)
    curve = digitize(t, e, rng=rng, max_clicks=100)
    ticks = nice_ticks(float(t.max()), 10)
    table = at_risk_table(t, ticks[ticks <= curve[:, 0].max()])
    study = load_study(
        {
            "id": "bench",
            "arms": [{"id": "A", "n": N}],
            "endpoints": {
                "OS": {
                    "arms": {
                        "A": {"curve": curve.tolist(), "at_risk": table, "events": int(e.sum())}
                    }
                }
            },
        }
    )
    return study, curve, table, int(e.sum())


def median_seconds(call, repeats: int) -> float:
    call()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    study, curve, table, events = study_of(args.seed)
    coords, _ = clean_curve(curve)
    checked = check_at_risk(
        np.array(table["times"]), np.array(table["n"]), n=N, curve_end=float(coords[-1, 0])
    )
    core = median_seconds(lambda: guyot_arrays(coords, N, checked, events), 200)
    point = median_seconds(lambda: reconstruct_arrays(study, "OS"), 100)
    whole = median_seconds(lambda: draw_arrays(study, "OS", args.draws, seed=1), args.runs)
    per_draw = whole / args.draws
    print(f"{'measurement':<34} {'seconds':>10}")
    print(f"{'Guyot core, one call':<34} {core:>10.5f}")
    print(f"{'point reconstruction, one':<34} {point:>10.5f}")
    print(f"{f'{args.draws} draws':<34} {whole:>10.3f}")
    scaled = per_draw * 1000
    verdict = "within" if scaled <= TARGET_S else "above"
    print(
        f"1,000 draws take {scaled:.2f} s ({1000 * per_draw:.2f} ms a draw, of which "
        f"{1000 * core:.2f} ms the Guyot core): {verdict} the target of {TARGET_S:g} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
