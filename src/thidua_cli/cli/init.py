"""``thidua init [DIR]``: write the default regulation (quy-che.toml) for the clerk to edit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

FILE_NAME = "quy-che.toml"


def init(
    folder: Annotated[
        Path,
        typer.Argument(
            metavar="THƯ_MỤC",
            help="Thư mục sẽ chứa tệp quy-che.toml (mặc định: thư mục hiện tại; tự tạo nếu "
            "chưa có).",
            show_default=False,
        ),
    ] = Path("."),
    force: Annotated[
        bool, typer.Option("--force", help="Ghi đè tệp quy-che.toml nếu đã có (bản cũ sẽ mất).")
    ] = False,
) -> None:
    """Tạo tệp quy chế mẫu quy-che.toml (các tiêu chí, thang điểm, ngưỡng xếp loại, tỷ lệ
    HTXSNV …) để sửa theo quy chế thi đua của bệnh viện.

    Ví dụ: thidua init quy-che-2026
    """
    from rich.text import Text

    from thidua_cli.cli.console import out
    from thidua_cli.errors import UsageError
    from thidua_cli.io.atomic import make_output_folder, write_atomic
    from thidua_cli.regulation import default_toml_text

    if folder.exists() and not folder.is_dir():
        # Said the init way: a clerk who typed the workbook's name instead of a folder.
        raise UsageError(
            f"{folder} là một tệp, không phải thư mục. Hãy chỉ ra một thư mục, ví dụ: "
            "thidua init quy-che-2026"
        )
    make_output_folder(folder)
    target = folder / FILE_NAME
    write_atomic(target, default_toml_text().encode("utf-8"), force=force)

    console = out()
    console.print(Text("Đã ghi tệp quy chế mẫu: ") + Text(str(target), style="bold"))
    rules = FILE_NAME if folder.resolve() == Path.cwd().resolve() else str(target)
    console.print(
        Text(
            "Bước tiếp theo: mở tệp bằng Notepad (hoặc trình soạn thảo văn bản bất kỳ), sửa tên "
            "bệnh viện, danh sách khoa/phòng, tiêu chí và các ngưỡng theo quy chế thi đua của "
            "đơn vị; rồi chạy:"
        )
    )
    console.print(Text(f"  thidua score --rules {_quote(rules)} <bảng-điểm.xlsx>"))


def _quote(path: str) -> str:
    return f'"{path}"' if any(ch.isspace() for ch in path) else path


def register(app: typer.Typer) -> None:
    app.command(name="init")(init)
