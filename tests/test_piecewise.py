"""Piecewise functions (issue 13): max, min, relu, heaviside, sign and Piecewise(...), decided by Z3 with
if-then-else. Claims about derivatives are checked against one-sided difference quotients computed with
mpmath alone."""

from __future__ import annotations

import random
from fractions import Fraction

import mpmath
import pytest
import sympy
from helpers import check_independently, obligation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verify import calculus, certain, ir, numeric
from verify.decide import decide
from verify.errors import Location
from verify.frontends import chain, plain
from verify.frontends.names import PRELUDE
from verify.runner import run as run_steps
from verify.verdict import Status

AT = Location("test", 1, 1)


def verdict(text: str, *assume: str):
    context = chain.Context()
    for i, a in enumerate(assume):
        context.assume(a, i + 1)
    (result,) = run_steps([chain.load(text, context=context)], isolate=False, explaining=False)
    return result.verdict


def value(text: str, x) -> mpmath.mpf | None:
    e = calculus.expand_derivatives(plain.parse_expr(text, AT, PRELUDE))
    return numeric.value(e, {"x": mpmath.mpf(x)}, 40)


def one_sided_slopes(text: str, x0, h=mpmath.mpf(10) ** -12):
    """The left and right difference quotients of `text` at x0, with mpmath alone."""
    with mpmath.workdps(40):
        f = lambda x: value(text, x)  # noqa: E731
        return (f(x0) - f(x0 - h)) / h, (f(x0 + h) - f(x0)) / h


@pytest.mark.parametrize("f", ["relu(x)", "max(x, 2*x)", "abs(x)", "Piecewise((x^2 + x, x > 0), (0, True))"])
def test_a_kink_is_excluded_from_every_derivative_proof(f):
    left, right = one_sided_slopes(f, 0)
    assert abs(left - right) > mpmath.mpf("0.5")  # no derivative at 0, by mpmath alone
    for rhs in ("heaviside(x)", "Piecewise((1, x >= 0), (0, True))", f"diff({f}, x)"):
        v = verdict(f"diff({f}, x) = {rhs}")
        if v.status is Status.PROVEN:
            conditions = [plain.parse_expr(c.split(" != ")[0], AT, PRELUDE) for c in v.conditions if "!=" in c]
            assert any(numeric.value(c, {"x": mpmath.mpf(0)}) == 0 for c in conditions), (f, rhs, v.conditions)


def test_relu_derivative_is_heaviside_where_x_is_not_0_and_never_at_0():
    v = verdict("diff(relu(x), x) = heaviside(x)")
    assert v.status is Status.PROVEN and v.conditions == ("x != 0",)
    # a hypothesis that allows 0 does not remove the condition
    v = verdict("diff(relu(x), x) = heaviside(x)", "x >= 0")
    assert v.status is Status.PROVEN and "x != 0" in v.conditions
    # between the kinks the derivative is the piece's: relu' = 0 on x < 0, so 1 there is refuted
    v = verdict("diff(relu(x), x) = 1", "x < 0")
    assert v.status is Status.REFUTED


def test_smooth_joins_are_proven_and_agree_with_difference_quotients():
    huber = "Piecewise((x^2/2, abs(x) <= 1), (abs(x) - 1/2, True))"
    v = verdict(f"diff({huber}, x) = Piecewise((x, abs(x) <= 1), (sign(x), True))")
    assert v.status is Status.PROVEN
    assert not any("abs(x) != 1" in c for c in v.conditions) and any("join smoothly" in r for r in v.remarks)
    for x0 in (1, -1):
        left, right = one_sided_slopes(huber, x0)
        assert abs(left - right) < mpmath.mpf(10) ** -9 and abs(left - x0) < mpmath.mpf(10) ** -9
    # relu is not smooth at 0: the kink stays
    assert "x != 0" in verdict("diff(relu(x), x) = heaviside(x)").conditions


def test_no_join_is_claimed_where_the_hypotheses_keep_away_from_the_boundary():
    v = verdict("diff(max(0, 1 - z), z) = -1", "z < 1")
    assert v.status is Status.PROVEN and not v.remarks


@pytest.mark.parametrize("claim, status", [
    ("relu(x) - relu(-x) = x", Status.PROVEN),
    ("relu(x) + relu(-x) = abs(x)", Status.PROVEN),
    ("relu(x) - relu(-x) = abs(x)", Status.REFUTED),
    ("heaviside(0) = 1/2", Status.PROVEN),
    ("heaviside(0) = 1", Status.REFUTED),
    ("sign(0) = 0", Status.PROVEN),
    ("sign(x)*abs(x) = x", Status.PROVEN),
    ("max(x, y) + min(x, y) = x + y", Status.PROVEN),
    ("max(x, y) - min(x, y) = x - y", Status.REFUTED),
    ("min(x, -x) = -abs(x)", Status.PROVEN),
])
def test_identities(claim, status):
    assert verdict(claim).status is status


def test_a_piecewise_function_with_gaps_is_claimed_only_where_a_piece_holds():
    v = verdict("Piecewise((x, x > 0), (-x, x < 0)) = abs(x)")
    assert v.status is Status.PROVEN and v.conditions  # not at 0, where no piece holds
    assert verdict("Piecewise((x, x > 0), (-x, x < 0)) = abs(x)", "x > 0").conditions == ()


def test_printing_reads_back_and_evaluation_agrees_with_python():
    text = "Piecewise((x^2, x > 1 and x < 3), (-x, x <= 1), (7, True))"
    e = plain.parse_expr(text, AT, PRELUDE)
    assert plain.parse_expr(ir.show(e), AT, PRELUDE) == e
    python = lambda x: x * x if 1 < x < 3 else -x if x <= 1 else 7  # noqa: E731
    rng = random.Random(13)
    for x in [1, 3, 0, *(rng.uniform(-5, 5) for _ in range(50))]:
        q = mpmath.mpf(x)
        assert numeric.close(numeric.value(e, {"x": q}), python(q))
        assert certain.exact(e, {"x": Fraction(x)}) == python(Fraction(x))


def test_sums_expand_and_an_equation_hypothesis_is_solved_for_one_variable():
    e = plain.parse_expr("sum(w_j*x_j, (j, 1, 3)) + prod(j, (j, 1, 4))", AT, PRELUDE)
    assert ir.show(e) == "w_1*x_1 + w_2*x_2 + w_3*x_3 + 24"
    context = chain.Context()
    context.assume("y_1 + y_2 + y_3 = 1", 1)
    (d,) = [chain.load("y_1 + y_2 + y_3 = 1", context=context)]
    (result,) = run_steps([d], isolate=False, explaining=False)
    assert result.verdict.status is Status.PROVEN
    assert any(a.startswith("y_3 = 1 - y_1 - y_2 (from the equation") for a in d.assumptions())


@pytest.mark.parametrize("latex, plain_text", [
    (r"\begin{cases} x & x > 0 \\ 0 & \text{otherwise} \end{cases}", "Piecewise((x, x > 0), (0, True))"),
    (r"\begin{cases} x & \text{if } x \ge 0, \\[2pt] -x & \text{if } x < 0 \end{cases}",
     "Piecewise((x, x >= 0), (-x, x < 0))"),
    (r"\begin{dcases} x^2 & \text{for } 0 \le x < 1 \text{ and } x \ne 2 \\ 1 & \text{else} \end{dcases}",
     "Piecewise((x^2, 0 <= x and x < 1 and x != 2), (1, True))"),
    (r"{\rm max}(0, x) + \rm{min}(0, x)", "max(0, x) + min(0, x)"),
    (r"\mathbb{1}_{x > 0} + \mathbf{1}(0 \le x < 1) + \mathbb{1}\{x \ne 2\}",
     "Piecewise((1, x > 0), (0, True)) + Piecewise((1, 0 <= x and x < 1), (0, True)) + Piecewise((1, x != 2), (0, True))"),
])
def test_latex_cases_and_old_font_switches_read_as_written(latex, plain_text):
    from verify.frontends.latex import parse_latex
    assert parse_latex(latex, lambda i: AT, PRELUDE).expr == plain.parse_expr(plain_text, AT, PRELUDE)


def test_a_cases_display_in_a_chain_is_shown_as_written_and_checked():
    text = r"|x| = \begin{cases} x & \text{if } x \ge 0, \\ -x & \text{if } x < 0 \end{cases}"
    d = chain.load(text)
    assert d.lines[1].text == r"\begin{cases} x & \text{if } x \ge 0, \\ -x & \text{if } x < 0 \end{cases}"
    assert verdict(text).status is Status.PROVEN
    assert verdict(text.replace("-x &", "x &")).status is Status.REFUTED


def test_no_join_is_claimed_where_the_conditions_exclude_the_boundary():
    v = verdict(r"\frac{d}{dx}\max(0,x) = \begin{cases} 1 & x > 0 \\ 0 & x < 0 \end{cases}")
    assert v.status is Status.PROVEN and not v.remarks


_X, _Y = sympy.Symbol("x", real=True), sympy.Symbol("y", real=True)


def _plain(e) -> str:
    """SymPy's printing, in the plain syntax."""
    return str(e).replace("Max(", "max(").replace("Min(", "min(").replace("Abs(", "abs(")


def _piecewise_exprs():
    leaves = st.sampled_from([_X, _Y, sympy.Integer(1), sympy.Integer(-2), sympy.Rational(1, 2), _X ** 2])
    return st.recursive(leaves, lambda c: st.one_of(
        st.tuples(c, c).map(lambda p: p[0] + p[1]),
        st.tuples(c, c).map(lambda p: p[0] * p[1]),
        st.tuples(c, c).map(lambda p: sympy.Max(p[0], p[1])),
        st.tuples(c, c).map(lambda p: sympy.Min(p[0], p[1])),
        c.map(sympy.Abs),
        c.map(lambda a: sympy.Piecewise((a, _X > 0), (-a / 2, True))),
    ), max_leaves=5)


def test_derivatives_of_piecewise_functions_agree_with_sympy_off_the_kinks():
    """SymPy's derivative holds wherever no kink is: verify must never refute it, and what it proves
    must agree with SymPy's own evaluation at random points."""
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_piecewise_exprs(), st.booleans())
    def check(e, slip):
        if not e.has(_X):
            return
        d = sympy.diff(e, _X)
        if d.has(sympy.Derivative, sympy.DiracDelta) or len(str(d)) > 300:
            return
        rhs = d + (_X / 10 if slip else 0)
        ob = obligation(f"diff({_plain(e)}, x)", _plain(rhs))
        v = decide(ob, timeout=5.0)
        if not slip:
            assert v.status is not Status.REFUTED, (e, d, v.counterexample)
        check_independently(ob, v, n=20)

    check()


def test_a_free_index_beside_the_components_of_its_sum_is_an_error():
    from verify.errors import InputError
    with pytest.raises(InputError, match="z_i stands beside z_1, z_2, z_3"):
        chain.load(r"\frac{\partial}{\partial z_i} \frac{e^{z_i}}{\sum_{j=1}^3 e^{z_j}} = \frac{e^{z_i}}{\sum_{j=1}^3 e^{z_j}}")


def test_an_equation_hypothesis_is_put_in_after_derivatives():
    context = chain.Context()
    context.assume("y_1 + y_2 + y_3 = 1", 1)
    for text, status in [("diff(y_3, y_1) = 0", Status.PROVEN), ("diff(y_1, y_3) = 0", Status.PROVEN),
                         ("diff(-(y_1*log(p_1) + y_2*log(p_2) + y_3*log(p_3)), y_1) = -log(p_1)", Status.PROVEN),
                         ("y_1 + y_2 + y_3 = 1", Status.PROVEN), ("y_3 = 1", Status.REFUTED)]:
        (r,) = run_steps([chain.load(text, context=context)], isolate=False, explaining=False)
        assert r.verdict.status is status, (text, r.verdict)


def test_the_older_array_form_of_cases_reads_as_written():
    text = r"\left\{ \begin{array}{ll} x & x > 0 \\ 0.01x & x \le 0 \end{array} \right. = \max(x, 0.01x)"
    assert verdict(text).status is Status.PROVEN
    assert chain.load(text).lines[0].text.startswith(r"\left\{ \begin{array}{ll} x & x > 0")
