"""The runner: every step is decided in a forked worker with a wall-clock and a memory limit,
so a pathological line costs only its own verdict.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import time
import traceback
from multiprocessing.connection import Connection, wait

from .decide import decide
from .derivation import Derivation, Step
from .verdict import Status, StepResult, Verdict

DEFAULT_TIMEOUT = 10.0
MEMORY_LIMIT = 4 * 1024**3  # bytes of address space per worker
_FORK = multiprocessing.get_context("fork")


def check_step(step: Step, timeout: float) -> Verdict:
    """Decide one step in this process."""
    start = time.monotonic()
    try:
        return decide(step.obligation(), timeout)
    except RecursionError:
        return Verdict(Status.UNKNOWN, detail="the expression is nested too deeply to check",
                       seconds=time.monotonic() - start)
    except Exception as exc:  # a bug; reported as the step's verdict, never hidden
        detail = f"internal error: {type(exc).__name__}: {exc}\n{traceback.format_exc(limit=4)}"
        return Verdict(Status.ERROR, detail=detail, seconds=time.monotonic() - start)


def _worker(conn: Connection, step: Step, timeout: float, memory: int) -> None:
    try:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    except (ValueError, OSError):
        pass
    try:
        verdict = check_step(step, timeout)
    except MemoryError:
        verdict = Verdict(Status.UNKNOWN, detail=f"the check needed more than {memory // 1024**2} MiB of memory")
    conn.send(verdict)
    conn.close()


def _result(step: Step, verdict: Verdict) -> StepResult:
    return StepResult(
        step.derivation.file, step.derivation.name, step.number, step.lhs.text, step.rhs.text,
        step.expected, verdict, step.rhs.where.line, step.rhs.where.col,
    )


def run(derivations: list[Derivation], timeout: float = DEFAULT_TIMEOUT, jobs: int | None = None,
        memory: int = MEMORY_LIMIT, isolate: bool = True) -> list[StepResult]:
    """Check every step of every derivation; results come back in input order."""
    steps = [s for d in derivations for s in d.steps()]
    if not isolate:
        return [_result(s, check_step(s, timeout)) for s in steps]
    jobs = jobs or os.cpu_count() or 1
    verdicts: dict[int, Verdict] = {}
    running: dict[Connection, tuple[int, multiprocessing.Process, float]] = {}
    queue = list(enumerate(steps))
    limit = timeout + 2.0  # the worker's own clock stops engines at `timeout`; this catches the rest
    while queue or running:
        while queue and len(running) < jobs:
            i, step = queue.pop(0)
            parent, child = _FORK.Pipe(duplex=False)
            proc = _FORK.Process(target=_worker, args=(child, step, timeout, memory), daemon=True)
            proc.start()
            child.close()
            running[parent] = (i, proc, time.monotonic())
        ready = wait(list(running), timeout=0.05)
        now = time.monotonic()
        for conn in list(running):
            i, proc, started = running[conn]
            verdict = None
            if conn in ready:
                try:
                    verdict = conn.recv()
                except (EOFError, OSError):
                    proc.join(1)
                    verdict = Verdict(Status.UNKNOWN, seconds=now - started,
                                      detail=f"the worker stopped without a verdict (exit code {proc.exitcode}); "
                                             "most likely it ran out of memory")
            elif now - started > limit:
                verdict = Verdict(Status.UNKNOWN, seconds=now - started,
                                  detail=f"no verdict within the time limit of {timeout:g} s")
            if verdict is not None:
                proc.kill()
                proc.join()
                conn.close()
                del running[conn]
                verdicts[i] = verdict
    return [_result(s, verdicts[i]) for i, s in enumerate(steps)]
