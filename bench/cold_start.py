"""Cold-start cost: `verify proofs/sigmoid.toml` against `python -c "import sympy, z3"`.

Both are run side by side, alternating, in one run; the ratio of the medians is
what counts on a shared, noisy machine.  Usage: python bench/cold_start.py [ROUNDS]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROOF = ROOT / "proofs" / "sigmoid.toml"
BUDGET = 2.5


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed with exit code {done.returncode}: {done.stderr.decode()[-500:]}")
    return elapsed


def main() -> int:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    baseline_cmd = [sys.executable, "-c", "import sympy, z3"]
    verify_cmd = [sys.executable, "-m", "verify", str(PROOF)]
    timed(baseline_cmd), timed(verify_cmd)  # warm the file cache for both
    base, ours = [], []
    for _ in range(rounds):
        base.append(timed(baseline_cmd))
        ours.append(timed(verify_cmd))
    b, o = statistics.median(base), statistics.median(ours)
    ratio = o / b
    print(f"import sympy, z3:          median {b:.3f} s over {rounds} runs")
    print(f"verify proofs/sigmoid.toml: median {o:.3f} s over {rounds} runs")
    print(f"ratio: {ratio:.2f} (budget {BUDGET})")
    return 0 if ratio <= BUDGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
