"""Regenerate the spreadsheet fixtures of ``tests/data`` saved by a real spreadsheet program.

    python tests/data/make_fixtures.py        # needs LibreOffice (soffice) on PATH

A workbook is written with openpyxl, then LibreOffice converts it to ``loader-sample.xls``
(Excel 97-2003, BIFF8), ``loader-sample.ods`` and ``loader-sample.xlsx`` and recalculates the
formulas, so all three carry cached values as a spreadsheet program writes them. The layout is the
one ``tests/io/test_workbook.py`` asserts cell by cell: a merged title, a table starting at C5,
a hidden row, a struck-through row, a cached #DIV/0! error, a date and a hidden sheet.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
NAME = "loader-sample"


def build_xlsx(path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Khoa Nội"
    ws["C2"] = "BẢNG ĐIỂM THI ĐUA QUÝ IV NĂM 2026"
    ws.merge_cells("C2:F2")
    ws["C5"], ws["D5"], ws["E5"], ws["F5"] = "Họ và tên", "Điểm", "Ngày vào", "Ghi chú"
    ws["C6"], ws["D6"], ws["E6"] = "Nguyễn Văn An", 9.5, date(2026, 3, 5)
    ws["C7"], ws["D7"] = "Trần Thị Bình", "=1/0"
    ws["C8"], ws["D8"], ws["F8"] = "Lê Văn Cường", "=D6*2", "đã nghỉ"
    ws["C8"].font = Font(strike=True)
    ws.row_dimensions[7].hidden = True
    hidden = wb.create_sheet("Ẩn")
    hidden["A1"] = "dữ liệu ẩn"
    hidden.sheet_state = "hidden"
    wb.save(path)


def convert(src: Path, fmt: str, outdir: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        sys.exit("LibreOffice (soffice) is needed: apt-get install libreoffice-calc-nogui")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
             fmt, "--outdir", str(outdir), str(src)],
            check=True, capture_output=True, timeout=300,
        )
    return outdir / f"{src.stem}.{fmt}"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"{NAME}.xlsx"
        build_xlsx(src)
        outdir = Path(tmp) / "out"
        outdir.mkdir()
        for fmt in ("xls", "ods", "xlsx"):
            out = convert(src, fmt, outdir)
            shutil.copyfile(out, HERE / out.name)
            print(f"wrote {HERE / out.name}")


if __name__ == "__main__":
    main()
