"""Issue 12, item 4: the pre-commit hook (.pre-commit-hooks.yaml), tried with `pre-commit try-repo` in
temporary git repositories: one with the seed, a README without math and a pyproject.toml (passes), and
one with a wrong step (fails, naming it). pre-commit installs this checkout into its own environment."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT

pytest.importorskip("pre_commit")


def _repo(path: Path, files: dict[str, str]) -> Path:
    path.mkdir()
    for name, text in files.items():
        (path / name).write_text(text)
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t"}
    for argv in (["git", "init", "-q"], ["git", "add", "."], ["git", "commit", "-qm", "files"]):
        subprocess.run(argv, cwd=path, check=True, env=env)
    return path


def _try(repo: Path, home: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "verify", "--all-files"],
                          cwd=repo, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PRE_COMMIT_HOME": str(home)})


@pytest.mark.slow  # pre-commit installs this checkout into a new environment: about a minute and a half
@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_pre_commit_try_repo_passes_good_files_and_fails_a_wrong_step(tmp_path):
    good = _repo(tmp_path / "good", {"seed.md": (ROOT / "proofs" / "latex" / "seed.md").read_text(),
                                     "README.md": "# Notes\n\nNo math here.\n",
                                     "pyproject.toml": '[project]\nname = "x"\n'})
    bad = _repo(tmp_path / "bad", {"wrong.toml": '[[derivation]]\nname = "slip"\n'
                                                 'lines = ["diff(exp(2*x), x)", "exp(2*x)"]\n'})
    passed = _try(good, tmp_path / "home")
    assert passed.returncode == 0 and "Passed" in passed.stdout, passed.stdout + passed.stderr
    failed = _try(bad, tmp_path / "home")
    assert failed.returncode == 1 and "Failed" in failed.stdout
    assert "wrong.toml:3:32: error: step 1 of 'slip' was expected proven but is refuted" in failed.stdout
