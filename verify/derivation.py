"""What the front ends produce: derivations made of lines, and the steps between them."""

from __future__ import annotations

from dataclasses import dataclass, replace

from . import calculus, ir
from .encode import Obligation, encode
from .errors import Location

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
        subs = tuple(f"{n} = {n}({', '.join(defined[n].variables)}), a function the derivation does not specify"
                     if isinstance(defined[n], ir.Unknown) else f"{n} = {ir.show(defined[n])} (substituted into every line)"
                     for n, _ in self.substitutions if n in used)
        return subs + tuple(ir.show_rel(h) for h in self.hypotheses)

    def meaning(self, e: ir.Expr, needs: list[ir.Rel] | None = None) -> ir.Expr:
        """`e` in plain functions: definitions and derivatives worked out, each unspecified function's
        value as a variable; `needs` receives the conditions under which it is defined."""
        out = calculus.meaning(e, dict(self.substitutions), needs)
        if needs is not None:
            needs.extend(calculus.requirements(out))
        return ir.lower_unknowns(out)

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
        lhs, rhs = meaning(self.lhs.expr), meaning(self.rhs.expr)
        hyps = tuple(ir.Rel(h.op, meaning(h.lhs), meaning(h.rhs)) for h in self.derivation.hypotheses)
        needs = [replace(r, lhs=ir.lower_unknowns(r.lhs), rhs=ir.lower_unknowns(r.rhs)) for r in needs]
        return encode(ir.Rel("=", lhs, rhs), hyps, calculus.unique(needs))
