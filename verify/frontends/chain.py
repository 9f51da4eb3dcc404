"""One chain typed on the command line: `verify -e 'A = B = C'`."""

from __future__ import annotations

from ..derivation import Derivation, Line
from ..errors import InputError, Location
from . import plain

LABEL = "<command line>"


def load(text: str, index: int = 1) -> Derivation:
    where = Location(LABEL, index, 1)
    parts = plain.split_chain(text)
    if len(parts) < 2:
        raise InputError(where, "write a chain of at least two lines joined by '=', such as 'A = B'")
    lines = tuple(Line(t.strip(), plain.parse_expr(t, where.shifted(off)), where.shifted(off)) for off, t in parts)
    return Derivation(LABEL, f"expression {index}", where, lines)
