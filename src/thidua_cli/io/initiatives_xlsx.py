"""``thidua initiatives export``: the register as a workbook. Sheet "Sổ sáng kiến" (one row per
initiative, the columns ``thidua initiatives import`` reads back), and "Thống kê": counts per
department, per union group (tổ công đoàn) and per year by level, with a column chart of the
departments. Text from the register is written as data (io/xlsx_text), never as a formula."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from thidua_cli.core.initiatives import KINDS, LEVELS, Counts, Initiative, counts
from thidua_cli.io.atomic import write_atomic
from thidua_cli.io.awards_xlsx import _Formats, _header, _s
from thidua_cli.io.initiatives_io import HEADINGS

REGISTER_SHEET = "Sổ sáng kiến"
COUNTS_SHEET = "Thống kê"
_GROUPS = (("department", "Theo khoa/phòng"), ("union_group", "Theo tổ công đoàn"),
           ("year", "Theo năm"))


def authors_text(item: Initiative) -> str:
    """"Nguyễn Văn An (BV0012) 60%; Trần Thị Bình (BV0034) 40%": what the import reads."""
    parts = []
    for a in item.authors:
        text = a.name + (f" ({a.staff_id})" if a.staff_id else "")
        if a.share is not None:
            text += " " + format(a.share.normalize(), "f").replace(".", ",") + "%"
        parts.append(text)
    return "; ".join(parts)


def used_text(item: Initiative) -> str:
    return "; ".join(f"{a.name}: {a.used_by}" for a in item.authors if a.used_by)


def write_register(items: Sequence[Initiative], path: Path, *, title: str, force: bool) -> None:
    def writer(tmp: Path) -> None:
        from xlsxwriter.workbook import Workbook

        wb = Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                 "strings_to_numbers": False})
        try:
            f = _Formats(wb)
            ws = wb.add_worksheet(REGISTER_SHEET)
            _header(ws, f, [("STT", 5), (HEADINGS["code"], 12), (HEADINGS["title"], 44),
                            (HEADINGS["kind"], 11), (HEADINGS["authors"], 40),
                            (HEADINGS["department"], 22), (HEADINGS["union_group"], 18),
                            (HEADINGS["level"], 12), (HEADINGS["decision_number"], 14),
                            (HEADINGS["decision_date"], 12), (HEADINGS["decision_body"], 22),
                            (HEADINGS["scope"], 22), (HEADINGS["benefit"], 14),
                            (HEADINGS["year"], 7), (HEADINGS["year_to"], 8),
                            ("Đã dùng làm căn cứ khen thưởng", 36)])
            for r, i in enumerate(items, start=1):
                values: tuple[Any, ...] = (
                    r, i.code, i.title, KINDS[i.kind], authors_text(i), i.department,
                    i.union_group, i.level_label, i.decision_number,
                    i.decision_date.strftime("%d/%m/%Y") if i.decision_date else "",
                    i.decision_body, i.scope, i.benefit, i.year_from, i.year_to, used_text(i))
                for c, value in enumerate(values):
                    _s(ws, r, c, value, f.money if c == 12 else f.wrap, f)
            ws = wb.add_worksheet(COUNTS_SHEET)
            ws.set_column(0, 0, 30)
            ws.set_column(1, len(LEVELS) + 1, 11)
            write_title = f.title
            ws.write_string(0, 0, title, write_title)
            row = 2
            department_rows: tuple[int, int] | None = None
            for by, label in _GROUPS:
                table = counts(items, by)
                top = _counts_table(ws, f, row, label, table)
                if by == "department":
                    department_rows = (top, top + len(table.rows) - 1)
                row = top + len(table.rows) + 2
            if department_rows and items:
                chart = wb.add_chart({"type": "column", "subtype": "stacked"})
                first, last = department_rows
                for n in range(1, len(LEVELS) + 1):
                    chart.add_series({
                        "name": [COUNTS_SHEET, first - 1, n],
                        "categories": [COUNTS_SHEET, first, 0, last, 0],
                        "values": [COUNTS_SHEET, first, n, last, n],
                    })
                chart.set_title({"name": "Sáng kiến, đề tài theo khoa/phòng"})
                chart.set_y_axis({"name": "Số sáng kiến, đề tài"})
                chart.set_size({"width": 720, "height": 360})
                ws.insert_chart(2, len(LEVELS) + 3, chart)
        finally:
            wb.close()

    write_atomic(path, writer, force=force)


def _counts_table(ws: Any, f: _Formats, row: int, label: str, table: Counts) -> int:
    """One table of counts from ``row``; returns the first data row."""
    heads = [label, *(lvl for _, lvl in LEVELS), "Tổng"]
    for c, text in enumerate(heads):
        ws.write_string(row, c, text, f.head)
    for n, (group, per_level, total) in enumerate(table.rows, start=row + 1):
        _s(ws, n, 0, group, f.text, f)
        for c, count in enumerate((*per_level, total), start=1):
            ws.write_number(n, c, count, f.text)
    last = row + len(table.rows) + 1
    ws.write_string(last, 0, "Tổng cộng", f.head)
    for c, count in enumerate(table.total, start=1):
        ws.write_number(last, c, count, f.head)
    return row + 1
