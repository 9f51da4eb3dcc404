"""Logarithms: the log of a positive rational function splits into the logs of its factors.

log(c * f1^k1 * ... ) = log c + k1 log f1 + ..., where every factor must be
proven positive (or negative, with its sign carried to c) first. For an
exponential variable, log(exp(m/D)) = m/D exactly. What cannot be split stays
one opaque real variable, which is sound and merely weaker.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from typing import Callable

import sympy

from . import ir
from .encode import Abstraction, DomainFact, Obligation
from .engines.sympy import from_sympy
from .ir import Rel, Var

Positive = Callable[[ir.Expr], bool]
MAX_FACTOR_DIGITS = 12


def _to_sympy(e: ir.Expr, symbols: dict[str, sympy.Symbol]) -> sympy.Expr:
    if isinstance(e, ir.Num):
        return sympy.Rational(e.value.numerator, e.value.denominator)
    if isinstance(e, ir.Var):
        return symbols.setdefault(e.name, sympy.Symbol(e.name))
    if isinstance(e, ir.Add):
        return sympy.Add(*(_to_sympy(t, symbols) for t in e.terms))
    if isinstance(e, ir.Mul):
        return sympy.Mul(*(_to_sympy(f, symbols) for f in e.factors))
    if isinstance(e, ir.Pow):
        return sympy.Pow(_to_sympy(e.base, symbols), int(e.exp.value))
    raise TypeError(f"not real arithmetic: {e!r}")


def _polynomial(e: ir.Expr) -> bool:
    return all(isinstance(n, (ir.Num, ir.Var, ir.Add, ir.Mul))
               or (isinstance(n, ir.Pow) and isinstance(n.exp, ir.Num) and n.exp.value.denominator == 1)
               for n in ir.walk(e))


class _Splitter:
    def __init__(self, ob: Obligation, positive: Positive):
        self.ob = ob
        self.positive = positive
        self.exp_vars = {a.name: a for a in ob.abstractions if a.kind == "exp"}
        self.new: dict[str, Abstraction] = {}
        self.facts: list[Rel] = []

    def _log_var(self, name: str, origin: ir.Expr, argument: ir.Expr, *facts: Rel) -> Var:
        if name not in self.new:
            self.new[name] = Abstraction(name, origin, "log", argument=argument)
            self.facts.extend(facts)
        return Var(name)

    def _log_rational(self, c: Fraction) -> ir.Expr | None:
        if c == 1:
            return ir.ZERO
        if max(len(str(c.numerator)), len(str(c.denominator))) > MAX_FACTOR_DIGITS:
            return None
        terms = []
        for part, sign in ((c.numerator, 1), (c.denominator, -1)):
            for p, k in sympy.factorint(part).items():
                v = self._log_var(f"log({p})", ir.call("log", ir.num(p)), ir.num(p), Rel(">", Var(f"log({p})"), ir.ZERO))
                terms.append(ir.mul(ir.num(sign * k), v))
        return ir.add(*terms)

    def _log_factor(self, f: sympy.Expr) -> ir.Expr | None:
        if f.is_Symbol and f.name in self.exp_vars:
            inner = self.exp_vars[f.name].origin.arg  # exp(m/D): log is m/D
            if _polynomial(inner):
                return inner
        expr = from_sympy(f)  # a factor of a polynomial: a polynomial
        if not self.positive(expr):
            return None
        name = f"log({sympy.sstr(f)})"
        return self._log_var(name, ir.call("log", expr), expr)

    def split(self, a: Abstraction) -> ir.Expr | None:
        """log(argument) as a sum of simpler logs, or None where it cannot be split."""
        symbols: dict[str, sympy.Symbol] = {}
        numer, denom = sympy.fraction(sympy.together(_to_sympy(a.argument, symbols)))
        terms, constant = [], Fraction(1)
        for poly, sign in ((numer, 1), (denom, -1)):
            c, factors = sympy.factor_list(sympy.expand(poly))
            constant *= Fraction(int(c.p), int(c.q)) ** sign
            for f, k in factors:
                log_f = self._log_factor(f)
                if log_f is None:
                    log_f = self._log_factor(-f)
                    if log_f is None:
                        return None
                    constant *= (-1) ** k
                terms.append(ir.mul(ir.num(sign * k), log_f))
        if constant <= 0:
            return None
        log_c = self._log_rational(constant)
        if log_c is None:
            return None
        return ir.add(log_c, *terms)


def split_logs(ob: Obligation, positive: Positive) -> Obligation:
    """Add what each log abstraction equals, where its argument splits into positive factors."""
    logs = [a for a in ob.abstractions if a.kind == "log"]
    if not logs:
        return ob
    splitter = _Splitter(ob, positive)
    equations = []
    for a in logs:
        try:
            parts = splitter.split(a)
        except (TypeError, sympy.PolynomialError):
            parts = None
        if parts is not None and parts != Var(a.name):
            equations.append(Rel("=", Var(a.name), parts))
    known = {a.name for a in ob.abstractions}
    extra = tuple(v for k, v in splitter.new.items() if k not in known)
    return replace(ob, facts=(*ob.facts, *splitter.facts), domain_facts=(*ob.domain_facts, *map(DomainFact, equations)),
                   abstractions=(*ob.abstractions, *extra))
