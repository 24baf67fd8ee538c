"""io/reader/header.py ``find_table_header``: the one header finding for a table without
criteria (the income staff, grades and fund sheets), read from a real workbook."""

from __future__ import annotations

from pathlib import Path

from helpers import write_xlsx
from thidua_cli.io.income_inputs import STAFF_ALIASES
from thidua_cli.io.reader.fields import FIELD_BY_COMPACT, FIELD_BY_KEY
from thidua_cli.io.reader.header import Headings, find_table_header, lookup_heading
from thidua_cli.io.workbook import load_workbook

ROWS = [
    ["SỞ Y TẾ TỈNH AN BÌNH"],
    ["Danh sách nhân sự"],
    ["STT", "ma nv", "HỌ VÀ TÊN", "Khoa / Phòng", "Hệ số lương (HSL)", "Số ngày nghỉ", None,
     "Ghi chú riêng"],
    [None, None, None, None, None, "Phép", "Thai sản", None],
    ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)"],
    [1, "NV01", "Nguyễn Văn An", "Khoa Nội", 3.66, 1, None, None],
]


def test_two_row_header_with_a_numbering_row(tmp_path: Path) -> None:
    raw = load_workbook(write_xlsx(tmp_path, {"NS": ROWS}, name="ns.xlsx", merged={"NS": ["F3:G3"]}))
    found = find_table_header(raw.sheets[0], Headings(STAFF_ALIASES),
                              ("staff_id", "name", "department"), any_of=("salary",))
    assert found is not None
    assert found.row == 3
    # Header row 3, the second header row 4 (Phép | Thai sản), numbering row 5: data from 6.
    assert found.first == 6
    assert found.columns == {"staff_id": 2, "name": 3, "department": 4, "salary": 5,
                             "annual": 6, "maternity": 7}
    assert found.headers["salary"] == "Hệ số lương (HSL)"


def test_required_field_missing_finds_nothing(tmp_path: Path) -> None:
    raw = load_workbook(write_xlsx(tmp_path, {"NS": ROWS}, name="ns.xlsx"))
    assert find_table_header(raw.sheets[0], Headings(STAFF_ALIASES),
                             ("staff_id",), any_of=("position",)) is None


def test_the_same_heading_rule_as_the_score_sheet() -> None:
    # One rule: the score sheet's columns and a table's own aliases match alike.
    own = Headings({"staff_id": ("Mã NV",), "salary": ("Hệ số lương",)})
    for text in ("Mã NV", "MA NV", "mã  nv", "Mã NV (bắt buộc)"):
        assert lookup_heading(text, FIELD_BY_KEY, FIELD_BY_COMPACT) == "staff_id"
        assert lookup_heading(text, own.by_key, own.by_compact) == "staff_id"
    assert lookup_heading("Hệ số lương (HSL)", own.by_key, own.by_compact) == "salary"
    assert lookup_heading("Hệ số", own.by_key, own.by_compact) is None
