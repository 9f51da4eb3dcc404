"""The runner: steps are decided in forked workers with a wall-clock and a memory limit,
so a pathological line costs only its own verdict.

Each worker is forked once and then takes steps one at a time; a worker that
overruns a step's time limit, or dies, is killed and replaced, and only that
step is lost.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import re
import resource
import signal
import time
import traceback
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Callable, Protocol

from . import curves, explain, instances, ir, printing
from .cache import Cache
from .decide import decide
from .derivation import Derivation, Step
from .encode import Obligation
from .errors import NOT_CHECKED, NotChecked
from .engines.z3 import smt2
from .verdict import Diagnosis, Status, StepResult, Verdict

DEFAULT_TIMEOUT = 10.0
GRACE = 2.0  # the engines stop themselves at the time limit; this is for what cannot be interrupted
MEMORY_LIMIT = 4 * 1024**3  # bytes of address space per worker
_FORK = multiprocessing.get_context("fork")
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters
PR_SET_PDEATHSIG = 1  # Linux prctl: the signal a process gets when its parent dies


def _emitter(step: Step, folder: Path | None):
    if folder is None:
        return None
    slug = re.sub(r"[^A-Za-z0-9]+", "-", f"{step.derivation.file}-{step.derivation.name}-step{step.number}").strip("-")

    def emit(ob: Obligation, status: str) -> None:
        (folder / f"{slug}.smt2").write_text(smt2(ob, status))

    return emit


def check_step(step: Step, timeout: float, emit_smt2: Path | None = None, second_opinion: str | None = None) -> Verdict:
    """Decide one step in this process."""
    start = time.monotonic()
    try:
        return decide(step.obligation(), timeout, _emitter(step, emit_smt2), second_opinion)
    except NotChecked as exc:
        return Verdict(Status.UNKNOWN, detail=f"{NOT_CHECKED}{exc}", seconds=time.monotonic() - start)
    except ir.UnknownAtPoint as exc:
        return Verdict(Status.UNKNOWN, detail=str(exc), seconds=time.monotonic() - start)
    except RecursionError:
        return Verdict(Status.UNKNOWN, detail="the expression is nested too deeply to check",
                       seconds=time.monotonic() - start)
    except MemoryError:
        return Verdict(Status.UNKNOWN, detail="the check ran out of memory", seconds=time.monotonic() - start)
    except Exception as exc:  # a bug; reported as the step's verdict, never hidden
        detail = f"internal error: {type(exc).__name__}: {exc}\n{traceback.format_exc(limit=4)}"
        return Verdict(Status.ERROR, detail=detail, seconds=time.monotonic() - start)


def _explain(step: Step, verdict: Verdict, timeout: float) -> Diagnosis | None:
    """The diagnosis of a step that is not proven; a failure here costs the diagnosis, never the verdict."""
    if verdict.status not in (Status.REFUTED, Status.UNKNOWN):
        return None
    start = time.monotonic()
    try:
        found = explain.diagnose(step, verdict, min(explain.BUDGET, timeout), timeout)
    except (Exception, RecursionError) as exc:  # a bug: said in the diagnosis, and the verdict stands
        found = Diagnosis(f"verify could not explain this step (internal error: {type(exc).__name__}: {exc})")
    return replace(found, seconds=round(time.monotonic() - start, 3)) if found else None


def _curve(step: Step, verdict: Verdict, plotting: bool) -> curves.Curve | None:
    """Both sides near the counterexample of a refuted step; a failure here costs the plot only."""
    if not plotting or verdict.counterexample is None:
        return None
    try:
        return curves.sample(step.obligation(), verdict.counterexample)
    except (Exception, RecursionError):
        return None


def _parts(step: Step, timeout: float, emit_smt2: Path | None, second_opinion: str | None, explaining: bool,
           plotting: bool, store: Cache | None):
    """The step's verdict, then its curves and its diagnosis where the run wants them, each as soon as it
    is made (what comes after the verdict may overrun, and loses only itself): ("verdict", v, more), ...
    From the cache where it holds them all; stored there once they are all made."""
    try:
        hit = store.lookup(step, explaining, plotting) if store else None
    except (Exception, RecursionError):  # the obligation cannot be made: the check says why
        hit = store = None
    verdict = hit[0] if hit else check_step(step, timeout, emit_smt2, second_opinion)
    plot, explains = plotting and verdict.counterexample is not None, _explains(verdict, explaining)
    curve = diagnosis = None
    if plot or explains:
        yield "verdict", verdict, True
    if plot:
        curve = hit[1] if hit else _curve(step, verdict, plotting)
        if explains:
            yield "curve", curve, True
    if explains:
        diagnosis = hit[2] if hit else _explain(step, verdict, timeout)
    if store and not hit:  # before the last part: once that is sent, the run may end, and the worker with it
        store.store(step, verdict, curve, diagnosis, explaining, plotting)
    if explains:
        yield "diagnosis", diagnosis, False
    elif plot:
        yield "curve", curve, False
    else:
        yield "verdict", verdict, False


def _steady_malloc() -> None:
    """glibc's malloc maps large blocks afresh and gives freed memory back to the system below thresholds
    that it raises as a process runs. A parent that fixed them low (Dask sets MALLOC_TRIM_THRESHOLD_ for
    its workers) turns each step's Z3 context into page faults: a step took 1.5 times as long, a third
    of it in the kernel. The worker sets them to the highest values glibc itself would reach."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc: nothing to set
        return
    libc.mallopt(M_MMAP_THRESHOLD, 32 * 1024**2)
    libc.mallopt(M_TRIM_THRESHOLD, 64 * 1024**2)


def _die_with(parent: int) -> None:
    """The worker is killed when the process that forked it dies, even by SIGKILL: every worker holds
    the others' pipe ends too (fork copies them), so none would see its pipe close and all would wait."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: a worker outlives a killed parent until its step ends
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(0)


def _serve(conn: Connection, parent: int, steps: list[Step], timeout: float, memory: int, emit_smt2: Path | None,
           second_opinion: str | None, explaining: bool, plotting: bool, store: Cache | None) -> None:
    _die_with(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group; the parent ends the workers
    try:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    except (ValueError, OSError):
        pass
    _steady_malloc()
    while True:
        i = conn.recv()
        if i is None:
            return
        for kind, value, more in _parts(steps[i], timeout, emit_smt2, second_opinion, explaining, plotting, store):
            conn.send((i, kind, value, more))


def _explains(verdict: Verdict, explaining: bool) -> bool:
    return explaining and verdict.status in (Status.REFUTED, Status.UNKNOWN)


class Meter(Protocol):
    """What follows a run's progress (verify.progress.Bar)."""

    def add(self, steps: int) -> None: ...

    def advance(self) -> None: ...


@dataclass
class _Worker:
    process: multiprocessing.Process
    conn: Connection
    step: int | None = None
    started: float = 0.0
    explaining: bool = False  # the verdict is in; the diagnosis or curves are being made


def _result(step: Step, verdict: Verdict, diagnosis: Diagnosis | None = None,
            curve: curves.Curve | None = None) -> StepResult:
    lhs, rhs = step.lhs, step.rhs
    hint = rhs.hint or (lhs.hint if step.number == 1 else "")
    notes = tuple(dict.fromkeys((*lhs.notes, *rhs.notes, *_one_sided(step, verdict))))
    return StepResult(
        step.derivation.file, step.derivation.name, step.number, lhs.text, rhs.text,
        step.expected, verdict, rhs.where.line, rhs.where.col, step.derivation.assumptions(),
        ir.show(lhs.expr), ir.show(rhs.expr), lhs.latex or rhs.latex, hint, notes, diagnosis,
        lhs_tex=printing.to_latex(lhs.expr), rhs_tex=printing.to_latex(rhs.expr), curve=curve,
    )


def _one_sided(step: Step, verdict: Verdict) -> tuple[str, ...]:
    """A refuted step with names on its right side only (1/(x^2-1) = a/(x-1) + b/(x+1)) may be an equation to
    solve for them, not an identity: said beside the verdict, which is about every value of them."""
    if verdict.status is not Status.REFUTED or step.derivation.antiderivative_variable(step.number) is not None:
        return ()  # antiderivatives: the constant of integration is on one side
    left, right = ir.free_names(step.lhs.expr), ir.free_names(step.rhs.expr)
    used = {n for h in step.derivation.hypotheses for n in ir.free_names(h.lhs) | ir.free_names(h.rhs)}
    used |= {n for name, value in step.derivation.substitutions for n in {name} | ir.free_names(value)}
    alone = sorted(right - left - used)  # new names on the right: unknowns (a derivative loses names on the right)
    if not alone or not left & right:
        return ()
    which = f"{', '.join(alone)} appear" if len(alone) > 1 else f"{alone[0]} appears"
    return (f"{which} on the right side only: the step is refuted as an identity, for every value of "
            f"{'them' if len(alone) > 1 else 'it'}; if it is an equation to solve for "
            f"{'them' if len(alone) > 1 else 'it'} (as in partial fractions), verify cannot check that",)


def run(derivations: list[Derivation], timeout: float = DEFAULT_TIMEOUT, jobs: int | None = None,
        memory: int = MEMORY_LIMIT, isolate: bool = True, emit_smt2: Path | None = None,
        second_opinion: str | None = None, explaining: bool = True, plotting: bool = False,
        done: Callable[[StepResult], None] | None = None, meter: Meter | None = None,
        cache: Cache | None = None) -> list[StepResult]:
    """Check every step of every derivation; results come back in input order.

    With `emit_smt2`, every obligation Z3 decided is written there as an SMT-LIB2 file;
    with `second_opinion`, that engine re-checks every proof of Z3's; with `explaining`, each step
    that is not proven gets a diagnosis, within explain.BUDGET seconds; with `plotting`, each refuted
    step gets its curves; `done` is given each result as soon as it and those before it are complete;
    `meter` is told how many steps there are and each one that is complete; with `cache`, what an
    earlier run decided is taken from it, and what this run decides is stored there.
    """
    steps = [s for d in derivations for s in d.steps()]
    if meter:
        meter.add(len(steps))
    if not isolate:
        out = []
        for s in steps:
            got = {kind: value for kind, value, _ in _parts(s, timeout, emit_smt2, second_opinion, explaining,
                                                              plotting, cache)}
            out.append(_result(s, got["verdict"], got.get("diagnosis"), got.get("curve")))
            if meter:
                meter.advance()
            if done:
                done(out[-1])
        return out
    budget = min(explain.BUDGET, timeout)
    verdicts: dict[int, Verdict] = {}
    plots: dict[int, curves.Curve | None] = {}
    diagnoses: dict[int, Diagnosis | None] = {}
    finished: set[int] = set()  # steps whose worker has sent all it will
    results: list[StepResult] = []  # complete, in order: given to `done` as they come

    def tell() -> None:
        while len(results) in finished:
            k = len(results)
            results.append(_result(steps[k], verdicts[k], diagnoses.get(k), plots.get(k)))
            if meter:
                meter.advance()
            if done:
                done(results[-1])

    queue = list(range(len(steps)))
    workers: list[_Worker] = []

    def spawn() -> _Worker:
        mine, theirs = _FORK.Pipe()
        proc = _FORK.Process(target=_serve, args=(theirs, os.getpid(), steps, timeout, memory, emit_smt2,
                                                  second_opinion, explaining, plotting, cache), daemon=True)
        proc.start()
        theirs.close()
        return _Worker(proc, mine)

    def retire(w: _Worker, verdict: Verdict, diagnosis: Diagnosis | None = None) -> None:
        if not w.explaining:
            verdicts[w.step], diagnoses[w.step] = verdict, diagnosis
        elif _explains(verdicts[w.step], explaining):
            diagnoses[w.step] = Diagnosis(f"the explanation did not finish within its {budget:g} s")
        finished.add(w.step)
        w.process.kill()
        w.process.join()
        w.conn.close()
        workers.remove(w)

    n = min(jobs or os.cpu_count() or 1, len(steps))
    workers.extend(spawn() for _ in range(n))
    try:
        while len(verdicts) < len(steps) or any(w.step is not None for w in workers):
            for w in workers:
                if w.step is None and queue:
                    w.step, w.started = queue.pop(0), time.monotonic()
                    w.conn.send(w.step)
            busy = [w for w in workers if w.step is not None]
            ready = wait([w.conn for w in busy], timeout=0.05)
            now = time.monotonic()
            for w in busy:
                if w.conn in ready:
                    try:
                        i, kind, got, more = w.conn.recv()
                    except (EOFError, OSError):
                        retire(w, Verdict(Status.UNKNOWN, seconds=now - w.started,
                                          detail="the check stopped without a verdict; most likely it ran out "
                                                 f"of memory (the limit is {memory // 1024**2} MiB)"))
                        continue
                    {"verdict": verdicts, "curve": plots, "diagnosis": diagnoses}[kind][i] = got
                    if more:
                        w.explaining, w.started = True, now
                    else:
                        finished.add(i)
                        w.step, w.explaining = None, False
                elif now - w.started > (budget if w.explaining else timeout) + GRACE:
                    late = Verdict(Status.UNKNOWN, seconds=now - w.started,
                                   detail=f"no verdict within the time limit of {timeout:g} s")
                    # for a step without a verdict, the diagnosis says what may help; it costs no engine time
                    retire(w, late, explain.diagnose(steps[w.step], late, timeout=timeout)
                           if explaining and not w.explaining else None)
            while queue and len(workers) < n:
                workers.append(spawn())
            tell()
    finally:
        for w in workers:
            w.process.kill()
            w.process.join()
    tell()
    return results


def check(derivations: list[Derivation], timeout: float = DEFAULT_TIMEOUT, jobs: int | None = None,
          explaining: bool = True, plotting: bool = False, done: Callable[[StepResult], None] | None = None,
          **options) -> list[StepResult]:
    """`run`, with the instances of each step of derivations with indices combined into one result
    (instances.check): only the instance that speaks for a step is explained and plotted. `done` gets
    each result in input order, as soon as it and those before it are in: the steps without indices are
    decided first and as they come, those with indices are combined at the end."""
    order = {key: k for k, key in enumerate(dict.fromkeys(
        (d.file, d.name, n) for d in derivations for n in range(1, len(d.lines))))}
    waiting: dict[int, StepResult] = {}
    told = 0

    def arrive(r: StepResult) -> None:
        nonlocal told
        waiting[order[r.file, r.derivation, r.step]] = r
        while told in waiting:
            done(waiting.pop(told))
            told += 1

    def go(todo: list[Derivation], explain_now: bool) -> list[StepResult]:
        plain = not any(d.instance for d in todo)
        return run(todo, timeout=timeout, jobs=jobs, explaining=explain_now,
                   plotting=plotting and instances.shown(todo, explain_now),
                   done=arrive if plain and done else None, **options)

    results = instances.check(derivations, go, explaining=explaining)
    for r in results if done else ():
        if r.instances:
            arrive(r)
    return results
