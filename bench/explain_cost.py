"""What explaining costs (issue 10), measured in one run on this machine.

1. proofs/ is checked with --explain and with --no-explain, alternating, ROUNDS times each; the
   median of each diagnosis's own `seconds` over the refuted steps is the cost per refuted step
   (the budget is 1 s at the median).
2. The derivations of proofs/ with no refuted step are checked both ways: the ratio of the medians
   should be about 1, since a proven step is never explained.
3. What the diagnosis says of each real mistake of proofs/ (the expected-refuted steps).

Usage: python bench/explain_cost.py [ROUNDS]
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JOBS = "2"


def check(paths: list[str], explain: bool) -> tuple[float, dict]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "verify", "--jobs", JOBS, "--format", "json",
                           "--explain" if explain else "--no-explain", *paths],
                          cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"verify exited with {done.returncode}: {done.stderr[-500:]}")
    return elapsed, json.loads(done.stdout)


def real_mistakes(report: dict) -> None:
    """What the diagnosis says of each expected-refuted step of proofs/: the sourced real mistakes."""
    rows = [(d["file"], s["line"], s["diagnosis"]) for d in report["derivations"] for s in d["steps"]
            if s["expected"] == "refuted" and s["verdict"] == "refuted"]
    corrected = sum(g["correction"] is not None for _, _, g in rows)
    by_edit = sum(g["slip"] is not None for _, _, g in rows)
    for file, line, g in rows:
        said = (f"slip: {g['slip']}; correction: {g['correction']}" if g["slip"] else
                f"correction (the derivative): {g['correction']}" if g["correction"] else "no correction")
        extra = "".join(f"; {k.replace('_', ' ')}: {g[k]}" for k in ("relation", "holds_where") if g[k])
        print(f"  {file}:{line}: {said}{extra}")
    print(f"real mistakes in proofs/: {len(rows)}; with a proven correction: {corrected} ({corrected / len(rows):.0%}, "
          f"target 60%), of them from a single named slip: {by_edit}")


def main() -> int:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    walls = {True: [], False: []}
    costs: list[float] = []
    for _ in range(rounds):
        for explain in (False, True):
            wall, report = check(["proofs"], explain)
            walls[explain].append(wall)
            if explain:
                explained = report
                costs = [s["diagnosis"]["seconds"] for d in report["derivations"] for s in d["steps"]
                         if s["verdict"] == "refuted"]
    print(f"proofs/: {len(costs)} refuted steps; explaining one takes {statistics.median(costs):.3f} s at the median "
          f"(max {max(costs):.3f} s; budget 1 s at the median)")
    print(f"proofs/ wall time, median of {rounds}: {statistics.median(walls[False]):.2f} s without, "
          f"{statistics.median(walls[True]):.2f} s with explanations")
    real_mistakes(explained)
    # every file of proofs/ holds some known-wrong chain, so the derivations with none are checked in process
    sys.path.insert(0, str(ROOT))
    from verify import frontends, runner

    derivations = [d for path in frontends.discover([ROOT / "proofs"]) for d in frontends.load(path, str(path)).derivations
                   if all(s.expected == "proven" for s in d.steps())]
    proven = {True: [], False: []}
    for _ in range(rounds):
        for explain in (False, True):
            start = time.perf_counter()
            results = runner.run(derivations, jobs=int(JOBS), explaining=explain)
            proven[explain].append(time.perf_counter() - start)
    statuses = {r.verdict.status.value for r in results}
    ratio = statistics.median(proven[True]) / statistics.median(proven[False])
    print(f"{len(results)} steps of the derivations with no refuted step ({', '.join(sorted(statuses))}): "
          f"{statistics.median(proven[False]):.2f} s without, {statistics.median(proven[True]):.2f} s with "
          f"explanations on: ratio {ratio:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
