"""A progress bar on stderr for the command line's long work (a batch, a long text to ask)."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import TextIO

from assistant.batch_items import BatchRow


class ProgressBar:
    """A one-line bar on stderr, redrawn at most ten times a second, and only once the work
    has taken ``delay_s`` (a quick answer needs no bar)."""

    def __init__(self, total: int, stream: TextIO, delay_s: float = 0.0) -> None:
        self.total, self.stream, self.delay_s = total, stream, delay_s
        self.done = 0
        self.started = self.drawn = time.monotonic()
        self.shown = False

    def track(self, rows: Iterable[BatchRow]) -> Iterator[BatchRow]:
        """Hand the rows on, counting each, and end the bar's line after the last."""
        for row in rows:
            self.update(self.done + 1, self.total)
            yield row
        self.finish()

    def update(self, done: int, total: int) -> None:
        """Take the new count; draw it if the bar is due (``engine.answer`` calls this)."""
        self.done, self.total = done, total
        now = time.monotonic()
        if now - self.started < self.delay_s:
            return
        if now - self.drawn >= 0.1 or done == total or not self.shown:
            self.drawn, self.shown = now, True
            self._draw(now - self.started)

    def finish(self) -> None:
        """End the bar's line, if one was drawn, so that what follows starts on its own."""
        if self.shown:
            self.stream.write("\n")

    def _draw(self, elapsed: float) -> None:
        share = self.done / self.total if self.total else 1.0
        bar = "#" * int(share * 30)
        rate = self.done / elapsed if elapsed > 0 else 0.0
        eta = (self.total - self.done) / rate if rate else 0.0
        self.stream.write(
            f"\r[{bar:<30}] {share:4.0%}  {self.done}/{self.total}  {rate:.0f}/s  ETA {eta:.0f} s "
        )
        self.stream.flush()
