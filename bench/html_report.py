"""The HTML report of proofs/ against the text report, in one run.

Checks proofs/ twice, as `verify --format text` and as `verify --format html` do (the second also samples
both sides of each refuted step for its plot), renders each report, and prints the wall time of each
whole run, their ratio, the time of rendering alone, and the size of the HTML file.

Usage: python bench/html_report.py [--jobs N] [-o report.html]
"""

from __future__ import annotations

import argparse
import io
import time
from pathlib import Path

from verify import frontends, html, report, runner

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--jobs", type=int, default=None)
    p.add_argument("-o", "--output", type=Path, default=Path("/tmp/verify-proofs.html"))
    args = p.parse_args()
    derivations, errors, notes = [], [], []
    for path in frontends.discover([ROOT / "proofs"]):
        loaded = frontends.load(path, str(path.relative_to(ROOT)))
        derivations += loaded.derivations
        errors += loaded.errors
        notes += loaded.notes
    times = {}
    for fmt in ("text", "html"):
        start = time.perf_counter()
        results = runner.check(derivations, jobs=args.jobs, plotting=fmt == "html")
        checked = time.perf_counter()
        out = io.StringIO()
        if fmt == "html":
            html.write_html(results, errors, notes, out)
            args.output.write_text(out.getvalue())
        else:
            report.write_text(results, errors, notes, out)
        done = time.perf_counter()
        times[fmt] = (done - start, done - checked)
        print(f"{fmt}: {len(results)} steps, run {done - start:.1f} s (checking {checked - start:.1f} s, "
              f"rendering {done - checked:.2f} s), {len(out.getvalue().encode()) / 1024:.0f} KiB")
    print(f"html/text, whole run: {times['html'][0] / times['text'][0]:.2f}; rendering alone: "
          f"{times['html'][1]:.2f} s against {times['text'][1]:.3f} s")
    print(f"plots: {sum(1 for r in results if r.curve)} of {sum(r.verdict.status.value == 'refuted' for r in results)} "
          f"refuted steps; HTML written to {args.output}")


if __name__ == "__main__":
    main()
