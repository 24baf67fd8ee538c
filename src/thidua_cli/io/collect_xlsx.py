"""The quarter workbook ``thidua collect`` writes from the submissions it keeps: the file
``thidua score`` reads.

Each kept file's data sheets are copied cell by cell AS VALUES into one workbook (a sheet per
department, the name made unique), with what the reader looks at beside the values: merged
ranges (a department cell merged down the rows), hidden rows (``validation.count_hidden_rows``),
strike-through (``validation.count_struck_rows``) and legacy Vietnamese fonts (TCVN3/VNI text
is converted by the reader from its font). A formula's cached value is copied; a formula saved
without one is left blank (its "Tổng điểm" is recomputed by score anyway; in a score column the
blank is reported as a missing score, as the department's file would be); an error value is
copied as its text (still an error for the reader). A form's instructions and identity sheets
are not copied. Text is written as data (``io/xlsx_text.py``), never a formula.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from thidua_cli.core.forms import sheet_name
from thidua_cli.io.atomic import write_atomic
from thidua_cli.io.raw import RawSheet, RawWorkbook
from thidua_cli.io.xlsx_text import TextFormats, write_text


def data_sheets(raw: RawWorkbook) -> list[RawSheet]:
    """The sheets of a returned file worth copying: worksheets, less a form's own."""
    from thidua_cli.io.reader.dataset import form_aux_sheets

    aux = form_aux_sheets(raw)
    return [s for i, s in enumerate(raw.sheets) if i not in aux and s.kind == "worksheet"]


def write_merged(path: Path, sources: Sequence[tuple[str, RawWorkbook]], *, force: bool) -> list[str]:
    """Write the merged workbook atomically; ``sources`` are (department, workbook). Returns the
    sheet names written, in order."""
    written: list[str] = []

    def writer(tmp: Path) -> None:
        from xlsxwriter import Workbook

        wb = Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                 "strings_to_numbers": False, "in_memory": True})
        f = TextFormats(wb)
        cache: dict[tuple[bool, str, bool], Any] = {}

        def fmt(strike: bool, font: str, is_date: bool) -> Any:
            k = (strike, font, is_date)
            if k not in cache:
                props: dict[str, Any] = {}
                if strike:
                    props["font_strikeout"] = True
                if font:
                    props["font_name"] = font
                if is_date:
                    props["num_format"] = "dd/mm/yyyy"
                cache[k] = f.add(props) if props else None
            return cache[k]

        for department, raw in sources:
            sheets = data_sheets(raw)
            for sheet in sheets:
                label = department if len(sheets) == 1 else f"{department} {sheet.name}"
                name = sheet_name(label, written)
                written.append(name)
                ws = wb.add_worksheet(name)
                _copy(ws, sheet, f, fmt)
        if not written:
            wb.add_worksheet("Trống")
        wb.close()

    write_atomic(path, writer, force=force)
    return written


def _copy(ws: Any, sheet: RawSheet, f: TextFormats, fmt: Any) -> None:
    merged_tail = {(r, c) for r1, c1, r2, c2 in sheet.merged
                   for r in range(r1, r2 + 1) for c in range(c1, c2 + 1) if (r, c) != (r1, c1)}
    marked = set(sheet.struck_cells) | set(sheet.legacy_fonts) | set(sheet.errors)
    # Most rows have no merged, struck, legacy-font or error cell: their numbers and texts are
    # written straight (the per-cell checks below were a third of the copy's cost).
    special_rows = {r for r, _ in merged_tail} | {r for r, _ in marked}
    for r0, row in enumerate(sheet.rows):
        r = r0 + 1
        if r in sheet.hidden_rows:
            ws.set_row(r0, None, None, {"hidden": True})
        if r not in special_rows:
            for c0, value in enumerate(row):
                cls = value.__class__
                if cls is float or cls is int:
                    ws.write_number(r0, c0, value)
                elif cls is str:
                    if value:
                        write_text(ws, r0, c0, value, None, formats=f)
                elif value is not None:
                    _write(ws, r0, c0, value, fmt(False, "", isinstance(value, date | datetime)),
                           f)
            continue
        for c0, value in enumerate(row):
            if value == "" and (r, c0 + 1) not in marked:
                continue  # most cells: nothing to copy
            c = c0 + 1
            if (r, c) in merged_tail:
                continue
            if (r, c) in marked or isinstance(value, date | datetime):
                cell_fmt = fmt((r, c) in sheet.struck_cells, sheet.legacy_fonts.get((r, c), ""),
                               isinstance(value, date | datetime))
            else:
                cell_fmt = None
            err = sheet.errors.get((r, c))
            if err is not None and (value == "" or value is None):
                value = err
            _write(ws, r0, c0, value, cell_fmt, f)
    for r1, c1, r2, c2 in sheet.merged:
        if r1 == r2 and c1 == c2:
            continue
        value = sheet.value(r1, c1)
        ws.merge_range(r1 - 1, c1 - 1, r2 - 1, c2 - 1, "", None)
        _write(ws, r1 - 1, c1 - 1, value, fmt((r1, c1) in sheet.struck_cells,
                                               sheet.legacy_fonts.get((r1, c1), ""),
                                               isinstance(value, date | datetime)), f)


def _write(ws: Any, r: int, c: int, value: Any, cell_fmt: Any, f: TextFormats) -> None:
    if value == "" or value is None:
        if cell_fmt is not None:
            ws.write_blank(r, c, None, cell_fmt)
        return
    if isinstance(value, bool):
        ws.write_boolean(r, c, value, cell_fmt)
    elif isinstance(value, int | float):
        ws.write_number(r, c, value, cell_fmt)
    elif isinstance(value, datetime):
        ws.write_datetime(r, c, value, cell_fmt)
    elif isinstance(value, date):
        ws.write_datetime(r, c, datetime.combine(value, time()), cell_fmt)
    elif isinstance(value, time):
        ws.write_datetime(r, c, value, cell_fmt)
    else:
        write_text(ws, r, c, str(value), cell_fmt, formats=f)
