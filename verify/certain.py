"""Certain answers at a point with rational coordinates: whether a relation holds there, and by how
much two sides differ.

A rational expression is evaluated exactly, with fractions. Anything else is enclosed in intervals
(mpmath.iv) whose precision rises until the answer is certain or a bound is reached: two sides differ
only when their enclosures do not overlap, so a refutation never rests on rounding, however small the
difference (1/10^40, e^-1000). asin, acos and atan have no interval version in mpmath, and its erf does not always converge; for
these increasing functions the enclosure is their values at the ends, each widened by a margin of
10 bits below the working precision.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction

import mpmath
from mpmath import iv

from . import ir
from .ir import Rel

Point = dict[str, Fraction]
START_DIGITS = 30
MAX_DIGITS = 2000  # beyond this precision a question is left unsettled
MAX_EXP_ARG = 10**5  # exp of more than this is not evaluated
MAX_POWER_DIGITS = 10**6  # an exact power whose result would have more digits is not computed


class Unsettled(Exception):
    """The question cannot be settled at this precision (or at all, within the bounds)."""


class Beyond(Unsettled):
    """A bound that more precision does not lift: exp of a number above MAX_EXP_ARG."""


class NoValue(ArithmeticError):
    """The expression has, for certain, no real value at the point."""


def exact(e: ir.Expr, point: Point) -> Fraction | None:
    """The exact value of a rational expression (numbers, variables, + * / and integer powers), or None
    where `e` is not one. Raises NoValue on a division by zero."""
    if isinstance(e, ir.Num):
        return e.value
    if isinstance(e, ir.Var):
        return point[e.name]
    if isinstance(e, (ir.Add, ir.Mul)):
        parts = [exact(c, point) for c in ir.children(e)]
        if any(p is None for p in parts):
            return None
        out = Fraction(0) if isinstance(e, ir.Add) else Fraction(1)
        for p in parts:
            out = out + p if isinstance(e, ir.Add) else out * p
        return out
    if isinstance(e, ir.Piecewise):
        for value, conds in e.pieces:
            sides = [(r.op, exact(r.lhs, point), exact(r.rhs, point)) for r in conds]
            if any(a is None or b is None for _, a, b in sides):
                return None
            if all(_compare(op, a - b) for op, a, b in sides):
                return exact(value, point)
        raise NoValue("outside every piece of a piecewise function")
    if isinstance(e, ir.Pow) and isinstance(e.exp, ir.Num) and e.exp.value.denominator == 1:
        b = exact(e.base, point)
        n = e.exp.value.numerator
        if b is None:
            return None
        if b == 0 and n < 0:
            raise NoValue("division by zero")
        size = max(b.numerator.bit_length(), b.denominator.bit_length(), 1)
        if abs(n) * size > MAX_POWER_DIGITS * 3.33:
            return None
        return b ** n
    return None


@contextmanager
def _precision(digits: int):
    saved = iv.dps
    iv.dps = digits
    try:
        yield
    finally:
        iv.dps = saved


def _iv(v: Fraction) -> iv.mpf:
    return iv.mpf(v.numerator) / v.denominator


def _enclose(e: ir.Expr, point: Point):
    """The enclosure of `e` at the context's precision; any failure inside mpmath leaves it unsettled."""
    try:
        return _Enclosure(point)(e)
    except (Unsettled, NoValue):  # Beyond included
        raise
    except (ArithmeticError, ValueError, mpmath.libmp.NoConvergence) as error:
        raise Unsettled(f"{type(error).__name__} while evaluating") from error


class _Enclosure:
    """Interval evaluation at the context's precision."""

    def __init__(self, point: Point):
        self.point = point

    def __call__(self, e: ir.Expr):
        if isinstance(e, ir.Num):
            return _iv(e.value)
        if isinstance(e, ir.Var):
            return _iv(self.point[e.name])
        if isinstance(e, ir.Const):
            return iv.pi if e.name == "pi" else iv.e
        if isinstance(e, ir.Add):
            out = iv.mpf(0)
            for t in e.terms:
                out += self(t)
            return out
        if isinstance(e, ir.Mul):
            out = iv.mpf(1)
            for f in e.factors:
                out *= self(f)
            return out
        if isinstance(e, ir.Pow):
            return self._pow(e)
        if isinstance(e, ir.Call):
            return self._call(e.func, self(e.arg))
        if isinstance(e, ir.Piecewise):
            for value, conds in e.pieces:
                if all(self._holds(r) for r in conds):
                    return self(value)
            raise NoValue("outside every piece of a piecewise function")
        raise TypeError(f"cannot evaluate {e!r}")

    def _holds(self, r: Rel) -> bool:
        a, b = exact(r.lhs, self.point), exact(r.rhs, self.point)
        if a is not None and b is not None:
            return _compare(r.op, a - b)
        d = self(r.lhs) - self(r.rhs)
        if d.a > 0 or d.b < 0:
            return _compare(r.op, d.a)
        raise Unsettled("a point too close to where a piecewise function changes pieces")

    def _pow(self, e: ir.Pow):
        b = self(e.base)
        if isinstance(e.exp, ir.Num) and e.exp.value.denominator == 1:
            n = e.exp.value.numerator
            if n < 0:
                return 1 / _nonzero(b) ** (-n)
            return b ** n if n else iv.mpf(1)
        return self._exp(self(e.exp) * _log(b))

    def _exp(self, u):
        if u.a > MAX_EXP_ARG or u.b > MAX_EXP_ARG:
            raise Beyond(f"exp of a number above {MAX_EXP_ARG} is not evaluated")
        return iv.exp(u)

    def _call(self, f: str, u):
        if f == "exp":
            return self._exp(u)
        if f == "log":
            return _log(u)
        if f == "sqrt":
            if u.b < 0:
                raise NoValue("sqrt of a negative number")
            if u.a < 0:
                raise Unsettled("sqrt of a number that may be negative")
            return iv.sqrt(u)
        if f == "abs":
            a, b = u.a, u.b
            if a >= 0:
                return u
            if b <= 0:
                return -u
            return iv.mpf([0, max(-a, b)])
        if f in ("sin", "cos"):
            return getattr(iv, f)(u)
        if f == "tan":
            return iv.sin(u) / _nonzero(iv.cos(u))
        if f in ("sinh", "cosh", "tanh", "sech", "csch", "coth"):
            up, down = self._exp(u), self._exp(-u)
            return {"sinh": lambda: (up - down) / 2, "cosh": lambda: (up + down) / 2,
                    "tanh": lambda: (up - down) / (up + down), "sech": lambda: 2 / (up + down),
                    "csch": lambda: 2 / _nonzero(up - down), "coth": lambda: (up + down) / _nonzero(up - down)}[f]()
        if f in ("asin", "acos", "atan", "erf"):
            return _widened(f, u)
        raise TypeError(f"no interval for {f}")


def _nonzero(u):
    if u.a > 0 or u.b < 0:
        return u
    if u.a == 0 and u.b == 0:
        raise NoValue("division by zero")
    raise Unsettled("a divisor that may be zero")


def _log(u):
    if u.b <= 0:
        raise NoValue("log of a number that is not positive")
    if u.a <= 0:
        raise Unsettled("log of a number that may not be positive")
    return iv.log(u)


def _widened(f: str, u):
    """asin, acos, atan, erf: increasing, so the values at the ends enclose the range, each widened by a margin."""
    if f in ("asin", "acos") and (u.a < -1 or u.b > 1):
        if u.b < -1 or u.a > 1:
            raise NoValue(f"{f} of a number outside [-1, 1]")
        raise Unsettled(f"{f} of a number that may be outside [-1, 1]")
    g = getattr(mpmath, f)
    with mpmath.workprec(iv.prec + 10):
        ends = [g(mpmath.mpf(u.a)), g(mpmath.mpf(u.b))]
        margin = mpmath.mpf(2) ** -(iv.prec - 10) * (1 + max(abs(x) for x in ends))
        return iv.mpf([min(ends) - margin, max(ends) + margin])


@dataclass(frozen=True)
class Difference:
    lhs: str
    rhs: str
    difference: str  # lhs - rhs, with enough digits to show it is not 0


def _text(v, digits: int = 20) -> str:
    v = mpmath.mpf(v)
    if v == int(v) and abs(v) < mpmath.mpf(10) ** min(digits, 60):
        return str(int(v))
    return mpmath.nstr(v, digits)


def _texts(a, b, d) -> Difference:
    """Both values, with as many digits (from 20 to 60) as it takes for them to look different, and
    their difference `d`. The values must be known to more than 60 digits."""
    digits = 20
    while digits < 60 and Fraction(_plain(a, digits)) == Fraction(_plain(b, digits)):
        digits += 10
    return Difference(_text(a, digits), _text(b, digits), mpmath.nstr(mpmath.mpf(d), 5))


def _plain(v, digits: int) -> str:
    return mpmath.nstr(mpmath.mpf(v), digits).replace("e+", "e")


def differ(goal: Rel, point: Point) -> Difference | None:
    """The two sides where they differ for certain, None where they are equal for certain.
    Raises Unsettled where it cannot tell within the bounds, NoValue where a side has no value."""
    a, b = exact(goal.lhs, point), exact(goal.rhs, point)
    if a is not None and b is not None:
        if a == b:
            return None
        with mpmath.workdps(80):  # each value, and the exact difference, to more digits than shown
            value = lambda q: mpmath.mpf(q.numerator) / q.denominator
            return _texts(value(a), value(b), value(a - b))
    digits = START_DIGITS
    while digits <= MAX_DIGITS:
        with _precision(digits):
            try:
                left, right = _enclose(goal.lhs, point), _enclose(goal.rhs, point)
            except Beyond:
                raise
            except Unsettled:
                digits *= 2
                continue
        if left.b < right.a or right.b < left.a:
            with _precision(digits + 80):  # print from enclosures narrower than the digits shown
                left, right = _enclose(goal.lhs, point), _enclose(goal.rhs, point)
                with mpmath.workdps(digits + 80):
                    return _texts(left.mid, right.mid, (left - right).mid)
        digits *= 2
    raise Unsettled(f"the two sides agree to the {MAX_DIGITS} significant digits verify computes")


def holds(rel: Rel, point: Point) -> bool:
    """Whether `rel` (an inequality or !=) holds at `point`, for certain. Raises Unsettled where it
    cannot tell, NoValue where a side has no value."""
    a, b = exact(rel.lhs, point), exact(rel.rhs, point)
    if a is not None and b is not None:
        return _compare(rel.op, a - b)
    digits = START_DIGITS
    while digits <= MAX_DIGITS:
        with _precision(digits):
            try:
                d = _enclose(rel.lhs, point) - _enclose(rel.rhs, point)
            except Beyond:
                raise
            except Unsettled:
                digits *= 2
                continue
            if d.a > 0 or d.b < 0 or (d.a == 0 and d.b == 0):
                return _compare(rel.op, d.a if d.a > 0 else d.b)
        digits *= 2
    raise Unsettled("cannot tell whether a condition holds here")


def _compare(op: str, d) -> bool:
    return {"<": d < 0, "<=": d <= 0, ">": d > 0, ">=": d >= 0, "!=": d != 0, "=": d == 0}[op]


def decimal(v, digits: int) -> tuple[str, Fraction]:
    """`v` rounded to `digits` significant digits: as text, and as the exact rational that text is."""
    text = _text(v, digits)
    return text, Fraction(text.replace("e+", "e"))
