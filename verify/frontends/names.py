"""What names mean in a line, shared by every front end: the prelude of built-in functions, the
scope of a derivation (its functions, defined names and allowed variables), and the one spelling
of each variable however it is written (y_hat, \\hat{y}, \\hat y and ŷ are one name).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field, replace
from fractions import Fraction

from .. import ir
from ..ir import Function
from .indices import Instance

ALIASES = {"ln": "log", "arcsin": "asin", "arccos": "acos", "arctan": "atan", "Heaviside": "heaviside",
           "sgn": "sign"}
PIECEWISE_NAMES = ("Piecewise", "piecewise")
INTEGRAL_NAMES = ("integrate", "Integral")
SUM_NAMES = ("sum", "Sum", "prod", "Product")
DIFF_NAMES = ("diff", "Derivative")
# characters pasted from web pages, and what they mean
GREEK_LETTERS = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta", "η": "eta",
    "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi", "ρ": "rho",
    "σ": "sigma", "τ": "tau", "υ": "upsilon", "φ": "phi", "ϕ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
    "ϵ": "epsilon", "ϑ": "theta", "ϱ": "rho",
    "π": "pi", "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta", "Λ": "Lambda", "Ξ": "Xi", "Σ": "Sigma",
    "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega",
}
UNICODE_OPERATORS = {"−": "-", "·": "*", "⋅": "*", "×": "*", "²": "^2", "³": "^3"}
SUBSCRIPT_DIGITS = {chr(0x2080 + d): str(d) for d in range(10)}
SUPERSCRIPT_DIGITS = {"⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8",
                      "⁹": "9"}
# modifier letters, as in eˣ and xⁿ
SUPERSCRIPT_LETTERS = dict(zip("ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ", "abcdefghijklmnoprstuvwxyz"))
# accents: LaTeX commands and combining characters, and the suffix each gives a name
ACCENTS = {"hat": "hat", "widehat": "hat", "bar": "bar", "overline": "bar", "tilde": "tilde",
           "widetilde": "tilde", "dot": "dot", "ddot": "ddot", "check": "check", "breve": "breve",
           "acute": "acute", "grave": "grave", "mathring": "ring"}
COMBINING = {"\u0302": "hat", "\u0304": "bar", "\u0305": "bar", "\u0303": "tilde", "\u0307": "dot",
             "\u0308": "ddot", "\u030c": "check", "\u0306": "breve", "\u0301": "acute", "\u0300": "grave",
             "\u030a": "mathring"}


# glyph variants of one letter: \varepsilon and \epsilon (ε and ϵ) name one variable
VARIANTS = {"varepsilon": "epsilon", "varphi": "phi", "vartheta": "theta", "varrho": "rho"}


def name(base: str, accents: tuple[str, ...] = (), subscript: tuple[str, ...] = (), star: bool = False) -> str:
    """The one spelling of a variable: base, then accents, then subscript parts, joined by '_'.

    y with a hat and subscript i is y_hat_i however it was written; w_{ij} is w_ij and w_{i,j} is w_i_j."""
    parts = [VARIANTS.get(base, base), *(ACCENTS.get(a, a) for a in accents)]
    if star:
        parts.append("star")
    if subscript:
        parts.append("_".join(subscript))
    return "_".join(parts)


def accented_letter(ch: str) -> tuple[str, str] | None:
    """ŷ is (y, hat): a precomposed Latin letter with one accent, or None."""
    decomposed = unicodedata.normalize("NFD", ch)
    if len(decomposed) == 2 and decomposed[0].isascii() and decomposed[0].isalpha() and decomposed[1] in COMBINING:
        return decomposed[0], COMBINING[decomposed[1]]
    return None


COMMON_LOG = re.compile(r"\\log\s*_\s*(?:\{\s*10\s*\}|10)")


@dataclass(frozen=True)
class Scope:
    """What names mean in a line: defined functions, defined names (`y = ...`), and (optionally)
    the variables a derivation declares."""

    functions: dict[str, Function] = field(default_factory=dict)
    names: dict[str, ir.Expr] = field(default_factory=dict)
    variables: frozenset[str] | None = None
    # the instance being read, for a derivation that declares indices (z_i is z_1 where i = 1); None: none declared
    indices: Instance | None = None
    # how a function is defined where the line comes from, for error messages ({name}: the function's name)
    define_with: str = "with a verify: comment or under [definitions]"
    common_log: bool = False  # the text writes \\log_{10} too: a bare \\log is ambiguous there

    def defined(self, define_with: str) -> "Scope":
        return replace(self, define_with=define_with)

    def reading(self, text: str) -> "Scope":
        """The scope for lines of `text`: a bare \\log is ambiguous where the text writes \\log_{10} too."""
        return replace(self, common_log=bool(COMMON_LOG.search(text)))

    def with_function(self, d: Function) -> "Scope":
        return replace(self, functions={**self.functions, d.name: d})

    def with_name(self, n: str, value: ir.Expr) -> "Scope":
        return replace(self, names={**self.names, n: value})

    def with_names(self, names: dict[str, ir.Expr]) -> "Scope":
        """The scope with exactly these defined names."""
        return replace(self, names=names)

    def without_names(self, names: set[str]) -> "Scope":
        return replace(self, names={n: v for n, v in self.names.items() if n not in names})

    def with_variables(self, variables: frozenset[str] | None) -> "Scope":
        return replace(self, variables=variables)

    def with_indices(self, instance: Instance | None) -> "Scope":
        return replace(self, indices=instance)

    def index_values(self) -> dict[str, int]:
        return dict(self.indices.values) if self.indices is not None else {}

    def without_functions(self, names: set[str]) -> "Scope":
        """The scope with these names no longer functions (σ as a standard deviation, not the sigmoid)."""
        return replace(self, functions={n: f for n, f in self.functions.items() if n not in names})

    def depends(self, e: ir.Expr, var: str) -> bool:
        """Whether `e` mentions `var`, following defined names through their definitions."""
        seen: set[str] = set()
        todo = list(ir.free_names(e))
        while todo:
            n = todo.pop()
            if n == var:
                return True
            if n in self.names and n not in seen:
                seen.add(n)
                todo += ir.free_names(self.names[n])
        return False

    def independent(self, e: ir.Expr) -> frozenset[str]:
        """The free names of `e` that are not defined, following definitions."""
        out, seen, todo = set(), set(), list(ir.free_names(e))
        while todo:
            n = todo.pop()
            if n in seen:
                continue
            seen.add(n)
            if n in self.names:
                todo += ir.free_names(self.names[n])
            else:
                out.add(n)
        return frozenset(out)


    def derivative_problem(self, operand: ir.Expr, var: str, bound: frozenset[str] = frozenset()) -> str | None:
        """Why d(operand)/d(var) would be 0 by a misreading, or None.

        A derivative of something that does not involve var at all, yet names other variables, is more
        often a misreading than intent: dy/dx with y defined nowhere would silently be 0."""
        if self.depends(operand, var):
            return None
        free = sorted(self.independent(operand) - bound - {var})
        if not free or all(_siblings(n, var) for n in free):  # d exp(z_3) / d z_1: other components, so 0
            return None
        if isinstance(operand, ir.Var):
            n = operand.name
            return (f"{n} is not defined, so its derivative with respect to {var} would be 0: say what {n} is "
                    f"(assume {n} = ... in a proof file, <!-- verify: {n} := ... --> in a document, "
                    f"--define on the command line)")
        return (f"this derivative with respect to {var} is of an expression without {var} ({', '.join(free)} "
                f"{'is' if len(free) == 1 else 'are'} defined nowhere), so it would be 0; if {free[0]} depends "
                f"on {var}, define it (assume {free[0]} = ...)")


def _siblings(a: str, b: str) -> bool:
    """z_3 and z_1: components of one indexed family, with different numeric indices."""
    pa, pb = a.rsplit("_", 1), b.rsplit("_", 1)
    return len(pa) == len(pb) == 2 and pa[0] == pb[0] and pa[1].isdigit() and pb[1].isdigit() and pa[1] != pb[1]


def cycle(names: dict[str, ir.Expr]) -> list[str] | None:
    """A chain of definitions that comes back to its start (y = 2*y, or x = y with y = x), or None."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        path.append(n)
        for m in sorted(ir.free_names(names[n])):
            if m not in names:
                continue
            if state.get(m) == 1:
                return path[path.index(m):] + [m]
            if m not in state:
                found = visit(m)
                if found:
                    return found
        path.pop()
        state[n] = 2
        return None

    for n in names:
        if n not in state:
            found = visit(n)
            if found:
                return found
    return None


def _prelude() -> Scope:
    """sigma (also sigmoid), sec, csc and cot, the inverse hyperbolic functions (through log), asec and
    acsc, logarithms to base 2 and 10, log1p, exp2, expm1, erfc, softplus, relu, softsign, logit, silu and gelu
    (exact, with erf), heaviside (1/2 at 0) and sign (0 at 0). A file may redefine any of them."""
    x, one = ir.Var("x"), ir.ONE
    log, sqrt, call = (lambda u: ir.call("log", u)), (lambda u: ir.call("sqrt", u)), ir.call
    x2 = ir.power(x, ir.num(2))
    bodies = {
        "sigma": ir.div(one, ir.add(one, call("exp", ir.neg(x)))),
        "sec": ir.div(one, call("cos", x)),
        "csc": ir.div(one, call("sin", x)),
        "cot": ir.div(call("cos", x), call("sin", x)),
        "asec": call("acos", ir.div(one, x)),
        "acsc": call("asin", ir.div(one, x)),
        "asinh": log(ir.add(x, sqrt(ir.add(x2, one)))),
        "acosh": log(ir.add(x, sqrt(ir.sub(x2, one)))),
        "atanh": ir.mul(ir.num(Fraction(1, 2)), log(ir.div(ir.add(one, x), ir.sub(one, x)))),
        # Wikipedia's "Inverse hyperbolic functions": arcoth = artanh(1/x), arsech = arcosh(1/x), arcsch = arsinh(1/x)
        "acoth": ir.mul(ir.num(Fraction(1, 2)), log(ir.div(ir.add(x, one), ir.sub(x, one)))),
        "asech": log(ir.div(ir.add(one, sqrt(ir.sub(one, x2))), x)),
        "acsch": log(ir.add(ir.div(one, x), sqrt(ir.add(ir.div(one, x2), one)))),
        "log2": ir.div(log(x), log(ir.num(2))),
        "log10": ir.div(log(x), log(ir.num(10))),
        "log1p": log(ir.add(one, x)),
        "exp2": ir.power(ir.num(2), x),
        "expm1": ir.sub(call("exp", x), one),
        "erfc": ir.sub(one, call("erf", x)),
        # the activation functions of machine learning, by the names its code and papers use
        "softplus": log(ir.add(one, call("exp", x))),
        "relu": ir.Extremum("max", (ir.ZERO, x)),
        # the value at 0 is SymPy's (and the midpoint of the jump); numpy's heaviside takes it as a parameter
        "heaviside": ir.piecewise([(one, (ir.Rel(">", x, ir.ZERO),)), (ir.ZERO, (ir.Rel("<", x, ir.ZERO),)),
                                   (ir.num(Fraction(1, 2)), ())]),
        "sign": ir.piecewise([(one, (ir.Rel(">", x, ir.ZERO),)), (ir.MINUS_ONE, (ir.Rel("<", x, ir.ZERO),)),
                              (ir.ZERO, ())]),
        "softsign": ir.div(x, ir.add(one, call("abs", x))),
        "logit": log(ir.div(x, ir.sub(one, x))),
        "silu": ir.div(x, ir.add(one, call("exp", ir.neg(x)))),
        "gelu": ir.mul(ir.num(Fraction(1, 2)), x, ir.add(one, call("erf", ir.div(x, sqrt(ir.num(2)))))),
    }
    bodies["sigmoid"] = bodies["sigma"]
    for inverse in ("sinh", "cosh", "tanh", "coth", "sech", "csch"):
        bodies[f"ar{inverse}"] = bodies[f"arc{inverse}"] = bodies[f"a{inverse}"]
    bodies["arcsec"], bodies["arccsc"] = bodies["asec"], bodies["acsc"]
    return Scope({n: Function(n, ("x",), body) for n, body in bodies.items()})


PRELUDE = _prelude()
# how the activation functions are also written: \operatorname{ReLU}(x), \text{Softplus}(x)
ML_SPELLINGS = {"ReLU": "relu", "Relu": "relu", "Softplus": "softplus", "SoftPlus": "softplus", "Softsign": "softsign",
                "SiLU": "silu", "GELU": "gelu", "Sigmoid": "sigmoid", "Logit": "logit"}
# inverses that f^{-1} names, for functions of the prelude
INVERSE_FUNCTIONS = {"sigma": "logit", "sigmoid": "logit", "logit": "sigma"}
# names with two conventions in use, which verify refuses to guess between
AMBIGUOUS_FUNCTIONS = {
    "acot": "arccot has two conventions (arctan(1/x), or pi/2 - arctan(x)); write the one you mean",
    "arccot": "arccot has two conventions (arctan(1/x), or pi/2 - arctan(x)); write the one you mean",
    "swish": "swish is x·σ(βx) with a parameter β where it was named, and x·σ(x) (SiLU) elsewhere; write "
             "\\operatorname{silu} for x·σ(x), or define swish with a verify: comment",
    "Swish": "swish is x·σ(βx) with a parameter β where it was named, and x·σ(x) (SiLU) elsewhere; write "
             "\\operatorname{silu} for x·σ(x), or define swish with a verify: comment",
    "sinc": "sinc is sin(x)/x in mathematics and sin(πx)/(πx) in signal processing; write the one you mean",
}


def known_functions(scope: Scope) -> set[str]:
    return set(scope.functions) | ir.FUNCTIONS | ir.EXTREMA | set(ALIASES) | set(DIFF_NAMES) | set(PIECEWISE_NAMES) \
        | set(INTEGRAL_NAMES) | set(SUM_NAMES)


def unknown_function(n: str, scope: Scope, product: str | None = None) -> str:
    """The message for an unknown name followed by '(': both readings, and the closest known name."""
    if n in AMBIGUOUS_FUNCTIONS:
        return AMBIGUOUS_FUNCTIONS[n]
    close = difflib.get_close_matches(n, sorted(known_functions(scope)), n=1)
    hint = f"did you mean {close[0]!r}? " if close and len(n) > 1 else ""
    times = product or f"{n}*(...)"
    how = scope.define_with.replace("{name}", n)
    return f"unknown function {n!r} ({hint}define it {how}, or write {times} for a product)"
