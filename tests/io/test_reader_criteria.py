"""io/reader: the optional "Tiêu chí" sheet (Mã | Tiêu chí | Nhóm | Điểm tối đa)."""

from __future__ import annotations

from pathlib import Path

from helpers import (
    DEFAULT_CRITERIA,
    DEPT_HEADER,
    issues_of,
    only_issue,
    person_row,
    raw_from_xlsx,
    write_xlsx,
)
from thidua_cli.io.raw import RawSheet, RawWorkbook
from thidua_cli.io.reader import is_criteria_sheet_name, read_criteria_sheet, read_dataset
from thidua_cli.model import Criterion, Regulation, Severity

HEADER = ["STT", "Mã", "Tiêu chí", "Nhóm", "Điểm tối đa"]


def default_rows() -> list[list[object]]:
    return [[i + 1, code, name, group, mx] for i, (code, name, group, mx) in
            enumerate(DEFAULT_CRITERIA)]


def wb(path: str, *sheets: RawSheet) -> RawWorkbook:
    return RawWorkbook(path=path, format="xlsx", sha256="0" * 64, sheets=list(sheets))


def test_sheet_names() -> None:
    for name in ("Tiêu chí", "TIÊU CHÍ", "Tieu chi", "tiêu  chí", "Bảng tiêu chí"):
        assert is_criteria_sheet_name(name), name
    for name in ("Khoa Nội", "Tiêu chí cũ 2025", "Tổng hợp"):
        assert not is_criteria_sheet_name(name), name


def test_same_criteria_as_the_regulation(regulation: Regulation) -> None:
    sheet = RawSheet("Tiêu chí", rows=[["BẢNG TIÊU CHÍ CHẤM ĐIỂM"], HEADER, *default_rows(),
                                       ["", "", "Tổng cộng", "", 100]])
    result = read_criteria_sheet(sheet, file="a.xlsx", regulation=regulation)
    assert result.issues == ()
    assert result.criteria == regulation.criteria
    assert result.declared_total == 100


def test_sheet_criteria_win_and_differences_are_reported(tmp_path: Path,
                                                         regulation: Regulation) -> None:
    rows = [HEADER]
    for i, (code, name, group, mx) in enumerate(DEFAULT_CRITERIA):
        if code == "PT1":
            continue  # removed
        rows.append([i + 1, code, name, group, 20 if code == "CM1" else mx])
    rows.append([10, "CM4", "Nghiên cứu khoa học", "Chuyên môn nghiệp vụ", 5])
    # 100 − PT1 (10) + 5 (CM1 15 → 20) + CM4 (5) = 100: the total row agrees.
    rows.append(["", "", "Tổng cộng", "", 100])
    criteria_rows = rows
    header = ["Mã NV", "Họ và tên", "CS1", "CS2", "CM1", "CM2", "CM3", "TD1", "TD2", "HT1", "CM4",
              "PT1"]
    dept = [header, ["A", "An", 10, 10, 18, 15, 10, 10, 10, 10, 5, 9]]
    path = write_xlsx(tmp_path, {"Tiêu chí": criteria_rows, "Khoa Nhi": dept})
    ds = read_dataset([raw_from_xlsx(path)], regulation)
    assert [c.code for c in ds.criteria] == ["CS1", "CS2", "CM1", "CM2", "CM3", "TD1", "TD2",
                                             "HT1", "CM4"]
    assert ds.criteria[2] == Criterion("CM1", "Khối lượng, tiến độ công việc",
                                       "Chuyên môn nghiệp vụ", 20.0)
    assert ds.criteria_source == f"sheet 'Tiêu chí' ({path})"
    differ = only_issue(ds, "criteria-differ-from-regulation")
    assert differ.severity is Severity.WARNING and differ.location == "Tiêu chí!1:1"
    assert differ.message == (
        "Sheet \"Tiêu chí\" khác quy chế: thêm CM4 (Nghiên cứu khoa học, 5 điểm); bỏ PT1 (Tham "
        "gia phong trào, hoạt động đoàn thể); đổi điểm tối đa CM1 15 → 20. Bảng tiêu chí của "
        "file được dùng.")
    assert issues_of(ds, "criteria-total-mismatch") == []
    (p,) = ds.people
    assert p.scores["CM1"] == 18.0 and p.scores["CM4"] == 5.0 and "PT1" not in p.scores
    # PT1 is no longer a criterion: its column is reported and ignored.
    assert only_issue(ds, "criterion-not-in-regulation").location == "Khoa Nhi!L1"
    assert ds.sheets[0].status == "criteria" and ds.sheets[1].people == 1


def test_total_row_mismatch(regulation: Regulation) -> None:
    rows = [HEADER, *default_rows(), ["", "", "Tổng", "", 95]]
    sheet = RawSheet("Tiêu chí", rows=rows)
    result = read_criteria_sheet(sheet, file="a.xlsx", regulation=regulation)
    (issue,) = result.issues
    assert issue.code == "criteria-total-mismatch" and issue.location == "Tiêu chí!E11"
    assert issue.message == ("Dòng tổng của sheet \"Tiêu chí\" ghi 95 điểm nhưng tổng điểm tối "
                             "đa các tiêu chí là 100.")
    assert issue.value == 95 and result.criteria == regulation.criteria


def test_group_heading_rows_fill_the_group(regulation: Regulation) -> None:
    rows = [["Mã", "Nội dung", "Điểm tối đa"],
            ["", "I. Chấp hành chính sách", ""],
            ["CS1", "Chấp hành pháp luật", 50],
            ["", "II. Chuyên môn", 50],
            ["cm1", "Chất lượng", "50"]]
    result = read_criteria_sheet(RawSheet("Tiêu chí", rows=rows), file="a.xlsx",
                                 regulation=regulation)
    assert result.criteria == (Criterion("CS1", "Chấp hành pháp luật", "Chấp hành chính sách", 50),
                               Criterion("CM1", "Chất lượng", "Chuyên môn", 50))
    # "cm1" takes the regulation's spelling; the names differ but only maxima are compared.
    assert [i.code for i in result.issues] == ["criteria-differ-from-regulation"]


def test_invalid_criteria_sheets(regulation: Regulation) -> None:
    def problems(rows: list[list[object]]) -> list[tuple[str | None, str]]:
        result = read_criteria_sheet(RawSheet("Tiêu chí", rows=rows), file="a.xlsx",
                                     regulation=regulation)
        assert result.criteria is None
        assert all(i.code == "invalid-criteria-sheet" and i.severity is Severity.ERROR
                   for i in result.issues)
        return [(i.cell, i.message) for i in result.issues]

    assert problems([["Tên", "Điểm"]]) == [(None, (
        "Sheet \"Tiêu chí\" không hợp lệ: không tìm thấy dòng tiêu đề có các cột Mã | Tiêu chí | "
        "Nhóm | Điểm tối đa trong 30 dòng đầu."))]
    assert problems([HEADER, [1, "CS1", "Một", "", ""], [2, "CS2", "Hai", "", "mười"]]) == [
        ("E2", "Sheet \"Tiêu chí\" không hợp lệ: điểm tối đa của tiêu chí \"CS1\" (trống) phải "
               "là một số lớn hơn 0."),
        ("E3", "Sheet \"Tiêu chí\" không hợp lệ: điểm tối đa của tiêu chí \"CS2\" (mười) phải "
               "là một số lớn hơn 0."),
    ]
    assert problems([HEADER, [1, "X1", "Một", "", 5], [2, "x1", "Hai", "", 5]]) == [
        ("B3", "Sheet \"Tiêu chí\" không hợp lệ: mã \"x1\" có hai lần (dòng 2 và dòng 3).")]
    assert problems([HEADER, [1, "X1", "", "", 5]]) == [
        ("C2", "Sheet \"Tiêu chí\" không hợp lệ: dòng 2 có mã \"X1\" nhưng thiếu tên tiêu chí.")]
    assert problems([HEADER]) == [(None, (
        "Sheet \"Tiêu chí\" không hợp lệ: không có tiêu chí nào (cần ít nhất một dòng có Mã, "
        "Tiêu chí và Điểm tối đa)."))]


def test_invalid_sheet_falls_back_to_the_regulation(regulation: Regulation) -> None:
    bad = RawSheet("Tiêu chí", rows=[HEADER, [1, "CS1", "Một", "", -5]])
    dept = RawSheet("Khoa Nhi", rows=[DEPT_HEADER, person_row(1, "A", "An")])
    ds = read_dataset([wb("a.xlsx", bad, dept)], regulation)
    assert ds.criteria == regulation.criteria and ds.criteria_source == "quy chế"
    assert [i.code for i in ds.report.issues] == ["invalid-criteria-sheet"]
    assert not ds.report.valid and len(ds.people) == 1


def test_two_different_criteria_sheets(regulation: Regulation) -> None:
    a = wb("a.xlsx", RawSheet("Tiêu chí", rows=[HEADER, *default_rows()]))
    other = default_rows()
    other[0][4] = 5
    b = wb("b.xlsx", RawSheet("Tiêu chí", rows=[HEADER, *other]))
    ds = read_dataset([a, b], regulation)
    issue = only_issue(ds, "invalid-criteria-sheet")
    assert issue.file == "b.xlsx"
    assert issue.message == ("Sheet \"Tiêu chí\" không hợp lệ: khác bảng tiêu chí ở sheet "
                             "\"Tiêu chí\" (a.xlsx); chỉ được có một bảng tiêu chí cho cả kỳ.")
    assert ds.criteria == regulation.criteria  # the first one (equal to the regulation) is used
    assert issues_of(ds, "criteria-differ-from-regulation") == []
