"""The words of an image, by optical character recognition (the ``ocr`` extra).

The engine is RapidOCR (Apache-2.0) on ONNX Runtime (MIT): PaddleOCR's PP-OCR text
detection and recognition models (Apache-2.0), which ship inside the ``rapidocr`` wheel,
so nothing is downloaded when it runs. It is imported only when an image is read.
Detection: Liao M, Wan Z, Yao C, Chen K, Bai X. Real-time scene text detection with
differentiable binarization. AAAI 2020; recognition: Du Y et al. PP-OCR: a practical
ultra lightweight OCR system. arXiv:2009.09941, 2020.
"""

from __future__ import annotations

import functools
import importlib.util
import re

import numpy as np

from ._shapes import Colour, Word

__all__ = ["INSTALL", "available", "read_box", "read_words"]

#: What to install for OCR, as the error messages say it.
INSTALL = 'pip install "mmsurv[ocr]"'

#: A word's ink: pixels at least this far (RGB distance, 0-1 scale) from its box's
#: background (the box's median colour).
INK = 0.25

_DECIMAL_COMMA = re.compile(r"^(\d+),(\d{1,2})$")
#: A tick mark touching a label is read as a trailing stroke (``0.8-``).
_TICK_AFTER = re.compile(r"^([+-]?[\d.,]*\d%?)[-\u2013\u2014_|]$")


def available() -> bool:
    """The OCR engine (``rapidocr`` and ``onnxruntime``) is installed."""
    return all(importlib.util.find_spec(name) is not None for name in ("rapidocr", "onnxruntime"))


@functools.lru_cache(maxsize=1)
def _engine():
    from rapidocr import RapidOCR

    # no angle classifier: tick labels and table cells are upright
    return RapidOCR(params={"Global.log_level": "error", "Global.use_cls": False})


def _text(raw: str) -> str:
    """The word, with a decimal comma (``0,25``) read as a decimal point (a comma
    before three digits stays a thousands separator, ``1,024``) and without the stroke
    of a tick mark read after a number (``0.8-``)."""
    text = raw.strip()
    after = _TICK_AFTER.match(text)
    text = after.group(1) if after else text
    match = _DECIMAL_COMMA.match(text)
    return f"{match.group(1)}.{match.group(2)}" if match else text


def _ink(rgb: np.ndarray, box: tuple[int, int, int, int]) -> Colour | None:
    """The colour of a word's strokes: its pixels farthest from the box's background."""
    x0, y0, x1, y1 = box
    pixels = rgb[y0:y1, x0:x1].reshape(-1, 3)
    if pixels.size == 0:
        return None
    background = np.median(pixels, axis=0)
    far = np.linalg.norm(pixels - background, axis=1)
    ink = pixels[far > INK]
    if ink.size == 0:
        return None
    strongest = ink[far[far > INK] >= np.quantile(far[far > INK], 0.7)]
    return tuple(round(float(v), 3) for v in np.median(strongest, axis=0))  # type: ignore[return-value]


def read_words(rgb: np.ndarray) -> tuple[Word, ...]:
    """Every word the engine reads in an RGB image (values in 0-1), with its box in
    pixels (y down) and the colour of its strokes."""
    image = np.ascontiguousarray((np.clip(rgb, 0, 1) * 255).astype(np.uint8)[..., ::-1])
    # every step named: the engine keeps the settings of its last call
    output = _engine()(image, use_det=True, use_cls=False, use_rec=True, return_word_box=True)
    h, w = rgb.shape[:2]
    words = []
    for line in getattr(output, "word_results", None) or ():
        # a line of words; an image with no text gives one empty word instead
        for text, _score, corners in [line] if line and isinstance(line[0], str) else line:
            if not text or corners is None:
                continue
            xs = [float(p[0]) for p in corners]
            ys = [float(p[1]) for p in corners]
            box = (
                max(int(np.floor(min(xs))), 0),
                max(int(np.floor(min(ys))), 0),
                min(int(np.ceil(max(xs))), w),
                min(int(np.ceil(max(ys))), h),
            )
            if box[2] <= box[0] or box[3] <= box[1]:
                continue
            x0, y0, x1, y1 = (float(v) for v in box)
            words.append(Word(_text(text), x0, y0, x1, y1, _ink(rgb, box)))
    return tuple(words)


def read_box(rgb: np.ndarray, box: tuple[float, float, float, float]) -> Word | None:
    """The text in one box of the image, read by recognition alone (no detection: a
    short number, one digit, that detection missed), enlarged three times; None when
    nothing is read."""
    h, w = rgb.shape[:2]
    x0, y0 = max(int(np.floor(box[0])), 0), max(int(np.floor(box[1])), 0)
    x1, y1 = min(int(np.ceil(box[2])), w), min(int(np.ceil(box[3])), h)
    if x1 - x0 < 2 or y1 - y0 < 2:
        return None
    crop = (np.clip(rgb[y0:y1, x0:x1], 0, 1) * 255).astype(np.uint8)[..., ::-1]
    crop = np.ascontiguousarray(np.kron(crop, np.ones((3, 3, 1), dtype=np.uint8)))
    output = _engine()(crop, use_det=False, use_cls=False, use_rec=True, return_word_box=False)
    texts = [t for t in (getattr(output, "txts", None) or ()) if t and t.strip()]
    if len(texts) != 1:
        return None
    ink = _ink(rgb, (x0, y0, x1, y1))
    return Word(_text(texts[0]), float(x0), float(y0), float(x1), float(y1), ink)
