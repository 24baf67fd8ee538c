"""Text shaped like XlsxWriter's rich-text markup ("<r>…</r>") stays text in every workbook we
write with XlsxWriter (it would otherwise be copied into the file as raw XML)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from thidua_cli.io.xlsx_text import write_text

INJECTION = '<r><t>a</t></r></si><si><t>b</t></si><r><t>c</t></r>'


@pytest.mark.parametrize("constant_memory", [False, True])
def test_rich_shaped_text_reads_back_as_the_same_text(tmp_path: Path, constant_memory: bool) -> None:
    path = tmp_path / "x.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": constant_memory})
    ws = wb.add_worksheet("S")
    bold = wb.add_format({"bold": True})
    write_text(ws, 0, 0, INJECTION)
    write_text(ws, 1, 0, "<r>x</r>", bold)
    write_text(ws, 2, 0, "Nguyễn Thị Ánh")
    wb.close()
    sheet = openpyxl.load_workbook(path)["S"]
    assert sheet["A1"].value == INJECTION
    assert sheet["A2"].value == "<r>x</r>" and sheet["A2"].font.b
    assert sheet["A3"].value == "Nguyễn Thị Ánh"
    assert sheet["A1"].data_type == "s"


def test_awards_workbook_keeps_rich_shaped_names_as_text(tmp_path: Path) -> None:
    from thidua_cli.core.awards_result import from_json
    from thidua_cli.io import awards_xlsx

    writer = awards_xlsx._write
    data = {"schema": "thidua.awards/1", "year": 2026, "awards": [], "candidates": [],
            "departments": [], "money": {}, "base_salary_basis": INJECTION,
            "decision_date": "2026-12-20", "ruleset": {"name": "x", "code": "2025-07"},
            "organisation": {}, "council": {}, "warnings": []}
    path = tmp_path / "a.xlsx"
    writer(from_json(data), {"inputs": []}, path)
    wb = openpyxl.load_workbook(path)
    values = [c.value for ws in wb.worksheets for r in ws.iter_rows() for c in r]
    assert INJECTION in values
