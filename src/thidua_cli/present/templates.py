"""Presenters of ``thidua templates``: the files exported, a template's problems, the list."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

    from thidua_cli.app.templates import CheckOutcome, TemplateListing


def print_exported(out: Console, err: Console, folder: Path, written: Sequence[Path]) -> None:
    """The files written (stdout, one a line, for scripts) and what to do next (stderr)."""
    from rich.text import Text

    for path in written:
        out.print(Text(str(path)))
    err.print(
        Text(
            f"Đã chép {len(written)} mẫu vào {folder}. Sửa bằng Word (giữ nguyên các thẻ {{{{ … }}}} và "
            "{% … %}), kiểm tra bằng: thidua templates check <tệp>, rồi dùng: thidua render all "
            f"--from <kết quả> --templates {folder}"
        )
    )


def print_check(out: Console, err: Console, outcome: CheckOutcome) -> None:
    """"usable" in one line, or a table of problems with their fixes and the counts."""
    from rich.table import Table
    from rich.text import Text

    file, chosen, result = outcome.file, outcome.kind, outcome.check
    if not result.problems:
        out.print(Text(f"{file}: mẫu dùng được (loại {chosen}, {len(result.variables)} biến đều có)."))
        return
    table = Table(title=Text(f"Kiểm tra mẫu {file} (loại {chosen})"), show_lines=True)
    table.add_column("Mức")
    table.add_column("Vị trí")
    table.add_column("Vấn đề")
    table.add_column("Cách sửa")
    for p in result.problems:
        level = Text("Lỗi", style="red") if p.severity == "error" else Text("Cảnh báo", style="yellow")
        table.add_row(level, Text(p.where), Text(p.message), Text(p.fix))
    out.print(table)
    err.print(Text(f"{outcome.errors} lỗi, {outcome.warnings} cảnh báo."))


def print_listing(out: Console, listing: TemplateListing) -> None:
    from rich.table import Table
    from rich.text import Text

    user_dir = listing.user_dir
    title = f"Mẫu riêng trong {user_dir}, còn lại mẫu mặc định" if user_dir else "Mẫu mặc định"
    table = Table(title=Text(title))
    table.add_column("Loại", no_wrap=True)
    table.add_column("Văn bản")
    table.add_column("Tệp mẫu", no_wrap=True)
    table.add_column("Nguồn", no_wrap=True)
    for e in listing.entries:
        table.add_row(Text(e.kind), Text(e.label), Text(e.file_name),
                      Text("riêng" if e.user else "mặc định"))
    out.print(table)
