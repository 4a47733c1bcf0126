"""Progress of a bulk run: a rich bar (answers done, rate, ETA) on a terminal, plain log lines on
stderr otherwise (CI logs, ``nohup``, files), at most one every ``interval`` seconds."""

from __future__ import annotations

import time
from datetime import timedelta

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn,
                           TimeElapsedColumn, TimeRemainingColumn)
from rich.text import Text


class _Rate(ProgressColumn):
    def render(self, task: Task) -> Text:
        return Text(f"{task.speed:,.1f} answers/s" if task.speed else "… answers/s", style="cyan")


class BulkProgress:
    def __init__(self, total: int, console: Console | None = None, interval: float = 5.0) -> None:
        self.console = console or Console(stderr=True)
        self.total, self.done, self.interval = total, 0, interval
        self._bar: Progress | None = None
        self._start = self._last_log = 0.0

    def __enter__(self) -> BulkProgress:
        self._start = self._last_log = time.monotonic()
        if self.console.is_terminal:
            self._bar = Progress(TextColumn("[bold]scoring"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("answers"), _Rate(), TextColumn("ETA"), TimeRemainingColumn(),
                                 TimeElapsedColumn(), console=self.console)
            self._bar.start()
            self._task = self._bar.add_task("scoring", total=self.total)
        return self

    def advance(self, n: int) -> None:
        self.done += n
        if self._bar is not None:
            self._bar.advance(self._task, n)
        elif time.monotonic() - self._last_log >= self.interval:
            self._log()

    def log(self, message: str) -> None:
        if self._bar is not None:
            self._bar.console.print(message, highlight=False)
        else:
            self.console.print(f"starlint bulk: {message}", highlight=False, soft_wrap=True)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()
        elif self.done:
            self._log()

    def _log(self) -> None:
        self._last_log = now = time.monotonic()
        rate = self.done / max(now - self._start, 1e-9)
        eta = timedelta(seconds=round((self.total - self.done) / rate)) if rate else "?"
        pct = 100 * self.done / self.total if self.total else 100.0
        self.log(f"{self.done:,}/{self.total:,} answers ({pct:.0f}%) · {rate:,.1f} answers/s · ETA {eta}")
