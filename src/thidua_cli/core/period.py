"""Finding the period of a run (shared/decisions.md "Periods").

Sources, in order: the --period option; the file name ("quy-4-2026", "q4-2026", "2026-q4",
"nam-2026"); a title row ("QUÝ IV NĂM 2026", "NĂM 2026"). Pure functions over strings.
"""

from __future__ import annotations

import re

from thidua_cli.core.vntext import fold
from thidua_cli.errors import UsageError
from thidua_cli.model import Period, PeriodKind

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_YEAR = r"(20\d\d|19\d\d)"
_Q = r"(iv|iii|ii|i|[1-4])"

# Patterns on the accent-folded, lower-case text; "quy" is "quý" folded.
_QUARTER_PATTERNS = (
    re.compile(rf"\bquy[\s_\-.]*{_Q}[\s_\-./]*(?:nam[\s_\-.]*)?{_YEAR}\b"),
    re.compile(rf"\bq{_Q}[\s_\-./]*{_YEAR}\b"),
    re.compile(rf"\b{_YEAR}[\s_\-./]*q(?:uy)?[\s_\-.]*{_Q}\b"),
)
_MONTH_PATTERNS = (
    re.compile(rf"\bthang[\s_\-.]*(1[0-2]|0?[1-9])[\s_\-./]*(?:nam[\s_\-.]*)?{_YEAR}\b"),
    re.compile(rf"\b{_YEAR}[\s_\-.]*m(1[0-2]|0?[1-9])\b"),
)
_YEAR_PATTERNS = (re.compile(rf"\bnam[\s_\-.]*{_YEAR}\b"),)


def _quarter(token: str) -> int:
    return _ROMAN[token] if token in _ROMAN else int(token)


def find_period(text: str) -> Period | None:
    """The period named in a file name or a title row, or None. Quarter and month win over a
    bare year ("QUÝ IV NĂM 2026" is the quarter)."""
    s = fold(text).replace("_", " ")
    for pat in _QUARTER_PATTERNS:
        m = pat.search(s)
        if m:
            a, b = m.groups()
            if a.isdigit() and len(a) == 4:  # "2026-q4"
                return Period(PeriodKind.QUARTER, int(a), _quarter(b))
            return Period(PeriodKind.QUARTER, int(b), _quarter(a))
    for pat in _MONTH_PATTERNS:
        m = pat.search(s)
        if m:
            a, b = m.groups()
            if len(a) == 4:
                return Period(PeriodKind.MONTH, int(a), int(b))
            return Period(PeriodKind.MONTH, int(b), int(a))
    for pat in _YEAR_PATTERNS:
        m = pat.search(s)
        if m:
            return Period(PeriodKind.YEAR, int(m.group(1)))
    return None


def parse_period_option(value: str) -> Period:
    """--period: "2026", "2026-Q4", "2026-M03" (and the file-name forms). UsageError otherwise."""
    v = value.strip()
    if re.fullmatch(_YEAR, v):
        return Period(PeriodKind.YEAR, int(v))
    m = re.fullmatch(rf"{_YEAR}-[qQ]([1-4])", v)
    if m:
        return Period(PeriodKind.QUARTER, int(m.group(1)), int(m.group(2)))
    m = re.fullmatch(rf"{_YEAR}-[mM](1[0-2]|0?[1-9])", v)
    if m:
        return Period(PeriodKind.MONTH, int(m.group(1)), int(m.group(2)))
    found = find_period(v)
    if found:
        return found
    raise UsageError(
        f"Kỳ \"{value}\" không hợp lệ. Dùng dạng 2026 (năm), 2026-Q4 (quý) hoặc 2026-M03 (tháng)."
    )
