"""Pathological input costs at most its own verdict: a located error or unknown, in bounded time and memory."""

import json
import resource
import time

import pytest
from test_cli import run

from verify.runner import GRACE

NORMAL = '[[derivation]]\nname = "normal"\nlines = ["2*x", "x + x"]\n'


def toml(name: str, lines: list[str]) -> str:
    return f"[[derivation]]\nname = {json.dumps(name)}\nlines = {json.dumps(lines)}\n\n"


HARD_STEPS = {
    "huge power": ["(1 + x)**100000", "(x + 1)**100000"],
    "googol power": ["x**(10**100)", "x**(10**100)*1"],
    "tower": ["exp(exp(exp(exp(x))))", "exp(exp(exp(exp(x))))*1"],
    "tower, wrong": ["exp(exp(exp(exp(x))))", "exp(exp(exp(exp(-x))))"],
    "huge power, wrong": ["(1 + x)**100000", "(1 + x)**99999"],
    "slow simplification": ["(1 + x)^1500*(1 - x)^1500", "(1 - x^2)^1500"],
}
BAD_LINES = {
    "nested parentheses": ["(" * 10000 + "x" + ")" * 10000, "x"],
    "long line": ["x" + "+x" * 50000, "x"],
    "one line": ["x"],
}
LATEX_BAD = {
    "nested braces": ["{" * 10000 + "x" + "}" * 10000, "x"],
    "nested left": [r"\left(" * 3000 + "x" + r"\right)" * 3000, "x"],
    "long latex line": ["x" + "+x" * 50000, "x"],
}

WORST = {"seconds": 0.0, "case": ""}


def timed_run(*argv):
    start = time.monotonic()
    code, out, err = run(*argv)
    elapsed = time.monotonic() - start
    if elapsed > WORST["seconds"]:
        WORST.update(seconds=elapsed, case=" ".join(argv[-1:]))
    return code, out, err, elapsed


def test_hard_steps_get_a_verdict_in_bounded_time_and_the_others_keep_theirs(tmp_path):
    f = tmp_path / "hard.toml"
    f.write_text(NORMAL + "".join(toml(k, v) for k, v in HARD_STEPS.items()))
    code, out, _, elapsed = timed_run("--format", "json", "--timeout", "3", str(f))
    report = json.loads(out)
    verdicts = {d["name"]: d["steps"][0] for d in report["derivations"]}
    assert verdicts["normal"]["verdict"] == "proven"
    for name in HARD_STEPS:
        step = verdicts[name]
        assert step["verdict"] in ("proven", "refuted", "unknown"), (name, step)
        if step["verdict"] == "unknown":
            assert step["detail"]
        assert step["seconds"] <= 3 + GRACE + 1  # the time limit, the worker's grace, and the parent's polling
    assert verdicts["tower, wrong"]["verdict"] != "proven"
    assert verdicts["huge power, wrong"]["verdict"] != "proven"
    assert elapsed < 60


def test_unreadable_lines_are_located_errors_and_the_rest_is_checked(tmp_path):
    f = tmp_path / "bad.toml"
    f.write_text(NORMAL + "".join(toml(k, v) for k, v in BAD_LINES.items())
                 + "".join(f"[[derivation]]\nname = {json.dumps(k)}\nlatex = {json.dumps(v)}\n\n" for k, v in LATEX_BAD.items())
                 + toml("normal", ["x", "x"]))
    code, out, _, elapsed = timed_run("--format", "json", str(f))
    report = json.loads(out)
    assert code == 2
    assert [d["name"] for d in report["derivations"]] == ["normal"]
    assert report["derivations"][0]["steps"][0]["verdict"] == "proven"
    messages = [e["message"] for e in report["errors"]]
    assert len(messages) == len(BAD_LINES) + len(LATEX_BAD) + 1  # and the duplicate name
    assert all(e["line"] >= 1 and e["col"] >= 1 for e in report["errors"])
    assert any("used twice" in m for m in messages)
    assert any("at least two lines" in m for m in messages)
    assert elapsed < 30


@pytest.mark.parametrize("name, content", [
    ("big.toml", b"# " + b"x" * (5 * 1024 * 1024) + b"\n"),
    ("binary.toml", bytes(range(256)) * 10),
    ("latin1.md", "$$ caf\u00e9 = x $$".encode("latin-1")),
    ("empty.toml", b""),
    ("empty.md", b"   \n"),
    ("nul.tex", b"\\[ x = x \\]\x00"),
])
def test_unreadable_files_are_located_errors(tmp_path, name, content):
    bad = tmp_path / name
    bad.write_bytes(content)
    good = tmp_path / "good.toml"
    good.write_text(NORMAL)
    code, out, _, elapsed = timed_run("--format", "json", str(bad), str(good))
    report = json.loads(out)
    assert code == 2
    [error] = report["errors"]
    assert error["file"] == str(bad) and error["line"] >= 1 and error["col"] >= 1
    assert report["derivations"][0]["steps"][0]["verdict"] == "proven"
    assert elapsed < 30


def test_report_worst_case():
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    print(f"\nworst wall time: {WORST['seconds']:.2f} s ({WORST['case']}); peak worker memory: {peak} MiB")
    assert peak < 4096
