"""Proof files in TOML: [definitions] and [[derivation]] tables."""

from __future__ import annotations

import difflib
import re
import tomllib
from pathlib import Path

from .. import ir
from ..derivation import EXPECTATIONS, Derivation, Line
from ..errors import InputError, Location
from . import latex, plain
from .source import offset_location, read_text

TOP_KEYS = ("title", "source", "definitions", "derivation")
DERIVATION_KEYS = ("name", "lines", "latex", "variables", "assume", "expect")
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"' + r"|'[^'\n]*'")
_HEADER = re.compile(r"^\s*\[\[\s*derivation\s*\]\]", re.M)


class _Strings:
    """Where each string value stands in the TOML text, so errors can point into it."""

    def __init__(self, label: str, text: str):
        self.label, self.text = label, text
        self.found: list[tuple[int, str]] = []
        for m in _STRING.finditer(text):
            try:
                value = tomllib.loads("v = " + m.group(0))["v"]
            except tomllib.TOMLDecodeError:
                continue
            self.found.append((m.start() + 1, value))

    def locate(self, value: str, after: int) -> tuple[Location, int]:
        """The first place at or after offset `after` where the string `value` is written."""
        for start, v in self.found:
            if start >= after and v == value:
                return offset_location(self.label, self.text, start), start
        return offset_location(self.label, self.text, after), after


def _close(word: str, options) -> str:
    near = difflib.get_close_matches(word, list(options), n=1)
    return f" (did you mean {near[0]!r}?)" if near else ""


def _string_list(table: dict, key: str, where: Location) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(where, f"'{key}' must be a list of strings, such as {key} = [\"...\", \"...\"]")
    return value


def load(path: Path, label: str) -> tuple[list[Derivation], list[InputError]]:
    """Every derivation of the file that could be read, and an error for each part that could not."""
    text = read_text(path, label)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        where = Location(label, int(m.group(1)), int(m.group(2))) if m else Location(label)
        message = re.sub(r"\s*\(at line.*\)$", "", str(exc))
        raise InputError(where, f"this is not valid TOML: {message}") from None
    strings = _Strings(label, text)
    errors: list[InputError] = []
    for key in data:
        if key not in TOP_KEYS:
            errors.append(InputError(Location(label), f"unknown key {key!r}{_close(key, TOP_KEYS)}; the keys are {', '.join(TOP_KEYS)}"))
    scope = _definitions(data.get("definitions", {}), strings, errors)
    tables = data.get("derivation", [])
    if not isinstance(tables, list):
        raise InputError(Location(label), "write each derivation as a [[derivation]] table")
    starts = [m.start() for m in _HEADER.finditer(text)] + [len(text)] * len(tables)
    derivations, names = [], set()
    for i, table in enumerate(tables):
        where = offset_location(label, text, starts[i])
        try:
            d = _derivation(table, i, label, where, starts[i], strings, scope)
        except InputError as exc:
            errors.append(exc)
            continue
        if d.name in names:
            errors.append(InputError(where, f"the name {d.name!r} is used twice in this file; names must be unique"))
            continue
        names.add(d.name)
        derivations.append(d)
    if not tables and not errors:
        errors.append(InputError(Location(label), "the file has no [[derivation]] table"))
    return derivations, errors


def _definitions(table: dict, strings: _Strings, errors: list[InputError]) -> plain.Scope:
    scope = plain.PRELUDE
    if not isinstance(table, dict):
        errors.append(InputError(Location(strings.label), "[definitions] must be a table of \"f(x)\" = \"...\" entries"))
        return scope
    cursor = 0
    for head, body in table.items():
        head_at, cursor = strings.locate(head, cursor)
        if not isinstance(body, str):
            errors.append(InputError(head_at, f"the definition of {head} must be a string"))
            continue
        body_at, cursor = strings.locate(body, cursor)
        try:
            scope = scope.with_function(plain.parse_definition(head, body, head_at, body_at, scope))
        except InputError as exc:
            errors.append(exc)
    return scope


def _derivation(table, index: int, label: str, where: Location, start: int, strings: _Strings,
                scope: plain.Scope) -> Derivation:
    if not isinstance(table, dict):
        raise InputError(where, "a [[derivation]] must be a table")
    for key in table:
        if key not in DERIVATION_KEYS:
            raise InputError(where, f"unknown key {key!r} in a derivation{_close(key, DERIVATION_KEYS)}")
    name = table.get("name", f"derivation {index + 1}")
    if not isinstance(name, str) or not name:
        raise InputError(where, "'name' must be a non-empty string")
    if ("lines" in table) == ("latex" in table):
        raise InputError(where, f"derivation {name!r} needs either 'lines' (plain syntax) or 'latex', not both or neither")
    is_latex = "latex" in table
    texts = _string_list(table, "latex" if is_latex else "lines", where)
    if len(texts) < 2:
        raise InputError(where, f"derivation {name!r} needs at least two lines to make a step")
    variables = _string_list(table, "variables", where) if "variables" in table else None
    cursor = start
    substitutions: list[tuple[str, ir.Expr]] = []
    hypotheses: list[ir.Rel] = []
    for text in _string_list(table, "assume", where):
        at, cursor = strings.locate(text, cursor)
        got = plain.parse_assumption(text, at, plain.Scope(scope.functions, None))
        if isinstance(got[0], str):
            substitutions.append(got)
        else:
            hypotheses.extend(got)
    allowed = None if variables is None else frozenset(variables) | {n for n, _ in substitutions}
    line_scope = plain.Scope(scope.functions, allowed)
    lines = []
    cursor = start
    for text in texts:
        at, cursor = strings.locate(text, cursor)
        if is_latex:
            expr = latex.parse_latex(text, at.shifted, line_scope)
        else:
            expr = plain.parse_expr(text, at, line_scope)
        lines.append(Line(text, expr, at))
    expect = _string_list(table, "expect", where)
    for e in expect:
        if e not in EXPECTATIONS:
            raise InputError(where, f"expect {e!r} is not one of {', '.join(EXPECTATIONS)}")
    if len(expect) > len(lines) - 1:
        raise InputError(where, f"'expect' has {len(expect)} entries but {name!r} has {len(lines) - 1} steps")
    return Derivation(label, name, where, tuple(lines), tuple(hypotheses), tuple(substitutions), tuple(expect))
