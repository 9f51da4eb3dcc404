"""How well `verify` explains single-slip variants of every true step in proofs/ (issue 10).

The generator here is written apart from verify/slips.py: it applies one slip of a kind to a true
step's right side, keeps the variant if it is false at some trial point, and records the kind. Each
variant is then checked with explanations on, and the bench counts:
- variants refuted that get a correction (the report's correction) and one from a single edit (a slip named);
- variants whose named slip is the kind that was applied;
- corrections that do not hold: each one is read back from its text and compared with the left side
  at 20 points by mpmath alone, and checked again by `verify`. The target is 0.

Usage: python bench/explain_mutants.py [PER_KIND] [JOBS]   (default 40 variants per kind, 2 jobs)
"""

from __future__ import annotations

import collections
import random
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verify import calculus, frontends, ir, numeric  # noqa: E402
from verify.derivation import Line, Step  # noqa: E402
from verify.errors import InputError, Location  # noqa: E402
from verify.frontends import plain  # noqa: E402
from verify.frontends.latex import parse_latex  # noqa: E402
from verify.frontends.names import PRELUDE  # noqa: E402
from verify.ir import Add, Apply, Call, Diff, Mul, Num, Pow  # noqa: E402
from verify.runner import run  # noqa: E402
from verify.verdict import Status  # noqa: E402


def _positions(e):
    """(node, rebuild) for every node of e: rebuild(new) is e with that node replaced."""
    yield e, lambda new: new
    for i, c in enumerate(ir.children(e)):
        for node, put in _positions(c):
            yield node, (lambda new, i=i, put=put: ir.with_child(e, i, put(new)))


def _derivatives(lines):
    return [n for line in lines for n in ir.walk(line) if isinstance(n, Diff) and n.order == 1]


def variants(step: Step):
    """(kind, wrong right side) for each slip of the issue's list that applies to this step."""
    rhs = step.rhs.expr
    diffs = _derivatives([line.expr for line in step.derivation.lines[: step.number]])
    for node, put in _positions(rhs):
        if isinstance(node, Call) and node.func == "exp" and node.arg != ir.ZERO:
            yield "exponent-sign", put(ir.call("exp", ir.neg(node.arg)))
        if isinstance(node, Add):
            for i, t in enumerate(node.terms):
                yield "sign", put(ir.add(*node.terms[:i], ir.neg(t), *node.terms[i + 1:]))
        if isinstance(node, Pow) and isinstance(node.exp, Num) and node.exp.value.denominator == 1:
            for k in (node.exp.value + 1, node.exp.value - 1):
                if k:
                    yield "power", put(ir.power(node.base, Num(k)))
        if isinstance(node, Mul):
            bottom = [f for f in node.factors if isinstance(f, Pow) and isinstance(f.exp, Num) and f.exp.value < 0]
            top = [f for f in node.factors if f not in bottom and not isinstance(f, Num)]
            if bottom and top:
                nums = [f for f in node.factors if isinstance(f, Num)]
                yield "swap", put(ir.mul(*nums, *(ir.power(f, ir.MINUS_ONE) for f in top),
                                         *(ir.power(f.base, Num(-f.exp.value)) for f in bottom)))
            for i, f in enumerate(node.factors):
                if f == ir.num(2):
                    yield "two", put(ir.mul(*node.factors[:i], *node.factors[i + 1:]))
        if isinstance(node, Apply) and node.func.name in ("sigma", "sigmoid", "s") and not node.order:
            yield "sigma-swap", put(ir.sub(ir.ONE, node))
    yield "sign", ir.neg(rhs)
    yield "two", ir.mul(ir.num(2), rhs)
    for d in diffs:
        for g in (n.arg for n in ir.walk(d.expr) if isinstance(n, Call)):
            if isinstance(g, ir.Var) or d.var not in ir.free_names(g):
                continue
            dg = calculus.derivative(calculus.expand_derivatives(g), d.var)
            if not (isinstance(dg, Num) and abs(dg.value) == 1):
                yield "chain-factor", ir.div(rhs, dg)  # the inner derivative missing
                yield "chain-factor", ir.mul(rhs, dg)  # or there twice
        if isinstance(d.expr, Pow) and d.expr.exp == ir.MINUS_ONE:
            du = calculus.derivative(calculus.expand_derivatives(d.expr.base), d.var)
            yield "reciprocal-derivative", ir.power(du, ir.MINUS_ONE)
        if isinstance(d.expr, Mul) and isinstance(rhs, Add) and len(rhs.terms) == 2:
            for i in range(2):
                yield "product-rule", rhs.terms[1 - i]


def false_somewhere(step: Step, rhs) -> bool:
    subs = dict(step.derivation.substitutions)
    try:
        lhs = calculus.meaning(step.lhs.expr, subs)
        new = calculus.meaning(rhs, subs)
    except (ValueError, TypeError):
        return False
    goal = ir.Rel("=", lhs, new)
    names = tuple(sorted(ir.free_names(lhs) | ir.free_names(new)))
    for point in numeric.candidate_points(names, 7, 30, limits=numeric.bounds(step.derivation.hypotheses)):
        if all(numeric.holds(h, point) for h in step.derivation.hypotheses) and numeric.differs(goal, point):
            return True
    return False


def read_back(step: Step, text: str):
    """The correction's text read as the person would paste it, in the derivation's scope."""
    scope = PRELUDE
    for line in step.derivation.lines:
        for node in ir.walk(line.expr):
            if isinstance(node, Apply):
                scope = scope.with_function(node.func)
    at = Location("correction", 1, 1)
    if step.lhs.latex or step.rhs.latex:
        return parse_latex(text, lambda i: at, scope).expr
    return plain.parse_expr(text, at, scope)


def holds_everywhere(step: Step, correction) -> bool:
    """mpmath alone: the correction equals the left side at every trial point where both have values."""
    subs = dict(step.derivation.substitutions)
    lhs, new = calculus.meaning(step.lhs.expr, subs), calculus.meaning(correction, subs)
    goal = ir.Rel("=", lhs, new)
    names = tuple(sorted(ir.free_names(lhs) | ir.free_names(new)))
    compared = 0
    for point in numeric.candidate_points(names, 11, 200, limits=numeric.bounds(step.derivation.hypotheses)):
        if not all(numeric.holds(h, point) for h in step.derivation.hypotheses):
            continue
        a, b = numeric.value(lhs, point), numeric.value(new, point)
        if a is None or b is None:
            continue
        if numeric.differs(goal, point):
            return False
        compared += 1
        if compared >= 20:
            break
    return compared > 0


def main() -> int:
    per_kind = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    jobs = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    pool: dict[str, list] = collections.defaultdict(list)
    for path in frontends.discover([ROOT / "proofs"]):
        for d in frontends.load(path, str(path)).derivations:
            for step in d.steps():
                if step.expected != "proven":
                    continue
                seen = {ir.show(step.rhs.expr)}
                for kind, rhs in variants(step):
                    if ir.show(rhs) not in seen:
                        seen.add(ir.show(rhs))
                        pool[kind].append((step, rhs))
    rng = random.Random(10)
    chosen = []
    for kind in sorted(pool):
        candidates = pool[kind][:]
        rng.shuffle(candidates)
        taken = 0
        for step, rhs in candidates:
            if taken >= per_kind:
                break
            if false_somewhere(step, rhs):
                chosen.append((kind, step, rhs))
                taken += 1
    derivations = []
    for n, (kind, step, rhs) in enumerate(chosen):
        d = step.derivation
        line = Line(f"{kind}: {ir.show(rhs)}", rhs, step.rhs.where, latex=step.rhs.latex)
        before = d.lines[: step.number]  # the chain up to the wrong line, as the person wrote it
        derivations.append(replace(d, name=f"variant {n}", lines=(*before, line),
                                   expect=(*d.expect[: step.number - 1], "refuted")))
    start = time.perf_counter()
    results = run(derivations, jobs=jobs)
    elapsed = time.perf_counter() - start
    last = {r.derivation: r for r in results}  # the wrong line's step is the last of its derivation
    results = [last[f"variant {n}"] for n in range(len(chosen))]
    table = collections.defaultdict(lambda: collections.Counter())
    wrong = []
    for (kind, step, rhs), r in zip(chosen, results):
        t = table[kind]
        t["variants"] += 1
        if r.verdict.status is not Status.REFUTED:
            t["not refuted"] += 1
            continue
        g = r.diagnosis
        if g is None or g.correction is None:
            continue
        t["corrected"] += 1
        t["by one edit"] += g.slip is not None
        t["slip named"] += g.slip is not None and g.slip == SLIP_NAMES[kind]
        try:
            back = read_back(step, g.correction)
        except InputError as exc:
            wrong.append((kind, g.correction, f"does not read back: {exc}"))
            continue
        if not holds_everywhere(step, back):
            wrong.append((kind, g.correction, "differs from the left side at a trial point"))
            continue
        again = run([replace(step.derivation, lines=(step.lhs, replace(step.rhs, expr=back)), expect=())],
                    jobs=1, explaining=False)
        if again[0].verdict.status is not Status.PROVEN:
            wrong.append((kind, g.correction, f"verify says {again[0].verdict.status.value} when checked again"))
    total = collections.Counter()
    print(f"{'kind':24} {'variants':>8} {'refuted':>8} {'corrected':>9} {'one edit':>8} {'slip named':>10}")
    for kind in sorted(table):
        t = table[kind]
        total.update(t)
        print(f"{kind:24} {t['variants']:8} {t['variants'] - t['not refuted']:8} {t['corrected']:9} "
              f"{t['by one edit']:8} {t['slip named']:10}")
    v = total["variants"] - total["not refuted"]
    print(f"{'all':24} {total['variants']:8} {v:8} {total['corrected']:9} {total['by one edit']:8} {total['slip named']:10}")
    print(f"corrected: {total['corrected'] / v:.1%} of refuted variants (target 80%); "
          f"slip named as applied: {total['slip named'] / v:.1%} (target 70%); "
          f"corrections that do not hold: {len(wrong)} (target 0); {elapsed:.0f} s with {jobs} jobs")
    for kind, text, why in wrong:
        print(f"  WRONG {kind}: {text}: {why}")
    return 0 if not wrong else 1


SLIP_NAMES = {k: s.name for k, s in __import__("verify.slips", fromlist=["CATALOGUE"]).CATALOGUE.items()}

if __name__ == "__main__":
    raise SystemExit(main())
