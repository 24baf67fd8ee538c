"""Presenters of ``thidua income``: the ``thidua.income/1`` document for ``--json`` and the
Rich tables for people (totals per department and per grade, one person's explanation, the
changes since the previous period). Every text from a sheet goes to Rich as ``Text``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import IO, TYPE_CHECKING, Any

from thidua_cli import __version__
from thidua_cli.core.income import BASIS_LABELS, GroupTotal, IncomeResult, PersonIncome
from thidua_cli.core.numbers import format_vn_number
from thidua_cli.report import issues_json, period_json

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

    from thidua_cli.app.income import Change, IncomeOutcome, YearOutcome
    from thidua_cli.model import Regulation

INCOME_SCHEMA = "thidua.income/1"


def frac(value: Fraction, places: int = 2) -> Decimal:
    """An exact fraction shown with ``places`` decimals, half up."""
    q = Decimal(1).scaleb(-places)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(q, ROUND_HALF_UP)


def _num(value: Fraction | Decimal, places: int = 2) -> float:
    d = frac(value, places) if isinstance(value, Fraction) else value.quantize(
        Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return float(d) + 0.0


def vnd(amount: int) -> str:
    return format_vn_number(amount)


def vn(value: Fraction | Decimal, places: int = 2) -> str:
    d = frac(value, places) if isinstance(value, Fraction) else value
    return format_vn_number(d.normalize() if d == d.to_integral_value() else d)


# ============================================================================================
# JSON
# ============================================================================================


def income_json(outcome: IncomeOutcome, regulation: Regulation) -> dict[str, Any]:
    r = outcome.result
    s = r.settings
    ce = s.ceiling
    doc: dict[str, Any] = {
        "schema": INCOME_SCHEMA,
        "tool": {"name": "thidua", "version": __version__},
        "period": period_json(r.period),
        "regulation": {"name": regulation.name, "source": regulation.source,
                       "sha256": regulation.sha256},
        "inputs": {"grades": outcome.grades_source, "staff": outcome.staff_source,
                   "fund": outcome.fund_source},
        "settings": {
            "basis": s.basis, "mix_salary_weight": str(s.mix_salary_weight),
            "grades": {k: str(v) for k, v in s.grades.items()},
            "rating_grades": dict(s.rating_grades), "exclude": list(s.exclude),
            "maternity": s.maternity, "paid_leave": list(s.paid_leave),
            "rounding_step": s.rounding_step, "remainder": s.remainder,
        },
        "standard_days": r.standard_days,
        "fund": r.fund,
        "paid": r.paid,
        "carried": r.carried,
        "pools": [{
            "name": p.name, "fund": p.fund, "points": _num(p.points, 6),
            "point_value": _num(p.point_value, 2), "paid": p.paid, "carried": p.carried,
            "people": p.people, "odd_to": p.odd_to, "ties": list(p.ties),
        } for p in r.pools],
        "people": [person_json(p) for p in r.people],
        "departments": [_group_json(g) for g in r.departments],
        "grades": [_group_json(g) for g in r.grades],
        "ceiling": {
            "autonomy_group": ce.autonomy_group or None,
            "max_multiple": str(ce.max_multiple) if ce.max_multiple else None,
            "salary_fund": r.salary_fund,
            "limit": int(ce.max_multiple * r.salary_fund) if ce.max_multiple and r.salary_fund
            else None,
            "basis": ce.basis or None,
        },
        "warnings": issues_json(r.report),
    }
    if outcome.changes is not None:
        doc["changes"] = [{
            "staff_id": c.staff_id, "name": c.name, "grade_before": c.grade_before,
            "grade_after": c.grade_after, "amount_before": c.amount_before,
            "amount_after": c.amount_after, "difference": c.amount_after - c.amount_before,
            "why": list(c.why),
        } for c in outcome.changes]
    return doc


def person_json(p: PersonIncome) -> dict[str, Any]:
    s = p.staff
    return {
        "staff_id": s.staff_id, "name": s.name, "department": s.department, "title": s.title,
        "grade": p.grade, "rating": p.rating, "grade_coefficient": float(p.grade_coefficient),
        "coefficient": float(p.coefficient), "credited_days": float(p.credited_days),
        "standard_days": p.standard_days, "points": _num(p.points, 6),
        "exact": _num(p.exact, 2), "amount": p.amount, "extra_steps": p.extra_steps,
        "pool": p.pool,
        "reasons": [{"code": x.code, "text": x.text, "zero": x.zero} for x in p.reasons],
        "account": s.account or None, "bank": s.bank or None,
        "source": {"file": s.where.file, "sheet": s.where.sheet, "row": s.where.row},
    }


def _group_json(g: GroupTotal) -> dict[str, Any]:
    return {"name": g.name, "people": g.people, "paid_people": g.paid_people,
            "points": _num(g.points, 6), "amount": g.amount}


def write_json(stream: IO[str], outcome: IncomeOutcome, regulation: Regulation) -> None:
    # One write: json.dump's many small writes to a console stream cost seconds at 3,000 people.
    stream.write(json.dumps(income_json(outcome, regulation), ensure_ascii=False, indent=2) + "\n")


# ============================================================================================
# Rich
# ============================================================================================


def print_outcome(console: Console, outcome: IncomeOutcome) -> None:
    from rich.table import Table
    from rich.text import Text

    r = outcome.result
    s = r.settings
    console.print(Text(f"Thu nhập tăng thêm {r.period.label}: quỹ {vnd(r.fund)} đ, "
                       f"{len(r.people)} người, ngày công chuẩn {r.standard_days}.", style="bold"))
    console.print(Text(f"Chia theo {BASIS_LABELS[s.basis]} × hệ số loại × ngày công; làm tròn "
                       f"{vnd(s.rounding_step)} đ ({_remainder_label(s.remainder)}).",
                       style="dim"))
    t = Table(title="Theo khoa/phòng", title_justify="left")
    t.add_column("Khoa/Phòng")
    for head in ("Số người", "Được chia", "Tổng điểm", "Số tiền (đ)"):
        t.add_column(head, justify="right")
    for g in r.departments:
        t.add_row(Text(g.name), str(g.people), str(g.paid_people), vn(g.points, 4), vnd(g.amount))
    t.add_row(Text("Cộng", style="bold"), str(len(r.people)),
              str(sum(g.paid_people for g in r.departments)),
              vn(sum((g.points for g in r.departments), Fraction(0)), 4), vnd(r.paid))
    console.print(t)
    by_grade = Table(title="Theo loại", title_justify="left")
    for head in ("Loại", "Hệ số", "Số người", "Số tiền (đ)"):
        by_grade.add_column(head, justify="left" if head == "Loại" else "right")
    for row in r.grades:
        coef = s.grades.get(row.name)
        by_grade.add_row(Text(row.name), vn(coef) if coef is not None else "—", str(row.people),
                  vnd(row.amount))
    console.print(by_grade)
    for pool in r.pools:
        line = Text(f"{pool.name}: giá trị một điểm {vn(pool.point_value)} đ; đã chia "
                    f"{vnd(pool.paid)} đ")
        if pool.carried:
            line.append(f"; chuyển kỳ sau {vnd(pool.carried)} đ", style="yellow")
        if pool.odd_to:
            line.append(f"; phần lẻ dưới {vnd(s.rounding_step)} đ cộng cho mã NV {pool.odd_to}")
        if pool.ties:
            line.append(f"; bằng phần lẻ ở bước cuối: {', '.join(pool.ties)} (xếp theo điểm rồi "
                        "mã NV)", style="yellow")
        console.print(line)
    zero = [p for p in r.people if any(x.zero for x in p.reasons)]
    if zero:
        console.print(Text(f"Không được chia ({len(zero)} người):", style="bold"))
        for p in zero:
            console.print(Text(f"- {p.staff.name} ({p.staff_id}, {p.staff.department}): "
                               + "; ".join(x.text for x in p.reasons if x.zero)))
    if outcome.output is not None:
        console.print(Text(f"Đã ghi {outcome.output}", style="green"))


def _remainder_label(mode: str) -> str:
    return ("phần lẻ chia cho người có phần lẻ lớn nhất" if mode == "largest_remainder"
            else "phần lẻ chuyển kỳ sau")


def print_explain(console: Console, p: PersonIncome, result: IncomeResult) -> None:
    from rich.text import Text

    s = p.staff
    st = result.settings
    pool = next(x for x in result.pools if x.name == p.pool)
    console.print(Text(f"{s.name} – mã NV {s.staff_id} – {s.department}", style="bold"))
    console.print(Text(f"Nguồn: {s.where.file}, sheet \"{s.where.sheet}\", dòng {s.where.row}",
                       style="dim"))
    salary = s.salary + s.allowance
    if st.basis == "salary":
        coef = f"HSL {vn(s.salary)} + PCCV {vn(s.allowance)} = {vn(p.coefficient)}"
    elif st.basis == "position":
        coef = f"hệ số vị trí {vn(p.coefficient)}"
    else:
        w = st.mix_salary_weight
        coef = (f"{vn(w)} × (HSL + PCCV {vn(salary)}) + {vn(1 - w)} × hệ số vị trí "
                f"{vn(s.position or Decimal(0))} = {vn(p.coefficient)}")
    lines = [
        f"1. Hệ số ({BASIS_LABELS[st.basis]}): {coef}",
        f"2. Loại {p.grade or '—'}: hệ số loại {vn(p.grade_coefficient)}",
        f"3. Ngày công tính hưởng: {vn(p.credited_days)}/{p.standard_days}",
        f"4. Điểm = {vn(p.coefficient)} × {vn(p.grade_coefficient)} × {vn(p.credited_days)}/"
        f"{p.standard_days} = {vn(p.points, 6)}" if p.points else "4. Điểm = 0",
        f"5. Giá trị một điểm ({pool.name}) = {vnd(pool.fund)} / {vn(pool.points, 6)} = "
        f"{vn(pool.point_value)} đ",
        f"6. Số tiền chính xác = {vn(p.exact)} đ; làm tròn {vnd(st.rounding_step)} đ"
        + (" và được thêm một bước nhờ phần lẻ lớn" if p.extra_steps else "")
        + (" và nhận phần lẻ dưới một bước của quỹ" if pool.odd_to == p.staff_id else ""),
    ]
    for line in lines:
        console.print(Text(line))
    for x in p.reasons:
        console.print(Text(f"- {x.text}" + (" (không được chia)" if x.zero else ""),
                           style="yellow"))
    console.print(Text(f"Kết quả: {vnd(p.amount)} đ", style="bold"))


def print_changes(console: Console, changes: Sequence[Change]) -> None:
    from rich.table import Table
    from rich.text import Text

    if not changes:
        console.print(Text("So với kỳ trước: không ai thay đổi loại hay số tiền."))
        return
    t = Table(title="So với kỳ trước", title_justify="left")
    for head in ("Mã NV", "Họ và tên", "Loại", "Kỳ trước (đ)", "Kỳ này (đ)", "Chênh lệch", "Vì sao"):
        t.add_column(head, justify="right" if "(đ)" in head or head == "Chênh lệch" else "left")
    for c in changes:
        diff = c.amount_after - c.amount_before
        t.add_row(Text(c.staff_id), Text(c.name),
                  Text(f"{c.grade_before or '—'} → {c.grade_after or '—'}"),
                  vnd(c.amount_before), vnd(c.amount_after),
                  ("+" if diff > 0 else "") + vnd(diff), Text("; ".join(c.why)))
    console.print(t)


def year_json(outcome: YearOutcome) -> dict[str, Any]:
    """``--year-total``: the same schema, ``"mode": "year_total"``."""
    return {
        "schema": INCOME_SCHEMA, "mode": "year_total", "tool": {"name": "thidua", "version": __version__},
        "periods": list(outcome.periods), "inputs": list(outcome.sources),
        "people": [{"staff_id": r.staff_id, "name": r.name, "department": r.department,
                    "amounts": dict(r.amounts), "total": r.total} for r in outcome.rows],
        "total": outcome.total,
    }


def print_year(console: Console, outcome: YearOutcome) -> None:
    from rich.table import Table
    from rich.text import Text

    t = Table(title=f"Thu nhập tăng thêm cộng các kỳ ({', '.join(outcome.periods)})",
              title_justify="left")
    for head in ("Mã NV", "Họ và tên", "Khoa/Phòng"):
        t.add_column(head)
    for code in outcome.periods:
        t.add_column(code, justify="right")
    t.add_column("Cộng (đ)", justify="right")
    for r in outcome.rows:
        t.add_row(Text(r.staff_id), Text(r.name), Text(r.department),
                  *(vnd(r.amounts[c]) if c in r.amounts else "—" for c in outcome.periods),
                  vnd(r.total))
    console.print(t)
    console.print(Text(f"Tổng: {vnd(outcome.total)} đ cho {len(outcome.rows)} người.", style="bold"))
    if outcome.output is not None:
        console.print(Text(f"Đã ghi {outcome.output}", style="green"))
