"""Speed and memory of :func:`mmsurv.guyot` on one arm.

Scenarios, each with and without the total of events:

* ``typical``: about 400 patients, a curve digitized with about 100 clicks and a
  numbers-at-risk table of 10 rows -- a published trial arm.
* ``large``: 4,000 patients, a click at every corner of the Kaplan-Meier steps (about
  5,000 clicks) and numbers at risk every 6 time units -- far more than any figure.

Then the whole ``mmsurv reconstruct`` process (start-up, imports, reading, writing the
CSV), timed from outside on the digitized example study ``examples/rossi/study.yaml``
and on the main job ``niu-2026-krd-vs-vrd`` (reconstruction from summaries).

The data are simulated (Weibull event times, uniform accrual with a fixed end of study,
fixed seed) and digitized with :func:`mmsurv.validation.digitize`. Each timing is the
median of many calls, measured with :func:`time.perf_counter` after warm-up calls; the
peak memory of one call is measured separately with :mod:`tracemalloc`.

Usage::

    python benchmarks/bench_guyot.py [--repeats 200] [--seed 7] [--process-runs 7]

A benchmark is not a test: the script prints how the timings compare with the targets
and always exits with status 0.
"""

from __future__ import annotations

import argparse
import gc
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import mmsurv
from mmsurv.validation import at_risk_table, digitize, nice_ticks

#: Target median time per arm, milliseconds.
TARGET_MS = {"typical": 2.5, "large": 7.0}
#: Target median wall time of one ``mmsurv reconstruct`` process, seconds.
TARGET_PROCESS_S = 1.0
#: Studies of the process timing: the digitized example and the main job.
PROCESS_STUDIES = (
    str(Path(__file__).resolve().parent.parent / "examples" / "rossi" / "study.yaml"),
    "niu-2026-krd-vs-vrd",
)

#: Study design of the simulation (time unit: months).
WEIBULL_SHAPE = 1.2
WEIBULL_SCALE = 50.0
ACCRUAL = 24.0
STUDY_END = 60.0


@dataclass(frozen=True)
class Scenario:
    """Inputs of one timed call of :func:`mmsurv.guyot`."""

    name: str
    curve: np.ndarray
    n: int
    at_risk: dict
    total_events: int | None

    def call(self):
        return mmsurv.guyot(
            self.curve, self.n, at_risk=self.at_risk, total_events=self.total_events
        )


def simulate(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Weibull event times censored at the end of a study with uniform accrual."""
    event_time = WEIBULL_SCALE * rng.weibull(WEIBULL_SHAPE, n)
    follow_up = STUDY_END - rng.uniform(0.0, ACCRUAL, n)
    time_ = np.minimum(event_time, follow_up)
    return time_, (event_time <= follow_up).astype(np.int64)


def scenarios(seed: int) -> list[Scenario]:
    """The typical and the large arm, each with and without the total of events."""
    rng = np.random.default_rng(seed)
    out = []
    for name, n in (("typical", 400), ("large", 4000)):
        t, e = simulate(n, rng)
        if name == "typical":
            curve = digitize(t, e, rng=rng, max_clicks=100)
            ticks = nice_ticks(float(t.max()), 10)
        else:
            curve = digitize(t, e, rng=rng)
            ticks = np.arange(0.0, float(t.max()), 6.0)
        ticks = ticks[ticks <= curve[:, 0].max()]
        table = at_risk_table(t, ticks)
        for events in (int(e.sum()), None):
            out.append(Scenario(name, curve, n, table, events))
    return out


def time_call(scenario: Scenario, repeats: int, warmup: int = 10) -> np.ndarray:
    """Seconds per call over ``repeats`` calls, after ``warmup`` untimed calls."""
    for _ in range(warmup):
        scenario.call()
    times = np.empty(repeats)
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for i in range(repeats):
            start = time.perf_counter()
            scenario.call()
            times[i] = time.perf_counter() - start
    finally:
        if gc_was_enabled:
            gc.enable()
    return times


def peak_memory(scenario: Scenario) -> int:
    """Peak bytes allocated by Python during one call (tracemalloc)."""
    scenario.call()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        scenario.call()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


def process_seconds(study: str, runs: int) -> np.ndarray:
    """Wall seconds of ``mmsurv reconstruct STUDY -o FILE`` run as a new process."""
    command = shutil.which("mmsurv")
    base = [command] if command else [sys.executable, "-c", "from mmsurv.cli import main; main()"]
    times = np.empty(runs)
    with tempfile.TemporaryDirectory() as folder:
        out = str(Path(folder) / "ipd.csv")
        for i in range(runs):
            start = time.perf_counter()
            subprocess.run(
                [*base, "reconstruct", study, "-o", out], check=True, capture_output=True
            )
            times[i] = time.perf_counter() - start
    return times


def main(argv: list[str] | None = None) -> int:
    """Time every scenario, print a table and the comparison with the targets."""
    parser = argparse.ArgumentParser(description="Benchmark mmsurv.guyot per arm.")
    parser.add_argument("--repeats", type=int, default=200, help="timed calls per scenario")
    parser.add_argument("--seed", type=int, default=7, help="seed of the simulated data")
    parser.add_argument(
        "--process-runs", type=int, default=7, help="timed runs of the mmsurv process"
    )
    args = parser.parse_args(argv)

    header = (
        f"{'scenario':<9} {'patients':>8} {'clicks':>6} {'ticks':>5} {'events given':>12} "
        f"{'median ms':>9} {'p10 ms':>7} {'p90 ms':>7} {'peak MiB':>8} {'target ms':>9}  result"
    )
    print(f"mmsurv.guyot per arm, median of {args.repeats} calls after warm-up")
    print(header)
    print("-" * len(header))
    verdicts = []
    for sc in scenarios(args.seed):
        given = "no" if sc.total_events is None else f"yes ({sc.total_events})"
        target = TARGET_MS[sc.name]
        try:
            ms = time_call(sc, args.repeats) * 1e3
            peak = peak_memory(sc) / 2**20
        except Exception as exc:  # report and go on: a benchmark does not fail
            print(f"{sc.name:<9} {sc.n:>8} failed: {exc.__class__.__name__}: {exc}")
            verdicts.append(False)
            continue
        median = float(np.median(ms))
        ok = median <= target
        verdicts.append(ok)
        print(
            f"{sc.name:<9} {sc.n:>8} {sc.curve.shape[0]:>6} {len(sc.at_risk['times']):>5} "
            f"{given:>12} {median:>9.3f} {np.percentile(ms, 10):>7.3f} "
            f"{np.percentile(ms, 90):>7.3f} {peak:>8.2f} {target:>9.1f}  "
            f"{'within target' if ok else 'OVER TARGET'}"
        )
    print(f"\nmmsurv reconstruct as a whole process, median of {args.process_runs} runs")
    for study in PROCESS_STUDIES:
        name = Path(study).parent.name if study.endswith(".yaml") else study
        try:
            seconds = float(np.median(process_seconds(study, args.process_runs)))
        except (OSError, subprocess.CalledProcessError) as exc:
            print(f"{name:<22} failed: {exc}")
            verdicts.append(False)
            continue
        ok = seconds <= TARGET_PROCESS_S
        verdicts.append(ok)
        print(
            f"{name:<22} {seconds:6.2f} s  target {TARGET_PROCESS_S:.1f} s  "
            f"{'within target' if ok else 'OVER TARGET'}"
        )
    met = sum(verdicts)
    print(f"\n{met} of {len(verdicts)} measurements within their target.")
    return 0


if __name__ == "__main__":
    main()
    sys.exit(0)
