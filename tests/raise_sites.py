"""Every `raise` of the readers and of the encoder, found with `ast`, and a tracer that records which
of them an input reaches while the CLI reads it. Used by test_raise_sites.py."""

from __future__ import annotations

import ast
import io
import json
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import verify

PACKAGE = Path(verify.__file__).resolve().parent
# the readers (every front end) and the encoder, with what it calls to work out a line's meaning
TARGETS = sorted([*PACKAGE.glob("frontends/**/*.py"), PACKAGE / "derivation.py", PACKAGE / "calculus.py",
                  PACKAGE / "ir.py", PACKAGE / "encode.py"])

Site = tuple[str, int]  # (path relative to the package, line)


def sites() -> dict[Site, str]:
    """Each raise statement, with its text."""
    out = {}
    for path in TARGETS:
        text = path.read_text()
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Raise):
                out[(str(path.relative_to(PACKAGE)), node.lineno)] = ast.get_source_segment(text, node).splitlines()[0]
    return out


@contextmanager
def tracing(wanted: set[Site]):
    """Record the raise sites in `wanted` that run inside the block."""
    hit: set[Site] = set()
    files = {str(PACKAGE / f): f for f, _ in wanted}
    lines = {f: {n for g, n in wanted if g == f} for f, _ in wanted}

    def local(frame, event, arg):
        if event == "line":
            f = files[frame.f_code.co_filename]
            if frame.f_lineno in lines[f]:
                hit.add((f, frame.f_lineno))
        return local

    def outer(frame, event, arg):
        return local if frame.f_code.co_filename in files else None

    previous = sys.gettrace()
    sys.settrace(outer)
    try:
        yield hit
    finally:
        sys.settrace(previous)


@dataclass(frozen=True)
class Run:
    code: int
    report: dict | None
    out: str
    err: str


def run_cli(argv: list[str]) -> Run:
    from verify import cli

    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["--format", "json", *argv], stdout=out, stderr=err)
    text = out.getvalue()
    try:
        report = json.loads(text)
    except ValueError:
        report = None
    return Run(code, report, text, err.getvalue())
