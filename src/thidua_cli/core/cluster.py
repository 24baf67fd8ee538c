"""The emulation cluster (khối thi đua) of hospitals (issue 18), pure.

Each member hospital scores itself against the cluster's scoring table and is cross-checked by
the head unit and the province's board. From those scores this module computes, per member, the
self and checked totals, the differences criterion by criterion (flagged above the tolerance),
the competition rank (1, 2, 2, 4: ties surfaced, never broken), the Cờ thi đua proposal for the
unit ranked first and the Bằng khen for the next ones, with the reason for every yes and no; the
share of leaders and managers among the individuals the members propose (per title and overall);
and who heads the cluster next year. Numbers are Decimals so that equal totals are equal.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from thidua_cli.config.sections import CLUSTER_ITEM_KINDS, ClusterItem, ClusterSettings

# Item kinds of the scoring table: a criterion adds its points, a bonus item adds, a deduction
# item (points written as a positive number) subtracts.
CRITERION, BONUS, DEDUCTION = CLUSTER_ITEM_KINDS
KINDS = CLUSTER_ITEM_KINDS

FLAG, BANG_KHEN = "CO_THI_DUA", "BANG_KHEN"
TITLE_LABELS = {FLAG: "Cờ thi đua", BANG_KHEN: "Bằng khen"}
PROPOSED, NOT_PROPOSED, PENDING = "proposed", "not_proposed", "pending"
STATUS_LABELS = {PROPOSED: "Đề nghị", NOT_PROPOSED: "Không đề nghị", PENDING: "Chờ khối quyết định"}

CONDITION_LABELS = {
    "targets_exceeded": "hoàn thành vượt mức chỉ tiêu, nhiệm vụ",
    "party_htxsnv": "tổ chức đảng xếp loại Hoàn thành xuất sắc nhiệm vụ",
    "no_serious_violation": "không có vi phạm nghiêm trọng, khiếu nại vượt cấp",
}
ALL_TITLES = "ALL"


# One row of the cluster's scoring table (typed with the settings, which may hold the table).
Item = ClusterItem


@dataclass(frozen=True)
class Member:
    """One member unit as the members' list gives it. A condition is None when not stated."""

    name: str
    is_head: bool = False
    staff: int | None = None
    targets_exceeded: bool | None = None
    party_htxsnv: bool | None = None
    serious_violation: bool | None = None

    def condition(self, code: str) -> bool | None:
        if code == "targets_exceeded":
            return self.targets_exceeded
        if code == "party_htxsnv":
            return self.party_htxsnv
        return None if self.serious_violation is None else not self.serious_violation


@dataclass(frozen=True)
class MemberSheet:
    """One member's points: item code → self points and checked points (None: blank)."""

    member: str
    source: str
    self_points: Mapping[str, Decimal | None]
    checked_points: Mapping[str, Decimal | None]


@dataclass(frozen=True)
class Ballot:
    """The vote of the member heads: how many of ``members`` voted for each unit."""

    members: int
    flag: Mapping[str, int] = field(default_factory=dict)  # member name → votes for the Cờ
    bang_khen: Mapping[str, int] = field(default_factory=dict)
    source: str = ""


@dataclass(frozen=True)
class Proposed:
    """One individual a member proposes for a title (from its awards result)."""

    member: str
    name: str
    title: str
    title_label: str
    is_manager: bool
    staff_id: str = ""


@dataclass(frozen=True)
class Difference:
    code: str
    self_points: Decimal | None
    checked_points: Decimal | None
    difference: Decimal  # self − checked (0 when either is blank)
    flagged: bool


@dataclass(frozen=True)
class MemberResult:
    name: str
    source: str
    self_total: Decimal
    checked_total: Decimal
    rank: int
    tied_with: tuple[str, ...]
    differences: tuple[Difference, ...]
    self_used: tuple[str, ...]  # items without a checked score: the self score counted

    @property
    def flagged(self) -> tuple[Difference, ...]:
        return tuple(d for d in self.differences if d.flagged)


@dataclass(frozen=True)
class Reason:
    met: bool | None  # None: not known yet (no vote held, a tie to settle)
    text: str


@dataclass(frozen=True)
class Decision:
    member: str
    title: str  # FLAG | BANG_KHEN
    status: str  # PROPOSED | NOT_PROPOSED | PENDING
    reasons: tuple[Reason, ...]
    votes_for: int | None = None


@dataclass(frozen=True)
class RatioEntry:
    member: str
    leaders: int
    direct: int
    share: Decimal | None
    exceeds: bool


@dataclass(frozen=True)
class RatioRow:
    title: str  # a title code, or ALL_TITLES
    title_label: str
    leaders: int
    direct: int
    share: Decimal | None  # leaders / (leaders + direct)
    limit: Decimal | None  # None: no limit set
    exceeds: bool
    members: tuple[RatioEntry, ...]


@dataclass(frozen=True)
class Rotation:
    rule: str
    current: str | None
    next: str | None
    reason: str


@dataclass(frozen=True)
class ClusterOutcome:
    year: int
    name: str
    items: tuple[Item, ...]
    members: tuple[Member, ...]
    results: tuple[MemberResult, ...]  # in rank order (ties in the members' list order)
    decisions: tuple[Decision, ...]
    ratio: tuple[RatioRow, ...]
    rotation: Rotation
    ballot: Ballot | None
    settings: ClusterSettings

    def decision(self, member: str, title: str) -> Decision:
        return next(d for d in self.decisions if d.member == member and d.title == title)

    @property
    def ties(self) -> tuple[tuple[int, tuple[str, ...]], ...]:
        seen: dict[int, tuple[str, ...]] = {}
        for r in self.results:
            if r.tied_with:
                seen.setdefault(r.rank, (r.name, *r.tied_with))
        return tuple(sorted(seen.items()))


# --------------------------------------------------------------------------------------------
# Scores, differences, ranks
# --------------------------------------------------------------------------------------------


def _signed(item: Item, points: Decimal) -> Decimal:
    return -points if item.kind == DEDUCTION else points


def score_member(items: Sequence[Item], sheet: MemberSheet, tolerance: Decimal
                 ) -> tuple[Decimal, Decimal, tuple[Difference, ...], tuple[str, ...]]:
    """(self total, checked total, differences, items scored from the self score)."""
    self_total = checked_total = Decimal(0)
    diffs: list[Difference] = []
    self_used: list[str] = []
    for item in items:
        own = sheet.self_points.get(item.code)
        checked = sheet.checked_points.get(item.code)
        if own is not None:
            self_total += _signed(item, own)
        counted = checked if checked is not None else own
        if checked is None and own is not None:
            self_used.append(item.code)
        if counted is not None:
            checked_total += _signed(item, counted)
        diff = own - checked if own is not None and checked is not None else Decimal(0)
        diffs.append(Difference(item.code, own, checked, diff, abs(diff) > tolerance))
    return self_total, checked_total, tuple(diffs), tuple(self_used)


def competition_ranks(totals: Sequence[Decimal]) -> list[int]:
    """1 + the number of strictly higher totals: equal totals share a rank (1, 2, 2, 4)."""
    return [1 + sum(1 for other in totals if other > t) for t in totals]


def rank_members(items: Sequence[Item], members: Sequence[Member],
                 sheets: Mapping[str, MemberSheet], tolerance: Decimal) -> tuple[MemberResult, ...]:
    """Every member with a sheet, ranked by the checked total; ties keep the list order."""
    scored = []
    for m in members:
        sheet = sheets.get(m.name)
        if sheet is None:
            continue
        scored.append((m, sheet, *score_member(items, sheet, tolerance)))
    ranks = competition_ranks([s[3] for s in scored])
    results = []
    for (m, sheet, own, checked, diffs, used), rank in zip(scored, ranks, strict=True):
        tied = tuple(o[0].name for o, r in zip(scored, ranks, strict=True)
                     if r == rank and o[0].name != m.name)
        results.append(MemberResult(m.name, sheet.source, own, checked, rank, tied, diffs, used))
    order = {m.name: i for i, m in enumerate(members)}
    return tuple(sorted(results, key=lambda r: (r.rank, order[r.name])))


# --------------------------------------------------------------------------------------------
# Cờ thi đua and Bằng khen
# --------------------------------------------------------------------------------------------


def _pct(x: Decimal) -> str:
    value = (x * 100).quantize(Decimal("0.1"))
    text = f"{value.normalize():f}".replace(".", ",")
    return f"{text} %"


def vote_passes(votes: int, members: int, share: Decimal) -> bool:
    """``votes`` of ALL ``members`` reach ``share``; exactly one half means more than half
    (quá bán), as the settings' comment says."""
    if share == Decimal("0.5"):
        return votes * 2 > members
    return Decimal(votes) >= share * members


def _vote_reason(ballot: Ballot | None, votes_of: Mapping[str, int] | None, member: str,
                 share: Decimal, what: str) -> tuple[Reason, int | None]:
    if share == 0:
        return Reason(True, f"{what}: quy chế của khối không yêu cầu biểu quyết"), None
    need = "quá bán" if share == Decimal("0.5") else f"từ {_pct(share)}"
    if ballot is None or votes_of is None:
        return Reason(None, f"{what}: chưa có kết quả biểu quyết của Trưởng các đơn vị "
                            f"(cần {need} tổng số thành viên)"), None
    votes = votes_of.get(member)
    if votes is None:
        return Reason(False, f"{what}: không có trong kết quả biểu quyết"), None
    ok = vote_passes(votes, ballot.members, share)
    got = _pct(Decimal(votes) / Decimal(ballot.members))
    return Reason(ok, f"{what}: {votes}/{ballot.members} phiếu đồng ý ({got}), cần {need}"), votes


def _conditions(member: Member, codes: Sequence[str]) -> list[Reason]:
    out = []
    for code in codes:
        value = member.condition(code)
        label = CONDITION_LABELS[code]
        if value is None:
            out.append(Reason(False, f"chưa có xác nhận: {label}"))
        else:
            out.append(Reason(value, label if value else f"không đạt: {label}"))
    return out


def _status(reasons: Sequence[Reason]) -> str:
    if any(r.met is False for r in reasons):
        return NOT_PROPOSED
    if any(r.met is None for r in reasons):
        return PENDING
    return PROPOSED


def decide(results: Sequence[MemberResult], members: Sequence[Member], ballot: Ballot | None,
           settings: ClusterSettings) -> tuple[Decision, ...]:
    """A Cờ and a Bằng khen decision for every ranked member, each with its reasons."""
    by_name = {m.name: m for m in members}
    decisions: list[Decision] = []
    leaders = [r for r in results if r.rank == 1]
    for r in results:
        member = by_name[r.name]
        if r.rank != 1:
            decisions.append(Decision(r.name, FLAG, NOT_PROPOSED, (Reason(
                False, f"xếp thứ {r.rank}: Cờ thi đua chỉ đề nghị cho đơn vị dẫn đầu khối (Luật "
                       "Thi đua, khen thưởng 2022 Điều 26)"),)))
            continue
        reasons = [Reason(True, f"dẫn đầu khối với {fmt_points(r.checked_total)} điểm")]
        if len(leaders) > 1:
            others = ", ".join(x.name for x in leaders if x.name != r.name)
            reasons.append(Reason(None, f"bằng điểm thứ nhất với {others}: khối quyết định, "
                                        "chương trình không tự phân định"))
        reasons.extend(_conditions(member, settings.flag_conditions))
        reason, votes = _vote_reason(ballot, ballot.flag if ballot else None, r.name,
                                     settings.flag_vote_share, "biểu quyết Cờ thi đua")
        reasons.append(reason)
        decisions.append(Decision(r.name, FLAG, _status(reasons), tuple(reasons), votes))

    slots = settings.bang_khen_slots
    left = slots
    groups: dict[int, list[MemberResult]] = {}
    for r in results:
        groups.setdefault(r.rank, []).append(r)
    for rank in sorted(groups):
        group = groups[rank]
        for r in group:
            member = by_name[r.name]
            if rank == 1:
                decisions.append(Decision(r.name, BANG_KHEN, NOT_PROPOSED, (Reason(
                    False, "đơn vị dẫn đầu khối được xét Cờ thi đua, không xét Bằng khen của khối"),)))
                continue
            if left <= 0:
                decisions.append(Decision(r.name, BANG_KHEN, NOT_PROPOSED, (Reason(
                    False, f"xếp thứ {rank}: ngoài {slots} suất Bằng khen của khối"),)))
                continue
            reasons = [Reason(True, f"xếp thứ {rank}, trong {slots} suất Bằng khen sau đơn vị "
                                    "dẫn đầu")]
            if len(group) > left:
                names = ", ".join(x.name for x in group)
                reasons = [Reason(None, f"xếp thứ {rank} cùng {len(group)} đơn vị ({names}) "
                                        f"nhưng chỉ còn {left} suất: khối quyết định, chương "
                                        "trình không tự phân định")]
            if "no_serious_violation" in settings.flag_conditions:
                reasons.extend(_conditions(member, ("no_serious_violation",)))
            reason, votes = _vote_reason(ballot, ballot.bang_khen if ballot else None, r.name,
                                         settings.bang_khen_vote_share, "biểu quyết Bằng khen")
            reasons.append(reason)
            decisions.append(Decision(r.name, BANG_KHEN, _status(reasons), tuple(reasons), votes))
        if rank != 1:
            left -= len(group)
    return tuple(decisions)


def fmt_points(value: Decimal) -> str:
    """15.50 → "15,5"; 90 → "90" (the Vietnamese decimal comma)."""
    text = f"{value.normalize():f}" if value != 0 else "0"
    return text.replace(".", ",")


# --------------------------------------------------------------------------------------------
# Leaders and direct workers among the proposed individuals
# --------------------------------------------------------------------------------------------


def _share(leaders: int, direct: int) -> Decimal | None:
    total = leaders + direct
    return None if total == 0 else Decimal(leaders) / Decimal(total)


def leader_ratio(proposed: Sequence[Proposed], members: Sequence[Member],
                 limit: Decimal) -> tuple[RatioRow, ...]:
    """Per title (in the order first met) and overall: leaders, direct workers, the leaders'
    share, and which members exceed the limit (0 = no limit: shares are reported only)."""
    cap = limit if limit > 0 else None
    titles: dict[str, str] = {}
    for p in proposed:
        titles.setdefault(p.title, p.title_label)
    rows = []
    for code, label in [*titles.items(), (ALL_TITLES, "Tất cả danh hiệu")]:
        chosen = [p for p in proposed if code == ALL_TITLES or p.title == code]
        entries = []
        for m in members:
            own = [p for p in chosen if p.member == m.name]
            if not own:
                continue
            lead = sum(1 for p in own if p.is_manager)
            share = _share(lead, len(own) - lead)
            entries.append(RatioEntry(m.name, lead, len(own) - lead, share,
                                      cap is not None and share is not None and share > cap))
        lead = sum(1 for p in chosen if p.is_manager)
        share = _share(lead, len(chosen) - lead)
        rows.append(RatioRow(code, label, lead, len(chosen) - lead, share, cap,
                             cap is not None and share is not None and share > cap,
                             tuple(entries)))
    return tuple(rows)


# --------------------------------------------------------------------------------------------
# Rotation and the whole outcome
# --------------------------------------------------------------------------------------------


def rotation(members: Sequence[Member], decisions: Sequence[Decision],
             results: Sequence[MemberResult], rule: str) -> Rotation:
    heads = [m.name for m in members if m.is_head]
    current = heads[0] if len(heads) == 1 else None
    if rule == "none":
        return Rotation(rule, current, current, "quy chế của khối không luân phiên Trưởng khối")
    if rule == "winner":
        flag = [d.member for d in decisions if d.title == FLAG and d.status == PROPOSED]
        first = [r.name for r in results if r.rank == 1]
        chosen = flag[0] if flag else (first[0] if len(first) == 1 else None)
        if chosen is None:
            return Rotation(rule, current, None, "nhiều đơn vị bằng điểm thứ nhất: khối quyết định "
                                                 "Trưởng khối năm sau")
        return Rotation(rule, current, chosen, "đơn vị dẫn đầu khối năm nay làm Trưởng khối năm sau")
    if current is None:
        why = ("danh sách thành viên không đánh dấu Trưởng khối năm nay" if not heads else
               f"danh sách đánh dấu {len(heads)} Trưởng khối ({', '.join(heads)})")
        return Rotation(rule, None, None, f"{why}: không xác định được đơn vị kế tiếp")
    names = [m.name for m in members]
    nxt = names[(names.index(current) + 1) % len(names)]
    return Rotation(rule, current, nxt, "đơn vị kế tiếp trong danh sách thành viên")


def assess(*, year: int, name: str, items: Sequence[Item], members: Sequence[Member],
           sheets: Mapping[str, MemberSheet], ballot: Ballot | None,
           proposed: Sequence[Proposed], settings: ClusterSettings) -> ClusterOutcome:
    results = rank_members(items, members, sheets, settings.tolerance)
    decisions = decide(results, members, ballot, settings)
    return ClusterOutcome(
        year=year, name=name, items=tuple(items), members=tuple(members), results=results,
        decisions=decisions, ratio=leader_ratio(proposed, members, settings.leader_share_max),
        rotation=rotation(members, decisions, results, settings.rotation), ballot=ballot,
        settings=settings,
    )


# --------------------------------------------------------------------------------------------
# The thidua.cluster/1 contract
# --------------------------------------------------------------------------------------------

SCHEMA = "thidua.cluster/1"


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def outcome_json(o: ClusterOutcome) -> dict[str, Any]:
    """The ``--json`` object (keys may be added, never renamed or removed)."""
    s = o.settings
    return {
        "schema": SCHEMA,
        "year": o.year,
        "name": o.name,
        "settings": {
            "tolerance": _num(s.tolerance), "flag_conditions": list(s.flag_conditions),
            "flag_vote_share": _num(s.flag_vote_share), "bang_khen_slots": s.bang_khen_slots,
            "bang_khen_vote_share": _num(s.bang_khen_vote_share),
            "leader_share_max": _num(s.leader_share_max), "rotation": s.rotation,
        },
        "items": [{"code": i.code, "name": i.name, "group": i.group,
                   "max_points": _num(i.max_points), "kind": i.kind} for i in o.items],
        "members": [{"name": m.name, "is_head": m.is_head, "staff": m.staff,
                     "targets_exceeded": m.targets_exceeded, "party_htxsnv": m.party_htxsnv,
                     "serious_violation": m.serious_violation} for m in o.members],
        "ranking": [{
            "rank": r.rank, "name": r.name, "source": r.source,
            "self_total": _num(r.self_total), "checked_total": _num(r.checked_total),
            "difference": _num(r.self_total - r.checked_total),
            "tied_with": list(r.tied_with),
            "flagged": [d.code for d in r.flagged],
            "self_used": list(r.self_used),
            "points": {d.code: {"self": _num(d.self_points), "checked": _num(d.checked_points),
                                "difference": _num(d.difference), "flagged": d.flagged}
                       for d in r.differences},
        } for r in o.results],
        "ties": [{"rank": rank, "names": list(names)} for rank, names in o.ties],
        "proposals": [{
            "member": d.member, "title": d.title, "title_label": TITLE_LABELS[d.title],
            "status": d.status, "status_label": STATUS_LABELS[d.status],
            "votes_for": d.votes_for,
            "reasons": [{"met": r.met, "text": r.text} for r in d.reasons],
        } for d in o.decisions],
        "ballot": None if o.ballot is None else {
            "members": o.ballot.members, "source": o.ballot.source,
            "flag": dict(o.ballot.flag), "bang_khen": dict(o.ballot.bang_khen)},
        "leader_ratio": [{
            "title": row.title, "title_label": row.title_label, "leaders": row.leaders,
            "direct_workers": row.direct, "share": _num(row.share), "limit": _num(row.limit),
            "exceeds": row.exceeds,
            "members": [{"member": e.member, "leaders": e.leaders, "direct_workers": e.direct,
                         "share": _num(e.share), "exceeds": e.exceeds} for e in row.members],
        } for row in o.ratio],
        "rotation": {"rule": o.rotation.rule, "current": o.rotation.current,
                     "next": o.rotation.next, "reason": o.rotation.reason},
    }


def json_text(o: ClusterOutcome) -> str:
    """``--json`` and ``<year>.khoi.json`` (the source of the cluster's documents): one text."""
    return json.dumps(outcome_json(o), ensure_ascii=False, indent=2) + "\n"
