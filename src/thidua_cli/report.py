"""Presenters: score results and findings as JSON-ready dicts or Rich tables.

Nothing here prints to ``sys.stdout`` by itself: the ``print_*`` functions take a Rich
``Console`` (the CLI passes stdout or stderr; tests pass a recording console). Every text that
comes from a sheet (names, departments, values, messages quoting cells) is handed to Rich as a
``rich.text.Text`` so that "[bold]" typed in a cell is shown as typed, never read as markup.

The JSON produced by :func:`score_json` is the contract ``thidua.score/1`` documented in the
README (section "Kết quả"): stable key order, ratings as codes with their Vietnamese label,
points as numbers with two decimals, dates in ISO 8601.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any

from thidua_cli.core.ranking import format_percent, format_points
from thidua_cli.issues import display_value
from thidua_cli.model import (
    BANDED_RATINGS,
    CapGroup,
    DepartmentResult,
    Issue,
    Period,
    Person,
    PersonResult,
    Rating,
    Report,
    RunInfo,
    ScoreResult,
    Severity,
)

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

SCORE_SCHEMA = "thidua.score/1"
RESULT_STEP = "Kết quả"  # the rule name of the scoring core's last explanation step
TOOL_NAME = "thidua"

# Best first, then the two states without a grade; the order of every count in the outputs.
RATING_ORDER: tuple[Rating, ...] = (*BANDED_RATINGS, Rating.PENDING_COUNCIL, Rating.NOT_RATED)

_SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
_RATING_STYLE = {
    Rating.HTXSNV: "green",
    Rating.HTTNV: "blue",
    Rating.HTNV: "yellow",
    Rating.KHTNV: "red",
    Rating.NOT_RATED: "bright_black",
    Rating.PENDING_COUNCIL: "magenta",
}


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
                "max_points": _num(c.max_points),
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


def period_json(period: Period | None) -> dict[str, Any] | None:
    if period is None:
        return None
    return {
        "code": period.code,
        "label": period.label,
        "kind": period.kind.value,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
    }


def rating_json(rating: Rating) -> dict[str, str]:
    """``{"code": "HTXSNV", "label": "Hoàn thành xuất sắc nhiệm vụ"}``."""
    return {"code": rating.value, "label": rating.label}


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
        "points": {code: _num(pr.points.get(code)) for code in codes},
        "criteria_sum": _num(pr.criteria_sum),
        "bonus": _num(pr.bonus_counted),
        "deduction": _num(pr.deduction_counted),
        "total": _num(pr.total),
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
    }


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
        "mean": _num(d.mean),
        "median": _num(d.median),
        "counts": {r.value: int(d.counts.get(r, 0)) for r in RATING_ORDER},
        "share_htxsnv": _num(d.share_htxsnv, 4),
    }


def _cap_group_json(g: CapGroup) -> dict[str, Any]:
    return {
        "group": g.key,
        "rate": _num(g.rate, 4),
        "denominator": g.denominator,
        "slots": g.slots,
        "candidates": list(g.candidates),
        "kept": list(g.kept),
        "pending": list(g.pending),
        "demoted": list(g.demoted),
        "cutoff_total": _num(g.cutoff_total),
        "slots_left_for_tie": g.slots_left_for_tie,
    }


def ties_json(cap_groups: Iterable[CapGroup]) -> list[dict[str, Any]]:
    """The ties at a cap's cut-off, for the council: one entry per group that has one."""
    return [
        {
            "group": g.key,
            "slots_left": g.slots_left_for_tie,
            "staff_ids": list(g.pending),
            "total": _num(g.cutoff_total),
        }
        for g in cap_groups
        if g.pending
    ]


def rating_counts(people: Iterable[PersonResult]) -> dict[Rating, int]:
    """People per rating, every rating present (zero included), in :data:`RATING_ORDER`."""
    counts = dict.fromkeys(RATING_ORDER, 0)
    for pr in people:
        counts[pr.rating] += 1
    return counts


def counts_json(result: ScoreResult) -> dict[str, Any]:
    by_rating = rating_counts(result.people)
    return {
        "people": len(result.people),
        "departments": len(result.departments),
        "rated": sum(n for r, n in by_rating.items() if r.is_rated),
        "ratings": {r.value: n for r, n in by_rating.items()},
        "warnings": len(result.report.warnings),
    }


def issues_json(report: Report | Iterable[Issue]) -> list[dict[str, Any]]:
    """Findings as JSON objects (the shape shared by ``score`` and ``validate``)."""
    issues = report.issues if isinstance(report, Report) else report
    return [issue_json(i) for i in issues]


def issue_json(issue: Issue) -> dict[str, Any]:
    return {
        "code": issue.code,
        "severity": issue.severity.value,
        "file": issue.file,
        "sheet": issue.sheet,
        "row": issue.row,
        "column": issue.column,
        "cell": issue.cell,
        "header": issue.header,
        "value": _json_value(issue.value),
        "message": issue.message,
    }


def _num(value: float | Decimal | None, decimals: int = 2) -> float | None:
    """A JSON number rounded to ``decimals`` (half up, on the decimal value shown); None stays
    None, and so does a value that is not finite (JSON has no NaN)."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        exact = value
    else:
        if not math.isfinite(value):
            return None
        exact = Decimal(repr(float(value)))
    rounded = float(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))
    return rounded + 0.0  # no "-0.0"


def _json_value(value: Any) -> Any:
    """A finding's cell value as JSON: numbers and text as they are, dates ISO, others text."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return str(value)


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


def print_findings(
    console: Console, issues: Report | Iterable[Issue], limit: int | None = None
) -> None:
    """A table of findings (Mức, Mã, Ô, Giá trị, Nội dung) grouped by sheet.

    With ``limit``, errors are shown before warnings and the rest is counted in one line.
    """
    from rich.table import Table
    from rich.text import Text

    all_issues = list(issues.issues if isinstance(issues, Report) else issues)
    if not all_issues:
        console.print(Text("Không có lỗi hay cảnh báo nào."))
        return
    shown = all_issues
    if limit is not None and len(all_issues) > limit:
        ranked = sorted(
            range(len(all_issues)), key=lambda i: (_SEVERITY_ORDER[all_issues[i].severity], i)
        )
        keep = sorted(ranked[: max(limit, 0)])
        shown = [all_issues[i] for i in keep]

    files = {i.file for i in all_issues if i.file}
    with_file = len(files) > 1
    table = Table(title=_findings_title(all_issues), title_justify="left")
    if with_file:
        table.add_column("Tệp", overflow="fold")
    table.add_column("Mức", no_wrap=True)
    table.add_column("Mã", no_wrap=True)
    table.add_column("Ô", overflow="fold")
    table.add_column("Giá trị", overflow="fold", max_width=30)
    table.add_column("Nội dung", overflow="fold", ratio=1)

    for n, group in enumerate(_group_by_sheet(shown)):
        if n:
            table.add_section()
        for issue in group:
            row: list[Text] = []
            if with_file:
                row.append(Text(issue.file or ""))
            row += [
                Text(issue.severity.label, style=_SEVERITY_STYLE[issue.severity]),
                Text(issue.code),
                Text(issue.location or (issue.file or "")),
                Text(_short_value(issue.value)),
                Text(issue.message),
            ]
            table.add_row(*row)
    console.print(table)
    hidden = len(all_issues) - len(shown)
    if hidden:
        console.print(
            Text(
                f"… và {hidden} phát hiện khác không hiện ở đây (chạy `thidua validate` hoặc "
                "thêm --json để xem đủ)."
            )
        )


def _findings_title(issues: list[Issue]) -> Text:
    from rich.text import Text

    errors = sum(1 for i in issues if i.severity is Severity.ERROR)
    warnings = sum(1 for i in issues if i.severity is Severity.WARNING)
    infos = len(issues) - errors - warnings
    parts = []
    if errors:
        parts.append(f"{errors} lỗi")
    if warnings:
        parts.append(f"{warnings} cảnh báo")
    if infos:
        parts.append(f"{infos} thông tin")
    return Text("Phát hiện: " + ", ".join(parts))


def _group_by_sheet(issues: list[Issue]) -> list[list[Issue]]:
    """Groups by (file, sheet) in order of first appearance; inside a group, by row then
    column (a whole-sheet finding first)."""
    groups: dict[tuple[str, str], list[Issue]] = {}
    for issue in issues:
        groups.setdefault((issue.file or "", issue.sheet or ""), []).append(issue)
    return [
        sorted(group, key=lambda i: (i.row or 0, len(i.column or ""), i.column or ""))
        for group in groups.values()
    ]


def _short_value(value: Any, limit: int = 40) -> str:
    if value is None:
        return ""
    text = display_value(value).replace("\r", " ").replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
