"""``<year>.khoi.xlsx``: the cluster's scores by criterion and member (a heat map), the
differences between self and checked scores, the ranking with its native chart and the
proposals, and the leaders' share; each sheet set up to print on A4 landscape. Text from the
data goes through ``io.xlsx_text.write_text`` (never a formula or markup); written atomically."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from thidua_cli.core.cluster import (
    BANG_KHEN,
    DEDUCTION,
    FLAG,
    STATUS_LABELS,
    ClusterOutcome,
)
from thidua_cli.io.atomic import write_atomic
from thidua_cli.io.xlsx_text import TextFormats, write_text

KIND_LABELS = {"criterion": "Tiêu chí", "bonus": "Điểm cộng", "deduction": "Điểm trừ"}


def write_cluster_workbook(outcome: ClusterOutcome, path: Path, *, force: bool = True) -> None:
    """``force``: the app's output guard has already refused an existing file without --force."""

    def writer(tmp: Path) -> None:
        _write(outcome, tmp)

    write_atomic(path, writer, force=force)


class _F:
    def __init__(self, wb: Any) -> None:
        self.texts = TextFormats(wb)
        add = self.texts.add
        self.head = add({"bold": True, "text_wrap": True, "valign": "vcenter", "align": "center",
                         "bg_color": "#DDEBF7", "border": 1})
        self.title = add({"bold": True, "font_size": 13})
        self.text = add({"valign": "top", "border": 1})
        self.wrap = add({"text_wrap": True, "valign": "top", "border": 1})
        self.points = add({"num_format": "0.##", "valign": "top", "border": 1})
        self.bold_points = add({"num_format": "0.##", "bold": True, "border": 1})
        self.pct = add({"num_format": "0.0%", "valign": "top", "border": 1})
        self.flagged = add({"bg_color": "#FFC7CE", "font_color": "#9C0006"})
        self.status = {
            "proposed": add({"bg_color": "#C6EFCE", "valign": "top", "border": 1}),
            "pending": add({"bg_color": "#FFEB9C", "valign": "top", "border": 1}),
            "not_proposed": add({"valign": "top", "border": 1}),
        }


def _t(ws: Any, r: int, c: int, value: str, fmt: Any, f: _F) -> None:
    if value == "":
        ws.write_blank(r, c, None, fmt)
    else:
        write_text(ws, r, c, value, fmt, formats=f.texts)


def _n(ws: Any, r: int, c: int, value: Any, fmt: Any) -> None:
    if value is None:
        ws.write_blank(r, c, None, fmt)
    else:
        ws.write_number(r, c, float(value), fmt)


def _print_setup(ws: Any, header_row: int, last_col: int, title: str) -> None:
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.set_margins(left=0.5, right=0.4, top=0.6, bottom=0.6)
    ws.repeat_rows(header_row)
    ws.fit_to_pages(1, 0)
    ws.set_header(f"&L&8{title.replace('&', '&&')}&R&8Trang &P/&N")
    ws.freeze_panes(header_row + 1, 2)
    ws.autofilter(header_row, 0, header_row, last_col)


def _write(o: ClusterOutcome, path: Path) -> None:
    from xlsxwriter.workbook import Workbook

    wb = Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                              "strings_to_numbers": False})
    try:
        f = _F(wb)
        title = f"{o.name} – năm {o.year}"
        _scores(wb.add_worksheet("Điểm"), o, f, title)
        _differences(wb.add_worksheet("Chênh lệch"), o, f, title)
        _ranking(wb, wb.add_worksheet("Xếp hạng"), o, f, title)
        _ratio(wb.add_worksheet("Tỷ lệ lãnh đạo"), o, f, title)
    finally:
        wb.close()


def _scores(ws: Any, o: ClusterOutcome, f: _F, title: str) -> None:
    """Items down, members across (in rank order), checked points; a colour scale over each
    item's row range would compare unlike maxima, so the heat map is of the share of the
    maximum, one scale for the whole table."""
    _t(ws, 0, 0, f"Điểm kiểm tra chéo theo tiêu chí – {title}", f.title, f)
    heads = ["Mã", "Tiêu chí", "Nhóm", "Loại", "Tối đa"] + [r.name for r in o.results]
    for c, h in enumerate(heads):
        _t(ws, 2, c, h, f.head, f)
    ws.set_column(0, 0, 7)
    ws.set_column(1, 1, 40)
    ws.set_column(2, 2, 18)
    ws.set_column(3, 4, 9)
    ws.set_column(5, 4 + len(o.results), 12)
    for i, item in enumerate(o.items):
        r = 3 + i
        _t(ws, r, 0, item.code, f.text, f)
        _t(ws, r, 1, item.name, f.wrap, f)
        _t(ws, r, 2, item.group, f.wrap, f)
        _t(ws, r, 3, KIND_LABELS[item.kind], f.text, f)
        _n(ws, r, 4, item.max_points, f.points)
        for j, res in enumerate(o.results):
            d = next(x for x in res.differences if x.code == item.code)
            counted = d.checked_points if d.checked_points is not None else d.self_points
            _n(ws, r, 5 + j, counted, f.points)
    last = 3 + len(o.items)
    _t(ws, last, 1, "Tổng điểm (kiểm tra chéo)", f.head, f)
    for j, res in enumerate(o.results):
        _n(ws, last, 5 + j, res.checked_total, f.bold_points)
    if o.results and o.items:
        plain = [3 + i for i, it in enumerate(o.items) if it.kind != DEDUCTION]
        for r in plain:
            ws.conditional_format(r, 5, r, 4 + len(o.results), {
                "type": "3_color_scale", "min_type": "num", "min_value": 0,
                "max_type": "num", "max_value": float(o.items[r - 3].max_points),
                "min_color": "#F8696B", "mid_color": "#FFEB84", "max_color": "#63BE7B"})
    _print_setup(ws, 2, len(heads) - 1, title)


def _differences(ws: Any, o: ClusterOutcome, f: _F, title: str) -> None:
    tol = float(o.settings.tolerance)
    _t(ws, 0, 0, f"Chênh lệch tự chấm – kiểm tra chéo (đánh dấu khi lớn hơn {tol:g} điểm) – "
                 f"{title}", f.title, f)
    heads = ["Đơn vị", "Mã", "Tiêu chí", "Tự chấm", "Kiểm tra", "Chênh lệch", "Vượt ngưỡng"]
    widths = [30, 7, 40, 10, 10, 11, 11]
    for c, (h, w) in enumerate(zip(heads, widths, strict=True)):
        _t(ws, 2, c, h, f.head, f)
        ws.set_column(c, c, w)
    names = {i.code: i.name for i in o.items}
    r = 3
    for res in o.results:
        for d in res.differences:
            if d.difference == 0 and d.checked_points is not None:
                continue
            _t(ws, r, 0, res.name, f.text, f)
            _t(ws, r, 1, d.code, f.text, f)
            _t(ws, r, 2, names[d.code], f.wrap, f)
            _n(ws, r, 3, d.self_points, f.points)
            _n(ws, r, 4, d.checked_points, f.points)
            _n(ws, r, 5, d.difference, f.points)
            _t(ws, r, 6, "x" if d.flagged else "", f.text, f)
            r += 1
    if r > 3:
        ws.conditional_format(3, 0, r - 1, 6, {"type": "formula", "criteria": "=$G4=\"x\"",
                                               "format": f.flagged})
    _print_setup(ws, 2, len(heads) - 1, title)


def _ranking(wb: Any, ws: Any, o: ClusterOutcome, f: _F, title: str) -> None:
    _t(ws, 0, 0, f"Xếp hạng và đề nghị khen thưởng – {title}", f.title, f)
    heads = ["Hạng", "Đơn vị", "Tự chấm", "Kiểm tra chéo", "Chênh lệch", "Bằng điểm với",
             "Cờ thi đua", "Bằng khen", "Lý do"]
    widths = [6, 30, 10, 12, 10, 24, 16, 16, 80]
    for c, (h, w) in enumerate(zip(heads, widths, strict=True)):
        _t(ws, 2, c, h, f.head, f)
        ws.set_column(c, c, w)
    for i, res in enumerate(o.results):
        r = 3 + i
        _n(ws, r, 0, res.rank, f.points)
        _t(ws, r, 1, res.name, f.text, f)
        _n(ws, r, 2, res.self_total, f.points)
        _n(ws, r, 3, res.checked_total, f.bold_points)
        _n(ws, r, 4, res.self_total - res.checked_total, f.points)
        _t(ws, r, 5, ", ".join(res.tied_with), f.wrap, f)
        reasons = []
        for c, code in ((6, FLAG), (7, BANG_KHEN)):
            d = o.decision(res.name, code)
            _t(ws, r, c, STATUS_LABELS[d.status], f.status[d.status], f)
            reasons += [("✓ " if x.met else "✗ " if x.met is False else "? ") + x.text
                        for x in d.reasons]
        _t(ws, r, 8, "; ".join(dict.fromkeys(reasons)), f.wrap, f)
    if o.results:
        n = len(o.results)
        chart = wb.add_chart({"type": "bar"})
        sheet = ws.name
        chart.add_series({"name": "Kiểm tra chéo", "categories": [sheet, 3, 1, 2 + n, 1],
                          "values": [sheet, 3, 3, 2 + n, 3], "fill": {"color": "#5B9BD5"}})
        chart.add_series({"name": "Tự chấm", "categories": [sheet, 3, 1, 2 + n, 1],
                          "values": [sheet, 3, 2, 2 + n, 2], "fill": {"color": "#BFBFBF"}})
        chart.set_title({"name": "Tổng điểm các đơn vị"})
        chart.set_y_axis({"reverse": True})
        chart.set_size({"width": 720, "height": 40 * n + 120})
        ws.insert_chart(5 + n, 1, chart)
    _print_setup(ws, 2, len(heads) - 1, title)
    rot = o.rotation
    _t(ws, 1, 1, f"Trưởng khối năm {o.year + 1}: {rot.next or 'chưa xác định'} ({rot.reason})",
       None, f)


def _ratio(ws: Any, o: ClusterOutcome, f: _F, title: str) -> None:
    _t(ws, 0, 0, f"Lãnh đạo, quản lý / người lao động trực tiếp trong đề nghị khen thưởng – "
                 f"{title}", f.title, f)
    heads = ["Danh hiệu", "Đơn vị", "Lãnh đạo, quản lý", "Lao động trực tiếp", "Tỷ lệ lãnh đạo",
             "Tối đa", "Vượt"]
    widths = [28, 30, 12, 12, 12, 10, 8]
    for c, (h, w) in enumerate(zip(heads, widths, strict=True)):
        _t(ws, 2, c, h, f.head, f)
        ws.set_column(c, c, w)
    r = 3
    for row in o.ratio:
        lines = [("Cả khối", row.leaders, row.direct, row.share, row.exceeds)]
        lines += [(e.member, e.leaders, e.direct, e.share, e.exceeds) for e in row.members]
        for who, lead, direct, share, exceeds in lines:
            _t(ws, r, 0, row.title_label, f.text, f)
            _t(ws, r, 1, who, f.text, f)
            _n(ws, r, 2, lead, f.points)
            _n(ws, r, 3, direct, f.points)
            _n(ws, r, 4, share, f.pct)
            _n(ws, r, 5, row.limit, f.pct)
            _t(ws, r, 6, "x" if exceeds else "", f.status["pending" if exceeds else "not_proposed"], f)
            r += 1
    _print_setup(ws, 2, len(heads) - 1, title)
