"""mmsurv: survival re-analysis of published results.

Rebuild approximate individual patient data from digitized Kaplan-Meier curves (Guyot
et al. 2012), check it against what the paper reports, and re-analyse it.
"""

from .errors import InputError
from .guyot import ReconstructionReport, guyot
from .reconstruct import EndpointReport, reconstruct
from .study import Study, load_study

__all__ = [
    "EndpointReport",
    "InputError",
    "ReconstructionReport",
    "Study",
    "guyot",
    "load_study",
    "reconstruct",
]
__version__ = "0.1.0"
