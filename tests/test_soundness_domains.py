"""Issue 9: a property test over random expressions with domains (log, sqrt, abs, real powers), checked
by SymPy alone at exact rational points.

- A proven step's conditions (its hypotheses and what makes both sides defined) hold somewhere, and at
  every sampled point where they hold, both sides are defined and equal.
- A refuted step's printed point, read as an exact decimal, satisfies those conditions, and the sides
  differ there."""

import random

import sympy
from helpers import differ_exactly, holds_exactly, obligation, sympy_value
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from verify.decide import decide
from verify.verdict import Status

x, y = sympy.symbols("x y", real=True)
leaves = st.sampled_from([x, y, sympy.Integer(1), sympy.Integer(2), sympy.Rational(1, 2), sympy.Integer(-3)])


def _combine(children):
    pair = st.tuples(children, children)
    return st.one_of(
        pair.map(lambda p: p[0] + p[1]),
        pair.map(lambda p: p[0] * p[1]),
        pair.map(lambda p: p[0] / p[1] if p[1] != 0 else p[0]),
        st.tuples(children, st.integers(-2, 3)).map(lambda p: p[0] ** p[1] if p[0] != 0 else p[0]),
        children.map(sympy.log),
        children.map(sympy.sqrt),
        children.map(sympy.Abs),
        children.map(lambda c: sympy.exp(c / 2)),
        children.map(lambda c: c ** sympy.Rational(3, 2)),
    )


exprs = st.recursive(leaves, _combine, max_leaves=7)


def _split_logs(e):
    """log(a b) -> log a + log b, and log(a^k) -> k log a: true only where a, b > 0."""
    return e.replace(lambda n: isinstance(n, sympy.log) and (n.args[0].is_Mul or n.args[0].is_Pow),
                     lambda n: sympy.expand_log(n, force=True))


REWRITES = {
    "expand": sympy.expand,
    "together": sympy.together,
    "split logs": _split_logs,
    "root of a square": lambda e: e.replace(lambda n: n.is_Pow and n.exp == sympy.Rational(1, 2) and n.base.is_Pow
                                            and n.base.exp == 2, lambda n: n.base.base),
    "powsimp": lambda e: sympy.powsimp(e, force=True),
    "slip": lambda e: e + sympy.Rational(1, 10**12) * x,
}


def _text(e) -> str:
    return str(e).replace("Abs(", "abs(")  # SymPy's printer writes the plain syntax, but for Abs


def _points(names, rng: random.Random):
    """Exact rational points of several magnitudes, with the small values first."""
    for v in (0, 1, -1, 2, sympy.Rational(1, 2), 3, -2):
        yield {n: v for n in names}
    while True:
        yield {n: sympy.Rational(round(rng.choice([rng.uniform(-5, 5), rng.uniform(0, 0.1), rng.uniform(-50, 50)]), 4))
               for n in names}


def _conditions(ob):
    return (*ob.hypotheses, *ob.requirements)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(exprs, st.sampled_from(sorted(REWRITES)))
def test_proofs_hold_where_claimed_and_refutations_at_their_printed_point(a, how):
    b = REWRITES[how](a)
    lhs, rhs = _text(a), _text(b)
    both = lhs + rhs
    if len(lhs) > 300 or len(rhs) > 300 or any(w in both for w in ("I", "zoo", "nan", "atan2", "re(", "im(", "arg(",
                                                                    "sign(", "Piecewise", "conjugate")):
        return  # what SymPy's rewrites bring in for complex values, which the plain syntax does not have
    ob = obligation(lhs, rhs)
    verdict = decide(ob, timeout=5.0)
    event(f"{how}: {verdict.status.value}")
    assert verdict.status is not Status.ERROR, verdict.detail
    if verdict.status is Status.PROVEN:
        rng, inside = random.Random(0), 0
        for k, point in enumerate(_points(ob.variables, rng)):
            if k >= 300 or inside >= 15:
                break
            if not all(holds_exactly(r, point) for r in _conditions(ob)):
                continue
            inside += 1
            va, vb = sympy_value(ob.goal.lhs, point, 40), sympy_value(ob.goal.rhs, point, 40)
            assert va is not None and vb is not None, (lhs, rhs, point)
            assert abs(va - vb) <= sympy.Float(10) ** -25 * max(1, abs(va), abs(vb)), (lhs, rhs, point, va, vb)
        event(f"proven, sampled at {min(inside, 15)} points")
        assert inside, (lhs, rhs, verdict.conditions)  # the conditions hold somewhere
    elif verdict.status is Status.REFUTED:
        point = {k: sympy.Rational(v) for k, v in verdict.counterexample.point}
        assert all(holds_exactly(r, point) for r in _conditions(ob)), (lhs, rhs, point)
        assert differ_exactly(ob.goal, point), (lhs, rhs, point)
    else:
        assert verdict.detail
