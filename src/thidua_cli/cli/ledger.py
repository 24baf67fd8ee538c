"""``thidua ledger``: the history ledger (sổ lịch sử) — record a year's decision, import past
decision lists from Excel, show a person's history, export everything to Excel."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from thidua_cli.cli.framework import ViCommand, ViGroup

HELP = (
    "Sổ lịch sử thi đua, khen thưởng (SQLite): ghi quyết định, nhập danh sách các năm trước, xem "
    "và xuất ra Excel.\n\n"
    "Ví dụ: thidua ledger record examples/nam-2026/nam-2026.de-xuat.xlsx --decision \"12/QĐ-BV\" "
    "--date 2026-12-20\n\n"
    "        thidua ledger import examples/lich-su-2024-2025.xlsx\n\n"
    "        thidua ledger show BV0012"
)

ledger_app = typer.Typer(
    cls=ViGroup,
    name="ledger", help=HELP, no_args_is_help=True, add_completion=False, rich_markup_mode=None
)

_LEDGER_HELP = "Tệp sổ lịch sử (SQLite). Mặc định: thidua.db trong thư mục hiện tại."
LedgerOption = Annotated[Path, typer.Option("--ledger", readable=False, metavar="SỔ.db", show_default=False, help=_LEDGER_HELP)]
_DB = Path("thidua.db")


def register(app: typer.Typer) -> None:
    app.add_typer(ledger_app, name="ledger")


@ledger_app.command(
    "record",
    cls=ViCommand,
    help=("Ghi vào sổ các khen thưởng Hội đồng đã quyết định trong kết quả của thidua awards "
          "(.de-xuat.xlsx hoặc .de-xuat.json), cùng xếp loại năm. Không ghi lại một quyết định "
          "đã có.\n\nVí dụ: thidua ledger record examples/nam-2026/nam-2026.de-xuat.xlsx "
          "--decision \"12/QĐ-BV\" "
          "--date 2026-12-20"),
    no_args_is_help=True,
)
def record(
    result: Annotated[Path, typer.Argument(
        readable=False,
        metavar="KẾT_QUẢ",
        help="Tệp kết quả .de-xuat.xlsx hoặc .de-xuat.json.", show_default=False)],
    decision: Annotated[str, typer.Option(
        "--decision", metavar="SỐ_QĐ", help="Số quyết định, ví dụ \"12/QĐ-BV\".", show_default=False)],
    date_text: Annotated[str, typer.Option(
        "--date", metavar="NGÀY", help="Ngày ký quyết định, ví dụ 2026-12-20.", show_default=False)],
    ledger: LedgerOption = _DB,
    proposed: Annotated[bool, typer.Option(
        "--proposed",
        help="Ghi cả danh sách đề nghị khi kết quả chưa có phiếu bầu (Hội đồng đã thông qua cả "
             "danh sách).")] = False,
) -> None:
    from rich.text import Text

    from thidua_cli.app import ledger as app
    from thidua_cli.app.options import parse_date
    from thidua_cli.cli.console import err, out
    from thidua_cli.present.ledger import print_recorded

    signed = parse_date(date_text, "--date")
    done = app.record(result, number=decision, signed_on=signed, ledger=ledger,
                      include_proposed=proposed)
    print_recorded(out(), done, ledger)
    stderr = err()
    for note in done.notes:
        stderr.print(Text(note))


@ledger_app.command(
    "import",
    cls=ViCommand,
    help=("Nhập danh sách khen thưởng, xếp loại các năm trước từ Excel (cột: Năm, Số quyết định, "
          "Ngày quyết định, Mã NV, Họ và tên, Khoa/Phòng, Danh hiệu, Xếp loại, Sáng kiến, Sáng "
          "kiến đã dùng). Tất cả hoặc không gì cả.\n\nVí dụ: thidua ledger import "
          "examples/lich-su-2024-2025.xlsx --ledger thidua.db"),
    no_args_is_help=True,
)
def import_(
    file: Annotated[Path, typer.Argument(
        readable=False,
        metavar="TỆP.xlsx",
        help="Tệp Excel danh sách khen thưởng các năm.", show_default=False)],
    ledger: LedgerOption = _DB,
) -> None:
    from thidua_cli import report
    from thidua_cli.app import ledger as app
    from thidua_cli.cli.console import err, out
    from thidua_cli.errors import InvalidDataError
    from thidua_cli.present.ledger import print_imported

    try:
        done = app.import_list(file, ledger=ledger)
    except InvalidDataError as exc:
        if exc.report is not None:
            report.print_findings(err(), exc.report.errors, limit=50)
        raise
    print_imported(out(), done, file, ledger)
    if done.report.warnings:
        report.print_findings(err(), done.report.warnings, limit=30)


@ledger_app.command(
    "show",
    cls=ViCommand,
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
    from thidua_cli.app import ledger as app
    from thidua_cli.cli.console import out
    from thidua_cli.present.ledger import person_json_text, print_person_history

    history = app.person(staff_id, ledger=ledger)
    if json_out:
        sys.stdout.write(person_json_text(history))
        return
    print_person_history(out(), history)


@ledger_app.command(
    "export",
    cls=ViCommand,
    help=("Xuất toàn bộ sổ lịch sử ra Excel (các sheet Khen thưởng, Xếp loại, Quyết định; đọc lại "
          "được bằng thidua ledger import).\n\nVí dụ: thidua ledger export -o so-lich-su.xlsx"),
)
def export(
    ledger: LedgerOption = _DB,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", readable=False, metavar="TỆP.xlsx", help="Tệp Excel. Mặc định: <tên sổ>-lich-su.xlsx cạnh sổ.")] = None,
    force: Annotated[bool, typer.Option("--force", "-f", help="Ghi đè tệp nếu đã có.")] = False,
) -> None:
    from thidua_cli.app import ledger as app
    from thidua_cli.cli.console import out
    from thidua_cli.present.ledger import print_exported

    print_exported(out(), app.export(ledger=ledger, output=output, force=force))
