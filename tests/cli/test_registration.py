"""The commands are registered once per process: a program (or a test suite) that runs the CLI
many times must not pile up copies of every command, each run slower than the last."""

from __future__ import annotations

from typing import Any


def test_commands_are_registered_once(run_cli: Any) -> None:
    from thidua_cli.cli.app import app

    run_cli("init", "--help")
    counts = (len(app.registered_commands), len(app.registered_groups))
    for _ in range(5):
        run_cli("score", "--help")
    assert (len(app.registered_commands), len(app.registered_groups)) == counts
    names = [c.name for c in app.registered_commands]
    assert len(names) == len(set(names))
