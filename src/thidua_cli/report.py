"""Presenters shared by the commands: findings (a Rich table, JSON objects), periods and ratings
as JSON. The score result's own presenters are in ``present/score.py``.

Nothing here prints to ``sys.stdout`` by itself: the ``print_*`` functions take a Rich
``Console`` (the CLI passes stdout or stderr; tests pass a recording console). Every text that
comes from a sheet (names, departments, values, messages quoting cells) is handed to Rich as a
``rich.text.Text`` so that "[bold]" typed in a cell is shown as typed, never read as markup.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any

from thidua_cli.issues import display_value
from thidua_cli.model import Issue, Period, Rating, Report, Severity

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

_SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
# Below this width (and in a pipe, where Rich takes 80 columns) a summary table drops its side
# borders and takes short headers, so that names are not wrapped a word a line (issue 13).
COMPACT_BELOW = 100


def summary_table(console: Console, title: str) -> Table:
    """A summary table titled ``title``: boxed on a wide terminal, borderless when narrow."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    if is_compact(console):
        return Table(title=Text(title), title_justify="left", box=box.SIMPLE_HEAD,
                     pad_edge=False, show_edge=False)
    return Table(title=Text(title), title_justify="left")


def is_compact(console: Console) -> bool:
    return console.width < COMPACT_BELOW
_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


# ============================================================================================
# JSON
# ============================================================================================


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


def num_json(value: float | Decimal | None, decimals: int = 2) -> float | None:
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


def print_findings(
    console: Console, issues: Report | Iterable[Issue], limit: int | None = None,
    more: str = "chạy `thidua validate` hoặc thêm --json để xem đủ",
) -> None:
    """A table of findings (Mức, Mã, Ô, Giá trị, Nội dung) grouped by sheet.

    With ``limit``, errors are shown before warnings and the rest is counted in one line that
    says where to see them all (``more``). A table of 20,000 rows takes seconds to lay out and
    helps nobody on a terminal.
    """
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

    if not shown:
        console.print(Text(f"{_findings_title(all_issues).plain} (không hiện ở đây; {more})."))
        return
    files = {i.file for i in all_issues if i.file}
    with_file = len(files) > 1
    if console.width < _TABLE_MIN_WIDTH:
        _print_findings_folded(console, all_issues, shown, with_file)
    else:
        _print_findings_table(console, all_issues, shown, with_file)
    hidden = len(all_issues) - len(shown)
    if hidden:
        console.print(
            Text(
                f"… và {hidden} phát hiện khác không hiện ở đây ({more})."
            )
        )


# Below this width (80- and 100-column terminals, and every pipe to a file, which Rich sees as 80) a
# table of six columns wraps one word per line: each finding is then one heading line and its
# message folded below it (issue 13).
_TABLE_MIN_WIDTH = 110


def _print_findings_folded(console: Console, all_issues: list[Issue], shown: list[Issue],
                           with_file: bool) -> None:
    from rich.padding import Padding
    from rich.text import Text

    console.print(_findings_title(all_issues))
    for issue in shown:
        head = Text(issue.severity.label, style=_SEVERITY_STYLE[issue.severity])
        where = issue.location or ""
        if with_file and issue.file:
            where = f"{issue.file} {where}".strip()
        head += Text(f"  {where}" if where else "") + Text(f"  [{issue.code}]", style="dim")
        console.print(head)
        body = Text(issue.message)
        value = _short_value(issue.value)
        if value:
            body += Text(f" (giá trị: {value})", style="dim")
        console.print(Padding(body, (0, 0, 0, 4)))


def _print_findings_table(console: Console, all_issues: list[Issue], shown: list[Issue],
                          with_file: bool) -> None:
    from rich.table import Table
    from rich.text import Text

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


