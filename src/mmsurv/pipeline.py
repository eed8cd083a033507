"""The pipelines: a study file, reconstructed, analysed, and then checked, compared or
set beside other trials.

Data flow, one way::

    study (model) -> reconstruct (patients) -> analysis (KM, Cox) -> published / check
                                                                  -> meta (compare)
                                                                  -> crosstrial

This module is the one place where study files are loaded and reconstructed for the
others: :mod:`mmsurv.analysis`, :mod:`mmsurv._audit`, :mod:`mmsurv.check`,
:mod:`mmsurv.meta` and :mod:`mmsurv.crosstrial` work on what they are given.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .errors import InputError
from .study import Study, load_study

if TYPE_CHECKING:
    import pandas as pd

    from ._audit import AuditReport
    from .analysis import AnalysisResult
    from .check import CheckResult, Tolerances
    from .crosstrial import CrossTrialArms
    from .meta import ComparisonTable

__all__ = [
    "analyze_as_reported",
    "analyze_endpoint",
    "analyze_study",
    "assert_reproduces",
    "audit",
    "check_study",
    "compare_studies",
    "cross_trial_arms",
    "endpoint_tables",
    "load_catalog",
]


def audit(study: Study | str | Any, *, rules: Iterable[str] | None = None) -> AuditReport:
    """Check a study's reported numbers against each other, by calculation alone.

    Parameters
    ----------
    study : Study, str, path-like or mapping
        A :class:`~mmsurv.study.Study` or anything :func:`~mmsurv.study.load_study`
        accepts (a YAML path, a catalog id, a mapping).
    rules : iterable of str, optional
        Names of the rules to run (keys of :data:`RULES`); all by default.

    Returns
    -------
    AuditReport
        The findings, errors first.

    Raises
    ------
    InputError
        For an unknown rule name or a study that does not load.

    Notes
    -----
    Every rule reads a printed number as the interval of values that print the same and
    reports only what no combination of values within rounding can reconcile. Methods:
    Parmar MKB, Torri V, Stewart L. Stat Med 1998;17:2815-34; Tierney JF et al. Trials
    2007;8:16; Schoenfeld DA. Biometrika 1981;68:316-9; Biometrics 1983;39:499-503;
    Freedman LS. Stat Med 1982;1:121-9.

    Examples
    --------
    >>> from mmsurv import audit
    >>> report = audit("niu-2026-krd-vs-vrd")
    >>> [f.rule for f in report.errors]
    ['events_from_ci', 'events_from_ci']
    """
    from ._audit import audit_study

    return audit_study(load_study(study), rules=rules)


def analyze_endpoint(
    study: Study | str | Mapping[str, Any], endpoint: str, *, hr_blind: bool = False
) -> tuple[pd.DataFrame, AnalysisResult]:
    """Reconstruct an endpoint of a study and analyse it as the study reports it.

    :func:`mmsurv.reconstruct` rebuilds the patients; :func:`mmsurv.analysis.analyze`
    then compares the study's treatment and reference arms (none for a single-arm
    endpoint), with survival at every landmark time the endpoint reports and CIs at the
    comparison's level.

    Parameters
    ----------
    study : Study or str
        A loaded study, a YAML path or a catalog id.
    endpoint : str
        The endpoint (``"PFS"``, ``"OS"``).
    hr_blind : bool, default False
        Reconstruct without the published HR (see :func:`mmsurv.reconstruct`).

    Returns
    -------
    ipd : pandas.DataFrame
        The reconstructed patients (``arm``, ``time``, ``event``).
    result : AnalysisResult

    Raises
    ------
    InputError
        When the study cannot be read or the endpoint cannot be reconstructed.

    Examples
    --------
    >>> ipd, result = analyze_endpoint("niu-2026-krd-vs-vrd", "PFS")
    >>> result.treatment, result.reference, len(ipd)
    ('KRd', 'VRd', 80)
    """
    study = load_study(study)
    from ._reconstruct import reconstruct

    ipd, _ = reconstruct(study, endpoint, hr_blind=hr_blind)
    return ipd, analyze_as_reported(study, endpoint, ipd)


def analyze_as_reported(study: Study, endpoint: str, ipd: pd.DataFrame) -> AnalysisResult:
    """Analyse patients of an endpoint as the study reports it: its treatment and
    reference arms, survival at its landmark times, CIs at its comparison's level (the
    second half of :func:`analyze_endpoint`, for IPD already reconstructed)."""
    from .analysis import analyze

    reported = study.endpoint(endpoint)
    comp = reported.comparison
    return analyze(
        ipd,
        comp.treatment if comp else None,
        comp.reference if comp else None,
        landmarks=sorted({t for res in reported.arms.values() for t in res.landmarks}),
        ci_level=comp.ci_level if comp else 0.95,
        time_unit=study.time_unit,
    )


def endpoint_tables(
    study: Study, endpoints: str | Sequence[str] | None, hr_blind: bool
) -> Iterator[tuple[str, pd.DataFrame | InputError]]:
    """Each endpoint reconstructed, analysed as the study reports it, and its published
    numbers set beside the reconstructed ones
    (:func:`mmsurv.published.published_vs_reconstructed`); or the InputError that
    stopped its reconstruction. An unknown endpoint name is an InputError at once.
    ``attrs["unkept"]`` of a table maps the (arm, quantity) of each number the
    reconstruction says it could not keep to its sentence, ``attrs["not_kept"]`` lists
    them as ``"<endpoint> <arm>: <sentence>"``."""
    from ._reconstruct import reconstruct
    from .published import published_vs_reconstructed

    if isinstance(endpoints, str):
        endpoints = [endpoints]
    names = list(study.endpoints) if endpoints is None else list(endpoints)
    for name in names:
        study.endpoint(name)  # an unknown name is bad input, not a miss
    for name in names:
        try:
            ipd, report = reconstruct(study, name, hr_blind=hr_blind)
            table = published_vs_reconstructed(study, name, analyze_as_reported(study, name, ipd))
        except InputError as exc:
            yield name, exc
            continue
        unkept = report.unkept()
        table.attrs["unkept"] = unkept
        table.attrs["not_kept"] = [
            f"{name} {arm}: {sentence}" for (arm, _), sentence in unkept.items()
        ]
        yield name, table


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
    for name, outcome in endpoint_tables(study, endpoints, hr_blind):
        if isinstance(outcome, InputError):
            if endpoints is not None:
                raise outcome
            failed[name] = outcome
        else:
            frames.append(outcome)
    if not frames:
        reasons = "; ".join(exc.located for exc in failed.values())
        raise InputError(f"no endpoint can be reconstructed ({reasons})", file=study.path)
    table = pd.concat(frames, ignore_index=True)
    table.attrs["one_sided_p"] = [n for f in frames for n in f.attrs.get("one_sided_p", ())]
    table.attrs["not_reconstructed"] = {name: str(exc) for name, exc in failed.items()}
    table.attrs["not_kept"] = [line for frame in frames for line in frame.attrs["not_kept"]]
    return table


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
    allow; the study file's notes say so, so the miss is noted and the check passes:

    >>> result = check_study("niu-2026-krd-vs-vrd", "PFS")
    >>> result.passed, len(result.misses)
    (True, 0)
    >>> print(result.noted[0])  # doctest: +ELLIPSIS
    niu-2026-krd-vs-vrd PFS HR CI lower: published 0.583, ... noted: the printed 95% CI ...
    """
    from .check import check_outcomes

    study = load_study(study)
    return check_outcomes(
        study, endpoint_tables(study, endpoints, hr_blind), tolerances=tolerances, hr_blind=hr_blind
    )


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
    The OS misses of the carfilzomib cohort are explained by notes of its study file; with
    tolerances wide enough to pass them, those notes explain nothing and fail:

    >>> assert_reproduces("niu-2026-krd-vs-vrd", "OS")
    >>> assert_reproduces("niu-2026-krd-vs-vrd", "OS", hr_ci=1, p=1, chi2=1)
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    AssertionError: niu-2026-krd-vs-vrd OS HR CI lower: stale note check.notes[4]: ...
    """
    __tracebackhide__ = True  # pytest shows the caller's line and the message, not this
    from .check import Tolerances

    if isinstance(tolerances, Tolerances):
        tolerances = tolerances.replace(**tolerance_overrides)
    elif tolerance_overrides:
        tolerances = {**(tolerances or {}), **tolerance_overrides}
    result = check_study(study, endpoint, tolerances=tolerances, hr_blind=hr_blind)
    if not result.passed:
        raise AssertionError("\n".join(map(str, result.misses)))


def compare_studies(
    studies: Sequence[Study | str],
    endpoint: str,
    *,
    hr_blind: bool = False,
    method: str = "DL",
    ci_level: float = 0.95,
) -> ComparisonTable:
    """Several studies' hazard ratios side by side, pooled and compared indirectly.

    For each study: its published HR and CI (at the CI's own level) and the SE of the log
    HR from that CI (:func:`se_from_ci`); the HR of its reconstruction
    (:func:`mmsurv.reconstruct`, then the Cox model of :func:`mmsurv.analysis.analyze`
    with the published treatment and reference arms), with its CI at the same level. A
    study whose endpoint cannot be reconstructed (nothing reported to build arms from)
    keeps its published row, with NaN and a note for the reconstruction.

    The published log HRs of the studies with a CI are pooled (:func:`pool`). Studies
    whose published comparisons have the same reference arm id (the catalog names a
    regimen with the same id in every trial: ``Rd``, ``Kd``, ``Vd``, ``Pd``; ``Placebo-Rd``
    and ``Placebo-Vd`` are their own ids) give, when exactly two of them share it and
    their treatments differ, the Bucher indirect comparison of the first treatment
    versus the second. Other pairs: :func:`bucher` with ``via``.

    Parameters
    ----------
    studies : sequence of Study or str
        Studies, catalog ids or YAML paths; each at most once.
    endpoint : str
        The endpoint (``"PFS"``, ``"OS"``).
    hr_blind : bool
        Reconstruct without the published HRs (see :func:`mmsurv.reconstruct`). By
        default arms rebuilt from summaries are calibrated to the published HR, so that
        agreement there is by construction.
    method : {"DL", "PM", "REML"}
        Estimator of tau^2 for random effects.
    ci_level : float
        Level of the pooled and indirect CIs.

    Returns
    -------
    ComparisonTable
        ``table()`` per study, ``pooled()`` and ``indirect_table()``;
        :func:`format_comparison` (its ``repr``) prints it.

    Raises
    ------
    InputError
        A study that cannot be loaded, is given twice, lacks the endpoint, or reports
        no comparison or no HR for it (naming the study and the endpoint).

    Examples
    --------
    >>> from mmsurv.meta import format_comparison
    >>> ids = ["pollux-2016-pfs-primary", "aspire-2015-pfs-os-primary"]
    >>> table = compare_studies(ids, "PFS")
    >>> table.table()[["label", "hr", "hr_lower", "hr_upper"]]
                    label    hr  hr_lower  hr_upper
    0  POLLUX: D-Rd vs Rd  0.37      0.27      0.52
    1   ASPIRE: KRd vs Rd  0.69      0.57      0.83
    >>> table.indirect[0].summary_line()
    'D-Rd vs KRd through Rd: HR 0.536 (95% CI 0.368-0.782), p 0.001'
    >>> print(format_comparison(table).splitlines()[1])
      POLLUX: D-Rd vs Rd   HR 0.37 (95% CI 0.27-0.52)      reconstructed 0.37 (0.267-0.512)
    """
    from .meta import compare

    if isinstance(studies, (str, Study)):
        studies = [studies]

    def analysed(study: Study) -> AnalysisResult | InputError:
        try:
            return analyze_endpoint(study, endpoint, hr_blind=hr_blind)[1]
        except InputError as exc:
            return exc

    loaded = [load_study(s) for s in studies]
    return compare(loaded, endpoint, analysed, hr_blind=hr_blind, method=method, ci_level=ci_level)


def cross_trial_arms(
    studies: Sequence[Study | str],
    endpoint: str,
    arm: str | Sequence[str] | None = None,
    *,
    hr_blind: bool = False,
) -> CrossTrialArms:
    """Reconstruct one arm of each study for one endpoint, to be shown on one axis.

    Each study's endpoint is reconstructed as a whole with :func:`mmsurv.reconstruct`
    (Guyot et al. 2012 from a digitized curve, otherwise from the reported summaries),
    and the chosen arm kept. The result is descriptive: arms of different trials were
    not randomised against each other (:data:`CROSS_TRIAL_WARNING`).

    Parameters
    ----------
    studies : sequence of Study or str
        Loaded studies, YAML paths or catalog ids; at least one.
    endpoint : str
        The endpoint, reported by every study.
    arm : str or sequence of str, optional
        The arm id to take from every study (``"Rd"``), or one id per study. By default
        each study's reference arm (the comparator of its published comparison), or its
        only arm for a single-arm endpoint.
    hr_blind : bool, default False
        Rebuild arms from summaries without the published HR (see
        :func:`mmsurv.reconstruct`).

    Returns
    -------
    CrossTrialArms

    Raises
    ------
    InputError
        A study that cannot be read, lacks the endpoint or the arm, cannot be
        reconstructed, or uses another time unit than the first study.

    Examples
    --------
    >>> rd = cross_trial_arms(["maia-2019-pfs-primary", "pollux-2016-pfs-primary"], "PFS")
    >>> [a.label for a in rd.arms]
    ['MAIA: Rd', 'POLLUX: Rd']

    A single-arm study beside the control arm it is usually compared with:

    >>> car_t = cross_trial_arms(["bcma-car-t-phase1-pfs-os", "eloquent-3-2018-pfs-primary"], "PFS")
    >>> [(a.arm, a.single_arm) for a in car_t.arms]
    [('CAR-T', True), ('Pd', False)]
    """
    from ._reconstruct import reconstruct_arrays
    from .crosstrial import collect_arms

    if isinstance(studies, (str, bytes)) or not isinstance(studies, Sequence) or not studies:
        raise InputError("expected a non-empty list of studies", field="studies")
    if not isinstance(endpoint, str):
        raise InputError(f"expected an endpoint name, got {endpoint!r}", field="endpoint")
    loaded = [load_study(s) for s in studies]
    return collect_arms(
        loaded,
        endpoint,
        arm,
        lambda study: reconstruct_arrays(study, endpoint, hr_blind=hr_blind),
        hr_blind=hr_blind,
    )


def load_catalog() -> list[Study]:
    """Every study of the catalog, loaded and validated, sorted by id."""
    from .catalog import catalog_ids

    return [load_study(study_id) for study_id in catalog_ids()]
