"""The command line of the running invocation, kept for the "Nhật ký" (log) of outputs.

``cli/app.main`` records it before dispatching; commands read it here. It lives in its own
module so that the commands never import ``cli/app`` (which imports them).
"""

from __future__ import annotations

import shlex

_ARGV: list[str] = []


def record(argv: list[str]) -> None:
    """Remember the arguments of this run (without the program name)."""
    _ARGV[:] = argv


def argv() -> list[str]:
    """The arguments of the running command."""
    return list(_ARGV)


def command_line() -> str:
    """The running command as a shell would take it back, starting with ``thidua``."""
    return shlex.join(["thidua", *_ARGV])
