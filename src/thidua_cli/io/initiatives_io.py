"""Reading a register of initiatives from a messy workbook (``thidua initiatives import``), and
a staff list to check its authors against.

The header row is found as for the other side tables (``awards_io``: the first 30 rows, the
row naming the most known columns). One row per initiative; its authors in one cell
("Nguyễn Văn An (BV0012) 60%; Trần Thị Bình (BV0034) 40%"), or with their staff IDs and shares
in cells of their own, in the same order. Every problem is a finding of the one catalogue,
naming file, sheet and cell; the register takes all rows or none.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from thidua_cli.core import vntext
from thidua_cli.core.initiatives import Author, Initiative, identity, parse_kind, parse_level
from thidua_cli.core.numbers import is_blank
from thidua_cli.errors import InvalidDataError
from thidua_cli.io.awards_io import VOTE_ALIASES, _cell, _find_header, _int, _text, _where
from thidua_cli.io.raw import RawSheet
from thidua_cli.io.reader.cells import parse_date, staff_id_text
from thidua_cli.issues import make_issue
from thidua_cli.model import Period, Report

ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("Mã sáng kiến", "Mã SK", "Số hiệu", "Số đăng ký", "Mã số sáng kiến"),
    "title": ("Tên sáng kiến", "Tên sáng kiến, đề tài", "Tên sáng kiến/đề tài", "Tên đề tài",
              "Tên giải pháp", "Tên sáng kiến, giải pháp", "Sáng kiến, đề tài", "Tên"),
    "kind": ("Loại", "Loại hình", "Sáng kiến/Đề tài", "Phân loại"),
    "authors": ("Tác giả", "Tác giả, đồng tác giả", "Họ tên tác giả", "Tác giả/Đồng tác giả",
                "Chủ nhiệm, thành viên", "Tác giả và đồng tác giả"),
    "staff_ids": ("Mã NV", "Mã NV tác giả", "Mã nhân viên", "Mã số tác giả", "MSNV"),
    "shares": ("Tỷ lệ đóng góp", "Tỷ lệ đóng góp (%)", "Tỷ lệ (%)", "Tỷ lệ", "Tỉ lệ đóng góp",
               "Tỉ lệ (%)"),
    "department": ("Khoa/Phòng", "Khoa phòng", "Đơn vị", "Khoa", "Đơn vị áp dụng"),
    "union_group": ("Tổ công đoàn", "Công đoàn bộ phận", "Tổ CĐ", "Tổ công đoàn bộ phận"),
    "level": ("Cấp công nhận", "Cấp", "Cấp độ", "Cấp sáng kiến"),
    "decision_number": ("Số quyết định", "Số QĐ", "Quyết định công nhận", "QĐ công nhận",
                        "Số quyết định công nhận"),
    "decision_date": ("Ngày quyết định", "Ngày công nhận", "Ngày QĐ", "Ngày ký"),
    "decision_body": ("Cơ quan công nhận", "Đơn vị công nhận", "Nơi công nhận"),
    "scope": ("Phạm vi ảnh hưởng", "Phạm vi áp dụng", "Phạm vi"),
    "benefit": ("Giá trị làm lợi", "Giá trị làm lợi (đồng)", "Giá trị làm lợi (đ)",
                "Làm lợi (đồng)"),
    "year": ("Năm", "Năm công nhận", "Năm xét"),
    "year_to": ("Dùng đến năm", "Có giá trị đến năm", "Đến năm"),
}
# Column headings as the export writes them (it reads back): the first alias of each field.
HEADINGS = {f: names[0] for f, names in ALIASES.items()}

_SPLIT = re.compile(r"[;\n]+")
_ID_IN_PARENS = re.compile(r"\(([^()]*)\)")
_SHARE = re.compile(r"[-–:,]?\s*(\d+(?:[.,]\d+)?)\s*%\s*$")


@dataclass(frozen=True)
class Staff:
    """Who works here, to check authors against: ID → name, and name key → IDs."""

    names: Mapping[str, str]
    ids_by_name: Mapping[str, tuple[str, ...]]
    source: str


@dataclass(frozen=True)
class RegisterImport:
    items: tuple[Initiative, ...]
    report: Report
    rows: int


def read_staff(path: str | Path) -> Staff:
    """A staff list: any workbook with "Mã NV" and "Họ và tên" columns (a score workbook,
    a personnel export); every sheet that has them counts."""
    from thidua_cli.io.workbook import load_workbook

    raw = load_workbook(path)
    aliases = {"staff_id": VOTE_ALIASES["staff_id"], "name": ("Họ và tên", "Họ tên", "Tên")}
    names: dict[str, str] = {}
    by_name: dict[str, list[str]] = {}
    for sheet in raw.sheets:
        if sheet.kind != "worksheet":
            continue
        header = _find_header(sheet, aliases, ("staff_id", "name"))
        if header is None:
            continue
        for r in range(header.row + 1, sheet.max_row + 1):
            sid = staff_id_text(_cell(sheet, r, header.columns["staff_id"]))
            name = _text(_cell(sheet, r, header.columns["name"]))
            if sid and name and sid not in names:
                names[sid] = name
                by_name.setdefault(vntext.key(name), []).append(sid)
    if not names:
        raise InvalidDataError(
            f"Danh sách nhân viên {path} không có bảng nào với hai cột \"Mã NV\" và \"Họ và tên\".")
    return Staff(names, {k: tuple(v) for k, v in by_name.items()}, str(path))


def read_register(path: str | Path, *, period: Period | None = None, staff: Staff | None = None,
                  known: Collection[tuple[str, int]] = ()) -> RegisterImport:
    """The initiatives of a workbook, with the findings. ``known``: the (title, year) keys the
    register holds already (a row naming one is a duplicate too)."""
    from thidua_cli.io.workbook import load_workbook

    shown = str(path)
    raw = load_workbook(path)
    report = Report()
    items: list[Initiative] = []
    first_row: dict[tuple[str, int], tuple[str, int]] = {}
    rows = tables = 0
    for sheet in raw.sheets:
        if sheet.kind != "worksheet":
            continue
        header = _find_header(sheet, ALIASES, ("title", "authors"))
        if header is None:
            continue
        tables += 1
        for r in range(header.row + 1, sheet.max_row + 1):
            values = {f: _cell(sheet, r, c) for f, c in header.columns.items()}
            if all(is_blank(x) for x in values.values()):
                continue
            rows += 1
            item = _row(shown, sheet, r, header.columns, values, report, period, staff)
            if item is None:
                continue
            where = _where(shown, sheet, r, header.columns["title"])
            if item.key in first_row:
                first_sheet, first = first_row[item.key]
                report.add(make_issue("initiative-duplicate", **where, value=item.title,
                                      year=item.year_from, first=f"{first_sheet}, dòng {first}"))
                continue
            if item.key in known:
                report.add(make_issue("initiative-in-register", **where, value=item.title,
                                      year=item.year_from))
                continue
            first_row[item.key] = (sheet.name, r)
            items.append(item)
    if tables == 0:
        raise InvalidDataError(
            f"Tệp {shown} không có bảng sáng kiến: cần một dòng tiêu đề có ít nhất hai cột "
            "\"Tên sáng kiến\" và \"Tác giả\" (thêm \"Cấp công nhận\", \"Số quyết định\", "
            "\"Ngày quyết định\" … nếu có).", report)
    return RegisterImport(tuple(items), report, rows)


def _row(shown: str, sheet: RawSheet, r: int, cols: Mapping[str, int], v: Mapping[str, Any],
         report: Report, period: Period | None, staff: Staff | None) -> Initiative | None:
    def here(f: str) -> dict[str, Any]:
        return _where(shown, sheet, r, cols.get(f))

    before = len(report.errors)
    title = _text(v.get("title", ""))
    if not title:
        report.add(make_issue("initiative-missing-title", **here("title")))
    kind = parse_kind(_text(v.get("kind", "")))
    if kind is None:
        report.add(make_issue("initiative-unknown-kind", **here("kind"), value=_text(v["kind"])))
    level_text = _text(v.get("level", ""))
    level = parse_level(level_text) if level_text else "co-so"
    if level is None:
        report.add(make_issue("initiative-unknown-level", **here("level"), value=level_text))
    decided, _ = parse_date(v["decision_date"]) if not is_blank(v.get("decision_date")) else (None, 0)
    if decided is None and not is_blank(v.get("decision_date")):
        report.add(make_issue("initiative-invalid-date", **here("decision_date"),
                              value=_text(v["decision_date"])))
    year = _int(v.get("year")) or (decided.year if decided else 0)
    if not year or not 1990 <= year <= 2100:
        report.add(make_issue("initiative-no-year", **here("year" if "year" in cols else
                                                          "decision_date"),
                              value=_text(v.get("year", ""))))
        year = 0
    year_to = _int(v.get("year_to")) or year
    if year and (year_to < year or year_to > year + 10):
        report.add(make_issue("initiative-invalid-year-to", **here("year_to"), value=year_to,
                              year=year))
    if period is not None and decided is not None and not (period.start <= decided <= period.end):
        report.add(make_issue("initiative-date-outside-period", **here("decision_date"),
                              value=decided, period=period.label[:1].lower() + period.label[1:],
                              start=f"{period.start:%d/%m/%Y}", end=f"{period.end:%d/%m/%Y}"))
    benefit = _int(v.get("benefit"))
    if benefit is None:
        report.add(make_issue("not-a-number", **here("benefit"), header=HEADINGS["benefit"],
                              value=_text(v.get("benefit"))))
    authors = _authors(v, here, report, staff)
    if len(report.errors) > before or kind is None or level is None or authors is None:
        return None
    return Initiative(
        title=title, level=level, year_from=year, year_to=max(year_to, year), authors=authors,
        kind=kind, code=_text(v.get("code", "")), department=_text(v.get("department", "")),
        union_group=_text(v.get("union_group", "")),
        decision_number=_text(v.get("decision_number", "")), decision_date=decided,
        decision_body=_text(v.get("decision_body", "")), scope=_text(v.get("scope", "")),
        benefit=benefit or None)


def _authors(v: Mapping[str, Any], here: Any, report: Report,
             staff: Staff | None) -> tuple[Author, ...] | None:
    """The authors of one row: names (with an ID in brackets and a share in per cent, if
    written there), or IDs and shares from their own cells in the same order."""
    from thidua_cli.core.initiatives import shares_problem

    names = [p.strip() for p in _SPLIT.split(_text(v.get("authors", ""))) if p.strip()]
    if not names:
        report.add(make_issue("initiative-missing-author", **here("authors")))
        return None
    ids = [p.strip() for p in _SPLIT.split(staff_id_text(v.get("staff_ids", "")))
           if p.strip()] if not is_blank(v.get("staff_ids")) else []
    share_cell = v.get("shares")
    if isinstance(share_cell, (int, float)) and not isinstance(share_cell, bool):
        # One number: a lone author's share, typed as 100 or as a percentage cell (1.0).
        shares_text = [str(share_cell * 100 if 0 < share_cell <= 1 else share_cell)]
    else:
        shares_text = [p.strip() for p in _SPLIT.split(_text(share_cell or "")) if p.strip()]
    for field, found in (("staff_ids", ids), ("shares", shares_text)):
        if found and len(found) != len(names):
            report.add(make_issue("initiative-authors-mismatch", **here(field), value=len(found),
                                  authors=len(names)))
            return None
    out: list[Author] = []
    for n, text in enumerate(names):
        share: Decimal | None = None
        m = _SHARE.search(text)
        if m:
            share = _decimal(m[1])
            text = text[: m.start()].strip()
        if shares_text:
            share = _decimal(shares_text[n].rstrip("%").strip())
            if share is None:
                report.add(make_issue("not-a-number", **here("shares"), header=HEADINGS["shares"],
                                      value=shares_text[n]))
                return None
        sid = ids[n] if ids else ""
        m = _ID_IN_PARENS.search(text)
        if m:
            sid = sid or m[1].strip()
            text = (text[: m.start()] + text[m.end():]).strip()
        name = vntext.clean(text.strip(" -–,"))
        sid = _check_author(name, sid, staff, here, report)
        out.append(Author(name=name, staff_id=sid, share=share))
    problem = shares_problem(out)
    if problem:
        field = "shares" if shares_text else "authors"
        report.add(make_issue("initiative-shares-not-100", **here(field),
                              value=_text(v.get(field, "")), detail=problem))
        return None
    return tuple(out)


def _check_author(name: str, sid: str, staff: Staff | None, here: Any, report: Report) -> str:
    """The author's staff ID, checked against the staff list when there is one: an ID the
    list lacks, or a name it lacks, is a warning (a co-author from another hospital is
    legitimate, but cannot rest an award here); a name alone that the list knows once gets
    its ID."""
    if staff is None:
        return sid
    if sid:
        if sid not in staff.names:
            close = vntext.suggest(sid, list(staff.names), cutoff=0.7)
            report.add(make_issue("initiative-unknown-author", **here("authors"),
                                  value=f"{name} ({sid})", staff=staff.source,
                                  suggestion=f" Có phải {close}?" if close else ""))
        return sid
    found = staff.ids_by_name.get(vntext.key(name), ())
    if len(found) == 1:
        return found[0]
    report.add(make_issue("initiative-unknown-author", **here("authors"), value=name,
                          staff=staff.source,
                          suggestion=(f" Có {len(found)} người trùng tên ({', '.join(found)}): "
                                      "hãy ghi mã NV.") if found else ""))
    return ""


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None
    return value if value.is_finite() and value >= 0 else None


def register_keys(items: Collection[Initiative]) -> set[tuple[str, int]]:
    return {identity(i.title, i.year_from) for i in items}
