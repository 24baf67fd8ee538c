"""``thidua validate`` presented: the Rich report for people and the ``--json`` document
(schema thidua.validate/1, documented in the README section "validate")."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

    from thidua_cli.app.validate import FileResult, ValidationResult
    from thidua_cli.model import Regulation

SCHEMA = "thidua.validate/1"

_STATUS_LABEL = {
    "ok": "Đạt",
    "warnings": "Có cảnh báo",
    "errors": "Có lỗi",
    "unreadable": "Không đọc được",
}
_STATUS_STYLE = {"ok": "green", "warnings": "yellow", "errors": "bold red",
                 "unreadable": "bold red"}


# --------------------------------------------------------------------------------------------
# JSON (schema thidua.validate/1, documented in the README section "validate")
# --------------------------------------------------------------------------------------------


def result_json(result: ValidationResult, regulation: Regulation) -> dict[str, Any]:
    from thidua_cli import __version__
    from thidua_cli.report import issue_json, period_json

    issues = result.issues
    return {
        "schema": SCHEMA,
        "tool_version": __version__,
        "regulation": {"source": regulation.source, "sha256": regulation.sha256},
        "period": period_json(result.period),
        "period_source": result.period_source,
        "ratings_checked": result.ratings_checked,
        "expected_departments": {
            "source": result.expected_source,
            "names": list(result.expected_departments),
        },
        "summary": {
            "files": len(result.files),
            "files_ok": result.count("ok"),
            "files_with_warnings": result.count("warnings"),
            "files_with_errors": result.count("errors"),
            "files_unreadable": result.count("unreadable"),
            "people": sum(f.people for f in result.files),
            "errors": sum(1 for i in issues if i.severity.value == "error"),
            "warnings": sum(1 for i in issues if i.severity.value == "warning"),
            "notes": sum(1 for i in issues if i.severity.value == "info"),
        },
        "files": [
            {
                "file": f.name,
                "format": f.format,
                "status": f.status,
                "people": f.people,
                "sheets": f.sheets,
                "errors": f.errors,
                "warnings": f.warnings,
                "annotated": str(f.annotated.path) if f.annotated else None,
                "annotated_values_only": f.annotated.values_only if f.annotated else None,
            }
            for f in result.files
        ],
        "skipped": [str(p) for p in result.skipped],
        "findings": [issue_json(i) for i in issues],
        "exit_code": result.exit_code,
    }


# --------------------------------------------------------------------------------------------
# Rich
# --------------------------------------------------------------------------------------------


# At most this many rows of findings on the terminal (per file, and for the whole run); the
# rest is counted, and --json and the marked copies hold every one. 20,000 findings took
# seconds to lay out as a table.
SHOWN_PER_FILE = 100
SHOWN_FINDINGS = 300
_MORE = "xem --json hoặc bản đánh dấu (--annotate)"


def print_result(console: Console, result: ValidationResult, regulation: Regulation,
                 *, annotate_asked: bool = False) -> None:
    from rich.text import Text

    from thidua_cli import report

    period = (f"{result.period.label} ({result.period_source})" if result.period
              else "không xác định (chưa so cột Xếp loại; thêm --period)")
    console.print(Text(f"Kỳ: {period}; quy chế: {regulation.source}"))
    if result.expected_source:
        console.print(Text(f"Danh sách khoa/phòng phải nộp: {len(result.expected_departments)} "
                           f"(theo {result.expected_source})"))
    budget = SHOWN_FINDINGS  # rows of findings on the terminal for the whole run
    for f in result.files:
        console.print()
        console.print(_file_heading(f))
        if f.issues:
            limit = min(budget, SHOWN_PER_FILE)
            report.print_findings(console, f.issues, limit=limit, more=_MORE)
            budget -= min(limit, len(f.issues))
        if f.annotated is None and f.status == "ok" and annotate_asked:
            console.print(Text("Không có lỗi hay cảnh báo: không cần bản đánh dấu.", style="dim"))
        if f.annotated is not None:
            line = Text("Đã ghi bản đánh dấu: ", style="bold green") + Text(str(f.annotated.path))
            if f.annotated.note:
                line += Text(f" ({f.annotated.note})")
            console.print(line)
    missing = [i for i in result.general if i.code == "department-not-submitted"]
    others = [i for i in result.general if i.code != "department-not-submitted"]
    if others:
        console.print()
        console.print(Text("Chung cho các tệp", style="bold"))
        report.print_findings(console, others, limit=max(budget, SHOWN_PER_FILE), more=_MORE)
    if missing:
        # One line for the clerk (the JSON keeps one finding per department).
        names = [str(i.value) for i in missing]
        console.print()
        console.print(
            Text(f"Chưa nộp ({len(missing)}/{len(result.expected_departments)} khoa/phòng theo "
                 f"{result.expected_source}): ", style="bold yellow")
            + Text(", ".join(names) + ".")
        )
    console.print()
    console.print(_summary_table(result))
    console.print(_totals_line(result))


def _file_heading(f: FileResult) -> Any:
    from rich.text import Text

    line = Text(f.name, style="bold")
    if f.unreadable:
        return line + Text(" — không đọc được", style=_STATUS_STYLE["unreadable"])
    line += Text(f" — {f.people} người, {f.sheets} sheet: ")
    if f.status == "ok":
        return line + Text("không có lỗi hay cảnh báo nào.", style=_STATUS_STYLE["ok"])
    parts = []
    if f.errors:
        parts.append(f"{f.errors} lỗi")
    if f.warnings:
        parts.append(f"{f.warnings} cảnh báo")
    notes = len(f.issues) - f.errors - f.warnings
    if notes:
        parts.append(f"{notes} thông tin")
    return line + Text(", ".join(parts) + ".", style=_STATUS_STYLE[f.status])


def _summary_table(result: ValidationResult) -> Any:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text("Tóm tắt theo tệp"), title_justify="left")
    table.add_column("Tệp", overflow="fold")
    table.add_column("Người", justify="right")
    table.add_column("Lỗi", justify="right")
    table.add_column("Cảnh báo", justify="right")
    table.add_column("Kết quả")
    for f in result.files:
        table.add_row(
            Text(f.name),
            Text("" if f.unreadable else str(f.people)),
            Text(str(f.errors)),
            Text(str(f.warnings)),
            Text(_STATUS_LABEL[f.status], style=_STATUS_STYLE[f.status]),
        )
    return table


def _totals_line(result: ValidationResult) -> Any:
    from rich.text import Text

    n = len(result.files)
    parts = [f"{result.count('ok')} đạt", f"{result.count('warnings')} chỉ có cảnh báo",
             f"{result.count('errors')} có lỗi"]
    if result.count("unreadable"):
        parts.append(f"{result.count('unreadable')} không đọc được")
    general_errors = sum(1 for i in result.general if i.severity.value == "error")
    general_warnings = sum(1 for i in result.general if i.severity.value == "warning")
    line = Text(f"Tổng cộng {n} tệp: " + ", ".join(parts) + ".", style="bold")
    if general_errors or general_warnings:
        line += Text(f" Chung: {general_errors} lỗi, {general_warnings} cảnh báo.")
    code = result.exit_code
    verdict = {
        0: ("Không có lỗi phải sửa.", "bold green"),
        1: ("Có lỗi phải sửa trước khi chấm điểm (mã thoát 1).", "bold red"),
        4: ("Có tệp không đọc được (mã thoát 4); các tệp khác vẫn được kiểm tra ở trên.",
            "bold red"),
    }[code]
    return line + Text(" ") + Text(verdict[0], style=verdict[1])
