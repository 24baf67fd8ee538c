"""Presenter for ``thidua cluster``: Rich tables and the ``thidua.cluster/1`` JSON. Text from
sheets is always a ``rich.text.Text`` (never markup)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from thidua_cli.core.cluster import (
    BANG_KHEN,
    CONDITION_LABELS,
    FLAG,
    STATUS_LABELS,
    fmt_points,
    json_text,
)

if TYPE_CHECKING:
    from thidua_cli.core.cluster import ClusterOutcome


def cluster_json_text(outcome: ClusterOutcome) -> str:
    return json_text(outcome)


def _pct(share: Decimal | None) -> str:
    if share is None:
        return "—"
    return f"{(share * 100).quantize(Decimal('0.1')).normalize():f}".replace(".", ",") + " %"


def print_cluster(console: Console, o: ClusterOutcome) -> None:
    console.print(Text(f"{o.name} · năm {o.year} · {len(o.results)}/{len(o.members)} đơn vị có "
                       f"bảng chấm · chênh lệch đánh dấu khi lớn hơn "
                       f"{fmt_points(o.settings.tolerance)} điểm"))
    table = Table(title="Xếp hạng (theo điểm kiểm tra chéo)", title_justify="left")
    for head, justify in (("Hạng", "right"), ("Đơn vị", "left"), ("Tự chấm", "right"),
                          ("Kiểm tra", "right"), ("Chênh", "right"), ("Tiêu chí lệch", "left")):
        table.add_column(head, justify=justify)  # type: ignore[arg-type]
    for r in o.results:
        rank = f"{r.rank}=" if r.tied_with else str(r.rank)
        lech = ", ".join(f"{d.code} ({fmt_points(d.difference)})" for d in r.flagged)
        table.add_row(rank, Text(r.name), fmt_points(r.self_total), fmt_points(r.checked_total),
                      fmt_points(r.self_total - r.checked_total), Text(lech or "—"))
    console.print(table)

    table = Table(title="Đề nghị khen thưởng của khối", title_justify="left")
    for head in ("Đơn vị", "Đề nghị", "Kết quả", "Lý do"):
        table.add_column(head)
    ranks = {r.name: r.rank for r in o.results}
    for title in (FLAG, BANG_KHEN):
        for d in o.decisions:
            # The Cờ is weighed for the unit(s) ranked first, the Bằng khen for the others.
            if d.title != title or (ranks[d.member] == 1) != (title == FLAG):
                continue
            why = "; ".join(("✓ " if r.met else "✗ " if r.met is False else "? ") + r.text
                            for r in d.reasons)
            table.add_row(Text(d.member), "Cờ thi đua" if title == FLAG else "Bằng khen",
                          STATUS_LABELS[d.status], Text(why))
    console.print(table)
    if o.settings.flag_conditions:
        console.print(Text("Điều kiện Cờ thi đua: " + "; ".join(
            CONDITION_LABELS[c] for c in o.settings.flag_conditions) + "."))

    if o.ratio and o.ratio[-1].leaders + o.ratio[-1].direct:
        limit = o.ratio[-1].limit
        table = Table(title="Lãnh đạo, quản lý / người lao động trực tiếp trong đề nghị khen "
                            "thưởng" + (f" (tối đa {_pct(limit)})" if limit is not None else ""),
                      title_justify="left")
        for head, justify in (("Danh hiệu", "left"), ("Lãnh đạo", "right"),
                              ("Trực tiếp", "right"), ("Tỷ lệ LĐ", "right"), ("Vượt", "left")):
            table.add_column(head, justify=justify)  # type: ignore[arg-type]
        for row in o.ratio:
            over = ", ".join(f"{e.member} ({_pct(e.share)})" for e in row.members if e.exceeds)
            table.add_row(Text(row.title_label), str(row.leaders), str(row.direct),
                          _pct(row.share), Text(("khối; " if row.exceeds else "") + over
                                                if row.exceeds or over else "—"))
        console.print(table)
    rot = o.rotation
    console.print(Text(f"Trưởng khối năm {o.year + 1}: {rot.next or 'chưa xác định'} ({rot.reason})."))
