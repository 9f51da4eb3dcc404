"""The slips people make when they derive by hand, and the single edits that undo them.

`edits` proposes, for a refuted step, every single edit of the written right side
that undoes one slip of the catalogue. Nothing here decides anything: explain.py
keeps only the edits that the engines prove.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Iterator

from . import calculus, ir
from .ir import Add, Apply, Call, Const, Diff, Expr, Mul, Num, Pow, Var


@dataclass(frozen=True)
class Slip:
    name: str  # what went wrong, in a few words
    rule: str  # the rule a learner should remember


CATALOGUE = {
    "reciprocal-derivative": Slip("the derivative of a reciprocal",
                                  "the derivative of 1/u is −u′/u², not 1/u′"),
    "exponent-sign": Slip("the sign of an exponent", "an exponent has the wrong sign; e^{-x} = 1/e^{x}, "
                                                     "and d/dx e^{-x} = −e^{-x} by the chain rule"),
    "sign": Slip("a minus sign", "a minus sign is dropped or added, as is easy in the chain rule "
                                 "(d/dx e^{-x} = −e^{-x}) and the quotient rule (d/dx 1/u = −u′/u²)"),
    "chain-factor": Slip("a chain-rule factor", "the chain rule: d/dx f(g(x)) = f′(g(x))·g′(x), with the "
                                                "inner derivative g′(x) once, neither missing nor twice"),
    "power": Slip("a power off by one", "the power rule: d/dx xⁿ = n·xⁿ⁻¹, so the power drops by exactly one"),
    "swap": Slip("numerator and denominator swapped",
                 "a factor is below the fraction bar that belongs above it (or the other way round): a/b is not b/a"),
    "sigma-swap": Slip("σ and 1 − σ swapped", "σ(−x) = 1 − σ(x) and σ′ = σ(1 − σ): σ and 1 − σ are easy to swap"),
    "two": Slip("a factor of 2", "a factor of 2 is lost or extra, as from d/dx x² = 2x or sin 2x = 2 sin x cos x"),
    "product-rule": Slip("a term of the product rule", "the product rule: (uv)′ = u′v + uv′ has two terms"),
    "argument-sign": Slip("the sign of an argument", "a function's argument has the wrong sign: f(−x) is not f(x)"),
}


@dataclass(frozen=True)
class Edit:
    kind: str  # a key of CATALOGUE
    before: Expr  # the part of the right side as written
    after: Expr  # what it becomes
    line: Expr  # the whole right side after the edit


@dataclass(frozen=True)
class Calculus:
    """What the derivatives on the left give to look for: the inner derivatives (chain-rule factors),
    the terms of each product rule, and each derivative of a reciprocal 1/u as (u, u')."""

    inner: tuple[Expr, ...] = ()
    product_terms: tuple[Expr, ...] = ()
    reciprocals: tuple[tuple[Expr, Expr], ...] = ()


def _unfold(e: Expr) -> Expr:
    """A prelude function applied to arguments, as its body (sigma(x) as 1/(1 + exp(-x)))."""
    if isinstance(e, Apply) and not e.order and not any(isinstance(n, (Apply, Diff)) for n in ir.walk(e.func.body)):
        return ir.substitute(e.func.body, dict(zip(e.func.params, e.args)))
    return e


def _written_derivative(e: Expr, x: str) -> Expr:
    """d e/dx, worked out where `e` is plain functions, kept as a derivative where it applies a defined
    function (so a suggestion shows sigma, not its body)."""
    if any(isinstance(n, (Apply, Diff, ir.At, ir.Extremum, ir.Unknown)) for n in ir.walk(e)):
        return Diff(e, x)
    return calculus.derivative(e, x)


def calculus_of(lines: list[Expr]) -> Calculus:
    """The derivatives written in `lines` (the left side, and the lines before it)."""
    inner: list[Expr] = []
    terms: list[Expr] = []
    recips: list[tuple[Expr, Expr]] = []
    for line in lines:
        for node in ir.walk(line):
            if isinstance(node, Apply) and node.order and len(node.args) == 1 and isinstance(node.args[0], Var):
                node = Diff(ir.Apply(node.func, node.args), node.args[0].name, node.order)
            if not isinstance(node, Diff) or node.order != 1:
                continue
            x, body = node.var, _unfold(node.expr)
            for part in (node.expr, body):
                if isinstance(part, Mul) and sum(not isinstance(f, Num) for f in part.factors) > 1:
                    for i, f in enumerate(part.factors):
                        if not isinstance(f, Num) and x in ir.free_names(f):
                            terms.append(ir.mul(*part.factors[:i], _written_derivative(f, x), *part.factors[i + 1:]))
            core = body.factors[-1] if isinstance(body, Mul) and len(body.factors) == 2 and isinstance(
                body.factors[0], Num) else body
            if isinstance(core, Pow) and core.exp == ir.MINUS_ONE and x in ir.free_names(core.base):
                recips.append((core.base, _written_derivative(core.base, x)))
            for sub in ir.walk(body):
                args = (sub.arg,) if isinstance(sub, Call) else sub.args if isinstance(sub, Apply) else \
                    (sub.base, sub.exp) if isinstance(sub, Pow) else ()
                for g in args:
                    if isinstance(g, Var) or x not in ir.free_names(g):
                        continue
                    try:
                        dg = calculus.derivative(calculus.expand_derivatives(g), x)
                    except (TypeError, ValueError):
                        continue
                    if not (isinstance(dg, Num) and abs(dg.value) in (0, 1)):
                        inner.append(dg)
    unique = lambda xs: tuple({ir.show(e): e for e in xs}.values())
    return Calculus(unique(inner), unique(terms), tuple({ir.show(u): (u, d) for u, d in recips}.values()))


def _is_exp(e: Expr) -> bool:
    return isinstance(e, Call) and e.func == "exp" or isinstance(e, Pow) and isinstance(e.base, Const) \
        and e.base.name == "e"


def _local(e: Expr, top: bool) -> Iterator[tuple[str, Expr]]:
    """Edits at the root of `e`: (kind, what e becomes)."""
    if isinstance(e, Call) and e.func == "exp":
        yield "exponent-sign", ir.call("exp", ir.neg(e.arg))
    if isinstance(e, Pow):
        integer = isinstance(e.exp, Num) and e.exp.value.denominator == 1
        if not integer:
            yield "exponent-sign", ir.power(e.base, ir.neg(e.exp))
        if integer:
            for k in (e.exp.value + 1, e.exp.value - 1):
                if k:
                    yield "power", ir.power(e.base, Num(k))
        if isinstance(e.exp, Num) and e.exp.value < 0:
            yield "swap", ir.power(e.base, Num(-e.exp.value))
    if isinstance(e, Mul):
        top_f = [f for f in e.factors if not (isinstance(f, Pow) and isinstance(f.exp, Num) and f.exp.value < 0)]
        bottom = [f for f in e.factors if f not in top_f]
        if bottom:
            flipped = [ir.power(f, ir.MINUS_ONE) if not isinstance(f, Num) else Num(1 / f.value) for f in top_f
                       if not (isinstance(f, Num) and f.value == 0)]
            yield "swap", ir.mul(*flipped, *(ir.power(f.base, Num(-f.exp.value)) for f in bottom))
            for i, f in enumerate(e.factors):
                if f in top_f and not isinstance(f, Num):
                    yield "swap", ir.mul(*e.factors[:i], ir.power(f, ir.MINUS_ONE), *e.factors[i + 1:])
        c = e.factors[0]
        if isinstance(c, Num) and c.value.denominator == 1 and abs(c.value) >= 2:
            for k in (c.value - 1, c.value + 1):
                if k not in (2 * c.value, c.value / 2):  # 2 -> 1 is a lost factor of 2
                    yield "power", ir.mul(Num(k), *e.factors[1:])
        for i, f in enumerate(e.factors):
            if isinstance(f, Num) and f.value in (2, -2, Fraction(1, 2), Fraction(-1, 2)):
                yield "two", ir.mul(*e.factors[:i], Num(f.value / abs(f.value)), *e.factors[i + 1:])
    if isinstance(e, Add):
        for i, t in enumerate(e.terms):
            yield "sign", ir.add(*e.terms[:i], ir.neg(t), *e.terms[i + 1:])
        one = [i for i, t in enumerate(e.terms) if t == ir.ONE]
        rest = [t for t in e.terms if t != ir.ONE]
        if one and len(rest) == 1 and _negative_apply(rest[0]):
            yield "sigma-swap", ir.neg(rest[0])
    if isinstance(e, Apply) and not e.order and len(e.args) == 1:
        yield "sigma-swap", ir.sub(ir.ONE, e)
    if isinstance(e, (Apply, Call)) and not _is_exp(e):
        args = e.args if isinstance(e, Apply) else (e.arg,)
        if len(args) == 1 and not isinstance(args[0], Num):
            flipped = ir.neg(args[0])
            yield "argument-sign", Apply(e.func, (flipped,), e.order) if isinstance(e, Apply) else Call(e.func, flipped)
    if isinstance(e, Mul) or top:
        yield "two", ir.mul(ir.num(2), e)
        yield "two", ir.mul(ir.num(Fraction(1, 2)), e)


def _negative_apply(t: Expr) -> bool:
    return isinstance(t, Mul) and len(t.factors) == 2 and t.factors[0] == ir.MINUS_ONE and isinstance(
        t.factors[1], Apply)


def _everywhere(e: Expr, top: bool = True) -> Iterator[tuple[str, Expr, Expr, Expr]]:
    """(kind, before, after, e with the edit) for each local edit anywhere in `e`."""
    for kind, new in _local(e, top):
        yield kind, e, new, new
    for i, c in enumerate(ir.children(e)):
        for kind, before, after, changed in _everywhere(c, False):
            yield kind, before, after, ir.with_child(e, i, changed)


def edits(rhs: Expr, calc: Calculus) -> Iterator[Edit]:
    """The single edits of `rhs` that undo a slip, the likeliest kinds first, each line once."""
    seen = {ir.show(rhs)}
    found: list[Edit] = []

    def offer(kind: str, before: Expr, after: Expr, line: Expr) -> None:
        key = ir.show(line)
        if key not in seen:
            seen.add(key)
            found.append(Edit(kind, before, after, line))

    reciprocal = ir.is_reciprocal(rhs) or isinstance(rhs, Mul) and all(
        isinstance(f, Num) or ir.is_reciprocal(f) for f in rhs.factors)
    if reciprocal:
        for u, du in calc.reciprocals:
            right = ir.mul(ir.MINUS_ONE, du, ir.power(u, ir.num(-2)))
            offer("reciprocal-derivative", rhs, right, right)
    offer("sign", rhs, ir.neg(rhs), ir.neg(rhs))
    for d in calc.inner:
        offer("chain-factor", rhs, ir.mul(rhs, d), ir.mul(rhs, d))
        offer("chain-factor", rhs, ir.div(rhs, d), ir.div(rhs, d))
    for t in calc.product_terms:
        offer("product-rule", rhs, ir.add(rhs, t), ir.add(rhs, t))
    for kind, before, after, line in _everywhere(rhs):
        offer(kind, before, after, line)
    order = list(CATALOGUE)
    yield from sorted(found, key=lambda x: order.index(x.kind))
