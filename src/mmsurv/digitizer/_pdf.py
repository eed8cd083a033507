"""Read one page of a PDF into a :class:`Drawing` with pdfplumber (pdfminer.six)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import InputError
from ._shapes import Drawing, Shape, Word, as_rgb

__all__ = ["read_pdf"]


def _dash(value: object) -> tuple[float, ...]:
    if not value:
        return ()
    pattern = value[0] if isinstance(value, (tuple, list)) and len(value) == 2 else value
    try:
        return tuple(float(v) for v in pattern if float(v) > 0)  # type: ignore[union-attr]
    except (TypeError, ValueError):
        return ()


def _subpaths(obj: dict) -> list[tuple[np.ndarray, bool]]:
    """Vertices of each subpath (curve segments by their end points) and whether it closes."""
    out: list[tuple[list, bool]] = []
    for command in obj.get("path") or [("m", p) for p in obj["pts"][:1]] + [
        ("l", p) for p in obj["pts"][1:]
    ]:
        op = command[0]
        if op == "m":
            out.append(([command[1]], False))
        elif op in ("l", "c", "v", "y") and out:
            out[-1][0].append(command[-1])
        elif op == "h" and out:
            out[-1] = (out[-1][0], True)
    return [(np.asarray(pts, dtype=float), closed) for pts, closed in out if pts]


def read_pdf(path: Path, page: int = 1) -> Drawing:
    """The paths and words of page ``page`` (1-based) of a PDF file.

    Parameters
    ----------
    path : pathlib.Path
        The PDF file.
    page : int
        Page number, from 1.

    Returns
    -------
    Drawing
        Coordinates in PDF points, y down from the top of the page.
    """
    import pdfplumber

    try:
        with pdfplumber.open(path) as document:
            if not 1 <= page <= len(document.pages):
                raise InputError(
                    f"page {page} does not exist (the file has {len(document.pages)})",
                    file=str(path),
                    field="page",
                )
            return _drawing(document.pages[page - 1])
    except InputError:
        raise
    except Exception as exc:  # pdfminer raises many kinds on a damaged or foreign file
        raise InputError(f"not a readable PDF ({exc.__class__.__name__})", file=str(path)) from None


def _drawing(pdf_page) -> Drawing:
    shapes = []
    for obj in [*pdf_page.curves, *pdf_page.lines, *pdf_page.rects]:
        stroke = as_rgb(obj.get("stroking_color")) if obj.get("stroke") else None
        fill = as_rgb(obj.get("non_stroking_color")) if obj.get("fill") else None
        for points, closed in _subpaths(obj):
            shapes.append(
                Shape(
                    points=points,
                    stroke=stroke,
                    fill=fill,
                    dash=_dash(obj.get("dash")),
                    width=float(obj.get("linewidth") or 0.0),
                    closed=closed or obj["object_type"] == "rect",
                )
            )
    return Drawing(
        tuple(shapes), tuple(_words(pdf_page)), float(pdf_page.width), float(pdf_page.height)
    )


def _rotated_direction(pdf_page) -> str:
    """How the page's rotated characters read: ``"btt"`` (bottom to top, turned a
    quarter counter-clockwise, as R draws a y axis's tick labels by default) when most
    of them are, else ``"ttb"``. The text matrix ``(a, b, c, d, e, f)`` of a glyph turned
    counter-clockwise has ``b > 0``."""
    turned = [c["matrix"][1] > 0 for c in pdf_page.chars if not c.get("upright", True)]
    return "btt" if 2 * sum(turned) >= len(turned) else "ttb"


def _split_cells(chars: list[dict]) -> list[list[dict]]:
    """A word's characters cut after each ``)`` followed by a digit: two table cells set
    so close that their characters touch (``(100)6`` of survminer's ``90 (100)`` beside
    ``6 (50)``) are two words."""
    parts: list[list[dict]] = [[]]
    for i, c in enumerate(chars):
        parts[-1].append(c)
        if c["text"] == ")" and i + 1 < len(chars) and chars[i + 1]["text"].isdigit():
            parts.append([])
    return parts


def _words(pdf_page) -> list[Word]:
    """The page's words, upright or set at a right angle, each with its bounding box on
    the page and its fill colour."""
    out = []
    for w in pdf_page.extract_words(
        extra_attrs=["non_stroking_color", "upright"],
        char_dir_rotated=_rotated_direction(pdf_page),
        return_chars=True,
    ):
        colour = as_rgb(w.get("non_stroking_color"))
        parts = _split_cells(w["chars"])
        if len(parts) == 1:
            out.append(
                Word(
                    w["text"],
                    float(w["x0"]),
                    float(w["top"]),
                    float(w["x1"]),
                    float(w["bottom"]),
                    colour,
                )
            )
            continue
        for part in parts:
            out.append(
                Word(
                    "".join(c["text"] for c in part),
                    float(min(c["x0"] for c in part)),
                    float(min(c["top"] for c in part)),
                    float(max(c["x1"] for c in part)),
                    float(max(c["bottom"] for c in part)),
                    colour,
                )
            )
    return out
