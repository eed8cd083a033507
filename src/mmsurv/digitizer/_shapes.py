"""What a figure is made of, whatever its file format: stroked or filled paths and words.

Coordinates are in the figure's own units (PDF points, SVG user units or pixels) with
the y axis pointing down, as on a page. Every reader (PDF, SVG) turns its file into a
:class:`Drawing`; the rest of the digitizer works on drawings only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

__all__ = ["Colour", "Drawing", "Shape", "Word", "as_rgb", "parse_number"]

#: An RGB colour with components in [0, 1], rounded so that equal colours compare equal.
Colour = tuple[float, float, float]


def as_rgb(value: object) -> Colour | None:
    """An RGB triple from a grey level, an RGB or a CMYK tuple (None when unknown)."""
    if value is None:
        return None
    if isinstance(value, (int, float)):
        value = (value,)
    try:
        parts = [float(v) for v in value]  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        return None
    if len(parts) == 1:
        rgb = (parts[0],) * 3
    elif len(parts) == 3:
        rgb = (parts[0], parts[1], parts[2])
    elif len(parts) == 4:
        c, m, y, k = parts
        rgb = ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    else:
        return None
    return tuple(round(min(max(v, 0.0), 1.0), 3) for v in rgb)  # type: ignore[return-value]


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)%?$")


def parse_number(text: str) -> float | None:
    """The number a tick label or table cell shows (``"0.8"``, ``"80%"``, ``"−2"``), or None."""
    text = text.strip().replace("\u2212", "-").replace(",", "")
    if not _NUMBER.match(text):
        return None
    return float(text.rstrip("%"))


@dataclass(frozen=True)
class Shape:
    """One subpath: its vertices, and how it is painted.

    Attributes
    ----------
    points : numpy.ndarray
        (k, 2) vertices, y pointing down.
    stroke : Colour or None
        Stroke colour; None when the path is not stroked.
    fill : Colour or None
        Fill colour; None when the path is not filled (or fully transparent).
    dash : tuple of float
        Dash pattern (lengths), empty for a solid line.
    width : float
        Line width.
    closed : bool
        The subpath was closed.
    """

    points: np.ndarray
    stroke: Colour | None
    fill: Colour | None
    dash: tuple[float, ...] = ()
    width: float = 1.0
    closed: bool = False

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        """``(x0, y0, x1, y1)``."""
        lo = self.points.min(axis=0)
        hi = self.points.max(axis=0)
        return float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1])

    @property
    def filled(self) -> bool:
        """Painted inside: a fill colour and an enclosed area (a 2-point path has none)."""
        if self.fill is None or len(self.points) < 3:
            return False
        x, y = self.points[:, 0], self.points[:, 1]
        area = 0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))
        x0, y0, x1, y1 = self.bbox
        return bool(area > 1e-6 * max((x1 - x0) * (y1 - y0), 1e-12))

    @property
    def style(self) -> tuple:
        """What tells two curves apart: stroke colour and dash pattern (not the width,
        which a transform scales)."""
        return (self.stroke, tuple(round(d, 2) for d in self.dash))


@dataclass(frozen=True)
class Word:
    """A run of text: its string, bounding box (y down) and colour."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    colour: Colour | None = None

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def value(self) -> float | None:
        return parse_number(self.text)


@dataclass(frozen=True)
class Drawing:
    """A figure's paths and words, and the size of the page or canvas."""

    shapes: tuple[Shape, ...]
    words: tuple[Word, ...]
    width: float
    height: float
