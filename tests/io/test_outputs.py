"""io/outputs.guard: the one rule for what a command may write where (issue 10)."""

from __future__ import annotations

import os
import sqlite3
import zipfile
from pathlib import Path

import pytest

from thidua_cli.errors import ExitCode, OutputExistsError
from thidua_cli.io.outputs import OutputPathError, Protected, guard, is_kind


def _xlsx(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    return path


def _docx(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("word/document.xml", "<document/>")
    return path


def _ledger(path: Path) -> Path:
    with sqlite3.connect(path) as con:
        con.execute("create table t (x)")
    con.close()
    return path


def test_new_outputs_pass(tmp_path: Path) -> None:
    guard([tmp_path / "a.xlsx", tmp_path / "a.json"], Protected.of([tmp_path / "in.xlsx"]),
          force=False)


def test_output_is_an_input_even_with_force(tmp_path: Path) -> None:
    src = _xlsx(tmp_path / "quy-4-2026.xlsx")
    for force in (False, True):
        with pytest.raises(OutputPathError) as info:
            guard([src], Protected.of([src]), force=force)
        assert info.value.exit_code == ExitCode.USAGE
        assert "chính là tệp đầu vào" in info.value.message
        assert "kể cả với --force" in info.value.message


def test_output_reaching_an_input_through_a_symlinked_folder(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    src = _xlsx(real / "k.xlsx")
    (tmp_path / "alias").symlink_to(real)
    with pytest.raises(OutputPathError, match="tệp đầu vào"):
        guard([tmp_path / "alias" / "k.xlsx"], Protected.of([src]), force=True)


def test_hard_link_to_an_input(tmp_path: Path) -> None:
    src = _xlsx(tmp_path / "k.xlsx")
    os.link(src, tmp_path / "k2.xlsx")
    with pytest.raises(OutputPathError):
        guard([tmp_path / "k2.xlsx"], Protected.of([src]), force=True)


def test_derived_json_over_the_ledger(tmp_path: Path) -> None:
    led = _ledger(tmp_path / "thidua.db")
    with pytest.raises(OutputPathError, match="sổ lịch sử"):
        guard([tmp_path / "x.xlsx", led], Protected.of([], ledger=led), force=True)


def test_output_over_a_template(tmp_path: Path) -> None:
    tpl = _docx(tmp_path / "quyet-dinh.docx")
    with pytest.raises(OutputPathError, match="mẫu văn bản"):
        guard([tpl], Protected.of([], templates=[tpl]), force=True)


def test_symlink_at_the_output_is_never_replaced(tmp_path: Path) -> None:
    (tmp_path / "out.xlsx").symlink_to(tmp_path / "nowhere.xlsx")  # dangling
    with pytest.raises(OutputPathError, match="liên kết"):
        guard([tmp_path / "out.xlsx"], Protected(), force=True)
    target = _xlsx(tmp_path / "t.xlsx")
    (tmp_path / "live.xlsx").symlink_to(target)
    with pytest.raises(OutputPathError, match="liên kết"):
        guard([tmp_path / "live.xlsx"], Protected(), force=True)


def test_two_outputs_on_one_file(tmp_path: Path) -> None:
    with pytest.raises(OutputPathError, match="trùng nhau"):
        guard([tmp_path / "a.xlsx", tmp_path / "." / "a.xlsx"], Protected(), force=False)


def test_existing_output_needs_force(tmp_path: Path) -> None:
    out = _xlsx(tmp_path / "k.ket-qua.xlsx")
    with pytest.raises(OutputExistsError) as info:
        guard([out], Protected(), force=False)
    assert info.value.exit_code == ExitCode.OUTPUT_EXISTS
    guard([out], Protected(), force=True)


def test_force_never_replaces_a_file_of_another_kind(tmp_path: Path) -> None:
    led = _ledger(tmp_path / "so.xlsx")  # a database that happens to be named .xlsx
    with pytest.raises(OutputExistsError, match="không phải loại tệp"):
        guard([led], Protected(), force=True)
    doc = _docx(tmp_path / "k.xlsx")
    with pytest.raises(OutputExistsError, match="không phải loại tệp"):
        guard([doc], Protected(), force=True)
    other = _ledger(tmp_path / "khac.db")
    with pytest.raises(OutputExistsError):
        guard([other], Protected(), force=True)


def test_kinds(tmp_path: Path) -> None:
    assert is_kind(_xlsx(tmp_path / "a.xlsx"), ".xlsx")
    assert not is_kind(_xlsx(tmp_path / "b.docx"), ".docx")
    assert is_kind(_docx(tmp_path / "c.docx"), ".docx")
    (tmp_path / "d.json").write_bytes(b"\xef\xbb\xbf  {\"schema\": 1}")
    assert is_kind(tmp_path / "d.json", ".json")
    (tmp_path / "e.json").write_bytes(b"PK\x03\x04")
    assert not is_kind(tmp_path / "e.json", ".json")
    (tmp_path / "f.pdf").write_bytes(b"%PDF-1.7\n")
    assert is_kind(tmp_path / "f.pdf", ".pdf")
    (tmp_path / "g.toml").write_text("[cap]\nrate = 0.2\n", encoding="utf-8")
    assert is_kind(tmp_path / "g.toml", ".toml")
    assert not is_kind(_ledger(tmp_path / "h.toml"), ".toml")


def test_path_too_long(tmp_path: Path) -> None:
    with pytest.raises(OutputPathError, match="quá dài"):
        guard([tmp_path / ("a" * 300 + ".xlsx")], Protected(), force=False)
    deep = tmp_path.joinpath(*(["d" * 200] * 25)) / "x.xlsx"
    with pytest.raises(OutputPathError, match="quá dài"):
        guard([deep], Protected(), force=False)
