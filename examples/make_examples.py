#!/usr/bin/env python3
"""Regenerate the shipped example hospital (Bệnh viện Đa khoa tỉnh An Bình, quý IV năm 2026).

    python examples/make_examples.py [OUTDIR]        (default: the folder of this script)

Writes, deterministically (``random.Random(2026)``, no clock, no network):

- ``quy-4-2026.xlsx``  the quarter's consolidated workbook as the personnel office holds it: a
  "Tiêu chí" sheet and one sheet per department (30 departments, about 800 staff), each laid out
  the way departments really send them: title rows merged across the table, a header row (a
  two-row header on about a third of the sheets: the criterion above "Tự chấm" / "Khoa chấm" /
  "Hội đồng chấm"), criteria headed by name with their maximum or by code, a "Tổng điểm" column
  with real =SUM formulas (cached values stored) or typed values, a "Xếp loại" column, a "Tổng
  cộng" row, a signature block, blank rows, a few numbers typed as text ("8,5"). The data are
  valid: ``thidua score examples/quy-4-2026.xlsx --rules examples/quy-che.toml`` succeeds, the
  sheet totals equal the recomputed totals, and the 20 % HTXSNV cap binds in the non-manager group
  with people tied exactly at the cut-off in different departments ("Chờ Hội đồng xét"); every
  override appears (discipline, a recruit with too few working days, a long sick leave, maternity
  leave that is still rated), as do the bonus cap and the clamp at 100.
- ``quy-che.toml``  the example's regulation: the shipped default regulation, verbatim, with the
  hospital's department list and its council (``COUNCIL``: members, chair, secretary, tally
  team, for ``thidua render bien-ban --absent "Vũ Văn Vắng"``) filled in.
- ``nop-ve/*.xlsx``  eight department files as they were submitted; four are deliberately wrong
  for the ``thidua validate`` demo (see ``NOP_VE_PROBLEMS`` below and examples/README.md).

``tests/golden/test_examples_regen.py`` regenerates into a temporary folder and compares every
cell value with the committed files, so the committed example cannot drift from this script.
The generator computes totals, ratings and the cap with its own code (not thidua's), so the
example is also an independent check of the scorer.
"""

from __future__ import annotations

import argparse
import io
import random
import re
import sys
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SEED = 2026

# --------------------------------------------------------------------------------------------
# The hospital, the period and the regulation's numbers (kept equal to the default regulation)
# --------------------------------------------------------------------------------------------

PARENT = "SỞ Y TẾ TỈNH AN BÌNH"
ORGANISATION = "BỆNH VIỆN ĐA KHOA TỈNH AN BÌNH"
REGULATION_NAME = "Quy chế thi đua, khen thưởng năm 2026 của Bệnh viện Đa khoa tỉnh An Bình"
TITLE = "BẢNG TỔNG HỢP ĐIỂM THI ĐUA QUÝ IV NĂM 2026"
DATE_LINE = "An Bình, ngày 28 tháng 12 năm 2026"
CREATED = datetime(2026, 12, 28, 8, 0, 0)
QUARTER_START = date(2026, 10, 1)
QUARTER_END = date(2026, 12, 31)

# (code, name, group, max points) of the built-in regulation (total 100), which the example
# is scored under: read from it, never copied.
def _default_criteria() -> tuple[tuple[str, str, str, int], ...]:
    from thidua_cli.regulation import default_regulation

    return tuple((c.code, c.name, c.group, int(c.max_points))
                 for c in default_regulation().criteria)


CRITERIA = _default_criteria()
CODES = tuple(c[0] for c in CRITERIA)
MAX_HALF = {c[0]: 2 * c[3] for c in CRITERIA}  # points are kept in half-points (ints): exact
# Where points are lost, relative weights (policy criteria are rarely docked).
LOSS_WEIGHT = {"CS1": 1, "CS2": 2, "CM1": 5, "CM2": 6, "CM3": 4, "TD1": 2, "TD2": 3, "HT1": 3,
               "PT1": 2}
BONUS_CAP_HALF = 20  # "Điểm cộng" counts at most 10
TOTAL_MAX_HALF = 200
BANDS_HALF = (180, 140, 100)  # ≥ 90 HTXSNV, ≥ 70 HTTNV, ≥ 50 HTNV, else KHTNV
CAP_RATE = Fraction(1, 5)  # 20 % of the group rated HTTNV or better, rounded down
MIN_SHARE_WORKED = Fraction(1, 2)  # a quarter: worked < half its working days → not rated

RATING_ABBR = {"HTXSNV": "HTXSNV", "HTTNV": "HTTNV", "HTNV": "HTNV", "KHTNV": "KHTNV",
               "NOT_RATED": "Không xếp loại"}
RATING_FULL = {"HTXSNV": "Hoàn thành xuất sắc nhiệm vụ", "HTTNV": "Hoàn thành tốt nhiệm vụ",
               "HTNV": "Hoàn thành nhiệm vụ", "KHTNV": "Không hoàn thành nhiệm vụ",
               "NOT_RATED": "Không xếp loại"}


def working_days(start: date, end: date) -> int:
    """Monday–Friday days from start to end, both included, minus Vietnam's public holidays
    (Bộ luật Lao động 2019 Điều 112; the calendar thidua itself uses, core/workdays.py)."""
    from thidua_cli.core.workdays import public_holidays

    off = {d for y in range(start.year, end.year + 1) for d, _ in public_holidays(y)}
    days, d = 0, start
    while d <= end:
        days += d.weekday() < 5 and d not in off
        d += timedelta(days=1)
    return days


QUARTER_WORKING_DAYS = working_days(QUARTER_START, QUARTER_END)  # 65 for 2026-Q4 (24/11 off)

# --------------------------------------------------------------------------------------------
# Departments: name (= sheet name), kind, size, sheet layout and quirks
# --------------------------------------------------------------------------------------------
# Layouts: "F" one header row, criteria by name with max, "Tổng điểm" as =SUM formulas;
#          "C" one header row, criteria by code, typed totals, a few numbers typed as text;
#          "T3" two-row header, criterion above Tự chấm / Khoa chấm / Hội đồng chấm;
#          "T2" two-row header with Tự chấm / Khoa chấm only.


@dataclass(frozen=True)
class Dept:
    name: str
    kind: str  # "khoa" (clinical), "cls" (paraclinical), "duoc", "phong" (office)
    size: int
    layout: str
    nhom: bool = False  # a "Nhóm" column (Bác sĩ / Điều dưỡng / Khác)
    ids: str = "bv"  # "bv": BV0001; "zero": "00101" typed as text; "int": 2201 typed as a number
    text_dates: bool = False  # recruitment dates typed as text dd/mm/yyyy
    blank_row: bool = False  # a blank row left in the middle of the table
    profile: str = "clinical"

    @property
    def short(self) -> str:
        """The department without "Khoa "/"Phòng ", for the "Khoa: …" title row."""
        return self.name.split(" ", 1)[1]

    @property
    def head_title(self) -> str:
        return "TRƯỞNG KHOA" if self.name.startswith("Khoa") else "TRƯỞNG PHÒNG"


DEPARTMENTS: tuple[Dept, ...] = (
    Dept("Khoa Khám bệnh", "khoa", 40, "C", blank_row=True),
    Dept("Khoa Cấp cứu", "khoa", 44, "F"),
    Dept("Khoa Nội tổng hợp", "khoa", 48, "F", nhom=True),
    Dept("Khoa Ngoại tổng hợp", "khoa", 46, "T3", nhom=True),
    Dept("Khoa Sản", "khoa", 42, "C", profile="san"),
    Dept("Khoa Nhi", "khoa", 40, "F", nhom=True),
    # The full name "Khoa Hồi sức tích cực – Chống độc" is longer than Excel's 31-character limit
    # on sheet names; the hospital uses the short form everywhere, sheet and regulation alike.
    Dept("Khoa Hồi sức – Chống độc", "khoa", 36, "T2"),
    Dept("Khoa Truyền nhiễm", "khoa", 28, "C"),
    Dept("Khoa Tim mạch", "khoa", 32, "C", nhom=True),
    Dept("Khoa Thần kinh", "khoa", 28, "F", blank_row=True),
    Dept("Khoa Ung bướu", "khoa", 26, "T3"),
    Dept("Khoa Y học cổ truyền", "khoa", 24, "C", blank_row=True),
    Dept("Khoa Phục hồi chức năng", "khoa", 22, "F", profile="phcn"),
    Dept("Khoa Mắt", "khoa", 18, "T2"),
    Dept("Khoa Tai Mũi Họng", "khoa", 18, "C"),
    Dept("Khoa Răng Hàm Mặt", "khoa", 16, "F"),
    Dept("Khoa Gây mê hồi sức", "khoa", 38, "T3", nhom=True),
    Dept("Khoa Chẩn đoán hình ảnh", "cls", 26, "C", ids="zero", profile="cls"),
    Dept("Khoa Xét nghiệm", "cls", 30, "F", ids="zero", profile="cls"),
    Dept("Khoa Dược", "duoc", 26, "T3", profile="duoc"),
    Dept("Khoa Kiểm soát nhiễm khuẩn", "cls", 20, "C", profile="ksnk"),
    Dept("Khoa Dinh dưỡng", "cls", 12, "F", profile="dinhduong"),
    Dept("Phòng Kế hoạch tổng hợp", "phong", 20, "T2", profile="khth"),
    Dept("Phòng Tổ chức cán bộ", "phong", 12, "C", profile="office"),
    Dept("Phòng Tài chính kế toán", "phong", 16, "F", ids="int", profile="tckt"),
    Dept("Phòng Điều dưỡng", "phong", 8, "T3", profile="phongdd"),
    Dept("Phòng Hành chính quản trị", "phong", 44, "C", text_dates=True, blank_row=True,
         profile="hcqt"),
    Dept("Phòng Quản lý chất lượng", "phong", 8, "F", profile="qlcl"),
    Dept("Phòng Vật tư thiết bị y tế", "phong", 14, "T2", profile="vttb"),
    Dept("Phòng Công tác xã hội", "phong", 10, "C", profile="ctxh"),
)

# Non-manager positions per profile, with weights.
PROFILES: dict[str, tuple[tuple[str, int], ...]] = {
    "clinical": (("Bác sĩ", 30), ("Điều dưỡng", 52), ("Kỹ thuật viên", 4), ("Hộ lý", 10),
                 ("Y sĩ", 4)),
    "san": (("Bác sĩ", 26), ("Hộ sinh", 44), ("Điều dưỡng", 18), ("Hộ lý", 12)),
    "phcn": (("Bác sĩ", 25), ("Kỹ thuật viên", 50), ("Điều dưỡng", 15), ("Hộ lý", 10)),
    "cls": (("Bác sĩ", 22), ("Kỹ thuật viên", 62), ("Điều dưỡng", 6), ("Hộ lý", 10)),
    "duoc": (("Dược sĩ", 80), ("Kế toán viên", 8), ("Nhân viên", 12)),
    "ksnk": (("Điều dưỡng", 40), ("Kỹ thuật viên", 20), ("Hộ lý", 25), ("Nhân viên", 15)),
    "dinhduong": (("Bác sĩ", 20), ("Điều dưỡng", 30), ("Nhân viên", 50)),
    "khth": (("Chuyên viên", 45), ("Bác sĩ", 20), ("Cán sự", 20), ("Nhân viên", 15)),
    "office": (("Chuyên viên", 70), ("Cán sự", 20), ("Nhân viên", 10)),
    "tckt": (("Kế toán viên", 70), ("Chuyên viên", 20), ("Thủ quỹ", 10)),
    "phongdd": (("Điều dưỡng", 80), ("Chuyên viên", 20)),
    "hcqt": (("Chuyên viên", 20), ("Nhân viên", 25), ("Lái xe", 15), ("Bảo vệ", 20),
             ("Kỹ sư", 10), ("Cán sự", 10)),
    "qlcl": (("Chuyên viên", 60), ("Bác sĩ", 20), ("Điều dưỡng", 20)),
    "vttb": (("Kỹ sư", 50), ("Chuyên viên", 30), ("Nhân viên", 20)),
    "ctxh": (("Chuyên viên", 50), ("Nhân viên công tác xã hội", 50)),
}
POSITION_ORDER = ("Bác sĩ", "Dược sĩ", "Y sĩ", "Hộ sinh", "Điều dưỡng", "Kỹ thuật viên", "Kỹ sư",
                  "Chuyên viên", "Kế toán viên", "Thủ quỹ", "Cán sự", "Nhân viên công tác xã hội",
                  "Nhân viên", "Lái xe", "Bảo vệ", "Hộ lý")
WOMEN_SHARE = {"Hộ sinh": 1.0, "Điều dưỡng": 0.85, "Hộ lý": 0.8, "Kỹ thuật viên": 0.6,
               "Bác sĩ": 0.45, "Dược sĩ": 0.75, "Y sĩ": 0.5, "Kế toán viên": 0.85,
               "Thủ quỹ": 0.9, "Chuyên viên": 0.6, "Cán sự": 0.6, "Nhân viên": 0.55,
               "Nhân viên công tác xã hội": 0.7, "Lái xe": 0.0, "Bảo vệ": 0.0, "Kỹ sư": 0.2}


def nhom_of(position: str) -> str:
    """The "Nhóm" column: Bác sĩ / Điều dưỡng (nursing, midwifery, technicians) / Khác."""
    if position.startswith("Bác sĩ") or position in ("Trưởng khoa", "Phó trưởng khoa"):
        return "Bác sĩ"
    if position in ("Điều dưỡng", "Hộ sinh", "Kỹ thuật viên", "Điều dưỡng trưởng",
                    "Hộ sinh trưởng", "Kỹ thuật viên trưởng"):
        return "Điều dưỡng"
    return "Khác"


# --------------------------------------------------------------------------------------------
# Vietnamese names (họ by real frequency; đệm and tên by gender)
# --------------------------------------------------------------------------------------------

HO: tuple[tuple[str, float], ...] = (
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Hoàng", 3.4), ("Huỳnh", 1.7),
    ("Phan", 4.5), ("Vũ", 2.4), ("Võ", 1.5), ("Đặng", 2.1), ("Bùi", 2), ("Đỗ", 1.4), ("Hồ", 1.3),
    ("Ngô", 1.3), ("Dương", 1), ("Lý", 0.5), ("Đào", 0.8), ("Đinh", 0.8), ("Trịnh", 0.6),
    ("Mai", 0.5), ("Lâm", 0.5), ("Trương", 0.6), ("Hà", 0.5), ("Cao", 0.4), ("Lương", 0.4),
    ("Tạ", 0.3), ("Chu", 0.3), ("Lưu", 0.3), ("Tô", 0.2),
)
DEM_NU: tuple[tuple[str, float], ...] = (
    ("Thị", 52), ("Thu", 6), ("Ngọc", 6), ("Thanh", 5), ("Thúy", 3), ("Hồng", 3), ("Kim", 3),
    ("Minh", 3), ("Phương", 2), ("Bích", 2), ("Mỹ", 2), ("Hoài", 1), ("Khánh", 1), ("Diệu", 1),
    ("Thị Thu", 3), ("Thị Ngọc", 2), ("Thị Minh", 2), ("Thị Thanh", 2), ("Thị Hồng", 1),
)
DEM_NAM: tuple[tuple[str, float], ...] = (
    ("Văn", 34), ("Đức", 8), ("Minh", 8), ("Hữu", 6), ("Quang", 6), ("Thanh", 4), ("Công", 4),
    ("Xuân", 3), ("Tuấn", 3), ("Quốc", 4), ("Trọng", 3), ("Đình", 4), ("Ngọc", 3), ("Anh", 2),
    ("Hoàng", 2), ("Mạnh", 2), ("Tiến", 2), ("Văn Minh", 1), ("Đức Anh", 1),
)
TEN_NU = ("An", "Anh", "Ánh", "Bình", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hòa",
          "Hương", "Huyền", "Lan", "Linh", "Loan", "Mai", "My", "Nga", "Ngọc", "Nhung", "Phương",
          "Quỳnh", "Tâm", "Thảo", "Thủy", "Trang", "Vân", "Yến", "Hiền", "Hồng", "Liên", "Oanh",
          "Thu", "Trinh", "Uyên", "Vy", "Duyên", "Hậu", "Nhàn", "Tuyết", "Diệp", "Lụa")
TEN_NAM = ("An", "Anh", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hải", "Hiếu", "Hòa", "Hùng",
           "Khánh", "Long", "Minh", "Nam", "Quân", "Sơn", "Tâm", "Thắng", "Tuấn", "Hưng", "Huy",
           "Hoàng", "Kiên", "Lâm", "Lộc", "Phong", "Phúc", "Quang", "Tài", "Thành", "Thịnh",
           "Toàn", "Trung", "Tú", "Việt", "Vinh", "Đạt", "Hiệp", "Khoa", "Bảo", "Nghĩa")


def weighted(rng: random.Random, items: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([i[0] for i in items], weights=[i[1] for i in items], k=1)[0]


# --------------------------------------------------------------------------------------------
# TCVN3 (ABC, font .VnTime): a table for the nộp-về demo file. Built from and checked against
# glibc `iconv -t TCVN5712-1`; only the characters a .VnTime name needs (lower case with tones,
# and the capitals Ă Â Ê Ô Ơ Ư Đ; toned capitals need the .VnTimeH font, not used here).
# --------------------------------------------------------------------------------------------

_TCVN3_UNICODE = ("aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵđ"
                  "ĂÂÊÔƠƯĐ")
_TCVN3_BYTES = bytes.fromhex(
    "61b5b6b7b8b9a8bbbcbdbec6a9c7c8c9cacb65cccecfd0d1aad2d3d4d5d669d7d8dcddde6fdfe1e2e3e4abe5e6"
    "e7e8e9aceaebecedee75eff1f2f3f4adf5f6f7f8f979fafbfcfdfeaea1a2a3a4a5a6a7"
)
TCVN3 = dict(zip(_TCVN3_UNICODE, _TCVN3_BYTES, strict=True))


def to_tcvn3(text: str) -> str | None:
    """The text as a .VnTime cell holds it (TCVN3 bytes read as Latin-1), or None if a
    character has no place in the .VnTime font."""
    out = bytearray()
    for ch in text:
        if ch in TCVN3:
            out.append(TCVN3[ch])
        elif ch.isascii():
            out.append(ord(ch))
        else:
            return None
    return out.decode("latin-1")


# --------------------------------------------------------------------------------------------
# Staff
# --------------------------------------------------------------------------------------------


@dataclass
class Staff:
    dept: Dept
    staff_id: str | int  # an int is typed as a number in the sheet
    name: str
    gender: str  # "Nam" / "Nữ"
    position: str
    manager: bool
    recruited: date
    scores: dict[str, int]  # half-points at the counting level
    bonus: int = 0  # half-points
    deduction: int = 0  # half-points
    leave: int = 0  # working days, other than maternity
    maternity: int = 0
    discipline: str = ""
    initiatives: int = 0
    research: int = 0
    registered: bool = True
    note: str = ""
    # two-row sheets: the levels written (None = blank cell)
    self_scores: dict[str, int] = field(default_factory=dict)
    dept_scores: dict[str, int] = field(default_factory=dict)
    council_scores: dict[str, int | None] = field(default_factory=dict)
    text_cells: set[str] = field(default_factory=set)  # criteria written as text ("8,5")

    @property
    def nhom(self) -> str:
        return nhom_of(self.position)

    @property
    def peer_group(self) -> tuple[bool, str]:
        """(manager, Nhóm): the cap's peer groups, hospital-wide (Nhóm only where the sheet has it)."""
        return (self.manager, self.nhom if self.dept.nhom else "")

    @property
    def criteria_sum(self) -> int:
        return sum(self.scores.values())

    @property
    def total(self) -> int:
        raw = self.criteria_sum + min(self.bonus, BONUS_CAP_HALF) - self.deduction
        return max(0, min(TOTAL_MAX_HALF, raw))

    @property
    def worked_days(self) -> int:
        since = max(QUARTER_START, self.recruited)
        return working_days(since, QUARTER_END) - self.leave  # maternity counts as worked

    @property
    def rated(self) -> bool:
        return self.worked_days >= MIN_SHARE_WORKED * QUARTER_WORKING_DAYS

    @property
    def band(self) -> str:
        t = self.total
        if t >= BANDS_HALF[0]:
            return "HTXSNV"
        if t >= BANDS_HALF[1]:
            return "HTTNV"
        if t >= BANDS_HALF[2]:
            return "HTNV"
        return "KHTNV"

    @property
    def rating(self) -> str:
        """The rating before the hospital's cap, as the department writes it."""
        if self.discipline:
            return "KHTNV"
        if not self.rated:
            return "NOT_RATED"
        return self.band


def half(h: int) -> float | int:
    """Half-points → the number written in the sheet (8 or 8.5)."""
    return h // 2 if h % 2 == 0 else h / 2


def comma(h: int) -> str:
    """Half-points as a clerk types a decimal: "8,5"."""
    return str(h // 2) if h % 2 == 0 else f"{h // 2},5"


def distribute_loss(rng: random.Random, loss: int) -> dict[str, int]:
    """Full marks minus ``loss`` half-points spread over the criteria by LOSS_WEIGHT."""
    scores = dict(MAX_HALF)
    for _ in range(loss):
        open_codes = [c for c in CODES if scores[c] > 0]
        code = rng.choices(open_codes, weights=[LOSS_WEIGHT[c] for c in open_codes], k=1)[0]
        scores[code] -= 1
    return scores


def draw_sum(rng: random.Random, manager: bool) -> int:
    """A criteria sum (half-points): about 30 % at 90 or more, a thin tail below 50."""
    u = rng.random() - (0.05 if manager else 0.0)
    if u < 0.30:
        return rng.randint(180, 197)
    if u < 0.90:
        return rng.randint(141, 179)
    if u < 0.99:
        return rng.randint(110, 139)
    return rng.randint(90, 109)


class Generator:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.names: set[str] = set()
        self.next_bv = 1
        self.next_zero = 101
        self.next_int = 2201

    def new_id(self, dept: Dept) -> str | int:
        if dept.ids == "zero":
            self.next_zero += 1
            return f"{self.next_zero - 1:05d}"
        if dept.ids == "int":
            self.next_int += 1
            return self.next_int - 1
        self.next_bv += 1
        return f"BV{self.next_bv - 1:04d}"

    def new_name(self, gender: str) -> str:
        rng = self.rng
        while True:
            ho = weighted(rng, HO)
            if gender == "Nữ":
                dem = weighted(rng, DEM_NU)
                ten = rng.choice(TEN_NU)
            else:
                dem = weighted(rng, DEM_NAM)
                ten = rng.choice(TEN_NAM)
            name = f"{ho} {dem} {ten}"
            if name not in self.names and dem.split()[-1] != ten:
                self.names.add(name)
                return name

    def recruited(self, manager: bool) -> date:
        first = date(1994, 1, 1) if manager else date(1998, 1, 1)
        last = date(2012, 12, 31) if manager else date(2025, 12, 31)
        return first + timedelta(days=self.rng.randint(0, (last - first).days))

    def person(self, dept: Dept, position: str, manager: bool) -> Staff:
        rng = self.rng
        share = 0.6 if manager else WOMEN_SHARE[position]
        gender = "Nữ" if rng.random() < share else "Nam"
        s = Staff(dept=dept, staff_id=self.new_id(dept), name=self.new_name(gender), gender=gender,
                  position=position, manager=manager, recruited=self.recruited(manager),
                  scores=distribute_loss(rng, TOTAL_MAX_HALF - draw_sum(rng, manager)))
        if rng.random() < 0.12:
            s.leave = rng.randint(1, 6)
        if rng.random() < 0.10:
            s.deduction = rng.choice((1, 1, 2, 2, 3, 4, 6))
        if rng.random() < 0.04:
            s.initiatives = 1
        if (position.startswith("Bác sĩ") or manager) and rng.random() < 0.10:
            s.research = 1
        if s.initiatives or s.research:
            s.bonus = 2 * (s.initiatives + s.research) + rng.choice((0, 1, 2))
        elif rng.random() < 0.08:
            s.bonus = rng.choice((1, 2, 2, 3, 4))
        return s

    def department(self, dept: Dept) -> list[Staff]:
        rng = self.rng
        if dept.name.startswith("Khoa"):
            heads = ["Trưởng khoa"] + ["Phó trưởng khoa"] * (2 if dept.size >= 36 else 1)
            nurse_head = {"san": "Hộ sinh trưởng", "cls": "Kỹ thuật viên trưởng",
                          "phcn": "Kỹ thuật viên trưởng", "duoc": None, "dinhduong": None,
                          "ksnk": "Điều dưỡng trưởng"}.get(dept.profile, "Điều dưỡng trưởng")
            if nurse_head:
                heads.append(nurse_head)
        else:
            heads = ["Trưởng phòng"] + ["Phó trưởng phòng"] * (2 if dept.size >= 16 else 1)
        staff = [self.person(dept, p, True) for p in heads]
        positions = [weighted(rng, tuple((p, float(w)) for p, w in PROFILES[dept.profile]))
                     for _ in range(dept.size - len(heads))]
        positions.sort(key=POSITION_ORDER.index)
        staff += [self.person(dept, p, False) for p in positions]
        return staff


def find(staff: list[Staff], dept: str, pred: Callable[[Staff], bool], nth: int = 0) -> Staff:
    hits = [s for s in staff if s.dept.name == dept and pred(s)]
    if len(hits) <= nth:
        raise RuntimeError(f"make_examples: no staff member in {dept} for a special case")
    return hits[nth]


def plain(s: Staff) -> bool:
    """An ordinary non-manager with no special circumstances yet."""
    return (not s.manager and not s.discipline and not s.maternity and not s.leave
            and s.recruited < QUARTER_START and not s.bonus and not s.deduction)


def apply_special_cases(staff: list[Staff]) -> None:
    """The overrides and rules the example must show, on chosen people (and the notes saying so)."""
    # Discipline → KHTNV, whatever the points (NĐ 48/2023).
    s = find(staff, "Khoa Cấp cứu", lambda s: plain(s) and s.position == "Điều dưỡng", 2)
    s.discipline, s.deduction = "Khiển trách", 4
    s.scores = distribute_loss(random.Random(1), 30)
    s.note = "Kỷ luật khiển trách (QĐ số 215/QĐ-BV ngày 12/11/2026)"
    s = find(staff, "Khoa Truyền nhiễm", lambda s: plain(s) and s.position == "Bác sĩ")
    s.discipline, s.deduction = "Cảnh cáo", 6
    s.scores = distribute_loss(random.Random(2), 26)
    s.note = "Kỷ luật cảnh cáo (QĐ số 198/QĐ-BV ngày 20/10/2026)"
    s = find(staff, "Phòng Hành chính quản trị", lambda s: plain(s) and s.position == "Bảo vệ")
    s.discipline, s.deduction = "Khiển trách", 3
    s.note = "Kỷ luật khiển trách (QĐ số 231/QĐ-BV ngày 01/12/2026)"
    # Recruited mid-quarter: 15/11/2026 leaves 33 of 65 working days (rated); 01/12/2026 leaves
    # 23 (< 32.5: not rated).
    for dept, nth in (("Khoa Cấp cứu", 5), ("Khoa Nội tổng hợp", 7), ("Khoa Nội tổng hợp", 8)):
        s = find(staff, dept, lambda s: plain(s) and s.position in ("Điều dưỡng", "Bác sĩ"), nth)
        s.recruited = date(2026, 11, 15)
        s.note = "Tuyển dụng ngày 15/11/2026"
    s = find(staff, "Khoa Tim mạch", lambda s: plain(s) and s.position == "Điều dưỡng", 3)
    s.recruited = date(2026, 12, 1)
    s.note = "Tuyển dụng ngày 01/12/2026 (chưa đủ 1/2 số ngày làm việc của quý)"
    # A long sick leave: 40 of 65 working days absent → not rated.
    s = find(staff, "Khoa Ung bướu", lambda s: plain(s) and s.position == "Điều dưỡng")
    s.leave = 40
    s.note = "Nghỉ ốm dài ngày (40 ngày làm việc)"
    # Maternity leave counts as time worked: still rated, even for the whole quarter.
    for dept, days, note in (
        ("Khoa Nhi", 66, "Nghỉ thai sản từ 25/9/2026"),
        ("Khoa Sản", 44, "Nghỉ thai sản từ 02/11/2026"),
        ("Khoa Xét nghiệm", 30, "Nghỉ thai sản từ 16/11/2026"),
        ("Phòng Tài chính kế toán", 20, "Nghỉ thai sản từ 01/12/2026 (sinh con)"),
    ):
        s = find(staff, dept, lambda s: plain(s) and s.gender == "Nữ")
        s.maternity, s.note = days, note
    # The bonus cap: 12 points of bonus count as 10 (typed total shows the capped sum).
    s = find(staff, "Khoa Tai Mũi Họng", lambda s: plain(s) and s.position == "Bác sĩ")
    s.initiatives, s.research, s.bonus = 1, 1, 24
    s.scores = distribute_loss(random.Random(3), 28)
    s.note = "Sáng kiến cấp cơ sở; chủ nhiệm đề tài NCKH cấp cơ sở"
    # The clamp: 98 + 5 = 103 is counted as 100.
    s = find(staff, "Khoa Y học cổ truyền", lambda s: plain(s))
    s.initiatives, s.bonus = 1, 10
    s.scores = distribute_loss(random.Random(4), 4)
    s.note = "Sáng kiến cấp cơ sở"
    # Not registered for emulation (kept as data; the awards stage uses it).
    for dept in ("Phòng Hành chính quản trị", "Khoa Dinh dưỡng"):
        s = find(staff, dept, plain, 1)
        s.registered = False
        s.note = "Không đăng ký thi đua"


def fit_formula_sheets(staff: list[Staff]) -> None:
    """On "F" sheets the total is =SUM(criteria)+bonus−deduction with no cap or clamp: keep the
    bonus within the cap and the raw total within [0, 100] there, so the cached value is right."""
    for s in staff:
        if s.dept.layout != "F":
            continue
        s.bonus = min(s.bonus, BONUS_CAP_HALF, TOTAL_MAX_HALF - s.criteria_sum + s.deduction)
        s.bonus = max(s.bonus, 0)


# --------------------------------------------------------------------------------------------
# The HTXSNV cap, computed independently of thidua (decisions.md "The cap")
# --------------------------------------------------------------------------------------------


@dataclass
class CapGroup:
    key: tuple[bool, str]
    base: int
    slots: int
    candidates: list[Staff]
    cutoff: int | None
    pending: list[Staff]
    kept: list[Staff]
    demoted: list[Staff]


def cap_groups(staff: list[Staff]) -> dict[tuple[bool, str], CapGroup]:
    groups: dict[tuple[bool, str], list[Staff]] = {}
    for s in staff:
        groups.setdefault(s.peer_group, []).append(s)
    out = {}
    for key, members in sorted(groups.items()):
        base = sum(1 for s in members if s.rating in ("HTXSNV", "HTTNV"))
        slots = int(CAP_RATE * base)  # floor
        cands = sorted((s for s in members if s.rating == "HTXSNV"), key=lambda s: -s.total)
        if len(cands) <= slots:
            out[key] = CapGroup(key, base, slots, cands, None, [], cands, [])
            continue
        if slots == 0:
            out[key] = CapGroup(key, base, 0, cands, None, [], [], cands)
            continue
        cut = cands[slots - 1].total
        above = [s for s in cands if s.total > cut]
        at = [s for s in cands if s.total == cut]
        below = [s for s in cands if s.total < cut]
        if len(at) <= slots - len(above):
            out[key] = CapGroup(key, base, slots, cands, cut, [], above + at, below)
        else:
            out[key] = CapGroup(key, base, slots, cands, cut, at, above, below)
    return out


def raise_to(s: Staff, target: int) -> None:
    """Add half-points to criteria with room until the person's total is ``target``."""
    for code in sorted(CODES, key=lambda c: -LOSS_WEIGHT[c]):
        while s.total < target and s.scores[code] < MAX_HALF[code]:
            s.scores[code] += 1
    if s.total != target:
        raise RuntimeError(f"make_examples: cannot raise {s.name} to {target / 2}")


def lower_by_one(s: Staff) -> None:
    for code in sorted(CODES, key=lambda c: -LOSS_WEIGHT[c]):
        if s.scores[code] > 0:
            s.scores[code] -= 1
            return


def engineer_cap_tie(staff: list[Staff]) -> None:
    """Make the main non-manager group's cut-off a tie of 2–4 people in different departments
    that cannot all fit in the slots left, so that they are "Chờ Hội đồng xét"."""
    key = (False, "")
    for _ in range(200):
        g = cap_groups(staff)[key]
        if g.cutoff is None:
            raise RuntimeError("make_examples: the cap does not bind in the non-manager group")
        at = [s for s in g.candidates if s.total == g.cutoff]
        depts = {s.dept.name for s in at}
        left = g.slots - sum(1 for s in g.candidates if s.total > g.cutoff)
        if 2 <= len(at) <= 4 and len(at) > left and len(depts) >= 2:
            return
        if len(at) > 4 or (len(at) > left and len(depts) < 2):
            # Keep three people from different departments at the cut-off; the rest lose 0.5.
            keep: list[Staff] = []
            for s in sorted(at, key=lambda s: DEPARTMENTS.index(s.dept)):
                if all(k.dept != s.dept for k in keep) and len(keep) < 3:
                    keep.append(s)
            for s in at:
                if s not in keep:
                    lower_by_one(s)
            continue
        # Nobody is blocked: lift the best candidate below the cut-off from another department.
        below = [s for s in g.candidates if s.total < g.cutoff and s.dept.name not in depts]
        if not below:
            raise RuntimeError("make_examples: no candidate below the cut-off to tie with")
        raise_to(below[0], g.cutoff)
    raise RuntimeError("make_examples: could not arrange a tie at the cap's cut-off")


# --------------------------------------------------------------------------------------------
# Assessment levels on two-row sheets; numbers typed as text on "C" sheets
# --------------------------------------------------------------------------------------------


def assign_levels(rng: random.Random, staff: list[Staff]) -> None:
    for s in staff:
        if s.dept.layout not in ("T3", "T2"):
            continue
        reviewed = s.dept.layout == "T3" and rng.random() < 0.3
        for code in CODES:
            v, top = s.scores[code], MAX_HALF[code]
            if reviewed:
                # The council re-scored this person: its cell counts; the department's differs.
                d = min(top, max(0, v + rng.choice((0, 0, 1, 1, -1))))
                s.council_scores[code] = v
            else:
                d = v
                s.council_scores[code] = None
            s.dept_scores[code] = d
            s.self_scores[code] = min(top, d + rng.choice((0, 0, 0, 1, 2)))


def assign_text_numbers(rng: random.Random, staff: list[Staff]) -> None:
    """One criterion cell typed as text ("8,5") on five of the "C" sheets."""
    for dept in [d for d in DEPARTMENTS if d.layout == "C"][:5]:
        people = [s for s in staff if s.dept is dept]
        for s in rng.sample(people, len(people)):
            halves = [c for c in CODES if s.scores[c] % 2 == 1]
            if halves:
                s.text_cells.add(halves[0])
                break


# --------------------------------------------------------------------------------------------
# A sheet as cells and styles, written by xlsxwriter (formulas with cached values) or openpyxl
# (formulas without cached values, as a program that does not calculate them saves a file)
# --------------------------------------------------------------------------------------------

FONT = "Times New Roman"
STYLES: dict[str, dict[str, Any]] = {
    "parent": {"size": 12, "align": "center"},
    "org": {"bold": True, "size": 12, "align": "center"},
    "title": {"bold": True, "size": 14, "align": "center"},
    "subtitle": {"bold": True, "italic": True, "size": 12, "align": "center"},
    "header": {"bold": True, "size": 11, "align": "center", "wrap": True, "border": True,
               "fill": "DDEBF7"},
    "text": {"size": 12, "border": True},
    "legacy": {"size": 12, "border": True, "font": ".VnTime"},
    "center": {"size": 12, "border": True, "align": "center"},
    "number": {"size": 12, "border": True, "align": "center"},
    "date": {"size": 12, "border": True, "align": "center", "num_format": "dd/mm/yyyy"},
    "total": {"size": 12, "bold": True, "border": True, "align": "center", "num_format": "0.0"},
    "sum_label": {"size": 12, "bold": True, "border": True, "align": "center"},
    "sum": {"size": 12, "bold": True, "border": True, "align": "center", "num_format": "0.0"},
    "dateline": {"size": 12, "italic": True, "align": "center"},
    "sign": {"size": 12, "bold": True, "align": "center"},
    "sign_note": {"size": 11, "italic": True, "align": "center"},
    "sheet_title": {"bold": True, "size": 14},
}


@dataclass
class Cell:
    value: Any  # str, int, float, date, or None (a styled blank)
    style: str
    formula: str | None = None  # "=SUM(O8:W8)+X8-Y8"; ``value`` is its cached value


@dataclass
class Sheet:
    name: str
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)  # 0-based (row, col)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    widths: dict[int, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)

    def put(self, r: int, c: int, value: Any, style: str, formula: str | None = None) -> None:
        self.cells[(r, c)] = Cell(value, style, formula)

    def merge(self, r1: int, c1: int, r2: int, c2: int, value: Any, style: str) -> None:
        self.merges.append((r1, c1, r2, c2))
        self.put(r1, c1, value, style)
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    self.put(r, c, None, style)


def col_letter(c: int) -> str:
    """0-based column → "A", "AB"."""
    s, c = "", c + 1
    while c:
        c, rem = divmod(c - 1, 26)
        s = chr(65 + rem) + s
    return s


def write_xlsxwriter(path: Path, sheets: list[Sheet]) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                         "strings_to_urls": False})
    wb.set_properties({"title": TITLE, "author": "Phòng Tổ chức cán bộ", "company": ORGANISATION,
                       "created": CREATED})
    formats = {}
    for name, st in STYLES.items():
        spec: dict[str, Any] = {"font_name": st.get("font", FONT), "font_size": st["size"],
                                "bold": st.get("bold", False), "italic": st.get("italic", False),
                                "valign": "vcenter", "text_wrap": st.get("wrap", False)}
        if "align" in st:
            spec["align"] = st["align"]
        if st.get("border"):
            spec["border"] = 1
        if "fill" in st:
            spec["bg_color"] = "#" + st["fill"]
        if "num_format" in st:
            spec["num_format"] = st["num_format"]
        formats[name] = wb.add_format(spec)
    for sheet in sheets:
        ws = wb.add_worksheet(sheet.name)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        for c, w in sorted(sheet.widths.items()):
            ws.set_column(c, c, w)
        for r, h in sorted(sheet.heights.items()):
            ws.set_row(r, h)
        merged_tl = {(m[0], m[1]): m for m in sheet.merges}
        inside = {(r, c) for (r1, c1, r2, c2) in sheet.merges for r in range(r1, r2 + 1)
                  for c in range(c1, c2 + 1)}
        for (r1, c1, r2, c2) in sheet.merges:
            cell = sheet.cells[(r1, c1)]
            ws.merge_range(r1, c1, r2, c2, "", formats[cell.style])
            _xw_write(ws, r1, c1, cell, formats[cell.style])
        for (r, c), cell in sorted(sheet.cells.items()):
            if (r, c) in inside and (r, c) not in merged_tl:
                continue
            if (r, c) in merged_tl:
                continue
            _xw_write(ws, r, c, cell, formats[cell.style])
    wb.close()


def _xw_write(ws: Any, r: int, c: int, cell: Cell, fmt: Any) -> None:
    if cell.formula is not None:
        if cell.value is None:
            raise ValueError("xlsxwriter always stores a cached value; use openpyxl for none")
        ws.write_formula(r, c, cell.formula, fmt, cell.value)
    elif cell.value is None:
        ws.write_blank(r, c, None, fmt)
    elif isinstance(cell.value, str):
        ws.write_string(r, c, cell.value, fmt)
    elif isinstance(cell.value, date):
        ws.write_datetime(r, c, datetime(cell.value.year, cell.value.month, cell.value.day), fmt)
    else:
        ws.write_number(r, c, cell.value, fmt)


def write_openpyxl(path: Path, sheets: list[Sheet]) -> None:
    """openpyxl cannot store a formula's cached value: formulas come out without one."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "Khoa"
    wb.properties.created = CREATED
    wb.properties.modified = CREATED
    thin = Side(style="thin")
    for sheet in sheets:
        ws = wb.create_sheet(sheet.name)
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = 9
        for c, w in sheet.widths.items():
            ws.column_dimensions[col_letter(c)].width = w
        for r, h in sheet.heights.items():
            ws.row_dimensions[r + 1].height = h
        for (r, c), cell in sorted(sheet.cells.items()):
            st = STYLES[cell.style]
            xc = ws.cell(row=r + 1, column=c + 1)
            if cell.formula is not None:
                xc.value = cell.formula
            elif cell.value is not None:
                xc.value = cell.value
                if isinstance(cell.value, str):
                    xc.data_type = "s"  # never a formula, whatever the text
            xc.font = Font(name=st.get("font", FONT), size=st["size"], bold=st.get("bold", False),
                           italic=st.get("italic", False))
            xc.alignment = Alignment(horizontal=st.get("align"), vertical="center",
                                     wrap_text=st.get("wrap", False))
            if st.get("border"):
                xc.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            if "fill" in st:
                xc.fill = PatternFill("solid", fgColor=st["fill"])
            if "num_format" in st:
                xc.number_format = st["num_format"]
        for (r1, c1, r2, c2) in sheet.merges:
            ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1,
                           end_column=c2 + 1)
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(without_clock(buffer.getvalue()))


def without_clock(xlsx: bytes) -> bytes:
    """openpyxl stamps the save time into docProps/core.xml and the zip entries: replace it with
    CREATED so that the same script writes the same bytes."""
    stamp = CREATED.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>" + stamp.encode() + rb"\g<2>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=CREATED.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, data)
    return out.getvalue()


# --------------------------------------------------------------------------------------------
# Laying out a department sheet
# --------------------------------------------------------------------------------------------


@dataclass
class Layout:
    """Where things landed on a department sheet (0-based), for later edits (nộp-về errors)."""

    rows: dict[int, int] = field(default_factory=dict)  # index in the staff list → row
    cols: dict[str, int] = field(default_factory=dict)  # field / "CM2" / "CM2:khoa" → column
    sum_row: int = 0


def department_sheet(dept: Dept, staff: list[Staff], layout: str | None = None) -> tuple[Sheet, Layout]:
    kind = layout or dept.layout
    two_rows = kind in ("T3", "T2")
    all_levels = (("Tự chấm", "tu"), ("Khoa chấm", "khoa"), ("Hội đồng chấm", "hd"))
    levels = all_levels if kind == "T3" else all_levels[:2]
    sheet, where = Sheet(dept.name), Layout()

    # Columns before the criteria.
    head: list[tuple[str, str, float]] = [  # (field, header text, width)
        ("stt", "STT", 5),
        ("id", {"F": "Mã nhân viên", "C": "Mã NV"}.get(kind, "Mã NV"), 10),
        ("name", "Họ và tên" if kind != "T2" else "Họ tên", 24),
        ("position", "Chức vụ", 16),
        ("manager", "Lãnh đạo", 8),
    ]
    if dept.nhom:
        head.append(("nhom", "Nhóm", 11))
    head += [
        ("gender", "Giới tính", 8),
        ("recruited", "Ngày tuyển\ndụng", 12),
        ("leave", "Số ngày\nnghỉ", 8),
        ("maternity", "Nghỉ thai\nsản", 8),
        ("discipline", "Kỷ luật", 11),
        ("initiatives", "Sáng kiến", 8),
        ("research", "Đề tài\nNCKH", 8),
        ("registered", "Đăng ký\nthi đua", 8),
    ]
    tail = [("bonus", "Điểm cộng", 8), ("deduction", "Điểm trừ", 8), ("total", "Tổng điểm", 9),
            ("rating", "Xếp loại", 14 if kind in ("F", "C") else 26), ("note", "Ghi chú", 30)]

    col = 0
    for f, _, w in head:
        where.cols[f] = col
        sheet.widths[col] = w
        col += 1
    crit_first = col
    for code in CODES:
        if two_rows:
            for _label, lv in levels:
                where.cols[f"{code}:{lv}"] = col
                sheet.widths[col] = 7
                col += 1
        else:
            where.cols[code] = col
            sheet.widths[col] = 7 if kind == "C" else 13
            col += 1
    crit_last = col - 1
    for f, _, w in tail:
        where.cols[f] = col
        sheet.widths[col] = w
        col += 1
    ncols = col

    # Title rows, merged across the table as clerks do.
    left = max(4, ncols // 3)
    sheet.merge(0, 0, 0, left - 1, PARENT, "parent")
    sheet.merge(1, 0, 1, left - 1, ORGANISATION, "org")
    sheet.merge(3, 0, 3, ncols - 1, TITLE, "title")
    label = "Khoa" if dept.name.startswith("Khoa") else "Phòng"
    sheet.merge(4, 0, 4, ncols - 1, f"{label}: {dept.short}", "subtitle")
    sheet.heights[3] = 22

    # Header.
    hr = 6
    if two_rows:
        for f, text, _ in head + tail:
            sheet.merge(hr, where.cols[f], hr + 1, where.cols[f], text, "header")
        for code, name, _group, top in CRITERIA:
            c0 = where.cols[f"{code}:{levels[0][1]}"]
            sheet.merge(hr, c0, hr, c0 + len(levels) - 1, f"{code} - {name} ({top} điểm)",
                        "header")
            for i, (lab, _lv) in enumerate(levels):
                sheet.put(hr + 1, c0 + i, lab, "header")
        sheet.heights[hr] = 62
        sheet.heights[hr + 1] = 32
        first = hr + 2
    else:
        for f, text, _ in head + tail:
            sheet.put(hr, where.cols[f], text, "header")
        for code, name, _group, top in CRITERIA:
            text = code if kind == "C" else f"{name} ({top}đ)"
            sheet.put(hr, where.cols[code], text, "header")
        sheet.heights[hr] = 64 if kind == "F" else 34
        first = hr + 1

    # People.
    r = first
    gap_at = len(staff) // 2 if dept.blank_row else -1
    put = sheet.put
    for i, s in enumerate(staff):
        if i == gap_at:
            for c in range(ncols):
                put(r, c, None, "center")
            r += 1
        where.rows[i] = r
        put(r, where.cols["stt"], i + 1, "center")
        put(r, where.cols["id"], s.staff_id, "center")
        put(r, where.cols["name"], s.name, "text")
        put(r, where.cols["position"], s.position, "text")
        put(r, where.cols["manager"], "x" if s.manager else None, "center")
        if dept.nhom:
            put(r, where.cols["nhom"], s.nhom, "center")
        put(r, where.cols["gender"], s.gender, "center")
        if dept.text_dates:
            put(r, where.cols["recruited"], s.recruited.strftime("%d/%m/%Y"), "center")
        else:
            put(r, where.cols["recruited"], s.recruited, "date")
        put(r, where.cols["leave"], s.leave or None, "number")
        put(r, where.cols["maternity"], s.maternity or None, "number")
        put(r, where.cols["discipline"], s.discipline or None, "center")
        put(r, where.cols["initiatives"], s.initiatives or None, "number")
        put(r, where.cols["research"], s.research or None, "number")
        put(r, where.cols["registered"], "x" if s.registered else "không", "center")
        for code in CODES:
            if two_rows:
                put(r, where.cols[f"{code}:tu"], half(s.self_scores[code]), "number")
                put(r, where.cols[f"{code}:khoa"], half(s.dept_scores[code]), "number")
                if kind == "T3":
                    council = s.council_scores[code]
                    put(r, where.cols[f"{code}:hd"], None if council is None else half(council),
                        "number")
            elif code in s.text_cells:
                put(r, where.cols[code], comma(s.scores[code]), "number")
            else:
                put(r, where.cols[code], half(s.scores[code]), "number")
        put(r, where.cols["bonus"], half(s.bonus) if s.bonus else None, "number")
        put(r, where.cols["deduction"], half(s.deduction) if s.deduction else None, "number")
        if kind == "F":
            c1, c2 = col_letter(crit_first), col_letter(crit_last)
            bonus, ded = col_letter(where.cols["bonus"]), col_letter(where.cols["deduction"])
            n = r + 1
            put(r, where.cols["total"], half(s.total), "total",
                formula=f"=SUM({c1}{n}:{c2}{n})+{bonus}{n}-{ded}{n}")
        else:
            put(r, where.cols["total"], half(s.total), "total")
        names = RATING_FULL if two_rows else RATING_ABBR
        put(r, where.cols["rating"], names[s.rating], "center")
        put(r, where.cols["note"], s.note or None, "text")
        r += 1
    last = r - 1

    # "Tổng cộng" row: sums of each score column on formula sheets, the head count elsewhere.
    where.sum_row = r
    sheet.merge(r, 0, r, where.cols["name"], "Tổng cộng", "sum_label")
    for c in range(where.cols["name"] + 1, ncols):
        sheet.put(r, c, None, "sum")
    if kind == "F":
        for c in [*range(crit_first, crit_last + 1), where.cols["bonus"], where.cols["deduction"],
                  where.cols["total"]]:
            cached = sum(sheet.cells[(rr, c)].value or 0 for rr in range(first, last + 1)
                         if (rr, c) in sheet.cells and not isinstance(sheet.cells[(rr, c)].value, str))
            L = col_letter(c)
            sheet.put(r, c, cached, "sum", formula=f"=SUM({L}{first + 1}:{L}{last + 1})")
    else:
        sheet.put(r, where.cols["position"], f"{len(staff)} người", "sum_label")

    # Signature block.
    r += 2
    right = max(where.cols["total"] - 2, ncols // 2)
    sheet.merge(r, right, r, ncols - 1, DATE_LINE, "dateline")
    r += 1
    sheet.merge(r, 1, r, 3, "NGƯỜI LẬP BIỂU", "sign")
    sheet.merge(r, right, r, ncols - 1, dept.head_title, "sign")
    r += 1
    sheet.merge(r, 1, r, 3, "(Ký, ghi rõ họ tên)", "sign_note")
    sheet.merge(r, right, r, ncols - 1, "(Ký, ghi rõ họ tên)", "sign_note")
    r += 4
    clerk = next((s for s in staff if not s.manager and s.position in
                  ("Điều dưỡng", "Chuyên viên", "Kỹ thuật viên", "Dược sĩ", "Kế toán viên")),
                 staff[-1])
    sheet.merge(r, 1, r, 3, clerk.name, "sign")
    sheet.merge(r, right, r, ncols - 1, staff[0].name, "sign")
    return sheet, where


def criteria_sheet() -> Sheet:
    sheet = Sheet("Tiêu chí")
    sheet.put(0, 0, "TIÊU CHÍ CHẤM ĐIỂM THI ĐUA NĂM 2026", "sheet_title")
    sheet.put(1, 0, f"(Kèm theo {REGULATION_NAME})", "sign_note")
    for c, (text, w) in enumerate((("Mã", 8), ("Tiêu chí", 48), ("Nhóm", 34),
                                   ("Điểm tối đa", 12))):
        sheet.put(3, c, text, "header")
        sheet.widths[c] = w
    r = 4
    for code, name, group, top in CRITERIA:
        sheet.put(r, 0, code, "center")
        sheet.put(r, 1, name, "text")
        sheet.put(r, 2, group, "text")
        sheet.put(r, 3, top, "number")
        r += 1
    sheet.put(r, 0, None, "sum_label")
    sheet.put(r, 1, "Tổng cộng", "sum_label")
    sheet.put(r, 2, None, "sum_label")
    sheet.put(r, 3, sum(c[3] for c in CRITERIA), "sum")
    sheet.put(r + 2, 0, "Điểm cộng tối đa 10 điểm; tổng điểm không vượt quá 100 điểm. "
              "Xếp loại: từ 90 điểm HTXSNV; từ 70 đến dưới 90 HTTNV; từ 50 đến dưới 70 HTNV; "
              "dưới 50 KHTNV.", "sign_note")
    return sheet


# --------------------------------------------------------------------------------------------
# The submitted files (nộp về): the same departments as sent in, four of them with problems
# --------------------------------------------------------------------------------------------

NOP_VE: tuple[tuple[str, str, str], ...] = (  # (department, file name, layout)
    ("Khoa Nội tổng hợp", "khoa-noi-tong-hop.xlsx", "F"),
    ("Khoa Ngoại tổng hợp", "khoa-ngoai-tong-hop.xlsx", "T3"),
    ("Khoa Sản", "khoa-san.xlsx", "C"),
    ("Khoa Nhi", "khoa-nhi.xlsx", "F"),
    ("Khoa Cấp cứu", "khoa-cap-cuu.xlsx", "C"),
    ("Khoa Tim mạch", "khoa-tim-mach.xlsx", "C"),
    ("Khoa Dược", "khoa-duoc.xlsx", "T3"),
    ("Phòng Điều dưỡng", "phong-dieu-duong.xlsx", "T3"),
)
# What is wrong in each file, for examples/README.md and the tests (cells are filled in below).
NOP_VE_PROBLEMS: dict[str, list[str]] = {}


def nop_ve_sheets(staff: list[Staff]) -> dict[str, tuple[Sheet, bool]]:
    """File name → (sheet, write with openpyxl)."""
    out: dict[str, tuple[Sheet, bool]] = {}
    NOP_VE_PROBLEMS.clear()
    for dept_name, file_name, layout in NOP_VE:
        dept = next(d for d in DEPARTMENTS if d.name == dept_name)
        people = [replace(s, scores=dict(s.scores), text_cells=set()) for s in staff
                  if s.dept is dept]
        problems: list[str] = []
        openpyxl_writer = False
        if file_name == "khoa-ngoai-tong-hop.xlsx":
            # A score above its maximum (Khoa chấm 17 for a 15-point criterion), and a staff ID
            # copied down onto the next person.
            i = next(i for i, s in enumerate(people)
                     if not s.manager and all(v is None for v in s.council_scores.values()))
            people[i].dept_scores = dict(people[i].dept_scores, CM2=34)
            people[i].self_scores = dict(people[i].self_scores, CM2=30)
            people[i].scores["CM2"] = 34
            people[i + 1].staff_id = people[i].staff_id
        sheet, where = department_sheet(dept, people, layout)

        def cell(i: int, f: str, where: Layout = where, sheet: Sheet = sheet) -> str:
            return f"{sheet.name}!{col_letter(where.cols[f])}{where.rows[i] + 1}"

        if file_name == "khoa-ngoai-tong-hop.xlsx":
            problems.append(f"above-maximum: {cell(i, 'CM2:khoa')} = 17 (tối đa 15)")
            problems.append(f"duplicate-staff-id: {cell(i + 1, 'id')} = {people[i].staff_id} "
                            f"(trùng {cell(i, 'id')})")
        elif file_name == "khoa-san.xlsx":
            # A name pasted from an old list typed in TCVN3 with the .VnTime font, and a bonus
            # typed "1.500" (1,5 or 1500?).
            i = next(i for i, s in enumerate(people) if not s.manager and s.gender == "Nữ"
                     and to_tcvn3(s.name) and sum(ord(ch) > 127 for ch in s.name) >= 2)
            legacy = to_tcvn3(people[i].name)
            sheet.put(where.rows[i], where.cols["name"], legacy, "legacy")
            problems.append(f"legacy-encoding: {cell(i, 'name')} = \"{legacy}\" (.VnTime) → "
                            f"\"{people[i].name}\"")
            j = next(j for j, s in enumerate(people) if not s.manager and j > i and not s.bonus)
            sheet.put(where.rows[j], where.cols["bonus"], "1.500", "number")
            sheet.put(where.rows[j], where.cols["total"], half(min(TOTAL_MAX_HALF, people[j].total + 3)), "total")
            problems.append(f"ambiguous-decimal: {cell(j, 'bonus')} = \"1.500\"")
        elif file_name == "khoa-nhi.xlsx":
            # A score typed as text: Excel's SUM skipped it, so the row's total and the "Tổng
            # cộng" row do not add up; and a cell that is not a number at all.
            i = next(i for i, s in enumerate(people)
                     if not s.manager and s.scores["CM2"] % 2 == 1 and s.rating != "NOT_RATED")
            v = people[i].scores["CM2"]
            sheet.put(where.rows[i], where.cols["CM2"], comma(v), "number")
            tot = sheet.cells[(where.rows[i], where.cols["total"])]
            tot.value = half(people[i].total - v)
            for c in (where.cols["CM2"], where.cols["total"]):
                s_cell = sheet.cells[(where.sum_row, c)]
                s_cell.value = half(round(2 * s_cell.value) - v)
            problems.append(f"number-stored-as-text: {cell(i, 'CM2')} = \"{comma(v)}\"")
            problems.append(f"total-mismatch: {cell(i, 'total')} = {half(people[i].total - v)} "
                            f"(tính lại {half(people[i].total)}); dòng Tổng cộng cũng thiếu "
                            f"{comma(v)} điểm")
            j = next(j for j, s in enumerate(people) if not s.manager and j > i + 2)
            old = people[j].scores["TD2"]
            sheet.put(where.rows[j], where.cols["TD2"], "chưa chấm", "number")
            sheet.cells[(where.rows[j], where.cols["total"])].value = half(people[j].total - old)
            for c in (where.cols["TD2"], where.cols["total"]):
                s_cell = sheet.cells[(where.sum_row, c)]
                s_cell.value = half(round(2 * s_cell.value) - old)
            problems.append(f"not-a-number: {cell(j, 'TD2')} = \"chưa chấm\"")
        elif file_name == "khoa-cap-cuu.xlsx":
            # Saved by a program that does not calculate formulas: the deductions typed as
            # formulas have no cached value.
            openpyxl_writer = True
            hits = [i for i, s in enumerate(people) if s.deduction][:2]
            for i in hits:
                d = people[i].deduction
                formula = f"=0.5*{d}"
                sheet.put(where.rows[i], where.cols["deduction"], None, "number", formula=formula)
                problems.append(f"formula-without-value: {cell(i, 'deduction')} ({formula})")
        if problems:
            NOP_VE_PROBLEMS[file_name] = problems
        out[file_name] = (sheet, openpyxl_writer)
    return out


# --------------------------------------------------------------------------------------------
# The list of departments that must submit (README: `thidua validate … --expect`)
# --------------------------------------------------------------------------------------------

DEPARTMENT_LIST = "danh-sach-khoa.xlsx"


def department_list_sheet() -> Sheet:
    """The list the office keeps of who must send a sheet in: every department of the hospital,
    under a title, headed "Khoa/Phòng" as io/department_list.py reads it."""
    sheet = Sheet("Danh sách")
    sheet.put(0, 0, "DANH SÁCH KHOA/PHÒNG NỘP BẢNG ĐIỂM THI ĐUA QUÝ IV NĂM 2026", "sheet_title")
    for c, (text, w) in enumerate((("STT", 6), ("Khoa/Phòng", 40), ("Người phụ trách", 28))):
        sheet.put(2, c, text, "header")
        sheet.widths[c] = w
    for i, dept in enumerate(DEPARTMENTS, start=1):
        sheet.put(2 + i, 0, i, "center")
        sheet.put(2 + i, 1, dept.name, "text")
        sheet.put(2 + i, 2, None, "text")
    return sheet


# --------------------------------------------------------------------------------------------
# The regulation file
# --------------------------------------------------------------------------------------------


# The hospital's Hội đồng Thi đua – Khen thưởng: nine members, as many as phieu-bau-2026.xlsx
# counts (a different number would be the finding documents-council-size-differs); fictional
# names, the first three those of the documents' sample (core/documents/sample.py).
COUNCIL_MEMBERS = (
    ("Trần Văn Giám", "Giám đốc – Chủ tịch Hội đồng"),
    ("Đỗ Minh Phúc", "Phó Giám đốc – Phó Chủ tịch Hội đồng"),
    ("Lê Thị Phòng", "Trưởng phòng Tổ chức cán bộ – Ủy viên thường trực"),
    ("Vũ Văn Vắng", "Chủ tịch Công đoàn – Ủy viên"),
    ("Bùi Thị Hoạch", "Trưởng phòng Kế hoạch tổng hợp – Ủy viên"),
    ("Ngô Văn Kế", "Trưởng phòng Tài chính kế toán – Ủy viên"),
    ("Hồ Thị Dưỡng", "Trưởng phòng Điều dưỡng – Ủy viên"),
    ("Đặng Văn Nội", "Trưởng khoa Nội tổng hợp – Ủy viên"),
    ("Phan Thị Đoàn", "Bí thư Đoàn Thanh niên – Ủy viên"),
)
COUNCIL_CHAIR = "Trần Văn Giám"
COUNCIL_SECRETARY = "Lê Thị Phòng"
TALLY_TEAM = ("Hoàng Văn Kiểm – Trưởng ban", "Đinh Thị Phiếu – Ủy viên")


def regulation_text() -> str:
    """The shipped default regulation with this hospital's name, departments and council filled
    in."""
    from thidua_cli.regulation import default_toml_text

    text = default_toml_text()
    header = (
        "# ---------------------------------------------------------------------------------------------\n"
        "# Quy chế của bệnh viện ví dụ (thư mục examples/): quy chế mặc định của thidua, giữ nguyên,\n"
        "# chỉ điền tên quy chế, danh sách khoa/phòng và Hội đồng Thi đua – Khen thưởng (mục\n"
        "# [documents]). Tệp này do examples/make_examples.py sinh ra.\n"
        "# ---------------------------------------------------------------------------------------------\n"
    )
    depts = "departments = [\n" + "".join(f'    "{d.name}",\n' for d in DEPARTMENTS) + "]"
    text, n1 = re.subn(r"(?m)^departments = \[\]$", lambda _m: depts, text, count=1)
    text, n2 = re.subn(r'(?m)^name = "[^"\n]*"$', lambda _m: f'name = "{REGULATION_NAME}"',
                       text, count=1)
    if n1 != 1 or n2 != 1:
        raise RuntimeError("make_examples: the default regulation no longer has the lines "
                           "'departments = []' and 'name = \"…\"' this script fills in")
    members = "council_members = [\n" + "".join(
        f'    {{ name = "{name}", role = "{role}" }},\n' for name, role in COUNCIL_MEMBERS) + "]"
    tally = "tally_team = [" + ", ".join(f'"{t}"' for t in TALLY_TEAM) + "]"
    for line, filled in (("council_members = []", members),
                         ('chair = ""', f'chair = "{COUNCIL_CHAIR}"'),
                         ('secretary = ""', f'secretary = "{COUNCIL_SECRETARY}"'),
                         ("tally_team = []", tally)):
        text, n = re.subn(rf"(?m)^{re.escape(line)}$", lambda _m, f=filled: f, text, count=1)
        if n != 1:
            raise RuntimeError(f"make_examples: the default regulation no longer has the line "
                               f"'{line}' this script fills in")
    return header + text


# --------------------------------------------------------------------------------------------
# KPI (thidua kpi, issue 15): the hospital's 12 indicators cascaded to the 30 departments and
# their staff, one workbook per quarter of 2026 (kpi/kpi-quy-N-2026.xlsx). Their own random
# stream, so the quarter workbook above is unchanged. The staff are those of quý IV.
# --------------------------------------------------------------------------------------------

# code, name, unit, kind, direction, target (band: low, high), weight; percentages as fractions
# (Excel cells formatted as %), as a planning office keeps them.
KPI_HOSPITAL: tuple[tuple[str, str, str, str, str, Any, int], ...] = (
    ("BV01", "Tỷ lệ hài lòng của người bệnh nội trú", "%", "Hài lòng", "", 0.90, 10),
    ("BV02", "Tỷ lệ nhiễm khuẩn bệnh viện", "%", "Tỷ lệ", "Thấp hơn tốt hơn", 0.02, 10),
    ("BV03", "Công suất sử dụng giường bệnh", "%", "Tỷ lệ", "Trong khoảng", (0.85, 0.95), 10),
    ("BV04", "Ngày điều trị trung bình", "ngày", "Số liệu", "Thấp hơn tốt hơn", 7, 5),
    ("BV05", "Tỷ lệ hồ sơ bệnh án đạt chuẩn", "%", "Tỷ lệ", "Cao hơn tốt hơn", 0.95, 10),
    ("BV06", "Mức chất lượng theo Bộ tiêu chí chất lượng bệnh viện", "mức", "Chất lượng",
     "Cao hơn tốt hơn", 4, 10),
    ("BV07", "Thời gian chờ khám trung bình", "phút", "Số liệu", "Thấp hơn tốt hơn", 60, 5),
    ("BV08", "Tỷ lệ tuân thủ vệ sinh tay", "%", "Tỷ lệ", "Cao hơn tốt hơn", 0.85, 10),
    ("BV09", "Tỷ lệ kê đơn kháng sinh hợp lý", "%", "Tỷ lệ", "Cao hơn tốt hơn", 0.80, 5),
    ("BV10", "Số lượt khám bệnh", "lượt", "Số liệu", "Cao hơn tốt hơn", 60000, 10),
    ("BV11", "Tỷ lệ thực hiện kế hoạch thu", "%", "Tỷ lệ", "Cao hơn tốt hơn", 1.0, 10),
    ("BV12", "Tỷ lệ viên chức được đào tạo liên tục", "%", "Tỷ lệ", "Cao hơn tốt hơn", 0.90, 5),
)
# Cascaded to departments by kind (parent code, weight); each also has one indicator of its own.
KPI_CASCADE = {"khoa": (("BV01", 25), ("BV02", 20), ("BV05", 20), ("BV08", 15)),
               "cls": (("BV02", 25), ("BV08", 25), ("BV11", 20), ("BV12", 10)),
               "duoc": (("BV09", 35), ("BV11", 25), ("BV12", 20)),
               "phong": (("BV11", 30), ("BV12", 30), ("BV01", 20))}
KPI_OWN = {"khoa": ("Tỷ lệ người bệnh được tư vấn khi ra viện", 20),
           "cls": ("Tỷ lệ kết quả trả đúng hẹn", 20), "duoc": ("Tỷ lệ cấp phát đúng hạn", 20),
           "phong": ("Tỷ lệ văn bản xử lý đúng hạn", 20)}
KPI_PERSONAL = (("NV1", "Khối lượng công việc hoàn thành", "%", 0.95, 40),
                ("NV2", "Tuân thủ quy trình chuyên môn", "%", 0.90, 30),
                ("NV3", "Số giờ đào tạo liên tục", "giờ", 12, 30))
KPI_HEADER = ("STT", "Mã chỉ số", "Tên chỉ số", "Cấp", "Khoa/Phòng", "Mã NV", "Họ và tên",
              "Loại", "Đơn vị tính", "Chiều", "Chỉ tiêu", "Thực hiện", "Trọng số (%)",
              "Cận dưới", "Cận trên", "Chỉ số cha", "Nguồn")


def kpi_rows(staff: list[Staff], quarter: int) -> list[list[Any]]:
    """One quarter's KPI rows (without STT), deterministic."""
    rng = random.Random(SEED * 100 + 15 * 10 + quarter)

    def actual(target: float, lower: bool = False) -> float:
        factor = rng.uniform(0.82, 1.12)
        value = target / factor if lower else target * factor
        return round(value, 4 if target < 1.5 else 1)

    rows: list[list[Any]] = []
    for code, name, unit, kind, direction, target, weight in KPI_HOSPITAL:
        low_high = target if isinstance(target, tuple) else (None, None)
        value = (round(rng.uniform(0.83, 0.97), 4) if isinstance(target, tuple)
                 else round(rng.uniform(3.2, 4.6), 1) if kind == "Chất lượng"
                 else actual(target, direction == "Thấp hơn tốt hơn"))
        rows.append([code, name, "Bệnh viện", "", "", "", kind, unit, direction,
                     None if isinstance(target, tuple) else target, value, weight, *low_high,
                     "", "Phòng Kế hoạch tổng hợp"])
    by_code = {h[0]: h for h in KPI_HOSPITAL}
    for dept in DEPARTMENTS:
        kind = dept.kind
        for i, (parent, weight) in enumerate(KPI_CASCADE[kind], start=1):
            h = by_code[parent]
            target = h[5]
            rows.append([f"K{i:02d}", h[1], "Khoa/phòng", dept.name, "", "", "", "", "",
                         None, actual(target, h[4] == "Thấp hơn tốt hơn"), weight, None, None,
                         parent, ""])
        own, weight = KPI_OWN[kind]
        rows.append(["K09", own, "Khoa/phòng", dept.name, "", "", "Tỷ lệ", "%", "Cao hơn tốt hơn",
                     0.9, actual(0.9), weight, None, None, "", ""])
    for s in staff:
        level = "Quản lý" if s.manager else "Nhân viên"
        for code, name, unit, target, weight in KPI_PERSONAL:
            rows.append([code, name, level, s.dept.name, s.staff_id, s.name,
                         "Tỷ lệ" if unit == "%" else "Số liệu", unit, "Cao hơn tốt hơn", target,
                         actual(target), weight, None, None, "", ""])
    return rows


def write_kpi_workbook(path: Path, quarter: int, rows: list[list[Any]]) -> None:
    import xlsxwriter

    roman = ("I", "II", "III", "IV")[quarter - 1]
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False,
                                         "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"title": f"KPI quý {roman} năm 2026", "author": "Phòng Kế hoạch tổng hợp",
                       "company": ORGANISATION, "created": CREATED})
    title = wb.add_format({"bold": True, "font_size": 14, "align": "center"})
    head = wb.add_format({"bold": True, "border": 1, "text_wrap": True, "bg_color": "#DDEBF7",
                          "align": "center", "valign": "vcenter"})
    text = wb.add_format({"border": 1})
    pct = wb.add_format({"border": 1, "num_format": "0.0%"})
    num = wb.add_format({"border": 1, "num_format": "#,##0.##"})
    ws = wb.add_worksheet(f"KPI quý {roman}")
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.merge_range(0, 0, 0, len(KPI_HEADER) - 1, ORGANISATION, title)
    ws.merge_range(1, 0, 1, len(KPI_HEADER) - 1, f"BẢNG CHỈ SỐ KPI QUÝ {roman} NĂM 2026", title)
    for c, h in enumerate(KPI_HEADER):
        ws.write_string(3, c, h, head)
        ws.set_column(c, c, (5, 9, 40, 11, 24, 9, 22, 11, 8, 15, 9, 9, 9, 9, 9, 9, 20)[c])
    ws.repeat_rows(3)
    for r, row in enumerate(rows, start=4):
        ws.write_number(r, 0, r - 3, text)
        is_pct = row[7] == "%" or (row[14] and by_parent_pct(row[14]))
        for c, value in enumerate(row, start=1):
            if value is None or value == "":
                ws.write_blank(r, c, None, text)
            elif isinstance(value, str):
                ws.write_string(r, c, value, text)
            else:
                ws.write_number(r, c, value, pct if is_pct and c in (10, 11, 13, 14) else num)
    wb.close()


def by_parent_pct(parent: str) -> bool:
    return any(h[0] == parent and h[2] == "%" for h in KPI_HOSPITAL)


# thidua score --kpi: a regulation where KPI fills 20 of the 100 points (HT1 and PT1 give way),
# and the quarter's sheets of two departments scored on the other seven criteria.
KPI_CRITERIA = ("CS1", "CS2", "CM1", "CM2", "CM3", "TD1", "TD2")
KPI_DEMO_DEPARTMENTS = ("Khoa Nội tổng hợp", "Khoa Tim mạch")
KPI_RULES = """\
# Quy chế ví dụ cho thidua score --kpi (sinh bởi examples/make_examples.py): quy chế mặc định,
# thêm tiêu chí KPI 20 điểm thay cho HT1 và PT1. Điểm tiêu chí KPI = điểm KPI × 20 / 100.
name = "Quy chế thi đua có chỉ số KPI (ví dụ)"

[cap]
enabled_quarter = false
""" + "".join(
    f'\n[[criteria]]\ncode = "{c}"\nname = "{n}"\ngroup = "{g}"\nmax_points = {m}\n'
    for c, n, g, m in (
        ("CS1", "Chấp hành chủ trương, chính sách, pháp luật", "Chấp hành chính sách và nội quy", 10),
        ("CS2", "Chấp hành nội quy, quy chế của bệnh viện", "Chấp hành chính sách và nội quy", 10),
        ("CM1", "Khối lượng, tiến độ công việc", "Chuyên môn nghiệp vụ", 15),
        ("CM2", "Chất lượng chuyên môn", "Chuyên môn nghiệp vụ", 15),
        ("CM3", "Hồ sơ bệnh án, an toàn người bệnh", "Chuyên môn nghiệp vụ", 10),
        ("TD1", "Quy tắc ứng xử, y đức", "Tinh thần thái độ phục vụ", 10),
        ("TD2", "Sự hài lòng của người bệnh", "Tinh thần thái độ phục vụ", 10),
        ("KPI", "Kết quả thực hiện chỉ số KPI", "Kết quả KPI", 20)))


def write_kpi_quarter(path: Path, staff: list[Staff]) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False,
                                         "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"title": TITLE, "company": ORGANISATION, "created": CREATED})
    title = wb.add_format({"bold": True, "font_size": 13})
    head = wb.add_format({"bold": True, "border": 1, "bg_color": "#DDEBF7", "align": "center"})
    cell = wb.add_format({"border": 1})
    header = ("STT", "Mã NV", "Họ và tên", "Chức vụ", "Lãnh đạo", *KPI_CRITERIA, "Điểm cộng",
              "Điểm trừ")
    for dept in KPI_DEMO_DEPARTMENTS:
        ws = wb.add_worksheet(dept)
        ws.write_string(0, 0, TITLE + " – " + dept.upper(), title)
        for c, h in enumerate(header):
            ws.write_string(2, c, h, head)
        ws.set_column(2, 2, 26)
        people = [s for s in staff if s.dept.name == dept]
        for r, s in enumerate(people, start=3):
            values: list[Any] = [r - 2, s.staff_id, s.name, s.position, "x" if s.manager else "",
                                 *(s.scores[c] / 2 for c in KPI_CRITERIA), s.bonus / 2 or None,
                                 s.deduction / 2 or None]
            for c, v in enumerate(values):
                if v is None or v == "":
                    ws.write_blank(r, c, None, cell)
                elif isinstance(v, str):
                    ws.write_string(r, c, v, cell)
                else:
                    ws.write_number(r, c, v, cell)
    wb.close()


def write_kpi_examples(outdir: Path, staff: list[Staff]) -> list[str]:
    folder = outdir / "kpi"
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for quarter in (1, 2, 3, 4):
        rows = kpi_rows(staff, quarter)
        write_kpi_workbook(folder / f"kpi-quy-{quarter}-2026.xlsx", quarter, rows)
        lines.append(f"  kpi/kpi-quy-{quarter}-2026.xlsx: {len(rows)} chỉ số")
    write_kpi_quarter(folder / "quy-4-2026-hai-khoa.xlsx", staff)
    (folder / "quy-che-kpi.toml").write_text(KPI_RULES, encoding="utf-8")
    write_kpi_errors(folder / "kpi-loi.xlsx")
    lines.append("  kpi/kpi-loi.xlsx: 3 chỉ số của một khoa, 3 lỗi cố ý")
    return lines


def write_kpi_errors(path: Path) -> None:
    """A department's own KPI sheet as typed by hand, with the mistakes the README shows: 0,93 beside
    95 (a share or a percent?), a zero target under the inverse formula, "chưa có" for a number,
    weights summing to 90."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "KPI"
    ws.append(["KPI KHOA NỘI TỔNG HỢP QUÝ IV NĂM 2026"])
    ws.append(["Mã chỉ số", "Tên chỉ số", "Cấp", "Khoa/Phòng", "Chiều", "Đơn vị tính", "Chỉ tiêu",
               "Thực hiện (%)", "Trọng số"])
    ws.append(["K01", "Tỷ lệ hồ sơ bệnh án đạt chuẩn", "Khoa/phòng", "Khoa Nội tổng hợp",
               "Cao hơn tốt hơn", "%", 95, 0.93, 40])
    ws.append(["K02", "Nhiễm khuẩn", "Khoa/phòng", "Khoa Nội tổng hợp", "Thấp hơn tốt hơn", "ca",
               0, 1, 20])
    ws.append(["K03", "Tỷ lệ người bệnh hài lòng", "Khoa/phòng", "Khoa Nội tổng hợp",
               "Cao hơn tốt hơn", "%", 90, "chưa có", 30])
    wb.properties.created = CREATED
    wb.properties.modified = CREATED
    wb.save(path)


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


def build() -> tuple[list[Staff], dict[tuple[bool, str], CapGroup]]:
    gen = Generator()
    staff: list[Staff] = []
    for dept in DEPARTMENTS:
        staff += gen.department(dept)
    apply_special_cases(staff)
    fit_formula_sheets(staff)
    engineer_cap_tie(staff)
    fit_formula_sheets(staff)
    assign_levels(gen.rng, staff)
    assign_text_numbers(gen.rng, staff)
    return staff, cap_groups(staff)


def write_all(outdir: Path) -> list[str]:
    """Write every example file into ``outdir``; return a summary (lines) of what was made."""
    staff, groups = build()
    outdir.mkdir(parents=True, exist_ok=True)
    sheets = [criteria_sheet()]
    for dept in DEPARTMENTS:
        sheet, _ = department_sheet(dept, [s for s in staff if s.dept is dept])
        sheets.append(sheet)
    write_xlsxwriter(outdir / "quy-4-2026.xlsx", sheets)
    (outdir / "quy-che.toml").write_text(regulation_text(), encoding="utf-8")
    nop = outdir / "nop-ve"
    nop.mkdir(exist_ok=True)
    for file_name, (sheet, use_openpyxl) in nop_ve_sheets(staff).items():
        (write_openpyxl if use_openpyxl else write_xlsxwriter)(nop / file_name, [sheet])
    write_xlsxwriter(outdir / DEPARTMENT_LIST, [department_list_sheet()])

    lines = [f"{len(staff)} người, {len(DEPARTMENTS)} khoa/phòng; quý IV/2026 có "
             f"{QUARTER_WORKING_DAYS} ngày làm việc."]
    for key, g in groups.items():
        label = ("Lãnh đạo, quản lý" if key[0] else "Viên chức, người lao động") + (
            f" – {key[1]}" if key[1] else "")
        lines.append(
            f"  {label}: {g.base} người từ HTTNV, trần {g.slots}, {len(g.candidates)} đạt ≥ 90, "
            f"giữ {len(g.kept)}, chờ Hội đồng {len(g.pending)}"
            + (f" ({', '.join(f'{s.staff_id} {s.dept.name}' for s in g.pending)} "
               f"cùng {half(g.cutoff or 0)} điểm)" if g.pending else "")
            + f", xuống HTTNV {len(g.demoted)}")
    for file_name, problems in NOP_VE_PROBLEMS.items():
        lines.append(f"  nop-ve/{file_name}: " + "; ".join(problems))
    lines += write_forms_example(outdir, staff)
    lines += write_initiatives(outdir, staff)
    lines += write_kpi_examples(outdir, staff)
    lines += write_income_examples(outdir, staff, groups)
    return lines


# --------------------------------------------------------------------------------------------
# Forms (issue 14): the HR export "nhan-su.xlsx" and the 30 forms thidua forms makes from it
# --------------------------------------------------------------------------------------------

STAFF_LIST = "nhan-su.xlsx"
FORMS_DIR = "bieu-mau-quy-4-2026"


def write_forms_example(outdir: Path, staff: list[Staff]) -> list[str]:
    """The staff list as the HR software exports it (title rows, extra columns, some IDs typed
    as numbers) and the forms ``thidua forms`` writes from it with the example regulation."""
    import tempfile

    from xlsxwriter import Workbook

    from thidua_cli.app.forms import make_forms
    from thidua_cli.model import Period, PeriodKind
    from thidua_cli.regulation import load_regulation

    path = outdir / STAFF_LIST
    wb = Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    wb.set_properties({"created": datetime(2026, 12, 1)})
    ws = wb.add_worksheet("DanhSach")
    ws.write(0, 0, "BỆNH VIỆN ĐA KHOA TỈNH AN BÌNH – DANH SÁCH VIÊN CHỨC, NGƯỜI LAO ĐỘNG")
    ws.write(1, 0, "(xuất từ phần mềm quản lý nhân sự ngày 01/12/2026)")
    heads = ["STT", "Mã NV", "Họ và tên", "Giới tính", "Ngày tuyển dụng", "Khoa/Phòng",
             "Chức vụ", "Lãnh đạo", "Nhóm", "Vị trí việc làm", "Trình độ"]
    ws.write_row(3, 0, heads)
    day = wb.add_format({"num_format": "dd/mm/yyyy"})
    for i, s in enumerate(staff, 1):
        r = 3 + i
        ws.write_number(r, 0, i)
        if isinstance(s.staff_id, int):
            ws.write_number(r, 1, s.staff_id)
        else:
            ws.write_string(r, 1, s.staff_id)
        ws.write_row(r, 2, [s.name, s.gender])
        ws.write_datetime(r, 4, datetime.combine(s.recruited, datetime.min.time()), day)
        ws.write_row(r, 5, [s.dept.name, s.position, "x" if s.manager else "", s.nhom,
                            s.position, "Đại học"])
    wb.close()

    with tempfile.TemporaryDirectory() as tmp:
        rules = Path(tmp) / "quy-che.toml"
        rules.write_text(regulation_text(), encoding="utf-8")
        regulation = load_regulation(rules)
    result = make_forms(path, regulation, Period(PeriodKind.QUARTER, 2026, 4),
                        outdir / FORMS_DIR, force=True)
    return [f"{STAFF_LIST}: {result.staff} người; {FORMS_DIR}/: {len(result.forms)} biểu mẫu"]


# --------------------------------------------------------------------------------------------
# The register of initiatives of 2026 and a filled-in comments sheet (issue 17). Earlier years
# stay as counts in the ledger (make_year.py's lich-su-2024-2025.xlsx): a register started in
# 2026, as a hospital would start one.
# --------------------------------------------------------------------------------------------

# Tổ công đoàn: the union groups the departments belong to (by the department's kind).
UNION_GROUPS = {"khoa": "Tổ CĐ khối Lâm sàng", "cls": "Tổ CĐ khối Cận lâm sàng",
                "duoc": "Tổ CĐ khối Cận lâm sàng", "phong": "Tổ CĐ khối Hành chính"}
_SK_WHAT = ("Ứng dụng bảng kiểm", "Cải tiến quy trình", "Xây dựng phần mềm quản lý",
            "Chuẩn hóa hồ sơ", "Giải pháp giảm thời gian chờ", "Mô hình tư vấn",
            "Sổ tay hướng dẫn", "Cải tiến dụng cụ")
_SK_FOR = ("bàn giao người bệnh", "theo dõi sau phẫu thuật", "cấp phát thuốc", "tiệt khuẩn dụng cụ",
           "tái khám ngoại trú", "phòng ngừa té ngã", "kiểm soát nhiễm khuẩn", "quản lý vật tư")
_SK_EXTRA = 8  # co-written initiatives beyond one per author the sheets credit
# Filled-in comments on the posting of the 2026 proposals (thidua publish notice of the year
# example's result, posted 01/02/2027 for 5 working days: deadline 12/02/2027, after Tết).
_COMMENTS = (
    ("Nguyễn Văn Khách", "BV0002", "Đặng Thị Yến", "Khiếu nại",
     "Đề nghị xem lại kết quả chấm điểm quý III", date(2027, 2, 3), "", ""),
    ("Tổ CĐ khối Lâm sàng", "BV0042", "Nguyễn Diệu Loan", "Góp ý",
     "Đề nghị bổ sung minh chứng sáng kiến", date(2027, 2, 4), "Đã bổ sung hồ sơ", "x"),
    ("(đơn không ký tên)", "BV0309", "Lý Văn Long", "Tố cáo",
     "Phản ánh đi muộn nhiều lần", date(2027, 2, 11), "Đã xác minh: không có căn cứ", "x"),
)


def write_initiatives(outdir: Path, staff: list[Staff]) -> list[str]:
    """``sang-kien-2026.xlsx``: 60 initiatives and research topics as a clerk keeps them
    (title rows, authors in one cell with their IDs and shares, or IDs and shares in columns of
    their own), for ``thidua initiatives import``; ``y-kien-2026.xlsx``: the comments sheet of
    ``thidua publish notice`` filled in, for ``thidua publish comments``."""
    rng = random.Random(SEED + 17)
    sheet = Sheet("Sổ sáng kiến")
    heads = ("STT", "Tên sáng kiến, đề tài", "Loại", "Tác giả", "Mã NV", "Tỷ lệ đóng góp",
             "Khoa/Phòng", "Tổ công đoàn", "Cấp công nhận", "Số quyết định", "Ngày quyết định",
             "Giá trị làm lợi (đồng)")
    sheet.merge(0, 0, 0, len(heads) - 1, ORGANISATION, "org")
    sheet.merge(1, 0, 1, len(heads) - 1, "SỔ THEO DÕI SÁNG KIẾN, ĐỀ TÀI NGHIÊN CỨU KHOA HỌC "
                "NĂM 2026", "title")
    for c, h in enumerate(heads):
        sheet.put(3, c, h, "header")
    for c, w in enumerate((5, 48, 10, 40, 16, 12, 24, 22, 12, 14, 12, 14)):
        sheet.widths[c] = w
    titles = [f"{w} {f}" for w in _SK_WHAT for f in _SK_FOR]
    rng.shuffle(titles)
    # Those the quarter sheets credit with an initiative or an accepted topic (the "Sáng kiến",
    # "Đề tài" columns) are its authors, so that the register and the sheets tell one story;
    # 8 more are written by two or three of them together.
    holders = [s for s in staff if s.initiatives or s.research]
    rows: list[tuple[str, list[Staff]]] = [
        (kind, [s]) for s in holders for kind, n in (("Sáng kiến", s.initiatives),
                                                     ("Đề tài", s.research)) if n]
    for _ in range(_SK_EXTRA):
        rows.append(("Sáng kiến", rng.sample(holders, rng.choice((2, 3)))))
    r = 4
    for n, (kind, authors) in enumerate(rows, start=1):
        dept = authors[0].dept.name
        shares = {1: (100,), 2: (60, 40), 3: (50, 30, 20)}[len(authors)]
        level = rng.choices(("Cấp cơ sở", "Cấp ngành", "Cấp tỉnh"), (14, 4, 1))[0]
        body = {"Cấp cơ sở": "BV", "Cấp ngành": "SYT", "Cấp tỉnh": "UBND"}[level]
        title = titles[n - 1] + (f" tại {dept}" if rng.random() < 0.5 else "")
        sheet.put(r, 0, n, "center")
        sheet.put(r, 1, title, "text")
        sheet.put(r, 2, kind, "center")
        if n % 2:  # authors, IDs and shares in one cell
            sheet.put(r, 3, "; ".join(f"{a.name} ({a.staff_id}) {sh}%" if len(authors) > 1
                                      else f"{a.name} ({a.staff_id})"
                                      for a, sh in zip(authors, shares, strict=True)), "text")
        else:  # IDs and shares in their own columns
            sheet.put(r, 3, "; ".join(a.name for a in authors), "text")
            sheet.put(r, 4, "; ".join(str(a.staff_id) for a in authors), "text")
            sheet.put(r, 5, "; ".join(map(str, shares)) if len(authors) > 1 else None, "center")
        sheet.put(r, 6, dept, "text")
        sheet.put(r, 7, UNION_GROUPS[authors[0].dept.kind], "text")
        sheet.put(r, 8, level, "center")
        sheet.put(r, 9, f"{rng.randint(20, 480)}/QĐ-{body}", "center")
        sheet.put(r, 10, date(2026, rng.choice((10, 11, 12)), rng.randint(1, 28)), "date")
        sheet.put(r, 11, rng.choice((None, None, None, 5_000_000, 12_000_000, 30_000_000)), "number")
        r += 1
    n = len(rows)
    write_xlsxwriter(outdir / "sang-kien-2026.xlsx", [sheet])

    # The same register as a careless clerk might send it: one problem a row (for the README).
    bad = Sheet("DS sáng kiến")
    bad.put(0, 0, "DANH SÁCH SÁNG KIẾN NĂM 2026 (bản nháp)", "sheet_title")
    for c, h in enumerate(("STT", "Tên sáng kiến", "Tác giả", "Mã NV", "Tỷ lệ (%)", "Khoa/Phòng",
                           "Cấp", "Ngày quyết định")):
        bad.put(2, c, h, "header")
        bad.widths[c] = (5, 40, 30, 16, 10, 22, 12, 12)[c]
    a, b = holders[0], holders[1]
    for i, row in enumerate((
        ("Bảng kiểm bàn giao người bệnh", f"{a.name}; {b.name}", f"{a.staff_id}; {b.staff_id}",
         "60; 40", a.dept.name, "Cơ sở", date(2026, 11, 20)),
        ("Bảng kiểm  bàn giao người bệnh", a.name, str(a.staff_id), None, a.dept.name, "Cơ sở",
         date(2026, 11, 21)),  # the same title again
        ("Sổ tay tiêm an toàn", f"{a.name}; {b.name}", f"{a.staff_id}; {b.staff_id}", "50; 30",
         a.dept.name, "Cơ sở", date(2026, 11, 22)),  # 50 + 30 = 80 %
        ("Phiếu theo dõi dịch truyền", "Trần Văn Ngoài", "BV9999", None, a.dept.name, "Cơ sở",
         date(2026, 11, 23)),  # not on the staff list
        ("Quy trình rửa tay nhanh", b.name, str(b.staff_id), None, b.dept.name, "Cơ sở",
         date(2025, 12, 15)),  # recognised in 2025
        ("Xe tiêm cải tiến", b.name, str(b.staff_id), None, b.dept.name, "Cấp huyện",
         date(2026, 12, 1)),  # no such level
    ), start=3):
        bad.put(i, 0, i - 2, "center")
        for c, value in enumerate(row, start=1):
            bad.put(i, c, value, "date" if isinstance(value, date) else "text")
    write_xlsxwriter(outdir / "sang-kien-loi.xlsx", [bad])

    comments = Sheet("Ý kiến")
    comments.put(0, 0, "SỔ TIẾP NHẬN Ý KIẾN VỀ DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM 2026", "sheet_title")
    comments.put(1, 0, "Niêm yết từ 01/02/2027 đến hết 12/02/2027 (5 ngày làm việc).", "subtitle")
    heads = ("STT", "Người góp ý", "Mã NV người được góp ý", "Họ tên người được góp ý",
             "Hình thức", "Nội dung", "Ngày nhận", "Cách giải quyết", "Đã giải quyết xong")
    for c, h in enumerate(heads):
        comments.put(3, c, h, "header")
        comments.widths[c] = (5, 22, 12, 24, 14, 44, 12, 36, 10)[c]
    for i, row in enumerate(_COMMENTS, start=1):
        for c, value in enumerate((i, *row)):
            comments.put(3 + i, c, value or None, "date" if isinstance(value, date) else "text")
    info = Sheet("Thông tin")
    for i, (label, value) in enumerate((("Kết quả xét danh hiệu", "nam-2026.de-xuat.json"),
                                        ("Năm thi đua", 2026), ("Ngày bắt đầu niêm yết", "2027-02-01"),
                                        ("Hạn nhận ý kiến", "2027-02-12"), ("Số ngày làm việc", 5))):
        info.put(i, 0, label, "sign")
        info.put(i, 1, value, "text")
    write_xlsxwriter(outdir / "y-kien-2026.xlsx", [comments, info])
    models = write_models(outdir, holders)
    return [f"  sang-kien-2026.xlsx: {n} sáng kiến, đề tài năm 2026; "
            f"y-kien-2026.xlsx: {len(_COMMENTS)} ý kiến (1 khiếu nại chưa giải quyết); "
            f"dien-hinh-2026.xlsx: {models} dòng điển hình tiên tiến"]


_MODELS = ("Tiếp đón người bệnh không phải chờ đợi", "Bàn giao người bệnh bằng bảng kiểm",
           "Nhắc lịch tái khám qua tin nhắn", "Cấp phát thuốc một cửa",
           "Khoa phòng xanh – sạch – đẹp", "Tư vấn dinh dưỡng tại giường")
_PLACES = (("Khoa Ngoại tổng hợp", "Áp dụng từ quý II; khoa đánh giá hiệu quả tốt"),
           ("Khoa Sản", "Áp dụng từ quý III; đang theo dõi kết quả"),
           ("Khoa Nhi", ""),
           ("Trung tâm Y tế huyện bạn", "Đã áp dụng từ quý III"))


def write_models(outdir: Path, holders: list[Staff]) -> int:
    """``dien-hinh-2026.xlsx``: exemplary models as a union clerk keeps them (one row per model
    or per place it was replicated at), for ``thidua initiatives models import``."""
    rng = random.Random(SEED + 171)
    sheet = Sheet("Điển hình tiên tiến")
    heads = ("STT", "Năm", "Đối tượng", "Họ tên/Tập thể", "Mã NV", "Khoa/Phòng", "Mô hình",
             "Tiêu chí đạt", "Nơi nhân rộng", "Kết quả nhân rộng")
    sheet.merge(0, 0, 0, len(heads) - 1, "ĐIỂN HÌNH TIÊN TIẾN VÀ NHÂN RỘNG NĂM 2026", "title")
    for c, h in enumerate(heads):
        sheet.put(2, c, h, "header")
        sheet.widths[c] = (5, 7, 10, 24, 10, 22, 36, 30, 24, 36)[c]
    people = rng.sample(holders, 4)
    rows: list[tuple[object, ...]] = []
    for i, person in enumerate(people):
        places = _PLACES[: (2, 1, 0, 3)[i]]
        for place, result in places or (("", ""),):
            rows.append((2026, "Cá nhân", person.name, str(person.staff_id), person.dept.name,
                         _MODELS[i], "Chiến sĩ thi đua cơ sở; có sáng kiến cấp cơ sở", place,
                         result))
    for i, dept in enumerate(sorted({p.dept.name for p in holders})[:2]):
        rows.append((2026, "Tập thể", dept, None, None, _MODELS[4 + i],
                     "Tập thể lao động xuất sắc", _PLACES[2][0] if i == 0 else None, None))
    for n, row in enumerate(rows, start=1):
        sheet.put(2 + n, 0, n, "center")
        for c, value in enumerate(row, start=1):
            sheet.put(2 + n, c, value or None, "text")
    write_xlsxwriter(outdir / "dien-hinh-2026.xlsx", [sheet])
    return len(rows)


# --------------------------------------------------------------------------------------------
# thidua income (issue 16): the staff sheets, grades and funds of March 2026 and Q4 2026
# --------------------------------------------------------------------------------------------
# examples/thu-nhap/: nhan-su-thang-3-2026.xlsx and nhan-su-quy-4-2026.xlsx (staff sheets with
# title rows, a two-row header "Số ngày nghỉ" over "Phép | Ốm | Thai sản", a numbering row, a
# "Tổng cộng" row and a signature block), loai-thang-3-2026.xlsx (grades typed by departments),
# loai-quy-4-2026.xlsx (the quarter's grades after the council settled the tie at the cap) and
# quy-khoa-quy-4-2026.xlsx (the quarter's fund per department). March's fund is one amount:
# --fund 1.250.000.000.

MARCH_START, MARCH_END = date(2026, 3, 1), date(2026, 3, 31)
HSL = {"Bác sĩ": (2.34, 2.67, 3.0, 3.33, 3.66, 3.99, 4.32, 4.65), "Dược sĩ": (2.34, 2.67, 3.0, 3.33),
       "Điều dưỡng": (1.86, 2.06, 2.26, 2.46, 2.66, 2.86, 3.06), "Hộ lý": (1.5, 1.68, 1.86, 2.04)}
HSL_OTHER = (2.1, 2.41, 2.72, 3.03, 3.34)
POSITION_COEF = {"Bác sĩ": 2.0, "Dược sĩ": 1.8, "Điều dưỡng": 1.5, "Hộ sinh": 1.5,
                 "Kỹ thuật viên": 1.5, "Hộ lý": 1.0}
BANKS = ("Vietcombank – CN An Bình", "BIDV – CN An Bình", "Agribank – CN An Bình")
GRADE_OF = {"HTXSNV": "A", "HTTNV": "B", "HTNV": "C", "KHTNV": "D", "NOT_RATED": ""}
INCOME_HEAD = ("STT", "Mã NV", "Họ và tên", "Khoa/Phòng", "Chức danh", "Hệ số lương",
               "Phụ cấp chức vụ", "Hệ số vị trí", "Ngày công", "Số ngày nghỉ", None, None,
               "Số tài khoản", "Ngân hàng")


def _staff_sheet(title: str, rows: list[tuple[Any, ...]]) -> Sheet:
    sh = Sheet("Nhân sự")
    last = len(INCOME_HEAD) - 1
    sh.merge(0, 0, 0, 3, PARENT, "parent")
    sh.merge(1, 0, 1, 3, ORGANISATION, "org")
    sh.merge(2, 0, 2, last, title, "title")
    for c, head in enumerate(INCOME_HEAD):
        if c in (9, 10, 11):
            continue
        sh.merge(4, c, 5, c, head, "header")
    sh.merge(4, 9, 4, 11, "Số ngày nghỉ", "header")
    for c, sub in zip((9, 10, 11), ("Phép", "Ốm", "Thai sản"), strict=True):
        sh.put(5, c, sub, "header")
    for c in range(len(INCOME_HEAD)):
        sh.put(6, c, f"({c + 1})", "center")
    r = 7
    for i, row in enumerate(rows, start=1):
        for c, value in enumerate((i, *row)):
            sh.put(r, c, value, "text" if c in (2, 3, 4, 12, 13) else "center")
        r += 1
    sh.merge(r, 0, r, 3, "Tổng cộng", "sum_label")
    sh.put(r + 2, 1, "Người lập bảng", "sign")
    sh.put(r + 2, 9, "Trưởng phòng Tổ chức cán bộ", "sign")
    for c, w in enumerate((5, 10, 24, 22, 12, 8, 8, 8, 8, 6, 6, 7, 17, 22)):
        sh.widths[c] = w
    return sh


def _grade_sheet(title: str, rows: list[tuple[Any, ...]]) -> Sheet:
    sh = Sheet("Loại")
    sh.merge(0, 0, 0, 4, title, "title")
    for c, head in enumerate(("STT", "Mã NV", "Họ và tên", "Khoa/Phòng", "Loại")):
        sh.put(2, c, head, "header")
    for i, row in enumerate(rows, start=1):
        for c, value in enumerate((i, *row)):
            sh.put(2 + i, c, value, "text" if c in (2, 3) else "center")
    for c, w in enumerate((5, 10, 24, 22, 6)):
        sh.widths[c] = w
    return sh


def write_income_examples(outdir: Path, staff: list[Staff],
                          groups: dict[tuple[bool, str], CapGroup]) -> list[str]:
    rng = random.Random(SEED + 16)
    folder = outdir / "thu-nhap"
    folder.mkdir(exist_ok=True)
    base: dict[int, tuple[float, float, float, str, str]] = {}
    for s in staff:
        hsl = rng.choice(HSL.get(s.position, HSL_OTHER))
        pccv = (0.7 if rng.random() < 0.4 else 0.5) if s.manager else 0.0
        account = "".join(str(rng.randrange(10)) for _ in range(13))
        base[id(s)] = (hsl, pccv, POSITION_COEF.get(s.position, 1.2), account, rng.choice(BANKS))
    march_days = working_days(MARCH_START, MARCH_END)
    march, march_grades, maternity_left = [], [], 2
    for s in staff:
        if s.recruited > MARCH_END:
            continue
        hsl, pccv, pos, account, bank = base[id(s)]
        days = working_days(max(MARCH_START, s.recruited), MARCH_END)
        annual = rng.choice((0,) * 8 + (1, 2, 3))
        sick = rng.choice((0,) * 16 + (2, 5))
        maternity = 0
        if s.gender == "Nữ" and maternity_left and s.maternity:
            maternity, annual, sick, maternity_left = days, 0, 0, maternity_left - 1
        march.append((s.staff_id, s.name, s.dept.name, s.position, hsl, pccv or None, pos,
                      days - annual - sick - maternity, annual or None, sick or None,
                      maternity or None, account if rng.random() < 0.9 else None, bank))
        march_grades.append((s.staff_id, s.name, s.dept.name, GRADE_OF[s.band if not s.discipline
                                                                       else "KHTNV"]))
    write_xlsxwriter(folder / "nhan-su-thang-3-2026.xlsx", [_staff_sheet(
        "DANH SÁCH NHÂN SỰ HƯỞNG THU NHẬP TĂNG THÊM THÁNG 3 NĂM 2026", march)])
    write_xlsxwriter(folder / "loai-thang-3-2026.xlsx", [_grade_sheet(
        "BẢNG XẾP LOẠI ABC THÁNG 3 NĂM 2026", march_grades)])
    # The quarter: the grades after the cap, the council's tie settled (first half kept A).
    after: dict[int, str] = {}
    for g in groups.values():
        for s in g.demoted:
            after[id(s)] = "HTTNV"
        for i, s in enumerate(g.pending):
            after[id(s)] = "HTXSNV" if i < len(g.pending) // 2 else "HTTNV"
    quarter, quarter_grades = [], []
    for s in staff:
        hsl, pccv, pos, account, bank = base[id(s)]
        days = working_days(max(QUARTER_START, s.recruited), QUARTER_END)
        maternity = min(s.maternity, days - s.leave)  # the rest of the leave fell outside Q4
        quarter.append((s.staff_id, s.name, s.dept.name, s.position, hsl, pccv or None, pos,
                        days - s.leave - maternity, None, s.leave or None, maternity or None,
                        account, bank))
        quarter_grades.append((s.staff_id, s.name, s.dept.name,
                               GRADE_OF[after.get(id(s), s.rating)]))
    write_xlsxwriter(folder / "nhan-su-quy-4-2026.xlsx", [_staff_sheet(
        "DANH SÁCH NHÂN SỰ HƯỞNG THU NHẬP TĂNG THÊM QUÝ IV NĂM 2026", quarter)])
    write_xlsxwriter(folder / "loai-quy-4-2026.xlsx", [_grade_sheet(
        "BẢNG XẾP LOẠI QUÝ IV NĂM 2026 (SAU KHI HỘI ĐỒNG XÉT)", quarter_grades)])
    fund = Sheet("Quỹ")
    fund.merge(0, 0, 0, 2, "QUỸ THU NHẬP TĂNG THÊM QUÝ IV NĂM 2026 THEO KHOA/PHÒNG", "title")
    for c, head in enumerate(("STT", "Khoa/Phòng", "Quỹ (đồng)")):
        fund.put(2, c, head, "header")
    total = 0
    for i, dept in enumerate(DEPARTMENTS, start=1):
        people = sum(1 for s in staff if s.dept is dept)
        amount = people * rng.choice((4_500_000, 4_800_000, 5_100_000)) + rng.randrange(0, 10) * 100_000
        total += amount
        fund.put(2 + i, 0, i, "center")
        fund.put(2 + i, 1, dept.name, "text")
        fund.put(2 + i, 2, amount, "center")
    fund.widths.update({0: 5, 1: 30, 2: 18})
    write_xlsxwriter(folder / "quy-khoa-quy-4-2026.xlsx", [fund])
    shown = f"{total:,}".replace(",", ".")
    return [f"  thu-nhap/: tháng 3/2026 {len(march)} người ({march_days} ngày làm việc), quỹ "
            f"1.250.000.000 đ; quý IV/2026 {len(quarter)} người, quỹ theo khoa/phòng {shown} đ"]


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("outdir", nargs="?", default=str(HERE), help="thư mục ghi (mặc định: examples/)")
    args = parser.parse_args(list(argv) if argv is not None else None)
    for line in write_all(Path(args.outdir)):
        print(line)
    # The emulation cluster's example (thidua cluster, issue 18) lives in its own script.
    sys.path.insert(0, str(HERE))
    import make_cluster

    for line in make_cluster.write_cluster(Path(args.outdir) / "khoi-2026"):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
