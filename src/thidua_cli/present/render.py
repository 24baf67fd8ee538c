"""Presenter for ``thidua render``: the table of documents written, and the PDFs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from thidua_cli.app.render import RenderRun


def print_rendered(console: Console, result: RenderRun) -> None:
    table = Table(title=Text(f"Văn bản năm {result.year}"), show_lines=False)
    table.add_column("Loại", no_wrap=True)
    table.add_column("Tệp", overflow="fold")
    table.add_column("Mẫu")
    table.add_column("Số mục", justify="right")
    for doc, path in result.written:
        template = "riêng" if doc.template.origin == "user" else "mặc định"
        table.add_row(Text(doc.kind), Text(str(path)), Text(template), Text(str(doc.items)))
    console.print(table)
    for p in result.pdfs:
        console.print(Text(f"PDF: {p}"))
