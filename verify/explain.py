"""Explain a step that is not proven: what the left side works out to, how the two sides relate,
a corrected right side that the engines prove, the slip that explains it, and where the step
does hold. For an unknown step, what was tried and what may decide it.

The explanation reads the step and asks the engines (decide) new questions; it never changes
the step's verdict. Candidates are screened at a few points first, and only what an engine
proves is ever shown.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Callable

from mpmath import mpf

from . import ir, numeric, printing, slips
from .decide import decide
from .derivation import Step
from .errors import NOT_CHECKED
from .ir import Expr, Rel, Var
from .verdict import Diagnosis, Status, Verdict

BUDGET = 5.0  # seconds per step, at most
CHECK_TIME = 2.0  # seconds per engine question, at most
MAX_CHECKS = 8  # engine questions for a correction
SCREEN_POINTS = 5
MAX_NODES = 400  # a right side larger than this is not searched for single edits
SIMPLE = 12  # nodes: a factor or an offset this small makes a relation worth stating


@dataclass
class _Probe:
    step: Step
    deadline: float
    checks: int = 0
    points: list[numeric.Point] = field(default_factory=list)
    left: list[mpf] = field(default_factory=list)  # the left side's value at each point

    @property
    def latex(self) -> bool:
        return self.step.lhs.latex or self.step.rhs.latex

    def show(self, e: Expr) -> str:
        return printing.show(e, self.latex)

    def time_left(self) -> float:
        return self.deadline - time.monotonic()

    def meaning(self, e: Expr) -> Expr | None:
        """`e` in plain functions, as the step's obligation sees it; None if it cannot be worked out."""
        try:
            return self.step.derivation.meaning(e)
        except (ValueError, TypeError, RecursionError):
            return None

    def agrees(self, e: Expr | None, values: list[mpf] | None = None) -> bool:
        """`e` (in plain functions) has the given values (the left side's) at every screening point."""
        if e is None:
            return False
        values = self.left if values is None else values
        pairs = [(p, v) for p, v in zip(self.points, values) if v is not None]
        if not pairs:
            return False
        for p, v in pairs:
            try:
                got = numeric.value(e, p)
            except KeyError:  # a name the points do not hold: the constant C of an antiderivative
                return False
            if got is None or not numeric.close(got, v):
                return False
        return True

    def proven(self, lhs: Expr, rhs: Expr, extra: tuple[Rel, ...] = ()) -> bool:
        """Whether the engines prove `lhs = rhs` in this step's derivation (with `extra` hypotheses)."""
        if self.time_left() <= 0.05:
            return False
        self.checks += 1
        d = self.step.derivation
        step = Step(replace(d, hypotheses=(*d.hypotheses, *extra)), self.step.number,
                    replace(self.step.lhs, expr=lhs), replace(self.step.rhs, expr=rhs), "proven")
        try:
            verdict = decide(step.obligation(), min(CHECK_TIME, self.time_left()))
        except (ValueError, TypeError, ArithmeticError, RecursionError):
            return False
        return verdict.status is Status.PROVEN


def _size(e: Expr) -> int:
    return sum(1 for _ in ir.walk(e))


def _simplest(e: Expr) -> Expr:
    """The shortest of `e` and a few SymPy simplifications of it (not yet proven equal)."""
    from .engines.sympy import from_sympy, to_sympy  # SymPy is imported only when a step needs it
    import sympy

    found = [e]
    if _size(e) > 200:
        return e
    s = to_sympy(e)
    functions = _functions(e)
    for way in (sympy.factor, sympy.cancel, sympy.simplify):
        try:
            simpler = from_sympy(way(s))
        except (TypeError, ValueError, AttributeError, RecursionError, sympy.PolynomialError):
            continue
        if _functions(simpler) <= functions:  # e^{-x} stays e^{-x}, not 1/(4 cosh^2(x/2))
            found.append(simpler)
    best = min(found, key=_size)
    return best if _size(best) <= 0.6 * _size(e) else e  # the derivative as computed, unless much shorter


def _functions(e: Expr) -> set[str]:
    return {n.func for n in ir.walk(e) if isinstance(n, ir.Call)}


def _has_derivative(e: Expr) -> bool:
    return any(isinstance(n, ir.Diff) or isinstance(n, ir.Apply) and n.order for n in ir.walk(e))


def _derivative(probe: _Probe) -> tuple[Expr, str, bool] | None:
    """What the nearest line with a derivative (the left side, or a line before it) works out to,
    simplified where that is proven equal; with that line as written, and whether the engines proved
    the result equal to it."""
    lines = probe.step.derivation.lines[: probe.step.number]
    source = next((line for line in reversed(lines) if _has_derivative(line.expr)), None)
    if source is None:
        return None
    worked = probe.meaning(source.expr)
    if worked is None or _has_derivative(worked):
        return None
    short = _simplest(worked)
    if short != worked and probe.proven(source.expr, short):
        return short, source.text, True
    return worked, source.text, probe.proven(source.expr, worked)


@dataclass(frozen=True)
class _Relation:
    text: str  # "rhs = -lhs", in the input's notation
    words: str  # the same for a learner
    build: Callable[[Expr], Expr]  # the right side from the left


def _relations(probe: _Probe, ob_lhs: Expr, ob_rhs: Expr) -> list[_Relation]:
    """Simple relations worth trying: a sign, a reciprocal, and the quotient and difference of the sides
    when SymPy makes them a number or a small expression."""
    times = " \\cdot " if probe.latex else "*"
    out = [_Relation("rhs = -lhs", "the right side is minus the left side (a sign)", ir.neg),
           _Relation("rhs = 1/lhs", "the right side is 1 over the left side (a reciprocal)",
                     lambda a: ir.power(a, ir.MINUS_ONE)),
           _Relation("rhs = -1/lhs", "the right side is −1 over the left side",
                     lambda a: ir.neg(ir.power(a, ir.MINUS_ONE)))]
    if _size(ob_lhs) + _size(ob_rhs) > 120:
        return out
    from .engines.sympy import from_sympy, to_sympy  # SymPy is imported only when a step needs it
    import sympy

    l, r = to_sympy(ob_lhs), to_sympy(ob_rhs)
    found = []
    for kind, value in (("factor", r / l), ("offset", r - l)):
        try:
            found.append((kind, from_sympy(sympy.simplify(value))))
        except (TypeError, ValueError, AttributeError, RecursionError, ZeroDivisionError):
            continue
    for kind, e in sorted(found, key=lambda f: (not isinstance(f[1], ir.Num), _size(f[1]))):  # a constant first
        if e in ((ir.ZERO, ir.ONE, ir.MINUS_ONE) if kind == "factor" else (ir.ZERO,)) or _size(e) > SIMPLE \
                or not _functions(e) <= _functions(ob_lhs) | _functions(ob_rhs):
            continue
        shown = probe.show(e)
        if isinstance(e, ir.Add) or isinstance(e, ir.Num) and e.value < 0:
            shown = f"\\left({shown}\\right)" if probe.latex else f"({shown})"
        constant = isinstance(e, ir.Num)
        if kind == "factor":
            out.append(_Relation(f"rhs = {shown}{times}lhs" if constant else f"rhs = lhs{times}{shown}",
                                 f"the right side is {probe.show(e)} times the left side" if constant else
                                 f"the right side is the left side times {shown}", lambda a, e=e: ir.mul(e, a)))
        else:
            sign, t = ("-", ir.neg(e)) if ir.is_negative(e) else ("+", e)
            term = probe.show(t)
            if isinstance(t, ir.Add):
                term = f"\\left({term}\\right)" if probe.latex else f"({term})"
            words = f"the right side is the left side {'minus' if sign == '-' else 'plus'} {term}"
            out.append(_Relation(f"rhs = lhs {sign} {term}", words + (" (off by a constant)" if constant else ""),
                                 lambda a, e=e: ir.add(a, e)))
    return out


def _relation(probe: _Probe, ob_lhs: Expr, ob_rhs: Expr) -> _Relation | None:
    """The first simple relation between the sides that the engines prove."""
    a, b = probe.step.lhs.expr, probe.step.rhs.expr
    right = [numeric.value(ob_rhs, p) for p in probe.points]
    for rel in _relations(probe, ob_lhs, ob_rhs):
        if probe.time_left() <= 0.05:
            return None
        if probe.agrees(probe.meaning(rel.build(a)), right) and probe.proven(b, rel.build(a)):
            return rel
    return None


def _holds_where(probe: _Probe, point: dict[str, mpf], ob) -> str | None:
    """One simple hypothesis on one variable (x > 0, x < 0, x != 0) under which the engines prove the step."""
    names = [n for n in ob.variables if n in ir.free_names(ob.goal.lhs) | ir.free_names(ob.goal.rhs)]
    for n in names:
        for op in (">", "<", "!="):
            if probe.time_left() <= 0.05:
                return None
            hyp = Rel(op, Var(n), ir.ZERO)
            if n in point and numeric.holds(hyp, point):
                continue  # the step fails at a point where this holds
            limits = {n: (Fraction(1, 10**6), None) if op == ">" else (None, Fraction(-1, 10**6))} if op != "!=" else {}
            sample = [p for p in numeric.candidate_points(ob.variables, numeric.seed_for(ob.goal) + 2, 40,
                                                          limits={**numeric.bounds(ob.hypotheses), **limits})
                      if numeric.holds(hyp, p) and numeric.in_domain(ob, p)][:SCREEN_POINTS]
            if not sample or any(numeric.differs(ob.goal, p) for p in sample):
                continue
            if probe.proven(probe.step.lhs.expr, probe.step.rhs.expr, (hyp,)):
                return ir.show_rel(hyp)
    return None


def _screening_points(probe: _Probe, point: dict[str, mpf], ob) -> None:
    """The counterexample and a few points where the hypotheses hold and the left side has a value."""
    candidates = [point] + list(numeric.candidate_points(ob.variables, numeric.seed_for(ob.goal) + 3, 60,
                                                         limits=numeric.bounds(ob.hypotheses)))
    for p in candidates:
        if len(probe.points) > SCREEN_POINTS:
            break
        if any(n not in p for n in ob.variables):
            continue
        if not all(numeric.holds(h, p) for h in ob.hypotheses):
            continue
        v = numeric.value(ob.goal.lhs, p)
        if v is not None:
            probe.points.append(p)
            probe.left.append(v)


def _refuted(step: Step, verdict: Verdict, budget: float) -> Diagnosis:
    probe = _Probe(step, time.monotonic() + budget)
    ob = step.obligation()
    cx = verdict.counterexample
    point = {n: mpf(v) for n, v in cx.point} if cx else {}
    _screening_points(probe, point, ob)

    worked = _derivative(probe)
    derivative, derivative_of = (probe.show(worked[0]), worked[1]) if worked else (None, None)

    edit = None
    calc = slips.calculus_of([line.expr for line in step.derivation.lines[: step.number]])
    edits = slips.edits(step.rhs.expr, calc) if _size(step.rhs.expr) <= MAX_NODES else iter(())
    for candidate in edits:
        if probe.time_left() <= 0.05 or probe.checks >= MAX_CHECKS:
            break
        if probe.agrees(probe.meaning(candidate.line)) and probe.proven(step.lhs.expr, candidate.line):
            edit = candidate
            break
    relation = _relation(probe, ob.goal.lhs, ob.goal.rhs)
    holds_where = _holds_where(probe, point, ob) if edit is None else None

    correction = slip = rule = change = None
    if edit is not None:
        s = slips.CATALOGUE[edit.kind]
        correction, slip, rule = probe.show(edit.line), s.name, s.rule
        change = f"{probe.show(edit.before)} → {probe.show(edit.after)}"
        summary = (f"{s.name.capitalize()}: with {change} the step holds, so the right side should be "
                   f"{correction}. {s.rule[0].upper()}{s.rule[1:]}.")
    elif worked is not None and worked[2] and _has_derivative(step.lhs.expr):
        correction = derivative
        summary = (f"No single slip of the catalogue explains this line; the derivative on the left works out "
                   f"to {derivative}.")
    else:
        summary = "No single slip of the catalogue turns this right side into one that holds."
    if relation:
        summary += f" As written, {relation.words} (proven)."
    if holds_where:
        summary += f" The step does hold where {holds_where}, but not for every value."
    if edit is None and cx:
        summary += f" At the counterexample the left side is {cx.lhs} and the right side {cx.rhs}."
    return Diagnosis(summary, derivative, derivative_of, relation.text if relation else None, correction, change,
                     slip, rule, holds_where, cx.difference if cx else None)


def _unknown(verdict: Verdict, timeout: float) -> Diagnosis:
    """What was tried, from the verdict's reasons, and what may decide the step."""
    detail = verdict.detail
    tried = ("z3 on the real-arithmetic encoding", "sympy simplification", "numeric search for a counterexample")
    if detail.startswith(NOT_CHECKED):
        return Diagnosis(f"Not checked: {detail[len(NOT_CHECKED):]}.", tried=(),
                         help="write the step in a form verify checks (see the README)")
    if "time limit" in detail:
        help_ = f"a longer time limit (--timeout; it was {timeout:g} s), or an intermediate line that splits the step"
    elif "no real point" in detail or "domain may be empty" in detail:
        tried = ("z3, for a point where the hypotheses and conditions hold",)
        help_ = ("check the assumptions: no real point satisfies them together with the conditions under which "
                 "the sides are defined")
    elif "significant digits" in detail or "exp of a number" in detail:
        help_ = ("the sides agree beyond the precision verify computes at the points it tried; an exact symbolic "
                 "intermediate line, or a hypothesis that keeps the values moderate, may decide it")
    elif "abstraction" in detail:
        help_ = "a hypothesis on the variables (such as x > 0) or an intermediate line may let z3 decide it"
    else:
        help_ = "an intermediate line that makes the step smaller, a hypothesis (such as x > 0), or a longer --timeout"
    return Diagnosis(f"Not decided: {detail}. What may help: {help_}.", tried=tried, help=help_)


def diagnose(step: Step, verdict: Verdict, budget: float = BUDGET, timeout: float = 10.0) -> Diagnosis | None:
    """The diagnosis of a refuted or unknown step, within about `budget` seconds; None for others."""
    if verdict.status is Status.REFUTED:
        return _refuted(step, verdict, budget)
    if verdict.status is Status.UNKNOWN:
        return _unknown(verdict, timeout)
    return None
