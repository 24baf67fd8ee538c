"""Legal corrections of issue 11, each worked by hand from the law's wording (the citation is in
each test's name or docstring). Helpers come from the scenario tests."""

from __future__ import annotations

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

from thidua_cli.core.awards_model import ANYONE, APPROVED, REJECTED, History, Tally, Votes


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
    from test_awards_scenarios import CRIT, WHEN, reg

    from thidua_cli.core.awards import decide_awards
    from thidua_cli.core.yearly import rollup_quarters
    from thidua_cli.model import Dataset, Gender, Period, PeriodKind, Rating, Report

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


def _year_of(rows: dict[str, list[float | None]], extra: dict[str, dict[str, object]],
             regulation: object = None) -> object:
    """Four quarters of 2026; ``extra`` gives each person's fields on every row they have."""
    from test_awards_scenarios import CRIT, reg

    from thidua_cli.core.yearly import rollup_quarters
    from thidua_cli.model import Dataset, Period, PeriodKind, Report

    r = regulation or reg()
    qs = []
    for q in range(4):
        people = [P(sid, totals[q], **extra.get(sid, {}))  # type: ignore[arg-type]
                  for sid, totals in rows.items() if totals[q] is not None]
        qs.append((Period(PeriodKind.QUARTER, 2026, q + 1), Dataset(people, CRIT, "t", Report())))
    return rollup_quarters(qs, r, r.awards.rollup)  # type: ignore[union-attr]


def test_left_before_period_end_not_rated_here_nd90_2020_dieu_20_1() -> None:
    """NĐ 90/2020 Điều 20.1: someone transferred out is rated by the new unit. L left on
    30/6/2026 (column "Ngày chuyển đi") with 95 points in I and II: not rated here, not in the
    cap's count, not in the ratings (so never recorded in the ledger), no title; listed with the
    reason and, having worked 01/01–30/6 (6 months), with the "phiếu nhận xét" note. Cap without
    L: 5 fillers at 80 + A1 at 95 → 6 rated HTTNV or better, floor(0.2 × 6) = 1 seat → A1."""
    from datetime import date

    from test_awards_scenarios import WHEN, reg

    from thidua_cli.core.awards import awards_outcome, decide_awards
    from thidua_cli.model import Rating

    r = reg()
    year = _year_of({"L": [95, 95, None, None], "A1": [95] * 4,
                     **{f"X{i}": [80] * 4 for i in range(5)}},
                    {"L": {"left_on": date(2026, 6, 30)}}, r)
    res = decide_awards(year, History(), r, None, WHEN)  # type: ignore[arg-type]
    assert "L" not in {p.staff_id for p in res.ratings}
    assert not [a for a in res.awards if a.staff_id == "L"]
    assert next(p.rating for p in res.ratings if p.staff_id == "A1") is Rating.HTXSNV
    (gone,) = res.excluded
    assert (gone.staff_id, gone.reason) == ("L", "left")
    assert "30/06/2026" in gone.detail and "phiếu nhận xét, đánh giá" in gone.detail
    assert awards_outcome(res, "t").to_json()["excluded"][0]["staff_id"] == "L"
    # The same person with only the reason "Chuyển đi" in the notes and no row in quarter IV.
    year = _year_of({"L": [95, 95, None, None], **{f"X{i}": [80] * 4 for i in range(5)}},
                    {"L": {"note": "Chuyển đi Sở Y tế"}}, r)
    assert [e.reason for e in year.excluded] == ["left"]  # type: ignore[attr-defined]


def test_missing_quarter_without_reason_blocks_that_person_decisions_2026_12_07() -> None:
    """decisions.md 2026-12-07 ("A missing quarter's reason"), ND 90/2020 (the year rests on
    the quarters actually worked): M has no quarter II row and no reason → an error naming
    him, no year rating, no title; the others are still decided. N, missing the same quarter
    with "Lý do vắng: nghỉ không lương", is rated on I, III, IV: (90 + 90 + 90) / 3 = 90."""
    from test_awards_scenarios import WHEN, reg

    from thidua_cli.core.awards import decide_awards
    from thidua_cli.model import Severity

    r = reg(("cap.enabled_year", False))
    year = _year_of({"M": [90, None, 90, 90], "N": [90, None, 90, 90],
                     **{f"X{i}": [80] * 4 for i in range(5)}},
                    {"N": {"absence_reason": "Nghỉ không lương"}}, r)
    res = decide_awards(year, History(), r, None, WHEN)  # type: ignore[arg-type]
    errors = [w for w in res.warnings if w.severity is Severity.ERROR]
    assert len(errors) == 1 and errors[0].code == "year-missing-quarters"
    assert "Nguyễn Văn M" in errors[0].message and "quý II" in errors[0].message
    assert [(e.staff_id, e.reason) for e in res.excluded] == [("M", "missing_quarter")]
    assert "M" not in {p.staff_id for p in res.ratings}
    assert not [a for a in res.awards if a.staff_id == "M"]
    n = next(p for p in res.ratings if p.staff_id == "N")
    assert n.total == 90.0
    assert award(res, "LDTT", "N").status == "proposed"
    assert award(res, "LDTT", "X0").status == "proposed"


def test_giay_khen_reads_the_achievement_column_not_an_initiative_luat_dieu_75() -> None:
    """Luật TĐKT 2022 Điều 75: Giấy khen = HTTNV + an achievement recognised in a campaign or a
    notable one; CV 5007/BNV-TĐKT: an initiative supports one award only. By default the
    "Thành tích" column is read and no initiative is spent: A1 (HTTNV, 1 initiative, no
    achievement) gets no Giấy khen and keeps the initiative (next year's Bằng khen needs two);
    A2 (HTTNV, "Thành tích": "Cứu sống bệnh nhân ngừng tim") gets it."""
    res = decide([P("A1", 85, initiatives=1, recruited_on=None), P("A2", 85,
                  achievement="Cứu sống bệnh nhân ngừng tim"), *fillers(4)])
    gk = cand(res, "GIAY_KHEN", "A1")
    assert not gk.eligible and "thành tích trong phong trào thi đua" in joined(gk.texts("unmet"))
    assert not [a for a in res.awards if a.title == "GIAY_KHEN" and a.staff_id == "A1"]
    a2 = award(res, "GIAY_KHEN", "A2")
    assert a2.initiatives_used == () and a2.amount == 710_000
    assert "Có thành tích: Cứu sống bệnh nhân ngừng tim" in joined(cand(res, "GIAY_KHEN", "A2").texts("met"))


def test_giay_khen_never_spends_an_initiative_a_streak_needs_cv_5007() -> None:
    """With initiatives allowed (awards.giay_khen.achievements = ["initiative"]): B1 (HTTNV,
    his CSTĐCS rejected by the council, 5/10 < 80 %) is in no streak and spends his 2026
    initiative on a Giấy khen; A1 is CSTĐCS this year by HTXSNV (95 points) with 1 initiative:
    2026 is a year of a Bằng khen streak (Luật Điều 74: 2 initiatives across 2 consecutive
    CSTĐCS/HTXSNV years), so the initiative is not spent on a Giấy khen."""
    from test_awards_scenarios import reg

    r = reg(("awards.giay_khen.achievements", ["initiative"]))
    votes = _votes(10, {})
    votes.tallies[("individual", "B1", "CSTDCS")] = Tally("individual", "B1", "CSTDCS", 5)
    res = decide([P("A1", 95, initiatives=1), P("B1", 85, initiatives=1), *fillers(9)],
                 regulation=r, votes=votes)
    assert award(res, "CSTDCS", "B1").status == REJECTED
    assert award(res, "GIAY_KHEN", "B1").initiatives_used == ((2026, 1),)
    gk = cand(res, "GIAY_KHEN", "A1")
    assert not gk.eligible and "để dành cho khen thưởng nhiều năm" in joined(gk.texts("unmet"))


def test_women_first_is_on_by_default_under_nd152_dieu_4_6() -> None:
    """NĐ 152/2025 Điều 4.6 ("lựa chọn cá nhân nữ" between equals) holds by default for a
    decision from 01/7/2025. Cap: 1 seat among T2 (woman, 93), T3, T4 (men, 93) after T1 (95)
    → T2 HTXSNV by the women-first rule, said in the run; a decision under NĐ 98/2023 leaves
    the tie to the council. Quota: CSTĐCS 15 % of 20 LĐTT = 3 seats for C1 89, C2 88 and the
    tied C3 (woman, 87) / C4 (man, 87) → C3, said by award-tie-women-first."""
    from datetime import date

    from test_awards_scenarios import _tie_people, rating, reg

    from thidua_cli.model import Gender, Rating

    res = decide(_tie_people())
    assert rating(res, "T2") is Rating.HTXSNV
    assert any(w.code == "rating-tie-women-first" and "NĐ 152/2025/NĐ-CP Điều 4.6" in w.message
               for w in res.warnings)
    old = decide(_tie_people(2025), when=date(2025, 6, 30), year=2025)
    assert rating(old, "T2") is Rating.PENDING_COUNCIL
    r = reg(("awards.cstdcs.quota_share", 0.15), ("cap.enabled_year", False))
    people = [P("C1", 89, initiatives=1), P("C2", 88, initiatives=1),
              P("C3", 87, initiatives=1, gender=Gender.FEMALE), P("C4", 87, initiatives=1),
              *fillers(16)]
    res = decide(people, regulation=r)
    assert award(res, "CSTDCS", "C3").status == "proposed"
    assert not cand(res, "CSTDCS", "C4").eligible
    (said,) = [w for w in res.warnings if w.code == "award-tie-women-first"]
    assert "Nguyễn Văn C3" in said.message and "Điều 4.6" in said.message


def test_a_seat_freed_by_a_rejection_stays_empty_decisions_2026_12_07() -> None:
    """decisions.md 2026-12-07 (a quota is a ceiling, each title needs its own vote): CSTĐCS 15 %
    of 20 LĐTT = floor(3.0) = 3 seats for C1 89, C2 88, C3 87; C4 86 and C5 85 are outside. The
    council gives C1 5/10 < 80 % (Luật Điều 23): C1 is rejected, the seat stays empty ("còn 1
    suất") and C4, next in rank, is named for a supplementary ballot, not moved in."""
    from test_awards_scenarios import reg

    from thidua_cli.core.awards import awards_outcome

    r = reg(("awards.cstdcs.quota_share", 0.15), ("cap.enabled_year", False))
    people = [P("C1", 89, initiatives=1), P("C2", 88, initiatives=1), P("C3", 87, initiatives=1),
              P("C4", 86, initiatives=1), P("C5", 85, initiatives=1), *fillers(15)]
    votes = _votes(10, {})
    votes.tallies[("individual", "C1", "CSTDCS")] = Tally("individual", "C1", "CSTDCS", 5)
    res = decide(people, regulation=r, votes=votes)
    assert [award(res, "CSTDCS", s).status for s in ("C1", "C2", "C3")] == [
        REJECTED, APPROVED, APPROVED]
    assert not [a for a in res.awards if a.title == "CSTDCS" and a.staff_id in ("C4", "C5")]
    (q,) = res.quotas
    assert (q.quota, q.freed, q.next_in_rank) == (3, 1, ("C4",))
    (said,) = [w for w in res.warnings if w.code == "quota-seat-freed"]
    assert "còn 1 suất" in said.message and "Nguyễn Văn C4 (C4)" in said.message
    assert awards_outcome(res, "t").to_json()["quotas"][0]["next_in_rank"] == ["C4"]


def test_working_days_exclude_public_holidays_bo_luat_lao_dong_2019_dieu_112() -> None:
    """Bộ luật Lao động 2019 Điều 112 (holidays from the maintained `holidays` library): 2026
    quarter I has 64 Monday–Fridays minus 01/01 (Thu) and Tết 16–20/02 (Mon–Fri) = 58; quarter
    II 65 minus Giỗ Tổ observed 27/04, 30/04, 01/05 = 62; quarter III 66 minus 31/08 (nghỉ bù),
    01/09, 02/09 = 63; quarter IV 66 minus 24/11 (Ngày Văn hoá Việt Nam) = 65. The regulation's
    swaps: days_worked = [2026-08-22] (a Saturday worked) gives quarter III 64; days_off =
    [2026-01-02] (Friday off) gives quarter I 57. Half of quarter I is 29 days: someone on 29
    days of leave worked 29 ≥ 29 and is rated; 30 days → 28 < 29, not rated."""
    from datetime import date

    from test_awards_scenarios import CRIT, reg

    from thidua_cli.core import workdays
    from thidua_cli.core.scoring import score_dataset
    from thidua_cli.model import Dataset, Period, PeriodKind, Rating, Report

    r = reg()
    quarters = [Period(PeriodKind.QUARTER, 2026, q) for q in (1, 2, 3, 4)]
    assert [workdays.working_days(p, r.overrides) for p in quarters] == [58, 62, 63, 65]
    q1, q3 = quarters[0], quarters[2]
    assert [d for d, _ in workdays.removed(q1, r.overrides)] == [
        date(2026, 1, 1), *(date(2026, 2, d) for d in range(16, 21))]
    swapped = reg(("overrides.days_worked", [date(2026, 8, 22)]),
                  ("overrides.days_off", [date(2026, 1, 2)]))
    assert workdays.working_days(q3, swapped.overrides) == 64
    assert workdays.working_days(q1, swapped.overrides) == 57
    people = [P("A", 85, leave_days=29.0), P("B", 85, leave_days=30.0), *fillers(3)]
    result = score_dataset(Dataset(people, CRIT, "t", Report()), r, q1, explain_ids=())
    ratings = {p.person.staff_id: p.rating for p in result.people}
    assert ratings["A"] is Rating.HTTNV and ratings["B"] is Rating.NOT_RATED


def test_leaders_share_per_title_against_headcount_luat_dieu_5() -> None:
    """Luật TĐKT 2022 Điều 5.2.d (priority to direct workers): 10 people, 2 of them leaders
    (headcount share 20 %). CSTĐCS goes to L1 (leader, 95) and A1 (95): leaders 1/2 = 50 % >
    20 % → a warning for CSTĐCS; LĐTT to all 10: 2/10 = 20 %, not above → no warning."""
    from test_awards_scenarios import reg

    from thidua_cli.core.awards import awards_outcome

    r = reg(("cap.enabled_year", False))
    people = [P("L1", 95, is_manager=True), P("L2", 80, is_manager=True), P("A1", 95),
              *fillers(7)]
    res = decide(people, regulation=r)
    by = {t.title: t for t in res.leader_share.by_title}
    assert (by["CSTDCS"].leaders, by["CSTDCS"].awarded, by["CSTDCS"].share) == (1, 2, 0.5)
    assert by["CSTDCS"].headcount_share == 0.2 and by["CSTDCS"].above_headcount
    assert (by["LDTT"].leaders, by["LDTT"].awarded, by["LDTT"].above_headcount) == (2, 10, False)
    said = [w for w in res.warnings if w.code == "leader-share-title-high"]
    assert len(said) == 1 and "CSTĐCS: 1/2" in said[0].message
    data = awards_outcome(res, "t").to_json()
    assert data["leader_share"]["by_title"][1]["title"] == "CSTDCS"
    from thidua_cli.core.awards_result import AwardsOutcome
    back = AwardsOutcome.from_json(data)
    assert back.leader_share.by_title[1]["leaders"] == 1


def test_collective_bang_khen_two_years_htxsnv_and_conditional_on_ttldxs_luat_dieu_74() -> None:
    """Luật TĐKT 2022 Điều 74 (collective): 2 consecutive years TTLĐXS or HTXSNV. Khoa Nội was
    HTXSNV in 2025 (ledger, no TTLĐXS) and its 2026 mean (5 × 92 = 92 ≥ 90, collective rating
    by mean band) is HTXSNV: eligible by the HTXSNV route. With TTLĐXS in 2025 instead, the
    route rests on this year's TTLĐXS, which the province decides: marked conditional."""
    from test_awards_scenarios import reg

    from thidua_cli.core.awards_model import HistoryYear
    from thidua_cli.core.vntext import key
    from thidua_cli.model import Rating

    r = reg(("awards.collective.rating", "mean_band"), ("cap.enabled_year", False))
    people = [P(f"N{i}", 92, initiatives=1) for i in range(5)]
    h = History(departments={key("Khoa Nội"): {2025: HistoryYear(2025, Rating.HTXSNV)}},
                years=frozenset({2025}))
    res = decide(people, regulation=r, history=h)
    c = cand(res, "BANG_KHEN_TINH", "Khoa Nội")
    assert c.eligible, c.texts("unmet")
    assert "Hoàn thành xuất sắc nhiệm vụ 2 năm liên tục (2025–2026)" in joined(c.texts("met"))
    h = History(departments={key("Khoa Nội"): {2025: HistoryYear(2025, Rating.HTXSNV,
                                                                  frozenset({"TTLDXS"}))}},
                years=frozenset({2025}))
    res = decide(people, regulation=r, history=h)
    c = cand(res, "BANG_KHEN_TINH", "Khoa Nội")
    assert c.eligible
    assert "Có điều kiện: Tập thể lao động xuất sắc năm 2026 do cấp tỉnh quyết định" in joined(
        c.texts("confirm"))
