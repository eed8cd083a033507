"""From figure coordinates to data: the two axes' linear maps, and how they were found."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import InputError

__all__ = ["AxisMap", "Calibration", "fit_axis", "labels_agree"]

#: Largest relative residual of a tick label from the line through all labels of an axis.
LINEAR_TOLERANCE = 0.01


@dataclass(frozen=True)
class AxisMap:
    """``value = offset + slope * coordinate`` for one axis.

    Attributes
    ----------
    positions : tuple of float
        Figure coordinates of the ticks the map was fitted to.
    values : tuple of float
        Axis values at those ticks.
    source : str
        Where the ticks came from (``"tick marks and labels"``, ``"--x-axis and tick
        marks"``, ...).
    """

    positions: tuple[float, ...]
    values: tuple[float, ...]
    source: str

    @property
    def slope(self) -> float:
        return float(np.polyfit(self.positions, self.values, 1)[0])

    @property
    def offset(self) -> float:
        return float(np.polyfit(self.positions, self.values, 1)[1])

    def __call__(self, coordinate: np.ndarray) -> np.ndarray:
        slope, offset = np.polyfit(self.positions, self.values, 1)
        return offset + slope * np.asarray(coordinate, dtype=float)

    def inverse(self, value: np.ndarray) -> np.ndarray:
        slope, offset = np.polyfit(self.positions, self.values, 1)
        return (np.asarray(value, dtype=float) - offset) / slope


def fit_axis(positions: list[float], values: list[float], source: str, *, name: str) -> AxisMap:
    """An :class:`AxisMap` through tick positions and values, refused when not linear.

    Raises
    ------
    InputError
        Fewer than two distinct ticks, or labels off a straight line by more than 1% of
        the axis range (a log axis, a misread label).
    """
    pos = np.asarray(positions, dtype=float)
    val = np.asarray(values, dtype=float)
    if pos.size < 2 or np.ptp(pos) == 0 or np.ptp(val) == 0:
        raise InputError("fewer than two distinct ticks to calibrate the axis", field=name)
    if pos.size > 2:
        slope, offset = np.polyfit(pos, val, 1)
        worst = float(np.max(np.abs(offset + slope * pos - val)) / np.ptp(val))
        if worst > LINEAR_TOLERANCE:
            raise InputError(
                f"tick labels {values} are not evenly spaced on the axis (off by "
                f"{worst:.1%} of its range); give the axis with --{name.replace('_', '-')}",
                field=name,
            )
    return AxisMap(tuple(map(float, pos)), tuple(map(float, val)), source)


@dataclass(frozen=True)
class Calibration:
    """How figure coordinates became time and survival.

    Attributes
    ----------
    x : AxisMap
        Time axis.
    y : AxisMap
        Survival axis, in the figure's own scale (fractions or percent).
    percent : bool
        The survival axis is labelled in percent; survival is its value / 100.
    frame : tuple of float
        The plot area ``(x0, y0, x1, y1)`` in figure coordinates (y down).
    """

    x: AxisMap
    y: AxisMap
    percent: bool
    frame: tuple[float, float, float, float]

    def to_data(self, points: np.ndarray) -> np.ndarray:
        """(k, 2) figure coordinates -> (k, 2) ``time, survival``."""
        points = np.asarray(points, dtype=float).reshape(-1, 2)
        survival = self.y(points[:, 1]) / (100.0 if self.percent else 1.0)
        return np.column_stack([self.x(points[:, 0]), survival])

    def to_figure(self, data: np.ndarray) -> np.ndarray:
        """(k, 2) ``time, survival`` -> figure coordinates."""
        data = np.asarray(data, dtype=float).reshape(-1, 2)
        scale = 100.0 if self.percent else 1.0
        return np.column_stack([self.x.inverse(data[:, 0]), self.y.inverse(data[:, 1] * scale)])

    def table(self):
        """One row per axis: source, the ticks used, slope and offset."""
        import pandas as pd

        rows = []
        for axis, m in (("time", self.x), ("survival", self.y)):
            rows.append(
                {
                    "axis": axis,
                    "source": m.source,
                    "ticks": len(m.positions),
                    "first": m.values[0],
                    "last": m.values[-1],
                    "slope": m.slope,
                    "offset": m.offset,
                }
            )
        return pd.DataFrame(rows)


def labels_agree(axis_map: AxisMap, labels: list, axis: str) -> bool:
    """Whether tick labels (words with a ``value``) sit where ``axis_map`` puts their
    values: their centres within three times :data:`LINEAR_TOLERANCE` (3%) of the axis
    range (a label's centre is a few pixels off its tick)."""
    centres = np.asarray([w.cx if axis == "x" else w.cy for w in labels])
    values = np.asarray([w.value for w in labels], dtype=float)
    span = float(np.ptp(axis_map.values))
    return bool(np.max(np.abs(axis_map(centres) - values)) <= LINEAR_TOLERANCE * span * 3)
