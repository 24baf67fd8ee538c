"""issue 13: every command's help and the framework's usage errors speak Vietnamese."""

from __future__ import annotations

import re
from typing import Any

import pytest

COMMANDS = [[], ["init"], ["validate"], ["score"], ["awards"], ["ledger"], ["ledger", "record"],
            ["ledger", "import"], ["ledger", "show"], ["ledger", "export"], ["render"],
            ["templates"], ["templates", "export"], ["templates", "check"], ["templates", "list"]]
ENGLISH = ["Usage:", "Options:", "Arguments:", "Commands:", "Show this message", "[required]",
           "[default:", "COMMAND [ARGS]", "[OPTIONS]", "Error:", "Try '"]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "thidua")
def test_help_has_no_english_framework_string(run_cli: Any, command: list[str]) -> None:
    result = run_cli(*command, "--help")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith("Cách dùng: thidua"), text
    for english in ENGLISH:
        assert english not in text, (english, text)
    # Types in angle brackets (<path>, <list[Path]>, <str>) were Typer's metavariables.
    assert not re.search(r"<(path|str|int|list\[|float|bool)", text), text
    assert "GIÁ_TRỊ " not in text.replace("KHOÁ=GIÁ_TRỊ", ""), text  # every value is named


@pytest.mark.parametrize("args, said", [
    (["score", "x.xlsx", "--foce"], "Không có tuỳ chọn --foce. Có phải: --force?"),
    (["score", "--period"], "Tuỳ chọn --period cần một giá trị"),
    (["ledger", "record", "x.json"], "Thiếu tuỳ chọn --decision."),
    (["khong-co"], "Không có lệnh này"),
])
def test_usage_errors_in_vietnamese(run_cli: Any, args: list[str], said: str) -> None:
    result = run_cli(*args)
    assert result.exit_code == 2
    assert said in result.stderr, result.stderr
    for english in ENGLISH:
        assert english not in result.stderr, (english, result.stderr)
