"""Expressions printed in the notation of the input: the plain syntax (ir.show) or LaTeX.

Both read back to the same expression, so a line the report suggests can be pasted
into the derivation as it is. The LaTeX printer mirrors ir.show; SymPy's `latex` is not
used because a SymPy tree evaluates as it is built (e^{-x} e^{x} becomes 1), and a
suggested line must be exactly the expression that was checked.
"""

from __future__ import annotations

from fractions import Fraction

from . import ir
from .ir import Add, Apply, At, Call, Const, Diff, Expr, Extremum, Mul, Num, Pow, Unknown, Var

GREEK = frozenset(
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi rho sigma tau upsilon phi chi psi "
    "omega Gamma Delta Theta Lambda Xi Sigma Phi Psi Omega".split())
ACCENT_SUFFIXES = {"hat": "hat", "bar": "bar", "tilde": "tilde", "dot": "dot", "ddot": "ddot", "check": "check",
                   "breve": "breve", "acute": "acute", "grave": "grave", "ring": "mathring"}
COMMANDS = {"sin": r"\sin", "cos": r"\cos", "tan": r"\tan", "sinh": r"\sinh", "cosh": r"\cosh", "tanh": r"\tanh",
            "asin": r"\arcsin", "acos": r"\arccos", "atan": r"\arctan", "log": r"\ln", "sec": r"\sec",
            "csc": r"\csc", "cot": r"\cot", "sigma": r"\sigma", "sigmoid": r"\sigma"}

_ADD, _MUL, _NEG, _POW, _ATOM = 1, 2, 3, 4, 5


def show(e: Expr, latex: bool) -> str:
    """`e` in LaTeX or in the plain syntax."""
    return to_latex(e) if latex else ir.show(e)


def name_latex(n: str) -> str:
    """y_hat_1 is \\hat{y}_{1}, w_i_j is w_{i,j}, sigma is \\sigma, ab is \\mathrm{ab}."""
    parts = n.split("_")
    base, rest = parts[0], parts[1:]
    text = f"\\{base}" if base in GREEK else base if len(base) == 1 else f"\\mathrm{{{base}}}"
    while rest and rest[0] in ACCENT_SUFFIXES:
        text = f"\\{ACCENT_SUFFIXES[rest.pop(0)]}{{{text}}}"
    star = bool(rest) and rest[0] == "star"
    if star:
        rest.pop(0)
        text += "^{*}"
    if rest:
        text += "_{" + ",".join(rest) + "}"
    return text


def _number(v: Fraction) -> str:
    if v.denominator == 1:
        return str(v.numerator)
    sign = "-" if v < 0 else ""
    return f"{sign}\\frac{{{abs(v.numerator)}}}{{{v.denominator}}}"


def _prec(e: Expr) -> int:
    if isinstance(e, Add):
        return _ADD
    if isinstance(e, Num):
        return _NEG if e.value < 0 else _ATOM
    if isinstance(e, Mul):
        return _NEG if ir.is_negative(e) else _MUL
    if isinstance(e, Pow) and ir.is_reciprocal(e):
        return _ATOM  # a \frac
    return _ATOM if not isinstance(e, Pow) else _POW


def _paren(s: str) -> str:
    return f"\\left({s}\\right)"


def _wrap(e: Expr, at_least: int) -> str:
    s = to_latex(e)
    return _paren(s) if _prec(e) < at_least else s


def _product(factors: list[Expr]) -> str:
    if not factors:
        return "1"
    out = ""
    for i, f in enumerate(factors):
        s = _wrap(f, _MUL if i == 0 else _POW)
        if i == 0:
            out = s
        elif isinstance(factors[i - 1], Num) and not s[0].isdigit() and not s.startswith("\\frac"):
            out += " " + s  # 2 x, \frac{1}{2} is not juxtaposed
        else:
            out += " \\cdot " + s
    return out


def _fraction(e: Mul) -> str:
    factors = list(e.factors)
    sign = ""
    if isinstance(factors[0], Num) and factors[0].value < 0:
        sign = "-"
        c = -factors[0].value
        factors = ([Num(c)] if c != 1 else []) + factors[1:]
    top: list[Expr] = []
    bottom: list[Expr] = []
    for f in factors:
        if isinstance(f, Num) and f.value.denominator != 1:
            if f.value.numerator != 1:
                top.append(Num(Fraction(f.value.numerator)))
            bottom.append(Num(Fraction(f.value.denominator)))
        elif ir.is_reciprocal(f):
            bottom.append(ir.power(f.base, Num(-f.exp.value)))
        else:
            top.append(f)
    if not bottom:
        return sign + _product(top)
    den = _product(bottom) if len(bottom) > 1 else to_latex(bottom[0])
    return f"{sign}\\frac{{{_product(top) if len(top) != 1 else to_latex(top[0])}}}{{{den}}}"


def _argument(e: Expr) -> str:
    return f"({to_latex(e)})"


def _function(name: str) -> str:
    if name in COMMANDS:
        return COMMANDS[name]
    return name if len(name) == 1 else f"\\operatorname{{{name}}}"


_OPS = {"=": "=", "!=": r"\neq", "<": "<", "<=": r"\le", ">": ">", ">=": r"\ge"}


def rel_latex(r: ir.Rel) -> str:
    return f"{to_latex(r.lhs)} {_OPS[r.op]} {to_latex(r.rhs)}"


def to_latex(e: Expr) -> str:
    """`e` in LaTeX that verify reads back as `e`."""
    if isinstance(e, Num):
        return _number(e.value)
    if isinstance(e, Var):
        return name_latex(e.name)
    if isinstance(e, Const):
        return "e" if e.name == "e" else "\\pi"
    if isinstance(e, Add):
        terms = list(e.terms)
        first = next((i for i, t in enumerate(terms) if not ir.is_negative(t)), 0)
        terms.insert(0, terms.pop(first))
        out = to_latex(terms[0])
        for t in terms[1:]:
            out += (" - " + _wrap(ir.neg(t), _MUL)) if ir.is_negative(t) else (" + " + _wrap(t, _MUL))
        return out
    if isinstance(e, Mul):
        return _fraction(e)
    if isinstance(e, Pow):
        if ir.is_reciprocal(e):
            return f"\\frac{{1}}{{{to_latex(ir.power(e.base, Num(-e.exp.value)))}}}"
        if isinstance(e.base, Const) and e.base.name == "e":
            return f"e^{{{to_latex(e.exp)}}}"
        base = to_latex(e.base) if isinstance(e.base, Var) or (isinstance(e.base, Num) and e.base.value > 0
                                                                and e.base.value.denominator == 1) \
            else _paren(to_latex(e.base))
        return f"{base}^{{{to_latex(e.exp)}}}"
    if isinstance(e, Call):
        if e.func == "exp":
            return f"e^{{{to_latex(e.arg)}}}"
        if e.func == "sqrt":
            return f"\\sqrt{{{to_latex(e.arg)}}}"
        if e.func == "abs":
            return f"\\left|{to_latex(e.arg)}\\right|"
        return _function(e.func) + _argument(e.arg)
    if isinstance(e, Apply):
        head = _function(e.func.name) + "'" * e.order
        return head + f"({', '.join(map(to_latex, e.args))})"
    if isinstance(e, Diff):
        d = "d" if e.order == 1 else f"d^{{{e.order}}}"
        x = name_latex(e.var) + ("" if e.order == 1 else f"^{{{e.order}}}")
        return f"\\frac{{{d}}}{{d{x}}}" + _argument(e.expr)
    if isinstance(e, Extremum):
        return f"\\{e.func}\\left({', '.join(map(to_latex, e.args))}\\right)"
    if isinstance(e, At):
        return f"\\left.{to_latex(e.expr)}\\right|_{{{name_latex(e.var)}={to_latex(e.value)}}}"
    if isinstance(e, Unknown):
        return name_latex(e.name) + "'" * (e.orders[0] if len(e.orders) == 1 else 0)
    if isinstance(e, ir.Integral):
        bounds = "" if e.lower is None else f"_{{{to_latex(e.lower)}}}^{{{to_latex(e.upper)}}}"
        body = to_latex(e.expr) if not isinstance(e.expr, Add) else f"\\left({to_latex(e.expr)}\\right)"
        return f"\\int{bounds} {body} \\, d{name_latex(e.var)}"
    if isinstance(e, ir.Piecewise):
        rows = (f"{to_latex(v)} & " + (" \\text{ and } ".join(map(rel_latex, conds)) if conds else "\\text{otherwise}")
                for v, conds in e.pieces)
        return "\\begin{cases} " + " \\\\ ".join(rows) + " \\end{cases}"
    raise TypeError(f"not an expression: {e!r}")
