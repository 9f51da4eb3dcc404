"""Front ends: each turns text into derivations of the intermediate form."""

from __future__ import annotations

from pathlib import Path

from ..derivation import Derivation
from ..errors import InputError, Location
from . import proof_file

READERS = {".toml": proof_file.load}


def load(path: Path, label: str) -> tuple[list[Derivation], list[InputError]]:
    """The derivations in one file, and the errors of what could not be read."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        kinds = ", ".join(sorted(READERS))
        return [], [InputError(Location(label), f"cannot check {path.suffix or 'these'} files; use one of {kinds}")]
    try:
        return reader(path, label)
    except InputError as exc:
        return [], [exc]


def discover(paths: list[Path]) -> list[Path]:
    """Files to check: those named, and those with a known ending inside named folders (sorted)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in READERS)
        else:
            out.append(p)
    return out
