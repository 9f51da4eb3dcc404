"""The math that real derivations need: each capability, and false variants of each."""

import pytest
from helpers import agree_at_random_points, derivation, obligation

from verify.decide import decide
from verify.runner import run
from verify.verdict import Status


def verdict(lhs, rhs, assume=()):
    return decide(obligation(lhs, rhs, assume), timeout=10.0)


def proven(lhs, rhs, assume=()):
    v = verdict(lhs, rhs, assume)
    assert v.status is Status.PROVEN, (lhs, rhs, v)
    if not assume:
        assert agree_at_random_points(obligation(lhs, rhs)) > 0
    return v


def refuted(lhs, rhs, assume=()):
    v = verdict(lhs, rhs, assume)
    assert v.status is Status.REFUTED, (lhs, rhs, v)
    assert v.counterexample.lhs != v.counterexample.rhs
    return v


# 1. logarithms

def test_log_rules_on_provably_positive_arguments_need_no_condition():
    v = proven("log(sigma(x))", "-log(1 + exp(-x))")
    assert v.conditions == ()
    assert proven("log(exp(u))", "u").conditions == ()


def test_log_rules_on_unknown_signs_are_proven_only_under_stated_conditions():
    v = proven("log(x*y)", "log(x) + log(y)")
    assert set(v.conditions) == {"x > 0", "y > 0"}
    v = proven("log(x/y)", "log(x) - log(y)", assume=("y > 0",))
    assert v.conditions == ("x > 0",)
    assert proven("log(x^3)", "3*log(x)").conditions == ("x > 0",)


def test_a_step_whose_domain_is_empty_is_not_proven_vacuously():
    # for x, y < 0 the right side log(x) + log(y) is never defined: a proof would say nothing
    v = verdict("log(x*y)", "log(x) + log(y)", assume=("x < 0", "y < 0"))
    assert v.status is Status.UNKNOWN and "no real point" in v.detail
    v = verdict("x", "x", assume=("x > 1", "x < 0"))
    assert v.status is Status.UNKNOWN


@pytest.mark.parametrize("lhs, rhs", [
    ("log(a + b)", "log(a) + log(b)"),
    ("log(a*b)", "log(a)*log(b)"),
    ("log(x^2)", "log(x)^2"),
    ("log(1 + exp(x))", "x"),
])
def test_wrong_log_rules_are_refuted(lhs, rhs):
    refuted(lhs, rhs, assume=("a > 0", "b > 0", "x > 0") if "a" in lhs else ("x > 0",))


# 2. hyperbolic functions

@pytest.mark.parametrize("lhs, rhs", [
    ("diff(tanh(x), x)", "1 - tanh(x)^2"),
    ("tanh(x)", "2*sigma(2*x) - 1"),
    ("cosh(x)^2 - sinh(x)^2", "1"),
    ("sech(x)^2", "1 - tanh(x)^2"),
    ("csch(x)^2", "coth(x)^2 - 1"),
])
def test_hyperbolic_identities_reach_z3_as_rational_functions(lhs, rhs):
    assert proven(lhs, rhs).engine == "z3"


@pytest.mark.parametrize("lhs, rhs", [
    ("diff(tanh(x), x)", "1 + tanh(x)^2"),
    ("tanh(x)", "2*sigma(x) - 1"),
    ("cosh(x)^2 + sinh(x)^2", "1"),
])
def test_false_hyperbolic_identities_are_refuted(lhs, rhs):
    refuted(lhs, rhs)


# 3. several variables and parameters

def test_softmax_of_two_is_a_sigmoid_of_the_difference():
    proven("exp(a)/(exp(a) + exp(b))", "1/(1 + exp(-(a - b)))")


def test_refutations_give_every_variable_a_value():
    v = refuted("exp(a)/(exp(a) + exp(b))", "1/(1 + exp(-a))")
    assert dict(v.counterexample.point).keys() == {"a", "b"}


def test_exp_of_a_nonlinear_argument_and_its_derivative():
    proven("diff(exp(-beta*x), x)", "-beta*exp(-beta*x)")
    proven("diff(x*sigma(beta*x), x)", "sigma(beta*x) + beta*x*sigma(beta*x)*(1 - sigma(beta*x))")
    refuted("diff(exp(-beta*x), x)", "-exp(-beta*x)")  # a dropped chain-rule factor
    refuted("diff(exp(-beta*x), x)", "beta*exp(beta*x)")  # a sign slip in the exponent


# 4. hypotheses and defining equations

def test_defining_equation_is_substituted_and_reported():
    d = derivation("(z - t)/(z*(1 - z)) * exp(-s)/(1 + exp(-s))**2", "z - t", assume=("z = 1/(1 + exp(-s))",))
    [r] = run([d])
    assert r.verdict.status is Status.PROVEN
    assert any(a.startswith("z = ") and "substituted" in a for a in r.assumptions)


def test_interval_hypotheses_are_used_and_restrict_counterexamples():
    v = proven("sqrt(p^2)", "p", assume=("0 <= p <= 1",))
    assert v.conditions == ()
    v = refuted("sqrt(p^2)", "p", assume=("-1 <= p <= 1",))
    assert -1 <= float(dict(v.counterexample.point)["p"]) < 0
    # where the hypotheses exclude every counterexample, nothing false is found
    assert verdict("abs(p)", "p", assume=("p >= 0",)).status is Status.PROVEN


# 5. higher and partial derivatives

def test_higher_and_partial_derivatives():
    proven("diff(sigma(x), x, 2)", "sigma(x)*(1 - sigma(x))*(1 - 2*sigma(x))")
    proven("diff(x^2*y^3, y)", "3*x^2*y^2")
    proven("diff(diff(x^2*y^3, x), y)", "6*x*y^2")
    refuted("diff(x^2*y^3, y)", "2*x*y^3")
    refuted("diff(sigma(x), x, 2)", "sigma(x)*(1 - sigma(x))")


def test_erf_is_odd_bounded_and_differentiates():
    proven("erf(-x)", "-erf(x)")
    proven("diff(erf(x), x)", "2/sqrt(pi)*exp(-x^2)")
    assert proven("sqrt(2)^2", "2").conditions == ()
    refuted("diff(erf(x), x)", "exp(-x^2)")  # the constant 2/sqrt(pi) dropped
    refuted("erf(x)^2", "1")


# 6. sqrt and abs

def test_sqrt_and_abs_domains_are_stated_when_not_implied():
    assert proven("sqrt(x)^2", "x").conditions == ("x >= 0",)
    assert proven("sqrt(x^2 + 1)^2", "x^2 + 1").conditions == ()
    assert proven("sqrt(x^2)", "abs(x)").conditions == ()
    assert proven("diff(abs(x), x)", "x/abs(x)").conditions == ("abs(x) != 0",)
    refuted("sqrt(x^2)", "x")
    refuted("abs(x + y)", "abs(x) + abs(y)")


def test_inverse_hyperbolic_functions_and_other_bases():
    assert proven("diff(asinh(x), x)", "1/sqrt(x^2 + 1)").conditions == ()
    assert proven("tanh(atanh(x))", "x").conditions
    proven("diff(atanh(x), x)", "1/(1 - x^2)")
    assert proven("log(8, 2)", "3").conditions == ()
    assert proven("log10(x)", "log(x)/log(10)").conditions == ("x > 0",)
    refuted("diff(atanh(x), x)", "1/(1 + x^2)")
    refuted("log2(x)", "log(x)/2")
