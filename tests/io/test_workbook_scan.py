"""io/workbook: details of the sheet XML scan and of reading large sheets."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from thidua_cli.io.workbook import load_workbook, scan_sheet_xml

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _sheet(cells: str) -> bytes:
    return (f'<worksheet {NS}><dimension ref="A1:C2"/><sheetData><row r="1">{cells}</row>'
            "</sheetData></worksheet>").encode()


def test_error_cell_found_whatever_the_quotes() -> None:
    """A cached error is found with single-quoted attributes too (a writer may use them)."""
    double = scan_sheet_xml(_sheet('<c r="A1" t="e"><v>#DIV/0!</v></c>'))
    single = scan_sheet_xml(_sheet("<c r='B1' t='e'><v>#N/A</v></c>"))
    mixed = scan_sheet_xml(_sheet("<c r=\"C1\" t='e'><v>#REF!</v></c>"))
    assert double.errors == {(1, 1): "#DIV/0!"}
    assert single.errors == {(1, 2): "#N/A"}
    assert mixed.errors == {(1, 3): "#REF!"}


def test_no_error_cell_no_finding() -> None:
    facts = scan_sheet_xml(_sheet("<c r=\"A1\" t=\"inlineStr\"><is><t>l'e'</t></is></c>"))
    assert facts.errors == {}


@pytest.mark.parametrize("enabled", [True, False])
def test_loading_leaves_the_garbage_collector_as_it_was(tmp_path: Path, enabled: bool) -> None:
    """The collector is paused while calamine builds the rows, then restored as it was."""
    import xlsxwriter

    p = tmp_path / "khoa.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    wb.add_worksheet("Khoa Nội").write_row(0, 0, ["Mã NV", "Họ và tên", 9.5])
    wb.close()
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        sheet = load_workbook(p).sheets[0]
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
    assert sheet.rows == [["Mã NV", "Họ và tên", 9.5]]
