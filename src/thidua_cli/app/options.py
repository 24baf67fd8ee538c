"""Option values several commands share (a date typed on the command line), parsed once so
that ``awards --decision-date`` and ``ledger record --date`` accept the same forms."""

from __future__ import annotations

from datetime import date

from thidua_cli.errors import UsageError


def parse_date(value: str, option: str) -> date:
    """"2026-12-20" or "20/12/2026" (read as a date cell is: the reader's own parser)."""
    from thidua_cli.io.reader import parse_date

    found, _ = parse_date(value)
    if found is None:
        raise UsageError(f"{option} \"{value}\" không phải ngày hợp lệ. Ghi dạng 2026-12-20 hoặc "
                         "20/12/2026.")
    return found
