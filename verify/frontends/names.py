"""What names mean in a line: defined functions (with the built-in prelude) and allowed variables.

Shared by every front end.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from .. import calculus, ir

ALIASES = {"ln": "log"}
DIFF_NAMES = ("diff", "Derivative")


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
    x = ir.Var("x")
    sigma = ir.div(ir.ONE, ir.add(ir.ONE, ir.call("exp", ir.neg(x))))
    return Scope({"sigma": Definition("sigma", ("x",), sigma)})


PRELUDE = _prelude()




def unknown_function(name: str, scope: Scope) -> str:
    known = sorted(scope.functions.keys() | ir.FUNCTIONS | ALIASES.keys() | set(DIFF_NAMES))
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"unknown function {name!r} ({hint}define it under [definitions])"
