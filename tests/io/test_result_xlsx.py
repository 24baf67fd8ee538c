"""The result workbook of ``thidua score``, read back cell by cell with openpyxl and as XML."""

from __future__ import annotations

import csv
import io
import math
import re
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from thidua_cli.errors import ExitCode, OutputExistsError
from thidua_cli.io import result_xlsx
from thidua_cli.io.atomic import OutputWriteError
from thidua_cli.io.result_xlsx import write_score_workbook
from thidua_cli.issues import make_issue
from thidua_cli.model import (
    CapGroup,
    Criterion,
    DepartmentResult,
    InputFile,
    Period,
    PeriodKind,
    Person,
    PersonResult,
    Rating,
    Regulation,
    Report,
    RunInfo,
    ScoreResult,
    SourceRow,
)

CRITERIA = (
    Criterion("CS", "Chấp hành chính sách", "Chấp hành chính sách và nội quy", 30.0),
    Criterion("CM", "Chuyên môn nghiệp vụ", "Chuyên môn nghiệp vụ", 50.0),
    Criterion("TD", "Thái độ phục vụ", "Tinh thần thái độ phục vụ", 20.0),
)
EVIL_NAME = '=HYPERLINK("http://x.example","Bấm vào")'
SHA_IN = "a" * 64
SHA_REG = "b" * 64
LEADERS = "Lãnh đạo, quản lý"
STAFF = "Viên chức, người lao động"


def _pr(
    row: int,
    staff_id: str,
    name: str,
    department: str,
    points: tuple[float, float, float],
    total: float,
    band: Rating,
    rating: Rating,
    *,
    bonus: float = 0.0,
    deduction: float = 0.0,
    position: str = "",
    manager: bool = False,
    group: str = "",
    notes: tuple[str, ...] = (),
    reasons: tuple[str, ...] = (),
    rank_department: int | None = None,
    rank_hospital: int | None = None,
) -> PersonResult:
    codes = [c.code for c in CRITERIA]
    person = Person(
        staff_id=staff_id,
        name=name,
        department=department,
        source=SourceRow("quy-4-2026.xlsx", department, row),
        scores=dict(zip(codes, points, strict=True)),
        bonus=bonus,
        deduction=deduction,
        position=position,
        is_manager=manager,
        peer_group=group,
    )
    return PersonResult(
        person=person,
        points=dict(zip(codes, points, strict=True)),
        criteria_sum=sum(points),
        bonus_counted=bonus,
        deduction_counted=deduction,
        total=total,
        band=band,
        rating=rating,
        notes=notes,
        reasons=reasons,
        peer_group=LEADERS if manager else STAFF,
        rank_department=rank_department,
        rank_hospital=rank_hospital,
    )


def make_result(regulation: Regulation) -> ScoreResult:
    H = Rating
    people = (
        _pr(8, "0012", "Nguyễn Thị Ánh", "Khoa Nội", (30, 48.5, 19), 99.5, H.HTXSNV, H.HTXSNV,
            bonus=2, position="Trưởng khoa", manager=True, group="Bác sĩ",
            rank_department=1, rank_hospital=1),
        _pr(9, "2201", EVIL_NAME, "Khoa Ngoại", (28, 45, 19), 92.0, H.HTXSNV, H.PENDING_COUNCIL,
            notes=("Bằng điểm ở ngưỡng trần HTXSNV: chờ Hội đồng xét",), reasons=("cap-tie",),
            rank_department=1, rank_hospital=2),
        _pr(10, "0007", "+84 912 345 678", "Khoa Nội", (27, 46, 20), 92.0, H.HTXSNV,
            H.PENDING_COUNCIL, bonus=1.0, deduction=2.0,
            notes=("Bằng điểm ở ngưỡng trần HTXSNV: chờ Hội đồng xét",), reasons=("cap-tie",),
            rank_department=2, rank_hospital=2),
        _pr(11, "0031", "Trần Văn Bình", "Khoa Nội", (25, 40, 15), 80.0, H.HTTNV, H.KHTNV,
            position="@x", notes=("Bị kỷ luật khiển trách trong kỳ: xếp KHTNV", "Ghi chú 2"),
            reasons=("discipline",), rank_department=3, rank_hospital=4),
        _pr(12, "0044", "Phạm Văn Đức", "Khoa Ngoại", (20, 35, 10), 65.25, H.HTNV, H.HTNV,
            deduction=0.0, rank_department=2, rank_hospital=5),
        _pr(13, "0050", "Lê Thị Hoa", "Khoa Ngoại", (20, 30, 10), 60.0, H.HTNV, H.NOT_RATED,
            notes=("Làm việc 20/64 ngày làm việc của kỳ: không xếp loại",),
            reasons=("not-worked-enough",)),
    )
    departments = (
        DepartmentResult("Khoa Nội", 3, 3, 0, 1, 90.5, 92.0,
                         {H.HTXSNV: 1, H.KHTNV: 1, H.PENDING_COUNCIL: 1}, 1 / 3, 1),
        DepartmentResult("Khoa Ngoại", 3, 2, 1, 1, 78.625, 78.625,
                         {H.HTNV: 1, H.PENDING_COUNCIL: 1, H.NOT_RATED: 1}, 0.0, 2),
    )
    caps = (
        CapGroup(LEADERS, 0.2, 5, 1, ("0012",), ("0012",), (), (), 99.5, 0),
        CapGroup(STAFF, 0.2, 7, 1, ("2201", "0007"), (), ("2201", "0007"), (), 92.0, 1),
    )
    report = Report()
    report.add(make_issue("number-stored-as-text", file="quy-4-2026.xlsx", sheet="Khoa Nội",
                          row=10, column="F", header="CM", value="46", number=46))
    report.add(make_issue("hidden-sheet", file="quy-4-2026.xlsx", sheet="Cũ", state="hidden",
                          counted="không được tính"))
    return ScoreResult(
        period=Period(PeriodKind.QUARTER, 2026, 4),
        regulation=regulation,
        criteria=CRITERIA,
        criteria_source="quy chế",
        people=people,
        departments=departments,
        cap_groups=caps,
        report=report,
    )


RUN = RunInfo(
    tool_version="0.1.0",
    started_at=datetime(2026, 12, 20, 9, 30, 5, tzinfo=timezone(timedelta(hours=7))),
    command="thidua score quy-4-2026.xlsx --period 2026-Q4",
    inputs=(InputFile("quy-4-2026.xlsx", SHA_IN, "xlsx"),),
    regulation_source="quy chế mặc định (tích hợp sẵn)",
    regulation_sha256=SHA_REG,
)


# ----------------------------------------------------------------------------------------------
# Fixtures and readers
# ----------------------------------------------------------------------------------------------


@pytest.fixture
def result(regulation: Regulation) -> ScoreResult:
    return make_result(regulation)


@pytest.fixture
def written(result: ScoreResult, tmp_path: Path) -> Path:
    path = tmp_path / "quy-4-2026.ket-qua.xlsx"
    write_score_workbook(result, RUN, path)
    return path


def _rows(ws: Any) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in ws.iter_rows(values_only=True)]


def _zip_text(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(name).decode("utf-8")


def _log_pairs(ws: Any) -> dict[str, Any]:
    """Column A label → column B value of the "Nhật ký" sheet."""
    return {r[0]: r[1] for r in _rows(ws) if isinstance(r[0], str) and r[1] is not None}


# ----------------------------------------------------------------------------------------------
# "Cá nhân"
# ----------------------------------------------------------------------------------------------

PEOPLE_HEADERS = [
    "STT", "Mã NV", "Họ và tên", "Khoa/Phòng", "Chức vụ", "Lãnh đạo", "Nhóm",
    "CS – Chấp hành chính sách (30)", "CM – Chuyên môn nghiệp vụ (50)",
    "TD – Thái độ phục vụ (20)",
    "Tổng tiêu chí", "Điểm cộng (tính)", "Điểm trừ", "Tổng điểm", "Xếp loại", "Mã xếp loại",
    "Loại", "Hạng khoa", "Hạng viện", "Nhóm so sánh", "Ghi chú",
]


def test_sheet_names_in_order(written: Path) -> None:
    wb = load_workbook(written)
    assert wb.sheetnames == ["Cá nhân", "Khoa phòng", "Thống kê", "Nhật ký"]


def test_people_header_row(written: Path) -> None:
    ws = load_workbook(written)["Cá nhân"]
    assert list(_rows(ws)[0]) == PEOPLE_HEADERS
    assert ws.max_row == 7  # header + 6 people


def test_people_rows_cell_by_cell(written: Path) -> None:
    """Printed as filed (issue 12): Khoa Ngoại (n-g before n-o) on rows 2–4, then Khoa Nội on
    rows 5–7 from the top of a new page, each in the hospital-wide ranking's order."""
    ws = load_workbook(written)["Cá nhân"]
    rows = _rows(ws)
    assert [r[1] for r in rows[1:]] == ["2201", "0044", "0050", "0012", "0007", "0031"]
    assert [r[0] for r in rows[1:]] == [1, 2, 3, 4, 5, 6]
    assert [b.id for b in ws.row_breaks.brk] == [4]  # the break after Khoa Ngoại's last row
    rows = [rows[0], rows[4], rows[1], rows[5], rows[6], rows[2], rows[3]]  # back to the ranking
    assert rows[1] == (
        4, "0012", "Nguyễn Thị Ánh", "Khoa Nội", "Trưởng khoa", "x", "Bác sĩ",
        30, 48.5, 19, 97.5, 2, 0, 99.5,
        "Hoàn thành xuất sắc nhiệm vụ", "HTXSNV", "A", 1, 1, LEADERS, None,
    )
    # The tie at the cut-off: pending for the council, no grade letter.
    assert rows[2] == (
        1, "2201", EVIL_NAME, "Khoa Ngoại", None, None, None,
        28, 45, 19, 92, 0, 0, 92,
        "Chờ Hội đồng xét", "PENDING_COUNCIL", None, 1, 2, STAFF,
        "Bằng điểm ở ngưỡng trần HTXSNV: chờ Hội đồng xét",
    )
    # 27 + 46 + 20 = 93 criteria points, + 1 bonus − 2 deduction = 92.
    assert rows[3][7:14] == (27, 46, 20, 93, 1, 2, 92)
    assert rows[3][1:3] == ("0007", "+84 912 345 678")
    # Discipline override: banded HTTNV by points, rated KHTNV; notes joined by "; ".
    assert rows[4][4] == "@x"
    assert rows[4][14:] == (
        "Không hoàn thành nhiệm vụ", "KHTNV", "D", 3, 4, STAFF,
        "Bị kỷ luật khiển trách trong kỳ: xếp KHTNV; Ghi chú 2",
    )
    assert rows[5][13:17] == (65.25, "Hoàn thành nhiệm vụ", "HTNV", "C")
    # Not rated: no grade and no ranks.
    assert rows[6][13:20] == (60, "Không xếp loại", "NOT_RATED", None, None, None, STAFF)


def test_text_from_sheets_stays_text(written: Path) -> None:
    ws = load_workbook(written)["Cá nhân"]
    # Rows as filed: Khoa Ngoại (2201, 0044, 0050), then Khoa Nội (0012, 0007, 0031).
    name = ws["C2"]
    assert name.data_type == "s" and name.value == EVIL_NAME
    # Quote prefix: Excel keeps it text even after the clerk edits the cell.
    assert name.quotePrefix is True
    assert ws["C6"].value == "+84 912 345 678" and ws["C6"].quotePrefix is True
    assert ws["E7"].value == "@x" and ws["E7"].quotePrefix is True
    assert ws["C5"].quotePrefix is False  # an ordinary name gets no prefix
    # Leading zeros kept: the ID is a text cell.
    assert ws["B5"].data_type == "s" and ws["B5"].value == "0012"
    sheet_xml = _zip_text(written, "xl/worksheets/sheet1.xml")
    assert "<f>" not in sheet_xml and "HYPERLINK" in sheet_xml
    assert "<hyperlink" not in sheet_xml


def test_people_formats_freeze_filter_widths(written: Path) -> None:
    ws = load_workbook(written)["Cá nhân"]
    assert ws.freeze_panes == "D2"
    assert ws.auto_filter.ref == "A1:U7"
    for ref in ("H2", "I2", "J2", "K2", "L2", "M2", "N2"):
        assert ws[ref].number_format == "0.00", ref
    assert ws["N2"].font.b is True  # the total stands out
    assert ws["A2"].number_format == "General"
    assert ws["A1"].font.b is True and ws["H1"].alignment.wrap_text is True
    assert ws.column_dimensions["C"].width >= 18
    assert ws.column_dimensions["O"].width >= 28  # "Hoàn thành xuất sắc nhiệm vụ"
    assert ws.print_title_rows == "$1:$1"  # header repeated on every printed page
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    # 21 columns are too wide for one page at a readable size (issue 12: 4–5 pt): the sheet
    # prints at 82 % (11 pt → 9 pt) and runs on to a second page wide. Natural width: each
    # column's stored width w (padding included) is 7 w px, 0.75 pt a px; A4 landscape less
    # 2 × 12.7 mm is 769.9 pt.
    from openpyxl.utils import get_column_letter

    widths = [ws.column_dimensions[get_column_letter(c)].width for c in range(1, 22)]
    natural_pt = sum(w * 7 for w in widths) * 0.75
    assert 769.9 / natural_pt < 0.82
    assert not ws.sheet_properties.pageSetUpPr or not ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.scale == 82
    assert ws.oddHeader.left.text == "Kết quả thi đua – Cá nhân"
    assert ws.oddFooter.center.text == "Trang &P/&N"


@pytest.mark.parametrize(
    ("row", "fill"),
    # Rows as filed: 2201 pending (2), 0044 HTNV (3), 0050 not rated (4), 0012 HTXSNV (5),
    # 0031 KHTNV (7).
    [(5, "FFC6EFCE"), (2, "FFE4DFEC"), (7, "FFFFC7CE"), (3, "FFFFEB9C"), (4, "FFE7E6E6")],
)
def test_rating_colours(written: Path, row: int, fill: str) -> None:
    ws = load_workbook(written)["Cá nhân"]
    for col in ("O", "P"):
        cell = ws[f"{col}{row}"]
        assert cell.fill.fill_type == "solid"
        assert cell.fill.fgColor.rgb == fill
    assert ws[f"N{row}"].fill.fill_type is None  # only the rating cells are coloured


def test_httnv_colour_is_blue(regulation: Regulation, tmp_path: Path) -> None:
    base = make_result(regulation)
    pr = base.people[3]
    one = ScoreResult(base.period, regulation, CRITERIA, "quy chế",
                      (PersonResult(pr.person, pr.points, 80, 0, 0, 80, Rating.HTTNV,
                                    Rating.HTTNV),),
                      (), (), Report())
    path = tmp_path / "b.xlsx"
    write_score_workbook(one, RUN, path)
    ws = load_workbook(path)["Cá nhân"]
    assert (ws["O2"].value, ws["Q2"].value) == ("Hoàn thành tốt nhiệm vụ", "B")
    assert ws["O2"].fill.fgColor.rgb == "FFDDEBF7"


def test_criterion_header_uses_decimal_comma() -> None:
    crit = Criterion("HT1", "Học tập", "Học tập", 2.5)
    assert result_xlsx.criterion_header(crit) == "HT1 – Học tập (2,5)"
    assert result_xlsx.criterion_header(CRITERIA[0]) == "CS – Chấp hành chính sách (30)"


# ----------------------------------------------------------------------------------------------
# "Khoa phòng", "Thống kê", charts
# ----------------------------------------------------------------------------------------------


def test_departments_sheet(written: Path) -> None:
    ws = load_workbook(written)["Khoa phòng"]
    rows = _rows(ws)
    assert rows[0] == (
        "Hạng", "Khoa/Phòng", "Số người", "Được xếp loại", "Không xếp loại", "Chờ HĐ xét",
        "Điểm TB", "Trung vị", "HTXSNV", "HTTNV", "HTNV", "KHTNV", "Tỷ lệ HTXSNV",
    )
    assert rows[1] == (1, "Khoa Nội", 3, 3, 0, 1, 90.5, 92, 1, 0, 0, 1, pytest.approx(1 / 3))
    assert rows[2] == (2, "Khoa Ngoại", 3, 2, 1, 1, 78.625, 78.625, 0, 0, 1, 0, 0)
    assert ws["M2"].number_format == "0.0%"
    assert ws["G2"].number_format == "0.00"
    assert ws.freeze_panes == "C2"
    assert ws.auto_filter.ref == "A1:M3"
    assert ws["I1"].fill.fgColor.rgb == "FFC6EFCE"  # the HTXSNV header in its colour


def test_stats_sheet_counts_caps_and_means(written: Path) -> None:
    ws = load_workbook(written)["Thống kê"]
    rows = _rows(ws)
    assert rows[0][0] == "Thống kê xếp loại – Quý IV năm 2026"
    assert rows[2][:4] == ("Xếp loại", "Mã", "Số người", "Tỷ lệ")
    counted = {r[1]: r[2] for r in rows[3:9]}
    assert counted == {"HTXSNV": 1, "HTTNV": 0, "HTNV": 1, "KHTNV": 1,
                       "PENDING_COUNCIL": 2, "NOT_RATED": 1}
    assert rows[7][3] == pytest.approx(2 / 6)
    assert ws["D8"].number_format == "0.0%"
    assert rows[9][:3] == ("Tổng cộng", None, 6)
    assert rows[11][0] == "Trần HTXSNV theo nhóm so sánh"
    assert rows[12][:4] == ("Nhóm so sánh", "Tỷ lệ trần", "Mẫu số (số người HTTNV trở lên)",
                            "Số suất HTXSNV")
    assert rows[13] == (LEADERS, 0.2, 5, 1, 1, 1, 0, 0, 99.5, None)
    assert rows[14] == (STAFF, 0.2, 7, 1, 2, 0, 2, 0, 92, "2201, 0007")
    assert rows[16][0] == "Điểm trung bình theo khoa/phòng (cao xuống thấp)"
    assert rows[18][:2] == ("Khoa Nội", 90.5)
    assert rows[19][:2] == ("Khoa Ngoại", 78.625)
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.print_title_rows is None


def test_charts_exist_and_reference_the_tables(written: Path) -> None:
    with zipfile.ZipFile(written) as z:
        names = set(z.namelist())
    assert {"xl/charts/chart1.xml", "xl/charts/chart2.xml"} <= names
    assert "xl/charts/chart3.xml" not in names
    # The charts are drawn on "Thống kê" (the third sheet).
    rels = _zip_text(written, "xl/worksheets/_rels/sheet3.xml.rels")
    assert "drawing1.xml" in rels
    drawing_rels = _zip_text(written, "xl/drawings/_rels/drawing1.xml.rels")
    assert "chart1.xml" in drawing_rels and "chart2.xml" in drawing_rels

    dist = _zip_text(written, "xl/charts/chart1.xml")
    assert '<c:barDir val="col"/>' in dist
    assert "<c:f>'Thống kê'!$B$4:$B$9</c:f>" in dist  # rating codes
    assert "<c:f>'Thống kê'!$C$4:$C$9</c:f>" in dist  # counts
    assert "Phân bố xếp loại" in dist

    means = _zip_text(written, "xl/charts/chart2.xml")
    assert '<c:barDir val="bar"/>' in means
    assert "<c:f>'Thống kê'!$A$19:$A$20</c:f>" in means
    assert "<c:f>'Thống kê'!$B$19:$B$20</c:f>" in means
    assert '<c:orientation val="maxMin"/>' in means  # best department on top


# ----------------------------------------------------------------------------------------------
# "Nhật ký"
# ----------------------------------------------------------------------------------------------


def test_log_sheet(written: Path) -> None:
    ws = load_workbook(written)["Nhật ký"]
    pairs = _log_pairs(ws)
    assert pairs["Phiên bản thidua"] == "0.1.0"
    assert pairs["Thời điểm chạy"] == datetime(2026, 12, 20, 9, 30, 5)
    assert pairs["Lệnh"] == "thidua score quy-4-2026.xlsx --period 2026-Q4"
    assert pairs["Kỳ"] == "Quý IV năm 2026"
    assert pairs["Mã kỳ"] == "2026-Q4"
    assert pairs["Nguồn quy chế"] == "quy chế mặc định (tích hợp sẵn)"
    assert pairs["SHA-256 quy chế"] == SHA_REG
    assert pairs["Nguồn tiêu chí"] == "quy chế"
    assert pairs["Số người"] == 6
    assert pairs["Số khoa/phòng"] == 2
    assert pairs["Chờ Hội đồng xét (PENDING_COUNCIL)"] == 2
    assert pairs["Hoàn thành tốt nhiệm vụ (HTTNV)"] == 0

    rows = _rows(ws)
    time_row = next(r for r in rows if r[0] == "Thời điểm chạy")
    assert time_row[2] == "2026-12-20T09:30:05+07:00"
    header = rows.index(("STT", "Đường dẫn", "Định dạng", "SHA-256", None, None))
    assert rows[header + 1][:4] == (1, "quy-4-2026.xlsx", "xlsx", SHA_IN)

    start = next(i for i, r in enumerate(rows) if r[0] == "Cảnh báo và ghi nhận (2)")
    assert rows[start + 1] == ("Mức", "Vị trí", "Mã", "Tệp", "Nội dung", "Giá trị")
    first, second = rows[start + 2], rows[start + 3]
    assert first[:4] == ("Cảnh báo", "Khoa Nội!F10", "number-stored-as-text", "quy-4-2026.xlsx")
    assert first[4].startswith('"46" là số nhưng được lưu dạng chữ')
    assert first[5] == "46"
    assert second[:3] == ("Cảnh báo", "Cũ", "hidden-sheet")
    assert ws[f"B{rows.index(time_row) + 1}"].number_format == "dd/mm/yyyy hh:mm:ss"


# ----------------------------------------------------------------------------------------------
# Writing: atomic, no overwrite, deterministic, streaming
# ----------------------------------------------------------------------------------------------


def test_refuses_to_overwrite_without_force(result: ScoreResult, tmp_path: Path) -> None:
    path = tmp_path / "ket-qua.xlsx"
    path.write_bytes(b"do not touch")
    with pytest.raises(OutputExistsError) as info:
        write_score_workbook(result, RUN, path)
    assert info.value.exit_code == ExitCode.OUTPUT_EXISTS == 6
    assert "--force" in info.value.message and str(path) in info.value.message
    assert path.read_bytes() == b"do not touch"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ket-qua.xlsx"]

    write_score_workbook(result, RUN, path, force=True)
    assert load_workbook(path).sheetnames[0] == "Cá nhân"


def test_failure_leaves_no_file(
    result: ScoreResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    scratch = tmp_path / "scratch"  # where XlsxWriter keeps its per-sheet row files
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))

    def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("hỏng giữa chừng")

    monkeypatch.setattr(result_xlsx, "_write_log", boom)
    with pytest.raises(RuntimeError, match="hỏng giữa chừng"):
        write_score_workbook(result, RUN, out / "ket-qua.xlsx")
    assert list(out.iterdir()) == []
    assert list(scratch.iterdir()) == []


def test_same_inputs_same_bytes(result: ScoreResult, tmp_path: Path) -> None:
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_score_workbook(result, RUN, a)
    write_score_workbook(result, RUN, b)
    assert a.read_bytes() == b.read_bytes()
    core = _zip_text(a, "docProps/core.xml")
    assert "2026-12-20T09:30:05Z" in core  # the run's time, not the clock


def test_empty_result_writes_headers_only(regulation: Regulation, tmp_path: Path) -> None:
    empty = ScoreResult(None, regulation, CRITERIA, "quy chế", (), (), (), Report())
    path = tmp_path / "rong.xlsx"
    write_score_workbook(empty, RUN, path)
    wb = load_workbook(path)
    assert list(_rows(wb["Cá nhân"])[0]) == PEOPLE_HEADERS
    assert wb["Cá nhân"].max_row == 1
    assert _rows(wb["Thống kê"])[0][0] == "Thống kê xếp loại – kỳ không xác định"
    assert _log_pairs(wb["Nhật ký"])["Kỳ"] == "không xác định"
    with zipfile.ZipFile(path) as z:
        assert not any(n.startswith("xl/charts/") for n in z.namelist())


def test_many_rows_stream_in_order(regulation: Regulation, tmp_path: Path) -> None:
    base = make_result(regulation).people[0]
    people = tuple(
        PersonResult(
            Person(f"{i:05d}", f"Người số {i}", "Khoa Nội", SourceRow("x.xlsx", "Khoa Nội", i + 2),
                   {}),
            base.points, base.criteria_sum, 0, 0, 100 - i / 100, Rating.HTTNV, Rating.HTTNV,
            rank_hospital=i + 1,
        )
        for i in range(1500)
    )
    big = ScoreResult(None, regulation, CRITERIA, "quy chế", people, (), (), Report())
    path = tmp_path / "lon.xlsx"
    write_score_workbook(big, RUN, path)
    wb = load_workbook(path, read_only=True)
    try:
        rows = list(wb["Cá nhân"].iter_rows(min_row=2, values_only=True))
    finally:
        wb.close()
    assert len(rows) == 1500
    assert [r[0] for r in rows] == list(range(1, 1501))
    assert rows[-1][1:3] == ("01499", "Người số 1499")
    assert rows[-1][13] == pytest.approx(85.01)
    assert rows[-1][18] == 1500


def test_sheet_text_with_control_characters_is_escaped(
    regulation: Regulation, tmp_path: Path
) -> None:
    base = make_result(regulation)
    pr = base.people[0]
    odd = PersonResult(
        Person("A\x07B", "Tên\ncó xuống dòng", "Khoa <Nội> & \"Ngoại\"", pr.person.source, {}),
        pr.points, pr.criteria_sum, 0, 0, pr.total, pr.band, pr.rating,
    )
    one = ScoreResult(None, regulation, CRITERIA, "quy chế", (odd,), (), (), Report())
    path = tmp_path / "la.xlsx"
    write_score_workbook(one, RUN, path)
    ws = load_workbook(path)["Cá nhân"]
    assert ws["C2"].value == "Tên\ncó xuống dòng"
    assert ws["D2"].value == 'Khoa <Nội> & "Ngoại"'
    xml = _zip_text(path, "xl/worksheets/sheet1.xml")
    # A control character is stored as OOXML's _xHHHH_ escape (Excel shows the character;
    # a raw one would make the XML invalid).
    assert "<t>A_x0007_B</t>" in xml
    assert "&lt;Nội&gt; &amp;" in xml
    assert re.search(r"<f>", xml) is None


# ----------------------------------------------------------------------------------------------
# "Cá nhân" rows generated as XML: the same cells as XlsxWriter writes
# ----------------------------------------------------------------------------------------------

NFD_NAME = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")  # as some Mac keyboards type it
LONG_NOTE = "Ghi chú rất dài về quá trình công tác. " * 27_000  # ≈ 1 MB
EMOJI_NOTE = "😀" * 20_000  # 40,000 UTF-16 units: cut inside the emoji run, never half of one
CONTROL_NAME = "Tên\x01lạ\x1f\r\x0b_x0041_ và _x00e9_ _X0041_"
INEXACT = 100 - 1499 / 100  # 85.01; XlsxWriter's 16 digits read back as 85.01000000000001


def make_tricky_result(regulation: Regulation) -> ScoreResult:
    """The test factory's people plus text and numbers that are easy to get wrong."""
    base = make_result(regulation)
    H = Rating
    extra = (
        _pr(14, "0060", NFD_NAME, "  Khoa Nội", (10, 20.25, 5), 35.25, H.KHTNV, H.KHTNV,
            position="Điều dưỡng ", group="-5", notes=(LONG_NOTE,), rank_hospital=7),
        _pr(15, "A\x01B", CONTROL_NAME, 'Khoa <Nội> & "Ngoại"', (29, 47, 18), 94.0, H.HTTNV,
            H.HTTNV, bonus=0.1 + 0.2, notes=(EMOJI_NOTE,), rank_department=4, rank_hospital=3),
        _pr(16, "\tTab", "\u00a0Lê Văn\u00a0", "Khoa\nSản", (30, 50, 20), 100.0, H.HTXSNV,
            H.HTXSNV, position="\ufffe\uffff", group="Nhóm_x00e9_", manager=True,
            notes=("",), rank_department=1, rank_hospital=1),
        _pr(17, "=1+1", "-Âm", "@Khoa", (1e-05, 12345678.5, 0.1), INEXACT, H.HTNV, H.HTNV,
            deduction=2.5, position="\n", rank_department=9, rank_hospital=99),
    )
    # Missing and non-finite numbers leave no cell.
    holes = PersonResult(
        person=Person("0070", "Đỗ Thị Hằng", "Khoa Nội", SourceRow("x.xlsx", "Khoa Nội", 18),
                      {}),
        points={"CS": 25.0, "TD": math.nan},
        criteria_sum=math.inf,
        bonus_counted=0.0,
        deduction_counted=-math.inf,
        total=math.nan,
        band=H.NOT_RATED,
        rating=H.NOT_RATED,
    )
    return ScoreResult(
        period=base.period,
        regulation=regulation,
        criteria=CRITERIA,
        criteria_source=base.criteria_source,
        people=(*base.people, *extra, holes),
        departments=base.departments,
        cap_groups=base.cap_groups,
        report=base.report,
    )


_REFERENCE_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": True,
}


def write_reference_people(result: ScoreResult, path: Path) -> None:
    """"Cá nhân" written the plain way, every cell through XlsxWriter (constant-memory mode),
    with the product's formats: what the generated rows must be equivalent to."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), _REFERENCE_OPTIONS)
    header = wb.add_format({"bold": True, "text_wrap": True})
    safe = wb.add_format({"quote_prefix": True})
    pts = wb.add_format({"num_format": result_xlsx.POINTS_FORMAT})
    pts_bold = wb.add_format({"num_format": result_xlsx.POINTS_FORMAT, "bold": True})
    rating_fmt = {
        r: wb.add_format({"bg_color": bg, "font_color": fg})
        for r, (bg, fg) in result_xlsx.RATING_COLOURS.items()
    }
    ws = wb.add_worksheet(result_xlsx.SHEET_PEOPLE)
    for col, text in enumerate(result_xlsx.people_headers(result.criteria)):
        ws.write_string(0, col, text, header)

    def text(row: int, col: int, value: str) -> None:
        if value:
            ws.write_string(row, col, value, safe if value[0] in "=+-@\t\r\n" else None)

    def number(row: int, col: int, value: float | None, fmt: Any = None) -> None:
        if value is not None and math.isfinite(value):
            ws.write_number(row, col, value, fmt)

    codes = [c.code for c in result.criteria]
    tail = len(result_xlsx.PEOPLE_HEAD) + len(codes)
    for row, pr in enumerate(result_xlsx.filing_order(result.people), start=1):
        p = pr.person
        ws.write_number(row, 0, row)
        for col, value in enumerate((p.staff_id, p.name, p.department, p.position), start=1):
            text(row, col, value)
        if p.is_manager:
            ws.write_string(row, 5, "x")
        text(row, 6, p.peer_group)
        for j, code in enumerate(codes):
            number(row, 7 + j, pr.points.get(code), pts)
        number(row, tail, pr.criteria_sum, pts)
        number(row, tail + 1, pr.bonus_counted, pts)
        number(row, tail + 2, pr.deduction_counted, pts)
        number(row, tail + 3, pr.total, pts_bold)
        fmt = rating_fmt[pr.rating]
        ws.write_string(row, tail + 4, pr.rating.label, fmt)
        ws.write_string(row, tail + 5, pr.rating.value, fmt)
        if pr.rating.grade:
            ws.write_string(row, tail + 6, pr.rating.grade, fmt)
        number(row, tail + 7, pr.rank_department)
        number(row, tail + 8, pr.rank_hospital)
        text(row, tail + 9, pr.peer_group)
        text(row, tail + 10, "; ".join(pr.notes))
    wb.close()


@pytest.fixture
def tricky_pair(regulation: Regulation, tmp_path: Path) -> tuple[ScoreResult, Path, Path]:
    tricky = make_tricky_result(regulation)
    product, reference = tmp_path / "san-pham.xlsx", tmp_path / "tham-chieu.xlsx"
    write_score_workbook(tricky, RUN, product)
    write_reference_people(tricky, reference)
    return tricky, product, reference


def _filed_rows(result: ScoreResult) -> dict[str, int]:
    """Staff ID → its 1-based row in "Cá nhân", where people are filed by department."""
    return {pr.person.staff_id: i for i, pr in
            enumerate(result_xlsx.filing_order(result.people), start=2)}


def _same_number(product: Any, reference: Any) -> bool:
    """Equal, or the product keeps the exact float where XlsxWriter wrote 16 digits."""
    if product == reference:
        return True
    return isinstance(product, float) and float(f"{product:.16G}") == reference


def test_generated_rows_equal_xlsxwriter_cell_by_cell_openpyxl(
    tricky_pair: tuple[ScoreResult, Path, Path],
) -> None:
    tricky, product, reference = tricky_pair
    filed = _filed_rows(tricky)  # staff ID → its row as filed (by department)
    nfd, ctl, tab, odd, holes = (filed[k] for k in ("0060", "A\x01B", "\tTab", "=1+1", "0070"))
    mine = load_workbook(product)[result_xlsx.SHEET_PEOPLE]
    theirs = load_workbook(reference)[result_xlsx.SHEET_PEOPLE]
    assert (mine.max_row, mine.max_column) == (theirs.max_row, theirs.max_column) == (12, 21)
    compared = 0
    for row in range(1, 13):
        for col in range(1, 22):
            a, b = mine.cell(row, col), theirs.cell(row, col)
            where = f"{a.coordinate}"
            assert a.data_type == b.data_type, where
            if a.data_type == "n" and a.value is not None:
                assert _same_number(a.value, b.value), (where, a.value, b.value)
                assert type(a.value) is type(b.value), where  # 92 stays an int, 9.5 a float
            else:
                assert a.value == b.value, where
            if row == 1:
                continue  # the header's own format differs on purpose in the reference
            assert a.number_format == b.number_format, where
            assert a.quotePrefix == b.quotePrefix, where
            assert (a.fill.fill_type, a.fill.fgColor.rgb) == (
                b.fill.fill_type, b.fill.fgColor.rgb), where
            assert (a.font.b, a.font.color and a.font.color.rgb) == (
                b.font.b, b.font.color and b.font.color.rgb), where
            compared += 1
    assert compared == 11 * 21
    # The texts that matter, read back as written.
    assert mine[f"C{nfd}"].value == NFD_NAME != "Nguyễn Thị Ánh"  # no silent normalisation
    assert mine[f"D{nfd}"].value == "  Khoa Nội" and mine[f"E{nfd}"].value == "Điều dưỡng "
    assert mine[f"G{nfd}"].value == "-5" and mine[f"G{nfd}"].quotePrefix is True
    assert mine[f"B{tab}"].value == "\tTab" and mine[f"B{tab}"].quotePrefix is True
    assert mine[f"B{odd}"].value == "=1+1" and mine[f"B{odd}"].data_type == "s"
    assert mine[f"U{nfd}"].value == LONG_NOTE[:32_767]  # Excel's cell limit, as XlsxWriter cuts
    assert mine[f"U{ctl}"].value == "😀" * 16_383  # 32,766 UTF-16 units: the next emoji won't fit
    assert mine[f"U{tab}"].value is None  # notes that join to nothing leave no cell
    assert mine[f"L{ctl}"].value == 0.1 + 0.2 == 0.30000000000000004  # exact, not 16 digits
    assert theirs[f"L{ctl}"].value == 0.3
    assert mine[f"N{odd}"].value == INEXACT and theirs[f"N{odd}"].value == 85.01000000000001
    assert mine[f"H{odd}"].value == 1e-05 and mine[f"I{odd}"].value == 12345678.5
    # Holes: no criterion CM, NaN/∞ are no cells; the finite ones are there.
    assert [mine.cell(holes, c).value for c in range(8, 15)] == [25, None, None, None, 0, None, None]


def test_generated_rows_equal_xlsxwriter_cell_by_cell_calamine(
    tricky_pair: tuple[ScoreResult, Path, Path],
) -> None:
    from python_calamine import CalamineWorkbook

    tricky, product, reference = tricky_pair
    row = _filed_rows(tricky)
    mine = CalamineWorkbook.from_path(str(product)).get_sheet_by_name("Cá nhân").to_python()
    theirs = CalamineWorkbook.from_path(str(reference)).get_sheet_by_name("Cá nhân").to_python()
    assert len(mine) == len(theirs) == 12
    for r, (a_row, b_row) in enumerate(zip(mine, theirs, strict=True), start=1):
        assert len(a_row) == len(b_row) == 21, r
        for c, (a, b) in enumerate(zip(a_row, b_row, strict=True)):
            assert type(a) is type(b), (r, c, a, b)
            assert _same_number(a, b) if isinstance(a, float) else a == b, (r, c, a, b)
    # calamine decodes Excel's escapes: the control characters come back as they were.
    assert mine[row["A\x01B"] - 1][2] == CONTROL_NAME
    assert mine[row["A\x01B"] - 1][1] == "A\x01B"
    assert mine[row["A\x01B"] - 1][3] == 'Khoa <Nội> & "Ngoại"'
    assert mine[row["\tTab"] - 1][2] == "\u00a0Lê Văn\u00a0" and mine[row["\tTab"] - 1][3] == "Khoa\nSản"
    assert mine[row["\tTab"] - 1][6] == "Nhóm_x00e9_"


def test_generated_sheet_xml_is_well_formed_and_sized(
    tricky_pair: tuple[ScoreResult, Path, Path],
) -> None:
    import xml.etree.ElementTree as ET

    _, product, reference = tricky_pair
    xml = _zip_text(product, "xl/worksheets/sheet1.xml")
    root = ET.fromstring(xml)  # strict XML 1.0: a raw control character would fail here
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    rows = root.findall("m:sheetData/m:row", ns)
    assert [r.get("r") for r in rows] == [str(n) for n in range(1, 13)]
    for row in rows:  # every cell names its own row, columns in order
        refs = [c.get("r") for c in row.findall("m:c", ns)]
        assert all(ref.endswith(row.get("r")) for ref in refs)
        cols = [re.match(r"[A-Z]+", ref).group() for ref in refs]  # type: ignore[union-attr]
        assert cols == sorted(cols, key=lambda s: (len(s), s))
    assert '<dimension ref="A1:U12"/>' in xml
    assert '<dimension ref="A1:U12"/>' in _zip_text(reference, "xl/worksheets/sheet1.xml")
    assert "<f>" not in xml and "<hyperlink" not in xml
    assert "mẫu" not in xml  # the sample row that registered the formats is gone
    assert '<t xml:space="preserve">  Khoa Nội</t>' in xml
    assert "<t>Tên_x0001_lạ_x001F__x000D__x000B__x005F_x0041_ và _x005F_x00e9_ _X0041_</t>" in xml
    assert "<t>_xFFFE__xFFFF_</t>" in xml
    # The styles the rows name exist in styles.xml.
    styles = ET.fromstring(_zip_text(product, "xl/styles.xml"))
    xfs = int(styles.find("m:cellXfs", ns).get("count"))  # type: ignore[union-attr,arg-type]
    used = {int(s) for s in re.findall(r' s="(\d+)"', xml)}
    assert used and max(used) < xfs


def test_generated_rows_open_in_libreoffice_like_xlsxwriter_rows(
    tricky_pair: tuple[ScoreResult, Path, Path], tmp_path: Path
) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    tricky, product, reference = tricky_pair
    row = _filed_rows(tricky)
    out = tmp_path / "csv"
    done = subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}", "--headless",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", str(out),
         str(product), str(reference)],
        capture_output=True, timeout=180, check=False,
    )
    assert done.returncode == 0, done.stderr
    mine = (out / "san-pham.csv").read_text(encoding="utf-8")
    theirs = (out / "tham-chieu.csv").read_text(encoding="utf-8")
    assert mine == theirs  # the first sheet, "Cá nhân", as LibreOffice shows it
    rows = list(csv.reader(io.StringIO(mine)))
    assert len(rows) == 12
    assert rows[0][:3] == ["STT", "Mã NV", "Họ và tên"]
    assert rows[row["2201"] - 1][2] == EVIL_NAME  # text, not a formula's result
    assert rows[row["0012"] - 1][1] == "0012"  # leading zeros kept
    assert rows[row["=1+1"] - 1][13] == "85.01" and rows[row["=1+1"] - 1][1] == "=1+1"
    assert rows[row["0060"] - 1][20].startswith("Ghi chú rất dài") and len(rows[row["0060"] - 1][20]) == 32_767


def test_rows_are_streamed_in_blocks(regulation: Regulation) -> None:
    tricky = make_tricky_result(regulation)
    styles = result_xlsx._BodyStyles(9, 2, 3, {r: 10 + k for k, r in enumerate(Rating)})
    whole = list(result_xlsx.people_rows_xml(tricky, styles))
    blocks = list(result_xlsx.people_rows_xml(tricky, styles, block_rows=4))
    assert len(whole) == 1 and len(blocks) == 3  # 11 rows: 4 + 4 + 3
    assert "".join(blocks) == whole[0]
    assert [b.count("<row ") for b in blocks] == [4, 4, 3]
    assert all(b.startswith("<row ") and b.endswith("</row>") for b in blocks)
    assert blocks[1].startswith('<row r="6"><c r="A6"><v>5</v></c>')
    # Styles are the ones given: quote prefix 9, points 2, bold total 3, ratings 10….
    assert '<c r="C3" s="9" t="inlineStr"><is><t>=HYPERLINK(' in whole[0]
    assert '<c r="H2" s="2"><v>30</v></c>' in whole[0]
    assert '<c r="N2" s="3"><v>99.5</v></c>' in whole[0]
    assert f'<c r="P2" s="{10 + list(Rating).index(Rating.HTXSNV)}" t="inlineStr">' in whole[0]


def test_every_header_and_cell_follows_its_table_entry(
    result: ScoreResult, written: Path
) -> None:
    # The one column table drives the header, the formats and every generated cell: read the
    # workbook back and hold each cell to its column's entry (the escapes of odd text are
    # tested against XlsxWriter itself above).
    table = result_xlsx.people_table(result.criteria)
    ws = load_workbook(written)[result_xlsx.SHEET_PEOPLE]
    assert [c.value for c in ws[1]] == [column.header for column in table]
    assert ws.max_column == len(table)
    assert ws.max_row == len(result.people) + 1
    for index, pr in enumerate(result_xlsx.filing_order(result.people), start=1):
        for col, column in enumerate(table, start=1):
            cell = ws.cell(index + 1, col)
            expected = column.cell_value(index, pr)
            where = (cell.coordinate, column.header)
            if isinstance(expected, float):
                assert _same_number(cell.value, expected), where
            else:
                assert cell.value == expected, where
            if column.cell in (result_xlsx.Cell.POINTS, result_xlsx.Cell.TOTAL):
                assert cell.number_format == result_xlsx.POINTS_FORMAT, where
                assert bool(cell.font.b) is (column.cell is result_xlsx.Cell.TOTAL), where


_CELL = re.compile(r'<c r="([A-Z]+)\d+"(.*?</c>)', re.S)


def _cells_by_header(xml: str, headers: list[str]) -> list[dict[str, str]]:
    """Each generated row as header → the cell without its reference; the references of a
    row must run left to right, as SpreadsheetML requires."""
    letters = [result_xlsx._column_letter(i) for i in range(len(headers))]
    rows = []
    for row in re.findall(r"<row [^>]*>(.*?)</row>", xml, re.S):
        cells = _CELL.findall(row)
        positions = [letters.index(ref) for ref, _ in cells]
        assert positions == sorted(positions)
        rows.append({headers[pos]: body for pos, (_, body) in zip(positions, cells, strict=True)})
    return rows


def test_rows_follow_a_reordered_and_extended_table(regulation: Regulation) -> None:
    # A column's cells depend on its entry, never on its place: reverse the table and add a
    # column, and every column still holds the same cells (no offset counted by hand).
    from operator import attrgetter

    tricky = make_tricky_result(regulation)
    styles = result_xlsx._BodyStyles(9, 2, 3, {r: 10 + k for k, r in enumerate(Rating)})
    table = result_xlsx.people_table(tricky.criteria)
    extra = result_xlsx.PeopleColumn(
        "Điểm (lần nữa)", result_xlsx.Cell.TOTAL, attrgetter("total"), 10
    )
    shuffled = (*reversed(table[1:]), extra, table[0])
    plain = _cells_by_header("".join(result_xlsx.people_rows_xml(tricky, styles)),
                             [c.header for c in table])
    moved = _cells_by_header(
        "".join(result_xlsx.people_rows_xml(tricky, styles, table=shuffled)),
        [c.header for c in shuffled],
    )
    assert len(plain) == len(moved) == len(tricky.people)
    for before, after in zip(plain, moved, strict=True):
        assert {h: v for h, v in after.items() if h != extra.header} == before
        assert after.get(extra.header) == before.get("Tổng điểm")


def test_more_people_than_a_sheet_holds(regulation: Regulation, tmp_path: Path) -> None:
    base = make_result(regulation)
    assert result_xlsx.MAX_PEOPLE == 2**20 - 1  # 1,048,576 rows less the header
    huge = ScoreResult(None, regulation, CRITERIA, "quy chế",
                       base.people[:1] * (result_xlsx.MAX_PEOPLE + 1), (), (), Report())
    path = tmp_path / "qua-lon.xlsx"
    with pytest.raises(OutputWriteError) as info:
        write_score_workbook(huge, RUN, path)
    assert info.value.exit_code == ExitCode.USAGE == 2
    assert "1.048.576 người" in info.value.message and "1.048.575" in info.value.message
    assert "--no-output" in info.value.message
    assert list(tmp_path.iterdir()) == []


def test_failure_while_generating_rows_leaves_no_file(
    result: ScoreResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        yield '<row r="2">'
        raise RuntimeError("hỏng khi ghi dòng")

    monkeypatch.setattr(result_xlsx, "people_rows_xml", broken)
    with pytest.raises(RuntimeError, match="hỏng khi ghi dòng"):
        write_score_workbook(result, RUN, tmp_path / "ket-qua.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_zip64_only_when_the_sheet_may_need_it(
    result: ScoreResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    normal = tmp_path / "thuong.xlsx"
    write_score_workbook(result, RUN, normal)
    with zipfile.ZipFile(normal) as z:
        assert all(info.extra == b"" for info in z.infolist())
        # Every part deflated, with XlsxWriter's fixed timestamp (same inputs, same bytes).
        assert {info.compress_type for info in z.infolist()} == {zipfile.ZIP_DEFLATED}
        assert len({info.date_time for info in z.infolist()}) == 1
    monkeypatch.setattr(result_xlsx, "_ZIP64_LIMIT", 0)  # as if the sheet could pass 2 GiB
    big = tmp_path / "zip64.xlsx"
    write_score_workbook(result, RUN, big)
    with open(big, "rb") as fh:
        data = fh.read()
    start = data.index(b"xl/worksheets/sheet1.xml")
    assert data[start + 24 : start + 26] == b"\x01\x00"  # the local header's zip64 record
    assert _rows(load_workbook(big)["Cá nhân"]) == _rows(load_workbook(normal)["Cá nhân"])


def test_text_no_reader_can_turn_into_markup(regulation: Regulation, tmp_path: Path) -> None:
    # XlsxWriter's constant-memory mode copies a text shaped "<r>…</r>" into the file as raw
    # rich-text XML (the cell comes back empty); the generated rows escape it like any text.
    base = make_result(regulation)
    pr = base.people[0]
    names = ("<r>x</r>", "<r><t>=1+1</t></r>", "\ud800lẻ", "a]]>b")
    people = tuple(
        PersonResult(Person(str(k), name, "Khoa Nội", pr.person.source, {}), pr.points,
                     pr.criteria_sum, 0, 0, pr.total, pr.band, pr.rating)
        for k, name in enumerate(names)
    )
    one = ScoreResult(None, regulation, CRITERIA, "quy chế", people, (), (), Report())
    path = tmp_path / "markup.xlsx"
    write_score_workbook(one, RUN, path)
    ws = load_workbook(path)["Cá nhân"]
    assert [ws.cell(r, 3).value for r in (2, 3, 5)] == ["<r>x</r>", "<r><t>=1+1</t></r>", "a]]>b"]
    xml = _zip_text(path, "xl/worksheets/sheet1.xml")
    assert "<t>&lt;r&gt;x&lt;/r&gt;</t>" in xml
    # A lone surrogate (which XlsxWriter cannot write at all) as Excel's escape: valid XML.
    assert "<t>_xD800_lẻ</t>" in xml


# --- text and numbers against XlsxWriter's own output ----------------------------------------

_PIECES = st.sampled_from(
    ["_x0041_", "_x00e9_", "_X0041_", "_x005F_", "_x12", "\x00", "\x01", "\x1f", "\x0b", "\r",
     "\n", "\t", " ", "\u00a0", "\u2028", "&", "<", ">", '"', "=", "+", "-", "@", "\ufffe",
     "\uffff", "😀", "ễ", "e\u0302\u0303", "Khoa", "x"]
)
_TEXTS = st.lists(
    st.one_of(_PIECES, st.text(st.characters(exclude_categories=("Cs",)), max_size=6)),
    min_size=1, max_size=8,
).map("".join).filter(lambda s: s != "" and not (s.startswith("<r>") and s.endswith("</r>")))


def _xlsxwriter_cells(texts: list[str]) -> list[str]:
    """The ``<c>`` element XlsxWriter (constant-memory) writes for each text in column A."""
    import xlsxwriter

    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, _REFERENCE_OPTIONS)
    ws = wb.add_worksheet()
    for row, text in enumerate(texts):
        ws.write_string(row, 0, text)
    wb.close()
    with zipfile.ZipFile(buffer) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    return re.findall(r"<c r=\"A\d+\".*?</c>", xml, flags=re.DOTALL)


@settings(max_examples=40, deadline=None)
@given(st.lists(_TEXTS, min_size=1, max_size=25))
def test_text_cells_match_xlsxwriter(texts: list[str]) -> None:
    text_cell = result_xlsx._text_cell_factory(7)
    mine = [f'<c r="A{row}{text_cell(t)}'.replace(' s="7"', "")
            for row, t in enumerate(texts, start=1)]
    assert mine == _xlsxwriter_cells(texts)


@pytest.mark.parametrize(
    "text",
    ["a" * 32_767, "a" * 32_768, "😀" * 16_384, "a" + "😀" * 16_383, "b" + "😀" * 16_384,
     " " + "c" * 40_000, "\x01" * 33_000],
)
def test_long_text_cut_like_xlsxwriter(text: str) -> None:
    text_cell = result_xlsx._text_cell_factory(7)
    assert [f'<c r="A1{text_cell(text)}'] == _xlsxwriter_cells([text])


@given(st.floats(allow_nan=False, allow_infinity=False) | st.integers(-(10**18), 10**18))
def test_numbers_read_back_exactly(value: float) -> None:
    text = result_xlsx._number_text(value)
    assert float(text) == float(value)  # what a reader keeps: the nearest double
    assert not text.endswith(".0")
    if isinstance(value, int) or (value.is_integer() and abs(value) < 1e16):
        assert re.fullmatch(r"-?\d+", text), text


def test_markup_shaped_text_is_text_on_every_sheet(regulation: Regulation, tmp_path: Path) -> None:
    # Through XlsxWriter this text would close its cell and open a live formula.
    evil = ('<r><t>a</t></r></is></c><c r="Z1"><f>HYPERLINK("http://x.example","bấm")</f></c>'
            '<c r="Z2" t="inlineStr"><is><r><t>b</t></r>')
    base = make_result(regulation)
    pr = base.people[0]
    person = PersonResult(Person("0001", evil, evil, pr.person.source, {}), pr.points,
                          pr.criteria_sum, 0, 0, pr.total, pr.band, pr.rating, peer_group=evil)
    department = DepartmentResult(evil, 1, 1, 0, 0, 99.5, 99.5, {Rating.HTXSNV: 1}, 1.0, 1)
    report = Report()
    report.add(make_issue("number-stored-as-text", file="quy-4-2026.xlsx", sheet=evil, row=10,
                          column="F", header="CM", value=evil, number=46))
    one = ScoreResult(None, regulation, CRITERIA, "quy chế", (person,), (department,),
                      (CapGroup(evil, 0.2, 5, 1, ("0001",), ("0001",), (), (), 99.5, 0),),
                      report)
    path = tmp_path / "markup.xlsx"
    write_score_workbook(one, RUN, path)
    wb = load_workbook(path)
    assert [wb["Cá nhân"][ref].value for ref in ("C2", "D2", "T2")] == [evil] * 3
    assert wb["Khoa phòng"]["B2"].value == evil
    stats = _rows(wb["Thống kê"])
    assert evil in {r[0] for r in stats}  # the cap group and the mean's department
    log = _rows(wb["Nhật ký"])
    issue_row = next(r for r in log if r[2] == "number-stored-as-text")
    assert issue_row[1] == f"{evil}!F10" and issue_row[5] == evil
    for sheet in range(1, 5):
        xml = _zip_text(path, f"xl/worksheets/sheet{sheet}.xml")
        assert re.search(r"<f[ >]", xml) is None and '<c r="Z1"' not in xml, sheet
        assert "&lt;f&gt;HYPERLINK(" in xml, sheet  # the text is there, escaped
    for ws in wb.worksheets:
        assert all(c.data_type != "f" for row in ws.iter_rows() for c in row), ws.title


# --- the same table as a pandas DataFrame (app.score.to_dataframe; pandas is an extra) --------


def test_dataframe_has_the_columns_and_values_of_the_people_sheet(
    regulation: Regulation,
) -> None:
    pytest.importorskip("pandas")
    from thidua_cli.app.score import to_dataframe

    result = make_result(regulation)
    frame = to_dataframe(result)
    table = result_xlsx.people_table(result.criteria)
    assert list(frame.columns) == [column.header for column in table]
    assert len(frame) == len(result.people)
    for index, pr in enumerate(result.people, start=1):
        row = frame.iloc[index - 1]
        for column in table:
            expected, got = column.cell_value(index, pr), row[column.header]
            if expected is None:
                assert got is None or (isinstance(got, float) and math.isnan(got)), column.header
            else:
                assert got == expected, column.header


def test_without_pandas_the_message_says_how_to_install(
    regulation: Regulation, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from thidua_cli.app.score import to_dataframe
    from thidua_cli.errors import UsageError

    monkeypatch.setitem(sys.modules, "pandas", None)  # "import pandas" raises ImportError
    with pytest.raises(UsageError, match=r"thidua\[pandas\]"):
        to_dataframe(make_result(regulation))
