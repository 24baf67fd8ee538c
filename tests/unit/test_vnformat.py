"""ND 30/2020 formats: the date line, dd/mm/yyyy, "2.340.000", the document number."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thidua_cli.core import vnformat as fmt


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 5), "Hà Nội, ngày 05 tháng 01 năm 2026"),  # day < 10 and January: padded
        (date(2026, 2, 28), "Hà Nội, ngày 28 tháng 02 năm 2026"),  # February: padded
        (date(2026, 3, 5), "Hà Nội, ngày 05 tháng 3 năm 2026"),  # March: not padded
        (date(2026, 10, 1), "Hà Nội, ngày 01 tháng 10 năm 2026"),
        (date(2026, 12, 20), "Hà Nội, ngày 20 tháng 12 năm 2026"),
    ],
)
def test_date_line_pads_days_below_10_and_months_1_and_2(day: date, expected: str) -> None:
    assert fmt.date_line(day, "Hà Nội") == expected


def test_date_line_accepts_iso_text_and_no_place() -> None:
    assert fmt.date_line("2026-01-09", "An Bình") == "An Bình, ngày 09 tháng 01 năm 2026"
    assert fmt.date_line("2026-07-09", "") == "Ngày 09 tháng 7 năm 2026"
    assert fmt.date_words("2026-11-30") == "ngày 30 tháng 11 năm 2026"
    with pytest.raises(ValueError, match="2026-13-01"):
        fmt.date_line("2026-13-01", "Hà Nội")


def test_blank_date_line_leaves_day_and_month_for_the_clerk() -> None:
    assert fmt.blank_date_line("An Bình", 2026) == "An Bình, ngày … tháng … năm 2026"


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_date_line_reads_back_to_the_same_date(d: date) -> None:
    text = fmt.date_line(d, "Hà Nội")
    _, words = text.split(", ", 1)
    parts = words.split()
    assert parts[0] == "ngày" and parts[2] == "tháng" and parts[4] == "năm"
    assert len(parts[1]) == 2  # the day always has two digits
    assert len(parts[3]) == (2 if d.month <= 2 else len(str(d.month)))
    assert date(int(parts[5]), int(parts[3]), int(parts[1])) == d


def test_dmy() -> None:
    assert fmt.dmy(date(2026, 3, 5)) == "05/03/2026"
    assert fmt.dmy("2026-12-20") == "20/12/2026"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0"),
        (999, "999"),
        (1000, "1.000"),
        (702000, "702.000"),
        (2340000, "2.340.000"),
        (123456000, "123.456.000"),
        (-702000, "-702.000"),
        (Decimal("1000000"), "1.000.000"),
        ("13338000", "13.338.000"),
    ],
)
def test_thousands(value: object, expected: str) -> None:
    assert fmt.thousands(value) == expected


def test_thousands_with_decimals_rounds_half_up() -> None:
    assert fmt.thousands(Decimal("1234.5"), 2) == "1.234,50"
    assert fmt.thousands(Decimal("0.125"), 2) == "0,13"
    assert fmt.thousands(Decimal("2.5")) == "3"


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_thousands_groups_by_three_and_keeps_the_digits(n: int) -> None:
    text = fmt.thousands(n)
    assert int(text.replace(".", "")) == n
    groups = text.lstrip("-").split(".")
    assert all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3


def test_thousands_refuses_booleans_and_text() -> None:
    with pytest.raises(TypeError):
        fmt.thousands(True)
    with pytest.raises(ValueError, match="không phải là số"):
        fmt.thousands("hai triệu")


def test_thousands_and_percent_of_huge_or_non_finite_numbers() -> None:
    # Template filters: a huge number is still grouped, a non-number is a ValueError (a clear
    # template error), never decimal.InvalidOperation escaping the render error handling.
    assert fmt.thousands(Decimal("1e30")) == "1" + ".000" * 10
    assert fmt.thousands(10**30) == "1" + ".000" * 10
    for bad in ("NaN", "Infinity", Decimal("-Infinity"), float("nan")):
        with pytest.raises(ValueError):
            fmt.thousands(bad)
        with pytest.raises(ValueError):
            fmt.percent(bad)


def test_decimal_comma_and_percent() -> None:
    assert fmt.decimal_comma("0.3") == "0,3"
    assert fmt.decimal_comma("1.0") == "1,0"
    assert fmt.decimal_comma(Decimal("1.5")) == "1,5"
    assert fmt.percent(8 / 9) == "88,9%"
    assert fmt.percent(0.8) == "80,0%"
    assert fmt.percent(0.5, 0) == "50%"
    assert fmt.percent(2 / 3) == "66,7%"


@pytest.mark.parametrize(
    ("number", "type_abbr", "org", "expected"),
    [
        (12, "QĐ", "BV", "12/QĐ-BV"),
        (5, "QĐ", "BV", "05/QĐ-BV"),
        (1, "TTr", "TCCB", "01/TTr-TCCB"),
        (123, "", "BV-TCCB", "123/BV-TCCB"),  # a letter: no type abbreviation
        (None, "QĐ", "BV", "…/QĐ-BV"),  # left blank for the văn thư
    ],
)
def test_doc_number(number: int | None, type_abbr: str, org: str, expected: str) -> None:
    assert fmt.doc_number(number, type_abbr, org) == expected


def test_doc_number_refuses_zero() -> None:
    with pytest.raises(ValueError, match="nguyên dương"):
        fmt.doc_number(0, "QĐ", "BV")


@pytest.mark.parametrize(
    ("upper", "expected"),
    [
        ("SỞ Y TẾ TỈNH AN BÌNH", "Sở Y tế tỉnh An Bình"),
        ("BỆNH VIỆN ĐA KHOA TỈNH AN BÌNH", "Bệnh viện Đa khoa tỉnh An Bình"),
        ("BỘ Y TẾ", "Bộ Y tế"),
        ("SỞ Y TẾ THÀNH PHỐ HỒ CHÍ MINH", "Sở Y tế thành phố Hồ Chí Minh"),
        ("", ""),
    ],
)
def test_sentence_case(upper: str, expected: str) -> None:
    assert fmt.sentence_case(upper) == expected


def test_to_date_of_datetime_and_wrong_type() -> None:
    from datetime import datetime

    assert fmt.to_date(datetime(2026, 1, 2, 8, 30)) == date(2026, 1, 2)
    assert fmt.to_date(date(2026, 1, 2) + timedelta(days=1)) == date(2026, 1, 3)
    with pytest.raises(TypeError):
        fmt.to_date(20261220)  # type: ignore[arg-type]
