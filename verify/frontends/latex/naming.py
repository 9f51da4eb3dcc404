"""Names in a LaTeX line: letters and words, Greek letters, accents and fonts, subscripts, and what a
name followed by '(' or a prime means. Each variable gets one spelling (names.name)."""

from __future__ import annotations

import re
from fractions import Fraction

from ... import ir
from ..indices import INDEX_LETTERS
from ..names import ACCENTS, ALIASES, AMBIGUOUS_FUNCTIONS, INVERSE_FUNCTIONS, PRELUDE, name as canonical, unknown_function
from .commands import ACCENT_COMMANDS, ENGLISH, FUNCTION_COMMANDS, GREEK, PROSE, SHORT_WORDS
from .lexer import Token
from .parts import Operator


# letters in another alphabet are other names: \mathcal{L} is L_cal, not L
STYLES = {"mathcal": "cal", "mathscr": "scr", "mathfrak": "frak"}


class NameReading:
    """Mixed into Reader: uses its tokens (self.tok, self.next, self.within, ...) and scope."""

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
        if re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", word) and word.lower() not in PROSE and word == t.text:
            # \text{loss}: one word is a name; \text{and} or \text{Then } is prose
            self.next()
            return self.named(t, word)
        raise self.error(t, "text in the middle of a formula cannot be checked; verify reads \\text{...} at the "
                            "end of a line as the step's hint")

    def _euler(self, t: Token) -> ir.Expr:
        if self.at_char("^"):
            caret = self.next()
            power = self.script_value(caret)
            if "i" in ir.free_names(power) and not self._is_variable("i"):
                raise self.error(t, "e^{i...} reads i as a real variable; complex numbers are not supported (if i "
                                    "is a real variable, write another letter)")
            if self.at_char("^"):
                raise self.error(self.tok, "two superscripts in a row; write e^{x \\cdot 2} or (e^{x})^{2}")
            self._last = "script"
            return ir.call("exp", power)
        self._last = "name"
        return ir.Const("e")

    def _letter(self) -> ir.Expr | Operator:
        t = self.tok
        run = self._letter_run()
        word = self._function_word(t, run) if len(run) > 1 else None
        after = self.t[self.i + len(run)] if self.i + len(run) < self.limit else None
        if run.lower() in ENGLISH or run.lower() in SHORT_WORDS and (t.gap or after is not None and after.gap):
            raise self.error(t, f"'{run}' is a word, not a product of letters; write text as \\text{{{run} ...}}")
        if word is None and len(run) >= 3 and after is not None and after.is_char("("):
            raise self.error(t, f"'{run}(' reads as a product of the letters {', '.join(run)} and (...); write "
                                f"\\operatorname{{{run}}}(...) for a function (defined "
                                f"{self.scope.define_with.replace('{name}', run)})")
        if word is None and len(run) >= 3 and not all(self._is_variable(c) for c in run):  # uvw with u, v, w defined
            raise self.error(t, f"'{run}' reads as the product {'·'.join(run)}; write \\mathrm{{{run}}} (or "
                                f"\\text{{{run}}}) for a name, or put spaces or \\cdot between the letters of a product")
        if word is not None:
            self.i += len(word)
            self.state.notes.append(f"'{word}(' without a backslash was read as \\{word}")
            return self.function(t, word)
        if t.text == "D" and not self._is_variable("D") and "D" not in self.scope.functions \
                and self.peek().is_char("_", "(", "["):
            return self.euler_operator(t)
        if t.text in "d" and not self._is_variable("d"):
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

    def named(self, t: Token, base: str, accents: tuple[str, ...] = ()) -> ir.Expr | Operator:
        """A variable, or a function applied: base with accents, then its scripts and primes."""
        if base in self.index and not accents and not self.at_char("_"):
            self._last = "number"
            return ir.Num(Fraction(self.index[base]))
        s = self.scripts()
        delta = self._kronecker(s) if base == "delta" and not accents else None
        if delta is not None:
            return delta
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
        note = "i is read as a real variable, not as the imaginary unit"
        if n == "i" and n not in self.bound and n not in self.scope.names and note not in self.state.notes:
            self.state.notes.append(note)
        function = self.scope.functions.get(n) if n not in self.bound and n not in self.scope.names \
            and n not in (self.scope.variables or ()) else None
        if function is not None:
            if power is not None:
                kind = self._function_sup(power)
                if kind == "inverse":
                    return self._inverse_of(t, function)
                if isinstance(kind, int):  # f^{(2)}(x)
                    s.primes, power = s.primes + kind, None
            return self.apply_defined(t, function, s.primes, power)
        if power is not None and n in self.scope.names:
            kind = self._function_sup(power)
            if isinstance(kind, int):  # y^{(2)}: the second derivative of a defined name
                s.primes, power = s.primes + kind, None
        if s.primes:
            e = self._prime_on_name(t, n, s.primes)
        else:
            e = self._variable(t, n, directly=power is None)
        if power is not None:
            self._check_label(power, t)
            e = ir.power(e, self.span_value(power, self.t[power[0] - 1]))
            self._last = "script"
        return e

    def _kronecker(self, s) -> ir.Expr | None:
        """\\delta_{ij} and \\delta_{i,j} where i or j is an index: 1 where their values are equal, else 0."""
        if s.sub is None or s.sup is not None or s.primes:
            return None
        atoms = [u for u in self._span_tokens(s.sub) if not u.is_char(",")]
        if len(atoms) != 2 or not all(u.kind == "char" and (u.text.isdigit() or u.text in self.index) for u in atoms) \
                or not any(u.text in self.index for u in atoms):
            return None
        a, b = (int(u.text) if u.text.isdigit() else self.index[u.text] for u in atoms)
        self._last = "name"
        return ir.ONE if a == b else ir.ZERO

    def _inverse_of(self, t: Token, f: ir.Function) -> ir.Expr:
        """\\sigma^{-1}(p) is logit(p) where the prelude knows the inverse; otherwise it could be the inverse
        function or 1/f, and is an error."""
        inverse = INVERSE_FUNCTIONS.get(f.name)
        if inverse is None or f is not PRELUDE.functions.get(f.name) or inverse not in self.scope.functions:
            raise self.error(t, f"{f.name}^{{-1}} could mean the inverse function or 1/{f.name}; write the inverse "
                                f"by its name, or 1/{f.name}(x)")
        return self.apply_defined(t, self.scope.functions[inverse], 0, None)

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
        called = directly and self.at_char("(", "[")
        if called and self._single_atom_group():
            bracket = self.tok.text + "..." + (")" if self.tok.text == "(" else "]")
            if n in self.scope.names:
                raise self.error(t, f"{n} is a defined name, so {n}{bracket} could be its value at a point or a "
                                    f"product; write {n} \\cdot {bracket} for a product, or use an evaluation bar |_{{x=a}}")
            raise self.error(t, f"{n}{bracket} reads as a function, but {n} is not a defined function: define the "
                                f"function {n} ({self.scope.define_with.replace('{name}', n)}), or write "
                                f"{n} \\cdot {bracket} for a product")
        if called and not self._is_variable(n):
            self.state.products.append((n, self.locate(t.start)))
        elif not called:
            self.state.variables.add(n)
        self._last = "name"
        return ir.Var(n)

    def _single_atom_group(self) -> bool:
        """At (x), (2), [X], (\\hat y): brackets around one name or number."""
        k = self.i + 1
        close = ")" if self.tok.text == "(" else "]"
        depth, atoms = 0, 0
        while k < self.limit:
            u = self.t[k]
            if u.is_char(close) and depth == 0:
                return atoms == 1
            if u.is_char("{"):
                depth += 1
            elif u.is_char("}"):
                depth -= 1
            elif depth == 0:
                if u.kind == "char" and (u.text.isalnum() or u.text in "._'") or u.kind == "cmd" and (
                        u.text in GREEK or u.text in ACCENT_COMMANDS or u.text == "pi"):
                    atoms += 1 if not (u.kind == "char" and (u.text.isdigit() or u.text in "._'")
                                       and k > self.i + 1 and self.t[k - 1].kind == "char"
                                       and (self.t[k - 1].text.isdigit() or self.t[k - 1].text in "._")) else 0
                    if u.is_char("_"):
                        atoms -= 1
                else:
                    return False
            k += 1
        return False

    def _prime_on_name(self, t: Token, n: str, primes: int) -> ir.Expr:
        """y' for a defined name y of one variable is dy/dx."""
        if n in self.scope.names and self.at_char("("):
            raise self.error(t, f"{n} is a name, not a function, so {n}'(...) is unclear; write \\frac{{d{n}}}{{dx}} "
                                f"(at a point, with an evaluation bar |_{{x=a}})")
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
        if any(u.is_char("+", "-", "*") or u.is_cmd("cdot", "times") for u in toks):
            if any(u.kind == "char" and u.text in self.index for u in toks):
                value = self.within(span, self.expr)
                if isinstance(value, ir.Num) and value.value.denominator == 1:
                    return (str(value.value),)
                raise self.error(toks[0], "a subscript with arithmetic must come to a whole number in a sum")
            text = "".join(u.text for u in toks)
            if not re.fullmatch(r"[A-Za-z0-9]+([+-][A-Za-z0-9]+)+", text):
                raise self.error(toks[0], "write a subscript with letters, digits, + and -, as in x_{k+1}")
            return (text.replace("+", "_plus_").replace("-", "_minus_"),)  # theta_{t+1}: a name of its own
        parts, current = [], ""
        kinds: list[str] = []  # what each part is made of: "index" values and "literal" characters
        letters: list[Token] = []  # the letters of the part that are not indices
        k = 0
        while k < len(toks):
            u = toks[k]
            if u.is_char(","):
                self._check_index_part(u, current, kinds)
                self._check_declared(letters, kinds)
                parts.append(current)
                current, kinds, letters = "", [], []
            elif (u.kind == "char" and u.text.isascii() and u.text.isalnum() or u.kind == "cmd" and u.text in GREEK) \
                    and u.text in self.index:
                current += str(self.index[u.text])
                kinds.append("index")
            elif u.kind == "char" and u.text.isascii() and u.text.isalnum():
                current += u.text
                kinds.append("digit" if u.text.isdigit() else "letter")
                if u.text.isalpha():
                    letters.append(u)
            elif u.kind == "cmd" and u.text in GREEK:
                current += u.text
                kinds.append("letter")
            elif u.kind == "text":
                current += "".join(ch for ch in u.text if ch.isalnum())
            elif u.kind == "cmd" and u.text in ("max", "min", "sup", "inf", "text"):  # x_{\max}
                current += u.text
            elif u.kind == "cmd" and u.text in ("mathrm", "mathit", "operatorname", "mathsf") and k + 1 < len(toks):
                end = next((j for j in range(k + 1, len(toks)) if toks[j].is_char("}")), k + 2)  # x_\mathrm a
                current += "".join(v.text for v in toks[k + 1:end] if v.kind == "char" and v.text.isalnum())
                k = end
            elif not u.is_char("{", "}"):
                raise self.error(u, "write a subscript with letters and digits, as in x_1, w_{ij} or y_{\\text{pred}}")
            k += 1
        self._check_index_part(toks[0] if toks else self.tok, current, kinds)
        self._check_declared(letters, kinds)
        parts.append(current)
        if not all(parts):
            raise self.error(toks[0] if toks else self.tok, "this subscript has an empty part")
        if span[1] - span[0] == 1 and toks[0].kind == "char" and toks[0].text.isdigit():
            after = self.t[span[1]] if span[1] < self.limit else None
            if after is not None and after.kind == "char" and after.text.isdigit() and not after.space:
                raise self.error(toks[0], f"x_{toks[0].text}{after.text} takes only {toks[0].text} as the subscript; "
                                          f"write x_{{{toks[0].text}{after.text}}}")
        if span[1] - span[0] == 1 and toks[0].kind == "char" and toks[0].text.isalpha():
            after = self.t[span[1]] if span[1] < self.limit else None
            rest = self._letter_run_from(span[1]) if after is not None and after.kind == "char" else ""
            then = self.t[span[1] + len(rest)] if span[1] + len(rest) < self.limit else None
            if rest and then is not None and then.is_char("_") and not then.space:
                after = None  # p_kp_i: the letters start a subscripted name of their own, so a product (TeX's reading)
            if after is not None and after.kind == "char" and after.text.isalpha() and not after.space:
                sub = toks[0].text
                if (sub + rest) in ACCENTS.values():  # y_hat: the plain syntax's spelling of \hat{y}
                    raise self.error(toks[0], f"_{sub + rest} in LaTeX is the subscript {sub} followed by "
                                              f"{rest}; write \\{sub + rest}{{...}} for the accent ({'_' + sub + rest} "
                                              "is the plain syntax's spelling)")
                raise self.error(toks[0], f"_{sub}{rest} takes only {sub} as the subscript; write _{{{sub}{rest}}} "
                                          f"for one subscript, or put a space or \\cdot before {rest} for a product")
        return tuple(parts)

    def _check_declared(self, letters: list[Token], kinds: list[str]) -> None:
        """Where a derivation declares indices, a subscript letter that reads as an index (i, j, k, l, m, n,
        or a letter beside a declared index, as a in w_{ia}) must be declared: z_k is never silently a
        variable of its own beside z_1."""
        if self.scope.indices is None or not letters:
            return
        if "index" not in kinds and not all(u.text in INDEX_LETTERS for u in letters if u.kind == "char") \
                or len(letters) != kinds.count("letter"):
            return
        u = letters[0]
        raise self.error(u, f"{u.text} in this subscript reads as an index, but it is not declared: declare it (indices "
                            f"{u.text} = 1, or a range such as {u.text} = \"1..n\"), or write the subscript as text, "
                            f"as in x_{{\\text{{{u.text}}}}}, if the name is a variable of its own")

    def _check_index_part(self, t: Token, part: str, kinds: list[str]) -> None:
        """Inside a sum, x_{2i} could be x_{2 \\cdot i} or the indices 2 and i, and w_{ij} with i = 11,
        j = 2 would be w_{112} like i = 1, j = 12: both are errors."""
        if "index" not in kinds or len(kinds) == 1:
            return
        if "digit" in kinds:
            raise self.error(t, "a subscript that joins a number and an index is unclear (x_{2i}); write x_{2 \\cdot i} "
                                "for a product, or x_{2,i} for two indices")
        if any(len(str(v)) > 1 for v in self.index.values()):
            raise self.error(t, "indices of more than one digit run together in this subscript; separate them "
                                "with commas, as in w_{i,j}")

    def _letter_run_from(self, k: int) -> str:
        run = ""
        while k < self.limit and self.t[k].kind == "char" and self.t[k].text.isascii() and self.t[k].text.isalpha() \
                and (not run or not self.t[k].space):
            run += self.t[k].text
            k += 1
        return run

    def accented(self, t: Token) -> ir.Expr | Operator:
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
        unknown = self.scope.names.get(canonical(word, (), inner_sub))
        if accents in (["dot"], ["ddot"]) and isinstance(unknown, ir.Unknown) and len(unknown.variables) == 1 \
                and not self.at_char("_", "'"):  # \dot x with x = x(t): Newton's notation for dx/dt
            order = 1 if accents == ["dot"] else 2
            self.state.notes.append(f"\\{accents[0]} {word} is read as the {'second ' * (order == 2)}derivative of {word} with respect to "
                                    f"{unknown.variables[0]} (Newton's notation)")
            e: ir.Expr = ir.Diff(ir.Var(unknown.name), unknown.variables[0], order)
            if self.at_char("^"):
                e = ir.power(e, self.script_value(self.next()))
            self._last = "script"
            return e
        marks = tuple(ACCENTS[a] for a in accents)
        if inner_sub:
            if self.at_char("_"):
                raise self.error(self.tok, "this name already has a subscript")
            n = canonical(word, marks, inner_sub)
            return self.named(t, n)
        return self.named(t, word, marks)

    def font(self, t: Token) -> ir.Expr | Operator:
        """\\operatorname{sech}, \\mathrm{e}, \\mathit{test}: a function when the word is one, else a name."""
        span = self.arg_span(t)
        toks = self._span_tokens(span)
        letters = ""
        for u in toks:
            if not (u.kind == "char" and u.text.isascii() and u.text.isalpha()):
                break
            letters += u.text
        word = "".join(u.text for u in toks)
        if word.isdigit():  # \mathrm{2}
            return ir.num(int(word))
        if word in ("i", "j") and t.text in ("mathrm", "operatorname"):
            raise self.error(t, f"an upright {word} is the imaginary unit; complex numbers are not supported")
        if letters != word and toks[len(letters)].is_char("(") and self._function_named(letters):
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
        if word in AMBIGUOUS_FUNCTIONS and word not in self.scope.functions:
            raise self.error(t, AMBIGUOUS_FUNCTIONS[word])
        if self._function_named(word):
            return self.function(t, word)
        if t.text == "operatorname" or self.at_char("(") or self.at_cmd("{") or (self.at_char("[") and len(word) > 1):
            if len(word) > 1 or t.text == "operatorname":
                raise self.error(t, unknown_function(word, self.scope, f"{word} \\cdot (...)"))
        style = STYLES.get(t.text)
        if "_" in word:
            base, _, sub = word.partition("_")
            return self.named(t, canonical(base, (style,) if style else (), (sub,)))
        return self.named(t, word, (style,) if style else ())
