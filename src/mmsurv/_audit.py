"""Consistency audit of reported survival statistics, by calculation alone.

Before any reconstruction, the numbers a paper prints can be checked against each
other: a hazard ratio against its confidence interval, the interval against the p-value,
the log-rank chi-square and the number of patients, medians against landmark rates,
numbers at risk and follow-up. Every check is rounding-aware: a printed ``0.69`` stands
for any value in ``[0.685, 0.695]`` (the half-width comes from the decimals as printed,
``14`` -> +/-0.5, ``0.712`` -> +/-0.0005), and a finding is raised only when *no*
combination of values within rounding is consistent (interval arithmetic), so rounding
alone never produces a finding.

Severities: ``error`` -- the numbers cannot all be true; ``warning`` -- unlikely, or
suggests a problem (a typo, another method, swapped arm labels); ``note`` -- informative.

Methods
-------
The standard error of a log hazard ratio is recovered from its confidence interval as
``(log(upper) - log(lower)) / (2 z)``, the Wald statistic as ``|log HR| / SE`` and the
number of events from ``var(log HR) ~ 1 / (D p (1 - p))`` (Parmar MKB, Torri V, Stewart
L. Stat Med 1998;17:2815-34; Tierney JF et al. Trials 2007;8:16; Schoenfeld DA.
Biometrika 1981;68:316-9 and Biometrics 1983;39:499-503; Freedman LS. Stat Med
1982;1:121-9). The Kaplan-Meier facts used are elementary: the median is the first time
with ``S(t) <= 0.5``, and ``S(t) >= n_risk(t') / n`` for any ``t' > t``.
"""

from __future__ import annotations

import itertools
import json
import math
import textwrap
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from .errors import InputError
from .printed import Interval, fraction, p_of_z, printed, se_log_hr, z_critical, z_of_p
from .study import ArmResults, Comparison, Endpoint, PValue, Study
from .views import html_view

__all__ = ["RULES", "AuditReport", "Finding", "audit_study", "format_audit"]

Severity = Literal["error", "warning", "note"]
_RANK = {"error": 0, "warning": 1, "note": 2}

# Thresholds; each rule's docstring gives the reasoning.
_EVENTS_MARGIN = 1.1  # events needed by the CI above 1.1 x those possible -> error
_EVENTS_RATIO = 2.0  # implied vs reported events outside [1/2, 2] -> warning
_WALD_SLACK = 0.15  # Wald vs log-rank z may differ by a factor 1 + 0.15 log(HR)^2
_P_ERROR, _Z_ERROR = 10.0, 1.2  # p 10-fold and z 20% (beyond the slack) apart -> error
_P_WARNING, _Z_WARNING = 3.0, 1.1  # p 3-fold and z 10% apart -> warning
_CHI2_WARNING, _CHI2_ERROR = 2.0, 4.0  # log-rank chi2 vs Wald z^2 (beyond the slack^2)
_ASYMMETRY_WARNING = 0.1  # HR off the CI centre by 10% of the half-width -> warning


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Finding:
    """One result of the audit.

    Attributes
    ----------
    rule : str
        Stable snake_case name of the rule (a key of :data:`RULES`).
    severity : {'error', 'warning', 'note'}
        ``error``: the numbers cannot all be true; ``warning``: unlikely or suggests a
        problem; ``note``: informative.
    endpoint : str or None
        The endpoint (``PFS``, ``OS``...) the finding is about.
    arm : str or None
        The arm id, for per-arm findings.
    numbers : dict
        The reported numbers used, as printed.
    implied : dict
        What they imply (e.g. ``{"events_implied": 61.2, "range": [48, 80]}``).
    message : str
        One sentence, with the numbers.
    """

    rule: str
    severity: Severity
    endpoint: str | None
    arm: str | None
    numbers: dict[str, Any] = field(hash=False)
    implied: dict[str, Any] = field(hash=False)
    message: str

    def __repr__(self) -> str:
        where = " ".join(part for part in (self.endpoint, self.arm) if part)
        head = f"{self.severity} {self.rule}" + (f" [{where}]" if where else "")
        return f"Finding({head}: {textwrap.shorten(self.message, 90, placeholder=' ...')})"

    def to_dict(self) -> dict[str, Any]:
        """The finding as JSON-ready Python objects."""
        return {
            "rule": self.rule,
            "severity": self.severity,
            "endpoint": self.endpoint,
            "arm": self.arm,
            "numbers": _jsonable(self.numbers),
            "implied": _jsonable(self.implied),
            "message": self.message,
        }


@dataclass(frozen=True)
class AuditReport:
    """The findings of :func:`audit` for one study, errors first."""

    study_id: str
    findings: tuple[Finding, ...]

    def _of(self, severity: Severity) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == severity)

    @property
    def errors(self) -> tuple[Finding, ...]:
        """Findings that cannot all be true."""
        return self._of("error")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """Findings that are unlikely or suggest a problem."""
        return self._of("warning")

    @property
    def notes(self) -> tuple[Finding, ...]:
        """Informative findings."""
        return self._of("note")

    @property
    def has_errors(self) -> bool:
        """True when at least one finding is an error."""
        return bool(self.errors)

    def summary(self) -> str:
        """Counts by severity, e.g. ``'2 errors, 1 warning, 0 notes'``."""
        counts = (("error", self.errors), ("warning", self.warnings), ("note", self.notes))
        return ", ".join(f"{len(f)} {w}{'' if len(f) == 1 else 's'}" for w, f in counts)

    def table(self):
        """One row per finding: study, rule, severity, endpoint, arm, message, numbers,
        implied.

        ``numbers`` and ``implied`` are JSON text (``{"hr": 0.712, ...}``), one value
        per cell; an endpoint or arm that does not apply is NaN.
        """
        columns = ["study", "rule", "severity", "endpoint", "arm", "message", "numbers", "implied"]
        rows = []
        for finding in self.findings:
            row = {"study": self.study_id, **finding.to_dict()}
            row["numbers"] = json.dumps(row["numbers"], ensure_ascii=False)
            row["implied"] = json.dumps(row["implied"], ensure_ascii=False)
            rows.append(row)
        import pandas as pd

        table = pd.DataFrame(rows, columns=columns)
        for name in ("endpoint", "arm"):
            table[name] = [math.nan if value is None else value for value in table[name]]
        return table

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready Python objects."""
        return {
            "study": self.study_id,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "notes": len(self.notes),
            "findings": [f.to_dict() for f in self.findings],
        }

    def to_text(self, width: int = 100) -> str:
        """A readable block: a header line, then each finding with its message."""
        lines = [f"Audit of {self.study_id}: {self.summary()}"]
        if not self.findings:
            lines.append("  no findings: the reported numbers agree within rounding")
        for f in self.findings:
            where = " ".join(part for part in (f.endpoint, f.arm) if part)
            lines.append(f"  {f.severity.upper():<7} {f.rule}" + (f" [{where}]" if where else ""))
            lines.append(
                textwrap.fill(f.message, width, initial_indent=" " * 10, subsequent_indent=" " * 10)
            )
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        table = self.table()[["severity", "rule", "endpoint", "arm", "message"]]
        empty = (
            [] if self.findings else ["No findings: the reported numbers agree within rounding."]
        )
        return html_view(f"Audit of {self.study_id}: {self.summary()}", table, empty)

    def __repr__(self) -> str:
        lines = [f"AuditReport({self.study_id!r}: {self.summary()})"]
        for f in self.findings:
            where = "/".join(part for part in (f.endpoint, f.arm) if part)
            lines.append(f"  {f.severity:<7} {f.rule:<22} {where}")
        return "\n".join(lines)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


# --------------------------------------------------------------------------- rounding


def _ratio_apart(a: Interval, b: Interval) -> float:
    """How many-fold two non-negative intervals are apart where nearest (1 if they meet)."""
    if a.overlaps(b):
        return 1.0
    low, high = (a, b) if a.hi < b.lo else (b, a)
    return math.inf if low.hi <= 0 else high.lo / low.hi


def _log(x: float) -> float:
    return math.log(x) if x > 0 else -math.inf


def _div(a: float, b: float) -> float:
    if b == 0:
        return math.inf if a > 0 else 0.0
    return a / b


def _g(x: float, digits: int = 3) -> str:
    """A number for a message, with ``digits`` significant digits."""
    return "infinity" if math.isinf(x) else f"{x:.{digits}g}"


def _count(x: float) -> str:
    """A number of events: whole from 10 up, two significant digits below."""
    return "infinity" if math.isinf(x) else f"{x:.0f}" if x >= 10 else f"{x:.2g}"


def _span(iv: Interval, digits: int = 3) -> str:
    lo, hi = _g(iv.lo, digits), _g(iv.hi, digits)
    return lo if lo == hi else f"{lo}–{hi}"


def _round(x: float, digits: int = 4) -> float:
    return float(f"{x:.{digits}g}") if math.isfinite(x) else x


def _rounded(iv: Interval, digits: int = 4) -> list[float]:
    return [_round(iv.lo, digits), _round(iv.hi, digits)]


# --------------------------------------------------------------------------- statistics


def _ci_box(comp: Comparison) -> tuple[Interval, Interval]:
    assert comp.hr_ci is not None
    return printed(comp.hr_ci[0]), printed(comp.hr_ci[1])


def _se_log_hr(comp: Comparison) -> Interval:
    """SE of log HR from the CI, ``(log(hi) - log(lo)) / (2 z)``, over the rounding box.

    Parmar MKB, Torri V, Stewart L. Stat Med 1998;17:2815-34; Tierney JF et al. Trials
    2007;8:16.
    """
    lo, hi = _ci_box(comp)
    two_z = 2 * z_critical(comp.ci_level)
    narrowest = max(_log(hi.lo) - _log(lo.hi), 0.0)
    return Interval(narrowest / two_z, (_log(hi.hi) - _log(lo.lo)) / two_z)


def _abs_log_hr(comp: Comparison) -> Interval:
    assert comp.hr is not None
    hr = printed(comp.hr)
    ends = sorted((abs(_log(hr.lo)), abs(_log(hr.hi))))
    return Interval(0.0 if 1.0 in hr else ends[0], ends[1])


def _wald_z(comp: Comparison) -> Interval:
    """``|log HR| / SE`` over the rounding box: the Wald statistic the CI implies."""
    num, se = _abs_log_hr(comp), _se_log_hr(comp)
    return Interval(_div(num.lo, se.hi), _div(num.hi, se.lo))


def _slack(comp: Comparison) -> float:
    """How far Wald and log-rank z may honestly differ: ``1 + 0.15 log(HR)^2``.

    The Wald statistic understates the score (log-rank) statistic more as the effect
    grows; in simulated trials (HR 1.5-20, 40-400 patients) the log-rank/Wald z ratio
    stayed within 5% of this factor, degenerate samples aside, well inside the 10%
    (warning) and 20% (error) margins applied on top of it.
    """
    return 1.0 if comp.hr is None else 1.0 + _WALD_SLACK * _abs_log_hr(comp).hi ** 2


def _p_text(p: PValue) -> str:
    return f"p = {p.value:g}" if p.relation == "=" else f"p{p}"


def _abs_z_of_p(p: Interval, sides: int) -> Interval:
    """|z| of a normal test with p-values in ``p`` (one-sided: in the tested direction)."""
    z_lo, z_hi = z_of_p(p.hi, sides), z_of_p(p.lo, sides)
    if z_lo <= 0 <= z_hi:
        return Interval(0.0, max(-z_lo, z_hi))
    return Interval(*sorted((abs(z_lo), abs(z_hi))))


def _p_of_abs_z(z: Interval, sides: int) -> Interval:
    return Interval(p_of_z(z.hi, sides), p_of_z(z.lo, sides))


def _p_ratio(a: Interval, b: Interval) -> float:
    """How many-fold the p-values of two disjoint |z| intervals are apart where nearest."""
    from scipy.special import log_ndtr  # the log keeps far tails apart

    low, high = (a, b) if a.hi < b.lo else (b, a)
    log_ratio = float(log_ndtr(-low.hi) - log_ndtr(-high.lo))
    return math.exp(min(log_ratio, 700.0))


# --------------------------------------------------------------------------- iteration


def _comparisons(study: Study) -> Iterator[tuple[str, Comparison]]:
    for name, ep in study.endpoints.items():
        if ep.comparison is not None:
            yield name, ep.comparison


def _arm_results(study: Study) -> Iterator[tuple[str, Endpoint, str, ArmResults]]:
    for name, ep in study.endpoints.items():
        for arm_id, res in ep.arms.items():
            yield name, ep, arm_id, res


def _arm_size(study: Study, arm_id: str) -> int | None:
    try:
        return study.arm(arm_id).n
    except KeyError:
        return None


def _ci_text(comp: Comparison) -> str:
    assert comp.hr_ci is not None
    return f"{100 * comp.ci_level:g}% CI {comp.hr_ci[0]:g}–{comp.hr_ci[1]:g}"


def _hr_numbers(comp: Comparison) -> dict[str, Any]:
    out: dict[str, Any] = {
        "hr": comp.hr,
        "hr_ci": list(comp.hr_ci or ()),
        "ci_level": comp.ci_level,
    }
    if comp.adjusted is not None:
        out["adjusted"] = comp.adjusted
    return out


def _median_interval(res: ArmResults) -> Interval | None:
    """The median's rounding interval; ``NR`` (not reached) lies beyond every time."""
    if res.median == "NR":
        return Interval(math.inf, math.inf)
    value = res.median_value
    return None if value is None else printed(value)


def _median_text(res: ArmResults) -> str:
    return "not reached" if res.median == "NR" else f"{res.median_value:g}"


# --------------------------------------------------------------------------- rules


def hr_in_ci(study: Study) -> Iterator[Finding]:
    """The hazard ratio lies inside its confidence interval (error when outside)."""
    for name, comp in _comparisons(study):
        if comp.hr is None or comp.hr_ci is None:
            continue
        hr, (lo, hi) = printed(comp.hr), _ci_box(comp)
        if hr.hi >= lo.lo and hr.lo <= hi.hi:
            continue
        side = "below" if hr.hi < lo.lo else "above"
        message = (
            f"The HR {comp.hr:g} lies {side} its {_ci_text(comp)}, even allowing for "
            "rounding, so the HR or a CI limit is misprinted."
        )
        implied = {"hr_range": _rounded(hr), "ci_range": [_round(lo.lo), _round(hi.hi)]}
        yield Finding("hr_in_ci", "error", name, None, _hr_numbers(comp), implied, message)


def ci_log_symmetry(study: Study) -> Iterator[Finding]:
    """The HR is the centre of its CI on the log scale, as Wald intervals are.

    Parmar et al. (1998) and Tierney et al. (2007) recover the SE from either half of the
    interval; halves that differ beyond rounding mean the interval was not
    ``exp(log HR +/- z SE)``: another CI method (profile likelihood, exact) or a typo.
    Warning when the HR is off the centre by 10% of the half-width or more, note below.
    """
    for name, comp in _comparisons(study):
        if comp.hr is None or comp.hr_ci is None:
            continue
        hr, (lo, hi) = printed(comp.hr), _ci_box(comp)
        centre = Interval((_log(lo.lo) + _log(hi.lo)) / 2, (_log(lo.hi) + _log(hi.hi)) / 2)
        log_hr = Interval(_log(hr.lo), _log(hr.hi))
        if centre.overlaps(log_hr):
            continue
        offset = centre.lo - log_hr.hi if centre.lo > log_hr.hi else log_hr.lo - centre.hi
        share = _div(offset, (_log(hi.hi) - _log(lo.lo)) / 2)
        severity: Severity = "warning" if share >= _ASYMMETRY_WARNING else "note"
        mid = math.sqrt(comp.hr_ci[0] * comp.hr_ci[1])
        message = (
            f"The HR {comp.hr:g} is not at the centre of its {_ci_text(comp)} on the log "
            f"scale (centre {mid:.3f}; off by at least {100 * share:.2g}% of the half-width "
            "after rounding), an asymmetry that suggests another CI method or a typo."
        )
        implied = {"ci_centre": _round(mid), "offset_share_of_half_width": _round(share, 2)}
        yield Finding("ci_log_symmetry", severity, name, None, _hr_numbers(comp), implied, message)


def _events_implied(comp: Comparison, share: float) -> tuple[float, Interval, float]:
    """Events implied by the CI: Schoenfeld/Freedman estimate, its range, a hard minimum.

    ``var(log HR) ~ 1 / (D p (1 - p))`` with allocation fraction ``p`` (Schoenfeld DA.
    Biometrika 1981;68:316-9; Biometrics 1983;39:499-503; Freedman LS. Stat Med
    1982;1:121-9). The Cox and log-rank information is a sum over event times of
    ``d_j w_j (1 - w_j) <= d_j / 4``, and covariate adjustment only lowers it, so
    ``D >= 4 / var(log HR)`` whatever the allocation (the third value).
    """
    assert comp.hr_ci is not None
    factor = share * (1 - share)
    se = _se_log_hr(comp)
    point_se = se_log_hr(*comp.hr_ci, comp.ci_level)
    estimate = Interval(_div(1.0, se.hi**2 * factor), _div(1.0, se.lo**2 * factor))
    return _div(1.0, point_se**2 * factor), estimate, 4 * factor * estimate.lo


def events_from_ci(study: Study) -> Iterator[Finding]:
    """Events implied by the width of the HR's CI against the patients and events reported.

    The SE of log HR comes from the CI (Parmar et al. 1998; Tierney et al. 2007), the
    events from ``var(log HR) ~ 1 / (D p (1 - p))`` (Schoenfeld 1981, 1983; Freedman 1982).
    ``D >= 4 / var(log HR)`` holds for any allocation and any covariate adjustment, so an
    interval that needs more than 1.1 times the patients (or the reported events) is an
    error; the 10% absorbs CIs computed otherwise than by Wald. Schoenfeld's estimate
    above 1.1 times the patients, or more than two-fold from the reported events, is a
    warning. With no events reported, the implied number is a note.
    """
    for name, comp in _comparisons(study):
        n_t, n_r = _arm_size(study, comp.treatment), _arm_size(study, comp.reference)
        if comp.hr_ci is None or n_t is None or n_r is None:
            continue
        arms = study.endpoints[name].arms
        events = [arms[a].events if a in arms else None for a in (comp.treatment, comp.reference)]
        reported = None if None in events else sum(e for e in events if e is not None)
        finding = _events_finding(name, comp, (n_t, n_r), reported)
        if finding is not None:
            yield finding


def _events_finding(
    name: str, comp: Comparison, sizes: tuple[int, int], reported: int | None
) -> Finding | None:
    n = sum(sizes)
    point, estimate, needed = _events_implied(comp, sizes[0] / n)
    numbers: dict[str, Any] = {**_hr_numbers(comp), "n_total": n}
    if reported is not None:
        numbers["events"] = reported
    implied = {
        "events_implied": _round(point, 3),
        "range": _rounded(estimate, 3),
        "events_at_least": _round(needed, 3),
    }
    about = (
        f"The {_ci_text(comp)} implies about {_count(point)} events "
        f"({_count(estimate.lo)}–{_count(estimate.hi)} within rounding)"
    )
    minimum = f"at least {_count(needed)} whatever the allocation, since var(log HR) >= 4/D"
    ratio = 1.0 if reported is None else _ratio_apart(estimate, Interval(reported, reported))
    severity: Severity = "warning"
    if needed > _EVENTS_MARGIN * n:
        severity = "error"
        assert comp.hr_ci is not None
        fold = math.exp(4 * z_critical(comp.ci_level) / math.sqrt(n))
        message = (
            f"{about}, {minimum} even with covariate adjustment, but the two arms have only "
            f"{n} patients, with whom, even if all had an event, the upper limit of a "
            f"{100 * comp.ci_level:g}% CI is at least {fold:.2f} times the lower one, not "
            f"{comp.hr_ci[1] / comp.hr_ci[0]:.2f}."
        )
        implied["narrowest_ci_ratio"] = _round(fold, 3)
    elif estimate.lo > _EVENTS_MARGIN * n:
        message = (
            f"{about}, more than the {n} patients in the two arms; only very unequal risk "
            "sets over time could reconcile them."
        )
    elif reported is None:
        severity = "note"
        message = f"{about} in the two arms ({n} patients; Schoenfeld's approximation)."
    elif needed > _EVENTS_MARGIN * reported:
        severity = "error"
        message = f"{about}, {minimum}, but {reported} events are reported."
    elif ratio > _EVENTS_RATIO:
        adjusted = " (adjustment widens an HR's CI, so fewer are implied)" if comp.adjusted else ""
        message = f"{about}, at least {ratio:.2g}-fold from the {reported} reported{adjusted}."
    else:
        return None
    return Finding("events_from_ci", severity, name, None, numbers, implied, message)


def _p_severity(comp: Comparison, ratio_z: float, ratio_p: float) -> Severity:
    z = ratio_z / _slack(comp)
    if ratio_p >= _P_ERROR and z >= _Z_ERROR and not comp.adjusted:
        return "error"
    if ratio_p >= _P_WARNING and z >= _Z_WARNING:
        return "warning"
    return "note"


def _p_finding(
    rule: str, name: str, comp: Comparison, implied_z: Interval, source: str, numbers: dict
) -> Finding | None:
    """The reported p (or bound) against the |z| that ``source`` implies."""
    assert comp.p is not None
    sides = 1 if comp.p_sided == "one-sided" else 2
    reported_z = _abs_z_of_p(comp.p.interval(), sides)
    ratio_z = _ratio_apart(implied_z, reported_z)
    if ratio_z <= 1:
        return None
    ratio_p = _p_ratio(implied_z, reported_z)
    severity = _p_severity(comp, ratio_z, ratio_p)
    sided = "one-sided" if sides == 1 else "two-sided"
    gives = f"{source} gives a {sided} p of {_span(_p_of_abs_z(implied_z, sides), 2)}"
    if severity == "note":
        tail = (
            f", not the reported {_p_text(comp.p)}: a small gap, as between Wald and log-rank "
            "p-values, so the p probably comes from another test."
        )
    else:
        how = "any" if severity == "error" else "the usual"
        tail = (
            f", at least {_g(ratio_p, 2)}-fold from the reported {_p_text(comp.p)}, beyond "
            f"{how} difference between Wald, score and log-rank tests"
            + (
                "; as the HR is adjusted, the p may come from another test."
                if comp.adjusted
                else "."
            )
        )
    implied = {
        "p_implied": _rounded(_p_of_abs_z(implied_z, sides), 3),
        "z_implied": _rounded(implied_z),
        "z_for_reported_p": _rounded(reported_z),
        "p_ratio": _round(ratio_p, 3),
    }
    numbers = {**numbers, "p": str(comp.p), "p_sided": sided}
    return Finding(rule, severity, name, None, numbers, implied, gives + tail)


def p_vs_ci(study: Study) -> Iterator[Finding]:
    """The p-value against the Wald p of the HR and its CI, ``|log HR| / SE``.

    Altman DG, Bland JM. BMJ 2011;343:d2304; Parmar et al. 1998. The reported p may be a
    log-rank p, which differs from the Wald p increasingly with the effect size, so the z
    statistics are compared after a slack of ``1 + 0.15 log(HR)^2``. Error when every
    value within rounding puts the p-values at least 10-fold and the z statistics at least
    20% (beyond the slack) apart, e.g. reported p < 0.001 against an implied p >= 0.01,
    and the HR is not covariate-adjusted (an adjusted HR's p may come from an unadjusted
    test); warning from 3-fold and 10%; note for a smaller gap.
    """
    for name, comp in _comparisons(study):
        if comp.hr is None or comp.hr_ci is None or comp.p is None:
            continue
        source = f"The HR {comp.hr:g} with its {_ci_text(comp)}"
        finding = _p_finding("p_vs_ci", name, comp, _wald_z(comp), source, _hr_numbers(comp))
        if finding is not None:
            yield finding


def _chi2_interval(comp: Comparison) -> Interval:
    assert comp.logrank_chi2 is not None
    return printed(comp.logrank_chi2)


def p_vs_logrank(study: Study) -> Iterator[Finding]:
    """The p-value against the log-rank chi-square, ``p = chi2.sf(x, 1)``.

    The mapping is exact, so a log-rank p cannot differ from its chi-square beyond
    rounding; as the reported p may come from another test (Cox Wald, adjusted), the
    margins are those of :func:`p_vs_ci`.
    """
    for name, comp in _comparisons(study):
        if comp.logrank_chi2 is None or comp.p is None:
            continue
        chi2 = _chi2_interval(comp)
        source = f"The log-rank chi-square {comp.logrank_chi2:g} (1 df)"
        numbers = {"logrank_chi2": comp.logrank_chi2, "hr": comp.hr, "adjusted": comp.adjusted}
        z = Interval(math.sqrt(chi2.lo), math.sqrt(chi2.hi))
        finding = _p_finding("p_vs_logrank", name, comp, z, source, numbers)
        if finding is not None:
            yield finding


def chi2_vs_ci(study: Study) -> Iterator[Finding]:
    """The log-rank chi-square against the squared Wald statistic of the HR's CI.

    Log-rank (score) and Wald tests of the Cox model agree approximately for moderate
    HRs, ``chi2 ~ z^2`` (Parmar et al. 1998; Tierney et al. 2007 recover one from the
    other), the Wald one falling behind as the effect grows (slack ``1 + 0.15 log(HR)^2``
    on z). Warning when, beyond rounding and slack, they are more than 2-fold apart;
    error when more than 4-fold and the HR is not covariate-adjusted.
    """
    for name, comp in _comparisons(study):
        if comp.hr is None or comp.hr_ci is None or comp.logrank_chi2 is None:
            continue
        z = _wald_z(comp)
        z2 = Interval(z.lo**2, z.hi**2)
        ratio = _ratio_apart(z2, _chi2_interval(comp))
        excess = ratio / _slack(comp) ** 2
        if excess <= _CHI2_WARNING:
            continue
        error = excess > _CHI2_ERROR and not comp.adjusted
        why = "more than the two tests can differ" if error else "more than they usually differ"
        if comp.adjusted:
            why += " (the HR is adjusted, which may explain part of it)"
        message = (
            f"The {_ci_text(comp)} around HR {comp.hr:g} implies a Wald chi-square of "
            f"{_span(z2)}, at least {ratio:.2g}-fold from the log-rank chi-square "
            f"{comp.logrank_chi2:g}, {why}."
        )
        numbers = {**_hr_numbers(comp), "logrank_chi2": comp.logrank_chi2}
        implied = {"wald_chi2_implied": _rounded(z2), "ratio": _round(ratio, 3)}
        severity: Severity = "error" if error else "warning"
        yield Finding("chi2_vs_ci", severity, name, None, numbers, implied, message)


def hr_direction(study: Study) -> Iterator[Finding]:
    """The HR's side of 1 against the order of the medians and of landmark rates.

    Hazards need not be proportional, so a conflict is a warning when the CI excludes 1
    and a note otherwise; it often reveals swapped arm labels.
    """
    for name, comp in _comparisons(study):
        hr = None if comp.hr is None else printed(comp.hr)
        if hr is None or 1.0 in hr:
            continue
        ep = study.endpoints[name]
        ids = (comp.treatment, comp.reference) if hr.hi < 1 else (comp.reference, comp.treatment)
        if ids[0] not in ep.arms or ids[1] not in ep.arms:
            continue
        ci = None if comp.hr_ci is None else Interval(_ci_box(comp)[0].lo, _ci_box(comp)[1].hi)
        severity: Severity = "warning" if ci is not None and 1.0 not in ci else "note"
        for numbers, message in _reversals(name, comp, ep.arms[ids[0]], ep.arms[ids[1]], ids):
            yield Finding("hr_direction", severity, name, None, numbers, {}, message)


def _reversals(
    name: str, comp: Comparison, fav: ArmResults, other: ArmResults, ids: tuple[str, str]
) -> Iterator[tuple[dict, str]]:
    """Medians and same-time landmarks where the arm the HR favours does worse."""
    lead = f"The HR {comp.hr:g} favours {ids[0]}"
    tail = "hazards need not be proportional, but check the arm labels."
    m_fav, m_other = _median_interval(fav), _median_interval(other)
    if m_fav is not None and m_other is not None and m_fav.hi < m_other.lo:
        yield (
            {"hr": comp.hr, "median": {ids[0]: fav.median, ids[1]: other.median}},
            f"{lead}, but its median {name} ({_median_text(fav)}) is shorter than "
            f"{ids[1]}'s ({_median_text(other)}); {tail}",
        )
    for t in sorted(set(fav.landmarks) & set(other.landmarks)):
        s_fav, s_other = fav.landmarks[t].survival, other.landmarks[t].survival
        if fraction(s_fav).hi < fraction(s_other).lo:
            yield (
                {"hr": comp.hr, "time": t, "survival": {ids[0]: s_fav, ids[1]: s_other}},
                f"{lead}, but its {name} at {t:g} ({s_fav:g}) is below {ids[1]}'s "
                f"({s_other:g}); {tail}",
            )


def median_vs_follow_up(study: Study) -> Iterator[Finding]:
    """A median beyond the longest follow-up (error); equal to it (note).

    A Kaplan-Meier median is an observed time, so it cannot exceed the maximum
    follow-up; one equal to it means the curve reached 0.5 at the very last observation,
    which deserves a look. An upper CI limit beyond it is a warning (some software
    extrapolates limits).
    """
    for name, ep, arm_id, res in _arm_results(study):
        if ep.follow_up is None or ep.follow_up.max is None:
            continue
        fu, fu_max = printed(ep.follow_up.max), ep.follow_up.max
        numbers = {"median": res.median, "median_ci": res.median_ci, "follow_up_max": fu_max}
        m = _median_interval(res)
        label = f"The median {name} of {arm_id} ({_median_text(res)})" if m is not None else ""
        if m is not None and math.isfinite(m.lo) and m.lo > fu.hi:
            message = f"{label} is beyond the longest follow-up ({fu_max:g})."
            yield Finding("median_vs_follow_up", "error", name, arm_id, numbers, {}, message)
        elif m is not None and m.overlaps(fu):
            message = (
                f"{label} equals the longest follow-up ({fu_max:g}), so the curve reached 0.5 "
                "only at the very end: check that the median was reached."
            )
            yield Finding("median_vs_follow_up", "note", name, arm_id, numbers, {}, message)
        upper = (res.median_ci or (None, None))[1]
        if upper is not None and printed(upper).lo > fu.hi:
            message = (
                f"The upper CI limit {upper:g} of the median {name} of {arm_id} is beyond the "
                f"longest follow-up ({fu_max:g}); Kaplan-Meier limits are observed times."
            )
            yield Finding("median_vs_follow_up", "warning", name, arm_id, numbers, {}, message)


def landmark_vs_median(study: Study) -> Iterator[Finding]:
    """Landmark survival on the side of 0.5 that the median dictates (error otherwise).

    The Kaplan-Meier median is the first time with ``S(t) <= 0.5``: ``S(t) > 0.5`` after
    the median, ``S(t) < 0.5`` before it, or below 0.5 when the median is not reached,
    is impossible.
    """
    for name, _ep, arm_id, res in _arm_results(study):
        med = _median_interval(res)
        if med is None:
            continue
        for t, lm in sorted(res.landmarks.items()):
            s = fraction(lm.survival)
            if t > med.hi and s.lo > 0.5:
                problem = f"above 0.5 after the median ({_median_text(res)})"
            elif t < med.lo and s.hi < 0.5:
                problem = (
                    "below 0.5 although the median is not reached"
                    if res.median == "NR"
                    else f"below 0.5 before the median ({_median_text(res)})"
                )
            else:
                continue
            message = (
                f"{name} of {arm_id} at {t:g} is {lm.survival:g}, {problem}, but the "
                "Kaplan-Meier median is the first time the curve reaches 0.5."
            )
            numbers = {"median": res.median, "time": t, "survival": lm.survival}
            yield Finding("landmark_vs_median", "error", name, arm_id, numbers, {}, message)


def ci_contains_estimate(study: Study) -> Iterator[Finding]:
    """Median and landmark CIs contain their estimates (error otherwise)."""
    for name, _ep, arm_id, res in _arm_results(study):
        checks = [(f"median {name}", res.median_value, res.median_ci)]
        checks += [(f"{name} at {t:g}", lm.survival, lm.ci) for t, lm in res.landmarks.items()]
        for what, value, ci in checks:
            if value is None or ci is None:
                continue
            est, (lo, hi) = printed(value), ci
            below = lo is not None and est.hi < printed(lo).lo
            above = hi is not None and est.lo > printed(hi).hi
            if below or above:
                shown = "–".join("NE" if v is None else f"{v:g}" for v in ci)
                message = (
                    f"The {what} of {arm_id} ({value:g}) lies {'below' if below else 'above'} "
                    f"its CI {shown}, even allowing for rounding."
                )
                numbers = {"estimate": value, "ci": list(ci)}
                yield Finding("ci_contains_estimate", "error", name, arm_id, numbers, {}, message)


def events_vs_n(study: Study) -> Iterator[Finding]:
    """Events against the arm size and against a curve that falls.

    ``events <= n`` (error); a reached median or a landmark below 1 needs at least one
    event (error). A reached median needs ``S(m) <= 0.5`` and, as
    ``S(t) >= n_risk(t+) / n``, at least half the patients out of the risk set by then;
    with fewer events, the rest were censored before the median (note). Nothing more is
    provable: with censoring a curve can reach 0.5 after very few events.
    """
    for name, _ep, arm_id, res in _arm_results(study):
        n, e = _arm_size(study, arm_id), res.events
        if n is None or e is None:
            continue
        numbers = {"n": n, "events": e, "median": res.median}
        falls = res.median_value is not None or any(
            fraction(lm.survival).hi < 1 for lm in res.landmarks.values()
        )
        if e > n:
            message = f"{arm_id} reports {e} {name} events among {n} patients."
            yield Finding("events_vs_n", "error", name, arm_id, numbers, {}, message)
        elif e == 0 and falls:
            message = (
                f"{arm_id} reports no {name} events, yet its curve falls (a median reached or a "
                "landmark below 1), which takes at least one event."
            )
            yield Finding("events_vs_n", "error", name, arm_id, numbers, {}, message)
        elif res.median_value is not None and 2 * e < n:
            censored = math.ceil(n / 2) - e
            message = (
                f"{arm_id} reached its median {name} ({res.median_value:g}) with {e} events among "
                f"{n} patients, so at least {censored} were censored before the median."
            )
            implied = {"censored_before_median_at_least": censored}
            yield Finding("events_vs_n", "note", name, arm_id, numbers, implied, message)


def at_risk_consistency(study: Study) -> Iterator[Finding]:
    """Numbers at risk against the arm size, the median, landmarks and follow-up (errors).

    Provable facts only: numbers at risk never rise and never exceed ``n``; each
    Kaplan-Meier factor ``1 - d_j / n_j >= n_{j+1} / n_j``, so ``S(t) >= n_risk(t') / n``
    for any ``t' > t``, hence at most ``n / 2`` at risk after the median; nobody is at
    risk after the longest follow-up. Events before ``t`` are at most
    ``n - n_risk(t)``, but total events are not bounded by the table.
    """
    for name, ep, arm_id, res in _arm_results(study):
        n = _arm_size(study, arm_id)
        if n is None or res.at_risk is None:
            continue
        table = list(zip(res.at_risk.times, res.at_risk.n, strict=True))
        fu = None if ep.follow_up is None else ep.follow_up.max
        for numbers, message in _at_risk_problems(name, arm_id, n, res, table, fu):
            yield Finding("at_risk_consistency", "error", name, arm_id, numbers, {}, message)


def _at_risk_problems(
    name: str,
    arm: str,
    n: int,
    res: ArmResults,
    table: list[tuple[float, float]],
    fu: float | None,
) -> Iterator[tuple[dict, str]]:
    for (t0, r0), (t1, r1) in itertools.pairwise(table):
        if r1 > r0:
            yield (
                {"times": [t0, t1], "at_risk": [r0, r1]},
                (f"The number at risk in {arm} rises from {r0:g} at {t0:g} to {r1:g} at {t1:g}."),
            )
    for t, r in table:
        if r > n:
            yield (
                {"time": t, "at_risk": r, "n": n},
                (f"{r:g} patients of {arm} are at risk at {t:g}, more than its {n} patients."),
            )
        if fu is not None and t > printed(fu).hi and r > 0:
            yield (
                {"time": t, "at_risk": r, "follow_up_max": fu},
                (
                    f"{r:g} patients of {arm} are at risk at {t:g}, after the longest follow-up "
                    f"({fu:g})."
                ),
            )
    median = _median_interval(res)
    after = [(t, r) for t, r in table if median is not None and t > median.hi and 2 * r > n]
    for t, r in after[:1]:
        yield (
            {"median": res.median, "time": t, "at_risk": r, "n": n},
            (
                f"{r:g} of {n} patients of {arm} are at risk at {t:g}, after the median {name} "
                f"({_median_text(res)}), yet S(t) >= n_risk/n would keep the curve above 0.5."
            ),
        )
    for t, lm in sorted(res.landmarks.items()):
        later = [(u, r) for u, r in table if u > t and r / n > fraction(lm.survival).hi]
        for u, r in later[:1]:
            yield (
                {"time": t, "survival": lm.survival, "at_risk_time": u, "at_risk": r, "n": n},
                (
                    f"{name} of {arm} at {t:g} is {lm.survival:g}, but {r:g} of {n} patients are "
                    f"still at risk at {u:g}, and S(t) >= n_risk/n = {r / n:.3f}."
                ),
            )


# --------------------------------------------------------------------------- registry

Rule = Callable[[Study], Iterable[Finding]]

RULES: dict[str, Rule] = {
    rule.__name__: rule
    for rule in (
        hr_in_ci,
        ci_log_symmetry,
        events_from_ci,
        p_vs_ci,
        p_vs_logrank,
        chi2_vs_ci,
        hr_direction,
        median_vs_follow_up,
        landmark_vs_median,
        ci_contains_estimate,
        events_vs_n,
        at_risk_consistency,
    )
}
"""The audit rules by name, in the order they run."""


def audit_study(study: Study, *, rules: Iterable[str] | None = None) -> AuditReport:
    """Run the audit rules on a loaded study: :func:`mmsurv.audit` without the loading
    (same ``rules``, same report; an unknown rule name is an InputError)."""
    names = list(RULES) if rules is None else list(rules)
    unknown = [name for name in names if name not in RULES]
    if unknown:
        raise InputError(
            f"unknown audit rule {unknown[0]!r} (rules: {', '.join(RULES)})", field="rules"
        )
    findings = sorted((f for name in names for f in RULES[name](study)), key=_rank)
    return AuditReport(study.id, tuple(findings))


def _rank(finding: Finding) -> int:
    return _RANK[finding.severity]


def format_audit(
    reports: AuditReport | Iterable[AuditReport], fmt: Literal["text", "json"] = "text"
) -> str:
    """Render audit reports as text blocks or as a JSON array (for the command line).

    Parameters
    ----------
    reports : AuditReport or iterable of AuditReport
    fmt : {'text', 'json'}
        ``text``: one block per study (:meth:`AuditReport.to_text`); ``json``: an array
        of :meth:`AuditReport.to_dict` objects.

    Returns
    -------
    str
    """
    items = [reports] if isinstance(reports, AuditReport) else list(reports)
    if fmt == "text":
        return "\n\n".join(r.to_text() for r in items)
    if fmt == "json":
        return json.dumps([r.to_dict() for r in items], indent=2, ensure_ascii=False)
    raise InputError(f"unknown format {fmt!r} (use 'text' or 'json')", field="fmt")
