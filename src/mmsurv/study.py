"""Reported survival results of a study: the model, YAML loading and validation.

A study file (YAML, format in the README) holds what a paper reports: arms and their
sizes, and per endpoint the medians, landmark rates, events, follow-up, digitized curves
with numbers at risk, and the comparison of two arms (HR, CI, p, log-rank chi-square).
Everything but an arm's ``id`` and ``n`` is optional. Loading validates the whole file
and stops at the first problem with one :class:`~mmsurv.errors.InputError` naming the
file, the field path (``endpoints.PFS.arms.KRd.at_risk.n[3]``) and the problem.

The same objects can be built in Python (``Study(id=..., arms=[...], endpoints={...})``)
or from a mapping with :func:`load_study`.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

import numpy as np
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    field_serializer,
    field_validator,
    model_validator,
)

from .catalog import catalog_dir, catalog_ids, find_study
from .curves import (
    NEGATIVE_TIME,
    as_at_risk,
    as_coordinates,
    check_at_risk,
    check_censor_times,
    read_at_risk,
    read_censor_times,
    read_curve,
)
from .errors import InputError
from .printed import Interval, Printed, decimals_of, p_interval
from .tolerances import Tolerances, quantity_name

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Arm",
    "ArmResults",
    "AtRisk",
    "CheckNote",
    "CheckSettings",
    "Comparison",
    "Curve",
    "Endpoint",
    "FollowUp",
    "Landmark",
    "PValue",
    "Source",
    "Study",
    "catalog_dir",
    "catalog_ids",
    "load_study",
]

TIME_UNITS = ("months", "weeks", "days", "years")
_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
#: Arm ids and endpoint names: no spaces, commas or quotes (they go into CSV columns).
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*$")
_NAME_RULE = "letters, digits, '.', '_', '+', '-'"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


def _no_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {value!r}")
    return value


def _keep_printed(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """Validate a number and keep the decimals it was printed with (``40.0``)."""
    out = handler(value)
    if isinstance(value, Printed) and isinstance(out, float):
        return Printed(out, value.decimals)
    return out


_NotBool = BeforeValidator(_no_bool)
_KeepPrinted = WrapValidator(_keep_printed)
Positive = Annotated[float, Field(gt=0, allow_inf_nan=False), _NotBool, _KeepPrinted]
NonNegative = Annotated[float, Field(ge=0, allow_inf_nan=False), _NotBool, _KeepPrinted]
Fraction = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False), _NotBool, _KeepPrinted]
Count = Annotated[int, Field(ge=0), _NotBool]
Notes = str | list[str] | None


class Source(_Model):
    """Where the numbers come from."""

    citation: str | None = None
    doi: str | None = None
    url: str | None = None
    notes: Notes = None


class Arm(_Model):
    """A treatment arm: ``id`` and size ``n`` are required."""

    id: str
    n: Annotated[int, Field(ge=1), _NotBool]
    label: str | None = None
    notes: Notes = None

    @field_validator("id")
    @classmethod
    def _arm_id(cls, value: str) -> str:
        if not _NAME.match(value):
            raise ValueError(f"{value!r} is not a valid arm id ({_NAME_RULE})")
        return value

    @property
    def name(self) -> str:
        """The label, or the id when there is none."""
        return self.label or self.id


class PValue(_Model):
    """A reported p-value: an exact value or a bound such as ``<0.001`` (also written
    ``p<0.001``, ``P < .001``, ``p = 0.03``, ``≤0.05``)."""

    value: Fraction
    relation: Literal["=", "<", "<=", ">", ">="] = "="

    @model_validator(mode="before")
    @classmethod
    def _parse(cls, data: Any) -> Any:
        if isinstance(data, bool):
            raise ValueError("expected a number or a bound such as '<0.001'")
        if isinstance(data, (int, float)):
            return {"value": data}
        if isinstance(data, str):
            m = re.fullmatch(r"\s*(?:[pP]\s*)?(<=|>=|<|>|=|≤|≥)?\s*([0-9.eE+-]+)\s*", data)
            if not m:
                raise ValueError(f"{data!r} is not a p-value (a number or a bound like '<0.001')")
            rel = {"≤": "<=", "≥": ">="}.get(m.group(1) or "=", m.group(1) or "=")
            try:
                value = Printed.parse(m.group(2))
            except ValueError:
                raise ValueError(f"{data!r} is not a p-value") from None
            return {"value": value, "relation": rel}
        return data

    @property
    def is_bound(self) -> bool:
        return self.relation != "="

    def __str__(self) -> str:
        return f"{'' if self.relation == '=' else self.relation}{self.value:g}"

    def interval(self) -> Interval:
        """The p-values the printed p or bound stands for (``"0.010"``: [0.0095, 0.0105])."""
        return p_interval(self.value, self.relation)


class Landmark(_Model):
    """Survival at a landmark time, with its CI when reported."""

    survival: Fraction
    ci: tuple[Fraction | None, Fraction | None] | None = None

    @model_validator(mode="before")
    @classmethod
    def _number(cls, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, (int, float, Mapping)):
            raise ValueError(
                f"expected a survival fraction or {{survival: ..., ci: [lo, hi]}}, got {data!r}"
            )
        return {"survival": data} if isinstance(data, (int, float)) else data

    @model_validator(mode="after")
    def _ordered(self) -> Landmark:
        lo, hi = self.ci or (None, None)
        if lo is not None and hi is not None and lo > hi:
            raise ValueError(f"CI lower bound {lo:g} is above the upper bound {hi:g}")
        return self


_Read = TypeVar("_Read")


def _read_named(
    value: str | os.PathLike[str], info: ValidationInfo, read: Callable[[Path], _Read]
) -> _Read:
    """Read a file a study names, relative to the study file's folder; a problem with
    the file becomes the field's."""
    path = Path(str(value))
    base = (info.context or {}).get("base_dir")
    if base is not None and not path.is_absolute():
        path = Path(base) / path
    try:
        return read(path)
    except InputError as exc:
        raise ValueError(str(exc)) from None


class Curve(_Model):
    """Digitized Kaplan-Meier coordinates as read (cleaning happens at reconstruction)."""

    time: tuple[float, ...]
    survival: tuple[float, ...]
    source: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _coerce(cls, data: Any, info: ValidationInfo) -> Any:
        if isinstance(data, (str, os.PathLike)) or (isinstance(data, Mapping) and "file" in data):
            spec = {"file": data} if not isinstance(data, Mapping) else dict(data)
            unknown = set(spec) - {"file", "dataset"}
            if unknown:
                raise ValueError(f"unknown key(s) {sorted(unknown)} (allowed: file, dataset)")
            dataset = spec.get("dataset")
            arr = _read_named(
                spec["file"],
                info,
                lambda path: read_curve(path, dataset=None if dataset is None else str(dataset)),
            )
            return {"time": arr[:, 0], "survival": arr[:, 1], "source": str(spec["file"])}
        if isinstance(data, Mapping):
            return data
        try:
            arr = as_coordinates(data)
        except InputError as exc:
            if getattr(data, "columns", None) is not None:  # a DataFrame: name what it lacks
                raise ValueError(exc.problem) from None
            # pairs are not all a study takes: say a file will do too
            raise ValueError("expected a CSV path or a list of [time, survival] pairs") from None
        return {"time": arr[:, 0], "survival": arr[:, 1]}

    @model_validator(mode="after")
    def _sizes(self) -> Curve:
        if len(self.time) != len(self.survival):
            raise ValueError("time and survival differ in length")
        if len(self.time) < 2:
            raise ValueError(f"a curve needs at least two points, got {len(self.time)}")
        arr = self.to_array()
        bad = np.flatnonzero(~np.isfinite(arr).all(axis=1))
        if bad.size:
            raise ValueError(f"point {bad[0]} is not a finite number")
        return self

    def to_array(self) -> np.ndarray:
        """The coordinates as an (k, 2) array."""
        return np.column_stack([np.asarray(self.time, float), np.asarray(self.survival, float)])


class AtRisk(_Model):
    """Numbers at risk under the figure: ``times`` and ``n`` (counts)."""

    times: tuple[NonNegative, ...]
    n: tuple[NonNegative, ...]
    source: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _coerce(cls, data: Any, info: ValidationInfo) -> Any:
        if isinstance(data, (str, os.PathLike)):
            times, counts = _read_named(data, info, read_at_risk)
            return {"times": times, "n": counts, "source": str(data)}
        if isinstance(data, Mapping):
            return data
        if getattr(data, "columns", None) is not None:
            times, counts = as_at_risk(data)
            return {"times": times, "n": counts}
        raise ValueError("expected {times: [...], n: [...]} or a CSV path (time,n_risk)")

    @model_validator(mode="after")
    def _check(self) -> AtRisk:
        if len(self.times) != len(self.n):
            raise ValueError(f"{len(self.times)} times but {len(self.n)} counts")
        if not self.times:
            raise ValueError("the table is empty")
        return self


#: How papers print a median not reached (NE: not estimable, the KM curve stays above
#: 0.5), compared without case, dots and spaces.
_MEDIAN_NR = {"nr", "ne", "notreached", "notestimable"}
#: ... and a CI bound that is not estimable (also NA, not available).
_BOUND_NE = _MEDIAN_NR | {"na"}


def _not_reached(value: Any, spellings: set[str]) -> bool:
    return isinstance(value, str) and re.sub(r"[\s.]", "", value).lower() in spellings


class ArmResults(_Model):
    """What an endpoint reports for one arm."""

    median: Annotated[float, _KeepPrinted] | Literal["NR"] | None = None
    median_ci: tuple[Positive | None, Positive | None] | None = None
    events: Count | None = None
    landmarks: dict[NonNegative, Landmark] = Field(default_factory=dict)
    curve: Curve | None = None
    at_risk: AtRisk | None = None
    censor_times: tuple[float, ...] | None = None
    notes: Notes = None

    @field_validator("censor_times", mode="before")
    @classmethod
    def _marks(cls, value: Any, info: ValidationInfo) -> Any:
        """A list of times, or a CSV path (header ``time``) relative to the study file."""
        if value is None:
            return None
        if isinstance(value, (str, os.PathLike)):
            value = _read_named(value, info, read_censor_times)
        try:
            times = check_censor_times(value, field="censor_times")
        except InputError as exc:
            raise ValueError(str(exc)) from None
        return tuple(float(t) for t in times)

    @field_validator("median", mode="before")
    @classmethod
    def _median(cls, value: Any) -> Any:
        if value is None or _not_reached(value, _MEDIAN_NR):
            return None if value is None else "NR"
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if not ok or not math.isfinite(value) or value <= 0:
            raise ValueError(
                "expected a positive number, 'NR' (not reached; also NE, N.E., "
                f"'not reached') or null, got {value!r}"
            )
        return value if isinstance(value, Printed) else float(value)

    @field_serializer("median")
    def _median_out(self, value: Any) -> Any:
        """As validated (a printed number stays one: no union type check on output)."""
        return value

    @field_validator("median_ci", mode="before")
    @classmethod
    def _ne(cls, value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            return [None if _not_reached(v, _BOUND_NE) else v for v in value]
        return value

    @model_validator(mode="after")
    def _ci(self) -> ArmResults:
        lo, hi = self.median_ci or (None, None)
        if lo is not None and hi is not None and lo > hi:
            raise ValueError(f"median_ci lower bound {lo:g} is above the upper bound {hi:g}")
        start = self.landmarks.get(0.0)
        if start is not None and start.survival != 1:
            raise ValueError(
                f"landmarks: survival at time 0 is 1 by definition (no patient has had the "
                f"event at the start), got {start.survival:g}"
            )
        return self

    @property
    def median_reached(self) -> bool | None:
        """False when reported as not reached, None when not reported."""
        if self.median == "NR":
            return False
        return None if self.median is None else True

    @property
    def median_value(self) -> float | None:
        """The median as a number (None when not reached or not reported)."""
        return self.median if isinstance(self.median, float) else None


class FollowUp(_Model):
    """Follow-up in the study's time unit: maximum, median, accrual period, and the
    hazard of loss to follow-up per time unit (``dropout``: 0.01 is about 1% of the
    patients still followed lost per time unit)."""

    max: Positive | None = None
    median: Positive | None = None
    min: NonNegative | None = None
    accrual: NonNegative | None = None
    dropout: NonNegative | None = None
    notes: Notes = None


class Comparison(_Model):
    """A treatment-vs-reference comparison of one endpoint."""

    treatment: str
    reference: str
    hr: Positive | None = None
    hr_ci: tuple[Positive, Positive] | None = None
    ci_level: float = Field(default=0.95, gt=0, lt=1)
    p: PValue | None = None
    p_sided: Literal["one-sided", "two-sided"] | None = None
    logrank_chi2: NonNegative | None = None
    adjusted: bool | None = None
    notes: Notes = None

    @model_validator(mode="after")
    def _check(self) -> Comparison:
        if self.treatment == self.reference:
            raise ValueError("treatment and reference are the same arm")
        if self.hr_ci is not None and self.hr_ci[0] > self.hr_ci[1]:
            raise ValueError(
                f"hr_ci lower bound {self.hr_ci[0]:g} is above the upper {self.hr_ci[1]:g}"
            )
        return self


class Endpoint(_Model):
    """One endpoint (PFS, OS, ...): per-arm results and an optional comparison."""

    arms: dict[str, ArmResults] = Field(default_factory=dict)
    follow_up: FollowUp | None = None
    comparison: Comparison | None = None
    notes: Notes = None

    @field_validator("arms", mode="before")
    @classmethod
    def _empty_arm(cls, value: Any) -> Any:
        if isinstance(value, Mapping):
            return {k: ({} if v is None else v) for k, v in value.items()}
        return value

    @property
    def time_extent(self) -> float:
        """The longest time the endpoint shows: its curves' last clicks, its at-risk
        tables' last times and its maximum follow-up (0 when it shows none). A figure's
        time axis runs at least this far; digitizer noise is judged against it."""
        ends = [self.follow_up.max] if self.follow_up is not None and self.follow_up.max else []
        for res in self.arms.values():
            if res.curve is not None:
                ends.append(max(res.curve.time))
            if res.at_risk is not None:
                ends.append(max(res.at_risk.times))
        return max([0.0, *ends])


class CheckNote(_Model):
    """Why a published number cannot be reproduced from the others (``check.notes``).

    ``mmsurv check`` reports the misses a note covers as noted instead of failing, and
    fails on a note that covers no published number or whose numbers all pass. Each
    field given narrows what the note covers: the whole endpoint, an arm's numbers, or
    one quantity (in every arm, or in the arm named).

    Attributes
    ----------
    endpoint : str
        An endpoint of the study.
    arm : str, optional
        An arm the endpoint reports; omitted for the comparison's numbers.
    quantity : str, optional
        A quantity as ``mmsurv analyze`` names it (:func:`mmsurv.check.quantity_name`):
        ``median``, ``median CI lower``, ``events``, ``survival at 12``, ``survival at
        12 CI upper``, ``HR``, ``HR CI lower``, ``p``, ``log-rank chi2``...
    reason : str
        Why, in a sentence.
    """

    endpoint: str
    arm: str | None = None
    quantity: str | None = None
    reason: str

    @field_validator("quantity")
    @classmethod
    def _quantity(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        name, per_arm = quantity_name(value)
        if not per_arm and info.data.get("arm") is not None:
            raise ValueError(f"{name!r} is a number of the comparison: name no arm")
        return name

    @field_validator("reason")
    @classmethod
    def _reason(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the reason is empty")
        return value

    def covers(self, endpoint: str, arm: str | None, quantity: str | None) -> bool:
        """Whether the note covers this published number (arm None: the comparison)."""
        return (
            endpoint == self.endpoint
            and self.arm in (None, arm)
            and self.quantity in (None, quantity)
        )


class CheckSettings(_Model):
    """The optional ``check:`` block of a study file: tolerances and notes.

    ``tolerances`` maps names of :class:`mmsurv.check.Tolerances` (``hr``,
    ``median``...) to values that replace the defaults for this study (a tolerance given
    on the command line still wins); ``mmsurv check`` prints every tolerance that is not
    the default. ``notes`` explain published numbers that cannot be reproduced
    (:class:`CheckNote`).
    """

    tolerances: dict[str, NonNegative] = Field(default_factory=dict)
    notes: tuple[CheckNote, ...] = ()

    @field_validator("tolerances")
    @classmethod
    def _known(cls, value: dict[str, float]) -> dict[str, float]:
        for name in value:
            if name not in Tolerances.names():
                known = ", ".join(Tolerances.names())
                raise ValueError(f"unknown tolerance {name!r} (known: {known})")
        return value


class Study(_Model):
    """Everything a paper reports about survival, validated."""

    id: str
    arms: tuple[Arm, ...] = Field(min_length=1)
    endpoints: dict[str, Endpoint] = Field(min_length=1)
    title: str | None = None
    design: str | None = None
    source: Source | tuple[Source, ...] | None = None
    time_unit: Literal["months", "weeks", "days", "years"] = "months"
    check: CheckSettings | None = None
    notes: Notes = None
    path: str | None = Field(default=None, exclude=True)

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not _SLUG.match(value):
            raise ValueError(f"{value!r} is not a slug (letters, digits, '.', '_', '-')")
        return value

    @field_validator("endpoints", mode="before")
    @classmethod
    def _empty_endpoint(cls, value: Any) -> Any:
        if isinstance(value, Mapping):
            for key in value:
                if not isinstance(key, str) or not _NAME.match(key):
                    raise ValueError(f"{key!r} is not a valid endpoint name ({_NAME_RULE})")
            return {k: ({} if v is None else v) for k, v in value.items()}
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Study:
        """Checks that span fields, however the study is built (file, mapping, Python):
        the arms named exist, counts lie within arm sizes, notes name what is reported."""
        _cross_check(self, self.path)
        return self

    def arm(self, arm_id: str) -> Arm:
        """The arm with this id."""
        for arm in self.arms:
            if arm.id == arm_id:
                return arm
        raise KeyError(arm_id)

    def endpoint(self, name: str) -> Endpoint:
        """The endpoint with this name (``InputError`` listing the names otherwise)."""
        try:
            return self.endpoints[name]
        except KeyError:
            raise InputError(
                f"no endpoint {name!r} (endpoints: {', '.join(self.endpoints)})",
                file=self.path,
                field="endpoints",
            ) from None

    @property
    def sources(self) -> tuple[Source, ...]:
        """Every source of the study's numbers (``source`` may be one or a list)."""
        if self.source is None:
            return ()
        return self.source if isinstance(self.source, tuple) else (self.source,)

    @property
    def arm_ids(self) -> list[str]:
        return [arm.id for arm in self.arms]

    @property
    def trial_name(self) -> str:
        """A short name for tables and legends: the title's head before a colon when it
        is short ("MAIA" of "MAIA: daratumumab-Rd vs Rd ..."), else the study id."""
        head, sep, _ = (self.title or "").partition(":")
        head = head.strip()
        return head if sep and 0 < len(head) <= 30 else self.id

    def __repr__(self) -> str:
        arms = ", ".join(f"{arm.id} n={arm.n}" for arm in self.arms)
        return (
            f"Study({self.id!r}: {len(self.arms)} arm{'s' if len(self.arms) > 1 else ''} "
            f"({arms}); endpoints {', '.join(self.endpoints)}; {self.time_unit})"
        )

    __str__ = __repr__

    def table(self) -> pd.DataFrame:
        """What the study reports, one row per endpoint and arm.

        Columns ``endpoint``, ``arm``, ``n``, ``median`` (NaN when not reported or not
        reached), ``median_not_reached`` (True for NR), ``median_lower``, ``median_upper``,
        ``events``, ``landmarks`` (their count), ``curve_points`` (digitized clicks,
        0 without a curve), ``at_risk_times`` (0 without a table), then the endpoint's
        comparison on its treatment's row: ``hr``, ``hr_lower``, ``hr_upper``,
        ``ci_level``, ``p`` (as printed, text). Missing numbers are NaN.

        Examples
        --------
        >>> study = load_study("niu-2026-krd-vs-vrd")
        >>> row = study.table().iloc[0]
        >>> row["endpoint"], row["arm"], int(row["n"]), float(row["median"]), float(row["hr"])
        ('PFS', 'KRd', 42, 14.0, 0.712)
        """
        import pandas as pd

        def number(value: Any) -> float:
            return float(value) if isinstance(value, (int, float)) else math.nan

        rows = []
        for name, endpoint in self.endpoints.items():
            comp = endpoint.comparison
            for arm in self.arms:
                res = endpoint.arms.get(arm.id)
                if res is None:
                    continue
                ci = res.median_ci or (None, None)
                row = {
                    "endpoint": name,
                    "arm": arm.id,
                    "n": arm.n,
                    "median": number(res.median),
                    "median_not_reached": res.median == "NR",
                    "median_lower": number(ci[0]),
                    "median_upper": number(ci[1]),
                    "events": number(res.events),
                    "landmarks": len(res.landmarks),
                    "curve_points": 0 if res.curve is None else len(res.curve.to_array()),
                    "at_risk_times": 0 if res.at_risk is None else len(res.at_risk.times),
                }
                own = comp if comp is not None and comp.treatment == arm.id else None
                hr_ci = (own.hr_ci if own is not None else None) or (None, None)
                row.update(
                    hr=number(own.hr) if own is not None else math.nan,
                    hr_lower=number(hr_ci[0]),
                    hr_upper=number(hr_ci[1]),
                    ci_level=own.ci_level if own is not None else math.nan,
                    p=str(own.p) if own is not None and own.p is not None else math.nan,
                )
                rows.append(row)
        return pd.DataFrame(rows)

    def _repr_html_(self) -> str:
        from .views import html_view

        lines = [self.title or "", f"Design: {self.design}" if self.design else ""]
        lines += [source.citation for source in self.sources if source.citation]
        lines.append(f"Times in {self.time_unit}.")
        return html_view(f"Study {self.id}", self.table(), [x for x in lines if x])


# --------------------------------------------------------------------------- loading


def _field_path(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part == "[key]":
            continue
        elif isinstance(part, str) and _NAME.match(part):
            out += ("." if out else "") + part
        else:
            out += f"[{part!r}]"
    return out


def _model_names() -> set[str]:
    """Class names of the file's models: pydantic puts them in the location of a union."""
    names, todo = set(), [_Model]
    while todo:
        cls = todo.pop()
        names.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return names


#: What a union member expects, in words, by pydantic error type.
_EXPECTED = {
    "model_type": "a mapping",
    "dict_type": "a mapping",
    "tuple_type": "a list",
    "list_type": "a list",
    "string_type": "a text",
    "float_type": "a number",
    "float_parsing": "a number",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "bool_type": "true or false",
}


def _clean_loc(loc: tuple, models: set[str]) -> tuple:
    kept = (
        p
        for p in loc
        if not (
            isinstance(p, str)
            and ("function-" in p or p.startswith(("union[", "tuple[", "list[", "dict[")))
        )
    )
    return tuple(p for p in kept if p not in _TYPE_LOCS and p not in models)


def _problems(exc: ValidationError) -> list[tuple[str, str]]:
    """Every problem of a validation error as (field path, message), in order; the
    members of a union that fail together at one place are one problem, and a place
    whose fields have problems of their own is left to them (pydantic also calls a list
    of arms too short once its arms failed)."""
    models = _model_names()
    places: dict[tuple, list[Any]] = {}
    for err in exc.errors(include_url=False):
        places.setdefault(_clean_loc(err["loc"], models), []).append(err)
    outer = [
        loc for loc in places if any(len(o) > len(loc) and o[: len(loc)] == loc for o in places)
    ]
    for loc in outer:
        del places[loc]
    return [(_field_path(loc), _message(options)) for loc, options in places.items()]


def _message(options: list[dict[str, Any]]) -> str:
    err = options[0]
    msg = err["msg"]
    kind = err["type"]
    if len(options) > 1 and all(e["type"] in _EXPECTED for e in options):
        nouns = dict.fromkeys(_EXPECTED[e["type"]] for e in options)
        return f"expected {' or '.join(nouns)} (got {err.get('input')!r})"
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "missing":
        return "required field is missing"
    if msg.startswith("Value error, "):
        return msg[len("Value error, ") :]
    if kind in _EXPECTED:
        return f"expected {_EXPECTED[kind]} (got {err.get('input')!r})"
    given = err.get("input")
    return msg if isinstance(given, (dict, list)) else f"{msg} (got {given!r})"


_TYPE_LOCS = {
    "float",
    "int",
    "str",
    "bool",
    "literal['NR']",
    "literal['=','<','<=','>','>=']",
    "constrained-float",
    "none",
    "list[str]",
}


def _cross_check(study: Study, file: str | None) -> None:
    """Checks that span fields: arms referenced exist, counts within arm sizes."""
    ids = study.arm_ids
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise InputError(f"arm id {sorted(dup)[0]!r} is used twice", file=file, field="arms")
    sizes = {arm.id: arm.n for arm in study.arms}
    for name, ep in study.endpoints.items():
        base = f"endpoints.{name}"
        extent = ep.time_extent
        for arm_id, res in ep.arms.items():
            where = f"{base}.arms.{arm_id}"
            if res.curve is not None:
                # a click a hair left of the axis is digitizer noise, repaired by cleaning
                times = np.asarray(res.curve.time, dtype=float)
                bad = np.flatnonzero(times < -NEGATIVE_TIME * extent)
                if bad.size:
                    raise InputError(
                        f"point {bad[0]} has a negative time {times[bad[0]]:g}",
                        file=file,
                        field=f"{where}.curve",
                    )
            if arm_id not in sizes:
                raise InputError(
                    f"no arm {arm_id!r} in the study (arms: {', '.join(ids)})",
                    file=file,
                    field=where,
                )
            n = sizes[arm_id]
            if res.events is not None and res.events > n:
                raise InputError(
                    f"{res.events} events exceed the arm size n = {n}",
                    file=file,
                    field=f"{where}.events",
                )
            if res.censor_times is not None and res.curve is None:
                raise InputError(
                    "censor marks need the curve they were read off (no curve given)",
                    file=file,
                    field=f"{where}.censor_times",
                )
            if res.at_risk is not None:
                curve_end = None
                if res.curve is not None:
                    curve_end = float(np.max(res.curve.time))
                try:
                    check_at_risk(res.at_risk.times, res.at_risk.n, n=n, curve_end=curve_end)
                except InputError as exc:
                    raise exc.within(file=file, field=where) from None
        comp = ep.comparison
        if comp is not None:
            for role in ("treatment", "reference"):
                arm_id = getattr(comp, role)
                if arm_id not in sizes:
                    raise InputError(
                        f"no arm {arm_id!r} in the study (arms: {', '.join(ids)})",
                        file=file,
                        field=f"{base}.comparison.{role}",
                    )
    if study.check is not None:
        _check_notes(study, study.check.notes, file)


def _check_notes(study: Study, notes: tuple[CheckNote, ...], file: str | None) -> None:
    """The notes of the ``check:`` block name endpoints and arms the study reports."""
    for i, note in enumerate(notes):
        where = f"check.notes[{i}]"
        if note.endpoint not in study.endpoints:
            raise InputError(
                f"no endpoint {note.endpoint!r} (endpoints: {', '.join(study.endpoints)})",
                file=file,
                field=f"{where}.endpoint",
            )
        arms = study.endpoints[note.endpoint].arms
        if note.arm is not None and note.arm not in arms:
            raise InputError(
                f"{note.endpoint} reports no arm {note.arm!r} (arms: {', '.join(arms) or 'none'})",
                file=file,
                field=f"{where}.arm",
            )


def _resolve(ref: str) -> Path:
    path = Path(ref)
    if path.suffix.lower() in (".yaml", ".yml") or path.exists():
        return path
    found = find_study(ref)
    if found is not None:
        return found
    raise InputError(
        "no such file, and no catalog study with this id (see 'mmsurv catalog list')",
        file=ref,
    )


def _printed_float(text: str, value: float) -> float:
    """A YAML float that keeps its printed decimals (``40.0``: one)."""
    decimals = decimals_of(text.replace("_", ""))
    return value if decimals is None else Printed(value, decimals)


def load_study(source: str | os.PathLike | Mapping[str, Any] | Study) -> Study:
    """Load and validate a study from a YAML path, a catalog id or a mapping.

    Parameters
    ----------
    source : str, path-like, mapping or Study
        A path to a YAML study file; the id of a catalog study (``mmsurv catalog list``);
        or the study as Python objects (curve and at-risk CSV paths in a mapping are
        taken relative to the working directory).

    Returns
    -------
    Study

    Raises
    ------
    InputError
        One line naming the file, the field path and the problem.

    Examples
    --------
    >>> import mmsurv
    >>> study = mmsurv.load_study({"id": "demo", "arms": [{"id": "A", "n": 10}],
    ...                            "endpoints": {"OS": {"arms": {"A": {"median": 12}}}}})
    >>> study.arm("A").n
    10
    """
    if isinstance(source, Study):
        return source
    if isinstance(source, Mapping):
        return _from_mapping(dict(source), file=None, base_dir=None)
    path = _resolve(os.fspath(source))
    file = str(path)
    import yaml

    from ._text import read_text
    from ._yaml_loader import safe_load

    text = read_text(path)
    try:
        data = safe_load(text, on_float=_printed_float)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise InputError(f"{where}{problem}", file=file) from None
    if not isinstance(data, dict):
        raise InputError("expected a mapping of study fields at the top level", file=file)
    return _from_mapping(data, file=file, base_dir=str(path.parent))


def _from_mapping(data: dict, *, file: str | None, base_dir: str | None) -> Study:
    bad_keys = [k for k in data if not isinstance(k, str)]
    if bad_keys:
        raise InputError(f"field names must be text, got {bad_keys[0]!r}", file=file)
    data = {**data, "path": file}
    try:
        return Study.model_validate(data, context={"base_dir": base_dir})
    except ValidationError as exc:
        cause = exc.errors(include_url=False)[0].get("ctx", {}).get("error")
        if isinstance(cause, InputError):  # a check across fields (Study._consistent)
            raise cause.within(file=file) from None
        problems = _problems(exc)
        field, problem = problems[0]
        more = len(problems) - 1
        if more:
            problem += f" (and {more} more problem{'s' if more > 1 else ''})"
        every = tuple(f"{where}: {text}" if where else text for where, text in problems)
        raise InputError(problem, file=file, field=field or None, problems=every) from None
