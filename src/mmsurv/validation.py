"""Validation of the Guyot reconstruction against real patient-level data.

The data sets shipped with lifelines hold real individual patient data (IPD) of two
groups each. From such a data set this module makes what a publication would show
about it -- a digitized Kaplan-Meier curve per arm, the numbers at risk under the
figure and the total events -- reconstructs each arm from that "paper view" with
:func:`mmsurv.guyot` and compares the result with the truth: Kaplan-Meier curves,
medians, event totals and the Cox hazard ratio of the two arms.

This is the validation design of Guyot et al. (2012), who reconstructed published
curves whose IPD were available and compared survival probabilities, medians and hazard
ratios, here run on many real data sets at once.

The same data sets also test the reconstruction from reported summaries alone
(:mod:`mmsurv.synthesis`): :func:`abstract_view` makes what an abstract would report --
medians with their CIs, events, landmark rates, follow-up and the Cox HR, rounded as
journals print them -- and :func:`synthesis_accuracy_table` rebuilds both arms from
these numbers with :func:`mmsurv.reconstruct` and compares them with the truth.

References
----------
Guyot P, Ades AE, Ouwens MJ, Welton NJ. Enhanced secondary analysis of survival data:
reconstructing the data from published Kaplan-Meier survival curves. BMC Med Res
Methodol 2012;12:9. doi:10.1186/1471-2288-12-9

Davidson-Pilon C. lifelines: survival analysis in Python. J Open Source Softw
2019;4(40):1317. doi:10.21105/joss.01317 (the data sets; each one's source is given in
its :attr:`RealDataset.description`).
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import warnings
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .km import km_curve, median_time, n_at_risk, step_difference, step_values

__all__ = [
    "ABSTRACT_ENDPOINT",
    "CASES",
    "SYNTHESIS_MODES",
    "PaperArm",
    "RealDataset",
    "abstract_view",
    "at_risk_table",
    "cox_log_hr",
    "default_landmarks",
    "digitize",
    "guyot_accuracy_table",
    "km_errors",
    "km_median",
    "markdown_sections",
    "markdown_table",
    "nice_ticks",
    "paper_view",
    "real_datasets",
    "round_time",
    "select_datasets",
    "simulated_trials",
    "summarize_accuracy",
    "summarize_synthesis_accuracy",
    "synthesis_accuracy_table",
    "write_results",
]

#: The four input cases of Guyot et al. (2012), as keys of ``mmsurv.guyot.METHODS``.
CASES: tuple[str, ...] = ("at_risk_events", "at_risk", "events", "curve_only")

#: Minimum patients per arm for a data set to be used.
MIN_ARM_SIZE = 20

#: Base seed of the digitizer noise; each data set mixes in a checksum of its name.
DEFAULT_SEED = 2012


# --------------------------------------------------------------------------- data sets


@dataclass(frozen=True)
class RealDataset:
    """A real two-group survival data set.

    Attributes
    ----------
    name : str
        Short name (the ``lifelines.datasets.load_<name>`` loader it comes from).
    description : str
        One line: what the data are, the grouping used and the source as cited by
        lifelines.
    data : pandas.DataFrame
        One row per patient: ``arm`` (str), ``time`` (float, >= 0), ``event`` (int,
        1 = event, 0 = censored).
    treatment, reference : str
        Arm labels; hazard ratios are treatment vs reference.
    time_unit : str
        Unit of ``time``.
    """

    name: str
    description: str
    data: pd.DataFrame
    treatment: str
    reference: str
    time_unit: str = ""

    @property
    def arms(self) -> tuple[str, str]:
        """The two arm labels, treatment first."""
        return (self.treatment, self.reference)

    def arm(self, label: str) -> tuple[np.ndarray, np.ndarray]:
        """Times (float) and event flags (int) of one arm."""
        rows = self.data[self.data["arm"] == label]
        if rows.empty:
            raise KeyError(f"{self.name}: no arm {label!r} (arms: {', '.join(self.arms)})")
        return rows["time"].to_numpy(dtype=float), rows["event"].to_numpy(dtype=np.int64)


def _frame(arm: Iterable, time: Iterable, event: Iterable) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "arm": np.array([str(a) for a in arm], dtype=object),
            "time": np.asarray(time, dtype=float),
            "event": np.asarray(event, dtype=float).astype(np.int64),
        }
    )
    return out.reset_index(drop=True)


def _rossi(ds):
    d = ds.load_rossi()
    arm = np.where(d["fin"] == 1, "financial aid", "no aid")
    return _frame(arm, d["week"], d["arrest"])


def _gbsg2(ds):
    d = ds.load_gbsg2()
    arm = np.where(d["horTh"].astype(str) == "yes", "hormonal therapy", "no hormonal therapy")
    return _frame(arm, d["time"], d["cens"])


def _lung(ds):
    d = ds.load_lung()
    status = d["status"].to_numpy()
    # survival::lung codes status 1 = censored, 2 = dead; some copies recode it to 0/1.
    dead = status == 2 if set(np.unique(status)) <= {1, 2} else status == 1
    arm = np.where(d["sex"] == 2, "female", "male")
    return _frame(arm, d["time"], dead)


def _kidney_transplant(ds):
    d = ds.load_kidney_transplant()
    male = (d["black_male"] + d["white_male"]) == 1
    return _frame(np.where(male, "male", "female"), d["time"], d["death"])


def _waltons(ds):
    d = ds.load_waltons()
    return _frame(d["group"], d["T"], d["E"])


def _leukemia(ds):
    d = ds.load_leukemia()
    arm = np.where(d["Rx"] == 0, "6-MP", "placebo")
    return _frame(arm, d["t"], d["status"])


def _dd(ds):
    d = ds.load_dd()
    arm = np.where(d["democracy"] == "Democracy", "democracy", "non-democracy")
    return _frame(arm, d["duration"], d["observed"])


def _larynx(ds):
    d = ds.load_larynx()
    late = (d["Stage_III"] + d["Stage_IV"]) > 0
    return _frame(np.where(late, "stage III-IV", "stage I-II"), d["time"], d["death"])


def _lymph_node(ds):
    d = ds.load_lymph_node()
    arm = np.where(d["hormone"] == 2, "hormonal therapy", "no hormonal therapy")
    return _frame(arm, d["survtime"], d["censdead"])


#: name: (loader, treatment, reference, time unit, description)
_SPECS: dict[str, tuple[Callable, str, str, str, str]] = {
    "rossi": (
        _rossi,
        "financial aid",
        "no aid",
        "weeks",
        "Recidivism of 432 released prisoners, weeks to re-arrest; financial aid (fin = 1) "
        "vs none (fin = 0). Rossi PH, Berk RA, Lenihan KJ. Money, Work, and Crime: Some "
        "Experimental Results. Academic Press 1980.",
    ),
    "gbsg2": (
        _gbsg2,
        "hormonal therapy",
        "no hormonal therapy",
        "days",
        "GBSG2 trial, 686 women with node-positive breast cancer, days to recurrence; "
        "hormonal therapy (horTh = yes) vs none. Schumacher M et al. J Clin Oncol "
        "1994;12:2086-2093.",
    ),
    "lung": (
        _lung,
        "female",
        "male",
        "days",
        "NCCTG advanced lung cancer, 228 patients, days to death (status); female "
        "(sex = 2) vs male (sex = 1). Loprinzi CL et al. J Clin Oncol 1994;12(3):601-607.",
    ),
    "kidney_transplant": (
        _kidney_transplant,
        "male",
        "female",
        "days",
        "863 kidney transplant recipients, days to death; male (black_male + white_male) "
        "vs female. Klein JP, Moeschberger ML. Survival Analysis 1997, data set D.3.",
    ),
    "waltons": (
        _waltons,
        "miR-137",
        "control",
        "days",
        "Lifespans of 163 Drosophila, days to death; genotype miR-137 vs control (group). "
        "lifelines example data set (no published source given).",
    ),
    "leukemia": (
        _leukemia,
        "6-MP",
        "placebo",
        "weeks",
        "Remission in acute leukaemia, 42 patients, weeks to relapse; 6-MP (Rx = 0) vs "
        "placebo (Rx = 1). Kleinbaum DG, Klein M. Survival Analysis, data file anderson.dat.",
    ),
    "dd": (
        _dd,
        "democracy",
        "non-democracy",
        "years",
        "1808 spells of heads of government in 202 countries 1946-2008, years in office; "
        "democracy vs non-democracy. Cheibub JA, Gandhi J, Vreeland JR. Public Choice "
        "2010;143:67-101.",
    ),
    "larynx": (
        _larynx,
        "stage III-IV",
        "stage I-II",
        "years",
        "90 men with cancer of the larynx, years to death; stage III-IV vs I-II (from the "
        "Stage_* dummies). No source given by lifelines; Klein JP, Moeschberger ML. Survival "
        "Analysis 1997, section 1.8.",
    ),
    "lymph_node": (
        _lymph_node,
        "hormonal therapy",
        "no hormonal therapy",
        "days",
        "GBSG2 trial overall survival, 686 women, days to death (survtime, censdead); "
        "hormonal therapy (hormone = 2) vs none (hormone = 1). Schmoor C et al. J Clin "
        "Oncol 2000;18:1696-1708.",
    ),
}


@functools.lru_cache(maxsize=1)
def _load_all() -> tuple[RealDataset, ...]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import lifelines.datasets as ds

        out = []
        for name, (loader, treatment, reference, unit, description) in _SPECS.items():
            data = loader(ds)
            data = data[np.isfinite(data["time"]) & (data["time"] >= 0)].reset_index(drop=True)
            sizes = data["arm"].value_counts()
            if set(sizes.index) != {treatment, reference} or sizes.min() < MIN_ARM_SIZE:
                continue  # not a usable two-group set in this lifelines version
            out.append(RealDataset(name, description, data, treatment, reference, unit))
    return tuple(out)


def real_datasets() -> dict[str, RealDataset]:
    """Real two-group survival data sets from :mod:`lifelines.datasets`.

    Nine sets, each with at least 20 patients in both arms: ``rossi``, ``gbsg2``,
    ``lung``, ``kidney_transplant``, ``waltons``, ``leukemia``, ``dd``, ``larynx`` and
    ``lymph_node``. lifelines' ``lymphoma`` is left out: its ``Stage_group`` 1 holds only
    19 patients. A set whose loader does not give two arms of at least 20 patients is
    skipped.

    Returns
    -------
    dict of str to RealDataset
        By name, in the order above. The DataFrames are fresh copies.
    """
    return {
        d.name: RealDataset(
            d.name, d.description, d.data.copy(), d.treatment, d.reference, d.time_unit
        )
        for d in _load_all()
    }


#: (Weibull shape, scale in months) of the simulated trials' reference arms: hazards
#: falling (0.6, 0.8), constant (1) and rising (1.4, 1.8); reference medians 14-29
#: months, treatment medians 20-39.
SIMULATED_WEIBULLS: tuple[tuple[float, float], ...] = (
    (0.6, 40.0),
    (0.8, 25.0),
    (1.0, 20.0),
    (1.4, 30.0),
    (1.8, 35.0),
)
#: Monthly dropout hazards and patients per arm of the simulated trials.
SIMULATED_DROPOUTS: tuple[float, ...] = (0.0, 0.01, 0.03)
SIMULATED_SIZES: tuple[int, ...] = (100, 400)
#: HR, accrual period and data cut-off (months) of every simulated trial.
SIMULATED_HR, SIMULATED_ACCRUAL, SIMULATED_CUTOFF = 0.7, 24.0, 48.0


def simulated_trials(seed: int = DEFAULT_SEED) -> dict[str, RealDataset]:
    """Two-arm trials simulated with a known mechanism, as :class:`RealDataset` objects.

    One trial per Weibull curve of :data:`SIMULATED_WEIBULLS`, dropout of
    :data:`SIMULATED_DROPOUTS` and arm size of :data:`SIMULATED_SIZES` (30 trials): event
    times Weibull with proportional hazards (HR :data:`SIMULATED_HR`, treatment vs
    reference), uniform accrual over :data:`SIMULATED_ACCRUAL` months, data cut-off at
    :data:`SIMULATED_CUTOFF` months, and exponential dropout. Unlike the real sets, their
    censoring follows the model :mod:`mmsurv.synthesis` assumes, with dropout it does not
    model, so they separate what the method gets wrong from what the data sets' own oddities
    cost. Their truth is the simulated patients themselves, as for the real sets.

    Parameters
    ----------
    seed : int, default :data:`DEFAULT_SEED`
        Base seed; trial ``i`` (in the order above) draws from ``seed + i``.

    Returns
    -------
    dict of str to RealDataset
        By name, e.g. ``weibull-1.4-dropout-0.01-n400`` (dropout hazard a month); arms
        ``treatment`` and ``reference``, time in months.
    """
    trials = {}
    combos = itertools.product(SIMULATED_WEIBULLS, SIMULATED_DROPOUTS, SIMULATED_SIZES)
    for i, ((shape, scale), dropout, n) in enumerate(combos):
        rng = np.random.default_rng(seed + i)
        frames = []
        for arm, hazard_ratio in (("treatment", SIMULATED_HR), ("reference", 1.0)):
            event_time = scale * (rng.exponential(size=n) / hazard_ratio) ** (1.0 / shape)
            follow = SIMULATED_CUTOFF - rng.uniform(0.0, SIMULATED_ACCRUAL, n)
            if dropout > 0:
                follow = np.minimum(follow, rng.exponential(1.0 / dropout, n))
            frames.append(_frame([arm] * n, np.minimum(event_time, follow), event_time <= follow))
        name = f"weibull-{shape:g}-dropout-{dropout:g}-n{n}"
        trials[name] = RealDataset(
            name,
            f"simulated: Weibull shape {shape:g}, scale {scale:g} months, HR "
            f"{SIMULATED_HR:g}, accrual {SIMULATED_ACCRUAL:g}, cut-off {SIMULATED_CUTOFF:g}, "
            f"dropout {100 * dropout:g}% a month, {n} per arm",
            pd.concat(frames, ignore_index=True),
            "treatment",
            "reference",
            "months",
        )
    return trials


# --------------------------------------------------------------------------- the paper view


def _as_time_event(time, event) -> tuple[np.ndarray, np.ndarray]:
    t = np.asarray(time, dtype=float).ravel()
    e = np.asarray(event).ravel()
    if t.shape != e.shape:
        raise ValueError(f"{t.size} times but {e.size} event flags")
    if t.size == 0:
        raise ValueError("no patients")
    if not np.all(np.isfinite(t)) or np.any(t < 0):
        raise ValueError("times must be finite and non-negative")
    return t, e.astype(bool)


def _thin(drops: np.ndarray, pairs: int) -> np.ndarray:
    """Indices of ``pairs`` event times (all when fewer) keeping the curve's shape.

    Half the budget goes to the largest drops, the rest to event times evenly spaced
    along the cumulative drop (equal steps in survival), topped up with event times
    evenly spaced in order when the two halves overlap; the last event time is always
    kept so that the curve ends at its true level.
    """
    k = drops.size
    if k <= pairs:
        return np.arange(k)
    n_large = pairs // 2
    large = np.argsort(-drops, kind="stable")[:n_large]
    cum = np.cumsum(drops)
    n_even = max(pairs - n_large - 1, 0)
    targets = cum[-1] * (np.arange(1, n_even + 1) / (n_even + 1))
    even = np.minimum(np.searchsorted(cum, targets, side="left"), k - 1)
    keep = np.unique(np.concatenate([large, even, [k - 1]]))
    if keep.size < pairs:
        rest = np.setdiff1d(np.arange(k), keep, assume_unique=True)
        spaced = np.floor(np.linspace(0, rest.size - 1, pairs - keep.size) + 0.5)
        fill = rest[spaced.astype(np.int64)]
        keep = np.union1d(keep, fill)
    return keep


def digitize(
    time: Sequence[float] | np.ndarray,
    event: Sequence[int] | np.ndarray,
    *,
    rng: np.random.Generator,
    time_noise: float = 0.002,
    surv_noise: float = 0.002,
    max_clicks: int | None = None,
) -> np.ndarray:
    """Simulate digitizing the Kaplan-Meier curve of one arm from a figure.

    A reader of a published figure clicks the corners of the Kaplan-Meier steps
    (Guyot et al. 2012, "Data extraction"): for each event time ``t_k`` the top corner
    ``(t_k, S_{k-1})`` and the bottom corner ``(t_k, S_k)``, then the end of the curve at
    the last observed time (when that is later than the last event). Each click gets
    independent Gaussian error.

    Parameters
    ----------
    time, event : array-like
        Observed times (non-negative) and event flags (1 = event, 0 = censored).
    rng : numpy.random.Generator
        Source of the click errors; the result is a function of its state.
    time_noise : float, default 0.002
        Standard deviation of the time error as a fraction of the largest time.
        Noisy times are clipped at 0.
    surv_noise : float, default 0.002
        Standard deviation of the survival error (survival as a fraction). Survival is
        not clipped: a digitizer can overshoot [0, 1] slightly.
    max_clicks : int, optional
        Thin the clicks to at most about this many (at least 3), keeping the corners of
        the largest drops and of event times evenly spaced in survival, and the last
        one. Drops between two kept corners then appear at the later one, as on a
        coarsely digitized curve.

    Returns
    -------
    numpy.ndarray
        Shape (k, 2): time, survival, in click order (by true time, top corner first).
        ``k = 2 * (number of distinct event times) + 1`` without thinning (no final
        click when the last observed time is an event time); an arm without events gives
        two clicks, ``(0, 1)`` and the last time at survival 1.

    Raises
    ------
    ValueError
        For empty or mismatched input, negative or non-finite times, negative noise or
        ``max_clicks < 3``.
    """
    t, e = _as_time_event(time, event)
    if time_noise < 0 or surv_noise < 0:
        raise ValueError("noise levels must be non-negative")
    if max_clicks is not None and max_clicks < 3:
        raise ValueError("max_clicks must be at least 3")
    t_max = float(t.max())
    km_t, km_s = km_curve(t, e)
    ev_t = np.unique(t[e])
    if ev_t.size == 0:
        clicks = np.array([[0.0, 1.0], [t_max, 1.0]])
    else:
        s_after = step_values(km_t, km_s, ev_t)
        s_before = np.concatenate([[1.0], s_after[:-1]])
        if max_clicks is not None:
            keep = _thin(s_before - s_after, (max_clicks - 1) // 2)
            ev_t, s_before, s_after = ev_t[keep], s_before[keep], s_after[keep]
        corners = np.empty((2 * ev_t.size, 2))
        corners[0::2, 0] = corners[1::2, 0] = ev_t
        corners[0::2, 1] = s_before
        corners[1::2, 1] = s_after
        tail = [[t_max, float(s_after[-1])]] if t_max > ev_t[-1] else []
        clicks = np.concatenate([corners, np.reshape(tail, (-1, 2))])
    k = clicks.shape[0]
    clicks[:, 0] = np.maximum(clicks[:, 0] + rng.normal(0.0, time_noise * t_max, k), 0.0)
    clicks[:, 1] = clicks[:, 1] + rng.normal(0.0, surv_noise, k)
    return clicks


def nice_ticks(max_time: float, k: int = 8) -> np.ndarray:
    """Round axis ticks from 0 up to, not including, ``max_time``.

    The step is a round number -- 1, 2, 2.5, 3, 5 or 6 times a power of ten, or 12 or 24
    (months) -- chosen so that there are between 6 and 10 ticks, as close to ``k`` as
    possible (the larger step on a tie).

    Parameters
    ----------
    max_time : float
        End of the time axis (the largest observed time); must be positive.
    k : int, default 8
        Preferred number of ticks; values outside 6-10 are brought into that range.

    Returns
    -------
    numpy.ndarray
        ``0, step, 2 step, ...``, all below ``max_time``, 6 to 10 values.
    """
    max_time = float(max_time)
    if not np.isfinite(max_time) or max_time <= 0:
        raise ValueError(f"max_time must be positive and finite, got {max_time!r}")
    want = min(max(int(k), 6), 10)
    power = math.floor(math.log10(max_time))
    steps = sorted(
        {m * 10.0**p for p in range(power - 2, power + 1) for m in (1, 2, 2.5, 3, 5, 6)}
        | {12.0, 24.0}
    )
    best = None
    for step in steps:
        count = math.ceil(max_time / step - 1e-9)  # multiples of step below max_time
        if 6 <= count <= 10:
            key = (abs(count - want), -step)
            if best is None or key < best[0]:
                best = (key, step, count)
    assert best is not None  # consecutive steps differ by less than a factor 2
    _, step, count = best
    decimals = max(0, 3 - math.floor(math.log10(step)))  # drop float noise such as 0.30000004
    ticks = np.round(np.arange(count) * step, decimals)
    return ticks[ticks < max_time]


def at_risk_table(
    time: Sequence[float] | np.ndarray, ticks: Sequence[float] | np.ndarray
) -> dict[str, list]:
    """Numbers at risk as printed under a Kaplan-Meier figure.

    Parameters
    ----------
    time : array-like
        Observed times of one arm.
    ticks : array-like
        Times of the table.

    Returns
    -------
    dict
        ``{"times": [...], "n": [...]}`` with ``n`` the patients whose observed time is
        at or after each tick (censored at a tick counts as at risk there), the format
        accepted by :func:`mmsurv.guyot`.
    """
    ticks = np.asarray(ticks, dtype=float).ravel()
    counts = n_at_risk(np.asarray(time, dtype=float), ticks)
    return {"times": [float(x) for x in ticks], "n": [int(x) for x in counts]}


@dataclass(frozen=True)
class PaperArm:
    """What a publication shows about one arm.

    Attributes
    ----------
    arm : str
        Arm label.
    n : int
        Patients randomized to the arm.
    clicks : numpy.ndarray
        Digitized curve, shape (k, 2), from :func:`digitize`.
    at_risk : dict
        ``{"times": [...], "n": [...]}`` at the figure's ticks up to the end of the
        digitized curve.
    total_events : int
        Events in the arm.
    """

    arm: str
    n: int
    clicks: np.ndarray
    at_risk: dict
    total_events: int

    def guyot_inputs(self, case: str) -> dict:
        """Keyword arguments of :func:`mmsurv.guyot` for one of :data:`CASES`."""
        if case not in CASES:
            raise ValueError(f"unknown case {case!r}; expected one of {', '.join(CASES)}")
        table = self.at_risk if case in ("at_risk_events", "at_risk") else None
        events = self.total_events if case in ("at_risk_events", "events") else None
        return {"curve": self.clicks, "n": self.n, "at_risk": table, "total_events": events}


def _seed_for(name: str, seed: int) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(name.encode("utf-8"))])


def paper_view(
    dataset: RealDataset,
    *,
    seed: int = DEFAULT_SEED,
    time_noise: float = 0.002,
    surv_noise: float = 0.002,
    max_clicks: int | None = None,
    n_ticks: int = 8,
) -> dict[str, PaperArm]:
    """The digitized figure, numbers at risk and event totals of a data set's arms.

    Both arms share the time axis: ticks from :func:`nice_ticks` on the largest time of
    the data set. An arm's table stops at the end of its digitized curve (as the row of
    a figure stops when the curve does). The click errors come from a generator seeded
    with ``seed`` and the name of the data set, so a view is reproducible.

    Returns
    -------
    dict of str to PaperArm
        By arm label, treatment first.
    """
    rng = _seed_for(dataset.name, seed)
    ticks = nice_ticks(float(dataset.data["time"].max()), n_ticks)
    out = {}
    for label in dataset.arms:
        t, e = dataset.arm(label)
        clicks = digitize(
            t, e, rng=rng, time_noise=time_noise, surv_noise=surv_noise, max_clicks=max_clicks
        )
        table = at_risk_table(t, ticks)
        keep = [
            i
            for i, (x, r) in enumerate(zip(table["times"], table["n"], strict=True))
            if x <= clicks[:, 0].max() and r > 0
        ]
        table = {key: [val[i] for i in keep] for key, val in table.items()}
        out[label] = PaperArm(label, int(t.size), clicks, table, int(e.sum()))
    return out


# --------------------------------------------------------------------------- comparisons


def _cox_fit(data: pd.DataFrame, treatment: str, reference: str):
    """lifelines Cox fit of ``treatment`` vs ``reference`` (see :func:`cox_log_hr`)."""
    arm = data["arm"].astype(str)
    rows = data[arm.isin([treatment, reference])]
    frame = pd.DataFrame(
        {
            "time": rows["time"].to_numpy(dtype=float),
            "event": rows["event"].to_numpy(dtype=np.int64),
            "treatment": (rows["arm"].astype(str) == treatment).to_numpy(dtype=float),
        }
    )
    if frame["treatment"].nunique() < 2:
        raise ValueError(f"need patients in both {treatment!r} and {reference!r}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from lifelines import CoxPHFitter

        return CoxPHFitter().fit(frame, duration_col="time", event_col="event")


def cox_log_hr(data: pd.DataFrame, treatment: str, reference: str) -> float:
    """Log hazard ratio of ``treatment`` vs ``reference`` from a Cox model.

    Fitted with :class:`lifelines.CoxPHFitter` at its default settings (Breslow
    baseline; lifelines handles tied times with Efron's method) on the single covariate
    "in the treatment arm". Warnings of lifelines are silenced here only.

    Parameters
    ----------
    data : pandas.DataFrame
        Columns ``arm``, ``time`` and ``event``; rows of other arms are ignored.
    treatment, reference : str
        Arm labels.

    Returns
    -------
    float
        The log hazard ratio.
    """
    fit = _cox_fit(data, treatment, reference)
    return float(fit.params_["treatment"])


def km_errors(
    true_time: Sequence[float] | np.ndarray,
    true_event: Sequence[int] | np.ndarray,
    rec_time: Sequence[float] | np.ndarray,
    rec_event: Sequence[int] | np.ndarray,
    horizon: float,
) -> tuple[float, float]:
    """Largest and time-averaged |S_rec(t) - S_true(t)| over [0, horizon].

    The average is the integral of the absolute difference of the two Kaplan-Meier
    curves over [0, horizon] divided by ``horizon`` (:func:`mmsurv.km.step_difference`).

    Returns
    -------
    (float, float)
        ``(max_abs, mean_abs)``.
    """
    t1, s1 = km_curve(*_as_time_event(true_time, true_event))
    t2, s2 = km_curve(*_as_time_event(rec_time, rec_event))
    return step_difference(t1, s1, t2, s2, horizon=float(horizon))


def km_median(time: Sequence[float] | np.ndarray, event: Sequence[int] | np.ndarray) -> float:
    """Kaplan-Meier median: the first time the estimate is at or below 0.5.

    Returns
    -------
    float
        The median, NaN when the curve stays above 0.5.
    """
    median = median_time(*km_curve(*_as_time_event(time, event)))
    return float("nan") if median is None else median


# --------------------------------------------------------------------------- accuracy


_COLUMNS = [
    "dataset",
    "case",
    "arm",
    "n",
    "clicks",
    "at_risk_rows",
    "events_true",
    "events_rec",
    "events_miss",
    "max_abs_dS",
    "mean_abs_dS",
    "median_true",
    "median_rec",
    "median_err",
    "log_hr_true",
    "log_hr_rec",
    "log_hr_err",
    "error",
]


def guyot_accuracy_table(
    cases: Sequence[str] = CASES,
    datasets: Iterable[str | RealDataset] | None = None,
    *,
    seed: int = DEFAULT_SEED,
    time_noise: float = 0.002,
    surv_noise: float = 0.002,
    max_clicks: int | None = None,
) -> pd.DataFrame:
    """Reconstruct real data sets from their paper view and compare with the truth.

    For every data set the paper view (:func:`paper_view`) of both arms is made once;
    each arm is reconstructed with :func:`mmsurv.guyot` in each case of Guyot et al.
    (2012): numbers at risk and total events (``at_risk_events``), numbers at risk only
    (``at_risk``), total events only (``events``) and the curve alone (``curve_only``).

    Parameters
    ----------
    cases : sequence of str, default all of :data:`CASES`
        Which input cases to run.
    datasets : iterable of str or RealDataset, optional
        Names from :func:`real_datasets` or data sets; default all.
    seed, time_noise, surv_noise, max_clicks
        Passed to :func:`paper_view`.

    Returns
    -------
    pandas.DataFrame
        One row per data set, case and arm (treatment first) with columns

        ``n``, ``clicks``, ``at_risk_rows``
            Arm size, digitized points, rows of the at-risk table given.
        ``events_true``, ``events_rec``, ``events_miss``
            Total events, reconstructed and true, and reconstructed minus true.
        ``max_abs_dS``, ``mean_abs_dS``
            Largest and time-averaged |S_rec - S_true| of the Kaplan-Meier curves over
            [0, last observed time of the arm].
        ``median_true``, ``median_rec``, ``median_err``
            Kaplan-Meier medians and reconstructed minus true (NaN when undefined).
        ``log_hr_true``, ``log_hr_rec``, ``log_hr_err``
            Cox log hazard ratio (treatment vs reference) of the true and reconstructed
            data and ``|log(HR_rec / HR_true)|``; the same on both rows of a data set
            and case.
        ``error``
            Empty, or the message of an :class:`mmsurv.InputError` raised by
            :func:`mmsurv.guyot` (then the metrics are NaN).
    """
    from . import guyot
    from .errors import InputError

    unknown = [c for c in cases if c not in CASES]
    if unknown:
        raise ValueError(f"unknown case(s) {unknown}; expected some of {', '.join(CASES)}")
    rows = []
    for ds in _choose(datasets):
        view = paper_view(
            ds, seed=seed, time_noise=time_noise, surv_noise=surv_noise, max_clicks=max_clicks
        )
        truth = {label: ds.arm(label) for label in ds.arms}
        medians = {label: km_median(*truth[label]) for label in ds.arms}
        log_hr_true = cox_log_hr(ds.data, ds.treatment, ds.reference)
        for case in cases:
            with_table = case in ("at_risk_events", "at_risk")
            case_rows, parts, failed = [], [], False
            for label in ds.arms:
                paper, (t_true, e_true) = view[label], truth[label]
                row = {
                    "dataset": ds.name,
                    "case": case,
                    "arm": label,
                    "n": paper.n,
                    "clicks": int(paper.clicks.shape[0]),
                    "at_risk_rows": len(paper.at_risk["times"]) if with_table else 0,
                    "events_true": paper.total_events,
                    "median_true": medians[label],
                    "log_hr_true": log_hr_true,
                    "error": "",
                }
                try:
                    ipd, report = guyot(**paper.guyot_inputs(case))
                except InputError as exc:
                    row["error"] = str(exc)
                    failed = True
                    case_rows.append(row)
                    continue
                t_rec = ipd["time"].to_numpy(dtype=float)
                e_rec = ipd["event"].to_numpy(dtype=np.int64)
                max_abs, mean_abs = km_errors(t_true, e_true, t_rec, e_rec, float(t_true.max()))
                median_rec = km_median(t_rec, e_rec)
                row.update(
                    events_rec=int(report.events_reconstructed),
                    events_miss=int(report.events_reconstructed) - paper.total_events,
                    max_abs_dS=max_abs,
                    mean_abs_dS=mean_abs,
                    median_rec=median_rec,
                    median_err=median_rec - medians[label],
                )
                case_rows.append(row)
                parts.append(pd.DataFrame({"arm": label, "time": t_rec, "event": e_rec}))
            if not failed:
                log_hr_rec = cox_log_hr(pd.concat(parts), ds.treatment, ds.reference)
                for row in case_rows:
                    row.update(log_hr_rec=log_hr_rec, log_hr_err=abs(log_hr_rec - log_hr_true))
            rows.extend(case_rows)
    table = pd.DataFrame(rows).reindex(columns=_COLUMNS)
    table["error"] = table["error"].fillna("")
    return table


def summarize_accuracy(table: pd.DataFrame) -> pd.DataFrame:
    """Per case: median and worst errors over arms and data sets.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`guyot_accuracy_table`.

    Returns
    -------
    pandas.DataFrame
        Indexed by case (in the order of :data:`CASES`), columns ``arms``,
        ``mean_abs_dS_median`` and ``mean_abs_dS_worst`` (over arms),
        ``max_abs_dS_worst``, ``log_hr_err_median`` and ``log_hr_err_worst`` (over data
        sets), ``events_miss_worst`` (largest |reconstructed - true| over arms) and
        ``failures`` (arms :func:`mmsurv.guyot` refused).
    """
    return _summary(table, "case", CASES)


def _summary(table: pd.DataFrame, by: str, order: Sequence[str], extra=None) -> pd.DataFrame:
    """Median and worst errors per value of ``by`` (in ``order``), over the arms that
    were reconstructed; ``extra(done)`` adds columns, ``failures`` counts refusals."""
    out = {}
    for key, rows in table.groupby(by, sort=False):
        done = rows[rows["error"] == ""]
        hr = done.drop_duplicates("dataset")["log_hr_err"]
        out[key] = {
            "arms": len(rows),
            "mean_abs_dS_median": done["mean_abs_dS"].median(),
            "mean_abs_dS_worst": done["mean_abs_dS"].max(),
            "max_abs_dS_worst": done["max_abs_dS"].max(),
            "log_hr_err_median": hr.median(),
            "log_hr_err_worst": hr.max(),
            "events_miss_worst": done["events_miss"].abs().max(),
            **(extra(done) if extra else {}),
            "failures": int((rows["error"] != "").sum()),
        }
    summary = pd.DataFrame.from_dict(out, orient="index")
    summary = summary.loc[[k for k in order if k in summary.index]]
    summary.index.name = by
    return summary


def _cell(value: object, digits: int) -> str:
    if isinstance(value, float | np.floating):
        if np.isnan(value):
            return ""
        if float(value).is_integer() and abs(value) >= 1:
            return f"{value:.0f}"
        return f"{value:.{digits}f}"
    return str(value).replace("|", "\\|")


def markdown_sections(
    table: pd.DataFrame,
    by: str,
    titles: Mapping[str, str],
    shown: Mapping[str, str],
    digits: Mapping[str, int] | None = None,
) -> list[str]:
    """Markdown lines: one titled table per value of ``by``, then the refused arms.

    ``titles`` maps a value of ``by`` to its heading, ``shown`` the columns to show to
    their headers, ``digits`` headers to decimals.
    """
    lines: list[str] = []
    for key, rows in table.groupby(by, sort=False):
        lines += ["", f"## {titles[key]}", ""]
        lines.append(markdown_table(rows[list(shown)].rename(columns=shown), digits=digits))
        errors = rows[rows["error"] != ""]
        lines += [f"- refused: {r.dataset} / {r.arm}: {r.error}" for r in errors.itertuples()]
    return lines


def markdown_table(
    frame: pd.DataFrame, *, digits: int | Mapping[str, int] = 4, index: bool = False
) -> str:
    """A DataFrame as a GitHub-flavoured markdown table (no extra dependency).

    Parameters
    ----------
    frame : pandas.DataFrame
        The table.
    digits : int or mapping of column to int, default 4
        Decimals of float cells; NaN is left blank.
    index : bool, default False
        Include the index as the first column.
    """
    if index:
        frame = frame.reset_index()
    cols = [str(c) for c in frame.columns]
    header = [c.replace("|", "\\|") for c in cols]

    def places(col: str) -> int:
        return digits.get(col, 4) if isinstance(digits, Mapping) else digits

    body = [
        [_cell(v, places(c)) for c, v in zip(cols, row, strict=True)]
        for row in frame.itertuples(index=False, name=None)
    ]
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---:" if num else ":---" for num in numeric) + "|",
    ]
    lines += ["| " + " | ".join(r) + " |" for r in body]
    return "\n".join(lines)


# --------------------------------------------------------------------------- the abstract view

#: Tolerance of the Kaplan-Meier median: a product of KM factors equal to 0.5 in exact
#: arithmetic (19 events of 38) can come out a hair above it in floating point.
_MEDIAN_TOL = 1e-9

#: Name of the single endpoint of an abstract view.
ABSTRACT_ENDPOINT = "E"

#: Reconstruction modes of :func:`synthesis_accuracy_table`: mode -> ``hr_blind``.
SYNTHESIS_MODES: dict[str, bool] = {"hr_informed": False, "hr_blind": True}


def round_time(value: float) -> float | None:
    """A time as a journal prints it: 1 decimal, 2 significant digits below 1.

    Returns None for infinite or NaN values (not reached, not estimable).
    """
    value = float(value)
    if not math.isfinite(value):
        return None
    if abs(value) >= 1 or value == 0:
        return round(value, 1)
    return float(f"{value:.2g}")


def _nice_time(value: float) -> float:
    """Round a landmark time to a multiple of half its power of ten (17.3 -> 15)."""
    step = 10.0 ** math.floor(math.log10(value)) / 2
    nice = max(round(value / step), 1) * step
    return float(round(nice, max(0, 2 - math.floor(math.log10(step)))))


def _percent(value: float) -> float:
    """A survival fraction printed as a percentage with 1 decimal, back as a fraction."""
    return round(round(100.0 * float(value), 1) / 100.0, 4)


def _tolerant_median(time, event) -> float:
    """Kaplan-Meier median (first time at or below 0.5, with :data:`_MEDIAN_TOL`); NaN
    when not reached."""
    t, s = km_curve(*_as_time_event(time, event))
    below = np.flatnonzero(s <= 0.5 + _MEDIAN_TOL)
    return float(t[below[0]]) if below.size else float("nan")


def _arm_ids(labels: Sequence[str]) -> dict[str, str]:
    """Arm ids (letters, digits, '.', '_', '+', '-') derived from labels, unique."""
    ids: dict[str, str] = {}
    for label in labels:
        base = "_".join(part for part in _ID_SPLIT.split(label) if part) or "arm"
        if not base[0].isalnum():
            base = f"arm{base}"
        candidate, k = base, 2
        while candidate in ids.values():
            candidate, k = f"{base}_{k}", k + 1
        ids[label] = candidate
    return ids


_ID_SPLIT = re.compile(r"[^A-Za-z0-9.+-]+")


def _kaplan_meier(time, event):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from lifelines import KaplanMeierFitter

        return KaplanMeierFitter().fit(
            np.asarray(time, dtype=float), np.asarray(event, dtype=np.int64)
        )


def _median_ci(kmf) -> list[float | None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from lifelines.utils import median_survival_times

        ci = median_survival_times(kmf.confidence_interval_)
    return [round_time(v) for v in np.asarray(ci, dtype=float).ravel()[:2]]


def _ci_at(kmf, t: float) -> list[float]:
    ci = kmf.confidence_interval_
    rows = ci[ci.index <= t]
    lo, hi = (1.0, 1.0) if rows.empty else rows.iloc[-1].to_numpy(dtype=float)
    return [_percent(lo), _percent(hi)]


def default_landmarks(median_follow_up: float | None, max_follow_up: float) -> list[float]:
    """Two landmark times at about 1/3 and 2/3 of the median follow-up, rounded.

    Without an estimable median follow-up (the reverse Kaplan-Meier curve stays above
    0.5, so the median potential follow-up is beyond the last observed time) the
    largest observed time stands in for it.
    """
    base = max_follow_up if median_follow_up is None else median_follow_up
    times = sorted({_nice_time(base * f) for f in (1 / 3, 2 / 3)})
    return [t for t in times if 0 < t <= max_follow_up]


def abstract_view(dataset: RealDataset, *, landmark_times: Sequence[float] | None = None) -> dict:
    """What an abstract reports about a real data set, as a study mapping.

    Everything is computed with lifelines from the true patient data and rounded as
    journals print it:

    * per arm: ``n``; the Kaplan-Meier median with its 95% CI (lifelines'
      ``median_survival_times`` on the pointwise CI; ``"NR"`` and None when not
      reached), times to 1 decimal or 2 significant digits below 1 (:func:`round_time`);
      the number of events; survival at the landmark times as a percentage with 1
      decimal (with its 95% CI), given as a fraction. A landmark whose rate prints as
      100.0% or 0.0% is left out for that arm (a curve cannot be shaped by it);
    * follow-up: the longest observed time and the median follow-up by the reverse
      Kaplan-Meier method, both arms pooled (Schemper M, Smith TL. Control Clin Trials
      1996;17:343-346: the Kaplan-Meier estimate with the event indicator flipped); the
      median is left out when the reverse curve stays above 0.5;
    * comparison: the Cox HR of treatment vs reference with its 95% CI (2 decimals) and
      the Wald p-value (3 decimals, ``"<0.001"`` below 0.001).

    Parameters
    ----------
    dataset : RealDataset
    landmark_times : sequence of float, optional
        Landmark times; default :func:`default_landmarks` (about 1/3 and 2/3 of the
        median follow-up, rounded to a multiple of half a power of ten).

    Returns
    -------
    dict
        The study mapping (``id``, ``time_unit``, ``arms``, ``endpoints``) for
        :func:`mmsurv.load_study`, with the single endpoint :data:`ABSTRACT_ENDPOINT`.
        Arm ids are derived from the labels (spaces become ``_``); the labels are kept.
    """
    data = dataset.data
    time = data["time"].to_numpy(dtype=float)
    event = data["event"].to_numpy(dtype=np.int64)
    max_fu = round_time(float(time.max()))
    reverse = _kaplan_meier(time, 1 - event).median_survival_time_
    median_fu = round_time(reverse)
    follow_up: dict[str, float] = {"max": max_fu}
    if median_fu is not None and median_fu > 0:
        follow_up["median"] = median_fu
    if landmark_times is None:
        landmark_times = default_landmarks(follow_up.get("median"), max_fu)
    landmark_times = sorted(float(t) for t in landmark_times)

    ids = _arm_ids(dataset.arms)
    arms, results = [], {}
    for label in dataset.arms:
        t, e = dataset.arm(label)
        kmf = _kaplan_meier(t, e)
        median = round_time(kmf.median_survival_time_)
        landmarks = {}
        for lt in landmark_times:
            surv = _percent(float(kmf.survival_function_at_times(lt).iloc[0]))
            if 0.0 < surv < 1.0:
                landmarks[lt] = {"survival": surv, "ci": _ci_at(kmf, lt)}
        arms.append({"id": ids[label], "label": label, "n": int(t.size)})
        results[ids[label]] = {
            "median": "NR" if median is None else median,
            "median_ci": _median_ci(kmf),
            "events": int(e.sum()),
            "landmarks": landmarks,
        }
    fit = _cox_fit(data, dataset.treatment, dataset.reference)
    summary = fit.summary.loc["treatment"]
    p = float(summary["p"])
    return {
        "id": dataset.name.replace("_", "-"),
        "time_unit": dataset.time_unit,
        "arms": arms,
        "endpoints": {
            ABSTRACT_ENDPOINT: {
                "follow_up": follow_up,
                "arms": results,
                "comparison": {
                    "treatment": ids[dataset.treatment],
                    "reference": ids[dataset.reference],
                    "hr": round(float(summary["exp(coef)"]), 2),
                    "hr_ci": [
                        round(float(summary["exp(coef) lower 95%"]), 2),
                        round(float(summary["exp(coef) upper 95%"]), 2),
                    ],
                    "ci_level": 0.95,
                    "p": "<0.001" if p < 0.001 else round(p, 3),
                },
            }
        },
    }


# --------------------------------------------------------------------------- synthesis accuracy


_SYNTHESIS_COLUMNS = [
    "dataset",
    "mode",
    "arm",
    "arm_id",
    "n",
    "family",
    "censoring",
    "events_true",
    "events_rec",
    "events_miss",
    "max_abs_dS",
    "mean_abs_dS",
    "median_true",
    "median_reported",
    "median_rec",
    "median_err",
    "median_ok",
    "landmarks",
    "landmark_err_max",
    "landmarks_ok",
    "log_hr_true",
    "hr_reported",
    "log_hr_rec",
    "log_hr_err",
    "log_hr_gap_reported",
    "error",
]


def select_datasets(
    names: Sequence[str] | None, known: Mapping[str, RealDataset] | None = None
) -> dict[str, RealDataset]:
    """The data sets of these names (all with None), in that order, from ``known``
    (default: :func:`real_datasets`).

    Raises
    ------
    KeyError
        Naming the unknown data sets and the known ones.
    """
    known = real_datasets() if known is None else known
    names = list(known) if not names else list(names)
    unknown = [name for name in names if name not in known]
    if unknown:
        raise KeyError(f"unknown data set(s): {', '.join(unknown)}; known: {', '.join(known)}")
    return {name: known[name] for name in names}


def write_results(
    folder: Path, stem: str, table: pd.DataFrame, summary: pd.DataFrame, text: str
) -> list[Path]:
    """Write ``<stem>.csv`` (the table), ``<stem>_summary.csv`` and ``<stem>.md``
    (``text``) into ``folder``, made if missing; returns the CSV and markdown paths."""
    folder.mkdir(parents=True, exist_ok=True)
    table.to_csv(folder / f"{stem}.csv", index=False)
    summary.to_csv(folder / f"{stem}_summary.csv")
    (folder / f"{stem}.md").write_text(text, encoding="utf-8")
    return [folder / f"{stem}.csv", folder / f"{stem}.md"]


def _choose(datasets: Iterable[str | RealDataset] | None) -> list[RealDataset]:
    items = None if datasets is None else list(datasets)
    need_names = items is None or any(not isinstance(d, RealDataset) for d in items)
    available = real_datasets() if need_names else {}
    chosen: list[RealDataset] = []
    for item in list(available.values()) if items is None else items:
        if isinstance(item, RealDataset):
            chosen.append(item)
        elif item in available:
            chosen.append(available[item])
        else:
            raise KeyError(f"unknown data set {item!r}; known: {', '.join(available)}")
    return chosen


def _note(notes: Sequence[str], prefix: str) -> str:
    return next((n[len(prefix) :] for n in notes if n.startswith(prefix)), "")


def _median_reproduced(reported: float | str, rec: float) -> bool:
    """The reconstruction's median prints as the reported one (NR as NR)."""
    if reported == "NR":
        return bool(np.isnan(rec))
    return not np.isnan(rec) and round_time(rec) == reported


def _landmark_reproduced(time: np.ndarray, survival: float, t: float, reported: float) -> bool:
    """The reconstruction's survival at ``t`` is the reported rate within rounding.

    Integer data move in steps: one event at ``t`` lowers a Kaplan-Meier curve by
    ``S(t) / n_risk(t)``. A rate is reproduced when it is within that step of the printed
    value, itself within 0.0005 of the truth (a percentage printed with 1 decimal).
    """
    at_risk = float(n_at_risk(time, np.array([t]))[0])
    return abs(survival - reported) <= 0.0005 + survival / max(at_risk, 1.0) + 1e-12


def synthesis_accuracy_table(
    datasets: Iterable[str | RealDataset] | None = None,
    modes: Sequence[str] = tuple(SYNTHESIS_MODES),
    *,
    landmark_times: Sequence[float] | None = None,
) -> pd.DataFrame:
    """Reconstruct real data sets from their abstract alone and compare with the truth.

    For every data set the abstract view (:func:`abstract_view`) is loaded as a study
    and reconstructed with :func:`mmsurv.reconstruct` -- no curve, only the reported
    summaries -- once per mode: ``hr_informed`` (the published HR may shape the curves)
    and ``hr_blind`` (each arm from its own numbers).

    Parameters
    ----------
    datasets : iterable of str or RealDataset, optional
        Names from :func:`real_datasets` or data sets; default all.
    modes : sequence of str, default both of :data:`SYNTHESIS_MODES`
    landmark_times : sequence of float, optional
        Passed to :func:`abstract_view`.

    Returns
    -------
    pandas.DataFrame
        One row per data set, mode and arm (treatment first) with columns

        ``arm``, ``arm_id``, ``n``
            Arm label, its id in the study and size.
        ``family``, ``censoring``
            The curve family and the censoring model, from the report's notes.
        ``events_true``, ``events_rec``, ``events_miss``
            Events (true = reported), reconstructed and reconstructed minus true.
        ``max_abs_dS``, ``mean_abs_dS``
            Largest and time-averaged |S_rec - S_true| of the Kaplan-Meier curves over
            [0, last observed time of the arm] (:func:`km_errors`).
        ``median_true``, ``median_reported``, ``median_rec``, ``median_err``
            Kaplan-Meier medians (NaN when not reached), the printed one, and
            reconstructed minus true (NaN when either is not reached).
        ``median_ok``
            The reconstruction's median printed the same way is the reported one (not
            reached in both counts).
        ``landmarks``, ``landmark_err_max``, ``landmarks_ok``
            Landmarks reported for the arm, the largest |S_rec - S_true| at them, and
            whether every reconstructed rate is the reported one within the step of one
            event there and the printed rounding (:func:`_landmark_reproduced`).
        ``lm<i>_time``, ``lm<i>_true``, ``lm<i>_reported``, ``lm<i>_rec``, ``lm<i>_err``
            Per landmark of the abstract (1, 2, ...): time, true, printed and
            reconstructed survival, reconstructed minus true (NaN when the arm does not
            report it).
        ``log_hr_true``, ``hr_reported``, ``log_hr_rec``, ``log_hr_err``
            Cox log HR of the truth, the printed HR, the Cox log HR of the
            reconstruction and ``|log(HR_rec / HR_true)|``; the same on both rows of a
            data set and mode.
        ``log_hr_gap_reported``
            ``|log(HR_rec / HR_printed)|``: how far the reconstruction is from the HR it
            was given (HR-informed) or could not see (HR-blind).
        ``error``
            Empty, or the message of an :class:`mmsurv.InputError` raised by
            :func:`mmsurv.reconstruct` (then the metrics are NaN).
    """
    from .errors import InputError
    from .reconstruct import reconstruct
    from .study import load_study

    unknown = [m for m in modes if m not in SYNTHESIS_MODES]
    if unknown:
        raise ValueError(
            f"unknown mode(s) {unknown}; expected some of {', '.join(SYNTHESIS_MODES)}"
        )
    rows = []
    n_landmarks = 0
    for ds in _choose(datasets):
        view = abstract_view(ds, landmark_times=landmark_times)
        study = load_study(view)
        ep = view["endpoints"][ABSTRACT_ENDPOINT]
        comp = ep["comparison"]
        ids = {arm["label"]: arm["id"] for arm in view["arms"]}
        times = sorted({t for res in ep["arms"].values() for t in res["landmarks"]})
        n_landmarks = max(n_landmarks, len(times))
        truth = {label: ds.arm(label) for label in ds.arms}
        log_hr_true = cox_log_hr(ds.data, ds.treatment, ds.reference)
        for mode in modes:
            base = {
                "dataset": ds.name,
                "mode": mode,
                "log_hr_true": log_hr_true,
                "hr_reported": comp["hr"],
                "error": "",
            }
            try:
                ipd, report = reconstruct(study, ABSTRACT_ENDPOINT, hr_blind=SYNTHESIS_MODES[mode])
            except InputError as exc:
                rows += [
                    {**base, "arm": label, "arm_id": ids[label], "error": str(exc)}
                    for label in ds.arms
                ]
                continue
            log_hr_rec = cox_log_hr(ipd, comp["treatment"], comp["reference"])
            for label in ds.arms:
                arm_id, (t_true, e_true) = ids[label], truth[label]
                res, rep = ep["arms"][arm_id], report[arm_id]
                rec = ipd[ipd["arm"] == arm_id]
                t_rec = rec["time"].to_numpy(dtype=float)
                e_rec = rec["event"].to_numpy(dtype=np.int64)
                max_abs, mean_abs = km_errors(t_true, e_true, t_rec, e_rec, float(t_true.max()))
                median_true = _tolerant_median(t_true, e_true)
                median_rec = _tolerant_median(t_rec, e_rec)
                row = {
                    **base,
                    "arm": label,
                    "arm_id": arm_id,
                    "n": int(t_true.size),
                    "family": _note(rep.notes, "curve: "),
                    "censoring": _note(rep.notes, "censoring: "),
                    "events_true": int(e_true.sum()),
                    "events_rec": int(e_rec.sum()),
                    "events_miss": int(e_rec.sum()) - int(e_true.sum()),
                    "max_abs_dS": max_abs,
                    "mean_abs_dS": mean_abs,
                    "median_true": median_true,
                    "median_reported": np.nan if res["median"] == "NR" else res["median"],
                    "median_rec": median_rec,
                    "median_err": median_rec - median_true,
                    "median_ok": _median_reproduced(res["median"], median_rec),
                    "landmarks": len(res["landmarks"]),
                    "log_hr_rec": log_hr_rec,
                    "log_hr_err": abs(log_hr_rec - log_hr_true),
                    "log_hr_gap_reported": abs(log_hr_rec - math.log(comp["hr"])),
                }
                km_true, km_rec = km_curve(t_true, e_true), km_curve(t_rec, e_rec)
                errors, ok = [], True
                for i, lt in enumerate(times, start=1):
                    row[f"lm{i}_time"] = lt
                    if lt not in res["landmarks"]:
                        continue
                    s_true = float(step_values(*km_true, np.array([lt]))[0])
                    s_rec = float(step_values(*km_rec, np.array([lt]))[0])
                    reported = res["landmarks"][lt]["survival"]
                    row.update(
                        {
                            f"lm{i}_true": s_true,
                            f"lm{i}_reported": reported,
                            f"lm{i}_rec": s_rec,
                            f"lm{i}_err": s_rec - s_true,
                        }
                    )
                    errors.append(abs(s_rec - s_true))
                    ok = ok and _landmark_reproduced(t_rec, s_rec, lt, reported)
                row["landmark_err_max"] = max(errors) if errors else np.nan
                row["landmarks_ok"] = ok
                rows.append(row)
    per_landmark = [
        f"lm{i}_{what}"
        for i in range(1, n_landmarks + 1)
        for what in ("time", "true", "reported", "rec", "err")
    ]
    at = _SYNTHESIS_COLUMNS.index("log_hr_true")
    columns = [*_SYNTHESIS_COLUMNS[:at], *per_landmark, *_SYNTHESIS_COLUMNS[at:]]
    table = pd.DataFrame(rows).reindex(columns=columns)
    table["error"] = table["error"].fillna("")
    return table


def summarize_synthesis_accuracy(table: pd.DataFrame) -> pd.DataFrame:
    """Per mode: median and worst errors over arms and data sets.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`synthesis_accuracy_table`.

    Returns
    -------
    pandas.DataFrame
        Indexed by mode, columns ``arms``, ``mean_abs_dS_median`` and
        ``mean_abs_dS_worst`` (over arms), ``max_abs_dS_worst``, ``log_hr_err_median``
        and ``log_hr_err_worst`` (over data sets), ``events_miss_worst`` (largest
        |reconstructed - true| over arms), ``landmark_err_worst`` (largest |S_rec -
        S_true| at a reported landmark), ``medians_off`` and ``landmarks_off`` (arms
        whose reconstructed median or landmark rates do not print as reported) and
        ``failures`` (arms :func:`mmsurv.reconstruct` refused).
    """

    def per_mode(done: pd.DataFrame) -> dict:
        return {
            "landmark_err_worst": done["landmark_err_max"].max(),
            "medians_off": int((~done["median_ok"].astype(bool)).sum()),
            "landmarks_off": int((~done["landmarks_ok"].astype(bool)).sum()),
        }

    return _summary(table, "mode", list(SYNTHESIS_MODES), per_mode)
