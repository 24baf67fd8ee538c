"""Violations and bonuses listed by code (issue 14): "VP01 12/10/2026; VP01 03/11/2026; KT01"
→ events with their points, escalated on repeat within the period (pure).

The rules (``[events]`` of the regulation, config/sections.EventSettings):

- each entry is a code of the catalogue, optionally followed by its date (dd/mm/yyyy or dd/mm,
  the year of the period then), entries separated by ";" or a line break (a "," also works);
- the n-th occurrence of a code within the period counts ``points[n − 1]``, the last step from
  then on: points (2, 4, 6) give 2, 4, 6, 6 …; occurrences are counted in date order (entries
  without a date after the dated ones, in the order written);
- violations add to the deduction, bonuses to the bonus (the bonus cap then applies to the sum);
- a "nặng" (severe) violation caps the rating (core/scoring.py applies it).

Problems (an unknown code, a date that is not a date or lies outside the period) are returned as
(code of the finding, detail) pairs for the reader to locate.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from thidua_cli.config.sections import EventSettings
from thidua_cli.model import Event, Period

_SPLIT = re.compile(r"[;\n,]+")
_ENTRY = re.compile(r"^\s*([^\W_][\w.\-]*)\s*(?:[(:\-–]?\s*(\d{1,2})\s*/\s*(\d{1,2})(?:\s*/\s*(\d{4}))?\s*\)?)?\s*$")


def parse_events(text: str, settings: EventSettings, period: Period | None
                 ) -> tuple[tuple[Event, ...], list[tuple[str, str]]]:
    """The events of one cell and the problems found (see the module docstring)."""
    problems: list[tuple[str, str]] = []
    found: list[tuple[int, date | None, str, bool, int]] = []  # (order, date, code …)
    entries = [e.strip() for e in _SPLIT.split(text) if e.strip()]
    for i, entry in enumerate(entries):
        m = _ENTRY.match(entry)
        if m is None:
            problems.append(("event-invalid", f"\"{entry}\" không đúng dạng \"MÃ ngày/tháng/năm\""))
            continue
        code, d, mo, y = m.groups()
        hit = settings.find(code)
        if hit is None:
            problems.append(("event-unknown-code", _unknown(code, settings)))
            continue
        on: date | None = None
        if d is not None:
            year = int(y) if y else (period.end.year if period is not None else None)
            try:
                on = date(year, int(mo), int(d)) if year is not None else None
            except ValueError:
                problems.append(("event-invalid", f"\"{entry}\": ngày {d}/{mo} không có thật"))
                continue
            if on is not None and period is not None and not period.start <= on <= period.end:
                problems.append(("event-outside-period",
                                 f"\"{entry}\": ngày {on:%d/%m/%Y} ngoài {period.label}"))
                continue
        item, violation = hit
        found.append((i, on, item.code, violation, 0))
    # Occurrences counted in date order; undated ones after, as written.
    ordered = sorted(found, key=lambda f: (f[1] is None, f[1] or date.min, f[0]))
    seen: dict[str, int] = {}
    events: list[tuple[int, Event]] = []
    for order, on, code, violation, _ in ordered:
        hit = settings.find(code)
        assert hit is not None
        item = hit[0]
        n = seen[code] = seen.get(code, 0) + 1
        points = item.points[min(n, len(item.points)) - 1]
        events.append((order, Event(item.code, item.name, on, points, violation, n,
                                    item.severe and violation)))
    return tuple(e for _, e in sorted(events, key=lambda p: p[0])), problems


def totals(events: Sequence[Event]) -> tuple[float, float]:
    """(deduction, bonus) of the events."""
    return (sum(e.points for e in events if e.violation),
            sum(e.points for e in events if not e.violation))


def describe(event: Event) -> str:
    """"Đi làm muộn (VP01), ngày 12/10/2026, lần 2 trong kỳ: trừ 4 điểm"."""
    when = f", ngày {event.on:%d/%m/%Y}" if event.on else ""
    nth = f", lần {event.nth} trong kỳ" if event.nth > 1 else ""
    sign = "trừ" if event.violation else "cộng"
    severe = " (vi phạm nặng)" if event.severe else ""
    points = f"{event.points:g}".replace(".", ",")
    return f"{event.name} ({event.code}){when}{nth}: {sign} {points} điểm{severe}"


def _unknown(code: str, settings: EventSettings) -> str:
    codes = [i.code for i in (*settings.violations, *settings.bonuses)]
    if not codes:
        return (f"mã \"{code}\" nhưng quy chế chưa có danh mục sự việc ([events]); hãy khai danh "
                "mục hoặc ghi số điểm vào cột Điểm trừ")
    return f"mã \"{code}\" không có trong danh mục sự việc của quy chế (có: {', '.join(codes)})"
