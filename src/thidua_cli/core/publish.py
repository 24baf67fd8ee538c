"""Public posting for comment (công khai lấy ý kiến) and the comments it draws (issue 17).

- The candidates of an awards result are posted with their by-criteria results; the comment
  period is a number of working days from the posting start (core/workdays: Tết and the other
  public holidays, weekends and the regulation's swapped days do not count).
- A comment that is a complaint, a denunciation, or says an investigation or a disciplinary
  review is open, and is not resolved, HOLDS its candidate: "while discipline, investigation or
  a complaint is being considered, no award is given or proposed" (ND 152/2025/NĐ-CP Điều 4.4).
  A plain comment (góp ý) never holds anyone; it is listed in the Biên bản with how it was
  answered.
- The final list is the awards result with each held candidate's proposals set to "pending
  council" and a note saying why: ``render`` lists only what the council decided or proposed,
  so no decision is printed for a held candidate, and ``ledger record`` does not record one.

Pure module: no file, no clock.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from thidua_cli.core import vntext
from thidua_cli.core.awards_result import PENDING, AwardEntry, AwardsOutcome
from thidua_cli.core.vnformat import decimal_comma

BASIS = "NĐ 152/2025/NĐ-CP Điều 4.4"
POSTED = ("proposed", "approved", "pending_council")  # what the notice lists

# Kinds of comment; the ones that hold a candidate until resolved.
COMMENT = "gop-y"
KIND_LABELS = {
    COMMENT: "Góp ý",
    "khieu-nai": "Khiếu nại",
    "to-cao": "Tố cáo",
    "dieu-tra": "Đang điều tra",
    "ky-luat": "Đang xem xét kỷ luật",
}
HOLDING = frozenset(KIND_LABELS) - {COMMENT}
_KIND_WORDS = {
    "": COMMENT, "gopy": COMMENT, "ykien": COMMENT, "kiennghi": COMMENT, "phananh": COMMENT,
    "khieunai": "khieu-nai", "tocao": "to-cao", "dieutra": "dieu-tra",
    "dangdieutra": "dieu-tra", "kyluat": "ky-luat", "xemxetkyluat": "ky-luat",
    "dangxemxetkyluat": "ky-luat",
}


def parse_comment_kind(text: str) -> str | None:
    """"Khiếu nại" → khieu-nai …; blank → góp ý; None when unknown."""
    return _KIND_WORDS.get(vntext.compact(text))


@dataclass(frozen=True)
class Comment:
    about: str  # staff ID of the candidate
    kind: str  # a KIND_LABELS code
    text: str
    by: str = ""  # who made it
    received: date | None = None
    answer: str = ""  # how it was resolved
    resolved: bool = False
    row: int = 0  # the sheet row, for the minutes

    @property
    def holds(self) -> bool:
        return self.kind in HOLDING and not self.resolved

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass(frozen=True)
class Posting:
    start: date
    deadline: date
    days: int  # working days


def posted(outcome: AwardsOutcome) -> list[AwardEntry]:
    """The proposals the notice lists: individuals proposed (or already voted on), in the
    result's order."""
    return [a for a in outcome.awards if a.kind == "individual" and a.status in POSTED]


def criteria_result(outcome: AwardsOutcome, award: AwardEntry) -> str:
    """A candidate's by-criteria result as the notice prints it: the year rating and total,
    and how many of the title's conditions are met or left to the council."""
    parts = []
    if award.year_rating:
        total = f" – {decimal_comma(award.year_total)} điểm" if award.year_total is not None else ""
        parts.append(f"Xếp loại năm {award.year_rating}{total}")
    for c in outcome.candidates:
        if c.staff_id == award.staff_id and c.title == award.title:
            met = len(c.met)
            parts.append(f"đạt {met}/{met + len(c.unmet) + len(c.pending)} điều kiện")
            if c.to_confirm:
                parts.append(f"{len(c.to_confirm)} điều kiện Hội đồng xác nhận")
            break
    return "; ".join(parts)


@dataclass(frozen=True)
class Held:
    staff_id: str
    name: str
    titles: tuple[str, ...]  # the labels of the proposals held
    reasons: tuple[Comment, ...]


def holds(outcome: AwardsOutcome, comments: Sequence[Comment]) -> list[Held]:
    """The candidates with an open complaint, denunciation, investigation or disciplinary
    review (ND 152/2025 Điều 4.4), in the result's order."""
    open_by: dict[str, list[Comment]] = {}
    for c in comments:
        if c.holds:
            open_by.setdefault(c.about, []).append(c)
    out: list[Held] = []
    seen: set[str] = set()
    for a in posted(outcome):
        sid = a.staff_id or ""
        if sid in open_by and sid not in seen:
            seen.add(sid)
            titles = tuple(x.title_label for x in posted(outcome) if x.staff_id == sid)
            out.append(Held(sid, a.name, titles, tuple(open_by[sid])))
    return out


def final_list(outcome: AwardsOutcome, held: Sequence[Held]) -> AwardsOutcome:
    """The result the council and the documents use after the posting: every proposal of a
    held candidate waits (status pending council) with the reason in its note."""
    return hold(outcome, {h.staff_id: reason(h) for h in held})


def reason(h: Held) -> str:
    why = ", ".join(sorted({c.kind_label.lower() for c in h.reasons}))
    return f"Tạm dừng xét: đang có {why} chưa giải quyết xong ({BASIS})"


def hold(outcome: AwardsOutcome, why: Mapping[str, str]) -> AwardsOutcome:
    """Each individual proposal of the staff IDs in ``why`` waits (pending council), the
    reason added to its note: what ``publish comments`` writes, and what ``awards`` does with
    the holds the ledger keeps."""

    def one(a: AwardEntry) -> AwardEntry:
        note = why.get(a.staff_id or "")
        if note is None or a.kind != "individual" or a.status not in POSTED:
            return a
        return replace(a, status=PENDING, note="; ".join(x for x in (a.note, note) if x))

    return replace(outcome, awards=tuple(one(a) for a in outcome.awards))


def held_out(outcome: AwardsOutcome, why: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """(staff ID, name, reason) of each person :func:`hold` would take off ``outcome``: those
    in ``why`` with a proposal still posted, in the result's order, once each."""
    out: list[tuple[str, str, str]] = []
    for a in posted(outcome):
        sid = a.staff_id or ""
        if sid in why and all(sid != o[0] for o in out):
            out.append((sid, a.name, why[sid]))
    return out
