"""Read an SVG file into a :class:`Drawing` with svgelements (transforms, ``<use>``, styles)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np

from ..errors import InputError
from ._shapes import Drawing, Shape, Word, as_rgb

__all__ = ["read_svg"]

#: Width of a digit as a fraction of the font size, to place text whose anchor is an end.
_DIGIT_WIDTH = 0.6


def _colour(value: object) -> tuple[float, float, float] | None:
    if value is None or getattr(value, "value", None) is None:
        return None
    if value.alpha == 0:  # type: ignore[attr-defined]
        return None
    return as_rgb((value.red / 255, value.green / 255, value.blue / 255))  # type: ignore[attr-defined]


def _dash(values: dict) -> tuple[float, ...]:
    text = values.get("stroke-dasharray")
    if not text or text == "none":
        return ()
    try:
        return tuple(float(v) for v in text.replace(",", " ").split() if float(v) > 0)
    except ValueError:
        return ()


def _subpaths(path) -> list[tuple[np.ndarray, bool]]:
    from svgelements import Close, Move

    out: list[tuple[list, bool]] = []
    for segment in path:
        if isinstance(segment, Move):
            out.append(([(segment.end.x, segment.end.y)], False))
        elif isinstance(segment, Close):
            if out:
                out[-1] = (out[-1][0], True)
        elif out and segment.end is not None:
            out[-1][0].append((segment.end.x, segment.end.y))
    return [(np.asarray(pts, dtype=float), closed) for pts, closed in out if pts]


def _word(text) -> Word | None:
    content = (text.text or "").strip()
    if not content:
        return None
    size = float(text.font_size or 10.0)
    x, y = text.transform.point_in_matrix_space((text.x, text.y))
    scale = float(np.sqrt(abs(text.transform.determinant)))
    width = _DIGIT_WIDTH * size * scale * len(content)
    anchor = text.anchor or text.values.get("text-anchor") or "start"
    x0 = {"middle": x - width / 2, "end": x - width}.get(anchor, x)
    height = 0.75 * size * scale  # cap height of digits above the baseline
    colour = _colour(text.fill)
    return Word(content, float(x0), float(y - height), float(x0 + width), float(y), colour)


_ROOT_TAG = re.compile(rb"<svg\b[^>]*>", re.S)
_ATTRIBUTE = r"""\b{}\s*=\s*["']([^"']*)["']"""
_STYLE_BLOCK = re.compile(rb"(<style\b[^>]*>)(.*?)(</style>)", re.S)
_RULE = re.compile(r"([^{}]+)(\{[^{}]*\})")
_CDATA = re.compile(r"(\s*<!\[CDATA\[)(.*?)(\]\]>\s*)", re.S)


def _root_names(text: bytes) -> set[str]:
    """The simple selectors that match the root ``<svg>`` element: ``svg``, its classes
    (``.c``, ``svg.c``) and its id (``#i``)."""
    root = _ROOT_TAG.search(text)
    if root is None:
        return set()
    tag = root.group(0).decode("utf-8", "replace")
    names = {"svg"}
    classes = re.search(_ATTRIBUTE.format("class"), tag)
    for name in classes.group(1).split() if classes else ():
        names |= {f".{name}", f"svg.{name}"}
    ident = re.search(_ATTRIBUTE.format("id"), tag)
    if ident:
        names.add(f"#{ident.group(1)}")
    return names


def _css_from_root(css: str, root: set[str]) -> str:
    """Selectors ``R X`` whose ancestor ``R`` is the root element rewritten as ``X``:
    every element is the root's descendant, so they select the same elements, in the
    form svgelements reads (it takes ``tag``, ``.class``, ``tag.class`` and ``#id``, not
    descendant selectors). svglite styles every line this way (``.svglite polyline``)."""

    def rule(match: re.Match) -> str:
        selectors = []
        for selector in match.group(1).split(","):
            parts = selector.split()
            if len(parts) == 2 and parts[0] in root:
                selector = f" {parts[1]}"
            selectors.append(selector)
        return ",".join(selectors) + match.group(2)

    return _RULE.sub(rule, css)


def _with_root_css(text: bytes) -> bytes:
    """The SVG with the descendant-of-root selectors of its ``<style>`` blocks rewritten
    (:func:`_css_from_root`); anything else unchanged."""
    root = _root_names(text)

    def block(match: re.Match) -> bytes:
        css = match.group(2).decode("utf-8", "replace")
        inner = _CDATA.fullmatch(css)
        if inner is not None:  # rewrite inside the CDATA section, keep its markers
            css = inner.group(1) + _css_from_root(inner.group(2), root) + inner.group(3)
        else:
            css = _css_from_root(css, root)
        return match.group(1) + css.encode("utf-8") + match.group(3)

    return _STYLE_BLOCK.sub(block, text)


def read_svg(path: Path) -> Drawing:
    """The paths and text of an SVG file, in its user units (y down).

    Text is placed from its anchor and font size (an SVG carries no glyph widths), so
    tick labels give tick positions only approximately; the tick marks, when drawn,
    give them exactly.
    """
    from svgelements import SVG, Text
    from svgelements import Path as SvgPath
    from svgelements import Shape as SvgShape

    try:
        svg = SVG.parse(io.BytesIO(_with_root_css(path.read_bytes())), reify=True)
    except Exception as exc:  # svgelements raises many kinds on malformed XML
        raise InputError(f"not a readable SVG ({exc.__class__.__name__})", file=str(path)) from None
    shapes, words = [], []
    for element in svg.elements():
        if isinstance(element, Text):
            word = _word(element)
            if word is not None:
                words.append(word)
            continue
        if not isinstance(element, SvgShape) or element.values.get("visibility") == "hidden":
            continue
        stroke = _colour(element.stroke)
        fill = _colour(element.fill)
        width = float(element.stroke_width or 0.0) if stroke else 0.0
        for points, closed in _subpaths(SvgPath(element)):
            shapes.append(Shape(points, stroke, fill, _dash(element.values), width, closed))
    return Drawing(tuple(shapes), tuple(words), float(svg.width), float(svg.height))
