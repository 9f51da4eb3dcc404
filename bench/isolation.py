"""What the worker isolation costs: proofs/ checked in forked workers against in this process.

Usage: python bench/isolation.py [ROUNDS]. Both are measured in one run, alternating,
after the imports; the ratio of the medians is what counts on a noisy machine.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from verify import frontends, runner

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    derivations = [d for p in frontends.discover([ROOT / "proofs"]) for d in frontends.load(p, str(p)).derivations]
    steps = sum(len(d.steps()) for d in derivations)
    times: dict[str, list[float]] = {"in process": [], "workers, 1 job": [], "workers, 2 jobs": []}
    for _ in range(rounds):
        for label, kw in (("in process", {"isolate": False}), ("workers, 1 job", {"jobs": 1}),
                          ("workers, 2 jobs", {"jobs": 2})):
            start = time.perf_counter()
            runner.run(derivations, explaining=False, **kw)
            times[label].append(time.perf_counter() - start)
    base = statistics.median(times["in process"])
    print(f"{steps} steps of proofs/, median of {rounds} rounds")
    for label, ts in times.items():
        m = statistics.median(ts)
        print(f"  {label:16} {m:6.2f} s  ({1000 * m / steps:5.1f} ms a step, ratio {m / base:.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
