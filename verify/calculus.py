"""Derivatives and domain conditions, computed on the intermediate form.

Derivatives act on the real functions (exp stays exp) before any abstraction.
"""

from __future__ import annotations

from fractions import Fraction

from . import ir
from .ir import Add, Call, Const, Diff, Expr, Mul, Num, Pow, Rel, Var

_TWO = ir.num(2)


def _d_call(f: str, u: Expr) -> Expr:
    """d/du f(u)."""
    c = ir.call
    if f == "exp":
        return c("exp", u)
    if f == "log":
        return ir.power(u, ir.MINUS_ONE)
    if f == "sqrt":
        return ir.div(ir.ONE, ir.mul(_TWO, c("sqrt", u)))
    if f == "abs":
        return ir.div(u, c("abs", u))
    if f == "sin":
        return c("cos", u)
    if f == "cos":
        return ir.neg(c("sin", u))
    if f == "tan":
        return ir.power(c("cos", u), ir.num(-2))
    if f == "sinh":
        return c("cosh", u)
    if f == "cosh":
        return c("sinh", u)
    if f == "tanh":
        return ir.sub(ir.ONE, ir.power(c("tanh", u), _TWO))
    if f == "sech":
        return ir.neg(ir.mul(c("sech", u), c("tanh", u)))
    if f == "csch":
        return ir.neg(ir.mul(c("csch", u), c("coth", u)))
    if f == "erf":  # 2/sqrt(pi) exp(-u^2)
        return ir.mul(_TWO, ir.power(ir.Const("pi"), ir.num(Fraction(-1, 2))), c("exp", ir.neg(ir.power(u, _TWO))))
    if f == "coth":
        return ir.sub(ir.ONE, ir.power(c("coth", u), _TWO))
    raise ValueError(f"no derivative known for {f}")


def _depends(e: Expr, x: str) -> bool:
    return x in ir.free_names(e)


def derivative(e: Expr, x: str) -> Expr:
    """d e / d x, for an expression without Diff nodes."""
    if not _depends(e, x):
        return ir.ZERO
    if isinstance(e, Var):
        return ir.ONE
    if isinstance(e, Add):
        return ir.add(*(derivative(t, x) for t in e.terms))
    if isinstance(e, Mul):
        terms = []
        for i, f in enumerate(e.factors):
            df = derivative(f, x)
            if df != ir.ZERO:
                terms.append(ir.mul(*e.factors[:i], df, *e.factors[i + 1 :]))
        return ir.add(*terms)
    if isinstance(e, Pow):
        b, p = e.base, e.exp
        if not _depends(p, x):
            return ir.mul(p, ir.power(b, ir.sub(p, ir.ONE)), derivative(b, x))
        if isinstance(b, Const) and b.name == "e":
            return ir.mul(e, derivative(p, x))
        # b**p = exp(p log b): (b**p) (p' log b + p b'/b)
        dp_log_b = ir.mul(derivative(p, x), ir.call("log", b))
        p_db_over_b = ir.mul(p, derivative(b, x), ir.power(b, ir.MINUS_ONE))
        return ir.mul(e, ir.add(dp_log_b, p_db_over_b))
    if isinstance(e, Call):
        du = derivative(e.arg, x)
        return ir.mul(_d_call(e.func, e.arg), du)
    if isinstance(e, Diff):
        return derivative(expand_derivatives(e), x)
    raise TypeError(f"not an expression: {e!r}")


def expand_derivatives(e: Expr) -> Expr:
    """Replace every Diff node by the derivative it stands for, innermost first."""
    if isinstance(e, Diff):
        inner = expand_derivatives(e.expr)
        for _ in range(e.order):
            inner = derivative(inner, e.var)
        return inner
    return ir.rebuild(e, expand_derivatives)


def requirements(e: Expr) -> list[Rel]:
    """Conditions under which `e` is defined as a real number (inside Diff nodes too)."""
    out: list[Rel] = []
    for node in ir.walk(e):
        if isinstance(node, Pow):
            b, p = node.base, node.exp
            if isinstance(p, Num):
                if p.value.denominator != 1:
                    out.append(Rel(">" if p.value < 0 else ">=", b, ir.ZERO))
                elif p.value < 0:
                    out.append(Rel("!=", b, ir.ZERO))
            elif not (isinstance(b, Const) and b.name == "e"):
                out.append(Rel(">", b, ir.ZERO))
        elif isinstance(node, Call):
            u = node.arg
            if node.func == "log":
                out.append(Rel(">", u, ir.ZERO))
            elif node.func == "sqrt":
                out.append(Rel(">=", u, ir.ZERO))
            elif node.func == "tan":
                out.append(Rel("!=", ir.call("cos", u), ir.ZERO))
            elif node.func in ("csch", "coth"):
                out.append(Rel("!=", u, ir.ZERO))
    return out


def unique(rels: list[Rel]) -> tuple[Rel, ...]:
    seen: dict[str, Rel] = {}
    for r in rels:
        seen.setdefault(ir.show_rel(r), r)
    return tuple(seen.values())

