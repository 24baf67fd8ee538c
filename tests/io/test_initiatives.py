"""The register of initiatives (issue 17): the ledger's schema-4 tables (and a ledger made by
the previous release opening unchanged), the import of a messy workbook with its findings,
list filters, counts per department / union group / year, and the exported workbook."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl

from helpers import invoke_cli, write_xlsx
from thidua_cli.core.initiatives import (
    Author,
    Filter,
    Initiative,
    counts,
    parse_level,
    select,
    shares_problem,
)
from thidua_cli.io.initiatives_io import read_register, read_staff
from thidua_cli.io.ledger import SCHEMA_VERSION, Ledger
from thidua_cli.model import Period, PeriodKind

DATA = Path(__file__).resolve().parents[1] / "data"
HEAD = ["STT", "Tên sáng kiến", "Tác giả", "Mã NV", "Tỷ lệ đóng góp", "Khoa/Phòng", "Tổ công đoàn",
        "Cấp công nhận", "Số quyết định", "Ngày quyết định", "Giá trị làm lợi"]


def _book(tmp_path: Path, rows: list[list[object]], name: str = "sang-kien.xlsx") -> Path:
    # A title and a blank row above the header, as clerks' registers have.
    return write_xlsx(tmp_path, {"DS sáng kiến": [["DANH SÁCH SÁNG KIẾN NĂM 2026"], [], HEAD, *rows]},
                      name=name)


GOOD = [
    [1, "Quy trình bàn giao người bệnh", "Nguyễn Văn An; Trần Thị Bình", "BV0001; BV0002",
     "60; 40", "Khoa Nội", "Tổ CĐ Nội", "Cấp cơ sở", "45/QĐ-BV", "20/11/2026", 12_000_000],
    [2, "Phần mềm nhắc lịch tái khám", "Lê Văn Cường (BV0003) 100%", None, None, "Khoa Ngoại",
     "Tổ CĐ Ngoại", "Cấp tỉnh", "120/QĐ-SYT", date(2026, 10, 5), None],
    [3, "Đề tài: kháng sinh dự phòng", "Nguyễn Văn An", "BV0001", None, "Khoa Nội", "Tổ CĐ Nội",
     "ngành", "77/QĐ-SYT", "01/06/2026", None],
]


def test_a_ledger_made_by_the_previous_release_opens_and_gains_the_register(tmp_path: Path) -> None:
    # tests/data/ledger-main-schema3.db is examples/thidua.db as main wrote it (schema 3).
    old = tmp_path / "cu.db"
    shutil.copy(DATA / "ledger-main-schema3.db", old)
    conn = sqlite3.connect(old)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
    awards_before = conn.execute("SELECT COUNT(*) FROM awards").fetchone()[0]
    conn.close()
    with Ledger.open(old, read_only=True) as book:  # a reading run never changes the file
        assert book.initiatives() == []
    assert sqlite3.connect(old).execute("PRAGMA user_version").fetchone()[0] == 3
    result = invoke_cli("initiatives", "import", _book(tmp_path, GOOD), "--ledger", old)
    assert result.exit_code == 0, result.output
    with Ledger.open(old) as book:
        assert book.schema_version == SCHEMA_VERSION == 5
        assert len(book.awards()) == awards_before == 1558
        assert [i.title for i in book.initiatives()] == [r[1] for r in GOOD]


def test_import_reads_authors_ids_and_shares(tmp_path: Path) -> None:
    data = read_register(_book(tmp_path, GOOD), period=Period(PeriodKind.YEAR, 2026))
    assert data.report.valid, [i.message for i in data.report.issues]
    first, second, third = data.items
    assert first.authors == (Author("Nguyễn Văn An", "BV0001", Decimal(60)),
                             Author("Trần Thị Bình", "BV0002", Decimal(40)))
    assert (first.level, first.year_from, first.benefit, first.union_group) == (
        "co-so", 2026, 12_000_000, "Tổ CĐ Nội")
    assert first.decision_date == date(2026, 11, 20)
    assert second.authors == (Author("Lê Văn Cường", "BV0003", Decimal(100)),)
    assert second.level == "tinh" and third.level == "nganh"


def _codes(tmp_path: Path, rows: list[list[object]], **kw: object) -> list[tuple[str, str, str]]:
    data = read_register(_book(tmp_path, rows), **kw)  # type: ignore[arg-type]
    return [(i.code, i.sheet or "", i.cell or "") for i in data.report.issues]


def test_findings_name_sheet_and_cell(tmp_path: Path) -> None:
    staff = write_xlsx(tmp_path, {"NV": [["Mã NV", "Họ và tên"], ["BV0001", "Nguyễn Văn An"],
                                         ["BV0002", "Trần Thị Bình"]]}, name="nv.xlsx")
    rows = [
        GOOD[0],
        # row 5: the same title again (case and spacing aside) → duplicate of row 4
        [2, "quy trình  bàn giao người bệnh", "Nguyễn Văn An", "BV0001", None, "Khoa Nội", "",
         "cơ sở", "46/QĐ-BV", "21/11/2026", None],
        # row 6: 50 + 30 = 80 %
        [3, "Bảng kiểm an toàn phẫu thuật", "Nguyễn Văn An; Trần Thị Bình", "BV0001; BV0002",
         "50; 30", "Khoa Nội", "", "cơ sở", "47/QĐ-BV", "22/11/2026", None],
        # row 7: BV0099 is not on the staff list (a warning: a co-author from elsewhere)
        [4, "Mẫu phiếu theo dõi", "Phạm Văn Dũng", "BV0099", None, "Khoa Nội", "", "cơ sở",
         "48/QĐ-BV", "23/11/2026", None],
        # row 8: recognised in 2025, outside the period 2026
        [5, "Sổ tay điều dưỡng", "Trần Thị Bình", "BV0002", None, "Khoa Nội", "", "cơ sở",
         "12/QĐ-BV", "15/12/2025", None],
        # row 9: an unknown level, and two IDs for one author
        [6, "Cải tiến xe tiêm", "Trần Thị Bình", "BV0002; BV0001", None, "Khoa Nội", "",
         "cấp huyện", "49/QĐ-BV", "24/11/2026", None],
    ]
    found = _codes(tmp_path, rows, period=Period(PeriodKind.YEAR, 2026), staff=read_staff(staff))
    assert found == [
        ("initiative-duplicate", "DS sáng kiến", "B5"),
        ("initiative-shares-not-100", "DS sáng kiến", "E6"),
        ("initiative-unknown-author", "DS sáng kiến", "C7"),
        ("initiative-date-outside-period", "DS sáng kiến", "J8"),
        ("initiative-unknown-level", "DS sáng kiến", "H9"),
        ("initiative-authors-mismatch", "DS sáng kiến", "D9"),
    ]


def test_messages_are_vietnamese_and_say_the_arithmetic(tmp_path: Path) -> None:
    path = _book(tmp_path, [[1, "Bảng kiểm", "An; Bình", "BV1; BV2", "50; 30", "", "", "cơ sở",
                             "1/QĐ-BV", "22/11/2026", None]])
    result = invoke_cli("initiatives", "import", path, "--ledger", tmp_path / "so.db")
    assert result.exit_code == 1
    assert "DS sáng kiến!E4" in result.stderr
    assert "50% + 30% = 80%, không phải 100%" in result.stderr
    assert not (tmp_path / "so.db").exists()  # all or nothing: no register was started


def test_shares_rule() -> None:
    a = Author("A", "1", Decimal("33.33"))
    b = Author("B", "2", Decimal("33.33"))
    c = Author("C", "3", Decimal("33.34"))
    assert shares_problem((a, b, c)) is None  # 33,33 + 33,33 + 33,34 = 100 exactly
    assert shares_problem((a, b)) == "33,33% + 33,33% = 66,66%, không phải 100%"
    assert shares_problem((a, Author("B"))) == "có 1/2 tác giả chưa ghi tỷ lệ"
    assert shares_problem((Author("A"), Author("B"))) is None  # none written: nothing to check


def test_levels_read_as_clerks_write_them() -> None:
    assert [parse_level(t) for t in ("Cấp cơ sở", "cơ sở", "Cấp ngành/thành phố", "Cấp Bộ",
                                     "tỉnh", "Toàn quốc", "cấp huyện")] == [
        "co-so", "co-so", "nganh", "nganh", "tinh", "toan-quoc", None]


def _item(title: str, dept: str, group: str, level: str, year: int, used: str = "") -> Initiative:
    return Initiative(title, level, year, year, (Author("X", "BV1", used_by=used),),
                      department=dept, union_group=group)


def test_counts_by_department_union_group_and_year_by_hand() -> None:
    items = [_item("a", "Khoa Nội", "Tổ 1", "co-so", 2025), _item("b", "Khoa Nội", "Tổ 1", "tinh", 2026),
             _item("c", "Khoa Ngoại", "Tổ 2", "co-so", 2026), _item("d", "Khoa Nội", "", "co-so", 2026)]
    by_dept = counts(items, "department")
    # Khoa Ngoại: 1 cơ sở; Khoa Nội: 2 cơ sở + 1 tỉnh = 3; in all 3 cơ sở, 1 tỉnh, 4.
    assert by_dept.rows == (("Khoa Ngoại", (1, 0, 0, 0), 1), ("Khoa Nội", (2, 0, 1, 0), 3))
    assert by_dept.total == (3, 0, 1, 0, 4)
    assert counts(items, "union_group").rows == (
        ("(chưa ghi)", (1, 0, 0, 0), 1), ("Tổ 1", (1, 0, 1, 0), 2), ("Tổ 2", (1, 0, 0, 0), 1))
    assert counts(items, "year").rows == (("2025", (1, 0, 0, 0), 1), ("2026", (2, 0, 1, 0), 3))


def test_filters() -> None:
    items = [_item("a", "Khoa Nội", "", "co-so", 2025), _item("b", "Khoa Nội", "", "tinh", 2026),
             _item("c", "Khoa Ngoại", "", "co-so", 2026, used="CSTĐCS 2026 (QĐ 12/QĐ-BV)")]
    assert [i.title for i in select(items, Filter(year=2026))] == ["b", "c"]
    assert [i.title for i in select(items, Filter(department="khoa nội"))] == ["a", "b"]
    assert [i.title for i in select(items, Filter(level="co-so", unused=True))] == ["a"]


def test_list_export_and_read_back(tmp_path: Path) -> None:
    db = tmp_path / "thidua.db"
    assert invoke_cli("initiatives", "import", _book(tmp_path, GOOD), "--ledger", db).exit_code == 0
    listed = invoke_cli("initiatives", "list", "--ledger", db, "--department", "Khoa Nội", "--json")
    assert listed.exit_code == 0
    import json

    payload = json.loads(listed.stdout)
    assert payload["schema"] == "thidua.initiatives/1"
    assert [i["title"] for i in payload["initiatives"]] == [GOOD[0][1], GOOD[2][1]]
    assert payload["initiatives"][0]["authors"][1] == {
        "name": "Trần Thị Bình", "staff_id": "BV0002", "share": "40", "used_by": None}
    out = tmp_path / "xuat.xlsx"
    done = invoke_cli("initiatives", "export", "--ledger", db, "-o", out)
    assert done.exit_code == 0, done.output
    wb = openpyxl.load_workbook(out)
    stats = wb["Thống kê"]
    rows = [[c.value for c in r] for r in stats.iter_rows(min_row=3, max_row=6, max_col=6)]
    # Khoa Ngoại: 1 tỉnh; Khoa Nội: 1 cơ sở + 1 ngành.
    assert rows == [["Theo khoa/phòng", "Cấp cơ sở", "Cấp ngành", "Cấp tỉnh", "Toàn quốc", "Tổng"],
                    ["Khoa Ngoại", 0, 0, 1, 0, 1], ["Khoa Nội", 1, 1, 0, 0, 2],
                    ["Tổng cộng", 1, 1, 1, 0, 3]]
    assert stats._charts and len(stats._charts) == 1  # the chart of departments
    assert wb["Sổ sáng kiến"]["E2"].value == "Nguyễn Văn An (BV0001) 60%; Trần Thị Bình (BV0002) 40%"
    # The exported register reads back into a new ledger, the same initiatives.
    again = invoke_cli("initiatives", "import", out, "--ledger", tmp_path / "moi.db")
    assert again.exit_code == 0, again.output
    with Ledger.open(db) as a, Ledger.open(tmp_path / "moi.db") as b:
        strip = [(i.title, i.authors, i.level, i.year_from, i.benefit) for i in a.initiatives()]
        assert strip == [(i.title, i.authors, i.level, i.year_from, i.benefit) for i in b.initiatives()]
    # Importing the same file again: every row is already in the register (exit 1, nothing added).
    twice = invoke_cli("initiatives", "import", _book(tmp_path, GOOD, "b.xlsx"), "--ledger", db)
    assert twice.exit_code == 1 and "đã có trong sổ sáng kiến" in twice.stderr
    # Export never writes over the ledger, whatever --force says.
    assert invoke_cli("initiatives", "export", "--ledger", db, "-o", db, "--force").exit_code == 2


def test_bad_level_filter_is_a_usage_error(tmp_path: Path) -> None:
    db = tmp_path / "thidua.db"
    invoke_cli("initiatives", "import", _book(tmp_path, GOOD), "--ledger", db)
    result = invoke_cli("initiatives", "list", "--ledger", db, "--level", "huyện")
    assert result.exit_code == 2 and "--level \"huyện\" không hợp lệ" in result.stderr


def test_a_workbook_without_a_register_table(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path, {"S": [["Mã NV", "Họ và tên"], ["1", "A"]]})
    result = invoke_cli("initiatives", "import", path, "--ledger", tmp_path / "x.db")
    assert result.exit_code == 1 and "không có bảng sáng kiến" in result.stderr
