"""The lists the documents print, from the awards result's typed awards: one award normalised
for a document, groups in the official order (domain-law.md §10, §14.8), rows, counts, the
Điều 1 sentence, the Căn cứ lines, the council's vote rows and the Nơi nhận lines."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from thidua_cli.core import vnformat as fmt
from thidua_cli.core.awards_model import APPROVED, PENDING, PROPOSED, REJECTED
from thidua_cli.core.awards_result import AwardsOutcome
from thidua_cli.core.documents.options import DocumentOptions
from thidua_cli.core.names import name_sort_key, vietnamese_key

TYPE_ABBR = {
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


def clean_text(value: str) -> str:
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
            title=clean_text(a.title),
            title_label=clean_text(a.title_label),
            category=a.category,
            level=a.level,
            status=a.status,
            name=clean_text(a.name),
            staff_id=clean_text(a.staff_id or ""),
            gender=clean_text(a.gender),
            position=clean_text(a.position),
            department=clean_text(a.department),
            year_rating=clean_text(a.year_rating or ""),
            votes_for=a.votes_for,
            council_members=a.council_members,
            vote_share=float(a.vote_share) if a.vote_share is not None else None,
            coefficient=clean_text(a.coefficient),
            amount=a.amount,
            paid=a.paid,
            basis=clean_text(a.basis),
            note=clean_text(a.note),
        )
        for i, a in enumerate(result.awards)
    ]



def group_key(a: Award) -> tuple[int, int, int, tuple[Any, ...], str]:
    return (
        0 if a.category == "title" else 1,
        1 if a.collective else 0,
        _TITLE_RANK.get(a.title, 50),
        vietnamese_key(a.title_label),
        a.title,
    )


def row_key(a: Award, order: str) -> tuple[Any, ...]:
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
    for stt, a in enumerate(sorted(awards, key=lambda x: row_key(x, order)), start=1):
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


def groups_of(awards: Sequence[Award], order: str) -> list[dict[str, Any]]:
    by_group: dict[tuple[str, str, str], list[Award]] = {}
    for a in sorted(awards, key=group_key):
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


def counts_of(groups: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
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


def award_sentence(groups: Sequence[Mapping[str, Any]], year: int, issuer: str) -> str:
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


def summary(groups: Sequence[Mapping[str, Any]], year: int) -> str:
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


def authority_placeholder(org_sentence: str) -> str:
    """The director's authority when ``documents.authority_basis`` is not set: printed with
    visible blanks for the văn thư, never dropped (issue 12)."""
    b = fmt.BLANK
    return (f"Quyết định số {b} ngày {b} tháng {b} năm {b} của {b} quy định chức năng, nhiệm vụ, "
            f"quyền hạn và cơ cấu tổ chức của {org_sentence}")


def regulation_placeholder(short_name: str, abbreviation: str) -> str:
    """The hospital's Quy chế thi đua when ``documents.regulation_basis`` is not set."""
    b = fmt.BLANK
    symbol = f"{b}/QĐ-{abbreviation}" if abbreviation else f"{b}/QĐ"
    return (f"Quyết định số {symbol} ngày {b} tháng {b} năm {b} của Giám đốc {short_name} ban hành "
            f"Quy chế thi đua, khen thưởng của {short_name}")


def bases(legal: Sequence[str], opts: DocumentOptions, meeting: str, org: Mapping[str, str]) -> list[str]:
    """The "Căn cứ" lines: the director's authority, the law and decrees of the rule set, the
    regulation's extra lines, the hospital's Quy chế thi đua, the council's minutes. The two
    the hospital declares are printed with blanks when not declared."""
    settings = opts.documents
    lines = [strip_end(settings.authority_basis) or authority_placeholder(org["name_sentence"])]
    lines += [strip_end(b) for b in legal]
    lines += [strip_end(b) for b in settings.extra_bases]
    lines.append(strip_end(settings.regulation_basis)
                 or regulation_placeholder(org["short_name"], org.get("abbreviation", "")))
    lines.append(f"Biên bản họp Hội đồng Thi đua – Khen thưởng {org['short_name']} {meeting}")
    return [_basis_line(line) for line in lines]


def strip_end(text: str) -> str:
    return text.strip().rstrip(";.").strip()


def _basis_line(text: str) -> str:
    text = re.sub(r"^(căn cứ)\s+", "", text, flags=re.IGNORECASE)
    return f"Căn cứ {text};"


def vote_rows(awards: Sequence[Award], order: str, members: int | None) -> list[dict[str, Any]]:
    rows = []
    ordered = sorted(awards, key=lambda a: (group_key(a), row_key(a, order)))
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


def secret_titles(awards: Sequence[Award], ballot_titles: Sequence[str]) -> set[str]:
    """The titles voted on person by person: those of the ballot (``documents.ballot_titles``;
    empty: every title), and any other title whose awards did not all get the same votes (the
    council did not pass it as one list)."""
    titles = {a.title for a in awards}
    secret = set(ballot_titles) & titles if ballot_titles else set(titles)
    for t in titles - secret:
        if len({(a.votes_for, a.council_members) for a in awards if a.title == t}) > 1:
            secret.add(t)
    return secret


def list_votes(awards: Sequence[Award], secret: set[str], members: int | None) -> list[dict[str, Any]]:
    """The titles the council passed as one list (decisions.md: LĐTT, TTLĐTT, Giấy khen by
    default): one line each, the count and the list's vote, "(có danh sách kèm theo)", instead
    of a row per person."""
    out = []
    for title in dict.fromkeys(a.title for a in sorted(awards, key=group_key)):
        if title in secret:
            continue
        items = [a for a in awards if a.title == title]
        first = items[0]
        people = sum(1 for a in items if not a.collective)
        groups = sum(1 for a in items if a.collective)
        count = ", ".join(x for x in (f"{people} cá nhân" if people else "",
                                       f"{groups} tập thể" if groups else "") if x)
        total = first.council_members or members
        votes = first.votes_for
        if votes is not None and total:
            share = first.vote_share if first.vote_share is not None else votes / total
            vote_text = f"{votes}/{total} thành viên đồng ý ({fmt.percent(share)})"
        else:
            vote_text = f"{fmt.BLANK}/{total or fmt.BLANK} thành viên đồng ý"
        result = "thông qua" if all(a.status == STATUS_APPROVED for a in items) else "chưa thông qua"
        out.append({
            "title": title,
            "label": first.title_label,
            "count": len(items),
            "count_text": count,
            "votes": vote_text,
            "result": result,
            "text": (f"{'Danh hiệu' if first.category == 'title' else 'Hình thức'} “{first.title_label}”: "
                     f"{count}; biểu quyết thông qua cả danh sách, {vote_text}; kết quả: {result} (có "
                     "danh sách kèm theo)."),
        })
    return out


def before_vote(awards: Sequence[Award]) -> list[Award]:
    """The proposals as they stood before the vote: an award that exists only because the
    council rejected another one of the same person (a Giấy khen in place of a rejected
    Chiến sĩ thi đua cơ sở) was not proposed, so it is left off the ballot."""
    rejected_people = {a.staff_id or a.name for a in awards if a.status == STATUS_REJECTED}
    return [a for a in awards
            if not (a.category != "title" and a.status != STATUS_REJECTED
                    and (a.staff_id or a.name) in rejected_people)]


def recipients(items: Iterable[str], office_abbr: str) -> list[str]:
    lines = [strip_end(i).lstrip("-").strip() for i in items if strip_end(i)]
    out = [f"- {line};" for line in lines]
    out.append(f"- Lưu: VT, {office_abbr}." if office_abbr else "- Lưu: VT.")
    return out




def higher_request(groups: Sequence[Mapping[str, Any]]) -> str:
    parts = [f"{g['title_label']} cho {g['count']} {g['unit']}" for g in groups]
    return "; ".join(parts)



def money_basis(legal: Sequence[str], ruleset_name: str) -> str:
    for b in legal:
        m = re.search(r"Nghị định số\s+(\S+/NĐ-CP)", b)
        if m:
            return f"Nghị định số {m.group(1)}"
    name = ruleset_name.strip()
    return name or "quy định hiện hành"


def legal_bases(result: AwardsOutcome) -> list[str]:
    """The rule set's legal bases, cleaned, blanks dropped."""
    cleaned = (clean_text(b) for b in result.ruleset.legal_bases)
    return [b for b in cleaned if b]


# A note is printed in the list as a mark ("(1)") and once in full under the table: a
# 100-character note in a narrow column made every row of the example's decision twelve lines
# tall (96 pages; issue 12). Only a note as short as its mark stays in the row.
_NOTE_INLINE_MAX = 3


def mark_notes(groups: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Give every row of ``groups`` a ``note_mark`` (the note itself when short and said once,
    else its mark) and return the legend: ``[{"mark": "(1)", "text": …, "count": n}]``."""
    counts: dict[str, int] = {}
    for g in groups:
        for r in g["rows"]:
            if r["note"]:
                counts[r["note"]] = counts.get(r["note"], 0) + 1
    marks: dict[str, str] = {}
    legend: list[dict[str, Any]] = []
    rows = sum(len(g["rows"]) for g in groups)
    # A note every row carries is said once under the table, not marked on each row ("(1)" on
    # all 32 rows of the Tờ trình lên cấp trên; issue 12).
    everywhere = {n for n, c in counts.items() if c == rows and rows > 1}
    for note in everywhere:
        legend.append({"mark": "Mọi trường hợp:", "text": note, "count": rows})
    for g in groups:
        for r in g["rows"]:
            note = r["note"]
            if note in everywhere:
                r["note_mark"] = ""
            elif note and (counts[note] > 1 or len(note) > _NOTE_INLINE_MAX):
                if note not in marks:
                    marks[note] = f"({len(marks) + 1})"
                    legend.append({"mark": marks[note], "text": note, "count": counts[note]})
                r["note_mark"] = marks[note]
            else:
                r["note_mark"] = note
    return legend


def count_text(groups: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """How many people and collectives a list names, and how many awards it lists: a person with
    two awards (Chiến sĩ thi đua cơ sở and Giấy khen) is one person, two awards."""
    people = {
        (r["staff_id"] or r["name"]) for g in groups if not g["collective"] for r in g["rows"]
    }
    units = {r["name"] for g in groups if g["collective"] for r in g["rows"]}
    individual_awards = sum(g["count"] for g in groups if not g["collective"])
    collective_awards = sum(g["count"] for g in groups if g["collective"])
    parts = []
    if people:
        parts.append(
            f"{len(people)} cá nhân" if individual_awards == len(people)
            else f"{len(people)} cá nhân ({individual_awards} lượt khen thưởng)"
        )
    if units:
        parts.append(
            f"{len(units)} tập thể" if collective_awards == len(units)
            else f"{len(units)} tập thể ({collective_awards} lượt khen thưởng)"
        )
    text = " và ".join(parts) if parts else "0 cá nhân"
    return {
        "count_people": len(people),
        "count_units": len(units),
        "count_text": text,
        "count_sentence": f"Danh sách gồm {text}.",
    }
