"""Front ends: each turns text into derivations of the intermediate form."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..derivation import Derivation
from ..errors import InputError, Location, Note, once
from . import documents, proof_file
from .latex import Macros
from .reading import definitions_problem


@dataclass(frozen=True)
class Loaded:
    derivations: tuple[Derivation, ...] = ()
    errors: tuple[InputError, ...] = ()
    notes: tuple[Note, ...] = ()


def _proof_file(path: Path, label: str, macros: Macros | None) -> Loaded:
    derivations, errors = proof_file.load(path, label, macros)
    return Loaded(tuple(derivations), tuple(errors))


def _document(path: Path, label: str, macros: Macros | None) -> Loaded:
    derivations, errors, notes = documents.load(path, label, macros)
    return Loaded(tuple(derivations), tuple(errors), tuple(notes))


READERS = {".toml": _proof_file, ".md": _document, ".markdown": _document, ".tex": _document}


def load(path: Path, label: str, macros: Macros | None = None) -> Loaded:
    """The derivations in one file, the errors of what could not be read, and notes on what was skipped."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        kinds = ", ".join(sorted(READERS))
        return Loaded(errors=(InputError(Location(label), f"cannot check {path.suffix or 'these'} files; use one of {kinds}"),))
    try:
        loaded = reader(path, label, macros)
    except InputError as exc:
        return Loaded(errors=(exc,))
    errors = list(loaded.errors)
    broken = set()  # a derivation with one instance whose definitions do not hold together is left out whole
    for d in loaded.derivations:
        problem = definitions_problem(dict(d.substitutions))
        if problem is not None:
            errors.append(InputError(d.where, problem))
            broken.add(d.name)
    kept = tuple(d for d in loaded.derivations if d.name not in broken)
    return Loaded(kept, tuple(once(errors)), loaded.notes)


def discover(paths: list[Path]) -> list[Path]:
    """Files to check: those named, and those with a known ending inside named folders (sorted)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in READERS)
        else:
            out.append(p)
    return out
