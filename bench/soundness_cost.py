"""What the soundness work of issue 9 costs on proofs/: this checkout against the commit before it.

The commit before issue 9 (c75d3e9) is checked out into a temporary git worktree, and both versions check
the same files, that commit's proofs/ (which both read), alternating, with the same Python and the same
--jobs. The ratio of the medians is what counts on a shared, noisy machine; the budget is 1.10.

Usage: python bench/soundness_cost.py [ROUNDS] [BASE_COMMIT]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = "c75d3e9"  # the last commit before issue 9
BUDGET = 1.10
JOBS = "4"


def timed(tree: Path, proofs: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "verify", "--jobs", JOBS, "--format", "json", str(proofs)],
                          cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"verify in {tree} exited with {done.returncode}: {done.stderr.decode()[-500:]}")
    return elapsed


def main() -> int:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    base = sys.argv[2] if len(sys.argv) > 2 else BASE
    with tempfile.TemporaryDirectory(prefix="verify-base-") as folder:
        tree = Path(folder) / "base"
        subprocess.run(["git", "worktree", "add", "--detach", str(tree), base], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            proofs = tree / "proofs"
            before, after = [], []
            for _ in range(rounds):
                before.append(timed(tree, proofs))
                after.append(timed(ROOT, proofs))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    b, a = statistics.median(before), statistics.median(after)
    print(f"{base} (before issue 9): median {b:.1f} s over {rounds} runs of its proofs/")
    print(f"this checkout:          median {a:.1f} s over {rounds} runs of the same files")
    print(f"ratio: {a / b:.3f} (budget {BUDGET})")
    return 0 if a / b <= BUDGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
