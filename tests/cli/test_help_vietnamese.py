"""issue 13: every command's help and the framework's usage errors speak Vietnamese."""

from __future__ import annotations

import re
from typing import Any

import pytest


def _command_paths() -> list[list[str]]:
    """Every command and group the app registers, walked from the built Click tree, so a
    command added later (forms, collect, kpi …) is checked without being listed here."""
    import typer.core
    import typer.main

    from thidua_cli.cli import app as cli_app

    cli_app._register()
    found: list[list[str]] = [[]]

    def walk(command: object, prefix: list[str]) -> None:
        if isinstance(command, typer.core.TyperGroup):
            for name, sub in command.commands.items():
                if not sub.hidden:
                    found.append([*prefix, name])
                    walk(sub, [*prefix, name])

    walk(typer.main.get_command(cli_app.app), [])
    return found


COMMANDS = _command_paths()
ENGLISH = ["Usage:", "Options:", "Arguments:", "Commands:", "Show this message", "[required]",
           "[default:", "COMMAND [ARGS]", "[OPTIONS]", "Error:", "Try '", "Possible options",
           "No such", "Missing ", "Invalid value", "Got unexpected", "required", "default:",
           "[env var:", "TEXT", "INTEGER", "FLOAT", "PATH", "BOOLEAN", "FILE", "DIRECTORY"]


def test_the_walk_finds_every_command() -> None:
    # a guard on the walk: an empty list would let the test below pass without looking
    for path in (["score"], ["validate"], ["awards"], ["ledger", "show"], ["templates", "check"]):
        assert path in COMMANDS, COMMANDS


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
    # A file or command name is never cut at its hyphen ("kiem-" / "phieu", "de-" / "xuat.xlsx").
    assert not re.search(r"\w-\n", text), text


@pytest.mark.parametrize("args, said", [
    (["score", "x.xlsx", "--foce"], "Không có tuỳ chọn --foce. Có phải: --force?"),
    (["score", "--period"], "Tuỳ chọn --period cần một giá trị"),
    (["ledger", "record", "x.json"], "Thiếu tuỳ chọn --decision."),
    (["khong-co"], "Không có lệnh này"),
    # Click has these in English only, without a field to translate from (issue 13)
    (["ledger", "show", "BV0001", "BV0002"], "Thừa tham số: BV0002. Một tên có dấu cách"),
    (["init", "a", "b"], "Thừa tham số: b."),
    (["validate", "--json"], "Thiếu TỆP_HOẶC_THƯ_MỤC."),
])
def test_usage_errors_in_vietnamese(run_cli: Any, args: list[str], said: str) -> None:
    result = run_cli(*args)
    assert result.exit_code == 2
    assert said in result.stderr, result.stderr
    for english in ENGLISH:
        assert english not in result.stderr, (english, result.stderr)


def test_a_repeated_argument_is_marked_once(run_cli: Any) -> None:
    # the metavar "TỆP_HOẶC_THƯ_MỤC..." already says "several": no "......"
    text = run_cli("validate", "--help").stdout
    assert "Cách dùng: thidua validate [TUỲ_CHỌN] TỆP_HOẶC_THƯ_MỤC...\n" in text
    assert "...." not in text


@pytest.mark.parametrize("columns", ["60", "80"])
def test_an_example_is_wrapped_between_arguments_only(run_cli: Any, columns: str) -> None:
    """issue 13: never "-o" at a line's end and its file on the next, nor a quoted name cut."""
    for command in COMMANDS:
        text = run_cli(*command, "--help", env={"COLUMNS": columns}).stdout
        assert not re.search(r"(?m)(?<!\S)--?[a-z][\w-]*\n[ \t]+[^\s-]", text), (command, text)
        for line in text.splitlines():
            assert line.count('"') % 2 == 0, (command, line)


# What a help example may name besides shipped files: outputs it asks for (-o, a new ledger,
# the templates folder `templates export` writes) and the results `awards` writes next to the
# shipped year (examples/nam-2026/nam-2026.de-xuat.*), as the README's examples do.
_WRITTEN = re.compile(r"^(ket-qua\.xlsx|so-lich-su\.xlsx|thidua\.db|mau-van-ban(/.*)?|quy-che-2026"
                      r"|mau-kpi(-[a-z-]+)?\.xlsx|sang-kien\.xlsx|bao-cao-dien-hinh-2026\.xlsx"
                      r"|examples/nam-2026/nam-2026\.de-xuat\.(xlsx|json))$")


def test_help_examples_name_only_shipped_files(run_cli: Any) -> None:
    """issue 13: an example in the help runs as written from the project folder — its inputs
    are the shipped examples/… files (as in the README), never made-up names (bang-diem.xlsx)."""
    from pathlib import Path
    shipped = Path(__file__).resolve().parents[2]
    named: list[str] = []
    for command in COMMANDS:
        text = run_cli(*command, "--help", env={"COLUMNS": "200"}).stdout
        examples = text[text.find("Ví dụ:"):] if "Ví dụ:" in text else ""
        for line in examples.splitlines():
            if not line.strip():
                continue  # a blank line between two examples
            if not line.lstrip().startswith(("Ví dụ:", "thidua", "--")):
                break  # the examples end at the first line that is not one
            for token in line.split():
                if token[0] != '"' and re.search(r"\.(xlsx|json|toml|db|docx)$|/", token):
                    named.append(token)
                    ok = _WRITTEN.match(token) or list(shipped.glob(token))
                    assert ok, (command, token, line)
    # the walk saw the examples it is about (an empty list would pass without looking)
    assert {"examples/quy-4-2026.xlsx", "examples/danh-sach-khoa.xlsx",
            "examples/phieu-bau-2026.xlsx", "examples/nam-2026/quy-*.xlsx"} <= set(named), named
    assert not [t for t in named if "bang-diem" in t or "khoa-noi.xlsx" in t], named
