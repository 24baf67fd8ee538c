"""The known columns of a department sheet (their headings, kinds and Person fields) and
the few patterns every part of the reader shares.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import MISSING, dataclass, fields
from datetime import date
from typing import Any, TypeVar

from thidua_cli.core import vntext
from thidua_cli.model import (
    AssessmentLevel,
    Discipline,
    Person,
)

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
    FieldSpec("left_on", "Ngày chuyển đi", ("Ngày chuyển đi", "Ngày nghỉ việc", "Ngày thôi việc",
              "Ngày chuyển công tác", "Ngày chuyển đi, nghỉ việc"), "date"),
    FieldSpec("absence_reason", "Lý do vắng", ("Lý do vắng", "Lý do vắng quý", "Lý do vắng mặt",
              "Lý do không có tên"), "text"),
    FieldSpec("achievement", "Thành tích", ("Thành tích",
              "Thành tích nổi bật", "Thành tích đột xuất", "Thành tích trong phong trào thi đua"),
              "text"),
    # Issue 11 (points 3, 11, 12): optional columns; absent, the rules are today's.
    FieldSpec("adhoc_award", "Khen thưởng đột xuất", ("Khen thưởng đột xuất",
              "Đã khen thưởng đột xuất", "KT đột xuất"), "text"),
    FieldSpec("injury_days", "Nghỉ điều trị thương", ("Nghỉ điều trị thương",
              "Số ngày điều trị thương", "Điều trị thương (cứu người, chiến đấu)",
              "Nghỉ do bị thương khi cứu người", "Nghỉ do bị thương"), "days"),
    FieldSpec("training_days", "Đi học từ 1 năm", ("Đi học từ 1 năm", "Đào tạo từ 1 năm",
              "Số ngày đi học từ 1 năm", "Đi học dài hạn", "Đào tạo dài hạn"), "days"),
    FieldSpec("contract_from", "Ngày hợp đồng", ("Ngày hợp đồng", "Ngày bắt đầu hợp đồng",
              "Ngày ký hợp đồng", "Hợp đồng từ ngày", "Ngày làm hợp đồng"), "date"),
    FieldSpec("discipline_ended_on", "Ngày hết thời hạn kỷ luật", ("Ngày hết thời hạn kỷ luật",
              "Ngày hết kỷ luật", "Hết thời hạn kỷ luật", "Hết hạn kỷ luật"), "date"),
    FieldSpec("moved_in_on", "Ngày chuyển đến", ("Ngày chuyển đến", "Ngày chuyển công tác đến",
              "Ngày về đơn vị", "Chuyển đến ngày"), "date"),
    FieldSpec("previous_opinion", "Ý kiến đơn vị cũ", ("Ý kiến đơn vị cũ",
              "Nhận xét của đơn vị cũ", "Ý kiến của đơn vị cũ", "Nhận xét đơn vị cũ",
              "Ý kiến nơi công tác cũ"), "text"),
    FieldSpec("tasks_done", "% nhiệm vụ hoàn thành", ("% nhiệm vụ hoàn thành",
              "Tỷ lệ hoàn thành nhiệm vụ", "% hoàn thành nhiệm vụ", "% hoàn thành",
              "Tỷ lệ nhiệm vụ hoàn thành"), "percent"),
    FieldSpec("tasks_exceeded", "% vượt", ("% vượt", "% nhiệm vụ vượt", "Tỷ lệ vượt",
              "% vượt mức", "% nhiệm vụ vượt mức", "Tỷ lệ nhiệm vụ vượt mức"), "percent"),
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
FIELD_BY_NAME = {f.name: f for f in FIELDS}

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


def alias_index(pairs: Iterable[tuple[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    by_key: dict[str, Any] = {}
    by_compact: dict[str, Any] = {}
    for alias, target in pairs:
        by_key.setdefault(vntext.key(alias), target)
        by_compact.setdefault(vntext.compact(alias), target)
    return by_key, by_compact


FIELD_BY_KEY, FIELD_BY_COMPACT = alias_index((a, f.name) for f in FIELDS for a in f.aliases)
LEVEL_BY_KEY, LEVEL_BY_COMPACT = alias_index(
    (a, lvl) for lvl, aliases in _LEVEL_ALIASES.items() for a in aliases
)
ALL_ALIASES: tuple[str, ...] = tuple(a for f in FIELDS for a in f.aliases)

# A trailing "(40đ)", "(15 điểm)", "(tối đa 10)" or " - 15 điểm" on a header.
MAX_PAREN = re.compile(
    r"\s*\(\s*(?:điểm\s+)?(?:tối\s*đa|max|tđ)?\s*:?\s*(\d+(?:[.,]\d+)?)\s*(?:đ|điểm|d|diem)?\s*\)\s*$"
)
MAX_UNIT = re.compile(r"[\s\-–—:,]+(\d+(?:[.,]\d+)?)\s*(?:đ|điểm)\s*$")
TRAILING_PAREN = re.compile(r"\s*\([^()]*\)\s*$")
# "CM1", "TC 2", "KT1.2" at the start of a header: looks like a criterion code.
CODE_PREFIX = re.compile(r"^([^\W\d_]{1,6})\s?(\d{1,3}(?:\.\d{1,2})?)(?!\w|\.\d)")
# A "Tổng cộng" row ends the table. On the accented key: "Tống" (a surname) is not "Tổng".
TOTAL_ROW = re.compile(r"^(?:tổng cộng|tổng số|tổng|cộng)(?:$|[\s:(.,\-–])")
# A signature block or date line under the table (when there is no total row).
SIGNATURE = re.compile(
    r"^(?:người lập(?: biểu)?|người lập bảng|lập biểu|trưởng khoa|trưởng phòng|phó trưởng khoa|"
    r"xác nhận|giám đốc|thủ trưởng|ký tên|ký, ghi rõ|kt\.|tm\.|ngày \d{1,2} tháng|"
    r"[^\W\d_][^\d]*, ngày \d{1,2} tháng)"
)
NUMBERING = re.compile(r"^\(?\d{1,3}\)?$")
GENERIC_SHEET = re.compile(
    r"^(?:sheet|trang tinh|bang tinh|data|du lieu|tong hop|danh sach|bang diem|bang tong hop)"
    r"\s*\d*$"
)
LEADING_NUMBER = re.compile(r"^\d+\s*[.\-_)]\s*")

TRUE_WORDS = frozenset({"x", "co", "1", "true", "yes", "y", "dung", "v", "✓", "✔", "√", "có"})
FALSE_WORDS = frozenset({"khong", "0", "false", "no", "n", "-", "k", "khong co"})
MALE_WORDS = frozenset({"nam", "m", "male"})
FEMALE_WORDS = frozenset({"nu", "f", "female"})
DISCIPLINES: tuple[tuple[str, Discipline], ...] = (
    ("khientrach", Discipline.KHIEN_TRACH),
    ("canhcao", Discipline.CANH_CAO),
    ("cachchuc", Discipline.CACH_CHUC),
    ("buocthoiviec", Discipline.BUOC_THOI_VIEC),
)
NO_DISCIPLINE = frozenset({"khong", "0", "-", "khong co", "khongco", "k"})

DATE_DMY = re.compile(r"(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")
DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
EXCEL_EPOCH = date(1899, 12, 30)

_CRITERIA_SHEET_NAMES = frozenset({"tieuchi", "bangtieuchi", "tieuchichamdiem", "tieuchidanhgia"})


def is_criteria_sheet_name(name: str) -> bool:
    """"Tiêu chí" (any case, with or without accents), "Bảng tiêu chí", "Tiêu chí chấm điểm"."""
    return vntext.compact(name) in _CRITERIA_SHEET_NAMES



PERSON_FIELD_SPECS = {f.name: f for f in fields(Person)}
PERSON_FIELDS: tuple[str, ...] = tuple(PERSON_FIELD_SPECS)
PERSON_DEFAULTS: dict[str, Any] = {
    f.name: f.default for f in PERSON_FIELD_SPECS.values() if f.default is not MISSING
}
