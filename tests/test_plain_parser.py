from fractions import Fraction

import pytest

from verify import calculus, ir
from verify.errors import InputError, Location
from verify.frontends import plain, syntax

AT = Location("f.toml", 3, 10)


def parse(text, **kw):
    return plain.parse_expr(text, AT, **kw)


def test_decimals_are_exact_rationals():
    assert parse("0.1") == ir.Num(Fraction(1, 10))
    assert parse("1e-3") == ir.Num(Fraction(1, 1000))


def test_caret_is_power_with_power_precedence():
    assert parse("x^2 + 1") == parse("x**2 + 1")
    assert parse("x^2 + 1") == ir.add(ir.power(ir.Var("x"), ir.num(2)), ir.ONE)


def test_e_is_eulers_number_and_greek_names_are_variables():
    assert parse("e") == ir.Const("e")
    for name in ("beta", "gamma", "E", "S", "N", "I", "Q", "lambda_", "pi_1"):
        assert parse(name) == ir.Var(name)


def test_ln_is_log_and_functions_are_known():
    assert parse("ln(x)") == parse("log(x)")
    for f in ("exp", "sqrt", "sin", "cos", "tan", "sinh", "cosh", "tanh", "abs"):
        assert parse(f"{f}(x)") == ir.Call(f, ir.Var("x"))


def test_diff_and_derivative_with_order_anywhere_in_a_line():
    d = parse("1 + diff(x**3, x, 2)")
    assert isinstance(d, ir.Add) and ir.Diff(ir.power(ir.Var("x"), ir.num(3)), "x", 2) in d.terms
    assert parse("Derivative(x, x)") == ir.Diff(ir.Var("x"), "x", 1)


def test_prelude_sigma_is_kept_as_a_call_and_means_its_body():
    assert ir.show(parse("sigma(y)")) == "sigma(y)"
    assert calculus.meaning(parse("sigma(y)")) == ir.div(ir.ONE, ir.add(ir.ONE, ir.call("exp", ir.neg(ir.Var("y")))))


def test_definitions_can_replace_sigma():
    d = syntax.read_function("sigma(t) = t**2", AT, plain.PRELUDE)
    scope = plain.PRELUDE.with_function(d)
    assert calculus.meaning(parse("sigma(3)", scope=scope)) == ir.num(9)


def error_of(text, **kw) -> InputError:
    with pytest.raises(InputError) as info:
        parse(text, **kw)
    return info.value


@pytest.mark.parametrize("text, col, words", [
    ("sigmod(x)", 10, "did you mean 'sigmoid'"),
    ("exp(x, y)", 10, "takes 1 argument"),
    ("2x + 1", 10, "2*x"),
    ("x +* 2", None, "not a valid expression"),
    ("x + (1", None, "not a valid expression"),
    ("x @ y", 12, "unexpected character '@'"),
    ("diff(x, 2)", 18, "must be a variable name"),
    ("diff(x, x, 0)", 21, "whole number from 1 to 10"),
    ("exp", 10, "is a function"),
    ("x % 2", 12, "unexpected character '%'"),
])
def test_errors_are_located_and_say_what_to_do(text, col, words):
    err = error_of(text)
    assert words in err.message
    assert err.location.file == "f.toml" and err.location.line == 3
    if col is not None:
        assert err.location.col == col
    assert str(err).startswith("f.toml:3:")


def test_column_counts_the_text_as_written_even_after_carets():
    # '^' becomes '**' for the parser; the error must still point at the original column
    err = error_of("x^2 + foo(x)")
    assert err.location.col == 10 + 6


def test_undeclared_variable_is_an_error_when_variables_are_listed():
    err = error_of("x + y", scope=plain.Scope(plain.PRELUDE.functions, variables=frozenset({"x"})))
    assert "unknown name 'y'" in err.message


def test_assumptions_inequalities_chains_and_definitions():
    rels = syntax.read_assumption("0 <= p <= 1", AT, plain.PRELUDE)
    assert [r.op for r in rels] == ["<=", "<="]
    got = syntax.read_assumption("z = 1/(1 + exp(-s))", AT, plain.PRELUDE)
    assert got.name == "z" and ir.free_names(got.value) == {"s"}


def test_split_chain_keeps_offsets_and_leaves_comparisons_alone():
    assert plain.split_chain("a = b = c") == [(0, "a "), (3, " b "), (7, " c")]
    assert len(plain.split_chain("a <= b")) == 1


def test_pasted_unicode_reads_as_its_plain_meaning():
    assert parse("σ(x)·(1 − σ(x))") == parse("sigma(x)*(1 - sigma(x))")
    assert parse("x² + β×x³") == parse("x^2 + beta*x^3")
    assert parse("2*π") == parse("2*pi")
    with pytest.raises(InputError) as info:
        parse("xσ")  # x next to sigma, not a name xsigma
    assert info.value.location.col == 10 + 1


def test_log_with_a_base():
    assert parse("log(x, 2)") == ir.div(ir.call("log", ir.Var("x")), ir.call("log", ir.num(2)))
