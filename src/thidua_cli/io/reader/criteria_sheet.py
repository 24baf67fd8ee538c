"""The optional "Tiêu chí" sheet, whose criteria override the regulation's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from thidua_cli.core import vntext
from thidua_cli.core.numbers import (
    ParsedNumber,
    is_blank,
    parse_number,
)
from thidua_cli.io.raw import RawSheet
from thidua_cli.io.reader.cells import plain_text, show_value
from thidua_cli.io.reader.fields import HEADER_SCAN_ROWS, TOTAL_ROW, alias_index
from thidua_cli.io.reader.header import cell_text
from thidua_cli.issues import make_issue
from thidua_cli.model import (
    Criterion,
    Issue,
    Regulation,
    Severity,
    column_letter,
)

# --------------------------------------------------------------------------------------------
# The "Tiêu chí" sheet
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriteriaSheet:
    """What a "Tiêu chí" sheet says. ``criteria`` is None when the sheet cannot be used (its
    errors are in ``issues``; the regulation's criteria are used instead)."""

    criteria: tuple[Criterion, ...] | None
    issues: tuple[Issue, ...]
    declared_total: float | None = None


_CRIT_COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("Mã", "Mã tiêu chí", "Mã TC", "Ký hiệu", "Mã số"),
    "name": ("Tiêu chí", "Tên tiêu chí", "Nội dung", "Nội dung tiêu chí", "Nội dung đánh giá"),
    "group": ("Nhóm", "Nhóm tiêu chí"),
    "max": ("Điểm tối đa", "Tối đa", "Điểm chuẩn", "Thang điểm", "Điểm", "Điểm tối đa (điểm)"),
    "stt": ("STT", "TT"),
}
_CRIT_BY_KEY, _CRIT_BY_COMPACT = alias_index((a, k) for k, v in _CRIT_COLUMNS.items() for a in v)
_GROUP_NUMBERING = re.compile(r"^(?:[IVXLC]+|[A-Za-z]|\d+)\s*[.)\-–:]\s*")


def _crit_column(text: str) -> str | None:
    k = vntext.key(text)
    return _CRIT_BY_KEY.get(k) or _CRIT_BY_COMPACT.get(vntext.compact(k))


def read_criteria_sheet(sheet: RawSheet, *, file: str, regulation: Regulation) -> CriteriaSheet:
    """Read a "Tiêu chí" sheet (Mã | Tiêu chí | Nhóm | Điểm tối đa).

    Rows without a code: a name starting with "Cộng"/"Tổng" is the total row (compared with the
    sum of the maxima, criteria-total-mismatch) and ends the table; any other name is a group
    heading for the rows below it when the Nhóm column is blank. Differences with the
    regulation's criteria are reported (criteria-differ-from-regulation); the sheet wins."""
    issues: list[Issue] = []

    def problem(detail: str, row: int | None = None, col: int | None = None,
                value: Any = None) -> None:
        issues.append(make_issue(
            "invalid-criteria-sheet", file=file, sheet=sheet.name, row=row,
            column=column_letter(col) if col else None, value=value, detail=detail,
        ))

    header_row = None
    cols: dict[str, int] = {}
    for r in range(1, min(HEADER_SCAN_ROWS, sheet.max_row) + 1):
        found: dict[str, int] = {}
        for c, v in enumerate(sheet.rows[r - 1], start=1):
            t = cell_text(v)
            if t:
                kind = _crit_column(t)
                if kind and kind not in found:
                    found[kind] = c
        if {"code", "name", "max"} <= found.keys():
            header_row, cols = r, found
            break
    if header_row is None:
        problem("không tìm thấy dòng tiêu đề có các cột Mã | Tiêu chí | Nhóm | Điểm tối đa "
                "trong 30 dòng đầu")
        return CriteriaSheet(None, tuple(issues))

    criteria: list[Criterion] = []
    seen: dict[str, int] = {}
    group = ""
    declared_total: float | None = None
    total_row: int | None = None
    reg_codes = {vntext.compact(c.code): c.code for c in regulation.criteria}
    for r in range(header_row + 1, sheet.max_row + 1):
        code = plain_text(sheet.value(r, cols["code"]))
        name = plain_text(sheet.value(r, cols["name"]))
        raw_max = sheet.value(r, cols["max"])
        grp = plain_text(sheet.value(r, cols["group"])) if "group" in cols else ""
        if not code and not name and is_blank(raw_max):
            continue
        if not code:
            if TOTAL_ROW.match(vntext.key(name)) or (not name and not is_blank(raw_max)):
                parsed = parse_number(raw_max)
                if isinstance(parsed, ParsedNumber):
                    declared_total = parsed.value
                    total_row = r
                break
            group = _GROUP_NUMBERING.sub("", name) if name else group
            continue
        if not name:
            problem(f"dòng {r} có mã \"{code}\" nhưng thiếu tên tiêu chí", r, cols["name"])
            continue
        parsed = parse_number(raw_max)
        if not isinstance(parsed, ParsedNumber) or not parsed.value > 0:
            problem(
                f"điểm tối đa của tiêu chí \"{code}\" ({'trống' if is_blank(raw_max) else show_value(raw_max)}) "
                "phải là một số lớn hơn 0",
                r, cols["max"], raw_max,
            )
            continue
        canonical = reg_codes.get(vntext.compact(code), code)
        ck = vntext.compact(canonical)
        if ck in seen:
            problem(f"mã \"{code}\" có hai lần (dòng {seen[ck]} và dòng {r})", r, cols["code"], code)
            continue
        seen[ck] = r
        criteria.append(Criterion(canonical, name, grp or group, parsed.value))
    if not criteria and not any(i.severity is Severity.ERROR for i in issues):
        problem("không có tiêu chí nào (cần ít nhất một dòng có Mã, Tiêu chí và Điểm tối đa)")
    if any(i.severity is Severity.ERROR for i in issues):
        return CriteriaSheet(None, tuple(issues), declared_total)

    total = sum(c.max_points for c in criteria)
    if declared_total is not None and abs(declared_total - total) > 1e-9:
        issues.append(_located(make_issue(
            "criteria-total-mismatch", file=file, sheet=sheet.name, row=total_row,
            column=column_letter(cols["max"]), value=show_value(declared_total),
            expected=show_value(total),
        ), declared_total))
    detail = _criteria_differences(regulation.criteria, criteria)
    if detail:
        issues.append(make_issue(
            "criteria-differ-from-regulation", file=file, sheet=sheet.name, row=header_row,
            detail=detail,
        ))
    return CriteriaSheet(tuple(criteria), tuple(issues), declared_total)


def _criteria_differences(reg: Sequence[Criterion], sheet: Sequence[Criterion]) -> str:
    ours = {vntext.compact(c.code): c for c in sheet}
    theirs = {vntext.compact(c.code): c for c in reg}
    parts = []
    added = [c for k, c in ours.items() if k not in theirs]
    removed = [c for k, c in theirs.items() if k not in ours]
    changed = [
        (theirs[k], c) for k, c in ours.items() if k in theirs and theirs[k].max_points != c.max_points
    ]
    if added:
        parts.append("thêm " + ", ".join(f"{c.code} ({c.name}, {show_value(c.max_points)} điểm)"
                                         for c in added))
    if removed:
        parts.append("bỏ " + ", ".join(f"{c.code} ({c.name})" for c in removed))
    if changed:
        parts.append("đổi điểm tối đa " + ", ".join(
            f"{new.code} {show_value(old.max_points)} → {show_value(new.max_points)}" for old, new in changed
        ))
    return "; ".join(parts)


def _located(issue: Issue, value: Any) -> Issue:
    """Keep the raw value on the issue while the message shows it the Vietnamese way."""
    return replace(issue, value=value)
