"""``thidua init [DIR]``: write the default regulation (quy-che.toml) for the clerk to edit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from thidua_cli.cli.framework import ViCommand


def init(
    folder: Annotated[
        Path,
        typer.Argument(
            readable=False,
            metavar="THƯ_MỤC",
            help="Thư mục sẽ chứa tệp quy-che.toml (mặc định: thư mục hiện tại; tự tạo nếu "
            "chưa có).",
            show_default=False,
        ),
    ] = Path("."),
    force: Annotated[
        bool, typer.Option("--force", "-f", help="Ghi đè tệp quy-che.toml nếu đã có (bản cũ sẽ mất).")
    ] = False,
) -> None:
    """Tạo tệp quy chế mẫu quy-che.toml (các tiêu chí, thang điểm, ngưỡng xếp loại, tỷ lệ
    HTXSNV …) để sửa theo quy chế thi đua của bệnh viện.

    Ví dụ: thidua init quy-che-2026
    """
    from thidua_cli.app.init import write_default_regulation
    from thidua_cli.cli.console import out
    from thidua_cli.present.init import print_written

    print_written(out(), write_default_regulation(folder, force=force))


def register(app: typer.Typer) -> None:
    app.command(name="init", cls=ViCommand)(init)
