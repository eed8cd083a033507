"""Small array helpers shared by the result objects."""

from __future__ import annotations

from typing import Any

import numpy as np


def readonly(values: Any, dtype: Any = float) -> np.ndarray:
    """A read-only copy of ``values``: result objects are frozen, their arrays too."""
    array = np.array(values, dtype=dtype)
    array.setflags(write=False)
    return array
