"""SymPy's own LaTeX test pairs (sympy/parsing/tests/test_latex.py, GOOD_PAIRS): each LaTeX string with
the expression SymPy's parser must give, compared with verify's reading by value at sample points.

A pair fits a real-valued checker of equalities when its expression is built from numbers, plain
symbols, + * / and powers, the elementary functions, Abs, derivatives, and sums and products with
whole-number bounds, or is an equation of two such. Left out, with the reason: relations other than
'=' (verify reads chains of '='), functions nobody defined (f(x)), factorials, binomials, floor and
ceiling, limits, integrals, infinity, complex conjugates, bras and kets, symbols whose names hold
primes or spaces, and the pairs where SymPy reads \\pi as a plain symbol.
"""

from __future__ import annotations

import random
import re

import mpmath
import sympy
from sympy.core.function import AppliedUndef

from verify import calculus, numeric
from verify.errors import InputError, Location
from verify.frontends import blocks, latex

ALLOWED = (sympy.Symbol, sympy.Number, sympy.Add, sympy.Mul, sympy.Pow, sympy.exp, sympy.log, sympy.sin, sympy.cos,
           sympy.tan, sympy.cot, sympy.sec, sympy.csc, sympy.asin, sympy.acos, sympy.atan, sympy.sinh, sympy.cosh,
           sympy.tanh, sympy.Abs, sympy.Derivative, sympy.Sum, sympy.Product, sympy.Tuple,
           sympy.core.numbers.NumberSymbol)


def pairs() -> list[tuple[str, sympy.Basic]]:
    from sympy.parsing.tests.test_latex import GOOD_PAIRS

    return list(GOOD_PAIRS)


def why_left_out(expr) -> str | None:
    """None if the pair fits a real-valued checker, else the reason."""
    if isinstance(expr, sympy.Equality):
        return why_left_out(expr.lhs) or why_left_out(expr.rhs)
    if isinstance(expr, sympy.core.relational.Relational):
        return "a relation other than '='"
    if not isinstance(expr, sympy.Basic):
        return None
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, AppliedUndef):
            return "a function nobody defined"
        if isinstance(node, sympy.Symbol) and (node.name == "pi" or
                                               not re.fullmatch(r"[A-Za-z]+(_\{?\w+\}?)?", node.name)):
            return "SymPy reads \\pi as a symbol" if node.name == "pi" else "a symbol name with primes or spaces"
        if isinstance(node, (sympy.Sum, sympy.Product)) and \
                not all(b.is_Integer for _, *bs in node.limits for b in bs):
            return "a sum or product without whole-number bounds"
        if node in (sympy.oo, -sympy.oo, sympy.zoo, sympy.I):
            return "infinity or i"
        if not isinstance(node, ALLOWED) and not node.is_Atom:
            return type(node).__name__
    return None


def _value(e, point: dict[str, float]):
    e = sympy.sympify(e)
    subs = {s: point[re.sub(r"[{}]", "", s.name)] for s in e.free_symbols}
    v = e.doit().evalf(30, subs=subs)
    if not v.is_number or v.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo) or not v.is_real:
        return None
    return mpmath.mpf(str(v))


def _ours(e, point: dict[str, float]):
    with mpmath.workdps(30):
        try:
            return numeric._Evaluator({k: mpmath.mpf(v) for k, v in point.items()})(calculus.meaning(e))
        except (numeric.Undefined, ZeroDivisionError, ValueError, OverflowError, KeyError):
            return None


def agrees(text: str, expr, seed: int = 0) -> str | None:
    """None if verify reads `text` as `expr`, else what went wrong."""
    at = Location("<sympy pair>")
    try:
        if isinstance(expr, sympy.Equality):
            masked, _ = blocks.mask(text)
            [chain] = blocks.layout(masked).chains
            [a, b] = chain.lines
            readings = [latex.parse_latex(text[s:e], at.shifted).expr for s, e in (a, b)]
            wanted = [expr.lhs, expr.rhs]
        else:
            readings, wanted = [latex.parse_latex(text, at.shifted).expr], [expr]
    except InputError as exc:
        return f"not read: {exc.message}"
    rng = random.Random(seed)
    names = {re.sub(r"[{}]", "", s.name) for w in wanted for s in sympy.sympify(w).free_symbols}
    compared = 0
    for _ in range(12):
        point = {n: rng.choice((-1, 1)) * rng.uniform(0.1, 3) if rng.random() < 0.5 else rng.uniform(0.1, 3)
                 for n in names}
        for ours, theirs in zip(readings, wanted):
            want = _value(theirs, point)
            if want is None:
                continue
            got = _ours(ours, point)
            if got is None or abs(got - want) > mpmath.mpf(10) ** -12 * max(1, abs(want)):
                return f"read differently: {got} against SymPy's {want} at {point}"
            compared += 1
    return None if compared else "no point where SymPy's expression has a real value"
