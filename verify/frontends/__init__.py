"""Front ends: each turns text into derivations of the intermediate form."""

from __future__ import annotations

import multiprocessing
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..cache import Cache
from ..derivation import Derivation
from ..errors import InputError, Location, Note, once
from . import documents, folders, proof_file
from .latex import Macros
from .source import checked_text, read_text
from .reading import definitions_problem


@dataclass(frozen=True)
class Loaded:
    derivations: tuple[Derivation, ...] = ()
    errors: tuple[InputError, ...] = ()
    notes: tuple[Note, ...] = ()


def _proof_file(text: str, label: str, macros: Macros | None) -> Loaded:
    derivations, errors = proof_file.load_text(text, label, macros)
    return Loaded(tuple(derivations), tuple(errors))


def _markdown(text: str, label: str, macros: Macros | None) -> Loaded:
    derivations, errors, notes = documents.load_text(text, label, "md", macros)
    return Loaded(tuple(derivations), tuple(errors), tuple(notes))


def _tex(text: str, label: str, macros: Macros | None) -> Loaded:
    derivations, errors, notes = documents.load_text(text, label, "tex", macros)
    return Loaded(tuple(derivations), tuple(errors), tuple(notes))


READERS = {".toml": _proof_file, ".md": _markdown, ".markdown": _markdown, ".tex": _tex}


def load(path: Path, label: str, macros: Macros | None = None, cache: Cache | None = None) -> Loaded:
    """The derivations in one file, the errors of what could not be read, and notes on what was skipped;
    from the cache where this text was read before."""
    if path.suffix.lower() not in READERS:
        return load_text("", label, path.suffix, macros)
    try:
        text = read_text(path, label)
    except InputError as exc:
        return Loaded(errors=(exc,))
    kept = cache.reading(label, text, macros) if cache else None
    if isinstance(kept, Loaded):
        return kept
    loaded = load_text(text, label, path.suffix, macros)
    if cache:
        cache.keep_reading(label, text, macros, loaded)
    return loaded


def load_text(text: str, label: str, suffix: str, macros: Macros | None = None) -> Loaded:
    """The same for text that ends in `suffix` (".toml", ".md", ".tex"), from a file or a request."""
    reader = READERS.get(suffix.lower())
    if reader is None:
        kinds = ", ".join(sorted(READERS))
        return Loaded(errors=(InputError(Location(label), f"cannot check {suffix or 'these'} files; use one of {kinds}"),))
    try:
        loaded = reader(checked_text(text, label), label, macros)
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


def _load(job: tuple[Path, Macros | None, Cache | None]) -> Loaded:
    return load(job[0], str(job[0]), job[1], job[2])


def _load_pickled(job: tuple[Path, Macros | None, Cache | None]) -> bytes:
    """What a reading process sends: pickled here, unpickled by the caller, so that a result that does not
    unpickle is an error in the caller, not a pool that waits for ever."""
    return pickle.dumps(_load(job))


def _each(files: list[Path], macros: Macros | None, jobs: int | None, cache: Cache | None) -> Iterator[Loaded]:
    """Each file read, in order; by `jobs` forked processes at once where there are several files."""
    jobs = min(jobs or os.cpu_count() or 1, len(files))
    if jobs < 2:
        yield from map(_load, [(f, macros, cache) for f in files])
        return
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        for data in pool.imap(_load_pickled, [(f, macros, cache) for f in files]):
            yield pickle.loads(data)


def load_paths(paths: list[Path], macros: Macros | None = None, exclude: tuple[str, ...] = (),
               jobs: int | None = 1, cache: Cache | None = None) -> Loaded:
    """Every file of `paths` (files, and the known files in folders, as `discover` finds them), read in
    order, by `jobs` processes at once (None: one per core), through `cache`; a path that does not exist
    is an error."""
    derivations: list[Derivation] = []
    errors: list[InputError] = []
    notes: list[Note] = []
    for path in paths:
        try:
            exists = path.exists()
        except OSError as exc:  # a name too long for the file system, say
            errors.append(InputError(Location(str(path)), f"cannot look for this path ({exc.strerror or exc})"))
            continue
        if not exists:
            errors.append(InputError(Location(str(path)), "this path does not exist"))
    files = discover([p for p in paths if not any(e.location.file == str(p) for e in errors)], exclude)
    for loaded in _each(files, macros, jobs, cache):
        derivations += loaded.derivations
        errors += loaded.errors
        notes += loaded.notes
    return Loaded(tuple(derivations), tuple(errors), tuple(notes))


def discover(paths: list[Path], exclude: tuple[str, ...] = ()) -> list[Path]:
    """Files to check: those named, and those with a known ending inside named folders (sorted), where
    neither .gitignore nor the `exclude` patterns (gitignore syntax) skip them; hidden folders,
    node_modules and virtual environments are skipped too."""
    excluded = folders.Excluded(exclude)
    out: list[Path] = []
    for p in paths:
        if excluded(p, folder=p.is_dir()):
            continue
        out += folders.scan(p, frozenset(READERS), excluded) if p.is_dir() else [p]
    return out
