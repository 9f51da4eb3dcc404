"""Issue 12, items 2 and 5: reports that come as the steps are decided (JSON lines, the text report one
derivation at a time, in input order), and a progress bar on a terminal's standard error only."""

from __future__ import annotations

import io
import json
import os
import re
import pty
import select
import subprocess
import sys
import time

from helpers import ROOT, run

from verify import frontends, runner

VERIFY = [sys.executable, "-m", "verify"]
SLOW = '[[derivation]]\nname = "slow"\nlines = ["(1 + x)^1500*(1 - x)^1500", "(1 - x^2)^1500"]\n'
QUICK = '[[derivation]]\nname = "quick"\nlines = ["(x + 1)^2", "x^2 + 2*x + 1", "x^2 + 2*x"]\nexpect = ["proven", "refuted"]\n'
INDEXED = ROOT / "proofs" / "ml" / "index-notation" / "linear-regression-mse.md"


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}


def test_jsonl_has_a_line_per_step_then_the_summary(tmp_path):
    (tmp_path / "a.toml").write_text(QUICK + '[[derivation]]\nname = "bad"\nlines = ["x", "x +* 1"]\n')
    files = [str(tmp_path / "a.toml"), str(ROOT / "proofs" / "latex" / "seed.md")]
    code, out, _ = run(*files, "--format", "jsonl", "--format", "json", "-o", str(tmp_path / "r.json"))
    assert code == 2
    rows = [json.loads(line) for line in out.splitlines()]
    full = json.loads((tmp_path / "r.json").read_text())
    steps = [(d["file"], d["name"], s) for d in full["derivations"] for s in d["steps"]]
    assert [r["kind"] for r in rows] == ["error"] * len(full["errors"]) + ["step"] * len(steps) + ["summary"]
    assert [r["message"] for r in rows if r["kind"] == "error"] == [e["message"] for e in full["errors"]]
    for row, (file, name, step) in zip([r for r in rows if r["kind"] == "step"], steps):
        assert (row["file"], row["derivation"]) == (file, name)
        assert {k: v for k, v in row.items() if k not in ("kind", "file", "derivation", "assume")} == step
    summary = rows[-1]
    assert {k: summary[k] for k in full["summary"]} == full["summary"] and summary["format"] == full["format"]


def _lines_until_exit(argv: list[str]) -> list[tuple[float, str]]:
    """Each line of the standard output with the time it came, and the exit time last."""
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_env(), text=True)
    got = [(time.monotonic(), line) for line in proc.stdout]
    proc.wait()
    return got + [(time.monotonic(), "<exit>")]


def test_jsonl_and_text_come_as_the_steps_are_decided(tmp_path):
    (tmp_path / "a.toml").write_text(QUICK + SLOW)
    for fmt, first in (("jsonl", '"derivation": "quick"'), ("text", "a.toml: quick")):
        got = _lines_until_exit([*VERIFY, str(tmp_path / "a.toml"), "--format", fmt, "--timeout", "3", "--jobs", "1",
                                 "--no-explain"])
        at = next(t for t, line in got if first in line)
        # the quick derivation is out while the slow step (about 3 s, its time limit) is still being decided
        assert got[-1][0] - at > 1.5, (fmt, got)


def test_the_text_report_streams_in_input_order_across_indexed_derivations(tmp_path):
    (tmp_path / "a.toml").write_text(QUICK)
    (tmp_path / "z.toml").write_text(QUICK.replace("quick", "last"))
    paths = [tmp_path / "a.toml", INDEXED, tmp_path / "z.toml"]
    loaded = frontends.load_paths(paths)
    told = []
    results = runner.check(list(loaded.derivations), timeout=10, jobs=2, explaining=False, done=told.append)
    assert [(r.file, r.derivation, r.step) for r in told] == [(r.file, r.derivation, r.step) for r in results]
    assert told == results and any(r.instances for r in results) and results[-1].derivation == "last"
    _, streamed, _ = run(*map(str, paths), "--no-explain")
    untimed = [re.sub(r" in [0-9.]+ s", "", line) for line in streamed.splitlines()]
    assert untimed == [re.sub(r" in [0-9.]+ s", "", line) for line in report_text(results)]


def report_text(results) -> list[str]:
    from verify import report

    out = io.StringIO()
    report.write_text(results, [], [], out)
    return out.getvalue().splitlines()


def _on_a_terminal(argv: list[str]) -> tuple[str, str]:
    """Run with the standard error on a pseudo-terminal: (what the terminal shows, the standard output)."""
    main, follower = pty.openpty()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=follower, env=_env(), text=True)
    os.close(follower)
    shown = b""
    while True:
        ready, _, _ = select.select([main], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            shown += chunk
        elif proc.poll() is not None:
            break
    out = proc.stdout.read()
    proc.wait()
    os.close(main)
    return shown.decode(errors="replace"), out


def test_a_progress_bar_on_a_terminal_and_never_for_json(tmp_path):
    (tmp_path / "a.toml").write_text(QUICK + SLOW)
    argv = [*VERIFY, str(tmp_path / "a.toml"), "--timeout", "2", "--jobs", "1", "--no-explain"]
    shown, out = _on_a_terminal(argv)
    assert "checking" in shown and "/3 steps" in shown, shown
    assert "checking" not in out and out.rstrip().endswith("1 unknown, 0 error; 1 unexpected; 0 input errors")
    shown, out = _on_a_terminal([*argv, "--format", "json"])
    assert "checking" not in shown and json.loads(out)["summary"]["unknown"] == 1
    # the same run with the standard error piped: no bar
    proc = subprocess.run(argv, capture_output=True, text=True, env=_env())
    assert "checking" not in proc.stderr and "steps" not in proc.stderr


def test_no_bar_for_a_short_run():
    shown, out = _on_a_terminal([*VERIFY, "-e", "x + x = 2*x", "--jobs", "1"])
    assert "checking" not in shown and "1 step: 1 proven" in out
