"""Working days of a period: Monday–Friday minus Vietnam's public holidays (Bộ luật Lao động
2019 Điều 112: Tết Dương lịch, Tết Âm lịch, Giỗ Tổ Hùng Vương, 30/4, 1/5, Quốc khánh, and the
substitute days when a holiday falls on a weekend) and the regulation's announced swaps of the
year (``overrides.days_off``: nghỉ bù; ``overrides.days_worked``: làm bù on a Saturday).

The holidays come from the maintained ``holidays`` library (it knows the lunar calendar); the
count itself is :meth:`thidua_cli.model.Period.working_days`. Every rule that speaks of a
period's working days (the half-period rule of core/scoring, the reader's bound on "Số ngày
nghỉ", the whole-quarter maternity rule of core/yearly) calls :func:`working_days` here.
Public holidays are paid days: they never reduce time worked. Pure module (no file, no clock).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

from thidua_cli.model import Overrides, Period

BASIS = "Bộ luật Lao động 2019 Điều 112"


@lru_cache(maxsize=32)
def public_holidays(year: int) -> tuple[tuple[date, str], ...]:
    """Vietnam's public holidays of ``year`` (date, English name from the library), sorted."""
    import holidays  # the maintained calendar: Tết and the lunar days, substitute days

    found = holidays.country_holidays("VN", years=year)
    return tuple(sorted((d, str(name)) for d, name in found.items()))


def days_off(period: Period, overrides: Overrides) -> frozenset[date]:
    """The public holidays of the period's year(s) plus the regulation's extra days off."""
    years = range(period.start.year, period.end.year + 1)
    out = {d for y in years for d, _ in public_holidays(y)}
    out.update(overrides.days_off)
    return frozenset(out)


def working_days(period: Period, overrides: Overrides, since: date | None = None) -> int:
    """Working days of ``period`` from ``since`` (or its start) to its end."""
    return period.working_days(since, days_off=days_off(period, overrides),
                               days_worked=frozenset(overrides.days_worked))


def removed(period: Period, overrides: Overrides) -> tuple[tuple[date, str], ...]:
    """The weekdays of the period that are not worked (for --explain): (date, name)."""
    names = dict(d for y in range(period.start.year, period.end.year + 1)
                 for d in public_holidays(y))
    return tuple(
        (d, names.get(d, "nghỉ bù (quy chế)"))
        for d in sorted(days_off(period, overrides))
        if period.start <= d <= period.end and d.weekday() < 5
    )


def nth_working_day(start: date, count: int, *, days_off: Iterable[date] = (),
                    days_worked: Iterable[date] = ()) -> date:
    """The ``count``-th working day counted from ``start`` (``start`` itself is day 1 when it
    is worked): the last day of a posting "for N working days" (issue 17). Public holidays
    (Tết included), weekends and the regulation's swapped days off do not count; a Saturday
    the regulation makes a working day does."""
    if count < 1:
        raise ValueError("count must be at least 1")
    worked = frozenset(days_worked)
    extra_off = frozenset(days_off)
    day, seen = start, 0
    while True:
        off = day in extra_off or any(d == day for d, _ in public_holidays(day.year))
        if day in worked or (day.weekday() < 5 and not off):
            seen += 1
            if seen == count:
                return day
        day += timedelta(days=1)
