"""The documented examples of every module of the package run and print what they say."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import mmsurv

MODULES = sorted(name for _, name, _ in pkgutil.iter_modules(mmsurv.__path__, "mmsurv."))


@pytest.mark.parametrize("name", ["mmsurv", *MODULES])
def test_documented_examples(name):
    module = importlib.import_module(name)
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    result = doctest.testmod(module, optionflags=flags, verbose=False, report=True)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed"
