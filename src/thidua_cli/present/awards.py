"""Presenters for ``thidua awards`` and ``thidua ledger``: Rich tables and JSON from the
typed awards result and the ledger's records. Text from sheets is always a
``rich.text.Text`` (never markup)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from thidua_cli.core.awards_model import CONFIRM, MET, PENDING, UNMET
from thidua_cli.core.money import format_vnd
from thidua_cli.core.ranking import format_points
from thidua_cli.core.rulesets import HIGHER, LISTING_ORDER, RULESET_2025_07, short_label
from thidua_cli.core.vnformat import dmy, percent
from thidua_cli.report import is_compact, summary_table

if TYPE_CHECKING:
    from thidua_cli.app.awards import Change, Explained
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


# (header on a wide terminal, short header when narrow, justification) after "Danh hiệu".
_AWARDS_COLUMNS = (("Cấp", "Cấp", "left"), ("Xét", "Xét", "right"), ("Đủ ĐK", "Đủ", "right"),
                   ("Đạt", "Đạt", "right"), ("Đề nghị", "ĐN", "right"),
                   ("K.đạt", "KĐ", "right"), ("Chờ HĐ", "Chờ", "right"),
                   ("Được chi", "Chi", "right"))
AWARDS_LEGEND = ("Trên: cấp trên · Xét: số được xét · Đủ: đủ điều kiện · ĐN: đề nghị · "
                 "KĐ: không đạt · Chờ: chờ Hội đồng xét · Chi: số được chi tiền thưởng")
COMPARE_LEGEND = "Mã: mã NV hoặc tập thể · Chờ HĐ: chờ Hội đồng xét"


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
    # Narrow (report.is_compact, and every pipe): short headers with AWARDS_LEGEND underneath,
    # and a title is never wrapped ("Bằng khen tập thể" took four lines at 80 columns).
    compact = is_compact(console)
    table = summary_table(console, "Danh hiệu thi đua, hình thức khen thưởng")
    table.add_column("Danh hiệu", no_wrap=compact)
    for head, short, justify in _AWARDS_COLUMNS:
        table.add_column(short if compact else head, justify=justify)  # type: ignore[arg-type]
    # An amount is never cut ("390.…" at 80 columns): the other columns wrap first.
    table.add_column("Thành tiền", justify="right", no_wrap=True,
                     min_width=11 if compact else None)
    keys = sorted(set(candidates) | set(awards),
                  key=lambda k: (_ORDER.index(k[0]) if k[0] in _ORDER else 99, k[1]))
    for k in keys:
        rows = awards.get(k, [])
        cands = candidates.get(k, [])
        count = {s: sum(1 for a in rows if a.status == s) for s in STATUS_LABELS}
        paid = [a for a in rows if a.paid]
        table.add_row(
            Text(short_label(*k)),
            Text(("Trên" if compact else "Cấp trên") if k[0] in _HIGHER else "BV"),
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
    if compact:
        console.print(Text(AWARDS_LEGEND, style="dim"))
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
    # Narrow: borderless with short headers (the same table as wide otherwise); the names wrap.
    compact = is_compact(console)
    table = summary_table(console, "Bằng nhau ở ranh giới: Hội đồng quyết định")
    heads = (("Loại", "Danh hiệu", "Nhóm/khoa", "Suất", "Người bằng nhau", "Điểm") if compact else
             ("Loại", "Danh hiệu", "Nhóm / khoa", "Suất còn", "Những người bằng nhau", "Điểm"))
    for i, head in enumerate(heads):
        table.add_column(head, no_wrap=compact and i in (0, 3, 5))
    kinds = {"rating": "Trần HTXSNV", "award": "Số suất", "quota": "Chia suất"}
    for t in ties:
        names = ", ".join(f"{n} ({i})" if n != i else n
                          for n, i in zip(t.names, t.ids, strict=False))
        table.add_row(Text(kinds.get(t.kind, t.kind)), Text(t.title),
                      Text(t.scope or ""), str(t.slots), Text(names),
                      "" if t.total is None else format_points(t.total))
    console.print(table)


def awards_json_text(result: AwardsOutcome) -> str:
    """``--json``: the ``thidua.awards/2`` object, as written to ``.de-xuat.json`` (compact)."""
    return result.json_text() + "\n"


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
    # Narrow: no side borders, short titles and headers, codes and statuses never wrapped; a
    # name or a department wraps between words only when it must.
    compact = is_compact(console)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False) if compact else Table()
    heads = (("Mã", "Họ và tên", "Khoa/Phòng", "Danh hiệu", "Trước", "Sau") if compact else
             ("Mã NV / tập thể", "Họ và tên", "Khoa/Phòng", "Danh hiệu / xếp loại", "Trước",
              "Sau"))
    for i, head in enumerate(heads):
        table.add_column(head, no_wrap=compact and i in (0, 3, 4, 5))
    labels = {**STATUS_LABELS, "pending_council": "Chờ HĐ"} if compact else STATUS_LABELS
    for c in changes:
        if c.title == "RATING":  # a rating tied at the cap is the council's: never its code
            before, after = (labels["pending_council"] if v == "PENDING_COUNCIL" else v or "—"
                             for v in (c.before, c.after))
        else:
            before = labels.get(c.before, c.before)
            after = labels.get(c.after, c.after)
        title = short_label(c.title, c.kind) if compact and c.title != "RATING" else c.title_label
        table.add_row(Text(c.who), Text(c.name), Text(c.department), Text(title),
                      Text(before), Text(after))
    console.print(table)
    if compact:
        console.print(Text(COMPARE_LEGEND, style="dim"))
    gained = sum(1 for c in changes if c.title != "RATING" and not c.before)
    lost = sum(1 for c in changes if c.title != "RATING" and not c.after)
    console.print(Text(f"{gained} khen thưởng thêm, {lost} khen thưởng mất, "
                       f"{len(changes) - gained - lost} thay đổi trạng thái hoặc xếp loại."))


_OUTCOMES = {"eligible": "đủ điều kiện", "not_eligible": "chưa đủ điều kiện",
             "pending_council": "chờ Hội đồng xét"}
_MARKS = ((UNMET, "chưa đạt", "red"), (PENDING, "chờ Hội đồng", "magenta"),
          (MET, "đạt", "green"), (CONFIRM, "Hội đồng xác nhận", "yellow"))


def print_awards_explain(console: Console, e: Explained) -> None:
    """``thidua awards --explain MÃ_NV``: step by step, with the article each step rests on,
    how one person's year rating, each title and the money were decided. The reasons are the
    run's own (rendered from their codes by the one catalogue, core/reasons.py)."""
    from decimal import Decimal

    from thidua_cli.core.yearly import quarter_label
    from thidua_cli.model import Rating

    console.print(Text(f"{e.name} – mã NV {e.staff_id} – {e.department}", style="bold"))
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column()
    step = 0

    def add(rule: str, detail: str | Text, basis: str = "") -> None:
        nonlocal step
        step += 1
        body = Text()
        body.append(rule, style="bold")
        body.append(": ")
        body.append(detail)
        if basis:
            body.append("\nCăn cứ: " + basis, style="dim")
        grid.add_row(Text(f"{step}."), body)

    q = e.quarters
    if q is not None:
        shown = " · ".join(
            f"{quarter_label(m.quarter)} {format_points(m.total)} "
            f"({'chờ Hội đồng' if m.rating is Rating.PENDING_COUNCIL else m.rating.value})"
            for m in q.quarters) or "không có quý nào"
        if q.missing:
            shown += " · vắng " + ", ".join(quarter_label(n) for n in q.missing)
        mean = format_points(q.mean_total) if q.mean_total is not None else "không tính được"
        add("Điểm các quý", f"{shown}. Điểm năm (bình quân các quý được xếp loại) = {mean}.",
            "quy chế (awards.rollup)")
    if e.excluded is not None:
        add("Không xét ở đơn vị này", f"{e.excluded.reason}: {e.excluded.detail}".strip(": "),
            "NĐ 90/2020/NĐ-CP Điều 20.1")
    if e.rating is not None:
        for s in e.rating.steps:
            add(f"Xếp loại năm – {s.rule}", s.detail, s.basis)
        if not e.rating.steps:
            r = e.rating.rating
            add("Xếp loại năm", f"{r.label} ({r.value})")
    for c in e.candidates:
        body = Text(_OUTCOMES.get(c.outcome, c.outcome),
                    style="green" if c.outcome == "eligible" else "")
        for status, label, style in _MARKS:
            for x in c.conditions:
                if x.status == status:
                    body.append("\n  • ")
                    body.append(f"[{label}] ", style=style)
                    body.append(x.text)
        add(f"Danh hiệu {short_label(c.title)}", body)
    for a in e.awards:
        status = STATUS_LABELS.get(a.status, a.status)
        if a.level == HIGHER:
            add(f"Tiền thưởng – {a.title_label}",
                f"{status}; khen thưởng cấp trên: cấp quyết định chi tiền thưởng.", a.basis)
            continue
        detail = f"{status}; hệ số {a.coefficient.replace('.', ',')}"
        if e.base_salary:
            detail += (f" × lương cơ sở {format_vnd(e.base_salary)} đ"
                       + (f" ({e.base_salary_basis})" if e.base_salary_basis else ""))
            product = Decimal(a.coefficient or "0") * e.base_salary
            detail += f" = {format_vnd(product)} đ"
            if product != a.amount:
                detail += f", làm tròn lên {format_vnd(a.amount)} đ (NĐ 152/2025/NĐ-CP Điều 49.2)"
        detail += "; " + ("được chi" if a.paid else "không chi")
        if a.note:
            detail += f": {a.note}"
        add(f"Tiền thưởng – {a.title_label}", detail + ".", a.basis)
    console.print(grid)
