"""The cache of verdicts: `verify proofs/` cold, then warm, then after editing one line, in one run.

Each run is the command line as a user runs it (a new process, JSON to a file), on a copy of proofs/
with a cache folder of its own. Prints the wall time of each run, warm against cold as a ratio (the
issue's bar is 0.20), how many steps each run took from the cache, and which steps the edit re-checked.

Usage: python bench/cache_speed.py [--jobs N]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EDITED = Path("ml") / "softplus.toml"  # the file whose line the third run changes


def _run(folder: Path, jobs: int | None) -> tuple[float, list[dict]]:
    argv = [sys.executable, "-m", "verify", "proofs", "--format", "json", "-o", "report.json"]
    env = {k: v for k, v in os.environ.items() if k != "VERIFY_NO_CACHE"} | {"PYTHONPATH": str(ROOT),
                                                                             "XDG_CACHE_HOME": str(folder / "home")}
    start = time.perf_counter()
    done = subprocess.run(argv + (["--jobs", str(jobs)] if jobs else []), cwd=folder, env=env,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"verify failed: {done.stderr}")
    report = json.loads((folder / "report.json").read_text())
    return seconds, [dict(s, file=d["file"], derivation=d["name"]) for d in report["derivations"] for s in d["steps"]]


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--jobs", type=int, default=None)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shutil.copytree(ROOT / "proofs", folder / "proofs")
        cold, first = _run(folder, args.jobs)
        warm, second = _run(folder, args.jobs)
        same = [(s["verdict"], s["conditions"], s["counterexample"]) for s in first] == \
            [(s["verdict"], s["conditions"], s["counterexample"]) for s in second]
        path = folder / "proofs" / EDITED
        text = path.read_text()
        edited = text.replace('"1/(1 + exp(-x))",', '"exp(x)/(exp(x) + 1)",', 1)
        assert edited != text, "the line to edit is not in the file any more"
        path.write_text(edited)
        after, third = _run(folder, args.jobs)
    print(f"steps: {len(first)}; the same verdicts, conditions and counterexamples warm as cold: {same}")
    print(f"cold run: {cold:.1f} s, {sum(s['cached'] for s in first)} steps from the cache "
          "(steps with the same obligation as an earlier one in the run)")
    print(f"warm run: {warm:.1f} s, {sum(s['cached'] for s in second)} steps from the cache")
    print(f"warm / cold: {warm / cold:.3f}")
    fresh = [f"{s['file']} {s['derivation']!r} step {s['step']}" for s in third if not s["cached"]]
    print(f"after editing one line of proofs/{EDITED}: {after:.1f} s, {len(fresh)} steps decided again: {fresh}")


if __name__ == "__main__":
    main()
