"""Rich consoles: results to stdout, messages, progress and warnings to stderr.

Rich honours NO_COLOR and a non-terminal stdout by itself. Consoles are created per call so that
tests redirecting sys.stdout/sys.stderr see the output.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console


def _width() -> int | None:
    cols = os.environ.get("COLUMNS")
    return int(cols) if cols and cols.isdigit() else None


def out() -> Console:
    return Console(width=_width(), highlight=False, soft_wrap=False)


def err() -> Console:
    return Console(stderr=True, width=_width(), highlight=False, soft_wrap=False)


@contextmanager
def progress_bar(console: Console, *, quiet: bool = False) -> Iterator[Callable[[str], None]]:
    """A live progress line on stderr for long work (reading, scoring, writing): a spinner, the
    current step and the time spent, replaced by each step and gone when the work ends. Only
    on a terminal and without ``quiet`` (--quiet, --json): pipes and logs get nothing
    (issue 13: 100k people showed three still lines for tens of seconds)."""
    if not console.is_terminal or quiet:
        yield lambda message: None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                   console=console, transient=True)
    task = bar.add_task("Đang bắt đầu", total=None)

    def step(message: str) -> None:
        bar.update(task, description=message)

    with bar:
        yield step
