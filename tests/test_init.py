"""The public names of ``mmsurv``, and a light import."""

from __future__ import annotations

import subprocess
import sys

import pytest

import mmsurv


@pytest.mark.parametrize("name", mmsurv.__all__)
def test_every_public_name_resolves(name):
    assert getattr(mmsurv, name) is not None


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'plot_everything'"):
        _ = mmsurv.plot_everything


def test_import_loads_neither_matplotlib_nor_lifelines():
    code = "import sys, mmsurv; print('matplotlib' in sys.modules, 'lifelines' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.split() == ["False", "False"]
