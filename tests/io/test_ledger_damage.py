"""A damaged ledger is refused with exit 7 and the restore hint, for reading and for writing
(issue 10): never a traceback, never a write into a file that fails SQLite's own check."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from thidua_cli.errors import ExitCode, LedgerError
from thidua_cli.io.ledger import Ledger


def _ledger_with_rows(path: Path, n: int = 3000) -> None:
    with Ledger.open(path, create=True):
        pass
    con = sqlite3.connect(path)
    with con:
        con.executemany(
            "INSERT INTO journal (at, action, detail) VALUES (?, ?, ?)",
            [(f"2026-01-01T00:00:{i:05d}", "record", "x" * 200) for i in range(n)],
        )
    con.close()


def _damage(path: Path) -> None:
    """Overwrite the middle of the file (b-tree pages of the journal table) with garbage."""
    size = path.stat().st_size
    page = 4096
    with open(path, "r+b") as fh:
        fh.seek((size // page // 2) * page)
        fh.write(b"\xff\x00\x13" * (page // 3))


@pytest.mark.parametrize("read_only", [False, True])
def test_damaged_pages_are_refused_at_open(tmp_path: Path, read_only: bool) -> None:
    db = tmp_path / "thidua.db"
    _ledger_with_rows(db)
    _damage(db)
    before = db.read_bytes()
    with pytest.raises(LedgerError) as info:
        Ledger.open(db, read_only=read_only)
    assert info.value.exit_code == ExitCode.LEDGER
    assert "bị hỏng" in info.value.message
    assert "khôi phục từ bản sao lưu" in info.value.message
    assert db.read_bytes() == before  # refused, not touched


def test_a_sound_ledger_opens(tmp_path: Path) -> None:
    db = tmp_path / "thidua.db"
    _ledger_with_rows(db, 10)
    with Ledger.open(db) as book:
        assert len(book.journal()) == 10


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    db = tmp_path / "thidua.db"
    db.write_bytes(b"PK\x03\x04" + b"\x00" * 5000)
    with pytest.raises(LedgerError, match="không phải là sổ lịch sử của thidua, hoặc sổ bị hỏng"):
        Ledger.open(db)
