"""Reward money: rounding up to 10,000 đ, the payment rule, amounts in words (core/money.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thidua_cli.core.money import (
    PayItem,
    decide_payments,
    format_vnd,
    money_in_words,
    number_in_words,
    reward_amount,
    round_up,
)

BASE = 2_340_000


# --- amounts ----------------------------------------------------------------------------------


def test_ldtt_amount_rounds_up_to_ten_thousand() -> None:
    # 0.3 × 2,340,000 = 702,000 exactly, which is NOT a multiple of 10,000: the law rounds it UP
    # to the next ten thousand ("làm tròn số lên hàng chục nghìn đồng", ND 152/2025 Điều 49),
    # so 710,000 is paid. A hospital that pays the exact product sets the step to 1,000.
    assert reward_amount("0.3", BASE) == 710_000
    assert reward_amount("0.3", BASE, step=1_000) == 702_000


def test_coefficient_that_needs_rounding_up() -> None:
    # ND 98/2023 Giấy khen 0.15 × 2,340,000 = 351,000 → rounded UP to 360,000.
    assert reward_amount("0.15", BASE) == 360_000


@pytest.mark.parametrize(
    ("coef", "expected"),
    [
        ("1.0", 2_340_000),  # CSTĐCS
        ("0.8", 1_880_000),  # TTLĐTT: 1,872,000 → 1,880,000
        ("1.5", 3_510_000),  # TTLĐXS, Bằng khen tỉnh
        ("3.0", 7_020_000),  # CSTĐ tỉnh
        ("3.5", 8_190_000),  # Bằng khen Thủ tướng
        ("4.5", 10_530_000),  # CSTĐ toàn quốc
        ("0.6", 1_410_000),  # Giấy khen tập thể: 1,404,000 → 1,410,000
        ("4.98", 11_660_000),  # 11,653,200 → 11,660,000 (floats would give ...200.000000002)
        ("0", 0),
    ],
)
def test_coefficients_at_2_34_million(coef: str, expected: int) -> None:
    assert reward_amount(coef, BASE) == expected


def test_old_base_salary() -> None:
    # 1,800,000 (from 01/7/2023): 0.3 × 1.8 M = 540,000; 0.15 × 1.8 M = 270,000.
    assert reward_amount("0.3", 1_800_000) == 540_000
    assert reward_amount("0.15", 1_800_000) == 270_000
    # 1,490,000: 0.3 × = 447,000 → 450,000.
    assert reward_amount("0.3", 1_490_000) == 450_000


def test_round_up_keeps_multiples_and_rounds_one_dong_up() -> None:
    assert round_up(700_000) == 700_000
    assert round_up(700_001) == 710_000
    assert round_up(Decimal("699999.99")) == 700_000


def test_floats_are_refused() -> None:
    with pytest.raises(TypeError):
        reward_amount(0.3, BASE)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        reward_amount("-0.3", BASE)


@given(
    coef=st.decimals(min_value=0, max_value=50, places=3, allow_nan=False, allow_infinity=False),
    base=st.integers(min_value=0, max_value=20_000_000),
)
def test_property_multiple_of_10k_and_never_below_exact(coef: Decimal, base: int) -> None:
    amount = reward_amount(coef, base)
    exact = coef * base
    assert amount % 10_000 == 0
    assert amount >= exact
    assert amount - exact < 10_000


# --- the payment rule -------------------------------------------------------------------------


def _item(key: str, who: str, category: str, coef: str, payable: bool = True) -> PayItem:
    return PayItem(
        key=key,
        recipient=who,
        period="2026",
        category=category,
        coefficient=Decimal(coef),
        amount=reward_amount(coef, BASE),
        payable=payable,
    )


def test_same_period_titles_pay_only_the_highest() -> None:
    items = [_item("ldtt", "BV1", "title", "0.3"), _item("cstdcs", "BV1", "title", "1.0")]
    decisions = decide_payments(items)
    assert decisions["cstdcs"].paid is True
    assert decisions["ldtt"].paid is False
    assert decisions["ldtt"].superseded_by == "cstdcs"
    assert "cao nhất" in decisions["ldtt"].reason


def test_title_and_commendation_both_paid() -> None:
    items = [
        _item("cstdcs", "BV1", "title", "1.0"),
        _item("ldtt", "BV1", "title", "0.3"),
        _item("gk", "BV1", "commendation", "0.3"),
    ]
    decisions = decide_payments(items)
    assert [decisions[k].paid for k in ("cstdcs", "ldtt", "gk")] == [True, False, True]
    paid_total = sum(i.amount for i in items if decisions[i.key].paid)
    assert paid_total == 2_340_000 + 710_000


def test_different_people_and_not_payable_items() -> None:
    items = [
        _item("a", "BV1", "title", "0.3"),
        _item("b", "BV2", "title", "0.3"),
        _item("c", "BV2", "title", "3.0", payable=False),  # CSTĐ tỉnh: paid by the province
    ]
    decisions = decide_payments(items)
    assert decisions["a"].paid and decisions["b"].paid
    assert decisions["c"].paid is False and decisions["c"].reason == ""


def test_different_periods_both_paid() -> None:
    a = _item("a", "BV1", "title", "0.3")
    b = PayItem("b", "BV1", "2025", "title", Decimal("1.0"), 2_340_000)
    decisions = decide_payments([a, b])
    assert decisions["a"].paid and decisions["b"].paid


# --- words ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Không đồng"),
        (5, "Năm đồng"),
        (10, "Mười đồng"),
        (11, "Mười một đồng"),
        (15, "Mười lăm đồng"),
        (20, "Hai mươi đồng"),
        (21, "Hai mươi mốt đồng"),
        (24, "Hai mươi bốn đồng"),
        (25, "Hai mươi lăm đồng"),
        (101, "Một trăm linh một đồng"),
        (105, "Một trăm linh năm đồng"),
        (110, "Một trăm mười đồng"),
        (115, "Một trăm mười lăm đồng"),
        (1_015, "Một nghìn không trăm mười lăm đồng"),
        (105_000, "Một trăm linh năm nghìn đồng"),
        (702_000, "Bảy trăm linh hai nghìn đồng"),
        (1_050_000, "Một triệu không trăm năm mươi nghìn đồng"),
        (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
        (1_000_000, "Một triệu đồng"),
        (2_340_000, "Hai triệu ba trăm bốn mươi nghìn đồng"),
        (1_872_000, "Một triệu tám trăm bảy mươi hai nghìn đồng"),
        (10_530_000, "Mười triệu năm trăm ba mươi nghìn đồng"),
        (15_000_000, "Mười lăm triệu đồng"),
        (21_000_000, "Hai mươi mốt triệu đồng"),
        (123_456_000, "Một trăm hai mươi ba triệu bốn trăm năm mươi sáu nghìn đồng"),
        (1_000_050_000, "Một tỷ không trăm năm mươi nghìn đồng"),
        (2_000_000_000, "Hai tỷ đồng"),
        (1_000_000_000_000, "Một nghìn tỷ đồng"),
    ],
)
def test_money_in_words(amount: int, words: str) -> None:
    assert money_in_words(amount) == words


def test_regional_words() -> None:
    assert money_in_words(105_000, linh="lẻ", nghin="ngàn") == "Một trăm lẻ năm ngàn đồng"
    assert number_in_words(1_015, nghin="ngàn") == "một ngàn không trăm mười lăm"


def test_words_refuse_fractions_and_negatives() -> None:
    with pytest.raises(ValueError):
        money_in_words(Decimal("10.5"))
    with pytest.raises(ValueError):
        number_in_words(-1)
    assert money_in_words(Decimal("702000")) == "Bảy trăm linh hai nghìn đồng"


def test_format_vnd() -> None:
    assert format_vnd(2_340_000) == "2.340.000"
    assert format_vnd(0) == "0"
    assert format_vnd(123_456_000) == "123.456.000"


_UNITS = {"không": 0, "một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7,
          "tám": 8, "chín": 9, "mốt": 1, "lăm": 5}


def _parse_words(text: str) -> int:
    """An independent reader of the words (for the round-trip property)."""
    billions = 0
    group = 0  # current value below 1000
    below_billion = 0
    for w in text.split():
        if w in _UNITS:
            group += _UNITS[w]
        elif w == "mười":
            group += 10
        elif w == "mươi":
            group = group - group % 10 + (group % 10) * 10
        elif w == "trăm":
            group = group - group % 10 + (group % 10) * 100
        elif w in ("linh", "lẻ"):
            continue
        elif w in ("nghìn", "ngàn"):
            below_billion += group * 1_000
            group = 0
        elif w == "triệu":
            below_billion += group * 1_000_000
            group = 0
        elif w == "tỷ":
            billions = (billions + below_billion + group) * 1_000_000_000
            below_billion = group = 0
        else:
            raise AssertionError(w)
    return billions + below_billion + group


@given(st.integers(min_value=0, max_value=999_999_999_999))
def test_property_words_round_trip(n: int) -> None:
    text = number_in_words(n)
    assert _parse_words(text) == n
    assert "một mươi" not in text


@given(st.integers(min_value=0, max_value=999_999_999))
def test_property_tens_words(n: int) -> None:
    words = number_in_words(n).split()
    for i, w in enumerate(words[1:], start=1):
        if w == "mốt":
            assert words[i - 1] == "mươi"  # mốt only after 2x–9x
        if w == "lăm":
            assert words[i - 1] in ("mươi", "mười")  # lăm only after 1x–9x
