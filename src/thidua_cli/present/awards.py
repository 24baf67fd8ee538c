"""Presenters for ``thidua awards`` and ``thidua ledger``: Rich tables and JSON from the
typed awards result and the ledger's records. Text from sheets is always a
``rich.text.Text`` (never markup)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from thidua_cli.core.money import format_vnd
from thidua_cli.core.ranking import format_points
from thidua_cli.core.rulesets import HIGHER, LISTING_ORDER, RULESET_2025_07, short_label
from thidua_cli.core.vnformat import dmy, percent
from thidua_cli.report import is_compact, summary_table

if TYPE_CHECKING:
    from thidua_cli.app.awards import Change
    from thidua_cli.core.awards_result import AwardEntry, AwardsOutcome, CandidateEntry, TieEntry

STATUS_LABELS = {
    "approved": "Đạt",
    "proposed": "Đề nghị",
    "rejected": "Không đạt",
    "pending_council": "Chờ Hội đồng",
    "": "—",
}
_ORDER = tuple(dict.fromkeys(code for code, _ in LISTING_ORDER))
_HIGHER = {t.code for t in RULESET_2025_07.titles if t.level == HIGHER}


def print_awards_summary(console: Console, result: AwardsOutcome) -> None:
    rs = result.ruleset
    console.print(Text(
        f"Năm {result.year} · ngày quyết định {dmy(result.decision_date)}"
        + (" (chưa có --decision-date)" if result.decision_date_assumed else "")
        + f" · {rs.name} · lương cơ sở {format_vnd(result.base_salary or 0)} đ"
        + (f" ({result.base_salary_basis})" if result.base_salary_basis else "")
    ))
    council = result.council
    if council.votes_given:
        console.print(Text(f"Phiếu bầu: Hội đồng {council.members} thành viên."))
    else:
        console.print(Text("Chưa có phiếu bầu của Hội đồng (--votes): danh sách là đề nghị.",
                           style="yellow"))

    candidates: dict[tuple[str, str], list[CandidateEntry]] = {}
    for c in result.candidates:
        candidates.setdefault((c.title, c.kind), []).append(c)
    awards: dict[tuple[str, str], list[AwardEntry]] = {}
    for a in result.awards:
        awards.setdefault((a.title, a.kind), []).append(a)
    table = summary_table(console, "Danh hiệu thi đua, hình thức khen thưởng")
    for head, justify in (("Danh hiệu", "left"), ("Cấp", "left"), ("Xét", "right"),
                          ("Đủ ĐK", "right"), ("Đạt", "right"), ("Đề nghị", "right"),
                          ("K.đạt", "right"), ("Chờ HĐ", "right"), ("Được chi", "right")):
        table.add_column(head, justify=justify)  # type: ignore[arg-type]
    # An amount is never cut ("390.…" at 80 columns): the other columns wrap first.
    table.add_column("Thành tiền", justify="right", no_wrap=True,
                     min_width=11 if is_compact(console) else None)
    keys = sorted(set(candidates) | set(awards),
                  key=lambda k: (_ORDER.index(k[0]) if k[0] in _ORDER else 99, k[1]))
    for k in keys:
        rows = awards.get(k, [])
        cands = candidates.get(k, [])
        count = {s: sum(1 for a in rows if a.status == s) for s in STATUS_LABELS}
        paid = [a for a in rows if a.paid]
        table.add_row(
            Text(short_label(*k)),
            Text("Cấp trên" if k[0] in _HIGHER else "BV"),
            str(len(cands)),
            str(sum(1 for c in cands if c.eligible)),
            str(count["approved"]),
            str(count["proposed"]),
            str(count["rejected"]),
            str(count["pending_council"]),
            str(len(paid)),
            format_vnd(sum(a.amount for a in paid)),
        )
    console.print(table)
    money = result.money
    console.print(Text(f"Tổng tiền thưởng: {format_vnd(money.total or 0)} đồng",
                       style="bold"))
    console.print(Text(f"Bằng chữ: {money.total_words}"))

    departments = result.departments
    if departments:
        def with_title(code: str) -> int:
            return sum(1 for d in departments if code in d.titles)

        missing = [d.name for d in departments if "TTLDTT" not in d.titles]
        line = (f"Tập thể: {with_title('TTLDTT')}/{len(departments)} khoa/phòng đủ điều kiện "
                f"TTLĐTT, {with_title('TTLDXS')} TTLĐXS, {with_title('BANG_KHEN_TINH')} Bằng khen "
                "tập thể")
        if missing:
            line += "; chưa đạt TTLĐTT: " + ", ".join(missing)
        console.print(Text(line + " (lý do ở sheet \"Lý do\")."))
    leader = result.leader_share
    if leader.share_leaders is not None:
        console.print(Text(
            f"Cá nhân được khen thưởng: {leader.leaders} lãnh đạo, quản lý và "
            f"{leader.direct_workers} người lao động trực tiếp (lãnh đạo "
            f"{percent(leader.share_leaders, 2)})"))
    if result.ties:
        print_ties(console, result.ties)
    if result.union:  # [union] enabled (issue 17)
        union = summary_table(console, "Danh hiệu công đoàn (để Ban Chấp hành công đoàn xem xét)")
        for head in ("Mã NV", "Họ và tên", "Danh hiệu", "Căn cứ"):
            union.add_column(head)
        for u in result.union:
            union.add_row(Text(u.staff_id), Text(u.name), Text(u.title_label), Text(u.basis))
        console.print(union)


def print_ties(console: Console, ties: Sequence[TieEntry]) -> None:
    table = Table(title="Bằng nhau ở ranh giới: Hội đồng quyết định", title_justify="left")
    for head in ("Loại", "Danh hiệu", "Nhóm / khoa", "Suất còn", "Những người bằng nhau", "Điểm"):
        table.add_column(head)
    kinds = {"rating": "Trần HTXSNV", "award": "Số suất", "quota": "Chia suất"}
    for t in ties:
        names = ", ".join(f"{n} ({i})" if n != i else n
                          for n, i in zip(t.names, t.ids, strict=False))
        table.add_row(Text(kinds.get(t.kind, t.kind)), Text(t.title),
                      Text(t.scope or ""), str(t.slots), Text(names),
                      "" if t.total is None else format_points(t.total))
    console.print(table)


def awards_json_text(result: AwardsOutcome) -> str:
    """``--json``: the ``thidua.awards/1`` object, as written to ``.de-xuat.json``."""
    return json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n"


def compare_json_text(changes: Sequence[Change], sets: Sequence[str]) -> str:
    """``--compare --json``: the ``thidua.awards-compare/1`` object."""
    payload = {"schema": "thidua.awards-compare/1", "set": list(sets),
               "changes": [c.__dict__ for c in changes]}
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def print_compare(console: Console, changes: Sequence[Change], sets: Sequence[str]) -> None:
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
