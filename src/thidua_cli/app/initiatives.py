"""``thidua initiatives`` as library functions: import a workbook into the register of the
ledger, list it with filters, export it with counts and a chart. No printing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from thidua_cli.core.awards_result import AwardsOutcome
from thidua_cli.core.initiatives import Counts, Filter, Initiative, Register, counts, select
from thidua_cli.errors import InvalidDataError
from thidua_cli.io.ledger import Ledger
from thidua_cli.model import Period, Report


@dataclass(frozen=True)
class Imported:
    items: tuple[Initiative, ...]
    rows: int
    report: Report  # warnings only: a workbook with errors is refused


def import_register(file: Path, *, ledger: Path, period: Period | None = None,
                    staff: Path | None = None) -> Imported:
    """Read ``file`` and add its initiatives to the register: all or none. Raises
    :class:`InvalidDataError` with the findings when the workbook has errors."""
    from thidua_cli.app.ledger import now
    from thidua_cli.io.initiatives_io import read_register, read_staff, register_keys

    staff_list = read_staff(staff) if staff is not None else None
    known: set[tuple[str, int]] = set()
    if ledger.exists():
        with Ledger.open(ledger, read_only=True) as book:
            known = register_keys(book.initiatives())
    data = read_register(file, period=period, staff=staff_list, known=known)
    if not data.report.valid:
        raise InvalidDataError(
            f"Tệp {file} có {len(data.report.errors)} lỗi (xem danh sách trên); chưa nhập gì vào "
            "sổ sáng kiến.", data.report)
    with Ledger.open(ledger, create=True) as book:
        book.add_initiatives(data.items, source=str(file), at=now())
    return Imported(data.items, data.rows, data.report)


@dataclass(frozen=True)
class Listed:
    items: tuple[Initiative, ...]
    total: int  # the register's size before the filter
    where: Filter


def list_register(*, ledger: Path, where: Filter) -> Listed:
    with Ledger.open(ledger, read_only=True) as book:
        everything = book.initiatives()
    return Listed(tuple(select(everything, where)), len(everything), where)


@dataclass(frozen=True)
class Exported:
    target: Path
    items: int
    by_department: Counts


def export_register(*, ledger: Path, where: Filter, output: Path | None = None,
                    force: bool = False) -> Exported:
    from thidua_cli.io.initiatives_xlsx import write_register
    from thidua_cli.io.outputs import Protected, guard

    target = output or ledger.with_name(ledger.stem + "-sang-kien.xlsx")
    guard([target], Protected.of([], ledger=ledger), force=force)
    listed = list_register(ledger=ledger, where=where)
    title = "Thống kê sáng kiến, đề tài" + (f" năm {where.year}" if where.year else "")
    write_register(listed.items, target, title=title, force=force)
    return Exported(target, len(listed.items), counts(listed.items, "department"))


def name_uses(outcome: AwardsOutcome, register: Register) -> AwardsOutcome:
    """The awards result with each individual award that rests on the register's initiatives
    naming them in its note, with their decisions, as the dossier needs (issue 17). Awards in
    the result's order; one author's part, one award."""
    from dataclasses import replace

    from thidua_cli.core.initiatives import citation, pick

    spent: set[tuple[int | None, str]] = set()
    out = []
    for a in outcome.awards:
        if a.staff_id and a.initiatives_used:
            chosen = pick(register.of(a.staff_id), a.staff_id, outcome.year, a.initiatives_used,
                          spent, higher=a.level == "higher")
            if chosen:
                named = "Sáng kiến, đề tài làm căn cứ: " + "; ".join(citation(i) for i in chosen)
                a = replace(a, note="; ".join(x for x in (a.note, named) if x))
        out.append(a)
    return replace(outcome, awards=tuple(out))
