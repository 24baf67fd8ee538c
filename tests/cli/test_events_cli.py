"""Violations and bonuses listed by code in a "Sự việc" column, with escalation on repeat and
the "nặng" cap (issue 14), through the real commands, against totals computed by hand."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl

from thidua_cli.config.sections import EventItem, EventSettings
from thidua_cli.core.events import parse_events
from thidua_cli.model import Period, PeriodKind, Rating

CODES = ("CS1", "CS2", "CM1", "CM2", "CM3", "TD1", "TD2", "HT1", "PT1")
RULES = '''
[events]
violations = [
    { code = "VP01", name = "Đi làm muộn không có lý do", points = [2, 4, 6] },
    { code = "VP02", name = "Sai sót chuyên môn gây hậu quả", points = [10], severe = true },
]
bonuses = [{ code = "KT01", name = "Người bệnh khen bằng văn bản", points = [3] }]
'''
Q4 = Period(PeriodKind.QUARTER, 2026, 4)
SETTINGS = EventSettings(
    (EventItem("VP01", "Đi làm muộn", (2.0, 4.0, 6.0)),
     EventItem("VP02", "Sai sót", (10.0,), severe=True)),
    (EventItem("KT01", "Khen", (3.0,)),), Rating.HTNV)


def test_escalation_counts_in_date_order() -> None:
    # Written out of order: the 3/11 one is the first occurrence (2), 12/11 the second (4),
    # 1/12 the third (6), an undated fourth counts the last step again (6).
    events, problems = parse_events("VP01 12/11/2026; VP01 03/11; vp01 01/12/2026; VP01",
                                    SETTINGS, Q4)
    assert problems == []
    assert [(e.on, e.nth, e.points) for e in events] == [
        (date(2026, 11, 12), 2, 4.0), (date(2026, 11, 3), 1, 2.0),
        (date(2026, 12, 1), 3, 6.0), (None, 4, 6.0)]


def test_problems_unknown_code_bad_date_outside_period() -> None:
    events, problems = parse_events("VP09 01/10/2026; VP01 31/11/2026; VP01 05/09/2026; KT01",
                                    SETTINGS, Q4)
    assert [e.code for e in events] == ["KT01"]
    assert [c for c, _ in problems] == ["event-unknown-code", "event-invalid",
                                        "event-outside-period"]
    assert "VP01, VP02, KT01" in problems[0][1]


def _sheet(path: Path, rows: list[tuple[Any, ...]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Khoa Nội"
    ws.append(["BẢNG ĐIỂM QUÝ IV NĂM 2026"])
    ws.append(["Mã NV", "Họ và tên", *CODES, "Điểm cộng", "Điểm trừ", "Sự việc"])
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    return path


ALL8 = (8, 8, 12, 12, 8, 8, 8, 8, 8)  # 8×7 + 12×2 = 80


def test_score_with_events_hand_computed(tmp_path: Path, run_cli: Any) -> None:
    rules = tmp_path / "quy-che.toml"
    rules.write_text(RULES, encoding="utf-8")
    book = _sheet(tmp_path / "quy-4-2026.xlsx", [
        # 80 − (2 + 4 + 6) = 68
        ("NV01", "Nguyễn Văn An", *ALL8, None, None, "VP01 05/10/2026; VP01 12/11/2026; VP01 01/12/2026"),
        # 80 + 1 (typed) − 1.5 (typed) − 10 (VP02) = 69.5, and a severe violation
        ("NV02", "Trần Thị Bình", *ALL8, 1, 1.5, "VP02 20/10/2026"),
        # 10×7 + 15×2 = 100 − 10 (VP02) = 90 → band HTXSNV, capped at HTNV by the severe flag
        ("NV03", "Lê Văn Cường", 10, 10, 15, 15, 10, 10, 10, 10, 10, None, None, "VP02 02/10/2026"),
        # 80 + 8 (typed) + 3 (KT01) = bonus 11 → capped at 10 → 90
        ("NV04", "Phạm Thị Dung", *ALL8, 8, None, "KT01 15/10/2026"),
    ])
    done = run_cli("score", str(book), "--rules", str(rules), "--json", "--no-output")
    assert done.exit_code == 0, done.output
    people = {p["staff_id"]: p for p in json.loads(done.stdout)["people"]}
    assert {k: p["total"] for k, p in people.items()} == {
        "NV01": 68.0, "NV02": 69.5, "NV03": 90.0, "NV04": 90.0}
    assert people["NV03"]["rating"]["code"] == "HTNV"
    assert people["NV02"]["rating"]["code"] == "HTNV"  # 69.5 < 70 already

    explained = run_cli("score", str(book), "--rules", str(rules), "--explain", "NV01")
    assert explained.exit_code == 0, explained.output
    text = " ".join(explained.stdout.split())
    assert "Đi làm muộn không có lý do (VP01), ngày 05/10/2026: trừ 2 điểm" in text
    assert "(VP01), ngày 12/11/2026, lần 2 trong kỳ: trừ 4 điểm" in text
    assert "(VP01), ngày 01/12/2026, lần 3 trong kỳ: trừ 6 điểm" in text
    severe = run_cli("score", str(book), "--rules", str(rules), "--explain", "NV03")
    assert "Vi phạm nặng (VP02) trong kỳ → từ HTXSNV xuống HTNV" in " ".join(severe.stdout.split())


def test_unknown_code_is_an_error_on_its_cell(tmp_path: Path, run_cli: Any) -> None:
    book = _sheet(tmp_path / "quy-4-2026.xlsx", [
        ("NV01", "Nguyễn Văn An", *ALL8, None, None, "VP01 05/10/2026"),
    ])
    done = run_cli("validate", str(book), "--json")  # the default regulation has no catalogue
    assert done.exit_code == 1
    found = [f for f in json.loads(done.stdout)["findings"] if f["code"] == "event-unknown-code"]
    assert [(f["sheet"], f["cell"]) for f in found] == [("Khoa Nội", "N3")]
    assert "chưa có danh mục sự việc" in found[0]["message"]


def test_form_with_a_catalogue_has_the_events_column(tmp_path: Path, run_cli: Any) -> None:
    rules = tmp_path / "quy-che.toml"
    rules.write_text(RULES, encoding="utf-8")
    staff = tmp_path / "nhan-su.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Mã NV", "Họ và tên", "Khoa/Phòng", "Chức vụ"])
    wb.active.append(["NV01", "Nguyễn Văn An", "Khoa Nội", "Bác sĩ"])
    wb.active.append(["NV02", "Trần Thị Bình", "Khoa Nội", "Điều dưỡng"])
    wb.save(staff)
    done = run_cli("forms", str(staff), "-p", "2026-Q4", "-r", str(rules), "-o", str(tmp_path / "bm"))
    assert done.exit_code == 0, done.output
    form = tmp_path / "bm" / "khoa-noi.quy-4-2026.xlsx"
    wb = openpyxl.load_workbook(form)
    ws = wb["Khoa Nội"]
    header = [c.value for c in ws[6]]
    assert header[-4:] == ["Kỷ luật", "Sự việc (mã, ngày)", "Tổng điểm (chưa gồm sự việc)", "Ghi chú"]
    events_col = header.index("Sự việc (mã, ngày)") + 1
    rules_by_ref = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    letter = openpyxl.utils.get_column_letter(events_col)
    dv = rules_by_ref[f"{letter}7:{letter}8"]
    assert dv.type == "list" and dv.formula1 == '"VP01,VP02,KT01"' and dv.errorStyle == "information"
    assert ws.cell(7, events_col).protection.locked is False
    instructions = [c.value for c in wb["Hướng dẫn"]["A"] if c.value]
    assert "VP01: Đi làm muộn không có lý do – trừ 2 → 4 → 6 điểm theo lần trong kỳ" in instructions
    # Filled: NV01 all 8 (80) with VP01 twice (2 + 4) → 74; NV02 all 8 with KT01 → 83.
    for r, text in ((7, "VP01 05/10/2026; VP01 06/11/2026"), (8, "KT01 01/12/2026")):
        for j in range(9):
            ws.cell(r, 9 + j).value = ALL8[j]
        ws.cell(r, events_col).value = text
    back = tmp_path / "nop-ve"
    back.mkdir()
    wb.save(back / "noi.xlsx")
    collected = run_cli("collect", str(back), "-r", str(rules), "--json")
    doc = json.loads(collected.stdout)
    assert collected.exit_code == 0 and doc["findings"] == []  # the provisional total is not read
    scored = run_cli("score", doc["output"], "-r", str(rules), "--json", "--no-output")
    people = {p["staff_id"]: p["total"] for p in json.loads(scored.stdout)["people"]}
    assert people == {"NV01": 74.0, "NV02": 83.0}
