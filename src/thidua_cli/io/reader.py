"""The sheet reader: raw workbooks → the people of one period, with every per-cell finding.

``read_dataset`` is the ONE code path behind both ``thidua score`` and ``thidua validate``, so
``score`` refuses exactly what ``validate`` calls an error (shared/decisions.md). It never raises
for bad data: every problem becomes an :class:`~thidua_cli.model.Issue` in ``Dataset.report``,
located by file (as given), sheet, Excel row and column letter, header text and raw value.

The workbook contract (README section "workbook"):

- one sheet per department (the sheet name is the department) or a combined sheet with a
  "Khoa/Phòng" column, in any mix, across files; an optional "Tiêu chí" sheet overrides the
  regulation's criteria;
- the header row is found by content within the first 30 rows (title rows and merged cells
  above are ignored): each row is scored by how many known column headings it holds, and it must
  hold the staff ID and the name;
- two-row headers: a criterion (often a merged cell) above its assessment levels "Tự chấm" /
  "Khoa chấm" / "Hội đồng chấm"; the counting level is chosen per cell (decisions.md "Scoring");
- rows end at the first "Tổng cộng" / "Cộng" / "Tổng" row or signature block ("Người lập biểu").

Performance: the column plan is computed once per sheet; the row loop does type checks before
any text work, so the common case (a float score) costs a comparison.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import MISSING, dataclass, field, fields, replace
from datetime import date, datetime, time, timedelta
from itertools import chain, repeat
from pathlib import PurePath
from typing import Any, NamedTuple, TypeVar

from thidua_cli.core import legacy, vntext
from thidua_cli.core.numbers import (
    NumberProblem,
    ParsedNumber,
    format_vn_number,
    is_blank,
    parse_number,
)
from thidua_cli.core.period import find_period
from thidua_cli.gcpause import collector_paused
from thidua_cli.io.raw import RawSheet, RawWorkbook
from thidua_cli.issues import make_issue
from thidua_cli.model import (
    AssessmentLevel,
    Criterion,
    Dataset,
    Discipline,
    Gender,
    InputFile,
    Issue,
    Period,
    Person,
    Regulation,
    Report,
    Severity,
    SheetSummary,
    SourceRow,
    TotalRowCell,
    column_letter,
)

__all__ = [
    "FIELDS",
    "CriteriaSheet",
    "FieldSpec",
    "is_criteria_sheet_name",
    "read_criteria_sheet",
    "read_dataset",
]

_T = TypeVar("_T")

HEADER_SCAN_ROWS = 30
REGULATION_SOURCE = "quy chế"

# --------------------------------------------------------------------------------------------
# The known columns
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldSpec:
    """A known column of a department sheet. ``name`` is the Person attribute (and the key of
    ``Person.columns``); ``label`` is how the README and messages name it."""

    name: str
    label: str
    aliases: tuple[str, ...]
    kind: str
    leveled: bool = False  # may sit above "Tự chấm / Khoa chấm / Hội đồng chấm" sub-columns


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("staff_id", "Mã NV", ("Mã NV", "Mã nhân viên", "Mã số", "MSNV", "Mã CB",
              "Mã cán bộ", "Mã số nhân viên", "Mã số NV", "Mã viên chức", "Mã VC"), "id"),
    FieldSpec("name", "Họ và tên", ("Họ và tên", "Họ tên", "Họ và tên nhân viên",
              "Họ và tên cán bộ", "Họ và tên viên chức", "Họ tên nhân viên"), "name"),
    FieldSpec("department", "Khoa/Phòng", ("Khoa/Phòng", "Đơn vị", "Khoa", "Phòng",
              "Khoa phòng", "Khoa/Phòng/Đơn vị", "Đơn vị công tác", "Khoa, phòng"), "department"),
    FieldSpec("position", "Chức vụ", ("Chức vụ", "Chức danh", "Chức vụ, chức danh"), "text"),
    FieldSpec("is_manager", "Lãnh đạo", ("Lãnh đạo", "Lãnh đạo, quản lý", "Lãnh đạo quản lý",
              "Là lãnh đạo", "Cán bộ quản lý"), "flag"),
    FieldSpec("peer_group", "Nhóm", ("Nhóm", "Nhóm đối tượng", "Nhóm chức danh"), "text"),
    FieldSpec("gender", "Giới tính", ("Giới tính", "Giới", "Nam/Nữ"), "gender"),
    FieldSpec("recruited_on", "Ngày tuyển dụng", ("Ngày tuyển dụng", "Ngày vào làm",
              "Ngày TD", "Ngày bắt đầu làm việc", "Ngày vào cơ quan"), "date"),
    FieldSpec("leave_days", "Số ngày nghỉ", ("Số ngày nghỉ", "Ngày nghỉ",
              "Số ngày nghỉ (trừ thai sản)", "Số ngày nghỉ không kể thai sản"), "leave"),
    FieldSpec("maternity_days", "Nghỉ thai sản", ("Nghỉ thai sản", "Số ngày nghỉ thai sản",
              "Thai sản", "Ngày nghỉ thai sản"), "days"),
    FieldSpec("discipline", "Kỷ luật", ("Kỷ luật", "Hình thức kỷ luật"), "discipline"),
    FieldSpec("initiatives", "Sáng kiến", ("Sáng kiến", "Số sáng kiến"), "count"),
    FieldSpec("research", "Đề tài NCKH", ("Đề tài NCKH", "Đề tài", "NCKH",
              "Đề tài nghiên cứu khoa học", "Số đề tài NCKH", "Số đề tài"), "count"),
    FieldSpec("registered", "Đăng ký thi đua", ("Đăng ký thi đua", "Đăng ký TĐ", "ĐKTĐ",
              "Đăng ký"), "tristate"),
    FieldSpec("note", "Ghi chú", ("Ghi chú",), "text"),
    FieldSpec("stt", "STT", ("STT", "TT", "Số TT", "Số thứ tự"), "ignore"),
    FieldSpec("bonus", "Điểm cộng", ("Điểm cộng", "Cộng điểm", "Điểm thưởng"), "points",
              leveled=True),
    FieldSpec("deduction", "Điểm trừ", ("Điểm trừ", "Trừ điểm"), "points", leveled=True),
    FieldSpec("sheet_total", "Tổng điểm", ("Tổng điểm", "Tổng", "Tổng cộng", "Tổng số điểm",
              "Điểm tổng", "Tổng điểm đạt", "Cộng"), "total", leveled=True),
    FieldSpec("sheet_rating", "Xếp loại", ("Xếp loại", "Loại", "Phân loại", "Xếp loại chất lượng",
              "Kết quả xếp loại", "Mức xếp loại"), "rating", leveled=True),
)
_FIELD = {f.name: f for f in FIELDS}

_LEVEL_ALIASES: dict[AssessmentLevel, tuple[str, ...]] = {
    AssessmentLevel.SELF: ("Tự chấm", "Tự đánh giá", "Cá nhân tự chấm", "Cá nhân chấm",
                           "Điểm tự chấm", "Tự ĐG", "CN tự chấm", "Cá nhân tự đánh giá"),
    AssessmentLevel.DEPARTMENT: ("Khoa chấm", "Khoa/Phòng chấm", "Phòng chấm", "Đơn vị chấm",
                                 "Tập thể khoa chấm", "Khoa đánh giá", "Điểm khoa chấm",
                                 "Trưởng khoa chấm", "Khoa/Phòng đánh giá", "Tập thể chấm"),
    AssessmentLevel.COUNCIL: ("Hội đồng chấm", "HĐ chấm", "Hội đồng TĐKT chấm", "HĐTĐKT chấm",
                              "Hội đồng thi đua chấm", "Hội đồng đánh giá", "Điểm hội đồng",
                              "Hội đồng", "HĐTĐKT", "HĐ TĐKT"),
}


def _index(pairs: Iterable[tuple[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    by_key: dict[str, Any] = {}
    by_compact: dict[str, Any] = {}
    for alias, target in pairs:
        by_key.setdefault(vntext.key(alias), target)
        by_compact.setdefault(vntext.compact(alias), target)
    return by_key, by_compact


_FIELD_BY_KEY, _FIELD_BY_COMPACT = _index((a, f.name) for f in FIELDS for a in f.aliases)
_LEVEL_BY_KEY, _LEVEL_BY_COMPACT = _index(
    (a, lvl) for lvl, aliases in _LEVEL_ALIASES.items() for a in aliases
)
_ALL_ALIASES: tuple[str, ...] = tuple(a for f in FIELDS for a in f.aliases)

# A trailing "(40đ)", "(15 điểm)", "(tối đa 10)" or " - 15 điểm" on a header.
_MAX_PAREN = re.compile(
    r"\s*\(\s*(?:điểm\s+)?(?:tối\s*đa|max|tđ)?\s*:?\s*(\d+(?:[.,]\d+)?)\s*(?:đ|điểm|d|diem)?\s*\)\s*$"
)
_MAX_UNIT = re.compile(r"[\s\-–—:,]+(\d+(?:[.,]\d+)?)\s*(?:đ|điểm)\s*$")
_TRAILING_PAREN = re.compile(r"\s*\([^()]*\)\s*$")
# "CM1", "TC 2", "KT1.2" at the start of a header: looks like a criterion code.
_CODE_PREFIX = re.compile(r"^([^\W\d_]{1,6})\s?(\d{1,3}(?:\.\d{1,2})?)(?!\w|\.\d)")
# A "Tổng cộng" row ends the table. On the accented key: "Tống" (a surname) is not "Tổng".
_TOTAL_ROW = re.compile(r"^(?:tổng cộng|tổng số|tổng|cộng)(?:$|[\s:(.,\-–])")
# A signature block or date line under the table (when there is no total row).
_SIGNATURE = re.compile(
    r"^(?:người lập(?: biểu)?|người lập bảng|lập biểu|trưởng khoa|trưởng phòng|phó trưởng khoa|"
    r"xác nhận|giám đốc|thủ trưởng|ký tên|ký, ghi rõ|kt\.|tm\.|ngày \d{1,2} tháng|"
    r"[^\W\d_][^\d]*, ngày \d{1,2} tháng)"
)
_NUMBERING = re.compile(r"^\(?\d{1,3}\)?$")
_GENERIC_SHEET = re.compile(
    r"^(?:sheet|trang tinh|bang tinh|data|du lieu|tong hop|danh sach|bang diem|bang tong hop)"
    r"\s*\d*$"
)
_LEADING_NUMBER = re.compile(r"^\d+\s*[.\-_)]\s*")

_TRUE = frozenset({"x", "co", "1", "true", "yes", "y", "dung", "v", "✓", "✔", "√", "có"})
_FALSE = frozenset({"khong", "0", "false", "no", "n", "-", "k", "khong co"})
_MALE = frozenset({"nam", "m", "male"})
_FEMALE = frozenset({"nu", "f", "female"})
_DISCIPLINES: tuple[tuple[str, Discipline], ...] = (
    ("khientrach", Discipline.KHIEN_TRACH),
    ("canhcao", Discipline.CANH_CAO),
    ("cachchuc", Discipline.CACH_CHUC),
    ("buocthoiviec", Discipline.BUOC_THOI_VIEC),
)
_NO_DISCIPLINE = frozenset({"khong", "0", "-", "khong co", "khongco", "k"})

_DATE_DMY = re.compile(r"(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")
_DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_EXCEL_EPOCH = date(1899, 12, 30)

_CRITERIA_SHEET_NAMES = frozenset({"tieuchi", "bangtieuchi", "tieuchichamdiem", "tieuchidanhgia"})


def is_criteria_sheet_name(name: str) -> bool:
    """"Tiêu chí" (any case, with or without accents), "Bảng tiêu chí", "Tiêu chí chấm điểm"."""
    return vntext.compact(name) in _CRITERIA_SHEET_NAMES


# --------------------------------------------------------------------------------------------
# Small value readers (pure; used by the row loop)
# --------------------------------------------------------------------------------------------


def _show(value: Any) -> str:
    """A value as a clerk reads it in a message: numbers the Vietnamese way."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        try:
            return format_vn_number(value)
        except (ValueError, OverflowError):
            return str(value)
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _staff_id(value: Any) -> str:
    """A staff ID as text: 2201.0 → "2201"; "0012" keeps its zeros (decisions.md)."""
    if isinstance(value, str):
        return vntext.clean(value)
    if isinstance(value, bool):
        return vntext.clean(str(value))
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return vntext.clean(value)


def _ends_table(row: Sequence[Any], id_i: int, id_v: Any) -> bool:
    """A total-row label in a cell left of (or in) a filled staff ID cell."""
    for v in row[:id_i]:
        if v.__class__ is str and v and v.lstrip()[:1] in "TtCc" and _TOTAL_ROW.match(
            vntext.key(v)
        ):
            return True
    return bool(
        id_v.__class__ is str and id_v.lstrip()[:1] in "TtCc" and _TOTAL_ROW.match(vntext.key(id_v))
    )


def _text(value: Any) -> str:
    if isinstance(value, str):
        return vntext.clean(value)
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return vntext.clean(value)


def _parse_flag(value: Any) -> bool | str | None:
    """True/False/None (blank), or the string "?" for an unknown value."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        if value == 1:
            return True
        if value == 0:
            return False
        return "?"
    s = vntext.fold(value)
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    return "?"


def _parse_date(value: Any) -> tuple[date | None, bool]:
    """(date or None when invalid, typed as text?)."""
    if isinstance(value, datetime):
        return value.date(), False
    if isinstance(value, date):
        return value, False
    if isinstance(value, (bool, time)):
        return None, False
    if isinstance(value, (int, float)):
        # A date cell formatted as General shows its serial number; accept a plausible range
        # (1954–2099) only, so that a bare year such as 2020 is refused, not read as 1905.
        if 20000 <= value < 73051:
            return _EXCEL_EPOCH + timedelta(days=int(value)), False
        return None, False
    s = vntext.clean(value)
    m = _DATE_DMY.fullmatch(s)
    try:
        if m:
            return date(int(m[3]), int(m[2]), int(m[1])), True
        m = _DATE_ISO.fullmatch(s)
        if m:
            return date(int(m[1]), int(m[2]), int(m[3])), True
    except ValueError:
        return None, True
    return None, True


def _parse_discipline(value: Any) -> Discipline | str | None:
    if is_blank(value):
        return None
    s = vntext.fold(value)
    if s in _NO_DISCIPLINE:
        return None
    c = vntext.compact(value)
    for prefix, level in _DISCIPLINES:
        if c.startswith(prefix):
            return level
    return "?"


def _parse_gender(value: Any) -> Gender | None:
    if is_blank(value):
        return Gender.UNKNOWN
    s = vntext.fold(value)
    if s in _MALE:
        return Gender.MALE
    if s in _FEMALE:
        return Gender.FEMALE
    return None


# --------------------------------------------------------------------------------------------
# Matching headers
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Match:
    kind: str  # "field" | "criterion" | "level" | "like-criterion" | "unknown" | "blank"
    field: str | None = None
    criterion: Criterion | None = None
    level: AssessmentLevel | None = None
    sheet_max: float | None = None


_BLANK_MATCH = _Match("blank")


class _CriterionIndex:
    def __init__(self, criteria: Sequence[Criterion]) -> None:
        self.criteria = tuple(criteria)
        self.by_code = {vntext.compact(c.code): c for c in criteria}
        self.by_name_key = {vntext.key(c.name): c for c in criteria}
        self.by_name_compact = {vntext.compact(c.name): c for c in criteria}

    def find(self, k: str) -> Criterion | None:
        c = vntext.compact(k)
        return self.by_code.get(c) or self.by_name_key.get(k) or self.by_name_compact.get(c)

    def match(self, text: str) -> tuple[Criterion | None, float | None, bool]:
        """(criterion, maximum written in the header, looks like a criterion header)."""
        k = vntext.key(text)
        sheet_max: float | None = None
        m = _MAX_PAREN.search(k) or _MAX_UNIT.search(k)
        if m:
            sheet_max = float(m.group(1).replace(",", "."))
            k = k[: m.start()].strip(" -–—:.,")
        if not k:
            return None, sheet_max, sheet_max is not None
        crit = self.find(k)
        if crit is not None:
            return crit, sheet_max, True
        looks = sheet_max is not None
        cm = _CODE_PREFIX.match(k)
        if cm:
            looks = True
            crit = self.by_code.get(vntext.compact(cm.group(1) + cm.group(2)))
            if crit is None:
                rest = k[cm.end():].strip(" -–—:.)")
                if rest:
                    crit = self.find(rest)
            if crit is not None:
                return crit, sheet_max, True
        return None, sheet_max, looks

    def suggestion(self, text: str) -> str:
        """" Có phải là tiêu chí "CM2 – …"?" when the header's name part is close to one
        criterion's name. Codes are not compared: "CM4" is as close to CM1 as to CM3, and an
        extra criterion of the department's own is more likely than a typo."""
        k = vntext.key(text)
        m = _MAX_PAREN.search(k) or _MAX_UNIT.search(k)
        if m:
            k = k[: m.start()]
        cm = _CODE_PREFIX.match(k)
        if cm:
            k = k[cm.end():]
        k = k.strip(" -–—:.,)")
        if not k:
            return ""
        names = {c.name: f"{c.code} – {c.name}" for c in self.criteria}
        best = _close(k, list(names))
        return f" Có phải là tiêu chí \"{names[best]}\"?" if best else ""


def _close(text: str, candidates: Sequence[str], cutoff: float = 0.8) -> str | None:
    """The candidate closest to ``text`` on the accent-blind compact key, if close enough.
    Only ever a suggestion in a message (locale.md: "Khoa Nội"/"Khoa Ngoại" are 0.89 alike)."""
    by_key: dict[str, str] = {}
    for c in candidates:
        by_key.setdefault(vntext.compact(c), c)
    best = difflib.get_close_matches(vntext.compact(text), list(by_key), n=1, cutoff=cutoff)
    return by_key[best[0]] if best else None


def _level_of(text: str) -> AssessmentLevel | None:
    if not text:
        return None
    k = vntext.key(text)
    lvl = _LEVEL_BY_KEY.get(k)
    if lvl is None:
        lvl = _LEVEL_BY_COMPACT.get(vntext.compact(k))
    return lvl


def _field_of(text: str) -> str | None:
    k = vntext.key(text)
    name = _FIELD_BY_KEY.get(k)
    if name is None:
        name = _FIELD_BY_COMPACT.get(vntext.compact(k))
    if name is None:
        stripped = _TRAILING_PAREN.sub("", k)
        if stripped and stripped != k:
            name = _FIELD_BY_KEY.get(stripped) or _FIELD_BY_COMPACT.get(vntext.compact(stripped))
    return name


class _Matcher:
    """Classifies header texts; cached per reader (headers repeat across sheets)."""

    def __init__(self, criteria: Sequence[Criterion]) -> None:
        self.index = _CriterionIndex(criteria)
        self._cache: dict[str, _Match] = {}

    def classify(self, text: str) -> _Match:
        if not text:
            return _BLANK_MATCH
        hit = self._cache.get(text)
        if hit is not None:
            return hit
        result: _Match
        name = _field_of(text)
        if name is not None:
            result = _Match("field", field=name)
        else:
            lvl = _level_of(text)
            if lvl is not None:
                result = _Match("level", level=lvl)
            else:
                crit, sheet_max, looks = self.index.match(text)
                if crit is not None:
                    result = _Match("criterion", criterion=crit, sheet_max=sheet_max)
                elif looks:
                    result = _Match("like-criterion", sheet_max=sheet_max)
                else:
                    result = _Match("unknown")
        self._cache[text] = result
        return result

    def column_suggestion(self, text: str) -> str:
        cands = list(_ALL_ALIASES) + [c.code for c in self.index.criteria] + [
            c.name for c in self.index.criteria
        ]
        best = _close(text, cands)
        return f" Có phải ý bạn là \"{best}\"?" if best else ""


# --------------------------------------------------------------------------------------------
# The column plan of one sheet
# --------------------------------------------------------------------------------------------


@dataclass
class _Slot:
    key: str  # "staff_id" … or "criterion:CM1"
    level: AssessmentLevel | None
    index: int  # 0-based column
    letter: str
    header: str  # shown in findings
    criterion: Criterion | None = None
    # Further 0-based columns under the same merged heading: "Họ và tên" merged over
    # "Họ đệm" | "Tên" is read as both parts joined by a space.
    more: list[int] = field(default_factory=list)


@dataclass
class _Plan:
    top: int  # first header row (Excel row number)
    bottom: int  # last header row
    slots: dict[str, dict[AssessmentLevel | None, _Slot]] = field(default_factory=dict)
    ignored: set[int] = field(default_factory=set)  # STT, the sheet's totals and ratings
    complete: bool = True  # False when a required column is missing: rows are not read

    def single(self, key: str) -> _Slot | None:
        by_level = self.slots.get(key)
        if not by_level:
            return None
        if None in by_level:
            return by_level[None]
        return max(by_level.values(), key=lambda s: s.level.priority if s.level else 0)


@dataclass
class _HeaderGuess:
    row: int
    hits: int
    has_id: bool
    has_name: bool
    texts: list[str]


def _cell_text(value: Any) -> str:
    return vntext.clean(value) if isinstance(value, str) else ""


def _guess_headers(sheet: RawSheet, matcher: _Matcher) -> list[_HeaderGuess]:
    """Each of the first rows scored as a header. Once a complete header (staff ID and name)
    is found, a later row is classified only if it has more texts than that header has hits:
    otherwise it cannot win (ties go to the upper row), and data rows, whose names never repeat
    from sheet to sheet, are most of the classifying work."""
    guesses = []
    best_complete = -1
    for r in range(1, min(HEADER_SCAN_ROWS, sheet.max_row) + 1):
        row = sheet.rows[r - 1]
        if best_complete >= 0 and sum(
            1 for v in row if isinstance(v, str) and v and len(v) <= 200
        ) <= best_complete:
            continue
        hits = 0
        has_id = has_name = False
        texts = []
        for v in row:
            if not isinstance(v, str) or not v or len(v) > 200:
                continue
            t = vntext.clean(v)
            if not t:
                continue
            texts.append(t)
            m = matcher.classify(t)
            if m.kind in ("field", "criterion", "level"):
                hits += 1
                if m.field == "staff_id":
                    has_id = True
                elif m.field == "name":
                    has_name = True
        guesses.append(_HeaderGuess(r, hits, has_id, has_name, texts))
        if has_id and has_name:
            best_complete = max(best_complete, hits)
    return guesses


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
_CRIT_BY_KEY, _CRIT_BY_COMPACT = _index((a, k) for k, v in _CRIT_COLUMNS.items() for a in v)
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
            t = _cell_text(v)
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
        code = _text(sheet.value(r, cols["code"]))
        name = _text(sheet.value(r, cols["name"]))
        raw_max = sheet.value(r, cols["max"])
        grp = _text(sheet.value(r, cols["group"])) if "group" in cols else ""
        if not code and not name and is_blank(raw_max):
            continue
        if not code:
            if _TOTAL_ROW.match(vntext.key(name)) or (not name and not is_blank(raw_max)):
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
                f"điểm tối đa của tiêu chí \"{code}\" ({'trống' if is_blank(raw_max) else _show(raw_max)}) "
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
            column=column_letter(cols["max"]), value=_show(declared_total),
            expected=_show(total),
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
        parts.append("thêm " + ", ".join(f"{c.code} ({c.name}, {_show(c.max_points)} điểm)"
                                         for c in added))
    if removed:
        parts.append("bỏ " + ", ".join(f"{c.code} ({c.name})" for c in removed))
    if changed:
        parts.append("đổi điểm tối đa " + ", ".join(
            f"{new.code} {_show(old.max_points)} → {_show(new.max_points)}" for old, new in changed
        ))
    return "; ".join(parts)


def _located(issue: Issue, value: Any) -> Issue:
    """Keep the raw value on the issue while the message shows it the Vietnamese way."""
    return replace(issue, value=value)


# --------------------------------------------------------------------------------------------
# Reading one department sheet
# --------------------------------------------------------------------------------------------


class _Seen(NamedTuple):
    """Where a staff ID (or name) was first seen. A tuple, and the cell written only when a
    message needs it: one is kept per person while the files are read."""

    file: str
    sheet: str
    column: str  # letter
    row: int
    staff_id: str = ""

    def where(self, file: str) -> str:
        loc = f"{self.sheet}!{self.column}{self.row}"
        return loc if file == self.file else f"{loc} (tệp {self.file})"


@dataclass
class _Run:
    """State shared by every sheet of one read."""

    regulation: Regulation
    criteria: tuple[Criterion, ...]
    matcher: _Matcher
    criteria_label: str = REGULATION_SOURCE  # "quy chế" or "bảng tiêu chí ở sheet … (file)"
    period: Period | None = None
    ids: dict[str, _Seen] = field(default_factory=dict)
    names: dict[str, _Seen] = field(default_factory=dict)
    departments: dict[str, tuple[str, str]] = field(default_factory=dict)  # key → (file, sheet)
    known_departments: dict[str, str] = field(default_factory=dict)  # key → canonical name
    people: list[Person] = field(default_factory=list)

    @classmethod
    def of(cls, regulation: Regulation, criteria: tuple[Criterion, ...]) -> _Run:
        """A new read under ``regulation``, its departments known by their keys."""
        run = cls(regulation=regulation, criteria=criteria, matcher=_Matcher(criteria))
        run.known_departments = {vntext.key(d): d for d in regulation.organisation.departments}
        return run


class _Layout(NamedTuple):
    """The column plan of a sheet's rows (see _SheetReader.layout)."""

    crit_plan: list[tuple[Criterion, list[_Slot]]]  # criterion, its slots highest level first
    leveled_points: list[tuple[str, list[_Slot]]]  # bonus, deduction, total, rating
    others: list[tuple[FieldSpec, _Slot]]  # the other known columns
    data_cols: list[int]
    base_columns: dict[str, str]  # Person.columns when every field has one column
    single_crit: bool  # every criterion and point field has one column (no levels)


class _SheetReader:
    def __init__(self, run: _Run, file: str, sheet: RawSheet) -> None:
        self.run = run
        self.file = file
        self.sheet = sheet
        self.issues: list[Issue] = []
        self.plan: _Plan | None = None
        self.no_header: _HeaderGuess | None = None  # set when no header row was found
        self.title_period: tuple[Period, str] | None = None
        self.people = 0
        self.department: str | None = None  # the sheet's department (None: a combined sheet)
        # department key → (name, first row, column index or None), in order of appearance
        self.departments_in_sheet: dict[str, tuple[str, int, int | None]] = {}
        # Values that repeat down a column (departments, positions, "Nam"/"Nữ", "x") are read
        # once: (field kind, raw value) → reading.
        self._memo: dict[tuple[str, Any], Any] = {}
        # The sheet's own "Tổng cộng" row (validate compares it; nothing computes with it).
        self.total_row: int | None = None
        self.total_row_cells: tuple[TotalRowCell, ...] = ()
        self._converted: set[tuple[int, int]] = set()  # cells turned from TCVN3/VNI to Unicode
        self._conversions: list[legacy.Conversion] = []  # reported once the header is known
        # The table's columns, transposed once (see table_columns).
        self._columns: tuple[int, list[tuple[Any, ...]]] | None = None

    # -- findings -------------------------------------------------------------------------
    def issue(self, code: str, *, row: int | None = None, col: int | None = None,
              header: str | None = None, value: Any = None, shown: str | None = None,
              severity: Severity | None = None, **params: Any) -> None:
        iss = make_issue(
            code, file=self.file, sheet=self.sheet.name, row=row,
            column=column_letter(col + 1) if col is not None else None, header=header,
            value=shown if shown is not None else value, severity=severity, **params,
        )
        if shown is not None:
            iss = replace(iss, value=value)
        self.issues.append(iss)

    # -- old encodings (TCVN3, VNI) ---------------------------------------------------------
    def convert_legacy_header(self) -> None:
        """Before the header is looked for: cells in a legacy font anywhere in the sheet, and
        the title/header area (first rows) detected by content, row by row. Converted in the
        reader's in-memory rows only; each conversion is reported (legacy-encoding)."""
        sheet = self.sheet
        found: list[legacy.Conversion] = []
        if sheet.legacy_fonts:
            found.extend(legacy.by_font(sheet.legacy_fonts, sheet.value))
        done = {(c.row, c.col) for c in found}
        for r in range(1, min(HEADER_SCAN_ROWS, sheet.max_row) + 1):
            row = sheet.rows[r - 1]
            if not any(v.__class__ is str and not v.isascii() for v in row):
                continue
            found.extend(legacy.by_content(
                (r, c, v) for c, v in enumerate(row, start=1) if (r, c) not in done
            ))
        self._record_conversions(found)

    def convert_legacy_columns(self) -> None:
        """After the header: each text column of the table (names, departments, positions …)
        detected by content as a whole (one old name pasted into a Unicode list is found on
        its own)."""
        plan = self.plan
        if plan is None:
            self._report_conversions(None)
            return
        text_kinds = ("name", "department", "text", "discipline", "gender", "flag", "tristate",
                      "rating")
        name_slot = plan.single("name")
        columns: set[int] = set(name_slot.more) if name_slot is not None else set()
        for key, by_level in plan.slots.items():
            spec = _FIELD.get(key)
            if spec is not None and spec.kind in text_kinds:
                columns.update(slot.index for slot in by_level.values())
        first = plan.bottom + 1
        table = self.table_columns(first)
        found: list[legacy.Conversion] = []
        for i in sorted(columns):
            c = i + 1
            values = table[i]
            # Most columns hold no one-byte text at all: decide on the distinct values first.
            if not legacy.might_convert(set(values)):
                continue
            cells = [
                (r, c, v) for r, v in enumerate(values, start=first)
                if v.__class__ is str and not v.isascii() and (r, c) not in self._converted
            ]
            found.extend(legacy.by_content(cells))
        if found:
            self._columns = None  # the cells converted changed the rows
        self._record_conversions(found)
        self._report_conversions(plan)

    def release_columns(self) -> None:
        """Drop the transposed columns once the rows are read (they hold every cell)."""
        self._columns = None

    def table_columns(self, first: int) -> list[tuple[Any, ...]]:
        """The table's columns from Excel row ``first`` down: ``[i][k]`` is cell (first + k,
        i + 1), "" past the end of a short row. One transposition per sheet, shared by the
        legacy-encoding check and the fast path (the collector is paused while the reader
        runs: 0.07 s for 100,000 rows × 29 columns, a third of one pass per column)."""
        cached = self._columns
        if cached is not None and cached[0] <= first:
            return [col[first - cached[0]:] for col in cached[1]] if first > cached[0] \
                else cached[1]
        assert self.plan is not None
        plan = self.plan
        width = 1 + max([i for by in plan.slots.values() for s in by.values()
                         for i in (s.index, *s.more)], default=-1)
        body = self.sheet.rows[first - 1:]
        if body and min(map(len, body)) < width:
            body = [row if len(row) >= width else [*row, *[""] * (width - len(row))]
                    for row in body]
        if body and len(body[0]) > 2 * width:
            body = [row[:width] for row in body]  # a stray cell far right: not its columns
        columns = list(zip(*body, strict=False))[:width] if body else [() for _ in range(width)]
        self._columns = (first, columns)
        return columns

    # One finding per converted cell, up to this many per sheet; then one per column.
    LEGACY_SHOWN = 20

    def _record_conversions(self, found: list[legacy.Conversion]) -> None:
        legacy.apply(self.sheet.rows, found)
        for conv in found:
            self._converted.add((conv.row, conv.col))
        self._conversions.extend(found)

    def _report_conversions(self, plan: _Plan | None) -> None:
        found = sorted(self._conversions, key=lambda c: (c.row, c.col))
        self._conversions = []
        if not found:
            return
        headers: dict[int, str] = {}
        if plan is not None:
            for by_level in plan.slots.values():
                for slot in by_level.values():
                    headers.setdefault(slot.index, slot.header)
        rest: dict[int, list[legacy.Conversion]] = {}
        for n, conv in enumerate(found, start=1):
            if n > self.LEGACY_SHOWN:
                rest.setdefault(conv.col, []).append(conv)
                continue
            self.issue(
                "legacy-encoding", row=conv.row, col=conv.col - 1,
                header=headers.get(conv.col - 1), value=conv.original,
                encoding=conv.encoding, converted=conv.converted,
                font=conv.basis if conv.basis != legacy.BY_CONTENT
                else "không rõ, nhận ra theo nội dung chữ",
            )
        for col, convs in sorted(rest.items()):
            first = convs[0]
            self.issue(
                "legacy-encoding-many", row=first.row, col=col - 1,
                header=headers.get(col - 1) or column_letter(col), value=first.original,
                count=len(convs), encoding=first.encoding, converted=first.converted,
            )

    # -- header ---------------------------------------------------------------------------
    def find_header(self) -> None:
        sheet, matcher = self.sheet, self.run.matcher
        guesses = _guess_headers(sheet, matcher)
        complete = [g for g in guesses if g.has_id and g.has_name]
        if complete:
            best = max(complete, key=lambda g: (g.hits, -g.row))
            self.plan = self._build_plan(best.row)
        else:
            partial = max(guesses, key=lambda g: (g.hits, -g.row), default=None)
            if partial is not None and partial.hits >= 3:
                # Clearly a header, but the staff ID or the name column is missing: the plan
                # reports it (missing-column) and no row is read.
                self.plan = self._build_plan(partial.row)
                self.plan.complete = False
            else:
                shown = max(guesses, key=lambda g: (len(g.texts), -g.row), default=None)
                self.no_header = shown or _HeaderGuess(0, 0, False, False, [])
                return
        self._find_title_period()

    def _merged_lookup(self, rows: range) -> dict[tuple[int, int], tuple[int, int, int, int]]:
        lookup: dict[tuple[int, int], tuple[int, int, int, int]] = {}
        for rng in self.sheet.merged:
            r1, c1, r2, c2 = rng
            if r2 < rows.start or r1 >= rows.stop:
                continue
            for r in range(max(r1, rows.start), min(r2, rows.stop - 1) + 1):
                for c in range(c1, c2 + 1):
                    lookup[(r, c)] = rng
        return lookup

    def _build_plan(self, h: int) -> _Plan:
        sheet = self.sheet
        level_count = lambda r: sum(  # noqa: E731
            1 for v in (sheet.rows[r - 1] if 1 <= r <= sheet.max_row else ())
            if isinstance(v, str) and _level_of(vntext.clean(v)) is not None
        )
        # A row of level labels right under the header, with the staff ID cell blank there (a
        # data row never has a blank ID and "Hội đồng" in a cell by chance … and when it does,
        # it is still not a header).
        id_col = next((c for c, v in enumerate(sheet.rows[h - 1], start=1)
                       if isinstance(v, str) and self.run.matcher.classify(vntext.clean(v)).field
                       == "staff_id"), 0)
        if level_count(h + 1) and (not id_col or is_blank(sheet.value(h + 1, id_col))):
            top, bottom = h, h + 1
        elif h > 1 and level_count(h):
            top, bottom = h - 1, h
        else:
            top, bottom = h, h
        plan = _Plan(top, bottom)
        merged = self._merged_lookup(range(top, bottom + 1))

        def source_at(r: int, c: int) -> tuple[str, tuple[int, int, int, int] | None]:
            rng = merged.get((r, c))
            if rng is not None:
                return _cell_text(sheet.value(rng[0], rng[1])), rng
            return _cell_text(sheet.value(r, c)), None

        def text_at(r: int, c: int) -> str:
            return source_at(r, c)[0]

        width = max(len(sheet.rows[r - 1]) for r in range(top, bottom + 1))
        width = max([width] + [c for (_, c) in merged])
        warned_groups: set[str] = set()
        # A heading merged across columns (not over assessment levels): its first column holds
        # the field; the others continue it (name parts) or are reported once (merged-header).
        merged_fields: dict[tuple[int, int, int, int], _Slot | None] = {}
        for c in range(1, width + 1):
            if top == bottom:
                text, rng = source_at(top, c)
            else:
                bottom_text, bottom_rng = source_at(bottom, c)
                lvl = _level_of(bottom_text)
                if lvl is not None:
                    group, gcol = text_at(top, c), c
                    if not group:  # an unmerged label stands left of its level columns
                        cc = c - 1
                        while cc >= 1 and not text_at(top, cc) and _level_of(text_at(bottom, cc)):
                            cc -= 1
                        if cc >= 1 and _level_of(text_at(bottom, cc)) is not None:
                            group, gcol = text_at(top, cc), cc
                    top_rng = merged.get((top, c))
                    if top_rng is not None:
                        gcol = top_rng[1]
                    self._register(plan, group, lvl, c, bottom, warned_groups, group_col=gcol)
                    continue
                top_text, top_rng = source_at(top, c)
                text, rng = (bottom_text, bottom_rng) if bottom_text else (top_text, top_rng)
                if bottom_text and top_text and top_text != bottom_text:
                    kinds = self.run.matcher.classify
                    if kinds(bottom_text).kind in ("unknown", "blank") and kinds(
                        top_text
                    ).kind not in ("unknown", "blank"):
                        text, rng = top_text, top_rng
            if rng is not None and rng[3] > rng[1]:  # merged across columns
                if rng in merged_fields:
                    first = merged_fields[rng]
                    if first is not None and first.key == "name":
                        first.more.append(c - 1)
                    elif first is not None:
                        merged_fields[rng] = None
                        self.issue("merged-header", row=rng[0], col=rng[1] - 1, value=text,
                                   header=text)
                    continue
                merged_fields[rng] = self._register(plan, text, None, c, bottom, warned_groups)
                continue
            self._register(plan, text, None, c, bottom, warned_groups)
        self._check_required(plan)
        return plan

    def _register(self, plan: _Plan, text: str, level: AssessmentLevel | None, c: int,
                  header_row: int, warned: set[str], group_col: int | None = None
                  ) -> _Slot | None:
        """Add the column to the plan (or report why not); the new slot, if any."""
        col = c - 1
        letter = column_letter(c)
        match = self.run.matcher.classify(text)
        group_key = f"{group_col or c}:{text}"
        if match.kind == "blank":
            if level is not None and group_key not in warned:
                warned.add(group_key)
                self.issue("unknown-column", row=header_row, col=col, value=level.label,
                           header=level.label, suggestion=" Hãy ghi tên tiêu chí ở ô phía trên.")
            return None
        if match.kind == "field" and match.field is not None:
            spec = _FIELD[match.field]
            if spec.kind == "ignore":
                plan.ignored.add(col)
                return None
            if spec.kind in ("total", "rating"):
                plan.ignored.add(col)
            key = spec.name
            lvl = level if spec.leveled else None
            shown = text if level is None else f"{text} – {level.label}"
        elif match.kind == "criterion" and match.criterion is not None:
            crit = match.criterion
            key = f"criterion:{crit.code}"
            lvl = level
            shown = text if level is None else f"{text} – {level.label}"
            if (match.sheet_max is not None and abs(match.sheet_max - crit.max_points) > 1e-9
                    and group_key not in warned):
                warned.add(group_key)
                self.issue("criterion-max-differs", row=header_row - (1 if level else 0), col=col,
                           header=text, sheet_max=_show(match.sheet_max),
                           criterion=f"{crit.code} – {crit.name}",
                           max_points=_show(crit.max_points), source=self.run.criteria_label)
        elif match.kind == "level":
            self.issue("unknown-column", row=header_row, col=col, value=text, header=text,
                       suggestion=" Cột mức chấm phải nằm dưới ô tên tiêu chí (tiêu đề hai dòng).")
            return None
        elif match.kind == "like-criterion" or level is not None:
            if group_key not in warned:
                warned.add(group_key)
                self.issue("criterion-not-in-regulation",
                           row=header_row - (1 if level else 0), col=col, value=text, header=text,
                           suggestion=self.run.matcher.index.suggestion(text))
            return None
        else:
            self.issue("unknown-column", row=header_row, col=col, value=text, header=text,
                       suggestion=self.run.matcher.column_suggestion(text))
            return None
        by_level = plan.slots.setdefault(key, {})
        clash = by_level.get(lvl) or (
            next(iter(by_level.values())) if by_level and (lvl is None) != (None in by_level)
            else None
        )
        if clash is not None:
            self.issue("duplicate-column", row=header_row, col=col, value=shown, header=shown,
                       first=clash.letter, second=letter)
            return None
        slot = _Slot(key, lvl, col, letter, shown,
                     match.criterion if match.kind == "criterion" else None)
        by_level[lvl] = slot
        return slot

    def _check_required(self, plan: _Plan) -> None:
        if plan.complete:
            # The header row named both, but a column may have been lost (a duplicate, an odd
            # two-row header): without them no row can be read.
            for fname in ("staff_id", "name"):
                if fname not in plan.slots:
                    plan.complete = False
                    self.issue("missing-column", row=plan.bottom,
                               column_name=_FIELD[fname].label, header_row=plan.bottom)
        if "department" not in plan.slots:
            if _GENERIC_SHEET.match(vntext.fold(self.sheet.name)):
                plan.complete = False
                self.issue("missing-column", row=plan.bottom,
                           column_name=_FIELD["department"].label + " (sheet \"" + self.sheet.name
                           + "\" không mang tên một khoa/phòng)",
                           header_row=plan.bottom)
            else:
                self.department = self._canonical_department(vntext.clean(self.sheet.name))
        for crit in self.run.criteria:
            if f"criterion:{crit.code}" not in plan.slots:
                self.issue("missing-criterion-column", row=plan.bottom,
                           criterion=f"{crit.code} – {crit.name}",
                           max_points=_show(crit.max_points))

    def _canonical_department(self, name: str) -> str:
        known = self.run.known_departments
        if not known:
            return name
        hit = known.get(vntext.key(name))
        if hit is None:
            hit = known.get(vntext.key(_LEADING_NUMBER.sub("", name)))
        return hit or name

    def _find_title_period(self) -> None:
        assert self.plan is not None
        for r in range(1, self.plan.top):
            for c, v in enumerate(self.sheet.rows[r - 1], start=1):
                if isinstance(v, str) and v:
                    found = find_period(v)
                    if found is not None:
                        self.title_period = (
                            found, f"dòng tiêu đề sheet \"{self.sheet.name}\" ô {column_letter(c)}{r}"
                        )
                        return

    # -- rows -----------------------------------------------------------------------------
    def layout(self) -> _Layout:
        """Which columns feed which Person field, from the plan."""
        plan = self.plan
        assert plan is not None
        id_slot, name_slot = plan.single("staff_id"), plan.single("name")
        assert id_slot is not None and name_slot is not None
        id_letter, name_letter, name_more = id_slot.letter, name_slot.letter, name_slot.more
        dept_slot = plan.single("department")
        run = self.run
        # Criteria: (criterion, [(level, slot)] highest priority first).
        crit_plan: list[tuple[Criterion, list[_Slot]]] = []
        for crit in run.criteria:
            by_level = plan.slots.get(f"criterion:{crit.code}")
            if by_level:
                ordered = sorted(by_level.values(),
                                 key=lambda s: -(s.level.priority if s.level else 2))
                crit_plan.append((crit, ordered))
        leveled_points = []
        for key in ("bonus", "deduction", "sheet_total", "sheet_rating"):
            by_level = plan.slots.get(key)
            if by_level:
                ordered = sorted(by_level.values(),
                                 key=lambda s: -(s.level.priority if s.level else 2))
                leveled_points.append((key, ordered))
        others = [
            (spec, plan.slots[spec.name][None])
            for spec in FIELDS
            if spec.name in plan.slots and None in plan.slots[spec.name]
            and spec.name not in ("staff_id", "name", "department", "bonus", "deduction",
                                  "sheet_total", "sheet_rating")
        ]
        data_cols = sorted(
            ({s.index for by in plan.slots.values() for s in by.values()} | set(name_more))
            - plan.ignored
        )
        base_columns: dict[str, str] = {"staff_id": id_letter, "name": name_letter}
        if dept_slot:
            base_columns["department"] = dept_slot.letter
        for spec, slot in others:
            base_columns[spec.name] = slot.letter
        for key, slots in leveled_points:
            if len(slots) == 1:
                base_columns[key] = slots[0].letter
        single_crit = all(len(slots) == 1 for _, slots in crit_plan) and all(
            len(slots) == 1 for _, slots in leveled_points
        )
        if single_crit:
            for crit, slots in crit_plan:
                base_columns[f"criterion:{crit.code}"] = slots[0].letter
            for key, slots in leveled_points:
                base_columns[key] = slots[0].letter
        return _Layout(crit_plan, leveled_points, others, data_cols, base_columns,
                       single_crit)

    def read_rows(self) -> None:
        plan = self.plan
        assert plan is not None
        if not plan.complete:
            return
        run, sheet, file = self.run, self.sheet, self.file
        regulation = run.regulation
        rows = sheet.rows
        nrows = len(rows)
        id_slot = plan.single("staff_id")
        name_slot = plan.single("name")
        assert id_slot is not None and name_slot is not None
        id_i, name_i = id_slot.index, name_slot.index
        id_letter, name_letter = id_slot.letter, name_slot.letter
        name_more = name_slot.more
        dept_slot = plan.single("department")
        dept_i = dept_slot.index if dept_slot else -1
        # The header's own texts, to skip the header repeated on a printed page.
        header_id_raw = sheet.value(plan.top, id_i + 1) or sheet.value(plan.bottom, id_i + 1)
        header_name_raw = sheet.value(plan.top, name_i + 1) or sheet.value(plan.bottom,
                                                                             name_i + 1)

        layout = self.layout()
        crit_plan, leveled_points, others = (layout.crit_plan, layout.leveled_points,
                                             layout.others)
        data_cols, base_columns, single_crit = (layout.data_cols, layout.base_columns,
                                                layout.single_crit)

        # Facts calamine cannot see, grouped by row once (cell lookups stay O(1) per row).
        bad_by_row: dict[int, dict[int, tuple[str, str]]] = {}
        for (r, c), err in sheet.errors.items():
            bad_by_row.setdefault(r, {})[c - 1] = ("error-value", err)
        for (r, c), formula in sheet.formulas_without_value.items():
            bad_by_row.setdefault(r, {}).setdefault(c - 1, ("formula-without-value", formula))
        struck_rows = {r for (r, c) in sheet.struck_cells if c - 1 in (id_i, name_i)}
        hidden_rows = sheet.hidden_rows
        fill: dict[tuple[int, int], Any] = {}
        fill_cols = {s.index for k in ("department", "peer_group", "is_manager", "position")
                     for s in plan.slots.get(k, {}).values()}
        for r1, c1, r2, c2 in sheet.merged:
            if r2 > r1 and r1 > plan.bottom:
                for c in range(c1, c2 + 1):
                    if c - 1 in fill_cols:
                        top_value = sheet.value(r1, c1)
                        for r in range(r1 + 1, r2 + 1):
                            fill[(r, c - 1)] = top_value

        count_hidden = regulation.validation.count_hidden_rows
        count_struck = regulation.validation.count_struck_rows
        blank_is_zero = regulation.validation.blank_score_is_zero
        period = run.period
        max_leave = (period.working_days() if period is not None
                     else regulation.validation.max_leave_days_year)
        dates_text_late: tuple[str, int] | None = None  # (example, row) of a dd/mm text, day > 12
        dates_real_early: list[tuple[int, int, date]] = []  # (row, col, date) real, day ≤ 12
        departments = self.departments_in_sheet
        same_name = regulation.validation.same_name_warning
        issue = self.issue
        sheet_name = sheet.name
        memo = self._memo
        dept_names_seen: set[str] = set()

        start = plan.bottom + 1
        # A row of column numbers "1 2 3 …" or "(1) (2) (3)" right under the header.
        if start <= nrows and self._is_numbering_row(rows[start - 1], id_i, name_i):
            start += 1

        # Plain rows are read column by column beforehand (see "The fast path"); this loop
        # keeps their order-dependent part, the same steps as at the end of the per-row code.
        fast = _fast_rows(
            self, start, nrows, crit_plan=crit_plan, leveled_points=leveled_points,
            others=others, base_columns=base_columns, single_crit=single_crit,
            slow_rows=chain(bad_by_row, hidden_rows, struck_rows), fill=fill,
            header_id_raw=header_id_raw, max_leave=max_leave, same_name=same_name,
        ) if _FAST_PATH else None
        fast_ok = fast.ok if fast is not None else None
        fast_next = start  # the rows before it were read by the fast path
        date_slot = plan.single("recruited_on")
        date_i = date_slot.index if date_slot is not None else -1

        for r in range(start, nrows + 1):
            if fast_ok is not None and fast_ok[r - start]:
                if r >= fast_next:
                    assert fast is not None
                    fast_next = start + self._admit_fast(
                        fast, r - start, start, dept_i=dept_i, date_i=date_i,
                        dept_names_seen=dept_names_seen, dates_real_early=dates_real_early)
                continue
            row = rows[r - 1]
            n = len(row)
            if not n:
                continue
            id_v = row[id_i] if id_i < n else ""
            name_v = row[name_i] if name_i < n else ""
            id_blank = id_v == "" or (id_v.__class__ is not float and is_blank(id_v))
            # The table ends at a total row ("Tổng cộng" in the first filled cell) or, when
            # the staff ID is blank, at a signature block.
            if id_blank:
                first = next((v for v in row if v != "" and not is_blank(v)), None)
                if first is None:
                    continue
                if isinstance(first, str):
                    k = vntext.key(first)
                    if _TOTAL_ROW.match(k):
                        self.total_row = r
                        break
                    if _SIGNATURE.match(k):
                        break
            elif _ends_table(row, id_i, id_v):
                self.total_row = r
                break
            bad = bad_by_row.get(r)
            if id_blank and (name_v == "" or is_blank(name_v)) and not any(
                (j < n and not is_blank(row[j])) or (bad is not None and j in bad)
                for j in data_cols
            ):
                continue  # STT or a formula total alone: not a person
            if header_id_raw != "" and id_v == header_id_raw and name_v == header_name_raw:
                continue  # the header repeated (printed page headers)
            if r in hidden_rows:
                issue("hidden-row-with-data", row=r,
                      counted="vẫn được tính" if count_hidden else "không được tính (bỏ qua)")
                if not count_hidden:
                    continue
            if r in struck_rows:
                issue("strike-through-row", row=r,
                      counted="vẫn được tính" if count_struck else "không được tính (bỏ qua)")
                if not count_struck:
                    continue

            # -- identity -----------------------------------------------------------------
            staff_id = "" if id_blank else _staff_id(id_v)
            name = _text(name_v)
            if name_more:
                name = " ".join(
                    p for p in [name, *(_text(row[j]) for j in name_more if j < n)] if p
                )
            if id_v == "" and bad is not None and id_i in bad:
                self._bad_cell(r, id_i, id_slot.header, bad[id_i])
            if not staff_id:
                issue("missing-staff-id", row=r, col=id_i, header=id_slot.header)
            if not name:
                issue("missing-name", row=r, col=name_i, header=name_slot.header,
                      staff_id=staff_id)
            if dept_i >= 0:
                dv = row[dept_i] if dept_i < n else ""
                if is_blank(dv):
                    dv = fill.get((r, dept_i), "")
                memo_key = ("department", dv)
                department = memo.get(memo_key)
                if department is None:
                    department = memo[memo_key] = self._canonical_department(_text(dv))
                if not department:
                    issue("missing-department", row=r, col=dept_i, header=dept_slot.header
                          if dept_slot else None, staff_id=staff_id)
            else:
                department = self.department or ""
            if department and department not in dept_names_seen:
                dept_names_seen.add(department)
                dkey = vntext.key(department)
                if dkey not in departments:
                    departments[dkey] = (department, r, dept_i if dept_i >= 0 else None)

            # -- criteria -----------------------------------------------------------------
            scores: dict[str, float] = {}
            levels: dict[str, AssessmentLevel] = {}
            columns = base_columns if single_crit else dict(base_columns)
            for crit, slots in crit_plan:
                mx = crit.max_points
                code = crit.code
                if len(slots) == 1:
                    slot = slots[0]
                    i = slot.index
                    v = row[i] if i < n else ""
                    if (type(v) is float or type(v) is int) and 0 <= v <= mx:
                        scores[code] = float(v)
                        levels[code] = slot.level or AssessmentLevel.DEPARTMENT
                        continue
                    value = self._score_cell(r, slot, v, bad, mx)
                    if value is None:
                        if (v == "" or is_blank(v)) and (bad is None or i not in bad):
                            if blank_is_zero:
                                scores[code] = 0.0
                                levels[code] = slot.level or AssessmentLevel.DEPARTMENT
                                continue
                            issue("missing-score", row=r, col=i, header=slot.header,
                                  criterion=f"{code} – {crit.name}", cells="ô")
                        scores[code] = 0.0
                    else:
                        scores[code] = value
                        levels[code] = slot.level or AssessmentLevel.DEPARTMENT
                    continue
                chosen = self._leveled(r, row, n, bad, slots, mx, code)
                if chosen is None:
                    if blank_is_zero and not self._any_bad(row, n, bad, slots):
                        scores[code] = 0.0
                        levels[code] = slots[0].level or AssessmentLevel.DEPARTMENT
                        columns[f"criterion:{code}"] = slots[0].letter
                        continue
                    if not self._any_present(row, n, bad, slots):
                        issue("missing-score", row=r, col=slots[0].index, header=slots[0].header,
                              criterion=f"{code} – {crit.name}",
                              cells="các ô " + ", ".join(
                                  f"{s.level.label if s.level else s.header} ({s.letter}{r})"
                                  for s in slots))
                    scores[code] = 0.0
                    columns[f"criterion:{code}"] = slots[0].letter
                    continue
                value, slot = chosen
                scores[code] = value
                levels[code] = slot.level or AssessmentLevel.DEPARTMENT
                columns[f"criterion:{code}"] = slot.letter

            # -- bonus, deduction, the sheet's own total and rating -------------------------
            extra: dict[str, Any] = {}
            for key, slots in leveled_points:
                if len(slots) == 1:
                    i = slots[0].index
                    v = row[i] if i < n else ""
                    if v.__class__ is float and key != "sheet_rating" and (
                            v >= 0 or key == "sheet_total"):
                        extra[key] = v
                        continue
                    if v == "" and (bad is None or i not in bad):
                        continue
                value_any = self._points_field(r, row, n, bad, key, slots, columns)
                if value_any is not None:
                    extra[key] = value_any

            # -- the other columns ----------------------------------------------------------
            for spec, slot in others:
                i = slot.index
                v = row[i] if i < n else ""
                if v == "" or (v.__class__ is str and is_blank(v)) or v is None:
                    if (r, i) in fill:
                        v = fill[(r, i)]
                    elif bad is not None and i in bad:
                        self._bad_cell(r, i, slot.header, bad[i],
                                       severity=None if spec.kind not in ("text",) else
                                       Severity.WARNING)
                        continue
                    else:
                        continue
                kind = spec.kind
                if kind == "text":
                    memo_key = ("text", v)
                    text = memo.get(memo_key)
                    if text is None:
                        text = memo[memo_key] = _text(v)
                    extra[spec.name] = text
                elif kind == "flag" or kind == "tristate":
                    memo_key = ("flag", v)
                    flag = memo.get(memo_key)
                    if flag is None and memo_key not in memo:
                        flag = memo[memo_key] = _parse_flag(v)
                    if flag == "?":
                        issue("unknown-flag-value", row=r, col=i, header=slot.header, value=v,
                              shown=_show(v))
                    elif flag is not None:
                        extra[spec.name] = flag
                elif kind == "gender":
                    memo_key = ("gender", v)
                    gender = memo.get(memo_key)
                    if gender is None and memo_key not in memo:
                        gender = memo[memo_key] = _parse_gender(v)
                    if gender is None:
                        issue("unknown-gender", row=r, col=i, header=slot.header, value=v,
                              shown=_show(v))
                    else:
                        extra[spec.name] = gender
                elif kind == "date":
                    d, as_text = _parse_date(v)
                    if d is None:
                        issue("invalid-date", row=r, col=i, header=slot.header, value=v,
                              shown=_show(v))
                    else:
                        extra[spec.name] = d
                        if as_text and d.day > 12 and dates_text_late is None:
                            dates_text_late = (vntext.clean(v), r)
                        elif not as_text and d.day <= 12 and isinstance(v, (date, datetime)):
                            dates_real_early.append((r, i, d))
                elif kind == "discipline":
                    memo_key = ("discipline", v)
                    disc = memo.get(memo_key)
                    if disc is None and memo_key not in memo:
                        disc = memo[memo_key] = _parse_discipline(v)
                    if disc == "?":
                        issue("unknown-discipline-level", row=r, col=i, header=slot.header,
                              value=v, shown=_show(v))
                    elif disc is not None:
                        extra[spec.name] = disc
                else:  # "leave", "days", "count": numbers
                    num = self._number(r, slot, v)
                    if num is None:
                        continue
                    if kind == "leave":
                        if num < 0 or num > max_leave:
                            issue("leave-days-out-of-range", row=r, col=i, header=slot.header,
                                  value=v, shown=_show(v), maximum=_show(max_leave))
                            continue
                    elif num < 0:
                        issue("negative-number", row=r, col=i, header=slot.header, value=v,
                              shown=_show(v))
                        continue
                    if kind == "count":
                        if not float(num).is_integer():
                            issue("not-a-number", row=r, col=i, header=slot.header, value=v,
                                  shown=_show(v))
                            continue
                        extra[spec.name] = int(num)
                    else:
                        extra[spec.name] = float(num)

            # -- duplicates across sheets and files -------------------------------------------
            if staff_id:
                idk = staff_id.casefold()
                seen = run.ids.get(idk)
                if seen is not None:
                    issue("duplicate-staff-id", row=r, col=id_i, header=id_slot.header,
                          value=staff_id, other=seen.where(file))
                    continue
                run.ids[idk] = _Seen(file, sheet_name, id_letter, r, staff_id)
                if name and same_name:
                    nk = vntext.key(name)
                    other = run.names.get(nk)
                    if other is None:
                        run.names[nk] = _Seen(file, sheet_name, name_letter, r, staff_id)
                    elif other.staff_id.casefold() != idk:
                        issue("same-name-different-id", row=r, col=name_i,
                              header=name_slot.header, value=name,
                              other=f"{other.where(file)} (mã {other.staff_id})")
            if not staff_id or not name:
                continue

            run.people.append(Person(
                staff_id=staff_id,
                name=name,
                department=department,
                source=SourceRow(file, sheet_name, r),
                scores=scores,
                score_levels=levels,
                columns=columns,
                **extra,
            ))
            self.people += 1

        if self.total_row is not None:
            self._read_total_row(start, crit_plan, leveled_points, bad_by_row)

        if dates_text_late is not None and dates_real_early:
            example, _ = dates_text_late
            date_slot = plan.single("recruited_on")
            for r, i, d in dates_real_early:
                issue("mixed-date-format", row=r, col=i,
                      header=date_slot.header if date_slot else None,
                      value=d, shown=d.strftime("%d/%m/%Y"), example=example)

    def _admit_fast(self, fast: _FastRows, k0: int, start: int, *, dept_i: int, date_i: int,
                    dept_names_seen: set[str],
                    dates_real_early: list[tuple[int, int, date]]) -> int:
        """The order-dependent part of reading the plain rows ``start + k0`` … up to the next
        row the per-row code reads: the same steps, in the same order, as at the end of the
        per-row code (departments first seen, dates for mixed-date-format, duplicate staff IDs,
        same names). Done for the whole run at once when no staff ID in it was seen before,
        row by row otherwise. Returns the index after the run."""
        try:
            k1 = fast.ok.index(False, k0)
        except ValueError:
            k1 = len(fast.ok)
        run, plan = self.run, self.plan
        assert plan is not None
        id_slot, name_slot = plan.single("staff_id"), plan.single("name")
        assert id_slot is not None and name_slot is not None
        file, sheet_name = self.file, self.sheet.name
        ids, id_keys, name_keys = fast.staff_ids, fast.id_keys, fast.name_keys
        rows = range(k0, k1)

        keys = id_keys[k0:k1]
        if len(set(keys)) < len(keys) or not run.ids.keys().isdisjoint(keys):
            for k in rows:  # a staff ID seen before: row by row, as the per-row code
                r = start + k
                self._first_seen(fast.departments[k] if fast.departments is not None
                                 else self.department or "", r, dept_i, dept_names_seen)
                if fast.dates is not None and fast.dates[k] is not None:
                    dates_real_early.append((r, date_i, fast.dates[k]))  # type: ignore[arg-type]
                seen = run.ids.get(id_keys[k])
                if seen is not None:
                    self.issue("duplicate-staff-id", row=r, col=id_slot.index,
                               header=id_slot.header, value=ids[k], other=seen.where(file))
                    continue
                run.ids[id_keys[k]] = _Seen(file, sheet_name, id_slot.letter, r, ids[k])
                if name_keys is not None:
                    other = run.names.get(name_keys[k])
                    if other is None:
                        run.names[name_keys[k]] = _Seen(file, sheet_name, name_slot.letter, r,
                                                        ids[k])
                    elif other.staff_id.casefold() != id_keys[k]:
                        self.issue("same-name-different-id", row=r, col=name_slot.index,
                                   header=name_slot.header, value=fast.names[k],
                                   other=f"{other.where(file)} (mã {other.staff_id})")
                run.people.append(fast.person(k))
                self.people += 1
            return k1

        # No duplicate staff ID: every row is a person. The only findings possible are
        # same-name-different-id, for the rows whose name was seen before (in row order).
        self._first_departments(fast, k0, k1, start, dept_i, dept_names_seen)
        if fast.dates is not None:
            dates_real_early.extend((start + k, date_i, d) for k, d in
                                    zip(rows, fast.dates[k0:k1], strict=True) if d is not None)
        run.ids.update(zip(keys, map(_Seen, repeat(file), repeat(sheet_name),
                                     repeat(id_slot.letter), range(start + k0, start + k1),
                                     ids[k0:k1]), strict=True))
        self._same_names(fast, k0, k1, start)
        run.people.extend(fast.people(k0, k1))
        self.people += k1 - k0
        return k1

    def _first_seen(self, department: str, row: int, dept_i: int, seen: set[str]) -> None:
        """Note a department the first time a row names it (departments_in_sheet, in order)."""
        if department and department not in seen:
            seen.add(department)
            dkey = vntext.key(department)
            if dkey not in self.departments_in_sheet:
                self.departments_in_sheet[dkey] = (department, row,
                                                   dept_i if dept_i >= 0 else None)

    def _first_departments(self, fast: _FastRows, k0: int, k1: int, start: int, dept_i: int,
                           seen: set[str]) -> None:
        """_first_seen for the rows ``start + k0`` … of ``fast``, each department once."""
        if fast.departments is None:
            self._first_seen(self.department or "", start + k0, dept_i, seen)
            return
        depts = fast.departments
        for department in dict.fromkeys(depts[k0:k1]):
            self._first_seen(department, start + depts.index(department, k0, k1), dept_i, seen)

    def _same_names(self, fast: _FastRows, k0: int, k1: int, start: int) -> None:
        """same-name-different-id for the rows ``start + k0`` … of ``fast``, none of whose
        staff IDs was seen before: a row whose name was seen before (in an earlier sheet or
        row) under another ID, in row order; the names are noted in ``run.names`` for the
        sheets read after."""
        name_keys = fast.name_keys
        if name_keys is None:
            return
        plan = self.plan
        assert plan is not None
        name_slot = plan.single("name")
        assert name_slot is not None
        file, sheet_name, ids = self.file, self.sheet.name, fast.staff_ids
        names = self.run.names
        rows = range(k0, k1)
        run_keys = name_keys[k0:k1]
        first = dict(zip(reversed(run_keys), reversed(rows), strict=True))  # key → 1st row
        again = [k for k, key in zip(rows, run_keys, strict=True)
                 if first[key] != k or key in names]
        for k in again:
            key = name_keys[k]
            other = names.get(key)
            if other is None:
                j = first[key]
                other = _Seen(file, sheet_name, name_slot.letter, start + j, ids[j])
            if other.staff_id.casefold() != fast.id_keys[k]:
                self.issue("same-name-different-id", row=start + k, col=name_slot.index,
                           header=name_slot.header, value=fast.names[k],
                           other=f"{other.where(file)} (mã {other.staff_id})")
        names.update((key, _Seen(file, sheet_name, name_slot.letter, start + k, ids[k]))
                     for key, k in first.items() if key not in names)

    def _read_total_row(self, start: int, crit_plan: Sequence[tuple[Criterion, list[_Slot]]],
                        leveled_points: Sequence[tuple[str, list[_Slot]]],
                        bad_by_row: dict[int, dict[int, tuple[str, str]]]) -> None:
        """The "Tổng cộng" row under each score column, with the sum of that column over the
        table's rows (text numbers counted: Excel's SUM skips them, which is the point).
        An error or an uncalculated formula in it is a warning: it never enters a total."""
        total_row = self.total_row
        assert total_row is not None
        rows = self.sheet.rows
        row = rows[total_row - 1]
        bad = bad_by_row.get(total_row) or {}
        slots: list[tuple[str, _Slot]] = []
        for crit, crit_slots in crit_plan:
            slots.extend((f"criterion:{crit.code}", s) for s in crit_slots)
        for key, key_slots in leveled_points:
            if key == "sheet_rating":
                continue
            for s in key_slots:
                level = "" if len(key_slots) == 1 or s.level is None else f":{s.level.value}"
                slots.append((key + level, s))
        cells: list[TotalRowCell] = []
        for key, slot in slots:
            i = slot.index
            v = row[i] if i < len(row) else ""
            if v == "" or is_blank(v):
                if i in bad:
                    self._bad_cell(total_row, i, slot.header, bad[i], severity=Severity.WARNING)
                continue
            column_sum = 0.0
            for r in range(start, total_row):
                data = rows[r - 1]
                if i < len(data):
                    x = data[i]
                    if x.__class__ is float or x.__class__ is int:
                        column_sum += x
                    elif x.__class__ is str and x:
                        parsed = parse_number(x)
                        if isinstance(parsed, ParsedNumber):
                            column_sum += parsed.value
            cells.append(TotalRowCell(slot.letter, slot.header, key, v, column_sum))
        self.total_row_cells = tuple(cells)

    @staticmethod
    def _is_numbering_row(row: Sequence[Any], id_i: int, name_i: int) -> bool:
        def numbering(v: Any) -> bool:
            if isinstance(v, bool):
                return False
            if isinstance(v, (int, float)):
                return float(v).is_integer() and 0 < v < 1000
            return isinstance(v, str) and bool(_NUMBERING.match(v.strip()))

        n = len(row)
        return (id_i < n and name_i < n and numbering(row[id_i]) and numbering(row[name_i]))

    def _bad_cell(self, r: int, i: int, header: str, bad: tuple[str, str],
                  severity: Severity | None = None) -> None:
        code, text = bad
        if code == "error-value":
            formula = self.sheet.formulas_without_value.get((r, i + 1))
            self.issue(code, row=r, col=i, header=header, value=text, severity=severity,
                       formula_part=f" (công thức {formula})" if formula else "")
        else:
            self.issue(code, row=r, col=i, header=header, value=text, severity=severity,
                       formula=text)

    def _number(self, r: int, slot: _Slot, v: Any,
                severity: Severity | None = None) -> float | None:
        """A number cell other than a criterion; findings for text numbers and non-numbers."""
        parsed = parse_number(v)
        if isinstance(parsed, ParsedNumber):
            if parsed.from_text:
                self.issue("number-stored-as-text", row=r, col=slot.index, header=slot.header,
                           value=v, number=_show(parsed.value))
            return parsed.value
        self._number_problem(r, slot, v, parsed, severity)
        return None

    def _number_problem(self, r: int, slot: _Slot, v: Any, problem: NumberProblem,
                        severity: Severity | None = None) -> None:
        if problem.code == "ambiguous-decimal" and problem.readings:
            self.issue("ambiguous-decimal", row=r, col=slot.index, header=slot.header, value=v,
                       reading_a=problem.readings[0], reading_b=problem.readings[1],
                       severity=severity)
        elif problem.code != "blank":
            self.issue("not-a-number", row=r, col=slot.index, header=slot.header, value=v,
                       shown=_show(v), severity=severity)

    def _score_cell(self, r: int, slot: _Slot, v: Any, bad: dict[int, tuple[str, str]] | None,
                    mx: float) -> float | None:
        """A criterion cell off the fast path: text numbers, problems, range checks. None when
        the cell is blank or not a usable score (its finding is recorded)."""
        if v == "" or is_blank(v):
            if bad is not None and slot.index in bad:
                self._bad_cell(r, slot.index, slot.header, bad[slot.index])
            return None
        parsed = parse_number(v)
        if not isinstance(parsed, ParsedNumber):
            self._number_problem(r, slot, v, parsed)
            return None
        value = parsed.value
        if parsed.from_text:
            self.issue("number-stored-as-text", row=r, col=slot.index, header=slot.header,
                       value=v, number=_show(value))
        if value < 0:
            self.issue("negative-score", row=r, col=slot.index, header=slot.header, value=v,
                       shown=_show(value))
            return None
        if value > mx:
            self.issue("above-maximum", row=r, col=slot.index, header=slot.header, value=v,
                       shown=_show(value), max_points=_show(mx))
            return None
        return value

    @staticmethod
    def _any_bad(row: Sequence[Any], n: int, bad: dict[int, tuple[str, str]] | None,
                 slots: Sequence[_Slot]) -> bool:
        return bad is not None and any(s.index in bad for s in slots)

    @staticmethod
    def _any_present(row: Sequence[Any], n: int, bad: dict[int, tuple[str, str]] | None,
                     slots: Sequence[_Slot]) -> bool:
        return any(
            (s.index < n and not is_blank(row[s.index])) or (bad is not None and s.index in bad)
            for s in slots
        )

    def _leveled(self, r: int, row: Sequence[Any], n: int,
                 bad: dict[int, tuple[str, str]] | None, slots: Sequence[_Slot], mx: float,
                 code: str) -> tuple[float, _Slot] | None:
        """The counting cell of a criterion with assessment levels (decisions.md "Scoring"):
        the highest level whose cell is not blank counts; every non-blank level cell is checked.
        A count from "Tự chấm" (the department left its cell blank) is reported."""
        chosen: tuple[float, _Slot] | None = None
        decided = False  # the counting level is the first non-blank one, even if invalid
        for slot in slots:
            i = slot.index
            v = row[i] if i < n else ""
            if (type(v) is float or type(v) is int) and 0 <= v <= mx:
                value: float | None = float(v)
            else:
                if (v == "" or is_blank(v)) and (bad is None or i not in bad):
                    continue
                value = self._score_cell(r, slot, v, bad, mx)
            if not decided:
                decided = True
                if value is not None:
                    chosen = (value, slot)
        if chosen is not None and chosen[1].level is AssessmentLevel.SELF:
            slot = chosen[1]
            self.issue("self-assessment-fallback", row=r, col=slot.index, header=slot.header,
                       value=chosen[0], shown=_show(chosen[0]), criterion=code)
        return chosen

    def _points_field(self, r: int, row: Sequence[Any], n: int,
                      bad: dict[int, tuple[str, str]] | None, key: str,
                      slots: Sequence[_Slot], columns: dict[str, str]) -> Any:
        """Bonus/deduction (≥ 0; blank = 0), the sheet's total (compared later, never used) and
        rating (text). Problems in the sheet's own total and rating are warnings: those cells
        never enter a computation."""
        informative = key in ("sheet_total", "sheet_rating")
        severity = Severity.WARNING if informative else None
        for slot in slots:
            i = slot.index
            v = row[i] if i < n else ""
            if v == "" or is_blank(v):
                if bad is not None and i in bad:
                    self._bad_cell(r, i, slot.header, bad[i], severity=severity)
                    if len(slots) > 1:
                        columns[key] = slot.letter
                    return None
                continue
            if len(slots) > 1:
                columns[key] = slot.letter
            if key == "sheet_rating":
                return _text(v)
            if type(v) is float or type(v) is int:
                value: float | None = float(v)
            else:
                value = self._number(r, slot, v, severity=severity)
                if value is None:
                    return None
            assert value is not None
            if key != "sheet_total" and value < 0:
                self.issue("negative-score", row=r, col=i, header=slot.header, value=v,
                           shown=_show(value))
                return None
            if slot.level is AssessmentLevel.SELF and len(slots) > 1 and not informative:
                self.issue("self-assessment-fallback", row=r, col=i, header=slot.header,
                           value=value, shown=_show(value), criterion=_FIELD[key].label)
            return value
        return None


# --------------------------------------------------------------------------------------------
# The fast path: whole columns at once
# --------------------------------------------------------------------------------------------
#
# ``read_rows`` visits rows one at a time because what a row means depends on the rows before
# it (the first row of a staff ID wins, the table ends at its total row). Most rows of a real
# sheet are plain, though: numbers within range, known words, nothing to report. Their readings
# are computed beforehand, column by column, where builtins (``zip``, ``map``, ``min``, ``max``,
# ``str.join``) do the work at C speed; the row loop then only does the order-dependent part
# for them (duplicates, departments). A row with anything unusual (a blank or text number, a
# value out of range, an unknown word, a hidden or struck row, an error cell, a possible total
# row) is left to the per-row code, which stays the reference: the findings are exactly the
# same codes, cells, messages and order (tests/io/test_reader_fast.py compares both paths on
# fuzzed sheets).

_FAST_PATH = True  # tests turn it off to compare with the per-row code
_SLOW: Any = object()  # marks a cell (hence its row) for the per-row code
_PERSON_FIELD_SPECS = {f.name: f for f in fields(Person)}
_PERSON_FIELDS: tuple[str, ...] = tuple(_PERSON_FIELD_SPECS)
_PERSON_DEFAULTS: dict[str, Any] = {
    f.name: f.default for f in _PERSON_FIELD_SPECS.values() if f.default is not MISSING
}
_SEP = "\x00"  # joins texts for one C-speed pass; never inside a cell (checked each time)
_SPACE_RUN = re.compile(" {2,}")


def _person_factory() -> Callable[..., Person]:
    """``Person(*values)``, without the frozen dataclass ``__init__`` when that changes nothing.

    A frozen dataclass sets each of Person's 24 fields through ``object.__setattr__``: 2.1 µs
    a person, 0.21 s for 100,000. Filling the instance dictionary in one call gives the very
    same object (equality, repr, pickling, ``dataclasses.replace``) in 0.9 µs; it is only used
    while Person has no ``__post_init__`` and keeps a ``__dict__`` (no slots)."""
    if "__post_init__" in vars(Person) or "__slots__" in vars(Person):
        return Person
    new = object.__new__
    names = _PERSON_FIELDS

    def make(*values: Any) -> Person:
        person = new(Person)
        person.__dict__.update(zip(names, values, strict=True))
        return person

    return make


_new_person = _person_factory()


def _joinable(texts: Sequence[str]) -> str | None:
    """The texts joined by NUL, or None when one of them holds a NUL itself."""
    blob = _SEP.join(texts)
    return blob if blob.count(_SEP) == len(texts) - 1 else None


def _plain(texts: Sequence[str], blob: str) -> bool:
    """True when ``vntext.clean`` can only strip and collapse ASCII spaces in these texts: no
    invisible character, no other kind of space (both are "not printable") and NFC already."""
    return all(map(str.isprintable, texts)) and unicodedata.is_normalized("NFC", blob)


def _clean_all(texts: Sequence[str]) -> list[str]:
    """``[vntext.clean(t) for t in texts]`` in a few passes over one joined string.

    Exact because every step of ``clean`` works within a text: NUL composes with nothing under
    NFC, is neither a space nor invisible, so the runs of spaces collapsed never cross it; only
    the outer strip needs redoing at each join. Plain texts (see ``_plain``) skip the
    character-by-character steps."""
    if not texts:
        return []
    blob = _joinable(texts)
    if blob is None:
        return [vntext.clean(t) for t in texts]
    if _plain(texts, blob):
        if "  " in blob:
            blob = _SPACE_RUN.sub(" ", blob)
        blob = blob.strip(" ")
    else:
        blob = vntext.clean(blob)
    if " " + _SEP in blob or _SEP + " " in blob:
        blob = blob.replace(" " + _SEP, _SEP).replace(_SEP + " ", _SEP)
    out = blob.split(_SEP)
    return out if len(out) == len(texts) else [vntext.clean(t) for t in texts]


def _keys_all(clean_texts: Sequence[str]) -> list[str]:
    """``[vntext.key(t) for t in clean_texts]`` for texts already clean (``_clean_all``).

    ``key`` of a clean text is its casefold with the tone placement unified; both work within
    a text (casefold character by character, the tone pairs are two letters), so they run
    once over the texts joined by NUL."""
    blob = _joinable(clean_texts)
    # A clean text is its own clean() only when NFC: removing an invisible character can
    # leave a combining mark after its letter ("a", U+200B, U+0301), which key() composes.
    if blob is None or not clean_texts or not unicodedata.is_normalized("NFC", blob):
        return [vntext.key(t) for t in clean_texts]
    out = vntext.unify_tones(blob.casefold()).split(_SEP)
    return out if len(out) == len(clean_texts) else [vntext.key(t) for t in clean_texts]


def _casefold_all(texts: Sequence[str]) -> list[str]:
    blob = _joinable(texts)
    if blob is None or not texts:
        return [t.casefold() for t in texts]
    out = blob.casefold().split(_SEP)
    return out if len(out) == len(texts) else [t.casefold() for t in texts]


def _slow_rows(values: Sequence[Any]) -> set[int]:
    return {k for k, v in enumerate(values) if v is _SLOW}


def _by_value(col: Sequence[Any], read: Callable[[Any], Any]) -> Sequence[Any]:
    """``read`` applied to each distinct value once (such columns repeat a few words)."""
    try:
        table = {v: read(v) for v in set(col)}
    except TypeError:  # an unhashable value: never from calamine, but stay exact
        return [read(v) for v in col]
    return list(map(table.__getitem__, col))


def _fast_criterion(col: Sequence[Any], mx: float) -> Sequence[Any]:
    """Scores of a criterion read from one column: the per-row code's own fast test (a number
    within 0 … maximum) on the whole column at once."""
    if col and set(map(type, col)) == {float} and min(col) >= 0 and max(col) <= mx \
            and math.isfinite(sum(col)):  # a NaN would pass min and max, not the sum
        return col  # float(v) is v itself for a float
    return [float(v) if (v.__class__ is float or v.__class__ is int) and 0 <= v <= mx else _SLOW
            for v in col]


def _fast_leveled(cols: Sequence[Sequence[Any]], slots: Sequence[_Slot], mx: float
                  ) -> tuple[list[Any], list[int]]:
    """Scores of a criterion with assessment levels (``slots`` highest level first): the first
    filled level counts. Left to the per-row code: no level filled, a level cell that is not a
    number within range (it has a finding), and a count from "Tự chấm" (reported)."""
    self_level = [slot.level is AssessmentLevel.SELF for slot in slots]
    values: list[Any] = []
    chosen: list[int] = []
    for cells in zip(*cols, strict=True):
        first = -1
        for j, v in enumerate(cells):
            if v.__class__ is str and v == "":
                continue
            if (v.__class__ is float or v.__class__ is int) and 0 <= v <= mx:
                if first < 0:
                    first = j
            else:
                first = -2
                break
        if first < 0 or self_level[first]:
            values.append(_SLOW)
            chosen.append(0)
        else:
            values.append(float(cells[first]))
            chosen.append(first)
    return values, chosen


def _fast_points(key: str, cols: Sequence[Sequence[Any]], slots: Sequence[_Slot]
                 ) -> tuple[Sequence[Any], list[int]]:
    """Bonus, deduction, the sheet's own total and rating as ``_points_field`` reads them: the
    first non-blank level counts; ``chosen`` is -1 where every cell is blank (field unset)."""
    default = _PERSON_DEFAULTS[key]
    rating = key == "sheet_rating"
    signed = key == "sheet_total"
    many = len(slots) > 1
    if not many and not rating:
        col = cols[0]
        kinds = set(map(type, col))
        if kinds == {float} and (signed or min(col) >= 0):
            return col, []
        if kinds == {str} and col.count("") == len(col):
            return [default] * len(col), []
        if kinds == {float, str}:  # numbers and blank cells: blank keeps the default
            numbers = [v for v in col if v.__class__ is float]
            if (len(numbers) + col.count("") == len(col) and math.isfinite(sum(numbers))
                    and (signed or min(numbers) >= 0)):
                return [default if v.__class__ is str else v for v in col], []
    if not many and rating:
        def read_rating(v: Any) -> Any:
            if v.__class__ is not str:
                return _SLOW
            return default if is_blank(v) else _text(v)
        return _by_value(cols[0], read_rating), []
    text_of: dict[str, str | None] = {}
    if rating:
        texts = {v for col in cols for v in col if v.__class__ is str and v}
        text_of = {v: (None if is_blank(v) else _text(v)) for v in texts}
    informative = key in ("sheet_total", "sheet_rating")
    values: list[Any] = []
    chosen: list[int] = []
    for cells in zip(*cols, strict=True):
        value: Any = default
        pick = -1
        for j, v in enumerate(cells):
            if v.__class__ is str and v == "":
                continue
            pick = j
            if rating:
                value = text_of.get(v, _SLOW) if v.__class__ is str else _SLOW
                if value is None:  # spaces only: blank, look further
                    value, pick = default, -1
                    continue
            elif (v.__class__ is float or v.__class__ is int) and (signed or v >= 0):
                value = float(v)
            else:
                value = _SLOW
            if many and not informative and slots[j].level is AssessmentLevel.SELF:
                value = _SLOW  # self-assessment-fallback
            break
        values.append(value)
        chosen.append(pick)
    return values, chosen


def _fast_other(kind: str, col: Sequence[Any], default: Any, max_leave: float) -> Sequence[Any]:
    """One of the other known columns, as the per-row code reads it; blank cells keep the
    Person default (the per-row code leaves the field unset). Values other than text in a
    text-like column go to the per-row code: its memo of readings would mix 1, 1.0 and True."""
    if kind == "text":
        def read(v: Any) -> Any:
            if v.__class__ is str:
                return default if is_blank(v) else _text(v)
            return default if v is None else _SLOW
        return _by_value(col, read)
    if kind in ("flag", "tristate"):
        def read_flag(v: Any) -> Any:  # 1, 1.0 and True read alike here
            if is_blank(v):
                return default
            flag = _parse_flag(v)
            return _SLOW if flag == "?" else flag
        return _by_value(col, read_flag)
    if kind == "gender":
        def read_gender(v: Any) -> Any:
            if v is None or (v.__class__ is str and is_blank(v)):
                return default
            if v.__class__ is not str:
                return _SLOW
            gender = _parse_gender(v)
            return _SLOW if gender is None else gender
        return _by_value(col, read_gender)
    if kind == "discipline":
        def read_discipline(v: Any) -> Any:
            if v is None or (v.__class__ is str and is_blank(v)):
                return default
            if v.__class__ is not str:
                return _SLOW
            level = _parse_discipline(v)
            if level == "?":
                return _SLOW
            return default if level is None else level
        return _by_value(col, read_discipline)
    if col.count("") == len(col):
        return [default] * len(col)
    if kind == "date":  # a date typed as text, a serial number: the per-row code
        return [
            v.date() if v.__class__ is datetime else v if v.__class__ is date
            else default if (v.__class__ is str and v == "") or v is None else _SLOW
            for v in col
        ]
    if kind in ("leave", "days", "count"):
        numbers = [v for v in col if v.__class__ is float]
        if len(numbers) + col.count("") == len(col):
            # Numbers and blank cells only (the usual column): the loop below, at C speed.
            if not numbers:
                return [default] * len(col)
            if math.isfinite(sum(numbers)) and min(numbers) >= 0 and (
                    kind != "leave" or max(numbers) <= max_leave) and (
                    kind != "count" or all(map(float.is_integer, numbers))):
                if kind == "count":
                    return [default if v.__class__ is str else int(v) for v in col]
                return [default if v.__class__ is str else v for v in col]
        out: list[Any] = []
        for v in col:
            if (v.__class__ is str and v == "") or v is None:
                out.append(default)
            elif (v.__class__ is float or v.__class__ is int) and math.isfinite(v) and v >= 0:
                if kind == "leave":
                    out.append(float(v) if v <= max_leave else _SLOW)
                elif kind == "count":
                    out.append(int(float(v)) if float(v).is_integer() else _SLOW)
                else:
                    out.append(float(v))
            else:
                out.append(_SLOW)
        return out
    return [_SLOW] * len(col)


def _total_label(text: str) -> bool:
    """``_TOTAL_ROW`` on the text's key, after a cheap test: the key of "Tổng …" / "Cộng …"
    holds "ng", which only an invisible character could hide in the raw text."""
    if "ng" not in text.casefold() and text.isprintable():
        return False
    return bool(_TOTAL_ROW.match(vntext.key(text)))


@dataclass
class _FastRows:
    """Readings of the rows ``start`` … of a sheet; ``ok[k]`` says row ``start + k`` is
    read from them (else the per-row code reads it)."""

    ok: list[bool]
    staff_ids: list[str]
    id_keys: list[str]
    names: list[str]
    name_keys: list[str] | None
    departments: Sequence[str] | None
    fields: list[Sequence[Any] | _Same]  # Person's fields in order: per row, or one value
    dates: list[date | None] | None  # real dates with day ≤ 12 (mixed-date-format)
    # The same readings by Person field name, and each criterion's scores (code → column).
    by_name: dict[str, Sequence[Any] | _Same]
    score_columns: dict[str, Sequence[Any]]

    def person(self, k: int) -> Person:
        return _new_person(*(f.value if isinstance(f, _Same) else f[k] for f in self.fields))

    def people(self, k0: int, k1: int) -> Iterator[Person]:
        """The persons of rows k0 … k1 - 1, field by field (iterated in C, no row tuples)."""
        rows = range(k0, k1)
        return map(_new_person, *(repeat(f.value, k1 - k0) if isinstance(f, _Same)
                                  else map(f.__getitem__, rows) for f in self.fields))


class _Same(NamedTuple):
    """One value of a Person field for every row (the sheet's department, a default)."""

    value: Any


def _fast_rows(reader: _SheetReader, start: int, stop: int, *,
               crit_plan: Sequence[tuple[Criterion, list[_Slot]]],
               leveled_points: Sequence[tuple[str, list[_Slot]]],
               others: Sequence[tuple[FieldSpec, _Slot]], base_columns: dict[str, str],
               single_crit: bool, slow_rows: Iterable[int], fill: dict[tuple[int, int], Any],
               header_id_raw: Any, max_leave: float, same_name: bool) -> _FastRows | None:
    """Readings of rows ``start`` … ``stop`` (the last row of the sheet) column by column; None
    when the sheet does not suit (a name split over several columns)."""
    plan = reader.plan
    assert plan is not None
    id_slot, name_slot = plan.single("staff_id"), plan.single("name")
    dept_slot = plan.single("department")
    assert id_slot is not None and name_slot is not None
    if name_slot.more:
        return None
    block = reader.sheet.rows[start - 1:stop]
    m = len(block)
    id_i, name_i = id_slot.index, name_slot.index
    used = [id_i, name_i, *(s.index for _, slots in crit_plan for s in slots),
            *(s.index for _, slots in leveled_points for s in slots),
            *(s.index for _, s in others)]
    if dept_slot is not None:
        used.append(dept_slot.index)
    if not m:
        return None

    fills: dict[int, list[tuple[int, Any]]] = {}
    for (r, i), value in fill.items():
        if start <= r <= stop:
            fills.setdefault(i, []).append((r - start, value))

    slow = {r - start for r in slow_rows if start <= r <= stop}

    # The columns, transposed once per sheet. Rows too short for the columns used (never from
    # calamine, whose rows are a rectangle) go to the per-row code.
    if min(map(len, block)) <= max(used):
        slow.update(k for k, row in enumerate(block) if len(row) <= max(used))
    transposed = reader.table_columns(start)
    assert not transposed or len(transposed[0]) == m  # stop is the sheet's last row

    def column(i: int) -> Sequence[Any]:
        col: Sequence[Any] = transposed[i]
        if i in fills:
            filled = list(col)
            for k, value in fills[i]:  # a merged cell's value, as the per-row code does
                if is_blank(filled[k]):
                    filled[k] = value
            col = filled
        return col

    return _fast_table(reader, start, stop, m, column, slow, crit_plan=crit_plan,
                       leveled_points=leveled_points, others=others, base_columns=base_columns,
                       single_crit=single_crit, header_id_raw=header_id_raw,
                       max_leave=max_leave, same_name=same_name)


def _fast_table(reader: _SheetReader, start: int, stop: int, m: int,
                column: Callable[[int], Sequence[Any]], slow: set[int], *,
                crit_plan: Sequence[tuple[Criterion, list[_Slot]]],
                leveled_points: Sequence[tuple[str, list[_Slot]]],
                others: Sequence[tuple[FieldSpec, _Slot]], base_columns: dict[str, str],
                single_crit: bool, header_id_raw: Any, max_leave: float,
                same_name: bool) -> _FastRows:
    """The readings of rows ``start`` … ``stop`` (``m`` rows) from their columns
    (``column(i)``: the values of column index ``i``, one per row); ``slow`` (updated) holds
    the rows left to the per-row code."""
    plan = reader.plan
    assert plan is not None
    id_slot, name_slot = plan.single("staff_id"), plan.single("name")
    dept_slot = plan.single("department")
    assert id_slot is not None and name_slot is not None
    id_i, name_i = id_slot.index, name_slot.index

    # Identity. The per-row code ends the table at a total row: rows that might be one
    # (a text starting "T…"/"C…" in or left of the ID column) are checked exactly.
    ids_raw = column(id_i)
    if header_id_raw != "" and ids_raw.count(header_id_raw):
        slow.update(k for k, v in enumerate(ids_raw) if v == header_id_raw)
    for j in range(id_i + 1):
        col = ids_raw if j == id_i else column(j)
        if str not in set(map(type, col)):
            continue
        slow.update(
            k for k, v in enumerate(col)
            if v.__class__ is str and v and v.lstrip()[:1] in "TtCc" and _total_label(v)
        )
    if set(map(type, ids_raw)) == {str}:
        staff_ids = _clean_all(ids_raw)
    else:
        staff_ids = [vntext.clean(v) if v.__class__ is str else _staff_id(v) for v in ids_raw]
    if "" in staff_ids:
        slow.update(k for k, s in enumerate(staff_ids) if not s)
    id_keys = _casefold_all(staff_ids)

    names_raw = column(name_i)
    if set(map(type, names_raw)) == {str}:
        names = _clean_all(names_raw)
    else:
        names = [vntext.clean(v) if v.__class__ is str else "" for v in names_raw]
    if "" in names:
        slow.update(k for k, s in enumerate(names) if not s)
    name_keys = _keys_all(names) if same_name else None

    departments: Sequence[str] | None = None
    if dept_slot is not None:
        memo = reader._memo

        def department_of(v: Any) -> str:
            if v.__class__ is not str or is_blank(v):
                return ""  # missing, or a number: the per-row code reads it
            memo_key = ("department", v)
            name = memo.get(memo_key)
            if name is None:
                name = memo[memo_key] = reader._canonical_department(_text(v))
            return name

        departments = _by_value(column(dept_slot.index), department_of)
        if "" in departments:
            slow.update(k for k, s in enumerate(departments) if not s)

    # Criteria: scores, and per row the level and column that count.
    codes: list[str] = []
    score_values: list[Sequence[Any]] = []
    levels_fixed: list[AssessmentLevel | None] = []  # None: chosen per row
    picks: list[list[int]] = []
    for crit, slots in crit_plan:
        codes.append(crit.code)
        if len(slots) == 1:
            values = _fast_criterion(column(slots[0].index), crit.max_points)
            levels_fixed.append(slots[0].level or AssessmentLevel.DEPARTMENT)
            picks.append([])
        else:
            values, chosen = _fast_leveled([column(s.index) for s in slots], slots,
                                           crit.max_points)
            levels_fixed.append(None)
            picks.append(chosen)
        if _SLOW in values:
            slow |= _slow_rows(values)
        score_values.append(values)
    scores: list[dict[str, float]]
    if score_values:
        # dict(zip(codes, row)) for each row, iterated in C
        scores = list(map(dict, map(zip, repeat(codes), zip(*score_values, strict=True))))
    else:
        scores = [{} for _ in range(m)]

    extra: dict[str, Sequence[Any]] = {}
    point_picks: list[tuple[str, list[_Slot], list[int]]] = []
    for key, slots in leveled_points:
        values, chosen = _fast_points(key, [column(s.index) for s in slots], slots)
        if _SLOW in values:
            slow |= _slow_rows(values)
        extra[key] = values
        if len(slots) > 1:
            point_picks.append((key, slots, chosen))
    for spec, slot in others:
        values = _fast_other(spec.kind, column(slot.index), _PERSON_DEFAULTS.get(spec.name),
                             max_leave)
        if _SLOW in values:
            slow |= _slow_rows(values)
        extra[spec.name] = values

    # The levels and column letters that count: one shared mapping per distinct choice
    # (read-only for everyone downstream), as the per-row code builds them.
    if all(level is not None for level in levels_fixed):
        shared_levels = dict(zip(codes, levels_fixed, strict=True))
        score_levels: Sequence[Any] | _Same = _Same(shared_levels)
    else:
        level_cache: dict[tuple[Any, ...], dict[str, AssessmentLevel]] = {}
        per_row_levels = []
        for k in range(m):
            chosen_levels = tuple(
                fixed if fixed is not None
                else (crit_plan[c][1][picks[c][k]].level or AssessmentLevel.DEPARTMENT)
                for c, fixed in enumerate(levels_fixed)
            )
            hit = level_cache.get(chosen_levels)
            if hit is None:
                hit = level_cache[chosen_levels] = dict(zip(codes, chosen_levels, strict=True))
            per_row_levels.append(hit)
        score_levels = per_row_levels
    if single_crit:
        columns: Sequence[Any] | _Same = _Same(base_columns)
    else:
        column_cache: dict[tuple[Any, ...], dict[str, str]] = {}
        per_row_columns = []
        multi = [(c, crit, slots) for c, (crit, slots) in enumerate(crit_plan) if len(slots) > 1]
        for k in range(m):
            crit_letters = tuple(slots[picks[c][k]].letter for c, _, slots in multi)
            point_letters = tuple(slots[chosen[k]].letter if chosen[k] >= 0 else None
                                  for _, slots, chosen in point_picks)
            hit_columns = column_cache.get((crit_letters, point_letters))
            if hit_columns is None:
                hit_columns = dict(base_columns)
                for (_, crit, _), letter in zip(multi, crit_letters, strict=True):
                    hit_columns[f"criterion:{crit.code}"] = letter
                for (key, _, _), maybe in zip(point_picks, point_letters, strict=True):
                    if maybe is not None:
                        hit_columns[key] = maybe
                column_cache[(crit_letters, point_letters)] = hit_columns
            per_row_columns.append(hit_columns)
        columns = per_row_columns

    file, sheet_name = reader.file, reader.sheet.name
    seqs: dict[str, Sequence[Any] | _Same] = {
        "staff_id": staff_ids,
        "name": names,
        "department": departments if departments is not None
        else _Same(reader.department or ""),
        "source": [SourceRow(file, sheet_name, r) for r in range(start, stop + 1)],
        "scores": scores,
        "score_levels": score_levels,
        "columns": columns,
        **extra,
    }
    person_fields = [seqs[name] if name in seqs else _default_column(name, m)
                     for name in _PERSON_FIELDS]
    recruited = extra.get("recruited_on")
    dates = ([d if d.__class__ is date and d.day <= 12 else None for d in recruited]
             if recruited is not None else None)
    ok = [True] * m
    for k in slow:
        ok[k] = False
    return _FastRows(ok, staff_ids, id_keys, names, name_keys, departments, person_fields,
                     dates, seqs, dict(zip(codes, score_values, strict=True)))


def _default_column(name: str, m: int) -> Sequence[Any] | _Same:
    f = _PERSON_FIELD_SPECS[name]
    if f.default is not MISSING:
        return _Same(f.default)
    assert f.default_factory is not MISSING
    return [f.default_factory() for _ in range(m)]


# --------------------------------------------------------------------------------------------
# The entry point
# --------------------------------------------------------------------------------------------


def read_dataset(
    raws: Sequence[RawWorkbook], regulation: Regulation, *, period: Period | None = None
) -> Dataset:
    """The people of one period from raw workbooks, with every finding (never raises for data).

    ``period``: the run's period when known (--period or the file name); otherwise the reader
    looks in file names and in the title rows above each header (``Dataset.period`` and
    ``Dataset.period_source`` say what it found). The period's working days bound "Số ngày
    nghỉ"; without a period the bound is ``validation.max_leave_days_year``.
    """
    with collector_paused():  # see gcpause.py
        return _read_dataset(raws, regulation, period)


def _read_dataset(raws: Sequence[RawWorkbook], regulation: Regulation,
                  period: Period | None) -> Dataset:
    report = Report()
    inputs = [InputFile(wb.path, wb.sha256, wb.format) for wb in raws]

    # 1. The criteria: a "Tiêu chí" sheet wins over the regulation.
    criteria: tuple[Criterion, ...] = tuple(regulation.criteria)
    criteria_source = REGULATION_SOURCE
    criteria_issues: dict[tuple[int, int], tuple[Issue, ...]] = {}
    used_from: str | None = None
    for wi, wb in enumerate(raws):
        for si, sheet in enumerate(wb.sheets):
            if sheet.kind != "worksheet" or not is_criteria_sheet_name(sheet.name):
                continue
            result = read_criteria_sheet(sheet, file=wb.path, regulation=regulation)
            found = list(result.issues)
            if result.criteria is not None:
                if used_from is None:
                    criteria = result.criteria
                    used_from = f"sheet \"{sheet.name}\" ({wb.path})"
                    criteria_source = f"sheet '{sheet.name}' ({wb.path})"
                elif result.criteria != criteria:
                    found = [i for i in found if i.code != "criteria-differ-from-regulation"]
                    found.append(make_issue(
                        "invalid-criteria-sheet", file=wb.path, sheet=sheet.name,
                        detail=f"khác bảng tiêu chí ở {used_from}; chỉ được có một bảng "
                        "tiêu chí cho cả kỳ",
                    ))
                else:
                    found = [i for i in found if i.code != "criteria-differ-from-regulation"]
            criteria_issues[(wi, si)] = tuple(found)

    run = _Run.of(regulation, criteria)
    if used_from is not None:
        run.criteria_label = f"bảng tiêu chí ở {used_from}"

    # 2. Headers and column plans for every sheet (cheap), and periods in title rows.
    readers: list[tuple[int, int, _SheetReader | None, list[Issue], str]] = []
    reader: _SheetReader | None
    for wi, wb in enumerate(raws):
        for si, sheet in enumerate(wb.sheets):
            pre: list[Issue] = []
            status = "ok"
            if (wi, si) in criteria_issues:
                pre.extend(_hidden_sheet_issue(wb.path, sheet))
                pre.extend(criteria_issues[(wi, si)])
                readers.append((wi, si, None, pre, "criteria"))
                continue
            if sheet.kind != "worksheet":
                if sheet.kind == "chartsheet":
                    pre.append(make_issue("chart-only-sheet", file=wb.path, sheet=sheet.name))
                readers.append((wi, si, None, pre, "skipped"))
                continue
            if not _has_content(sheet):
                pre.append(make_issue("empty-sheet", file=wb.path, sheet=sheet.name))
                readers.append((wi, si, None, pre, "empty"))
                continue
            pre.extend(_hidden_sheet_issue(wb.path, sheet))
            if sheet.visibility != "visible":
                status = "hidden"
            pre.extend(_truncated_cells(wb.path, sheet))
            reader = _SheetReader(run, wb.path, sheet)
            reader.convert_legacy_header()
            reader.find_header()
            reader.convert_legacy_columns()
            readers.append((wi, si, reader, pre, status))

    # 3. The period: given, else the first file name, else the first title row.
    found_periods = found_periods_of([wb.path for wb in raws],
                                     [r for _, _, r, _, _ in readers if r is not None])
    dataset_period, period_source = dataset_period_of(found_periods, period)
    run.period = dataset_period
    period_issues: dict[tuple[str, str | None], list[Issue]] = {}
    if dataset_period is not None:
        for p, where, file, sheet_name in found_periods:
            if p != dataset_period:
                period_issues.setdefault((file, sheet_name), []).append(make_issue(
                    "period-mismatch", file=file, sheet=sheet_name,
                    where=where[0].upper() + where[1:], found=p.label,
                    expected=dataset_period.label, source=period_source,
                ))

    # 4. Rows.
    sheets: list[SheetSummary] = []
    ordered: list[tuple[list[Issue], _SheetReader | None]] = []
    emitted_file_periods: set[str] = set()
    for wi, si, reader, pre, status in readers:
        wb = raws[wi]
        sheet = wb.sheets[si]
        issues = list(pre)
        if wb.path not in emitted_file_periods:
            emitted_file_periods.add(wb.path)
            issues = period_issues.get((wb.path, None), []) + issues
        if reader is None:
            sheets.append(SheetSummary(wb.path, sheet.name, None, 0, status))
            ordered.append((issues, None))
            continue
        issues.extend(period_issues.get((wb.path, sheet.name), []))
        if reader.plan is not None:
            reader.read_rows()
            reader.release_columns()
            _check_departments(run, reader)
        issues.extend(reader.issues)
        if reader.plan is None or not reader.plan.complete:
            status = "skipped"
        elif reader.people == 0 and reader.plan.complete:
            issues.append(make_issue("empty-sheet", file=wb.path, sheet=sheet.name,
                                     row=reader.plan.bottom + 1))
            status = "empty"
        department = reader.department if reader.plan is not None and reader.plan.complete \
            and "department" not in reader.plan.slots else None
        sheets.append(SheetSummary(wb.path, sheet.name, department, reader.people, status,
                                   total_row=reader.total_row,
                                   total_row_cells=reader.total_row_cells))
        ordered.append((issues, reader))

    # 5. Sheets without a header: a warning when another sheet has data, else an error.
    has_people = bool(run.people)
    for issues, reader in ordered:
        if reader is not None and reader.no_header is not None:
            guess = reader.no_header
            found_texts = ", ".join(f"\"{t}\"" for t in guess.texts[:12]) or "(không có)"
            issues.append(make_issue(
                "no-header-found", file=reader.file, sheet=reader.sheet.name,
                severity=Severity.WARNING if has_people else Severity.ERROR,
                found=found_texts, expected="Mã NV, Họ và tên",
            ))
        report.extend(issues)
    if not has_people:
        readable = [s for s in sheets if s.status not in ("criteria",)]
        detail = (
            "Các sheet đã xem: " + "; ".join(f"\"{s.name}\" ({_STATUS_LABELS.get(s.status, s.status)})"
                                             for s in readable) + "."
            if readable else "Tệp không có sheet nào."
        )
        report.add(make_issue("no-data", file=raws[0].path if len(raws) == 1 else None,
                              detail=detail))

    return Dataset(
        people=run.people,
        criteria=criteria,
        criteria_source=criteria_source,
        report=report,
        inputs=inputs,
        sheets=sheets,
        period=dataset_period,
        period_source=period_source,
    )


def found_periods_of(paths: Sequence[str], readers: Iterable[_SheetReader]
                     ) -> list[tuple[Period, str, str, str | None]]:
    """The periods named by the file names, then by the title rows above each header:
    (period, where, file, sheet or None), in that order."""
    found: list[tuple[Period, str, str, str | None]] = []
    for path in paths:
        name = PurePath(path).name
        p = find_period(name)
        if p is not None:
            found.append((p, f"tên tệp {name}", path, None))
    for reader in readers:
        if reader.title_period is not None:
            tp, where = reader.title_period
            found.append((tp, where, reader.file, reader.sheet.name))
    return found


def dataset_period_of(found: Sequence[tuple[Period, str, str, str | None]],
                      period: Period | None) -> tuple[Period | None, str | None]:
    """The read's period and where it comes from: the one given, else the first found."""
    if period is not None:
        return period, "kỳ được chỉ định"
    if found:
        return found[0][0], found[0][1]
    return None, None


_STATUS_LABELS = {
    "ok": "không có người nào",
    "skipped": "bỏ qua",
    "empty": "trống",
    "hidden": "ẩn",
    "criteria": "tiêu chí",
}


def _has_content(sheet: RawSheet) -> bool:
    if sheet.errors or sheet.formulas_without_value:
        return True
    return any(not is_blank(v) for row in sheet.rows for v in row)


def _hidden_sheet_issue(file: str, sheet: RawSheet) -> list[Issue]:
    if sheet.visibility == "visible":
        return []
    state = "ẩn sâu – veryHidden" if sheet.visibility == "veryHidden" else "ẩn"
    return [make_issue("hidden-sheet", file=file, sheet=sheet.name, state=state,
                       counted="vẫn được đọc và tính như các sheet khác")]


def _truncated_cells(file: str, sheet: RawSheet) -> list[Issue]:
    return [
        make_issue("large-text-cell", file=file, sheet=sheet.name, row=r,
                   column=column_letter(c), length=format_vn_number(length))
        for (r, c), length in sorted(sheet.text_cells_truncated.items())
    ]


def _check_departments(run: _Run, reader: _SheetReader) -> None:
    """department-submitted-twice across sheets and files; unknown-department against the
    regulation's list (a suggestion only, never an automatic match)."""
    known = run.known_departments
    names = list(known.values())
    for dkey, (name, row, col) in reader.departments_in_sheet.items():
        first = run.departments.get(dkey)
        here = (reader.file, reader.sheet.name)
        if first is not None and first != here:
            reader.issue(
                "department-submitted-twice", department=name,
                first=_where_sheet(first, reader.file), second=_where_sheet(here, first[0]),
            )
        elif first is None:
            run.departments[dkey] = here
        if known and dkey not in known:
            best = vntext.suggest(name, names)
            reader.issue("unknown-department", value=name, row=row if col is not None else None,
                         col=col, header=_FIELD["department"].label if col is not None else None,
                         suggestion=f" Có phải là \"{best}\"?" if best else "")


def _where_sheet(where: tuple[str, str], other_file: str) -> str:
    file, sheet = where
    return f"sheet \"{sheet}\"" + ("" if file == other_file else f" (tệp {file})")


# Re-exported for tests and later stages that need the same readings.
parse_flag: Callable[[Any], bool | str | None] = _parse_flag
parse_date: Callable[[Any], tuple[date | None, bool]] = _parse_date
