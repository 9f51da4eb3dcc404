"""Encoding: a step becomes a proof obligation in real arithmetic.

Exponentials become positive real variables. The arguments of all exponentials
in one obligation are split into rational multiples of monomials, and each
monomial m gets one variable t = exp(m/D), D the least common denominator of
its coefficients, so e^{-x}, e^{x} and e^{x/2} all become powers of one t > 0.
Abstractions are named by their content, once per obligation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from . import ir
from .ir import Add, Call, Const, Expr, Mul, Num, Pow, Rel, Var

HYPERBOLIC = frozenset({"sinh", "cosh", "tanh", "sech", "csch", "coth"})
# bounds on pi that any solver may use: 3.14159 < pi < 3.14160
MAX_EXP_DEGREE = 24  # exp(c m) is a power of a common exp(unit m) only up to this degree
MAX_TRIG_DEGREE = 12  # sin(n t) is a polynomial in sin t and cos t only up to this n
MAX_TRIG_PARTS = 4  # sin(a + b + ...) is expanded by angle addition over at most this many angles
PI_BOUNDS = (Fraction(314159, 100000), Fraction(314160, 100000))


@dataclass(frozen=True)
class Abstraction:
    """A real variable that stands for a non-polynomial subterm."""

    name: str
    origin: Expr  # what it stands for, in the original functions
    kind: str  # exp, root, abs, log, sin, cos, asin, acos, atan, erf, pi
    # for kind "exp" of one user variable v: the variable is exp(v / scale)
    variable: str | None = None
    scale: Fraction = Fraction(1)
    # for kind "log": the argument in real arithmetic
    argument: Expr | None = None


@dataclass(frozen=True)
class DomainFact:
    """A fact that holds where `guard` does (s**2 = u for s = sqrt(u) needs u >= 0); with no guard,
    where every requirement of the step holds."""

    fact: Rel
    guard: Rel | None = None


@dataclass(frozen=True)
class Obligation:
    """Prove `goal` for all reals satisfying `hypotheses` and `requirements`.

    The `real_*` fields say the same in polynomial arithmetic over the variables
    and abstractions, with `facts` holding what the abstractions satisfy everywhere
    and `domain_facts` what they satisfy only where the requirements hold, so these
    may not be used to prove a requirement.
    """

    goal: Rel
    hypotheses: tuple[Rel, ...]
    requirements: tuple[Rel, ...]
    real_goal: Rel
    real_hypotheses: tuple[Rel, ...]
    real_requirements: tuple[Rel, ...]
    facts: tuple[Rel, ...]
    domain_facts: tuple[DomainFact, ...]
    abstractions: tuple[Abstraction, ...]
    variables: tuple[str, ...]
    remarks: tuple[str, ...] = ()  # how the step became this claim, for the report ("up to a constant")
    whole_domain: bool = False  # the claim counts only if it holds wherever the hypotheses do, with no condition


def exp_form(e: Expr) -> Expr:
    """Rewrite e, hyperbolic functions and real powers with exp; cancel exp(log u) and log(exp u)."""
    e = ir.rebuild(e, exp_form)
    if isinstance(e, Const) and e.name == "e":
        return ir.call("exp", ir.ONE)
    if isinstance(e, Call):
        f, u = e.func, e.arg
        if f in HYPERBOLIC:
            return _hyperbolic(f, u)
        if f == "log":
            return _log_parts(u)
        if f == "exp":
            return _exp_of_logs(u)
        if isinstance(u, Call) and (f, u.func) in _INVERSES:  # sin(asin v) = v where asin v is defined
            return _INVERSES[f, u.func](u.arg)
    if isinstance(e, Pow):
        b, p = e.base, e.exp
        is_exp = isinstance(b, Call) and b.func == "exp"
        if is_exp:  # (e^u)^p = e^(p u) for real u
            return _exp_of_logs(ir.mul(p, b.arg))
        if not isinstance(p, Num):
            return _exp_of_logs(ir.mul(p, _log_parts(b)))
    return e


def _log_parts(u: Expr) -> Expr:
    """log u as a sum, log(c b1^k1 b2^k2 ...) = log|c| + k1 log|b1| + k2 log|b2| + ..., which holds
    wherever u > 0, and every step with log u (or a real power of u) requires that. So log(x^2) and
    2 log|x|, or log(xy) and log|x| + log|y|, meet in the same variables. |b| is written b where its
    sign is known: b > 0 by its form (1 + e^-x), b under a root, or b the one factor whose sign the
    others and u > 0 fix (log(x) is log x); log e^v is v. `_links` ties log b to log|b|."""
    terms, c, sign = [], Fraction(1), 1
    unsure: list[tuple[Fraction, Expr]] = []  # odd powers of factors whose sign the form does not show
    for f in u.factors if isinstance(u, Mul) else (u,):
        b, k = (f.base, f.exp.value) if isinstance(f, Pow) and isinstance(f.exp, Num) else (f, Fraction(1))
        absolute = False
        while isinstance(b, Call) and b.func in ("sqrt", "abs"):  # log sqrt(v) = log(v) / 2, v > 0 here
            absolute = absolute or b.func == "abs"
            b, k = b.arg, k / 2 if b.func == "sqrt" else k
        if isinstance(b, Num) and k.denominator == 1 and b.value != 0:  # log 0 has no value: left to the domain
            c *= abs(b.value) ** k.numerator
            sign *= (-1 if b.value < 0 else 1) ** (k.numerator % 2)
        elif isinstance(b, Call) and b.func == "exp":
            terms.append(ir.mul(Num(k), b.arg))
        elif _positive_form(b) or k.denominator != 1 and not absolute:  # x^(1/2) needs x >= 0
            terms.append(ir.mul(Num(k), ir.call("log", b)))
        elif absolute or k.numerator % 2 == 0:
            terms.append(ir.mul(Num(k), ir.call("log", ir.call("abs", b))))
        else:
            unsure.append((k, b))
    if len(unsure) == 1:  # u > 0, and the signs of the other factors are known: b has the sign of c
        k, b = unsure[0]
        terms.append(ir.mul(Num(k), ir.call("log", b if sign > 0 else ir.neg(b))))
    else:
        terms += [ir.mul(Num(k), ir.call("log", ir.call("abs", b))) for k, b in unsure]
    if c != 1:
        terms.insert(0, ir.call("log", Num(c)))
    return ir.add(*terms)


def _links(table: list[Abstraction]) -> list[DomainFact]:
    """log b = log|b| (and log(-b) = log|b|) where both are variables: each log requires its argument
    positive, so both hold where the step is claimed; so do exp(k log b) = exp(k log|b|)."""
    def absolute(e: Expr) -> Expr:
        if isinstance(e, Call) and e.func == "log" and not (isinstance(e.arg, Call) and e.arg.func == "abs") \
                and not _positive_form(e.arg):
            inner = e.arg.factors[1] if _is_negated(e.arg) and isinstance(e.arg, Mul) and len(e.arg.factors) == 2 \
                and e.arg.factors[0] == ir.MINUS_ONE else e.arg
            return ir.call("log", ir.call("abs", inner))
        return ir.rebuild(e, absolute)

    out, seen = [], {}
    for a in table:
        if a.kind not in ("log", "exp"):
            continue
        if a.kind == "exp":
            key = (a.kind, tuple(sorted((k, c) for k, (c, _) in linear_parts(absolute(a.origin.arg)).items())))
        else:
            key = (a.kind, ir.show(absolute(a.origin)))
        if key in seen:
            out.append(DomainFact(Rel("=", Var(seen[key]), Var(a.name))))
        else:
            seen[key] = a.name
    return out


def _positive_form(e: Expr) -> bool:
    """e > 0 wherever it is defined, by its form: 2, e^x, 1 + e^-x, x^2 + 1, sqrt(2)."""
    if isinstance(e, Add):
        return all(map(_nonnegative_form, e.terms)) and any(map(_positive_form, e.terms))
    if isinstance(e, Mul):
        return all(map(_positive_form, e.factors))
    if isinstance(e, Pow) and isinstance(e.exp, Num):
        return _positive_form(e.base)
    if isinstance(e, Call) and e.func in ("exp", "cosh", "sech"):
        return True
    return _positive_constant(e)


def _nonnegative_form(e: Expr) -> bool:
    if isinstance(e, Pow) and isinstance(e.exp, Num) and e.exp.value.denominator == 1 and e.exp.value.numerator % 2 == 0:
        return True
    if isinstance(e, Mul):
        return all(map(_nonnegative_form, e.factors))
    if isinstance(e, Call) and e.func in ("abs", "sqrt"):
        return True
    return _positive_form(e)


_INVERSES = {
    ("sin", "asin"): lambda v: v, ("cos", "acos"): lambda v: v, ("tan", "atan"): lambda v: v,
    ("cos", "asin"): lambda v: ir.call("sqrt", ir.sub(ir.ONE, ir.power(v, ir.num(2)))),
    ("sin", "acos"): lambda v: ir.call("sqrt", ir.sub(ir.ONE, ir.power(v, ir.num(2)))),
    ("cos", "atan"): lambda v: ir.power(ir.call("sqrt", ir.add(ir.ONE, ir.power(v, ir.num(2)))), ir.MINUS_ONE),
    ("sin", "atan"): lambda v: ir.div(v, ir.call("sqrt", ir.add(ir.ONE, ir.power(v, ir.num(2))))),
    ("tan", "asin"): lambda v: ir.div(v, ir.call("sqrt", ir.sub(ir.ONE, ir.power(v, ir.num(2))))),
    ("tan", "acos"): lambda v: ir.div(ir.call("sqrt", ir.sub(ir.ONE, ir.power(v, ir.num(2)))), v),
}
# bounds on the ranges of the inverse trigonometric functions, from pi/2 < 1.5708
_HALF_PI = Fraction(15708, 10000)


def _exp_of_logs(u: Expr) -> Expr:
    """exp(a + k log v) = exp(a) * v**k; log v is defined only where v > 0, a requirement already."""
    rest, powers = [], []
    for c, m in linear_parts(u).values():
        if isinstance(m, Call) and m.func == "log":
            powers.append(ir.power(m.arg, Num(c)))
        else:
            rest.append(ir.mul(Num(c), m))
    if not powers:
        return ir.call("exp", u)
    return ir.mul(*powers, *([ir.call("exp", ir.add(*rest))] if rest else []))


def _hyperbolic(f: str, u: Expr) -> Expr:
    up, down = _exp_of_logs(u), _exp_of_logs(ir.neg(u))
    plus, minus = ir.add(up, down), ir.sub(up, down)
    half = ir.num(Fraction(1, 2))
    return {
        "sinh": lambda: ir.mul(half, minus),
        "cosh": lambda: ir.mul(half, plus),
        "tanh": lambda: ir.div(minus, plus),
        "coth": lambda: ir.div(plus, minus),
        "sech": lambda: ir.div(ir.num(2), plus),
        "csch": lambda: ir.div(ir.num(2), minus),
    }[f]()


def _key(m: Expr) -> str:
    if isinstance(m, Mul):
        return "*".join(sorted(ir.show(f) if not isinstance(f, Add) else f"({ir.show(f)})" for f in m.factors))
    return ir.show(m)


def _spread_powers(e: Expr) -> Expr:
    """(a*b)^n = a^n b^n, (b^p)^n = b^(pn) and sqrt(a)^(2k) = a^k, for whole n: equal wherever the
    left side is defined. It lets e^{-(x/sqrt(2))^2} and e^{-x^2/2} share one variable."""
    if isinstance(e, Mul):
        return ir.mul(*map(_spread_powers, e.factors))
    if not (isinstance(e, Pow) and isinstance(e.exp, Num) and e.exp.value.denominator == 1):
        return e
    b, n = e.base, e.exp.value
    if isinstance(b, Mul):
        return ir.mul(*(_spread_powers(ir.power(f, Num(n))) for f in b.factors))
    if isinstance(b, Pow) and isinstance(b.exp, Num):
        return _spread_powers(ir.power(b.base, Num(b.exp.value * n)))
    if isinstance(b, Call) and b.func == "sqrt" and n % 2 == 0:
        return _spread_powers(ir.power(b.arg, Num(n / 2)))
    return e


def linear_parts(u: Expr) -> dict[str, tuple[Fraction, Expr]]:
    """u as a sum of rational multiples of monomials: key -> (coefficient, monomial)."""
    out: dict[str, tuple[Fraction, Expr]] = {}

    def collect(e: Expr, scale: Fraction) -> None:
        for t in e.terms if isinstance(e, Add) else (e,):
            t = _spread_powers(t)
            if isinstance(t, Num):
                c, m = t.value, ir.ONE
            elif isinstance(t, Mul) and isinstance(t.factors[0], Num):
                c, m = t.factors[0].value, ir.mul(*t.factors[1:])
            else:
                c, m = Fraction(1), t
            if isinstance(m, Add):
                collect(m, scale * c)
                continue
            i = next((i for i, f in enumerate(m.factors) if isinstance(f, Add)), None) if isinstance(m, Mul) else None
            if i is not None:  # (a + b) z = a z + b z
                rest = m.factors[:i] + m.factors[i + 1:]
                collect(ir.add(*(ir.mul(t, *rest) for t in m.factors[i].terms)), scale * c)
                continue
            k = "1" if m == ir.ONE else _key(m)
            out[k] = (out.get(k, (Fraction(0), m))[0] + scale * c, m)

    collect(u, Fraction(1))
    return {k: v for k, v in out.items() if v[0] != 0}


class _Abstractor:
    def __init__(self, exprs: list[Expr]):
        coefficients: dict[str, set[Fraction]] = {}  # of the monomials in the arguments of exp
        angles: dict[str, set[Fraction]] = {}  # and of sin, cos and tan
        for e in exprs:
            for node in ir.walk(e):
                if not (isinstance(node, Call) and node.func in ("exp", "sin", "cos", "tan")):
                    continue
                into = coefficients if node.func == "exp" else angles
                for k, (c, m) in linear_parts(node.arg).items():
                    into.setdefault(k, set()).add(abs(c))
                    if into is angles and isinstance(m, Call) and ("cos", m.func) in _INVERSES:
                        angles[k].add(Fraction(1))  # atan v itself: its sine and cosine are known
        # exp(c m) = t^(c/unit) with t = exp(unit m), the unit the largest that divides every c:
        # exp(1000 x) and exp(-1000 x) are s and 1/s, not t^1000 and t^-1000; likewise sin(c m) is a
        # polynomial in sin(unit m) and cos(unit m)
        self.units = {k: _common_unit(cs) for k, cs in coefficients.items()}
        self.angle_units = {k: _common_unit(cs) for k, cs in angles.items()}
        self.table: dict[str, Abstraction] = {}
        self.facts: list[Rel] = []
        self.domain_facts: list[DomainFact] = []

    def _new(self, a: Abstraction, *facts: Rel) -> Var:
        if a.name not in self.table:
            self.table[a.name] = a
            self.facts.extend(facts)
        return Var(a.name)

    def real(self, e: Expr) -> Expr:
        if isinstance(e, (Num, Var)):
            return e
        if isinstance(e, Const):  # pi; e was rewritten as exp(1)
            lo, hi = PI_BOUNDS
            pi = Var("pi")
            return self._new(Abstraction("pi", e, "pi"), Rel(">", pi, Num(lo)), Rel("<", pi, Num(hi)))
        if isinstance(e, Add):
            return ir.add(*map(self.real, e.terms))
        if isinstance(e, Mul):
            return ir.mul(*map(self.real, e.factors))
        if isinstance(e, Pow):
            p = e.exp.value  # exp_form leaves only numeric exponents
            if p.denominator == 1:
                return ir.power(self.real(e.base), e.exp)
            return ir.power(self._root(e.base, p.denominator), Num(Fraction(p.numerator)))
        if isinstance(e, Call):
            return getattr(self, "_" + e.func)(e.arg)
        if isinstance(e, ir.Piecewise):  # Z3 takes if-then-else as it is
            return ir.piecewise([(self.real(v), tuple(self.rel(r) for r in conds)) for v, conds in e.pieces])
        raise TypeError(f"cannot encode {e!r}")

    def rel(self, r: Rel) -> Rel:
        return Rel(r.op, self.real(r.lhs), self.real(r.rhs))

    def _exp(self, u: Expr) -> Expr:
        factors = []
        for k, (c, m) in sorted(linear_parts(u).items()):
            unit = self.units[k]
            if abs(c / unit) > MAX_EXP_DEGREE:  # its own variable: a degree of 1000 stalls the solver
                unit = abs(c)
            inner = ir.mul(ir.num(unit), m) if unit != 1 else m
            name = _exp_name(k, unit)
            single = m.name if isinstance(m, Var) else None
            t = self._new(
                Abstraction(name, ir.call("exp", inner), "exp", single, 1 / unit),
                Rel(">", Var(name), ir.ZERO),
                *_exp_bounds(Var(name), inner),
            )
            factors.append(ir.power(t, Num(c / unit)))
        return ir.mul(*factors)

    def _root(self, b: Expr, q: int) -> Expr:
        rb = self.real(b)
        name = f"sqrt({ir.show(b)})" if q == 2 else f"root{q}({ir.show(b)})"
        s = Var(name)
        defining = Rel("=", ir.power(s, ir.num(q)), rb)
        if _positive_constant(b):  # sqrt(2), sqrt(2/pi): defined everywhere, and positive
            return self._new(Abstraction(name, ir.power(b, Num(Fraction(1, q))), "root"), Rel(">", s, ir.ZERO), defining)
        if name not in self.table:
            self.domain_facts.append(DomainFact(defining, Rel(">=", rb, ir.ZERO)))
        return self._new(Abstraction(name, ir.power(b, Num(Fraction(1, q))), "root"), Rel(">=", s, ir.ZERO))

    def _sqrt(self, u: Expr) -> Expr:
        return self._root(u, 2)

    def _abs(self, u: Expr) -> Expr:
        ru = self.real(u)
        name = f"abs({ir.show(u)})"
        return self._new(
            Abstraction(name, ir.call("abs", u), "abs"),
            Rel(">=", Var(name), ir.ZERO),
            Rel("=", ir.power(Var(name), ir.num(2)), ir.power(ru, ir.num(2))),
        )

    def _log(self, u: Expr) -> Expr:
        v = Var(f"log({ir.show(u)})")
        sign = ()
        if isinstance(u, Num) and u.value > 0:  # the log of a positive number has a known sign
            sign = (Rel(">" if u.value > 1 else "<" if u.value < 1 else "=", v, ir.ZERO),)
        ru = self.real(u)
        if v.name not in self.table:  # 1 - 1/u <= log u <= u - 1, where u > 0
            positive = Rel(">", ru, ir.ZERO)
            self.domain_facts += [DomainFact(Rel("<=", v, ir.sub(ru, ir.ONE)), positive),
                                  DomainFact(Rel(">=", ir.mul(ru, v), ir.sub(ru, ir.ONE)), positive)]
        return self._new(Abstraction(v.name, ir.call("log", u), "log", argument=ru), *sign)

    def _erf(self, u: Expr) -> Expr:
        """erf(u) is a real in (-1, 1), and erf(-u) = -erf(u)."""
        if _is_negated(u):
            return ir.neg(self._erf(ir.neg(u)))
        v = Var(f"erf({ir.show(u)})")
        return self._new(Abstraction(v.name, ir.call("erf", u), "erf"), Rel(">", v, ir.MINUS_ONE), Rel("<", v, ir.ONE))

    def _asin(self, u: Expr) -> Expr:
        return self._inverse("asin", u, Rel(">=", Var(f"asin({ir.show(u)})"), Num(-_HALF_PI)),
                             Rel("<=", Var(f"asin({ir.show(u)})"), Num(_HALF_PI)))

    def _atan(self, u: Expr) -> Expr:
        return self._inverse("atan", u, Rel(">", Var(f"atan({ir.show(u)})"), Num(-_HALF_PI)),
                             Rel("<", Var(f"atan({ir.show(u)})"), Num(_HALF_PI)))

    def _acos(self, u: Expr) -> Expr:
        v = Var(f"acos({ir.show(u)})")
        return self._new(Abstraction(v.name, ir.call("acos", u), "acos"), Rel(">=", v, ir.ZERO),
                         Rel("<=", v, Num(2 * _HALF_PI)))

    def _inverse(self, f: str, u: Expr, *bounds: Rel) -> Expr:
        """asin and atan are odd: f(-u) = -f(u); otherwise reals in their range."""
        if _is_negated(u):
            return ir.neg(getattr(self, "_" + f)(ir.neg(u)))
        return self._new(Abstraction(f"{f}({ir.show(u)})", ir.call(f, u), f), *bounds)

    def _sin(self, u: Expr) -> Expr:
        return self._angle(u)[1]

    def _cos(self, u: Expr) -> Expr:
        return self._angle(u)[0]

    def _tan(self, u: Expr) -> Expr:
        c, s = self._angle(u)
        return ir.div(s, c)

    def _angle(self, u: Expr) -> tuple[Expr, Expr]:
        """(cos u, sin u) as polynomials in the sines and cosines of base angles: u = n1 t1 + n2 t2 + ...
        with whole n_i, by the multiple-angle and angle-addition formulas, exact identities over the reals.
        Rational multiples of pi are exact where the values are (pi/2, pi/3, pi/4, pi/6)."""
        parts = sorted(linear_parts(u).items())
        if len(parts) > MAX_TRIG_PARTS:  # sin of a long sum: one angle, unrelated to its parts
            return self._base(ir.show(u), u, None, Fraction(1))
        c_total, s_total = ir.ONE, ir.ZERO
        for k, (coef, m) in parts:
            c_total, s_total = _added(c_total, s_total, *self._part(k, coef, m))
        return c_total, s_total

    def _part(self, k: str, coef: Fraction, m: Expr) -> tuple[Expr, Expr]:
        """cos and sin of coef * m, m the monomial of key k."""
        if k == "pi":
            return self._pi_multiple(coef)
        unit = self.angle_units.get(k, abs(coef))
        if abs(coef / unit) > MAX_TRIG_DEGREE:  # its own angle: a degree of 100 stalls the solver
            unit = abs(coef)
        inner = ir.mul(ir.num(unit), m) if unit != 1 else m
        if isinstance(inner, Call) and ("cos", inner.func) in _INVERSES:  # cos(atan v) = 1/sqrt(1 + v^2)
            c1, s1 = (self.real(exp_form(_INVERSES[f, inner.func](inner.arg))) for f in ("cos", "sin"))
        else:
            c1, s1 = self._base(_exp_name(k, unit)[4:-1] if k != "1" else str(unit), inner,
                                m.name if isinstance(m, Var) else None, 1 / unit)
        return _multiple(c1, s1, int(coef / unit))

    def _base(self, name: str, angle: Expr, variable: str | None, scale: Fraction,
              *facts: Rel) -> tuple[Expr, Expr]:
        """The variables cos t and sin t of a base angle t, with cos^2 t + sin^2 t = 1."""
        c, s = Var(f"cos({name})"), Var(f"sin({name})")
        circle = Rel("=", ir.add(ir.power(c, ir.num(2)), ir.power(s, ir.num(2))), ir.ONE)
        self._new(Abstraction(c.name, ir.call("cos", angle), "cos", variable, scale),
                  Rel(">=", c, ir.MINUS_ONE), Rel("<=", c, ir.ONE), circle, *facts)
        self._new(Abstraction(s.name, ir.call("sin", angle), "sin", variable, scale),
                  Rel(">=", s, ir.MINUS_ONE), Rel("<=", s, ir.ONE))
        return c, s

    def _pi_multiple(self, coef: Fraction) -> tuple[Expr, Expr]:
        """cos and sin of coef*pi: exact for multiples of pi/2, pi/3, pi/4 and pi/6; otherwise a multiple
        of a base angle pi/q, whose cosine and sine are positive when q > 2."""
        q = coef.denominator
        if q in (1, 2):
            base = (ir.ZERO, ir.ONE) if q == 2 else (ir.MINUS_ONE, ir.ZERO)
        elif q in (3, 4, 6):
            root = self._root(ir.num(3 if q != 4 else 2), 2)
            half = ir.num(Fraction(1, 2))
            base = {3: (half, ir.mul(half, root)), 4: (ir.mul(half, root), ir.mul(half, root)),
                    6: (ir.mul(half, root), half)}[q]
        else:
            angle = ir.mul(ir.num(Fraction(1, q)), ir.Const("pi"))
            c, s = Var(f"cos(pi/{q})"), Var(f"sin(pi/{q})")
            base = self._base(f"pi/{q}", angle, None, Fraction(1), Rel(">", c, ir.ZERO), Rel(">", s, ir.ZERO))
        n = coef.numerator % (2 * q)  # the angle modulo 2 pi
        return _multiple(*base, n)


def _added(c1: Expr, s1: Expr, c2: Expr, s2: Expr) -> tuple[Expr, Expr]:
    """cos(a + b) and sin(a + b) from those of a and b."""
    if c1 == ir.ONE and s1 == ir.ZERO:
        return c2, s2
    return ir.sub(ir.mul(c1, c2), ir.mul(s1, s2)), ir.add(ir.mul(s1, c2), ir.mul(c1, s2))


def _multiple(c: Expr, s: Expr, n: int) -> tuple[Expr, Expr]:
    """cos(n t) and sin(n t) from c = cos t and s = sin t: the real and imaginary parts of (c + i s)^n."""
    sign = -1 if n < 0 else 1
    n = abs(n)
    if n == 0:
        return ir.ONE, ir.ZERO
    if n == 1:
        return c, ir.mul(ir.num(sign), s)
    cos_terms, sin_terms = [], []
    for k in range(n + 1):  # C(n, k) c^(n-k) (i s)^k
        term = ir.mul(ir.num(math.comb(n, k)), ir.power(c, ir.num(n - k)) if n - k else ir.ONE,
                      ir.power(s, ir.num(k)) if k else ir.ONE)
        if k % 2 == 0:
            cos_terms.append(term if k % 4 == 0 else ir.neg(term))
        else:
            sin_terms.append(term if k % 4 == 1 else ir.neg(term))
    return ir.add(*cos_terms), ir.mul(ir.num(sign), ir.add(*sin_terms))


def _positive_constant(e: Expr) -> bool:
    """e has no variables and is positive by its form: 2, pi, 2/pi, sqrt(2*pi), e^3."""
    if isinstance(e, Num):
        return e.value > 0
    if isinstance(e, Const):
        return True
    if isinstance(e, (Add, Mul)):
        return all(map(_positive_constant, ir.children(e)))
    if isinstance(e, Pow):
        return _positive_constant(e.base) and not ir.free_names(e.exp)
    if isinstance(e, Call):
        return e.func in ("exp", "cosh", "sech") and not ir.free_names(e.arg) or \
            e.func in ("sqrt", "abs") and _positive_constant(e.arg)
    return False


def _is_negated(u: Expr) -> bool:
    first = u.terms[0] if isinstance(u, Add) else u
    return isinstance(first, Mul) and isinstance(first.factors[0], Num) and first.factors[0].value < 0 \
        or isinstance(first, Num) and first.value < 0


def _exp_name(key: str, unit: Fraction) -> str:
    """exp(x), exp(x/6), exp(1000*x), e, exp(1/6), exp(1000)."""
    if key == "1":
        return "e" if unit == 1 else f"exp({unit})"
    times = "" if unit.numerator == 1 else f"{unit.numerator}*"
    over = "" if unit.denominator == 1 else f"/{unit.denominator}"
    return f"exp({times}{key}{over})"


def _common_unit(cs: set[Fraction]) -> Fraction:
    """The largest rational that divides every one of `cs` a whole number of times."""
    return Fraction(math.gcd(*(c.numerator for c in cs)), math.lcm(*(c.denominator for c in cs)))


def _exp_bounds(t: Var, y: Expr) -> tuple[Rel, ...]:
    """e^y >= 1 + y and e^-y >= 1 - y, for y polynomial: they tie t = e^y to the sign of y."""
    if not all(isinstance(n, (Num, Var, Add, Mul)) or (isinstance(n, Pow) and isinstance(n.exp, Num)
               and n.exp.value.denominator == 1 and n.exp.value > 0) for n in ir.walk(y)):
        return ()
    return (Rel(">=", t, ir.add(ir.ONE, y)), Rel("<=", ir.mul(t, ir.sub(ir.ONE, y)), ir.ONE))


def encode(goal: Rel, hypotheses: tuple[Rel, ...], requirements: tuple[Rel, ...]) -> Obligation:
    """Build the obligation for `goal`; no Diff nodes may remain."""
    all_rels = (goal, *hypotheses, *requirements)
    forms = {id(r): Rel(r.op, exp_form(r.lhs), exp_form(r.rhs)) for r in all_rels}
    ab = _Abstractor([side for r in forms.values() for side in (r.lhs, r.rhs)])
    real = lambda rels: tuple(ab.rel(forms[id(r)]) for r in rels)
    real_goal, = real((goal,))
    real_hyps = real(hypotheses)
    real_reqs = real(requirements)
    ab.domain_facts += _links(list(ab.table.values()))
    names = sorted(set().union(*(ir.free_names(s) for r in all_rels for s in (r.lhs, r.rhs))))
    return Obligation(
        goal, hypotheses, requirements, real_goal, real_hyps, real_reqs,
        tuple(ab.facts), tuple(ab.domain_facts), tuple(ab.table.values()), tuple(names),
    )
