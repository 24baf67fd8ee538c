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


# --------------------------------------------------------------------------------------------
# thidua initiatives models: the register of exemplary models (điển hình tiên tiến)
# --------------------------------------------------------------------------------------------

MODELS_HELP = (
    "Sổ điển hình tiên tiến (trong sổ lịch sử): nhập từ Excel, ghi người được đề nghị khen "
    "thưởng làm điển hình, xem, báo cáo năm về điển hình và nhân rộng.\n\n"
    "Ví dụ: thidua initiatives models import examples/dien-hinh-2026.xlsx\n\n"
    "        thidua initiatives models mark examples/nam-2026/nam-2026.de-xuat.json BV0012 --model \"Cải tiến quy "
    "trình tiếp đón\"\n\n"
    "        thidua initiatives models report --year 2026"
)
models_app = typer.Typer(cls=ViGroup, name="models", help=MODELS_HELP, no_args_is_help=True,
                         add_completion=False, rich_markup_mode=None)
initiatives_app.add_typer(models_app, name="models")


@models_app.command(
    "import", cls=ViCommand, no_args_is_help=True,
    help=("Nhập điển hình tiên tiến từ Excel (cột: Năm, Đối tượng, Họ tên/Tập thể, Mã NV, "
          "Khoa/Phòng, Mô hình, Tiêu chí đạt, Nơi nhân rộng, Kết quả nhân rộng; mỗi dòng một điển "
          "hình hoặc một nơi nhân rộng). Tất cả hoặc không gì cả.\n\n"
          "Ví dụ: thidua initiatives models import examples/dien-hinh-2026.xlsx"),
)
def models_import(
    file: Annotated[Path, typer.Argument(
        readable=False, metavar="TỆP.xlsx", help="Tệp Excel điển hình tiên tiến.",
        show_default=False)],
    ledger: LedgerOption = _DB,
) -> None:
    from thidua_cli import report
    from thidua_cli.app import models as app
    from thidua_cli.cli.console import err, out
    from thidua_cli.errors import InvalidDataError
    from thidua_cli.present.initiatives import print_models_added

    try:
        done = app.import_models(file, ledger=ledger)
    except InvalidDataError as exc:
        if exc.report is not None:
            report.print_findings(err(), exc.report.errors, limit=50)
        raise
    print_models_added(out(), done, file, ledger)


@models_app.command(
    "mark", cls=ViCommand, no_args_is_help=True,
    help=("Ghi những người được đề nghị khen thưởng trong kết quả xét danh hiệu làm điển hình "
          "tiên tiến (tiêu chí đạt: các danh hiệu được đề nghị, nếu không ghi --criteria).\n\n"
          "Ví dụ: thidua initiatives models mark examples/nam-2026/nam-2026.de-xuat.json BV0012 BV0031 --model "
          "\"Cải tiến quy trình tiếp đón\""),
)
def models_mark(
    result: Annotated[Path, typer.Argument(
        readable=False, metavar="KẾT_QUẢ", help="Tệp .de-xuat.json do thidua awards tạo.",
        show_default=False)],
    staff_ids: Annotated[list[str], typer.Argument(
        metavar="MÃ_NV...", help="Mã NV của người được nêu gương.", show_default=False)],
    model: Annotated[str, typer.Option(
        "--model", metavar="MÔ_HÌNH", help="Mô hình, cách làm được nêu gương.",
        show_default=False)],
    criteria: Annotated[str, typer.Option(
        "--criteria", metavar="TIÊU_CHÍ", help="Tiêu chí đạt (mặc định: danh hiệu được đề nghị).",
        show_default=False)] = "",
    ledger: LedgerOption = _DB,
) -> None:
    from thidua_cli.app import models as app
    from thidua_cli.cli.console import out
    from thidua_cli.present.initiatives import print_models_added

    done = app.mark_models(result, staff_ids, model=model, criteria=criteria, ledger=ledger)
    print_models_added(out(), done, result, ledger)


@models_app.command(
    "list", cls=ViCommand,
    help="Xem sổ điển hình tiên tiến.\n\nVí dụ: thidua initiatives models list --year 2026",
)
def models_list(
    ledger: LedgerOption = _DB,
    year: Annotated[int | None, typer.Option(
        "--year", metavar="NĂM", help="Chỉ điển hình của năm này.", show_default=False)] = None,
    json_out: Annotated[bool, typer.Option(
        "--json", help="In dạng JSON (schema thidua.models/1).")] = False,
) -> None:
    from thidua_cli.app import models as app
    from thidua_cli.cli.console import out
    from thidua_cli.present.initiatives import models_json_text, print_models

    items = app.list_models(ledger=ledger, year=year)
    if json_out:
        sys.stdout.write(models_json_text(items))
        return
    print_models(out(), items)


@models_app.command(
    "report", cls=ViCommand, no_args_is_help=True,
    help=("Báo cáo năm về điển hình tiên tiến và nhân rộng ra Excel (sheet Điển hình tiên tiến: "
          "mỗi nơi nhân rộng một dòng; sheet Tổng hợp).\n\n"
          "Ví dụ: thidua initiatives models report --year 2026 -o bao-cao-dien-hinh-2026.xlsx"),
)
def models_report(
    year: Annotated[int, typer.Option(
        "--year", metavar="NĂM", help="Năm báo cáo.", show_default=False)],
    ledger: LedgerOption = _DB,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", readable=False, metavar="TỆP.xlsx",
        help="Tệp Excel. Mặc định: <tên sổ>-dien-hinh-<năm>.xlsx cạnh sổ.")] = None,
    force: Annotated[bool, typer.Option("--force", "-f", help="Ghi đè tệp nếu đã có.")] = False,
) -> None:
    from thidua_cli.app import models as app
    from thidua_cli.cli.console import out
    from thidua_cli.present.initiatives import print_models_report

    print_models_report(out(), app.report_models(ledger=ledger, year=year, output=output,
                                                 force=force))
