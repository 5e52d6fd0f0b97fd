"""A progress line on standard error for the import and export commands: rows, rate and
(when the total is known) the share done and the time left. No dependency: one line rewritten
in place with a carriage return on a terminal, a line every ``every`` seconds otherwise (logs)."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(
        self,
        *,
        total: int | None = None,
        label: str = "rows",
        stream: TextIO | None = None,
        every: float = 0.5,
    ) -> None:
        self.total, self.label = total, label
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.every = every if self.tty else max(every, 10.0)
        self.started = self.shown = time.monotonic()
        self.done = 0

    def update(self, done: int, *, force: bool = False) -> None:
        self.done = done
        now = time.monotonic()
        if not force and now - self.shown < self.every:
            return
        self.shown = now
        elapsed = max(now - self.started, 1e-9)
        rate = done / elapsed
        text = f"{done:,} {self.label}, {rate:,.0f}/s"
        if self.total:
            share = min(done / self.total, 1.0)
            left = (self.total - done) / rate if rate else 0
            bar = "#" * int(share * 30)
            text = f"[{bar:<30}] {share:6.1%} {text}, {left:,.0f} s left"
        self.stream.write(("\r" + text + "\x1b[K") if self.tty else text + "\n")
        self.stream.flush()

    def close(self) -> None:
        self.update(self.done, force=True)
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


def count_lines(path, *, block: int = 1 << 20) -> int:
    """Lines of a file, counted by blocks (a few seconds for a gigabyte): the bar's total."""
    total = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(block):
            total += chunk.count(b"\n")
    return total
