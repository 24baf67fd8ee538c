"""The year's awards: ratings with ties settled where the law or the council allows, individual
and collective titles, quotas, council votes, money, and the JSON contract ``thidua.awards/2``.

Order of the decision (each step explained in the result):

1. Rule set and base salary by the decision date (``core/rulesets.py``).
2. Year ratings from ``core/yearly.py`` (overrides and the HTXSNV cap already applied). People
   tied at the cap (PENDING_COUNCIL) are settled only by the council's votes (rows "HTXSNV" in
   the tally sheet) or, where the regulation enables it and the rule set has it, by the
   women-first preference of ND 152/2025 Điều 4.6 — and only among those equals. Whoever is
   still tied stays "Chờ Hội đồng xét".
3. Individual titles (``core/eligibility.py``): LĐTT, CSTĐCS, CSTĐ tỉnh, Bằng khen tỉnh, Bằng
   khen Thủ tướng (from the ledger's history), Giấy khen; each initiative is used once.
4. Quotas (``core/quotas.py``) where the regulation sets them, picked by the year total; ties at
   a boundary go to the council with every tied name.
5. Council votes (``--votes``): CSTĐCS needs ≥ 80 % of ALL members, proposing CSTĐ cấp
   tỉnh/Bộ ≥ 90 % of ALL members; other thresholds are settings. A title the council rejects no longer supports what depends on it (CSTĐCS needs
   LĐTT; higher awards need CSTĐCS; a rejected award's initiative is free again): steps 3–5
   are repeated until nothing changes.
6. Collective titles per department, then their votes.
7. Money: coefficient × base salary on the decision date, rounded up to 10,000 đ; titles of
   the same period pay only the highest; awards decided upward are paid by that level.

Pure module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import asdict, dataclass, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from thidua_cli.config.sections import (
    AwardsSettings,
    CouncilSettings,
    MoneySettings,
    QuotaSettings,
    settings_json,
)
from thidua_cli.core.awards_model import (
    ANYONE,
    APPROVED,
    CONFIRM,
    ELIGIBLE,
    MET,
    NOT_ELIGIBLE,
    PENDING,
    PROPOSED,
    REJECTED,
    UNMET,
    Award,
    AwardsResult,
    Candidate,
    Condition,
    DepartmentSummary,
    History,
    LeaderShare,
    LeaderTitleShare,
    MoneyLine,
    PersonRating,
    QuotaLine,
    Tie,
    Votes,
)
from thidua_cli.core.awards_result import (
    AwardEntry,
    AwardsOutcome,
    CandidateEntry,
    Council,
    DepartmentEntry,
    ExcludedEntry,
    LeaderShareEntry,
    MoneyEntry,
    MoneySummary,
    QuotaEntry,
    RatingEntry,
    RulesetInfo,
    TieEntry,
    WarningEntry,
)
from thidua_cli.core.eligibility import (
    Context,
    DepartmentFacts,
    PersonFacts,
    Wallet,
    bang_khen_tinh,
    bang_khen_tinh_collective,
    bang_khen_ttg,
    cstd_tinh,
    cstdcs,
    giay_khen,
    ldtt,
    percent,
    ttldtt,
    ttldxs,
)
from thidua_cli.core.money import PayItem, decide_payments, money_in_words, reward_amount
from thidua_cli.core.names import name_sort_key, vietnamese_key
from thidua_cli.core.quotas import largest_remainder, pick_by_rank
from thidua_cli.core.ranking import exact, format_percent, format_points
from thidua_cli.core.rulesets import (
    COLLECTIVE,
    HIGHER,
    HOSPITAL,
    INDIVIDUAL,
    Ruleset,
    base_salary_on,
    coefficient_of,
    ruleset_for,
    short_label,
)
from thidua_cli.core.vntext import key as text_key
from thidua_cli.core.yearly import YearResult
from thidua_cli.issues import make_issue
from thidua_cli.model import Discipline, Gender, Issue, Person, Rating, Regulation

INDIVIDUAL_ORDER = ("LDTT", "CSTDCS", "CSTD_TINH", "BANG_KHEN_TINH", "BANG_KHEN_TTG", "GIAY_KHEN")
QUOTA_BASIS = "quy chế"


@dataclass
class _Decision:
    """One person's or department's candidate for one title, while deciding."""

    candidate: Candidate
    used: tuple[tuple[int, int], ...] = ()
    status: str = ""
    votes_for: int | None = None
    note: str = ""


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def decide_awards(
    year: YearResult,
    history: History,
    regulation: Regulation,
    votes: Votes | None,
    decision_date: date,
    *,
    decision_date_assumed: bool = False,
) -> AwardsResult:
    settings, money, council = regulation.awards, regulation.money, regulation.council
    ruleset = ruleset_for(decision_date)
    salary = base_salary_on(money.base_salary, decision_date)
    warnings: list[Issue] = list(year.report.issues)
    if decision_date_assumed:
        warnings.append(make_issue("decision-date-assumed", value=f"{decision_date:%d/%m/%Y}",
                                   ruleset=ruleset.name))
    women_first = settings.women_first and ruleset.women_first
    ratings, rating_notes, ties, tie_issues = _settle_rating_ties(year, votes, women_first, ruleset)
    warnings.extend(tie_issues)

    facts = _person_facts(year, ratings, rating_notes)
    if history.register is not None:  # issue 17: this year's initiatives come from the register
        from thidua_cli.core.initiatives import year_counts

        counted = [(f, year_counts(history.register, f.staff_id, year.year)) for f in facts]
        facts = [f if n is None else replace(f, person=replace(
            f.person, initiatives=n[0], research=n[1])) for f, n in counted]
    ctx = Context(
        year=year.year,
        period_end=year.period.end,
        ruleset=ruleset,
        settings=settings,
        history=history,
        htxsnv_band=regulation.bands.htxsnv,
        httnv_band=regulation.bands.httnv,
    )
    _history_warnings(history, year.year, settings, warnings)

    # Steps 3–5, repeated while a rejection or a quota changes what the others rest on. It ends:
    # ``blocked`` only grows, and there are finitely many (person, title) pairs.
    blocked: set[tuple[str, str]] = set()
    while True:
        decisions = _individuals(facts, ctx, blocked)
        quota_lines, quota_ties, quota_issues = _apply_quotas(decisions, facts, ctx, women_first,
                                                              blocked)
        _apply_votes(decisions, votes, council, ruleset, INDIVIDUAL)
        newly = {
            (sid, title)
            for sid, titles in decisions.items()
            for title, d in titles.items()
            if d.status == REJECTED or d.note.startswith("quota:")
        }
        if newly <= blocked:
            break
        blocked |= newly

    quota_lines = _freed_seats(quota_lines, decisions, facts, ruleset, quota_issues)
    _leader_caps(decisions, facts, settings.leader_share_cap, ruleset, quota_issues)

    dept_facts = _department_facts(facts, decisions, settings, year)
    dept_decisions = _collectives(dept_facts, ctx)
    _apply_votes(dept_decisions, votes, council, ruleset, COLLECTIVE)

    warnings.extend(quota_issues)
    ties.extend(quota_ties)
    if votes is not None:
        warnings.extend(_vote_issues(votes, decisions, dept_decisions, facts))

    by_id = {f.staff_id: f for f in facts}
    awards = _build_awards(decisions, dept_decisions, by_id, dept_facts, ruleset, money,
                           salary.amount, votes)
    candidates = _all_candidates(decisions, dept_decisions, by_id, dept_facts)
    ranks = {text_key(d.name): d.rank for d in year.score.departments}
    departments = _department_summaries(dept_facts, dept_decisions, quota_lines, ranks)
    leader = _leader_share(awards, settings.leader_share_warning)
    leader = replace(leader, by_title=_leader_share_by_title(awards, facts, ruleset, warnings))
    if leader.warning:
        warnings.append(make_issue(
            "leader-share-high", value=format_percent(Decimal(str(leader.share_leaders))),
            leaders=leader.leaders, total=leader.leaders + leader.direct_workers,
            limit=format_percent(settings.leader_share_warning),
        ))
    money_lines = _money_lines(awards)
    total = sum(a.amount for a in awards if a.paid)
    members = votes.members if votes is not None else (council.members or None)
    person_ratings = tuple(
        PersonRating(
            staff_id=f.staff_id,
            name=f.person.name,
            department=f.person.department,
            rating=f.rating,
            total=float(f.total) if f.total is not None else None,
            initiatives=f.person.initiatives,
            research=f.person.research,
            note="; ".join(f.rating_notes),
        )
        for f in facts
    )
    return AwardsResult(
        year=year.year,
        decision_date=decision_date,
        decision_date_assumed=decision_date_assumed,
        ruleset=ruleset,
        organisation=regulation.organisation,
        base_salary=salary,
        council_members=members,
        thresholds=dict(council.thresholds),
        votes_given=votes is not None,
        ballots=votes.ballots if votes is not None else None,
        women_first=women_first,
        awards=tuple(awards),
        candidates=tuple(candidates),
        departments=tuple(departments),
        quotas=tuple(quota_lines),
        ties=tuple(ties),
        leader_share=leader,
        money=tuple(money_lines),
        total=total,
        total_words=money_in_words(total, linh=money.linh, nghin=money.nghin),
        ratings=person_ratings,
        warnings=tuple(warnings),
        settings=settings_json(settings, money, council),
        excluded=year.excluded,
    )


# --------------------------------------------------------------------------------------------
# Step 2: the ties at the HTXSNV cap
# --------------------------------------------------------------------------------------------


def _settle_rating_ties(
    year: YearResult, votes: Votes | None, women_first: bool, ruleset: Ruleset
) -> tuple[dict[str, Rating], dict[str, list[str]], list[Tie], list[Issue]]:
    score = year.score
    ratings = {pr.person.staff_id: pr.rating for pr in score.people}
    notes: dict[str, list[str]] = {pr.person.staff_id: list(pr.notes) for pr in score.people}
    by_id = {pr.person.staff_id: pr for pr in score.people}
    ties: list[Tie] = []
    issues: list[Issue] = []
    for group in score.cap_groups:
        tied = [sid for sid in group.pending if sid in by_id]
        if not tied:
            continue
        slots = group.slots_left_for_tie
        total = format_points(group.cutoff_total) if group.cutoff_total is not None else ""
        tallies = {sid: votes.get(INDIVIDUAL, sid, "HTXSNV") for sid in tied} if votes else {}
        settled_by = ""
        if any(tallies.values()):
            counts = {s: (t.votes_for if t else 0) for s, t in tallies.items()}
            pick = pick_by_rank(tied, slots, counts.__getitem__)
            settled_by = "council"
        elif women_first:
            pick = pick_by_rank(tied, slots, lambda s: 0,
                                prefer=lambda s: by_id[s].person.gender is Gender.FEMALE)
            moved = (set(pick.chosen) | set(pick.left_out)) & set(tied)
            settled_by = "women" if moved else ""
        else:
            pick = None
        if pick is not None and settled_by:
            for sid in pick.chosen:
                ratings[sid] = Rating.HTXSNV
                why = ("theo phiếu bầu của Hội đồng" if settled_by == "council"
                       else f"ưu tiên nữ khi bằng điểm ({ruleset.women_first_basis})")
                notes[sid].append(f"Bằng điểm ở ngưỡng trần HTXSNV: được xếp HTXSNV {why}")
            for sid in pick.left_out:
                ratings[sid] = Rating.HTTNV
                why = ("theo phiếu bầu của Hội đồng" if settled_by == "council"
                       else f"các suất dành cho nữ bằng điểm ({ruleset.women_first_basis})")
                notes[sid].append(f"Bằng điểm ở ngưỡng trần HTXSNV: xếp HTTNV {why}")
            names = ", ".join(by_id[s].person.name for s in pick.chosen)
            if settled_by == "council":
                issues.append(make_issue("rating-tie-council", group=group.key, value=names,
                                         slots=slots))
            elif pick.chosen:
                issues.append(make_issue("rating-tie-women-first", group=group.key, value=names,
                                         count=len(tied), total=total, slots=slots,
                                         basis=ruleset.women_first_basis))
            still, seats = list(pick.tied), pick.seats_for_tied
        else:
            still, seats = tied, slots
        if still:
            ties.append(Tie(
                kind="rating", title="HTXSNV", scope=group.key, slots=seats, ids=tuple(still),
                names=tuple(by_id[s].person.name for s in still),
                total=float(group.cutoff_total) if group.cutoff_total is not None else None,
            ))
    return ratings, notes, ties, issues


def _person_facts(year: YearResult, ratings: Mapping[str, Rating],
                  notes: Mapping[str, list[str]]) -> list[PersonFacts]:
    out: list[PersonFacts] = []
    last = year.last_quarter
    for pr in year.score.people:
        sid = pr.person.staff_id
        info = year.people.get(sid)
        out.append(PersonFacts(
            person=pr.person,
            rating=ratings[sid],
            total=exact(pr.total),
            rating_notes=tuple(notes.get(sid, ())),
            quarters=info.quarters if info else None,
            in_last_quarter=info.in_last_quarter if info else True,
            last_quarter=last,
        ))
    for person in year.unrated:
        info = year.people.get(person.staff_id)
        out.append(PersonFacts(
            person=person,
            rating=Rating.NOT_RATED,
            total=None,
            rating_notes=("không được xếp loại ở quý nào có tên",),
            quarters=info.quarters if info else None,
            in_last_quarter=info.in_last_quarter if info else True,
            last_quarter=last,
        ))
    return out


def _history_warnings(history: History, year: int, settings: AwardsSettings,
                      warnings: list[Issue]) -> None:
    if not settings.higher.enabled:
        return
    needed = max(settings.higher.bang_khen_years, settings.higher.cstd_tinh_years) - 1
    missing = [y for y in range(year - needed, year) if y not in history.years]
    if missing:
        warnings.append(make_issue("history-missing", value=", ".join(map(str, missing))))


# --------------------------------------------------------------------------------------------
# Step 3: individuals
# --------------------------------------------------------------------------------------------


def _wallet(f: PersonFacts, ctx: Context) -> Wallet:
    s = ctx.settings.higher
    span = max(s.bang_khen_years, s.cstd_tinh_years)
    past: dict[int, int] = {}
    for y in range(ctx.year - span + 1, ctx.year):
        h = ctx.history.person_year(f.staff_id, y)
        if h is not None:
            past[y] = h.unused
    this = ctx.history.person_year(f.staff_id, ctx.year)
    already = this.used if this is not None else 0
    current = max(f.person.initiatives + f.person.research - already, 0)
    if ctx.history.register is not None:  # issue 17: the years the register covers come from it
        from thidua_cli.core.initiatives import register_supply

        current, past = register_supply(ctx.history.register, f.staff_id, ctx.year, current, past)
    return Wallet(ctx.year, current, past)


def _blocked_candidate(c: Candidate) -> Candidate:
    """The candidate as what depends on it sees it once the council rejected it (or it fell
    outside its quota)."""
    return replace(c, outcome=NOT_ELIGIBLE)


def _individuals(
    facts: Sequence[PersonFacts], ctx: Context, blocked: AbstractSet[tuple[str, str]]
) -> dict[str, dict[str, _Decision]]:
    """Every person × individual title, in precedence order, initiatives used once."""
    out: dict[str, dict[str, _Decision]] = {}
    for f in facts:
        sid = f.staff_id
        wallet = _wallet(f, ctx)
        titles: dict[str, _Decision] = {}

        def wallet_for(title: str, sid: str = sid, wallet: Wallet = wallet) -> Wallet:
            # A blocked award (rejected, or outside its quota) must not use an initiative.
            return wallet.copy() if (sid, title) in blocked else wallet

        ld = ldtt(f, ctx)
        titles["LDTT"] = _Decision(ld)
        ld_effective = _blocked_candidate(ld) if (sid, "LDTT") in blocked else ld
        cs, used = cstdcs(f, ctx, ld_effective, wallet_for("CSTDCS"))
        titles["CSTDCS"] = _Decision(cs, used if (sid, "CSTDCS") not in blocked else ())
        cs_outcome = NOT_ELIGIBLE if (sid, "CSTDCS") in blocked else cs.outcome
        if ctx.settings.higher.enabled:
            ct, used = cstd_tinh(f, ctx, cs_outcome, wallet_for("CSTD_TINH"))
            titles["CSTD_TINH"] = _Decision(ct, used if (sid, "CSTD_TINH") not in blocked else ())
            bk, used = bang_khen_tinh(f, ctx, cs_outcome, wallet_for("BANG_KHEN_TINH"))
            titles["BANG_KHEN_TINH"] = _Decision(bk, used if (sid, "BANG_KHEN_TINH") not in blocked
                                                 else ())
            titles["BANG_KHEN_TTG"] = _Decision(bang_khen_ttg(f, ctx, cs_outcome))
        if ctx.settings.giay_khen.enabled:
            gk, used = giay_khen(f, ctx, wallet_for("GIAY_KHEN"), cs_outcome)
            titles["GIAY_KHEN"] = _Decision(gk, used if (sid, "GIAY_KHEN") not in blocked else ())
        out[sid] = titles
    return out


# --------------------------------------------------------------------------------------------
# Step 4: quotas
# --------------------------------------------------------------------------------------------


def _apply_quotas(
    decisions: dict[str, dict[str, _Decision]],
    facts: Sequence[PersonFacts],
    ctx: Context,
    women_first: bool,
    blocked: AbstractSet[tuple[str, str]],
) -> tuple[list[QuotaLine], list[Tie], list[Issue]]:
    lines: list[QuotaLine] = []
    ties: list[Tie] = []
    issues: list[Issue] = []
    by_id = {f.staff_id: f for f in facts}
    for title, quota in (("CSTDCS", ctx.settings.cstdcs_quota), ("GIAY_KHEN", ctx.settings.giay_khen.quota)):
        if not quota.enabled:
            continue
        eligible = [sid for sid, t in decisions.items()
                    if title in t and t[title].candidate.outcome == ELIGIBLE]
        base_ids = _quota_base(decisions, facts, quota, blocked)
        label = ctx.ruleset.title(title).short
        if quota.by_department:
            departments = sorted({by_id[s].person.department for s in base_ids} |
                                 {by_id[s].person.department for s in eligible},
                                 key=vietnamese_key)
            weights = {d: sum(1 for s in base_ids if by_id[s].person.department == d)
                       for d in departments}
            hospital = _floor_share(quota.share, len(base_ids))
            alloc = largest_remainder(hospital, weights)
            if alloc.contested:
                issues.append(make_issue(
                    "quota-tie", title=label, slots=alloc.contested, count=len(alloc.tied),
                    value=", ".join(alloc.tied)))
                ties.append(Tie("quota", title, "", alloc.contested, tuple(alloc.tied),
                                tuple(alloc.tied), None))
            for d in departments:
                members = [s for s in eligible if by_id[s].person.department == d]
                seats = alloc.quotas.get(d, 0)
                contested = d in alloc.tied
                chosen, pending, ids, out_ids = _pick_quota(
                    decisions, members, seats, title, by_id, women_first, f" của {d}", label,
                    ties, issues, contested, ctx.ruleset.women_first_basis)
                lines.append(QuotaLine(title, d, weights.get(d, 0), float(alloc.exact.get(d, 0)),
                                       seats, len(members), chosen, pending, chosen_ids=ids,
                                       outside_ids=out_ids))
        else:
            seats = _floor_share(quota.share, len(base_ids))
            chosen, pending, ids, out_ids = _pick_quota(
                decisions, eligible, seats, title, by_id, women_first, "", label, ties, issues,
                False, ctx.ruleset.women_first_basis)
            exact_share = float(Fraction(quota.share) * len(base_ids))
            lines.append(QuotaLine(title, None, len(base_ids), exact_share, seats, len(eligible),
                                   chosen, pending, chosen_ids=ids, outside_ids=out_ids))
    return lines, ties, issues


def _freed_seats(lines: Sequence[QuotaLine], decisions: Mapping[str, Mapping[str, _Decision]],
                 facts: Sequence[PersonFacts], ruleset: Ruleset,
                 issues: list[Issue]) -> list[QuotaLine]:
    """A seat whose holder the council rejected stays empty: the quota is a ceiling and each
    title needs its own vote (decisions.md 2026-12-07). Say "còn N suất" and name the next in
    rank for a supplementary ballot."""
    names = {f.staff_id: f.person.name for f in facts}
    out: list[QuotaLine] = []
    for q in lines:
        rejected = [s for s in q.chosen_ids
                    if q.title in decisions.get(s, {}) and decisions[s][q.title].status == REJECTED]
        if not rejected:
            out.append(q)
            continue
        following = q.outside_ids[:len(rejected)]
        label = ruleset.title(q.title).short
        scope = f" của {q.department}" if q.department else ""
        issues.append(make_issue(
            "quota-seat-freed", title=label, scope=scope, slots=len(rejected),
            rejected=", ".join(f"{names[s]} ({s})" for s in rejected),
            value=(", ".join(f"{names[s]} ({s})" for s in following) or "không còn ai")))
        out.append(replace(q, freed=len(rejected), next_in_rank=following))
    return out


def _floor_share(share: Decimal, count: int) -> int:
    return int(Fraction(share) * count)  # "không vượt quá": rounded down


def _quota_base(decisions: Mapping[str, Mapping[str, _Decision]], facts: Sequence[PersonFacts],
                quota: QuotaSettings, blocked: AbstractSet[tuple[str, str]]) -> list[str]:
    if quota.of == "members":
        return [f.staff_id for f in facts if f.rating is not Rating.NOT_RATED]
    # Those who achieve LĐTT: eligible and not rejected by the council.
    return [sid for sid, t in decisions.items()
            if t["LDTT"].candidate.outcome == ELIGIBLE and (sid, "LDTT") not in blocked]


def _pick_quota(
    decisions: dict[str, dict[str, _Decision]],
    members: list[str],
    seats: int,
    title: str,
    by_id: Mapping[str, PersonFacts],
    women_first: bool,
    scope: str,
    label: str,
    ties: list[Tie],
    issues: list[Issue],
    contested: bool,
    women_basis: str,
) -> tuple[int, int, tuple[str, ...], tuple[str, ...]]:
    """Keep ``seats`` of ``members`` by year total; mark the rest outside the quota, and the ones
    tied at the boundary (or competing for a contested seat) pending the council."""
    order = sorted(members, key=lambda s: (name_sort_key(by_id[s].person.name), s))

    def total(s: str) -> Decimal:
        return by_id[s].total or Decimal(0)

    prefer = (lambda s: by_id[s].female) if women_first else None
    pick = pick_by_rank(order, seats, total, prefer=prefer)
    pending_ids: list[str] = list(pick.tied)
    outside = list(pick.left_out)
    if contested and outside:
        # One more seat may come to this department from the council: whoever would take it
        # waits for the council too.
        extra = pick_by_rank(order, seats + 1, total, prefer=prefer)
        newly = [s for s in extra.chosen + extra.tied if s not in pick.chosen and s not in pending_ids]
        pending_ids.extend(newly)
        outside = [s for s in outside if s not in newly]
    where = f"{label}{scope}"
    if pick.preferred:
        # Say which rule settled the tie (ND 152/2025 Điều 4.6), as for the HTXSNV cap.
        issues.append(make_issue(
            "award-tie-women-first", title=label, scope=scope, slots=seats,
            value=", ".join(by_id[s].person.name for s in pick.preferred), basis=women_basis))
    for s in pick.chosen:
        d = decisions[s][title]
        extra_text = (f"; ưu tiên nữ khi bằng điểm ({women_basis})" if s in pick.preferred else "")
        d.candidate = _add(d.candidate, Condition("pick-quota.1", MET, (where, seats, extra_text)))
    for s in pending_ids:
        d = decisions[s][title]
        d.candidate = _add(d.candidate, Condition("pick-quota.2", PENDING, (where, seats)))
        d.note = f"quota-tie: {where}"
    for s in outside:
        d = decisions[s][title]
        d.candidate = _add(d.candidate, Condition(
            "pick-quota.3", UNMET, (where, seats, format_points(total(s)))))
        d.note = f"quota: {where}"
    if pick.tied:
        tied_total = total(pick.tied[0])
        issues.append(make_issue(
            "award-tie", title=label, scope=scope, slots=pick.seats_for_tied, count=len(pick.tied),
            total=format_points(tied_total),
            value=", ".join(f"{by_id[s].person.name} ({s})" for s in pick.tied)))
        ties.append(Tie("award", title, scope.removeprefix(" của "), pick.seats_for_tied,
                        tuple(pick.tied), tuple(by_id[s].person.name for s in pick.tied),
                        float(tied_total)))
    ranked_out = tuple(sorted(outside, key=lambda s: -total(s)))
    return len(pick.chosen), len(pending_ids), tuple(pick.chosen), ranked_out


def _add(c: Candidate, condition: Condition) -> Candidate:
    conditions = (*c.conditions, condition)
    statuses = {x.status for x in conditions}
    outcome = NOT_ELIGIBLE if UNMET in statuses else (PENDING if PENDING in statuses else ELIGIBLE)
    return replace(c, conditions=conditions, outcome=outcome)


# --------------------------------------------------------------------------------------------
# Step 5: votes
# --------------------------------------------------------------------------------------------


def vote_passes(votes_for: int, members: int, threshold: Decimal, above_half_strict: bool) -> bool:
    """votes_for / members ≥ threshold, exactly; a threshold of 0.5 means "more than half" when
    ``above_half_strict`` (quá bán)."""
    if members <= 0:
        return False
    share = Fraction(votes_for, members)
    limit = Fraction(threshold)
    if above_half_strict and limit == Fraction(1, 2):
        return share > limit
    return share >= limit


def _apply_votes(
    decisions: Mapping[str, Mapping[str, _Decision]],
    votes: Votes | None,
    council: CouncilSettings,
    ruleset: Ruleset,
    kind: str,
) -> None:
    thresholds = council.thresholds
    for who, titles in decisions.items():
        for title, d in titles.items():
            c = d.candidate
            if c.outcome == NOT_ELIGIBLE:
                d.status = ""
                continue
            if c.outcome == PENDING:
                d.status = PENDING
                continue
            threshold = thresholds.get(title)
            if threshold is None or threshold == 0:
                d.status = APPROVED if votes is not None else PROPOSED
                continue
            need = _threshold_text(threshold, council.above_half_strict)
            # The law fixes the share for CSTĐCS (80 %) and for proposing CSTĐ cấp tỉnh/Bộ
            # (90 %) of ALL members; the other titles follow the hospital's regulation.
            basis = ruleset.vote_basis if title in ("CSTDCS", "CSTD_TINH") else "quy chế"
            if votes is None:
                d.status = PROPOSED
                d.candidate = replace(c, conditions=(*c.conditions, Condition(
                    "votes.needed", CONFIRM, (need, basis))))
                continue
            tally = votes.get(kind, who, title)
            if tally is None:
                d.status = PENDING
                d.note = "vote-missing"
                d.candidate = replace(c, outcome=PENDING, conditions=(*c.conditions, Condition(
                    "votes.missing", PENDING, (need, basis))))
                continue
            d.votes_for = tally.votes_for
            ok = vote_passes(tally.votes_for, votes.members, threshold,
                             council.above_half_strict)
            shown = percent(tally.votes_for, votes.members)
            d.status = APPROVED if ok else REJECTED
            d.candidate = _add(c, Condition("votes.tally", MET if ok else UNMET,
                                            (tally.votes_for, votes.members, shown, need, basis)))


def _threshold_text(threshold: Decimal, strict: bool) -> str:
    if strict and threshold == Decimal("0.5"):
        return "quá bán (trên 50%)"
    return f"từ {format_percent(threshold)} trở lên"


def _vote_issues(votes: Votes, individuals: Mapping[str, Mapping[str, _Decision]],
                 collectives: Mapping[str, Mapping[str, _Decision]],
                 facts: Sequence[PersonFacts]) -> list[Issue]:
    issues: list[Issue] = []
    listed = {f.staff_id for f in facts}
    for (kind, who, title), tally in votes.tallies.items():
        if who == ANYONE:
            continue
        if title == "HTXSNV":
            if who not in listed:
                issues.append(make_issue("vote-not-candidate", title="HTXSNV", name=tally.name,
                                         value=who, reason="không có trong danh sách xếp loại năm",
                                         file=votes.source or None, row=tally.row))
            continue
        table = individuals if kind == INDIVIDUAL else collectives
        d = table.get(who, {}).get(title)
        if d is None:
            issues.append(make_issue("vote-not-candidate", title=short_label(title, kind),
                                     name=tally.name, value=who, file=votes.source or None, row=tally.row,
                                     reason="không có trong danh sách xét"))
        elif d.status in ("", PENDING):
            reason = ("chưa đủ điều kiện" if d.status == "" else
                      "đang chờ Hội đồng xét một trường hợp bằng điểm")
            issues.append(make_issue("vote-not-candidate", title=short_label(title, kind),
                                     name=tally.name or d.candidate.name, value=who, file=votes.source or None, row=tally.row,
                                     reason=reason))
    for table, kind in ((individuals, INDIVIDUAL), (collectives, COLLECTIVE)):
        for who, titles in table.items():
            for title, d in titles.items():
                if d.note == "vote-missing":
                    issues.append(make_issue("vote-missing", title=short_label(title, kind),
                                             name=d.candidate.name, value=who))
    return issues


# --------------------------------------------------------------------------------------------
# Step 6: departments
# --------------------------------------------------------------------------------------------


def _department_facts(facts: Sequence[PersonFacts], decisions: Mapping[str, Mapping[str, _Decision]],
                      settings: AwardsSettings, year: YearResult) -> list[DepartmentFacts]:
    groups: dict[str, list[PersonFacts]] = {}
    names: dict[str, str] = {}
    for f in facts:
        k = text_key(f.person.department)
        groups.setdefault(k, []).append(f)
        names.setdefault(k, f.person.department)
    means = {text_key(d.name): d.mean for d in year.score.departments}
    out: list[DepartmentFacts] = []
    for k in sorted(groups, key=lambda k: vietnamese_key(names[k])):
        people = tuple(groups[k])
        if settings.collective.members == "all":
            members = people
        else:
            members = tuple(f for f in people if f.rating is not Rating.NOT_RATED)

        def with_status(title: str, statuses: Iterable[str],
                        members: tuple[PersonFacts, ...] = members) -> frozenset[str]:
            wanted = set(statuses)
            return frozenset(f.staff_id for f in members
                             if decisions.get(f.staff_id, {}).get(title) is not None
                             and decisions[f.staff_id][title].status in wanted)

        mean = means.get(k)
        out.append(DepartmentFacts(
            name=names[k],
            key=k,
            people=people,
            members=members,
            ldtt_ids=with_status("LDTT", (APPROVED, PROPOSED)),
            ldtt_pending_ids=with_status("LDTT", (PENDING,)),
            cstdcs_ids=with_status("CSTDCS", (APPROVED, PROPOSED)),
            cstdcs_pending_ids=with_status("CSTDCS", (PENDING,)),
            mean_total=exact(mean) if mean is not None else None,
        ))
    return out


def _collectives(depts: Sequence[DepartmentFacts], ctx: Context) -> dict[str, dict[str, _Decision]]:
    out: dict[str, dict[str, _Decision]] = {}
    for d in depts:
        titles: dict[str, _Decision] = {"TTLDTT": _Decision(ttldtt(d, ctx))}
        xs = ttldxs(d, ctx)
        titles["TTLDXS"] = _Decision(xs)
        if ctx.settings.higher.enabled:
            titles["BANG_KHEN_TINH"] = _Decision(bang_khen_tinh_collective(d, ctx, xs.outcome))
        out[d.key] = titles
    return out


# --------------------------------------------------------------------------------------------
# Step 7: awards and money
# --------------------------------------------------------------------------------------------


def _build_awards(
    individuals: Mapping[str, Mapping[str, _Decision]],
    collectives: Mapping[str, Mapping[str, _Decision]],
    by_id: Mapping[str, PersonFacts],
    depts: Sequence[DepartmentFacts],
    ruleset: Ruleset,
    money: MoneySettings,
    base: int,
    votes: Votes | None,
) -> list[Award]:
    step = money.rounding_step
    overrides = money.coefficients
    drafts: list[tuple[Award, PayItem]] = []
    dept_by_key = {d.key: d for d in depts}

    def make(kind: str, who: str, title: str, d: _Decision) -> None:
        if d.status not in (PROPOSED, APPROVED, REJECTED, PENDING):
            return
        spec = ruleset.title(title, kind)
        coef = coefficient_of(spec, overrides)
        amount = reward_amount(coef, base, step)
        members = votes.members if votes is not None else None
        share = (round(d.votes_for / members, 4) if d.votes_for is not None and members else None)
        if kind == INDIVIDUAL:
            f = by_id[who]
            p: Person | None = f.person
            name, dept = f.person.name, f.person.department
            rating = f.rating.value
            total = float(f.total) if f.total is not None else None
        else:
            p = None
            name = dept = dept_by_key[who].name
            rating = None
            mean = dept_by_key[who].mean_total
            total = float(mean) if mean is not None else None
        notes = []
        if spec.level == HIGHER:
            notes.append("Đề nghị cấp trên khen thưởng; cấp quyết định chi tiền thưởng")
        if d.status == PENDING:
            notes.append("Chờ Hội đồng xét" + (": vượt tỷ lệ lãnh đạo, quản lý tối đa "
                                               "(awards.leader_share_cap)"
                                               if d.note == LEADER_CAP else ""))
        award = Award(
            kind=kind,
            title=title,
            title_label=spec.label,
            category=spec.category,
            level=spec.level,
            staff_id=who if kind == INDIVIDUAL else None,
            name=name,
            gender=(p.gender.value if p is not None else ""),
            position=(p.position if p is not None else ""),
            department=dept,
            is_manager=(p.is_manager if p is not None else False),
            year_rating=rating,
            year_total=total,
            status=d.status,
            votes_for=d.votes_for,
            council_members=members if d.votes_for is not None else None,
            vote_share=share,
            coefficient=coef,
            amount=amount,
            paid=False,
            basis=spec.basis,
            note="; ".join(notes),
            initiatives_used=d.used,
        )
        item = PayItem(
            key=len(drafts),
            recipient=(kind, who),
            period="year",  # every award here is for the same emulation year
            category=spec.category,
            coefficient=coef,
            amount=amount,
            payable=spec.level == HOSPITAL and d.status in (APPROVED, PROPOSED),
        )
        drafts.append((award, item))

    order = {sid: _person_order(by_id[sid]) for sid in individuals}  # once per person
    for title in INDIVIDUAL_ORDER:
        rows = [(sid, t[title]) for sid, t in individuals.items() if title in t]
        rows.sort(key=lambda r: order[r[0]])
        for sid, d in rows:
            make(INDIVIDUAL, sid, title, d)
    for title in ("TTLDTT", "TTLDXS", "BANG_KHEN_TINH"):
        for k, t in collectives.items():
            if title in t:
                make(COLLECTIVE, k, title, t[title])

    pay = decide_payments([item for _, item in drafts],
                          highest_basis=ruleset.money_principles)
    awards: list[Award] = []
    for award, item in drafts:
        decision = pay[item.key]
        note = award.note
        if decision.reason:
            note = "; ".join(x for x in (note, decision.reason) if x)
        awards.append(replace(award, paid=decision.paid, note=note))
    return awards


def _person_order(f: PersonFacts) -> tuple[Any, ...]:
    total = f.total if f.total is not None else Decimal(-1)
    return (-total, name_sort_key(f.person.name), f.staff_id)


def _money_lines(awards: Sequence[Award]) -> list[MoneyLine]:
    lines: dict[tuple[str, str], dict[str, Any]] = {}
    for a in awards:
        if not a.decided:
            continue
        entry = lines.setdefault((a.title, a.kind), {
            "label": a.title_label, "count": 0, "awarded": 0, "coef": a.coefficient,
            "unit": a.amount, "amount": 0,
        })
        entry["awarded"] += 1
        if a.paid:
            entry["count"] += 1
            entry["amount"] += a.amount
    return [
        MoneyLine(title, v["label"], kind, v["count"], v["awarded"], v["coef"], v["unit"], v["amount"])
        for (title, kind), v in lines.items()
    ]


LEADER_CAP = "leader-cap"
# This year's titles that rest on another (Luật Điều 23, 22, 74, 73): held with it.
_RESTING_ON = {"LDTT": ("CSTDCS", "CSTD_TINH", "BANG_KHEN_TINH", "BANG_KHEN_TTG"),
               "CSTDCS": ("CSTD_TINH", "BANG_KHEN_TINH", "BANG_KHEN_TTG")}


def _leader_caps(decisions: Mapping[str, Mapping[str, _Decision]], facts: Sequence[PersonFacts],
                 caps: Mapping[str, Decimal], ruleset: Ruleset, issues: list[Issue]) -> None:
    """A province's cap on the leaders' share of a title (issue 11 point 9): with D direct
    workers proposed, at most L leaders where L ≤ cap × (D + L), i.e. L = ⌊cap × D / (1 − cap)⌋.
    The leaders ranked last by year total above it wait for the council (never dropped
    silently); leaders tied at the cut-off all wait (ties are never broken)."""
    by_id = {f.staff_id: f for f in facts}
    for title in INDIVIDUAL_ORDER:
        cap = caps.get(title)
        if cap is None or cap >= 1:
            continue
        held = [sid for sid, t in decisions.items()
                if title in t and t[title].status in (APPROVED, PROPOSED)]
        leaders = sorted((s for s in held if by_id[s].person.is_manager),
                         key=lambda s: (-(by_id[s].total or Decimal(0)), _person_order(by_id[s])))
        direct = len(held) - len(leaders)
        allowed = int(Fraction(cap) * direct / (1 - Fraction(cap)))
        if len(leaders) <= allowed:
            continue
        keep = leaders[:allowed]
        cut = by_id[leaders[allowed]].total
        if keep and by_id[keep[-1]].total == cut:  # a tie at the cut-off: all of it waits
            keep = [s for s in keep if by_id[s].total != cut]
        waiting = [s for s in leaders if s not in keep]
        for sid in waiting:
            # The person's titles of this year resting on the held one wait with it.
            for held_title in (title, *_RESTING_ON.get(title, ())):
                d = decisions[sid].get(held_title)
                if d is not None and d.status in (APPROVED, PROPOSED):
                    d.status, d.note = PENDING, LEADER_CAP
        label = ruleset.title(title).short
        names = tuple(by_id[s].person.name for s in waiting)
        issues.append(make_issue(
            "leader-share-title-cap", title=label, leaders=len(leaders), total=len(held),
            value=format_percent(cap), allowed=allowed,
            waiting=", ".join(f"{n} ({s})" for n, s in zip(names, waiting, strict=True))))


def _leader_share(awards: Sequence[Award], limit: Decimal) -> LeaderShare:
    people: dict[str, bool] = {}
    for a in awards:
        if a.kind == INDIVIDUAL and a.level == HOSPITAL and a.decided and a.staff_id:
            people[a.staff_id] = a.is_manager
    leaders = sum(1 for m in people.values() if m)
    direct = len(people) - leaders
    share = round(leaders / len(people), 4) if people else None
    warning = None
    if share is not None and limit > 0 and Fraction(leaders, len(people)) > Fraction(limit):
        warning = (f"Lãnh đạo, quản lý chiếm {percent(leaders, len(people))} số cá nhân được đề nghị "
                   f"khen thưởng, vượt ngưỡng {format_percent(limit)} của quy chế")
    return LeaderShare(leaders, direct, share, warning)


def _leader_share_by_title(awards: Sequence[Award], facts: Sequence[PersonFacts],
                           ruleset: Ruleset, warnings: list[Issue]) -> tuple[LeaderTitleShare, ...]:
    """Leaders' share of each individual title against their share of the headcount (Luật Điều
    5.2.d: priority to direct workers; the Thái Nguyên cluster asks for the ratio per title)."""
    if not facts:
        return ()
    head = Fraction(sum(1 for f in facts if f.person.is_manager), len(facts))
    out: list[LeaderTitleShare] = []
    for title in INDIVIDUAL_ORDER:
        got = [a for a in awards if a.kind == INDIVIDUAL and a.title == title
               and a.status in (APPROVED, PROPOSED)]
        if not got:
            continue
        leaders = sum(1 for a in got if a.is_manager)
        above = Fraction(leaders, len(got)) > head
        out.append(LeaderTitleShare(title, leaders, len(got), round(leaders / len(got), 4),
                                    round(float(head), 4), above))
        if above:
            warnings.append(make_issue(
                "leader-share-title-high", title=ruleset.title(title).short, leaders=leaders,
                total=len(got), value=percent(leaders, len(got)),
                headcount=format_percent(Decimal(str(round(float(head), 4))))))
    return tuple(out)


def _all_candidates(individuals: Mapping[str, Mapping[str, _Decision]],
                    collectives: Mapping[str, Mapping[str, _Decision]],
                    by_id: Mapping[str, PersonFacts],
                    depts: Sequence[DepartmentFacts]) -> list[Candidate]:
    out: list[Candidate] = []
    for sid in sorted(individuals, key=lambda s: _person_order(by_id[s])):
        for title in INDIVIDUAL_ORDER:
            if title in individuals[sid]:
                out.append(individuals[sid][title].candidate)
    for d in depts:
        for d_title in ("TTLDTT", "TTLDXS", "BANG_KHEN_TINH"):
            if d_title in collectives.get(d.key, {}):
                out.append(collectives[d.key][d_title].candidate)
    return out


def _department_summaries(depts: Sequence[DepartmentFacts],
                          collectives: Mapping[str, Mapping[str, _Decision]],
                          quotas: Sequence[QuotaLine],
                          ranks: Mapping[str, int | None]) -> list[DepartmentSummary]:
    out = []
    for d in depts:
        n = len(d.members)
        women = [f for f in d.people if f.person.gender is not Gender.UNKNOWN]
        titles = tuple(t for t, dec in collectives.get(d.key, {}).items()
                       if dec.status in (APPROVED, PROPOSED))
        quota = {q.title: q.quota for q in quotas if q.department == d.name}
        out.append(DepartmentSummary(
            name=d.name,
            members=n,
            headcount=len(d.people),
            ldtt=len(d.ldtt_ids),
            ldtt_share=round(len(d.ldtt_ids) / n, 4) if n else None,
            cstdcs=len(d.cstdcs_ids),
            all_htnv_or_better=n > 0 and all(
                f.rating is Rating.PENDING_COUNCIL or f.rating.level >= Rating.HTNV.level
                for f in d.members),
            discipline_canh_cao_or_above=sum(
                1 for f in d.people if f.person.discipline is not None
                and f.person.discipline.severity >= Discipline.CANH_CAO.severity),
            titles=titles,
            quota=quota,
            women_share=(round(sum(1 for f in women if f.female) / len(women), 4)
                         if women else None),
            mean_total=float(d.mean_total) if d.mean_total is not None else None,
            rank=ranks.get(d.key),
        ))
    return out


# --------------------------------------------------------------------------------------------
# The JSON contract thidua.awards/2
# --------------------------------------------------------------------------------------------


def awards_outcome(result: AwardsResult, tool_version: str) -> AwardsOutcome:
    """The decision as the ``thidua.awards/2`` contract holds it."""
    return AwardsOutcome(
        year=result.year,
        decision_date=result.decision_date,
        ruleset=RulesetInfo(result.ruleset.code, result.ruleset.name,
                            tuple(result.ruleset.legal_bases)),
        organisation=result.organisation.letterhead(),
        council=Council(members=result.council_members,
                        thresholds={k: float(v) for k, v in result.thresholds.items()},
                        votes_given=result.votes_given, ballots=result.ballots),
        awards=tuple(
            AwardEntry(
                kind=a.kind, title=a.title, title_label=a.title_label, status=a.status,
                name=a.name, category=a.category, level=a.level, staff_id=a.staff_id,
                gender=a.gender, position=a.position, department=a.department,
                is_manager=a.is_manager, year_rating=a.year_rating, year_total=a.year_total,
                votes_for=a.votes_for, council_members=a.council_members,
                vote_share=a.vote_share, coefficient=str(a.coefficient), amount=a.amount,
                paid=a.paid, basis=a.basis, note=a.note, initiatives_used=a.initiatives_used,
            )
            for a in result.awards
        ),
        tool_version=tool_version,
        decision_date_assumed=result.decision_date_assumed,
        base_salary=result.base_salary.amount,
        base_salary_basis=result.base_salary.basis,
        women_first=result.women_first,
        candidates=tuple(
            CandidateEntry(
                kind=c.kind, title=c.title, name=c.name, staff_id=c.staff_id,
                department=c.department, eligible=c.outcome == ELIGIBLE, outcome=c.outcome,
                conditions=c.conditions,
            )
            for c in result.candidates
        ),
        departments=tuple(
            DepartmentEntry(
                name=d.name, members=d.members, headcount=d.headcount, ldtt=d.ldtt,
                ldtt_share=d.ldtt_share, cstdcs=d.cstdcs,
                all_htnv_or_better=d.all_htnv_or_better,
                discipline_canh_cao_or_above=d.discipline_canh_cao_or_above,
                titles=tuple(d.titles), quota=(dict(d.quota) or None),
                women_share=d.women_share, mean_total=d.mean_total, rank=d.rank,
            )
            for d in result.departments
        ),
        quotas=tuple(
            QuotaEntry(q.title, q.department, q.base, round(q.exact, 4), q.quota, q.candidates,
                       q.chosen, q.pending, q.freed, tuple(q.next_in_rank))
            for q in result.quotas
        ),
        ties=tuple(TieEntry(t.kind, t.title, t.scope, t.slots, tuple(t.ids), tuple(t.names),
                            t.total) for t in result.ties),
        leader_share=LeaderShareEntry(result.leader_share.leaders,
                                      result.leader_share.direct_workers,
                                      result.leader_share.share_leaders,
                                      result.leader_share.warning,
                                      tuple(asdict(t) for t in result.leader_share.by_title)),
        money=MoneySummary(
            by_title=tuple(
                MoneyEntry(m.title, m.title_label, m.kind, m.count, m.awarded,
                           str(m.coefficient), m.unit_amount, m.amount)
                for m in result.money
            ),
            total=result.total,
            total_words=result.total_words,
        ),
        ratings=tuple(
            RatingEntry(r.staff_id, r.name, r.department, r.rating.value, r.rating.label,
                        r.total, r.initiatives, r.research, r.note)
            for r in result.ratings
        ),
        warnings=tuple(
            WarningEntry(i.code, i.severity.value, i.file, i.sheet, i.row, i.column, i.cell,
                         i.message)
            for i in result.warnings
        ),
        settings=dict(result.settings),
        excluded=tuple(ExcludedEntry(e.staff_id, e.name, e.department, e.reason, e.detail)
                       for e in result.excluded),
    )


def awards_json(result: AwardsResult, tool_version: str) -> dict[str, Any]:
    """The ``thidua.awards/2`` object (keys may be added, never renamed or removed)."""
    return awards_outcome(result, tool_version).to_json()
