"""Criteria sets per post group ([posts], issue 14): a doctor and a nurse scored on different
lists, through the real commands, against totals computed by hand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl

RULES = '''
[[posts.groups]]
name = "Điều dưỡng"
positions = ["Điều dưỡng", "Điều dưỡng trưởng"]
drop = ["CM3"]
criteria = [
    { code = "DD1", name = "Chăm sóc người bệnh toàn diện", group = "Chuyên môn nghiệp vụ", max_points = 6 },
    { code = "DD2", name = "Thực hiện quy trình kỹ thuật điều dưỡng", group = "Chuyên môn nghiệp vụ", max_points = 4 },
]
'''
# Common: CS1 10, CS2 10, CM1 15, CM2 15, CM3 10, TD1 10, TD2 10, HT1 10, PT1 10 (Σ 100).
# Nurses: the same without CM3 (− 10), with DD1 6 and DD2 4 (+ 10): Σ 100.
HEAD = ["Mã NV", "Họ và tên", "Chức vụ", "CS1", "CS2", "CM1", "CM2", "CM3", "TD1", "TD2", "HT1",
        "PT1", "DD1", "DD2"]


def _book(path: Path, rows: list[list[Any]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Khoa Nội"
    ws.append(["BẢNG ĐIỂM QUÝ IV NĂM 2026"])
    ws.append(HEAD)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_doctor_and_nurse_on_their_own_sets(tmp_path: Path, run_cli: Any) -> None:
    rules = tmp_path / "quy-che.toml"
    rules.write_text(RULES, encoding="utf-8")
    book = _book(tmp_path / "quy-4-2026.xlsx", [
        # Doctor, common set: 9 + 9 + 13 + 13 + 9 + 9 + 9 + 9 + 9 = 89; DD1/DD2 blank (not his)
        ["BS01", "Nguyễn Văn An", "Bác sĩ", 9, 9, 13, 13, 9, 9, 9, 9, 9, None, None],
        # Nurse: 9 + 9 + 13 + 13 + (CM3 not hers) + 9 + 9 + 9 + 9 + DD1 5 + DD2 3.5 = 88.5
        ["DD01", "Trần Thị Bình", "Điều dưỡng", 9, 9, 13, 13, None, 9, 9, 9, 9, 5, 3.5],
    ])
    done = run_cli("score", str(book), "--rules", str(rules), "--json", "--no-output")
    assert done.exit_code == 0, done.output
    doc = json.loads(done.stdout)
    totals = {p["staff_id"]: p["total"] for p in doc["people"]}
    assert totals == {"BS01": 89.0, "DD01": 88.5}
    checked = run_cli("validate", str(book), "--rules", str(rules), "--json")
    assert checked.exit_code == 0 and json.loads(checked.stdout)["findings"] == []
    explained = " ".join(run_cli("score", str(book), "--rules", str(rules), "--explain",
                                 "DD01").stdout.split())
    assert 'Chấm theo bộ tiêu chí của nhóm "Điều dưỡng" (10 tiêu chí)' in explained
    assert "Cộng 10 tiêu chí: 88,5 điểm (tối đa 100)" in explained
    assert "Hồ sơ bệnh án" not in explained  # CM3 is not hers


def test_a_score_in_another_posts_criterion_and_a_missing_one(tmp_path: Path,
                                                               run_cli: Any) -> None:
    rules = tmp_path / "quy-che.toml"
    rules.write_text(RULES, encoding="utf-8")
    book = _book(tmp_path / "quy-4-2026.xlsx", [
        # The doctor got 5 in DD1 (a nurse's criterion): left out, a warning on M3.
        ["BS01", "Nguyễn Văn An", "Bác sĩ", 9, 9, 13, 13, 9, 9, 9, 9, 9, 5, None],
        # The nurse lacks DD2: a missing score, an error on N4.
        ["DD01", "Trần Thị Bình", "Điều dưỡng", 9, 9, 13, 13, None, 9, 9, 9, 9, 5, None],
    ])
    done = run_cli("validate", str(book), "--rules", str(rules), "--json")
    assert done.exit_code == 1
    found = {(f["code"], f["cell"]) for f in json.loads(done.stdout)["findings"]}
    assert found == {("criterion-not-for-post", "M3"), ("missing-score", "N4")}


def test_a_group_must_sum_to_the_total(tmp_path: Path, run_cli: Any) -> None:
    rules = tmp_path / "quy-che.toml"
    rules.write_text(RULES.replace("max_points = 4", "max_points = 5"), encoding="utf-8")
    done = run_cli("score", "x.xlsx", "--rules", str(rules))
    assert done.exit_code == 3
    assert 'tổng điểm tối đa của nhóm "Điều dưỡng" là 101' in done.stderr


def test_a_department_form_with_two_posts(tmp_path: Path, run_cli: Any) -> None:
    rules = tmp_path / "quy-che.toml"
    rules.write_text(RULES, encoding="utf-8")
    staff = tmp_path / "nhan-su.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Mã NV", "Họ và tên", "Khoa/Phòng", "Chức vụ"])
    wb.active.append(["BS01", "Nguyễn Văn An", "Khoa Nội", "Bác sĩ"])
    wb.active.append(["DD01", "Trần Thị Bình", "Khoa Nội", "Điều dưỡng"])
    wb.save(staff)
    done = run_cli("forms", str(staff), "-p", "2026-Q4", "-r", str(rules), "-o", str(tmp_path / "bm"))
    assert done.exit_code == 0, done.output
    wb = openpyxl.load_workbook(tmp_path / "bm" / "khoa-noi.quy-4-2026.xlsx")
    ws = wb["Khoa Nội"]
    header = [str(c.value).split(".")[0] for c in ws[6]]
    col = {h: i + 1 for i, h in enumerate(header)}
    assert [h for h in header if h in ("CM3", "DD1", "DD2")] == ["CM3", "DD1", "DD2"]
    # The doctor's DD1/DD2 and the nurse's CM3 are locked; their own cells are open.
    assert ws.cell(7, col["DD1"]).protection.locked is True
    assert ws.cell(7, col["CM3"]).protection.locked is False
    assert ws.cell(8, col["CM3"]).protection.locked is True
    assert ws.cell(8, col["DD2"]).protection.locked is False
    doctor = {"CS1": 9, "CS2": 9, "CM1": 13, "CM2": 13, "CM3": 9, "TD1": 9, "TD2": 9, "HT1": 9,
              "PT1": 9}  # 89
    nurse = {**{k: v for k, v in doctor.items() if k != "CM3"}, "DD1": 5, "DD2": 3.5}  # 88.5
    for r, marks in ((7, doctor), (8, nurse)):
        for code, v in marks.items():
            ws.cell(r, col[code]).value = v
    back = tmp_path / "nop-ve"
    back.mkdir()
    wb.save(back / "noi.xlsx")
    collected = run_cli("collect", str(back), "-r", str(rules), "--json")
    doc = json.loads(collected.stdout)
    assert collected.exit_code == 0, collected.output
    assert {f["code"] for f in doc["findings"]} == {"formula-without-value"}  # openpyxl
    scored = run_cli("score", doc["output"], "-r", str(rules), "--json", "--no-output")
    assert {p["staff_id"]: p["total"] for p in json.loads(scored.stdout)["people"]} == {
        "BS01": 89.0, "DD01": 88.5}


def test_post_groups_by_job_position_column(tmp_path: Path, run_cli: Any) -> None:
    """``posts.field = "job_position"``: the groups follow "Vị trí việc làm" (the HR export's
    column), not "Chức vụ" (the same "Viên chức" for both here), from the staff list through
    the form to score."""
    rules = tmp_path / "quy-che.toml"
    rules.write_text('[posts]\nfield = "job_position"\n' + RULES, encoding="utf-8")
    staff = tmp_path / "nhan-su.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Mã NV", "Họ và tên", "Khoa/Phòng", "Chức vụ", "Vị trí việc làm"])
    wb.active.append(["BS01", "Nguyễn Văn An", "Khoa Nội", "Viên chức", "Bác sĩ"])
    wb.active.append(["DD01", "Trần Thị Bình", "Khoa Nội", "Viên chức", "Điều dưỡng"])
    wb.save(staff)
    done = run_cli("forms", str(staff), "-p", "2026-Q4", "-r", str(rules), "-o", str(tmp_path / "bm"))
    assert done.exit_code == 0, done.output
    wb = openpyxl.load_workbook(tmp_path / "bm" / "khoa-noi.quy-4-2026.xlsx")
    ws = wb["Khoa Nội"]
    header = [str(c.value).split(".")[0] for c in ws[6]]
    col = {h: i + 1 for i, h in enumerate(header)}
    # The form carries the column the groups follow, pre-filled and locked.
    assert ws.cell(7, col["Vị trí việc làm"]).value == "Bác sĩ"
    assert ws.cell(8, col["Vị trí việc làm"]).value == "Điều dưỡng"
    assert ws.cell(8, col["Vị trí việc làm"]).protection.locked is True
    # The nurse (by Vị trí việc làm) has CM3 locked and DD1 open; the doctor the reverse.
    assert ws.cell(8, col["CM3"]).protection.locked is True
    assert ws.cell(8, col["DD1"]).protection.locked is False
    assert ws.cell(7, col["DD1"]).protection.locked is True
    doctor = {"CS1": 9, "CS2": 9, "CM1": 13, "CM2": 13, "CM3": 9, "TD1": 9, "TD2": 9, "HT1": 9,
              "PT1": 9}  # 9×7 + 13×2 = 89
    nurse = {**{k: v for k, v in doctor.items() if k != "CM3"}, "DD1": 5, "DD2": 3.5}
    # nurse: 89 − 9 (no CM3) + 5 + 3.5 = 88.5
    for r, marks in ((7, doctor), (8, nurse)):
        for code, v in marks.items():
            ws.cell(r, col[code]).value = v
    back = tmp_path / "nop-ve"
    back.mkdir()
    wb.save(back / "noi.xlsx")
    collected = run_cli("collect", str(back), "-r", str(rules), "--json")
    doc = json.loads(collected.stdout)
    assert collected.exit_code == 0, collected.output
    scored = run_cli("score", doc["output"], "-r", str(rules), "--json", "--no-output")
    assert {p["staff_id"]: p["total"] for p in json.loads(scored.stdout)["people"]} == {
        "BS01": 89.0, "DD01": 88.5}
    # With the default field ("position": Chức vụ = "Viên chức", no group) both are on the
    # common set: the nurse's blank CM3 is a missing score.
    plain = tmp_path / "quy-che-chuc-vu.toml"
    plain.write_text(RULES, encoding="utf-8")
    checked = run_cli("validate", doc["output"], "-r", str(plain), "--json")
    assert checked.exit_code == 1
    missing = [f for f in json.loads(checked.stdout)["findings"] if f["code"] == "missing-score"]
    assert [f["cell"] for f in missing] == [f"{openpyxl.utils.get_column_letter(col['CM3'])}8"]


def test_job_position_is_a_known_setting_and_a_wrong_one_is_refused(tmp_path: Path,
                                                                     run_cli: Any) -> None:
    rules = tmp_path / "quy-che.toml"
    rules.write_text('[posts]\nfield = "vi_tri"\n', encoding="utf-8")
    done = run_cli("validate", str(tmp_path / "x.xlsx"), "-r", str(rules))
    assert done.exit_code == 3
    assert "job_position" in done.output
