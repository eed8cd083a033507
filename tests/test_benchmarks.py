"""The benchmark script runs end to end (its timings are not asserted: speed goals live
in the script, never in a test)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # runs the benchmark script

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_guyot.py"


def _run(script: Path, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, str(script), *args], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done


def test_benchmark_measures_every_scenario_and_the_process():
    done = _run(BENCH, "--repeats", "2", "--process-runs", "1")
    assert "failed" not in done.stdout, done.stdout
    rows = [line.split()[0] for line in done.stdout.splitlines() if line[:1].isalpha()]
    assert rows.count("typical") == 2 and rows.count("large") == 2, done.stdout
    assert "rossi" in rows and "niu-2026-krd-vs-vrd" in rows, done.stdout
    assert "of 6 measurements within their target" in done.stdout


DRAWS_BENCH = BENCH.parent / "bench_draws.py"


def test_draws_benchmark_runs():
    done = _run(DRAWS_BENCH, "--draws", "5", "--runs", "1")
    assert "1,000 draws take" in done.stdout, done.stdout
