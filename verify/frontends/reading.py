"""What reading one line gives: its expression, and what the report and the derivation need to know
about how it was read."""

from __future__ import annotations

from dataclasses import dataclass

from .. import ir
from ..errors import InputError, Location
from .names import cycle


@dataclass(frozen=True)
class Reading:
    expr: ir.Expr
    hint: str = ""  # a trailing \text{...}: the step's justification, not part of the formula
    notes: tuple[str, ...] = ()  # how something unusual was read, for the report
    conditions: tuple[ir.Rel, ...] = ()  # from a trailing "\text{for } x > 0"
    # `name(...)` read as a product; right only if the derivation uses `name` as a variable elsewhere
    products: tuple[tuple[str, Location], ...] = ()
    variables: frozenset[str] = frozenset()  # names read as variables, not followed by '('
    operators: tuple[tuple[str, Location], ...] = ()  # letters read as operators (D_x f): not variables elsewhere


def check_products(readings: list[Reading | None], also: frozenset[str] = frozenset(),
                   places: list | None = None) -> list[InputError | None]:
    """For each reading, the error of a `name(...)` whose name the derivation never uses as a variable;
    with the lines' `places`, also that of a free index beside the components of its family.

    `x(1-x)` is a product where x is a variable elsewhere in the derivation (or `also` names it);
    a name that only ever stands before '(' may be a function nobody defined, so it is an error."""
    used = set(also).union(*(r.variables for r in readings if r is not None))
    out: list[InputError | None] = []
    mixed = _free_index(readings)
    for k, r in enumerate(readings):
        if mixed is not None and places is not None and places[k] is not None and mixed[0] in _names(r):
            name, components = mixed
            out.append(InputError(places[k], (
                f"{name} stands beside {', '.join(components)}: verify reads {name} as one more variable, unrelated "
                f"to them, not as one of them; write the component you mean ({components[0]}), since index "
                "notation with a free index is not read yet")))
            continue
        bad = next(((n, at) for n, at in (r.products if r else ()) if n not in used), None)
        operator = next(((n, at) for n, at in (r.operators if r else ()) if n in used), None)
        if bad is not None:
            out.append(InputError(bad[1], (
                f"{bad[0]!r} is followed by '(' but is not a defined function, and this derivation does not use it "
                f"as a variable elsewhere: define the function {bad[0]} (for example with a verify: comment or "
                f"under [definitions]), or write {bad[0]} \\cdot (...) for a product")))
        elif operator is not None:
            out.append(InputError(operator[1], (
                f"{operator[0]} is read here as the derivative operator ({operator[0]}_x f, {operator[0]}(f)), but "
                f"this derivation also uses {operator[0]} as a variable; write \\frac{{d}}{{dx}} for the derivative, "
                f"or {operator[0]} \\cdot (...) for a product")))
        else:
            out.append(None)
    return out


def _names(r: Reading | None) -> set[str]:
    return set() if r is None else set(ir.free_names(r.expr)) | set(r.variables)


def _free_index(readings: list[Reading | None]) -> tuple[str, list[str]] | None:
    """A name z_i (a letter or two after '_') in a derivation that also has z_1, z_2 (a sum expanded)."""
    names = set().union(*map(_names, readings))
    for n in sorted(names):
        base, _, index = n.rpartition("_")
        if base and index.isalpha() and len(index) <= 2:
            components = sorted((m for m in names if m.rpartition("_")[0] == base and m.rpartition("_")[2].isdigit()),
                                key=lambda m: int(m.rpartition("_")[2]))
            if components:
                return n, components
    return None


def head_definition(exprs: list[ir.Expr | None], known: frozenset[str], hypotheses=()) -> str | None:
    """The name that the first line of a chain defines, or None.

    In `L = -\\log \\hat y = ...`, with L defined nowhere, used in no other line and in no hypothesis,
    the first line is a definition: the chain says what L is, and is checked from its second line.
    Checking it as the claim that L equals -log(y) for every L would check a formula nobody wrote."""
    if len(exprs) < 2 or not isinstance(exprs[0], ir.Var):
        return None
    n = exprs[0].name
    others = [e for e in exprs[1:] if e is not None] + [s for h in hypotheses for s in (h.lhs, h.rhs)]
    if n in known or any(n in ir.free_names(e) for e in others):
        return None
    return n


CONSTANT_MEANING = {"e": "Euler's number, 2.718...", "pi": "the number pi, 3.14159..."}


def constant_head(exprs: list[ir.Expr | None], text: str) -> str | None:
    """The message for a chain that starts `e = y - \\hat y`: e is Euler's number, and a constant equal to
    an expression in variables is a definition of a quantity named e, which verify cannot take. None if not."""
    if len(exprs) < 2 or not isinstance(exprs[0], ir.Const) or not any(
            e is not None and ir.free_names(e) for e in exprs[1:]):
        return None
    return (f"{text} is {CONSTANT_MEANING[exprs[0].name]}, and the line after it has variables, so this reads as "
            f"a definition of a quantity named {text}; verify cannot redefine {text}: write another letter "
            "for the quantity")


def glued_name(exprs: list[ir.Expr], defined: frozenset[str] = frozenset()) -> str | None:
    """The message for `_glued`'s name, or None."""
    found = _glued(exprs, defined)
    if found is None:
        return None
    n, other = found
    why = f"{', '.join(n)} are variables here" if other is None else f"{other!r} is a name here too"
    return f"{n!r} is one name in the plain syntax, though {why}; write {'*'.join(n)} for a product"


def _glued(exprs: list[ir.Expr], defined: frozenset[str]) -> tuple[str, str | None] | None:
    """A name of two or more letters, in the plain syntax, that is made of one-letter variables the same
    derivation uses (xy beside x and y), or whose letters another name has in another order (xy beside
    yx): written for a product, read as one name. Returns it, or None."""
    names = set().union(*(ir.free_names(e) for e in exprs))
    single = {n for n in names if len(n) == 1}
    for n in sorted(names):
        if len(n) > 1 and n.isalpha() and n not in defined and all(c in single for c in n):
            return n, None
    letters = {}  # xy beside yx, ad beside da: the same letters in another order are a product
    for n in sorted(names):
        if 1 < len(n) <= 4 and n.isalpha() and n not in defined:
            other = letters.setdefault("".join(sorted(n)), n)
            if other != n:
                return other, n
    return None


def definitions_problem(names: dict[str, ir.Expr]) -> str | None:
    """What is wrong with a derivation's definitions taken together, or None: a definition that refers to
    itself (L = M + 1 and M = L + 1), or a function the derivation does not specify whose variable is
    itself defined (z = z(y) with y = y(x)), whose derivative in x verify cannot take."""
    loop = cycle(names)
    if loop:
        return (f"{' = ... '.join(loop)}: these definitions refer to themselves; a name cannot be defined in terms "
                "of itself")
    for n, v in names.items():
        if isinstance(v, ir.Unknown):
            inner = [u for u in v.variables if u in names]
            if inner:
                return (f"{n} = {n}({', '.join(v.variables)}) with {inner[0]} defined too: a function of a function "
                        f"the derivation does not specify is not supported; write {n} as a formula in {inner[0]}")
    return None
