"""The submission form of one department (``thidua forms``), written with XlsxWriter, and what
``thidua collect`` reads back from a returned file (its identity, its content date).

A form has three sheets:

1. the department's sheet (its name): title rows (parent body, hospital, "BẢNG CHẤM ĐIỂM THI
   ĐUA QUÝ IV NĂM 2026", "Khoa/Phòng: …"), then ONE header row the reader knows (the column
   names of ``io/reader/fields.py``; each criterion as "CS1. Tên tiêu chí (10đ)", so that its
   maximum is in the header), the staff pre-filled and locked (STT, Mã NV, Họ và tên,
   Khoa/Phòng, Chức vụ, Lãnh đạo, Giới tính, Ngày tuyển dụng, Nhóm when the list has it, and
   Vị trí việc làm when the posts follow it: ``posts.field = "job_position"``),
   the input cells unlocked with data validation (decimals 0 … the criterion's maximum; bonus,
   deduction and days ≥ 0; dropdowns for Kỷ luật and, for a year, Đăng ký thi đua), a locked
   "Tổng điểm" formula per row built from the regulation's scoring settings (bonus cap,
   deduction cap, the [min, max] clamp, the decimals) — the reader recomputes every total and
   reports a difference (``total-mismatch``) — and a signature block, which ends the table;
   print set-up: A4 landscape, one page wide, the header repeated on every page;
2. "Hướng dẫn": the instructions in Vietnamese;
3. ``_thidua`` (hidden): the form's identity (:class:`~thidua_cli.core.forms.FormIdentity`).

The sheets are protected without a password (the clerk's office can lift it: Review →
Unprotect Sheet), so that only the input cells can be typed in. The reader skips sheets 2
and 3 of a form silently (``io/reader/dataset.py``). Every text from the staff list goes through
:func:`~thidua_cli.io.xlsx_text.write_text` (data, never a formula).
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from thidua_cli.core.forms import (
    DEPARTMENT_TITLE,
    FORM_VERSION,
    IDENTITY_SHEET,
    INSTRUCTIONS_SHEET,
    INSTRUCTIONS_TITLE,
    FormIdentity,
    parse_identity,
    sheet_name,
)
from thidua_cli.core.numbers import format_vn_number
from thidua_cli.core.posts import codes_of, has_groups
from thidua_cli.io.atomic import write_atomic
from thidua_cli.io.raw import RawWorkbook
from thidua_cli.io.xlsx_text import TextFormats, write_text
from thidua_cli.model import (
    Criterion,
    Discipline,
    Period,
    PeriodKind,
    Person,
    Regulation,
    column_letter,
)

HEADER_ROW = 6  # the Excel row of the header (titles above it)
DISCIPLINE_CHOICES = tuple(d.label for d in Discipline)
YES_NO = ("Có", "Không")


@dataclass(frozen=True)
class Column:
    """One column of the form: its header, width, and what the clerk may type."""

    header: str
    width: float
    kind: str  # "fixed" (pre-filled, locked) | "number" | "list" | "whole" | "text" | "total"
    key: str = ""  # "criterion:CS1", "bonus", "staff_id" …
    maximum: float | None = None  # for "number" / "whole"
    choices: tuple[str, ...] = ()
    hint: str = ""  # the input message of the data validation


def form_columns(regulation: Regulation, criteria: Sequence[Criterion], period: Period, *,
                 with_group: bool, leave_max: int, with_job: bool = False) -> list[Column]:
    """The form's columns, left to right."""
    cols = [
        Column("STT", 5, "fixed", "stt"),
        Column("Mã NV", 10, "fixed", "staff_id"),
        Column("Họ và tên", 24, "fixed", "name"),
        Column("Khoa/Phòng", 18, "fixed", "department"),
        Column("Chức vụ", 16, "fixed", "position"),
        Column("Lãnh đạo", 8, "fixed", "is_manager"),
        Column("Giới tính", 8, "fixed", "gender"),
        Column("Ngày tuyển dụng", 12, "fixed", "recruited_on"),
    ]
    if with_group:
        cols.append(Column("Nhóm", 12, "fixed", "peer_group"))
    if with_job:  # the post the criteria follow (posts.field = "job_position"): score reads it
        cols.append(Column("Vị trí việc làm", 16, "fixed", "job_position"))
    for c in criteria:
        mx = format_vn_number(c.max_points)
        cols.append(Column(f"{c.code}. {c.name} ({mx}đ)", 11, "number", f"criterion:{c.code}",
                           c.max_points, hint=f"{c.code}: từ 0 đến {mx} điểm."))
    total_max = regulation.scoring.total_max
    cols += [
        Column("Điểm cộng", 9, "number", "bonus", total_max,
               hint=f"Điểm cộng (tính tối đa {format_vn_number(regulation.scoring.bonus_cap)})."),
        Column("Điểm trừ", 9, "number", "deduction", total_max, hint="Điểm trừ, số dương."),
        Column("Số ngày nghỉ", 9, "number", "leave_days", leave_max,
               hint="Số ngày làm việc nghỉ trong kỳ, không kể thai sản."),
        Column("Nghỉ thai sản", 9, "number", "maternity_days", leave_max,
               hint="Số ngày làm việc nghỉ thai sản trong kỳ."),
        Column("Kỷ luật", 14, "list", "discipline", choices=DISCIPLINE_CHOICES,
               hint="Chọn hình thức kỷ luật trong kỳ; để trống nếu không."),
    ]
    if period.kind is PeriodKind.YEAR:
        cols += [
            Column("Sáng kiến", 9, "whole", "initiatives", 99, hint="Số sáng kiến được công nhận."),
            Column("Đăng ký thi đua", 10, "list", "registered", choices=YES_NO,
                   hint="Có đăng ký thi đua đầu năm không."),
        ]
    events = regulation.events
    codes = tuple(i.code for i in (*events.violations, *events.bonuses)) if events else ()
    if codes:
        # Several events go in one cell ("VP01 12/10/2026; KT01"): the dropdown offers the
        # codes, and any other text is let through (the reader checks every entry).
        cols.append(Column("Sự việc (mã, ngày)", 24, "codes", "events", choices=codes,
                           hint="Mã sự việc và ngày, cách nhau bởi dấu ;  ví dụ VP01 12/10/2026"))
    # With events, Excel cannot count their points: the sheet's total is provisional and the
    # reader does not compare it (io/reader/fields.py "provisional_total").
    total_header = "Tổng điểm (chưa gồm sự việc)" if codes else "Tổng điểm"
    cols += [
        Column(total_header, 10, "total", "sheet_total"),
        Column("Ghi chú", 22, "text", "note"),
    ]
    return cols


def total_formula(regulation: Regulation, columns: Sequence[Column], row: int) -> str:
    """The row's "Tổng điểm" in Excel, from the regulation's scoring settings: Σ criteria +
    min(bonus, bonus_cap) − deduction (capped when a cap is set), clamped, rounded. The reader
    recomputes the same total (core/scoring.py) and compares."""
    s = regulation.scoring
    letter = {c.key: column_letter(i + 1) for i, c in enumerate(columns)}
    crit = [column_letter(i + 1) for i, c in enumerate(columns) if c.key.startswith("criterion:")]
    parts = f"SUM({crit[0]}{row}:{crit[-1]}{row})" if crit else "0"
    bonus = f"MIN(N({letter['bonus']}{row}),{_n(s.bonus_cap)})"
    ded = f"{letter['deduction']}{row}"
    if s.deduction_cap is not None:
        ded = f"MIN(N({ded}),{_n(s.deduction_cap)})"
    raw = f"{parts}+{bonus}-{ded}"
    return f"=ROUND(MAX({_n(s.total_min)},MIN({_n(s.total_max)},{raw})),{s.decimals})"


def _n(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def write_form(path: Path, *, regulation: Regulation, criteria: Sequence[Criterion],
               period: Period, department: str, people: Sequence[Person], leave_max: int,
               force: bool) -> FormIdentity:
    """Write one department's form atomically; returns the identity it carries."""
    contact = ", ".join(f"{p.name} ({p.position})" if p.position else p.name
                        for p in people if p.is_manager)
    identity = FormIdentity(FORM_VERSION, department, period, len(people), contact)

    def writer(tmp: Path) -> None:
        _build(tmp, regulation, criteria, period, department, people, identity, leave_max)

    write_atomic(path, writer, force=force)
    return identity


def _build(path: Path, regulation: Regulation, criteria: Sequence[Criterion], period: Period,
           department: str, people: Sequence[Person], identity: FormIdentity,
           leave_max: int) -> None:
    from xlsxwriter import Workbook

    # in_memory: no temporary file per part (their removal was a third of the time).
    wb = Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                              "strings_to_numbers": False, "in_memory": True})
    f = TextFormats(wb)
    base = {"font_name": "Times New Roman", "font_size": 11, "valign": "vcenter", "border": 1}
    title = f.add({"font_name": "Times New Roman", "bold": True, "font_size": 13, "align": "center"})
    subtitle = f.add({"font_name": "Times New Roman", "italic": True, "align": "left"})
    header = f.add({**base, "bold": True, "text_wrap": True, "align": "center",
                    "bg_color": "#D9E1F2"})
    fixed = f.add({**base, "bg_color": "#F2F2F2"})
    fixed_date = f.add({**base, "bg_color": "#F2F2F2", "num_format": "dd/mm/yyyy"})
    entry = f.add({**base, "locked": False, "bg_color": "#FFFFE0", "num_format": "0.##"})
    entry_text = f.add({**base, "locked": False, "bg_color": "#FFFFE0"})
    total = f.add({**base, "bold": True, "num_format": "0.00", "bg_color": "#F2F2F2"})
    other_post = f.add({**base, "bg_color": "#BFBFBF", "pattern": 1})
    plain = f.add({"font_name": "Times New Roman"})
    bold_center = f.add({"font_name": "Times New Roman", "bold": True, "align": "center"})

    with_group = any(p.peer_group for p in people)
    with_job = (regulation.posts is not None and regulation.posts.field == "job_position"
                and any(p.job_position for p in people))
    columns = form_columns(regulation, criteria, period, with_group=with_group,
                           leave_max=leave_max, with_job=with_job)
    last = len(columns) - 1
    ws = wb.add_worksheet(sheet_name(department, [INSTRUCTIONS_SHEET, IDENTITY_SHEET]))
    org = regulation.organisation
    ws.merge_range(0, 0, 0, last, "", title)
    write_text(ws, 0, 0, org.parent, title, formats=f)
    ws.merge_range(1, 0, 1, last, "", title)
    write_text(ws, 1, 0, org.name, title, formats=f)
    ws.merge_range(2, 0, 2, last, "", title)
    write_text(ws, 2, 0, f"BẢNG CHẤM ĐIỂM THI ĐUA {period.label.upper()}", title, formats=f)
    ws.merge_range(3, 0, 3, last, "", subtitle)
    write_text(ws, 3, 0, f"{DEPARTMENT_TITLE} {department}", subtitle, formats=f)
    write_text(ws, 4, 0, "Chỉ điền vào các ô màu vàng; xem sheet \"Hướng dẫn\".", plain,
               formats=f)

    h = HEADER_ROW - 1
    ws.set_row(h, 60)
    for i, col in enumerate(columns):
        ws.set_column(i, i, col.width)
        write_text(ws, h, i, col.header, header, formats=f)

    first = h + 1
    lastrow = first + len(people) - 1
    formula = total_formula(regulation, columns, 0)  # row 0 as a placeholder, replaced below
    row_ref = re.compile(r"([A-Z]+)0\b")
    for k, p in enumerate(people):
        r = first + k
        mine = codes_of(p, regulation)  # a criterion of another post: locked, greyed
        for i, col in enumerate(columns):
            if col.key.startswith("criterion:") and col.key[10:] not in mine:
                ws.write_blank(r, i, None, other_post)
            elif col.kind == "fixed":
                _fixed(ws, r, i, col.key, p, k, fixed, fixed_date, f)
            elif col.kind == "total":
                ws.write_formula(r, i, row_ref.sub(rf"\g<1>{r + 1}", formula), total, 0)
            elif col.kind in ("text", "list", "codes"):
                ws.write_blank(r, i, None, entry_text)
            else:
                ws.write_blank(r, i, None, entry)
    if people:
        for i, col in enumerate(columns):
            dv = _validation(col)
            if dv is not None:
                ws.data_validation(first, i, lastrow, i, dv)

    name_col = next(i for i, c in enumerate(columns) if c.key == "name")
    sig = lastrow + 3  # a signature block ends the table for the reader (blank Mã NV)
    third = max(1, len(columns) // 3)
    write_text(ws, sig, name_col, "Người lập biểu", bold_center, formats=f)
    write_text(ws, sig, max(name_col + 2, 2 * third), "Trưởng khoa/phòng", bold_center, formats=f)

    ws.freeze_panes(first, name_col + 1)
    ws.protect("", {"format_columns": True, "format_rows": True})
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(h)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    ws.set_footer("&CTrang &P/&N")
    ws.activate()

    _instructions(wb.add_worksheet(INSTRUCTIONS_SHEET), f, regulation, criteria, period,
                  department, columns)
    idws = wb.add_worksheet(IDENTITY_SHEET)
    for r, (key, value) in enumerate(identity.rows()):
        write_text(idws, r, 0, key, None, formats=f)
        write_text(idws, r, 1, value, None, formats=f)
    idws.protect("")
    idws.hide()
    # The creation date is the period's start, not the clock: the same inputs give the same file.
    wb.set_properties({"title": f"Biểu mẫu chấm điểm thi đua – {department} – {period.label}",
                       "author": org.personnel_office, "comments": "thidua forms",
                       "created": datetime.combine(period.start, datetime.min.time())})
    wb.close()


def _fixed(ws: Any, r: int, i: int, key: str, p: Person, k: int, fmt: Any, fmt_date: Any,
           f: TextFormats) -> None:
    if key == "stt":
        ws.write_number(r, i, k + 1, fmt)
    elif key == "is_manager":
        write_text(ws, r, i, "x" if p.is_manager else "", fmt, formats=f)
    elif key == "gender":
        write_text(ws, r, i, {"nam": "Nam", "nu": "Nữ"}.get(p.gender.value, ""), fmt, formats=f)
    elif key == "recruited_on":
        if p.recruited_on is not None:
            ws.write_datetime(r, i, datetime.combine(p.recruited_on, datetime.min.time()),
                              fmt_date)
        else:
            ws.write_blank(r, i, None, fmt)
    else:
        write_text(ws, r, i, str(getattr(p, key)), fmt, formats=f)


def _validation(col: Column) -> dict[str, Any] | None:
    common = {"input_title": col.header[:32] if len(col.header) <= 32 else col.key[:32],
              "input_message": col.hint[:255], "error_title": "Giá trị không hợp lệ"}
    if col.kind == "number":
        mx = format_vn_number(col.maximum or 0)
        top = float(col.maximum or 0)
        return {"validate": "decimal", "criteria": "between", "minimum": 0,
                "maximum": int(top) if top.is_integer() else top, **common,
                "error_message": f"Hãy nhập một số từ 0 đến {mx}."}
    if col.kind == "whole":
        return {"validate": "integer", "criteria": "between", "minimum": 0,
                "maximum": int(col.maximum or 0), **common,
                "error_message": "Hãy nhập một số nguyên không âm."}
    if col.kind == "list":
        return {"validate": "list", "source": list(col.choices), **common,
                "error_message": "Hãy chọn trong danh sách: " + ", ".join(col.choices) + "."}
    if col.kind == "codes":
        return {"validate": "list", "source": list(col.choices), **common,
                "error_type": "information", "error_title": "Sự việc",
                "error_message": "Các mã: " + ", ".join(col.choices)
                + ". Nhiều sự việc: cách nhau bởi dấu ; (thidua kiểm tra từng mã)."}
    return None


def _instructions(ws: Any, f: TextFormats, regulation: Regulation, criteria: Sequence[Criterion],
                  period: Period, department: str, columns: Sequence[Column]) -> None:
    bold = f.add({"font_name": "Times New Roman", "bold": True, "font_size": 13})
    wrap = f.add({"font_name": "Times New Roman", "text_wrap": True, "valign": "top"})
    ws.set_column(0, 0, 110)
    s = regulation.scoring
    lines = [
        (INSTRUCTIONS_TITLE, bold),
        (f"{department} – {period.label}", wrap),
        ("", wrap),
        ("1. Danh sách nhân viên, mã NV, chức vụ đã được Phòng thi đua điền sẵn và khoá lại. Nếu "
         "danh sách sai (thiếu người, thừa người, sai tên), KHÔNG sửa trong biểu mẫu: hãy báo "
         f"{regulation.organisation.personnel_office} để gửi lại biểu mẫu mới.", wrap),
        ("2. Chỉ điền vào các ô màu vàng: điểm từng tiêu chí (từ 0 đến điểm tối đa ghi trong "
         "tiêu đề cột), điểm cộng, điểm trừ, số ngày nghỉ, kỷ luật, ghi chú. Ô nhập sai (chữ, "
         "số âm, vượt điểm tối đa) bị Excel từ chối.", wrap),
        ("3. Số thập phân gõ theo cách máy tính đang dùng (8,5 hoặc 8.5); không gõ chữ \"điểm\".",
         wrap),
        (f"4. Cột \"Tổng điểm\" tự tính: tổng điểm các tiêu chí + điểm cộng (tính tối đa "
         f"{format_vn_number(s.bonus_cap)} điểm) − điểm trừ, trong khoảng "
         f"{format_vn_number(s.total_min)}–{format_vn_number(s.total_max)}. Không gõ đè.", wrap),
        ("5. Không đổi tên, không xoá, không thêm sheet hay cột; không đổi tên tệp thì càng tốt "
         "(thidua nhận ra khoa/phòng và kỳ đánh giá ở sheet ẩn của biểu mẫu).", wrap),
        ("6. Lưu tệp (Excel hoặc LibreOffice, dạng .xlsx) rồi gửi lại đúng hạn. Gửi lại bản "
         "sửa thì bản lưu sau cùng được dùng.", wrap),
        ("", wrap),
        ("Các tiêu chí:", bold),
    ]
    if has_groups(regulation):
        lines.insert(4, ("   Ô tiêu chí tô xám và khoá: tiêu chí không thuộc vị trí việc làm của người đó "
                         "(bộ tiêu chí theo vị trí trong quy chế); để trống.", wrap))
    lines += [(f"{c.code}. {c.name} – tối đa {format_vn_number(c.max_points)} điểm ({c.group})",
               wrap) for c in criteria]
    events = regulation.events
    if events is not None and (events.violations or events.bonuses):
        lines += [("", wrap), ("Mã sự việc (cột \"Sự việc\"; mỗi sự việc: mã và ngày, cách nhau "
                               "bởi dấu chấm phẩy, ví dụ VP01 12/10/2026; KT01 20/11/2026):", bold)]
        for item in events.violations:
            steps = " → ".join(format_vn_number(x) for x in item.points)
            severe = "; vi phạm nặng: xếp loại tối đa " + events.severe_cap.value if item.severe else ""
            lines.append((f"{item.code}: {item.name} – trừ {steps} điểm theo lần trong kỳ{severe}",
                          wrap))
        for item in events.bonuses:
            steps = " → ".join(format_vn_number(x) for x in item.points)
            lines.append((f"{item.code}: {item.name} – cộng {steps} điểm", wrap))
    for r, (text, fmt) in enumerate(lines):
        write_text(ws, r, 0, text, fmt, formats=f)
    ws.protect("")


# --------------------------------------------------------------------------------------------
# Reading back (thidua collect)
# --------------------------------------------------------------------------------------------


def read_identity(raw: RawWorkbook) -> FormIdentity | None:
    """The identity in a returned file's ``_thidua`` sheet, or None."""
    for sheet in raw.sheets:
        if sheet.name == IDENTITY_SHEET:
            return parse_identity(sheet.rows)
    return None


_PEEK_LIMIT = 4_000_000  # bytes of XML read at most: a form's parts are a few kilobytes
_SHEET_TAG = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?name="_thidua"[^>]*?(?:r:)?id="([^"]+)"')
_REL = re.compile(rb'<Relationship\b[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"')
_REL_REV = re.compile(rb'<Relationship\b[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"')
_CELL = re.compile(rb'<c\b([^>]*)>(.*?)</c>', re.S)
_V = re.compile(rb'<v>([^<]*)</v>')
_T = re.compile(rb'<t(?:\s[^>]*)?>([^<]*)</t>')
_SI = re.compile(rb'<si>(.*?)</si>', re.S)


def peek_identity(path: Path) -> FormIdentity | None:
    """The identity of an .xlsx form read from its ``_thidua`` sheet alone, without loading the
    workbook (``thidua collect`` loads only the submissions it keeps). None when the file is not
    an .xlsx with that sheet or its parts are not as expected: the caller then loads the file
    and reads it the ordinary way (:func:`read_identity`)."""
    import html

    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if "xl/workbook.xml" not in names:
                return None

            def part(name: str) -> bytes | None:
                if name not in names or z.getinfo(name).file_size > _PEEK_LIMIT:
                    return None
                return z.read(name)

            book = part("xl/workbook.xml")
            rels = part("xl/_rels/workbook.xml.rels")
            m = _SHEET_TAG.search(book or b"")
            if m is None or rels is None:
                return None
            targets = {rid: t for rid, t in _REL.findall(rels)}
            targets.update({rid: t for t, rid in _REL_REV.findall(rels)})
            target = targets.get(m.group(1))
            if target is None:
                return None
            sheet_path = target.decode().lstrip("/")
            sheet_path = sheet_path if sheet_path.startswith("xl/") else "xl/" + sheet_path
            sheet = part(sheet_path)
            if sheet is None:
                return None
            shared: list[str] | None = None
            rows: dict[int, dict[int, str]] = {}
            for attrs, body in _CELL.findall(sheet):
                ref = re.search(rb'r="([A-Z]+)(\d+)"', attrs)
                if ref is None:
                    return None
                kind = re.search(rb't="(\w+)"', attrs)
                if kind is not None and kind.group(1) == b"s":
                    if shared is None:
                        data = part("xl/sharedStrings.xml")
                        if data is None:
                            return None
                        shared = ["".join(t.decode() for t in _T.findall(si))
                                  for si in _SI.findall(data)]
                    v = _V.search(body)
                    text = shared[int(v.group(1))] if v else ""
                elif kind is not None and kind.group(1) == b"inlineStr":
                    text = "".join(t.decode() for t in _T.findall(body))
                else:
                    v = _V.search(body)
                    text = v.group(1).decode() if v else ""
                col = 1 if ref.group(1) == b"A" else 2 if ref.group(1) == b"B" else 0
                if col:
                    rows.setdefault(int(ref.group(2)), {})[col] = html.unescape(text)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, IndexError, UnicodeDecodeError):
        return None
    ordered = [[rows[r].get(1, ""), rows[r].get(2, "")] for r in sorted(rows)]
    return parse_identity(ordered)


_MODIFIED = re.compile(rb"<dcterms:modified[^>]*>([^<]+)</dcterms:modified>")
_ODS_DATE = re.compile(rb"<dc:date>([^<]+)</dc:date>")


def content_date(path: Path) -> tuple[datetime | None, str]:
    """When the file's content was last saved: the date the spreadsheet program writes inside
    the file (``docProps/core.xml`` of an .xlsx, ``meta.xml`` of an .ods), else the file's
    modification time (e-mail and copying keep the first, not always the second). Returns
    (date or None, Vietnamese source)."""
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            for member, pattern in (("docProps/core.xml", _MODIFIED), ("meta.xml", _ODS_DATE)):
                if member in names:
                    m = pattern.search(z.read(member)[:65536])
                    if m:
                        when = _parse_when(m.group(1).decode("ascii", "replace"))
                        if when is not None:
                            return when, "ngày lưu ghi trong tệp"
    except (OSError, zipfile.BadZipFile, KeyError):
        pass
    try:
        return datetime.fromtimestamp(os.stat(path).st_mtime).replace(microsecond=0), \
            "ngày sửa tệp"
    except OSError:
        return None, ""


def file_digest(path: Path) -> str:
    """SHA-256 of the file's bytes (the same resubmitted file twice is one submission)."""
    import hashlib

    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _parse_when(text: str) -> datetime | None:
    text = text.strip().rstrip("Z")
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    return when.replace(tzinfo=None, microsecond=0)
