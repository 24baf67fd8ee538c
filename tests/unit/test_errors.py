"""Exit codes are an interface: one test per member, and each is documented in the README."""

from __future__ import annotations

from pathlib import Path

import pytest

from thidua_cli import errors
from thidua_cli.errors import ExitCode

README = Path(__file__).resolve().parents[2] / "README.md"

EXPECTED = {
    ExitCode.OK: 0,
    ExitCode.INVALID_DATA: 1,
    ExitCode.USAGE: 2,
    ExitCode.REGULATION: 3,
    ExitCode.INPUT: 4,
    ExitCode.TEMPLATE: 5,
    ExitCode.OUTPUT_EXISTS: 6,
    ExitCode.LEDGER: 7,
    ExitCode.INTERNAL: 70,
}


@pytest.mark.parametrize("member", list(ExitCode))
def test_exit_code_values_are_fixed(member: ExitCode) -> None:
    assert int(member) == EXPECTED[member]


@pytest.mark.parametrize(
    ("cls", "code"),
    [
        (errors.UsageError, 2),
        (errors.PeriodRequiredError, 2),
        (errors.RegulationError, 3),
        (errors.InputFileError, 4),
        (errors.InvalidDataError, 1),
        (errors.TemplateError, 5),
        (errors.OutputExistsError, 6),
        (errors.LedgerError, 7),
    ],
)
def test_each_failure_carries_its_exit_code(cls: type[errors.ThiduaError], code: int) -> None:
    exc = cls("thông báo")
    assert int(exc.exit_code) == code
    assert str(exc) == "thông báo"


@pytest.mark.parametrize("member", [m for m in ExitCode if m is not ExitCode.OK])
def test_every_exit_code_is_documented(member: ExitCode) -> None:
    text = README.read_text(encoding="utf-8")
    assert f"| {int(member)} |" in text, f"exit code {int(member)} missing from the README table"
