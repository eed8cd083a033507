"""Files written whole or not at all.

A leaf module (it imports nothing of the package): the command line's outputs and the
figures go through :func:`write_atomic`.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

__all__ = ["write_atomic"]


def write_atomic(path: str | os.PathLike, write: Callable[[BinaryIO], object]) -> Path:
    """Write a file whole or not at all.

    ``write`` writes the content to a temporary file in the same folder, which then
    replaces ``path``: an existing file is never left half-written, and the temporary
    file is removed when anything fails. A new file is created like any new file (the
    umask applies: 0644 under the usual umask), unlike the private files of
    :mod:`tempfile`; a file replaced keeps its mode. Only a regular file is ever
    replaced: when ``path`` has become anything else (a device, a pipe, a link to one)
    by the time of the rename, :class:`FileExistsError` is raised and nothing is renamed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     out = write_atomic(pathlib.Path(folder) / "a.txt", lambda f: f.write(b"done"))
    ...     out.read_text()
    'done'
    """
    path = Path(path)
    tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
    try:
        with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), "wb") as out:
            if path.is_file():
                os.fchmod(out.fileno(), stat.S_IMODE(path.stat().st_mode))
            write(out)
        if path.exists() and not path.is_file():
            raise FileExistsError(f"{path} is not a regular file")
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path
