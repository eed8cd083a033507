"""Fixtures shared by the test modules, and the ``slow`` marker's meaning.

Tests read nothing outside the repository: the reference table of published trial
results lives in ``tests/data/`` (see its README).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from mmsurv.validation import real_datasets

DATA = Path(__file__).parent / "data"

# The accuracy harnesses and their scripts live in validation/, outside the package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "validation"))


@pytest.fixture(scope="session")
def datasets():
    """The real two-group data sets of :func:`mmsurv.validation.real_datasets`."""
    return real_datasets()


@pytest.fixture(scope="session")
def reference() -> dict[str, dict]:
    """The reference table's entries (``tests/data/trials.yaml``) by id."""
    data = yaml.safe_load((DATA / "trials.yaml").read_text(encoding="utf-8"))
    return {entry["id"]: entry for entry in data["entries"]}


@pytest.fixture
def no_ocr(monkeypatch):
    """The OCR engine not installed."""
    import mmsurv.digitizer._raster as raster

    monkeypatch.setattr(raster, "available", lambda: False)


@pytest.fixture
def write_study(tmp_path):
    """Write a study file's text to a temporary folder and give its path."""

    def write(text: str, name: str = "study.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
