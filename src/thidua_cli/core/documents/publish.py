"""The contexts of the posting documents (issue 17), two kinds of their own beside the award
documents of ``kinds.py`` (rendered by ``thidua publish``, not by ``render``):

- ``thong-bao-cong-khai``: Thông báo công khai — the candidates, each with the title proposed
  and the by-criteria result, the posting start and the comment deadline in working days;
- ``bien-ban-y-kien``: Biên bản tổng hợp ý kiến — every comment received and how it was
  answered, the candidates held (ND 152/2025 Điều 4.4) and the final list.

Layout and header as every other document (ND 30/2020, Phụ lục I): ``doc`` carries the
issuer, the number ("…/TB-BV" blank for the văn thư) and the date line. Pure module.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from thidua_cli.core import vnformat as fmt
from thidua_cli.core.awards_result import AwardsOutcome
from thidua_cli.core.documents.base import head_lines, letterhead
from thidua_cli.core.documents.lists import clean_text
from thidua_cli.core.publish import (
    BASIS,
    Comment,
    Held,
    Posting,
    criteria_result,
    final_list,
    posted,
)

NOTICE = "thong-bao-cong-khai"
MINUTES = "bien-ban-y-kien"
PUBLISH_KINDS = (NOTICE, MINUTES)
_ABBR = {NOTICE: "TB", MINUTES: "BB"}


def _doc(kind: str, org: Mapping[str, str], day: date) -> dict[str, Any]:
    return {
        "kind": kind,
        "parent": org["parent"],
        "issuer": org["name"],
        **head_lines(org["parent"], org["name"], org["name"]),
        "number_text": fmt.doc_number(None, _ABBR[kind], org["abbreviation"]),
        "date_line": fmt.date_line(day, org["place"]),
        "dmy": fmt.dmy(day),
    }


def _groups(outcome: AwardsOutcome, skip: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    """The posted candidates by title (but ``skip``: staff IDs held), in the result's order;
    STT restarts in each group."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for a in posted(outcome):
        if (a.staff_id or "") in skip:
            continue
        rows = groups.setdefault(a.title_label, [])
        rows.append({
            "stt": len(rows) + 1,
            "name": clean_text(a.name),
            "staff_id": a.staff_id or "",
            "position": clean_text(a.position),
            "department": clean_text(a.department),
            "result": criteria_result(outcome, a),
            "status": a.status,
        })
    return [{"title": t, "rows": rows, "count": len(rows)} for t, rows in groups.items()]


def notice_context(outcome: AwardsOutcome, posting: Posting) -> dict[str, Any]:
    org = letterhead(outcome.organisation)
    groups = _groups(outcome)
    return {
        "year": outcome.year,
        "org": org,
        "doc": _doc(NOTICE, org, posting.start),
        "groups": groups,
        "count_total": sum(g["count"] for g in groups),
        "posting": {
            "start": fmt.dmy(posting.start),
            "deadline": fmt.dmy(posting.deadline),
            "days": posting.days,
            "days_text": f"{posting.days:02d}",
        },
        "basis": BASIS,
    }


def minutes_context(outcome: AwardsOutcome, posting: Posting, comments: Sequence[Comment],
                    held: Sequence[Held], day: date) -> dict[str, Any]:
    org = letterhead(outcome.organisation)
    names = {a.staff_id: a.name for a in outcome.awards if a.staff_id}
    rows = [{
        "stt": n,
        "by": clean_text(c.by) or "(không ghi)",
        "about": clean_text(names.get(c.about, c.about)),
        "staff_id": c.about,
        "kind": c.kind_label,
        "text": clean_text(c.text),
        "received": fmt.dmy(c.received) if c.received else "",
        "late": bool(c.received and c.received > posting.deadline),
        "answer": clean_text(c.answer) or "(chưa giải quyết)",
        "state": "Đã giải quyết" if c.resolved else (
            "Chưa giải quyết – tạm dừng xét" if c.holds else "Đã tiếp thu"),
    } for n, c in enumerate(comments, start=1)]
    final = _groups(final_list(outcome, held), frozenset(h.staff_id for h in held))
    return {
        "year": outcome.year,
        "org": org,
        "doc": _doc(MINUTES, org, day),
        "posting": {"start": fmt.dmy(posting.start), "deadline": fmt.dmy(posting.deadline),
                    "days": posting.days},
        "comments": rows,
        "count_comments": len(rows),
        "held": [{"stt": n, "name": clean_text(h.name), "staff_id": h.staff_id,
                  "titles": ", ".join(h.titles),
                  "reasons": "; ".join(f"{c.kind_label}: {clean_text(c.text)}" for c in h.reasons)}
                 for n, h in enumerate(held, start=1)],
        "count_held": len(held),
        "groups": final,
        "count_final": sum(g["count"] for g in final),
        "basis": BASIS,
    }


def sample_context(kind: str, outcome: AwardsOutcome) -> dict[str, Any]:
    """A context of ``kind`` with every section filled, for ``thidua templates check``: a
    five-day posting from the decision date, and one open complaint about the first
    candidate (so the held list is not empty)."""
    start = outcome.decision_date
    posting = Posting(start, start, 5)
    first = next((a.staff_id for a in posted(outcome) if a.staff_id), "")
    comments = [Comment(first, "khieu-nai", "Nội dung khiếu nại mẫu", by="Người góp ý mẫu",
                        received=start)]
    if kind == NOTICE:
        return notice_context(outcome, posting)
    from thidua_cli.core.publish import holds

    return minutes_context(outcome, posting, comments, holds(outcome, comments), start)
