"""Regenerate ``khoa-noi-lo.xlsx`` and ``khoa-noi-lo.xls``: a department sheet SAVED BY
LIBREOFFICE, for ``thidua validate``'s exact cell references.

    python tests/data/libreoffice/make_validate_fixture.py     # needs LibreOffice (soffice)

The workbook is written with openpyxl, then LibreOffice converts it (recalculating every formula,
so the files carry cached values as a spreadsheet program writes them) to .xlsx and to .xls
(Excel 97-2003). The layout has what makes row numbers drift in naive readers: merged title rows,
blank rows above and inside the table, a two-row header (criterion above "Tự chấm" / "Khoa
chấm", identity columns merged across both header rows), a hidden row with data, a struck-through
row, a "Tổng cộng" row of SUM formulas and a signature block.

``tests/cli/test_validate_findings.py::test_libreoffice_fixture_cells_are_exact`` lists, cell by
cell, the problems placed below (``PROBLEMS``); keep both in step.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
NAME = "khoa-noi-lo"
SHEET = "Khoa Nội"

CRITERIA = ("CS1", "CS2", "CM1", "CM2", "CM3", "TD1", "TD2", "HT1", "PT1")
MAXIMA = (10, 10, 15, 15, 10, 10, 10, 10, 10)
HEADER_TOP, HEADER_LEVELS = 7, 8  # the two header rows (Excel rows)
FIRST = 10  # first data row: row 9 is blank on purpose
# Columns: A STT, B Mã NV, C Họ và tên, D Chức vụ, E Số ngày nghỉ, then per criterion two
# columns (Tự chấm, Khoa chấm) F..W, X Điểm cộng, Y Điểm trừ, Z Tổng điểm, AA Xếp loại.
LEVEL_COLS = {code: (6 + 2 * i, 7 + 2 * i) for i, code in enumerate(CRITERIA)}
BONUS, DEDUCTION, TOTAL, RATING = 24, 25, 26, 27

# Department scores ("Khoa chấm"), Σ = 83 → HTTNV, unless a row changes them below.
BASE = (8, 9, 12, 13, 8, 9, 8, 7, 9)

# The problems, by Excel cell, as ``validate`` must report them (code, cell).
PROBLEMS = [
    ("above-maximum", "K12"),  # CM1 Khoa chấm 17 > 15 (row 12)
    ("hidden-row-with-data", "13:13"),
    ("not-a-number", "O14"),  # CM3 Khoa chấm "chưa chấm"
    ("number-stored-as-text", "Q16"),  # TD1 Khoa chấm "8,5" (row 16; row 15 is blank)
    ("total-mismatch", "Z16"),  # the typed total skipped the text number
    ("strike-through-row", "17:17"),
    ("duplicate-staff-id", "B18"),
    ("missing-name", "C19"),
    ("error-value", "E20"),  # Số ngày nghỉ =1/0 → #DIV/0! cached by LibreOffice
    ("total-mismatch", "Q22"),  # "Tổng cộng" row: SUM skipped the text 8,5
    ("total-mismatch", "Z22"),  # "Tổng cộng" of the totals: 901 written, 909,5 recomputed
]


def build(path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    ws["A1"] = "SỞ Y TẾ TỈNH AN BÌNH"
    ws.merge_cells("A1:E1")
    ws["A2"] = "BỆNH VIỆN ĐA KHOA TỈNH AN BÌNH"
    ws.merge_cells("A2:E2")
    ws["A4"] = "BẢNG ĐIỂM THI ĐUA QUÝ IV NĂM 2026"
    ws.merge_cells("A4:AA4")
    ws["A5"] = "Khoa Nội"
    ws.merge_cells("A5:AA5")
    bold = Font(bold=True)
    for col, title in ((1, "STT"), (2, "Mã NV"), (3, "Họ và tên"), (4, "Chức vụ"),
                       (5, "Số ngày nghỉ"), (BONUS, "Điểm cộng"), (DEDUCTION, "Điểm trừ"),
                       (TOTAL, "Tổng điểm"), (RATING, "Xếp loại")):
        ws.cell(row=HEADER_TOP, column=col, value=title).font = bold
        ws.merge_cells(start_row=HEADER_TOP, start_column=col, end_row=HEADER_LEVELS,
                       end_column=col)
    for code, mx in zip(CRITERIA, MAXIMA, strict=True):
        c1, c2 = LEVEL_COLS[code]
        ws.cell(row=HEADER_TOP, column=c1, value=f"{code} ({mx}đ)").font = bold
        ws.merge_cells(start_row=HEADER_TOP, start_column=c1, end_row=HEADER_TOP, end_column=c2)
        ws.cell(row=HEADER_LEVELS, column=c1, value="Tự chấm")
        ws.cell(row=HEADER_LEVELS, column=c2, value="Khoa chấm")
    for c in range(1, RATING + 1):
        ws.cell(row=HEADER_TOP, column=c).alignment = Alignment(wrap_text=True)

    people = [
        ("KN001", "Nguyễn Văn An", "Trưởng khoa", {}),
        ("KN002", "Trần Thị Bình", "Bác sĩ", {}),
        ("KN003", "Lê Văn Cường", "Bác sĩ", {"CM1": 17}),  # row 12
        ("KN004", "Phạm Thị Dung", "Điều dưỡng", {}),  # row 13, hidden
        ("KN005", "Hoàng Văn Em", "Điều dưỡng", {"CM3": "chưa chấm"}),  # row 14
        None,  # row 15: a blank row inside the table
        ("KN006", "Vũ Thị Giang", "Điều dưỡng", {"TD1": "8,5"}),  # row 16
        ("KN007", "Đặng Văn Hùng", "Hộ lý", {}),  # row 17, struck through (đã nghỉ)
        ("KN002", "Bùi Thị Hoa", "Điều dưỡng", {}),  # row 18: ID typed twice
        ("KN009", "", "Kỹ thuật viên", {}),  # row 19: no name
        ("KN010", "Ngô Văn Khoa", "Bác sĩ", {"leave": "=1/0"}),  # row 20
        ("KN011", "Dương Thị Lan", "Dược sĩ", {}),  # row 21
    ]
    r = FIRST
    for n, person in enumerate(people, start=1):
        if person is None:
            r += 1
            continue
        staff_id, name, position, changes = person
        ws.cell(row=r, column=1, value=n)
        ws.cell(row=r, column=2, value=staff_id)
        if name:
            ws.cell(row=r, column=3, value=name)
        ws.cell(row=r, column=4, value=position)
        ws.cell(row=r, column=5, value=changes.get("leave", 0))
        for code, base in zip(CRITERIA, BASE, strict=True):
            c_self, c_dept = LEVEL_COLS[code]
            value = changes.get(code, base)
            ws.cell(row=r, column=c_self, value=base)
            cell = ws.cell(row=r, column=c_dept, value=value)
            if isinstance(value, str) and not value.startswith("="):
                cell.data_type = "s"
        dept_cells = "+".join(f"{ws.cell(row=r, column=LEVEL_COLS[c][1]).coordinate}"
                              for c in CRITERIA)
        if staff_id == "KN006":
            # Typed by hand from Excel's SUM, which skipped the text "8,5": 83 − 9 = 74.
            ws.cell(row=r, column=TOTAL, value=74)
        else:
            ws.cell(row=r, column=TOTAL, value=f"=SUM({dept_cells.replace('+', ',')})")
        ws.cell(row=r, column=RATING, value="HTTNV")
        r += 1
    ws.row_dimensions[13].hidden = True
    for c in range(1, RATING + 1):
        ws.cell(row=17, column=c).font = Font(strike=True)
    total_row = r  # 22
    ws.cell(row=total_row, column=1, value="Tổng cộng")
    ws.merge_cells(start_row=total_row, start_column=1, end_row=total_row, end_column=5)
    for code in CRITERIA:
        for c in LEVEL_COLS[code]:
            letter = ws.cell(row=FIRST, column=c).column_letter
            ws.cell(row=total_row, column=c, value=f"=SUM({letter}{FIRST}:{letter}{total_row - 1})")
    ws.cell(row=total_row, column=TOTAL, value=f"=SUM(Z{FIRST}:Z{total_row - 1})")
    ws.cell(row=total_row + 2, column=3, value="Người lập biểu")
    ws.cell(row=total_row + 2, column=20, value="Trưởng khoa")
    wb.save(path)


def main() -> int:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("LibreOffice (soffice) is needed", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"{NAME}.xlsx"
        build(src)
        for fmt, filt in (("xlsx", "xlsx:Calc MS Excel 2007 XML"), ("xls", "xls:MS Excel 97")):
            out = Path(tmp) / "out"
            out.mkdir(exist_ok=True)
            subprocess.run(
                [soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                 "--convert-to", filt, "--outdir", str(out), str(src)],
                check=True, capture_output=True, timeout=180,
            )
            shutil.copyfile(out / f"{NAME}.{fmt}", HERE / f"{NAME}.{fmt}")
            print(f"wrote {HERE / f'{NAME}.{fmt}'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
