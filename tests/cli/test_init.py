"""``thidua init [DIR]`` through the real CLI entry point."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from thidua_cli.regulation import default_regulation, default_toml_text, load_regulation

RunCli = Callable[..., Any]


def test_init_writes_the_default_verbatim_and_it_loads_back_identically(
    run_cli: RunCli, tmp_path: Path
) -> None:
    folder = tmp_path / "quy che" / "2026"  # missing, nested, with a space
    result = run_cli("init", folder)
    assert result.exit_code == 0, result.output
    target = folder / "quy-che.toml"
    assert target.read_text(encoding="utf-8") == default_toml_text()

    loaded = load_regulation(target)
    default = default_regulation()
    assert loaded.source == str(target)
    assert loaded.sha256 == default.sha256  # same bytes as the shipped default
    assert (
        loaded.name,
        loaded.organisation,
        loaded.criteria,
        loaded.scoring,
        loaded.bands,
        loaded.overrides,
        loaded.cap,
        loaded.validation,
        loaded.awards,
        loaded.money,
        loaded.council,
        loaded.documents,
    ) == (
        default.name,
        default.organisation,
        default.criteria,
        default.scoring,
        default.bands,
        default.overrides,
        default.cap,
        default.validation,
        default.awards,
        default.money,
        default.council,
        default.documents,
    )

    assert f"Đã ghi tệp quy chế mẫu: {target}" in result.stdout
    assert f'thidua score --rules "{target}" <bảng-điểm.xlsx>' in result.stdout
    assert sorted(p.name for p in folder.iterdir()) == ["quy-che.toml"]  # no temp file left


def test_init_defaults_to_the_current_folder(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("init")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "quy-che.toml").read_text(encoding="utf-8") == default_toml_text()
    assert "thidua score --rules quy-che.toml <bảng-điểm.xlsx>" in result.stdout


def test_init_refuses_to_overwrite_without_force(run_cli: RunCli, tmp_path: Path) -> None:
    target = tmp_path / "quy-che.toml"
    target.write_text('name = "Quy chế đã sửa"\n', encoding="utf-8")
    result = run_cli("init", tmp_path)
    assert result.exit_code == 6
    assert f"Tệp {target} đã có; chưa ghi đè." in result.stderr
    assert "dùng --force để ghi đè" in result.stderr
    assert target.read_text(encoding="utf-8") == 'name = "Quy chế đã sửa"\n'
    assert result.stdout == ""


def test_init_force_overwrites(run_cli: RunCli, tmp_path: Path) -> None:
    target = tmp_path / "quy-che.toml"
    target.write_text('name = "Quy chế đã sửa"\n', encoding="utf-8")
    result = run_cli("init", tmp_path, "--force")
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == default_toml_text()


def test_init_into_a_file_is_a_usage_error(run_cli: RunCli, tmp_path: Path) -> None:
    not_a_folder = tmp_path / "bang-diem.xlsx"
    not_a_folder.write_bytes(b"PK")
    result = run_cli("init", not_a_folder)
    assert result.exit_code == 2
    assert f"{not_a_folder} là một tệp, không phải thư mục." in result.stderr
    assert not_a_folder.read_bytes() == b"PK"


def test_init_help_is_in_vietnamese_with_an_example(run_cli: RunCli) -> None:
    result = run_cli("init", "--help")
    assert result.exit_code == 0
    assert "Tạo tệp quy chế mẫu quy-che.toml" in result.stdout
    assert "Ví dụ: thidua init quy-che-2026" in result.stdout
    assert "--force" in result.stdout


def test_init_is_listed_in_the_main_help(run_cli: RunCli) -> None:
    result = run_cli("--help")
    assert result.exit_code == 0
    assert "init" in result.stdout
