"""Presenters of a score run: the ``thidua.score/1`` document for ``--json`` and the Rich
tables for people (departments ranked, counts per rating, the HTXSNV cap, ties, one person's
explanation).

The JSON is the contract ``thidua.score/1`` documented in the README (section "Kết quả"):
stable key order, ratings as codes with their Vietnamese label, points as numbers with two
decimals, dates in ISO 8601. Nothing here prints to ``sys.stdout`` by itself: the ``print_*``
functions take a Rich ``Console``; every text from a sheet is handed to Rich as ``Text`` (never
read as markup).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from datetime import date
from typing import IO, TYPE_CHECKING, Any

from thidua_cli.core.ranking import RATING_ORDER, format_percent, format_points, rating_counts
from thidua_cli.io.score_result import ROLLUP_INPUTS, SCORE_SCHEMA
from thidua_cli.model import (
    BANDED_RATINGS,
    CapGroup,
    DepartmentResult,
    Person,
    PersonResult,
    Rating,
    RunInfo,
    ScoreResult,
)
from thidua_cli.report import issues_json, num_json, period_json, rating_json

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console
    from rich.table import Table

    from thidua_cli.app.score import ScoreOutcome

RESULT_STEP = "Kết quả"  # the rule name of the scoring core's last explanation step
TOOL_NAME = "thidua"

_RATING_STYLE = {
    Rating.HTXSNV: "green",
    Rating.HTTNV: "blue",
    Rating.HTNV: "yellow",
    Rating.KHTNV: "red",
    Rating.NOT_RATED: "bright_black",
    Rating.PENDING_COUNCIL: "magenta",
}


def write_json(stream: IO[str], outcome: ScoreOutcome) -> None:
    """``--json``: the ``thidua.score/1`` document of a run, indented, one trailing newline."""
    stream.write(json.dumps(score_json(outcome.result, outcome.run), ensure_ascii=False, indent=2))
    stream.write("\n")


def print_outcome(console: Console, outcome: ScoreOutcome) -> None:
    """The summary for people: where the period, the criteria and the regulation came from,
    the tables, the file written."""
    from rich.text import Text

    dataset = outcome.dataset
    console.print(Text(f"Kỳ: {dataset.period.label if dataset.period else '?'} "
                       f"({dataset.period_source}); tiêu chí: {outcome.result.criteria_source}; "
                       f"quy chế: {outcome.regulation.source}"))
    print_score_summary(console, outcome.result)
    if outcome.target is not None:
        console.print(Text(f"Đã ghi kết quả: {outcome.target}", style="bold green"))


# ============================================================================================
# JSON
# ============================================================================================


def score_json(result: ScoreResult, run: RunInfo) -> dict[str, Any]:
    """The ``thidua.score/1`` document for ``--json``: plain dicts, lists, str, numbers, None.

    Deterministic: the run's clock is not in it (it is in the workbook's "Nhật ký"), so the
    same inputs give the same JSON.
    """
    codes = [c.code for c in result.criteria]
    return {
        "schema": SCORE_SCHEMA,
        "tool": {"name": TOOL_NAME, "version": run.tool_version},
        "period": period_json(result.period),
        "regulation": {
            "name": result.regulation.name,
            "source": run.regulation_source,
            "sha256": run.regulation_sha256,
        },
        "inputs": [
            {"path": f.path, "format": f.format, "sha256": f.sha256} for f in run.inputs
        ],
        "criteria_source": result.criteria_source,
        "criteria": [
            {
                "code": c.code,
                "name": c.name,
                "group": c.group,
                "max_points": num_json(c.max_points),
            }
            for c in result.criteria
        ],
        "people": [_person_json(pr, codes) for pr in result.people],
        "departments": [_department_json(d) for d in result.departments],
        "cap_groups": [_cap_group_json(g) for g in result.cap_groups],
        "ties": ties_json(result.cap_groups),
        "inferred_managers": list(result.inferred_managers),
        "warnings": issues_json(result.report),
        "counts": counts_json(result),
    }



def _person_json(pr: PersonResult, codes: list[str]) -> dict[str, Any]:
    p = pr.person
    return {
        "staff_id": p.staff_id,
        "name": p.name,
        "department": p.department,
        "position": p.position,
        "is_manager": p.is_manager,
        "group": p.peer_group,
        "peer_group": pr.peer_group,
        "source": {"file": p.source.file, "sheet": p.source.sheet, "row": p.source.row},
        "points": {code: num_json(pr.points.get(code)) for code in codes},
        "criteria_sum": num_json(pr.criteria_sum),
        "bonus": num_json(pr.bonus_counted),
        "deduction": num_json(pr.deduction_counted),
        "total": num_json(pr.total),
        "band": rating_json(pr.band),
        "rating": rating_json(pr.rating),
        "grade": pr.grade,
        "notes": list(pr.notes),
        "reasons": list(pr.reasons),
        "rank_department": pr.rank_department,
        "rank_hospital": pr.rank_hospital,
        "inputs": _person_inputs_json(p, codes),
    }


def _person_inputs_json(p: Person, codes: list[str]) -> dict[str, Any]:
    """What the sheet said, unrounded: enough to rebuild the person (``thidua awards`` rolls
    the quarters up from ``thidua score --json`` results; io/score_result.py reads it back)."""
    return {
        "scores": {code: _raw(p.scores.get(code)) for code in codes},
        "bonus": _raw(p.bonus),
        "deduction": _raw(p.deduction),
        "gender": p.gender.value,
        "recruited_on": p.recruited_on.isoformat() if p.recruited_on else None,
        "leave_days": _raw(p.leave_days),
        "maternity_days": _raw(p.maternity_days),
        "discipline": p.discipline.value if p.discipline is not None else None,
        "initiatives": p.initiatives,
        "research": p.research,
        "registered": p.registered,
        "manager_inferred": p.manager_inferred,
        "note": p.note,
        # The year roll-up's columns (issue 11): read back by io/score_result.py, optional there.
        **{name: _input_json(getattr(p, name)) for name in ROLLUP_INPUTS},
    }


def _input_json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return _raw(value) if isinstance(value, float) else value


def _raw(value: float | None) -> float | None:
    """A number as read (no rounding: a float's JSON form reads back as the same float)."""
    if value is None:
        return None
    number = float(value)
    return number + 0.0 if math.isfinite(number) else None



def _department_json(d: DepartmentResult) -> dict[str, Any]:
    return {
        "rank": d.rank,
        "name": d.name,
        "headcount": d.headcount,
        "rated": d.rated,
        "not_rated": d.not_rated,
        "pending": d.pending,
        "mean": num_json(d.mean),
        "median": num_json(d.median),
        "counts": {r.value: int(d.counts.get(r, 0)) for r in RATING_ORDER},
        "share_htxsnv": num_json(d.share_htxsnv, 4),
    }


def _cap_group_json(g: CapGroup) -> dict[str, Any]:
    return {
        "group": g.key,
        "rate": num_json(g.rate, 4),
        "denominator": g.denominator,
        "slots": g.slots,
        "candidates": list(g.candidates),
        "kept": list(g.kept),
        "pending": list(g.pending),
        "demoted": list(g.demoted),
        "cutoff_total": num_json(g.cutoff_total),
        "slots_left_for_tie": g.slots_left_for_tie,
    }


def ties_json(cap_groups: Iterable[CapGroup]) -> list[dict[str, Any]]:
    """The ties at a cap's cut-off, for the council: one entry per group that has one."""
    return [
        {
            "group": g.key,
            "slots_left": g.slots_left_for_tie,
            "staff_ids": list(g.pending),
            "total": num_json(g.cutoff_total),
        }
        for g in cap_groups
        if g.pending
    ]



def counts_json(result: ScoreResult) -> dict[str, Any]:
    by_rating = rating_counts(result.people)
    return {
        "people": len(result.people),
        "departments": len(result.departments),
        "rated": sum(n for r, n in by_rating.items() if r.is_rated),
        "ratings": {r.value: n for r, n in by_rating.items()},
        "warnings": len(result.report.warnings),
    }


# ============================================================================================
# Rich presenters
# ============================================================================================


def print_score_summary(console: Console, result: ScoreResult) -> None:
    """Departments ranked, counts per rating, the cap groups and any ties for the council."""
    from rich.text import Text

    period = result.period.label if result.period else "kỳ không xác định"
    console.print(Text(f"Kết quả xếp loại – {period}", style="bold"))
    console.print(_departments_table(result.departments))

    counts = rating_counts(result.people)
    line = Text(f"Toàn viện: {len(result.people)} người")
    for rating in RATING_ORDER:
        line.append(" · ")
        name = rating.value if rating.is_rated else rating.label
        line.append(f"{name} {counts[rating]}", style=_RATING_STYLE[rating])
    console.print(line)

    if result.cap_groups:
        console.print(_cap_table(result.cap_groups))
    ties = [g for g in result.cap_groups if g.pending]
    if ties:
        names = {pr.person.staff_id: pr.person.name for pr in result.people}
        for g in ties:
            people = ", ".join(
                f"{names.get(staff_id, '?')} ({staff_id})" for staff_id in g.pending
            )
            total = format_points(g.cutoff_total) if g.cutoff_total is not None else "?"
            console.print(
                Text("Cần Hội đồng xét: ", style="bold magenta")
                + Text(
                    f"nhóm \"{g.key}\" còn {g.slots_left_for_tie} suất HTXSNV cho "
                    f"{len(g.pending)} người cùng {total} điểm: {people}."
                )
            )
    if result.inferred_managers:
        console.print(
            Text(
                f"Suy ra lãnh đạo, quản lý từ chức vụ: {len(result.inferred_managers)} người "
                "(danh sách trong sheet \"Nhật ký\")."
            )
        )


def _departments_table(departments: Iterable[DepartmentResult]) -> Table:
    from rich.table import Table
    from rich.text import Text

    departments = list(departments)
    with_pending = any(d.pending for d in departments)
    table = Table(title=Text("Khoa/phòng xếp hạng theo điểm trung bình"), title_justify="left")
    table.add_column("Hạng", justify="right")
    table.add_column("Khoa/Phòng")
    table.add_column("Số người", justify="right")
    table.add_column("Điểm TB", justify="right")
    for rating in BANDED_RATINGS:
        table.add_column(rating.value, justify="right", style=_RATING_STYLE[rating])
    if with_pending:
        table.add_column("Chờ HĐ", justify="right", style=_RATING_STYLE[Rating.PENDING_COUNCIL])
    table.add_column("Không XL", justify="right")
    for d in departments:
        row = [
            Text("" if d.rank is None else str(d.rank)),
            Text(d.name),
            Text(str(d.headcount)),
            Text("—" if d.mean is None else format_points(d.mean)),
            *(Text(str(d.counts.get(r, 0))) for r in BANDED_RATINGS),
        ]
        if with_pending:
            row.append(Text(str(d.pending)))
        row.append(Text(str(d.not_rated)))
        table.add_row(*row)
    return table


def _cap_table(groups: Iterable[CapGroup]) -> Table:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text("Trần HTXSNV theo nhóm so sánh"), title_justify="left")
    for header in ("Nhóm so sánh", "Tỷ lệ", "Mẫu số", "Số suất", "Ứng viên", "Giữ", "Chờ HĐ",
                   "Hạ HTTNV"):
        table.add_column(header, justify="left" if header == "Nhóm so sánh" else "right")
    for g in groups:
        table.add_row(
            Text(g.key),
            Text(format_percent(g.rate)),
            Text(str(g.denominator)),
            Text(str(g.slots)),
            Text(str(len(g.candidates))),
            Text(str(len(g.kept))),
            Text(str(len(g.pending))),
            Text(str(len(g.demoted))),
        )
    return table



def print_explain(console: Console, person_result: PersonResult) -> None:
    """How one person's total and rating came about, rule by rule."""
    from rich.text import Text

    pr = person_result
    p = pr.person
    console.print(
        Text(f"{p.name} – mã NV {p.staff_id} – {p.department}", style="bold")
    )
    console.print(Text(f"Nguồn: {p.source.file}, sheet \"{p.source.sheet}\", dòng {p.source.row}",
                       style="dim"))
    if pr.steps:
        from rich.table import Table

        # A grid gives wrapped lines a hanging indent under their step.
        grid = Table.grid(padding=(0, 1))
        grid.add_column(justify="right", no_wrap=True)
        grid.add_column()
        for n, step in enumerate(pr.steps, start=1):
            body = Text()
            body.append(step.rule, style="bold")
            body.append(": ")
            body.append(step.detail)
            if step.basis:
                body.append("\nCăn cứ: " + step.basis, style="dim")
            grid.add_row(Text(f"{n}."), body)
        console.print(grid)
    else:
        # Results built without explanation steps: show the arithmetic itself.
        parts = " + ".join(
            f"{code} {format_points(value)}" for code, value in pr.points.items()
        )
        console.print(Text(f"Điểm tiêu chí: {parts} = {format_points(pr.criteria_sum)}"))
        console.print(
            Text(
                f"Điểm cộng tính {format_points(pr.bonus_counted)}, điểm trừ "
                f"{format_points(pr.deduction_counted)}."
            )
        )
        for note in pr.notes:
            console.print(Text(f"- {note}"))

    if any(step.rule == RESULT_STEP for step in pr.steps):
        return  # the steps already end with the result
    summary = Text(f"{RESULT_STEP}: ", style="bold")
    summary.append(f"{format_points(pr.total)} điểm; theo điểm {pr.band.value}; xếp loại ")
    summary.append(f"{pr.rating.label} ({pr.rating.value})", style=_RATING_STYLE[pr.rating])
    if pr.grade:
        summary.append(f", loại {pr.grade}")
    ranks = []
    if pr.rank_department is not None:
        ranks.append(f"hạng {pr.rank_department} trong khoa/phòng")
    if pr.rank_hospital is not None:
        ranks.append(f"hạng {pr.rank_hospital} toàn viện")
    if ranks:
        summary.append("; " + ", ".join(ranks))
    summary.append(".")
    console.print(summary)
