"""The marked copy that ``thidua validate --annotate`` hands back to a department.

``annotate_workbook(source, issues, target)`` writes ``target`` (``<stem>.kiem-tra.xlsx``): a copy
of the department's own workbook — their layout, formatting and formulas kept, because it is
loaded and saved with openpyxl — where

- every cell with a finding is filled (red for an error, amber for a warning; an error wins)
  and carries one Vietnamese comment listing all its findings (a comment the department had
  written is kept below ours);
- a finding on a whole row (a hidden or struck-through row) marks column A of that row;
- a new FIRST sheet "Kết quả kiểm tra" lists every finding of the file with an internal
  hyperlink to its cell (``#'Khoa Nội'!F12``).

The original file is only read. The copy is written atomically (``io.atomic.write_atomic``) and
never overwrites an existing file without ``force``. Inputs openpyxl cannot open (.xls, .ods,
or an .xlsx it refuses) are copied values-only from the ``RawWorkbook`` calamine read, and the
result says so (``AnnotateResult.note``). A macro workbook (.xlsm) is saved as .xlsx: macros are
not kept (also said in the note).

Text from sheets is data: it is written as a string cell (never a formula; a leading = + - @
gets Excel's quote prefix) with the characters XML cannot hold removed.
"""

from __future__ import annotations

import io
import math
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from thidua_cli.errors import OutputExistsError
from thidua_cli.io.atomic import output_exists, write_atomic
from thidua_cli.issues import display_value
from thidua_cli.model import Issue, Severity

if TYPE_CHECKING:  # pragma: no cover
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from thidua_cli.io.raw import RawWorkbook

SUMMARY_TITLE = "Kết quả kiểm tra"
SUFFIX = ".kiem-tra.xlsx"
COMMENT_AUTHOR = "thidua"

ERROR_FILL = "FFC7CE"  # Excel's "Bad" red
WARNING_FILL = "FFEB9C"  # Excel's "Neutral" amber
INFO_FILL = "DDEBF7"

_TEXT_LIMIT = 32_767  # Excel's limit for a cell
_MAX_ROW, _MAX_COL = 1_048_576, 16_384  # Excel's grid: openpyxl refuses cells beyond it
_SHOWN_VALUE_LIMIT = 1_000
_COMMENT_LIMIT = 8_000
_FORMULA_LEAD = ("=", "+", "-", "@", "\t", "\r", "\n")


@dataclass(frozen=True)
class AnnotateResult:
    path: Path
    values_only: bool  # True for .xls/.ods (or a file openpyxl could not open)
    marked_cells: int
    findings: int
    note: str | None = None  # Vietnamese, for the clerk: what the copy does not keep


def annotated_path(source: str | os.PathLike[str]) -> Path:
    """``khoa-noi.xlsx`` → ``khoa-noi.kiem-tra.xlsx`` beside it."""
    p = Path(source)
    return p.with_name(p.stem + SUFFIX)


def annotated_paths(sources: Sequence[Path]) -> list[Path]:
    """The marked copy of each source: :func:`annotated_path`, except for sources that would
    share one (``khoa-noi.xls`` and ``khoa-noi.xlsx`` side by side; names compared as Windows
    and macOS do, ignoring case): those keep their extension, ``khoa-noi.xls.kiem-tra.xlsx``."""
    plain = [annotated_path(s) for s in sources]

    def key(p: Path) -> tuple[Path, str]:
        return p.parent.resolve(), unicodedata.normalize("NFC", p.name).casefold()

    counts = Counter(key(p) for p in plain)
    return [p if counts[key(p)] == 1 else s.with_name(s.name + SUFFIX)
            for s, p in zip(sources, plain, strict=True)]


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def annotate_workbook(
    source: str | os.PathLike[str],
    issues: Iterable[Issue],
    target: str | os.PathLike[str] | None = None,
    *,
    force: bool = False,
    raw: RawWorkbook | None = None,
) -> AnnotateResult:
    """Write the marked copy of ``source`` with ``issues`` (those of this file) to ``target``
    (default: :func:`annotated_path`). ``raw`` is the workbook as read, used for .xls/.ods and
    as a fallback. Raises OutputExistsError (exit 6) when ``target`` exists and not ``force``;
    the file system errors of writing as ``io.atomic`` raises them. Commands ask
    ``io/outputs.guard`` about every target first; this is the last word at the moment of
    writing (a file created meanwhile is still never overwritten)."""
    src = Path(source)
    dest = Path(target) if target is not None else annotated_path(src)
    # The input's name plus ".kiem-tra" may pass the system's limit on a name.
    if output_exists(dest) and not force:
        raise OutputExistsError(
            f"Tệp {dest} đã có; chưa ghi đè. Hãy xoá hoặc đổi tên tệp đó, hoặc dùng --force để "
            "ghi đè."
        )
    findings = list(issues)
    fmt = raw.format if raw is not None else src.suffix.lower().lstrip(".")
    wb, values_only, note = _open(src, fmt, raw)
    marked = mark_workbook(wb, findings)
    add_summary_sheet(wb, findings, source_name=src.name, note=note)
    write_atomic(dest, lambda tmp: wb.save(tmp), force=force)
    return AnnotateResult(dest, values_only, marked, len(findings), note)


def _open(src: Path, fmt: str, raw: RawWorkbook | None) -> tuple[Workbook, bool, str | None]:
    from openpyxl import load_workbook

    if fmt in ("xlsx", "xlsm"):
        try:
            # Not read-only, not data_only: formulas, styles, merged cells, comments are kept.
            # Read from memory: openpyxl leaves its file open when a part fails to parse.
            data = src.read_bytes()
            wb = load_workbook(io.BytesIO(data), keep_vba=False, keep_links=True,
                               rich_text=True)
        except OSError:
            raise
        except Exception:  # openpyxl raises many kinds on files calamine still reads
            if raw is None:
                raise
            return (
                values_workbook(raw),
                True,
                "openpyxl không mở được định dạng của tệp gốc nên bản đánh dấu chỉ có giá trị "
                "các ô (không giữ định dạng, công thức)." + _beyond_grid_note(raw),
            )
        note = None
        if fmt == "xlsm":
            note = "Tệp gốc có macro (.xlsm); bản đánh dấu (.xlsx) không giữ macro."
        return wb, False, note
    if raw is None:
        from thidua_cli.io.workbook import load_workbook as load_raw

        raw = load_raw(src)
    kind = {"xls": "Excel 97-2003 (.xls)", "ods": "LibreOffice (.ods)"}.get(fmt, fmt)
    return (
        values_workbook(raw),
        True,
        f"Tệp gốc là {kind}: bản đánh dấu là một bản .xlsx chỉ chép giá trị các ô (không giữ "
        "định dạng, công thức, ô gộp của tệp gốc)." + _beyond_grid_note(raw),
    )


# --------------------------------------------------------------------------------------------
# Values-only copy (.xls / .ods)
# --------------------------------------------------------------------------------------------


def values_workbook(raw: RawWorkbook) -> Workbook:
    """A new workbook with every worksheet's values (as calamine read them), sheet names and
    visibility, merged ranges; cached errors shown as their text."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for sheet in raw.sheets:
        if sheet.kind != "worksheet":
            continue
        ws = wb.create_sheet(_unique_title(_safe_title(sheet.name), used))
        for r, row in enumerate(sheet.rows[:_MAX_ROW], start=1):
            for c, value in enumerate(row[:_MAX_COL], start=1):
                if value == "" or value is None:
                    continue
                _put(ws.cell(row=r, column=c), value)
        for (r, c), err in sheet.errors.items():
            if r <= _MAX_ROW and c <= _MAX_COL:
                _put(ws.cell(row=r, column=c), err)
        for r1, c1, r2, c2 in sheet.merged:
            if (r1, c1) != (r2, c2) and r2 <= _MAX_ROW and c2 <= _MAX_COL:
                ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
        if sheet.visibility in ("hidden", "veryHidden"):
            ws.sheet_state = sheet.visibility
        for r in sheet.hidden_rows:
            ws.row_dimensions[r].hidden = True
    if not wb.worksheets:
        wb.create_sheet("Sheet1")
    return wb


def _beyond_grid_note(raw: RawWorkbook) -> str:
    """A damaged .xls can place a value past Excel's last column (the BIFF record holds any
    16-bit number): the .xlsx copy cannot hold it, so say how many were left out."""
    n = sum(
        1
        for sheet in raw.sheets
        for r, row in enumerate(sheet.rows, start=1)
        for v in (row if r > _MAX_ROW else row[_MAX_COL:])
        if v != "" and v is not None
    )
    if not n:
        return ""
    return (f" {n} ô nằm ngoài giới hạn của Excel (quá cột XFD hoặc dòng 1.048.576) "
            "không chép được vào bản đánh dấu.")


def _safe_title(name: str) -> str:
    cleaned = "".join("_" if ch in '[]:*?/\\' else ch for ch in _clean_text(name)).strip("'")
    cleaned = cleaned or "Sheet"
    return cleaned[:31]


def _unique_title(title: str, used: set[str]) -> str:
    candidate, n = title, 2
    while candidate.casefold() in used:
        suffix = f" ({n})"
        candidate = title[: 31 - len(suffix)] + suffix
        n += 1
    used.add(candidate.casefold())
    return candidate


# --------------------------------------------------------------------------------------------
# Marking cells
# --------------------------------------------------------------------------------------------


def _target_cell(ws: Worksheet, row: int, column: str) -> Any:
    """The cell to mark: the top-left cell when (row, column) lies inside a merged range."""
    coordinate = f"{column}{row}"
    cell = ws[coordinate]
    if type(cell).__name__ == "MergedCell":
        for rng in ws.merged_cells.ranges:
            if coordinate in rng:
                return ws.cell(row=rng.min_row, column=rng.min_col)
    return cell


def _sheet_index(wb: Workbook) -> dict[str, Worksheet]:
    """Worksheets by NFC title (findings carry NFC sheet names; a file may hold NFD ones)."""
    return {unicodedata.normalize("NFC", ws.title): ws for ws in wb.worksheets}


def mark_workbook(wb: Workbook, issues: Sequence[Issue]) -> int:
    """Fill and comment every cell a finding points at; return the number of cells marked."""
    from openpyxl.comments import Comment

    sheets = _sheet_index(wb)
    by_cell: dict[tuple[str, int, str], list[Issue]] = {}
    for issue in issues:
        if not issue.sheet or issue.row is None or issue.sheet not in sheets:
            continue
        if issue.row < 1 or issue.row > 1_048_576:
            continue
        column = issue.column or "A"
        if not _valid_column(column):
            continue
        by_cell.setdefault((issue.sheet, issue.row, column), []).append(issue)

    fills = _fills()
    merged_into: dict[tuple[str, int, int], list[Issue]] = {}
    cells: dict[tuple[str, int, int], Any] = {}
    for (sheet, row, column), found in by_cell.items():
        cell = _target_cell(sheets[sheet], row, column)
        key = (sheet, cell.row, cell.column)
        cells[key] = cell
        merged_into.setdefault(key, []).extend(found)
    for key, found in merged_into.items():
        cell = cells[key]
        worst = min((i.severity for i in found), key=_SEVERITY_RANK.__getitem__)
        cell.fill = fills[worst]
        text = comment_text(found)
        if cell.comment is not None and cell.comment.author != COMMENT_AUTHOR:
            text += "\n\n— Ghi chú có sẵn trong ô: " + _clean_text(cell.comment.text or "")
        text = text[:_COMMENT_LIMIT]
        lines = sum(1 + len(line) // 60 for line in text.split("\n"))
        comment = Comment(text, COMMENT_AUTHOR, width=360, height=min(20 + 15 * lines, 600))
        cell.comment = comment
    return len(merged_into)


def _fills() -> dict[Severity, Any]:
    from openpyxl.styles import PatternFill

    return {
        sev: PatternFill(fill_type="solid", start_color=color, end_color=color)
        for sev, color in ((Severity.ERROR, ERROR_FILL), (Severity.WARNING, WARNING_FILL),
                           (Severity.INFO, INFO_FILL))
    }


_SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def _valid_column(column: str) -> bool:
    if not column.isascii() or not column.isalpha() or not 1 <= len(column) <= 3:
        return False
    n = 0
    for ch in column.upper():
        n = n * 26 + ord(ch) - 64
    return n <= 16_384


def comment_text(found: Sequence[Issue]) -> str:
    """One comment for all findings of a cell, errors first."""
    ordered = sorted(found, key=lambda i: _SEVERITY_RANK[i.severity])
    return "\n\n".join(
        f"{i.severity.label} [{i.code}]: {_clean_text(i.message)}" for i in ordered
    )


# --------------------------------------------------------------------------------------------
# The summary sheet
# --------------------------------------------------------------------------------------------

_SUMMARY_HEADERS = ("STT", "Mức", "Mã", "Sheet", "Ô", "Cột", "Giá trị", "Nội dung")
# 172 characters: one A4 landscape page wide at 82 % (11 pt printed at 9 pt); the message wraps.
_SUMMARY_WIDTHS = (6, 10, 22, 22, 10, 22, 20, 60)


def add_summary_sheet(
    wb: Workbook, issues: Sequence[Issue], *, source_name: str, note: str | None = None
) -> Worksheet:
    """Insert "Kết quả kiểm tra" as the first sheet, make it the active one, and list every
    finding with a hyperlink to its cell."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink

    used = {ws.title.casefold() for ws in wb.worksheets} | {
        cs.title.casefold() for cs in wb.chartsheets
    }
    ws = wb.create_sheet(_unique_title(SUMMARY_TITLE, used), 0)
    sheets = _sheet_index(wb)
    errors = sum(1 for i in issues if i.severity is Severity.ERROR)
    warnings = sum(1 for i in issues if i.severity is Severity.WARNING)

    _put(ws.cell(row=1, column=1), f"KẾT QUẢ KIỂM TRA TỆP {source_name}")
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    if errors:
        status = (f"{errors} lỗi phải sửa, {warnings} cảnh báo. Các ô có lỗi tô đỏ, ô có cảnh báo "
                  "tô vàng; di chuột vào ô để đọc ghi chú. Bấm vào cột \"Ô\" để đi tới ô đó.")
    elif warnings:
        status = (f"Không có lỗi; {warnings} cảnh báo (ô tô vàng) nên xem lại. Bấm vào cột \"Ô\" "
                  "để đi tới ô đó.")
    else:
        status = "Không có lỗi hay cảnh báo nào."
    _put(ws.cell(row=2, column=1), status)
    header_row = 4
    if note:
        _put(ws.cell(row=3, column=1), "Lưu ý: " + note)
        ws.cell(row=3, column=1).font = Font(italic=True)
        header_row = 5
    for c, (title, width) in enumerate(zip(_SUMMARY_HEADERS, _SUMMARY_WIDTHS, strict=True),
                                       start=1):
        cell = ws.cell(row=header_row, column=c)
        _put(cell, title)
        cell.font = Font(bold=True)
        cell.fill = PatternFill(fill_type="solid", start_color="D9D9D9", end_color="D9D9D9")
        ws.column_dimensions[cell.column_letter].width = width

    fills = _fills()
    wrap = Alignment(wrap_text=True, vertical="top")
    link_font = Font(color="0563C1", underline="single")
    ordered = sorted(
        issues,
        key=lambda i: (_SEVERITY_RANK[i.severity], i.sheet or "", i.row or 0,
                       len(i.column or ""), i.column or ""),
    )
    for n, issue in enumerate(ordered, start=1):
        r = header_row + n
        _put(ws.cell(row=r, column=1), n)
        sev = ws.cell(row=r, column=2)
        _put(sev, issue.severity.label)
        sev.fill = fills[issue.severity]
        _put(ws.cell(row=r, column=3), issue.code)
        _put(ws.cell(row=r, column=4), issue.sheet or "")
        where = ws.cell(row=r, column=5)
        _put(where, issue.cell or "")
        target = _link_target(issue, sheets)
        if target is not None:
            where.hyperlink = Hyperlink(ref=where.coordinate, location=target,
                                        tooltip="Đi tới ô này")
            where.font = link_font
            if not issue.cell:
                _put(where, "(mở sheet)")
        header = issue.header or ""
        _put(ws.cell(row=r, column=6), f"{issue.column} – {header}" if issue.column and header
             else header)
        _put(ws.cell(row=r, column=7), _shown_value(issue.value))
        msg = ws.cell(row=r, column=8)
        _put(msg, issue.message)
        msg.alignment = wrap
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    if ordered:
        ws.auto_filter.ref = f"A{header_row}:H{header_row + len(ordered)}"
    # Printed as a checklist for the department: every column on the page (it printed 4 of 7),
    # the header rows on each page, the file's name in the page header (io/print_setup.py).
    from thidua_cli.io.print_setup import setup_openpyxl

    setup_openpyxl(ws, header_rows=header_row, left=SUMMARY_TITLE, right=source_name)

    # The summary opens first, and only it is selected (several selected tabs would group them).
    for other in wb.worksheets:
        other.sheet_view.tabSelected = False
    ws.sheet_view.tabSelected = True
    wb.active = 0
    return ws


def _link_target(issue: Issue, sheets: dict[str, Worksheet]) -> str | None:
    """"'Khoa Nội'!F12" with the sheet's title exactly as in the workbook."""
    if not issue.sheet or issue.sheet not in sheets:
        return None
    title = sheets[issue.sheet].title
    column = issue.column if issue.column and _valid_column(issue.column) else "A"
    row = issue.row if issue.row is not None and 1 <= issue.row <= 1_048_576 else 1
    return "'" + title.replace("'", "''") + f"'!{column}{row}"


def _shown_value(value: Any) -> str:
    """The value as ``thidua validate`` prints it (one formatter for both), cut when long."""
    text = display_value(value)
    if len(text) > _SHOWN_VALUE_LIMIT:
        text = text[: _SHOWN_VALUE_LIMIT - 1] + "…"
    return text


# --------------------------------------------------------------------------------------------
# Safe cell writing
# --------------------------------------------------------------------------------------------


# What XML 1.0 cannot carry: control characters (openpyxl's own list), lone surrogates, and
# U+FFFE/U+FFFF. openpyxl checks only the first kind and lxml refuses the others mid-save, so
# one such character read from a file (calamine keeps it) crashed the whole copy.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def _put(cell: Any, value: Any) -> None:
    """Write ``value``; text always as a string cell (never a formula)."""
    if isinstance(value, str):
        text = _clean_text(value)[:_TEXT_LIMIT]
        cell.value = text
        cell.data_type = "s"
        if text.startswith(_FORMULA_LEAD):
            cell.quotePrefix = True
        return
    if isinstance(value, (bool, int, float, datetime, date, time)):
        if isinstance(value, float) and not math.isfinite(value):
            _put(cell, str(value))
            return
        cell.value = value
        return
    _put(cell, str(value))
