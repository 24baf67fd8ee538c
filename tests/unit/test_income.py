"""core/income.py: the additional income (thu nhập tăng thêm) of a period, computed by hand.

March 2026 has 22 working days (the standard days passed in); the default [income] settings:
A 1.2 / B 1.0 / C 0.8 / D 0, rounding to 1,000 đ, largest remainder.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thidua_cli.core.income import (
    Fund,
    GradeEntry,
    IncomeResult,
    StaffMember,
    Where,
    compute,
    split_fund,
)
from thidua_cli.errors import InvalidDataError
from thidua_cli.model import Period, PeriodKind

MARCH = Period(PeriodKind.MONTH, 2026, 3)
D = Decimal


@pytest.fixture
def income(regulation):  # type: ignore[no-untyped-def]
    return regulation.income


def member(sid: str, hsl: str = "3", pccv: str = "0", *, position: str | None = None,
           days: str | None = "22", dept: str = "Khoa Nội", row: int = 2,
           **kw: object) -> StaffMember:
    return StaffMember(staff_id=sid, name=f"Người {sid}", department=dept, salary=D(hsl),
                       allowance=D(pccv), position=D(position) if position else None,
                       days_worked=D(days) if days is not None else None,
                       where=Where("nhan-su.xlsx", "Nhân sự", row),
                       cells={"staff_id": "B", "days_worked": "H", "department": "D",
                              "position": "G"}, **kw)  # type: ignore[arg-type]


def grade(sid: str, letter: str | None = None, *, rating: str | None = None,
          row: int = 2) -> GradeEntry:
    return GradeEntry(sid, f"Người {sid}", "Khoa Nội", letter, rating,
                      Where("loai.xlsx", "Loại", row), "E")


def run(settings_, staff, grades, fund=10_000_000, **kw) -> IncomeResult:  # type: ignore[no-untyped-def]
    return compute(MARCH, settings_, 22, grades, staff, Fund(fund, {}, "--fund"), **kw)


def amounts(result: IncomeResult) -> dict[str, int]:
    return {p.staff_id: p.amount for p in result.people}


def codes(result: IncomeResult, sid: str) -> list[str]:
    p = result.person(sid)
    assert p is not None
    return [r.code for r in p.reasons]


# --------------------------------------------------------------------------------------------
# The three bases, by hand
# --------------------------------------------------------------------------------------------


def test_salary_based_by_hand(income) -> None:  # type: ignore[no-untyped-def]
    # Points: A (3.0 + 0.5) × 1.2 × 22/22 = 4.2; B 2.34 × 1.0 = 2.34; C 4.0 × 0.8 × 11/22 = 1.6.
    # Σ = 8.14; exact shares of 10,000,000: 5,159,705.16 · 2,874,692.87 · 1,965,601.97.
    # Rounded down to 1,000: 5,159,000 + 2,874,000 + 1,965,000 = 9,998,000; 2,000 left: one
    # step each to the largest rounded-off parts (705.16 for A, 692.87 for B).
    staff = [member("A1", "3.0", "0.5"), member("B1", "2.34"), member("C1", "4.0", days="11")]
    result = run(income, staff, [grade("A1", "A"), grade("B1", "B"), grade("C1", "C")])
    assert amounts(result) == {"A1": 5_160_000, "B1": 2_875_000, "C1": 1_965_000}
    assert result.paid == 10_000_000
    pool = result.pools[0]
    assert pool.points == Fraction(814, 100)
    assert pool.point_value == Fraction(10_000_000) / Fraction(814, 100)
    assert [p.extra_steps for p in result.people] == [1, 1, 0]
    assert codes(result, "C1") == ["GRADE_REDUCED", "DAYS_REDUCED"]
    assert result.person("C1").reasons[1].text == "11/22 ngày công"  # type: ignore[union-attr]


def test_position_based_by_hand(income) -> None:  # type: ignore[no-untyped-def]
    # Points: 2.0 × 1.2 = 2.4; 1.5 × 1.0 = 1.5; 1.0 × 0.8 = 0.8; Σ 4.7. Fund 4,700,000: one
    # point is 1,000,000 đ. The salary coefficients (very different) play no part.
    settings_ = replace(income, basis="position")
    staff = [member("X", "6.2", "1.0", position="2.0"), member("Y", "2.0", position="1.5"),
             member("Z", "9.0", position="1.0")]
    result = run(settings_, staff, [grade("X", "A"), grade("Y", "B"), grade("Z", "C")],
                 fund=4_700_000)
    assert amounts(result) == {"X": 2_400_000, "Y": 1_500_000, "Z": 800_000}
    assert result.pools[0].point_value == 1_000_000


def test_mixed_basis_by_hand(income) -> None:  # type: ignore[no-untyped-def]
    # Coefficients: 0.5 × 3.0 + 0.5 × 2.0 = 2.5 and 0.5 × 2.0 + 0.5 × 1.0 = 1.5; both B.
    # Σ 4.0; fund 8,000,000 → 5,000,000 and 3,000,000.
    settings_ = replace(income, basis="mix", mix_salary_weight=D("0.5"))
    staff = [member("X", "3.0", position="2.0"), member("Y", "2.0", position="1.0")]
    result = run(settings_, staff, [grade("X", "B"), grade("Y", "B")], fund=8_000_000)
    assert amounts(result) == {"X": 5_000_000, "Y": 3_000_000}
    assert result.person("X").coefficient == D("2.5")  # type: ignore[union-attr]


def test_ratings_from_a_score_result_map_to_grades(income) -> None:  # type: ignore[no-untyped-def]
    # HTXSNV → A (1.2), HTNV → C (0.8): points 1.2 × 3 = 3.6 and 0.8 × 3 = 2.4; Σ 6.0.
    staff = [member("S1"), member("S2")]
    result = run(income, staff, [grade("S1", rating="HTXSNV"), grade("S2", rating="HTNV")],
                 fund=6_000_000)
    assert amounts(result) == {"S1": 3_600_000, "S2": 2_400_000}
    assert [p.grade for p in result.people] == ["A", "C"]


# --------------------------------------------------------------------------------------------
# Rounding and the remainder
# --------------------------------------------------------------------------------------------


def test_equal_shares_the_leftover_step_goes_by_the_documented_order(income) -> None:  # type: ignore[no-untyped-def]
    # 10,000,000 / 3 = 3,333,333.33 each; 3 × 3,333,000 = 9,999,000; 1,000 left; all three are
    # tied (same part 333.33, same points): the lowest staff ID (text order) gets it, and the
    # tie is reported.
    staff = [member("NV03"), member("NV01"), member("NV02")]
    result = run(income, staff, [grade(s, "B") for s in ("NV03", "NV01", "NV02")])
    assert amounts(result) == {"NV03": 3_333_000, "NV01": 3_334_000, "NV02": 3_333_000}
    assert set(result.pools[0].ties) == {"NV01", "NV02", "NV03"}


def test_carry_keeps_the_rest_for_the_next_period(income) -> None:  # type: ignore[no-untyped-def]
    settings_ = replace(income, remainder="carry")
    staff = [member("NV01"), member("NV02"), member("NV03")]
    result = run(settings_, staff, [grade(s, "B") for s in ("NV01", "NV02", "NV03")])
    assert amounts(result) == {"NV01": 3_333_000, "NV02": 3_333_000, "NV03": 3_333_000}
    assert result.carried == 1_000 and result.paid == 9_999_000


def test_a_fund_not_a_multiple_of_the_step_is_still_paid_to_the_dong(income) -> None:  # type: ignore[no-untyped-def]
    # 10,000,500 / 3 = 3,333,500 each; floors 3 × 3,333,000 = 9,999,000; 1,500 left: one step
    # to NV01, the 500 below a step to the next in order, NV02.
    staff = [member("NV01"), member("NV02"), member("NV03")]
    result = run(income, staff, [grade(s, "B") for s in ("NV01", "NV02", "NV03")],
                 fund=10_000_500)
    assert amounts(result) == {"NV01": 3_334_000, "NV02": 3_333_500, "NV03": 3_333_000}
    assert result.pools[0].odd_to == "NV02"
    assert result.paid == 10_000_500


def test_split_fund_more_points_first_on_equal_parts() -> None:
    # Points 2 and 1, fund 3,000 đ in steps of 1,000… exact 2,000 and 1,000: nothing left.
    assert split_fund(3_000, [Fraction(2), Fraction(1)], 1_000, "largest_remainder").amounts == (
        2_000, 1_000)
    # Points 1, 1, 2 of 2,000: exact 500, 500, 1,000 → floors 0, 0, 1,000; 1,000 left; equal
    # parts 500 and 500: the index order settles it (the caller passes −points, staff ID).
    sp = split_fund(2_000, [Fraction(1), Fraction(1), Fraction(2)], 1_000, "largest_remainder")
    assert sp.amounts == (1_000, 0, 1_000) and sp.ties == (0, 1)


# --------------------------------------------------------------------------------------------
# Every zero and reduced amount has its reason
# --------------------------------------------------------------------------------------------


def test_every_zero_reason(income) -> None:  # type: ignore[no-untyped-def]
    settings_ = replace(income, exclude=("disciplined", "probation"))
    staff = [
        member("OK"),
        member("D1"),
        member("NR"),
        member("KL", disciplined="Khiển trách"),
        member("TS", probation=True),
        member("MAT", days="0", leave={"maternity": D(22)}),
        member("ND", days="0"),
        member("H0", "0", "0"),
    ]
    grades = [grade("OK", "B"), grade("D1", "D"), grade("NR", rating="NOT_RATED"),
              grade("KL", "B"), grade("TS", "B"), grade("MAT", "B"), grade("ND", "B"),
              grade("H0", "B")]
    result = run(settings_, staff, grades)
    assert amounts(result) == {"OK": 10_000_000, "D1": 0, "NR": 0, "KL": 0, "TS": 0, "MAT": 0,
                               "ND": 0, "H0": 0}
    texts = {p.staff_id: [(r.code, r.text) for r in p.reasons] for p in result.people}
    assert texts["D1"] == [("GRADE_ZERO", "Loại D (hệ số 0)")]
    assert texts["NR"] == [("NOT_RATED", "Kỳ này không được xếp loại")]
    assert texts["KL"] == [("DISCIPLINED", "Đang bị kỷ luật (Khiển trách)")]
    assert texts["TS"] == [("PROBATION", "Đang tập sự")]
    assert texts["MAT"] == [("MATERNITY_FULL", "Nghỉ thai sản cả tháng (22 ngày)")]
    assert texts["ND"] == [("NO_DAYS", "Không có ngày công tính hưởng (0/22)")]
    assert texts["H0"] == [("NO_COEFFICIENT", "HSL + PCCV bằng 0")]
    assert texts["OK"] == []


def test_reduced_amounts_say_why(income) -> None:  # type: ignore[no-untyped-def]
    # A recruit from 12/03 with 14 days; a person with 2 days of sick leave (not counted) and
    # 2 of annual leave (counted as worked): 18 worked + 2 annual = 20/22.
    staff = [member("NEW", days="14", recruited_on=date(2026, 3, 12)),
             member("SICK", days="18", leave={"sick": D(2), "annual": D(2)})]
    result = run(income, staff, [grade("NEW", "B"), grade("SICK", "C")])
    new, sick = result.people
    assert [(r.code, r.text) for r in new.reasons] == [
        ("DAYS_REDUCED", "14/22 ngày công (mới tuyển 12/03)")]
    assert sick.credited_days == 20
    assert [(r.code, r.text) for r in sick.reasons] == [
        ("GRADE_REDUCED", "Loại C: hệ số 0,8"), ("DAYS_REDUCED", "20/22 ngày công (nghỉ ốm 2 ngày)")]
    # Points 3 × 14/22 = 42/22 and 3 × 0.8 × 20/22 = 48/22: the fund splits 42 : 48.
    assert new.points == Fraction(42, 22) and sick.points == Fraction(48, 22)


def test_maternity_counted_as_worked_when_the_setting_says_so(income) -> None:  # type: ignore[no-untyped-def]
    settings_ = replace(income, maternity="worked")
    staff = [member("MAT", days="0", leave={"maternity": D(22)}), member("OK")]
    result = run(settings_, staff, [grade("MAT", "B"), grade("OK", "B")])
    assert amounts(result) == {"MAT": 5_000_000, "OK": 5_000_000}


def test_days_from_leave_when_no_days_worked_column(income) -> None:  # type: ignore[no-untyped-def]
    # No "Ngày công": 22 − 11 days of unpaid leave = 11 worked → half the points of a full month.
    staff = [member("HALF", days=None, leave={"unpaid": D(11)}), member("FULL")]
    result = run(income, staff, [grade("HALF", "B"), grade("FULL", "B")], fund=3_000_000)
    assert amounts(result) == {"HALF": 1_000_000, "FULL": 2_000_000}


def test_fund_per_department_each_pool_adds_up(income) -> None:  # type: ignore[no-untyped-def]
    staff = [member("N1"), member("N2"), member("G1", dept="Khoa Ngoại")]
    fund = Fund(None, {"Khoa Nội": (1_000_000, Where("quy.xlsx", "Quỹ", 2)),
                       "khoa ngoại": (700_000, Where("quy.xlsx", "Quỹ", 3))}, "quy.xlsx")
    result = compute(MARCH, income, 22, [grade("N1", "A"), grade("N2", "C"), grade("G1", "B")],
                     staff, fund)
    # Khoa Nội: 3.6 and 2.4 points of 1,000,000 → 600,000 and 400,000; Khoa Ngoại alone 700,000.
    assert amounts(result) == {"N1": 600_000, "N2": 400_000, "G1": 700_000}
    assert [(p.name, p.paid) for p in result.pools] == [("Khoa Nội", 1_000_000),
                                                        ("khoa ngoại", 700_000)]


# --------------------------------------------------------------------------------------------
# Bad input: no table, every finding named
# --------------------------------------------------------------------------------------------


def refused(fn) -> list[tuple[str, str | None, int | None, str | None, str]]:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidDataError) as info:
        fn()
    assert info.value.report is not None
    return [(i.code, i.sheet, i.row, i.column, i.message) for i in info.value.report.errors]


def test_graded_not_in_staff_and_the_reverse(income) -> None:  # type: ignore[no-untyped-def]
    found = refused(lambda: run(income, [member("S1"), member("S2", row=3)],
                                [grade("S1", "A"), grade("X9", "B", row=5)]))
    assert found == [
        ("income-not-in-staff", "Loại", 5, None, "Người X9 (mã NV X9) có loại trong kỳ nhưng không "
         "có trong bảng nhân sự; hãy thêm người này vào bảng nhân sự hoặc sửa mã NV."),
        ("income-not-graded", "Nhân sự", 3, "B", "Người S2 (mã NV S2) có trong bảng nhân sự nhưng "
         "không có loại của kỳ; hãy bổ sung loại hoặc xoá khỏi bảng nhân sự."),
    ]


def test_unknown_grade_letter_and_days_above_standard(income) -> None:  # type: ignore[no-untyped-def]
    found = refused(lambda: run(income, [member("S1", days="23"), member("S2")],
                                [grade("S1", "B"), grade("S2", "E", row=3)]))
    assert ("income-unknown-grade", "Loại", 3, "E",
            'Loại "E" không có trong [income.grades] của quy chế (có: A, B, C, D).') in found
    assert ("income-days-above-standard", "Nhân sự", 2, "H",
            "Số ngày công là 23, nhiều hơn ngày công chuẩn của kỳ (22 ngày); hãy kiểm tra lại.") in found


def test_unknown_rating_code_is_refused_not_read_as_not_rated(income) -> None:  # type: ignore[no-untyped-def]
    found = refused(lambda: run(income, [member("S1"), member("S2")],
                                [grade("S1", "B"), grade("S2", rating="HTTNV?")]))
    assert [(c, m) for c, _, _, _, m in found] == [(
        "income-unknown-grade", 'Loại "HTTNV?" không có trong [income.rating_grades] của quy chế '
        "(có: HTXSNV, HTTNV, HTNV, KHTNV).")]


def test_fund_problems(income) -> None:  # type: ignore[no-untyped-def]
    assert refused(lambda: run(income, [member("S1")], [grade("S1", "B")], fund=0))[0][:1] == (
        "income-fund-not-positive",)
    fund = Fund(None, {"Khoa Nội": (-5, Where("quy.xlsx", "Quỹ", 2)),
                       "Khoa Mắt": (100_000, Where("quy.xlsx", "Quỹ", 3))}, "quy.xlsx")
    found = refused(lambda: compute(MARCH, income, 22, [grade("S1", "B"), grade("G1", "B")],
                                    [member("S1"), member("G1", dept="Khoa Ngoại", row=3)], fund))
    assert [(c, s, r) for c, s, r, _, _ in found] == [
        ("income-no-fund", "Nhân sự", 3), ("income-fund-not-positive", "Quỹ", 2),
        ("income-fund-without-staff", "Quỹ", 3)]


def test_nobody_with_points_cannot_split(income) -> None:  # type: ignore[no-untyped-def]
    found = refused(lambda: run(income, [member("S1")], [grade("S1", "D")]))
    assert found[0][0] == "income-no-points"


def test_pending_council_and_missing_position_coefficient(income) -> None:  # type: ignore[no-untyped-def]
    settings_ = replace(income, basis="position")
    found = refused(lambda: run(settings_, [member("S1", position="1.0"), member("S2", row=3)],
                                [grade("S1", rating="PENDING_COUNCIL"), grade("S2", "B")]))
    assert [c for c, *_ in found] == ["income-pending-council", "income-missing-coefficient"]


def test_ceiling_warning_when_declared(income) -> None:  # type: ignore[no-untyped-def]
    # Salary fund of March: (3.0 + 0) × 2,340,000 × 1 month = 7,020,000; max 1 × → 7,020,000.
    from thidua_cli.config.sections import IncomeCeiling

    settings_ = replace(income, ceiling=IncomeCeiling(2, D(1), "NĐ 60/2021"))
    result = run(settings_, [member("S1")], [grade("S1", "B")], fund=8_000_000,
                 base_salary=2_340_000)
    assert result.salary_fund == 7_020_000
    [warning] = result.report.warnings
    assert warning.code == "income-above-ceiling"
    assert "7.020.000" in warning.message and "8.000.000" in warning.message
    # Not declared (the shipped default): no check at all.
    assert run(income, [member("S1")], [grade("S1", "B")], fund=8_000_000,
               base_salary=2_340_000).report.warnings == []


# --------------------------------------------------------------------------------------------
# Property: the amounts add up to the fund to the đồng
# --------------------------------------------------------------------------------------------

people_st = st.lists(
    st.tuples(st.integers(100, 1000), st.integers(0, 100), st.sampled_from("ABCD"),
              st.integers(0, 22)),
    min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(fund=st.integers(1, 10**11), rows=people_st,
       step=st.sampled_from([1, 1_000, 10_000]),
       mode=st.sampled_from(["largest_remainder", "carry"]))
def test_sum_equals_the_fund_to_the_dong(fund, rows, step, mode) -> None:  # type: ignore[no-untyped-def]
    from helpers import default_regulation

    settings_ = replace(default_regulation().income, rounding_step=step, remainder=mode)
    staff = [member("P000", "2.34")] + [
        member(f"P{i + 1:03d}", str(D(h) / 100), str(D(a) / 100), days=str(d))
        for i, (h, a, _, d) in enumerate(rows)]
    grades = [grade("P000", "A")] + [grade(f"P{i + 1:03d}", g) for i, (_, _, g, _) in enumerate(rows)]
    result = run(settings_, staff, grades, fund=fund)
    assert sum(p.amount for p in result.people) + result.carried == fund
    if mode == "carry":
        assert all(p.amount % step == 0 for p in result.people)
    else:
        assert result.carried == 0
    for p in result.people:
        assert p.amount >= 0
        if p.points == 0:
            assert p.amount == 0
        else:  # within one step (plus the part below a step) of the exact share
            assert abs(p.amount - p.exact) < 2 * step


def test_year_totals_add_each_persons_periods() -> None:
    from thidua_cli.core.income import PeriodPaid, year_totals
    from thidua_cli.errors import UsageError

    q4 = PeriodPaid("2026-Q4", "q4.json", (("A", "An", "Khoa Nội", 3_000_000),
                                           ("B", "Bình", "Khoa Sản", 1_000_000)))
    q3 = PeriodPaid("2026-Q3", "q3.json", (("A", "An", "Khoa Ngoại", 2_500_000),))
    periods, rows = year_totals([q4, q3])
    assert periods == ("2026-Q3", "2026-Q4")
    # An: 2,500,000 + 3,000,000 = 5,500,000 (department of the latest period); Bình only Q4.
    assert [(r.staff_id, r.department, dict(r.amounts), r.total) for r in rows] == [
        ("A", "Khoa Nội", {"2026-Q3": 2_500_000, "2026-Q4": 3_000_000}, 5_500_000),
        ("B", "Khoa Sản", {"2026-Q4": 1_000_000}, 1_000_000)]
    with pytest.raises(UsageError, match="2026-Q4 có hai lần"):
        year_totals([q4, q4])


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=5_000_000_000),
       st.lists(st.fractions(min_value=0, max_value=20, max_denominator=400), min_size=1,
                max_size=25),
       st.sampled_from([1, 1_000, 10_000]), st.sampled_from(["largest_remainder", "carry"]))
def test_split_in_integers_equals_the_fraction_arithmetic(fund: int, points: list[Fraction],
                                                          step: int, remainder: str) -> None:
    """split_fund works over the points' common denominator in integers; the reference here is
    the textbook largest-remainder method in Fractions (exact share, floor to the step, the
    leftover steps to the largest parts cut off, ties by index)."""
    import math

    if sum(points) <= 0:
        return
    total = sum(points, Fraction(0))
    exact = [Fraction(fund) * p / total for p in points]
    floors = [math.floor(e / step) * step for e in exact]
    got = split_fund(fund, points, step, remainder)
    if remainder == "carry":
        assert got.amounts == tuple(floors) and got.carried == fund - sum(floors)
        return
    order = sorted((i for i, p in enumerate(points) if p > 0),
                   key=lambda i: (-(exact[i] - floors[i]), i))
    steps, odd = divmod(fund - sum(floors), step)
    want = list(floors)
    for i in order[:steps]:
        want[i] += step
    if odd:
        want[order[steps]] += odd
    assert got.amounts == tuple(want) and sum(got.amounts) == fund
