"""The shortcuts that make a step cheaper (issue 14) give what the long way gives.

Each is checked against an independent computation: the positivity shortcut against numeric
evaluation, the one-question side conditions against asking Z3 each condition alone, the quick
screen against the verdicts of tiny differences, and the point drawing against the library.
"""

from __future__ import annotations

import json
import math
import random
import time
from fractions import Fraction

import mpmath
import pytest
from helpers import ROOT, obligation, run
from hypothesis import given, settings
from hypothesis import strategies as st

from verify import decide, ir, numeric, signs
from verify.verdict import Status

NAMES = frozenset({"a", "b"})  # positive; c may be anything


def _terms(depth: int):
    leaf = st.one_of(st.sampled_from([ir.Var("a"), ir.Var("b"), ir.Var("c")]),
                     st.integers(-3, 3).map(lambda n: ir.Num(Fraction(n))),
                     st.fractions(min_value=-2, max_value=2, max_denominator=7).map(ir.Num))
    if depth == 0:
        return leaf
    sub = _terms(depth - 1)
    return st.one_of(leaf,
                     st.lists(sub, min_size=2, max_size=3).map(lambda ts: ir.Add(tuple(ts))),
                     st.lists(sub, min_size=2, max_size=3).map(lambda fs: ir.Mul(tuple(fs))),
                     st.tuples(sub, st.sampled_from([-3, -2, -1, 2, 3, Fraction(1, 2)])).map(
                         lambda t: ir.Pow(t[0], ir.Num(Fraction(t[1])))))


def _value(e: ir.Expr, at: dict[str, float]) -> float | None:
    if isinstance(e, ir.Num):
        return float(e.value)
    if isinstance(e, ir.Var):
        return at[e.name]
    if isinstance(e, ir.Add):
        parts = [_value(t, at) for t in e.terms]
        return None if None in parts else math.fsum(parts)
    if isinstance(e, ir.Mul):
        parts = [_value(t, at) for t in e.factors]
        return None if None in parts else math.prod(parts)
    b = _value(e.base, at)
    p = float(e.exp.value)
    if b is None or b == 0 and p < 0 or b < 0 and not p.is_integer():
        return None
    try:
        return b ** p
    except OverflowError:
        return None


@settings(max_examples=400, deadline=None)
@given(_terms(3), st.integers(0, 2**32))
def test_a_term_called_positive_is_positive_wherever_its_names_are(term, seed):
    if not signs.positive(term, NAMES):
        return
    rng = random.Random(seed)
    for _ in range(20):
        at = {"a": 10 ** rng.uniform(-3, 3), "b": 10 ** rng.uniform(-3, 3), "c": rng.uniform(-5, 5)}
        v = _value(term, at)
        assert v is not None and v > 0, (ir.show(term), at, v)


def test_positivity_is_read_only_from_what_is_said_outright():
    x, t = ir.Var("x"), ir.Var("t")
    known = (ir.Rel(">", t, ir.ZERO), ir.Rel(">=", x, ir.ZERO), ir.Rel("<", ir.Num(Fraction(1)), ir.Var("u")))
    assert signs.positive_names(known) == {"t", "u"}  # x >= 0 allows x = 0
    one_plus_t = ir.Add((ir.ONE, t))
    assert signs.implied(ir.Rel("!=", one_plus_t, ir.ZERO), frozenset({"t"}))
    assert not signs.implied(ir.Rel("!=", ir.Add((ir.MINUS_ONE, t)), ir.ZERO), frozenset({"t"}))
    assert not signs.implied(ir.Rel("<", one_plus_t, ir.ZERO), frozenset({"t"}))
    assert not signs.positive(ir.Pow(x, ir.Num(Fraction(2))), frozenset())  # x^2 is 0 at 0


def _proofs_obligations(least_requirements: int):
    from verify import frontends

    derivations = frontends.load_paths([ROOT / "proofs" / "ml", ROOT / "proofs" / "calculus"]).derivations
    for d in derivations:
        if d.instance:
            continue
        for step in d.steps():
            try:
                ob = step.obligation()
            except Exception:
                continue
            if len(ob.requirements) >= least_requirements:
                yield ob


def test_side_conditions_are_those_z3_finds_asking_each_alone():
    """The shortcut (positivity by form, then one question for all) against the plain way: Z3 asked
    whether the hypotheses imply each requirement, one at a time."""
    from verify.engines.z3 import new_context

    compared = 0
    for ob in _proofs_obligations(1):
        new_context()
        fast = decide.side_conditions(ob, time.monotonic() + 10)
        new_context()
        plain = tuple(i for i in range(len(ob.requirements))
                      if not decide._z3_proves(decide._claim(ob, i, []), time.monotonic() + 10))
        assert fast == plain, [ir.show_rel(r) for r in ob.requirements]
        compared += 1
    assert compared > 100


def test_a_difference_too_small_for_double_precision_is_still_refuted():
    """The quick look screens points in double precision; a difference below what doubles show must
    still be found by the stages after it, and refuted."""
    for lhs, rhs in [("x*(1 + 10^(-14))", "x"), ("exp(x) + 10^(-15)", "exp(x)"),
                     ("x*3.14159265358979", "pi*x")]:
        v = decide.decide(obligation(lhs, rhs), 10)
        assert v.status is Status.REFUTED, (lhs, rhs, v)
        a, b = (numeric.value(e, {n: numeric._mpf(Fraction(t)) for n, t in v.counterexample.point})
                for e in (obligation(lhs, rhs).goal.lhs, obligation(lhs, rhs).goal.rhs))
        assert a != b


@settings(max_examples=2000, deadline=None)
@given(st.one_of(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6),
                 st.floats(min_value=1e-14, max_value=1e-6)))
def test_points_are_drawn_as_the_library_would_round_them(v):
    assert numeric._nearest(v, 10**12) == Fraction(v).limit_denominator(10**12)


@pytest.mark.parametrize("rhs, verdict", [("400 \\ln 10", "proven"), ("401 \\ln 10", "refuted")])
def test_a_number_beyond_double_precision_is_left_to_mpmath_not_an_internal_error(rhs, verdict):
    """10^400 cannot be a double: the compiled screen raised OverflowError while it was made, and the step
    became an internal error. ln(10^400) = 400 ln 10, by mpmath at 60 digits."""
    with mpmath.workdps(60):
        assert abs(mpmath.log(mpmath.mpf(10) ** 400) - 400 * mpmath.log(10)) < mpmath.mpf(10) ** -50
    code, out, _ = run("-e", f"\\log 10^{{400}} = {rhs}", "--format", "json")
    step = json.loads(out)["derivations"][0]["steps"][0]
    assert step["verdict"] == verdict and any("natural logarithm" in n for n in step["notes"])
