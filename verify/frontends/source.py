"""Reading input files: size limits, UTF-8 and positions, shared by every front end."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError, Location

MAX_BYTES = 1024 * 1024


def read_text(path: Path, label: str) -> str:
    """The file's text, or a located error saying why it cannot be read."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(Location(label), f"the file is {size} bytes; the limit is {MAX_BYTES} bytes (1 MiB)")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(Location(label), f"cannot read the file ({exc.strerror or exc})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(offset_location(label, data[: exc.start].decode("utf-8", "replace"), exc.start),
                         "the file is not UTF-8 text (it may be binary)") from None
    if "\x00" in text:
        raise InputError(offset_location(label, text, text.index("\x00")), "the file contains a NUL byte; is it binary?")
    if not text.strip():
        raise InputError(Location(label), "the file is empty")
    return text


def offset_location(label: str, text: str, offset: int) -> Location:
    """The line and column of character `offset` of `text`."""
    before = text[:offset]
    line = before.count("\n") + 1
    return Location(label, line, offset - (before.rfind("\n") + 1) + 1)
