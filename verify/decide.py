"""Decide one obligation: Z3 first, SymPy where Z3 cannot, numeric search for counterexamples.

A refutation is only ever a confirmed real counterexample, and a proof is
cross-checked numerically before it is reported.
"""

from __future__ import annotations

import time
from dataclasses import replace

from . import ir, numeric
from .encode import Obligation
from .engines import Candidate, Proven, Unknown
from .engines.sympy import ENGINE as SYMPY
from .engines.z3 import ENGINE as Z3
from .verdict import Status, Verdict

CONDITION_TIMEOUT = 1.0


def side_conditions(ob: Obligation, deadline: float) -> tuple[str, ...]:
    """The requirements that the hypotheses do not already imply, as text."""
    stated = []
    for req, real_req in zip(ob.requirements, ob.real_requirements):
        claim = replace(ob, goal=req, real_goal=real_req, requirements=(), real_requirements=())
        implied = Z3.discharge(claim, max(0.05, min(CONDITION_TIMEOUT, deadline - time.monotonic())))
        if not isinstance(implied, Proven):
            stated.append(ir.show_rel(req))
    return tuple(stated)


def decide(ob: Obligation, timeout: float) -> Verdict:
    start = time.monotonic()
    deadline = start + timeout
    remaining = lambda: max(0.05, deadline - time.monotonic())
    conditions = side_conditions(ob, deadline)
    reasons: list[str] = []

    def done(status: Status, engine: str | None, **kw) -> Verdict:
        return Verdict(status, engine, conditions if status is Status.PROVEN else (), seconds=time.monotonic() - start, **kw)

    def proven(engine: str) -> Verdict:
        check = numeric.cross_check(ob)
        if check.disagreement is not None:
            return done(Status.ERROR, engine, counterexample=check.disagreement,
                        detail=f"{engine} proved this step, but the sides differ numerically at the point shown: "
                               "a bug in an engine or in the encoding; please report it")
        return done(Status.PROVEN, engine, detail=f"cross-checked at {check.points} points")

    outcome = Z3.discharge(ob, remaining())
    if isinstance(outcome, Proven):
        return proven(outcome.engine)
    if isinstance(outcome, Candidate):
        for point in numeric.points_from_model(ob, outcome.values):
            found = numeric.confirm(ob, point)
            if found:
                return done(Status.REFUTED, outcome.engine, counterexample=found)
        reasons.append("Z3's counterexample holds only for the abstraction (it does not match a real point)")
    else:
        reasons.append(outcome.reason)

    outcome = SYMPY.discharge(ob, remaining())
    if isinstance(outcome, Proven):
        return proven(outcome.engine)
    reasons.append(outcome.reason)

    found = numeric.search(ob)
    if found:
        return done(Status.REFUTED, "numeric", counterexample=found)
    reasons.append("no counterexample found at the trial points")
    return done(Status.UNKNOWN, None, detail="; ".join(reasons))
