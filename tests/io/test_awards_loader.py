"""One loader for the awards result: .json, .json with a BOM, the hidden sheet of the
proposal workbook, whatever the file is named (the content decides)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from thidua_cli.core.awards_result import from_json
from thidua_cli.core.documents import sample_result
from thidua_cli.errors import InputFileError
from thidua_cli.io.awards_io import load_result
from thidua_cli.io.awards_xlsx import CHUNK, write_awards_workbook


def test_the_same_result_from_json_bom_xlsx_and_a_json_named_xlsx(tmp_path: Path) -> None:
    outcome = from_json(sample_result())
    text = json.dumps(outcome.to_json(), ensure_ascii=False, indent=2) + "\n"
    plain = tmp_path / "nam-2026.de-xuat.json"
    plain.write_text(text, encoding="utf-8")
    bom = tmp_path / "bom.de-xuat.json"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    book = tmp_path / "nam-2026.de-xuat.xlsx"
    write_awards_workbook(outcome, {}, book)
    misnamed = tmp_path / "that-ra-la-json.xlsx"
    shutil.copy(plain, misnamed)
    workbook_named_json = tmp_path / "that-ra-la-xlsx.json"
    shutil.copy(book, workbook_named_json)
    for path in (plain, bom, book, misnamed, workbook_named_json):
        assert load_result(path) == outcome, path


def test_a_long_result_split_over_many_cells_reads_back(tmp_path: Path) -> None:
    data = sample_result()
    # Notes with spaces at the chunk edges: the reader must keep every character.
    data["awards"][0]["note"] = "  " + "x " * CHUNK
    outcome = from_json(data)
    book = tmp_path / "dai.de-xuat.xlsx"
    write_awards_workbook(outcome, {}, book)
    assert load_result(book) == outcome


def test_a_result_with_a_wrong_field_names_the_file(tmp_path: Path) -> None:
    data = sample_result()
    data["awards"][0]["amount"] = "nhiều"
    path = tmp_path / "sua-tay.de-xuat.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputFileError) as exc:
        load_result(path)
    assert str(exc.value).startswith(f"{path} không phải kết quả xét danh hiệu hợp lệ")
    assert "- awards[0].amount: phải là số nguyên, không phải 'nhiều'." in str(exc.value)
