"""Numbers as clerks type them (locale.md "Numbers, IDs, dates"). Pure functions.

Scores (``parse_number``):

- A real spreadsheet number (int or float) is taken as it is; NaN and infinities are not
  numbers. ``True``/``False`` are not numbers (a ticked checkbox is not a score).
- Text is accepted when it is one number: optional sign, digits, at most one decimal separator,
  comma or dot ("8,5" and "8.5" are 8.5). Surrounding spaces are ignored. It is flagged
  ``from_text`` so that the reader warns: Excel's SUM skips numbers stored as text.
- A unit after the number is tolerated: "8,5đ", "8.5 điểm", "9 Đ" (đ is the clerks' short
  form of "điểm"); the number is still text to Excel, hence still flagged.
- "1.500" / "1,500" (one separator followed by exactly three digits, integer part 1–3 digits
  not 0) is ambiguous: 1,5 or 1500? It is refused with both readings rather than guessed.
- Thousands separators ("1.234,5", "1 500") are not allowed in scores: a score never needs one,
  so such text is a typing slip and is refused as not a number.
- Percentages ("85%") are refused: a score is points, not a share.

Money (``parse_money``): "2.340.000", "2,340,000", "2 340 000", "702.000 VNĐ", "702000đ" are
all whole đồng; grouping must be regular (groups of three). A fractional part is accepted only
when it is zero ("2.340.000,00").

``format_vn_number`` writes the Vietnamese way: "2.340.000", "8,5".
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from typing import Any

__all__ = [
    "NumberProblem",
    "ParsedNumber",
    "format_vn_number",
    "is_blank",
    "parse_money",
    "parse_number",
]


@dataclass(frozen=True, slots=True)
class ParsedNumber:
    """A number read from a cell. ``from_text``: the cell held text (warn: Excel's SUM skips it)."""

    value: float
    from_text: bool = False


@dataclass(frozen=True, slots=True)
class NumberProblem:
    """Why a cell is not a usable number.

    ``code`` is a finding code of the catalogue ("not-a-number", "ambiguous-decimal") or
    "blank" for an empty cell (what a blank means is the caller's decision). ``readings`` holds
    the two possible readings of an ambiguous decimal, as Vietnamese-formatted text.
    """

    code: str
    reason: str = ""
    readings: tuple[str, str] | None = None


BLANK = NumberProblem("blank")

# Spaces a clerk cannot see: NBSP, narrow NBSP, figure space, zero-width characters.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACE_CHARS = " \t\r\n\u00a0\u2007\u202f"
_MINUS = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2014": "-"})

# A score: sign, digits, optional single decimal separator, optional unit "đ"/"điểm".
_SCORE_RE = re.compile(
    r"(?P<sign>[+-]?)\s*(?P<int>\d*)(?:(?P<sep>[.,])(?P<frac>\d+))?"
    r"(?:\s*(?P<unit>đ|điểm|d|diem)\.?)?",
    re.IGNORECASE,
)
_HAS_DIGIT = re.compile(r"\d")


def is_blank(value: Any) -> bool:
    """True for an empty cell: None, "" or text of spaces/invisible characters only."""
    if value is None:
        return True
    if isinstance(value, str):
        s = value.strip()
        if not s:
            return True
        # Fast exit for ordinary text; only text of odd characters needs the full check.
        return not s[0].isalnum() and not s.translate(_INVISIBLE).strip(_SPACE_CHARS)
    return False


def _not_a_number(reason: str = "") -> NumberProblem:
    return NumberProblem("not-a-number", reason)


def parse_number(value: Any) -> ParsedNumber | NumberProblem:
    """A score or count as typed in a cell. Never raises."""
    kind = type(value)
    # Fast path: the common case is a real spreadsheet number.
    if kind is float:
        if math.isfinite(value):
            return ParsedNumber(value)
        return _not_a_number("không phải số hữu hạn")
    if kind is int:
        return ParsedNumber(float(value))
    if kind is str:
        return _parse_text(value)
    if value is None:
        return BLANK
    if isinstance(value, bool):
        return _not_a_number("giá trị đúng/sai")
    if isinstance(value, (int, float, Decimal)):
        try:
            f = float(value)
        except (OverflowError, ValueError):
            return _not_a_number("số quá lớn")
        return ParsedNumber(f) if math.isfinite(f) else _not_a_number("không phải số hữu hạn")
    return _not_a_number(f"kiểu {kind.__name__}")


def _parse_text(text: str) -> ParsedNumber | NumberProblem:
    s = unicodedata.normalize("NFC", text).translate(_INVISIBLE).translate(_MINUS)
    s = s.strip(_SPACE_CHARS)
    if not s:
        return BLANK
    if "%" in s:
        return _not_a_number("tỉ lệ phần trăm không phải là điểm")
    m = _SCORE_RE.fullmatch(s)
    if m is None or not (m["int"] or m["frac"]):
        return _not_a_number("có chữ hoặc nhiều dấu phân cách" if _HAS_DIGIT.search(s) else "")
    int_part, sep, frac = m["int"], m["sep"], m["frac"]
    if (
        sep is not None
        and frac is not None
        and len(frac) == 3
        and 1 <= len(int_part) <= 3
        and int_part[0] != "0"
    ):
        whole = int(int_part)
        small = f"{whole},{frac}".rstrip("0").rstrip(",")
        big = str(whole * 1000 + int(frac))
        return NumberProblem(
            "ambiguous-decimal",
            "một dấu phân cách và đúng ba chữ số sau nó",
            (small, big),
        )
    number = float(f"{int_part or '0'}.{frac}" if frac else int_part)
    if m["sign"] == "-":
        number = -number
    if not math.isfinite(number):
        return _not_a_number("số quá lớn")
    return ParsedNumber(number + 0.0, from_text=True)  # + 0.0 turns -0.0 into 0.0


# --------------------------------------------------------------------------------------------
# Money
# --------------------------------------------------------------------------------------------

_CURRENCY_RE = re.compile(r"\s*(?:vnđ|vnd|đồng|dong|đ|d)\.?$", re.IGNORECASE)
_MONEY_PLAIN = re.compile(r"\d+")
_MONEY_GROUPED = re.compile(r"\d{1,3}(?P<g>[., \u00a0\u202f\u2007'])\d{3}(?:(?P=g)\d{3})*")
_MONEY_FRACTION = re.compile(r"(.+)([.,])(\d+)")


def parse_money(value: Any) -> int:
    """Whole đồng from "2.340.000", "2,340,000", "2 340 000", "702.000 VNĐ", 702000 or 702000.0.

    Raises ``ValueError`` (Vietnamese message) for anything else: irregular grouping, a non-zero
    fractional part, text that is not an amount. Never raises another exception type."""
    if isinstance(value, bool):
        raise ValueError("giá trị đúng/sai không phải là số tiền")
    if isinstance(value, int):
        return value
    if isinstance(value, (float, Decimal)):
        try:
            d = Decimal(value) if isinstance(value, float) else value
            if not d.is_finite() or d != d.to_integral_value():
                raise ValueError(f"{value} không phải là số đồng chẵn")
            return int(d)
        except InvalidOperation as exc:  # pragma: no cover - defensive
            raise ValueError(f"{value} không phải là số tiền") from exc
    if not isinstance(value, str):
        raise ValueError(f"{value!r} không phải là số tiền")
    s = unicodedata.normalize("NFC", value).translate(_INVISIBLE).translate(_MINUS)
    s = s.strip(_SPACE_CHARS)
    s = _CURRENCY_RE.sub("", s).strip(_SPACE_CHARS)
    sign = 1
    if s[:1] in "+-" and s:
        sign = -1 if s[0] == "-" else 1
        s = s[1:].lstrip(_SPACE_CHARS)
    if not s:
        raise ValueError(f"\"{value}\" không phải là số tiền")
    digits = _money_digits(s)
    if digits is None:
        raise ValueError(
            f"\"{value}\" không phải là số tiền (viết dạng 2.340.000 hoặc 2340000, số đồng chẵn)"
        )
    return sign * int(digits)


def _money_digits(s: str) -> str | None:
    """The digits of a whole amount, or None. A trailing fractional part must be zeros and use
    a separator different from the grouping one ("2.340.000,00", "702000.00")."""
    if _MONEY_PLAIN.fullmatch(s):
        return s
    if _MONEY_GROUPED.fullmatch(s):
        return re.sub(r"\D", "", s)
    m = _MONEY_FRACTION.fullmatch(s)
    if m is None:
        return None
    head, dec_sep, frac = m.group(1), m.group(2), m.group(3)
    # Three digits after the last separator read as one more thousands group: "2.340,000" is
    # a typing slip for 2.340.000 or 2.340 đ; refuse rather than guess.
    if set(frac) != {"0"} or len(frac) == 3:
        return None
    if _MONEY_PLAIN.fullmatch(head):
        return head
    grouped = _MONEY_GROUPED.fullmatch(head)
    if grouped and grouped["g"] != dec_sep:
        return re.sub(r"\D", "", head)
    return None


# --------------------------------------------------------------------------------------------
# Formatting
# --------------------------------------------------------------------------------------------


def format_vn_number(value: int | float | Decimal, decimals: int | None = None) -> str:
    """"2.340.000", "8,5", "-1.500,25": dot between thousands, decimal comma.

    ``decimals=None`` shows as many decimals as the number needs (floats by their shortest
    repr, so 8.5 → "8,5", 0.1 + 0.2 → "0,30000000000000004" is avoided by passing decimals);
    an int decimal count rounds half away from zero and keeps trailing zeros."""
    if isinstance(value, bool):
        raise TypeError("giá trị đúng/sai không phải là số")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value} không phải số hữu hạn")
        d = Decimal(repr(value))
    elif isinstance(value, int):
        d = Decimal(value)
    else:
        d = value
        if not d.is_finite():
            raise ValueError(f"{value} không phải số hữu hạn")
    # Enough precision for the whole number and its decimals (the default 28 digits would
    # refuse to quantize 1e28).
    with localcontext() as ctx:
        ctx.prec = max(28, d.adjusted() + (decimals or 0) + 30)
        if decimals is not None:
            d = d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        elif d == d.to_integral_value():
            d = d.quantize(Decimal(1))
        else:
            d = d.normalize()
    negative = d < 0
    text = format(d.copy_abs(), "f")  # copy_abs: no rounding to the context precision
    whole, _, frac = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.append(whole[-3:])
        whole = whole[:-3]
    groups.append(whole)
    out = ".".join(reversed(groups))
    if frac:
        out += "," + frac
    return ("-" if negative and d != 0 else "") + out
