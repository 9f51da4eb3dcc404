"""How LaTeX is read: one table of LaTeX in and the plain reading out, for every rule in the README's
"How LaTeX is read", and one table of what is refused, with the message and the column.

A reading is compared with the plain syntax read by the plain parser, so both readers must agree on
the same tree; where the plain syntax cannot say it, the expected reading is the text ir.show gives.
"""

import json
import random

import mpmath
import pytest
from helpers import run, sympy_value

from verify import calculus, ir, numeric
from verify.errors import InputError, Location
from verify.frontends import latex, plain
from verify.frontends.names import PRELUDE, Scope

AT = Location("notes.md", 7, 5)
F = ir.Function("f", ("x",), ir.power(ir.Var("x"), ir.num(2)))
G2 = ir.Function("g", ("x", "y"), ir.mul(ir.Var("x"), ir.Var("y")))
SCOPE = Scope({**PRELUDE.functions, "f": F, "g": G2},
              {"y_hat": plain.parse_expr("sigma(z)", AT), "L": plain.parse_expr("-log(y_hat)", AT),
               "u": plain.parse_expr("1 + exp(-x)", AT)})


def read(text, scope=SCOPE):
    return latex.parse_latex(text, AT.shifted, scope)


def as_plain(text, scope=SCOPE):
    return plain.parse_expr(text, AT, scope)


READINGS = [
    # differentials as real pages write them: in braces (553668.com, i-calculus.com), upright in one group
    # (Socratic's \mathrm{dx}; \frac{d}{\mathrm{dx}} x^2 was read as d x^2 / dx), and Wikipedia's \sgn
    (r"\frac{\partial{f(x)}}{\partial{x}}", "diff(x^2, x)"), (r"{{d} \over {dx}} x^3", "3*x^2"),
    (r"\frac{{d}}{{dx}} x^3", "3*x^2"), (r"\frac{d}{\mathrm{dx}} x^2", "2*x"),
    (r"\int 2x \, \mathrm{dx}", "integrate(2*x, x)"), (r"\int \cos\theta \, \mathrm{d\theta}", "integrate(cos(theta), theta)"),
    (r"\sgn(x) \cdot x", "sign(x)*x"), (r"\int{\frac{1}{x^2-1} d x}", "integrate(1/(x^2 - 1), x)"),
    (r"\int_0^1{x\,dx}", "integrate(x, (x, 0, 1))"),
    # TeX's argument rule: one token or one group, for \frac, ^, _ and \sqrt
    (r"\frac12", "1/2"), (r"\frac1x", "1/x"), (r"\frac a b", "a/b"), (r"\frac{\sin{x}}2", "sin(x)/2"),
    (r"x^\frac12", "x^(1/2)"), (r"x^\frac{1}{2}", "x^(1/2)"), (r"\sqrt2 x", "sqrt(2)*x"), (r"x^{3 + 1}", "x^4"),
    (r"\sqrt[3]{x}", "x^(1/3)"), (r"\sqrt[n]{x}", "x^(1/n)"), (r"e^x", "exp(x)"), (r"e^{-x}", "exp(-x)"),
    (r"e^2x", "exp(2)*x"), (r"x^2y", "x^2*y"), (r"{a \over b}", "a/b"),
    # spacing, sizing and decoration are ignored
    (r"\displaystyle \frac{1}{2} \boxed{x} + \color{red}{y} + \textcolor{blue}{z} + \colorbox{yellow}{w}",
     "x/2 + y + z + w"),
    (r"a\thinspace b\medspace c\thickspace d\negthinspace e\negmedspace k\negthickspace m\quad h\qquad i\space j",
     "a*b*c*d*e*k*m*h*i*j"),
    (r"a \, b \; c \: d \! e", "a*b*c*d*e"), (r"\Big( x \Big) \bigl[ y \bigr] \biggl( z \biggr)", "x*y*z"),
    (r"\left.x\right.", "x"), (r"\cancel{x} + {}x", "2*x"), (r"x \tag{3} \label{eq:1}", "x"),
    # function names
    (r"\text{sech}(x) + \mathrm{sech}(x) + \operatorname{sech}(x) + \mathit{sech}(x)", "4*sech(x)"),
    (r"\operatorname{asin}{\left(a \right)}", "asin(a)"), (r"\mathrm{arctan(z)}", "atan(z)"),
    (r"\csc x + \sec x + \cot x", "csc(x) + sec(x) + cot(x)"), (r"\log_{10} x", "log10(x)"),
    (r"\sin^{-1} x + \cos^{-1} x + \tan^{-1} x", "asin(x) + acos(x) + atan(x)"),
    (r"\arcsin x + \arccos x + \arctan x", "asin(x) + acos(x) + atan(x)"),
    (r"\sinh^{-1} x + \tanh^{-1} x", "asinh(x) + atanh(x)"), (r"\exp x + \exp(x)", "2*exp(x)"),
    (r"\log_2 x + \log_{b} x", "log(x, 2) + log(x, b)"), (r"\tanh^2(x) + \sin^2 x", "tanh(x)^2 + sin(x)^2"),
    (r"\sin(x)^2", "sin(x)^2"), (r"{\mathrm{cos}}^{2}\left(x\right)", "cos(x)^2"), (r"\sigma(x)", "sigma(x)"),
    (r"\operatorname{softplus}(x) + \operatorname{relu}(x)", "softplus(x) + relu(x)"),
    # how far a function reaches without parentheses
    (r"\sin 2x", "sin(2*x)"), (r"\ln xy", "log(x*y)"), (r"\log 2\pi x", "log(2*pi*x)"),
    (r"\sin x \cos x", "sin(x)*cos(x)"), (r"\sin \cos \theta", "sin(cos(theta))"), (r"\sin x^2", "sin(x^2)"),
    (r"\sin x (1 + \cos x)", "sin(x)*(1 + cos(x))"), (r"\sin^2 x \frac{1}{2}", "sin(x)^2/2"),
    (r"\ln a e^{x}", "log(a)*exp(x)"), (r"\ln 2e", "log(2*e)"), (r"\sin(x) y", "sin(x)*y"),
    (r"\ln \sigma(x)", "log(sigma(x))"), (r"\ln |x|", "log(abs(x))"), (r"\sin \frac{x}{2}", "sin(x/2)"),
    # products and calls
    (r"(a)(b) + 2x", "a*b + 2*x"), (r"a \cdot b \times c", "a*b*c"), (r"f(x+1)", "f(x + 1)"), (r"g(a, b)", "g(a, b)"),
    (r"\sigma(x)(1-\sigma(x))", "sigma(x)*(1 - sigma(x))"), (r"\hat{y}(1-\hat{y})", "y_hat*(1 - y_hat)"),
    # names: one spelling however written
    (r"\hat{y} + \hat y + ŷ + \widehat{y}", "4*y_hat"), (r"z_1 + z_{1} + z₁", "3*z_1"), (r"\hat{y}_i + \hat{y_i}", "2*y_hat_i"),
    (r"\bar{x} + \overline{x}", "2*x_bar"), (r"\tilde{\theta}", "theta_tilde"), (r"y_{\text{pred}}", "y_pred"),
    (r"w_{ij} + w_{i,j}", "w_ij + w_i_j"), (r"x^*", "x_star"), (r"\alpha \beta", "alpha*beta"), (r"σ(x)·(1 − σ(x)) + x²",
                                                                                              "sigma(x)*(1 - sigma(x)) + x^2"),
    (r"\pi + \mathrm{e}", "pi + e"), (r"ε + \varepsilon + ϵ", "3*epsilon"), (r"x⁻¹ + x²³ + z₁₂", "1/x + x^23 + z_12"),
    (r"½ x + √(x+1) + ∛y", "x/2 + sqrt(x + 1) + y^(1/3)"), (r"\operatorname{ReLU}(x) + \text{Softplus}(x)", "relu(x) + softplus(x)"),
    # derivatives
    (r"\frac{d}{dx} x^2", "diff(x^2, x)"), (r"\frac{d^2}{dx^2} x^3", "diff(x^3, x, 2)"),
    (r"\frac{\mathrm{d}}{\mathrm{d}x} x", "diff(x, x)"), (r"\frac{\mathrm d}{\mathrm d x} x", "diff(x, x)"),
    (r"\frac{d\sigma}{dx}", "diff(sigma(x), x)"), (r"\frac{df}{dx}", "diff(f(x), x)"), (r"f'(x)", "diff(f(x), x)"),
    (r"f''(x)", "diff(f(x), x, 2)"), (r"f^{\prime}(x)", "diff(f(x), x)"), (r"\sigma'(x)", "diff(sigma(x), x)"),
    (r"\tanh'(x)", "diff(tanh(x), x)"), (r"\frac{dL}{dz}", "diff(L, z)"), (r"\frac{\partial L}{\partial \hat y}", "diff(L, y_hat)"),
    (r"\frac{\partial^2}{\partial x\,\partial y} x^2 y^3", "diff(diff(x^2*y^3, y), x)"),
    (r"\frac{\partial^2 g}{\partial x \partial y}", "diff(diff(g(x, y), y), x)"),
    (r"\frac{\partial^2 }{\partial x^2}(x^2 y^3)", "diff(x^2*y^3, x, 2)"),
    (r"\partial_x (x^2 y)", "diff(x^2*y, x)"), (r"\partial_x \partial_y (x^2 y)", "diff(diff(x^2*y, y), x)"),
    (r"d/dx (x^2)", "diff(x^2, x)"), (r"\partial L/\partial z", "diff(L, z)"), (r"(\tanh x)'", "diff(tanh(x), x)"),
    (r"D_x (x^2)", "diff(x^2, x)"), (r"D(\tanh x)", "diff(tanh(x), x)"), (r"{d \over dx} x^3", "diff(x^3, x)"),
    (r"- (1+e^{-x})^{-2} \frac{d}{dx}(1+ e^{-x})", "-(1 + exp(-x))^(-2) * diff(1 + exp(-x), x)"),
    (r"\frac{d}{dx} x^2 + 1", "diff(x^2, x) + 1"), (r"2\frac{d}{dx} x x", "2*diff(x*x, x)"),
    (r"\frac{d}{du}(u^2) \frac{du}{dx}", "diff(u^2, u)*diff(u, x)"), (r"\frac{d}{dx}(x+1)^2 + y", "diff((x+1)^2, x) + y"),
    (r"\partial^2_x (x^3)", "diff(x^3, x, 2)"),
    # evaluation bars
    (r"\left. x^2 \right|_{x=3}", "Subs(x^2, x, 3)"), (r"x^2 \Big|_{x=3}", "Subs(x^2, x, 3)"),
    (r"\frac{d}{dx} x^3 \bigg|_{x=2}", "Subs(diff(x^3, x), x, 2)"),
    (r"x^2 \Big|_{x=0}^{x=1}", "Subs(x^2, x, 1) - Subs(x^2, x, 0)"), (r"\Big[ x^2 \Big]_0^1", "Subs(x^2, x, 1) - Subs(x^2, x, 0)"),
    # absolute values at any nesting, max and min
    (r"\left| \left| x \right| - \left| y \right| \right|", "abs(abs(x) - abs(y))"), (r"\lvert x \rvert", "abs(x)"),
    (r"|x||y|", "abs(x)*abs(y)"), (r"||x||y||", "abs(abs(x)*abs(y))"), (r"||x| - 1|", "abs(abs(x) - 1)"),
    (r"\max(a, \max(b, c))", "max(a, max(b, c))"), (r"\min\{a, b\}", "min(a, b)"), (r"\max\left(0, x\right)^2", "max(0, x)^2"),
    # finite sums and products with numeric bounds
    (r"\sum_{i=1}^{3} i x_i", "x_1 + 2*x_2 + 3*x_3"), (r"\sum^3_{k = 1} c", "3*c"), (r"\prod_{k=1}^{2} (1 + x_k)",
                                                                                    "(1 + x_1)*(1 + x_2)"),
    (r"\sum_{j=0}^{2} w_{j}", "w_0 + w_1 + w_2"), (r"\sum_{i=1}^{2}\sum_{j=1}^{2} w_{ij}", "w_11 + w_12 + w_21 + w_22"),
    (r"\sum_{k=1}^{3} x_{k+1}", "x_2 + x_3 + x_4"), (r"\sum_{k=1}^{0} x_k", "0"), (r"\sum_{i=1}^{2} x_{2 \cdot i}", "x_2 + x_4"),
    (r"|x|^2 + \left|y\right|^{2}", "abs(x)^2 + abs(y)^2"), (r"\sin{x}^2", "sin(x^2)"), (r"\sin{x} y", "sin(x*y)"),
    (r"\sin{\left(x \right)} y", "sin(x)*y"), (r"\ln 2\, x", "log(2)*x"), (r"\sigma^{-1}(p)", "logit(p)"),
    (r"f^{(2)}(x)", "diff(f(x), x, 2)"), (r"\mathcal{L} + L", "L_cal + L"), (r"x_{\max}", "x_max"),
    (r"\theta_{t+1}", "theta_t_plus_1"), (r"\text{loss}^2", "loss^2"), (r"\pi_1", "pi_1"), (r"m k h", "m*k*h"),
    # plain function words without a backslash are read, with a note
    (r"log(x) + exp(2)", "log(x) + exp(2)"), (r"sigmoid(x)", "sigmoid(x)"),
]


def same_value(a: ir.Expr, b: ir.Expr) -> bool:
    """Equal in value at sample points where both are defined (the same meaning written another way,
    such as y_hat + y_hat for 2*y_hat)."""
    a, b = calculus.meaning(a, SCOPE.names), calculus.meaning(b, SCOPE.names)
    rng = random.Random(0)
    names = sorted(ir.free_names(a) | ir.free_names(b))
    compared = 0
    for _ in range(20):
        point = {n: mpmath.mpf(rng.uniform(0.2, 0.9)) for n in names}
        try:
            x, y = numeric._Evaluator(point)(a), numeric._Evaluator(point)(b)
        except (numeric.Undefined, ZeroDivisionError, ValueError):
            continue
        if abs(x - y) > 1e-12 * max(1, abs(x)):
            return False
        compared += 1
    return compared > 0


@pytest.mark.parametrize("tex, reading", READINGS)
def test_reading(tex, reading):
    got = read(tex).expr
    want = as_plain(reading)
    assert got == want or same_value(got, want), (ir.show(got), reading)


def test_a_plain_function_word_is_read_with_a_note():
    assert read("log(x)").notes == ("'log(' without a backslash was read as \\log",)


def test_hints_and_conditions_come_off_the_end_of_a_line():
    r = read(r"x^2 \quad \text{(chain rule)}")
    assert (ir.show(r.expr), r.hint) == ("x**2", "chain rule")
    r = read(r"2\ln x \qquad \text{for } x > 0")
    assert [ir.show_rel(c) for c in r.conditions] == ["x > 0"]
    r = read(r"\sqrt{x^2} \text{ if } x, y \ge 0.")
    assert [ir.show_rel(c) for c in r.conditions] == ["x >= 0", "y >= 0"]
    assert read(r"x \text{ for all } x \in \mathbb{R}").conditions == ()
    assert [ir.show_rel(c) for c in read(r"\sqrt{x^2} \quad (x \ge 0)").conditions] == ["x >= 0"]
    assert [ir.show_rel(c) for c in read(r"x \text{ for } x \in (0, 1]").conditions] == ["0 < x", "x <= 1"]


def test_a_name_before_parentheses_is_a_product_only_where_it_is_a_variable_elsewhere():
    r = read("x(1-x)")
    assert ir.show(r.expr) == "x*(1 - x)" and [n for n, _ in r.products] == ["x"]
    assert read(r"\hat y(1 - \hat y)").products == ()  # y_hat is defined, so a variable


ERRORS = [
    # what could be read two ways
    (r"|a|b|c|", 7, "can be paired in more than one way"),
    (r"x^12", 7, "write x^{12}"), (r"x_12", 7, "write x_{12}"), (r"e^-x", 7, "write the script in braces"),
    (r"w_ij", 7, "write _{ij}"), (r"y_hat", 7, r"write \hat{...}"),
    (r"x2", 6, "a number right after a name"), (r"2 3", 7, "two numbers side by side"),
    (r"\sin x/2", 11, r"write \sin(a/b) or \sin(a)/b"), (r"\sin 2(x+1)", 11, "is unclear"),
    (r"a^{(2)}", 8, "may be a power or a label"), (r"W^{[l]} x", 8, "may be a power or a label"),
    (r"\mathbf{w}^T x", 5, "vectors or matrices"), (r"w^T x", 7, "transpose"),
    (r"dx", 5, "reads as a differential"), (r"sinx", 5, r"write \sin"), (r"x^2 where x", 9, "is a word"),
    (r"softsine(x)", 5, r"write \operatorname{softsine}"), (r"(a x)'", 10, "has the variables a, x"),
    # names defined nowhere and functions used as variables
    (r"\frac{dy}{dx}", 5, "y is not defined"), (r"\frac{d^2 y}{dx^2}", 5, "y is not defined"),
    (r"\frac{d}{dt} x^2", 5, "without t (x is defined nowhere)"), (r"\frac{\partial w}{\partial x}", 5, "w is not defined"),
    (r"\frac{d f}{d \sigma}", 5, "sigma is a function here"), (r"\sigma + 1", 5, "sigma is a function here"),
    (r"\paren{x}", 5, "--macros FILE"), (r"y'", 5, "a prime on 'y'"), (r"\operatorname{softmax}(z)", 5, "unknown function 'softmax'"),
    (r"\operatorname{arccot}(x)", 5, "two conventions"), (r"\sin^{-1}", 5, "needs an argument"),
    (r"\ln^{-1} x", 5, "could mean the inverse function or 1/"),
    # what verify does not check
    (r"\frac{d}{dx} x^2 \cdot \frac{d}{dx} x^3", 22, "what this derivative applies to is unclear"),
    (r"1/2x", 6, "a division followed by a product"), (r"6 \div 2(1+2)", 7, "a division followed by a product"),
    (r"\sum_{i=1}^{n} x_i", 5, "bounds of a sum must be whole numbers"),
    (r"a \over b", 7, r"write {a \over b}"), (r"\lg x", 5, "log base 2 in computer science"),
    (r"2\frac{1}{2}", 6, "mixed number"), (r"y(2) + y", 5, "reads as a function"), (r"E[X]", 5, "reads as a function"),
    (r"\pi(x)", 5, "prime-counting"), (r"loss", 5, "reads as the product l·o·s·s"), (r"1e3", 5, "scientific notation"),
    (r"e^{i\pi}", 5, "complex numbers"), (r"\frac{\Delta y}{\Delta x}", 11, "a change in y"),
    (r"\sum_{i=1}^{2} x_{2i}", 23, "joins a number and an index"), (r"e^{x}^{2}", 10, "two superscripts"),
    (r"\sigma^{-1}(x) + f^{-1}(x)", 22, "inverse function or 1/f"), (r"√x²", 5, "unclear in plain characters"),
    (r"h(x, y)", 8, "a comma inside brackets"), (r"\sigma + 1", 5, "verify: variable sigma"), (r"\sum_i x_i", 5, "write the bounds"),
    (r"\iint x dx", 5, "double integrals are not supported"), (r"\lim_{x \to 0} x", 5, "limits are not supported"),
    (r"x + \infty", 9, "infinity"), (r"1 + \cdots + n", 9, "ellipsis"), (r"\pm x", 5, "two formulas"),
    (r"\binom{n}{k}", 5, "binomial"), (r"x!", 6, "factorials"), (r"\|x\|", 5, "norm"), (r"\nabla f", 5, "gradient"),
    (r"\max_{x} f", 5, "over a set"), (r"\begin{pmatrix} x \end{pmatrix}", 5, "environment"),
    (r"\begin{cases} x \end{cases}", 19, "separate each value from its condition with &"),
    (r"x \text{ then } y", 7, "text in the middle"), (r"\newcommand{\R}{x} \R", 5, "define macros outside"),
    # broken LaTeX
    (r"\frac{1}{1+x", 13, "never closed"), (r"x }", 7, "closes nothing"), (r"x + \foo{y}", 9, r"cannot read '\foo'"),
    (r"x +", 7, "'+' needs an expression after it"), (r"\frac{d}{d(x)} x", 5, "cannot read this derivative"),
    (r"x @ y", 7, "cannot read '@'"), (r"|x", 5, "never closed"), (r"\left( x", 13, "expected ')' to match the '(' at column 5"),
    (r"\sqrt[0]{x}", 10, "cannot be 0"),
    # from the second probe: what reads two ways is refused
    (r"\frac{d}{dx}(x+1)^2 y", 25, "what this derivative applies to is unclear"),
    (r"\frac{d}{dx}(x^2)(x^3)", 22, "what this derivative applies to is unclear"),
    (r"\frac{d}{dx}(x^2 + y^2)", 5, "whether it depends on x is unclear"),
    (r"\sin{x + \pi}", 9, "shows no brackets"), (r"\{x\}", 5, "is a set, or the fractional part"),
    (r"\frac{D}{Dt} t^2", 5, "material derivative"), (r"\mathrm{i}^2", 5, "imaginary unit"),
    (r"\operatorname{swish}(x)", 5, "with a parameter"), (r"\operatorname{sin2}(x)", 5, "unknown function 'sin2'"),
    (r"x \cdot as\ y", 13, "is a word"), (r"x \; (3)", 10, "could be an equation number or a factor"),
]


@pytest.mark.parametrize("tex, col, words", ERRORS)
def test_refused_with_its_place_and_what_to_write(tex, col, words):
    with pytest.raises(InputError) as info:
        read(tex)
    assert words in info.value.message
    assert (info.value.location.file, info.value.location.line, info.value.location.col) == ("notes.md", 7, col)


@pytest.mark.parametrize("tex, hypotheses", [
    (r"x \quad (x > 0 \wedge x < 1)", ["x > 0", "x < 1"]), (r"x \quad [x \ge 0]", ["x >= 0"]),
    (r"x \quad \text{for all } x > 0", ["x > 0"]), (r"x \quad \text{for every } x", []),
    (r"x \quad \text{for } x > 0 \text{ and } x < 2", ["x > 0", "x < 2"]),
])
def test_conditions_beside_a_line(tex, hypotheses):
    assert [ir.show_rel(c) for c in read(tex).conditions] == hypotheses


@pytest.mark.parametrize("tex, reading", [
    (r"\require{cancel} x^2", "x**2"), (r"\underbrace{(x+1)^2}_{\text{square}}", "(x + 1)**2"),
    (r"\overbrace{x + x}^{2x}", "x + x"), ("e⁻ˣ", "exp(-x)"), ("xⁿ", "x**n"),
])
def test_marks_around_a_formula_leave_the_formula(tex, reading):
    assert ir.show(read(tex).expr) == reading


@pytest.mark.parametrize("tex, reading", [
    (r"{\frac {d}{dx}}\cot(x)", "diff(cot(x), x)"),  # Wikipedia's LaTeX braces every fraction
    (r"{\frac {d}{dx}}{\frac {\sin(x)}{\cos(x)}}", "diff(sin(x)/cos(x), x)"),
    (r"{\text{cosec}}^{2}(x)", "csc(x)**2"), (r"\tan(x){\text{sec}}(x)", "tan(x)*sec(x)"),
])
def test_wikipedia_style_braces_around_operators_and_function_names(tex, reading):
    assert ir.show(read(tex).expr) == reading


@pytest.mark.parametrize("name, reference, domain", [
    ("arcoth", "acoth", [(-9.0, -1.01), (1.01, 9.0)]), ("arsech", "asech", [(0.01, 0.99)]),
    ("arcsch", "acsch", [(-9.0, -0.01), (0.01, 9.0)])])
def test_the_other_inverse_hyperbolic_functions_agree_with_mpmath(name, reference, domain):
    """\\operatorname{arcoth}, arsech and arcsch (Wikipedia's hyperbolic identities) read as the prelude's
    bodies: each agrees with mpmath's own function at 40 points of its real domain (SymPy evaluates ours)."""
    f = PRELUDE.functions[{"arcoth": "acoth", "arsech": "asech", "arcsch": "acsch"}[name]]
    rng = random.Random(name)
    for _ in range(40):
        lo, hi = rng.choice(domain)
        x = rng.uniform(lo, hi)
        got = sympy_value(f.body, {"x": x})
        assert got is not None and abs(float(got) - float(getattr(mpmath, reference)(x))) < 1e-12, (name, x)
    got = read(rf"\operatorname{{{name}}}(x)").expr
    assert isinstance(got, ir.Apply) and got.func.body == f.body and got.args == (ir.Var("x"),)


def test_a_bare_log_beside_log_10_is_an_error_and_log_of_a_power_of_ten_a_note(tmp_path):
    """gradesaver's College Algebra writes \\log 1000 = \\log_{10} 1000 = 3: there \\log is base 10. verify
    reads \\log as ln (as ML and analysis do), so where the same text writes \\log_{10}, a bare \\log is an
    error; alone, \\log 1000 is noted, and ln is what is checked (its value is ln 1000, by mpmath)."""
    code, out, _ = run("-e", r"\log 1000 = \log_{10} 1000 = 3", "--format", "json")
    report = json.loads(out)
    assert code == 2 and "may mean the common logarithm" in report["errors"][0]["message"]
    doc = tmp_path / "l.md"
    doc.write_text("$$\\log_{10} 100 = 2$$\n\n$$\\log x^2 = 2 \\log x$$\n")
    code, out, _ = run(str(doc), "--format", "json")
    assert code == 2 and [(e["line"], e["col"]) for e in json.loads(out)["errors"]] == [(3, 3), (3, 16)]
    code, out, _ = run("-e", r"\log 1000 = 3", "--format", "json")
    step = json.loads(out)["derivations"][0]["steps"][0]
    assert step["verdict"] == "refuted" and any("read as the natural logarithm" in n for n in step["notes"])
    assert abs(float(step["values"]["lhs"]) - float(mpmath.log(1000))) < 1e-9
    code, out, _ = run("-e", r"\log x^2 = 2 \log x, x > 0", "--format", "json")
    assert code == 0 and not json.loads(out)["derivations"][0]["steps"][0]["notes"]
