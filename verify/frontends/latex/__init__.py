"""LaTeX lines as people write them: tokens, macros, cleaning, then the reader.

Every token is either understood or reported with its location; nothing is dropped silently and
nothing is evaluated. The reader builds the intermediate form directly, so SymPy never simplifies a
line before its domain is known.
"""

from __future__ import annotations

import re

from ... import ir
from ...errors import InputError
from ..names import PRELUDE, Scope
from ..reading import Reading
from .cases import protect as protect_cases
from .commands import CONDITION_WORDS_TEXT, END_MARKS, FUNCTION_COMMANDS, GREEK, PROSE, RELATIONS, clean
from .lexer import Locate, Token, braces, check_braces, tokenize
from .macros import Macro, Macros, expand, from_table, scan
from .parts import MAX_RUNS
from .reader import Reader

MAX_CHARS = 20_000

__all__ = ["FUNCTION_COMMANDS", "Macro", "Macros", "Reading", "braces", "check_braces", "from_table", "parse_latex",
           "read_conditions", "scan", "tokenize"]


def parse_latex(text: str, locate: Locate, scope: Scope = PRELUDE, bound: frozenset[str] = frozenset(),
                macros: Macros | None = None) -> Reading:
    """Read one LaTeX line; `locate(i)` gives the location of character i of `text`."""
    if len(text) > MAX_CHARS:
        raise InputError(locate(0), f"this line is {len(text)} characters long; the limit is {MAX_CHARS}")
    if not text.strip():
        raise InputError(locate(0), "this line is empty; write an expression")
    check_braces(text, locate)
    text = protect_cases(text)
    tokens = clean(expand(tokenize(text, locate), macros or {}, locate), locate)
    body, hint, condition, remarks = _peel(tokens, locate)
    if not body:
        raise InputError(locate(0), "this line holds no formula, only text")
    try:
        reader = _read(body, locate, scope, bound)
        conditions = _conditions(condition, locate, scope, bound) if condition else ()
    except RecursionError:
        raise InputError(locate(0), "the expression is nested too deeply") from None
    st = reader.state
    return Reading(reader.result, hint, (*remarks, *st.notes), conditions, tuple(st.products), frozenset(st.variables),
                   tuple(st.operators))


LABEL = re.compile(r"\d+(\.\d+)*[a-z]?|[A-Za-z]|[ivxIVX]+|\*{1,3}|[A-Z]\.?\d+(\.\d+)*")
FONTS = ("mathrm", "textrm", "mathit", "textit", "mathsf")


def _peel(tokens: list[Token], locate: Locate) -> tuple[list[Token], str, list[Token], list[str]]:
    """The formula, its hints (\\quad \\text{(chain rule)}, a leading \\text{so}), a trailing condition
    (\\text{for } x > 0, \\quad (x > 0), \\quad if\\ x > 0), and remarks on what was set aside (an
    equation number \\qquad (3))."""
    start, end = 0, len(tokens)
    remarks: list[str] = []

    def punctuation() -> None:
        nonlocal end
        while end > start and (tokens[end - 1].kind == "char" and tokens[end - 1].text in ".,;:█∎□"
                               and not (tokens[end - 1].text == "." and end - 2 >= start and tokens[end - 2].is_cmd("right"))
                               or tokens[end - 1].kind == "cmd" and tokens[end - 1].text in END_MARKS):
            end -= 1

    hints: list[str] = []
    while start < len(tokens) and tokens[start].kind == "text" and _is_prose(tokens[start].text):
        hints.append(tokens[start].text.strip())  # \text{so}\quad x = ...: a word that leads into the line
        start += 1
        while start < len(tokens) and tokens[start].is_char(",", ":"):
            start += 1
    lead = len(hints)
    punctuation()
    while end > start:
        last = tokens[end - 1]
        opener = _opening(tokens, end - 1) if last.is_char(")", "]") else None
        inner = tokens[opener + 1:end - 1] if opener is not None else []
        if last.kind == "text" and not (end - 1 > start and (tokens[end - 2].is_char("_", "^", "+", "-", "*", "/", "=")
                                                              or tokens[end - 2].is_cmd("cdot", "times", "div"))) and (
                _is_prose(last.text) or last.gap):
            hints.insert(lead, last.text.strip())  # not x_\text{max}, 2\text{loss} nor 1 - \text{loss}
            end -= 1
        elif opener is not None and len(inner) == 1 and inner[0].kind == "text":
            hints.insert(lead, inner[0].text.strip())
            end = opener
        elif opener is not None and tokens[opener].gap and _font_words(inner):
            hints.insert(lead, _font_words(inner))  # \quad (\mathrm{expand})
            end = opener
        elif opener is not None and last.is_char(")") and inner and all(u.kind == "char" for u in inner) \
                and LABEL.fullmatch("".join(u.text for u in inner)) and tokens[opener].gap and opener > start:
            label = "(" + "".join(u.text for u in inner) + ")"
            if not tokens[opener].wide:
                raise InputError(locate(tokens[opener].start), f"{label} after a small space could be an equation "
                                 f"number or a factor; write \\qquad {label} or \\tag{{...}} for a number, or "
                                 "\\cdot for a product")
            remarks.append(f"{label} after the wide space at the end of the line is read as an equation number")
            end = opener
        else:
            break
        punctuation()
    condition: list[Token] = []
    inside, depth = set(), 0  # tokens inside braces: the rows of \begin{cases} hold their own conditions
    for k in range(start, end):
        depth -= tokens[k].is_char("}")
        if depth > 0:
            inside.add(k)
        depth += tokens[k].is_char("{")
    for k in range(end - 1, start - 1, -1):
        t = tokens[k]
        if k in inside:
            continue
        if t.kind == "text":
            word = t.text.strip().lower().lstrip("([").strip()
            if word in ("and", ","):  # \text{for } x > 0 \text{ and } x < 2
                continue
            if word in CONDITION_WORDS_TEXT:
                condition, end = tokens[k + 1:end], k
                punctuation()
                if word in ("for all", "for every", "for any") and k + 1 < len(tokens) and all(
                        u.kind == "char" and (u.text.isalpha() or u.text == ",") or u.is_cmd(*GREEK) for u in condition):
                    remarks.append(f"'{t.text.strip()} {' '.join(u.text for u in condition if u.text != ',')}' states "
                                   "no condition: every real value is meant")
                    condition = []
            break
        word = _spaced_word(tokens, k, end)
        if word in CONDITION_WORDS_TEXT and tokens[k].gap and k > start:  # \quad if\ x > 0
            condition, end = tokens[k + len(word):end], k
            punctuation()
            break
    if not condition and end - start >= 3 and tokens[end - 1].is_char(")", "]") and tokens[end - 1].gap is False:
        opener = _opening(tokens, end - 1)  # x^2 \quad (x \ge 0): a condition in brackets after a gap
        if opener is not None and opener > start and tokens[opener].gap and any(
                u.is_cmd(*RELATIONS) or u.is_char("<", ">") for u in tokens[opener + 1:end - 1]):
            condition, end = tokens[opener + 1:end - 1], opener
    punctuation()
    return tokens[start:end], " ".join(h.strip("()[] ") for h in hints if h.strip("()[] ")), condition, remarks


def _is_prose(text: str) -> bool:
    """\\text{so}, \\text{Then }, \\text{we have}: words, not a name such as \\text{loss}."""
    words = text.split()
    return len(words) > 1 or text != text.strip() or not any(c.isalnum() for c in text) \
        or bool(words) and words[0].lower().strip(",.:;") in PROSE


def _font_words(tokens: list[Token]) -> str:
    """`\\mathrm{expand}` (one font group of letters and spaces, two letters or more): its words, else ''."""
    if len(tokens) < 4 or not tokens[0].is_cmd(*FONTS) or not tokens[1].is_char("{") or not tokens[-1].is_char("}"):
        return ""
    inside = tokens[2:-1]
    if not all(u.kind == "char" and u.text.isalpha() or u.is_cmd(" ", ",", ";") for u in inside):
        return ""
    words = "".join((" " if u.space or u.kind == "cmd" else "") + (u.text if u.kind == "char" else "") for u in inside)
    return words.strip() if sum(u.kind == "char" for u in inside) >= 2 else ""


def _spaced_word(tokens: list[Token], k: int, end: int) -> str:
    """The letters from `k` on, when they make a word followed by a gap (if\\ x > 0); else ''."""
    word, j = "", k
    while j < end and tokens[j].kind == "char" and tokens[j].text.isascii() and tokens[j].text.isalpha() \
            and (j == k or not tokens[j].space):
        word, j = word + tokens[j].text, j + 1
    return word if j < end and (tokens[j].gap or tokens[j].space) else ""


def _opening(tokens: list[Token], close: int) -> int | None:
    """The bracket that the one at `close` closes."""
    pair = {")": "(", "]": "["}[tokens[close].text]
    depth = 0
    for k in range(close, -1, -1):
        depth += tokens[k].is_char(tokens[close].text) - tokens[k].is_char(pair)
        if depth == 0:
            return k
    return None


def _read(tokens: list[Token], locate: Locate, scope: Scope, bound: frozenset[str]) -> Reader:
    """The one reading of the line. Bars that could close one absolute value or open another are tried
    both ways; where more than one way reads, and they differ, the line is an error."""
    runs: list[tuple[bool, ...]] = [()]
    found: dict[ir.Expr, Reader] = {}
    first_error: InputError | None = None
    tried = 0
    while runs and tried < MAX_RUNS:
        prefix = runs.pop(0)
        tried += 1
        reader = Reader(tokens, locate, scope, bound, prefix)
        try:
            reader.result = reader.line()
            found.setdefault(reader.result, reader)
        except InputError as exc:
            first_error = first_error or exc
        runs += [tuple(reader.trace[:j]) + (not reader.trace[j],) for j in range(len(prefix), len(reader.trace))]
        if len(found) > 1:
            bar = tokens[min(reader.trace_at)] if reader.trace_at else tokens[0]
            raise InputError(locate(bar.start), "these absolute value bars can be paired in more than one way; "
                                                "write \\left| ... \\right| for each one")
    if found:
        return next(iter(found.values()))
    assert first_error is not None
    raise first_error


def read_conditions(text: str, locate: Locate, scope: Scope = PRELUDE, macros: Macros | None = None) -> tuple[ir.Rel, ...]:
    """Conditions written beside a formula: `x > 0`, `0 < p < 1`, `x, y > 0`, `\\text{for } x \\neq 1`;
    `x \\in \\mathbb{R}` says nothing more than that x is real."""
    check_braces(text, locate)
    tokens = clean(expand(tokenize(text, locate), macros or {}, locate), locate)
    while tokens:
        word = _spaced_word(tokens, 0, len(tokens))
        if tokens[0].kind == "text" or tokens[0].is_char(",", ";"):
            tokens = tokens[1:]
        elif word.lower() in CONDITION_WORDS_TEXT:  # if\ x > 0
            tokens = tokens[len(word):]
        else:
            break
    while tokens and tokens[-1].is_char(",", ";", "."):
        tokens = tokens[:-1]
    return _conditions(tokens, locate, scope, frozenset())


def _real_line(tokens: list[Token]) -> bool:
    """`x \\in \\mathbb{R}`, `x \\in \\R`: no condition beyond x being real."""
    k = next((k for k, t in enumerate(tokens) if t.is_cmd("in")), None)
    if k is None:
        return False
    rest = "".join(t.text for t in tokens[k + 1:])
    return rest in ("mathbb{R}", "mathbbR", "R", "Bbb{R}", "mathbf{R}")


def _interval(tokens: list[Token], locate: Locate, scope: Scope, bound) -> tuple[ir.Rel, ...] | None:
    """`x \\in (0, 1)`, `[0, 1]`, `(0, 1]`: the inequalities of the interval, or None."""
    k = next((k for k, t in enumerate(tokens) if t.is_cmd("in")), None)
    if k is None or len(tokens) < k + 5 or not tokens[k + 1].is_char("(", "[") or not tokens[-1].is_char(")", "]"):
        return None
    inner = tokens[k + 2:-1]
    commas = [j for j, t in enumerate(inner) if t.is_char(",")]
    if len(commas) != 1:
        return None
    subjects = _comma_list(tokens[:k])
    lo = _read(inner[:commas[0]], locate, scope, bound).result
    hi = _read(inner[commas[0] + 1:], locate, scope, bound).result
    out = []
    for subject in subjects:
        v = _read(subject, locate, scope, bound).result
        out += [ir.Rel("<" if tokens[k + 1].is_char("(") else "<=", lo, v),
                ir.Rel("<" if tokens[-1].is_char(")") else "<=", v, hi)]
    return tuple(out)


def _conditions(tokens: list[Token], locate: Locate, scope: Scope, bound: frozenset[str]) -> tuple[ir.Rel, ...]:
    """`x > 0`, `0 < p < 1`, `x \\neq 1`, `x, y > 0` after a \\text{for}, `x > 0 \\wedge y > 0`: hypotheses
    of the step."""
    cuts = [k for k, t in enumerate(tokens) if t.is_cmd("wedge", "land") or t.kind == "text" and
            t.text.strip().lower() in ("and", ",")]
    if cuts:
        parts = [tokens[a + 1:b] for a, b in zip([-1, *cuts], [*cuts, len(tokens)])]
        return tuple(r for part in parts for r in _conditions(part, locate, scope, bound))
    if _real_line(tokens):
        return ()
    interval = _interval(tokens, locate, scope, bound)
    if interval is not None:
        return interval
    sides: list[list[Token]] = [[]]
    ops: list[str] = []
    for t in tokens:
        op = RELATIONS.get(t.text) if t.kind == "cmd" or t.is_char("<", ">") else None
        if op:
            ops.append(op)
            sides.append([])
        else:
            sides[-1].append(t)
    if not ops or not all(sides):
        at = tokens[0] if tokens else None
        raise InputError(locate(at.start if at else 0), "a condition after \\text{for} (or if, when, where) must "
                                                        "be inequalities such as x > 0 or 0 < p < 1")
    subjects = _comma_list(sides[0]) if len(ops) == 1 else [sides[0]]
    exprs = [_read(side, locate, scope, bound).result for side in sides[1:]]
    out = []
    for subject in subjects:
        chain = [_read(subject, locate, scope, bound).result, *exprs]
        out += [ir.Rel(op, a, b) for op, a, b in zip(ops, chain, chain[1:])]
    return tuple(out)


def _comma_list(tokens: list[Token]) -> list[list[Token]]:
    """`x, y` is two subjects of one condition (x, y > 0); commas inside brackets are not split."""
    parts: list[list[Token]] = [[]]
    depth = 0
    for t in tokens:
        depth += t.is_char("(", "[", "{") - t.is_char(")", "]", "}")
        if depth == 0 and t.is_char(","):
            parts.append([])
        else:
            parts[-1].append(t)
    return parts if all(parts) else [tokens]
