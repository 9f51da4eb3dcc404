import io
import json
import os

import pytest
from helpers import ROOT, run

import verify


def test_conditional_identity_is_proven_with_its_condition():
    code, out, _ = run("--format", "json", "-e", "(x**2 - 1)/(x - 1) = x + 1")
    report = json.loads(out)
    [step] = report["derivations"][0]["steps"]
    assert code == 0
    assert step["verdict"] == "proven" and step["engine"] == "z3"
    assert step["conditions"] == ["x - 1 != 0"]


def test_wrong_chain_is_refuted_with_values_and_exit_1():
    code, out, _ = run("--format", "json", "-e", "diff(sigma(x), x) = 1/(-(1 + exp(x)))")
    step = json.loads(out)["derivations"][0]["steps"][0]
    assert code == 1
    assert step["verdict"] == "refuted" and step["counterexample"].keys() == {"x"}
    assert float(step["values"]["lhs"]) != float(step["values"]["rhs"])
    assert json.loads(out)["summary"]["unexpected"] == 1


def test_json_shape(tmp_path):
    code, out, _ = run("--format", "json", "-e", "x + x = 2*x = x*2")
    report = json.loads(out)
    assert set(report) == {"format", "version", "derivations", "errors", "skipped", "summary"}
    assert report["format"] == 2 and report["version"] == verify.__version__
    step = report["derivations"][0]["steps"][0]
    assert set(step) == {"step", "line", "col", "lhs", "rhs", "lhs_read", "rhs_read", "hint", "notes", "verdict",
                         "expected", "engine", "conditions", "counterexample", "values", "seconds", "cached", "detail",
                         "remarks", "diagnosis"}
    assert step["diagnosis"] is None  # proven: nothing to explain
    assert step["cached"] is False  # the tests run without the cache (conftest.py)
    assert (step["lhs_read"], step["rhs_read"]) == ("x + x", "2*x")
    assert set(report["summary"]) == {"proven", "refuted", "unknown", "error", "unexpected", "input_errors",
                                      "unexpected_steps"}
    assert report["summary"]["proven"] == 2 and code == 0


def test_json_version_2_lists_unexpected_steps_and_input_errors(tmp_path):
    (tmp_path / "a.toml").write_text('[[derivation]]\nname = "d"\nlines = ["x", "x", "x + 1"]\n'
                                     '[[derivation]]\nname = "e"\nlines = ["x", "x +* 1"]\n')
    code, out, _ = run("--format", "json", str(tmp_path / "a.toml"))
    summary = json.loads(out)["summary"]
    assert code == 2 and summary["input_errors"] == 1 and summary["unexpected"] == 1
    assert summary["unexpected_steps"] == [{"file": str(tmp_path / "a.toml"), "line": 3, "col": 21, "derivation": "d",
                                            "step": 2, "verdict": "refuted", "expected": "proven"}]


def test_version():
    code, out, _ = run("--version")
    assert code == 0 and out.strip() == f"verify {verify.__version__}"


HOSTILE = '''
[[derivation]]
name = "hostile"
lines = ["__import__('os').system('touch {marker}') + x", "x"]

[[derivation]]
name = "fine"
lines = ["2*x", "x + x"]
'''


def test_hostile_line_runs_nothing_and_other_derivations_are_checked(tmp_path):
    marker = tmp_path / "pwned"
    proof = tmp_path / "bad.toml"
    proof.write_text(HOSTILE.format(marker=marker))
    code, out, _ = run("--format", "json", str(proof))
    report = json.loads(out)
    assert code == 2
    assert not marker.exists()
    [error] = report["errors"]
    assert (error["file"], error["line"], error["col"]) == (str(proof), 4, 22)
    assert "unexpected character" in error["message"]
    assert [d["name"] for d in report["derivations"]] == ["fine"]
    assert report["derivations"][0]["steps"][0]["verdict"] == "proven"


def test_text_report_gives_gcc_style_errors(tmp_path):
    proof = tmp_path / "typo.toml"
    proof.write_text('[[derivation]]\nname = "t"\nlines = ["sigmod(x)", "x"]\n')
    code, out, _ = run(str(proof))
    assert code == 2
    assert f"{proof}:3:11: error: unknown function 'sigmod' (did you mean 'sigmoid'?" in out


def test_default_path_is_proofs_and_exit_codes(tmp_path):
    """With no path, proofs/ under the working folder is checked (test_golden checks the shipped one)."""
    (tmp_path / "proofs").mkdir()
    (tmp_path / "proofs" / "a.toml").write_text('[[derivation]]\nname = "d"\nlines = ["2*x", "x + x"]\n')
    code, out, _ = run(cwd=tmp_path)
    assert code == 0 and "proofs/a.toml: d" in out and "1 step: 1 proven" in out and "0 unexpected" in out
    (tmp_path / "proofs" / "b.toml").write_text('[[derivation]]\nname = "e"\nlines = ["2*x", "x"]\n')
    code, out, _ = run(cwd=tmp_path)
    assert code == 1 and "1 unexpected" in out


def test_usage_errors_exit_2():
    assert run("--format", "xml")[0] == 2
    assert run("no/such/path")[0] == 2
    assert run("--timeout", "0", "-e", "x = x")[0] == 2
    assert run("--jobs", "0", "-e", "x = x")[0] == 2


def test_unexpected_verdict_exits_1(tmp_path):
    proof = tmp_path / "wrong.toml"
    proof.write_text('[[derivation]]\nname = "w"\nlines = ["x + 1", "x"]\n')
    code, out, _ = run(str(proof))
    assert code == 1
    assert f"{proof}:3:20: error: step 1 of 'w' was expected proven but is refuted" in out


def test_a_path_with_nothing_to_check_is_a_warning_or_with_strict_an_error(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "prose.md").write_text("No math here, only words.\n")
    for path in (tmp_path / "empty", tmp_path / "prose.md"):
        code, _, err = run(str(path))
        assert code == 0 and f"warning: {path} holds nothing to check" in err
        code, _, err = run(str(path), "--strict")
        assert code == 2 and f"error: {path} holds nothing to check" in err
    code, _, err = run(str(ROOT / "proofs" / "sigmoid.toml"), "--strict", "--timeout", "5")
    assert code == 0 and "nothing to check" not in err


def test_a_closed_pipe_ends_the_run_quietly_with_the_sigpipe_status():
    import fcntl
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "verify", "--format", "json", str(ROOT / "proofs" / "sigmoid.toml")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    fcntl.fcntl(proc.stdout.fileno(), fcntl.F_SETPIPE_SZ, 4096)  # smaller than the report
    proc.stdout.read(10)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141 and "Traceback" not in err and "BrokenPipe" not in err, err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_on_a_terminal_only_and_never_with_no_color(monkeypatch):
    from verify.cli import main

    argv = ["-e", "x^2 = x^3", "-e", "x + x = 2*x", "--no-explain"]
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    tty = _Terminal()
    main(argv, tty, io.StringIO())
    assert "\x1b[31mrefuted\x1b[0m" in tty.getvalue() and "\x1b[32mproven\x1b[0m" in tty.getvalue()
    code, piped, _ = run(*argv)
    assert "\x1b[" not in piped
    monkeypatch.setenv("NO_COLOR", "1")
    tty = _Terminal()
    main(argv, tty, io.StringIO())
    assert "\x1b[" not in tty.getvalue() and "refuted" in tty.getvalue()
    code, json_out, _ = run(*argv, "--format", "json")
    assert "\x1b[" not in json_out


def test_quiet_prints_only_what_fails_and_the_summary():
    code, out, _ = run("-e", "x^2 = x^3", "-e", "x + x = 2*x", "-q")
    assert code == 1 and "expression 1" in out and "expression 2" not in out and "x + x" not in out
    assert out.rstrip().endswith("1 unexpected; 0 input errors")
    code, out, _ = run("-e", "x + x = 2*x", "-q")
    assert code == 0 and out.strip() == "1 step: 1 proven, 0 refuted, 0 unknown, 0 error; 0 unexpected; 0 input errors"


def test_an_unknown_function_is_defined_where_the_line_came_from(tmp_path):
    """Each input says how to define a function in its own terms, and doing so reads the line."""
    code, out, _ = run("-e", "g(x) + 1 = 1 + g(x)")
    assert code == 2 and "define it with --define 'g(x) = ...'" in out
    code, out, _ = run("-e", r"\operatorname{foo}(x) = \operatorname{foo}(x)")
    assert code == 2 and "define it with --define 'foo(x) = ...'" in out
    code, out, _ = run("-e", "g(x) + 1 = 1 + g(x)", "--define", "g(x) = x^2")
    assert code == 0 and "1 step: 1 proven" in out
    doc = tmp_path / "d.md"
    doc.write_text("$$\n1 + \\operatorname{foo}(x) = 1 = 1\n$$\n")
    code, out, _ = run(str(doc))
    assert code == 2 and f"{doc}:2:5: error: unknown function 'foo' (define it with a verify: comment," in out
    proof = tmp_path / "p.toml"
    proof.write_text('[[derivation]]\nname = "d"\nlatex = ["h(x)", "1"]\n')
    code, out, _ = run(str(proof))
    assert code == 2 and "define the function h (under [definitions])" in out
    got = verify.check(["g(x)", "1"])
    assert 'define it under "definitions"' in str(got.errors[0])


def test_an_unclosed_toml_array_is_located_where_the_file_ends(tmp_path):
    proof = tmp_path / "u.toml"
    proof.write_text('[[derivation]]\nname = "a"\nlines = ["x", "x"\n')
    code, out, _ = run(str(proof))
    assert code == 2 and f"{proof}:3:18: error: this is not valid TOML: Unclosed array" in out


@pytest.mark.parametrize("chain, words", [(r"\lim_{n \to \infty} (1 + \frac{1}{n})^n = e", "limits are not supported"),
                                          (r"\sin x \approx x = x", r"'\approx' is not part of a formula")])
def test_a_chain_with_another_relation_says_why_it_is_not_read(chain, words):
    code, out, _ = run("-e", chain)
    assert code == 2 and words in out
