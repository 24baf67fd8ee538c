"""``thidua ledger``: the history ledger (sổ lịch sử) — record a year's decision, import past
decision lists from Excel, show a person's history, export everything to Excel."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

HELP = (
    "Sổ lịch sử thi đua, khen thưởng (SQLite): ghi quyết định, nhập danh sách các năm trước, xem "
    "và xuất ra Excel.\n\n"
    "Ví dụ: thidua ledger record nam-2026.de-xuat.xlsx --decision \"12/QĐ-BV\" --date 2026-12-20\n\n"
    "        thidua ledger import lich-su-2024-2025.xlsx\n\n"
    "        thidua ledger show BV0012"
)

ledger_app = typer.Typer(
    name="ledger", help=HELP, no_args_is_help=True, add_completion=False, rich_markup_mode=None
)

_LEDGER_HELP = "Tệp sổ lịch sử (SQLite). Mặc định: thidua.db trong thư mục hiện tại."
LedgerOption = Annotated[Path, typer.Option("--ledger", help=_LEDGER_HELP)]
_DB = Path("thidua.db")


def register(app: typer.Typer) -> None:
    app.add_typer(ledger_app, name="ledger")


def _now() -> str:
    """When a record is written; SOURCE_DATE_EPOCH (the reproducible-builds convention) fixes it
    so that a regenerated example ledger holds the same text."""
    import os
    from datetime import UTC, datetime

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).isoformat(timespec="seconds")
    return datetime.now().astimezone().isoformat(timespec="seconds")


@ledger_app.command(
    "record",
    help=("Ghi vào sổ các khen thưởng Hội đồng đã quyết định trong kết quả của thidua awards "
          "(.de-xuat.xlsx hoặc .de-xuat.json), cùng xếp loại năm. Không ghi lại một quyết định "
          "đã có.\n\nVí dụ: thidua ledger record nam-2026.de-xuat.xlsx --decision \"12/QĐ-BV\" "
          "--date 2026-12-20"),
    no_args_is_help=True,
)
def record(
    result: Annotated[Path, typer.Argument(
        help="Tệp kết quả .de-xuat.xlsx hoặc .de-xuat.json.", show_default=False)],
    decision: Annotated[str, typer.Option(
        "--decision", help="Số quyết định, ví dụ \"12/QĐ-BV\".", show_default=False)],
    date_text: Annotated[str, typer.Option(
        "--date", help="Ngày ký quyết định, ví dụ 2026-12-20.", show_default=False)],
    ledger: LedgerOption = _DB,
    proposed: Annotated[bool, typer.Option(
        "--proposed",
        help="Ghi cả danh sách đề nghị khi kết quả chưa có phiếu bầu (Hội đồng đã thông qua cả "
             "danh sách).")] = False,
) -> None:
    import hashlib

    from rich.text import Text

    from thidua_cli.awards_run import parse_date
    from thidua_cli.cli.console import err, out
    from thidua_cli.errors import UsageError
    from thidua_cli.io.awards_io import load_result, result_records
    from thidua_cli.io.ledger import Ledger

    signed = parse_date(date_text, "--date")
    if not decision.strip():
        raise UsageError("--decision không được để trống (ví dụ --decision \"12/QĐ-BV\").")
    data = load_result(result)
    sha = hashlib.sha256(Path(result).read_bytes()).hexdigest()
    batch, ratings, notes = result_records(
        data, number=decision.strip(), signed_on=signed, source=str(result), sha256=sha,
        recorded_at=_now(), include_proposed=proposed)
    with Ledger.open(ledger, create=True) as book:
        summary = book.write([batch], ratings, journal=f"record {decision.strip()}", at=_now())
    console = out()
    console.print(Text(
        f"Đã ghi quyết định {decision.strip()} ngày {signed:%d/%m/%Y} (năm {data['year']}) vào "
        f"{ledger}: {summary.awards} khen thưởng, {summary.ratings_added + summary.ratings_updated} "
        f"xếp loại năm, {summary.initiatives_marked} sáng kiến được đánh dấu đã dùng.",
        style="bold green"))
    stderr = err()
    for note in notes:
        stderr.print(Text(note))


@ledger_app.command(
    "import",
    help=("Nhập danh sách khen thưởng, xếp loại các năm trước từ Excel (cột: Năm, Số quyết định, "
          "Ngày quyết định, Mã NV, Họ và tên, Khoa/Phòng, Danh hiệu, Xếp loại, Sáng kiến, Sáng "
          "kiến đã dùng). Tất cả hoặc không gì cả.\n\nVí dụ: thidua ledger import "
          "lich-su-2024-2025.xlsx --ledger thidua.db"),
    no_args_is_help=True,
)
def import_(
    file: Annotated[Path, typer.Argument(
        help="Tệp Excel danh sách khen thưởng các năm.", show_default=False)],
    ledger: LedgerOption = _DB,
) -> None:
    from rich.text import Text

    from thidua_cli import report
    from thidua_cli.cli.console import err, out
    from thidua_cli.errors import InvalidDataError
    from thidua_cli.io.awards_io import read_ledger_workbook
    from thidua_cli.io.ledger import Ledger

    data = read_ledger_workbook(file, recorded_at=_now())
    if not data.report.valid:
        report.print_findings(err(), data.report.errors, limit=50)
        raise InvalidDataError(
            f"Tệp {file} có {len(data.report.errors)} lỗi (xem danh sách trên); chưa nhập gì vào sổ.",
            data.report)
    with Ledger.open(ledger, create=True) as book:
        summary = book.write(data.batches, data.ratings, journal=f"import {file}", at=_now())
    years = sorted({b.decision.year for b in data.batches} | {r.year for r in data.ratings})
    out().print(Text(
        f"Đã nhập {file} vào {ledger}: {summary.decisions} quyết định, {summary.awards} khen thưởng, "
        f"{summary.ratings_added + summary.ratings_updated} xếp loại năm "
        f"(năm {', '.join(map(str, years)) or '—'}).", style="bold green"))
    if data.report.warnings:
        report.print_findings(err(), data.report.warnings, limit=30)


@ledger_app.command(
    "show",
    help="Xem lịch sử xếp loại và khen thưởng của một người.\n\nVí dụ: thidua ledger show BV0012",
    no_args_is_help=True,
)
def show(
    staff_id: Annotated[str, typer.Argument(
        metavar="MÃ_NV", help="Mã nhân viên.", show_default=False)],
    ledger: LedgerOption = _DB,
    json_out: Annotated[bool, typer.Option(
        "--json", help="In dạng JSON (schema thidua.ledger-person/1).")] = False,
) -> None:
    import json

    from thidua_cli.awards_report import print_person_history
    from thidua_cli.cli.console import out
    from thidua_cli.core.vntext import suggest
    from thidua_cli.errors import UsageError
    from thidua_cli.io.ledger import Ledger

    wanted = staff_id.strip()
    with Ledger.open(ledger, read_only=True) as book:
        ratings = book.ratings(wanted)
        awards = book.awards(wanted)
        if not ratings and not awards:
            known = sorted({r.staff_id for r in book.ratings()} |
                           {a.staff_id for a in book.awards() if a.staff_id})
            close = suggest(wanted, known, cutoff=0.7)
            hint = f" Có phải \"{close}\"?" if close else ""
            raise UsageError(f"Sổ lịch sử {ledger} không có mã nhân viên \"{staff_id}\".{hint}")
    if json_out:
        payload = {
            "schema": "thidua.ledger-person/1",
            "staff_id": wanted,
            "ratings": [{"year": r.year, "rating": r.rating, "name": r.name,
                         "department": r.department, "initiatives": r.initiatives, "used": r.used}
                        for r in ratings],
            "awards": [{"year": a.year, "title": a.title, "title_label": a.title_label,
                        "decision": a.decision, "signed_on": a.signed_on.isoformat(),
                        "level": a.level, "amount": a.amount} for a in awards],
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return
    print_person_history(out(), wanted, ratings, awards)


@ledger_app.command(
    "export",
    help=("Xuất toàn bộ sổ lịch sử ra Excel (các sheet Khen thưởng, Xếp loại, Quyết định; đọc lại "
          "được bằng thidua ledger import).\n\nVí dụ: thidua ledger export -o so-lich-su.xlsx"),
)
def export(
    ledger: LedgerOption = _DB,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Tệp Excel. Mặc định: <tên sổ>-lich-su.xlsx cạnh sổ.")] = None,
    force: Annotated[bool, typer.Option("--force", "-f", help="Ghi đè tệp nếu đã có.")] = False,
) -> None:
    from rich.text import Text

    from thidua_cli.cli.console import out
    from thidua_cli.io.awards_xlsx import write_ledger_workbook
    from thidua_cli.io.ledger import Ledger

    target = output or ledger.with_name(ledger.stem + "-lich-su.xlsx")
    with Ledger.open(ledger, read_only=True) as book:
        decisions, awards, ratings = book.decisions(), book.awards(), book.ratings()
    write_ledger_workbook(decisions, awards, ratings, target, force=force)
    out().print(Text(f"Đã xuất {len(decisions)} quyết định, {len(awards)} khen thưởng, "
                     f"{len(ratings)} xếp loại năm ra {target}.", style="bold green"))
