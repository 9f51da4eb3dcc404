"""\\begin{cases} ... \\end{cases}: a piecewise function, each row a value and its condition.

Before anything splits a display into rows and columns, `protect` turns the environment into one
command whose rows and columns are marked by characters of their own (offsets kept), so the rows of
the cases are not taken for rows of the display.
"""

from __future__ import annotations

import re

from ... import ir
from .commands import CONDITION_WORDS_TEXT, RELATIONS
from .lexer import Token

ROW, COLUMN = "\ue001", "\ue000"  # private-use characters: a row break and a column of the cases
COMMAND = "verifycases"
_ENVIRONMENT = re.compile(r"\\begin\s*\{(d?cases\*?)\}|\\left\s*\\\{\s*\\begin\s*\{array\}\s*\{[lcr|\s]*\}")
_ARRAY_END = re.compile(r"\\end\s*\{array\}\s*\\right\s*\.")
_BREAK = re.compile(r"\\\\(?:\s*\[[^\]]*\])?")
OTHERWISE = frozenset({"otherwise", "else", "elsewhere", "for all other x", "in all other cases", "sonst", "sinon"})
_CONJUNCTIONS = frozenset({"and", ",", "land", "wedge"})


def protect(text: str) -> str:
    """`text` with each cases environment (and \\left\\{ \\begin{array}{ll} ... \\end{array} \\right., the
    older way to write one) as \\verifycases{...}, of the same length."""
    while (m := _ENVIRONMENT.search(text)):
        closing = _ARRAY_END if m.group(1) is None else re.compile(r"\\end\s*\{" + re.escape(m.group(1)) + r"\}")
        end = closing.search(text, m.end())
        if end is None:
            return text
        body = text[m.end():end.start()]
        if _ENVIRONMENT.search(body):  # the inner ones first
            inner = protect(body)
            if inner == body:
                return text
            text = text[:m.end()] + inner + text[end.start():]
            continue
        body = _BREAK.sub(lambda b: ROW + " " * (len(b.group(0)) - 1), body).replace("&", COLUMN)
        body = re.sub(r"\\text(?=\s*\{)", r"\\mbox", body)  # its \text{if ...} is not the line's condition
        head = "\\" + COMMAND
        opening = head + " " * (m.end() - m.start() - len(head) - 1) + "{"
        closing = "}" + " " * (end.end() - end.start() - 1)
        text = text[:m.start()] + opening + body + closing + text[end.end():]
    return text


class CasesReading:
    """The reader's part for \\verifycases{...} (see `protect`)."""

    def cases(self, t: Token) -> ir.Expr:
        lo, hi = self.arg_span(t)
        rows, start, depth = [], lo, 0
        for k in range(lo, hi + 1):
            u = self.t[k] if k < hi else None
            if u is not None and u.is_char("{"):
                depth += 1
            elif u is not None and u.is_char("}"):
                depth -= 1
            if u is None or depth == 0 and u.is_char(ROW):
                if any(not v.is_char(ROW) for v in self.t[start:k]):
                    rows.append((start, k))
                start = k + 1
        if not rows:
            raise self.error(t, "these cases hold no rows; write value & condition \\\\ value & condition")
        pieces = []
        for a, b in rows:
            bar = next((k for k in range(a, b) if self.t[k].is_char(COLUMN)), None)
            if bar is None:
                raise self.error(self.t[a], "separate each value from its condition with &, as in x & x > 0")
            end = bar
            while end > a + 1 and self.t[end - 1].is_char(",", ";"):  # x, & x > 0
                end -= 1
            value = self.within((a, end), self.expr)
            pieces.append((value, self._case_condition(bar + 1, b, self.t[bar])))
        for (_, conds), (a, _) in zip(pieces[:-1], rows[1:]):
            if not conds:
                raise self.error(self.t[a], "a row after 'otherwise' is never used")
        self._last = "other"
        return ir.piecewise(pieces)

    def _case_condition(self, a: int, b: int, bar: Token) -> tuple[ir.Rel, ...]:
        """`x > 0`, `\\text{if } x \\ge 0`, `0 \\le x < 1`, `x > 0 \\text{ and } y > 0`, `\\text{otherwise}`."""
        while b > a and self.t[b - 1].is_char(",", ".", ";"):  # 1 & \text{if } x > 0.
            b -= 1
        if b - a > 2 and self.t[a].is_char("(") and self.t[b - 1].is_char(")") and self._closes(a, b - 1):
            a, b = a + 1, b - 1  # (x > 0)
        words = " ".join(u.text.strip().lower() for u in self.t[a:b] if u.kind == "text").strip(" ,.")
        if all(u.kind == "text" or u.is_char(",", ".") for u in self.t[a:b]):
            if words in OTHERWISE or words.startswith("otherwise"):
                return ()
            raise self.error(bar, "each condition of the cases is a comparison (x > 0, 0 \\le x < 1) or "
                                  "\\text{otherwise}")
        groups, start = [], a
        for k in range(a, b + 1):
            u = self.t[k] if k < b else None
            if u is None or self._joins(u):
                groups.append((start, k))
                start = k + 1
        out: list[ir.Rel] = []
        for g0, g1 in groups:
            while g0 < g1 and (self.t[g0].kind == "text" and self.t[g0].text.strip().lower() in CONDITION_WORDS_TEXT
                               or self.t[g0].is_char(",") or self.t[g0].kind == "text" and not self.t[g0].text.strip()):
                g0 += 1
            if g0 < g1:
                out += self._comparisons(g0, g1, bar)
        return tuple(out)

    def indicator(self, t: Token) -> ir.Expr:
        """\\mathbb{1}_{x > 0}, \\mathbb{1}(x > 0), \\mathbb{1}\\{x > 0\\}: 1 where the condition holds, else 0."""
        self.arg_span(t)  # the {1}
        if self.at_char("_"):
            under = self.next()
            a, b = self.arg_span(under)
        elif self.at_char("(") or self.at_cmd("{"):
            opener, depth, k = self.tok, 0, self.i
            while k < self.limit:
                u = self.t[k]
                depth += (u.is_char("(") or u.is_cmd("{")) - (u.is_char(")") or u.is_cmd("}"))
                if depth == 0:
                    break
                k += 1
            else:
                raise self.error(opener, "this bracket of the indicator is never closed")
            a, b = self.i + 1, k
            self.i = k + 1
        else:
            raise self.error(t, "write the condition of the indicator, as in \\mathbb{1}_{x > 0}")
        conds = self._case_condition(a, b, t)
        if not conds:
            raise self.error(t, "the condition of an indicator is a comparison, as in \\mathbb{1}_{x > 0}")
        self._last = "other"
        return ir.piecewise([(ir.ONE, conds), (ir.ZERO, ())])

    def at_indicator(self) -> bool:
        """The next tokens are {1}: \\mathbb{1}, \\mathbf{1}, the indicator function."""
        return self.peek().is_char("{") and self.peek(2).is_char("1") and self.peek(3).is_char("}")

    def _closes(self, a: int, b: int) -> bool:
        """The bracket at a is closed by the one at b."""
        depth = 0
        for k in range(a, b + 1):
            depth += self.t[k].is_char("(") - self.t[k].is_char(")")
            if depth == 0:
                return k == b
        return False

    def _joins(self, u: Token) -> bool:
        return u.kind == "text" and u.text.strip().lower() in _CONJUNCTIONS or u.is_char(",") \
            or u.kind == "cmd" and u.text in _CONJUNCTIONS

    def _comparisons(self, a: int, b: int, bar: Token) -> list[ir.Rel]:
        depth, marks = 0, []
        for k in range(a, b):
            u = self.t[k]
            depth += u.is_char("(", "[", "{") - u.is_char(")", "]", "}")
            op = RELATIONS.get(u.text) if depth == 0 and (u.kind == "cmd" or u.is_char("<", ">")) else None
            if op is None and depth == 0 and u.is_char("="):
                op = "="
            if op is not None:
                marks.append((k, op))
        if not marks:
            raise self.error(self.t[a], "each condition of the cases is a comparison (x > 0, 0 \\le x < 1) or "
                                        "\\text{otherwise}")
        bounds = [a, *(k for k, _ in marks), b]
        sides = [self.within((bounds[i] + (i > 0), bounds[i + 1]), self.expr) for i in range(len(bounds) - 1)]
        return [ir.Rel(op, x, y) for (_, op), x, y in zip(marks, sides, sides[1:])]
