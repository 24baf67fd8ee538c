"""Reward money (tiền thưởng): amounts, the payment rules, and amounts in Vietnamese words.

The law's arithmetic (ND 152/2025/NĐ-CP Điều 49, formerly ND 98/2023/NĐ-CP Điều 53):

- amount = coefficient × the base salary (mức lương cơ sở) in force on the date the decision is
  signed, then rounded UP to the next 10,000 đồng ("làm tròn số lên hàng chục nghìn đồng");
- several titles for the same period → only the highest is paid; a title (danh hiệu) and a form
  of commendation (hình thức khen thưởng) decided together → both are paid.

Money is ``decimal.Decimal`` or ``int`` đồng, never a float: 4.98 × 2,340,000 is
11653200.000000002 in floats. Pure module: no files, no clock.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal, InvalidOperation

from thidua_cli.core.numbers import format_vn_number

ROUNDING_STEP = 10_000  # đồng

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_BILLION = 1_000_000_000


def to_decimal(value: Decimal | int | str) -> Decimal:
    """A coefficient or amount as an exact Decimal. Floats are refused: "0.1" must be typed as
    text (TOML strings or Decimal) so that no binary artefact reaches money."""
    if isinstance(value, (bool, float)):
        raise TypeError(f"tiền/hệ số phải là Decimal, int hoặc chuỗi, không phải {value!r}")
    try:
        return value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ValueError(f"\"{value}\" không phải là số") from exc


def round_up(amount: Decimal | int, step: int = ROUNDING_STEP) -> int:
    """Round a non-negative amount UP to a multiple of ``step`` đồng (ceil, never down)."""
    value = to_decimal(amount)
    if value < 0:
        raise ValueError("số tiền không được âm")
    units = (value / step).to_integral_value(rounding=ROUND_CEILING)
    return int(units) * step


def reward_amount(
    coefficient: Decimal | int | str, base_salary: Decimal | int, step: int = ROUNDING_STEP
) -> int:
    """coefficient × base salary, rounded UP to ``step`` (10,000 đ by law):
    0.15 × 2,340,000 = 351,000 → 360,000; 0.3 × 2,340,000 = 702,000 → 710,000;
    1.0 × 2,340,000 = 2,340,000 (already a multiple)."""
    coef = to_decimal(coefficient)
    if coef < 0:
        raise ValueError("hệ số không được âm")
    return round_up(coef * to_decimal(base_salary), step)


# --------------------------------------------------------------------------------------------
# The payment rule: one period, several titles → only the highest is paid.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PayItem:
    """One award of one recipient, as the payment rule sees it.

    ``recipient`` identifies the person or the collective (e.g. ("individual", "BV0012")),
    ``period`` the period the achievement covers ("2026"), ``category`` "title" (danh hiệu) or
    "commendation" (hình thức khen thưởng). ``payable`` is False for awards this unit does not pay
    (decided and paid by a higher level, or not decided)."""

    key: Hashable  # the caller's own identifier of the award
    recipient: Hashable
    period: str
    category: str
    coefficient: Decimal
    amount: int
    payable: bool = True


@dataclass(frozen=True)
class PayDecision:
    key: Hashable
    paid: bool
    reason: str  # "" when paid; a Vietnamese note otherwise
    superseded_by: Hashable | None = None


def decide_payments(items: Sequence[PayItem], *, highest_basis: str = "") -> dict[Hashable, PayDecision]:
    """Apply the payment rule to every item.

    Titles of the same recipient and period: only the one with the largest amount is paid (ties
    on amount: the first in ``items`` order, which the caller makes deterministic); the others
    are kept with ``paid=False`` and a note. Forms of commendation are always paid, and so is a
    title alongside a form of commendation. Items with ``payable=False`` are never paid."""
    result: dict[Hashable, PayDecision] = {}
    best: dict[tuple[Hashable, str], PayItem] = {}
    for item in items:
        if not item.payable or item.category != "title":
            continue
        slot = (item.recipient, item.period)
        current = best.get(slot)
        if current is None or item.amount > current.amount:
            best[slot] = item
    suffix = f" ({highest_basis})" if highest_basis else ""
    for item in items:
        if not item.payable:
            result[item.key] = PayDecision(item.key, False, "")
            continue
        if item.category != "title":
            result[item.key] = PayDecision(item.key, True, "")
            continue
        top = best[(item.recipient, item.period)]
        if top.key == item.key:
            result[item.key] = PayDecision(item.key, True, "")
        else:
            result[item.key] = PayDecision(
                item.key,
                False,
                "Cùng kỳ đã có danh hiệu mức thưởng cao hơn; chỉ nhận tiền thưởng của danh hiệu "
                f"cao nhất{suffix}",
                superseded_by=top.key,
            )
    return result


# --------------------------------------------------------------------------------------------
# Amounts in figures and in words
# --------------------------------------------------------------------------------------------


def format_vnd(amount: int | Decimal) -> str:
    """2340000 → "2.340.000" (the Vietnamese thousands separator is a dot)."""
    return format_vn_number(int(to_decimal(amount)))


def _read_triple(n: int, *, full: bool, linh: str) -> list[str]:
    """Words of a group of three digits (0 < n < 1000). ``full`` reads the hundreds even when
    zero ("không trăm năm mươi"): every group after the leading one is read in full."""
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append(linh)  # "một trăm linh năm"
            words.append(_DIGITS[units])
        return words
    if tens == 1:
        words.append("mười")  # 10–19: "mười", never "một mươi"
    else:
        words += [_DIGITS[tens], "mươi"]
    if units == 1 and tens >= 2:
        words.append("mốt")  # 21: "hai mươi mốt"; but 11: "mười một"
    elif units == 5:
        words.append("lăm")  # 15, 25: "mười lăm", "hai mươi lăm"
    elif units:
        words.append(_DIGITS[units])
    return words


def _read_below_billion(n: int, *, full: bool, linh: str, nghin: str) -> list[str]:
    groups = [(n // 1_000_000, "triệu"), (n // 1_000 % 1_000, nghin), (n % 1_000, "")]
    words: list[str] = []
    leading = not full
    for value, unit in groups:
        if value == 0:
            continue
        words += _read_triple(value, full=not leading, linh=linh)
        if unit:
            words.append(unit)
        leading = False
    return words


def _read(n: int, *, full: bool, linh: str, nghin: str) -> list[str]:
    if n < _BILLION:
        return _read_below_billion(n, full=full, linh=linh, nghin=nghin)
    billions, rest = divmod(n, _BILLION)
    words = [*_read(billions, full=full, linh=linh, nghin=nghin), "tỷ"]
    if rest:
        words += _read_below_billion(rest, full=True, linh=linh, nghin=nghin)
    return words


def number_in_words(n: int, *, linh: str = "linh", nghin: str = "nghìn") -> str:
    """A non-negative whole number in Vietnamese words, lower case: 1015 → "một nghìn không trăm
    mười lăm"."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError("chỉ đọc được số nguyên")
    if n < 0:
        raise ValueError("không đọc số âm")
    if n == 0:
        return _DIGITS[0]
    return " ".join(_read(n, full=False, linh=linh, nghin=nghin))


def money_in_words(n: int | Decimal, *, linh: str = "linh", nghin: str = "nghìn") -> str:
    """Whole đồng in words, formal style, first letter capitalised:
    1,050,000 → "Một triệu không trăm năm mươi nghìn đồng";
    105,000 → "Một trăm linh năm nghìn đồng"; 0 → "Không đồng".
    ``linh`` may be "lẻ" and ``nghin`` "ngàn" (regional settings)."""
    value = to_decimal(n) if not isinstance(n, int) else Decimal(n)
    if value != value.to_integral_value():
        raise ValueError("số tiền phải là số đồng nguyên")
    text = number_in_words(int(value), linh=linh, nghin=nghin) + " đồng"
    return text[0].upper() + text[1:]

