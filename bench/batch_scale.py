"""`verify batch` at scale (issue 14, item 5), in one run: steps per second on 1 and 2 local workers, the
same through a Dask LocalCluster of 2 workers (its time against the local pool's), time against input
size, and the peak memory of the parent process.

Rows are made from the derivations of proofs/*.toml written in the plain syntax without definitions,
with their one-letter variables renamed for each copy (x -> x7), so that no two rows are the same.
Each measured run is a new process (`verify batch`), so its peak RSS is its own.

Usage: python bench/batch_scale.py [--sizes 1000,5000,50000] [--cluster]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONE_LETTER = re.compile(r"(?<![A-Za-z_0-9])([a-z])(?![A-Za-z_0-9(])")  # a variable, not a function name


def templates() -> list[dict]:
    """Plain derivations of proofs/ that stand alone: no definitions, no indices."""
    out = []
    for path in sorted((ROOT / "proofs").rglob("*.toml")):
        data = tomllib.loads(path.read_text())
        if data.get("definitions") or data.get("latex"):
            continue
        for d in data.get("derivation", []):
            if "lines" in d and not d.get("indices") and not d.get("variables"):
                out.append({"lines": d["lines"], "assume": d.get("assume", []), "expect": d.get("expect", [])})
    return out


def rows(steps: int) -> list[dict]:
    base = templates()
    out, count, k = [], 0, 0
    while count < steps:
        t = base[k % len(base)]
        suffix = str(k // len(base))
        rename = lambda s: ONE_LETTER.sub(lambda m: m.group(1) + suffix, s) if suffix != "0" else s  # noqa: E731
        out.append({"id": f"r{k}", "lines": [rename(x) for x in t["lines"]], "assume": [rename(a) for a in t["assume"]],
                    "expect": t["expect"], "timeout": 10})
        count += len(t["lines"]) - 1
        k += 1
    return out


def _peak_kib(pid: int) -> int | None:
    """The peak resident memory of process `pid` alone (VmHWM), in KiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def batch(path: Path, jobs: int, cluster: str | None = None) -> tuple[float, int, dict]:
    """Wall time, the peak RSS of the `verify batch` process itself (KiB, its workers not counted), and
    the verdicts it wrote."""
    out = path.with_suffix(".out.jsonl")
    out.unlink(missing_ok=True)
    argv = [sys.executable, "-m", "verify", "batch", str(path), "-o", str(out), "--jobs", str(jobs)]
    if cluster:
        argv += ["--cluster", cluster]
    start = time.perf_counter()
    errors = path.with_suffix(".stderr")
    peak = 0
    with errors.open("w") as err:
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err,
                                env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
        while proc.poll() is None:  # the high-water mark only grows: the last reading is the peak
            peak = max(peak, _peak_kib(proc.pid) or 0)
            time.sleep(0.2)
    wall = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(errors.read_text())
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    verdicts = {}
    for line in lines:
        for s in line.get("steps", ()):
            verdicts[s["verdict"]] = verdicts.get(s["verdict"], 0) + 1
    return wall, peak, {"rows": len(lines), **verdicts}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--sizes", default="1000,5000,50000")
    p.add_argument("--cluster", action="store_true", help="also through a Dask LocalCluster of 2 workers")
    args = p.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        files = {}
        for n in sizes:
            files[n] = Path(tmp) / f"rows{n}.jsonl"
            files[n].write_text("".join(json.dumps(r) + "\n" for r in rows(n)))
        first = sizes[min(1, len(sizes) - 1)]
        for jobs in (1, 2):
            wall, rss, counts = batch(files[first], jobs)
            steps = sum(v for k, v in counts.items() if k != "rows")
            print(f"{first} steps, {jobs} local worker(s): {wall:.1f} s, {steps / wall:.1f} steps/s; {counts}", flush=True)
        if args.cluster:  # alternating, so that the machine's slower and faster spells fall on both
            from distributed import LocalCluster

            with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
                for turn in ("workers just started", "workers warm"):
                    local, _, _ = batch(files[first], 2)
                    wall, _, counts = batch(files[first], 2, cluster.scheduler_address)
                    print(f"{first} steps, Dask LocalCluster of 2 ({turn}): {wall:.1f} s, local pool of 2 just "
                          f"before: {local:.1f} s; cluster / local pool: {wall / local:.3f}; {counts}", flush=True)
        for n in [*sizes, sizes[0]]:  # the smallest again at the end: did the machine itself slow down?
            wall, rss, counts = batch(files[n], 2)
            print(f"{n} steps, 2 local workers: {wall:.1f} s ({wall / n * 1000:.2f} ms a step); "
                  f"peak RSS of the batch process {rss / 1024:.0f} MiB; {counts}", flush=True)

if __name__ == "__main__":
    main()
