"""Presenters for ``thidua awards`` and ``thidua ledger``: Rich tables from the
``thidua.awards/1`` object and the ledger's records. Text from sheets is always a
``rich.text.Text`` (never markup)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from thidua_cli.core.money import format_vnd
from thidua_cli.core.ranking import format_points
from thidua_cli.core.rulesets import HIGHER, LISTING_ORDER, RULESET_2025_07, short_label
from thidua_cli.core.vnformat import dmy, percent

STATUS_LABELS = {
    "approved": "Đạt",
    "proposed": "Đề nghị",
    "rejected": "Không đạt",
    "pending_council": "Chờ Hội đồng",
    "": "—",
}
_ORDER = tuple(dict.fromkeys(code for code, _ in LISTING_ORDER))
_HIGHER = {t.code for t in RULESET_2025_07.titles if t.level == HIGHER}


def print_awards_summary(console: Console, data: Mapping[str, Any]) -> None:
    rs = data["ruleset"]
    console.print(Text(
        f"Năm {data['year']} · ngày quyết định {dmy(data['decision_date'])}"
        + (" (chưa có --decision-date)" if data.get("decision_date_assumed") else "")
        + f" · {rs['name']} · lương cơ sở {format_vnd(data['base_salary'])} đ"
        + (f" ({data['base_salary_basis']})" if data.get("base_salary_basis") else "")
    ))
    council = data.get("council", {})
    if council.get("votes_given"):
        console.print(Text(f"Phiếu bầu: Hội đồng {council.get('members')} thành viên."))
    else:
        console.print(Text("Chưa có phiếu bầu của Hội đồng (--votes): danh sách là đề nghị.",
                           style="yellow"))

    candidates: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for c in data.get("candidates", []):
        candidates.setdefault((c["title"], c["kind"]), []).append(c)
    awards: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for a in data.get("awards", []):
        awards.setdefault((a["title"], a["kind"]), []).append(a)
    table = Table(title="Danh hiệu thi đua, hình thức khen thưởng", title_justify="left")
    for head, justify in (("Danh hiệu", "left"), ("Cấp", "left"), ("Xét", "right"),
                          ("Đủ ĐK", "right"), ("Đạt", "right"), ("Đề nghị", "right"),
                          ("K.đạt", "right"), ("Chờ HĐ", "right"), ("Được chi", "right"),
                          ("Thành tiền", "right")):
        table.add_column(head, justify=justify)  # type: ignore[arg-type]
    keys = sorted(set(candidates) | set(awards),
                  key=lambda k: (_ORDER.index(k[0]) if k[0] in _ORDER else 99, k[1]))
    for k in keys:
        rows = awards.get(k, [])
        cands = candidates.get(k, [])
        count = {s: sum(1 for a in rows if a["status"] == s) for s in STATUS_LABELS}
        paid = [a for a in rows if a.get("paid")]
        table.add_row(
            Text(short_label(*k)),
            Text("Cấp trên" if k[0] in _HIGHER else "BV"),
            str(len(cands)),
            str(sum(1 for c in cands if c.get("eligible"))),
            str(count["approved"]),
            str(count["proposed"]),
            str(count["rejected"]),
            str(count["pending_council"]),
            str(len(paid)),
            format_vnd(sum(a["amount"] for a in paid)),
        )
    console.print(table)
    money = data.get("money", {})
    console.print(Text(f"Tổng tiền thưởng: {format_vnd(money.get('total', 0))} đồng",
                       style="bold"))
    console.print(Text(f"Bằng chữ: {money.get('total_words', '')}"))

    departments = data.get("departments", [])
    if departments:
        def with_title(code: str) -> int:
            return sum(1 for d in departments if code in d.get("titles", []))

        missing = [d["name"] for d in departments if "TTLDTT" not in d.get("titles", [])]
        line = (f"Tập thể: {with_title('TTLDTT')}/{len(departments)} khoa/phòng đủ điều kiện "
                f"TTLĐTT, {with_title('TTLDXS')} TTLĐXS, {with_title('BANG_KHEN_TINH')} Bằng khen "
                "tập thể")
        if missing:
            line += "; chưa đạt TTLĐTT: " + ", ".join(missing)
        console.print(Text(line + " (lý do ở sheet \"Lý do\")."))
    leader = data.get("leader_share", {})
    if leader.get("share_leaders") is not None:
        console.print(Text(
            f"Cá nhân được khen thưởng: {leader['leaders']} lãnh đạo, quản lý và "
            f"{leader['direct_workers']} người lao động trực tiếp (lãnh đạo "
            f"{percent(leader['share_leaders'], 2)})"))
    ties = data.get("ties", [])
    if ties:
        print_ties(console, ties)


def print_ties(console: Console, ties: Sequence[Mapping[str, Any]]) -> None:
    table = Table(title="Bằng nhau ở ranh giới: Hội đồng quyết định", title_justify="left")
    for head in ("Loại", "Danh hiệu", "Nhóm / khoa", "Suất còn", "Những người bằng nhau", "Điểm"):
        table.add_column(head)
    kinds = {"rating": "Trần HTXSNV", "award": "Số suất", "quota": "Chia suất"}
    for t in ties:
        names = ", ".join(f"{n} ({i})" if n != i else n
                          for n, i in zip(t["names"], t["ids"], strict=False))
        total = t.get("total")
        table.add_row(Text(kinds.get(t["kind"], t["kind"])), Text(t["title"]),
                      Text(t.get("scope") or ""), str(t["slots"]), Text(names),
                      "" if total is None else format_points(total))
    console.print(table)


def print_compare(console: Console, changes: Sequence[Any], sets: Sequence[str]) -> None:
    console.print(Text("So sánh với quy chế hiện hành khi đổi: " + ", ".join(sets), style="bold"))
    if not changes:
        console.print(Text("Không ai được thêm hay mất danh hiệu nào."))
        return
    table = Table()
    for head in ("Mã NV / tập thể", "Họ và tên", "Khoa/Phòng", "Danh hiệu / xếp loại", "Trước",
                 "Sau"):
        table.add_column(head)
    for c in changes:
        if c.title == "RATING":
            before, after = c.before or "—", c.after or "—"
        else:
            before = STATUS_LABELS.get(c.before, c.before)
            after = STATUS_LABELS.get(c.after, c.after)
        table.add_row(Text(c.who), Text(c.name), Text(c.department), Text(c.title_label),
                      Text(before), Text(after))
    console.print(table)
    gained = sum(1 for c in changes if c.title != "RATING" and not c.before)
    lost = sum(1 for c in changes if c.title != "RATING" and not c.after)
    console.print(Text(f"{gained} khen thưởng thêm, {lost} khen thưởng mất, "
                       f"{len(changes) - gained - lost} thay đổi trạng thái hoặc xếp loại."))


def print_person_history(console: Console, staff_id: str, ratings: Sequence[Any],
                         awards: Sequence[Any]) -> None:
    name = next((r.name for r in ratings if r.name), None) or next(
        (a.name for a in awards), staff_id)
    console.print(Text(f"Lịch sử thi đua, khen thưởng của {name} ({staff_id})", style="bold"))
    years = sorted({r.year for r in ratings} | {a.year for a in awards})
    table = Table()
    for head in ("Năm", "Xếp loại", "Danh hiệu, khen thưởng", "Quyết định", "Sáng kiến (đã dùng)"):
        table.add_column(head)
    by_year_r = {r.year: r for r in ratings}
    for y in years:
        r = by_year_r.get(y)
        got = [a for a in awards if a.year == y]
        table.add_row(
            str(y),
            Text(r.rating if r and r.rating else "—"),
            Text("; ".join(a.title_label for a in got) or "—"),
            Text("; ".join(f"{a.decision} ngày {a.signed_on:%d/%m/%Y}" for a in got) or "—"),
            f"{r.initiatives} ({r.used})" if r else "—",
        )
    console.print(table)
