"""High-precision evaluation with mpmath: confirms counterexamples, searches for them,
and cross-checks proofs. Nothing here trusts a solver.
"""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Iterable, Iterator

import mpmath
from mpmath import mpf

from . import certain, ir
from .encode import Obligation
from .ir import Rel

Point = dict[str, mpf]
BASE_DIGITS = 50
CHECK_DIGITS = 30  # the cross-check compares at this precision; a mismatch is settled by `difference`
MAX_DIGITS = certain.MAX_DIGITS  # beyond this working precision a point is left undecided
MAX_EXP_ARG = 10**5  # exp of more than this is not evaluated (the result would be astronomically large)
QUICK_POINTS = 3
ROUNDINGS = (6, 12, 20, 30, 50)  # significant digits of a printed counterexample, shortest first
NICE = [0, 1, -1, 2, -2, Fraction(1, 2), Fraction(-1, 2), 3, -3, Fraction(1, 3), Fraction(-3, 2), 5, -5,
        Fraction(1, 10), Fraction(-1, 10), 10, -10, Fraction(7, 3), Fraction(-7, 4), 20, -20]


class Undefined(ArithmeticError):
    """The expression has no real value at this point."""


@dataclass(frozen=True)
class Counterexample:
    point: tuple[tuple[str, str], ...]  # variable -> value, as decimal text
    lhs: str
    rhs: str
    difference: str = ""  # lhs - rhs

    @property
    def alike(self) -> bool:
        """The two values, as printed, are the same number (2**1000 + 1 against 2**1000)."""
        try:
            return Fraction(self.lhs) == Fraction(self.rhs)
        except ValueError:
            return False


class _Evaluator:
    def __init__(self, point: Point):
        self.point = point
        self.magnitude = 0  # largest |log10| of any intermediate value seen

    def note(self, v: mpf) -> mpf:
        _, man, exp, bits = v._mpf_
        if man:  # |v| is about 2**(exp + bits): count decimal digits from the binary exponent
            self.magnitude = max(self.magnitude, abs(exp + bits) * 30103 // 100000)
        return v

    def __call__(self, e: ir.Expr) -> mpf:
        return self.note(self._eval(e))

    def _eval(self, e: ir.Expr) -> mpf:
        if isinstance(e, ir.Num):
            return mpf(e.value.numerator) / e.value.denominator
        if isinstance(e, ir.Var):
            return self.point[e.name]
        if isinstance(e, ir.Const):
            return +mpmath.e if e.name == "e" else +mpmath.pi
        if isinstance(e, ir.Add):
            return mpmath.fsum(self(t) for t in e.terms)
        if isinstance(e, ir.Mul):
            out = mpf(1)
            for f in e.factors:
                out *= self(f)
            return out
        if isinstance(e, ir.Pow):
            return self._pow(e)
        if isinstance(e, ir.Call):
            return self._call(e.func, self(e.arg))
        if isinstance(e, ir.Piecewise):
            for value, conds in e.pieces:
                if all(ir.holds(r.op, self(r.lhs), self(r.rhs)) for r in conds):
                    return self(value)
            raise Undefined("outside every piece of a piecewise function")
        raise TypeError(f"cannot evaluate {e!r}")

    def _pow(self, e: ir.Pow) -> mpf:
        b = self(e.base)
        if isinstance(e.exp, ir.Num) and e.exp.value.denominator == 1:
            n = e.exp.value.numerator
            if b == 0 and n < 0:
                raise Undefined("division by zero")
            if b != 0 and abs(n) * (abs(float(mpmath.log10(abs(b)))) + 1) > 10**7:
                raise Undefined("the power is too large to evaluate")
            return b**n
        p = self(e.exp)
        if b < 0 or (b == 0 and p <= 0):
            raise Undefined("a real power of a negative number or of zero")
        if b and abs(p * mpmath.log(b)) > MAX_EXP_ARG:
            raise Undefined("the power is too large to evaluate")
        return b**p

    def _call(self, f: str, u: mpf) -> mpf:
        if f == "exp":
            if abs(u) > MAX_EXP_ARG:
                raise Undefined("exp of a very large number")
            return mpmath.exp(u)
        if f == "log":
            if u <= 0:
                raise Undefined("log of a number that is not positive")
            return mpmath.log(u)
        if f == "sqrt":
            if u < 0:
                raise Undefined("sqrt of a negative number")
            return mpmath.sqrt(u)
        if f in ("asin", "acos") and abs(u) > 1:
            raise Undefined(f"{f} of a number outside [-1, 1]")
        if f in ("tan", "csch", "coth"):
            inner = mpmath.cos(u) if f == "tan" else u
            if inner == 0:
                raise Undefined(f"{f} at a pole")
        if abs(u) > MAX_EXP_ARG and f in ("sinh", "cosh", "csch", "sech", "tanh", "coth"):
            raise Undefined(f"{f} of a very large number")
        return {"abs": abs, "sin": mpmath.sin, "cos": mpmath.cos, "tan": mpmath.tan, "sinh": mpmath.sinh,
                "cosh": mpmath.cosh, "tanh": mpmath.tanh, "sech": mpmath.sech, "csch": mpmath.csch,
                "coth": mpmath.coth, "erf": mpmath.erf, "asin": mpmath.asin, "acos": mpmath.acos,
                "atan": mpmath.atan}[f](u)


def _sides(rel: Rel, point: Point, digits: int) -> tuple[mpf, mpf, int]:
    with mpmath.workdps(digits):
        ev = _Evaluator(point)
        return ev(rel.lhs), ev(rel.rhs), ev.magnitude


def _close(a: mpf, b: mpf, digits: int) -> bool:
    return abs(a - b) <= mpf(10) ** (-(digits // 2)) * max(1, abs(a), abs(b))


def holds(rel: Rel, point: Point, digits: int = BASE_DIGITS) -> bool:
    """Whether `rel` is true at `point` (equality up to half the working digits)."""
    try:
        a, b, _ = _sides(rel, point, digits)
    except (Undefined, ZeroDivisionError, ValueError, OverflowError):
        return False
    if rel.op == "=":
        return _close(a, b, digits)
    if rel.op == "!=":
        return not _close(a, b, digits)
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[rel.op]


def value(e: ir.Expr, point: Point, digits: int = CHECK_DIGITS) -> mpf | None:
    """The value of `e` at `point`, or None where it has no real value."""
    try:
        with mpmath.workdps(digits):
            return _Evaluator(point)(e)
    except (Undefined, ZeroDivisionError, ValueError, OverflowError):
        return None


def close(a: mpf, b: mpf, digits: int = CHECK_DIGITS) -> bool:
    """Equal up to half the digits: a filter, never a verdict."""
    return _close(a, b, digits)


def in_domain(ob: Obligation, point: Point, digits: int = BASE_DIGITS) -> bool:
    """Every hypothesis and every requirement holds at `point`."""
    return all(holds(r, point, digits) for r in (*ob.hypotheses, *ob.requirements))


def _text(v: mpf, digits: int = 20) -> str:
    if v == int(v) and abs(v) < 10**15:
        return str(int(v))
    return mpmath.nstr(v, digits)


def differs(goal: Rel, point: Point, unsettled: list[str] | None = None) -> bool:
    """Whether the two sides look different at `point`: evaluated at two precisions, each well above
    the largest intermediate magnitude, their difference is the same and larger than the noise. Only
    a filter: `confirm` settles the question exactly."""
    try:
        _, _, magnitude = _sides(goal, point, 30)
        p1 = BASE_DIGITS + magnitude
        if p1 > MAX_DIGITS:  # too large to look at here
            if unsettled is not None:
                unsettled.append(f"the values here need more than the {MAX_DIGITS} significant digits verify computes")
            return False
        a1, b1, _ = _sides(goal, point, p1)
        a2, b2, _ = _sides(goal, point, 2 * p1)
    except (Undefined, ZeroDivisionError, ValueError, OverflowError):
        return False
    with mpmath.workdps(2 * p1):
        d1, d2 = a1 - b1, a2 - b2
        scale = max(1, abs(a2), abs(b2))
        return abs(d2) > mpf(10) ** -(p1 - 5) * scale and abs(d1 - d2) <= mpf(10) ** -5 * abs(d2)


def _ladder(value: mpf | Fraction) -> Iterator[tuple[str, Fraction]]:
    """`value` as short decimals first, each with the exact rational it denotes."""
    if isinstance(value, Fraction) and value.denominator == 1:
        yield str(value.numerator), value
        return
    seen: set[Fraction] = set()
    for digits in ROUNDINGS:
        text, q = certain.decimal(_mpf(value) if isinstance(value, Fraction) else value, digits)
        if q not in seen:
            seen.add(q)
            yield text, q


def confirm(ob: Obligation, point: Point | dict[str, Fraction], deep: bool = False,
            unsettled: list[str] | None = None) -> Counterexample | None:
    """A counterexample near `point`, settled exactly: the point is rounded to a short decimal, and at
    that decimal, read as an exact rational, every hypothesis and requirement holds for certain and the
    two sides differ for certain (exact or interval arithmetic, see `certain`). With `deep`, a
    difference is looked for up to `certain.MAX_DIGITS` even where the sides look equal; `unsettled`
    receives why a point could not be settled (the bound that stopped it)."""
    if not deep and not differs(ob.goal, {n: _mpf(v) if isinstance(v, Fraction) else v for n, v in point.items()},
                                unsettled):
        return None
    ladders = [list(_ladder(point[n])) for n in ob.variables]
    for rung in range(max((len(l) for l in ladders), default=1)):
        chosen = [l[min(rung, len(l) - 1)] for l in ladders]
        exact_point = {n: q for n, (_, q) in zip(ob.variables, chosen)}
        try:
            if not all(certain.holds(r, exact_point) for r in (*ob.hypotheses, *ob.requirements)):
                continue
            d = certain.differ(ob.goal, exact_point)
        except certain.NoValue:
            continue
        except certain.Unsettled as why:
            if unsettled is not None:
                at = ", ".join(f"{n} = {t}" for n, (t, _) in zip(ob.variables, chosen))
                unsettled.append(f"{why}{' at ' + at if at else ''}")
            continue
        if d is not None:
            return Counterexample(tuple((n, t) for n, (t, _) in zip(ob.variables, chosen)), d.lhs, d.rhs, d.difference)
    return None


def points_from_model(ob: Obligation, values: Iterable[tuple[str, Fraction]]) -> Iterator[Point]:
    """Real points suggested by a solver's model: exp(x/D) = t gives x = D log t, and sin(x/D) = s with
    cos(x/D) = c gives x = D atan2(s, c)."""
    model = dict(values)
    with mpmath.workdps(2 * BASE_DIGITS):
        plain = {n: mpf(model.get(n, 0).numerator) / model.get(n, 0).denominator for n in ob.variables}
        derived = dict(plain)
        for a in ob.abstractions:
            t = model.get(a.name)
            if a.kind == "exp" and a.variable in plain and t is not None and t > 0:
                derived[a.variable] = a.scale * mpmath.log(mpf(t.numerator) / t.denominator)
            if a.kind == "sin" and a.variable in plain and t is not None:  # x = atan2(sin, cos) / unit
                c = model.get("cos" + a.name[3:])
                if c is not None and (c or t):
                    derived[a.variable] = a.scale * mpmath.atan2(_mpf(t), _mpf(c))
    yield derived
    if derived != plain:
        yield plain


def seed_for(goal: Rel) -> int:
    return int.from_bytes(hashlib.sha256(ir.show_rel(goal).encode()).digest()[:8], "big")


def _mpf(v: Fraction | float) -> mpf:
    v = Fraction(v)
    return mpf(v.numerator) / v.denominator


def bounds(hypotheses: tuple[Rel, ...]) -> dict[str, tuple[Fraction | None, Fraction | None]]:
    """Interval bounds on single variables that the hypotheses state outright (0 <= p, p < 1)."""
    out: dict[str, tuple[Fraction | None, Fraction | None]] = {}
    flip = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}
    for r in hypotheses:
        if isinstance(r.lhs, ir.Var) and isinstance(r.rhs, ir.Num):
            name, op, c = r.lhs.name, r.op, r.rhs.value
        elif isinstance(r.rhs, ir.Var) and isinstance(r.lhs, ir.Num):
            name, op, c = r.rhs.name, flip.get(r.op, r.op), r.lhs.value
        else:
            continue
        lo, hi = out.get(name, (None, None))
        if op in (">", ">="):
            lo = c if lo is None else max(lo, c)
        elif op in ("<", "<="):
            hi = c if hi is None else min(hi, c)
        out[name] = (lo, hi)
    return out


def _draw(rng: random.Random, spread: bool, lo: Fraction | None, hi: Fraction | None) -> Fraction:
    magnitude = 10 ** rng.uniform(-8, 3) if spread and rng.random() < 0.3 else rng.uniform(0, 4)
    if lo is not None and hi is not None:
        width = float(hi - lo)
        v = float(lo) + (rng.random() * width if not spread or rng.random() < 0.7
                         else min(width, magnitude * width / 1000) if rng.random() < 0.5
                         else width - min(width, magnitude * width / 1000))
    elif lo is not None:
        v = float(lo) + magnitude
    elif hi is not None:
        v = float(hi) - magnitude
    else:
        v = rng.choice((-1, 1)) * magnitude
    return _nearest(v, 10**12)


def _nearest(v: float, limit: int) -> Fraction:
    """Fraction(v).limit_denominator(limit), in integers: the library's way makes a Fraction at
    every comparison, and drawing points was a tenth of a step's time."""
    n, d = v.as_integer_ratio()
    if d <= limit:
        return Fraction(n, d)
    num, den = n, d
    p0, q0, p1, q1 = 0, 1, 1, 0
    while True:
        a = n // d
        q2 = q0 + a * q1
        if q2 > limit:
            break
        p0, q0, p1, q1 = p1, q1, p0 + a * p1, q2
        n, d = d, n - a * d
    k = (limit - q0) // q1
    p2, q2 = p0 + k * p1, q0 + k * q1
    # the nearer of p1/q1 and p2/q2 to num/den, p1/q1 on a tie (as the library does)
    if abs(p1 * den - num * q1) * q2 <= abs(p2 * den - num * q2) * q1:
        return Fraction(p1, q1)
    return Fraction(p2, q2)


def candidate_points(variables: tuple[str, ...], seed: int, count: int, spread: bool = False,
                     limits: dict[str, tuple[Fraction | None, Fraction | None]] | None = None) -> Iterator[Point]:
    """Deterministic trial points: small "nice" values first, then random ones of many magnitudes,
    drawn inside the intervals that `limits` gives."""
    rng = random.Random(seed)
    limits = limits or {}
    n = len(variables)
    if n == 0:
        yield {}
        return
    if n == 1:
        for v in NICE:
            yield {variables[0]: _mpf(v)}
    for _ in range(count):
        yield {name: _mpf(_draw(rng, spread, *limits.get(name, (None, None)))) for name in variables}


def search(ob: Obligation, tries: int = 300) -> Counterexample | None:
    """Look for a counterexample at trial points."""
    for point in candidate_points(ob.variables, seed_for(ob.goal), tries, limits=bounds(ob.hypotheses)):
        if in_domain(ob, point):
            found = confirm(ob, point)
            if found:
                return found
    return None


def quick(ob: Obligation, count: int = QUICK_POINTS, unsettled: list[str] | None = None) -> Counterexample | None:
    """The first few trial points in the domain (0, 1, -1 for one variable), screened by `differs`,
    and the one point of a step without variables, looked at to full precision: cheap for a true step,
    and it settles many false steps before any solver runs."""
    tried = 0
    screen = _Screen(ob) if ob.variables else None
    for point in candidate_points(ob.variables, seed_for(ob.goal), 10 * count, limits=bounds(ob.hypotheses)):
        screened = screen(point) if screen else None
        if screened is False or screened is None and not in_domain(ob, point):
            continue
        # sides that agree in double precision are no counterexample found quickly (Z3 and the search
        # that follow still see a difference too small for floats)
        found = None if screened else confirm(ob, point, deep=not ob.variables, unsettled=unsettled)
        tried += 1
        if found or tried >= count:
            return found
    return None


class _NoFloat(Exception):
    """Double precision cannot tell here: the point goes to mpmath."""


_FLOAT_CALLS = {"exp": math.exp, "log": math.log, "sqrt": math.sqrt, "abs": abs, "sin": math.sin, "cos": math.cos,
                "tan": math.tan, "sinh": math.sinh, "cosh": math.cosh, "tanh": math.tanh,
                "sech": lambda u: 1 / math.cosh(u), "csch": lambda u: 1 / math.sinh(u),
                "coth": lambda u: 1 / math.tanh(u), "erf": math.erf, "asin": math.asin, "acos": math.acos,
                "atan": math.atan}
FLOAT_AGREE = 1e-12  # sides this close in double precision count as agreeing in the cross-check
FLOAT_MARGIN = 1e-9  # a condition nearer than this to its boundary is left to mpmath


FloatFn = Callable[[dict[str, float]], float]
_EDGE_AT_ZERO = frozenset({"log", "sqrt", "asin", "acos", "tan", "csch", "coth"})
_HUGE_ARG = frozenset({"exp", "sinh", "cosh", "csch", "sech", "tanh", "coth"})


def _no_float(point: dict[str, float]) -> float:
    raise _NoFloat  # piecewise functions and the rest: mpmath decides


def _compile(e: ir.Expr) -> FloatFn:
    """`e` as a function of a point in double precision, made once for the many points of a step; it
    raises _NoFloat (or an arithmetic error) where double precision cannot be trusted."""
    if isinstance(e, ir.Num):
        try:
            value = e.value.numerator / e.value.denominator
        except OverflowError:  # 10^400: beyond a double, so mpmath decides
            return _no_float
        return lambda point: value
    if isinstance(e, ir.Var):
        name = e.name
        return lambda point: point[name]
    if isinstance(e, ir.Const):
        value = math.e if e.name == "e" else math.pi
        return lambda point: value
    if isinstance(e, ir.Add):
        terms = [_compile(t) for t in e.terms]
        return lambda point: math.fsum([t(point) for t in terms])
    if isinstance(e, ir.Mul):
        factors = [_compile(f) for f in e.factors]

        def product(point: dict[str, float]) -> float:
            out = 1.0
            for f in factors:
                out *= f(point)
            return out
        return product
    if isinstance(e, ir.Pow):  # what _Evaluator refuses to evaluate, this leaves to it
        base = _compile(e.base)
        if isinstance(e.exp, ir.Num) and e.exp.value.denominator == 1:
            n = e.exp.value.numerator

            def integer_power(point: dict[str, float]) -> float:
                b = base(point)
                if b == 0 or abs(n) * (abs(math.log10(abs(b))) + 1) > 10**7:
                    raise _NoFloat
                return b ** n
            return integer_power
        exponent = _compile(e.exp)

        def real_power(point: dict[str, float]) -> float:
            b = base(point)
            p = exponent(point)
            if b <= 0 or abs(p * math.log(b)) > MAX_EXP_ARG:
                raise _NoFloat
            return b ** p
        return real_power
    if isinstance(e, ir.Call) and e.func in _FLOAT_CALLS:
        arg, f = _compile(e.arg), _FLOAT_CALLS[e.func]
        edge, huge = e.func in _EDGE_AT_ZERO, e.func in _HUGE_ARG

        def call(point: dict[str, float]) -> float:
            u = arg(point)
            if edge and abs(u) < FLOAT_MARGIN:
                raise _NoFloat  # near a pole or the edge of the domain
            if huge and abs(u) > MAX_EXP_ARG:
                raise _NoFloat
            return f(u)
        return call
    return _no_float


class _Screen:
    """The double-precision screen of one obligation, its terms compiled once."""

    def __init__(self, ob: Obligation):
        self.conditions = [(r.op, _compile(r.lhs), _compile(r.rhs)) for r in (*ob.hypotheses, *ob.requirements)]
        self.goal = (_compile(ob.goal.lhs), _compile(ob.goal.rhs))

    def __call__(self, point: Point) -> bool | None:
        """True where the point is clearly in the domain and the sides agree to FLOAT_AGREE, False where
        it is clearly outside the domain, None where mpmath must look."""
        at = {n: float(v) for n, v in point.items()}
        try:
            for op, lhs, rhs in self.conditions:
                a, b = lhs(at), rhs(at)
                gap, margin = a - b, FLOAT_MARGIN * max(1.0, abs(a), abs(b))
                if not math.isfinite(gap) or op == "=" or abs(gap) <= margin:
                    return None
                if not {"!=": True, "<": gap < 0, "<=": gap < 0, ">": gap > 0, ">=": gap > 0}[op]:
                    return False
            a, b = self.goal[0](at), self.goal[1](at)
        except (_NoFloat, ArithmeticError, ValueError, TypeError):
            return None
        if math.isfinite(a) and math.isfinite(b) and abs(a - b) <= FLOAT_AGREE * max(1.0, abs(a), abs(b)):
            return True
        return None


@dataclass(frozen=True)
class CrossCheck:
    points: int  # points of the domain where both sides were compared
    disagreement: Counterexample | None


def cross_check(ob: Obligation, wanted: int = 20, tries: int = 400) -> CrossCheck:
    """Compare the two sides at `wanted` points of the domain, small and large ones included."""
    checked = 0
    limits, screen = bounds(ob.hypotheses), _Screen(ob)
    for point in candidate_points(ob.variables, seed_for(ob.goal) + 1, tries, spread=True, limits=limits):
        screened = screen(point)  # double precision first; mpmath only where it cannot tell
        if screened is not None:
            checked += screened
            if checked >= wanted:
                break
            continue
        if not in_domain(ob, point, CHECK_DIGITS):
            continue
        try:
            a, b, _ = _sides(ob.goal, point, CHECK_DIGITS)
        except (Undefined, ZeroDivisionError, ValueError, OverflowError):
            continue
        if _close(a, b, CHECK_DIGITS):
            checked += 1
        else:
            found = confirm(ob, point)
            if found:
                return CrossCheck(checked, found)
        # otherwise the point cannot be settled at a reasonable precision, and is not counted
        if checked >= wanted:
            break
    return CrossCheck(checked, None)
