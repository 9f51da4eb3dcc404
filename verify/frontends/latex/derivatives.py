"""Calculus notation in a LaTeX line: Leibniz fractions of any order and mixed partials, \\partial_x,
Euler's D, d/dx, primes on expressions, finite sums and products, and evaluation bars."""

from __future__ import annotations

from ... import ir
from ..names import ACCENTS, name as canonical
from .commands import ACCENT_COMMANDS, DIFFERENTIAL_COMMANDS, FRACTIONS, FUNCTION_COMMANDS, GREEK
from .lexer import Token
from .parts import DERIVATIVE_ORDER, MAX_TERMS, Operator

# the names that usually depend on a variable: y on x; x, y and z on t
DEPENDENTS = {"x": {"y"}, "t": {"x", "y", "z"}}


class DerivativeReading:
    """Mixed into Reader: uses its tokens (self.tok, self.next, self.within, ...) and scope."""

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

    def fraction(self, t: Token) -> ir.Expr | Operator:
        top, bottom = self.arg_span(t), self.arg_span(t)
        if self.t[top[0]].is_char("D") and self.t[bottom[0]].is_char("D") and bottom[1] - bottom[0] >= 2 \
                and not self._is_variable("D"):
            raise self.error(t, "D/Dt (a material derivative) is not supported; for an ordinary derivative write "
                                "\\frac{d}{dt}")
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
        if u.kind == "cmd" and u.text in DIFFERENTIAL_COMMANDS:
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
        if text.isdigit() and int(text) > DERIVATIVE_ORDER[-1]:
            raise self.error(caret, f"the order of a derivative must be a whole number from 1 to "
                                    f"{DERIVATIVE_ORDER[-1]}, not {text}")
        if not text.isdigit() or int(text) not in DERIVATIVE_ORDER:
            return None
        return int(text)

    def _differential_variable(self) -> str | None:
        """The name after the d of dx: x, x_1, \\theta, \\hat{y}, w_{ij}, or one of them in braces
        (\\partial{x}, as some write it)."""
        v = self.tok
        if v.is_char("{"):
            close = self.match[self.i]
            saved = self.i, self.limit
            self.i, self.limit = self.i + 1, close
            try:
                name = self._differential_variable()
                whole = self.i == self.limit
            finally:
                self.i, self.limit = saved
            if name is None or not whole:
                return None
            self.i = close + 1
            return name
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

    def leibniz(self, t: Token, top: tuple[int, int], bottom: tuple[int, int]) -> ir.Expr | Operator | None:
        """\\frac{d}{dx}, \\frac{d^2 y}{dx^2}, \\frac{\\partial^2 f}{\\partial x \\partial y}; None if the
        fraction is not a derivative."""
        top, bottom = self._bare(top), self._bare(bottom)  # \\frac{{dy}}{{dx}}, {{dy} \\over {dx}}
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
            return Operator("diff", t, tuple(variables), total=kind == "d")
        operand = self._leibniz_operand(operand_span, variables)
        return self._differentiate(t, operand, variables, kind == "d")

    def _bare(self, span: tuple[int, int]) -> tuple[int, int]:
        """The inside of a span that is one {group} and nothing else."""
        while span[1] - span[0] >= 2 and self.t[span[0]].is_char("{") and self.match.get(span[0]) == span[1] - 1:
            span = (span[0] + 1, span[1] - 1)
        return span

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
            f = self.scope.functions.get(name) or (ir.Function(name, ("x",), ir.call(name, ir.Var("x")))
                                                   if name in ir.FUNCTIONS else None)
            if f is None:
                raise self.error(toks[0], f"\\{toks[0].text} is not a function here (a verify: variable comment made "
                                          f"{name} a name)")
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

    def _differentiate(self, t: Token, operand: ir.Expr, variables, total: bool = False) -> ir.Expr:
        for v, _ in variables:
            self._check_depends(t, operand, v)
            if total:
                self._check_implicit(t, operand, v)
        e = operand
        for v, n in reversed(variables):
            e = ir.Diff(e, v, n)
        self._last = "other"
        return e

    def _check_depends(self, t: Token, operand: ir.Expr, v: str) -> None:
        problem = None if v in self.index else self.scope.derivative_problem(operand, v, self.bound)
        if problem:
            raise self.error(t, problem)

    def _leibniz_ahead(self, k: int) -> bool:
        """A derivative of a name, such as \\frac{du}{dx}, starts at token k (not the operator \\frac{d}{dx})."""
        if k + 1 >= self.limit or not self.t[k + 1].is_char("{"):
            return False
        close = self.match.get(k + 1, k + 2)
        found = self._differential(k + 2, close)
        return found is not None and found[1] < close  # du/dx, not the operator d/dx

    def _check_implicit(self, t: Token, operand: ir.Expr, v: str) -> None:
        """d/dx (x^2 + y^2) with y defined nowhere: y as a constant or as y(x) (implicit differentiation)
        give different derivatives, and which one is meant is unclear."""
        free = self.scope.independent(operand) - self.bound - set(self.index) - {v}
        dependent = sorted(free & DEPENDENTS.get(v, set()))
        if dependent:
            n = dependent[0]
            raise self.error(t, f"{n} is defined nowhere, so whether it depends on {v} is unclear; declare "
                                f"{n} = {n}({v}) for implicit differentiation, or write \\frac{{\\partial}}"
                                f"{{\\partial {v}}} to hold {n} fixed")

    def partial(self, t: Token) -> ir.Expr | Operator:
        """\\partial_x f (applies to the rest of its term), and \\partial f/\\partial x."""
        slash = self._slash_leibniz()
        if slash is not None:
            return slash
        self.next()
        early = self._order() if self.at_char("^") else None  # \partial^2_x, as well as \partial_x^2
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
        order = self._order() if early is None else early
        if order is None or early is not None and self.at_char("^"):
            raise self.error(t, "the order of a derivative must be a whole number from 1 to 10, written once")
        self._check_variable(t, v)
        return Operator("diff", t, ((v, order),))

    def euler_operator(self, t: Token) -> ir.Expr | Operator:
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
            return Operator("diff", t, ((v, order),))
        (operand,) = self.delimited_arguments(t, "D")
        return self._prime_on_expression(t, operand, 1)

    def _slash_leibniz(self) -> ir.Expr | Operator | None:
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
            return Operator("diff", t, ((v, order),), total=kind == "d")
        operand = self._leibniz_operand(operand_span, [(v, order)])
        return self._differentiate(t, operand, [(v, order)], kind == "d")

    def apply_operator(self, op: Operator) -> ir.Expr:
        """A derivative applied to the bracket right after it, or else, like a sum or product, to the rest
        of its term."""
        if not self.starts_factor() and not self.at_char("-"):
            raise self.error(op.token, f"this {'derivative' if op.kind == 'diff' else op.token.text} has nothing "
                                       "after it to apply to")
        if op.kind == "diff":
            if self.at_char("(", "["):  # d/dy (y^2) dy/dx: the bracket is the operand, the rest multiplies
                operand = self.postfix()
                if self.starts_factor() and not (self.tok.kind == "cmd" and self.tok.text in FRACTIONS
                                                 and self.starts_function()):
                    raise self.error(self.tok, "what this derivative applies to is unclear: write "
                                               "\\frac{d}{dx}\\left[(x^2)(x^3)\\right] for the whole product, or "
                                               "\\left(\\frac{d}{dx}(x^2)\\right)(x^3) for the first factor")
                return self._differentiate(op.token, operand, op.variables, op.total)
            operand = self.juxtaposed_term()
            then = self.t[self.i + 1] if self.i + 1 < self.limit else None
            chain_rule = self.at_cmd("cdot", "times") and then is not None and then.kind == "cmd" and \
                then.text in FRACTIONS and self._leibniz_ahead(self.i + 1)  # \frac{d}{du}\sqrt u \cdot \frac{du}{dx}
            if not chain_rule and (self.at_cmd("cdot", "times", "div") or self.at_char("*", "/")):
                raise self.error(self.tok, "what this derivative applies to is unclear: put brackets around it, "
                                           "as in \\frac{d}{dx}(x \\cdot y) or (\\frac{d}{dx} x) \\cdot y")
            return self._differentiate(op.token, operand, op.variables, op.total)
        lo, hi = op.bounds
        self.terms *= max(1, hi - lo + 1)
        if self.terms > MAX_TERMS:
            raise self.error(op.token, f"these sums and products expand to more than {MAX_TERMS} terms")
        saved_value = self.index.get(op.index)
        start = self.i
        values = []
        try:
            for k in range(lo, max(hi, lo - 1) + 1) if hi >= lo else [lo]:
                if k == op.skip:
                    continue
                self.index[op.index] = k
                self.i = start
                values.append(self.term())
        finally:
            self.terms //= max(1, hi - lo + 1)
            if saved_value is None:
                self.index.pop(op.index, None)
            else:
                self.index[op.index] = saved_value
        if hi < lo or not values:
            return ir.ZERO if op.kind == "sum" else ir.ONE
        return ir.add(*values) if op.kind == "sum" else ir.mul(*values)

    def big_operator(self, t: Token) -> Operator:
        """\\sum_{k=1}^{3} and \\prod_{k=1}^{3}: numeric bounds only."""
        s = self.scripts()
        what = "\\sum_{k=1}^{3}" if t.text == "sum" else "\\prod_{k=1}^{3}"
        if s.sub is not None and s.sup is None:
            return self._over_declared_range(t, self._span_tokens(s.sub), what)
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
        return Operator(t.text, t, index=index_toks[0].text, bounds=(lo, hi))

    def _over_declared_range(self, t: Token, toks: list[Token], what: str) -> Operator:
        """\\sum_j and \\sum_{j \\neq i} where the indices are declared: j runs over its range (1..n), leaving
        out the value of i."""
        letter = toks[0] if toks and toks[0].kind == "char" and toks[0].text.isalpha() else None
        skip = None
        if letter is not None and len(toks) == 3 and toks[1].is_cmd("ne", "neq") and toks[2].kind == "char":
            other = toks[2].text
            if not (other.isdigit() or other in self.index):
                raise self.error(toks[2], f"{other} in \\{t.text}_{{{letter.text} \\neq {other}}} is not a declared index "
                                          f"or a number; declare it (indices {other} = 1)")
            skip = int(other) if other.isdigit() else self.index[other]
        elif letter is None or len(toks) != 1:
            raise self.error(toks[0] if toks else t, f"write the bounds of the {t.text}, as in {what}")
        end = self.scope.indices.end(letter.text) if self.scope.indices is not None else None
        if end is None:
            declared = "" if self.scope.indices is not None else " (indices n = 3)"
            raise self.error(t, f"write the bounds of the {t.text}, as in {what}: {letter.text}'s range is not "
                                f"declared{declared}; declare it (as in indices {letter.text} = \"1..n\") or the one "
                                "size n, or write the bounds")
        return Operator(t.text, t, index=letter.text, bounds=(1, end), skip=skip)  # end <= indices.MAX_VALUE

    def integral(self, t: Token) -> ir.Expr:
        """\\int f(x) \\, dx, \\int f \\,\\mathrm{d}x and \\int_a^b f dx: the integrand ends at the first
        differential (outside brackets) followed by a variable."""
        s = self.scripts()
        if s.primes or (s.sub is None) != (s.sup is None):
            raise self.error(t, "write both bounds of a definite integral, as in \\int_0^1 f(x) \\, dx, or none")
        if self.at_char("{") and self._braced_differential(self.i):  # \int{\frac{1}{x^2-1} dx}, as emathhelp writes
            close, saved = self.match[self.i], self.limit
            self.i, self.limit = self.i + 1, self.match[self.i]
            try:
                e = self._integrand(t, s)
                if self.i != self.limit:
                    raise self.error(self.tok, "write the differential last inside the braces, as in "
                                               "\\int{f(x) \\, dx}")
            finally:
                self.limit = saved
            self.i = close + 1
            return e
        return self._integrand(t, s)

    def _braced_differential(self, k: int) -> bool:
        """The group at k ends with a differential and its variable: dx, d\\theta, \\mathrm{d}x."""
        close = self.match.get(k)
        if close is None:
            return False
        v = self.t[close - 1]
        return (v.kind == "char" and v.text.isalpha() or v.kind == "cmd") and any(
            (found := self._differential(j, close)) is not None and found[0] == "d" and found[1] == close - 1
            for j in range(k + 1, close))

    def _integrand(self, t: Token, s) -> ir.Expr:
        start, depth, k = self.i, 0, self.i
        while k < self.limit:
            u = self.t[k]
            if u.is_char("{"):
                k = self.match[k] + 1
                continue
            depth += u.is_char("(", "[") - u.is_char(")", "]")
            found = self._differential(k, self.limit) if depth == 0 and k > start else None
            if found is not None and found[0] == "d":
                saved = self.i, self.limit
                self.i = found[1]
                v = self._differential_variable()
                end = self.i
                self.i, self.limit = saved
                if v is not None:
                    break
            k += 1
        else:
            found = self._differential_over(start)
            if found is None:
                raise self.error(t, "write the variable of integration after the integrand, as in \\int f(x) \\, dx")
            body, v = found
            self._last = "other"
            if s.sub is None:
                return ir.Integral(body, v)
            return ir.Integral(body, v, self.within(s.sub, self.expr), self.within(s.sup, self.expr))
        body = self.within((start, k), self.expr)
        self.i = end
        self._last = "other"
        if s.sub is None:
            return ir.Integral(body, v)
        return ir.Integral(body, v, self.within(s.sub, self.expr), self.within(s.sup, self.expr))

    def _differential_over(self, start: int) -> tuple[ir.Expr, str] | None:
        """\\int \\frac{dx}{x} and \\int \\frac{x \\, dx}{1 + x^2}: the differential ends the numerator of a
        fraction that is the whole integrand. The integrand, and the variable; None otherwise."""
        t = self.t[start]
        if not (t.kind == "cmd" and t.text in ("frac", "dfrac", "tfrac") and self.t[start + 1].is_char("{")):
            return None
        top_close = self.match[start + 1]
        if not self.t[top_close + 1].is_char("{") or self.match[top_close + 1] + 1 != self.limit:
            return None
        bottom = (top_close + 2, self.match[top_close + 1])
        for k in range(start + 2, top_close):
            found = self._differential(k, top_close)
            if found is None or found[0] != "d":
                continue
            saved = self.i, self.limit
            self.i, self.limit = found[1], top_close
            v = self._differential_variable()
            done = self.i == top_close
            self.i, self.limit = saved
            if v is not None and done:
                top = self.within((start + 2, k), self.expr) if k > start + 2 else ir.ONE
                self.i = self.limit
                return ir.div(top, self.within(bottom, self.expr)), v
        return None

    def _bound(self, e: ir.Expr, t: Token, what: str) -> int:
        if isinstance(e, ir.Num) and e.value.denominator == 1:
            return int(e.value)
        raise self.error(t, f"the bounds of a {t.text} must be whole numbers, as in {what}; a bound such as "
                            f"{ir.show(e)} is not supported (write the {t.text} for a number of terms)")

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
