"""``thidua forms`` → departments fill (openpyxl, and LibreOffice) → ``thidua collect`` →
``thidua score``, end to end, against totals computed by hand (issue 14)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

# The default criteria, in order, and their maxima: CS1 10, CS2 10, CM1 15, CM2 15, CM3 10,
# TD1 10, TD2 10, HT1 10, PT1 10 (Σ 100).
CODES = ("CS1", "CS2", "CM1", "CM2", "CM3", "TD1", "TD2", "HT1", "PT1")
FIRST_CRIT_COL = 9  # column I: STT, Mã NV, Họ và tên, Khoa/Phòng, Chức vụ, Lãnh đạo, Giới tính, Ngày TD
HEADER_ROW = 6

STAFF = [
    # Mã NV, Họ và tên, Khoa/Phòng, Chức danh, Lãnh đạo, Giới tính, Ngày tuyển dụng
    ("NV01", "Nguyễn Văn An", "Khoa Nội", "Trưởng khoa", "x", "Nam", date(2010, 3, 1)),
    ("NV02", "Trần Thị Bình", "Khoa Nội", "Điều dưỡng", "", "Nữ", date(2015, 6, 1)),
    ("NV03", "Lê Văn Cường", "Khoa Nội", "Bác sĩ", "", "Nam", date(2018, 1, 2)),
    ("NV04", "Phạm Thị Dung", "Khoa Ngoại", "Bác sĩ", "", "Nữ", date(2012, 9, 1)),
    ("NV05", "Hoàng Văn Em", "Khoa Ngoại", "Kỹ thuật viên", "", "Nam", date(2019, 4, 1)),
]

# What each department types in (points per criterion, bonus, deduction, discipline), and the
# total by hand: Σ points + min(bonus, 10) − deduction, within [0, 100].
FILL: dict[str, dict[str, Any]] = {
    # 9×7 + 14×2 = 91; + min(12, 10) = 101 → clamped to 100
    "NV01": {"points": (9, 9, 14, 14, 9, 9, 9, 9, 9), "bonus": 12, "deduction": None},
    # 8×7 + 12×2 = 80; + 2 − 3.5 = 78.5
    "NV02": {"points": (8, 8, 12, 12, 8, 8, 8, 8, 8), "bonus": 2, "deduction": 3.5},
    # 5×7 + 7.5×2 = 50
    "NV03": {"points": (5, 5, 7.5, 7.5, 5, 5, 5, 5, 5), "bonus": None, "deduction": None},
    # 100, disciplined (Khiển trách) → KHTNV whatever the points
    "NV04": {"points": (10, 10, 15, 15, 10, 10, 10, 10, 10), "bonus": None, "deduction": None,
             "discipline": "Khiển trách"},
    # 9×7 + 13.5×2 = 90
    "NV05": {"points": (9, 9, 13.5, 13.5, 9, 9, 9, 9, 9), "bonus": None, "deduction": None},
}
TOTALS = {"NV01": 100.0, "NV02": 78.5, "NV03": 50.0, "NV04": 100.0, "NV05": 90.0}


def write_staff_list(path: Path) -> Path:
    """A messy HR export: a title, a blank row, extra columns, an ID typed as a number."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "DS nhân sự"
    ws.append(["BỆNH VIỆN ĐA KHOA TỈNH AN BÌNH – DANH SÁCH NHÂN SỰ"])
    ws.append([])
    ws.append(["STT", "Mã NV", "Họ và tên", "Khoa/Phòng", "Chức danh", "Lãnh đạo", "Giới tính",
               "Ngày tuyển dụng", "Số điện thoại", "Vị trí việc làm"])
    for i, row in enumerate(STAFF, 1):
        ws.append([i, *row, "0912 000 00" + str(i), row[3]])
    wb.save(path)
    return path


def set_saved_at(path: Path, when: datetime) -> None:
    """Rewrite the date saved inside the file (openpyxl always writes "now")."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]+", rb"\g<1>"
                              + when.strftime("%Y-%m-%dT%H:%M:%SZ").encode(), data)
            dst.writestr(item, data)
    tmp.replace(path)


def fill_form(path: Path, target: Path, *, fills: dict[str, dict[str, Any]] = FILL,
              saved_at: datetime | None = None) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[HEADER_ROW]]
    col = {h: i + 1 for i, h in enumerate(header)}
    r = HEADER_ROW + 1
    while ws.cell(r, 2).value:
        data = fills[ws.cell(r, 2).value]
        for j, points in enumerate(data["points"]):
            ws.cell(r, FIRST_CRIT_COL + j).value = points
        if data.get("bonus") is not None:
            ws.cell(r, col["Điểm cộng"]).value = data["bonus"]
        if data.get("deduction") is not None:
            ws.cell(r, col["Điểm trừ"]).value = data["deduction"]
        if data.get("discipline"):
            ws.cell(r, col["Kỷ luật"]).value = data["discipline"]
        r += 1
    wb.save(target)
    set_saved_at(target, saved_at or datetime(2026, 12, 20, 9, 0))


@pytest.fixture
def forms_dir(tmp_path: Path, run_cli: Any) -> Path:
    staff = write_staff_list(tmp_path / "nhan-su.xlsx")
    done = run_cli("forms", str(staff), "--period", "2026-Q4", "-o", str(tmp_path / "bieu-mau"))
    assert done.exit_code == 0, done.output
    return tmp_path / "bieu-mau"


def test_forms_writes_one_form_per_department(forms_dir: Path, run_cli: Any) -> None:
    names = sorted(p.name for p in forms_dir.iterdir())
    assert names == ["khoa-ngoai.quy-4-2026.xlsx", "khoa-noi.quy-4-2026.xlsx"]
    wb = openpyxl.load_workbook(forms_dir / "khoa-noi.quy-4-2026.xlsx")
    assert wb.sheetnames == ["Khoa Nội", "Hướng dẫn", "_thidua"]
    ws = wb["Khoa Nội"]
    assert ws["A3"].value == "BẢNG CHẤM ĐIỂM THI ĐUA QUÝ IV NĂM 2026"
    assert ws["A4"].value == "Khoa/Phòng: Khoa Nội"
    assert [ws.cell(r, 2).value for r in (7, 8, 9)] == ["NV01", "NV02", "NV03"]
    assert ws["F7"].value == "x" and ws["F8"].value in ("", None)
    assert ws["I6"].value == "CS1. Chấp hành chủ trương, chính sách, pháp luật (10đ)"
    assert ws["K6"].value == "CM1. Khối lượng, tiến độ công việc (15đ)"
    # Σ criteria + min(N(bonus), 10) − deduction, clamped to [0, 100], 2 decimals.
    assert ws["W7"].value == "=ROUND(MAX(0,MIN(100,SUM(I7:Q7)+MIN(N(R7),10)-S7)),2)"
    assert ws["W6"].value == "Tổng điểm"
    # Identity in the hidden sheet.
    ident = wb["_thidua"]
    assert ident.sheet_state == "hidden"
    assert {ident.cell(r, 1).value: ident.cell(r, 2).value for r in range(1, 7)} == {
        "form": "thidua-form", "version": "1", "department": "Khoa Nội", "period": "2026-Q4",
        "staff": "3", "contact": "Nguyễn Văn An (Trưởng khoa)"}


def test_forms_protection_locked_cells_and_validation(forms_dir: Path) -> None:
    wb = openpyxl.load_workbook(forms_dir / "khoa-noi.quy-4-2026.xlsx")
    ws = wb["Khoa Nội"]
    assert ws.protection.sheet is True and not ws.protection.password
    assert wb["Hướng dẫn"].protection.sheet is True
    # Pre-filled staff and the total: locked; inputs: open.
    for ref in ("A7", "B7", "C7", "D7", "E7", "F7", "H7", "W7"):
        assert ws[ref].protection.locked is True, ref
    for ref in ("I7", "Q9", "R7", "S8", "T7", "U7", "V7", "X9"):
        assert ws[ref].protection.locked is False, ref
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    # "between" is the default operator: the file leaves it out.
    assert (rules["I7:I9"].type, rules["I7:I9"].operator) == ("decimal", None)
    assert (rules["I7:I9"].formula1, rules["I7:I9"].formula2) == ("0", "10")
    assert (rules["K7:K9"].formula1, rules["K7:K9"].formula2) == ("0", "15")
    assert rules["V7:V9"].type == "list"
    assert rules["V7:V9"].formula1 == '"Khiển trách,Cảnh cáo,Cách chức,Buộc thôi việc"'
    # Q4 2026 has 65 working days (public holiday 24/11): the days cells are bounded by it.
    assert rules["T7:T9"].formula2 == "65"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.print_title_rows == "$6:$6"
    assert ws.freeze_panes == "D7"


def test_collect_and_score_hand_computed(forms_dir: Path, tmp_path: Path, run_cli: Any) -> None:
    back = tmp_path / "nop-ve"
    back.mkdir()
    fill_form(forms_dir / "khoa-noi.quy-4-2026.xlsx", back / "Khoa noi - gui lai.xlsx")
    fill_form(forms_dir / "khoa-ngoai.quy-4-2026.xlsx", back / "ngoai.xlsx")
    (back / "~$ngoai.xlsx").write_bytes(b"lock")  # Excel's lock file: skipped
    done = run_cli("collect", str(back), "--json")
    assert done.exit_code == 0, done.output
    doc = json.loads(done.stdout)
    assert doc["schema"] == "thidua.collect/1"
    assert doc["period"]["code"] == "2026-Q4"
    rows = {d["department"]: d for d in doc["departments"]}
    assert rows["Khoa Nội"]["status"] == "warnings"  # only the totals openpyxl cannot compute
    assert rows["Khoa Nội"]["people"] == 3 and rows["Khoa Ngoại"]["people"] == 2
    assert rows["Khoa Nội"]["recognised_by"] == "sheet ẩn của biểu mẫu"
    assert rows["Khoa Nội"]["contact"] == "Nguyễn Văn An (Trưởng khoa)"
    assert rows["Khoa Nội"]["saved_at"] == "2026-12-20T09:00:00"
    codes = {f["code"] for f in doc["findings"]}
    assert codes == {"formula-without-value"}  # openpyxl saves formulas without their value
    assert {f["cell"] for f in doc["findings"] if f["sheet"] == "Khoa Nội"} == {"W7", "W8", "W9"}
    merged = Path(doc["output"])
    assert merged == tmp_path / "tong-hop-quy-4-2026.xlsx"

    scored = run_cli("score", str(merged), "--json", "--no-output")
    assert scored.exit_code == 0, scored.output
    people = {p["staff_id"]: p for p in json.loads(scored.stdout)["people"]}
    assert {k: p["total"] for k, p in people.items()} == TOTALS
    assert people["NV04"]["rating"]["code"] == "KHTNV"  # disciplined in the period
    assert people["NV03"]["rating"]["code"] == "HTNV"  # 50 ≥ the HTNV threshold 50
    # Non-managers rated HTTNV or better before the cap: NV02 (78.5) and NV05 (90):
    # floor(0.20 × 2) = 0 slots, so NV05's HTXSNV becomes HTTNV; NV01 alone among the
    # managers: floor(0.20 × 1) = 0, HTTNV too.
    assert people["NV05"]["rating"]["code"] == "HTTNV"
    assert people["NV01"]["rating"]["code"] == "HTTNV"
    assert people["NV02"]["rating"]["code"] == "HTTNV"


def test_collect_tracks_missing_errors_resubmissions(forms_dir: Path, tmp_path: Path,
                                                     run_cli: Any) -> None:
    back = tmp_path / "nop-ve"
    back.mkdir()
    # Khoa Nội sends twice: the first with NV02's CS1 above its maximum, then corrected.
    wrong = {**FILL, "NV02": {**FILL["NV02"], "points": (11, 8, 12, 12, 8, 8, 8, 8, 8)}}
    fill_form(forms_dir / "khoa-noi.quy-4-2026.xlsx", back / "noi-lan-1.xlsx", fills=wrong,
              saved_at=datetime(2026, 12, 18, 8, 0))
    fill_form(forms_dir / "khoa-noi.quy-4-2026.xlsx", back / "noi-lan-2.xlsx",
              saved_at=datetime(2026, 12, 19, 8, 0))
    staff = tmp_path / "nhan-su.xlsx"
    done = run_cli("collect", str(back), "--expect", str(staff), "--json", "--no-output")
    doc = json.loads(done.stdout)
    rows = {d["department"]: d for d in doc["departments"]}
    assert rows["Khoa Ngoại"]["status"] == "missing"
    assert rows["Khoa Nội"]["files"] == [str(back / "noi-lan-2.xlsx")]
    assert [s["file"] for s in doc["superseded"]] == [str(back / "noi-lan-1.xlsx")]
    assert doc["call_back"] == ["Khoa Ngoại"]
    assert done.exit_code == 0  # a missing department is a warning, not an error

    # Now the corrected copy is older than the wrong one: the wrong one counts, exit 1.
    set_saved_at(back / "noi-lan-2.xlsx", datetime(2026, 12, 17, 8, 0))
    done = run_cli("collect", str(back), "--expect", str(staff), "--json", "--no-output")
    assert done.exit_code == 1
    doc = json.loads(done.stdout)
    rows = {d["department"]: d for d in doc["departments"]}
    assert rows["Khoa Nội"]["status"] == "errors" and rows["Khoa Nội"]["errors"] == 1
    above = [f for f in doc["findings"] if f["code"] == "above-maximum"]
    assert [(f["sheet"], f["cell"]) for f in above] == [("Khoa Nội", "I8")]
    assert doc["call_back"] == ["Khoa Nội", "Khoa Ngoại"]


def test_collect_recognises_a_plain_file_by_its_name_and_refuses_unknown(
        forms_dir: Path, tmp_path: Path, run_cli: Any) -> None:
    back = tmp_path / "nop-ve"
    back.mkdir()
    # A department that typed its own sheet (no form): recognised by the file name.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["BẢNG ĐIỂM QUÝ IV NĂM 2026"])
    ws.append(["Mã NV", "Họ và tên", "Khoa/Phòng", *CODES, "Điểm cộng", "Điểm trừ"])
    ws.append(["NV05", "Hoàng Văn Em", "Khoa Ngoại", *FILL["NV05"]["points"], None, None])
    wb.save(back / "khoa-ngoai-q4.xlsx")
    wb2 = openpyxl.Workbook()
    wb2.active.append(["Mã NV", "Họ và tên"])
    wb2.save(back / "ai-gui.xlsx")
    # A list of department names (no staff): the people are not matched, the file name is.
    expect = tmp_path / "khoa-phai-nop.txt"
    expect.write_text("Khoa Nội\nKhoa Ngoại\n", encoding="utf-8")
    done = run_cli("collect", str(back), "--expect", str(expect), "--json", "--no-output")
    doc = json.loads(done.stdout)
    rows = {d["department"]: d for d in doc["departments"]}
    assert rows["Khoa Ngoại"]["recognised_by"] == "tên tệp"
    assert rows["Khoa Ngoại"]["people"] == 1
    unknown = [f for f in doc["findings"] if f["code"] == "form-unrecognised"]
    assert [f["file"] for f in unknown] == [str(back / "ai-gui.xlsx")]
    assert done.exit_code == 1


def _plain_sheet(path: Path, ids: list[str], *, title: str = "Sheet1") -> Path:
    """A department's own sheet (no form, no "Khoa/Phòng:" title, no department column)."""
    by_id = {s[0]: s for s in STAFF}
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    ws.append(["BẢNG ĐIỂM QUÝ IV NĂM 2026"])
    ws.append(["Mã NV", "Họ và tên", *CODES])
    for staff_id in ids:
        name = by_id[staff_id][1] if staff_id in by_id else "Người Ngoài Danh Sách"
        ws.append([staff_id, name, *FILL.get(staff_id, FILL["NV03"])["points"]])
    wb.save(path)
    return path


def test_collect_recognises_a_file_by_its_people_against_the_staff_list(
        forms_dir: Path, tmp_path: Path, run_cli: Any) -> None:
    """Neither the file names nor the sheet names say the department: the staff IDs do, as
    listed in the staff list given as --expect (NV01–NV03 Khoa Nội, NV04–NV05 Khoa Ngoại)."""
    back = tmp_path / "nop-ve"
    back.mkdir()
    # NV04, NV05 found: 2 of 2 in Khoa Ngoại.
    _plain_sheet(back / "bang-diem-a.xlsx", ["NV04", "NV05"])
    # NV01–NV03 found (NV99 is in no list): 3 of 3 in Khoa Nội.
    _plain_sheet(back / "bang-diem-b.xlsx", ["NV01", "NV02", "NV03", "NV99"])
    # NV01, NV02 (Nội) and NV04, NV05 (Ngoại): 2 against 2, no majority → not guessed.
    _plain_sheet(back / "bang-diem-c.xlsx", ["NV01", "NV02", "NV04", "NV05"])
    # Nobody of the list: not recognised.
    _plain_sheet(back / "bang-diem-d.xlsx", ["NV98", "NV99"])
    done = run_cli("collect", str(back), "--expect", str(tmp_path / "nhan-su.xlsx"), "--json",
                   "--no-output")
    doc = json.loads(done.stdout)
    rows = {d["department"]: d for d in doc["departments"]}
    assert rows["Khoa Ngoại"]["files"] == [str(back / "bang-diem-a.xlsx")]
    assert rows["Khoa Ngoại"]["recognised_by"] == (
        "nhân sự trong tệp: 2/2 người (100 %) thuộc khoa/phòng này")
    assert rows["Khoa Nội"]["files"] == [str(back / "bang-diem-b.xlsx")]
    assert rows["Khoa Nội"]["recognised_by"] == (
        "nhân sự trong tệp: 3/3 người (100 %) thuộc khoa/phòng này")
    mixed = [f for f in doc["findings"] if f["code"] == "form-staff-mixed"]
    assert [f["file"] for f in mixed] == [str(back / "bang-diem-c.xlsx")]
    assert mixed[0]["severity"] == "error"
    assert "4 người của danh sách nhân sự có trong tệp thuộc nhiều khoa/phòng" in mixed[0]["message"]
    assert "(Khoa Ngoại 2 người, Khoa Nội 2 người)" in mixed[0]["message"]
    unknown = [f for f in doc["findings"] if f["code"] == "form-unrecognised"]
    assert [f["file"] for f in unknown] == [str(back / "bang-diem-d.xlsx")]
    assert "không ai trong tệp có trong danh sách nhân sự" in unknown[0]["message"]
    assert done.exit_code == 1  # the mixed file is an error

    # A title row still comes first: "Khoa/Phòng: Khoa Ngoại" over Khoa Nội's people.
    wb = openpyxl.load_workbook(back / "bang-diem-b.xlsx")
    wb.active.insert_rows(1)
    wb.active["A1"] = "Khoa/Phòng: Khoa Ngoại"
    wb.save(back / "bang-diem-b.xlsx")
    (back / "bang-diem-a.xlsx").unlink()
    (back / "bang-diem-c.xlsx").unlink()
    (back / "bang-diem-d.xlsx").unlink()
    done = run_cli("collect", str(back), "--expect", str(tmp_path / "nhan-su.xlsx"), "--json",
                   "--no-output")
    rows = {d["department"]: d for d in json.loads(done.stdout)["departments"]}
    assert rows["Khoa Ngoại"]["recognised_by"] == 'dòng tiêu đề sheet "Sheet1"'
    assert rows["Khoa Nội"]["status"] == "missing"


def test_collect_annotate_writes_marked_copies_of_the_kept_files(
        forms_dir: Path, tmp_path: Path, run_cli: Any) -> None:
    import hashlib

    back = tmp_path / "nop-ve"
    back.mkdir()
    # Khoa Nội's kept copy has NV02's CS1 at 11 (maximum 10): an error on I8 (row 8 = NV02).
    wrong = {**FILL, "NV02": {**FILL["NV02"], "points": (11, 8, 12, 12, 8, 8, 8, 8, 8)}}
    fill_form(forms_dir / "khoa-noi.quy-4-2026.xlsx", back / "noi.xlsx", fills=wrong,
              saved_at=datetime(2026, 12, 19, 8, 0))
    # An older copy of Khoa Nội: superseded, so never checked nor marked.
    fill_form(forms_dir / "khoa-noi.quy-4-2026.xlsx", back / "noi-cu.xlsx",
              saved_at=datetime(2026, 12, 18, 8, 0))
    fill_form(forms_dir / "khoa-ngoai.quy-4-2026.xlsx", back / "ngoai.xlsx")
    before = hashlib.sha256((back / "noi.xlsx").read_bytes()).hexdigest()
    done = run_cli("collect", str(back), "--annotate", "--json", "--no-output")
    assert done.exit_code == 1, done.output
    doc = json.loads(done.stdout)
    marked = back / "noi.kiem-tra.xlsx"
    assert str(marked) in doc["annotated"]
    assert not (back / "noi-cu.kiem-tra.xlsx").exists()
    assert str(back / "noi-cu.kiem-tra.xlsx") not in doc["annotated"]

    wb = openpyxl.load_workbook(marked)
    assert wb.sheetnames[0] == "Kết quả kiểm tra"  # the list of findings comes first
    assert "Khoa Nội" in wb.sheetnames
    ws = wb["Khoa Nội"]
    cell = ws["I8"]
    assert cell.value == 11  # the department's value, kept
    assert cell.fill.fill_type == "solid" and cell.fill.start_color.rgb.endswith("FFC7CE")  # red
    assert cell.comment is not None and cell.comment.author == "thidua"
    assert "vượt điểm tối đa 10" in cell.comment.text
    assert ws["I7"].comment is None or "vượt" not in ws["I7"].comment.text  # NV01's 9 is fine
    summary = wb["Kết quả kiểm tra"]
    texts = [str(c.value) for row in summary.iter_rows() for c in row if c.value is not None]
    assert any("vượt điểm tối đa 10" in t for t in texts)
    links = [c.hyperlink.location for row in summary.iter_rows() for c in row
             if c.hyperlink is not None and c.hyperlink.location]
    assert any(link.endswith("!I8") for link in links)
    # The returned file itself is only read.
    assert hashlib.sha256((back / "noi.xlsx").read_bytes()).hexdigest() == before

    # A marked copy already there is not overwritten without --force (exit 6), then is.
    again = run_cli("collect", str(back), "--annotate", "--json", "--no-output")
    assert again.exit_code == 6
    assert "noi.kiem-tra.xlsx" in again.output
    forced = run_cli("collect", str(back), "--annotate", "--force", "--json", "--no-output")
    assert forced.exit_code == 1


def test_collect_refuses_a_form_of_another_period(tmp_path: Path, run_cli: Any) -> None:
    staff = write_staff_list(tmp_path / "nhan-su.xlsx")
    run_cli("forms", str(staff), "-p", "2026-Q3", "-o", str(tmp_path / "q3"))
    back = tmp_path / "nop-ve"
    back.mkdir()
    fill_form(tmp_path / "q3" / "khoa-noi.quy-3-2026.xlsx", back / "noi.xlsx")
    done = run_cli("collect", str(back), "-p", "2026-Q4", "--json", "--no-output")
    assert done.exit_code == 1
    doc = json.loads(done.stdout)
    wrong = [f for f in doc["findings"] if f["code"] == "form-wrong-period"]
    assert len(wrong) == 1 and "Quý III năm 2026" in wrong[0]["message"]


def test_forms_refuses_a_staff_list_with_errors_and_never_overwrites(
        tmp_path: Path, run_cli: Any) -> None:
    staff = write_staff_list(tmp_path / "nhan-su.xlsx")
    out = tmp_path / "bm"
    assert run_cli("forms", str(staff), "-p", "2026-Q4", "-o", str(out)).exit_code == 0
    again = run_cli("forms", str(staff), "-p", "2026-Q4", "-o", str(out))
    assert again.exit_code == 6 and "--force" in again.stderr
    assert run_cli("forms", str(staff), "-o", str(out)).exit_code == 2  # no period
    wb = openpyxl.load_workbook(staff)
    wb.active.append([9, "NV01", "Trùng Mã", "Khoa Nội"])
    wb.save(staff)
    bad = run_cli("forms", str(staff), "-p", "2026-Q4", "-o", str(tmp_path / "bm2"))
    assert bad.exit_code == 1
    assert "duplicate-staff-id" in bad.stderr or "trùng" in bad.stderr.lower()
    assert not (tmp_path / "bm2").exists()


def test_libreoffice_round_trip_reads_with_no_warnings(forms_dir: Path, tmp_path: Path,
                                                        run_cli: Any) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    filled = tmp_path / "filled"
    filled.mkdir()
    fill_form(forms_dir / "khoa-noi.quy-4-2026.xlsx", filled / "khoa-noi.xlsx")
    fill_form(forms_dir / "khoa-ngoai.quy-4-2026.xlsx", filled / "khoa-ngoai.xlsx")
    back = tmp_path / "nop-ve"
    done = subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}", "--headless",
         "--convert-to", "xlsx", "--outdir", str(back), str(filled / "khoa-noi.xlsx"),
         str(filled / "khoa-ngoai.xlsx")],
        capture_output=True, timeout=180, check=False,
    )
    assert done.returncode == 0, done.stderr
    # LibreOffice computed the totals: validate finds nothing at all, not even a warning.
    checked = run_cli("validate", str(back), "--json")
    assert checked.exit_code == 0, checked.output
    assert json.loads(checked.stdout)["findings"] == []
    # The hidden sheet and the protection survive the round trip.
    wb = openpyxl.load_workbook(back / "khoa-noi.xlsx")
    assert wb["_thidua"].sheet_state == "hidden"
    assert wb["Khoa Nội"].protection.sheet is True
    assert wb["Khoa Nội"]["I7"].protection.locked is False
    assert wb["Khoa Nội"]["B7"].protection.locked is True
    collected = run_cli("collect", str(back), "--json")
    assert collected.exit_code == 0, collected.output
    doc = json.loads(collected.stdout)
    assert doc["findings"] == [] and doc["summary"]["submitted"] == 2
    scored = run_cli("score", doc["output"], "--json", "--no-output")
    people = {p["staff_id"]: p for p in json.loads(scored.stdout)["people"]}
    assert {k: p["total"] for k, p in people.items()} == TOTALS


def test_the_example_forms_cover_the_example_staff_list() -> None:
    """examples/bieu-mau-quy-4-2026/: 30 forms, one per department of the example regulation,
    792 people in all (as examples/nhan-su.xlsx), each recognised by its hidden sheet."""
    from thidua_cli.io.forms_xlsx import read_identity
    from thidua_cli.io.workbook import load_workbook

    examples = Path(__file__).resolve().parents[2] / "examples"
    forms = sorted((examples / "bieu-mau-quy-4-2026").glob("*.xlsx"))
    assert len(forms) == 30
    identities = [read_identity(load_workbook(p)) for p in forms]
    assert all(i is not None and i.period.code == "2026-Q4" for i in identities)
    assert sum(i.staff for i in identities if i is not None) == 792
    assert len({i.department for i in identities if i is not None}) == 30
