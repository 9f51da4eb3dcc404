"""How a display block splits into chains of equalities, the conditions beside them and their hints.

Rows end at \\\\. In an align-like row, `&` separates columns in pairs (`a &= b & c &= d` is two
equations; in eqnarray, `a &=& b`, in threes), and `&& \\text{...}` is a hint. Within a column,
commas, semicolons and a \\quad between two relations separate statements. A statement is an
equation (it has a top-level '='), a condition (an inequality: `x > 0`, `x, y > 0`), a hint (only
text), or the continuation of the line above (it starts with + - \\cdot and has no '='). Anything
else beside an equation is a stray the reader reports, never silently dropped. Every offset is kept,
so errors point into the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import latex

Span = tuple[int, int]

_MASK = re.compile(r"\\(?:begin|end)\{[^{}]*\}(?:\{[^{}]*\}|\[[^\]]*\])?|\\(?:nonumber|notag)\b")
_MASK_ARG = re.compile(r"\\(?:tag|label|intertext)\s*\*?\s*\{[^{}]*\}")
_PHANTOM = re.compile(r"(\\[hv]?phantom\s*\{)([^{}]*)\}")  # \phantom{=}: its argument is blanked, the space stays
_RIGHT_END = re.compile(r"\\(?:right|[bB]igg?r)\s*$")
_ROW = re.compile(r"\\\\(?:\[[^\]]*\])?")
# \overset{\text{chain rule}}{=}, \stackrel{(a)}{=}, \underset{x > 0}{=}: an equals sign with a remark
_ANNOTATED_EQUALS = re.compile(r"\\(?:overset|stackrel|underset)\s*\{((?:[^{}]|\{[^{}]*\})*)\}\s*\{\s*=\s*\}")
_RELATION = re.compile(r"\\(?:leq?|geq?|neq?|lt|gt|leqslant|geqslant|in)(?![A-Za-z])|[<>≤≥≠]")
OTHER_RELATION = re.compile(r"\\(?:approx|sim|simeq|equiv|propto|to|implies|iff|Rightarrow|cong|mapsto)(?![A-Za-z])")
_CONDITION_TEXT = re.compile(r"\\text\s*\{\s*(?:for|if|when|where|for all|for every|for any|provided|assuming|with)\b[^{}]*\}")
_TEXT_ONLY = re.compile(r"(?:\s|\\[,;:! ]|\\q?quad(?![A-Za-z])|[()\[\].,;:]|\\(?:text|textrm|textit|textbf|mbox)\s*\{[^{}]*\}"
                        r"|\\color\s*\{[^{}]*\}|\\(?:small|large|Large|bf|it))*")
_IMPLIES = re.compile(r"\s*\\(?:Rightarrow|implies|Longrightarrow|therefore)(?![A-Za-z])\s*")
_LEADING_SPACE = re.compile(r"(?:\s|~|\{\}|\\[hv]?phantom\s*\{\s*\}|\\hspace\s*\*?\s*\{[^{}]*\}|\\[,;:! ]|\\q?quad(?![A-Za-z])|\\(?:m?kern|hskip)\s*-?[\d.]+\s*(?:em|ex|mu|pt|cm|mm)"
                            r"|\\(?:enspace|thinspace|medspace|thickspace)(?![A-Za-z]))+")
_WIDE_SPACE = re.compile(r"\\q?quad(?![A-Za-z])")
CONTINUES = ("+", "-", "\\cdot", "\\times")


@dataclass
class Chain:
    lines: list[Span]  # the first is empty when the chain goes on from the block before
    conditions: list[Span] = field(default_factory=list)
    hints: dict[int, str] = field(default_factory=dict)  # line k -> the hint of the step that ends at it
    rows: set[int] = field(default_factory=set)  # the rows it has lines in
    side: bool = False  # an equation beside another in a row (`a &= b, \quad c = d`): no later row goes on from it


@dataclass
class Layout:
    chains: list[Chain]
    conditions: list[Span]  # for every chain of the block
    strays: list[Span]  # neither equation, condition, hint nor continuation
    other_relations: list[Span]  # chains with \approx, <, ... that are not checked
    expression: Span | None = None  # the block is one expression and nothing else
    # rows that start with '=' below a row of two equations where neither is aligned with &
    ambiguous: list[Span] = field(default_factory=list)
    ends_ambiguous: bool = False  # the last row holds two equations, neither aligned with &


def _blank(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def mask(content: str) -> tuple[str, dict[int, str]]:
    """The block with environments, tags and labels blanked out (offsets kept, `&` kept for the
    columns), \\boxed{...} unwrapped, and what is written over equals signs, by the offset of the '='."""
    above: dict[int, str] = {}

    def annotated(m: re.Match) -> str:
        blank = " " * len(m.group(0))
        eq = len(blank) // 2
        above[m.start() + eq] = re.sub(r"\\text\s*\{([^{}]*)\}", r"\1", m.group(1)).strip()
        return blank[:eq] + "=" + blank[eq + 1:]

    content = latex.protect_cases(content)
    content = _ANNOTATED_EQUALS.sub(annotated, content)
    content = _unbox(content)
    content = _plain_tex_rows(content)
    content = _PHANTOM.sub(lambda m: m.group(1) + _blank(m.group(2)) + "}", content)
    masked = _MASK.sub(lambda m: _blank(m.group(0)), _MASK_ARG.sub(lambda m: _blank(m.group(0)), content))
    return masked, above


def _plain_tex_rows(content: str) -> str:
    """Plain TeX's \\eqalign{a &= b \\cr &= c} (which MathJax renders): rows as in aligned (offsets kept)."""
    content = _unwrap(content, r"\\eqalign(?:no)?\s*\{")
    return re.sub(r"\\cr(?![A-Za-z])", r"\\\\ ", content)


def _unbox(content: str) -> str:
    """\\boxed{a = b = c}: the box goes, the chain stays (offsets kept)."""
    return _unwrap(content, r"\\boxed\s*\{")


def _unwrap(content: str, opening: str) -> str:
    """`content` with each command matched by `opening` (up to its '{') and its closing '}' blanked."""
    while (m := re.search(opening, content)):
        close = next((i for i, c, depth in latex.braces(content, m.end()) if c == "}" and depth < 0), None)
        if close is None:
            return content
        content = content[:m.start()] + " " * (m.end() - m.start()) + content[m.end():close] + " " + content[close + 1:]
    return content


def depth_scan(text: str):
    """(offset, character, depth) at every character outside control words; depth counts {}, (), []
    and \\left...\\right pairs."""
    depth, i, n = 0, 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            m = re.match(r"\\([A-Za-z]+|.)", text[i:])
            word = m.group(1) if m else ""
            if word in ("left", "right"):
                depth += 1 if word == "left" else -1
                j = i + m.end()
                while j < n and text[j] == " ":
                    j += 1
                i = j + (2 if text[j:j + 1] == "\\" else 1)
                continue
            if word in ("{", "}"):
                depth += 1 if word == "{" else -1
            i += m.end() if m else 1
            continue
        if c in "{([":
            yield i, c, depth
            depth += 1
        elif c in "})]":
            depth -= 1
            yield i, c, depth
        else:
            yield i, c, depth
        i += 1


def split_top(text: str, at: str, shift: int = 0) -> list[Span]:
    """Spans of `text` between top-level occurrences of `at` (for '=': not parts of := <= >= != ==),
    shifted by `shift`."""
    spans, start = [], 0
    for i, c, depth in depth_scan(text):
        if c != at or depth != 0:
            continue
        if at == "=" and ((i and text[i - 1] in ":<>!=") or text[i + 1:i + 2] == "="):
            continue
        spans.append((start + shift, i + shift))
        start = i + 1
    spans.append((start + shift, len(text) + shift))
    return spans


def trim(text: str, s: int, e: int) -> Span:
    m = _LEADING_SPACE.match(text, s)
    if m and m.end() <= e:
        s = m.end()
    while e > s and (text[e - 1].isspace() or text[e - 1] in ".,;&" and text[e - 2:e - 1] != "\\"
                     and not _RIGHT_END.search(text, s, e - 1)):  # \right. closes a \left
        e -= 1
    return s, e


def _columns(text: str, rs: int, re_: int) -> list[Span]:
    """The equations of a row: its `&` columns taken in pairs (threes for eqnarray's a &=& b)."""
    cells = split_top(text[rs:re_], "&", rs)
    if len(cells) == 1:
        return cells
    width = 3 if any(text[a:b].strip() == "=" for a, b in cells) else 2
    return [(cells[k][0], cells[min(k + width, len(cells)) - 1][1]) for k in range(0, len(cells), width)]


def _relations(text: str) -> tuple[bool, bool, bool]:
    """Whether a statement has a top-level '=', an inequality, and another relation (\\approx ...),
    looking only before a trailing \\text{for ...} condition, which its line reads itself."""
    m = _CONDITION_TEXT.search(text)
    head = text[:m.start()] if m else text
    top = top_level(head)
    equals = any(s != e for s, e in split_top(head, "=")[:-1]) or len(split_top(head, "=")) > 1
    return equals, bool(_RELATION.search(top)), bool(OTHER_RELATION.search(head))


def top_level(text: str) -> str:
    """`text` with everything inside brackets and braces blanked (offsets kept)."""
    out = list(text)
    depth, i = 0, 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            m = re.match(r"\\([A-Za-z]+|.)", text[i:])
            word = m.group(1) if m else ""
            step = m.end() if m else 1
            if word in ("left", "right"):
                j = i + step
                while j < len(text) and text[j] == " ":
                    j += 1
                step = j - i + (2 if text[j:j + 1] == "\\" else 1)
                if word == "right":
                    depth -= 1
            elif word in ("{", "}"):
                depth += 1 if word == "{" else -1
            if depth > 0 or word == "right":
                out[i:i + step] = " " * step
            if word == "left":
                depth += 1
            i += step
            continue
        if c in "})]":
            depth -= 1
        if depth > 0:
            out[i] = " "
        if c in "{([":
            depth += 1
        i += 1
    return "".join(out)


def _statements(text: str, cs: int, ce: int) -> list[list[Span]]:
    """A column's statements, in groups: groups end at semicolons; statements end at a \\quad or
    \\qquad that stands between two relations (`a = b \\qquad c = d`, `a = b \\qquad x, y > 0`), and
    then at commas. A condition holds for the equations of its group."""
    groups = []
    for a, b in split_top(text[cs:ce], ";", cs):
        out: list[Span] = []
        groups.append(out)
        start, flat = a, top_level(text[a:b])
        for m in _WIDE_SPACE.finditer(flat):
            cut = a + m.start()
            before, after = text[start:cut], text[a + m.end():b]
            if any(_relations(before)[:2]) and any(_relations(after)[:2]):
                out += split_top(text[start:cut], ",", start)
                start = a + m.end()
        out += split_top(text[start:b], ",", start)
    return groups


def layout(masked: str) -> Layout:
    """The chains of a masked block, the conditions beside them, and what is left over."""
    rows, start = [], 0
    for m in _ROW.finditer(masked):
        rows.append((start, m.start()))
        start = m.end()
    rows.append((start, len(masked)))
    chains: list[Chain] = []
    current: Chain | None = None
    block_conditions: list[Span] = []
    strays: list[Span] = []
    others: list[Span] = []
    expressions: list[Span] = []
    stray_rows: set[int] = set()
    ambiguous: list[Span] = []
    unsure = False  # the row above holds two equations and no & says which one goes on
    told = False
    above: dict[int, Chain | None] = {}  # the chain of each column of the row above, where it has one
    for row, (rs, re_) in enumerate(rows):
        m = _IMPLIES.match(masked, rs)  # \Rightarrow f'(x) = ... at the start of a row, and at its end
        rs = m.end() if m else rs
        tail = re.search(r"\\(?:Rightarrow|implies|Longrightarrow)\s*$", masked[rs:re_])
        re_ = rs + tail.start() if tail else re_
        if not masked[rs:re_].strip(" \t\n&"):
            continue
        placed = [(g, j) for j, (cs, ce) in enumerate(_columns(masked, rs, re_)) for g in _statements(masked, cs, ce)]
        groups = [g for g, _ in placed]
        statements = [(st, n) for n, g in enumerate(groups) for st in g]
        column = [j for g, j in placed for _ in g]
        opens = {column.index(j) for j in set(column) if j > 0}  # a later column's first statement
        in_group: dict[int, list[Chain]] = {}
        group_conditions: dict[int, list[Span]] = {}
        pending_subjects: list[Span] = []
        in_row: list[tuple[Chain, bool]] = []  # the row's equations' chains, and whether the equation holds an &
        for k, ((ss, se), group) in enumerate(statements):
            piece = masked[ss:se]
            if not piece.strip(" \t\n&"):
                continue
            if _TEXT_ONLY.fullmatch(piece.replace("&", " ")):
                if current is not None and current.lines:
                    current.hints[len(current.lines) - 1] = re.sub(r"\\\w+\s*\{([^{}]*)\}", r"\1", piece).strip(
                        " \t\n&()[].,;:\\")
                continue
            equals, inequality, other = _relations(piece)
            lead = _LEADING_SPACE.match(piece.replace("&", " "))
            head = piece.replace("&", " ")[lead.end() if lead else 0:]
            if other and not equals and not inequality:  # \sin x \approx x: a claim verify does not check
                others.append((ss, se))
                current = None
                continue
            if not equals and not inequality:
                if k == 0 and current is not None and current.lines and (head.startswith(CONTINUES) or _dangles(
                        masked, current.lines[-1])):
                    last_s, _ = current.lines[-1]
                    current.lines[-1] = (last_s, se)  # + 1 on its own row goes on the line above
                elif k + 1 < len(statements) and not _relations(masked[slice(*statements[k + 1][0])])[0] \
                        and _relations(masked[slice(*statements[k + 1][0])])[1]:
                    pending_subjects.append((ss, se))  # x, y > 0
                else:
                    strays.append((ss, se))
                    stray_rows.add(row)
                    if k == 0 and current is not None:  # perhaps the end of the line above, which is then cut off
                        stray_rows |= current.rows
                    expressions.append((ss, se))
                continue
            if not equals:
                span = (pending_subjects[0][0], se) if pending_subjects else (ss, se)
                pending_subjects = []
                group_conditions.setdefault(group, []).append(span)
                continue
            if pending_subjects:
                strays.extend(pending_subjects)
                stray_rows.add(row)
                pending_subjects = []
            if other or inequality:
                others.append((ss, se))
                current = None
                continue
            pieces = split_top(piece, "=", ss)
            if k == 0 and current is None and unsure and head.startswith("="):
                if not told:  # once for the rows that go on from it
                    ambiguous.append((ss, se))
                told = True
                continue
            if k in opens and head.startswith("=") and above.get(column[k]) is not None:
                current = above[column[k]]  # a &= b & c &= d \\ &= e & &= f: each column goes on in its own
                current.lines += pieces[1:]
            elif k == 0 and current is not None and head.startswith("="):
                current.lines += pieces[1:]
            elif k == 0 and current is not None and len(pieces) > 1 and \
                    any(_same(masked, pieces[0], c) for c in current.lines) and \
                    not current.conditions and not _own_condition(piece) and \
                    not any(_own_condition(masked[a:b]) for a, b in current.lines):
                current.lines += pieces[1:]  # y' = A \\ y' = B: a row whose left side is a line of the chain goes on
                # (but not cases: |x| = x \quad (x \ge 0) \\ |x| = -x \quad (x < 0) are two claims)
            else:
                current = Chain(list(pieces))
                chains.append(current)
            in_group.setdefault(group, []).append(current)
            current.rows.add(row)
            in_row.append((current, "&" in piece, column[k]))
        everywhere = _distinct(c for c, _, _ in in_row)
        if everywhere:
            above = {j: cs[0] if len(cs) == 1 else None
                     for j in {j for _, _, j in in_row} for cs in [_distinct(c for c, _, i in in_row if i == j)]}
        distinct = _distinct(c for c, _, j in in_row if j == 0)
        if len(distinct) > 1:  # a &= b, \quad c = d: the next row goes on from the equation aligned with &
            aligned = _distinct(c for c, amp, j in in_row if amp and j == 0)
            current = aligned[0] if len(aligned) == 1 else None
            above[0] = current
        elif distinct:
            current = distinct[0]
        for c in everywhere:
            c.side = c is not current
        told = told and unsure and not everywhere
        unsure = len(distinct) > 1 and current is None or unsure and not everywhere
        if pending_subjects:
            strays.extend(pending_subjects)
            stray_rows.add(row)
        for group, spans in group_conditions.items():
            targets = in_group.get(group) or [c for g in sorted(in_group) for c in in_group[g]]
            if not targets:
                block_conditions.extend(spans)
            for c in targets:
                c.conditions.extend(spans)
    chains = [c for c in chains if not c.rows & stray_rows]  # a stray makes its row unreadable
    for c in chains:
        c.lines = [trim(masked, s, e) for s, e in c.lines]
        c.conditions = [trim(masked, s, e) for s, e in c.conditions]
    if chains and len(chains[-1].lines) > 1 and chains[-1].lines[-1][0] == chains[-1].lines[-1][1]:
        chains[-1].lines.pop()  # a block that ends with '=' goes on in the next block
    expression = trim(masked, *expressions[0]) if len(expressions) == 1 and not chains and not others \
        and not block_conditions and len(strays) == 1 else None
    return Layout(chains, [trim(masked, s, e) for s, e in block_conditions],
                  [] if expression else [trim(masked, s, e) for s, e in strays],
                  [trim(masked, s, e) for s, e in others], expression, [trim(masked, s, e) for s, e in ambiguous],
                  unsure or sum(c is not None for c in above.values()) > 1)


def _distinct(chains) -> list[Chain]:
    out: list[Chain] = []
    for c in chains:
        if not any(c is d for d in out):
            out.append(c)
    return out


def _dangles(text: str, span: Span) -> bool:
    """The line ends with an operator (`x^3 + 3x^2 +`), so the next row finishes it."""
    return text[span[0]:span[1]].rstrip(" \t\n&").endswith(CONTINUES)


_OWN_CONDITION = re.compile(r"(?:\\q?quad|\\[,;: ]|~)\s*(?:\\left)?[(\[][^()\[\]]*(?:\\[lg]eq?|\\neq?|[<>≤≥≠])[^()\[\]]*"
                            r"(?:\\right)?[)\]]\s*[.,;]?\s*$|\\text\s*\{\s*(?:for|if|when|where)\b")


def _own_condition(piece: str) -> bool:
    """The line states its own condition: `|x| = x \\quad (x \\ge 0)`, `\\text{for } x > 0`."""
    return bool(_OWN_CONDITION.search(piece))


def _same(text: str, a: Span, b: Span) -> bool:
    squeeze = lambda span: re.sub(r"[\s&]+", "", text[span[0]:span[1]])  # noqa: E731
    return squeeze(a) == squeeze(b) and squeeze(a) != ""


def has_inequality(text: str) -> bool:
    return bool(_RELATION.search(text))


def as_written(original: str) -> str:
    if re.search(r"\\begin\s*\{(?:d?cases|array)", original):  # its rows and columns are part of the formula
        return " ".join(original.split())
    return " ".join(original.replace("&", " ").replace("\\\\", " ").split())


def widened(original: str, s: int, e: int) -> tuple[int, int]:
    """A span of the masked text, in the original: through the \\end{cases} whose mask ends it."""
    m = re.compile(r"\\end\s*\{d?cases\*?\}|\\end\s*\{array\}\s*\\right\s*\.").match(original, e - 1) if e else None
    return (s, m.end()) if m else (s, e)
