"""Presenters for ``thidua publish``: what was posted and written, and who is held."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from thidua_cli.app.publish import Noticed, Reviewed


def print_noticed(console: Console, done: Noticed) -> None:
    p = done.posting
    console.print(Text(
        f"Niêm yết {done.candidates} lượt cá nhân đề nghị khen thưởng năm {done.year}: từ "
        f"{p.start:%d/%m/%Y} đến hết {p.deadline:%d/%m/%Y} ({p.days} ngày làm việc).",
        style="bold green"))
    console.print(Text(f"Đã ghi {done.notice}"))
    console.print(Text(f"Đã ghi {done.sheet} (sổ tiếp nhận ý kiến)"))


def print_reviewed(console: Console, done: Reviewed) -> None:
    console.print(Text(
        f"Tổng hợp {done.comments} ý kiến (niêm yết {done.posting.start:%d/%m/%Y} – "
        f"{done.posting.deadline:%d/%m/%Y}); {len(done.held)} cá nhân tạm dừng xét.",
        style="bold green"))
    if done.held:
        table = Table(title="Tạm dừng xét khen thưởng (NĐ 152/2025/NĐ-CP Điều 4.4)")
        for head in ("Mã NV", "Họ và tên", "Đề nghị", "Lý do"):
            table.add_column(head, overflow="fold")
        for h in done.held:
            table.add_row(Text(h.staff_id), Text(h.name), Text(", ".join(h.titles)),
                          Text("; ".join(f"{c.kind_label}: {c.text}" for c in h.reasons)))
        console.print(table)
    console.print(Text(f"Đã ghi {done.minutes}"))
    console.print(Text(f"Đã ghi {done.final} (danh sách cuối cùng: dùng cho thidua render và "
                       "thidua ledger record)"))
