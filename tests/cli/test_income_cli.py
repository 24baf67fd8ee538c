"""`thidua income` end to end: messy sheets in, the payment workbook read back cell by cell,
the JSON, --explain, --compare, and every refusal with its exit code and Vietnamese message.

March 2026 (from the grades sheet's title row): 22 working days. Fund 10,000,000 đ.
Points (HSL + PCCV) × grade × days/22:
  NV01 (3.66 + 0.3) × 1.2 × 22/22 = 4.752
  NV02 2.34 × 1.0 × (20 + 2 annual leave)/22 = 2.34
  NV03 4.0 × 0.8 × 14/22 = 2.0363636…
  NV04 grade D → 0; NV05 maternity the whole month → 0
Σ = 9.1283636…; exact shares 5,205,737.2 · 2,563,453.0 · 2,230,809.8 (rounded here)
floors 5,205,000 + 2,563,000 + 2,230,000 = 9,998,000; 2,000 left → NV03 (.81) and NV01 (.74)
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from helpers import write_xlsx

GRADES = [
    ["BẢNG XẾP LOẠI ABC THÁNG 3 NĂM 2026"],
    [],
    ["STT", "Mã NV", "Họ và tên", "Khoa/Phòng", "Loại"],
    [1, "NV01", "Nguyễn Văn An", "Khoa Nội", "A"],
    [2, "NV02", "Trần Thị Bình", "Khoa Nội", "b"],
    [3, "NV03", "Lê Văn Cường", "Khoa Nội", "C"],
    [4, "NV04", "Phạm Thị Dung", "Khoa Ngoại", "D"],
    [5, "NV05", "Hoàng Thị Em", "Khoa Ngoại", "B"],
]
STAFF = [
    ["SỞ Y TẾ TỈNH AN BÌNH"],
    ["DANH SÁCH NHÂN SỰ HƯỞNG THU NHẬP TĂNG THÊM"],
    ["STT", "Mã NV", "Họ và tên", "Khoa/Phòng", "Chức danh", "Hệ số lương (HSL)",
     "Phụ cấp chức vụ", "Ngày công", "Số ngày nghỉ", None, "Số tài khoản", "Ngân hàng"],
    [None, None, None, None, None, None, None, None, "Phép", "Thai sản", None, None],
    ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)", "(10)", "(11)", "(12)"],
    [1, "NV01", "Nguyễn Văn An", "Khoa Nội", "Bác sĩ", 3.66, 0.3, 22, None, None,
     "0123456789", "Vietcombank"],
    [2, "NV02", "Trần Thị Bình", "Khoa Nội", "Điều dưỡng", "2,34", None, 20, 2, None,
     "=HYPERLINK(\"x\")", "BIDV"],
    [3, "NV03", "Lê Văn Cường", "Khoa Nội", "Bác sĩ", 4, 0, 14, None, None, None, None],
    [4, "NV04", "Phạm Thị Dung", "Khoa Ngoại", "Hộ lý", 3, 0, 22, None, None, None, None],
    [5, "NV05", "Hoàng Thị Em", "Khoa Ngoại", "Điều dưỡng", 3, 0, 0, None, 22, None, None],
    ["Tổng cộng", None, None, None, None, None, None, None, None, None, None, None],
    [],
    [None, "Người lập bảng", None, None, None, "Trưởng phòng TCCB"],
]
EXPECTED = {"NV01": 5_206_000, "NV02": 2_563_000, "NV03": 2_231_000, "NV04": 0, "NV05": 0}


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    return {
        "grades": write_xlsx(tmp_path, {"Loại": GRADES}, name="loai-abc.xlsx"),
        "staff": write_xlsx(tmp_path, {"Nhân sự": STAFF}, name="nhan-su.xlsx",
                            merged={"Nhân sự": ["I3:J3"]}),
    }


def income(run_cli: Any, files: dict[str, Path], *args: str) -> Any:
    return run_cli("income", files["grades"], "--staff", files["staff"], *args)


def test_writes_the_payment_workbook(run_cli: Any, files: dict[str, Path]) -> None:
    result = income(run_cli, files, "--fund", "10.000.000")
    assert result.exit_code == 0, result.output
    out = files["grades"].parent / "2026-M03.thu-nhap.xlsx"
    assert "Đã ghi" in result.stdout and str(out) in result.stdout.replace("\n", "")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Tổng hợp", "Khoa Nội", "Khoa Ngoại", "Chuyển khoản"]
    ws = wb["Khoa Nội"]
    assert ws["A4"].value == "BẢNG THANH TOÁN TIỀN THU NHẬP TĂNG THÊM"
    assert ws["A5"].value == "Tháng 3 năm 2026 – Khoa Nội"
    assert [c.value for c in ws[7]] == ["STT", "Mã NV", "Họ và tên", "Chức danh", "Hệ số", "Loại",
                                        "Ngày công", "Điểm", "Số tiền (đ)", "Ghi chú", "Ký nhận"]
    rows = [[c.value for c in ws[r]][:10] for r in (8, 9, 10)]
    assert rows[0][:9] == [1, "NV01", "Nguyễn Văn An", "Bác sĩ", 3.96, "A", 22, 4.752, 5_206_000]
    assert rows[1][8] == 2_563_000 and rows[1][6] == 22  # 20 worked + 2 annual leave
    assert rows[2][8] == 2_231_000 and rows[2][9] == "Loại C: hệ số 0,8; 14/22 ngày công"
    assert ws["A11"].value == "Cộng" and ws["I11"].value == 10_000_000
    assert ws["A12"].value == "Số tiền bằng chữ: Mười triệu đồng."
    assert [ws["B14"].value, ws["F14"].value, ws["J14"].value] == [
        "Người lập bảng", "Kế toán trưởng", "Thủ trưởng đơn vị"]
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$7:$7"
    ngoai = wb["Khoa Ngoại"]
    assert ngoai["I8"].value == 0 and ngoai["J8"].value == "Loại D (hệ số 0)"
    assert ngoai["J9"].value == "Nghỉ thai sản cả tháng (22 ngày)"
    summary = wb["Tổng hợp"]
    assert summary["A5"].value == "Quỹ của kỳ (đ)" and summary["B5"].value == 10_000_000
    transfer = wb["Chuyển khoản"]
    assert [c.value for c in transfer[2]][:6] == [1, "NV01", "Nguyễn Văn An", "0123456789",
                                                  "Vietcombank", 5_206_000]
    # Text from a sheet stays text: never a formula (io/xlsx_text.py).
    assert transfer["D3"].value == "=HYPERLINK(\"x\")" and transfer["D3"].data_type == "s"
    with zipfile.ZipFile(out) as zf:
        assert any(n.startswith("xl/charts/chart") for n in zf.namelist())


def test_json(run_cli: Any, files: dict[str, Path]) -> None:
    result = income(run_cli, files, "--fund", "10000000", "--json", "--no-output")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["schema"] == "thidua.income/1"
    assert doc["period"]["code"] == "2026-M03" and doc["standard_days"] == 22
    assert {p["staff_id"]: p["amount"] for p in doc["people"]} == EXPECTED
    assert doc["fund"] == doc["paid"] == 10_000_000 and doc["carried"] == 0
    assert doc["pools"][0]["point_value"] == 1_095_486.6  # 10,000,000 / 9.1283636…
    nv05 = next(p for p in doc["people"] if p["staff_id"] == "NV05")
    assert nv05["reasons"] == [{"code": "MATERNITY_FULL", "zero": True,
                                "text": "Nghỉ thai sản cả tháng (22 ngày)"}]
    assert [g["name"] for g in doc["grades"]] == ["A", "B", "C", "D"]
    assert not (files["grades"].parent / "2026-M03.thu-nhap.xlsx").exists()


def test_explain(run_cli: Any, files: dict[str, Path]) -> None:
    result = income(run_cli, files, "--fund", "10000000", "--explain", "NV03")
    assert result.exit_code == 0, result.stderr
    assert "Điểm = 4 × 0,8 × 14/22 = 2,036364" in result.stdout
    assert "Kết quả: 2.231.000 đ" in result.stdout
    assert not (files["grades"].parent / "2026-M03.thu-nhap.xlsx").exists()


def test_compare_with_the_previous_period(run_cli: Any, files: dict[str, Path],
                                         tmp_path: Path) -> None:
    before = income(run_cli, files, "--fund", "10000000", "--json", "--no-output")
    previous = tmp_path / "thang-2.json"
    previous.write_text(before.stdout, encoding="utf-8")
    grades = [row[:] for row in GRADES]
    grades[5][4] = "A"  # NV03: C → A
    files = {**files, "grades": write_xlsx(tmp_path, {"Loại": grades}, name="loai-2.xlsx")}
    result = income(run_cli, files, "--fund", "10000000", "--no-output", "--compare", previous,
                    "--json")
    assert result.exit_code == 0, result.stderr
    changes = {c["staff_id"]: c for c in json.loads(result.stdout)["changes"]}
    assert changes["NV03"]["grade_before"] == "C" and changes["NV03"]["grade_after"] == "A"
    assert changes["NV03"]["why"][0] == "Loại C → A"
    assert changes["NV01"]["difference"] < 0  # the point is worth less now
    assert sum(c["difference"] for c in changes.values()) == 0  # same fund, moved between people


def test_from_a_score_result(run_cli: Any, tmp_path: Path) -> None:
    # Scores of 95 and 60. With two people the 20 % cap leaves no HTXSNV seat (floor(0.4) = 0):
    # 95 → HTTNV → B, 60 → HTNV → C. Both 3.0 HSL, full month: points 3.0 : 2.4 of 5,400,000.
    head = ["STT", "Mã NV", "Họ và tên", "CS1", "CS2", "CM1", "CM2", "CM3", "TD1", "TD2", "HT1",
            "PT1"]
    sheet = [["BẢNG ĐIỂM THÁNG 3 NĂM 2026 – KHOA NỘI"], head,
             [1, "S1", "Nguyễn An", 10, 10, 15, 15, 10, 10, 10, 10, 5],
             [2, "S2", "Trần Bình", 10, 10, 15, 15, 10, 0, 0, 0, 0]]
    scores = write_xlsx(tmp_path, {"Khoa Nội": sheet}, name="thang-3-2026.xlsx")
    scored = run_cli("score", scores, "--json", "--no-output")
    assert scored.exit_code == 0, scored.stderr
    as_json = tmp_path / "thang-3.json"
    as_json.write_text(scored.stdout, encoding="utf-8")
    staff = write_xlsx(tmp_path, {"NS": [["Mã NV", "Họ tên", "Khoa", "HSL", "Ngày công"],
                                         ["S1", "Nguyễn An", "Khoa Nội", 3, 22],
                                         ["S2", "Trần Bình", "Khoa Nội", 3, 22]]}, name="ns.xlsx")
    from_json = run_cli("income", as_json, "--staff", staff, "--fund", "5400000", "--json",
                        "--no-output")
    assert from_json.exit_code == 0, from_json.stderr
    amounts = {p["staff_id"]: p["amount"] for p in json.loads(from_json.stdout)["people"]}
    assert amounts == {"S1": 3_000_000, "S2": 2_400_000}
    # The same from the score's workbook ("Mã xếp loại" column of "Cá nhân").
    assert run_cli("score", scores).exit_code == 0
    book = tmp_path / "thang-3-2026.ket-qua.xlsx"
    from_book = run_cli("income", book, "--staff", staff, "--fund", "5400000", "--json",
                        "--no-output", "--period", "2026-M03")
    assert from_book.exit_code == 0, from_book.stderr
    assert {p["staff_id"]: p["amount"] for p in json.loads(from_book.stdout)["people"]} == amounts


def test_fund_per_department(run_cli: Any, files: dict[str, Path], tmp_path: Path) -> None:
    fund = write_xlsx(tmp_path, {"Quỹ": [["Khoa/Phòng", "Quỹ"], ["Khoa Nội", "9.000.000"],
                                         ["Khoa Ngoại", 1_000_000]]}, name="quy.xlsx")
    result = income(run_cli, files, "--fund-sheet", str(fund), "--no-output", "--json")
    # Khoa Ngoại has nobody with points (D and maternity): its fund cannot be split.
    assert result.exit_code == 1
    assert "Không ai trong Khoa Ngoại có điểm để chia quỹ" in result.stderr


# --------------------------------------------------------------------------------------------
# Refusals: exit codes (decisions.md) and messages
# --------------------------------------------------------------------------------------------


def test_unknown_grade_letter_names_the_cell(run_cli: Any, files: dict[str, Path],
                                            tmp_path: Path) -> None:
    grades = [row[:] for row in GRADES]
    grades[3][4] = "E"
    files = {**files, "grades": write_xlsx(tmp_path, {"Loại": grades}, name="loai-e.xlsx")}
    result = income(run_cli, files, "--fund", "10000000", "--no-output")
    assert result.exit_code == 1
    assert "Loại!E4" in result.stderr
    assert 'Loại "E" không có trong [income.grades]' in result.stderr
    assert result.stdout == ""


def test_days_above_standard_and_missing_person(run_cli: Any, files: dict[str, Path],
                                              tmp_path: Path) -> None:
    staff = [row[:] for row in STAFF]
    staff[7][7] = 23  # NV03 (row 8): 23 days in a 22-day month
    del staff[8]  # NV04 graded but not in the staff sheet
    files = {**files, "staff": write_xlsx(tmp_path, {"Nhân sự": staff}, name="ns-sai.xlsx")}
    result = income(run_cli, files, "--fund", "10000000", "--no-output")
    assert result.exit_code == 1
    assert "Nhân sự!H8" in result.stderr and "nhiều hơn ngày công chuẩn" in result.stderr
    assert "income-not-in-staff" in result.stderr and "NV04" in result.stderr


def test_bad_number_in_the_staff_sheet(run_cli: Any, files: dict[str, Path],
                                      tmp_path: Path) -> None:
    staff = [row[:] for row in STAFF]
    staff[5][5] = "ba phẩy sáu"
    files = {**files, "staff": write_xlsx(tmp_path, {"Nhân sự": staff}, name="ns-chu.xlsx")}
    result = income(run_cli, files, "--fund", "10000000", "--no-output")
    assert result.exit_code == 1
    assert "Nhân sự!F6" in result.stderr and "ba phẩy sáu" in result.stderr


@pytest.mark.parametrize("args, message", [
    ((), "--fund SỐ_TIỀN (cả viện) hoặc --fund-sheet"),
    (("--fund", "0"), "quỹ phải lớn hơn 0 đồng"),
    (("--fund", "-5000000"), "quỹ phải lớn hơn 0 đồng"),
    (("--fund", "mười triệu"), "không phải là số tiền"),
])
def test_fund_that_does_not_split_is_usage(run_cli: Any, files: dict[str, Path],
                                          args: tuple[str, ...], message: str) -> None:
    result = income(run_cli, files, *args, "--no-output")
    assert result.exit_code == 2
    assert message in result.stderr


def test_missing_period_is_usage(run_cli: Any, files: dict[str, Path], tmp_path: Path) -> None:
    grades = [["Mã NV", "Loại"], *[[r[1], r[4]] for r in GRADES[3:]]]
    files = {**files, "grades": write_xlsx(tmp_path, {"L": grades}, name="loai.xlsx")}
    result = income(run_cli, files, "--fund", "10000000", "--no-output")
    assert result.exit_code == 2 and "--period 2026-M03" in result.stderr
    ok = income(run_cli, files, "--fund", "10000000", "--no-output", "--period", "2026-M03")
    assert ok.exit_code == 0, ok.stderr


def test_bad_income_setting_is_exit_3(run_cli: Any, files: dict[str, Path],
                                     tmp_path: Path) -> None:
    rules = tmp_path / "quy-che.toml"
    rules.write_text('[income]\nbasis = "salry"\n[income.grades]\nA = -1\n', encoding="utf-8")
    result = income(run_cli, files, "--fund", "10000000", "--rules", str(rules))
    assert result.exit_code == 3
    assert 'Có phải ý bạn là "salary"?' in result.stderr
    assert "income.grades.A" in result.stderr


def test_unreadable_staff_file_is_exit_4(run_cli: Any, files: dict[str, Path],
                                        tmp_path: Path) -> None:
    bad = tmp_path / "nhan-su.xlsx.txt"
    bad.write_text("không phải bảng tính", encoding="utf-8")
    result = run_cli("income", files["grades"], "--staff", bad, "--fund", "1000000")
    assert result.exit_code == 4


def test_existing_output_needs_force(run_cli: Any, files: dict[str, Path]) -> None:
    assert income(run_cli, files, "--fund", "10000000").exit_code == 0
    again = income(run_cli, files, "--fund", "10000000")
    assert again.exit_code == 6 and "--force" in again.stderr
    assert income(run_cli, files, "--fund", "10000000", "--force").exit_code == 0


def test_render_the_payment_table(run_cli: Any, files: dict[str, Path], tmp_path: Path) -> None:
    """`thidua render bang-thanh-toan` from the --json result: one page per department, the
    amounts, the total in words and the three signatures, read back from the .docx."""
    from docx import Document

    result = income(run_cli, files, "--fund", "10000000", "--json", "--no-output")
    source = tmp_path / "thang-3.json"
    source.write_text(result.stdout, encoding="utf-8")
    rendered = run_cli("render", "bang-thanh-toan", "--from", source)
    assert rendered.exit_code == 0, rendered.output
    doc = Document(str(tmp_path / "bang-thanh-toan-2026-M03.docx"))
    texts = [p.text for p in doc.paragraphs]
    assert texts.count("BẢNG THANH TOÁN TIỀN THU NHẬP TĂNG THÊM") == 2  # Khoa Nội, Khoa Ngoại
    assert "Tháng 3 năm 2026 – Khoa Nội" in texts
    assert "Số tiền bằng chữ: Mười triệu đồng." in texts
    noi = doc.tables[0]
    assert [c.text for c in noi.rows[0].cells][-1] == "Ký nhận"
    assert [c.text for c in noi.rows[3].cells][:8] == [
        "3", "NV03", "Lê Văn Cường", "Bác sĩ", "4", "C", "14", "2.231.000"]
    assert noi.rows[4].cells[7].text == "10.000.000"
    signs = [c.text for c in doc.tables[1].rows[1].cells]
    assert signs == ["Người lập bảng\n(Ký, họ tên)", "Kế toán trưởng\n(Ký, họ tên)",
                     "Thủ trưởng đơn vị\n(Ký, họ tên, đóng dấu)"]
    again = run_cli("render", "bang-thanh-toan", "--from", source)
    assert again.exit_code == 6
    wrong = run_cli("render", "bang-thanh-toan", "--from", files["grades"])
    assert wrong.exit_code == 4


def test_formula_without_value_is_a_finding_not_a_blank(run_cli: Any, files: dict[str, Path],
                                                       tmp_path: Path) -> None:
    # openpyxl saves a formula without its cached value: read as blank it would pay 0 đ silently.
    staff = [row[:] for row in STAFF]
    staff[5][5] = "=3+0.66"  # NV01's HSL
    staff[6][10] = "0987"
    files = {**files, "staff": write_xlsx(tmp_path, {"Nhân sự": staff}, name="ns-cong-thuc.xlsx",
                                          formulas=True)}
    result = income(run_cli, files, "--fund", "10000000", "--no-output")
    assert result.exit_code == 1
    assert "Nhân sự!F6" in result.stderr and "công thức chưa có giá trị" in result.stderr


def test_year_total_over_the_periods_results(run_cli: Any, files: dict[str, Path],
                                             tmp_path: Path) -> None:
    rules = tmp_path / "quy-che.toml"
    rules.write_text("[income]\nstandard_days = 22\n", encoding="utf-8")
    paths = []
    for period, fund in (("2026-M03", "10000000"), ("2026-M04", "12000000")):
        run = income(run_cli, files, "--fund", fund, "--json", "--no-output", "--period", period,
                     "--rules", str(rules))
        assert run.exit_code == 0, run.stderr
        paths.append(tmp_path / f"{period}.json")
        paths[-1].write_text(run.stdout, encoding="utf-8")
    result = run_cli("income", *paths, "--year-total", "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["mode"] == "year_total" and doc["periods"] == ["2026-M03", "2026-M04"]
    nv01 = next(p for p in doc["people"] if p["staff_id"] == "NV01")
    # March 5,206,000 (see the module docstring); April: the same points, 12,000,000 →
    # 12,000,000 × 4.752 / 9.1283636… = 6,247,014.5 → 6,247,000.
    assert nv01["amounts"] == {"2026-M03": 5_206_000, "2026-M04": 6_247_000}
    assert nv01["total"] == 11_453_000 and doc["total"] == 22_000_000
    # The workbook of the year: 2026.thu-nhap-nam.xlsx beside the first input, read back.
    book = openpyxl.load_workbook(tmp_path / "2026.thu-nhap-nam.xlsx")
    detail = book["Chi tiết"]
    assert [c.value for c in detail[7]] == ["STT", "Mã NV", "Họ và tên", "Khoa/Phòng",
                                            "2026-M03", "2026-M04", "Cộng (đ)"]
    rows = {r[1]: r for r in detail.iter_rows(min_row=8, values_only=True)}
    assert rows["NV01"][4:] == (5_206_000, 6_247_000, 11_453_000)
    assert rows["NV04"][4:] == (0, 0, 0)  # Loại D: nothing, in both periods
    sums = {r[0]: r[4:] for r in detail.iter_rows(min_row=8, values_only=True)
            if isinstance(r[0], str)}
    # Khoa Ngoại (NV04 D, NV05 on maternity leave) gets nothing: the fund goes to Khoa Nội.
    assert sums["Cộng Khoa Ngoại"] == (0, 0, 0)
    assert sums["Cộng Khoa Nội"] == (10_000_000, 12_000_000, 22_000_000)
    assert sums["Tổng cộng"] == (10_000_000, 12_000_000, 22_000_000)
    summary = book["Tổng hợp năm"]
    # Departments in text order: "Khoa Ngoại" before "Khoa Nội".
    assert [c.value for c in summary[8]][1:] == ["Khoa Ngoại", 2, 0, 0, 0]
    assert [c.value for c in summary[9]][1:] == ["Khoa Nội", 3, 10_000_000, 12_000_000,
                                                 22_000_000]
    assert summary.page_setup.orientation == "landscape" and summary.print_title_rows == "$7:$7"
    again = run_cli("income", *paths, "--year-total")
    assert again.exit_code == 6 and "--force" in again.stderr
    twice = run_cli("income", paths[0], paths[0], "--year-total", "--no-output")
    assert twice.exit_code == 2 and "có hai lần" in twice.stderr
    assert run_cli("income", *paths, "--staff", files["staff"], "--fund", "1").exit_code == 2


@pytest.mark.libreoffice
def test_render_the_payment_table_as_pdf(run_cli: Any, files: dict[str, Path],
                                         tmp_path: Path) -> None:
    """`render bang-thanh-toan --pdf`: the .docx and its PDF through LibreOffice (the same
    conversion as the other kinds); the PDF's text read back with pdftotext."""
    import shutil
    import subprocess

    from thidua_cli import render as rd

    if rd.find_soffice() is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice (soffice) or poppler-utils is not installed")
    result = income(run_cli, files, "--fund", "10000000", "--json", "--no-output")
    source = tmp_path / "thang-3.json"
    source.write_text(result.stdout, encoding="utf-8")
    rendered = run_cli("render", "bang-thanh-toan", "--from", source, "--pdf")
    assert rendered.exit_code == 0, rendered.output
    pdf = tmp_path / "bang-thanh-toan-2026-M03.pdf"
    assert (tmp_path / "bang-thanh-toan-2026-M03.docx").is_file() and pdf.is_file()
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert text.count("BẢNG THANH TOÁN TIỀN THU NHẬP TĂNG THÊM") == 2  # Khoa Nội, Khoa Ngoại
    assert "5.206.000" in text and "Mười triệu đồng" in text and "Kế toán trưởng" in text
    again = run_cli("render", "bang-thanh-toan", "--from", source, "--pdf")
    assert again.exit_code == 6  # never over the earlier .docx/.pdf without --force
    assert run_cli("render", "bang-thanh-toan", "--from", source, "--pdf",
                   "--force").exit_code == 0
