"""The Python API: check derivations from a program or a notebook.

    import verify
    report = verify.check(["diff(sigma(x), x)", "sigma(x)*(1 - sigma(x))"])
    report.ok, report.steps[0].verdict.status, report.to_json()

Results are the frozen dataclasses the reporters use; each refuted step carries its curves, for the plot
of the HTML report that a notebook shows. An input that cannot be read is an error in the
report, never an exception; only a misuse of the API itself (no lines, or both kinds) raises.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Iterable, Mapping

from . import frontends, report, runner
from .derivation import Derivation
from .errors import InputError, Location, Note
from .frontends import chain
from .frontends.names import PRELUDE
from .frontends.proof_file import check_latex_string

JSON_ESCAPES = ("in JSON and in Python strings a backslash starts an escape (\\t is a tab, so \"\\tanh\" is a tab and "
                "'anh'); double each backslash (\"\\\\tanh\"), or in Python write a raw string (r\"\\tanh\")")
from .verdict import StepResult

__all__ = ["Report", "check", "check_paths"]


@dataclass(frozen=True)
class Report:
    """Every step's result, in input order, with the errors of what could not be read."""

    steps: tuple[StepResult, ...]
    errors: tuple[InputError, ...] = ()
    notes: tuple[Note, ...] = ()

    @property
    def ok(self) -> bool:
        """Every step as expected (proven, unless the input says otherwise) and every input read."""
        return not self.errors and not any(s.unexpected for s in self.steps)

    def to_json(self) -> dict:
        """The JSON report of `verify --format json`, as a dict."""
        return report.as_json(list(self.steps), list(self.errors), list(self.notes))

    def __str__(self) -> str:
        out = io.StringIO()
        report.write_text(list(self.steps), list(self.errors), list(self.notes), out)
        return out.getvalue()

    def _repr_html_(self) -> str:
        """The HTML report, in a frame of its own so that its styles stay out of the notebook."""
        from . import html

        page = html.page(list(self.steps), list(self.errors), list(self.notes))
        return f'<iframe srcdoc="{escape(page)}" style="width: 100%; height: 32em; border: none"></iframe>'


def limits(timeout: float, jobs: int | None) -> None:
    """ValueError unless the time limit is a positive number of seconds and jobs, if given, at least 1."""
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not math.isfinite(timeout) \
            or timeout <= 0:
        raise ValueError("timeout must be a positive number of seconds")
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise ValueError("jobs must be a whole number, 1 or more (or None for the number of cores)")


def context(definitions: Mapping[str, str] | Iterable[str] = (), assume: Iterable[str] = (),
            ) -> tuple[chain.Context, list[InputError]]:
    """The functions, names and hypotheses a chain is read with; errors at <definitions>:k or <assume>:k."""
    for what, given in (("definitions", definitions), ("assume", assume)):
        if isinstance(given, str):
            raise TypeError(f"`{what}` must be a list of strings (or, for definitions, a dict), not one string")
    said = [f"{k} = {v}" for k, v in definitions.items()] if isinstance(definitions, Mapping) else list(definitions)
    found = chain.Context(scope=PRELUDE.defined('under "definitions"'), labels=("<definitions>", "<assume>"))
    errors: list[InputError] = []
    for kind, texts in (("define", said), ("assume", list(assume))):
        for i, text in enumerate(texts, start=1):
            try:
                getattr(found, kind)(text, i)
            except InputError as exc:
                errors.append(exc)
    return found, errors


def derivations(lines: list[str] | None = None, latex: list[str] | None = None,
                definitions: Mapping[str, str] | Iterable[str] = (), assume: Iterable[str] = (),
                name: str = "request") -> tuple[list[Derivation], list[InputError]]:
    """One chain given as its lines (plain or LaTeX), with definitions ({"f(x)": "x^2"} or "f(x) = x^2")
    and hypotheses: the derivation, or the located errors (<lines>:2:5 is line 2, column 5)."""
    if (lines is None) == (latex is None):
        raise TypeError("give the lines of one chain, either as `lines` (plain syntax) or as `latex`")
    rows, kind = (lines, "lines") if lines is not None else (latex, "latex")
    if isinstance(rows, str) or not all(isinstance(r, str) for r in rows):
        raise TypeError(f"`{kind}` must be a list of strings, one line each")
    if kind == "latex":
        for k, row in enumerate(rows, 1):
            try:
                check_latex_string(row, Location(f"<{kind}>", k, 1), JSON_ESCAPES)
            except InputError as exc:
                return [], [exc]
    found, errors = context(definitions, assume)
    if errors:
        return [], errors
    try:
        return [chain.load_lines([(Location(f"<{kind}>", k, 1), t) for k, t in enumerate(rows, 1)], found,
                                 name, Location(f"<{kind}>"))], []
    except InputError as exc:
        return [], [exc]


def check(lines: list[str] | None = None, *, latex: list[str] | None = None,
          definitions: Mapping[str, str] | Iterable[str] = (), assume: Iterable[str] = (),
          timeout: float = runner.DEFAULT_TIMEOUT, explain: bool = True, jobs: int | None = None) -> Report:
    """Check one chain: each pair of consecutive lines is a step."""
    limits(timeout, jobs)
    found, errors = derivations(lines, latex, definitions, assume)
    return Report(tuple(runner.check(found, timeout=timeout, jobs=jobs, explaining=explain, plotting=True)),
                  tuple(errors))


def check_paths(paths: Iterable[str | Path], *, timeout: float = runner.DEFAULT_TIMEOUT, explain: bool = True,
                jobs: int | None = None, exclude: Iterable[str] = ()) -> Report:
    """Check .toml proof files and .md/.tex documents, and every such file in the folders given (without
    what .gitignore or the `exclude` patterns, in the same syntax, skip)."""
    if isinstance(paths, (str, Path)):
        raise TypeError("give a list of paths, such as check_paths(['proofs/'])")
    limits(timeout, jobs)
    loaded = frontends.load_paths([Path(p) for p in paths], exclude=tuple(exclude), jobs=jobs)
    steps = runner.check(list(loaded.derivations), timeout=timeout, jobs=jobs, explaining=explain, plotting=True)
    return Report(tuple(steps), loaded.errors, loaded.notes)
