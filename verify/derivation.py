"""What the front ends produce: derivations made of lines, and the steps between them."""

from __future__ import annotations

from dataclasses import dataclass

from . import calculus, ir
from .encode import Obligation, encode
from .errors import Location

EXPECTATIONS = ("proven", "refuted", "unknown")


@dataclass(frozen=True)
class Line:
    text: str  # as written, for the report
    expr: ir.Expr
    where: Location


@dataclass(frozen=True)
class Derivation:
    file: str
    name: str
    where: Location
    lines: tuple[Line, ...]
    hypotheses: tuple[ir.Rel, ...] = ()
    substitutions: tuple[tuple[str, ir.Expr], ...] = ()  # from `assume = ["z = ..."]`
    expect: tuple[str, ...] = ()  # one per step; missing ones are "proven"

    def assumptions(self) -> tuple[str, ...]:
        """The hypotheses and substitutions, as the report states them."""
        subs = tuple(f"{n} = {ir.show(e)} (substituted into every line)" for n, e in self.substitutions)
        return subs + tuple(ir.show_rel(h) for h in self.hypotheses)

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
        """The step as a real-arithmetic obligation: substitute, differentiate, collect domains, encode."""
        subs = dict(self.derivation.substitutions)

        def prepare(e: ir.Expr) -> ir.Expr:
            return ir.substitute(e, subs) if subs else e

        raw = [prepare(self.lhs.expr), prepare(self.rhs.expr)]
        hyps = tuple(ir.Rel(h.op, prepare(h.lhs), prepare(h.rhs)) for h in self.derivation.hypotheses)
        lhs, rhs = (calculus.expand_derivatives(e) for e in raw)
        needs = [r for e in (*raw, lhs, rhs) for r in calculus.requirements(e)]
        for h in hyps:
            for side in (h.lhs, h.rhs):
                needs += calculus.requirements(side)
        hyps = tuple(ir.Rel(h.op, calculus.expand_derivatives(h.lhs), calculus.expand_derivatives(h.rhs)) for h in hyps)
        needs = [ir.Rel(r.op, calculus.expand_derivatives(r.lhs), r.rhs) for r in needs]
        return encode(ir.Rel("=", lhs, rhs), hyps, calculus.unique(needs))
