"""A progress bar on a terminal's standard error (rich), shown once a run has taken about a second."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator, TextIO

DELAY = 1.0  # seconds: a shorter run shows no bar


def terminal(stream: TextIO) -> bool:
    """Whether `stream` is a terminal (a closed or odd stream is not)."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Bar:
    """Steps checked of those started so far, with the time taken and left. `add` and `advance` are
    called from the runner; the bar appears after DELAY seconds, from a timer thread, and is erased
    at `close`."""

    def __init__(self, stream: TextIO, delay: float = DELAY, unit: str = "steps"):
        self._stream = stream
        self._unit = unit
        self._lock = threading.Lock()
        self._total = 0
        self._done = 0
        self._progress = None  # rich's Progress, once shown
        self._closed = False
        self._timer = threading.Timer(delay, self._show)
        self._timer.daemon = True
        self._timer.start()

    def _show(self) -> None:
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                                   TimeRemainingColumn)

        with self._lock:
            if self._closed:
                return
            self._progress = Progress(TextColumn("checking"), BarColumn(), MofNCompleteColumn(), TextColumn(self._unit),
                                      TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn("left"),
                                      TimeRemainingColumn(), console=Console(file=self._stream), transient=True)
            self._task = self._progress.add_task("steps", total=self._total, completed=self._done, rate="")
            self._progress.start()

    def add(self, steps: int) -> None:
        with self._lock:
            self._total += steps
            if self._progress is not None:
                self._progress.update(self._task, total=self._total)

    def advance(self) -> None:
        with self._lock:
            self._done += 1
            if self._progress is not None:
                speed = self._progress.tasks[0].speed
                self._progress.update(self._task, completed=self._done,
                                      rate=f"{speed:.1f} {self._unit}/s" if speed else "")

    @contextmanager
    def paused(self) -> Iterator[None]:
        """The bar erased while the caller writes to the terminal, then drawn again below."""
        with self._lock:
            if self._progress is not None:
                self._progress.stop()
            try:
                yield
            finally:
                if self._progress is not None and not self._closed:
                    self._progress.start()

    def close(self) -> None:
        self._timer.cancel()
        with self._lock:
            self._closed = True
            if self._progress is not None:
                self._progress.stop()
