"""Reading a LaTeX line into the intermediate form, by recursive descent over its tokens.

The rules, each documented in the README's "How LaTeX is read" (names, functions and derivatives
each have a module of their own, mixed into Reader):
- an argument of \\frac, \\sqrt, ^ and _ is one token or one {group} (TeX's rule), so \\frac12 is 1/2;
- a function without parentheses takes the juxtaposed product after it, up to the next operator,
  function or relation: \\sin 2x is sin(2x), \\sin x \\cos x is sin(x) cos(x);
- \\frac{d}{dx}, \\partial_x, \\sum and \\prod apply to the rest of their term;
- `name(...)` is a call where name is a function, a product where name is a variable;
- absolute-value bars that can be paired in more than one way are an error, never a guess.
Whatever these rules cannot settle is an error at its token.
"""

from __future__ import annotations

import re

from fractions import Fraction
from typing import Callable

from ... import ir
from ...errors import InputError
from ..names import Scope
from .commands import (ACCENT_COMMANDS, DIFFERENTIAL_COMMANDS, FONT_COMMANDS, FRACTIONS, FUNCTION_COMMANDS, GREEK,
                       MULTIPLY, PROSE, REFUSED, RELATIONS)
from .cases import COMMAND as CASES, CasesReading
from .derivatives import DerivativeReading
from .functions import FunctionReading
from .lexer import Locate, Token
from .naming import NameReading
from .parts import MAX_DEPTH, MAX_NUMBER_DIGITS, Operator, Scripts, State


def _split_differentials(tokens: list[Token]) -> list[Token]:
    """\\mathrm{dx} is the differential \\mathrm{d}x, as Socratic and some textbooks write it, never a name dx
    (\\frac{d}{\\mathrm{dx}} x^2 was read as d x^2 / dx): the letter is moved out of the braces."""
    out = list(tokens)
    for k in range(len(out) - 4):
        a, brace, d, v, close = out[k:k + 5]
        if a.kind == "cmd" and a.text in DIFFERENTIAL_COMMANDS and brace.is_char("{") and d.is_char("d") \
                and close.is_char("}") and (v.kind == "char" and v.text.isascii() and v.text.isalpha()
                                            or v.kind == "cmd" and v.text in GREEK):
            out[k + 3], out[k + 4] = close, v
    return out


class Reader(NameReading, FunctionReading, DerivativeReading, CasesReading):
    """One reading of a token list. `decisions` settles the bars that could close or open an
    absolute value, in order; `trace` records the choices made."""

    def __init__(self, tokens: list[Token], locate: Locate, scope: Scope, bound: frozenset[str],
                 decisions: tuple[bool, ...] = ()):
        end = tokens[-1].end if tokens else 0
        self.t = _split_differentials(tokens) + [Token("end", "", end, end)]
        self.locate = locate
        self.scope = scope
        self.bound = bound
        self.i = 0
        self.limit = len(tokens)
        self.depth = 0
        self.abs_depth = 0
        # the declared indices of the instance being read, and those of the sums being expanded: their values
        self.index: dict[str, int] = scope.index_values()
        self.terms = 1  # how many terms those sums expand to together
        self.decisions = decisions
        self.trace: list[bool] = []
        self.trace_at: list[int] = []
        self.chosen: dict[int, bool] = {}
        self.state = State()
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
        if over is not None:  # TeX's \over takes the whole formula, relations included
            raise self.error(self.t[over], "\\over outside braces divides the whole display, equals signs included; "
                                           "write {a \\over b} or \\frac{a}{b}")
        e = self.expr()
        if self.tok.kind == "text":
            raise self.error(self.tok, "text in the middle of a formula cannot be checked; verify reads \\text{...} "
                                       "at the end of a line as the step's hint")
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
        if isinstance(f, Operator):
            f = self.apply_operator(f)
        previous = self._last
        while True:
            t = self.tok
            if t.is_cmd(*MULTIPLY) or t.is_char("*"):
                self.next()
                g = self.factor()
                f = ir.mul(f, self.apply_operator(g) if isinstance(g, Operator) else g)
            elif t.is_char("/") or t.is_cmd("div"):
                self.next()
                g = self.factor()
                if isinstance(g, Operator):
                    raise self.error(t, "a derivative, sum or product cannot be a divisor; put it in parentheses")
                if self.starts_factor():  # 1/2x: 1/(2x) to some readers, x/2 to others
                    raise self.error(t, "a division followed by a product without an operator is unclear (1/2x): "
                                        "write \\frac{1}{2x}, or \\frac{1}{2} x")
                f = ir.div(f, g)
            elif self.starts_factor():
                if t.newline:
                    raise self.error(t, "a line break joins two expressions with no operator between them; if they "
                                        "are separate equations or text, end the first line with \\\\ (or put text "
                                        "in \\text{...})")
                self._check_juxtaposed(previous)
                g = self.factor()
                f = ir.mul(f, self.apply_operator(g) if isinstance(g, Operator) else g)
            else:
                return f
            previous = self._last

    def juxtaposed_term(self) -> ir.Expr:
        """The factors that follow, side by side, up to an operator: what a derivative without brackets
        applies to."""
        f = self.factor()
        if isinstance(f, Operator):
            return self.apply_operator(f)
        previous = self._last
        while self.starts_factor():
            t = self.tok
            if t.newline:
                raise self.error(t, "a line break joins two expressions with no operator between them; if they "
                                    "are separate equations or text, end the first line with \\\\")
            self._check_juxtaposed(previous)
            g = self.factor()
            f = ir.mul(f, self.apply_operator(g) if isinstance(g, Operator) else g)
            previous = self._last
        return f

    def _check_juxtaposed(self, previous: str) -> None:
        """A number after a name (x2) or after a number (2 3) does not read as one thing, nor does a
        number before a fraction of numbers (2\\frac{1}{2}: a mixed number or a product?)."""
        t = self.tok
        if previous == "number" and t.is_cmd(*FRACTIONS) and self._numeric_fraction():
            raise self.error(t, "a number before a fraction of numbers could be a mixed number (2\\frac{1}{2} = 5/2) "
                                "or a product (1); write \\frac{5}{2}, or 2 \\cdot \\frac{1}{2}")
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

    def _numeric_fraction(self) -> bool:
        saved = self.i
        try:
            self.i += 1
            spans = [self.arg_span(self.t[saved]), self.arg_span(self.t[saved])]
        except InputError:
            return False
        finally:
            self.i = saved
        return all(all(u.kind == "char" and (u.text.isdigit() or u.text == ".") for u in self._span_tokens(sp))
                   for sp in spans)

    def factor(self) -> ir.Expr | Operator:
        if self.at_char("-"):
            self.next()
            f = self.factor()
            return ir.neg(self.apply_operator(f) if isinstance(f, Operator) else f)
        if self.at_char("+"):
            self.next()
            return self.factor()
        return self.postfix()

    # -- what starts a factor, and absolute-value bars

    def starts_factor(self) -> bool:
        t = self.tok
        if t.kind == "end":
            return False
        if t.kind == "text":  # \text{loss} is a name; prose is not
            word = t.text.strip()
            return word == t.text and bool(re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", word)) and word.lower() not in PROSE
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
        if self.peek().is_char("_") or self.peek().is_char("^") and self.abs_depth == 0:
            return False  # an evaluation bar (|x|^2 closes an absolute value)
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
        return bar and (self.peek().is_char("_") or self.peek().is_char("^") and (closing or self.abs_depth == 0))

    def absolute(self, opener: Token) -> ir.Expr:
        self.abs_depth += 1
        try:
            e = self.expr()
        finally:
            self.abs_depth -= 1
        t = self.tok
        closes = t.is_cmd("rvert") if opener.is_cmd("lvert") else t.is_char("|") if opener.is_char("|") \
            else t.is_cmd("vert", "rvert")
        if not closes or self.peek().is_char("_"):
            raise self.error(opener, "this absolute value bar is never closed")
        self.next()
        self._last = "other"
        return ir.call("abs", e)

    # -- factors with scripts

    _last = "other"  # what the last factor was: "number", "name", "script" or "other"

    def postfix(self) -> ir.Expr | Operator:
        base = self.primary()
        if isinstance(base, Operator):
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

    def scripts(self) -> Scripts:
        """Sub- and superscripts and primes in any order: x_1^2, x^2_1, f'(x), f^{\\prime}."""
        s = Scripts()
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

    def primary(self) -> ir.Expr | Operator:
        t = self.tok
        self._last = "other"
        if t.kind == "end":
            raise self.error(t, "expected an expression here, found the end of the line"
                             if self.limit == len(self.t) - 1 else "expected an expression here")
        if t.kind == "text":
            return self._text(t)
        if t.kind == "char":
            c = t.text
            if c.isdigit() or (c == "." and self.peek().kind == "char" and self.peek().text.isdigit()
                               and not self.peek().space):
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
        if not digits or digits.count(".") > 1:
            raise self.error(start, f"{digits!r} is not a number")
        if len(digits) > MAX_NUMBER_DIGITS:
            raise self.error(start, f"this number is too long to read (the limit is {MAX_NUMBER_DIGITS} digits)")
        after, then = self.tok, self.peek()
        if after.is_char("e", "E") and not after.space and (then.kind == "char" and then.text.isdigit() or
                                                            then.is_char("-", "+") and not then.space):
            raise self.error(start, f"{digits}{after.text}{then.text}... looks like a number in scientific notation; "
                                    f"write {digits} \\times 10^{{...}}, or {digits} \\cdot e for a product with e")
        self._last = "number"
        return ir.Num(Fraction(digits))

    def _parenthesized(self) -> ir.Expr:
        t = self.next()
        closing = ")" if t.text == "(" else "]"
        e = self.expr()
        if closing == "]" and (self.at_char("=") or self.at_cmd("ne", "neq")):
            return self._iverson(t, e)
        if self.at_char(","):
            raise self.error(self.tok, f"a comma inside brackets: ({', '.join(['a', 'b'])}) is not a number; a function of "
                                       "several arguments must be a defined function, and a value at a point needs an "
                                       "evaluation bar |_{x=a}")
        if not self.at_char(closing):
            raise self.error(self.tok, f"expected '{closing}' to match the '{t.text}' at column "
                                       f"{self.locate(t.start).col}, found {self.tok.shown()}")
        self.next()
        if closing == "]" and self.at_char("_"):
            return self.eval_brackets(e)
        self._last = "other"
        return e

    def _iverson(self, t: Token, a: ir.Expr) -> ir.Expr:
        """[i = j] and [i \\neq j], of index values: 1 where it holds, else 0."""
        equal = self.next().is_char("=")
        b = self.expr()
        if not self.at_char("]"):
            raise self.error(self.tok, f"expected ']' to match the '[' at column {self.locate(t.start).col}")
        self.next()
        if not (isinstance(a, ir.Num) and isinstance(b, ir.Num)):
            raise self.error(t, "a bracket [i = j] is the Kronecker delta of index values; declare the indices (indices "
                                "i = 1, j = 2) so that both sides are numbers")
        self._last = "other"
        return ir.ONE if (a.value == b.value) == equal else ir.ZERO

    def _braced(self) -> ir.Expr:
        t = self.tok
        close = self.match[self.i]
        if close == self.i + 1:
            raise self.error(t, "empty braces {} hold nothing to read")
        word = self._function_word_in(self.i + 1, close)
        if word is not None:  # {\mathrm{cos}}^2(x): a function's name in braces, then its scripts and argument
            self.i = close + 1
            return self.function(self.t[self.i - 1], word)
        first = self.t[self.i + 1]
        if first.kind == "cmd" and first.text in FRACTIONS and self.match.get(self.i + 2) is not None:
            top_close = self.match[self.i + 2]
            if self.t[top_close + 1].is_char("{") and self.match.get(top_close + 1) == close - 1:
                found = self.leibniz(first, (self.i + 3, top_close), (top_close + 2, close - 1))
                if isinstance(found, Operator):  # {\frac {d}{dx}}\cot(x), as Wikipedia writes it
                    self.i = close + 1
                    return found
        over = self._top_level_over(self.i + 1, close)
        lead = self.t[self._bare((self.i + 1, over))[0]] if over is not None else None
        if lead is not None and (lead.is_char("d") or lead.is_cmd("partial")):  # {d \over dx}, {{dy} \over {dx}}
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

    # -- commands

    def _command(self, t: Token) -> ir.Expr | Operator:
        c = t.text
        if c in ("Delta", "delta") and not self._is_variable(c) and self.peek().kind == "char" \
                and self.peek().text.isalpha():
            raise self.error(t, f"\\{c} {self.peek().text} reads as a change in {self.peek().text}, which verify cannot "
                                f"check; for a product, write \\{c} \\cdot {self.peek().text}")
        if c in GREEK:
            self.next()
            return self.named(t, c)
        if c == "pi":
            self.next()
            if self.at_char("_"):  # \pi_1 is a name
                return self.named(t, "pi")
            if self.at_char("(") and self._single_atom_group():
                raise self.error(t, "\\pi(x) could be the prime-counting function or \\pi \\cdot x; write \\pi \\cdot x "
                                    "for the product")
            self._last = "name"
            return ir.Const("pi")

        if c in FRACTIONS:
            self.next()
            return self.fraction(t)
        if c == "sqrt":
            self.next()
            return self.sqrt(t)
        if c in ("usqrt", "ucbrt", "uqrt"):  # √x, √(x+1), ∛x as pasted
            self.next()
            start = self.i
            arg = self._parenthesized() if self.at_char("(") else self.primary()
            if isinstance(arg, Operator):
                raise self.error(t, "a root sign cannot take a derivative, sum or product without brackets; write "
                                    "√(...) or \\sqrt{...}")
            if self.at_char("^") or not self.t[start].is_char("(") and any(u.is_char("^") for u in self.t[start:self.i]):
                raise self.error(t, "√x² is unclear in plain characters: write √(x²) or (√x)², or \\sqrt{x^2}")
            n = {"usqrt": 2, "ucbrt": 3, "uqrt": 4}[c]
            self._last = "other"
            return ir.call("sqrt", arg) if n == 2 else ir.power(arg, ir.Num(Fraction(1, n)))
        if c in FUNCTION_COMMANDS:
            self.next()
            return self.function(t, c)
        if c in ("max", "min"):
            self.next()
            return self.extremum(t)
        if c in ("sum", "prod"):
            self.next()
            return self.big_operator(t)
        if c == "int":
            self.next()
            return self.integral(t)
        if c == CASES:
            self.next()
            return self.cases(t)
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
            inner_start = self.i
            e = self.expr()
            if self.at_cmd("rightdot") and self.t[inner_start].is_cmd(CASES):  # \left\{ \begin{cases} ... \right.
                self.next()
                return e
            if not self.at_cmd("}"):
                raise self.error(self.tok, f"expected '\\}}' to match the '\\{{' at column {self.locate(t.start).col}")
            if not any(u.is_char("(", "[") for u in self.t[inner_start:self.i]):
                raise self.error(t, "\\{x\\} is a set, or the fractional part of x; for brackets write ( ), "
                                    "and \\{ \\} only around brackets, as in \\{2[x + (y - 1)]\\}")
            self.next()
            return e
        if c in ("mathbb", "mathbf", "mathds", "mathbbm", "boldsymbol", "bm") and self.at_indicator():
            self.next()
            return self.indicator(t)
        if c in REFUSED:
            raise self.error(t, REFUSED[c])
        if c == "sgn" and self._function_named(c):  # \sgn, as Wikipedia writes it: sign(x), 0 at 0
            self.next()
            return self.function(t, c)
        if c in MULTIPLY or c == "div":
            raise self.error(t, f"'\\{c}' needs an expression before it and after it; two operators in a row?")
        if c in RELATIONS:
            raise self.error(t, "a relation inside a line: verify checks chains of '=' (and reads a trailing "
                                "'\\text{for } x > 0' as a condition)")
        raise self.error(t, f"cannot read '\\{c}' (verify does not know this command: if it is a macro of yours, "
                            "give its \\newcommand in the document, in [latex.macros] or with --macros FILE; see the "
                            "README for the LaTeX it reads)")


