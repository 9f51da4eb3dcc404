"""Checking the proofs/ files that existed at BASE, with BASE's code and with this checkout's, in one run.

Issue 13 asks that the files it did not add check no more than 10% slower. Both trees check the
same files (BASE's proofs/, taken from BASE by `git archive`), with explanations off and one job,
twice each, alternating, so the machine's noise falls on both; the bench reports each tree's best
wall time and the sum of its step times, and the ratios.

Usage: python bench/proofs_speed.py [BASE]   (default 148caff, the last commit before issue 13)
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import trees

ROOT = Path(__file__).resolve().parent.parent


def _check(tree: Path, proofs: Path) -> tuple[float, float, str]:
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "verify", "--format", "json", "--no-explain", "--jobs", "1",
                          str(proofs)], cwd=tree, capture_output=True, text=True, env={"PYTHONPATH": str(tree)})
    wall = time.perf_counter() - start
    report = json.loads(out.stdout)
    steps = [s for d in report["derivations"] for s in d["steps"]]
    verdicts = " ".join(f"{k}={sum(s['verdict'] == k for s in steps)}" for k in ("proven", "refuted", "unknown"))
    return wall, sum(s["seconds"] for s in steps), f"{len(steps)} steps, {verdicts}"


def main() -> None:
    base = sys.argv[1] if len(sys.argv) > 1 else "148caff"
    with tempfile.TemporaryDirectory() as tmp:
        before = trees.unpack(base, Path(tmp), "verify", "proofs")
        proofs = before / "proofs"
        best: dict[str, tuple[float, float, str]] = {}
        for _ in range(2):
            for name, tree in (("before", before), ("after", ROOT)):
                got = _check(tree, proofs)
                if name not in best or got[0] < best[name][0]:
                    best[name] = got
    for name, (wall, steps, summary) in best.items():
        print(f"{name:6} wall {wall:6.2f} s, steps {steps:6.2f} s; {summary}")
    print(f"after / before: wall {best['after'][0] / best['before'][0]:.3f}, steps {best['after'][1] / best['before'][1]:.3f}")


if __name__ == "__main__":
    main()
