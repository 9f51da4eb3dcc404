"""What names mean in a line: defined functions (with the built-in prelude) and allowed variables.

Shared by every front end.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from fractions import Fraction

from .. import calculus, ir

ALIASES = {"ln": "log"}
DIFF_NAMES = ("diff", "Derivative")
# characters pasted from web pages, and what they mean
GREEK_LETTERS = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta", "η": "eta",
    "θ": "theta", "κ": "kappa", "μ": "mu", "ν": "nu", "ξ": "xi", "ρ": "rho", "σ": "sigma", "τ": "tau",
    "φ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega", "π": "pi",
}
UNICODE_OPERATORS = {"−": "-", "·": "*", "⋅": "*", "×": "*", "²": "^2", "³": "^3"}


@dataclass(frozen=True)
class Definition:
    """A function from `[definitions]`: `name(params) = body`."""

    name: str
    params: tuple[str, ...]
    body: ir.Expr

    def apply(self, args: tuple[ir.Expr, ...]) -> ir.Expr:
        return ir.substitute(self.body, dict(zip(self.params, args)))


@dataclass(frozen=True)
class Scope:
    """What names mean in a line: defined functions, and (optionally) the allowed variables."""

    functions: dict[str, Definition] = field(default_factory=dict)
    variables: frozenset[str] | None = None

    def with_function(self, d: Definition) -> "Scope":
        return Scope({**self.functions, d.name: d}, self.variables)


def derivative_of(d: Definition, order: int, arg: ir.Expr) -> ir.Expr:
    """f^(order)(arg) for a function of one variable: differentiate the body, then substitute."""
    (p,) = d.params
    return ir.substitute(calculus.expand_derivatives(ir.Diff(d.body, p, order)), {p: arg})


def _prelude() -> Scope:
    """sigma, the inverse hyperbolic functions (through log) and logarithms to base 2 and 10.

    A file may redefine any of them."""
    x, one, log, sqrt = ir.Var("x"), ir.ONE, (lambda u: ir.call("log", u)), (lambda u: ir.call("sqrt", u))
    x2 = ir.power(x, ir.num(2))
    bodies = {
        "sigma": ir.div(one, ir.add(one, ir.call("exp", ir.neg(x)))),
        "asinh": log(ir.add(x, sqrt(ir.add(x2, one)))),
        "acosh": log(ir.add(x, sqrt(ir.sub(x2, one)))),
        "atanh": ir.mul(ir.num(Fraction(1, 2)), log(ir.div(ir.add(one, x), ir.sub(one, x)))),
        "log2": ir.div(log(x), log(ir.num(2))),
        "log10": ir.div(log(x), log(ir.num(10))),
    }
    for inverse in ("sinh", "cosh", "tanh"):
        bodies[f"ar{inverse}"] = bodies[f"arc{inverse}"] = bodies[f"a{inverse}"]
    return Scope({name: Definition(name, ("x",), body) for name, body in bodies.items()})


PRELUDE = _prelude()




def unknown_function(name: str, scope: Scope) -> str:
    known = sorted(scope.functions.keys() | ir.FUNCTIONS | ALIASES.keys() | set(DIFF_NAMES))
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"unknown function {name!r} ({hint}define it under [definitions])"
