"""Reading a LaTeX line into the intermediate form, by recursive descent over its tokens.

The rules, each documented in the README's "How LaTeX is read":
- an argument of \\frac, \\sqrt, ^ and _ is one token or one {group} (TeX's rule), so \\frac12 is 1/2;
- a function without parentheses takes the juxtaposed product after it, up to the next operator,
  function or relation: \\sin 2x is sin(2x), \\sin x \\cos x is sin(x) cos(x);
- \\frac{d}{dx}, \\partial_x, \\sum and \\prod apply to the rest of their term;
- `name(...)` is a call where name is a function, a product where name is a variable;
- absolute-value bars that can be paired in more than one way are an error, never a guess.
Whatever these rules cannot settle is an error at its token.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable

from ... import ir
from ...errors import InputError, Location
from ..names import ACCENTS, ALIASES, AMBIGUOUS_FUNCTIONS, Scope, name as canonical
from ..reading import Reading
from .commands import (ACCENT_COMMANDS, FONT_COMMANDS, FRACTIONS, FUNCTION_COMMANDS, GREEK, INVERSES, MULTIPLY,
                       REFUSED, RELATIONS)
from .lexer import Locate, Token

MAX_DEPTH = 200
MAX_TERMS = 1000  # terms a \sum or \prod may expand to, nested ones multiplied
MAX_RUNS = 64  # readings tried for ambiguous absolute-value bars
DERIVATIVE_ORDER = range(1, 11)
# words of prose that turn up in displays; as letters they would multiply, so they are errors
ENGLISH = frozenset("where when then since thus hence with from that this these which and the for are have into "
                    "using gives substitute because therefore given note let get rule equals respectively".split())


@dataclass
class _Operator:
    """Something that applies to the rest of its term: a derivative, a sum or a product."""

    kind: str  # "diff", "sum", "prod"
    token: Token
    variables: tuple[tuple[str, int], ...] = ()  # (variable, order), outermost first
    index: str = ""
    bounds: tuple[int, int] = (0, 0)


@dataclass
class _Scripts:
    sub: tuple[int, int] | None = None  # token spans of the arguments
    sup: tuple[int, int] | None = None
    primes: int = 0


@dataclass
class _State:
    notes: list[str] = field(default_factory=list)
    products: list[tuple[str, Location]] = field(default_factory=list)
    variables: set[str] = field(default_factory=set)
    operators: list[tuple[str, Location]] = field(default_factory=list)


class Reader:
    """One reading of a token list. `decisions` settles the bars that could close or open an
    absolute value, in order; `trace` records the choices made."""

    def __init__(self, tokens: list[Token], locate: Locate, scope: Scope, bound: frozenset[str],
                 decisions: tuple[bool, ...] = ()):
        end = tokens[-1].end if tokens else 0
        self.t = tokens + [Token("end", "", end, end)]
        self.locate = locate
        self.scope = scope
        self.bound = bound
        self.i = 0
        self.limit = len(tokens)
        self.depth = 0
        self.abs_depth = 0
        self.index: dict[str, int] = {}
        self.decisions = decisions
        self.trace: list[bool] = []
        self.trace_at: list[int] = []
        self.chosen: dict[int, bool] = {}
        self.state = _State()
        self.result: ir.Expr = ir.ZERO
        self.match = self._match_braces()

    # -- tokens

    def _match_braces(self) -> dict[int, int]:
        match, stack = {}, []
        for k, t in enumerate(self.t):
            if t.is_char("{"):
                stack.append(k)
            elif t.is_char("}"):
                if not stack:
                    raise self.error(t, "this '}' closes nothing; remove it or add the matching '{'")
                match[stack.pop()] = k
        if stack:
            raise self.error(self.t[stack[-1]], "this '{' is never closed; add the matching '}'")
        return match

    @property
    def tok(self) -> Token:
        if self.i >= self.limit:
            t = self.t[min(self.limit, len(self.t) - 1)]
            return Token("end", "", t.start, t.start)
        return self.t[self.i]

    def peek(self, k: int = 1) -> Token:
        j = self.i + k
        if j >= self.limit:
            t = self.t[min(self.limit, len(self.t) - 1)]
            return Token("end", "", t.start, t.start)
        return self.t[j]

    def next(self) -> Token:
        t = self.tok
        self.i += 1
        return t

    def at_char(self, *chars: str) -> bool:
        return self.tok.is_char(*chars)

    def at_cmd(self, *names: str) -> bool:
        return self.tok.is_cmd(*names)

    def expect_char(self, c: str, what: str) -> Token:
        if not self.at_char(c):
            raise self.error(self.tok, f"expected {what} here, found {self.tok.shown()}")
        return self.next()

    def error(self, t: Token, message: str) -> InputError:
        return InputError(self.locate(t.start), message)

    def within(self, span: tuple[int, int], read: Callable[[], object]):
        """Read the tokens of `span` alone with `read`; they must all be used."""
        saved = self.i, self.limit
        self.i, self.limit = span
        try:
            out = read()
            if self.i < self.limit:
                raise self.error(self.tok, f"cannot read {self.tok.shown()} here; check for a missing operator "
                                           "or brace")
            return out
        finally:
            self.i, self.limit = saved

    def arg_span(self, after: Token) -> tuple[int, int]:
        """One TeX argument: a {group} (its inside) or one token, with the arguments a command takes."""
        t = self.tok
        if t.is_char("{"):
            close = self.match[self.i]
            span = (self.i + 1, close)
            self.i = close + 1
            return span
        if t.kind == "end" or t.is_char("}", "^", "_", "&", ")", "]"):
            raise self.error(after, f"{after.shown()} needs an argument here, as in "
                                    f"{after.shown().strip(chr(39))}{{...}}")
        start = self.i
        self.i += 1
        if t.kind == "cmd":
            takes = 2 if t.text in FRACTIONS else 1 if t.text in ACCENT_COMMANDS | FONT_COMMANDS | {"sqrt"} else 0
            if t.text == "sqrt" and self.at_char("["):
                while not self.at_char("]") and self.tok.kind != "end":
                    self.i += 1
                self.i += 1
            for _ in range(takes):
                self.arg_span(t)
        return start, self.i

    # -- the line

    def line(self) -> ir.Expr:
        over = self._top_level_over(self.i, self.limit)
        if over is not None:
            return self._over(self.i, over, self.limit)
        e = self.expr()
        if self.tok.kind != "end":
            raise self.error(self.tok, f"cannot read {self.tok.shown()} here; check for a missing operator or brace")
        return e

    def _top_level_over(self, lo: int, hi: int) -> int | None:
        depth = 0
        for k in range(lo, hi):
            t = self.t[k]
            depth += t.is_char("{") - t.is_char("}")
            if depth == 0 and t.is_cmd("over"):
                return k
        return None

    def _over(self, lo: int, over: int, hi: int) -> ir.Expr:
        top = self.within((lo, over), self.expr)
        bottom = self.within((over + 1, hi), self.expr)
        self.i = hi
        return ir.div(top, bottom)

    def expr(self) -> ir.Expr:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(self.tok, "the expression is nested too deeply")
        try:
            negative = False
            if self.at_char("-", "+"):
                negative = self.next().text == "-"
            e = self.term()
            e = ir.neg(e) if negative else e
            while self.at_char("+", "-"):
                op = self.next()
                if self.tok.kind == "end" or self.at_char(")", "]", "}"):
                    raise self.error(op, f"'{op.text}' needs an expression after it")
                t = self.term()
                e = ir.add(e, t) if op.text == "+" else ir.sub(e, t)
            if self.at_eval_bar():
                e = self.eval_bar(e)
            return e
        finally:
            self.depth -= 1

    def term(self) -> ir.Expr:
        f = self.factor()
        if isinstance(f, _Operator):
            return self.apply_operator(f)
        previous = self._last
        while True:
            t = self.tok
            if t.is_cmd(*MULTIPLY) or t.is_char("*"):
                self.next()
                g = self.factor()
                if isinstance(g, _Operator):
                    return ir.mul(f, self.apply_operator(g))
                f = ir.mul(f, g)
            elif t.is_char("/") or t.is_cmd("div"):
                self.next()
                g = self.factor()
                if isinstance(g, _Operator):
                    raise self.error(t, "a derivative, sum or product cannot be a divisor; put it in parentheses")
                f = ir.div(f, g)
            elif self.starts_factor():
                if t.newline:
                    raise self.error(t, "a line break joins two expressions with no operator between them; if they "
                                        "are separate equations or text, end the first line with \\\\ (or put text "
                                        "in \\text{...})")
                self._check_juxtaposed(previous)
                g = self.factor()
                if isinstance(g, _Operator):
                    return ir.mul(f, self.apply_operator(g))
                f = ir.mul(f, g)
            else:
                return f
            previous = self._last

    def _check_juxtaposed(self, previous: str) -> None:
        """A number after a name (x2) or after a number (2 3) does not read as one thing."""
        t = self.tok
        if not (t.kind == "char" and (t.text.isdigit() or t.text == ".")):
            return
        if previous == "number":
            raise self.error(t, "two numbers side by side; write them as one number, or put \\cdot between them")
        if previous == "name":
            raise self.error(t, "a number right after a name is unclear: write the number first (2x) for a "
                                "product, or x_2 for a subscript")
        if previous == "script":
            raise self.error(t, "a number right after a power is unclear: write the number first, or use "
                                "braces such as x^{23}")

    def factor(self) -> ir.Expr | _Operator:
        if self.at_char("-"):
            self.next()
            f = self.factor()
            return ir.neg(self.apply_operator(f) if isinstance(f, _Operator) else f)
        if self.at_char("+"):
            self.next()
            return self.factor()
        return self.postfix()

    # -- what starts a factor, and absolute-value bars

    def starts_factor(self) -> bool:
        t = self.tok
        if t.kind == "end" or t.kind == "text":
            return False
        if t.kind == "char":
            if t.text == ".":
                return self.peek().kind == "char" and self.peek().text.isdigit() and not self.peek().space
            if t.text.isalnum() or t.text in "([{":
                return True
            if t.text == "|":
                return self._bar_opens()
            return False
        if t.text == "vert":
            return self._bar_opens()
        if t.text in ("rvert", "rightdot", "}", "over") or t.text in MULTIPLY or t.text in RELATIONS:
            return False
        return t.text not in ("div",)

    def _bar_opens(self) -> bool:
        """At a bar: whether it opens an absolute value (True) or closes the one that is open."""
        if self.peek().is_char("_", "^"):
            return False  # an evaluation bar
        if self.abs_depth == 0:
            return True
        if self.i not in self.chosen:
            k = len(self.trace)
            choice = self.decisions[k] if k < len(self.decisions) else False
            self.trace.append(choice)
            self.trace_at.append(self.i)
            self.chosen[self.i] = choice
        return self.chosen[self.i]

    def at_eval_bar(self, closing: bool = False) -> bool:
        """A bar with a script after it: f(x) |_{x=a}; with `closing`, the \\right| of a \\left."""
        bar = self.at_cmd("rvert") if closing else self.at_char("|") or self.at_cmd("vert")
        return bar and self.peek().is_char("_", "^")

    def absolute(self, opener: Token) -> ir.Expr:
        self.abs_depth += 1
        try:
            e = self.expr()
        finally:
            self.abs_depth -= 1
        t = self.tok
        closes = t.is_cmd("rvert") if opener.is_cmd("lvert") else t.is_char("|") if opener.is_char("|") \
            else t.is_cmd("vert", "rvert")
        if not closes or self.peek().is_char("_", "^"):
            raise self.error(opener, "this absolute value bar is never closed")
        self.next()
        self._last = "other"
        return ir.call("abs", e)

    # -- factors with scripts

    _last = "other"  # what the last factor was: "number", "name", "script" or "other"

    def postfix(self) -> ir.Expr | _Operator:
        base = self.primary()
        if isinstance(base, _Operator):
            return base
        while True:
            t = self.tok
            if t.is_char("^") and all(u.is_cmd("prime") for u in self._span_tokens(self._peek_span())):
                self.next()
                span = self.arg_span(t)
                base = self._prime_on_expression(t, base, span[1] - span[0])
            elif t.is_char("^"):
                self.next()
                base = ir.power(base, self.script_value(t))
                self._last = "script"
                if self.at_char("^"):
                    raise self.error(self.tok, "two superscripts in a row; group them with braces, as in x^{a^b}")
            elif t.is_char("_"):
                raise self.error(t, "a subscript is understood on a name (x_1) or after \\log (\\log_2 x), "
                                    "not here")
            elif t.is_char("'"):
                primes = 0
                while self.at_char("'"):
                    self.next()
                    primes += 1
                base = self._prime_on_expression(t, base, primes)
            elif t.is_char("!"):
                raise self.error(t, "factorials are not supported")
            else:
                return base

    def _peek_span(self) -> tuple[int, int]:
        """The span of the script after the ^ at the current token, without moving."""
        saved = self.i
        self.i += 1
        try:
            return self.arg_span(self.t[saved])
        except InputError:
            return (self.i, self.i)
        finally:
            self.i = saved

    def _prime_on_expression(self, t: Token, base: ir.Expr, primes: int) -> ir.Expr:
        """(\\tanh x)' is the derivative with respect to the one variable the expression has."""
        free = sorted(self.scope.independent(base) - self.bound - set(self.index))
        if not free and not ir.free_names(base):  # (1)' = 0
            self._last = "other"
            return ir.ZERO
        if len(free) != 1 or primes > 10:
            has = f"has the variables {', '.join(free)}" if free else "has no variable"
            raise self.error(t, f"a prime (') on an expression means its derivative, but this expression {has}; "
                                "write \\frac{d}{dx}(...) with the variable")
        self._last = "other"
        return ir.Diff(base, free[0], primes)

    def scripts(self) -> _Scripts:
        """Sub- and superscripts and primes in any order: x_1^2, x^2_1, f'(x), f^{\\prime}."""
        s = _Scripts()
        while True:
            t = self.tok
            if t.is_char("'"):
                self.next()
                s.primes += 1
            elif t.is_char("^"):
                if s.sup is not None:
                    raise self.error(t, "two superscripts in a row; group them with braces, as in x^{a^b}")
                self.next()
                s.sup = self.arg_span(t)
            elif t.is_char("_"):
                if s.sub is not None:
                    raise self.error(t, "two subscripts in a row; group them with braces, as in x_{ij}")
                self.next()
                s.sub = self.arg_span(t)
            else:
                return s

    def script_value(self, caret: Token) -> ir.Expr:
        """The value of a superscript, after the ^."""
        span = self.arg_span(caret)
        return self.span_value(span, caret)

    def span_value(self, span: tuple[int, int], caret: Token) -> ir.Expr:
        first = self.t[span[0]]
        if span[1] - span[0] == 1 and first.is_char("-", "+"):
            raise self.error(first, f"{caret.text}{first.text} takes only the sign as the script; write the "
                                    f"script in braces, as in e^{{-x}}")
        if span[1] - span[0] == 1 and first.kind == "char" and first.text.isdigit():
            after = self.t[span[1]] if span[1] < self.limit else None
            if after is not None and after.kind == "char" and after.text.isdigit() and not after.space:
                raise self.error(first, f"x{caret.text}{first.text}{after.text} takes only {first.text} as the "
                                        f"script; write x{caret.text}{{{first.text}{after.text}}}")
        return self.within(span, self.expr)

    def _span_tokens(self, span: tuple[int, int]) -> list[Token]:
        return self.t[span[0]:span[1]]

    # -- primaries

    def primary(self) -> ir.Expr | _Operator:
        t = self.tok
        self._last = "other"
        if t.kind == "end":
            raise self.error(t, "expected an expression here, found the end of the line"
                             if self.limit == len(self.t) - 1 else "expected an expression here")
        if t.kind == "text":
            return self._text(t)
        if t.kind == "char":
            c = t.text
            if c.isdigit() or (c == "." and self.peek().kind == "char" and self.peek().text.isdigit()):
                return self._number()
            if c.isascii() and c.isalpha():
                return self._letter()
            if c in "([":
                return self._parenthesized()
            if c == "{":
                return self._braced()
            if c == "|":
                if self.peek().is_char("_", "^"):
                    raise self.error(t, "an evaluation bar needs an expression before it")
                self.next()
                return self.absolute(t)
            raise self.error(t, f"cannot read {t.shown()} here" + (
                "; write it with a LaTeX command (such as \\cdot or \\sigma)" if not c.isascii() else ""))
        return self._command(t)

    def _number(self) -> ir.Expr:
        start = self.tok
        digits = ""
        while self.tok.kind == "char" and (not digits or not self.tok.space) and (
                self.tok.text.isdigit() or self.tok.text == "." and self.peek().kind == "char"
                and self.peek().text.isdigit() and not self.peek().space):
            digits += self.next().text
        if digits.count(".") > 1:
            raise self.error(start, f"{digits!r} is not a number")
        self._last = "number"
        return ir.Num(Fraction(digits))

    def _parenthesized(self) -> ir.Expr:
        t = self.next()
        closing = ")" if t.text == "(" else "]"
        e = self.expr()
        if not self.at_char(closing):
            raise self.error(self.tok, f"expected '{closing}' to match the '{t.text}' at column "
                                       f"{self.locate(t.start).col}, found {self.tok.shown()}")
        self.next()
        if closing == "]" and self.at_char("_"):
            return self.eval_brackets(e)
        self._last = "other"
        return e

    def _braced(self) -> ir.Expr:
        t = self.tok
        close = self.match[self.i]
        if close == self.i + 1:
            raise self.error(t, "empty braces {} hold nothing to read")
        word = self._function_word_in(self.i + 1, close)
        if word is not None:  # {\mathrm{cos}}^2(x): a function's name in braces, then its scripts and argument
            self.i = close + 1
            return self.function(self.t[self.i - 1], word)
        over = self._top_level_over(self.i + 1, close)
        if over is not None and (self.t[self.i + 1].is_char("d") or self.t[self.i + 1].is_cmd("partial")):
            found = self.leibniz(t, (self.i + 1, over), (over + 1, close))
            if found is not None:  # {d \over dx}
                self.i = close + 1
                return found
        over = self._top_level_over(self.i + 1, close)
        if over is not None:
            e = self._over(self.i + 1, over, close)
        else:
            e = self.within((self.i + 1, close), self.expr)
        self.i = close + 1
        self._last = "other"
        return e

    def _function_word_in(self, lo: int, hi: int) -> str | None:
        """The function named by the tokens lo..hi alone: \\cos, \\mathrm{cos}, \\operatorname{log}."""
        toks = self.t[lo:hi]
        if len(toks) == 1 and toks[0].kind == "cmd" and toks[0].text in FUNCTION_COMMANDS:
            return toks[0].text
        if len(toks) >= 4 and toks[0].is_cmd("mathrm", "operatorname", "text") and toks[1].is_char("{") \
                and toks[-1].is_char("}") and all(u.kind == "char" and u.text.isalpha() for u in toks[2:-1]):
            word = "".join(u.text for u in toks[2:-1])
            return word if len(word) > 1 and self._function_named(word) else None
        return None

    def _text(self, t: Token) -> ir.Expr:
        word = t.text.strip()
        if word == "e":
            self.next()
            return self._euler(t)
        if self._function_named(word):
            self.next()
            return self.function(t, word)
        if word == "d":
            raise self.error(t, "a differential d is understood only in a derivative such as \\frac{d}{dx}")
        raise self.error(t, "text in the middle of a formula cannot be checked; verify reads \\text{...} at the "
                            "end of a line as the step's hint")

    def _euler(self, t: Token) -> ir.Expr:
        if self.at_char("^"):
            caret = self.next()
            return ir.call("exp", self.script_value(caret))
        return ir.Const("e")

    # -- names

    def _letter(self) -> ir.Expr | _Operator:
        t = self.tok
        run = self._letter_run()
        word = self._function_word(t, run) if len(run) > 1 else None
        after = self.t[self.i + len(run)] if self.i + len(run) < self.limit else None
        if run.lower() in ENGLISH:
            raise self.error(t, f"'{run}' is a word, not a product of letters; write text as \\text{{{run} ...}}")
        if word is None and len(run) >= 3 and after is not None and after.is_char("("):
            raise self.error(t, f"'{run}(' reads as a product of the letters {', '.join(run)} and (...); write "
                                f"\\operatorname{{{run}}}(...) for a function (defined with a verify: comment or "
                                "under [definitions])")
        if word is not None:
            self.i += len(word)
            self.state.notes.append(f"'{word}(' without a backslash was read as \\{word}")
            return self.function(t, word)
        if t.text == "D" and not self._is_variable("D") and "D" not in self.scope.functions \
                and self.peek().is_char("_", "(", "["):
            return self.euler_operator(t)
        if t.text == "d" and not self._is_variable("d"):
            slash = self._slash_leibniz()
            if slash is not None:
                return slash
            nxt = self.peek()
            if not nxt.space and (nxt.kind == "char" and nxt.text.isascii() and nxt.text.isalpha()
                                  or nxt.kind == "cmd" and (nxt.text in GREEK or nxt.text in ACCENT_COMMANDS)):
                raise self.error(t, f"d{nxt.text if nxt.kind == 'char' else chr(92) + nxt.text} reads as a "
                                    "differential, which verify understands only in a derivative such as "
                                    "\\frac{d}{dx}; for a product, write d \\cdot x")
        self.next()
        if t.text == "e" and not self._is_variable("e") and not self.at_char("_"):
            return self._euler(t)
        return self.named(t, t.text)

    def _letter_run(self) -> str:
        run, k = "", self.i
        while k < self.limit:
            u = self.t[k]
            if not (u.kind == "char" and u.text.isascii() and u.text.isalpha()) or (run and u.space):
                break
            run += u.text
            k += 1
        return run

    def _function_word(self, t: Token, run: str) -> str | None:
        """`log(x)` without a backslash is read as \\log (with a note) where the letters are exactly a
        function's name and '(' follows; letters that begin with a function's name are otherwise an error,
        since in LaTeX they are a product of letters. None: the letters name no function."""
        for word in sorted(self._word_functions(), key=len, reverse=True):
            if not run.startswith(word):
                continue
            after = self.t[self.i + len(word)] if self.i + len(word) < self.limit else None
            if run == word and after is not None and after.is_char("(") and self._function_named(word):
                return word
            raise self.error(t, f"'{run}' reads as a product of letters; write \\{word} (or "
                                f"\\operatorname{{{word}}}) for the function")
        return None

    def _word_functions(self) -> set[str]:
        return {w for w in set(FUNCTION_COMMANDS) | set(ALIASES) | set(ir.FUNCTIONS) | set(self.scope.functions)
                | set(ir.EXTREMA) if len(w) > 1} | {"sigmoid", "softmax", "softplus", "relu"}

    def _is_variable(self, n: str) -> bool:
        return n in self.bound or n in self.scope.names or n in self.index or \
            (self.scope.variables is not None and n in self.scope.variables)

    def named(self, t: Token, base: str, accents: tuple[str, ...] = ()) -> ir.Expr | _Operator:
        """A variable, or a function applied: base with accents, then its scripts and primes."""
        if base in self.index and not accents and not self.at_char("_"):
            self._last = "number"
            return ir.Num(Fraction(self.index[base]))
        s = self.scripts()
        subscript = self.subscript_parts(s.sub) if s.sub else ()
        power, star = None, False
        if s.sup is not None:
            kind = self._sup_kind(s.sup)
            if kind == "star":
                star = True
            elif kind == "primes":
                s.primes += s.sup[1] - s.sup[0]
            else:
                power = s.sup
        n = canonical(base, accents, subscript, star)
        function = self.scope.functions.get(n) if n not in self.bound and n not in self.scope.names else None
        if function is not None:
            return self.apply_defined(t, function, s.primes, power)
        if s.primes:
            e = self._prime_on_name(t, n, s.primes)
        else:
            e = self._variable(t, n, directly=power is None)
        if power is not None:
            self._check_label(power, t)
            e = ir.power(e, self.span_value(power, self.t[power[0] - 1]))
            self._last = "script"
        return e

    def _sup_kind(self, span: tuple[int, int]) -> str:
        toks = self._span_tokens(span)
        if len(toks) == 1 and (toks[0].is_char("*") or toks[0].is_cmd("ast", "star")):
            return "star"
        if toks and all(u.is_cmd("prime") for u in toks):
            return "primes"
        if len(toks) == 1 and (toks[0].is_char("T") or toks[0].is_cmd("top", "intercal")):
            raise self.error(toks[0], "a transpose means vectors or matrices, which verify cannot check")
        return "power"

    def _check_label(self, span: tuple[int, int], t: Token) -> None:
        """a^{(2)} and W^{[l]} are labels in machine-learning papers as often as powers: refuse to guess."""
        toks = self._span_tokens(span)
        if len(toks) >= 3 and toks[0].is_char("(", "[") and toks[-1].is_char(")", "]") and \
                all(u.kind == "char" and u.text.isalnum() or u.kind == "cmd" and u.text in GREEK for u in toks[1:-1]):
            inner = "".join(u.text for u in toks[1:-1])
            raise self.error(toks[0], f"a superscript {toks[0].text}{inner}{toks[-1].text} on a name may be a power "
                                      f"or a label (a layer, an example); write the power without the brackets, "
                                      f"or the label as a subscript")

    def _variable(self, t: Token, n: str, directly: bool = True) -> ir.Expr:
        if n in ir.CONSTANTS and n == "pi":
            return ir.Const("pi")
        if self.scope.variables is not None and n not in self.scope.variables and not self._is_variable(n):
            allowed = ", ".join(sorted(self.scope.variables)) or "none"
            raise self.error(t, f"unknown name {n!r} (the variables declared are: {allowed}; add it to variables)")
        called = directly and self.at_char("(")
        if called and not self._is_variable(n):
            self.state.products.append((n, self.locate(t.start)))
        elif not called:
            self.state.variables.add(n)
        self._last = "name"
        return ir.Var(n)

    def _prime_on_name(self, t: Token, n: str, primes: int) -> ir.Expr:
        """y' for a defined name y of one variable is dy/dx."""
        if n in self.scope.names:
            free = sorted(self.scope.independent(ir.Var(n)))
            if len(free) == 1:
                self._last = "name"
                return ir.Diff(ir.Var(n), free[0], primes)
            raise self.error(t, f"{n}' is unclear: {n} depends on {', '.join(free) or 'no variable'}; write "
                                f"\\frac{{d{n}}}{{dx}} with the variable")
        raise self.error(t, f"a prime on {n!r} needs {n} to be a defined function (f'(x)) or a defined name "
                            f"(y' with y := ...); it is neither")

    def subscript_parts(self, span: tuple[int, int]) -> tuple[str, ...]:
        """x_1, w_{ij}, w_{i,j}, y_{\\text{pred}}, x_{\\beta}; indices of an enclosing \\sum become numbers."""
        toks = self._span_tokens(span)
        if any(u.is_char("+", "-") for u in toks):
            value = self.within(span, self.expr)
            if isinstance(value, ir.Num) and value.value.denominator == 1:
                return (str(value.value),)
            raise self.error(toks[0], "a subscript with arithmetic (such as k+1) is read only inside a sum over "
                                      "k; otherwise write letters and digits, as in x_{k1}")
        parts, current = [], ""
        k = 0
        while k < len(toks):
            u = toks[k]
            if u.is_char(","):
                parts.append(current)
                current = ""
            elif u.kind == "char" and u.text.isascii() and u.text.isalnum():
                current += str(self.index[u.text]) if u.text in self.index else u.text
            elif u.kind == "cmd" and u.text in GREEK:
                current += str(self.index[u.text]) if u.text in self.index else u.text
            elif u.kind == "text":
                current += "".join(ch for ch in u.text if ch.isalnum())
            elif u.kind == "cmd" and u.text in ("mathrm", "mathit", "operatorname", "mathsf") and k + 1 < len(toks):
                end = next(j for j in range(k + 1, len(toks)) if toks[j].is_char("}"))
                current += "".join(v.text for v in toks[k + 1:end] if v.kind == "char" and v.text.isalnum())
                k = end
            elif not u.is_char("{", "}"):
                raise self.error(u, "write a subscript with letters and digits, as in x_1, w_{ij} or y_{\\text{pred}}")
            k += 1
        parts.append(current)
        if not all(parts):
            raise self.error(toks[0] if toks else self.tok, "this subscript has an empty part")
        if span[1] - span[0] == 1 and toks[0].kind == "char" and toks[0].text.isdigit():
            after = self.t[span[1]] if span[1] < self.limit else None
            if after is not None and after.kind == "char" and after.text.isdigit() and not after.space:
                raise self.error(toks[0], f"x_{toks[0].text}{after.text} takes only {toks[0].text} as the subscript; "
                                          f"write x_{{{toks[0].text}{after.text}}}")
        return tuple(parts)

    # -- commands

    def _command(self, t: Token) -> ir.Expr | _Operator:
        c = t.text
        if c in GREEK:
            self.next()
            return self.named(t, c)
        if c == "pi":
            self.next()
            return ir.Const("pi")
        if c in FRACTIONS:
            self.next()
            return self.fraction(t)
        if c == "sqrt":
            self.next()
            return self.sqrt(t)
        if c in FUNCTION_COMMANDS:
            self.next()
            return self.function(t, c)
        if c in ("max", "min"):
            self.next()
            return self.extremum(t)
        if c in ("sum", "prod"):
            self.next()
            return self.big_operator(t)
        if c == "partial":
            return self.partial(t)
        if c in ACCENT_COMMANDS:
            self.next()
            return self.accented(t)
        if c in FONT_COMMANDS:
            self.next()
            return self.font(t)
        if c == "lvert" or c == "vert":
            self.next()
            return self.absolute(t)
        if c == "leftdot":
            self.next()
            e = self.expr()
            if self.at_cmd("rightdot"):
                self.next()
                return e
            if self.at_eval_bar(closing=True):
                return self.eval_bar(e)
            raise self.error(t, "\\left. needs \\right. or an evaluation bar \\right|_{x=a} to close it")
        if c == "{":  # \left\{ ... \right\}, as a bracket around brackets
            self.next()
            e = self.expr()
            if not self.at_cmd("}"):
                raise self.error(self.tok, f"expected '\\}}' to match the '\\{{' at column {self.locate(t.start).col}")
            self.next()
            return e
        if c in REFUSED:
            raise self.error(t, REFUSED[c])
        if c in RELATIONS:
            raise self.error(t, "a relation inside a line: verify checks chains of '=' (and reads a trailing "
                                "'\\text{for } x > 0' as a condition)")
        raise self.error(t, f"cannot read '\\{c}' (verify does not know this command; see the README for the "
                            "LaTeX it reads)")

    def accented(self, t: Token) -> ir.Expr | _Operator:
        """\\hat{y}, \\hat y, \\bar{x}_i, \\hat{y_i}: the variable y_hat, x_bar_i, y_hat_i."""
        accents = [t.text]
        span = self.arg_span(t)
        toks = self._span_tokens(span)
        while toks and toks[0].kind == "cmd" and toks[0].text in ACCENT_COMMANDS:  # \hat{\bar{x}}
            accents.insert(0, toks[0].text)
            inner = (span[0] + 1, span[1])
            if inner[0] < span[1] and self.t[inner[0]].is_char("{"):
                inner = (inner[0] + 1, self.match[inner[0]])
            span, toks = inner, self.t[inner[0]:inner[1]]
        if not toks:
            raise self.error(t, f"\\{t.text}{{}} is empty; write a name inside the braces")
        base = toks[0]
        if base.kind == "char" and base.text.isascii() and base.text.isalpha():
            word = base.text
        elif base.kind == "cmd" and base.text in GREEK:
            word = base.text
        else:
            raise self.error(base, f"\\{t.text}{{...}} must hold a name, such as \\{t.text}{{y}}")
        saved = self.i
        inner_sub: tuple[str, ...] = ()
        if len(toks) > 1:
            if not toks[1].is_char("_"):
                raise self.error(toks[1], f"\\{t.text}{{...}} must hold one name, such as \\{t.text}{{y}} or "
                                          f"\\{t.text}{{y_i}}")
            self.i, self.limit, old_limit = span[0] + 2, span[1], self.limit
            try:
                inner_sub = self.subscript_parts(self.arg_span(toks[1]))
                if self.i != span[1]:
                    raise self.error(self.tok, f"\\{t.text}{{...}} must hold one name")
            finally:
                self.limit = old_limit
        self.i = saved
        marks = tuple(ACCENTS[a] for a in accents)
        if inner_sub:
            if self.at_char("_"):
                raise self.error(self.tok, "this name already has a subscript")
            n = canonical(word, marks, inner_sub)
            return self.named(t, n)
        return self.named(t, word, marks)

    def font(self, t: Token) -> ir.Expr | _Operator:
        """\\operatorname{sech}, \\mathrm{e}, \\mathit{test}: a function when the word is one, else a name."""
        span = self.arg_span(t)
        toks = self._span_tokens(span)
        letters = ""
        for u in toks:
            if not (u.kind == "char" and u.text.isascii() and u.text.isalpha()):
                break
            letters += u.text
        if letters != "".join(u.text for u in toks) and self._function_named(letters):
            return self.within((span[0] + len(letters), span[1]), lambda: self.function(t, letters))  # \mathrm{arctan(z)}
        if not toks or not all(u.kind == "char" and u.text.isascii() and (u.text.isalnum() or u.text == "_")
                               or u.kind == "cmd" and u.text in GREEK for u in toks):
            if t.text == "mathrm" and len(toks) == 1 and toks[0].kind == "cmd" and toks[0].text in GREEK:
                return self.named(t, toks[0].text)
            raise self.error(t, f"\\{t.text}{{...}} must hold a plain name here")
        word = "".join(u.text for u in toks)
        if word == "e":
            return self._euler(t)
        if word == "d":
            raise self.error(t, "a differential d is understood only in a derivative such as \\frac{d}{dx}")
        if word in AMBIGUOUS_FUNCTIONS:
            raise self.error(t, AMBIGUOUS_FUNCTIONS[word])
        if self._function_named(word):
            return self.function(t, word)
        if self.at_char("(") or self.at_cmd("{") or (self.at_char("[") and len(word) > 1):
            if len(word) > 1 or t.text == "operatorname":
                from ..names import unknown_function
                raise self.error(t, unknown_function(word, self.scope, "a verify: comment or [definitions]",
                                                     f"{word} \\cdot (...)"))
        if "_" in word:
            base, _, sub = word.partition("_")
            return self.named(t, canonical(base, (), (sub,)))
        return self.named(t, word)

    def _function_named(self, word: str) -> bool:
        return word in FUNCTION_COMMANDS or word in ALIASES or word in ir.FUNCTIONS or word in ir.EXTREMA or \
            word in self.scope.functions

    # -- functions

    def function(self, t: Token, word: str) -> ir.Expr:
        """A function by its name: built in (\\sin, \\ln), from the prelude (\\sec) or defined
        (\\operatorname{softplus}), with its scripts: \\log_2, \\sin^2, \\sin^{-1}, \\tanh'."""
        if word in ir.EXTREMA:
            return self.extremum(t, word)
        if word in AMBIGUOUS_FUNCTIONS:
            raise self.error(t, AMBIGUOUS_FUNCTIONS[word])
        f = FUNCTION_COMMANDS.get(word, ALIASES.get(word, word))
        s = self.scripts()
        base = power = None
        primes = s.primes
        if s.sub is not None:
            if f != "log" or word == "ln":
                raise self.error(self.t[s.sub[0] - 1], f"a subscript on \\{word} is not understood (only "
                                                       "\\log_b x has one)")
            base = self.within(s.sub, self.expr)
        if s.sup is not None:
            kind = self._function_sup(s.sup)
            if kind == "inverse":
                if f not in INVERSES:
                    raise self.error(t, f"\\{word}^{{-1}} could mean the inverse function or 1/\\{word}; write "
                                        "the one you mean")
                f = INVERSES[f]
            elif isinstance(kind, int):
                primes += kind
            else:
                power = s.sup
        if f in ir.FUNCTIONS:
            defined = ir.Function(f, ("x",), ir.call(f, ir.Var("x")))
        elif f in self.scope.functions:
            defined = self.scope.functions[f]
        else:
            raise self.error(t, f"unknown function {word!r}")
        if primes or len(defined.params) != 1 or f not in ir.FUNCTIONS and self.at_char("("):
            return self.apply_defined(t, defined, primes, power)
        arg = self.argument(t, word)
        e = ir.call(f, arg) if f in ir.FUNCTIONS else ir.Apply(defined, (arg,))
        if base is not None:
            e = ir.div(e, ir.call("log", base))
        self._last = "other"
        if power is not None:
            e = ir.power(e, self.span_value(power, self.t[power[0] - 1]))
        return e

    def _function_sup(self, span: tuple[int, int]) -> str | int:
        toks = self._span_tokens(span)
        texts = [u.text for u in toks]
        if texts == ["-", "1"]:
            return "inverse"
        if toks and all(u.is_cmd("prime") for u in toks):
            return len(toks)
        if len(toks) >= 3 and toks[0].is_char("(") and toks[-1].is_char(")") and "".join(texts[1:-1]).isdigit():
            return int("".join(texts[1:-1]))
        return "power"

    def argument(self, t: Token, word: str) -> ir.Expr:
        """The argument of a function: delimited, or the juxtaposed product after it."""
        if self.at_char("(", "["):
            args = self.delimited_arguments(t, word)
            if len(args) != 1:
                raise self.error(t, f"\\{word} takes one argument, not {len(args)}")
            return args[0]
        if self.at_char("{"):
            return self._braced()
        return self.juxtaposed_argument(t, word)

    def delimited_arguments(self, t: Token, word: str) -> list[ir.Expr]:
        opener = self.next()
        closing = {"(": ")", "[": "]", "{": "}"}[opener.text] if opener.kind == "char" else "}"
        args = [self.expr()]
        while self.at_char(","):
            self.next()
            args.append(self.expr())
        done = self.at_cmd("}") if opener.kind == "cmd" else self.at_char(closing)
        if not done:
            raise self.error(self.tok, f"expected '{closing}' to close the arguments of {word}, found {self.tok.shown()}")
        self.next()
        self._last = "other"
        return args

    def starts_function(self) -> bool:
        t = self.tok
        if t.kind == "cmd":
            if t.text in FUNCTION_COMMANDS or t.text in ("max", "min", "sum", "prod", "partial"):
                return True
            if t.text in FRACTIONS:
                nxt = self.peek()
                first = self.t[self.i + 2] if nxt.is_char("{") and self.i + 2 < self.limit else nxt
                return first.is_char("d") or first.is_cmd("partial", "mathrm", "operatorname")
            if t.text in FONT_COMMANDS and self.peek().is_char("{"):
                close = self.match.get(self.i + 1)
                word = "".join(u.text for u in self.t[self.i + 2:close]) if close else ""
                return self._function_named(word)
            if t.text in GREEK:
                return t.text in self.scope.functions and (self.peek().is_char("(", "'") or self.peek().is_cmd("left"))
        if t.kind == "text":
            return self._function_named(t.text.strip())
        if t.kind == "char" and t.text.isalpha():
            if t.text == "e" and self.peek().is_char("^") and not self._is_variable("e"):
                return True  # e^{...} is the exponential function
            run = self._letter_run()
            if run in self.scope.functions and len(run) == 1:
                return self.peek().is_char("(", "'")
            return len(run) > 1 and any(run.startswith(w) for w in self._word_functions())
        return False

    def juxtaposed_argument(self, t: Token, word: str) -> ir.Expr:
        """\\sin 2x is sin(2x); \\ln xy is ln(xy); \\sin x \\cos x is sin(x) cos(x); \\sin \\cos x is
        sin(cos x); \\sin x (1 + \\cos x) is sin(x) (1 + cos x), since after the first factor only numbers
        and names go on. A '/' right after the argument (\\sin x/2), or brackets right after a number
        (\\sin 2(x+1)), is unclear and an error."""
        if self.starts_function():
            f = self.factor()
            if isinstance(f, _Operator):
                raise self.error(t, f"\\{word} cannot take a derivative, sum or product without parentheses; "
                                    f"write \\{word}(...)")
            return f
        if not self.starts_factor():
            raise self.error(t, f"\\{word} needs an argument, as in \\{word}(x) or \\{word} x")
        previous = "other"
        factors = []
        while self.starts_factor() and not self.starts_function() and not (factors and not self._simple_atom()):
            self._check_juxtaposed(previous)
            f = self.postfix()
            if isinstance(f, _Operator):
                raise self.error(t, f"\\{word} cannot take a derivative, sum or product without parentheses")
            factors.append(f)
            previous = self._last
        if self.at_char("(", "[") and previous == "number":
            raise self.error(self.tok, f"\\{word} 2(...) is unclear: write \\{word}(2(...)) or \\{word}(2) (...)")
        if self.at_char("/") or self.at_cmd("div"):
            raise self.error(self.tok, f"\\{word} followed by a division is unclear: write \\{word}(a/b) or "
                                       f"\\{word}(a)/b")
        self._last = "other"
        return ir.mul(*factors)

    def _simple_atom(self) -> bool:
        """What may go on a juxtaposed argument after its first factor: a number, a name or \\pi (with
        scripts). A fraction, root, bracket, bar or e^{...} after it starts a new factor: \\sin^2 x
        \\frac{1}{2} is sin(x)^2 / 2, not sin(x/2)^2."""
        t = self.tok
        if t.is_char("e") and self.peek().is_char("^") and not self._is_variable("e"):
            return False
        if t.kind == "char":
            return t.text.isascii() and t.text.isalnum() or t.text == "."
        return t.kind == "cmd" and (t.text in GREEK or t.text in ACCENT_COMMANDS or t.text == "pi"
                                    or t.text in ("mathrm", "mathit", "operatorname"))

    def apply_defined(self, t: Token, f: ir.Function, primes: int, power: tuple[int, int] | None) -> ir.Expr:
        """f(x), f'(x), \\sigma(x)^2, f(x, y): the arguments of a function named by letters are in parentheses."""
        if primes and len(f.params) != 1:
            raise self.error(t, f"{f.name}' needs a function of one variable; write a partial derivative")
        if primes > 10:
            raise self.error(t, "the order of a derivative must be a whole number from 1 to 10")
        if self.at_char("("):
            args = self.delimited_arguments(t, f.name)
        elif len(f.params) == 1 and not primes and self.at_char("{", "["):
            args = [self.argument(t, f.name)]
        else:
            raise self.error(t, f"{f.name} is a function here; write its argument in parentheses, as in "
                                f"{f.name}({', '.join(f.params)})")
        if len(args) != len(f.params):
            raise self.error(t, f"{f.name} takes {len(f.params)} argument(s), not {len(args)}")
        e: ir.Expr = ir.Apply(f, tuple(args), primes)
        self._last = "other"
        if power is not None:
            e = ir.power(e, self.span_value(power, self.t[power[0] - 1]))
        return e

    def extremum(self, t: Token, word: str | None = None) -> ir.Expr:
        func = word or t.text
        s = self.scripts()
        if s.sub is not None:
            raise self.error(t, f"\\{func}_{{...}} over a set is not supported; write \\{func}(a, b)")
        if s.primes:
            raise self.error(t, f"a prime on \\{func} is not understood")
        if not (self.at_char("(", "[") or self.at_cmd("{")):
            raise self.error(t, f"write the arguments of \\{func} in parentheses, as in \\{func}(a, b)")
        args = self.delimited_arguments(t, func)
        e: ir.Expr = args[0] if len(args) == 1 else ir.Extremum(func, tuple(args))
        if s.sup is not None:
            e = ir.power(e, self.span_value(s.sup, self.t[s.sup[0] - 1]))
        return e

    def sqrt(self, t: Token) -> ir.Expr:
        root = None
        if self.at_char("["):
            opener = self.next()
            start = self.i
            depth = 0
            while not (self.at_char("]") and depth == 0):
                if self.tok.kind == "end":
                    raise self.error(opener, "this '[' is never closed; add the matching ']'")
                depth += self.at_char("{") - self.at_char("}")
                self.i += 1
            root = self.within((start, self.i), self.expr)
            self.next()
            if root == ir.ZERO:
                raise self.error(opener, "the index of a root cannot be 0")
        e = self.within(self.arg_span(t), self.expr)
        self._last = "other"
        if root is None or root == ir.num(2):
            return ir.call("sqrt", e)
        return ir.power(e, ir.div(ir.ONE, root))  # a real root: defined where e >= 0 (e > 0 for a symbolic index)

    # -- fractions and derivatives

    def fraction(self, t: Token) -> ir.Expr | _Operator:
        top, bottom = self.arg_span(t), self.arg_span(t)
        found = self.leibniz(t, top, bottom)
        if found is not None:
            return found
        e = ir.div(self.within(top, self.expr), self.within(bottom, self.expr))
        self._last = "other"
        return e

    def _differential(self, k: int, hi: int) -> tuple[str, int] | None:
        """A d, \\partial, \\mathrm{d}, \\text{d} or \\operatorname{d} at token k: its kind and the index after it."""
        if k >= hi:
            return None
        u = self.t[k]
        if u.is_char("d"):
            return "d", k + 1
        if u.is_cmd("partial"):
            return "partial", k + 1
        if u.kind == "text" and u.text.strip() == "d":
            return "d", k + 1
        if u.is_cmd("mathrm", "operatorname", "mathit", "mathop", "text"):
            if k + 3 <= hi and self.t[k + 1].is_char("{") and self.t[k + 2].is_char("d") and self.t[k + 3].is_char("}"):
                return "d", k + 4
            if k + 1 < hi and self.t[k + 1].is_char("d"):  # \mathrm d, one token
                return "d", k + 2
        return None

    def _order(self) -> int | None:
        """^2 or ^{2} after a differential; None when the order is not a small whole number."""
        if not self.at_char("^"):
            return 1
        caret = self.next()
        toks = self._span_tokens(self.arg_span(caret))
        text = "".join(u.text for u in toks)
        if not text.isdigit() or int(text) not in DERIVATIVE_ORDER:
            return None
        return int(text)

    def _differential_variable(self) -> str | None:
        """The name after the d of dx: x, x_1, \\theta, \\hat{y}, w_{ij}."""
        v = self.tok
        if v.kind == "char" and v.text.isascii() and v.text.isalpha():
            self.next()
            base, accents = v.text, ()
        elif v.kind == "cmd" and v.text in GREEK:
            self.next()
            base, accents = v.text, ()
        elif v.kind == "cmd" and v.text in ACCENT_COMMANDS:
            self.next()
            span = self.arg_span(v)
            toks = self._span_tokens(span)
            if len(toks) != 1 or not (toks[0].kind == "char" and toks[0].text.isalpha() or
                                      toks[0].kind == "cmd" and toks[0].text in GREEK):
                return None
            base, accents = toks[0].text, (ACCENTS[v.text],)
        else:
            return None
        sub = ()
        if self.at_char("_"):
            under = self.next()
            sub = self.subscript_parts(self.arg_span(under))
        return canonical(base, accents, sub)

    def _denominator(self, span: tuple[int, int], kind: str) -> list[tuple[str, int]] | None:
        """dx, dx^2, \\partial x \\partial y, \\partial x^2 \\partial y: variables with their orders."""
        saved = self.i, self.limit
        self.i, self.limit = span
        try:
            out = []
            while self.i < self.limit:
                found = self._differential(self.i, self.limit)
                if found is None or found[0] != kind:
                    return None
                self.i = found[1]
                v = self._differential_variable()
                if v is None:
                    return None
                order = self._order()
                if order is None:
                    return None
                out.append((v, order))
            return out or None
        finally:
            self.i, self.limit = saved

    def leibniz(self, t: Token, top: tuple[int, int], bottom: tuple[int, int]) -> ir.Expr | _Operator | None:
        """\\frac{d}{dx}, \\frac{d^2 y}{dx^2}, \\frac{\\partial^2 f}{\\partial x \\partial y}; None if the
        fraction is not a derivative."""
        found = self._differential(*top)
        if found is None:
            return None
        kind = found[0]
        variables = self._denominator(bottom, kind)
        if variables is None:
            other = self._differential(*bottom)
            if other is not None:
                raise self.error(t, "cannot read this derivative; write it as \\frac{d}{dx} or "
                                    "\\frac{\\partial f}{\\partial x}, with one variable after each d")
            return None
        saved = self.i, self.limit
        self.i, self.limit = found[1], top[1]
        try:
            order = self._order()
            operand_span = (self.i, top[1])
        finally:
            self.i, self.limit = saved
        total = sum(n for _, n in variables)
        if order is None or order != total:
            raise self.error(t, f"the order on top ({order}) and the orders below ({total}) of this derivative "
                                "differ; write \\frac{d^2 y}{dx^2} or \\frac{\\partial^2 f}{\\partial x \\partial y}")
        for v, _ in variables:
            self._check_variable(t, v)
        if operand_span[0] == operand_span[1]:
            self._last = "other"
            return _Operator("diff", t, tuple(variables))
        operand = self._leibniz_operand(operand_span, variables)
        return self._differentiate(t, operand, variables)

    def _check_variable(self, t: Token, v: str) -> None:
        """A variable of differentiation must be a variable: dg/dh with h a defined function is the chain
        rule's shorthand for h(t), which verify does not guess."""
        if v in self.scope.functions and v not in self.bound and v not in self.scope.names:
            raise self.error(t, f"{v} is a function here, so a derivative with respect to {v} is unclear; define "
                                f"{v} as a name ({v} := ...) to differentiate with respect to it")
        if self.scope.variables is not None and not self._is_variable(v) and v not in self.scope.variables:
            raise self.error(t, f"unknown name {v!r} (the variables declared are: "
                                f"{', '.join(sorted(self.scope.variables)) or 'none'}; add it to variables)")

    def _leibniz_operand(self, span: tuple[int, int], variables: list[tuple[str, int]]) -> ir.Expr:
        """The f of df/dx: an expression, or a function's name alone (d\\sigma/dx is the derivative of
        \\sigma(x))."""
        toks = self._span_tokens(span)
        f = None
        if len(toks) == 1 and toks[0].kind == "cmd" and toks[0].text in GREEK and toks[0].text in self.scope.functions:
            f = self.scope.functions[toks[0].text]
        elif len(toks) == 1 and toks[0].kind == "char" and toks[0].text in self.scope.functions \
                and not self._is_variable(toks[0].text):
            f = self.scope.functions[toks[0].text]
        elif len(toks) == 1 and toks[0].kind == "cmd" and toks[0].text in FUNCTION_COMMANDS:
            name = FUNCTION_COMMANDS[toks[0].text]
            f = self.scope.functions.get(name) or ir.Function(name, ("x",), ir.call(name, ir.Var("x")))
        if f is None:
            return self.within(span, self.expr)
        names = {v for v, _ in variables}
        if len(f.params) == 1:
            if len(names) != 1:
                raise self.error(toks[0], f"{f.name} is a function of one variable; it cannot have a mixed derivative")
            return ir.Apply(f, (ir.Var(variables[0][0]),))
        if not names <= set(f.params):
            raise self.error(toks[0], f"{f.name} has the parameters {', '.join(f.params)}; write "
                                      f"{f.name}({', '.join(f.params)}) with the variables you mean")
        return ir.Apply(f, tuple(ir.Var(p) for p in f.params))

    def _differentiate(self, t: Token, operand: ir.Expr, variables) -> ir.Expr:
        for v, _ in variables:
            self._check_depends(t, operand, v)
        e = operand
        for v, n in reversed(variables):
            e = ir.Diff(e, v, n)
        self._last = "other"
        return e

    def _check_depends(self, t: Token, operand: ir.Expr, v: str) -> None:
        problem = None if v in self.index else self.scope.derivative_problem(operand, v, self.bound)
        if problem:
            raise self.error(t, problem)

    def partial(self, t: Token) -> ir.Expr | _Operator:
        """\\partial_x f (applies to the rest of its term), and \\partial f/\\partial x."""
        slash = self._slash_leibniz()
        if slash is not None:
            return slash
        self.next()
        if not self.at_char("_"):
            raise self.error(t, "\\partial is understood in \\frac{\\partial f}{\\partial x}, \\partial f/\\partial x "
                                "and \\partial_x f")
        under = self.next()
        span = self.arg_span(under)
        toks = self._span_tokens(span)
        if len(toks) != 1 and not (len(toks) >= 3 and toks[1].is_char("_")):
            raise self.error(toks[0] if toks else t, "write one variable after \\partial_, as in \\partial_x or "
                                                     "\\partial_{x_1}; for a mixed derivative, \\partial_x \\partial_y")
        saved = self.i, self.limit
        self.i, self.limit = span
        try:
            v = self._differential_variable()
            if v is None or self.i != self.limit:
                raise self.error(toks[0], "write one variable after \\partial_, as in \\partial_x")
        finally:
            self.i, self.limit = saved
        order = self._order()
        if order is None:
            raise self.error(t, "the order of a derivative must be a whole number from 1 to 10")
        self._check_variable(t, v)
        return _Operator("diff", t, ((v, order),))

    def euler_operator(self, t: Token) -> ir.Expr | _Operator:
        """Euler's D: D_x f applies to the rest of its term, like \\partial_x; D(f) differentiates f with
        respect to the one variable it has."""
        self.next()
        self.state.operators.append(("D", self.locate(t.start)))
        if self.at_char("_"):
            under = self.next()
            span = self.arg_span(under)
            saved = self.i, self.limit
            self.i, self.limit = span
            try:
                v = self._differential_variable()
                if v is None or self.i != self.limit:
                    raise self.error(t, "write one variable after D_, as in D_x f")
            finally:
                self.i, self.limit = saved
            order = self._order()
            if order is None:
                raise self.error(t, "the order of a derivative must be a whole number from 1 to 10")
            self._check_variable(t, v)
            return _Operator("diff", t, ((v, order),))
        (operand,) = self.delimited_arguments(t, "D")
        return self._prime_on_expression(t, operand, 1)

    def _slash_leibniz(self) -> ir.Expr | _Operator | None:
        """dy/dx, d/dx, \\partial L/\\partial z, d^2y/dx^2: the derivative, or None (nothing consumed)."""
        t = self.tok
        saved = self.i
        found = self._differential(self.i, self.limit)
        if found is None:
            return None
        kind = found[0]
        self.i = found[1]
        order = self._order()
        start = self.i
        while self.i < self.limit and not self.at_char("/") and (
                self.tok.kind == "char" and (self.tok.text.isalnum() or self.tok.text in "_{}")
                or self.tok.kind == "cmd" and (self.tok.text in GREEK or self.tok.text in ACCENT_COMMANDS)):
            self.i = self.match[self.i] + 1 if self.at_char("{") else self.i + 1
        operand_span = (start, self.i)
        if not self.at_char("/") or order is None:
            self.i = saved
            return None
        self.next()
        found = self._differential(self.i, self.limit)
        if found is None or found[0] != kind:
            self.i = saved
            return None
        self.i = found[1]
        v = self._differential_variable()
        below_order = self._order() if v is not None else None
        if v is None or below_order != order:
            self.i = saved
            return None
        self._check_variable(t, v)
        if operand_span[0] == operand_span[1]:
            return _Operator("diff", t, ((v, order),))
        operand = self._leibniz_operand(operand_span, [(v, order)])
        return self._differentiate(t, operand, [(v, order)])

    def apply_operator(self, op: _Operator) -> ir.Expr:
        """A derivative, sum or product applied to the rest of its term."""
        if not self.starts_factor() and not self.at_char("-"):
            raise self.error(op.token, f"this {'derivative' if op.kind == 'diff' else op.token.text} has nothing "
                                       "after it to apply to")
        if op.kind == "diff":
            operand = self.term()
            return self._differentiate(op.token, operand, op.variables)
        lo, hi = op.bounds
        saved_value = self.index.get(op.index)
        start = self.i
        values = []
        try:
            for k in range(lo, max(hi, lo - 1) + 1) if hi >= lo else [lo]:
                self.index[op.index] = k
                self.i = start
                values.append(self.term())
        finally:
            if saved_value is None:
                self.index.pop(op.index, None)
            else:
                self.index[op.index] = saved_value
        if hi < lo:
            return ir.ZERO if op.kind == "sum" else ir.ONE
        return ir.add(*values) if op.kind == "sum" else ir.mul(*values)

    def big_operator(self, t: Token) -> _Operator:
        """\\sum_{k=1}^{3} and \\prod_{k=1}^{3}: numeric bounds only."""
        s = self.scripts()
        what = "\\sum_{k=1}^{3}" if t.text == "sum" else "\\prod_{k=1}^{3}"
        if s.sub is None or s.sup is None:
            raise self.error(t, f"write the bounds of the {t.text}, as in {what}")
        toks = self._span_tokens(s.sub)
        eq = next((k for k, u in enumerate(toks) if u.is_char("=")), None)
        if eq is None:
            raise self.error(toks[0] if toks else t, f"write the index and its first value, as in {what}")
        index_toks = toks[:eq]
        if len(index_toks) != 1 or not (index_toks[0].kind == "char" and index_toks[0].text.isalpha()
                                        or index_toks[0].kind == "cmd" and index_toks[0].text in GREEK):
            raise self.error(toks[0], f"the index of a {t.text} must be one letter, as in {what}")
        lo = self._bound(self.within((s.sub[0] + eq + 1, s.sub[1]), self.expr), t, what)
        hi = self._bound(self.within(s.sup, self.expr), t, what)
        count = max(0, hi - lo + 1)
        if count > MAX_TERMS:
            raise self.error(t, f"this {t.text} has {count} terms; verify expands at most {MAX_TERMS}")
        return _Operator(t.text, t, index=index_toks[0].text, bounds=(lo, hi))

    def _bound(self, e: ir.Expr, t: Token, what: str) -> int:
        if isinstance(e, ir.Num) and e.value.denominator == 1:
            return int(e.value)
        raise self.error(t, f"the bounds of a {t.text} must be whole numbers, as in {what}; a bound such as "
                            f"{ir.show(e)} is not supported (write the {t.text} for a number of terms)")

    # -- evaluation bars

    def eval_bar(self, e: ir.Expr) -> ir.Expr:
        """f(x) \\Big|_{x=a}, \\left. f \\right|_{x=a}, and |_{x=a}^{b} (the difference)."""
        return self.evaluate(e, self.next())

    def eval_brackets(self, e: ir.Expr) -> ir.Expr:
        """[F(x)]_a^b = F(b) - F(a)."""
        return self.evaluate(e, self.t[self.i - 1])

    def evaluate(self, e: ir.Expr, bar: Token) -> ir.Expr:
        s = self.scripts()
        if s.primes:
            raise self.error(bar, "a prime after an evaluation bar is not understood")
        lower = self._bar_point(s.sub) if s.sub else None
        upper = self._bar_point(s.sup) if s.sup else None
        var = next((p[0] for p in (lower, upper) if p is not None and p[0] is not None), None)
        if var is None:
            free = sorted(self.scope.independent(e) - self.bound)
            if len(free) != 1:
                raise self.error(bar, "write the variable of this evaluation bar, as in |_{x=0}")
            var = free[0]
        self._last = "other"
        if upper is None or lower is None:
            return ir.At(e, var, (lower or upper)[1])
        return ir.sub(ir.At(e, var, upper[1]), ir.At(e, var, lower[1]))

    def _bar_point(self, span: tuple[int, int]) -> tuple[str | None, ir.Expr]:
        toks = self._span_tokens(span)
        eq = next((k for k, u in enumerate(toks) if u.is_char("=")), None)
        if eq is None:
            return None, self.within(span, self.expr)
        saved = self.i, self.limit
        self.i, self.limit = span[0], span[0] + eq
        try:
            v = self._differential_variable()
            if v is None or self.i != self.limit:
                raise self.error(toks[0], "write the variable of the evaluation bar as a name, as in |_{x=0}")
        finally:
            self.i, self.limit = saved
        return v, self.within((span[0] + eq + 1, span[1]), self.expr)
