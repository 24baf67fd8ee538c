"""Presenter of ``thidua init``: the file written and the next step."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console


def print_written(console: Console, target: Path) -> None:
    """Where the regulation went and the command to run next, with the path as the clerk would
    type it from here (the bare file name when it is in the current folder)."""
    from rich.text import Text

    console.print(Text("Đã ghi tệp quy chế mẫu: ") + Text(str(target), style="bold"))
    here = target.parent.resolve() == Path.cwd().resolve()
    rules = target.name if here else str(target)
    console.print(
        Text(
            "Bước tiếp theo: mở tệp bằng Notepad (hoặc trình soạn thảo văn bản bất kỳ), sửa tên "
            "bệnh viện, danh sách khoa/phòng, tiêu chí và các ngưỡng theo quy chế thi đua của "
            "đơn vị; rồi chạy:"
        )
    )
    console.print(Text(f"  thidua score --rules {_quote(rules)} <bảng-điểm.xlsx>"))


def _quote(path: str) -> str:
    return f'"{path}"' if any(ch.isspace() for ch in path) else path
