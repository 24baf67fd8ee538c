"""The history ledger (sổ lịch sử): an embedded SQLite file of decided awards and year ratings.

- Schema-versioned (``PRAGMA user_version``) with forward migrations applied in a transaction
  when the file is opened; a file written by a newer thidua is refused, never downgraded.
- Every write is one transaction (``BEGIN IMMEDIATE`` … ``COMMIT``): a crash, a kill or an
  exception in the middle leaves the file as it was (SQLite's rollback journal).
- Only what was decided is stored: the awards of a decision (never candidates), the year
  ratings, and how many initiatives each award used (CV 5007/BNV-TĐKT: once only); and the
  register of initiatives and research with their authors (schema 4, ``thidua initiatives``).
- A decision is identified by its number and the year it was signed (numbers restart every
  year: "12/QĐ-BV" of 2025 and of 2026 are two decisions); recording one twice is refused.

Failures raise :class:`LedgerError` (exit 7) with a Vietnamese message naming the file.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from thidua_cli.core.awards_model import History, HistoryYear
from thidua_cli.core.initiatives import Author, Initiative, Register
from thidua_cli.core.models import ExemplaryModel, Replication, merge
from thidua_cli.core.vntext import clean, key
from thidua_cli.errors import LedgerError
from thidua_cli.model import Rating

APPLICATION_ID = 0x54445541  # "TDUA": marks a thidua ledger in the SQLite header

_MIGRATIONS: tuple[tuple[int, str, str], ...] = (
    (1, "sổ lịch sử: quyết định, khen thưởng, xếp loại năm", """
        CREATE TABLE decisions (
            id            INTEGER PRIMARY KEY,
            number        TEXT NOT NULL,
            number_key    TEXT NOT NULL,
            signed_on     TEXT NOT NULL,
            signed_year   INTEGER NOT NULL,
            year          INTEGER NOT NULL,
            origin        TEXT NOT NULL CHECK (origin IN ('record', 'import')),
            source        TEXT NOT NULL,
            source_sha256 TEXT NOT NULL DEFAULT '',
            recorded_at   TEXT NOT NULL,
            UNIQUE (number_key, signed_year)
        );
        CREATE TABLE awards (
            id               INTEGER PRIMARY KEY,
            decision_id      INTEGER NOT NULL REFERENCES decisions(id),
            year             INTEGER NOT NULL,
            kind             TEXT NOT NULL CHECK (kind IN ('individual', 'collective')),
            staff_id         TEXT,
            name             TEXT NOT NULL,
            department       TEXT NOT NULL DEFAULT '',
            department_key   TEXT NOT NULL DEFAULT '',
            title            TEXT NOT NULL,
            title_label      TEXT NOT NULL,
            category         TEXT NOT NULL,
            level            TEXT NOT NULL,
            coefficient      TEXT,
            amount           INTEGER,
            initiatives_used INTEGER NOT NULL DEFAULT 0,
            CHECK ((kind = 'individual') = (staff_id IS NOT NULL))
        );
        CREATE INDEX awards_person ON awards (staff_id, year);
        CREATE INDEX awards_department ON awards (department_key, year);
        CREATE TABLE ratings (
            staff_id    TEXT NOT NULL,
            year        INTEGER NOT NULL,
            rating      TEXT NOT NULL,
            name        TEXT NOT NULL,
            department  TEXT NOT NULL DEFAULT '',
            initiatives INTEGER NOT NULL DEFAULT 0,
            used        INTEGER NOT NULL DEFAULT 0,
            decision_id INTEGER REFERENCES decisions(id),
            PRIMARY KEY (staff_id, year)
        );
    """),
    (2, "nhật ký các lần ghi sổ", """
        CREATE TABLE journal (
            id          INTEGER PRIMARY KEY,
            at          TEXT NOT NULL,
            action      TEXT NOT NULL,
            detail      TEXT NOT NULL
        );
    """),
    # Which year's initiatives each award used: deciding a year again (after its decision was
    # recorded) must not count the uses of that year's own awards against them.
    (3, "sáng kiến mỗi khen thưởng đã dùng, theo năm", """
        CREATE TABLE initiative_uses (
            award_id  INTEGER NOT NULL REFERENCES awards(id) ON DELETE CASCADE,
            from_year INTEGER NOT NULL,
            count     INTEGER NOT NULL CHECK (count > 0),
            PRIMARY KEY (award_id, from_year)
        );
    """),
    # The register of initiatives and research (issue 17): one row per initiative, one per
    # author; ``used_by`` names the award that rests on that author's part (once only).
    # ``holds``: candidates held by an open complaint after the posting (ND 152/2025 Điều 4.4),
    # written by ``publish comments --ledger``; ``awards --ledger`` keeps them waiting.
    (4, "sổ sáng kiến, đề tài và tác giả; người tạm dừng xét", """
        CREATE TABLE initiatives (
            id              INTEGER PRIMARY KEY,
            code            TEXT NOT NULL DEFAULT '',
            title           TEXT NOT NULL,
            title_key       TEXT NOT NULL,
            kind            TEXT NOT NULL CHECK (kind IN ('sang-kien', 'de-tai')),
            level           TEXT NOT NULL CHECK (level IN ('co-so', 'nganh', 'tinh', 'toan-quoc')),
            year_from       INTEGER NOT NULL,
            year_to         INTEGER NOT NULL CHECK (year_to >= year_from),
            department      TEXT NOT NULL DEFAULT '',
            union_group     TEXT NOT NULL DEFAULT '',
            decision_number TEXT NOT NULL DEFAULT '',
            decision_date   TEXT,
            decision_body   TEXT NOT NULL DEFAULT '',
            scope           TEXT NOT NULL DEFAULT '',
            benefit         INTEGER,
            source          TEXT NOT NULL DEFAULT '',
            recorded_at     TEXT NOT NULL DEFAULT '',
            UNIQUE (title_key, year_from)
        );
        CREATE TABLE initiative_authors (
            initiative_id INTEGER NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
            position      INTEGER NOT NULL,
            staff_id      TEXT NOT NULL DEFAULT '',
            name          TEXT NOT NULL,
            share         TEXT,
            used_by       TEXT NOT NULL DEFAULT '',
            used_year     INTEGER,
            PRIMARY KEY (initiative_id, position)
        );
        CREATE INDEX initiative_authors_person ON initiative_authors (staff_id);
        CREATE TABLE holds (
            year        INTEGER NOT NULL,
            staff_id    TEXT NOT NULL,
            name        TEXT NOT NULL,
            reason      TEXT NOT NULL,
            source      TEXT NOT NULL DEFAULT '',
            recorded_at TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (year, staff_id)
        );
    """),
    # The register of exemplary models (issue 17): one row per model, one per place it was
    # replicated. A v4 ledger gains the two empty tables and keeps everything else.
    (5, "sổ điển hình tiên tiến và nơi nhân rộng", """
        CREATE TABLE models (
            id          INTEGER PRIMARY KEY,
            year        INTEGER NOT NULL,
            kind        TEXT NOT NULL CHECK (kind IN ('individual', 'collective')),
            name        TEXT NOT NULL,
            name_key    TEXT NOT NULL,
            model       TEXT NOT NULL,
            model_key   TEXT NOT NULL,
            criteria    TEXT NOT NULL DEFAULT '',
            staff_id    TEXT NOT NULL DEFAULT '',
            department  TEXT NOT NULL DEFAULT '',
            source      TEXT NOT NULL DEFAULT '',
            recorded_at TEXT NOT NULL DEFAULT '',
            UNIQUE (year, kind, name_key, model_key)
        );
        CREATE TABLE model_replications (
            model_id  INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
            position  INTEGER NOT NULL,
            place     TEXT NOT NULL,
            result    TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (model_id, position)
        );
    """),
)
SCHEMA_VERSION = _MIGRATIONS[-1][0]


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionRecord:
    number: str  # "12/QĐ-BV"
    signed_on: date
    year: int  # the emulation year the decision is about
    origin: str  # "record" | "import"
    source: str  # the file it came from
    source_sha256: str = ""
    recorded_at: str = ""  # ISO timestamp passed in by the CLI (no clock here)


@dataclass(frozen=True)
class AwardRecord:
    year: int
    kind: str
    staff_id: str | None
    name: str
    department: str
    title: str
    title_label: str
    category: str
    level: str
    coefficient: str | None = None
    amount: int | None = None
    initiatives_used: tuple[tuple[int, int], ...] = ()  # (year, count) taken from those years


@dataclass(frozen=True)
class RatingRecord:
    staff_id: str
    year: int
    rating: str  # a Rating code
    name: str
    department: str = ""
    initiatives: int = 0
    used: int = 0


@dataclass(frozen=True)
class Batch:
    """One decision and what it decided (awards), written together."""

    decision: DecisionRecord
    awards: tuple[AwardRecord, ...] = ()


@dataclass(frozen=True)
class StoredDecision:
    id: int
    number: str
    signed_on: date
    year: int
    origin: str
    source: str
    recorded_at: str
    awards: int


@dataclass(frozen=True)
class StoredAward:
    """An award as the ledger holds it: the record written, and the decision it belongs to."""

    record: AwardRecord
    decision: str  # the decision's number, as written
    signed_on: date
    # The award's count of initiatives used (the ``initiatives_used`` column): a ledger made
    # before schema 3 has it without the per-year split of ``record.initiatives_used``.
    initiatives_count: int = 0


@dataclass(frozen=True)
class WriteSummary:
    decisions: int
    awards: int
    ratings_added: int
    ratings_updated: int
    initiatives_marked: int


def decision_key(number: str) -> str:
    """The matching key of a decision number: "Số: 05/QĐ-BV" and "5/qđ-bv" are the same."""
    text = clean(number)
    text = re.sub(r"^(?i:số)\s*:?\s*", "", text)
    text = re.sub(r"\s+", "", key(text))
    return re.sub(r"^0+(?=\d)", "", text)


# --------------------------------------------------------------------------------------------
# The ledger
# --------------------------------------------------------------------------------------------


class Ledger:
    """An open ledger file. Use as a context manager; every write is one transaction."""

    def __init__(self, path: Path, conn: sqlite3.Connection, *, read_only: bool = False) -> None:
        self.path = path
        self._conn = conn
        self.read_only = read_only

    # --- opening ------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, create: bool = False, read_only: bool = False) -> Ledger:
        """Open (and migrate) the ledger at ``path``. A missing file is created only when
        ``create`` is true; otherwise LedgerError says how to start one. ``read_only`` (for runs
        that only read it: the ledger is their input) never changes the file: a ledger of an
        older schema is copied into memory and migrated there."""
        p = Path(path)
        if p.is_dir():
            raise LedgerError(f"{p} là một thư mục, không phải tệp sổ lịch sử. Hãy chỉ đường dẫn "
                              "tới tệp, ví dụ --ledger thidua.db.")
        if not p.exists():
            if not create:
                raise LedgerError(
                    f"Chưa có sổ lịch sử {p}. Sổ được tạo khi ghi quyết định đầu tiên (thidua "
                    "ledger record … hoặc thidua ledger import …); hoặc chỉ đúng tệp bằng --ledger."
                )
            if not p.parent.is_dir():
                raise LedgerError(f"Không tạo được sổ lịch sử {p}: thư mục {p.parent} không tồn tại.")
        try:
            conn = _connect(p, read_only)
        except sqlite3.Error as exc:
            raise LedgerError(f"Không mở được sổ lịch sử {p}: {exc}.") from exc
        ledger = cls(p, conn, read_only=read_only)
        try:
            if read_only:
                ledger._recover_interrupted_write()
            ledger._conn.execute("PRAGMA foreign_keys = ON")
            ledger._check_integrity()
            ledger._check_and_migrate()
        except LedgerError:
            ledger.close()
            raise
        except sqlite3.DatabaseError as exc:
            ledger.close()
            raise LedgerError(damaged_message(p, str(exc))) from exc
        return ledger

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _recover_interrupted_write(self) -> None:
        """A write killed after it reached the file leaves a "hot" rollback journal, which a
        read-only connection cannot roll back (SQLITE_READONLY_ROLLBACK). Roll it back once with
        write access — the file becomes what it was before that write — then read."""
        try:
            self._conn.execute("PRAGMA user_version").fetchone()
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode != sqlite3.SQLITE_READONLY_ROLLBACK:
                raise
            self._conn.close()
            writer = _connect(self.path, read_only=False)
            try:
                writer.execute("PRAGMA user_version").fetchone()
            finally:
                writer.close()
            self._conn = _connect(self.path, read_only=True)

    def _check_integrity(self) -> None:
        """Refuse a damaged ledger before reading or writing it: a write into a file that fails
        SQLite's own check would bury the award history further (issue 10). quick_check reads
        every page once: linear in the file, milliseconds for a hospital's years."""
        rows = [r[0] for r in self._conn.execute("PRAGMA quick_check(5)")]
        if rows != ["ok"]:
            raise LedgerError(damaged_message(self.path, "; ".join(map(str, rows))))

    @property
    def schema_version(self) -> int:
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    def _check_and_migrate(self) -> None:
        conn = self._conn
        version = self.schema_version
        app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if version == 0 and tables:
            raise LedgerError(
                f"Tệp {self.path} là một cơ sở dữ liệu SQLite khác, không phải sổ lịch sử của "
                "thidua. Hãy chọn tệp khác bằng --ledger."
            )
        if version and app_id != APPLICATION_ID:
            raise LedgerError(f"Tệp {self.path} không phải là sổ lịch sử của thidua.")
        if version > SCHEMA_VERSION:
            raise LedgerError(
                f"Sổ lịch sử {self.path} được tạo bởi phiên bản thidua mới hơn (cấu trúc phiên bản "
                f"{version}, bản này đọc được đến {SCHEMA_VERSION}). Hãy cập nhật thidua."
            )
        pending = [m for m in _MIGRATIONS if m[0] > version]
        if not pending:
            return
        if self.read_only:
            memory = sqlite3.connect(":memory:", isolation_level=None)
            conn.backup(memory)
            conn.close()
            self._conn = conn = memory
            conn.execute("PRAGMA foreign_keys = ON")
        with self.transaction():
            for number, _label, sql in pending:
                for statement in _statements(sql):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {number}")
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")

    # --- transactions -------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT; any exception rolls everything back."""
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise LedgerError(
                f"Sổ lịch sử {self.path} đang được một chương trình khác ghi (bị khoá). Hãy đợi rồi "
                "chạy lại."
            ) from exc
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")

    # --- writing ------------------------------------------------------------------------------

    def write(
        self,
        batches: Sequence[Batch],
        ratings: Sequence[RatingRecord] = (),
        *,
        journal: str = "",
        at: str = "",
        initiative_parts: Sequence[tuple[int, str, str, int]] = (),
    ) -> WriteSummary:
        """Store decisions with their awards, and year ratings, in ONE transaction.

        A decision already in the ledger (same number, same signing year) is refused: nothing
        at all is written and LedgerError lists it. Initiatives used by the awards are added to
        the ``used`` count of the person's rating row of the year they came from, and
        ``initiative_parts`` (see :meth:`mark_initiatives_used`) marked in the register."""
        with self.transaction() as conn:
            existing = [
                b.decision.number for b in batches
                if conn.execute(
                    "SELECT 1 FROM decisions WHERE number_key = ? AND signed_year = ?",
                    (decision_key(b.decision.number), b.decision.signed_on.year),
                ).fetchone()
            ]
            if existing:
                raise LedgerError(
                    "Sổ lịch sử đã có quyết định " + ", ".join(existing) + f" (tệp {self.path}); "
                    "không ghi lại lần nữa, không có gì thay đổi. Nếu đây là quyết định khác, hãy "
                    "kiểm tra số và ngày ký."
                )
            seen: set[tuple[str, int]] = set()
            n_awards = 0
            for b in batches:
                k = (decision_key(b.decision.number), b.decision.signed_on.year)
                if k in seen:
                    raise LedgerError(f"Quyết định {b.decision.number} xuất hiện hai lần trong dữ "
                                      "liệu cần ghi.")
                seen.add(k)
                d = b.decision
                cur = conn.execute(
                    "INSERT INTO decisions (number, number_key, signed_on, signed_year, year, "
                    "origin, source, source_sha256, recorded_at) VALUES (?,?,?,?,?,?,?,?,?)",
                    (clean(d.number), k[0], d.signed_on.isoformat(), d.signed_on.year, d.year,
                     d.origin, d.source, d.source_sha256, d.recorded_at),
                )
                decision_id = cur.lastrowid
                for a in b.awards:
                    used = sum(n for _, n in a.initiatives_used)
                    cur = conn.execute(
                        "INSERT INTO awards (decision_id, year, kind, staff_id, name, department, "
                        "department_key, title, title_label, category, level, coefficient, amount, "
                        "initiatives_used) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        (decision_id, a.year, a.kind, a.staff_id, clean(a.name), clean(a.department),
                         key(a.department), a.title, a.title_label, a.category, a.level,
                         a.coefficient, a.amount, used),
                    )
                    conn.executemany(
                        "INSERT INTO initiative_uses (award_id, from_year, count) VALUES (?,?,?)",
                        [(cur.lastrowid, y, n) for y, n in a.initiatives_used if n > 0],
                    )
                    n_awards += 1
            added = updated = 0
            for r in ratings:
                row = conn.execute("SELECT rating FROM ratings WHERE staff_id = ? AND year = ?",
                                   (r.staff_id, r.year)).fetchone()
                if row is None:
                    conn.execute(
                        "INSERT INTO ratings (staff_id, year, rating, name, department, initiatives, "
                        "used) VALUES (?,?,?,?,?,?,?)",
                        (r.staff_id, r.year, r.rating, clean(r.name), clean(r.department),
                         r.initiatives, r.used),
                    )
                    added += 1
                elif not r.rating:
                    continue  # an initiatives-only row never overwrites a rating
                elif row[0] == "":  # the row held only initiatives: the rating fills it in
                    conn.execute(
                        "UPDATE ratings SET rating = ?, name = ?, department = ?, initiatives = ? "
                        "WHERE staff_id = ? AND year = ?",
                        (r.rating, clean(r.name), clean(r.department), r.initiatives, r.staff_id,
                         r.year),
                    )
                    updated += 1
                elif row[0] != r.rating:
                    raise LedgerError(
                        f"Sổ lịch sử đã ghi xếp loại năm {r.year} của {r.name} ({r.staff_id}) là "
                        f"{row[0]}, khác với {r.rating} trong dữ liệu mới; không có gì thay đổi. "
                        "Hãy kiểm tra lại."
                    )
            marked = 0
            for b in batches:
                for a in b.awards:
                    if a.staff_id is None:
                        continue
                    for y, n in a.initiatives_used:
                        cur = conn.execute(
                            "UPDATE ratings SET used = used + ? WHERE staff_id = ? AND year = ?",
                            (n, a.staff_id, y),
                        )
                        if cur.rowcount == 0:
                            conn.execute(
                                "INSERT INTO ratings (staff_id, year, rating, name, department, "
                                "initiatives, used) VALUES (?,?,?,?,?,?,?)",
                                (a.staff_id, y, "", clean(a.name), clean(a.department), n, n),
                            )
                        marked += n
            if initiative_parts:  # the register's parts these awards rest on (issue 17)
                self.mark_initiatives_used(initiative_parts)
            if journal:
                conn.execute("INSERT INTO journal (at, action, detail) VALUES (?,?,?)",
                             (at, journal, f"{len(batches)} quyết định, {n_awards} khen thưởng, "
                                           f"{added + updated} xếp loại"))
        return WriteSummary(len(batches), n_awards, added, updated, marked)

    # --- reading ------------------------------------------------------------------------------

    def _rows(self, sql: str, args: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        """Rows read by column name (never by position: a column added by a migration
        cannot shift the others)."""
        cur = self._conn.execute(sql, args)
        cur.row_factory = sqlite3.Row
        return list(cur)

    def decisions(self) -> list[StoredDecision]:
        rows = self._rows(
            "SELECT d.id, d.number, d.signed_on, d.year, d.origin, d.source, d.recorded_at, "
            "(SELECT COUNT(*) FROM awards a WHERE a.decision_id = d.id) AS awards "
            "FROM decisions d ORDER BY d.signed_on, d.id"
        )
        return [StoredDecision(id=r["id"], number=r["number"],
                               signed_on=date.fromisoformat(r["signed_on"]), year=r["year"],
                               origin=r["origin"], source=r["source"],
                               recorded_at=r["recorded_at"], awards=r["awards"])
                for r in rows]

    def awards(self, staff_id: str | None = None) -> list[StoredAward]:
        sql = (
            "SELECT a.id, a.year, a.kind, a.staff_id, a.name, a.department, a.title, "
            "a.title_label, a.category, a.level, a.coefficient, a.amount, a.initiatives_used, "
            "d.number AS decision, d.signed_on FROM awards a JOIN decisions d ON d.id = a.decision_id"
        )
        args: tuple[Any, ...] = ()
        if staff_id is not None:
            sql += " WHERE a.staff_id = ?"
            args = (staff_id,)
        sql += " ORDER BY a.year, d.signed_on, a.kind DESC, a.id"
        rows = self._rows(sql, args)
        uses: dict[int, list[tuple[int, int]]] = {}
        for u in self._rows("SELECT award_id, from_year, count FROM initiative_uses "
                            "ORDER BY award_id, from_year"):
            uses.setdefault(u["award_id"], []).append((u["from_year"], u["count"]))
        return [
            StoredAward(
                record=AwardRecord(
                    year=r["year"], kind=r["kind"], staff_id=r["staff_id"], name=r["name"],
                    department=r["department"], title=r["title"], title_label=r["title_label"],
                    category=r["category"], level=r["level"], coefficient=r["coefficient"],
                    amount=r["amount"], initiatives_used=tuple(uses.get(r["id"], ())),
                ),
                decision=r["decision"],
                signed_on=date.fromisoformat(r["signed_on"]),
                initiatives_count=r["initiatives_used"],
            )
            for r in rows
        ]

    def ratings(self, staff_id: str | None = None) -> list[RatingRecord]:
        sql = "SELECT staff_id, year, rating, name, department, initiatives, used FROM ratings"
        args: tuple[Any, ...] = ()
        if staff_id is not None:
            sql += " WHERE staff_id = ?"
            args = (staff_id,)
        sql += " ORDER BY year, staff_id"
        return [RatingRecord(staff_id=r["staff_id"], year=r["year"], rating=r["rating"],
                             name=r["name"], department=r["department"],
                             initiatives=r["initiatives"], used=r["used"])
                for r in self._rows(sql, args)]

    # --- the register of initiatives (issue 17) -------------------------------------------

    def add_initiatives(self, items: Sequence[Initiative], *, source: str, at: str) -> int:
        """Store initiatives, all or none. One already in the register (same title, same year)
        is refused: LedgerError names it and nothing is written."""
        with self.transaction() as conn:
            known = [i for i in items if conn.execute(
                "SELECT 1 FROM initiatives WHERE title_key = ? AND year_from = ?", i.key
            ).fetchone()]
            if known:
                shown = "; ".join(f"\"{i.title}\" ({i.year_from})" for i in known[:5])
                more = f" và {len(known) - 5} sáng kiến khác" if len(known) > 5 else ""
                raise LedgerError(
                    f"Sổ {self.path} đã có {shown}{more}; không nhập lại, không có gì thay đổi.")
            for i in items:
                cur = conn.execute(
                    "INSERT INTO initiatives (code, title, title_key, kind, level, year_from, "
                    "year_to, department, union_group, decision_number, decision_date, "
                    "decision_body, scope, benefit, source, recorded_at) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (i.code, clean(i.title), i.key[0], i.kind, i.level, i.year_from, i.year_to,
                     clean(i.department), clean(i.union_group), i.decision_number,
                     i.decision_date.isoformat() if i.decision_date else None, i.decision_body,
                     i.scope, i.benefit, source, at))
                conn.executemany(
                    "INSERT INTO initiative_authors (initiative_id, position, staff_id, name, "
                    "share, used_by, used_year) VALUES (?,?,?,?,?,?,?)",
                    [(cur.lastrowid, n, a.staff_id, clean(a.name),
                      None if a.share is None else str(a.share), a.used_by, a.used_year)
                     for n, a in enumerate(i.authors, start=1)])
            conn.execute("INSERT INTO journal (at, action, detail) VALUES (?,?,?)",
                         (at, f"initiatives import {source}", f"{len(items)} sáng kiến"))
        return len(items)

    def initiatives(self) -> list[Initiative]:
        """The whole register, in the order it was entered."""
        authors: dict[int, list[Author]] = {}
        for a in self._rows("SELECT initiative_id, staff_id, name, share, used_by, used_year "
                            "FROM initiative_authors ORDER BY initiative_id, position"):
            authors.setdefault(a["initiative_id"], []).append(Author(
                name=a["name"], staff_id=a["staff_id"],
                share=None if a["share"] is None else Decimal(a["share"]), used_by=a["used_by"],
                used_year=a["used_year"]))
        return [
            Initiative(
                title=r["title"], level=r["level"], year_from=r["year_from"],
                year_to=r["year_to"], authors=tuple(authors.get(r["id"], ())), kind=r["kind"],
                code=r["code"], department=r["department"], union_group=r["union_group"],
                decision_number=r["decision_number"],
                decision_date=date.fromisoformat(r["decision_date"]) if r["decision_date"] else None,
                decision_body=r["decision_body"], scope=r["scope"], benefit=r["benefit"], id=r["id"])
            for r in self._rows("SELECT * FROM initiatives ORDER BY id")
        ]

    # --- the register of exemplary models (issue 17) -----------------------------------------

    def add_models(self, items: Sequence[ExemplaryModel], *, source: str, at: str) -> tuple[int, int]:
        """Store models, all or none: a model already in the register (same year, kind, name
        and model) gains the new places it was replicated at instead. Returns (models added,
        replications added)."""
        added = places = 0
        with self.transaction() as conn:
            stored = {m.key: m for m in self.models()}
            for m in merge(items):
                have = stored.get(m.key)
                if have is None:
                    cur = conn.execute(
                        "INSERT INTO models (year, kind, name, name_key, model, model_key, "
                        "criteria, staff_id, department, source, recorded_at) "
                        "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                        (m.year, m.kind, clean(m.name), m.key[2], clean(m.model), m.key[3],
                         clean(m.criteria), m.staff_id, clean(m.department), source, at))
                    model_id, new, start = cur.lastrowid, list(m.replications), 1
                    added += 1
                else:
                    merged = merge([have, m])[0]
                    new = list(merged.replications[len(have.replications):])
                    model_id, start = have.id, len(have.replications) + 1
                    for n, r in enumerate(merged.replications[:len(have.replications)], start=1):
                        if r != have.replications[n - 1]:  # a result given for a known place
                            conn.execute("UPDATE model_replications SET result = ? WHERE "
                                         "model_id = ? AND position = ?", (r.result, model_id, n))
                conn.executemany(
                    "INSERT INTO model_replications (model_id, position, place, result) "
                    "VALUES (?,?,?,?)", [(model_id, n, clean(r.place), clean(r.result))
                                         for n, r in enumerate(new, start=start)])
                places += len(new)
            conn.execute("INSERT INTO journal (at, action, detail) VALUES (?,?,?)",
                         (at, f"models import {source}",
                          f"{added} điển hình mới, {places} nơi nhân rộng"))
        return added, places

    def models(self, year: int | None = None) -> list[ExemplaryModel]:
        """The register of models (of ``year`` when given), in the order entered."""
        reps: dict[int, list[Replication]] = {}
        for r in self._rows("SELECT model_id, place, result FROM model_replications "
                            "ORDER BY model_id, position"):
            reps.setdefault(r["model_id"], []).append(Replication(r["place"], r["result"]))
        where, args = ("WHERE year = ? ", (year,)) if year is not None else ("", ())
        return [ExemplaryModel(r["year"], r["kind"], r["name"], r["model"], r["criteria"],
                               r["staff_id"], r["department"], tuple(reps.get(r["id"], ())),
                               r["id"])
                for r in self._rows(f"SELECT * FROM models {where}ORDER BY id", args)]

    def mark_initiatives_used(self, uses: Sequence[tuple[int, str, str, int]]) -> int:
        """Record that an award rests on an author's part: (initiative id, staff ID, the award
        as the dossier names it, the award's year). Call inside :meth:`transaction` of the
        write it belongs to, or alone (its own transaction). A part already used by another
        award is refused (once only, CV 5007/BNV-TĐKT)."""
        conn = self._conn
        own = not conn.in_transaction
        if own:
            conn.execute("BEGIN IMMEDIATE")
        try:
            for initiative_id, staff_id, award, year in uses:
                cur = conn.execute(
                    "UPDATE initiative_authors SET used_by = ?, used_year = ? WHERE "
                    "initiative_id = ? AND staff_id = ? AND (used_by = '' OR used_year >= ?)",
                    (award, year, initiative_id, staff_id, year))
                if cur.rowcount == 0:
                    raise LedgerError(
                        f"Sáng kiến số {initiative_id} của {staff_id} trong sổ {self.path} đã được "
                        "dùng làm căn cứ khen thưởng khác (hoặc không có tác giả này); không có gì "
                        "thay đổi.")
        except BaseException:
            if own:
                conn.execute("ROLLBACK")
            raise
        if own:
            conn.execute("COMMIT")
        return len(uses)

    def replace_holds(self, year: int, held: Sequence[tuple[str, str, str]], *, source: str,
                      at: str) -> int:
        """The candidates held for ``year`` after reading the comments: (staff ID, name,
        reason). Replaces the year's earlier list (a complaint resolved since lifts its hold)."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM holds WHERE year = ?", (year,))
            conn.executemany(
                "INSERT INTO holds (year, staff_id, name, reason, source, recorded_at) "
                "VALUES (?,?,?,?,?,?)", [(year, sid, clean(name), why, source, at)
                                         for sid, name, why in held])
            conn.execute("INSERT INTO journal (at, action, detail) VALUES (?,?,?)",
                         (at, f"publish comments {source}", f"năm {year}: {len(held)} người tạm dừng xét"))
        return len(held)

    def holds(self, year: int) -> dict[str, str]:
        """Staff ID → reason of those held for ``year``."""
        return {r["staff_id"]: r["reason"] for r in self._rows(
            "SELECT staff_id, reason FROM holds WHERE year = ? ORDER BY staff_id", (year,))}

    def journal(self) -> list[tuple[str, str, str]]:
        return list(self._conn.execute("SELECT at, action, detail FROM journal ORDER BY id"))

    def state(self) -> dict[str, Any]:
        """Counts for the log sheet: what the ledger held when a run read it."""
        c = self._conn
        years = [r[0] for r in c.execute(
            "SELECT year FROM awards UNION SELECT year FROM ratings ORDER BY 1")]
        return {
            "path": str(self.path),
            "schema_version": self.schema_version,
            "decisions": c.execute("SELECT COUNT(*) FROM decisions").fetchone()[0],
            "awards": c.execute("SELECT COUNT(*) FROM awards").fetchone()[0],
            "ratings": c.execute("SELECT COUNT(*) FROM ratings").fetchone()[0],
            "years": years,
        }

    def history(self, before: int | None = None) -> History:
        """Everything the awards stage needs about past years, as pure data.

        ``before``: the year being decided. Initiatives used by awards of that year or later do
        not count as used: the run decides those awards again and takes what they rest on
        itself (a rerun after ``ledger record`` must give the same result)."""
        people: dict[str, dict[int, dict[str, Any]]] = {}
        departments: dict[str, dict[int, set[str]]] = {}
        years: set[int] = set()
        later: dict[tuple[str, int], int] = {}
        if before is not None:
            for u in self._rows(
                "SELECT a.staff_id, u.from_year, SUM(u.count) AS n FROM initiative_uses u "
                "JOIN awards a ON a.id = u.award_id WHERE a.year >= ? AND a.staff_id IS NOT NULL "
                "GROUP BY a.staff_id, u.from_year", (before,)
            ):
                later[(u["staff_id"], u["from_year"])] = u["n"]
        for r in self._rows("SELECT staff_id, year, rating, initiatives, used FROM ratings"):
            staff_id, year = r["staff_id"], r["year"]
            entry = people.setdefault(staff_id, {}).setdefault(year, {"titles": set()})
            entry["rating"] = Rating(r["rating"]) if r["rating"] in Rating.__members__ else None
            entry["initiatives"] = r["initiatives"]
            entry["used"] = max(r["used"] - later.get((staff_id, year), 0), 0)
            years.add(year)
        for a in self._rows("SELECT kind, staff_id, department_key, year, title FROM awards"):
            years.add(a["year"])
            if a["kind"] == "individual":
                entry = people.setdefault(a["staff_id"], {}).setdefault(a["year"], {"titles": set()})
                entry["titles"].add(a["title"])
            else:
                departments.setdefault(a["department_key"], {}).setdefault(
                    a["year"], set()).add(a["title"])
        register = self.initiatives()
        return History(
            register=Register(register) if register else None,
            people={
                sid: {
                    y: HistoryYear(
                        year=y,
                        rating=e.get("rating"),
                        titles=frozenset(e["titles"]),
                        initiatives=e.get("initiatives", 0),
                        used=e.get("used", 0),
                    )
                    for y, e in by_year.items()
                }
                for sid, by_year in people.items()
            },
            departments={
                k: {y: HistoryYear(year=y, titles=frozenset(t)) for y, t in by_year.items()}
                for k, by_year in departments.items()
            },
            years=frozenset(years),
            source=str(self.path),
        )


def damaged_message(path: Path, detail: str) -> str:
    """The one message for a ledger file that SQLite cannot read whole."""
    return (f"Tệp {path} không phải là sổ lịch sử của thidua, hoặc sổ bị hỏng ({detail[:200]}). "
            "Hãy kiểm tra đường dẫn --ledger; nếu sổ bị hỏng, khôi phục từ bản sao lưu gần nhất.")


def _connect(path: Path, read_only: bool) -> sqlite3.Connection:
    if read_only:
        return sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True,
                               isolation_level=None, timeout=5.0)
    return sqlite3.connect(str(path), isolation_level=None, timeout=5.0)


def _statements(sql: str) -> list[str]:
    return [s.strip() for s in sql.split(";") if s.strip()]


def read_holds(path: str | Path | None, year: int) -> dict[str, str]:
    """Those held for ``year`` (staff ID → reason); none without a ledger file."""
    if path is None or not Path(path).exists():
        return {}
    with Ledger.open(path, read_only=True) as ledger:
        return ledger.holds(year)


def read_history(path: str | Path | None,
                 year: int | None = None) -> tuple[History, dict[str, Any] | None]:
    """The history for deciding ``year`` (see :meth:`Ledger.history`): an empty one (and None)
    when the file does not exist yet — the awards run then reports that multi-year awards cannot
    be judged."""
    if path is None or not Path(path).exists():
        return History(source=str(path) if path else ""), None
    with Ledger.open(path, read_only=True) as ledger:
        return ledger.history(before=year), ledger.state()
