"""The register of exemplary models (issue 17): a v4 ledger opens and gains it unchanged
otherwise, a messy sheet merged by hand (rows naming one model add places), its findings
naming cells, the yearly report read back from the workbook, and candidates of an awards
result marked as models (a held one refused)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import openpyxl

from helpers import invoke_cli, write_xlsx
from thidua_cli.io.ledger import _MIGRATIONS, APPLICATION_ID, SCHEMA_VERSION, Ledger, _statements

DATA = Path(__file__).resolve().parents[1] / "data"
SAMPLE = DATA / "awards-sample.json"
HEAD = ["Năm", "Đối tượng", "Họ tên/Tập thể", "Mã NV", "Khoa/Phòng", "Mô hình", "Tiêu chí đạt",
        "Nơi nhân rộng", "Kết quả nhân rộng"]
ROWS = [
    [2026, "Cá nhân", "Nguyễn Thị Ánh", "BV0012", "Khoa Nội", "Tiếp đón không chờ đợi",
     "CSTĐCS 2026", "Khoa Ngoại", "Giảm thời gian chờ 30 %"],
    [2026, "", "Nguyễn Thị Ánh", "BV0012", "Khoa Nội", "Tiếp đón không chờ đợi", "",
     "Khoa Sản", ""],
    [2026, "Tập thể", "Khoa Dược", "", "", "Cấp phát thuốc một cửa", "TTLĐXS", "", ""],
    # The same place again (case aside): kept once.
    ["2026", "cá nhân", "NGUYỄN THỊ ÁNH", "BV0012", "", "tiếp đón không chờ đợi", "",
     "khoa ngoại", ""],
]


def _sheet(tmp_path: Path, rows: list[list[object]], name: str = "dien-hinh.xlsx") -> Path:
    return write_xlsx(tmp_path, {"Điển hình": [["SỔ ĐIỂN HÌNH TIÊN TIẾN"], HEAD, *rows]},
                      name=name)


def _v4_ledger(tmp_path: Path) -> Path:
    """A ledger as the previous release (schema 4) leaves it: the example ledger (schema 3)
    taken to 4 by the v4 migration, with an initiative and a hold in it."""
    path = tmp_path / "v4.db"
    shutil.copy(DATA / "ledger-main-schema3.db", path)
    conn = sqlite3.connect(path, isolation_level=None)
    for number, _label, sql in _MIGRATIONS:
        if number == 4:
            for statement in _statements(sql):
                conn.execute(statement)
    conn.execute("INSERT INTO initiatives (title, title_key, kind, level, year_from, year_to) "
                 "VALUES ('Sáng kiến A', 'sangkiena', 'sang-kien', 'co-so', 2026, 2026)")
    conn.execute("INSERT INTO holds (year, staff_id, name, reason) VALUES "
                 "(2026, 'BV0012', 'Nguyễn Thị Ánh', 'khiếu nại')")
    conn.execute("PRAGMA user_version = 4")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.close()
    return path


def test_a_v4_ledger_opens_and_gains_the_models_register(tmp_path: Path) -> None:
    old = _v4_ledger(tmp_path)
    with Ledger.open(old, read_only=True) as book:  # reading never changes the file
        assert book.models() == [] and book.holds(2026) == {"BV0012": "khiếu nại"}
    assert sqlite3.connect(old).execute("PRAGMA user_version").fetchone()[0] == 4
    done = invoke_cli("initiatives", "models", "import", _sheet(tmp_path, ROWS), "--ledger", old)
    assert done.exit_code == 0, done.output
    with Ledger.open(old) as book:
        assert book.schema_version == SCHEMA_VERSION == 5
        assert len(book.awards()) == 1558  # the example's awards, untouched
        assert [i.title for i in book.initiatives()] == ["Sáng kiến A"]
        assert book.holds(2026) == {"BV0012": "khiếu nại"}
        assert len(book.models()) == 2


def test_import_merges_rows_of_one_model_by_hand(tmp_path: Path) -> None:
    db = tmp_path / "thidua.db"
    done = invoke_cli("initiatives", "models", "import", _sheet(tmp_path, ROWS), "--ledger", db)
    assert done.exit_code == 0, done.output
    # 4 rows → 2 models: Ánh's (rows 1, 2, 4: places Khoa Ngoại, Khoa Sản; row 4's "khoa
    # ngoại" is the same place) and Khoa Dược's (no place yet).
    assert "2 điển hình mới, 2 nơi nhân rộng" in done.stdout and "(4 dòng)" in done.stdout
    again = invoke_cli("initiatives", "models", "import", _sheet(tmp_path, [
        [2026, "Cá nhân", "Nguyễn Thị Ánh", "", "", "Tiếp đón không chờ đợi", "", "Khoa Nhi",
         "Áp dụng từ quý III"]], name="them.xlsx"), "--ledger", db)
    assert again.exit_code == 0 and "0 điển hình mới, 1 nơi nhân rộng" in again.stdout
    listed = json.loads(invoke_cli("initiatives", "models", "list", "--ledger", db,
                                   "--json").stdout)["models"]
    assert [(m["name"], m["kind"], [r["place"] for r in m["replications"]]) for m in listed] == [
        ("Nguyễn Thị Ánh", "individual", ["Khoa Ngoại", "Khoa Sản", "Khoa Nhi"]),
        ("Khoa Dược", "collective", [])]
    assert listed[0]["criteria"] == "CSTĐCS 2026"
    assert listed[0]["replications"][0]["result"] == "Giảm thời gian chờ 30 %"

    # The yearly report: one row per place (Ánh 3, Khoa Dược 1 with the place blank).
    out = tmp_path / "bao-cao.xlsx"
    rep = invoke_cli("initiatives", "models", "report", "--year", "2026", "--ledger", db, "-o", out)
    assert rep.exit_code == 0, rep.output
    assert ("2 điển hình tiên tiến năm 2026 (1 cá nhân, 1 tập thể), 1 điển hình đã nhân rộng ở 3 "
            "nơi") in " ".join(rep.stdout.split())
    wb = openpyxl.load_workbook(out)
    rows = [[c.value for c in r] for r in wb["Điển hình tiên tiến"].iter_rows(min_row=4)]
    assert [(r[0], r[3], r[8]) for r in rows] == [
        (1, "Nguyễn Thị Ánh", "Khoa Ngoại"), (1, "Nguyễn Thị Ánh", "Khoa Sản"),
        (1, "Nguyễn Thị Ánh", "Khoa Nhi"), (2, "Khoa Dược", None)]
    summary = {r[0].value: r[1].value for r in wb["Tổng hợp"].iter_rows()}
    assert summary == {"Số điển hình tiên tiến": 2, "– Cá nhân": 1, "– Tập thể": 1,
                       "Số điển hình đã được nhân rộng": 1, "Số nơi nhân rộng": 3}
    assert invoke_cli("initiatives", "models", "report", "--year", "2026", "--ledger", db,
                      "-o", out).exit_code == 6  # never overwritten without --force


def test_bad_rows_name_their_cells_and_nothing_is_written(tmp_path: Path) -> None:
    db = tmp_path / "thidua.db"
    bad = _sheet(tmp_path, [
        [2026, "Cá nhân", "", "", "", "Mô hình X", "", "", ""],
        [2026, "Nhóm lạ?", "Trần Văn B", "", "", "", "", "", ""],
        ["năm ngoái", "Cá nhân", "Lê C", "", "", "Mô hình Y", "", "", ""],
    ])
    done = invoke_cli("initiatives", "models", "import", bad, "--ledger", db)
    assert done.exit_code == 1
    for where in ("Điển hình!C3", "Điển hình!B4", "Điển hình!F4", "Điển hình!A5"):
        assert where in done.stderr, done.stderr
    assert "Đối tượng \"Nhóm lạ?\" không nhận ra" in done.stderr
    assert not db.exists() or Ledger.open(db, read_only=True).models() == []


def test_mark_candidates_of_a_result_as_models(tmp_path: Path) -> None:
    db = tmp_path / "thidua.db"
    result = tmp_path / "nam-2026.de-xuat.json"
    shutil.copy(SAMPLE, result)
    done = invoke_cli("initiatives", "models", "mark", result, "BV0012", "--model",
                      "Tiếp đón không chờ đợi", "--ledger", db)
    assert done.exit_code == 0, done.output
    (m,) = json.loads(invoke_cli("initiatives", "models", "list", "--ledger", db,
                                 "--json").stdout)["models"]
    # BV0012's three approved proposals in the sample are the criteria met.
    assert m["criteria"] == ("Đạt Lao động tiên tiến; Chiến sĩ thi đua cơ sở; Bằng khen của Chủ "
                             "tịch Ủy ban nhân dân tỉnh năm 2026")
    assert (m["name"], m["staff_id"], m["year"]) == ("Nguyễn Thị Ánh", "BV0012", 2026)
    unknown = invoke_cli("initiatives", "models", "mark", result, "BV9999", "--model", "X",
                         "--ledger", db)
    assert unknown.exit_code == 2 and "Mã NV BV9999" in unknown.stderr
    # Held after the posting (the ledger's holds): refused, ND 152/2025 Điều 4.4.
    with Ledger.open(db) as book:
        book.replace_holds(2026, [("BV0031", "x", "khiếu nại")], source="y-kien.xlsx", at="t")
    held = invoke_cli("initiatives", "models", "mark", result, "BV0031", "--model", "X",
                      "--ledger", db)
    assert held.exit_code == 2 and "Mã NV BV0031" in held.stderr


def test_render_the_yearly_models_report_from_the_example_register(tmp_path: Path) -> None:
    """``thidua render bao-cao-dien-hinh``: the ND 30 report read back from the .docx."""
    from docx import Document

    example = Path(__file__).resolve().parents[2] / "examples" / "dien-hinh-2026.xlsx"
    db = tmp_path / "so.db"
    assert invoke_cli("initiatives", "models", "import", example, "--ledger", db).exit_code == 0
    done = invoke_cli("render", "bao-cao-dien-hinh", "--ledger", db, "--year", "2026")
    assert done.exit_code == 0, done.output
    out = tmp_path / "bao-cao-dien-hinh-2026.docx"
    assert "bao-cao-dien-hinh-2026.docx" in done.stdout and out.is_file()
    doc = Document(str(out))
    text = "\n".join(p.text for p in doc.paragraphs)
    head = [c.text for c in doc.tables[0].rows[1].cells]
    assert head == ["Số: …/BC-BV", "An Bình, ngày … tháng … năm 2026"]
    assert "BÁO CÁO\nĐiển hình tiên tiến và kết quả nhân rộng năm 2026" in text
    # 9 sheet rows → 6 models: Hiệp (2 places), Kiên (1), Thủy (0), Quỳnh (3), Khoa Cấp cứu (1),
    # Khoa Dược (0); 4 individuals + 2 collectives; 4 replicated; 2 + 1 + 3 + 1 = 7 places.
    assert ("6 điển hình tiên tiến (4 cá nhân, 2 tập thể); 4 điển hình đã được nhân rộng tại 7 nơi"
            in text)
    rows = [[c.text for c in r.cells] for r in doc.tables[1].rows]
    assert rows[0][5] == "Nơi nhân rộng: kết quả"
    assert [(r[0], r[1], r[3]) for r in rows[1:]] == [
        ("1", "Hoàng Ngọc Hiệp (Cá nhân)", "Tiếp đón người bệnh không phải chờ đợi"),
        ("2", "Nguyễn Hữu Kiên (Cá nhân)", "Bàn giao người bệnh bằng bảng kiểm"),
        ("3", "Nguyễn Thanh Thủy (Cá nhân)", "Nhắc lịch tái khám qua tin nhắn"),
        ("4", "Lê Mỹ Quỳnh (Cá nhân)", "Cấp phát thuốc một cửa"),
        ("5", "Khoa Cấp cứu (Tập thể)", "Khoa phòng xanh – sạch – đẹp"),
        ("6", "Khoa Dược (Tập thể)", "Tư vấn dinh dưỡng tại giường")]
    assert rows[1][5].split("\n") == [
        "Khoa Ngoại tổng hợp: Áp dụng từ quý II; khoa đánh giá hiệu quả tốt",
        "Khoa Sản: Áp dụng từ quý III; đang theo dõi kết quả"]
    assert rows[3][5] == "Chưa nhân rộng" and rows[4][5].split("\n")[-1] == "Khoa Nhi"
    # Never overwritten without --force; a year or a ledger missing is a usage error.
    assert invoke_cli("render", "bao-cao-dien-hinh", "--ledger", db, "--year", "2026").exit_code == 6
    missing = invoke_cli("render", "bao-cao-dien-hinh", "--ledger", db)
    assert missing.exit_code == 2 and "--year NĂM" in missing.stderr
    assert invoke_cli("render", "quyet-dinh").exit_code == 2
