"""Markdown and LaTeX documents: every display-math block, every chain of equalities in it.

Directives in comments (`<!-- verify: ... -->` in Markdown, `% verify: ...` in
LaTeX) define functions for the rest of the document, and set expectations or
hypotheses for the next block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import ir
from ..derivation import EXPECTATIONS, Derivation, Line
from ..errors import InputError, Location, Note
from . import latex
from .names import PRELUDE, Definition, Scope
from .source import offset_location, read_text

ENVIRONMENTS = r"(?:align|equation|gather|eqnarray|multline|flalign)\*?"
_ENV_BLOCK = re.compile(r"\\begin\{(" + ENVIRONMENTS + r")\}(.*?)\\end\{\1\}", re.S)
_DISPLAY = re.compile(r"\$\$(.*?)\$\$|\\\[(.*?)\\\]", re.S)
_FENCE = re.compile(r"^([ \t]*)(```+|~~~+)[ \t]*([\w-]*)[^\n]*\n(.*?)^\1\2[ \t]*$", re.S | re.M)
_MD_DIRECTIVE = re.compile(r"<!--\s*verify:(.*?)-->", re.S)
_TEX_DIRECTIVE = re.compile(r"(?<!\\)%\s*verify:([^\n]*)")
_TEX_COMMENT = re.compile(r"(?<!\\)%[^\n]*")
_MASK = re.compile(r"\\(?:begin|end)\{[^{}]*\}(?:\{[^{}]*\})?|\\(?:nonumber|notag)\b|&")
_MASK_ARG = re.compile(r"\\(?:tag|label|text|textrm|mbox|intertext)\s*\{[^{}]*\}")
_ROW = re.compile(r"\\\\(?:\[[^\]]*\])?")
_OTHER_RELATION = re.compile(r"\\(?:approx|leq?|geq?|neq?|ne|sim|simeq|equiv|propto|to|implies|iff|Rightarrow)\b|[<>]")
_HEAD = re.compile(
    r"\s*(?:\\operatorname\{([A-Za-z]\w*)\}|\\([A-Za-z]+)|([A-Za-z]))\s*\(([^()]*)\)\s*:?=(?!=)"
)
CONTINUES = ("+", "-", "\\cdot", "\\times")


@dataclass
class _State:
    scope: Scope = PRELUDE
    expect: tuple[str, ...] | None = None
    hypotheses: list[ir.Rel] = field(default_factory=list)
    substitutions: list[tuple[str, ir.Expr]] = field(default_factory=list)
    skip: bool = False


@dataclass(frozen=True)
class _Block:
    start: int  # offset of the content in the document
    content: str


def _blank(m: re.Match) -> str:
    return re.sub(r"[^\n]", " ", m.group(0))


def _spans(text: str, kind: str) -> tuple[list[_Block], list[tuple[int, str]]]:
    """Display blocks and directives, in document order."""
    blocks: list[_Block] = []
    directives: list[tuple[int, str]] = []
    if kind == "md":
        body = text
        for m in _FENCE.finditer(text):
            if m.group(3) == "math":
                blocks.append(_Block(m.start(4), m.group(4)))
            body = body[: m.start()] + _blank(m) + body[m.end():]
        for m in _MD_DIRECTIVE.finditer(body):
            directives.append((m.start(1), m.group(1)))
        body = _MD_DIRECTIVE.sub(_blank, body)
        body = re.sub(r"`[^`\n]*`", _blank, body)  # inline code
    else:
        for m in _TEX_DIRECTIVE.finditer(text):
            directives.append((m.start(1), m.group(1)))
        body = _TEX_COMMENT.sub(_blank, text)
    taken = [False] * len(body)
    for pattern, group in ((_DISPLAY, None), (_ENV_BLOCK, 2)):
        for m in pattern.finditer(body):
            if any(taken[m.start():m.end()]):
                continue
            g = group or (1 if m.group(1) is not None else 2)
            blocks.append(_Block(m.start(g), body[m.start(g):m.end(g)]))
            taken[m.start():m.end()] = [True] * (m.end() - m.start())
    blocks.sort(key=lambda b: b.start)
    return blocks, directives


def _split_top(text: str, at: str) -> list[tuple[int, int]]:
    """Spans of `text` between top-level (brace depth 0) occurrences of `at`, not parts of := <= >= != ==."""
    spans, start = [], 0
    for i, c, depth in latex.braces(text):
        if c == at and depth == 0 and (i == 0 or text[i - 1] not in ":<>!=") and text[i + 1:i + 2] != "=":
            spans.append((start, i))
            start = i + 1
    spans.append((start, len(text)))
    return spans


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ".,;"):
        e -= 1
    return s, e


def chains(masked: str) -> list[list[tuple[int, int]]]:
    """The chains of equalities in a masked block, as spans of their lines."""
    rows, start = [], 0
    for m in _ROW.finditer(masked):
        rows.append((start, m.start()))
        start = m.end()
    rows.append((start, len(masked)))
    out: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    for rs, re_ in rows:
        row = masked[rs:re_]
        if not row.strip():
            continue
        pieces = [(rs + a, rs + b) for a, b in _split_top(row, "=")]
        head = row.lstrip()
        if head.startswith("=") and current:
            current += pieces[1:]
        elif current and head.startswith(CONTINUES):
            last_s, _ = current[-1]
            current[-1] = (last_s, pieces[0][1])
            current += pieces[1:]
        else:
            if current:
                out.append(current)
            current = pieces
    if current:
        out.append(current)
    trimmed = [[_trim(masked, s, e) for s, e in c] for c in out]
    if trimmed and len(trimmed[-1]) > 1 and trimmed[-1][-1][0] == trimmed[-1][-1][1]:
        trimmed[-1].pop()  # a block that ends with '=' goes on in the next block
    return trimmed


def mask(content: str) -> str:
    """The block with environments, alignment, tags and labels blanked out; offsets are kept."""
    return _MASK.sub(_blank, _MASK_ARG.sub(_blank, content))


def _as_written(original: str) -> str:
    return " ".join(original.replace("&", " ").replace("\\\\", " ").split())


class _Document:
    def __init__(self, text: str, label: str):
        self.text = text
        self.label = label
        self.derivations: list[Derivation] = []
        self.errors: list[InputError] = []
        self.notes: list[Note] = []
        self.last_line: Line | None = None  # a block that starts with '=' continues from here

    def locate_from(self, base: int):
        return lambda i: offset_location(self.label, self.text, base + i)

    def directive(self, offset: int, body: str, state: _State) -> None:
        """`body` is the text after 'verify:', starting at `offset` of the document."""
        start = offset + len(body) - len(body.lstrip())
        text = body.strip()
        m = re.match(r"(\w*)\s*", text)
        word, rest, rest_start = m.group(1), text[m.end():], start + m.end()
        try:
            if word == "expect":
                words = tuple(rest.split())
                if not words or any(w not in EXPECTATIONS for w in words):
                    raise InputError(self.locate_from(start)(0), "write 'expect' followed by "
                                     f"{', '.join(EXPECTATIONS)} (one per step, or one for every step)")
                state.expect = words
            elif word == "skip":
                state.skip = True
            elif word == "assume":
                got = self.assumption(rest, rest_start, state.scope)
                if isinstance(got[0], str):
                    state.substitutions.append(got)
                else:
                    state.hypotheses.extend(got)
            else:
                state.scope = state.scope.with_function(self.definition(text, start, state.scope))
        except InputError as exc:
            self.errors.append(exc)

    def definition(self, text: str, offset: int, scope: Scope) -> Definition:
        locate = self.locate_from(offset)
        m = _HEAD.match(text)
        if not m:
            raise InputError(locate(0), "a verify: comment must define a function, as in \\sigma(x) := \\frac{1}{1+e^{-x}}, "
                                        "or say 'expect refuted', 'assume ...' or 'skip'")
        name = m.group(1) or m.group(2) or m.group(3)
        params = tuple(p.strip().lstrip("\\") for p in m.group(4).split(","))
        if name in latex.FUNCTION_COMMANDS or name in ir.CONSTANTS or name == "e":
            raise InputError(locate(0), f"{name!r} is built in and cannot be redefined; choose another name")
        if not all(re.fullmatch(r"[A-Za-z]\w*", p) for p in params) or len(set(params)) != len(params):
            raise InputError(locate(m.start(4)), "the parameters must be different names, as in f(x, y)")
        body = latex.parse_latex(text[m.end():], lambda i: locate(m.end() + i), Scope(scope.functions, None), frozenset(params))
        return Definition(name, params, body)

    def assumption(self, text: str, offset: int, scope: Scope) -> tuple[str, ir.Expr] | tuple[ir.Rel, ...]:
        """`name = expr` (a substitution) or a chain of inequalities, like plain.parse_assumption."""
        locate = self.locate_from(offset)
        m = re.match(r"\s*([A-Za-z]\w*)\s*=(?!=)", text)
        if m:
            return (m.group(1), latex.parse_latex(text[m.end():], lambda i: locate(m.end() + i), scope))
        parts = re.split(r"(\\leq?|\\geq?|\\neq?|<=|>=|!=|<|>)", text)
        if len(parts) < 3:
            raise InputError(locate(0), "write a hypothesis such as 'assume x > 0' or 'assume 0 < p < 1'")
        ops = {"<": "<", ">": ">", "\\le": "<=", "\\leq": "<=", "<=": "<=", "\\ge": ">=", "\\geq": ">=",
               ">=": ">=", "\\ne": "!=", "\\neq": "!=", "!=": "!="}
        sides, pos = [], 0
        for k, part in enumerate(parts):
            if k % 2 == 0:
                sides.append(latex.parse_latex(part, (lambda p: lambda i: locate(p + i))(pos), scope))
            pos += len(part)
        return tuple(ir.Rel(ops[op], a, b) for op, a, b in zip(parts[1::2], sides, sides[1:]))

    def block(self, b: _Block, state: _State) -> None:
        masked = mask(b.content)
        where = offset_location(self.label, self.text, b.start)
        if state.skip:
            self.notes.append(Note(where, "block skipped, as its verify: comment asks"))
            self.last_line = None
            return
        try:
            latex.check_braces(masked, self.locate_from(b.start))
        except InputError as exc:
            self.errors.append(exc)
            self.last_line = None
            return
        found = [c for c in chains(masked) if len(c) >= 2]
        opens_with_equals = bool(found) and found[0][0][0] == found[0][0][1]
        continued = opens_with_equals and self.last_line is not None
        if opens_with_equals and not continued:
            self.errors.append(InputError(where, "this block starts with '=' but no readable line comes before it"))
            found[0] = found[0][1:]
        if not found:
            self.notes.append(Note(where, "block skipped: it holds no chain of equalities"))
            return
        hyps, subs = tuple(state.hypotheses), tuple(state.substitutions)
        for spans in found:
            if any(_OTHER_RELATION.search(masked[s:e]) for s, e in spans):
                self.notes.append(Note(offset_location(self.label, self.text, b.start + spans[0][0]),
                                       "chain skipped: it holds a relation other than '=' (such as \\approx or <)"))
                continue
            self.chain(b, masked, spans, state, hyps, subs, continued and spans is found[0])

    def chain(self, b: _Block, masked: str, spans, state: _State, hyps, subs, continued: bool) -> None:
        lines: list[Line | None] = [self.last_line] if continued else []
        for s, e in spans[1:] if continued else spans:
            locate = self.locate_from(b.start + s)
            try:
                expr = latex.parse_latex(masked[s:e], locate, state.scope)
                lines.append(Line(_as_written(b.content[s:e]), expr, locate(0)))
            except InputError as exc:
                self.errors.append(exc)
                lines.append(None)
        self.last_line = lines[-1]
        runs, run = [], []
        for line in lines + [None]:
            if line is None:
                if len(run) >= 2:
                    runs.append(run)
                run = []
            else:
                run.append(line)
        for run in runs:
            first = run[0].where
            n = len(run) - 1
            expect = state.expect or ()
            if len(expect) == 1:
                expect = expect * n
            elif expect and len(expect) != n:
                self.errors.append(InputError(first, f"the expect comment lists {len(expect)} verdicts, but this chain has {n} steps"))
                continue
            name = f"{self.label}:{first.line}"
            if any(d.name == name for d in self.derivations):
                name = f"{name}:{first.col}"
            self.derivations.append(Derivation(self.label, name, first, tuple(run), hyps, subs, tuple(expect)))


def load(path: Path, label: str) -> tuple[list[Derivation], list[InputError], list[Note]]:
    text = read_text(path, label)
    kind = "tex" if path.suffix.lower() == ".tex" else "md"
    doc = _Document(text, label)
    blocks, directives = _spans(text, kind)
    events = sorted([(d[0], 0, d) for d in directives] + [(bl.start, 1, bl) for bl in blocks], key=lambda e: (e[0], e[1]))
    state = _State()
    for _, is_block, item in events:
        if is_block:
            doc.block(item, state)
            state = _State(scope=state.scope)
        else:
            doc.directive(item[0], item[1], state)
    if not blocks:
        doc.notes.append(Note(Location(label), "no display math found"))
    return doc.derivations, doc.errors, doc.notes
