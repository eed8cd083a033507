"""Text files as people save them: the encoding detected, or one line naming it.

UTF-8 (with or without a byte-order mark) and UTF-16 with its byte-order mark are read
as such; UTF-16 without a mark is recognised by its zero bytes (ASCII text in UTF-16
has one in every pair). Other bytes are a binary file, or, where ``legacy`` allows it,
Windows-1252 (cp1252, what spreadsheets on Windows save as "CSV"), whose every byte but
five is a character.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from .errors import InputError

__all__ = ["read_text"]


def _utf16_without_bom(data: bytes) -> str | None:
    """The byte order of BOM-less UTF-16 text: zeros in every pair, on one side."""
    if len(data) < 2 or len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def read_text(path: str | Path, *, legacy: bool = False) -> str:
    """The text of a file, its encoding detected.

    Parameters
    ----------
    path : str or pathlib.Path
        The file.
    legacy : bool
        Read text that is not UTF-8 or UTF-16 as cp1252 instead of refusing it.

    Raises
    ------
    InputError
        No such file, a file that cannot be read, a binary file, or (without
        ``legacy``) text in another encoding, naming the file and the encoding it needs.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder) / "x.csv"
    ...     _ = path.write_text("time,survival\\n0,1\\n", encoding="utf-16")
    ...     read_text(path).splitlines()[0]
    'time,survival'
    """
    file = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", file=file) from None
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror or exc})", file=file) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    else:
        encoding = _utf16_without_bom(data) or "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        text = None
    if text is None and not legacy:
        raise InputError("not UTF-8 or UTF-16 text: save the file as UTF-8", file=file)
    if text is None:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = None
    if text is None or "\x00" in text:
        raise InputError("not a text file (binary content)", file=file)
    return text
