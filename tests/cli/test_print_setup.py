"""Every workbook thidua writes prints as an office files it (issue 12), read back with
openpyxl: A4 landscape; one page wide only when that keeps the 11 pt text at 9 pt or more
(else printed at 82 % over more pages wide, never at 4–5 pt); the header rows on every page;
the subject and the period in the page header; "Trang n/N" in the footer."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PRINTABLE_PT = (297 - 2 * 12.7) / 25.4 * 72  # A4 landscape less 0.5 in margins: 769.9 pt


def natural_width_pt(ws: Any) -> float:
    """The sheet's columns at 100 %: a stored width w (characters of 7 px, padding included) is
    7 w px, an unsized column 64 px; 0.75 pt a px."""
    sized = {}
    for dim in ws.column_dimensions.values():  # openpyxl keeps a run of equal columns as one
        for col in range(dim.min or 1, (dim.max or dim.min or 1) + 1):
            sized[col] = dim.width * 7
    return sum(sized.get(c, 64) for c in range(1, max([ws.max_column, *sized]) + 1)) * 0.75


def assert_printable(ws: Any, *, header_rows: int | None, left: str | None = None) -> None:
    where = ws.title
    assert ws.page_setup.orientation == "landscape", where
    assert int(ws.page_setup.paperSize) == 9, where  # A4
    assert ws.oddFooter.center.text == "Trang &P/&N", where
    fit = ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage
    shrink = PRINTABLE_PT / natural_width_pt(ws)
    if fit:
        # One page wide (fitToWidth absent = 1), as tall as needed, and still ≥ 9 pt of 11 pt.
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0, where
        assert shrink >= 0.82, (where, shrink)
    else:
        assert shrink < 0.82 and int(ws.page_setup.scale) == 82, (where, shrink, ws.page_setup.scale)
    if header_rows is None:
        assert ws.print_title_rows is None, where
    else:
        assert ws.print_title_rows == f"$1:${header_rows}", where
    if left is not None:
        assert ws.oddHeader.left.text == left, where


def test_score_workbook(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    src = tmp_path / "quy-4-2026.xlsx"
    shutil.copy(EXAMPLES / "quy-4-2026.xlsx", src)
    r = run_cli("score", src, "--rules", EXAMPLES / "quy-che.toml", "-o", tmp_path / "kq.xlsx")
    assert r.exit_code in (0, 1), r.output
    wb = load_workbook(tmp_path / "kq.xlsx")
    people = wb["Cá nhân"]
    assert_printable(people, header_rows=1, left="Kết quả thi đua – Cá nhân")
    assert people.page_setup.scale == 82  # 21 columns: at one page wide they printed at 4–5 pt
    assert people.oddHeader.right.text.startswith("Quý IV")
    assert_printable(wb["Khoa phòng"], header_rows=1)
    assert_printable(wb["Thống kê"], header_rows=None)
    assert_printable(wb["Nhật ký"], header_rows=None)
    assert_filed_by_department(people, department="Khoa/Phòng", rank="Hạng khoa")


def assert_filed_by_department(ws: Any, *, department: str, rank: str) -> None:
    """A long per-person sheet prints as offices file it (issue 12): each department's rows
    together and in the ranking's order, and a page break after every department but the last."""
    header = [c.value for c in ws[1]]
    department_col, rank_col = header.index(department) + 1, header.index(rank) + 1
    rows = [(ws.cell(r, department_col).value, ws.cell(r, rank_col).value, r)
            for r in range(2, ws.max_row + 1)]
    departments = [d for d, _, _ in rows]
    runs = [d for i, d in enumerate(departments) if i == 0 or d != departments[i - 1]]
    assert len(runs) == len(set(runs)) > 1, runs  # one run per department
    last_rows = [r for (d, _, r), nxt in zip(rows, departments[1:], strict=False) if d != nxt]
    assert [b.id for b in ws.row_breaks.brk] == last_rows
    assert len(last_rows) == len(runs) - 1
    for dept in runs:
        ranks = [k for d, k, _ in rows if d == dept and k is not None]
        assert ranks == sorted(ranks), dept  # the department's ranking, best first


def test_annotated_copy_prints_every_column_of_its_findings(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    """"Kết quả kiểm tra" printed 4 of its 7 columns on page 1 (issue 12)."""
    src = tmp_path / "khoa-nhi.xlsx"
    shutil.copy(EXAMPLES / "nop-ve" / "khoa-nhi.xlsx", src)
    r = run_cli("validate", src, "--rules", EXAMPLES / "quy-che.toml", "--annotate")
    marked = next(tmp_path.glob("*.kiem-tra.xlsx"), None)
    assert marked is not None, r.output
    ws = load_workbook(marked)["Kết quả kiểm tra"]
    header_row = 5 if ws["A3"].value else 4
    assert ws.cell(row=header_row, column=1).value == "STT"
    assert_printable(ws, header_rows=header_row, left="Kết quả kiểm tra")
    assert ws.sheet_properties.pageSetUpPr.fitToPage  # all 8 columns on one page wide


@pytest.mark.slow  # ≈ 6 s: the example year through thidua awards
def test_awards_and_ledger_workbooks(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    (tmp_path / "nam-2026").mkdir()
    for q in range(1, 5):
        shutil.copy(EXAMPLES / "nam-2026" / f"quy-{q}-2026.xlsx", tmp_path / "nam-2026")
    shutil.copy(EXAMPLES / "thidua.db", tmp_path / "thidua.db")
    r = run_cli("awards", *sorted((tmp_path / "nam-2026").glob("quy-*.xlsx")), "--ledger", tmp_path / "thidua.db",
                "--votes", EXAMPLES / "phieu-bau-2026.xlsx", "--decision-date", "2026-12-20")
    assert r.exit_code == 0, r.output
    (book,) = (tmp_path / "nam-2026").glob("*.de-xuat.xlsx")
    wb = load_workbook(book)
    visible = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
    assert len(visible) >= 5
    for ws in visible:
        free_form = ws.title in ("Tiền thưởng", "Nhật ký")
        assert_printable(ws, header_rows=None if free_form else 1, left="BỆNH VIỆN ĐA KHOA TỈNH AN BÌNH")
        assert ws.oddHeader.right.text == f"{ws.title} – năm 2026"
    r = run_cli("ledger", "export", "--ledger", tmp_path / "thidua.db", "-o", tmp_path / "so.xlsx")
    assert r.exit_code == 0, r.output
    for ws in load_workbook(tmp_path / "so.xlsx").worksheets:
        assert_printable(ws, header_rows=1, left="Sổ thi đua, khen thưởng")
