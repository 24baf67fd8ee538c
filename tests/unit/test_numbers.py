"""core/numbers: scores, money and Vietnamese number formatting (locale.md "Numbers")."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thidua_cli.core.numbers import (
    NumberProblem,
    ParsedNumber,
    format_vn_number,
    is_blank,
    parse_money,
    parse_number,
)

# --------------------------------------------------------------------------------------------
# parse_number
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (8.5, 8.5),
        (10, 10.0),
        (0.0, 0.0),
        (-2.0, -2.0),  # negative numbers parse; the reader decides they are negative-score
    ],
)
def test_real_numbers_are_taken_as_they_are(value: object, expected: float) -> None:
    assert parse_number(value) == ParsedNumber(expected, from_text=False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8,5", 8.5),
        ("8.5", 8.5),
        (" 7 ", 7.0),
        ("\u00a09\u00a0", 9.0),
        ("0,500", 0.5),  # integer part 0: not a thousands group
        ("1234,567", 1234.567),  # four digits before: cannot be a thousands group
        (",5", 0.5),
        ("+4", 4.0),
        ("-3", -3.0),
        ("\u22122,5", -2.5),  # the Unicode minus sign
        ("8,5đ", 8.5),
        ("8.5 điểm", 8.5),
        ("9 Đ", 9.0),
        ("7 DIEM", 7.0),
        ("-0", 0.0),
    ],
)
def test_text_numbers_parse_and_are_flagged(text: str, expected: float) -> None:
    result = parse_number(text)
    assert isinstance(result, ParsedNumber)
    assert result.value == expected
    assert result.from_text is True


@pytest.mark.parametrize(
    ("text", "readings"),
    [("1.500", ("1,5", "1500")), ("1,500", ("1,5", "1500")), ("12,345", ("12,345", "12345")),
     ("999.999", ("999,999", "999999"))],
)
def test_one_separator_and_three_digits_is_ambiguous(text: str, readings: tuple[str, str]) -> None:
    assert parse_number(text) == NumberProblem(
        "ambiguous-decimal", "một dấu phân cách và đúng ba chữ số sau nó", readings
    )


@pytest.mark.parametrize(
    "value",
    ["abc", "85%", "1 500", "1.234,5", "1,234.5", "8.", "8,", "1e3", "--1", "x8", "8 x",
     True, False, float("nan"), float("inf"), object(), "NaN", "∞"],
)
def test_not_a_number(value: object) -> None:
    result = parse_number(value)
    assert isinstance(result, NumberProblem)
    assert result.code == "not-a-number"


def test_percent_says_why() -> None:
    result = parse_number("85%")
    assert isinstance(result, NumberProblem)
    assert "phần trăm" in result.reason


@pytest.mark.parametrize("value", ["", "   ", "\u00a0", "\u200b", None, "\n\t"])
def test_blank(value: object) -> None:
    assert parse_number(value) == NumberProblem("blank")
    assert is_blank(value)


@pytest.mark.parametrize("value", ["a", "0", 0, 0.0, " x ", "-", False])
def test_not_blank(value: object) -> None:
    assert not is_blank(value)


@given(st.text(max_size=40))
def test_parse_number_never_raises(text: str) -> None:
    result = parse_number(text)
    assert isinstance(result, (ParsedNumber, NumberProblem))
    if isinstance(result, ParsedNumber):
        assert math.isfinite(result.value)


@given(st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False))
def test_score_round_trip_with_decimal_comma(d: Decimal) -> None:
    text = format_vn_number(d)
    result = parse_number(text)
    if isinstance(result, NumberProblem):
        # Only the genuinely ambiguous shape is refused (e.g. never: "99,5" or "100").
        assert result.code == "ambiguous-decimal"
        return
    assert result.value == pytest.approx(float(d))


@given(st.integers(min_value=0, max_value=999))
def test_whole_scores_round_trip(n: int) -> None:
    assert parse_number(format_vn_number(n)) == ParsedNumber(float(n), from_text=True)


# --------------------------------------------------------------------------------------------
# parse_money
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2.340.000", 2_340_000),
        ("2,340,000", 2_340_000),
        ("2 340 000", 2_340_000),
        ("2\u00a0340\u00a0000", 2_340_000),
        ("702.000 VNĐ", 702_000),
        ("702.000 vnd", 702_000),
        ("702000đ", 702_000),
        ("702.000 đồng", 702_000),
        ("1.000", 1_000),  # money: a single group is thousands, never a decimal
        ("2.340.000,00", 2_340_000),
        ("2,340,000.00", 2_340_000),
        ("702000.00", 702_000),
        ("0", 0),
        ("-5.000", -5_000),
        (702000, 702_000),
        (702000.0, 702_000),
        (Decimal("2340000"), 2_340_000),
    ],
)
def test_parse_money(text: object, expected: int) -> None:
    assert parse_money(text) == expected


@pytest.mark.parametrize(
    "text",
    ["1,5", "1.5", "12.34.567", "2.340,000", "2.340.000,50", "abc", "", "VNĐ", "1.000.00",
     "2,340.000", True, 1.5, None],
)
def test_parse_money_refuses(text: object) -> None:
    with pytest.raises(ValueError):
        parse_money(text)


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_money_round_trip(n: int) -> None:
    assert parse_money(format_vn_number(n)) == n
    assert parse_money(f"{format_vn_number(n)} VNĐ") == n
    assert parse_money(f"{n:,}") == n  # "2,340,000"


@given(st.text(max_size=40))
def test_parse_money_raises_only_value_error(text: str) -> None:
    try:
        result = parse_money(text)
    except ValueError:
        return
    assert isinstance(result, int)


# --------------------------------------------------------------------------------------------
# format_vn_number
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (2_340_000, None, "2.340.000"),
        (702000, None, "702.000"),
        (999, None, "999"),
        (1000, None, "1.000"),
        (0, None, "0"),
        (8.5, None, "8,5"),
        (10.0, None, "10"),
        (-1500.25, None, "-1.500,25"),
        (Decimal("11653200.000"), None, "11.653.200"),
        (Decimal("0.10"), None, "0,1"),
        (83.456, 2, "83,46"),
        (83.455, 2, "83,46"),  # half up on the decimal text, not on the binary float
        (90, 2, "90,00"),
        (-0.0, None, "0"),
        (1e28, None, "10.000.000.000.000.000.000.000.000.000"),
        (10**30 + 1, None, "1.000.000.000.000.000.000.000.000.000.001"),
    ],
)
def test_format_vn_number(value: int | float | Decimal, decimals: int | None, expected: str) -> None:
    assert format_vn_number(value, decimals) == expected


def test_format_refuses_non_numbers() -> None:
    with pytest.raises(TypeError):
        format_vn_number(True)
    with pytest.raises(ValueError):
        format_vn_number(float("inf"))
