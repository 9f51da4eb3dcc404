"""Issue 12, item 6: the cache of verdicts. A warm run gives the same report; an edit re-checks only the
steps it touches; what depends on time is never stored; a broken or tampered cache is never trusted."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest
from helpers import ROOT, derivation, run

from verify import cache, runner
from verify.verdict import Status, Verdict

# four steps whose obligations differ, so that no step of a run finds another's verdict in the cache
LINES = ["(x + 1)^2", "x^2 + 2*x + 1", "diff(x^3/3 + x^2 + x, x)", "sqrt(x^2 + 2*x + 1)^2", "1 + x*(x + 2)"]
SLOW = ["(1 + x)^1500*(1 - x)^1500", "(1 - x^2)^1500"]


def _toml(lines: list[str], expect: list[str] | None = None, name: str = "d") -> str:
    text = f'[[derivation]]\nname = "{name}"\nlines = [\n' + "".join(f'  "{x}",\n' for x in lines) + "]\n"
    return text + (f"expect = {json.dumps(expect)}\n" if expect else "")


@pytest.fixture
def place(tmp_path, monkeypatch):
    monkeypatch.delenv("VERIFY_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    return tmp_path


def _steps(folder, *args) -> list[dict]:
    code, out, err = run("a.toml", "--format", "json", *args, cwd=folder)
    assert code in (0, 1), err
    return [s for d in json.loads(out)["derivations"] for s in d["steps"]]


def _without_time(steps: list[dict]) -> list[dict]:
    return [{k: v for k, v in s.items() if k not in ("seconds", "cached")} | {
        "diagnosis": s["diagnosis"] and {k: v for k, v in s["diagnosis"].items() if k != "seconds"}} for s in steps]


def test_a_warm_run_takes_every_verdict_from_the_cache_and_says_the_same(place):
    (place / "a.toml").write_text(_toml(LINES + ["x*(x + 2)"], ["proven", "proven", "proven", "proven", "refuted"]))
    cold = _steps(place)
    warm = _steps(place)
    assert [s["cached"] for s in cold] == [False] * 5 and [s["cached"] for s in warm] == [True] * 5
    assert _without_time(warm) == _without_time(cold)
    assert warm[4]["verdict"] == "refuted" and warm[4]["diagnosis"]["summary"]
    assert (place / ".verify_cache" / ".gitignore").read_text().splitlines()[-1] == "*"


def test_steps_with_one_obligation_keep_a_diagnosis_each(place):
    # the same wrong step in two notations: one verdict row, two diagnoses (each in its notation)
    (place / "a.toml").write_text(_toml(["diff(exp(2*x), x)", "exp(2*x)"], ["refuted"], name="plain") +
                                  _toml([r"\\frac{d}{dx} e^{2x}", "e^{2x}"], ["refuted"], name="latex")
                                  .replace("lines = [", "latex = ["))
    cold = _steps(place, "--jobs", "1")  # in turn: the second finds the first's verdict, not its diagnosis
    warm = _steps(place)
    assert [s["cached"] for s in warm] == [True, True] and _without_time(warm) == _without_time(cold)
    assert "exp(2*x)" in warm[0]["diagnosis"]["correction"] and "e^{2 x}" in warm[1]["diagnosis"]["correction"]


def test_editing_one_line_re_checks_only_the_steps_it_touches(place):
    (place / "a.toml").write_text(_toml(LINES))
    _steps(place)
    edited = LINES[:2] + ["diff((x + 1)^3/3, x)"] + LINES[3:]
    (place / "a.toml").write_text("# a comment moves every line down\n" + _toml(edited))
    again = _steps(place)
    assert [s["cached"] for s in again] == [True, False, False, True]
    assert [s["verdict"] for s in again] == ["proven", "proven", "proven", "proven"]


def test_a_timeout_is_never_stored(place):
    (place / "a.toml").write_text(_toml(SLOW, ["unknown"]))
    first = _steps(place, "--timeout", "1", "--no-explain")
    assert first[0]["verdict"] == "unknown"
    assert _steps(place, "--timeout", "1", "--no-explain")[0]["cached"] is False
    assert _rows(place) == 0


def test_an_error_and_a_failed_explanation_are_never_stored(place, monkeypatch):
    store = cache.Cache(place / "c", 10.0)
    store.prepare()
    d = derivation("x + x", "3*x")
    monkeypatch.setattr(runner, "check_step", lambda *a, **k: Verdict(Status.ERROR, detail="internal error: test"))
    assert runner.run([d], isolate=False, cache=store)[0].verdict.status is Status.ERROR
    monkeypatch.undo()
    monkeypatch.setattr(runner.explain, "diagnose", lambda *a, **k: 1 / 0)
    got = runner.run([d], isolate=False, cache=store)[0]
    assert got.verdict.status is Status.REFUTED and "could not explain" in got.diagnosis.summary
    assert store.lookup(d.steps()[0], explaining=True, plotting=False) is None
    assert store.lookup(d.steps()[0], explaining=False, plotting=False) is None  # stored with its diagnosis only
    assert not cache.cacheable(Verdict(Status.UNKNOWN, detail="no verdict within the time limit of 1 s"))


def _rows(place) -> int:
    """How many verdicts the cache holds (besides diagnoses, curves and readings)."""
    with sqlite3.connect(place / ".verify_cache" / "verdicts.sqlite") as db:
        values = [json.loads(v) for (v,) in db.execute("SELECT value FROM rows")]
    return sum(isinstance(v, dict) and "status" in v for v in values)


def test_a_corrupted_cache_file_is_rebuilt(place):
    (place / "a.toml").write_text(_toml(LINES))
    _steps(place)
    db = place / ".verify_cache" / "verdicts.sqlite"
    for suffix in ("-wal", "-shm"):
        (place / ".verify_cache" / f"verdicts.sqlite{suffix}").unlink(missing_ok=True)
    db.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    steps = _steps(place)
    assert [s["cached"] for s in steps] == [False] * 4 and [s["verdict"] for s in steps] == ["proven"] * 4
    assert _rows(place) == 4 and all(s["cached"] for s in _steps(place))


def test_a_tampered_row_is_never_trusted(place):
    (place / "a.toml").write_text(_toml(["diff(exp(2*x), x)", "exp(2*x)"], ["refuted"]))
    assert _steps(place)[0]["verdict"] == "refuted"
    with sqlite3.connect(place / ".verify_cache" / "verdicts.sqlite") as db:
        for key, value in db.execute("SELECT key, value FROM rows").fetchall():
            data = json.loads(value)
            if isinstance(data, dict) and data.get("status") == "refuted":  # a pull request that says the wrong step is proven
                data.update(status="proven", counterexample=None, engine="z3")
                db.execute("UPDATE rows SET value = ? WHERE key = ?", (json.dumps(data), key))
    again = _steps(place)
    assert again[0]["verdict"] == "refuted" and again[0]["cached"] is False
    # a whole cache signed elsewhere (another machine's key) is not trusted either
    (place / "home-cache" / "verify" / "cache-key").unlink()
    assert _steps(place)[0]["cached"] is False


def test_the_key_holds_the_time_limit_and_the_versions(place, monkeypatch):
    (place / "a.toml").write_text(_toml(LINES))
    _steps(place)
    assert not any(s["cached"] for s in _steps(place, "--timeout", "7"))
    monkeypatch.setattr(cache, "_versions", lambda: "verify 0.0.0, z3 0, sympy 0, mpmath 0")
    assert not any(s["cached"] for s in _steps(place))
    monkeypatch.undo()
    monkeypatch.delenv("VERIFY_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(place / "home-cache"))
    assert all(s["cached"] for s in _steps(place))
    monkeypatch.setattr(cache, "_source", lambda: "code changed under the same version number")
    assert not any(s["cached"] for s in _steps(place))


def test_no_cache_and_cache_dir(place):
    (place / "a.toml").write_text(_toml(LINES))
    _steps(place, "--no-cache")
    assert not (place / ".verify_cache").exists()
    _steps(place, "--cache-dir", str(place / "elsewhere"))
    assert (place / "elsewhere" / "verdicts.sqlite").exists() and not (place / ".verify_cache").exists()
    assert all(s["cached"] for s in _steps(place, "--cache-dir", str(place / "elsewhere")))
    (place / "blocked").write_text("a file, not a folder")
    code, out, err = run("a.toml", "--cache-dir", str(place / "blocked"), cwd=place)
    assert code == 0 and "warning: cannot use" in err and "4 steps: 4 proven" in out


def test_concurrent_runs_share_the_cache(place):
    files = []
    for k in range(3):
        (place / f"f{k}.toml").write_text(_toml([f"(x + {k})^2", f"x^2 + {2 * k}*x + {k * k}"], name=f"d{k}"))
        files.append(f"f{k}.toml")
    env = {**__import__("os").environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-m", "verify", *files, "--jobs", "1"], cwd=place, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    outs = [p.communicate() for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    assert all("3 steps: 3 proven" in out for out, _ in outs)
    assert _rows(place) == 3


class _Planted:
    """A pickle that would write a file if it were ever unpickled."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return (open, (self.path, "w"))


def test_a_file_is_read_once_and_a_planted_reading_is_never_unpickled(place, monkeypatch):
    from verify import frontends

    (place / "a.toml").write_text(_toml(LINES))
    reads = []
    real = frontends.load_text
    monkeypatch.setattr(frontends, "load_text", lambda *a, **k: reads.append(a[1]) or real(*a, **k))
    first, second = _steps(place), _steps(place)
    assert len(reads) == 1 and _without_time(first) == _without_time(second)
    (place / "a.toml").write_text(_toml(LINES[:-1]))
    assert len(_steps(place)) == 3 and len(reads) == 2
    import base64
    import pickle

    with sqlite3.connect(place / ".verify_cache" / "verdicts.sqlite") as db:
        for key, value in db.execute("SELECT key, value FROM rows").fetchall():
            if isinstance(json.loads(value), str):  # a reading: a pickle, as base64 text
                planted = base64.b64encode(pickle.dumps(_Planted(place / "pwned"))).decode()
                db.execute("UPDATE rows SET value = ? WHERE key = ?", (json.dumps(planted), key))
    assert len(_steps(place)) == 3 and len(reads) == 3 and not (place / "pwned").exists()
