"""Output paths of the command line: checked before any work, written whole or not at all.

``-`` is standard output. A path is refused, with one :class:`~mmsurv.errors.InputError`,
when it is an input file, a folder, anything else that is not a regular file (a device,
a pipe, ``/dev/stdout``), or in a folder that does not exist or cannot be written. Files
are written to a temporary file in the same folder and renamed over the path, so an
existing file is never left half-written; the new file gets the mode a plain ``open``
would give it (``0o666`` less the umask), or the mode of the file it replaces.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import InputError
from .files import write_atomic

__all__ = ["STDOUT", "check_output", "write_text"]

#: The output path that stands for standard output.
STDOUT = "-"


def check_output(path: str, protected: Sequence[Path] = (), *, stdout_ok: bool = True) -> None:
    """Refuse an output path that cannot be written safely (see the module docstring).

    Parameters
    ----------
    path : str
        The path as the user gave it.
    protected : sequence of pathlib.Path
        Input files that must not be overwritten.
    stdout_ok : bool
        Whether ``-`` (standard output) is accepted.

    Raises
    ------
    InputError
        One line naming the path and the problem.
    """
    if path == STDOUT:
        if not stdout_ok:
            raise InputError("cannot be written to standard output; name a file", file=path)
        return
    if not path:
        raise InputError("the output path is empty", file=path)
    target = Path(path).resolve()
    if any(target == Path(p).resolve() for p in protected):
        raise InputError("refusing to write over an input file", file=path)
    if target.is_dir():
        raise InputError("is a folder; name a file in it", file=path)
    if target.exists() and not target.is_file():
        hint = " (use '-' for standard output)" if stdout_ok else ""
        raise InputError(f"is not a regular file{hint}", file=path)
    folder = target.parent
    if not folder.is_dir():
        raise InputError("the output folder does not exist", file=path)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError("the output folder is not writable", file=path)


def write_text(path: str, text: str, protected: Sequence[Path] = ()) -> None:
    """Write ``text`` to ``path`` whole or not at all (``-``: standard output).

    Raises
    ------
    InputError
        A path :func:`check_output` refuses, or a write the system refuses (one line with
        the system's reason).
    """
    check_output(path, protected)
    if path == STDOUT:
        sys.stdout.write(text)
        return
    try:
        write_atomic(Path(path).resolve(), lambda out: out.write(text.encode("utf-8")))
    except FileExistsError:  # the path became a device or a pipe since the check
        raise InputError("is not a regular file", file=path) from None
    except OSError as exc:
        raise InputError(f"cannot write the file ({exc.strerror})", file=path) from None
