"""What the parts of the LaTeX reader share: limits, and the small records they pass around."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...errors import Location
from .lexer import Token

MAX_DEPTH = 200
MAX_NUMBER_DIGITS = 1000
MAX_TERMS = 1000  # terms a \sum or \prod may expand to, nested ones multiplied
MAX_RUNS = 64  # readings tried for ambiguous absolute-value bars
DERIVATIVE_ORDER = range(1, 11)


@dataclass
class Operator:
    """Something that applies to the rest of its term: a derivative, a sum or a product."""

    kind: str  # "diff", "sum", "prod"
    token: Token
    variables: tuple[tuple[str, int], ...] = ()  # (variable, order), outermost first
    index: str = ""
    bounds: tuple[int, int] = (0, 0)
    skip: int | None = None  # \sum_{j \neq i}: the value of i is left out
    total: bool = False  # d/dx, not \partial_x or D_x: a name such as y may depend on x


@dataclass
class Scripts:
    sub: tuple[int, int] | None = None  # token spans of the arguments
    sup: tuple[int, int] | None = None
    primes: int = 0


@dataclass
class State:
    notes: list[str] = field(default_factory=list)
    products: list[tuple[str, Location]] = field(default_factory=list)
    variables: set[str] = field(default_factory=set)
    operators: list[tuple[str, Location]] = field(default_factory=list)
