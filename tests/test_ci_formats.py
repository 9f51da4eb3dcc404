"""Issue 12, item 2: the report formats CI systems read, each parsed back by an independent parser:
xml.etree for JUnit, the GitHub annotation syntax, the shape of Markdown tables, and the official SARIF
2.1.0 JSON schema (vendored in tests/data/sarif) for SARIF. Several formats in one run, each to its file,
hold the same verdicts."""

from __future__ import annotations

import copy
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

import jsonschema
import pytest
from helpers import ROOT, run

from verify import ci_formats
from verify.errors import InputError, Location
from verify.version import __version__

WRONG = '[[derivation]]\nname = "slip"\nlines = ["diff(exp(2*x), x)", "exp(2*x)"]\n' \
        '[[derivation]]\nname = "broken"\nlines = ["x", "x +* 1"]\n'


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("formats")
    (folder / "wrong.toml").write_text(WRONG)
    files = [str(ROOT / "proofs" / "sigmoid.toml"), str(ROOT / "proofs" / "latex" / "seed.md"), str(folder / "wrong.toml")]
    out = {f: folder / f"report.{f}" for f in ("json", "junit", "github", "markdown", "sarif")}
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


def test_junit_parses_with_a_control_character_in_the_input_and_a_step_without_variables(tmp_path):
    """A control character pasted into a line is written as \\u0001 (XML 1.0 cannot hold it, and a JUnit
    reader rejects the whole file); a refuted step without variables says no empty 'at :'."""
    doc = tmp_path / "c.md"
    doc.write_text("$$\nx \x01 = x\n$$\n\n$$\n2 = 3\n$$\n")
    code, _, err = run(str(doc), "--format", "junit", "-o", str(tmp_path / "c.xml"))
    assert code == 2, err
    cases = ET.parse(tmp_path / "c.xml").getroot().find("testsuite").findall("testcase")
    assert "'\\u0001'" in next(c.find("error").get("message") for c in cases if c.find("error") is not None)
    failure = next(c.find("failure").text for c in cases if c.find("failure") is not None)
    assert "left side = 2, right side = 3" in failure and "at :" not in failure


ANNOTATION = re.compile(r"^::error file=([^,:]+),line=(\d+),col=(\d+),title=([^:]*)::(.+)$")


def test_github_annotations_for_unexpected_steps_and_input_errors(reports):
    data, texts, _ = reports
    *annotations, last = texts["github"].splitlines()
    found = [ANNOTATION.match(a).groups() for a in annotations]
    wanted = [(e["file"], str(e["line"]), str(e["col"])) for e in data["errors"]] + \
        [(u["file"], str(u["line"]), str(u["col"])) for u in data["summary"]["unexpected_steps"]]
    assert [f[:3] for f in found] == wanted and len(found) == 2
    assert last.endswith("1 unexpected; 1 input error")


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
            expected_wrong = step["expected"] != "proven" and step["verdict"] == step["expected"]
            assert ("(as expected)" in _cells(row)[2]) == expected_wrong  # the seed's guessed lines
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


def test_two_reports_for_one_file_are_refused_before_the_run(tmp_path):
    same = tmp_path / "r.txt"
    code, _, err = run("-e", "x = x", "--format", "json", "-o", str(same), "--format", "junit", "-o", str(same))
    assert code == 2 and "the second would overwrite the first" in err and not same.exists()
    code, _, _ = run("-e", "x = x", "--format", "json", "-o", "/dev/null", "--format", "junit", "-o", "/dev/null")
    assert code == 0  # a device, not a file: nothing is lost


def test_an_output_goes_with_its_format_and_is_checked_before_the_run(tmp_path):
    before = tmp_path / "before.json"
    code, out, _ = run("-e", "x = x", "-o", str(before), "--format", "json")  # -o before every --format: the first
    assert code == 0 and json.loads(before.read_text())["summary"]["proven"] == 1 and not out
    plain = tmp_path / "plain.txt"
    code, out, _ = run("-e", "x = x", "-o", str(plain))
    assert "1 proven" in plain.read_text() and not out
    code, _, err = run("-e", "x = x", "--format", "junit", "-o", str(tmp_path / "no" / "such" / "r.xml"))
    assert code == 2 and "cannot write" in err


SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif" / "sarif-schema-2.1.0.json"
URI_REFERENCE = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#\[\]]|%[0-9A-Fa-f]{2})*")


def _uri_reference(text: str) -> bool:
    """RFC 3986 URI-reference: only its characters, each % an escape, and no ':' in the first segment of a
    relative reference (it would read as a scheme). jsonschema checks this format only with extra packages."""
    scheme = re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", text)
    return bool(URI_REFERENCE.fullmatch(text)) and (scheme is not None or ":" not in text.split("/")[0])


def sarif_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    formats = jsonschema.FormatChecker()
    formats.checks("uri-reference")(_uri_reference)
    formats.checks("uri")(lambda t: _uri_reference(t) and ":" in t)
    return cls(schema, format_checker=formats)


def _path(uri: str, base_ids: dict, base_id: str | None) -> Path:
    """The file a SARIF artifact location names, resolved as a consumer would."""
    full = urljoin(base_ids[base_id]["uri"], uri) if base_id else uri
    parts = urlsplit(full)
    assert parts.scheme == "file" and parts.netloc == "", full
    return Path(url2pathname(parts.path))


def test_sarif_is_valid_against_the_official_schema_and_the_schema_rejects_a_broken_log(reports):
    _, texts, _ = reports
    assert texts["sarif"].endswith("}\n") and texts["sarif"].startswith('{\n  "$schema": ')
    log = json.loads(texts["sarif"])
    validator = sarif_validator()
    assert not list(validator.iter_errors(log))
    assert log["$schema"] == validator.schema["id"] and log["version"] == "2.1.0" and len(log["runs"]) == 1
    run_ = log["runs"][0]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "verify" and driver["version"] == __version__
    ids = [r["id"] for r in driver["rules"]]
    assert len(set(ids)) == len(ids) and all(re.fullmatch(r"VERIFY\d{3}", i) for i in ids)
    assert all(r["shortDescription"]["text"] and r["fullDescription"]["text"] for r in driver["rules"])
    assert all(ids[r["ruleIndex"]] == r["ruleId"] for r in run_["results"])
    assert run_["invocations"][0]["executionSuccessful"] is False  # an input error
    # the schema is live: each of these slips in the log is caught
    for path, value in [(("version",), "2.1"), (("runs", 0, "results", 0, "level"), "fatal"),
                        (("runs", 0, "results", 1, "locations", 0, "physicalLocation", "region", "startLine"), 0),
                        (("runs", 0, "results", 1, "message"), "a string, not a message object"),
                        (("runs", 0, "tool", "driver", "rules", 0, "shortDescription"), {"markdown": "no text"}),
                        (("runs", 0, "results", 0, "partialFingerprints", "verifyAlert/v1"), 7),
                        (("runs", 0, "results", 0, "locations", 0, "physicalLocation", "artifactLocation", "uri"),
                         "my wrong.toml"),
                        (("runs", 0, "invocations", 0, "executionSuccessful"), "no"),
                        (("runs", 0, "colour"), "red")]:
        broken = copy.deepcopy(log)
        node = broken
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
        assert list(validator.iter_errors(broken)), path


def test_sarif_has_a_result_for_each_unexpected_step_and_input_error_where_they_are(reports):
    data, texts, _ = reports
    run_ = json.loads(texts["sarif"])["runs"][0]
    results = run_["results"]
    assert len(results) == data["summary"]["unexpected"] + len(data["errors"]) == 2
    wanted = [(e["file"], e["line"], e["col"]) for e in data["errors"]] + \
        [(u["file"], u["line"], u["col"]) for u in data["summary"]["unexpected_steps"]]
    found = []
    for r in results:
        place = r["locations"][0]["physicalLocation"]
        artifact = place["artifactLocation"]
        assert "\\" not in artifact["uri"]
        found.append((_path(artifact["uri"], run_.get("originalUriBaseIds", {}), artifact.get("uriBaseId")),
                      place["region"]["startLine"], place["region"]["startColumn"]))
    assert found == [(Path(os.path.abspath(f)), line, col) for f, line, col in wanted]
    assert [r["ruleId"] for r in results] == ["VERIFY005", "VERIFY001"] and {r["level"] for r in results} == {"error"}
    assert "slip" in results[1]["message"]["text"] and data["errors"][0]["message"] in results[0]["message"]["text"]
    prints = [r["partialFingerprints"]["verifyAlert/v1"] for r in results]
    assert len(set(prints)) == len(prints)
    summary = run_["properties"]["summary"]
    assert {k: summary[k] for k in ("proven", "refuted", "unexpected", "input_errors")} == \
        {k: data["summary"][k] for k in ("proven", "refuted", "unexpected", "input_errors")}


def test_a_sarif_result_for_a_refuted_step_carries_the_counterexample():
    code, out, _ = run("-e", "x^2 = 2*x", "--format", "sarif")
    assert code == 1
    log = json.loads(out)
    assert not list(sarif_validator().iter_errors(log))
    [result] = log["runs"][0]["results"]
    code, out, _ = run("-e", "x^2 = 2*x", "--format", "json")
    [step] = json.loads(out)["derivations"][0]["steps"]
    text = result["message"]["text"]
    assert result["ruleId"] == "VERIFY001" and step["verdict"] == "refuted" and step["counterexample"]
    assert all(f"{n} = {v}" in text for n, v in step["counterexample"].items())
    assert f"left side = {step['values']['lhs']}, right side = {step['values']['rhs']}" in text
    assert "expected proven but is refuted" in text and "x^2 = 2*x" in text
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "%3Ccommand%20line%3E"


def test_sarif_uris_are_encoded_and_a_region_needs_a_line(tmp_path):
    errors = [InputError(Location("odd dir/50%.toml", 0, 0), "no line"), InputError(Location("a.toml", 3, 0), "no col"),
              InputError(Location("/elsewhere/b c.md", 2, 5), "outside")]
    log = ci_formats.sarif([], errors, root=str(tmp_path))
    assert not list(sarif_validator().iter_errors(log))
    places = [r["locations"][0]["physicalLocation"] for r in log["runs"][0]["results"]]
    assert places[0] == {"artifactLocation": {"uri": "odd%20dir/50%25.toml", "uriBaseId": "%SRCROOT%"}}
    assert places[1]["region"] == {"startLine": 3}
    assert places[2] == {"artifactLocation": {"uri": "file:///elsewhere/b%20c.md"},
                         "region": {"startLine": 2, "startColumn": 5}}
    assert log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.as_uri() + "/"
