"""The year from its quarters (core/yearly.py): the mean or weighted mean of quarter totals,
leave summed over the year, a discipline in any quarter, people missing from some quarters."""

from __future__ import annotations

from datetime import date
from typing import Any

from thidua_cli.app.awards import regulation_with
from thidua_cli.core.yearly import rollup_quarters
from thidua_cli.model import (
    Criterion,
    Dataset,
    Discipline,
    Period,
    PeriodKind,
    Person,
    Rating,
    Regulation,
    Report,
    SourceRow,
)

CRIT = (Criterion("T", "Tổng điểm", "Tổng", 100.0),)


def _person(sid: str, total: float, q: int, **kw: Any) -> Person:
    return Person(staff_id=sid, name=f"Lê Văn {sid}", department=kw.pop("dept", "Khoa Nội"),
                  source=SourceRow(f"quy-{q}-2026.xlsx", "Khoa Nội", 6), scores={"T": total},
                  recruited_on=kw.pop("recruited_on", date(2015, 1, 1)), **kw)


def _year(rows: dict[str, list[Any]], regulation: Regulation | None = None,
          extra: dict[str, dict[int, dict[str, Any]]] | None = None):
    r = regulation or regulation_with(None, [("cap.enabled_quarter", False),
                                             ("cap.enabled_year", False)])
    quarters = []
    for q in (1, 2, 3, 4):
        people = [_person(sid, totals[q - 1], q, **(extra or {}).get(sid, {}).get(q, {}))
                  for sid, totals in rows.items() if totals[q - 1] is not None]
        quarters.append((Period(PeriodKind.QUARTER, 2026, q), Dataset(people, CRIT, "t", Report())))
    return rollup_quarters(quarters, r, r.awards.rollup)


def _total(year: Any, sid: str) -> float:
    return next(p.total for p in year.score.people if p.person.staff_id == sid)


def _rating(year: Any, sid: str) -> Rating:
    return next(p.rating for p in year.score.people if p.person.staff_id == sid)


def test_mean_of_quarters() -> None:
    year = _year({"A": [90, 80, 85, 91]})
    # (90 + 80 + 85 + 91) / 4 = 86.5
    assert _total(year, "A") == 86.5
    assert _rating(year, "A") is Rating.HTTNV
    assert year.people["A"].quarters[1].rating is Rating.HTTNV


def test_weighted_mean() -> None:
    r = regulation_with(None, [("awards.rollup.method", "weighted"),
                               ("awards.rollup.weights", [1, 1, 1, 2]),
                               ("cap.enabled_quarter", False), ("cap.enabled_year", False)])
    year = _year({"A": [80, 80, 80, 95]}, r)
    # (80 + 80 + 80 + 2 × 95) / 5 = 86
    assert _total(year, "A") == 86.0


def test_leave_is_summed_over_the_year() -> None:
    # 20 + 20 + 20 + 20 = 80 days = 3.64 months of absence → at most HTNV for the year, although
    # no single quarter was affected.
    extra = {"A": {q: {"leave_days": 20} for q in (1, 2, 3, 4)}}
    year = _year({"A": [88, 88, 88, 88]}, extra=extra)
    assert _rating(year, "A") is Rating.HTNV
    assert "absence" in next(p.reasons for p in year.score.people if p.person.staff_id == "A")


def test_discipline_in_any_quarter_is_a_discipline_in_the_year() -> None:
    extra = {"A": {2: {"discipline": Discipline.KHIEN_TRACH}, 3: {"discipline": Discipline.CANH_CAO}}}
    year = _year({"A": [95, 95, 95, 95]}, extra=extra)
    person = next(p for p in year.score.people if p.person.staff_id == "A")
    assert person.rating is Rating.KHTNV
    assert person.person.discipline is Discipline.CANH_CAO  # the most severe


def test_new_staff_and_missing_quarters() -> None:
    # B was recruited on 01/8/2026: absent from quarters I and II by recruitment, not "missing".
    # C is absent from quarter II for no recorded reason. Issue 11 point 4 (decisions.md
    # 2026-12-07, "Year roll-up"): a missing quarter without a stated reason blocks that
    # person's year (an error naming them), it is no longer the mean of I, III, IV. D gives the
    # reason ("Lý do vắng": nghỉ không lương): the mean of I, III, IV still applies to him.
    extra = {"B": {q: {"recruited_on": date(2026, 8, 1)} for q in (3, 4)},
             "D": {4: {"absence_reason": "Nghỉ không lương quý II"}}}
    year = _year({"A": [80] * 4, "B": [None, None, 85, 85], "C": [90, None, 80, 85],
                  "D": [90, None, 80, 85]}, extra=extra)
    assert year.people["B"].missing == ()
    assert year.people["C"].missing == (2,)
    assert [(e.staff_id, e.reason) for e in year.excluded] == [("C", "missing_quarter")]
    assert _total(year, "D") == 85.0  # (90 + 80 + 85) / 3
    codes = [(i.code, i.message) for i in year.report.issues]
    assert any(c == "year-missing-quarters" and "\"Lê Văn C\" (C)" in m and "quý II" in m
               for c, m in codes)
    assert not any(c == "year-missing-quarters" and "(B)" in m for c, m in codes)
    # B worked 01/8 – 31/12/2026 = 109 working days < 132: not rated for the year.
    assert _rating(year, "B") is Rating.NOT_RATED


def test_missing_quarter_files_and_department_changes() -> None:
    r = regulation_with(None, [("cap.enabled_quarter", False)])
    quarters = []
    for q, dept in ((1, "Khoa Nội"), (2, "Khoa Ngoại")):
        people = [_person("A", 80, q, dept=dept)]
        quarters.append((Period(PeriodKind.QUARTER, 2026, q), Dataset(people, CRIT, "t", Report())))
    year = rollup_quarters(quarters, r, r.awards.rollup)
    codes = {i.code: i.message for i in year.report.issues}
    assert "quý III, quý IV" in codes["year-quarters-missing"]
    assert "Khoa Nội → Khoa Ngoại" in codes["year-department-changed"]
    assert year.score.people[0].person.department == "Khoa Ngoại"


def test_initiatives_max_by_default_sum_as_a_setting() -> None:
    extra = {"A": {3: {"initiatives": 1}, 4: {"initiatives": 1}}}
    year = _year({"A": [80] * 4}, extra=extra)
    assert year.score.people[0].person.initiatives == 1
    r = regulation_with(None, [("awards.rollup.initiatives", "sum"), ("cap.enabled_quarter", False)])
    year = _year({"A": [80] * 4}, r, extra=extra)
    assert year.score.people[0].person.initiatives == 2


def test_not_rated_quarters_are_left_out_of_the_mean() -> None:
    # Quarter I: leave 40 of 64 working days (< half worked) → not rated; its 20 points do not
    # drag the mean: (90 + 90 + 90) / 3 = 90.
    extra = {"A": {1: {"leave_days": 40}}}
    year = _year({"A": [20, 90, 90, 90]}, extra=extra)
    assert year.people["A"].quarters[0].rating is Rating.NOT_RATED
    assert _total(year, "A") == 90.0
