"""The scripts in examples/ run as a user runs them and write their figures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

FIGURES = {
    "carfilzomib_cohort.py": ["niu-2026-krd-vs-vrd-pfs.png", "niu-2026-krd-vs-vrd-os.png"],
    "anti_cd38_trials.py": ["anti-cd38-pfs-panel.png", "anti-cd38-pfs-forest.png"],
    "guyot_real_data.py": ["rossi-guyot-vs-truth.png"],
    "rd_control_arms.py": ["rd-control-arms-pfs.png"],
}


def test_every_example_is_run_here():
    assert sorted(FIGURES) == sorted(p.name for p in EXAMPLES.glob("*.py"))


@pytest.mark.parametrize("script", sorted(FIGURES))
def test_example_runs_and_writes_its_figures(script, tmp_path):
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / script), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    for name in FIGURES[script]:
        figure = tmp_path / name
        assert figure.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
        assert f"written: {figure}" in done.stdout


def test_carfilzomib_example_prints_the_published_hrs_beside_the_reconstruction(tmp_path):
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "carfilzomib_cohort.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "Audit of niu-2026-krd-vs-vrd" in done.stdout
    assert "0.712" in done.stdout and "0.627" in done.stdout
