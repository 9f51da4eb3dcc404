"""Functions in a LaTeX line: built in (\\sin), from the prelude (\\sec) or defined; their scripts
(\\log_2, \\sin^2, \\sin^{-1}, \\tanh'), and how far an argument without parentheses reaches."""

from __future__ import annotations

from fractions import Fraction

from ... import ir
from ..names import ALIASES, ML_SPELLINGS, PRELUDE
from .commands import ACCENT_COMMANDS, FONT_COMMANDS, FRACTIONS, FUNCTION_COMMANDS, GREEK, INVERSES
from .lexer import Token
from .parts import Operator


class FunctionReading:
    """Mixed into Reader: uses its tokens (self.tok, self.next, self.within, ...) and scope."""

    def _function_word_in(self, lo: int, hi: int) -> str | None:
        """The function named by the tokens lo..hi alone: \\cos, \\mathrm{cos}, \\operatorname{log}."""
        toks = self.t[lo:hi]
        if len(toks) == 1 and toks[0].kind == "cmd" and toks[0].text in FUNCTION_COMMANDS:
            return toks[0].text
        if len(toks) == 1 and toks[0].kind == "text" and len(toks[0].text.strip()) > 1 \
                and self._function_named(toks[0].text.strip()):  # {\text{cosec}}^{2}(x), as Wikipedia writes it
            return toks[0].text.strip()
        if len(toks) >= 4 and toks[0].is_cmd("mathrm", "operatorname", "text") and toks[1].is_char("{") \
                and toks[-1].is_char("}") and all(u.kind == "char" and u.text.isalpha() for u in toks[2:-1]):
            word = "".join(u.text for u in toks[2:-1])
            return word if len(word) > 1 and self._function_named(word) else None
        return None

    def _function_named(self, word: str) -> bool:
        return word in FUNCTION_COMMANDS or word in ALIASES or word in ir.FUNCTIONS or word in ir.EXTREMA or \
            word in self.scope.functions or ML_SPELLINGS.get(word) in self.scope.functions

    def function(self, t: Token, word: str) -> ir.Expr:
        """A function by its name: built in (\\sin, \\ln), from the prelude (\\sec) or defined
        (\\operatorname{softplus}), with its scripts: \\log_2, \\sin^2, \\sin^{-1}, \\tanh'."""
        if word in ir.EXTREMA:
            return self.extremum(t, word)
        f = FUNCTION_COMMANDS.get(word, ALIASES.get(word, ML_SPELLINGS.get(word, word)))
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
        else:  # the callers read only names of functions: this one was made a name
            raise self.error(t, f"\\{word} is not a function here (a verify: variable comment made {f} a name)")
        if primes or len(defined.params) != 1 or f not in ir.FUNCTIONS and self.at_char("("):
            return self.apply_defined(t, defined, primes, power)
        arg = self.argument(t, word)
        e = ir.call(f, arg) if f in ir.FUNCTIONS else ir.Apply(defined, (arg,))
        if word == "log" and base is None:
            self._common_log(t, arg)
        if base is not None:
            e = ir.div(e, ir.call("log", base))
        if power is not None:
            e = ir.power(e, self.span_value(power, self.t[power[0] - 1]))
        self._last = "other"
        return e

    def _common_log(self, t: Token, arg: ir.Expr) -> None:
        """\\log is the natural logarithm here. A document that also writes \\log_{10} may mean the common one:
        an error; \\log 1000 alone (a power of ten) gets a note."""
        if self.scope.common_log:
            raise self.error(t, "this text writes \\log_{10} too, so a bare \\log may mean the common logarithm "
                                "here; write \\ln for the natural logarithm, or \\log_{10}")
        v = arg.value if isinstance(arg, ir.Num) else None
        if v is not None and v > 0 and v != 1 and v.numerator.bit_length() + v.denominator.bit_length() < 4000 and \
                Fraction(10) ** (len(str(v.numerator)) - len(str(v.denominator))) == v:  # 1000, 0.01
            self.state.notes.append(f"\\log {ir.show(arg)} is read as the natural logarithm; for the common "
                                    "logarithm write \\log_{10}")

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
        if self.at_char("{") and self._braced_bracket():  # \sin{\left(x\right)}, as SymPy prints it
            return self._braced()
        return self.juxtaposed_argument(t, word)

    def _braced_bracket(self) -> bool:
        """At {...}: whether it holds one bracketed group and nothing else."""
        close = self.match[self.i]
        first = self.t[self.i + 1]
        if not first.is_char("(", "["):
            return False
        depth = 0
        for k in range(self.i + 1, close):
            depth += self.t[k].is_char("(", "[") - self.t[k].is_char(")", "]")
            if depth == 0:
                return k == close - 1
        return False

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
        # \sqrt{x} and e^{x} take their own argument, so the product goes on after them: \ln e^{x} y
        atom = self.tok.is_cmd("sqrt") or self.tok.is_char("e") and self.peek().is_char("^")
        if self.starts_function() and not atom:
            f = self.factor()
            if isinstance(f, Operator) and f.kind in ("sum", "prod"):  # \log \sum_j e^{z_j}: of the whole sum
                return self.apply_operator(f)
            if isinstance(f, Operator):
                raise self.error(t, f"\\{word} cannot take a derivative without parentheses; write \\{word}(...)")
            return f
        if self.at_char("{") and self._sum_inside(self.i, self.match.get(self.i, self.i)):
            raise self.error(self.tok, f"\\{word}{{...}} shows no brackets, so a sum in the braces reads as "
                                       f"\\{word} of its first term; write \\{word}(...)")
        if not self.starts_factor():
            raise self.error(t, f"\\{word} needs an argument, as in \\{word}(x) or \\{word} x")
        previous = "other"
        factors = []
        while self.starts_factor() and (not self.starts_function() or atom and not factors) \
                and not (factors and not self._simple_atom()) and not (factors and self.tok.gap):
            self._check_juxtaposed(previous)
            f = self.postfix()
            if isinstance(f, Operator):
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

    def _sum_inside(self, open_: int, close: int) -> bool:
        """A '+' or '-' between terms at the top level of the braces from `open_` to `close`."""
        depth = 0
        for k in range(open_ + 1, close):
            u = self.t[k]
            depth += u.is_char("{", "(", "[") - u.is_char("}", ")", "]")
            if depth == 0 and u.is_char("+", "-") and k > open_ + 1:
                return True
        return False

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
            built_in = " (built in)" if PRELUDE.functions.get(f.name) is f else ""
            raise self.error(t, f"{f.name} is a function here{built_in}; write its argument in parentheses, as in "
                                f"{f.name}({', '.join(f.params)}), or, where {f.name} is a variable, say so with "
                                f"<!-- verify: variable {f.name} --> (variables = [...] in a proof file)")
        if len(args) != len(f.params):
            raise self.error(t, f"{f.name} takes {len(f.params)} argument(s), not {len(args)}")
        e: ir.Expr = ir.Apply(f, tuple(args), primes)
        if power is not None:
            e = ir.power(e, self.span_value(power, self.t[power[0] - 1]))
        self._last = "other"
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
