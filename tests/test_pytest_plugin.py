"""The pytest plugin collects derivations as test items only when asked to."""

import shutil

import pytest
from helpers import ROOT

pytest_plugins = ["pytester"]


def test_derivations_become_items_that_pass_or_fail(pytester):
    shutil.copy(ROOT / "proofs" / "latex" / "seed.md", pytester.path / "seed.md")
    (pytester.path / "wrong.toml").write_text('[[derivation]]\nname = "slip"\nlines = ["diff(exp(2*x), x)", "exp(2*x)"]\n')
    (pytester.path / "broken.md").write_text("$$ x + \\foo = x $$\n")
    result = pytester.runpytest("--verify", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=5, failed=2)
    result.stdout.fnmatch_lines(["*broken.md:1:*cannot read '\\foo'*",
                                 "*wrong.toml:3:*step 1 of 'slip' was expected proven but is refuted*"])


def test_nothing_is_collected_without_the_option(pytester):
    shutil.copy(ROOT / "proofs" / "sigmoid.toml", pytester.path / "sigmoid.toml")
    result = pytester.runpytest("-p", "no:cacheprovider")
    assert result.ret == 5  # no tests collected


def test_node_ids_are_relative_to_the_rootdir(pytester):
    (pytester.path / "docs").mkdir()
    shutil.copy(ROOT / "proofs" / "latex" / "seed.md", pytester.path / "docs" / "seed.md")
    shutil.copy(ROOT / "proofs" / "sigmoid.toml", pytester.path / "docs" / "sigmoid.toml")
    result = pytester.runpytest("--verify", "--collect-only", "-q", "-p", "no:cacheprovider")
    ids = [line for line in result.stdout.lines if "::" in line]
    assert "docs/seed.md::line 10" in ids and "docs/sigmoid.toml::course" in ids, ids
    assert not any(str(pytester.path) in line for line in ids)


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "soon"])
def test_verify_timeout_is_validated_like_timeout(pytester, value):
    result = pytester.runpytest("--verify", f"--verify-timeout={value}", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--verify-timeout*"])


def test_it_works_under_xdist(pytester):
    pytest.importorskip("xdist")
    shutil.copy(ROOT / "proofs" / "latex" / "seed.md", pytester.path / "seed.md")
    (pytester.path / "wrong.toml").write_text('[[derivation]]\nname = "slip"\nlines = ["diff(exp(2*x), x)", "exp(2*x)"]\n')
    result = pytester.runpytest_subprocess("--verify", "-n", "2", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=5, failed=1)
    result.stdout.fnmatch_lines(["*2 workers*"])
