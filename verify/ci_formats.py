"""Reporters for CI systems: Markdown (a job summary or a PR comment), JUnit XML, and GitHub workflow
annotations. Each takes the same results as the text and JSON reporters."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TextIO

from . import html, instances, report
from .errors import InputError, Note
from .verdict import Status, StepResult

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
                body.append("at " + ", ".join(f"{n} = {v}" for n, v in cx.point) +
                            f": left side = {cx.lhs}, right side = {cx.rhs}")
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
    out.write(ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n")
