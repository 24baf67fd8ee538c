"""core.scoring.rate_table (column by column, for ``thidua validate`` on a large sheet) gives
the totals, ratings and cap flags of score_dataset, person for person.

Random tables (hypothesis) under many regulation variants and the three period kinds are scored
both ways; a few hand-worked cases pin the cap boundary; rate_table declines (None) what it
cannot promise exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import build_default_regulation
from thidua_cli.core.scoring import TableRatings, rate_table, score_dataset
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

BASE = build_default_regulation()
ONE = (Criterion("TC", "Kết quả thực hiện nhiệm vụ", "Chung", 100.0),)
Q4 = Period(PeriodKind.QUARTER, 2026, 4)
PERIODS = (Q4, Period(PeriodKind.QUARTER, 2026, 1), Period(PeriodKind.YEAR, 2026),
           Period(PeriodKind.MONTH, 2026, 2), Period(PeriodKind.MONTH, 2026, 7))
DEPARTMENTS = ("Khoa Nội", "Khoa Ngoại", "khoa nội", "Phòng Điều dưỡng")
PEER_GROUPS = ("", "Bác sĩ", "Điều dưỡng", "bác sĩ ")


def regulation(*, criteria: tuple[Criterion, ...] = BASE.criteria, **sections: Any) -> Regulation:
    """The default regulation with ``criteria``; ``sections``: cap=dict(...) etc."""
    reg = replace(BASE, criteria=criteria)
    for name, changes in sections.items():
        reg = replace(reg, **{name: replace(getattr(reg, name), **changes)})
    return reg


def person(staff_id: str, scores: dict[str, float], **kw: Any) -> Person:
    department = kw.pop("department", "Khoa Nội")
    return Person(staff_id=staff_id, name=f"Nguyễn Văn {staff_id}", department=department,
                  source=SourceRow("quy-4-2026.xlsx", "Tổng hợp", 5), scores=scores, **kw)


def by_table(people: Sequence[Person], reg: Regulation, period: Period) -> TableRatings | None:
    """rate_table on the people's columns (a missing score is 0, as the reader gives it)."""
    criteria = reg.criteria
    return rate_table(
        reg, period, criteria,
        scores=[[p.scores.get(c.code, 0.0) for p in people] for c in criteria],
        bonus=[p.bonus for p in people], deduction=[p.deduction for p in people],
        discipline=[p.discipline for p in people],
        recruited_on=[p.recruited_on for p in people],
        leave_days=[p.leave_days for p in people],
        is_manager=[p.is_manager for p in people], peer_group=[p.peer_group for p in people],
        department=[p.department for p in people], staff_ids=[p.staff_id for p in people],
    )


def by_person(people: Sequence[Person], reg: Regulation,
              period: Period) -> dict[str, tuple[float, Rating, bool]]:
    """score_dataset's (total, rating, capped) per staff ID."""
    ds = Dataset(people=list(people), criteria=reg.criteria, criteria_source="quy chế",
                 report=Report())
    result = score_dataset(ds, reg, period, explain_ids=())
    return {r.person.staff_id: (r.total, r.rating,
                                "cap" in r.reasons or "cap-tie" in r.reasons)
            for r in result.people}


def assert_same(people: Sequence[Person], reg: Regulation, period: Period) -> TableRatings:
    table = by_table(people, reg, period)
    assert table is not None
    expected = by_person(people, reg, period)
    got = {p.staff_id: (t, r, c) for p, t, r, c in
           zip(people, table.totals, table.ratings, table.capped, strict=True)}
    for sid, want in expected.items():
        assert got[sid] == want, (sid, got[sid], want)
        assert type(got[sid][0]) is float
    return table


# --------------------------------------------------------------------------------------------
# Random tables
# --------------------------------------------------------------------------------------------

# Scores in 0.5 steps near each maximum (so that many people reach HTXSNV and the cap bites,
# with ties), and a few awkward ones.
_ODD = (8.25, 7.1, 9.333333, 0.1, 4.75)


@st.composite
def criterion_score(draw: st.DrawFn, maximum: float) -> float | None:
    kind = draw(st.integers(0, 39))
    if kind == 0:
        return None  # blank: counts 0
    if kind <= 2:
        return draw(st.sampled_from(_ODD))
    if kind <= 5:
        return draw(st.integers(0, int(2 * maximum))) / 2
    return maximum - draw(st.integers(0, 3)) / 2


@st.composite
def regulations(draw: st.DrawFn) -> Regulation:
    criteria = draw(st.sampled_from((BASE.criteria, ONE)))
    on = draw(st.booleans()) or draw(st.booleans())  # the cap mostly on
    cap = dict(
        enabled_year=on, enabled_quarter=on, enabled_month=on and draw(st.booleans()),
        scope=draw(st.sampled_from(("hospital", "department"))),
        denominator=draw(st.sampled_from(("htt_or_better", "htt_or_better", "htt_only"))),
        managers_apart=draw(st.booleans()), split_by_group=draw(st.booleans()),
        rate=draw(st.sampled_from((0.2, 0.2, 0.1, 0.35, 0.0, 1.0))),
    )
    scoring = dict(
        decimals=draw(st.sampled_from((0, 1, 2, 2))),
        bonus_cap=draw(st.sampled_from((10, 10, 2.5, 0))),
        deduction_cap=draw(st.sampled_from((None, None, 5, 1.5))),
    )
    overrides = dict(discipline_forces_khtnv=draw(st.booleans()) or draw(st.booleans()))
    organisation = dict(exceptional_unit=draw(st.booleans()) and draw(st.booleans()))
    return regulation(criteria=criteria, cap=cap, scoring=scoring, overrides=overrides,
                      organisation=organisation)


@st.composite
def people_of(draw: st.DrawFn, reg: Regulation, period: Period) -> list[Person]:
    n = draw(st.integers(0, 30))
    out = []
    inside = (period.start.toordinal(), period.end.toordinal())
    for i in range(n):
        if reg.criteria == ONE:
            pick = draw(st.integers(0, 5))
            total = (draw(st.sampled_from((95, 92.5, 92, 90, 89.995, 89.5, 85, 70, 69.99, 50,
                                           3.5, 0, 100, 8.25, 7.1)))
                     if pick else draw(st.integers(0, 200)) / 2)
            scores = {"TC": total}
        else:
            scores = {}
            for c in reg.criteria:
                value = draw(criterion_score(c.max_points))
                if value is not None:
                    scores[c.code] = value
        recruited: date | None = draw(st.sampled_from(
            (None,) * 12 + (date(2015, 3, 1), period.start, "inside")))
        if recruited == "inside":
            recruited = date.fromordinal(draw(st.integers(*inside)))
        out.append(person(
            f"NV{i:03d}", scores,
            bonus=draw(st.sampled_from((0.0, 0.0, 0.0, 0.5, 2.0, 3.25, 12.0))),
            deduction=draw(st.sampled_from((0.0, 0.0, 0.0, 1.0, 3.5, 25.0))),
            discipline=draw(st.sampled_from((None,) * 20 + tuple(Discipline))),
            recruited_on=recruited,
            leave_days=draw(st.sampled_from((0.0,) * 30 + (1.0, 5.5, 20.0, 33.0, 40.0, 66.0, 70.0,
                                                          100.0, 131.5, 132.0, 200.0, 261.0))),
            is_manager=draw(st.booleans()) and draw(st.booleans()),
            peer_group=draw(st.sampled_from(PEER_GROUPS)),
            department=draw(st.sampled_from(DEPARTMENTS)),
        ))
    return out


@st.composite
def cases(draw: st.DrawFn) -> tuple[list[Person], Regulation, Period]:
    reg = draw(regulations())
    period = draw(st.sampled_from(PERIODS))
    return draw(people_of(reg, period)), reg, period


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_rate_table_equals_score_dataset(case: tuple[list[Person], Regulation, Period]) -> None:
    people, reg, period = case
    assert_same(people, reg, period)


def test_random_tables_reach_the_cap_and_its_ties() -> None:
    """The generator is not vacuous: among seeded tables, the cap demotes and ties go to the
    council (checked on score_dataset's side; the comparison is the test above)."""
    import random

    rng = random.Random(2026)
    reg = regulation(criteria=ONE, cap=dict(managers_apart=False, split_by_group=False))
    seen: set[Rating] = set()
    capped = 0
    for _ in range(20):
        people = [person(f"NV{i:03d}", {"TC": rng.choice((95, 92, 92, 90, 85, 80, 75, 60))})
                  for i in range(rng.randint(5, 40))]
        table = assert_same(people, reg, Q4)
        seen.update(table.ratings)
        capped += sum(table.capped)
    assert Rating.PENDING_COUNCIL in seen and capped > 0


# --------------------------------------------------------------------------------------------
# By hand
# --------------------------------------------------------------------------------------------


def test_hand_worked_tie_at_the_cap_boundary() -> None:
    # One 100-point criterion, quarter IV 2026, cap 20 % of everyone rated HTTNV or better in one
    # peer group (all staff, no "Nhóm"), two decimals, bonus counted up to 10.
    #   A 95                       → 95.00  HTXSNV
    #   B 90 + bonus 2             → 92.00  HTXSNV
    #   C 91.995 (half up)         → 92.00  HTXSNV
    #   D 93 − deduction 2         → 91.00  HTXSNV
    #   E 85, F 80, G 80, H 75, I 72 → HTTNV
    #   J 70 (the HTTNV threshold) → 70.00  HTTNV
    #   K 60                       → 60.00  HTNV (not in the denominator)
    #   L 99, disciplined          → 99.00  KHTNV: neither candidate nor counted
    # Denominator: A–J = 10 → slots = floor(0.2 × 10) = 2. Candidates by total: A 95, B 92,
    # C 92, D 91. Cut-off = the 2nd total = 92; above it only A (95) → 1 slot left for the two
    # people at 92 → B and C go to the council (PENDING_COUNCIL, capped); D (91 < 92) → HTTNV
    # (capped); A keeps HTXSNV.
    reg = regulation(criteria=ONE)
    rows = {"A": (95, {}), "B": (90, {"bonus": 2.0}), "C": (91.995, {}),
            "D": (93, {"deduction": 2.0}), "E": (85, {}), "F": (80, {}), "G": (80, {}),
            "H": (75, {}), "I": (72, {}), "J": (70, {}), "K": (60, {}),
            "L": (99, {"discipline": Discipline.KHIEN_TRACH})}
    people = [person(sid, {"TC": float(points)}, **kw) for sid, (points, kw) in rows.items()]
    table = assert_same(people, reg, Q4)
    got = dict(zip(rows, zip(table.totals, table.ratings, table.capped, strict=True),
                   strict=True))
    assert got["A"] == (95.0, Rating.HTXSNV, False)
    assert got["B"] == (92.0, Rating.PENDING_COUNCIL, True)
    assert got["C"] == (92.0, Rating.PENDING_COUNCIL, True)
    assert got["D"] == (91.0, Rating.HTTNV, True)
    assert got["J"] == (70.0, Rating.HTTNV, False)
    assert got["K"] == (60.0, Rating.HTNV, False)
    assert got["L"] == (99.0, Rating.KHTNV, False)


def test_hand_worked_year_overrides() -> None:
    # Year 2026 (261 working days; 22 a month), cap off. 95 points each:
    #   leave 66 days = 3 months (in [3, 6)) → at most HTNV;
    #   leave 132 days = 6 months → not in the window: HTXSNV; worked 129/22 = 5.86 months < 6
    #     → NOT_RATED;
    #   recruited Wed 1 Jul 2026 → 132 working days = 6 months exactly → rated HTXSNV;
    #   recruited Thu 2 Jul 2026 → 131 days < 6 months → NOT_RATED.
    reg = regulation(criteria=ONE, cap=dict(enabled_year=False))
    year = Period(PeriodKind.YEAR, 2026)
    people = [person("a", {"TC": 95.0}, leave_days=66.0),
              person("b", {"TC": 95.0}, leave_days=132.0),
              person("c", {"TC": 95.0}, recruited_on=date(2026, 7, 1)),
              person("d", {"TC": 95.0}, recruited_on=date(2026, 7, 2))]
    table = assert_same(people, reg, year)
    assert table.ratings == [Rating.HTNV, Rating.NOT_RATED, Rating.HTXSNV, Rating.NOT_RATED]


def test_empty_table() -> None:
    assert assert_same([], regulation(), Q4) == TableRatings([], [], [])


# --------------------------------------------------------------------------------------------
# Declined: the caller scores the usual way
# --------------------------------------------------------------------------------------------


def test_none_for_a_score_with_seven_decimals() -> None:
    people = [person("a", {"TC": 90.0}), person("b", {"TC": 89.1234567})]
    assert by_table(people, regulation(criteria=ONE), Q4) is None
    bonus = [person("a", {"TC": 90.0}, bonus=0.0000001)]
    assert by_table(bonus, regulation(criteria=ONE), Q4) is None
    six = [person("a", {"TC": 89.123456})]  # six decimals are still exact
    assert_same(six, regulation(criteria=ONE), Q4)


def test_none_when_managers_are_inferred_from_positions() -> None:
    reg = regulation(criteria=ONE, cap=dict(infer_manager_from_position=True))
    assert by_table([person("a", {"TC": 90.0})], reg, Q4) is None


def test_none_for_cap_rules_score_dataset_refuses() -> None:
    reg = regulation(criteria=ONE, cap=dict(scope="khoa"))
    assert by_table([person("a", {"TC": 90.0})], reg, Q4) is None
