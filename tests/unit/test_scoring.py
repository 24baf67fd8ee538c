"""score_dataset: totals, bands, overrides, the cap, ranks and explanations (core/scoring.py).

Every expected number is computed by hand in the comments. Working days (Monday–Friday, no
public holidays) used below:
- 2026-Q4: 1 Oct 2026 is a Thursday. October: 4 weeks (20) + Thu, Fri, Sat → 22; November
  starts on a Sunday: 20 + Sun, Mon → 21; December starts on a Tuesday: 20 + Tue, Wed, Thu → 23.
  Total 22 + 21 + 23 = 66; half is 33.
- Year 2026: 365 days from Thursday 1 Jan = 52 weeks (260) + Thursday 31 Dec → 261.
- From Wednesday 1 Jul 2026: July 23 (20 + Wed, Thu, Fri), August 21 (starts Saturday: 20 +
  Sat, Sun, Mon), September 22 (starts Tuesday: 20 + Tue, Wed), October 22, November 21,
  December 23 → 132 = exactly 6 months of 22 days.
"""

from __future__ import annotations

import gc
import math
import unicodedata
from dataclasses import fields, replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import build_default_regulation
from thidua_cli.core.ranking import competition_ranks, exact, listing_key, round_half_up
from thidua_cli.core.scoring import explain, score_dataset
from thidua_cli.core.vntext import key
from thidua_cli.errors import InvalidDataError, PeriodRequiredError, UsageError
from thidua_cli.issues import make_issue
from thidua_cli.model import (
    AssessmentLevel,
    Criterion,
    Dataset,
    Discipline,
    Period,
    PeriodKind,
    Person,
    PersonResult,
    Regulation,
    Report,
    ScoreResult,
    Severity,
    SourceRow,
)
from thidua_cli.model import Rating as R

Q4 = Period(PeriodKind.QUARTER, 2026, 4)
Y2026 = Period(PeriodKind.YEAR, 2026)
FEB = Period(PeriodKind.MONTH, 2026, 2)
ONE = (Criterion("TC", "Kết quả thực hiện nhiệm vụ", "Chung", 100.0),)
BASE = build_default_regulation()


def regulation(*, criteria=ONE, **sections) -> Regulation:
    """The default regulation with one 100-point criterion; ``sections``: cap=dict(...) etc."""
    reg = replace(BASE, criteria=criteria)
    for name, changes in sections.items():
        reg = replace(reg, **{name: replace(getattr(reg, name), **changes)})
    return reg


NO_CAP = regulation(cap=dict(enabled_year=False, enabled_quarter=False, enabled_month=False))


def person(staff_id: str, points: float | None = None, *, name: str | None = None,
           department: str = "Khoa Nội", **kw) -> Person:
    scores = kw.pop("scores", {"TC": points} if points is not None else {})
    return Person(
        staff_id=staff_id,
        name=name or f"Nguyễn Văn {staff_id}",
        department=department,
        source=SourceRow("quy-4-2026.xlsx", department, 5),
        scores=scores,
        **kw,
    )


def score(people, reg: Regulation = NO_CAP, period: Period = Q4, report=None,
          criteria=None) -> ScoreResult:
    ds = Dataset(
        people=list(people),
        criteria=reg.criteria if criteria is None else criteria,
        criteria_source="quy chế",
        report=report or Report(),
    )
    return score_dataset(ds, reg, period)


def one(p: Person, reg: Regulation = NO_CAP, period: Period = Q4):
    result = score([p], reg, period)
    return result.people[0]


def staff(n: int, total: float = 80.0, prefix: str = "t", **kw) -> list[Person]:
    return [person(f"{prefix}{i:02d}", total, **kw) for i in range(n)]


# --------------------------------------------------------------------------------------------
# Totals
# --------------------------------------------------------------------------------------------


def test_exact_decimal_sum_of_criteria():
    reg = regulation(criteria=BASE.criteria, cap=dict(enabled_quarter=False))
    values = [8.1, 8.2, 13.3, 14.4, 9.1, 9.2, 9.3, 8.6, 9.7]
    codes = [c.code for c in BASE.criteria]
    p = person("1", scores=dict(zip(codes, values, strict=True)))
    r = one(p, reg)
    assert sum(values) == 89.89999999999999  # floats lose the last digit …
    assert r.criteria_sum == 89.9  # … the exact decimal sum does not
    assert r.total == 89.9
    assert r.band is R.HTTNV
    assert r.points == dict(zip(codes, values, strict=True))


def test_bonus_capped_deduction_not():
    # 85 + min(12, 10) − 3 = 92
    r = one(person("1", 85, bonus=12, deduction=3))
    assert (r.criteria_sum, r.bonus_counted, r.deduction_counted, r.total) == (85, 10, 3, 92)
    assert r.band is R.HTXSNV
    steps = {s.rule: s.detail for s in r.steps}
    assert steps["Điểm cộng"] == "Ghi 12 điểm, vượt mức tối đa 10 của quy chế → tính 10 điểm."
    assert steps["Điểm trừ"] == "Trừ 3 điểm (không giới hạn)."
    assert steps["Tổng điểm"] == "85 + 10 − 3 = 92."


def test_deduction_cap_when_set():
    reg = regulation(scoring=dict(deduction_cap=5.0), cap=dict(enabled_quarter=False))
    r = one(person("1", 80, deduction=8), reg)  # 80 − min(8, 5) = 75
    assert (r.deduction_counted, r.total) == (5, 75)


def test_clamp_at_100_and_0():
    high = one(person("1", 98, bonus=10))  # 108 → 100
    assert (high.total, high.band) == (100, R.HTXSNV)
    assert "giới hạn trong khoảng 0–100 → 100" in {s.rule: s.detail for s in high.steps}["Tổng điểm"]
    low = one(person("2", 5, deduction=20))  # −15 → 0
    assert (low.total, low.band) == (0, R.KHTNV)


def test_round_half_up_to_the_regulation_decimals():
    # 80.1 + 0.025 = 80.125 → 80.13 (half up; banker's rounding would give 80.12)
    r = one(person("1", 80.1, bonus=0.025))
    assert r.total == 80.13
    # one decimal: 89.95 → 90.0, so HTXSNV (the band uses the total the clerk sees)
    reg = regulation(scoring=dict(decimals=1), cap=dict(enabled_quarter=False))
    r = one(person("1", 89.9, bonus=0.05), reg)
    assert (r.total, r.band) == (90.0, R.HTXSNV)
    assert "làm tròn 1 chữ số thập phân → 90" in {s.rule: s.detail for s in r.steps}["Tổng điểm"]


def test_missing_criterion_score_counts_zero_and_says_so():
    crit = (Criterion("A", "Tiêu chí A", "G", 50.0), Criterion("B", "Tiêu chí B", "G", 50.0))
    reg = regulation(criteria=crit, cap=dict(enabled_quarter=False))
    r = one(person("1", scores={"A": 45.5}, score_levels={"A": AssessmentLevel.DEPARTMENT}), reg)
    assert r.points == {"A": 45.5, "B": 0.0}
    assert r.total == 45.5
    details = {s.rule: s.detail for s in r.steps}
    assert details["Tiêu chí A"] == "Tiêu chí A: 45,5/50 điểm (Khoa chấm)."
    assert details["Tiêu chí B"] == "Tiêu chí B: để trống, tính 0/50 điểm."


def test_workbook_criteria_win_over_the_regulation():
    crit = (Criterion("X1", "Riêng", "G", 100.0),)
    result = score([person("1", scores={"X1": 77.0, "TC": 10.0})], NO_CAP, criteria=crit)
    assert result.people[0].points == {"X1": 77.0}
    assert result.criteria == crit


@pytest.mark.parametrize(
    ("total", "band"),
    [(100, R.HTXSNV), (90, R.HTXSNV), (89.99, R.HTTNV), (70, R.HTTNV), (69.99, R.HTNV),
     (50, R.HTNV), (49.99, R.KHTNV), (0, R.KHTNV)],
)
def test_band_edges(total, band):
    r = one(person("1", total))
    assert (r.band, r.rating, r.reasons) == (band, band, ())


def test_band_step_names_the_thresholds():
    r = one(person("1", 89.99))
    assert {s.rule: s.detail for s in r.steps}["Xếp loại theo điểm"] == (
        "70 ≤ 89,99 < 90 → HTTNV (Hoàn thành tốt nhiệm vụ). "
        "Ngưỡng: HTXSNV ≥ 90; HTTNV ≥ 70; HTNV ≥ 50; dưới 50 là KHTNV."
    )


# --------------------------------------------------------------------------------------------
# Overrides
# --------------------------------------------------------------------------------------------


def test_discipline_forces_khtnv():
    r = one(person("1", 95, discipline=Discipline.KHIEN_TRACH))
    assert (r.band, r.rating, r.reasons) == (R.HTXSNV, R.KHTNV, ("discipline",))
    assert r.notes == ("Bị kỷ luật (Khiển trách) trong kỳ: xếp KHTNV",)
    step = next(s for s in r.steps if s.rule == "Ghi đè: kỷ luật")
    assert "48/2023" in step.basis
    assert r.grade == "D"


def test_discipline_setting_off_keeps_the_band():
    reg = regulation(overrides=dict(discipline_forces_khtnv=False), cap=dict(enabled_quarter=False))
    r = one(person("1", 95, discipline=Discipline.CANH_CAO), reg)
    assert r.rating is R.HTXSNV


def test_discipline_beats_not_rated():
    # disciplined and recruited on 1 Dec (23 working days < 33): KHTNV, not "not rated"
    r = one(person("1", 95, discipline=Discipline.CANH_CAO, recruited_on=date(2026, 12, 1)))
    assert r.rating is R.KHTNV
    assert r.reasons == ("discipline",)
    assert any("nhưng bị kỷ luật: vẫn xếp KHTNV" in n for n in r.notes)


def test_year_worked_less_than_six_months_not_rated():
    # recruited 2 Jul 2026: 131 working days = 5.95 months < 6 → not rated
    r = one(person("1", 95, recruited_on=date(2026, 7, 2)), period=Y2026)
    assert (r.band, r.rating, r.reasons) == (R.HTXSNV, R.NOT_RATED, ("not-worked-enough",))
    assert r.notes == ("Làm việc 5,95 tháng trong năm (dưới 6 tháng): không xếp loại",)
    assert r.grade is None
    assert r.rank_hospital is None and r.rank_department is None


def test_year_exactly_six_months_is_rated():
    # recruited 1 Jul 2026: 132 working days = 6 months exactly → rated
    r = one(person("1", 80, recruited_on=date(2026, 7, 1)), period=Y2026)
    assert r.rating is R.HTTNV
    detail = {s.rule: s.detail for s in r.steps}["Thời gian làm việc"]
    assert "132 ngày làm việc tính từ ngày tuyển dụng 01/07/2026" in detail
    assert detail.endswith("≥ 6 tháng: đủ để xếp loại.")


def test_year_leave_days_reduce_time_worked():
    # 261 − 130 = 131 days = 5.95 months → not rated; 261 − 129 = 132 → rated
    assert one(person("1", 80, leave_days=130), period=Y2026).rating is R.NOT_RATED
    assert one(person("1", 80, leave_days=129), period=Y2026).rating is not R.NOT_RATED


def test_year_maternity_counts_as_worked():
    # 200 maternity days are not subtracted: 261 days worked → rated on points
    r = one(person("1", 92, maternity_days=200), period=Y2026)
    assert r.rating is R.HTXSNV
    assert "thai sản 200 ngày được tính là thời gian làm việc" in {
        s.rule: s.detail for s in r.steps}["Thời gian làm việc"]
    # the same 200 days as ordinary leave: 61 days = 2.77 months → not rated
    assert one(person("1", 92, leave_days=200), period=Y2026).rating is R.NOT_RATED


def test_year_absence_three_to_six_months_at_most_htnv():
    # 66 days = 3 months exactly → at most HTNV; worked 195 days = 8.86 months (rated)
    r = one(person("1", 95, leave_days=66), period=Y2026)
    assert (r.band, r.rating, r.reasons) == (R.HTXSNV, R.HTNV, ("absence",))
    assert r.notes == ("Nghỉ 3 tháng trong năm (từ 3 đến dưới 6 tháng): tối đa HTNV",)
    # 65 days = 2.95 months → no cap on the rating
    assert one(person("1", 95, leave_days=65), period=Y2026).rating is R.HTXSNV
    # 129 days = 5.86 months: still rated (132 days worked) and capped at HTNV
    r = one(person("1", 80, leave_days=129), period=Y2026)
    assert (r.rating, r.reasons) == (R.HTNV, ("absence",))
    # already HTNV or below: unchanged, no reason
    r = one(person("1", 60, leave_days=100), period=Y2026)
    assert (r.rating, r.reasons) == (R.HTNV, ())
    assert one(person("1", 40, leave_days=100), period=Y2026).rating is R.KHTNV


def test_absence_rule_is_for_the_year_only():
    # in a quarter, 20 leave days (66 − 20 = 46 ≥ 33 worked) do not cap the rating
    assert one(person("1", 95, leave_days=20)).rating is R.HTXSNV


def test_quarter_half_the_working_days():
    assert Q4.working_days() == 66  # Monday–Friday
    # Issue 11 point 13 (Bộ luật Lao động 2019 Điều 112): the quarter's working days exclude the
    # public holiday 24/11/2026, so 65. 65 − 32 = 33 ≥ 32.5 → rated; 65 − 33 = 32 < 32.5 → not.
    assert one(person("1", 80, leave_days=32)).rating is R.HTTNV
    r = one(person("1", 80, leave_days=33))
    assert (r.rating, r.reasons) == (R.NOT_RATED, ("not-worked-enough",))
    assert r.notes == ("Làm việc 32/65 ngày của quý (dưới 50%): không xếp loại",)
    detail = {s.rule: s.detail for s in r.steps}["Ghi đè: không xếp loại"]
    assert "Quý IV năm 2026 có 65 ngày làm việc (đã trừ 1 ngày nghỉ lễ, Tết: 24/11" in detail
    assert "< 50% × 65 = 32,5 ngày → Không xếp loại" in detail


def test_quarter_new_staff_count_from_recruitment():
    # Monday–Friday: Tue 17 Nov → Nov 17–30 = 10 + December 23 = 33; Wed 18 Nov → 32.
    assert Q4.working_days(since=date(2026, 11, 17)) == 33
    assert Q4.working_days(since=date(2026, 11, 18)) == 32
    # Issue 11 point 13: the public holiday 24/11 is not a working day (Bộ luật Lao động 2019
    # Điều 112) and the quarter has 65, half = 32.5. Recruited Mon 16 Nov: 11 − 1 + 23 = 33 →
    # rated; Tue 17 Nov: 10 − 1 + 23 = 32 < 32.5 → not rated.
    assert one(person("1", 80, recruited_on=date(2026, 11, 16))).rating is R.HTTNV
    assert one(person("1", 80, recruited_on=date(2026, 11, 17))).rating is R.NOT_RATED
    # maternity in the quarter counts as worked
    assert one(person("1", 80, maternity_days=66)).rating is R.HTTNV


def test_month_half_the_working_days():
    # February 2026 starts on a Sunday: 28 days = 20 Monday–Fridays. Issue 11 point 13 (Bộ luật
    # Lao động 2019 Điều 112): Tết 16–20/02/2026 are not working days, so 15; half 7.5:
    # leave 7 → 8 worked → rated; leave 8 → 7 < 7.5 → not rated.
    assert FEB.working_days() == 20
    assert one(person("1", 80, leave_days=7), period=FEB).rating is R.HTTNV
    assert one(person("1", 80, leave_days=8), period=FEB).rating is R.NOT_RATED


# --------------------------------------------------------------------------------------------
# The cap
# --------------------------------------------------------------------------------------------

CAPPED = regulation()  # default cap: 20 %, hospital scope, managers apart, split by Nhóm


def by_id(result: ScoreResult):
    return {p.person.staff_id: p for p in result.people}


def test_cap_twenty_percent_of_ten():
    # 3 HTXSNV + 7 HTTNV = 10 → floor(0.2 × 10) = 2 slots: 97 and 94 keep, 92 → HTTNV
    people = [person("a", 97), person("b", 94), person("c", 92), *staff(7)]
    result = score(people, CAPPED)
    (g,) = result.cap_groups
    assert (g.key, g.denominator, g.slots, g.rate) == ("Viên chức, người lao động", 10, 2, 0.2)
    assert (g.kept, g.demoted, g.pending) == (("a", "b"), ("c",), ())
    p = by_id(result)
    assert p["a"].rating is R.HTXSNV and p["b"].rating is R.HTXSNV
    assert (p["c"].band, p["c"].rating, p["c"].reasons) == (R.HTXSNV, R.HTTNV, ("cap",))
    assert p["c"].notes == (
        "Vượt trần 20% HTXSNV của nhóm Viên chức, người lao động: xếp HTTNV",
    )
    assert p["c"].peer_group == "Viên chức, người lao động"
    assert p["c"].grade == "B"


def test_cap_denominator_ignores_overridden_people():
    # 3 HTXSNV + 7 HTTNV, but one HTTNV is not rated and one 96 is disciplined:
    # denominator = 2 HTXSNV + 6 HTTNV = 8 → 1 slot: only the 97 keeps HTXSNV
    people = [person("a", 97), person("b", 94), person("d", 96, discipline=Discipline.CANH_CAO)]
    people += [*staff(6), person("nr", 80, leave_days=40)]
    result = score(people, CAPPED)
    (g,) = result.cap_groups
    assert (g.denominator, g.slots, g.candidates, g.kept, g.demoted) == (8, 1, ("a", "b"), ("a",), ("b",))
    assert by_id(result)["d"].rating is R.KHTNV


def test_cap_exceptional_unit_25_percent():
    # 12 at HTT-or-better: 20 % → 2 slots; exceptional 25 % → 3 slots
    people = [person("a", 99), person("b", 97), person("c", 95), person("d", 93), *staff(8)]
    assert score(people, CAPPED).cap_groups[0].kept == ("a", "b")
    reg = replace(CAPPED, organisation=replace(CAPPED.organisation, exceptional_unit=True))
    result = score(people, reg)
    (g,) = result.cap_groups
    assert (g.rate, g.slots, g.kept, g.demoted) == (0.25, 3, ("a", "b", "c"), ("d",))
    assert by_id(result)["d"].notes == (
        "Vượt trần 25% HTXSNV của nhóm Viên chức, người lao động: xếp HTTNV",
    )


def test_cap_managers_apart():
    # managers: 95 + 4 × 80 = 5 → 1 slot (95 keeps); staff: 93, 92 + 8 × 80 = 10 → 2 slots
    managers = [person("m1", 95, is_manager=True), *staff(4, prefix="m", is_manager=True)]
    workers = [person("w1", 93), person("w2", 92), *staff(8, prefix="w")]
    result = score(managers + workers, CAPPED)
    groups = {g.key: g for g in result.cap_groups}
    assert [g.key for g in result.cap_groups] == ["Lãnh đạo, quản lý", "Viên chức, người lao động"]
    assert (groups["Lãnh đạo, quản lý"].slots, groups["Lãnh đạo, quản lý"].kept) == (1, ("m1",))
    assert groups["Viên chức, người lao động"].kept == ("w1", "w2")
    # together: 15 → 3 slots, still all three keep; with managers in: 93 and 92 compete with 95
    flat = regulation(cap=dict(managers_apart=False))
    (g,) = score(managers + workers, flat).cap_groups
    assert (g.key, g.denominator, g.slots, g.kept) == ("Toàn viện", 15, 3, ("m1", "w1", "w2"))
    # one more worker at 91 overflows only the merged group's 3 slots
    result = score([*managers, *workers, person("w3", 91)], flat)
    assert result.cap_groups[0].demoted == ("w3",)


def test_cap_split_by_nhom():
    doctors = [person("bs1", 96, peer_group="Bác sĩ"), person("bs2", 95, peer_group="Bác sĩ")]
    doctors += staff(3, prefix="bs", peer_group="Bác sĩ")  # 5 → 1 slot
    nurses = [person("dd1", 94, peer_group="Điều dưỡng"), *staff(4, prefix="dd", peer_group="Điều dưỡng")]
    result = score(doctors + nurses, CAPPED)
    groups = {g.key: g for g in result.cap_groups}
    assert list(groups) == ["Viên chức, người lao động – Bác sĩ", "Viên chức, người lao động – Điều dưỡng"]
    assert (groups["Viên chức, người lao động – Bác sĩ"].kept, groups["Viên chức, người lao động – Bác sĩ"].demoted) == (("bs1",), ("bs2",))
    assert groups["Viên chức, người lao động – Điều dưỡng"].kept == ("dd1",)
    assert by_id(result)["bs2"].peer_group == "Viên chức, người lao động – Bác sĩ"
    # without the split: 10 → 2 slots; 96 and 95 keep, 94 → HTTNV
    (g,) = score(doctors + nurses, regulation(cap=dict(split_by_group=False))).cap_groups
    assert (g.kept, g.demoted) == (("bs1", "bs2"), ("dd1",))


def test_cap_department_scope():
    noi = [person("n1", 95), person("n2", 94), *staff(3, prefix="n")]  # 5 → 1 slot
    ngoai = [person("g1", 93, department="Khoa Ngoại"), *staff(4, prefix="g", department="Khoa Ngoại")]
    reg = regulation(cap=dict(scope="department"))
    result = score(noi + ngoai, reg)
    groups = {g.key: g for g in result.cap_groups}
    assert set(groups) == {"Viên chức, người lao động – Khoa Nội", "Viên chức, người lao động – Khoa Ngoại"}
    assert groups["Viên chức, người lao động – Khoa Nội"].demoted == ("n2",)
    assert groups["Viên chức, người lao động – Khoa Ngoại"].kept == ("g1",)
    # hospital scope: 10 → 2 slots for 95, 94, 93 → 93 demoted instead
    (g,) = score(noi + ngoai, CAPPED).cap_groups
    assert (g.kept, g.demoted) == (("n1", "n2"), ("g1",))


def test_cap_denominator_htt_only():
    # 3 HTXSNV + 7 HTTNV: htt_only counts 7 → 1 slot
    people = [person("a", 97), person("b", 94), person("c", 92), *staff(7)]
    (g,) = score(people, regulation(cap=dict(denominator="htt_only"))).cap_groups
    assert (g.denominator, g.slots, g.kept, g.demoted) == (7, 1, ("a",), ("b", "c"))


def test_cap_tie_goes_to_the_council():
    # slots 2; totals 95, 93, 93, 93 → 95 keeps, three 93s PENDING_COUNCIL, the 91 → HTTNV
    people = [person("a", 95, name="Trần Văn Hùng"), person("b", 93, name="Lê Thị Yến"), person("c", 93, name="Phạm Văn An"), person("d", 93, name="Đỗ Thị Bình"), person("e", 91, name="Vũ Văn Cường"), *staff(5)]
    result = score(people, CAPPED)
    (g,) = result.cap_groups
    assert (g.slots, g.kept, g.demoted, g.slots_left_for_tie, g.cutoff_total) == (2, ("a",), ("e",), 1, 93.0)
    # pending listed in name order (An, Bình, Yến): an order of listing, not of merit
    assert g.pending == ("c", "d", "b")
    p = by_id(result)
    for sid in "bcd":
        assert (p[sid].rating, p[sid].reasons, p[sid].grade) == (R.PENDING_COUNCIL, ("cap-tie",), None)
        assert p[sid].notes == (
            "Bằng điểm ở ngưỡng trần 20% HTXSNV của nhóm Viên chức, người lao động: còn 1 suất "
            "cho 3 người cùng 93 điểm; chờ Hội đồng xét",
        )
    assert (p["e"].rating, p["e"].reasons) == (R.HTTNV, ("cap",))
    ties = [i for i in result.report.issues if i.code == "cap-tie"]
    assert len(ties) == 1
    assert ties[0].severity is Severity.WARNING
    assert ties[0].message == (
        "Nhóm \"Viên chức, người lao động\": còn 1 suất HTXSNV cho 3 người cùng 93 điểm "
        "(c, d, b); cần Hội đồng xem xét."
    )


def test_cap_tie_that_fits():
    # 15 → 3 slots; 95, 93, 93, 90 → both 93s fit the 2 slots left; 90 → HTTNV
    people = [person("a", 95), person("b", 93), person("c", 93), person("d", 90), *staff(11)]
    result = score(people, CAPPED)
    (g,) = result.cap_groups
    assert (g.slots, g.kept, g.pending, g.demoted) == (3, ("a", "b", "c"), (), ("d",))
    assert not [i for i in result.report.issues if i.code == "cap-tie"]


def test_cap_zero_slots_demotes_all():
    # 2 HTXSNV + 2 HTTNV = 4 → floor(0.8) = 0 slots: both HTXSNV → HTTNV, nobody pending
    result = score([person("a", 96), person("b", 96), *staff(2)], CAPPED)
    (g,) = result.cap_groups
    assert (g.slots, g.kept, g.pending, g.demoted) == (0, (), (), ("a", "b"))
    assert all(p.rating is R.HTTNV for p in result.people)
    step = next(s for s in by_id(result)["a"].steps if s.rule == "Trần HTXSNV")
    assert "không còn suất → xếp HTTNV" in step.detail


def test_cap_disabled_for_the_period_kind():
    reg = regulation(cap=dict(enabled_quarter=False))
    result = score([person("a", 96), person("b", 96), *staff(2)], reg)
    assert result.cap_groups == ()
    assert [p.rating for p in result.people[:2]] == [R.HTXSNV, R.HTXSNV]
    # the same regulation still caps the year
    result = score([person("a", 96), person("b", 96), *staff(2)], reg, period=Y2026)
    assert result.cap_groups[0].demoted == ("a", "b")


def test_cap_explain_step():
    people = [person("a", 97), person("b", 94), person("c", 92), *staff(7)]
    steps = explain(score(people, CAPPED), "c")
    cap = next(s for s in steps if s.rule == "Trần HTXSNV")
    assert cap.detail == (
        "Nhóm \"Viên chức, người lao động\": mẫu số 10 (số người xếp HTTNV trở lên trước khi áp "
        "trần), tỷ lệ 20% → 2 suất; 3 ứng viên HTXSNV; đứng thứ 3 trong các ứng viên (92 điểm), "
        "dưới ngưỡng 94 điểm → xếp HTTNV."
    )
    assert "48/2023" in cap.basis and "366-QĐ/TW" in cap.basis
    assert steps[-1].rule == "Kết quả"
    assert steps[-1].detail == (
        "Hoàn thành tốt nhiệm vụ (HTTNV), loại B; hạng 3 toàn viện, hạng 3 trong Khoa Nội."
    )
    rules = [s.rule for s in steps]
    assert rules[:3] == ["Tiêu chí TC", "Tổng điểm tiêu chí", "Điểm cộng"]
    assert rules.index("Xếp loại theo điểm") < rules.index("Thời gian làm việc") < rules.index("Trần HTXSNV")


def test_explain_unknown_staff_id():
    result = score([person("NV001", 80)], NO_CAP)
    with pytest.raises(UsageError, match=r"Không có mã nhân viên \"NV010\".*Có phải \"NV001\""):
        explain(result, "NV010")
    assert explain(result, " NV001 ")[-1].rule == "Kết quả"


# --------------------------------------------------------------------------------------------
# Managers inferred from the position
# --------------------------------------------------------------------------------------------


def test_manager_inferred_from_position_when_column_absent_or_empty():
    reg = regulation(cap=dict(infer_manager_from_position=True))
    cols = {"is_manager": "F", "position": "E"}
    people = [
        # sheet "Khoa Nội": no "Lãnh đạo" column → inferred
        person("1", 95, position="Phó trưởng khoa Nội", columns={"position": "E"}),
        person("3", 80, position="Bác sĩ", columns={"position": "E"}),
        # sheet "Khoa Ngoại": the column exists but marks nobody (left empty) → inferred
        person("4", 90, position="Trưởng khoa", department="Khoa Ngoại", columns=cols),
        # sheet "Khoa Sản": the column marks someone → trusted; the unmarked head stays staff
        person("5", 91, position="Giám đốc", department="Khoa Sản", columns=cols, is_manager=True),
        person("2", 95, position="Trưởng khoa", department="Khoa Sản", columns=cols),
    ]
    result = score(people, reg)
    assert result.inferred_managers == ("1", "4")
    p = by_id(result)
    assert p["1"].person.is_manager and p["1"].person.manager_inferred
    assert p["1"].peer_group == "Lãnh đạo, quản lý"
    assert p["4"].person.manager_inferred
    assert not p["2"].person.is_manager and not p["2"].person.manager_inferred
    assert p["2"].peer_group == "Viên chức, người lao động"
    assert p["5"].person.is_manager and not p["5"].person.manager_inferred
    issues = [i for i in result.report.issues if i.code == "manager-inferred"]
    assert [i.severity for i in issues] == [Severity.INFO, Severity.INFO]
    assert (issues[0].sheet, issues[0].row, issues[0].column, issues[0].cell) == ("Khoa Nội", 5, "E", "E5")
    assert issues[0].message == (
        "\"Nguyễn Văn 1\" được xếp vào nhóm lãnh đạo, quản lý theo chức vụ \"Phó trưởng khoa Nội\"."
    )
    why = {s.rule: s.detail for s in p["1"].steps}["Lãnh đạo, quản lý (suy ra)"]
    assert why.startswith("Sheet Khoa Nội không có cột \"Lãnh đạo\"; chức vụ \"Phó trưởng khoa Nội\" khớp \"Phó trưởng khoa\"")
    why = {s.rule: s.detail for s in p["4"].steps}["Lãnh đạo, quản lý (suy ra)"]
    assert why.startswith("Cột \"Lãnh đạo\" của sheet Khoa Ngoại không đánh dấu ai (để trống)")


def test_manager_inference_off_by_default():
    result = score([person("1", 95, position="Giám đốc")], CAPPED)
    assert result.inferred_managers == ()
    assert result.people[0].peer_group == "Viên chức, người lao động"


# --------------------------------------------------------------------------------------------
# Ranks, order, departments, report
# --------------------------------------------------------------------------------------------


def test_ranks_with_ties_and_not_rated_last():
    people = [
        person("e", 80, name="Vũ Thị Em", department="Khoa Ngoại"),
        person("nr", 99, name="Hoàng An", leave_days=50),  # not rated: no rank, listed last
        person("b", 93, name="Lê Văn Bình"),
        person("c", 93, name="Lê Văn An", department="Khoa Ngoại"),
        person("a", 95, name="Trần Thị Hà"),
    ]
    result = score(people, NO_CAP)
    order = [(p.person.staff_id, p.rank_hospital, p.rank_department) for p in result.people]
    assert order == [
        ("a", 1, 1),
        ("c", 2, 1),  # 93: "An" before "Bình", sharing rank 2
        ("b", 2, 2),
        ("e", 4, 2),
        ("nr", None, None),
    ]


def test_equal_totals_listed_in_vietnamese_name_order_then_id():
    names = ["Trần Bình", "Lê Ăn", "Đỗ Văn An", "Phạm Thị Ấn", "Nguyễn Thị Ánh"]
    people = [person(str(i), 80, name=n) for i, n in enumerate(names)]
    people.append(person("9", 80, name="Đỗ Văn An"))  # a namesake: staff ID decides the listing
    result = score(people, NO_CAP)
    assert [(p.person.name, p.person.staff_id) for p in result.people] == [
        ("Đỗ Văn An", "2"), ("Đỗ Văn An", "9"), ("Nguyễn Thị Ánh", "4"), ("Lê Ăn", "1"),
        ("Phạm Thị Ấn", "3"), ("Trần Bình", "0"),
    ]
    assert {p.rank_hospital for p in result.people} == {1}


def test_departments_in_the_result():
    people = [
        person("1", 80), person("2", 90), person("3", 70, leave_days=60),  # 3 not rated
        person("4", 60, department="Khoa Ngoại"),
    ]
    result = score(people, NO_CAP)
    assert [(d.name, d.headcount, d.rated, d.not_rated, d.mean, d.rank) for d in result.departments] == [
        ("Khoa Nội", 3, 2, 1, 85.0, 1),
        ("Khoa Ngoại", 1, 1, 0, 60.0, 2),
    ]


def test_report_carries_reading_warnings():
    warning = make_issue("number-stored-as-text", sheet="Khoa Nội", row=5, column="F", value="8,5",
                         number=8.5)
    result = score([person("1", 80)], NO_CAP, report=Report([warning]))
    assert result.report.issues[0] is warning


def test_refuses_data_with_errors():
    bad = make_issue("not-a-number", sheet="Khoa Nội", row=5, column="F", header="CS1", value="x")
    with pytest.raises(InvalidDataError) as info:
        score([person("1", 80)], NO_CAP, report=Report([bad]))
    assert info.value.report.issues == [bad]
    assert "1 lỗi" in str(info.value)


def test_period_required():
    ds = Dataset([person("1", 80)], ONE, "quy chế", Report())
    with pytest.raises(PeriodRequiredError, match="--period"):
        score_dataset(ds, NO_CAP, None)


def test_same_inputs_same_outputs():
    people = [person("b", 93), person("a", 95), person("c", 93), person("d", 93), *staff(6)]
    first = score(people, CAPPED)
    second = score(list(reversed(people)), CAPPED)
    assert [(p.person.staff_id, p.rating, p.steps) for p in first.people] == [
        (p.person.staff_id, p.rating, p.steps) for p in second.people
    ]
    assert first.cap_groups == second.cap_groups


# --------------------------------------------------------------------------------------------
# explain_ids, and the fast paths checked against the plain definitions
# --------------------------------------------------------------------------------------------

def without_steps(result: ScoreResult) -> list[PersonResult]:
    return [replace(p, steps=()) for p in result.people]


def varied_people() -> list[Person]:
    """Every rule at work: a cap tie and demotions, discipline, too little time, new staff."""
    return [
        person("a", 97, name="Trần Thị Hà"),
        person("b", 94, name="Lê Văn Bình", bonus=12),
        person("c", 94, name="Lê Văn An", department="Khoa Ngoại"),
        person("d", 92, name="Đỗ Văn An", deduction=1.5),
        person("e", 96, name="Vũ Thị Em", discipline=Discipline.CANH_CAO),
        person("f", 99, name="Hoàng An", leave_days=50),  # not rated in Q4
        person("g", 93, name="Phạm Thị Ấn", recruited_on=date(2026, 11, 20)),  # too new
        *staff(8),
    ]


def test_explain_ids_empty_builds_no_steps_and_changes_nothing_else():
    ds = Dataset(varied_people(), ONE, "quy chế", Report())
    full = score_dataset(ds, CAPPED, Q4)
    lean = score_dataset(ds, CAPPED, Q4, explain_ids=())
    assert all(p.steps for p in full.people)
    assert all(p.steps == () for p in lean.people)
    assert without_steps(lean) == without_steps(full)
    # the notes and reasons are complete without the steps
    notes = {p.person.staff_id: (p.reasons, p.notes) for p in lean.people}
    assert notes["e"][0] == ("discipline",)
    assert notes["f"][0] == ("not-worked-enough",)
    assert notes["g"][0] == ("not-worked-enough",)
    assert {sid for sid, (reasons, _) in notes.items() if "cap" in reasons or "cap-tie" in reasons}
    assert (lean.cap_groups, lean.departments, lean.inferred_managers) == (
        full.cap_groups, full.departments, full.inferred_managers,
    )
    assert lean.report.issues == full.report.issues


def test_explain_ids_builds_the_same_steps_for_the_people_asked():
    ds = Dataset(varied_people(), ONE, "quy chế", Report())
    full = by_id(score_dataset(ds, CAPPED, Q4))
    # compared on match keys: " B " finds "b"
    some = by_id(score_dataset(ds, CAPPED, Q4, explain_ids=[" B ", "f"]))
    assert {sid for sid, p in some.items() if p.steps} == {"b", "f"}
    assert some["b"].steps == full["b"].steps
    assert some["f"].steps == full["f"].steps
    assert some["b"].steps[-1].detail == full["b"].steps[-1].detail
    assert explain(score_dataset(ds, CAPPED, Q4, explain_ids={"d"}), "d") == list(full["d"].steps)


def test_person_result_is_built_positionally_in_this_field_order():
    # score_dataset passes PersonResult's fields by position (faster than 14 keywords): a
    # change of the model's field order must change it too.
    assert [f.name for f in fields(PersonResult)][:14] == [
        "person", "points", "criteria_sum", "bonus_counted", "deduction_counted", "total",
        "band", "rating", "notes", "reasons", "peer_group", "rank_department",
        "rank_hospital", "steps",
    ]


@pytest.mark.parametrize("was_enabled", [True, False])
def test_the_garbage_collector_state_is_restored(was_enabled):
    before = gc.isenabled()
    try:
        (gc.enable if was_enabled else gc.disable)()
        score([person("1", 80)], NO_CAP)
        assert gc.isenabled() is was_enabled
        with pytest.raises(PeriodRequiredError):
            score_dataset(Dataset([person("1", 80)], ONE, "quy chế", Report()), NO_CAP, None)
        assert gc.isenabled() is was_enabled
    finally:
        (gc.enable if before else gc.disable)()


def test_signed_zero_bonus_is_kept_and_repeated_values_are_exact():
    # The run remembers the decimal of each float; 0.0 and -0.0 are one dict key but not one
    # number in the outputs.
    people = [person("1", 80, bonus=-0.0), person("2", 80, bonus=0.0), person("3", 80, bonus=-0.0)]
    got = {p.person.staff_id: p.bonus_counted for p in score(people, NO_CAP).people}
    assert [math.copysign(1, got[s]) for s in "123"] == [-1, 1, -1]
    criteria = BASE.criteria
    reg = regulation(criteria=criteria, cap=dict(enabled_quarter=False))
    values = [8.1, 8.2, 13.3, 14.4, 9.1, 9.2, 9.3, 8.6, 9.7]  # 89.9 exactly, every time
    scores = dict(zip([c.code for c in criteria], values, strict=True))
    result = score([person(str(i), scores=scores) for i in range(3)], reg)
    assert [p.criteria_sum for p in result.people] == [89.9, 89.9, 89.9]


# The plain definitions the fast paths must agree with, on random hospitals.

_SYLLABLES = ["An", "Ân", "Ăn", "ân", "Bình", "Lê", "Nguyễn", "Văn", "Thị", "hoà", "Hòa", "HOÀ",
              "Đỗ", "Do", "Anh", "Ánh"]
_CODES = [c.code for c in BASE.criteria]


@st.composite
def _names(draw):
    words = draw(st.lists(st.sampled_from(_SYLLABLES), min_size=1, max_size=4))
    name = draw(st.sampled_from([" ", "  ", " \u200b "])).join(words)
    return unicodedata.normalize(draw(st.sampled_from(["NFC", "NFD"])), name)


@st.composite
def _people(draw):
    n = draw(st.integers(min_value=1, max_value=25))
    people = []
    for i in range(n):
        values = st.sampled_from([None, 0.0, -0.0, 0.5, 7.25, 8.0, 8.1, 9.3, 10.0, 15.125, 7])
        scores = {c: v for c in _CODES if (v := draw(values)) is not None}
        people.append(
            person(
                f"s{i:02d}",
                name=draw(_names()),
                department=draw(st.sampled_from(["Khoa Nội", "khoa  nội", "Khoa Ngoại"])),
                scores=scores,
                bonus=draw(st.sampled_from([0.0, -0.0, 1.0, 2.5, 12.0])),
                deduction=draw(st.sampled_from([0.0, 3.0, 8.125])),
                leave_days=draw(st.sampled_from([0.0, 10.0, 40.0, 70.0, 100.0])),
                maternity_days=draw(st.sampled_from([0.0, 20.0])),
                recruited_on=draw(st.sampled_from(
                    [None, date(2020, 1, 1), date(2026, 8, 1), date(2026, 11, 16)]
                )),
                discipline=draw(st.sampled_from([None, None, None, Discipline.KHIEN_TRACH])),
                is_manager=draw(st.booleans()),
                peer_group=draw(st.sampled_from(["", "Bác sĩ", "Điều dưỡng"])),
                position=draw(st.sampled_from(["", "Trưởng khoa", "Bác sĩ"])),
            )
        )
    return people


_REGULATIONS = [
    regulation(criteria=BASE.criteria),
    regulation(criteria=BASE.criteria, scoring=dict(decimals=0, deduction_cap=5.0)),
    regulation(criteria=BASE.criteria, scoring=dict(decimals=1),
               cap=dict(scope="department", denominator="htt_only", split_by_group=True,
                        infer_manager_from_position=True, enabled_month=True)),
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    people=_people(),
    reg=st.sampled_from(_REGULATIONS),
    period=st.sampled_from([Q4, Y2026, FEB]),
    order=st.sampled_from(["ten-ho-dem", "ho-dem-ten"]),
)
def test_fast_paths_agree_with_the_plain_definitions(people, reg, period, order):
    ds = Dataset(people, reg.criteria, "quy chế", Report())
    full = score_dataset(ds, reg, period, name_order=order)
    lean = score_dataset(ds, reg, period, name_order=order, explain_ids=())
    assert without_steps(lean) == without_steps(full)
    assert (lean.cap_groups, lean.departments, lean.report.issues) == (
        full.cap_groups, full.departments, full.report.issues,
    )
    sc = reg.scoring
    given_order = {p.staff_id: i for i, p in enumerate(people)}
    for pr in lean.people:
        p = pr.person
        # total = round(clamp(Σ points + min(bonus, cap) − deduction (capped when set)))
        points = sum((exact(p.scores[c]) for c in _CODES if c in p.scores), Decimal(0))
        deduction = exact(p.deduction)
        if sc.deduction_cap is not None:
            deduction = min(deduction, exact(sc.deduction_cap))
        raw = points + min(exact(p.bonus), exact(sc.bonus_cap)) - deduction
        clamped = min(max(raw, exact(sc.total_min)), exact(sc.total_max))
        assert exact(pr.total) == round_half_up(clamped, sc.decimals)
        assert pr.criteria_sum == float(points)
        # repr: -0.0 stays -0.0, 7 becomes 7.0
        assert {c: repr(v) for c, v in pr.points.items()} == {
            c: repr(float(p.scores.get(c, 0.0))) for c in _CODES
        }

    def shown(pr: PersonResult) -> Decimal | None:
        return None if pr.rating is R.NOT_RATED else exact(pr.total)

    # the listing order is ranking.listing_key's, input order among exact ties
    expected = sorted(
        lean.people,
        key=lambda pr: (
            listing_key(shown(pr), pr.person.name, pr.person.staff_id, name_order=order),
            given_order[pr.person.staff_id],
        ),
    )
    assert [pr.person.staff_id for pr in lean.people] == [pr.person.staff_id for pr in expected]
    # ranks are ranking.competition_ranks', hospital-wide and per department
    hospital = competition_ranks((pr.person.staff_id, shown(pr)) for pr in lean.people)
    assert {pr.person.staff_id: pr.rank_hospital for pr in lean.people} == hospital
    for dept in {key(pr.person.department) for pr in lean.people}:
        members = [pr for pr in lean.people if key(pr.person.department) == dept]
        ranks = competition_ranks((pr.person.staff_id, shown(pr)) for pr in members)
        assert {pr.person.staff_id: pr.rank_department for pr in members} == ranks
