"""Both sides of a refuted step, sampled along one variable around the counterexample, for a plot.

The other variables stay at the counterexample. A sample is None where a side has no real value or a
hypothesis fails (the step claims nothing there), and between two samples that straddle a pole, so
that a plot leaves a gap rather than drawing a line through it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from mpmath import mpf

from . import numeric
from .encode import Obligation
from .numeric import Counterexample

SAMPLES = 161
DIGITS = 15


@dataclass(frozen=True)
class Curve:
    variable: str  # the one that varies
    fixed: tuple[tuple[str, str], ...]  # the others, at the counterexample
    lhs: tuple[tuple[float, float | None], ...]  # (x, value) pairs; None is a gap
    rhs: tuple[tuple[float, float | None], ...]
    at: float  # the counterexample's value of the variable
    at_lhs: float | None
    at_rhs: float | None
    ylim: tuple[float, float]


def _float(v) -> float | None:
    if v is None:
        return None
    f = float(v)
    return f if math.isfinite(f) else None


def _window(c: float, lo: Fraction | None, hi: Fraction | None) -> tuple[float, float]:
    width = max(2.0, abs(c) / 2)
    a, b = c - width, c + width
    if lo is not None:
        a = max(a, float(lo))
    if hi is not None:
        b = min(b, float(hi))
    if b - a < 1e-9:
        a, b = c - 1e-3, c + 1e-3
    return a, b


def sample(ob: Obligation, cx: Counterexample, count: int = SAMPLES) -> Curve | None:
    """The two sides of `ob`'s goal near `cx`, or None where the counterexample has no variable."""
    if not cx.point:
        return None
    point = {n: mpf(v) for n, v in cx.point}
    name = cx.point[0][0]
    c = float(point[name])
    a, b = _window(c, *numeric.bounds(ob.hypotheses).get(name, (None, None)))
    xs = sorted({a + (b - a) * k / (count - 1) for k in range(count)} | {c})

    def at(x: float) -> tuple[float | None, float | None]:
        p = {**point, name: mpf(x)}
        if not all(numeric.holds(h, p, DIGITS) for h in ob.hypotheses):
            return None, None
        return (_float(numeric.value(ob.goal.lhs, p, DIGITS)), _float(numeric.value(ob.goal.rhs, p, DIGITS)))

    values = [at(x) for x in xs]
    sides = [_break_at_poles([(x, v[side]) for x, v in zip(xs, values)], lambda x, s=side: at(x)[s])
             for side in (0, 1)]
    here = values[xs.index(c)]
    ylim = _ylim([y for side in sides for _, y in side if y is not None], here)
    return Curve(name, tuple(p for p in cx.point if p[0] != name), tuple(sides[0]), tuple(sides[1]),
                 c, here[0], here[1], ylim)


def _break_at_poles(points: list[tuple[float, float | None]], f) -> list[tuple[float, float | None]]:
    """A gap between neighbours whose signs differ across a pole rather than a root."""
    out = points[:1]
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        if y0 is not None and y1 is not None and y0 * y1 < 0 and _pole_between(x0, y0, x1, y1, f):
            out.append(((x0 + x1) / 2, None))
        out.append((x1, y1))
    return out


def _pole_between(x0: float, y0: float, x1: float, y1: float, f, steps: int = 24) -> bool:
    """Bisect the sign change: near a root the values shrink, near a pole they grow (or stop existing)."""
    start = max(abs(y0), abs(y1))
    for _ in range(steps):
        xm = (x0 + x1) / 2
        ym = f(xm)
        if ym is None:
            return True
        if ym == 0:
            return False
        x0, y0, x1, y1 = (xm, ym, x1, y1) if ym * y0 > 0 else (x0, y0, xm, ym)
    return min(abs(y0), abs(y1)) > start


def _ylim(values: list[float], must: list[float | None]) -> tuple[float, float]:
    """A range that holds most values and the counterexample's, so one pole does not flatten the rest."""
    if not values:
        return (-1.0, 1.0)
    s = sorted(values)
    lo, hi = s[len(s) // 20], s[-1 - len(s) // 20]
    for v in must:
        if v is not None:
            lo, hi = min(lo, v), max(hi, v)
    pad = (hi - lo) * 0.15 or max(1.0, abs(hi)) * 0.5
    return (lo - pad, hi + pad)
