"""Printed numbers: the values a number stands for as printed, and the normal-test
conversions between p-values, z statistics and confidence intervals.

A leaf module (it imports nothing of the package). A paper prints rounded numbers: a
printed ``0.69`` stands for any value in ``[0.685, 0.695]``, half a unit of its last
printed decimal either side. The decimals are the printed ones: a study file's ``40.0``
(YAML) or ``"0.010"`` (text) keeps them as :class:`Printed` numbers, so ``40.0`` stands
for ``[39.95, 40.05]``, not ``[39.5, 40.5]``. A number without its printed form (a
Python float) falls back to its shortest representation, trailing zeros dropped, which
can only widen the interval.

Methods
-------
The standard error of a log hazard ratio from its confidence interval,
``(log(upper) - log(lower)) / (2 z)``, and the Wald interval ``estimate +/- z SE``:
Parmar MKB, Torri V, Stewart L. Extracting summary statistics to perform meta-analyses
of the published literature for survival endpoints. Stat Med 1998;17:2815-34; Tierney
JF, Stewart LA, Ghersi D, Burdett S, Sydes MR. Practical methods for incorporating
summary time-to-event data into meta-analysis. Trials 2007;8:16.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from statistics import NormalDist
from typing import Any, NamedTuple

import numpy as np

__all__ = [
    "Interval",
    "Printed",
    "decimals_of",
    "fraction",
    "half_unit",
    "normal_quantile",
    "p_interval",
    "p_of_z",
    "printed",
    "se_log_hr",
    "wald_ci",
    "z_critical",
    "z_of_p",
]

_DECIMAL_TEXT = re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*")


class Interval(NamedTuple):
    """A closed interval ``[lo, hi]``, e.g. the values that print as a reported number."""

    lo: float
    hi: float

    def overlaps(self, other: Interval) -> bool:
        """Whether the two intervals share a value."""
        return self.lo <= other.hi and other.lo <= self.hi

    def __contains__(self, value: object) -> bool:
        """``x in interval``: whether the number lies in ``[lo, hi]``."""
        return isinstance(value, (int, float)) and self.lo <= value <= self.hi


class Printed(float):
    """A float that remembers how many decimals it was printed with.

    Arithmetic gives plain floats; only the value as read keeps ``decimals``.

    Examples
    --------
    >>> x = Printed.parse("40.0")
    >>> x, x.decimals, half_unit(x)
    (40.0, 1, 0.05)
    """

    decimals: int

    def __new__(cls, value: float, decimals: int) -> Printed:
        self = super().__new__(cls, value)
        self.decimals = decimals
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (Printed, (float(self), self.decimals))

    @classmethod
    def parse(cls, text: str) -> Printed | float:
        """The number a text prints, with its decimals (a plain float for ``inf``)."""
        value = float(text)
        decimals = decimals_of(text)
        return value if decimals is None else cls(value, decimals)


def decimals_of(text: str) -> int | None:
    """The decimals a number is printed with (``"0.010"`` -> 3, ``"1e-3"`` -> 3,
    ``"14"`` -> 0); None for text that is no plain decimal number.

    Examples
    --------
    >>> decimals_of("0.010"), decimals_of("40.0"), decimals_of("14"), decimals_of("nan")
    (3, 1, 0, None)
    """
    if not _DECIMAL_TEXT.fullmatch(text):
        return None
    try:
        exponent = Decimal(text.strip()).as_tuple().exponent
    except InvalidOperation:
        return None
    return -int(exponent)


def half_unit(value: float) -> float:
    """Half a unit of the last printed decimal: 0.712 -> 0.0005, 14 -> 0.5, 40.0 (printed
    so) -> 0.05.

    A :class:`Printed` number uses its printed decimals; any other number those of its
    shortest representation with trailing zeros dropped (``14.0`` -> none).

    Examples
    --------
    >>> half_unit(0.712), half_unit(14), half_unit(Printed(40.0, 1))
    (0.0005, 0.5, 0.05)
    """
    decimals = getattr(value, "decimals", None)
    if decimals is None:
        exponent = int(Decimal(repr(float(value))).normalize().as_tuple().exponent)
        decimals = -min(exponent, 0)
    return 0.5 * 10.0 ** (-max(decimals, 0))


def printed(value: float, lo: float = 0.0, hi: float = math.inf) -> Interval:
    """The values that print as ``value``, clipped to ``[lo, hi]``.

    Examples
    --------
    >>> [round(x, 6) for x in printed(14)]
    [13.5, 14.5]
    """
    h = half_unit(value) * (1 + 1e-9)  # a hair wider: float error never flips a boundary
    return Interval(max(value - h, lo), min(value + h, hi))


def fraction(value: float) -> Interval:
    """The fractions (in ``[0, 1]``) that print as ``value``."""
    return printed(value, 0.0, 1.0)


def p_interval(value: float, relation: str = "=") -> Interval:
    """The p-values a printed p or bound stands for (``<0.001`` -> [0, 0.001]).

    Examples
    --------
    >>> [round(x, 6) for x in p_interval(Printed(0.01, 3))]
    [0.0095, 0.0105]
    >>> p_interval(0.001, "<")
    Interval(lo=0.0, hi=0.001)
    """
    if relation == "=":
        return printed(value, 0.0, 1.0)
    if relation in ("<", "<="):
        return Interval(0.0, float(value))
    return Interval(float(value), 1.0)


def _quantile(p: float) -> float:
    if math.isnan(p):
        return math.nan
    if p <= 0 or p >= 1:
        return -math.inf if p <= 0 else math.inf
    return NormalDist().inv_cdf(p)


def normal_quantile(p: Any) -> Any:
    """The standard normal quantile ``Phi^-1(p)`` (a float, or an array for an array).

    Examples
    --------
    >>> round(normal_quantile(0.975), 6)
    1.959964
    """
    out = np.vectorize(_quantile, otypes=[float])(np.asarray(p, dtype=float))
    return float(out) if out.ndim == 0 else out


def z_critical(level: Any) -> Any:
    """The two-sided normal critical value of a confidence level (vectorised).

    Examples
    --------
    >>> round(z_critical(0.95), 4)
    1.96
    """
    return normal_quantile(0.5 + np.asarray(level, dtype=float) / 2)


def z_of_p(p: float, sides: int = 2) -> float:
    """|z| of a normal test with p-value ``p`` (one-sided: in the tested direction;
    infinite for p = 0, negative for a one-sided p above 0.5).

    Examples
    --------
    >>> round(z_of_p(0.05), 4), round(z_of_p(0.025, sides=1), 4)
    (1.96, 1.96)
    >>> round(z_of_p(5e-324), 2)  # p / 2 underflows: the chi-square's tail instead
    38.48
    """
    if 0 < p < 1e-300:
        # p / 2 would underflow (p = 5e-324): the chi-square with 1 df has the same tail
        from scipy.stats import chi2

        return math.sqrt(float(chi2.isf(p * 2 / sides, 1)))
    return -float(normal_quantile(min(p, 1.0) / sides))


def p_of_z(z: float, sides: int = 2) -> float:
    """The p-value of a normal test statistic ``z`` (two-sided: of ``|z|``).

    Examples
    --------
    >>> round(p_of_z(1.959964), 4), round(p_of_z(1.959964, sides=1), 4)
    (0.05, 0.025)
    """
    z = abs(z) if sides == 2 else z
    p = sides * 0.5 * math.erfc(z / math.sqrt(2))
    if p > 0 or not math.isfinite(z):
        return p
    from scipy.stats import chi2  # the normal tail underflows first (z > 37.5)

    return sides * 0.5 * float(chi2.sf(z * z, 1))


def se_log_hr(lower: Any, upper: Any, level: Any = 0.95) -> Any:
    """The standard error of a log hazard ratio from its CI, ``(log(upper) -
    log(lower)) / (2 z)`` (Parmar et al. 1998; vectorised).

    Examples
    --------
    >>> round(se_log_hr(0.583, 0.874), 4)
    0.1033
    """
    out = np.log(np.asarray(upper, float) / np.asarray(lower, float)) / (2 * z_critical(level))
    return float(out) if np.ndim(out) == 0 else out


def wald_ci(estimate: Any, se: Any, level: Any = 0.95) -> tuple[Any, Any]:
    """The Wald interval ``estimate +/- z SE`` at a confidence level (vectorised).

    Examples
    --------
    >>> [round(x, 3) for x in wald_ci(0.0, 1.0)]
    [-1.96, 1.96]
    """
    half = z_critical(level) * se
    return estimate - half, estimate + half
