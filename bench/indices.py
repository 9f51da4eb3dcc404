"""The derivations in index notation (proofs/ml/index-notation/), checked over their declared ranges.

Reports, per file and in total: the steps, the instances checked (each instance of each step), how many
distinct readings were decided (an instance whose lines do not use a declared letter reads like another
and is decided once), the verdicts, and the wall time. With --compare, the same files are also checked
with every instance decided on its own, in the same run, and the ratio of the two wall times is given.

Usage: python bench/indices.py [--compare] [--jobs N]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from verify import frontends, instances, runner

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "proofs" / "ml" / "index-notation"


def _run(derivations, jobs, collapse: bool):
    decided = []

    def run(todo, explaining):
        decided.extend(todo)
        return runner.run(todo, jobs=jobs, explaining=False)

    start = time.perf_counter()
    results = instances.check(derivations, run, collapse=collapse)
    return results, sum(len(d.lines) - 1 for d in decided), time.perf_counter() - start


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--compare", action="store_true")
    p.add_argument("--jobs", type=int, default=None)
    args = p.parse_args()
    files = sorted(FOLDER.glob("*.md"))
    total = {"steps": 0, "instance_steps": 0, "decided": 0, "seconds": 0.0, "unexpected": 0}
    print(f"{'file':52} {'steps':>5} {'inst.steps':>10} {'decided':>7} {'wall s':>7}  verdicts")
    for f in files:
        loaded = frontends.load(f, str(f))
        assert not loaded.errors, loaded.errors
        results, decided, wall = _run(list(loaded.derivations), args.jobs, True)
        inst = sum(max(1, len(r.instances)) for r in results)
        verdicts = " ".join(f"{k}={sum(r.verdict.status.value == k for r in results)}" for k in ("proven", "refuted"))
        unexpected = sum(r.unexpected for r in results)
        print(f"{f.name:52} {len(results):5} {inst:10} {decided:7} {wall:7.1f}  {verdicts} unexpected={unexpected}")
        for k, v in (("steps", len(results)), ("instance_steps", inst), ("decided", decided), ("seconds", wall),
                     ("unexpected", unexpected)):
            total[k] += v
    print(f"{'total, ' + str(len(files)) + ' files':52} {total['steps']:5} {total['instance_steps']:10} "
          f"{total['decided']:7} {total['seconds']:7.1f}  unexpected={total['unexpected']}")
    if args.compare:
        every = [d for f in files for d in frontends.load(f, str(f)).derivations]
        _, decided, wall = _run(every, args.jobs, False)
        print(f"every instance decided on its own: {decided} steps decided in {wall:.1f} s; "
              f"ratio (collapsed / each) {total['seconds'] / wall:.2f}")


if __name__ == "__main__":
    main()
