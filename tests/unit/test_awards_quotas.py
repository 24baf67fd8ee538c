"""Largest remainder and picking within a quota (core/quotas.py)."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from thidua_cli.core.quotas import largest_remainder, pick_by_rank


def test_largest_remainder_by_hand() -> None:
    # 10 seats over 5 / 3 / 2 people of 10: exact 5, 3, 2.
    a = largest_remainder(10, {"A": 5, "B": 3, "C": 2})
    assert dict(a.quotas) == {"A": 5, "B": 3, "C": 2} and a.contested == 0
    # 4 seats over 7 / 3: exact 2.8 and 1.2 → 2 + 1, the last seat to the remainder 0.8.
    a = largest_remainder(4, {"A": 7, "B": 3})
    assert dict(a.quotas) == {"A": 3, "B": 1}
    assert a.exact == {"A": Fraction(14, 5), "B": Fraction(6, 5)}
    # 7 seats over 10 / 10 / 10: 2⅓ each → 2, 2, 2 and one seat contested by all three.
    a = largest_remainder(7, {"A": 10, "B": 10, "C": 10})
    assert dict(a.quotas) == {"A": 2, "B": 2, "C": 2}
    assert (a.contested, a.tied) == (1, ("A", "B", "C"))
    # 2 seats over 3 / 3 / 1: exact 6/7 each for A, B and 2/7 for C → A and B (equal, both fit).
    a = largest_remainder(2, {"A": 3, "B": 3, "C": 1})
    assert dict(a.quotas) == {"A": 1, "B": 1, "C": 0} and a.contested == 0


def test_zero_weights_and_zero_seats() -> None:
    assert largest_remainder(3, {"A": 0, "B": 0}).allocated == 0
    assert dict(largest_remainder(0, {"A": 4}).quotas) == {"A": 0}


@given(
    total=st.integers(min_value=0, max_value=200),
    weights=st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=12),
)
def test_property_sum_and_within_one_of_exact(total: int, weights: list[int]) -> None:
    keys = {f"K{i}": w for i, w in enumerate(weights)}
    a = largest_remainder(total, keys)
    if sum(weights) == 0:
        assert a.allocated == 0
        return
    # Every seat is given or contested, never lost or invented.
    assert a.allocated + a.contested == total
    for k, q in a.quotas.items():
        exact = a.exact[k]
        assert exact - 1 < q <= exact + 1
        assert q in (int(exact), int(exact) + (0 if exact == int(exact) else 1))
    # Contested seats go only to tied keys, each of which could take at most one.
    assert a.contested < max(len(a.tied), 1) or a.contested == 0
    for k in a.tied:
        assert a.quotas[k] == int(a.exact[k]) and a.exact[k] != int(a.exact[k])
    assert len({a.exact[k] - int(a.exact[k]) for k in a.tied}) <= 1  # equal remainders


@given(
    total=st.integers(min_value=1, max_value=100),
    weights=st.lists(st.integers(min_value=1, max_value=50), min_size=1, max_size=8, unique=True),
)
def test_property_distinct_remainders_never_tie(total: int, weights: list[int]) -> None:
    a = largest_remainder(total, {f"K{i}": w for i, w in enumerate(weights)})
    remainders = [a.exact[k] - int(a.exact[k]) for k in a.exact]
    if len(set(remainders)) == len(remainders):
        assert a.contested == 0 and a.allocated == total


def test_pick_by_rank_tie_at_the_boundary() -> None:
    scores = {"a": 95, "b": 93, "c": 93, "d": 93, "e": 80}
    p = pick_by_rank(list(scores), 2, scores.__getitem__)
    assert p.chosen == ("a",) and set(p.tied) == {"b", "c", "d"} and p.seats_for_tied == 1
    assert p.left_out == ("e",)
    # The tie fits: nobody waits.
    p = pick_by_rank(["a", "b", "e"], 2, {"a": 95, "b": 93, "e": 80}.__getitem__)
    assert p.chosen == ("a", "b") and p.tied == () and p.left_out == ("e",)


def test_pick_by_rank_women_first_only_between_equals() -> None:
    scores = {"a": 95, "w": 93, "m1": 93, "m2": 93, "low_w": 80}
    women = {"w", "low_w"}
    p = pick_by_rank(list(scores), 2, scores.__getitem__, prefer=women.__contains__)
    assert p.chosen == ("a", "w") and p.preferred == ("w",)
    assert p.tied == () and set(p.left_out) == {"m1", "m2", "low_w"}
    # A woman below the boundary is never preferred over a man above it.
    p = pick_by_rank(["m1", "low_w"], 1, {"m1": 93, "low_w": 80}.__getitem__,
                     prefer=women.__contains__)
    assert p.chosen == ("m1",)
