"""`thidua cluster` end to end (issue 18): workbooks written here, messy member sheets read or
refused with the cell, the JSON, the written workbook read back, every exit code; and the shipped
example.

The cluster here: table K1 (max 60), K2 (max 40), C (bonus, max 5), T (deduction, max 5).

    member                self K1 K2 C T    checked K1 K2 C T   checked total
    Bệnh viện Một         58 38 5 0         57 38 5 0           57+38+5-0 = 100   rank 1
    Bệnh viện Hai         55 35 "2,5" 0     55 35 2.5 1         55+35+2.5-1 = 91.5 rank 2
    Bệnh viện Ba (messy)  50 35 2 0         50 35 2 0           87                 rank 3

Cờ: Một is first; conditions Có / HTXSNV / Không; 3 of 3 votes = 100 % ≥ 80 % → proposed.
Bằng khen (2 seats): Hai (2 of 3 > half) → proposed; Ba has no vote row → not proposed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from helpers import write_xlsx

ROOT = Path(__file__).resolve().parents[2]
TABLE = [["KHỐI THI ĐUA THỬ"], [], ["Mã", "Tiêu chí", "Nhóm", "Điểm tối đa", "Loại"],
         ["K1", "Chuyên môn", "I", 60, ""], ["K2", "Quản lý", "I", 40, ""],
         ["C", "Vượt kế hoạch", "Điểm cộng", 5, "Cộng"], ["T", "Khiếu nại", "Điểm trừ", 5, "Trừ"],
         ["", "Tổng cộng", "", 100, ""]]
MEMBERS = [["Đơn vị", "Trưởng khối", "Vượt chỉ tiêu", "Tổ chức Đảng", "Vi phạm nghiêm trọng"],
           ["Bệnh viện Một", "x", "Có", "HTXSNV", "Không"],
           ["Bệnh viện Hai", "", "Có", "HTTNV", "Không"],
           ["Bệnh viện Ba", "", "Không", "HTTNV", "Không"]]
HEAD = ["Mã", "Nội dung", "Điểm tối đa", "Tự chấm", "Kiểm tra"]


def _member(unit: str, rows: list[list[Any]]) -> list[list[Any]]:
    return [[f"Đơn vị: {unit}"], [], HEAD, *rows]


def _cluster(tmp_path: Path, *, hai: list[list[Any]] | None = None) -> list[Path]:
    book = write_xlsx(tmp_path, {"Bảng điểm": TABLE, "Thành viên": MEMBERS}, name="khoi-2026.xlsx")
    mot = write_xlsx(tmp_path, {"Chấm": _member("Bệnh viện Một", [
        ["K1", "Chuyên môn", 60, 58, 57], ["K2", "Quản lý", 40, 38, 38],
        ["C", "Vượt", 5, 5, 5], ["T", "Khiếu nại", 5, 0, 0]])}, name="mot.xlsx")
    hai_rows = hai or [["K1", "Chuyên môn", 60, 55, 55], ["K2", "Quản lý", 40, 35, 35],
                       ["C", "Vượt", 5, "2,5", 2.5], ["T", "Khiếu nại", 5, 0, 1]]
    hai_path = write_xlsx(tmp_path, {"Chấm": _member("Bệnh viện Hai", hai_rows)}, name="hai.xlsx")
    # The messy one: letterhead, merged title, header on row 6 with other names, group rows,
    # a notes column, a total row and a signature block; the unit named in capitals.
    ba = write_xlsx(tmp_path, {"Tự chấm 2026": [
        ["SỞ Y TẾ", "", "", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"], [],
        ["BẢNG TỰ CHẤM ĐIỂM NĂM 2026"], ["Tên đơn vị:   BỆNH VIỆN BA"], [],
        ["STT", "Mã tiêu chí", "Nội dung chấm điểm", "Điểm chuẩn", "Điểm tự chấm",
         "Điểm khối chấm", "Ghi chú"],
        ["", "", "I. CHUYÊN MÔN", "", "", "", ""],
        [1, "K1", "Chuyên môn", 60, 50, 50, ""], [2, "k2", "Quản lý", 40, "35", 35, "đủ"],
        ["", "", "II. ĐIỂM CỘNG, TRỪ", "", "", "", ""],
        [3, "C", "Vượt", 5, 2, 2, ""], [4, "T", "Khiếu nại", 5, 0, 0, ""],
        ["", "", "Tổng cộng", 100, 87, 87, ""], [], ["", "", "", "", "GIÁM ĐỐC"]]},
        name="ba.xlsx", merged={"Tự chấm 2026": ["A3:G3"]})
    votes = write_xlsx(tmp_path, {"BQ": [["Tổng số thành viên: 3"], [],
                                         ["Đơn vị", "Danh hiệu", "Số phiếu đồng ý"],
                                         ["Bệnh viện Một", "Cờ thi đua", 3],
                                         ["Bệnh viện Hai", "Bằng khen", 2]]}, name="bq.xlsx")
    return [book, mot, hai_path, ba, Path("--votes"), votes]


def test_ranks_proposes_and_writes_the_workbook(tmp_path: Path, run_cli: Any) -> None:
    result = run_cli("cluster", *_cluster(tmp_path), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == "thidua.cluster/1" and data["year"] == 2026
    assert [(r["name"], r["rank"], r["checked_total"], r["self_total"]) for r in data["ranking"]] == [
        ("Bệnh viện Một", 1, 100.0, 101.0),   # self 58+38+5-0 = 101
        ("Bệnh viện Hai", 2, 91.5, 92.5),     # self 55+35+2.5-0 = 92.5
        ("Bệnh viện Ba", 3, 87.0, 87.0)]
    status = {(p["member"], p["title"]): p["status"] for p in data["proposals"]}
    assert status[("Bệnh viện Một", "CO_THI_DUA")] == "proposed"
    assert status[("Bệnh viện Hai", "BANG_KHEN")] == "proposed"
    assert status[("Bệnh viện Ba", "BANG_KHEN")] == "not_proposed"
    assert data["ranking"][1]["flagged"] == ["T"]  # 0 − 1 = −1, above 0.5
    assert data["rotation"] == {"rule": "list", "current": "Bệnh viện Một",
                                "next": "Bệnh viện Hai",
                                "reason": "đơn vị kế tiếp trong danh sách thành viên"}

    out = tmp_path / "2026.khoi.xlsx"
    assert out.is_file()  # --json still writes the workbook, like awards
    assert json.loads((tmp_path / "2026.khoi.json").read_text(encoding="utf-8")) == data
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Điểm", "Chênh lệch", "Xếp hạng", "Tỷ lệ lãnh đạo"]
    scores = wb["Điểm"]
    assert [c.value for c in scores[3]][:8] == ["Mã", "Tiêu chí", "Nhóm", "Loại", "Tối đa",
                                                 "Bệnh viện Một", "Bệnh viện Hai", "Bệnh viện Ba"]
    assert [c.value for c in scores[8]][5:8] == [100, 91.5, 87]  # the total row
    assert any(r.type == "colorScale" for cf in scores.conditional_formatting for r in cf.rules)
    diffs = wb["Chênh lệch"]
    rows = [[c.value for c in row] for row in diffs.iter_rows(min_row=4)]
    assert ["Bệnh viện Hai", "T", "Khiếu nại", 0, 1, -1, "x"] in rows
    ranking = wb["Xếp hạng"]
    assert [c.value for c in ranking[4]][:8] == [1, "Bệnh viện Một", 101, 100, 1, None,
                                                  "Đề nghị", "Không đề nghị"]
    assert len(ranking._charts) == 1
    assert ranking.page_setup.orientation == "landscape" and ranking.page_setup.paperSize == 9


def test_output_exists_and_no_year(tmp_path: Path, run_cli: Any) -> None:
    files = _cluster(tmp_path)
    assert run_cli("cluster", *files).exit_code == 0
    again = run_cli("cluster", *files)
    assert again.exit_code == 6 and "--force" in again.stderr
    assert run_cli("cluster", *files, "--force").exit_code == 0
    (tmp_path / "2026.khoi.xlsx").unlink()  # the JSON twin alone still stops the run
    assert run_cli("cluster", *files).exit_code == 6
    renamed = files[0].rename(tmp_path / "khoi.xlsx")
    missing = run_cli("cluster", renamed, *files[1:], "--no-output")
    assert missing.exit_code == 2 and "--year 2026" in missing.stderr
    assert run_cli("cluster", renamed, *files[1:], "--no-output", "--year", "2026").exit_code == 0


@pytest.mark.parametrize(("rows", "cell", "said"), [
    ([["K1", "x", 60, "năm mươi", 55]], "Chấm!D4", "không phải là số"),
    ([["K1", "x", 60, 61, 55]], "Chấm!D4", "phải từ 0 đến 60"),
    ([["K1", "x", 60, 55, -1]], "Chấm!E4", "phải từ 0 đến 60"),
    ([["K9", "x", 60, 55, 55]], "Chấm!A4", "K9"),
])
def test_bad_member_sheet_is_refused_with_the_cell(tmp_path: Path, run_cli: Any,
                                                   rows: list[list[Any]], cell: str,
                                                   said: str) -> None:
    full = [*rows, ["K2", "Quản lý", 40, 35, 35], ["C", "Vượt", 5, 2, 2], ["T", "Kn", 5, 0, 0]]
    result = run_cli("cluster", *_cluster(tmp_path, hai=full), "--no-output")
    assert result.exit_code == 1, result.output
    assert "hai.xlsx" in result.stderr and cell in result.stderr and said in result.stderr
    assert "Traceback" not in result.output


def test_missing_item_and_unknown_member(tmp_path: Path, run_cli: Any) -> None:
    short = [["K1", "x", 60, 55, 55], ["K2", "Quản lý", 40, 35, 35], ["C", "Vượt", 5, 2, 2]]
    result = run_cli("cluster", *_cluster(tmp_path, hai=short), "--no-output")
    assert result.exit_code == 1 and "cluster-item-missing" in result.stderr
    (tmp_path / "b").mkdir()
    files = _cluster(tmp_path / "b")
    stranger = write_xlsx(tmp_path, {"S": [["Đơn vị: Bệnh viện Lạ"], [], HEAD,
                                           ["K1", "x", 60, 1, 1]]}, name="la.xlsx")
    result = run_cli("cluster", *files, stranger, "--no-output")
    assert result.exit_code == 1 and "la.xlsx" in result.stderr
    assert "cluster-sheet-unknown-member" in result.stderr


def test_unreadable_input_and_bad_setting(tmp_path: Path, run_cli: Any) -> None:
    files = _cluster(tmp_path)
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"not a workbook")
    assert run_cli("cluster", files[0], broken, "--no-output").exit_code == 4
    rules = tmp_path / "quy-che.toml"
    rules.write_text("[cluster]\ntolerence = 1\n", encoding="utf-8")
    result = run_cli("cluster", *files, "--rules", rules, "--no-output")
    assert result.exit_code == 3 and "tolerance" in result.stderr
    rules.write_text("[cluster]\nbang_khen_slots = 3\n", encoding="utf-8")
    assert run_cli("cluster", *files, "--rules", rules, "--no-output").exit_code == 3


def test_text_from_sheets_is_written_as_data(tmp_path: Path, run_cli: Any) -> None:
    files = _cluster(tmp_path)
    formula = '=HYPERLINK("http://x.vn","Bấm")'
    table = [row[:] for row in TABLE]
    table[3][1] = formula
    write_xlsx(tmp_path, {"Bảng điểm": table, "Thành viên": MEMBERS}, name="khoi-2026.xlsx")
    assert run_cli("cluster", *files).exit_code == 0
    ws = openpyxl.load_workbook(tmp_path / "2026.khoi.xlsx")["Điểm"]
    assert ws["B4"].value == formula and ws["B4"].data_type == "s"


def test_the_shipped_example(tmp_path: Path, run_cli: Any) -> None:
    """examples/khoi-2026 (examples/make_cluster.py): Đa khoa tỉnh first with 20+14+14+10+9+10+
    10+10 = 97 plus bonus 5+3 = 105; Mắt and Phục hồi chức năng tied third at 96 for the one
    Bằng khen seat left after Bệnh viện A; the messy Tâm thần sheet read (QL2 from the self score
    8,5: 18+13+12+9+8.5+9+9+9+2 = 89.5); leaders 6 of 18 = 33.3 % > 30 %."""
    ex = ROOT / "examples" / "khoi-2026"
    result = run_cli("cluster", ex / "khoi-2026.xlsx", *sorted((ex / "cham").glob("*.xlsx")),
                     *sorted((ex / "de-xuat").glob("*.json")), "--votes", ex / "bieu-quyet.xlsx",
                     "--rules", ex / "quy-che-khoi.toml", "--json", "--no-output")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    ranking = {r["name"]: (r["rank"], r["checked_total"]) for r in data["ranking"]}
    assert ranking["Bệnh viện Đa khoa tỉnh An Bình"] == (1, 105.0)
    assert ranking["Bệnh viện Mắt tỉnh An Bình"] == ranking[
        "Bệnh viện Phục hồi chức năng tỉnh An Bình"] == (3, 96.0)
    assert ranking["Bệnh viện Tâm thần tỉnh An Bình"] == (6, 89.5)
    overall = data["leader_ratio"][-1]
    assert (overall["leaders"], overall["direct_workers"], overall["exceeds"]) == (6, 12, True)
    assert "cluster-check-missing" in result.stderr and "Tự chấm 2026!F14" in result.stderr


def _docx_text(path: Path) -> tuple[list[str], list[list[str]]]:
    from docx import Document

    doc = Document(str(path))
    paragraphs = [p.text for p in doc.paragraphs if p.text.strip()]
    rows = [[c.text for c in r.cells] for t in doc.tables for r in t.rows]
    return paragraphs, rows


def test_the_cluster_documents_read_back(tmp_path: Path, run_cli: Any) -> None:
    assert run_cli("cluster", *_cluster(tmp_path)).exit_code == 0
    result = tmp_path / "2026.khoi.json"
    r = run_cli("render", "bien-ban-khoi", "--from", result, "--meeting-date", "2026-12-10",
                "--signer", "Trần Văn Trưởng")
    assert r.exit_code == 0, r.output
    paragraphs, rows = _docx_text(tmp_path / "bien-ban-khoi-2026.docx")
    assert "Thời gian: … giờ …, ngày 10 tháng 12 năm 2026." in paragraphs
    assert ("Khối thống nhất đề nghị tặng Cờ thi đua cho Bệnh viện Một; đề nghị tặng Bằng khen "
            "cho Bệnh viện Hai.") in paragraphs
    assert "Trưởng khối năm 2027: Bệnh viện Hai (đơn vị kế tiếp trong danh sách thành viên)." in paragraphs
    assert ["1", "Bệnh viện Một", "101", "100"] in rows
    assert ["2", "Bệnh viện Hai", "92,5", "91,5"] in rows
    # 3 of 3 heads = 100 %; 2 of 3 = 66,7 %.
    assert ["1", "Bệnh viện Một", "Cờ thi đua", "3/3", "100,0%", "Đạt"] in rows
    assert ["2", "Bệnh viện Hai", "Bằng khen", "2/3", "66,7%", "Đạt"] in rows
    assert any("Số: …/BB-KTĐ" in cell for row in rows for cell in row)

    r = run_cli("render", "to-trinh-khoi", "--from", result, "--number", "15", "--date",
                "2026-12-12", "--signer", "Trần Văn Trưởng")
    assert r.exit_code == 0, r.output
    paragraphs, rows = _docx_text(tmp_path / "to-trinh-khoi-15-2026.docx")
    assert "1. Tặng Cờ thi đua cho: Bệnh viện Một." in paragraphs
    assert "2. Tặng Bằng khen cho: Bệnh viện Hai." in paragraphs
    cells = [cell for row in rows for cell in row]
    assert any("Số: 15/TTr-KTĐ" in c for c in cells) and any("ngày 12 tháng 12 năm 2026" in c for c in cells)
    assert any("Trần Văn Trưởng" in c for c in cells)
    again = run_cli("render", "to-trinh-khoi", "--from", result, "--number", "15")
    assert again.exit_code == 6


def test_cluster_documents_need_a_cluster_result(tmp_path: Path, run_cli: Any) -> None:
    awards = ROOT / "tests" / "data" / "awards-sample.json"
    r = run_cli("render", "bien-ban-khoi", "--from", awards, "-o", tmp_path)
    assert r.exit_code == 4 and "thidua.cluster/1" in r.stderr
    assert not list(tmp_path.iterdir())


def test_a_formula_saved_without_its_value_is_refused_with_the_cell(tmp_path: Path,
                                                                    run_cli: Any) -> None:
    """openpyxl stores a formula without its cached value, like a program that does not
    calculate: the points are unknown, never read as 0."""
    files = _cluster(tmp_path)
    write_xlsx(tmp_path, {"Chấm": _member("Bệnh viện Hai", [
        ["K1", "Chuyên môn", 60, "=50+5", 55], ["K2", "Quản lý", 40, 35, 35],
        ["C", "Vượt", 5, 2, 2], ["T", "Khiếu nại", 5, 0, 0]])}, name="hai.xlsx", formulas=True)
    result = run_cli("cluster", *files, "--no-output")
    assert result.exit_code == 1, result.output
    assert "Chấm!D4" in result.stderr and "công thức chưa có giá trị" in result.stderr


def test_the_scoring_table_from_the_regulation(tmp_path: Path, run_cli: Any) -> None:
    """A cluster workbook with only its members: the table comes from cluster.items (same four
    items, so the same totals: Một 57+38+5-0 = 100)."""
    files = _cluster(tmp_path)
    write_xlsx(tmp_path, {"Thành viên": MEMBERS}, name="khoi-2026.xlsx")
    assert run_cli("cluster", *files, "--no-output").exit_code == 1  # no table anywhere
    rules = tmp_path / "quy-che.toml"
    rules.write_text(
        '[cluster]\nitems = [\n'
        '  { code = "K1", name = "Chuyên môn", group = "I", max = 60 },\n'
        '  { code = "K2", name = "Quản lý", group = "I", max = 40 },\n'
        '  { code = "C", name = "Vượt kế hoạch", max = 5, kind = "bonus" },\n'
        '  { code = "T", name = "Khiếu nại", max = 5, kind = "deduction" },\n]\n',
        encoding="utf-8")
    result = run_cli("cluster", *files, "--rules", rules, "--json", "--no-output")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [(r["name"], r["checked_total"]) for r in data["ranking"]] == [
        ("Bệnh viện Một", 100.0), ("Bệnh viện Hai", 91.5), ("Bệnh viện Ba", 87.0)]
    rules.write_text('[cluster]\nitems = [{ code = "K1", name = "x", max = 0, kind = "cong" }]\n',
                     encoding="utf-8")
    bad = run_cli("cluster", *files, "--rules", rules, "--no-output")
    assert bad.exit_code == 3 and "cluster.items[1].max" in bad.stderr
    assert "cluster.items[1].kind" in bad.stderr
