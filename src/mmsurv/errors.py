"""The one exception mmsurv raises for bad input."""

from __future__ import annotations

__all__ = ["InputError"]


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
        super().__init__(": ".join(part for part in (file, field, problem) if part))

    @property
    def located(self) -> str:
        """The field and the problem, without the file (``endpoints.OS: ...``)."""
        return ": ".join(part for part in (self.field, self.problem) if part)

    def within(self, *, file: str | None = None, field: str | None = None) -> InputError:
        """Return the same error placed inside an outer file and/or field path."""
        if field and self.field:
            sep = "" if self.field.startswith("[") else "."
            field = f"{field}{sep}{self.field}"
        return InputError(
            self.problem, file=file or self.file, field=field or self.field, problems=self.problems
        )
