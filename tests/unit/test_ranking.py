"""Exact decimals, competition ranks and listing order (core/ranking.py)."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thidua_cli.core.ranking import (
    ExactMemo,
    competition_ranks,
    exact,
    format_percent,
    format_points,
    listing_key,
    round_half_up,
)


def test_exact_uses_the_typed_decimal_not_the_binary_float():
    assert exact(8.1) == Decimal("8.1")
    assert exact(8.1) + exact(8.2) == Decimal("16.3")
    assert 8.1 + 8.2 != 16.3  # the float artefact exact() avoids
    assert exact(7) == Decimal(7)
    assert exact("2.5") == Decimal("2.5")


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_exact_refuses_non_finite(bad):
    with pytest.raises(ValueError):
        exact(bad)


def test_exact_refuses_booleans():
    with pytest.raises(TypeError):
        exact(True)


def test_exact_memo_converts_each_float_once_and_keeps_the_sign_of_zero():
    memo = ExactMemo()
    assert memo(8.1) == Decimal("8.1") and memo(8.1) is memo(8.1)
    assert memo.known == {8.1: Decimal("8.1")}
    # 0.0 == -0.0 as dict keys, but -0.0 is its own decimal (it reaches the outputs)
    assert (str(memo(0.0)), str(memo(-0.0)), str(memo(0.0))) == ("0.0", "-0.0", "0.0")
    assert 0.0 not in memo.known
    # not floats: exact() every time, never the float's entry
    memo(1.0)
    assert str(memo(1)) == "1"
    with pytest.raises(TypeError):
        memo(True)
    for bad in (math.nan, math.inf):
        with pytest.raises(ValueError):
            memo(bad)
        with pytest.raises(ValueError):
            memo(bad)  # still refused the second time (never remembered)


@given(st.lists(st.one_of(st.floats(allow_nan=False, allow_infinity=False),
                          st.integers(-10**6, 10**6)), max_size=30))
def test_exact_memo_is_exact(values):
    memo = ExactMemo()
    for v in values + values:
        assert str(memo(v)) == str(exact(v))


def test_round_half_up():
    assert round_half_up(Decimal("2.345"), 2) == Decimal("2.35")
    assert round_half_up(Decimal("2.344"), 2) == Decimal("2.34")
    assert round_half_up(Decimal("89.995"), 2) == Decimal("90.00")
    assert round_half_up(Decimal("0.5"), 0) == Decimal("1")
    assert round_half_up(Decimal("-0.5"), 0) == Decimal("-1")


def test_format_points():
    assert format_points(100.0) == "100"
    assert format_points(89.99) == "89,99"
    assert format_points(Decimal("90.00")) == "90"
    assert format_points(16.3) == "16,3"
    assert format_points(-3.5) == "−3,5"
    assert format_points(-0.0) == "0"
    assert format_percent(0.2) == "20%"
    assert format_percent(0.125) == "12,5%"


def test_competition_ranks_share_and_skip():
    ranks = competition_ranks(
        [("a", Decimal(95)), ("b", Decimal(93)), ("c", Decimal(93)), ("d", Decimal(80)),
         ("e", None), ("f", Decimal(93))]
    )
    assert ranks == {"a": 1, "b": 2, "c": 2, "f": 2, "d": 5, "e": None}


def test_competition_ranks_accepts_a_generator_and_empty():
    assert competition_ranks(x for x in []) == {}
    assert competition_ranks((k, v) for k, v in [("x", None)]) == {"x": None}


@given(st.lists(st.integers(min_value=0, max_value=5), min_size=1, max_size=20))
def test_competition_rank_is_one_plus_count_strictly_better(values):
    items = [(i, Decimal(v)) for i, v in enumerate(values)]
    ranks = competition_ranks(items)
    for i, v in enumerate(values):
        assert ranks[i] == 1 + sum(1 for w in values if w > v)


def test_listing_key_orders_total_then_name_then_id_not_rated_last():
    rows = [
        (Decimal(90), "Trần Bình", "3"),
        (Decimal(95), "Lê Ăn", "1"),
        (None, "Đỗ Văn An", "9"),
        (Decimal(90), "Nguyễn Thị Ánh", "7"),
        (Decimal(90), "Nguyễn Thị Ánh", "2"),
    ]
    got = sorted(rows, key=lambda r: listing_key(*r))
    assert [r[2] for r in got] == ["1", "2", "7", "3", "9"]
