"""SymPy simplification on the original functions, for what Z3 cannot decide.

Domains are not SymPy's business here: the obligation's requirements were
collected before SymPy saw the lines, and they are reported with the verdict.
"""

from __future__ import annotations

from fractions import Fraction

import sympy

from .. import ir
from ..encode import Obligation
from . import Outcome, Proven, Unknown

_FUNCS = {
    "exp": sympy.exp, "log": sympy.log, "sqrt": sympy.sqrt, "abs": sympy.Abs,
    "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan, "sinh": sympy.sinh,
    "cosh": sympy.cosh, "tanh": sympy.tanh, "sech": sympy.sech, "csch": sympy.csch,
    "coth": sympy.coth, "erf": sympy.erf, "asin": sympy.asin, "acos": sympy.acos, "atan": sympy.atan,
}


def to_sympy(e: ir.Expr) -> sympy.Expr:
    """The expression in SymPy, built node by node (never from a string); variables are real."""
    if isinstance(e, ir.Num):
        return sympy.Rational(e.value.numerator, e.value.denominator)
    if isinstance(e, ir.Var):
        return sympy.Symbol(e.name, real=True)
    if isinstance(e, ir.Const):
        return sympy.E if e.name == "e" else sympy.pi
    if isinstance(e, ir.Add):
        return sympy.Add(*map(to_sympy, e.terms))
    if isinstance(e, ir.Mul):
        return sympy.Mul(*map(to_sympy, e.factors))
    if isinstance(e, ir.Pow):
        return sympy.Pow(to_sympy(e.base), to_sympy(e.exp))
    if isinstance(e, ir.Call):
        return _FUNCS[e.func](to_sympy(e.arg))
    if isinstance(e, ir.Piecewise):
        return sympy.Piecewise(*((to_sympy(v), sympy.And(*map(_relation, conds))) for v, conds in e.pieces))
    raise TypeError(f"not an expression: {e!r}")


_RELATIONS = {"=": sympy.Eq, "!=": sympy.Ne, "<": sympy.Lt, "<=": sympy.Le, ">": sympy.Gt, ">=": sympy.Ge}


def _relation(r: ir.Rel) -> sympy.Basic:
    return _RELATIONS[r.op](to_sympy(r.lhs), to_sympy(r.rhs))


class SympyEngine:
    name = "sympy"

    def discharge(self, ob: Obligation, timeout: float) -> Outcome:
        # SymPy cannot be interrupted: the runner enforces `timeout` from outside.
        if ob.goal.op != "=":
            return Unknown(self.name, f"SymPy only checks equations, not {ob.goal.op}")
        difference = to_sympy(ob.goal.lhs) - to_sympy(ob.goal.rhs)
        for attempt in (difference, difference.rewrite(sympy.exp)):
            if sympy.simplify(attempt) == 0:
                return Proven(self.name)
        return Unknown(self.name, "SymPy could not simplify the difference of the two sides to 0")


ENGINE = SympyEngine()


_BACK = {v: k for k, v in _FUNCS.items()}


def from_sympy(e: sympy.Expr) -> ir.Expr:
    """A SymPy expression built from `to_sympy`'s vocabulary, back in the intermediate form;
    TypeError for anything else (SymPy's own functions, complex numbers)."""
    if e.is_Rational:
        return ir.num(Fraction(int(e.p), int(e.q)))
    if e is sympy.E:
        return ir.Const("e")
    if e is sympy.pi:
        return ir.Const("pi")
    if e.is_Symbol:
        return ir.Var(e.name)
    if e.is_Add:
        return ir.add(*map(from_sympy, e.args))
    if e.is_Mul:
        return ir.mul(*map(from_sympy, e.args))
    if e.is_Pow:
        if e.exp == sympy.Rational(1, 2):
            return ir.call("sqrt", from_sympy(e.base))
        if e.exp == sympy.Rational(-1, 2):
            return ir.power(ir.call("sqrt", from_sympy(e.base)), ir.MINUS_ONE)
        return ir.power(from_sympy(e.base), from_sympy(e.exp))
    if isinstance(e, sympy.exp):
        return ir.call("exp", from_sympy(e.args[0]))
    if e.func in _BACK and len(e.args) == 1:
        return ir.call(_BACK[e.func], from_sympy(e.args[0]))
    raise TypeError(f"not in the intermediate form's vocabulary: {e}")
