"""core/validation: departments not submitted, total and rating mismatches (pure)."""

from __future__ import annotations

import pytest

from thidua_cli.core.validation import (
    check_dataset,
    missing_departments,
    parse_sheet_rating,
    submitted_departments,
)
from thidua_cli.issues import make_issue
from thidua_cli.model import (
    Dataset,
    Period,
    PeriodKind,
    Person,
    Rating,
    Regulation,
    Report,
    Severity,
    SheetSummary,
    SourceRow,
    TotalRowCell,
)

Q4 = Period(PeriodKind.QUARTER, 2026, 4)
FILE = "khoa-noi.xlsx"
SHEET = "Khoa Nội"
# CS1 CS2 CM1 CM2 CM3 TD1 TD2 HT1 PT1 (maxima 10 10 15 15 10 10 10 10 10)
BASE = dict(zip(("CS1", "CS2", "CM1", "CM2", "CM3", "TD1", "TD2", "HT1", "PT1"),
                (8.0, 9.0, 12.0, 13.0, 8.0, 9.0, 8.0, 7.0, 9.0), strict=True))  # Σ = 83


def person(staff_id: str, row: int, *, scores: dict[str, float] | None = None,
           sheet_total: float | None = None, sheet_rating: str | None = None,
           bonus: float = 0.0, deduction: float = 0.0, department: str = SHEET,
           sheet: str = SHEET, file: str = FILE) -> Person:
    return Person(
        staff_id=staff_id, name=f"Người {staff_id}", department=department,
        source=SourceRow(file, sheet, row), scores=dict(scores or BASE), bonus=bonus,
        deduction=deduction, sheet_total=sheet_total, sheet_rating=sheet_rating,
        columns={"staff_id": "B", "name": "C", "sheet_total": "M", "sheet_rating": "N"},
    )


def dataset(people: list[Person], *, issues: list | None = None,
            sheets: list[SheetSummary] | None = None, regulation: Regulation) -> Dataset:
    if sheets is None:
        sheets = [SheetSummary(FILE, SHEET, SHEET, len(people), "ok")]
    return Dataset(people=people, criteria=regulation.criteria, criteria_source="quy chế",
                   report=Report(list(issues or [])), sheets=sheets)


# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rating"),
    [("HTXSNV", Rating.HTXSNV), ("Hoàn thành xuất sắc nhiệm vụ", Rating.HTXSNV),
     ("Xuất sắc", Rating.HTXSNV), ("A", Rating.HTXSNV), ("Loại A", Rating.HTXSNV),
     ("httnv", Rating.HTTNV), ("Tốt", Rating.HTTNV), ("B", Rating.HTTNV),
     ("Hoàn thành nhiệm vụ", Rating.HTNV), ("C", Rating.HTNV),
     ("Không hoàn thành nhiệm vụ", Rating.KHTNV), ("D", Rating.KHTNV),
     ("Không xếp loại", Rating.NOT_RATED), ("Chờ Hội đồng xét", Rating.PENDING_COUNCIL),
     ("Giỏi", None), ("", None)],
)
def test_parse_sheet_rating(text: str, rating: Rating | None) -> None:
    assert parse_sheet_rating(text) is rating


def test_departments_not_submitted(regulation: Regulation) -> None:
    ds = dataset(
        [person("1", 5), person("2", 6, department="Khoa Ngoại", sheet="Tổng hợp")],
        sheets=[SheetSummary(FILE, SHEET, SHEET, 1, "ok"),
                SheetSummary(FILE, "Tổng hợp", None, 1, "ok"),
                SheetSummary("khoa-san.xlsx", "Khoa Sản", "Khoa Sản", 0, "empty")],
        regulation=regulation,
    )
    assert list(submitted_departments(ds).values()) == ["Khoa Nội", "Khoa Ngoại"]
    found = missing_departments(ds, ["Khoa Nội", "khoa  ngoại", "Khoa Sản", "Khoa Sản", ""])
    assert [(i.code, i.severity, i.file, i.message) for i in found] == [
        ("department-not-submitted", Severity.WARNING, None,
         "Chưa nhận được bảng điểm của \"Khoa Sản\"."),
    ]


def test_person_total_and_rating_mismatches(regulation: Regulation) -> None:
    people = [
        # Σ 83 + bonus 2 − deduction 1 = 84 → HTTNV; the sheet wrote 83 and "Xuất sắc"
        person("1", 5, bonus=2, deduction=1, sheet_total=83, sheet_rating="Xuất sắc"),
        # right: 83, HTTNV written as its grade letter
        person("2", 6, sheet_total=83, sheet_rating="B"),
        # right within rounding: 83.004
        person("3", 7, sheet_total=83.004, sheet_rating="Hoàn thành tốt nhiệm vụ"),
        # a bonus above the cap (10): counted 10 → 93 → HTXSNV; the sheet summed 95
        person("4", 8, bonus=12, sheet_total=95, sheet_rating="HTXSNV"),
    ]
    checks = check_dataset(dataset(people, regulation=regulation), regulation, Q4)
    assert checks.ratings_checked and checks.compared_people == 4
    got = [(i.code, i.row, i.column, i.value, i.message) for i in checks.issues]
    assert got == [
        ("total-mismatch", 5, "M", "83",
         "Tổng trên sheet là 83 nhưng tính lại được 84. Kết quả dùng số tính lại."),
        ("rating-mismatch", 5, "N", "Xuất sắc",
         "Xếp loại trên sheet là \"Xuất sắc\" nhưng theo quy chế là \"HTTNV – Hoàn thành tốt "
         "nhiệm vụ\"."),
        ("total-mismatch", 8, "M", "95",
         "Tổng trên sheet là 95 nhưng tính lại được 93. Kết quả dùng số tính lại."),
    ]
    assert all(i.file == FILE and i.sheet == SHEET for i in checks.issues)


def test_rows_with_errors_are_not_compared(regulation: Regulation) -> None:
    people = [person("1", 5, sheet_total=1, sheet_rating="D"), person("2", 6, sheet_total=2)]
    errors = [make_issue("not-a-number", file=FILE, sheet=SHEET, row=5, column="F", value="x"),
              make_issue("number-stored-as-text", file=FILE, sheet=SHEET, row=6, column="F",
                         value="8", number="8")]  # a warning does not exclude the row
    checks = check_dataset(dataset(people, issues=errors, regulation=regulation), regulation, Q4)
    assert [(i.code, i.row) for i in checks.issues] == [("total-mismatch", 6)]
    assert checks.compared_people == 1


def test_a_sheet_missing_a_criterion_column_is_not_compared(regulation: Regulation) -> None:
    people = [person("1", 5, sheet_total=1)]
    errors = [make_issue("missing-criterion-column", file=FILE, sheet=SHEET, row=4,
                         criterion="CM3", max_points="10")]
    checks = check_dataset(dataset(people, issues=errors, regulation=regulation), regulation, Q4)
    assert checks.issues == () and checks.compared_people == 0


def test_the_cap_is_not_a_rating_mismatch(regulation: Regulation) -> None:
    # Five non-managers at 95: the cap allows floor(20 % × 5) = 1 → all five tie at the cut-off
    # (pending council); a department writing HTXSNV for them is not wrong.
    high = dict(BASE, CS1=10.0, CS2=10.0, CM1=15.0, CM2=15.0, CM3=10.0, TD1=10.0, TD2=10.0,
                HT1=10.0, PT1=5.0)  # 95
    people = [person(str(i), 5 + i, scores=high, sheet_total=95, sheet_rating="HTXSNV")
              for i in range(5)]
    checks = check_dataset(dataset(people, regulation=regulation), regulation, Q4)
    assert checks.issues == ()


def test_without_a_period_only_totals_are_compared(regulation: Regulation) -> None:
    people = [person("1", 5, sheet_total=80, sheet_rating="Xuất sắc")]
    checks = check_dataset(dataset(people, regulation=regulation), regulation, None)
    assert not checks.ratings_checked
    assert [(i.code, i.severity) for i in checks.issues] == [
        ("total-mismatch", Severity.WARNING), ("rating-not-checked", Severity.INFO)]


def test_total_row_against_its_column(regulation: Regulation) -> None:
    people = [
        person("1", 5, sheet_total=83),  # right
        person("2", 6, bonus=2, sheet_total=83),  # recomputed 85
    ]
    sheets = [SheetSummary(
        FILE, SHEET, SHEET, 2, "ok", total_row=8, total_row_cells=(
            TotalRowCell("D", "CS1", "criterion:CS1", 16.0, 16.0),  # right
            # "13,5" stored as text in the column: Excel's SUM skipped it, we did not
            TotalRowCell("G", "CM2", "criterion:CM2", 13.0, 26.5),
            TotalRowCell("H", "CM3", "criterion:CM3", "", 16.0),  # blank: not compared
            TotalRowCell("M", "Tổng điểm", "sheet_total", 166.0, 166.0),
        ),
    )]
    checks = check_dataset(dataset(people, sheets=sheets, regulation=regulation), regulation,
                           Q4)
    got = [(i.code, i.row, i.column, i.value, i.message) for i in checks.issues]
    assert got == [
        ("total-mismatch", 6, "M", "83",
         "Tổng trên sheet là 83 nhưng tính lại được 85. Kết quả dùng số tính lại."),
        ("total-mismatch", 8, "G", "13",
         "Tổng trên sheet là 13 nhưng tính lại được 26,5. Kết quả dùng số tính lại."),
        # the total column: 166 written; the rows' own totals sum to 166, but person 2's
        # recomputed total is 85, so the right sum is 168
        ("total-mismatch", 8, "M", "166",
         "Tổng trên sheet là 166 nhưng tính lại được 168. Kết quả dùng số tính lại."),
    ]


def test_nothing_written_to_compare_means_nothing_scored(regulation: Regulation) -> None:
    # No "Tổng điểm"/"Xếp loại" column: the scorer is not even asked (a period is not needed).
    checks = check_dataset(dataset([person("1", 5), person("2", 6)], regulation=regulation),
                           regulation, None)
    assert checks.issues == () and checks.compared_people == 0
