"""One context builder per document kind. Each returns the part of the context its kind adds
(and the findings only that kind prints); ``build.py`` joins the parts, so that a hospital's
template of one kind may still use what another kind's builder provides."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from thidua_cli.core import vnformat as fmt
from thidua_cli.core.documents.base import Base
from thidua_cli.core.documents.certificates import blank_pages, field_texts
from thidua_cli.core.documents.lists import (
    bases,
    before_vote,
    count_text,
    counts_of,
    higher_request,
    list_votes,
    mark_notes,
    money_basis,
    recipients,
    secret_titles,
    summary,
    vote_rows,
)
from thidua_cli.core.rulesets import RULESETS
from thidua_cli.errors import UsageError
from thidua_cli.issues import make_issue
from thidua_cli.model import Issue


@dataclass(frozen=True)
class Part:
    """What one kind's builder adds: context keys (``council`` is merged key by key, as the
    minutes and the tally report share it), and findings printed only with that kind."""

    context: Mapping[str, Any]
    findings: tuple[Issue, ...] = field(default=())


# A signature without a name is printed as a line to fill in by hand, never as an empty name
# (issue 12); ``render`` says which settings would fill it.
SIGN_BLANK = "……………………"


def _signer(base: Base) -> tuple[dict[str, str], tuple[Issue, ...]]:
    """The signer of the decision, the certificates and the Tờ trình lên cấp trên."""
    settings = base.opts.documents
    name = settings.signer
    signer = {
        "title": settings.signer_title or base.org["director_title"],
        "name": name,
        "name_line": name or SIGN_BLANK,
    }
    if name:
        return signer, ()
    return signer, (make_issue(
        "documents-signature-blank", value=SIGN_BLANK, role="người ký",
        setting="documents.signer hoặc --signer",
        documents="Quyết định, Giấy khen và Tờ trình lên cấp trên",
    ),)


def quyet_dinh(base: Base) -> Part:
    """The decision and its list: trích yếu, Căn cứ, Điều 1–3, Nơi nhận, the signer."""
    org = base.org
    settings = base.opts.documents
    doc = base.docs["quyet-dinh"]
    decision = {
        "number": doc["number"],
        "number_text": doc["number_text"],
        "date_words": doc["date_words"],
        "date_line": doc["date_line"],
        "dmy": doc["dmy"],
        "summary": summary(base.groups, base.year),
        "authority": base.director_line.upper(),
        "article_1": f"{base.sentence} (có danh sách kèm theo)." if base.sentence else "",
        "attachment_line": (
            f"(Kèm theo Quyết định số {doc['number_text']} {doc['date_words']} "
            f"của {base.issuer_phrase})"
        ),
        "article_2": (
            "Mỗi cá nhân, tập thể có tên tại Điều 1 được thưởng theo mức quy định tại "
            f"{money_basis(base.legal, base.outcome.ruleset.name)} (chi tiết tại danh sách kèm theo). "
            f"Kinh phí khen thưởng trích từ Quỹ thi đua, khen thưởng của {org['short_name']}."
        ),
        "article_3": (
            f"Quyết định này có hiệu lực kể từ ngày ký. Trưởng {base.office_lc}, "
            "Trưởng phòng Tài chính kế toán, Trưởng các khoa, phòng và các cá nhân, tập thể có tên tại "
            "Điều 1 chịu trách nhiệm thi hành Quyết định này./."
        ),
    }
    signer, findings = _signer(base)
    return Part({
        "decision": decision,
        "bases": bases(base.legal, base.opts, base.meeting_words, org),
        "proposal_line": f"Theo đề nghị của Trưởng {base.office_lc}.",
        "recipients": recipients(settings.recipients, org["personnel_abbreviation"]),
        "signer": signer,
    }, findings + _bases_blank(base))


def _bases_blank(base: Base) -> tuple[Issue, ...]:
    """The Căn cứ lines printed with blanks because the regulation does not declare them."""
    settings = base.opts.documents
    missing = [(key, what) for key, what in (
        ("documents.authority_basis", "văn bản quy định chức năng, nhiệm vụ, cơ cấu tổ chức của bệnh viện"),
        ("documents.regulation_basis", "quyết định ban hành Quy chế thi đua, khen thưởng của bệnh viện"),
    ) if not getattr(settings, key.split(".")[1]).strip()]
    return tuple(make_issue("documents-basis-blank", setting=key, what=what) for key, what in missing)


def to_trinh(base: Base) -> Part:
    """The personnel office's Tờ trình to the director."""
    office = base.org["personnel_office"]
    title = "TRƯỞNG PHÒNG" if office.casefold().startswith("phòng") else "TRƯỞNG ĐƠN VỊ"
    name = base.opts.documents.office_head
    findings = () if name else (make_issue(
        "documents-signature-blank", value=SIGN_BLANK, role="trưởng phòng ký Tờ trình",
        setting="documents.office_head", documents="Tờ trình",
    ),)
    return Part({
        "proposal": {
            "recipient": base.issuer_phrase,
            "request": base.request,
            "recipients": recipients(("Như trên",), base.org["personnel_abbreviation"]),
        },
        "office_head": {"title": title, "name": name, "name_line": name or SIGN_BLANK},
    }, findings + _bases_blank(base))


def to_trinh_cap_tren(base: Base) -> Part:
    """The hospital's Tờ trình proposing higher-level awards."""
    groups = base.higher_groups
    recipient = base.opts.documents.higher_recipient or base.org["parent_sentence"] or fmt.BLANK
    legend = mark_notes(groups)
    return Part({
        "higher": {
            "note_legend": legend,
            **count_text(groups),
            "recipient": recipient,
            "groups": groups,
            "counts": counts_of(groups),
            "count_total": sum(g["count"] for g in groups),
            "count_individuals": sum(g["count"] for g in groups if not g["collective"]),
            "count_collectives": sum(g["count"] for g in groups if g["collective"]),
            "request": higher_request(groups),
            "total": fmt.thousands(base.higher_total),
            "recipients": recipients(("Như trên",), base.org["personnel_abbreviation"]),
        },
    }, _signer(base)[1] + _bases_blank(base))


def _absent_entry(text: str) -> tuple[str, str]:
    """``--absent "Vũ Văn Vắng: đi công tác"``: the name, and the reason after a colon."""
    name, _, reason = text.partition(":")
    return name.strip(), reason.strip()


def _members(base: Base) -> tuple[list[Any], list[tuple[Any, str]]]:
    """The council members present and absent (each with the reason given, "" when none);
    raises :class:`UsageError` for an absent name that is not a member."""
    settings = base.opts.documents
    reasons = dict(_absent_entry(a) for a in base.opts.absent)
    member_names = {m.name for m in settings.council_members}
    unknown_absent = [n for n in reasons if n not in member_names]
    if unknown_absent and not member_names:
        # issue 13: the shipped regulation names no members; say so rather than "not a member".
        raise UsageError(
            "Quy chế chưa có danh sách thành viên Hội đồng (khoá documents.council_members đang "
            "trống) nên không biết ai vắng: " + ", ".join(unknown_absent) + ". Hãy ghi các thành "
            "viên vào mục [documents] của quy chế, ví dụ: council_members = [{ name = \"Trần Văn "
            "Giám\", role = \"Giám đốc – Chủ tịch Hội đồng\" }], rồi chạy lại; hoặc bỏ --absent."
        )
    if unknown_absent:
        raise UsageError(
            "Không có trong danh sách thành viên Hội đồng (documents.council_members của quy chế): "
            + ", ".join(unknown_absent) + ". Hãy viết đúng họ tên như trong quy chế (lý do vắng mặt, "
            "nếu có, ghi sau dấu hai chấm: --absent \"Họ tên: lý do\")."
        )
    present = [m for m in settings.council_members if m.name not in reasons]
    absent = [(m, reasons[m.name]) for m in settings.council_members if m.name in reasons]
    return present, absent


def _with_post(name: str, base: Base) -> str:
    """A name with its post in the council ("Trần Văn Giám – Giám đốc, Chủ tịch Hội đồng"), as
    minutes name the chair and the secretary; the name alone when the council list has no role."""
    for m in base.opts.documents.council_members:
        if m.name == name and m.role:
            return f"{name} – {m.role}"
    return name


# Minutes give the time to the minute; an unknown time is a line to fill in by hand.
TIME_BLANK = "… giờ … phút"


def _clock(text: str) -> str:
    """"8:30" or "08 giờ 30" as "08 giờ 30 phút"; other wording as written; "" as a blank."""
    text = text.strip()
    m = re.fullmatch(r"(\d{1,2})\s*(?:[:hH]|giờ)\s*(\d{1,2})?\s*(?:phút)?", text)
    if m:
        return f"{int(m.group(1)):02d} giờ {int(m.group(2) or 0):02d} phút"
    return text or TIME_BLANK


def _title_label(base: Base, code: str) -> str:
    """A title's name as official text reads it: never its code ("CSTD_TINH"). From the
    result's awards, else from the rule set the awards stage applied."""
    for a in base.awards:
        if a.title == code:
            return a.title_label
    rulesets = [r for r in RULESETS if r.code == base.outcome.ruleset.code] or list(RULESETS[-1:])
    for spec in rulesets[0].titles:
        if spec.code == code:
            return spec.label
    return code


def _above_half_strict(base: Base) -> bool:
    """The regulation's ``[council] above_half_strict`` as the awards run recorded it (results
    without the settings block: False, the wording "từ 50% trở lên")."""
    council = base.outcome.settings.get("council")
    return isinstance(council, Mapping) and council.get("above_half_strict") is True


def bien_ban(base: Base) -> Part:
    """The council's minutes: when and where to the minute, who met (present, absent with the
    reason), the chair and the secretary with their posts, the thresholds, the secret-ballot
    proposals one by one, the lists passed as a whole as one line each, the conclusion."""
    settings = base.opts.documents
    present_names, absent_names = _members(base)
    present = len(present_names) if settings.council_members else None
    strict = _above_half_strict(base)
    thresholds_list = []
    for t, v in base.outcome.council.thresholds.items():
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            continue
        share = fmt.percent(v, 0)
        # "quá bán": with above_half_strict a share of exactly one half needs MORE than half
        # (5 of 10 fails), so the minutes must not say "từ 50% trở lên" (issue 12).
        need = "quá bán (trên 50%)" if strict and v == 0.5 else f"từ {share} trở lên"
        thresholds_list.append({"title": t, "label": _title_label(base, t), "share": share, "need": need})
    chair = settings.chair or settings.signer
    conclusion_parts = []
    if base.request:
        conclusion_parts.append(
            f"Hội đồng thống nhất đề nghị {base.issuer_phrase} {base.request} (có danh sách kèm theo)"
        )
    higher = higher_request(base.higher_groups)
    if higher:
        conclusion_parts.append(f"đề nghị cấp trên xét khen thưởng: {higher}")
    secret = secret_titles(base.awards, settings.ballot_titles)
    council = {
        "members": base.members,
        "members_text": str(base.members) if base.members else fmt.BLANK,
        "member_list": [{"name": m.name, "role": m.role} for m in settings.council_members],
        "present_list": [{"name": m.name, "role": m.role} for m in present_names],
        "absent_list": [{"name": m.name, "role": m.role, "reason": why or fmt.BLANK}
                        for m, why in absent_names],
        "present": present,
        "present_text": str(present) if present is not None else fmt.BLANK,
        "absent_text": str(len(absent_names)) if present is not None else fmt.BLANK,
        "chair": chair,
        "chair_text": _with_post(chair, base) if chair else SIGN_BLANK,
        "chair_line": chair or SIGN_BLANK,
        "secretary": settings.secretary,
        "secretary_text": _with_post(settings.secretary, base) if settings.secretary else SIGN_BLANK,
        "secretary_line": settings.secretary or SIGN_BLANK,
        "meeting_place": settings.meeting_place or f"{fmt.BLANK}, {base.org['name_sentence']}",
        "meeting_time": _clock(settings.meeting_time),
        "end_time": TIME_BLANK,
        "meeting_date_words": base.meeting_words,
        "thresholds": thresholds_list,
        "thresholds_text": "; ".join(f"{t['label']} {t['need']}" for t in thresholds_list) or fmt.BLANK,
        "conclusion": (
            "; ".join(conclusion_parts) + "."
            if conclusion_parts
            else "Không có cá nhân, tập thể nào đạt tỷ lệ phiếu đồng ý cần thiết."
        ),
    }
    findings = []
    if not chair:
        findings.append(make_issue(
            "documents-signature-blank", value=SIGN_BLANK, role="chủ trì cuộc họp Hội đồng",
            setting="documents.chair, hoặc documents.signer / --signer", documents="Biên bản họp",
        ))
    if not settings.secretary:
        findings.append(make_issue(
            "documents-signature-blank", value=SIGN_BLANK, role="thư ký cuộc họp Hội đồng",
            setting="documents.secretary", documents="Biên bản họp",
        ))
    # The secret-ballot proposals one by one; the lists passed as a whole one line each.
    votes = vote_rows([a for a in base.awards if a.title in secret], base.order, base.members)
    return Part({"council": council, "votes": votes,
                 "list_votes": list_votes(base.awards, secret, base.members)}, tuple(findings))


def kiem_phieu(base: Base) -> Part:
    """The tally report of the secret ballot: the tally team, the ballots issued (one per
    member present), returned, valid and invalid, and the votes of each proposal on it."""
    present_names, _ = _members(base)
    present = len(present_names) if base.opts.documents.council_members else None
    team = list(base.opts.documents.tally_team)
    # "Hoàng Văn Kiểm – Trưởng ban": the name signs; the head is the one called Trưởng ban
    # (else the first), the others sign as members.
    names = [m.split(" – ", 1)[0].split(" - ", 1)[0].strip() for m in team]
    head = next((i for i, m in enumerate(team) if "trưởng ban" in m.casefold()), 0)
    findings = () if team else (make_issue(
        "documents-signature-blank", value=SIGN_BLANK, role="các thành viên Ban kiểm phiếu",
        setting="documents.tally_team", documents="Biên bản kiểm phiếu",
    ),)
    on_ballot = set(base.opts.documents.ballot_titles)
    ballot = [a for a in before_vote(base.awards) if not on_ballot or a.title in on_ballot]
    return Part({
        "council": {
            "tally_team": team,
            "tally_head_line": names[head] if names else SIGN_BLANK,
            "tally_member_lines": [n for i, n in enumerate(names) if i != head] or [SIGN_BLANK, SIGN_BLANK],
            # Ballots issued = members present (each member present votes once); the others are
            # counted at the meeting and written in by hand.
            # --ballots first, else the counts the tally sheet (--votes) gave thidua awards.
            **_tally(base.opts.ballots if base.opts.ballots is not None
                     else base.outcome.council.ballots, present),
            "end_time": TIME_BLANK,
            "meeting_time": _clock(base.opts.documents.meeting_time),
        },
        "tally_votes": vote_rows(ballot, base.order, base.members),
    }, findings)


def _tally(ballots: tuple[int, int, int] | None, present: int | None) -> dict[str, str]:
    """The ballots issued, returned, valid and invalid (returned − valid), as counted at the
    meeting (``--ballots``); without them the issued ones are the members present and the
    others are written in by hand."""
    if ballots is None:
        return {"ballots_issued": str(present) if present is not None else fmt.BLANK,
                "ballots_returned": fmt.BLANK, "ballots_valid": fmt.BLANK, "ballots_invalid": fmt.BLANK}
    issued, returned, valid = ballots
    return {"ballots_issued": str(issued), "ballots_returned": str(returned), "ballots_valid": str(valid),
            "ballots_invalid": str(returned - valid)}


def phieu_bau(base: Base) -> Part:
    """The ballots: the proposals on the ballot, one ballot per council member."""
    # Printed before the vote: the proposals, not what the vote made of them.
    rows = vote_rows(before_vote(base.awards), base.order, base.members)
    wanted = base.opts.documents.ballot_titles
    on_ballot = [r for r in rows if not wanted or r["title"] in wanted]
    candidates = [
        {"stt": n, **{k: r[k] for k in ("name", "department", "position", "proposal", "kind", "title")}}
        for n, r in enumerate(on_ballot, start=1)
    ]
    findings = (make_issue("documents-council-size-unknown"),) if base.members is None and rows else ()
    ballots = [{"number": i, "of": base.members} for i in range(1, (base.members or 1) + 1)]
    return Part({"ballot_candidates": candidates, "ballots": ballots}, findings)


def giay_khen(base: Base) -> Part:
    """One certificate (Giấy khen, Giấy chứng nhận) per row of the decision's list."""
    year = base.year
    doc = base.docs["quyet-dinh"]
    certificates = []
    for g in base.groups:
        for r in g["rows"]:
            is_form = r["category"] != "title"
            certificates.append(
                {
                    **r,
                    "document": r["title_label"] if is_form else "Giấy chứng nhận",
                    "verb": "TẶNG" if is_form else "TẶNG DANH HIỆU",
                    "heading": r["title_label"].upper(),
                    "reason": (
                        f"Đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm {year}"
                        if is_form
                        else f"Đạt danh hiệu {r['title_label']} năm {year}"
                    ),
                    "detail": " – ".join(x for x in (r["position"], r["department"]) if x),
                    "decision_line": f"Quyết định số {doc['number_text']}, ngày {doc['dmy']}",
                    "so_vang_text": f"{r['so_vang']:02d}",
                }
            )
    # On pre-printed blanks (documents.certificates.mode = "phoi") only the changing lines print,
    # at their places in mm; the calibration page shows where (core/documents/certificates.py).
    settings = base.opts.documents.certificates
    signer, findings = _signer(base)
    decision = {"authority": base.director_line.upper(), "date_line": doc["date_line"]}
    blank: dict[str, Any] = {"mode": settings.mode, "page_width_mm": settings.page_width_mm,
                             "page_height_mm": settings.page_height_mm}
    if settings.mode == "phoi":
        blank["pages"] = blank_pages(certificates, decision, signer, settings)
    blank["sample"] = field_texts(certificates[0], decision, signer) if certificates else {}
    return Part({"certificates": certificates, "certificate_blank": blank}, findings)


# The builder of each kind, in the order of ``KINDS``.
BUILDERS: Mapping[str, Callable[[Base], Part]] = {
    "to-trinh": to_trinh,
    "to-trinh-cap-tren": to_trinh_cap_tren,
    "bien-ban": bien_ban,
    "kiem-phieu": kiem_phieu,
    "phieu-bau": phieu_bau,
    "quyet-dinh": quyet_dinh,
    "giay-khen": giay_khen,
}
