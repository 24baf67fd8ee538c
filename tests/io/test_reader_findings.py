"""io/reader: every finding code the reader emits, each from a sheet with exactly that problem,
checked for its code, severity, cell (sheet!F12) and Vietnamese message.

Layout of DEPT_HEADER: A STT, B Mã NV, C Họ và tên, D CS1, E CS2, F CM1, G CM2, H CM3, I TD1,
J TD2, K HT1, L PT1, M Điểm cộng, N Điểm trừ.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from helpers import (
    CRITERION_CODES,
    DEPT_HEADER,
    FULL_MARKS,
    issues_of,
    only_issue,
    person_row,
    raw_from_xlsx,
    read_sheets,
    write_xlsx,
)
from thidua_cli.io.raw import RawSheet, RawWorkbook
from thidua_cli.io.reader import read_dataset
from thidua_cli.model import Period, PeriodKind, Regulation, Severity

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


def wb(path: str, *sheets: RawSheet) -> RawWorkbook:
    return RawWorkbook(path=path, format="xlsx", sha256="0" * 64, sheets=list(sheets))


def dept(name: str, *rows: list[object], **facts: object) -> RawSheet:
    return RawSheet(name, rows=[DEPT_HEADER, *rows], **facts)  # type: ignore[arg-type]


def check(issue: object, code: str, severity: Severity, location: str, message: str) -> None:
    assert issue.code == code  # type: ignore[attr-defined]
    assert issue.severity is severity  # type: ignore[attr-defined]
    assert issue.location == location  # type: ignore[attr-defined]
    assert issue.message == message  # type: ignore[attr-defined]


# --------------------------------------------------------------------------------------------
# Sheets
# --------------------------------------------------------------------------------------------


def test_no_header_found_is_a_warning_when_another_sheet_has_data(regulation: Regulation) -> None:
    notes = RawSheet("Ghi chú", rows=[["Hướng dẫn nhập điểm"], ["Cột A", "Cột B"]])
    ds = read_dataset([wb("a.xlsx", notes, dept("Khoa Nhi", person_row(1, "A", "An")))],
                      regulation)
    check(only_issue(ds, "no-header-found"), "no-header-found", W, "Ghi chú",
          "Không tìm thấy dòng tiêu đề trong 30 dòng đầu của sheet. Các tiêu đề tìm thấy: "
          "\"Cột A\", \"Cột B\". Cần có ít nhất các cột: Mã NV, Họ và tên. Hãy thêm một dòng "
          "tiêu đề có các cột đó.")
    assert issues_of(ds, "no-data") == []
    assert ds.sheets[0].status == "skipped" and len(ds.people) == 1


def test_no_header_anywhere_is_an_error_and_no_data(regulation: Regulation) -> None:
    sheet = RawSheet("Sheet1", rows=[["Danh sách"], ["Tên", "Điểm"], ["An", 90]])
    ds = read_dataset([wb("a.xlsx", sheet)], regulation)
    assert [i.code for i in ds.report.issues] == ["no-header-found", "no-data"]
    assert ds.report.issues[0].severity is E
    assert "\"Tên\", \"Điểm\"" in ds.report.issues[0].message
    no_data = ds.report.issues[1]
    check(no_data, "no-data", E, "",
          "Không có sheet nào chứa danh sách nhân viên có thể đọc được. Các sheet đã xem: "
          "\"Sheet1\" (bỏ qua).")
    assert no_data.file == "a.xlsx" and not ds.report.valid


def test_empty_sheet(regulation: Regulation) -> None:
    ds = read_dataset([wb("a.xlsx", RawSheet("Sheet2", rows=[[], ["", " "]]),
                          dept("Khoa Nhi", person_row(1, "A", "An")))], regulation)
    check(only_issue(ds, "empty-sheet"), "empty-sheet", W, "Sheet2",
          "Sheet không có dữ liệu; đã bỏ qua.")
    assert ds.sheets[0].status == "empty"


def test_header_without_people_is_an_empty_sheet_and_no_data(regulation: Regulation) -> None:
    ds = read_dataset([wb("a.xlsx", dept("Khoa Nhi", [1], [2], [3]))], regulation)
    assert [(i.code, i.location) for i in ds.report.issues] == [
        ("empty-sheet", "Khoa Nhi!2:2"), ("no-data", "")]


def test_hidden_sheet_is_read_and_reported(regulation: Regulation) -> None:
    hidden = dept("Khoa Ẩn", person_row(1, "H", "Ẩn Danh"))
    hidden.visibility = "hidden"
    very = dept("Khoa Sâu", person_row(1, "V", "Rất Ẩn"))
    very.visibility = "veryHidden"
    ds = read_dataset([wb("a.xlsx", hidden, very)], regulation)
    first, second = issues_of(ds, "hidden-sheet")
    check(first, "hidden-sheet", W, "Khoa Ẩn",
          "Sheet đang bị ẩn (ẩn); dữ liệu của nó vẫn được đọc và tính như các sheet khác. Hãy bỏ "
          "ẩn (chuột phải vào tên sheet → Unhide) để kiểm tra.")
    assert "(ẩn sâu – veryHidden)" in second.message
    assert [p.staff_id for p in ds.people] == ["H", "V"]
    assert [s.status for s in ds.sheets] == ["hidden", "hidden"]


def test_hidden_sheet_from_a_real_file(tmp_path: Path) -> None:
    ds = read_sheets(tmp_path, {"Khoa Nhi": [DEPT_HEADER, person_row(1, "A", "An")],
                                "Cũ": [DEPT_HEADER, person_row(1, "B", "Bình")]},
                     hidden_sheets=["Cũ"])
    assert only_issue(ds, "hidden-sheet").sheet == "Cũ" and len(ds.people) == 2


def test_chart_only_sheet(regulation: Regulation) -> None:
    chart = RawSheet("Biểu đồ", kind="chartsheet")
    ds = read_dataset([wb("a.xlsx", dept("Khoa Nhi", person_row(1, "A", "An")), chart)],
                      regulation)
    check(only_issue(ds, "chart-only-sheet"), "chart-only-sheet", W, "Biểu đồ",
          "Sheet là biểu đồ, không có bảng dữ liệu; đã bỏ qua.")
    assert ds.sheets[1].status == "skipped"


def test_department_submitted_twice_across_files(regulation: Regulation) -> None:
    a = wb("khoa-nhi.xlsx", dept("Khoa Nhi", person_row(1, "A", "An")))
    b = wb("khoa-nhi-sua.xlsx", dept("Khoa  Nhi", person_row(1, "B", "Bình")))
    ds = read_dataset([a, b], regulation)
    issue = only_issue(ds, "department-submitted-twice")
    check(issue, "department-submitted-twice", E, "Khoa  Nhi",
          "Khoa/phòng \"Khoa Nhi\" có dữ liệu ở cả sheet \"Khoa Nhi\" (tệp khoa-nhi.xlsx) và "
          "sheet \"Khoa  Nhi\" (tệp khoa-nhi-sua.xlsx). Hãy giữ lại một bản.")
    assert issue.file == "khoa-nhi-sua.xlsx"


def test_department_in_a_combined_sheet_and_its_own_sheet(regulation: Regulation) -> None:
    combined = RawSheet("Tổng hợp", rows=[["Mã NV", "Họ và tên", "Khoa", *CRITERION_CODES],
                                          ["A", "An", "Khoa Nhi", *FULL_MARKS]])
    ds = read_dataset([wb("a.xlsx", combined, dept("Khoa Nhi", person_row(1, "B", "Bình")))],
                      regulation)
    assert only_issue(ds, "department-submitted-twice").message == (
        "Khoa/phòng \"Khoa Nhi\" có dữ liệu ở cả sheet \"Tổng hợp\" và sheet \"Khoa Nhi\". "
        "Hãy giữ lại một bản.")


def test_unknown_department_with_a_suggestion(regulation: Regulation) -> None:
    reg = replace(regulation, organisation=replace(regulation.organisation,
                                                   departments=("Khoa Nội", "Khoa Nhi")))
    combined = RawSheet("Tổng hợp", rows=[["Mã NV", "Họ và tên", "Khoa", *CRITERION_CODES],
                                          ["A", "An", "Khoa Nhii", *FULL_MARKS],
                                          ["B", "Bình", "Khoa Nhii", *FULL_MARKS]])
    ds = read_dataset([wb("a.xlsx", combined)], reg)
    check(only_issue(ds, "unknown-department"), "unknown-department", W, "Tổng hợp!C2",
          "\"Khoa Nhii\" không có trong danh sách khoa/phòng của quy chế. Có phải là "
          "\"Khoa Nhi\"?")
    assert [p.department for p in ds.people] == ["Khoa Nhii", "Khoa Nhii"]  # never auto-matched


def test_unknown_department_from_a_sheet_name(regulation: Regulation) -> None:
    reg = replace(regulation, organisation=replace(regulation.organisation,
                                                   departments=("Khoa Nội",)))
    ds = read_dataset([wb("a.xlsx", dept("Phòng Vật tư", person_row(1, "A", "An")))], reg)
    check(only_issue(ds, "unknown-department"), "unknown-department", W, "Phòng Vật tư",
          "\"Phòng Vật tư\" không có trong danh sách khoa/phòng của quy chế.")


# --------------------------------------------------------------------------------------------
# Columns
# --------------------------------------------------------------------------------------------


def test_missing_column_department_on_a_generic_sheet(regulation: Regulation) -> None:
    ds = read_dataset([wb("a.xlsx", dept("Sheet1", person_row(1, "A", "An")))], regulation)
    check(only_issue(ds, "missing-column"), "missing-column", E, "Sheet1!1:1",
          "Thiếu cột \"Khoa/Phòng (sheet \"Sheet1\" không mang tên một khoa/phòng)\". Hãy thêm "
          "cột này vào dòng tiêu đề (dòng 1).")
    assert ds.people == [] and ds.sheets[0].status == "skipped"


def test_missing_column_staff_id_in_a_clear_header(regulation: Regulation) -> None:
    sheet = RawSheet("Khoa Nhi", rows=[["STT", "Họ và tên", *CRITERION_CODES],
                                       [1, "An", *FULL_MARKS]])
    ds = read_dataset([wb("a.xlsx", sheet)], regulation)
    check(only_issue(ds, "missing-column"), "missing-column", E, "Khoa Nhi!1:1",
          "Thiếu cột \"Mã NV\". Hãy thêm cột này vào dòng tiêu đề (dòng 1).")
    assert issues_of(ds, "no-header-found") == [] and ds.people == []


def test_missing_criterion_column(regulation: Regulation) -> None:
    header = [c for c in DEPT_HEADER if c != "TD2"]
    sheet = RawSheet("Khoa Nhi", rows=[header, [1, "A", "An", *[9] * 8]])
    ds = read_dataset([wb("a.xlsx", sheet)], regulation)
    check(only_issue(ds, "missing-criterion-column"), "missing-criterion-column", E,
          "Khoa Nhi!1:1",
          "Thiếu cột điểm của tiêu chí TD2 – Sự hài lòng của người bệnh (tối đa 10 điểm). Hãy "
          "thêm cột có tiêu đề là mã hoặc tên tiêu chí.")


def test_unknown_column_with_suggestion_and_known_columns_quiet(regulation: Regulation) -> None:
    header = [*DEPT_HEADER, "Ghi chú", "Tổng điểm", "Xếp loại", "Diem congg", "Số điện thoại"]
    sheet = RawSheet("Khoa Nhi", rows=[header, [*person_row(1, "A", "An"), "", 81, "B", 1, "0"]])
    ds = read_dataset([wb("a.xlsx", sheet)], regulation)
    found = issues_of(ds, "unknown-column")
    assert [(i.location, i.severity) for i in found] == [("Khoa Nhi!R1", W), ("Khoa Nhi!S1", W)]
    assert found[0].message == ("Không nhận ra cột \"Diem congg\"; cột này bị bỏ qua. Có phải "
                                "ý bạn là \"Điểm cộng\"?")
    assert found[1].message == "Không nhận ra cột \"Số điện thoại\"; cột này bị bỏ qua."
    assert ds.people[0].bonus == 0.0  # a suggestion is never an automatic match


def test_duplicate_column(regulation: Regulation) -> None:
    header = [*DEPT_HEADER, "Khối lượng, tiến độ công việc"]  # CM1 again, by its name
    sheet = RawSheet("Khoa Nhi", rows=[header, [*person_row(1, "A", "An"), 1]])
    ds = read_dataset([wb("a.xlsx", sheet)], regulation)
    check(only_issue(ds, "duplicate-column"), "duplicate-column", E, "Khoa Nhi!O1",
          "Cột \"Khối lượng, tiến độ công việc\" xuất hiện hai lần (cột F và cột O). Hãy xoá "
          "hoặc đổi tên một cột.")
    assert ds.people[0].scores["CM1"] == 9.0  # the first column counts


def test_criterion_not_in_regulation(regulation: Regulation) -> None:
    header = [*DEPT_HEADER, "CM4 - Nghiên cứu khoa học (5đ)", "Chất lượng chuyên môn cao (15đ)",
              "Ghi chú thêm"]
    sheet = RawSheet("Khoa Nhi", rows=[header, [*person_row(1, "A", "An"), 5, 1, ""]])
    ds = read_dataset([wb("a.xlsx", sheet)], regulation)
    first, second = issues_of(ds, "criterion-not-in-regulation")
    check(first, "criterion-not-in-regulation", W, "Khoa Nhi!O1",
          "Cột \"CM4 - Nghiên cứu khoa học (5đ)\" giống một cột tiêu chí nhưng không có tiêu chí "
          "này trong quy chế; cột bị bỏ qua.")
    check(second, "criterion-not-in-regulation", W, "Khoa Nhi!P1",
          "Cột \"Chất lượng chuyên môn cao (15đ)\" giống một cột tiêu chí nhưng không có tiêu chí "
          "này trong quy chế; cột bị bỏ qua. Có phải là tiêu chí \"CM2 – Chất lượng chuyên "
          "môn\"?")
    assert only_issue(ds, "unknown-column").cell == "Q1"


def test_criterion_max_differs(regulation: Regulation) -> None:
    header = [*DEPT_HEADER]
    header[5] = "CM1 (20 điểm)"
    sheet = RawSheet("Khoa Nhi", rows=[header, person_row(1, "A", "An")])
    ds = read_dataset([wb("a.xlsx", sheet)], regulation)
    check(only_issue(ds, "criterion-max-differs"), "criterion-max-differs", W, "Khoa Nhi!F1",
          "Tiêu đề \"CM1 (20 điểm)\" ghi tối đa 20 điểm nhưng tiêu chí CM1 – Khối lượng, tiến độ "
          "công việc tối đa 15 điểm theo quy chế; điểm được kiểm tra theo 15 điểm.")


def test_merged_header_over_two_columns(tmp_path: Path) -> None:
    header = [*DEPT_HEADER, "Ghi chú", ""]
    ds = read_sheets(tmp_path, {"Khoa Nhi": [header, [*person_row(1, "A", "An"), "a", "b"]]},
                     merged={"Khoa Nhi": ["O1:P1"]})
    check(only_issue(ds, "merged-header"), "merged-header", INFO, "Khoa Nhi!O1",
          "Tiêu đề \"Ghi chú\" gộp nhiều ô; đã đọc theo ô đầu tiên.")
    assert ds.people[0].note == "a"


def test_level_column_without_a_criterion(regulation: Regulation) -> None:
    rows = [["Mã NV", "Họ và tên", *CRITERION_CODES, ""], ["", "", *[""] * 9, "Khoa chấm"],
            ["A", "An", *FULL_MARKS, 3]]
    ds = read_dataset([wb("a.xlsx", RawSheet("Khoa Nhi", rows=rows))], regulation)
    issue = only_issue(ds, "unknown-column")
    assert issue.location == "Khoa Nhi!L2" and "Hãy ghi tên tiêu chí ở ô phía trên." in issue.message


# --------------------------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------------------------


def test_missing_staff_id(regulation: Regulation) -> None:
    ds = read_dataset([wb("a.xlsx", dept("Khoa Nhi", person_row(1, "", "An")))], regulation)
    check(only_issue(ds, "missing-staff-id"), "missing-staff-id", E, "Khoa Nhi!B2",
          "Dòng có dữ liệu nhưng không có mã nhân viên. Hãy điền mã nhân viên.")
    assert ds.people == []


def test_missing_name(regulation: Regulation) -> None:
    ds = read_dataset([wb("a.xlsx", dept("Khoa Nhi", person_row(1, "A7", " ")))], regulation)
    check(only_issue(ds, "missing-name"), "missing-name", E, "Khoa Nhi!C2",
          "Dòng của mã nhân viên \"A7\" không có họ tên. Hãy điền họ và tên.")


def test_missing_department_in_a_combined_sheet(regulation: Regulation) -> None:
    sheet = RawSheet("Tổng hợp", rows=[["Mã NV", "Họ và tên", "Khoa/Phòng", *CRITERION_CODES],
                                       ["A", "An", "", *FULL_MARKS]])
    ds = read_dataset([wb("a.xlsx", sheet)], regulation)
    check(only_issue(ds, "missing-department"), "missing-department", E, "Tổng hợp!C2",
          "Dòng của mã nhân viên \"A\" không có khoa/phòng. Hãy điền cột Khoa/Phòng.")


def test_duplicate_staff_id_within_a_sheet(regulation: Regulation) -> None:
    ds = read_dataset([wb("a.xlsx", dept("Khoa Nhi", person_row(1, 2201, "An"),
                                         person_row(2, "2201", "Bình")))], regulation)
    check(only_issue(ds, "duplicate-staff-id"), "duplicate-staff-id", E, "Khoa Nhi!B3",
          "Mã nhân viên \"2201\" đã có ở Khoa Nhi!B2. Mỗi người chỉ được có một dòng.")
    assert [p.name for p in ds.people] == ["An"]


def test_duplicate_staff_id_across_sheets_and_files(regulation: Regulation) -> None:
    a = wb("a.xlsx", dept("Khoa Nhi", person_row(1, "NV1", "An")),
           dept("Khoa Sản", [], person_row(1, "nv1", "An")))
    b = wb("b.xlsx", dept("Khoa Mắt", person_row(1, "NV1", "Bình")))
    ds = read_dataset([a, b], regulation)
    first, second = issues_of(ds, "duplicate-staff-id")
    check(first, "duplicate-staff-id", E, "Khoa Sản!B3",
          "Mã nhân viên \"nv1\" đã có ở Khoa Nhi!B2. Mỗi người chỉ được có một dòng.")
    check(second, "duplicate-staff-id", E, "Khoa Mắt!B2",
          "Mã nhân viên \"NV1\" đã có ở Khoa Nhi!B2 (tệp a.xlsx). Mỗi người chỉ được có một dòng.")
    assert second.file == "b.xlsx"


def test_same_name_different_id_is_exact_never_accent_blind(regulation: Regulation) -> None:
    sheet = dept("Khoa Nhi", person_row(1, "A1", "Đỗ Văn An"), person_row(2, "A2", "Đỗ Văn Ân"),
                 person_row(3, "A3", "đỗ  văn an"))
    ds = read_dataset([wb("a.xlsx", sheet)], regulation)
    check(only_issue(ds, "same-name-different-id"), "same-name-different-id", W, "Khoa Nhi!C4",
          "\"đỗ văn an\" trùng họ tên với người ở Khoa Nhi!C2 (mã A1) nhưng khác mã nhân viên; "
          "hãy kiểm tra có phải hai người khác nhau.")
    assert len(ds.people) == 3


def test_same_name_warning_can_be_switched_off(regulation: Regulation) -> None:
    reg = replace(regulation, validation=replace(regulation.validation, same_name_warning=False))
    sheet = dept("Khoa Nhi", person_row(1, "A1", "Đỗ Văn An"), person_row(2, "A2", "Đỗ Văn An"))
    assert read_dataset([wb("a.xlsx", sheet)], reg).report.issues == []


def test_hidden_row_with_data(tmp_path: Path) -> None:
    ds = read_sheets(tmp_path, {"Khoa Nhi": [DEPT_HEADER, person_row(1, "A", "An"),
                                             person_row(2, "B", "Bình")]},
                     hidden_rows={"Khoa Nhi": [3]})
    check(only_issue(ds, "hidden-row-with-data"), "hidden-row-with-data", W, "Khoa Nhi!3:3",
          "Dòng 3 bị ẩn nhưng có dữ liệu; theo quy chế dòng này vẫn được tính.")


def test_hidden_empty_row_is_not_reported(tmp_path: Path) -> None:
    ds = read_sheets(tmp_path, {"Khoa Nhi": [DEPT_HEADER, person_row(1, "A", "An"), [],
                                             person_row(2, "B", "Bình")]},
                     hidden_rows={"Khoa Nhi": [3]})
    assert ds.report.issues == [] and len(ds.people) == 2


def test_strike_through_row(tmp_path: Path) -> None:
    ds = read_sheets(tmp_path, {"Khoa Nhi": [DEPT_HEADER, person_row(1, "A", "An"),
                                             person_row(2, "B", "Bình")]},
                     struck_cells={"Khoa Nhi": ["B3"]})
    check(only_issue(ds, "strike-through-row"), "strike-through-row", W, "Khoa Nhi!3:3",
          "Dòng 3 bị gạch ngang (thường là người đã nghỉ); theo quy chế dòng này không được "
          "tính (bỏ qua).")


# --------------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------------


def _scores(**changes: object) -> list[object]:
    values: list[object] = [9] * 9
    for code, v in changes.items():
        values[CRITERION_CODES.index(code)] = v
    return values


@pytest.mark.parametrize(
    ("value", "code", "severity", "cell", "message"),
    [
        ("chưa chấm", "not-a-number", E, "G2",
         "Ô \"CM2\" phải là số nhưng có giá trị \"chưa chấm\". Hãy nhập một số (ví dụ 8,5)."),
        (True, "not-a-number", E, "G2",
         "Ô \"CM2\" phải là số nhưng có giá trị \"TRUE\". Hãy nhập một số (ví dụ 8,5)."),
        (-1, "negative-score", E, "G2",
         "Điểm \"CM2\" là -1, không được âm. Điểm trừ ghi ở cột \"Điểm trừ\"."),
        (15.5, "above-maximum", E, "G2",
         "Điểm \"CM2\" là 15,5, vượt điểm tối đa 15. Hãy sửa lại."),
        (16, "above-maximum", E, "G2",
         "Điểm \"CM2\" là 16, vượt điểm tối đa 15. Hãy sửa lại."),
        ("1.500", "ambiguous-decimal", E, "G2",
         "\"1.500\" có thể là 1,5 hoặc 1500. Dùng dấu phẩy cho phần thập phân (ví dụ 1,5) và "
         "không dùng dấu chấm phân cách hàng nghìn."),
        ("8,5", "number-stored-as-text", W, "G2",
         "\"8,5\" là số nhưng được lưu dạng chữ (Excel bỏ qua khi cộng SUM); đã đọc là 8,5. Hãy "
         "đổi ô sang dạng số."),
        ("", "missing-score", E, "G2",
         "Tiêu chí CM2 – Chất lượng chuyên môn chưa có điểm: ô để trống. Hãy nhập điểm (nhập 0 "
         "nếu người này không đạt điểm nào ở tiêu chí này)."),
    ],
)
def test_score_cell_findings(regulation: Regulation, value: object, code: str,
                             severity: Severity, cell: str, message: str) -> None:
    sheet = dept("Khoa Nhi", person_row(1, "A", "An", _scores(CM2=value)))
    ds = read_dataset([wb("a.xlsx", sheet)], regulation)
    assert [i.code for i in ds.report.issues] == [code]
    check(ds.report.issues[0], code, severity, f"Khoa Nhi!{cell}", message)
    assert ds.report.issues[0].header == "CM2" and ds.report.issues[0].file == "a.xlsx"
    assert ds.report.issues[0].value == (None if value == "" else value)


def test_text_above_maximum_reports_both(regulation: Regulation) -> None:
    sheet = dept("Khoa Nhi", person_row(1, "A", "An", _scores(CS1="12")))
    ds = read_dataset([wb("a.xlsx", sheet)], regulation)
    assert [(i.code, i.cell) for i in ds.report.issues] == [
        ("number-stored-as-text", "D2"), ("above-maximum", "D2")]


def test_blank_counts_as_zero_when_the_regulation_says_so(regulation: Regulation) -> None:
    reg = replace(regulation,
                  validation=replace(regulation.validation, blank_score_is_zero=True))
    sheet = dept("Khoa Nhi", person_row(1, "A", "An", _scores(CM2="")))
    ds = read_dataset([wb("a.xlsx", sheet)], reg)
    assert ds.report.issues == [] and ds.people[0].scores["CM2"] == 0.0


def test_bonus_and_deduction_negative(regulation: Regulation) -> None:
    sheet = dept("Khoa Nhi", person_row(1, "A", "An", bonus=-2, deduction="-1"))
    ds = read_dataset([wb("a.xlsx", sheet)], regulation)
    found = issues_of(ds, "negative-score")
    assert [i.location for i in found] == ["Khoa Nhi!M2", "Khoa Nhi!N2"]
    assert found[0].message == ("Điểm \"Điểm cộng\" là -2, không được âm. Điểm trừ ghi ở cột "
                                "\"Điểm trừ\".")


def test_error_value_and_formula_without_value_from_a_real_file(tmp_path: Path) -> None:
    rows = [DEPT_HEADER, person_row(1, "A", "An", _scores(CS1="#DIV/0!")),
            person_row(2, "B", "Bình", deduction="=0.5*4")]
    path = write_xlsx(tmp_path, {"Khoa Nhi": rows}, formulas=True)
    raw = raw_from_xlsx(path)
    assert raw.sheets[0].errors == {(2, 4): "#DIV/0!"}
    from thidua_cli.io.reader import read_dataset as read

    ds = read([raw], _regulation())
    check(only_issue(ds, "error-value"), "error-value", E, "Khoa Nhi!D2",
          "Ô có giá trị lỗi #DIV/0!. Hãy sửa công thức hoặc nhập điểm trực tiếp.")
    check(only_issue(ds, "formula-without-value"), "formula-without-value", E, "Khoa Nhi!N3",
          "Ô có công thức (=0.5*4) nhưng không có giá trị đã tính: file được lưu bởi một chương "
          "trình không tính công thức. Hãy mở file bằng Excel rồi lưu lại.")


def _regulation() -> Regulation:
    from helpers import default_regulation

    return default_regulation()


def test_error_value_with_its_formula(regulation: Regulation) -> None:
    sheet = dept("Khoa Nhi", person_row(1, "A", "An", _scores(CS1="")),
                 errors={(2, 4): "#REF!"}, formulas_without_value={(2, 4): "=X9/0"})
    ds = read_dataset([wb("a.xlsx", sheet)], regulation)
    assert only_issue(ds, "error-value").message == (
        "Ô có giá trị lỗi #REF! (công thức =X9/0). Hãy sửa công thức hoặc nhập điểm trực tiếp.")


def test_errors_in_the_sheet_total_are_warnings(regulation: Regulation) -> None:
    header = [*DEPT_HEADER, "Tổng điểm"]
    sheet = RawSheet("Khoa Nhi", rows=[header, person_row(1, "A", "An")],
                     formulas_without_value={(2, 15): "=SUM(D2:L2)"})
    ds = read_dataset([wb("a.xlsx", sheet)], regulation)
    issue = only_issue(ds, "formula-without-value")
    assert issue.severity is W and issue.location == "Khoa Nhi!O2" and ds.report.valid


def _optional(header: str, value: object, regulation: Regulation,
              period: Period | None = None) -> tuple[object, list[object]]:
    sheet = RawSheet("Khoa Nhi", rows=[[*DEPT_HEADER, header],
                                       [*person_row(1, "A", "An"), value]])
    ds = read_dataset([wb("a.xlsx", sheet)], regulation, period=period)
    return ds, ds.report.issues


def test_invalid_date(regulation: Regulation) -> None:
    ds, _ = _optional("Ngày tuyển dụng", "31/02/2020", regulation)
    check(only_issue(ds, "invalid-date"), "invalid-date", E, "Khoa Nhi!O2",
          "\"31/02/2020\" không phải là ngày hợp lệ (dùng dạng ngày/tháng/năm, ví dụ 05/01/2024).")
    ds, _issues = _optional("Ngày tuyển dụng", 2020, regulation)
    assert only_issue(ds, "invalid-date").value == 2020  # a bare year is not a date serial


def test_mixed_date_format(regulation: Regulation) -> None:
    rows = [[*DEPT_HEADER, "Ngày tuyển dụng"],
            [*person_row(1, "A", "An"), datetime(2020, 3, 5)],
            [*person_row(2, "B", "Bình"), "25/12/2019"],
            [*person_row(3, "C", "Cúc"), datetime(2021, 7, 20)]]
    ds = read_dataset([wb("a.xlsx", RawSheet("Khoa Nhi", rows=rows))], regulation)
    # Only the real date whose day ≤ 12 is flagged (05/03 could be 03/05); 20/07 cannot be.
    check(only_issue(ds, "mixed-date-format"), "mixed-date-format", W, "Khoa Nhi!O2",
          "Cột \"Ngày tuyển dụng\" vừa có ngày dạng chữ dd/mm (ví dụ \"25/12/2019\") vừa có ngày "
          "Excel; ngày 05/03/2020 có thể đã bị Excel kiểu Mỹ đảo ngày và tháng. Hãy kiểm tra.")


def test_leave_days_out_of_range_negative(regulation: Regulation) -> None:
    ds, _ = _optional("Số ngày nghỉ", -1, regulation, period=Period(PeriodKind.YEAR, 2026))
    # Issue 11 point 13 (Bộ luật Lao động 2019 Điều 112): the period's working days exclude the
    # 13 public holidays falling on a weekday in 2026: 261 − 13 = 248.
    check(only_issue(ds, "leave-days-out-of-range"), "leave-days-out-of-range", E,
          "Khoa Nhi!O2", "Số ngày nghỉ -1 nằm ngoài khoảng 0–248 ngày làm việc của kỳ.")


def test_unknown_discipline_level(regulation: Regulation) -> None:
    ds, _ = _optional("Kỷ luật", "nhắc nhở", regulation)
    check(only_issue(ds, "unknown-discipline-level"), "unknown-discipline-level", E,
          "Khoa Nhi!O2",
          "\"nhắc nhở\" không phải hình thức kỷ luật. Dùng: khiển trách, cảnh cáo, cách chức, "
          "buộc thôi việc (hoặc để trống).")


@pytest.mark.parametrize("value", ["khong", "Không", "", "-"])
def test_no_discipline(regulation: Regulation, value: str) -> None:
    ds, issues = _optional("Kỷ luật", value, regulation)
    assert issues == [] and ds.people[0].discipline is None  # type: ignore[attr-defined]


def test_unknown_flag_value(regulation: Regulation) -> None:
    ds, _ = _optional("Lãnh đạo", "Trưởng khoa", regulation)
    check(only_issue(ds, "unknown-flag-value"), "unknown-flag-value", E, "Khoa Nhi!O2",
          "Ô \"Lãnh đạo\" có giá trị \"Trưởng khoa\" không rõ nghĩa. Ghi x (hoặc có, 1) nếu "
          "đúng; để trống (hoặc không, 0) nếu không.")


def test_unknown_gender(regulation: Regulation) -> None:
    ds, _ = _optional("Giới tính", "?", regulation)
    check(only_issue(ds, "unknown-gender"), "unknown-gender", W, "Khoa Nhi!O2",
          "Giới tính \"?\" không rõ; hãy ghi Nam hoặc Nữ. Người này được coi là chưa rõ giới "
          "tính (không được ưu tiên khi bằng điểm).")


def test_negative_number_in_a_count(regulation: Regulation) -> None:
    ds, _ = _optional("Sáng kiến", -1, regulation)
    check(only_issue(ds, "negative-number"), "negative-number", E, "Khoa Nhi!O2",
          "Ô \"Sáng kiến\" là -1, không được âm.")


def test_fractional_count_is_not_a_number(regulation: Regulation) -> None:
    ds, _ = _optional("Đề tài NCKH", 1.5, regulation)
    assert only_issue(ds, "not-a-number").location == "Khoa Nhi!O2"


def test_large_text_cell(regulation: Regulation) -> None:
    sheet = dept("Khoa Nhi", person_row(1, "A", "An"), text_cells_truncated={(2, 3): 1_048_576})
    ds = read_dataset([wb("a.xlsx", sheet)], regulation)
    check(only_issue(ds, "large-text-cell"), "large-text-cell", W, "Khoa Nhi!C2",
          "Ô chứa 1.048.576 ký tự; chỉ giữ 1.000 ký tự đầu trong báo cáo.")


# --------------------------------------------------------------------------------------------
# Periods
# --------------------------------------------------------------------------------------------


def test_period_mismatch_between_title_and_given_period(regulation: Regulation) -> None:
    sheet = RawSheet("Khoa Nhi", rows=[["BẢNG ĐIỂM QUÝ III NĂM 2026"], DEPT_HEADER,
                                       person_row(1, "A", "An")])
    q4 = Period(PeriodKind.QUARTER, 2026, 4)
    ds = read_dataset([wb("a.xlsx", sheet)], regulation, period=q4)
    check(only_issue(ds, "period-mismatch"), "period-mismatch", W, "Khoa Nhi",
          "Dòng tiêu đề sheet \"Khoa Nhi\" ô A1 ghi Quý III năm 2026 nhưng kỳ đánh giá là Quý IV "
          "năm 2026 (theo kỳ được chỉ định). Hãy kiểm tra đây có đúng là bảng điểm của kỳ này "
          "không.")


def test_period_mismatch_between_file_name_and_title(regulation: Regulation) -> None:
    sheet = RawSheet("Khoa Nhi", rows=[["QUÝ III NĂM 2026"], DEPT_HEADER, person_row(1, "A", "An")])
    ds = read_dataset([wb("quy-4-2026.xlsx", sheet)], regulation)
    assert ds.period == Period(PeriodKind.QUARTER, 2026, 4)
    issue = only_issue(ds, "period-mismatch")
    assert issue.location == "Khoa Nhi" and "(theo tên tệp quy-4-2026.xlsx)" in issue.message
