"""io/annotate: the marked copy, read back with openpyxl (fills, comments, hyperlinks, what is
kept of the department's workbook), atomic and never overwriting."""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font

from thidua_cli.errors import OutputExistsError
from thidua_cli.io import annotate
from thidua_cli.io.annotate import (
    ERROR_FILL,
    SUMMARY_TITLE,
    WARNING_FILL,
    annotate_workbook,
    annotated_path,
)
from thidua_cli.io.atomic import OutputWriteError
from thidua_cli.io.raw import RawSheet, RawWorkbook
from thidua_cli.issues import make_issue
from thidua_cli.model import Severity


def _department(tmp_path: Path, name: str = "khoa-noi.xlsx", sheet: str = "Khoa Nội") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws["A1"] = "BẢNG ĐIỂM QUÝ IV NĂM 2026"
    ws.merge_cells("A1:H1")
    ws["A1"].font = Font(bold=True, size=14)
    for c, h in enumerate(["STT", "Mã NV", "Họ và tên", "CS1", "CS2", "CM1", "Tổng", "Xếp loại"],
                          start=1):
        ws.cell(row=4, column=c, value=h).font = Font(bold=True)
    for i in range(8):
        r = 5 + i
        ws.cell(row=r, column=1, value=i + 1)
        ws.cell(row=r, column=2, value=f"NV{i:03d}")
        ws.cell(row=r, column=3, value=f"Người {i}")
        ws.cell(row=r, column=4, value=8)
        ws.cell(row=r, column=5, value=9)
        ws.cell(row=r, column=6, value=12)
        ws.cell(row=r, column=7, value=f"=SUM(D{r}:F{r})")
    ws["C6"].comment = Comment("Chuyển từ khoa Ngoại", "Trưởng khoa")
    ws.column_dimensions["C"].width = 33
    ws["F7"].number_format = "0.0"
    ws.row_dimensions[9].hidden = True
    path = tmp_path / name
    wb.save(path)
    return path


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _issues(file: str, sheet: str = "Khoa Nội") -> list:
    return [
        make_issue("above-maximum", file=file, sheet=sheet, row=7, column="F", header="CM1",
                   value=17, max_points="15"),
        make_issue("number-stored-as-text", file=file, sheet=sheet, row=7, column="F",
                   header="CM1", value="17", number="17"),
        make_issue("total-mismatch", file=file, sheet=sheet, row=8, column="G", header="Tổng",
                   value=20, computed="29"),
        make_issue("hidden-row-with-data", file=file, sheet=sheet, row=9,
                   counted="vẫn được tính"),
        make_issue("legacy-encoding", file=file, sheet=sheet, row=6, column="C",
                   header="Họ và tên", value="Hä vµ tªn", encoding="TCVN3", font=".VnTime",
                   converted="Họ và tên"),
        make_issue("hidden-sheet", file=file, sheet=sheet, state="ẩn", counted="vẫn đọc"),
        make_issue("department-not-submitted", department="Khoa Sản"),
    ]


def _color(cell) -> str:
    return (cell.fill.fgColor.rgb or "")[-6:]


def test_marked_copy_fills_comments_and_links(tmp_path: Path) -> None:
    src = _department(tmp_path)
    before = _sha(src)
    result = annotate_workbook(src, _issues(str(src)))
    assert _sha(src) == before  # the original is never modified
    assert result.path == tmp_path / "khoa-noi.kiem-tra.xlsx" == annotated_path(src)
    assert result.values_only is False and result.note is None
    assert result.marked_cells == 4 and result.findings == 7

    wb = load_workbook(result.path)
    assert wb.sheetnames == [SUMMARY_TITLE, "Khoa Nội"]
    assert wb.active.title == SUMMARY_TITLE
    ws = wb["Khoa Nội"]
    # an error and a warning on F7: red, one comment with both, the error first
    assert _color(ws["F7"]) == ERROR_FILL
    text = ws["F7"].comment.text
    assert text.startswith("Lỗi [above-maximum]: Điểm \"CM1\" là 17, vượt điểm tối đa 15.")
    assert "\n\nCảnh báo [number-stored-as-text]:" in text
    assert ws["F7"].comment.author == "thidua"
    assert _color(ws["G8"]) == WARNING_FILL
    assert "Tổng trên sheet là 20 nhưng tính lại được 29" in ws["G8"].comment.text
    # a whole-row finding marks column A of the row
    assert _color(ws["A9"]) == WARNING_FILL
    assert ws["A9"].comment.text.startswith("Cảnh báo [hidden-row-with-data]: Dòng 9 bị ẩn")
    # the department's own comment is kept under ours
    assert ws["C6"].comment.text.endswith("— Ghi chú có sẵn trong ô: Chuyển từ khoa Ngoại")
    assert "[legacy-encoding]" in ws["C6"].comment.text
    # cells without findings are untouched
    assert ws["F6"].fill.fill_type is None and ws["F6"].comment is None

    # the department's layout, formatting and formulas are kept
    assert ws["G5"].value == "=SUM(D5:F5)"
    assert ws["A1"].font.bold and ws["A1"].font.size == 14
    assert [str(r) for r in ws.merged_cells.ranges] == ["A1:H1"]
    assert ws.column_dimensions["C"].width == 33
    assert ws["F7"].number_format == "0.0"
    assert ws.row_dimensions[9].hidden

    summary = wb[SUMMARY_TITLE]
    assert summary["A1"].value == "KẾT QUẢ KIỂM TRA TỆP khoa-noi.xlsx"
    assert summary["A2"].value.startswith("1 lỗi phải sửa, 6 cảnh báo.")
    header = [c.value for c in summary[4]]
    assert header == ["STT", "Mức", "Mã", "Sheet", "Ô", "Cột", "Giá trị", "Nội dung"]
    rows = [[c.value for c in row] for row in summary.iter_rows(min_row=5)]
    # errors first, then by sheet (a finding without a sheet first), row and column
    assert [r[2] for r in rows] == [
        "above-maximum", "department-not-submitted", "hidden-sheet", "legacy-encoding",
        "number-stored-as-text", "total-mismatch", "hidden-row-with-data"]
    assert rows[0][:7] == [1, "Lỗi", "above-maximum", "Khoa Nội", "F7", "F – CM1", "17"]
    links = {r[2]: summary.cell(row=5 + i, column=5).hyperlink for i, r in enumerate(rows)}
    assert links["above-maximum"].location == "'Khoa Nội'!F7"
    assert links["total-mismatch"].location == "'Khoa Nội'!G8"
    assert links["hidden-row-with-data"].location == "'Khoa Nội'!A9"
    assert links["hidden-sheet"].location == "'Khoa Nội'!A1"
    assert links["department-not-submitted"] is None  # no sheet to go to
    assert _color(summary["B5"]) == ERROR_FILL
    assert summary.freeze_panes == "A5"


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    src = _department(tmp_path)
    target = annotated_path(src)
    target.write_bytes(b"cu")
    with pytest.raises(OutputExistsError, match="--force"):
        annotate_workbook(src, _issues(str(src)))
    assert target.read_bytes() == b"cu"
    annotate_workbook(src, _issues(str(src)), force=True)
    assert load_workbook(target).sheetnames[0] == SUMMARY_TITLE


def test_a_failure_while_saving_leaves_no_file(tmp_path: Path, monkeypatch) -> None:
    src = _department(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())

    def broken_save(self, filename):  # writes half a file, then fails
        Path(filename).write_bytes(b"PK\x03\x04half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Workbook, "save", broken_save)
    with pytest.raises(OutputWriteError, match=r"Không ghi được .*No space left on device"):
        annotate_workbook(src, _issues(str(src)))
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_text_from_sheets_never_becomes_a_formula(tmp_path: Path) -> None:
    src = _department(tmp_path)
    evil = '=HYPERLINK("http://x","bấm")'
    issues = [make_issue("not-a-number", file=str(src), sheet="Khoa Nội", row=5, column="D",
                         header="CS1", value=evil + "\x01")]
    out = annotate_workbook(src, issues).path
    summary = load_workbook(out)[SUMMARY_TITLE]
    value_cell = summary["G5"]
    assert value_cell.value == evil and value_cell.data_type == "s"
    assert value_cell.quotePrefix
    assert summary["H5"].data_type == "s"


def test_summary_values_read_as_in_the_findings_table(tmp_path: Path) -> None:
    """The "Giá trị" column shows a value exactly as ``thidua validate`` prints it
    (``issues.display_value``): 1500 typed for 15,00 stays "1500", never "1.500"."""
    from datetime import datetime

    from thidua_cli.issues import display_value

    src = _department(tmp_path)
    when = datetime(2026, 1, 5, 7, 30)
    issues = [
        make_issue("above-maximum", file=str(src), sheet="Khoa Nội", row=5, column="D",
                   header="CS1", value=1500, max_points="10"),
        make_issue("invalid-date", file=str(src), sheet="Khoa Nội", row=6, column="D",
                   header="CS1", value=when),
        make_issue("not-a-number", file=str(src), sheet="Khoa Nội", row=7, column="D",
                   header="CS1", value="x" * 5000),
    ]
    summary = load_workbook(annotate_workbook(src, issues).path)[SUMMARY_TITLE]
    shown = [summary.cell(row=r, column=7).value for r in (5, 6, 7)]
    assert shown[0] == "1500" == display_value(1500)
    assert shown[1] == "05/01/2026 07:30" == display_value(when)
    assert shown[2] == "x" * 999 + "…"  # a long text is cut for the summary only


def test_nfd_sheet_names_and_merged_cells(tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "Khoa Nội")
    src = _department(tmp_path, sheet=nfd)
    wb = load_workbook(src)
    wb[nfd].merge_cells("D10:F10")
    wb.save(src)
    issues = [make_issue("not-a-number", file=str(src), sheet="Khoa Nội", row=10, column="E",
                         header="CS2", value="x")]
    out = annotate_workbook(src, issues).path
    wb = load_workbook(out)
    ws = wb[nfd]
    assert _color(ws["D10"]) == ERROR_FILL  # the top-left cell of the merged range
    link = wb[SUMMARY_TITLE]["E5"].hyperlink
    assert link.location == f"'{nfd}'!E10"


def test_values_only_copy_for_xls_and_ods(tmp_path: Path) -> None:
    src = tmp_path / "khoa-duoc.xls"
    src.write_bytes(b"\xd0\xcf\x11\xe0 not really read: values come from the raw workbook")
    raw = RawWorkbook(path=str(src), format="xls", sha256="0" * 64, sheets=[
        RawSheet(name="Khoa Dược", rows=[["Mã NV", "Họ và tên", "CS1"], ["D01", "An", "=1+1"],
                                         ["D02", "Bình", 12.5]]),
        RawSheet(name="Ẩn", visibility="hidden", rows=[["x"]]),
        RawSheet(name="Biểu đồ", kind="chartsheet"),
    ])
    issues = [make_issue("above-maximum", file=str(src), sheet="Khoa Dược", row=3, column="C",
                         header="CS1", value=12.5, max_points="10")]
    result = annotate_workbook(src, issues, raw=raw)
    assert result.values_only and "Excel 97-2003 (.xls)" in (result.note or "")
    assert result.path.name == "khoa-duoc.kiem-tra.xlsx"
    wb = load_workbook(result.path)
    assert wb.sheetnames == [SUMMARY_TITLE, "Khoa Dược", "Ẩn"]
    ws = wb["Khoa Dược"]
    assert ws["B2"].value == "An" and ws["C3"].value == 12.5
    assert ws["C2"].value == "=1+1" and ws["C2"].data_type == "s"  # text, not a formula
    assert _color(ws["C3"]) == ERROR_FILL
    assert wb["Ẩn"].sheet_state == "hidden"
    assert wb[SUMMARY_TITLE]["A3"].value.startswith("Lưu ý: Tệp gốc là Excel 97-2003 (.xls)")


def test_a_file_without_findings_still_gets_its_summary(tmp_path: Path) -> None:
    src = _department(tmp_path)
    out = annotate_workbook(src, []).path
    summary = load_workbook(out)[SUMMARY_TITLE]
    assert summary["A2"].value == "Không có lỗi hay cảnh báo nào."
    assert summary.max_row == 4


def test_findings_pointing_outside_the_sheet_are_listed_not_marked(tmp_path: Path) -> None:
    src = _department(tmp_path)
    issues = [
        make_issue("not-a-number", file=str(src), sheet="Không có", row=3, column="B", value=1),
        make_issue("not-a-number", file=str(src), sheet="Khoa Nội", row=3, column="ZZZZ",
                   value=1),
    ]
    result = annotate_workbook(src, issues)
    assert result.marked_cells == 0
    summary = load_workbook(result.path)[SUMMARY_TITLE]
    assert [summary.cell(row=r, column=3).value for r in (5, 6)] == ["not-a-number"] * 2


def test_the_summary_sheet_title_never_clashes(tmp_path: Path) -> None:
    src = _department(tmp_path)
    first = annotate_workbook(src, _issues(str(src))).path
    again = annotate_workbook(first, [], tmp_path / "lan-2.xlsx").path
    assert load_workbook(again).sheetnames[:2] == [f"{SUMMARY_TITLE} (2)", SUMMARY_TITLE]


def test_comment_text_orders_errors_first() -> None:
    issues = [
        make_issue("number-stored-as-text", value="8", number="8"),
        make_issue("not-a-number", header="CS1", value="x"),
    ]
    text = annotate.comment_text(issues)
    assert text.split("\n\n")[0].startswith("Lỗi [not-a-number]")
    assert issues[0].severity is Severity.WARNING
