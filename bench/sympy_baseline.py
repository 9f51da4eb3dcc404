"""verify against plain SymPy on every step of proofs/.

Plain SymPy here means what a hand-rolled checker does: sympify-free construction
of both lines, sympy.diff for derivatives, then simplify(lhs - rhs) == 0.
Usage: python bench/sympy_baseline.py
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import sympy

from verify import frontends, ir, runner
from verify.engines.sympy import to_sympy

ROOT = Path(__file__).resolve().parent.parent


def plain_sympy(step) -> bool:
    subs = dict(step.derivation.substitutions)
    lhs, rhs = (ir.substitute(e, subs) if subs else e for e in (step.lhs.expr, step.rhs.expr))
    return sympy.simplify(to_sympy(lhs) - to_sympy(rhs)) == 0


def main() -> int:
    derivations = [d for p in frontends.discover([ROOT / "proofs"]) for d in frontends.load(p, str(p)).derivations]
    steps = [s for d in derivations for s in d.steps()]
    start = time.perf_counter()
    results = runner.run(derivations, explaining=False)
    ours_time = time.perf_counter() - start
    start = time.perf_counter()
    baseline = [plain_sympy(s) for s in steps]
    sympy_time = time.perf_counter() - start
    ours = Counter((s.expected, r.verdict.status.value) for s, r in zip(steps, results))
    engines = Counter(r.verdict.engine for r in results)
    base = Counter((s.expected, "proven" if ok else "not proven") for s, ok in zip(steps, baseline))
    true_steps = sum(1 for s in steps if s.expected == "proven")
    print(f"{len(steps)} steps ({true_steps} true, {len(steps) - true_steps} false) in proofs/")
    print(f"verify:      {dict(ours)}; engines {dict(engines)}; {ours_time:.2f} s")
    print(f"plain SymPy: {dict(base)}; {sympy_time:.2f} s; no counterexamples")
    missed = [f"{s.derivation.file}: {s.derivation.name} step {s.number}" for s, ok in zip(steps, baseline)
              if s.expected == "proven" and not ok]
    print(f"true steps plain SymPy does not prove: {len(missed)} of {true_steps}")
    for m in missed:
        print("  " + m)
    print(f"time ratio verify / plain SymPy: {ours_time / sympy_time:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
