"""Many derivations, one per row of a JSON lines file (or CSV, or Parquet): a line of results for each,
written in input order as they are decided; for grading model-written solutions by the hundred thousand.

A row is {"id": ..., "lines" | "latex": [...], "definitions", "assume", "expect", "timeout"}; the other
keys are refused. Rows are read and checked a chunk at a time, so memory does not grow with the input,
and the output is written in input order, so a rerun skips the rows whose ids it already holds by
reading it alongside the input.
"""

from __future__ import annotations

import contextlib
import csv
import json
import math
import multiprocessing
import os
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import api, report, runner
from .derivation import EXPECTATIONS, Derivation
from .errors import InputError, Location
from .verdict import StepResult

KEYS = ("id", "lines", "latex", "definitions", "assume", "expect", "timeout")
CHUNK = 100  # rows checked at once: enough to keep the workers busy, few enough to bound memory


@dataclass(frozen=True)
class Row:
    """One row as read: where it is (its line, 1-based), its id, and what to check or why it cannot be."""

    line: int
    id: object
    derivations: tuple[Derivation, ...] = ()
    errors: tuple[InputError, ...] = ()
    timeout: float = runner.DEFAULT_TIMEOUT
    problem: str = ""  # the row itself is malformed (not JSON, an unknown key, a wrong type)


def _list(row: dict, key: str) -> list[str] | None:
    value = row.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise ValueError(f"'{key}' must be a list of strings")
    return value


def make_row(data: object, line: int, timeout: float = runner.DEFAULT_TIMEOUT) -> Row:
    """A row from its decoded JSON (or CSV or Parquet) record."""
    if not isinstance(data, dict):
        return Row(line, None, problem="a row must be a JSON object such as {\"id\": \"a\", \"lines\": [...]}")
    ident = data.get("id")
    try:
        unknown = [k for k in data if k not in KEYS]
        if unknown:
            raise ValueError(f"unknown key {unknown[0]!r}; a row may hold {', '.join(KEYS)}")
        lines, latex = _list(data, "lines"), _list(data, "latex")
        if (lines is None) == (latex is None):
            raise ValueError("give either 'lines' (the plain syntax) or 'latex', as a list of strings")
        definitions = data.get("definitions") or {}
        if not (isinstance(definitions, dict) and all(isinstance(v, str) for v in definitions.values())) and \
                _list(data, "definitions") is None:
            raise ValueError("'definitions' must map names to strings, or be a list of strings")
        assume = _list(data, "assume") or []
        expect = _list(data, "expect") or []
        wrong = [e for e in expect if e not in EXPECTATIONS]
        if wrong:
            raise ValueError(f"expect {wrong[0]!r} is not one of {', '.join(EXPECTATIONS)}")
        given = data.get("timeout", timeout)
        if isinstance(given, bool) or not isinstance(given, (int, float)) or not math.isfinite(given) or given <= 0:
            raise ValueError("'timeout' must be a positive number of seconds")
    except ValueError as exc:
        return Row(line, ident, problem=str(exc))
    found, errors = api.derivations(lines, latex, definitions, assume, name=f"line {line}")
    if found and len(expect) > len(found[0].lines) - 1:
        return Row(line, ident, problem=f"'expect' has {len(expect)} entries for {len(found[0].lines) - 1} steps")
    return Row(line, ident, tuple(replace(d, expect=tuple(expect)) for d in found), tuple(errors), float(given))


def read(path: Path, timeout: float = runner.DEFAULT_TIMEOUT) -> Iterator[Row]:
    """The rows of a .jsonl, .csv or .parquet file, one at a time. In CSV, `lines`, `latex`, `definitions`,
    `assume` and `expect` hold JSON text."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        try:
            import pyarrow.parquet as pq
        except ImportError:
            raise InputError(Location(str(path)), "reading Parquet needs pyarrow: pip install 'verify[parquet]'") from None
        line = 0
        for batch in pq.ParquetFile(path).iter_batches(batch_size=CHUNK):
            for record in batch.to_pylist():
                line += 1
                yield make_row({k: v for k, v in record.items() if v is not None}, line, timeout)
        return
    # utf-8-sig: a byte-order mark, as Excel's "CSV UTF-8" writes, is not part of the first key
    with path.open(encoding="utf-8-sig", newline="" if suffix == ".csv" else None) as f:
        if suffix == ".csv":
            reader = csv.DictReader(f)
            for record in reader:  # where the record starts: a quoted field may span lines
                line = reader.line_num - sum(v.count("\n") for v in record.values() if isinstance(v, str))
                yield _csv_row(record, line, timeout)
            return
        for line, text in enumerate(f, start=1):
            if not text.strip():
                continue
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                yield Row(line, None, problem=f"this line is not JSON: {exc.msg} at column {exc.colno}")
                continue
            yield make_row(data, line, timeout)


def _csv_row(record: dict, line: int, timeout: float) -> Row:
    if record.get(None):  # csv.DictReader's key for the fields beyond the header's
        extra = report.plural(len(record[None]), "field")
        return Row(line, record.get("id"), problem=f"this row has {extra} more than the header")
    data: dict = {}
    for key, value in record.items():
        if key is None or value in (None, ""):
            continue
        if key in ("lines", "latex", "definitions", "assume", "expect"):
            try:
                data[key] = json.loads(value)
            except ValueError:
                return Row(line, record.get("id"), problem=f"the '{key}' column must hold JSON, such as [\"x\", \"x\"]")
        elif key == "timeout":
            try:
                data[key] = float(value)
            except ValueError:
                return Row(line, record.get("id"), problem="'timeout' must be a positive number of seconds")
        else:
            data[key] = value
    return make_row(data, line, timeout)


def result(row: Row, steps: list[StepResult], source: str) -> dict:
    """The output line of a row: its id, where it is, and each step in the JSON report's step shape."""
    out = {"id": row.id, "line": row.line}
    if row.problem:
        return out | {"ok": False, "error": f"{source}:{row.line}: {row.problem}"}
    return out | {"ok": not row.errors and not any(r.unexpected for r in steps),
                  "steps": [report.step_json(r) for r in steps],
                  "errors": [report.place(e) for e in row.errors]}


def check_rows(rows: list[Row], jobs: int | None = 1, explaining: bool = False, **options) -> list[list[StepResult]]:
    """Each row's step results, in order; rows with the same time limit are checked together."""
    out: dict[int, list[StepResult]] = {k: [] for k in range(len(rows))}
    for timeout in dict.fromkeys(r.timeout for r in rows):
        todo = [(k, d) for k, r in enumerate(rows) if r.timeout == timeout for d in r.derivations]
        if not todo:
            continue
        owner = {(d.file, d.name): k for k, d in todo}
        for r in runner.check([d for _, d in todo], timeout=timeout, jobs=jobs, explaining=explaining, **options):
            out[owner[r.file, r.derivation]].append(r)
    return [out[k] for k in range(len(rows))]


def _chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    chunk: list[Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _chunk_lines(rows: list[Row], source: str, explaining: bool) -> list[dict]:
    """What a worker of an executor does: check a chunk of rows in its own pool of one forked worker. A
    Dask worker runs as a daemonic process, which multiprocessing forbids to fork; the flag is lifted
    while the chunk is checked. That is safe here: the runner kills its workers when done, and a worker
    whose parent dies ends at once (its pipe closes)."""
    with _may_fork():
        return [result(row, steps, source) for row, steps in zip(rows, check_rows(rows, 1, explaining))]


@contextmanager
def _may_fork() -> Iterator[None]:
    me = multiprocessing.current_process()
    daemon = me.daemon
    me.daemon = False
    try:
        yield
    finally:
        me.daemon = daemon


def results(rows: Iterable[Row], source: str, jobs: int | None = None, explaining: bool = False,
            executor: Executor | None = None, chunk: int = CHUNK) -> Iterator[dict]:
    """Each row's output line, in input order, checked a chunk at a time. With an executor, chunks go to
    its workers, two for each worker at work at once, and come back in order."""
    if executor is None:
        for part in _chunks(rows, chunk):
            for row, steps in zip(part, check_rows(part, jobs, explaining)):
                yield result(row, steps, source)
        return
    waiting: deque[Future] = deque()  # in input order; the finished ones wait for those before them
    busy = 2 * (jobs or os.cpu_count() or 1)  # chunks at work at once: each worker has one to take next
    for part in _chunks(rows, chunk):
        waiting.append(executor.submit(_chunk_lines, part, source, explaining))
        while True:
            while waiting and waiting[0].done():
                yield from waiting.popleft().result()
            unfinished = [f for f in waiting if not f.done()]
            # a slow chunk holds back the output, not the workers; what waits behind it is bounded
            if len(unfinished) < busy and len(waiting) < 4 * busy:
                break
            wait(unfinished, return_when=FIRST_COMPLETED)
    for future in waiting:
        yield from future.result()


def done_ids(path: Path) -> Iterator[object]:
    """The ids an earlier run wrote to `path`, in order; a last line cut short by an interruption is
    removed from the file first."""
    if not path.is_file():  # none yet, or a device such as /dev/stdout: nothing to resume from
        return
    with path.open("rb+") as f:
        end = f.seek(0, os.SEEK_END)
        while end > 0:  # back to the last newline, a block at a time
            start = max(0, end - 65536)
            f.seek(start)
            block = f.read(end - start)
            k = block.rfind(b"\n")
            if k >= 0:
                end = start + k + 1
                break
            end = start
        if end < f.seek(0, os.SEEK_END):
            f.truncate(end)
    with path.open(encoding="utf-8", errors="replace") as f:
        for k, text in enumerate(f, start=1):
            try:
                got = json.loads(text)
            except ValueError:
                got = None
            if not isinstance(got, dict):
                raise InputError(Location(str(path), k), "this line is not a result of verify batch, so the run "
                                                         "cannot go on from this file; give a new output file")
            yield got.get("id")


def check_many(rows: Iterable[dict], executor: Executor | None = None, *, timeout: float = runner.DEFAULT_TIMEOUT,
               explain: bool = False, jobs: int | None = None, chunk: int = CHUNK) -> Iterator[dict]:
    """Check many chains, each a dict as a row of `verify batch` ({"id": ..., "lines" | "latex": [...],
    "definitions", "assume", "expect", "timeout"}), and yield each one's result, in order, as a dict of
    the batch output. `executor` is any concurrent.futures.Executor (a Dask or Ray one from a notebook):
    chunks of rows go to its workers, each of which checks them in a forked worker with the usual time
    and memory limits; without one, the local pool of `jobs` workers does."""
    api.limits(timeout, jobs)
    if isinstance(chunk, bool) or not isinstance(chunk, int) or chunk < 1:
        raise ValueError("chunk must be a whole number, 1 or more")
    made = (make_row(r, k, timeout) for k, r in enumerate(rows, start=1))
    return results(made, "<rows>", jobs, explain, executor, chunk)


_MISSING = object()


def _remaining(rows: Iterator[Row], done: Iterator[object], skipped: list[int],
               changed: Callable[[Row, object], None] | None = None) -> Iterator[Row]:
    """The rows an earlier run did not write: the output is in input order, so its ids are read alongside
    the input's; at the first that differs, every row from there on is checked (and `changed` is told)."""
    pending = next(done, _MISSING)
    for row in rows:
        if pending is not _MISSING and row.id == pending:
            skipped[0] += 1
            pending = next(done, _MISSING)
            continue
        if pending is not _MISSING and changed:
            changed(row, pending)
        pending = _MISSING
        yield row


def _count(path: Path) -> int | None:
    """How many rows the input holds, read as a stream, for the progress bar."""
    if path.suffix.lower() == ".parquet":
        try:
            import pyarrow.parquet as pq

            return pq.ParquetFile(path).metadata.num_rows
        except Exception:
            return None
    with path.open("rb") as f:
        n = sum(1 for line in f if line.strip())
    return n - 1 if path.suffix.lower() == ".csv" else n


def _unwritable(source: Path, output: Path) -> str | None:
    """Why the batch cannot write its results to `output`, or None."""
    if output.exists() and source.exists() and output.resolve() == source.resolve():
        return f"the output {output} is the input; give another file"
    if output.is_dir():
        return f"the output {output} is a folder; give a file, such as {output / 'results.jsonl'}"
    if not output.parent.is_dir():
        return f"the folder of the output, {output.parent}, does not exist"
    if output.is_file():  # its first line; done_ids finds a later one that is not a result
        try:
            with output.open(encoding="utf-8") as f:
                first = f.readline()
            if first.endswith("\n") and not isinstance(json.loads(first), dict):
                raise ValueError
        except (ValueError, UnicodeDecodeError):
            return (f"{output} is not the output of verify batch (its first line is not a JSON object of "
                    "results); give a new file, or the one an earlier run wrote")
    return None


def main(argv: list[str], stdout, stderr) -> int:
    """verify batch IN -o OUT: the command line."""
    import argparse

    from . import progress

    p = argparse.ArgumentParser(prog="verify batch", description="Check many derivations, one per row of a "
                                "JSON lines, CSV or Parquet file, and write a JSON line of results for each.")
    p.add_argument("input", type=Path, help="a .jsonl, .csv or .parquet file of rows such as "
                   '{"id": "a", "lines": ["(x + 1)^2", "x^2 + 2*x + 1"]}')
    p.add_argument("-o", "--output", type=Path, required=True,
                   help="the .jsonl file of results; a rerun with the same file skips the rows it holds "
                        "(- for the standard output, which cannot be resumed)")
    p.add_argument("--timeout", type=float, default=runner.DEFAULT_TIMEOUT, metavar="SECONDS",
                   help="time limit for each step, unless a row gives its own")
    p.add_argument("--jobs", type=int, default=None, help="steps checked at once (default: the number of cores)")
    p.add_argument("--explain", action="store_true", help="explain each step not proven (off by default: it costs time)")
    p.add_argument("--chunk", type=int, default=CHUNK, help=f"rows checked at once (default {CHUNK})")
    p.add_argument("--cluster", metavar="ADDRESS", default=None,
                   help="run on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786); needs "
                        "pip install 'verify[dask]' here and on every worker")
    try:
        args = p.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    wrong = ("--timeout must be a positive number of seconds" if not math.isfinite(args.timeout) or args.timeout <= 0
             else "--jobs must be 1 or more" if args.jobs is not None and args.jobs < 1
             else "--chunk must be 1 or more" if args.chunk < 1 else None)
    if wrong:
        stderr.write(f"verify batch: error: {wrong}\n")
        return 2
    if not args.input.is_file():
        stderr.write(f"verify batch: error: {args.input} is not a file\n")
        return 2
    if args.input.suffix.lower() not in (".jsonl", ".json", ".ndjson", ".csv", ".parquet"):
        stderr.write(f"verify batch: error: {args.input} must end in .jsonl, .csv or .parquet\n")
        return 2
    to_stdout = str(args.output) == "-"
    problem = None if to_stdout else _unwritable(args.input, args.output)
    if problem:
        stderr.write(f"verify batch: error: {problem}\n")
        return 2
    executor = client = None
    if args.cluster:
        try:
            from distributed import Client
        except ImportError:
            stderr.write("verify batch: error: --cluster needs Dask: pip install 'verify[dask]'\n")
            return 2
        try:
            client = Client(args.cluster, timeout=30)
        except (OSError, TimeoutError) as exc:
            stderr.write(f"verify batch: error: cannot reach the Dask scheduler at {args.cluster}: {exc}\n")
            return 2
        executor = client.get_executor()
        args.jobs = args.jobs or sum(client.nthreads().values()) or 1
    skipped = [0]
    def changed(row: Row, written: object) -> None:
        stderr.write(f"verify batch: warning: {args.input}:{row.line} has id {row.id!r}, where {args.output} has "
                     f"{written!r}: the input is not the one of the earlier run, so every row from here on is checked "
                     "again and appended, and an id may then be in the output twice\n")

    rows = _remaining(read(args.input, args.timeout), iter(()) if to_stdout else done_ids(args.output), skipped,
                      changed)
    bar = progress.Bar(stderr, unit="rows") if progress.terminal(stderr) else None
    if bar:
        bar.add(_count(args.input) or 0)
    counts = {"rows": 0, "ok": 0, "failed": 0, "malformed": 0, "steps": 0}
    try:
        with contextlib.nullcontext(stdout) if to_stdout else args.output.open("a", encoding="utf-8") as out:
            for line in results(rows, str(args.input), args.jobs, args.explain, executor, args.chunk):
                out.write(json.dumps(line) + "\n")
                out.flush()
                counts["rows"] += 1
                counts["malformed"] += "error" in line
                counts["ok" if line["ok"] else "failed"] += 1
                counts["steps"] += len(line.get("steps", ()))
                if bar:
                    if counts["rows"] == 1:
                        bar.add(-skipped[0])
                    bar.advance()
    except InputError as exc:
        stderr.write(f"verify batch: error: {exc}\n")
        return 2
    except KeyboardInterrupt:
        stderr.write(f"verify batch: interrupted after {counts['rows']} rows; run the same command again to go on "
                     "from there\n")
        return 130
    finally:
        if bar:
            bar.close()
        if client is not None:
            client.close()
    stderr.write(f"verify batch: {report.plural(counts['rows'], 'row')} checked ({counts['ok']} as expected, "
                 f"{counts['failed']} not, {counts['malformed']} malformed), {report.plural(counts['steps'], 'step')}"
                 + ("\n" if to_stdout else f"; {skipped[0]} {'row was' if skipped[0] == 1 else 'rows were'} already in "
                                            f"{args.output}\n"))
    return 0


def _derivation_chunk(derivations: list[Derivation], timeout: float, explaining: bool) -> list[StepResult]:
    with _may_fork():  # as in _chunk_lines
        return runner.check(derivations, timeout=timeout, jobs=1, explaining=explaining)


def check_derivations(derivations: list[Derivation], executor: Executor, timeout: float = runner.DEFAULT_TIMEOUT,
                      explaining: bool = False, chunk: int = 20) -> list[StepResult]:
    """runner.check through an executor: the derivations of each file go together (instances are
    combined within a file), in chunks of about `chunk` derivations; results in input order."""
    parts: list[list[Derivation]] = []
    for d in derivations:
        if parts and (parts[-1][-1].file == d.file or len(parts[-1]) < chunk):
            parts[-1].append(d)
        else:
            parts.append([d])
    futures = [executor.submit(_derivation_chunk, part, timeout, explaining) for part in parts]
    return [r for f in futures for r in f.result()]
