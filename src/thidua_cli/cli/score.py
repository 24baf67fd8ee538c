"""``thidua score``: the main job. Reads the quarter (or year) workbook(s) the departments sent,
scores every person, writes ``<stem>.ket-qua.xlsx`` and prints the summary."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

HELP = (
    "Chấm điểm, xếp loại và xếp hạng từ bảng điểm các khoa/phòng.\n\n"
    "Ghi kết quả ra <tên tệp>.ket-qua.xlsx bên cạnh tệp đầu vào và in bảng tóm tắt.\n\n"
    "Ví dụ: thidua score quy-4-2026.xlsx\n\n"
    "        thidua score bang-diem.xlsx --period 2026-Q4 --rules quy-che.toml -o ket-qua.xlsx"
)


def register(app: typer.Typer) -> None:
    app.command("score", help=HELP, no_args_is_help=True)(score)


def score(
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="TỆP",
            help="Tệp bảng điểm (.xlsx, .xlsm, .xls, .ods); có thể nhiều tệp.",
            show_default=False,
        ),
    ],
    rules: Annotated[
        Path | None,
        typer.Option("--rules", "-r", help="Tệp quy chế (TOML). Mặc định: quy chế tích hợp sẵn."),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period", "-p", help="Kỳ đánh giá: 2026-Q4 (quý), 2026 (năm), 2026-M03 (tháng)."
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o",
            help="Tệp kết quả. Mặc định: <tên tệp>.ket-qua.xlsx cạnh tệp đầu vào.",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", "-f", help="Ghi đè tệp kết quả nếu đã có.")
    ] = False,
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

    from thidua_cli import __version__, api
    from thidua_cli.cli import invocation
    from thidua_cli.cli.console import err, out, progress_printer
    from thidua_cli.core.period import parse_period_option
    from thidua_cli.errors import InvalidDataError
    from thidua_cli.model import RunInfo
    from thidua_cli.regulation import load_regulation

    started = datetime.now().astimezone()
    chosen = parse_period_option(period) if period else None
    regulation = load_regulation(rules)
    stderr = err()
    progress = progress_printer(stderr, quiet=json_out)

    from thidua_cli import report

    try:
        # Explanation steps are texts for --explain only: build them for that one person.
        dataset, result = api.score_files(
            files,
            regulation,
            period=chosen,
            progress=progress,
            explain_ids=() if explain is None else (explain.strip(),),
        )
    except InvalidDataError as exc:
        if exc.report is not None:
            report.print_findings(stderr, exc.report.errors, limit=50)
        raise

    if explain is not None:
        from thidua_cli.core.scoring import find_person

        report.print_explain(out(), find_person(result, explain))
        return

    run = RunInfo(
        tool_version=__version__,
        started_at=started,
        command=invocation.command_line(),
        inputs=tuple(dataset.inputs),
        regulation_source=regulation.source,
        regulation_sha256=regulation.sha256,
    )
    target = None
    if not no_output:
        from thidua_cli.io.atomic import refuse_input_as_output
        from thidua_cli.io.result_xlsx import write_score_workbook

        target = output or files[0].with_name(files[0].stem + ".ket-qua.xlsx")
        refuse_input_as_output(target, files)
        progress(f"Đang ghi {target}")
        write_score_workbook(result, run, target, force=force)

    if json_out:
        import json

        sys.stdout.write(json.dumps(report.score_json(result, run), ensure_ascii=False, indent=2))
        sys.stdout.write("\n")
    else:
        console = out()
        console.print(Text(f"Kỳ: {dataset.period.label if dataset.period else '?'} "
                           f"({dataset.period_source}); tiêu chí: {result.criteria_source}; "
                           f"quy chế: {regulation.source}"))
        report.print_score_summary(console, result)
        if target is not None:
            console.print(Text(f"Đã ghi kết quả: {target}", style="bold green"))
    if result.report.warnings:
        report.print_findings(stderr, result.report.warnings, limit=30)
