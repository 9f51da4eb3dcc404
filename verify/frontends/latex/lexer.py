"""Tokens of a LaTeX line, as TeX sees them: control words (\\frac), control symbols (\\,) and
single characters, each with the span of text it came from.

Characters pasted from web pages are mapped to what they mean here (σ is \\sigma, − is -, ² is ^2,
ŷ is \\hat y, z₁ is z_1), so both spellings read the same.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Iterator

from ...errors import InputError, Location
from ..names import COMBINING, GREEK_LETTERS, SUBSCRIPT_DIGITS, SUPERSCRIPT_DIGITS, SUPERSCRIPT_LETTERS, accented_letter

Locate = Callable[[int], Location]

# fractions and roots written as one character
VULGAR = {"½": (1, 2), "⅓": (1, 3), "⅔": (2, 3), "¼": (1, 4), "¾": (3, 4), "⅕": (1, 5), "⅙": (1, 6), "⅛": (1, 8)}
ROOTS = {"√": "usqrt", "∛": "ucbrt", "∜": "uqrt"}
SCRIPT_SIGNS = {"⁻": "-", "⁺": "+", "₋": "-", "₊": "+"}
UNICODE_COMMANDS = {"·": "cdot", "⋅": "cdot", "×": "times", "∂": "partial", "≤": "le", "≥": "ge",
                    "≠": "ne", "∞": "infty", "÷": "div", "…": "ldots", "⋯": "cdots", "∑": "sum", "∏": "prod",
                    "∫": "int", "±": "pm"}
UNICODE_CHARS = {"−": "-", "–": "-", "′": "'", "″": "''", "’": "'"}


@dataclass(frozen=True)
class Token:
    kind: str  # "cmd" (\name, or a control symbol such as \,), "char", or "end"
    text: str  # the command's name without its backslash, or the character
    start: int  # the span of text it came from; a macro's tokens carry the span of the macro's use
    end: int
    space: bool = False  # whitespace came before it
    newline: bool = False  # ... and that whitespace held a line break
    gap: bool = False  # a spacing command (\, \; \quad) came before it: a visible gap
    wide: bool = False  # ... as wide as \quad or wider: what sets an equation number or a remark apart

    def is_char(self, *chars: str) -> bool:
        return self.kind == "char" and self.text in chars

    def is_cmd(self, *names: str) -> bool:
        return self.kind == "cmd" and self.text in names

    def shown(self) -> str:
        if self.kind == "end":
            return "the end of the line"
        return "'" + ("\\" if self.kind == "cmd" else "") + self.text + "'"


def tokenize(text: str, locate: Locate) -> list[Token]:
    """Every character of `text` becomes a token or is whitespace; a lone backslash at the end is an error."""
    out: list[Token] = []
    i, n, space, newline = 0, len(text), False, False
    while i < n:
        c = text[i]
        if c.isspace():
            space, newline = True, newline or c == "\n"
            i += 1
            continue
        start = i
        if c == "\\":
            j = i + 1
            while j < n and text[j].isascii() and text[j].isalpha():
                j += 1
            if j == i + 1:
                if j >= n:
                    raise InputError(locate(i), "a backslash ends the line; remove it or finish the command")
                j += 1
            out.append(Token("cmd", text[i + 1:j], start, j, space, newline))
            i = j
        elif c in SUPERSCRIPT_DIGITS or c in SUPERSCRIPT_LETTERS or c in SUBSCRIPT_DIGITS or c in SCRIPT_SIGNS:
            # x⁻¹, eˣ, z₁₂: one script
            up = c in SUPERSCRIPT_DIGITS or c in SUPERSCRIPT_LETTERS or c in "⁻⁺"
            table = {**SUPERSCRIPT_DIGITS, **SUPERSCRIPT_LETTERS} if up else SUBSCRIPT_DIGITS
            j = i
            while j < n and (text[j] in table or text[j] in SCRIPT_SIGNS and (text[j] in "⁻⁺") == up):
                j += 1
            inner = [Token("char", table.get(ch) or SCRIPT_SIGNS[ch], k, k + 1) for k, ch in enumerate(text[i:j], i)]
            out += [Token("char", "^" if up else "_", i, i + 1, space, newline), Token("char", "{", i, i),
                    *inner, Token("char", "}", j, j)]
            i = j
        elif c in VULGAR:  # ½ is \frac12
            top, bottom = VULGAR[c]
            out += [Token("cmd", "frac", i, i + 1, space, newline), Token("char", str(top), i, i + 1),
                    Token("char", str(bottom), i, i + 1)]
            i += 1
        elif c in ROOTS:
            out.append(Token("cmd", ROOTS[c], i, i + 1, space, newline))
            i += 1
        else:
            out += [replace(t, newline=newline) if k == 0 else t
                    for k, t in enumerate(_character(c, start, space, out))]
            i += 1
        space = newline = False
    return out


def _character(c: str, at: int, space: bool, before: list[Token]) -> list[Token]:
    tok = lambda kind, t: Token(kind, t, at, at + 1, space)  # noqa: E731
    if c in GREEK_LETTERS:
        return [tok("cmd", GREEK_LETTERS[c])]
    if c in UNICODE_COMMANDS:
        return [tok("cmd", UNICODE_COMMANDS[c])]
    if c in UNICODE_CHARS:
        return [tok("char", ch) for ch in UNICODE_CHARS[c]]
    accented = accented_letter(c)
    if accented:
        letter, accent = accented
        return [tok("cmd", accent), Token("char", letter, at, at + 1)]
    if c in COMBINING and before and before[-1].kind == "char" and before[-1].text.isalpha():
        letter = before.pop()  # x followed by a combining hat is \hat x
        return [replace(letter, kind="cmd", text=COMBINING[c]), replace(letter, space=False)]
    return [tok("char", c)]


def groups(tokens: list[Token], start: int = 0) -> Iterator[tuple[int, Token, int]]:
    """(index, token, depth) from `start`; depth counts the braces opened before the token."""
    depth = 0
    for i in range(start, len(tokens)):
        t = tokens[i]
        if t.is_char("}"):
            depth -= 1
        yield i, t, depth
        if t.is_char("{"):
            depth += 1


def braces(text: str, start: int = 0):
    """(offset, character, depth) for every character of `text` outside control symbols such as \\{;
    depth counts the braces opened before it."""
    depth, i = 0, start
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "}":
            depth -= 1
        yield i, c, depth
        if c == "{":
            depth += 1
        i += 1


def check_braces(text: str, locate: Locate) -> None:
    """Every { has its }: reported at the brace that is left over."""
    opened = []
    for i, c, depth in braces(text):
        if c == "{":
            opened.append(i)
        elif c == "}":
            if depth < 0:
                raise InputError(locate(i), "this '}' closes nothing; remove it or add the matching '{'")
            opened.pop()
    if opened:
        raise InputError(locate(opened[-1]), "this '{' is never closed; add the matching '}'")
