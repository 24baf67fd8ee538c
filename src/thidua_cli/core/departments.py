"""Department (khoa/phòng) statistics from scored people.

Per department: headcount (everyone), rated (HTXSNV … KHTNV), not rated, pending the council,
the mean and median total, the count per rating, the share of HTXSNV, and a rank by mean.

Who counts where (shared/decisions.md "Scoring"): not-rated people count in the headcount and
in their own column, never in the mean, the median or the shares. People pending the council
(a tie at the HTXSNV cut-off) ARE rated — HTXSNV or HTTNV, only which one is open — so they count
in the mean, the median and the denominator of the HTXSNV share (which therefore does not move
when the council decides; only its numerator may).

Means and medians are exact decimals rounded half up to 2 places; departments are ranked by
mean, highest first, with equal (rounded) means sharing a rank (1, 2, 2, 4) and listed in
Vietnamese alphabetical order; a department with nobody rated has no mean and no rank and is
listed last.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

from thidua_cli.core.names import vietnamese_key
from thidua_cli.core.ranking import ExactMemo, competition_ranks, round_half_up
from thidua_cli.core.vntext import clean, key
from thidua_cli.model import DepartmentResult, PersonResult, Rating

MEAN_DECIMALS = 2
SHARE_DECIMALS = 4  # 0.3333 = 33,33 %


def department_results(people: Sequence[PersonResult]) -> tuple[DepartmentResult, ...]:
    """Statistics per department, in rank order (see the module docstring)."""
    groups: dict[str, list[PersonResult]] = {}
    names: dict[str, str] = {}
    # A hospital has dozens of departments and up to 100,000 people: key() and clean() once
    # per distinct spelling, not once per person.
    keys: dict[str, str] = {}
    for pr in people:
        department = pr.person.department
        k = keys.get(department)
        if k is None:
            k = keys[department] = key(department)
        members = groups.get(k)
        if members is None:
            members = groups[k] = []
            names[k] = clean(department)
        members.append(pr)

    as_decimal = ExactMemo()
    known = as_decimal.known  # read directly in the loop below (see ExactMemo)
    stats: dict[str, tuple[Decimal | None, DepartmentResult]] = {}
    for k, members in groups.items():
        counts = {r: 0 for r in Rating}
        for pr in members:
            counts[pr.rating] += 1
        rated = sum(n for r, n in counts.items() if r.is_rated)
        pending = counts[Rating.PENDING_COUNCIL]
        counted = [
            (type(pr.total) is float and known.get(pr.total)) or as_decimal(pr.total)
            for pr in members
            if pr.rating is not Rating.NOT_RATED
        ]
        mean: Decimal | None = None
        median: Decimal | None = None
        share: float | None = None
        if counted:
            mean = round_half_up(sum(counted, Decimal(0)) / len(counted), MEAN_DECIMALS)
            median = round_half_up(statistics.median(counted), MEAN_DECIMALS)
            share = float(
                (Decimal(counts[Rating.HTXSNV]) / len(counted)).quantize(
                    Decimal(1).scaleb(-SHARE_DECIMALS), rounding=ROUND_HALF_UP
                )
            )
        stats[k] = (
            mean,
            DepartmentResult(
                name=names[k],
                headcount=len(members),
                rated=rated,
                not_rated=counts[Rating.NOT_RATED],
                pending=pending,
                mean=None if mean is None else float(mean),
                median=None if median is None else float(median),
                counts=counts,
                share_htxsnv=share,
                rank=None,
            ),
        )

    ranks = competition_ranks((k, mean) for k, (mean, _) in stats.items())
    results = [replace(dept, rank=ranks[k]) for k, (_, dept) in stats.items()]
    results.sort(
        key=lambda d: (d.rank is None, d.rank or 0, vietnamese_key(d.name), key(d.name))
    )
    return tuple(results)
