"""What the front ends produce: derivations made of lines, and the steps between them."""

from __future__ import annotations

from dataclasses import dataclass, replace

from . import calculus, ir
from .encode import Obligation, encode
from .errors import Location, NotChecked

EXPECTATIONS = ("proven", "refuted", "unknown")


@dataclass(frozen=True)
class Line:
    text: str  # as written, for the report
    expr: ir.Expr
    where: Location
    hint: str = ""  # the justification written beside it, such as "chain rule"
    notes: tuple[str, ...] = ()  # how something unusual in it was read
    conditions: tuple[ir.Rel, ...] = ()  # stated beside it ("for x > 0"); hypotheses of its derivation
    latex: bool = False


@dataclass(frozen=True)
class Derivation:
    file: str
    name: str
    where: Location
    lines: tuple[Line, ...]
    hypotheses: tuple[ir.Rel, ...] = ()
    substitutions: tuple[tuple[str, ir.Expr], ...] = ()  # defined names: `assume = ["z = ..."]`, `y := ...`
    expect: tuple[str, ...] = ()  # one per step; missing ones are "proven"
    instance: tuple[tuple[str, int], ...] = ()  # the values of its declared indices (n = 3, i = 1), if any

    def assumptions(self) -> tuple[str, ...]:
        """The hypotheses, and the definitions the lines use, as the report states them."""
        defined = dict(self.substitutions)
        used: list[str] = []
        todo = sorted(set().union(*(ir.free_names(x) for line in self.lines for x in (line.expr,)),
                                  *(ir.free_names(s) for h in self.hypotheses for s in (h.lhs, h.rhs))))
        while todo:
            n = todo.pop(0)
            if n in defined and n not in used:
                used.append(n)
                todo += sorted(ir.free_names(defined[n]))
        def said(n: str) -> str:
            v = defined[n]
            if isinstance(v, ir.Unknown):
                return f"{n} = {n}({', '.join(v.variables)}), a function the derivation does not specify"
            if isinstance(v, ir.Held):
                return f"{n} = {ir.show(v)} (from the equation; put in after derivatives, which treat {n} as a variable)"
            return f"{n} = {ir.show(v)} (substituted into every line)"

        subs = tuple(said(n) for n, _ in self.substitutions if n in used)
        return subs + tuple(ir.show_rel(h) for h in self.hypotheses)

    def meaning(self, e: ir.Expr, needs: list[ir.Rel] | None = None) -> ir.Expr:
        """`e` in plain functions: definitions and derivatives worked out, each unspecified function's
        value as a variable; `needs` receives the conditions under which it is defined."""
        out = calculus.meaning(e, dict(self.substitutions), needs)
        if needs is not None:
            needs.extend(calculus.requirements(out))
        return ir.lower_unknowns(out)

    def antiderivative_variable(self, upto: int) -> str | None:
        """The variable of the first line of 0..upto whose value is known only up to a constant (it holds
        an indefinite integral that is not differentiated away): from there on, the lines are
        antiderivatives, equal up to a constant."""
        names = dict(self.substitutions)
        for line in self.lines[: upto + 1]:
            x = calculus.indefinite_variable(line.expr)
            if x is not None and calculus.carries_constant(line.expr, x, names):
                return x
        return None

    def steps(self) -> list["Step"]:
        return [
            Step(self, i + 1, a, b, self.expect[i] if i < len(self.expect) else "proven")
            for i, (a, b) in enumerate(zip(self.lines, self.lines[1:]))
        ]


@dataclass(frozen=True)
class Step:
    derivation: Derivation
    number: int  # 1-based
    lhs: Line
    rhs: Line
    expected: str

    def obligation(self) -> Obligation:
        """The step as a real-arithmetic obligation: work out definitions and derivatives, collect
        the domain conditions, encode."""
        needs: list[ir.Rel] = []
        meaning = lambda e: self.derivation.meaning(e, needs)  # noqa: E731
        hyps = tuple(ir.Rel(h.op, meaning(h.lhs), meaning(h.rhs)) for h in self.derivation.hypotheses)
        x = self.derivation.antiderivative_variable(self.number)
        ftc = fundamental_theorem(self.lhs.expr, self.rhs.expr)
        remarks: tuple[str, ...] = ()
        if ftc is not None:
            f, big_f, x, a, b = ftc
            hyps += (ir.Rel("<=", ir.mul(ir.sub(ir.Var(x), a), ir.sub(ir.Var(x), b)), ir.ZERO),)
            lhs, rhs = meaning(ir.Diff(big_f, x)), meaning(f)
            if any(isinstance(n, ir.Piecewise) for n in ir.walk(self.derivation.meaning(big_f))):
                raise NotChecked("the fundamental theorem needs F continuous on [a, b], and verify does not check "
                                 "the continuity of a piecewise F")
            remarks = (f"by the fundamental theorem of calculus: F' = f is checked for every {x} between "
                       f"{ir.show(a)} and {ir.show(b)}, where F is {ir.show(big_f)}",)
        elif x is not None:
            # \int f dx = \int \frac{1}{u} du = \ln u: u is a substitution the chain does not state, not a constant
            others = {n.var for line in self.derivation.lines[: self.number + 1] for n in ir.walk(line.expr)
                      if isinstance(n, ir.Integral) and n.lower is None} - {x}
            used = sorted(others & (ir.free_names(self.lhs.expr) | ir.free_names(self.rhs.expr)))
            if used:
                raise NotChecked(f"{used[0]} is the variable of integration of a line before, a substitution whose "
                                 f"relation to {x} the chain does not state; verify compares antiderivatives with "
                                 f"respect to {x} alone")
            names = dict(self.derivation.substitutions)
            lhs, rhs = (ir.lower_unknowns(calculus.integral_meaning(e, x, names, needs, differentiate=True))
                        for e in (self.lhs.expr, self.rhs.expr))
            remarks = (f"up to a constant: the two sides are antiderivatives, so verify compares their derivatives with "
                       f"respect to {x} (any values shown are those derivatives'); the step holds up to a constant "
                       "on each interval of the domain",)
        else:  # an indefinite integral here is differentiated away, or multiplied by 0: its value is known
            names = dict(self.derivation.substitutions)

            def value(e: ir.Expr) -> ir.Expr:
                var = calculus.indefinite_variable(e)
                if var is None:
                    return meaning(e)
                return ir.lower_unknowns(calculus.integral_meaning(e, var, names, needs, differentiate=False))

            lhs, rhs = value(self.lhs.expr), value(self.rhs.expr)
        needs = [replace(r, lhs=ir.lower_unknowns(r.lhs), rhs=ir.lower_unknowns(r.rhs)) for r in needs]
        ob = encode(ir.Rel("=", lhs, rhs), hyps, calculus.unique(needs))
        return replace(ob, remarks=remarks, whole_domain=ftc is not None)


def fundamental_theorem(lhs: ir.Expr, rhs: ir.Expr) -> tuple[ir.Expr, ir.Expr, str, ir.Expr, ir.Expr] | None:
    """A step ∫_a^b f dx = [F(x)]_a^b, as (f, F, x, a, b), or None."""
    if not (isinstance(lhs, ir.Integral) and lhs.lower is not None and isinstance(rhs, ir.Add) and len(rhs.terms) == 2):
        return None
    top, bottom = rhs.terms
    if isinstance(top, ir.Mul):
        top, bottom = bottom, top
    if not (isinstance(bottom, ir.Mul) and len(bottom.factors) == 2 and bottom.factors[0] == ir.MINUS_ONE):
        return None
    bottom = bottom.factors[1]
    if not (isinstance(top, ir.At) and isinstance(bottom, ir.At) and top.expr == bottom.expr
            and top.var == bottom.var == lhs.var and top.value == lhs.upper and bottom.value == lhs.lower):
        return None
    return lhs.expr, top.expr, lhs.var, lhs.lower, lhs.upper
