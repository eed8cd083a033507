"""Check a reconstruction against the published numbers, within tolerances.

Every number a study reports for an endpoint (medians and their CIs, events, landmark
survival and its CI, the hazard ratio (HR) with its CI, the p-value and the log-rank
chi-square) is set beside the same number computed from the reconstructed patients:
:func:`mmsurv.reconstruct`, then :func:`mmsurv.analysis.analyze` at the study's
landmark times and confidence level, then
:func:`mmsurv.published.published_vs_reconstructed`. A number passes when the
reconstruction lies within its tolerance *beyond the printed rounding*: a published
``14`` stands for any value in ``[13.5, 14.5]`` and ``0.712`` for ``[0.7115, 0.7125]``
(the rounding intervals of :mod:`mmsurv.audit`), and the tolerance is measured from the
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
import numbers
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from statistics import NormalDist
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from .analysis import analyze_as_reported
from .audit import _fraction, _p_interval, _printed
from .errors import InputError
from .published import published_vs_reconstructed
from .reconstruct import reconstruct
from .study import CheckNote, PValue, Study, load_study
from .views import html_view

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CheckResult",
    "Miss",
    "Tolerances",
    "analyze_study",
    "assert_reproduces",
    "check_study",
    "deviations",
    "junit_xml",
    "parse_tolerances",
    "quantity_name",
    "summarize",
    "tolerance_for",
]


# --------------------------------------------------------------------------- scales


def _log(x: float) -> float:
    return math.log(x) if x > 0 else -math.inf


def _z_of_p(p: float) -> float:
    """|z| of a two-sided normal test with p-value ``p`` (infinite for p = 0)."""
    if p <= 0:
        return math.inf
    if p >= 1e-300:
        return -NormalDist().inv_cdf(min(p, 1.0) / 2)
    # p/2 would underflow (p = 5e-324): the chi-square with 1 df has the same tail
    from scipy.stats import chi2

    return math.sqrt(float(chi2.isf(p, 1)))


def _p_of_z(z: float) -> float:
    p = 2 * NormalDist().cdf(-max(z, 0.0))
    if p > 0 or not math.isfinite(z):
        return p
    from scipy.stats import chi2  # the normal tail underflows first (z > 37.5)

    return float(chi2.sf(z * z, 1))


@dataclass(frozen=True)
class _Scale:
    """Where a deviation is measured: a monotone transform of the numbers; on a
    relative scale the deviation is divided by the end of the published number's
    rounding interval nearer 0 (transformed), at least ``floor``."""

    forward: Callable[[float], float]
    inverse: Callable[[float], float]
    floor: float | None
    text: str


def _same(x: float) -> float:
    return x


_LOG = _Scale(_log, math.exp, None, "|log(rec / pub)|")
_RELATIVE = _Scale(_same, _same, 1e-9, "|rec - pub| / pub")
_ABSOLUTE = _Scale(_same, _same, None, "|rec - pub|")
_Z_OF_P = _Scale(_z_of_p, _p_of_z, 1.0, "|z_rec - z_pub| / max(z_pub, 1), z = Phi^-1(1 - p/2)")
_Z_OF_CHI2 = _Scale(
    lambda x: math.sqrt(max(x, 0.0)),
    lambda z: max(z, 0.0) ** 2,
    1.0,
    "|z_rec - z_pub| / max(z_pub, 1), z = sqrt(chi2)",
)

_SCALES: dict[str, _Scale] = {
    "hr": _LOG,
    "hr_blind": _LOG,
    "hr_ci": _LOG,
    "median": _RELATIVE,
    "median_ci": _RELATIVE,
    "events": _ABSOLUTE,
    "survival": _ABSOLUTE,
    "survival_ci": _ABSOLUTE,
    "p": _Z_OF_P,
    "chi2": _Z_OF_CHI2,
}

_APPLIES_TO = {
    "hr": "HR (HR-informed)",
    "hr_blind": "HR, HR CI lower, HR CI upper (HR-blind)",
    "hr_ci": "HR CI lower, HR CI upper (HR-informed)",
    "median": "median",
    "median_ci": "median CI lower, median CI upper",
    "events": "events",
    "survival": "survival at <t>",
    "survival_ci": "survival at <t> CI lower, survival at <t> CI upper",
    "p": "p",
    "chi2": "log-rank chi2",
}


# --------------------------------------------------------------------------- tolerances


@dataclass(frozen=True)
class Tolerances:
    """How far a reconstructed number may lie from the published one, per quantity.

    Every tolerance applies beyond the printed rounding of the published number (a
    published ``14`` is any value in ``[13.5, 14.5]``, ``<0.001`` any p below 0.001), on
    the scale given for it below.

    The defaults are measured (``python tests/test_check.py`` prints the measurement).
    Real two-group data sets (:func:`mmsurv.validation.real_datasets`) were reduced to
    what a paper prints: the Kaplan-Meier figure digitized with a digitizer's error,
    numbers at risk and events (:func:`mmsurv.validation.paper_view`), medians with CIs,
    two landmark rates with CIs, the Cox HR with its CI and p
    (:func:`mmsurv.validation.abstract_view`) and the log-rank chi-square, all computed
    from the true data and rounded as journals print them; and then reconstructed.
    Each default is the worst deviation measured on seven such views (rossi, gbsg2,
    lung, kidney_transplant, waltons, larynx, lymph_node) rounded up with a margin, and
    still fails a wrong number: an HR off by a factor of 1.25 (2 HR-blind), a median
    off by 10 %, a landmark rate off by 0.05, a p of 0.001 printed for one of 0.05, a
    chi-square doubled.
    Two data sets are left out of the defaults: ``dd`` and ``leukemia`` count time in
    whole years and weeks, so a landmark falls on a tied time and a click's error puts
    the curve's drop on either side of it (landmark errors 0.074 and 0.051; dd's events
    12 of 1,027).

    From summaries only (no figure: the 9 abstract views and the 8 paper views of the
    tests), medians and events were met exactly and landmark rates within 0.016 (CI
    bounds 0.018), but 15 of the 42 bounds of median CIs missed ``median_ci`` (up to
    97 % off, or not estimable): a median's CI follows the curve's shape near the
    median, which summaries do not give. HR-informed, the HR was met within 0.05 except
    in four views (the abstracts of lung 0.19, waltons 0.14 and lymph_node 0.058, the
    paper view of larynx 0.073), and the p and chi-square within 0.29 and 0.15. Such
    misses are what the notes of a study's ``check:`` block are for, when the numbers
    cannot say more.

    Attributes
    ----------
    hr : float
        HR of an HR-informed reconstruction, ``|log(rec / pub)|``. Default 0.05; worst
        measured 0.022.
    hr_blind : float
        HR and the bounds of its CI of an HR-blind reconstruction, ``|log(rec / pub)|``.
        The arms' own numbers (medians, landmarks, events) then have to imply the HR:
        a genuine check, of a few numbers. Default 0.4; worst measured 0.024 from
        figures, 0.38 from summaries only (waltons' abstract; then lung 0.26, leukemia
        0.19, larynx 0.18).
    hr_ci : float
        Each bound of the HR CI of an HR-informed reconstruction, ``|log(rec / pub)|``:
        its width comes from the reconstructed events. Default 0.05; worst measured
        0.024.
    median : float
        A median, ``|rec - pub| / pub``. Default 0.05; worst measured 0.036 (gbsg2,
        whose curve is flat at 0.5).
    median_ci : float
        Each bound of a median's CI, ``|rec - pub| / pub``. Default 0.25; worst
        measured 0.20 (larynx, 40 patients: a bound moves by a whole step of the curve).
    events : float
        The number of events, ``|rec - pub|``. Default 3; worst measured 2 (waltons,
        122 events).
    survival : float
        Landmark survival as a fraction, ``|rec - pub|``. Default 0.03; worst measured
        0.020.
    survival_ci : float
        Each bound of a landmark's CI, ``|rec - pub|``. Default 0.03; worst measured
        0.021.
    p : float
        The p-value, on the scale of its test statistic: ``|z_rec - z_pub| / max(z_pub,
        1)`` with ``z = Phi^-1(1 - p / 2)``, the |z| of a two-sided normal test of that
        p. Reconstruction errors in the log HR and in the events change z in proportion
        (``z = log HR / SE``), unlike ``log p``, which explodes for small p; below
        ``z = 1`` (p > 0.32) the difference counts in absolute terms. A bound
        (``<0.001``) is met by any p below it. The reconstructed p is the log-rank
        test's, the published one may be a Wald test's. Default 0.2; worst measured
        0.040.
    chi2 : float
        The log-rank chi-square on the same scale, ``z = sqrt(chi2)`` (1 degree of
        freedom). Default 0.2; worst measured 0.037.

    Examples
    --------
    >>> Tolerances().hr
    0.05
    >>> Tolerances().replace(hr=0.1)
    Tolerances(hr=0.1 (default 0.05))
    """

    hr: float = 0.05
    hr_blind: float = 0.4
    hr_ci: float = 0.05
    median: float = 0.05
    median_ci: float = 0.25
    events: float = 3.0
    survival: float = 0.03
    survival_ci: float = 0.03
    p: float = 0.2
    chi2: float = 0.2

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not _is_tolerance(value):
                raise InputError(f"must be a number >= 0, got {value!r}", field=f.name)
            object.__setattr__(self, f.name, float(value))

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The tolerance names, as in ``--tolerance NAME=VALUE`` and ``check.tolerances``."""
        return tuple(f.name for f in fields(cls))

    def replace(self, **values: float) -> Tolerances:
        """A copy with some tolerances changed; ``InputError`` for an unknown name."""
        unknown = sorted(set(values) - set(self.names()))
        if unknown:
            raise InputError(
                f"unknown tolerance {unknown[0]!r} (known: {', '.join(self.names())})",
                field="tolerances",
            )
        return replace(self, **values)

    def changed(self) -> dict[str, float]:
        """The tolerances that differ from the defaults."""
        default = Tolerances()
        return {
            n: getattr(self, n) for n in self.names() if getattr(self, n) != getattr(default, n)
        }

    def table(self) -> pd.DataFrame:
        """One row per tolerance: name, value, default, scale, quantities it applies to."""
        import pandas as pd

        default = Tolerances()
        return pd.DataFrame(
            [
                {
                    "name": name,
                    "value": getattr(self, name),
                    "default": getattr(default, name),
                    "scale": _SCALES[name].text,
                    "applies_to": _APPLIES_TO[name],
                }
                for name in self.names()
            ]
        )

    def _repr_html_(self) -> str:
        return html_view(repr(self), self.table())

    def __repr__(self) -> str:
        default = Tolerances()
        changed = self.changed()
        parts = [f"{n}={v:g} (default {getattr(default, n):g})" for n, v in changed.items()]
        return f"Tolerances({', '.join(parts) or 'defaults'})"


def _is_tolerance(value: Any) -> bool:
    number = isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))
    return number and math.isfinite(value) and value >= 0


def parse_tolerances(items: Iterable[str], *, hr_blind: bool = False) -> dict[str, float]:
    """Tolerances from the command line: ``NAME=VALUE`` items, or a bare ``VALUE``.

    Parameters
    ----------
    items : iterable of str
        Each ``NAME=VALUE`` with ``NAME`` one of :meth:`Tolerances.names` (``hr=0.05``,
        ``median=0.1``), or a bare number, which sets the HR tolerance of the mode in use
        (``hr``, or ``hr_blind`` when ``hr_blind``).
    hr_blind : bool
        The reconstruction is HR-blind.

    Returns
    -------
    dict of str to float

    Raises
    ------
    InputError
        An unknown name, a value that is not a finite number >= 0, or a name given
        twice; the field is ``--tolerance``.

    Examples
    --------
    >>> parse_tolerances(["hr=0.1", "median=0.2"])
    {'hr': 0.1, 'median': 0.2}
    >>> parse_tolerances(["0.1"], hr_blind=True)
    {'hr_blind': 0.1}
    """
    out: dict[str, float] = {}
    for item in items:
        name, sep, text = item.partition("=")
        name = name.strip() if sep else ("hr_blind" if hr_blind else "hr")
        text = text if sep else item
        if name not in Tolerances.names():
            raise InputError(
                f"{item!r}: unknown tolerance {name!r} (known: {', '.join(Tolerances.names())})",
                field="--tolerance",
            )
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not _is_tolerance(value):
            raise InputError(
                f"{item!r}: {text.strip()!r} is not a number >= 0", field="--tolerance"
            )
        if name in out:
            raise InputError(f"{item!r}: tolerance {name!r} is given twice", field="--tolerance")
        out[name] = value
    return out


# --------------------------------------------------------------------------- quantities

_COMPARISON_QUANTITIES = ("HR", "HR CI lower", "HR CI upper", "p", "log-rank chi2")
_ARM_QUANTITY = re.compile(
    r"median(?: CI (?:lower|upper))?|events|survival at (?P<time>\S+?)(?P<ci> CI (?:lower|upper))?"
)
_QUANTITY_FORMS = (
    "median, median CI lower, median CI upper, events, survival at <t>, "
    "survival at <t> CI lower, survival at <t> CI upper, HR, HR CI lower, HR CI upper, p, "
    "log-rank chi2"
)


def quantity_name(text: str) -> tuple[str, bool]:
    """The canonical name of a published quantity, and whether it belongs to an arm.

    Parameters
    ----------
    text : str
        A quantity as :func:`mmsurv.published.published_vs_reconstructed` names it:
        ``median``, ``median CI lower`` / ``upper``, ``events``, ``survival at <t>`` and
        its ``CI lower`` / ``upper``, ``HR``, ``HR CI lower`` / ``upper``, ``p``,
        ``log-rank chi2``. A landmark time may be written as any number (``12.0``).

    Returns
    -------
    name : str
        The name as the published table spells it (``survival at 12``).
    per_arm : bool
        True for the numbers of an arm, False for those of the comparison.

    Raises
    ------
    ValueError
        When the text names no published quantity.

    Examples
    --------
    >>> quantity_name("survival at 12.0 CI lower")
    ('survival at 12 CI lower', True)
    """
    if text in _COMPARISON_QUANTITIES:
        return text, False
    match = _ARM_QUANTITY.fullmatch(text)
    if match is None:
        raise ValueError(f"{text!r} is not a published quantity (one of {_QUANTITY_FORMS})")
    if match["time"] is None:
        return text, True
    try:
        time = float(match["time"])
    except ValueError:
        time = math.nan
    if not (math.isfinite(time) and time >= 0):
        raise ValueError(f"{text!r}: {match['time']!r} is not a landmark time (a number >= 0)")
    return f"survival at {time:g}{match['ci'] or ''}", True


def tolerance_for(quantity: str, *, hr_blind: bool = False) -> str:
    """The name of the :class:`Tolerances` field a published quantity is held to.

    Examples
    --------
    >>> tolerance_for("survival at 12 CI lower"), tolerance_for("HR CI upper", hr_blind=True)
    ('survival_ci', 'hr_blind')
    """
    name, _ = quantity_name(quantity)
    if name.startswith("HR"):
        return "hr_blind" if hr_blind else ("hr" if name == "HR" else "hr_ci")
    if name == "log-rank chi2":
        return "chi2"
    if name.startswith("survival at"):
        return "survival_ci" if name.endswith(("lower", "upper")) else "survival"
    return "median_ci" if name.startswith("median CI") else name


# --------------------------------------------------------------------------- deviations


def _printed_interval(tolerance: str, published: Any) -> tuple[float, float]:
    """The values a published number stands for: its rounding interval, a p bound's
    range, an event count exactly."""
    if tolerance == "p":
        lo, hi = _p_interval(PValue.model_validate(published))
    elif tolerance == "events":
        lo = hi = float(published)
    elif tolerance.startswith("survival"):
        lo, hi = _fraction(float(published))
    else:
        lo, hi = _printed(float(published))
    return lo, hi


def _number(value: Any) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and not math.isnan(value):
        return float(value)
    return None


def _bounds(tolerance: str, published: Any) -> tuple[_Scale, float, float, float]:
    """The scale, the published number's rounding interval on it, and the unit of the
    deviation: 1, or for a relative scale the end of the interval nearer 0."""
    scale = _SCALES[tolerance]
    lo, hi = sorted(map(scale.forward, _printed_interval(tolerance, published)))
    if scale.floor is None:
        return scale, lo, hi, 1.0
    return scale, lo, hi, max(min(abs(lo), abs(hi)), scale.floor)


def _deviation(tolerance: str, published: Any, reconstructed: Any) -> float:
    rec = _number(reconstructed)
    if published == "NR" or rec is None:
        return 0.0 if published == reconstructed == "NR" else math.inf
    scale, lo, hi, unit = _bounds(tolerance, published)
    value = scale.forward(rec)
    gap = lo - value if value < lo else (value - hi if value > hi else 0.0)
    return gap / unit


def _accepted(tolerance: str, published: Any, width: float) -> tuple[float, float] | None:
    """The reconstructed values within ``width`` of a published number (None: NR)."""
    if published == "NR":
        return None
    scale, lo, hi, unit = _bounds(tolerance, published)
    ends = sorted((scale.inverse(lo - width * unit), scale.inverse(hi + width * unit)))
    top = 1.0 if tolerance.startswith("survival") else math.inf
    return max(ends[0], 0.0), min(ends[1], top)


def deviations(table: pd.DataFrame, *, hr_blind: bool = False) -> pd.DataFrame:
    """How far each reconstructed number lies outside the published one's rounding.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`mmsurv.published.published_vs_reconstructed` or
        :func:`analyze_study`: columns ``quantity``, ``published``, ``reconstructed``.
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
    out["deviation"] = [
        _deviation(name, pub, rec)
        for name, pub, rec in zip(
            out["tolerance"], out["published"], out["reconstructed"], strict=True
        )
    ]
    return out


# --------------------------------------------------------------------------- analysis


def _endpoint_table(study: Study, name: str, hr_blind: bool) -> pd.DataFrame:
    """Reconstruct one endpoint, analyse it as the study reports it, and set the published
    numbers beside the reconstructed ones; ``attrs["unkept"]`` maps the (arm, quantity)
    of each number the reconstruction says it could not keep to its sentence."""
    ipd, report = reconstruct(study, name, hr_blind=hr_blind)
    table = published_vs_reconstructed(study, name, analyze_as_reported(study, name, ipd))
    table.attrs["unkept"] = report.unkept()
    table.attrs["not_kept"] = [
        f"{name} {arm}: {sentence}" for (arm, _), sentence in table.attrs["unkept"].items()
    ]
    return table


def _endpoint_tables(
    study: Study, endpoints: str | Sequence[str] | None, hr_blind: bool
) -> Iterator[tuple[str, pd.DataFrame | InputError]]:
    """Each endpoint's table, or the InputError that stopped its reconstruction."""
    if isinstance(endpoints, str):
        endpoints = [endpoints]
    names = list(study.endpoints) if endpoints is None else list(endpoints)
    for name in names:
        study.endpoint(name)  # an unknown name is bad input, not a miss
    for name in names:
        try:
            yield name, _endpoint_table(study, name, hr_blind)
        except InputError as exc:
            yield name, exc


def analyze_study(
    study: Study | str | Mapping[str, Any],
    endpoints: str | Sequence[str] | None = None,
    *,
    hr_blind: bool = False,
) -> pd.DataFrame:
    """Published versus reconstructed numbers of a study's endpoints, in one table.

    Each endpoint is reconstructed (:func:`mmsurv.reconstruct`), analysed
    (:func:`mmsurv.analysis.analyze`) at the landmark times it reports, at the
    confidence level of its comparison, and its published numbers set beside the
    reconstructed ones (:func:`mmsurv.published.published_vs_reconstructed`).

    Parameters
    ----------
    study : Study, str or mapping
        A study, a YAML path, a catalog id or a mapping (:func:`mmsurv.load_study`).
    endpoints : str or sequence of str, optional
        The endpoints; default every endpoint of the study.
    hr_blind : bool
        Reconstruct without the published HR.

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`~mmsurv.published.published_vs_reconstructed` of every
        endpoint. Endpoints that cannot be reconstructed (nothing reported to build them
        from) are left out when ``endpoints`` is None, and listed with the reason in
        ``attrs["not_reconstructed"]`` (a dict of endpoint to message). The numbers the
        reconstruction could not keep with the others of their arm are in
        ``attrs["not_kept"]``: a list of ``"<endpoint> <arm>: <sentence>"``.

    Raises
    ------
    InputError
        An unknown endpoint, a named endpoint that cannot be reconstructed, or no
        endpoint that can.
    """
    import pandas as pd

    study = load_study(study)
    frames, failed = [], {}
    for name, outcome in _endpoint_tables(study, endpoints, hr_blind):
        if isinstance(outcome, InputError):
            if endpoints is not None:
                raise outcome
            failed[name] = outcome
        else:
            frames.append(outcome)
    if not frames:
        reasons = "; ".join(_where(exc) for exc in failed.values())
        raise InputError(f"no endpoint can be reconstructed ({reasons})", file=study.path)
    table = pd.concat(frames, ignore_index=True)
    table.attrs["not_reconstructed"] = {name: str(exc) for name, exc in failed.items()}
    table.attrs["not_kept"] = [line for frame in frames for line in frame.attrs["not_kept"]]
    return table


def _where(exc: InputError) -> str:
    """An InputError's field and problem, without the file."""
    return ": ".join(part for part in (exc.field, exc.problem) if part)


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
    for row in deviations(table, hr_blind=hr_blind).itertuples(index=False):
        value = getattr(tolerances, row.tolerance)
        accepted = _accepted(row.tolerance, row.published, value)
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
                "text": f"{row.tolerance}={value:g}, accepted {_range(accepted)}",
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


def check_study(
    study: Study | str | Mapping[str, Any],
    endpoints: str | Sequence[str] | None = None,
    *,
    tolerances: Tolerances | Mapping[str, float] | None = None,
    hr_blind: bool = False,
) -> CheckResult:
    """Check that a study's reconstruction reproduces its published numbers.

    Each endpoint is reconstructed and analysed as :func:`analyze_study` does, and each
    published number compared with the reconstructed one: it passes when its
    :func:`deviations` is at most its tolerance (:class:`Tolerances`). An endpoint that
    cannot be reconstructed is a miss with the reason. The notes of the study's
    ``check:`` block (:class:`mmsurv.study.CheckNote`) explain misses: a noted miss does
    not fail the check, but a note that covers no published number, or whose numbers
    all pass (a stale note), does.

    Parameters
    ----------
    study : Study, str or mapping
        A study, a YAML path, a catalog id or a mapping (:func:`mmsurv.load_study`).
    endpoints : str or sequence of str, optional
        The endpoints to check; default every endpoint.
    tolerances : Tolerances or mapping of str to float, optional
        A mapping of tolerance names to values takes precedence over the study file's
        ``check.tolerances``, which take precedence over the defaults. A whole
        :class:`Tolerances` is used as given (the study file's tolerances are then not
        applied).
    hr_blind : bool
        Reconstruct without the published HR; the HR and its CI are then held to
        ``hr_blind``.

    Returns
    -------
    CheckResult

    Raises
    ------
    InputError
        An unknown endpoint or tolerance name, or a tolerance that is not a number >= 0.

    Examples
    --------
    The 95% CI of the carfilzomib cohort's PFS HR is far narrower than its 80 patients
    allow:

    >>> result = check_study("niu-2026-krd-vs-vrd", "PFS")
    >>> result.passed
    False
    >>> print(result.misses[0])  # doctest: +ELLIPSIS
    niu-2026-krd-vs-vrd PFS HR CI lower: published 0.583, reconstructed ... (tolerance hr_ci=...)
    """
    import pandas as pd

    study = load_study(study)
    tol, sources = _tolerances(study, tolerances)
    rows: list[dict] = []
    failed: set[str] = set()
    checked: set[str] = set()
    for name, outcome in _endpoint_tables(study, endpoints, hr_blind):
        checked.add(name)
        if isinstance(outcome, InputError):
            failed.add(name)
            reason = f"cannot be reconstructed: {_where(outcome)}"
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


def assert_reproduces(
    study: Study | str | Mapping[str, Any],
    endpoint: str | Sequence[str] | None = None,
    *,
    tolerances: Tolerances | Mapping[str, float] | None = None,
    hr_blind: bool = False,
    **tolerance_overrides: float,
) -> None:
    """Raise ``AssertionError`` unless the reconstruction reproduces the study.

    For tests: :func:`check_study` with the same arguments, ``tolerance_overrides``
    (``hr=0.1``) applied on top of ``tolerances``. Its own frame is hidden from pytest's
    tracebacks (``__tracebackhide__``): a failure shows the test's line and the misses.

    Raises
    ------
    AssertionError
        Its message is the lines of the misses (:class:`Miss`), one per line.
    InputError
        As :func:`check_study`.

    Examples
    --------
    >>> assert_reproduces("niu-2026-krd-vs-vrd", "OS", hr_ci=1, p=1, chi2=1)
    >>> assert_reproduces("niu-2026-krd-vs-vrd", "OS")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    AssertionError: niu-2026-krd-vs-vrd OS HR CI lower: published 0.504, ...
    """
    __tracebackhide__ = True  # pytest shows the caller's line and the message, not this
    if isinstance(tolerances, Tolerances):
        tolerances = tolerances.replace(**tolerance_overrides)
    elif tolerance_overrides:
        tolerances = {**(tolerances or {}), **tolerance_overrides}
    result = check_study(study, endpoint, tolerances=tolerances, hr_blind=hr_blind)
    if not result.passed:
        raise AssertionError("\n".join(map(str, result.misses)))


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
        suite = ET.SubElement(
            root,
            "testsuite",
            name=result.study,
            errors="0",
            **{k: str(v) for k, v in counts.items()},
        )
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
        for key, value in counts.items():
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
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
