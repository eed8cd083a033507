"""Notebook views of results: a short HTML block of a title, lines and a table.

Every public result object's ``_repr_html_`` (and the study's) is built here, so that
Jupyter shows each one the same way: a bold title, a few lines of context (CI level,
time unit, tolerances, warnings), then a compact table with numbers to 4 significant
digits and missing values left blank, cut after :data:`MAX_ROWS` rows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["MAX_ROWS", "html_view"]

#: Rows of a table shown in a view; the rest are counted under it.
MAX_ROWS = 30


def html_view(
    title: str,
    table: pd.DataFrame | None = None,
    lines: Sequence[str] = (),
    *,
    index: bool = False,
) -> str:
    """An HTML block: ``title`` in bold, ``lines`` as paragraphs, then ``table``.

    Parameters
    ----------
    title : str
        The head line (escaped).
    table : pandas.DataFrame, optional
        Shown with floats to 4 significant digits and missing values blank; at most
        :data:`MAX_ROWS` rows, the others counted in a line under it.
    lines : sequence of str
        Context lines (escaped), each its own paragraph.
    index : bool
        Show the table's index.

    Returns
    -------
    str

    Examples
    --------
    >>> from pandas import DataFrame
    >>> html = html_view("Result <1>", DataFrame({"hr": [0.71234], "n": [42]}), ["95% CI"])
    >>> "<b>Result &lt;1&gt;</b>" in html, "0.7123" in html, ">42<" in html
    (True, True, True)
    """
    parts = [f'<div class="mmsurv-view"><p><b>{escape(title)}</b></p>']
    parts += [f"<p>{escape(line)}</p>" for line in lines]
    if table is not None and len(table.columns):
        shown = table.head(MAX_ROWS)
        parts.append(
            shown.to_html(index=index, na_rep="", float_format=_number, border=0, escape=True)
        )
        if len(table) > MAX_ROWS:
            parts.append(f"<p>... and {len(table) - MAX_ROWS} more rows (.table())</p>")
    parts.append("</div>")
    return "\n".join(parts)


def _number(value: Any) -> str:
    return (
        "" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.4g}"
    )
