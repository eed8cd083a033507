"""How numbers are shown: in messages, in text tables and in display columns.

A leaf module (it imports nothing of the package): analysis results, published-versus-
reconstructed tables, comparisons and figures all print numbers, p-values and
percentages the same way.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "COUNT_QUANTITIES",
    "NUMERIC_COLUMNS",
    "VALUE_COLUMNS",
    "display",
    "distinct_labels",
    "fmt_cell",
    "fmt_number",
    "fmt_p",
    "fmt_percent",
    "fmt_signed",
    "is_missing",
    "plain",
]

#: Quantities counted in whole patients, shown without decimals.
COUNT_QUANTITIES = ("n", "events")
#: Columns of tables that hold the value of a quantity.
VALUE_COLUMNS = ("estimate", "ci_lower", "ci_upper", "published", "reconstructed")
#: Columns shown right-aligned.
NUMERIC_COLUMNS = (*VALUE_COLUMNS, "p", "abs_diff", "rel_diff")


def is_missing(value: Any) -> bool:
    """None or NaN.

    Examples
    --------
    >>> is_missing(None), is_missing(float("nan")), is_missing(0.0)
    (True, True, False)
    """
    return value is None or (isinstance(value, float) and math.isnan(value))


def plain(value: Any) -> Any:
    """A numpy scalar as the Python scalar (labels print as ``1``, not ``np.int64(1)``).

    Examples
    --------
    >>> plain(np.int64(1))
    1
    """
    return value.item() if isinstance(value, np.generic) else value


def fmt_number(value: Any) -> str:
    """Up to 3 decimals (1 from 1000 on), trailing zeros dropped; '' when missing.

    Examples
    --------
    >>> fmt_number(0.71249), fmt_number(14.0), fmt_number(1234.56), fmt_number(0.00042)
    ('0.712', '14', '1234.6', '0.00042')
    """
    if is_missing(value):
        return ""
    value = float(value)
    if value != 0 and abs(value) < 0.001:
        return f"{value:.2g}"
    text = f"{value:.{1 if abs(value) >= 1000 else 3}f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text == "-0" else text


def fmt_p(value: Any) -> str:
    """A p-value as '<0.001' or with 3 decimals; text (a reported bound) as is.

    Examples
    --------
    >>> fmt_p(0.00042), fmt_p(0.0123), fmt_p("<0.05")
    ('<0.001', '0.012', '<0.05')
    """
    if isinstance(value, str):
        return value
    if is_missing(value):
        return ""
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def fmt_signed(value: Any) -> str:
    """A difference with its sign (``+0.5``, ``-2``, ``0``).

    Examples
    --------
    >>> fmt_signed(0.5), fmt_signed(-2.0), fmt_signed(0.0)
    ('+0.5', '-2', '0')
    """
    text = fmt_number(value)
    return f"+{text}" if text and not text.startswith("-") and text != "0" else text


def fmt_percent(value: Any) -> str:
    """A relative difference as a signed percentage.

    Examples
    --------
    >>> fmt_percent(-0.333)
    '-33.3%'
    """
    return "" if is_missing(value) else f"{value:+.1%}"


def fmt_cell(value: Any, column: str, quantity: str) -> str:
    """One cell of a table as display text, by its column and the row's quantity."""
    if isinstance(value, str):
        return value
    if column == "p" or (quantity == "p" and column in VALUE_COLUMNS):
        return fmt_p(value)
    if column == "rel_diff":
        return fmt_percent(value)
    if column == "abs_diff":
        return fmt_signed(value)
    if column in VALUE_COLUMNS:
        if quantity in COUNT_QUANTITIES and not is_missing(value):
            return str(round(value))
        return fmt_number(value)
    return "" if is_missing(value) else str(value)


def distinct_labels(labels: Sequence[str], ids: Sequence[str]) -> list[str]:
    """Labels made unique with their ids where two would read the same.

    Examples
    --------
    >>> distinct_labels(["MAIA: Rd", "MAIA: Rd", "POLLUX: Rd"], ["maia-a", "maia-b", "pollux"])
    ['MAIA: Rd (maia-a)', 'MAIA: Rd (maia-b)', 'POLLUX: Rd']
    """
    return [
        label if list(labels).count(label) == 1 else f"{label} ({id_})"
        for label, id_ in zip(labels, ids, strict=True)
    ]


def display(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with every cell as display text (numbers, p-values, percentages)."""
    import pandas as pd

    quantities = list(frame["quantity"]) if "quantity" in frame else [""] * len(frame)
    return pd.DataFrame(
        {
            name: [fmt_cell(v, str(name), q) for v, q in zip(frame[name], quantities, strict=True)]
            for name in frame.columns
        },
        index=frame.index,
    )
