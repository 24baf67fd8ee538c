"""``thidua render``: the decision documents (Tờ trình, Biên bản, Phiếu bầu, Quyết định with its
list, Giấy khen) from the awards result, in the state format of Nghị định 30/2020."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from thidua_cli.core.documents import DocumentOptions, DocumentSet
    from thidua_cli.render import RenderedDocument, RenderSettings

HELP = (
    "In văn bản thi đua – khen thưởng theo thể thức Nghị định 30/2020 từ kết quả xét danh hiệu.\n\n"
    "LOẠI: to-trinh (tờ trình gửi Giám đốc, và tờ trình lên cấp trên nếu có đề nghị cấp trên), "
    "to-trinh-cap-tren, bien-ban (biên bản họp Hội đồng), kiem-phieu (biên bản kiểm phiếu), "
    "phieu-bau, quyet-dinh (quyết định và danh sách kèm theo), giay-khen (mọi giấy khen, giấy "
    "chứng nhận trong một tệp, mỗi trang một người), hoặc all (tất cả).\n\n"
    "Ví dụ: thidua render all --from nam-2026.de-xuat.json --number 12 --signer \"Trần Văn Giám\"\n\n"
    "        thidua render quyet-dinh --from nam-2026.de-xuat.xlsx --number 12 --date 2026-12-20 --pdf"
)


def register(app: typer.Typer) -> None:
    app.command("render", help=HELP, no_args_is_help=True)(render)


def parse_numbers(values: list[str], default_kind: str) -> dict[str, int]:
    """``--number 12`` (the number of the document being rendered; for ``all`` and
    ``giay-khen``, the decision's) and ``--number to-trinh=11`` (a given kind's)."""
    from thidua_cli.core.documents import KINDS
    from thidua_cli.errors import UsageError

    kinds = list(KINDS)
    numbers: dict[str, int] = {}
    for raw in values:
        kind, sep, value = raw.partition("=")
        if not sep:
            kind, value = default_kind, raw
        kind, value = kind.strip(), value.strip()
        if kind not in kinds:
            raise UsageError(
                f"--number {raw}: không có loại văn bản \"{kind}\". Dùng --number 12 hoặc "
                f"--number LOẠI=SỐ với LOẠI là một trong: {', '.join(kinds)}."
            )
        if not value.isdigit() or int(value) < 1:
            raise UsageError(f"--number {raw}: số văn bản phải là số nguyên dương (ví dụ 12).")
        numbers[kind] = int(value)
    return numbers


def parse_day(value: str | None, option: str) -> date | None:
    """"2026-12-20" or "20/12/2026"."""
    from thidua_cli.errors import UsageError

    if value is None:
        return None
    text = value.strip()
    try:
        if "/" in text:
            d, m, y = (int(x) for x in text.split("/"))
            return date(y, m, d)
        return date.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(
            f"{option} {value}: không phải ngày hợp lệ. Viết 2026-12-20 hoặc 20/12/2026."
        ) from exc


def render(
    kind: Annotated[str, typer.Argument(metavar="LOẠI", help="Loại văn bản, hoặc all.", show_default=False)],
    source: Annotated[Path, typer.Option(
        "--from", "-i", metavar="KẾT_QUẢ",
        help="Kết quả xét danh hiệu: tệp .de-xuat.json hoặc .de-xuat.xlsx do thidua awards tạo.",
        show_default=False,
    )],
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar="THƯ_MỤC", help="Thư mục ghi văn bản (tự tạo nếu chưa có). Mặc định: thư mục của tệp kết quả.",
    )] = None,
    number: Annotated[list[str] | None, typer.Option(
        "--number", "-n", metavar="SỐ",
        help="Số văn bản (12 → \"Số: 12/QĐ-BV\"); với all và giay-khen là số quyết định. "
        "Số của loại khác: --number to-trinh=11. Không ghi: để trống cho văn thư điền.",
    )] = None,
    when: Annotated[str | None, typer.Option(
        "--date", "-d", metavar="NGÀY",
        help="Ngày ký văn bản (2026-12-20 hoặc 20/12/2026). Mặc định: ngày quyết định trong kết quả.",
    )] = None,
    meeting_date: Annotated[str | None, typer.Option(
        "--meeting-date", metavar="NGÀY", help="Ngày họp Hội đồng (biên bản, phiếu bầu).",
    )] = None,
    signer: Annotated[str | None, typer.Option(
        "--signer", "-s", metavar="HỌ_TÊN", help="Họ tên người ký (không ghi học hàm, học vị).",
    )] = None,
    absent: Annotated[list[str] | None, typer.Option(
        "--absent", metavar="HỌ_TÊN",
        help="Thành viên Hội đồng vắng mặt (họ tên như trong documents.council_members); lặp lại được.",
    )] = None,
    templates: Annotated[Path | None, typer.Option(
        "--templates", "-t", metavar="THƯ_MỤC",
        help="Thư mục mẫu riêng (dùng trước, mẫu mặc định cho phần còn lại).",
    )] = None,
    rules: Annotated[Path | None, typer.Option(
        "--rules", "-r", metavar="QUY_CHẾ", help="Tệp quy chế (TOML): mục [documents] và tên đơn vị.",
    )] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="Chuyển thêm sang PDF bằng LibreOffice (nếu đã cài).")] = False,
    force: Annotated[bool, typer.Option("--force", "-f", help="Ghi đè văn bản đã có.")] = False,
) -> None:
    from rich.table import Table
    from rich.text import Text

    from thidua_cli import render as rd
    from thidua_cli.cli.console import err, out
    from thidua_cli.core import documents as docs
    from thidua_cli.errors import UsageError
    from thidua_cli.regulation import load_regulation

    if kind != "all" and kind not in docs.KINDS:
        raise UsageError(f"Không có loại văn bản \"{kind}\". Các loại: all, {', '.join(docs.KINDS)}.")
    default_kind = "quyet-dinh" if kind in ("all", "giay-khen") else kind
    numbers = parse_numbers(number or [], default_kind)
    regulation = load_regulation(rules)
    options = docs.options_from_settings(regulation.documents, regulation.money)
    options = _apply_cli(
        options,
        numbers=numbers,
        when=parse_day(when, "--date"),
        meeting=parse_day(meeting_date, "--meeting-date"),
        signer=signer,
        absent=absent or [],
    )
    result = rd.load_awards_result(source)
    organisation = regulation.organisation.letterhead() if rules is not None else None
    docset = docs.build_documents(result, options, source=str(source), organisation=organisation)
    user_dir = rd.check_templates_dir(templates if templates is not None else _from_rules(options.templates, rules))
    settings = rd.RenderSettings(linh=options.linh, nghin=options.nghin, name_order=options.name_order)

    stderr = err()
    kinds = docset.kinds_to_write(kind)
    for message in docset.warnings_for(kinds):
        stderr.print(Text("Cảnh báo: ", style="yellow") + Text(message))
    # Created by write_documents once nothing can refuse the run any more.
    out_dir = output if output is not None else source.parent

    soffice = None
    if pdf:
        # Before writing anything: a run that cannot finish writes nothing.
        soffice = rd.find_soffice()
        if soffice is None:
            raise rd.soffice_missing()
        plan = rd.plan_outputs(kinds, docset, out_dir, user_dir)
        rd.refuse_existing([p.with_suffix(".pdf") for p in plan.values() if p.suffix == ".docx"], force)

    written = _write_with_progress(kinds, docset, out_dir, user_dir, settings, force, stderr)
    pdfs: list[Path] = []
    if pdf:
        stderr.print(Text("Đang chuyển sang PDF bằng LibreOffice…", style="dim"))
        docx_paths = [path for doc, path in written if doc.template.extension == ".docx"]
        pdfs = rd.convert_to_pdf(docx_paths, out_dir, force=force, soffice=soffice)

    table = Table(title=Text(f"Văn bản năm {docset.context['year']}"), show_lines=False)
    table.add_column("Loại", no_wrap=True)
    table.add_column("Tệp", overflow="fold")
    table.add_column("Mẫu")
    table.add_column("Số mục", justify="right")
    for doc, path in written:
        template = "riêng" if doc.template.origin == "user" else "mặc định"
        table.add_row(Text(doc.kind), Text(str(path)), Text(template), Text(str(doc.items)))
    console = out()
    console.print(table)
    for p in pdfs:
        console.print(Text(f"PDF: {p}"))


def _apply_cli(
    options: DocumentOptions,
    *,
    numbers: dict[str, int],
    when: date | None,
    meeting: date | None,
    signer: str | None,
    absent: list[str],
) -> DocumentOptions:
    from dataclasses import replace

    merged = dict(options.numbers)
    merged.update(numbers)
    changes: dict[str, object] = {"numbers": merged}
    if when is not None:
        changes["date"] = when
    if meeting is not None:
        changes["meeting_date"] = meeting
    if signer is not None:
        changes["signer"] = signer.strip()
    if absent:
        changes["absent"] = tuple(a.strip() for a in absent if a.strip())
    return replace(options, **changes)  # type: ignore[arg-type]  # mixed value types


def _from_rules(folder: str, rules: Path | None) -> Path | None:
    """``documents.templates`` of a regulation file is relative to that file's folder."""
    if not folder:
        return None
    path = Path(folder)
    if not path.is_absolute() and rules is not None:
        path = rules.parent / path
    return path


def _write_with_progress(
    kinds: list[str],
    docset: DocumentSet,
    out_dir: Path,
    user_dir: Path | None,
    settings: RenderSettings,
    force: bool,
    stderr: Console,
) -> list[tuple[RenderedDocument, Path]]:
    """Render and write, with a progress bar on stderr when there is more than one document."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from thidua_cli import render as rd
    from thidua_cli.core.documents import KIND_LABELS

    if len(kinds) == 1:
        return rd.write_documents(kinds, docset, out_dir, user_dir=user_dir, settings=settings, force=force)
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
    )
    with progress:
        task = progress.add_task("Đang in văn bản", total=len(kinds))

        def done(doc: RenderedDocument, path: Path) -> None:
            progress.update(task, advance=1, description=f"Đã in: {KIND_LABELS[doc.kind]}")

        return rd.write_documents(
            kinds, docset, out_dir, user_dir=user_dir, settings=settings, force=force, on_done=done
        )
