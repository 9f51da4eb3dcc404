"""The intermediate form: frozen expression trees that every front end produces.

Division is a power with exponent -1 and subtraction is a product with -1, so
denominators are always visible as negative powers: SymPy never sees a line
before its domain conditions are collected.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Iterator, Union

FUNCTIONS = frozenset(
    "exp log sqrt abs sin cos tan asin acos atan sinh cosh tanh sech csch coth erf".split()
)
EXTREMA = frozenset({"max", "min"})
CONSTANTS = frozenset({"e", "pi"})


@dataclass(frozen=True)
class Num:
    value: Fraction


@dataclass(frozen=True)
class Var:
    name: str


@dataclass(frozen=True)
class Const:
    name: str  # "e" or "pi"


@dataclass(frozen=True)
class Add:
    terms: tuple["Expr", ...]


@dataclass(frozen=True)
class Mul:
    factors: tuple["Expr", ...]


@dataclass(frozen=True)
class Pow:
    base: "Expr"
    exp: "Expr"


@dataclass(frozen=True)
class Call:
    func: str  # one of FUNCTIONS
    arg: "Expr"


@dataclass(frozen=True)
class Diff:
    expr: "Expr"
    var: str
    order: int = 1


@dataclass(frozen=True)
class Function:
    """A defined function `name(params) = body`: the prelude's, or a file's."""

    name: str
    params: tuple[str, ...]
    body: "Expr"


@dataclass(frozen=True)
class Apply:
    """A defined function applied to arguments; `order` primes (f'(x)) differentiate it first."""

    func: Function
    args: tuple["Expr", ...]
    order: int = 0


@dataclass(frozen=True)
class Extremum:
    func: str  # "max" or "min"
    args: tuple["Expr", ...]


@dataclass(frozen=True)
class At:
    """`expr` evaluated at `var` = `value`: the evaluation bar of f(x) |_{x=a}."""

    expr: "Expr"
    var: str
    value: "Expr"


@dataclass(frozen=True)
class Unknown:
    """A differentiable function the derivation does not specify (`y = y(x)`), as the value of its
    derivative of the given orders: orders (0,) is y, (1,) is y'; with two variables, (1, 1) is y_xy."""

    name: str
    variables: tuple[str, ...]
    orders: tuple[int, ...]

    def label(self) -> str:
        if len(self.variables) == 1:
            return self.name + "'" * self.orders[0]
        marks = "".join(v * n for v, n in zip(self.variables, self.orders))
        return f"{self.name}_{marks}" if marks else self.name


@dataclass(frozen=True)
class Piecewise:
    """The value of the first piece whose conditions all hold; a piece with no conditions is
    "otherwise". Where no piece holds, the function is not defined (`requirements` says so)."""

    pieces: tuple[tuple["Expr", tuple["Rel", ...]], ...]


@dataclass(frozen=True)
class Integral:
    """The integral of `expr` with respect to `var`: indefinite (an antiderivative, so a claim about it
    holds up to a constant) without bounds, definite from `lower` to `upper` with them."""

    expr: "Expr"
    var: str
    lower: "Expr | None" = None
    upper: "Expr | None" = None


@dataclass(frozen=True)
class Held:
    """The value of a name that an equation fixes (y_3 = 1 - y_1 - y_2 from y_1 + y_2 + y_3 = 1): it is
    put in after derivatives are taken, so that each variable is still differentiated as independent."""

    expr: "Expr"


Expr = Union[Num, Var, Const, Add, Mul, Pow, Call, Diff, Apply, Extremum, At, Unknown, Piecewise, Integral, Held]

ZERO = Num(Fraction(0))
ONE = Num(Fraction(1))
MINUS_ONE = Num(Fraction(-1))


@dataclass(frozen=True)
class Rel:
    """A relation `lhs op rhs` with op one of = != < <= > >=."""

    op: str
    lhs: Expr
    rhs: Expr


# -- smart constructors: flatten and fold numbers, nothing that changes a domain


def num(value: int | Fraction) -> Num:
    return Num(Fraction(value))


def add(*terms: Expr) -> Expr:
    flat: list[Expr] = []
    const = Fraction(0)
    for t in terms:
        for u in t.terms if isinstance(t, Add) else (t,):
            if isinstance(u, Num):
                const += u.value
            else:
                flat.append(u)
    if const or not flat:
        flat.append(Num(const))
    return flat[0] if len(flat) == 1 else Add(tuple(flat))


def mul(*factors: Expr) -> Expr:
    flat: list[Expr] = []
    const = Fraction(1)
    for f in factors:
        for u in f.factors if isinstance(f, Mul) else (f,):
            if isinstance(u, Num):
                const *= u.value
            else:
                flat.append(u)
    if const != 1 or not flat:
        flat.insert(0, Num(const))
    return flat[0] if len(flat) == 1 else Mul(tuple(flat))


def neg(e: Expr) -> Expr:
    return mul(MINUS_ONE, e)


def sub(a: Expr, b: Expr) -> Expr:
    return add(a, neg(b))


def power(base: Expr, exp: Expr) -> Expr:
    if isinstance(exp, Num) and exp.value == 1:
        return base
    if isinstance(base, Num) and isinstance(exp, Num) and exp.value.denominator == 1:
        n, b = exp.value.numerator, base.value
        size = max(b.numerator.bit_length(), b.denominator.bit_length(), 1)
        if b != 0 and abs(n) * size <= 4096:
            return Num(b**n)
    return Pow(base, exp)


def div(a: Expr, b: Expr) -> Expr:
    return mul(a, power(b, MINUS_ONE))


def call(func: str, arg: Expr) -> Expr:
    return Call(func, arg)


def piecewise(pieces: list[tuple[Expr, tuple[Rel, ...]]]) -> Expr:
    """Pieces up to the first "otherwise"; a first piece that always holds is just its value. A condition
    between numbers ([i = j] of index values) is decided here: a piece whose condition is false is left
    out, and a true one no longer says it."""
    out = []
    for value, conds in pieces:
        known = [holds(c.op, c.lhs.value, c.rhs.value) for c in conds
                 if isinstance(c.lhs, Num) and isinstance(c.rhs, Num)]
        if not all(known):
            continue
        conds = tuple(c for c in conds if not (isinstance(c.lhs, Num) and isinstance(c.rhs, Num)))
        out.append((value, conds))
        if not conds:
            break
    if not out:  # no piece holds: left as written, undefined everywhere
        return Piecewise(tuple((v, tuple(c)) for v, c in pieces))
    return out[0][0] if not out[0][1] else Piecewise(tuple(out))


def holds(op: str, a, b) -> bool:
    """Whether `a op b` holds, for numbers of any kind (fractions, mpmath's, index values)."""
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "=": a == b, "!=": a != b}[op]


# -- walking


def children(e: Expr) -> tuple[Expr, ...]:
    if isinstance(e, Add):
        return e.terms
    if isinstance(e, Mul):
        return e.factors
    if isinstance(e, Pow):
        return (e.base, e.exp)
    if isinstance(e, Call):
        return (e.arg,)
    if isinstance(e, Diff):
        return (e.expr,)
    if isinstance(e, (Apply, Extremum)):
        return e.args
    if isinstance(e, At):
        return (e.expr, e.value)
    if isinstance(e, Integral):
        return (e.expr,) if e.lower is None else (e.expr, e.lower, e.upper)
    if isinstance(e, Held):
        return (e.expr,)
    if isinstance(e, Piecewise):
        return tuple(x for value, conds in e.pieces for x in (value, *(s for r in conds for s in (r.lhs, r.rhs))))
    return ()


def walk(e: Expr) -> Iterator[Expr]:
    """Every node of `e`, parents before children."""
    stack = [e]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(children(node)))


def free_names(e: Expr) -> frozenset[str]:
    """The variables of `e`, with those that applied functions' bodies use besides their parameters;
    the variable of an evaluation bar is bound inside it."""
    out: set[str] = set()
    stack: list[tuple[Expr, frozenset[str]]] = [(e, frozenset())]
    while stack:
        node, bound = stack.pop()
        if isinstance(node, Var):
            if node.name not in bound:
                out.add(node.name)
        elif isinstance(node, Unknown):
            out.update(v for v in node.variables if v not in bound)
        elif isinstance(node, At):
            stack += [(node.expr, bound | {node.var}), (node.value, bound)]
        elif isinstance(node, Integral) and node.lower is not None:  # the variable of a definite one is bound
            stack += [(node.expr, bound | {node.var}), (node.lower, bound), (node.upper, bound)]
        else:
            if isinstance(node, Apply):
                stack.append((node.func.body, bound | set(node.func.params)))
            stack += [(c, bound) for c in children(node)]
    return frozenset(out)


def rebuild(e: Expr, f: Callable[[Expr], Expr]) -> Expr:
    """Apply `f` to each child of `e` and rebuild `e` with the smart constructors."""
    if isinstance(e, Add):
        return add(*map(f, e.terms))
    if isinstance(e, Mul):
        return mul(*map(f, e.factors))
    if isinstance(e, Pow):
        return power(f(e.base), f(e.exp))
    if isinstance(e, Call):
        return Call(e.func, f(e.arg))
    if isinstance(e, Diff):
        return Diff(f(e.expr), e.var, e.order)
    if isinstance(e, Apply):
        return Apply(e.func, tuple(map(f, e.args)), e.order)
    if isinstance(e, Extremum):
        return Extremum(e.func, tuple(map(f, e.args)))
    if isinstance(e, At):
        return At(f(e.expr), e.var, f(e.value))
    if isinstance(e, Integral):
        return Integral(f(e.expr), e.var) if e.lower is None else Integral(f(e.expr), e.var, f(e.lower), f(e.upper))
    if isinstance(e, Held):
        return Held(f(e.expr))
    if isinstance(e, Piecewise):  # children's order: each value, then its conditions' sides
        pieces = []
        for value, conds in e.pieces:
            v = f(value)
            pieces.append((v, tuple(Rel(r.op, f(r.lhs), f(r.rhs)) for r in conds)))
        return piecewise(pieces)
    return e


def with_child(e: Expr, i: int, child: Expr) -> Expr:
    """`e` with its child number i (in the order of `children`) replaced."""
    kids = list(children(e))
    kids[i] = child
    it = iter(kids)
    return rebuild(e, lambda _: next(it))


class UnknownAtPoint(ValueError):
    """A function the derivation does not specify, evaluated elsewhere than at its variables (y(2))."""

    def __init__(self, e: "Unknown"):
        super().__init__(f"{e.name} is a function of {', '.join(e.variables)} that the derivation does not "
                         "specify; its value at another point is not known")


def lower_unknowns(e: Expr) -> Expr:
    """Each unspecified function's value, and each derivative's, as a variable of its own (y, y', y'')."""
    if isinstance(e, Unknown):
        return Var(e.label())
    return rebuild(e, lower_unknowns)


def substitute(e: Expr, mapping: dict[str, Expr]) -> Expr:
    """Replace variables by expressions (all at once, not one after another).

    Only for expressions without derivatives, applications and evaluation bars
    (calculus.meaning works those out first), where a name can be bound."""
    if isinstance(e, Var):
        return mapping.get(e.name, e)
    if isinstance(e, (Diff, Apply, At, Integral)):
        raise ValueError(f"substitute before working out {type(e).__name__} nodes (calculus.meaning)")
    if isinstance(e, Unknown) and set(e.variables) & mapping.keys():
        raise UnknownAtPoint(e)
    return rebuild(e, lambda c: substitute(c, mapping))


# -- printing, in the plain syntax that the parser reads back

_PREC_ADD, _PREC_MUL, _PREC_NEG, _PREC_POW, _PREC_ATOM = 1, 2, 3, 4, 5


def _num_text(v: Fraction) -> str:
    return str(v.numerator) if v.denominator == 1 else f"{v.numerator}/{v.denominator}"


def _prec(e: Expr) -> int:
    if isinstance(e, Add):
        return _PREC_ADD
    if isinstance(e, Num):
        if e.value < 0:
            return _PREC_NEG
        return _PREC_MUL if e.value.denominator != 1 else _PREC_ATOM
    if isinstance(e, Mul):
        return _PREC_MUL
    if isinstance(e, Pow):
        return _PREC_MUL if is_reciprocal(e) else _PREC_POW
    return _PREC_ATOM


def is_reciprocal(e: Expr) -> bool:
    return isinstance(e, Pow) and isinstance(e.exp, Num) and e.exp.value < 0


def is_negative(e: Expr) -> bool:
    """A term printed with a leading minus."""
    if isinstance(e, Num):
        return e.value < 0
    return isinstance(e, Mul) and isinstance(e.factors[0], Num) and e.factors[0].value < 0


def _wrap(e: Expr, at_least: int) -> str:
    s = show(e)
    return f"({s})" if _prec(e) < at_least else s


def _split_fraction(e: Mul) -> tuple[list[Expr], list[Expr]]:
    top: list[Expr] = []
    bottom: list[Expr] = []
    for f in e.factors:
        if is_reciprocal(f):
            bottom.append(power(f.base, Num(-f.exp.value)))
        else:
            top.append(f)
    return top, bottom


def _show_product(factors: list[Expr]) -> str:
    if not factors:
        return "1"
    if len(factors) == 1:
        return _wrap(factors[0], _PREC_MUL)
    return "*".join(_wrap(f, _PREC_MUL) if i == 0 else _wrap(f, _PREC_NEG) for i, f in enumerate(factors))


def show(e: Expr) -> str:
    """Render `e` in the plain syntax."""
    if isinstance(e, Num):
        return _num_text(e.value)
    if isinstance(e, (Var, Const)):
        return e.name
    if isinstance(e, Add):
        terms = list(e.terms)
        first = next((i for i, t in enumerate(terms) if not is_negative(t)), 0)
        terms.insert(0, terms.pop(first))  # 1 - p rather than -p + 1
        out = show(terms[0]) if _prec(terms[0]) > _PREC_ADD else f"({show(terms[0])})"
        for t in terms[1:]:
            if is_negative(t):
                out += " - " + _wrap(neg(t), _PREC_MUL)
            else:
                out += " + " + _wrap(t, _PREC_MUL)
        return out
    if isinstance(e, Mul):
        factors = list(e.factors)
        sign = ""
        if isinstance(factors[0], Num) and factors[0].value == -1:
            sign, factors = "-", factors[1:]
        top, bottom = _split_fraction(Mul(tuple(factors)))
        text = _show_product(top)
        if bottom:
            den = _show_product(bottom)
            if len(bottom) > 1 or isinstance(bottom[0], Mul) or _prec(bottom[0]) < _PREC_POW and not isinstance(bottom[0], Add):
                den = f"({den})"
            text = f"{text}/{den}"
        return sign + text
    if isinstance(e, Pow):
        if is_reciprocal(e):
            inv = power(e.base, Num(-e.exp.value))
            return f"1/{_wrap(inv, _PREC_POW)}"
        return f"{_wrap(e.base, _PREC_ATOM)}**{_wrap(e.exp, _PREC_ATOM)}"
    if isinstance(e, Call):
        return f"{e.func}({show(e.arg)})"
    if isinstance(e, Diff):
        order = f", {e.order}" if e.order != 1 else ""
        return f"diff({show(e.expr)}, {e.var}{order})"
    if isinstance(e, Apply):
        call = f"{e.func.name}({', '.join(map(show, e.args))})"
        if not e.order:
            return call
        if isinstance(e.args[0], Var):  # f'(x) is diff(f(x), x), in a form the plain syntax reads
            return show(Diff(Apply(e.func, e.args), e.args[0].name, e.order))
        return f"{e.func.name}{chr(39) * e.order}({show(e.args[0])})"
    if isinstance(e, Extremum):
        return f"{e.func}({', '.join(map(show, e.args))})"
    if isinstance(e, At):
        return f"Subs({show(e.expr)}, {e.var}, {show(e.value)})"
    if isinstance(e, Unknown):
        return e.label()
    if isinstance(e, Held):
        return show(e.expr)
    if isinstance(e, Integral):
        span = e.var if e.lower is None else f"({e.var}, {show(e.lower)}, {show(e.upper)})"
        return f"integrate({show(e.expr)}, {span})"
    if isinstance(e, Piecewise):
        pieces = (f"({show(v)}, {' and '.join(map(show_rel, conds)) if conds else 'True'})" for v, conds in e.pieces)
        return f"Piecewise({', '.join(pieces)})"
    raise TypeError(f"not an expression: {e!r}")


def show_rel(r: Rel) -> str:
    e = r.lhs
    if r.op == "=" and r.rhs == ONE and isinstance(e, Piecewise) and e.pieces[-1] == (ZERO, ()) \
            and all(v == ONE and c for v, c in e.pieces[:-1]):  # the point lies in one of the pieces
        return " or ".join(" and ".join(map(show_rel, c)) for _, c in e.pieces[:-1])
    return f"{show(r.lhs)} {r.op} {show(r.rhs)}"
