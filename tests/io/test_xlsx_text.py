"""Text shaped like XlsxWriter's rich-text markup ("<r>…</r>") stays text in every workbook we
write with XlsxWriter (it would otherwise be copied into the file as raw XML)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from thidua_cli.io.xlsx_text import TextFormats, write_text

INJECTION = '<r><t>a</t></r></si><si><t>b</t></si><r><t>c</t></r>'


@pytest.mark.parametrize("constant_memory", [False, True])
def test_rich_shaped_text_reads_back_as_the_same_text(tmp_path: Path, constant_memory: bool) -> None:
    path = tmp_path / "x.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": constant_memory})
    ws = wb.add_worksheet("S")
    texts = TextFormats(wb)
    bold = texts.add({"bold": True})
    write_text(ws, 0, 0, INJECTION, formats=texts)
    write_text(ws, 1, 0, "<r>x</r>", bold, formats=texts)
    write_text(ws, 2, 0, "Nguyễn Thị Ánh", formats=texts)
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


FORMULA = '=HYPERLINK("http://x.vn","Bấm")'


def test_formula_looking_text_gets_the_quote_prefix_with_its_own_format(tmp_path: Path) -> None:
    """issue 10: every text cell thidua writes keeps a formula-looking text as text even after
    F2, Enter in Excel: the quote prefix, on top of the cell's own format."""
    path = tmp_path / "q.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("S")
    texts = TextFormats(wb)
    bold = texts.add({"bold": True})
    for i, value in enumerate([FORMULA, "+84 912", "-5", "@x", "\tA", "Bình thường"]):
        write_text(ws, i, 0, value, formats=texts)
    write_text(ws, 0, 1, FORMULA, bold, formats=texts)
    wb.close()
    sheet = openpyxl.load_workbook(path)["S"]
    assert [sheet.cell(r, 1).quotePrefix for r in range(1, 7)] == [True] * 5 + [False]
    assert sheet["A1"].value == FORMULA and sheet["A1"].data_type == "s"
    assert sheet["B1"].quotePrefix and sheet["B1"].font.b


def test_a_format_made_elsewhere_is_refused(tmp_path: Path) -> None:
    wb = xlsxwriter.Workbook(str(tmp_path / "r.xlsx"))
    texts = TextFormats(wb)
    with pytest.raises(ValueError):
        texts.quoted(wb.add_format({"bold": True}))
    wb.close()


def test_awards_and_ledger_workbooks_quote_formula_looking_names(tmp_path: Path) -> None:
    import json
    from datetime import date

    from thidua_cli.core.awards_result import from_json
    from thidua_cli.io import awards_xlsx
    from thidua_cli.io.ledger import AwardRecord, RatingRecord, StoredAward, StoredDecision

    data = json.loads((Path(__file__).parents[1] / "data" / "awards-sample.json")
                      .read_text(encoding="utf-8"))
    data["awards"][0]["name"] = FORMULA
    path = tmp_path / "a.xlsx"
    awards_xlsx._write(from_json(data), {"inputs": [{"path": "=cmd|x", "sha256": "", "format": ""}]},
                       path)
    wb = openpyxl.load_workbook(path)
    quoted = [c for ws in wb.worksheets for r in ws.iter_rows() for c in r
              if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@"))]
    assert any(c.value == FORMULA for c in quoted)
    assert quoted and all(c.quotePrefix for c in quoted)

    record = AwardRecord(2026, "individual", "BV1", FORMULA, "-Khoa", "LDTT", "Lao động tiên tiến",
                         "title", "hospital")
    ledger_xlsx = tmp_path / "so.xlsx"
    awards_xlsx.write_ledger_workbook(
        [StoredDecision(1, "@12/QĐ", date(2026, 12, 20), 2026, "record", "+x", "t", 1)],
        [StoredAward(record, "@12/QĐ", date(2026, 12, 20))],
        [RatingRecord("BV1", 2026, "HTTNV", FORMULA, "-Khoa")], ledger_xlsx)
    wb = openpyxl.load_workbook(ledger_xlsx)
    quoted = [c for ws in wb.worksheets for r in ws.iter_rows() for c in r
              if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@"))]
    assert {c.value for c in quoted} >= {FORMULA, "-Khoa", "@12/QĐ", "+x"}
    assert all(c.quotePrefix for c in quoted)
