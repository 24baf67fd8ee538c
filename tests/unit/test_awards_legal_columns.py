"""Issue 11, points 3 (transfer in), 11 (tasks of an HTXSNV) and 12 (rules the sheets can carry
as columns), each worked by hand from the law's wording; the citation is in each test's name or
docstring. The year is 2026 (261 weekdays, 22 working days a month), as in the scenario tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from test_awards_scenarios import (
    CRIT,
    P,
    _h,
    _history,
    cand,
    decide,
    fillers,
    joined,
    rating,
    reg,
)

from thidua_cli.core.yearly import rollup_quarters
from thidua_cli.model import Dataset, Period, PeriodKind, Rating, Report

# --------------------------------------------------------------------------------------------
# Point 11: HTXSNV also needs 100 % of tasks done and ≥ 30 % exceeded (QĐ 366-QĐ/TW Điều 11)
# --------------------------------------------------------------------------------------------


def test_htxsnv_needs_all_tasks_done_and_30_percent_exceeded_qd366_dieu_11() -> None:
    """Quy định 366-QĐ/TW Điều 11: HTXSNV is ≥ 90 points AND 100 % of tasks done AND at least
    30 % of them exceeding requirements. Three people at 95 points:
    A1 100 % done, 30 % exceeded → HTXSNV (30 ≥ 30);
    A2 95 % done → HTTNV (95 < 100), whatever its 40 % exceeded;
    A3 100 % done, 29.5 % exceeded → HTTNV (29.5 < 30).
    They leave the cap's candidates before it is applied: 12 rated HTTNV or better → floor(0.2 ×
    12) = 2 seats for one candidate (A1), so no tie goes to the council (without the columns all
    three at 95 would tie for 2 seats)."""
    people = [P("A1", 95, tasks_done=100.0, tasks_exceeded=30.0),
              P("A2", 95, tasks_done=95.0, tasks_exceeded=40.0),
              P("A3", 95, tasks_done=100.0, tasks_exceeded=29.5), *fillers(9)]
    res = decide(people)
    assert [rating(res, s) for s in ("A1", "A2", "A3")] == [Rating.HTXSNV, Rating.HTTNV,
                                                            Rating.HTTNV]
    notes = {r.staff_id: r.note for r in res.ratings}
    assert "Điểm đạt HTXSNV nhưng hoàn thành 95% nhiệm vụ (cần 100%): xếp HTTNV" in notes["A2"]
    assert "vượt mức 29,5% nhiệm vụ (cần từ 30%): xếp HTTNV" in notes["A3"]
    assert not res.ties
    assert not [w for w in res.warnings if w.code == "htxsnv-tasks-not-checked"]
    # A2 rated HTTNV by the tasks rule: CSTĐCS needs HTXSNV or an initiative (Luật Điều 23).
    assert not cand(res, "CSTDCS", "A2").eligible and cand(res, "CSTDCS", "A1").eligible
    assert ("Không xếp loại HTXSNV (Điểm đạt HTXSNV nhưng hoàn thành 95% nhiệm vụ (cần 100%): xếp "
            "HTTNV), không có sáng kiến" in joined(cand(res, "CSTDCS", "A2").texts("unmet")))
    without = decide([P(s, 95) for s in ("A1", "A2", "A3")] + fillers(9))
    assert {rating(without, s) for s in ("A1", "A2", "A3")} == {Rating.PENDING_COUNCIL}


def test_htxsnv_tasks_thresholds_are_a_setting_hai_phong_qd212_2025() -> None:
    """Hải Phòng QĐ 212/2025/QĐ-UBND asks for 50 % exceeded: bands.htxsnv_tasks_exceeded = 50
    turns A1's 30 % (enough under QĐ 366) into HTTNV."""
    people = [P("A1", 95, tasks_done=100.0, tasks_exceeded=30.0), *fillers(9)]
    res = decide(people, regulation=reg(("bands.htxsnv_tasks_exceeded", 50)))
    assert rating(res, "A1") is Rating.HTTNV


def test_without_task_columns_htxsnv_rests_on_points_said_once_qd366_dieu_11() -> None:
    """No "% nhiệm vụ hoàn thành" / "% vượt" column: today's rule (points alone), said once as a
    note naming how many are HTXSNV by points (A1 and A2: 2), even for four quarters."""
    rows = {"A1": 95, "A2": 96, **{f"X{i}": 80 for i in range(8)}}
    qs = [(Period(PeriodKind.QUARTER, 2026, q),
           Dataset([P(s, t) for s, t in rows.items()], CRIT, "t", Report())) for q in (1, 2, 3, 4)]
    r = reg()
    year = rollup_quarters(qs, r, r.awards.rollup)
    notes = [i for i in year.report.issues if i.code == "htxsnv-tasks-not-checked"]
    assert len(notes) == 1 and notes[0].value == 2
    assert "Quy định 366-QĐ/TW Điều 11" in notes[0].message


def test_year_task_share_is_the_mean_of_the_quarters_qd366_dieu_11() -> None:
    """Quarters carrying the shares: the year's is their mean. A1 done 100, 100, 100, 95 →
    (395 / 4) = 98.75 % < 100 % → HTTNV for the year, though each quarter's 95 points band
    HTXSNV; exceeded 40 in every quarter. A2 done 100 every quarter → HTXSNV."""
    qs = []
    for q, done in enumerate((100.0, 100.0, 100.0, 95.0), start=1):
        people = [P("A1", 95, tasks_done=done, tasks_exceeded=40.0),
                  P("A2", 95, tasks_done=100.0, tasks_exceeded=40.0), *fillers(9)]
        qs.append((Period(PeriodKind.QUARTER, 2026, q), Dataset(people, CRIT, "t", Report())))
    r = reg()
    year = rollup_quarters(qs, r, r.awards.rollup)
    by_id = {p.person.staff_id: p for p in year.score.people}
    assert by_id["A1"].person.tasks_done == 98.75
    assert (by_id["A1"].rating, by_id["A2"].rating) == (Rating.HTTNV, Rating.HTXSNV)
    assert "tasks" in by_id["A1"].reasons


# --------------------------------------------------------------------------------------------
# Point 12: rules the sheets carry as columns
# --------------------------------------------------------------------------------------------


def test_injury_in_rescue_and_long_training_count_as_worked_tt01_2024() -> None:
    """TT 01/2024/TT-BNV: treatment of an injury from rescuing people or property or from combat,
    and a course of 1 year or more, count as time worked for LĐTT. 150 days in "Số ngày nghỉ":
    (261 − 150) / 22 = 5.05 months < 6 → not rated (NĐ 90/2020 as amended by NĐ 48/2023). The
    same 150 days in "Nghỉ điều trị thương" (or "Đi học từ 1 năm"): 261 days worked → rated
    HTTNV (85 points) and LĐTT, the condition saying why."""
    res = decide([P("L1", 85, leave_days=150.0), P("I1", 85, injury_days=150.0),
                  P("T1", 85, training_days=150.0), *fillers(9)])
    assert rating(res, "L1") is Rating.NOT_RATED
    assert (rating(res, "I1"), rating(res, "T1")) == (Rating.HTTNV, Rating.HTTNV)
    assert cand(res, "LDTT", "I1").eligible and cand(res, "LDTT", "T1").eligible
    assert ("150 ngày điều trị thương do cứu người, cứu tài sản hoặc chiến đấu được tính là thời "
            "gian công tác để xét Lao động tiên tiến (TT 01/2024/TT-BNV)"
            in cand(res, "LDTT", "I1").texts("met"))
    assert "150 ngày đi học (khóa từ 1 năm trở lên)" in joined(cand(res, "LDTT", "T1").texts("met"))


def test_contract_before_recruitment_is_continuous_work_tt01_2024() -> None:
    """TT 01/2024/TT-BNV, 6 months since recruitment for LĐTT; Bộ Nội vụ: a labour contract at
    the same agency just before recruitment is continuous work. Recruited 01/9/2026 alone: 4
    months (01/9 → 31/12) and 88 weekdays = 4 months worked < 6 → not rated. With "Ngày hợp đồng"
    05/01/2026: worked from then (259 weekdays = 11.77 months) → rated HTTNV; LĐTT counts
    05/01/2026 → 31/12/2026 = 11 whole months ≥ 6."""
    res = decide([P("C0", 85, recruited_on=date(2026, 9, 1)),
                  P("C1", 85, recruited_on=date(2026, 9, 1), contract_from=date(2026, 1, 5)),
                  *fillers(9)])
    assert rating(res, "C0") is Rating.NOT_RATED and rating(res, "C1") is Rating.HTTNV
    met = joined(cand(res, "LDTT", "C1").texts("met"))
    assert ("Đã công tác 11 tháng kể từ ngày hợp đồng 05/01/2026 (thời gian hợp đồng trước khi "
            "tuyển dụng ngày 01/09/2026 được tính liên tục) (tối thiểu 6 tháng)") in met


def test_achievements_count_from_the_end_of_discipline_nd152_dieu_4_4() -> None:
    """NĐ 152/2025 Điều 4.4: after a discipline period ends, achievements count from that day.
    Ended 01/8/2026: 01/8 → 31/12 = 5 whole months < 6 → no LĐTT. Ended 01/7/2026: 6 months →
    LĐTT (the same minimum as for new staff, awards.ldtt.min_months)."""
    res = decide([P("D1", 85, discipline_ended_on=date(2026, 8, 1)),
                  P("D2", 85, discipline_ended_on=date(2026, 7, 1)), *fillers(9)])
    assert not cand(res, "LDTT", "D1").eligible and cand(res, "LDTT", "D2").eligible
    assert ("Hết thời hạn kỷ luật ngày 01/08/2026: thành tích chỉ tính từ ngày đó, đến 31/12/2026 "
            "được 5 tháng (tối thiểu 6 tháng) (NĐ 152/2025/NĐ-CP Điều 4.4)"
            in cand(res, "LDTT", "D1").texts("unmet"))
    # Still running at the period end (ends 01/3/2027): nothing counts yet.
    later = decide([P("D3", 85, discipline_ended_on=date(2027, 3, 1)), *fillers(9)])
    assert ("Còn trong thời hạn kỷ luật đến ngày 01/03/2027: chưa tính thành tích (NĐ 152/2025/NĐ-CP "
            "Điều 4.4)" in cand(later, "LDTT", "D3").texts("unmet"))


def test_a_year_before_the_end_of_discipline_breaks_a_streak_nd152_dieu_4_4() -> None:
    """NĐ 152/2025 Điều 4.4 on a streak: Bằng khen tỉnh needs CSTĐCS (or HTXSNV) in 2025 and 2026
    (Luật Điều 74). The ledger has 2025 CSTĐCS + HTXSNV, but the discipline ended 01/3/2025: the
    year 2025 began before it ended and does not count, so the streak fails."""
    history = _history({2025: _h(2025, "HTXSNV", ("LDTT", "CSTDCS"), initiatives=1)})
    clean = decide([P("A1", 95, initiatives=1), *fillers(9)], history=history)
    assert cand(clean, "BANG_KHEN_TINH", "A1").conditions[0].status == "met"
    res = decide([P("A1", 95, initiatives=1, discipline_ended_on=date(2025, 3, 1)), *fillers(9)],
                 history=history)
    first = cand(res, "BANG_KHEN_TINH", "A1").conditions[0]
    assert first.status == "unmet"
    assert "2025: trước ngày hết thời hạn kỷ luật 01/03/2025 (NĐ 152/2025/NĐ-CP Điều 4.4)" in first.text


def test_an_ad_hoc_award_is_not_a_basis_for_giay_khen_nd152_dieu_4_3() -> None:
    """NĐ 152/2025 Điều 4.3: an achievement already rewarded ad hoc (khen thưởng đột xuất) is not
    used again for a merit award. G1 has only "Khen thưởng đột xuất" → no Giấy khen (Luật Điều 75
    needs an achievement); G2 has a "Thành tích" → Giấy khen."""
    res = decide([P("G1", 85, adhoc_award="Giấy khen đột xuất QĐ 15/QĐ-BV"),
                  P("G2", 85, achievement="Cứu sống người bệnh ngừng tuần hoàn"), *fillers(9)])
    assert not cand(res, "GIAY_KHEN", "G1").eligible and cand(res, "GIAY_KHEN", "G2").eligible
    assert ("khen thưởng đột xuất đã nhận (Giấy khen đột xuất QĐ 15/QĐ-BV) không dùng làm căn cứ "
            "khen thưởng theo công trạng (NĐ 152/2025/NĐ-CP Điều 4.3)"
            in joined(cand(res, "GIAY_KHEN", "G1").texts("unmet")))


# --------------------------------------------------------------------------------------------
# Point 3: someone transferred in is rated here, with the old unit's opinion
# --------------------------------------------------------------------------------------------


def _moved(**kw: Any) -> Any:
    return decide([P("T1", 85, **kw), *fillers(9)])


def test_transferred_in_needs_the_old_units_opinion_after_6_months_nd90_dieu_20_1() -> None:
    """NĐ 90/2020 Điều 20.1: the new unit rates someone transferred in, taking the old unit's
    opinion when they worked there 6 months or more. Moved in 01/8/2026: 01/01 → 31/7 = 7 months
    at the old unit → the opinion is needed (no LĐTT without it); with "Ý kiến đơn vị cũ" → LĐTT.
    Moved in 01/4/2026: 3 months there → no opinion needed."""
    without = _moved(moved_in_on=date(2026, 8, 1))
    assert rating(without, "T1") is Rating.HTTNV  # rated here
    assert not cand(without, "LDTT", "T1").eligible
    assert ("Chuyển đến ngày 01/08/2026, được đánh giá tại đơn vị này; công tác ở đơn vị cũ 7 "
            "tháng trong năm (từ 6 tháng): chưa có ý kiến nhận xét của đơn vị cũ (cột \"Ý kiến "
            "đơn vị cũ\") (NĐ 90/2020/NĐ-CP Điều 20.1)" in cand(without, "LDTT", "T1").texts("unmet"))
    given = _moved(moved_in_on=date(2026, 8, 1), previous_opinion="Hoàn thành tốt nhiệm vụ")
    assert cand(given, "LDTT", "T1").eligible
    assert "có ý kiến của đơn vị cũ: \"Hoàn thành tốt nhiệm vụ\"" in joined(
        cand(given, "LDTT", "T1").texts("met"))
    short = _moved(moved_in_on=date(2026, 4, 1))
    assert cand(short, "LDTT", "T1").eligible
    assert "công tác ở đơn vị cũ 3 tháng trong năm (dưới 6 tháng" in joined(
        cand(short, "LDTT", "T1").texts("met"))


# --------------------------------------------------------------------------------------------
# Point 9: an optional cap on the leaders' share of a title (provinces that set one)
# --------------------------------------------------------------------------------------------


def test_leader_share_cap_per_title_holds_the_last_leaders_for_the_council_luat_dieu_5() -> None:
    """Luật TĐKT 2022 Điều 5.2.d gives priority to direct workers and sets no ratio; a province
    (the Thái Nguyên cluster) may. CSTĐCS by an initiative (Luật Điều 23): leaders L1 (88), L2
    (86) and direct workers D1, D2 (85) → 2 of 4 leaders = 50 %. With D = 2 direct workers a cap
    c allows L = ⌊c × D / (1 − c)⌋ leaders (L ≤ c × (D + L)):
    c = 0.34: ⌊0.68 / 0.66⌋ = 1 → L1 kept (1/3 = 33.3 % ≤ 34 %), L2 waits for the council;
    c = 0.30: ⌊0.60 / 0.70⌋ = 0 → both wait. No cap (the default): all four proposed."""
    people = [P("L1", 88, initiatives=1, is_manager=True), P("L2", 86, initiatives=1, is_manager=True),
              P("D1", 85, initiatives=1), P("D2", 85, initiatives=1), *fillers(8)]

    def statuses(res: Any) -> dict[str, str]:
        return {a.staff_id: a.status for a in res.awards_of("CSTDCS")}

    assert set(statuses(decide(people)).values()) == {"proposed"}
    res = decide(people, regulation=reg(("awards.leader_share_cap.CSTDCS", 0.34)))
    assert statuses(res) == {"L1": "proposed", "L2": "pending_council", "D1": "proposed",
                             "D2": "proposed"}
    held = next(a for a in res.awards_of("CSTDCS") if a.staff_id == "L2")
    assert "Chờ Hội đồng xét: vượt tỷ lệ lãnh đạo, quản lý tối đa (awards.leader_share_cap)" in held.note
    assert held.amount and not held.paid
    (w,) = [w for w in res.warnings if w.code == "leader-share-title-cap"]
    assert w.message == (
        "CSTĐCS: 2/4 người được đề nghị là lãnh đạo, quản lý, vượt tỷ lệ tối đa 34% của quy chế "
        "(awards.leader_share_cap): giữ 1 người; Nguyễn Văn L2 (L2) chuyển sang chờ Hội đồng xét.")
    low = decide(people, regulation=reg(("awards.leader_share_cap.CSTDCS", 0.30)))
    assert statuses(low)["L1"] == statuses(low)["L2"] == "pending_council"
    # A cap of 0 on LĐTT holds every leader's LĐTT, and the CSTĐCS resting on it (Luật Điều 23).
    none = decide(people, regulation=reg(("awards.leader_share_cap.LDTT", 0)))
    held = {(a.title, a.staff_id): a.status for a in none.awards if a.staff_id in ("L1", "D1")}
    assert held == {("LDTT", "L1"): "pending_council", ("CSTDCS", "L1"): "pending_council",
                    ("LDTT", "D1"): "proposed", ("CSTDCS", "D1"): "proposed"}


def test_leader_share_cap_keys_are_title_codes_checked_at_load() -> None:
    """--set may name a title of the cap table, empty by default; the regulation checker refuses
    an unknown title code (exit 3) and a share above 1."""
    import tomllib

    import pytest

    from thidua_cli.app.awards import parse_sets, regulation_with
    from thidua_cli.errors import RegulationError, UsageError
    from thidua_cli.regulation import default_toml_text

    default = tomllib.loads(default_toml_text())
    assert parse_sets(["awards.leader_share_cap.CSTD_TINH=0.3"], default) == [
        ("awards.leader_share_cap.CSTD_TINH", 0.3)]
    with pytest.raises(UsageError):
        parse_sets(["awards.leader_cap.CSTD_TINH=0.3"], default)
    assert regulation_with(None, [("awards.leader_share_cap.CSTD_TINH", 0.3)]
                           ).awards.leader_share_cap["CSTD_TINH"] == Decimal("0.3")
    for bad in (("awards.leader_share_cap.CSTD_TINHH", 0.3), ("awards.leader_share_cap.LDTT", 1.5)):
        with pytest.raises(RegulationError) as err:
            regulation_with(None, [bad])
        assert err.value.exit_code == 3


def test_score_explain_names_the_tasks_rule_qd366_dieu_11() -> None:
    """`score --explain`: the step after the band says which share fell short, with its basis."""
    from thidua_cli.core.scoring import explain, score_dataset

    people = [P("A2", 95, tasks_done=95.0, tasks_exceeded=40.0), *fillers(9)]
    ds = Dataset(people, CRIT, "t", Report())
    result = score_dataset(ds, reg(), Period(PeriodKind.QUARTER, 2026, 4), explain_ids=["A2"])
    step = next(s for s in explain(result, "A2") if s.rule == "Ghi đè: nhiệm vụ")
    assert step.detail == ("Điểm đạt HTXSNV; hoàn thành 95% nhiệm vụ (cần 100%); vượt mức 40% "
                           "nhiệm vụ (cần từ 30%) → HTTNV (Hoàn thành tốt nhiệm vụ).")
    assert step.basis.startswith("Quy định 366-QĐ/TW Điều 11")
