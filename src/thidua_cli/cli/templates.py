"""``thidua templates``: export the default document templates, check an edited one."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from thidua_cli.cli.framework import ViCommand, ViGroup

templates_app = typer.Typer(
    cls=ViGroup,
    name="templates",
    help=(
        "Mẫu văn bản (Word .docx, hoặc .md/.html) của thidua render.\n\n"
        "Ví dụ: thidua templates export mau-van-ban\n\n"
        "        thidua templates check mau-van-ban/quyet-dinh.docx"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def register(app: typer.Typer) -> None:
    app.add_typer(templates_app, name="templates")


@templates_app.command(
    "export",
    cls=ViCommand,
    help=(
        "Chép các mẫu mặc định vào THƯ_MỤC để sửa bằng Word; dùng lại bằng "
        "thidua render … --templates THƯ_MỤC (hoặc khoá documents.templates của quy chế).\n\n"
        "Ví dụ: thidua templates export mau-van-ban"
    ),
    no_args_is_help=True,
)
def export(
    folder: Annotated[Path, typer.Argument(readable=False, metavar="THƯ_MỤC", help="Thư mục đích (tạo nếu chưa có).",
                                           show_default=False)],
    force: Annotated[bool, typer.Option("--force", "-f", help="Ghi đè mẫu đã có trong thư mục.")] = False,
) -> None:
    from thidua_cli.app import templates as app
    from thidua_cli.cli.console import err, out
    from thidua_cli.io.outputs import Protected, guard
    from thidua_cli.present.templates import print_exported
    from thidua_cli.render import default_template_names

    # The one output rule (io/outputs.guard) before anything is copied: no link, nothing of
    # another kind replaced even with --force.
    guard([folder / name for name in default_template_names()], Protected(), force=force,
          other="thư mục khác")
    print_exported(out(), err(), folder, app.export(folder, force=force))


@templates_app.command(
    "check",
    cls=ViCommand,
    help=(
        "Kiểm tra một mẫu: cú pháp Jinja, các biến mẫu dùng mà dữ liệu không có, các thẻ bị Word "
        "tách ra nhiều đoạn định dạng; kèm cách sửa. Mã thoát 5 khi mẫu có lỗi.\n\n"
        "Ví dụ: thidua templates check mau-van-ban/quyet-dinh.docx "
        "--from examples/nam-2026/nam-2026.de-xuat.json"
    ),
    no_args_is_help=True,
)
def check(
    file: Annotated[Path, typer.Argument(readable=False, metavar="TỆP_MẪU", help="Tệp mẫu .docx, .md hoặc .html.",
                                         show_default=False)],
    source: Annotated[Path | None, typer.Option(
        "--from", "-i", readable=False, metavar="KẾT_QUẢ",
        help="Kiểm tra với kết quả xét danh hiệu này. Mặc định: một kết quả mẫu đủ mọi mục.",
    )] = None,
    kind: Annotated[str | None, typer.Option(
        "--kind", "-k", metavar="LOẠI",
        help="Loại văn bản của mẫu (mặc định: theo tên tệp, ví dụ quyet-dinh.docx → quyet-dinh).",
    )] = None,
) -> None:
    from thidua_cli.app import templates as app
    from thidua_cli.cli.console import err, out
    from thidua_cli.errors import ExitCode
    from thidua_cli.present.templates import print_check

    outcome = app.check(file, source=source, kind=kind)
    print_check(out(), err(), outcome)
    if outcome.errors:
        # Problems in the template are data, not a failure: shown as a table, then exit 5.
        raise typer.Exit(int(ExitCode.TEMPLATE))


@templates_app.command(
    "list",
    cls=ViCommand,
    help="Liệt kê các loại văn bản và mẫu sẽ dùng (mẫu riêng trong --templates hay mẫu mặc định).",
)
def list_templates(
    templates: Annotated[Path | None, typer.Option(
        "--templates", "-t", readable=False, metavar="THƯ_MỤC", help="Thư mục mẫu riêng.",
    )] = None,
) -> None:
    from thidua_cli.app import templates as app
    from thidua_cli.cli.console import out
    from thidua_cli.present.templates import print_listing

    print_listing(out(), app.listing(templates))
