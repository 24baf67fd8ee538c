#!/usr/bin/env python3
"""Generate the benchmark workbooks into ``bench/out/`` (git-ignored).

    python bench/make_workbooks.py [--out bench/out] [--sizes 1k,3k,10k,100k]

For each size N (staff rows), two files with the same people and the same 29 columns:

- ``staff-N-khoa.xlsx``: spread over 30 department sheets (sheet name = department), the way a
  hospital's quarter workbook looks;
- ``staff-N-gop.xlsx``: one combined sheet with a department column;
  ``staff-100k-gop-loi.xlsx``: the same 100k sheet with one score typed as text.

And for ``thidua validate``: ``nop-60/`` (60 department files of 50 staff, ≈ 3,000 in all) and
``khoa-200.xlsx`` (one department file of 200 rows, for the annotated copy).

The data are valid for the default regulation (every total equals the recomputed total, no
duplicate ID or name), so ``thidua score`` runs to the end. Written with XlsxWriter in
constant-memory mode; seeded (``random.Random(2026)``), so every run writes the same cells.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import unicodedata
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SEED = 2026
SIZES = {"1k": 1_000, "3k": 3_000, "10k": 10_000, "100k": 100_000}

HEADER = (
    "STT", "Mã NV", "Họ và tên", "Khoa/Phòng", "Chức vụ", "Lãnh đạo", "Nhóm", "Giới tính",
    "Ngày tuyển dụng", "Số ngày nghỉ", "Nghỉ thai sản", "Kỷ luật", "Sáng kiến", "Đề tài NCKH",
    "Đăng ký thi đua", "Ghi chú",
    "CS1", "CS2", "CM1", "CM2", "CM3", "TD1", "TD2", "HT1", "PT1",
    "Điểm cộng", "Điểm trừ", "Tổng điểm", "Xếp loại",
)
assert len(HEADER) == 29
MAX_HALF = (20, 20, 30, 30, 20, 20, 20, 20, 20)  # the default criteria, in half-points
DATE_COL = HEADER.index("Ngày tuyển dụng")
TITLE_ROWS = ("SỞ Y TẾ TỈNH AN BÌNH", "BỆNH VIỆN ĐA KHOA TỈNH AN BÌNH",
              "BẢNG TỔNG HỢP ĐIỂM THI ĐUA QUÝ IV NĂM 2026")
HEADER_ROW = len(TITLE_ROWS) + 1  # 0-based: a blank row between the titles and the header

DEPARTMENTS_30 = (
    "Khoa Khám bệnh", "Khoa Cấp cứu", "Khoa Nội tổng hợp", "Khoa Ngoại tổng hợp", "Khoa Sản",
    "Khoa Nhi", "Khoa Hồi sức – Chống độc", "Khoa Truyền nhiễm", "Khoa Tim mạch",
    "Khoa Thần kinh", "Khoa Ung bướu", "Khoa Y học cổ truyền", "Khoa Phục hồi chức năng",
    "Khoa Mắt", "Khoa Tai Mũi Họng", "Khoa Răng Hàm Mặt", "Khoa Gây mê hồi sức",
    "Khoa Chẩn đoán hình ảnh", "Khoa Xét nghiệm", "Khoa Dược", "Khoa Kiểm soát nhiễm khuẩn",
    "Khoa Dinh dưỡng", "Phòng Kế hoạch tổng hợp", "Phòng Tổ chức cán bộ",
    "Phòng Tài chính kế toán", "Phòng Điều dưỡng", "Phòng Hành chính quản trị",
    "Phòng Quản lý chất lượng", "Phòng Vật tư thiết bị y tế", "Phòng Công tác xã hội",
)
DEPARTMENTS_60 = (
    *DEPARTMENTS_30,
    "Khoa Nội tiêu hóa", "Khoa Nội thận – Tiết niệu", "Khoa Nội tiết", "Khoa Nội hô hấp",
    "Khoa Nội cơ xương khớp", "Khoa Lão khoa", "Khoa Chấn thương chỉnh hình",
    "Khoa Ngoại thần kinh", "Khoa Ngoại tiết niệu", "Khoa Ngoại lồng ngực",
    "Khoa Phẫu thuật tạo hình", "Khoa Bỏng", "Khoa Sơ sinh", "Khoa Hiếm muộn", "Khoa Da liễu",
    "Khoa Tâm thần", "Khoa Huyết học", "Khoa Giải phẫu bệnh", "Khoa Vi sinh", "Khoa Hóa sinh",
    "Khoa Thăm dò chức năng", "Khoa Nội soi", "Khoa Y học hạt nhân", "Khoa Lọc máu",
    "Khoa Điều trị theo yêu cầu", "Khoa Bệnh nhiệt đới", "Trung tâm Đột quỵ",
    "Khoa Can thiệp tim mạch", "Phòng Công nghệ thông tin", "Phòng Chỉ đạo tuyến",
)

HO = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
      "Hồ", "Ngô", "Dương", "Lý", "Đào", "Đinh", "Trịnh", "Mai", "Lâm", "Trương", "Hà", "Cao")
HO_WEIGHTS = (38, 11, 9.5, 7, 3.4, 1.7, 4.5, 2.4, 1.5, 2.1, 2, 1.4, 1.3, 1.3, 1, 0.5, 0.8, 0.8,
              0.6, 0.5, 0.5, 0.6, 0.5, 0.4)
DEM_NU = ("Thị", "Thu", "Ngọc", "Thanh", "Thúy", "Hồng", "Kim", "Minh", "Phương", "Bích", "Mỹ")
DEM_NAM = ("Văn", "Đức", "Minh", "Hữu", "Quang", "Thanh", "Công", "Xuân", "Quốc", "Trọng", "Đình")
DEM_2 = ("", "", "", "Thu", "Ngọc", "Minh", "Anh", "Hoài", "Khánh", "Bảo", "Gia", "Thiên", "Kim",
         "Hải", "Nhật", "Phúc", "Tường", "Diệu", "Hồng", "Xuân", "Quỳnh", "Tuệ", "An", "Đăng")
TEN_NU = ("An", "Anh", "Ánh", "Bình", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hòa",
          "Hương", "Huyền", "Lan", "Linh", "Loan", "Mai", "My", "Nga", "Ngọc", "Nhung", "Phương",
          "Quỳnh", "Tâm", "Thảo", "Thủy", "Trang", "Vân", "Yến", "Hiền", "Liên", "Oanh", "Trinh")
TEN_NAM = ("An", "Anh", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hải", "Hiếu", "Hòa", "Hùng",
           "Khánh", "Long", "Minh", "Nam", "Quân", "Sơn", "Tâm", "Thắng", "Tuấn", "Hưng", "Huy",
           "Kiên", "Lâm", "Lộc", "Phong", "Phúc", "Quang", "Tài", "Thành", "Trung", "Việt")
POSITIONS = (("Bác sĩ", "Bác sĩ", 0.45), ("Điều dưỡng", "Điều dưỡng", 0.85),
             ("Kỹ thuật viên", "Điều dưỡng", 0.6), ("Hộ lý", "Khác", 0.8),
             ("Chuyên viên", "Khác", 0.6), ("Dược sĩ", "Khác", 0.75))
POSITION_WEIGHTS = (25, 45, 10, 8, 8, 4)
MANAGERS = (("Trưởng khoa", "Bác sĩ"), ("Phó trưởng khoa", "Bác sĩ"),
            ("Điều dưỡng trưởng", "Điều dưỡng"))
RATINGS = ((180, "HTXSNV"), (140, "HTTNV"), (100, "HTNV"), (0, "KHTNV"))


def half(h: int) -> float | int:
    return h // 2 if h % 2 == 0 else h / 2


def people(n: int, departments: tuple[str, ...], seed: int = SEED) -> Iterator[list[Any]]:
    """``n`` staff rows (29 values, the STT left as 0), departments in contiguous blocks."""
    rng = random.Random(seed)
    names: set[str] = set()
    per_dept = -(-n // len(departments))
    base = date(1995, 1, 1)
    for i in range(n):
        dept = departments[i // per_dept]
        manager = i % per_dept < 3 or rng.random() < 0.02
        if manager:
            position, nhom = MANAGERS[min(i % per_dept, 2)] if i % per_dept < 3 else MANAGERS[1]
            woman = rng.random() < 0.55
        else:
            position, nhom, share = rng.choices(POSITIONS, weights=POSITION_WEIGHTS, k=1)[0]
            woman = rng.random() < share
        while True:
            ho = rng.choices(HO, weights=HO_WEIGHTS, k=1)[0]
            dem = rng.choice(DEM_NU if woman else DEM_NAM)
            dem2 = rng.choice(DEM_2)
            ten = rng.choice(TEN_NU if woman else TEN_NAM)
            name = " ".join(p for p in (ho, dem, dem2, ten) if p)
            if name not in names and dem2 != ten:
                names.add(name)
                break
        target = rng.choices((rng.randint(180, 196), rng.randint(140, 179), rng.randint(100, 139)),
                             weights=(22, 70, 8), k=1)[0]
        scores = list(MAX_HALF)
        for _ in range(200 - target):
            j = rng.randrange(9)
            while scores[j] == 0:
                j = (j + 1) % 9
            scores[j] -= 1
        bonus = rng.choice((0,) * 12 + (1, 2, 3, 4))
        deduction = rng.choice((0,) * 14 + (1, 2))
        total = max(0, min(200, sum(scores) + min(bonus, 20) - deduction))
        discipline = "Khiển trách" if rng.random() < 0.001 else ""
        rating = "KHTNV" if discipline else next(r for lo, r in RATINGS if total >= lo)
        maternity = rng.choice((44, 66)) if woman and rng.random() < 0.01 else 0
        leave = 0 if maternity or rng.random() < 0.85 else rng.randint(1, 6)
        research = 1 if nhom == "Bác sĩ" and rng.random() < 0.05 else 0
        yield [
            0, f"NV{i + 1:06d}", name, dept, position, "x" if manager else "", nhom,
            "Nữ" if woman else "Nam", base + timedelta(days=rng.randint(0, 11_000)),
            leave or "", maternity or "", discipline, "", research or "", "x", "",
            *(half(s) for s in scores), half(bonus) if bonus else "",
            half(deduction) if deduction else "", half(total), rating,
        ]


def write_workbook(path: Path, sheets: list[tuple[str, list[list[Any]]]]) -> None:
    """One sheet per (name, rows): title rows, a header row, then the rows (STT filled in)."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                         "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"created": datetime(2026, 12, 28, 8, 0, 0)})
    bold = wb.add_format({"bold": True})
    head = wb.add_format({"bold": True, "text_wrap": True, "border": 1, "align": "center"})
    day = wb.add_format({"num_format": "dd/mm/yyyy"})
    for name, rows in sheets:
        ws = wb.add_worksheet(name[:31])
        for r, text in enumerate(TITLE_ROWS):
            ws.write_string(r, 0, text, bold)
        ws.write_row(HEADER_ROW, 0, HEADER, head)
        r = HEADER_ROW + 1
        for stt, row in enumerate(rows, start=1):
            row[0] = stt
            ws.write_row(r, 0, row[:DATE_COL])
            d = row[DATE_COL]
            ws.write_datetime(r, DATE_COL, datetime(d.year, d.month, d.day), day)
            ws.write_row(r, DATE_COL + 1, row[DATE_COL + 1:])
            r += 1
    wb.close()


def slug(text: str) -> str:
    s = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    return "-".join("".join(ch if ch.isalnum() else " " for ch in s).split())


def by_department(rows: list[list[Any]]) -> list[tuple[str, list[list[Any]]]]:
    out: dict[str, list[list[Any]]] = {}
    for row in rows:
        out.setdefault(row[3], []).append(row)
    return list(out.items())


def generate(out: Path, sizes: list[str]) -> list[str]:
    out.mkdir(parents=True, exist_ok=True)
    made = []
    for key in sizes:
        rows = list(people(SIZES[key], DEPARTMENTS_30))
        for layout, sheets in (("khoa", by_department(rows)), ("gop", [("Tổng hợp", rows)])):
            path = out / f"staff-{key}-{layout}.xlsx"
            t0 = time.perf_counter()
            write_workbook(path, [(n, [list(r) for r in rs]) for n, rs in sheets])
            made.append(f"{path.name}: {len(rows)} người, {len(sheets)} sheet "
                        f"({time.perf_counter() - t0:.1f} s)")
        if key == "100k":
            # The same sheet with one mistake (a score typed "9,5" as text, row 50,000): what
            # validate costs when a large file is not clean (validate_bench.py measures it).
            wrong = [list(r) for r in rows]
            wrong[49_999][HEADER.index("CS1")] = "9,5"
            path = out / "staff-100k-gop-loi.xlsx"
            write_workbook(path, [("Tổng hợp", wrong)])
            made.append(f"{path.name}: {len(rows)} người, 1 sheet, một ô sai")
    folder = out / "nop-60"
    folder.mkdir(exist_ok=True)
    rows = list(people(3_000, DEPARTMENTS_60, seed=SEED + 60))
    for name, dept_rows in by_department(rows):
        write_workbook(folder / f"{slug(name)}.xlsx", [(name, dept_rows)])
    made.append(f"nop-60/: {len(rows)} người trong {len(DEPARTMENTS_60)} tệp")
    rows = list(people(200, ("Khoa Nội tổng hợp",), seed=SEED + 200))
    write_workbook(out / "khoa-200.xlsx", [("Khoa Nội tổng hợp", rows)])
    made.append("khoa-200.xlsx: 200 người")
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Sinh các bảng điểm dùng để đo hiệu năng.")
    parser.add_argument("--out", default=str(HERE / "out"), help="thư mục ghi (mặc định bench/out)")
    parser.add_argument("--sizes", default=",".join(SIZES),
                        help="các cỡ, cách nhau bởi dấu phẩy: " + ", ".join(SIZES))
    args = parser.parse_args(argv)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"cỡ không có: {', '.join(unknown)} (chọn trong {', '.join(SIZES)})")
    for line in generate(Path(args.out), sizes):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
