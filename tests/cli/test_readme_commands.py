"""Every command the Typer app registers, sub-commands included, is documented in the README
(as every finding code and exit code is): a command added without a word for the clerk fails."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
import typer.core
import typer.main

from thidua_cli.cli import app as cli_app

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def _command_paths() -> Iterator[tuple[str, ...]]:
    """The name path of every visible command and group, walked from the built Click group."""
    cli_app._register()
    root = typer.main.get_command(cli_app.app)

    def walk(command: object, prefix: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
        # Typer 0.29 carries its own Click: a group is a TyperGroup, with ``commands``.
        if not isinstance(command, typer.core.TyperGroup):
            return
        for name, sub in command.commands.items():
            if sub.hidden:
                continue
            yield (*prefix, name)
            yield from walk(sub, (*prefix, name))

    yield from walk(root, ())


COMMANDS = sorted(_command_paths())


def test_the_walk_finds_the_commands_and_their_subcommands() -> None:
    # A guard on the walk itself: an empty list would make the test below pass vacuously.
    assert ("score",) in COMMANDS
    assert ("templates", "check") in COMMANDS


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_is_documented_in_the_readme(path: tuple[str, ...]) -> None:
    # "thidua templates check" as the clerk types it, not a prefix of a longer word.
    typed = re.escape("thidua " + " ".join(path)) + r"(?![\w-])"
    assert re.search(typed, README), f"`thidua {' '.join(path)}` is missing from the README"
