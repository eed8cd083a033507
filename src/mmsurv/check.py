"""Check a reconstruction against the published numbers, within tolerances.

Every number a study reports for an endpoint (medians and their CIs, events, landmark
survival and its CI, the hazard ratio (HR) with its CI, the p-value and the log-rank
chi-square) is set beside the same number computed from the reconstructed patients:
:func:`mmsurv.reconstruct`, then :func:`mmsurv.analysis.analyze` at the study's
landmark times and confidence level, then
:func:`mmsurv.published.published_vs_reconstructed`. A number passes when the
reconstruction lies within its tolerance *beyond the printed rounding*: a published
``14`` stands for any value in ``[13.5, 14.5]`` and ``0.712`` for ``[0.7115, 0.7125]``
(the rounding intervals of :mod:`mmsurv._audit`), and the tolerance is measured from the
nearer end of that interval.

A study file may carry a ``check:`` block (:class:`mmsurv.study.CheckSettings`) with
its own tolerances and with notes explaining published numbers that cannot be
reproduced from the others. A noted miss is reported, not counted; a note that explains
nothing (every number it covers passes, or it covers no published number) fails the
check, so a note cannot go stale unseen. Tolerances that differ from the defaults are
always reported.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from .errors import InputError
from .printed import fraction, printed
from .study import CheckNote, PValue, Study
from .tolerances import (
    Scale,
    Tolerances,
    parse_tolerances,
    quantity_name,
    scale_of,
    tolerance_for,
)
from .views import html_view

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CheckResult",
    "Miss",
    "Tolerances",
    "check_outcomes",
    "deviations",
    "junit_xml",
    "parse_tolerances",
    "quantity_name",
    "summarize",
    "tolerance_for",
]


# --------------------------------------------------------------------------- deviations


def _printed_interval(tolerance: str, published: Any) -> tuple[float, float]:
    """The values a published number stands for: its rounding interval, a p bound's
    range, an event count exactly."""
    if tolerance == "p":
        lo, hi = PValue.model_validate(published).interval()
    elif tolerance == "events":
        lo = hi = float(published)
    elif tolerance.startswith("survival"):
        lo, hi = fraction(published)
    else:
        lo, hi = printed(published)
    return lo, hi


def _number(value: Any) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and not math.isnan(value):
        return float(value)
    return None


def _bounds(tolerance: str, published: Any, one_sided_p: bool) -> tuple[Scale, float, float, float]:
    """The scale, the published number's rounding interval on it, and the unit of the
    deviation: 1, or for a relative scale the end of the interval nearer 0."""
    scale = scale_of(tolerance, one_sided_p=one_sided_p)
    lo, hi = sorted(map(scale.forward, _printed_interval(tolerance, published)))
    if scale.floor is None:
        return scale, lo, hi, 1.0
    return scale, lo, hi, max(min(abs(lo), abs(hi)), scale.floor)


def _deviation(tolerance: str, published: Any, reconstructed: Any, one_sided_p: bool) -> float:
    rec = _number(reconstructed)
    if published == "NR" or rec is None:
        return 0.0 if published == reconstructed == "NR" else math.inf
    scale, lo, hi, unit = _bounds(tolerance, published, one_sided_p)
    value = scale.forward(rec)
    gap = lo - value if value < lo else (value - hi if value > hi else 0.0)
    return gap / unit


def _accepted(
    tolerance: str, published: Any, width: float, one_sided_p: bool
) -> tuple[float, float] | None:
    """The reconstructed values within ``width`` of a published number (None: NR)."""
    if published == "NR":
        return None
    scale, lo, hi, unit = _bounds(tolerance, published, one_sided_p)
    ends = sorted((scale.inverse(lo - width * unit), scale.inverse(hi + width * unit)))
    top = 1.0 if tolerance.startswith("survival") else math.inf
    return max(ends[0], 0.0), min(ends[1], top)


def deviations(table: pd.DataFrame, *, hr_blind: bool = False) -> pd.DataFrame:
    """How far each reconstructed number lies outside the published one's rounding.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`mmsurv.published.published_vs_reconstructed` or
        :func:`analyze_study`: columns ``quantity``, ``published``, ``reconstructed``
        (and ``endpoint``); the p of an endpoint listed in ``attrs["one_sided_p"]`` is
        one-sided and measured on the z of a one-sided test, ``z = Phi^-1(1 - p)``.
    hr_blind : bool
        The reconstruction is HR-blind (the HR and its CI are then held to
        ``hr_blind``).

    Returns
    -------
    pandas.DataFrame
        The table with the columns ``tolerance``, the name of the :class:`Tolerances`
        field the quantity is held to, and ``deviation``, the distance from the
        reconstructed value to the published number's rounding interval on that
        tolerance's scale: 0 within rounding, infinite when one side is a number and the
        other is not (a median reached in one and not in the other, a bound not
        estimable). A relative scale divides by the end of the rounding interval nearer
        0 (at least 1 for the z of a p or chi-square). A number passes when its
        deviation is at most its tolerance.

    Examples
    --------
    A median printed 14 and reconstructed 15.2 deviates by (15.2 - 14.5) / 13.5; an HR
    printed 0.712 and reconstructed 0.75 by log(0.75 / 0.7125):

    >>> import pandas as pd
    >>> table = pd.DataFrame({"quantity": ["median", "HR"], "published": [14, 0.712],
    ...                       "reconstructed": [15.2, 0.75]})
    >>> deviations(table)[["tolerance", "deviation"]].round(3).to_dict("list")
    {'tolerance': ['median', 'hr'], 'deviation': [0.052, 0.051]}
    """
    out = table.copy()
    out["tolerance"] = [tolerance_for(q, hr_blind=hr_blind) for q in out["quantity"]]
    one_sided = _one_sided_p(out)
    out["deviation"] = [
        _deviation(name, pub, rec, one)
        for name, pub, rec, one in zip(
            out["tolerance"], out["published"], out["reconstructed"], one_sided, strict=True
        )
    ]
    return out


def _one_sided_p(table: pd.DataFrame) -> list[bool]:
    """Per row: a one-sided p (its endpoint in ``attrs["one_sided_p"]``)."""
    endpoints = set(table.attrs.get("one_sided_p", ()))
    names = table["endpoint"] if "endpoint" in table else [None] * len(table)
    return [
        q == "p" and name in endpoints for q, name in zip(table["quantity"], names, strict=True)
    ]


# --------------------------------------------------------------------------- analysis


# --------------------------------------------------------------------------- results

Kind = Literal["number", "endpoint", "note"]


def _show(value: Any, digits: int = 4) -> str:
    """A number for a message: ``digits`` significant digits; text as is."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "none"
    if isinstance(value, str):
        return value
    return f"{float(value):.{digits}g}"


@dataclass(frozen=True)
class Miss:
    """A published number the reconstruction does not reproduce within its tolerance.

    Also an endpoint that cannot be reconstructed (``quantity`` None, ``reason`` why)
    and a note of the study's ``check:`` block that explains nothing (``reason`` says
    so).

    Attributes
    ----------
    study, endpoint : str
        Where the number is.
    arm : str or None
        The arm, None for the comparison.
    quantity : str or None
        As the published table names it (``median``, ``HR CI upper``...).
    published, reconstructed : float, str or None
        The two numbers (``"NR"`` not reached, ``"NE"`` not estimable, ``"<0.001"``).
    tolerance : str
        The tolerance applied and the reconstructed values it accepts, e.g.
        ``"median=0.05, accepted 12.8 to 15.2"``; empty when nothing was compared.
    reason : str or None
        Why no number could be compared, or what is wrong with a note.
    note : str or None
        The study's note that explains the miss (it then does not fail the check).
    kept : bool
        False when the reconstruction itself reports that it could not keep this number
        with the arm's other reported numbers (they contradict each other, or the arm is
        too small to show it): the line then says so.

    Examples
    --------
    >>> print(Miss("demo", "OS", "A", "median", 14, 12.3, "median=0.05, accepted 13 to 15"))
    demo OS A median: published 14, reconstructed 12.3 (tolerance median=0.05, accepted 13 to 15)
    """

    study: str
    endpoint: str
    arm: str | None
    quantity: str | None
    published: float | str | None
    reconstructed: float | str | None
    tolerance: str
    reason: str | None = None
    note: str | None = None
    kept: bool = True

    def __str__(self) -> str:
        parts = (self.study, self.endpoint, self.arm, self.quantity)
        where = " ".join(part for part in parts if part)
        if self.reason:
            text = f"{where}: {self.reason}"
        else:
            text = (
                f"{where}: published {_show(self.published, 6)}, reconstructed "
                f"{_show(self.reconstructed)} (tolerance {self.tolerance})"
            )
        if not self.kept:
            text += "; the reconstruction reports it could not keep it with the arm's other numbers"
        return f"{text}; noted: {self.note}" if self.note else text

    def __repr__(self) -> str:
        return f"Miss({self})"


_TABLE_COLUMNS = [
    "study",
    "endpoint",
    "arm",
    "quantity",
    "published",
    "reconstructed",
    "tolerance",
    "tolerance_value",
    "accepted_lower",
    "accepted_upper",
    "deviation",
    "kind",
    "status",
    "message",
]


@dataclass(frozen=True, eq=False)
class CheckResult:
    """What :func:`check_study` found for one study.

    Attributes
    ----------
    study : str
        The study id.
    hr_blind : bool
        The reconstruction was HR-blind.
    tolerances : Tolerances
        The tolerances applied.
    tolerance_sources : dict of str to str
        Where each tolerance that is not the default came from: ``"study file"`` (its
        ``check.tolerances``) or ``"override"`` (the caller, ``--tolerance``).
    misses : tuple of Miss
        What fails the check: published numbers missed, endpoints that cannot be
        reconstructed and notes that explain nothing, none of them noted.
    noted : tuple of Miss
        Misses a note of the study explains (they do not fail the check).
    """

    study: str
    hr_blind: bool
    tolerances: Tolerances
    tolerance_sources: dict[str, str]
    misses: tuple[Miss, ...]
    noted: tuple[Miss, ...]
    _table: pd.DataFrame = field(repr=False)

    @property
    def passed(self) -> bool:
        """True when nothing fails the check (noted misses do not)."""
        return not self.misses

    def table(self) -> pd.DataFrame:
        """One row per item checked: every published number, every endpoint that
        cannot be reconstructed, every note that explains nothing.

        Columns: ``study``, ``endpoint``, ``arm``, ``quantity``, ``published``,
        ``reconstructed``, ``tolerance`` (the :class:`Tolerances` name) and
        ``tolerance_value``, ``accepted_lower`` and ``accepted_upper`` (the reconstructed
        values accepted), ``deviation`` (:func:`deviations`), ``kind`` (``number``,
        ``endpoint`` or ``note``), ``status`` (``pass``, ``miss`` or ``noted``) and
        ``message`` (the line of a miss, empty for a pass).
        """
        return self._table.copy()

    def tolerance_lines(self) -> list[str]:
        """One line per tolerance that is not the default, saying where it came from."""
        default = Tolerances()
        return [
            f"{self.study}: tolerance {name} = {value:g} (default {getattr(default, name):g}; "
            f"{self.tolerance_sources.get(name, 'override')})"
            for name, value in self.tolerances.changed().items()
        ]

    def lines(self) -> list[str]:
        """The misses, the noted misses and the tolerances that are not the defaults."""
        return [*map(str, self.misses), *map(str, self.noted), *self.tolerance_lines()]

    def summary(self) -> str:
        """The counts in one line (:func:`summarize`)."""
        return summarize([self])

    def _repr_html_(self) -> str:
        mode = " (HR-blind)" if self.hr_blind else ""
        verdict = "passed" if self.passed else "FAILED"
        table = self.table()
        shown = table[table["status"] != "pass"] if not self.passed else table
        columns = ["endpoint", "arm", "quantity", "published", "reconstructed", "tolerance"]
        return html_view(
            f"Check of {self.study}{mode}: {verdict}; {self.summary()}",
            shown[[*columns, "status"]],
            [*map(str, self.misses), *self.tolerance_lines()],
        )

    def __repr__(self) -> str:
        mode = ", HR-blind" if self.hr_blind else ""
        head = f"CheckResult({self.study}{mode}: {self.summary()})"
        return "\n".join([head, *(f"  {line}" for line in self.lines())])


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summarize(results: Sequence[CheckResult]) -> str:
    """The counts of one or more check results in one line.

    Examples
    --------
    ``'14 published numbers: 12 within tolerance, 0 missed, 2 noted; passed'``, or with
    an endpoint that cannot be reconstructed and a stale note
    ``'...; 1 endpoint not reconstructed (0 noted); 1 note explaining nothing; FAILED'``.
    """
    rows = [row for r in results for row in r._table.itertuples(index=False)]
    numbers = [row.status for row in rows if row.kind == "number"]
    endpoints = [row.status for row in rows if row.kind == "endpoint"]
    notes = sum(row.kind == "note" for row in rows)
    parts = [
        f"{_plural(len(numbers), 'published number')}: {numbers.count('pass')} within "
        f"tolerance, {numbers.count('miss')} missed, {numbers.count('noted')} noted"
    ]
    if endpoints:
        noted = endpoints.count("noted")
        parts.append(f"{_plural(len(endpoints), 'endpoint')} not reconstructed ({noted} noted)")
    if notes:
        parts.append(f"{_plural(notes, 'note')} explaining nothing")
    failed = any(r.misses for r in results)
    return "; ".join([*parts, "FAILED" if failed else "passed"])


# --------------------------------------------------------------------------- checking


def _tolerances(
    study: Study, tolerances: Tolerances | Mapping[str, float] | None
) -> tuple[Tolerances, dict[str, str]]:
    """The tolerances in force: the caller's > the study file's > the defaults."""
    if isinstance(tolerances, Tolerances):
        return tolerances, {name: "override" for name in tolerances.changed()}
    given = {
        "study file": study.check.tolerances if study.check else {},
        "override": {str(name): value for name, value in (tolerances or {}).items()},
    }
    sources = {name: source for source, values in given.items() for name in values}
    return Tolerances().replace(**{**given["study file"], **given["override"]}), sources


def _range(accepted: tuple[float, float] | None) -> str:
    if accepted is None:
        return "not reached"
    lo, hi = accepted
    if math.isinf(hi):
        return f"{_show(lo)} or more"
    return f"up to {_show(hi)}" if lo == 0 else f"{_show(lo)} to {_show(hi)}"


def _number_rows(table: pd.DataFrame, tolerances: Tolerances, hr_blind: bool) -> list[dict]:
    rows = []
    unkept = table.attrs.get("unkept", {})
    curve_step = table.attrs.get("curve_step", {})
    frame = deviations(table, hr_blind=hr_blind)
    one_sided = _one_sided_p(frame)
    for row, one in zip(frame.itertuples(index=False), one_sided, strict=True):
        value = getattr(tolerances, row.tolerance)
        text = f"{row.tolerance}={value:g}"
        step = curve_step.get((row.arm, row.quantity), 0.0) if row.tolerance == "survival" else 0.0
        if step > value:
            # a curve with few patients at risk moves by whole steps: no closer can it match
            value = step
            text += f", widened to one event's step of the reconstructed curve there, {step:.3g}"
        accepted = _accepted(row.tolerance, row.published, value, one)
        rows.append(
            {
                "endpoint": row.endpoint,
                "arm": row.arm if isinstance(row.arm, str) else None,
                "quantity": row.quantity,
                "published": row.published,
                "reconstructed": row.reconstructed,
                "tolerance": row.tolerance,
                "tolerance_value": value,
                "accepted_lower": accepted[0] if accepted else math.nan,
                "accepted_upper": accepted[1] if accepted else math.nan,
                "deviation": row.deviation,
                "kind": "number",
                "status": "pass" if row.deviation <= value * (1 + 1e-9) else "miss",
                "text": f"{text}, accepted {_range(accepted)}",
                "kept": (row.arm, row.quantity) not in unkept,
            }
        )
    return rows


def _other_row(endpoint: str, kind: Kind, reason: str, **values: Any) -> dict:
    return {"endpoint": endpoint, "kind": kind, "status": "miss", "reason": reason, **values}


def _covers(note: CheckNote, row: dict) -> bool:
    return row["kind"] == "number" and note.covers(row["endpoint"], row["arm"], row["quantity"])


def _apply_notes(
    notes: Sequence[CheckNote], rows: list[dict], failed: set[str], checked: set[str]
) -> list[dict]:
    """Mark the misses the notes explain; a row for each note that explains nothing."""
    problems = []
    for i, note in enumerate(notes):
        label = f"check.notes[{i}]"
        where = {"arm": note.arm, "quantity": note.quantity}
        if note.endpoint not in checked:
            continue
        if note.endpoint in failed:
            if note.arm is None and note.quantity is None:
                for row in rows:
                    if row["kind"] == "endpoint" and row["endpoint"] == note.endpoint:
                        row["status"], row["note"] = "noted", note.reason
            else:
                problems.append(
                    _other_row(
                        note.endpoint, "note",
                        f"note {label} cannot be checked: {note.endpoint} cannot be "
                        "reconstructed (a note on the whole endpoint explains that)",
                        **where,
                    )
                )  # fmt: skip
            continue
        covered = [row for row in rows if _covers(note, row)]
        if not covered:
            reason = f"note {label} matches no published number"
            problems.append(_other_row(note.endpoint, "note", reason, **where))
        elif all(row["status"] == "pass" for row in covered):
            if len(covered) == 1:
                row = covered[0]
                what = (
                    f"published {_show(row['published'], 6)}, reconstructed "
                    f"{_show(row['reconstructed'])} is within tolerance ({row['text']})"
                )
            else:
                what = f"all {len(covered)} numbers it covers are within tolerance"
            problems.append(
                _other_row(note.endpoint, "note", f"stale note {label}: {what}", **where)
            )
        else:
            for row in covered:
                if row["status"] != "pass" and "note" not in row:
                    row["status"], row["note"] = "noted", note.reason
    return rows + problems


def check_outcomes(
    study: Study,
    outcomes: Iterable[tuple[str, pd.DataFrame | InputError]],
    *,
    tolerances: Tolerances | Mapping[str, float] | None = None,
    hr_blind: bool = False,
) -> CheckResult:
    """Hold each endpoint's published-versus-reconstructed table to its tolerances.

    The checking half of :func:`mmsurv.check_study`, which reconstructs and analyses
    the endpoints (:func:`mmsurv.pipeline.endpoint_tables`) and passes them here.

    Parameters
    ----------
    study : Study
        The study: its id, its ``check:`` block (tolerances, notes).
    outcomes : iterable of (str, DataFrame or InputError)
        Per endpoint checked, its table (:func:`mmsurv.published.published_vs_reconstructed`)
        or the InputError that stopped its reconstruction.
    tolerances : Tolerances or mapping of str to float, optional
        As :func:`mmsurv.check_study`.
    hr_blind : bool
        The reconstruction is HR-blind.

    Returns
    -------
    CheckResult
    """
    import pandas as pd

    tol, sources = _tolerances(study, tolerances)
    rows: list[dict] = []
    failed: set[str] = set()
    checked: set[str] = set()
    for name, outcome in outcomes:
        checked.add(name)
        if isinstance(outcome, InputError):
            failed.add(name)
            reason = f"cannot be reconstructed: {outcome.located}"
            rows.append(_other_row(name, "endpoint", reason))
        else:
            rows += _number_rows(outcome, tol, hr_blind)
    rows = _apply_notes(study.check.notes if study.check else (), rows, failed, checked)
    misses: list[Miss] = []
    noted: list[Miss] = []
    for row in rows:
        if row["status"] == "pass":
            row["message"] = ""
            continue
        miss = Miss(
            study=study.id,
            endpoint=row["endpoint"],
            arm=row.get("arm"),
            quantity=row.get("quantity"),
            published=row.get("published"),
            reconstructed=row.get("reconstructed"),
            tolerance=row.get("text", ""),
            reason=row.get("reason"),
            note=row.get("note"),
            kept=row.get("kept", True),
        )
        row["message"] = str(miss)
        (noted if miss.note else misses).append(miss)
    table = pd.DataFrame(rows).reindex(columns=_TABLE_COLUMNS)
    table = table.astype(object).where(table.notna(), np.nan).infer_objects()  # None as NaN
    table["study"] = study.id
    return CheckResult(study.id, hr_blind, tol, sources, tuple(misses), tuple(noted), table)


# --------------------------------------------------------------------------- JUnit


def junit_xml(results: Sequence[CheckResult], errors: Sequence[tuple[str, InputError]] = ()) -> str:
    """Check results as a JUnit XML report, for continuous-integration servers.

    One ``testsuite`` per study and one ``testcase`` per item of
    :meth:`CheckResult.table` (classname ``<study>.<endpoint>``, name the arm and
    quantity, ``reconstruction`` for an endpoint, ``check note`` for a note); a miss has
    a ``failure`` whose message is its line, a noted miss is ``skipped`` with the note.

    Parameters
    ----------
    results : sequence of CheckResult
        The studies that were checked.
    errors : sequence of (str, InputError)
        Studies that could not be checked (an invalid study file): each is a
        ``testsuite`` named by the study as given, with one ``testcase`` "study file"
        whose ``error`` message is the error's line and whose text lists every problem
        (:attr:`InputError.problems`), one per line.

    Returns
    -------
    str
        The XML document (UTF-8 declaration included), checked to parse.

    Examples
    --------
    >>> from mmsurv.errors import InputError
    >>> bad = InputError("unknown field", file="a.yaml", field="medain",
    ...                  problems=("medain: unknown field", "arms[0].n: required field is missing"))
    >>> text = junit_xml([], [("a.yaml", bad)])
    >>> 'errors="1"' in text and "arms[0].n: required field is missing" in text
    True
    """
    from xml.etree import ElementTree as ET

    root = ET.Element("testsuites", name="mmsurv check")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for name, error in errors:
        suite = ET.SubElement(
            root, "testsuite", name=name, tests="1", failures="0", errors="1", skipped="0"
        )
        case = ET.SubElement(suite, "testcase", classname=name, name="study file")
        ET.SubElement(case, "error", message=str(error), type="InputError").text = "\n".join(
            error.problems or (str(error),)
        )
        totals["tests"] += 1
        totals["errors"] += 1
    for result in results:
        table = result.table()
        counts = {
            "tests": len(table),
            "failures": int((table["status"] == "miss").sum()),
            "skipped": int((table["status"] == "noted").sum()),
        }
        attributes = {"name": result.study, "errors": "0"}
        attributes.update((k, str(v)) for k, v in counts.items())
        suite = ET.SubElement(root, "testsuite", attributes)
        props = ET.SubElement(suite, "properties")
        ET.SubElement(props, "property", name="hr_blind", value=str(result.hr_blind).lower())
        for name in result.tolerances.names():
            value = f"{getattr(result.tolerances, name):g}"
            ET.SubElement(props, "property", name=f"tolerance.{name}", value=value)
        for row in table.itertuples(index=False):
            case = ET.SubElement(
                suite, "testcase", classname=f"{result.study}.{row.endpoint}", name=_case_name(row)
            )
            if row.status == "miss":
                ET.SubElement(
                    case, "failure", message=row.message, type=str(row.kind)
                ).text = row.message
            elif row.status == "noted":
                ET.SubElement(case, "skipped", message=row.message)
        for key, count in counts.items():
            totals[key] += count
    for key, count in totals.items():
        root.set(key, str(count))
    ET.indent(root)
    text = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
    ET.fromstring(text.encode("utf-8"))
    return text


def _case_name(row: Any) -> str:
    if row.kind == "endpoint":
        return "reconstruction"
    parts = [p for p in (row.arm, row.quantity) if isinstance(p, str)]
    if row.kind == "note":
        parts.insert(0, "check note")
    return " ".join(parts)
