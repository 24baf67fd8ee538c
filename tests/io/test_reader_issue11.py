"""io/reader: the optional columns of issue 11 (points 3, 11, 12), read tolerantly like the other
optional columns; a "% …" cell by the percent rule of io/reader/cells.py."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from helpers import CRITERION_CODES, FULL_MARKS, only_issue, read_sheets
from thidua_cli.io.reader import cells
from thidua_cli.io.reader import rows as reader_rows
from thidua_cli.model import Period, PeriodKind

HEADER = ["Mã NV", "Họ và tên", *CRITERION_CODES, "% nhiệm vụ hoàn thành", "% vượt",
          "Khen thưởng đột xuất", "Thành tích", "Nghỉ điều trị thương", "Đi học từ 1 năm",
          "Ngày hợp đồng", "Ngày hết thời hạn kỷ luật", "Ngày chuyển đến", "Ý kiến đơn vị cũ"]


@pytest.mark.parametrize("fast", [True, False])
def test_issue11_columns_are_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  fast: bool) -> None:
    """Percent cells: "100%" as text is 100; 0.3 is Excel's percent format for 30 %; 30 is 30;
    "30 %" is 30. "Khen thưởng đột xuất" is an ad-hoc award, no longer the "Thành tích"."""
    monkeypatch.setattr(reader_rows, "_FAST_PATH", fast)
    rows = [
        HEADER,
        ["1", "An", *FULL_MARKS, "100%", 0.3, "Giấy khen đột xuất", "", 20, "", "05/01/2026",
         "", datetime(2026, 8, 1), "Hoàn thành tốt nhiệm vụ"],
        ["2", "Bình", *FULL_MARKS, 100, "30 %", "", "Cứu người", "", 200,
         "", datetime(2026, 7, 1), "", ""],
    ]
    ds = read_sheets(tmp_path, {"Khoa Dược": rows}, period=Period(PeriodKind.YEAR, 2026))
    an, binh = ds.people
    assert (an.tasks_done, an.tasks_exceeded, binh.tasks_done, binh.tasks_exceeded) == (
        100.0, 30.0, 100.0, 30.0)
    assert (an.adhoc_award, an.achievement) == ("Giấy khen đột xuất", "")
    assert (binh.adhoc_award, binh.achievement) == ("", "Cứu người")
    assert (an.injury_days, binh.training_days) == (20.0, 200.0)
    assert an.contract_from == date(2026, 1, 5) and binh.discipline_ended_on == date(2026, 7, 1)
    assert an.moved_in_on == date(2026, 8, 1)
    assert an.previous_opinion == "Hoàn thành tốt nhiệm vụ"
    assert not [i for i in ds.report.issues if i.severity.value == "error"]


def test_a_percent_above_100_is_an_error_on_its_cell(tmp_path: Path) -> None:
    rows = [HEADER[:12], ["1", "An", *FULL_MARKS, 150, ""]]
    ds = read_sheets(tmp_path, {"Khoa Dược": rows}, period=Period(PeriodKind.YEAR, 2026))
    issue = only_issue(ds, "percent-out-of-range")
    assert issue.cell == "L2"  # A Mã NV, B Họ và tên, C–K the nine criteria
    assert issue.message == ("Ô \"% nhiệm vụ hoàn thành\" là 150, ngoài khoảng 0–100%. Ghi tỷ lệ "
                             "dạng 100%, 30% (hoặc số 0–100).")


def test_percent_rule() -> None:
    assert cells.read_percent("100%")[0] == 100.0
    assert cells.read_percent(" 29,5 %")[0] == 29.5
    assert cells.read_percent(0.95)[0] == 95.0
    assert cells.read_percent(1)[0] == 100.0  # Excel's 100 % is stored as 1
    assert cells.read_percent(45)[0] == 45.0
    assert cells.read_percent(-5)[1][0].code == "percent-out-of-range"
    assert cells.read_percent("nhiều")[0] is None


def test_issue11_columns_survive_the_score_json_round_trip(tmp_path: Path) -> None:
    """`thidua awards` may roll the year up from `thidua score --json` files: the columns of
    issue 11 (and the roll-up's own: leaving date, reason, achievement) are written to
    people[].inputs and read back unchanged; a file without them reads as having no column."""
    import json
    from dataclasses import replace

    from helpers import default_regulation
    from thidua_cli.core.scoring import score_dataset
    from thidua_cli.io.score_result import ROLLUP_INPUTS, load_score_result
    from thidua_cli.model import RunInfo
    from thidua_cli.present.score import score_json

    rows = [HEADER, ["1", "An", *FULL_MARKS, "100%", 0.3, "Giấy khen đột xuất", "Cứu người", 20,
                     200, "05/01/2026", datetime(2026, 7, 1), datetime(2026, 8, 1), "Tốt"]]
    period = Period(PeriodKind.QUARTER, 2026, 4)
    ds = read_sheets(tmp_path, {"Khoa Dược": rows}, period=period)
    result = score_dataset(ds, default_regulation(), period)
    run = RunInfo("0.1.0", datetime(2026, 12, 20), "thidua score", tuple(ds.inputs), "mặc định",
                  "b" * 64)
    data = score_json(result, run)
    path = tmp_path / "quy-4.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    _, back = load_score_result(path)
    (before,), (after,) = ds.people, back.people
    assert {n: getattr(after, n) for n in ROLLUP_INPUTS} == {n: getattr(before, n) for n in ROLLUP_INPUTS}
    assert after.moved_in_on == date(2026, 8, 1) and after.tasks_exceeded == 30.0
    for name in ROLLUP_INPUTS:
        del data["people"][0]["inputs"][name]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    _, old = load_score_result(path)
    assert old.people[0] == replace(after, **{n: getattr(old.people[0], n) for n in ROLLUP_INPUTS})
    assert old.people[0].tasks_done is None and old.people[0].adhoc_award == ""
