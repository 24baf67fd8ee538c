"""``thidua score``: the main job. Reads the quarter (or year) workbook(s) the departments sent,
scores every person, writes ``<stem>.ket-qua.xlsx`` and prints the summary."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from thidua_cli.cli.framework import ViCommand

HELP = (
    "Chấm điểm, xếp loại và xếp hạng từ bảng điểm các khoa/phòng.\n\n"
    "Ghi kết quả ra <tên tệp>.ket-qua.xlsx bên cạnh tệp đầu vào và in bảng tóm tắt.\n\n"
    "Ví dụ: thidua score examples/quy-4-2026.xlsx\n\n"
    "        thidua score examples/nop-ve/khoa-duoc.xlsx --period 2026-Q4 "
    "--rules examples/quy-che.toml -o ket-qua.xlsx"
)


def register(app: typer.Typer) -> None:
    app.command("score", help=HELP, no_args_is_help=True, cls=ViCommand)(score)


def score(
    files: Annotated[
        list[Path],
        typer.Argument(
            readable=False,
            metavar="TỆP.xlsx",
            help="Tệp bảng điểm (.xlsx, .xlsm, .xls, .ods) hoặc thư mục; có thể nhiều tệp. "
            "Bỏ qua tệp khoá ~$….xlsx và tệp kết quả của thidua.",
            show_default=False,
        ),
    ],
    rules: Annotated[
        Path | None,
        typer.Option("--rules", "-r", readable=False, metavar="QUY_CHẾ.toml", help="Tệp quy chế (TOML). Mặc định: quy chế tích hợp sẵn."),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period", "-p", metavar="KỲ", help="Kỳ đánh giá: 2026-Q4 (quý), 2026 (năm), 2026-M03 (tháng)."
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o",
            readable=False,
            metavar="TỆP.xlsx",
            help="Tệp kết quả. Mặc định: <tên tệp>.ket-qua.xlsx cạnh tệp đầu vào; nhiều tệp: "
                 "<kỳ>.ket-qua.xlsx (hoặc <thư mục>.ket-qua.xlsx) trong thư mục của chúng.",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", "-f", help="Ghi đè tệp kết quả nếu đã có.")
    ] = False,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Không hiện dòng tiến độ trên stderr (tự tắt khi không phải cửa sổ "
        "dòng lệnh).")] = False,
    json_out: Annotated[
        bool,
        typer.Option(
            "--json", help="In kết quả dạng JSON (schema thidua.score/1) thay cho bảng tóm tắt."
        ),
    ] = False,
    no_output: Annotated[
        bool,
        typer.Option("--no-output", help="Không ghi tệp Excel kết quả (chỉ in ra màn hình)."),
    ] = False,
    kpi: Annotated[
        Path | None,
        typer.Option(
            "--kpi",
            readable=False,
            metavar="TỆP_KPI.xlsx",
            help="Bảng chỉ số KPI (xem thidua kpi): điểm KPI của từng người điền tiêu chí KPI "
            "(mục [kpi] của quy chế: score_mode, score_criterion).",
        ),
    ] = None,
    explain: Annotated[
        str | None,
        typer.Option(
            "--explain",
            metavar="MÃ_NV",
            help="Giải thích cách tính điểm và xếp loại của một người.",
        ),
    ] = None,
) -> None:
    from datetime import datetime

    from rich.text import Text

    from thidua_cli.app.score import ScoreOptions
    from thidua_cli.app.score import score as run_score
    from thidua_cli.cli import invocation
    from thidua_cli.cli.console import err, out, progress_bar
    from thidua_cli.core.period import parse_period_option
    from thidua_cli.errors import InvalidDataError, ThiduaError
    from thidua_cli.present import score as present
    from thidua_cli.regulation import load_regulation
    from thidua_cli.report import print_findings

    stderr = err()

    def refused(exc: ThiduaError) -> None:
        # With --json the data still goes to stdout; the workbook's refusal goes to stderr
        # and sets the exit code (issue 13: `score X --json > k.json` left k.json empty).
        stderr.print(Text("Lỗi: ", style="bold red") + Text(exc.message + " Vẫn in JSON; "
                                                            "không ghi tệp Excel."))

    options = ScoreOptions(
        output=output, write=not no_output, force=force, explain=explain,
        command=invocation.command_line(), started_at=datetime.now().astimezone(),
        on_refused=refused if json_out else None, kpi=kpi,
    )
    chosen = parse_period_option(period) if period else None
    regulation = load_regulation(rules)
    try:
        with progress_bar(stderr, quiet=json_out or quiet) as progress:
            outcome = run_score(files, regulation, period=chosen, options=options,
                                progress=progress)
    except InvalidDataError as exc:
        if exc.report is not None:
            print_findings(stderr, exc.report.errors, limit=50)
        raise

    for path in outcome.skipped:
        stderr.print(Text(f"Bỏ qua {path}: tệp khoá của Excel/LibreOffice, tệp ẩn hoặc tệp kết "
                          "quả của thidua.", style="dim"))
    if outcome.explained is not None:
        present.print_explain(out(), outcome.explained)
        return
    if json_out:
        present.write_json(sys.stdout, outcome)
    else:
        present.print_outcome(out(), outcome)
    if outcome.result.report.warnings:
        print_findings(stderr, outcome.result.report.warnings, limit=30)
    if outcome.refused is not None:
        raise typer.Exit(int(outcome.refused.exit_code))
