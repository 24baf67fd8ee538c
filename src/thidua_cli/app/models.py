"""``thidua initiatives models`` as library functions: the register of exemplary models
(điển hình tiên tiến) in the ledger — import a sheet, mark candidates of an awards result as
models, list, and write the yearly report of models and their replication. No printing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from thidua_cli.core.models import ExemplaryModel, Summary
from thidua_cli.errors import InvalidDataError, LedgerError, UsageError
from thidua_cli.model import Report


@dataclass(frozen=True)
class ModelsAdded:
    models: int  # new models
    places: int  # new replications
    rows: int  # rows read (0 when marked from a result)
    report: Report


def import_models(file: Path, *, ledger: Path) -> ModelsAdded:
    """Read ``file`` and add its models (or new places of known ones) to the register: all or
    none. Raises :class:`InvalidDataError` with the findings when the sheet has errors."""
    from thidua_cli.app.ledger import now
    from thidua_cli.io.ledger import Ledger
    from thidua_cli.io.models_io import read_models

    data = read_models(file)
    if not data.report.valid:
        raise InvalidDataError(
            f"Tệp {file} có {len(data.report.errors)} lỗi (xem danh sách trên); chưa nhập gì vào "
            "sổ điển hình tiên tiến.", data.report)
    with Ledger.open(ledger, create=True) as book:
        models, places = book.add_models(data.items, source=str(file), at=now())
    return ModelsAdded(models, places, data.rows, data.report)


def mark_models(result: Path, staff_ids: Sequence[str], *, model: str, criteria: str = "",
                ledger: Path) -> ModelsAdded:
    """Register the candidates ``staff_ids`` of an awards result as models. A staff ID the
    result does not propose or approve, or that the ledger holds (ND 152/2025 Điều 4.4), is
    refused and nothing is written."""
    from thidua_cli.app.ledger import now
    from thidua_cli.core.models import from_outcome
    from thidua_cli.io.awards_io import load_result
    from thidua_cli.io.ledger import Ledger, read_holds

    if not model.strip():
        raise UsageError("--model: ghi mô hình, cách làm được nêu gương (ví dụ \"Cải tiến quy "
                         "trình tiếp đón người bệnh\").")
    outcome = load_result(result)
    held = read_holds(ledger, outcome.year)
    items, missing = from_outcome(outcome, [s for s in staff_ids if s.strip() not in held],
                                  model.strip(), criteria.strip())
    missing += [s for s in staff_ids if s.strip() in held]
    if missing:
        raise UsageError(
            f"Mã NV {', '.join(missing)} không có đề nghị khen thưởng nào (được đề nghị hoặc đã "
            f"duyệt, không tạm dừng xét) trong kết quả {result}; chưa ghi gì.")
    with Ledger.open(ledger, create=True) as book:
        models, places = book.add_models(items, source=str(result), at=now())
    return ModelsAdded(models, places, 0, Report())


def list_models(*, ledger: Path, year: int | None = None) -> list[ExemplaryModel]:
    from thidua_cli.io.ledger import Ledger

    if not ledger.is_file():
        raise LedgerError(f"Không thấy sổ lịch sử {ledger}.")
    with Ledger.open(ledger, read_only=True) as book:
        return book.models(year)


@dataclass(frozen=True)
class ModelsReport:
    target: Path
    year: int
    summary: Summary


def report_models(*, ledger: Path, year: int, output: Path | None = None,
                  force: bool = False) -> ModelsReport:
    from thidua_cli.core.models import summary
    from thidua_cli.io.models_io import write_report
    from thidua_cli.io.outputs import Protected, guard

    target = output or ledger.with_name(f"{ledger.stem}-dien-hinh-{year}.xlsx")
    guard([target], Protected.of([], ledger=ledger), force=force)
    items = list_models(ledger=ledger, year=year)
    write_report(items, target, year=year, force=force)
    return ModelsReport(target, year, summary(items))
