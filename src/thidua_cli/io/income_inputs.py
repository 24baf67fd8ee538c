"""The inputs of ``thidua income``: the period's grades, the staff sheet and the fund sheet.

Grades come from a ``thidua score`` result (its ``--json``, or the "Cá nhân" sheet of the
``.ket-qua.xlsx`` workbook: the "Mã xếp loại" column) or from a sheet the departments typed
("Loại" A/B/C/D, or "Xếp loại" in words). Spreadsheets are opened only through
``io.workbook.load_workbook``; the header row is found by the reader's header finding
(``io/reader/header.py`` ``find_table_header``: the first 30 rows, the score sheet's heading
rule — accent- and case-blind, a trailing "(…)" ignored — a second header row under merged
headings, a numbering row skipped); this module only says which headings name which field.
Cell problems are findings (``income-bad-value``) naming file, sheet and cell; a file that
cannot be read is an ``InputFileError`` (exit 4).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from thidua_cli.core import vntext
from thidua_cli.core.income import Fund, GradeEntry, PeriodPaid, StaffMember, Where
from thidua_cli.core.numbers import NumberProblem, is_blank, parse_money, parse_number
from thidua_cli.core.period import find_period
from thidua_cli.core.rulesets import parse_rating
from thidua_cli.errors import InputFileError, InvalidDataError
from thidua_cli.io.raw import RawSheet, RawWorkbook
from thidua_cli.io.reader.fields import FIELD_BY_NAME, SIGNATURE, TOTAL_ROW
from thidua_cli.io.reader.header import Headings, find_table_header
from thidua_cli.issues import make_issue
from thidua_cli.model import Period, Report, column_letter

_ID = FIELD_BY_NAME["staff_id"].aliases
_NAME = FIELD_BY_NAME["name"].aliases
_DEPT = FIELD_BY_NAME["department"].aliases

GRADE_ALIASES: dict[str, tuple[str, ...]] = {
    "staff_id": _ID, "name": _NAME, "department": _DEPT,
    "rating_code": ("Mã xếp loại",),
    "rating": ("Xếp loại", "Kết quả xếp loại", "Xếp loại chất lượng", "Mức xếp loại"),
    "grade": ("Loại", "Phân loại", "Loại thi đua", "Xếp loại ABC", "Loại ABC", "Mức"),
}
STAFF_ALIASES: dict[str, tuple[str, ...]] = {
    "staff_id": _ID, "name": _NAME, "department": _DEPT,
    "salary": ("Hệ số lương", "HSL", "Hệ số lương ngạch bậc", "HS lương", "Hệ số lương ngạch, bậc"),
    "allowance": ("Phụ cấp chức vụ", "PCCV", "Hệ số phụ cấp chức vụ", "HS PCCV", "Hệ số PCCV",
                  "PC chức vụ", "Hệ số phụ cấp"),
    "position": ("Hệ số vị trí", "Hệ số vị trí việc làm", "Hệ số chức danh", "HS vị trí",
                 "Hệ số VTVL", "Hệ số công việc"),
    "title": ("Chức danh", "Vị trí việc làm", "Chức danh nghề nghiệp", "Chức vụ"),
    "days_worked": ("Ngày công", "Số ngày công", "Ngày công thực tế", "Số ngày làm việc",
                    "Ngày làm việc thực tế", "Công thực tế", "Ngày đi làm"),
    "annual": ("Nghỉ phép", "Ngày nghỉ phép", "Phép", "Nghỉ phép năm", "Số ngày nghỉ phép"),
    "sick": ("Nghỉ ốm", "Ốm", "Ngày nghỉ ốm", "Số ngày nghỉ ốm", "Nghỉ ốm đau"),
    "maternity": ("Nghỉ thai sản", "Thai sản", "Ngày nghỉ thai sản", "Số ngày nghỉ thai sản"),
    "unpaid": ("Nghỉ không lương", "Không lương", "Nghỉ việc riêng không lương",
               "Ngày nghỉ không lương"),
    "other": ("Nghỉ khác", "Nghỉ việc riêng", "Ngày nghỉ khác"),
    "disciplined": ("Kỷ luật", "Hình thức kỷ luật"),
    "probation": ("Tập sự", "Đang tập sự", "Thử việc"),
    "recruited_on": FIELD_BY_NAME["recruited_on"].aliases,
    "account": ("Số tài khoản", "STK", "Tài khoản", "Số TK", "Tài khoản ngân hàng"),
    "bank": ("Ngân hàng", "Tên ngân hàng", "Mở tại ngân hàng", "Tại ngân hàng"),
}
FUND_ALIASES: dict[str, tuple[str, ...]] = {
    "department": _DEPT,
    "amount": ("Quỹ", "Số tiền", "Quỹ thu nhập tăng thêm", "Quỹ được chia", "Tổng quỹ",
               "Số tiền được chia", "Quỹ chia"),
}
LEAVE_FIELDS = ("annual", "sick", "maternity", "unpaid", "other")
_TRUE = frozenset({"x", "co", "1", "true", "yes", "dung", "v", "✓", "ts"})


# --------------------------------------------------------------------------------------------
# Finding a table
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    sheet: RawSheet
    file: str
    first: int  # first data row (Excel)
    columns: dict[str, int]  # field → 1-based column
    headers: dict[str, str]  # field → heading as written

    def where(self, row: int) -> Where:
        return Where(self.file, self.sheet.name, row)

    def letter(self, name: str) -> str | None:
        return column_letter(self.columns[name]) if name in self.columns else None

    def rows(self) -> list[tuple[int, dict[str, Any]]]:
        """Data rows down to a "Tổng cộng" row or a signature block; blank rows skipped."""
        out = []
        for r in range(self.first, self.sheet.max_row + 1):
            values = {f: self.sheet.value(r, c) for f, c in self.columns.items()}
            if all(is_blank(v) for v in values.values()):
                continue
            # The first text of the whole row: "Tổng cộng" often sits in the STT column.
            first = next((vntext.key(v) for v in self.sheet.rows[r - 1]
                          if isinstance(v, str) and not is_blank(v)), "")
            if first and (SIGNATURE.match(first) or (
                    TOTAL_ROW.match(first) and is_blank(values.get("staff_id", "")))):
                break
            out.append((r, values))
        return out


def find_table(raw: RawWorkbook, aliases: Mapping[str, Sequence[str]],
               required: Sequence[str], any_of: Sequence[str] = ()) -> Table | None:
    """The first visible sheet's table whose header has every ``required`` field (and one of
    ``any_of``), found by the reader's header finding (``io/reader/header.py``)."""
    headings = Headings(aliases)
    for sheet in raw.sheets:
        if sheet.kind != "worksheet" or sheet.visibility != "visible":
            continue
        found = find_table_header(sheet, headings, required, any_of)
        if found is not None:
            return Table(sheet, raw.path, found.first, found.columns, found.headers)
    return None


def _headings_seen(raw: RawWorkbook) -> str:
    for sheet in raw.sheets:
        for row in sheet.rows[:30]:
            texts = [vntext.clean(v) for v in row if isinstance(v, str) and v.strip()]
            if len(texts) >= 2:
                return ", ".join(f"\"{t}\"" for t in texts[:8])
    return "không có"


def _load(path: Path) -> RawWorkbook:
    from thidua_cli.io.workbook import load_workbook

    return load_workbook(path)


def _missing_table(raw: RawWorkbook, what: str, expected: str) -> InvalidDataError:
    report = Report()
    report.add(make_issue("income-missing-column", file=str(raw.path), expected=expected,
                          what=what, found=_headings_seen(raw)))
    return InvalidDataError(f"Tệp {raw.path}: không tìm thấy {what} (cần các cột "
                            f"{expected}).", report)


# --------------------------------------------------------------------------------------------
# Cells
# --------------------------------------------------------------------------------------------


class _Cells:
    def __init__(self, table: Table, report: Report) -> None:
        self.t = table
        self.report = report
        # Facts calamine cannot see: an error value or a formula without a cached value reads
        # as a blank cell, which would pay 0 đ silently; each is a finding on its cell.
        sheet = table.sheet
        by_col = {c: f for f, c in table.columns.items()}
        for (r, c), err in sheet.errors.items():
            if r >= table.first and c in by_col:
                self.bad(r, by_col[c], err, "ô có lỗi công thức; hãy sửa công thức hoặc gõ giá trị")
        for (r, c), formula in sheet.formulas_without_value.items():
            if r >= table.first and c in by_col and (r, c) not in sheet.errors:
                self.bad(r, by_col[c], formula, "công thức chưa có giá trị (tệp chưa được tính "
                                                "lại); hãy mở bằng Excel, lưu lại rồi chạy lại")

    def bad(self, row: int, name: str, value: Any, reason: str) -> None:
        self.report.add(make_issue("income-bad-value", file=self.t.file, sheet=self.t.sheet.name,
                                   row=row, column=self.t.letter(name),
                                   header=self.t.headers.get(name, name), value=value,
                                   reason=reason))

    def text(self, values: Mapping[str, Any], name: str) -> str:
        v = values.get(name, "")
        if isinstance(v, float) and v.is_integer():
            v = int(v)  # a staff ID typed as a number: "2201", never "2201.0"
        return vntext.clean(str(v)) if not is_blank(v) else ""

    def number(self, row: int, values: Mapping[str, Any], name: str) -> Decimal | None:
        """A non-negative number, exact; None when blank or wrong (a finding then)."""
        v = values.get(name, "")
        parsed = parse_number(v)
        if isinstance(parsed, NumberProblem):
            if parsed.code != "blank":
                self.bad(row, name, v, parsed.reason or "không phải là số")
            return None
        number = Decimal(repr(parsed.value))
        if number < 0:
            self.bad(row, name, v, "không được là số âm")
            return None
        return number

    def day(self, row: int, values: Mapping[str, Any], name: str) -> date | None:
        v = values.get(name, "")
        if is_blank(v):
            return None
        if isinstance(v, datetime):
            return v.date()
        if isinstance(v, date):
            return v
        from thidua_cli.io.reader.fields import DATE_DMY

        m = DATE_DMY.fullmatch(vntext.clean(str(v)))
        if m:
            try:
                return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            except ValueError:
                pass
        self.bad(row, name, v, "không phải là ngày (ghi dạng 12/03/2026)")
        return None


# --------------------------------------------------------------------------------------------
# Grades
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Grades:
    entries: tuple[GradeEntry, ...]
    period: Period | None
    source: str


def load_grades(path: Path) -> Grades:
    """The period's grades from a score result (.json or .ket-qua.xlsx) or a typed sheet."""
    from thidua_cli.io.score_result import looks_like_score_result

    if looks_like_score_result(path):
        return _grades_from_json(path)
    raw = _load(path)
    table = find_table(raw, GRADE_ALIASES, ("staff_id",), any_of=("rating_code", "rating", "grade"))
    if table is None:
        raise _missing_table(raw, "bảng loại của kỳ", "\"Mã NV\" và \"Loại\" (hoặc \"Xếp loại\")")
    report = Report()
    cells = _Cells(table, report)
    entries: list[GradeEntry] = []
    for r, values in table.rows():
        staff_id = cells.text(values, "staff_id")
        if not staff_id:
            cells.bad(r, "staff_id", "", "thiếu mã nhân viên")
            continue
        name, dept = cells.text(values, "name"), cells.text(values, "department")
        if "rating_code" in table.columns or ("grade" not in table.columns):
            col = "rating_code" if "rating_code" in table.columns else "rating"
            text = cells.text(values, col)
            code = "NOT_RATED" if not text else _rating_code(text)
            if code is None:
                cells.bad(r, col, text, "không nhận ra xếp loại (ghi HTXSNV, HTTNV, HTNV, KHTNV "
                                        "hoặc tên đầy đủ)")
                continue
            entries.append(GradeEntry(staff_id, name, dept, None, code, table.where(r),
                                      table.letter(col)))
        else:
            letter = cells.text(values, "grade").upper().replace(" ", "")
            if not letter:
                entries.append(GradeEntry(staff_id, name, dept, None, "NOT_RATED", table.where(r),
                                          table.letter("grade")))
            else:
                entries.append(GradeEntry(staff_id, name, dept, letter, None, table.where(r),
                                          table.letter("grade")))
    if report.errors:
        raise InvalidDataError(f"Tệp loại {path} có ô không dùng được.", report)
    period = find_period(path.name) or _title_period(table.sheet)
    return Grades(tuple(entries), period, str(path))


def _rating_code(text: str) -> str | None:
    if vntext.compact(text) in ("notrated", "khongxeploai", "chuaxeploai"):
        return "NOT_RATED"
    if vntext.compact(text) in ("pendingcouncil", "chohoidongxet"):
        return "PENDING_COUNCIL"
    return parse_rating(text)


def _title_period(sheet: RawSheet) -> Period | None:
    for row in sheet.rows[:10]:
        for v in row:
            if isinstance(v, str) and (found := find_period(v)) is not None:
                return found
    return None


def _grades_from_json(path: Path) -> Grades:
    from thidua_cli.io.json_input import parse_json
    from thidua_cli.io.score_result import SCORE_SCHEMA, _period, _Reader

    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError as exc:
        raise InputFileError(f"Không tìm thấy tệp {path}. Hãy kiểm tra tên và thư mục.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(f"Không đọc được tệp {path} ({exc}).") from exc
    how = "Tệp kết quả chấm điểm được tạo bằng `thidua score … --json --no-output > ket-qua.json`."
    data = parse_json(text, f"Tệp {path}", how)
    r = _Reader(path)
    if not isinstance(data, dict) or data.get("schema") != SCORE_SCHEMA:
        raise InputFileError(f"Tệp {path} không phải kết quả `thidua score --json` (cần khoá "
                             f"\"schema\": \"{SCORE_SCHEMA}\"). {how}")
    period = _period(r, data)
    people = data.get("people")
    if not isinstance(people, list):
        raise r.fail("khoá `people` phải là một danh sách")
    entries = []
    for i, p in enumerate(people):
        where = f"people[{i}]."
        if not isinstance(p, dict):
            raise r.fail(f"phần tử `people[{i}]` phải là một đối tượng JSON")
        rating = r.obj(p, "rating", where)
        code = r.text(rating, "code", f"{where}rating.")
        entries.append(GradeEntry(r.text(p, "staff_id", where), r.text(p, "name", where),
                                  r.text(p, "department", where), None, code,
                                  Where(str(path), None, None), None))
    return Grades(tuple(entries), period, str(path))


# --------------------------------------------------------------------------------------------
# Staff
# --------------------------------------------------------------------------------------------


def load_staff(path: Path) -> list[StaffMember]:
    """The staff sheet; InvalidDataError (exit 1) with every bad cell."""
    raw = _load(path)
    table = find_table(raw, STAFF_ALIASES, ("staff_id", "name", "department"),
                       any_of=("salary", "position"))
    if table is None:
        raise _missing_table(raw, "bảng nhân sự", "\"Mã NV\", \"Họ và tên\", \"Khoa/Phòng\", "
                             "\"Hệ số lương\" (hoặc \"Hệ số vị trí\")")
    report = Report()
    cells = _Cells(table, report)
    out: list[StaffMember] = []
    for r, values in table.rows():
        staff_id = cells.text(values, "staff_id")
        if not staff_id:
            cells.bad(r, "staff_id", "", "thiếu mã nhân viên")
            continue
        leave = {k: n for k in LEAVE_FIELDS if (n := cells.number(r, values, k)) is not None and n}
        days = cells.number(r, values, "days_worked")
        out.append(StaffMember(
            staff_id=staff_id, name=cells.text(values, "name"),
            department=cells.text(values, "department"),
            salary=cells.number(r, values, "salary") or Decimal(0),
            allowance=cells.number(r, values, "allowance") or Decimal(0),
            position=cells.number(r, values, "position"),
            title=cells.text(values, "title"), days_worked=days, leave=leave,
            disciplined=_discipline(cells.text(values, "disciplined")),
            probation=vntext.fold(cells.text(values, "probation")) in _TRUE,
            recruited_on=cells.day(r, values, "recruited_on"),
            account=cells.text(values, "account"), bank=cells.text(values, "bank"),
            where=table.where(r),
            cells={f: column_letter(c) for f, c in table.columns.items()},
        ))
    if report.errors:
        raise InvalidDataError(f"Bảng nhân sự {path} có ô không dùng được.", report)
    return out


def _discipline(text: str) -> str:
    return "" if vntext.fold(text) in ("", "khong", "0", "-", "khong co", "k") else text


# --------------------------------------------------------------------------------------------
# Fund
# --------------------------------------------------------------------------------------------


def load_fund_sheet(path: Path) -> Fund:
    """One row per department: "Khoa/Phòng" and "Quỹ" (đồng)."""
    raw = _load(path)
    table = find_table(raw, FUND_ALIASES, ("department", "amount"))
    if table is None:
        raise _missing_table(raw, "bảng quỹ theo khoa/phòng", "\"Khoa/Phòng\" và \"Quỹ\"")
    report = Report()
    cells = _Cells(table, report)
    by: dict[str, tuple[int, Where]] = {}
    for r, values in table.rows():
        dept = cells.text(values, "department")
        if not dept:
            continue
        try:
            amount = parse_money(values.get("amount"))
        except ValueError as exc:
            cells.bad(r, "amount", values.get("amount"), str(exc))
            continue
        if any(vntext.key(d) == vntext.key(dept) for d in by):
            cells.bad(r, "department", dept, "khoa/phòng này đã có một dòng quỹ")
            continue
        by[dept] = (amount, table.where(r))
    if report.errors:
        raise InvalidDataError(f"Bảng quỹ {path} có ô không dùng được.", report)
    return Fund(None, by, str(path))


def load_previous(path: Path) -> dict[str, Any]:
    """A previous ``thidua income --json`` result (for --compare)."""
    from thidua_cli.io.json_input import parse_json

    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError as exc:
        raise InputFileError(f"Không tìm thấy tệp {path}. Hãy kiểm tra tên và thư mục.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(f"Không đọc được tệp {path} ({exc}).") from exc
    how = "Tệp kỳ trước được tạo bằng `thidua income … --json > ky-truoc.json`."
    data = parse_json(text, f"Tệp {path}", how)
    if not isinstance(data, dict) or data.get("schema") != "thidua.income/1" or not isinstance(
            data.get("people"), list):
        raise InputFileError(f"Tệp {path} không phải kết quả `thidua income --json` (cần khoá "
                             f"\"schema\": \"thidua.income/1\"). {how}")
    return data


def load_period_paid(path: Path) -> PeriodPaid:
    """One period's amounts from its ``thidua income --json`` result (for --year-total)."""
    data = load_previous(path)
    period = data.get("period")
    code = period.get("code") if isinstance(period, dict) else None
    if not isinstance(code, str):
        raise InputFileError(f"Tệp {path}: thiếu khoá `period.code`.")
    people = []
    for i, p in enumerate(data["people"]):
        if not isinstance(p, dict) or not isinstance(p.get("staff_id"), str) or isinstance(
                p.get("amount"), bool) or not isinstance(p.get("amount"), int):
            raise InputFileError(f"Tệp {path}: phần tử `people[{i}]` cần `staff_id` (chuỗi) và "
                                 "`amount` (số nguyên).")
        people.append((p["staff_id"], str(p.get("name", "")), str(p.get("department", "")),
                       p["amount"]))
    return PeriodPaid(code, str(path), tuple(people))
