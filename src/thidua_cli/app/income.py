"""``thidua income`` as a library function: read the period's grades, the staff sheet and the
fund, distribute the fund (core/income.py), write ``<period>.thu-nhap.xlsx``. No printing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from thidua_cli.core.income import Fund, IncomeResult, PersonIncome, YearRow
from thidua_cli.errors import PeriodRequiredError, UsageError
from thidua_cli.model import Period, Regulation


@dataclass(frozen=True)
class IncomeRequest:
    grades: Path  # score result (.json, .ket-qua.xlsx) or a typed grades sheet
    staff: Path
    fund: int | None = None  # one amount for the hospital (đồng)
    fund_sheet: Path | None = None  # or one per department
    period: Period | None = None
    output: Path | None = None
    write: bool = True
    force: bool = False
    compare: Path | None = None


@dataclass(frozen=True)
class Change:
    staff_id: str
    name: str
    grade_before: str | None
    grade_after: str | None
    amount_before: int
    amount_after: int
    why: tuple[str, ...]


@dataclass(frozen=True)
class IncomeOutcome:
    result: IncomeResult
    grades_source: str
    staff_source: str
    fund_source: str
    output: Path | None
    changes: tuple[Change, ...] | None  # with --compare


def parse_fund(text: str) -> int:
    """--fund "150.000.000" → 150000000; a fund that cannot be split is refused (exit 2)."""
    from thidua_cli.core.numbers import parse_money

    try:
        amount = parse_money(text)
    except ValueError as exc:
        raise UsageError(f"--fund: {exc}. Ví dụ --fund 150000000 hoặc --fund 150.000.000.") from exc
    if amount <= 0:
        raise UsageError(f"--fund {text}: quỹ phải lớn hơn 0 đồng; quỹ này không chia được.")
    return amount


def default_output(grades: Path, period: Period) -> Path:
    return grades.parent / f"{period.code}.thu-nhap.xlsx"


def base_salary_at(regulation: Regulation, period: Period) -> int | None:
    rows = [b for b in regulation.money.base_salary if b.valid_from <= period.end]
    return rows[-1].amount if rows else None


def standard_days_of(regulation: Regulation, period: Period) -> int:
    from thidua_cli.core import workdays

    configured = regulation.income.standard_days
    return configured or workdays.working_days(period, regulation.overrides)


def run(request: IncomeRequest, regulation: Regulation) -> IncomeOutcome:
    from thidua_cli.app.outputs import guard_outputs
    from thidua_cli.core import income as core
    from thidua_cli.io import income_inputs as inputs

    if (request.fund is None) == (request.fund_sheet is None):
        raise UsageError("Hãy cho quỹ của kỳ: --fund SỐ_TIỀN (cả viện) hoặc --fund-sheet TỆP.xlsx "
                         "(theo khoa/phòng), một trong hai.")
    grades = inputs.load_grades(request.grades)
    period = request.period or grades.period
    if period is None:
        raise PeriodRequiredError(
            f"Không biết kỳ của {request.grades.name}: hãy thêm --period 2026-M03 (tháng) hoặc "
            "--period 2026-Q4 (quý), hoặc đặt tên tệp có kỳ (thang-3-2026).")
    output = None
    if request.write:
        output = request.output or default_output(request.grades, period)
        others = [p for p in (request.fund_sheet, request.compare) if p is not None]
        guard_outputs([output], [request.grades, request.staff, *others], regulation,
                      force=request.force)
    staff = inputs.load_staff(request.staff)
    if request.fund_sheet is not None:
        fund = inputs.load_fund_sheet(request.fund_sheet)
    else:
        fund = Fund(request.fund, {}, "--fund")
    result = core.compute(period, regulation.income, standard_days_of(regulation, period),
                          grades.entries, staff, fund,
                          base_salary=base_salary_at(regulation, period))
    changes = None
    if request.compare is not None:
        changes = compare(result, inputs.load_previous(request.compare))
    if output is not None:
        from thidua_cli.io.income_xlsx import write_income

        write_income(output, result, regulation, sources=(str(request.grades),
                                                          str(request.staff), fund.source))
    return IncomeOutcome(result, str(request.grades), str(request.staff), fund.source, output,
                         changes)


@dataclass(frozen=True)
class YearOutcome:
    periods: tuple[str, ...]
    rows: tuple[YearRow, ...]
    sources: tuple[str, ...]
    output: Path | None = None  # <năm>.thu-nhap-nam.xlsx when written

    @property
    def total(self) -> int:
        return sum(r.total for r in self.rows)


def year_output_name(periods: Sequence[str]) -> str:
    """``2026.thu-nhap-nam.xlsx``; periods over two years: ``2025-2026.thu-nhap-nam.xlsx``."""
    years = sorted({code[:4] for code in periods})
    return f"{years[0] if len(years) == 1 else years[0] + '-' + years[-1]}.thu-nhap-nam.xlsx"


def year_total(paths: Sequence[Path], regulation: Regulation | None = None, *,
               output: Path | None = None, write: bool = False,
               force: bool = False) -> YearOutcome:
    """Each person's additional income over the periods' ``--json`` results, and the total;
    with ``write`` (and a regulation), the workbook ``<năm>.thu-nhap-nam.xlsx``."""
    from thidua_cli.core.income import year_totals
    from thidua_cli.io.income_inputs import load_period_paid

    periods, rows = year_totals([load_period_paid(p) for p in paths])
    sources = tuple(str(p) for p in paths)
    target = None
    if write and regulation is not None and periods:
        from thidua_cli.app.outputs import guard_outputs
        from thidua_cli.io.income_xlsx import write_year

        target = output or paths[0].parent / year_output_name(periods)
        guard_outputs([target], list(paths), regulation, force=force)
        write_year(target, periods, rows, regulation, sources=sources)
    return YearOutcome(periods, rows, sources, target)


def compare(result: IncomeResult, previous: dict[str, Any]) -> tuple[Change, ...]:
    """Who moved grade, whose amount changed and why (against a previous --json result)."""
    before: dict[str, dict[str, Any]] = {}
    for p in previous.get("people", []):
        if isinstance(p, dict) and isinstance(p.get("staff_id"), str):
            before[p["staff_id"]] = p
    prev_value = {pool.get("name"): pool.get("point_value") for pool in previous.get("pools", [])
                  if isinstance(pool, dict)}
    out: list[Change] = []
    now = {p.staff_id: p for p in result.people}
    for p in result.people:
        b = before.get(p.staff_id)
        if b is None:
            out.append(Change(p.staff_id, p.staff.name, None, p.grade, 0, p.amount,
                              ("Mới có trong kỳ này",)))
            continue
        amount_b = _amount(b)
        why = _why(p, b, result, prev_value)
        if p.amount != amount_b or p.grade != b.get("grade"):
            out.append(Change(p.staff_id, p.staff.name, b.get("grade"), p.grade, amount_b,
                              p.amount, why))
    for staff_id, b in before.items():
        if staff_id not in now:
            amount_b = _amount(b)
            out.append(Change(staff_id, str(b.get("name", "")), b.get("grade"), None, amount_b, 0,
                              ("Không có trong kỳ này",)))
    return tuple(out)


def _amount(entry: dict[str, Any]) -> int:
    value = entry.get("amount")
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _why(p: PersonIncome, b: dict[str, Any], result: IncomeResult,
         prev_value: dict[Any, Any]) -> tuple[str, ...]:
    from decimal import Decimal

    why: list[str] = []
    if p.grade != b.get("grade"):
        why.append(f"Loại {b.get('grade') or '—'} → {p.grade or '—'}")
    days_b = b.get("credited_days")
    if days_b is not None and Decimal(str(days_b)) != p.credited_days:
        why.append(f"Ngày công {days_b} → {p.credited_days.normalize()}")
    coef_b = b.get("coefficient")
    if coef_b is not None and Decimal(str(coef_b)) != p.coefficient:
        why.append(f"Hệ số {coef_b} → {p.coefficient.normalize()}")
    pool = next(x for x in result.pools if x.name == p.pool)
    value_b = prev_value.get(p.pool)
    value_now = round(float(pool.point_value), 2)
    if value_b is not None and value_b != value_now:
        why.append(f"Giá trị một điểm {value_b:,.2f} → {value_now:,.2f}".replace(",", "_")
                   .replace(".", ",").replace("_", "."))
    return tuple(why) or ("Làm tròn",)
