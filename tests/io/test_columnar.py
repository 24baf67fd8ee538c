"""The columnar validate path (io/columnar.py, io/columnar_check.py, validate._validate_large)
gives what the usual path gives.

a. ``load_large`` reads the values ``load_workbook`` reads, type for type, from workbooks
   written by XlsxWriter (shared and inline strings), openpyxl and LibreOffice;
b. it declines (None) what it cannot read exactly;
c. ``validate_paths`` on a generated combined-sheet quarter workbook, clean and with one problem
   at a time, reports the same with the columnar path forced and with it off;
d. the CLI end to end.

Every workbook is small: ``MIN_SHEET_BYTES`` (or ``min_sheet_bytes``) is set to 0 to take it.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from helpers import CliResult
from thidua_cli.io import columnar
from thidua_cli.io.columnar import HEAD_ROWS, LargeSheet, load_large
from thidua_cli.io.workbook import load_workbook
from thidua_cli.model import Period, PeriodKind, Rating, Regulation

Q4 = Period(PeriodKind.QUARTER, 2026, 4)

# --------------------------------------------------------------------------------------------
# a. load_large equals load_workbook
# --------------------------------------------------------------------------------------------

TITLE = "BẢNG TỔNG HỢP ĐIỂM THI ĐUA QUÝ IV NĂM 2026"
NFD_NAME = unicodedata.normalize("NFD", "Nguyễn Thị Hồng Nhung")  # macOS keyboards


def mixed_rows(n: int, seed: int = 7) -> list[list[Any]]:
    """A title, a header and ``n`` rows of every kind of value the loader gives (ints, floats
    with awkward decimals, Vietnamese text, NFD text, dates at midnight, blanks), 12 columns;
    column K is empty everywhere, column L holds text with blanks."""
    rng = random.Random(seed)
    rows: list[list[Any]] = [[TITLE], [], ["STT", "Mã NV", "Họ và tên", "Điểm", "Lẻ",
                                           "Ngày", "Ghi chú", "Số", "Âm", "Thưa", "Trống",
                                           "Chữ thưa"]]
    for i in range(1, n + 1):
        rows.append([
            i, f"NV{i:05d}", NFD_NAME if i % 37 == 0 else f"Trần Văn Ấn {i}",
            rng.choice((9, 9.5, 10, 8.25, 7.1, 0)), rng.choice((0.1, 1e-7, 89.995, 1 / 3, 2.5e9)),
            date(2026, 1 + i % 12, 1 + i % 28), rng.choice(("", "ốm", "x", "Khiển trách")),
            i * 1000, -i / 2, rng.choice((1, "", "")), "",
            rng.choice(("", "", "chữ", "  có dấu cách  ", "Điều dưỡng")),
        ])
    return rows


def write_xlsxwriter(path: Path, rows: Sequence[Sequence[Any]], *, inline: bool = False,
                     merge: str | None = "A1:F1", extra_sheet: bool = False) -> Path:
    import xlsxwriter

    options: dict[str, Any] = {"strings_to_numbers": False, "strings_to_formulas": False,
                               "strings_to_urls": False}
    if inline:
        options["constant_memory"] = True  # rows streamed, strings written inline
    wb = xlsxwriter.Workbook(str(path), options)
    day = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws = wb.add_worksheet("Tổng hợp")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value == "" or value is None:
                continue
            if isinstance(value, date):
                ws.write_datetime(r, c, datetime(value.year, value.month, value.day), day)
            elif isinstance(value, bool):
                ws.write_boolean(r, c, value)
            elif isinstance(value, (int, float)):
                ws.write_number(r, c, value)
            else:
                ws.write_string(r, c, value)
    if merge and not inline:  # constant_memory writes merged cells too, but only row by row
        ws.merge_range(merge, rows[0][0])
    if extra_sheet:
        wb.add_worksheet("Ghi chú").write_string(0, 0, "xem sheet Tổng hợp")
    wb.close()
    return path


def write_openpyxl(path: Path, rows: Sequence[Sequence[Any]], *, merge: str | None = "A1:F1",
                   hidden_row: int | None = None, formula: str | None = None) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Tổng hợp"
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value == "" or value is None:
                continue
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, date):
                cell.number_format = "dd/mm/yyyy"
    if merge:
        ws.merge_cells(merge)
    if hidden_row is not None:
        ws.row_dimensions[hidden_row].hidden = True
    if formula is not None:
        ws[formula] = "=D5*2"  # openpyxl writes no cached value
    wb.save(path)
    return path


def assert_same_values(path: Path) -> LargeSheet:
    """load_large (forced) gives load_workbook's values: head rows, merged cells, and each
    column from row HEAD_ROWS + 1, types included."""
    large = load_large(path, min_sheet_bytes=0)
    assert large is not None, path.name
    usual = load_workbook(path).sheets[0]
    width = large.width
    assert width == max(len(r) for r in usual.rows)
    padded = [r + [""] * (width - len(r)) for r in usual.rows]
    padded += [[""] * width for _ in range(max(0, HEAD_ROWS - len(padded)))]
    assert large.nrows == len(usual.rows)
    assert large.sheet.rows == padded[:HEAD_ROWS]
    assert large.sheet.name == usual.name and large.sheet.merged == usual.merged
    assert large.workbook.sha256 == load_workbook(path).sha256
    for i in range(width):
        want = [r[i] for r in padded[HEAD_ROWS:]]
        got = large.values(i, HEAD_ROWS + 1)
        assert got == want, i
        assert [type(v) for v in got] == [type(v) for v in want], i
        # From another first row, in the head and below it.
        assert large.values(i, 4) == [r[i] for r in padded[3:]]
        assert large.values(i, HEAD_ROWS + 7) == want[6:]
    return large


@pytest.mark.parametrize("n", [200, 400])
def test_xlsxwriter_shared_strings(tmp_path: Path, n: int) -> None:
    large = assert_same_values(write_xlsxwriter(tmp_path / "chung.xlsx", mixed_rows(n)))
    assert large.sheet.merged == [(1, 1, 1, 6)]


def test_xlsxwriter_inline_strings(tmp_path: Path) -> None:
    path = write_xlsxwriter(tmp_path / "dong.xlsx", mixed_rows(300), inline=True)
    assert b"inlineStr" in _sheet_xml(path)
    assert_same_values(path)


def test_openpyxl(tmp_path: Path) -> None:
    assert_same_values(write_openpyxl(tmp_path / "openpyxl.xlsx", mixed_rows(250)))


def test_dates_from_formulas_and_edge_serials(tmp_path: Path) -> None:
    """Dates with a cached formula value, the first and last serial days, Excel's 29/02/1900
    (serial 60, read as 28/02/1900 by both) are taken, value for value."""
    path = _date_serial("2958465")(tmp_path / "cuoi.xlsx")  # 9999-12-31
    assert load_workbook(path).sheets[0].value(150, 6) == date(9999, 12, 31)
    assert_same_values(path)
    assert_same_values(_date_serial("1")(tmp_path / "dau.xlsx"))
    assert_same_values(_date_serial("60")(tmp_path / "60.xlsx"))
    import xlsxwriter

    path = write_xlsxwriter(tmp_path / "cong-thuc.xlsx", mixed_rows(200))
    rows = mixed_rows(200)
    wb = xlsxwriter.Workbook(str(path))
    day = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws = wb.add_worksheet("Tổng hợp")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, date):
                serial = (value - date(1899, 12, 30)).days
                ws.write_formula(r, c, f"=DATE({value.year},{value.month},{value.day})", day,
                                 serial)
            elif value != "":
                ws.write(r, c, value)
    wb.close()
    assert b"<f>DATE(" in _sheet_xml(path)
    assert_same_values(path)


@pytest.mark.libreoffice
def test_saved_by_libreoffice(tmp_path: Path) -> None:
    """The same rows saved by LibreOffice (tests/data/libreoffice holds only a 22-row sheet with
    hidden rows and errors, which load_large declines: see test_none_for_the_fixtures)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    src = write_openpyxl(tmp_path / "nguon.xlsx", mixed_rows(300))
    out = tmp_path / "lo"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(src)],
        check=True, capture_output=True, timeout=120,
    )
    saved = out / "nguon.xlsx"
    assert b'" t="n"' in _sheet_xml(saved) or b"<c r=" in _sheet_xml(saved)
    assert_same_values(saved)


def _sheet_xml(path: Path) -> bytes:
    import zipfile

    with zipfile.ZipFile(path) as zf:
        name = next(n for n in zf.namelist() if n.startswith("xl/worksheets/")
                    and n.endswith(".xml"))
        return zf.read(name)


# --------------------------------------------------------------------------------------------
# b. load_large declines what it cannot read exactly
# --------------------------------------------------------------------------------------------


def _with(rows: list[list[Any]], row: int, col: int, value: Any) -> list[list[Any]]:
    """``rows`` with the 1-based cell (row, col) set to ``value``."""
    out = [list(r) for r in rows]
    while len(out[row - 1]) < col:
        out[row - 1].append("")
    out[row - 1][col - 1] = value
    return out


def _cached_error(path: Path) -> Path:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Tổng hợp")
    for r, row in enumerate(mixed_rows(200)):
        for c, value in enumerate(row):
            if isinstance(value, date):
                value = value.isoformat()
            if value != "":
                ws.write(r, c, value)
    ws.write_formula(150, 3, "=1/0", None, "#DIV/0!")
    wb.close()
    assert b't="e"' in _sheet_xml(path)
    return path


def _date_serial(serial: str) -> Callable[[Path], Path]:
    """The date at F150 (a date column) written as the serial ``serial`` in the sheet XML."""
    def make(path: Path) -> Path:
        import zipfile

        src = write_openpyxl(path.with_name("nguon.xlsx"), mixed_rows(200))
        with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w") as zout:
            for info in zin.infolist():
                data = zin.read(info)
                if info.filename.startswith("xl/worksheets/"):
                    start = data.index(b'<c r="F150"')
                    v = data.index(b"<v>", start) + 3
                    data = data[:v] + serial.encode() + data[data.index(b"</v>", v):]
                zout.writestr(info, data)
        return path
    return make


DECLINED: dict[str, Callable[[Path], Path]] = {
    "a bool cell": lambda p: write_openpyxl(p, _with(mixed_rows(200), 120, 4, True)),
    "a text number": lambda p: write_openpyxl(p, _with(mixed_rows(200), 120, 4, "9,5")),
    "a number as text in a number column": lambda p: write_xlsxwriter(
        p, _with(mixed_rows(200), 120, 8, "118000")),
    "a date as text": lambda p: write_xlsxwriter(p, _with(mixed_rows(200), 120, 6, "01/10/2026")),
    "a cached error": _cached_error,
    "a formula without value": lambda p: write_openpyxl(p, mixed_rows(200), formula="D150"),
    "a hidden data row": lambda p: write_openpyxl(p, mixed_rows(200), hidden_row=150),
    "two sheets": lambda p: write_xlsxwriter(p, mixed_rows(200), extra_sheet=True),
    "column A empty": lambda p: write_xlsxwriter(p, [["", *r] for r in mixed_rows(200)],
                                                 merge="B1:F1"),
    "a time of day": lambda p: write_openpyxl(
        p, _with(mixed_rows(200), 120, 6, datetime(2026, 10, 1, 8, 30))),
    "no row below the head": lambda p: write_xlsxwriter(p, mixed_rows(30)),
    # python-calamine: a time for serial 0, a datetime for a fraction fastexcel rounds away,
    # a number beyond 9999-12-31 (fastexcel: nothing).
    "a date serial 0": _date_serial("0"),
    "a date serial below 0": _date_serial("-1"),
    "a date a few microseconds past midnight": _date_serial("45000.0000000001"),
    "a date a few microseconds before midnight": _date_serial("44999.999999996"),
    "a date beyond 9999": _date_serial("2958466"),
    "a date far beyond 9999": _date_serial("100000000"),
}


@pytest.mark.parametrize("case", list(DECLINED))
def test_none(tmp_path: Path, case: str) -> None:
    path = DECLINED[case](tmp_path / "bang.xlsx")
    load_workbook(path)  # the usual loader reads it
    assert load_large(path, min_sheet_bytes=0) is None


def test_none_with_the_default_threshold(tmp_path: Path) -> None:
    path = write_xlsxwriter(tmp_path / "nho.xlsx", mixed_rows(400))
    assert load_large(path, min_sheet_bytes=0) is not None
    assert load_large(path) is None  # far below MIN_SHEET_BYTES (8 MB of sheet XML)


def test_none_for_the_fixtures() -> None:
    data = Path(__file__).resolve().parent.parent / "data"
    for name in ("libreoffice/khoa-noi-lo.xlsx", "loader-sample.xlsx", "loader-sample.ods",
                 "loader-sample.xls"):
        assert load_large(data / name, min_sheet_bytes=0) is None, name


# --------------------------------------------------------------------------------------------
# c. validate_paths: the columnar path and the usual path report the same
# --------------------------------------------------------------------------------------------

# The combined-sheet layout of bench/make_workbooks.py: title rows, a blank row, the header
# (Excel row 5), the staff from row 6.
HEADER = (
    "STT", "Mã NV", "Họ và tên", "Khoa/Phòng", "Chức vụ", "Lãnh đạo", "Nhóm", "Giới tính",
    "Ngày tuyển dụng", "Số ngày nghỉ", "Nghỉ thai sản", "Kỷ luật", "Sáng kiến", "Đề tài NCKH",
    "Đăng ký thi đua", "Ghi chú",
    "CS1", "CS2", "CM1", "CM2", "CM3", "TD1", "TD2", "HT1", "PT1",
    "Điểm cộng", "Điểm trừ", "Tổng điểm", "Xếp loại",
)
COL = {h: i for i, h in enumerate(HEADER)}
CRITERIA = HEADER[COL["CS1"]:COL["PT1"] + 1]
MAXIMA = (10, 10, 15, 15, 10, 10, 10, 10, 10)
TITLES = ("SỞ Y TẾ TỈNH AN BÌNH", "BỆNH VIỆN ĐA KHOA TỈNH AN BÌNH", TITLE)
FIRST = len(TITLES) + 3  # Excel row of the first person (a blank row, then the header)
DEPARTMENTS = ("Khoa Nội tổng hợp", "Khoa Ngoại tổng hợp", "Khoa Sản", "Khoa Nhi",
               "Khoa Xét nghiệm", "Phòng Điều dưỡng")
HO = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ")
DEM = ("Văn", "Thị", "Minh", "Ngọc", "Đức", "Thu", "Quang", "Hồng")
TEN = ("An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hạnh", "Hùng", "Lan", "Linh", "Mai", "Nam",
       "Phong", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Yến")
N_STAFF = 300


def staff(n: int = N_STAFF, seed: int = 2026) -> list[list[Any]]:
    """``n`` staff rows (29 values; total and rating blank), every name and ID distinct."""
    rng = random.Random(seed)
    names: set[str] = set()
    per = -(-n // len(DEPARTMENTS))
    rows = []
    for i in range(n):
        while True:
            name = f"{rng.choice(HO)} {rng.choice(DEM)} {rng.choice(TEN)}"
            if name not in names:
                break
            name = f"{name} {rng.choice(TEN)}"
            if name not in names:
                break
        names.add(name)
        manager = i % per < 2
        group = "Bác sĩ" if manager or rng.random() < 0.35 else rng.choice(("Điều dưỡng", "Khác"))
        scores = [m - rng.choice((0, 0, 0, 0, 0.5, 0.5, 1, 1.5, 2, 3)) for m in MAXIMA]
        if rng.random() < 0.05:
            scores[rng.randrange(9)] = rng.choice((8.25, 7.1))
        rows.append([
            i + 1, f"NV{i + 1:04d}", name, DEPARTMENTS[i // per],
            "Trưởng khoa" if manager and i % per == 0 else ("Bác sĩ" if group == "Bác sĩ"
                                                            else "Điều dưỡng"),
            "x" if manager else "", group, rng.choice(("Nam", "Nữ")),
            date(1995 + rng.randrange(30), 1 + rng.randrange(12), 1 + rng.randrange(28)),
            rng.choice(("",) * 9 + (1, 2.5, 4)), "", "", "", "", "x", "",
            *scores, rng.choice(("",) * 8 + (1, 2, 0.5)), rng.choice(("",) * 10 + (1, 0.5)),
            "", "",
        ])
    return rows


def rating_text(rating: Rating, capped: bool) -> str:
    if rating is Rating.PENDING_COUNCIL:
        return "HTXSNV"  # what the department wrote before the hospital-wide cap
    return rating.label if rating.grade is None else rating.value


def write_sheet(path: Path, rows: Sequence[Sequence[Any]], *, title: str = TITLE,
                numbering: bool = False, second_sheet: bool = False) -> Path:
    """The combined sheet (XlsxWriter, shared strings): titles, header, ``rows``."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False,
                                         "strings_to_formulas": False,
                                         "strings_to_urls": False})
    day = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws = wb.add_worksheet("Tổng hợp")
    for r, text in enumerate((*TITLES[:2], title)):
        ws.write_string(r, 0, text)
    ws.write_row(FIRST - 2, 0, HEADER)
    r = FIRST - 1
    if numbering:
        ws.write_row(r, 0, [f"({k})" for k in range(1, len(HEADER) + 1)])
        r += 1
    for row in rows:
        for c, value in enumerate(row):
            if value == "" or value is None:
                continue
            if isinstance(value, date):
                ws.write_datetime(r, c, datetime(value.year, value.month, value.day), day)
            elif isinstance(value, (int, float)):
                ws.write_number(r, c, value)
            else:
                ws.write_string(r, c, value)
        r += 1
    if second_sheet:
        wb.add_worksheet("Ghi chú").write_string(0, 0, "Danh sách đã được khoa ký duyệt")
    wb.close()
    return path


def with_totals(rows: list[list[Any]], regulation: Regulation, tmp: Path,
                period: Period = Q4) -> tuple[list[list[Any]], dict[str, Any]]:
    """``rows`` with the totals and ratings the library computes (the draft is written and read
    back the usual way, then scored), and the PersonResult of each staff ID."""
    from thidua_cli.core.scoring import score_dataset
    from thidua_cli.io.reader import read_dataset

    draft = write_sheet(tmp / "nhap.xlsx", rows)
    dataset = read_dataset([load_workbook(draft)], regulation, period=period)
    assert dataset.report.valid, [i.code for i in dataset.report.errors]
    results = {r.person.staff_id: r for r in
               score_dataset(dataset, regulation, period, explain_ids=()).people}
    out = []
    for row in rows:
        r = results[row[COL["Mã NV"]]]
        capped = "cap" in r.reasons or "cap-tie" in r.reasons
        out.append([*row[:COL["Tổng điểm"]], r.total, rating_text(r.rating, capped)])
    return out, results


@dataclass(frozen=True)
class Case:
    """One generated workbook: ``before`` changes the rows before they are scored (the file
    stays consistent), ``after`` changes the written file (a problem to find)."""

    before: Callable[[list[list[Any]]], None] | None = None
    after: Callable[[list[list[Any]], dict[str, Any]], list[list[Any]] | None] | None = None
    name: str = "tong-hop-quy.xlsx"
    title: str = TITLE
    period: Period = Q4  # the rows are scored for it (and --period when ``given``)
    given: bool = False
    numbering: bool = False
    second_sheet: bool = False
    departments: tuple[str, ...] = ()
    rules: dict[str, dict[str, Any]] | None = None  # regulation sections changed
    columnar: bool | None = None  # True: the columnar check must have been used


def _set(k: int, column: str, value: Any) -> Callable[..., None]:
    def change(rows: list[list[Any]], *_: Any) -> None:
        rows[k][COL[column]] = value
    return change


def _copy(src: int, dst: int, column: str) -> Callable[..., None]:
    def change(rows: list[list[Any]], *_: Any) -> None:
        rows[dst][COL[column]] = rows[src][COL[column]]
    return change


def _both(*changes: Callable[..., None]) -> Callable[..., None]:
    def change(rows: list[list[Any]], *_: Any) -> None:
        for c in changes:
            c(rows)
    return change


def _upper(src: int, dst: int, column: str, lower: bool = False) -> Callable[..., None]:
    def change(rows: list[list[Any]], *_: Any) -> None:
        text = str(rows[src][COL[column]])
        rows[dst][COL[column]] = text.lower() if lower else text.upper()
    return change


def _demoted_written_htxsnv(rows: list[list[Any]], results: dict[str, Any]) -> None:
    k = next(k for k, row in enumerate(rows) if k > HEAD_ROWS
             and "cap" in results[row[COL["Mã NV"]]].reasons)
    assert rows[k][COL["Xếp loại"]] == "HTTNV"
    rows[k][COL["Xếp loại"]] = "HTXSNV"


def _rating_mismatch(rows: list[list[Any]], results: dict[str, Any]) -> None:
    k = next(k for k, row in enumerate(rows) if k > 150 and row[COL["Xếp loại"]] == "HTTNV")
    rows[k][COL["Xếp loại"]] = "HTNV"


def _total_plus_one(rows: list[list[Any]], *_: Any) -> None:
    rows[190][COL["Tổng điểm"]] += 1


def _total_row(rows: list[list[Any]], *_: Any) -> list[list[Any]]:
    sums = [""] * len(HEADER)
    sums[COL["Họ và tên"]] = "Tổng cộng"
    for h in (*CRITERIA, "Điểm cộng", "Điểm trừ", "Tổng điểm"):
        i = COL[h]
        sums[i] = sum(r[i] for r in rows if r[i] != "")
    return [*rows, sums]


def _blank_lines(rows: list[list[Any]], *_: Any) -> list[list[Any]]:
    return [*rows[:150], [], [], [], *rows[150:]]


def _unknown_department(rows: list[list[Any]], *_: Any) -> None:
    rows[220][COL["Khoa/Phòng"]] = "Khoa Lạ"


def _nfd_twin(rows: list[list[Any]], *_: Any) -> None:
    """Row 240 takes row 30's name, decomposed (NFD): the same name once read."""
    rows[240][COL["Họ và tên"]] = unicodedata.normalize("NFD", rows[30][COL["Họ và tên"]])


def _spaced_twin(rows: list[list[Any]], *_: Any) -> None:
    rows[241][COL["Họ và tên"]] = "  " + rows[31][COL["Họ và tên"]].replace(" ", "  ") + " "


def _tcvn3(rows: list[list[Any]], *_: Any) -> None:
    """A name typed in the old TCVN3 encoding (".VnTime" days)."""
    from thidua_cli.core.legacy import TCVN3_TABLE

    encode = {v: chr(k) for k, v in TCVN3_TABLE.items()}
    rows[242][COL["Họ và tên"]] = "".join(encode.get(ch, ch) for ch in "Nguyễn Văn Hùng")


def _ratings_in_words(rows: list[list[Any]], *_: Any) -> None:
    words = {"HTXSNV": "Hoàn thành xuất sắc nhiệm vụ", "HTTNV": "Loại B", "HTNV": "htnv"}
    for row in rows[100:200]:
        row[COL["Xếp loại"]] = words.get(row[COL["Xếp loại"]], row[COL["Xếp loại"]])


def _some_blank(rows: list[list[Any]], *_: Any) -> None:
    for k in range(60, 280, 7):
        rows[k][COL["Tổng điểm" if k % 2 else "Xếp loại"]] = ""


def _nothing_written(rows: list[list[Any]], *_: Any) -> None:
    for row in rows:
        row[COL["Tổng điểm"]] = row[COL["Xếp loại"]] = ""


def _total_as_text(rows: list[list[Any]], *_: Any) -> None:
    rows[193][COL["Tổng điểm"]] = str(rows[193][COL["Tổng điểm"]])


def _total_rounded_off(rows: list[list[Any]], *_: Any) -> None:
    """Totals written with a stray third decimal (within the tolerance, or not)."""
    rows[194][COL["Tổng điểm"]] += 0.001
    rows[195][COL["Tổng điểm"]] += 0.02


def _blank_department(rows: list[list[Any]], *_: Any) -> None:
    rows[196][COL["Khoa/Phòng"]] = ""


def _long_leave_year(rows: list[list[Any]]) -> None:
    rows[160][COL["Số ngày nghỉ"]] = 70  # 3.2 months: at most HTNV
    rows[161][COL["Số ngày nghỉ"]] = 140  # 6.4 months: worked 5.5 → not rated


YEAR = Period(PeriodKind.YEAR, 2026)
NOV = Period(PeriodKind.MONTH, 2026, 11)
CASES: dict[str, Case] = {
    "clean": Case(columnar=True),
    "clean, period in the file name": Case(name="quy-4-2026.xlsx", columnar=True),
    "clean, --period given": Case(given=True, columnar=True),
    "clean, --period given, no period in the title": Case(
        given=True, title="BẢNG TỔNG HỢP ĐIỂM THI ĐUA", columnar=True),
    "no period anywhere": Case(title="BẢNG TỔNG HỢP ĐIỂM THI ĐUA"),
    "year, long leaves": Case(before=_long_leave_year, period=YEAR,
                              title="BẢNG TỔNG HỢP ĐIỂM THI ĐUA NĂM 2026", columnar=True),
    "month": Case(period=NOV, title="BẢNG ĐIỂM THI ĐUA THÁNG 11 NĂM 2026", columnar=True),
    "cap per department, no decimals": Case(
        rules={"cap": {"scope": "department"}, "scoring": {"decimals": 0}}, columnar=True),
    "cap off, deduction cap": Case(
        before=_set(153, "Điểm trừ", 30),
        rules={"cap": {"enabled_quarter": False}, "scoring": {"deduction_cap": 5}},
        columnar=True),
    "same name under two IDs": Case(after=_both(_copy(20, 150, "Họ và tên"),
                                                _copy(100, 260, "Họ và tên")), columnar=True),
    "same name, other case": Case(after=_upper(60, 170, "Họ và tên"), columnar=True),
    "same name, decomposed": Case(after=_nfd_twin, columnar=True),
    "same name, extra spaces": Case(after=_spaced_twin, columnar=True),
    "same name thrice": Case(after=_both(_copy(50, 51, "Họ và tên"),
                                         _copy(50, 290, "Họ và tên")), columnar=True),
    "same name, no warning in the rules": Case(
        after=_copy(20, 150, "Họ và tên"), rules={"validation": {"same_name_warning": False}},
        columnar=True),
    "a name in TCVN3": Case(after=_tcvn3),
    "duplicate ID": Case(after=_copy(100, 200, "Mã NV")),
    "duplicate ID in the head rows": Case(after=_copy(3, 12, "Mã NV")),
    "duplicate ID, other case": Case(after=_upper(120, 230, "Mã NV", lower=True)),
    "score above the maximum": Case(after=_set(180, "CS1", 12)),
    "negative score": Case(after=_set(181, "CM1", -1)),
    "text '9,5'": Case(after=_set(182, "CM2", "9,5")),
    "number stored as text": Case(after=_set(183, "TD1", "9")),
    "score text in the head rows": Case(after=_set(10, "TD1", "chưa chấm")),
    "blank score": Case(after=_set(186, "HT1", "")),
    "blank name": Case(after=_set(184, "Họ và tên", "")),
    "blank ID": Case(after=_set(185, "Mã NV", "")),
    "blank department": Case(after=_blank_department),
    "total mismatch": Case(after=_total_plus_one),
    "total as text": Case(after=_total_as_text),
    "total off in the third decimal": Case(after=_total_rounded_off),
    "rating mismatch": Case(after=_rating_mismatch),
    "ratings in words": Case(after=_ratings_in_words, columnar=True),
    "some totals and ratings blank": Case(after=_some_blank, columnar=True),
    "no total or rating written": Case(after=_nothing_written, columnar=True),
    "written HTXSNV, demoted by the cap": Case(after=_demoted_written_htxsnv, columnar=True),
    "discipline": Case(before=_set(170, "Kỷ luật", "Khiển trách"), columnar=True),
    "unknown discipline word": Case(after=_set(171, "Kỷ luật", "nhắc nhở")),
    "long leave": Case(before=_set(160, "Số ngày nghỉ", 50), columnar=True),
    "leave above the period's days": Case(after=_set(162, "Số ngày nghỉ", 80)),
    "leave as text": Case(after=_set(161, "Số ngày nghỉ", "3 ngày")),
    "recruited in the period": Case(before=_set(150, "Ngày tuyển dụng", date(2026, 12, 1)),
                                    columnar=True),
    "recruitment date as text": Case(after=_set(151, "Ngày tuyển dụng", "01/12/2026")),
    "bonus above the cap": Case(before=_set(152, "Điểm cộng", 12), columnar=True),
    "a 'Tổng cộng' row": Case(after=_total_row),
    "a numbering row under the header": Case(numbering=True, columnar=True),
    "title period differs from the file name": Case(name="quy-3-2026.xlsx"),
    "title period differs from --period": Case(given=True, period=Period(PeriodKind.QUARTER,
                                                                         2026, 3)),
    "a second sheet": Case(second_sheet=True),
    "unknown department, regulation departments set": Case(
        after=_unknown_department, departments=DEPARTMENTS),
    "blank lines in the middle": Case(after=_blank_lines),
}


def _facts(result: Any) -> Any:
    """What both paths must agree on."""
    def issue(i: Any) -> tuple[Any, ...]:
        return (i.code, i.severity, i.file, i.sheet, i.row, i.column, i.header, i.value,
                i.message)
    return (
        [(f.name, f.format, f.people, f.sheets, f.unreadable, [issue(i) for i in f.issues])
         for f in result.files],
        [issue(i) for i in result.general],
        result.period, result.period_source, result.ratings_checked,
        result.expected_departments, result.exit_code,
    )


def both_paths(path: Path, regulation: Regulation, period: Period | None,
               monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any, bool]:
    """validate_paths with the columnar path forced, then off; both results agree. Returns
    them and whether the columnar check was used (check_large gave a result)."""
    from thidua_cli import validate as validate_module
    from thidua_cli.io import columnar_check
    from thidua_cli.validate import validate_paths

    checked: list[Any] = []
    real_check = columnar_check.check_large

    def spy(*args: Any, **kwargs: Any) -> Any:
        checked.append(real_check(*args, **kwargs))
        return checked[-1]

    with monkeypatch.context() as on:
        on.setattr(columnar_check, "check_large", spy)
        on.setattr(columnar, "MIN_SHEET_BYTES", 0)
        forced = validate_paths([path], regulation, period=period)
    with monkeypatch.context() as off:
        off.setattr(validate_module, "_validate_large", lambda *a, **k: None)
        usual = validate_paths([path], regulation, period=period)
    assert _facts(forced) == _facts(usual)
    return forced, usual, bool(checked) and checked[-1] is not None


@pytest.fixture(scope="module")
def scored_staff(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from thidua_cli.regulation import default_regulation

    regulation = default_regulation()
    rows, results = with_totals(staff(), regulation, tmp_path_factory.mktemp("nhap"))
    assert any("cap" in r.reasons for r in results.values())  # the cap bites
    return regulation, rows, results


@pytest.mark.parametrize("case", list(CASES))
def test_both_paths_report_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    scored_staff: Any, case: str) -> None:
    spec = CASES[case]
    regulation, rows, results = scored_staff
    for section, changes in (spec.rules or {}).items():
        regulation = replace(regulation, **{section: replace(getattr(regulation, section),
                                                             **changes)})
    if spec.before is not None or spec.rules or spec.period != Q4:
        changed = [list(r) for r in staff()]
        if spec.before is not None:
            spec.before(changed)
        rows, results = with_totals(changed, regulation, tmp_path,
                                    Q4 if spec.given else spec.period)
    rows = [list(r) for r in rows]
    if spec.after is not None:
        rows = spec.after(rows, results) or rows
    if spec.departments:
        regulation = replace(regulation, organisation=replace(
            regulation.organisation, departments=spec.departments))
    path = write_sheet(tmp_path / spec.name, rows, title=spec.title, numbering=spec.numbering,
                       second_sheet=spec.second_sheet)
    given = spec.period if spec.given else None

    _, usual, used = both_paths(path, regulation, given, monkeypatch)
    if spec.columnar:
        assert used, "the columnar check was not used"
    if spec.departments or spec.second_sheet:
        assert not used
    if case == "same name under two IDs":
        same = [i for i in usual.issues if i.code == "same-name-different-id"]
        assert [i.row for i in same] == [FIRST + 150, FIRST + 260]


@pytest.mark.parametrize("seed", range(6))
def test_both_paths_on_random_consistent_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               seed: int) -> None:
    """Seeded random workbooks, each scored by the library under a random regulation variant
    and period kind (overrides, bonus and deduction, managers, groups, the cap): the columnar
    path is used, and it agrees with the usual one."""
    from thidua_cli.regulation import default_regulation

    rng = random.Random(seed)
    regulation = default_regulation()
    sections = {
        "cap": {"scope": rng.choice(("hospital", "department")),
                "managers_apart": rng.random() < 0.7, "split_by_group": rng.random() < 0.7,
                "rate": rng.choice((0.2, 0.1, 0.3)),
                "denominator": rng.choice(("htt_or_better", "htt_only"))},
        "scoring": {"decimals": rng.choice((0, 1, 2, 3)), "bonus_cap": rng.choice((10, 2)),
                    "deduction_cap": rng.choice((None, 3))},
        "overrides": {"discipline_forces_khtnv": rng.random() < 0.8},
    }
    for section, changes in sections.items():
        regulation = replace(regulation, **{section: replace(getattr(regulation, section),
                                                             **changes)})
    period, title = ((Q4, TITLE), (YEAR, "BẢNG ĐIỂM THI ĐUA NĂM 2026"),
                     (NOV, "BẢNG ĐIỂM THÁNG 11 NĂM 2026"))[seed % 3]
    rows = staff(rng.randint(100, 300), seed=seed)
    changes: list[tuple[str, Sequence[Any]]] = [
        ("Kỷ luật", ("Khiển trách", "Cảnh cáo", "cách chức")),
        ("Số ngày nghỉ", {Q4: (10, 33, 34, 50, 66), YEAR: (66, 70, 132, 140, 200),
                          NOV: (0.5, 10, 11)}[period]),
        ("Ngày tuyển dụng", tuple(date(2026, m, d) for m in (1, 7, 11, 12) for d in (1, 2, 20))),
        ("Điểm cộng", (0.25, 5, 12)), ("Điểm trừ", (0.25, 5, 12)),
        ("CM1", (0, 3.333, 7.1, 8.25, 14.995)), ("Lãnh đạo", ("x", "")),
        ("Nhóm", ("", "bác sĩ", "Dược")), ("Khoa/Phòng", ("khoa sản", "KHOA NHI")),
        ("Nghỉ thai sản", (44, 66)),
    ]
    for _ in range(25):
        column, values = rng.choice(changes)
        rows[rng.randrange(len(rows))][COL[column]] = rng.choice(values)
    for k in rng.sample(range(len(rows)), 20):  # some full marks: the cap bites, ties
        rows[k][COL["CS1"]:COL["PT1"] + 1] = MAXIMA
    rows, _ = with_totals(rows, regulation, tmp_path, period)
    path = write_sheet(tmp_path / "tong-hop.xlsx", rows, title=title)
    _, usual, used = both_paths(path, regulation, None, monkeypatch)
    assert used and usual.period == period and usual.ratings_checked


# --------------------------------------------------------------------------------------------
# d. The CLI, end to end
# --------------------------------------------------------------------------------------------


def test_cli_on_a_clean_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                             scored_staff: Any, run_cli: Callable[..., CliResult]) -> None:
    from thidua_cli.io import columnar_check

    _, rows, _ = scored_staff
    path = write_sheet(tmp_path / "tong-hop-quy.xlsx", rows)
    used: list[Any] = []
    real_check = columnar_check.check_large
    monkeypatch.setattr(columnar_check, "check_large",
                        lambda *a, **k: used.append(real_check(*a, **k)) or used[-1])
    monkeypatch.setattr(columnar, "MIN_SHEET_BYTES", 0)
    result = run_cli("validate", path)
    assert result.exit_code == 0, result.output
    assert "Tổng cộng 1 tệp: 1 đạt, 0 chỉ có cảnh báo, 0 có lỗi. Không có lỗi phải sửa." \
        in result.stdout
    assert used and used[0] is not None and used[0].people == N_STAFF
