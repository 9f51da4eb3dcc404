"""Trigonometric steps before and after issue 13's encoding, side by side in one run.

Before, Z3 saw sin and cos as bounded unknowns, so only SymPy's simplification proved a trigonometric
step. The bench takes the code of the commit before the encoding (BASE, by `git archive`) and of
this checkout, and runs both on the same steps: every step in proofs/ whose lines use sin, cos or
tan (and sec, csc, cot, which are written with them), plus the identities of tests/test_trig.py. It
reports which engine decided each step and the time, per tree, and the ratio of the totals.

Usage: python bench/trig_z3.py [BASE]   (default 840455c, the parent of the encoding's commit)
"""

from __future__ import annotations

import collections
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import trees

ROOT = Path(__file__).resolve().parent.parent
TRIG = ("sin", "cos", "tan", "sec", "csc", "cot")
sys.path.insert(0, str(ROOT / "tests"))


def _files() -> list[Path]:
    return sorted(p for p in (ROOT / "proofs").rglob("*") if p.suffix in (".toml", ".md", ".tex")
                  and any(f in p.read_text() for f in TRIG))


def _identities(folder: Path) -> Path:
    from test_trig import IDENTITIES

    path = folder / "identities.toml"
    path.write_text("".join(f"[[derivation]]\nname = {json.dumps(a + ' = ' + b)}\nlines = [{json.dumps(a)}, "
                            f"{json.dumps(b)}]\n\n" for a, b in IDENTITIES))
    return path


def _run(tree: Path, paths: list[Path]) -> list[dict]:
    """Each path alone (a file the older reader cannot read costs only itself), one job."""
    steps = []
    for p in paths:
        out = subprocess.run([sys.executable, "-m", "verify", "--format", "json", "--no-explain", "--jobs", "1",
                              str(p)], cwd=tree, capture_output=True, text=True, env={"PYTHONPATH": str(tree)})
        try:
            report = json.loads(out.stdout)
        except json.JSONDecodeError:
            continue
        for d in report["derivations"]:
            for s in d["steps"]:
                if any(f + "(" in (s["lhs_read"] + s["rhs_read"]) for f in TRIG):
                    steps.append({"key": f"{p.name}:{d['name']}:{s['step']}", **s})
    return steps


def main() -> None:
    base = sys.argv[1] if len(sys.argv) > 1 else "840455c"
    with tempfile.TemporaryDirectory() as tmp:
        before = trees.unpack(base, Path(tmp), "verify")
        paths = [*_files(), _identities(Path(tmp))]
        runs = {"before": _run(before, paths), "after": _run(ROOT, paths)}
    keys = set.intersection(*({s["key"] for s in steps} for steps in runs.values()))
    print(f"trigonometric steps read by both trees: {len(keys)} (from {len(paths)} files)")
    totals = {}
    for name, steps in runs.items():
        chosen = [s for s in steps if s["key"] in keys]
        engines = collections.Counter(f"{s['verdict']} by {s['engine']}" for s in chosen)
        totals[name] = sum(s["seconds"] for s in chosen)
        print(f"  {name:6} {totals[name]:7.2f} s in all; " + ", ".join(f"{k}: {n}" for k, n in sorted(engines.items())))
    print(f"time after / before: {totals['after'] / totals['before']:.2f}")


if __name__ == "__main__":
    main()
