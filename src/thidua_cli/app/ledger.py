"""``thidua ledger`` as library functions: record a decision from an awards result, import past
decision lists, read one person's history, export the ledger to a workbook. No printing."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from thidua_cli.core.initiatives import Initiative
from thidua_cli.errors import ExitCode, InvalidDataError, ThiduaError, UsageError
from thidua_cli.io.ledger import AwardRecord, Ledger, RatingRecord, StoredAward, WriteSummary
from thidua_cli.model import Report


def now() -> str:
    """When a record is written; SOURCE_DATE_EPOCH (the reproducible-builds convention) fixes it
    so that a regenerated example ledger holds the same text."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).isoformat(timespec="seconds")
    return datetime.now().astimezone().isoformat(timespec="seconds")


@dataclass(frozen=True)
class Recorded:
    number: str
    signed_on: date
    year: int
    summary: WriteSummary
    notes: tuple[str, ...]  # what of the result was left out, and why


def record(result: Path, *, number: str, signed_on: date, ledger: Path,
           include_proposed: bool = False) -> Recorded:
    """Write the council's decisions of an awards result (.de-xuat.json or .de-xuat.xlsx) and
    the year ratings into the ledger, in one transaction."""
    import hashlib

    from thidua_cli.io.awards_io import load_result, result_records

    number = number.strip()
    if not number:
        raise UsageError("--decision không được để trống (ví dụ --decision \"12/QĐ-BV\").")
    outcome = load_result(result)
    sha = hashlib.sha256(Path(result).read_bytes()).hexdigest()
    batch, ratings, notes = result_records(
        outcome, number=number, signed_on=signed_on, source=str(result), sha256=sha,
        recorded_at=now(), include_proposed=include_proposed)
    with Ledger.open(ledger, create=True) as book:
        uses = plan_uses(book.initiatives(), batch.awards, number=number, year=outcome.year)
        summary = book.write([batch], ratings, journal=f"record {number}", at=now(),
                             initiative_parts=uses)
    return Recorded(number, signed_on, outcome.year, summary, tuple(notes))


@dataclass(frozen=True)
class Imported:
    summary: WriteSummary
    years: tuple[int, ...]
    report: Report  # warnings only: a list with errors is refused


def import_list(file: Path, *, ledger: Path) -> Imported:
    """Import a past decision list from Excel: everything or nothing. Raises
    :class:`InvalidDataError` with the findings when the list has errors."""
    from thidua_cli.io.awards_io import read_ledger_workbook

    data = read_ledger_workbook(file, recorded_at=now())
    if not data.report.valid:
        raise InvalidDataError(
            f"Tệp {file} có {len(data.report.errors)} lỗi (xem danh sách trên); chưa nhập gì vào sổ.",
            data.report)
    with Ledger.open(ledger, create=True) as book:
        summary = book.write(data.batches, data.ratings, journal=f"import {file}", at=now())
    years = sorted({b.decision.year for b in data.batches} | {r.year for r in data.ratings})
    return Imported(summary, tuple(years), data.report)


@dataclass(frozen=True)
class PersonHistory:
    staff_id: str
    ratings: tuple[RatingRecord, ...]
    awards: tuple[StoredAward, ...]


class PersonNotFoundError(ThiduaError):
    """``ledger show`` of an ID the ledger does not hold: not a usage error (the command was
    right; the ledger has no such person). Exit 1, as ``grep`` finding nothing, so that a script
    tells "not there" (1) from a wrong command (2) and a damaged ledger (7) (issue 13)."""

    exit_code = ExitCode.INVALID_DATA


def person(staff_id: str, *, ledger: Path) -> PersonHistory:
    """One person's year ratings and awards; an unknown ID is :class:`PersonNotFoundError`
    (exit 1) with the closest ID the ledger knows."""
    from thidua_cli.core.vntext import suggest

    wanted = staff_id.strip()
    with Ledger.open(ledger, read_only=True) as book:
        ratings = book.ratings(wanted)
        awards = book.awards(wanted)
        if not ratings and not awards:
            known = sorted({r.staff_id for r in book.ratings()} |
                           {a.record.staff_id for a in book.awards() if a.record.staff_id})
            close = suggest(wanted, known, cutoff=0.7)
            hint = f" Có phải \"{close}\"?" if close else ""
            raise PersonNotFoundError(f"Sổ lịch sử {ledger} không có mã nhân viên \"{staff_id}\".{hint}")
    return PersonHistory(wanted, tuple(ratings), tuple(awards))


@dataclass(frozen=True)
class Exported:
    target: Path
    decisions: int
    awards: int
    ratings: int


def export(*, ledger: Path, output: Path | None = None, force: bool = False) -> Exported:
    """The whole ledger as a workbook that ``import_list`` reads back."""
    from thidua_cli.io.awards_xlsx import write_ledger_workbook
    from thidua_cli.io.outputs import Protected, guard

    target = output or ledger.with_name(ledger.stem + "-lich-su.xlsx")
    # Never over the ledger itself, whatever --force says (issue 10: `-o thidua.db --force`
    # replaced the whole award history with a workbook).
    guard([target], Protected.of([], ledger=ledger), force=force)
    with Ledger.open(ledger, read_only=True) as book:
        decisions, awards, ratings = book.decisions(), book.awards(), book.ratings()
    write_ledger_workbook(decisions, awards, ratings, target, force=force)
    return Exported(target, len(decisions), len(awards), len(ratings))


def plan_uses(register: Sequence[Initiative], awards: Sequence[AwardRecord], *, number: str,
              year: int) -> list[tuple[int, str, str, int]]:
    """Which initiative each award to be recorded rests on (the same pick as
    :func:`thidua_cli.app.initiatives.name_uses`, so the ledger names what the proposal named): (initiative id, staff ID,
    the award as the dossier names it, its year), for :meth:`Ledger.write`."""
    from thidua_cli.core.initiatives import pick

    spent: set[tuple[int | None, str]] = set()
    uses: list[tuple[int, str, str, int]] = []
    for a in awards:
        if a.staff_id is None or not a.initiatives_used:
            continue
        for i in pick(register, a.staff_id, year, a.initiatives_used, spent,
                      higher=a.level == "higher"):
            assert i.id is not None
            uses.append((i.id, a.staff_id, f"{a.title_label} năm {a.year} (QĐ {number})", a.year))
    return uses
