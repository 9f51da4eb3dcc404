"""The pytest plugin collects derivations as test items only when asked to."""

import shutil

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
