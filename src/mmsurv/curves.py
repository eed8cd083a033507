"""Digitized Kaplan-Meier coordinates and numbers-at-risk tables: read, check, clean.

Everything here is plain numpy and the standard library, so that reading and cleaning a
curve costs no heavy import. Cleaning never refuses what it can repair and counts every
repair in a :class:`CleaningLog`; it refuses, with one :class:`~mmsurv.errors.InputError`,
what it cannot repair (NaN, negative times, fewer than two points, impossible tables).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ._text import read_text
from .errors import InputError

__all__ = [
    "AtRiskTable",
    "CleaningLog",
    "as_at_risk",
    "as_coordinates",
    "check_at_risk",
    "check_censor_times",
    "clean_curve",
    "read_at_risk",
    "read_censor_times",
    "read_curve",
    "staircase_order",
]

#: A survival column whose largest value exceeds this is read as percent.
PERCENT_THRESHOLD = 1.5
#: Largest survival value accepted on the percent scale (digitizer overshoot included).
PERCENT_MAX = 110.0
#: Times below 0 by at most this share of the largest time are an origin clicked a hair
#: to its left (set to 0); further below, an error.
NEGATIVE_TIME = 0.05


@dataclass(frozen=True)
class CleaningLog:
    """What :func:`clean_curve` did to a digitized curve, step by step.

    Attributes
    ----------
    n_input : int
        Coordinates received.
    percent_converted : bool
        Survival was given in percent (largest value above 1.5) and divided by 100.
    n_reordered : int
        Points that changed position when sorted by time (ties: higher survival first).
    n_snapped : int
        Points whose time was replaced by the mean time of clicks taken in reversed
        time order along the curve (the corners of a step, see :func:`clean_curve`).
    n_duplicates_dropped : int
        Exact duplicate points removed.
    n_clipped : int
        Survival values moved into [0, 1].
    n_time_clipped : int
        Times a little below 0 set to 0.
    n_monotone_adjusted : int
        Survival values changed to make the curve non-increasing.
    start_added : bool
        A point (0, 1) was put in front of the curve.
    n_start_reset : int
        Points at time 0 whose survival was set to 1.
    n_output : int
        Coordinates after cleaning.
    """

    n_input: int
    percent_converted: bool = False
    n_reordered: int = 0
    n_snapped: int = 0
    n_duplicates_dropped: int = 0
    n_clipped: int = 0
    n_time_clipped: int = 0
    n_monotone_adjusted: int = 0
    start_added: bool = False
    n_start_reset: int = 0
    n_output: int = 0

    def steps(self) -> list[str]:
        """One sentence per cleaning step that changed something."""
        out = []
        if self.percent_converted:
            out.append("survival read as percent (values above 1) and divided by 100")
        if self.n_reordered:
            out.append(f"{self.n_reordered} points reordered by time")
        if self.n_snapped:
            out.append(
                f"{self.n_snapped} points clicked out of time order along the curve given "
                "their mean time"
            )
        if self.n_duplicates_dropped:
            out.append(f"{self.n_duplicates_dropped} exact duplicate points dropped")
        if self.n_clipped:
            out.append(f"{self.n_clipped} survival values clipped to [0, 1]")
        if self.n_time_clipped:
            out.append(f"{self.n_time_clipped} times below 0 set to 0")
        if self.n_monotone_adjusted:
            out.append(f"{self.n_monotone_adjusted} survival values adjusted to be non-increasing")
        if self.n_start_reset:
            out.append(f"{self.n_start_reset} points at time 0 set to survival 1")
        if self.start_added:
            out.append("point (0, 1) added at the start")
        return out


@dataclass(frozen=True)
class AtRiskTable:
    """Numbers at risk printed under a Kaplan-Meier figure.

    Attributes
    ----------
    time : numpy.ndarray
        Strictly increasing times, starting at 0.
    n_risk : numpy.ndarray
        Patients still at risk at each time (integers, non-increasing).
    notes : tuple of str
        What :func:`check_at_risk` changed (a row at time 0 added, trailing zeros past
        the curve dropped).
    """

    time: np.ndarray
    n_risk: np.ndarray
    notes: tuple[str, ...] = field(default=())


# --------------------------------------------------------------------------- reading


#: A number written with a decimal comma (``0,95``), read in files not separated by commas.
_DECIMAL_COMMA = re.compile(r"\s*[-+]?\d*,\d+(?:[eE][-+]?\d+)?\s*%?\s*")


def _parse_float(text: str, *, file: str, line: int, column: str) -> float:
    try:
        value = float(text.strip().replace("%", ""))
    except ValueError:
        raise InputError(
            f"line {line}: {column} {text.strip()!r} is not a number", file=file
        ) from None
    if not np.isfinite(value):
        raise InputError(f"line {line}: {column} {text.strip()!r} is not finite", file=file)
    return value


def _rows(path: Path) -> list[list[str]]:
    """The non-blank rows of a CSV file, split at its separator (comma, tab or
    semicolon, whichever the first line holds most of; ties go to the semicolon and the
    tab, since a file separated by them may write decimal commas). In a file not
    separated by commas, ``0,95`` is read as 0.95."""
    text = read_text(path, legacy=True)
    first = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = max([";", "\t", ","], key=first.count)
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(f"not a CSV file ({exc})", file=str(path)) from None
    if delimiter != ",":
        rows = [
            [c.replace(",", ".") if _DECIMAL_COMMA.fullmatch(c) else c for c in row] for row in rows
        ]
    return [row for row in rows if any(cell.strip() for cell in row)]


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _wpd_datasets(header: list[str], second: list[str]) -> list[tuple[str, int]] | None:
    """The datasets of a WebPlotDigitizer "export all" file, name and column of X: each
    ``X`` of row 2 followed by ``Y``, named by row 1 above it. None when row 2 is not
    such a row (then the file is a plain two-column one)."""
    marks = [c.strip().upper() for c in second]
    columns = [i for i in range(len(marks) - 1) if marks[i] == "X" and marks[i + 1] == "Y"]
    if not columns or any(m not in ("X", "Y", "") for m in marks):
        return None
    names = [*header, *[""] * len(marks)]
    return [(names[i], i) for i in columns]


def read_curve(path: str | Path, dataset: str | int | None = None) -> np.ndarray:
    """Read digitized Kaplan-Meier coordinates from a CSV file.

    Three layouts are recognised:

    * a header ``time,survival`` (any two column names) followed by number pairs;
    * two columns of numbers without a header;
    * WebPlotDigitizer's "export all" file: row 1 holds the dataset names, row 2 ``X,Y``
      for each, then one column pair per dataset. Rows may be padded with blanks or
      trimmed after their last value (as spreadsheets save them), and datasets may be
      separated by blank columns; a name may be a number (``1``, ``2``).

    Comma, tab or semicolon separated; in a tab- or semicolon-separated file a decimal
    comma (``0,95``) is read as a decimal point. UTF-8, UTF-16 and Windows-1252
    (cp1252) text are recognised.

    Parameters
    ----------
    path : str or pathlib.Path
        The CSV file.
    dataset : str or int, optional
        Which dataset of a WebPlotDigitizer file to take. Required when it holds more
        than one.

    Returns
    -------
    numpy.ndarray
        Shape (k, 2): time, survival, as written (not cleaned, percent not converted).

    Raises
    ------
    InputError
        Naming the file and line of anything that is not a number, or the dataset that
        is missing.
    """
    path = Path(path)
    file = str(path)
    rows = _rows(path)
    if not rows:
        raise InputError("the file is empty", file=file)
    header = [cell.strip() for cell in rows[0]]
    datasets = _wpd_datasets(header, rows[1]) if len(rows) > 1 else None
    if datasets is not None:
        names = [name for name, _ in datasets]
        for name, col in datasets:
            if not name:
                raise InputError(
                    f"WebPlotDigitizer file: the dataset in column {col + 1} has no name",
                    file=file,
                )
            if names.count(name) > 1:
                raise InputError(
                    f"WebPlotDigitizer file: dataset name {name!r} is used twice", file=file
                )
        if dataset is None:
            if len(names) != 1:
                raise InputError(
                    f"WebPlotDigitizer file holds {len(names)} datasets ({', '.join(names)}): "
                    "name one with 'dataset'",
                    file=file,
                )
            dataset = names[0]
        dataset = str(dataset).strip()
        if dataset not in names:
            raise InputError(
                f"dataset {dataset!r} not found (datasets: {', '.join(names)})", file=file
            )
        col = dict(datasets)[dataset]
        body, first_line = rows[2:], 3
    else:
        if dataset is not None:
            raise InputError(
                f"dataset {dataset!r} given but the file is not a WebPlotDigitizer export",
                file=file,
            )
        col = 0
        has_header = not all(_is_number(c) for c in header[:2] if c.strip())
        body, first_line = (rows[1:], 2) if has_header else (rows, 1)
        if len(header) < 2:
            raise InputError("expected two columns: time, survival", file=file)
    points = []
    for offset, row in enumerate(body):
        cells = [*row, "", ""][col : col + 2] if col < len(row) else ["", ""]
        cells += [""] * (2 - len(cells))
        if not cells[0].strip() and not cells[1].strip():
            continue
        line = first_line + offset
        if not cells[0].strip() or not cells[1].strip():
            raise InputError(
                f"line {line}: a time without a survival value or the reverse", file=file
            )
        points.append(
            (
                _parse_float(cells[0], file=file, line=line, column="time"),
                _parse_float(cells[1], file=file, line=line, column="survival"),
            )
        )
    if not points:
        raise InputError("no coordinates in the file", file=file)
    return np.asarray(points, dtype=float)


def read_at_risk(path: str | Path) -> tuple[np.ndarray, np.ndarray]:
    """Read a numbers-at-risk table from a CSV file with header ``time,n_risk``.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Times and counts as written; check them with :func:`check_at_risk`.
    """
    file, rows = _under_header(Path(path), ["time", "n_risk"])
    times, counts = [], []
    for line, row in enumerate(rows, start=2):
        cells = [*row, "", ""][:2]
        times.append(_parse_float(cells[0], file=file, line=line, column="time"))
        counts.append(_parse_float(cells[1], file=file, line=line, column="n_risk"))
    if not times:
        raise InputError("no rows under the header", file=file)
    return np.asarray(times, dtype=float), np.asarray(counts, dtype=float)


def read_censor_times(path: str | Path) -> np.ndarray:
    """Read the times of censor marks from a CSV file with header ``time``.

    Each row is one mark read off the figure (one censored patient). Check the times with
    :func:`check_censor_times`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "marks.csv"
    >>> _ = path.write_text(chr(10).join(["time", "3.5", "7"]))
    >>> read_censor_times(path)
    array([3.5, 7. ])
    """
    file, rows = _under_header(Path(path), ["time"])
    times = [
        _parse_float([*row, ""][0], file=file, line=line, column="time")
        for line, row in enumerate(rows, start=2)
    ]
    return np.asarray(times, dtype=float)


def _under_header(path: Path, header: list[str]) -> tuple[str, list[list[str]]]:
    """The file's name and its rows under a first row that must start with ``header``."""
    file = str(path)
    rows = _rows(path)
    if not rows:
        raise InputError("the file is empty", file=file)
    found = [cell.strip().lower() for cell in rows[0]]
    if found[: len(header)] != header:
        raise InputError(
            f"expected the header {','.join(header)!r}, found {','.join(found)!r}", file=file
        )
    return file, rows[1:]


def check_censor_times(
    times: Sequence[float] | np.ndarray, *, field: str = "censor_times"
) -> np.ndarray:
    """Check the times of censor marks and return them sorted.

    Refused: values that are not finite numbers and negative times. A mark after the
    curve's last click is accepted: nothing is clicked on a flat tail, so its marks often
    lie beyond the last drop; the reconstruction makes the curve flat to the last mark
    and says so in its report.

    Examples
    --------
    >>> check_censor_times([7, 3.5])
    array([3.5, 7. ])
    """
    if isinstance(times, (str, bytes)) or not isinstance(times, (Sequence, np.ndarray)):
        raise InputError("expected a list of times or a CSV path (header time)", field=field)
    values = []
    for i, value in enumerate(times):
        ok = not isinstance(value, (bool, str, bytes))
        try:
            number = float(value) if ok else np.nan
        except (TypeError, ValueError):
            number = np.nan
        if not np.isfinite(number):
            raise InputError(f"{value!r} is not a finite number", field=f"{field}[{i}]")
        if number < 0:
            raise InputError(f"negative time {number:g}", field=f"{field}[{i}]")
        values.append(number)
    return np.sort(np.asarray(values, dtype=float))


# --------------------------------------------------------------------------- coercion


def as_coordinates(curve: object, *, field: str = "curve") -> np.ndarray:
    """Turn a DataFrame (``time``, ``survival``), a (k, 2) array or pairs into an array.

    Raises
    ------
    InputError
        When the input is not k pairs of numbers.
    """
    columns = getattr(curve, "columns", None)
    if columns is not None:
        missing = {"time", "survival"} - set(columns)
        if missing:
            raise InputError(
                f"a DataFrame needs the columns 'time' and 'survival' (missing {sorted(missing)})",
                field=field,
            )
        curve = curve[["time", "survival"]].to_numpy()  # type: ignore[index]
    try:
        arr = np.asarray(curve, dtype=float)
    except (TypeError, ValueError):
        raise InputError("expected pairs of numbers (time, survival)", field=field) from None
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise InputError(f"expected an array of shape (k, 2), got shape {arr.shape}", field=field)
    return arr


def as_at_risk(at_risk: object, *, field: str = "at_risk") -> tuple[np.ndarray, np.ndarray]:
    """Turn ``{times: [...], n: [...]}``, a DataFrame (``time``, ``n_risk``) or an
    :class:`AtRiskTable` into two arrays (not yet checked)."""
    if isinstance(at_risk, AtRiskTable):
        return at_risk.time, at_risk.n_risk
    columns = getattr(at_risk, "columns", None)
    if columns is not None:
        if not {"time", "n_risk"} <= set(columns):
            raise InputError("a DataFrame needs the columns 'time' and 'n_risk'", field=field)
        times, counts = at_risk["time"], at_risk["n_risk"]  # type: ignore[index]
    elif isinstance(at_risk, Mapping):
        unknown = set(at_risk) - {"times", "n"}
        if unknown or not {"times", "n"} <= set(at_risk):
            raise InputError(
                "expected a mapping with exactly the keys 'times' and 'n'", field=field
            )
        times, counts = at_risk["times"], at_risk["n"]
    else:
        raise InputError(
            "expected {times: [...], n: [...]} or a DataFrame with columns time, n_risk",
            field=field,
        )
    try:
        t = np.asarray(times, dtype=float).ravel()
        n = np.asarray(counts, dtype=float).ravel()
    except (TypeError, ValueError):
        raise InputError("times and n must be numbers", field=field) from None
    if t.shape != n.shape:
        raise InputError(f"{t.size} times but {n.size} counts", field=field)
    return t, n


# --------------------------------------------------------------------------- checks


def check_at_risk(
    times: Sequence[float] | np.ndarray,
    n_risk: Sequence[float] | np.ndarray,
    *,
    n: int,
    curve_end: float | None = None,
    field: str = "at_risk",
) -> AtRiskTable:
    """Check a numbers-at-risk table against the arm size and the curve.

    A table without a row at time 0 gets ``(0, n)``; rows past the end of the curve
    with nobody at risk are dropped; a table that goes on after the curve's last click
    with patients still at risk (nothing is clicked on a flat tail) is kept, and the
    curve is to be read as flat to its last such time; a first count below ``n`` (patients
    randomised but never at risk) is kept, those patients to be censored at time 0 (each
    noted). Refused: missing or non-finite values, negative times, times not strictly
    increasing, non-integer or negative counts, counts that increase or exceed ``n``.
    """
    t = np.asarray(times, dtype=float).ravel()
    r = np.asarray(n_risk, dtype=float).ravel()
    if t.size == 0:
        raise InputError("the table is empty", field=field)
    for name, arr in (("times", t), ("n", r)):
        bad = np.flatnonzero(~np.isfinite(arr))
        if bad.size:
            raise InputError("missing or non-finite value", field=f"{field}.{name}[{bad[0]}]")
    bad = np.flatnonzero(t < 0)
    if bad.size:
        raise InputError(f"negative time {t[bad[0]]:g}", field=f"{field}.times[{bad[0]}]")
    bad = np.flatnonzero(np.diff(t) <= 0)
    if bad.size:
        i = bad[0] + 1
        raise InputError(
            f"time {t[i]:g} is not after the previous time {t[i - 1]:g}",
            field=f"{field}.times[{i}]",
        )
    bad = np.flatnonzero((r != np.round(r)) | (r < 0))
    if bad.size:
        raise InputError(
            f"{r[bad[0]]:g} is not a whole number of patients", field=f"{field}.n[{bad[0]}]"
        )
    bad = np.flatnonzero(r > n)
    if bad.size:
        raise InputError(
            f"{r[bad[0]]:g} exceeds the arm size n = {n}", field=f"{field}.n[{bad[0]}]"
        )
    bad = np.flatnonzero(np.diff(r) > 0)
    if bad.size:
        i = bad[0] + 1
        raise InputError(
            f"{r[i]:g} at risk is more than the {r[i - 1]:g} at the previous time "
            "(numbers at risk cannot increase)",
            field=f"{field}.n[{i}]",
        )
    notes = []
    if t[0] == 0 and r[0] < n:
        notes.append(
            f"{r[0]:g} at risk at time 0 in the table but the arm size is n = {n}: the "
            f"{n - r[0]:g} not at risk are censored at time 0"
        )
    if t[0] > 0:
        t, r = np.concatenate([[0.0], t]), np.concatenate([[float(n)], r])
        notes.append(f"row (0, {n}) added at the start of the at-risk table")
    if curve_end is not None and t[-1] > curve_end:
        positive = np.flatnonzero(r > 0)
        last = int(positive[-1]) if positive.size else 0
        if t[last] > curve_end:
            notes.append(
                f"the curve's last click is at {curve_end:g}, before the at-risk table's "
                f"time {t[last]:g} with {r[last]:g} still at risk: the curve is taken as flat "
                "from its last click to that time"
            )
        drop = (t > curve_end) & (np.arange(t.size) > last)
        if drop.any():
            notes.append(
                f"{int(drop.sum())} at-risk rows after the end of the curve, with nobody at "
                "risk, dropped"
            )
            t, r = t[~drop], r[~drop]
    return AtRiskTable(time=t, n_risk=r.astype(np.int64), notes=tuple(notes))


def staircase_order(t: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Order of clicks along the staircase of a Kaplan-Meier curve.

    Along the curve time never decreases and survival never increases, so the distance
    walked along the staircase, ``t / t_max + (1 - s)`` (time as a share of its axis,
    survival on its own 0-1 axis), strictly increases from one point of the curve to
    the next. Sorting clicks by it puts the two corners of a vertical step in the right
    order (top first) even when the click error gave the bottom corner the earlier
    time, and the points of a flat stretch in time order.
    """
    scale = float(t.max()) if t.max() > 0 else 1.0
    return np.lexsort((-s, t, t / scale - s))


def _isotonic(values: np.ndarray, *, increasing: bool) -> np.ndarray:
    """Least-squares monotone fit in the order given: pool adjacent violators.

    Ayer M et al. An empirical distribution function for sampling with incomplete
    information. Ann Math Stat 1955;26:641-647. Any order of pooling adjacent violating
    blocks reaches the same fit, so every run of violators is pooled at once, one array
    pass at a time (numpy only: scipy.optimize would cost the command line a large
    import).
    """
    y = np.asarray(values, dtype=float) * (1.0 if increasing else -1.0)
    sums: np.ndarray = y.copy()
    counts: np.ndarray = np.ones(y.size)
    while sums.size > 1:
        means = sums / counts
        violates = means[:-1] > means[1:]
        if not violates.any():
            break
        block = np.cumsum(np.concatenate([[True], ~violates])) - 1
        sums, counts = np.bincount(block, weights=sums), np.bincount(block, weights=counts)
    fit = np.repeat(sums / counts, counts.astype(np.int64))
    return fit if increasing else -fit


def clean_curve(
    coords: np.ndarray, *, field: str = "curve", time_axis: float | None = None
) -> tuple[np.ndarray, CleaningLog]:
    """Clean digitized Kaplan-Meier coordinates.

    Steps, each counted in the returned :class:`CleaningLog`:

    1. percent to fraction when the largest survival value exceeds 1.5 (a curve that
       starts at 100% cannot be mistaken for one in fractions);
    2. times a little below 0 (at most 5% of the time axis: an origin clicked a hair to
       its left) set to 0, and survival clipped to [0, 1];
    3. the clicks put in their order along the curve's staircase (see
       :func:`staircase_order`): a click's error in time and in survival can reverse
       the two corners of a step, and sorting by time alone would then turn the step
       into an upward blip;
    4. along that order, times made non-decreasing and survival non-increasing by
       least-squares monotone (isotonic) regression (Barlow RE et al. Statistical
       Inference under Order Restrictions, Wiley 1972): corners clicked in reversed
       time order get their mean time, which makes the step vertical again, and an
       upward blip is split between its neighbours instead of dragging a stretch of
       curve; a monotone curve is left untouched, and no click is merged with another;
    5. exact duplicates dropped;
    6. the curve started at (0, 1): points at time 0 get survival 1, and (0, 1) is
       added when the first point is later.

    ``time_axis`` is the length of the figure's time axis when it is known to run past
    the last click (the last at-risk time, another arm's curve, the maximum follow-up);
    the 5% is of it.

    Refused with :class:`InputError`: non-finite values, times below 0 by more than 5%
    of the time axis, fewer than two points, survival below 0 by more than digitizer
    noise (-0.05) or above 110%.

    Returns
    -------
    (numpy.ndarray, CleaningLog)
        The cleaned (m, 2) coordinates and what was done.
    """
    arr = np.asarray(coords, dtype=float)
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise InputError(f"expected an array of shape (k, 2), got shape {arr.shape}", field=field)
    n_input = arr.shape[0]
    if n_input < 2:
        raise InputError(f"a curve needs at least two points, got {n_input}", field=field)
    bad = np.flatnonzero(~np.isfinite(arr).all(axis=1))
    if bad.size:
        raise InputError("missing or non-finite value", field=f"{field}[{bad[0]}]")
    t, s = arr[:, 0].copy(), arr[:, 1].copy()
    axis = max(float(t.max()), float(time_axis or 0.0), 0.0)
    bad = np.flatnonzero(t < -NEGATIVE_TIME * axis)
    if bad.size:
        raise InputError(f"negative time {arr[bad[0], 0]:g}", field=f"{field}[{bad[0]}]")
    n_time_clipped = int(np.count_nonzero(t < 0))
    t = np.maximum(t, 0.0)
    top = float(s.max())
    percent = top > PERCENT_THRESHOLD
    if percent:
        if top > PERCENT_MAX:
            i = int(np.argmax(s))
            raise InputError(
                f"survival {top:g} is above 100% even read as percent", field=f"{field}[{i}]"
            )
        s = s / 100.0
    bad = np.flatnonzero(s < -0.05)
    if bad.size:
        raise InputError(f"survival {arr[bad[0], 1]:g} is negative", field=f"{field}[{bad[0]}]")
    clipped = np.clip(s, 0.0, 1.0)
    n_clipped = int(np.count_nonzero(clipped != s))
    s = clipped
    order = staircase_order(t, s)
    n_reordered = int(np.count_nonzero(order != np.arange(n_input)))
    t, s = t[order], s[order]
    fitted_t = _isotonic(t, increasing=True)
    fitted_s = _isotonic(s, increasing=False)
    moved_t, moved_s = fitted_t != t, fitted_s != s
    t, s = fitted_t, fitted_s
    keep = np.ones(t.size, dtype=bool)
    keep[1:] = (t[1:] != t[:-1]) | (s[1:] != s[:-1])
    n_dup = int(t.size - keep.sum())
    t, s = t[keep], s[keep]
    at_zero = t == 0
    n_reset = int(np.count_nonzero(at_zero & (s < 1)))
    s[at_zero] = 1.0
    start_added = bool(t[0] > 0)
    if start_added:
        t, s = np.concatenate([[0.0], t]), np.concatenate([[1.0], s])
    keep = np.ones(t.size, dtype=bool)
    keep[1:] = (t[1:] != t[:-1]) | (s[1:] != s[:-1])
    n_dup += int(t.size - keep.sum())
    t, s = t[keep], s[keep]
    if t.size < 2 or t[-1] == 0:
        raise InputError("a curve needs points after time 0", field=field)
    log = CleaningLog(
        n_input=n_input,
        percent_converted=percent,
        n_reordered=n_reordered,
        n_snapped=int(np.count_nonzero(moved_t)),
        n_duplicates_dropped=n_dup,
        n_clipped=n_clipped,
        n_time_clipped=n_time_clipped,
        n_monotone_adjusted=int(np.count_nonzero(moved_s)),
        start_added=start_added,
        n_start_reset=n_reset,
        n_output=int(t.size),
    )
    return np.column_stack([t, s]), log
