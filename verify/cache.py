"""A cache of verdicts, so that a second run of unchanged files skips the work, as ruff and mypy do.

What reading a file gave is kept too, keyed by its name, its text and the macros given. A verdict is
keyed by the step's encoded obligation (after definitions and derivatives), the versions
of verify (and a hash of its code), Z3, SymPy and mpmath, the time limit and the second opinion; a diagnosis also by the lines
it speaks of. So a cached step never carries a stale verdict, and editing a line re-checks only the
steps whose obligation changed.

Stored in SQLite (safe for concurrent runs). Every row is signed with a key kept outside the project
(in the user's cache folder): a row that does not verify, like a file that does not open, is never
trusted. What depends on time is never stored: an unknown verdict other than "not checked", an error,
an explanation that failed.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import os
import pickle
import secrets
import sqlite3
from dataclasses import asdict, replace
from pathlib import Path

from .curves import Curve
from .derivation import Step
from .errors import NOT_CHECKED
from .numeric import Counterexample
from .verdict import Diagnosis, Status, Verdict
from .version import __version__

FOLDER = ".verify_cache"
FORMAT = 1  # of the stored values; a change makes older rows unreachable
_FILE = "verdicts.sqlite"


def _versions() -> str:
    import mpmath
    import sympy
    import z3

    return (f"verify {__version__} ({_source()}), z3 {z3.get_version_string()}, sympy {sympy.__version__}, "
            f"mpmath {mpmath.__version__}")


@functools.cache
def _source() -> str:
    """A hash of verify's own code: a checkout whose code changed under the same version number (as in
    development) does not reuse the verdicts of the code before."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.relative_to(Path(__file__).parent).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _secret() -> bytes:
    """The signing key, in the user's cache folder (not the project's, which a pull request could fill)."""
    home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "verify"
    path = home / "cache-key"
    try:
        return bytes.fromhex(path.read_text().strip())
    except (OSError, ValueError):
        pass
    home.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(key + "\n")
    return bytes.fromhex(key)


class Cache:
    """The verdicts, curves and diagnoses of steps; `lookup` and `store` run in the workers."""

    def __init__(self, folder: Path, timeout: float, second_opinion: str | None = None):
        self.folder = folder
        self.settings = f"{FORMAT}; {_versions()}; timeout {timeout!r}; second opinion {second_opinion}"
        self.secret = _secret()
        self._db: sqlite3.Connection | None = None
        self._pid = 0

    def __getstate__(self) -> dict:  # sent to the processes that read files: without a connection
        return {**self.__dict__, "_db": None, "_pid": 0}

    def prepare(self) -> None:
        """Create the folder, or rebuild a file that is not a sound SQLite database. Raises OSError."""
        self.folder.mkdir(parents=True, exist_ok=True)
        ignore = self.folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# made by verify: the cache is never committed\n*\n")
        try:
            db = self._connect()
            if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("the check failed")
        except sqlite3.DatabaseError:
            self.close()
            for suffix in ("", "-wal", "-shm"):
                (self.folder / (_FILE + suffix)).unlink(missing_ok=True)
            self._connect()
        self.close()  # workers open their own connections after the fork

    def _connect(self) -> sqlite3.Connection:
        if self._db is None or self._pid != os.getpid():
            self._db = sqlite3.connect(self.folder / _FILE, timeout=5.0, isolation_level=None)
            self._pid = os.getpid()
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")  # a lost row after a power cut costs only time
            self._db.execute("CREATE TABLE IF NOT EXISTS rows (key TEXT PRIMARY KEY, value TEXT NOT NULL, "
                             "signature TEXT NOT NULL)")
        return self._db

    def close(self) -> None:
        if self._db is not None and self._pid == os.getpid():
            self._db.close()
        self._db = None

    # keys

    def _key(self, *parts: object) -> str:
        return hashlib.sha256("\n".join(map(str, (self.settings, *parts))).encode()).hexdigest()

    def keys(self, step: Step) -> tuple[str, str]:
        """The key of the step's verdict and curves (its obligation), and of its diagnosis (also the lines
        before it, as written and as read, and what the derivation assumes)."""
        verdict = self._key("verdict", repr(step.obligation()))
        d = step.derivation
        lines = [(line.text, line.latex, repr(line.expr)) for line in d.lines[:step.number + 1]]
        return verdict, self._key("diagnosis", verdict, lines, repr(d.substitutions), repr(d.hypotheses))

    # rows

    def _sign(self, key: str, value: str) -> str:
        return hmac.new(self.secret, f"{key}\n{value}".encode(), hashlib.sha256).hexdigest()

    def _get(self, key: str) -> object | None:
        try:
            row = self._connect().execute("SELECT value, signature FROM rows WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        if row is None or not hmac.compare_digest(self._sign(key, row[0]), row[1]):
            return None
        try:
            return json.loads(row[0])
        except ValueError:
            return None

    def _put(self, rows: list[tuple[str, object]]) -> None:
        try:
            db = self._connect()
            with db:
                db.executemany("INSERT OR REPLACE INTO rows VALUES (?, ?, ?)",
                               [(k, text, self._sign(k, text)) for k, v in rows for text in [json.dumps(v)]])
        except sqlite3.Error:  # a cache that cannot be written costs only the next run's time
            pass

    def reading(self, label: str, text: str, macros: object) -> object | None:
        """What reading this text gave before (a frontends.Loaded), if stored; pickled, and unpickled only
        when its signature, made with this user's key, holds."""
        got = self._get(self._key("reading", label, hashlib.sha256(text.encode()).hexdigest(), repr(macros)))
        if not isinstance(got, str):
            return None
        try:
            return pickle.loads(base64.b64decode(got))
        except Exception:  # a row of another shape: read the file again
            return None

    def keep_reading(self, label: str, text: str, macros: object, loaded: object) -> None:
        key = self._key("reading", label, hashlib.sha256(text.encode()).hexdigest(), repr(macros))
        self._put([(key, base64.b64encode(pickle.dumps(loaded)).decode())])

    def lookup(self, step: Step, explaining: bool, plotting: bool) -> tuple[Verdict, Curve | None, Diagnosis | None] | None:
        """The step's verdict with the curves and diagnosis the run needs, if all are stored."""
        vkey, dkey = self.keys(step)
        try:
            verdict = _verdict(self._get(vkey))
            curve = _curve(self._get("c" + vkey)) if plotting and verdict.counterexample else None
            diagnosis = _diagnosis(self._get(dkey)) if _explained(verdict, explaining) else None
        except (TypeError, ValueError, KeyError, AttributeError, IndexError):  # missing, or not of the shape stored
            return None
        return replace(verdict, cached=True), curve, diagnosis

    def store(self, step: Step, verdict: Verdict, curve: Curve | None, diagnosis: Diagnosis | None,
              explaining: bool, plotting: bool) -> None:
        if not cacheable(verdict):
            return
        vkey, dkey = self.keys(step)
        rows: list[tuple[str, object]] = [(vkey, _as_json(verdict))]
        if plotting and verdict.counterexample and curve is not None:
            rows.append(("c" + vkey, asdict(curve)))
        if _explained(verdict, explaining):
            if diagnosis is None or diagnosis.summary.startswith("verify could not explain"):
                return  # the verdict is stored once its diagnosis can be
            rows.append((dkey, asdict(diagnosis)))
        self._put(rows)


def cacheable(v: Verdict) -> bool:
    """Proven and refuted verdicts, and "not checked" (a form verify does not check); never an unknown
    that more time might decide, or an error."""
    return v.status in (Status.PROVEN, Status.REFUTED) or (v.status is Status.UNKNOWN and v.detail.startswith(NOT_CHECKED))


def _explained(verdict: Verdict, explaining: bool) -> bool:
    return explaining and verdict.status in (Status.REFUTED, Status.UNKNOWN)


def _as_json(v: Verdict) -> dict:
    out = asdict(v)
    out["status"] = v.status.value
    return out


def _strings(value) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise TypeError("not a list of strings")
    return tuple(value)


def _text(value, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise TypeError("not a string")
    return value


def _verdict(data) -> Verdict:
    cx = data["counterexample"]
    if cx is not None:
        point = tuple((_text(n), _text(v)) for n, v in cx["point"])
        cx = Counterexample(point, _text(cx["lhs"]), _text(cx["rhs"]), _text(cx["difference"]))
    seconds = data["seconds"]
    if not isinstance(seconds, (int, float)):
        raise TypeError("not a number")
    return Verdict(Status(data["status"]), _text(data["engine"], True), _strings(data["conditions"]), cx,
                   _text(data["detail"]), float(seconds), _strings(data["remarks"]))


def _diagnosis(data) -> Diagnosis:
    fields = {k: _text(v, True) for k, v in data.items() if k not in ("tried", "seconds")}
    seconds = data["seconds"]
    if not isinstance(seconds, (int, float)) or fields.get("summary") is None:
        raise TypeError("not a diagnosis")
    return Diagnosis(**fields, tried=_strings(data["tried"]), seconds=float(seconds))


def _number(v, optional: bool = False) -> float | None:
    if v is None and optional:
        return None
    if not isinstance(v, (int, float)):
        raise TypeError("not a number")
    return float(v)


def _curve(data) -> Curve:
    pairs = lambda rows: tuple((_number(x), _number(y, True)) for x, y in rows)  # noqa: E731
    return Curve(_text(data["variable"]), tuple((_text(n), _text(v)) for n, v in data["fixed"]), pairs(data["lhs"]),
                 pairs(data["rhs"]), _number(data["at"]), _number(data["at_lhs"], True), _number(data["at_rhs"], True),
                 (_number(data["ylim"][0]), _number(data["ylim"][1])))
