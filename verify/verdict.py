"""What the checker says about each step."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .curves import Curve
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
    remarks: tuple[str, ...] = ()  # how the step was read as a claim: "up to a constant", smooth joins
    cached: bool = False  # taken from the cache of an earlier run (verify/cache.py)


@dataclass(frozen=True)
class Diagnosis:
    """Why a step is refuted or unknown, for a learner; what it says in formulas is in the notation of
    the input, and every correction was proven by the engines."""

    summary: str  # one sentence or three, for a learner
    derivative: str | None = None  # the derivative the left side (or the line before it) works out to
    derivative_of: str | None = None  # that line, as written
    relation: str | None = None  # "rhs = -lhs", proven
    correction: str | None = None  # a right side proven equal to the left side
    change: str | None = None  # the single edit that gives it: "e^{x} -> e^{-x}"
    slip: str | None = None  # the catalogue's name of the slip (verify/slips.py)
    rule: str | None = None  # the rule the slip breaks
    holds_where: str | None = None  # "x > 0": the step is proven under this hypothesis
    difference: str | None = None  # left minus right at the counterexample
    tried: tuple[str, ...] = ()  # for an unknown step: what was tried
    help: str | None = None  # for an unknown step: what may decide it
    seconds: float = 0.0  # what explaining took


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
    diagnosis: Diagnosis | None = None  # for a refuted or unknown step, when explaining is on
    # where the derivation declares indices: the instance the verdict is about (none where every instance is
    # proven), every instance checked, and each one's verdict
    instance: tuple[tuple[str, int], ...] = ()
    instances: tuple[tuple[tuple[str, int], ...], ...] = ()
    by_instance: tuple[tuple[tuple[tuple[str, int], ...], str, tuple[str, ...]], ...] = ()  # instance, verdict, conditions
    lhs_tex: str = ""  # how each line was read, in LaTeX, for a page that renders math
    rhs_tex: str = ""
    curve: Curve | None = None  # both sides near the counterexample, when plotting

    @property
    def counterexample(self) -> Counterexample | None:
        return self.verdict.counterexample

    @property
    def unexpected(self) -> bool:
        return self.verdict.status.value != self.expected
