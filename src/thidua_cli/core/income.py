"""Additional income (thu nhập tăng thêm) distributed by the period's grade (issue 16). Pure.

A person's points are ``coefficient × grade coefficient × credited days / standard days``
where the coefficient is HSL + PCCV ("salary"), the hospital's position coefficient
("position") or their weighted mix ([income] basis). A pool (the hospital, or each department
when the fund is given per department) is split in proportion to points, exactly: every
number here is an int of đồng or a :class:`~fractions.Fraction`, never a float.

Rounding (``rounding_step``, 1,000 đ by default): each exact share is rounded down to the
step. With ``remainder = "largest_remainder"`` the steps left over go one each to the people
with the largest rounded-off parts; ties are settled by more points first, then the staff ID
in text order, and the tied people are listed in the result (never settled silently). A fund
that is not a multiple of the step leaves less than one step: it goes to the next person in
the same order, noted. So the amounts add up to the fund to the đồng. With ``"carry"`` every
amount is rounded down and the rest is carried to the next period and reported.

Every zero or reduced amount carries its reasons as data (:class:`Reason`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from thidua_cli.config.sections import IncomeSettings
from thidua_cli.core import vntext
from thidua_cli.errors import InvalidDataError
from thidua_cli.issues import make_issue
from thidua_cli.model import Issue, Period, PeriodKind, Report

LEAVE_LABELS: dict[str, str] = {
    "annual": "nghỉ phép",
    "sick": "nghỉ ốm",
    "maternity": "nghỉ thai sản",
    "unpaid": "nghỉ không lương",
    "other": "nghỉ khác",
}
BASIS_LABELS = {"salary": "HSL + PCCV", "position": "hệ số vị trí", "mix": "hệ số kết hợp"}
HOSPITAL = "Toàn viện"


@dataclass(frozen=True)
class Where:
    """A row (and cell) of an input, for messages."""

    file: str
    sheet: str | None = None
    row: int | None = None

    def issue(self, code: str, column: str | None = None, **params: Any) -> Issue:
        return make_issue(code, file=self.file, sheet=self.sheet, row=self.row, column=column,
                          **params)


@dataclass(frozen=True)
class StaffMember:
    """One row of the staff sheet."""

    staff_id: str
    name: str
    department: str
    salary: Decimal  # hệ số lương (HSL)
    allowance: Decimal  # hệ số phụ cấp chức vụ (PCCV)
    position: Decimal | None  # hệ số vị trí việc làm / chức danh (basis "position", "mix")
    title: str = ""  # chức danh, shown only
    days_worked: Decimal | None = None  # None: standard days minus every leave
    leave: Mapping[str, Decimal] = field(default_factory=dict)  # kind → working days
    disciplined: str = ""
    probation: bool = False
    recruited_on: date | None = None
    account: str = ""
    bank: str = ""
    where: Where = Where("")
    cells: Mapping[str, str] = field(default_factory=dict)  # field → column letter


@dataclass(frozen=True)
class GradeEntry:
    """One person's grade for the period: a letter, or a rating code from ``thidua score``."""

    staff_id: str
    name: str
    department: str
    grade: str | None  # letter as written ("A"); None when the entry gives a rating code
    rating: str | None  # HTXSNV … NOT_RATED, PENDING_COUNCIL; None for a typed letter
    where: Where = Where("")
    column: str | None = None


@dataclass(frozen=True)
class Fund:
    """The period's fund: one amount for the hospital, or one per department."""

    total: int | None
    by_department: Mapping[str, tuple[int, Where]] = field(default_factory=dict)
    source: str = ""


@dataclass(frozen=True)
class Reason:
    code: str  # NOT_RATED, GRADE_ZERO, DISCIPLINED, PROBATION, MATERNITY_FULL, NO_DAYS,
    #            NO_COEFFICIENT (zero) · GRADE_REDUCED, DAYS_REDUCED (reduced)
    text: str
    zero: bool


@dataclass(frozen=True)
class PersonIncome:
    staff: StaffMember
    grade: str | None
    rating: str | None
    grade_coefficient: Decimal
    coefficient: Decimal  # of the basis (HSL + PCCV, position, mix)
    credited_days: Decimal
    standard_days: int
    points: Fraction
    exact: Fraction  # exact share, đồng
    amount: int
    pool: str
    extra_steps: int  # 1 when a leftover step went to this person; 0 otherwise
    reasons: tuple[Reason, ...]

    @property
    def staff_id(self) -> str:
        return self.staff.staff_id


@dataclass(frozen=True)
class PoolResult:
    name: str  # HOSPITAL or a department
    fund: int
    points: Fraction
    paid: int
    carried: int
    people: int
    odd_to: str | None  # staff ID given the part of the fund below one step
    ties: tuple[str, ...]  # staff IDs tied at the last leftover step (settled by the order)

    @property
    def point_value(self) -> Fraction:
        return Fraction(self.fund) / self.points if self.points else Fraction(0)


@dataclass(frozen=True)
class GroupTotal:
    name: str  # department or grade letter
    people: int
    paid_people: int
    points: Fraction
    amount: int


@dataclass(frozen=True)
class IncomeResult:
    period: Period
    settings: IncomeSettings
    standard_days: int
    fund: int
    people: tuple[PersonIncome, ...]
    pools: tuple[PoolResult, ...]
    departments: tuple[GroupTotal, ...]
    grades: tuple[GroupTotal, ...]
    salary_fund: int | None  # Σ (HSL + PCCV) × base salary × months, for the ceiling
    report: Report

    @property
    def paid(self) -> int:
        return sum(p.amount for p in self.people)

    @property
    def carried(self) -> int:
        return sum(p.carried for p in self.pools)

    def person(self, staff_id: str) -> PersonIncome | None:
        return next((p for p in self.people if p.staff_id == staff_id), None)


# --------------------------------------------------------------------------------------------
# Splitting a pool
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Split:
    amounts: tuple[int, ...]
    extra: tuple[int, ...]  # 1 where a leftover step was given
    carried: int
    odd_to: int | None  # index given the part below one step
    ties: tuple[int, ...]


def split_fund(fund: int, points: Sequence[Fraction], step: int, remainder: str,
               order_keys: Sequence[tuple[object, ...]] | None = None) -> Split:
    """Split ``fund`` đồng in proportion to ``points`` (Σ > 0), rounded to ``step``.

    ``order_keys`` settles equal rounded-off parts (default: the index); the caller passes
    (−points, staff ID). Zero points never receive anything."""
    # Exact in integers (the same numbers as Fraction arithmetic, a tenth of the time): over
    # the points' common denominator, person i's exact share is fund·P[i]/T, its rounded-down
    # part floor(fund·P[i] / (T·step))·step, and what rounding cut off is rest[i]/T.
    scale = 1
    for p in points:
        scale = scale * p.denominator // math.gcd(scale, p.denominator)
    whole = [p.numerator * (scale // p.denominator) for p in points]
    total = sum(whole)
    if fund < 0 or total <= 0:
        raise ValueError("split_fund needs a fund ≥ 0 and positive points")
    floors = [fund * w // (total * step) * step for w in whole]
    cut_off = [fund * w - f * total for w, f in zip(whole, floors, strict=True)]
    rest = fund - sum(floors)
    extra = [0] * len(points)
    if remainder == "carry":
        return Split(tuple(floors), tuple(extra), rest, None, ())
    keys = order_keys or [(i,) for i in range(len(points))]
    order = sorted((i for i, w in enumerate(whole) if w > 0),
                   key=lambda i: (-cut_off[i], keys[i]))
    steps, odd = divmod(rest, step)
    for i in order[:steps]:
        extra[i] = 1
    amounts = [f + step * x for f, x in zip(floors, extra, strict=True)]
    odd_to = None
    if odd:
        odd_to = order[steps]
        amounts[odd_to] += odd
    ties: tuple[int, ...] = ()
    if 0 < steps < len(order):
        cut = cut_off[order[steps - 1]]
        tied = [i for i in order if cut_off[i] == cut]
        if any(extra[i] == 0 for i in tied):
            ties = tuple(tied)
    return Split(tuple(amounts), tuple(extra), 0, odd_to, ties)


# --------------------------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------------------------


def _dec(value: Decimal) -> str:
    """1.20 → "1,2" (Vietnamese decimal comma) for reasons."""
    text = format(value.normalize(), "f") if value else "0"
    return text.replace(".", ",")


def _days_text(days: Decimal, standard: int) -> str:
    return f"{_dec(days)}/{standard} ngày công"


def _coefficient(s: StaffMember, settings: IncomeSettings) -> Decimal | None:
    salary = s.salary + s.allowance
    if settings.basis == "salary":
        return salary
    if s.position is None:
        return None
    if settings.basis == "position":
        return s.position
    w = settings.mix_salary_weight
    return w * salary + (1 - w) * s.position


def _period_word(period: Period) -> str:
    return {PeriodKind.MONTH: "tháng", PeriodKind.QUARTER: "quý"}.get(period.kind, "năm")


def credited_days(s: StaffMember, settings: IncomeSettings, standard: int) -> Decimal:
    """Days that earn a share: days worked plus the kinds of leave counted as worked."""
    leave_total = sum(s.leave.values(), Decimal(0))
    worked = s.days_worked if s.days_worked is not None else max(Decimal(standard) - leave_total,
                                                                   Decimal(0))
    counted = [k for k in s.leave if k in settings.paid_leave
               or (k == "maternity" and settings.maternity == "worked")]
    return min(worked + sum((s.leave[k] for k in counted), Decimal(0)), Decimal(standard))


def _reasons(s: StaffMember, grade: str | None, rating: str | None, gc: Decimal,
             coefficient: Decimal, days: Decimal, standard: int, settings: IncomeSettings,
             period: Period) -> list[Reason]:
    out: list[Reason] = []
    word = _period_word(period)
    if grade is None:
        label = "chờ Hội đồng xét" if rating == "PENDING_COUNCIL" else "không được xếp loại"
        out.append(Reason("NOT_RATED", f"Kỳ này {label}", True))
    elif gc == 0:
        out.append(Reason("GRADE_ZERO", f"Loại {grade} (hệ số 0)", True))
    elif gc < 1:
        out.append(Reason("GRADE_REDUCED", f"Loại {grade}: hệ số {_dec(gc)}", False))
    if s.disciplined and "disciplined" in settings.exclude:
        out.append(Reason("DISCIPLINED", f"Đang bị kỷ luật ({s.disciplined})", True))
    if s.probation and "probation" in settings.exclude:
        out.append(Reason("PROBATION", "Đang tập sự", True))
    if coefficient == 0:
        out.append(Reason("NO_COEFFICIENT", f"{BASIS_LABELS[settings.basis]} bằng 0", True))
    maternity = s.leave.get("maternity", Decimal(0))
    if days == 0:
        if maternity > 0 and settings.maternity == "none" and maternity >= standard - (
                s.days_worked or 0):
            out.append(Reason("MATERNITY_FULL", f"Nghỉ thai sản cả {word} ({_dec(maternity)} ngày)",
                              True))
        else:
            out.append(Reason("NO_DAYS", f"Không có ngày công tính hưởng (0/{standard})", True))
    elif days < standard:
        parts = [f"{LEAVE_LABELS[k]} {_dec(v)} ngày" for k, v in s.leave.items()
                 if v > 0 and k not in settings.paid_leave
                 and not (k == "maternity" and settings.maternity == "worked")]
        start = period.start
        if s.recruited_on is not None and start < s.recruited_on <= period.end:
            parts.insert(0, f"mới tuyển {s.recruited_on:%d/%m}")
        tail = f" ({', '.join(parts)})" if parts else ""
        out.append(Reason("DAYS_REDUCED", f"{_days_text(days, standard)}{tail}", False))
    return out


# --------------------------------------------------------------------------------------------
# The computation
# --------------------------------------------------------------------------------------------


def compute(period: Period, settings: IncomeSettings, standard_days: int,
            grades: Sequence[GradeEntry], staff: Sequence[StaffMember], fund: Fund, *,
            base_salary: int | None = None, report: Report | None = None) -> IncomeResult:
    """The period's distribution. Raises :class:`InvalidDataError` (exit 1) with every
    finding when the inputs do not allow a table (nothing is paid from half a check)."""
    report = report if report is not None else Report()
    if standard_days <= 0:
        raise ValueError("standard_days must be positive")
    by_id: dict[str, StaffMember] = {}
    for s in staff:
        if s.staff_id in by_id:
            report.add(s.where.issue("income-duplicate-staff", s.cells.get("staff_id"),
                                     value=s.staff_id, first=by_id[s.staff_id].where.row))
            continue
        by_id[s.staff_id] = s
    graded: dict[str, GradeEntry] = {}
    for g in grades:
        if g.staff_id in graded:
            report.add(g.where.issue("income-duplicate-grade", g.column, value=g.staff_id))
            continue
        graded[g.staff_id] = g
        if g.staff_id not in by_id:
            report.add(g.where.issue("income-not-in-staff", None, value=g.staff_id,
                                     name=g.name))
        if g.rating == "PENDING_COUNCIL":
            report.add(g.where.issue("income-pending-council", g.column, value=g.staff_id,
                                     name=g.name))
        letter = _letter(g, settings)
        if g.rating is not None and g.rating not in settings.rating_grades and g.rating not in (
                "NOT_RATED", "PENDING_COUNCIL"):  # never read an unknown code as "not rated"
            report.add(g.where.issue("income-unknown-grade", g.column, value=g.rating,
                                     table="income.rating_grades",
                                     known=", ".join(settings.rating_grades)))
        elif letter is not None and letter not in settings.grades:
            report.add(g.where.issue("income-unknown-grade", g.column, value=letter,
                                     table="income.grades", known=", ".join(settings.grades)))
    for s in by_id.values():
        if s.staff_id not in graded:
            report.add(s.where.issue("income-not-graded", s.cells.get("staff_id"), value=s.staff_id,
                                     name=s.name))
        _check_days(s, standard_days, report)
        if settings.basis != "salary" and s.position is None:
            report.add(s.where.issue("income-missing-coefficient", s.cells.get("position"),
                                     value=s.staff_id, basis=settings.basis))
    pools = _pools(fund, by_id.values(), report)
    if report.errors:
        raise InvalidDataError(_refusal(report), report)

    people: list[PersonIncome] = []
    pool_results: list[PoolResult] = []
    for pool_name, (amount, members) in pools.items():
        rows = []
        for s in members:
            g = graded[s.staff_id]
            letter = _letter(g, settings)
            gc = settings.grades[letter] if letter is not None else Decimal(0)
            coefficient = _coefficient(s, settings) or Decimal(0)
            days = credited_days(s, settings, standard_days)
            reasons = _reasons(s, letter, g.rating, gc, coefficient, days, standard_days,
                               settings, period)
            pts = Fraction(0) if any(r.zero for r in reasons) else _points(
                coefficient, gc, days, standard_days)
            rows.append((s, g, letter, gc, coefficient, days, reasons, pts))
        points = [r[7] for r in rows]
        total = sum(points, Fraction(0))
        if total <= 0:
            where = fund.by_department[pool_name][1] if pool_name in fund.by_department else Where(
                fund.source)
            report.add(where.issue("income-no-points", None, value=pool_name))
            continue
        keys = [(-r[7], r[0].staff_id) for r in rows]
        sp = split_fund(amount, points, settings.rounding_step, settings.remainder, keys)
        for i, (s, g, letter, gc, coefficient, days, reasons, pts) in enumerate(rows):
            people.append(PersonIncome(
                staff=s, grade=letter, rating=g.rating, grade_coefficient=gc,
                coefficient=coefficient, credited_days=days, standard_days=standard_days,
                points=pts, exact=Fraction(amount) * pts / total, amount=sp.amounts[i],
                pool=pool_name, extra_steps=sp.extra[i], reasons=tuple(reasons)))
        pool_results.append(PoolResult(
            name=pool_name, fund=amount, points=total, paid=sum(sp.amounts), carried=sp.carried,
            people=len(rows), odd_to=rows[sp.odd_to][0].staff_id if sp.odd_to is not None else None,
            ties=tuple(rows[i][0].staff_id for i in sp.ties)))
    if report.errors:
        raise InvalidDataError(_refusal(report), report)
    salary_fund = _salary_fund(by_id.values(), base_salary, period)
    total_fund = sum(p.fund for p in pool_results)
    _ceiling(settings, total_fund, salary_fund, fund, report)
    return IncomeResult(
        period=period, settings=settings, standard_days=standard_days, fund=total_fund,
        people=tuple(people), pools=tuple(pool_results),
        departments=_totals(people, lambda p: p.staff.department),
        grades=_totals(people, lambda p: p.grade or "—", order=[*settings.grades, "—"]),
        salary_fund=salary_fund, report=report)


def _points(coefficient: Decimal, gc: Decimal, days: Decimal, standard_days: int) -> Fraction:
    """coefficient × grade coefficient × days / standard days, exactly: one Fraction built
    from the integer ratios (three Fraction products cost three reductions each)."""
    n1, d1 = coefficient.as_integer_ratio()
    n2, d2 = gc.as_integer_ratio()
    n3, d3 = days.as_integer_ratio()
    return Fraction(n1 * n2 * n3, d1 * d2 * d3 * standard_days)


def _letter(g: GradeEntry, settings: IncomeSettings) -> str | None:
    if g.rating is not None:
        return settings.rating_grades.get(g.rating)  # NOT_RATED, PENDING_COUNCIL → None
    return g.grade


def _check_days(s: StaffMember, standard: int, report: Report) -> None:
    leave_total = sum(s.leave.values(), Decimal(0))
    if s.days_worked is not None and s.days_worked > standard:
        report.add(s.where.issue("income-days-above-standard", s.cells.get("days_worked"),
                                 value=_dec(s.days_worked), standard=standard,
                                 what="Số ngày công"))
    elif (s.days_worked or 0) + leave_total > standard:
        report.add(s.where.issue("income-days-above-standard", None,
                                 value=_dec((s.days_worked or 0) + leave_total),
                                 standard=standard, what="Ngày công cộng ngày nghỉ"))


def _pools(fund: Fund, staff: Iterable[StaffMember],
           report: Report) -> dict[str, tuple[int, list[StaffMember]]]:
    members = list(staff)
    if fund.total is not None:
        if fund.total <= 0:
            report.add(Where(fund.source).issue("income-fund-not-positive", None,
                                                value=fund.total, department=HOSPITAL))
        return {HOSPITAL: (fund.total, members)}
    by_key = {vntext.key(d): d for d in fund.by_department}
    groups: dict[str, list[StaffMember]] = {d: [] for d in fund.by_department}
    for s in members:
        d = by_key.get(vntext.key(s.department))
        if d is None:
            report.add(s.where.issue("income-no-fund", s.cells.get("department"),
                                     value=s.department, source=fund.source))
            continue
        groups[d].append(s)
    out: dict[str, tuple[int, list[StaffMember]]] = {}
    for d, (amount, where) in fund.by_department.items():
        if amount <= 0:
            report.add(where.issue("income-fund-not-positive", None, value=amount, department=d))
        elif not groups[d]:
            report.add(where.issue("income-fund-without-staff", None, value=d))
        else:
            out[d] = (amount, groups[d])
    return out


def _totals(people: Sequence[PersonIncome], key: Callable[[PersonIncome], str],
            order: Sequence[str] | None = None) -> tuple[GroupTotal, ...]:
    groups: dict[str, list[PersonIncome]] = {}
    for p in people:
        groups.setdefault(key(p), []).append(p)
    names = [n for n in (order or []) if n in groups] + [n for n in groups if n not in (order or [])]
    return tuple(GroupTotal(
        name=n, people=len(groups[n]), paid_people=sum(1 for p in groups[n] if p.amount > 0),
        points=sum((p.points for p in groups[n]), Fraction(0)),
        amount=sum(p.amount for p in groups[n])) for n in names)


def months_of(period: Period) -> int:
    return {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3}.get(period.kind, 12)


def _salary_fund(staff: Iterable[StaffMember], base_salary: int | None,
                 period: Period) -> int | None:
    """Σ (HSL + PCCV) × base salary × months of the period, rounded to the đồng."""
    if not base_salary:
        return None
    total = sum((s.salary + s.allowance for s in staff), Decimal(0))
    return int((total * base_salary * months_of(period)).to_integral_value())


def _ceiling(settings: IncomeSettings, fund: int, salary_fund: int | None, source: Fund,
             report: Report) -> None:
    ce = settings.ceiling
    if ce.max_multiple <= 0 or not salary_fund:
        return
    limit = int((ce.max_multiple * salary_fund).to_integral_value())
    if fund > limit:
        from thidua_cli.core.numbers import format_vn_number

        report.add(Where(source.source).issue(
            "income-above-ceiling", None, value=format_vn_number(fund),
            limit=format_vn_number(limit), multiple=_dec(ce.max_multiple),
            group=ce.autonomy_group or "chưa khai báo", basis=ce.basis or "chưa ghi căn cứ"))


def _refusal(report: Report) -> str:
    n = len(report.errors)
    return (f"Không lập được bảng thu nhập tăng thêm: {n} lỗi trong dữ liệu đầu vào (xem danh sách "
            "lỗi). Hãy sửa rồi chạy lại.")


# --------------------------------------------------------------------------------------------
# The year's total per person (for the year report)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodPaid:
    """One period's amounts, as its result (``thidua income --json``) gives them."""

    code: str  # "2026-M03", "2026-Q4"
    source: str
    people: tuple[tuple[str, str, str, int], ...]  # staff ID, name, department, amount


@dataclass(frozen=True)
class YearRow:
    staff_id: str
    name: str
    department: str  # of the latest period the person appears in
    amounts: Mapping[str, int]  # period code → amount (absent: not in that period)
    total: int


def year_totals(periods: Sequence[PeriodPaid]) -> tuple[tuple[str, ...], tuple[YearRow, ...]]:
    """Each person's amounts over the periods, in period order, and the total. The same
    period twice is refused (it would be counted twice)."""
    seen: dict[str, str] = {}
    for p in periods:
        if p.code in seen:
            from thidua_cli.errors import UsageError

            raise UsageError(f"Kỳ {p.code} có hai lần ({seen[p.code]} và {p.source}); mỗi kỳ chỉ "
                             "tính một lần.")
        seen[p.code] = p.source
    ordered = sorted(periods, key=lambda p: p.code)
    names: dict[str, tuple[str, str]] = {}
    amounts: dict[str, dict[str, int]] = {}
    for p in ordered:
        for staff_id, name, department, amount in p.people:
            names[staff_id] = (name, department)
            amounts.setdefault(staff_id, {})[p.code] = amount
    rows = tuple(YearRow(sid, names[sid][0], names[sid][1], amounts[sid],
                         sum(amounts[sid].values())) for sid in sorted(amounts))
    return tuple(p.code for p in ordered), rows
