"""Who meets which title, condition by condition, with the reason in Vietnamese for every yes
and every no ("why not?"), each citing the article it rests on.

One function per title; each returns a :class:`Candidate` whose conditions are MET, UNMET,
PENDING (the council must first settle a tie) or CONFIRM (a condition of the law that thidua has
no data for — emulation spirit, the reach of an initiative — which the council confirms).
Quotas and votes are applied afterwards by ``core/awards.py``. Pure module.

Sources: Luật Thi đua, khen thưởng 2022 (Điều 22–28, 73–75); TT 01/2024/TT-BNV (6 months since
recruitment); CV 5007/BNV-TĐKT (an initiative is the basis of one award only); ND 152/2025
Điều 4.5 (maternity counts as time worked, already applied by the year rating).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from thidua_cli.config.sections import AwardsSettings
from thidua_cli.core.awards_model import (
    CONFIRM,
    ELIGIBLE,
    MET,
    NOT_ELIGIBLE,
    PENDING,
    UNMET,
    Candidate,
    Condition,
    History,
)
from thidua_cli.core.ranking import exact, format_points, round_half_up
from thidua_cli.core.rulesets import COLLECTIVE, INDIVIDUAL, LAW, Ruleset
from thidua_cli.core.yearly import QuarterMark, quarter_label
from thidua_cli.model import Discipline, Gender, Person, Rating

INITIATIVE_ONCE = "CV 5007/BNV-TĐKT"
REGULATION = "quy chế"
A22, A23, A24 = f"{LAW} Điều 22", f"{LAW} Điều 23", f"{LAW} Điều 24"
A27, A28 = f"{LAW} Điều 27", f"{LAW} Điều 28"
A73, A74, A75 = f"{LAW} Điều 73", f"{LAW} Điều 74", f"{LAW} Điều 75"
RATING_BASIS = "NĐ 90/2020/NĐ-CP sửa đổi bởi NĐ 48/2023/NĐ-CP"
TT01 = "TT 01/2024/TT-BNV"
TRANSFER = "NĐ 90/2020/NĐ-CP Điều 20.1"


@dataclass(frozen=True)
class PersonFacts:
    """Everything eligibility needs about one person in the year."""

    person: Person
    rating: Rating  # the final year rating (ties resolved where they could be)
    total: Decimal | None
    rating_notes: tuple[str, ...]  # why the rating is not the band (overrides, cap)
    quarters: tuple[QuarterMark, ...] | None  # None for a year workbook
    in_last_quarter: bool
    last_quarter: int | None

    @property
    def staff_id(self) -> str:
        return self.person.staff_id

    @property
    def female(self) -> bool:
        return self.person.gender is Gender.FEMALE

    @property
    def at_least_httnv(self) -> bool:
        return self.rating is Rating.PENDING_COUNCIL or self.rating.level >= Rating.HTTNV.level


@dataclass(frozen=True)
class Context:
    year: int
    period_end: date  # the reference date of every date rule (31/12 of the year)
    ruleset: Ruleset
    settings: AwardsSettings
    history: History
    htxsnv_band: float
    httnv_band: float


# --------------------------------------------------------------------------------------------
# Initiatives: each one supports a single award (CV 5007/BNV-TĐKT)
# --------------------------------------------------------------------------------------------


class Wallet:
    """A person's initiatives and accepted research not yet used as the basis of an award, by
    year. Awards take them oldest first; what they take is recorded for the ledger."""

    def __init__(self, year: int, current: int, past: dict[int, int]) -> None:
        self.year = year
        self.left = dict(past)
        self.left[year] = current

    def available(self, years: Sequence[int]) -> int:
        return sum(self.left.get(y, 0) for y in years)

    def take(self, count: int, years: Sequence[int]) -> tuple[tuple[int, int], ...] | None:
        if count <= 0:
            return ()
        if self.available(years) < count:
            return None
        used: list[tuple[int, int]] = []
        need = count
        for y in sorted(years):
            have = self.left.get(y, 0)
            if have and need:
                n = min(have, need)
                self.left[y] = have - n
                used.append((y, n))
                need -= n
        return tuple(used)

    def copy(self) -> Wallet:
        clone = Wallet(self.year, 0, {})
        clone.left = dict(self.left)
        return clone


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def full_months(start: date, end_inclusive: date) -> int:
    """Whole months from ``start`` to the end of ``end_inclusive``: 01/7 → 31/12 is 6."""
    nxt = end_inclusive + timedelta(days=1)
    months = (nxt.year - start.year) * 12 + (nxt.month - start.month)
    if nxt.day < start.day:
        months -= 1
    return max(months, 0)


def percent(part: int, whole: int) -> str:
    if whole == 0:
        return "0%"
    return format_points(round_half_up(Decimal(part) * 100 / Decimal(whole), 2)) + "%"


def share_at_least(part: int, whole: int, share: Decimal) -> bool:
    """part / whole ≥ share, exactly (7/10 ≥ 0.70 holds)."""
    return whole > 0 and Fraction(part, whole) >= Fraction(share)


def _d(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def _candidate(kind: str, title: str, who: PersonFacts | None, name: str, department: str,
               conditions: list[Condition], *, extra_outcome: str | None = None) -> Candidate:
    statuses = {c.status for c in conditions}
    if UNMET in statuses:
        outcome = NOT_ELIGIBLE
    elif PENDING in statuses or extra_outcome == PENDING:
        outcome = PENDING
    else:
        outcome = ELIGIBLE
    return Candidate(
        kind=kind,
        title=title,
        staff_id=who.staff_id if who else None,
        name=name,
        department=department,
        outcome=outcome,
        conditions=tuple(conditions),
    )


def _rating_phrase(f: PersonFacts) -> str:
    if f.rating is Rating.NOT_RATED:
        why = "; ".join(f.rating_notes)
        return "không được xếp loại năm" + (f" ({why})" if why else "")
    if f.rating is Rating.PENDING_COUNCIL:
        return "xếp loại năm chờ Hội đồng xét (bằng điểm ở ngưỡng trần HTXSNV)"
    return f"xếp loại năm {f.rating.value} ({f.rating.label})"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# --------------------------------------------------------------------------------------------
# Lao động tiên tiến (Luật Điều 24)
# --------------------------------------------------------------------------------------------


def ldtt(f: PersonFacts, ctx: Context) -> Candidate:
    s = ctx.settings.ldtt
    p = f.person
    cond: list[Condition] = []
    if f.at_least_httnv:
        extra = " (HTXSNV hay HTTNV đều đạt)" if f.rating is Rating.PENDING_COUNCIL else ""
        cond.append(Condition("ldtt.3", MET, (_cap(_rating_phrase(f)), extra)))
    else:
        cond.append(Condition("ldtt.4", UNMET, (_cap(_rating_phrase(f)),)))

    basis = ctx.ruleset.ldtt_months_basis
    since = p.works_since
    if s.min_months > 0:
        if since is None:
            cond.append(Condition("ldtt.7", MET, (s.min_months, basis)))
        else:
            months = full_months(since, ctx.period_end)
            start = f"ngày tuyển dụng {_d(since)}"
            if since != p.recruited_on:
                # A labour contract just before recruitment is continuous work at the same
                # agency (Bộ Nội vụ's reading of TT 01/2024, domain-law.md §2.1).
                start = (f"ngày hợp đồng {_d(since)} (thời gian hợp đồng trước khi tuyển dụng"
                         + (f" ngày {_d(p.recruited_on)}" if p.recruited_on else "")
                         + " được tính liên tục)")
            if months >= s.min_months:
                cond.append(Condition("ldtt.11", MET, (months, start, s.min_months, basis)))
            else:
                cond.append(Condition(
                    "ldtt.12", UNMET, (s.min_months, start, _d(ctx.period_end), months, basis)))
    cond.extend(_time_counted_conditions(p, ctx))

    if p.discipline is None:
        cond.append(Condition("ldtt.5", MET))
    else:
        cond.append(Condition("ldtt.6", UNMET, (p.discipline.label,)))

    if s.require_registration:
        if p.registered is True:
            cond.append(Condition("ldtt.8", MET))
        elif p.registered is False:
            cond.append(Condition("ldtt.13", UNMET))
        else:
            cond.append(Condition("ldtt.14", UNMET))

    if s.absence_limit_days > 0:
        leave = format_points(p.leave_days)
        limit = format_points(s.absence_limit_days)
        if exact(p.leave_days) < s.absence_limit_days:
            cond.append(Condition("ldtt.9", MET, (leave, limit)))
        else:
            cond.append(Condition("ldtt.10", UNMET, (leave, limit)))

    cond.extend(_quarter_conditions(f, ctx))
    cond.append(Condition("ldtt.1", CONFIRM))
    # No sheet column says it: while a discipline, an investigation or a complaint is being
    # considered, no award is given or proposed (domain-law.md §2.1).
    cond.append(Condition("ldtt.2", CONFIRM))
    return _candidate(INDIVIDUAL, "LDTT", f, p.name, p.department, cond)


def _principle(ctx: Context, clause: int) -> str:
    """The article of the decree's principles (NĐ 152/2025 Điều 4.x); the earlier decree's
    number for the same principle is not verified, so it is cited without one."""
    decree = ctx.ruleset.decree
    return f"{decree} Điều 4.{clause}" if "152/2025" in decree else decree


def _time_counted_conditions(p: Person, ctx: Context) -> list[Condition]:
    """Issue 11 points 3 and 12, from the optional columns: time that counts as worked, the end
    of a discipline period, and a transfer in (each absent column adds nothing)."""
    out: list[Condition] = []
    counted = []
    if p.injury_days:
        counted.append(f"{format_points(p.injury_days)} ngày điều trị thương do cứu người, cứu "
                       "tài sản hoặc chiến đấu")
    if p.training_days:
        counted.append(f"{format_points(p.training_days)} ngày đi học (khóa từ 1 năm trở lên)")
    if counted:
        out.append(Condition("time-counted-conditions.1", MET, (_cap(' và '.join(counted)),)))
    end = p.discipline_ended_on
    if end is not None and end > ctx.period_end:
        out.append(Condition("time-counted-conditions.2", UNMET, (_d(end), _principle(ctx, 4))))
    elif end is not None and end > date(ctx.year, 1, 1):
        months = full_months(end, ctx.period_end)
        need = max(ctx.settings.ldtt.min_months, 1)
        text = (f"Hết thời hạn kỷ luật ngày {_d(end)}: thành tích chỉ tính từ ngày đó, đến "
                f"{_d(ctx.period_end)} được {months} tháng")
        out.append(Condition(
            "time-counted-conditions.3", MET if months >= need else UNMET, (text, need, _principle(ctx, 4))))
    moved = p.moved_in_on
    if moved is not None and moved > date(ctx.year, 1, 1):
        there = full_months(date(ctx.year, 1, 1), moved - timedelta(days=1))
        text = f"Chuyển đến ngày {_d(moved)}, được đánh giá tại đơn vị này"
        if there < 6:
            out.append(Condition("time-counted-conditions.4", MET, (text, there)))
        elif p.previous_opinion:
            out.append(Condition(
                "time-counted-conditions.5", MET, (text, there, p.previous_opinion)))
        else:
            out.append(Condition("time-counted-conditions.6", UNMET, (text, there)))
    return out


def _quarter_conditions(f: PersonFacts, ctx: Context) -> list[Condition]:
    r = ctx.settings.rollup
    out: list[Condition] = []
    if f.quarters is None:
        return out
    rated = [m for m in f.quarters if m.rating is not Rating.NOT_RATED]
    if r.min_quarter_rating is not None:
        floor = r.min_quarter_rating
        below = [m for m in rated
                 if m.rating is not Rating.PENDING_COUNCIL and m.rating.level < floor.level]
        if floor is Rating.HTXSNV:
            below = [m for m in rated if m.rating is not Rating.HTXSNV]
        wanted = f"không quý nào dưới loại {floor.grade} ({floor.value})"
        if below:
            detail = ", ".join(f"{quarter_label(m.quarter)} loại {m.rating.grade or '-'} "
                               f"({m.rating.value})" for m in below)
            out.append(Condition("quarter-conditions.2", UNMET, (_cap(detail), wanted)))
        else:
            out.append(Condition("quarter-conditions.3", MET, (_cap(wanted),)))
    if r.min_quarters_ab > 0:
        good = [m for m in f.quarters if m.at_least_b]
        out.append(Condition("quarter-conditions.1", MET if len(good) >= r.min_quarters_ab
                             else UNMET, (len(good), r.min_quarters_ab)))
    if r.require_last_quarter and f.last_quarter is not None:
        if f.in_last_quarter:
            out.append(Condition("quarter-conditions.4", MET, (quarter_label(f.last_quarter),)))
        else:
            out.append(Condition("quarter-conditions.5", UNMET, (quarter_label(f.last_quarter),)))
    return out


# --------------------------------------------------------------------------------------------
# Chiến sĩ thi đua cơ sở (Luật Điều 23)
# --------------------------------------------------------------------------------------------


def cstdcs(f: PersonFacts, ctx: Context, ldtt_candidate: Candidate,
           wallet: Wallet) -> tuple[Candidate, tuple[tuple[int, int], ...]]:
    """CSTĐCS; an initiative it rests on is taken from ``wallet`` (returned as used)."""
    p = f.person
    cond: list[Condition] = []
    if ldtt_candidate.outcome == ELIGIBLE:
        cond.append(Condition("cstdcs.1", MET))
    else:
        cond.append(Condition("cstdcs.2", UNMET))
    used: tuple[tuple[int, int], ...] = ()
    year = ctx.year
    if f.rating is Rating.HTXSNV:
        cond.append(Condition("cstdcs.3", MET))
    else:
        has = wallet.available([year]) > 0
        taken = wallet.take(1, [year]) if has and ldtt_candidate.outcome == ELIGIBLE else None
        if has:
            used = taken or ()
            what = "sáng kiến được cơ sở công nhận" if p.initiatives else "đề tài khoa học được nghiệm thu"
            cond.append(Condition("cstdcs.4", MET, (what, year)))
        elif f.rating is Rating.PENDING_COUNCIL:
            cond.append(Condition("cstdcs.5", PENDING))
        elif p.initiatives + p.research > 0 and wallet.available([year]) == 0:
            cond.append(Condition("cstdcs.6", UNMET, (year,)))
        else:
            # Why the points' HTXSNV did not hold (the cap, or the tasks of QĐ 366), if it did not.
            why = f" ({'; '.join(f.rating_notes)})" if f.rating_notes else ""
            cond.append(Condition("cstdcs.7", UNMET, (why,)))
    return _candidate(INDIVIDUAL, "CSTDCS", f, p.name, p.department, cond), used


# --------------------------------------------------------------------------------------------
# Giấy khen (Luật Điều 75)
# --------------------------------------------------------------------------------------------


def giay_khen(f: PersonFacts, ctx: Context, wallet: Wallet,
              cstdcs_outcome: str = NOT_ELIGIBLE) -> tuple[Candidate, tuple[tuple[int, int], ...]]:
    s = ctx.settings.giay_khen
    p = f.person
    cond: list[Condition] = []
    floor = s.min_rating
    pending_ok = floor.level <= Rating.HTTNV.level
    if f.rating is Rating.PENDING_COUNCIL:
        status = MET if pending_ok else PENDING
        cond.append(Condition("giay-khen.2", status, (_cap(_rating_phrase(f)), floor.label)))
    elif f.rating.level >= floor.level:
        cond.append(Condition("giay-khen.5", MET, (_cap(_rating_phrase(f)), floor.label)))
    else:
        cond.append(Condition("giay-khen.6", UNMET, (_cap(_rating_phrase(f)), floor.label)))
    if p.discipline is None:
        cond.append(Condition("giay-khen.3", MET))
    else:
        cond.append(Condition("giay-khen.4", UNMET, (p.discipline.label,)))

    used: tuple[tuple[int, int], ...] = ()
    kinds = s.achievements
    if kinds:
        names = {"achievement": "thành tích trong phong trào thi đua hoặc đột xuất",
                 "htxsnv": "xếp loại HTXSNV", "initiative": "sáng kiến",
                 "research": "đề tài khoa học"}
        wanted = " hoặc ".join(names[k] for k in kinds)
        year = ctx.year
        uses_tokens = "initiative" in kinds or "research" in kinds
        # This year may start or continue a multi-year streak (CSTĐCS or HTXSNV: Bằng khen tỉnh
        # needs 2 initiatives across such years, CSTĐ tỉnh one): its initiatives stay for it.
        in_streak = ctx.settings.higher.enabled and (
            cstdcs_outcome in (ELIGIBLE, PENDING) or f.rating is Rating.HTXSNV)
        if "achievement" in kinds and p.achievement:
            cond.append(Condition("giay-khen.7", MET, (p.achievement,)))
        elif "htxsnv" in kinds and f.rating is Rating.HTXSNV:
            cond.append(Condition("giay-khen.8", MET))
        elif uses_tokens and _has_kind(p, kinds) and in_streak:
            cond.append(Condition("giay-khen.9", UNMET, (year,)))
        elif uses_tokens and _has_kind(p, kinds) and (taken := wallet.take(1, [year])) is not None:
            used = taken
            cond.append(Condition("giay-khen.10", MET, (year,)))
        elif "htxsnv" in kinds and f.rating is Rating.PENDING_COUNCIL:
            cond.append(Condition("giay-khen.11", PENDING))
        elif uses_tokens and _has_kind(p, kinds):
            cond.append(Condition("giay-khen.12", UNMET, (year,)))
        else:
            adhoc = ""
            if p.adhoc_award:
                adhoc = (f"; khen thưởng đột xuất đã nhận ({p.adhoc_award}) không dùng làm căn cứ "
                         f"khen thưởng theo công trạng ({_principle(ctx, 3)})")
            cond.append(Condition("giay-khen.13", UNMET, (wanted, adhoc)))
    cond.append(Condition("giay-khen.1", CONFIRM))
    return _candidate(INDIVIDUAL, "GIAY_KHEN", f, p.name, p.department, cond), used


def _has_kind(p: Person, kinds: Sequence[str]) -> bool:
    return ("initiative" in kinds and p.initiatives > 0) or ("research" in kinds and p.research > 0)


# --------------------------------------------------------------------------------------------
# Higher levels, from the history ledger
# --------------------------------------------------------------------------------------------


def _year_status(f: PersonFacts, ctx: Context, year: int, title: str,
                 this_year: str) -> tuple[str, str]:
    """(status, detail) of ``title`` in ``year``: this year's outcome, or the ledger's."""
    if year == ctx.year:
        if this_year == ELIGIBLE:
            return MET, f"{year}: đủ điều kiện năm nay"
        if this_year == PENDING:
            return PENDING, f"{year}: năm nay đang chờ Hội đồng"
        return UNMET, f"{year}: năm nay chưa đạt"
    before = _before_discipline_end(f, ctx, year)
    if before:
        return UNMET, before
    h = ctx.history.person_year(f.staff_id, year)
    if h is None:
        return UNMET, f"{year}: sổ lịch sử không có dữ liệu"
    if title in h.titles:
        return MET, f"{year}: đã đạt"
    return UNMET, f"{year}: không đạt"


def _rating_status(f: PersonFacts, ctx: Context, year: int,
                   at_least: Rating) -> tuple[str, str]:
    if year == ctx.year:
        if f.rating is Rating.PENDING_COUNCIL:
            return (MET if at_least.level <= Rating.HTTNV.level else PENDING,
                    f"{year}: chờ Hội đồng xét (HTXSNV/HTTNV)")
        ok = f.rating.level >= at_least.level
        return (MET if ok else UNMET), f"{year}: {f.rating.value}"
    before = _before_discipline_end(f, ctx, year)
    if before:
        return UNMET, before
    h = ctx.history.person_year(f.staff_id, year)
    if h is None or h.rating is None:
        return UNMET, f"{year}: sổ lịch sử không có xếp loại"
    ok = h.rating.level >= at_least.level
    return (MET if ok else UNMET), f"{year}: {h.rating.value}"


def _before_discipline_end(f: PersonFacts, ctx: Context, year: int) -> str:
    """A past year that began before a discipline period ended does not count: achievements
    count from the day it ended (NĐ 152/2025 Điều 4.4)."""
    end = f.person.discipline_ended_on
    if end is None or date(year, 1, 1) >= end:
        return ""
    return f"{year}: trước ngày hết thời hạn kỷ luật {_d(end)} ({_principle(ctx, 4)})"


def _streak(statuses: list[tuple[str, str]]) -> str:
    kinds = {s for s, _ in statuses}
    if UNMET in kinds:
        return UNMET
    if PENDING in kinds:
        return PENDING
    return MET


def cstd_tinh(f: PersonFacts, ctx: Context, cstdcs_outcome: str,
              wallet: Wallet) -> tuple[Candidate, tuple[tuple[int, int], ...]]:
    n = ctx.settings.higher.cstd_tinh_years
    years = list(range(ctx.year - n + 1, ctx.year + 1))
    marks = [_year_status(f, ctx, y, "CSTDCS", cstdcs_outcome) for y in years]
    status = _streak(marks)
    span = f"{years[0]}–{years[-1]}"
    detail = "; ".join(d for _, d in marks)
    cond = [Condition("cstd-tinh.2", status, (n, span))
            if status == MET else
            Condition("cstd-tinh.3", status, (n, span, detail))]
    used: tuple[tuple[int, int], ...] = ()
    if status != UNMET:
        taken = wallet.take(1, years)
        if taken is None:
            cond.append(Condition("cstd-tinh.4", UNMET, (span,)))
        else:
            used = taken
            cond.append(Condition("cstd-tinh.5", MET, (span,)))
    # The province (or ministry) head recognises the reach, not the hospital: the hospital only
    # proposes ("đề nghị") and lists the condition as the higher level's to confirm.
    cond.append(Condition("cstd-tinh.1", CONFIRM))
    candidate = _candidate(INDIVIDUAL, "CSTD_TINH", f, f.person.name, f.person.department, cond)
    return candidate, (used if candidate.outcome != NOT_ELIGIBLE else ())


def bang_khen_tinh(f: PersonFacts, ctx: Context, cstdcs_outcome: str,
                   wallet: Wallet) -> tuple[Candidate, tuple[tuple[int, int], ...]]:
    h = ctx.settings.higher
    n = h.bang_khen_years
    years = list(range(ctx.year - n + 1, ctx.year + 1))
    span = f"{years[0]}–{years[-1]}"
    by_title = [_year_status(f, ctx, y, "CSTDCS", cstdcs_outcome) for y in years]
    by_rating = [_rating_status(f, ctx, y, Rating.HTXSNV) for y in years]
    s_title, s_rating = _streak(by_title), _streak(by_rating)
    cond: list[Condition] = []
    if s_title == MET:
        cond.append(Condition("bang-khen-tinh.2", MET, (n, span)))
    elif s_rating == MET:
        cond.append(Condition("bang-khen-tinh.3", MET, (n, span)))
    elif PENDING in (s_title, s_rating):
        cond.append(Condition("bang-khen-tinh.6", PENDING, (n, span)))
    else:
        detail = "; ".join(d for _, d in by_title)
        rdetail = "; ".join(d for _, d in by_rating)
        cond.append(Condition("bang-khen-tinh.7", UNMET, (n, detail, rdetail)))
    used: tuple[tuple[int, int], ...] = ()
    need = h.bang_khen_initiatives
    if need > 0 and cond[0].status != UNMET:
        have = wallet.available(years)
        if have >= need:
            used = wallet.take(need, years) or ()
            cond.append(Condition("bang-khen-tinh.4", MET, (need, span)))
        else:
            cond.append(Condition("bang-khen-tinh.5", UNMET, (have, span, need)))
    cond.append(Condition("bang-khen-tinh.1", CONFIRM))
    candidate = _candidate(INDIVIDUAL, "BANG_KHEN_TINH", f, f.person.name, f.person.department, cond)
    return candidate, (used if candidate.outcome != NOT_ELIGIBLE else ())


def bang_khen_ttg(f: PersonFacts, ctx: Context, cstdcs_outcome: str) -> Candidate:
    h = ctx.settings.higher
    n = h.ttg_years
    past = ctx.history.people.get(f.staff_id, {})
    earlier = sorted((y for y, e in past.items() if "BANG_KHEN_TINH" in e.titles
                      and ctx.year - y >= n), reverse=True)
    cond: list[Condition] = []
    if not earlier:
        any_bk = sorted(y for y, e in past.items() if "BANG_KHEN_TINH" in e.titles)
        if any_bk:
            cond.append(Condition("bang-khen-ttg.5", UNMET, (any_bk[-1], n, ctx.year)))
        else:
            cond.append(Condition("bang-khen-ttg.6", UNMET))
        return _candidate(INDIVIDUAL, "BANG_KHEN_TTG", f, f.person.name, f.person.department, cond)
    y0 = earlier[0]
    cond.append(Condition("bang-khen-ttg.1", MET, (y0,)))
    years = list(range(y0 + 1, ctx.year + 1))
    span = f"{years[0]}–{years[-1]}"
    ratings = [_rating_status(f, ctx, y, Rating.HTTNV) for y in years]
    s_rating = _streak(ratings)
    if s_rating == MET:
        cond.append(Condition("bang-khen-ttg.2", MET, (len(years), span)))
    else:
        detail = "; ".join(d for s, d in ratings if s != MET)
        cond.append(Condition("bang-khen-ttg.3", s_rating, (len(years), span, detail)))
    titles = [_year_status(f, ctx, y, "CSTDCS", cstdcs_outcome) for y in years]
    got = sum(1 for s, _ in titles if s == MET)
    maybe = sum(1 for s, _ in titles if s == PENDING)
    need = h.ttg_cstdcs
    if got >= need:
        cond.append(Condition("bang-khen-ttg.4", MET, (got, span, need)))
    elif got + maybe >= need:
        cond.append(Condition("bang-khen-ttg.7", PENDING, (got, span, need)))
    else:
        cond.append(Condition("bang-khen-ttg.8", UNMET, (got, span, need)))
    return _candidate(INDIVIDUAL, "BANG_KHEN_TTG", f, f.person.name, f.person.department, cond)


# --------------------------------------------------------------------------------------------
# Collectives: Tập thể lao động tiên tiến (Điều 28), xuất sắc (Điều 27), Bằng khen (Điều 74)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentFacts:
    name: str
    key: str  # vntext.key of the name
    people: tuple[PersonFacts, ...]  # everyone listed in the department
    members: tuple[PersonFacts, ...]  # those counted (settings.collective.members)
    ldtt_ids: frozenset[str]  # members who are LĐTT (decided or proposed)
    ldtt_pending_ids: frozenset[str]  # members whose LĐTT waits for the council (a missing vote)
    cstdcs_ids: frozenset[str]
    cstdcs_pending_ids: frozenset[str]
    mean_total: Decimal | None


def _members_line(d: DepartmentFacts) -> str:
    left_out = len(d.people) - len(d.members)
    if left_out:
        return (f"{len(d.members)} thành viên được xếp loại (không tính {left_out} người không "
                "xếp loại)")
    return f"{len(d.members)} thành viên"


def ttldtt(d: DepartmentFacts, ctx: Context) -> Candidate:
    s = ctx.settings.collective
    cond: list[Condition] = []
    if not d.members:
        cond.append(Condition("ttldtt.2", UNMET))
    else:
        cond.append(_ldtt_share_condition(d, _members_line(d), s.min_ldtt_share, A28))
    cond.append(_discipline_condition(d, A28))
    cond.append(_collective_rating(d, ctx, Rating.HTTNV, A28))
    cond.append(Condition("ttldtt.1", CONFIRM))
    return _candidate(COLLECTIVE, "TTLDTT", None, d.name, d.name, cond)


def _ldtt_share_condition(d: DepartmentFacts, members: str, share: Decimal,
                          article: str) -> Condition:
    """≥ ``share`` of the members are LĐTT; PENDING when only the LĐTT still waiting for the
    council (a missing vote) could bring the share there."""
    n, k, waiting = len(d.members), len(d.ldtt_ids), len(d.ldtt_pending_ids)
    need = format_points(share * 100) + "%"
    shown = f"{k}/{members} đạt Lao động tiên tiến = {percent(k, n)}"
    if share_at_least(k, n, share):
        return Condition("ldtt-share-condition.2", MET, (shown, need, article))
    if waiting and share_at_least(k + waiting, n, share):
        return Condition("ldtt-share-condition.3", PENDING, (shown, waiting, need, article))
    return Condition("ldtt-share-condition.1", UNMET, (shown, need, article))


def _discipline_condition(d: DepartmentFacts, article: str) -> Condition:
    serious = [f for f in d.people
               if f.person.discipline is not None
               and f.person.discipline.severity >= Discipline.CANH_CAO.severity]
    if not serious:
        return Condition("discipline-condition.2", MET, (article,))
    names = ", ".join(f"{f.person.name} ({f.person.discipline.label})"  # type: ignore[union-attr]
                      for f in serious)
    return Condition("discipline-condition.1", UNMET, (len(serious), names, article))


def _collective_rating(d: DepartmentFacts, ctx: Context, floor: Rating, article: str) -> Condition:
    what = "hoàn thành xuất sắc nhiệm vụ" if floor is Rating.HTXSNV else "hoàn thành tốt nhiệm vụ"
    if ctx.settings.collective.rating == "council" or d.mean_total is None:
        return Condition("collective-rating.2", CONFIRM, (what, article))
    band = ctx.htxsnv_band if floor is Rating.HTXSNV else ctx.httnv_band
    mean = format_points(d.mean_total)
    if d.mean_total >= exact(band):
        return Condition("collective-rating.3", MET, (mean, format_points(band), what, article))
    return Condition("collective-rating.1", UNMET, (mean, format_points(band), what, article))


def ttldxs(d: DepartmentFacts, ctx: Context) -> Candidate:
    s = ctx.settings.collective
    cond: list[Condition] = []
    n = len(d.members)
    below = [f for f in d.members if not (f.rating is Rating.PENDING_COUNCIL
                                          or f.rating.level >= Rating.HTNV.level)]
    if n == 0:
        cond.append(Condition("ttldxs.1", UNMET))
    elif not below:
        cond.append(Condition("ttldxs.3", MET, (n,)))
    else:
        names = ", ".join(f"{f.person.name} ({f.rating.value})" for f in below)
        cond.append(Condition("ttldxs.4", UNMET, (len(below), n, names)))
    if n:
        cond.append(_ldtt_share_condition(d, f"{n} thành viên", s.min_ldtt_share, A27))
    want = s.ttldxs_min_cstdcs
    have = len(d.cstdcs_ids)
    if have >= want:
        cond.append(Condition("ttldxs.2", MET, (have, want)))
    elif have + len(d.cstdcs_pending_ids) >= want:
        cond.append(Condition("ttldxs.5", PENDING, (have, want)))
    else:
        cond.append(Condition("ttldxs.6", UNMET, (want,)))
    cond.append(_discipline_condition(d, A27))
    cond.append(_collective_rating(d, ctx, Rating.HTXSNV, A27))
    return _candidate(COLLECTIVE, "TTLDXS", None, d.name, d.name, cond)


def bang_khen_tinh_collective(d: DepartmentFacts, ctx: Context, ttldxs_outcome: str) -> Candidate:
    """Luật Điều 74: 2 consecutive years TTLĐXS, or 2 consecutive years HTXSNV. This year's
    TTLĐXS is decided by the province: a Bằng khen resting on it is only conditional."""
    n = ctx.settings.higher.bang_khen_years
    years = list(range(ctx.year - n + 1, ctx.year + 1))
    span = f"{years[0]}–{years[-1]}"
    marks: list[tuple[str, str]] = []
    by_rating: list[tuple[str, str]] = []
    for y in years:
        if y == ctx.year:
            status = {ELIGIBLE: MET, PENDING: PENDING}.get(ttldxs_outcome, UNMET)
            marks.append((status, f"{y}: {'đủ điều kiện TTLĐXS năm nay' if status == MET else 'năm nay chưa đạt TTLĐXS'}"))
            this = _collective_rating(d, ctx, Rating.HTXSNV, A74).status
            # The council confirms the collective's own rating: not refuted, so not unmet.
            by_rating.append(({CONFIRM: MET}.get(this, this),
                              f"{y}: {'hoàn thành xuất sắc nhiệm vụ' if this != UNMET else 'chưa HTXSNV'}"
                              f"{' (Hội đồng xác nhận)' if this == CONFIRM else ''}"))
            continue
        h = ctx.history.department_year(d.key, y)
        if h is None:
            marks.append((UNMET, f"{y}: sổ lịch sử không có dữ liệu"))
            by_rating.append((UNMET, f"{y}: sổ lịch sử không có dữ liệu"))
            continue
        marks.append((MET, f"{y}: đã đạt TTLĐXS") if "TTLDXS" in h.titles
                     else (UNMET, f"{y}: không đạt TTLĐXS"))
        by_rating.append((MET, f"{y}: HTXSNV") if h.rating is Rating.HTXSNV
                         else (UNMET, f"{y}: không HTXSNV"))
    status, status_rating = _streak(marks), _streak(by_rating)
    detail = "; ".join(t for _, t in marks)
    cond: list[Condition] = []
    if status == MET:
        cond.append(Condition("bang-khen-tinh-collective.2", MET, (n, span)))
        cond.append(Condition("bang-khen-tinh-collective.3", CONFIRM, (ctx.year,)))
    elif status_rating == MET:
        cond.append(Condition("bang-khen-tinh-collective.4", MET,
                              (n, span, "; ".join(t for _, t in by_rating))))
    else:
        cond.append(Condition(
            "bang-khen-tinh-collective.5", PENDING if PENDING in (status, status_rating) else UNMET,
            (n, span, detail, "; ".join(t for _, t in by_rating))))
    cond.append(Condition("bang-khen-tinh-collective.1", CONFIRM))
    return _candidate(COLLECTIVE, "BANG_KHEN_TINH", None, d.name, d.name, cond)
