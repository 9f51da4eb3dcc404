"""Property tests: whatever verify says is checked against SymPy's own numeric evaluation."""

import sympy
from helpers import check_independently, obligation
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from verify.decide import decide

x, y = sympy.symbols("x y", real=True)

leaves = st.sampled_from([x, y, sympy.Integer(1), sympy.Integer(2), sympy.Rational(1, 2), sympy.Integer(-3)])


def _combine(children):
    return st.one_of(
        st.tuples(children, children).map(lambda p: p[0] + p[1]),
        st.tuples(children, children).map(lambda p: p[0] * p[1]),
        st.tuples(children, children).map(lambda p: p[0] / (1 + p[1] ** 2)),
        st.tuples(children, st.integers(-2, 3)).map(lambda p: p[0] ** p[1] if p[0] != 0 else p[0]),
        children.map(lambda c: sympy.exp(c / 2)),
        children.map(lambda c: sympy.exp(-c)),
    )


exprs = st.recursive(leaves, _combine, max_leaves=6)

REWRITES = {
    "expand": sympy.expand,
    "together": sympy.together,
    "powsimp": lambda e: sympy.powsimp(sympy.expand(e)),
    "shift x": lambda e: e.subs(x, x + 1),
    "slip": lambda e: e + sympy.Rational(1, 10) * x,
    "exp sign": lambda e: e.replace(sympy.exp, lambda a: sympy.exp(-a)),
}


def _text(e) -> str:
    return str(e)  # SymPy's printer writes exp(...), **, / and numbers: the plain syntax


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(exprs, st.sampled_from(sorted(REWRITES)))
def test_every_verdict_survives_an_independent_numeric_check(a, how):
    b = REWRITES[how](a)
    lhs, rhs = _text(a), _text(b)
    if len(lhs) > 400 or len(rhs) > 400:
        return
    ob = obligation(lhs, rhs)
    verdict = decide(ob, timeout=5.0)
    event(f"{how}: {verdict.status.value}")
    check_independently(ob, verdict)
