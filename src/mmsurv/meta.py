"""Cross-trial comparison of hazard ratios, the way meta-analysts do it.

Three entry points, each returning a frozen result with a ``table()`` and a readable ``repr``:

- :func:`pool` (and :func:`pool_hr`): inverse-variance pooling of log hazard ratios.
  Fixed effect; random effects with the between-trial variance tau^2 estimated by
  DerSimonian-Laird, Paule-Mandel or REML; Cochran's Q, I^2 and the prediction interval.
- :func:`bucher`: the adjusted indirect comparison of A and C through a common
  comparator B (Bucher et al. 1997).
- :func:`mmsurv.compare_studies`: published and reconstructed hazard ratios of several studies
  side by side, their pooled HRs and, for two studies with the same reference arm, the
  indirect comparison of their treatments; :func:`format_comparison` prints it.

Conventions. Confidence intervals of pooled estimates and indirect comparisons are
normal (Wald) intervals, ``log HR +/- z * SE``, as in DerSimonian & Laird (1986) and
the usual software defaults (no Hartung-Knapp adjustment). The prediction interval uses
the t distribution with k - 2 degrees of freedom (Higgins, Thompson & Spiegelhalter
2009) and is not defined for fewer than three studies. The standard error of a published
log HR is recovered from its CI, ``SE = (log upper - log lower) / (2 z)`` with ``z`` the
normal quantile of the CI's own level (Parmar, Torri & Stewart 1998).

The fixed-effect estimate, Cochran's Q and the DerSimonian-Laird tau^2 come from
:func:`statsmodels.stats.meta_analysis.combine_effects` (``method_re="dl"``, the same as
``"chi2"``). Its raw DerSimonian-Laird tau^2 is ``(Q - df) / c`` without truncation, so
it is negative when Q < df; it is truncated at 0 here, as DerSimonian & Laird define it.
Its Paule-Mandel iteration (``"iterated"``/``"pm"``) stops at ``|Q(tau^2) - df| < 1e-5``
after at most 50 steps without saying whether it converged, and returns 0 when a step
overshoots; so the Paule-Mandel tau^2 is the root of the generalised Q equation found
here by bracketed root finding, and REML (not in statsmodels) likewise from its score.
The random-effects estimate is then computed with the chosen tau^2. Like
``combine_effects`` with its default ``use_t=False``, all CIs are normal; its
``use_t=True`` would use the t distribution with k - 1 degrees of freedom.

References
----------
Cochran WG. The combination of estimates from different experiments. Biometrics
1954;10:101-129.

Paule RC, Mandel J. Consensus values and weighting factors. J Res Natl Bur Stand
1982;87:377-385.

DerSimonian R, Laird N. Meta-analysis in clinical trials. Control Clin Trials
1986;7:177-188.

Bucher HC, Guyatt GH, Griffith LE, Walter SD. The results of direct and indirect
treatment comparisons in meta-analysis of randomized controlled trials. J Clin Epidemiol
1997;50:683-691.

Parmar MKB, Torri V, Stewart L. Extracting summary statistics to perform meta-analyses
of the published literature for survival endpoints. Stat Med 1998;17:2815-2834.

Higgins JPT, Thompson SG. Quantifying heterogeneity in a meta-analysis. Stat Med
2002;21:1539-1558.

Viechtbauer W. Bias and efficiency of meta-analytic variance estimators in the
random-effects model. J Educ Behav Stat 2005;30:261-293.

DerSimonian R, Kacker R. Random-effects model for meta-analysis of clinical trials: an
update. Contemp Clin Trials 2007;28:105-114.

Higgins JPT, Thompson SG, Spiegelhalter DJ. A re-evaluation of random-effects
meta-analysis. J R Stat Soc A 2009;172:137-159.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from ._arrays import readonly
from .crosstrial import CROSS_TRIAL_WARNING
from .errors import InputError, check_level, is_number
from .formatting import distinct_labels, fmt_number, fmt_p
from .printed import p_of_z, se_log_hr, wald_ci, z_critical
from .study import Comparison, Study
from .views import html_view

if TYPE_CHECKING:
    import pandas as pd

    from .analysis import AnalysisResult

    #: A study's analysis of its reconstructed endpoint, or why there is none.
    Analyse = Callable[[Study], AnalysisResult | InputError]

__all__ = [
    "METHODS",
    "BucherResult",
    "ComparedStudy",
    "ComparisonTable",
    "Contrast",
    "MetaResult",
    "PooledEstimate",
    "bucher",
    "compare",
    "format_comparison",
    "pool",
    "pool_hr",
    "se_from_ci",
]

#: Estimators of the between-study variance tau^2.
METHODS = ("DL", "PM", "REML")
_METHOD_NAMES = {
    "DL": "DerSimonian-Laird",
    "PM": "Paule-Mandel",
    "REML": "restricted maximum likelihood",
}
_FOREST_COLUMNS = ["label", "hr", "hr_lower", "hr_upper", "rec_hr", "rec_lower", "rec_upper"]
_TABLE_COLUMNS = [
    *_FOREST_COLUMNS,
    "study_id",
    "trial",
    "treatment",
    "reference",
    "ci_level",
    "log_hr",
    "se",
    "rec_se",
    "weight_fixed",
    "weight_random",
    "note",
]
_POOLED_COLUMNS = [
    "label",
    "hr",
    "hr_lower",
    "hr_upper",
    "log_hr",
    "se",
    "ci_level",
    "p",
    "pi_lower",
    "pi_upper",
]
_INDIRECT_COLUMNS = ["label", "hr", "hr_lower", "hr_upper", "log_hr", "se", "ci_level", "p", "via"]
_WIDTH = 92


# --------------------------------------------------------------------------- helpers


def _check_method(method: Any) -> str:
    name = method.upper() if isinstance(method, str) else method
    if name not in METHODS:
        raise InputError(f"{method!r} is not one of {', '.join(METHODS)}", field="method")
    return name


def _numbers(values: Any, field: str) -> np.ndarray:
    """A float array of any shape, every value finite (InputError naming the index)."""
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise InputError("expected numbers", field=field) from None
    bad = np.argwhere(~np.isfinite(array))
    if bad.size:
        index = "".join(f"[{i}]" for i in bad[0])
        raise InputError(f"{array[tuple(bad[0])]:g} is not a finite number", field=field + index)
    return array


def _vector(values: Any, field: str) -> np.ndarray:
    """A one-dimensional float array of finite values, at least one."""
    array = np.atleast_1d(_numbers(values, field))
    if array.ndim != 1:
        raise InputError(f"expected a list of numbers, got shape {array.shape}", field=field)
    if array.size == 0:
        raise InputError("no values (needs at least one study)", field=field)
    return array


def _positive(array: np.ndarray, field: str, what: str) -> None:
    bad = np.argwhere(array <= 0)
    if bad.size:
        index = "".join(f"[{i}]" for i in bad[0])
        raise InputError(f"{array[tuple(bad[0])]:g} is not positive ({what})", field=field + index)


def _pct(level: float) -> str:
    return f"{100 * level:g}%"


def _hr_text(hr: float, ci: tuple[float, float], level: float, *, printed: bool = False) -> str:
    """``0.37 (95% CI 0.27-0.52)``; published numbers as printed, computed ones rounded."""
    fmt = (lambda x: f"{x:g}") if printed else fmt_number
    return f"{fmt(hr)} ({_pct(level)} CI {fmt(ci[0])}-{fmt(ci[1])})"


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, _WIDTH, initial_indent=indent, subsequent_indent=indent + "  ")


# --------------------------------------------------------------------------- SE from a CI


def se_from_ci(hr_ci: Any, ci_level: Any = 0.95) -> Any:
    """Standard error of a log hazard ratio from its confidence interval.

    ``SE = (log upper - log lower) / (2 z)``, with ``z`` the two-sided normal quantile of
    the interval's level (Parmar, Torri & Stewart 1998): 1.960 for a 95% CI, 2.576 for a
    99% CI. The interval is assumed symmetric on the log scale, as a Wald CI of a Cox
    model is.

    Parameters
    ----------
    hr_ci : (lower, upper) or array-like of shape (k, 2)
        One interval, or one per study; positive, lower below upper.
    ci_level : float or array-like of shape (k,)
        Level of the intervals (0.95, 0.99, 0.954 ...), one for all or one per study.

    Returns
    -------
    float or numpy.ndarray
        A float for one interval, an array of k standard errors otherwise.

    Raises
    ------
    InputError
        Naming ``hr_ci`` or ``ci_level`` (with the index) and the problem.

    References
    ----------
    Parmar MKB, Torri V, Stewart L. Stat Med 1998;17:2815-2834.

    Examples
    --------
    >>> round(se_from_ci((0.27, 0.52)), 4)
    0.1672
    >>> se_from_ci([[0.27, 0.52], [0.318, 0.889]], [0.95, 0.99]).round(4).tolist()
    [0.1672, 0.1996]
    """
    ci = _numbers(hr_ci, "hr_ci")
    if ci.ndim not in (1, 2) or ci.shape[-1] != 2:
        raise InputError(
            f"expected (lower, upper) or one such pair per study, got shape {ci.shape}",
            field="hr_ci",
        )
    _positive(ci, "hr_ci", "a hazard ratio is > 0")
    pairs = ci.reshape(-1, 2)
    bad = np.flatnonzero(pairs[:, 0] >= pairs[:, 1])
    if bad.size:
        lo, hi = pairs[bad[0]]
        where = f"hr_ci[{bad[0]}]" if ci.ndim == 2 else "hr_ci"
        raise InputError(f"lower bound {lo:g} is not below the upper bound {hi:g}", field=where)
    levels = _numbers(ci_level, "ci_level")
    if levels.ndim > 1 or (levels.ndim == 1 and levels.size != len(pairs)):
        raise InputError(
            f"expected one level or {len(pairs)} (one per interval), got shape {levels.shape}",
            field="ci_level",
        )
    outside = np.flatnonzero((levels <= 0) | (levels >= 1))
    if outside.size:
        where = f"ci_level[{outside[0]}]" if levels.ndim else "ci_level"
        value = np.atleast_1d(levels)[outside[0]]
        raise InputError(f"must be between 0 and 1, got {value:g}", field=where)
    se = se_log_hr(pairs[:, 0], pairs[:, 1], levels)
    return float(se[0]) if ci.ndim == 1 else se


# --------------------------------------------------------------------------- pooling


class _NormalLogHR:
    """Normal-based inference on a log HR held as ``log_hr``, ``se`` and ``ci_level``."""

    log_hr: float
    se: float
    ci_level: float

    @property
    def hr(self) -> float:
        """The hazard ratio."""
        return math.exp(self.log_hr)

    @property
    def log_ci(self) -> tuple[float, float]:
        """Normal CI of the log HR: ``log_hr +/- z * se``."""
        lower, upper = wald_ci(self.log_hr, self.se, self.ci_level)
        return float(lower), float(upper)

    @property
    def hr_ci(self) -> tuple[float, float]:
        """CI of the hazard ratio at ``ci_level``."""
        lo, hi = self.log_ci
        return math.exp(lo), math.exp(hi)

    @property
    def z(self) -> float:
        """Wald statistic of the log HR."""
        return self.log_hr / self.se

    @property
    def p(self) -> float:
        """Two-sided p-value of the Wald test of HR = 1."""
        return p_of_z(self.z)


@dataclass(frozen=True)
class PooledEstimate(_NormalLogHR):
    """A pooled log hazard ratio with its standard error (normal-based inference).

    Attributes
    ----------
    label : str
        ``"Fixed effect"`` or ``"Random effects (DL)"`` ...
    log_hr, se : float
        The pooled log HR and its standard error.
    ci_level : float
        Level of :attr:`hr_ci`.
    """

    label: str
    log_hr: float
    se: float
    ci_level: float = 0.95

    def __repr__(self) -> str:
        ci = _hr_text(self.hr, self.hr_ci, self.ci_level)
        return f"{self.label}: HR {ci}, p {fmt_p(self.p)}"

    def _repr_html_(self) -> str:
        return html_view(repr(self))


@dataclass(frozen=True, eq=False)
class MetaResult:
    """What :func:`pool` returns: fixed and random effects, heterogeneity, prediction.

    Attributes
    ----------
    labels : tuple of str
        Study labels.
    log_hr, se : numpy.ndarray
        The studies' log HRs and standard errors (read-only).
    tau2_method : str
        Estimator of tau^2: ``"DL"``, ``"PM"`` or ``"REML"``.
    ci_level : float
        Level of every interval.
    fixed, random : PooledEstimate
        Fixed-effect and random-effects estimates.
    tau2 : float
        Between-study variance of the log HRs (0 for a single study).
    q : float
        Cochran's Q, ``sum w_i (y_i - fixed)^2`` with ``w_i = 1 / se_i^2``.
    q_df : int
        Its degrees of freedom, k - 1.
    q_p : float
        Chi-square p-value of Q (NaN for one study).
    i2 : float
        ``max(0, (Q - df) / Q)``, the share of the variability due to heterogeneity
        (Higgins & Thompson 2002); NaN for one study.
    weights_fixed, weights_random : numpy.ndarray
        Relative weights of the studies (each sums to 1).
    log_prediction_interval : (float, float) or None
        Prediction interval of the log HR of a new study; None for fewer than 3 studies.
    """

    labels: tuple[str, ...]
    log_hr: np.ndarray
    se: np.ndarray
    tau2_method: str
    ci_level: float
    fixed: PooledEstimate
    random: PooledEstimate
    tau2: float
    q: float
    q_df: int
    q_p: float
    i2: float
    weights_fixed: np.ndarray
    weights_random: np.ndarray
    log_prediction_interval: tuple[float, float] | None

    @property
    def k(self) -> int:
        """Number of studies."""
        return len(self.labels)

    @property
    def tau(self) -> float:
        """Between-study standard deviation of the log HRs."""
        return math.sqrt(self.tau2)

    @property
    def prediction_interval(self) -> tuple[float, float] | None:
        """Prediction interval on the HR scale; None for fewer than 3 studies."""
        if self.log_prediction_interval is None:
            return None
        lo, hi = self.log_prediction_interval
        return math.exp(lo), math.exp(hi)

    def table(self) -> pd.DataFrame:
        """One row per study, then the fixed and random-effects rows.

        Columns ``label, hr, hr_lower, hr_upper, log_hr, se, weight_fixed,
        weight_random``; study CIs are normal intervals at ``ci_level`` from ``se``; the
        pooled rows have NaN weights.
        """
        import pandas as pd

        half = z_critical(self.ci_level) * self.se
        studies = pd.DataFrame(
            {
                "label": list(self.labels),
                "hr": np.exp(self.log_hr),
                "hr_lower": np.exp(self.log_hr - half),
                "hr_upper": np.exp(self.log_hr + half),
                "log_hr": self.log_hr,
                "se": self.se,
                "weight_fixed": self.weights_fixed,
                "weight_random": self.weights_random,
            }
        )
        pooled = pd.DataFrame(
            [[e.label, e.hr, *e.hr_ci, e.log_hr, e.se] for e in (self.fixed, self.random)],
            columns=list(studies.columns[:6]),
        )
        return pd.concat([studies, pooled], ignore_index=True)

    def heterogeneity_line(self) -> str:
        """Q, its p-value, I^2 and tau^2 in one line."""
        if self.k == 1:
            return "Heterogeneity: not estimable from one study"
        return (
            f"Heterogeneity: Q = {fmt_number(self.q)} on {self.q_df} df, p {fmt_p(self.q_p)}; "
            f"I^2 = {100 * self.i2:.1f}%; tau^2 = {fmt_number(self.tau2)} ({self.tau2_method})"
        )

    def prediction_line(self) -> str:
        """The prediction interval, or why there is none."""
        if self.prediction_interval is None:
            return "Prediction interval: not defined for fewer than 3 studies"
        lo, hi = self.prediction_interval
        return f"{_pct(self.ci_level)} prediction interval: {fmt_number(lo)}-{fmt_number(hi)}"

    def _repr_html_(self) -> str:
        plural = "y" if self.k == 1 else "ies"
        title = (
            f"Pooled log HR of {self.k} stud{plural}: random effects by "
            f"{_METHOD_NAMES[self.tau2_method]}, normal {_pct(self.ci_level)} CIs"
        )
        return html_view(title, self.table(), [self.heterogeneity_line(), self.prediction_line()])

    def __repr__(self) -> str:
        plural = "y" if self.k == 1 else "ies"
        head = (
            f"MetaResult: {self.k} stud{plural}; random effects by "
            f"{_METHOD_NAMES[self.tau2_method]}; normal {_pct(self.ci_level)} CIs"
        )
        half = z_critical(self.ci_level) * self.se
        lines = [head]
        for i, label in enumerate(self.labels):
            ci = (math.exp(self.log_hr[i] - half[i]), math.exp(self.log_hr[i] + half[i]))
            lines.append(
                f"  {label}: HR {_hr_text(math.exp(self.log_hr[i]), ci, self.ci_level)}; "
                f"weight {100 * self.weights_fixed[i]:.1f}% fixed, "
                f"{100 * self.weights_random[i]:.1f}% random"
            )
        lines += [f"  {self.fixed!r}", f"  {self.random!r}"]
        lines += [f"  {self.prediction_line()}", f"  {self.heterogeneity_line()}"]
        return "\n".join(lines)


def _generalized_q(tau2: float, y: np.ndarray, v: np.ndarray) -> float:
    """``sum w_i (y_i - mu_w)^2`` with ``w_i = 1 / (v_i + tau2)``."""
    w = 1 / (v + tau2)
    mean = w @ y / w.sum()
    return float(w @ (y - mean) ** 2)


def _reml_score(tau2: float, y: np.ndarray, v: np.ndarray) -> float:
    """Twice the derivative of the restricted log-likelihood with respect to tau^2."""
    w = 1 / (v + tau2)
    total = w.sum()
    mean = w @ y / total
    return float((w**2) @ (y - mean) ** 2 - total + (w**2).sum() / total)


def _root(f: Callable[[float], float], upper: float) -> float:
    from scipy.optimize import brentq

    return float(brentq(f, 0.0, upper, xtol=1e-14 * upper, rtol=4e-15, maxiter=500))


def _tau2_pm(y: np.ndarray, v: np.ndarray) -> float:
    """Root of ``Q(tau^2) = k - 1`` (Paule & Mandel 1982), 0 when ``Q(0) <= k - 1``.

    ``Q(tau^2)`` decreases in tau^2 and at ``2 sum (y - mean y)^2 / (k - 1)`` it is below
    half of k - 1 (replace the weighted mean by the plain mean and drop the v_i), so the
    root is bracketed.
    """
    df = y.size - 1
    if _generalized_q(0.0, y, v) <= df:
        return 0.0
    upper = 2 * float(np.sum((y - y.mean()) ** 2)) / df
    return _root(lambda t: _generalized_q(t, y, v) - df, upper)


def _tau2_reml(y: np.ndarray, v: np.ndarray) -> float:
    """Root of the REML score (Viechtbauer 2005), 0 when the score at 0 is not positive.

    The score is ``sum w_i^2 d_i^2 - T`` with ``d_i = y_i - mu_w``, ``|d_i| <= R = max y -
    min y`` and ``T = sum_{i != j} w_i w_j / sum w``. From ``tau^2 >= max v`` on, every
    weight lies in ``[a, 2a]`` with ``a = 1 / (2 tau^2)``, so the score is at most
    ``4 k a^2 R^2 - (k - 1) a / 2``, negative once ``tau^2 > 4 k R^2 / (k - 1)`` (at most
    ``8 R^2``): ``max(max v, 16 R^2)`` brackets the root.
    """
    if _reml_score(0.0, y, v) <= 0:
        return 0.0
    upper = max(float(v.max()), 16 * float(np.ptp(y)) ** 2)
    return _root(lambda t: _reml_score(t, y, v), upper)


_TAU2 = {"PM": _tau2_pm, "REML": _tau2_reml}


def _fixed_and_dl(y: np.ndarray, v: np.ndarray) -> tuple[float, float, float, float]:
    """Fixed-effect log HR and SE, Cochran's Q and the DL tau^2, from statsmodels."""
    if y.size == 1:
        return float(y[0]), math.sqrt(v[0]), 0.0, 0.0
    from statsmodels.stats.meta_analysis import combine_effects

    # statsmodels computes I^2 as 1 - (k - 1) / Q (Q = 0 or subnormal for near-identical
    # studies, so 0 division or overflow) and takes square roots of negative variances when
    # its raw tau^2 is < 0; neither is used here
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        res = combine_effects(y, v, method_re="dl")
    return (
        float(res.mean_effect_fe),
        float(res.sd_eff_w_fe),
        max(float(res.q), 0.0),
        max(float(res.tau2), 0.0),
    )


def pool(
    log_hr: Any,
    se: Any,
    *,
    labels: Sequence[str] | None = None,
    method: str = "DL",
    ci_level: float = 0.95,
) -> MetaResult:
    """Pool log hazard ratios by inverse variance: fixed and random effects.

    Fixed effect: ``sum w_i y_i / sum w_i`` with ``w_i = 1 / se_i^2`` and SE
    ``1 / sqrt(sum w_i)``. Random effects: the same with ``w_i = 1 / (se_i^2 + tau^2)``,
    tau^2 estimated by ``method``:

    - ``"DL"``: DerSimonian & Laird (1986), ``max(0, (Q - (k - 1)) / (S1 - S2 / S1))``
      with ``S1 = sum w_i``, ``S2 = sum w_i^2``;
    - ``"PM"``: Paule & Mandel (1982), the tau^2 at which the generalised Q statistic
      equals its expectation k - 1 (DerSimonian & Kacker 2007);
    - ``"REML"``: restricted maximum likelihood (Viechtbauer 2005).

    Heterogeneity: Cochran's Q with its chi-square (k - 1 df) p-value and
    ``I^2 = max(0, (Q - df) / Q)`` (Higgins & Thompson 2002). Prediction interval of the
    log HR of a new study: ``random +/- t_{k-2} sqrt(tau^2 + SE_random^2)`` (Higgins,
    Thompson & Spiegelhalter 2009), None for fewer than 3 studies. Confidence intervals
    are normal (Wald) intervals. One study gives itself as both estimates, tau^2 = 0 and
    NaN for I^2 and the p-value of Q.

    Parameters
    ----------
    log_hr : array-like of float
        Log hazard ratios (or any log ratios), one per study.
    se : array-like of float
        Their standard errors, positive. From a published CI: :func:`se_from_ci`.
    labels : sequence of str, optional
        Study labels (default ``Study 1``, ``Study 2`` ...).
    method : {"DL", "PM", "REML"}
        Estimator of tau^2.
    ci_level : float
        Level of the confidence and prediction intervals.

    Returns
    -------
    MetaResult

    Raises
    ------
    InputError
        Naming the argument (with the index) and the problem: a value that is not a
        finite number, a standard error <= 0, lengths that differ, no study.

    See Also
    --------
    pool_hr : the same from hazard ratios and their CIs.

    References
    ----------
    DerSimonian R, Laird N. Control Clin Trials 1986;7:177-188.
    Paule RC, Mandel J. J Res Natl Bur Stand 1982;87:377-385.
    Higgins JPT, Thompson SG. Stat Med 2002;21:1539-1558.
    Higgins JPT, Thompson SG, Spiegelhalter DJ. J R Stat Soc A 2009;172:137-159.

    Examples
    --------
    >>> import math
    >>> res = pool([math.log(0.37), math.log(0.56), math.log(0.69)], [0.167, 0.134, 0.096])
    >>> round(res.fixed.hr, 3), round(res.random.hr, 3), round(res.i2, 3)
    (0.582, 0.534, 0.811)
    >>> res.random.label
    'Random effects (DL)'
    """
    y = _vector(log_hr, "log_hr")
    s = _vector(se, "se")
    if s.size != y.size:
        raise InputError(f"{s.size} values but log_hr has {y.size}", field="se")
    _positive(s, "se", "a standard error is > 0")
    method = _check_method(method)
    level = check_level(ci_level)
    if labels is None:
        names = tuple(f"Study {i + 1}" for i in range(y.size))
    else:
        names = tuple(str(x) for x in labels)
        if len(names) != y.size:
            raise InputError(f"{len(names)} labels but log_hr has {y.size}", field="labels")
    k, df = y.size, y.size - 1
    v = s**2
    fixed_log, fixed_se, q, dl = _fixed_and_dl(y, v)
    tau2 = dl if method == "DL" or k == 1 else _TAU2[method](y, v)
    w_fixed, w_random = 1 / v, 1 / (v + tau2)
    random_log = float(w_random @ y / w_random.sum())
    random_se = math.sqrt(1 / w_random.sum())
    q_p, i2, interval = math.nan, math.nan, None
    if k > 1:
        from scipy import stats

        q_p = float(stats.chi2.sf(q, df))
        i2 = (q - df) / q if q > df else 0.0
        if k > 2:
            t = float(stats.t.ppf(0.5 + level / 2, k - 2))
            half = t * math.sqrt(tau2 + random_se**2)
            interval = (random_log - half, random_log + half)
    return MetaResult(
        labels=names,
        log_hr=readonly(y),
        se=readonly(s),
        tau2_method=method,
        ci_level=level,
        fixed=PooledEstimate("Fixed effect", fixed_log, fixed_se, level),
        random=PooledEstimate(f"Random effects ({method})", random_log, random_se, level),
        tau2=tau2,
        q=q,
        q_df=df,
        q_p=q_p,
        i2=i2,
        weights_fixed=readonly(w_fixed / w_fixed.sum()),
        weights_random=readonly(w_random / w_random.sum()),
        log_prediction_interval=interval,
    )


def pool_hr(
    hr: Any,
    hr_ci: Any,
    *,
    hr_ci_level: Any = 0.95,
    labels: Sequence[str] | None = None,
    method: str = "DL",
    ci_level: float = 0.95,
) -> MetaResult:
    """Pool hazard ratios given with their confidence intervals.

    The log of each HR is pooled with the standard error of :func:`se_from_ci`; see
    :func:`pool` for the methods.

    Parameters
    ----------
    hr : array-like of float
        Hazard ratios, positive.
    hr_ci : array-like of shape (k, 2)
        Their confidence intervals as published.
    hr_ci_level : float or array-like of float
        Level of those intervals, one for all or one per study (0.99 for an interim
        analysis ...).
    labels, method, ci_level
        As in :func:`pool`; ``ci_level`` is the level of the pooled intervals.

    Returns
    -------
    MetaResult

    Examples
    --------
    >>> res = pool_hr([0.37, 0.69], [[0.27, 0.52], [0.57, 0.83]], labels=["POLLUX", "ASPIRE"])
    >>> [round(x, 3) for x in res.fixed.hr_ci]
    [0.502, 0.696]
    """
    values = _vector(hr, "hr")
    _positive(values, "hr", "a hazard ratio is > 0")
    se = np.atleast_1d(se_from_ci(hr_ci, hr_ci_level))
    if se.size != values.size:
        raise InputError(f"expected {values.size} intervals, one per hazard ratio", field="hr_ci")
    return pool(np.log(values), se, labels=labels, method=method, ci_level=ci_level)


# --------------------------------------------------------------------------- Bucher


@dataclass(frozen=True)
class Contrast:
    """One trial's comparison of two arms: the log HR of treatment versus reference.

    Parameters
    ----------
    treatment, reference : str
        Arm names (catalog arm ids such as ``"D-Rd"`` and ``"Rd"``).
    log_hr : float
        Log hazard ratio of treatment versus reference.
    se : float
        Its standard error, positive.
    label : str, optional
        The trial, for display (``"POLLUX"``).

    Examples
    --------
    >>> c = Contrast.from_hr("D-Rd", "Rd", 0.37, (0.27, 0.52), label="POLLUX")
    >>> round(c.se, 4), round(c.inverted().hr, 3), c.inverted().treatment
    (0.1672, 2.703, 'Rd')
    """

    treatment: str
    reference: str
    log_hr: float
    se: float
    label: str | None = None

    def __post_init__(self) -> None:
        for name in ("treatment", "reference"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise InputError(f"expected an arm name, got {value!r}", field=name)
        if self.treatment == self.reference:
            raise InputError(f"{self.reference!r} is also the treatment", field="reference")
        if not is_number(self.log_hr) or not math.isfinite(self.log_hr):
            raise InputError(f"{self.log_hr!r} is not a finite number", field="log_hr")
        if not is_number(self.se) or not math.isfinite(self.se) or self.se <= 0:
            raise InputError(f"{self.se!r} is not a positive finite number", field="se")
        object.__setattr__(self, "log_hr", float(self.log_hr))
        object.__setattr__(self, "se", float(self.se))

    @classmethod
    def from_hr(
        cls,
        treatment: str,
        reference: str,
        hr: float,
        hr_ci: tuple[float, float],
        *,
        ci_level: float = 0.95,
        label: str | None = None,
    ) -> Contrast:
        """From a published HR and its CI (SE by :func:`se_from_ci`)."""
        if not is_number(hr) or not math.isfinite(hr) or hr <= 0:
            raise InputError(f"{hr!r} is not a positive finite number", field="hr")
        se = se_from_ci(hr_ci, check_level(ci_level))
        if np.ndim(se) != 0:
            raise InputError("expected one interval (lower, upper)", field="hr_ci")
        return cls(treatment, reference, math.log(hr), se, label)

    @property
    def hr(self) -> float:
        """Hazard ratio of treatment versus reference."""
        return math.exp(self.log_hr)

    def inverted(self) -> Contrast:
        """The same comparison read the other way round: reference versus treatment."""
        return Contrast(self.reference, self.treatment, -self.log_hr, self.se, self.label)

    def describe(self) -> str:
        """``POLLUX: D-Rd vs Rd``."""
        head = f"{self.label}: " if self.label else ""
        return f"{head}{self.treatment} vs {self.reference}"


@dataclass(frozen=True)
class BucherResult(_NormalLogHR):
    """The indirect comparison of two treatments through a common comparator.

    Attributes
    ----------
    treatment, reference : str
        A and C: the result is the HR of A versus C.
    via : str
        The common comparator B (``"Rd"``, or ``"Rd / Placebo-Rd"`` when its name differs
        between the trials).
    log_hr, se : float
        ``log HR_AB - log HR_CB`` and ``sqrt(SE_AB^2 + SE_CB^2)``.
    ci_level : float
        Level of :attr:`hr_ci`.
    ab, cb : Contrast
        The two trials' comparisons, oriented as A vs B and C vs B.
    assumptions : str
        What the result rests on; printed with it.
    """

    treatment: str
    reference: str
    via: str
    log_hr: float
    se: float
    ci_level: float
    ab: Contrast
    cb: Contrast
    assumptions: str

    @property
    def label(self) -> str:
        """``D-Rd vs KRd (indirect, through Rd)``."""
        return f"{self.treatment} vs {self.reference} (indirect, through {self.via})"

    def table(self) -> pd.DataFrame:
        """One row: ``label, hr, hr_lower, hr_upper, log_hr, se, ci_level, p, via``."""
        import pandas as pd

        row = [self.label, self.hr, *self.hr_ci, self.log_hr, self.se, self.ci_level, self.p]
        return pd.DataFrame([[*row, self.via]], columns=_INDIRECT_COLUMNS)

    def summary_line(self) -> str:
        """``D-Rd vs KRd through Rd: HR 0.536 (95% CI 0.368-0.782), p 0.001``."""
        return (
            f"{self.treatment} vs {self.reference} through {self.via}: "
            f"HR {_hr_text(self.hr, self.hr_ci, self.ci_level)}, p {fmt_p(self.p)}"
        )

    def _repr_html_(self) -> str:
        return html_view(
            f"Bucher indirect comparison: {self.summary_line()}",
            self.table(),
            [f"Assumptions: {self.assumptions}"],
        )

    def __repr__(self) -> str:
        lines = [f"Bucher indirect comparison: {self.summary_line()}"]
        for word, c in (("from", self.ab), ("and", self.cb)):
            lines.append(
                f"  {word} {c.describe()}, HR {fmt_number(c.hr)} "
                f"(log HR {fmt_number(c.log_hr)}, SE {fmt_number(c.se)})"
            )
        lines += _wrap(f"Assumptions: {self.assumptions}", "  ")
        return "\n".join(lines)


def _assumptions(ab: Contrast, cb: Contrast, b: str) -> str:
    """What an indirect comparison of ``ab`` (A vs B) and ``cb`` (C vs B) rests on."""
    trials = f"{ab.describe()} and {cb.describe()}"
    return (
        f"Not randomised: patients were randomised within each trial ({trials}), never "
        f"between {ab.treatment} and {cb.treatment}, so this is an observational comparison "
        f"of two trials. It holds only if (1) the trials are similar in everything that "
        f"modifies the effect against {b} (transitivity): populations (line of therapy, "
        f"prior exposure and refractoriness, risk features), the {b} arms (dose, schedule, "
        f"duration), endpoint definitions and assessment, and follow-up; (2) hazards are "
        f"proportional in each trial, so that each HR summarises its comparison; (3) the two "
        f"estimates come from different patients, so that their variances add."
    )


def _common_arm(ab: Contrast, cb: Contrast, via: Any) -> tuple[str, str]:
    arms_ab, arms_cb = (ab.treatment, ab.reference), (cb.treatment, cb.reference)
    if via is None:
        shared = [arm for arm in arms_ab if arm in arms_cb]
        if not shared:
            raise InputError(
                f"the comparisons share no arm ({ab.describe()}; {cb.describe()}): name the "
                "common comparator with via=(its name in ab, its name in cb)",
                field="cb",
            )
        if len(shared) == 2:
            raise InputError(
                f"both comparisons are of the same two arms ({ab.describe()}; "
                f"{cb.describe()}): pool them rather than compare them indirectly",
                field="cb",
            )
        return shared[0], shared[0]
    pair = (via, via) if isinstance(via, str) else tuple(via)
    if len(pair) != 2 or not all(isinstance(x, str) for x in pair):
        raise InputError(f"expected an arm name or two, got {via!r}", field="via")
    for name, arms, c in ((pair[0], arms_ab, ab), (pair[1], arms_cb, cb)):
        if name not in arms:
            raise InputError(f"{name!r} is not an arm of {c.describe()}", field="via")
    return pair[0], pair[1]


def bucher(
    ab: Contrast, cb: Contrast, *, via: str | tuple[str, str] | None = None, ci_level: float = 0.95
) -> BucherResult:
    """Adjusted indirect comparison of A and C through a common comparator B.

    From the log HRs of A versus B and of C versus B in two independent trials,
    ``log HR_AC = log HR_AB - log HR_CB`` with ``var = SE_AB^2 + SE_CB^2`` (Bucher et al.
    1997); the CI is a normal interval. Each comparison may be given either way round: a
    trial that reports B versus A is inverted. The randomisation of each trial is kept,
    but A and C were never randomised against each other: the result rests on the
    similarity of the trials (see :attr:`BucherResult.assumptions`).

    Parameters
    ----------
    ab, cb : Contrast
        The comparisons of A with B and of C with B.
    via : str or (str, str), optional
        The common comparator. By default the one arm name the two comparisons share,
        compared exactly (catalog arm ids name a regimen the same way in every trial:
        ``Rd``, ``Kd``, ``Vd``, ``Pd``). Give a pair (its name in ``ab``, its name in
        ``cb``) to bridge arms named differently, e.g. ``("Rd", "Placebo-Rd")``.
    ci_level : float
        Level of the CI.

    Returns
    -------
    BucherResult

    Raises
    ------
    InputError
        When the comparisons share no arm (or not ``via``), or are of the same two arms.

    References
    ----------
    Bucher HC, Guyatt GH, Griffith LE, Walter SD. J Clin Epidemiol 1997;50:683-691.

    Examples
    --------
    >>> pollux = Contrast.from_hr("D-Rd", "Rd", 0.37, (0.27, 0.52), label="POLLUX")
    >>> aspire = Contrast.from_hr("KRd", "Rd", 0.69, (0.57, 0.83), label="ASPIRE")
    >>> res = bucher(pollux, aspire)
    >>> res.treatment, res.reference, res.via, round(res.hr, 3)
    ('D-Rd', 'KRd', 'Rd', 0.536)
    >>> [round(x, 3) for x in res.hr_ci]
    [0.368, 0.782]
    """
    for name, c in (("ab", ab), ("cb", cb)):
        if not isinstance(c, Contrast):
            raise InputError(f"expected a Contrast, got {type(c).__name__}", field=name)
    level = check_level(ci_level)
    b_ab, b_cb = _common_arm(ab, cb, via)
    ab = ab if ab.reference == b_ab else ab.inverted()
    cb = cb if cb.reference == b_cb else cb.inverted()
    if ab.treatment == cb.treatment:
        raise InputError(
            f"both comparisons are of {ab.treatment} against the comparator: pool them "
            "rather than compare them indirectly",
            field="cb",
        )
    b = b_ab if b_ab == b_cb else f"{b_ab} / {b_cb}"
    return BucherResult(
        treatment=ab.treatment,
        reference=cb.treatment,
        via=b,
        log_hr=ab.log_hr - cb.log_hr,
        se=math.hypot(ab.se, cb.se),
        ci_level=level,
        ab=ab,
        cb=cb,
        assumptions=_assumptions(ab, cb, b),
    )


# --------------------------------------------------------------------------- studies


@dataclass(frozen=True)
class ComparedStudy:
    """One study in a :class:`ComparisonTable`: published and reconstructed HR.

    Attributes
    ----------
    study_id, trial, label : str
        The study's id, its trial name (the title before the first colon, else the id)
        and the row label (``"POLLUX: D-Rd vs Rd"``, with the id appended when two rows
        would read the same).
    treatment, reference : str
        Arm ids of the published comparison.
    reference_name : str
        Label of the reference arm (``"Lenalidomide + dexamethasone"``).
    hr : float
        The published HR.
    hr_ci : (float, float) or None
        Its published CI, at ``ci_level``.
    ci_level : float
        Level of the published CI, and of the reconstructed one.
    log_hr, se : float
        ``log(hr)`` and the SE from the CI (NaN without a CI).
    rec_hr, rec_se : float
        Cox HR of the reconstructed data and the SE of its log (NaN when not possible).
    rec_hr_ci : (float, float)
        Its Wald CI at ``ci_level`` (NaN when not possible).
    note : str or None
        Why something is missing.
    """

    study_id: str
    trial: str
    label: str
    treatment: str
    reference: str
    reference_name: str
    hr: float
    hr_ci: tuple[float, float] | None
    ci_level: float
    log_hr: float
    se: float
    rec_hr: float
    rec_hr_ci: tuple[float, float]
    rec_se: float
    note: str | None

    def __repr__(self) -> str:
        published = (
            f"{self.hr:g}"
            if self.hr_ci is None
            else _hr_text(self.hr, self.hr_ci, self.ci_level, printed=True)
        )
        rebuilt = "none" if math.isnan(self.rec_hr) else fmt_number(self.rec_hr)
        return f"ComparedStudy({self.label}: published HR {published}; reconstructed {rebuilt})"

    @property
    def contrast(self) -> Contrast | None:
        """The published comparison for pooling and Bucher (None without a CI)."""
        if not math.isfinite(self.se):
            return None
        return Contrast(self.treatment, self.reference, self.log_hr, self.se, self.trial)


@dataclass(frozen=True)
class ComparisonTable:
    """What :func:`mmsurv.compare_studies` returns.

    Attributes
    ----------
    endpoint : str
        The endpoint compared.
    studies : tuple of ComparedStudy
        One per study, in the order given.
    meta : MetaResult or None
        Pooled published log HRs of the studies with a CI (None for fewer than two).
    indirect : tuple of BucherResult
        Indirect comparisons of the treatments of two studies with the same reference.
    hr_blind : bool
        Whether the reconstruction ignored the published HRs.
    ci_level : float
        Level of the pooled and indirect CIs.
    notes : tuple of str
        Caveats found in the comparison.
    """

    endpoint: str
    studies: tuple[ComparedStudy, ...]
    meta: MetaResult | None
    indirect: tuple[BucherResult, ...]
    hr_blind: bool
    ci_level: float
    notes: tuple[str, ...]

    def table(self, ci_level: float | None = None) -> pd.DataFrame:
        """One row per study, for a forest plot.

        Parameters
        ----------
        ci_level : float, optional
            None (default): the published CIs as printed, each at its own level, and
            the reconstructed CIs at the same level. A level (0.95): every CI at that
            level -- for a forest plot whose CIs must share one level. A CI printed at
            that level stays as printed; one at another level becomes
            ``exp(log HR +/- z * SE)``, re-centred on the printed HR (a study without an
            SE keeps NaN bounds).

        Returns
        -------
        pandas.DataFrame
            Columns, in order: ``label, hr, hr_lower, hr_upper, rec_hr, rec_lower,
            rec_upper`` (published HR and CI, reconstructed Cox HR and CI; NaN when
            missing), then ``study_id, trial, treatment, reference, ci_level, log_hr, se,
            rec_se, weight_fixed, weight_random, note``. The weights are the relative
            inverse-variance weights in the pooling (NaN for a study left out of it).
        """
        import pandas as pd

        nan2 = (math.nan, math.nan)
        weights: dict[str, tuple[float, float]] = {}
        if self.meta is not None:
            pairs = zip(self.meta.weights_fixed, self.meta.weights_random, strict=True)
            weights = dict(zip(self.meta.labels, pairs, strict=True))
        frame = pd.DataFrame(
            [
                [s.label, s.hr, *(s.hr_ci or nan2), s.rec_hr, *s.rec_hr_ci, s.study_id, s.trial,
                 s.treatment, s.reference, s.ci_level, s.log_hr, s.se, s.rec_se,
                 *weights.get(s.label, nan2), s.note]
                for s in self.studies
            ],
            columns=_TABLE_COLUMNS,
        )  # fmt: skip
        text = ("label", "study_id", "trial", "treatment", "reference", "note")
        frame = frame.astype({c: float for c in _TABLE_COLUMNS if c not in text})
        frame["note"] = [math.nan if note is None else note for note in frame["note"]]
        if ci_level is not None:
            level = check_level(ci_level)
            other = ~np.isclose(frame["ci_level"].to_numpy(dtype=float), level)
            for est, se, bounds in (
                ("hr", "se", ("hr_lower", "hr_upper")),
                ("rec_hr", "rec_se", ("rec_lower", "rec_upper")),
            ):
                lower, upper = wald_ci(np.log(frame.loc[other, est]), frame.loc[other, se], level)
                frame.loc[other, bounds[0]] = np.exp(lower)
                frame.loc[other, bounds[1]] = np.exp(upper)
            frame["ci_level"] = float(ci_level)
        return frame

    def pooled(self) -> pd.DataFrame:
        """The pooled published HRs: one row for the fixed effect, one for random effects.

        Columns ``label, hr, hr_lower, hr_upper`` (labels ``"Fixed effect"`` and
        ``"Random effects (DL)"`` ...), then ``log_hr, se, ci_level, p, pi_lower,
        pi_upper`` (the prediction interval, on the random-effects row when defined).
        No rows when fewer than two studies have a CI.
        """
        import pandas as pd

        rows = []
        if self.meta is not None:
            pi = self.meta.prediction_interval or (math.nan, math.nan)
            for est, bounds in ((self.meta.fixed, (math.nan, math.nan)), (self.meta.random, pi)):
                numbers = [est.log_hr, est.se, est.ci_level, est.p, *bounds]
                rows.append([est.label, est.hr, *est.hr_ci, *numbers])
        frame = pd.DataFrame(rows, columns=_POOLED_COLUMNS)
        return frame.astype({c: float for c in _POOLED_COLUMNS[1:]})

    def indirect_table(self) -> pd.DataFrame:
        """The indirect comparisons, one row each (columns of :meth:`BucherResult.table`)."""
        import pandas as pd

        frames = [b.table() for b in self.indirect]
        if not frames:
            return pd.DataFrame(columns=_INDIRECT_COLUMNS)
        return pd.concat(frames, ignore_index=True)

    def _repr_html_(self) -> str:
        mode = ", HR-blind reconstruction" if self.hr_blind else ""
        columns = ["label", "hr", "hr_lower", "hr_upper", "ci_level", "rec_hr", "rec_lower",
                   "rec_upper", "weight_fixed", "weight_random", "note"]  # fmt: skip
        lines = [self.meta.heterogeneity_line()] if self.meta is not None else []
        lines += [b.summary_line() for b in self.indirect]
        lines += list(self.notes)
        blocks = [
            html_view(f"{self.endpoint}: {len(self.studies)} studies{mode}", self.table()[columns])
        ]
        if self.meta is not None:
            blocks.append(html_view("Pooled published HRs", self.pooled(), lines))
        elif lines:
            blocks.append(html_view("Notes", None, lines))
        return "\n".join(blocks)

    def __repr__(self) -> str:
        return format_comparison(self)


def _published(study: Study, endpoint: str) -> Comparison:
    if endpoint not in study.endpoints:
        raise InputError(
            f"study {study.id} has no endpoint {endpoint!r} (its endpoints: "
            f"{', '.join(study.endpoints)})",
            file=study.path,
            field="endpoints",
        )
    comp = study.endpoints[endpoint].comparison
    if comp is None:
        raise InputError(
            f"study {study.id} reports no comparison of two arms for {endpoint}",
            file=study.path,
            field=f"endpoints.{endpoint}",
        )
    if comp.hr is None:
        raise InputError(
            f"study {study.id} reports no hazard ratio for {endpoint}",
            file=study.path,
            field=f"endpoints.{endpoint}.comparison.hr",
        )
    return comp


def _reconstructed(
    result: AnalysisResult | InputError,
) -> tuple[float, tuple[float, float], float, str | None]:
    """Cox HR, CI and SE of the reconstructed data, or NaN and why not."""
    nan = math.nan
    if isinstance(result, InputError):
        return nan, (nan, nan), nan, f"not reconstructed ({result.located})"
    res = result.comparison
    if res is None or res.hr is None or res.hr_ci is None or res.log_hr_se is None:
        return nan, (nan, nan), nan, "the reconstructed data give no Cox HR"
    return res.hr, res.hr_ci, res.log_hr_se, None


def _compared(study: Study, endpoint: str, analysed: Analyse) -> ComparedStudy:
    comp = _published(study, endpoint)
    hr = comp.hr
    assert hr is not None  # _published refuses a comparison without an HR
    notes = []
    se = math.nan
    if comp.hr_ci is None:
        notes.append("the published HR has no CI, so no SE: left out of pooling")
    else:
        se = se_from_ci(comp.hr_ci, comp.ci_level)
    rec_hr, rec_ci, rec_se, rec_note = _reconstructed(analysed(study))
    if rec_note:
        notes.append(rec_note)
    trial = study.trial_name
    return ComparedStudy(
        study_id=study.id,
        trial=trial,
        label=f"{trial}: {comp.treatment} vs {comp.reference}",
        treatment=comp.treatment,
        reference=comp.reference,
        reference_name=study.arm(comp.reference).name,
        hr=hr,
        hr_ci=comp.hr_ci,
        ci_level=comp.ci_level,
        log_hr=math.log(hr),
        se=se,
        rec_hr=rec_hr,
        rec_hr_ci=rec_ci,
        rec_se=rec_se,
        note="; ".join(notes) or None,
    )


def _distinct_labels(rows: list[ComparedStudy]) -> list[ComparedStudy]:
    labels = distinct_labels([r.label for r in rows], [r.study_id for r in rows])
    return [replace(r, label=label) for r, label in zip(rows, labels, strict=True)]


def _indirect(
    rows: list[ComparedStudy], level: float
) -> tuple[tuple[BucherResult, ...], list[str]]:
    """Bucher comparisons of two studies with the same reference arm id."""
    groups: dict[str, list[ComparedStudy]] = {}
    for row in rows:
        groups.setdefault(row.reference, []).append(row)
    results, notes = [], []
    for ref, group in groups.items():
        if len(group) > 2:
            names = ", ".join(r.label for r in group)
            notes.append(
                f"{len(group)} studies share the reference {ref} ({names}): no indirect "
                "comparison is chosen among them; call bucher() on two of them"
            )
        if len(group) != 2:
            continue
        a, c = group
        if a.treatment == c.treatment:
            notes.append(f"{a.label} and {c.label} compare the same arms: no indirect comparison")
            continue
        if a.reference_name != c.reference_name:
            notes.append(
                f"the reference arms share the id {ref} but are labelled differently "
                f"({a.reference_name!r}; {c.reference_name!r}): check they are one regimen"
            )
        first, second = a.contrast, c.contrast
        assert first is not None and second is not None  # rows with a CI only
        results.append(bucher(first, second, ci_level=level))
    return tuple(results), notes


def _pooling_notes(rows: list[ComparedStudy]) -> list[str]:
    notes = []
    contrasts = list(dict.fromkeys(f"{r.treatment} vs {r.reference}" for r in rows))
    if len(contrasts) > 1:
        notes.append(
            f"the pooled HRs average different comparisons ({', '.join(contrasts)}): a "
            "summary across treatments, not the effect of one treatment"
        )
    trials: dict[str, list[str]] = {}
    for r in rows:
        trials.setdefault(r.trial, []).append(r.study_id)
    for trial, ids in trials.items():
        if len(ids) > 1:
            notes.append(
                f"{', '.join(ids[:-1])} and {ids[-1]} are data cuts of one trial ({trial}): "
                "their patients overlap, so pooling them counts the same patients more than once"
            )
    return notes


def compare(
    studies: Sequence[Study],
    endpoint: str,
    analysed: Analyse,
    *,
    hr_blind: bool = False,
    method: str = "DL",
    ci_level: float = 0.95,
) -> ComparisonTable:
    """Compare loaded studies: the comparing half of :func:`mmsurv.compare_studies`.

    Parameters
    ----------
    studies : sequence of Study
        Each at most once.
    endpoint : str
        The endpoint (``"PFS"``, ``"OS"``).
    analysed : callable
        Gives a study's analysis of its reconstructed endpoint (an
        :class:`~mmsurv.analysis.AnalysisResult`), or the InputError that stopped it.
    hr_blind, method, ci_level
        As :func:`mmsurv.compare_studies`.

    Returns
    -------
    ComparisonTable
    """
    loaded = list(studies)
    if not loaded:
        raise InputError("no studies to compare", field="studies")
    ids = [s.id for s in loaded]
    twice = next((i for i in ids if ids.count(i) > 1), None)
    if twice is not None:
        raise InputError(f"study {twice} is given twice", field="studies")
    method = _check_method(method)
    level = check_level(ci_level)
    rows = _distinct_labels([_compared(s, endpoint, analysed) for s in loaded])
    usable = [r for r in rows if math.isfinite(r.se)]
    meta = None
    notes: list[str] = []
    if len(usable) >= 2:
        meta = pool(
            [r.log_hr for r in usable],
            [r.se for r in usable],
            labels=[r.label for r in usable],
            method=method,
            ci_level=level,
        )
        notes += _pooling_notes(usable)
    indirect, more = _indirect(usable, level)
    notes += more
    return ComparisonTable(
        endpoint=endpoint,
        studies=tuple(rows),
        meta=meta,
        indirect=indirect,
        hr_blind=hr_blind,
        ci_level=level,
        notes=tuple(notes),
    )


def format_comparison(comparison: ComparisonTable) -> str:
    """A comparison as text: a line per study, pooled lines, heterogeneity, Bucher.

    Parameters
    ----------
    comparison : ComparisonTable
        From :func:`mmsurv.compare_studies`.

    Returns
    -------
    str
        Published HRs as printed and reconstructed HRs; the pooled HRs with the
        prediction interval and the heterogeneity; each indirect comparison with its
        assumptions; the notes; and the warning that cross-trial comparisons are not
        randomised.
    """
    c = comparison
    mode = (
        "HR-blind (a genuine check of the published HR)"
        if c.hr_blind
        else "HR-informed (arms rebuilt from summaries are calibrated to the published HR)"
    )
    plural = "y" if len(c.studies) == 1 else "ies"
    lines = [f"{c.endpoint}: {len(c.studies)} stud{plural}; reconstruction {mode}"]
    pooled = (c.meta.fixed.label, c.meta.random.label) if c.meta is not None else ()
    width = max(len(label) for label in [*(s.label for s in c.studies), *pooled])
    for s in c.studies:
        if s.hr_ci is None:
            published = f"HR {s.hr:g} (no CI)"
        else:
            published = f"HR {_hr_text(s.hr, s.hr_ci, s.ci_level, printed=True)}"
        if math.isfinite(s.rec_hr):
            rec = f"reconstructed {fmt_number(s.rec_hr)} "
            rec += f"({fmt_number(s.rec_hr_ci[0])}-{fmt_number(s.rec_hr_ci[1])})"
        else:
            rec = "reconstructed -"
        lines.append(f"  {s.label:<{width}}  {published:<30}  {rec}")
        if s.note:
            lines += _wrap(f"note: {s.note}", "    ")
    if c.meta is not None:
        m = c.meta
        lines.append(
            f"Pooled published HRs ({m.k} studies; inverse variance; normal "
            f"{_pct(c.ci_level)} CIs):"
        )
        for est in (m.fixed, m.random):
            lines.append(
                f"  {est.label:<{width}}  HR {_hr_text(est.hr, est.hr_ci, est.ci_level)}, "
                f"p {fmt_p(est.p)}"
            )
        lines += [f"  {m.prediction_line()}", f"  {m.heterogeneity_line()}"]
    for b in c.indirect:
        lines.append(f"Indirect comparison (Bucher): {b.summary_line()}")
        lines += _wrap(f"Assumptions: {b.assumptions}", "  ")
    if c.notes:
        lines.append("Notes:")
        for note in c.notes:
            lines += _wrap(f"- {note}", "  ")
    lines += _wrap(f"Warning: {CROSS_TRIAL_WARNING}", "")
    return "\n".join(lines)
