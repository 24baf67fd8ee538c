"""``thidua templates``: export the default document templates, check an edited one."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

templates_app = typer.Typer(
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
    help=(
        "Chép các mẫu mặc định vào THƯ_MỤC để sửa bằng Word; dùng lại bằng "
        "thidua render … --templates THƯ_MỤC (hoặc khoá documents.templates của quy chế).\n\n"
        "Ví dụ: thidua templates export mau-van-ban"
    ),
    no_args_is_help=True,
)
def export(
    folder: Annotated[Path, typer.Argument(metavar="THƯ_MỤC", help="Thư mục đích (tạo nếu chưa có).",
                                           show_default=False)],
    force: Annotated[bool, typer.Option("--force", "-f", help="Ghi đè mẫu đã có trong thư mục.")] = False,
) -> None:
    from rich.text import Text

    from thidua_cli.cli.console import err, out
    from thidua_cli.render import export_templates

    written = export_templates(folder, force=force)
    console = out()
    for path in written:
        console.print(Text(str(path)))
    err().print(
        Text(
            f"Đã chép {len(written)} mẫu vào {folder}. Sửa bằng Word (giữ nguyên các thẻ {{{{ … }}}} và "
            "{% … %}), kiểm tra bằng: thidua templates check <tệp>, rồi dùng: thidua render all "
            f"--from <kết quả> --templates {folder}"
        )
    )


@templates_app.command(
    "check",
    help=(
        "Kiểm tra một mẫu: cú pháp Jinja, các biến mẫu dùng mà dữ liệu không có, các thẻ bị Word "
        "tách ra nhiều đoạn định dạng; kèm cách sửa. Mã thoát 5 khi mẫu có lỗi.\n\n"
        "Ví dụ: thidua templates check mau-van-ban/quyet-dinh.docx --from nam-2026.de-xuat.json"
    ),
    no_args_is_help=True,
)
def check(
    file: Annotated[Path, typer.Argument(metavar="TỆP_MẪU", help="Tệp mẫu .docx, .md hoặc .html.",
                                         show_default=False)],
    source: Annotated[Path | None, typer.Option(
        "--from", "-i", metavar="KẾT_QUẢ",
        help="Kiểm tra với kết quả xét danh hiệu này. Mặc định: một kết quả mẫu đủ mọi mục.",
    )] = None,
    kind: Annotated[str | None, typer.Option(
        "--kind", "-k", metavar="LOẠI",
        help="Loại văn bản của mẫu (mặc định: theo tên tệp, ví dụ quyet-dinh.docx → quyet-dinh).",
    )] = None,
) -> None:
    from rich.table import Table
    from rich.text import Text

    from thidua_cli import render as rd
    from thidua_cli.cli.console import err, out
    from thidua_cli.core import documents as docs
    from thidua_cli.errors import ExitCode, TemplateError, UsageError
    from thidua_cli.io.awards_io import load_result

    if not file.is_file():
        raise TemplateError(f"Không tìm thấy tệp mẫu {file}.")
    if file.suffix.lower() not in rd.TEMPLATE_EXTENSIONS:
        raise TemplateError(
            f"{file.name}: thidua chỉ dùng mẫu .docx (Word), .md hoặc .html. Tệp .doc cũ: mở bằng Word "
            "rồi Lưu thành .docx."
        )
    chosen = kind or file.stem
    if chosen not in docs.KINDS:
        if kind is not None:
            raise UsageError(f"Không có loại văn bản \"{kind}\". Các loại: {', '.join(docs.KINDS)}.")
        chosen = "quyet-dinh"
    if source is not None:
        docset = docs.build_documents(load_result(source), docs.sample_options(), source=str(source))
    else:
        docset = docs.build_documents(docs.sample_result(), docs.sample_options())
    result = rd.check_template(file, docset.for_kind(chosen), kind=chosen)

    console = out()
    if not result.problems:
        console.print(Text(f"{file}: mẫu dùng được (loại {chosen}, {len(result.variables)} biến đều có)."))
        return
    table = Table(title=Text(f"Kiểm tra mẫu {file} (loại {chosen})"), show_lines=True)
    table.add_column("Mức")
    table.add_column("Vị trí")
    table.add_column("Vấn đề")
    table.add_column("Cách sửa")
    for p in result.problems:
        level = Text("Lỗi", style="red") if p.severity == "error" else Text("Cảnh báo", style="yellow")
        table.add_row(level, Text(p.where), Text(p.message), Text(p.fix))
    console.print(table)
    errors = sum(1 for p in result.problems if p.severity == "error")
    warnings = len(result.problems) - errors
    err().print(Text(f"{errors} lỗi, {warnings} cảnh báo."))
    if errors:
        raise typer.Exit(int(ExitCode.TEMPLATE))


@templates_app.command(
    "list",
    help="Liệt kê các loại văn bản và mẫu sẽ dùng (mẫu riêng trong --templates hay mẫu mặc định).",
)
def list_templates(
    templates: Annotated[Path | None, typer.Option(
        "--templates", "-t", metavar="THƯ_MỤC", help="Thư mục mẫu riêng.",
    )] = None,
) -> None:
    from rich.table import Table
    from rich.text import Text

    from thidua_cli import render as rd
    from thidua_cli.cli.console import out
    from thidua_cli.core import documents as docs

    user_dir = rd.check_templates_dir(templates)
    title = f"Mẫu riêng trong {user_dir}, còn lại mẫu mặc định" if user_dir else "Mẫu mặc định"
    table = Table(title=Text(title))
    table.add_column("Loại", no_wrap=True)
    table.add_column("Văn bản")
    table.add_column("Tệp mẫu", no_wrap=True)
    table.add_column("Nguồn", no_wrap=True)
    for k in docs.KINDS:
        ref = rd.find_template(k, user_dir)
        origin = "riêng" if ref.origin == "user" else "mặc định"
        table.add_row(Text(k), Text(docs.KIND_LABELS[k]), Text(ref.name), Text(origin))
    out().print(table)
