"""Presenters for ``thidua kpi``: the ``thidua.kpi/1`` JSON object and the Rich summary
(departments below target first). Text from sheets is always a ``rich.text.Text``."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from thidua_cli.core.kpi import HOSPITAL_SCOPE, Attainment, KpiResult, OwnerScore, shown
from thidua_cli.report import issues_json, num_json

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

    from thidua_cli.app.kpi import KpiOutcome

SCHEMA = "thidua.kpi/1"


def _step(s: Any) -> dict[str, str]:
    return {"rule": s.rule, "detail": s.detail, "basis": s.basis}


def attainment_json(a: Attainment, d: int) -> dict[str, Any]:
    ind = a.indicator
    return {
        "code": ind.code, "name": ind.name, "level": ind.level.value,
        "department": ind.department or None, "staff_id": ind.staff_id or None,
        "unit": ind.unit, "kind": ind.kind.value if ind.kind else "number",
        "direction": ind.direction.value if ind.direction else None,
        "target": ind.target, "actual": ind.actual, "weight": ind.weight,
        "threshold": ind.threshold, "band": ([ind.band_low, ind.band_high]
                                             if ind.band_low is not None else None),
        "parent": ind.parent or None, "inherited": list(a.inherited),
        "attainment": num_json(a.percent, d), "uncapped": num_json(a.uncapped, d),
        "capped": a.capped, "counted": a.counted, "weight_used": a.weight,
        "source": ind.source or None,
        "cell": ({"file": ind.where.file, "sheet": ind.where.sheet, "row": ind.where.row}
                 if ind.where else None),
    }


def owner_json(o: OwnerScore, d: int) -> dict[str, Any]:
    return {
        "level": o.level.value, "key": o.key, "name": o.name, "department": o.department or None,
        "own": num_json(o.own, d), "score": num_json(o.score, d), "rank": o.rank,
        "hospital_rank": o.hospital_rank,
        "weight_sum": o.weight_sum, "below_target": o.below_target,
        "indicators": [attainment_json(a, d) for a in o.indicators],
        "steps": [_step(s) for s in o.steps],
    }


def result_json(outcome: KpiOutcome) -> dict[str, Any]:
    r = outcome.result
    d = r.settings.decimals
    s = r.settings
    settings = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in vars(s).items()}
    return {
        "schema": SCHEMA,
        "file": str(outcome.path),
        "output": str(outcome.target) if outcome.target else None,
        "valid": r.report.valid,
        "settings": settings,
        "hospital": owner_json(r.hospital, d) if r.hospital else None,
        "departments": [owner_json(o, d) for o in r.departments],
        "people": [owner_json(o, d) for o in r.people],
        "cascade": [{"parent": line.parent.indicator.code,
                     "attainment": num_json(line.parent.percent, d),
                     "children": [{"level": c.indicator.level.value,
                                   "owner": c.indicator.staff_id or c.indicator.department,
                                   "code": c.indicator.code,
                                   "attainment": num_json(c.percent, d)}
                                  for c in line.children]}
                    for line in r.cascade],
        "ties": [{"scope": t.scope, "rank": t.rank, "score": num_json(t.score, d),
                  "keys": list(t.keys)} for t in r.ties],
        "findings": issues_json(r.report),
        "trend": None if outcome.trend is None else {
            "periods": list(outcome.trend.periods),
            "hospital": [num_json(v, d) for v in outcome.trend.hospital],
            "departments": [{"name": name, "scores": [num_json(v, d) for v in scores]}
                            for name, scores in outcome.trend.departments],
            "earlier_findings": [issue for _, e in outcome.earlier for issue in issues_json(e.report)],
        },
    }


TOP_PEOPLE = 10  # the hospital-wide ranking's head shown in the summary


def _print_top_people(console: Console, r: KpiResult, d: int) -> None:
    """The first places of the hospital-wide ranking of people; its ties counted."""
    from rich.table import Table
    from rich.text import Text

    ranked = sorted((p for p in r.people if p.hospital_rank is not None),
                    key=lambda p: p.hospital_rank or 0)
    if not ranked:
        return
    last = ranked[min(TOP_PEOPLE, len(ranked)) - 1].hospital_rank
    head = [p for p in ranked if (p.hospital_rank or 0) <= (last or 0)]  # a tie is never cut
    table = Table(title=f"Xếp hạng cá nhân toàn viện ({len(head)} người đứng đầu / "
                        f"{len(ranked)} người)", title_justify="left")
    for column, justify in (("Hạng", "right"), ("Mã NV", "left"), ("Họ và tên", "left"),
                            ("Khoa/Phòng", "left"), ("Điểm KPI", "right")):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for p in head:
        table.add_row(Text(str(p.hospital_rank)), Text(p.key), Text(p.name), Text(p.department),
                      Text(shown(p.score, d)))
    console.print(table)
    groups = [t for t in r.ties if t.scope == HOSPITAL_SCOPE]
    if groups:
        console.print(Text(f"Bằng điểm KPI toàn viện: {len(groups)} nhóm, "
                           f"{sum(len(t.keys) for t in groups)} người (xem --json hoặc sheet "
                           "\"Nhật ký\" của tệp kết quả).", style="yellow"))


def print_summary(console: Console, outcome: KpiOutcome) -> None:
    from rich.table import Table
    from rich.text import Text

    r = outcome.result
    d = r.settings.decimals
    if r.hospital is not None:
        console.print(Text(f"KPI cấp bệnh viện: {shown(r.hospital.score, d)} % "
                           f"({len(r.hospital.indicators)} chỉ số)"))
    # Departments below target first (issue 15), then the others, each in rank order.
    ordered = [o for o in r.departments if o.below_target] + [
        o for o in r.departments if not o.below_target]
    table = Table(title="KPI khoa/phòng (chưa đạt lên trước)", title_justify="left")
    for head, justify in (("Hạng", "right"), ("Khoa/Phòng", "left"), ("Điểm KPI", "right"),
                          ("Số chỉ số", "right"), ("Đánh giá", "left")):
        table.add_column(head, justify=justify)  # type: ignore[arg-type]
    for o in ordered:
        verdict = ("—" if o.score is None else "Chưa đạt" if o.below_target else "Đạt")
        style = "red" if o.below_target else ""
        table.add_row(Text(str(o.rank or "—")), Text(o.name), Text(shown(o.score, d), style=style),
                      Text(str(len(o.indicators))), Text(verdict, style=style))
    console.print(table)
    below = sum(1 for p in r.people if p.below_target)
    console.print(Text(f"Cá nhân: {len(r.people)} người có điểm KPI, {below} người dưới 100 %."))
    # Ties are reported, never broken: the departments' one by one, the people's counted.
    for t in r.ties:
        if t.scope == "Khoa/phòng":
            console.print(Text(f"Bằng điểm KPI: hạng {t.rank} ({shown(t.score, d)}): "
                               f"{', '.join(t.keys)}", style="yellow"))
    personal = sum(1 for t in r.ties if t.scope not in ("Khoa/phòng", HOSPITAL_SCOPE))
    if personal:
        console.print(Text(f"Bằng điểm KPI trong khoa/phòng: {personal} nhóm (xem --json hoặc "
                           "sheet \"Nhật ký\" của tệp kết quả).", style="yellow"))
    _print_top_people(console, r, d)
    if outcome.trend is not None:
        tr = outcome.trend
        table = Table(title="Xu hướng KPI theo kỳ", title_justify="left")
        table.add_column("Khoa/Phòng")
        for p in tr.periods:
            table.add_column(p, justify="right")
        table.add_row(Text("Bệnh viện", style="bold"), *(Text(shown(v, d)) for v in tr.hospital))
        for name, scores in tr.departments:
            table.add_row(Text(name), *(Text(shown(v, d)) for v in scores))
        console.print(table)
    if outcome.target is not None:
        console.print(Text("Đã ghi: ", style="bold green") + Text(str(outcome.target)))
