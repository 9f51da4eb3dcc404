"""Decide one obligation: Z3 first, SymPy where Z3 cannot, numeric search for counterexamples.

A refutation is only ever a confirmed real counterexample, and a proof is
cross-checked numerically before it is reported.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Callable

from . import calculus, engines, ir, numeric, signs
from .calculus import Kink
from .encode import Obligation, encode
from .engines import Candidate, Proven
from .engines.z3 import ENGINE as Z3
from .engines.z3 import new_context, proves_all
from .verdict import Status, Verdict

CONDITION_TIMEOUT = 1.0
QUICK_SEARCH = 40


def _z3_proves(ob: Obligation, deadline: float) -> bool:
    """A side question to Z3, with at most CONDITION_TIMEOUT of the step's time."""
    return isinstance(Z3.discharge(ob, _limit(deadline)), Proven)


def _limit(deadline: float) -> float:
    return max(0.05, min(CONDITION_TIMEOUT, deadline - time.monotonic()))


def _claim(ob: Obligation, i: int, by: list[int]) -> Obligation:
    """Requirement i under the hypotheses and the requirements `by`, without facts that presume the domain."""
    return replace(ob, goal=ob.requirements[i], real_goal=ob.real_requirements[i], domain_facts=(),
                   requirements=tuple(ob.requirements[j] for j in by),
                   real_requirements=tuple(ob.real_requirements[j] for j in by))


def side_conditions(ob: Obligation, deadline: float) -> tuple[int, ...]:
    """The requirements that the hypotheses do not already imply (their indices)."""
    positive = signs.positive_names((*ob.facts, *ob.real_hypotheses))
    rest = [i for i, r in enumerate(ob.real_requirements) if not signs.implied(r, positive)]
    if len(rest) > 1 and proves_all(ob, tuple(ob.real_requirements[i] for i in rest), _limit(deadline)):
        return ()  # all implied, asked at once; otherwise each is asked alone
    return tuple(i for i in rest if not _z3_proves(_claim(ob, i, []), deadline))


def without_redundant(ob: Obligation, kept: tuple[int, ...], deadline: float) -> tuple[str, ...]:
    """Drop each condition that the hypotheses and the others imply (x*y > 0 beside x > 0, y > 0),
    as text. Only sound where the hypotheses and requirements can hold together."""
    rest = list(kept)
    for i in kept:
        if len(rest) > 1 and _z3_proves(_claim(ob, i, [j for j in rest if j != i]), deadline):
            rest.remove(i)
    return tuple(ir.show_rel(ob.requirements[i]) for i in rest)


def _joins(ob: Obligation, kink: Kink, deadline: float) -> bool:
    """On the boundary of `kink`, every piece has the same value and derivatives up to its order (Z3):
    then the function is differentiable there, with that derivative, whichever piece holds."""
    boundary = ir.Rel("=", kink.lhs, kink.rhs)
    domain = tuple(r for r in ob.requirements if not isinstance(r, Kink))
    false = ir.Rel("!=", ir.ZERO, ir.ZERO)
    if _z3_proves(encode(false, (*ob.hypotheses, boundary), domain), deadline):  # no boundary point: nothing joins
        return False
    # each piece must itself be differentiable on the boundary: no kink of its own, no |u| at u = 0 there
    for v in kink.values:
        inner = [ir.Rel("!=", r.lhs, r.rhs) for r in calculus.kinks(v, kink.var, kink.order)]
        inner += [ir.Rel("!=", n.arg, ir.ZERO) for n in ir.walk(v)
                  if isinstance(n, ir.Call) and n.func == "abs" and kink.var in ir.free_names(n.arg)]
        for r in inner:
            r = ir.Rel(r.op, ir.lower_unknowns(r.lhs), ir.lower_unknowns(r.rhs))
            if not _z3_proves(encode(r, (*ob.hypotheses, boundary), domain), deadline):
                return False
    layer = list(kink.values)
    for k in range(kink.order + 1):
        if k:
            layer = [calculus.derivative(v, kink.var) for v in layer]
        lowered = [ir.lower_unknowns(v) for v in layer]
        if kink.lhs == ir.Var(kink.var) and kink.var not in ir.free_names(kink.rhs):  # x = 0: put it in
            lowered = [ir.substitute(v, {kink.var: kink.rhs}) for v in lowered]
        for v in lowered[1:]:
            needs = calculus.requirements(lowered[0]) + calculus.requirements(v)
            try:
                claim = encode(ir.Rel("=", lowered[0], v), (*ob.hypotheses, boundary), calculus.unique([*domain, *needs]))
            except (TypeError, ValueError):
                return False
            if not _z3_proves(claim, deadline):
                return False
    return True


def smooth_joins(ob: Obligation, deadline: float) -> tuple[Obligation, tuple[str, ...]]:
    """Drop each kink (a boundary between the pieces of a function that is differentiated) where the
    pieces are proven to join smoothly, and say so."""
    drop = [i for i, r in enumerate(ob.requirements) if isinstance(r, Kink) and r.values
            and not _z3_proves(_claim(ob, i, []), deadline)  # the hypotheses keep away from it: nothing to join
            and _joins(ob, r, deadline)]
    if not drop:
        return ob, ()
    keep = [i for i in range(len(ob.requirements)) if i not in drop]
    notes = tuple(f"the pieces join smoothly where {ir.show(ob.requirements[i].lhs)} = "
                  f"{ir.show(ob.requirements[i].rhs)} (proven), so the derivative exists there too" for i in drop)
    return replace(ob, requirements=tuple(ob.requirements[i] for i in keep),
                   real_requirements=tuple(ob.real_requirements[i] for i in keep)), notes


def empty_domain(ob: Obligation, deadline: float) -> bool:
    """Z3 proves that no point satisfies the hypotheses and the requirements together.

    The question assumes the requirements, so it may use every fact that holds where they do (s^2 = u
    for s = sqrt(u)): without them, sqrt(1 - x^2) > 2 would look satisfiable."""
    false = ir.Rel("!=", ir.ZERO, ir.ZERO)
    return _z3_proves(replace(ob, goal=false, real_goal=false), deadline)


def promote(ob: Obligation, deadline: float) -> Obligation:
    """Domain facts whose guard the hypotheses imply hold everywhere that matters: make them facts."""
    keep, promoted = [], []
    for d in ob.domain_facts:
        claim = replace(ob, goal=d.guard, real_goal=d.guard, domain_facts=(), requirements=(), real_requirements=())
        (promoted if d.guard is not None and _z3_proves(claim, deadline) else keep).append(d)
    if not promoted:
        return ob
    return replace(ob, facts=(*ob.facts, *(d.fact for d in promoted)), domain_facts=tuple(keep))


def _positivity(ob: Obligation, deadline: float) -> Callable[[ir.Expr], bool]:
    """A test, by Z3, that a real-arithmetic term is positive wherever the step is claimed."""

    def positive(term: ir.Expr) -> bool:
        claim = ir.Rel(">", term, ir.ZERO)
        return _z3_proves(replace(ob, goal=claim, real_goal=claim), deadline)

    return positive


def decide(ob: Obligation, timeout: float, on_z3: Callable[[Obligation, str], None] | None = None,
           second_opinion: str | None = None) -> Verdict:
    """The verdict on `ob`; `on_z3(ob, "unsat" | "sat")` is told of every obligation Z3 decides,
    and the engine named `second_opinion` re-checks every proof of Z3's."""
    v = _decide(ob, timeout, on_z3, second_opinion)
    if not ob.whole_domain:
        return v
    # the fundamental theorem: F' = f must hold on all of [a, b]; where it fails, the integral may still be right
    if v.status is Status.REFUTED:
        return replace(v, status=Status.UNKNOWN, engine=None, detail="F' differs from f at the point shown, so the fundamental "
                                                        "theorem does not give this value (the integral may still have it)")
    if v.status is Status.PROVEN and v.conditions:
        return replace(v, status=Status.UNKNOWN, engine=None, conditions=(),
                       detail=f"F' = f is proven only where {' and '.join(v.conditions)}; the fundamental theorem "
                              "needs it at every point between the bounds")
    return v


def _decide(ob: Obligation, timeout: float, on_z3: Callable[[Obligation, str], None] | None,
            second_opinion: str | None) -> Verdict:
    start = time.monotonic()
    deadline = start + timeout
    remaining = lambda: max(0.05, deadline - time.monotonic())
    unsettled: list[str] = []
    found = numeric.quick(ob, unsettled=unsettled)  # before any solver: a few points settle many false steps at once
    if found:
        return Verdict(Status.REFUTED, "numeric", counterexample=found, seconds=time.monotonic() - start,
                       remarks=ob.remarks)
    new_context()
    ob = promote(ob, deadline)
    ob, joins = smooth_joins(ob, deadline)
    kept = side_conditions(ob, deadline)
    # with no hypotheses and no requirement left, the domain is all of R^n and cannot be empty
    if (ob.hypotheses or kept) and empty_domain(ob, deadline):
        return Verdict(Status.UNKNOWN, seconds=time.monotonic() - start, remarks=ob.remarks,
                       detail="no real point satisfies the hypotheses together with the conditions under which "
                              "both sides are defined, so the step says nothing; check the assumptions")
    conditions = without_redundant(ob, kept, deadline)
    if any(a.kind == "log" for a in ob.abstractions):
        from .logs import split_logs  # imports SymPy, for its factorization

        ob = split_logs(ob, _positivity(ob, deadline))
    reasons: list[str] = []

    def done(status: Status, engine: str | None, **kw) -> Verdict:
        remarks = (*ob.remarks, *(joins if status is Status.PROVEN else ()))
        return Verdict(status, engine, conditions if status is Status.PROVEN else (), seconds=time.monotonic() - start,
                       remarks=remarks, **kw)

    def proven(engine: str) -> Verdict:
        check = numeric.cross_check(ob)
        if check.disagreement is not None:
            return done(Status.ERROR, engine, counterexample=check.disagreement,
                        detail=f"{engine} proved this step, but the sides differ numerically at the point shown: "
                               "a bug in an engine or in the encoding; please report it")
        if check.points == 0 and not ob.variables:  # the one point there is fails the conditions
            return done(Status.UNKNOWN, None, detail=f"{engine} proved this step, but its conditions are false (the "
                                                     "step has no variables, and they do not hold at its one point), "
                                                     "so the step says nothing")
        if check.points == 0:  # a proof about no point found is no proof to report
            return done(Status.UNKNOWN, None, detail=f"{engine} proved this step, but no point was found where the "
                                                     "hypotheses and the conditions hold together; the domain may "
                                                     "be empty, and then the step says nothing")
        opinion = ""
        if second_opinion and engine == "z3":
            other = engines.get(second_opinion).discharge(ob, remaining())
            if isinstance(other, Candidate):
                return done(Status.ERROR, engine, detail=f"z3 proved this step but {second_opinion} finds its "
                                                          "negation satisfiable: a bug in one of them; please report it")
            opinion = f"; {second_opinion} agrees" if isinstance(other, Proven) else f"; {other.reason}"
        points = "1 point (the step has no variables)" if check.points == 1 and not ob.variables else f"{check.points} points"
        return done(Status.PROVEN, engine, detail=f"cross-checked at {points}{opinion}")

    outcome = Z3.discharge(ob, remaining())
    if on_z3 is not None and isinstance(outcome, (Proven, Candidate)):
        on_z3(ob, "unsat" if isinstance(outcome, Proven) else "sat")
    if isinstance(outcome, Proven):
        return proven(outcome.engine)
    if isinstance(outcome, Candidate):
        for point in numeric.points_from_model(ob, outcome.values):
            found = numeric.confirm(ob, point)
            if found:
                return done(Status.REFUTED, outcome.engine, counterexample=found)
        reasons.append("Z3's counterexample holds only for the abstraction (it does not match a real point)"
                       if ob.variables else "Z3 could not prove the two numbers equal")
    else:
        reasons.append(outcome.reason)

    found = numeric.search(ob, QUICK_SEARCH)  # cheap, and SymPy may take all the remaining time
    if found:
        return done(Status.REFUTED, "numeric", counterexample=found)

    outcome = engines.get("sympy").discharge(ob, remaining())
    if isinstance(outcome, Proven):
        return proven(outcome.engine)
    reasons.append(outcome.reason)

    found = numeric.search(ob)
    if found:
        return done(Status.REFUTED, "numeric", counterexample=found)
    reasons.append("no counterexample found at the trial points")
    if unsettled:  # the bound that stopped the exact check (see README, Soundness)
        reasons.append(unsettled[0])
    return done(Status.UNKNOWN, None, detail="; ".join(reasons))
