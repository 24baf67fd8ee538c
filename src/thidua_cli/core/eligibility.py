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
        cond.append(Condition(f"{_cap(_rating_phrase(f))}{extra}, từ Hoàn thành tốt nhiệm vụ trở "
                              f"lên ({A24})", MET))
    else:
        cond.append(Condition(f"{_cap(_rating_phrase(f))}, chưa đạt Hoàn thành tốt nhiệm vụ trở "
                              f"lên ({A24})", UNMET))

    basis = ctx.ruleset.ldtt_months_basis
    since = p.works_since
    if s.min_months > 0:
        if since is None:
            cond.append(Condition(f"Không có ngày tuyển dụng trong bảng điểm: coi như đã công tác "
                                  f"đủ {s.min_months} tháng ({basis})", MET))
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
                cond.append(Condition(
                    f"Đã công tác {months} tháng kể từ {start} (tối thiểu {s.min_months} tháng) "
                    f"({basis})", MET))
            else:
                cond.append(Condition(
                    f"Chưa đủ {s.min_months} tháng kể từ {start}: đến {_d(ctx.period_end)} được "
                    f"{months} tháng ({basis})", UNMET))
    cond.extend(_time_counted_conditions(p, ctx))

    if p.discipline is None:
        cond.append(Condition(f"Không bị kỷ luật trong năm ({RATING_BASIS})", MET))
    else:
        cond.append(Condition(f"Bị kỷ luật ({p.discipline.label}) trong năm ({RATING_BASIS})", UNMET))

    if s.require_registration:
        if p.registered is True:
            cond.append(Condition(f"Đã đăng ký thi đua ({REGULATION})", MET))
        elif p.registered is False:
            cond.append(Condition(f"Không đăng ký thi đua; người không đăng ký không được xét "
                                  f"({REGULATION})", UNMET))
        else:
            cond.append(Condition(f"Không có thông tin đăng ký thi đua (cột \"Đăng ký thi đua\" để "
                                  f"trống); quy chế yêu cầu đăng ký ({REGULATION})", UNMET))

    if s.absence_limit_days > 0:
        leave = format_points(p.leave_days)
        limit = format_points(s.absence_limit_days)
        if exact(p.leave_days) < s.absence_limit_days:
            cond.append(Condition(f"Nghỉ {leave} ngày làm việc (không kể thai sản), dưới {limit} "
                                  f"ngày ({REGULATION})", MET))
        else:
            cond.append(Condition(f"Nghỉ {leave} ngày làm việc (không kể thai sản), từ {limit} "
                                  f"ngày trở lên ({REGULATION})", UNMET))

    cond.extend(_quarter_conditions(f, ctx))
    cond.append(Condition(
        f"Có tinh thần tự lực, tự cường, đoàn kết, tương trợ, tích cực tham gia phong trào thi đua "
        f"({A24}): Hội đồng xem xét", CONFIRM))
    # No sheet column says it: while a discipline, an investigation or a complaint is being
    # considered, no award is given or proposed (domain-law.md §2.1).
    cond.append(Condition(
        "Không trong thời gian đang bị xem xét kỷ luật, điều tra, giải quyết khiếu nại, tố cáo: "
        "Hội đồng xác nhận", CONFIRM))
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
        out.append(Condition(f"{_cap(' và '.join(counted))} được tính là thời gian công tác để "
                             f"xét Lao động tiên tiến ({TT01})", MET))
    end = p.discipline_ended_on
    if end is not None and end > ctx.period_end:
        out.append(Condition(f"Còn trong thời hạn kỷ luật đến ngày {_d(end)}: chưa tính thành tích "
                             f"({_principle(ctx, 4)})", UNMET))
    elif end is not None and end > date(ctx.year, 1, 1):
        months = full_months(end, ctx.period_end)
        need = max(ctx.settings.ldtt.min_months, 1)
        text = (f"Hết thời hạn kỷ luật ngày {_d(end)}: thành tích chỉ tính từ ngày đó, đến "
                f"{_d(ctx.period_end)} được {months} tháng")
        out.append(Condition(f"{text} (tối thiểu {need} tháng) ({_principle(ctx, 4)})",
                             MET if months >= need else UNMET))
    moved = p.moved_in_on
    if moved is not None and moved > date(ctx.year, 1, 1):
        there = full_months(date(ctx.year, 1, 1), moved - timedelta(days=1))
        text = f"Chuyển đến ngày {_d(moved)}, được đánh giá tại đơn vị này"
        if there < 6:
            out.append(Condition(f"{text}; công tác ở đơn vị cũ {there} tháng trong năm (dưới 6 "
                                 f"tháng: không cần ý kiến đơn vị cũ) ({TRANSFER})", MET))
        elif p.previous_opinion:
            out.append(Condition(f"{text}; công tác ở đơn vị cũ {there} tháng trong năm, có ý kiến "
                                 f"của đơn vị cũ: \"{p.previous_opinion}\" ({TRANSFER})", MET))
        else:
            out.append(Condition(f"{text}; công tác ở đơn vị cũ {there} tháng trong năm (từ 6 "
                                 f"tháng): chưa có ý kiến nhận xét của đơn vị cũ (cột \"Ý kiến "
                                 f"đơn vị cũ\") ({TRANSFER})", UNMET))
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
            out.append(Condition(f"{_cap(detail)}: quy chế yêu cầu {wanted} ({REGULATION})", UNMET))
        else:
            out.append(Condition(f"{_cap(wanted)} ({REGULATION})", MET))
    if r.min_quarters_ab > 0:
        good = [m for m in f.quarters if m.at_least_b]
        text = f"{len(good)} quý loại A/B (quy chế yêu cầu ít nhất {r.min_quarters_ab}) ({REGULATION})"
        out.append(Condition(_cap(f"Có {text}"), MET if len(good) >= r.min_quarters_ab else UNMET))
    if r.require_last_quarter and f.last_quarter is not None:
        if f.in_last_quarter:
            out.append(Condition(f"Có tên trong bảng điểm {quarter_label(f.last_quarter)} "
                                 f"({REGULATION})", MET))
        else:
            out.append(Condition(
                f"Không có tên trong bảng điểm {quarter_label(f.last_quarter)} (đã chuyển công tác "
                f"hoặc nghỉ việc); quy chế chỉ xét người còn công tác cuối năm ({REGULATION})", UNMET))
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
        cond.append(Condition(f"Đạt tiêu chuẩn Lao động tiên tiến ({A23})", MET))
    else:
        cond.append(Condition(f"Chưa đạt tiêu chuẩn Lao động tiên tiến (xem lý do ở LĐTT) ({A23})",
                              UNMET))
    used: tuple[tuple[int, int], ...] = ()
    year = ctx.year
    if f.rating is Rating.HTXSNV:
        cond.append(Condition(f"Xếp loại năm Hoàn thành xuất sắc nhiệm vụ ({A23})", MET))
    else:
        has = wallet.available([year]) > 0
        taken = wallet.take(1, [year]) if has and ldtt_candidate.outcome == ELIGIBLE else None
        if has:
            used = taken or ()
            what = "sáng kiến được cơ sở công nhận" if p.initiatives else "đề tài khoa học được nghiệm thu"
            cond.append(Condition(
                f"Có {what} năm {year}, chưa dùng làm căn cứ khen thưởng khác ({A23}; "
                f"{INITIATIVE_ONCE})", MET))
        elif f.rating is Rating.PENDING_COUNCIL:
            cond.append(Condition(
                f"Xếp loại năm chờ Hội đồng xét (bằng điểm ở ngưỡng trần HTXSNV): đạt nếu được "
                f"HTXSNV ({A23})", PENDING))
        elif p.initiatives + p.research > 0 and wallet.available([year]) == 0:
            cond.append(Condition(
                f"Không xếp loại HTXSNV; sáng kiến/đề tài năm {year} đã dùng làm căn cứ cho khen "
                f"thưởng khác, mỗi sáng kiến chỉ dùng một lần ({A23}; {INITIATIVE_ONCE})", UNMET))
        else:
            # Why the points' HTXSNV did not hold (the cap, or the tasks of QĐ 366), if it did not.
            why = f" ({'; '.join(f.rating_notes)})" if f.rating_notes else ""
            cond.append(Condition(
                f"Không xếp loại HTXSNV{why}, không có sáng kiến được công nhận hay đề tài khoa học "
                f"được nghiệm thu trong năm ({A23})", UNMET))
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
        cond.append(Condition(f"{_cap(_rating_phrase(f))}; quy chế yêu cầu từ {floor.label} trở lên "
                              f"({A75})", status))
    elif f.rating.level >= floor.level:
        cond.append(Condition(f"{_cap(_rating_phrase(f))}, từ {floor.label} trở lên ({A75})", MET))
    else:
        cond.append(Condition(f"{_cap(_rating_phrase(f))}, chưa đạt {floor.label} ({A75})", UNMET))
    if p.discipline is None:
        cond.append(Condition(f"Không bị kỷ luật trong năm ({RATING_BASIS})", MET))
    else:
        cond.append(Condition(f"Bị kỷ luật ({p.discipline.label}) trong năm ({RATING_BASIS})", UNMET))

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
            cond.append(Condition(f"Có thành tích: {p.achievement} ({A75})", MET))
        elif "htxsnv" in kinds and f.rating is Rating.HTXSNV:
            cond.append(Condition(f"Có thành tích: xếp loại Hoàn thành xuất sắc nhiệm vụ ({A75}; "
                                  f"{REGULATION})", MET))
        elif uses_tokens and _has_kind(p, kinds) and in_streak:
            cond.append(Condition(f"Sáng kiến/đề tài năm {year} để dành cho khen thưởng nhiều năm "
                                  f"(Bằng khen, CSTĐ cấp tỉnh: {A74}, {A22}); không dùng cho Giấy "
                                  f"khen ({INITIATIVE_ONCE})", UNMET))
        elif uses_tokens and _has_kind(p, kinds) and (taken := wallet.take(1, [year])) is not None:
            used = taken
            cond.append(Condition(f"Có thành tích: sáng kiến/đề tài năm {year} chưa dùng làm căn cứ "
                                  f"khen thưởng khác ({A75}; {INITIATIVE_ONCE})", MET))
        elif "htxsnv" in kinds and f.rating is Rating.PENDING_COUNCIL:
            cond.append(Condition(f"Xếp loại chờ Hội đồng xét: có thành tích nếu được HTXSNV "
                                  f"({A75})", PENDING))
        elif uses_tokens and _has_kind(p, kinds):
            cond.append(Condition(f"Sáng kiến/đề tài năm {year} đã dùng làm căn cứ cho khen thưởng "
                                  f"khác; mỗi sáng kiến chỉ dùng một lần ({A75}; {INITIATIVE_ONCE})",
                                  UNMET))
        else:
            adhoc = ""
            if p.adhoc_award:
                adhoc = (f"; khen thưởng đột xuất đã nhận ({p.adhoc_award}) không dùng làm căn cứ "
                         f"khen thưởng theo công trạng ({_principle(ctx, 3)})")
            cond.append(Condition(f"Không có thành tích quy chế yêu cầu ({wanted}){adhoc} ({A75}; "
                                  f"{REGULATION})", UNMET))
    cond.append(Condition(f"Gương mẫu chấp hành chủ trương, chính sách của Đảng, pháp luật của Nhà "
                          f"nước ({A75}): Hội đồng xem xét", CONFIRM))
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
    cond = [Condition(
        (f"Đạt Chiến sĩ thi đua cơ sở {n} năm liên tục ({span}) ({A22})" if status == MET else
         f"Chiến sĩ thi đua cơ sở {n} năm liên tục {span}: {detail} ({A22})"), status)]
    used: tuple[tuple[int, int], ...] = ()
    if status != UNMET:
        taken = wallet.take(1, years)
        if taken is None:
            cond.append(Condition(f"Không còn sáng kiến/đề tài nào trong {span} chưa dùng làm căn cứ "
                                  f"khen thưởng khác ({A22}; {INITIATIVE_ONCE})", UNMET))
        else:
            used = taken
            cond.append(Condition(f"Có sáng kiến/đề tài trong {span} chưa dùng làm căn cứ khen "
                                  f"thưởng khác ({A22}; {INITIATIVE_ONCE})", MET))
    # The province (or ministry) head recognises the reach, not the hospital: the hospital only
    # proposes ("đề nghị") and lists the condition as the higher level's to confirm.
    cond.append(Condition(f"Sáng kiến, đề tài có hiệu quả, phạm vi ảnh hưởng trong toàn Bộ, ngành, "
                          f"tỉnh, được người đứng đầu công nhận ({A22}): cần cấp tỉnh xác nhận",
                          CONFIRM))
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
        cond.append(Condition(f"Đạt Chiến sĩ thi đua cơ sở {n} năm liên tục ({span}) ({A74})", MET))
    elif s_rating == MET:
        cond.append(Condition(f"Hoàn thành xuất sắc nhiệm vụ {n} năm liên tục ({span}) ({A74})", MET))
    elif PENDING in (s_title, s_rating):
        cond.append(Condition(f"{n} năm liên tục CSTĐCS hoặc HTXSNV ({span}): năm nay chờ Hội "
                              f"đồng xét ({A74})", PENDING))
    else:
        detail = "; ".join(d for _, d in by_title)
        rdetail = "; ".join(d for _, d in by_rating)
        cond.append(Condition(f"Chưa đủ {n} năm liên tục đạt CSTĐCS ({detail}) hoặc HTXSNV "
                              f"({rdetail}) ({A74})", UNMET))
    used: tuple[tuple[int, int], ...] = ()
    need = h.bang_khen_initiatives
    if need > 0 and cond[0].status != UNMET:
        have = wallet.available(years)
        if have >= need:
            used = wallet.take(need, years) or ()
            cond.append(Condition(f"Có {need} sáng kiến/đề tài trong {span} chưa dùng làm căn cứ "
                                  f"khen thưởng khác ({A74}; {INITIATIVE_ONCE})", MET))
        else:
            cond.append(Condition(f"Chỉ có {have} sáng kiến/đề tài trong {span} chưa dùng làm căn cứ "
                                  f"khen thưởng khác, cần {need} ({A74}; {INITIATIVE_ONCE})", UNMET))
    cond.append(Condition(f"Gương mẫu chấp hành chủ trương, chính sách của Đảng, pháp luật của Nhà "
                          f"nước ({A74}): Hội đồng xem xét", CONFIRM))
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
            cond.append(Condition(
                f"Bằng khen cấp Bộ, tỉnh năm {any_bk[-1]}: chưa đủ {n} năm tiếp theo đến {ctx.year} "
                f"({A73})", UNMET))
        else:
            cond.append(Condition(f"Chưa có Bằng khen cấp Bộ, ngành, tỉnh trong sổ lịch sử ({A73})",
                                  UNMET))
        return _candidate(INDIVIDUAL, "BANG_KHEN_TTG", f, f.person.name, f.person.department, cond)
    y0 = earlier[0]
    cond.append(Condition(f"Đã được tặng Bằng khen cấp Bộ, ngành, tỉnh năm {y0} ({A73})", MET))
    years = list(range(y0 + 1, ctx.year + 1))
    span = f"{years[0]}–{years[-1]}"
    ratings = [_rating_status(f, ctx, y, Rating.HTTNV) for y in years]
    s_rating = _streak(ratings)
    if s_rating == MET:
        cond.append(Condition(f"Hoàn thành tốt nhiệm vụ trở lên {len(years)} năm liên tục ({span}) "
                              f"({A73})", MET))
    else:
        detail = "; ".join(d for s, d in ratings if s != MET)
        cond.append(Condition(f"Chưa đủ {len(years)} năm liên tục từ Hoàn thành tốt nhiệm vụ trở lên "
                              f"({span}): {detail} ({A73})", s_rating))
    titles = [_year_status(f, ctx, y, "CSTDCS", cstdcs_outcome) for y in years]
    got = sum(1 for s, _ in titles if s == MET)
    maybe = sum(1 for s, _ in titles if s == PENDING)
    need = h.ttg_cstdcs
    if got >= need:
        cond.append(Condition(f"Có {got} lần Chiến sĩ thi đua cơ sở trong {span} (cần {need}) "
                              f"({A73})", MET))
    elif got + maybe >= need:
        cond.append(Condition(f"Có {got} lần CSTĐCS trong {span}, cần {need}: năm nay chờ Hội đồng "
                              f"({A73})", PENDING))
    else:
        cond.append(Condition(f"Chỉ có {got} lần Chiến sĩ thi đua cơ sở trong {span}, cần {need} "
                              f"({A73})", UNMET))
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
        cond.append(Condition(f"Khoa/phòng không có thành viên được xếp loại ({A28})", UNMET))
    else:
        cond.append(_ldtt_share_condition(d, _members_line(d), s.min_ldtt_share, A28))
    cond.append(_discipline_condition(d, A28))
    cond.append(_collective_rating(d, ctx, Rating.HTTNV, A28))
    cond.append(Condition(f"Nội bộ đoàn kết, tham gia phong trào thi đua thường xuyên, thiết thực, "
                          f"hiệu quả ({A28}): Hội đồng xác nhận", CONFIRM))
    return _candidate(COLLECTIVE, "TTLDTT", None, d.name, d.name, cond)


def _ldtt_share_condition(d: DepartmentFacts, members: str, share: Decimal,
                          article: str) -> Condition:
    """≥ ``share`` of the members are LĐTT; PENDING when only the LĐTT still waiting for the
    council (a missing vote) could bring the share there."""
    n, k, waiting = len(d.members), len(d.ldtt_ids), len(d.ldtt_pending_ids)
    need = format_points(share * 100) + "%"
    shown = f"{k}/{members} đạt Lao động tiên tiến = {percent(k, n)}"
    if share_at_least(k, n, share):
        return Condition(f"{shown} (từ {need} trở lên) ({article})", MET)
    if waiting and share_at_least(k + waiting, n, share):
        return Condition(f"{shown}, còn {waiting} người chờ Hội đồng xét Lao động tiên tiến: đủ "
                         f"{need} nếu được công nhận ({article})", PENDING)
    return Condition(f"Chỉ {shown}, dưới {need} ({article})", UNMET)


def _discipline_condition(d: DepartmentFacts, article: str) -> Condition:
    serious = [f for f in d.people
               if f.person.discipline is not None
               and f.person.discipline.severity >= Discipline.CANH_CAO.severity]
    if not serious:
        return Condition(f"Không có thành viên bị kỷ luật từ hình thức cảnh cáo trở lên ({article})",
                         MET)
    names = ", ".join(f"{f.person.name} ({f.person.discipline.label})"  # type: ignore[union-attr]
                      for f in serious)
    return Condition(f"Có {len(serious)} thành viên bị kỷ luật từ hình thức cảnh cáo trở lên: "
                     f"{names} ({article})", UNMET)


def _collective_rating(d: DepartmentFacts, ctx: Context, floor: Rating, article: str) -> Condition:
    what = "hoàn thành xuất sắc nhiệm vụ" if floor is Rating.HTXSNV else "hoàn thành tốt nhiệm vụ"
    if ctx.settings.collective.rating == "council" or d.mean_total is None:
        return Condition(f"Tập thể {what} được giao ({article}): Hội đồng xác nhận", CONFIRM)
    band = ctx.htxsnv_band if floor is Rating.HTXSNV else ctx.httnv_band
    mean = format_points(d.mean_total)
    if d.mean_total >= exact(band):
        return Condition(f"Điểm bình quân của khoa/phòng {mean} (từ {format_points(band)}: {what}) "
                         f"({article}; {REGULATION})", MET)
    return Condition(f"Điểm bình quân của khoa/phòng {mean}, dưới {format_points(band)}: chưa {what} "
                     f"({article}; {REGULATION})", UNMET)


def ttldxs(d: DepartmentFacts, ctx: Context) -> Candidate:
    s = ctx.settings.collective
    cond: list[Condition] = []
    n = len(d.members)
    below = [f for f in d.members if not (f.rating is Rating.PENDING_COUNCIL
                                          or f.rating.level >= Rating.HTNV.level)]
    if n == 0:
        cond.append(Condition(f"Khoa/phòng không có thành viên được xếp loại ({A27})", UNMET))
    elif not below:
        cond.append(Condition(f"100% thành viên ({n}) hoàn thành nhiệm vụ trở lên ({A27})", MET))
    else:
        names = ", ".join(f"{f.person.name} ({f.rating.value})" for f in below)
        cond.append(Condition(f"{len(below)}/{n} thành viên chưa hoàn thành nhiệm vụ: {names}; cần "
                              f"100% ({A27})", UNMET))
    if n:
        cond.append(_ldtt_share_condition(d, f"{n} thành viên", s.min_ldtt_share, A27))
    want = s.ttldxs_min_cstdcs
    have = len(d.cstdcs_ids)
    if have >= want:
        cond.append(Condition(f"Có {have} cá nhân đạt Chiến sĩ thi đua cơ sở (cần ít nhất {want}) "
                              f"({A27})", MET))
    elif have + len(d.cstdcs_pending_ids) >= want:
        cond.append(Condition(f"Có {have} CSTĐCS, cần {want}: còn người chờ Hội đồng xét ({A27})",
                              PENDING))
    else:
        cond.append(Condition(f"Không có đủ {want} cá nhân đạt Chiến sĩ thi đua cơ sở ({A27})", UNMET))
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
        cond.append(Condition(f"Đạt Tập thể lao động xuất sắc {n} năm liên tục ({span}) ({A74})",
                              MET))
        cond.append(Condition(f"Có điều kiện: Tập thể lao động xuất sắc năm {ctx.year} do cấp "
                              f"tỉnh quyết định; Bằng khen chờ cấp tỉnh công nhận danh hiệu này "
                              f"({A27}, {A74})", CONFIRM))
    elif status_rating == MET:
        cond.append(Condition(f"Hoàn thành xuất sắc nhiệm vụ {n} năm liên tục ({span}) ({A74}): "
                              + "; ".join(t for _, t in by_rating), MET))
    else:
        cond.append(Condition(
            f"Tập thể lao động xuất sắc {n} năm liên tục {span}: {detail}; hoặc hoàn thành xuất "
            f"sắc nhiệm vụ {n} năm liên tục: " + "; ".join(t for _, t in by_rating) + f" ({A74})",
            PENDING if PENDING in (status, status_rating) else UNMET))
    cond.append(Condition(f"Thực hiện tốt dân chủ cơ sở, chăm lo đời sống, thực hành tiết kiệm, "
                          f"phòng chống tham nhũng ({A74}): Hội đồng xác nhận", CONFIRM))
    return _candidate(COLLECTIVE, "BANG_KHEN_TINH", None, d.name, d.name, cond)
