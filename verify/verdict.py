"""What the checker says about each step."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .numeric import Counterexample


class Status(str, Enum):
    PROVEN = "proven"
    REFUTED = "refuted"
    UNKNOWN = "unknown"
    ERROR = "error"  # a bug: an engine or the encoding contradicts itself


@dataclass(frozen=True)
class Verdict:
    status: Status
    engine: str | None = None  # "z3", "sympy", "numeric"
    conditions: tuple[str, ...] = ()  # side conditions the proof needs
    counterexample: Counterexample | None = None
    detail: str = ""
    seconds: float = 0.0


@dataclass(frozen=True)
class StepResult:
    file: str
    derivation: str
    step: int
    lhs: str
    rhs: str
    expected: str
    verdict: Verdict
    line: int = 0
    col: int = 0
    assumptions: tuple[str, ...] = ()  # of the derivation: hypotheses and substitutions
    lhs_read: str = ""  # how each line was read, in the plain syntax
    rhs_read: str = ""
    latex: bool = False  # a line of the step is LaTeX
    hint: str = ""  # the justification written beside the step
    notes: tuple[str, ...] = ()  # how something unusual in its lines was read

    @property
    def unexpected(self) -> bool:
        return self.verdict.status.value != self.expected
