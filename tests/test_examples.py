"""The notebooks in examples/ run in a fresh Jupyter kernel, show their figures inline
with no %matplotlib magic, and write the README's figures."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

pytestmark = pytest.mark.slow  # runs every example script

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

FIGURES = {
    "carfilzomib_cohort.ipynb": ["niu-2026-krd-vs-vrd-pfs.png", "niu-2026-krd-vs-vrd-os.png"],
    "own_digitized_figure.ipynb": ["rossi-guyot-vs-truth.png"],
    "digitize_and_draws.ipynb": ["rossi-digitized-draws.png"],
    "phase3_comparison.ipynb": [
        "anti-cd38-pfs-panel.png",
        "anti-cd38-pfs-forest.png",
        "rd-control-arms-pfs.png",
    ],
}
PLOTS = ("plot_km(", "plot_panel(", "plot_forest(", "plot_arms(")


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    """A kernel spec of this interpreter (a system-wide ``python3`` may be another one)."""
    root = tmp_path_factory.mktemp("jupyter")
    spec = root / "kernels" / "mmsurv-test"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "mmsurv tests", "language": "python"})
    )
    return root


def test_every_example_is_run_here():
    assert sorted(FIGURES) == sorted(p.name for p in EXAMPLES.glob("*.ipynb"))
    assert not list(EXAMPLES.glob("*.py"))  # the examples are notebooks


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_committed_notebook_is_executed_in_order(name):
    book = nbformat.read(EXAMPLES / name, as_version=4)
    code = [cell for cell in book.cells if cell.cell_type == "code"]
    assert [cell.execution_count for cell in code] == list(range(1, len(code) + 1))
    for cell in code:
        assert "%matplotlib" not in cell.source
        assert not [o for o in cell.outputs if o.output_type == "error"]


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_notebook_runs_in_a_fresh_kernel_and_shows_its_figures(name, kernel, tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_PATH", str(kernel))
    monkeypatch.setenv("MMSURV_FIGURES", str(tmp_path))
    book = nbformat.read(EXAMPLES / name, as_version=4)
    client = NotebookClient(
        book,
        timeout=600,
        kernel_name="mmsurv-test",
        resources={"metadata": {"path": str(EXAMPLES)}},
    )
    client.execute()  # raises CellExecutionError on any failing cell
    for cell in book.cells:
        if cell.cell_type == "code" and any(plot in cell.source for plot in PLOTS):
            images = [o for o in cell.outputs if "image/png" in o.get("data", {})]
            assert len(images) == 1, cell.source  # inline, once, with no magic
    for figure in FIGURES[name]:
        assert (tmp_path / figure).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", figure
    if name == "carfilzomib_cohort.ipynb":
        html = "".join(
            o["data"].get("text/html", "") for c in book.cells if c.cell_type == "code"
            for o in c.outputs if "data" in o
        )  # fmt: skip
        assert "Audit of niu-2026-krd-vs-vrd: 2 errors" in html
        assert "0.712" in html and "0.627" in html
