"""One chain typed on the command line: `verify -e 'A = B = C'`, in the plain syntax or in LaTeX,
with the functions, names and hypotheses of --define and --assume."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .. import ir
from ..derivation import Derivation, Line
from ..errors import InputError, Location
from . import blocks, latex, plain, syntax
from .names import PRELUDE, Scope, cycle
from .reading import Reading, check_products, constant_head, definitions_problem, glued_name, head_definition

LABEL = "<command line>"
_DELIMITERS = re.compile(r"^\s*(\$\$|\$|\\\[|\\\()(.*?)(\$\$|\$|\\\]|\\\))\s*$", re.S)
_PAIRS = {"$$": "$$", "$": "$", "\\[": "\\]", "\\(": "\\)"}


@dataclass
class Context:
    """What --define, --assume and --macros say, for every -e chain."""

    scope: Scope = PRELUDE
    hypotheses: list[ir.Rel] = field(default_factory=list)
    macros: latex.Macros = field(default_factory=dict)
    labels: tuple[str, str] = ("<--define>", "<--assume>")  # where errors in definitions and hypotheses are

    def define(self, text: str, index: int) -> None:
        at = Location(self.labels[0], index, 1)
        if syntax.function_head(text):
            self.scope = self.scope.with_function(syntax.read_function(text, at, self.scope, self.macros))
            return
        define, assume = ("--define", "--assume") if self.labels[0] == "<--define>" else \
            ("a definition", 'the "assume" list')
        got = syntax.read_assumption(text, at, self.scope, self.macros) if "=" in text else None
        if not isinstance(got, syntax.NameDefinition):
            raise InputError(at, f"{define} takes a function (f(x) = ...) or a name (y = ...); use {assume} for a "
                                 "hypothesis such as x > 0")
        names = {**self.scope.names, **dict(got.pairs())}
        if cycle(names):
            raise InputError(at, f"{got.name} is defined in terms of itself")
        self.scope = self.scope.with_names(names)

    def assume(self, text: str, index: int) -> None:
        at = Location(self.labels[1], index, 1)
        got = syntax.read_assumption(text, at, self.scope, self.macros)
        if isinstance(got, syntax.NameDefinition):
            self.define(text, index)
        else:
            self.hypotheses.extend(got)


def is_latex(text: str) -> bool:
    return syntax.is_latex(text)


def _strip_math_delimiters(text: str) -> tuple[str, int]:
    """`$...$`, `$$...$$`, `\\[...\\]` and `\\(...\\)` around a pasted formula: the inside, and its offset."""
    m = _DELIMITERS.match(text)
    if m and _PAIRS[m.group(1)] == m.group(3):
        return m.group(2), m.start(2)
    return text, 0


def load(text: str, index: int = 1, context: Context | None = None, where: Location | None = None) -> Derivation:
    """One chain 'A = B = C' (LaTeX rows joined by `&=` and `\\\\` too); `where` is the place of its first
    character (a source.Spot locates the lines of a text of several)."""
    context = context or Context()
    context = replace(context, scope=context.scope.reading(text))
    where = where or Location(LABEL, index, 1)
    inner, offset = _strip_math_delimiters(text)
    read = _lines(inner, where.shifted(offset), context)
    if len(read) < 2:
        raise InputError(where, "write one chain of at least two lines joined by '=', such as 'A = B'")
    return _derivation(read, where, context, f"expression {index}")


def load_lines(rows: list[tuple[Location, str]], context: Context | None = None, name: str = "expression 1",
               where: Location | None = None) -> Derivation:
    """A chain given as its lines, one expression each, in the plain syntax or in LaTeX; `where` is the
    place of a chain with no lines."""
    context = context or Context()
    if len(rows) < 2:
        raise InputError(rows[0][0] if rows else where or Location(LABEL), "give at least two lines to make a step")
    context = replace(context, scope=context.scope.reading(" ".join(t for _, t in rows)))
    read = [(t, syntax.read_expression(t, at, context.scope, macros=context.macros), at, is_latex(t)) for at, t in rows]
    return _derivation(read, rows[0][0], context, name)


def _derivation(read: list[tuple[str, Reading, Location, bool]], where: Location, context: Context,
                name: str) -> Derivation:
    for problem in check_products([r for _, r, _, _ in read], frozenset(context.scope.names), [w for _, _, w, _ in read]):
        if problem is not None:
            raise problem
    glued = glued_name([r.expr for t, r, _, lat in read if not lat], frozenset(context.scope.names))
    if glued is not None:
        raise InputError(where, glued)
    lines = [Line(t.strip(), r.expr, at, r.hint, r.notes, r.conditions, lat) for t, r, at, lat in read]
    hyps = tuple(context.hypotheses) + tuple(c for _, r, _, _ in read for c in r.conditions)
    constant = constant_head([line.expr for line in lines], lines[0].text)
    if constant is not None:
        raise InputError(lines[0].where, constant)
    defined = head_definition([line.expr for line in lines], frozenset(context.scope.names), hyps)
    if defined is not None:
        if len(lines) < 3:
            raise InputError(where, f"{defined} is defined nowhere, so '{lines[0].text} = ...' reads as its "
                                    "definition and leaves nothing to check; define it with --define, or add lines")
        lines = [replace(lines[1], notes=lines[1].notes + (f"{lines[0].text} = ... defines {defined}, which is defined "
                                                           "nowhere else; the chain is checked from its second line",))] \
            + lines[2:]
    problem = definitions_problem(dict(context.scope.names))
    if problem is not None:
        raise InputError(where, problem)
    return Derivation(where.file, name, where, tuple(lines), hyps, tuple(context.scope.names.items()))


def _latex_lines(text: str, where: Location, context: Context) -> list[tuple[str, Reading, Location, bool]]:
    """The one chain of a LaTeX line, with the conditions written beside it (`, \\quad x > 0`) as
    conditions of its first line."""
    latex.check_braces(text, where.shifted)
    masked, above = blocks.mask(text)
    found = blocks.layout(masked)
    for s, e in found.other_relations[:1]:  # \lim_{x \to 0}, \approx: its own reason, where there is one
        if blocks.OTHER_RELATION.search(masked[s:e]):
            latex.parse_latex(masked[s:e], where.shifted(s).shifted, context.scope, macros=context.macros)
    if found.strays or found.other_relations or len(found.chains) != 1:
        at = (found.strays or found.other_relations or [(0, 0)])[0][0]
        raise InputError(where.shifted(at), "write one chain of equalities, such as 'A = B = C' (conditions such as "
                                            "', x > 0' may follow it)")
    [c] = found.chains
    conditions = tuple(r for s, e in found.conditions + c.conditions
                       for r in latex.read_conditions(masked[s:e], where.shifted(s).shifted, context.scope,
                                                      context.macros))
    conditions += tuple(r for at, remark in above.items() if blocks.has_inequality(remark)  # \overset{x > 0}{=}
                        for r in latex.read_conditions(remark, where.shifted(at).shifted, context.scope, context.macros))
    out = []
    for k, (s, e) in enumerate(c.lines):
        r = latex.parse_latex(masked[s:e], where.shifted(s).shifted, context.scope, macros=context.macros)
        if k == 0 and conditions:
            r = Reading(r.expr, r.hint, r.notes, r.conditions + conditions, r.products, r.variables, r.operators)
        out.append((blocks.as_written(text[slice(*blocks.widened(text, s, e))]), r, where.shifted(s), True))
    return out


def _lines(text: str, where: Location, context: Context) -> list[tuple[str, Reading, Location, bool]]:
    if is_latex(text):
        return _latex_lines(text, where, context)
    parts = plain.split_chain(text.replace("\n", " "))  # a chain over several lines; the offsets stay
    if len(parts) < 2:
        return []
    try:
        return [(t, Reading(plain.parse_expr(t, where.shifted(off), context.scope)), where.shifted(off), False)
                for off, t in parts]
    except InputError as plain_error:
        try:  # `2x = x + x` is not the plain syntax, but LaTeX reads it
            read = _latex_lines(text, where, context)
        except InputError as latex_error:
            if "unexpected character" in plain_error.message:  # x' = ...: LaTeX's message says more
                raise latex_error from None
            raise plain_error from None
        note = "read as LaTeX, since the plain syntax cannot read it"
        return [(t, Reading(r.expr, r.hint, r.notes + (note,), r.conditions, r.products, r.variables), at, True)
                for t, r, at, _ in read]
