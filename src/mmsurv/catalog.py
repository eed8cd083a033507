"""The study catalog: where the built-in study files and the user's folders are, and
which study an id names.

Built-in studies live in ``mmsurv/catalog/*.yaml``; folders named in the environment
variable ``MMSURV_CATALOG`` (separated by the path separator) or given with ``--catalog``
add to them. A study is found by its id, the file name without ``.yaml``. A leaf module:
:func:`mmsurv.load_study` looks ids up here, :func:`mmsurv.pipeline.load_catalog` loads
them all and :mod:`mmsurv.listing` prints them.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["catalog_dir", "catalog_ids", "find_study"]


def catalog_dir() -> Path:
    """The folder of the built-in study files."""
    return Path(__file__).parent / "catalog"


def _catalog_dirs() -> list[Path]:
    extra = os.environ.get("MMSURV_CATALOG")
    dirs = [Path(p) for p in extra.split(os.pathsep) if p] if extra else []
    return [*dirs, catalog_dir()]


def catalog_ids() -> list[str]:
    """Ids of the studies in the catalog (built-in and ``MMSURV_CATALOG`` folders)."""
    ids = []
    for folder in _catalog_dirs():
        if folder.is_dir():
            ids += [p.stem for p in sorted(folder.glob("*.yaml"))]
    return sorted(set(ids))


def find_study(study_id: str) -> Path | None:
    """The file of the catalog study with this id (``MMSURV_CATALOG`` folders first), or
    None.

    Examples
    --------
    >>> find_study("niu-2026-krd-vs-vrd").name
    'niu-2026-krd-vs-vrd.yaml'
    >>> find_study("no-such-study") is None
    True
    """
    for folder in _catalog_dirs():
        candidate = folder / f"{study_id}.yaml"
        if candidate.is_file():
            return candidate
    return None
