"""Proof files in TOML: [definitions], [latex.macros] and [[derivation]] tables."""

from __future__ import annotations

import difflib
import re
import tomllib
from pathlib import Path

from .. import ir
from ..derivation import EXPECTATIONS, Derivation, Line
from ..errors import InputError, Location, once
from ..instances import show
from . import indices, latex, plain, syntax
from .names import PRELUDE, Scope, cycle
from .reading import Reading, check_products, glued_name
from .source import offset_location, read_text

TOP_KEYS = ("title", "source", "definitions", "latex", "derivation", "indices", "where")
DERIVATION_KEYS = ("name", "lines", "latex", "variables", "assume", "expect", "indices", "where")
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"' + r"|'[^'\n]*'")
_HEADER = re.compile(r"^\s*\[\[\s*derivation\s*\]\]", re.M)
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\t]")
_ESCAPES = {"\t": "\\t (a tab)", "\n": "\\n (a new line)", "\f": "\\f (a form feed)", "\b": "\\b (a backspace)",
            "\r": "\\r (a carriage return)"}


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

    def key(self, name: str, after: int) -> Location:
        """Where the key `name` is set, at or after offset `after` (else the place `after` is)."""
        m = re.compile(rf'^[ \t]*(?:{re.escape(name)}|"{re.escape(name)}"|\'{re.escape(name)}\')[ \t]*=', re.M).search(
            self.text, after)
        return offset_location(self.label, self.text, m.start() + len(m.group(0)) - len(m.group(0).lstrip())
                               if m else after)

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


TOML_ESCAPES = ("in a TOML string in double quotes, a backslash starts an escape; write LaTeX in single quotes, as "
                "in latex = ['\\tanh(x)'], or double each backslash")


def check_latex_string(text: str, at: Location, advice: str = TOML_ESCAPES) -> None:
    """A string in double quotes (TOML, JSON, Python) turns \\t, \\f, \\b, \\n and \\r into control
    characters: where LaTeX was meant, that is an error, never a misreading of \\tanh as a tab and 'anh'."""
    m = _CONTROL.search(text)
    if m:
        what = _ESCAPES.get(m.group(0), f"the control character {m.group(0)!r}")
        raise InputError(at, f"this string holds {what} where LaTeX was expected: {advice}")


def load(path: Path, label: str, macros: latex.Macros | None = None) -> tuple[list[Derivation], list[InputError]]:
    """Every derivation of the file that could be read, and an error for each part that could not."""
    return load_text(read_text(path, label), label, macros)


def load_text(text: str, label: str, macros: latex.Macros | None = None) -> tuple[list[Derivation], list[InputError]]:
    """The same for the text of a proof file."""
    text = text.removeprefix("\ufeff")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        where = Location(label, int(m.group(1)), int(m.group(2))) if m else Location(label)
        if "(at end of document)" in str(exc):  # an unclosed [ or string: where the file ends
            last = text.rstrip("\n").split("\n")
            where = Location(label, len(last), len(last[-1]) + 1)
        message = re.sub(r"\s*\(at (?:line|end of document).*\)$", "", str(exc))
        hint = ""
        if "Unescaped '\\'" in message or "hex value" in message:
            hint = ("; in a TOML string in double quotes a backslash starts an escape: write LaTeX in single quotes, "
                    "as in latex = ['\\sigma(x)'], or double each backslash")
        raise InputError(where, f"this is not valid TOML: {message}{hint}") from None
    if "derivation" not in data and not difflib.get_close_matches("derivation", list(data), n=1):
        return [], []  # another kind of TOML file (pyproject.toml, say): nothing to check here
    strings = _Strings(label, text)
    errors: list[InputError] = []
    for key in data:
        if key not in TOP_KEYS:
            errors.append(InputError(strings.key(key, 0), f"unknown key {key!r}{_close(key, TOP_KEYS)}; the keys are "
                                                      f"{', '.join(TOP_KEYS)}"))
    macros = {**(macros or {}), **_macros(data.get("latex", {}), strings, errors)}
    file_spec = None
    if "indices" in data or "where" in data:
        try:
            file_spec = indices.from_table(data.get("indices", {}), Location(label), data.get("where", ""))
        except InputError as exc:
            errors.append(exc)
    scopes: dict[indices.Instance | None, Scope] = {}
    unread: set[indices.Instance | None] = set()  # a defined name (or any definition of an instance) unread

    def scope_of(instance: indices.Instance | None, where: Location) -> Scope:
        """The file's [definitions], read for this instance. Where a name among them could not be read
        (or any definition of an instance), the derivation is not checked: the name would be a variable."""
        if instance not in scopes:
            found: list[InputError] = []
            names: list[str] = []
            scopes[instance] = _definitions(data.get("definitions", {}), strings, found, macros, instance, names)
            errors.extend(found)
            if names or found and instance is not None:
                unread.add(instance)
        if instance in unread:
            raise InputError(where, "not checked, since [definitions] could not be read"
                                    + (f" for {show(instance.values)}" if instance else "")
                                    + " (see the error)")
        return scopes[instance]

    tables = data.get("derivation", [])
    if not isinstance(tables, list):
        raise InputError(Location(label), "write each derivation as a [[derivation]] table")
    starts = [m.start() for m in _HEADER.finditer(text)] + [len(text)] * len(tables)
    derivations, names = [], set()
    for i, table in enumerate(tables):
        where = offset_location(label, text, starts[i])
        try:
            parts = [_derivation(table, i, label, where, starts[i], strings, scope_of(instance, where), macros)
                     for instance in _instances(table, file_spec, where)]
        except InputError as exc:
            errors.append(exc)
            continue
        family = [d for made, _ in parts for d in made]
        errors.extend(e for _, unread in parts for e in unread)
        if not family:
            continue
        d = family[0]
        if d.name in names:
            errors.append(InputError(where, f"the name {d.name!r} is used twice in this file; names must be unique"))
            continue
        names.add(d.name)
        derivations += family
    return derivations, once(errors)


def _macros(table, strings: _Strings, errors: list[InputError]) -> latex.Macros:
    """[latex.macros]: '\\paren' = '\\left(#1\\right)'."""
    out: latex.Macros = {}
    if not isinstance(table, dict) or not set(table) <= {"macros"} or not isinstance(table.get("macros", {}), dict):
        errors.append(InputError(Location(strings.label), "[latex] holds one table, [latex.macros], of "
                                                          "'\\name' = 'body' entries"))
        return out
    cursor = 0
    for name, body in table.get("macros", {}).items():
        at, cursor = strings.locate(name, cursor)
        try:
            if not isinstance(body, str):
                raise InputError(at, f"the macro {name} must be a string, such as '\\left(#1\\right)'")
            body_at, cursor = strings.locate(body, cursor)
            check_latex_string(name + body, at)
            macro = latex.from_table(name, body, body_at.shifted)
            out[macro.name] = macro
        except InputError as exc:
            errors.append(exc)
    return out


def _instances(table, file_spec: indices.Spec | None, where: Location) -> list[indices.Instance | None]:
    """The instances a [[derivation]] is checked for: those of its `indices` and `where`, over the file's."""
    if not isinstance(table, dict):
        return [None]  # _derivation says what is wrong
    own_where = table.get("where", "")
    if not isinstance(own_where, str):
        raise InputError(where, "'where' must be a string, such as where = \"i != j\"")
    spec = file_spec
    if "indices" in table:
        own = indices.from_table(table["indices"], where)
        spec = own if file_spec is None else file_spec.merged(own)
    if spec is None:
        if own_where:
            raise InputError(where, "'where' restricts declared indices; declare them, as in indices = { i = \"1..n\" }")
        return [None]
    return indices.instances(spec.restricted(own_where), where)


def _definitions(table, strings: _Strings, errors: list[InputError], macros: latex.Macros,
                 instance: indices.Instance | None = None, unread_names: list[str] | None = None) -> Scope:
    """[definitions]: functions (f(x) = ...) and names (y = ..., p_j = ... for every j where indices are
    declared), read for the instance; `unread_names` receives the names that could not be read."""
    scope = PRELUDE.with_indices(instance).defined("under [definitions]")
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
            if not syntax.function_head(head + " ="):
                if unread_names is not None:
                    unread_names.append(head)  # until it is read
                got = syntax.read_assumption(f"{head} = {body}", head_at, scope.with_variables(None), macros) \
                    if re.fullmatch(r"[^=<>]+", head) else None
                if not isinstance(got, syntax.NameDefinition):
                    raise InputError(head_at, f"a definition's name must look like f(x), f(x, y) or a name such as y or "
                                              f"p_j, not {head!r}")
                scope = scope.with_names({**scope.names, **dict(got.pairs())})
                if unread_names is not None:
                    unread_names.pop()
                continue
            fname, params, _ = syntax.read_head(head + " =", head_at, scope)
            value = syntax.read_body(body, body_at, scope.with_names({}).with_variables(None), frozenset(params), macros)
            scope = scope.with_function(ir.Function(fname, params, value))
        except InputError as exc:
            errors.append(exc)
    return scope


def _derivation(table, index: int, label: str, where: Location, start: int, strings: _Strings,
                scope: Scope, macros: latex.Macros) -> tuple[list[Derivation], list[InputError]]:
    """The derivation of a table; where some of its lines cannot be read, each run of readable ones, and an
    error for every line that could not be read (an instance of declared indices is read whole or not at all)."""
    if not isinstance(table, dict):
        raise InputError(where, "a [[derivation]] must be a table")
    for key in table:
        if key not in DERIVATION_KEYS:
            raise InputError(strings.key(key, start), f"unknown key {key!r} in a derivation"
                                                      f"{_close(key, DERIVATION_KEYS)}")
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
    definitions: dict[str, ir.Expr] = {}
    places: dict[str, Location] = {}
    hypotheses: list[ir.Rel] = []
    for text in _string_list(table, "assume", where):
        at, cursor = strings.locate(text, cursor)
        got = syntax.read_assumption(text, at, scope.with_names({**scope.names, **definitions}).with_variables(None),
                                     macros)
        if isinstance(got, syntax.NameDefinition):
            for n, value in got.pairs():
                if n in definitions:
                    raise InputError(at, f"{n} is defined twice in this derivation")
                definitions[n], places[n] = value, at
        else:
            hypotheses.extend(got)
    definitions = {**{n: v for n, v in scope.names.items() if n not in definitions}, **definitions}
    loop = cycle(definitions)
    if loop:
        raise InputError(places.get(loop[0], where), f"{' = ... '.join(loop)}: this definition refers to itself; a name cannot "
                                          "be defined in terms of itself (write an equation as a hypothesis instead)")
    allowed = None if variables is None else frozenset(variables) | set(definitions)
    line_scope = scope.with_names(definitions).with_variables(allowed)
    readings: list[Reading] = []
    places_of_lines = []
    cursor = start
    unread: list[InputError] = []
    for text in texts:
        at, cursor = strings.locate(text, cursor)
        try:
            if is_latex:
                check_latex_string(text, at)
                readings.append(latex.parse_latex(text, at.shifted, line_scope, macros=macros))
            else:
                readings.append(Reading(plain.parse_expr(text, at, line_scope)))
        except InputError as exc:
            if scope.indices is not None:  # an instance is read whole or not at all (indices.complete)
                raise
            unread.append(exc)
            readings.append(None)
        places_of_lines.append(at)
    read = [(k, r) for k, r in enumerate(readings) if r is not None]
    for problem in check_products([r for _, r in read], frozenset(definitions) | frozenset(variables or ()),
                                  [places_of_lines[k] for k, _ in read]):
        if problem is not None:
            raise problem
    glued = None if is_latex or variables is not None else glued_name([r.expr for _, r in read], frozenset(definitions))
    if glued is not None:
        raise InputError(where, f"{glued} (or list the names under variables)")
    lines = [Line(text, r.expr, at, r.hint, r.notes, r.conditions, is_latex) if r is not None else None
             for text, r, at in zip(texts, readings, places_of_lines)]
    expect = _string_list(table, "expect", where)
    for e in expect:
        if e not in EXPECTATIONS:
            raise InputError(strings.key("expect", start), f"expect {e!r} is not one of {', '.join(EXPECTATIONS)}")
    if len(expect) > len(lines) - 1:
        raise InputError(strings.key("expect", start), f"'expect' has {len(expect)} entries but {name!r} has "
                                                       f"{len(lines) - 1} "
                                f"step{'s' if len(lines) != 2 else ''}")
    conditions = tuple(c for _, r in read for c in r.conditions)

    def made(first: int, last: int, title: str) -> Derivation:
        return Derivation(label, title, where if first == 0 else lines[first].where, tuple(lines[first:last + 1]),
                          tuple(hypotheses) + conditions, tuple(definitions.items()), tuple(expect[first:last]),
                          scope.indices.values if scope.indices is not None else ())

    if not unread:
        return [made(0, len(lines) - 1, name)], []
    # as in documents, the steps between readable lines are checked, each run of them on its own
    runs, run = [], []
    for k, line in enumerate([*lines, None]):
        if line is None:
            if len(run) >= 2:
                runs.append((run[0], run[-1]))
            run = []
        else:
            run.append(k)
    return [made(a, b, f"{name}, lines {a + 1} to {b + 1}") for a, b in runs], unread
