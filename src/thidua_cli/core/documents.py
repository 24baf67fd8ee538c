"""The context of the decision documents, built from the awards result (``thidua.awards/1``).

Pure: the caller passes the parsed JSON object, the options (numbers, dates, signer …) and the
``[documents]`` settings of the regulation; no file, no clock. The context is plain dicts, lists,
strings and numbers, so that the same context renders a .docx (docxtpl), a Markdown or an HTML
template, and so that ``thidua templates check`` can list what it provides.

What the documents show (domain-law.md §10, §14.8; ND 30/2020/NĐ-CP):

- the decision lists only the hospital-level awards the council passed (``status`` "approved"),
  or the proposals when no vote was recorded (with a warning); higher-level awards are proposed
  upward in the second Tờ trình;
- groups by title: I. Chiến sĩ thi đua cơ sở, II. Lao động tiên tiến, III. the collective titles,
  then the forms of commendation (Giấy khen) of individuals and of collectives; STT restarts in
  each group; subtotals, the total in figures and in words;
- names in Vietnamese list order (tên, họ, đệm: ``core.names.name_sort_key``), collectives in
  Vietnamese alphabetical order;
- "Điều 1" counts are computed from the same groups as the list, so they always match;
- "Căn cứ" lines come from the rule set the awards stage actually applied (``ruleset.legal_bases``).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from thidua_cli.config.sections import CouncilMember, DocumentsSettings, MoneySettings
from thidua_cli.core import vnformat as fmt
from thidua_cli.core.awards_model import APPROVED, PENDING, PROPOSED, REJECTED
from thidua_cli.core.awards_result import SCHEMA, AwardsOutcome
from thidua_cli.core.money import money_in_words
from thidua_cli.core.names import NAME_ORDERS, name_sort_key, vietnamese_key
from thidua_cli.errors import InvalidDataError, UsageError

# The document kinds ``thidua render`` knows, in the order ``render all`` writes them.
KINDS: tuple[str, ...] = (
    "to-trinh",
    "to-trinh-cap-tren",
    "bien-ban",
    "kiem-phieu",
    "phieu-bau",
    "quyet-dinh",
    "giay-khen",
)
KIND_LABELS: Mapping[str, str] = {
    "to-trinh": "Tờ trình đề nghị công nhận danh hiệu thi đua, khen thưởng",
    "to-trinh-cap-tren": "Tờ trình đề nghị cấp trên khen thưởng",
    "bien-ban": "Biên bản họp Hội đồng Thi đua – Khen thưởng",
    "kiem-phieu": "Biên bản kiểm phiếu",
    "phieu-bau": "Phiếu bầu",
    "quyet-dinh": "Quyết định và danh sách kèm theo",
    "giay-khen": "Giấy khen, giấy chứng nhận",
}
# Type abbreviations (ND 30/2020 Phụ lục III) and the issuer part of the number symbol.
_TYPE_ABBR = {
    "to-trinh": "TTr",
    "to-trinh-cap-tren": "TTr",
    "bien-ban": "BB",
    "kiem-phieu": "BB",
    "quyet-dinh": "QĐ",
}

STATUS_APPROVED = APPROVED
STATUS_PROPOSED = PROPOSED
STATUS_REJECTED = REJECTED
STATUS_PENDING = PENDING

# Order of the groups in lists: individual titles, collective titles, then forms of commendation.
# Unknown codes follow the known ones of their category and kind, by label.
_TITLE_RANK = {
    "CSTD_TOAN_QUOC": 0,
    "CSTD_TINH": 1,
    "CSTD_BO": 1,
    "CSTDCS": 2,
    "LDTT": 3,
    "CO_THI_DUA_CP": 10,
    "CO_THI_DUA": 11,
    "TTLDXS": 12,
    "TTLDTT": 13,
    "BANG_KHEN_TTG": 20,
    "BANG_KHEN_BO": 21,
    "BANG_KHEN_TINH": 21,
    "GIAY_KHEN": 22,
}
_ROMAN = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip


def roman(n: int) -> str:
    """1 → "I", 4 → "IV", 14 → "XIV" (group headings of the list)."""
    out = []
    for value, letters in _ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


# --------------------------------------------------------------------------------------------
# Settings: the regulation's [documents] table, then the command's options over it
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentOptions:
    """Everything the documents need that the awards result does not carry.

    ``numbers`` maps a kind ("quyet-dinh", "to-trinh" …) to its number; a kind without a number
    gets a blank ("…/QĐ-BV") for the văn thư to fill in, as ND 30/2020 assigns numbers when a
    document is issued. ``date`` is the date of the documents (default: the result's
    ``decision_date``); ``meeting_date`` is the council meeting's (blank when unknown)."""

    numbers: Mapping[str, int] = field(default_factory=dict)
    date: dt.date | None = None
    meeting_date: dt.date | None = None
    meeting_time: str = ""
    meeting_place: str = ""
    signer: str = ""
    signer_title: str = ""  # default: organisation.director_title; "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
    office_head: str = ""  # head of the personnel office (signs the internal Tờ trình)
    regulation_basis: str = ""  # the decision that issued the hospital's quy chế
    extra_bases: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ("Như Điều 3", "Sở Y tế (để báo cáo)")
    higher_recipient: str = ""  # default: organisation.parent in sentence case
    council_members: tuple[CouncilMember, ...] = ()
    absent: tuple[str, ...] = ()
    chair: str = ""
    secretary: str = ""
    tally_team: tuple[str, ...] = ()
    ballot_titles: tuple[str, ...] = ()  # titles on the ballot (codes); empty: every proposal
    linh: str = "linh"
    nghin: str = "nghìn"
    name_order: str = "ten-ho-dem"
    templates: str = ""  # folder of the hospital's own templates (used by render.py)


def options_from_settings(documents: DocumentsSettings, money: MoneySettings) -> DocumentOptions:
    """The regulation's ``[documents]`` settings as document options (checked at load by
    ``config/check.py``). The way amounts are read in words ("linh"/"lẻ", "nghìn"/"ngàn") is the
    ``[money]`` table's ``linh`` and ``nghin``: one setting for the whole run."""
    return DocumentOptions(
        meeting_time=documents.meeting_time,
        meeting_place=documents.meeting_place,
        signer=documents.signer,
        signer_title=documents.signer_title,
        office_head=documents.office_head,
        regulation_basis=documents.regulation_basis,
        extra_bases=documents.extra_bases,
        recipients=documents.recipients,
        higher_recipient=documents.higher_recipient,
        council_members=documents.council_members,
        chair=documents.chair,
        secretary=documents.secretary,
        tally_team=documents.tally_team,
        ballot_titles=documents.ballot_titles,
        linh=money.linh,
        nghin=money.nghin,
        name_order=documents.name_order,
        templates=documents.templates,
    )


# --------------------------------------------------------------------------------------------
# Reading the awards result
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Award:
    """One award of the result, checked and normalised (NFC, stripped)."""

    index: int  # position in the JSON "awards" list (for messages)
    kind: str  # "individual" | "collective"
    title: str
    title_label: str
    category: str  # "title" | "commendation"
    level: str  # "hospital" | "higher"
    status: str
    name: str
    staff_id: str
    gender: str
    position: str
    department: str
    year_rating: str
    votes_for: int | None
    council_members: int | None
    vote_share: float | None
    coefficient: str
    amount: int
    paid: bool
    basis: str
    note: str

    @property
    def collective(self) -> bool:
        return self.kind == "collective"


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean_text(value: str) -> str:
    """NFC, stripped, without characters a Word document cannot hold (control characters).

    Line breaks inside a note stay (docxtpl writes them as line breaks)."""
    text = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    return _XML_INVALID.sub("", text).strip()


def read_awards(result: AwardsOutcome) -> list[Award]:
    """The result's awards, normalised for documents (NFC, stripped; the result itself was
    checked by :meth:`AwardsOutcome.from_json`)."""
    return [
        Award(
            index=i,
            kind=a.kind,
            title=_clean_text(a.title),
            title_label=_clean_text(a.title_label),
            category=a.category,
            level=a.level,
            status=a.status,
            name=_clean_text(a.name),
            staff_id=_clean_text(a.staff_id or ""),
            gender=_clean_text(a.gender),
            position=_clean_text(a.position),
            department=_clean_text(a.department),
            year_rating=_clean_text(a.year_rating or ""),
            votes_for=a.votes_for,
            council_members=a.council_members,
            vote_share=float(a.vote_share) if a.vote_share is not None else None,
            coefficient=_clean_text(a.coefficient),
            amount=a.amount,
            paid=a.paid,
            basis=_clean_text(a.basis),
            note=_clean_text(a.note),
        )
        for i, a in enumerate(result.awards)
    ]


# --------------------------------------------------------------------------------------------
# Building the context
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentSet:
    """The context shared by every document kind, and what the clerk must be told."""

    context: Mapping[str, Any]
    warnings: tuple[str, ...]
    has_higher: bool  # whether there is anything to propose upward (to-trinh-cap-tren)
    kind_warnings: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # only for that kind

    def warnings_for(self, kinds: Iterable[str]) -> list[str]:
        """The warnings worth printing when ``kinds`` are rendered."""
        out = list(self.warnings)
        for kind in kinds:
            out.extend(self.kind_warnings.get(kind, ()))
        return out

    def kinds_to_write(self, kind: str) -> list[str]:
        """The kinds ``thidua render KIND`` writes: ``all`` skips what has nothing to list (no
        higher-level proposal → no Tờ trình lên cấp trên), ``to-trinh`` adds the Tờ trình lên
        cấp trên when there is one. Raises :class:`InvalidDataError` (exit 1) when there is
        nothing to write."""
        ctx = self.context
        has_awards = ctx["count_total"] > 0
        has_votes = bool(ctx["votes"])

        def available(k: str) -> bool:
            if k in ("quyet-dinh", "giay-khen", "to-trinh"):
                return has_awards
            if k == "to-trinh-cap-tren":
                return self.has_higher
            return has_votes

        if kind == "all":
            chosen = [k for k in KINDS if available(k)]
            if chosen:
                return chosen
            raise InvalidDataError(
                "Không có văn bản nào để in: kết quả xét danh hiệu không có danh hiệu, hình thức "
                "khen thưởng nào được Hội đồng thông qua."
            )
        if kind not in KINDS:
            raise UsageError(f"Không có loại văn bản \"{kind}\". Các loại: {', '.join(KINDS)}.")
        if kind == "to-trinh":
            chosen = [k for k in ("to-trinh", "to-trinh-cap-tren") if available(k)]
            if chosen:
                return chosen
        elif available(kind):
            return [kind]
        reasons = {
            "to-trinh-cap-tren": "không có đề nghị khen thưởng cấp trên nào được Hội đồng thông qua",
            "bien-ban": "kết quả không có đề xuất nào",
            "kiem-phieu": "kết quả không có đề xuất nào",
            "phieu-bau": "kết quả không có đề xuất nào",
        }
        reason = reasons.get(
            kind, "không có danh hiệu, hình thức khen thưởng nào được Hội đồng thông qua"
        )
        raise InvalidDataError(f"Không in được {kind}: {reason}.")

    def for_kind(self, kind: str) -> dict[str, Any]:
        """The context of one kind: the shared one plus ``doc`` (header, number, date line)."""
        if kind not in KINDS:
            raise UsageError(f"Không có loại văn bản \"{kind}\". Các loại: {', '.join(KINDS)}.")
        ctx = dict(self.context)
        ctx["doc"] = self.context["docs"][kind]
        return ctx


def _group_key(a: Award) -> tuple[int, int, int, tuple[Any, ...], str]:
    return (
        0 if a.category == "title" else 1,
        1 if a.collective else 0,
        _TITLE_RANK.get(a.title, 50),
        vietnamese_key(a.title_label),
        a.title,
    )


def _row_key(a: Award, order: str) -> tuple[Any, ...]:
    if a.collective:
        return (vietnamese_key(a.name), a.staff_id, a.index)
    return (name_sort_key(a.name, order), vietnamese_key(a.department), a.staff_id, a.index)


def _unit(a: Award) -> str:
    return "tập thể" if a.collective else "cá nhân"


def _group_label(a: Award) -> str:
    if a.category == "commendation":
        return f"{a.title_label} ({_unit(a)})"
    return a.title_label


def _addressee(a: Award) -> str:
    if a.collective:
        return a.name if _is_unit_name(a.name) else f"Tập thể {a.name}"
    prefix = {"nu": "Bà", "nam": "Ông"}.get(a.gender, "")
    return f"{prefix} {a.name}".strip()


def _is_unit_name(name: str) -> bool:
    """Whether a collective's name already says what it is ("Tập thể Khoa Nội", "Khoa Nội")."""
    first = name.split(" ", 1)[0].casefold() if name else ""
    return first in ("tập", "khoa", "phòng", "trung", "ban", "tổ", "đơn", "bệnh")


def _rows(awards: Sequence[Award], order: str, first_so_vang: int) -> tuple[list[dict[str, Any]], int]:
    rows = []
    so_vang = first_so_vang
    for stt, a in enumerate(sorted(awards, key=lambda x: _row_key(x, order)), start=1):
        amount = a.amount if a.paid else 0
        note = a.note
        if not a.paid and not note:
            note = "Đã hưởng mức thưởng cao hơn cùng thời kỳ"
        rows.append(
            {
                "stt": stt,
                "so_vang": so_vang,
                "name": a.name,
                "staff_id": a.staff_id,
                "gender": a.gender,
                "addressee": _addressee(a),
                "position": a.position,
                "department": "" if a.collective and a.department == a.name else a.department,
                "kind": a.kind,
                "collective": a.collective,
                "title": a.title,
                "title_label": a.title_label,
                "category": a.category,
                "level": a.level,
                "status": a.status,
                "year_rating": a.year_rating,
                "coefficient": fmt.decimal_comma(a.coefficient) if a.coefficient else "",
                "amount": fmt.thousands(amount) if a.paid else "-",
                "amount_value": amount,
                "paid": a.paid,
                "basis": a.basis,
                "note": note,
                "votes_for": a.votes_for,
                "council_members": a.council_members,
            }
        )
        so_vang += 1
    return rows, so_vang


def _groups(awards: Sequence[Award], order: str) -> list[dict[str, Any]]:
    by_group: dict[tuple[str, str, str], list[Award]] = {}
    for a in sorted(awards, key=_group_key):
        by_group.setdefault((a.category, a.kind, a.title), []).append(a)
    groups = []
    so_vang = 1
    for n, members in enumerate(by_group.values(), start=1):
        first = members[0]
        rows, so_vang = _rows(members, order, so_vang)
        subtotal = sum(r["amount_value"] for r in rows)
        groups.append(
            {
                "roman": roman(n),
                "label": _group_label(first),
                "title": first.title,
                "title_label": first.title_label,
                "kind": first.kind,
                "collective": first.collective,
                "category": first.category,
                "unit": _unit(first),
                "count": len(rows),
                "rows": rows,
                "subtotal": fmt.thousands(subtotal),
                "subtotal_value": subtotal,
            }
        )
    return groups


def _counts(groups: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "title": g["title"],
            "label": g["label"],
            "title_label": g["title_label"],
            "kind": g["kind"],
            "category": g["category"],
            "unit": g["unit"],
            "count": g["count"],
            "text": f"{g['count']} {g['unit']}",
            "amount": g["subtotal"],
            "amount_value": g["subtotal_value"],
        }
        for g in groups
    ]


def _award_sentence(groups: Sequence[Mapping[str, Any]], year: int, issuer: str) -> str:
    """"Công nhận danh hiệu "Lao động tiên tiến" năm 2026 cho 5 cá nhân; …; tặng Giấy khen của
    Giám đốc Bệnh viện … cho 2 cá nhân, 1 tập thể" (Điều 1; Tờ trình)."""
    titles = [g for g in groups if g["category"] == "title"]
    forms = [g for g in groups if g["category"] != "title"]
    parts: list[str] = []
    if titles:
        # Typographic quotes, as in the ND 30/2020 samples.
        items = [f"“{g['title_label']}” năm {year} cho {g['count']} {g['unit']}" for g in titles]
        parts.append("công nhận danh hiệu " + "; danh hiệu ".join(items))
    by_form: dict[str, list[Mapping[str, Any]]] = {}
    for g in forms:
        by_form.setdefault(g["title_label"], []).append(g)
    for label, gs in by_form.items():
        counts = ", ".join(f"{g['count']} {g['unit']}" for g in gs)
        of = f" của {issuer}" if label.casefold() == "giấy khen" and issuer else ""
        parts.append(f"tặng {label}{of} cho {counts}")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] if text else ""


def _summary(groups: Sequence[Mapping[str, Any]], year: int) -> str:
    """"Về việc công nhận danh hiệu thi đua và tặng Giấy khen năm 2026" (trích yếu)."""
    has_title = any(g["category"] == "title" for g in groups)
    forms = []
    for g in groups:
        if g["category"] != "title" and g["title_label"] not in forms:
            forms.append(g["title_label"])
    parts = []
    if has_title:
        parts.append("công nhận danh hiệu thi đua")
    if forms:
        parts.append("tặng " + ", ".join(forms))
    if not parts:
        parts.append("công nhận danh hiệu thi đua")
    return f"Về việc {' và '.join(parts)} năm {year}"


def _legal_bases(result: Mapping[str, Any]) -> list[str]:
    """The rule set's legal bases (checked by :func:`read_awards`), cleaned, blanks dropped."""
    cleaned = (_clean_text(b) for b in result["ruleset"].get("legal_bases") or [])
    return [b for b in cleaned if b]


def _bases(legal: Sequence[str], opts: DocumentOptions, meeting: str, council_of: str) -> list[str]:
    lines = [_strip_end(b) for b in legal]
    lines += [_strip_end(b) for b in opts.extra_bases]
    if opts.regulation_basis:
        lines.append(_strip_end(opts.regulation_basis))
    lines.append(f"Biên bản họp Hội đồng Thi đua – Khen thưởng {council_of} {meeting}")
    return [_basis_line(line) for line in lines]


def _strip_end(text: str) -> str:
    return text.strip().rstrip(";.").strip()


def _basis_line(text: str) -> str:
    text = re.sub(r"^(căn cứ)\s+", "", text, flags=re.IGNORECASE)
    return f"Căn cứ {text};"


def _vote_rows(awards: Sequence[Award], order: str, members: int | None) -> list[dict[str, Any]]:
    rows = []
    ordered = sorted(awards, key=lambda a: (_group_key(a), _row_key(a, order)))
    for stt, a in enumerate(ordered, start=1):
        total = a.council_members or members
        votes = a.votes_for
        if votes is not None and total:
            share = a.vote_share if a.vote_share is not None else votes / total
            votes_text = f"{votes}/{total}"
            share_text = fmt.percent(share)
        else:
            votes_text = f"{fmt.BLANK}/{total}" if total else fmt.BLANK
            share_text = fmt.BLANK
        result = {
            STATUS_APPROVED: "Đạt",
            STATUS_REJECTED: "Không đạt",
            STATUS_PENDING: "Chờ xét",
        }.get(a.status, fmt.BLANK)
        rows.append(
            {
                "stt": stt,
                "name": a.name,
                "department": "" if a.collective and a.department == a.name else a.department,
                "position": a.position,
                "proposal": a.title_label,
                "title": a.title,
                "kind": a.kind,
                "level": a.level,
                "votes_for": votes,
                "council_members": total,
                "votes": votes_text,
                "share": share_text,
                "result": result,
                "status": a.status,
            }
        )
    return rows


def _recipients(items: Iterable[str], office_abbr: str) -> list[str]:
    lines = [_strip_end(i).lstrip("-").strip() for i in items if _strip_end(i)]
    out = [f"- {line};" for line in lines]
    out.append(f"- Lưu: VT, {office_abbr}." if office_abbr else "- Lưu: VT.")
    return out


def build_documents(
    typed: AwardsOutcome | Mapping[str, Any],
    options: DocumentOptions | None = None,
    *,
    source: str = "kết quả xét danh hiệu",
    organisation: Mapping[str, Any] | None = None,
) -> DocumentSet:
    """Build the context of every document kind from an awards result (``thidua.awards/1``).

    ``organisation`` (the regulation's, when the clerk passes one) replaces the result's
    organisation block. Raises :class:`InputFileError` when the result is not a valid awards
    result."""
    # A JSON object (a test, the sample) is checked at this boundary by the one checker; the
    # builders below still read the JSON form.
    outcome = typed if isinstance(typed, AwardsOutcome) else AwardsOutcome.from_json(typed, source)
    result = outcome.to_json()
    opts = options or DocumentOptions()
    awards = read_awards(outcome)
    warnings: list[str] = []
    if opts.name_order not in NAME_ORDERS:
        raise UsageError(f"Thứ tự sắp xếp tên \"{opts.name_order}\" không hợp lệ.")

    year = int(result["year"])
    decision_date = fmt.to_date(result["decision_date"])
    legal = _legal_bases(result)
    doc_date = opts.date or decision_date
    if doc_date != decision_date:
        warnings.append(
            f"Ngày ký văn bản ({fmt.dmy(doc_date)}) khác ngày quyết định đã dùng để tính tiền thưởng "
            f"({fmt.dmy(decision_date)}). Tiền thưởng tính theo mức lương cơ sở tại ngày ký quyết "
            "định (NĐ 152/2025/NĐ-CP Điều 49); nếu mức lương cơ sở khác nhau giữa hai ngày, hãy chạy "
            f"lại thidua awards --decision-date {doc_date.isoformat()}."
        )
    org_raw: Mapping[str, Any] = organisation if organisation is not None else result["organisation"]
    org = {k: _clean_text(str(v)) for k, v in org_raw.items() if isinstance(v, (str, int))}
    for key in ("name", "parent", "abbreviation", "place", "personnel_office",
                "personnel_abbreviation", "director_title"):  # fmt: skip
        org.setdefault(key, "")
    org["director_title"] = org["director_title"] or "GIÁM ĐỐC"
    org["name_sentence"] = fmt.sentence_case(org["name"])
    org["parent_sentence"] = fmt.sentence_case(org["parent"])
    org["personnel_office_upper"] = org["personnel_office"].upper()
    org["short_name"] = "Bệnh viện" if org["name"].upper().startswith("BỆNH VIỆN") else org["name_sentence"]
    place = org["place"]

    # Which awards the documents list (contract: "approved", or "proposed" when no vote).
    # "council.votes_given" says whether thidua awards had a votes file; older results lack it,
    # and then a vote shows as an approved or rejected proposal ("pending_council" also comes
    # from a tie at the HTXSNV cap, without any vote).
    given = result["council"].get("votes_given")
    voted = given if isinstance(given, bool) else any(
        a.status in (STATUS_APPROVED, STATUS_REJECTED) for a in awards
    )
    wanted = STATUS_APPROVED if voted else STATUS_PROPOSED
    if awards and not voted:
        warnings.append(
            "Chưa có kết quả bỏ phiếu của Hội đồng (thidua awards chạy không có --votes): các văn "
            "bản liệt kê những người được đề xuất. Hãy chạy lại thidua awards với --votes sau khi "
            "Hội đồng họp, trước khi trình ký quyết định."
        )
    pending = [a for a in awards if a.status == STATUS_PENDING]
    if pending:
        warnings.append(
            f"{len(pending)} đề xuất đang chờ Hội đồng xét (bằng phiếu ở ngưỡng) nên không có trong "
            "quyết định: " + ", ".join(f"{a.name} ({a.title_label})" for a in pending[:10])
            + (" …" if len(pending) > 10 else "") + "."
        )
    decided = [a for a in awards if a.status == wanted]
    hospital = [a for a in decided if a.level == "hospital"]
    higher = [a for a in decided if a.level == "higher"]

    order = opts.name_order
    groups = _groups(hospital, order)
    higher_groups = _groups(higher, order)
    total = sum(g["subtotal_value"] for g in groups)
    higher_total = sum(g["subtotal_value"] for g in higher_groups)
    money_total = result.get("money", {}).get("total") if isinstance(result.get("money"), Mapping) else None
    # Cross-check with the awards stage's own total (paid awards it decided, higher ones included).
    higher_paid = sum(a.amount for a in higher if a.paid)
    if isinstance(money_total, int) and not isinstance(money_total, bool) and money_total - higher_paid != total:
        warnings.append(
            f"Tổng tiền của danh sách ({fmt.thousands(total)} đồng) khác tổng tiền trong kết quả xét "
            f"danh hiệu ({fmt.thousands(money_total - higher_paid)} đồng); hãy kiểm tra lại trước "
            "khi trình ký."
        )

    council_raw: Mapping[str, Any] = result["council"]
    members_count = council_raw.get("members")
    members_count = members_count if isinstance(members_count, int) and not isinstance(members_count, bool) else None
    thresholds = council_raw.get("thresholds") or {}
    labels = {a.title: a.title_label for a in awards}

    numbers = dict(opts.numbers)
    dates = {
        "meeting": fmt.date_words(opts.meeting_date) if opts.meeting_date else f"ngày {fmt.BLANK} tháng {fmt.BLANK} năm {year}",
    }
    signer_title = opts.signer_title or org["director_title"]
    director_line = f"{org['director_title']} {org['name']}".strip()
    office = org["personnel_office"]
    # "Phòng Tổ chức cán bộ" → "Trưởng phòng Tổ chức cán bộ": only the first letter changes.
    office_lc = (office[:1].lower() + office[1:]) if office else "phòng Tổ chức cán bộ"
    office_head_title = "TRƯỞNG PHÒNG" if office.casefold().startswith("phòng") else "TRƯỞNG ĐƠN VỊ"
    issuer_phrase = f"Giám đốc {org['name_sentence']}" if org["director_title"].upper() == "GIÁM ĐỐC" else org["director_title"].capitalize()

    def header(kind: str, parent: str, issuer: str, issuer_abbr: str) -> dict[str, Any]:
        number = numbers.get(kind)
        abbr = _TYPE_ABBR.get(kind, "")
        return {
            "kind": kind,
            "label": KIND_LABELS[kind],
            "parent": parent,
            "issuer": issuer,
            "number": number,
            "number_text": fmt.doc_number(number, abbr, issuer_abbr) if abbr else "",
            "date": doc_date.isoformat(),
            "date_line": fmt.date_line(doc_date, place),
            "date_words": fmt.date_words(doc_date),
            "dmy": fmt.dmy(doc_date),
        }

    council_body = "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG"
    docs = {
        "to-trinh": header("to-trinh", org["name"], org["personnel_office_upper"], org["personnel_abbreviation"]),
        "to-trinh-cap-tren": header("to-trinh-cap-tren", org["parent"], org["name"], org["abbreviation"]),
        "bien-ban": header("bien-ban", org["name"], council_body, "HĐTĐKT"),
        "kiem-phieu": header("kiem-phieu", org["name"], council_body, "HĐTĐKT"),
        "phieu-bau": header("phieu-bau", org["name"], council_body, ""),
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
    decision_doc = docs["quyet-dinh"]
    decision = {
        "number": decision_doc["number"],
        "number_text": decision_doc["number_text"],
        "date_words": decision_doc["date_words"],
        "date_line": decision_doc["date_line"],
        "dmy": decision_doc["dmy"],
        "summary": _summary(groups, year),
        "authority": director_line.upper(),
        "article_1": "",
        "attachment_line": (
            f"(Kèm theo Quyết định số {decision_doc['number_text']} {decision_doc['date_words']} "
            f"của {issuer_phrase})"
        ),
    }
    sentence = _award_sentence(groups, year, issuer_phrase)
    decision["article_1"] = f"{sentence} (có danh sách kèm theo)." if sentence else ""
    decision["article_2"] = (
        "Mỗi cá nhân, tập thể có tên tại Điều 1 được thưởng theo mức quy định tại "
        f"{_money_basis(legal, result['ruleset'])} (chi tiết tại danh sách kèm theo). Kinh phí khen thưởng trích từ "
        f"Quỹ thi đua, khen thưởng của {org['short_name']}."
    )
    decision["article_3"] = (
        f"Quyết định này có hiệu lực kể từ ngày ký. Trưởng {office_lc}, "
        "Trưởng phòng Tài chính kế toán, Trưởng các khoa, phòng và các cá nhân, tập thể có tên tại "
        "Điều 1 chịu trách nhiệm thi hành Quyết định này./."
    )
    proposer = f"Trưởng {office_lc}"

    absent_set = set(opts.absent)
    present_names = [m for m in opts.council_members if m.name not in absent_set]
    absent_names = [m for m in opts.council_members if m.name in absent_set]
    member_names = {m.name for m in opts.council_members}
    unknown_absent = [n for n in opts.absent if n not in member_names]
    if unknown_absent:
        raise UsageError(
            "Không có trong danh sách thành viên Hội đồng (documents.council_members của quy chế): "
            + ", ".join(unknown_absent) + ". Hãy viết đúng họ tên như trong quy chế."
        )
    total_members = members_count or (len(opts.council_members) or None)
    if opts.council_members and members_count and len(opts.council_members) != members_count:
        warnings.append(
            f"Quy chế liệt kê {len(opts.council_members)} thành viên Hội đồng nhưng kết quả xét "
            f"danh hiệu tính tỷ lệ phiếu trên {members_count} thành viên; hãy kiểm tra."
        )
    present = len(present_names) if opts.council_members else None
    chair = opts.chair or opts.signer
    thresholds_list = [
        {"title": t, "label": labels.get(t, t), "share": fmt.percent(v, 0)}
        for t, v in thresholds.items()
        if isinstance(v, (int, float)) and not isinstance(v, bool)
    ]
    council: dict[str, Any] = {
        "members": total_members,
        "members_text": str(total_members) if total_members else fmt.BLANK,
        "member_list": [{"name": m.name, "role": m.role} for m in opts.council_members],
        "present_list": [{"name": m.name, "role": m.role} for m in present_names],
        "absent_list": [{"name": m.name, "role": m.role} for m in absent_names],
        "present": present,
        "present_text": str(present) if present is not None else fmt.BLANK,
        "absent_text": str(len(absent_names)) if present is not None else fmt.BLANK,
        "chair": chair,
        "secretary": opts.secretary,
        "meeting_place": opts.meeting_place or org["short_name"],
        "meeting_time": opts.meeting_time or fmt.BLANK,
        "meeting_date_words": dates["meeting"],
        "thresholds": thresholds_list,
        "tally_team": list(opts.tally_team),
        # Ballots issued = members present (each member present votes once); the others are
        # counted by hand at the meeting.
        "ballots_issued": str(present) if present is not None else fmt.BLANK,
        "ballots_returned": fmt.BLANK,
        "ballots_valid": fmt.BLANK,
        "ballots_invalid": fmt.BLANK,
        "end_time": fmt.BLANK,
    }
    council["chair_text"] = council["chair"] or fmt.BLANK
    council["secretary_text"] = council["secretary"] or fmt.BLANK
    council["thresholds_text"] = "; ".join(
        f"{t['label']} từ {t['share']} trở lên" for t in thresholds_list
    ) or fmt.BLANK
    # Every proposal the council votes on: every award of the result, whatever its status.
    vote_rows = _vote_rows(awards, order, total_members)
    on_ballot = [r for r in vote_rows if not opts.ballot_titles or r["title"] in opts.ballot_titles]
    ballot_candidates = [
        {"stt": n, **{k: r[k] for k in ("name", "department", "position", "proposal", "kind", "title")}}
        for n, r in enumerate(on_ballot, start=1)
    ]
    kind_warnings: dict[str, tuple[str, ...]] = {}
    if total_members is None and vote_rows:
        kind_warnings["phieu-bau"] = (
            "Chưa biết số thành viên Hội đồng (kết quả xét danh hiệu không có, quy chế chưa khai "
            "documents.council_members): in 1 phiếu bầu để sao thêm.",
        )
    ballots = [{"number": i, "of": total_members} for i in range(1, (total_members or 1) + 1)]

    certificates = []
    for g in groups:
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
                    "decision_line": f"Quyết định số {decision['number_text']}, ngày {decision['dmy']}",
                    "so_vang_text": f"{r['so_vang']:02d}",
                }
            )

    counts = _counts(groups)
    higher_counts = _counts(higher_groups)
    higher_request = _higher_request(higher_groups)
    request = sentence[:1].lower() + sentence[1:]  # the same sentence inside another one
    conclusion_parts = []
    if request:
        conclusion_parts.append(
            f"Hội đồng thống nhất đề nghị {issuer_phrase} {request} (có danh sách kèm theo)"
        )
    if higher_request:
        conclusion_parts.append(f"đề nghị cấp trên xét khen thưởng: {higher_request}")
    council["conclusion"] = (
        "; ".join(conclusion_parts) + "."
        if conclusion_parts
        else "Không có cá nhân, tập thể nào đạt tỷ lệ phiếu đồng ý cần thiết."
    )
    higher_recipient = opts.higher_recipient or org["parent_sentence"] or fmt.BLANK
    context: dict[str, Any] = {
        "schema": SCHEMA,
        "year": year,
        "org": org,
        "ruleset": {
            "code": str(result["ruleset"].get("code", "")),
            "name": _clean_text(str(result["ruleset"].get("name", ""))),
            "legal_bases": legal,
        },
        "base_salary": fmt.thousands(result.get("base_salary", 0) or 0),
        "decision": decision,
        "bases": _bases(legal, opts, dates["meeting"], org["short_name"]),
        "proposal_line": f"Theo đề nghị của {proposer}.",
        "groups": groups,
        "counts": counts,
        "count_total": sum(g["count"] for g in groups),
        "count_individuals": sum(g["count"] for g in groups if not g["collective"]),
        "count_collectives": sum(g["count"] for g in groups if g["collective"]),
        "total": fmt.thousands(total),
        "total_value": total,
        "total_words": money_in_words(total, linh=opts.linh, nghin=opts.nghin),
        "certificates": certificates,
        "signer": {
            "title": signer_title,
            "name": opts.signer,
        },
        "office_head": {"title": office_head_title, "name": opts.office_head},
        "recipients": _recipients(opts.recipients, org["personnel_abbreviation"]),
        "proposal": {
            "recipient": issuer_phrase,
            "request": request,
            "recipients": _recipients(("Như trên",), org["personnel_abbreviation"]),
        },
        "higher": {
            "recipient": higher_recipient,
            "groups": higher_groups,
            "counts": higher_counts,
            "count_total": sum(g["count"] for g in higher_groups),
            "count_individuals": sum(g["count"] for g in higher_groups if not g["collective"]),
            "count_collectives": sum(g["count"] for g in higher_groups if g["collective"]),
            "request": higher_request,
            "total": fmt.thousands(higher_total),
            "recipients": _recipients(("Như trên",), org["personnel_abbreviation"]),
        },
        "council": council,
        "votes": vote_rows,
        "ballot_candidates": ballot_candidates,
        "ballots": ballots,
        "docs": docs,
        "status_used": wanted,
        "warnings": list(warnings),
        "blank": fmt.BLANK * 8,
    }
    return DocumentSet(
        context=context, warnings=tuple(warnings), has_higher=bool(higher), kind_warnings=kind_warnings
    )


def _money_basis(legal: Sequence[str], ruleset: Mapping[str, Any]) -> str:
    for b in legal:
        m = re.search(r"Nghị định số\s+(\S+/NĐ-CP)", b)
        if m:
            return f"Nghị định số {m.group(1)}"
    name = str(ruleset.get("name", "")).strip()
    return name or "quy định hiện hành"


def _higher_request(groups: Sequence[Mapping[str, Any]]) -> str:
    parts = [f"{g['title_label']} cho {g['count']} {g['unit']}" for g in groups]
    return "; ".join(parts)


# --------------------------------------------------------------------------------------------
# A small, complete example (``thidua templates check`` without --from; the README's variables)
# --------------------------------------------------------------------------------------------


def sample_result(year: int = 2026) -> dict[str, Any]:
    """A small awards result in which every list of the context is non-empty: an individual
    title, a collective title, a Giấy khen, a rejected proposal and a higher-level proposal."""

    def award(title: str, label: str, category: str, name: str, *, kind: str = "individual",
              level: str = "hospital", status: str = STATUS_APPROVED, votes: int = 8,
              coefficient: str = "0.3", amount: int = 702_000, gender: str = "nu",
              position: str = "Điều dưỡng", department: str = "Khoa Nội tổng hợp") -> dict[str, Any]:
        return {
            "kind": kind, "title": title, "title_label": label, "category": category,
            "level": level, "staff_id": None if kind == "collective" else f"BV{len(name):04d}",
            "name": name, "gender": gender if kind == "individual" else "",
            "position": position if kind == "individual" else "", "department": department,
            "year_rating": "HTXSNV", "status": status, "votes_for": votes, "council_members": 9,
            "vote_share": round(votes / 9, 4), "coefficient": coefficient, "amount": amount,
            "paid": True, "basis": "", "note": "",
        }  # fmt: skip

    awards = [
        award("CSTDCS", "Chiến sĩ thi đua cơ sở", "title", "Nguyễn Thị Ánh", coefficient="1.0", amount=2_340_000),
        award("LDTT", "Lao động tiên tiến", "title", "Đỗ Văn An", gender="nam", position="Bác sĩ"),
        award("TTLDTT", "Tập thể lao động tiên tiến", "title", "Khoa Nội tổng hợp", kind="collective",
              coefficient="0.8", amount=1_872_000),
        award("GIAY_KHEN", "Giấy khen", "commendation", "Lê Ăn", gender="nam", position="Hộ lý"),
        award("CSTDCS", "Chiến sĩ thi đua cơ sở", "title", "Phạm Thị Ấn", status=STATUS_REJECTED, votes=6,
              coefficient="1.0", amount=2_340_000),
        award("BANG_KHEN_TINH", "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "commendation",
              "Nguyễn Thị Ánh", level="higher", votes=9, coefficient="1.5", amount=3_510_000),
    ]
    return {
        "schema": SCHEMA,
        "tool": {"name": "thidua", "version": ""},
        "year": year,
        "decision_date": f"{year}-12-20",
        "ruleset": {
            "code": "2025-07",
            "name": "Luật Thi đua, khen thưởng 2022; Nghị định 152/2025/NĐ-CP",
            "legal_bases": [
                "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
                "Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định về "
                "phân cấp, phân quyền trong lĩnh vực thi đua, khen thưởng; quy định chi tiết và "
                "hướng dẫn thi hành một số điều của Luật Thi đua, khen thưởng",
            ],
        },
        "organisation": {
            "name": "BỆNH VIỆN ĐA KHOA TỈNH AN BÌNH", "parent": "SỞ Y TẾ TỈNH AN BÌNH",
            "abbreviation": "BV", "place": "An Bình", "personnel_office": "Phòng Tổ chức cán bộ",
            "personnel_abbreviation": "TCCB", "director_title": "GIÁM ĐỐC",
        },
        "base_salary": 2_340_000,
        "council": {"members": 9, "thresholds": {"CSTDCS": 0.8, "LDTT": 0.5, "GIAY_KHEN": 0.5, "TTLDTT": 0.5}},
        "awards": awards,
        "candidates": [],
        "departments": [],
        "quotas": [],
        "ties": [],
        "money": {"by_title": [], "total": 5_616_000, "total_words": ""},
        "warnings": [],
    }


def sample_options() -> DocumentOptions:
    """Options that fill every optional list (council members present and absent, tally team)."""
    return DocumentOptions(
        numbers={"quyet-dinh": 12, "to-trinh": 11, "to-trinh-cap-tren": 13, "bien-ban": 3, "kiem-phieu": 4},
        signer="Trần Văn Giám",
        office_head="Lê Thị Phòng",
        council_members=(
            CouncilMember("Trần Văn Giám", "Giám đốc – Chủ tịch Hội đồng"),
            CouncilMember("Lê Thị Phòng", "Trưởng phòng Tổ chức cán bộ – Thư ký"),
            CouncilMember("Vũ Văn Vắng", "Chủ tịch Công đoàn – Ủy viên"),
        ),
        absent=("Vũ Văn Vắng",),
        secretary="Lê Thị Phòng",
        tally_team=("Hoàng Văn Kiểm – Trưởng ban", "Đinh Thị Phiếu – Ủy viên"),
    )
