"""The workbook of ``thidua income``: ``<kỳ>.thu-nhap.xlsx``.

Sheets: "Tổng hợp" (the fund, the value of a point, totals per department and per grade, a
chart of the distribution by grade), one payment table per department ("Bảng thanh toán tiền
thu nhập tăng thêm": STT, Mã NV, Họ và tên, Chức danh, Hệ số, Loại, Ngày công, Điểm, Số tiền,
Ghi chú, Ký nhận; a total row, the amount in words and the signature lines Người lập bảng /
Kế toán trưởng / Thủ trưởng đơn vị; A4 landscape, header rows repeated on every page), and
"Chuyển khoản" (Mã NV, Họ và tên, Số tài khoản, Ngân hàng, Số tiền) when accounts are given.
``write_year`` writes ``<năm>.thu-nhap-nam.xlsx`` (``--year-total``): "Tổng hợp năm" (each
department's amount per period and in all) and "Chi tiết" (each person's amount per period and
total, grouped by department with a "Cộng <khoa>" row, and the hospital's total).
Every text from the inputs is written through io/xlsx_text.py (data, never a formula); the
totals are numbers computed here, not formulas, so that the file reads the same everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from thidua_cli.core import vntext
from thidua_cli.core.income import IncomeResult, PersonIncome, YearRow
from thidua_cli.core.money import money_in_words
from thidua_cli.io.atomic import write_atomic
from thidua_cli.io.xlsx_text import TextFormats, write_text
from thidua_cli.model import Regulation

SHEET_SUMMARY = "Tổng hợp"
SHEET_TRANSFER = "Chuyển khoản"
PAYMENT_TITLE = "BẢNG THANH TOÁN TIỀN THU NHẬP TĂNG THÊM"
PAYMENT_HEADERS: tuple[tuple[str, int], ...] = (
    ("STT", 5), ("Mã NV", 10), ("Họ và tên", 24), ("Chức danh", 14), ("Hệ số", 8),
    ("Loại", 6), ("Ngày công", 8), ("Điểm", 10), ("Số tiền (đ)", 14), ("Ghi chú", 30),
    ("Ký nhận", 14),
)
SIGNERS: tuple[tuple[str, str], ...] = (
    ("Người lập bảng", "(Ký, họ tên)"),
    ("Kế toán trưởng", "(Ký, họ tên)"),
    ("Thủ trưởng đơn vị", "(Ký, họ tên, đóng dấu)"),
)
TRANSFER_HEADERS: tuple[tuple[str, int], ...] = (
    ("STT", 5), ("Mã NV", 10), ("Họ và tên", 26), ("Số tài khoản", 20), ("Ngân hàng", 24),
    ("Số tiền (đ)", 14), ("Nội dung", 36),
)
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_names(departments: Sequence[str]) -> list[str]:
    """Valid, unique sheet names (≤ 31 characters, no []:*?/\\) for the departments."""
    taken = {SHEET_SUMMARY.casefold(), SHEET_TRANSFER.casefold()}
    out = []
    for d in departments:
        base = _BAD_SHEET_CHARS.sub("-", d).strip("' ") or "Khoa"
        name = base[:31]
        n = 2
        while name.casefold() in taken:
            suffix = f" ({n})"
            name = base[:31 - len(suffix)] + suffix
            n += 1
        taken.add(name.casefold())
        out.append(name)
    return out


def write_income(path: Path, result: IncomeResult, regulation: Regulation, *,
                 sources: Sequence[str], force: bool = True) -> None:
    """Write the workbook atomically (the caller has checked the output with io/outputs)."""

    def writer(tmp: Path) -> None:
        _write(tmp, result, regulation, sources)

    write_atomic(path, writer, force=force)


class _F:
    def __init__(self, wb: Any) -> None:
        self.texts = TextFormats(wb)
        add = self.texts.add
        border = {"border": 1, "valign": "vcenter"}
        self.org = add({"bold": True, "font_name": "Times New Roman", "font_size": 11})
        self.title = add({"bold": True, "font_size": 14, "align": "center",
                          "font_name": "Times New Roman"})
        self.sub = add({"italic": True, "align": "center", "font_name": "Times New Roman"})
        self.head = add({**border, "bold": True, "text_wrap": True, "align": "center",
                         "bg_color": "#DDEBF7", "font_name": "Times New Roman"})
        self.text = add({**border, "text_wrap": True, "font_name": "Times New Roman"})
        self.center = add({**border, "align": "center", "font_name": "Times New Roman"})
        self.coef = add({**border, "num_format": "0.00##", "font_name": "Times New Roman"})
        self.points = add({**border, "num_format": "0.0000", "font_name": "Times New Roman"})
        self.money = add({**border, "num_format": "#,##0", "font_name": "Times New Roman"})
        self.total_text = add({**border, "bold": True, "font_name": "Times New Roman"})
        self.total_money = add({**border, "bold": True, "num_format": "#,##0",
                                "font_name": "Times New Roman"})
        self.plain = add({"font_name": "Times New Roman"})
        self.italic = add({"italic": True, "font_name": "Times New Roman"})
        self.sign = add({"bold": True, "align": "center", "font_name": "Times New Roman"})
        self.sign_note = add({"italic": True, "align": "center", "font_name": "Times New Roman"})
        self.label = add({"bold": True, "font_name": "Times New Roman"})
        self.number = add({"num_format": "#,##0.00", "font_name": "Times New Roman"})
        self.int_money = add({"num_format": "#,##0", "font_name": "Times New Roman"})

    def t(self, ws: Any, row: int, col: int, value: str, fmt: Any) -> None:
        if not value:  # the empty "Ký nhận" and "Ghi chú" cells: a blank, not a shared string
            ws.write_blank(row, col, None, fmt)
            return
        write_text(ws, row, col, value, fmt, formats=self.texts)


def _f(value: Any) -> float:
    return float(value.numerator / value.denominator) if hasattr(value, "numerator") else float(value)


def _write(path: Path, result: IncomeResult, regulation: Regulation, sources: Sequence[str]) -> None:
    from xlsxwriter import Workbook

    # in_memory: no temporary file per sheet (removing 45 of them took a quarter of the write).
    wb = Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                              "strings_to_numbers": False, "in_memory": True})
    try:
        f = _F(wb)
        _summary(wb, wb.add_worksheet(SHEET_SUMMARY), result, regulation, sources, f)
        departments = [d.name for d in result.departments]
        by_dept: dict[str, list[PersonIncome]] = {}
        for p in result.people:  # one pass, not one per department
            by_dept.setdefault(p.staff.department, []).append(p)
        for name, sheet in zip(departments, sheet_names(departments), strict=True):
            _payment(wb.add_worksheet(sheet), name, by_dept.get(name, []), result, regulation, f)
        transfers = [p for p in result.people if p.amount > 0 and p.staff.account]
        if transfers:
            _transfer(wb.add_worksheet(SHEET_TRANSFER), transfers, result, f)
    finally:
        wb.close()


def _summary(wb: Any, ws: Any, r: IncomeResult, regulation: Regulation, sources: Sequence[str],
             f: _F) -> None:
    org = regulation.organisation
    ws.set_column(0, 0, 28)
    ws.set_column(1, 5, 16)
    f.t(ws, 0, 0, org.name, f.org)
    ws.merge_range(2, 0, 2, 5, "", f.title)
    f.t(ws, 2, 0, f"TỔNG HỢP THU NHẬP TĂNG THÊM {r.period.label.upper()}", f.title)
    rows: list[tuple[str, Any]] = [
        ("Quỹ của kỳ (đ)", r.fund),
        ("Đã chia (đ)", r.paid),
        ("Chuyển kỳ sau (đ)", r.carried),
        ("Số người", len(r.people)),
        ("Ngày công chuẩn", r.standard_days),
        ("Cách chia", {"salary": "HSL + PCCV", "position": "Hệ số vị trí việc làm",
                       "mix": "Kết hợp HSL + PCCV và hệ số vị trí"}[r.settings.basis]),
        ("Làm tròn (đ)", r.settings.rounding_step),
    ]
    row = 4
    for label, value in rows:
        f.t(ws, row, 0, label, f.label)
        if isinstance(value, str):
            f.t(ws, row, 1, value, f.plain)
        else:
            ws.write_number(row, 1, value, f.int_money)
        row += 1
    for pool in r.pools:
        f.t(ws, row, 0, f"Giá trị một điểm – {pool.name} (đ)", f.label)
        ws.write_number(row, 1, round(_f(pool.point_value), 2), f.number)
        row += 1
    row += 1
    f.t(ws, row, 0, "Theo khoa/phòng", f.label)
    row += 1
    for c, head in enumerate(("Khoa/Phòng", "Số người", "Được chia", "Tổng điểm", "Số tiền (đ)")):
        f.t(ws, row, c, head, f.head)
    row += 1
    for d in r.departments:
        f.t(ws, row, 0, d.name, f.text)
        ws.write_number(row, 1, d.people, f.center)
        ws.write_number(row, 2, d.paid_people, f.center)
        ws.write_number(row, 3, round(_f(d.points), 4), f.points)
        ws.write_number(row, 4, d.amount, f.money)
        row += 1
    f.t(ws, row, 0, "Cộng", f.total_text)
    ws.write_number(row, 1, len(r.people), f.total_text)
    ws.write_number(row, 2, sum(d.paid_people for d in r.departments), f.total_text)
    ws.write_number(row, 3, round(sum(_f(d.points) for d in r.departments), 4), f.points)
    ws.write_number(row, 4, r.paid, f.total_money)
    row += 2
    f.t(ws, row, 0, "Theo loại", f.label)
    row += 1
    for c, head in enumerate(("Loại", "Hệ số loại", "Số người", "Số tiền (đ)")):
        f.t(ws, row, c, head, f.head)
    row += 1
    first_grade = row
    for g in r.grades:
        f.t(ws, row, 0, g.name, f.center)
        coef = r.settings.grades.get(g.name)
        if coef is not None:
            ws.write_number(row, 1, float(coef), f.coef)
        else:
            f.t(ws, row, 1, "—", f.center)
        ws.write_number(row, 2, g.people, f.center)
        ws.write_number(row, 3, g.amount, f.money)
        row += 1
    if r.grades:
        chart = wb.add_chart({"type": "column"})
        chart.add_series({
            "name": "Số tiền (đ)",
            "categories": [SHEET_SUMMARY, first_grade, 0, row - 1, 0],
            "values": [SHEET_SUMMARY, first_grade, 3, row - 1, 3],
            "data_labels": {"value": True, "num_format": "#,##0"},
        })
        chart.set_title({"name": "Thu nhập tăng thêm theo loại"})
        chart.set_legend({"none": True})
        chart.set_y_axis({"num_format": "#,##0"})
        ws.insert_chart(row + 1, 0, chart, {"x_scale": 1.2, "y_scale": 1.0})
        row += 17
    f.t(ws, row, 0, "Nguồn: " + "; ".join(sources), f.italic)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)


def _payment(ws: Any, department: str, people: Sequence[PersonIncome], r: IncomeResult,
             regulation: Regulation, f: _F) -> None:
    org = regulation.organisation
    last = len(PAYMENT_HEADERS) - 1
    for c, (_, width) in enumerate(PAYMENT_HEADERS):
        ws.set_column(c, c, width)
    f.t(ws, 0, 0, org.parent, f.plain)
    f.t(ws, 1, 0, org.name, f.org)
    ws.merge_range(3, 0, 3, last, "", f.title)
    f.t(ws, 3, 0, PAYMENT_TITLE, f.title)
    ws.merge_range(4, 0, 4, last, "", f.sub)
    f.t(ws, 4, 0, f"{r.period.label} – {department}", f.sub)
    head_row = 6
    for c, (head, _) in enumerate(PAYMENT_HEADERS):
        f.t(ws, head_row, c, head, f.head)
    ws.set_row(head_row, 30)
    row = head_row + 1
    for i, p in enumerate(people, start=1):
        s = p.staff
        ws.write_number(row, 0, i, f.center)
        f.t(ws, row, 1, s.staff_id, f.center)
        f.t(ws, row, 2, s.name, f.text)
        f.t(ws, row, 3, s.title, f.text)
        ws.write_number(row, 4, float(p.coefficient), f.coef)
        f.t(ws, row, 5, p.grade or "—", f.center)
        ws.write_number(row, 6, float(p.credited_days), f.coef)
        ws.write_number(row, 7, round(_f(p.points), 4), f.points)
        ws.write_number(row, 8, p.amount, f.money)
        f.t(ws, row, 9, "; ".join(x.text for x in p.reasons), f.text)
        f.t(ws, row, 10, "", f.text)
        row += 1
    total = sum(p.amount for p in people)
    ws.merge_range(row, 0, row, 7, "", f.total_text)
    f.t(ws, row, 0, "Cộng", f.total_text)
    ws.write_number(row, 8, total, f.total_money)
    f.t(ws, row, 9, "", f.total_text)
    f.t(ws, row, 10, "", f.total_text)
    row += 1
    words = money_in_words(total, linh=regulation.money.linh, nghin=regulation.money.nghin)
    f.t(ws, row, 0, f"Số tiền bằng chữ: {words}.", f.italic)
    row += 1
    f.t(ws, row, 7, f"{org.place}, ngày … tháng … năm …", f.italic)
    row += 1
    for (title, note), col in zip(SIGNERS, (1, 5, 9), strict=True):
        f.t(ws, row, col, title, f.sign)
        f.t(ws, row + 1, col, note, f.sign_note)
    ws.set_landscape()
    ws.set_paper(9)
    ws.set_margins(left=0.6, right=0.4, top=0.6, bottom=0.6)
    ws.repeat_rows(head_row)
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_footer("&CTrang &P/&N")


def _transfer(ws: Any, people: Sequence[PersonIncome], r: IncomeResult, f: _F) -> None:
    for c, (head, width) in enumerate(TRANSFER_HEADERS):
        ws.set_column(c, c, width)
        f.t(ws, 0, c, head, f.head)
    content = f"Thu nhập tăng thêm {r.period.label}"
    for i, p in enumerate(people, start=1):
        s = p.staff
        ws.write_number(i, 0, i, f.center)
        f.t(ws, i, 1, s.staff_id, f.center)
        f.t(ws, i, 2, s.name, f.text)
        f.t(ws, i, 3, s.account, f.text)  # text: an account number keeps its leading zeros
        f.t(ws, i, 4, s.bank, f.text)
        ws.write_number(i, 5, p.amount, f.money)
        f.t(ws, i, 6, content, f.text)
    n = len(people) + 1
    f.t(ws, n, 2, "Cộng", f.total_text)
    ws.write_number(n, 5, sum(p.amount for p in people), f.total_money)
    ws.freeze_panes(1, 0)
    ws.set_landscape()
    ws.set_paper(9)
    ws.repeat_rows(0)
    ws.fit_to_pages(1, 0)


SHEET_YEAR_SUMMARY = "Tổng hợp năm"
SHEET_YEAR_DETAIL = "Chi tiết"
YEAR_TITLE = "BẢNG TỔNG HỢP THU NHẬP TĂNG THÊM"


def write_year(path: Path, periods: Sequence[str], rows: Sequence[YearRow],
               regulation: Regulation, *, sources: Sequence[str], force: bool = True) -> None:
    """``--year-total``'s workbook, atomically (the caller has checked the output)."""

    def writer(tmp: Path) -> None:
        from xlsxwriter import Workbook

        wb = Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                 "strings_to_numbers": False, "in_memory": True})
        try:
            f = _F(wb)
            by_dept: dict[str, list[YearRow]] = {}
            for r in rows:
                by_dept.setdefault(r.department, []).append(r)
            # Alphabetical without accents first: "Khoa Cấp cứu" before "Khoa Chẩn đoán".
            departments = sorted(by_dept, key=lambda d: (vntext.fold(d), d))
            _year_summary(wb.add_worksheet(SHEET_YEAR_SUMMARY), periods, departments, by_dept,
                          regulation, sources, f)
            _year_detail(wb.add_worksheet(SHEET_YEAR_DETAIL), periods, departments, by_dept,
                         regulation, f)
        finally:
            wb.close()

    write_atomic(path, writer, force=force)


def _year_heading(ws: Any, periods: Sequence[str], regulation: Regulation, last: int,
                  f: _F) -> None:
    f.t(ws, 0, 0, regulation.organisation.parent, f.plain)
    f.t(ws, 1, 0, regulation.organisation.name, f.org)
    ws.merge_range(3, 0, 3, last, "", f.title)
    f.t(ws, 3, 0, YEAR_TITLE, f.title)
    ws.merge_range(4, 0, 4, last, "", f.sub)
    f.t(ws, 4, 0, "Các kỳ: " + ", ".join(periods), f.sub)


def _year_print(ws: Any, head_row: int) -> None:
    ws.set_landscape()
    ws.set_paper(9)
    ws.set_margins(left=0.6, right=0.4, top=0.6, bottom=0.6)
    ws.repeat_rows(head_row)
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_footer("&CTrang &P/&N")


def _year_summary(ws: Any, periods: Sequence[str], departments: Sequence[str],
                  by_dept: dict[str, list[YearRow]], regulation: Regulation,
                  sources: Sequence[str], f: _F) -> None:
    heads = ["STT", "Khoa/Phòng", "Số người", *periods, "Cộng (đ)"]
    last = len(heads) - 1
    _year_heading(ws, periods, regulation, last, f)
    ws.set_column(0, 0, 5)
    ws.set_column(1, 1, 28)
    ws.set_column(2, 2, 9)
    ws.set_column(3, last, 15)
    head_row = 6
    for c, head in enumerate(heads):
        f.t(ws, head_row, c, head, f.head)
    row = head_row + 1
    for i, dept in enumerate(departments, start=1):
        people = by_dept[dept]
        ws.write_number(row, 0, i, f.center)
        f.t(ws, row, 1, dept, f.text)
        ws.write_number(row, 2, len(people), f.center)
        for c, code in enumerate(periods, start=3):
            ws.write_number(row, c, sum(r.amounts.get(code, 0) for r in people), f.money)
        ws.write_number(row, last, sum(r.total for r in people), f.money)
        row += 1
    everyone = [r for d in departments for r in by_dept[d]]
    ws.merge_range(row, 0, row, 1, "", f.total_text)
    f.t(ws, row, 0, "Cộng", f.total_text)
    ws.write_number(row, 2, len(everyone), f.total_text)
    for c, code in enumerate(periods, start=3):
        ws.write_number(row, c, sum(r.amounts.get(code, 0) for r in everyone), f.total_money)
    ws.write_number(row, last, sum(r.total for r in everyone), f.total_money)
    f.t(ws, row + 2, 0, "Nguồn: " + "; ".join(sources), f.italic)
    _year_print(ws, head_row)


def _year_detail(ws: Any, periods: Sequence[str], departments: Sequence[str],
                 by_dept: dict[str, list[YearRow]], regulation: Regulation, f: _F) -> None:
    heads = ["STT", "Mã NV", "Họ và tên", "Khoa/Phòng", *periods, "Cộng (đ)"]
    last = len(heads) - 1
    _year_heading(ws, periods, regulation, last, f)
    for c, width in enumerate((5, 10, 24, 20)):
        ws.set_column(c, c, width)
    ws.set_column(4, last, 14)
    head_row = 6
    for c, head in enumerate(heads):
        f.t(ws, head_row, c, head, f.head)
    row = head_row + 1
    n = 0
    for dept in departments:
        for r in by_dept[dept]:
            n += 1
            ws.write_number(row, 0, n, f.center)
            f.t(ws, row, 1, r.staff_id, f.center)
            f.t(ws, row, 2, r.name, f.text)
            f.t(ws, row, 3, r.department, f.text)
            for c, code in enumerate(periods, start=4):
                if code in r.amounts:
                    ws.write_number(row, c, r.amounts[code], f.money)
                else:  # not in that period's table (recruited later, moved out …)
                    f.t(ws, row, c, "—", f.center)
            ws.write_number(row, last, r.total, f.money)
            row += 1
        people = by_dept[dept]
        ws.merge_range(row, 0, row, 3, "", f.total_text)
        f.t(ws, row, 0, f"Cộng {dept}", f.total_text)
        for c, code in enumerate(periods, start=4):
            ws.write_number(row, c, sum(r.amounts.get(code, 0) for r in people), f.total_money)
        ws.write_number(row, last, sum(r.total for r in people), f.total_money)
        row += 1
    everyone = [r for d in departments for r in by_dept[d]]
    ws.merge_range(row, 0, row, 3, "", f.total_text)
    f.t(ws, row, 0, "Tổng cộng", f.total_text)
    for c, code in enumerate(periods, start=4):
        ws.write_number(row, c, sum(r.amounts.get(code, 0) for r in everyone), f.total_money)
    ws.write_number(row, last, sum(r.total for r in everyone), f.total_money)
    row += 2
    for (title, note), col in zip(SIGNERS, (1, 3, last - 1), strict=True):
        f.t(ws, row, col, title, f.sign)
        f.t(ws, row + 1, col, note, f.sign_note)
    _year_print(ws, head_row)
