"""The facts every document kind reads, decided once: the organisation's letterhead, which
awards the documents list, the groups of the list, the headers (number, date line) of each kind,
the council's meeting, and the findings about the result as a whole."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from thidua_cli.core import vnformat as fmt
from thidua_cli.core.awards_result import AwardsOutcome
from thidua_cli.core.documents.docset import KIND_LABELS
from thidua_cli.core.documents.lists import (
    STATUS_APPROVED,
    STATUS_PENDING,
    STATUS_PROPOSED,
    STATUS_REJECTED,
    TYPE_ABBR,
    Award,
    award_sentence,
    clean_text,
    groups_of,
    legal_bases,
    read_awards,
)
from thidua_cli.core.documents.options import DocumentOptions
from thidua_cli.core.documents.textfit import HEAD_LEFT_MM, HEAD_SIZE_PT, fit_lines
from thidua_cli.core.names import NAME_ORDERS
from thidua_cli.errors import UsageError
from thidua_cli.issues import make_issue
from thidua_cli.model import Issue

COUNCIL_BODY = "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG"


@dataclass(frozen=True)
class Base:
    """What the builders of the seven kinds share (read-only)."""

    outcome: AwardsOutcome
    opts: DocumentOptions
    year: int
    awards: list[Award]
    legal: list[str]
    org: dict[str, str]
    docs: dict[str, dict[str, Any]]  # kind → header (number, date line …)
    wanted: str  # the status the documents list ("approved", or "proposed" without a vote)
    higher: list[Award]  # decided higher-level awards (proposed upward)
    groups: list[dict[str, Any]]
    higher_groups: list[dict[str, Any]]
    total: int
    higher_total: int
    members: int | None  # council members: the result's, else the regulation's list
    meeting_words: str  # "ngày 15 tháng 12 năm 2026", or blanks
    issuer_phrase: str  # "Giám đốc Bệnh viện đa khoa tỉnh An Bình"
    director_line: str
    office_lc: str  # "phòng Tổ chức cán bộ"
    sentence: str  # Điều 1's sentence
    findings: tuple[Issue, ...]  # about the result as a whole (every kind prints them)

    @property
    def order(self) -> str:
        return self.opts.documents.name_order

    @property
    def request(self) -> str:
        """Điều 1's sentence inside another one (Tờ trình, Biên bản)."""
        return self.sentence[:1].lower() + self.sentence[1:]


def letterhead(raw: Mapping[str, Any]) -> dict[str, str]:
    """The organisation block, cleaned, with the derived forms the templates use."""
    org = {k: clean_text(str(v)) for k, v in raw.items() if isinstance(v, (str, int))}
    for key in ("name", "parent", "abbreviation", "place", "personnel_office",
                "personnel_abbreviation", "director_title"):  # fmt: skip
        org.setdefault(key, "")
    org["director_title"] = org["director_title"] or "GIÁM ĐỐC"
    org["name_sentence"] = fmt.sentence_case(org["name"])
    org["parent_sentence"] = fmt.sentence_case(org["parent"])
    org["personnel_office_upper"] = org["personnel_office"].upper()
    org["short_name"] = "Bệnh viện" if org["name"].upper().startswith("BỆNH VIỆN") else org["name_sentence"]
    return org


def head_lines(parent: str, issuer: str, org_name: str) -> dict[str, list[str]]:
    """The names of a document's head broken into lines that fit its column (ND 30 ô 2; never
    "…TỈNH AN / BÌNH"): upright parent, bold issuer, bold organisation (lists, ballots). Every
    kind's header carries them; the shared template head prints them."""
    return {
        "parent_lines": fit_lines(parent, HEAD_LEFT_MM, HEAD_SIZE_PT),
        "issuer_lines": fit_lines(issuer, HEAD_LEFT_MM, HEAD_SIZE_PT, bold=True),
        "org_lines": fit_lines(org_name, HEAD_LEFT_MM, HEAD_SIZE_PT, bold=True),
    }


def headers(org: Mapping[str, str], opts: DocumentOptions, doc_date: dt.date) -> dict[str, dict[str, Any]]:
    """The header of each kind: who issues it, its number symbol and its date line."""
    place = org["place"]

    def header(kind: str, parent: str, issuer: str, issuer_abbr: str) -> dict[str, Any]:
        number = opts.numbers.get(kind)
        abbr = TYPE_ABBR.get(kind, "")
        return {
            "kind": kind,
            "label": KIND_LABELS[kind],
            "parent": parent,
            "issuer": issuer,
            **head_lines(parent, issuer, org["name"]),
            "number": number,
            "number_text": fmt.doc_number(number, abbr, issuer_abbr) if abbr else "",
            "date": doc_date.isoformat(),
            "date_line": fmt.date_line(doc_date, place),
            "date_words": fmt.date_words(doc_date),
            "dmy": fmt.dmy(doc_date),
        }

    docs = {
        "to-trinh": header("to-trinh", org["name"], org["personnel_office_upper"], org["personnel_abbreviation"]),
        "to-trinh-cap-tren": header("to-trinh-cap-tren", org["parent"], org["name"], org["abbreviation"]),
        "bien-ban": header("bien-ban", org["name"], COUNCIL_BODY, "HĐTĐKT"),
        "kiem-phieu": header("kiem-phieu", org["name"], COUNCIL_BODY, "HĐTĐKT"),
        "phieu-bau": header("phieu-bau", org["name"], COUNCIL_BODY, ""),
        "quyet-dinh": header("quyet-dinh", org["parent"], org["name"], org["abbreviation"]),
        "giay-khen": header("giay-khen", org["parent"], org["name"], org["abbreviation"]),
    }
    if opts.meeting_date:
        for kind in ("bien-ban", "kiem-phieu", "phieu-bau"):
            docs[kind].update(
                date=opts.meeting_date.isoformat(),
                date_line=fmt.date_line(opts.meeting_date, place),
                date_words=fmt.date_words(opts.meeting_date),
                dmy=fmt.dmy(opts.meeting_date),
            )
    return docs


_BOTH_AUTHORITIES = "Bộ trưởng, Chủ tịch UBND tỉnh"
_BOTH_LEVELS = "cấp Bộ, ngành, tỉnh"


def applicable_label(label: str, parent: str) -> str:
    """A label naming both the minister and the province's chairman (or both levels of Chiến sĩ
    thi đua), with the one that applies to a hospital under ``parent``: "Sở Y tế tỉnh …" → the province, "Bộ Y tế" → the minister;
    unchanged when the parent says neither."""
    head = parent.strip().casefold()
    province = head.startswith("sở")
    if not province and not head.startswith("bộ"):
        return label
    label = label.replace(_BOTH_AUTHORITIES, "Chủ tịch Ủy ban nhân dân tỉnh" if province else "Bộ trưởng")
    return label.replace(_BOTH_LEVELS, "cấp tỉnh" if province else "cấp Bộ, ngành")


def make_base(
    outcome: AwardsOutcome, opts: DocumentOptions, organisation: Mapping[str, Any] | None
) -> Base:
    """Decide the shared facts; raises :class:`UsageError` for a bad ``name_order``."""
    if opts.documents.name_order not in NAME_ORDERS:
        raise UsageError(f"Thứ tự sắp xếp tên \"{opts.documents.name_order}\" không hợp lệ.")
    awards = read_awards(outcome)
    findings: list[Issue] = []
    year = outcome.year
    decision_date = outcome.decision_date
    doc_date = opts.date or decision_date
    if doc_date != decision_date:
        findings.append(make_issue(
            "documents-date-differs", value=fmt.dmy(doc_date), decision_date=fmt.dmy(decision_date),
            iso_date=doc_date.isoformat(),
        ))
    org = letterhead(organisation if organisation is not None else outcome.organisation)
    # "Bằng khen của Bộ trưởng, Chủ tịch UBND tỉnh" names both authorities; the documents name
    # the one over this hospital (issue 12): a Sở (province) or a Bộ (ministry) as its parent.
    awards = [replace(a, title_label=applicable_label(a.title_label, org["parent"])) for a in awards]

    # Which awards the documents list (contract: "approved", or "proposed" when no vote).
    # "council.votes_given" says whether thidua awards had a votes file; older results lack it,
    # and then a vote shows as an approved or rejected proposal ("pending_council" also comes
    # from a tie at the HTXSNV cap, without any vote).
    given = outcome.council.votes_given
    voted = given if isinstance(given, bool) else any(
        a.status in (STATUS_APPROVED, STATUS_REJECTED) for a in awards
    )
    wanted = STATUS_APPROVED if voted else STATUS_PROPOSED
    if awards and not voted:
        findings.append(make_issue("documents-no-votes"))
    pending = [a for a in awards if a.status == STATUS_PENDING]
    if pending:
        shown = ", ".join(f"{a.name} ({a.title_label})" for a in pending[:10])
        findings.append(make_issue(
            "documents-pending", count=len(pending),
            names=shown + (" …" if len(pending) > 10 else ""),
        ))
    decided = [a for a in awards if a.status == wanted]
    hospital = [a for a in decided if a.level == "hospital"]
    higher = [a for a in decided if a.level == "higher"]

    order = opts.documents.name_order
    groups = groups_of(hospital, order)
    higher_groups = groups_of(higher, order)
    total = sum(g["subtotal_value"] for g in groups)
    higher_total = sum(g["subtotal_value"] for g in higher_groups)
    # Cross-check with the awards stage's own total (paid awards it decided, higher ones included).
    money_total = outcome.money.total
    higher_paid = sum(a.amount for a in higher if a.paid)
    if isinstance(money_total, int) and not isinstance(money_total, bool) and money_total - higher_paid != total:
        findings.append(make_issue(
            "documents-total-mismatch", value=fmt.thousands(total),
            expected=fmt.thousands(money_total - higher_paid),
        ))

    members_count = outcome.council.members
    members_count = members_count if isinstance(members_count, int) and not isinstance(members_count, bool) else None
    listed = opts.documents.council_members
    if listed and members_count and len(listed) != members_count:
        findings.append(make_issue(
            "documents-council-size-differs", listed=len(listed), members=members_count,
        ))

    director_title = org["director_title"]
    issuer_phrase = (
        f"Giám đốc {org['name_sentence']}" if director_title.upper() == "GIÁM ĐỐC"
        else director_title.capitalize()
    )
    office = org["personnel_office"]
    # "Phòng Tổ chức cán bộ" → "Trưởng phòng Tổ chức cán bộ": only the first letter changes.
    office_lc = (office[:1].lower() + office[1:]) if office else "phòng Tổ chức cán bộ"
    meeting_words = (
        fmt.date_words(opts.meeting_date) if opts.meeting_date
        else f"ngày {fmt.BLANK} tháng {fmt.BLANK} năm {year}"
    )
    return Base(
        outcome=outcome,
        opts=opts,
        year=year,
        awards=awards,
        legal=legal_bases(outcome),
        org=org,
        docs=headers(org, opts, doc_date),
        wanted=wanted,
        higher=higher,
        groups=groups,
        higher_groups=higher_groups,
        total=total,
        higher_total=higher_total,
        members=members_count or (len(listed) or None),
        meeting_words=meeting_words,
        issuer_phrase=issuer_phrase,
        director_line=f"{director_title} {org['name']}".strip(),
        office_lc=office_lc,
        sentence=award_sentence(groups, year, issuer_phrase),
        findings=tuple(findings),
    )
