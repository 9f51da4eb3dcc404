"""The plain syntax (`exp(-x)/(1 + exp(-x))**2`), read with Python's `ast` and a whitelist.

Nothing is evaluated: the tree that `ast.parse` returns is checked node by node
and turned into the intermediate form; any node not listed here is an error.
"""

from __future__ import annotations

import ast
import re
import warnings
from fractions import Fraction

from .. import ir
from ..errors import InputError, Location
from .indices import INDEX_LETTERS
from .names import (ALIASES, COMBINING, DIFF_NAMES, GREEK_LETTERS, INTEGRAL_NAMES, PIECEWISE_NAMES, PRELUDE, SUM_NAMES, SUBSCRIPT_DIGITS, SUPERSCRIPT_DIGITS,
                    UNICODE_OPERATORS, Scope, accented_letter, known_functions, unknown_function)

MAX_NUMBER_DIGITS = 1000
MAX_CHARS = 20_000
MAX_TERMS = 1000  # terms a sum or product may expand to, nested ones multiplied
_PASTED = "".join(GREEK_LETTERS) + "".join(UNICODE_OPERATORS) + "".join(SUBSCRIPT_DIGITS) + "".join(SUPERSCRIPT_DIGITS)
_ALLOWED_CHARS = re.compile(r"[A-Za-z0-9_.+\-*/^(), \t<>=!" + _PASTED + "".join(COMBINING) + "]*")
# what each character becomes for `ast`: ^ is a power, σ is the name sigma, z₁ is z_1
_REWRITE = {"^": "**", **{k: v.replace("^", "**") for k, v in UNICODE_OPERATORS.items()}, **GREEK_LETTERS,
            **{k: "_" + v for k, v in SUBSCRIPT_DIGITS.items()}, **{k: "**" + v for k, v in SUPERSCRIPT_DIGITS.items()},
            **{k: "_" + v for k, v in COMBINING.items()}}
# d/dx f, d/dx(f), d^2/dx^2 f: a derivative, written as diff(f, x) for `ast`
_LEIBNIZ = re.compile(r"(?<![\w.])d(?:\^(\d+))?\s*/\s*d([A-Za-z_]\w*)(?:\^(\d+))?")
_RELATIONS = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.NotEq: "!=", ast.Eq: "="}


class _Source:
    """The text handed to `ast` (see _REWRITE and _LEIBNIZ), with a map back to the columns as written."""

    def __init__(self, text: str, where: Location):
        self.where = where
        chars = _derivatives([(ch, i) for i, ch in enumerate(text)])
        out, cols = [], []
        for k, (ch, col) in enumerate(chars):
            accented = accented_letter(ch)
            new = accented[0] + "_" + accented[1] if accented else _REWRITE.get(ch, ch)
            if ch in GREEK_LETTERS:  # xσ is x next to sigma, not the name xsigma
                before = chars[k - 1][0] if k else ""
                after = chars[k + 1][0] if k + 1 < len(chars) else ""
                new = (" " if before.isalnum() else "") + new + (" " if after.isalnum() else "")
            out.append(new)
            cols += [col] * len(new)
        cols.append(len(text))
        self.text = "".join(out)
        self.cols = cols

    def at(self, offset: int) -> Location:
        offset = min(max(offset, 0), len(self.cols) - 1)
        return self.where.shifted(self.cols[offset])

    def error(self, node_or_offset: ast.AST | int, message: str) -> InputError:
        offset = node_or_offset if isinstance(node_or_offset, int) else node_or_offset.col_offset
        return InputError(self.at(offset), message)

    def segment(self, node: ast.AST) -> str:
        return self.text[node.col_offset : node.end_col_offset]


def _operand_end(text: str, p: int) -> int:
    """Where the operand of d/dx that starts at `p` ends: a parenthesized group, or the rest of the term."""
    n = len(text)
    while p < n and text[p] == " ":
        p += 1
    depth, k = 0, p
    while k < n:
        c = text[k]
        if c in "([":
            depth += 1
        elif c in ")]":
            if depth == 0:
                break
            depth -= 1
            if depth == 0 and text[p] == "(":
                return _power_end(text, k + 1)  # d/dx (x+1)^2 is the derivative of (x+1)^2
        elif depth == 0 and c == ",":
            break
        elif depth == 0 and c in "+-" and k > p:
            before = text[:k].rstrip()
            exponent = before.endswith(("e", "E")) and len(before) > 1 and before[-2].isdigit() and before == text[:k]
            if not exponent and before and before[-1] not in "*/^(,":
                break
        k += 1
    return k


def _power_end(text: str, k: int) -> int:
    """After a bracket that ends at `k`: the end of a power that follows it (^2, **(n+1)), or `k`."""
    m = re.match(r"\s*(?:\^|\*\*)\s*(?:[-+]?[\w.]+|\()", text[k:])
    if not m:
        return k
    end = k + m.end()
    if text[end - 1] == "(":
        depth = 1
        while end < len(text) and depth:
            depth += (text[end] == "(") - (text[end] == ")")
            end += 1
    return end


def _derivatives(chars: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """d/dx f becomes diff(f, x), keeping each character's column."""
    text = "".join(c for c, _ in chars)
    m = _LEIBNIZ.search(text)
    if not m:
        return chars
    order = m.group(1) or m.group(3) or "1"
    if (m.group(1) or "1") != (m.group(3) or "1"):
        order = "0"  # d^2/dx^3: an order the reader rejects
    end = _operand_end(text, m.end())
    col = chars[m.start()][1]
    head = [(c, col) for c in "diff(("]
    tail = [(c, col) for c in f"), {m.group(2)}" + (f", {order})" if order != "1" else ")")]
    rest = _derivatives(chars[end:])
    return chars[:m.start()] + head + chars[m.end():end] + tail + rest


def _check_text(text: str, where: Location) -> None:
    if len(text) > MAX_CHARS:
        raise InputError(where, f"this line is {len(text)} characters long; the limit is {MAX_CHARS}")
    if not text.strip():
        raise InputError(where, "this line is empty; write an expression")
    for m in re.finditer(r"\d[\d.]*(?:[eE][+-]?(\d+))?", text):
        if len(m.group(0)) > MAX_NUMBER_DIGITS or m.group(1) and len(m.group(1)) > 3:
            raise InputError(where.shifted(m.start()), f"this number is too long to read (the limit is "
                                                       f"{MAX_NUMBER_DIGITS} digits, and exponents up to e999)")
    bad = _ALLOWED_CHARS.fullmatch(text)
    if bad is None:
        m = _ALLOWED_CHARS.match(text)
        i = m.end()
        raise InputError(
            where.shifted(i),
            f"unexpected character {text[i]!r}: a line may hold numbers, names, + - * / ^ ** and parentheses",
        )


def _parse_python(src: _Source, mode_hint: str) -> ast.expr:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Python's own warnings about odd literals mean nothing to a reader
            tree = ast.parse(src.text, mode="eval")
    except SyntaxError as exc:
        offset = (exc.offset or 1) - 1
        msg = exc.msg or "invalid syntax"
        if "decimal literal" in msg:
            hint = "write a product with '*', for example 2*x"
        elif "nested parentheses" in msg:
            hint = "the expression is nested too deeply"
        else:
            hint = f"this is not a valid {mode_hint}; check for a missing operator or parenthesis"
        raise src.error(offset, hint) from None
    except (RecursionError, MemoryError):
        raise src.error(0, "the expression is nested too deeply") from None
    return tree.body


class _Reader:
    """Turns a whitelisted `ast` tree into the intermediate form."""

    def __init__(self, src: _Source, scope: Scope, bound: frozenset[str] = frozenset()):
        self.src = src
        self.scope = scope
        self.bound = bound  # parameters of the definition being read
        # the declared indices of the instance being read, and those of the sums being expanded: their values
        self.index: dict[str, int] = scope.index_values()
        self.terms = 1  # how many terms those sums expand to together

    def indexed(self, name: str, node: ast.AST) -> str:
        """z_j is z_2 while the index j is 2; so is each part of w_i_j, and, where indices are declared,
        w_ij is w_12 (as LaTeX's w_{ij})."""
        if "_" not in name or not self.index and self.scope.indices is None:
            return name
        base, *parts = name.split("_")
        return "_".join([base, *(self._index_part(p, node) for p in parts)])

    def _index_part(self, part: str, node: ast.AST) -> str:
        if part in self.index:
            return str(self.index[part])
        if self.scope.indices is None or not part.isalpha() or \
                not any(c in self.index for c in part) and not all(c in INDEX_LETTERS for c in part):
            return part  # y_hat, x_max
        missing = next((c for c in part if c not in self.index), None)
        if missing is not None:
            raise self.src.error(node, f"{missing} in {node.id} reads as an index, but it is not declared: declare it "
                                       f"(indices {missing} = 1, or a range such as {missing} = \"1..n\"), or name the "
                                       "variable without it")
        if len(part) > 1 and any(self.index[c] > 9 for c in part):
            raise self.src.error(node, f"indices of more than one digit run together in {node.id}; separate them with "
                                       f"'_', as in {'_'.join(part)}")
        return "".join(str(self.index[c]) for c in part)

    def expr(self, node: ast.AST) -> ir.Expr:
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            raise self.src.error(node, f"{_describe(node)} is not allowed in a line")
        return method(node)

    def _BinOp(self, node: ast.BinOp) -> ir.Expr:
        a, b = self.expr(node.left), self.expr(node.right)
        op = type(node.op)
        if op is ast.Add:
            return ir.add(a, b)
        if op is ast.Sub:
            return ir.sub(a, b)
        if op is ast.Mult:
            return ir.mul(a, b)
        if op is ast.Div:
            return ir.div(a, b)
        if op is ast.Pow:
            return ir.power(a, b)
        raise self.src.error(node, f"the operator {_describe(node.op)} is not allowed; use + - * / ^")

    def _UnaryOp(self, node: ast.UnaryOp) -> ir.Expr:
        operand = self.expr(node.operand)
        if isinstance(node.op, ast.USub):
            return ir.neg(operand)
        if isinstance(node.op, ast.UAdd):
            return operand
        raise self.src.error(node, f"the operator {_describe(node.op)} is not allowed")

    def _Constant(self, node: ast.Constant) -> ir.Expr:
        if type(node.value) not in (int, float):
            raise self.src.error(node, f"{_describe(node)} is not allowed; only real numbers are")
        digits = self.src.segment(node)
        if "_" in digits:  # x^2_1 would be x**21 to Python
            raise self.src.error(node, f"{digits!r} holds '_', which Python reads as a digit separator; write "
                                       "x_1^2 for a subscript, or the number without '_'")
        if not re.fullmatch(r"(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", digits):
            raise self.src.error(node, f"write {digits!r} as a decimal number")
        return ir.Num(Fraction(digits))

    def _Name(self, node: ast.Name) -> ir.Expr:
        if node.id in self.index:
            return ir.num(self.index[node.id])
        name = self.indexed(node.id, node)
        if name.startswith("__"):
            raise self.src.error(node, f"the name {name!r} is not allowed; names may not start with '__'")
        if name in ir.CONSTANTS and name not in self.bound and name not in self.scope.names:
            return ir.Const(name)
        if name in known_functions(self.scope) and name not in self.bound and name not in self.scope.names:
            raise self.src.error(node, f"{name!r} is a function; call it with an argument, as in {name}(x)")
        if self.scope.variables is not None and name not in self.scope.variables and name not in self.bound \
                and name not in self.scope.names:
            allowed = ", ".join(sorted(self.scope.variables)) or "none"
            raise self.src.error(
                node, f"unknown name {name!r} (the variables declared are: {allowed}; add it to variables)"
            )
        return ir.Var(name)

    def _Call(self, node: ast.Call) -> ir.Expr:
        if not isinstance(node.func, ast.Name):
            raise self.src.error(node, "only a name can be called, as in exp(x)")
        name = node.func.id
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise self.src.error(node, f"{name}(...) takes plain arguments only")
        if name in DIFF_NAMES:
            return self._diff(node)
        if name in ("Subs", "subs"):
            return self._subs(node)
        if name in PIECEWISE_NAMES:
            return self._piecewise(node)
        if name in SUM_NAMES:
            return self._big_operator(node)
        if name == "KroneckerDelta":
            self._arity(node, 2)
            a, b = (self.expr(x) for x in node.args)
            if not (isinstance(a, ir.Num) and isinstance(b, ir.Num)):
                raise self.src.error(node, "KroneckerDelta(i, j) is of index values; declare the indices (indices i = 1, "
                                           "j = 2) so that both are numbers")
            return ir.ONE if a.value == b.value else ir.ZERO
        if name in INTEGRAL_NAMES:
            return self._integral(node)
        name = ALIASES.get(name, name)
        if name == "log" and len(node.args) == 2:  # log(x, b) = log(x)/log(b)
            x, base = (self.expr(a) for a in node.args)
            return ir.div(ir.call("log", x), ir.call("log", base))
        if name in ir.FUNCTIONS:
            self._arity(node, 1)
            return ir.call(name, self.expr(node.args[0]))
        if name in ir.EXTREMA:
            if not node.args:
                raise self.src.error(node, f"{name}(...) takes one or more arguments")
            args = tuple(self.expr(a) for a in node.args)
            return args[0] if len(args) == 1 else ir.Extremum(name, args)
        definition = self.scope.functions.get(name)
        if definition is None:
            raise self.src.error(node.func, unknown_function(name, self.scope))
        self._arity(node, len(definition.params))
        return ir.Apply(definition, tuple(self.expr(a) for a in node.args))

    def _arity(self, node: ast.Call, n: int) -> None:
        if len(node.args) != n:
            plural = "argument" if n == 1 else "arguments"
            raise self.src.error(node, f"{node.func.id}(...) takes {n} {plural}, not {len(node.args)}")

    def _variable_name(self, node: ast.AST, what: str) -> str:
        if not isinstance(node, ast.Name) or node.id in ir.CONSTANTS:
            raise self.src.error(node, f"{what} must be a variable name")
        self._Name(node)  # the variable must be allowed like any other name
        return self.indexed(node.id, node)

    def _diff(self, node: ast.Call) -> ir.Expr:
        name = node.func.id
        if len(node.args) not in (2, 3):
            raise self.src.error(node, f"write {name}(expression, variable) or {name}(expression, variable, order)")
        var = self._variable_name(node.args[1], f"the second argument of {name}")
        if var in self.scope.functions and var not in self.bound:
            raise self.src.error(node.args[1], f"{var} is a function, so a derivative with respect to it is unclear")
        order = 1
        if len(node.args) == 3:
            o = node.args[2]
            if not (isinstance(o, ast.Constant) and type(o.value) is int and 1 <= o.value <= 10):
                raise self.src.error(o, "the order of a derivative must be a whole number from 1 to 10")
            order = o.value
        operand = self.expr(node.args[0])
        problem = self.scope.derivative_problem(operand, var, self.bound)
        if problem:
            raise self.src.error(node, problem)
        return ir.Diff(operand, var, order)

    def _integral(self, node: ast.Call) -> ir.Expr:
        """integrate(f, x), an antiderivative; integrate(f, (x, a, b)), a definite integral."""
        name = node.func.id
        if len(node.args) != 2:
            raise self.src.error(node, f"write {name}(expression, x) or {name}(expression, (x, a, b))")
        span = node.args[1]
        if isinstance(span, ast.Tuple):
            if len(span.elts) != 3:
                raise self.src.error(span, f"write the bounds as {name}(expression, (x, a, b))")
            var = self._variable_name(span.elts[0], f"the variable of {name}")
            return ir.Integral(self.expr(node.args[0]), var, self.expr(span.elts[1]), self.expr(span.elts[2]))
        return ir.Integral(self.expr(node.args[0]), self._variable_name(span, f"the second argument of {name}"))

    def _big_operator(self, node: ast.Call) -> ir.Expr:
        """sum(expr, (j, 1, 3)) and prod(...), with whole-number bounds: expanded, z_j becoming z_1, z_2, z_3."""
        name = node.func.id
        what = f"{name}(expression, (j, 1, 3))"
        if len(node.args) != 2 or not (isinstance(node.args[1], ast.Tuple) and len(node.args[1].elts) == 3):
            raise self.src.error(node, f"write {what}: an expression, then the index and its first and last values")
        index, *ends = node.args[1].elts
        if not (isinstance(index, ast.Name) and re.fullmatch(r"[A-Za-z]", index.id)):
            raise self.src.error(index, f"the index of a sum or product must be one letter, as in {what}")
        bounds = []
        for end in ends:
            e = self.expr(end)
            if not (isinstance(e, ir.Num) and e.value.denominator == 1):
                raise self.src.error(end, f"the bounds of a sum or product must be whole numbers, as in {what}")
            bounds.append(int(e.value))
        lo, hi = bounds
        count = max(0, hi - lo + 1)
        if self.terms * count > MAX_TERMS:
            raise self.src.error(node, f"this {name} expands to more than {MAX_TERMS} terms")
        saved = self.index.get(index.id), self.terms
        self.terms *= max(count, 1)
        terms = []
        try:
            for k in range(lo, hi + 1):
                self.index[index.id] = k
                terms.append(self.expr(node.args[0]))
        finally:
            self.index.pop(index.id, None)
            if saved[0] is not None:
                self.index[index.id] = saved[0]
            self.terms = saved[1]
        return ir.add(*terms) if name in ("sum", "Sum") else ir.mul(*terms)

    def _piecewise(self, node: ast.Call) -> ir.Expr:
        """Piecewise((value, condition), ..., (value, True)), as SymPy prints it."""
        pieces = []
        for arg in node.args:
            if not (isinstance(arg, ast.Tuple) and len(arg.elts) == 2):
                raise self.src.error(arg, "each piece is a pair (value, condition), as in Piecewise((x, x > 0), (0, True))")
            pieces.append((self.expr(arg.elts[0]), self._condition(arg.elts[1])))
        if not pieces:
            raise self.src.error(node, "Piecewise(...) needs at least one piece (value, condition)")
        for i, (_, conds) in enumerate(pieces[:-1]):
            if not conds:
                raise self.src.error(node.args[i + 1], "a piece after one whose condition is True is never used")
        return ir.piecewise(pieces)

    def _condition(self, node: ast.AST) -> tuple[ir.Rel, ...]:
        """A piece's condition: comparisons (chained, or joined with `and`), or True / otherwise."""
        if isinstance(node, ast.Constant) and node.value is True or isinstance(node, ast.Name) and node.id == "otherwise":
            return ()
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
            return tuple(r for v in node.values for r in self._condition(v))
        if isinstance(node, ast.Compare) and all(type(op) in _RELATIONS for op in node.ops):
            sides = [self.expr(node.left), *map(self.expr, node.comparators)]
            return tuple(ir.Rel(_RELATIONS[type(op)], a, b) for op, a, b in zip(node.ops, sides, sides[1:]))
        raise self.src.error(node, "a condition is a comparison such as x > 0 or -1 < x < 1 (join two with 'and'), "
                                   "or True for the last piece")

    def _subs(self, node: ast.Call) -> ir.Expr:
        """Subs(expr, x, a): expr at x = a, as an evaluation bar."""
        if len(node.args) != 3:
            raise self.src.error(node, "write Subs(expression, variable, value)")
        var = self._variable_name(node.args[1], "the second argument of Subs")
        return ir.At(self.expr(node.args[0]), var, self.expr(node.args[2]))


def _describe(node: ast.AST) -> str:
    names = {
        "Attribute": "attribute access (a.b)", "Subscript": "indexing (a[b])", "Lambda": "a lambda",
        "ListComp": "a comprehension", "GeneratorExp": "a comprehension", "JoinedStr": "an f-string",
        "BoolOp": "and/or", "Compare": "a comparison", "IfExp": "if/else", "Mod": "'%'", "BitXor": "'^'",
        "FloorDiv": "'//'", "MatMult": "'@'", "Invert": "'~'", "Not": "'not'", "Tuple": "a tuple",
    }
    kind = type(node).__name__
    if isinstance(node, ast.Constant):
        return f"the constant {node.value!r}"
    return names.get(kind, f"'{kind}'")


def parse_expr(text: str, where: Location, scope: Scope = PRELUDE, bound: frozenset[str] = frozenset()) -> ir.Expr:
    """Read one expression; errors are located relative to `where` (the first character of `text`)."""
    _check_text(text, where)
    lead = len(text) - len(text.lstrip())
    text, where = text.strip(), where.shifted(lead)
    src = _Source(text, where)
    reader = _Reader(src, scope, bound)
    try:
        return reader.expr(_parse_python(src, "expression"))
    except RecursionError:
        raise src.error(0, "the expression is nested too deeply") from None


_DEFINE = re.compile(r"\s*([A-Za-z_]\w*)\s*:?=(?!=)")


def check_function_name(name: str, params: tuple[str, ...], where: Location) -> None:
    if name in ir.FUNCTIONS or name in ALIASES or name in DIFF_NAMES or name in ir.CONSTANTS or name in ir.EXTREMA \
            or name in PIECEWISE_NAMES or name in INTEGRAL_NAMES or name in SUM_NAMES:
        raise InputError(where, f"{name!r} is built in and cannot be redefined; choose another name")
    if len(set(params)) != len(params):
        raise InputError(where, f"the parameters of {name} must have different names")


_CHAIN_SPLIT = re.compile(r"(?<![<>!=])=(?!=)")


def split_chain(text: str) -> list[tuple[int, str]]:
    """Split `A = B = C` into its lines, each with its offset in `text`."""
    parts, start = [], 0
    for m in _CHAIN_SPLIT.finditer(text):
        parts.append((start, text[start : m.start()]))
        start = m.end()
    parts.append((start, text[start:]))
    return parts


def syntax_tree(text: str) -> ast.expr | None:
    """The checked Python syntax tree of a line as written (with ^, σ, d/dx rewritten as the reader does),
    for printing it; None where the line is not the plain syntax."""
    try:
        _check_text(text, Location("", 1, 1))
        return _parse_python(_Source(text.strip(), Location("", 1, 1)), "expression")
    except InputError:
        return None
