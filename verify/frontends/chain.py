"""One chain typed on the command line: `verify -e 'A = B = C'`, in the plain syntax or in LaTeX."""

from __future__ import annotations

from ..derivation import Derivation, Line
from ..errors import InputError, Location
from . import documents, latex, plain

LABEL = "<command line>"


def is_latex(text: str) -> bool:
    return any(c in text for c in "\\{}")


def load(text: str, index: int = 1) -> Derivation:
    where = Location(LABEL, index, 1)
    if is_latex(text):
        latex.check_braces(text, where.shifted)
        found = documents.chains(documents.mask(text))
        spans = found[0] if len(found) == 1 else []
        parts = [(s, text[s:e]) for s, e in spans]
    else:
        parts = plain.split_chain(text)
    if len(parts) < 2:
        raise InputError(where, "write one chain of at least two lines joined by '=', such as 'A = B'")
    lines = []
    for off, t in parts:
        at = where.shifted(off)
        expr = latex.parse_latex(t, at.shifted) if is_latex(text) else plain.parse_expr(t, at)
        lines.append(Line(t.strip(), expr, at))
    return Derivation(LABEL, f"expression {index}", where, tuple(lines))
