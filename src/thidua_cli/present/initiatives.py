"""Presenters for ``thidua initiatives``: what was imported or exported, and the register as
a Rich table or JSON. Text from sheets is always a ``rich.text.Text`` (never markup)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from thidua_cli.core.initiatives import KINDS, LEVELS, Initiative, counts

if TYPE_CHECKING:
    from pathlib import Path

    from thidua_cli.app.initiatives import Exported, Imported, Listed
    from thidua_cli.app.models import ModelsAdded, ModelsReport
    from thidua_cli.core.models import ExemplaryModel


def print_imported(console: Console, done: Imported, file: Path, ledger: Path) -> None:
    years = sorted({i.year_from for i in done.items})
    authors = sum(len(i.authors) for i in done.items)
    console.print(Text(
        f"Đã nhập {len(done.items)} sáng kiến, đề tài ({authors} lượt tác giả; năm "
        f"{', '.join(map(str, years)) or '—'}) từ {file} vào sổ {ledger}.", style="bold green"))


def print_exported(console: Console, done: Exported) -> None:
    console.print(Text(f"Đã xuất {done.items} sáng kiến, đề tài (kèm thống kê theo khoa/phòng, "
                       f"tổ công đoàn, năm và biểu đồ) ra {done.target}.", style="bold green"))


def _authors(item: Initiative) -> str:
    parts = []
    for a in item.authors:
        text = a.name + (f" ({a.staff_id})" if a.staff_id else "")
        if a.share is not None:
            text += " " + format(a.share.normalize(), "f").replace(".", ",") + "%"
        parts.append(text)
    return "; ".join(parts)


def print_list(console: Console, listed: Listed) -> None:
    table = Table(title=f"Sổ sáng kiến, đề tài: {len(listed.items)}/{listed.total}",
                  show_lines=False)
    for head in ("Năm", "Tên sáng kiến, đề tài", "Tác giả", "Khoa/Phòng", "Cấp", "Quyết định",
                 "Đã dùng"):
        table.add_column(head, overflow="fold")
    for i in listed.items:
        decision = i.decision_number + (f" ({i.decision_date:%d/%m/%Y})" if i.decision_date else "")
        used = "; ".join(f"{a.name}: {a.used_by}" for a in i.authors if a.used_by)
        table.add_row(str(i.year_from), Text(i.title), Text(_authors(i)), Text(i.department),
                      i.level_label, Text(decision), Text(used or "—"))
    console.print(table)
    by_level = counts(listed.items, "year").total
    console.print(Text("Theo cấp: " + ", ".join(
        f"{label} {n}" for (_, label), n in zip(LEVELS, by_level, strict=False)) + "."))


def list_json_text(listed: Listed) -> str:
    """``initiatives list --json``: the ``thidua.initiatives/1`` object."""
    w = listed.where
    payload: dict[str, Any] = {
        "schema": "thidua.initiatives/1",
        "filter": {"year": w.year, "department": w.department or None, "level": w.level,
                   "unused": w.unused},
        "total": listed.total,
        "initiatives": [
            {"id": i.id, "code": i.code, "title": i.title, "kind": i.kind,
             "kind_label": KINDS[i.kind], "level": i.level, "level_label": i.level_label,
             "year_from": i.year_from, "year_to": i.year_to, "department": i.department,
             "union_group": i.union_group, "decision_number": i.decision_number,
             "decision_date": i.decision_date.isoformat() if i.decision_date else None,
             "decision_body": i.decision_body, "scope": i.scope, "benefit": i.benefit,
             "authors": [{"name": a.name, "staff_id": a.staff_id or None,
                          "share": None if a.share is None else str(a.share),
                          "used_by": a.used_by or None} for a in i.authors]}
            for i in listed.items
        ],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


# --- exemplary models (thidua initiatives models) -------------------------------------------


def print_models_added(console: Console, done: ModelsAdded, source: Path, ledger: Path) -> None:
    read = f" ({done.rows} dòng)" if done.rows else ""
    console.print(Text(f"Đã ghi vào sổ điển hình tiên tiến {ledger}: {done.models} điển hình mới, "
                       f"{done.places} nơi nhân rộng, từ {source}{read}."))


def print_models(console: Console, items: Sequence[ExemplaryModel]) -> None:
    if not items:
        console.print(Text("Sổ điển hình tiên tiến chưa có điển hình nào (theo bộ lọc)."))
        return
    table = Table(title=f"Điển hình tiên tiến ({len(items)})")
    for head in ("Năm", "Đối tượng", "Cá nhân, tập thể", "Mô hình", "Nhân rộng"):
        table.add_column(head, overflow="fold")
    for m in items:
        places = "; ".join(r.place + (f": {r.result}" if r.result else "")
                           for r in m.replications)
        table.add_row(str(m.year), m.kind_label, Text(m.name), Text(m.model), Text(places))
    console.print(table)


def models_json_text(items: Sequence[ExemplaryModel]) -> str:
    data = {"schema": "thidua.models/1", "models": [
        {"year": m.year, "kind": m.kind, "name": m.name, "staff_id": m.staff_id,
         "department": m.department, "model": m.model, "criteria": m.criteria,
         "replications": [{"place": r.place, "result": r.result} for r in m.replications]}
        for m in items]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def print_models_report(console: Console, done: ModelsReport) -> None:
    s = done.summary
    console.print(Text(f"Đã ghi {done.target}: {s.models} điển hình tiên tiến năm {done.year} "
                       f"({s.individuals} cá nhân, {s.collectives} tập thể), {s.replicated} điển "
                       f"hình đã nhân rộng ở {s.places} nơi."))
