"""Fixtures shared by every test folder. Others add fixtures here (additively).

Helpers live in ``tests/helpers.py`` (import them as ``from helpers import write_xlsx``: pytest
puts this folder on ``sys.path`` because it holds this conftest; the insert below makes that
explicit)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from helpers import CliResult, default_regulation, invoke_cli
from thidua_cli.model import Regulation


@pytest.fixture
def run_cli() -> Callable[..., CliResult]:
    """``run_cli("score", path, env={...})`` → result with .exit_code, .stdout, .stderr.

    Calls ``thidua_cli.cli.app.main(list(args))`` in-process with NO_COLOR=1 and COLUMNS=200."""
    return invoke_cli


@pytest.fixture
def regulation() -> Regulation:
    """The default regulation (``thidua_cli.regulation.default_regulation()`` when importable,
    else the same values built by hand in ``tests/helpers.py``)."""
    return default_regulation()
