"""``thidua awards``: the year's titles, commendations, quotas and reward money, with the reason
for every yes and no; writes ``<stem>.de-xuat.xlsx`` and ``<stem>.de-xuat.json``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from thidua_cli.cli.framework import ViCommand

_DB = Path("thidua.db")

HELP = (
    "Xét danh hiệu thi đua và khen thưởng cả năm: xếp loại năm, Lao động tiên tiến, Chiến sĩ thi "
    "đua cơ sở, Giấy khen, tập thể, đề nghị cấp trên, tiền thưởng; lý do đạt/không đạt của từng "
    "người.\n\n"
    "Ghi <năm>.de-xuat.xlsx và <năm>.de-xuat.json bên cạnh bảng điểm.\n\n"
    "Ví dụ: thidua awards examples/nam-2026/quy-*.xlsx --ledger examples/thidua.db "
    "--votes examples/phieu-bau-2026.xlsx "
    "--decision-date 2026-12-20\n\n"
    "        thidua awards examples/nam-2026/quy-*.xlsx --set cap.rate=0.25 --compare"
)


def register(app: typer.Typer) -> None:
    app.command("awards", help=HELP, no_args_is_help=True, cls=ViCommand)(awards)


def awards(
    files: Annotated[list[Path], typer.Argument(
        readable=False,
        metavar="TỆP.xlsx",
        help="Bảng điểm bốn quý (quy-1-2026.xlsx … quy-4-2026.xlsx) hoặc kết quả "
        "`thidua score --json` của các quý (quy-1.json …), hoặc một bảng điểm năm.",
        show_default=False,
    )],
    rules: Annotated[Path | None, typer.Option(
        "--rules", "-r", readable=False, metavar="QUY_CHẾ.toml", help="Tệp quy chế (TOML). Mặc định: quy chế tích hợp sẵn.")] = None,
    ledger: Annotated[Path, typer.Option(
        "--ledger", readable=False, metavar="SỔ.db", show_default=False, help="Sổ lịch sử (SQLite) cho các khen thưởng cần nhiều năm.")] = _DB,
    votes: Annotated[Path | None, typer.Option(
        "--votes", readable=False, metavar="PHIẾU_BẦU.xlsx", help="Tệp kết quả bỏ phiếu của Hội đồng (Mã NV, Danh hiệu, Số phiếu đồng ý).",
    )] = None,
    council_size: Annotated[int | None, typer.Option(
        "--council-size", min=1, metavar="SỐ",
        help="Tổng số thành viên Hội đồng (nếu tệp phiếu bầu không ghi).")] = None,
    decision_date: Annotated[str | None, typer.Option(
        "--decision-date", metavar="NGÀY",
        help="Ngày ký quyết định (2026-12-20): chọn bộ quy tắc và lương cơ sở.")] = None,
    year: Annotated[str | None, typer.Option(
        "--year", metavar="NĂM", help="Năm thi đua, khi tên tệp không ghi năm.")] = None,
    sets: Annotated[list[str] | None, typer.Option(
        "--set", metavar="KHOÁ=GIÁ_TRỊ",
        help="Thử đổi một giá trị của quy chế, ví dụ --set cap.rate=0.25 (dùng nhiều lần được).",
    )] = None,
    compare: Annotated[bool, typer.Option(
        "--compare",
        help="Cùng với --set: chỉ so sánh ai được thêm / mất danh hiệu, không ghi tệp.")] = False,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o",
        readable=False,
        metavar="TỆP.xlsx",
        help="Tệp Excel đề xuất. Mặc định: <năm>.de-xuat.xlsx cạnh bảng điểm.")] = None,
    force: Annotated[bool, typer.Option(
        "--force", "-f", help="Ghi đè tệp đề xuất nếu đã có.")] = False,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Không hiện dòng tiến độ trên stderr (tự tắt khi không phải cửa sổ "
        "dòng lệnh).")] = False,
    json_out: Annotated[bool, typer.Option(
        "--json", help="In kết quả JSON (schema thidua.awards/2) thay cho bảng tóm tắt.")] = False,
    no_output: Annotated[bool, typer.Option(
        "--no-output", help="Không ghi tệp (chỉ in ra màn hình).")] = False,
    explain: Annotated[str | None, typer.Option(
        "--explain", metavar="MÃ_NV",
        help="Giải thích từng bước, kèm căn cứ, xếp loại năm, từng danh hiệu và tiền thưởng "
        "của một người (không ghi tệp).")] = None,
) -> None:
    from datetime import datetime

    from rich.text import Text

    from thidua_cli import __version__, report
    from thidua_cli.app import awards as app
    from thidua_cli.app.options import parse_date
    from thidua_cli.cli import invocation
    from thidua_cli.cli.console import err, out, progress_bar
    from thidua_cli.errors import InvalidDataError
    from thidua_cli.present import awards as present

    started = datetime.now().astimezone()
    stderr = err()
    when = parse_date(decision_date, "--decision-date") if decision_date else None
    request = app.AwardsRequest(
        files=files, rules=rules, ledger=ledger, votes=votes, council_size=council_size,
        decision_date=when, year=app.period_option(year), sets=tuple(sets or ()),
        compare=compare, output=output, force=force, write=not no_output,
        tool_version=__version__, command=invocation.command_line(),
        started_at=started.isoformat(timespec="seconds"), explain=explain,
    )
    try:
        with progress_bar(stderr, quiet=json_out or quiet) as progress:
            run = app.run(request, progress=progress,
                          note=lambda text: stderr.print(Text(text, style="dim")))
    except InvalidDataError as exc:
        if exc.report is not None:
            report.print_findings(stderr, exc.report.errors, limit=50)
        raise

    if run.changes is not None:
        if json_out:
            sys.stdout.write(present.compare_json_text(run.changes, request.sets))
        else:
            present.print_compare(out(), run.changes, request.sets)
        return
    if run.explained is not None:
        present.print_awards_explain(out(), run.explained)
        return
    if json_out:
        sys.stdout.write(present.awards_json_text(run.outcome))
    else:
        console = out()
        present.print_awards_summary(console, run.outcome)
        if run.written is not None:
            target, json_target = run.written
            console.print(Text(f"Đã ghi: {target} và {json_target.name}", style="bold green"))
    if run.warnings:
        report.print_findings(stderr, list(run.warnings), limit=30)
