"""The KPI workbook reader on messy sheets: merged titles, units in headers, percentages typed as
95, 0,95 or "95%", text in number cells, unknown words; every refusal names its cell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helpers import raw_from_xlsx, write_xlsx
from thidua_cli.core.kpi import Direction, Kind, Level
from thidua_cli.io.reader.kpi import read_kpi_workbook

HEADER = ["STT", "Mã chỉ số", "Tên chỉ số", "Cấp", "Khoa/Phòng", "Mã NV", "Chiều",
          "Chỉ tiêu (%)", "Thực hiện (%)", "Trọng số"]


def read(tmp_path: Path, rows: list[list[Any]], **kw: Any) -> Any:
    path = write_xlsx(tmp_path, {"KPI quý IV": rows}, name="kpi.xlsx", **kw)
    return read_kpi_workbook(raw_from_xlsx(path), "kpi.xlsx")


def test_title_merged_above_the_header_and_units_in_headers(tmp_path: Path) -> None:
    rows = [["BẢNG CHỈ SỐ KPI QUÝ IV NĂM 2026"], [],
            HEADER,
            [1, "BV01", "Hài lòng người bệnh", "Bệnh viện", "", "", "Cao hơn tốt hơn", 90, 93, 60]]
    data = read(tmp_path, rows, merged={"KPI quý IV": ["A1:J1"]})
    (i,) = data.indicators
    assert (i.code, i.level, i.kind, i.unit, i.direction) == (
        "BV01", Level.HOSPITAL, Kind.PERCENT, "%", Direction.HIGHER)
    assert (i.target, i.actual, i.weight) == (90.0, 93.0, 60.0)
    assert (i.where.sheet, i.where.row) == ("KPI quý IV", 4)  # type: ignore[union-attr]
    assert data.report.issues == []


def test_percentages_typed_three_ways_read_alike(tmp_path: Path) -> None:
    rows = [HEADER,
            [1, "A", "Typed 95", "Khoa", "Khoa Nội", "", "tăng", 90, 95, 25],
            [2, "B", "Excel percent cells", "Khoa", "Khoa Nội", "", "tăng", 0.9, 0.95, 25],
            [3, "C", "Text with %", "Khoa", "Khoa Nội", "", "tăng", "90%", "95%", 25],
            [4, "D", "Text 0,95 beside 90%", "Khoa", "Khoa Nội", "", "tăng", "90%", "0,95", 25],
            [5, "E", "Excel %: 95 % and 105,46 %", "Khoa", "Khoa Nội", "", "tăng", 0.95, 1.0546,
             0]]
    data = read(tmp_path, rows)
    got = [(i.code, i.target, i.actual) for i in data.indicators]
    assert got == [("A", 90, 95), ("B", 90, 95), ("C", 90, 95), ("D", 90, 95),
                   ("E", 95, 105.46)]
    # "0,95" is a number typed as text: read, and reported at its cell
    (w,) = data.report.issues
    assert (w.code, w.cell) == ("number-stored-as-text", "I5")


def test_a_bare_fraction_beside_percent_points_is_refused_with_its_cell(tmp_path: Path) -> None:
    rows = [HEADER, [1, "A", "Mixed", "Khoa", "Khoa Nội", "", "tăng", 95, 0.93, 100],
            [2, "B", "Small rates", "Khoa", "Khoa Nội", "", "giảm", 2, 1.6, 0]]
    data = read(tmp_path, rows)
    # 95 and 0,93 are × 100 apart: refused; 2 and 1,6 (an infection rate) share a scale
    assert [(i.code, i.target, i.actual) for i in data.indicators if not i.broken] == [
        ("B", 2, 1.6)]
    # the refused row still counts in its department's weights, leaving it without a score
    assert [i.code for i in data.indicators if i.broken] == ["A"]
    (e,) = data.report.errors
    assert (e.code, e.sheet, e.cell) == ("kpi-percent-ambiguous", "KPI quý IV", "I2")
    assert "93%" in e.message


def test_text_in_a_number_cell_and_unknown_words(tmp_path: Path) -> None:
    rows = [HEADER,
            [1, "A", "Text target", "Khoa", "Khoa Nội", "", "tăng", "chín mươi", 95, 50],
            [2, "B", "Odd direction", "Khoa", "Khoa Nội", "", "lên xuống", 90, 95, 50],
            [3, "C", "Odd level", "Tổ", "Khoa Nội", "", "tăng", 90, 95, 50],
            [4, "D", "No department", "Khoa", "", "", "tăng", 90, 95, 50],
            [5, "E", "No staff ID", "Nhân viên", "Khoa Nội", "", "tăng", 90, 95, 50]]
    data = read(tmp_path, rows)
    assert [(i.code, i.broken) for i in data.indicators] == [("A", True), ("B", True)]
    got = [(i.code, i.cell) for i in data.report.errors]
    assert got == [("not-a-number", "H2"), ("kpi-unknown-direction", "G3"),
                   ("kpi-unknown-level", "D4"), ("kpi-missing-owner", "E5"),
                   ("kpi-missing-owner", "F6")]
    assert "chín mươi" in data.report.errors[0].message


def test_directions_levels_kinds_in_the_clerks_words(tmp_path: Path) -> None:
    header = ["Mã", "Chỉ số", "Cấp", "Khoa/Phòng", "Mã NV", "Loại", "Xu hướng", "Chỉ tiêu",
              "Thực hiện", "Cận dưới", "Cận trên", "Trọng số (%)", "Phân bổ từ"]
    rows = [header,
            ["Q1", "Tiêu chí A1.1", "Khoa/phòng", "Khoa Nội", "", "Chất lượng", "Càng cao càng tốt",
             4, 3, "", "", 0.5, ""],
            ["T1", "Thời gian chờ", "Quản lý", "Khoa Nội", 2201, "Số liệu", "Trong khoảng",
             "", 40, 30, 45, 1, ""],
            ["S1", "Hài lòng", "Nhân viên", "Khoa Nội", "0012", "Hài lòng", "", 90, 88, "", "",
             1, "Q9"],
            ["Tổng cộng", "", "", "", "", "", "", "", "", "", "", "", ""]]
    data = read(tmp_path, rows)
    q, t, s = data.indicators
    assert (q.kind, q.direction, q.weight) == (Kind.QUALITY, Direction.HIGHER, 50.0)  # 0.5 → 50
    assert (t.level, t.staff_id, t.direction, t.band_low, t.band_high, t.weight) == (
        Level.MANAGER, "2201", Direction.BAND, 30.0, 45.0, 100.0)
    assert (s.level, s.staff_id, s.kind, s.parent) == (Level.STAFF, "0012", Kind.SURVEY, "Q9")


def test_quality_level_outside_1_to_5(tmp_path: Path) -> None:
    rows = [["Mã", "Chỉ số", "Khoa/Phòng", "Loại", "Chiều", "Chỉ tiêu", "Thực hiện"],
            ["Q1", "Tiêu chí", "Khoa Nội", "chất lượng", "tăng", 4, 7]]
    data = read(tmp_path, rows)
    (e,) = data.report.errors
    assert (e.code, e.cell) == ("kpi-quality-level", "G2")


def test_no_kpi_header_anywhere(tmp_path: Path) -> None:
    data = read(tmp_path, [["Họ tên", "Điểm"], ["An", 5]])
    (e,) = data.report.errors
    assert e.code == "kpi-no-header" and e.file == "kpi.xlsx"


def test_error_values_are_refused_with_their_cell(tmp_path: Path) -> None:
    path = tmp_path / "kpi.xlsx"
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "KPI"
    ws.append(["Mã", "Chỉ số", "Khoa/Phòng", "Chiều", "Chỉ tiêu", "Thực hiện"])
    ws.append(["A", "X", "Khoa Nội", "tăng", 10, "#DIV/0!"])
    ws["F2"].data_type = "e"
    wb.save(path)
    data = read_kpi_workbook(raw_from_xlsx(path), "kpi.xlsx")
    assert [(e.code, e.cell) for e in data.report.errors] == [("error-value", "F2")]


def test_a_child_takes_its_parents_percent_scale(tmp_path: Path) -> None:
    header = ["Mã", "Chỉ số", "Cấp", "Khoa/Phòng", "Đơn vị tính", "Chiều", "Chỉ tiêu", "Thực hiện",
              "Chỉ số cha"]
    rows = [header,
            ["BV11", "Thực hiện kế hoạch thu", "Bệnh viện", "", "%", "tăng", 1.0, 0.98, ""],
            # no unit, no target: a percentage on the parent's scale (fractions): 105 %
            ["K01", "Thực hiện kế hoạch thu", "Khoa", "Phòng TCKT", "", "", "", 1.05, "BV11"]]
    data = read(tmp_path, rows)
    parent, child = data.indicators
    assert (parent.target, parent.actual) == (100, 98)
    assert (child.target, child.actual, child.kind, child.unit) == (None, 105, None, "")
