"""`thidua kpi` and `thidua score --kpi` end to end: exit codes, the JSON, cells of the written
workbook read back, the template, and a quarter scored with its KPI computed by hand."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from helpers import write_xlsx

KPI_HEADER = ["Mã chỉ số", "Tên chỉ số", "Cấp", "Khoa/Phòng", "Mã NV", "Chiều", "Chỉ tiêu",
              "Thực hiện", "Trọng số", "Chỉ số cha"]
# Hand-computed (default [kpi]: cap 120 %, lower = target / actual, manager blend 30 %):
#   hospital: BV01 93/90 = 103.33 %, BV02 2/1.6 = 125 → 120 %; (60 × 103.33 + 40 × 120) / 100
#             = 62 + 48 = 110
#   Khoa Nội: K01 81/90 = 90 %, K02 (parent BV02: lower, target 2) 2/2.5 = 80 %...
#             weights 60/40: 54 + 32 = 86
#   Khoa Ngoại: K01 99/90 = 110 %: 110 → rank 1; Khoa Nội rank 2
#   N01 (staff): 130/100 → 120 % (cap); N02 (manager): 45/50 = 90 %,
#             0.7 × 90 + 0.3 × 86 = 63 + 25.8 = 88.8
KPI_ROWS = [
    ["BẢNG KPI QUÝ IV NĂM 2026"],
    KPI_HEADER,
    ["BV01", "Hài lòng người bệnh", "Bệnh viện", "", "", "Cao hơn tốt hơn", 90, 93, 60, ""],
    ["BV02", "Nhiễm khuẩn bệnh viện", "Bệnh viện", "", "", "Thấp hơn tốt hơn", 2, 1.6, 40, ""],
    ["K01", "Công suất giường", "Khoa/phòng", "Khoa Nội", "", "Cao hơn tốt hơn", 90, 81, 60, ""],
    ["K02", "Nhiễm khuẩn khoa", "Khoa/phòng", "Khoa Nội", "", "", "", 2.5, 40, "BV02"],
    ["K01", "Công suất giường", "Khoa/phòng", "Khoa Ngoại", "", "Cao hơn tốt hơn", 90, 99, 100, ""],
    ["NV1", "Số ca chăm sóc", "Nhân viên", "Khoa Nội", "N01", "Cao hơn tốt hơn", 100, 130, 100, ""],
    ["QL1", "Hồ sơ đạt chuẩn", "Quản lý", "Khoa Nội", "N02", "Cao hơn tốt hơn", 50, 45, 100, ""],
]


@pytest.fixture
def kpi_file(tmp_path: Path) -> Path:
    return write_xlsx(tmp_path, {"KPI": KPI_ROWS}, name="kpi-quy-4-2026.xlsx",
                      merged={"KPI": ["A1:J1"]})


def test_kpi_json_is_hand_computed(kpi_file: Path, run_cli: Any) -> None:
    result = run_cli("kpi", kpi_file, "--json", "--no-output")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema"] == "thidua.kpi/1" and data["valid"] is True
    assert data["hospital"]["score"] == 110.0
    assert [(d["name"], d["score"], d["rank"]) for d in data["departments"]] == [
        ("Khoa Ngoại", 110.0, 1), ("Khoa Nội", 86.0, 2)]
    people = {p["key"]: p for p in data["people"]}
    assert (people["N01"]["score"], people["N02"]["own"], people["N02"]["score"]) == (
        120.0, 90.0, 88.8)
    k02 = next(i for i in data["departments"][1]["indicators"] if i["code"] == "K02")
    assert (k02["target"], k02["direction"], k02["attainment"]) == (2.0, "lower", 80.0)
    assert k02["cell"]["file"].endswith("kpi-quy-4-2026.xlsx")
    assert (k02["cell"]["sheet"], k02["cell"]["row"]) == ("KPI", 6)
    assert data["cascade"][0]["parent"] == "BV02"
    assert not kpi_file.with_name("kpi-quy-4-2026.kpi.xlsx").exists()  # --no-output


def test_kpi_writes_the_workbook_with_bands_and_a_chart(kpi_file: Path, run_cli: Any) -> None:
    result = run_cli("kpi", kpi_file)
    assert result.exit_code == 0, result.stderr
    # The summary shows the department below target first.
    assert result.stdout.index("Khoa Nội") < result.stdout.index("Khoa Ngoại")
    out = kpi_file.with_name("kpi-quy-4-2026.kpi.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Khoa phòng", "Chỉ số", "Cá nhân", "Phân bổ", "Nhật ký"]
    ws = wb["Khoa phòng"]
    assert [c.value for c in ws[2]][:3] == [1, "Khoa Ngoại", 110]
    assert [c.value for c in ws[3]][:3] == [2, "Khoa Nội", 86]
    assert ws["C3"].fill.fgColor.rgb.endswith("FFEB9C")  # 80–100 %: yellow
    assert ws["C2"].fill.fgColor.rgb.endswith("C6EFCE")  # ≥ 100 %: green
    assert len(ws._charts) == 1
    assert ws.page_setup.orientation == "landscape"
    people = {r[2]: r for r in wb["Cá nhân"].iter_rows(min_row=2, values_only=True)}
    assert people["N02"][5:7] == (90, 88.8)
    # A second run refuses to overwrite (exit 6), --force replaces.
    assert run_cli("kpi", kpi_file).exit_code == 6
    assert run_cli("kpi", kpi_file, "--force").exit_code == 0


def test_kpi_with_errors_exits_1_and_writes_nothing(tmp_path: Path, run_cli: Any) -> None:
    rows = [KPI_HEADER, ["K01", "X", "Khoa/phòng", "Khoa Nội", "", "tăng", 0, 5, 100, ""],
            ["K02", "Y", "Khoa/phòng", "Khoa Nội", "", "", 10, "năm", 100, ""]]
    path = write_xlsx(tmp_path, {"KPI": rows}, name="kpi.xlsx")
    result = run_cli("kpi", path)
    assert result.exit_code == 1
    assert "KPI!G2" in result.stderr and "kpi-target-zero" in result.stderr
    assert "KPI!H3" in result.stderr and "not-a-number" in result.stderr
    assert not path.with_name("kpi.kpi.xlsx").exists()


def test_kpi_unreadable_file_exits_4(tmp_path: Path, run_cli: Any) -> None:
    bad = tmp_path / "kpi.xlsx"
    bad.write_text("không phải bảng tính", encoding="utf-8")
    result = run_cli("kpi", bad)
    assert result.exit_code == 4 and "kpi.xlsx" in result.stderr


def test_template_is_written_with_dropdowns_and_reads_back(tmp_path: Path, run_cli: Any) -> None:
    target = tmp_path / "mau-kpi.xlsx"
    result = run_cli("kpi", "template", "-o", target)
    assert result.exit_code == 0, result.stderr
    wb = openpyxl.load_workbook(target)
    ws = wb["KPI"]
    assert [c.value for c in ws[3]][:4] == ["STT", "Mã chỉ số", "Tên chỉ số", "Cấp"]
    lists = {dv.formula1 for dv in ws.data_validations.dataValidation}
    assert '"Bệnh viện,Khoa/phòng,Quản lý,Nhân viên"' in lists
    assert '"Cao hơn tốt hơn,Thấp hơn tốt hơn,Trong khoảng"' in lists
    assert "Hướng dẫn" in wb.sheetnames
    # A department fills a row in: thidua kpi reads it.
    ws.append(["1", "K01", "Công suất giường", "Khoa/phòng", "Khoa Nội", None, None, "Tỷ lệ",
               "%", "Cao hơn tốt hơn", 90, 81, 100])
    filled = tmp_path / "kpi-khoa-noi.xlsx"
    wb.save(filled)
    data = json.loads(run_cli("kpi", filled, "--json", "--no-output").stdout)
    assert data["departments"][0]["score"] == 90.0  # 81 / 90
    assert run_cli("kpi", "template", "-o", target).exit_code == 6


# --- thidua score --kpi ----------------------------------------------------------------------

RULES = """\
name = "Quy chế thi đua có KPI"

[cap]
enabled_quarter = false

[[criteria]]
code = "CS1"
name = "Chấp hành chính sách, nội quy"
group = "Chấp hành"
max_points = 30

[[criteria]]
code = "CM1"
name = "Chuyên môn nghiệp vụ"
group = "Chuyên môn"
max_points = 40

[[criteria]]
code = "KPI"
name = "Kết quả KPI"
group = "KPI"
max_points = 30
"""
QUARTER_HEADER = ["STT", "Mã NV", "Họ và tên", "Chức vụ", "Lãnh đạo", "CS1", "CM1"]


@pytest.fixture
def quarter(tmp_path: Path, kpi_file: Path) -> tuple[Path, Path]:
    (tmp_path / "quy-che.toml").write_text(RULES, encoding="utf-8")
    path = write_xlsx(tmp_path, {
        "Khoa Nội": [["BẢNG ĐIỂM QUÝ IV NĂM 2026"], QUARTER_HEADER,
                     [1, "N01", "Nguyễn Văn An", "Điều dưỡng", "", 28, 38],
                     [2, "N02", "Trần Thị Bích", "Trưởng khoa", "x", 27, 36],
                     [3, "N03", "Lê Văn Cường", "Bác sĩ", "", 25, 30]],
    }, name="quy-4-2026.xlsx")
    return path, tmp_path / "quy-che.toml"


def test_score_with_kpi_reproduces_a_hand_computed_quarter(quarter: tuple[Path, Path],
                                                           kpi_file: Path, run_cli: Any) -> None:
    path, rules = quarter
    result = run_cli("score", path, "--kpi", kpi_file, "-r", rules, "--json", "--no-output")
    assert result.exit_code == 0, result.stderr
    people = {p["staff_id"]: p for p in json.loads(result.stdout)["people"]}
    # KPI points = KPI × 30 / 100, never above 30:
    #   N01: 120 → 36 → 30;  total 28 + 38 + 30 = 96 → HTXSNV (no quarter cap in this quy chế)
    #   N02: 88.8 → 26.64;   total 27 + 36 + 26.64 = 89.64 → HTTNV (below 90)
    #   N03: no personal KPI → Khoa Nội's 86 → 25.8; total 25 + 30 + 25.8 = 80.8 → HTTNV
    got = {sid: (p["points"]["KPI"], p["total"], p["rating"]["code"]) for sid, p in people.items()}
    assert got == {"N01": (30.0, 96.0, "HTXSNV"), "N02": (26.64, 89.64, "HTTNV"),
                   "N03": (25.8, 80.8, "HTTNV")}


def test_score_explain_shows_the_kpi_steps(quarter: tuple[Path, Path], kpi_file: Path,
                                           run_cli: Any) -> None:
    path, rules = quarter
    result = run_cli("score", path, "--kpi", kpi_file, "-r", rules, "--explain", "N02")
    assert result.exit_code == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert "QL1 – Hồ sơ đạt chuẩn: cao hơn tốt hơn: thực hiện / chỉ tiêu = 45 / 50 = 90 %" in text
    assert "(1 − 30 %) × 90 + 30 % × 86 (KPI Khoa Nội) = 88,8" in text
    assert "88,8 × 30 / 100 = 26,64 → 26,64 điểm" in text
    assert text.index("Điểm tiêu chí từ KPI") < text.index("Tiêu chí CS1")


def test_score_kpi_person_without_kpi_is_refused(tmp_path: Path, quarter: tuple[Path, Path],
                                                 run_cli: Any) -> None:
    path, rules = quarter
    only_staff = write_xlsx(tmp_path, {"KPI": [KPI_HEADER, KPI_ROWS[7]]}, name="kpi-n01.xlsx")
    result = run_cli("score", path, "--kpi", only_staff, "-r", rules, "--no-output")
    assert result.exit_code == 1
    assert "kpi-no-score" in result.stderr and "N02" in result.stderr


def test_score_kpi_needs_the_criterion_in_the_regulation(quarter: tuple[Path, Path],
                                                         kpi_file: Path, run_cli: Any) -> None:
    path, _ = quarter
    result = run_cli("score", path, "--kpi", kpi_file, "--no-output")  # built-in: no KPI criterion
    assert result.exit_code == 3
    assert "kpi.score_criterion" in result.stderr


def test_score_kpi_as_the_whole_score(tmp_path: Path, quarter: tuple[Path, Path],
                                      kpi_file: Path, run_cli: Any) -> None:
    path, rules = quarter
    whole = tmp_path / "quy-che-kpi.toml"
    whole.write_text(rules.read_text(encoding="utf-8") + '\n[kpi]\nscore_mode = "total"\n',
                     encoding="utf-8")
    result = run_cli("score", path, "--kpi", kpi_file, "-r", whole, "--json", "--no-output")
    assert result.exit_code == 0, result.stderr
    people = {p["staff_id"]: p["total"] for p in json.loads(result.stdout)["people"]}
    # KPI × 100 / 100, never above 100: N01 120 → 100, N02 88.8, N03 86 (department)
    assert people == {"N01": 100.0, "N02": 88.8, "N03": 86.0}


def test_installed_command_runs(kpi_file: Path) -> None:
    done = subprocess.run(["thidua", "kpi", str(kpi_file), "--no-output"], capture_output=True,
                          text=True, env={"NO_COLOR": "1", "COLUMNS": "120", "PATH":
                                          __import__("os").environ["PATH"]}, check=False)
    assert done.returncode == 0, done.stderr
    assert "KPI cấp bệnh viện: 110 %" in done.stdout


def test_bad_kpi_settings_exit_3_naming_each_key(tmp_path: Path, kpi_file: Path,
                                                 run_cli: Any) -> None:
    rules = tmp_path / "quy-che.toml"
    rules.write_text('[kpi]\ncap = 0.5\nlower_formula = "inverze"\ncapp = 1.2\n'
                     'manager_department_weight = "30%"\n', encoding="utf-8")
    result = run_cli("kpi", kpi_file, "-r", rules, "--no-output")
    assert result.exit_code == 3
    err = " ".join(result.stderr.split())
    assert "khoá `kpi.cap` (dòng 2): phải nằm trong khoảng từ 1 đến 10, nhưng đang là 0.5" in err
    assert "`kpi.lower_formula` (dòng 3)" in err and 'Có phải ý bạn là "inverse"?' in err
    assert "`kpi.capp` (dòng 4)" in err and "Có phải ý bạn là `kpi.cap`?" in err
    assert "`kpi.manager_department_weight` (dòng 5)" in err and "0.3" in err


def test_several_quarters_give_the_trend_oldest_first(tmp_path: Path, run_cli: Any) -> None:
    def quarter(n: int, actual: float) -> Path:
        rows = [KPI_HEADER,
                ["K01", "Công suất giường", "Khoa/phòng", "Khoa Nội", "", "tăng", 90, actual, 100, ""]]
        return write_xlsx(tmp_path, {"KPI": rows}, name=f"kpi-quy-{n}-2026.xlsx")

    # Given out of order: Q3 (72 / 90 = 80 %), Q1 (90 / 90 = 100 %), Q2 (99 / 90 = 110 %)
    files = [quarter(3, 72), quarter(1, 90), quarter(2, 99)]
    data = json.loads(run_cli("kpi", *files, "--json", "--no-output").stdout)
    assert data["trend"]["periods"] == ["Quý I năm 2026", "Quý II năm 2026", "Quý III năm 2026"]
    assert data["trend"]["departments"] == [{"name": "Khoa Nội", "scores": [100.0, 110.0, 80.0]}]
    assert data["file"].endswith("kpi-quy-3-2026.xlsx")  # the latest is the result shown
    assert data["departments"][0]["score"] == 80.0
    result = run_cli("kpi", *files)
    assert result.exit_code == 0, result.stderr
    wb = openpyxl.load_workbook(tmp_path / "kpi-quy-3-2026.kpi.xlsx")
    ws = wb["Xu hướng"]
    assert [c.value for c in ws[3]] == ["Khoa Nội", 100, 110, 80]
    assert len(ws._charts) == 1 and ws._charts[0].tagname == "lineChart"


def test_template_from_a_kpi_workbook_for_one_department(kpi_file: Path, tmp_path: Path,
                                                         run_cli: Any) -> None:
    target = tmp_path / "kpi-khoa-noi.xlsx"
    result = run_cli("kpi", "template", "--from", kpi_file, "--department", "khoa nội", "-o", target)
    assert result.exit_code == 0, result.stderr
    assert "(4 chỉ số điền sẵn)" in result.stdout  # K01, K02, NV1, QL1 of Khoa Nội
    wb = openpyxl.load_workbook(target)
    ws = wb["KPI"]
    rows = {r[1]: r for r in ws.iter_rows(min_row=4, values_only=True) if r[1]}
    # K02 carries what it inherits from BV02 (lower is better, target 2): the department's
    # sheet computes without the hospital's rows; "Thực hiện" is left blank.
    assert rows["K02"][9:13] == ("Thấp hơn tốt hơn", 2, None, 40)
    assert rows["K02"][16] == "BV02"
    assert rows["QL1"][3:7] == ("Quản lý", "Khoa Nội", "N02", None)
    for r in ws.iter_rows(min_row=4):
        if r[1].value == "K01":
            r[11].value = 81  # 81 / 90 = 90 %
        elif r[1].value == "K02":
            r[11].value = 2.5  # 2 / 2.5 = 80 %
        elif r[1].value in ("NV1", "QL1"):
            r[11].value = r[10].value
    wb.save(target)
    data = json.loads(run_cli("kpi", target, "--json", "--no-output").stdout)
    assert data["valid"] is True
    assert data["departments"][0]["score"] == 86.0  # 60 × 90 + 40 × 80 = 54 + 32


def test_template_options_misused_exit_2(kpi_file: Path, tmp_path: Path, run_cli: Any) -> None:
    out = tmp_path / "m.xlsx"
    assert run_cli("kpi", "template", "--department", "Khoa Nội", "-o", out).exit_code == 2
    result = run_cli("kpi", "template", "--from", kpi_file, "--department", "Khoa Noi tru",
                     "-o", out)
    assert result.exit_code == 2 and "Khoa Nội" in result.stderr
    assert run_cli("kpi", kpi_file, "--from", kpi_file).exit_code == 2


def test_a_bad_cell_and_a_blank_direction_of_one_row_are_both_reported(
        tmp_path: Path, run_cli: Any) -> None:
    # K02: "năm" in Thực hiện (H3) and no direction (F3) with nothing to inherit: two errors of
    # the same row on the same run, each at its cell.
    rows = [KPI_HEADER, ["K01", "X", "Khoa/phòng", "Khoa Nội", "", "tăng", 10, 5, 50, ""],
            ["K02", "Y", "Khoa/phòng", "Khoa Nội", "", "", 10, "năm", 50, ""]]
    path = write_xlsx(tmp_path, {"KPI": rows}, name="kpi.xlsx")
    result = run_cli("kpi", path, "--json", "--no-output")
    assert result.exit_code == 1
    found = {(f["code"], f["cell"]) for f in json.loads(result.stdout)["findings"]
             if f["severity"] == "error"}
    assert found == {("not-a-number", "H3"), ("kpi-unknown-direction", "F3")}


def test_people_ranked_hospital_wide_in_json_workbook_and_summary(
        tmp_path: Path, run_cli: Any) -> None:
    # Extra people of Khoa Ngoại (staff: score = own, no blend by default):
    #   X01 120/100 = 120 % (capped), X02 70/100 = 70 %.
    # Hospital-wide: N01 120, X01 120 → 1, 1 (a tie); N02 88.8 → 3; X02 70 → 4.
    rows = [*KPI_ROWS,
            ["NV1", "Số ca", "Nhân viên", "Khoa Ngoại", "X01", "Cao hơn tốt hơn", 100, 120, 100, ""],
            ["NV1", "Số ca", "Nhân viên", "Khoa Ngoại", "X02", "Cao hơn tốt hơn", 100, 70, 100, ""]]
    path = write_xlsx(tmp_path, {"KPI": rows}, name="kpi.xlsx")
    data = json.loads(run_cli("kpi", path, "--json", "--no-output").stdout)
    assert {p["key"]: (p["score"], p["hospital_rank"]) for p in data["people"]} == {
        "N01": (120.0, 1), "X01": (120.0, 1), "N02": (88.8, 3), "X02": (70.0, 4)}
    (tie,) = [t for t in data["ties"] if t["scope"] == "Toàn viện: cá nhân"]
    assert (tie["rank"], sorted(tie["keys"])) == (1, ["N01", "X01"])
    result = run_cli("kpi", path)
    assert result.exit_code == 0, result.stderr
    assert "Xếp hạng cá nhân toàn viện" in result.stdout
    assert "Bằng điểm KPI toàn viện: 1 nhóm, 2 người" in result.stdout
    ws = openpyxl.load_workbook(path.with_name("kpi.kpi.xlsx"))["Cá nhân"]
    assert ws["H1"].value == "Hạng toàn viện"
    ranks = {r[2]: r[7] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert ranks == {"N01": 1, "X01": 1, "N02": 3, "X02": 4}
