"""The centre line of a Kaplan-Meier curve drawn as the outline of its stroke.

Some figures carry a curve not as a stroked line but as a filled shape: the outline of
the stroke ("outline stroke" in drawing programs, some journal production steps, fonts
and lines converted to paths for print). The shape of a staircase line of width ``w``
going right and down is bounded by two staircases of its own:

* its *upper* edges (the inside below them) are the curve's levels raised by ``w / 2``,
  and each begins ``w / 2`` right of the drop before it (the inner corner of the bend,
  sharp whatever the line join);
* its *lower* edges are the levels lowered by ``w / 2``.

So ``w`` is the gap between an upper edge and the lower edge under it, every lower
edge is an upper one lowered by ``w`` (that is what tells a line's outline from a
confidence band, whose limits are apart by varying amounts), each level is an upper
edge lowered by ``w / 2``, and each drop is at the start of the next upper edge less
``w / 2``. A drop at the end of the curve has no upper edge after it: it is the right
side of the outline that reaches below the last level, ``w / 2`` left of it. Line ends
are read as butt caps (the line ends where the outline does); a square or round cap
makes the last level up to ``w / 2`` longer. With round joins, a level shorter than
half the line width is hidden in the bend (it has no upper edge of its own) and is not
read: its two drops become one, at the second.
"""

from __future__ import annotations

import numpy as np

__all__ = ["outline_centre"]


def outline_centre(points: np.ndarray, tol: float, max_width: float) -> np.ndarray | None:
    """The centre staircase of a filled shape that outlines a staircase line, or None.

    Parameters
    ----------
    points : numpy.ndarray
        (k, 2) vertices of one closed subpath, y pointing down.
    tol : float
        Coordinates equal within ``tol`` are equal.
    max_width : float
        Widest line taken for a curve (a wider shape is an area, not a line).

    Returns
    -------
    numpy.ndarray or None
        The centre line's vertices, left to right; None when the shape is not the
        outline of a staircase line no wider than ``max_width``.
    """
    p = np.asarray(points, dtype=float)
    if len(p) > 1 and np.all(np.abs(p[0] - p[-1]) <= tol):
        p = p[:-1]
    if len(p) < 6:
        return None
    q = np.roll(p, -1, axis=0)
    d = q - p
    orientation = np.sign(np.sum(p[:, 0] * q[:, 1] - q[:, 0] * p[:, 1]))
    if orientation == 0:
        return None
    flat = (np.abs(d[:, 1]) <= tol) & (np.abs(d[:, 0]) > tol)
    below = orientation * np.sign(d[:, 0]) > 0  # the inside lies below the edge
    lo, hi, y = np.minimum(p[:, 0], q[:, 0]), np.maximum(p[:, 0], q[:, 0]), p[:, 1]
    upper = _merged(lo[flat & below], hi[flat & below], y[flat & below], tol)
    lower = _merged(lo[flat & ~below], hi[flat & ~below], y[flat & ~below], tol)
    if upper is None or lower is None:
        return None
    width = _width(upper, lower, float(p[:, 0].max()), tol)
    if width is None or width > max_width:
        return None
    u_lo, u_hi, u_y = upper
    if np.any(np.diff(u_y) <= tol) or np.any(u_lo[1:] < u_hi[:-1] - tol):
        return None  # upper edges must step down from left to right without overlapping
    half = width / 2
    levels = u_y + half
    drops = u_lo[1:] - half
    xs = np.concatenate([[u_lo[0]], np.repeat(drops, 2), [u_hi[-1]]])
    centre = np.column_stack([xs, np.repeat(levels, 2)])
    end = _end_drop(p, d, orientation, levels[-1], width, tol)
    if end is not None:
        x_edge, bottom = end
        centre[-1, 0] = x_edge - half
        centre = np.vstack([centre, [x_edge - half, bottom]])
    return centre


def _merged(
    lo: np.ndarray, hi: np.ndarray, y: np.ndarray, tol: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Horizontal edges sorted left to right, collinear touching pieces joined."""
    if lo.size == 0:
        return None
    order = np.lexsort((lo, y))
    lo, hi, y = lo[order], hi[order], y[order]
    new = np.ones(lo.size, dtype=bool)
    new[1:] = (np.abs(np.diff(y)) > tol) | (lo[1:] > np.maximum.accumulate(hi)[:-1] + tol)
    starts = np.flatnonzero(new)
    lo, hi, y = np.minimum.reduceat(lo, starts), np.maximum.reduceat(hi, starts), y[new]
    order = np.argsort(lo, kind="stable")
    return lo[order], hi[order], y[order]


def _slack(width: float, tol: float) -> float:
    return 10 * tol + 0.02 * width


def _width(upper, lower, right_end: float, tol: float) -> float | None:
    """The line width: the smallest gap from an upper edge down to a lower edge beside
    it, when the lower edges are then the upper ones lowered by that width and moved
    left.

    Under an upper edge, the lower edge of the same level is ``w`` down (when the level
    is longer than the line is wide) and those of later levels further; it begins
    ``w / 2`` (round join) to ``w`` (miter) left of the upper edge, as the bend it
    follows is on the other side of the line. A confidence band's lower limit is not
    its upper limit moved down by one amount, nor moved left: its steps are under the
    upper limit's. A lower edge reaching the outline's ``right_end`` (the cap of a drop
    ending the curve, or the last level's own edge) is left out.
    """
    u_lo, u_hi, u_y = upper
    inner = lower[1] < right_end - 10 * tol
    l_lo, l_hi, l_y = (edge[inner] for edge in lower)
    overlaps = (l_lo[None, :] < u_hi[:, None] - tol) & (l_hi[None, :] > u_lo[:, None] + tol)
    under = overlaps & (l_y[None, :] > u_y[:, None] + tol)
    if not under.any():
        return None
    width = float(np.min((l_y[None, :] - u_y[:, None])[under]))
    slack = _slack(width, tol)
    same = np.abs(l_y[:, None] - (u_y[None, :] + width)) <= slack  # lower k, upper j
    if not same.any(axis=1).all():
        return None
    # after a drop the lower edge of a level starts left of its upper edge
    later = same & (u_lo[None, :] > u_lo.min() + slack)
    paired = later.any(axis=0)
    start = np.where(later, l_lo[:, None], np.inf).min(axis=0)[paired]
    if np.any(start > u_lo[paired] - width / 2 + slack):
        return None
    return width


def _end_drop(
    p: np.ndarray, d: np.ndarray, orientation: float, level: float, width: float, tol: float
) -> tuple[float, float] | None:
    """A drop ending the curve: the outline's right side (inside to its left, at its
    right end) reaching below the last level's line, ``level + w / 2``; or, for a last
    drop under half the line width, ending between the level and that. Its x (the right
    side's, ``w / 2`` right of the drop) and the lowest point it reaches."""
    vertical = (np.abs(d[:, 0]) <= tol) & (np.abs(d[:, 1]) > tol)
    right = vertical & (orientation * np.sign(d[:, 1]) > 0)  # the inside lies left of it
    right &= p[:, 0] >= p[:, 0].max() - _slack(width, tol)
    if not right.any():
        return None
    bottom = np.maximum(p[:, 1], p[:, 1] + d[:, 1])
    k = int(np.flatnonzero(right)[np.argmax(bottom[right])])
    if bottom[k] <= level + tol or abs(bottom[k] - (level + width / 2)) <= _slack(width, tol):
        return None  # the line ends flat: its right end spans the level's line
    return float(p[k, 0]), float(bottom[k])
