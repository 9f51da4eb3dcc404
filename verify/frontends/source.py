"""Reading input files: size limits, UTF-8 and positions, shared by every front end."""

from __future__ import annotations

from dataclasses import dataclass, field
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
    return checked_text(text, label)


def checked_text(text: str, label: str) -> str:
    """Text from a file or a request, refused where it is binary or empty."""
    if "\x00" in text:
        raise InputError(offset_location(label, text, text.index("\x00")), "the file contains a NUL byte; is it binary?")
    if not text.strip():
        raise InputError(Location(label), "the file is empty")
    return text


@dataclass(frozen=True)
class Spot(Location):
    """A location inside a text of several lines: shifting it by some characters moves to the right
    line and column (Location.shifted stays on its line)."""

    text: str = field(default="", repr=False, compare=False)
    offset: int = 0

    def shifted(self, chars: int) -> "Spot":
        at = offset_location(self.file, self.text, self.offset + chars)
        return Spot(at.file, at.line, at.col, self.text, self.offset + chars)


def spot(label: str, text: str) -> Spot:
    """The start of `text`, from which offsets into it are located by line and column."""
    return Spot(label, 1, 1, text, 0)


def offset_location(label: str, text: str, offset: int) -> Location:
    """The line and column of character `offset` of `text`."""
    before = text[:offset]
    line = before.count("\n") + 1
    return Location(label, line, offset - (before.rfind("\n") + 1) + 1)
