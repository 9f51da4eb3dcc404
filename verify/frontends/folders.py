"""Which files a folder holds to check, as git would see them: what `.gitignore` ignores is skipped
(pathspec reads its patterns), and so are hidden folders, node_modules and virtual environments.
`--exclude` patterns, in the same syntax, apply to every path, named or found."""

from __future__ import annotations

import os
from pathlib import Path

import pathspec

SKIPPED = frozenset({"node_modules", "__pycache__", "site-packages"})


def _spec(lines: list[str]) -> pathspec.GitIgnoreSpec:
    return pathspec.GitIgnoreSpec.from_lines(lines)


def _read(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


def _repository(folder: Path) -> Path | None:
    """The top of the git work tree holding `folder`, if any."""
    for f in (folder, *folder.parents):
        if (f / ".git").exists():
            return f
    return None


class Excluded:
    """`--exclude` patterns (gitignore syntax), matched against a path relative to the working folder."""

    def __init__(self, patterns: list[str] | tuple[str, ...], cwd: Path | None = None):
        self.spec = _spec(list(patterns)) if patterns else None
        self.cwd = (cwd or Path.cwd()).resolve()

    def __call__(self, path: Path, folder: bool = False) -> bool:
        if self.spec is None:
            return False
        full = path.resolve() if not path.is_absolute() else path
        try:
            rel = full.relative_to(self.cwd).as_posix()
        except ValueError:
            rel = full.as_posix().lstrip("/")
        return self.spec.match_file(rel + ("/" if folder else ""))


def _ignored_by(folder: Path) -> list[tuple[Path, pathspec.GitIgnoreSpec]]:
    """The ignore files that apply inside `folder` from above it: .git/info/exclude and every .gitignore
    from the top of its work tree down to (not including) the folder itself."""
    top = _repository(folder)
    if top is None:
        return []
    specs = []
    exclude = _read(top / ".git" / "info" / "exclude")
    if exclude:
        specs.append((top, _spec(exclude)))
    for f in reversed((folder, *folder.parents)):
        if f == folder or not f.is_relative_to(top):
            continue
        lines = _read(f / ".gitignore")
        if lines:
            specs.append((f, _spec(lines)))
    return specs


def _ignored(path: Path, folder: bool, specs: list[tuple[Path, pathspec.GitIgnoreSpec]]) -> bool:
    """Whether the ignore files say to skip `path`; a later (deeper) file's say wins, as in git."""
    verdict = False
    for base, spec in specs:
        rel = path.relative_to(base).as_posix() + ("/" if folder else "")
        result = spec.check_file(rel)
        if result.include is not None:
            verdict = result.include
    return verdict


def _environment(folder: Path) -> bool:
    return (folder / "pyvenv.cfg").is_file() or (folder / "conda-meta").is_dir()


def scan(folder: Path, suffixes: frozenset[str], excluded: Excluded) -> list[Path]:
    """The files with one of `suffixes` inside `folder`, sorted, without what is ignored or excluded."""
    root = folder.resolve()
    above = _ignored_by(root)
    if _ignored(root, True, above):  # a folder named though ignored is scanned, with its own .gitignore files
        above = []
    found: list[Path] = []
    # each folder's own .gitignore is read on the way down, so the specs form a stack per folder
    stack = {root: above}
    for here, dirs, files in os.walk(root):
        where = Path(here)
        specs = stack.pop(where)
        own = _read(where / ".gitignore")
        if own:
            specs = [*specs, (where, _spec(own))]
        kept = []
        for d in sorted(dirs):
            sub = where / d
            if d.startswith(".") or d in SKIPPED or _environment(sub) or _ignored(sub, True, specs) or \
                    excluded(_shown(sub, folder, root), folder=True):
                continue
            kept.append(d)
            stack[sub] = specs
        dirs[:] = kept
        for name in files:
            f = where / name
            if f.suffix.lower() in suffixes and not _ignored(f, False, specs) and not excluded(_shown(f, folder, root)):
                found.append(_shown(f, folder, root))
    return sorted(found)


def _shown(path: Path, folder: Path, root: Path) -> Path:
    """The path as the user named its folder: `proofs/a.toml`, not the resolved absolute path."""
    return folder / path.relative_to(root)
