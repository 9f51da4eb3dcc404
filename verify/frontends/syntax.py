"""An expression, definition or hypothesis written in either syntax, where the input does not say which:
`assume` entries, [definitions], verify: comments, and --define and --assume on the command line.

The rule: text with a backslash or a brace is LaTeX. Other text is read in the plain syntax, and only
where the plain syntax cannot read it, as LaTeX (so `y_hat` is the name y_hat, and `2x` is 2*x).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from .. import calculus, ir
from ..errors import InputError, Location
from . import latex, plain
from .indices import INDEX_LETTERS, SIZE_LETTERS, Instance
from .names import Scope, name as canonical
from .reading import CONSTANT_MEANING, Reading, check_products


def is_latex(text: str) -> bool:
    return any(c in text for c in "\\{}")


def read_expression(text: str, at: Location, scope: Scope, bound: frozenset[str] = frozenset(),
                    macros: latex.Macros | None = None) -> Reading:
    if is_latex(text):
        return latex.parse_latex(text, at.shifted, scope, bound, macros)
    try:
        reading = Reading(plain.parse_expr(text, at, scope, bound))
    except InputError as plain_error:
        try:
            return latex.parse_latex(text, at.shifted, scope, bound, macros)
        except InputError:
            raise plain_error from None
    try:  # mx + c is the name mx in the plain syntax and m times x in LaTeX: the text must say which
        other = latex.parse_latex(text, at.shifted, scope, bound, macros)
    except InputError:
        return reading
    mine, theirs = ir.free_names(reading.expr), ir.free_names(other.expr)
    extra = theirs - mine
    glued = {n: sorted((m for m in extra if m in n), key=n.index) for n in sorted(mine - theirs) if len(n) > 1}
    glued = {n: parts for n, parts in glued.items() if sum(map(len, parts)) >= len(n)}  # mx: m, x; wX_1: w, X_1
    if glued:
        raise InputError(at, f"{', '.join(glued)} is one name in the plain syntax but a product in LaTeX; write "
                             f"{' and '.join('*'.join(parts) for parts in glued.values())} for a product, or a name "
                             "of one letter, \\mathrm{...} or \\text{...} for one name")
    return reading


@dataclass(frozen=True)
class NameDefinition:
    """`y = expr`: the name stands for the expression in every line."""

    name: str
    value: ir.Expr
    where: Location
    more: tuple[tuple[str, ir.Expr], ...] = ()  # p_2, p_3, ...: the other instances of an indexed definition p_j

    def pairs(self) -> tuple[tuple[str, ir.Expr], ...]:
        return ((self.name, self.value), *self.more)


_LATEX_RELATION = re.compile(r"\\(?:leq?|geq?|neq?|lt|gt|leqslant|geqslant)(?![A-Za-z])|<=|>=|!=|<|>|≤|≥|≠")
_PLAIN_RELATION = re.compile(r"<=|>=|!=|<|>|≤|≥|≠")
_LATEX_OPS = {"\\le": "<=", "\\leq": "<=", "\\leqslant": "<=", "\\ge": ">=", "\\geq": ">=", "\\geqslant": ">=",
              "\\ne": "!=", "\\neq": "!=", "\\lt": "<", "\\gt": ">", "<=": "<=", ">=": ">=", "!=": "!=", "<": "<",
              ">": ">", "≤": "<=", "≥": ">=", "≠": "!="}
_EQUALS = re.compile(r"(?<![<>!=:])(:=|=)(?!=)")


def _equals(text: str) -> re.Match | None:
    """The first '=' or ':=' outside braces (not the one in \\sum_{k=1}^{n})."""
    for m in _EQUALS.finditer(text):
        if text.count("{", 0, m.start()) == text.count("}", 0, m.start()):
            return m
    return None


def _name_of(left: str, at: Location, latex_syntax: bool, scope: Scope) -> str | None:
    """The variable that `left` names (y, y_hat, \\hat{y}, z_{1}), or None."""
    if not latex_syntax and re.fullmatch(r"\s*[A-Za-z_]\w*\s*", left):
        if scope.indices is None:
            return left.strip()
        e = plain.parse_expr(left, at, scope.with_names({}).with_variables(None))  # p_j is p_2 where j = 2
        return e.name if isinstance(e, ir.Var) else left.strip()
    if not left.strip():
        return None
    try:
        e = latex.parse_latex(left, at.shifted, scope.with_names({}).with_variables(None)).expr
    except InputError:
        return None
    return e.name if isinstance(e, ir.Var) else None


def read_assumption(text: str, at: Location, scope: Scope,
                    macros: latex.Macros | None = None, indexed: bool = True) -> NameDefinition | tuple[ir.Rel, ...]:
    """`name = expr` (or :=), a defining equation, or a chain of inequalities such as 0 < p < 1."""
    latex_syntax = is_latex(text)
    m = _equals(text)
    if m and indexed and scope.indices is not None:
        letters = _template_letters(text[:m.start()], at, latex_syntax, scope)
        if letters:
            return _indexed_definition(text, at, scope, macros, letters)
    if m:
        n = _name_of(text[:m.start()], at, latex_syntax, scope)
        if n is None:
            _not_a_constant(text[:m.start()], at, scope, macros)
            if m.group(1) == ":=":  # a definition, never an equation to solve for some other name
                raise InputError(at, _not_a_name(text[:m.start()], at, latex_syntax, scope, macros))
            return _solved(text, m, at, scope, macros)
        if n in ir.CONSTANTS:
            _not_a_constant(text[:m.start()], at, scope, macros)
        if n in ir.CONSTANTS or n in ir.FUNCTIONS or n in scope.functions:
            raise InputError(at, f"{n!r} is already a constant or function and cannot be defined here")
        unknown = _unspecified(text[:m.start()], text[m.end():], n, at, latex_syntax, scope)
        if unknown is not None:
            return NameDefinition(n, unknown, at)
        value = read_body(text[m.end():], at.shifted(m.end()), scope, macros=macros)
        return NameDefinition(n, value, at)
    if latex_syntax and re.search(r"\\in(?![A-Za-z])|\\wedge|\\land", text):  # x \in (0, 1), x > 0 \wedge y > 0
        return latex.read_conditions(text, at.shifted, scope, macros)
    relation = _LATEX_RELATION if latex_syntax else _PLAIN_RELATION
    pieces = relation.split(text)
    ops = [_LATEX_OPS[o] for o in relation.findall(text)]
    if not ops:
        raise InputError(at, "a hypothesis must be a comparison such as 'x > 0' or '0 <= p <= 1'")
    spans, offset = [], 0
    for piece in pieces:
        start = text.index(piece, offset)
        spans.append((start, piece))
        offset = start + len(piece)
    inner = scope.with_variables(None)

    def side(start: int, piece: str) -> ir.Expr:
        if not piece.strip():
            raise InputError(at.shifted(start), "each side of a comparison needs an expression")
        return read_expression(piece, at.shifted(start), inner, macros=macros).expr

    rest = [side(start, piece) for start, piece in spans[1:]]
    first_start, first = spans[0]
    subjects = first.split(",") if len(ops) == 1 and "(" not in first else [first]  # x, y > 0
    out = []
    for subject in subjects:
        chain = [side(first_start + first.index(subject), subject), *rest]
        out += [ir.Rel(op, a, b) for op, a, b in zip(ops, chain, chain[1:])]
    return tuple(out)


def _template_letters(left: str, at: Location, latex_syntax: bool, scope: Scope) -> list[str]:
    """The index letters in the subscript of the name a definition defines (j in p_j, i in \\hat{y}_i)."""
    n = _name_of(left, at, latex_syntax, scope.with_indices(None))
    if n is None:
        return []
    declared = set(scope.index_values())
    # a size with a value in the instance is that value, not a letter to run over: y_n := 1 - \\sum_{j<n} y_j
    # defines the last y alone (run over, it fixed every y_k to 1 - the ones before: y = (1, 0, ...))
    fixed = {c for c in declared if c in SIZE_LETTERS}
    letters: list[str] = []
    for part in n.split("_")[1:]:
        if part.isalpha() and all(c in INDEX_LETTERS or c in declared for c in part):
            letters += [c for c in part if c not in letters and c not in fixed]
    return letters


def _indexed_definition(text: str, at: Location, scope: Scope, macros: latex.Macros | None,
                        letters: list[str]) -> NameDefinition:
    """p_j = e^{o_j} / \\sum_k e^{o_k}: the definition of every p_1 .. p_n, each read with its own j."""
    instance = scope.indices
    assert instance is not None
    top = instance.largest()
    own = max((v for _, v in instance.values), default=1)  # indices the instance's own values reach
    found: list[NameDefinition] = []
    for values in itertools.product(*(range(1, top + 1) for _ in letters)):
        each = {**dict(instance.values), **dict(zip(letters, values))}
        try:
            got = read_assumption(text, at, scope.with_indices(Instance(tuple(each.items()), instance.ends)), macros,
                                  indexed=False)
        except InputError:
            if max(values) <= own:
                raise
            continue  # only a range's end reaches it (p_10 where n = 9..10, in the instance n = 9)
        assert isinstance(got, NameDefinition), "a definition read with its indices set stays a definition"
        found.append(got)
    first = found[0]
    return NameDefinition(first.name, first.value, at, tuple(p for d in found[1:] for p in d.pairs()))


def _not_a_name(left: str, at: Location, latex_syntax: bool, scope: Scope, macros: latex.Macros | None) -> str:
    """Why `left := ...` defines nothing: the left side is not one name (ell_j in LaTeX is e·l·l_j)."""
    why = ""
    if latex_syntax:
        try:
            why = f"; it reads as {ir.show(latex.parse_latex(left, at.shifted, scope.with_variables(None)).expr)}"
        except InputError as exc:
            why = f": {exc.message}"
    return f"the left side of ':=' must be one name, as in y := ... or p_j := ...{why}"


def _not_a_constant(left: str, at: Location, scope: Scope, macros: latex.Macros | None) -> None:
    """`e = y - \\hat y`, `\\pi = 2w`: the left side is a number, so the line can neither define it nor be
    solved as an equation without changing what e or pi means everywhere else."""
    try:
        e = read_expression(left, at, scope.with_variables(None), macros=macros).expr
    except InputError:
        return
    if isinstance(e, ir.Const):
        raise InputError(at, f"{left.strip()} is {CONSTANT_MEANING[e.name]} in verify, so it cannot be defined; if it "
                             "names a quantity here, write another letter for it")
    if not ir.free_names(e):
        raise InputError(at, f"the left side {left.strip()} is a number, so it cannot be defined; a definition "
                             "needs a name on its left, as in 'y = 1/(1 + exp(-z))'")


def _solved(text: str, m: re.Match, at: Location, scope: Scope, macros: latex.Macros | None) -> NameDefinition:
    """An equation such as y_1 + y_2 + y_3 = 1, solved for a variable it is linear in (the last such, by
    name), and substituted like a definition: the lines' claims under the equation, exactly."""
    inner = scope.with_variables(None)
    lhs, rhs = (read_expression(piece, at.shifted(start), inner, macros=macros).expr
                for start, piece in ((0, text[:m.start()]), (m.end(), text[m.end():])))
    f = calculus.expand_derivatives(ir.sub(lhs, rhs))
    for v in sorted(ir.free_names(f) - set(scope.names), reverse=True):
        slope = calculus.derivative(f, v)
        if isinstance(slope, ir.Num) and slope.value != 0:
            rest = ir.substitute(f, {v: ir.ZERO})
            k = ir.num(-1 / slope.value)
            value = ir.add(*(ir.mul(k, t) for t in (rest.terms if isinstance(rest, ir.Add) else (rest,))))
            return NameDefinition(v, ir.Held(value), at)
    raise InputError(at, "a hypothesis that is an equation needs a variable with a constant coefficient (as in "
                         "y_1 + y_2 = 1), so that verify can solve it for that variable; a definition needs a name "
                         "on its left, as in 'y = 1/(1 + exp(-z))'")


def _unspecified(left: str, right: str, n: str, at: Location, latex_syntax: bool, scope: Scope) -> ir.Unknown | None:
    """`y = y(x)`, `u := u(x)`, `\\hat y = \\hat y(z)`: y is a differentiable function of x that the
    derivation does not specify, or None if `right` is not the name applied to variables."""
    right = right.strip()
    if not right.startswith(left.strip()) or not right.endswith(")"):
        return None
    inside = right[len(left.strip()):].strip()
    if not (inside.startswith("(") and inside.count("(") == 1):
        return None
    args = [_name_of(a, at, latex_syntax, scope) for a in inside[1:-1].split(",")]
    if not all(args) or len(set(args)) != len(args) or n in args:
        raise InputError(at, f"write {n} = {n}(x) or {n} = {n}(x, y), with distinct variables, for a function "
                             "that the derivation does not specify")
    return ir.Unknown(n, tuple(args), (0,) * len(args))


_HEAD = re.compile(
    r"\s*(?:\\operatorname\{([A-Za-z]\w*)\}|\\([A-Za-z]+)|([A-Za-z]\w*))\s*\(([^()]*)\)\s*(?::=|=(?!=))"
)


def function_head(text: str) -> re.Match | None:
    """`f(x) :=`, `\\sigma(x) =`, `\\operatorname{softplus}(x) :=` at the start of `text`."""
    return _HEAD.match(text)


def read_head(text: str, at: Location, scope: Scope) -> tuple[str, tuple[str, ...], int]:
    """The name and parameters of `f(x, y) :=` at the start of `text`, and where its body starts."""
    m = _HEAD.match(text)
    assert m is not None, "callers read a head only where function_head matched"
    head = canonical(m.group(1) or m.group(2) or m.group(3))
    params = tuple(canonical(p.strip().lstrip("\\")) for p in m.group(4).split(","))
    if head in latex.FUNCTION_COMMANDS and head not in scope.functions:
        raise InputError(at, f"{head!r} is built in and cannot be redefined; choose another name")
    plain.check_function_name(head, params, at)
    if not all(re.fullmatch(r"[A-Za-z]\w*", p) for p in params):
        raise InputError(at.shifted(m.start(4)), "the parameters must be names, as in f(x, y)")
    return head, params, m.end()


def read_function(text: str, at: Location, scope: Scope, macros: latex.Macros | None = None) -> ir.Function:
    """`f(x, y) := body` in either syntax."""
    head, params, start = read_head(text, at, scope)
    body = read_body(text[start:], at.shifted(start), scope, frozenset(params), macros)
    return ir.Function(head, params, body)


def read_body(text: str, at: Location, scope: Scope, params: frozenset[str] = frozenset(),
              macros: latex.Macros | None = None) -> ir.Expr:
    """The body of a definition: an expression whose every name(...) is a defined function or a product
    with a variable the body also uses, and which states no condition."""
    r = read_expression(text, at, scope.with_variables(None), params, macros)
    if r.conditions:
        raise InputError(at, "a definition cannot hold a condition; state it as a hypothesis (assume x > 0)")
    problem = check_products([r], params | frozenset(scope.names))[0]
    if problem is not None:
        raise problem
    return r.expr
