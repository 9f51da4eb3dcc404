"""Issue 12, item 4: folders are scanned as git sees them (checked against git itself), without hidden
folders, node_modules and virtual environments; --exclude patterns skip paths, named or found."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import ROOT, run

from verify import frontends

GOOD = "$$\nx + x = 2x\n$$\n"
BAD = "$$\nx + x = 3x\n$$\n"

FILES = ["a.md", "notes/b.md", "notes/build/c.md", "notes/d.tex", "notes/keep.tex", "notes/deep/e.md",
         "notes/deep/skip.md", "logs/f.md", "local/g.md", "proofs/h.toml", "proofs/old/i.md", "x.txt"]
IGNORES = {".gitignore": "logs/\n*.tex\n!keep.tex\n", "notes/.gitignore": "build/\n", "notes/deep/.gitignore": "skip.md\n",
           ".git/info/exclude": "local/\n"}
NEVER = ["node_modules/pkg/readme.md", ".github/notes.md", "venv/lib/n.md", "env2/m.md", "__pycache__/p.md"]


@pytest.fixture
def repo(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    for f in FILES + NEVER:
        (tmp_path / f).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / f).write_text(GOOD if not f.endswith(".toml") else
                                  '[[derivation]]\nname = "d"\nlines = ["x + x", "2*x"]\n')
    for f, text in IGNORES.items():
        (tmp_path / f).write_text(text)
    (tmp_path / "venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (tmp_path / "env2" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    return tmp_path


def _git_sees(repo: Path, under: str = ".") -> list[str]:
    """The files git does not ignore, with a known ending, without the folders verify always skips."""
    out = subprocess.run(["git", "ls-files", "--others", "--cached", "--exclude-standard", under], cwd=repo,
                         capture_output=True, text=True, check=True).stdout.split()
    always = ("node_modules/", ".github/", "venv/", "env2/", "__pycache__/")
    return sorted(f for f in out if Path(f).suffix in (".md", ".tex", ".toml") and not f.startswith(always))


def test_a_folder_holds_what_git_does_not_ignore(repo, monkeypatch):
    monkeypatch.chdir(repo)
    found = [p.as_posix() for p in frontends.discover([Path(".")])]
    assert found == _git_sees(repo) == ["a.md", "notes/b.md", "notes/deep/e.md", "notes/keep.tex", "proofs/h.toml",
                                        "proofs/old/i.md"]
    # from a subfolder, the .gitignore files above it still apply
    assert [p.as_posix() for p in frontends.discover([Path("notes")])] == _git_sees(repo, "notes")


def test_hidden_folders_node_modules_and_environments_are_skipped_without_git(repo):
    shutil.rmtree(repo / ".git")
    found = {p.relative_to(repo).as_posix() for p in frontends.discover([repo])}
    assert not found & set(NEVER) and "local/g.md" in found  # .git/info/exclude went with .git
    assert "notes/build/c.md" not in found  # a .gitignore file applies without git too


def test_exclude_skips_paths_named_or_found(repo, monkeypatch):
    monkeypatch.chdir(repo)
    (repo / "proofs" / "old" / "i.md").write_text(BAD)
    code, out, err = run("proofs")
    assert code == 1 and "i.md" in out
    code, out, err = run("proofs", "--exclude", "old/")
    assert code == 0 and "i.md" not in out and "1 step: 1 proven" in out
    code, out, err = run("proofs/old/i.md", "a.md", "--exclude", "proofs/old/*.md", "--exclude", "nothing")
    assert code == 0 and "1 step: 1 proven" in out and err == ""  # an excluded path is not "nothing to check"


def test_a_named_folder_is_scanned_though_ignored(repo, monkeypatch):
    monkeypatch.chdir(repo)
    assert [p.as_posix() for p in frontends.discover([Path("logs")])] == ["logs/f.md"]
    code, out, _ = run("logs")
    assert code == 0 and "logs/f.md" in out


def test_files_read_by_several_processes_give_what_one_gives(tmp_path):
    (tmp_path / "bad.toml").write_text('[[derivation]]\nname = "d"\nlines = ["x", "x +* 1", "x"]\n')
    (tmp_path / "skip.md").write_text("$$\nx > 1\n$$\n")
    paths = [tmp_path, ROOT / "proofs" / "latex", ROOT / "proofs" / "ml" / "index-notation" / "amanai-logistic.md"]
    one = frontends.load_paths(paths, jobs=1)
    assert one.derivations and one.errors and one.notes
    two = frontends.load_paths(paths, jobs=2)
    assert (two.derivations, two.notes) == (one.derivations, one.notes)
    assert [(e.location, e.message) for e in two.errors] == [(e.location, e.message) for e in one.errors]
