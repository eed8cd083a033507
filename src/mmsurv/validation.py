"""Data sets for validating reconstructions: real patient-level data and what a paper
would print about it.

The data sets shipped with lifelines hold real individual patient data (IPD) of two
groups each. From such a data set this module makes what a publication would show
about it -- a digitized Kaplan-Meier curve per arm, the numbers at risk under the
figure and the total events (:func:`paper_view`), or what an abstract would report,
medians with their CIs, events, landmark rates, follow-up and the Cox HR, rounded as
journals print them (:func:`abstract_view`) -- and the true values to compare a
reconstruction with (:func:`cox_log_hr`, :func:`km_median`, :func:`km_errors`).

This is the validation design of Guyot et al. (2012), who reconstructed published
curves whose IPD were available and compared survival probabilities, medians and hazard
ratios, here run on many real data sets at once. The harnesses that reconstruct every
view and write the accuracy tables are not installed: they live in the repository's
``validation/accuracy.py``.

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
    "figure_study",
    "km_errors",
    "km_median",
    "nice_ticks",
    "paper_view",
    "real_datasets",
    "round_time",
    "simulated_trials",
]

#: The four input cases of Guyot et al. (2012), as keys of ``mmsurv._guyot.METHODS``.
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


# --------------------------------------------------------------------------- the abstract view

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


def figure_study(
    arms: Mapping[str, Mapping[str, object]],
    *,
    treatment: str | None = None,
    reference: str | None = None,
    name: str = "figure",
) -> tuple[dict, dict[str, str]]:
    """The arms of one digitized figure as a study mapping, for :func:`mmsurv.reconstruct`.

    A user reconstructs a figure's arms together, as one study (the arms share an
    endpoint, and :func:`mmsurv._reconstruct.shared_end` uses that); the accuracy
    scripts do the same through this mapping.

    Parameters
    ----------
    arms : mapping of str to mapping
        By arm label, the keyword arguments of :func:`mmsurv.guyot` for the arm
        (:meth:`PaperArm.guyot_inputs`): ``curve`` and ``n``, and optionally
        ``at_risk`` (``{"times": ..., "n": ...}``), ``total_events`` and
        ``censor_times``; None means not reported.
    treatment, reference : str, optional
        Labels of the compared arms (a comparison is added when both are given).
    name : str, default "figure"
        The study id.

    Returns
    -------
    (dict, dict of str to str)
        The study mapping (endpoint :data:`ABSTRACT_ENDPOINT`) and the arm id of each
        label.

    Examples
    --------
    >>> study, ids = figure_study({"A": {"curve": [[0, 1], [5, 0.5]], "n": 10}})
    >>> ids, study["endpoints"]["E"]["arms"]["arm0"]["curve"]
    ({'A': 'arm0'}, [[0.0, 1.0], [5.0, 0.5]])
    """
    ids = {label: f"arm{i}" for i, label in enumerate(arms)}
    fields = {"at_risk": "at_risk", "total_events": "events", "censor_times": "censor_times"}
    endpoint_arms = {}
    for label, given in arms.items():
        entry: dict[str, object] = {"curve": np.asarray(given["curve"], dtype=float).tolist()}
        for key, field in fields.items():
            value = given.get(key)
            if value is not None:
                entry[field] = np.asarray(value).tolist() if key == "censor_times" else value
        endpoint_arms[ids[label]] = entry
    endpoint: dict[str, object] = {"arms": endpoint_arms}
    if treatment is not None and reference is not None:
        endpoint["comparison"] = {"treatment": ids[treatment], "reference": ids[reference]}
    study = {
        "id": name,
        "arms": [
            {"id": ids[label], "label": label, "n": int(given["n"])}  # type: ignore[call-overload]
            for label, given in arms.items()
        ],
        "endpoints": {ABSTRACT_ENDPOINT: endpoint},
    }
    return study, ids


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
    assert max_fu is not None  # the times of a data set are finite
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
