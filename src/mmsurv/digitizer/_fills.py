"""Curves under translucent fills: a confidence band drawn over another arm's curve.

A fill of opacity ``a`` drawn over a curve turns the curve's pixels into ``a * fill +
(1 - a) * colour`` and the background beside them into ``a * fill + (1 - a) *
background``: the difference of the two is ``(1 - a)`` times the colour's difference from
the background, in its direction, whatever the fill; under two fills (the arm's own
band too), ``(1 - a1) (1 - a2)`` times (Porter T, Duff T. Compositing digital images.
SIGGRAPH 1984, the "over" operator). survminer draws each arm's band over the other
arm's curve: there the curve's colour turns olive or teal, and was not the curve's.

The differences of each pixel from its neighbours do not depend on the curve's colour:
:class:`Beside` computes them once per figure, for the few pixels where a curve could
lie under a fill, and :func:`under_fill` projects them on each colour.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "FILL_EVEN",
    "FILL_MIN",
    "FILL_MOST",
    "FILL_REACH",
    "FILL_SHARE",
    "FILL_TOLERANCE",
    "Beside",
    "under_fill",
]

#: A pixel is compared with the pixels this many pixels above and below it, and left and
#: right of it (past a curve's line).
FILL_REACH = 4
#: A pixel beside is a fill, not the background, when at least this far from it (RGB)
#: ...
FILL_MIN = 0.08
#: ... and within this of the pixel as far again beyond it: an area, not another
#: curve's line (a black line beside a grey arm is no grey under a fill).
FILL_EVEN = 0.05
#: A pixel counts as the curve's when it differs from the pixels on both sides by at
#: least this share of the curve's colour's difference from the background (a curve
#: under two bands of opacity 0.3, survminer's default, keeps 0.49 of it) ...
FILL_SHARE = 0.35
#: ... in its direction, within this RGB distance ...
FILL_TOLERANCE = 0.06
#: ... and by at most this share (1: a fill only takes from the colour; a little more
#: for anti-aliasing and JPEG).
FILL_MOST = 1.1


@dataclass(frozen=True)
class Beside:
    """Each candidate pixel's differences from the pixels :data:`FILL_REACH` away.

    Attributes
    ----------
    shape : tuple of int
        The plot's height and width in pixels.
    where : numpy.ndarray
        Flat indices of the candidate pixels: for above and below, or left and right,
        both differences at least :data:`FILL_SHARE` of the weakest colour looked for,
        and one of the two pixels a fill (:data:`FILL_MIN` from the background, and even: within
        :data:`FILL_EVEN` of the pixel as far again beyond it).
    diff : numpy.ndarray
        ``(n, 2, 2, 3)``: per candidate, per pair (vertical, horizontal), per side, the
        pixel's colour minus that neighbour's.
    paired : numpy.ndarray
        ``(n, 2)``: the pair is a candidate's (both sides differ enough, one is a fill).
    """

    shape: tuple[int, int]
    where: np.ndarray
    diff: np.ndarray
    paired: np.ndarray

    @classmethod
    def of(cls, inner: np.ndarray, background: np.ndarray, weakest: float) -> Beside:
        """The candidates of the plot ``inner`` (height x width x RGB in [0, 1]) for
        colours at least ``weakest`` from the ``background`` (RGB distance)."""
        r = FILL_REACH
        h, w = inner.shape[:2]
        # single precision and squared distances: a few passes over the whole plot
        pixels = inner.astype(np.float32)
        padded = np.pad(pixels, ((2 * r, 2 * r), (2 * r, 2 * r), (0, 0)), mode="edge")
        away = np.square(padded - background.astype(np.float32)).sum(axis=2)

        def at(array: np.ndarray, dy: int, dx: int) -> np.ndarray:
            return array[2 * r + dy : 2 * r + dy + h, 2 * r + dx : 2 * r + dx + w]

        least = (FILL_SHARE * weakest) ** 2
        diffs, paired = [], []
        for pair in (((-1, 0), (1, 0)), ((0, -1), (0, 1))):
            sides, apart, filled = [], np.ones((h, w), bool), np.zeros((h, w), bool)
            for dy, dx in pair:
                side = at(padded, r * dy, r * dx)
                d = pixels - side
                apart &= np.square(d).sum(axis=2) >= least
                even = np.square(side - at(padded, 2 * r * dy, 2 * r * dx)).sum(axis=2)
                filled |= (at(away, r * dy, r * dx) >= FILL_MIN**2) & (even < FILL_EVEN**2)
                sides.append(d)
            diffs.append(np.stack(sides, axis=2))
            paired.append(apart & filled)
        pairs = np.stack(paired, axis=2).reshape(h * w, 2)
        where = np.flatnonzero(pairs.any(axis=1))
        kept = np.stack(diffs, axis=2).reshape(h * w, 2, 2, 3)[where].astype(float)
        return cls((h, w), where, kept, pairs[where])


def under_fill(beside: Beside, colour: np.ndarray, background: np.ndarray) -> np.ndarray:
    """Per pixel, its share of the curve's ``colour`` under translucent fills.

    The smaller of the shares of the pixel's differences from its two neighbours (above
    and below, or left and right: the better pair) counts when at least
    :data:`FILL_SHARE`, both differences within :data:`FILL_TOLERANCE` of the colour's
    direction from the ``background`` and at most :data:`FILL_MOST`; capped at 1. Both
    sides: just inside the edge of a fill's overlap with another, the pixel differs from
    the fill outside by a share of the colour too, but not from the fill inside. Beside
    the background on both sides (no fill), blends of the colour with the background
    decide instead.

    Returns
    -------
    numpy.ndarray
        ``shape`` of ``beside``, 0 where the pixel is not the curve's under a fill.
    """
    towards = np.asarray(colour, dtype=float) - background
    scale = float(towards @ towards)
    out = np.zeros(beside.shape[0] * beside.shape[1])
    if beside.where.size == 0 or scale == 0.0:
        return out.reshape(beside.shape)
    dot = beside.diff @ towards  # (n, 2, 2)
    share = dot / scale
    off = np.sqrt(np.maximum((beside.diff**2).sum(axis=3) - dot * share, 0.0))
    # a share above 1 is a pixel beyond the colour (darker), no curve under a fill
    share = np.where((off < FILL_TOLERANCE) & (share <= FILL_MOST), share, 0.0).min(axis=2)
    share = np.where(beside.paired & (share >= FILL_SHARE), np.minimum(share, 1.0), 0.0)
    out[beside.where] = share.max(axis=1)
    return out.reshape(beside.shape)
