"""Analysis of individual patient data (IPD) as survival papers report it, with lifelines.

Per arm: the Kaplan-Meier estimate with pointwise confidence intervals (exponential
Greenwood, as lifelines gives them), the median with its CI, survival at landmark times
and the restricted mean survival time (RMST). For two arms: the log-rank test, the Cox
hazard ratio with its Wald CI and p-value, the RMST difference and a test of
proportional hazards.

References
----------
Kaplan EL, Meier P. Nonparametric estimation from incomplete observations. J Am Stat
Assoc 1958;53:457-481.

Mantel N. Evaluation of survival data and two new rank order statistics arising in its
consideration. Cancer Chemother Rep 1966;50:163-170.

Peto R, Peto J. Asymptotically efficient rank invariant test procedures. J R Stat Soc A
1972;135:185-207.

Cox DR. Regression models and life-tables. J R Stat Soc B 1972;34:187-220.

Grambsch PM, Therneau TM. Proportional hazards tests and diagnostics based on weighted
residuals. Biometrika 1994;81:515-526.

Royston P, Parmar MKB. Restricted mean survival time: an alternative to the hazard
ratio for the design and analysis of randomized trials with a time-to-event outcome.
BMC Med Res Methodol 2013;13:152.

Davidson-Pilon C. lifelines: survival analysis in Python. J Open Source Softw
2019;4(40):1317.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

import numpy as np

from ._arrays import readonly
from .errors import InputError, check_level, is_number
from .formatting import COUNT_QUANTITIES, fmt_number, fmt_p, plain
from .km import median_time, n_at_risk
from .printed import p_of_z, wald_ci

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "AnalysisResult",
    "ArmComparison",
    "ArmSummary",
    "LandmarkSurvival",
    "analyze",
    "check_ipd",
]

_COLUMNS = ("arm", "time", "event")
_TABLE_COLUMNS = ["arm", "quantity", "estimate", "ci_lower", "ci_upper", "p"]

Interval = tuple[float | None, float | None]


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class LandmarkSurvival:
    """Kaplan-Meier survival at one time, with its pointwise CI.

    ``survival`` and the bounds are None beyond the last observed time of the arm while
    the curve is still above 0 (the estimate is undefined there).
    """

    time: float
    survival: float | None
    ci: Interval


@dataclass(frozen=True, eq=False)
class ArmSummary:
    """The analysis of one arm.

    Attributes
    ----------
    label : hashable
        The arm's label in the ``arm`` column.
    n, events : int
        Patients and events.
    times, survival, ci_lower, ci_upper : numpy.ndarray
        The Kaplan-Meier step function (0 and every observed time) and its pointwise CI
        (read-only arrays).
    n_at_risk : numpy.ndarray
        Patients at risk at each of ``times`` (read-only).
    median : float or None
        Median survival time, None when not reached.
    median_ci : (float or None, float or None)
        CI of the median; a bound is None when its CI curve does not reach 0.5.
    landmarks : dict of float to LandmarkSurvival
        Survival at the requested landmark times.
    rmst, rmst_se : float
        Restricted mean survival time up to the horizon and its standard error.
    rmst_ci : (float, float)
        Normal-approximation CI of the RMST.
    """

    label: Hashable
    n: int
    events: int
    times: np.ndarray
    survival: np.ndarray
    ci_lower: np.ndarray
    ci_upper: np.ndarray
    n_at_risk: np.ndarray
    median: float | None
    median_ci: Interval
    landmarks: dict[float, LandmarkSurvival]
    rmst: float
    rmst_se: float
    rmst_ci: tuple[float, float]

    @property
    def max_time(self) -> float:
        """The last observed time (event or censoring)."""
        return float(self.times[-1])

    @property
    def survival_function_(self) -> pd.DataFrame:
        """The Kaplan-Meier estimate as lifelines gives it: a DataFrame indexed by
        ``timeline`` (0 and every observed time) with columns ``survival``,
        ``ci_lower`` and ``ci_upper``."""
        import pandas as pd

        index = pd.Index(self.times, name="timeline")
        return pd.DataFrame(
            {"survival": self.survival, "ci_lower": self.ci_lower, "ci_upper": self.ci_upper},
            index=index,
        )

    def __repr__(self) -> str:
        return f"ArmSummary({_arm_line(self)})"

    def survival_at(self, time: float) -> LandmarkSurvival:
        """Kaplan-Meier survival and its CI at ``time``: the values of the steps."""
        time = float(time)
        if time > self.max_time and self.survival[-1] > 0:
            return LandmarkSurvival(time, None, (None, None))
        k = int(np.searchsorted(self.times, time, side="right")) - 1
        return LandmarkSurvival(
            time, _number(self.survival[k]), (_number(self.ci_lower[k]), _number(self.ci_upper[k]))
        )


@dataclass(frozen=True)
class ArmComparison:
    """Treatment versus reference.

    A quantity that cannot be estimated is None: the log-rank test without events; the
    Cox model and the proportional-hazards test when the hazard ratio is 0 or infinite
    (an arm without events, or every event of an arm while no patient of the other arm
    is at risk) or when the Cox fit does not converge.

    Attributes
    ----------
    treatment, reference : hashable
        The compared arms.
    logrank_chi2, logrank_p : float or None
        Log-rank chi-square (1 degree of freedom) and its p-value.
    hr : float or None
        Cox hazard ratio of treatment versus reference.
    hr_ci : (float, float) or None
        Wald CI of the hazard ratio.
    hr_p : float or None
        Wald p-value of the log hazard ratio.
    log_hr_se : float or None
        Standard error of the log hazard ratio.
    rmst_diff : float
        RMST of treatment minus RMST of reference.
    rmst_diff_ci : (float, float)
        Normal-approximation CI of the difference (the arms' variances add).
    rmst_diff_p : float
        Two-sided p-value of the difference.
    ph_chi2, ph_p : float or None
        Grambsch-Therneau test of proportional hazards (scaled Schoenfeld residuals
        against the rank of time) and its p-value.
    """

    treatment: Hashable
    reference: Hashable
    logrank_chi2: float | None
    logrank_p: float | None
    hr: float | None
    hr_ci: tuple[float, float] | None
    hr_p: float | None
    log_hr_se: float | None
    rmst_diff: float
    rmst_diff_ci: tuple[float, float]
    rmst_diff_p: float
    ph_chi2: float | None
    ph_p: float | None

    def __repr__(self) -> str:
        return f"ArmComparison({_comparison_line(self)})"


@dataclass(frozen=True, eq=False)
class AnalysisResult:
    """What :func:`analyze` returns: per-arm summaries and the comparison of two arms."""

    arms: dict[Hashable, ArmSummary]
    comparison: ArmComparison | None
    treatment: Hashable | None
    reference: Hashable | None
    ci_level: float
    horizon: float
    time_unit: str | None

    @property
    def hr(self) -> float | None:
        """Cox hazard ratio of treatment versus reference."""
        return self.comparison.hr if self.comparison else None

    @property
    def hr_ci(self) -> tuple[float, float] | None:
        """CI of the hazard ratio at ``ci_level``."""
        return self.comparison.hr_ci if self.comparison else None

    @property
    def logrank_chi2(self) -> float | None:
        """Log-rank chi-square."""
        return self.comparison.logrank_chi2 if self.comparison else None

    @property
    def logrank_p(self) -> float | None:
        """Log-rank p-value."""
        return self.comparison.logrank_p if self.comparison else None

    def table(self) -> pd.DataFrame:
        """The long form, for programs: one row per quantity: arm, quantity, estimate,
        ci_lower, ci_upper, p.

        Comparison rows have ``arm`` ``"<treatment> vs <reference>"``. Missing values
        (a median not reached, a quantity that cannot be estimated) are NaN. For reading,
        :meth:`arms_table` and :meth:`comparison_table` give one row per arm and per
        comparison.
        """
        import pandas as pd

        rows = [row for arm in self.arms.values() for row in _arm_rows(arm, self.horizon)]
        if self.comparison is not None:
            rows += _comparison_rows(self.comparison, self.horizon)
        return pd.DataFrame(rows, columns=_TABLE_COLUMNS).astype(
            {c: float for c in _TABLE_COLUMNS[2:]}
        )

    def arms_table(self) -> pd.DataFrame:
        """One row per arm (the index), one column per quantity, named by its time.

        Columns ``n`` and ``events`` (integers), ``median``, ``median_lower``,
        ``median_upper``, then per landmark time t ``survival_<t>`` with
        ``survival_<t>_lower`` and ``survival_<t>_upper``, then ``rmst_<horizon>`` with
        its bounds (``survival_12``, ``rmst_18``). Missing values (a median not
        reached, a bound not estimable) are NaN.

        Examples
        --------
        >>> from mmsurv import analyze_endpoint
        >>> ipd, result = analyze_endpoint("niu-2026-krd-vs-vrd", "PFS")
        >>> list(result.arms_table().columns)[:5]
        ['n', 'events', 'median', 'median_lower', 'median_upper']
        >>> result.arms_table().loc["KRd", "n"]
        np.int64(42)
        """
        import pandas as pd

        rows = {}
        for arm in self.arms.values():
            row: dict[str, Any] = {"n": arm.n, "events": arm.events}
            row.update(_triple("median", arm.median, arm.median_ci))
            for t, mark in arm.landmarks.items():
                row.update(_triple(f"survival_{t:g}", mark.survival, mark.ci))
            row.update(_triple(f"rmst_{self.horizon:g}", arm.rmst, arm.rmst_ci))
            rows[arm.label] = row
        table = pd.DataFrame.from_dict(rows, orient="index")
        table.index.name = "arm"
        return table.astype({c: float for c in table.columns if c not in COUNT_QUANTITIES})

    def comparison_table(self) -> pd.DataFrame:
        """The comparison of treatment and reference in one row (none without one).

        Columns ``treatment``, ``reference``, ``hr``, ``hr_lower``, ``hr_upper``,
        ``hr_p``, ``log_hr_se``, ``logrank_chi2``, ``logrank_p``,
        ``rmst_diff_<horizon>`` with its bounds and ``_p``, ``ph_chi2``, ``ph_p``;
        NaN for what cannot be estimated.
        """
        import pandas as pd

        comp = self.comparison
        if comp is None:
            return pd.DataFrame(columns=["treatment", "reference"])
        rmst = f"rmst_diff_{self.horizon:g}"
        row = {
            "treatment": comp.treatment,
            "reference": comp.reference,
            **_triple("hr", comp.hr, comp.hr_ci or (None, None)),
            "hr_p": _nan(comp.hr_p),
            "log_hr_se": _nan(comp.log_hr_se),
            "logrank_chi2": _nan(comp.logrank_chi2),
            "logrank_p": _nan(comp.logrank_p),
            **_triple(rmst, comp.rmst_diff, comp.rmst_diff_ci),
            f"{rmst}_p": comp.rmst_diff_p,
            "ph_chi2": _nan(comp.ph_chi2),
            "ph_p": _nan(comp.ph_p),
        }
        return pd.DataFrame([row])

    @property
    def survival_function_(self) -> pd.DataFrame:
        """Every arm's Kaplan-Meier estimate on one ``timeline`` (0 and every observed
        time of any arm), one column per arm; NaN after an arm's last observed time.
        Per arm with CIs: ``result.arms[label].survival_function_``."""
        import pandas as pd

        from .km import step_values

        grid = np.unique(np.concatenate([arm.times for arm in self.arms.values()]))
        columns = {}
        for label, arm in self.arms.items():
            values = step_values(arm.times, arm.survival, grid)
            columns[label] = np.where(grid <= arm.max_time, values, np.nan)
        return pd.DataFrame(columns, index=pd.Index(grid, name="timeline"))

    def header(self) -> str:
        """What every number rests on: arms, CI level, time unit and RMST horizon."""
        unit = f" {self.time_unit}" if self.time_unit else ""
        plural = "s" if len(self.arms) > 1 else ""
        return (
            f"AnalysisResult: {len(self.arms)} arm{plural}, {self.ci_level * 100:g}% CIs, "
            f"RMST to {fmt_number(self.horizon)}{unit}"
        )

    def summary_text(self) -> str:
        """The header, then the per-arm and comparison tables as fixed-width text."""
        parts = [self.header(), "", _display_wide(self.arms_table()).to_string()]
        if self.comparison is not None:
            comp = _display_wide(self.comparison_table()).T
            parts += ["", comp.to_string(header=False)]
        return "\n".join(parts)

    def print_summary(self) -> None:
        """Print :meth:`summary_text`, as lifelines' fitters' ``print_summary`` does.

        Examples
        --------
        >>> from mmsurv import analyze_endpoint
        >>> ipd, result = analyze_endpoint("niu-2026-krd-vs-vrd", "PFS")
        >>> result.print_summary()  # doctest: +ELLIPSIS
        AnalysisResult: 2 arms, 95% CIs, RMST to 18 months
        ...
        """
        print(self.summary_text())

    def __repr__(self) -> str:
        lines = [self.header(), *(f"  {_arm_line(arm)}" for arm in self.arms.values())]
        if self.comparison is not None:
            lines.append(f"  {_comparison_line(self.comparison)}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        html = [f"<p><b>{escape(self.header())}</b></p>"]
        html.append(_display_wide(self.arms_table()).to_html())
        if self.comparison is not None:
            html.append(_display_wide(self.comparison_table()).to_html(index=False))
        return "\n".join(html)


# --------------------------------------------------------------------------- analysis


def analyze(
    ipd: pd.DataFrame,
    treatment: Hashable | None = None,
    reference: Hashable | None = None,
    *,
    landmarks: Iterable[float] = (),
    horizon: float | None = None,
    ci_level: float = 0.95,
    time_unit: str | None = None,
    duration_col: str | None = None,
    event_col: str | None = None,
    group_col: str | None = None,
) -> AnalysisResult:
    """Analyse individual patient data the way survival papers report it.

    Per arm: Kaplan-Meier estimate (Kaplan & Meier 1958) with lifelines' pointwise
    exponential-Greenwood CIs, median with its CI (the times the CI curves cross 0.5),
    survival and CI at landmark times (the values of the steps), and the restricted mean
    survival time up to ``horizon`` (Royston & Parmar 2013). The RMST is lifelines' exact
    area under the Kaplan-Meier curve; its standard error is the Greenwood-type estimate
    ``sum_j A_j^2 d_j / (n_j (n_j - d_j))`` over event times ``t_j <= horizon``, with
    ``A_j`` the area under the curve from ``t_j`` to the horizon (as R's survival and
    survRM2 packages compute it).

    Comparing two arms: log-rank test (Mantel 1966; Peto & Peto 1972), Cox model
    (Cox 1972; Efron ties) of a 0/1 treatment indicator with the Wald CI and p-value,
    RMST difference with a normal-approximation CI, and the Grambsch & Therneau (1994)
    test of proportional hazards (scaled Schoenfeld residuals against the rank of time).

    Parameters
    ----------
    ipd : pandas.DataFrame
        One row per patient with columns ``arm`` (label), ``time`` (finite, >= 0) and
        ``event`` (1 event, 0 censored), or the columns that ``duration_col``,
        ``event_col`` and ``group_col`` name. Other columns are ignored.
    treatment, reference : hashable, optional
        The arms to compare. With two arms, a missing one is the other arm, and when both
        are missing the first arm (in order of appearance) is the treatment. With one arm,
        or more than two arms and none named, there is no comparison.
    landmarks : iterable of float
        Times at which to report survival.
    horizon : float, optional
        Upper limit of the RMST; at most the last observed time of every arm. Defaults
        to the smallest of the arms' last observed times.
    ci_level : float
        Confidence level of every interval.
    time_unit : str, optional
        Unit of ``time``, for display.
    duration_col, event_col, group_col : str, optional
        lifelines' names: the columns of the times, of the event indicators and of
        the arm labels, when they are not ``time``, ``event`` and ``arm``. With
        ``duration_col`` or ``event_col`` but no ``group_col``, all patients are one
        arm, ``"all"``.

    Returns
    -------
    AnalysisResult

    Raises
    ------
    InputError
        Naming the argument or column and the problem.

    Examples
    --------
    >>> import pandas as pd
    >>> from lifelines.datasets import load_rossi
    >>> rossi = load_rossi()
    >>> ipd = pd.DataFrame({"arm": rossi["fin"], "time": rossi["week"],
    ...                     "event": rossi["arrest"]})
    >>> result = analyze(ipd, treatment=1, reference=0, landmarks=[26], time_unit="weeks")
    >>> round(result.hr, 3), [round(x, 3) for x in result.hr_ci]
    (0.691, [0.477, 1.003])
    >>> round(result.arms[1].landmarks[26].survival, 3)
    0.898
    >>> same = analyze(rossi, 1, 0, duration_col="week", event_col="arrest", group_col="fin")
    >>> round(same.hr, 3)
    0.691
    """
    renamed = {}
    if (duration_col, event_col, group_col) != (None, None, None):
        ipd = _lifelines_columns(ipd, duration_col, event_col, group_col)
        given = {"arm": group_col, "time": duration_col, "event": event_col}
        renamed = {f"ipd.{c}": f"ipd.{name}" for c, name in given.items() if name is not None}
    try:
        data = check_ipd(ipd)
    except InputError as exc:  # name the user's column, not ours
        if exc.field not in renamed:
            raise
        raise InputError(exc.problem, field=renamed[exc.field]) from None
    labels = [plain(x) for x in data["arm"].unique()]
    treatment, reference = _pick_arms(labels, plain(treatment), plain(reference))
    ci_level = check_level(ci_level)
    times = _check_landmarks(landmarks)
    groups = {label: data[data["arm"] == label] for label in labels}
    horizon = _check_horizon(horizon, {k: float(g["time"].max()) for k, g in groups.items()})
    arms = {
        label: _arm_summary(
            label, g["time"].to_numpy(), g["event"].to_numpy(), times, horizon, ci_level
        )
        for label, g in groups.items()
    }
    comparison = None
    if treatment is not None:
        comparison = _compare(groups, arms, treatment, reference, ci_level)
    return AnalysisResult(arms, comparison, treatment, reference, ci_level, horizon, time_unit)


def _arm_summary(
    label: Hashable,
    time: np.ndarray,
    event: np.ndarray,
    landmarks: list[float],
    horizon: float,
    ci_level: float,
) -> ArmSummary:
    from lifelines import KaplanMeierFitter
    from lifelines.utils import median_survival_times, restricted_mean_survival_time

    kmf = KaplanMeierFitter(alpha=1 - ci_level).fit(time, event)
    lower, upper = _lower_upper(kmf.confidence_interval_)
    median_lower, median_upper = _lower_upper(median_survival_times(kmf.confidence_interval_))
    times = kmf.survival_function_.index.to_numpy(dtype=float)
    survival = kmf.survival_function_.iloc[:, 0].to_numpy(dtype=float)
    rmst = float(restricted_mean_survival_time(kmf, t=horizon))
    se = math.sqrt(_rmst_variance(kmf.event_table, times, survival, horizon))
    arm = ArmSummary(
        label=label,
        n=len(time),
        events=int(np.sum(event)),
        times=readonly(times),
        survival=readonly(survival),
        ci_lower=readonly(lower),
        ci_upper=readonly(upper),
        n_at_risk=readonly(n_at_risk(time, times)),
        # the first time at or below 0.5 up to floating error (19 events of 38 give
        # 0.5000000000000001, which lifelines reads as not reached)
        median=median_time(times, survival),
        median_ci=(_number(median_lower[0]), _number(median_upper[0])),
        landmarks={},
        rmst=rmst,
        rmst_se=se,
        rmst_ci=wald_ci(rmst, se, ci_level),
    )
    arm.landmarks.update({t: arm.survival_at(t) for t in landmarks})
    return arm


def _rmst_variance(
    event_table: pd.DataFrame, times: np.ndarray, survival: np.ndarray, horizon: float
) -> float:
    """Greenwood-type variance of the Kaplan-Meier RMST up to ``horizon``."""
    area_to = np.concatenate([[0.0], np.cumsum(survival[:-1] * np.diff(times))])
    k = max(int(np.searchsorted(times, horizon, side="right")) - 1, 0)
    total = area_to[k] + survival[k] * (horizon - times[k])
    t = event_table.index.to_numpy(dtype=float)
    d = event_table["observed"].to_numpy(dtype=float)
    at_risk = event_table["at_risk"].to_numpy(dtype=float)
    use = (d > 0) & (t <= horizon) & (at_risk > d)
    tail = total - area_to[np.searchsorted(times, t[use])]
    return float(np.sum(tail**2 * d[use] / (at_risk[use] * (at_risk[use] - d[use]))))


def _compare(
    groups: dict[Hashable, pd.DataFrame],
    arms: dict[Hashable, ArmSummary],
    treatment: Hashable,
    reference: Hashable,
    ci_level: float,
) -> ArmComparison:
    import pandas as pd

    a, b = groups[treatment], groups[reference]
    frame = pd.DataFrame(
        {
            "time": np.concatenate([a["time"], b["time"]]),
            "event": np.concatenate([a["event"], b["event"]]),
            "treatment": np.repeat([1.0, 0.0], [len(a), len(b)]),
        }
    )
    logrank = _logrank(a, b) if frame["event"].any() else (None, None)
    cox = _cox(frame, ci_level) if _cox_estimable(a, b) else {}
    diff = arms[treatment].rmst - arms[reference].rmst
    se = math.hypot(arms[treatment].rmst_se, arms[reference].rmst_se)
    return ArmComparison(
        treatment=treatment,
        reference=reference,
        logrank_chi2=logrank[0],
        logrank_p=logrank[1],
        hr=cox.get("hr"),
        hr_ci=cox.get("hr_ci"),
        hr_p=cox.get("hr_p"),
        log_hr_se=cox.get("log_hr_se"),
        rmst_diff=diff,
        rmst_diff_ci=wald_ci(diff, se, ci_level),
        rmst_diff_p=p_of_z(diff / se) if se > 0 else float(diff == 0),
        ph_chi2=cox.get("ph_chi2"),
        ph_p=cox.get("ph_p"),
    )


def _logrank(a: pd.DataFrame, b: pd.DataFrame) -> tuple[float | None, float | None]:
    from lifelines.statistics import logrank_test

    test = logrank_test(
        a["time"], b["time"], event_observed_A=a["event"], event_observed_B=b["event"]
    )
    return _number(test.test_statistic), _number(test.p_value)


def _cox_estimable(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """Whether the Cox partial likelihood of a two-arm indicator has a maximum.

    It has one unless every event of an arm happens when no patient of the other arm is
    at risk (an arm without events, or complete separation): the hazard ratio is then
    0 or infinite.
    """

    def overlaps(x: pd.DataFrame, y: pd.DataFrame) -> bool:
        event_times = x["time"][x["event"] == 1]
        return bool(event_times.size) and event_times.min() <= y["time"].max()

    return overlaps(a, b) and overlaps(b, a)


def _cox(frame: pd.DataFrame, ci_level: float) -> dict[str, Any]:
    from lifelines.statistics import proportional_hazard_test

    cph = _fit_cox(frame, ci_level)
    if cph is None:
        return {}
    row = cph.summary.loc["treatment"]
    lower, upper = _lower_upper(cph.confidence_intervals_)
    with warnings.catch_warnings():
        _ignore_benign()
        ph = proportional_hazard_test(cph, frame, time_transform=_event_rank)
    return {
        "hr": float(row["exp(coef)"]),
        "hr_ci": (math.exp(lower[0]), math.exp(upper[0])),
        "hr_p": float(row["p"]),
        "log_hr_se": float(row["se(coef)"]),
        "ph_chi2": _number(np.asarray(ph.test_statistic)[0]),
        "ph_p": _number(np.asarray(ph.p_value)[0]),
    }


def _fit_cox(frame: pd.DataFrame, ci_level: float) -> Any:
    """lifelines' Cox fit; again with shorter Newton-Raphson steps if that one fails.

    From a long first step lifelines can overflow, or stop on a flat likelihood, when the
    hazard ratio is far from 1. The retry's warnings are left to the caller; None when
    the retry does not converge either.
    """
    from lifelines import CoxPHFitter
    from lifelines.exceptions import ConvergenceError

    model = CoxPHFitter(alpha=1 - ci_level)
    if _fits_cleanly(model, frame):
        return model
    with warnings.catch_warnings():
        _ignore_benign()
        try:
            return model.fit(frame, duration_col="time", event_col="event", fit_options=_RETRY)
        except ConvergenceError:
            return None


_RETRY = {"step_size": 0.25}


def _fits_cleanly(model: Any, frame: pd.DataFrame) -> bool:
    """Fit with lifelines' defaults; False when it fails to converge, warns or overflows."""
    from lifelines.exceptions import ConvergenceError, ConvergenceWarning

    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        warnings.simplefilter("error", RuntimeWarning)
        _ignore_benign()
        try:
            model.fit(frame, duration_col="time", event_col="event")
        except (ConvergenceError, ConvergenceWarning, RuntimeWarning):
            return False
    return True


def _ignore_benign() -> None:
    """Ignore lifelines' heuristic warnings about possible separation of the covariate.

    :func:`_cox_estimable` has already decided, exactly, that the likelihood has a
    maximum; for a 0/1 indicator these heuristics fire on small data regardless.
    """
    for text in _BENIGN:
        warnings.filterwarnings("ignore", message=f".*{text}", module=r"lifelines\.")


_BENIGN = (
    "very low variance when conditioned on death event",
    "high sample correlation with the duration column",
)


def _event_rank(durations: pd.Series, events: pd.Series, weights: pd.Series) -> pd.Series:
    """Rank of each event time among the event times, ties sharing their average rank.

    lifelines' own ``"rank"`` transform numbers tied event times in row order, which
    makes the test depend on the order of the rows; with distinct event times the two
    are the same.
    """
    import pandas as pd

    observed = events.to_numpy(dtype=bool)
    _, inverse, counts = np.unique(
        durations.to_numpy(dtype=float)[observed], return_inverse=True, return_counts=True
    )
    average = np.cumsum(counts) - (counts - 1) / 2
    ranks = np.full(observed.size, np.nan)
    ranks[observed] = average[inverse]
    return pd.Series(ranks, index=durations.index)


# --------------------------------------------------------------------------- input checks


def check_ipd(ipd: Any) -> pd.DataFrame:
    """Individual patient data as a clean DataFrame (``arm``, ``time``, ``event``), or
    one InputError naming the column and the row at fault."""
    import pandas as pd

    if not isinstance(ipd, pd.DataFrame):
        raise InputError(f"expected a pandas DataFrame, got {type(ipd).__name__}", field="ipd")
    missing = [c for c in _COLUMNS if c not in ipd.columns]
    if missing:
        names = ", ".join(repr(c) for c in missing)
        plural = "s" if len(missing) > 1 else ""
        raise InputError(f"missing column{plural} {names} (needs arm, time, event)", field="ipd")
    if ipd.empty:
        raise InputError("no rows (needs at least one patient)", field="ipd")
    arm = ipd["arm"].reset_index(drop=True)
    if arm.isna().any():
        raise InputError(f"row {_row(ipd, arm.isna())}: missing label", field="ipd.arm")
    time = _numbers(ipd, "time")
    _fail_where(ipd, "time", time, ~np.isfinite(time), "is not finite")
    _fail_where(ipd, "time", time, time < 0, "is negative")
    event = _numbers(ipd, "event")
    _fail_where(ipd, "event", event, (event != 0) & (event != 1), "is not 0 or 1")
    return pd.DataFrame({"arm": arm, "time": time, "event": event.astype(np.int64)})


def _lifelines_columns(
    frame: Any, duration_col: Any, event_col: Any, group_col: Any
) -> pd.DataFrame:
    """``frame`` as ``arm, time, event`` from the columns lifelines' arguments name."""
    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"expected a pandas DataFrame, got {type(frame).__name__}", field="ipd")
    names = {"group_col": group_col, "duration_col": duration_col, "event_col": event_col}
    defaults = {"duration_col": "time", "event_col": "event"}
    columns = {}
    for argument, name in names.items():
        name = defaults.get(argument) if name is None else name
        if name is None:
            continue
        if name not in frame.columns:
            shown = ", ".join(repr(c) for c in list(frame.columns)[:12])
            raise InputError(f"no column {name!r} in ipd (columns: {shown})", field=argument)
        columns[argument] = frame[name]
    return pd.DataFrame(
        {
            "arm": columns["group_col"] if "group_col" in columns else "all",
            "time": columns["duration_col"],
            "event": columns["event_col"],
        },
        index=frame.index,
    )


def _numbers(ipd: pd.DataFrame, column: str) -> np.ndarray:
    import pandas as pd

    raw = ipd[column].reset_index(drop=True)
    values = pd.to_numeric(raw, errors="coerce")
    if raw.isna().any():
        raise InputError(f"row {_row(ipd, raw.isna())}: missing value", field=f"ipd.{column}")
    bad = values.isna()
    if bad.any():
        value = raw[bad].iloc[0]
        raise InputError(f"row {_row(ipd, bad)}: {value!r} is not a number", field=f"ipd.{column}")
    return values.to_numpy(dtype=float)


def _fail_where(
    ipd: pd.DataFrame, column: str, values: np.ndarray, bad: np.ndarray, problem: str
) -> None:
    if bad.any():
        value = values[np.flatnonzero(bad)[0]]
        raise InputError(f"row {_row(ipd, bad)}: {value:g} {problem}", field=f"ipd.{column}")


def _row(ipd: pd.DataFrame, bad: Any) -> Hashable:
    return plain(ipd.index[int(np.flatnonzero(np.asarray(bad))[0])])


def _pick_arms(
    labels: list[Hashable], treatment: Hashable | None, reference: Hashable | None
) -> tuple[Hashable | None, Hashable | None]:
    listing = ", ".join(str(x) for x in labels)
    for name, value in (("treatment", treatment), ("reference", reference)):
        if value is not None and value not in labels:
            raise InputError(f"no arm {value!r} in ipd (arms: {listing})", field=name)
    if treatment is not None and treatment == reference:
        raise InputError(f"{reference!r} is also the treatment", field="reference")
    if treatment is None and reference is None:
        return (labels[0], labels[1]) if len(labels) == 2 else (None, None)
    if treatment is not None and reference is not None:
        return treatment, reference
    others = [x for x in labels if x not in (treatment, reference)]
    field = "reference" if reference is None else "treatment"
    if not others:
        raise InputError("no other arm in ipd to compare with", field=field)
    if len(others) > 1:
        raise InputError(f"name one of {', '.join(str(x) for x in others)}", field=field)
    return (treatment, others[0]) if reference is None else (others[0], reference)


def _check_landmarks(landmarks: Iterable[float]) -> list[float]:
    try:
        values = list(landmarks)
    except TypeError:
        raise InputError("expected a list of times", field="landmarks") from None
    for value in values:
        if not is_number(value) or not math.isfinite(value) or value < 0:
            raise InputError(f"{value!r} is not a time (a number >= 0)", field="landmarks")
    return list(dict.fromkeys(float(v) for v in values))


def _check_horizon(horizon: Any, max_times: dict[Hashable, float]) -> float:
    if horizon is None:
        return min(max_times.values())
    if not is_number(horizon) or not math.isfinite(horizon) or horizon <= 0:
        raise InputError(f"must be a number > 0, got {horizon!r}", field="horizon")
    for label, last in max_times.items():
        if horizon > last:
            raise InputError(
                f"{horizon:g} is beyond the last observed time {last:g} of arm {label!r}",
                field="horizon",
            )
    return float(horizon)


# --------------------------------------------------------------------------- helpers


def _number(value: Any) -> float | None:
    """A float, or None for NaN and infinity (not reached, not estimable)."""
    value = float(value)
    return value if math.isfinite(value) else None


def _lower_upper(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The lower and upper columns of a lifelines confidence-interval frame."""
    columns = [str(c) for c in frame.columns]
    lower = next(i for i, c in enumerate(columns) if "lower" in c)
    upper = next(i for i, c in enumerate(columns) if "upper" in c)
    return frame.iloc[:, lower].to_numpy(dtype=float), frame.iloc[:, upper].to_numpy(dtype=float)


# --------------------------------------------------------------------------- display


def _arm_rows(arm: ArmSummary, horizon: float) -> list[list[Any]]:
    nan = math.nan
    rows: list[list[Any]] = [
        [arm.label, "n", arm.n, nan, nan, nan],
        [arm.label, "events", arm.events, nan, nan, nan],
        [arm.label, "median", _nan(arm.median), *map(_nan, arm.median_ci), nan],
    ]
    for t, mark in arm.landmarks.items():
        rows.append(
            [arm.label, f"survival at {t:g}", _nan(mark.survival), *map(_nan, mark.ci), nan]
        )
    rows.append([arm.label, f"RMST to {horizon:g}", arm.rmst, *arm.rmst_ci, nan])
    return rows


def _comparison_rows(comp: ArmComparison, horizon: float) -> list[list[Any]]:
    nan = math.nan
    label = f"{comp.treatment} vs {comp.reference}"
    hr_ci = comp.hr_ci or (None, None)
    return [
        [label, "log-rank chi2", _nan(comp.logrank_chi2), nan, nan, _nan(comp.logrank_p)],
        [label, "HR", _nan(comp.hr), *map(_nan, hr_ci), _nan(comp.hr_p)],
        [label, f"RMST difference to {horizon:g}", comp.rmst_diff, *comp.rmst_diff_ci,
         comp.rmst_diff_p],
        [label, "PH test chi2", _nan(comp.ph_chi2), nan, nan, _nan(comp.ph_p)],
    ]  # fmt: skip


def _nan(value: float | None) -> float:
    return math.nan if value is None else value


def _triple(name: str, estimate: float | None, ci: Interval) -> dict[str, float]:
    """``name``, ``name_lower``, ``name_upper`` as floats (NaN when missing)."""
    return {name: _nan(estimate), f"{name}_lower": _nan(ci[0]), f"{name}_upper": _nan(ci[1])}


def _display_wide(frame: pd.DataFrame) -> pd.DataFrame:
    """A wide table as text: counts whole, p-values as p-values, numbers to 3 decimals."""
    import pandas as pd

    def cell(value: Any, column: str) -> str:
        if isinstance(value, str) or column in ("treatment", "reference"):
            return str(value)
        if column in COUNT_QUANTITIES:
            return str(int(value))
        if column.endswith("_p"):
            return fmt_p(value) or "NA"
        return fmt_number(value) or "NA"

    return pd.DataFrame(
        {c: [cell(v, str(c)) for v in frame[c]] for c in frame.columns}, index=frame.index
    )


def _arm_line(arm: ArmSummary) -> str:
    parts = [
        f"{arm.label}: n {arm.n}, events {arm.events}",
        f"median {_show(arm.median, 'NR')} {_show_ci(arm.median_ci, 'NR')}",
        *(f"S({t:g}) {_show(m.survival)} {_show_ci(m.ci)}" for t, m in arm.landmarks.items()),
        f"RMST {_show(arm.rmst)} {_show_ci(arm.rmst_ci)}",
    ]
    return ", ".join(parts)


def _comparison_line(comp: ArmComparison) -> str:
    hr_ci = comp.hr_ci or (None, None)
    parts = [
        f"{comp.treatment} vs {comp.reference}: HR {_show(comp.hr)} {_show_ci(hr_ci)}, "
        f"p {fmt_p(comp.hr_p) or 'NA'}",
        f"log-rank chi2 {_show(comp.logrank_chi2)}, p {fmt_p(comp.logrank_p) or 'NA'}",
        f"RMST difference {_show(comp.rmst_diff)} {_show_ci(comp.rmst_diff_ci)}",
        f"PH test p {fmt_p(comp.ph_p) or 'NA'}",
    ]
    return "; ".join(parts)


def _show(value: float | None, missing: str = "NA") -> str:
    return fmt_number(value) or missing


def _show_ci(ci: Interval, missing: str = "NA") -> str:
    return f"({_show(ci[0], missing)}, {_show(ci[1], missing)})"
