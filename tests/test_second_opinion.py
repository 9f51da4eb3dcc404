"""A second opinion: the SMT-LIB2 files that --emit-smt2 writes are re-checked with cvc5."""

import collections
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from helpers import ROOT
from test_cli import run

pytest.importorskip("cvc5")

CHECKER = Path(__file__).with_name("cvc5_check.py")


def cvc5_says(path: Path) -> str:
    try:
        done = subprocess.run([sys.executable, str(CHECKER), str(path), "3000"],
                              capture_output=True, text=True, timeout=20)
    except subprocess.TimeoutExpired:
        return "timeout"
    return done.stdout.strip().split()[0] if done.stdout.strip() else f"failed: {done.stderr[-200:]}"


def recheck(tmp_path: Path, *inputs: str) -> collections.Counter:
    folder = tmp_path / "smt2"
    code, _, _ = run("--emit-smt2", str(folder), *inputs)
    assert code == 0
    files = sorted(folder.glob("*.smt2"))
    assert files
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(cvc5_says, files))
    counts = collections.Counter()
    for f, said in zip(files, answers):
        text = f.read_text()
        assert text.startswith("(set-logic QF_NRA)")
        z3_said = re.search(r":status (\w+)", text).group(1)
        counts["agree" if said == z3_said else "undecided" if said in ("unknown", "timeout") else "disagree"] += 1
        assert said in (z3_said, "unknown", "timeout"), (f.name, z3_said, said)
    print(f"\ncvc5 re-check of {len(files)} obligations: {dict(counts)}")
    return counts


def test_cvc5_agrees_on_the_sigmoid_obligations(tmp_path):
    counts = recheck(tmp_path, str(ROOT / "proofs" / "sigmoid.toml"), str(ROOT / "proofs" / "latex" / "seed.md"))
    assert counts["disagree"] == 0 and counts["agree"] == sum(counts.values())


@pytest.mark.slow
def test_cvc5_agrees_on_every_obligation_in_proofs(tmp_path):
    counts = recheck(tmp_path, str(ROOT / "proofs"))
    assert counts["disagree"] == 0 and counts["agree"] >= 0.95 * sum(counts.values())


def test_second_opinion_at_run_time():
    code, out, _ = run("--format", "json", "--second-opinion", "cvc5", str(ROOT / "proofs" / "sigmoid.toml"))
    import json

    steps = [s for d in json.loads(out)["derivations"] for s in d["steps"]]
    proven = [s for s in steps if s["verdict"] == "proven"]
    assert code == 0 and proven
    assert all(s["detail"].endswith("cvc5 agrees") for s in proven)
