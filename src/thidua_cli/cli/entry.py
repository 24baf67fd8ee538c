"""The ``thidua`` console script: the CLI of cli/app.py, with one head start.

``thidua validate`` on one large workbook reads it column by column with fastexcel in a thread
(io/columnar.py). Importing the CLI (typer, rich) and the command takes a fifth of a second;
here, before any of it, the command line is looked at and, when it is ``validate`` on one
.xlsx file without ``--annotate`` or ``--expect``, that parse begins (io/prefetch.py: it imports
nothing heavy, and its work is used only for the very bytes the command reads later). Anything
else, or anything unexpected, simply runs the CLI.
"""

from __future__ import annotations

import sys

# validate's options that take a value (skipped with it), and those that rule the head start out.
_WITH_VALUE = frozenset({"--rules", "-r", "--period", "-p"})
_NOT_COLUMNAR = frozenset({"--annotate", "-a", "--expect", "-e", "--help", "-h"})


def main() -> None:
    try:
        path = validate_target(sys.argv[1:])
        if path is not None:
            from thidua_cli.io import prefetch

            prefetch.start(path)
    except Exception:  # a head start only: the command itself reports everything
        pass
    from thidua_cli.cli.app import main as run

    run()


def validate_target(args: list[str]) -> str | None:
    """The one file of ``thidua validate FILE [options]`` that may be read column by column."""
    if not args or args[0] != "validate":
        return None
    positional: list[str] = []
    skip = False
    for arg in args[1:]:
        if skip:
            skip = False
        elif arg in _WITH_VALUE:
            skip = True
        elif arg in _NOT_COLUMNAR or arg.startswith(("--expect=", "--annotate=")):
            return None
        elif arg.startswith("--"):
            continue  # --json, --force, --debug, --rules=…, --period=…
        elif arg.startswith("-") and len(arg) > 1:
            if "a" in arg[1:] or "e" in arg[1:] or "h" in arg[1:]:
                return None  # short options together (-af): maybe --annotate or --expect
            if arg[1:2] in ("r", "p") and len(arg) == 2:
                skip = True
        else:
            positional.append(arg)
    return positional[0] if len(positional) == 1 else None
