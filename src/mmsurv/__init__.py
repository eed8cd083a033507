"""mmsurv: survival re-analysis of published results.

Rebuild approximate individual patient data from digitized Kaplan-Meier curves (Guyot
et al. 2012) or from reported summaries, check it against what the paper reports, audit
the reported numbers, and re-analyse.
"""

from .audit import AuditReport, Finding, audit
from .errors import InputError
from .guyot import ReconstructionReport, guyot
from .reconstruct import EndpointReport, reconstruct
from .study import Study, load_study

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
]
__version__ = "0.1.0"
