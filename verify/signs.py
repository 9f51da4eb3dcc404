"""Positivity that the form of a real-arithmetic term shows on its own: 1 + t > 0 where t > 0.

Most side conditions of a step are of this kind (a sum of exponentials is not zero), and
answering them here spares a solver question. It is sound and incomplete: a term is called
positive only when every part of it is, so what it cannot tell is left to Z3.
"""

from __future__ import annotations

from collections.abc import Iterable

from . import ir
from .ir import Add, Mul, Num, Pow, Rel, Var


def positive_names(known: Iterable[Rel]) -> frozenset[str]:
    """The variables that `known` says outright are positive (v > 0, v >= 2, 0 < v)."""
    out = set()
    for r in known:
        if isinstance(r.lhs, Var) and isinstance(r.rhs, Num):
            v, op, c = r.lhs.name, r.op, r.rhs.value
        elif isinstance(r.rhs, Var) and isinstance(r.lhs, Num):
            v, op, c = r.rhs.name, {"<": ">", "<=": ">="}.get(r.op), r.lhs.value
        else:
            continue
        if op == ">" and c >= 0 or op == ">=" and c > 0:
            out.add(v)
    return frozenset(out)


def positive(e: ir.Expr, names: frozenset[str]) -> bool:
    """`e` is positive wherever the variables `names` are: built of positive parts by + * and powers."""
    if isinstance(e, Num):
        return e.value > 0
    if isinstance(e, Var):
        return e.name in names
    if isinstance(e, (Add, Mul)):
        parts = e.terms if isinstance(e, Add) else e.factors
        return all(positive(p, names) for p in parts)
    if isinstance(e, Pow):
        return isinstance(e.exp, Num) and e.exp.value.denominator == 1 and positive(e.base, names)
    return False


def implied(r: Rel, names: frozenset[str]) -> bool:
    """`r` holds wherever the variables `names` are positive, by the form of its sides alone."""
    zero = ir.ZERO
    if r.rhs == zero and r.op in (">", ">=", "!="):
        return positive(r.lhs, names)
    if r.lhs == zero and r.op in ("<", "<=", "!="):
        return positive(r.rhs, names)
    return False
