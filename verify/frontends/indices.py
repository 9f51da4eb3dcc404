"""Index notation read as instances: `indices = { n = "2..4", i = "1..n" }` declares the letters, and
each combination of their values (that satisfies `where = "i != j"`) is one instance, in which z_i is
z_1 and \\sum_{j=1}^{n} has n terms. What is proven is proven for those instances, and said so."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import ir
from ..errors import InputError, Location

INDEX_LETTERS = frozenset("ijklmn")  # a subscript made of these reads as indices, never as a name
SIZE_LETTERS = ("n", "N", "K", "C", "m", "M")  # what \sum_j ranges up to, when j's own range does not say
MAX_INSTANCES = 200
MAX_VALUE = 50
_RANGE = re.compile(r"\s*(\w+)\s*(?:([+-])\s*(\d+))?\s*\.\.\s*(\w+)\s*(?:([+-])\s*(\d+))?\s*")
_COMPARISON = re.compile(r"\s*(\w+)\s*(==|=|!=|≠|\\neq?|<=|>=|≤|≥|\\leq?|\\geq?|<|>)\s*(\w+)\s*")
_OPS = {"==": "=", "=": "=", "!=": "!=", "≠": "!=", "\\ne": "!=", "\\neq": "!=", "<=": "<=", "≤": "<=", "\\le": "<=",
        "\\leq": "<=", ">=": ">=", "≥": ">=", "\\ge": ">=", "\\geq": ">=", "<": "<", ">": ">"}


@dataclass(frozen=True)
class Instance:
    """The values of the index letters, and where each letter's range ends in this instance (j = 1..m
    ends at m's value), which is what \\sum_j ranges over."""

    values: tuple[tuple[str, int], ...]
    ends: tuple[tuple[str, int], ...] = ()

    def end(self, letter: str) -> int | None:
        """The last value of `letter`'s range (j = 1..n: n's value), or, for a letter declared without a
        range or not declared, the value of the one size declared (n, N, K, C, m or M); None where
        neither says."""
        ends = dict(self.ends)
        if letter in ends:
            return ends[letter]
        values = dict(self.values)
        sizes = [values[s] for s in SIZE_LETTERS if s in values]
        return sizes[0] if len(sizes) == 1 else None

    def largest(self) -> int:
        """The largest index any line of the instance can mention through its letters and ranges: what an
        indexed definition p_j is defined up to, so that no p_k in range is left undefined."""
        return max((v for _, v in (*self.values, *self.ends)), default=1)


@dataclass(frozen=True)
class Spec:
    """What a derivation declares: each letter's value or range as written, in order, and the condition
    the values must satisfy."""

    letters: tuple[tuple[str, str], ...]
    where: str = ""

    def merged(self, other: "Spec | None") -> "Spec":
        """This spec with `other`'s letters and condition added (a derivation's over its file's)."""
        if other is None:
            return self
        mine = dict(self.letters)
        mine.update(other.letters)
        return Spec(tuple(mine.items()), self.where).restricted(other.where)

    def restricted(self, where: str) -> "Spec":
        """This spec with one more condition."""
        return Spec(self.letters, " and ".join(w for w in (self.where, where.strip()) if w))


def parse(text: str, at: Location, where: str = "") -> Spec:
    """`i = 1, j = 2, n = 2..4` (a directive or --indices); a trailing `where i != j` is the condition."""
    body, _, condition = text.partition(" where ")
    letters = []
    for part in body.split(","):
        if not part.strip():
            continue
        name, eq, value = part.partition("=")
        if not eq:
            raise InputError(at, f"write each index with its value, as in 'i = 1, n = 2..4', not {part.strip()!r}")
        letters.append((name.strip(), value.strip()))
    return from_table(dict(letters), at, " and ".join(w for w in (where, condition.strip()) if w), len(letters))


def from_table(table: object, at: Location, where: object = "", count: int | None = None) -> Spec:
    """A TOML `indices = { i = 1, n = "2..4" }` table, and `where = "i != j"`."""
    if not isinstance(table, dict) or not table or (count is not None and len(table) != count):
        raise InputError(at, "write the indices as a table of letters and values, as in indices = { i = 1, n = \"2..4\" }")
    if not isinstance(where, str):
        raise InputError(at, "'where' must be a string, such as where = \"i != j\"")
    letters = []
    for name, value in table.items():
        if not re.fullmatch(r"[A-Za-z]", name):
            raise InputError(at, f"an index is one letter, such as i or n, not {name!r}")
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise InputError(at, f"the value of {name} must be a whole number or a range such as \"1..n\"")
        letters.append((name, str(value).strip()))
    return Spec(tuple(letters), where.strip())


def instances(spec: Spec, at: Location) -> list[Instance]:
    """Every combination of values the spec declares that satisfies its condition, in declaration order
    (each letter's range may end at a letter declared before or after it)."""
    ranges = {name: _range(name, value, at) for name, value in spec.letters}
    order, done = [], set()
    while len(order) < len(ranges):
        ready = [n for n in ranges if n not in done and all(d in done for d in _depends(ranges[n]))]
        if not ready:
            stuck = [n for n in ranges if n not in done]
            raise InputError(at, f"the ranges of {', '.join(stuck)} depend on each other or on a letter that is not "
                                 "declared; give one of them numbers, as in n = \"2..4\"")
        order.append(ready[0])
        done.add(ready[0])
    tests = _conditions(spec.where, at, set(ranges))
    out: list[Instance] = []
    names = [n for n, _ in spec.letters]

    def extend(k: int, values: dict[str, int], ends: dict[str, int]) -> None:
        if k == len(order):
            if all(ir.holds(op, _value(a, values), _value(b, values)) for a, op, b in tests):
                out.append(Instance(tuple((n, values[n]) for n in names), tuple((n, ends[n]) for n in names if n in ends)))
            if len(out) > MAX_INSTANCES:
                raise InputError(at, f"these indices make more than {MAX_INSTANCES} instances; declare smaller ranges")
            return
        n = order[k]
        lo, hi = (_end(e, values) for e in ranges[n])
        if hi > MAX_VALUE:
            raise InputError(at, f"the range of {n} goes up to {hi}; an index is at most {MAX_VALUE}")
        for v in range(lo, hi + 1):
            values[n] = v
            if ranges[n][0] != ranges[n][1]:  # j = 1..n: \sum_j runs to n's value
                ends[n] = hi
            extend(k + 1, values, ends)
            values.pop(n)
            ends.pop(n, None)

    extend(0, {}, {})
    if not out:
        which = f" that satisfies {spec.where}" if spec.where else ""
        raise InputError(at, f"no combination of these index values{which} exists, so nothing would be checked")
    return out


_End = tuple[str, int]  # a letter or "" for a number, and what is added


def _range(name: str, value: str, at: Location) -> tuple[_End, _End]:
    if re.fullmatch(r"\d+", value):
        return ("", int(value)), ("", int(value))
    m = _RANGE.fullmatch(value)
    if m is None:
        raise InputError(at, f"the value of {name} must be a whole number or a range such as \"1..n\" or \"2..4\", "
                             f"not {value!r}")
    out = []
    for word, sign, number in ((m.group(1), m.group(2), m.group(3)), (m.group(4), m.group(5), m.group(6))):
        shift = int(number or 0) * (-1 if sign == "-" else 1)
        if word.isdigit():
            out.append(("", int(word) + shift))
        elif re.fullmatch(r"[A-Za-z]", word) and word != name:
            out.append((word, shift))
        else:
            raise InputError(at, f"the range of {name} must end at numbers or at other index letters, as in "
                                 f"\"1..n\", not {value!r}")
    return out[0], out[1]


def _depends(r: tuple[_End, _End]) -> list[str]:
    return [word for word, _ in r if word]


def _end(e: _End, values: dict[str, int]) -> int:
    word, shift = e
    return (values[word] if word else 0) + shift


def _conditions(text: str, at: Location, letters: set[str]) -> list[tuple[str, str, str]]:
    out = []
    for part in re.split(r",|\band\b|\\land|\\wedge|&&", text) if text.strip() else []:
        m = _COMPARISON.fullmatch(part)
        if m is None:
            raise InputError(at, f"write the condition as comparisons of index letters, such as \"i != j\" or "
                                 f"\"i < j and j != k\", not {part.strip()!r}")
        for word in (m.group(1), m.group(3)):
            if not word.isdigit() and word not in letters:
                raise InputError(at, f"the condition {part.strip()!r} uses {word}, which is not a declared index")
        out.append((m.group(1), _OPS[m.group(2)], m.group(3)))
    return out


def _value(word: str, values: dict[str, int]) -> int:
    return int(word) if word.isdigit() else values[word]


def complete(derivations: list, expected: dict[str, int]) -> tuple[list, list[str]]:
    """The derivations whose every instance was read (`expected` says how many each name has), and the
    names of those some instance of which could not be read: those are left out whole, since a verdict
    for the instances that were read would pass for one about all of them."""
    count: dict[str, int] = {}
    for d in derivations:
        count[d.name] = count.get(d.name, 0) + 1
    short = [n for n, k in count.items() if k < expected.get(n, 1)]
    return [d for d in derivations if d.name not in short], short
