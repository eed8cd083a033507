"""mmsurv: survival re-analysis of published results."""

from .errors import InputError
from .guyot import ReconstructionReport, guyot

__all__ = ["InputError", "ReconstructionReport", "guyot"]
__version__ = "0.1.0"
