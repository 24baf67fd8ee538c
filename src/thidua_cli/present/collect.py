"""``thidua collect`` presented: the tracking table (Rich) and the ``--json`` document (schema
thidua.collect/1, documented in the README section "forms")."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

    from thidua_cli.app.collect import CollectResult
    from thidua_cli.model import Regulation

SCHEMA = "thidua.collect/1"
STATUS_LABEL = {"ok": "Đạt", "warnings": "Có cảnh báo", "errors": "Có lỗi", "missing": "Chưa nộp"}
_STATUS_STYLE = {"ok": "green", "warnings": "yellow", "errors": "bold red", "missing": "bold red"}


def result_json(result: CollectResult, regulation: Regulation) -> dict[str, Any]:
    from thidua_cli import __version__
    from thidua_cli.report import issue_json, period_json

    issues = result.issues
    return {
        "schema": SCHEMA,
        "tool_version": __version__,
        "regulation": {"source": regulation.source, "sha256": regulation.sha256},
        "folder": str(result.folder),
        "period": period_json(result.period),
        "period_source": result.period_source,
        "summary": {
            "departments": len(result.departments),
            "submitted": sum(1 for d in result.departments if d.submitted),
            "missing": sum(1 for d in result.departments if not d.submitted),
            "with_errors": sum(1 for d in result.departments if d.status == "errors"),
            "people": sum(d.people for d in result.departments),
            "errors": sum(1 for i in issues if i.severity.value == "error"),
            "warnings": sum(1 for i in issues if i.severity.value == "warning"),
        },
        "departments": [
            {
                "department": d.department,
                "status": d.status,
                "status_label": STATUS_LABEL[d.status],
                "files": d.files,
                "saved_at": d.when.isoformat() if d.when else None,
                "recognised_by": d.how or None,
                "people": d.people,
                "errors": d.errors,
                "warnings": d.warnings,
                "contact": d.contact or None,
            }
            for d in result.departments
        ],
        "call_back": result.callback,
        "superseded": [issue_json(i) for i in result.superseded],
        "unreadable": result.unreadable,
        "skipped": [str(p) for p in result.skipped],
        "output": str(result.output) if result.output else None,
        "sheets": result.sheets,
        "annotated": [str(p) for p in result.annotated],
        "findings": [issue_json(i) for i in issues],
        "exit_code": result.exit_code,
    }


def print_result(console: Console, result: CollectResult, regulation: Regulation) -> None:
    from rich.table import Table
    from rich.text import Text

    from thidua_cli import report

    console.print(Text(f"Kỳ: {result.period.label} ({result.period_source}); quy chế: "
                       f"{regulation.source}"))
    table = Table(title=f"Theo dõi nộp biểu mẫu – {result.folder}", title_justify="left")
    for name, justify in (("Khoa/Phòng", "left"), ("Tình trạng", "left"), ("Lưu lúc", "left"),
                          ("Số người", "right"), ("Lỗi", "right"), ("Cảnh báo", "right"),
                          ("Liên hệ", "left")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for d in result.departments:
        table.add_row(
            Text(d.department),
            Text(STATUS_LABEL[d.status], style=_STATUS_STYLE[d.status]),
            d.when.strftime("%d/%m/%Y %H:%M:%S") if d.when else "",
            str(d.people) if d.submitted else "",
            str(d.errors) if d.submitted or d.errors else "",
            str(d.warnings) if d.submitted else "",
            Text(d.contact.split(", ")[0]),  # the head; --json lists every manager
        )
    console.print(table)
    submitted = sum(1 for d in result.departments if d.submitted)
    console.print(Text(f"Đã nộp {submitted}/{len(result.departments)} khoa/phòng."))
    if result.callback:
        console.print(Text("Cần gọi lại: " + "; ".join(result.callback), style="bold"))
    for i in result.superseded:
        console.print(Text(f"Bỏ bản cũ: {i.file}: {i.message}", style="dim"))
    problems = [i for i in result.issues if i.severity.value in ("error", "warning")
                and i.code != "department-not-submitted"]
    if problems:
        console.print()
        report.print_findings(console, problems, limit=100,
                              more="xem --json hoặc bản đánh dấu (--annotate)")
    for p in result.annotated:
        console.print(Text("Đã ghi bản đánh dấu: ", style="bold green") + Text(str(p)))
    if result.output is not None:
        console.print(Text("Đã ghi bảng tổng hợp: ", style="bold green")
                      + Text(f"{result.output} ({len(result.sheets)} sheet)"))
        if result.exit_code == 0:
            console.print(Text(f"Tiếp theo: thidua score {result.output}"))
