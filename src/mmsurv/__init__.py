"""mmsurv: survival re-analysis of published results.

Rebuild approximate individual patient data from digitized Kaplan-Meier curves (Guyot
et al. 2012) or from reported summaries, check it against what the paper reports, audit
the reported numbers, re-analyse, re-plot and compare trials.
"""

from importlib import import_module
from typing import Any

from ._audit import AuditReport, Finding
from ._guyot import ReconstructionReport, guyot
from ._reconstruct import EndpointReport
from .draws import reconstruct
from .errors import InputError
from .pipeline import audit
from .study import Study, load_study

#: Public names whose modules import lifelines or matplotlib (or the ``digitize`` extra),
#: loaded on first use so that ``import mmsurv`` and the reconstruct command stay fast.
_LAZY = {
    "AnalysisResult": "analysis",
    "analyze": "analysis",
    "analyze_endpoint": "pipeline",
    "CheckResult": "check",
    "DrawIntervals": "uncertainty",
    "draw_intervals": "uncertainty",
    "Miss": "check",
    "Tolerances": "check",
    "analyze_study": "pipeline",
    "assert_reproduces": "pipeline",
    "check_study": "pipeline",
    "CrossTrialArms": "crosstrial",
    "cross_trial_arms": "pipeline",
    "Digitized": "digitizer",
    "digitize": "digitizer",
    "bucher": "meta",
    "compare_studies": "pipeline",
    "pool": "meta",
    "KMPanel": "plotting",
    "plot_arms": "plotting",
    "plot_forest": "plotting",
    "plot_km": "plotting",
    "plot_panel": "plotting",
    "save_figure": "plotting",
}

__all__ = [
    "AuditReport",
    "EndpointReport",
    "Finding",
    "InputError",
    "ReconstructionReport",
    "Study",
    "audit",
    "guyot",
    "load_study",
    "reconstruct",
    *_LAZY,
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
