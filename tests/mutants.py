"""Single-slip variants of a line, the mistakes people make when they derive by hand."""

from __future__ import annotations

from typing import Callable, Iterator

from verify import ir
from verify.ir import Add, Call, Diff, Expr, Mul, Num, Pow

Slip = tuple[str, Expr]
TWO = ir.num(2)


def _local(e: Expr) -> Iterator[Slip]:
    """Slips at the root of `e`."""
    if isinstance(e, Call) and e.func == "exp":
        yield "exponent sign", ir.call("exp", ir.neg(e.arg))
    if isinstance(e, Pow):
        yield "exponent sign", ir.power(e.base, ir.neg(e.exp))
        if isinstance(e.exp, Num):
            yield "exponent + 1", ir.power(e.base, Num(e.exp.value + 1))
            yield "exponent - 1", ir.power(e.base, Num(e.exp.value - 1))
        yield "reciprocal", e.base if e.exp == ir.MINUS_ONE else ir.power(e, ir.MINUS_ONE)
    if isinstance(e, Add):
        for i, t in enumerate(e.terms):
            yield "term sign", ir.add(*e.terms[:i], ir.neg(t), *e.terms[i + 1:])
    if isinstance(e, Mul):
        for i, f in enumerate(e.factors):
            if f == TWO:
                yield "factor 2 dropped", ir.mul(*e.factors[:i], *e.factors[i + 1:])
            elif len(e.factors) > 1 and not isinstance(f, Num):
                yield "chain-rule factor dropped", ir.mul(*e.factors[:i], *e.factors[i + 1:])
    if not isinstance(e, Num) or e.value != 0:
        yield "factor 2 added", ir.mul(TWO, e)


def slips(e: Expr) -> Iterator[Slip]:
    """Every single slip anywhere in `e` (each changes one place)."""
    yield from _local(e)
    for i, c in enumerate(ir.children(e)):
        for kind, changed in slips(c):
            yield kind, ir.with_child(e, i, changed)


def unique_slips(e: Expr, keep: Callable[[Expr], bool] = lambda _: True) -> list[Slip]:
    seen, out = {ir.show(e)}, []
    for kind, m in slips(e):
        key = ir.show(m)
        if key not in seen and keep(m):
            seen.add(key)
            out.append((kind, m))
    return out
