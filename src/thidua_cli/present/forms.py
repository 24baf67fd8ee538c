"""``thidua forms`` presented: the list of forms written (Rich)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

    from thidua_cli.app.forms import FormsResult


def print_forms(console: Console, result: FormsResult) -> None:
    from rich.table import Table
    from rich.text import Text

    from thidua_cli import report

    console.print(Text(f"Kỳ: {result.period.label}; danh sách nhân sự: {result.staff_list}"))
    table = Table(title=f"Biểu mẫu đã ghi vào {result.out_dir}", title_justify="left")
    table.add_column("Khoa/Phòng")
    table.add_column("Số người", justify="right")
    table.add_column("Tệp")
    for f in result.forms:
        table.add_row(Text(f.identity.department), str(f.identity.staff), Text(f.path.name))
    console.print(table)
    console.print(Text(f"{len(result.forms)} biểu mẫu, {result.staff} người. Gửi mỗi khoa/phòng "
                       "tệp của mình; khi nhận về, chép vào một thư mục rồi chạy thidua collect."))
    if result.warnings:
        console.print()
        console.print(Text("Danh sách nhân sự có cảnh báo (biểu mẫu vẫn được ghi):", style="yellow"))
        report.print_findings(console, list(result.warnings), limit=50, more="sửa danh sách nhân sự")
