"""``thidua validate``: check the department files the moment they arrive, and hand back a
marked copy. A thin adapter: parse the options, call
:func:`thidua_cli.app.validate.validate_paths`, present (``present/validate.py``), exit."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from thidua_cli.cli.framework import ViCommand

HELP = (
    "Kiểm tra từng ô của bảng điểm các khoa/phòng gửi về; có thể ghi bản đánh dấu lỗi để gửi "
    "lại khoa.\n\n"
    "Nhận tệp hoặc thư mục (đọc mọi bảng tính trong thư mục, kể cả thư mục con). Mã thoát: 0 "
    "không có lỗi (có thể có cảnh báo), 1 có lỗi, 4 có tệp không đọc được.\n\n"
    "Ví dụ: thidua validate examples/nop-ve/\n\n"
    "        thidua validate examples/nop-ve/ --annotate --expect examples/danh-sach-khoa.xlsx\n\n"
    "        thidua validate examples/nop-ve/khoa-noi-tong-hop.xlsx --json"
)


def register(app: typer.Typer) -> None:
    app.command("validate", help=HELP, no_args_is_help=True, cls=ViCommand)(validate)


def validate(
    paths: Annotated[list[Path], typer.Argument(
        readable=False,
        help="Tệp bảng điểm hoặc thư mục chứa các tệp khoa/phòng gửi về.", show_default=False,
        metavar="TỆP_HOẶC_THƯ_MỤC...",
    )],
    rules: Annotated[Path | None, typer.Option(
        "--rules", "-r", readable=False, metavar="QUY_CHẾ.toml", help="Tệp quy chế (TOML). Mặc định: quy chế tích hợp sẵn.",
    )] = None,
    period: Annotated[str | None, typer.Option(
        "--period", "-p", metavar="KỲ",
        help="Kỳ đánh giá (2026-Q4, 2026, 2026-M03) để so cột Xếp loại. Mặc định: lấy từ tên "
        "tệp hoặc dòng tiêu đề.",
    )] = None,
    expect: Annotated[Path | None, typer.Option(
        "--expect", "-e", readable=False, metavar="DANH_SÁCH",
        help="Danh sách khoa/phòng phải nộp (.xlsx có cột \"Khoa/Phòng\", hoặc .txt mỗi dòng một "
        "tên). Mặc định: danh sách trong quy chế.",
    )] = None,
    annotate: Annotated[bool, typer.Option(
        "--annotate", "-a",
        help="Ghi bản đánh dấu <tên tệp>.kiem-tra.xlsx cạnh mỗi tệp: ô lỗi tô đỏ, ô cảnh báo "
        "tô vàng, có ghi chú; sheet đầu \"Kết quả kiểm tra\" liệt kê mọi lỗi.",
    )] = False,
    force: Annotated[bool, typer.Option(
        "--force", "-f", help="Ghi đè bản đánh dấu nếu đã có.",
    )] = False,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Không hiện dòng tiến độ trên stderr (tự tắt khi không phải cửa sổ "
        "dòng lệnh).")] = False,
    json_out: Annotated[bool, typer.Option(
        "--json", help="In kết quả dạng JSON (schema thidua.validate/1).",
    )] = False,
) -> None:
    from thidua_cli.app.validate import validate_paths
    from thidua_cli.cli.console import err, out, progress_bar
    from thidua_cli.core.period import parse_period_option
    from thidua_cli.present.validate import print_result, result_json
    from thidua_cli.regulation import load_regulation

    chosen = parse_period_option(period) if period else None
    regulation = load_regulation(rules)
    stderr = err()
    with progress_bar(stderr, quiet=json_out or quiet) as progress:
        result = validate_paths(paths, regulation, period=chosen, expect=expect,
                                annotate=annotate, force=force, progress=progress)
    if json_out:
        import json

        sys.stdout.write(json.dumps(result_json(result, regulation), ensure_ascii=False,
                                    indent=2))
        sys.stdout.write("\n")
    else:
        print_result(out(), result, regulation, annotate_asked=annotate)
    if result.exit_code:
        raise typer.Exit(result.exit_code)


