"""core/kpi.py by hand: attainment for every direction and formula, the cap, thresholds, the
weighted score, the cascade, the manager's blend, rankings with ties, the findings, and the
points a KPI gives a criterion. Every expected number is worked out in the test."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from helpers import default_regulation
from thidua_cli.core.kpi import (
    Direction,
    Indicator,
    Kind,
    Level,
    attainment,
    compute_kpi,
    criterion_points,
    fill_criterion,
)
from thidua_cli.model import Report, Severity, SourceRow

SETTINGS = default_regulation().kpi  # cap 1.20, inverse, band ratio, missing actual = error


def ind(code: str = "I1", *, level: Level = Level.DEPARTMENT, dept: str = "Khoa Nội",
        staff: str = "", direction: Direction | None = Direction.HIGHER, target: float | None = 100,
        actual: float | None = 100, weight: float | None = 100, row: int = 2, **more: object
        ) -> Indicator:
    return Indicator(code=code, name=f"Chỉ số {code}", level=level, department=dept,
                     staff_id=staff, direction=direction, target=target, actual=actual,
                     weight=weight, where=SourceRow("kpi.xlsx", "KPI", row),
                     columns={"target": "G", "actual": "H", "weight": "I", "code": "A",
                              "parent": "K", "direction": "F"}, **more)  # type: ignore[arg-type]


def pct(indicator: Indicator, settings: object = SETTINGS) -> float | None:
    return attainment(indicator, settings)[0]  # type: ignore[arg-type]


# --- attainment per direction ---------------------------------------------------------------


def test_higher_is_better_is_actual_over_target() -> None:
    # 81 / 90 = 0.9 → 90 %
    assert pct(ind(target=90, actual=81)) == 90.0
    # 93 / 90 = 1.0333… → 103.33 % (2 decimals, half up)
    assert pct(ind(target=90, actual=93)) == 103.33


def test_lower_is_better_inverse_is_target_over_actual() -> None:
    # infection rate: target 2, actual 2.5 → 2 / 2.5 = 80 %
    assert pct(ind(direction=Direction.LOWER, target=2, actual=2.5)) == 80.0
    # actual 0 is the best possible: the cap, 120 %
    assert pct(ind(direction=Direction.LOWER, target=2, actual=0)) == 120.0


def test_lower_is_better_complement() -> None:
    s = replace(SETTINGS, lower_formula="complement")
    # 2 − 2.5 / 2 = 0.75 → 75 %; 2 − 1.5 / 2 = 1.25 → 125 % → capped 120 %; 2 − 5/2 < 0 → 0 %
    assert pct(ind(direction=Direction.LOWER, target=2, actual=2.5), s) == 75.0
    assert pct(ind(direction=Direction.LOWER, target=2, actual=1.5), s) == 120.0
    assert pct(ind(direction=Direction.LOWER, target=2, actual=5), s) == 0.0


def test_band_ratio_and_all_or_nothing() -> None:
    band = {"direction": Direction.BAND, "target": None, "band_low": 30.0, "band_high": 45.0}
    assert pct(ind(actual=40, **band)) == 100.0  # inside
    assert pct(ind(actual=24, **band)) == 80.0  # below: 24 / 30
    assert pct(ind(actual=50, **band)) == 90.0  # above: 45 / 50
    strict = replace(SETTINGS, band_formula="all_or_nothing")
    assert pct(ind(actual=50, **band), strict) == 0.0
    assert pct(ind(actual=45, **band), strict) == 100.0


def test_the_cap_and_its_step() -> None:
    got, raw, steps, problem = attainment(ind(target=100, actual=135), SETTINGS)
    assert (got, raw, problem) == (120.0, 135.0, None)
    assert steps[-1].rule == "Trần mức hoàn thành"
    assert "135 % vượt trần 120 %" in steps[-1].detail
    wider = replace(SETTINGS, cap=Decimal("1.5"))
    assert pct(ind(target=100, actual=135), wider) == 135.0


def test_partial_credit_threshold() -> None:
    # below the threshold 70 (higher is better) → 0; at 75: 75 / 100 = 75 %
    assert pct(ind(target=100, actual=65, threshold=70)) == 0.0
    assert pct(ind(target=100, actual=75, threshold=70)) == 75.0
    # lower is better: above the threshold 3 → 0; 2.5 → 2 / 2.5 = 80 %
    assert pct(ind(direction=Direction.LOWER, target=2, actual=3.5, threshold=3)) == 0.0
    assert pct(ind(direction=Direction.LOWER, target=2, actual=2.5, threshold=3)) == 80.0


def test_target_zero_with_a_ratio_is_a_finding_with_its_cell() -> None:
    r = compute_kpi([ind(target=0, actual=5)], SETTINGS)
    (issue,) = [i for i in r.report.issues if i.code == "kpi-target-zero"]
    assert (issue.severity, issue.sheet, issue.cell) == (Severity.ERROR, "KPI", "G2")
    assert r.departments[0].score is None  # no score rather than a wrong one


# --- owners, weights, cascade, blend --------------------------------------------------------


def test_weighted_score_of_a_department() -> None:
    # 60 × 90 % + 40 × 120 % (6 / 5 = 120 %) = 54 + 48 = 102
    r = compute_kpi([ind("K01", target=90, actual=81, weight=60),
                     ind("K02", direction=Direction.LOWER, target=6, actual=5, weight=40)],
                    SETTINGS)
    (d,) = r.departments
    assert (d.name, d.score, d.rank, d.weight_sum) == ("Khoa Nội", 102.0, 1, 100.0)
    assert d.steps[-1].detail == "(60 × 90 + 40 × 120) / 100 = 102"


def test_weights_not_100_warn_and_share_proportionally() -> None:
    # weights 30 + 30 = 60: (30 × 80 + 30 × 100) / 60 = 90
    r = compute_kpi([ind("A", target=100, actual=80, weight=30),
                     ind("B", target=100, actual=100, weight=30, row=3)], SETTINGS)
    assert r.departments[0].score == 90.0
    (w,) = [i for i in r.report.issues if i.code == "kpi-weights-not-100"]
    assert w.severity is Severity.WARNING and "là 60" in w.message and w.cell == "I2"
    strict = compute_kpi([ind("A", weight=30)], replace(SETTINGS, weights_not_100="error"))
    assert not strict.report.valid


def test_blank_weights_are_equal_shares() -> None:
    # (80 + 100) / 2 = 90
    r = compute_kpi([ind("A", actual=80, weight=None), ind("B", weight=None, row=3)], SETTINGS)
    assert r.departments[0].score == 90.0
    assert not [i for i in r.report.issues if i.code == "kpi-weights-not-100"]


def test_missing_actual_policies() -> None:
    rows = [ind("A", actual=None, weight=50), ind("B", actual=80, weight=50, row=3)]
    err = compute_kpi(rows, SETTINGS)
    assert not err.report.valid and err.departments[0].score is None
    # zero: (50 × 0 + 50 × 80) / 100 = 40
    zero = compute_kpi(rows, replace(SETTINGS, missing_actual="zero"))
    assert zero.report.valid and zero.departments[0].score == 40.0
    # skip: only B, 50 × 80 / 50 = 80
    skip = compute_kpi(rows, replace(SETTINGS, missing_actual="skip"))
    assert skip.report.valid and skip.departments[0].score == 80.0


def test_cascade_inherits_what_the_child_leaves_blank() -> None:
    hospital = ind("BV02", level=Level.HOSPITAL, dept="", direction=Direction.LOWER, target=2,
                   actual=1.6, unit="%", kind=Kind.PERCENT)
    child = ind("K02", direction=None, target=None, actual=2.5, parent="bv02", row=3)
    r = compute_kpi([hospital, child], SETTINGS)
    (d,) = r.departments
    (a,) = d.indicators
    # inherited: lower is better, target 2 → 2 / 2.5 = 80 %
    assert a.indicator.direction is Direction.LOWER and a.indicator.target == 2
    assert set(a.inherited) == {"direction", "target", "unit", "kind"}
    assert a.percent == 80.0
    assert d.steps[0].rule == "Phân bổ từ chỉ số cha"
    (line,) = r.cascade
    assert line.parent.indicator.code == "BV02" and line.parent.percent == 120.0  # 2/1.6=125→120
    assert [c.indicator.code for c in line.children] == ["K02"]


def test_unknown_parent_is_an_error_with_a_suggestion() -> None:
    hospital = ind("BV02", level=Level.HOSPITAL, dept="")
    child = ind("K02", target=None, parent="BV20", row=3)
    r = compute_kpi([hospital, child], SETTINGS)
    (issue,) = [i for i in r.report.issues if i.code == "kpi-unknown-parent"]
    assert issue.cell == "K3" and "BV02" in issue.message


def test_manager_blends_the_department_score() -> None:
    # department: 102 (as above); manager's own: 45 / 50 = 90 %
    # (1 − 0.3) × 90 + 0.3 × 102 = 63 + 30.6 = 93.6; staff weight 0 → own score 120 (130 capped)
    rows = [ind("K01", target=90, actual=81, weight=60),
            ind("K02", direction=Direction.LOWER, target=6, actual=5, weight=40, row=3),
            ind("QL1", level=Level.MANAGER, staff="N02", target=50, actual=45, row=4),
            ind("NV1", level=Level.STAFF, staff="N01", target=100, actual=130, row=5)]
    r = compute_kpi(rows, SETTINGS)
    manager, staff = r.person("N02"), r.person("n01")
    assert manager is not None and staff is not None
    assert (manager.level, manager.own, manager.score) == (Level.MANAGER, 90.0, 93.6)
    assert manager.steps[-1].detail == "(1 − 30 %) × 90 + 30 % × 102 (KPI Khoa Nội) = 93,6"
    assert (staff.own, staff.score) == (120.0, 120.0)
    both = compute_kpi(rows, replace(SETTINGS, staff_department_weight=Decimal("0.5")))
    # 0.5 × 120 + 0.5 × 102 = 111
    assert both.person("N01").score == 111.0  # type: ignore[union-attr]


def test_hospital_indicator_owned_by_a_department_counts_there() -> None:
    owned = ind("BV05", level=Level.HOSPITAL, dept="Khoa Dược", target=100, actual=90, weight=100)
    r = compute_kpi([owned], SETTINGS)
    assert r.hospital is not None and r.hospital.score == 90.0
    assert [(d.name, d.score) for d in r.departments] == [("Khoa Dược", 90.0)]
    off = compute_kpi([owned], replace(SETTINGS, hospital_owned_in_department=False))
    assert off.departments == ()


def test_rankings_report_ties_never_break_them() -> None:
    rows = [ind("A", dept="Khoa A", actual=90), ind("A", dept="Khoa B", actual=95, row=3),
            ind("A", dept="Khoa C", actual=95, row=4), ind("A", dept="Khoa D", actual=80, row=5)]
    r = compute_kpi(rows, SETTINGS)
    assert [(d.name, d.rank) for d in r.departments] == [
        ("Khoa B", 1), ("Khoa C", 1), ("Khoa A", 3), ("Khoa D", 4)]
    (tie,) = r.ties
    assert (tie.rank, tie.score, tie.keys) == (1, 95.0, ("Khoa B", "Khoa C"))
    (issue,) = [i for i in r.report.issues if i.code == "kpi-rank-tie"]
    assert issue.severity is Severity.INFO and "Khoa B, Khoa C" in issue.message


def test_quality_criterion_and_satisfaction_survey() -> None:
    # Bộ tiêu chí chất lượng: level 3 of target 4 → 75 %
    q = ind("Q1", kind=Kind.QUALITY, target=4, actual=3)
    # survey without a direction: higher is better, 88 / 90 = 97.78 %
    s = ind("S1", kind=Kind.SURVEY, direction=None, target=90, actual=88, row=3)
    r = compute_kpi([replace(q, weight=50), replace(s, weight=50)], SETTINGS)
    assert [a.percent for a in r.departments[0].indicators] == [75.0, 97.78]
    # (50 × 75 + 50 × 97.78) / 100 = 86.39
    assert r.departments[0].score == 86.39


def test_missing_direction_and_duplicate_are_errors() -> None:
    r = compute_kpi([ind("A", direction=None), ind("A", row=3)], SETTINGS)
    codes = sorted(i.code for i in r.report.errors)
    assert codes == ["kpi-duplicate-indicator", "kpi-unknown-direction"]


def test_department_not_in_the_regulation_list() -> None:
    r = compute_kpi([ind(dept="khoa nội")], SETTINGS, departments=("Khoa Nội", "Khoa Ngoại"))
    assert r.departments[0].name == "Khoa Nội"  # canonical spelling
    r = compute_kpi([ind(dept="Khoa Noi tru")], SETTINGS, departments=("Khoa Nội",))
    (w,) = r.report.issues
    assert w.code == "kpi-unknown-owner" and w.severity is Severity.WARNING


# --- into the score --------------------------------------------------------------------------


@pytest.mark.parametrize(("score", "max_points", "points"), [
    (93.6, 30, 28.08),  # 93.6 × 30 / 100
    (102, 30, 30.0),  # 30.6 → never above the maximum
    (50, 20, 10.0),
])
def test_criterion_points(score: float, max_points: float, points: float) -> None:
    assert criterion_points(score, max_points, 2)[0] == points


def test_fill_criterion_falls_back_to_the_department_and_reports_the_rest() -> None:
    rows = [ind("K01", target=90, actual=81, weight=60),
            ind("K02", direction=Direction.LOWER, target=6, actual=5, weight=40, row=3),
            ind("NV1", level=Level.STAFF, staff="N01", target=100, actual=80, row=4)]
    r = compute_kpi(rows, SETTINGS)
    where = SourceRow("q.xlsx", "Khoa Nội", 5)
    fill = fill_criterion([("N01", "An", "Khoa Nội", where), ("N03", "Cường", "Khoa Nội", where),
                           ("X9", "Xuân", "Khoa Ngoại", where)], r, "KPI", 30, 2)
    # N01: 80 × 30 / 100 = 24; N03: department 102 → 30.6 → 30
    assert dict(fill.points) == {"N01": 24.0, "N03": 30.0}
    (issue,) = fill.issues
    assert issue.code == "kpi-no-score" and issue.row == 5 and "Khoa Ngoại" in issue.message
    assert fill.steps["N03"][0].detail.startswith("không có chỉ số cá nhân")


def test_a_report_passed_in_is_kept() -> None:
    report = Report()
    r = compute_kpi([ind()], SETTINGS, report=report)
    assert r.report is report


def test_fill_criterion_reports_kpi_people_missing_from_the_quarter() -> None:
    rows = [ind("NV1", level=Level.STAFF, staff="N01", actual=90),
            ind("NV1", level=Level.STAFF, staff="N99", actual=90, row=3),
            ind("NV1", level=Level.STAFF, dept="Khoa Ngoại", staff="X01", actual=90, row=4)]
    r = compute_kpi(rows, SETTINGS)
    fill = fill_criterion([("N01", "An", "Khoa Nội", None)], r, "KPI", 30, 2)
    # N99 is in Khoa Nội's KPI but not in its quarter sheet; X01's Khoa Ngoại is in no sheet
    # of this quarter: reported too (issue 15), at X01's staff-ID cell.
    w, x = fill.issues
    assert (w.code, w.severity, w.row, w.value) == ("kpi-unknown-owner", Severity.WARNING, 3, "N99")
    assert (x.code, x.severity, x.file, x.sheet, x.row, x.value) == (
        "kpi-unknown-owner", Severity.WARNING, "kpi.xlsx", "KPI", 4, "X01")
    assert "Khoa Ngoại" in x.message and "không có trong quý" in x.message
    assert dict(fill.points) == {"N01": 27.0}  # 90 × 30 / 100


def test_fill_criterion_groups_the_departments_missing_from_the_quarter() -> None:
    # Three people of Khoa Ngoại's KPI and one of Khoa Sản, a quarter of Khoa Nội only: one
    # finding, at the first person's cell (row 3), counting them by department.
    rows = [ind("NV1", level=Level.STAFF, staff="N01", actual=90),
            *(ind("NV1", level=Level.STAFF, dept="Khoa Ngoại", staff=f"X0{i}", actual=90,
                  row=2 + i) for i in (1, 2, 3)),
            ind("NV1", level=Level.STAFF, dept="Khoa Sản", staff="S01", actual=90, row=6)]
    fill = fill_criterion([("N01", "An", "Khoa Nội", None)], compute_kpi(rows, SETTINGS),
                          "KPI", 30, 2)
    (x,) = fill.issues
    assert (x.row, x.value) == (3, "X01")
    assert ("Bảng KPI có 4 người thuộc khoa/phòng không có trong bảng điểm quý (Khoa Ngoại: 3 "
            "người; Khoa Sản: 1 người)") in x.message


def test_a_bad_row_with_a_blank_direction_reports_both() -> None:
    # The reader found a bad cell (broken) and the direction is blank with no parent to
    # inherit from: the blank direction is reported too, at its cell (column F).
    bad = ind(direction=None, broken=True)
    r = compute_kpi([bad], SETTINGS)
    (e,) = r.report.errors
    assert (e.code, e.row, e.column) == ("kpi-unknown-direction", 2, "F")
    # An unknown direction the reader already reported is not reported twice.
    r = compute_kpi([ind(direction=None, broken=True, reported=("direction",))], SETTINGS)
    assert r.report.errors == []


def test_people_are_ranked_hospital_wide_with_ties() -> None:
    # Own scores (staff weight of the department 0 → score = own):
    #   Khoa Nội: N01 90/100 = 90 %, N02 95/100 = 95 %; Khoa Ngoại: X01 95 %, X02 80 %.
    # Within departments: N02 1, N01 2; X01 1, X02 2.
    # Hospital-wide: 95 (N02, X01) → 1, 1; 90 (N01) → 3; 80 (X02) → 4: one tie reported.
    s = replace(SETTINGS, staff_department_weight=Decimal(0))
    rows = [ind("NV1", level=Level.STAFF, staff="N01", actual=90, row=2),
            ind("NV1", level=Level.STAFF, staff="N02", actual=95, row=3),
            ind("NV1", level=Level.STAFF, dept="Khoa Ngoại", staff="X01", actual=95, row=4),
            ind("NV1", level=Level.STAFF, dept="Khoa Ngoại", staff="X02", actual=80, row=5)]
    r = compute_kpi(rows, s)
    assert {p.key: (p.score, p.rank, p.hospital_rank) for p in r.people} == {
        "N01": (90.0, 2, 3), "N02": (95.0, 1, 1), "X01": (95.0, 1, 1), "X02": (80.0, 2, 4)}
    (tie,) = [t for t in r.ties if t.scope == "Toàn viện: cá nhân"]
    assert (tie.rank, tie.score, sorted(tie.keys)) == (1, 95.0, ["N02", "X01"])
    assert any(i.code == "kpi-rank-tie" and "Toàn viện" in i.message for i in r.report.issues)
