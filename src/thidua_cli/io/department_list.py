"""The list of departments expected to submit (``thidua validate --expect danh-sach-khoa.xlsx``).

A workbook whose first sheet with data has a column headed "Khoa/Phòng" (or "Tên khoa",
"Đơn vị", "Tên đơn vị", "Tên" …): the names below that heading, down to the end of the table.
Without such a heading, the column holding the most text (the leftmost on a tie), so that a
title line above the table does not choose the column. A plain text file (.txt) with one name per line
is accepted too. Failures are ``InputFileError`` (exit 4) naming the file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from thidua_cli.core import vntext
from thidua_cli.core.numbers import is_blank
from thidua_cli.errors import InputFileError, UsageError

if TYPE_CHECKING:  # pragma: no cover
    from thidua_cli.io.raw import RawSheet

_HEADINGS = frozenset({
    "khoaphong", "khoa", "phong", "tenkhoa", "tenkhoaphong", "donvi", "tendonvi",
    "khoaphongdonvi", "tenkhoaphongdonvi", "tenphong", "khoaphongban", "donvicongtac",
    "ten",  # in a list of departments, "Tên" is the department's name
})
# A "Tổng cộng" row ends the list (on the accented key: "Công đoàn" is a name, not a total).
_TOTAL = re.compile(r"^(?:tổng cộng|tổng số|tổng|cộng)(?:$|[\s:(.,\-–])")


def read_department_list(path: str | os.PathLike[str]) -> list[str]:
    """The department names, in order, without duplicates (by match key)."""
    p = Path(path)
    if p.suffix.lower() == ".txt":
        try:
            text = p.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputFileError(
                f"Không đọc được danh sách khoa/phòng \"{p}\": {exc}. Hãy dùng tệp .xlsx có cột "
                "\"Khoa/Phòng\", hoặc tệp văn bản UTF-8 mỗi dòng một tên."
            ) from exc
        names = text.splitlines()
    else:
        from thidua_cli.io.workbook import load_workbook

        names = _names_from_workbook(load_workbook(p).sheets)
    out: list[str] = []
    seen: set[str] = set()
    for name in names:
        clean = vntext.clean(name)
        k = vntext.key(clean)
        if clean and k not in seen:
            seen.add(k)
            out.append(clean)
    if not out:
        raise UsageError(
            f"Danh sách khoa/phòng \"{p}\" không có tên nào. Hãy ghi tên các khoa/phòng dưới một "
            "cột có tiêu đề \"Khoa/Phòng\"."
        )
    return out


def _names_from_workbook(sheets: Sequence[RawSheet]) -> list[str]:
    for sheet in sheets:
        if sheet.kind != "worksheet" or sheet.visibility != "visible":
            continue
        rows = sheet.rows
        if not any(not is_blank(v) for row in rows for v in row):
            continue
        for r, row in enumerate(rows[:30]):
            for c, v in enumerate(row):
                if isinstance(v, str) and vntext.compact(v) in _HEADINGS:
                    return _column(rows, r + 1, c)
        # No heading: the column holding the most text.
        width = max((len(row) for row in rows), default=0)
        texts = [0] * width
        for row in rows:
            for c, v in enumerate(row):
                if isinstance(v, str) and not is_blank(v):
                    texts[c] += 1
        best = max(range(width), key=lambda c: (texts[c], -c), default=None)
        if best is not None and texts[best]:
            return _column(rows, 0, best)
    return []


def _column(rows: list[list[object]], start: int, c: int) -> list[str]:
    names: list[str] = []
    for row in rows[start:]:
        v = row[c] if c < len(row) else ""
        if not isinstance(v, str) or is_blank(v):
            continue
        if _TOTAL.match(vntext.key(v)) and names:
            break
        names.append(v)
    return names
