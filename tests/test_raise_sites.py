"""Issue 9, item 6: every `raise` of the readers and of the encoder, reached through the CLI, ends in a
report: a located input error, with the other derivations still checked, never a traceback.

The raise statements are found with `ast`, the inputs that reach them are in raise_inputs.py, and a
tracer records which statement each input reaches while the CLI reads it. Solving is left out of that
first pass (the runner is replaced by one that only builds each step's obligation, in this process, so
the encoder's raises are traced too); the inputs with steps then go through the real CLI."""

from __future__ import annotations

import os
import tempfile

import pytest
import test_hostile
import test_readings
from raise_inputs import INPUTS
from raise_sites import Run, run_cli, sites, tracing

from verify import ir, runner
from verify.errors import NotChecked
from verify.verdict import Status, Verdict

# raise statements that no input reaches, each with the reason; matched by file and words of the raise
UNREACHED = {
    ("frontends/latex/reader.py", "nested too deeply"):
        "200 nested expressions need over 1,200 Python frames: the RecursionError that parse_latex reports comes first",
    ("frontends/latex/__init__.py", "nested too deeply"):
        "reached (see the deep inputs), but Python turns tracing off when its recursion limit is hit",
    ("frontends/plain.py", "nested too deeply"):
        "reached (see the deep inputs), but Python turns tracing off when its recursion limit is hit",
    ("calculus.py", "work out"): "meaning() removes every Diff, Apply, At and Extremum node before derivative() runs",
    ("calculus.py", "refers to itself"): "every front end rejects definitions that refer to themselves first",
    ("calculus.py", "no derivative known"): "the readers build calls only to functions calculus knows",
    ("ir.py", "substitute before"): "substitute() runs only on what meaning() has worked out",
    ("ir.py", "not an expression"): "show() is given only expressions",
    ("encode.py", "cannot encode"): "encode() runs on meaning()'s output: numbers, variables, + * ^ and known calls",
    ("frontends/chain.py", "at least two lines to make a step"):
        "reached by a request to verify serve with one line (tests/test_serve.py); the CLI reads whole chains",
}


def _corpus() -> list:
    """The inputs written for the raise sites, and the lines of the reading and hostile-input tests."""
    lines = [t for t, *_ in test_readings.ERRORS] + test_hostile.PLAIN + test_hostile.LATEX
    readings = [t for t, _ in test_readings.READINGS]
    return [["-e", t if "=" in t else t + " = 0"] for t in readings] + [["-e", t + " = 0"] for t in lines] + INPUTS


def _materialize(entry) -> list[str]:
    argv, files = (entry, {}) if isinstance(entry, list) else entry
    folder = tempfile.mkdtemp(prefix="verify-raise-")
    for name, text in files.items():
        path = os.path.join(folder, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(text if isinstance(text, bytes) else text.encode())
    return [a.replace("{dir}", folder) for a in argv]


def _a_report(r: Run) -> bool:
    """A JSON report, or (for a path the CLI cannot open) exit code 2 and one line that says why."""
    if "Traceback" in r.out + r.err:
        return False
    return r.report is not None or r.code == 2 and r.err.startswith("verify: error: ")


@pytest.fixture(scope="module")
def traced():
    """Each input's run with the runner that only encodes; the raise sites reached; inputs with steps."""
    every = sites()
    reached: set = set()
    runs, with_steps = [], []
    real_run = runner.run

    def encode_only(derivations, *_, **__):
        """Each step encoded; its result says so (instances.check needs one result per step)."""
        out = []
        for d in derivations:
            for step in d.steps():
                try:
                    step.obligation()
                except (ir.UnknownAtPoint, NotChecked):  # the runner's verdict is unknown, with the reason
                    pass
                except Exception as exc:  # noqa: BLE001 - recorded, and the test below fails on it
                    encode_only.failures.append(f"{d.name}: {type(exc).__name__}: {exc}")
                out.append(runner._result(step, Verdict(Status.UNKNOWN, detail="encoded only")))
        encode_only.steps = sum(len(d.steps()) for d in derivations)
        return out

    encode_only.failures = []
    runner.run = encode_only
    try:
        for entry in _corpus():
            argv = _materialize(entry)
            encode_only.steps = 0
            with tracing(set(every)) as hit:
                r = run_cli(argv)
            reached |= hit
            runs.append((argv, r))
            if encode_only.steps:
                with_steps.append(argv)
    finally:
        runner.run = real_run
    return every, reached, runs, with_steps, encode_only.failures


def _allowed(site, text) -> bool:
    return any(site[0] == f and words in text for (f, words) in UNREACHED)


def test_every_raise_site_is_reached_or_its_reason_is_written_down(traced):
    every, reached, *_ = traced
    missing = {f"{f}:{line}: {text}" for (f, line), text in every.items()
               if (f, line) not in reached and not _allowed((f, line), text)}
    assert not missing, "\n".join(sorted(missing))
    assert len(every) > 200  # the readers and the encoder, found by ast


def test_the_reasons_written_down_still_name_real_raise_sites(traced):
    every, *_ = traced
    for f, words in UNREACHED:
        assert any(g == f and words in text for (g, _), text in every.items()), (f, words)


def test_every_input_ends_in_a_report(traced):
    _, _, runs, _, failures = traced
    broken = [(argv[:3], r.code, (r.err or r.out)[-300:]) for argv, r in runs if not _a_report(r)]
    assert not broken, broken
    assert not failures, failures  # no step's obligation raised


def test_the_inputs_with_steps_get_a_verdict_never_an_error(traced):
    *_, with_steps, _ = traced
    assert with_steps
    bad = []
    for argv in with_steps:
        r = run_cli(["--timeout", "2", "--jobs", "2", *argv])
        assert _a_report(r), (argv[:3], r.err[-300:])
        bad += [(argv[:3], s["detail"]) for d in r.report["derivations"] for s in d["steps"] if s["verdict"] == "error"]
    assert not bad, bad
