"""cli/entry.py: which command lines start the column-wise read of one workbook early."""

from __future__ import annotations

import pytest

from thidua_cli.cli.entry import validate_target


@pytest.mark.parametrize(("args", "expected"), [
    (["validate", "quy-4.xlsx"], "quy-4.xlsx"),
    (["validate", "--json", "quy-4.xlsx"], "quy-4.xlsx"),
    (["validate", "quy-4.xlsx", "--rules", "quy-che.toml", "-p", "2026-Q4"], "quy-4.xlsx"),
    (["validate", "--rules=quy-che.toml", "--period=2026-Q4", "quy-4.xlsx"], "quy-4.xlsx"),
    (["validate", "-r", "quy-che.toml", "quy-4.xlsx", "--force", "--debug"], "quy-4.xlsx"),
    (["validate", "nop-ve/"], "nop-ve/"),  # prefetch.start ignores what is not .xlsx/.xlsm
])
def test_one_file(args: list[str], expected: str) -> None:
    assert validate_target(args) == expected


@pytest.mark.parametrize("args", [
    [],
    ["score", "quy-4.xlsx"],
    ["validate"],
    ["validate", "a.xlsx", "b.xlsx"],
    ["validate", "quy-4.xlsx", "--annotate"],
    ["validate", "quy-4.xlsx", "-a"],
    ["validate", "quy-4.xlsx", "-af"],
    ["validate", "quy-4.xlsx", "--expect", "khoa.xlsx"],
    ["validate", "quy-4.xlsx", "--expect=khoa.xlsx"],
    ["validate", "quy-4.xlsx", "-e", "khoa.xlsx"],
    ["validate", "--help"],
    ["validate", "-r", "quy-4.xlsx"],  # the file is the value of --rules: no table given
])
def test_no_head_start(args: list[str]) -> None:
    assert validate_target(args) is None
