"""Click error of a digitized curve, estimated from its own clicks.

A reader who digitizes a Kaplan-Meier figure clicks both corners of every step (Guyot
P, Ades AE, Ouwens MJ, Welton NJ. Enhanced secondary analysis of survival data:
reconstructing the data from published Kaplan-Meier survival curves. BMC Med Res
Methodol 2012;12:9). Each click misses its point by a small error in time and in
survival; :func:`click_error` estimates the standard deviation of that error from the
clicks that come out of order, which only error can put there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .curves import PERCENT_THRESHOLD

__all__ = ["SURVIVAL_ERROR_FLOOR", "TIME_ERROR_FLOOR", "ClickError", "click_error"]

#: Smallest click error in survival: half a pixel of a 500-pixel survival axis.
SURVIVAL_ERROR_FLOOR = 0.001
#: Smallest click error in time, as a share of the time axis (half a pixel of 500).
TIME_ERROR_FLOOR = 0.001
#: A median of a half-normal distribution divided by its scale (sqrt(2) * 0.6745).
_HALF_NORMAL_MEDIAN = math.sqrt(2.0) * 0.6744897501960817


@dataclass(frozen=True)
class ClickError:
    """Standard deviation of a click's error, in time units and survival (fraction).

    ``time_pairs`` and ``survival_pairs`` are the out-of-order click pairs each estimate
    rests on (0: the floor is used).
    """

    time: float
    survival: float
    time_pairs: int = 0
    survival_pairs: int = 0

    def __repr__(self) -> str:
        return (
            f"ClickError(time sd {self.time:.3g} from {self.time_pairs} pairs, "
            f"survival sd {self.survival:.3g} from {self.survival_pairs} pairs)"
        )


def _scale_of(backwards: np.ndarray) -> float:
    """Scale of the click error from the sizes of backward steps of click pairs.

    Two clicks of one true value differ by N(0, 2 sd^2); the backward ones are the
    negative half, whose median size is 0.954 sd. The median keeps a few steps of true
    drops clicked out of order from weighing in.
    """
    return float(np.median(backwards) / _HALF_NORMAL_MEDIAN) if backwards.size else 0.0


def click_error(coords: np.ndarray) -> ClickError:
    """Estimate the click error of a digitized curve from its own clicks.

    A Kaplan-Meier curve never rises and its clicks come in time order: in the order the
    clicks were given, a later click earlier in time, or one higher in survival than the
    click before, is digitizing error. Consecutive clicks with the same true value (the
    two corners of a vertical step share a time, the corners of a horizontal one a
    survival) differ by the difference of two errors; the robust scale of the backward
    steps estimates the error's standard deviation. The estimate is at least
    :data:`TIME_ERROR_FLOOR` of the time axis and :data:`SURVIVAL_ERROR_FLOOR`: a
    cleaned, monotone curve still has pixels.

    Parameters
    ----------
    coords : numpy.ndarray
        Shape (k, 2): time, survival, in click order; survival as fractions or percent
        (values above 1.5).

    Returns
    -------
    ClickError
        Survival error as a fraction.

    Examples
    --------
    >>> import numpy as np
    >>> clicks = np.array([[0, 1], [2, 1.002], [2.01, 0.9], [1.99, 0.898], [5, 0.8]])
    >>> round(click_error(clicks).survival, 4)
    0.0021
    """
    arr = np.asarray(coords, dtype=float)
    t, s = arr[:, 0], arr[:, 1]
    if s.max() > PERCENT_THRESHOLD:
        s = s / 100.0
    dt, ds = np.diff(t), np.diff(s)
    back_t, up_s = -dt[dt < 0], ds[ds > 0]
    axis = float(t.max())
    return ClickError(
        time=max(_scale_of(back_t), TIME_ERROR_FLOOR * axis),
        survival=max(_scale_of(up_s), SURVIVAL_ERROR_FLOOR),
        time_pairs=int(back_t.size),
        survival_pairs=int(up_s.size),
    )
