"""``thidua publish``: public posting for comment — the Thông báo công khai with the comments
sheet, then the comments read back into the Biên bản tổng hợp ý kiến and the final list."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from thidua_cli.cli.framework import ViCommand, ViGroup

HELP = (
    "Công khai danh sách đề nghị khen thưởng để lấy ý kiến, rồi tổng hợp ý kiến (cá nhân đang "
    "bị khiếu nại, tố cáo, điều tra, xem xét kỷ luật được tạm dừng xét).\n\n"
    "Ví dụ: thidua publish notice examples/nam-2026/nam-2026.de-xuat.json --start 2027-02-01 "
    "--days 5\n\n"
    "        thidua publish comments examples/y-kien-2026.xlsx "
    "examples/nam-2026/nam-2026.de-xuat.json"
)

publish_app = typer.Typer(
    cls=ViGroup, name="publish", help=HELP, no_args_is_help=True, add_completion=False,
    rich_markup_mode=None,
)


def register(app: typer.Typer) -> None:
    app.add_typer(publish_app, name="publish")


ResultArg = Annotated[Path, typer.Argument(
    readable=False, metavar="KẾT_QUẢ", help="Kết quả thidua awards (.de-xuat.json hoặc .de-xuat.xlsx).",
    show_default=False)]
OutputOption = Annotated[Path | None, typer.Option(
    "--output", "-o", readable=False, metavar="THƯ_MỤC",
    help="Thư mục ghi văn bản. Mặc định: thư mục của tệp kết quả.")]
TemplatesOption = Annotated[Path | None, typer.Option(
    "--templates", readable=False, metavar="THƯ_MỤC",
    help="Thư mục mẫu của bệnh viện (thong-bao-cong-khai.docx, bien-ban-y-kien.docx).")]
ForceOption = Annotated[bool, typer.Option("--force", "-f", help="Ghi đè tệp nếu đã có.")]


@publish_app.command(
    "notice",
    cls=ViCommand,
    help=("In Thông báo công khai danh sách đề nghị khen thưởng (kết quả theo tiêu chí, ngày "
          "niêm yết, hạn nhận ý kiến tính theo ngày làm việc, không kể lễ, Tết) và sổ tiếp nhận "
          "ý kiến <tên>.y-kien.xlsx.\n\nVí dụ: thidua publish notice "
          "examples/nam-2026/nam-2026.de-xuat.json --start 2027-02-01 --days 5"),
    no_args_is_help=True,
)
def notice(
    result: ResultArg,
    start: Annotated[str, typer.Option(
        "--start", metavar="NGÀY", help="Ngày bắt đầu niêm yết, ví dụ 2027-02-01.",
        show_default=False)],
    days: Annotated[int | None, typer.Option(
        "--days", metavar="SỐ", help="Số ngày làm việc niêm yết để nhận ý kiến. Mặc định: "
        "publish.comment_days của quy chế (5).", show_default=False)] = None,
    rules: Annotated[Path | None, typer.Option(
        "--rules", "-r", readable=False, metavar="QUY_CHẾ.toml",
        help="Tệp quy chế (số ngày niêm yết, ngày nghỉ bù, làm bù của năm).",
        show_default=False)] = None,
    output: OutputOption = None,
    templates: TemplatesOption = None,
    force: ForceOption = False,
) -> None:
    from thidua_cli.app import publish as app
    from thidua_cli.app.options import parse_date
    from thidua_cli.cli.console import out
    from thidua_cli.present.publish import print_noticed

    print_noticed(out(), app.notice(result, start=parse_date(start, "--start"), days=days,
                                    rules=rules, output=output, templates=templates, force=force))


@publish_app.command(
    "comments",
    cls=ViCommand,
    help=("Đọc sổ tiếp nhận ý kiến đã điền: cá nhân có khiếu nại, tố cáo, điều tra, xem xét kỷ "
          "luật chưa giải quyết xong bị tạm dừng xét (NĐ 152/2025/NĐ-CP Điều 4.4); in Biên bản "
          "tổng hợp ý kiến và ghi danh sách cuối cùng <tên>-sau-cong-khai.de-xuat.json.\n\n"
          "Ví dụ: thidua publish comments examples/y-kien-2026.xlsx "
          "examples/nam-2026/nam-2026.de-xuat.json"),
    no_args_is_help=True,
)
def comments(
    sheet: Annotated[Path, typer.Argument(
        readable=False, metavar="Ý_KIẾN.xlsx", help="Sổ tiếp nhận ý kiến đã điền.",
        show_default=False)],
    result: ResultArg,
    date_text: Annotated[str | None, typer.Option(
        "--date", metavar="NGÀY", help="Ngày lập biên bản. Mặc định: hạn nhận ý kiến.",
        show_default=False)] = None,
    output: OutputOption = None,
    templates: TemplatesOption = None,
    force: ForceOption = False,
    ledger: Annotated[Path | None, typer.Option(
        "--ledger", readable=False, metavar="SỔ.db",
        help="Ghi danh sách tạm dừng xét vào sổ lịch sử: thidua awards --ledger giữ họ ở "
             "trạng thái chờ Hội đồng xét.", show_default=False)] = None,
) -> None:
    from thidua_cli import report
    from thidua_cli.app import publish as app
    from thidua_cli.app.options import parse_date
    from thidua_cli.cli.console import err, out
    from thidua_cli.errors import InvalidDataError
    from thidua_cli.present.publish import print_reviewed

    day = parse_date(date_text, "--date") if date_text else None
    try:
        done = app.comments(sheet, result, day=day, output=output, templates=templates, force=force,
                            ledger=ledger)
    except InvalidDataError as exc:
        if exc.report is not None:
            report.print_findings(err(), exc.report.errors, limit=50)
        raise
    print_reviewed(out(), done)
    if done.report.warnings:
        report.print_findings(err(), done.report.warnings, limit=30)
