"""Trade-union titles resting on initiatives (issue 17), judged when ``[union] enabled``.

- Đoàn viên công đoàn xuất sắc: a year rating of at least ``min_rating`` and none of the
  exclusions below.
- Lao động giỏi – Lao động sáng tạo: the same, and at least ``creative_min_initiatives``
  initiatives or research projects recognised for the year in the register.
- Bằng Lao động sáng tạo: the person's part of the benefit (giá trị làm lợi) of the solutions
  recognised in the year reaches ``creative_benefit``, or three consecutive years each with a
  solution total ``creative_three_years`` (Điều 16 khoản 1.1 Quy chế khen thưởng của tổ chức
  Công đoàn, QĐ 1564/QĐ-TLĐ năm 2014: 80 and 120 million đồng; the union sets its own tier).
  A person's part is the benefit × their share, or an equal part when the register writes no
  shares: co-authors do not each claim the whole benefit.
- Exclusions, as the unions' guidelines write them (no national figure): ``max_leave_days`` or
  more days off other than maternity, recruited fewer than ``min_months`` months before the
  period end, any discipline in the year (``discipline_excludes``).

The list is for the union's executive committee to consider; it decides nothing else.
Pure module: no file, no clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from thidua_cli.config.sections import UnionSettings
from thidua_cli.core.eligibility import full_months
from thidua_cli.core.initiatives import HUNDRED, Initiative
from thidua_cli.core.money import format_vnd
from thidua_cli.model import Rating

BLDST_BASIS = "Điều 16 khoản 1.1 Quy chế khen thưởng của tổ chức Công đoàn (QĐ 1564/QĐ-TLĐ năm 2014)"
TITLES = {
    "DVCD_XS": "Đoàn viên công đoàn xuất sắc",
    "LDG_LDST": "Lao động giỏi – Lao động sáng tạo",
    "BANG_LDST": "Bằng Lao động sáng tạo",
}


@dataclass(frozen=True)
class Member:
    """What the union's rules read of one person."""

    staff_id: str
    name: str
    department: str
    rating: Rating
    leave_days: float = 0.0  # other than maternity
    recruited_on: date | None = None
    discipline: str = ""  # the label of a discipline in the year, blank when none
    initiatives: int | None = None  # the sheets' count when there is no register


@dataclass(frozen=True)
class UnionTitle:
    staff_id: str
    name: str
    department: str
    title: str  # a TITLES code
    basis: str  # why, in Vietnamese

    @property
    def label(self) -> str:
        return TITLES[self.title]


def exclusion(m: Member, rules: UnionSettings, period_end: date) -> str | None:
    """Why ``m`` is not considered at all, in Vietnamese; None when considered."""
    if m.leave_days >= rules.max_leave_days:
        return f"nghỉ {m.leave_days:g} ngày (không kể thai sản), từ {rules.max_leave_days} ngày không xét"
    if m.recruited_on is not None and rules.min_months:
        months = full_months(m.recruited_on, period_end)
        if months < rules.min_months:
            return f"mới tuyển dụng {months} tháng (dưới {rules.min_months} tháng)"
    if rules.discipline_excludes and m.discipline:
        return f"bị kỷ luật ({m.discipline}) trong năm"
    return None


def benefit_part(item: Initiative, staff_id: str) -> Decimal:
    """The person's part of an initiative's benefit (đồng): benefit × share %, or an equal part
    of it when no share is written; 0 when no benefit is recorded."""
    if not item.benefit:
        return Decimal(0)
    mine = [a for a in item.authors if a.staff_id == staff_id]
    if not mine:
        return Decimal(0)
    if all(a.share is not None for a in item.authors):
        part = sum((a.share or Decimal(0) for a in mine), Decimal(0)) * item.benefit / HUNDRED
    else:
        part = Decimal(item.benefit) * len(mine) / len(item.authors)
    return part.quantize(Decimal(1), ROUND_HALF_UP)


def union_titles(members: Sequence[Member], register: Sequence[Initiative], year: int,
                 period_end: date, rules: UnionSettings) -> list[UnionTitle]:
    """The titles each member meets, in the members' order then the TITLES order."""
    floor = Rating(rules.min_rating).level
    out: list[UnionTitle] = []
    for m in members:
        if exclusion(m, rules, period_end) is not None:
            continue
        mine = [i for i in register if any(a.staff_id == m.staff_id for a in i.authors)]
        rated = m.rating.level >= floor
        if rated:
            out.append(UnionTitle(m.staff_id, m.name, m.department, "DVCD_XS",
                                  f"Xếp loại {m.rating.label.lower()}"))
        count = (m.initiatives if m.initiatives is not None
                 else sum(1 for i in mine if i.supports(year)))
        if rated and count >= rules.creative_min_initiatives:
            out.append(UnionTitle(m.staff_id, m.name, m.department, "LDG_LDST",
                                  f"Xếp loại {m.rating.label.lower()}; {count} sáng kiến, đề tài "
                                  f"được công nhận năm {year}"))
        by_year = {y: sum((benefit_part(i, m.staff_id) for i in mine if i.year_from == y),
                          Decimal(0)) for y in (year - 2, year - 1, year)}
        has = {y: any(i.year_from == y and i.benefit for i in mine) for y in by_year}
        if by_year[year] >= rules.creative_benefit:
            out.append(UnionTitle(m.staff_id, m.name, m.department, "BANG_LDST",
                                  f"Giá trị làm lợi năm {year}: {format_vnd(by_year[year])} đ "
                                  f"(từ {format_vnd(rules.creative_benefit)} đ; {BLDST_BASIS})"))
        elif all(has.values()) and sum(by_year.values()) >= rules.creative_three_years:
            out.append(UnionTitle(m.staff_id, m.name, m.department, "BANG_LDST",
                                  f"Giá trị làm lợi 03 năm {year - 2}–{year}: "
                                  f"{format_vnd(sum(by_year.values(), Decimal(0)))} đ (từ "
                                  f"{format_vnd(rules.creative_three_years)} đ; {BLDST_BASIS})"))
    return out
