"""Reporters for CI systems: Markdown (a job summary or a PR comment), JUnit XML, GitHub workflow
annotations and SARIF 2.1.0 (code scanning). Each takes the same results as the text and JSON reporters.

SARIF rules, one per kind of alert, by what the step is: VERIFY001 step-refuted, VERIFY002 step-unknown,
VERIFY003 step-error, VERIFY004 step-not-as-expected (proven, but expected refuted or unknown), and
VERIFY005 input-error. Ids never change meaning; a new kind of alert takes the next number."""

from __future__ import annotations

import hashlib
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TextIO
from urllib.parse import quote

from . import html, instances, report
from .errors import InputError, Note
from .verdict import Status, StepResult
from .version import __version__

_ICONS = {Status.PROVEN: "✅", Status.REFUTED: "❌", Status.UNKNOWN: "❔", Status.ERROR: "⚠️"}


def _cell(text: str) -> str:
    """Text for a cell of a Markdown table: a | would end the cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _math(r: StepResult, side: str) -> str:
    """A line as inline math: LaTeX as written, else its reading in LaTeX; `|` escaped for the table."""
    written = getattr(r, side)
    tex = written if r.latex else html.plain_latex(written) or getattr(r, f"{side}_tex") or getattr(r, f"{side}_read")
    return f"${_cell(tex)}$"


def _verdict(r: StepResult) -> str:
    v = r.verdict
    text = f"{_ICONS[v.status]} {v.status.value}{instances.about(r)}" + (f" by {v.engine}" if v.engine else "")
    if v.conditions:
        text += " where " + " and ".join(f"`{c}`" for c in v.conditions)
    if v.counterexample and v.counterexample.point:
        text += " at " + ", ".join(f"`{n} = {val}`" for n, val in v.counterexample.point)
    if r.unexpected:
        text += f" **(expected {r.expected})**"
    elif r.expected != "proven":  # a wrong step shown on purpose: its ❌ is what the author expects
        text += " (as expected)"
    return _cell(text)


def write_markdown(results: list[StepResult], errors: list[InputError], notes: list[Note], out: TextIO) -> None:
    ok = not errors and not any(r.unexpected for r in results)
    out.write(f"## verify: {'✅' if ok else '❌'} {report.summary_line(results, errors)}\n\n")
    for (file, name), steps in report.groups(results):
        out.write(f"### {_cell(name if name.startswith(file + ':') else f'{file}: {name}')}\n\n")
        out.write("| step | line | verdict |\n| ---: | --- | --- |\n")
        out.write(f"| | {_math(steps[0], 'lhs')} | |\n")
        for r in steps:
            out.write(f"| {r.step} | $=$ {_math(r, 'rhs')} | {_verdict(r)} |\n")
        out.write("\n")
    if errors:
        out.write("### Input errors\n\n" + "".join(f"- `{e.location}`: {_cell(e.message)}\n" for e in errors) + "\n")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def write_github(results: list[StepResult], errors: list[InputError], notes: list[Note], out: TextIO) -> None:
    """::error annotations for each input error and each step not as expected, then the summary."""
    for e in errors:
        out.write(f"::error file={_escape_property(e.location.file)},line={e.location.line},col={e.location.col},"
                  f"title={_escape_property('verify: input error')}::{_escape_data(e.message)}\n")
    for r in results:
        if r.unexpected:
            cx = r.verdict.counterexample
            at = (" at " + ", ".join(f"{n} = {v}" for n, v in cx.point)) if cx and cx.point else ""
            message = (f"step {r.step} of {r.derivation!r} was expected {r.expected} but is "
                       f"{r.verdict.status.value}{at}: {r.lhs} = {r.rhs}")
            out.write(f"::error file={_escape_property(r.file)},line={r.line},col={r.col},"
                      f"title={_escape_property(f'verify: step not {r.expected}')}::{_escape_data(message)}\n")
    out.write(f"{report.summary_line(results, errors)}\n")


def write_junit(results: list[StepResult], errors: list[InputError], notes: list[Note], out: TextIO) -> None:
    """One <testcase> per step (a failure where it is not as expected, with the counterexample), and one
    per input error."""
    failures = sum(r.unexpected for r in results)
    suite = ET.Element("testsuite", name="verify", tests=str(len(results) + len(errors)), failures=str(failures),
                       errors=str(len(errors)), time=f"{sum(r.verdict.seconds for r in results):.3f}")
    for r in results:
        case = ET.SubElement(suite, "testcase", classname=r.file, name=f"{r.derivation} step {r.step}",
                             file=r.file, line=str(r.line), time=f"{r.verdict.seconds:.3f}")
        if r.unexpected:
            cx = r.verdict.counterexample
            body = [f"{r.lhs} = {r.rhs}", f"{r.verdict.status.value}" + (f": {r.verdict.detail}" if r.verdict.detail
                                                                          else "")]
            if cx:
                at = "at " + ", ".join(f"{n} = {v}" for n, v in cx.point) + ": " if cx.point else ""
                body.append(f"{at}left side = {cx.lhs}, right side = {cx.rhs}")
            if r.diagnosis and r.diagnosis.correction:
                body.append(f"correction (proven): {r.diagnosis.correction}")
            failure = ET.SubElement(case, "failure", type=r.verdict.status.value,
                                    message=f"expected {r.expected} but is {r.verdict.status.value}")
            failure.text = "\n".join(body)
    for e in errors:
        case = ET.SubElement(suite, "testcase", classname=e.location.file, name=f"input error at {e.location}",
                             file=e.location.file, line=str(e.location.line))
        ET.SubElement(case, "error", type="input error", message=e.message).text = f"{e.location}: {e.message}"
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode", xml_declaration=True)
    out.write(_NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n")


# characters XML 1.0 cannot hold even escaped (a control character pasted into a line): shown as \u0001
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

# (id, name, short description, full description); a rule's index in this list is its ruleIndex
_RULES = [
    ("VERIFY001", "step-refuted", "A step is refuted",
     "The two lines of the step differ: verify found a point where the left and right sides have different "
     "values, and the step was not expected to be refuted."),
    ("VERIFY002", "step-unknown", "A step could not be decided",
     "No engine could prove or refute the step within its limits, and the step was expected to be decided."),
    ("VERIFY003", "step-error", "The engines contradict each other on a step",
     "An engine or the encoding of the step contradicts itself: a bug in verify, not in the derivation."),
    ("VERIFY004", "step-not-as-expected", "A step is proven but was expected not to be",
     "The step was marked as expected refuted or unknown, but verify proves it."),
    ("VERIFY005", "input-error", "An input could not be read",
     "A file or an expression could not be read or parsed, so what it holds was not checked."),
]
_RULE_OF = {Status.REFUTED: 0, Status.UNKNOWN: 1, Status.ERROR: 2, Status.PROVEN: 3}
_INPUT_ERROR = 4


def _artifact(file: str, root: str) -> dict:
    """Where a file is, as SARIF names it: a URI relative to `root` (the working directory), with forward
    slashes and percent-encoded, where the file lies under it; else an absolute file: URI."""
    path = os.path.normpath(os.path.join(root, file))
    try:
        rel = os.path.relpath(path, root)
    except ValueError:  # on another drive
        rel = os.pardir
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(rel.replace(os.sep, "/")), "uriBaseId": "%SRCROOT%"}


def _location(artifact: dict, line: int, col: int) -> dict:
    """A SARIF location; a region only where the line (and the column) is known, as SARIF counts from 1."""
    place: dict = {"artifactLocation": artifact}
    if line >= 1:
        place["region"] = {"startLine": line, **({"startColumn": col} if col >= 1 else {})}
    return {"physicalLocation": place}


def _fingerprint(*parts: object) -> str:
    """A hash of what identifies an alert, not where it is: it follows the step when lines move."""
    return hashlib.sha256("\0".join(str(p) for p in parts).encode()).hexdigest()


def _sarif_message(r: StepResult) -> str:
    v = r.verdict
    text = (f"Step {r.step} of {r.derivation!r} was expected {r.expected} but is {v.status.value}"
            f"{instances.about(r)}" + (f" by {v.engine}" if v.engine else "") + f": {r.lhs} = {r.rhs}.")
    if v.conditions:
        text += " It is proven where " + " and ".join(v.conditions) + "."
    cx = v.counterexample
    if cx:
        at = "At " + ", ".join(f"{n} = {val}" for n, val in cx.point) + ": " if cx.point else ""
        text += f" {at}left side = {cx.lhs}, right side = {cx.rhs}."
    if v.detail and v.status is not Status.PROVEN:
        text += f" {v.detail}"
    if r.diagnosis and r.diagnosis.correction:
        text += f" The right side should be (proven): {r.diagnosis.correction}."
    return text


def _result(index: int, message: str, location: dict, fingerprint: str, **properties) -> dict:
    return {"ruleId": _RULES[index][0], "ruleIndex": index, "level": "error", "message": {"text": message},
            "locations": [location], "partialFingerprints": {"verifyAlert/v1": fingerprint},
            **({"properties": properties} if properties else {})}


def sarif(results: list[StepResult], errors: list[InputError], root: str | None = None) -> dict:
    """The SARIF log: a result for each step not as expected and for each input error; file URIs are
    relative to `root`, the working directory by default."""
    root = os.path.abspath(root or os.getcwd())
    alerts = []
    for e in errors:
        where = _artifact(e.location.file, root)
        alerts.append(_result(_INPUT_ERROR, e.message, _location(where, e.location.line, e.location.col),
                              _fingerprint(where["uri"], e.message)))
    for r in results:
        if r.unexpected:
            where = _artifact(r.file, root)
            alerts.append(_result(_RULE_OF[r.verdict.status], _sarif_message(r), _location(where, r.line, r.col),
                                  _fingerprint(where["uri"], r.derivation, r.step, r.lhs, r.rhs),
                                  derivation=r.derivation, step=r.step, verdict=r.verdict.status.value,
                                  expected=r.expected))
    rules = [{"id": rule, "name": name, "shortDescription": {"text": short}, "fullDescription": {"text": full},
              "defaultConfiguration": {"level": "error"}} for rule, name, short, full in _RULES]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "verify", "version": __version__, "semanticVersion": __version__,
                                "rules": rules}},
            "invocations": [{"executionSuccessful": not errors}],
            "originalUriBaseIds": {"%SRCROOT%": {"uri": Path(root).as_uri().rstrip("/") + "/"}},
            "columnKind": "unicodeCodePoints",
            "results": alerts,
            "properties": {"summary": {**report.summary(results), "input_errors": len(errors)}},
        }],
    }


def write_sarif(results: list[StepResult], errors: list[InputError], notes: list[Note], out: TextIO) -> None:
    """SARIF 2.1.0 for code scanning: an alert for each step not as expected and each input error."""
    json.dump(sarif(results, errors), out, indent=2)
    out.write("\n")
