"""io/reader.read_dataset: how department workbooks become people (structure and readings).

Findings, one code at a time, are in test_reader_findings.py; the "Tiêu chí" sheet in
test_reader_criteria.py. Workbooks are written with openpyxl and read back as RawWorkbook
(tests/helpers.raw_from_xlsx) or built by hand as RawSheet objects.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

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
from thidua_cli.io.reader import FIELDS, read_dataset
from thidua_cli.model import (
    AssessmentLevel,
    Discipline,
    Gender,
    InputFile,
    Period,
    PeriodKind,
    Regulation,
    Severity,
    SheetSummary,
)

L = AssessmentLevel


def raw_workbook(path: str, *sheets: RawSheet, fmt: str = "xlsx") -> RawWorkbook:
    return RawWorkbook(path=path, format=fmt, sha256="ab" * 32, sheets=list(sheets))


# --------------------------------------------------------------------------------------------
# The basic department sheet
# --------------------------------------------------------------------------------------------


def test_department_sheet_below_title_rows(tmp_path: Path, regulation: Regulation) -> None:
    rows = [
        ["BỆNH VIỆN ĐA KHOA TỈNH AN BÌNH"],
        ["BẢNG ĐIỂM THI ĐUA QUÝ IV NĂM 2026"],
        [],
        DEPT_HEADER,
        person_row(1, 2201, "Nguyễn Văn An", [10, 9, 14, 15, 9, 10, 9, 9, 8], bonus=2),
        person_row(2, "0012", "Trần Thị Bình", [9, "8,5", 12, 13, 8, 9, 9, 8, 8], deduction=1),
    ]
    ds = read_sheets(tmp_path, {"Khoa Nội": rows}, regulation,
                     merged={"Khoa Nội": ["A1:H1", "A2:H2"]})
    assert [p.staff_id for p in ds.people] == ["2201", "0012"]  # number → digits; zeros kept
    an, binh = ds.people
    assert an.name == "Nguyễn Văn An" and an.department == "Khoa Nội"
    assert an.scores == dict(zip(CRITERION_CODES, [10.0, 9, 14, 15, 9, 10, 9, 9, 8], strict=True))
    assert an.bonus == 2.0 and an.deduction == 0.0
    assert binh.scores["CS2"] == 8.5 and binh.deduction == 1.0
    assert an.source.row == 5 and binh.source.row == 6 and an.source.sheet == "Khoa Nội"
    assert an.source.file == str(tmp_path / "bang-diem.xlsx")
    assert an.columns["staff_id"] == "B" and an.columns["name"] == "C"
    assert an.columns["criterion:CS1"] == "D" and an.columns["criterion:PT1"] == "L"
    assert an.columns["bonus"] == "M" and an.columns["deduction"] == "N"
    assert an.score_levels["CM1"] is L.DEPARTMENT  # one column per criterion: the department's
    # The only finding: "8,5" typed as text, at the cell Excel shows.
    issue = only_issue(ds, "number-stored-as-text")
    assert (issue.sheet, issue.cell, issue.severity) == ("Khoa Nội", "E6", Severity.WARNING)
    assert issue.value == "8,5" and issue.header == "CS2"
    assert "đã đọc là 8,5" in issue.message
    assert len(ds.report.issues) == 1
    # The period comes from the title row above the header.
    assert ds.period == Period(PeriodKind.QUARTER, 2026, 4)
    assert ds.period_source == "dòng tiêu đề sheet \"Khoa Nội\" ô A2"
    assert ds.criteria == regulation.criteria and ds.criteria_source == "quy chế"
    assert ds.sheets == [SheetSummary(str(tmp_path / "bang-diem.xlsx"), "Khoa Nội", "Khoa Nội", 2,
                                      "ok")]
    assert ds.inputs[0].format == "xlsx" and len(ds.inputs[0].sha256) == 64


def test_header_at_the_top_and_no_title(tmp_path: Path) -> None:
    ds = read_sheets(tmp_path, {"Khoa Nhi": [DEPT_HEADER, person_row(1, "A1", "Lê Thị Cúc")]})
    assert [p.source.row for p in ds.people] == [2]
    assert ds.period is None and ds.period_source is None
    assert ds.report.issues == []


def test_header_text_variants_match_accent_and_space_blind(regulation: Regulation) -> None:
    header = ["  stt ", "MÃ\nNHÂN\u00a0VIÊN", "Ho va ten", "Chức\u200b vụ", *CRITERION_CODES,
              "Lãnh đạo", "Giới tính", "Số ngày nghỉ (trừ thai sản)"]
    row = [1, "NV1", "Đỗ Văn Ân", "Trưởng khoa", *FULL_MARKS, "x", "Nữ", 3]
    sheet = RawSheet("Khoa Mắt", rows=[header, row])
    ds = read_dataset([raw_workbook("m.xlsx", sheet)], regulation)
    assert ds.report.issues == []
    (p,) = ds.people
    assert (p.staff_id, p.name, p.position) == ("NV1", "Đỗ Văn Ân", "Trưởng khoa")
    assert p.is_manager is True and p.gender is Gender.FEMALE and p.leave_days == 3.0
    assert p.columns["position"] == "D" and p.columns["leave_days"] == "P"


def test_criteria_columns_by_name_and_with_their_maximum(regulation: Regulation) -> None:
    header = ["Mã NV", "Họ tên",
              "CS1 - Chấp hành chủ trương, chính sách, pháp luật (10 điểm)",
              "Chấp hành nội quy, quy chế của bệnh viện (10đ)",
              "CM1. Khối lượng, tiến độ công việc",
              "chất lượng chuyên môn",
              "CM3 (tối đa 10)", "TD1 – 10đ", "TD2", "HT1", "Tham gia phong trào, hoạt động đoàn thể"]
    sheet = RawSheet("Khoa Sản", rows=[header, ["S1", "Phạm Thị Hoa", *FULL_MARKS]])
    ds = read_dataset([raw_workbook("s.xlsx", sheet)], regulation)
    assert ds.report.issues == []
    (p,) = ds.people
    assert sum(p.scores.values()) == 100
    assert p.columns["criterion:CS2"] == "D" and p.columns["criterion:PT1"] == "K"


def test_optional_columns_are_read(tmp_path: Path) -> None:
    header = ["Mã NV", "Họ và tên", *CRITERION_CODES, "Chức danh", "Lãnh đạo", "Nhóm",
              "Giới tính", "Ngày tuyển dụng", "Số ngày nghỉ", "Nghỉ thai sản", "Kỷ luật",
              "Sáng kiến", "Đề tài NCKH", "Đăng ký thi đua", "Ghi chú", "Tổng điểm", "Xếp loại"]
    rows = [
        header,
        ["1", "An", *FULL_MARKS, "Bác sĩ", "x", "Bác sĩ", "Nam", datetime(2019, 3, 1), 2, 0,
         "", 1, 2, "x", "tốt", 100, "HTXSNV"],
        ["2", "Bình", *FULL_MARKS, "Điều dưỡng", "không", "Điều dưỡng", "nu",
         "15/08/2021", "1,5", 120, "Khiển trách (QĐ 12/QĐ-BV)", "", "", "không", "", "", ""],
        ["3", "Cúc", *FULL_MARKS, "", "", "", "", "", "", "", "CẢNH CÁO", "", "", "", "", "", ""],
    ]
    ds = read_sheets(tmp_path, {"Khoa Dược": rows}, period=Period(PeriodKind.YEAR, 2026))
    an, binh, cuc = ds.people
    assert (an.position, an.is_manager, an.peer_group, an.gender) == ("Bác sĩ", True, "Bác sĩ",
                                                                      Gender.MALE)
    assert an.recruited_on == date(2019, 3, 1) and an.leave_days == 2.0
    assert (an.initiatives, an.research, an.registered) == (1, 2, True)
    assert an.note == "tốt" and an.sheet_total == 100.0 and an.sheet_rating == "HTXSNV"
    assert an.discipline is None and an.maternity_days == 0.0
    assert binh.is_manager is False and binh.gender is Gender.FEMALE
    assert binh.recruited_on == date(2021, 8, 15) and binh.leave_days == 1.5
    assert binh.maternity_days == 120.0 and binh.discipline is Discipline.KHIEN_TRACH
    assert binh.registered is False and binh.sheet_total is None and binh.sheet_rating is None
    assert cuc.registered is None and cuc.discipline is Discipline.CANH_CAO
    assert cuc.gender is Gender.UNKNOWN and cuc.recruited_on is None
    assert an.columns["sheet_total"] == "X" and an.columns["sheet_rating"] == "Y"
    # "1,5" leave days typed as text; and the column mixes a real date (day 1 ≤ 12) with a
    # dd/mm text date whose day is 15: the real date may have been day/month swapped.
    assert [(i.code, i.cell) for i in ds.report.issues] == [
        ("number-stored-as-text", "Q3"), ("mixed-date-format", "P2")]
    assert ds.report.issues[1].message == (
        "Cột \"Ngày tuyển dụng\" vừa có ngày dạng chữ dd/mm (ví dụ \"15/08/2021\") vừa có ngày "
        "Excel; ngày 01/03/2019 có thể đã bị Excel kiểu Mỹ đảo ngày và tháng. Hãy kiểm tra.")


def test_every_field_has_a_unique_alias_set() -> None:
    from thidua_cli.core import vntext

    seen: dict[str, str] = {}
    for spec in FIELDS:
        for alias in spec.aliases:
            k = vntext.compact(alias)
            assert seen.setdefault(k, spec.name) == spec.name, (alias, seen[k], spec.name)


# --------------------------------------------------------------------------------------------
# Rows: blank rows, total rows, signature blocks, numbering rows, hidden rows
# --------------------------------------------------------------------------------------------


def test_rows_end_at_the_total_row_and_signatures_are_not_people(tmp_path: Path) -> None:
    rows = [
        DEPT_HEADER,
        ["(1)", "(2)", "(3)", "(4)", "(5)"],  # a numbering row under the header
        person_row(1, "A", "Người Một"),
        [],
        [2],  # STT alone: a pre-numbered empty row
        person_row(3, "B", "Người Hai"),
        ["Tổng cộng", "", "", 18, 18, 18, 18, 18, 18, 18, 18, 18],
        [],
        ["", "", "Người lập biểu", "", "", "", "", "Trưởng khoa"],
        ["", "", "Tống Văn Ba"],  # below the total: not read even if it looks like a name
    ]
    ds = read_sheets(tmp_path, {"Khoa Nhi": rows})
    assert [(p.staff_id, p.source.row) for p in ds.people] == [("A", 3), ("B", 6)]
    assert ds.report.issues == []


def test_signature_block_without_a_total_row(tmp_path: Path) -> None:
    rows = [DEPT_HEADER, person_row(1, "A", "An"), [],
            ["", "", "An Bình, ngày 05 tháng 01 năm 2027"], ["", "", "NGƯỜI LẬP BIỂU"]]
    ds = read_sheets(tmp_path, {"Khoa Nhi": rows})
    assert len(ds.people) == 1 and ds.report.issues == []


def test_a_surname_like_tong_is_not_a_total_row(tmp_path: Path) -> None:
    rows = [["Họ và tên", "Mã NV", *CRITERION_CODES],
            ["Tống Văn Ba", "T1", *FULL_MARKS], ["Cộng Thị Hai", "T2", *FULL_MARKS]]
    ds = read_sheets(tmp_path, {"Khoa Nhi": rows})
    # "Tống" is not "Tổng"; "Cộng Thị Hai" starts like "Cộng": the table ends there.
    assert [p.name for p in ds.people] == ["Tống Văn Ba"]


def test_formula_total_alone_is_not_a_person(tmp_path: Path) -> None:
    header = [*DEPT_HEADER, "Tổng điểm"]
    rows = [header, [*person_row(1, "A", "An"), 81], [2, "", "", *[""] * 11, 0]]
    ds = read_sheets(tmp_path, {"Khoa Nhi": rows})
    assert len(ds.people) == 1 and ds.report.issues == []


def test_coordinates_under_hidden_rows_and_title_rows(tmp_path: Path) -> None:
    # Title rows 1–3, the header at row 5 (row 4 blank), a hidden row 7 with data, then a bad
    # score at L9: the finding must name exactly Khoa Nội!L9.
    rows = [["SỞ Y TẾ"], ["BỆNH VIỆN"], ["BẢNG ĐIỂM NĂM 2026"], [], DEPT_HEADER,
            person_row(1, "A", "An"),
            person_row(2, "B", "Bình"),
            person_row(3, "C", "Cúc"),
            person_row(4, "D", "Dũng", [9, 9, 9, 9, 9, 9, 9, 9, 11])]
    ds = read_sheets(tmp_path, {"Khoa Nội": rows}, hidden_rows={"Khoa Nội": [7]},
                     merged={"Khoa Nội": ["A1:D1", "A3:N3"]})
    hidden = only_issue(ds, "hidden-row-with-data")
    assert hidden.location == "Khoa Nội!7:7" and "vẫn được tính" in hidden.message
    above = only_issue(ds, "above-maximum")
    assert above.location == "Khoa Nội!L9" and above.header == "PT1" and above.value == 11
    assert [p.source.row for p in ds.people] == [6, 7, 8, 9]
    assert ds.period == Period(PeriodKind.YEAR, 2026)


def test_hidden_rows_skipped_when_the_regulation_says_so(tmp_path: Path,
                                                         regulation: Regulation) -> None:
    reg = replace(regulation, validation=replace(regulation.validation, count_hidden_rows=False))
    rows = [DEPT_HEADER, person_row(1, "A", "An"), person_row(2, "B", "Bình")]
    ds = read_sheets(tmp_path, {"Khoa Nội": rows}, reg, hidden_rows={"Khoa Nội": [3]})
    assert [p.staff_id for p in ds.people] == ["A"]
    assert "không được tính (bỏ qua)" in only_issue(ds, "hidden-row-with-data").message


def test_struck_rows_skipped_by_default_and_counted_when_set(tmp_path: Path,
                                                             regulation: Regulation) -> None:
    rows = [DEPT_HEADER, person_row(1, "A", "An"), person_row(2, "B", "Bình (đã nghỉ)")]
    ds = read_sheets(tmp_path, {"Khoa Nội": rows}, regulation, struck_cells={"Khoa Nội": ["C3"]})
    assert [p.staff_id for p in ds.people] == ["A"]
    issue = only_issue(ds, "strike-through-row")
    assert issue.location == "Khoa Nội!3:3" and "không được tính" in issue.message
    reg = replace(regulation, validation=replace(regulation.validation, count_struck_rows=True))
    ds = read_sheets(tmp_path, {"Khoa Nội": rows}, reg, struck_cells={"Khoa Nội": ["C3"]},
                     name="b.xlsx")
    assert [p.staff_id for p in ds.people] == ["A", "B"]
    assert "vẫn được tính" in only_issue(ds, "strike-through-row").message


# --------------------------------------------------------------------------------------------
# Staff IDs
# --------------------------------------------------------------------------------------------


def test_staff_ids_numbers_text_and_leading_zeros(regulation: Regulation) -> None:
    rows = [["Mã NV", "Họ và tên", *CRITERION_CODES]]
    ids = [2201.0, 2202, "0012", " NV-07 ", 1085012345.0, "001085012345"]
    for i, v in enumerate(ids):
        rows.append([v, f"Người {i}", *FULL_MARKS])
    ds = read_dataset([raw_workbook("a.xlsx", RawSheet("Khoa A", rows=rows))], regulation)
    assert [p.staff_id for p in ds.people] == ["2201", "2202", "0012", "NV-07", "1085012345",
                                               "001085012345"]
    assert ds.report.issues == []


# --------------------------------------------------------------------------------------------
# Combined sheets and per-department sheets, across files
# --------------------------------------------------------------------------------------------


def test_combined_sheet_and_department_sheets_across_files(tmp_path: Path,
                                                           regulation: Regulation) -> None:
    combined = [["Mã NV", "Họ và tên", "Khoa/Phòng", *CRITERION_CODES],
                ["N1", "Nội Một", "Khoa Nội", *FULL_MARKS],
                ["N2", "Nội Hai", "khoa  nội", *FULL_MARKS],
                ["G1", "Ngoại Một", "Khoa Ngoại", *FULL_MARKS]]
    a = write_xlsx(tmp_path, {"Tổng hợp": combined}, name="a.xlsx")
    b = write_xlsx(tmp_path, {"Khoa Sản": [DEPT_HEADER, person_row(1, "S1", "Sản Một")],
                              "Phòng TCCB": [DEPT_HEADER, person_row(1, "T1", "Tổ Một")]},
                   name="b.xlsx")
    ds = read_dataset([raw_from_xlsx(a), raw_from_xlsx(b)], regulation)
    assert [(p.staff_id, p.department) for p in ds.people] == [
        ("N1", "Khoa Nội"), ("N2", "khoa nội"), ("G1", "Khoa Ngoại"), ("S1", "Khoa Sản"),
        ("T1", "Phòng TCCB")]
    assert ds.people[0].columns["department"] == "C"
    assert "department" not in ds.people[3].columns
    assert ds.sheets == [
        SheetSummary(str(a), "Tổng hợp", None, 3, "ok"),
        SheetSummary(str(b), "Khoa Sản", "Khoa Sản", 1, "ok"),
        SheetSummary(str(b), "Phòng TCCB", "Phòng TCCB", 1, "ok"),
    ]
    assert ds.inputs == [InputFile(str(a), raw_from_xlsx(a).sha256, "xlsx"),
                         InputFile(str(b), raw_from_xlsx(b).sha256, "xlsx")]
    assert ds.report.issues == []


def test_department_names_take_the_regulation_spelling(regulation: Regulation) -> None:
    reg = replace(regulation, organisation=replace(regulation.organisation,
                                                   departments=("Khoa Nội", "Khoa Nhi")))
    combined = [["Mã NV", "Họ và tên", "Đơn vị", *CRITERION_CODES],
                ["N1", "A", "KHOA NỘI", *FULL_MARKS], ["N2", "B", "khoa nhi", *FULL_MARKS]]
    sheets = [RawSheet("Tổng hợp", rows=combined),
              RawSheet("3. Khoa Nhi", rows=[DEPT_HEADER, person_row(1, "X", "C")])]
    ds = read_dataset([raw_workbook("a.xlsx", *sheets)], reg)
    assert [p.department for p in ds.people] == ["Khoa Nội", "Khoa Nhi", "Khoa Nhi"]
    # Khoa Nhi came from two sheets.
    assert [i.code for i in ds.report.issues] == ["department-submitted-twice"]


def test_vertically_merged_department_cells_fill_down(tmp_path: Path) -> None:
    rows = [["Khoa/Phòng", "Mã NV", "Họ và tên", *CRITERION_CODES],
            ["Khoa Nội", "N1", "A", *FULL_MARKS],
            ["", "N2", "B", *FULL_MARKS],
            ["Khoa Nhi", "H1", "C", *FULL_MARKS]]
    ds = read_sheets(tmp_path, {"Tổng hợp": rows}, merged={"Tổng hợp": ["A2:A3"]})
    assert [p.department for p in ds.people] == ["Khoa Nội", "Khoa Nội", "Khoa Nhi"]
    assert ds.report.issues == []


def test_name_split_under_a_merged_heading(tmp_path: Path) -> None:
    header = ["STT", "Mã NV", "Họ và tên", "", *CRITERION_CODES]
    rows = [header, [1, "A", "Nguyễn Văn", "An", *FULL_MARKS]]
    ds = read_sheets(tmp_path, {"Khoa Nhi": rows}, merged={"Khoa Nhi": ["C1:D1"]})
    assert [p.name for p in ds.people] == ["Nguyễn Văn An"]
    assert ds.people[0].scores["CS1"] == 10.0 and ds.people[0].columns["criterion:CS1"] == "E"
    assert ds.report.issues == []


def test_header_repeated_on_a_second_page_is_skipped(regulation: Regulation) -> None:
    rows = [DEPT_HEADER, person_row(1, "A", "An"), DEPT_HEADER, person_row(2, "B", "Bình")]
    ds = read_dataset([raw_workbook("a.xlsx", RawSheet("Khoa Nhi", rows=rows))], regulation)
    assert [p.staff_id for p in ds.people] == ["A", "B"] and ds.report.issues == []


# --------------------------------------------------------------------------------------------
# Two-row headers: a criterion above its assessment levels
# --------------------------------------------------------------------------------------------


def _two_row(levels: list[str], merged: bool) -> tuple[list[list[object]], list[str]]:
    """Header rows 1–2: Mã NV, Họ và tên (merged down), then every criterion over ``levels``."""
    from thidua_cli.model import column_letter

    top: list[object] = ["Mã NV", "Họ và tên"]
    bottom: list[object] = ["", ""]
    ranges = ["A1:A2", "B1:B2"]
    col = 3
    for code in CRITERION_CODES:
        top += [code] + [""] * (len(levels) - 1)
        bottom += levels
        if merged and len(levels) > 1:
            ranges.append(f"{column_letter(col)}1:{column_letter(col + len(levels) - 1)}1")
        col += len(levels)
    return [top, bottom], ranges


def test_two_row_header_all_level_combinations(tmp_path: Path) -> None:
    levels = ["Tự chấm", "Khoa chấm", "Hội đồng chấm"]
    header, ranges = _two_row(levels, merged=True)
    # Per criterion: (self, dept, council). CS1 is for each person the case under test.
    rest = [9, 9, 9] * 8

    def row(staff: str, cs1: list[object]) -> list[object]:
        return [staff, f"Người {staff}", *cs1, *rest]

    rows = [*header,
            row("P1", [8, 9, 10]),  # council counts
            row("P2", [8, 9, ""]),  # council blank → department, no warning
            row("P3", [8, "", ""]),  # department blank → self, with a warning
            row("P4", ["", "", 7]),  # only council → council
            row("P5", [8, "", 6]),  # council counts, the blank department does not matter
            row("P6", ["", "", ""])]  # nothing: missing score
    ds = read_sheets(tmp_path, {"Khoa Nội": rows}, merged={"Khoa Nội": ranges})
    by_id = {p.staff_id: p for p in ds.people}
    assert [(by_id[s].scores["CS1"], by_id[s].score_levels.get("CS1")) for s in
            ("P1", "P2", "P3", "P4", "P5")] == [
        (10.0, L.COUNCIL), (9.0, L.DEPARTMENT), (8.0, L.SELF), (7.0, L.COUNCIL), (6.0, L.COUNCIL)]
    assert by_id["P1"].columns["criterion:CS1"] == "E"
    assert by_id["P2"].columns["criterion:CS1"] == "D"
    assert by_id["P3"].columns["criterion:CS1"] == "C"
    assert by_id["P1"].columns["criterion:CS2"] == "H"
    fallback = only_issue(ds, "self-assessment-fallback")
    assert fallback.location == "Khoa Nội!C5" and fallback.severity is Severity.WARNING
    assert fallback.message == ("Ô \"Khoa chấm\" của tiêu chí CS1 để trống; dùng điểm tự chấm 8.")
    missing = only_issue(ds, "missing-score")
    assert missing.location == "Khoa Nội!E8" and missing.severity is Severity.ERROR
    assert "CS1 – Chấp hành chủ trương, chính sách, pháp luật" in missing.message
    assert "Hội đồng chấm (E8), Khoa chấm (D8), Tự chấm (C8)" in missing.message
    assert len(ds.report.issues) == 2


def test_two_row_header_self_and_department_only_unmerged_labels(tmp_path: Path) -> None:
    header, _ = _two_row(["Tự chấm", "Khoa chấm"], merged=False)  # label left of its levels
    rows = [*header, ["A", "An", *([8, 9] * 9)], ["B", "Bình", 7, "", *([8, 9] * 8)]]
    ds = read_sheets(tmp_path, {"Khoa Nhi": rows})
    a, b = ds.people
    assert a.scores == dict.fromkeys(CRITERION_CODES, 9.0)
    assert b.scores["CS1"] == 7.0 and b.score_levels["CS1"] is L.SELF
    assert only_issue(ds, "self-assessment-fallback").cell == "C4"


def test_two_row_header_with_ids_in_the_lower_row(tmp_path: Path) -> None:
    # Criteria merged in row 3; STT/Mã NV/Họ tên and the level labels in row 4.
    top: list[object] = ["", "", ""]
    bottom: list[object] = ["STT", "Mã NV", "Họ tên"]
    ranges = []
    from thidua_cli.model import column_letter
    for i, code in enumerate(CRITERION_CODES):
        c = 4 + 2 * i
        top += [code, ""]
        bottom += ["Khoa chấm", "HĐ chấm"]
        ranges.append(f"{column_letter(c)}3:{column_letter(c + 1)}3")
    rows = [["BẢNG ĐIỂM"], [], top, bottom, [1, "A", "An", *([9, ""] * 9)]]
    ds = read_sheets(tmp_path, {"Khoa Nhi": rows}, merged={"Khoa Nhi": ranges})
    (p,) = ds.people
    assert p.scores == dict.fromkeys(CRITERION_CODES, 9.0)
    assert set(p.score_levels.values()) == {L.DEPARTMENT}
    assert p.source.row == 5 and ds.report.issues == []


def test_bonus_with_levels_and_invalid_lower_levels(tmp_path: Path) -> None:
    header, ranges = _two_row(["Khoa chấm", "Hội đồng chấm"], merged=True)
    header[0] += ["Điểm cộng", ""]
    header[1] += ["Khoa chấm", "Hội đồng chấm"]
    ranges.append("U1:V1")
    rows = [*header, ["A", "An", *([9, ""] * 9), 3, 1], ["B", "Bình", "x", 8, *([9, ""] * 8), 2, ""]]
    ds = read_sheets(tmp_path, {"Khoa Nhi": rows}, merged={"Khoa Nhi": ranges})
    a, b = ds.people
    assert a.bonus == 1.0 and a.columns["bonus"] == "V"
    assert b.bonus == 2.0 and b.columns["bonus"] == "U"
    # "x" in a lower level is still reported (every level cell is checked); the council's 8
    # counts for CS1.
    assert b.scores["CS1"] == 8.0
    assert only_issue(ds, "not-a-number").location == "Khoa Nhi!C4"


# --------------------------------------------------------------------------------------------
# Periods
# --------------------------------------------------------------------------------------------


def test_period_from_the_file_name_first(tmp_path: Path) -> None:
    rows = [["QUÝ IV NĂM 2026"], DEPT_HEADER, person_row(1, "A", "An")]
    ds = read_sheets(tmp_path, {"Khoa Nhi": rows}, name="quy-4-2026.xlsx")
    assert ds.period == Period(PeriodKind.QUARTER, 2026, 4)
    assert ds.period_source == "tên tệp quy-4-2026.xlsx"
    assert ds.report.issues == []


def test_given_period_wins_and_bounds_leave_days(tmp_path: Path) -> None:
    header = [*DEPT_HEADER, "Số ngày nghỉ"]
    q4 = Period(PeriodKind.QUARTER, 2026, 4)
    assert q4.working_days() == 66
    # Issue 11 point 13 (Bộ luật Lao động 2019 Điều 112): 24/11/2026 is a public holiday, so the
    # quarter has 65 working days: 65 is the bound, 66 is out of range.
    rows = [header, [*person_row(1, "A", "An"), 65], [*person_row(2, "B", "Bình"), 66]]
    ds = read_sheets(tmp_path, {"Khoa Nhi": rows}, period=q4)
    assert ds.period == q4
    issue = only_issue(ds, "leave-days-out-of-range")
    assert issue.location == "Khoa Nhi!O3"
    assert issue.message == "Số ngày nghỉ 66 nằm ngoài khoảng 0–65 ngày làm việc của kỳ."


def test_without_period_leave_days_bounded_by_the_year_maximum(regulation: Regulation) -> None:
    header = [*DEPT_HEADER, "Số ngày nghỉ"]
    rows = [header, [*person_row(1, "A", "An"), 261], [*person_row(2, "B", "Bình"), 262]]
    ds = read_dataset([raw_workbook("x.xlsx", RawSheet("Khoa Nhi", rows=rows))], regulation)
    assert ds.period is None
    issue = only_issue(ds, "leave-days-out-of-range")
    assert issue.cell == "O3" and "0–261" in issue.message


def test_hand_built_raw_sheet_with_facts(regulation: Regulation) -> None:
    """RawSheet facts from io.workbook (errors, formulas without value) land on their cells."""
    rows = [DEPT_HEADER, person_row(1, "A", "An", [9, "", 9, 9, 9, 9, 9, 9, 9]),
            person_row(2, "B", "Bình", [9, 9, "", 9, 9, 9, 9, 9, 9])]
    sheet = RawSheet("Khoa Nhi", rows=rows, errors={(2, 5): "#DIV/0!"},
                     formulas_without_value={(3, 6): "=SUM(X1:X2)"})
    ds = read_dataset([raw_workbook("x.xlsx", sheet)], regulation)
    err = only_issue(ds, "error-value")
    assert err.location == "Khoa Nhi!E2" and err.value == "#DIV/0!"
    assert err.message == ("Ô có giá trị lỗi #DIV/0!. Hãy sửa công thức hoặc nhập điểm trực "
                           "tiếp.")
    fwv = only_issue(ds, "formula-without-value")
    assert fwv.location == "Khoa Nhi!F3" and "(=SUM(X1:X2))" in fwv.message
    assert issues_of(ds, "missing-score") == []  # a bad cell is not a blank one


def test_through_io_workbook_load_workbook(tmp_path: Path, regulation: Regulation) -> None:
    """The real loader and the reader together: the same cells as Excel shows them."""
    from thidua_cli.io.workbook import load_workbook

    rows = [["BẢNG ĐIỂM QUÝ IV NĂM 2026"], [], DEPT_HEADER,
            person_row(1, "A", "An"),
            person_row(2, "0012", "Bình", [9, "#DIV/0!", 9, 9, 9, 9, 9, 9, 9]),
            person_row(3, 2201, "Cúc", deduction="=1/0"),
            person_row(4, "D", "Dũng")]
    path = write_xlsx(tmp_path, {"Khoa Nội": rows, "Ẩn": [["x"]]}, formulas=True,
                      hidden_rows={"Khoa Nội": [5]}, struck_cells={"Khoa Nội": ["C7"]},
                      merged={"Khoa Nội": ["A1:H1"]}, hidden_sheets=["Ẩn"])
    ds = read_dataset([load_workbook(path)], regulation)
    assert [(i.code, i.location) for i in ds.report.issues] == [
        ("hidden-row-with-data", "Khoa Nội!5:5"),
        ("error-value", "Khoa Nội!E5"),
        ("formula-without-value", "Khoa Nội!N6"),
        ("strike-through-row", "Khoa Nội!7:7"),
        ("hidden-sheet", "Ẩn"),
        ("no-header-found", "Ẩn"),
    ]
    assert [p.staff_id for p in ds.people] == ["A", "0012", "2201"]
    assert ds.period == Period(PeriodKind.QUARTER, 2026, 4)
    assert ds.inputs[0].path == str(path)


def test_a_data_row_mentioning_a_level_is_not_a_header_row(regulation: Regulation) -> None:
    rows = [[*DEPT_HEADER, "Ghi chú"], [*person_row(1, "A", "An"), "Hội đồng"],
            [*person_row(2, "B", "Bình"), ""]]
    ds = read_dataset([RawWorkbook("a.xlsx", "xlsx", "0" * 64,
                                   [RawSheet("Khoa Nhi", rows=rows)])], regulation)
    assert [p.staff_id for p in ds.people] == ["A", "B"] and ds.report.issues == []


def test_row_without_id_and_name_under_a_lower_row_header(tmp_path: Path) -> None:
    # Header texts in the lower row (row 2); a row with scores but no ID nor name is reported.
    top = ["", "", *CRITERION_CODES]
    bottom = ["Mã NV", "Họ tên", *["Khoa chấm"] * 9]
    rows = [top, bottom, ["A", "An", *FULL_MARKS], ["", "", *FULL_MARKS]]
    ds = read_sheets(tmp_path, {"Khoa Nhi": rows})
    assert [p.staff_id for p in ds.people] == ["A"]
    assert [(i.code, i.cell) for i in ds.report.issues] == [("missing-staff-id", "A4"),
                                                            ("missing-name", "B4")]
