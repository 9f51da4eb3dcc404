"""Issue 12, item 1: the Python API, tested as the public surface.

The README's examples run as written (the python block under "Python API" is executed here, from the
repository root); then each promise: frozen results shared with the reporters, errors as values,
misuse as exceptions, the same verdicts as the command line, and the report in Jupyter.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import os
import re
import signal

import pytest
from helpers import ROOT, run

import verify
from verify.verdict import Status, StepResult


def test_the_readme_examples_run_as_written():
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Python API"):]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    out = io.StringIO()
    old = os.getcwd()
    os.chdir(ROOT)
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(code, "README.md", "exec"), {})  # our own README, not user input
    finally:
        os.chdir(old)
    printed = out.getvalue().splitlines()
    for line, shown in zip(printed, re.findall(r"# (.+)$", code, re.M)[1:]):
        if not shown.startswith("the JSON"):
            assert line == shown, (line, shown)
    assert len(printed) == 4


def test_results_are_the_frozen_dataclasses_of_the_reporters():
    report = verify.check(["x^2 - 1", "(x - 1)*(x + 1)", "x^2"])
    assert isinstance(report, verify.Report) and all(isinstance(s, StepResult) for s in report.steps)
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.steps[0].step = 3
    assert [s.verdict.status for s in report.steps] == [Status.PROVEN, Status.REFUTED] and not report.ok
    cx = report.steps[1].counterexample
    x = float(dict(cx.point)["x"])
    assert float(cx.lhs) == pytest.approx((x - 1) * (x + 1)) and float(cx.rhs) == pytest.approx(x * x)


def test_the_same_verdicts_as_the_command_line():
    lines = ["diff(sigma(x), x)", "exp(-x)/(1 + exp(-x))**2", "sigma(x)*(1 - sigma(x))", "sigma(x)**2"]
    mine = verify.check(lines).to_json()
    code, out, _ = run("--format", "json", "-e", " = ".join(lines))
    theirs = json.loads(out)
    verdicts = lambda r: [s["verdict"] for d in r["derivations"] for s in d["steps"]]  # noqa: E731
    assert verdicts(mine) == verdicts(theirs) == ["proven", "proven", "refuted"]


def test_input_errors_are_values_located_in_the_input():
    report = verify.check(["x + 1", "x + * 2"])
    assert not report.steps and not report.ok
    [e] = report.errors
    assert (e.location.file, e.location.line) == ("<lines>", 2) and e.location.col > 1
    bad_assumption = verify.check(["x", "x"], assume=["x >"])
    assert bad_assumption.errors[0].location.file == "<assume>"
    empty = verify.check([])
    assert str(empty.errors[0].location) == "<lines>:1:1" and "two lines" in empty.errors[0].message
    missing = verify.check_paths([ROOT / "no-such-folder"])
    assert "does not exist" in missing.errors[0].message and not missing.ok


@pytest.mark.parametrize("call, error", [
    (lambda: verify.check(), TypeError),
    (lambda: verify.check(["x", "x"], latex=["x", "x"]), TypeError),
    (lambda: verify.check("x = x"), TypeError),
    (lambda: verify.check(["x", "x"], timeout=0), ValueError),
    (lambda: verify.check_paths("proofs/"), TypeError),
    # each of these hung (jobs=-1 made no worker) or was read character by character (a string of hypotheses)
    (lambda: verify.check(["x", "x"], jobs=-1), ValueError),
    (lambda: verify.check(["x", "x"], jobs=0), ValueError),
    (lambda: verify.check_paths([ROOT / "proofs" / "sigmoid.toml"], jobs=-1), ValueError),
    (lambda: verify.check_many([{"id": 1, "lines": ["x", "x"]}], jobs=-1), ValueError),
    (lambda: verify.check_many([{"id": 1, "lines": ["x", "x"]}], chunk=0), ValueError),
    (lambda: verify.check(["x", "x"], timeout=float("nan")), ValueError),
    (lambda: verify.check(["x", "x"], assume="x > 0"), TypeError),
    (lambda: verify.check(["x", "x"], definitions="f(x) = x"), TypeError),
])
def test_misuse_of_the_api_raises(call, error):
    with pytest.raises(error):
        with _deadline(30):
            call()


@contextlib.contextmanager
def _deadline(seconds: int):
    """A call that hangs fails the test rather than the run."""
    def stop(*_):
        raise TimeoutError(f"no answer within {seconds} s")
    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def test_definitions_as_a_dict_or_a_list_and_latex():
    a = verify.check(latex=[r"\frac{d}{dx} f(x)", r"2x"], definitions={"f(x)": "x^2"})
    b = verify.check(["diff(f(x), x)", "2*x"], definitions=["f(x) = x^2"])
    assert a.ok and b.ok and a.steps[0].latex and not b.steps[0].latex


def test_in_jupyter_a_report_renders_itself_as_html():
    page = verify.check(["x^2", "x^3"])._repr_html_()
    assert page.startswith("<iframe srcdoc=") and "&lt;svg" in page and "refuted" in page


def test_importing_verify_does_not_load_the_checker():
    import subprocess
    import sys

    code = "import sys, verify; print(sorted(m for m in ('sympy', 'z3', 'verify.api') if m in sys.modules))"
    got = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert got.stdout.strip() == "[]"


def test_a_backslash_escape_in_a_latex_string_is_an_error_never_a_tab_and_anh():
    """"\\tanh" in JSON or a Python string (not raw) is a tab and 'anh': located, with the fix."""
    got = verify.check(latex=["\tanh(x)", "x"])
    assert not got.steps and str(got.errors[0].location) == "<latex>:1:1"
    assert "a tab" in got.errors[0].message and 'r"\\tanh"' in got.errors[0].message
    assert verify.check(latex=[r"\tanh(x)", r"\tanh(x)"]).ok


def test_errors_name_the_api_words_not_the_command_line_flags():
    hypothesis = verify.check(["x", "x"], definitions=["x > 0"]).errors[0].message
    assert hypothesis.startswith("a definition takes") and 'the "assume" list' in hypothesis and "--" not in hypothesis
    unknown = verify.check(["g(x)", "1"]).errors[0].message
    assert 'define it under "definitions"' in unknown and "--define" not in unknown


def test_a_definition_without_an_equals_sign_is_said_to_be_one():
    code, out, _ = run("-e", "x = x", "--define", "y")
    assert code == 2 and "--define takes a function (f(x) = ...) or a name (y = ...)" in out
