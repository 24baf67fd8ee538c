"""The history ledger (io/ledger.py): round trips, refusals, transactions that survive a kill,
migrations, the Excel import and export."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from helpers import write_xlsx
from thidua_cli.core.awards_result import AwardsOutcome, from_json
from thidua_cli.errors import InvalidDataError, LedgerError
from thidua_cli.io.awards_io import read_ledger_workbook, result_records
from thidua_cli.io.awards_xlsx import write_ledger_workbook
from thidua_cli.io.ledger import (
    SCHEMA_VERSION,
    AwardRecord,
    Batch,
    DecisionRecord,
    Ledger,
    RatingRecord,
    decision_key,
    read_history,
)
from thidua_cli.model import Rating


def _batch(number: str = "12/QĐ-BV", signed: date = date(2025, 12, 20), year: int = 2025,
           staff: tuple[str, ...] = ("BV0001", "BV0002")) -> Batch:
    awards = [AwardRecord(year, "individual", s, f"Nguyễn Văn {s}", "Khoa Nội", "LDTT",
                          "Lao động tiên tiến", "title", "hospital", "0.3", 710_000) for s in staff]
    awards.append(AwardRecord(year, "individual", staff[0], f"Nguyễn Văn {staff[0]}", "Khoa Nội",
                              "CSTDCS", "Chiến sĩ thi đua cơ sở", "title", "hospital", "1.0",
                              2_340_000, initiatives_used=((year, 1),)))
    awards.append(AwardRecord(year, "collective", None, "Khoa Nội", "Khoa Nội", "TTLDTT",
                              "Tập thể lao động tiên tiến", "title", "hospital", "0.8", 1_880_000))
    return Batch(DecisionRecord(number, signed, year, "record", "nam-2025.de-xuat.json", "ab" * 32,
                                "2025-12-21T08:00:00+07:00"), tuple(awards))


def _ratings(year: int = 2025) -> list[RatingRecord]:
    return [RatingRecord("BV0001", year, "HTXSNV", "Nguyễn Văn BV0001", "Khoa Nội", 2, 0),
            RatingRecord("BV0002", year, "HTTNV", "Nguyễn Văn BV0002", "Khoa Nội", 0, 0)]


def _snapshot(path: Path) -> tuple[list[tuple], list[tuple], list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return (conn.execute("SELECT number, signed_on FROM decisions ORDER BY id").fetchall(),
                conn.execute("SELECT staff_id, title FROM awards ORDER BY id").fetchall(),
                conn.execute("SELECT staff_id, year, rating, used FROM ratings ORDER BY 1, 2").fetchall())
    finally:
        conn.close()


def test_round_trip(tmp_path: Path) -> None:
    db = tmp_path / "thidua.db"
    with Ledger.open(db, create=True) as book:
        summary = book.write([_batch()], _ratings(), journal="record 12/QĐ-BV", at="t")
        assert (summary.decisions, summary.awards, summary.ratings_added) == (1, 4, 2)
        assert summary.initiatives_marked == 1
    with Ledger.open(db) as book:
        assert book.schema_version == SCHEMA_VERSION
        history = book.history()
        assert [d.number for d in book.decisions()] == ["12/QĐ-BV"]
        state = book.state()
        assert (state["decisions"], state["awards"], state["ratings"], state["years"]) == (1, 4, 2, [2025])
        assert book.journal()[0][1] == "record 12/QĐ-BV"
    p1 = history.person_year("BV0001", 2025)
    assert p1 is not None
    assert p1.rating is Rating.HTXSNV and p1.titles == {"LDTT", "CSTDCS"}
    assert (p1.initiatives, p1.used, p1.unused) == (2, 1, 1)
    assert history.department_year("khoa nội", 2025).titles == {"TTLDTT"}
    assert history.years == {2025}


def test_the_same_decision_twice_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "thidua.db"
    with Ledger.open(db, create=True) as book:
        book.write([_batch()], _ratings())
    before = _snapshot(db)
    with Ledger.open(db) as book, pytest.raises(LedgerError) as info:
        # "Số: 12/qđ-bv" is the same decision number as "12/QĐ-BV", signed the same year.
        book.write([_batch("Số: 12/qđ-bv", date(2025, 12, 30), staff=("BV0009",))])
    assert "đã có quyết định Số: 12/qđ-bv" in str(info.value)
    assert info.value.exit_code == 7
    assert _snapshot(db) == before
    # Numbers restart every year: 12/QĐ-BV signed in 2026 is another decision.
    with Ledger.open(db) as book:
        book.write([_batch(signed=date(2026, 12, 20), year=2026, staff=("BV0003",))])
        assert len(book.decisions()) == 2


def test_decision_keys() -> None:
    assert decision_key("12/QĐ-BV") == decision_key(" số: 12 / qđ-bv ") == "12/qđ-bv"
    assert decision_key("05/QĐ-BV") == decision_key("5/QĐ-BV")


def test_an_exception_inside_the_transaction_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    db = tmp_path / "thidua.db"
    with Ledger.open(db, create=True) as book:
        book.write([_batch()], _ratings())
    before = _snapshot(db)
    bad_rating = RatingRecord("BV0002", 2025, "HTXSNV", "Nguyễn Văn BV0002")  # conflicts: HTTNV
    with Ledger.open(db) as book, pytest.raises(LedgerError, match="khác với HTXSNV"):
        # The decision and its awards are inserted first, then the conflict raises: all undone.
        book.write([_batch("13/QĐ-BV", staff=("BV0005",))], [bad_rating])
    assert _snapshot(db) == before
    with Ledger.open(db) as book, pytest.raises(RuntimeError), book.transaction() as conn:
        conn.execute("DELETE FROM awards")
        raise RuntimeError("crash")
    assert _snapshot(db) == before


def test_a_killed_write_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    db = tmp_path / "thidua.db"
    with Ledger.open(db, create=True) as book:
        book.write([_batch()], _ratings())
    before = _snapshot(db)
    script = textwrap.dedent(f"""
        import os, signal
        from datetime import date
        from thidua_cli.io import ledger as L

        real = L.decision_key
        calls = []

        def key_then_die(number):
            calls.append(number)
            if len(calls) > 3:  # inside write(): after the decision and its awards are inserted
                os.kill(os.getpid(), signal.SIGKILL)
            return real(number)

        book = L.Ledger.open({str(db)!r})
        awards = tuple(L.AwardRecord(2026, "individual", f"BV{{i:04d}}", "X", "Khoa Nội", "LDTT",
                                     "Lao động tiên tiến", "title", "hospital") for i in range(500))
        first = L.Batch(L.DecisionRecord("20/QĐ-BV", date(2026, 12, 20), 2026, "record", "x"), awards)
        second = L.Batch(L.DecisionRecord("21/QĐ-BV", date(2026, 12, 21), 2026, "record", "x"), awards)
        L.decision_key = key_then_die
        book.write([first, second])
        print("not killed")
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert proc.returncode == -9, proc.stderr  # SIGKILL in the middle of the transaction
    assert "not killed" not in proc.stdout
    assert _snapshot(db) == before
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    with Ledger.open(db) as book:  # and it is still writable
        book.write([_batch("20/QĐ-BV", date(2026, 12, 20), 2026, staff=("BV0007",))])


def test_reading_after_a_killed_write_that_reached_the_file(tmp_path: Path) -> None:
    # A write big enough to spill into the file before it is killed leaves a "hot" journal. A
    # read-only reader (thidua awards, ledger show) cannot roll it back by itself: the ledger is
    # restored as it was and read, never reported as damaged.
    db = tmp_path / "thidua.db"
    with Ledger.open(db, create=True) as book:
        book.write([_batch()], _ratings())
    before = _snapshot(db)
    script = textwrap.dedent(f"""
        import os, signal
        from datetime import date
        from thidua_cli.io import ledger as L

        real = L.decision_key
        calls = []

        def key_then_die(number):
            calls.append(number)
            if len(calls) > 3:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(number)

        book = L.Ledger.open({str(db)!r})
        book._conn.execute("PRAGMA cache_size = 1")  # changed pages go to the file at once
        awards = tuple(L.AwardRecord(2026, "individual", f"BV{{i:04d}}", "X" * 200, "Khoa Nội",
                                     "LDTT", "Lao động tiên tiến", "title", "hospital")
                       for i in range(3000))
        first = L.Batch(L.DecisionRecord("20/QĐ-BV", date(2026, 12, 20), 2026, "record", "x"), awards)
        second = L.Batch(L.DecisionRecord("21/QĐ-BV", date(2026, 12, 21), 2026, "record", "x"), awards)
        L.decision_key = key_then_die
        book.write([first, second])
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert proc.returncode == -9, proc.stderr
    assert Path(f"{db}-journal").exists()  # the interrupted write's journal
    history, state = read_history(db, 2026)
    assert state is not None and state["decisions"] == 1
    assert history.person_year("BV0001", 2025) is not None
    assert _snapshot(db) == before
    with Ledger.open(db, read_only=True) as book:
        assert [d.number for d in book.decisions()] == ["12/QĐ-BV"]


def test_migration_from_version_1(tmp_path: Path) -> None:
    from thidua_cli.io import ledger as L

    db = tmp_path / "cu.db"
    conn = sqlite3.connect(db)
    for statement in L._statements(L._MIGRATIONS[0][2]):
        conn.execute(statement)
    conn.execute("INSERT INTO decisions (number, number_key, signed_on, signed_year, year, origin, "
                 "source, recorded_at) VALUES ('1/QĐ-BV', '1/qđ-bv', '2024-12-20', 2024, 2024, "
                 "'import', 'x', 't')")
    conn.execute("PRAGMA user_version = 1")
    conn.execute(f"PRAGMA application_id = {L.APPLICATION_ID}")
    conn.commit()
    conn.close()
    with Ledger.open(db) as book:
        assert book.schema_version == SCHEMA_VERSION == 5
        assert [d.number for d in book.decisions()] == ["1/QĐ-BV"]
        assert book.journal() == []


def test_history_for_a_year_leaves_out_the_initiatives_its_own_awards_used(tmp_path: Path) -> None:
    # BV0001's 2025 CSTĐCS rests on one of the two initiatives of 2025. Deciding 2025 again (a
    # rerun after `ledger record`) must see both, since the run takes one itself; 2026 sees one.
    db = tmp_path / "thidua.db"
    with Ledger.open(db, create=True) as book:
        book.write([_batch()], _ratings())
        assert book.history().person_year("BV0001", 2025).unused == 1
        assert book.history(before=2025).person_year("BV0001", 2025).unused == 2
        assert book.history(before=2026).person_year("BV0001", 2025).unused == 1
        assert book.ratings("BV0001")[0].used == 1  # the stored count itself is unchanged


def test_migration_from_version_2_keeps_the_recorded_uses(tmp_path: Path) -> None:
    from thidua_cli.io import ledger as L

    db = tmp_path / "v2.db"
    conn = sqlite3.connect(db)
    for _, _, sql in L._MIGRATIONS[:2]:
        for statement in L._statements(sql):
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 2")
    conn.execute(f"PRAGMA application_id = {L.APPLICATION_ID}")
    conn.execute("INSERT INTO ratings (staff_id, year, rating, name, initiatives, used) VALUES "
                 "('BV0001', 2025, 'HTXSNV', 'A', 2, 1)")
    conn.commit()
    conn.close()
    # Reading (thidua awards, ledger show/export) never changes the file: an older ledger is
    # migrated in memory; writing migrates the file itself.
    before = db.read_bytes()
    history, state = read_history(db, 2025)
    assert db.read_bytes() == before
    assert state is not None and state["schema_version"] == SCHEMA_VERSION
    # Uses recorded before their years were kept stay counted, whatever year is decided.
    assert history.person_year("BV0001", 2025).unused == 1
    with Ledger.open(db, read_only=True) as book:
        assert [r.used for r in book.ratings()] == [1]
    assert db.read_bytes() == before
    with Ledger.open(db) as book:
        assert book.schema_version == SCHEMA_VERSION
    with Ledger.open(db, read_only=True) as book:
        assert book.schema_version == SCHEMA_VERSION


def test_files_that_are_not_a_ledger(tmp_path: Path) -> None:
    text = tmp_path / "notes.db"
    text.write_text("đây không phải sqlite " * 100, encoding="utf-8")
    with pytest.raises(LedgerError, match="không phải là sổ lịch sử"):
        Ledger.open(text)
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(LedgerError, match="SQLite khác"):
        Ledger.open(other)
    newer = tmp_path / "newer.db"
    with Ledger.open(newer, create=True):
        pass
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    with pytest.raises(LedgerError, match="phiên bản thidua mới hơn"):
        Ledger.open(newer)
    with pytest.raises(LedgerError, match="Chưa có sổ lịch sử"):
        Ledger.open(tmp_path / "missing.db")
    assert not (tmp_path / "missing.db").exists()


HEADER = ["STT", "Năm", "Số quyết định", "Ngày quyết định", "Mã NV", "Họ và tên", "Khoa/Phòng",
          "Danh hiệu", "Xếp loại", "Sáng kiến", "Sáng kiến đã dùng"]


def test_import_from_excel_and_export_round_trip(tmp_path: Path) -> None:
    rows = [
        ["DANH SÁCH KHEN THƯỞNG NĂM 2024 – 2025"],
        [],
        HEADER,
        [1, 2024, "15/QĐ-BV", date(2024, 12, 20), "BV0001", "Trần Thị Ánh", "Khoa Sản",
         "Chiến sĩ thi đua cơ sở", "HTXSNV", 1, 1],
        [2, 2024, "15/QĐ-BV", "20/12/2024", "BV0002", "Lê Văn Bình", "Khoa Sản", "Lao động tiên tiến",
         "Hoàn thành tốt nhiệm vụ", None, None],
        [3, 2024, "15/QĐ-BV", date(2024, 12, 20), None, None, "Khoa Sản",
         "Tập thể lao động tiên tiến", None, None, None],
        [4, 2025, "9/QĐ-UBND", date(2025, 6, 5), "BV0001", "Trần Thị Ánh", "Khoa Sản",
         "Bằng khen của Chủ tịch UBND tỉnh", None, None, None],
        [5, 2025, None, None, "BV0002", "Lê Văn Bình", "Khoa Sản", None, "HTNV", None, None],
    ]
    src = write_xlsx(tmp_path, {"Danh sách": rows}, name="lich-su.xlsx")
    data = read_ledger_workbook(src, recorded_at="t")
    assert data.report.valid, [i.message for i in data.report.issues]
    assert [(b.decision.number, len(b.awards)) for b in data.batches] == [("15/QĐ-BV", 3), ("9/QĐ-UBND", 1)]
    assert data.batches[1].awards[0].level == "higher"
    db = tmp_path / "a.db"
    with Ledger.open(db, create=True) as book:
        book.write(data.batches, data.ratings)
        history = book.history()
        decisions, awards, ratings = book.decisions(), book.awards(), book.ratings()
    p1 = history.person_year("BV0001", 2024)
    assert p1 is not None and p1.titles == {"CSTDCS"} and (p1.initiatives, p1.used) == (1, 1)
    assert history.person_year("BV0001", 2025).titles == {"BANG_KHEN_TINH"}
    assert history.person_year("BV0002", 2025).rating is Rating.HTNV
    assert history.department_year("khoa sản", 2024).titles == {"TTLDTT"}

    out = tmp_path / "xuat.xlsx"
    write_ledger_workbook(decisions, awards, ratings, out)
    again = read_ledger_workbook(out, recorded_at="t")
    assert again.report.valid, [i.message for i in again.report.issues]
    db2 = tmp_path / "b.db"
    with Ledger.open(db2, create=True) as book:
        book.write(again.batches, again.ratings)
        assert book.history().people == history.people
        assert book.history().departments == history.departments
        assert [(a.decision, a.record.title, a.record.staff_id) for a in book.awards()] == [
            (a.decision, a.record.title, a.record.staff_id) for a in awards]


def test_import_reports_every_bad_row(tmp_path: Path) -> None:
    rows = [
        HEADER,
        [1, 2024, "15/QĐ-BV", date(2024, 12, 20), "BV0001", "A", "Khoa Sản", "Chiến sĩ thi đua", None, None, None],
        [2, 2024, None, None, "BV0002", "B", "Khoa Sản", "Lao động tiên tiến", None, None, None],
        [3, "năm ngoái", "15/QĐ-BV", date(2024, 12, 20), "BV0003", "C", "Khoa Sản", "LĐTT", None, None, None],
        [4, 2024, "15/QĐ-BV", date(2024, 12, 21), "BV0004", "D", "Khoa Sản", "LĐTT", None, None, None],
        [5, 2024, None, None, "BV0005", "E", "Khoa Sản", None, "Giỏi", None, None],
    ]
    src = write_xlsx(tmp_path, {"DS": rows}, name="loi.xlsx")
    data = read_ledger_workbook(src, recorded_at="t")
    found = {(i.code, i.row) for i in data.report.errors}
    assert found == {("ledger-unknown-title", 2), ("ledger-missing-decision", 3),
                     ("ledger-invalid-year", 4), ("ledger-decision-conflict", 5),
                     ("ledger-unknown-rating", 6)}
    msg = next(i.message for i in data.report.errors if i.code == "ledger-missing-decision")
    assert "số quyết định và ngày ký hợp lệ" in msg
    with pytest.raises(InvalidDataError):
        read_ledger_workbook(write_xlsx(tmp_path, {"S": [["a", "b"]]}, name="rong.xlsx"),
                             recorded_at="t")


def test_import_reports_two_ratings_of_one_year_as_a_conflict(tmp_path: Path) -> None:
    rows = [
        HEADER,
        [1, 2024, None, None, "BV0007", "Lê Văn G", "Khoa Sản", None, "HTTNV", None, None],
        [2, 2024, None, None, "BV0007", "Lê Văn G", "Khoa Sản", None, "Hoàn thành xuất sắc nhiệm vụ",
         None, None],
    ]
    data = read_ledger_workbook(write_xlsx(tmp_path, {"DS": rows}, name="hai.xlsx"),
                                recorded_at="t")
    assert [(i.code, i.row) for i in data.report.errors] == [("ledger-rating-conflict", 3)]
    assert data.report.errors[0].message == (
        'Năm 2024, "Lê Văn G" (BV0007) có hai xếp loại khác nhau: HTTNV (dòng 2) và HTXSNV; hãy '
        "giữ một dòng đúng.")


def _result(votes_given: bool = True) -> AwardsOutcome:
    def a(sid: str | None, title: str, status: str, level: str = "hospital", kind: str = "individual",
          used: list | None = None) -> dict:
        return {"kind": kind, "title": title, "title_label": title, "category": "title",
                "level": level, "staff_id": sid, "name": sid or "Khoa Nội", "department": "Khoa Nội",
                "status": status, "coefficient": "1.0", "amount": 2_340_000, "paid": True,
                "initiatives_used": used or []}
    return from_json({
        "schema": "thidua.awards/1", "year": 2026, "decision_date": "2026-12-20",
        "ruleset": {}, "organisation": {}, "council": {"votes_given": votes_given},
        "awards": [a("BV1", "CSTDCS", "approved", used=[{"year": 2026, "count": 1}]),
                   a("BV2", "CSTDCS", "rejected"), a("BV3", "LDTT", "pending_council"),
                   a("BV1", "BANG_KHEN_TINH", "approved", level="higher"),
                   a(None, "TTLDTT", "approved", kind="collective")],
        "ratings": [{"staff_id": "BV1", "name": "A", "department": "Khoa Nội", "rating": "HTTNV",
                     "initiatives": 1, "research": 0},
                    {"staff_id": "BV3", "name": "C", "department": "Khoa Nội",
                     "rating": "PENDING_COUNCIL", "initiatives": 0, "research": 0}],
    })


def test_only_what_the_council_decided_is_recorded(tmp_path: Path) -> None:
    batch, ratings, notes = result_records(_result(), number="12/QĐ-BV", signed_on=date(2026, 12, 20),
                                           source="x", sha256="", recorded_at="t",
                                           include_proposed=False)
    assert [(a.staff_id, a.title) for a in batch.awards] == [("BV1", "CSTDCS"), (None, "TTLDTT")]
    assert [r.staff_id for r in ratings] == ["BV1"]
    assert any("cấp trên" in n for n in notes) and any("chờ Hội đồng" in n for n in notes)
    db = tmp_path / "t.db"
    with Ledger.open(db, create=True) as book:
        book.write([batch], ratings)
        assert book.history().person_year("BV1", 2026).used == 1
    with pytest.raises(LedgerError, match="chưa có phiếu bầu"):
        result_records(_result(False), number="12/QĐ-BV", signed_on=date(2026, 12, 20),
                       source="x", sha256="", recorded_at="t", include_proposed=False)


def test_import_reads_a_decision_date_shown_as_a_serial_number(tmp_path: Path) -> None:
    # A "Ngày quyết định" column formatted as General shows 45646 for 20/12/2024; the score
    # reader accepts it, so the ledger import does too.
    rows = [HEADER, [1, 2024, "15/QĐ-BV", 45646, "BV0001", "A", "Khoa Sản", "LĐTT", None, None,
                     None]]
    data = read_ledger_workbook(write_xlsx(tmp_path, {"DS": rows}, name="so.xlsx"),
                                recorded_at="t")
    assert data.report.valid
    assert [b.decision.signed_on for b in data.batches] == [date(2024, 12, 20)]


def test_a_stored_award_read_back_by_column_name_is_what_was_recorded(tmp_path: Path) -> None:
    batch, ratings, _ = result_records(_result(), number="12/QĐ-BV", signed_on=date(2026, 12, 20),
                                       source="x", sha256="", recorded_at="t",
                                       include_proposed=False)
    with Ledger.open(tmp_path / "t.db", create=True) as book:
        book.write([batch], ratings)
        stored = book.awards()
        # The rating read back is the one written, its "used" count raised by the award.
        assert book.ratings() == [replace(r, used=1) for r in ratings]
        assert book.decisions()[0].number == "12/QĐ-BV" and book.decisions()[0].awards == 2
    assert [s.record for s in stored] == list(batch.awards)
    assert {(s.decision, s.signed_on) for s in stored} == {("12/QĐ-BV", date(2026, 12, 20))}
    assert [s.initiatives_count for s in stored] == [1, 0]
