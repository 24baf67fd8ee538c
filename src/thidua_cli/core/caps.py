"""The HTXSNV cap per peer group (ND 90/2020 as amended by ND 48/2023 Điều 1.1; Quy định
366-QĐ/TW Điều 11 point 1.5; shared/decisions.md "The cap").

    slots = floor(rate × denominator)

``rate`` is 20 % (25 % for a unit with exceptional results); ``denominator`` is the number of
the group rated HTTNV or better after the overrides and before the cap (or exactly HTTNV, per
the ``cap.denominator`` setting). "Không vượt quá" (not exceeding) means rounding down; the
product is computed exactly (0.2 × 35 = 7, never 6.999…).

Candidates are the group's HTXSNV people after the overrides (a disciplined or not-rated person
is never a candidate), ranked by total. When they do not fit, the total of the slots-th
candidate is the cut-off: those strictly above keep HTXSNV; those at the cut-off keep it if they
all fit in the slots left, otherwise ALL of them go to the council (PENDING_COUNCIL); everyone
below the cut-off becomes HTTNV. A tie is never broken by name, ID or order here (women-first
preference, ND 152/2025 Điều 4.6, is an awards-stage option). With 0 slots nobody is pending:
every candidate becomes HTTNV, since there is no slot for the council to award.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from thidua_cli.core.ranking import exact
from thidua_cli.core.vntext import clean, key
from thidua_cli.errors import RegulationError
from thidua_cli.model import CapGroup, CapRules, Organisation, Rating

MANAGER_LABEL = "Lãnh đạo, quản lý"
STAFF_LABEL = "Viên chức, người lao động"
HOSPITAL_LABEL = "Toàn viện"
LABEL_SEPARATOR = " – "

SCOPES = ("hospital", "department")
DENOMINATORS = ("htt_or_better", "htt_only")
DENOMINATOR_LABELS = {
    "htt_or_better": "số người xếp HTTNV trở lên trước khi áp trần",
    "htt_only": "số người xếp đúng HTTNV trước khi áp trần",
}
CAP_BASIS = "NĐ 90/2020/NĐ-CP sửa đổi bởi NĐ 48/2023/NĐ-CP (Điều 1.1); Quy định 366-QĐ/TW Điều 11"


def check_cap_rules(cap: CapRules) -> None:
    """Refuse settings the cap cannot work with (the regulation loader checks them too)."""
    if cap.scope not in SCOPES:
        raise RegulationError(
            f"Quy chế: cap.scope = \"{cap.scope}\" không hợp lệ; dùng \"hospital\" (toàn viện) "
            "hoặc \"department\" (từng khoa/phòng)."
        )
    if cap.denominator not in DENOMINATORS:
        raise RegulationError(
            f"Quy chế: cap.denominator = \"{cap.denominator}\" không hợp lệ; dùng "
            "\"htt_or_better\" (HTTNV trở lên) hoặc \"htt_only\" (chỉ HTTNV)."
        )
    for name, value in (("rate", cap.rate), ("exceptional_rate", cap.exceptional_rate)):
        if not 0 <= value <= 1:
            raise RegulationError(
                f"Quy chế: cap.{name} = {value} phải nằm trong khoảng 0–1 (ví dụ 0.20 = 20%)."
            )


def cap_rate(cap: CapRules, organisation: Organisation) -> Decimal:
    """20 % (``cap.rate``), or ``cap.exceptional_rate`` for an exceptional unit."""
    return exact(cap.exceptional_rate if organisation.exceptional_unit else cap.rate)


def slots_for(rate: Decimal, denominator: int) -> int:
    """floor(rate × denominator), exactly."""
    return math.floor(Fraction(rate) * denominator)


def match_manager_position(position: str, manager_positions: Sequence[str]) -> str | None:
    """The manager position that ``position`` starts with ("Phó trưởng khoa Nội" →
    "Phó trưởng khoa"), compared on match keys and whole words; the longest match wins."""
    text = key(position)
    if not text:
        return None
    best: str | None = None
    for candidate in manager_positions:
        prefix = key(candidate)
        if not prefix or not text.startswith(prefix):
            continue
        rest = text[len(prefix):]
        if rest and rest[0].isalnum():  # "Trưởng khoan" is not "Trưởng khoa"
            continue
        if best is None or len(prefix) > len(key(best)):
            best = candidate
    return best


@dataclass(frozen=True)
class PeerGroup:
    """A peer group of the cap: ``ident`` compares on match keys, ``label`` is shown."""

    ident: tuple[str, ...]
    label: str


def peer_group_of(
    cap: CapRules, *, is_manager: bool, peer_group: str, department: str
) -> PeerGroup:
    """The peer group of a person under the cap settings.

    Labels: "Lãnh đạo, quản lý" / "Viên chức, người lao động" (managers apart), then
    " – <Nhóm>" when split by the "Nhóm" column, then " – <Khoa>" for the department scope;
    "Toàn viện" when nothing splits the hospital."""
    ident: list[str] = []
    parts: list[str] = []
    if cap.managers_apart:
        ident.append("manager" if is_manager else "staff")
        parts.append(MANAGER_LABEL if is_manager else STAFF_LABEL)
    group = clean(peer_group)
    if cap.split_by_group and group:
        ident.append("group:" + key(group))
        parts.append(group)
    if cap.scope == "department":
        ident.append("department:" + key(department))
        parts.append(clean(department))
    if not parts:
        return PeerGroup(("hospital",), HOSPITAL_LABEL)
    return PeerGroup(tuple(ident), LABEL_SEPARATOR.join(parts))


@dataclass(frozen=True)
class CapEntry:
    """One member of a peer group as the cap sees them."""

    staff_id: str
    total: Decimal  # the rounded total, as shown
    rating: Rating  # after the overrides, before the cap


# The ratings counted in the denominator, per cap.denominator mode (sets: this is asked once per
# person of a 100,000-person hospital, and an enum property costs ~100× a set lookup).
_HTT_OR_BETTER = frozenset(r for r in Rating if r.level >= Rating.HTTNV.level)
_DENOMINATOR_RATINGS = {"htt_or_better": _HTT_OR_BETTER, "htt_only": frozenset({Rating.HTTNV})}


def denominator_ratings(mode: str) -> frozenset[Rating]:
    """The ratings (after the overrides, before the cap) counted in the denominator: HTTNV or
    better ("htt_or_better"), or exactly HTTNV ("htt_only")."""
    return _DENOMINATOR_RATINGS.get(mode, _HTT_OR_BETTER)


def denominator_of(entries: Sequence[CapEntry], mode: str) -> int:
    ratings = denominator_ratings(mode)
    return sum(1 for e in entries if e.rating in ratings)


def apply_cap(
    label: str, entries: Sequence[CapEntry], rate: Decimal, denominator_mode: str
) -> CapGroup:
    """Apply the cap to one peer group.

    ``entries`` come in listing order (total descending, then names): that order is kept among
    equal totals in the returned tuples but never decides who keeps HTXSNV."""
    return cap_candidates(
        label,
        [e for e in entries if e.rating is Rating.HTXSNV],
        denominator_of(entries, denominator_mode),
        rate,
    )


def cap_candidates(
    label: str, candidates: Sequence[CapEntry], denominator: int, rate: Decimal
) -> CapGroup:
    """Apply the cap to the HTXSNV candidates of a peer group whose denominator is known.

    The scoring core counts the denominator while it walks the group once, and passes only the
    candidates (in listing order); :func:`apply_cap` is the same rule from the whole group."""
    slots = slots_for(rate, denominator)
    ranked = sorted(candidates, key=lambda e: e.total, reverse=True)
    ids = tuple(e.staff_id for e in ranked)
    if len(ranked) <= slots:
        return CapGroup(label, float(rate), denominator, slots, ids, ids, (), ())
    if slots == 0:
        return CapGroup(label, float(rate), denominator, 0, ids, (), (), ids)
    cutoff = ranked[slots - 1].total
    above = [e for e in ranked if e.total > cutoff]
    at = [e for e in ranked if e.total == cutoff]
    below = [e for e in ranked if e.total < cutoff]
    left = slots - len(above)
    kept = [e.staff_id for e in above]
    pending: list[str] = []
    if len(at) <= left:
        kept += [e.staff_id for e in at]
    else:
        pending = [e.staff_id for e in at]
    return CapGroup(
        key=label,
        rate=float(rate),
        denominator=denominator,
        slots=slots,
        candidates=ids,
        kept=tuple(kept),
        pending=tuple(pending),
        demoted=tuple(e.staff_id for e in below),
        cutoff_total=float(cutoff),
        slots_left_for_tie=left if pending else 0,
    )
