"""Random expressions rendered as LaTeX in several styles read back as the same expression.

The renderer writes what people write: \\frac, \\dfrac or {a \\over b}; ( ), \\left( \\right) or \\big( \\big);
\\cdot, \\times or juxtaposition; \\sin(x), \\sin\\left(x\\right) or \\sin{\\left(x \\right)} (SymPy's style);
e^{...} or \\exp(...); |x|, \\left|x\\right| or \\lvert x \\rvert. Whatever the style, the reading must
have the expression's value at every sample point.
"""

import random

import mpmath
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verify import calculus, ir, numeric
from verify.errors import Location
from verify.frontends.latex import parse_latex

AT = Location("render.md", 1, 1)
NAMES = ["x", "y", "a"]
FUNCS = ["sin", "cos", "exp", "log", "sqrt", "tanh", "abs", "atan"]

expressions = st.recursive(
    st.one_of(st.sampled_from(NAMES).map(ir.Var), st.integers(1, 9).map(ir.num)),
    lambda inner: st.one_of(
        st.tuples(inner, inner).map(lambda t: ir.Add(t)),
        st.tuples(inner, inner).map(lambda t: ir.Mul(t)),
        st.tuples(inner, inner).map(lambda t: ("div", t[0], t[1])),
        st.tuples(inner, st.integers(2, 3)).map(lambda t: ir.Pow(t[0], ir.num(t[1]))),
        st.tuples(st.sampled_from(FUNCS), inner).map(lambda t: ir.Call(t[0], t[1])),
        inner.map(lambda e: ("neg", e)),
    ),
    max_leaves=6,
)


class Style:
    def __init__(self, draw):
        self.frac = draw(st.sampled_from(["frac", "dfrac", "over"]))
        self.paren = draw(st.sampled_from([("(", ")"), (r"\left(", r"\right)"), (r"\big(", r"\big)"), (r"\Bigl(", r"\Bigr)")]))
        self.times = draw(st.sampled_from([r" \cdot ", r" \times ", " "]))
        self.call = draw(st.sampled_from(["paren", "left", "sympy", "bare"]))
        self.exp = draw(st.sampled_from(["e", "exp"]))
        self.abs = draw(st.sampled_from([("|", "|"), (r"\left|", r"\right|"), (r"\lvert ", r" \rvert")]))


def meaning_of(e):
    """The rendered tree as the intermediate form (div and neg written out)."""
    if isinstance(e, tuple):
        kind, *parts = e
        return ir.div(meaning_of(parts[0]), meaning_of(parts[1])) if kind == "div" else ir.neg(meaning_of(parts[0]))
    if isinstance(e, (ir.Add, ir.Mul)):
        return (ir.add if isinstance(e, ir.Add) else ir.mul)(*map(meaning_of, ir.children(e)))
    if isinstance(e, ir.Pow):
        return ir.power(meaning_of(e.base), e.exp)
    if isinstance(e, ir.Call):
        return ir.call(e.func, meaning_of(e.arg))
    return e


def render(e, s: Style) -> str:
    """LaTeX for `e`, parenthesized wherever precedence needs it (and a little more)."""
    group = lambda t: f"{s.paren[0]}{t}{s.paren[1]}"  # noqa: E731
    if isinstance(e, ir.Var):
        return e.name
    if isinstance(e, ir.Num):
        return str(e.value)
    if isinstance(e, tuple) and e[0] == "neg":
        return f"-{group(render(e[1], s))}"
    if isinstance(e, tuple):
        a, b = render(e[1], s), render(e[2], s)
        return {"frac": rf"\frac{{{a}}}{{{b}}}", "dfrac": rf"\dfrac{{{a}}}{{{b}}}", "over": f"{{{a} \\over {b}}}"}[s.frac]
    if isinstance(e, ir.Add):
        return " + ".join(group(render(t, s)) if isinstance(t, tuple) and t[0] == "neg" else render(t, s)
                          for t in e.terms)
    if isinstance(e, ir.Mul):
        if s.times == " " and all(isinstance(f, (ir.Var, ir.Num)) for f in e.factors):  # 2 x y, numbers first
            factors = sorted(e.factors, key=lambda f: isinstance(f, ir.Var))
            if sum(isinstance(f, ir.Num) for f in factors) <= 1:
                return " ".join(render(f, s) for f in factors)
        return s.times.join(group(render(f, s)) for f in e.factors)
    if isinstance(e, ir.Pow):
        return f"{group(render(e.base, s))}^{{{e.exp.value}}}"
    f, arg = e.func, render(e.arg, s)
    if f == "abs":
        return f"{s.abs[0]}{arg}{s.abs[1]}"
    if f == "sqrt":
        return rf"\sqrt{{{arg}}}"
    if f == "exp" and s.exp == "e":
        return f"e^{{{arg}}}"
    name = r"\arctan" if f == "atan" else "\\" + f
    if s.call == "bare" and isinstance(e.arg, ir.Var):  # \sin x
        return f"{name} {arg}"
    return {"paren": f"{name}({arg})", "left": rf"{name}\left({arg}\right)",
            "sympy": rf"{name}{{\left({arg} \right)}}", "bare": f"{name}({arg})"}[s.call]


def same_value(a: ir.Expr, b: ir.Expr, seed: int) -> bool:
    rng = random.Random(seed)
    compared = 0
    for _ in range(12):
        point = {n: mpmath.mpf(rng.randint(1, 40)) / 10 for n in NAMES}
        try:
            x = numeric._Evaluator(point)(a)
        except (numeric.Undefined, ZeroDivisionError, ValueError, OverflowError):
            continue
        y = numeric._Evaluator(point)(b)  # the reading must be defined wherever the expression is
        assert abs(x - y) <= mpmath.mpf(10) ** -10 * max(1, abs(x)), (point, x, y)
        compared += 1
    return True


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions, st.data())
def test_every_style_reads_back_as_the_expression(e, data):
    style = Style(data.draw)
    text = render(e, style)
    reading = parse_latex(text, AT.shifted).expr
    assert same_value(meaning_of(e), calculus.meaning(reading), hash(text) % 1000), text
