"""Published versus reconstructed: every number a study reports beside its re-analysis.

:func:`published_vs_reconstructed` lines up what a study file reports for one endpoint
(medians and their CIs, events, landmark survival and CIs, hazard ratio, CI, p-value,
log-rank chi-square) with the same quantities from :func:`mmsurv.analysis.analyze` of
the reconstructed data; :func:`format_table` prints such a table as text, CSV, JSON or
Markdown.
"""

from __future__ import annotations

import json
import math
from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import InputError
from .formatting import NUMERIC_COLUMNS, display, is_missing, plain
from .km import one_event_step
from .printed import wald_ci

if TYPE_CHECKING:
    import pandas as pd

    from .analysis import AnalysisResult, ArmComparison, ArmSummary
    from .study import ArmResults, Comparison, Study

__all__ = ["FORMATS", "format_table", "published_vs_reconstructed"]

FORMATS = ("text", "csv", "json", "markdown")
_COLUMNS = ["endpoint", "arm", "quantity", "published", "reconstructed", "abs_diff", "rel_diff"]
_BOUNDS = ("lower", "upper")

Row = tuple[Hashable | None, str, Any, Any]


def published_vs_reconstructed(
    study: Study, endpoint_name: str, result: AnalysisResult
) -> pd.DataFrame:
    """Each number the study reports for an endpoint beside its reconstructed value.

    Parameters
    ----------
    study : Study
        The study (:func:`mmsurv.study.load_study`).
    endpoint_name : str
        The endpoint, e.g. ``"PFS"``.
    result : AnalysisResult
        :func:`mmsurv.analysis.analyze` of the reconstructed data, its arms labelled by
        the study's arm ids and, when the endpoint reports a comparison, comparing the
        same treatment and reference.

    Returns
    -------
    pandas.DataFrame
        One row per reported number, with columns ``endpoint``, ``arm`` (None for the
        comparison), ``quantity``, ``published``, ``reconstructed``, ``abs_diff``
        (reconstructed minus published) and ``rel_diff`` (``abs_diff`` over the
        published value). Per arm: ``median``, ``median CI lower`` and ``upper``,
        ``events``, ``survival at <t>`` and its ``CI lower`` and ``upper``; for the
        comparison: ``HR``, ``HR CI lower`` and ``upper``, ``p`` and ``log-rank chi2``.
        A median not reached is ``"NR"``, a CI bound that cannot be estimated ``"NE"``,
        and a reported p-value bound stays text (``"<0.001"``); such rows have no
        difference. The HR CI is recomputed at the study's confidence level from the
        standard error of the log HR; the reconstructed p is the log-rank p-value
        (halved towards the observed direction when the study reports a one-sided p;
        ``attrs["one_sided_p"]`` then lists the endpoint). ``attrs["curve_step"]`` maps
        the (arm, quantity) of each landmark to one event's step of the reconstructed
        curve next to it (:func:`mmsurv.km.one_event_step`): no closer can the curve
        match it.
        ``published`` holds the numbers as the study file prints them
        (:class:`mmsurv.printed.Printed` keeps their decimals).

    Raises
    ------
    InputError
        When the endpoint does not exist, or ``result`` lacks a reported arm or the
        reported comparison.

    Examples
    --------
    >>> import pandas as pd
    >>> from mmsurv.analysis import analyze
    >>> from mmsurv.study import load_study
    >>> study = load_study({"id": "demo", "arms": [{"id": "A", "n": 4}],
    ...                     "endpoints": {"OS": {"arms": {"A": {"median": 3, "events": 3}}}}})
    >>> ipd = pd.DataFrame({"arm": "A", "time": [1, 2, 3, 4], "event": [1, 1, 1, 0]})
    >>> table = published_vs_reconstructed(study, "OS", analyze(ipd))
    >>> print(format_table(table, "text"))
    endpoint  arm  quantity  published  reconstructed  abs_diff  rel_diff
    --------  ---  --------  ---------  -------------  --------  --------
    OS        A    median            3              2        -1    -33.3%
    OS        A    events            3              3         0     +0.0%
    """
    import pandas as pd

    endpoint = study.endpoint(endpoint_name)
    rows: list[Row] = []
    curve_step: dict[tuple[str, str], float] = {}
    for arm_id, reported in endpoint.arms.items():
        arm = _result_arm(result, arm_id)
        rows += [(arm_id, *row) for row in _arm_rows(reported, arm)]
        times = sorted(reported.landmarks)
        steps = one_event_step(arm.times, arm.survival, arm.n_at_risk, np.array(times, dtype=float))
        curve_step.update(
            {
                (arm_id, f"survival at {t:g}"): float(step)
                for t, step in zip(times, steps, strict=True)
            }
        )
    if endpoint.comparison is not None:
        comparison = _result_comparison(result, endpoint.comparison)
        rows += [(None, *row) for row in _comparison_rows(endpoint.comparison, comparison)]
    frame = pd.DataFrame(rows, columns=_COLUMNS[1:5])
    # as printed: a number keeps its printed decimals (mmsurv.printed.Printed)
    frame["published"] = pd.Series([row[2] for row in rows], dtype=object)
    frame.insert(0, "endpoint", endpoint_name)
    diffs = [
        _differences(p, r) for p, r in zip(frame["published"], frame["reconstructed"], strict=True)
    ]
    frame["abs_diff"] = [d[0] for d in diffs]
    frame["rel_diff"] = [d[1] for d in diffs]
    frame.attrs["curve_step"] = curve_step
    comp = endpoint.comparison
    if comp is not None and comp.p is not None and comp.p_sided == "one-sided":
        frame.attrs["one_sided_p"] = [endpoint_name]
    return frame.astype({"abs_diff": float, "rel_diff": float})


def _result_arm(result: AnalysisResult, arm_id: str) -> ArmSummary:
    try:
        return result.arms[arm_id]
    except KeyError:
        arms = ", ".join(str(label) for label in result.arms)
        raise InputError(
            f"no arm {arm_id!r} in the analysis (arms: {arms}); label the reconstructed "
            "data with the study's arm ids",
            field="result",
        ) from None


def _result_comparison(result: AnalysisResult, reported: Comparison) -> ArmComparison:
    comp = result.comparison
    if comp is None or (comp.treatment, comp.reference) != (reported.treatment, reported.reference):
        what = "no comparison" if comp is None else f"{comp.treatment} vs {comp.reference}"
        raise InputError(
            f"the analysis has {what}, the study compares {reported.treatment} vs "
            f"{reported.reference}: analyze with treatment={reported.treatment!r}, "
            f"reference={reported.reference!r}",
            field="result",
        )
    return comp


def _arm_rows(reported: ArmResults, arm: ArmSummary) -> list[tuple[str, Any, Any]]:
    rows: list[tuple[str, Any, Any]] = []
    if reported.median is not None:
        rows.append(("median", reported.median, _or(arm.median, "NR")))
    if reported.median_ci is not None:
        for side, bound, value in zip(_BOUNDS, reported.median_ci, arm.median_ci, strict=True):
            if bound is not None:
                rows.append((f"median CI {side}", bound, _or(value, "NE")))
    if reported.events is not None:
        rows.append(("events", reported.events, arm.events))
    for time, landmark in sorted(reported.landmarks.items()):
        estimate = arm.survival_at(time)
        name = f"survival at {time:g}"
        rows.append((name, landmark.survival, estimate.survival))
        if landmark.ci is not None:
            for side, bound, value in zip(_BOUNDS, landmark.ci, estimate.ci, strict=True):
                if bound is not None:
                    rows.append((f"{name} CI {side}", bound, value))
    return rows


def _comparison_rows(reported: Comparison, comp: ArmComparison) -> list[tuple[str, Any, Any]]:
    rows: list[tuple[str, Any, Any]] = []
    if reported.hr is not None:
        rows.append(("HR", reported.hr, comp.hr))
    if reported.hr_ci is not None:
        ci = _hr_ci(comp, reported.ci_level)
        rows += [
            (f"HR CI {side}", b, v) for side, b, v in zip(_BOUNDS, reported.hr_ci, ci, strict=True)
        ]
    if reported.p is not None:
        published = str(reported.p) if reported.p.is_bound else reported.p.value
        rows.append(("p", published, _p_value(comp, reported.p_sided)))
    if reported.logrank_chi2 is not None:
        rows.append(("log-rank chi2", reported.logrank_chi2, comp.logrank_chi2))
    return rows


def _hr_ci(comp: ArmComparison, ci_level: float) -> tuple[float | None, float | None]:
    """The Wald CI of the hazard ratio at ``ci_level`` (lifelines' own at its level)."""
    if comp.hr is None or comp.log_hr_se is None:
        return None, None
    lower, upper = wald_ci(math.log(comp.hr), comp.log_hr_se, ci_level)
    return math.exp(lower), math.exp(upper)


def _p_value(comp: ArmComparison, sided: str | None) -> float | None:
    """The log-rank p-value; one-sided towards treatment better when the study's is."""
    p = comp.logrank_p
    if sided != "one-sided" or p is None:
        return p
    if comp.hr is None:
        return None
    return p / 2 if comp.hr < 1 else 1 - p / 2


def _or(value: float | None, text: str) -> float | str:
    return text if value is None else value


def _differences(published: Any, reconstructed: Any) -> tuple[float, float]:
    numbers = all(
        isinstance(v, (int, float)) and not is_missing(v) for v in (published, reconstructed)
    )
    if not numbers:
        return math.nan, math.nan
    diff = float(reconstructed) - float(published)
    return diff, (diff / abs(published) if published != 0 else math.nan)


# --------------------------------------------------------------------------- formatting


def format_table(df: pd.DataFrame, fmt: str = "text") -> str:
    """A table as text a person reads at a glance, or as CSV, JSON or Markdown.

    Parameters
    ----------
    df : pandas.DataFrame
        From :func:`published_vs_reconstructed` or
        :meth:`mmsurv.analysis.AnalysisResult.table`.
    fmt : {"text", "csv", "json", "markdown"}
        ``text``: aligned columns, numbers with up to 3 decimals, p-values as
        ``<0.001`` or ``0.012``, relative differences as percentages. ``markdown``: the
        same cells as a pipe table. ``csv`` and ``json`` (a list of records): the values
        unrounded, missing values empty or null.

    Returns
    -------
    str

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"quantity": ["HR", "p"], "published": [0.712, "<0.001"],
    ...                    "reconstructed": [0.70049, 0.00042]})
    >>> print(format_table(df, "markdown"))
    | quantity | published | reconstructed |
    | --- | ---: | ---: |
    | HR | 0.712 | 0.7 |
    | p | <0.001 | <0.001 |
    """
    if fmt == "csv":
        return df.to_csv(index=False)
    if fmt == "json":
        records = [
            {str(k): _plain_json(v) for k, v in row.items()} for row in df.to_dict("records")
        ]
        return json.dumps(records, indent=2)
    if fmt == "text":
        return _text(display(df))
    if fmt == "markdown":
        return _markdown(display(df))
    raise InputError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})", field="fmt")


def _plain_json(value: Any) -> Any:
    return None if is_missing(value) else plain(value)


def _text(cells: pd.DataFrame) -> str:
    names = [str(c) for c in cells.columns]
    body = [list(row) for row in cells.itertuples(index=False)]
    widths = [max([len(name), *(len(row[j]) for row in body)]) for j, name in enumerate(names)]
    right = [name in NUMERIC_COLUMNS for name in names]

    def line(values: list[str]) -> str:
        padded = zip(values, widths, right, strict=True)
        return "  ".join(v.rjust(w) if r else v.ljust(w) for v, w, r in padded).rstrip()

    return "\n".join([line(names), line(["-" * w for w in widths]), *map(line, body)])


def _markdown(cells: pd.DataFrame) -> str:
    names = [str(c) for c in cells.columns]
    align = ["---:" if name in NUMERIC_COLUMNS else "---" for name in names]
    rows = [names, align, *(list(row) for row in cells.itertuples(index=False))]
    return "\n".join("| " + " | ".join(v.replace("|", "\\|") for v in row) + " |" for row in rows)
