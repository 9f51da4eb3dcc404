"""Reporters: the same results as text for people or as JSON for programs."""

from __future__ import annotations

import json
from dataclasses import asdict
from itertools import groupby
from typing import TextIO

from . import instances, progress
from .version import __version__
from .errors import InputError, Note
from .verdict import Diagnosis, Status, StepResult

FORMAT_VERSION = 2  # 2 keeps every key of 1 and adds version, summary.input_errors, summary.unexpected_steps


def summary(results: list[StepResult]) -> dict[str, int]:
    counts = {s.value: 0 for s in Status}
    for r in results:
        counts[r.verdict.status.value] += 1
    counts["unexpected"] = sum(r.unexpected for r in results)
    return counts


def summary_line(results: list[StepResult], errors: list[InputError]) -> str:
    """The last line of the text report, which the other reports show too."""
    s = summary(results)
    return (f"{plural(len(results), 'step')}: {s['proven']} proven, {s['refuted']} refuted, {s['unknown']} unknown, "
            f"{s['error']} error; {s['unexpected']} unexpected; {plural(len(errors), 'input error')}")


def plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def step_json(r: StepResult) -> dict:
    v = r.verdict
    cx = v.counterexample
    return {
        "step": r.step, "line": r.line, "col": r.col, "lhs": r.lhs, "rhs": r.rhs,
        "lhs_read": r.lhs_read, "rhs_read": r.rhs_read, "hint": r.hint or None, "notes": list(r.notes),
        "verdict": v.status.value, "expected": r.expected,
        "engine": v.engine, "conditions": list(v.conditions),
        "counterexample": dict(cx.point) if cx else None,
        "values": {"lhs": cx.lhs, "rhs": cx.rhs, "difference": cx.difference} if cx else None,
        "seconds": round(v.seconds, 3), "cached": v.cached, "detail": v.detail, "remarks": list(v.remarks),
        "diagnosis": _diagnosis_json(r.diagnosis),
        **({"instance": dict(r.instance) or None,
            "by_instance": [{"instance": dict(i), "verdict": v, "conditions": list(c)} for i, v, c in r.by_instance]}
           if r.instances else {}),
    }


def _diagnosis_json(d: Diagnosis | None) -> dict | None:
    if d is None:
        return None
    out = asdict(d)
    out["tried"] = list(d.tried)
    return out


def groups(results: list[StepResult]) -> list[tuple[tuple[str, str], list[StepResult]]]:
    """The results of each derivation, in order: ((file, name), steps)."""
    return [(key, list(steps)) for key, steps in groupby(results, key=lambda r: (r.file, r.derivation))]


def place(x: InputError | Note) -> dict:
    return {"file": x.location.file, "line": x.location.line, "col": x.location.col, "message": x.message}


def as_json(results: list[StepResult], errors: list[InputError], notes: list[Note] = ()) -> dict:
    return {
        "format": FORMAT_VERSION,
        "version": __version__,
        "derivations": [
            {"file": file, "name": name, "assume": list(steps[0].assumptions),
             **({"instances": [dict(i) for i in steps[0].instances]} if steps[0].instances else {}),
             "steps": [step_json(r) for r in steps]}
            for (file, name), steps in groups(results)
        ],
        "errors": [place(e) for e in errors],
        "skipped": [place(n) for n in notes],
        "summary": _summary_json(results, errors),
    }


def _summary_json(results: list[StepResult], errors: list[InputError]) -> dict:
    return {**summary(results), "input_errors": len(errors),
            "unexpected_steps": [{"file": r.file, "line": r.line, "col": r.col, "derivation": r.derivation,
                                  "step": r.step, "verdict": r.verdict.status.value, "expected": r.expected}
                                 for r in results if r.unexpected]}


def write_json(results: list[StepResult], errors: list[InputError], notes: list[Note], out: TextIO) -> None:
    json.dump(as_json(results, errors, notes), out, indent=2)
    out.write("\n")


def _verdict_line(r: StepResult) -> str:
    v = r.verdict
    head = v.status.value + instances.about(r)
    if v.engine:
        head += f" by {v.engine}"
    head += f" in {v.seconds:.3f} s" + (" (from the cache)" if v.cached else "")
    parts = [head]
    if v.conditions:
        parts.append("where " + " and ".join(v.conditions))
    if v.counterexample:
        cx = v.counterexample
        at = "at " + ", ".join(f"{n} = {val}" for n, val in cx.point) + ": " if cx.point else ""
        parts.append(f"{at}left side = {cx.lhs}, right side = {cx.rhs}"
                     + (f" (they differ by {cx.difference})" if cx.alike and cx.difference else ""))
    return "; ".join(parts)


def _diagnosis_lines(d: Diagnosis | None) -> list[str]:
    """The diagnosis as labelled lines under the verdict."""
    if d is None:
        return []
    if d.tried:  # an unknown step, whose reasons the verdict's detail gives
        return [f"tried: {', '.join(d.tried)}", f"may help: {d.help}"]
    if d.help:  # a step in a form verify does not check
        return [f"may help: {d.help}"]
    rows = []
    if d.derivative:
        rows.append(f"derivative: {d.derivative_of}  =  {d.derivative}")
    if d.correction and d.slip:
        rows.append(f"correction (proven): {d.correction}")
        rows.append(f"the slip: {d.slip}: {d.change}")
        rows.append(f"rule: {d.rule}")
    elif d.correction:
        rows.append(f"no single slip explains the line; it should be (proven): {d.correction}")
    else:
        rows.append("no single slip of the catalogue gives a right side that holds")
    if d.relation:
        rows.append(f"how the sides differ (proven): {d.relation}")
    if d.holds_where:
        rows.append(f"holds where: {d.holds_where}")
    return rows


_COLOURS = {"proven": "32", "refuted": "31", "unknown": "33", "error": "35", "unexpected": "1;31"}


def use_colour(out: TextIO, environ: dict[str, str]) -> bool:
    """Colour on a terminal, never when piped or when NO_COLOR is set (https://no-color.org)."""
    return progress.terminal(out) and not environ.get("NO_COLOR") and environ.get("TERM") != "dumb"


def write_text(results: list[StepResult], errors: list[InputError], notes: list[Note], out: TextIO,
               show_reading: bool = False, colour: bool = False, quiet: bool = False) -> None:
    """The text report; with `quiet`, only the steps not as expected, the errors and the summary."""
    for _, steps in groups(results):
        write_derivation(steps, out, show_reading, colour, quiet)
    write_end(results, errors, notes, out, colour, quiet)


def _paint(text: str, what: str, colour: bool) -> str:
    return f"\x1b[{_COLOURS[what]}m{text}\x1b[0m" if colour else text


def write_derivation(steps: list[StepResult], out: TextIO, show_reading: bool = False, colour: bool = False,
                     quiet: bool = False) -> None:
    """The part of the text report about one derivation, given the results of its steps."""
    if quiet:
        steps = [r for r in steps if r.unexpected]
        if not steps:
            return
    file, name = steps[0].file, steps[0].derivation
    out.write(f"{name}\n" if name.startswith(f"{file}:") else f"{file}: {name}\n")
    family = steps[0].instances
    if len(family) > 1:
        out.write("".join(f"  {line}\n" for line in instances.listing(family)))
    if family and steps[0].assumptions:
        out.write(f"  assuming, for {instances.show(steps[0].instance or family[0])}:\n")
    for a in steps[0].assumptions:
        out.write(f"    {a}\n" if family else f"  assuming {a}\n")
    for r in steps:
        mark = "" if not r.unexpected else _paint(f"   <-- expected {r.expected}", "unexpected", colour)
        pad = " " * len(str(r.step))
        out.write(f"  step {r.step}: {r.lhs}\n")
        out.write(f"      {pad}= {r.rhs}" + (f"      ({r.hint})" if r.hint else "") + "\n")
        if show_reading or ((r.latex or r.instances) and r.verdict.status is not Status.PROVEN):
            out.write(f"      read as: {r.lhs_read}\n")
            out.write(f"             = {r.rhs_read}\n")
        for note in r.notes:
            out.write(f"      note: {note}\n")
        line = _verdict_line(r)
        status = r.verdict.status.value
        out.write(f"      {_paint(status, status, colour)}{line[len(status):]}{mark}\n")
        if r.verdict.detail and r.verdict.status is not Status.PROVEN:
            out.write(f"      {r.verdict.detail}\n")
        for remark in r.verdict.remarks:
            out.write(f"      {remark}\n")
        for line in _diagnosis_lines(r.diagnosis):
            out.write(f"      {line}\n")
    out.write("\n")


def write_end(results: list[StepResult], errors: list[InputError], notes: list[Note], out: TextIO,
              colour: bool = False, quiet: bool = False) -> None:
    """The end of the text report: notes, errors, the steps not as expected, and the summary."""
    for n in () if quiet else notes:
        out.write(f"{n.location}: note: {n.message}\n")
    for e in errors:
        out.write(f"{e.location}: {_paint('error', 'unexpected', colour)}: {e.message}\n")
    for r in results:
        if r.unexpected:
            out.write(f"{r.file}:{r.line}:{r.col}: {_paint('error', 'unexpected', colour)}: step {r.step} of "
                      f"{r.derivation!r} was expected {r.expected} but is {r.verdict.status.value}\n")
    out.write(summary_line(results, errors) + "\n")


def jsonl_step(r: StepResult) -> dict:
    """A line of the JSON lines report: one step, with its derivation, in the JSON report's step shape."""
    return {"kind": "step", "file": r.file, "derivation": r.derivation, "assume": list(r.assumptions), **step_json(r)}


def jsonl_start(errors: list[InputError], notes: list[Note]) -> list[dict]:
    """The first lines of the JSON lines report: what could not be read, and what was skipped."""
    return [{"kind": "error", **place(e)} for e in errors] + [{"kind": "skipped", **place(n)} for n in notes]


def jsonl_end(results: list[StepResult], errors: list[InputError]) -> dict:
    """The last line of the JSON lines report."""
    return {"kind": "summary", "format": FORMAT_VERSION, "version": __version__, **_summary_json(results, errors)}
