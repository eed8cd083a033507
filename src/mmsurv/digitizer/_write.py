"""Write a digitized figure as a study folder: study.yaml, one curve CSV per arm, one
censor-mark CSV (header ``time``) per arm with marks, and the diagnostic image; all files
or none."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from ..errors import InputError

__all__ = ["write_folder"]

STUDY_FILE = "study.yaml"
DIAGNOSTIC_FILE = "digitized.png"


def _curve_csv(frame) -> str:
    out = io.StringIO()
    out.write("time,survival\n")
    out.writelines(
        f"{t:.10g},{s:.10g}\n"
        for t, s in zip(frame["time"].tolist(), frame["survival"].tolist(), strict=True)
    )
    return out.getvalue()


def write_folder(result, folder: str | os.PathLike, **study: Any) -> Path:
    """Write ``result`` (a :class:`Digitized`) into ``folder``; returns the study file.

    Every file is first written into a temporary folder inside ``folder`` and moved into
    place only when all are written, so a failure leaves no half-written output. The
    study is validated (with the checks ``mmsurv reconstruct`` applies) before anything
    is written. ``study`` holds :meth:`Digitized.to_study`'s keywords.
    """
    import yaml

    from .. import save_figure

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError("the output exists and is not a folder", file=str(folder))
    if not folder.parent.is_dir():
        raise InputError("the output's parent folder does not exist", file=str(folder))
    result.to_study(**study)  # the same checks as reconstruct's, before anything is written
    curves = {a.id: f"{a.id}.csv" for a in result.arms}
    marks = {a.id: f"{a.id}-censor-marks.csv" for a in result.arms if a.censored}
    texts = {
        name: _curve_csv(a.curve) for a, name in zip(result.arms, curves.values(), strict=True)
    }
    texts.update(
        {
            marks[a.id]: "time\n" + "".join(f"{t:.10g}\n" for t in a.censored)
            for a in result.arms
            if a.id in marks
        }
    )
    data = result.study_data(curves=curves, marks=marks, **study)
    texts[STUDY_FILE] = yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, default_flow_style=None
    )
    targets = [folder / name for name in [*texts, DIAGNOSTIC_FILE]]
    source = Path(result.source).resolve()
    if any(t.resolve() == source for t in targets):
        raise InputError("refusing to write over the input figure", file=str(source))
    folder.mkdir(exist_ok=True)
    stage = Path(tempfile.mkdtemp(dir=folder, prefix=".digitize-"))
    try:
        for name, text in texts.items():
            (stage / name).write_text(text, encoding="utf-8")
        save_figure(result.diagnostic(), stage / DIAGNOSTIC_FILE)
        for target in targets:
            os.replace(stage / target.name, target)
    finally:
        with contextlib.suppress(OSError):
            shutil.rmtree(stage)
    return folder / STUDY_FILE
