"""``digitize``: Kaplan-Meier curves and the at-risk table of a figure file."""

from __future__ import annotations

import math
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from ._atrisk import TableRow, attach_rows, read_rows
from ._diagnostic import Backdrop
from ._result import Digitized, DigitizedArm, arm_id, hex_colour
from ._vector import VectorResult, axis_time_unit, read_vector

__all__ = ["digitize"]

VECTOR = {".pdf": "pdf", ".svg": "svg"}
RASTER = (".png", ".jpg", ".jpeg")


def _axis(value, name: str) -> tuple[float, float] | None:
    if value is None:
        return None
    try:
        start, end = (float(v) for v in value)
    except (TypeError, ValueError):
        raise InputError("expected two numbers, START END", field=name) from None
    if not (math.isfinite(start) and math.isfinite(end)) or start == end:
        raise InputError(
            f"expected two different finite numbers, got {start:g} {end:g}", field=name
        )
    return start, end


def _positive(value, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise InputError(f"expected a whole number from 1, got {value!r}", field=name)
    return int(value)


def _clean(data: np.ndarray, span: float) -> np.ndarray:
    """Float noise of the figure's scaling dropped: values rounded to 7 decimals and
    times within 1e-6 of the time axis's span from 0 set to 0 (no -1e-6 times), far
    below a figure's precision."""
    data = np.round(data, 7) + 0.0
    data[:, 0] = np.where(np.abs(data[:, 0]) <= 1e-6 * span, 0.0, data[:, 0])
    return data


def _by_label(labels: dict[str, str], text: str) -> str | None:
    """The arm whose legend label is the row's label, or the one arm whose legend label
    begins with it as a word (``no_aid`` for ``no_aid (n = 216)``)."""
    key = text.strip().lower()
    if not key:
        return None
    if key in labels:
        return labels[key]
    starts = [arm for label, arm in labels.items() if re.match(re.escape(key) + r"\b", label)]
    return starts[0] if len(starts) == 1 else None


def _tables(vector: VectorResult, arms: list[DigitizedArm], drawing) -> tuple[list, dict, list]:
    """Each arm's at-risk row (matched by colour, then legend label), and the warnings."""
    cal = vector.calibration
    if not vector.x_labels:
        return arms, {}, []
    below = max(w.y1 for w in vector.x_labels)
    rows = read_rows(
        drawing.words,
        below,
        cal.x.inverse(np.asarray([w.value for w in vector.x_labels])),
        np.asarray([w.value for w in vector.x_labels]),
        names_at_right=True,
    )
    warnings: list[str] = []
    found: dict[str, TableRow | None] = {}
    heights: dict[str, float] = {}
    bottom = float(cal.to_data(np.array([[cal.frame[0], cal.frame[3]]]))[0, 1])
    colours = {a.colour: a.id for a in arms if a.colour}
    labels = {(a.label or "").strip().lower(): a.id for a in arms if a.label}
    for row in rows:
        if row.problem:
            warnings.append(row.problem + ": left out")
            continue
        colour = hex_colour(row.colour)
        owner = colours.get(colour) if colour not in (None, "#000000") else None
        owner = owner or _by_label(labels, row.label)
        if owner is None and len(rows) == 1 and len(arms) == 1:
            owner = arms[0].id
        if owner is None:
            warnings.append(
                f"at-risk row {row.label!r} matches no curve by colour or legend label: left out"
            )
            continue
        if owner in found:
            warnings.append(f"two at-risk rows match arm {owner!r}: both left out")
            found[owner] = None
            continue
        found[owner] = row
        heights[owner] = float(np.mean([w.cy for w in row.words]))
    out, heights, notes = attach_rows(arms, found, bottom, heights)
    return out, heights, [*warnings, *notes]


def _from_vector(path: Path, kind: str, x_axis, y_axis, arms, page) -> Digitized:
    from ._pdf import read_pdf
    from ._svg import read_svg

    drawing = read_pdf(path, page) if kind == "pdf" else read_svg(path)
    vector = read_vector(drawing, x_axis=x_axis, y_axis=y_axis, arms=arms)
    cal = vector.calibration
    found, used = [], set()
    for i, arm in enumerate(vector.arms):
        ident = arm_id(arm.label, i)
        ident = ident if ident not in used else f"{ident}_{i + 1}"
        used.add(ident)
        data = _clean(cal.to_data(arm.points), float(np.ptp(cal.x.values)))
        censored = (
            tuple(float(t) for t in np.round(cal.x(arm.marks[:, 0]), 7)) if len(arm.marks) else ()
        )
        frame = pd.DataFrame({"time": data[:, 0], "survival": data[:, 1]})
        found.append(DigitizedArm(ident, arm.label, hex_colour(arm.style[0]), frame, censored))
    found, heights, notes = _tables(vector, found, drawing)
    return Digitized(
        source=str(path),
        kind=kind,
        arms=tuple(found),
        calibration=cal,
        warnings=(*vector.warnings, *notes),
        time_unit=axis_time_unit(drawing.words, vector.x_labels, cal.frame),
        backdrop=Backdrop(drawing=drawing, rows=heights),
    )


def digitize(
    path: str | os.PathLike,
    *,
    x_axis: tuple[float, float] | None = None,
    y_axis: tuple[float, float] | None = None,
    arms: int | None = None,
    page: int = 1,
) -> Digitized:
    """Read the Kaplan-Meier curves (and the numbers at risk) of a figure.

    A PDF page or an SVG is read exactly from its drawing paths and text layer: the axes
    are calibrated from the tick labels snapped to their tick marks, curves are the
    stroked step lines (one arm per colour, dash and width), confidence bands (filled),
    grid and axis lines, legends and text are left out, small marks on a curve are its
    censoring times, and the at-risk table is read from the text under the axis. A PNG
    or JPEG is traced from its pixels; with the ``ocr`` extra its tick labels, legend
    and at-risk table are read by OCR and checked (see the README for what that reads).

    Parameters
    ----------
    path : str or os.PathLike
        ``.pdf``, ``.svg``, ``.png``, ``.jpg`` or ``.jpeg``.
    x_axis, y_axis : (float, float), optional
        Values of the first and last tick marks of the axis, when the figure has no
        text layer or its labels cannot be read (required for images without the
        ``ocr`` extra); given values win over labels read.
    arms : int, optional
        How many curves to keep (the longest), when the figure draws more. Confidence
        limits drawn as lines in an arm's colour, stepping only where the arm does, are
        left out before (figures: base R's ``conf.int = TRUE``), so they never
        displace an arm.
    page : int
        PDF page, from 1.

    Returns
    -------
    Digitized
        Curves as DataFrames, at-risk rows, the calibration, warnings; ``to_study`` and
        ``save`` turn it into a study that :func:`mmsurv.reconstruct` takes.

    Raises
    ------
    InputError
        A missing or unreadable file, an unsupported format, no curve found, an axis
        that cannot be calibrated (an image's tick labels not read, or not evenly
        spaced, without the axis values given).

    Notes
    -----
    The curves feed the reconstruction of Guyot P, Ades AE, Ouwens MJ, Welton NJ.
    Enhanced secondary analysis of survival data: reconstructing the data from published
    Kaplan-Meier survival curves. BMC Med Res Methodol 2012;12:9, which needs the curve's
    steps and the numbers at risk this function reads.

    Examples
    --------
    >>> import mmsurv
    >>> result = mmsurv.digitize("km.pdf")  # doctest: +SKIP
    >>> result.table()  # doctest: +SKIP
    >>> result.save("km-study")  # doctest: +SKIP
    """
    path = Path(path)
    x_axis, y_axis = _axis(x_axis, "x_axis"), _axis(y_axis, "y_axis")
    arms, page_number = _positive(arms, "arms"), _positive(page, "page")
    if not path.is_file():
        raise InputError("no such file", file=str(path))
    suffix = path.suffix.lower()
    try:
        if suffix in VECTOR:
            return _from_vector(path, VECTOR[suffix], x_axis, y_axis, arms, page_number)
        if suffix in RASTER:
            from ._raster import read_raster

            return read_raster(path, x_axis=x_axis, y_axis=y_axis, arms=arms)
    except InputError as exc:
        raise exc.within(file=str(path)) from None
    raise InputError(
        f"unsupported figure format {path.suffix!r}; use .pdf, .svg, .png or .jpg", file=str(path)
    )
