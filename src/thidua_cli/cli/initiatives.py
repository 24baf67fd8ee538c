"""``thidua initiatives``: the register of initiatives and research (sổ sáng kiến, đề tài) in
the ledger — import a workbook, list with filters, export with counts and a chart."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from thidua_cli.cli.framework import ViCommand, ViGroup
from thidua_cli.cli.ledger import LedgerOption

if TYPE_CHECKING:
    from thidua_cli.core.initiatives import Filter

HELP = (
    "Sổ sáng kiến, đề tài nghiên cứu khoa học (trong sổ lịch sử): nhập từ Excel, xem, xuất ra "
    "Excel kèm thống kê.\n\n"
    "Ví dụ: thidua initiatives import examples/sang-kien-2026.xlsx --period 2026 --staff "
    "examples/nam-2026/quy-1-2026.xlsx\n\n"
    "        thidua initiatives list --year 2026 --unused\n\n"
    "        thidua initiatives export -o sang-kien.xlsx"
)

initiatives_app = typer.Typer(
    cls=ViGroup, name="initiatives", help=HELP, no_args_is_help=True, add_completion=False,
    rich_markup_mode=None,
)
_DB = Path("thidua.db")


def register(app: typer.Typer) -> None:
    app.add_typer(initiatives_app, name="initiatives")


YearOption = Annotated[int | None, typer.Option(
    "--year", metavar="NĂM", help="Chỉ những sáng kiến dùng được cho năm này.", show_default=False)]
DepartmentOption = Annotated[str, typer.Option(
    "--department", metavar="KHOA", help="Chỉ một khoa/phòng.", show_default=False)]
LevelOption = Annotated[str, typer.Option(
    "--level", metavar="CẤP", help="Chỉ một cấp: co-so, nganh, tinh, toan-quoc.",
    show_default=False)]
UnusedOption = Annotated[bool, typer.Option(
    "--unused", help="Chỉ những sáng kiến còn tác giả chưa dùng làm căn cứ khen thưởng.")]


def _filter(year: int | None, department: str, level: str, unused: bool) -> Filter:
    from thidua_cli.core.initiatives import LEVEL_LABEL, Filter, parse_level
    from thidua_cli.errors import UsageError

    code = None
    if level:
        code = level if level in LEVEL_LABEL else parse_level(level)
        if code is None:
            raise UsageError(f"--level \"{level}\" không hợp lệ. Dùng co-so, nganh, tinh hoặc "
                             "toan-quoc.")
    return Filter(year=year, department=department.strip(), level=code, unused=unused)


@initiatives_app.command(
    "import",
    cls=ViCommand,
    help=("Nhập sổ sáng kiến, đề tài từ Excel (cột: Tên sáng kiến, Tác giả, Mã NV, Tỷ lệ đóng "
          "góp, Khoa/Phòng, Tổ công đoàn, Cấp công nhận, Số quyết định, Ngày quyết định, Cơ "
          "quan công nhận, Phạm vi ảnh hưởng, Giá trị làm lợi, Năm). Tất cả hoặc không gì cả.\n\n"
          "Ví dụ: thidua initiatives import examples/sang-kien-2026.xlsx --period 2026 --staff "
          "examples/nam-2026/quy-1-2026.xlsx"),
    no_args_is_help=True,
)
def import_(
    file: Annotated[Path, typer.Argument(
        readable=False, metavar="TỆP.xlsx", help="Tệp Excel sổ sáng kiến.", show_default=False)],
    ledger: LedgerOption = _DB,
    period: Annotated[str | None, typer.Option(
        "--period", metavar="KỲ", help="Kỳ của sổ (ví dụ 2026): ngày quyết định ngoài kỳ là lỗi.",
        show_default=False)] = None,
    staff: Annotated[Path | None, typer.Option(
        "--staff", readable=False, metavar="NHÂN_VIÊN.xlsx",
        help="Danh sách nhân viên (cột Mã NV, Họ và tên; bảng điểm cũng được) để kiểm tra tác giả.",
        show_default=False)] = None,
) -> None:
    from thidua_cli import report
    from thidua_cli.app import initiatives as app
    from thidua_cli.cli.console import err, out
    from thidua_cli.core.period import parse_period_option
    from thidua_cli.errors import InvalidDataError
    from thidua_cli.present.initiatives import print_imported

    chosen = parse_period_option(period) if period else None
    try:
        done = app.import_register(file, ledger=ledger, period=chosen, staff=staff)
    except InvalidDataError as exc:
        if exc.report is not None:  # the warnings too: an unknown author is worth fixing now
            report.print_findings(err(), [*exc.report.errors, *exc.report.warnings], limit=50)
        raise
    print_imported(out(), done, file, ledger)
    if done.report.warnings:
        report.print_findings(err(), done.report.warnings, limit=30)


@initiatives_app.command(
    "list",
    cls=ViCommand,
    help=("Xem sổ sáng kiến, đề tài, lọc theo năm, khoa/phòng, cấp, chưa dùng.\n\n"
          "Ví dụ: thidua initiatives list --year 2026 --department \"Khoa Nội\" --unused"),
)
def list_(
    ledger: LedgerOption = _DB,
    year: YearOption = None,
    department: DepartmentOption = "",
    level: LevelOption = "",
    unused: UnusedOption = False,
    json_out: Annotated[bool, typer.Option(
        "--json", help="In dạng JSON (schema thidua.initiatives/1).")] = False,
) -> None:
    from thidua_cli.app import initiatives as app
    from thidua_cli.cli.console import out
    from thidua_cli.present.initiatives import list_json_text, print_list

    listed = app.list_register(ledger=ledger, where=_filter(year, department, level, unused))
    if json_out:
        sys.stdout.write(list_json_text(listed))
        return
    print_list(out(), listed)


@initiatives_app.command(
    "export",
    cls=ViCommand,
    help=("Xuất sổ sáng kiến, đề tài ra Excel: sheet Sổ sáng kiến (đọc lại được bằng thidua "
          "initiatives import) và sheet Thống kê theo khoa/phòng, tổ công đoàn, năm, kèm biểu "
          "đồ.\n\nVí dụ: thidua initiatives export --year 2026 -o sang-kien.xlsx"),
)
def export(
    ledger: LedgerOption = _DB,
    year: YearOption = None,
    department: DepartmentOption = "",
    level: LevelOption = "",
    unused: UnusedOption = False,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", readable=False, metavar="TỆP.xlsx",
        help="Tệp Excel. Mặc định: <tên sổ>-sang-kien.xlsx cạnh sổ.")] = None,
    force: Annotated[bool, typer.Option("--force", "-f", help="Ghi đè tệp nếu đã có.")] = False,
) -> None:
    from thidua_cli.app import initiatives as app
    from thidua_cli.cli.console import out
    from thidua_cli.present.initiatives import print_exported

    print_exported(out(), app.export_register(
        ledger=ledger, where=_filter(year, department, level, unused), output=output, force=force))
