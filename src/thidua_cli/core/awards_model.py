"""The vocabulary of the awards stage: history, votes, conditions, candidates, awards and the
result. Frozen dataclasses, no behaviour beyond small derived properties. Pure module.

Statuses of an award (JSON ``status``):
- ``proposed``: eligible, no council vote given yet (no --votes file);
- ``approved``: the council passed it (or the title needs no vote);
- ``rejected``: the council's votes fell short of the threshold;
- ``pending_council``: a tie at a boundary (the HTXSNV cap or a quota) or a missing vote: the
  council must decide; never decided by thidua.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from thidua_cli.core.initiatives import Register
from thidua_cli.core.reasons import render
from thidua_cli.core.rulesets import BaseSalary, Ruleset
from thidua_cli.model import Issue, Organisation, Rating

PROPOSED = "proposed"
APPROVED = "approved"
REJECTED = "rejected"
PENDING = "pending_council"

MET = "met"
UNMET = "unmet"
CONFIRM = "confirm"  # the council must confirm: thidua has no data to check it

ANYONE = "*"  # a tally row for every candidate of a title (a list voted as a whole)

ELIGIBLE = "eligible"
NOT_ELIGIBLE = "not_eligible"


# --------------------------------------------------------------------------------------------
# History (from the ledger) and votes (from the tally sheet)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryYear:
    """One person's (or one department's) decided facts of one past year."""

    year: int
    rating: Rating | None = None
    titles: frozenset[str] = frozenset()  # decided title codes: "CSTDCS", "BANG_KHEN_TINH" …
    initiatives: int = 0  # recognised initiatives + accepted research of that year
    used: int = 0  # of which already the basis of an award (CV 5007/BNV-TĐKT: once only)

    @property
    def unused(self) -> int:
        return max(self.initiatives - self.used, 0)


@dataclass(frozen=True)
class History:
    people: Mapping[str, Mapping[int, HistoryYear]] = field(default_factory=dict)
    departments: Mapping[str, Mapping[int, HistoryYear]] = field(default_factory=dict)  # by vntext.key
    years: frozenset[int] = frozenset()  # years the ledger holds any record for
    source: str = ""  # the ledger path, for the log
    # The register of initiatives (issue 17), when the ledger keeps one: the awards then spend
    # its initiatives (core/initiatives.supply) instead of the sheets' counts.
    register: Register | None = None

    def person_year(self, staff_id: str, year: int) -> HistoryYear | None:
        return self.people.get(staff_id, {}).get(year)

    def department_year(self, department_key: str, year: int) -> HistoryYear | None:
        return self.departments.get(department_key, {}).get(year)


@dataclass(frozen=True)
class Tally:
    kind: str  # "individual" | "collective"
    key: str  # staff ID, or the department's vntext.key
    title: str  # title code, or "HTXSNV" for the council's choice between people tied at the cap
    votes_for: int
    name: str = ""
    row: int | None = None


@dataclass(frozen=True)
class Votes:
    members: int  # the council's size: ALL members, present or not (ND 98/2023 Điều 30.7)
    tallies: Mapping[tuple[str, str, str], Tally]  # (kind, key, title) → tally
    source: str = ""
    # The secret ballot's ballots (issued, returned, valid) as the tally team counted them, when
    # the tally sheet states them; the Biên bản kiểm phiếu prints them (issue 12).
    ballots: tuple[int, int, int] | None = None

    def get(self, kind: str, key: str, title: str) -> Tally | None:
        """The tally for one candidate, else the title's row for everyone ("*"; never for the
        council's choice between people tied at the HTXSNV cap)."""
        found = self.tallies.get((kind, key, title))
        if found is None and title != "HTXSNV":
            found = self.tallies.get((kind, ANYONE, title))
        return found


# --------------------------------------------------------------------------------------------
# Decisions
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Condition:
    """One condition of one title for one person or department: a reason code of the one
    catalogue (core/reasons.py) and its parameters; the Vietnamese text is rendered only where
    shown."""

    code: str
    status: str  # MET | UNMET | CONFIRM | PENDING
    params: tuple[Any, ...] = ()

    @property
    def text(self) -> str:
        return render(self.code, self.params)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One person or department considered for one title, with every condition checked."""

    kind: str
    title: str
    staff_id: str | None
    name: str
    department: str
    outcome: str  # ELIGIBLE | NOT_ELIGIBLE | PENDING
    conditions: tuple[Condition, ...]

    @property
    def eligible(self) -> bool:
        return self.outcome == ELIGIBLE

    def texts(self, status: str) -> list[str]:
        return [c.text for c in self.conditions if c.status == status]


@dataclass(frozen=True, slots=True)
class Award:
    kind: str
    title: str
    title_label: str
    category: str
    level: str
    staff_id: str | None
    name: str
    gender: str
    position: str
    department: str
    is_manager: bool
    year_rating: str | None
    year_total: float | None
    status: str
    votes_for: int | None
    council_members: int | None
    vote_share: float | None
    coefficient: Decimal
    amount: int
    paid: bool
    basis: str
    note: str
    initiatives_used: tuple[tuple[int, int], ...] = ()  # (year, count)

    @property
    def decided(self) -> bool:
        return self.status in (APPROVED, PROPOSED)


@dataclass(frozen=True)
class DepartmentSummary:
    name: str
    members: int  # counted members ("rated" or "all", per the settings)
    headcount: int  # everyone listed
    ldtt: int
    ldtt_share: float | None
    cstdcs: int
    all_htnv_or_better: bool
    discipline_canh_cao_or_above: int
    titles: tuple[str, ...]  # eligible collective titles
    quota: Mapping[str, int | None]  # title → the department's quota (None: no quota)
    women_share: float | None
    mean_total: float | None
    rank: int | None = None  # the hospital's ranking of departments by mean year score


@dataclass(frozen=True)
class QuotaLine:
    title: str
    department: str | None  # None: hospital-wide
    base: int  # the count the share applies to (LĐTT or members)
    exact: float  # exact share of the seats
    quota: int
    candidates: int
    chosen: int
    pending: int
    # A seat whose holder the council rejected stays empty (a quota is a ceiling; each title
    # needs its own vote): how many, and who is next in rank for a supplementary ballot.
    freed: int = 0
    next_in_rank: tuple[str, ...] = ()  # staff IDs
    chosen_ids: tuple[str, ...] = field(default=(), repr=False)
    outside_ids: tuple[str, ...] = field(default=(), repr=False)  # by rank


@dataclass(frozen=True)
class Tie:
    kind: str  # "rating" (HTXSNV cap) | "award" (quota boundary) | "quota" (remainders)
    title: str  # "HTXSNV" for the cap
    scope: str  # the peer group or department, or "" hospital-wide
    slots: int
    ids: tuple[str, ...]  # staff IDs (or department names for "quota")
    names: tuple[str, ...]
    total: float | None


@dataclass(frozen=True)
class LeaderTitleShare:
    """Leaders' share of one title, against their share of the headcount."""

    title: str
    leaders: int
    awarded: int
    share: float
    headcount_share: float  # leaders among everyone in the year's list
    above_headcount: bool


@dataclass(frozen=True)
class LeaderShare:
    leaders: int
    direct_workers: int
    share_leaders: float | None
    warning: str | None
    by_title: tuple[LeaderTitleShare, ...] = ()


@dataclass(frozen=True)
class MoneyLine:
    title: str
    title_label: str
    kind: str
    count: int  # awards of this title actually paid
    awarded: int  # awards of this title decided (paid or not)
    coefficient: Decimal
    unit_amount: int
    amount: int


@dataclass(frozen=True, slots=True)
class PersonRating:
    """The year rating as decided (after ties resolved), kept for the ledger."""

    staff_id: str
    name: str
    department: str
    rating: Rating
    total: float | None
    initiatives: int
    research: int
    note: str = ""


@dataclass(frozen=True)
class Excluded:
    """Someone this hospital does not rate for the year: they left before the period end (NĐ
    90/2020 Điều 20.1: the new unit rates them), or a quarter is missing without a stated reason
    (their year cannot be computed until it is explained)."""

    staff_id: str
    name: str
    department: str
    reason: str  # LEFT | MISSING_QUARTER
    detail: str  # Vietnamese, for the clerk


LEFT = "left"
MISSING_QUARTER = "missing_quarter"


@dataclass(frozen=True)
class AwardsResult:
    year: int
    decision_date: date
    decision_date_assumed: bool
    ruleset: Ruleset
    organisation: Organisation
    base_salary: BaseSalary
    council_members: int | None
    thresholds: Mapping[str, Decimal]
    votes_given: bool
    women_first: bool  # the preference was applied (enabled and in the rule set)
    awards: tuple[Award, ...]
    candidates: tuple[Candidate, ...]
    departments: tuple[DepartmentSummary, ...]
    quotas: tuple[QuotaLine, ...]
    ties: tuple[Tie, ...]
    leader_share: LeaderShare
    money: tuple[MoneyLine, ...]
    total: int
    total_words: str
    ratings: tuple[PersonRating, ...]
    warnings: tuple[Issue, ...]
    settings: Mapping[str, object] = field(default_factory=dict)
    # Not rated here (left before the period end), or blocked (a quarter missing without a
    # reason): listed by name with the reason, never in the ratings, the cap or the ledger.
    excluded: tuple[Excluded, ...] = ()
    # The ballots counted at the meeting (issued, returned, valid), from the tally sheet.
    ballots: tuple[int, int, int] | None = None

    def awards_of(self, title: str, kind: str | None = None) -> list[Award]:
        return [a for a in self.awards if a.title == title and (kind is None or a.kind == kind)]

    def candidate(self, title: str, who: str) -> Candidate | None:
        """The candidate row of ``who`` (staff ID, or department name) for ``title``."""
        for c in self.candidates:
            if c.title == title and (c.staff_id == who or (c.staff_id is None and c.name == who)):
                return c
        return None
