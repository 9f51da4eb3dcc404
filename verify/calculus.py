"""Derivatives and domain conditions, computed on the intermediate form.

Derivatives act on the real functions (exp stays exp) before any abstraction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction

from typing import Mapping

from . import ir
from .errors import NotChecked
from .ir import Add, Apply, At, Call, Const, Diff, Expr, Extremum, Mul, Num, Piecewise, Pow, Rel, Unknown, Var

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
    if f in ("asin", "acos"):  # +-1/sqrt(1 - u^2)
        d = ir.power(c("sqrt", ir.sub(ir.ONE, ir.power(u, _TWO))), ir.MINUS_ONE)
        return d if f == "asin" else ir.neg(d)
    if f == "atan":
        return ir.power(ir.add(ir.ONE, ir.power(u, _TWO)), ir.MINUS_ONE)
    raise ValueError(f"no derivative known for {f}")


def _depends(e: Expr, x: str) -> bool:
    return x in ir.free_names(e)


def derivative(e: Expr, x: str) -> Expr:
    """d e / d x, for an expression without Diff nodes."""
    if not _depends(e, x):
        return ir.ZERO
    if isinstance(e, Var):
        return ir.ONE
    if isinstance(e, Unknown):  # d/dx y(x) = y'(x)
        k = e.variables.index(x)
        return Unknown(e.name, e.variables, tuple(n + (i == k) for i, n in enumerate(e.orders)))
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
    if isinstance(e, Piecewise):  # between the pieces; `kinks` says where this does not hold
        return ir.piecewise([(derivative(v, x), conds) for v, conds in e.pieces])
    raise TypeError(f"work out {type(e).__name__} nodes first (meaning): {e!r}")


def meaning(e: Expr, names: Mapping[str, Expr] | None = None, needs: list[Rel] | None = None) -> Expr:
    """What `e` stands for in plain real functions: defined names replaced by their definitions,
    defined functions by their bodies, max and min written with abs, derivatives and evaluation bars
    worked out. `needs` receives the conditions under which every function that was differentiated
    is defined, since the derivative alone may not show them (d/dx sqrt(x)^2 = 1 needs x >= 0).

    A derivative with respect to a defined name (dL/dy with y = sigma(z)) is taken with that name
    held as a variable, and only then is its definition substituted: the chain rule's meaning.
    The definitions must not refer to themselves (the front ends check this)."""
    needs = needs if needs is not None else []
    start = len(needs)
    m = _Meaning(dict(names or {}))
    out = m.go(e, frozenset(), needs)
    fixed = {n: m.go(v.expr, frozenset(), needs) for n, v in m.names.items() if isinstance(v, ir.Held)}
    if not fixed or not (ir.free_names(out) | {x for r in needs[start:] for x in ir.free_names(r.lhs) | ir.free_names(r.rhs)}) & fixed.keys():
        return out
    needs[start:] = [_substituted(r, fixed) for r in needs[start:]]
    return ir.substitute(out, fixed)


def expand_derivatives(e: Expr) -> Expr:
    """`e` with derivatives worked out (and any other node that `meaning` removes)."""
    return meaning(e)


def _extremum(func: str, args: list[Expr]) -> Expr:
    """max(a, b) is a where a >= b and b otherwise; min(a, b) is a where a <= b."""
    out = args[0]
    for b in args[1:]:
        out = ir.piecewise([(out, (Rel(">=" if func == "max" else "<=", out, b),)), (b, ())])
    return out


@dataclass(frozen=True)
class Kink(Rel):
    """`lhs != rhs`, where a piecewise function is differentiated with respect to `var` and the
    boundary of one of its conditions lies: there the derivative need not exist. The requirement
    may be dropped where the pieces are proven to join smoothly: on the boundary, every piece of
    `values` has the same value and the same first `order` derivatives."""

    values: tuple[Expr, ...] = ()
    var: str = ""
    order: int = 1


def kinks(e: Expr, x: str, order: int) -> list[Rel]:
    """Where the derivative of `e` with respect to x may not exist: the boundaries, in x, of the
    conditions of its piecewise functions (x != 0 for relu)."""
    out: list[Rel] = []
    for node in ir.walk(e):
        if isinstance(node, Piecewise):
            values = tuple(v for v, _ in node.pieces)
            for _, conds in node.pieces:
                for r in conds:
                    if x in ir.free_names(r.lhs) | ir.free_names(r.rhs):
                        lhs, rhs = (r.rhs, r.lhs) if isinstance(r.lhs, Num) else (r.lhs, r.rhs)
                        out.append(Kink("!=", lhs, rhs, values, x, order))
    return out


class _Meaning:
    def __init__(self, names: dict[str, Expr]):
        self.names = names
        self.memo: dict[tuple[str, frozenset[str]], tuple[Expr, tuple[Rel, ...]]] = {}
        self.active: set[str] = set()

    def name(self, n: str, held: frozenset[str], needs: list[Rel]) -> Expr:
        if isinstance(self.names[n], ir.Held):  # put in by `meaning`, after every derivative
            return Var(n)
        key = (n, held)
        if key not in self.memo:
            if n in self.active:
                raise ValueError(f"the definition of {n!r} refers to itself")
            self.active.add(n)
            inner: list[Rel] = []
            try:
                self.memo[key] = (self.go(self.names[n], held, inner), tuple(inner))
            finally:
                self.active.discard(n)
        value, inner_needs = self.memo[key]
        needs.extend(inner_needs)
        return value

    def go(self, e: Expr, held: frozenset[str], needs: list[Rel]) -> Expr:
        if isinstance(e, Var):
            return self.name(e.name, held, needs) if e.name in self.names and e.name not in held else e
        if isinstance(e, Diff):
            return self._diff(e, held, needs)
        if isinstance(e, Apply):
            return self._apply(e, held, needs)
        if isinstance(e, At):
            inner: list[Rel] = []
            body = self.go(e.expr, held | {e.var}, inner)
            point = {e.var: self.go(e.value, held, needs)}
            needs.extend(_substituted(r, point) for r in (*inner, *requirements(body)))
            return ir.substitute(body, point)
        if isinstance(e, Extremum):
            return _extremum(e.func, [self.go(a, held, needs) for a in e.args])
        if isinstance(e, ir.Integral):
            raise NotChecked(_INTEGRALS)
        return ir.rebuild(e, lambda c: self.go(c, held, needs))

    def _diff(self, e: Diff, held: frozenset[str], needs: list[Rel]) -> Expr:
        v = e.var
        defined = v in self.names and v not in held
        inner_needs: list[Rel] = []
        inner = self.go(e.expr, held | {v} if defined else held, inner_needs)
        inner_needs += requirements(inner)
        inner_needs = _interior(inner_needs) + kinks(inner, v, e.order)
        out = inner
        for _ in range(e.order):
            out = derivative(out, v)
        if not defined:
            needs.extend(inner_needs)
            return out
        value = {v: self.name(v, held, needs)}
        needs.extend(_substituted(r, value) for r in inner_needs)
        return ir.substitute(out, value)

    def _apply(self, e: Apply, held: frozenset[str], needs: list[Rel]) -> Expr:
        f = e.func
        args = [self.go(a, held, needs) for a in e.args]
        body_needs: list[Rel] = []
        body = self.go(f.body, held | set(f.params), body_needs)
        if e.order:
            (p,) = f.params
            body_needs = _interior(body_needs + requirements(body)) + kinks(body, p, e.order)
            for _ in range(e.order):
                body = derivative(body, p)
        binding = dict(zip(f.params, args))
        needs.extend(_substituted(r, binding) for r in body_needs)
        return ir.substitute(body, binding)


_INTEGRALS = ("verify checks an integral in two forms only: an indefinite one as an antiderivative (the "
              "derivatives of the two sides are compared, so the step holds up to a constant), and a definite one "
              "in a step of the form ∫_a^b f dx = [F(x)]_a^b, by the fundamental theorem of calculus")


def indefinite_variable(e: Expr) -> str | None:
    """The variable of the first indefinite integral in `e`, or None."""
    return next((n.var for n in ir.walk(e) if isinstance(n, ir.Integral) and n.lower is None), None)


def _lifted(e: Expr, x: str, table: dict[str, Expr]) -> Expr:
    """`e` with each indefinite integral with respect to x as an unspecified function F__k(x)."""
    if isinstance(e, ir.Integral) and e.lower is None:
        if e.var != x:
            raise NotChecked(f"this step mixes integrals with respect to {x} and {e.var}; verify compares "
                             "antiderivatives with respect to one variable")
        name = f"F__{len(table) + 1}"
        table[name] = e.expr
        return Unknown(name, (x,), (0,))
    return ir.rebuild(e, lambda c: _lifted(c, x, table))


def _with_integrals(e: Expr, x: str, names: Mapping[str, Expr], needs: list[Rel], differentiate: bool
                    ) -> tuple[Expr, dict[str, Expr]]:
    table: dict[str, Expr] = {}
    lifted = _lifted(e, x, table)
    try:
        return meaning(Diff(lifted, x) if differentiate else lifted, names, needs), table
    except ir.UnknownAtPoint:
        raise NotChecked("an indefinite integral has no value at a point, since its constant is free; write a "
                         "definite integral, ∫_a^b f dx") from None


def _constants_free(e: Expr, table: dict[str, Expr]) -> Expr:
    """`e` with each antiderivative's value (not its derivatives) as a variable F__k."""
    if isinstance(e, Unknown) and e.name in table and e.orders[0] == 0:
        return Var(e.name)
    return ir.rebuild(e, lambda c: _constants_free(c, table))


def carries_constant(e: Expr, x: str, names: Mapping[str, Expr]) -> bool:
    """Whether the value of `e` depends on the constants of its indefinite integrals with respect to x:
    ∫ f dx + 1 does; d/dx ∫ f dx and 0·∫ f dx do not."""
    try:
        inner, table = _with_integrals(e, x, names, [], differentiate=False)
    except NotChecked:
        return False
    free = _constants_free(inner, table)
    return any(derivative(free, name) != ir.ZERO for name in table)


def integral_meaning(e: Expr, x: str, names: Mapping[str, Expr], needs: list[Rel], differentiate: bool) -> Expr:
    """`e`, whose indefinite integrals with respect to x are antiderivatives (d/dx ∫ f dx = f): its
    derivative with respect to x where `differentiate` (a claim up to a constant), else its value, which
    must not depend on their constants (`carries_constant`). Each integral must appear linearly."""
    start = len(needs)
    inner, table = _with_integrals(e, x, names, needs, differentiate)
    if not differentiate:
        free = _constants_free(inner, table)
        inner = ir.substitute(free, {name: ir.ZERO for name in table}) if table else inner

    def back(n: Expr) -> Expr:
        if isinstance(n, Unknown) and n.name in table:
            if n.orders[0] == 0:
                raise NotChecked("an indefinite integral is known only up to a constant, so verify checks it only "
                                 "where it is added or multiplied by a factor that does not depend on "
                                 f"{x} (here it is not)")
            f = meaning(table[n.name], names, needs)
            needs.extend(requirements(f))
            for _ in range(n.orders[0] - 1):
                f = derivative(f, x)
            return f
        return ir.rebuild(n, back)

    out = back(inner)
    if any(n.startswith("F__") for r in needs[start:] for n in ir.free_names(r.lhs) | ir.free_names(r.rhs)):
        back(Unknown(next(iter(table)), (x,), (0,)))  # raises: the integral is not used linearly
    return out


def _interior(rels: list[Rel]) -> list[Rel]:
    """Where a function is differentiated it must be defined around the point, not only at it: u >= 0
    becomes u > 0, so d/dx x^(3/2) holds where x > 0 and nothing is claimed at an isolated point."""
    strict = {">=": ">", "<=": "<"}
    return [Rel(strict.get(r.op, r.op), r.lhs, r.rhs) for r in rels]


def _substituted(r: Rel, mapping: dict[str, Expr]) -> Rel:
    if isinstance(r, Kink):
        if r.var in mapping:  # d/dv at v = its value: the boundary and pieces move with it
            return replace(r, lhs=ir.substitute(r.lhs, mapping), rhs=ir.substitute(r.rhs, mapping),
                           values=(), var="")
        return replace(r, lhs=ir.substitute(r.lhs, mapping), rhs=ir.substitute(r.rhs, mapping),
                       values=tuple(ir.substitute(v, mapping) for v in r.values))
    return Rel(r.op, ir.substitute(r.lhs, mapping), ir.substitute(r.rhs, mapping))


def covered(e: Piecewise) -> Rel:
    """The point lies in one of the pieces of `e`: an indicator that is 1 there and 0 elsewhere."""
    return Rel("=", ir.piecewise([*((ir.ONE, conds) for _, conds in e.pieces), (ir.ZERO, ())]), ir.ONE)


def requirements(e: Expr) -> list[Rel]:
    """Conditions under which `e` is defined as a real number; `e` has no Diff, Apply or At nodes.
    Those of every piece of a piecewise function are required everywhere (a simplification that
    can only shrink where a step is claimed)."""
    out: list[Rel] = []
    for node in ir.walk(e):
        if isinstance(node, Piecewise) and node.pieces[-1][1]:
            out.append(covered(node))
        elif isinstance(node, Pow):
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
            elif node.func in ("asin", "acos"):
                out += [Rel(">=", u, ir.MINUS_ONE), Rel("<=", u, ir.ONE)]
    return out


def unique(rels: list[Rel]) -> tuple[Rel, ...]:
    seen: dict[str, Rel] = {}
    for r in rels:
        key = ir.show_rel(r)
        if isinstance(r, Kink):
            key += "|" + ",".join(map(ir.show, r.values)) + f"|{r.var}|{r.order}"
        seen.setdefault(key, r)
    return tuple(seen.values())

