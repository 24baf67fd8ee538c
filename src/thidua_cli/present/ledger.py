"""Presenters for ``thidua ledger``: what was recorded, imported or exported, and one person's
history as a Rich table or JSON. Text from sheets is always a ``rich.text.Text``."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from thidua_cli.core.rulesets import short_label
from thidua_cli.report import is_compact

if TYPE_CHECKING:
    from pathlib import Path

    from thidua_cli.app.ledger import Exported, Imported, PersonHistory, Recorded

LEDGER_LEGEND = "SK (dùng): số sáng kiến trong năm (số đã dùng để xét danh hiệu)"


def print_recorded(console: Console, done: Recorded, ledger: Path) -> None:
    s = done.summary
    console.print(Text(
        f"Đã ghi quyết định {done.number} ngày {done.signed_on:%d/%m/%Y} (năm {done.year}) vào "
        f"{ledger}: {s.awards} khen thưởng, {s.ratings_added + s.ratings_updated} "
        f"xếp loại năm, {s.initiatives_marked} sáng kiến được đánh dấu đã dùng.",
        style="bold green"))


def print_imported(console: Console, done: Imported, file: Path, ledger: Path) -> None:
    s = done.summary
    console.print(Text(
        f"Đã nhập {file} vào {ledger}: {s.decisions} quyết định, {s.awards} khen thưởng, "
        f"{s.ratings_added + s.ratings_updated} xếp loại năm "
        f"(năm {', '.join(map(str, done.years)) or '—'}).", style="bold green"))


def print_exported(console: Console, done: Exported) -> None:
    console.print(Text(f"Đã xuất {done.decisions} quyết định, {done.awards} khen thưởng, "
                       f"{done.ratings} xếp loại năm ra {done.target}.", style="bold green"))


def person_json_text(history: PersonHistory) -> str:
    """``ledger show --json``: the ``thidua.ledger-person/1`` object."""
    payload = {
        "schema": "thidua.ledger-person/1",
        "staff_id": history.staff_id,
        "ratings": [{"year": r.year, "rating": r.rating, "name": r.name,
                     "department": r.department, "initiatives": r.initiatives, "used": r.used}
                    for r in history.ratings],
        "awards": [{"year": a.record.year, "title": a.record.title,
                    "title_label": a.record.title_label, "decision": a.decision,
                    "signed_on": a.signed_on.isoformat(), "level": a.record.level,
                    "amount": a.record.amount} for a in history.awards],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def print_person_history(console: Console, history: PersonHistory) -> None:
    staff_id, ratings, awards = history.staff_id, history.ratings, history.awards
    name = next((r.name for r in ratings if r.name), None) or next(
        (a.record.name for a in awards), staff_id)
    console.print(Text(f"Lịch sử thi đua, khen thưởng của {name} ({staff_id})", style="bold"))
    years = sorted({r.year for r in ratings} | {a.record.year for a in awards})
    # Narrow (and piped): borderless, short titles ("CSTĐCS; LĐTT") and headers, a legend below.
    compact = is_compact(console)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False) if compact else Table()
    heads = (("Năm", "Xếp loại", "Danh hiệu", "Quyết định", "SK (dùng)") if compact else
             ("Năm", "Xếp loại", "Danh hiệu, khen thưởng", "Quyết định", "Sáng kiến (đã dùng)"))
    for head in heads:
        table.add_column(head)
    by_year_r = {r.year: r for r in ratings}
    for y in years:
        r = by_year_r.get(y)
        got = [a for a in awards if a.record.year == y]
        table.add_row(
            str(y),
            Text(r.rating if r and r.rating else "—"),
            Text("; ".join(short_label(a.record.title, a.record.kind) if compact
                           else a.record.title_label for a in got) or "—"),
            # One decision usually grants several titles: name each decision once (issue 13).
            Text("; ".join(dict.fromkeys(f"{a.decision} ngày {a.signed_on:%d/%m/%Y}"
                                         for a in got)) or "—"),
            f"{r.initiatives} ({r.used})" if r else "—",
        )
    console.print(table)
    if compact:
        console.print(Text(LEDGER_LEGEND, style="dim"))
