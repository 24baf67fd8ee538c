"""`thidua score` end to end through the CLI: the written workbook is read back and compared with
values computed by hand; every bad input gives its Vietnamese message and exit code.

The quarter is 2026-Q4 (from the file name): 66 working days (Oct 22 + Nov 21 + Dec 23), half is 33.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from helpers import write_xlsx

HEADER = [
    "STT", "Mã NV", "Họ và tên", "Chức vụ", "Lãnh đạo", "Ngày tuyển dụng", "Số ngày nghỉ",
    "Nghỉ thai sản", "Kỷ luật",
    "CS1", "CS2", "CM1", "CM2", "CM3", "TD1", "TD2", "HT1", "PT1",
    "Điểm cộng", "Điểm trừ",
]
MAXIMA = [10, 10, 15, 15, 10, 10, 10, 10, 10]


def scores_for(total: float) -> list[float]:
    """Criterion points (in column order) that add up to ``total``, filling maxima left to right."""
    left, out = total, []
    for m in MAXIMA:
        take = min(m, left)
        out.append(take)
        left -= take
    assert left == 0
    return out


def row(stt: int, sid: str, name: str, total: float, *, position: str = "Điều dưỡng",
        manager: str = "", recruited: Any = None, leave: Any = None, maternity: Any = None,
        discipline: str = "", bonus: Any = None, deduction: Any = None) -> list[Any]:
    return [stt, sid, name, position, manager, recruited, leave, maternity, discipline,
            *scores_for(total), bonus, deduction]


# Non-managers in "Khoa Nội": 10 rated HTTNV-or-better from the points, plus overrides.
NOI = [
    ["SỞ Y TẾ TỈNH AN BÌNH"],
    ["BẢNG ĐIỂM THI ĐUA QUÝ IV NĂM 2026 – KHOA NỘI"],
    [],
    HEADER,
    row(1, "N01", "Nguyễn Văn An", 95),
    row(2, "N02", "Trần Thị Bích", 93),
    row(3, "N03", "Lê Văn Cường", 93),
    row(4, "N04", "Phạm Thị Dung", 93),
    row(5, "N05", "Hoàng Văn Em", 85),
    row(6, "N06", "Vũ Thị Giang", 80),
    row(7, "N07", "Đặng Văn Hải", 75),
    row(8, "N08", "Bùi Thị Hoa", 72),
    row(9, "N09", "Đỗ Văn Khánh", 71),
    row(10, "N10", "Hồ Thị Lan", 70),
    # overrides
    row(11, "D01", "Ngô Văn Minh", 92, discipline="Khiển trách"),  # → KHTNV
    row(12, "R01", "Dương Thị Nga", 91, recruited=date(2026, 12, 1)),  # 23 days < 33 → not rated
    row(13, "M01", "Lý Thị Oanh", 88, maternity=40),  # maternity counts as worked → rated
    row(14, "L01", "Phan Văn Phúc", 88, leave=40),  # 66 − 40 = 26 < 33 → not rated
    row(15, "B01", "Trương Văn Quang", 80, bonus=12, deduction=3),  # 80 + 10 − 3 = 87
    row(16, "K01", "Mai Văn Sơn", 96, position="Trưởng khoa", manager="x"),  # manager group
    ["Tổng cộng"],
    [],
    ["Người lập biểu", None, None, None, "Trưởng khoa"],
]

LEVELS = ["Tự chấm", "Khoa chấm", "Hội đồng chấm"]


def two_row_sheet() -> list[list[Any]]:
    """"Khoa Ngoại": a two-row header, each criterion above its three assessment levels."""
    top = ["STT", "Mã NV", "Họ và tên"]
    sub: list[Any] = ["", "", ""]
    for code in ["CS1", "CS2", "CM1", "CM2", "CM3", "TD1", "TD2", "HT1", "PT1"]:
        top += [code, "", ""]
        sub += LEVELS
    g1: list[Any] = [1, "G01", "Nguyễn Thị Mai"]  # council counts: 60 (dept would give 90)
    g2: list[Any] = [2, "G02", "Trần Văn Nam"]  # council blank: dept counts: 75
    g3: list[Any] = [3, "G03", "Lê Thị Ngọc"]  # CS1 dept blank → self 5 (warning): 5 + 50 = 55
    council_60 = scores_for(60)
    dept_90 = scores_for(90)
    dept_75 = scores_for(75)
    rest_60 = scores_for(60)
    for i in range(9):
        g1 += [dept_90[i], dept_90[i], council_60[i]]
        g2 += [dept_75[i], dept_75[i], None]
        if i == 0:
            g3 += [5, None, None]
        else:
            g3 += [rest_60[i], rest_60[i], None]
    return [["BẢNG ĐIỂM KHOA NGOẠI"], top, sub, g1, g2, g3]


def merged_two_row() -> list[str]:
    ranges = []
    for k in range(9):
        first = 4 + 3 * k
        ranges.append(f"{_col(first)}2:{_col(first + 2)}2")
    return ranges


def _col(n: int) -> str:
    from thidua_cli.model import column_letter

    return column_letter(n)


@pytest.fixture
def quarter(tmp_path: Path) -> Path:
    sheets = {"Khoa Nội": NOI, "Khoa Ngoại": two_row_sheet()}
    return write_xlsx(tmp_path, sheets, name="quy-4-2026.xlsx", merged={"Khoa Ngoại": merged_two_row()})


def _people(path: Path) -> dict[str, dict[str, Any]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = list(wb["Cá nhân"].iter_rows(values_only=True))
    wb.close()
    header = list(rows[0])
    return {r[header.index("Mã NV")]: dict(zip(header, r, strict=False)) for r in rows[1:]}


def test_score_writes_hand_computed_results(quarter: Path, run_cli: Any) -> None:
    before = hashlib.sha256(quarter.read_bytes()).hexdigest()
    result = run_cli("score", quarter)
    assert result.exit_code == 0, result.output
    out = quarter.with_name("quy-4-2026.ket-qua.xlsx")
    assert out.is_file()
    assert hashlib.sha256(quarter.read_bytes()).hexdigest() == before  # input untouched

    people = _people(out)
    rating = {sid: p["Mã xếp loại"] for sid, p in people.items()}
    total = {sid: p["Tổng điểm"] for sid, p in people.items()}

    # HTT-or-better non-managers: N01–N10, M01, B01, G02 = 13 → floor(0.2 × 13) = 2 slots.
    # Candidates 95, 93, 93, 93: 95 keeps; three tied at 93 for 1 slot → all to the council.
    assert rating["N01"] == "HTXSNV"
    assert [rating[s] for s in ("N02", "N03", "N04")] == ["PENDING_COUNCIL"] * 3
    assert all(people[s]["Loại"] is None for s in ("N02", "N03", "N04"))
    assert rating["N05"] == "HTTNV" and people["N05"]["Loại"] == "B"
    # Overrides.
    assert rating["D01"] == "KHTNV" and people["D01"]["Loại"] == "D" and total["D01"] == 92
    assert rating["R01"] == "NOT_RATED" and people["R01"]["Loại"] is None
    assert rating["M01"] == "HTTNV"
    assert rating["L01"] == "NOT_RATED"
    # Bonus capped at 10, deduction 3: 80 + 10 − 3.
    assert total["B01"] == 87 and people["B01"]["Điểm cộng (tính)"] == 10
    # The lone manager's group: HTT-or-better 1 → floor(0.2) = 0 slots → HTTNV.
    assert total["K01"] == 96 and rating["K01"] == "HTTNV"
    # Two-row header: council > department > self, chosen per cell.
    assert total["G01"] == 60 and rating["G01"] == "HTNV"
    assert total["G02"] == 75 and rating["G02"] == "HTTNV"
    assert total["G03"] == 55 and rating["G03"] == "HTNV" and people["G03"]["CS1 – Chấp hành chủ trương, chính sách, pháp luật (10)"] == 5
    # Competition ranks over the rated: 96, 95, 93×3, then 92 (rank 6).
    assert people["K01"]["Hạng viện"] == 1
    assert people["N01"]["Hạng viện"] == 2
    assert {people[s]["Hạng viện"] for s in ("N02", "N03", "N04")} == {3}
    assert people["D01"]["Hạng viện"] == 6
    # Notes explain overrides and the cap.
    assert "kỷ luật" in (people["D01"]["Ghi chú"] or "").lower()
    # The self-assessment fallback is a warning on stderr, with its cell.
    assert "self-assessment-fallback" in result.stderr
    assert "Khoa Ngoại!D6" in result.stderr  # the self-assessed cell that counted
    assert "cap-tie" in result.stderr


def test_score_json_schema_and_tie(quarter: Path, run_cli: Any) -> None:
    result = run_cli("score", quarter, "--json", "--no-output")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == "thidua.score/1"
    by_id = {p["staff_id"]: p for p in data["people"]}
    assert by_id["N02"]["rating"]["code"] == "PENDING_COUNCIL"
    assert by_id["N02"]["rating"]["label"] == "Chờ Hội đồng xét"
    assert sorted(data["ties"][0]["staff_ids"]) == ["N02", "N03", "N04"]
    assert not quarter.with_name("quy-4-2026.ket-qua.xlsx").exists()


def test_explain_prints_each_rule(quarter: Path, run_cli: Any) -> None:
    result = run_cli("score", quarter, "--explain", "B01", "--no-output")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "Điểm cộng" in text and "12" in text and "10" in text
    assert "87" in text


def test_explain_finds_the_id_as_scoring_matched_it(quarter: Path, run_cli: Any) -> None:
    # Steps are built for the match key of the ID (" b01" → "B01"): the lookup must agree.
    result = run_cli("score", quarter, "--explain", " b01", "--no-output")
    assert result.exit_code == 0, result.output
    assert "mã NV B01" in result.stdout and "Điểm cộng" in result.stdout
    missing = run_cli("score", quarter, "--explain", "B0", "--no-output")
    assert missing.exit_code == 2
    assert 'Không có mã nhân viên "B0" trong kết quả chấm điểm. Có phải "B01"?' in missing.stderr


def test_criteria_sheet_takes_precedence(tmp_path: Path, run_cli: Any) -> None:
    crit = [["Mã", "Tiêu chí", "Nhóm", "Điểm tối đa"],
            ["K1", "Chuyên môn", "Chuyên môn nghiệp vụ", 60],
            ["K2", "Thái độ", "Tinh thần thái độ phục vụ", 40],
            [None, "Cộng", None, 100]]
    dept = [["Mã NV", "Họ và tên", "Chuyên môn (60đ)", "K2"],
            ["0012", "Nguyễn Thị Ánh", 55, "36,5"],
            [2201, "Trần Bình", 40, 30]]
    path = write_xlsx(tmp_path, {"Tiêu chí": crit, "Khoa Sản": dept}, name="quy-1-2026.xlsx")
    result = run_cli("score", path, "--json", "--no-output")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert "Tiêu chí" in data["criteria_source"]
    by_id = {p["staff_id"]: p for p in data["people"]}
    assert by_id["0012"]["total"] == 91.5  # 55 + 36.5 (a decimal comma typed as text)
    assert by_id["2201"]["total"] == 70  # a numeric ID comes out as its digits
    assert "criteria-differ-from-regulation" in result.stderr


# --------------------------------------------------------------------------------------------
# Bad input: a clear Vietnamese message naming the file (sheet, cell), the exit code, no traceback.
# --------------------------------------------------------------------------------------------


def _assert_clean_failure(result: Any, code: int, *fragments: str) -> None:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.stderr, (fragment, result.stderr)


def test_not_a_spreadsheet(tmp_path: Path, run_cli: Any) -> None:
    path = tmp_path / "quy-4-2026.xlsx"
    path.write_text("Họ và tên;Điểm\nAn;9\n", encoding="utf-8")
    _assert_clean_failure(run_cli("score", path), 4, "quy-4-2026.xlsx")


def test_encrypted_workbook(tmp_path: Path, run_cli: Any) -> None:
    path = tmp_path / "quy-4-2026.xlsx"
    ole = bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504
    path.write_bytes(ole + "EncryptionInfo".encode("utf-16-le") + b"\0" * 1024)
    _assert_clean_failure(run_cli("score", path), 4, "quy-4-2026.xlsx", "mật khẩu")


def test_empty_workbook(tmp_path: Path, run_cli: Any) -> None:
    path = write_xlsx(tmp_path, {"Sheet1": []}, name="quy-4-2026.xlsx")
    result = run_cli("score", path)
    _assert_clean_failure(result, 1, "no-data")
    assert not path.with_name("quy-4-2026.ket-qua.xlsx").exists()


def test_no_recognisable_header(tmp_path: Path, run_cli: Any) -> None:
    path = write_xlsx(tmp_path, {"Khoa Nội": [["Tên", "Điểm"], ["An", 9]]}, name="quy-4-2026.xlsx")
    result = run_cli("score", path)
    _assert_clean_failure(result, 1, "no-header-found", "Khoa Nội", "Tên", "Mã NV")


def test_missing_criterion_column(tmp_path: Path, run_cli: Any) -> None:
    header = [h for h in HEADER if h != "TD2"]
    person = row(1, "N01", "Nguyễn Văn An", 90)
    del person[HEADER.index("TD2")]
    path = write_xlsx(tmp_path, {"Khoa Nội": [header, person]}, name="quy-4-2026.xlsx")
    _assert_clean_failure(run_cli("score", path), 1, "missing-criterion-column", "TD2")


def test_value_above_maximum_names_the_cell(tmp_path: Path, run_cli: Any) -> None:
    person = row(1, "N01", "Nguyễn Văn An", 90)
    person[HEADER.index("CM1")] = 16
    path = write_xlsx(tmp_path, {"Khoa Nội": [["TIÊU ĐỀ"], HEADER, person]}, name="quy-4-2026.xlsx")
    result = run_cli("score", path)
    _assert_clean_failure(result, 1, "above-maximum", "Khoa Nội!L3")


def test_regulation_with_a_typo(quarter: Path, tmp_path: Path, run_cli: Any) -> None:
    rules = tmp_path / "quy-che.toml"
    rules.write_text("[cap]\nrat = 0.25\n", encoding="utf-8")
    _assert_clean_failure(run_cli("score", quarter, "--rules", rules), 3, "cap.rat", "cap.rate")


def test_output_exists_needs_force(quarter: Path, run_cli: Any) -> None:
    import zipfile

    out = quarter.with_name("quy-4-2026.ket-qua.xlsx")
    out.write_bytes(b"do not touch")
    _assert_clean_failure(run_cli("score", quarter), 6, "--force")
    assert out.read_bytes() == b"do not touch"
    # issue 10: --force replaces only a file of the kind score writes (a workbook).
    _assert_clean_failure(run_cli("score", quarter, "--force"), 6, "không phải loại tệp")
    assert out.read_bytes() == b"do not touch"
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    before = out.read_bytes()
    assert run_cli("score", quarter, "--force").exit_code == 0
    assert out.read_bytes() != before


def test_output_that_is_the_input_is_refused_even_with_force(quarter: Path, run_cli: Any) -> None:
    before = quarter.read_bytes()
    result = run_cli("score", quarter, "-o", quarter, "--force")
    assert result.exit_code == 2, result.output
    assert "không bao giờ ghi đè tệp đầu vào" in result.stderr
    assert quarter.read_bytes() == before


def test_unreadable_path(tmp_path: Path, run_cli: Any) -> None:
    _assert_clean_failure(run_cli("score", tmp_path / "khong-co.xlsx"), 4, "khong-co.xlsx")


def test_period_missing_asks_for_period(tmp_path: Path, run_cli: Any) -> None:
    path = write_xlsx(tmp_path, {"Khoa Nội": [HEADER, row(1, "N01", "An", 90)]}, name="bang-diem.xlsx")
    _assert_clean_failure(run_cli("score", path), 2, "--period")
    assert run_cli("score", path, "--period", "2026-Q4", "--no-output").exit_code == 0


def test_formula_looking_name_stays_text(tmp_path: Path, run_cli: Any) -> None:
    path = write_xlsx(tmp_path, {"Khoa Nội": [HEADER, row(1, "N01", "=HYPERLINK(\"x\")", 90)]},
                      name="quy-4-2026.xlsx")
    assert run_cli("score", path).exit_code == 0
    wb = openpyxl.load_workbook(path.with_name("quy-4-2026.ket-qua.xlsx"))
    cell = wb["Cá nhân"]["C2"]
    assert cell.value == "=HYPERLINK(\"x\")" and cell.data_type == "s"
