"""The emulation cluster's documents (issue 18), from its result ``thidua.cluster/1``
(``<year>.khoi.json``): the minutes of the cluster's year-end meeting with the vote (Biên bản họp
khối; TT 62/2025/TT-BNNMT Mẫu số 03 "Biên bản họp … cụm, khối thi đua") and the Tờ trình of the
head unit proposing the Cờ thi đua and the Bằng khen to the province's emulation council (the
dossier of the Cờ holds both: domain-law.md §3.3, §8). Pure: the caller passes the parsed JSON.

Kept apart from the hospital's kinds (``docset.KINDS``, built from ``thidua.awards/1``): the two
results are different contracts, and ``render all`` of an awards result never prints these."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from thidua_cli.core import vnformat as fmt
from thidua_cli.core.cluster import fmt_points
from thidua_cli.core.documents.base import head_lines
from thidua_cli.core.documents.lists import recipients
from thidua_cli.core.documents.options import DocumentOptions
from thidua_cli.errors import InputFileError

CLUSTER_KINDS: tuple[str, ...] = ("bien-ban-khoi", "to-trinh-khoi")
CLUSTER_KIND_LABELS: Mapping[str, str] = {
    "bien-ban-khoi": "Biên bản họp khối thi đua (kết quả chấm điểm, biểu quyết)",
    "to-trinh-khoi": "Tờ trình đề nghị tặng Cờ thi đua và Bằng khen cho đơn vị của khối",
}
_ABBR = {"bien-ban-khoi": "BB", "to-trinh-khoi": "TTr"}
_KEYS = ("year", "name", "ranking", "proposals", "ballot", "rotation", "members")
SIGN_BLANK = "……………………"


def check_cluster_result(data: Any, source: str) -> Mapping[str, Any]:
    """The parsed ``thidua.cluster/1`` object, or :class:`InputFileError` (exit 4) naming the
    file: a document is never printed from a result it cannot read whole."""
    if not isinstance(data, Mapping) or data.get("schema") != "thidua.cluster/1":
        raise InputFileError(
            f"{source} không phải kết quả của thidua cluster (schema thidua.cluster/1). Hãy chạy "
            "thidua cluster, lệnh đó ghi <năm>.khoi.json cạnh tệp của khối."
        )
    missing = [k for k in _KEYS if k not in data]
    if missing:
        raise InputFileError(
            f"{source}: kết quả khối thiếu khoá {', '.join(missing)}. Hãy tạo lại tệp bằng thidua "
            "cluster, không sửa tay."
        )
    return data


def _pct(votes: int, members: int) -> str:
    return fmt.percent(votes / members) if members else ""


def cluster_context(data: Mapping[str, Any], opts: DocumentOptions, *, place: str,
                    recipient: str) -> dict[str, Any]:
    """The context both cluster kinds share (each template uses what it needs)."""
    year = int(data["year"])
    name = str(data["name"])
    rotation = data["rotation"]
    head = rotation.get("current") or ""
    ballot = data["ballot"]
    members = int(ballot["members"]) if ballot else len(data["members"])
    when = opts.date
    docs = {}
    for kind, abbr in _ABBR.items():
        parent, issuer = name.upper(), head.upper() if head else "TRƯỞNG KHỐI"
        docs[kind] = {
            "parent": parent,
            "issuer": issuer,
            **head_lines(parent, issuer, issuer),
            "number_text": fmt.doc_number(opts.numbers.get(kind), abbr, "KTĐ"),
            "date_line": fmt.date_line(when, place) if when else fmt.blank_date_line(place, year),
            "date_words": fmt.date_words(when) if when else f"năm {year}",
        }
    ranking = [{
        "stt": i, "rank": r["rank"], "name": r["name"],
        "self_total": fmt_points(Decimal(str(r["self_total"]))),
        "checked_total": fmt_points(Decimal(str(r["checked_total"]))),
        "tie": "bằng điểm" if r["tied_with"] else "",
    } for i, r in enumerate(data["ranking"], 1)]
    result_label = {"proposed": "Đạt", "not_proposed": "Không đạt", "pending": "Chờ khối quyết định"}
    votes: list[dict[str, Any]] = []
    for p in data["proposals"]:
        if p["votes_for"] is None and p["status"] == "not_proposed":
            continue  # not a candidate put to the vote (ranked outside the seats)
        given = p["votes_for"]
        votes.append({
            "stt": len(votes) + 1, "name": p["member"], "proposal": p["title_label"],
            "votes": f"{given}/{members}" if given is not None else "chưa biểu quyết",
            "share": _pct(given, members) if given is not None else "",
            "result": result_label[p["status"]],
            "reasons": "; ".join(r["text"] for r in p["reasons"]),
        })
    flag = [p["member"] for p in data["proposals"]
            if p["title"] == "CO_THI_DUA" and p["status"] == "proposed"]
    bang_khen = [p["member"] for p in data["proposals"]
                 if p["title"] == "BANG_KHEN" and p["status"] == "proposed"]
    pending = [f"{p['member']} ({p['title_label']})" for p in data["proposals"]
               if p["status"] == "pending"]
    parts = []
    if flag:
        parts.append(f"đề nghị tặng Cờ thi đua cho {', '.join(flag)}")
    if bang_khen:
        parts.append(f"đề nghị tặng Bằng khen cho {', '.join(bang_khen)}")
    conclusion = ("Khối thống nhất " + "; ".join(parts) + "." if parts
                  else "Khối chưa có đơn vị đủ điều kiện đề nghị Cờ thi đua, Bằng khen.")
    if pending:
        conclusion += f" Còn chờ khối quyết định: {', '.join(pending)}."
    settings = opts.documents
    signer = settings.signer
    return {
        "year": year,
        "cluster": {"name": name, "head": head, "members_text": f"{members:02d}",
                    "next_head": rotation.get("next") or "chưa xác định",
                    "rotation_reason": rotation.get("reason", "")},
        "docs": docs,
        "meeting": {
            "date_words": fmt.date_words(opts.meeting_date) if opts.meeting_date else "ngày … tháng … năm " + str(year),
            "place": settings.meeting_place or SIGN_BLANK,
            "time": settings.meeting_time or "… giờ …",
            "chair_line": signer or SIGN_BLANK,
            "secretary_line": settings.secretary or SIGN_BLANK,
        },
        "ranking": ranking,
        "votes": votes,
        "conclusion": conclusion,
        "proposal": {
            "recipient": recipient,
            "flag": flag, "bang_khen": bang_khen,
            "flag_text": ", ".join(flag) or "không có",
            "bang_khen_text": ", ".join(bang_khen) or "không có",
            "recipients": recipients(("Như trên", "Các đơn vị thành viên khối"), ""),
        },
        "signer": {"title": "TM. KHỐI THI ĐUA\nTRƯỞNG KHỐI", "name_line": signer or SIGN_BLANK},
    }


def cluster_doc(context: Mapping[str, Any], kind: str) -> dict[str, Any]:
    out = dict(context)
    out["doc"] = context["docs"][kind]
    return out


def sample_cluster_result() -> dict[str, Any]:
    """A small complete result, for checking templates (``templates check``, tests)."""
    reasons = [{"met": True, "text": "dẫn đầu khối với 105 điểm"}]
    return {
        "schema": "thidua.cluster/1", "year": 2026, "name": "Khối thi đua các bệnh viện",
        "members": [{"name": "Bệnh viện A"}, {"name": "Bệnh viện B"}],
        "ranking": [
            {"rank": 1, "name": "Bệnh viện A", "self_total": 106.0, "checked_total": 105.0,
             "tied_with": []},
            {"rank": 2, "name": "Bệnh viện B", "self_total": 99.0, "checked_total": 98.5,
             "tied_with": []}],
        "proposals": [
            {"member": "Bệnh viện A", "title": "CO_THI_DUA", "title_label": "Cờ thi đua",
             "status": "proposed", "votes_for": 2, "reasons": reasons},
            {"member": "Bệnh viện B", "title": "BANG_KHEN", "title_label": "Bằng khen",
             "status": "proposed", "votes_for": 2, "reasons": reasons}],
        "ballot": {"members": 2, "source": "", "flag": {}, "bang_khen": {}},
        "rotation": {"rule": "list", "current": "Bệnh viện A", "next": "Bệnh viện B",
                     "reason": "đơn vị kế tiếp trong danh sách thành viên"},
    }
