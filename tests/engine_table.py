"""One table of obligations that every engine runs (see test_engines.py).

Each row: lhs, rhs, assumptions, truth, and the engines that must prove it when true.
"""

TRUE, FALSE = True, False

TABLE = [
    # lhs, rhs, assume, true?, engines that must prove it
    ("diff(sigma(x), x)", "sigma(x)*(1 - sigma(x))", (), TRUE, {"z3", "sympy", "cvc5"}),
    ("exp(-x)/(1 + exp(-x))", "1 - sigma(x)", (), TRUE, {"z3", "sympy", "cvc5"}),
    ("sigma(-x)", "1 - sigma(x)", (), TRUE, {"z3", "sympy", "cvc5"}),
    ("(x**2 - 1)/(x - 1)", "x + 1", (), TRUE, {"z3", "sympy", "cvc5"}),
    ("exp(a)/(exp(a) + exp(b))", "1/(1 + exp(-(a - b)))", (), TRUE, {"z3", "sympy", "cvc5"}),
    ("exp(x/2)**2", "exp(x)", (), TRUE, {"z3", "sympy", "cvc5"}),
    ("(x + y)**2", "x**2 + 2*x*y + y**2", (), TRUE, {"z3", "sympy", "cvc5"}),
    ("sin(2*x)", "2*sin(x)*cos(x)", (), TRUE, {"sympy"}),
    ("sqrt(x**2)", "abs(x)", (), TRUE, {"sympy"}),
    ("x/x", "1", (), TRUE, {"z3", "sympy", "cvc5"}),
    ("diff(sigma(x), x)", "1/(-(1 + exp(x)))", (), FALSE, set()),
    ("exp(-x)/(1 + exp(-x))", "exp(-x)/sigma(x)", (), FALSE, set()),
    ("(x + y)**2", "x**2 + y**2", (), FALSE, set()),
    ("exp(-x)", "exp(x)", (), FALSE, set()),
    ("exp(2*x)", "2*exp(x)", (), FALSE, set()),
    ("sin(2*x)", "2*sin(x)", (), FALSE, set()),
    ("x", "abs(x)", (), FALSE, set()),
    ("x", "abs(x)", ("x >= 0",), TRUE, {"z3", "cvc5"}),
    ("y/y", "2", ("y > 0",), FALSE, set()),
    ("x*exp(x)", "exp(x)", (), FALSE, set()),
]
