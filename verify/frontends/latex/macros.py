"""Macros: \\newcommand, \\renewcommand, \\providecommand, \\DeclareMathOperator and \\def, from a
document, a proof file's [latex.macros] or `verify --macros FILE`, expanded before a line is read.

As in KaTeX's MacroExpander, an argument is one token or one {group}, and expansion has a budget,
so a macro that calls itself is an error, not a hang. Nothing else of TeX's programming is run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable

from ...errors import InputError, Location
from .commands import FUNCTION_COMMANDS
from .lexer import Token, tokenize

MAX_EXPANSIONS = 1000  # KaTeX's maxExpand
MAX_TOKENS = 20_000
WINDOW = 10_000  # characters a definition may take
DEFINERS = ("newcommand", "renewcommand", "providecommand", "DeclareMathOperator", "def")


@dataclass(frozen=True)
class Macro:
    name: str  # without the backslash
    params: int
    body: tuple[Token, ...]
    default: tuple[Token, ...] | None = None  # the first parameter is optional, with this default


Macros = dict[str, Macro]


def _group(tokens: list[Token], i: int, what: str, locate) -> tuple[list[Token], int]:
    """The tokens inside the {group} that starts at `i`, and the index after it."""
    if i >= len(tokens) or not tokens[i].is_char("{"):
        at = tokens[i].start if i < len(tokens) else (tokens[-1].end if tokens else 0)
        raise InputError(locate(at), f"expected {{...}} with {what} here")
    depth = 0
    for j in range(i, len(tokens)):
        if tokens[j].is_char("{"):
            depth += 1
        elif tokens[j].is_char("}"):
            depth -= 1
            if depth == 0:
                return tokens[i + 1:j], j + 1
    raise InputError(locate(tokens[i].start), "this '{' is never closed; add the matching '}'")


def _params_in(body: list[Token]) -> int:
    return max((int(body[k + 1].text) for k in range(len(body) - 1)
                if body[k].is_char("#") and body[k + 1].kind == "char" and body[k + 1].text.isdigit()), default=0)


def parse_definition(tokens: list[Token], i: int, locate) -> tuple[Macro, int]:
    """Read the definition that starts with the command at `i`; return it and the index after it."""
    cmd = tokens[i].text
    i += 1
    if i < len(tokens) and tokens[i].is_char("*"):
        i += 1
    if cmd == "def":
        if i >= len(tokens) or tokens[i].kind != "cmd":
            raise InputError(locate(tokens[i - 1].start), "\\def needs a command name, as in \\def\\R{x}")
        name_tok, i = tokens[i], i + 1
        params = 0
        while i + 1 < len(tokens) and tokens[i].is_char("#") and tokens[i + 1].text == str(params + 1):
            params, i = params + 1, i + 2
        body, i = _group(tokens, i, "the macro's body", locate)
        return Macro(name_tok.text, params, tuple(body)), i
    if i < len(tokens) and tokens[i].kind == "cmd":
        name_tok, i = tokens[i], i + 1
    else:
        inner, i = _group(tokens, i, "the command's name, as in {\\name}", locate)
        if len(inner) != 1 or inner[0].kind != "cmd":
            raise InputError(locate(tokens[i - 1].start), f"\\{cmd} needs one command name, as in {{\\name}}")
        name_tok = inner[0]
    if cmd == "DeclareMathOperator":
        word, i = _group(tokens, i, "the operator's name", locate)
        body = [Token("cmd", "operatorname", name_tok.start, name_tok.end), Token("char", "{", 0, 0), *word,
                Token("char", "}", 0, 0)]
        return Macro(name_tok.text, 0, tuple(body)), i
    params, default = 0, None
    if i < len(tokens) and tokens[i].is_char("["):
        j = next((k for k in range(i, len(tokens)) if tokens[k].is_char("]")), None)
        digits = "".join(t.text for t in tokens[i + 1:j]) if j else ""
        if not digits.isdigit() or not 1 <= int(digits) <= 9:
            raise InputError(locate(tokens[i].start), "the number of arguments must be 1 to 9, as in [2]")
        params, i = int(digits), j + 1
        if i < len(tokens) and tokens[i].is_char("["):
            j = next((k for k in range(i, len(tokens)) if tokens[k].is_char("]")), None)
            if j is None:
                raise InputError(locate(tokens[i].start), "this '[' is never closed; add the matching ']'")
            default, i = tuple(tokens[i + 1:j]), j + 1
    body, i = _group(tokens, i, "the macro's body", locate)
    if _params_in(body) > params:
        raise InputError(locate(name_tok.start), f"the body of \\{name_tok.text} uses #{_params_in(body)} "
                                                 f"but the macro takes {params} argument(s)")
    if not params and "".join(t.text for t in body) == name_tok.text and name_tok.text in FUNCTION_COMMANDS and \
            all(t.kind == "char" for t in body):  # \newcommand{\sech}{sech}: the function, as its name says
        body = [Token("cmd", "operatorname", name_tok.start, name_tok.end), Token("char", "{", 0, 0), *body,
                Token("char", "}", 0, 0)]
    return Macro(name_tok.text, params, tuple(body), default), i


_DEFINER = re.compile(r"\\(?:" + "|".join(DEFINERS) + r")(?![A-Za-z])")


def scan(text: str, locate: Callable[[int], Location]) -> list[tuple[int, int, Macro | InputError]]:
    """Every macro definition in `text`: (start offset, end offset, the macro or why it cannot be read)."""
    found = []
    pos = 0
    for m in _DEFINER.finditer(text):
        if m.start() < pos:
            continue
        at = lambda k, s=m.start(): locate(s + k)  # noqa: E731
        try:
            tokens = tokenize(text[m.start():m.start() + WINDOW].rstrip("\\"), at)
            macro, i = parse_definition(tokens, 0, at)
        except InputError as exc:
            found.append((m.start(), m.end(), exc))
            pos = m.end()
            continue
        end = m.start() + (tokens[i - 1].end if i else 0)
        found.append((m.start(), end, macro))
        pos = end
    return found


def from_table(name: str, body: str, locate: Callable[[int], Location]) -> Macro:
    """A macro from a table (`'\\paren' = '\\left(#1\\right)'`): it takes as many arguments as its body uses."""
    if not re.fullmatch(r"\\[A-Za-z]+", name):
        raise InputError(locate(0), f"a macro's name must be a command such as \\paren, not {name!r}")
    tokens = tokenize(body, locate)
    return Macro(name[1:], _params_in(tokens), tuple(tokens))


# how many arguments a command takes, so that a macro used as one (\frac\d{\d x}) stays one, as in TeX
_TAKES = {**{c: 2 for c in ("frac", "dfrac", "tfrac", "cfrac")},
          **{c: 1 for c in ("sqrt", "hat", "widehat", "bar", "overline", "tilde", "widetilde", "dot", "ddot", "check",
                            "breve", "operatorname", "mathrm", "mathit", "mathsf", "text", "textrm", "boxed", "cancel")}}


def expand(tokens: list[Token], macros: Macros, locate: Callable[[int], Location]) -> list[Token]:
    """`tokens` with every macro expanded, outermost first; its tokens take the span of its use.

    A macro that stands as one argument of a command (\\frac \\d {\\d x}, x^\\half) is expanded into a
    {group}, since TeX passes the macro, not its expansion, as the argument."""
    if not macros:
        return tokens
    out: list[Token] = []
    stack = list(reversed(tokens))
    count = 0
    level = arg_level = pending = 0
    while stack:
        t = stack.pop()
        if t.kind != "cmd" or t.text not in macros:
            if t.is_char("{"):
                level += 1
            elif t.is_char("}"):
                level -= 1
                if level == arg_level and pending:
                    pending -= 1
            elif level == arg_level and pending:
                pending -= 1
            if t.is_char("^", "_") or t.kind == "cmd" and t.text in _TAKES:
                pending, arg_level = (1 if t.kind == "char" else _TAKES[t.text]), level
            out.append(t)
            continue
        count += 1
        if count > MAX_EXPANSIONS or len(stack) > MAX_TOKENS:
            raise InputError(locate(t.start), f"expanding \\{t.text} does not end (more than {MAX_EXPANSIONS} "
                                              "expansions); does the macro use itself?")
        m = macros[t.text]
        args: list[list[Token]] = []
        if m.default is not None:
            if stack and stack[-1].is_char("["):
                stack.pop()
                arg = []
                while stack and not stack[-1].is_char("]"):
                    arg.append(stack.pop())
                if not stack:
                    raise InputError(locate(t.start), f"the optional argument of \\{t.text} is never closed with ']'")
                stack.pop()
                args.append(arg)
            else:
                args.append(list(m.default))
        while len(args) < m.params:
            args.append(_argument(stack, t, locate))
        as_argument = bool(pending) and level == arg_level
        if as_argument:
            stack.append(Token("char", "}", t.start, t.end))
        for k in range(len(m.body) - 1, -1, -1):
            b = m.body[k]
            if k > 0 and m.body[k - 1].is_char("#") and b.kind == "char" and b.text.isdigit():
                continue
            if b.is_char("#") and k + 1 < len(m.body) and m.body[k + 1].text.isdigit():
                n = int(m.body[k + 1].text)
                stack.extend(reversed(args[n - 1]))
                continue
            stack.append(replace(b, start=t.start, end=t.end, space=b.space or (k == 0 and t.space)))
        if as_argument:
            stack.append(Token("char", "{", t.start, t.end, t.space))
    return out


def _argument(stack: list[Token], macro: Token, locate) -> list[Token]:
    """One argument: a {group} (without its braces) or one token."""
    if not stack or stack[-1].kind == "end":
        raise InputError(locate(macro.start), f"\\{macro.text} needs more arguments here")
    t = stack.pop()
    if not t.is_char("{"):
        return [t]
    depth, arg = 1, []
    while stack:
        u = stack.pop()
        if u.is_char("{"):
            depth += 1
        elif u.is_char("}"):
            depth -= 1
            if depth == 0:
                return arg
        arg.append(u)
    raise InputError(locate(t.start), "this '{' is never closed; add the matching '}'")
