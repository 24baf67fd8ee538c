"""The output check the commands make before they read anything: io/outputs.guard over a
run's outputs, with its inputs and its regulation file protected (shared by score and validate;
its own module so that neither command imports the other)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from thidua_cli.model import Regulation


def guard_outputs(outputs: Sequence[Path], inputs: Sequence[str | Path], regulation: Regulation,
                  *, force: bool, other: str = "tên khác (-o)") -> None:
    """io/outputs.guard over a run's outputs, with its inputs and its regulation file
    protected: the one check score and validate make before they read anything."""
    from thidua_cli.config.load import DEFAULT_SOURCE
    from thidua_cli.io.outputs import Protected, guard

    rules = [] if regulation.source == DEFAULT_SOURCE else [Path(regulation.source)]
    guard(outputs, Protected.of([*inputs, *rules]), force=force, other=other)
