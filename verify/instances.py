"""A step checked for several instances of its indices (n = 2..4, i = 1..n) has one verdict for all:
proven only if every instance is proven; otherwise the verdict of the first instance that is refuted
(or else unknown), with that instance named."""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from .derivation import Derivation
from .verdict import Status, StepResult, Verdict

# which instance speaks for the step: the first refuted, else the first error, else the first unknown
_RANK = {Status.REFUTED: 0, Status.ERROR: 1, Status.UNKNOWN: 2, Status.PROVEN: 3}


def show(instance: tuple[tuple[str, int], ...]) -> str:
    return ", ".join(f"{k} = {v}" for k, v in instance)


def listing(family: tuple[tuple[tuple[str, int], ...], ...], width: int = 96) -> list[str]:
    """Lines that name every instance: "checked for 20 instances of (n, i, j): (2, 1, 2), (2, 2, 1), ..."."""
    letters = [k for k, _ in family[0]]
    words = [f"({', '.join(str(v) for _, v in i)})" if len(letters) > 1 else str(i[0][1]) for i in family]
    lines = [f"checked for {len(family)} instances of ({', '.join(letters)}):" if len(letters) > 1 else
             f"checked for {len(family)} instances of {letters[0]}:"]
    for w in words:
        if len(lines[-1]) + len(w) + 2 > width:
            lines[-1] += ","
            lines.append("   ")
        lines[-1] += (" " if lines[-1].endswith((":", "   ")) else ", ") + w
    return lines


Run = Callable[[list[Derivation], bool], list[StepResult]]  # the runner: derivations, and whether to explain


def check(derivations: list[Derivation], run: Run, explaining: bool = False, collapse: bool = True) -> list[StepResult]:
    """`run` on the derivations, where an instance that reads exactly as another (its lines do not use a
    declared letter) is checked once and its results are given to both; then each step's instances are
    combined into one result. With `explaining`, a step not proven is explained in the instance that
    speaks for it only. `collapse=False` checks every instance (for bench/indices.py)."""
    key = (lambda d: replace(d, instance=())) if collapse else (lambda d: d)
    first: dict[Derivation, Derivation] = {}
    for d in derivations:
        first.setdefault(key(d), d)
    found: dict[Derivation, list[StepResult]] = {}
    plain = [d for d in first.values() if not d.instance]
    indexed = [d for d in first.values() if d.instance]
    for group, explain in ((plain, explaining), (indexed, False)):
        for d, rs in _per_derivation(group, run(group, explain) if group else []):
            found[key(d)] = rs
    combined = combine([_of(r, d.instance) for d in derivations for r in found[key(d)]])
    return _explained(combined, derivations, run) if explaining and indexed else combined


def _explained(results: list[StepResult], derivations: list[Derivation], run: Run) -> list[StepResult]:
    """The results with the diagnosis of each step that is not proven, made in the instance that speaks."""
    wanted = {(r.file, r.derivation, r.instance) for r in results if r.instance and r.verdict.status is not Status.PROVEN}
    todo = list({(d.file, d.name, d.instance): d for d in derivations if (d.file, d.name, d.instance) in wanted}.values())
    again = {(r.file, r.derivation, d.instance, r.step): r
             for d, rs in _per_derivation(todo, run(todo, True) if todo else []) for r in rs}
    out = []
    for r in results:
        found = again.get((r.file, r.derivation, r.instance, r.step))
        out.append(replace(r, diagnosis=found.diagnosis, curve=found.curve) if found else r)
    return out


def about(r: StepResult) -> str:
    """Which instances a step's verdict is about: " for n = 2, i = 1 (of 29 instances: 9 refuted, 20
    proven)", " for all 29 instances", or nothing for a step without indices."""
    if r.instance and len(r.instances) == 1:
        return f" for {show(r.instance)}"
    if r.instance:
        return f" for {show(r.instance)} (of {len(r.instances)} instances: {tally(r)})"
    return f" for all {len(r.instances)} instances" if r.instances else ""


def shown(todo: list[Derivation], explaining: bool) -> bool:
    """Whether the refuted steps of this run of `check` are those the report shows (and plots): all of
    derivations without indices; of instances, only those run again to be explained, which speak."""
    return explaining or not any(d.instance for d in todo)


def _per_derivation(derivations: list[Derivation], results: list[StepResult]):
    """Each derivation with its steps' results (the runner gives them in order)."""
    it = iter(results)
    return [(d, [next(it) for _ in range(len(d.lines) - 1)]) for d in derivations]


def _of(r: StepResult, instance: tuple[tuple[str, int], ...]) -> StepResult:
    """The result as that of the instance."""
    if not instance:
        return r
    return replace(r, instance=instance, instances=(instance,),
                   by_instance=((instance, r.verdict.status.value, r.verdict.conditions),))


def combine(results: list[StepResult]) -> list[StepResult]:
    """The results with each step's instances folded into one result, in the order of first appearance."""
    groups: dict[tuple[str, str, int], list[StepResult]] = {}
    for r in results:
        groups.setdefault((r.file, r.derivation, r.step), []).append(r)
    return [_one(group) for group in groups.values()]


def _one(group: list[StepResult]) -> StepResult:
    if len(group) == 1:
        return group[0]
    instances = tuple(i for r in group for i in r.instances)
    by_instance = tuple(p for r in group for p in r.by_instance)
    notes = tuple(dict.fromkeys(n for r in group for n in r.notes))
    speaker = min(group, key=lambda r: _RANK[r.verdict.status])
    if speaker.verdict.status is not Status.PROVEN:
        return replace(speaker, notes=notes, instances=instances, by_instance=by_instance)
    verdicts = [r.verdict for r in group]
    conditions = verdicts[0].conditions
    if any(v.conditions != conditions for v in verdicts):  # one instance's, as an example; JSON has each
        first = next(r for r in group if r.verdict.conditions)
        others = sum(1 for r in group if r.verdict.conditions) - 1
        conditions = tuple(f"for {show(first.instance)}: {c}" for c in first.verdict.conditions) + (
            (f"the corresponding conditions for {others} other instance{'s' if others > 1 else ''}",) if others else ())
    verdict = Verdict(Status.PROVEN, ", ".join(dict.fromkeys(v.engine for v in verdicts if v.engine)) or None,
                      conditions, None, "", sum(v.seconds for v in verdicts),
                      tuple(dict.fromkeys(m for v in verdicts for m in v.remarks)), all(v.cached for v in verdicts))
    return replace(group[0], verdict=verdict, notes=notes, instance=(), instances=instances, by_instance=by_instance)


def tally(r: StepResult) -> str:
    """How the instances of a step came out: "20 proven, 9 refuted"."""
    counts: dict[str, int] = {}
    for _, status, _ in r.by_instance:
        counts[status] = counts.get(status, 0) + 1
    return ", ".join(f"{n} {s}" for s, n in counts.items())
