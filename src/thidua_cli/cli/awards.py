"""``thidua awards``: the year's titles, commendations, quotas and reward money, with the reason
for every yes and no; writes ``<stem>.de-xuat.xlsx`` and ``<stem>.de-xuat.json``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

_DB = Path("thidua.db")

HELP = (
    "Xét danh hiệu thi đua và khen thưởng cả năm: xếp loại năm, Lao động tiên tiến, Chiến sĩ thi "
    "đua cơ sở, Giấy khen, tập thể, đề nghị cấp trên, tiền thưởng; lý do đạt/không đạt của từng "
    "người.\n\n"
    "Ghi <năm>.de-xuat.xlsx và <năm>.de-xuat.json bên cạnh bảng điểm.\n\n"
    "Ví dụ: thidua awards nam-2026/quy-*.xlsx --ledger thidua.db --votes phieu-bau.xlsx "
    "--decision-date 2026-12-20\n\n"
    "        thidua awards nam-2026/quy-*.xlsx --set cap.rate=0.25 --compare"
)


def register(app: typer.Typer) -> None:
    app.command("awards", help=HELP, no_args_is_help=True)(awards)


def awards(
    files: Annotated[list[Path], typer.Argument(
        help="Bảng điểm bốn quý (quy-1-2026.xlsx … quy-4-2026.xlsx) hoặc kết quả "
        "`thidua score --json` của các quý (quy-1.json …), hoặc một bảng điểm năm.",
        show_default=False,
    )],
    rules: Annotated[Path | None, typer.Option(
        "--rules", "-r", help="Tệp quy chế (TOML). Mặc định: quy chế tích hợp sẵn.")] = None,
    ledger: Annotated[Path, typer.Option(
        "--ledger", help="Sổ lịch sử (SQLite) cho các khen thưởng cần nhiều năm.")] = _DB,
    votes: Annotated[Path | None, typer.Option(
        "--votes", help="Tệp kết quả bỏ phiếu của Hội đồng (Mã NV, Danh hiệu, Số phiếu đồng ý).",
    )] = None,
    council_size: Annotated[int | None, typer.Option(
        "--council-size", min=1,
        help="Tổng số thành viên Hội đồng (nếu tệp phiếu bầu không ghi).")] = None,
    decision_date: Annotated[str | None, typer.Option(
        "--decision-date",
        help="Ngày ký quyết định (2026-12-20): chọn bộ quy tắc và lương cơ sở.")] = None,
    year: Annotated[str | None, typer.Option(
        "--year", help="Năm thi đua, khi tên tệp không ghi năm.")] = None,
    sets: Annotated[list[str] | None, typer.Option(
        "--set", metavar="KHOÁ=GIÁ_TRỊ",
        help="Thử đổi một giá trị của quy chế, ví dụ --set cap.rate=0.25 (dùng nhiều lần được).",
    )] = None,
    compare: Annotated[bool, typer.Option(
        "--compare",
        help="Cùng với --set: chỉ so sánh ai được thêm / mất danh hiệu, không ghi tệp.")] = False,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o",
        help="Tệp Excel đề xuất. Mặc định: <năm>.de-xuat.xlsx cạnh bảng điểm.")] = None,
    force: Annotated[bool, typer.Option(
        "--force", "-f", help="Ghi đè tệp đề xuất nếu đã có.")] = False,
    json_out: Annotated[bool, typer.Option(
        "--json", help="In kết quả JSON (schema thidua.awards/1) thay cho bảng tóm tắt.")] = False,
    no_output: Annotated[bool, typer.Option(
        "--no-output", help="Không ghi tệp (chỉ in ra màn hình).")] = False,
) -> None:
    import json
    import tomllib
    from datetime import datetime

    from rich.text import Text

    from thidua_cli import __version__, awards_run, report
    from thidua_cli.awards_report import print_awards_summary, print_compare
    from thidua_cli.cli import invocation
    from thidua_cli.cli.console import err, out, progress_printer
    from thidua_cli.errors import InvalidDataError, UsageError
    from thidua_cli.regulation import (
        default_regulation,
        default_toml_text,
        read_rules,
        regulation_from_rules,
    )

    started = datetime.now().astimezone()
    stderr = err()
    progress = progress_printer(stderr, quiet=json_out)

    sets = list(sets or [])
    if compare and not sets:
        raise UsageError("--compare cần ít nhất một --set KHOÁ=GIÁ_TRỊ để so sánh.")
    when = awards_run.parse_date(decision_date, "--decision-date") if decision_date else None
    year_number = awards_run.period_option(year)
    parsed_sets = awards_run.parse_sets(sets, tomllib.loads(default_toml_text()))
    rules_file = read_rules(rules) if rules is not None else None  # read once, --set included
    regulation = regulation_from_rules(rules_file) if rules_file else default_regulation()
    what_if = awards_run.regulation_with(rules_file, parsed_sets) if parsed_sets else None

    paths, skipped = awards_run.input_files(files)
    for s in skipped:
        stderr.print(Text(f"Bỏ qua {s}: đây là tệp kết quả của thidua, không phải bảng điểm.",
                          style="dim"))
    vote_data = None
    if votes is not None:
        from thidua_cli.io.awards_io import read_votes

        vote_data, vote_report = read_votes(
            votes, members_setting=regulation.council.members,
            members_option=council_size)
        if not vote_report.valid:
            report.print_findings(stderr, vote_report.errors, limit=50)
            raise InvalidDataError(
                f"Tệp phiếu bầu {votes} có {len(vote_report.errors)} lỗi (xem danh sách trên).",
                vote_report)

    try:
        books = awards_run.load_workbooks(paths, progress)
        year_result = awards_run.read_year(books, what_if or regulation, year_option=year_number,
                                           progress=progress)
        if compare:
            plain_year = awards_run.read_year(books, regulation, year_option=year_number)
            plain = awards_run.run_awards(plain_year, regulation, history_path=ledger,
                                          votes=vote_data, decision_date=when,
                                          tool_version=__version__)
        run = awards_run.run_awards(year_result, what_if or regulation, history_path=ledger,
                                    votes=vote_data, decision_date=when, tool_version=__version__)
    except InvalidDataError as exc:
        if exc.report is not None:
            report.print_findings(stderr, exc.report.errors, limit=50)
        raise

    if compare:
        changes = awards_run.compare(plain.data, run.data)
        if json_out:
            payload = {"schema": "thidua.awards-compare/1", "set": sets,
                       "changes": [c.__dict__ for c in changes]}
            sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        else:
            print_compare(out(), changes, sets)
        return

    data = run.data
    target = None
    if not no_output:
        from thidua_cli.errors import OutputExistsError
        from thidua_cli.io.atomic import write_atomic
        from thidua_cli.io.awards_xlsx import write_awards_workbook

        target = output or default_output(paths, run.result.year)
        json_target = target.with_name(_strip_xlsx(target.name) + ".json")
        for t in (target, json_target):
            if t.exists() and not force:
                raise OutputExistsError(
                    f"Tệp {t} đã có; chưa ghi đè. Hãy đổi tên tệp đầu ra (-o), hoặc dùng --force "
                    "để ghi đè.")
        reg = what_if or regulation
        log = {
            "started_at": started.isoformat(timespec="seconds"),
            "command": invocation.command_line(),
            "regulation_source": reg.source,
            "regulation_sha256": reg.sha256,
            "overrides": list(sets),
            "ledger": str(ledger) if run.ledger_state else "",
            "ledger_state": run.ledger_state or {},
            "votes": str(votes) if votes else "",
            "inputs": [{"path": i.path, "sha256": i.sha256, "format": i.format} for i in run.inputs],
        }
        progress(f"Đang ghi {target}")
        write_awards_workbook(data, log, target, force=force)
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        write_atomic(json_target, text.encode("utf-8"), force=force)

    if json_out:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        console = out()
        print_awards_summary(console, data)
        if target is not None:
            console.print(Text(f"Đã ghi: {target} và {json_target.name}", style="bold green"))
    if run.result.warnings:
        report.print_findings(stderr, list(run.result.warnings), limit=30)


def _strip_xlsx(name: str) -> str:
    return name[:-5] if name.lower().endswith(".xlsx") else name


def default_output(paths: list[Path], year: int) -> Path:
    """``nam-2026.de-xuat.xlsx`` in the inputs' folder for quarter files; ``<stem>.de-xuat.xlsx``
    beside a single year workbook."""
    from thidua_cli.core.period import find_period
    from thidua_cli.model import PeriodKind

    first = paths[0]
    if len(paths) == 1:
        period = find_period(first.name)
        if period is None or period.kind is PeriodKind.YEAR:
            return first.with_name(first.stem + ".de-xuat.xlsx")
    return first.with_name(f"nam-{year}.de-xuat.xlsx")
