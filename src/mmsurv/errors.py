"""The one exception mmsurv raises for bad input, and the checks several modules share."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["InputError", "check_level", "is_number"]


class InputError(ValueError):
    """Input that mmsurv cannot use: a study file, a curve, a table or an argument.

    The message is one line naming the file (when there is one), the field and the
    problem, e.g. ``study.yaml: endpoints.PFS.arms.KRd.at_risk.n[3]: 45 exceeds the arm
    size n = 42``.

    Attributes
    ----------
    problem : str
        What is wrong, in one sentence.
    file : str or None
        The file the input came from.
    field : str or None
        The field path inside that file (``endpoints.PFS.arms.KRd.median``) or the name
        of the Python argument.
    problems : tuple of str
        Every problem found, each as ``"<field>: <problem>"`` (a study file with several
        mistakes has them all here, while the message names the first); empty when
        there is only the one of the message.
    """

    def __init__(
        self,
        problem: str,
        *,
        file: str | None = None,
        field: str | None = None,
        problems: tuple[str, ...] = (),
    ):
        self.problem = problem
        self.file = file
        self.field = field
        self.problems = tuple(problems)
        super().__init__(": ".join(_one_line(part) for part in (file, field, problem) if part))

    @property
    def located(self) -> str:
        """The field and the problem, without the file (``endpoints.OS: ...``)."""
        return ": ".join(_one_line(part) for part in (self.field, self.problem) if part)

    def within(self, *, file: str | None = None, field: str | None = None) -> InputError:
        """Return the same error placed inside an outer file and/or field path."""
        if field and self.field:
            sep = "" if self.field.startswith("[") else "."
            field = f"{field}{sep}{self.field}"
        return InputError(
            self.problem, file=file or self.file, field=field or self.field, problems=self.problems
        )


def _one_line(text: str) -> str:
    """``text`` with its line breaks and other unprintable characters escaped as Python
    writes them (a file name or a field given as ``"\\n"`` stays on the message's one
    line)."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def is_number(value: Any) -> bool:
    """A real number given as such (an int or float, numpy's too), not a bool."""
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    )


def check_level(value: Any, field: str = "ci_level") -> float:
    """A confidence level or central share strictly between 0 and 1, or one InputError
    naming ``field``."""
    if not is_number(value) or not 0 < value < 1:
        raise InputError(f"must be a number between 0 and 1, got {value!r}", field=field)
    return float(value)
