from fractions import Fraction

from helpers import obligation

from verify import ir


def exp_abstractions(ob):
    return [a for a in ob.abstractions if a.kind == "exp"]


def test_exponentials_of_one_variable_share_one_positive_variable():
    ob = obligation("exp(-x) + exp(x)", "exp(-2*x) + exp(3*x)")
    [a] = exp_abstractions(ob)
    assert a.variable == "x" and a.scale == 1
    assert ir.Rel(">", ir.Var(a.name), ir.ZERO) in ob.facts
    powers = {f.exp.value for side in (ob.real_goal.lhs, ob.real_goal.rhs)
              for f in ir.walk(side) if isinstance(f, ir.Pow)}
    assert powers == {Fraction(-1), Fraction(-2), Fraction(3)}


def test_rational_coefficients_use_the_common_denominator():
    ob = obligation("exp(x/2)", "exp(x/3) + exp(x)")
    [a] = exp_abstractions(ob)
    assert a.scale == 6 and a.name == "exp(x/6)"


def test_nonlinear_arguments_get_their_own_variable_named_by_content():
    ob = obligation("exp(-beta*x)", "1/exp(x*beta)")
    names = sorted(a.name for a in exp_abstractions(ob))
    assert names == ["exp(beta*x)"]  # both sides share it: it is named by its content, not by order


def test_two_variables_and_a_constant():
    ob = obligation("exp(a - b + 1)", "e*exp(a)/exp(b)")
    assert sorted(a.name for a in exp_abstractions(ob)) == ["e", "exp(a)", "exp(b)"]


def test_denominator_becomes_a_requirement():
    ob = obligation("(x**2 - 1)/(x - 1)", "x + 1")
    assert [ir.show_rel(r) for r in ob.requirements] == ["x - 1 != 0"]


def test_derivatives_are_taken_before_abstraction():
    ob = obligation("diff(exp(-x), x)", "-exp(-x)")
    [a] = exp_abstractions(ob)
    assert ob.goal.lhs == ir.neg(ir.call("exp", ir.neg(ir.Var("x"))))
    assert a.variable == "x"


def test_sqrt_log_and_real_powers_bring_their_domains():
    shown = lambda ob: {ir.show_rel(r) for r in ob.requirements}
    assert "x >= 0" in shown(obligation("sqrt(x)", "x"))
    assert "x > 0" in shown(obligation("log(x)", "x"))
    assert "x > 0" in shown(obligation("x**y", "1"))
    assert "x >= 0" in shown(obligation("x**(1/3)", "1"))


def test_substitution_from_assume_happens_before_differentiation():
    ob = obligation("diff(z, s)", "z*(1 - z)", assume=("z = 1/(1 + exp(-s))",))
    assert "z" not in ob.variables and "s" in ob.variables
