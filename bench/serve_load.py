"""`verify serve` under load, on localhost: 20 concurrent requests of the seed, then bad requests.

Starts `verify serve --workers W` on a free port, posts the seed (proofs/latex/seed.md) 20 times at once
to /api/check, and prints whether every answer is right (12 proven, 2 refuted), the median and p95
latency, and the server's child processes afterwards (a leaked worker would show there). Then a
malformed body, a 1 MB body, a hostile line and a pathological line, each with its status code, and
whether the server still answers.

Usage: python bench/serve_load.py [--requests N] [--workers W]
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "proofs" / "latex" / "seed.md").read_text()


def post(url: str, body: bytes) -> tuple[int, dict | None, float]:
    start = time.perf_counter()
    req = urllib.request.Request(url + "/api/check", data=body, headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=300) as got:
            return got.status, json.loads(got.read()), time.perf_counter() - start
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null"), time.perf_counter() - start


def children(pid: int) -> int:
    n = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        n += int(fields[1]) == pid
    return n


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--requests", type=int, default=20)
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "verify", "serve", "--port", str(port), "--workers",
                               str(args.workers)], cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(url + "/health", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        body = json.dumps({"text": SEED}).encode()
        start = time.perf_counter()
        with ThreadPoolExecutor(args.requests) as pool:
            answers = list(pool.map(lambda _: post(url, body), range(args.requests)))
        wall = time.perf_counter() - start
        right = sum(s == 200 and r["summary"]["proven"] == 12 and r["summary"]["refuted"] == 2
                    and r["summary"]["unexpected"] == 0 for s, r, _ in answers)
        times = sorted(t for _, _, t in answers)
        p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
        time.sleep(0.5)
        print(f"{args.requests} concurrent requests of the seed (14 steps each), {args.workers} workers: "
              f"{right} answered correctly in {wall:.1f} s; latency median {statistics.median(times):.2f} s, "
              f"p95 {p95:.2f} s; server child processes afterwards: {children(server.pid)}")
        bad = {
            "malformed JSON": b"{not json",
            "1 MB input": json.dumps({"lines": ["x", "1" * (1024 * 1024)]}).encode(),
            "hostile line": json.dumps({"lines": ["__import__('os').system('true')", "0"]}).encode(),
            "pathological line": json.dumps({"lines": ["(1 + x)^1500*(1 - x)^1500", "(1 - x^2)^1500"],
                                             "timeout": 2}).encode(),
        }
        for name, b in bad.items():
            status, report, t = post(url, b)
            what = (report["errors"][0]["message"][:70] if report and report["errors"]
                    else report["derivations"][0]["steps"][0]["verdict"] if report else "")
            alive, _, _ = post(url, json.dumps({"lines": ["x + x", "2*x"]}).encode())
            print(f"{name}: {status} in {t:.2f} s ({what}); the next request: {alive}")
        time.sleep(0.5)
        print(f"server child processes at the end: {children(server.pid)}")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
