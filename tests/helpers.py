"""Shared helpers for the tests: build obligations from plain text, and evaluate independently."""

from __future__ import annotations

import io
import os
import random
from pathlib import Path

import sympy

from verify.derivation import Derivation, Line
from verify.encode import Obligation
from verify.engines.sympy import to_sympy
from verify.errors import Location
from verify.frontends import plain, syntax

ROOT = Path(__file__).resolve().parent.parent
HERE = Location("<test>")


def run(*argv, cwd=None) -> tuple[int, str, str]:
    """The command line in this process: (exit code, stdout, stderr)."""
    from verify.cli import main

    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    if cwd:
        os.chdir(cwd)
    try:
        code = main(list(argv), out, err)
    finally:
        os.chdir(old)
    return code, out.getvalue(), err.getvalue()


def derivation(*texts: str, assume: tuple[str, ...] = (), expect: tuple[str, ...] = ()) -> Derivation:
    subs, hyps = [], []
    for a in assume:
        got = syntax.read_assumption(a, HERE, plain.Scope(plain.PRELUDE.functions, dict(subs)))
        if isinstance(got, syntax.NameDefinition):
            subs.append((got.name, got.value))
        else:
            hyps.extend(got)
    scope = plain.Scope(plain.PRELUDE.functions, dict(subs))
    lines = tuple(Line(t, plain.parse_expr(t, HERE, scope), HERE) for t in texts)
    return Derivation("<test>", "test", HERE, lines, tuple(hyps), tuple(subs), expect)


def obligation(lhs: str, rhs: str, assume: tuple[str, ...] = ()) -> Obligation:
    return derivation(lhs, rhs, assume=assume).steps()[0].obligation()


def sympy_value(expr, point: dict[str, float], digits: int = 30):
    """Evaluate with SymPy's own evalf: independent of verify.numeric. None where undefined or complex."""
    s = to_sympy(expr)
    subs = {sympy.Symbol(k, real=True): sympy.Rational(v) for k, v in point.items()}
    try:  # exact substitution first: evalf(subs=...) can leave a spurious 1e-94*I in sqrt(x*(x + 1)) at x = -1
        v = s.subs(subs).evalf(digits)
    except (ZeroDivisionError, ValueError, TypeError):
        return None
    if not v.is_number or v.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo) or not v.is_real:
        return None
    return v


def differ_exactly(goal, point: dict) -> bool:
    """The two sides differ at `point` (exact rationals): SymPy substitutes exactly, then evaluates the
    difference with its own adaptive precision. Independent of verify.numeric and verify.certain."""
    subs = {sympy.Symbol(k, real=True): sympy.Rational(v) for k, v in point.items()}
    d = (to_sympy(goal.lhs) - to_sympy(goal.rhs)).subs(subs)
    try:  # strict: SymPy raises where it cannot give 15 correct digits, as for a difference of 0
        value = d.evalf(15, maxn=4000, strict=True)
    except sympy.core.evalf.PrecisionExhausted:
        return False
    return value.is_number and value.is_real is not False and value != 0


def holds_exactly(rel, point: dict) -> bool:
    """A relation at an exact point, by SymPy alone: the difference of its sides has a certain sign (or is
    exactly 0). False where a side has no real value there."""
    subs = {sympy.Symbol(k, real=True): sympy.Rational(v) for k, v in point.items()}
    try:
        d = (to_sympy(rel.lhs) - to_sympy(rel.rhs)).subs(subs)
    except (ZeroDivisionError, ValueError, TypeError):
        return False
    if d.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo, sympy.I):
        return False
    if d == 0:
        return rel.op in ("<=", ">=", "=")
    try:
        v = d.evalf(15, maxn=4000, strict=True)
    except sympy.core.evalf.PrecisionExhausted:
        return False
    if not v.is_real:
        return False
    return {"<": v < 0, "<=": v < 0, ">": v > 0, ">=": v > 0, "!=": True, "=": False}[rel.op]


def check_independently(ob: Obligation, verdict, n: int = 30) -> None:
    """Whatever `verdict` says about `ob`, checked by SymPy's own evaluation: a proof agrees at random
    points; a counterexample has both sides valued and different, exactly; an unknown says why."""
    from verify.verdict import Status

    assert verdict.status is not Status.ERROR, verdict.detail
    if verdict.status is Status.PROVEN:
        agree_at_random_points(ob, n=n)
    elif verdict.status is Status.REFUTED:
        point = {k: sympy.Rational(v) for k, v in verdict.counterexample.point}
        va, vb = sympy_value(ob.goal.lhs, point, 40), sympy_value(ob.goal.rhs, point, 40)
        assert va is not None and vb is not None
        assert differ_exactly(ob.goal, point), (ob.goal, point)
    else:
        assert verdict.detail


def agree_at_random_points(ob: Obligation, n: int = 40, seed: int = 0) -> int:
    """Count points where both sides are defined; assert they agree there. Independent of verify.numeric."""
    rng = random.Random(seed)
    agreed = 0
    for _ in range(n * 5):
        point = {v: round(rng.uniform(-6, 6), 6) for v in ob.variables}
        a, b = sympy_value(ob.goal.lhs, point), sympy_value(ob.goal.rhs, point)
        if a is None or b is None:
            continue
        assert abs(a - b) <= 1e-15 * max(1, abs(a), abs(b)), (ob.goal, point, a, b)
        agreed += 1
        if agreed >= n:
            break
    return agreed


def process_stats():
    """(pid, the fields of /proc/pid/stat after the command's name: state, ppid, pgrp, session, ...) of
    every process that can be read."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            yield int(stat.parent.name), stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
