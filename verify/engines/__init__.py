"""Engines decide obligations. Each one is a module with an object that has `name` and `discharge`.

`discharge(obligation, timeout)` returns exactly one of Proven, Candidate or
Unknown; "don't know" is never None.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from fractions import Fraction
from typing import Protocol, Union

from ..encode import Obligation


@dataclass(frozen=True)
class Proven:
    engine: str


@dataclass(frozen=True)
class Candidate:
    """Values that satisfy the negation of the real-arithmetic form; not yet a real counterexample."""

    engine: str
    values: tuple[tuple[str, Fraction], ...]


@dataclass(frozen=True)
class Unknown:
    engine: str
    reason: str


Outcome = Union[Proven, Candidate, Unknown]


class Engine(Protocol):
    name: str

    def discharge(self, obligation: Obligation, timeout: float) -> Outcome: ...


MODULES = {"z3": "verify.engines.z3", "sympy": "verify.engines.sympy", "cvc5": "verify.engines.cvc5"}


def get(name: str) -> Engine:
    """The engine called `name`, imported on first use: SymPy alone takes a third of a second to import,
    and most steps never need it."""
    return importlib.import_module(MODULES[name]).ENGINE
