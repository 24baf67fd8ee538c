"""Hand-worked award scenarios through ``core.awards.decide_awards`` (issue 4, "Done when").

Every expected number below is worked out by hand in the comments. The year is 2026 unless
said otherwise: 261 working days (01/01/2026 is a Thursday: 52 weeks × 5 + 1), a month is 22
working days, so "worked < 6 months" means worked < 132 days, i.e. leave > 129 days, and
"absent 3 – < 6 months" means 66 ≤ leave < 132. Base salary 2,340,000 đ (from 01/7/2024).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import pytest

from thidua_cli.app.awards import regulation_with
from thidua_cli.core.awards import decide_awards, vote_passes
from thidua_cli.core.awards_model import (
    ANYONE,
    APPROVED,
    PENDING,
    PROPOSED,
    REJECTED,
    AwardsResult,
    History,
    HistoryYear,
    Tally,
    Votes,
)
from thidua_cli.core.yearly import rollup_quarters, year_from_workbook
from thidua_cli.errors import UsageError
from thidua_cli.model import (
    Criterion,
    Dataset,
    Discipline,
    Gender,
    Period,
    PeriodKind,
    Person,
    Rating,
    Regulation,
    Report,
    SourceRow,
)

CRIT = (Criterion("T", "Tổng điểm", "Tổng", 100.0),)
WHEN = date(2026, 12, 20)
F, M = Gender.FEMALE, Gender.MALE


def P(sid: str, total: float, *, name: str | None = None, dept: str = "Khoa Nội",
      gender: Gender = M, recruited_on: date | None = date(2015, 1, 1), **kw: Any) -> Person:
    return Person(
        staff_id=sid, name=name or f"Nguyễn Văn {sid}", department=dept,
        source=SourceRow("nam-2026.xlsx", dept, 5), scores={"T": float(total)}, gender=gender,
        recruited_on=recruited_on, **kw,
    )


def fillers(n: int, total: float = 80, dept: str = "Khoa Nội", prefix: str = "X") -> list[Person]:
    """People rated HTTNV with nothing special: they widen the cap's denominator."""
    return [P(f"{prefix}{i:02d}", total, dept=dept) for i in range(1, n + 1)]


def reg(*sets: tuple[str, Any]) -> Regulation:
    return regulation_with(None, list(sets))


def decide(people: Sequence[Person], *, regulation: Regulation | None = None,
           history: History | None = None, votes: Votes | None = None, when: date = WHEN,
           year: int = 2026) -> AwardsResult:
    r = regulation or reg()
    ds = Dataset(list(people), CRIT, "test", Report())
    yr = year_from_workbook(ds, r, year)
    return decide_awards(yr, history or History(), r, votes, when)


def cand(res: AwardsResult, title: str, who: str) -> Any:
    c = res.candidate(title, who)
    assert c is not None, (title, who)
    return c


def award(res: AwardsResult, title: str, who: str) -> Any:
    found = [a for a in res.awards if a.title == title and (a.staff_id == who or a.name == who)]
    assert len(found) == 1, (title, who, found)
    return found[0]


def rating(res: AwardsResult, sid: str) -> Rating:
    return next(r.rating for r in res.ratings if r.staff_id == sid)


def joined(texts: list[str]) -> str:
    return " | ".join(texts)


# --------------------------------------------------------------------------------------------
# Overrides of the year rating, and Lao động tiên tiến
# --------------------------------------------------------------------------------------------


def test_ldtt_met_and_paid_rounded_up() -> None:
    res = decide([P("A1", 80), *fillers(4)])
    c = cand(res, "LDTT", "A1")
    assert c.outcome == "eligible"
    assert "Hoàn thành tốt nhiệm vụ" in joined(c.texts("met"))
    # What no sheet column can tell is left to the council, never assumed met or unmet.
    assert "đang bị xem xét kỷ luật" in joined(c.texts("confirm"))
    a = award(res, "LDTT", "A1")
    # 0.3 × 2,340,000 = 702,000 → rounded UP to the ten thousand: 710,000.
    assert (a.status, a.amount, a.paid, str(a.coefficient)) == (PROPOSED, 710_000, True, "0.3")
    assert a.basis == "Luật TĐKT 2022 Điều 24; NĐ 152/2025/NĐ-CP Điều 50"


def test_rounding_step_1000_pays_the_702000_of_the_guidance_texts() -> None:
    # The issue quotes 702,000 (the bare product); the setting money.rounding_step = 1000 gives it.
    res = decide([P("A1", 80), *fillers(4)], regulation=reg(("money.rounding_step", 1000)))
    assert award(res, "LDTT", "A1").amount == 702_000
    assert res.total == 5 * 702_000 + 1_872_000  # five LĐTT and the department's TTLĐTT (0.8)


def test_ldtt_unmet_rating_htnv() -> None:
    res = decide([P("A1", 65), *fillers(4)])
    c = cand(res, "LDTT", "A1")
    assert c.outcome == "not_eligible"
    assert "HTNV" in joined(c.texts("unmet")) and "chưa đạt Hoàn thành tốt nhiệm vụ" in joined(
        c.texts("unmet"))


def test_override_discipline_forces_khtnv_and_no_ldtt() -> None:
    res = decide([P("A1", 95, discipline=Discipline.KHIEN_TRACH), *fillers(4)])
    assert rating(res, "A1") is Rating.KHTNV
    unmet = joined(cand(res, "LDTT", "A1").texts("unmet"))
    assert "Bị kỷ luật (Khiển trách) trong năm" in unmet
    assert "KHTNV" in unmet


def test_override_not_worked_six_months() -> None:
    # leave 130 → worked 261 − 130 = 131 days = 5.95 months < 6 → not rated.
    res = decide([P("A1", 90, leave_days=130), *fillers(4)])
    assert rating(res, "A1") is Rating.NOT_RATED
    unmet = joined(cand(res, "LDTT", "A1").texts("unmet"))
    assert "Không được xếp loại năm (Làm việc 5,95 tháng trong năm (dưới 6 tháng)" in unmet
    # leave 129 → worked 132 days = 6 months exactly: rated.
    res = decide([P("A1", 85, leave_days=129), *fillers(4)])
    assert rating(res, "A1") is Rating.HTNV  # 129 / 22 = 5.86 months absent: 3 – < 6 → at most HTNV


def test_override_absence_three_to_six_months() -> None:
    # 66 days = 3 months exactly → at most HTNV; 65 days = 2.95 months → unaffected.
    res = decide([P("A1", 85, leave_days=66), P("A2", 85, leave_days=65), *fillers(4)])
    assert rating(res, "A1") is Rating.HTNV
    assert rating(res, "A2") is Rating.HTTNV
    assert cand(res, "LDTT", "A1").outcome == "not_eligible"
    assert cand(res, "LDTT", "A2").outcome == "eligible"


def test_maternity_counts_as_worked() -> None:
    # 120 maternity days are not absence (ND 152/2025 Điều 4.5): rated, LĐTT.
    res = decide([P("A1", 85, gender=F, maternity_days=120), *fillers(4)])
    assert rating(res, "A1") is Rating.HTTNV
    assert cand(res, "LDTT", "A1").outcome == "eligible"


def test_ldtt_months_since_recruitment() -> None:
    # Default 6 months: recruited 01/7/2026 → 6 whole months to 31/12/2026: met.
    res = decide([P("A1", 85, recruited_on=date(2026, 7, 1)), *fillers(4)])
    c = cand(res, "LDTT", "A1")
    assert c.outcome == "eligible"
    assert "Đã công tác 6 tháng kể từ ngày tuyển dụng 01/07/2026" in joined(c.texts("met"))
    # The old 10-month rule (ND 91/2017) as a setting: recruited 15/4/2026 → 8 months: unmet,
    # while the person is still rated (worked ≈ 8.5 months ≥ 6).
    r10 = reg(("awards.ldtt.min_months", 10))
    res = decide([P("A1", 85, recruited_on=date(2026, 4, 15)), *fillers(4)], regulation=r10)
    assert rating(res, "A1") is Rating.HTTNV
    unmet = joined(cand(res, "LDTT", "A1").texts("unmet"))
    assert unmet.startswith("Chưa đủ 10 tháng kể từ ngày tuyển dụng")
    assert "được 8 tháng" in unmet and "TT 01/2024/TT-BNV" in unmet


def test_ldtt_registration_required() -> None:
    r = reg(("awards.ldtt.require_registration", True))
    res = decide([P("A1", 85, registered=True), P("A2", 85, registered=False),
                  P("A3", 85, registered=None), *fillers(4)], regulation=r)
    assert cand(res, "LDTT", "A1").outcome == "eligible"
    assert "Không đăng ký thi đua" in joined(cand(res, "LDTT", "A2").texts("unmet"))
    assert "Không có thông tin đăng ký thi đua" in joined(cand(res, "LDTT", "A3").texts("unmet"))
    # Not required by default: an unregistered person is still considered.
    assert cand(decide([P("A2", 85, registered=False), *fillers(4)]), "LDTT", "A2").eligible


def test_internal_forty_day_absence_rule() -> None:
    r = reg(("awards.ldtt.absence_limit_days", 40))
    res = decide([P("A1", 85, leave_days=40), P("A2", 85, leave_days=39), *fillers(4)], regulation=r)
    assert "Nghỉ 40 ngày làm việc (không kể thai sản), từ 40 ngày trở lên" in joined(
        cand(res, "LDTT", "A1").texts("unmet"))
    assert cand(res, "LDTT", "A2").eligible


# --------------------------------------------------------------------------------------------
# Chiến sĩ thi đua cơ sở; one initiative, one award
# --------------------------------------------------------------------------------------------


def test_cstdcs_by_htxsnv_pays_only_the_highest_title() -> None:
    # 10 people ≥ HTTNV → 20 % = 2 slots; A1 (95) and A2 (92) keep HTXSNV.
    res = decide([P("A1", 95), P("A2", 92), *fillers(8)])
    assert cand(res, "CSTDCS", "A1").eligible
    cs, ld = award(res, "CSTDCS", "A1"), award(res, "LDTT", "A1")
    assert (cs.amount, cs.paid) == (2_340_000, True)
    assert (ld.amount, ld.paid) == (710_000, False)  # same period: only the highest is paid
    assert "cao nhất" in ld.note


def test_cstdcs_by_initiative_and_by_research() -> None:
    res = decide([P("A1", 85, initiatives=1), P("A2", 85, research=1), P("A3", 85), *fillers(4)])
    a1 = cand(res, "CSTDCS", "A1")
    assert a1.eligible and "sáng kiến được cơ sở công nhận năm 2026" in joined(a1.texts("met"))
    assert award(res, "CSTDCS", "A1").initiatives_used == ((2026, 1),)
    assert "đề tài khoa học được nghiệm thu" in joined(cand(res, "CSTDCS", "A2").texts("met"))
    unmet = joined(cand(res, "CSTDCS", "A3").texts("unmet"))
    assert "Không xếp loại HTXSNV, không có sáng kiến" in unmet and "Điều 23" in unmet


def test_one_initiative_supports_one_award_only() -> None:
    # One initiative: CSTĐCS takes it; the Giấy khen (needing an initiative) cannot reuse it.
    # Issue 11 point 6: a Giấy khen spends an initiative only when the regulation allows it, and
    # never one a multi-year streak needs (off here: no higher awards) — see test_awards_legal.
    r = reg(("awards.giay_khen.achievements", ["initiative", "research"]), ("awards.higher.enabled", False))
    res = decide([P("A1", 85, initiatives=1), *fillers(4)], regulation=r)
    assert cand(res, "CSTDCS", "A1").eligible
    gk = cand(res, "GIAY_KHEN", "A1")
    assert gk.outcome == "not_eligible"
    assert "đã dùng làm căn cứ cho khen thưởng khác" in joined(gk.texts("unmet"))
    assert "CV 5007/BNV-TĐKT" in joined(gk.texts("unmet"))
    # Two initiatives: one each; both paid (a title and a form of commendation).
    res = decide([P("A1", 85, initiatives=2), *fillers(4)], regulation=r)
    assert cand(res, "GIAY_KHEN", "A1").eligible
    assert award(res, "GIAY_KHEN", "A1").paid and award(res, "CSTDCS", "A1").paid


def test_initiative_already_used_earlier_in_the_year_per_ledger() -> None:
    history = History(people={"A1": {2026: HistoryYear(2026, None, frozenset({"GIAY_KHEN"}), 1, 1)}},
                      years=frozenset({2026}))
    res = decide([P("A1", 85, initiatives=1), *fillers(4)], history=history)
    unmet = joined(cand(res, "CSTDCS", "A1").texts("unmet"))
    assert "đã dùng làm căn cứ cho khen thưởng khác" in unmet


# --------------------------------------------------------------------------------------------
# The cap, ties, and the women-first preference (ND 152/2025 Điều 4.6)
# --------------------------------------------------------------------------------------------


def _tie_people(year: int = 2026) -> list[Person]:
    # 10 non-managers ≥ HTTNV → 2 slots; 95 keeps; 93, 93, 93 tie for the last slot.
    return [P("T1", 95), P("T2", 93, gender=F, name="Trần Thị Hoa"), P("T3", 93), P("T4", 93),
            *fillers(6)]


def test_cap_tie_goes_to_the_council() -> None:
    # The women-first preference (ND 152/2025 Điều 4.6) is on by default since issue 11 point 8;
    # turned off here, the tie goes to the council as before.
    res = decide(_tie_people(), regulation=reg(("awards.women_first", False)))
    assert rating(res, "T1") is Rating.HTXSNV
    assert {rating(res, s) for s in ("T2", "T3", "T4")} == {Rating.PENDING_COUNCIL}
    tie = next(t for t in res.ties if t.kind == "rating")
    assert (tie.slots, set(tie.ids), tie.total) == (1, {"T2", "T3", "T4"}, 93.0)
    # LĐTT holds either way; CSTĐCS waits for the council.
    assert cand(res, "LDTT", "T2").eligible
    assert cand(res, "CSTDCS", "T2").outcome == PENDING
    assert award(res, "CSTDCS", "T2").status == PENDING
    assert award(res, "CSTDCS", "T2").paid is False


def test_women_first_applies_from_1_july_2025_only() -> None:
    r = reg(("awards.women_first", True))
    people = _tie_people(2025)
    after = decide(people, regulation=r, when=date(2025, 7, 1), year=2025)
    assert after.ruleset.code == "2025-07"
    assert rating(after, "T2") is Rating.HTXSNV  # the woman among equals
    assert rating(after, "T3") is Rating.HTTNV and rating(after, "T4") is Rating.HTTNV
    assert not [t for t in after.ties if t.kind == "rating"]
    assert any(w.code == "rating-tie-women-first" for w in after.warnings)
    before = decide(people, regulation=r, when=date(2025, 6, 30), year=2025)
    assert before.ruleset.code == "2024"  # ND 98/2023 has no such preference
    assert rating(before, "T2") is Rating.PENDING_COUNCIL
    assert award(before, "LDTT", "T1").basis == "Luật TĐKT 2022 Điều 24; NĐ 98/2023/NĐ-CP Điều 53–58"
    assert award(after, "LDTT", "T1").basis == "Luật TĐKT 2022 Điều 24; NĐ 152/2025/NĐ-CP Điều 50"
    assert "Nghị định số 98/2023/NĐ-CP" in before.ruleset.legal_bases[1]
    assert "Nghị định số 152/2025/NĐ-CP" in after.ruleset.legal_bases[1]


def test_women_first_two_women_for_one_slot_stay_tied() -> None:
    r = reg(("awards.women_first", True))
    people = [P("T1", 95), P("T2", 93, gender=F), P("T3", 93, gender=F), P("T4", 93), *fillers(6)]
    res = decide(people, regulation=r)
    assert rating(res, "T4") is Rating.HTTNV
    assert rating(res, "T2") is Rating.PENDING_COUNCIL and rating(res, "T3") is Rating.PENDING_COUNCIL
    tie = next(t for t in res.ties if t.kind == "rating")
    assert set(tie.ids) == {"T2", "T3"} and tie.slots == 1


def test_council_votes_settle_a_cap_tie() -> None:
    votes = Votes(9, {("individual", s, "HTXSNV"): Tally("individual", s, "HTXSNV", n)
                      for s, n in (("T2", 4), ("T3", 7), ("T4", 5))})
    res = decide(_tie_people(), votes=votes)
    assert rating(res, "T3") is Rating.HTXSNV
    assert rating(res, "T2") is Rating.HTTNV and rating(res, "T4") is Rating.HTTNV


# --------------------------------------------------------------------------------------------
# Collectives
# --------------------------------------------------------------------------------------------


def _department(n_ldtt: int, n_other: int, dept: str = "Khoa Sản", **extra: Any) -> list[Person]:
    people = [P(f"L{i}", 80, dept=dept) for i in range(n_ldtt)]
    people += [P(f"O{i}", 60, dept=dept) for i in range(n_other)]  # HTNV: no LĐTT
    return people


def test_department_exactly_at_seventy_percent() -> None:
    # 7 of 10 members LĐTT = 70 % → TTLĐTT (≥ 70 %); 6 of 10 = 60 % → no.
    res = decide(_department(7, 3, "Khoa Sản") + _department(6, 4, "Khoa Nhi"))
    ok = cand(res, "TTLDTT", "Khoa Sản")
    assert ok.eligible and "7/10 thành viên đạt Lao động tiên tiến = 70%" in joined(ok.texts("met"))
    no = cand(res, "TTLDTT", "Khoa Nhi")
    assert not no.eligible and "Chỉ 6/10 thành viên đạt Lao động tiên tiến = 60%, dưới 70%" in joined(
        no.texts("unmet"))
    a = award(res, "TTLDTT", "Khoa Sản")
    assert (a.kind, a.staff_id, a.amount, a.paid) == ("collective", None, 1_880_000, True)


def test_department_waits_for_a_members_ldtt_vote_instead_of_failing() -> None:
    # 7 of 10 members meet LĐTT, but the tally sheet has no row for L6: L6's LĐTT waits for the
    # council, so 6/10 are decided. Counting L6 would give 70 %: the department's TTLĐTT waits
    # too (it used to be refused outright, "6/10 … dưới 70%").
    tallies = {("individual", f"L{i}", "LDTT"): Tally("individual", f"L{i}", "LDTT", 9)
               for i in range(6)}
    tallies[("collective", ANYONE, "TTLDTT")] = Tally("collective", ANYONE, "TTLDTT", 9)
    res = decide(_department(7, 3, "Khoa Sản"), votes=Votes(9, tallies))
    assert award(res, "LDTT", "L6").status == PENDING
    c = cand(res, "TTLDTT", "Khoa Sản")
    assert c.outcome == "pending_council"
    assert ("6/10 thành viên đạt Lao động tiên tiến = 60%, còn 1 người chờ Hội đồng xét Lao động "
            "tiên tiến: đủ 70% nếu được công nhận") in joined(c.texts(PENDING))
    assert award(res, "TTLDTT", "Khoa Sản").status == PENDING
    # L5 rejected by the vote (3 of 9): 5 decided + 1 waiting = 60 % can never reach 70 %.
    tallies[("individual", "L5", "LDTT")] = Tally("individual", "L5", "LDTT", 3)
    res = decide(_department(7, 3, "Khoa Sản"), votes=Votes(9, tallies))
    assert cand(res, "TTLDTT", "Khoa Sản").outcome == "not_eligible"


def test_department_with_a_warning_discipline_is_not_ttldtt() -> None:
    people = [*_department(9, 0, "Khoa Sản"),
              P("D1", 85, dept="Khoa Sản", discipline=Discipline.CANH_CAO)]
    res = decide(people)
    # 9/10 LĐTT = 90 % but a member was disciplined at "cảnh cáo".
    unmet = joined(cand(res, "TTLDTT", "Khoa Sản").texts("unmet"))
    assert "Có 1 thành viên bị kỷ luật từ hình thức cảnh cáo trở lên" in unmet
    # "Khiển trách" is below "cảnh cáo": the collective keeps its title.
    people[-1] = P("D1", 85, dept="Khoa Sản", discipline=Discipline.KHIEN_TRACH)
    assert cand(decide(people), "TTLDTT", "Khoa Sản").eligible


def test_ttldxs_conditions() -> None:
    # 10 members, all ≥ HTNV, 9 LĐTT (90 %), one CSTĐCS (by initiative) → TTLĐXS, proposed
    # upward (decided and paid by the province), while the hospital pays the TTLĐTT.
    people = [P("C1", 85, dept="Khoa Sản", initiatives=1), *_department(8, 1, "Khoa Sản")]
    res = decide(people)
    xs = cand(res, "TTLDXS", "Khoa Sản")
    assert xs.eligible, xs.texts("unmet")
    a = award(res, "TTLDXS", "Khoa Sản")
    assert (a.level, a.paid, a.amount) == ("higher", False, 3_510_000)
    assert award(res, "TTLDTT", "Khoa Sản").paid
    # No CSTĐCS in the department → not TTLĐXS.
    res = decide(_department(9, 1, "Khoa Sản"))
    assert "Không có đủ 1 cá nhân đạt Chiến sĩ thi đua cơ sở" in joined(
        cand(res, "TTLDXS", "Khoa Sản").texts("unmet"))
    # A member below HTNV → not 100 %.
    res = decide([*people, P("K1", 40, dept="Khoa Sản")])
    assert "1/11 thành viên chưa hoàn thành nhiệm vụ" in joined(
        cand(res, "TTLDXS", "Khoa Sản").texts("unmet"))


# --------------------------------------------------------------------------------------------
# Higher levels from the ledger's history
# --------------------------------------------------------------------------------------------


def _h(year: int, rating: str | None = "HTTNV", titles: tuple[str, ...] = (), initiatives: int = 0,
       used: int = 0) -> HistoryYear:
    return HistoryYear(year, Rating(rating) if rating else None, frozenset(titles), initiatives, used)


def _history(by_year: dict[int, HistoryYear], sid: str = "A1") -> History:
    return History(people={sid: by_year}, years=frozenset(by_year))


def test_bang_khen_tinh_two_consecutive_cstdcs_and_two_initiatives() -> None:
    # 2025: CSTĐCS with one initiative not used (it rested on HTXSNV); 2026: CSTĐCS by HTXSNV
    # and one initiative → 2 unused initiatives in 2025–2026.
    history = _history({2025: _h(2025, "HTXSNV", ("LDTT", "CSTDCS"), initiatives=1)})
    res = decide([P("A1", 95, initiatives=1), *fillers(9)], history=history)
    c = cand(res, "BANG_KHEN_TINH", "A1")
    assert c.eligible, c.texts("unmet")
    assert "Đạt Chiến sĩ thi đua cơ sở 2 năm liên tục (2025–2026)" in joined(c.texts("met"))
    a = award(res, "BANG_KHEN_TINH", "A1")
    assert a.initiatives_used == ((2025, 1), (2026, 1))
    assert (a.level, a.paid, a.amount) == ("higher", False, 3_510_000)  # 1.5 × 2.34 M
    # If the 2025 initiative was already used, only one is left: unmet.
    history = _history({2025: _h(2025, "HTXSNV", ("CSTDCS",), initiatives=1, used=1)})
    res = decide([P("A1", 95, initiatives=1), *fillers(9)], history=history)
    assert "Chỉ có 1 sáng kiến/đề tài trong 2025–2026" in joined(
        cand(res, "BANG_KHEN_TINH", "A1").texts("unmet"))


def test_streak_broken_by_one_year() -> None:
    # CSTĐCS 2024 and 2026, but only LĐTT in 2025: no CSTĐ cấp tỉnh (3 consecutive years).
    broken = _history({2024: _h(2024, "HTXSNV", ("CSTDCS",), 1), 2025: _h(2025, "HTTNV", ("LDTT",), 1)})
    res = decide([P("A1", 95, initiatives=1), *fillers(9)], history=broken)
    unmet = joined(cand(res, "CSTD_TINH", "A1").texts("unmet"))
    assert "2024: đã đạt; 2025: không đạt; 2026: đủ điều kiện năm nay" in unmet
    whole = _history({2024: _h(2024, "HTXSNV", ("CSTDCS",), 1),
                      2025: _h(2025, "HTXSNV", ("CSTDCS",), 1)})
    res = decide([P("A1", 95, initiatives=1), *fillers(9)], history=whole)
    c = cand(res, "CSTD_TINH", "A1")
    assert c.eligible
    assert "phạm vi ảnh hưởng trong toàn Bộ, ngành, tỉnh" in joined(c.texts("confirm"))
    assert award(res, "CSTD_TINH", "A1").amount == 7_020_000  # 3.0 × 2.34 M


def test_bang_khen_thu_tuong() -> None:
    # Bằng khen tỉnh 2021; HTTNV or better 2022–2026 (5 years); CSTĐCS 2022, 2023, 2025.
    years = {2021: _h(2021, "HTXSNV", ("BANG_KHEN_TINH",)),
             2022: _h(2022, "HTXSNV", ("CSTDCS",)), 2023: _h(2023, "HTXSNV", ("CSTDCS",)),
             2024: _h(2024, "HTTNV", ("LDTT",)), 2025: _h(2025, "HTXSNV", ("CSTDCS",))}
    res = decide([P("A1", 85), *fillers(4)], history=_history(years))
    c = cand(res, "BANG_KHEN_TTG", "A1")
    assert c.eligible, c.texts("unmet")
    assert "Có 3 lần Chiến sĩ thi đua cơ sở trong 2022–2026" in joined(c.texts("met"))
    # A missing rating for 2023 breaks the five years.
    years[2023] = _h(2023, None, ("CSTDCS",))
    res = decide([P("A1", 85), *fillers(4)], history=_history(years))
    assert "2023: sổ lịch sử không có xếp loại" in joined(cand(res, "BANG_KHEN_TTG", "A1").texts("unmet"))


# --------------------------------------------------------------------------------------------
# Votes
# --------------------------------------------------------------------------------------------


def test_vote_thresholds_exactly() -> None:
    from decimal import Decimal

    assert vote_passes(8, 10, Decimal("0.8"), True)  # 80 % of ALL members: passes
    assert not vote_passes(7, 9, Decimal("0.8"), True)  # 77.78 %
    assert not vote_passes(5, 10, Decimal("0.5"), True)  # "quá bán" needs more than half
    assert vote_passes(6, 10, Decimal("0.5"), True)
    assert vote_passes(5, 10, Decimal("0.5"), False)


def test_council_votes_and_a_rejection_cascades() -> None:
    people = [P("A1", 95), P("A2", 92), *fillers(8)]
    votes = Votes(10, {
        ("individual", "A1", "CSTDCS"): Tally("individual", "A1", "CSTDCS", 8),  # 80 %: passes
        ("individual", "A2", "CSTDCS"): Tally("individual", "A2", "CSTDCS", 7),  # 70 %: fails
        ("individual", ANYONE, "LDTT"): Tally("individual", ANYONE, "LDTT", 10),
        ("individual", ANYONE, "GIAY_KHEN"): Tally("individual", ANYONE, "GIAY_KHEN", 10),
        ("collective", ANYONE, "TTLDTT"): Tally("collective", ANYONE, "TTLDTT", 10),
        ("collective", ANYONE, "TTLDXS"): Tally("collective", ANYONE, "TTLDXS", 10),
    })
    res = decide(people, votes=votes)
    a1, a2 = award(res, "CSTDCS", "A1"), award(res, "CSTDCS", "A2")
    assert (a1.status, a1.votes_for, a1.vote_share, a1.paid) == (APPROVED, 8, 0.8, True)
    assert (a2.status, a2.paid) == (REJECTED, False)
    assert "7/10 thành viên = 70% (cần từ 80% trở lên" in joined(cand(res, "CSTDCS", "A2").texts("unmet"))
    # A2's CSTĐCS was rejected: its LĐTT is now the highest title of the year and is paid.
    assert award(res, "LDTT", "A2").paid and not award(res, "LDTT", "A1").paid
    assert award(res, "LDTT", "X01").status == APPROVED


def test_rejected_ldtt_removes_cstdcs() -> None:
    votes = Votes(9, {("individual", "A1", "LDTT"): Tally("individual", "A1", "LDTT", 4),
                      ("individual", "A1", "CSTDCS"): Tally("individual", "A1", "CSTDCS", 9)})
    # Issue 11 point 6: the Giấy khen rests on an initiative only where the regulation allows.
    res = decide([P("A1", 85, initiatives=1), *fillers(4)], votes=votes, regulation=reg(("awards.giay_khen.achievements", ["initiative", "research"])))
    assert award(res, "LDTT", "A1").status == REJECTED
    assert cand(res, "CSTDCS", "A1").outcome == "not_eligible"
    assert any(w.code == "vote-not-candidate" for w in res.warnings)
    # The initiative was freed: the Giấy khen may now rest on it (pending: no vote for it).
    assert award(res, "GIAY_KHEN", "A1").status == PENDING
    assert any(w.code == "vote-missing" for w in res.warnings)


def test_a_vote_for_someone_not_a_candidate_names_the_individual_title() -> None:
    # Bằng khen exists for individuals and for departments: a vote for a person must be reported
    # under the individual's label, not the collective one.
    votes = Votes(9, {("individual", "A1", "BANG_KHEN_TINH"):
                      Tally("individual", "A1", "BANG_KHEN_TINH", 9, name="Nguyễn Văn A1", row=7)},
                  source="phieu-bau.xlsx")
    res = decide([P("A1", 85), *fillers(4)], votes=votes)
    found = [w for w in res.warnings if w.code == "vote-not-candidate"]
    assert [w.message for w in found] == [
        'Phiếu bầu Bằng khen cho "Nguyễn Văn A1" (A1) nhưng chưa đủ điều kiện; dòng này không '
        "được dùng."]
    assert (found[0].file, found[0].row) == ("phieu-bau.xlsx", 7)  # where the row is


# --------------------------------------------------------------------------------------------
# Quotas
# --------------------------------------------------------------------------------------------


def test_cstdcs_quota_with_a_tie_at_the_boundary() -> None:
    # Legacy cap 15 % of the LĐTT: 20 LĐTT → floor(3.0) = 3 seats. Candidates by initiative:
    # 89, 88, 87, 87, 86 → 89 and 88 in; the two 87s tie for the last seat → council; 86 out.
    # (Issue 11 point 6: the Giấy khen may rest on an initiative only where the regulation allows.)
    r = reg(("awards.cstdcs.quota_share", 0.15), ("cap.enabled_year", False), ("awards.giay_khen.achievements", ["initiative", "research"]))
    people = [P("C1", 89, initiatives=1), P("C2", 88, initiatives=1), P("C3", 87, initiatives=1),
              P("C4", 87, initiatives=1), P("C5", 86, initiatives=1), *fillers(15)]
    res = decide(people, regulation=r)
    assert [award(res, "CSTDCS", s).status for s in ("C1", "C2", "C3", "C4")] == [
        PROPOSED, PROPOSED, PENDING, PENDING]
    out = cand(res, "CSTDCS", "C5")
    assert not out.eligible and "Ngoài số suất CSTĐCS: 3 suất" in joined(out.texts("unmet"))
    q = res.quotas[0]
    assert (q.base, q.quota, q.candidates, q.chosen, q.pending) == (20, 3, 5, 2, 2)
    tie = next(t for t in res.ties if t.kind == "award")
    assert (tie.slots, set(tie.ids)) == (1, {"C3", "C4"})
    # C5 is outside the quota: its initiative is free again for a Giấy khen.
    assert cand(res, "GIAY_KHEN", "C5").eligible


def test_cstdcs_quota_counts_only_the_ldtt_the_council_kept() -> None:
    # 15 % of those who ACHIEVED LĐTT: 20 people meet LĐTT, the council rejects 7 of them
    # (3 of 9 votes), so 13 LĐTT → floor(1.95) = 1 seat (not floor(3.0) = 3): C1 only.
    r = reg(("awards.cstdcs.quota_share", 0.15), ("cap.enabled_year", False))
    people = [P("C1", 89, initiatives=1), P("C2", 88, initiatives=1), P("C3", 87, initiatives=1),
              *fillers(17)]
    tallies = {("individual", f"X{i:02d}", "LDTT"): Tally("individual", f"X{i:02d}", "LDTT", 3)
               for i in range(1, 8)}
    tallies[("individual", ANYONE, "LDTT")] = Tally("individual", ANYONE, "LDTT", 9)
    tallies[("individual", ANYONE, "CSTDCS")] = Tally("individual", ANYONE, "CSTDCS", 9)
    res = decide(people, regulation=r, votes=Votes(9, tallies))
    assert [award(res, "LDTT", f"X{i:02d}").status for i in (1, 7, 8)] == [
        REJECTED, REJECTED, APPROVED]
    q = res.quotas[0]
    assert (q.base, q.quota, q.chosen) == (13, 1, 1)
    assert award(res, "CSTDCS", "C1").status == APPROVED
    assert "Ngoài số suất CSTĐCS: 1 suất" in joined(cand(res, "CSTDCS", "C2").texts("unmet"))


def test_cstdcs_quota_by_department_largest_remainder() -> None:
    # 40 % of 10 LĐTT = 4 seats; Khoa A has 7 LĐTT (exact 2.8), Khoa B 3 (1.2) → 2 + 1, and
    # the remaining seat goes to the larger remainder (0.8, Khoa A): A 3, B 1.
    r = reg(("awards.cstdcs.quota_share", 0.4), ("awards.cstdcs.quota_by_department", True),
            ("cap.enabled_year", False))
    a = [P(f"A{i}", 80 + i, dept="Khoa A", initiatives=1) for i in range(7)]
    b = [P(f"B{i}", 80 + i, dept="Khoa B", initiatives=1) for i in range(3)]
    res = decide(a + b, regulation=r)
    quotas = {q.department: q.quota for q in res.quotas}
    assert quotas == {"Khoa A": 3, "Khoa B": 1}
    assert sorted(x.staff_id for x in res.awards_of("CSTDCS") if x.status == PROPOSED) == [
        "A4", "A5", "A6", "B2"]


# --------------------------------------------------------------------------------------------
# Money, rule sets, leaders
# --------------------------------------------------------------------------------------------


def test_money_totals_and_words() -> None:
    # A1: CSTĐCS (2,340,000) + Giấy khen (702,000 → 710,000); A2: LĐTT 710,000;
    # Khoa Nội TTLĐTT 1,872,000 → 1,880,000. Total 5,640,000. (Issue 11 point 6: the Giấy
    # khen rests on the "Thành tích" column, not on an initiative.)
    res = decide([P("A1", 85, initiatives=1, achievement="Cứu sống bệnh nhân ngừng tim"),
                  P("A2", 85)])
    assert res.total == 2_340_000 + 710_000 + 710_000 + 1_880_000
    assert res.total_words == "Năm triệu sáu trăm bốn mươi nghìn đồng"
    lines = {(m.title, m.kind): (m.count, m.awarded, m.amount) for m in res.money}
    assert lines[("LDTT", "individual")] == (1, 2, 710_000)
    assert lines[("CSTDCS", "individual")] == (1, 1, 2_340_000)


def test_coefficient_override_that_needs_rounding_up() -> None:
    # A commune-level Giấy khen under ND 98/2023 paid 0.15 ×: 351,000 → 360,000.
    r = reg(("money.coefficients", {"GIAY_KHEN": "0.15"}))
    res = decide([P("A1", 85, achievement="Thành tích đột xuất"), *fillers(4)], regulation=r)
    assert award(res, "GIAY_KHEN", "A1").amount == 360_000


def test_base_salary_by_decision_date_and_no_ruleset_before_2024() -> None:
    res = decide([P("A1", 85), *fillers(4)], when=date(2024, 6, 30), year=2023)
    assert res.base_salary.amount == 1_800_000
    assert award(res, "LDTT", "A1").amount == 540_000  # 0.3 × 1.8 M, already a multiple
    with pytest.raises(UsageError, match="trước 01/01/2024"):
        decide([P("A1", 85)], when=date(2023, 12, 31), year=2023)


def test_leader_share_warning() -> None:
    r = reg(("awards.leader_share_warning", 0.3))
    people = [P("M1", 85, is_manager=True), P("M2", 85, is_manager=True), P("W1", 85), P("W2", 85)]
    res = decide(people, regulation=r)
    assert (res.leader_share.leaders, res.leader_share.direct_workers) == (2, 2)
    assert res.leader_share.share_leaders == 0.5
    assert any(w.code == "leader-share-high" for w in res.warnings)


# --------------------------------------------------------------------------------------------
# Quarters rolled up into the year
# --------------------------------------------------------------------------------------------


def _quarters(rows: dict[str, list[float | None]], regulation: Regulation, **extra: Any):
    """rows: staff ID → four quarter totals (None: not in that quarter's file)."""
    quarters = []
    for q in range(4):
        people = [P(sid, totals[q], **extra.get(sid, {})) for sid, totals in rows.items()
                  if totals[q] is not None]
        quarters.append((Period(PeriodKind.QUARTER, 2026, q + 1),
                         Dataset(people, CRIT, "test", Report())))
    return rollup_quarters(quarters, regulation, regulation.awards.rollup)


def test_quarter_rule_no_quarter_below_b() -> None:
    r = reg(("awards.rollup.min_quarter_rating", "HTTNV"), ("cap.enabled_quarter", False))
    year = _quarters({"A1": [90, 65, 90, 90], **{f"X{i}": [80] * 4 for i in range(5)}}, r)
    res = decide_awards(year, History(), r, None, WHEN)
    # Mean (90 + 65 + 90 + 90) / 4 = 83.75 → HTTNV, but quarter II was C.
    assert next(p.total for p in year.score.people if p.person.staff_id == "A1") == 83.75
    unmet = joined(cand(res, "LDTT", "A1").texts("unmet"))
    assert "Quý II loại C (HTNV): quy chế yêu cầu không quý nào dưới loại B" in unmet


def test_person_missing_from_the_last_quarter() -> None:
    r = reg()
    # Issue 11 point 4: a missing quarter needs a stated reason, else the person's year is
    # blocked; with "nghỉ không lương" (decisions.md 2026-12-07) the rule for the last quarter
    # applies as before.
    year = _quarters({"A1": [85, 85, 85, None], **{f"X{i}": [80] * 4 for i in range(5)}}, r,
                     A1={"absence_reason": "Nghỉ không lương quý IV"})
    res = decide_awards(year, History(), r, None, WHEN)
    assert any(w.code == "year-missing-quarter-reason" for w in res.warnings)
    unmet = joined(cand(res, "LDTT", "A1").texts("unmet"))
    assert "Không có tên trong bảng điểm quý IV" in unmet
