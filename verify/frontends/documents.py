"""Markdown and LaTeX documents: every display-math block, every chain of equalities in it.

Directives in comments (`<!-- verify: ... -->` in Markdown, `% verify: ...` in LaTeX) define
functions and names for the rest of the document, and set expectations or hypotheses for the next
block (or, with `throughout`, for the rest of the document). \\newcommand and its relatives define
macros for the rest of the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import ir
from ..derivation import EXPECTATIONS, Derivation, Line
from ..errors import InputError, Location, Note, once
from . import blocks, indices, latex, syntax
from .names import ALIASES, PRELUDE, Scope, cycle, name as canonical
from .reading import Reading, check_products, constant_head, head_definition
from .source import offset_location, read_text

# display environments, and those that make a display of inline math ($\begin{aligned} ... \end{aligned}$)
ENVIRONMENTS = (r"(?:align|equation|gather|eqnarray|multline|flalign|displaymath|math|aligned|alignedat|gathered|split"
                r"|alignat|xalignat|xxalignat|dmath|dgroup|darray)\*?")
# \begin{alignat}{2}: the number of columns is not part of the math
_ENV_BLOCK = re.compile(r"\\begin\{(" + ENVIRONMENTS + r")\}(?:\{\d+\})?(.*?)\\end\{\1\}", re.S)
_ENV_OPEN = re.compile(r"\\begin\{(" + ENVIRONMENTS + r")\}")
# \[ ... \], but not the \\[2pt] that ends a row with extra space
_DISPLAY = re.compile(r"\$\$(.*?)\$\$|(?<!\\)\\\[(.*?)\\\]", re.S)
# HTML that shows its text as it is: Markdown renderers leave the math in it alone
_HTML_CODE = re.compile(r"<(pre|code|kbd|samp)\b[^>]*>.*?</\1\s*>", re.S | re.I)
# a % comment inside math (not \%)
_MATH_COMMENT = re.compile(r"(?<!\\)%[^\n]*")
# forums' BBCode: [tex]...[/tex], [latex]...[/latex], [math]...[/math]
_BBCODE = re.compile(r"\[(tex|latex|math|itex)\](.*?)\[/\1\]", re.S | re.I)
_FENCE = re.compile(r"^([ \t]*)(```+|~~~+)[ \t]*([\w-]*)[^\n]*\n(.*?)^\1\2[ \t]*$", re.S | re.M)
_MD_DIRECTIVE = re.compile(r"<!--\s*verify:(.*?)-->", re.S)
_TEX_DIRECTIVE = re.compile(r"(?<!\\)%\s*verify:([^\n]*)")
_TEX_COMMENT = re.compile(r"(?<!\\)%[^\n]*")
# what LaTeX does not typeset as math: verbatim text, comments, listings, \iffalse ... \fi, \verb|...|
_TEX_UNRENDERED = re.compile(r"\\begin\{(verbatim\*?|comment|lstlisting|minted|Verbatim|alltt)\}.*?\\end\{\1\}"
                             r"|\\iffalse\b.*?\\fi\b|\\verb\*?([^A-Za-z\s*]).*?\2|\\lstinline([^A-Za-z\s{]).*?\3", re.S)
# Markdown's indented code: lines of four spaces or a tab after a blank line, outside lists
_INDENTED_CODE = re.compile(r"((?:^|\n)[ \t]*\n)((?:(?: {4}|\t)[^\n]*(?:\n|$)|[ \t]*\n)+)")



@dataclass
class _State:
    scope: Scope = PRELUDE
    macros: dict = field(default_factory=dict)
    expect: tuple[str, ...] | None = None
    hypotheses: list[ir.Rel] = field(default_factory=list)
    substitutions: list[tuple[str, ir.Expr]] = field(default_factory=list)
    skip: bool = False
    unread: bool = False  # a comment for the next block could not be read: the block is not checked
    # for the rest of the document
    always_hypotheses: list[ir.Rel] = field(default_factory=list)
    broken: bool = False  # a definition or a document-wide hypothesis could not be read: nothing after is checked
    section: set[str] = field(default_factory=set)  # names a display defined (y = ...), until the next heading
    seen: set[str] = field(default_factory=set)  # names in the math so far, inline math included
    # names the prose defines ("let $t = \\tan(x/2)$"), which verify does not read: name -> (math, where)
    prose: dict[str, tuple[str, Location]] = field(default_factory=dict)
    indices: tuple[indices.Spec, Location] | None = None  # declared for the next block, and where
    always_indices: tuple[indices.Spec, Location] | None = None  # for the rest of the document
    where: tuple[str, Location] | None = None  # the condition on the next block's indices

    def next_block(self) -> "_State":
        return _State(self.scope, self.macros, unread=self.broken, always_hypotheses=self.always_hypotheses,
                      broken=self.broken, section=self.section, seen=self.seen, prose=self.prose,
                      always_indices=self.always_indices)

    def instances(self) -> list[indices.Instance | None]:
        """The instances the next block is checked for: [None] where no indices are declared."""
        declared = [x for x in (self.always_indices, self.indices) if x is not None]
        if not declared:
            if self.where is not None:
                raise InputError(self.where[1], "'where' restricts declared indices; declare them first, as in "
                                                "<!-- verify: indices i = 1..n, n = 2..4 -->")
            return [None]
        spec = declared[0][0].merged(declared[1][0] if len(declared) > 1 else None)
        if self.where is None:
            return indices.instances(spec, declared[-1][1])
        return indices.instances(spec.restricted(self.where[0]), self.where[1])

    def next_section(self) -> None:
        """A heading: what displays defined (y = x^3 in Example 1) does not hold in the next section."""
        self.scope = self.scope.without_names(self.section)
        self.section = set()


@dataclass(frozen=True)
class _Block:
    start: int  # offset of the content in the document
    content: str
    hints: tuple[tuple[int, str], ...] = ()  # hints by the offset of the '=' they stand beside


# a paragraph of Markdown, or an item of a list, that is one $...$ and nothing else is a display
_LONE_DOLLARS = re.compile(r"^[ \t]*(?:[-*+][ \t]+|\d{1,3}[.)][ \t]+)?\$(?!\$)((?:(?!\n[ \t]*\n)[^$])+?)(?<!\\)\$"
                           r"[ \t]*[.,;:]?[ \t]*$", re.M)
# ... and one \(...\), as MathJax pages write inline math
_LONE_PARENS = re.compile(r"^[ \t]*(?:[-*+][ \t]+|\d{1,3}[.)][ \t]+)?\\\(((?:(?!\n[ \t]*\n)(?!\\\)).)+?)\\\)"
                          r"[ \t]*[.,;:]?[ \t]*$", re.M | re.S)
# where a section starts, so that what a display defined ends: headings, and paragraphs that start an example
_MD_HEADING = re.compile(r"^(?:#{1,6}[ \t]|\*\*[^*\n]+\*\*[ \t]*$|(?:\*\*)?(?:Example|Exercise|Problem|Question)"
                         r"\s+\d)", re.M)
_TEX_HEADING = re.compile(r"\\(?:part|chapter|section|subsection|subsubsection|paragraph)\*?\s*[\[{]"
                          r"|\\begin\{(?:example|exercise|problem|question)\}")
# what marks an equals sign as "is defined as"
_DEFINING = re.compile(r"\\coloneqq|\\coloneq|\\triangleq|\\(?:stackrel|overset)\s*\{\s*(?:\\text\{def\}|\\mathrm\{def\}|"
                       r"def|\\Delta)\s*\}\s*\{\s*=\s*\}")
# inline math, whose names count as used before a display that gives one of them a value
_INLINE = re.compile(r"(?<![$\\])\$(?!\$)([^$\n]+?)(?<!\\)\$|\\\((.+?)\\\)", re.S)
_LETTER = re.compile(r"(?<![A-Za-z\\])([A-Za-z])(?![A-Za-z])|\\([A-Za-z]+)")
# equation tables whose cells are inline math, as ProofWiki's pages show them in their text:
# \(\ds L\) \(=\) \(\ds R\) Reason, or $L$ $=$ $R$ Reason, a row a line or all on one line
_CELL = re.compile(r"\\\((.*?)\\\)|(?<![$\\])\$(?!\$)((?:[^$\n]|\\\$)*?)(?<!\\)\$", re.S)
_PARAGRAPH = re.compile(r"(?:[^\n]+\n?)+")
_EMPTY_CELL = re.compile(r"\s*(?:\\ds|\\displaystyle)?\s*")
_BREAK_CELL = re.compile(r"\s*(?:\\ds|\\displaystyle)?\s*\\(?:implies|Rightarrow|Longrightarrow|leadsto|therefore)\s*"
                         r"(?:\\[ ,;:!]|\\quad|\\qquad|\s)*")


def _equation_tables(body: str) -> list[_Block]:
    """Paragraphs made of inline-math cells with a lone '=' cell among them: each becomes a block with
    the cells' delimiters blanked (offsets kept), an implication cell starting a new chain, and the
    text after a row's cells (its reason) as the hint of its step."""
    blocks: list[_Block] = []
    for para in _PARAGRAPH.finditer(body):
        cells = list(_CELL.finditer(para.group(0)))
        inner = [c.group(1) if c.group(1) is not None else c.group(2) for c in cells]
        between = [para.group(0)[a.end():b.start()] for a, b in zip(cells, cells[1:])]
        lone = any(x.strip() == "=" for x in inner)  # a table with a cell for the relation
        running = len(cells) > 1 and all(not t.strip() for t in between) and \
            any(x.lstrip().startswith("=") for x in inner[1:])  # $A = B$ $= C$ $= D$
        if not (lone or running):
            continue
        base = para.start()
        chars = [" " if ch != "\n" else "\n" for ch in para.group(0)]
        hints, last_eq, previous = [], None, None
        relation = [x.strip() == "=" for x in inner]
        for k, (c, text) in enumerate(zip(cells, inner)):
            g = 1 if c.group(1) is not None else 2
            a, b = c.start(g), c.end(g)
            if lone and not relation[k] and not (k and relation[k - 1]) and not (k + 1 < len(cells) and relation[k + 1]) \
                    and not _BREAK_CELL.fullmatch(text):
                continue  # math in a reason ("Derivative of $e^{ax}$") is part of the reason
            if previous is not None:
                reason = re.sub(r"[|\s]+", " ", para.group(0)[previous:c.start()]).strip()
                if reason and last_eq is not None:
                    hints.append((last_eq, reason))
            previous = c.end()
            if text.strip() == "=":
                last_eq = a + text.index("=")
                chars[last_eq] = "="
            elif _BREAK_CELL.fullmatch(text):
                last_eq = None
                chars[max(0, c.start() - 1)], chars[c.start()] = "\\", "\\"
            elif not _EMPTY_CELL.fullmatch(text):
                chars[a:b] = list(text)
        tail = re.sub(r"[|\s]+", " ", para.group(0)[previous:]).strip()
        if tail and last_eq is not None:
            hints.append((last_eq, tail))
        content = "".join(chars)
        start = next(k for k, ch in enumerate(content) if not ch.isspace())
        blocks.append(_Block(base + start, content[start:], tuple((h - start, t) for h, t in hints)))
    return blocks


def _outside_math(body: str, change) -> str:
    """`body` with `change` applied to the text between its display blocks (math renderers take the math
    out before Markdown sees the rest, so an indented line inside \\begin{align} is not code)."""
    def indented(start: int) -> bool:  # the display itself starts an indented code line
        line_start = body.rfind("\n", 0, start) + 1
        before = body[:line_start].rstrip(" \t")
        return (body[line_start:start].startswith("    ") or body[line_start:start].startswith("\t")) and \
            (before.endswith("\n\n") or before == "" or before.endswith("\n") and before[:-1].rstrip(" \t").endswith("\n"))

    spans = sorted((m.start(), m.end()) for pattern in (_DISPLAY, _ENV_BLOCK) for m in pattern.finditer(body)
                   if not indented(m.start()))
    out, at = [], 0
    for s, e in spans:
        if s < at:
            continue
        out += [change(body[at:s]), body[s:e]]
        at = e
    out.append(change(body[at:]))
    return "".join(out)


def _blank_text(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def _blank(m: re.Match) -> str:
    return re.sub(r"[^\n]", " ", m.group(0))


def _spans(text: str, kind: str) -> tuple[list[_Block], list[tuple[int, str]], str, str]:
    """Display blocks and directives, in document order; the text without comments and code, and that
    text without the blocks."""
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
        body = re.sub(r"<!--.*?-->", _blank, body, flags=re.S)  # other comments
        body = re.sub(r"`[^`\n]*`", _blank, body)  # inline code
        body = _HTML_CODE.sub(_blank, body)
        body = _outside_math(body, lambda text: _INDENTED_CODE.sub(lambda m: m.group(1) + _blank_text(m.group(2)), text))
        for b in _equation_tables(body):
            blocks.append(b)
            body = body[:b.start] + re.sub(r"[^\n]", " ", b.content) + body[b.start + len(b.content):]
    else:
        for m in _TEX_DIRECTIVE.finditer(text):
            directives.append((m.start(1), m.group(1)))
        body = _TEX_COMMENT.sub(_blank, text)
        body = _TEX_UNRENDERED.sub(_blank, body)  # verbatim, comment and listing environments, \iffalse, \verb
    taken = [False] * len(body)
    search = _without_macro_bodies(body)  # an equation inside \newcommand{...}{...} is no display
    patterns = [(_DISPLAY, None), (_ENV_BLOCK, 2)]
    if kind == "md":
        patterns += [(_BBCODE, 2), (_LONE_DOLLARS, 1), (_LONE_PARENS, 1)]
    for pattern, group in patterns:
        for m in pattern.finditer(search):
            if any(taken[m.start():m.end()]):
                continue
            g = group or (1 if m.group(1) is not None else 2)
            content = _MATH_COMMENT.sub(_blank, search[m.start(g):m.end(g)])
            blocks.append(_Block(m.start(g), content))
            taken[m.start():m.end()] = [True] * (m.end() - m.start())
    blocks.sort(key=lambda b: b.start)
    outside = "".join(c if not t else " " for c, t in zip(search, taken))
    return blocks, directives, body, outside


def _without_macro_bodies(body: str) -> str:
    """`body` with the definitions of macros blanked (offsets kept); they were read already."""
    for start, end, _ in latex.scan(body, lambda i: Location("", 1, i + 1)):
        body = body[:start] + re.sub(r"[^\n]", " ", body[start:end]) + body[end:]
    return body


def _unclosed(outside: str, kind: str) -> list[tuple[int, str]]:
    """Openings of display math that nothing closes: (offset, what)."""
    found = [(m.start(), "$$") for m in re.finditer(r"\$\$", outside)]
    found += [(m.start(), m.group(0)) for m in _ENV_OPEN.finditer(outside)]
    if kind == "tex":
        found += [(m.start(), "\\[") for m in re.finditer(r"(?<!\\)\\\[", outside)]
    return sorted(found)


class _Document:
    """One reading of a document: for one instance of its indices, or (instance None) for the blocks that
    declare none, which also finds the instances of every block (`families`, by offset)."""

    def __init__(self, text: str, label: str, instance: indices.Instance | None = None,
                 families: dict[int, list[indices.Instance | None]] | None = None):
        self.instance = instance
        self.families = {} if families is None else families
        self.used = False  # some block was read
        self.rank: dict[str, int] = {}  # the place of this reading's instance among each derivation's instances
        self.block_of: dict[str, int] = {}  # where each derivation's block starts
        self.spec_errors: list[InputError] = []  # of indices and where: the same in every reading
        self.text = text
        self.label = label
        self.derivations: list[Derivation] = []
        self.errors: list[InputError] = []
        self.notes: list[Note] = []
        self.last_line: Line | None = None  # a block that starts with '=' continues from here
        self.last_reading: Reading | None = None
        # why a block that starts with '=' would have no line to go on from: the error of the line before it, or
        # what came between (two equations, an inline equation), said at the block
        self.cut: InputError | str | None = None
        self.head_defined: tuple[int, int] | None = None  # (block, offset) of a chain's first line that defines

    def locate_from(self, base: int):
        return lambda i: offset_location(self.label, self.text, base + i)

    def directive(self, offset: int, body: str, state: _State) -> None:
        """`body` is the text after 'verify:', starting at `offset` of the document."""
        start = offset + len(body) - len(body.lstrip())
        text = body.strip()
        m = re.match(r"(\w*)\s*", text)
        word, rest, rest_start = m.group(1), text[m.end():], start + m.end()
        at = self.locate_from(start)(0)
        throughout = word == "throughout"
        if throughout:
            m = re.match(r"(\w*)\s*", rest)
            word, rest, rest_start = m.group(1), rest[m.end():], rest_start + m.end()
            if word not in ("assume", "indices"):
                self.errors.append(InputError(at, "write 'throughout assume ...' or 'throughout indices ...'; "
                                                  "definitions hold for the rest of the document already"))
                return
        if word in ("indices", "where"):
            self.declare(word, rest, self.locate_from(rest_start)(0), throughout, state)
            return
        if self.instance is None and state.always_indices is not None and word != "expect":
            return  # read in each instance, where the indices have values
        try:
            if word == "expect":
                words = tuple(rest.split())
                if not words or any(w not in EXPECTATIONS for w in words):
                    raise InputError(at, "write 'expect' followed by "
                                         f"{', '.join(EXPECTATIONS)} (one per step, or one for every step)")
                state.expect = words
            elif word == "skip":
                state.skip = True
            elif word == "variable":  # <!-- verify: variable \sigma, \mu -->: names, not functions
                names = {canonical(n.strip().lstrip("\\")) for n in rest.split(",") if n.strip()}
                if not names or not all(re.fullmatch(r"[A-Za-z]\w*", n) for n in names):
                    raise InputError(at, "write the names after 'variable', as in variable \\sigma, \\mu")
                state.scope = state.scope.without_functions(names)
            elif word == "assume":
                got = syntax.read_assumption(rest, self.locate_from(rest_start)(0), state.scope, state.macros)
                if isinstance(got, syntax.NameDefinition):
                    state.substitutions.extend(got.pairs())
                    self._check_cycle(state, got, dict(state.substitutions))
                else:
                    (state.always_hypotheses if throughout else state.hypotheses).extend(got)
            elif syntax.function_head(text):
                state.scope = state.scope.with_function(syntax.read_function(text, at, state.scope, state.macros))
            elif re.match(r"[^<>]*?(?<![<>!=:])(:=|=)(?!=)", text):
                got = syntax.read_assumption(text, at, state.scope, state.macros)
                assert isinstance(got, syntax.NameDefinition)
                names = {**state.scope.names, **dict(got.pairs())}
                self._check_cycle(state, got, names)
                state.scope = state.scope.with_names(names)
            else:
                raise InputError(at, "a verify: comment defines a function (f(x) := ...) or a name (y := ...), or "
                                     "says 'assume ...', 'throughout assume ...', 'indices ...', 'where ...', "
                                     "'expect ...' or 'skip'")
        except InputError as exc:
            self.errors.append(exc)
            state.unread = True
            if word not in ("assume", "expect", "skip") or throughout:
                state.broken = True  # a definition: every later block may use it

    def declare(self, word: str, rest: str, at: Location, throughout: bool, state: _State) -> None:
        """`indices i = 1..n, n = 2..4` (for the next block, or with throughout for the rest) and `where i != j`."""
        try:
            if word == "where":
                if not rest.strip():
                    raise InputError(at, "write the condition after 'where', as in where i != j")
                state.where = (rest.strip(), at)
            else:
                spec = indices.parse(rest, at)
                if throughout:
                    state.always_indices = (spec, at)
                else:
                    state.indices = (spec, at)
        except InputError as exc:
            self.spec_errors.append(exc)
            state.unread = True
            state.broken = state.broken or throughout

    def _check_cycle(self, state: _State, got: syntax.NameDefinition, names: dict[str, ir.Expr]) -> None:
        loop = cycle({**state.scope.names, **names})
        if loop:
            raise InputError(got.where, f"{' = ... '.join(loop)}: this definition refers to itself; a name cannot "
                                        "be defined in terms of itself (write an equation as a hypothesis instead)")

    def block(self, b: _Block, state: _State) -> None:
        cut, self.cut = self.cut, None
        masked, above = blocks.mask(b.content)
        above.update(dict(b.hints))
        where = offset_location(self.label, self.text, b.start)
        if self.instance is None:  # the first reading finds each block's instances
            try:
                self.families[b.start] = state.instances()
            except InputError as exc:
                self.spec_errors.append(exc)
                self.families[b.start] = []
        if self.instance not in self.families[b.start]:
            self.last_line = None
            return  # checked in the readings of its instances
        self.used = True
        if state.skip or state.unread:
            why = "its verify: comment asks" if state.skip else "a verify: comment before it could not be read (see the error)"
            self.notes.append(Note(where, f"block skipped, as {why}"))
            self.last_line = None
            return
        if self.definition(b, masked, state):
            return
        try:
            latex.check_braces(masked, self.locate_from(b.start))
        except InputError as exc:
            self.errors.append(exc)
            self.last_line = None
            return
        found = blocks.layout(masked)
        scope = state.scope.with_names({**state.scope.names, **dict(state.substitutions)}).with_variables(None)
        for s, e in found.strays:
            self.errors.append(InputError(self.locate_from(b.start + s)(0), (
                "this part of the display is neither an equation nor a condition; if a comma is a decimal comma, "
                "write a decimal point (1.5), and separate equations with \\\\")))
        for s, e in found.ambiguous:
            self.errors.append(InputError(self.locate_from(b.start + s)(0), (
                "this row starts with '=', but the row above holds two equations, so which one it goes on from is "
                "not clear; align that one with &= (a &= b, \\quad c = d), or write the other in its own display")))
        for s, e in found.other_relations:
            self.notes.append(Note(self.locate_from(b.start + s)(0),
                                   "chain skipped: it holds a relation other than '=' (such as \\approx or <)"))
        if found.expression is not None:  # a lone expression that the next block may continue with '='
            self.notes.append(Note(where, "block skipped: it holds no chain of equalities"))
            s, e = found.expression
            try:
                r = latex.parse_latex(masked[s:e], self.locate_from(b.start + s), scope, macros=state.macros)
                self.last_line = Line(blocks.as_written(b.content[slice(*blocks.widened(b.content, s, e))]), r.expr, self.locate_from(b.start + s)(0),
                                      r.hint, r.notes, r.conditions, True)
                self.last_reading = r
            except InputError as exc:  # an error only if a block goes on from it (\[QED\] is no formula)
                self.cut = exc  # the line it goes on from, whose error says why
                self.last_line = None
            return
        chains = [c for c in found.chains if len(c.lines) >= 2]
        if not chains:
            if not found.other_relations and not found.strays and masked.strip(" \t\n&"):
                self.notes.append(Note(where, "block skipped: it holds no chain of equalities"))
            self.last_line = None
            return
        opens_with_equals = chains[0].lines[0][0] == chains[0].lines[0][1]
        continued = opens_with_equals and self.last_line is not None
        if opens_with_equals and not continued:
            self.errors.append(cut if isinstance(cut, InputError) else InputError(where, cut or (
                "this block starts with '=' but no readable line comes before it")))
            chains[0].lines = chains[0].lines[1:]
        shared = self.conditions(b, masked, found.conditions, scope, state)
        if shared is None:  # a condition that cannot be read: its chains are not checked without it
            self.last_line = None
            return
        hyps = tuple(state.always_hypotheses) + tuple(state.hypotheses) + shared
        for c in chains:
            if c.lines:  # one line left after an unreadable '=' start is still the line the next block goes on from
                own = self.conditions(b, masked, c.conditions, scope, state)
                if own is None:
                    self.last_line = None
                    continue
                scope = state.scope.with_names({**state.scope.names, **dict(state.substitutions)}).with_variables(None)
                self.chain(b, masked, c, above, state, scope, hyps + own, continued and c is chains[0])
        if found.ends_ambiguous:
            self.last_line, self.cut = None, ("this block starts with '=', but the display before it ends with two "
                                              "equations, so which one it goes on from is not clear; write that one "
                                              "again before the '='")

    def definition(self, b: _Block, masked: str, state: _State) -> bool:
        """A display that defines: `f(x) := ...` or `y := ...` (also \\coloneqq, \\triangleq, an = marked
        def), or `f(x) = ...` alone with f no function yet. The function holds for the rest of the
        document, the name until the next heading. True where the block was one."""
        text = _DEFINING.sub(lambda m: ":=" + " " * (len(m.group(0)) - 2), masked)
        head = syntax.function_head(text)
        explicit = ":=" in text
        aligned = syntax.function_head(text.replace("&", " "))  # f(x) &= A \\ &= B
        if aligned is not None and not explicit and not self._known(aligned, state):
            self._chain_head(b, masked, state)
        if head is None and not (explicit and re.match(r"\s*[^=]*?:=", text)):
            return False
        if len(blocks.split_top(text, "=")) > 2 or blocks.has_inequality(blocks.top_level(text)) or "\\\\" in text:
            return False  # more than one definition, or a chain: not a lone definition
        where = self.locate_from(b.start)
        at = where(len(text) - len(text.lstrip()))
        try:
            if head is not None:
                if not explicit and self._known(head, state):
                    return False  # \sigma(x) = \frac{1}{1+e^{-x}}: a claim about a function verify knows
                f = syntax.read_function(text, at, state.scope, state.macros)
                state.scope = state.scope.with_function(f)
                self.notes.append(Note(at, f"{f.name}({', '.join(f.params)}) is defined here, for the rest of the "
                                           "document"))
            else:
                got = syntax.read_assumption(text, at, state.scope, state.macros)
                if not isinstance(got, syntax.NameDefinition):
                    return False
                self._check_cycle(state, got, {**state.scope.names, **dict(got.pairs())})
                state.scope = state.scope.with_names({**state.scope.names, **dict(got.pairs())})
                state.section.update(n for n, _ in got.pairs())
                self.notes.append(Note(at, f"{got.name} is defined here, until the next heading"))
        except InputError as exc:
            self.errors.append(exc)
            if explicit:  # a definition that cannot be read: what comes after may depend on it
                state.broken = True
                self.notes.append(Note(at, "the rest of the document is not checked, since this definition "
                                           "could not be read"))
        self.last_line = None
        return True

    @staticmethod
    def _known(head: re.Match, state: _State) -> bool:
        word = head.group(1) or head.group(2) or head.group(3)
        return canonical(word) in state.scope.functions or word in latex.FUNCTION_COMMANDS \
            or ALIASES.get(word, word) in state.scope.functions

    def _chain_head(self, b: _Block, masked: str, state: _State) -> None:
        """`f(x) = A = B`, with f no function yet (Wikipedia's logistic function): f(x) = A defines f for the
        rest of the document, as `L = A = B` defines L, and the chain is checked from its second line."""
        found = blocks.layout(masked)
        if len(found.chains) != 1 or len(found.chains[0].lines) < 3 or found.strays:
            return
        (s0, e0), (s1, e1) = found.chains[0].lines[:2]
        try:
            name, params, _ = syntax.read_head(masked[s0:e0] + " =", self.locate_from(b.start + s0)(0), state.scope)
            body = syntax.read_body(masked[s1:e1], self.locate_from(b.start + s1)(0), state.scope, frozenset(params),
                                    state.macros)
        except InputError:  # not a definition after all: the chain is read as written, and its errors said
            return
        at = self.locate_from(b.start + s0)(0)
        state.scope = state.scope.with_function(ir.Function(name, params, body))
        self.notes.append(Note(at, f"{masked[s0:e0].strip()} = ... defines {name}({', '.join(params)}) for the rest of "
                                   "the document; the chain is checked from its second line"))
        self.head_defined = (b.start, s0)

    def conditions(self, b: _Block, masked: str, spans, scope: Scope, state: _State) -> tuple[ir.Rel, ...] | None:
        """Statements beside the equations, such as `, \\quad x > 0`: hypotheses of their chains; None
        where one cannot be read (the error is reported)."""
        out: list[ir.Rel] = []
        for s, e in spans:
            try:
                out += latex.read_conditions(masked[s:e], self.locate_from(b.start + s), scope, state.macros)
            except InputError as exc:
                self.errors.append(exc)
                return None
        return tuple(out)

    def _above(self, text: str, at: int, scope: Scope, state: _State) -> tuple[ir.Rel, ...] | None:
        """What is written over an equals sign, read as conditions where it is some (x > 0); None where
        they cannot be read."""
        if not blocks.has_inequality(text):
            return ()
        try:
            return latex.read_conditions(text, self.locate_from(at), scope, state.macros)
        except InputError as exc:
            self.errors.append(exc)
            return None

    def chain(self, b: _Block, masked: str, c: blocks.Chain, above: dict[int, str], state: _State, scope: Scope,
              hyps: tuple[ir.Rel, ...], continued: bool) -> None:
        readings: list[Reading | None] = [self.last_reading] if continued else []
        lines: list[Line | None] = [self.last_line] if continued else []
        spans = c.lines
        extra: list[ir.Rel] = []
        for k, (s, e) in enumerate(spans[1:] if continued else spans):
            n = k + continued
            locate = self.locate_from(b.start + s)
            remark = next((h for at, h in above.items() if spans[n - 1][1] <= at < s), "") if n else ""
            conditions = self._above(remark, b.start + s, scope, state) if remark else ()
            if conditions is None:  # the step's condition cannot be read: neither can the step
                readings.append(None)
                lines.append(None)
                continue
            extra += conditions
            try:
                r = latex.parse_latex(masked[s:e], locate, scope, macros=state.macros)
                readings.append(r)
                lines.append(Line(blocks.as_written(b.content[slice(*blocks.widened(b.content, s, e))]), r.expr, locate(0), r.hint or c.hints.get(n, "")
                                  or remark, r.notes, r.conditions, True))
            except InputError as exc:
                self.errors.append(exc)
                readings.append(None)
                lines.append(None)
        # names the definitions use as variables (y_i in J := ...) are variables: y_i(...) is a product
        also = frozenset(scope.names).union(*(ir.free_names(v) for v in scope.names.values()))
        for k, problem in enumerate(check_products(readings, also, [x.where if x else None for x in lines])):
            if problem is not None:
                self.errors.append(problem)
                lines[k] = None
        if not c.side:
            self.last_line, self.last_reading = lines[-1], readings[-1]
        head = lines[0].expr if lines and lines[0] is not None and not continued else None
        if isinstance(head, ir.Apply) and PRELUDE.functions.get(head.func.name) is head.func and \
                all(isinstance(a, ir.Var) for a in head.args) and len(lines) > 1:
            f = head.func
            lines[0] = replace(lines[0], notes=lines[0].notes + (
                f"{f.name} is built in as {f.name}({', '.join(f.params)}) = {ir.show(f.body)}; if this line defines a "
                f"different {f.name}, say so with <!-- verify: {f.name}({', '.join(f.params)}) := ... -->",))
        if self.head_defined == (b.start, spans[0][0]) and not continued:  # f(x) = A = B: f is A, from here on
            lines, readings = lines[1:], readings[1:]
        constant = constant_head([line.expr if line else None for line in lines], lines[0].text) \
            if lines and lines[0] is not None and not continued else None
        if constant is not None:
            self.errors.append(InputError(lines[0].where, constant))
            return
        # a name the definitions use (p_1 in L := -\\log p_1) but no chain: this line defines it
        defined = head_definition([line.expr if line else None for line in lines],
                                  frozenset(scope.names) | frozenset(scope.functions), hyps) if not continued else None
        used = {n for r in readings if r is not None for n in ir.free_names(r.expr)}
        told = sorted(n for n in used if n in state.prose and n not in scope.names and n != defined)
        first = next((line for line in lines if line is not None), None)
        if told and first is not None:  # checked with t free, the chain would be misread
            math, at = state.prose[told[0]]
            self.errors.append(InputError(first.where, (
                f"{told[0]} is defined in the text (${math}$ at {at.line}:{at.col}), which verify does not read as a "
                f"definition; to check this chain with it, write <!-- verify: {told[0]} := ... --> before it")))
            state.seen |= used
            return
        if defined is not None and lines[1] is not None and len(lines) == 2 and defined in state.seen \
                and not ir.free_names(lines[1].expr):
            # Solve $3x - 6 = 0$ ... $$x = 2$$: a value the text found for x, neither a definition nor an identity
            self.notes.append(Note(lines[0].where, f"{lines[0].text} = {lines[1].text} states a value of {defined}, "
                                                   "which the text used before as a variable (the answer to an "
                                                   "equation, say): it is neither checked nor a definition of "
                                                   f"{defined}; to define it, write <!-- verify: {defined} := ... -->"))
            state.seen |= used
            return
        state.seen |= used
        if defined is not None and lines[1] is not None and cycle({**state.scope.names, defined: lines[1].expr}):
            loop = cycle({**state.scope.names, defined: lines[1].expr})
            self.errors.append(InputError(lines[0].where, f"{' = ... '.join(loop)}: this definition refers to itself "
                                                          "through the ones before it; a name cannot be defined in "
                                                          "terms of itself"))
            return
        if defined is not None and lines[1] is not None:
            self.notes.append(Note(lines[0].where, f"{lines[0].text} = ... defines {defined}, which is defined "
                                                   "nowhere before, until the next heading; the chain is checked "
                                                   "from its second line" if len(lines) > 2 else
                                                   f"{lines[0].text} = ... defines {defined}, which is defined "
                                                   "nowhere before, until the next heading"))
            state.scope = state.scope.with_name(defined, lines[1].expr)
            state.section.add(defined)
            lines = lines[1:]
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
                self.errors.append(InputError(first, f"the expect comment lists {len(expect)} verdicts, but this chain "
                                                     f"has {n} steps"))
                continue
            name = f"{self.label}:{first.line}"
            if any(d.name == name for d in self.derivations):
                name = f"{name}:{first.col}"
            line_conditions = tuple(x for line in run for x in line.conditions)
            self.derivations.append(Derivation(self.label, name, first, tuple(run), hyps + tuple(extra) + line_conditions,
                                               tuple(scope.names.items()), tuple(expect),
                                               self.instance.values if self.instance is not None else ()))
            self.rank[name] = self.families[b.start].index(self.instance)
            self.block_of[name] = b.start


def load(path: Path, label: str, macros: latex.Macros | None = None) -> tuple[list[Derivation], list[InputError],
                                                                                  list[Note]]:
    """The document read once for the blocks that declare no indices, and once more for each instance of
    the blocks that do; the derivations in document order, each instance of a block after the other."""
    return load_text(read_text(path, label), label, "tex" if path.suffix.lower() == ".tex" else "md", macros)


def load_text(text: str, label: str, kind: str, macros: latex.Macros | None = None) -> tuple[list[Derivation],
                                                                                             list[InputError], list[Note]]:
    """The same for the text of a document; `kind` is "md" or "tex"."""
    found = _spans(text, kind)
    first = _read(text, label, kind, found, macros, None, {})
    readings = [first] + [_read(text, label, kind, found, macros, instance, first.families)
                          for instance in dict.fromkeys(i for f in first.families.values() for i in f if i is not None)]
    # the first reading's errors are those of blocks without indices, and of definitions read without them
    errors = [e for doc in readings for e in doc.errors if doc.used or doc is not first or len(readings) == 1]
    errors += first.spec_errors
    for offset, what in _unclosed(found[3], kind):
        closing = "$$" if what == "$$" else "\\]" if what == "\\[" else what.replace("begin", "end")
        errors.append(InputError(offset_location(label, text, offset),
                                 f"this {what} is never closed; add {closing} where the math ends"))
    if not found[0]:
        first.notes.append(Note(Location(label), "no display math found"))
    ranked = sorted(((d.where.line, d.where.col, doc.rank[d.name]), d) for doc in readings for d in doc.derivations)
    expected = {n: len(first.families[start]) for doc in readings for n, start in doc.block_of.items()}
    derivations, short = indices.complete([d for _, d in ranked], expected)
    for _, d in ranked:
        if d.name in short:
            short.remove(d.name)
            first.notes.append(Note(d.where, "not checked: some instances of its indices could not be read (see "
                                             "the error), and a verdict for the others would pass for one about all"))
    notes = [n for doc in readings for n in doc.notes]
    return derivations, once(errors), once(notes)


def _read(text: str, label: str, kind: str, found, macros: latex.Macros | None, instance: indices.Instance | None,
          families: dict[int, list[indices.Instance | None]]) -> _Document:
    doc = _Document(text, label, instance, families)
    blocks, directives, body, outside = found
    spans = [(bl.start, bl.start + len(bl.content)) for bl in blocks]
    definitions = []
    for start, _, item in latex.scan(body, doc.locate_from(0)):
        inside = next((s for s, e in spans if s <= start < e), None)  # a block's own \newcommand comes first
        definitions.append((start if inside is None else inside - 0.5, item))
    headings = [(m.start(), 0, "heading", None) for m in (_TEX_HEADING if kind == "tex" else _MD_HEADING).finditer(body)]
    inline = [(m.start(), 0, "inline", m.group(1) or m.group(2)) for m in _INLINE.finditer(outside)]
    events = sorted([(d[0], 0, "directive", d) for d in directives] + [(m[0], 0, "macro", m[1]) for m in definitions]
                    + [(bl.start, 1, "block", bl) for bl in blocks] + headings + inline, key=lambda e: (e[0], e[1]))
    state = _State(scope=PRELUDE.with_indices(instance).defined("with a verify: comment").reading(body),
                   macros=dict(macros or {}))
    for offset, _, what, item in events:
        if what == "heading":
            state.next_section()
        elif what == "inline":
            state.seen |= _names_in(item)
            name = _prose_definition(body, offset, item, state.scope)
            if name is not None:
                state.prose[name] = (item.strip(), doc.locate_from(offset)(0))
            if _equation(item):  # $\int 2x\,dx = x^2 + C$: a block that starts with '=' may go on from this
                doc.last_line, doc.cut = None, (
                    f"this block starts with '=', but the inline math before it (${item.strip()}$) holds an equation, "
                    "so which line it goes on from is not clear; write that line again before the '='")
        elif what == "block":
            doc.block(_without_definitions(item), state)
            state = state.next_block()
        elif what == "macro":
            if isinstance(item, InputError):
                doc.errors.append(item)
            else:
                state.macros = {**state.macros, item.name: item}
        else:
            doc.directive(item[0], item[1], state)
    return doc


_DEFINING_WORDS = re.compile(r"(?:\blet|\bset|\bdefine|\bdenote|\bwhere|\bput|\bsubstitut\w*|\bwith)\s*$", re.I)


def _prose_definition(body: str, offset: int, math: str, scope: Scope) -> str | None:
    """The name that "let $t = \\tan(x/2)$" (or where, set, define, ...) defines in prose, or None: a name on
    the left, something not a bare number on the right."""
    if not _DEFINING_WORDS.search(body[max(0, offset - 30):offset]):
        return None
    sides = blocks.split_top(math, "=")
    if len(sides) != 2:
        return None
    (s0, e0), (s1, e1) = sides
    try:
        left = latex.parse_latex(math[s0:e0], lambda i: Location("", 1, i + 1), scope.with_variables(None)).expr
        right = latex.parse_latex(math[s1:e1], lambda i: Location("", 1, i + 1), scope.with_variables(None)).expr
    except InputError:
        return None
    return left.name if isinstance(left, ir.Var) and ir.free_names(right) else None


def _equation(math: str) -> bool:
    """The inline math holds an equation, with something on each side of its first '='."""
    sides = blocks.split_top(math, "=")
    return len(sides) > 1 and all(math[s:e].strip() for s, e in sides[:2])


def _names_in(math: str) -> set[str]:
    """The one-letter and Greek names in a piece of inline math, roughly: what it may call a variable."""
    return {m.group(1) or m.group(2) for m in _LETTER.finditer(math)}


def _without_definitions(b: _Block) -> _Block:
    """A block with its \\newcommand definitions blanked out (they were read in document order already)."""
    content = b.content
    for start, end, _ in latex.scan(content, lambda i: Location("", 1, i + 1)):
        content = content[:start] + re.sub(r"[^\n]", " ", content[start:end]) + content[end:]
    return _Block(b.start, content, b.hints)
