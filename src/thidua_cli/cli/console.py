"""Rich consoles: results to stdout, messages, progress and warnings to stderr.

Rich honours NO_COLOR and a non-terminal stdout by itself. Consoles are created per call so that
tests redirecting sys.stdout/sys.stderr see the output.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from rich.console import Console


def _width() -> int | None:
    cols = os.environ.get("COLUMNS")
    return int(cols) if cols and cols.isdigit() else None


def out() -> Console:
    return Console(width=_width(), highlight=False, soft_wrap=False)


def err() -> Console:
    return Console(stderr=True, width=_width(), highlight=False, soft_wrap=False)


def progress_printer(console: Console, *, quiet: bool = False) -> Callable[[str], None]:
    """A progress callback for the library: dim lines on stderr, only on a terminal (never in
    pipes, logs or --json runs)."""
    from rich.text import Text

    enabled = console.is_terminal and not quiet

    def progress(message: str) -> None:
        if enabled:
            console.print(Text(message, style="dim"))

    return progress
