"""Quotas: sharing a hospital-wide number of awards among departments, and picking within a
quota by rank — with every tie at a boundary handed to the council, never broken silently.

Largest remainder (Hamilton): each department first gets the whole part of its exact share
``total × weight / Σ weights``; the seats left go one each to the largest remainders. When the
departments whose remainders are equal at the last seat outnumber the seats left, none of them
gets it: the allocation reports the contested seats and the tied departments for the council.
Arithmetic is exact (``fractions.Fraction``). Pure module.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Generic, TypeVar

K = TypeVar("K")


@dataclass(frozen=True)
class Allocation(Generic[K]):
    total: int
    exact: Mapping[K, Fraction]  # each key's exact share
    quotas: Mapping[K, int]  # seats given (contested seats excluded)
    contested: int  # seats left for the council: 0 when there is no tie
    tied: tuple[K, ...]  # the keys tied for the contested seats (in the input order)

    @property
    def allocated(self) -> int:
        return sum(self.quotas.values())


def largest_remainder(total: int, weights: Mapping[K, int | Fraction]) -> Allocation[K]:
    """Share ``total`` seats in proportion to ``weights`` (non-negative; keys keep their order).

    Invariants: ``allocated + contested == total`` (when the weights are not all zero); each
    quota is the floor or the ceiling of its exact share; a tied key gets floor + 1 if the
    council gives it a contested seat."""
    if total < 0:
        raise ValueError("total must be >= 0")
    keys = list(weights)
    if any(Fraction(weights[k]) < 0 for k in keys):
        raise ValueError("weights must be >= 0")
    weight_sum = sum((Fraction(weights[k]) for k in keys), Fraction(0))
    if weight_sum == 0 or total == 0:
        return Allocation(total, {k: Fraction(0) for k in keys}, dict.fromkeys(keys, 0), 0, ())
    exact = {k: Fraction(total) * Fraction(weights[k]) / weight_sum for k in keys}
    quotas = {k: int(exact[k]) for k in keys}  # floor (non-negative)
    left = total - sum(quotas.values())
    if left == 0:
        return Allocation(total, exact, quotas, 0, ())
    # Group keys by remainder, largest first; only keys with a positive remainder compete.
    remainders = sorted({exact[k] - quotas[k] for k in keys if exact[k] > quotas[k]}, reverse=True)
    for rem in remainders:
        group = [k for k in keys if exact[k] - quotas[k] == rem]
        if len(group) <= left:
            for k in group:
                quotas[k] += 1
            left -= len(group)
            if left == 0:
                break
        else:
            return Allocation(total, exact, quotas, left, tuple(group))
    return Allocation(total, exact, quotas, 0, ())


# --------------------------------------------------------------------------------------------
# Picking within a quota by rank
# --------------------------------------------------------------------------------------------

T = TypeVar("T")


@dataclass(frozen=True)
class Pick(Generic[T]):
    chosen: tuple[T, ...]  # inside the quota
    tied: tuple[T, ...]  # equal at the boundary, more of them than seats left: to the council
    seats_for_tied: int  # seats left for the tied candidates
    left_out: tuple[T, ...]  # below the boundary
    preferred: tuple[T, ...] = ()  # chosen only because of the women-first preference


def pick_by_rank(
    candidates: Sequence[T],
    seats: int,
    score: Callable[[T], Any],
    *,
    prefer: Callable[[T], bool] | None = None,
) -> Pick[T]:
    """Keep the best ``seats`` candidates by ``score`` (higher first; ``candidates`` already in
    a deterministic listing order). Candidates whose scores are equal at the boundary and do not
    all fit are returned as ``tied`` — unless ``prefer`` is given (the women-first preference of
    ND 152/2025 Điều 4.6, applied only between equals): the preferred among the tied take the
    seats first if they fit; whoever still does not fit stays tied for the council."""
    ordered = sorted(candidates, key=lambda c: _neg(score(c)))
    if seats >= len(ordered):
        return Pick(tuple(ordered), (), 0, ())
    if seats <= 0:
        return Pick((), (), 0, tuple(ordered))
    boundary = score(ordered[seats - 1])
    above = [c for c in ordered if _gt(score(c), boundary)]
    at = [c for c in ordered if score(c) == boundary]
    below = [c for c in ordered if _gt(boundary, score(c))]
    room = seats - len(above)
    if len(at) <= room:  # everyone at the boundary fits
        return Pick(tuple(above + at), (), 0, tuple(below))
    if prefer is not None:
        first = [c for c in at if prefer(c)]
        rest = [c for c in at if not prefer(c)]
        if first and len(first) <= room:
            room_after = room - len(first)
            if room_after == 0:
                return Pick(tuple(above + first), (), 0, tuple(rest + below), tuple(first))
            # The remaining seats among the others: they are still equals.
            return Pick(tuple(above + first), tuple(rest), room_after, tuple(below), tuple(first))
        if first and rest:
            # More preferred candidates than seats: the others are out; the preferred stay tied.
            return Pick(tuple(above), tuple(first), room, tuple(rest + below))
    return Pick(tuple(above), tuple(at), room, tuple(below))


def _neg(value: Any) -> Any:
    # Scores are numbers (Decimal/Fraction/float/int); sort descending without losing exactness.
    return -value


def _gt(a: Any, b: Any) -> bool:
    return bool(a > b)
