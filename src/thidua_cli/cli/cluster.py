"""``thidua cluster``: the emulation cluster (khối thi đua) of hospitals — rank the members
from their self and cross-checked scores, propose the Cờ thi đua and Bằng khen with reasons,
check the leaders' share of the members' proposals; writes ``<year>.khoi.xlsx``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from thidua_cli.cli.framework import ViCommand

HELP = (
    "Khối thi đua: xếp hạng các đơn vị thành viên theo điểm tự chấm và điểm kiểm tra chéo, chỉ "
    "ra chênh lệch từng tiêu chí, đề nghị Cờ thi đua và Bằng khen (lý do đạt/không đạt), tỷ lệ "
    "lãnh đạo/người lao động trực tiếp trong đề nghị khen thưởng, Trưởng khối năm sau.\n\n"
    "Tệp đầu là tệp của khối (bảng điểm và danh sách thành viên); tiếp theo là bảng chấm của "
    "từng đơn vị (.xlsx) và tệp đề xuất khen thưởng của các đơn vị (.de-xuat.json). Ghi "
    "<năm>.khoi.xlsx và <năm>.khoi.json cạnh tệp của khối.\n\n"
    "Ví dụ: thidua cluster examples/khoi-2026/khoi-2026.xlsx examples/khoi-2026/cham/*.xlsx "
    "examples/khoi-2026/de-xuat/*.json --votes examples/khoi-2026/bieu-quyet.xlsx"
)


def register(app: typer.Typer) -> None:
    app.command("cluster", help=HELP, no_args_is_help=True, cls=ViCommand)(cluster)


def cluster(
    files: Annotated[list[Path], typer.Argument(
        readable=False, metavar="TỆP",
        help="Tệp của khối, rồi các bảng chấm của đơn vị (.xlsx) và tệp đề xuất (.de-xuat.json).",
        show_default=False,
    )],
    votes: Annotated[Path | None, typer.Option(
        "--votes", readable=False, metavar="BIỂU_QUYẾT.xlsx",
        help="Kết quả biểu quyết của Trưởng các đơn vị (Đơn vị, Danh hiệu, Số phiếu đồng ý).",
    )] = None,
    rules: Annotated[Path | None, typer.Option(
        "--rules", "-r", readable=False, metavar="QUY_CHẾ.toml",
        help="Tệp quy chế (TOML, mục [cluster]). Mặc định: quy chế tích hợp sẵn.")] = None,
    year: Annotated[int | None, typer.Option(
        "--year", min=2000, max=2100, metavar="NĂM",
        help="Năm thi đua, khi tên tệp của khối không ghi năm.")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", readable=False, metavar="TỆP.xlsx",
        help="Tệp Excel kết quả. Mặc định: <năm>.khoi.xlsx cạnh tệp của khối.")] = None,
    force: Annotated[bool, typer.Option("--force", "-f", help="Ghi đè tệp kết quả nếu đã có.")] = False,
    no_output: Annotated[bool, typer.Option(
        "--no-output", help="Không ghi tệp (chỉ in ra màn hình).")] = False,
    json_out: Annotated[bool, typer.Option(
        "--json", help="In kết quả JSON (schema thidua.cluster/1) thay cho bảng tóm tắt.")] = False,
) -> None:
    from rich.text import Text

    from thidua_cli import report
    from thidua_cli.app import cluster as app
    from thidua_cli.cli.console import err, out
    from thidua_cli.errors import InvalidDataError
    from thidua_cli.present import cluster as present

    book, *rest = files
    request = app.ClusterRequest(
        book=book,
        sheets=tuple(p for p in rest if p.suffix.lower() != ".json"),
        proposals=tuple(p for p in rest if p.suffix.lower() == ".json"),
        votes=votes, rules=rules, year=year, output=output, force=force, write=not no_output,
    )
    stderr = err()
    try:
        run = app.run(request)
    except InvalidDataError as exc:
        if exc.report is not None:
            report.print_findings(stderr, exc.report.errors, limit=50)
        raise
    if json_out:
        sys.stdout.write(present.cluster_json_text(run.outcome))
    else:
        console = out()
        present.print_cluster(console, run.outcome)
        if run.written is not None:
            console.print(Text(f"Đã ghi: {run.written} và {run.written.with_suffix('.json').name}",
                               style="bold green"))
    if run.warnings:
        report.print_findings(stderr, list(run.warnings), limit=30)
