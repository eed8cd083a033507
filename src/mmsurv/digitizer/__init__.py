"""Digitize Kaplan-Meier figures: curves, censor marks and numbers at risk.

Vector figures (PDF pages, SVG) are read exactly from their drawing paths and text
layer; images (PNG, JPEG) are traced from their pixels, with the tick labels, legend and
at-risk table read by OCR when the ``ocr`` extra is installed (else the axis values are
given). The result turns into a study file that ``mmsurv reconstruct`` takes as it is.
Needs the ``digitize`` extra (``pip install "mmsurv[digitize]"``; ``"mmsurv[ocr]"`` adds
OCR).
"""

from ._calibration import AxisMap, Calibration
from ._digitize import digitize
from ._ocr import available as ocr_available
from ._result import Digitized, DigitizedArm

__all__ = ["AxisMap", "Calibration", "Digitized", "DigitizedArm", "digitize", "ocr_available"]
