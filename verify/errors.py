"""Errors that reach the user. All share one root, and each says where it happened."""

from __future__ import annotations

from dataclasses import dataclass


class VerifyError(Exception):
    """Root of every error this package raises on purpose."""


@dataclass(frozen=True)
class Location:
    """A place in an input: file, 1-based line and 1-based column."""

    file: str
    line: int = 1
    col: int = 1

    def shifted(self, chars: int) -> "Location":
        """The same line, `chars` columns further on."""
        return Location(self.file, self.line, self.col + chars)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


class InputError(VerifyError, ValueError):
    """An input could not be read or parsed; carries its location."""

    def __init__(self, location: Location, message: str):
        super().__init__(f"{location}: {message}")
        self.location = location
        self.message = message

    def __reduce__(self):  # to and from the processes that read files
        return (type(self), (self.location, self.message))


class NotChecked(VerifyError, ValueError):
    """A step in a form that verify does not check (a definite integral outside the fundamental theorem's
    form): its verdict is unknown, with this reason."""


NOT_CHECKED = "not checked: "  # how the report begins the reason of a NotChecked step


class UnsupportedError(VerifyError, NotImplementedError):
    """An obligation uses something an engine cannot express."""


@dataclass(frozen=True)
class Note:
    """Something the user should know that is not an error, such as a block that was skipped."""

    location: Location
    message: str


def once(items: list) -> list:
    """Each error or note once, though several readings of the input (one per instance) found it."""
    seen: set[tuple[Location, str]] = set()
    out = []
    for x in items:
        if (x.location, x.message) not in seen:
            seen.add((x.location, x.message))
            out.append(x)
    return out
