"""LaTeX lines as people write them in derivations, read by a small recursive-descent parser.

Every token is either understood or reported with its location; nothing is
dropped and nothing is evaluated. The reader builds the intermediate form
directly, so SymPy never simplifies a line before its domain is known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable

from .. import ir
from ..errors import InputError, Location
from .names import GREEK_LETTERS, PRELUDE, UNICODE_OPERATORS, Scope, derivative_of, unknown_function

Locate = Callable[[int], Location]
MAX_CHARS = 20_000
MAX_DEPTH = 200

GREEK = frozenset(
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi rho varrho "
    "sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi "
    "Omega".split()
)
FUNCTION_COMMANDS = {"exp": "exp", "ln": "log", "log": "log", "sqrt": "sqrt", "sin": "sin", "cos": "cos",
                     "tan": "tan", "sinh": "sinh", "cosh": "cosh", "tanh": "tanh", "coth": "coth",
                     "sech": "sech", "csch": "csch", "erf": "erf"}
FRACTIONS = frozenset({"frac", "dfrac", "tfrac"})
SPACING = frozenset({",", ";", ":", "!", " ", "quad", "qquad", "displaystyle", "textstyle", "nonumber", "notag",
                     "limits", "left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr",
                     "biggl", "biggr", "Biggl", "Biggr", "middle"})
SKIP_WITH_ARGUMENT = frozenset({"text", "textrm", "textbf", "textit", "mbox", "tag", "label", "hspace",
                                "vspace", "phantom", "intertext"})
NAME_COMMANDS = frozenset({"operatorname", "mathrm", "mathit"})
MULTIPLY = frozenset({"cdot", "times"})
ACCENTS = frozenset({"hat", "bar", "tilde", "check", "breve", "widehat", "widetilde", "overline"})
ABS_OPEN = frozenset({"lvert", "vert"})
ABS_CLOSE = frozenset({"rvert", "vert"})
_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|[0-9]+(?:\.[0-9]+)?|[A-Za-z]|\S", re.S)
_WORDS = re.compile(r"[A-Za-z]{2,}")
_KNOWN_WORDS = frozenset(FUNCTION_COMMANDS) | {"sigma", "softplus", "softmax", "sigmoid", "abs", "diff"}


@dataclass(frozen=True)
class Token:
    kind: str  # num, letter, cmd, sym, end
    text: str
    start: int


@dataclass(frozen=True)
class _DiffOp:
    """\\frac{d}{dx}: differentiates the rest of the term it stands in."""

    var: str
    order: int
    start: int


def tokenize(text: str, locate: Locate) -> list[Token]:
    """Tokens of a line; spacing, sizing and \\text{...} are dropped here."""
    tokens: list[Token] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        if m.start() < pos:
            continue  # inside a skipped argument
        t = m.group(0)
        if t.startswith("\\") and len(t) > 1:
            name = t[1:]
            if name in SPACING or t == "\\\\":
                continue
            if name in SKIP_WITH_ARGUMENT:
                pos = _skip_group(text, m.end(), locate, t)
                continue
            tokens.append(Token("cmd", name, m.start()))
        elif t[0] in "0123456789":
            tokens.append(Token("num", t, m.start()))
        elif t.isalpha() and t.isascii():
            tokens.append(Token("letter", t, m.start()))
        elif t in "&~":
            continue
        elif t in GREEK_LETTERS:
            tokens.append(Token("cmd", GREEK_LETTERS[t], m.start()))
        elif t in UNICODE_OPERATORS:
            word = UNICODE_OPERATORS[t]
            if word.startswith("^"):
                tokens += [Token("sym", "^", m.start()), Token("num", word[1:], m.start())]
            else:
                tokens.append(Token("sym", word, m.start()) if word == "-" else Token("cmd", "cdot", m.start()))
        elif t in "+-*/^_()[]{}|',.=<>!:;":
            tokens.append(Token("sym", t, m.start()))
        else:
            raise InputError(locate(m.start()), f"cannot read {t!r}: write it with a LaTeX command (such as \\cdot or \\sigma)")
    tokens.append(Token("end", "", len(text)))
    return _drop_empty_brackets(tokens)


def _drop_empty_brackets(tokens: list[Token]) -> list[Token]:
    """`[\text{by the chain rule}]` leaves an empty pair of brackets behind: an annotation, not math."""
    out: list[Token] = []
    for t in tokens:
        if out and out[-1].kind == "sym" and (out[-1].text, t.text) in (("[", "]"), ("(", ")")) and t.kind == "sym":
            out.pop()
            continue
        out.append(t)
    return out


def braces(text: str, start: int = 0):
    """(offset, character, depth) for every unescaped character from `start`; depth counts open braces."""
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


def _skip_group(text: str, at: int, locate: Locate, command: str) -> int:
    """The offset after the {...} argument that starts at `at` (after spaces)."""
    i = at
    while i < len(text) and text[i].isspace():
        i += 1
    if i >= len(text) or text[i] != "{":
        raise InputError(locate(at), f"{command} needs an argument in braces, as in {command}{{...}}")
    for j, c, depth in braces(text, i):
        if c == "}" and depth == 0:
            return j + 1
    raise InputError(locate(i), "this '{' is never closed; add the matching '}'")


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


def _check_words(text: str, locate: Locate) -> None:
    """`sin(x)` without a backslash reads as s*i*n*(x) in LaTeX; that is almost never meant."""
    for m in _WORDS.finditer(text):
        before = text[m.start() - 1] if m.start() else ""
        if before == "\\" or before.isalpha():
            continue
        word = m.group(0)
        for known in sorted(_KNOWN_WORDS, key=len, reverse=True):
            if word.startswith(known) or word == known:
                if _inside_name_command(text, m.start()):
                    break
                raise InputError(locate(m.start()), f"'{word}' reads as a product of letters; write \\{known} "
                                 f"(or \\operatorname{{{known}}}) for the function")


def _inside_name_command(text: str, at: int) -> bool:
    head = text[:at].rstrip()
    return bool(re.search(r"\\(operatorname|mathrm|mathit|text|textrm|mbox|tag|label)\s*\{[^{}]*$", head))


class _Reader:
    def __init__(self, text: str, locate: Locate, scope: Scope, bound: frozenset[str] = frozenset()):
        self.locate = locate
        self.scope = scope
        self.bound = bound
        self.tokens = tokenize(text, locate)
        self.i = 0
        self.depth = 0
        self.abs_depth = 0

    # -- tokens

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def next(self) -> Token:
        t = self.tokens[self.i]
        self.i += 1
        return t

    def at(self, kind: str, text: str | None = None) -> bool:
        t = self.tok
        return t.kind == kind and (text is None or t.text == text)

    def accept(self, kind: str, text: str) -> bool:
        if self.at(kind, text):
            self.i += 1
            return True
        return False

    def expect(self, kind: str, text: str, what: str) -> Token:
        if not self.at(kind, text):
            raise self.error(self.tok, f"expected {what} here")
        return self.next()

    def error(self, t: Token, message: str) -> InputError:
        return InputError(self.locate(t.start), message)

    def _describe(self, t: Token) -> str:
        return "the end of the line" if t.kind == "end" else repr(("\\" if t.kind == "cmd" else "") + t.text)

    # -- grammar

    def line(self) -> ir.Expr:
        e = self.expr()
        if not self.at("end"):
            t = self.tok
            raise self.error(t, f"cannot read {self._describe(t)} here; check for a missing operator or brace")
        return e

    def expr(self) -> ir.Expr:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(self.tok, "the expression is nested too deeply")
        try:
            sign = -1 if self.accept("sym", "-") else (self.accept("sym", "+") and 1) or 1
            e = self.term()
            e = ir.neg(e) if sign < 0 else e
            while self.at("sym", "+") or self.at("sym", "-"):
                op = self.next().text
                t = self.term()
                e = ir.add(e, t) if op == "+" else ir.sub(e, t)
            return e
        finally:
            self.depth -= 1

    def term(self) -> ir.Expr:
        start = self.tok
        f = self.factor()
        if isinstance(f, _DiffOp):
            return self._apply_diff(f)
        while True:
            if self.at("cmd") and self.tok.text in MULTIPLY or self.at("sym", "*"):
                self.next()
                g = self.factor()
            elif self.at("sym", "/") or self.at("cmd", "div"):
                self.next()
                g = self.factor()
                if isinstance(g, _DiffOp):
                    raise self.error(start, "a derivative operator cannot be a divisor")
                f = ir.div(f, g)
                continue
            elif self.starts_factor():
                g = self.factor()
            else:
                return f
            if isinstance(g, _DiffOp):
                return ir.mul(f, self._apply_diff(g))
            f = ir.mul(f, g)

    def _apply_diff(self, op: _DiffOp) -> ir.Expr:
        if not self.starts_factor() and not self.at("sym", "-"):
            raise InputError(self.locate(op.start), "this derivative has nothing after it to differentiate")
        return ir.Diff(self.term(), op.var, op.order)

    def starts_factor(self) -> bool:
        t = self.tok
        if t.kind in ("num", "letter"):
            return True
        if t.kind == "sym":
            return t.text in "([{" or (t.text == "|" and self.abs_depth == 0)
        if t.kind == "cmd":
            if t.text in ABS_CLOSE and self.abs_depth > 0:
                return False
            return t.text not in MULTIPLY | {"div", "}", "rvert", "over"}
        return False

    def factor(self) -> ir.Expr | _DiffOp:
        if self.accept("sym", "-"):
            return ir.neg(self._operand(self.factor()))
        if self.accept("sym", "+"):
            return self.factor()
        return self.power()

    def _operand(self, f) -> ir.Expr:
        if isinstance(f, _DiffOp):
            return self._apply_diff(f)
        return f

    def power(self) -> ir.Expr | _DiffOp:
        base = self.primary()
        while self.at("sym", "^"):
            if isinstance(base, _DiffOp):
                raise self.error(self.tok, "write the order of a derivative as \\frac{d^2}{dx^2}")
            self.next()
            base = ir.power(base, self.script())
        if self.at("sym", "'"):
            raise self.error(self.tok, "a prime (') is only understood right after a function's name, as in f'(x)")
        return base

    def script(self) -> ir.Expr:
        """A superscript: {...} or one character."""
        t = self.tok
        if self.accept("sym", "{"):
            e = self.expr()
            self.expect("sym", "}", "'}' to close the superscript")
            return e
        if t.kind == "num":
            self.i += 1
            if len(t.text) > 1:  # x^23 is x^2 * 3 in LaTeX
                self.tokens.insert(self.i, Token("num", t.text[1:], t.start + 1))
            return ir.Num(Fraction(t.text[0]))
        if t.kind == "letter" or (t.kind == "cmd" and (t.text in GREEK or t.text == "pi")):
            return self.primary()
        raise self.error(t, "write a superscript in braces, as in x^{-1} or e^{2x}")

    def primary(self) -> ir.Expr | _DiffOp:
        t = self.tok
        if t.kind == "num":
            self.next()
            return ir.Num(Fraction(t.text))
        if t.kind == "letter":
            return self._letter()
        if t.kind == "sym":
            return self._bracket()
        if t.kind == "cmd":
            return self._command()
        raise self.error(t, f"expected an expression here, found {self._describe(t)}")

    def _bracket(self) -> ir.Expr:
        t = self.next()
        closing = {"(": ")", "[": "]", "{": "}"}.get(t.text)
        if closing == "}":
            e = self.expr()
            if self.accept("cmd", "over"):  # plain TeX: {a \over b}
                e = ir.div(e, self.expr())
            self.expect("sym", "}", f"'}}' to match the '{{' at column {self.locate(t.start).col}")
            return e
        if closing:
            e = self.expr()
            self.expect("sym", closing, f"'{closing}' to match the '{t.text}' at column {self.locate(t.start).col}")
            return e
        if t.text == "|":
            return self._abs(t, lambda: self.accept("sym", "|"))
        raise self.error(t, f"cannot read {t.text!r} here")

    def _abs(self, t: Token, close: Callable[[], bool]) -> ir.Expr:
        self.abs_depth += 1
        try:
            e = self.expr()
        finally:
            self.abs_depth -= 1
        if not close():
            raise self.error(t, "this absolute value bar is never closed")
        return ir.call("abs", e)

    def _subscript(self, name: str) -> str:
        if not self.accept("sym", "_"):
            return name
        t = self.tok
        if self.accept("sym", "{"):
            parts = []
            while not self.at("sym", "}"):
                u = self.next()
                if u.kind in ("letter", "num") or (u.kind == "cmd" and u.text in GREEK):
                    parts.append(u.text)
                elif not (u.kind == "sym" and u.text == ","):
                    raise self.error(u, "write a subscript with letters and digits, as in x_1 or w_{ij}")
            self.next()
            return f"{name}_{''.join(parts)}"
        if t.kind in ("letter", "num"):
            self.next()
            if t.kind == "num" and len(t.text) > 1:
                self.tokens.insert(self.i, Token("num", t.text[1:], t.start + 1))
            return f"{name}_{t.text[0]}"
        if t.kind == "cmd" and t.text in GREEK:
            self.next()
            return f"{name}_{t.text}"
        raise self.error(t, "write a subscript as x_1 or w_{ij}")

    def _letter(self) -> ir.Expr:
        t = self.next()
        if t.text == "e" and "e" not in self.bound:
            if self.accept("sym", "^"):
                return ir.call("exp", self.script())
            return ir.Const("e")
        return self._name(t, self._subscript(t.text))

    def _name(self, t: Token, name: str) -> ir.Expr:
        """A variable, or a defined function applied (with primes) to arguments."""
        if name in self.scope.functions and name not in self.bound and (self.at("sym", "(") or self.at("sym", "'")):
            return self._apply_defined(t, name)
        if self.scope.variables is not None and name not in self.scope.variables and name not in self.bound:
            allowed = ", ".join(sorted(self.scope.variables)) or "none"
            raise self.error(t, f"unknown name {name!r} (the variables declared are: {allowed}; add it to variables)")
        return ir.Var(name)

    def _primes(self) -> int:
        n = 0
        while self.accept("sym", "'"):
            n += 1
        return n

    def _arguments(self, t: Token, name: str) -> list[ir.Expr]:
        self.expect("sym", "(", f"'(' after {name}")
        args = [self.expr()]
        while self.accept("sym", ","):
            args.append(self.expr())
        self.expect("sym", ")", f"')' to close the arguments of {name}")
        return args

    def _apply_defined(self, t: Token, name: str) -> ir.Expr:
        d = self.scope.functions[name]
        primes = self._primes()
        args = self._arguments(t, name)
        if len(args) != len(d.params):
            raise self.error(t, f"{name} takes {len(d.params)} argument(s), not {len(args)}")
        if primes:
            if len(d.params) != 1:
                raise self.error(t, f"{name}' needs a function of one variable")
            return derivative_of(d, primes, args[0])
        return d.apply(tuple(args))

    def _builtin(self, t: Token, func: str) -> ir.Expr:
        power = base = None
        if func == "log" and self.accept("sym", "_"):  # \log_2 x = \ln x / \ln 2
            base = self.script()
        if self.accept("sym", "^"):  # \tanh^2(x) = (\tanh x)^2
            power = self.script()
            if power == ir.MINUS_ONE:
                inverse = f"a{func}"
                if inverse not in self.scope.functions:
                    raise self.error(t, f"the inverse function {func}^{{-1}} is not supported")
                (arg,) = self._one_argument(t, inverse) if self.at("sym", "(") else (self.power(),)
                return self.scope.functions[inverse].apply((arg,))
        if self.at("sym", "("):
            (arg,) = self._one_argument(t, func)
        else:
            if not self.starts_factor():
                raise self.error(t, f"\\{func} needs an argument, as in \\{func}(x)")
            arg = self.power()
            if isinstance(arg, _DiffOp):
                raise self.error(t, f"\\{func} cannot take a derivative operator as its argument")
        e = ir.call(func, arg)
        if base is not None:
            e = ir.div(e, ir.call("log", base))
        return ir.power(e, power) if power is not None else e

    def _one_argument(self, t: Token, func: str) -> list[ir.Expr]:
        args = self._arguments(t, func)
        if len(args) != 1:
            raise self.error(t, f"{func} takes one argument, not {len(args)}")
        return args

    def _command(self) -> ir.Expr | _DiffOp:
        t = self.next()
        c = t.text
        if c in GREEK:
            return self._name(t, self._subscript(c))
        if c == "pi":
            return ir.Const("pi")
        if c in FRACTIONS:
            return self._fraction(t)
        if c == "sqrt":
            return self._sqrt(t)
        if c in FUNCTION_COMMANDS:
            return self._builtin(t, FUNCTION_COMMANDS[c])
        if c in NAME_COMMANDS:
            return self._named(t)
        if c in ACCENTS:  # \hat{y} and \hat y are the variable y_hat
            word = self._brace_word(t) if self.at("sym", "{") else self.expect("letter", None, "a letter").text
            return self._name(t, self._subscript(f"{word}_{c}"))
        if c in ABS_OPEN:
            return self._abs(t, lambda: self.accept("cmd", "rvert") or self.accept("cmd", "vert"))
        if c == "{":
            e = self.expr()
            self.expect("cmd", "}", "'\\}' to close the '\\{'")
            return e
        raise self.error(t, f"cannot read '\\{c}' (verify does not know this command; "
                            "see the README for the LaTeX it reads)")

    def _brace_word(self, t: Token) -> str:
        self.expect("sym", "{", f"'{{' after \\{t.text}")
        parts = []
        while not self.at("sym", "}"):
            u = self.next()
            if u.kind not in ("letter", "num") and not (u.kind == "cmd" and u.text in GREEK):
                raise self.error(u, f"\\{t.text}{{...}} must hold a plain name here")
            parts.append(u.text)
        self.next()
        if not parts:
            raise self.error(t, f"\\{t.text}{{}} is empty; write a name inside the braces")
        return "".join(parts)

    def _named(self, t: Token) -> ir.Expr:
        word = self._brace_word(t)
        if word == "e":
            if self.accept("sym", "^"):
                return ir.call("exp", self.script())
            return ir.Const("e")
        if word in FUNCTION_COMMANDS:
            return self._builtin(t, FUNCTION_COMMANDS[word])
        if word in self.scope.functions:
            return self._apply_defined(t, word)
        if self.at("sym", "(") and len(word) > 1:
            raise self.error(t, unknown_function(word, self.scope).replace("[definitions]", "a verify: comment or [definitions]"))
        if word == "d":
            raise self.error(t, "a differential d is only understood in \\frac{d}{dx}")
        return self._name(t, self._subscript(word))

    def _sqrt(self, t: Token) -> ir.Expr:
        root = None
        if self.accept("sym", "["):
            root = self.expr()
            self.expect("sym", "]", "']' to close the root's index")
        self.expect("sym", "{", "'{' after \\sqrt")
        e = self.expr()
        self.expect("sym", "}", "'}' to close \\sqrt{...}")
        if root is None:
            return ir.call("sqrt", e)
        return ir.power(e, ir.div(ir.ONE, root))

    # -- fractions and derivatives

    def _fraction(self, t: Token) -> ir.Expr | _DiffOp:
        saved = self.i
        found = self._differential_fraction(t)
        if found is not None:
            return found
        self.i = saved
        self.expect("sym", "{", f"'{{' after \\{t.text}")
        if self._d() and self.at("sym", "}") and self.tokens[self.i + 1].text == "{":
            self.i += 2
            if self._d():
                raise self.error(t, "cannot read this derivative; write it as \\frac{d}{dx} with one variable after d")
        self.i = saved + 1
        top = self.expr()
        self.expect("sym", "}", "'}' to close the numerator")
        self.expect("sym", "{", "'{' to open the denominator")
        bottom = self.expr()
        self.expect("sym", "}", "'}' to close the denominator")
        return ir.div(top, bottom)

    def _d(self) -> bool:
        """Consume a differential d, \\partial or \\mathrm{d}."""
        if self.at("letter", "d") or self.at("cmd", "partial"):
            self.next()
            return True
        if self.at("cmd", "mathrm") and self.tokens[self.i + 1].text == "{" and self.tokens[self.i + 2].text == "d" \
                and self.tokens[self.i + 3].text == "}":
            self.i += 4
            return True
        return False

    def _order(self) -> int:
        if not self.accept("sym", "^"):
            return 1
        t = self.tok
        braced = self.accept("sym", "{")
        n = self.next()
        if n.kind != "num" or not n.text.isdigit() or not 1 <= int(n.text) <= 10:
            raise self.error(n, "the order of a derivative must be a whole number from 1 to 10")
        if braced:
            self.expect("sym", "}", "'}' after the order")
        return int(n.text)

    def _variable(self) -> str | None:
        """The name after the d of dx: x, x_1, \\beta, \\hat{y}."""
        v = self.tok
        if v.kind == "letter" or (v.kind == "cmd" and v.text in GREEK):
            self.next()
            return self._subscript(v.text)
        if v.kind == "cmd" and v.text in ACCENTS:
            self.next()
            word = self._brace_word(v) if self.at("sym", "{") else self.expect("letter", None, "a letter").text
            return self._subscript(f"{word}_{v.text}")
        return None

    def _differential_fraction(self, t: Token) -> ir.Expr | _DiffOp | None:
        """\\frac{d}{dx}, \\frac{d^2}{dx^2}, \\frac{\\partial f}{\\partial x}; None if this is another fraction."""
        if not self.accept("sym", "{") or not self._d():
            return None
        order = self._order()
        operand = None
        if not self.at("sym", "}"):
            try:
                operand = self.expr()
            except InputError:
                return None
        if not self.accept("sym", "}") or not self.accept("sym", "{") or not self._d():
            return None
        var = self._variable()
        if var is None:
            return None
        if self._order() != order or not self.accept("sym", "}"):
            return None
        if operand is not None:
            return ir.Diff(operand, var, order)
        return _DiffOp(var, order, t.start)


def parse_latex(text: str, locate: Locate, scope: Scope = PRELUDE, bound: frozenset[str] = frozenset()) -> ir.Expr:
    """Read one LaTeX line; `locate(i)` gives the location of character i of `text`."""
    if len(text) > MAX_CHARS:
        raise InputError(locate(0), f"this line is {len(text)} characters long; the limit is {MAX_CHARS}")
    if not text.strip():
        raise InputError(locate(0), "this line is empty; write an expression")
    check_braces(text, locate)
    _check_words(text, locate)
    reader = _Reader(text, locate, scope, bound)
    try:
        return reader.line()
    except RecursionError:
        raise InputError(locate(0), "the expression is nested too deeply") from None

