"""``thidua validate`` through the CLI: folders, exit codes, JSON, --annotate, --expect, files
across departments, the shipped example, and the robustness list of issue 3 (every case a
report or a clear failure, never a traceback)."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from helpers import CliResult, write_xlsx

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
LO_XLS = ROOT / "tests" / "data" / "libreoffice" / "khoa-noi-lo.xls"

HEADER = ["STT", "Mã NV", "Họ và tên", "CS1", "CS2", "CM1", "CM2", "CM3", "TD1", "TD2", "HT1",
          "PT1", "Tổng điểm", "Xếp loại"]
SCORES = [8, 9, 12, 13, 8, 9, 8, 7, 9]  # Σ 83 → HTTNV


def dept_rows(prefix: str = "KN", n: int = 3, title: str = "BẢNG ĐIỂM QUÝ IV NĂM 2026",
              changes: dict[tuple[int, int], Any] | None = None) -> list[list[Any]]:
    """Title rows, a blank row, the header at row 4, people from row 5 (columns as HEADER)."""
    rows: list[list[Any]] = [["BỆNH VIỆN ĐA KHOA TỈNH AN BÌNH"], [title], [], list(HEADER)]
    for i in range(n):
        rows.append([i + 1, f"{prefix}{i + 1:03d}", f"Người {prefix} {i + 1}", *SCORES, 83,
                     "HTTNV"])
    for (r, c), v in (changes or {}).items():
        row = rows[r - 1]
        row.extend([None] * (c - len(row)))
        row[c - 1] = v
    return rows


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def as_json(result: CliResult) -> dict[str, Any]:
    assert result.exception is None, result.exception
    return json.loads(result.stdout)


def codes_at(data: dict[str, Any], file_suffix: str = "") -> list[tuple[str, str | None, str | None]]:
    return [(f["code"], f["sheet"], f["cell"]) for f in data["findings"]
            if (f["file"] or "").endswith(file_suffix)]


# --------------------------------------------------------------------------------------------
# Exit codes and output
# --------------------------------------------------------------------------------------------


def test_clean_file_exits_0(tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    path = write_xlsx(tmp_path, {"Khoa Nội": dept_rows()}, name="khoa-noi.xlsx")
    result = run_cli("validate", path)
    assert result.exit_code == 0, result.output
    assert f"{path} — 3 người, 1 sheet: không có lỗi hay cảnh báo nào." in result.stdout
    assert "Tổng cộng 1 tệp: 1 đạt, 0 chỉ có cảnh báo, 0 có lỗi. Không có lỗi phải sửa." \
        in result.stdout
    assert "Kỳ: Quý IV năm 2026 (dòng tiêu đề sheet \"Khoa Nội\" ô A2)" in result.stdout


def test_warnings_only_exit_0(tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    # "8,5" stored as text, and the sheet's total agrees with it: a warning only.
    rows = dept_rows(changes={(5, 4): "7,5", (5, 13): 82.5})
    path = write_xlsx(tmp_path, {"Khoa Nội": rows}, name="khoa-noi.xlsx")
    data = as_json(run_cli("validate", path, "--json"))
    assert codes_at(data) == [("number-stored-as-text", "Khoa Nội", "D5")]
    assert data["exit_code"] == 0
    assert data["files"][0]["status"] == "warnings"
    result = run_cli("validate", path)
    assert result.exit_code == 0
    assert "Tổng cộng 1 tệp: 0 đạt, 1 chỉ có cảnh báo, 0 có lỗi." in result.stdout


def test_errors_exit_1_with_the_cell_and_message(tmp_path: Path,
                                                 run_cli: Callable[..., CliResult]) -> None:
    path = write_xlsx(tmp_path, {"Khoa Nội": dept_rows(changes={(6, 6): 17})},
                      name="khoa-noi.xlsx")
    result = run_cli("validate", path)
    assert result.exit_code == 1
    line = next(ln for ln in result.stdout.splitlines() if "above-maximum" in ln)
    assert "Khoa Nội!F6" in line and "Lỗi" in line
    assert "Điểm \"CM1\" là 17, vượt điểm tối đa 15. Hãy sửa lại." in line
    assert "Có lỗi phải sửa trước khi chấm điểm (mã thoát 1)." in result.stdout


def test_json_schema(tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    path = write_xlsx(tmp_path, {"Khoa Nội": dept_rows(changes={(6, 6): 17, (7, 13): 80})},
                      name="khoa-noi.xlsx")
    result = run_cli("validate", path, "--json")
    assert result.exit_code == 1
    data = as_json(result)
    assert data["schema"] == "thidua.validate/1"
    assert set(data) == {"schema", "tool_version", "regulation", "period", "period_source",
                         "ratings_checked", "expected_departments", "summary", "files",
                         "skipped", "findings", "exit_code"}
    assert data["period"]["code"] == "2026-Q4" and data["ratings_checked"] is True
    assert data["summary"] == {
        "files": 1, "files_ok": 0, "files_with_warnings": 0, "files_with_errors": 1,
        "files_unreadable": 0, "people": 3, "errors": 1, "warnings": 1, "notes": 0,
    }
    assert data["files"] == [{
        "file": str(path), "format": "xlsx", "status": "errors", "people": 3, "sheets": 1,
        "errors": 1, "warnings": 1, "annotated": None, "annotated_values_only": None,
    }]
    first, second = data["findings"]
    assert first == {
        "code": "above-maximum", "severity": "error", "file": str(path), "sheet": "Khoa Nội",
        "row": 6, "column": "F", "cell": "F6", "header": "CM1", "value": 17,
        "message": "Điểm \"CM1\" là 17, vượt điểm tối đa 15. Hãy sửa lại.",
    }
    # row 7: 83 written as 80
    assert (second["code"], second["cell"], second["severity"], second["value"]) == (
        "total-mismatch", "M7", "warning", "80")
    assert second["message"] == ("Tổng trên sheet là 80 nhưng tính lại được 83. Kết quả dùng "
                                 "số tính lại.")
    assert data["exit_code"] == 1


def test_folders_are_walked_and_outputs_skipped(tmp_path: Path,
                                               run_cli: Callable[..., CliResult]) -> None:
    folder = tmp_path / "nop-ve"
    (folder / "dot-2").mkdir(parents=True)
    write_xlsx(folder, {"Khoa Nội": dept_rows("KN")}, name="khoa-noi.xlsx")
    write_xlsx(folder / "dot-2", {"Khoa Nhi": dept_rows("NH")}, name="khoa-nhi.xlsx")
    for name in ("khoa-noi.kiem-tra.xlsx", "quy-4.ket-qua.xlsx", "nam-2026.de-xuat.xlsx",
                 "~$khoa-noi.xlsx"):
        (folder / name).write_bytes(b"not read")
    (folder / "ghi-chu.txt").write_text("không phải bảng tính", encoding="utf-8")
    data = as_json(run_cli("validate", folder, "--json"))
    assert [f["file"] for f in data["files"]] == [
        str(folder / "dot-2" / "khoa-nhi.xlsx"), str(folder / "khoa-noi.xlsx")]
    assert sorted(Path(p).name for p in data["skipped"]) == [
        "khoa-noi.kiem-tra.xlsx", "nam-2026.de-xuat.xlsx", "quy-4.ket-qua.xlsx",
        "~$khoa-noi.xlsx"]
    assert data["exit_code"] == 0 and data["summary"]["people"] == 6


def test_an_unreadable_file_is_a_finding_and_exit_4(tmp_path: Path,
                                                     run_cli: Callable[..., CliResult]) -> None:
    write_xlsx(tmp_path, {"Khoa Nội": dept_rows(changes={(6, 6): 17})}, name="khoa-noi.xlsx")
    (tmp_path / "bao-cao.xls").write_text("<html><body><table><tr><td>Họ tên</td></tr></table>",
                                          encoding="utf-8")
    result = run_cli("validate", tmp_path, "--json")
    assert result.exit_code == 4
    data = as_json(result)
    by_file = {Path(f["file"]).name: f for f in data["files"]}
    assert by_file["bao-cao.xls"]["status"] == "unreadable"
    assert by_file["khoa-noi.xlsx"]["status"] == "errors"  # still fully checked
    unreadable = [f for f in data["findings"] if f["code"] == "unreadable-file"]
    assert len(unreadable) == 1 and unreadable[0]["severity"] == "error"
    assert "trang web (HTML)" in unreadable[0]["message"]
    assert "above-maximum" in [f["code"] for f in data["findings"]]
    text = run_cli("validate", tmp_path)
    assert text.exit_code == 4
    assert "Có tệp không đọc được (mã thoát 4)" in text.stdout


def test_a_missing_file_is_unreadable(tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("validate", tmp_path / "khong-co.xlsx")
    assert result.exit_code == 4
    assert "khong-co.xlsx" in result.stdout and "unreadable-file" in result.stdout


def test_a_folder_without_spreadsheets_is_a_usage_error(
        tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    (tmp_path / "ghi-chu.txt").write_text("x", encoding="utf-8")
    result = run_cli("validate", tmp_path)
    assert result.exit_code == 2
    assert "không có tệp bảng tính nào" in result.stderr


def test_bad_regulation_exit_3_and_bad_period_exit_2(
        tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    path = write_xlsx(tmp_path, {"Khoa Nội": dept_rows()}, name="khoa-noi.xlsx")
    rules = tmp_path / "quy-che.toml"
    rules.write_text("[scoring\n", encoding="utf-8")
    assert run_cli("validate", path, "--rules", rules).exit_code == 3
    bad = run_cli("validate", path, "--period", "quý năm")
    assert bad.exit_code == 2 and bad.stderr.startswith("Lỗi:")


# --------------------------------------------------------------------------------------------
# --annotate
# --------------------------------------------------------------------------------------------


def test_annotate_writes_marked_copies_and_never_overwrites(
        tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    noi = write_xlsx(tmp_path, {"Khoa Nội": dept_rows(changes={(6, 6): 17})},
                     name="khoa-noi.xlsx")
    nhi = write_xlsx(tmp_path, {"Khoa Nhi": dept_rows("NH")}, name="khoa-nhi.xlsx")
    before = {p: sha(p) for p in (noi, nhi)}
    result = run_cli("validate", tmp_path, "--annotate")
    assert result.exit_code == 1
    assert {p: sha(p) for p in (noi, nhi)} == before  # the originals are never modified
    marked = tmp_path / "khoa-noi.kiem-tra.xlsx"
    assert f"Đã ghi bản đánh dấu: {marked}" in result.stdout
    wb = load_workbook(marked)
    assert wb.sheetnames == ["Kết quả kiểm tra", "Khoa Nội"]
    cell = wb["Khoa Nội"]["F6"]
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")
    assert cell.comment.text.startswith("Lỗi [above-maximum]: Điểm \"CM1\" là 17")
    summary = wb["Kết quả kiểm tra"]
    assert summary["C5"].value == "above-maximum"
    assert summary["E5"].hyperlink.location == "'Khoa Nội'!F6"
    # issue 13: a file without findings gets no marked copy (nothing to send back).
    assert not (tmp_path / "khoa-nhi.kiem-tra.xlsx").exists()
    assert "không cần bản đánh dấu" in result.stdout

    # A second run refuses before writing anything (exit 6), whatever the other files.
    stamp = {p: sha(p) for p in tmp_path.glob("*.kiem-tra.xlsx")}
    again = run_cli("validate", tmp_path, "--annotate")
    assert again.exit_code == 6
    assert "--force" in again.stderr
    assert {p: sha(p) for p in tmp_path.glob("*.kiem-tra.xlsx")} == stamp
    # the marked copies are our own outputs: never validated themselves
    forced = as_json(run_cli("validate", tmp_path, "--annotate", "--force", "--json"))
    assert [Path(f["file"]).name for f in forced["files"]] == ["khoa-nhi.xlsx", "khoa-noi.xlsx"]
    assert forced["files"][1]["annotated"] == str(marked)


def test_annotate_the_same_file_sent_as_xls_and_xlsx(tmp_path: Path,
                                                     run_cli: Callable[..., CliResult]) -> None:
    """khoa-noi.xls and khoa-noi.xlsx side by side would share khoa-noi.kiem-tra.xlsx: each
    marked copy keeps its original's extension instead, both are written, neither overwritten."""
    shutil.copyfile(LO_XLS, tmp_path / "khoa-noi.xls")
    shutil.copyfile(LO_XLS.with_suffix(".xlsx"), tmp_path / "khoa-noi.xlsx")
    data = as_json(run_cli("validate", tmp_path, "--annotate", "--json"))
    assert [(Path(f["file"]).name, Path(f["annotated"]).name) for f in data["files"]] == [
        ("khoa-noi.xls", "khoa-noi.xls.kiem-tra.xlsx"),
        ("khoa-noi.xlsx", "khoa-noi.xlsx.kiem-tra.xlsx"),
    ]
    assert data["exit_code"] == 1
    assert load_workbook(tmp_path / "khoa-noi.xls.kiem-tra.xlsx")["Kết quả kiểm tra"]["A1"].value == (
        "KẾT QUẢ KIỂM TRA TỆP khoa-noi.xls")
    assert load_workbook(tmp_path / "khoa-noi.xlsx.kiem-tra.xlsx")["Kết quả kiểm tra"]["A1"].value == (
        "KẾT QUẢ KIỂM TRA TỆP khoa-noi.xlsx")
    # The marked copies are skipped as thidua's own outputs on the next run, which refuses.
    again = run_cli("validate", tmp_path, "--annotate")
    assert again.exit_code == 6 and "khoa-noi.xls.kiem-tra.xlsx" in again.stderr


def test_annotate_an_xls_gives_a_values_only_copy(tmp_path: Path,
                                                  run_cli: Callable[..., CliResult]) -> None:
    src = tmp_path / "khoa-noi.xls"
    shutil.copyfile(LO_XLS, src)
    result = run_cli("validate", src, "--annotate")
    assert result.exit_code == 1
    assert "bản .xlsx chỉ chép giá trị các ô" in result.stdout
    wb = load_workbook(tmp_path / "khoa-noi.kiem-tra.xlsx")
    assert wb["Khoa Nội"]["K12"].comment.text.startswith("Lỗi [above-maximum]")
    assert sha(src) == sha(LO_XLS)


# --------------------------------------------------------------------------------------------
# Across files, --expect
# --------------------------------------------------------------------------------------------


def test_the_same_staff_id_and_department_in_two_files(
        tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    write_xlsx(tmp_path, {"Khoa Nội": dept_rows("KN")}, name="a-khoa-noi.xlsx")
    # Khoa Ngoại typed the Khoa Nội person KN002 in its own list; Khoa Nội was sent twice.
    write_xlsx(tmp_path, {"Khoa Ngoại": dept_rows("NG", changes={(6, 2): "KN002"})},
               name="b-khoa-ngoai.xlsx")
    write_xlsx(tmp_path, {"Khoa Nội": dept_rows("KX")}, name="c-khoa-noi-lan-2.xlsx")
    data = as_json(run_cli("validate", tmp_path, "--json"))
    dup = next(f for f in data["findings"] if f["code"] == "duplicate-staff-id")
    assert (Path(dup["file"]).name, dup["sheet"], dup["cell"]) == (
        "b-khoa-ngoai.xlsx", "Khoa Ngoại", "B6")
    assert dup["message"] == (f"Mã nhân viên \"KN002\" đã có ở Khoa Nội!B6 (tệp "
                              f"{tmp_path / 'a-khoa-noi.xlsx'}). Mỗi người chỉ được có một dòng.")
    twice = next(f for f in data["findings"] if f["code"] == "department-submitted-twice")
    assert Path(twice["file"]).name == "c-khoa-noi-lan-2.xlsx"
    assert "Khoa/phòng \"Khoa Nội\" có dữ liệu ở cả" in twice["message"]
    assert data["exit_code"] == 1


def test_expect_list_reports_missing_and_unknown_departments(
        tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    folder = tmp_path / "nop-ve"
    folder.mkdir()
    write_xlsx(folder, {"Khoa Nội": dept_rows("KN")}, name="khoa-noi.xlsx")
    write_xlsx(folder, {"Khoa Ngoai": dept_rows("NG")}, name="khoa-ngoai.xlsx")
    expect = write_xlsx(folder, {"Danh sách": [["DANH SÁCH KHOA/PHÒNG"], [],
                                               ["STT", "Khoa/Phòng"], [1, "Khoa Nội"],
                                               [2, "Khoa Ngoại"], [3, "Khoa Sản"],
                                               [None, "Tổng cộng: 3"]]},
                        name="danh-sach-khoa.xlsx")
    data = as_json(run_cli("validate", folder, "--expect", expect, "--json"))
    # the list itself lies in the folder: it is not a department file
    assert [Path(f["file"]).name for f in data["files"]] == ["khoa-ngoai.xlsx", "khoa-noi.xlsx"]
    assert data["expected_departments"] == {
        "source": f"--expect {expect}", "names": ["Khoa Nội", "Khoa Ngoại", "Khoa Sản"]}
    found = [(f["code"], f["message"]) for f in data["findings"]]
    assert ("unknown-department",
            f"\"Khoa Ngoai\" không có trong danh sách khoa/phòng phải nộp (--expect {expect}). "
            "Có phải là \"Khoa Ngoại\"?") in found
    not_sent = [m for c, m in found if c == "department-not-submitted"]
    assert not_sent == ["Chưa nhận được bảng điểm của \"Khoa Ngoại\".",
                        "Chưa nhận được bảng điểm của \"Khoa Sản\"."]
    assert data["exit_code"] == 0  # warnings only
    assert [f["value"] for f in data["findings"] if f["code"] == "department-not-submitted"] == [
        "Khoa Ngoại", "Khoa Sản"]
    text = run_cli("validate", folder, "--expect", expect)
    assert (f"Chưa nộp (2/3 khoa/phòng theo --expect {expect}): Khoa Ngoại, Khoa Sản."
            in text.stdout)


def test_expect_as_a_text_file(tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    path = write_xlsx(tmp_path, {"Khoa Nội": dept_rows()}, name="khoa-noi.xlsx")
    expect = tmp_path / "ds.txt"
    expect.write_text("Khoa Nội\n\nKhoa Mắt\n", encoding="utf-8")
    data = as_json(run_cli("validate", path, "--expect", expect, "--json"))
    assert [f["message"] for f in data["findings"]] == [
        "Chưa nhận được bảng điểm của \"Khoa Mắt\"."]


# --------------------------------------------------------------------------------------------
# The shipped example
# --------------------------------------------------------------------------------------------


def test_the_shipped_example_folder(run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("validate", EXAMPLES / "nop-ve", "--rules", EXAMPLES / "quy-che.toml",
                     "--json")
    assert result.exit_code == 1
    data = as_json(result)
    status = {Path(f["file"]).name: f["status"] for f in data["files"]}
    assert status == {
        "khoa-cap-cuu.xlsx": "errors", "khoa-duoc.xlsx": "ok",
        "khoa-ngoai-tong-hop.xlsx": "errors", "khoa-nhi.xlsx": "errors",
        "khoa-noi-tong-hop.xlsx": "ok", "khoa-san.xlsx": "errors",
        "khoa-tim-mach.xlsx": "ok", "phong-dieu-duong.xlsx": "ok",
    }
    # the cells examples/README.md documents
    assert codes_at(data, "khoa-ngoai-tong-hop.xlsx") == [
        ("above-maximum", "Khoa Ngoại tổng hợp", "Y13"),
        ("duplicate-staff-id", "Khoa Ngoại tổng hợp", "B14")]
    assert codes_at(data, "khoa-cap-cuu.xlsx") == [
        ("formula-without-value", "Khoa Cấp cứu", "X23"),
        ("formula-without-value", "Khoa Cấp cứu", "X24")]
    san = codes_at(data, "khoa-san.xlsx")
    assert ("legacy-encoding", "Khoa Sản", "C13") in san
    assert ("ambiguous-decimal", "Khoa Sản", "W14") in san
    legacy = next(f for f in data["findings"] if f["code"] == "legacy-encoding")
    assert legacy["value"] == "TrÇn ThÞ Ngäc"
    assert "\"Trần Thị Ngọc\"" in legacy["message"] and ".VnTime" in legacy["message"]
    nhi = codes_at(data, "khoa-nhi.xlsx")
    assert nhi[:3] == [("number-stored-as-text", "Khoa Nhi", "R12"),
                       ("total-mismatch", "Khoa Nhi", "Z12"),
                       ("not-a-number", "Khoa Nhi", "U15")]
    # and the "Tổng cộng" row misses the text number in R and in the totals column Z
    total_row = [c for c in nhi[3:] if c[0] == "total-mismatch"]
    assert [c[2][0] for c in total_row] == ["R", "Z"]
    # 22 of the 30 departments of the regulation have not sent their file
    not_sent = [f for f in data["findings"] if f["code"] == "department-not-submitted"]
    assert len(not_sent) == 22 and data["expected_departments"]["source"] == "quy chế"


# --------------------------------------------------------------------------------------------
# Robustness: any file gives a report or a clear failure, never a traceback
# --------------------------------------------------------------------------------------------


def _valid_xlsx_bytes(tmp_path: Path) -> bytes:
    return write_xlsx(tmp_path, {"Khoa Nội": dept_rows()}, name="_src.xlsx").read_bytes()


def _zip_bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (64 * 1024 * 1024) + b"/>")


def _encrypted(path: Path) -> None:
    # An OLE container whose directory names EncryptionInfo: a password-protected .xlsx.
    head = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    path.write_bytes(head + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 1024)


def _huge_text(path: Path) -> None:
    rows = dept_rows()
    rows[4][2] = "Nguyễn " + "A" * 1_000_000
    write_xlsx(path.parent, {"Khoa Nội": rows}, name=path.name)


def _wide(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Khoa Nội"
    for r, row in enumerate(dept_rows(), start=1):
        for c, v in enumerate(row, start=1):
            if v is not None:
                ws.cell(row=r, column=c, value=v)
    ws.cell(row=4, column=16_384, value="Ghi chú cuối")
    ws.cell(row=5, column=16_384, value="xa tít")
    wb.save(path)


def _merged_header(path: Path) -> None:
    rows = dept_rows()
    write_xlsx(path.parent, {"Khoa Nội": rows}, name=path.name,
               merged={"Khoa Nội": ["B4:C4", "A1:N2"]})


def _very_hidden(path: Path) -> None:
    write_xlsx(path.parent, {"Khoa Nội": dept_rows(), "Khoa Ẩn": dept_rows("KA")},
               name=path.name, very_hidden_sheets=["Khoa Ẩn"])


def _charts_only(path: Path) -> None:
    from openpyxl.chart import BarChart

    wb = Workbook()
    wb.remove(wb.active)
    cs = wb.create_chartsheet("Biểu đồ")
    cs.add_chart(BarChart())
    wb.save(path)


CASES: list[tuple[str, str, Callable[[Path, Path], None], Sequence[int], str]] = [
    ("not-a-spreadsheet", "ghi-chu.xlsx",
     lambda p, t: p.write_text("Mã NV;Họ tên\n1;An\n", encoding="utf-8"), (4,), "CSV"),
    ("xls-renamed-xlsx", "khoa-noi.xlsx", lambda p, t: shutil.copyfile(LO_XLS, p), (1,),
     "above-maximum"),
    ("html-export", "bao-cao.xls",
     lambda p, t: p.write_text("<html><table><tr><td>Mã NV</td></tr></table></html>",
                               encoding="utf-8"), (4,), "trang web (HTML)"),
    ("encrypted", "khoa-noi.xlsx", lambda p, t: _encrypted(p), (4,), "mật khẩu"),
    ("truncated-zip", "khoa-noi.xlsx",
     lambda p, t: p.write_bytes(_valid_xlsx_bytes(t)[:3000]), (4,), "bị hỏng"),
    ("zip-bomb", "bom.xlsx", lambda p, t: _zip_bomb(p), (4,), "nén bất thường"),
    ("1-mb-text-cell", "khoa-noi.xlsx", lambda p, t: _huge_text(p), (0,),
     "không có lỗi hay cảnh báo"),
    ("16384-columns", "khoa-noi.xlsx", lambda p, t: _wide(p), (0,), "unknown-column"),
    ("merged-header", "khoa-noi.xlsx", lambda p, t: _merged_header(p), (1,), "missing-column"),
    ("very-hidden-sheet", "khoa-noi.xlsx", lambda p, t: _very_hidden(p), (0,),
     "ẩn sâu – veryHidden"),
    ("charts-only", "bieu-do.xlsx", lambda p, t: _charts_only(p), (1,), "chart-only-sheet"),
]


@pytest.mark.parametrize(("case", "name", "make", "exits", "expected"), CASES,
                         ids=[c[0] for c in CASES])
def test_any_file_gives_a_report_or_a_clear_failure(
        tmp_path: Path, run_cli: Callable[..., CliResult], case: str, name: str,
        make: Callable[[Path, Path], None], exits: Sequence[int], expected: str) -> None:
    work = tmp_path / "work"
    work.mkdir()
    path = work / name
    make(path, tmp_path)
    before = sha(path)
    result = run_cli("validate", path)
    assert result.exception is None
    assert result.exit_code in exits, result.output
    assert "Traceback" not in result.output and "sự cố ngoài dự kiến" not in result.output
    assert expected in result.stdout
    assert sha(path) == before
    assert sorted(p.name for p in work.iterdir()) == [name]  # nothing else written


# --------------------------------------------------------------------------------------------
# The README's validate section cannot rot
# --------------------------------------------------------------------------------------------

README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README.split("<!-- section:validate -->", 1)[1].split("\n## ", 1)[0]


def test_readme_session_is_the_real_output(run_cli: Callable[..., CliResult],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    block = re.search(r"```text\n\$ (thidua validate [^\n]+)\n(.*?)\n\$ echo \$\?\n(\d+)\n```",
                      SECTION, re.S)
    assert block, "the validate section has no session block"
    command, shown, code = block.group(1), block.group(2), int(block.group(3))
    monkeypatch.chdir(ROOT)
    result = run_cli(*command.split()[1:], env={"COLUMNS": "110"})
    assert result.exit_code == code
    real = "\n".join(line.rstrip() for line in result.stdout.rstrip("\n").splitlines())
    assert real == shown


def test_readme_documents_every_json_field(tmp_path: Path,
                                           run_cli: Callable[..., CliResult]) -> None:
    path = write_xlsx(tmp_path, {"Khoa Nội": dept_rows(changes={(6, 6): 17})},
                      name="khoa-noi.xlsx")
    data = as_json(run_cli("validate", path, "--json"))
    table = SECTION.split("| Trường | Ý nghĩa |", 1)[1].split("\n\n", 1)[0]
    rows = [line.split(" | ", 1)[0] for line in table.splitlines() if line.startswith("| `")]
    for key in data:
        assert any(f"`{key}`" in r or f"`{key}[]`" in r for r in rows), key
    for key in data["summary"]:
        assert key in table, key
    for key in (*data["files"][0], *data["findings"][0]):
        assert f"`{key}`" in table, key


def test_twenty_thousand_findings_are_counted_not_printed(
        tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    """issue 10: the findings table shows at most a few hundred rows on the terminal; the rest
    is one line pointing to --json and the marked copy (20,000 rows took seconds to lay out)."""
    import time

    from thidua_cli.present.validate import SHOWN_FINDINGS

    rows: list[list[Any]] = [HEADER]
    for i in range(2_000):  # ten scores above their maximum on each row
        rows.append([i + 1, f"KN{i:05d}", f"Người {i}", *([99] * 9), 0, 0])
    path = write_xlsx(tmp_path, {"Khoa Nội": rows}, name="quy-4-2026.xlsx")
    start = time.perf_counter()
    result = run_cli("validate", path)
    elapsed = time.perf_counter() - start
    assert result.exit_code == 1
    data = as_json(run_cli("validate", path, "--json"))
    assert len(data["findings"]) >= 18_000  # --json keeps every one
    shown = result.stdout.count("│ Lỗi")
    assert 0 < shown <= SHOWN_FINDINGS
    assert f"… và {len(data['findings']) - shown} phát hiện khác" in result.stdout
    assert "xem --json hoặc bản đánh dấu (--annotate)" in result.stdout
    assert elapsed < 30, elapsed
