"""The command line: `verify [PATH ...]`, `verify -e 'A = B'`. Exit codes: 0 as expected,
1 some step is not as expected, 2 some input could not be read or a usage error.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import signal
import sqlite3
import sys
from dataclasses import replace
from pathlib import Path
from typing import Callable, TextIO

from . import cache, engines, frontends, progress, report, runner
from .version import __version__
from .errors import InputError, Location, once
from .verdict import StepResult
from .frontends import chain, folders, indices
from .frontends.names import PRELUDE

DEFAULT_PATH = "proofs"


class _Parser(argparse.ArgumentParser):
    def __init__(self, stderr: TextIO, **kw):
        super().__init__(**kw)
        self._stderr = stderr

    def error(self, message: str):
        self.print_usage(self._stderr)
        self._stderr.write(f"verify: error: {message}\n")
        raise SystemExit(2)


FORMATS = ("text", "json", "html", "markdown", "junit", "github", "sarif", "jsonl")


class _Format(argparse.Action):
    """--format F adds a report; an -o FILE after it sends that report to FILE (an -o before every --format
    goes with the first)."""

    def __call__(self, parser, namespace, value, option_string=None):
        reports = namespace.reports or []
        if reports and reports[-1][0] is None:
            reports[-1][0] = value
        else:
            reports.append([value, None])
        namespace.reports = reports


class _Output(argparse.Action):
    def __call__(self, parser, namespace, value, option_string=None):
        reports = namespace.reports or [[None, None]]
        if reports[-1][1] is not None:
            parser.error("give -o once for each --format, after it: --format text --format junit -o report.xml")
        reports[-1][1] = value
        namespace.reports = reports


def _parser(stderr: TextIO) -> argparse.ArgumentParser:
    p = _Parser(stderr, prog="verify", description="Check every step of step-by-step derivations.",
                epilog="verify serve [--host H] [--port P] starts a local web page to paste derivations into, and a "
                       "JSON API (see verify serve --help)")
    p.add_argument("--version", action="store_true", help="print the version of verify and stop")
    p.add_argument("paths", nargs="*", help=f".toml proof files, .md and .tex documents, or folders (default: {DEFAULT_PATH}/)")
    p.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                   help="skip paths that match GLOB, in .gitignore syntax, such as 'drafts/' or 'notes/*.tex' "
                        "(may be repeated); in folders, what .gitignore ignores, hidden folders, node_modules and "
                        "virtual environments are skipped anyway")
    p.add_argument("-e", "--expr", action="append", default=[], metavar="CHAIN",
                   help="check one chain such as 'A = B = C', in the plain syntax or in LaTeX (may be repeated)")
    p.add_argument("--define", action="append", default=[], metavar="DEFINITION",
                   help="a function or name for the -e chains, such as 'f(x) = x^2' or 'y = \\sigma(z)' (may be repeated)")
    p.add_argument("--assume", action="append", default=[], metavar="HYPOTHESIS",
                   help="a hypothesis for the -e chains, such as 'x > 0' or '0 < p < 1' (may be repeated)")
    p.add_argument("--indices", metavar="INDICES", default=None,
                   help="index values for the -e chains, such as 'i = 1, j = 2, n = 3' or ranges 'n = 2..4, i = 1..n' "
                        "(every combination is checked); 'where i != j' may follow")
    p.add_argument("--macros", metavar="FILE", type=Path, default=None,
                   help="LaTeX macros (\\newcommand, \\DeclareMathOperator, ...) from FILE, for every input")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="print only the steps that are not as expected, the errors and the summary")
    p.add_argument("--strict", action="store_true",
                   help="a path with nothing to check is an error (exit 2), not a warning: for CI")
    p.add_argument("--show-reading", action="store_true",
                   help="show how every line was read, in the plain syntax (shown anyway for LaTeX steps not proven)")
    p.add_argument("--format", choices=FORMATS, action=_Format, dest="reports", default=None,
                   help="text for people, json for programs, html for a self-contained page with rendered math and "
                        "a plot of each refuted step (plots need: pip install 'verify[html]'), markdown for a job "
                        "summary, junit for CI test reports, github for workflow annotations, sarif for code "
                        "scanning, jsonl for one JSON object per step as it is decided; may be repeated")
    p.add_argument("-o", "--output", metavar="FILE", type=Path, action=_Output, dest="reports",
                   help="write the report of the --format before it to FILE instead of the standard output")
    p.add_argument("--explain", action=argparse.BooleanOptionalAction, default=True,
                   help="for each step not proven, say what the line should be, how the sides differ and which "
                        "slip explains it, with a correction the engines prove (default: on)")
    p.add_argument("--timeout", type=float, default=runner.DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"time limit for each step (default {runner.DEFAULT_TIMEOUT:g})")
    p.add_argument("--jobs", type=int, default=None, help="steps checked, and files read, at once (default: the number of cores)")
    p.add_argument("--no-cache", action="store_true",
                   help="decide every step again, without reading or writing the cache (also: VERIFY_NO_CACHE=1)")
    p.add_argument("--cache-dir", metavar="DIR", type=Path, default=None,
                   help=f"keep the cache of verdicts in DIR (default: {cache.FOLDER} in the current folder); "
                        "it is safe to delete at any time")
    p.add_argument("--emit-smt2", metavar="DIR", type=Path, default=None,
                   help="write every obligation Z3 decided to DIR as an SMT-LIB2 file, for another solver to re-check")
    p.add_argument("--second-opinion", choices=("cvc5",), default=None,
                   help="re-check every proof of Z3's with another solver (needs: pip install cvc5)")
    return p


def main(argv: list[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    stderr = stderr or sys.stderr
    try:
        return _main(sys.argv[1:] if argv is None else argv, stdout or sys.stdout, stderr)
    except KeyboardInterrupt:  # Ctrl-C: a line, not a traceback; 130 as a shell gives
        stderr.write("verify: interrupted\n")
        return 130


def _main(argv: list[str], stdout: TextIO, stderr: TextIO) -> int:
    if argv[:1] == ["batch"]:  # verify batch IN -o OUT: many derivations, a line of results each
        from . import batch

        return batch.main(argv[1:], stdout, stderr)
    if argv[:1] == ["serve"]:  # verify serve [--host H] [--port P]: the local web app
        from . import serve

        return serve.main(argv[1:], stderr)
    try:
        args = _parser(stderr).parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if args.version:
        stdout.write(f"verify {__version__}\n")
        return 0
    if args.timeout <= 0:
        stderr.write("verify: error: --timeout must be a positive number of seconds\n")
        return 2
    if args.jobs is not None and args.jobs < 1:
        stderr.write("verify: error: --jobs must be 1 or more\n")
        return 2
    if args.emit_smt2 is not None:
        try:
            args.emit_smt2.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            stderr.write(f"verify: error: cannot create {args.emit_smt2}: {exc.strerror}\n")
            return 2
    if args.second_opinion:
        try:
            engines.get(args.second_opinion)
        except ImportError:
            stderr.write(f"verify: error: --second-opinion {args.second_opinion} needs the {args.second_opinion} "
                         f"package; install it with: pip install {args.second_opinion}\n")
            return 2
    derivations, errors, notes = [], [], []
    macros = {}
    if args.macros is not None:
        try:
            macros = _macros(args.macros)
        except InputError as exc:
            errors.append(exc)
    if (args.define or args.assume or args.indices) and not args.expr:
        stderr.write("verify: error: --define, --assume and --indices apply to -e chains; give one with -e\n")
        return 2
    if not errors:  # a chain is not checked without the macros it was given
        derivations, errors = _chains(args, macros)
    paths = [Path(p) for p in args.paths] or ([] if args.expr else [Path(DEFAULT_PATH)])
    for path in paths:
        try:
            exists = path.exists()
        except OSError as exc:  # a name too long for the file system, say
            stderr.write(f"verify: error: cannot look for {path}: {exc.strerror or exc}\n")
            return 2
        if not exists:
            stderr.write(f"verify: error: {path} does not exist\n")
            return 2
    store = _cache(args, stderr)
    loaded = frontends.load_paths(paths, macros, tuple(args.exclude), jobs=args.jobs, cache=store)
    derivations += loaded.derivations
    errors += loaded.errors
    notes += loaded.notes
    empty = _empty(paths, loaded, tuple(args.exclude))
    for path in empty:
        stderr.write(f"verify: {'error' if args.strict else 'warning'}: {path} holds nothing to check (no .toml "
                     f"proof file with a [[derivation]], and no .md or .tex document with a chain in display math)\n")
    if empty and args.strict:
        return 2
    reports = [(fmt or "text", path) for fmt, path in args.reports or [["text", None]]]
    if sum(path is None for _, path in reports) > 1:
        stderr.write("verify: error: only one report can go to the standard output; give -o FILE after the others\n")
        return 2
    written = [path.resolve() for _, path in reports if path is not None and (path.is_file() or not path.exists())]
    if len(set(written)) < len(written):
        twice = next(p for p in written if written.count(p) > 1)
        stderr.write(f"verify: error: two reports would go to {twice}, and the second would overwrite the first; "
                     "give each its own -o FILE\n")
        return 2
    for _, path in reports:  # said before the run, not after minutes of checking
        folder = (path.parent if path is not None else None) or Path(".")
        if path is not None and not (folder.is_dir() and os.access(folder, os.W_OK)):
            stderr.write(f"verify: error: cannot write {path}: {folder} is not a folder this user can write to\n")
            return 2
    try:
        outs = [(fmt, stdout if path is None else path.open("w", encoding="utf-8")) for fmt, path in reports]
    except OSError as exc:
        stderr.write(f"verify: error: cannot write {exc.filename}: {exc.strerror or exc}\n")
        return 2
    # a bar on a terminal, unless a program reads the standard output
    bar = progress.Bar(stderr) if progress.terminal(stderr) and not any(
        fmt in ("json", "jsonl") and out is stdout for fmt, out in outs) else None
    stream = _Stream(outs, derivations, args, bar)
    try:
        stream.start(errors, notes)
        results = runner.check(derivations, timeout=args.timeout, jobs=args.jobs, explaining=args.explain,
                               plotting=any(f == "html" for f, _ in reports), emit_smt2=args.emit_smt2,
                               second_opinion=args.second_opinion, done=stream.step, meter=bar, cache=store)
        if bar:
            bar.close()
        for fmt, out in outs:
            stream.end(fmt, out, results, errors, notes)
            out.flush()
    except BrokenPipeError:  # verify ... | head: the reader has seen enough; end quietly, as a SIGPIPE would
        try:  # what is still buffered would fail again at exit (the Python docs' recipe for SIGPIPE)
            os.dup2(os.open(os.devnull, os.O_WRONLY), stdout.fileno())
        except (OSError, ValueError, io.UnsupportedOperation):
            pass
        return 128 + signal.SIGPIPE
    finally:
        if bar:
            bar.close()
        for _, out in outs:
            if out is not stdout:
                out.close()
    if errors:
        return 2
    return 1 if any(r.unexpected for r in results) else 0


def _cache(args: argparse.Namespace, stderr: TextIO) -> cache.Cache | None:
    """The cache of verdicts, unless turned off; with --emit-smt2 every obligation is decided again, to be
    written. A folder that cannot hold it costs only time: the run goes on without it."""
    if args.no_cache or os.environ.get("VERIFY_NO_CACHE") or args.emit_smt2 is not None:
        return None
    folder = args.cache_dir or Path(cache.FOLDER)
    try:
        store = cache.Cache(folder, args.timeout, args.second_opinion)
        store.prepare()
    except (OSError, RuntimeError, sqlite3.Error) as exc:  # RuntimeError: no home folder for the signing key
        stderr.write(f"verify: warning: cannot use {folder} for the cache ({getattr(exc, 'strerror', None) or exc}); every step is "
                     f"decided again\n")
        return None
    return store


class _Stream:
    """The reports written as the results come, in input order: text one derivation at a time, once all
    its steps are in; JSON lines one step at a time. The others are written at the end."""

    def __init__(self, outs: list[tuple[str, TextIO]], derivations: list, args: argparse.Namespace,
                 bar: progress.Bar | None):
        self.outs, self.args, self.bar = outs, args, bar
        self.colour = {id(out): report.use_colour(out, dict(os.environ)) for _, out in outs}
        self.sizes = {(d.file, d.name): len(d.lines) - 1 for d in derivations}
        self.pending: list[StepResult] = []

    def _write(self, out: TextIO, write: Callable[[TextIO], None]) -> None:
        with self.bar.paused() if self.bar and progress.terminal(out) else contextlib.nullcontext():
            write(out)
            out.flush()

    def start(self, errors: list[InputError], notes: list) -> None:
        for fmt, out in self.outs:
            if fmt == "jsonl":
                self._write(out, lambda o: o.writelines(json.dumps(x) + "\n" for x in report.jsonl_start(errors, notes)))

    def step(self, r: StepResult) -> None:
        for fmt, out in self.outs:
            if fmt == "jsonl":
                self._write(out, lambda o: o.write(json.dumps(report.jsonl_step(r)) + "\n"))
        self.pending.append(r)
        if len(self.pending) == self.sizes[r.file, r.derivation]:
            steps, self.pending = self.pending, []
            for fmt, out in self.outs:
                if fmt == "text":
                    self._write(out, lambda o: report.write_derivation(
                        steps, o, self.args.show_reading, self.colour[id(o)], self.args.quiet))

    def end(self, fmt: str, out: TextIO, results: list[StepResult], errors: list[InputError], notes: list) -> None:
        args = self.args
        if fmt == "text":
            report.write_end(results, errors, notes, out, self.colour[id(out)], args.quiet)
        elif fmt == "jsonl":
            out.write(json.dumps(report.jsonl_end(results, errors)) + "\n")
        elif fmt == "json":
            report.write_json(results, errors, notes, out)
        elif fmt == "html":
            from . import html

            html.write_html(results, errors, notes, out)
        else:
            from . import ci_formats

            getattr(ci_formats, f"write_{fmt}")(results, errors, notes, out)


def _empty(paths: list[Path], loaded: frontends.Loaded, exclude: tuple[str, ...]) -> list[Path]:
    """The paths that gave neither a derivation nor an error: a pass there would check nothing."""
    places = {d.file for d in loaded.derivations} | {e.location.file for e in loaded.errors}
    excluded = folders.Excluded(exclude)
    return [p for p in paths if not excluded(p, folder=p.is_dir()) and not places & {str(f) for f in frontends.discover([p], exclude)} and str(p) not in places]


def _chains(args: argparse.Namespace, macros: dict) -> tuple[list, list[InputError]]:
    """The -e chains with --define and --assume, read once for each instance of --indices."""
    errors: list[InputError] = []
    found = [None]
    if args.indices is not None:
        try:
            found = indices.instances(indices.parse(args.indices, Location("<--indices>", 1, 1)),
                                      Location("<--indices>", 1, 1))
        except InputError as exc:
            return [], [exc]
    derivations = []
    for instance in found:
        context = chain.Context(scope=PRELUDE.with_indices(instance).defined("with --define '{name}(x) = ...'"),
                                macros=macros)
        failed = False
        for kind, texts in (("define", args.define), ("assume", args.assume)):
            for i, text in enumerate(texts, start=1):
                try:
                    getattr(context, kind)(text, i)
                except InputError as exc:
                    errors.append(exc)
                    failed = True
        if failed:  # a chain without the definitions or hypotheses it was given is not checked
            continue
        for i, text in enumerate(args.expr, start=1):
            try:
                d = chain.load(text, i, context)
                derivations.append(replace(d, instance=instance.values) if instance is not None else d)
            except InputError as exc:
                errors.append(exc)
    kept, _ = indices.complete(derivations, {d.name: len(found) for d in derivations})
    return sorted(kept, key=lambda d: d.where.line), once(errors)


def _macros(path: Path) -> dict:
    """Macros from a file of \\newcommand lines (a .tex preamble, a .sty), or a TOML file's [latex.macros]."""
    from .frontends import latex, proof_file
    from .frontends.source import offset_location, read_text

    label = str(path)
    try:
        exists = path.exists()
    except OSError as exc:
        raise InputError(Location(label), f"cannot look for the macros file ({exc.strerror or exc})") from None
    if not exists:
        raise InputError(Location(label), "the macros file does not exist")
    text = read_text(path, label)
    if path.suffix.lower() == ".toml":
        import tomllib

        try:
            table = tomllib.loads(text).get("latex", {})
        except tomllib.TOMLDecodeError as exc:
            raise InputError(Location(label), f"this is not valid TOML: {exc}") from None
        errors: list[InputError] = []
        found = proof_file._macros(table, proof_file._Strings(label, text), errors)
        if errors:
            raise errors[0]
        return found
    out = {}
    for _, _, item in latex.scan(text, lambda i: offset_location(label, text, i)):
        if isinstance(item, InputError):
            raise item
        out[item.name] = item
    return out


if __name__ == "__main__":
    raise SystemExit(main())
