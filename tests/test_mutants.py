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

from verify import frontends, numeric
from verify.derivation import Line, Step, fundamental_theorem
from verify.runner import run
from verify.verdict import Status

FAST_SAMPLE = 120


# the files of issue 13: piecewise functions, sums, integrals and trigonometry
NEW_FUNCTIONS = [ROOT / "proofs" / p for p in (
    "ml/relu.toml", "ml/leaky-relu.toml", "ml/elu.toml", "ml/selu.toml", "ml/hinge.toml", "ml/huber.toml",
    "ml/softmax-jacobian.toml", "ml/cross-entropy-softmax.toml", "calculus", "latex/activations-piecewise.md",
    "latex/softmax-and-integrals.md")]


def _true_steps(paths=None):
    for path in frontends.discover(paths or [ROOT / "proofs"]):
        loaded = frontends.load(path, str(path))
        for d in loaded.derivations:
            for step in d.steps():  # a definite integral's value would need quadrature to be called false
                if step.expected == "proven" and fundamental_theorem(step.lhs.expr, step.rhs.expr) is None:
                    yield step


def _numerically_false(step: Step, rhs) -> bool:
    """The variant differs from the left side at some trial point where the step is claimed (its
    hypotheses and the conditions under which its sides are defined hold, kinks excluded), by mpmath
    alone; for antiderivatives, their derivatives do."""
    variant = Step(step.derivation, step.number, step.lhs, Line("", rhs, step.rhs.where), "refuted")
    ob = variant.obligation()
    limits = numeric.bounds(ob.hypotheses)
    for point in numeric.candidate_points(ob.variables, 7, 40, limits=limits):
        if numeric.in_domain(ob, point) and numeric.differs(ob.goal, point):
            return True
    return False


def mutant_derivations(paths=None, sample: int | None = None):
    """Every false single-slip variant; or `sample` of them, drawn at random among the variants."""
    candidates = [(step, kind, rhs) for step in _true_steps(paths) for kind, rhs in unique_slips(step.rhs.expr)]
    if sample is not None:
        random.Random(2026).shuffle(candidates)
    out = []
    for step, kind, rhs in candidates:
        if sample is not None and len(out) == sample:
            break
        if _numerically_false(step, rhs):
            d = step.derivation
            line = Line(f"{kind}: {step.rhs.text}", rhs, step.rhs.where)
            out.append((kind, replace(d, name=f"{d.name} / step {step.number} / {kind}",
                                      lines=(step.lhs, line), expect=("refuted",))))
    return out


def check(sample: int | None, paths=None, jobs: int | None = None):
    mutants = mutant_derivations(paths, sample)
    results = run([d for _, d in mutants], timeout=10.0, jobs=jobs, explaining=False)  # verdicts only
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
def test_every_mutant_of_the_new_functions_is_never_proven():
    assert check(None, NEW_FUNCTIONS, jobs=2) >= 500


@pytest.mark.slow
def test_every_mutant_is_never_proven():
    assert check(None) >= 1000


@pytest.mark.slow
def test_a_sample_of_mutants_of_the_index_notation_files_is_never_proven():
    """Issue 15: 600 single-slip variants of true steps in their instances (z_i read as z_1, sums expanded)."""
    assert check(600, [ROOT / "proofs" / "ml" / "index-notation"], jobs=2) == 600
