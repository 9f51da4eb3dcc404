"""proofs/ is the golden set: every step meets its expectation, refutations carry real counterexamples."""

from pathlib import Path

import pytest
from helpers import ROOT

from verify import frontends, instances, runner

FILES = frontends.discover([ROOT / "proofs"])


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_proof_file_meets_every_expectation(path: Path):
    loaded = frontends.load(path, str(path))
    assert not loaded.errors, loaded.errors
    results = instances.check(list(loaded.derivations), lambda todo, explaining: runner.run(todo, explaining=False))
    assert results
    for r in results:
        assert not r.unexpected, (r.derivation, r.step, r.verdict)
        if r.verdict.status.value == "refuted":
            cx = r.verdict.counterexample
            assert cx and cx.point and cx.lhs != cx.rhs


def test_seed_chains_are_all_proven_and_guesses_refuted():
    path = ROOT / "proofs" / "sigmoid.toml"
    by_name = {}
    for r in runner.run(list(frontends.load(path, str(path)).derivations), explaining=False):
        by_name.setdefault(r.derivation, []).append(r.verdict.status.value)
    assert by_name["course"] == ["proven"] * 4
    assert by_name["answer: chain rule (line 1 to 2)"] == ["proven"] * 5
    assert by_name["answer: 1 - sigma (line 3 to 4)"] == ["proven"] * 3
    assert by_name["asker's guess for line 1 to 2"] == ["refuted"]
    assert by_name["asker's guess for line 3 to 4"] == ["refuted"]
