"""Tolerances of ``mmsurv check``: the published quantities, the scale each is measured
on and how far a reconstruction may lie from it.

A leaf module (it imports only :mod:`mmsurv.errors`, :mod:`mmsurv.printed` and
:mod:`mmsurv.views`), so the
study model can validate its ``check:`` block without the checking machinery.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import InputError
from .printed import p_of_z, z_of_p
from .views import html_view

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Scale",
    "Tolerances",
    "parse_tolerances",
    "quantity_name",
    "scale_of",
    "tolerance_for",
]


# --------------------------------------------------------------------------- scales


def _log(x: float) -> float:
    return math.log(x) if x > 0 else -math.inf


@dataclass(frozen=True)
class Scale:
    """Where a deviation is measured: a monotone transform of the numbers; on a
    relative scale the deviation is divided by the end of the published number's
    rounding interval nearer 0 (transformed), at least ``floor``."""

    forward: Callable[[float], float]
    inverse: Callable[[float], float]
    floor: float | None
    text: str


def _same(x: float) -> float:
    return x


_LOG = Scale(_log, math.exp, None, "|log(rec / pub)|")
_RELATIVE = Scale(_same, _same, 1e-9, "|rec - pub| / pub")
_ABSOLUTE = Scale(_same, _same, None, "|rec - pub|")
_Z_OF_P = Scale(
    lambda p: z_of_p(p, 2),
    lambda z: p_of_z(max(z, 0.0), 2),
    1.0,
    "|z_rec - z_pub| / max(z_pub, 1), z = Phi^-1(1 - p/2)",
)
_Z_OF_ONE_SIDED_P = Scale(
    lambda p: z_of_p(p, 1),
    lambda z: p_of_z(z, 1),
    1.0,
    "|z_rec - z_pub| / max(z_pub, 1), z = Phi^-1(1 - p) (one-sided p)",
)
_Z_OF_CHI2 = Scale(
    lambda x: math.sqrt(max(x, 0.0)),
    lambda z: max(z, 0.0) ** 2,
    1.0,
    "|z_rec - z_pub| / max(z_pub, 1), z = sqrt(chi2)",
)

_SCALES: dict[str, Scale] = {
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


def scale_of(tolerance: str, *, one_sided_p: bool = False) -> Scale:
    """The scale a tolerance is measured on; a one-sided p on the z of a one-sided test.

    Examples
    --------
    >>> scale_of("hr").text, scale_of("p", one_sided_p=True).text.endswith("(one-sided p)")
    ('|log(rec / pub)|', True)
    """
    if tolerance == "p" and one_sided_p:
        return _Z_OF_ONE_SIDED_P
    return _SCALES[tolerance]


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
        0.020. :func:`mmsurv.check.check_outcomes` widens it, for one landmark, to one
        event's step of the reconstructed curve next to it when that step is larger
        (:func:`mmsurv.km.one_event_step`, ``S / r`` with ``r`` at risk): where few
        patients are at risk the curve moves by whole steps.
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
