"""`verify serve`: a local web app to paste a derivation into.

- GET /             a page with a text area; results appear step by step, rendered as in --format html.
- POST /api/check   JSON in, the JSON report of --format json out.
- POST /api/stream  the same input; one JSON object per line as each step is decided (the page uses it).

Starlette, run by uvicorn: a small, well-kept ASGI toolkit with streaming responses, and nothing we do
not use (FastAPI would add pydantic for a body of five keys). Every request is read by the same front
ends as the command line, with a size limit and a cap on steps, and checked by the same runner: each step
in a forked worker with its time and memory limits. Requests share a bounded pool of checking threads,
one worker process each. Nothing a request says is ever opened as a file.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import socket
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Callable

from . import api, frontends, html, report, runner
from .derivation import Derivation
from .errors import InputError, Location, Note
from .frontends import chain
from .frontends.source import spot
from .verdict import StepResult

MAX_BYTES = 200 * 1024  # of a request's body
DRAIN_BYTES = 16 * MAX_BYTES  # of a too-large body read and dropped, so that its sender can read the 413
MAX_STEPS = 200  # per request
MAX_TIMEOUT = 60.0  # seconds per step that a request may ask for
MAX_WAITING = 64  # requests queued for the pool before the server says it is busy
KEYS = ("lines", "latex", "text", "name", "definitions", "assume", "timeout")
REQUEST = "<request>"
_DOCUMENT = ("$$", "\\[", "\\begin{", "```", "<!--")


class BadRequest(Exception):
    def __init__(self, status: int, message: str, errors: list[InputError] | None = None):
        super().__init__(message)
        self.status = status
        self.errors = errors or [InputError(Location(REQUEST), message)]


@dataclass(frozen=True)
class Checking:
    """A request read: what to check, what could not be read, and the time limit."""

    derivations: tuple[Derivation, ...]
    errors: tuple[InputError, ...] = ()
    notes: tuple[Note, ...] = ()
    timeout: float = runner.DEFAULT_TIMEOUT
    steps: int = field(default=0)


def _strings(data: dict, key: str) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BadRequest(400, f"'{key}' must be a list of strings")
    return value


def _definitions(data: dict) -> dict[str, str] | list[str]:
    """As the API takes them (api.context): {"f(x)": "x^2"} or ["f(x) = x^2"]."""
    value = data.get("definitions", [])
    if isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        return value
    return _strings(data, "definitions")


def read(body: bytes) -> Checking:
    """The request's derivations, or BadRequest: 400 for a body that is not what the API takes, 413 for
    one too large, 422 for input that cannot be read (with located errors) or has too many steps."""
    if len(body) > MAX_BYTES:
        raise BadRequest(413, f"the request is {len(body)} bytes; the limit is {MAX_BYTES}")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadRequest(400, f"the body is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise BadRequest(400, 'the body must be a JSON object, such as {"lines": ["x + x", "2*x"]}')
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise BadRequest(400, f"unknown key {unknown[0]!r}; the keys are {', '.join(KEYS)}")
    given = [k for k in ("lines", "latex", "text") if k in data]
    if len(given) != 1:
        raise BadRequest(400, "give one of 'lines' (plain syntax), 'latex' (a list of lines) or 'text'")
    timeout = data.get("timeout", runner.DEFAULT_TIMEOUT)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout <= MAX_TIMEOUT:
        raise BadRequest(400, f"'timeout' must be a number of seconds above 0 and at most {MAX_TIMEOUT:g}")
    definitions, assume = _definitions(data), _strings(data, "assume")
    notes: list[Note] = []
    if given == ["text"]:
        text, name = data["text"], data.get("name", "")
        if not isinstance(text, str) or not isinstance(name, str):
            raise BadRequest(400, "'text' and 'name' must be strings")
        derivations, errors, notes = _text(text, name, definitions, assume)
    else:
        derivations, errors = api.derivations(**{given[0]: _strings(data, given[0])}, definitions=definitions,
                                              assume=assume)
    if errors and not derivations:
        raise BadRequest(422, errors[0].message, errors)
    steps = sum(len(d.lines) - 1 for d in derivations)
    if steps > MAX_STEPS:
        raise BadRequest(422, f"this input has {steps} steps to check; the limit per request is {MAX_STEPS}")
    return Checking(tuple(derivations), tuple(errors), tuple(notes), float(timeout), steps)


def _text(text: str, name: str, definitions: dict[str, str] | list[str], assume: list[str]):
    """Pasted text or a dropped file: a proof file or a document by its name's ending or its look;
    otherwise one chain ('A = B', or LaTeX rows with &= and \\\\), or one line per row."""
    suffix = PurePosixPath(name).suffix.lower()
    label = PurePosixPath(name).name if suffix in frontends.READERS else "<input>"
    if suffix in frontends.READERS or any(m in text for m in _DOCUMENT):
        if definitions or assume:
            raise BadRequest(422, "in a document, write definitions and assumptions as comments, such as "
                                  "<!-- verify: assume x > 0 -->, not in the boxes")
        loaded = frontends.load_text(text, label, suffix if suffix in frontends.READERS else ".md")
        return list(loaded.derivations), list(loaded.errors), list(loaded.notes)
    context, errors = api.context(definitions, assume)
    if errors:
        return [], errors, []
    rows = [(k, t) for k, t in enumerate(text.split("\n"), 1) if t.strip()]
    try:
        if len(rows) == 1 or any(c in text for c in "=&") or "\\\\" in text:
            return [chain.load(text, context=context, where=spot(label, text))], [], []
        return [chain.load_lines([(Location(label, k, 1), t) for k, t in rows], context, "input", Location(label))], [], []
    except InputError as exc:
        return [], [exc], []


def check(checking: Checking, jobs: int = 1, done: Callable[[StepResult], None] | None = None) -> list[StepResult]:
    """Check what a request gave; `done` is given each step's result as soon as it is in (in order)."""
    return runner.check(list(checking.derivations), timeout=checking.timeout, jobs=jobs, plotting=True, done=done)


def _json_report(results: list[StepResult], checking: Checking) -> dict:
    return report.as_json(results, list(checking.errors), list(checking.notes))


class _Gone(Exception):
    """The client left; the check stops at its next step."""


def app(workers: int | None = None):
    """The ASGI application."""
    from starlette.applications import Starlette
    from starlette.requests import ClientDisconnect, Request
    from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
    from starlette.routing import Route

    pool = ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1, thread_name_prefix="verify-check")
    waiting = threading.BoundedSemaphore(MAX_WAITING)

    async def body(request: Request) -> bytes:
        # A 413 sent while the client is still sending is lost to it (a broken pipe), so a body up to
        # DRAIN_BYTES is read to its end and dropped first; a larger one is refused at once.
        declared = request.headers.get("content-length", "")
        too_large = declared.isdigit() and int(declared) > MAX_BYTES
        if too_large and int(declared) > DRAIN_BYTES:
            raise BadRequest(413, f"the request is {declared} bytes; the limit is {MAX_BYTES}")
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_BYTES:
                too_large, chunks = True, []
                if size > DRAIN_BYTES:
                    break
            elif not too_large:
                chunks.append(chunk)
        if too_large:
            raise BadRequest(413, f"the request is {declared if declared.isdigit() else 'over ' + str(MAX_BYTES)} "
                                  f"bytes; the limit is {MAX_BYTES}")
        return b"".join(chunks)

    def refused(exc: BadRequest) -> Response:
        return JSONResponse(report.as_json([], exc.errors, []), status_code=exc.status)

    async def in_pool(fn, *args):
        if not waiting.acquire(blocking=False):
            raise BadRequest(503, "the server is busy; try again in a moment")
        try:
            return await asyncio.get_running_loop().run_in_executor(pool, fn, *args)
        finally:
            waiting.release()

    async def page(request: Request) -> Response:
        nonce = secrets.token_urlsafe(16)
        text = html.asset("app.html").replace("{{css}}", html.asset("report.css")).replace(
            "{{js}}", html.asset("app.js")).replace("{{nonce}}", nonce)
        return HTMLResponse(text, headers={"Content-Security-Policy": (
            f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; connect-src 'self'; "
            "img-src data:; base-uri 'none'; form-action 'none'")})

    async def api_check(request: Request) -> Response:
        try:
            checking = await in_pool(read, await body(request))
            results = await in_pool(check, checking)
        except BadRequest as exc:
            return refused(exc)
        except ClientDisconnect:
            return Response(status_code=400)
        return JSONResponse(_json_report(results, checking),
                            status_code=422 if checking.errors else 200)

    async def api_stream(request: Request) -> Response:
        try:
            checking = await in_pool(read, await body(request))
        except BadRequest as exc:
            return refused(exc)
        except ClientDisconnect:
            return Response(status_code=400)
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue = asyncio.Queue()
        gone = threading.Event()

        def emit(event: dict) -> None:
            if gone.is_set():
                raise _Gone
            loop.call_soon_threadsafe(queue.put_nowait, event)

        def job() -> None:
            try:
                emit({"event": "start", "steps": checking.steps,
                      "errors": html.summary_html([], list(checking.errors), list(checking.notes))
                      if checking.errors or checking.notes else ""})
                seen: set[tuple[str, str]] = set()

                def done(r: StepResult) -> None:
                    key = (r.file, r.derivation)
                    shown = {"html": html.step_html(r)} if key in seen else {"section": html.derivation_html([r])}
                    seen.add(key)
                    emit({"event": "step", "derivation": r.derivation, **report.step_json(r), **shown})

                results = check(checking, done=done)
                emit({"event": "done", "summary": html.summary_html(results, list(checking.errors),
                                                                     list(checking.notes)),
                      "report": _json_report(results, checking)})
            except _Gone:
                pass
            except Exception as exc:  # a bug: said to the page, never a hung stream
                loop.call_soon_threadsafe(queue.put_nowait, {"event": "error", "message": f"{type(exc).__name__}: {exc}"})

        if not waiting.acquire(blocking=False):
            return refused(BadRequest(503, "the server is busy; try again in a moment"))
        future = loop.run_in_executor(pool, job)
        future.add_done_callback(lambda _: waiting.release())

        async def lines():
            try:
                while True:
                    event = await queue.get()
                    yield json.dumps(event) + "\n"
                    if event["event"] in ("done", "error"):
                        return
            finally:
                gone.set()

        return StreamingResponse(lines(), media_type="application/x-ndjson")

    async def health(request: Request) -> Response:
        return JSONResponse({"ok": True})

    @contextlib.asynccontextmanager
    async def lifespan(_):
        yield
        pool.shutdown(wait=False, cancel_futures=True)

    return Starlette(routes=[Route("/", page), Route("/api/check", api_check, methods=["POST"]),
                             Route("/api/stream", api_stream, methods=["POST"]), Route("/health", health)],
                     lifespan=lifespan)


def main(argv: list[str], stderr=None) -> int:
    stderr = stderr or sys.stderr
    p = argparse.ArgumentParser(prog="verify serve", description="A local web page to paste derivations into, "
                                "and a JSON API (POST /api/check).")
    p.add_argument("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8000, help="the port (default 8000)")
    p.add_argument("--workers", type=int, default=None,
                   help="requests checked at once, one worker process each (default: the number of cores)")
    args = p.parse_args(argv)
    if args.workers is not None and args.workers < 1:
        stderr.write("verify: error: --workers must be 1 or more\n")
        return 2
    if not 0 < args.port < 65536:
        stderr.write(f"verify: error: --port must be from 1 to 65535, not {args.port}\n")
        return 2
    try:  # a clear line now, rather than uvicorn's exit after its own message
        with socket.create_server((args.host, args.port)):
            pass
    except OSError as exc:
        stderr.write(f"verify: error: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}; "
                     "give another --port\n")
        return 2
    try:
        import uvicorn
    except ImportError:
        stderr.write("verify: error: verify serve needs starlette and uvicorn; install them with: "
                     "pip install 'verify[serve]'\n")
        return 2
    host = f"[{args.host}]" if ":" in args.host else args.host
    stderr.write(f"verify serve: open http://{host}:{args.port}/ in a browser (Ctrl-C stops it)\n")
    stderr.flush()
    uvicorn.run(app(args.workers), host=args.host, port=args.port, log_level="warning")
    return 0
