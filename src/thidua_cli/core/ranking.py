"""Exact numbers, competition ranks and the order of people in result lists.

Points arrive as floats from the reader; every comparison and sum here is done on the exact
decimal the clerk typed (``Decimal(repr(x))``: 8.1 is 8.1, not 8.0999999999999996447…), so
totals such as 8.1 + 8.2 + 8.3 come out as 24.6 and two people shown with the same total are
tied, never separated by a float artefact.

Ranks are competition ranks ("1, 2, 2, 4"): people with equal totals share a rank and the next
rank skips. A tie is never broken by name, staff ID or input order; names and IDs only order
the *listing* of people who share a rank.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import TypeVar

from thidua_cli.core.names import name_sort_key
from thidua_cli.model import BANDED_RATINGS, PersonResult, Rating

K = TypeVar("K", bound=Hashable)


def exact(value: float | int | Decimal | str) -> Decimal:
    """The exact decimal meant by ``value`` (a float's shortest repr, not its binary value)."""
    if type(value) is float:
        if not math.isfinite(value):
            raise ValueError(f"not a finite number: {value!r}")
        return Decimal(repr(value))
    if type(value) is Decimal and value.is_finite():
        return value
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, bool):
        raise TypeError("a boolean is not a number of points")
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):  # a float subclass
        result = Decimal(repr(float(value)))
    else:
        result = Decimal(str(value))
    if not result.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return result


# exact(0.0) and exact(-0.0): equal as dict keys, different decimals (see ExactMemo).
_PLUS_ZERO = Decimal("0.0")
_MINUS_ZERO = Decimal("-0.0")


class ExactMemo:
    """``exact()`` with a memory of the floats it has converted (one per run of a job).

    A workbook of 100,000 people holds a few dozen distinct scores (8, 8.5, 9 …), and
    ``Decimal(repr(x))`` costs more than the rest of a person's arithmetic. 0.0 and −0.0 are one
    dict key but two decimals (the sign of a zero bonus reaches the outputs), so zeros are
    answered without the dict; anything but a float (an int, a Decimal, a stray bool that
    exact() refuses) goes to exact() every time. Memory: one entry per distinct float seen."""

    __slots__ = ("known",)

    def __init__(self) -> None:
        # Non-zero floats converted so far; hot loops may read it directly (a miss, or a value
        # that is not a float, goes through the call).
        self.known: dict[float, Decimal] = {}

    def __call__(self, value: float | int | Decimal | str) -> Decimal:
        if type(value) is not float:
            return exact(value)
        if value == 0.0:
            return _MINUS_ZERO if math.copysign(1.0, value) < 0 else _PLUS_ZERO
        found = self.known.get(value)
        if found is None:  # also NaN (never equal to itself): exact() raises for it
            found = self.known[value] = exact(value)
        return found


def round_half_up(value: Decimal, decimals: int) -> Decimal:
    """Round half away from zero to ``decimals`` places (2.345 → 2.35, as a clerk expects)."""
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


@lru_cache(maxsize=8192)
def format_points(value: float | int | Decimal) -> str:
    """Points as a Vietnamese clerk writes them: decimal comma, no trailing zeros ("89,5")."""
    # Cached: equal values (8.5, Decimal("8.50")) share an entry and format the same.
    d = exact(value)
    text = "0" if d == 0 else format(d.normalize(), "f")
    if text.startswith("-"):
        text = "−" + text[1:]
    return text.replace(".", ",")


def format_percent(rate: float | Decimal) -> str:
    """0.2 → "20%", 0.125 → "12,5%"."""
    return format_points(exact(rate) * 100) + "%"


def competition_ranks(items: Iterable[tuple[K, Decimal | None]]) -> dict[K, int | None]:
    """Rank keys by value, highest first; equal values share a rank, the next rank skips
    (1, 2, 2, 4). A value of None gets no rank (None)."""
    pairs = list(items)
    ranked = [(k, v) for k, v in pairs if v is not None]
    ranked.sort(key=lambda kv: kv[1], reverse=True)
    ranks: dict[K, int | None] = {k: None for k, v in pairs if v is None}
    previous: Decimal | None = None
    current = 0
    for position, (k, v) in enumerate(ranked, start=1):
        if previous is None or v != previous:
            current = position
            previous = v
        ranks[k] = current
    return ranks


def listing_key(
    total: Decimal | None, name: str, staff_id: str, *, name_order: str = "ten-ho-dem"
) -> tuple[object, ...]:
    """Order of people in result lists: total descending (None last), then the Vietnamese name
    order, then the staff ID as the final deterministic key."""
    if total is None:
        return (1, Decimal(0), name_sort_key(name, name_order), staff_id)
    return (0, -total, name_sort_key(name, name_order), staff_id)


# The order of ratings in every count, table and chart of a score result: best first, then the
# two states without a grade.
RATING_ORDER: tuple[Rating, ...] = (*BANDED_RATINGS, Rating.PENDING_COUNCIL, Rating.NOT_RATED)


def rating_counts(people: Iterable[PersonResult]) -> dict[Rating, int]:
    """People per rating, every rating present (zero included), in :data:`RATING_ORDER`."""
    counts = dict.fromkeys(RATING_ORDER, 0)
    for pr in people:
        counts[pr.rating] += 1
    return counts
