"""io.workbook.load_workbook: values exactly where Excel shows them, the facts calamine cannot
see, and an InputFileError (exit 4) for every file that cannot be read."""

from __future__ import annotations

import hashlib
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from thidua_cli.errors import ExitCode
from thidua_cli.io.formats.facts import Limits, StyleFlags, col_index, col_letters
from thidua_cli.io.formats.ooxml import SHARED_FORMULA, _scan_sheet_tree, scan_sheet_xml
from thidua_cli.io.raw import RawWorkbook
from thidua_cli.io.sniff import UnreadableFileError
from thidua_cli.io.workbook import load_workbook

DATA = Path(__file__).resolve().parent.parent / "data"

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def build_xlsx(
    path: Path,
    sheet_data: str,
    *,
    styles: str | None = None,
    extra_sheet_xml: str = "",
    dimension: str | None = None,
    sheet_name: str = "Khoa Nội",
) -> Path:
    """A minimal hand-written .xlsx: one worksheet whose <sheetData> content is given (inline
    strings, no shared strings), optionally a styles part."""
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet {NS} {NS_R}>{dim}'
        f"<sheetData>{sheet_data}</sheetData>{extra_sheet_xml}</worksheet>"
    )
    rels_styles = (
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/styles" Target="styles.xml"/>' if styles else ""
    )
    ct_styles = (
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.styles+xml"/>' if styles else ""
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' + ct_styles + "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook {NS} {NS_R}><sheets><sheet '
            f'name="{sheet_name}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/>' + rels_styles + "</Relationships>",
        )
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        if styles:
            z.writestr("xl/styles.xml", styles)
    return path


def styles_xml(fonts: list[str], xf_fonts: list[int]) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><styleSheet {NS}><fonts count="{len(fonts)}">'
        + "".join(f"<font>{f}</font>" for f in fonts)
        + f'</fonts><cellXfs count="{len(xf_fonts)}">'
        + "".join(f'<xf numFmtId="0" fontId="{i}" fillId="0" borderId="0"/>' for i in xf_fonts)
        + "</cellXfs></styleSheet>"
    )


def istr(ref: str, text: str, extra: str = "") -> str:
    return f'<c r="{ref}" t="inlineStr"{extra}><is><t xml:space="preserve">{text}</t></is></c>'


def num(ref: str, value: float | int, extra: str = "") -> str:
    return f'<c r="{ref}"{extra}><v>{value}</v></c>'


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refused(path: Path, **kwargs: object) -> UnreadableFileError:
    with pytest.raises(UnreadableFileError) as info:
        load_workbook(path, **kwargs)  # type: ignore[arg-type]
    assert info.value.exit_code == ExitCode.INPUT
    return info.value


# --- coordinates ---------------------------------------------------------------------------


def _clerk_sheet(path: Path) -> Path:
    """Title rows, a merged title, a table starting at C5, a hidden row, a struck row."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Khoa Nội"
    ws["C1"] = "SỞ Y TẾ HÀ NỘI"
    ws["C2"] = "BẢNG ĐIỂM THI ĐUA QUÝ IV NĂM 2026"
    ws.merge_cells("C2:G2")
    ws["C5"], ws["D5"], ws["E5"], ws["F5"], ws["G5"] = "STT", "Mã NV", "Họ và tên", "TC1", "TC2"
    ws["C6"], ws["D6"], ws["E6"], ws["F6"], ws["G6"] = 1, "001085012345", "Nguyễn Văn An", 8.5, 9
    ws["C7"], ws["D7"], ws["E7"], ws["F7"], ws["G7"] = 2, "2201", "Trần Thị Bình", 7, 6.25
    ws["C8"], ws["D8"], ws["E8"], ws["F8"], ws["G8"] = 3, "2202", "Lê Văn Cường", 5, 5
    ws["E8"].font = Font(strike=True)
    ws["C9"], ws["E9"], ws["F9"] = 4, "Phạm Thị Dung", date(2026, 3, 5)
    ws.row_dimensions[7].hidden = True
    ws.row_dimensions[30].hidden = True  # a hidden empty row far below: shifts nothing
    wb.save(path)
    return path


def test_values_are_where_excel_shows_them(tmp_path: Path) -> None:
    p = _clerk_sheet(tmp_path / "quy-4-2026.xlsx")
    wb = load_workbook(p)
    assert isinstance(wb, RawWorkbook)
    assert wb.format == "xlsx"
    assert wb.path == str(p)
    assert wb.sha256 == hashlib.sha256(p.read_bytes()).hexdigest()
    [s] = wb.sheets
    assert (s.name, s.kind, s.visibility, s.facts_checked) == (
        "Khoa Nội", "worksheet", "visible", True
    )
    # rows[r-1][c-1] is what Excel shows at (r, c), from A1.
    assert s.rows[0][2] == "SỞ Y TẾ HÀ NỘI"
    assert s.rows[1][2] == "BẢNG ĐIỂM THI ĐUA QUÝ IV NĂM 2026"
    assert s.rows[1][3] == ""  # covered by the merge
    assert s.rows[4][2:7] == ["STT", "Mã NV", "Họ và tên", "TC1", "TC2"]
    assert s.value(6, 4) == "001085012345"  # text IDs keep their leading zero
    assert s.value(6, 6) == 8.5
    assert s.value(7, 5) == "Trần Thị Bình"  # the hidden row is still read …
    assert s.hidden_rows == {7, 30}  # … and reported
    assert s.value(9, 6) == date(2026, 3, 5)
    assert s.value(3, 1) == "" and s.value(500, 500) == ""
    assert s.merged == [(2, 3, 2, 7)]
    assert s.struck_cells == {(8, 5)}
    assert s.value(8, 5) == "Lê Văn Cường"
    assert s.rows[0][0] == "" and all(v == "" for v in s.rows[2])
    # Every row has the same width; no None anywhere.
    assert {len(r) for r in s.rows} == {7}
    assert all(v is not None for r in s.rows for v in r)


def test_numbers_and_types_as_calamine_gives_them(tmp_path: Path) -> None:
    p = build_xlsx(
        tmp_path / "t.xlsx",
        '<row r="1">' + num("A1", 2201) + num("B1", 8.5) + '<c r="C1" t="b"><v>1</v></c>'
        + istr("D1", "  có  ") + "</row>",
    )
    s = load_workbook(p).sheets[0]
    assert s.rows == [[2201.0, 8.5, True, "  có  "]]
    assert type(s.rows[0][2]) is bool


def test_strings_and_sheet_names_are_nfc(tmp_path: Path) -> None:
    from openpyxl import Workbook

    nfd_name = unicodedata.normalize("NFD", "Khoa Ngoại")
    nfd_text = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")
    assert nfd_text != "Nguyễn Thị Ánh"
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = nfd_name
    ws["A1"] = nfd_text
    ws["B1"] = "ASCII only"
    p = tmp_path / "nfd.xlsx"
    wb.save(p)
    s = load_workbook(p).sheets[0]
    assert s.name == "Khoa Ngoại"
    assert s.rows[0] == ["Nguyễn Thị Ánh", "ASCII only"]


def test_cells_without_references_are_counted_like_calamine(tmp_path: Path) -> None:
    # Rare writers omit r: a row follows the previous row, a cell the previous cell.
    p = build_xlsx(
        tmp_path / "nor.xlsx",
        '<row r="2"><c t="inlineStr"><is><t>Mã NV</t></is></c>'
        '<c t="inlineStr"><is><t>Họ tên</t></is></c></row>'
        '<row hidden="1"><c><v>7</v></c><c t="e"><v>#N/A</v></c></row>'
        '<row><c r="C4"><f>SUM(A3:A3)</f></c></row>',
    )
    s = load_workbook(p).sheets[0]
    assert s.value(2, 1) == "Mã NV" and s.value(2, 2) == "Họ tên"
    assert s.value(3, 1) == 7.0
    assert s.hidden_rows == {3}
    assert s.errors == {(3, 2): "#N/A"}
    assert s.formulas_without_value == {(4, 3): "=SUM(A3:A3)"}


# --- facts from the XML ----------------------------------------------------------------------


def test_cached_errors_from_excel_writers(tmp_path: Path) -> None:
    import xlsxwriter

    p = tmp_path / "loi.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("Điểm")
    ws.write("A1", "Tổng")
    ws.write_formula("B1", "=1/0", None, "#DIV/0!")
    ws.write_formula("C1", "=VLOOKUP(1,E:E,2,0)", None, "#N/A")
    ws.write_formula("D1", "=A1*2", None, 50)  # a cached number: not a finding
    wb.close()
    assert b't="e"' in zipfile.ZipFile(p).read("xl/worksheets/sheet1.xml")
    s = load_workbook(p).sheets[0]
    assert s.errors == {(1, 2): "#DIV/0!", (1, 3): "#N/A"}
    assert s.formulas_without_value == {}
    assert s.value(1, 2) == ""  # calamine's view of a cached error
    assert s.value(1, 4) == 50.0


def test_formulas_without_cached_value(tmp_path: Path) -> None:
    p = build_xlsx(
        tmp_path / "f.xlsx",
        '<row r="1">'
        '<c r="A1"><f>SUM(B1:C1)</f></c>'  # no <v> at all
        '<c r="B1"><f>B2&amp;"x"</f><v></v></c>'  # empty <v>
        '<c r="C1"><f>1+1</f><v/></c>'  # self-closed <v/>
        '<c r="D1" t="str"><f>IF(A1=0,"","x")</f><v></v></c>'  # cached "": has a value
        '<c r="E1"><f>2*3</f><v>6</v></c>'  # cached 6
        "</row>"
        '<row r="2"><c r="A2"><f t="shared" ref="A2:A4" si="0">B2*2</f><v>0</v></c></row>'
        '<row r="3"><c r="A3"><f t="shared" si="0"/></c></row>'
        '<row r="4"><c r="A4"><f t="shared" si="0"/><v>4</v></c></row>',
    )
    s = load_workbook(p).sheets[0]
    assert s.formulas_without_value == {
        (1, 1): "=SUM(B1:C1)",
        (1, 2): '=B2&"x"',
        (1, 3): "=1+1",
        (3, 1): f"=B2*2 {SHARED_FORMULA}",
    }
    assert s.value(1, 5) == 6.0


def test_openpyxl_formulas_have_no_value(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"], ws["A2"], ws["A3"] = 4, 5, "=SUM(A1:A2)"
    p = tmp_path / "openpyxl.xlsx"
    wb.save(p)
    s = load_workbook(p).sheets[0]
    assert s.formulas_without_value == {(3, 1): "=SUM(A1:A2)"}
    assert s.value(3, 1) == ""


def test_strike_through_and_legacy_fonts(tmp_path: Path) -> None:
    styles = styles_xml(
        ['<name val="Times New Roman"/>', "<strike/>", '<strike val="0"/>',
         '<name val=".VnTime"/>', '<name val="VNI-Times"/>', '<name val="VNtimes new roman"/>'],
        [0, 1, 2, 3, 4, 5],
    )
    p = build_xlsx(
        tmp_path / "font.xlsx",
        '<row r="3">' + istr("A3", "Lê Văn Cường", ' s="1"') + num("B3", 5, ' s="1"')
        + '<c r="C3" s="1"/>' + istr("D3", "không gạch", ' s="2"') + "</row>"
        '<row r="4">' + istr("A4", "Hä vµ tªn", ' s="3"') + num("B4", 8, ' s="3"')
        + istr("C4", "Hoï vaø teân", ' s="4"') + istr("D4", "x", ' s="5"') + "</row>",
        styles=styles,
    )
    s = load_workbook(p).sheets[0]
    assert s.struck_cells == {(3, 1), (3, 2)}  # the empty styled cell C3 is not reported
    assert s.legacy_fonts == {(4, 1): ".VnTime", (4, 3): "VNI-Times", (4, 4): "VNtimes new roman"}


def test_legacy_default_font(tmp_path: Path) -> None:
    import xlsxwriter

    p = tmp_path / "cu.xlsx"
    wb = xlsxwriter.Workbook(str(p), {"default_format_properties": {"font_name": ".VnTime"}})
    ws = wb.add_worksheet()
    ws.write("A1", "Hä vµ tªn")
    ws.write("B1", 5)
    ws.write("A2", "Họ tên", wb.add_format({"font_name": "Times New Roman"}))
    wb.close()
    s = load_workbook(p).sheets[0]
    assert s.legacy_fonts == {(1, 1): ".VnTime"}


def test_hidden_and_very_hidden_sheets_and_chart_only(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = "hiện"
    h = wb.create_sheet("Ẩn")
    h.sheet_state = "hidden"
    v = wb.create_sheet("Rất ẩn")
    v.sheet_state = "veryHidden"
    v["B2"] = "bí mật"
    p = tmp_path / "an.xlsx"
    wb.save(p)
    sheets = load_workbook(p).sheets
    assert [(s.name, s.visibility) for s in sheets] == [
        ("Sheet", "visible"), ("Ẩn", "hidden"), ("Rất ẩn", "veryHidden")
    ]
    assert sheets[1].rows == []
    assert sheets[2].value(2, 2) == "bí mật"


def test_workbook_with_only_a_chart_sheet(tmp_path: Path) -> None:
    import xlsxwriter

    p = tmp_path / "bieu-do.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    cs = wb.add_chartsheet("Biểu đồ")
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"values": "=Data!$A$1:$A$3"})
    cs.set_chart(chart)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # XlsxWriter warns that "Data" does not exist
        wb.close()
    [s] = load_workbook(p).sheets
    assert (s.name, s.kind, s.rows, s.facts_checked) == ("Biểu đồ", "chartsheet", [], False)


def test_merged_two_row_header(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws["A4"], ws["B4"], ws["C4"] = "Mã NV", "Họ tên", "Điểm tiêu chí"
    ws.merge_cells("A4:A5")
    ws.merge_cells("B4:B5")
    ws.merge_cells("C4:E4")
    ws["C5"], ws["D5"], ws["E5"] = "Tự chấm", "Khoa chấm", "Hội đồng chấm"
    p = tmp_path / "hai-dong.xlsx"
    wb.save(p)
    s = load_workbook(p).sheets[0]
    assert s.merged == [(4, 1, 5, 1), (4, 2, 5, 2), (4, 3, 4, 5)]
    assert s.rows[3] == ["Mã NV", "Họ tên", "Điểm tiêu chí", "", ""]
    assert s.rows[4] == ["", "", "Tự chấm", "Khoa chấm", "Hội đồng chấm"]


def test_one_megabyte_text_cell_is_kept_whole(tmp_path: Path) -> None:
    # Written by hand: openpyxl and XlsxWriter cut texts at Excel's 32,767 characters.
    text = "Ghi chú rất dài. " * 61_681
    assert len(text) > 1_000_000
    row = '<row r="1">' + istr("A1", text) + num("B1", 1) + "</row>"
    p = build_xlsx(tmp_path / "dai.xlsx", row)
    s = load_workbook(p).sheets[0]
    assert s.value(1, 1) == text
    assert s.value(1, 2) == 1.0
    assert s.text_cells_truncated == {}


def test_sixteen_thousand_columns(tmp_path: Path) -> None:
    p = build_xlsx(
        tmp_path / "rong.xlsx",
        '<row r="1">' + istr("A1", "đầu") + istr("XFC1", "gần cuối") + istr("XFD1", "cuối")
        + "</row>",
        dimension="A1:XFD1",
    )
    s = load_workbook(p).sheets[0]
    assert len(s.rows[0]) == 16_384
    assert s.value(1, 16_384) == "cuối" and s.value(1, 16_383) == "gần cuối"
    assert s.value(1, 2) == ""


# --- the xls and ods fixtures (saved by LibreOffice) -----------------------------------------


@pytest.mark.parametrize("name", ["loader-sample.xls", "loader-sample.ods", "loader-sample.xlsx"])
def test_libreoffice_files_same_cells(name: str) -> None:
    wb = load_workbook(DATA / name)
    assert wb.format == name.rsplit(".", 1)[1]
    s, hidden = wb.sheets
    assert s.name == "Khoa Nội" and hidden.name == "Ẩn" and hidden.visibility == "hidden"
    assert hidden.value(1, 1) == "dữ liệu ẩn"
    assert s.value(2, 3) == "BẢNG ĐIỂM THI ĐUA QUÝ IV NĂM 2026"
    assert s.rows[4][2:6] == ["Họ và tên", "Điểm", "Ngày vào", "Ghi chú"]
    assert s.value(6, 3) == "Nguyễn Văn An" and s.value(6, 4) == 9.5
    assert s.value(6, 5) == date(2026, 3, 5)
    assert s.value(8, 4) == 19.0  # =D6*2, recalculated by LibreOffice
    assert s.value(7, 4) == ""  # =1/0
    assert s.merged == [(2, 3, 2, 6)]
    # The facts calamine cannot see, from the XML (xlsx, ods) or the BIFF records (xls).
    assert s.facts_checked
    assert s.errors == {(7, 4): "#DIV/0!"}
    assert s.hidden_rows == {7}
    assert s.struck_cells == {(8, 3)}
    assert s.formulas_without_value == {}
    assert s.legacy_fonts == {}


def test_xls_cell_far_away_is_refused_not_allocated(tmp_path: Path) -> None:
    import struct

    data = bytearray((DATA / "loader-sample.xls").read_bytes())
    # The first LABELSST (type 0x00FD, length 10) is the title at C2 (row 1, column 2, 0-based).
    i = bytes(data).find(b"\xfd\x00\x0a\x00")
    assert struct.unpack_from("<HH", data, i + 4) == (1, 2)
    struct.pack_into("<HH", data, i + 4, 60_000, 60_000)  # calamine would abort the process
    p = tmp_path / "hong.xls"
    p.write_bytes(bytes(data))
    exc = refused(p)
    assert exc.kind == "too-many-cells" and "Khoa Nội" in exc.message


def test_xls_legacy_font(tmp_path: Path) -> None:
    data = (DATA / "loader-sample.xls").read_bytes()
    # Rename the "Calibri" font (BIFF8 stores it in UTF-16) to ".VnTime": same length, so every
    # record keeps its size.
    old, new = "Calibri".encode("utf-16-le"), ".VnTime".encode("utf-16-le")
    assert data.count(old) == 1
    p = tmp_path / "cu.xls"
    p.write_bytes(data.replace(old, new))
    s = load_workbook(p).sheets[0]
    assert s.value(6, 3) == "Nguyễn Văn An"
    assert s.legacy_fonts.get((6, 3)) == ".VnTime"  # a text cell in the legacy font
    assert (6, 4) not in s.legacy_fonts  # 9.5: a number is not mis-encoded text


# --- failures --------------------------------------------------------------------------------


def test_html_export_named_xls(tmp_path: Path) -> None:
    p = tmp_path / "HIS-xuat.xls"
    p.write_bytes(b"<html><body><table><tr><td>1</td></tr></table></body></html>")
    exc = refused(p)
    assert exc.kind == "html" and "HIS-xuat.xls" in exc.message


def test_zip_bomb_ratio_is_refused_before_inflating(tmp_path: Path) -> None:
    rows = '<row r="1"><c r="A1"><v>1</v></c></row>' + " " * 3_000_000
    p = build_xlsx(tmp_path / "bom.xlsx", rows)
    info = zipfile.ZipFile(p).getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size / info.compress_size > 200
    exc = refused(p, limits=Limits(ratio_min_bytes=1_000_000))
    assert exc.kind == "too-large"
    assert "nén bất thường" in exc.message and "sheet1.xml" in exc.message
    # With the default limits (parts above 4 MB only) the same file is fine.
    assert load_workbook(p).sheets[0].value(1, 1) == 1.0


def test_total_uncompressed_size_is_bounded(tmp_path: Path) -> None:
    p = build_xlsx(tmp_path / "to.xlsx", '<row r="1">' + num("A1", 1) + "</row>")
    exc = refused(p, limits=Limits(max_uncompressed_bytes=1_000))
    assert exc.kind == "too-large" and "giải nén ra" in exc.message


def test_far_stray_cell_is_refused_not_allocated(tmp_path: Path) -> None:
    # calamine would allocate the whole rectangle A1:XFD1048576 (17 billion cells).
    p = build_xlsx(
        tmp_path / "xa.xlsx",
        '<row r="1">' + istr("A1", "Mã NV") + "</row>"
        '<row r="1048576">' + istr("XFD1048576", " ") + "</row>",
        dimension="A1",  # a lying dimension, as WPS writes it
    )
    exc = refused(p)
    assert exc.kind == "too-many-cells"
    assert "Khoa Nội" in exc.message and "XFD" in exc.message and "Ctrl+End" in exc.message


def test_extent_limit_uses_cells_with_content(tmp_path: Path) -> None:
    # Formatting far away (empty styled cells) is not data: allowed.
    p = build_xlsx(
        tmp_path / "dinh-dang.xlsx",
        '<row r="1">' + num("A1", 1) + "</row>"
        '<row r="900000"><c r="ZZ900000"/></row>',
    )
    s = load_workbook(p, limits=Limits(max_cells=1_000)).sheets[0]
    assert s.rows == [[1.0]]
    p2 = build_xlsx(
        tmp_path / "gia-tri.xlsx",
        '<row r="1">' + num("A1", 1) + "</row>" + '<row r="40">' + num("Z40", 2) + "</row>",
    )
    assert refused(p2, limits=Limits(max_cells=1_000)).kind == "too-many-cells"


def test_corrupt_sheet_xml(tmp_path: Path) -> None:
    p = build_xlsx(tmp_path / "hong.xlsx", '<row r="1"><c r="A1"><v>1</v></c></row><row><c')
    exc = refused(p)
    assert exc.kind in ("corrupt-xml", "corrupt")
    assert "hong.xlsx" in exc.message


def test_doctype_in_a_part_is_refused(tmp_path: Path) -> None:
    p = build_xlsx(tmp_path / "dtd.xlsx", '<row r="1"><c r="A1"><v>1</v></c></row>')
    with zipfile.ZipFile(p) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b"<workbook", b'<!DOCTYPE w [<!ENTITY a "aaaa">]><workbook', 1
    )
    q = tmp_path / "dtd2.xlsx"
    with zipfile.ZipFile(q, "w") as z:
        for n, d in parts.items():
            z.writestr(n, d)
    assert refused(q).kind == "corrupt-xml"


def test_lying_zip_directory_is_corruption(tmp_path: Path) -> None:
    p = build_xlsx(tmp_path / "noi-doi.xlsx", '<row r="1"><c r="A1"><v>1</v></c></row>')
    data = bytearray(p.read_bytes())
    # Change the declared CRC of the sheet part in the central directory.
    name = b"xl/worksheets/sheet1.xml"
    cd = data.rfind(b"PK\x01\x02", 0, data.rfind(name))
    data[cd + 16 : cd + 20] = b"\x00\x00\x00\x00"
    q = tmp_path / "noi-doi2.xlsx"
    q.write_bytes(bytes(data))
    assert refused(q).kind in ("corrupt-zip", "corrupt")


def test_garbage_ole_named_xls(tmp_path: Path) -> None:
    from test_sniff import make_ole

    p = tmp_path / "cu.xls"
    p.write_bytes(make_ole(["Workbook"]))  # a Workbook stream with no BIFF records
    exc = refused(p)
    assert exc.kind == "corrupt" and "cu.xls" in exc.message and ".xls" in exc.message


def test_input_is_never_modified(tmp_path: Path) -> None:
    p = _clerk_sheet(tmp_path / "goc.xlsx")
    before, mtime = sha(p), p.stat().st_mtime_ns
    load_workbook(p)
    assert sha(p) == before and p.stat().st_mtime_ns == mtime


# --- the two scanners agree --------------------------------------------------------------


def test_fast_scan_and_tree_walk_agree() -> None:
    import random

    rnd = random.Random(7)
    flags = StyleFlags(struck={1}, legacy={2: ".VnTime"})
    for _ in range(40):
        parts = []
        for r in sorted(rnd.sample(range(1, 60), 12)):
            hidden = ' hidden="1"' if rnd.random() < 0.2 else ""
            cells = []
            for c in sorted(rnd.sample(range(1, 40), 5)):
                ref = f"{col_letters(c)}{r}"
                s = f' s="{rnd.choice([0, 1, 2])}"' if rnd.random() < 0.5 else ""
                kind = rnd.choice(["n", "e", "f", "fv", "str", "s", "empty"])
                if kind == "n":
                    cells.append(f'<c r="{ref}"{s}><v>{rnd.random()}</v></c>')
                elif kind == "e":
                    cells.append(f'<c r="{ref}"{s} t="e"><f>1/0</f><v>#DIV/0!</v></c>')
                elif kind == "f":
                    cells.append(f'<c r="{ref}"{s}><f>A{r}+1</f></c>')
                elif kind == "fv":
                    cells.append(f'<c r="{ref}"{s}><f>A{r}+1</f><v>3</v></c>')
                elif kind == "str":
                    cells.append(f'<c r="{ref}"{s} t="str"><f>""</f><v></v></c>')
                elif kind == "s":
                    cells.append(f'<c r="{ref}"{s} t="inlineStr"><is><t>x</t></is></c>')
                else:
                    cells.append(f'<c r="{ref}"{s}/>')
            parts.append(f'<row r="{r}"{hidden}>' + "".join(cells) + "</row>")
        xml = f"<worksheet {NS}><sheetData>{''.join(parts)}</sheetData></worksheet>".encode()
        fast = scan_sheet_xml(xml, flags)
        tree = _scan_sheet_tree(xml, flags, shown="x", part="p")
        assert fast.errors == tree.errors
        assert fast.formulas_without_value == tree.formulas_without_value
        assert fast.hidden_rows == tree.hidden_rows
        assert fast.struck_cells == tree.struck_cells
        assert fast.legacy_fonts == tree.legacy_fonts
        # The fast extent is an upper bound of the exact one (it may count empty styled cells).
        assert fast.max_row >= tree.max_row and fast.max_col >= tree.max_col


def test_namespace_prefixed_sheet_xml() -> None:
    xml = (
        b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<x:sheetData><x:row r="2" hidden="1"><x:c r="B2" t="e"><x:v>#REF!</x:v></x:c>'
        b'<x:c r="C2"><x:f>B2</x:f></x:c></x:row></x:sheetData></x:worksheet>'
    )
    facts = scan_sheet_xml(xml)
    assert facts.errors == {(2, 2): "#REF!"}
    assert facts.formulas_without_value == {(2, 3): "=B2"}
    assert facts.hidden_rows == {2}


def test_column_letters_round_trip() -> None:
    for c in (1, 26, 27, 52, 702, 703, 16_384):
        assert col_index(col_letters(c)) == c
    assert col_letters(16_384) == "XFD" and col_index("aa") == 27
    assert re.fullmatch(r"[A-Z]+", col_letters(12345))


# --- regressions found by fuzzing ------------------------------------------------------------


def test_damaged_shared_string_count_is_refused_before_calamine(tmp_path: Path) -> None:
    p = DATA / "loader-sample.xlsx"
    with zipfile.ZipFile(p) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sst = parts["xl/sharedStrings.xml"]
    assert b'uniqueCount="' in sst
    # calamine reserves memory for uniqueCount strings up front: 10^11 of them aborted it.
    parts["xl/sharedStrings.xml"] = re.sub(rb'uniqueCount="\d+"', b'uniqueCount="102147483648"',
                                           sst)
    q = tmp_path / "sst.xlsx"
    with zipfile.ZipFile(q, "w") as z:
        for n, d in parts.items():
            z.writestr(n, d)
    exc = refused(q)
    assert exc.kind == "corrupt" and "sharedStrings.xml" in exc.message


def test_xls_dimensions_first_after_last_is_refused(tmp_path: Path) -> None:
    import struct

    data = bytearray((DATA / "loader-sample.xls").read_bytes())
    # DIMENSIONS (0x0200, 14 bytes): first row, last row + 1 (u32), first col, last col + 1.
    i = bytes(data).find(b"\x00\x02\x0e\x00")
    r1, r2, c1, c2 = struct.unpack_from("<IIHH", data, i + 4)
    assert r1 <= r2 and c1 <= c2
    struct.pack_into("<I", data, i + 4, 0xFFFF)  # first row after the last: calamine overflowed
    p = tmp_path / "dim.xls"
    p.write_bytes(bytes(data))
    exc = refused(p)
    assert exc.kind in ("corrupt", "too-many-cells")


def test_a_panic_inside_calamine_prints_nothing_but_our_message(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    data = bytearray((DATA / "loader-sample.xls").read_bytes())
    data[3159] = 240  # a sheet offset far outside the stream: calamine panics (slice index)
    p = tmp_path / "panic.xls"
    p.write_bytes(bytes(data))
    exc = refused(p)
    assert exc.kind == "corrupt" and "panic.xls" in exc.message
    err = capfd.readouterr().err
    assert "panicked" not in err and "thread" not in err


def test_ods_repeated_value_cells_are_bounded(tmp_path: Path) -> None:
    src = DATA / "loader-sample.ods"
    with zipfile.ZipFile(src) as z:
        infos = z.infolist()
        parts = {i.filename: z.read(i.filename) for i in infos}
    content = parts["content.xml"]
    # One value cell repeated 16,384 columns on a row repeated 100,000 times: calamine would
    # expand 1.6 billion cells.
    bomb = (b'<table:table-row table:number-rows-repeated="100000"><table:table-cell '
            b'table:number-columns-repeated="16384" office:value-type="float" office:value="1">'
            b"<text:p>1</text:p></table:table-cell></table:table-row>")
    end = content.index(b"</table:table>")
    parts["content.xml"] = content[:end] + bomb + content[end:]
    q = tmp_path / "bom.ods"
    with zipfile.ZipFile(q, "w") as z:
        for info in infos:
            method = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            z.writestr(info.filename, parts[info.filename], method)
    exc = refused(q)
    assert exc.kind == "too-many-cells" and "Khoa Nội" in exc.message


# --- through the command line --------------------------------------------------------------


def test_score_on_a_web_page_export_exits_4_with_the_message(
    tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    p = tmp_path / "xuat-HIS.xls"
    p.write_text("<html><body><table><tr><td>Mã NV</td></tr></table></body></html>", "utf-8")
    result = run_cli("score", p, "--period", "2026-Q4")
    assert result.exit_code == 4
    err = " ".join(result.stderr.split())
    assert "xuat-HIS.xls" in err and "trang web (HTML)" in err and "Save As" in err
    assert "Traceback" not in result.stderr


def test_text_struck_through_in_edit_mode(tmp_path: Path) -> None:
    # Striking the text while editing the cell stores rich text in the shared strings.
    sst = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst {NS} count="4" uniqueCount="4">'
        "<si><t>Nguyễn Văn An</t></si>"
        '<si><r><rPr><strike/><sz val="11"/></rPr><t>Lê Văn Cường</t></r></si>'
        '<si><r><rPr><strike/></rPr><t>Trần</t></r><r><t xml:space="preserve"> Thị Bình</t></r></si>'
        '<si><r><rPr><strike val="0"/></rPr><t>Phạm Dung</t></r></si>'
        "</sst>"
    )
    rows = "".join(
        f'<row r="{r}"><c r="B{r}" t="s"><v>{i}</v></c></row>' for r, i in ((2, 0), (3, 1), (4, 2), (5, 3))
    )
    p = build_xlsx(tmp_path / "rich.xlsx", rows)
    with zipfile.ZipFile(p) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["xl/sharedStrings.xml"] = sst.encode()
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    q = tmp_path / "rich2.xlsx"
    with zipfile.ZipFile(q, "w") as z:
        for n, d in parts.items():
            z.writestr(n, d)
    s = load_workbook(q).sheets[0]
    assert [s.value(r, 2) for r in (2, 3, 4, 5)] == [
        "Nguyễn Văn An", "Lê Văn Cường", "Trần Thị Bình", "Phạm Dung"
    ]
    assert s.struck_cells == {(3, 2)}  # wholly struck; a partly struck name is not reported


def test_sheets_parse_one_ahead_and_the_thread_always_ends() -> None:
    """load_workbook's second thread (calamine parses while Python converts): sheets come in
    order; a sheet that fails raises for that sheet, after the ones before; closing early
    (an error while converting) stops the thread and waits for it."""
    import threading

    from thidua_cli.io import workbook as wbmod
    from thidua_cli.io.raw import RawSheet
    from thidua_cli.io.sniff import UnreadableFileError

    class FakeBook:
        def __init__(self, bad: int | None) -> None:
            self.bad, self.parsed = bad, []

        def get_sheet_by_index(self, i: int) -> str:
            if i == self.bad:
                raise ValueError("hỏng")
            self.parsed.append(i)
            return f"sheet{i}"

    sheets = [RawSheet(name=f"S{i}") for i in range(5)]
    ran: list[str] = []
    book = FakeBook(None)
    got = list(wbmod._parse_sheets(book, [0, 1, 2, 3, 4], sheets, "a.xlsx", "xlsx",
                                   [lambda: ran.append("facts")]))
    assert got == ["sheet0", "sheet1", "sheet2", "sheet3", "sheet4"] and ran == ["facts"]
    assert not any(t.name == "calamine" for t in threading.enumerate())

    book = FakeBook(2)
    gen = wbmod._parse_sheets(book, [0, 1, 2, 3, 4], sheets, "a.xlsx", "xlsx", [lambda: None])
    assert [next(gen), next(gen)] == ["sheet0", "sheet1"]
    with pytest.raises(UnreadableFileError) as err:
        next(gen)
    assert "S2" in err.value.message and 3 not in book.parsed  # nothing parsed after the bad one
    assert not any(t.name == "calamine" for t in threading.enumerate())

    book = FakeBook(None)
    gen = wbmod._parse_sheets(book, [0, 1, 2, 3, 4], sheets, "a.xlsx", "xlsx", [lambda: None])
    assert next(gen) == "sheet0"
    gen.close()  # the caller failed converting sheet 0
    assert not any(t.name == "calamine" for t in threading.enumerate())
    assert len(book.parsed) <= 3  # the thread stopped, at most a sheet ahead of the queue


def test_stderr_is_given_back_when_threads_hold_it_together(tmp_path: Path) -> None:
    """The calamine thread and the main thread hold fd 2 at overlapping times: whatever the
    order they leave in, fd 2 is the original again afterwards and what was written is kept
    (a race here once sent every later message of the run into a deleted temporary file)."""
    import os
    import threading

    from thidua_cli.io import workbook as wbmod

    target = tmp_path / "stderr.txt"
    with open(target, "wb") as out:
        saved = os.dup(2)
        os.dup2(out.fileno(), 2)
        try:
            first_in = threading.Event()
            main_in = threading.Event()

            def worker() -> None:
                with wbmod._native_stderr_held():
                    first_in.set()
                    main_in.wait(5)
                    os.write(2, b"worker\n")
                # leaves first, while the main thread still holds fd 2

            t = threading.Thread(target=worker)
            t.start()
            first_in.wait(5)
            with wbmod._native_stderr_held():
                main_in.set()
                t.join(5)
                os.write(2, b"main\n")
            os.write(2, b"after\n")
        finally:
            os.dup2(saved, 2)
            os.close(saved)
    assert target.read_bytes().splitlines() == [b"worker", b"main", b"after"]
