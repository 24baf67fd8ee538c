"""The ``thidua.awards/2`` result as typed data: what ``thidua awards`` writes into
``X.de-xuat.json`` (and the hidden sheet of ``X.de-xuat.xlsx``), and what the workbook writer,
the documents, the ledger and the presenters read back.

One contract, one checker: :func:`AwardsOutcome.from_json` refuses a wrong schema, a missing
key or a value of the wrong type with a Vietnamese message naming the file and every key at
fault (exit 4); :meth:`AwardsOutcome.to_json` writes the keys in the order the contract has
always had them (keys may be added, never renamed or removed). Keys that older results lack
read as their defaults, so a result written by an earlier thidua still loads. Pure module.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from thidua_cli.core.awards_model import (
    APPROVED,
    CONFIRM,
    ELIGIBLE,
    MET,
    PENDING,
    PROPOSED,
    REJECTED,
    UNMET,
    Condition,
)
from thidua_cli.core.reasons import LEGACY_TEXT, json_param
from thidua_cli.core.vnformat import decimal_comma
from thidua_cli.errors import InputFileError
from thidua_cli.model import Rating

SCHEMA = "thidua.awards/2"
SCHEMA_V1 = "thidua.awards/1"  # read too: its reasons are texts, kept verbatim (LEGACY_TEXT)
STATUSES = (PROPOSED, APPROVED, REJECTED, PENDING)


@dataclass(frozen=True)
class RulesetInfo:
    code: str = ""
    name: str = ""
    legal_bases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Council:
    members: int | None = None
    thresholds: Mapping[str, float] = field(default_factory=dict)
    # None: a result written before the key existed (the documents then infer it from statuses)
    votes_given: bool | None = None
    # The secret ballot's ballots (issued, returned, valid) from the tally sheet; None when it
    # does not state them (or a result written before the key existed).
    ballots: tuple[int, int, int] | None = None


@dataclass(frozen=True, slots=True)
class AwardEntry:
    kind: str  # "individual" | "collective"
    title: str
    title_label: str
    status: str
    name: str
    category: str = "title"  # "title" | "commendation"
    level: str = "hospital"  # "hospital" | "higher"
    staff_id: str | None = None
    gender: str = ""
    position: str = ""
    department: str = ""
    is_manager: bool = False
    year_rating: str | None = None
    year_total: float | None = None
    votes_for: int | None = None
    council_members: int | None = None
    vote_share: float | None = None
    coefficient: str = ""
    amount: int = 0
    paid: bool = True
    basis: str = ""
    note: str = ""
    initiatives_used: tuple[tuple[int, int], ...] = ()  # (year, count)


# One condition as data: a reason code of the one catalogue (core/reasons.py), its status (met,
# unmet, pending_council, confirm) and its parameters; ``.text`` renders it. The core's own
# Condition, shared, not copied per condition.
ReasonEntry = Condition


@dataclass(frozen=True, slots=True)
class CandidateEntry:
    kind: str
    title: str
    name: str
    staff_id: str | None = None
    department: str = ""
    eligible: bool = False
    outcome: str = ""
    conditions: tuple[ReasonEntry, ...] = ()

    def texts(self, status: str) -> tuple[str, ...]:
        return tuple(c.text for c in self.conditions if c.status == status)

    @property
    def unmet(self) -> tuple[str, ...]:
        return self.texts(UNMET)

    @property
    def met(self) -> tuple[str, ...]:
        return self.texts(MET)

    @property
    def pending(self) -> tuple[str, ...]:
        return self.texts(PENDING)

    @property
    def to_confirm(self) -> tuple[str, ...]:
        return self.texts(CONFIRM)


@dataclass(frozen=True)
class DepartmentEntry:
    name: str
    members: int = 0
    headcount: int = 0
    ldtt: int = 0
    ldtt_share: float | None = None
    cstdcs: int = 0
    all_htnv_or_better: bool = False
    discipline_canh_cao_or_above: int = 0
    titles: tuple[str, ...] = ()
    quota: Mapping[str, int | None] | None = None
    women_share: float | None = None
    mean_total: float | None = None
    rank: int | None = None


@dataclass(frozen=True)
class QuotaEntry:
    title: str
    department: str | None = None
    base: int = 0
    exact: float = 0.0
    quota: int = 0
    candidates: int = 0
    chosen: int = 0
    pending: int = 0
    freed: int = 0  # seats left empty by a council rejection ("còn N suất")
    next_in_rank: tuple[str, ...] = ()  # staff IDs for a supplementary ballot


@dataclass(frozen=True)
class TieEntry:
    kind: str
    title: str
    scope: str = ""
    slots: int = 0
    ids: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    total: float | None = None


@dataclass(frozen=True)
class LeaderShareEntry:
    leaders: int = 0
    direct_workers: int = 0
    share_leaders: float | None = None
    warning: str | None = None
    # Per title: {"title", "leaders", "awarded", "share", "headcount_share", "above_headcount"}
    by_title: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True)
class MoneyEntry:
    title: str
    title_label: str = ""
    kind: str = ""
    count: int = 0
    awarded: int = 0
    coefficient: str = ""
    unit_amount: int = 0
    amount: int = 0


@dataclass(frozen=True)
class MoneySummary:
    by_title: tuple[MoneyEntry, ...] = ()
    total: int | None = None  # None: a result without the block (nothing to cross-check)
    total_words: str = ""


@dataclass(frozen=True, slots=True)
class RatingEntry:
    staff_id: str
    name: str = ""
    department: str = ""
    rating: str | None = None
    rating_label: str = ""
    total: float | None = None
    initiatives: int = 0
    research: int = 0
    note: str = ""


@dataclass(frozen=True)
class WarningEntry:
    code: str
    severity: str = "warning"
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    cell: str | None = None
    message: str = ""


@dataclass(frozen=True)
class ExcludedEntry:
    """Someone not rated here: left before the period end ("left"), or a quarter missing
    without a stated reason ("missing_quarter")."""

    staff_id: str
    name: str = ""
    department: str = ""
    reason: str = ""
    detail: str = ""


@dataclass(frozen=True)
class UnionEntry:
    """A trade-union title met (``[union]``, core/union.py), for the union to consider."""

    staff_id: str
    name: str
    department: str
    title: str
    title_label: str
    basis: str = ""


@dataclass(frozen=True)
class AwardsOutcome:
    """One awards run's result, as the ``thidua.awards/2`` contract holds it."""

    year: int
    decision_date: date
    ruleset: RulesetInfo
    organisation: Mapping[str, Any]  # the letterhead block (name, parent, place …)
    council: Council
    awards: tuple[AwardEntry, ...]
    tool_name: str = "thidua"
    tool_version: str = ""
    decision_date_assumed: bool = False
    base_salary: int | None = None
    base_salary_basis: str = ""
    women_first: bool = False
    candidates: tuple[CandidateEntry, ...] = ()
    departments: tuple[DepartmentEntry, ...] = ()
    quotas: tuple[QuotaEntry, ...] = ()
    ties: tuple[TieEntry, ...] = ()
    leader_share: LeaderShareEntry = field(default_factory=LeaderShareEntry)
    money: MoneySummary = field(default_factory=MoneySummary)
    ratings: tuple[RatingEntry, ...] = ()
    warnings: tuple[WarningEntry, ...] = ()
    settings: Mapping[str, Any] = field(default_factory=dict)
    excluded: tuple[ExcludedEntry, ...] = ()
    # [union] enabled (issue 17): the union titles met (core/union.py); the key is written only
    # when the list has entries, so results without it are unchanged.
    union: tuple[UnionEntry, ...] = ()

    # --- writing ------------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """The JSON object, keys in the contract's order. ``thidua.awards/2`` writes each value
        once: what every award of a title shares (label, basis, coefficient …) in "titles",
        an award's or a rating's keys only when not their default."""
        return {k: list(v) if isinstance(v, Iterator) else v for k, v in self._json().items()}

    def json_text(self) -> str:
        """``json.dumps(self.to_json())``, compact (no indentation, ensure_ascii off)."""
        return self.json_bytes().decode("utf-8")

    def json_bytes(self) -> bytes:
        """:meth:`json_text` in UTF-8, built without ever holding the whole object tree or a
        list of its pieces: the long lists (awards, candidates, ratings) are serialised one
        entry at a time into one buffer (a province's result is ~100 MB of text)."""
        import io
        import json

        def dump(v: Any) -> bytes:
            return json.dumps(v, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

        out = io.BytesIO()
        out.write(b"{")
        for n, (k, v) in enumerate(self._json().items()):
            out.write((b"," if n else b"") + dump(k) + b":")
            if not isinstance(v, Iterator):
                out.write(dump(v))
                continue
            out.write(b"[")
            for i, item in enumerate(v):
                if i:
                    out.write(b",")
                out.write(dump(item))
            out.write(b"]")
        out.write(b"}")
        return out.getvalue()

    def _json(self) -> dict[str, Any]:
        """The JSON object with its long lists as iterators (built as they are consumed)."""
        titles, hoisted = _shared_title_fields(self.awards)
        texts, candidates = _candidates_json(self.candidates, self.ratings)
        return {
            "schema": SCHEMA,
            "tool": {"name": self.tool_name, "version": self.tool_version},
            "year": self.year,
            "decision_date": self.decision_date.isoformat(),
            "decision_date_assumed": self.decision_date_assumed,
            "ruleset": {"code": self.ruleset.code, "name": self.ruleset.name,
                        "legal_bases": list(self.ruleset.legal_bases)},
            "organisation": dict(self.organisation),
            "base_salary": self.base_salary,
            "base_salary_basis": self.base_salary_basis,
            "council": {"members": self.council.members,
                        "thresholds": dict(self.council.thresholds),
                        "votes_given": self.council.votes_given,
                        **_ballots_json(self.council.ballots)},
            "women_first": self.women_first,
            "titles": [dict(t) for t in titles],
            "awards": (_award_json(a, hoisted) for a in self.awards),
            "texts": texts,
            "candidates": candidates,
            "departments": [
                {"name": d.name, "members": d.members, "headcount": d.headcount, "ldtt": d.ldtt,
                 "ldtt_share": d.ldtt_share, "cstdcs": d.cstdcs,
                 "all_htnv_or_better": d.all_htnv_or_better,
                 "discipline_canh_cao_or_above": d.discipline_canh_cao_or_above,
                 "titles": list(d.titles),
                 "quota": dict(d.quota) if d.quota is not None else None,
                 "women_share": d.women_share, "mean_total": d.mean_total, "rank": d.rank}
                for d in self.departments
            ],
            "quotas": [
                {"title": q.title, "department": q.department, "base": q.base, "exact": q.exact,
                 "quota": q.quota, "candidates": q.candidates, "chosen": q.chosen,
                 "pending": q.pending, "freed": q.freed, "next_in_rank": list(q.next_in_rank)}
                for q in self.quotas
            ],
            "ties": [
                {"kind": t.kind, "title": t.title, "scope": t.scope, "slots": t.slots,
                 "ids": list(t.ids), "names": list(t.names), "total": t.total}
                for t in self.ties
            ],
            "leader_share": {"leaders": self.leader_share.leaders,
                             "direct_workers": self.leader_share.direct_workers,
                             "share_leaders": self.leader_share.share_leaders,
                             "warning": self.leader_share.warning,
                             "by_title": [dict(t) for t in self.leader_share.by_title]},
            "money": {
                "by_title": [
                    {"title": m.title, "title_label": m.title_label, "kind": m.kind,
                     "count": m.count, "awarded": m.awarded, "coefficient": m.coefficient,
                     "unit_amount": m.unit_amount, "amount": m.amount}
                    for m in self.money.by_title
                ],
                "total": self.money.total,
                "total_words": self.money.total_words,
            },
            "ratings": (
                _without_defaults({"staff_id": r.staff_id, "name": r.name,
                                   "department": r.department, "rating": r.rating,
                                   "total": r.total, "initiatives": r.initiatives,
                                   "research": r.research, "note": r.note}, _RATING_DEFAULTS)
                for r in self.ratings
            ),
            "warnings": [
                {"code": w.code, "severity": w.severity, "file": w.file, "sheet": w.sheet,
                 "row": w.row, "column": w.column, "cell": w.cell, "message": w.message}
                for w in self.warnings
            ],
            "settings": dict(self.settings),
            "excluded": [
                {"staff_id": e.staff_id, "name": e.name, "department": e.department,
                 "reason": e.reason, "detail": e.detail}
                for e in self.excluded
            ],
        } | ({"union": [{"staff_id": u.staff_id, "name": u.name, "department": u.department,
                         "title": u.title, "title_label": u.title_label, "basis": u.basis}
                        for u in self.union]} if self.union else {})

    # --- reading ------------------------------------------------------------------------------

    @classmethod
    def from_json(cls, data: Any, source: str = "kết quả xét danh hiệu") -> AwardsOutcome:
        """The result from a parsed JSON object. ``source`` names the file in messages. Raises
        :class:`InputFileError` (exit 4) listing every key that is missing or of the wrong
        type."""
        if not isinstance(data, Mapping):
            raise InputFileError(f"{source} không phải kết quả xét danh hiệu: cần một đối tượng JSON.")
        schema = data.get("schema")
        if schema not in (SCHEMA, SCHEMA_V1):
            raise InputFileError(
                f"{source} không phải kết quả xét danh hiệu (schema là {schema!r}, cần \"{SCHEMA}\" "
                f"hoặc \"{SCHEMA_V1}\"). "
                "Hãy dùng tệp .de-xuat.json hoặc .de-xuat.xlsx do lệnh thidua awards tạo ra."
            )
        r = _Checker(source)
        year = r.integer(data, "year", "")
        decision = date(1, 1, 1)
        raw_date = data.get("decision_date")
        if not isinstance(raw_date, str):
            r.bad("decision_date", "thiếu hoặc không phải ngày dạng \"2026-12-20\".")
        else:
            try:
                decision = date.fromisoformat(raw_date.strip()[:10])
            except ValueError:
                r.bad("decision_date", f"\"{raw_date}\" không phải ngày dạng \"2026-12-20\".")
        for section in ("organisation", "ruleset", "council"):
            if not isinstance(data.get(section), Mapping):
                r.bad(section, "thiếu hoặc không phải một đối tượng.")
        ruleset_raw = r.mapping(data, "ruleset", "")
        ruleset = RulesetInfo(
            code=r.text(ruleset_raw, "code", "ruleset", required=False),
            name=r.text(ruleset_raw, "name", "ruleset", required=False),
            legal_bases=r.texts(ruleset_raw, "legal_bases", "ruleset"),
        )
        council_raw = r.mapping(data, "council", "")
        thresholds = council_raw.get("thresholds")
        if thresholds is not None and not isinstance(thresholds, Mapping):
            r.bad("council.thresholds", "phải là một đối tượng {mã danh hiệu: tỷ lệ}.")
            thresholds = None
        council = Council(
            members=r.integer(council_raw, "members", "council", required=False),
            thresholds=dict(thresholds or {}),
            votes_given=r.boolean(council_raw, "votes_given", "council", None),
            ballots=_ballots(r, council_raw),
        )
        base_salary = r.integer(data, "base_salary", "", required=False)
        tool = r.mapping(data, "tool", "")
        awards_raw = r.items(data, "awards", "", required=True)
        # /2: what every award of a title shares is written once, in "titles".
        shared = {(t.get("kind"), t.get("title")): t for _, t in r.items(data, "titles", "",
                                                                        required=False)}
        awards = tuple(_award(r, {**shared.get((raw.get("kind"), raw.get("title")), {}), **raw},
                              f"awards[{i}]") for i, raw in awards_raw)
        ratings = _ratings(r, data)
        candidates = (_candidates_v1(r, data) if schema == SCHEMA_V1
                      else _candidates(r, data, ratings))
        departments = tuple(_department(r, d, f"departments[{i}]")
                            for i, d in r.items(data, "departments", ""))
        quotas = tuple(
            QuotaEntry(
                title=r.text(q, "title", p), department=r.text_or_none(q, "department", p),
                base=r.integer(q, "base", p, required=False) or 0,
                exact=r.number(q, "exact", p) or 0.0,
                quota=r.integer(q, "quota", p, required=False) or 0,
                candidates=r.integer(q, "candidates", p, required=False) or 0,
                chosen=r.integer(q, "chosen", p, required=False) or 0,
                freed=r.integer(q, "freed", p, required=False) or 0,
                next_in_rank=r.texts(q, "next_in_rank", p),
                pending=r.integer(q, "pending", p, required=False) or 0,
            )
            for p, q in ((f"quotas[{i}]", q) for i, q in r.items(data, "quotas", ""))
        )
        ties = tuple(
            TieEntry(
                kind=r.text(t, "kind", p), title=r.text(t, "title", p),
                scope=r.text(t, "scope", p, required=False),
                slots=r.integer(t, "slots", p, required=False) or 0,
                ids=r.texts(t, "ids", p), names=r.texts(t, "names", p),
                total=r.number(t, "total", p),
            )
            for p, t in ((f"ties[{i}]", t) for i, t in r.items(data, "ties", ""))
        )
        leader_raw = r.mapping(data, "leader_share", "")
        leader = LeaderShareEntry(
            leaders=r.integer(leader_raw, "leaders", "leader_share", required=False) or 0,
            direct_workers=r.integer(leader_raw, "direct_workers", "leader_share",
                                     required=False) or 0,
            share_leaders=r.number(leader_raw, "share_leaders", "leader_share"),
            warning=r.text_or_none(leader_raw, "warning", "leader_share"),
            by_title=tuple(dict(t) for _, t in r.items(leader_raw, "by_title", "leader_share")),
        )
        money_raw = r.mapping(data, "money", "")
        money = MoneySummary(
            by_title=tuple(
                MoneyEntry(
                    title=r.text(m, "title", p),
                    title_label=r.text(m, "title_label", p, required=False),
                    kind=r.text(m, "kind", p, required=False),
                    count=r.integer(m, "count", p, required=False) or 0,
                    awarded=r.integer(m, "awarded", p, required=False) or 0,
                    coefficient=r.text(m, "coefficient", p, required=False),
                    unit_amount=r.integer(m, "unit_amount", p, required=False) or 0,
                    amount=r.integer(m, "amount", p, required=False) or 0,
                )
                for p, m in ((f"money.by_title[{i}]", m)
                             for i, m in r.items(money_raw, "by_title", "money"))
            ),
            total=r.integer(money_raw, "total", "money", required=False),
            total_words=r.text(money_raw, "total_words", "money", required=False),
        )
        warnings = tuple(
            WarningEntry(
                code=r.text(w, "code", p), severity=r.text(w, "severity", p, required=False)
                or "warning",
                file=r.text_or_none(w, "file", p), sheet=r.text_or_none(w, "sheet", p),
                row=r.integer(w, "row", p, required=False), column=r.text_or_none(w, "column", p),
                cell=r.text_or_none(w, "cell", p), message=r.text(w, "message", p, required=False),
            )
            for p, w in ((f"warnings[{i}]", w) for i, w in r.items(data, "warnings", ""))
        )
        excluded = tuple(
            ExcludedEntry(
                staff_id=r.text(x, "staff_id", p), name=r.text(x, "name", p, required=False),
                department=r.text(x, "department", p, required=False),
                reason=r.text(x, "reason", p, required=False),
                detail=r.text(x, "detail", p, required=False),
            )
            for p, x in ((f"excluded[{i}]", x) for i, x in r.items(data, "excluded", "",
                                                                   required=False))
        )
        union = tuple(
            UnionEntry(staff_id=r.text(x, "staff_id", p), name=r.text(x, "name", p, required=False),
                       department=r.text(x, "department", p, required=False),
                       title=r.text(x, "title", p), title_label=r.text(x, "title_label", p),
                       basis=r.text(x, "basis", p, required=False))
            for p, x in ((f"union[{i}]", x) for i, x in r.items(data, "union", "",
                                                                required=False))
        )
        r.fail()
        assert year is not None
        return cls(
            year=year,
            decision_date=decision,
            ruleset=ruleset,
            organisation=dict(r.mapping(data, "organisation", "")),
            council=council,
            awards=awards,
            tool_name=r.text(tool, "name", "tool", required=False) or "thidua",
            tool_version=r.text(tool, "version", "tool", required=False),
            decision_date_assumed=bool(r.boolean(data, "decision_date_assumed", "", False)),
            base_salary=base_salary,
            base_salary_basis=r.text(data, "base_salary_basis", "", required=False),
            women_first=bool(r.boolean(data, "women_first", "", False)),
            candidates=candidates,
            departments=departments,
            quotas=quotas,
            ties=ties,
            leader_share=leader,
            money=money,
            ratings=ratings,
            warnings=warnings,
            settings=dict(r.mapping(data, "settings", "")),
            excluded=excluded,
            union=union,
        )


def _candidates_json(candidates: tuple[CandidateEntry, ...], ratings: tuple[RatingEntry, ...],
                     ) -> tuple[list[str], Iterator[dict[str, Any]]]:
    """``thidua.awards/2`` candidates: one object per person or department (consecutive
    candidates of the same one), its titles as ``[title, outcome, [[code, status, *params]…]]``.
    A person's name and department are in ``ratings`` and written here only when not there. A
    text parameter that recurs (a rating phrase, a history of years) is written once, in
    "texts", and referred to as ``[i]`` (a parameter is otherwise never a list)."""
    counts: dict[str, int] = {}
    for c in candidates:
        for x in c.conditions:
            for v in x.params:
                if isinstance(v, str) and len(v) > 6:
                    counts[v] = counts.get(v, 0) + 1
    texts = [t for t, n in counts.items() if n > 1]
    index = {t: i for i, t in enumerate(texts)}

    def param(v: Any) -> Any:
        v = json_param(v)
        i = index.get(v) if isinstance(v, str) else None
        return v if i is None else [i]

    known = {x.staff_id: (x.name, x.department) for x in ratings}

    def groups() -> Iterator[dict[str, Any]]:
        group: dict[str, Any] | None = None
        last: tuple[str, str | None, str] | None = None
        for c in candidates:
            key = (c.kind, c.staff_id, c.name)
            if key != last:
                if group is not None:
                    yield group
                last = key
                group = {"kind": c.kind}
                if c.staff_id is not None:
                    group["staff_id"] = c.staff_id
                if c.staff_id is None or known.get(c.staff_id) != (c.name, c.department):
                    group["name"] = c.name
                    if c.department and c.department != c.name:
                        group["department"] = c.department
                group["titles"] = []
            assert group is not None
            group["titles"].append([c.title, c.outcome, [
                [x.code, x.status, *(param(v) for v in x.params)] for x in c.conditions]])
        if group is not None:
            yield group

    return texts, groups()


def _ratings(r: _Checker, data: Mapping[str, Any]) -> tuple[RatingEntry, ...]:
    return tuple(
        RatingEntry(
            staff_id=r.text(x, "staff_id", p), name=r.text(x, "name", p, required=False),
            department=r.text(x, "department", p, required=False),
            rating=r.text_or_none(x, "rating", p),
            rating_label=r.text(x, "rating_label", p, required=False) or _rating_label(x),
            total=r.number(x, "total", p),
            initiatives=r.integer(x, "initiatives", p, required=False) or 0,
            research=r.integer(x, "research", p, required=False) or 0,
            note=r.text(x, "note", p, required=False),
        )
        for p, x in ((f"ratings[{i}]", x) for i, x in r.items(data, "ratings", ""))
    )


_STATUSES = (MET, UNMET, PENDING, CONFIRM)


def _rating_label(x: Mapping[str, Any]) -> str:
    """/2 leaves the label out: it is the rating code's (model.Rating)."""
    try:
        return Rating(str(x.get("rating"))).label
    except ValueError:
        return ""


def _candidates(r: _Checker, data: Mapping[str, Any],
                ratings: tuple[RatingEntry, ...]) -> tuple[CandidateEntry, ...]:
    known = {x.staff_id: (x.name, x.department) for x in ratings}
    texts = data.get("texts", [])
    if not (isinstance(texts, list) and all(isinstance(t, str) for t in texts)):
        r.bad("texts", "phải là danh sách các chuỗi.")
        texts = []

    def param(v: Any, where: str) -> Any:
        if isinstance(v, list):
            if len(v) == 1 and isinstance(v[0], int) and 0 <= v[0] < len(texts):
                return texts[v[0]]
            r.bad(where, f"tham số {v!r} không trỏ tới một mục của \"texts\".")
        return v

    out: list[CandidateEntry] = []
    for i, g in r.items(data, "candidates", ""):
        p = f"candidates[{i}]"
        kind = r.text(g, "kind", p)
        staff_id = r.text_or_none(g, "staff_id", p)
        name, department = known.get(staff_id or "", ("", ""))
        if "name" in g or staff_id is None:
            name = r.text(g, "name", p)
            department = r.text(g, "department", p, required=False) or (
                name if staff_id is None else "")
        titles = g.get("titles")
        if not isinstance(titles, list):
            r.bad(f"{p}.titles", "thiếu hoặc không phải một danh sách.")
            continue
        for j, t in enumerate(titles):
            tp = f"{p}.titles[{j}]"
            if not (isinstance(t, list) and len(t) == 3 and isinstance(t[0], str)
                    and isinstance(t[1], str) and isinstance(t[2], list)):
                r.bad(tp, "phải là [danh hiệu, kết quả, [điều kiện…]].")
                continue
            reasons: list[ReasonEntry] = []
            for k, c in enumerate(t[2]):
                if not (isinstance(c, list) and len(c) >= 2 and isinstance(c[0], str)
                        and c[1] in _STATUSES):
                    r.bad(f"{tp}[2][{k}]", "phải là [mã lý do, trạng thái, tham số…].")
                    continue
                reasons.append(ReasonEntry(c[0], c[1], tuple(param(v, f"{tp}[2][{k}]")
                                                             for v in c[2:])))
            out.append(CandidateEntry(kind=kind, title=t[0], name=name, staff_id=staff_id,
                                      department=department, eligible=t[1] == ELIGIBLE,
                                      outcome=t[1], conditions=tuple(reasons)))
    return tuple(out)


def _candidates_v1(r: _Checker, data: Mapping[str, Any]) -> tuple[CandidateEntry, ...]:
    """A ``thidua.awards/1`` result: each reason was stored as its text; it is kept verbatim
    (code LEGACY_TEXT), so an old result still renders its documents unchanged."""
    out: list[CandidateEntry] = []
    for i, c in r.items(data, "candidates", ""):
        p = f"candidates[{i}]"
        reasons = tuple(ReasonEntry(LEGACY_TEXT, status, (text,))
                        for key, status in (("unmet", UNMET), ("pending", PENDING),
                                            ("met", MET), ("to_confirm", CONFIRM))
                        for text in r.texts(c, key, p))
        out.append(CandidateEntry(
            kind=r.text(c, "kind", p), title=r.text(c, "title", p), name=r.text(c, "name", p),
            staff_id=r.text_or_none(c, "staff_id", p),
            department=r.text(c, "department", p, required=False),
            eligible=bool(r.boolean(c, "eligible", p, False)),
            outcome=r.text(c, "outcome", p, required=False), conditions=reasons))
    return tuple(out)


_SHARED = ("title_label", "category", "level", "basis", "coefficient")
_AWARD_DEFAULTS: dict[str, Any] = {
    "category": "title", "level": "hospital", "gender": "", "position": "", "department": "",
    "is_manager": False, "year_rating": None, "year_total": None, "votes_for": None,
    "council_members": None, "vote_share": None, "coefficient": "", "amount": 0, "paid": True,
    "basis": "", "note": "", "initiatives_used": [], "staff_id": None,
}
_RATING_DEFAULTS: dict[str, Any] = {"department": "", "rating": None, "total": None,
                                    "initiatives": 0, "research": 0, "note": ""}


def _without_defaults(obj: dict[str, Any], defaults: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if k not in defaults or v != defaults[k]
            or isinstance(v, bool) != isinstance(defaults[k], bool)}


def _shared_title_fields(
    awards: tuple[AwardEntry, ...],
) -> tuple[list[dict[str, Any]], dict[tuple[str, str], frozenset[str]]]:
    """Per (kind, title): the fields of _SHARED that every award of it has alike; they are
    written once in "titles" and left out of each award."""
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for a in awards:
        key = (a.kind, a.title)
        values = {f: getattr(a, f) for f in _SHARED}
        if key not in seen:
            seen[key] = values
        else:
            shared = seen[key]
            for f in [f for f in shared if shared[f] != values[f]]:
                del shared[f]
    titles = [{"kind": k, "title": t, **v} for (k, t), v in seen.items()]
    return titles, {k: frozenset(v) for k, v in seen.items()}


def award_json(a: AwardEntry) -> dict[str, Any]:
    """One award with every key (the /1 form of an award)."""
    return _award_json(a)


def _award_json(a: AwardEntry,
                hoisted: Mapping[tuple[str, str], frozenset[str]] | None = None) -> dict[str, Any]:
    shared = (hoisted or {}).get((a.kind, a.title), frozenset())
    full = {
        "kind": a.kind,
        "title": a.title,
        "title_label": a.title_label,
        "category": a.category,
        "level": a.level,
        "staff_id": a.staff_id,
        "name": a.name,
        "gender": a.gender,
        "position": a.position,
        "department": a.department,
        "is_manager": a.is_manager,
        "year_rating": a.year_rating,
        "year_total": a.year_total,
        "status": a.status,
        "votes_for": a.votes_for,
        "council_members": a.council_members,
        "vote_share": a.vote_share,
        "coefficient": a.coefficient,
        "amount": a.amount,
        "paid": a.paid,
        "basis": a.basis,
        "note": a.note,
        "initiatives_used": [{"year": y, "count": n} for y, n in a.initiatives_used],
    }
    if hoisted is None:
        return full
    return _without_defaults({k: v for k, v in full.items() if k not in shared},
                             _AWARD_DEFAULTS)


def _award(r: _Checker, raw: Mapping[str, Any], path: str) -> AwardEntry:
    kind = r.text(raw, "kind", path)
    if kind and kind not in ("individual", "collective"):
        r.bad(f"{path}.kind", f"\"{kind}\" phải là \"individual\" hoặc \"collective\".")
    status = r.text(raw, "status", path)
    if status and status not in STATUSES:
        r.bad(f"{path}.status", f"\"{status}\" phải là một trong {', '.join(STATUSES)}.")
    category = r.text(raw, "category", path, required=False, default="title")
    if category not in ("title", "commendation"):
        r.bad(f"{path}.category", f"\"{category}\" phải là \"title\" hoặc \"commendation\".")
    level = r.text(raw, "level", path, required=False, default="hospital")
    if level not in ("hospital", "higher"):
        r.bad(f"{path}.level", f"\"{level}\" phải là \"hospital\" hoặc \"higher\".")
    coefficient = r.text(raw, "coefficient", path, required=False, default="")
    if coefficient:
        try:
            decimal_comma(coefficient)
        except ValueError:
            r.bad(f"{path}.coefficient", f"\"{coefficient}\" không phải là số.")
    amount = r.integer(raw, "amount", path, required=False)
    if amount is not None and amount < 0:
        r.bad(f"{path}.amount", "không được âm.")
    paid = raw.get("paid", True)
    if not isinstance(paid, bool):
        r.bad(f"{path}.paid", "phải là true hoặc false.")
        paid = True
    share = raw.get("vote_share")
    if share is not None and (isinstance(share, bool) or not isinstance(share, (int, float))):
        r.bad(f"{path}.vote_share", "phải là số.")
        share = None
    used: list[tuple[int, int]] = []
    for i, u in r.items(raw, "initiatives_used", path):
        where = f"{path}.initiatives_used[{i}]"
        y, n = r.integer(u, "year", where), r.integer(u, "count", where)
        if y is not None and n is not None:
            used.append((y, n))
    return AwardEntry(
        kind=kind or "individual",
        title=r.text(raw, "title", path),
        title_label=r.text(raw, "title_label", path),
        status=status,
        name=r.text(raw, "name", path),
        category=category,
        level=level,
        staff_id=r.text_or_none(raw, "staff_id", path),
        gender=r.text(raw, "gender", path, required=False),
        position=r.text(raw, "position", path, required=False),
        department=r.text(raw, "department", path, required=False),
        is_manager=bool(r.boolean(raw, "is_manager", path, False)),
        year_rating=r.text_or_none(raw, "year_rating", path),
        year_total=r.number(raw, "year_total", path),
        votes_for=r.integer(raw, "votes_for", path, required=False),
        council_members=r.integer(raw, "council_members", path, required=False),
        vote_share=share,
        coefficient=coefficient,
        amount=amount or 0,
        paid=paid,
        basis=r.text(raw, "basis", path, required=False),
        note=r.text(raw, "note", path, required=False),
        initiatives_used=tuple(used),
    )


def _department(r: _Checker, d: Mapping[str, Any], p: str) -> DepartmentEntry:
    quota = d.get("quota")
    if quota is not None and not isinstance(quota, Mapping):
        r.bad(f"{p}.quota", "phải là một đối tượng {mã danh hiệu: số suất}.")
        quota = None
    return DepartmentEntry(
        name=r.text(d, "name", p),
        members=r.integer(d, "members", p, required=False) or 0,
        headcount=r.integer(d, "headcount", p, required=False) or 0,
        ldtt=r.integer(d, "ldtt", p, required=False) or 0,
        ldtt_share=r.number(d, "ldtt_share", p),
        cstdcs=r.integer(d, "cstdcs", p, required=False) or 0,
        all_htnv_or_better=bool(r.boolean(d, "all_htnv_or_better", p, False)),
        discipline_canh_cao_or_above=r.integer(d, "discipline_canh_cao_or_above", p,
                                               required=False) or 0,
        titles=r.texts(d, "titles", p),
        quota=dict(quota) if quota is not None else None,
        women_share=r.number(d, "women_share", p),
        mean_total=r.number(d, "mean_total", p),
        rank=r.integer(d, "rank", p, required=False),
    )


class _Checker:
    """Reads the JSON object and says exactly which key is wrong, in Vietnamese."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[str] = []

    def bad(self, path: str, message: str) -> None:
        self.problems.append(f"- {path}: {message}")

    @staticmethod
    def _where(path: str, key: str) -> str:
        return f"{path}.{key}" if path else key

    def text(self, obj: Mapping[str, Any], key: str, path: str, *, required: bool = True,
             default: str = "") -> str:
        """``obj[key]`` as text (a whole number is taken as its digits: a staff ID typed as a
        number); ``path`` is where ``obj`` sits ("awards[3]"; "" at the top)."""
        value = obj.get(key)
        if value is None:
            if required:
                self.bad(self._where(path, key), "thiếu.")
            return default
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            self.bad(self._where(path, key), f"phải là chuỗi chữ, không phải {value!r}.")
            return default
        return str(value)

    def text_or_none(self, obj: Mapping[str, Any], key: str, path: str) -> str | None:
        if obj.get(key) is None:
            return None
        return self.text(obj, key, path, required=False)

    def texts(self, obj: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
        value = obj.get(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.bad(self._where(path, key), "phải là danh sách chuỗi chữ.")
            return ()
        return tuple(value)

    def integer(self, obj: Mapping[str, Any], key: str, path: str, *,
                required: bool = True) -> int | None:
        """``obj[key]`` as a whole number (see :meth:`text` for ``path``)."""
        value = obj.get(key)
        if value is None:
            if required:
                self.bad(self._where(path, key), "thiếu.")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                return int(value)
            self.bad(self._where(path, key), f"phải là số nguyên, không phải {value!r}.")
            return None
        return value

    def number(self, obj: Mapping[str, Any], key: str, path: str) -> float | None:
        value = obj.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.bad(self._where(path, key), f"phải là số, không phải {value!r}.")
            return None
        return value

    def boolean(self, obj: Mapping[str, Any], key: str, path: str,
                default: bool | None) -> bool | None:
        value = obj.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.bad(self._where(path, key), "phải là true hoặc false.")
            return default
        return value

    def mapping(self, obj: Mapping[str, Any], key: str, path: str) -> Mapping[str, Any]:
        """An optional block; a block of the wrong type is reported once, by the caller or
        here."""
        value = obj.get(key)
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            if key not in ("organisation", "ruleset", "council") or path:
                self.bad(self._where(path, key), "không phải một đối tượng.")
            return {}
        return value

    def items(self, obj: Mapping[str, Any], key: str, path: str, *,
              required: bool = False) -> list[tuple[int, Mapping[str, Any]]]:
        """The objects of a list, with their positions; anything else in it is reported."""
        value = obj.get(key)
        if value is None or not isinstance(value, list):
            if required or value is not None:
                self.bad(self._where(path, key), "thiếu hoặc không phải danh sách.")
            return []
        out: list[tuple[int, Mapping[str, Any]]] = []
        for i, item in enumerate(value):
            if isinstance(item, Mapping):
                out.append((i, item))
            else:
                self.bad(f"{self._where(path, key)}[{i}]", "không phải một đối tượng.")
        return out

    def fail(self) -> None:
        if self.problems:
            shown = self.problems[:20]
            more = len(self.problems) - len(shown)
            tail = f"\n- … và {more} lỗi khác." if more > 0 else ""
            raise InputFileError(
                f"{self.source} không phải kết quả xét danh hiệu hợp lệ ({SCHEMA}):\n"
                + "\n".join(shown)
                + tail
                + "\nHãy tạo lại tệp bằng lệnh thidua awards (không sửa tay tệp JSON)."
            )


def from_json(data: Any, source: str = "kết quả xét danh hiệu") -> AwardsOutcome:
    return AwardsOutcome.from_json(data, source)


# The ballots counted at the meeting: {"issued", "returned", "valid"} under "council", written
# only when the tally sheet states them (a result without them reads as before).
_BALLOT_KEYS = ("issued", "returned", "valid")


def _ballots_json(ballots: tuple[int, int, int] | None) -> dict[str, Any]:
    return {} if ballots is None else {"ballots": dict(zip(_BALLOT_KEYS, ballots, strict=True))}


def _ballots(r: _Checker, council: Mapping[str, Any]) -> tuple[int, int, int] | None:
    block = r.mapping(council, "ballots", "council")
    if not block:
        return None
    issued, returned, valid = (r.integer(block, k, "council.ballots") for k in _BALLOT_KEYS)
    if issued is None or returned is None or valid is None:
        return None
    if not 0 <= valid <= returned <= issued:
        r.bad("council.ballots", f"cần 0 ≤ hợp lệ ≤ thu vào ≤ phát ra ({valid} ≤ {returned} ≤ {issued}).")
        return None
    return issued, returned, valid
