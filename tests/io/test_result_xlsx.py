"""The result workbook of ``thidua score``, read back cell by cell with openpyxl and as XML."""

from __future__ import annotations

import re
import tempfile
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from thidua_cli.errors import ExitCode, OutputExistsError
from thidua_cli.io import result_xlsx
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
    rows = _rows(load_workbook(written)["Cá nhân"])
    assert rows[1] == (
        1, "0012", "Nguyễn Thị Ánh", "Khoa Nội", "Trưởng khoa", "x", "Bác sĩ",
        30, 48.5, 19, 97.5, 2, 0, 99.5,
        "Hoàn thành xuất sắc nhiệm vụ", "HTXSNV", "A", 1, 1, LEADERS, None,
    )
    # The tie at the cut-off: pending for the council, no grade letter.
    assert rows[2] == (
        2, "2201", EVIL_NAME, "Khoa Ngoại", None, None, None,
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
    name = ws["C3"]
    assert name.data_type == "s" and name.value == EVIL_NAME
    # Quote prefix: Excel keeps it text even after the clerk edits the cell.
    assert name.quotePrefix is True
    assert ws["C4"].value == "+84 912 345 678" and ws["C4"].quotePrefix is True
    assert ws["E5"].value == "@x" and ws["E5"].quotePrefix is True
    assert ws["C2"].quotePrefix is False  # an ordinary name gets no prefix
    # Leading zeros kept: the ID is a text cell.
    assert ws["B2"].data_type == "s" and ws["B2"].value == "0012"
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
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    # One page wide (fitToWidth absent = the OOXML default 1), as many pages tall as needed.
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0


@pytest.mark.parametrize(
    ("row", "fill"),
    [(2, "FFC6EFCE"), (3, "FFE4DFEC"), (5, "FFFFC7CE"), (6, "FFFFEB9C"), (7, "FFE7E6E6")],
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
