"""Legal corrections of issue 11, each worked by hand from the law's wording (the citation is in
each test's name or docstring). Helpers come from the scenario tests."""

from __future__ import annotations

from thidua_cli.core.awards_model import ANYONE, APPROVED, REJECTED, History, Tally, Votes
from test_awards_scenarios import (
    P,
    _h,
    _history,
    award,
    cand,
    decide,
    fillers,
    joined,
)


def _votes(members: int, for_a1: dict[str, int]) -> Votes:
    """Every title passed unanimously as a list, except A1's given titles."""
    tallies = {("individual", ANYONE, t): Tally("individual", ANYONE, t, members)
               for t in ("LDTT", "GIAY_KHEN", "CSTDCS", "CSTD_TINH", "BANG_KHEN_TINH")}
    tallies |= {("collective", ANYONE, t): Tally("collective", ANYONE, t, members)
                for t in ("TTLDTT", "TTLDXS", "BANG_KHEN_TINH")}
    for t, n in for_a1.items():
        tallies[("individual", "A1", t)] = Tally("individual", "A1", t, n)
    return Votes(members=members, tallies=tallies)


def _cstd_tinh_streak() -> History:
    return _history({2024: _h(2024, "HTXSNV", ("CSTDCS",), 1),
                     2025: _h(2025, "HTXSNV", ("CSTDCS",), 1)})


def test_cstd_tinh_needs_90_percent_of_all_members_nd98_dieu_30_7() -> None:
    """Luật TĐKT 2022 Điều 22; NĐ 98/2023 Điều 30.7 (kept under NĐ 152/2025): proposing CSTĐ
    cấp tỉnh/Bộ needs ≥ 90 % of ALL council members; CSTĐCS stays at 80 %.
    Council of 10: 8 votes = 80 % passes CSTĐCS but not CSTĐ tỉnh; 9 votes = 90 % passes both."""
    people = [P("A1", 95, initiatives=1), *fillers(9)]
    for votes_for, expected in ((8, REJECTED), (9, APPROVED)):
        votes = _votes(10, {"CSTDCS": votes_for, "CSTD_TINH": votes_for})
        res = decide(people, history=_cstd_tinh_streak(), votes=votes)
        assert award(res, "CSTDCS", "A1").status == APPROVED
        a = award(res, "CSTD_TINH", "A1")
        assert a.status == expected
        texts = joined(cand(res, "CSTD_TINH", "A1").texts("met" if expected == APPROVED else "unmet"))
        assert "cần từ 90% trở lên tổng số thành viên" in texts


def test_cstd_tinh_is_a_proposal_with_province_reach_to_confirm_luat_dieu_22() -> None:
    """Luật TĐKT 2022 Điều 22: the province-wide reach is recognised by the province's head, so
    the hospital proposes ("đề nghị") and leaves that condition to the province."""
    res = decide([P("A1", 95, initiatives=1), *fillers(9)], history=_cstd_tinh_streak())
    a = award(res, "CSTD_TINH", "A1")
    assert "Đề nghị cấp trên" in a.note
    assert "cần cấp tỉnh xác nhận" in joined(cand(res, "CSTD_TINH", "A1").texts("confirm"))


def test_no_nd98_citation_for_a_decision_from_1_7_2025_nd152_dieu_59() -> None:
    """NĐ 152/2025 Điều 59 repeals NĐ 98/2023 from 01/7/2025: a decision dated 20/12/2026 cites
    NĐ 152/2025 for the 80 % rule (its article is unverified: the README says so), never NĐ 98;
    a decision dated 30/6/2025 still cites NĐ 98/2023 Điều 30.7."""
    from datetime import date

    from thidua_cli.core.rulesets import RULESET_2025_07, ruleset_for

    votes = _votes(10, {"CSTDCS": 8})
    res = decide([P("A1", 95, initiatives=1), *fillers(9)], votes=votes)
    text = joined(cand(res, "CSTDCS", "A1").texts("met"))
    assert "(NĐ 152/2025/NĐ-CP)" in text and "98/2023" not in text
    assert not any("98/2023" in str(v) for v in vars(RULESET_2025_07).values())
    old = decide([P("A1", 95, initiatives=1), *fillers(9)], votes=votes, when=date(2025, 6, 30),
                 year=2025)
    assert "NĐ 98/2023/NĐ-CP Điều 30.7" in joined(cand(old, "CSTDCS", "A1").texts("met"))
    assert ruleset_for(date(2025, 7, 1)) is RULESET_2025_07


def test_quarter_wholly_on_maternity_leaves_the_mean_nd90_2020_amended_nd48_2023() -> None:
    """NĐ 90/2020 as amended by NĐ 48/2023: the year's result rests on the time actually worked;
    NĐ 152/2025 Điều 4.5: maternity counts as time worked. Quarter IV 2026 has 66 working days
    (Mon–Fri: October 22, November 21, December 23; no public holiday). B is on maternity all of
    Q4 (66 days): her Q4
    score 94.5 is left out, mean (80 + 82 + 84) / 3 = 82 → HTTNV; she still worked the year
    (not "worked < 6 months"), so she is rated and can be LĐTT. C was on maternity 40 of Q4's
    days: a partial quarter counts, mean (80 + 82 + 84 + 94.5) / 4 = 85.125, shown to 2 decimals 85.13."""
    from thidua_cli.core.awards import decide_awards
    from thidua_cli.core.yearly import rollup_quarters
    from thidua_cli.model import Dataset, Gender, Period, PeriodKind, Rating, Report
    from test_awards_scenarios import CRIT, WHEN, reg

    assert Period(PeriodKind.QUARTER, 2026, 4).working_days() == 66
    r = reg(("cap.enabled_quarter", False), ("cap.enabled_year", False))
    rows = {"B": [80, 82, 84, 94.5], "C": [80, 82, 84, 94.5],
            **{f"X{i}": [80] * 4 for i in range(5)}}
    qs = []
    for q in range(4):
        people = []
        for sid, totals in rows.items():
            mat = {"B": 66.0, "C": 40.0}.get(sid, 0.0) if q == 3 else 0.0
            people.append(P(sid, totals[q], gender=Gender.FEMALE, maternity_days=mat))
        qs.append((Period(PeriodKind.QUARTER, 2026, q + 1), Dataset(people, CRIT, "t", Report())))
    year = rollup_quarters(qs, r, r.awards.rollup)
    totals = {p.person.staff_id: (p.total, p.rating) for p in year.score.people}
    assert totals["B"] == (82.0, Rating.HTTNV)
    assert totals["C"] == (85.13, Rating.HTTNV)
    msgs = [i.message for i in year.report.issues if i.code == "year-maternity-quarter"]
    assert len(msgs) == 1 and "(B)" in msgs[0] and "quý IV" in msgs[0]
    res = decide_awards(year, History(), r, None, WHEN)
    assert cand(res, "LDTT", "B").eligible
