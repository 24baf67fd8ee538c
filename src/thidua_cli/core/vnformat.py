"""Vietnamese formats for state documents (Nghị định 30/2020/NĐ-CP, Phụ lục I; locale.md).

Pure functions used as Jinja filters and by :mod:`thidua_cli.core.documents`:

- the place-and-date line "Hà Nội, ngày 05 tháng 01 năm 2026": days below 10 and the months
  January and February take a leading zero, months 3–12 do not (ND 30/2020, ô số 4);
- dd/mm/yyyy;
- whole numbers with "." between thousands ("2.340.000"), decimals with "," ("0,3");
- the document number "05/QĐ-BV" (numbers below 10 take a leading zero; "/" between the
  number and the symbol, "-" between the symbol's groups, no spaces);
- percentages "88,9%";
- sentence case for an organisation's upper-case name ("SỞ Y TẾ TỈNH AN BÌNH" → "Sở Y tế tỉnh
  An Bình") where a document quotes it inside a sentence.

No clock, no files: dates are passed in.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from thidua_cli.core.numbers import format_vn_number

# A blank a clerk fills in by hand (a number not yet given by the văn thư, a day not known).
BLANK = "…"


def to_date(value: date | str) -> date:
    """A ``date`` from a date/datetime or an ISO "2026-12-20" string (the awards JSON)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError as exc:
            raise ValueError(f"'{value}' không phải ngày dạng năm-tháng-ngày (2026-12-20)") from exc
    raise TypeError(f"expected a date, got {type(value).__name__}")


def date_words(value: date | str) -> str:
    """"ngày 05 tháng 01 năm 2026", "ngày 20 tháng 12 năm 2026" (ND 30 zero-padding)."""
    d = to_date(value)
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def date_line(value: date | str, place: str = "") -> str:
    """"Hà Nội, ngày 05 tháng 01 năm 2026": the italic line beside "Số:" (ô số 4); without a
    place, "Ngày 05 tháng 01 năm 2026"."""
    place = place.strip()
    words = date_words(value)
    return f"{place}, {words}" if place else words[0].upper() + words[1:]


def blank_date_line(place: str, year: int | None = None) -> str:
    """The date line with blanks for the clerk ("An Bình, ngày … tháng … năm 2026")."""
    year_text = str(year) if year else BLANK
    text = f"ngày {BLANK} tháng {BLANK} năm {year_text}"
    return f"{place.strip()}, {text}" if place.strip() else text[0].upper() + text[1:]


def dmy(value: date | str) -> str:
    """"20/12/2026"."""
    d = to_date(value)
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def _decimal(value: object) -> Decimal:
    """A finite Decimal; ValueError for text that is not a number, NaN or infinity (a clear
    template error, never ``decimal.InvalidOperation`` later)."""
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        # Only reached for shares and percentages; money never travels as a float.
        number = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip().replace(",", "."))
        except InvalidOperation as exc:
            raise ValueError(f"'{value}' không phải là số") from exc
    else:
        raise TypeError(f"expected a number, got {type(value).__name__}")
    if not number.is_finite():
        raise ValueError(f"'{value}' không phải là số")
    return number


def thousands(value: object, decimals: int = 0) -> str:
    """"2.340.000" (whole đồng); with ``decimals`` the fraction follows a comma: "1.234,50".

    Rounds half up. Negative numbers keep their minus sign: "-702.000". The Jinja filter over
    :func:`thidua_cli.core.numbers.format_vn_number`, also taking numbers written as text."""
    return format_vn_number(_decimal(value), decimals)


def decimal_comma(value: object) -> str:
    """A coefficient as written in Vietnamese: "0.3" → "0,3", "1.0" → "1,0", 1.5 → "1,5".

    Keeps the digits it is given (no rounding, no trailing zeros added or removed)."""
    if isinstance(value, str):
        text = value.strip()
        _decimal(text)  # validates
        return text.replace(".", ",")
    number = _decimal(value)
    return f"{number:f}".replace(".", ",")


def percent(share: object, decimals: int = 1) -> str:
    """A share 0.8889 as "88,9%" (half up); 0.8 → "80,0%"."""
    return format_vn_number(_decimal(share) * 100, decimals) + "%"


def doc_number(number: int | None, type_abbr: str, org_abbr: str) -> str:
    """"12/QĐ-BV"; 5 → "05/QĐ-BV"; ``type_abbr`` may be empty (a letter: "123/BV-TCCB").

    ``None`` leaves the number blank for the văn thư: "…/QĐ-BV"."""
    if number is not None and (isinstance(number, bool) or number < 1):
        raise ValueError(f"số văn bản phải là số nguyên dương, không phải {number!r}")
    symbol = "-".join(s.strip() for s in (type_abbr, org_abbr) if s and s.strip())
    num = BLANK if number is None else f"{number:02d}"
    return f"{num}/{symbol}"


# Words kept with a capital inside an organisation name written in sentence case.
_KEEP_CAPITAL = {"y": "Y"}  # "Sở Y tế", "Bộ Y tế"
# After these words comes a proper name (a province, a city, a person): title case it.
_PROPER_AFTER = ("tỉnh", "thành phố", "tp.", "huyện", "quận", "thị xã", "xã", "phường")


def sentence_case(name: str) -> str:
    """"SỞ Y TẾ TỈNH AN BÌNH" → "Sở Y tế tỉnh An Bình"; "BỆNH VIỆN ĐA KHOA TỈNH AN BÌNH" →
    "Bệnh viện Đa khoa tỉnh An Bình".

    A heuristic for quoting an upper-case organisation name inside a sentence ("Kính gửi: …");
    documents let the regulation give the exact form when this guess is wrong."""
    words = name.split()
    if not words:
        return ""
    lower = [w.lower() for w in words]
    out: list[str] = []
    proper = False
    i = 0
    while i < len(lower):
        w = lower[i]
        if i == 0 or proper:
            out.append(w[:1].upper() + w[1:])
        elif w in _KEEP_CAPITAL:
            out.append(_KEEP_CAPITAL[w])
        else:
            out.append(w)
        pair = " ".join(lower[i : i + 2])
        if pair in _PROPER_AFTER:
            out.append(lower[i + 1])
            i += 2
            proper = True
            continue
        if w in _PROPER_AFTER:
            proper = True
        i += 1
    text = " ".join(out)
    # "Bệnh viện Đa khoa": the kind of hospital is part of its name.
    return re.sub(r"\b([Bb]ệnh viện) đa khoa\b", r"\1 Đa khoa", text)
