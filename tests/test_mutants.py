"""Mutation tests: single-slip variants of every true step in proofs/ must never be proven.

The fast tier checks a deterministic sample; `pytest -m slow` checks all of them.
"""

from __future__ import annotations

import collections
import random
from dataclasses import replace

import pytest
from helpers import ROOT
from mutants import unique_slips

from verify import calculus, frontends, ir, numeric
from verify.derivation import Line, Step, fundamental_theorem
from verify.runner import run
from verify.verdict import Status

FAST_SAMPLE = 120


def _true_steps():
    for path in frontends.discover([ROOT / "proofs"]):
        loaded = frontends.load(path, str(path))
        for d in loaded.derivations:
            for step in d.steps():  # a definite integral's value would need quadrature to be called false
                if step.expected == "proven" and fundamental_theorem(step.lhs.expr, step.rhs.expr) is None:
                    yield step


def _numerically_false(step: Step, rhs) -> bool:
    """The variant differs from the left side at some trial point (independent of any engine); for
    antiderivatives, their derivatives do."""
    subs = dict(step.derivation.substitutions)
    x = step.derivation.antiderivative_variable(step.number)
    if x is not None:
        lhs = ir.lower_unknowns(calculus.antiderivative_meaning(step.lhs.expr, x, subs, []))
        new = ir.lower_unknowns(calculus.antiderivative_meaning(rhs, x, subs, []))
    else:
        lhs = ir.lower_unknowns(calculus.meaning(step.lhs.expr, subs))
        new = ir.lower_unknowns(calculus.meaning(rhs, subs))
    goal = ir.Rel("=", lhs, new)
    names = tuple(sorted(ir.free_names(lhs) | ir.free_names(new)
                         | {n for h in step.derivation.hypotheses for n in ir.free_names(h.lhs) | ir.free_names(h.rhs)}))
    limits = numeric.bounds(step.derivation.hypotheses)
    for point in numeric.candidate_points(names, 7, 40, limits=limits):
        if all(numeric.holds(h, point) for h in step.derivation.hypotheses) and numeric.differs(goal, point):
            return True
    return False


def mutant_derivations():
    out = []
    for step in _true_steps():
        d = step.derivation
        for kind, rhs in unique_slips(step.rhs.expr):
            if _numerically_false(step, rhs):
                line = Line(f"{kind}: {step.rhs.text}", rhs, step.rhs.where)
                out.append((kind, replace(d, name=f"{d.name} / step {step.number} / {kind}",
                                          lines=(step.lhs, line), expect=("refuted",))))
    return out


def check(sample: int | None):
    mutants = mutant_derivations()
    if sample is not None:
        mutants = random.Random(2026).sample(mutants, min(sample, len(mutants)))
    results = run([d for _, d in mutants], timeout=10.0, explaining=False)  # verdicts only
    counts = collections.Counter(r.verdict.status for r in results)
    by_kind = collections.Counter((kind, r.verdict.status.value) for (kind, _), r in zip(mutants, results))
    print(f"\nmutants: {len(results)}; proven {counts[Status.PROVEN]}, refuted {counts[Status.REFUTED]}, "
          f"unknown {counts[Status.UNKNOWN]}, error {counts[Status.ERROR]}")
    for (kind, status), n in sorted(by_kind.items()):
        print(f"  {kind:28} {status:8} {n}")
    proven = [r for r in results if r.verdict.status is Status.PROVEN]
    assert not proven, [(r.derivation, r.rhs) for r in proven]
    assert counts[Status.ERROR] == 0
    assert counts[Status.REFUTED] >= 0.98 * len(results)
    for r in results:
        if r.verdict.status is Status.REFUTED:
            assert r.verdict.counterexample is not None
        if r.verdict.status is Status.UNKNOWN:
            assert r.verdict.detail
    return len(results)


def test_a_sample_of_mutants_is_never_proven():
    assert check(FAST_SAMPLE) >= 100


@pytest.mark.slow
def test_every_mutant_is_never_proven():
    assert check(None) >= 1000
