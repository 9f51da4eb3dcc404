"""Issue 12, item 2: the report formats CI systems read, each parsed back by an independent parser:
xml.etree for JUnit, the GitHub annotation syntax, and the shape of Markdown tables. Several formats in
one run, each to its file, hold the same verdicts."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from helpers import ROOT, run

WRONG = '[[derivation]]\nname = "slip"\nlines = ["diff(exp(2*x), x)", "exp(2*x)"]\n' \
        '[[derivation]]\nname = "broken"\nlines = ["x", "x +* 1"]\n'


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("formats")
    (folder / "wrong.toml").write_text(WRONG)
    files = [str(ROOT / "proofs" / "sigmoid.toml"), str(ROOT / "proofs" / "latex" / "seed.md"), str(folder / "wrong.toml")]
    out = {f: folder / f"report.{f}" for f in ("json", "junit", "github", "markdown")}
    code, text, err = run(*files, "--format", "text", "-q", *[a for f, path in out.items()
                                                              for a in ("--format", f, "-o", str(path))])
    assert code == 2, err  # an input error
    return json.loads(out["json"].read_text()), {f: p.read_text() for f, p in out.items()}, text


def test_junit_parses_with_one_testcase_per_step_and_input_error(reports):
    data, texts, _ = reports
    suite = ET.fromstring(texts["junit"]).find("testsuite")
    cases = suite.findall("testcase")
    steps = [s for d in data["derivations"] for s in d["steps"]]
    assert len(cases) == len(steps) + len(data["errors"]) == int(suite.get("tests"))
    failed = [c for c in cases if c.find("failure") is not None]
    assert len(failed) == data["summary"]["unexpected"] == int(suite.get("failures")) == 1
    assert "at x = " in failed[0].find("failure").text and failed[0].get("name") == "slip step 1"
    assert [c.find("error").get("message") for c in cases if c.find("error") is not None] == \
        [e["message"] for e in data["errors"]]


ANNOTATION = re.compile(r"^::error file=([^,:]+),line=(\d+),col=(\d+),title=([^:]*)::(.+)$")


def test_github_annotations_for_unexpected_steps_and_input_errors(reports):
    data, texts, _ = reports
    *annotations, last = texts["github"].splitlines()
    found = [ANNOTATION.match(a).groups() for a in annotations]
    wanted = [(e["file"], str(e["line"]), str(e["col"])) for e in data["errors"]] + \
        [(u["file"], str(u["line"]), str(u["col"])) for u in data["summary"]["unexpected_steps"]]
    assert [f[:3] for f in found] == wanted and len(found) == 2
    assert last.endswith("1 unexpected; 1 input errors")


def _cells(row: str) -> list[str]:
    return [c.strip() for c in re.split(r"(?<!\\)\|", row.strip())[1:-1]]


def test_markdown_has_a_table_per_derivation_with_a_row_per_step(reports):
    data, texts, _ = reports
    tables = re.findall(r"^### (.+)\n\n((?:\|.*\n)+)", texts["markdown"], re.M)
    assert len(tables) == len(data["derivations"])
    for (title, table), d in zip(tables, data["derivations"]):
        rows = table.splitlines()
        assert _cells(rows[0]) == ["step", "line", "verdict"] and re.fullmatch(r"\|[ :-]+\|[ :-]+\|[ :-]+\|", rows[1])
        assert all(len(_cells(r)) == 3 for r in rows[2:]) and len(rows) == 3 + len(d["steps"])
        for row, step in zip(rows[3:], d["steps"]):
            assert _cells(row)[0] == str(step["step"]) and step["verdict"] in _cells(row)[2]
            assert _cells(row)[1].startswith("$=$ $") and _cells(row)[1].endswith("$")
    assert texts["markdown"].startswith("## verify: ❌")


def test_the_text_report_alongside_is_quiet(reports):
    _, _, text = reports
    assert "slip" in text and "course" not in text


def test_two_reports_for_the_standard_output_are_refused():
    code, _, err = run("-e", "x = x", "--format", "text", "--format", "json")
    assert code == 2 and "only one report can go to the standard output" in err
    code, _, err = run("-e", "x = x", "-o", "/dev/null", "-o", "/dev/null")
    assert code == 2 and "give -o once for each --format" in err


def test_an_output_goes_with_its_format_and_is_checked_before_the_run(tmp_path):
    before = tmp_path / "before.json"
    code, out, _ = run("-e", "x = x", "-o", str(before), "--format", "json")  # -o before every --format: the first
    assert code == 0 and json.loads(before.read_text())["summary"]["proven"] == 1 and not out
    plain = tmp_path / "plain.txt"
    code, out, _ = run("-e", "x = x", "-o", str(plain))
    assert "1 proven" in plain.read_text() and not out
    code, _, err = run("-e", "x = x", "--format", "junit", "-o", str(tmp_path / "no" / "such" / "r.xml"))
    assert code == 2 and "cannot write" in err
