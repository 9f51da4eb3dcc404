"""Per-step time with one worker: the median, p90 and p99 of the time a worker takes to decide a step
(the verdict's `seconds`), for BASE's code and this checkout's, in one run (issue 14, item 4).

The steps are those of the derivations of proofs/ without indices, repeated until there are N (the
pipeline keeps no state between steps, so a repeat costs what the first did); explanations are off, as
in `verify batch`. Both trees check the same steps, twice each, alternating, so the machine's noise
falls on both; the verdicts and conditions of the two trees are compared.

Usage: python bench/step_time.py [N] [BASE]   (default 1000 steps; BASE default: HEAD, the same code)
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import trees

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = r"""
import json, sys, time
from pathlib import Path
from verify import frontends, runner
n, proofs = int(sys.argv[1]), Path(sys.argv[2])
plain = [d for d in frontends.load_paths([proofs], jobs=None).derivations if not d.instance]
todo, count = [], 0
while count < n:
    for d in plain:
        todo.append(d)
        count += len(d.lines) - 1
        if count >= n:
            break
start = time.perf_counter()
results = runner.run(todo, jobs=1, explaining=False)
wall = time.perf_counter() - start
print(json.dumps({"wall": wall, "seconds": [r.verdict.seconds for r in results],
                  "verdicts": [[r.verdict.status.value, list(r.verdict.conditions)] for r in results]}))
"""


def _run(tree: Path, n: int, proofs: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(n), str(proofs)], cwd=tree, capture_output=True,
                         text=True, env={"PYTHONPATH": str(tree), "VERIFY_NO_CACHE": "1"})
    if out.returncode:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout)


def _quantile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    base = sys.argv[2] if len(sys.argv) > 2 else "HEAD"
    with tempfile.TemporaryDirectory() as tmp:
        before = trees.unpack(base, Path(tmp), "verify")
        runs: dict[str, list[dict]] = {"before": [], "after": []}
        for _ in range(2):
            for name, tree in (("before", before), ("after", ROOT)):
                runs[name].append(_run(tree, n, ROOT / "proofs"))
    medians = {}
    for name, got in runs.items():
        best = min(got, key=lambda r: r["wall"])
        s = [x * 1000 for x in best["seconds"]]
        medians[name] = statistics.median(s)
        print(f"{name:6} ({base if name == 'before' else 'this checkout'}): {len(s)} steps, wall {best['wall']:.1f} s; "
              f"per step median {statistics.median(s):.1f} ms, p90 {_quantile(s, 0.9):.1f} ms, "
              f"p99 {_quantile(s, 0.99):.1f} ms")
    same = runs["before"][0]["verdicts"] == runs["after"][0]["verdicts"]
    print(f"the same verdicts and conditions: {same}; median after / before: "
          f"{medians['after'] / medians['before']:.3f}")


if __name__ == "__main__":
    main()
