"""``thidua collect``: gather the returned forms, track who submitted, validate, and write the
merged workbook ``score`` reads. A thin adapter over
:func:`thidua_cli.app.collect.collect_folder` (present: ``present/collect.py``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from thidua_cli.cli.framework import ViCommand

HELP = (
    "Thu biểu mẫu các khoa/phòng gửi về: nhận ra khoa/phòng và kỳ của từng tệp, giữ bản lưu sau "
    "cùng, kiểm tra như thidua validate, in bảng theo dõi (đã nộp, chưa nộp, lỗi, cần gọi lại) "
    "và ghi bảng tổng hợp để chấm điểm.\n\n"
    "Mã thoát: 0 không có lỗi, 1 có khoa/phòng có lỗi, 4 có tệp không đọc được.\n\n"
    "Ví dụ: thidua collect examples/nop-ve\n\n"
    "        thidua collect examples/nop-ve --expect examples/danh-sach-khoa.xlsx --annotate --json"
)


def register(app: typer.Typer) -> None:
    app.command("collect", help=HELP, no_args_is_help=True, cls=ViCommand)(collect)


def collect(
    folder: Annotated[Path, typer.Argument(
        readable=False, metavar="THƯ_MỤC", show_default=False,
        help="Thư mục chứa các tệp khoa/phòng gửi về (mọi tên tệp, .xlsx/.xls/.ods).",
    )],
    period: Annotated[str | None, typer.Option(
        "--period", "-p", metavar="KỲ",
        help="Kỳ đánh giá (2026-Q4). Mặc định: kỳ ghi trong biểu mẫu.",
    )] = None,
    rules: Annotated[Path | None, typer.Option(
        "--rules", "-r", readable=False, metavar="QUY_CHẾ.toml",
        help="Tệp quy chế (TOML). Mặc định: quy chế tích hợp sẵn.",
    )] = None,
    expect: Annotated[Path | None, typer.Option(
        "--expect", "-e", readable=False, metavar="DANH_SÁCH",
        help="Danh sách khoa/phòng phải nộp (.xlsx có cột \"Khoa/Phòng\", hoặc .txt). Là danh "
        "sách nhân sự thì tệp không ghi khoa/phòng được nhận ra theo mã NV, họ tên trong tệp. "
        "Mặc định: danh sách trong quy chế.",
    )] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", readable=False, metavar="TỆP.xlsx",
        help="Bảng tổng hợp. Mặc định: tong-hop-<kỳ>.xlsx cạnh thư mục.",
    )] = None,
    no_output: Annotated[bool, typer.Option(
        "--no-output", help="Không ghi bảng tổng hợp (chỉ theo dõi và kiểm tra).")] = False,
    annotate: Annotated[bool, typer.Option(
        "--annotate", "-a", help="Ghi bản đánh dấu lỗi <tên tệp>.kiem-tra.xlsx để gửi lại khoa.",
    )] = False,
    force: Annotated[bool, typer.Option(
        "--force", "-f", help="Ghi đè bảng tổng hợp và bản đánh dấu nếu đã có.")] = False,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Không hiện dòng tiến độ trên stderr.")] = False,
    json_out: Annotated[bool, typer.Option(
        "--json", help="In kết quả dạng JSON (schema thidua.collect/1).")] = False,
) -> None:
    from thidua_cli.app.collect import collect_folder
    from thidua_cli.cli.console import err, out, progress_bar
    from thidua_cli.core.period import parse_period_option
    from thidua_cli.errors import UsageError
    from thidua_cli.present.collect import print_result, result_json
    from thidua_cli.regulation import load_regulation

    if not folder.is_dir():
        raise UsageError(f"\"{folder}\" không phải một thư mục. Hãy chép các tệp khoa/phòng gửi "
                         "về vào một thư mục, ví dụ: thidua collect nop-ve/")
    chosen = parse_period_option(period) if period else None
    regulation = load_regulation(rules)
    with progress_bar(err(), quiet=json_out or quiet) as progress:
        result = collect_folder(folder, regulation, period=chosen, expect=expect, output=output,
                                write=not no_output, annotate=annotate, force=force,
                                progress=progress)
    if json_out:
        import json

        sys.stdout.write(json.dumps(result_json(result, regulation), ensure_ascii=False, indent=2))
        sys.stdout.write("\n")
    else:
        print_result(out(), result, regulation)
    if result.exit_code:
        raise typer.Exit(result.exit_code)
