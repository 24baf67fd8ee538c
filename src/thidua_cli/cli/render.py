"""``thidua render``: the decision documents (Tờ trình, Biên bản, Phiếu bầu, Quyết định with its
list, Giấy khen) from the awards result, in the state format of Nghị định 30/2020."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from thidua_cli.cli.framework import ViCommand

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

    from thidua_cli.render import RenderedDocument

HELP = (
    "In văn bản thi đua – khen thưởng theo thể thức Nghị định 30/2020 từ kết quả xét danh hiệu.\n\n"
    "LOẠI: to-trinh (tờ trình gửi Giám đốc, và tờ trình lên cấp trên nếu có đề nghị cấp trên), "
    "to-trinh-cap-tren, bien-ban (biên bản họp Hội đồng), kiem-phieu (biên bản kiểm phiếu), "
    "phieu-bau, quyet-dinh (quyết định và danh sách kèm theo), giay-khen (mọi giấy khen, giấy "
    "chứng nhận trong một tệp, mỗi trang một người), hoặc all (tất cả).\n\n"
    "Văn bản của khối thi đua (từ <năm>.khoi.json của thidua cluster): bien-ban-khoi (biên bản "
    "họp khối, kết quả biểu quyết), to-trinh-khoi (tờ trình đề nghị Cờ thi đua, Bằng khen).\n\n"
    "Ví dụ: thidua render all --from examples/nam-2026/nam-2026.de-xuat.json --number 12 "
    "--signer \"Trần Văn Giám\"\n\n"
    "        thidua render quyet-dinh --from examples/nam-2026/nam-2026.de-xuat.xlsx --number 12 "
    "--date 2026-12-20 --pdf"
)


def register(app: typer.Typer) -> None:
    app.command("render", help=HELP, no_args_is_help=True, cls=ViCommand)(render)


def parse_numbers(values: list[str], default_kind: str) -> dict[str, int]:
    """``--number 12`` (the number of the document being rendered; for ``all`` and
    ``giay-khen``, the decision's) and ``--number to-trinh=11`` (a given kind's)."""
    from thidua_cli.core.documents import KINDS
    from thidua_cli.core.documents.cluster import CLUSTER_KINDS
    from thidua_cli.errors import UsageError

    kinds = [*KINDS, *CLUSTER_KINDS]
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


def parse_ballots(value: str | None) -> tuple[int, int, int] | None:
    """``--ballots 9,9,8``: ballots issued, returned, valid (invalid = returned − valid)."""
    from thidua_cli.errors import UsageError

    if value is None:
        return None
    parts = [p.strip() for p in value.split(",")]
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise UsageError(f"--ballots \"{value}\" không hợp lệ: cần ba số phát ra,thu về,hợp lệ, ví dụ --ballots 9,9,8.")
    issued, returned, valid = (int(p) for p in parts)
    if not valid <= returned <= issued:
        raise UsageError(f"--ballots {value}: số phiếu hợp lệ ≤ số thu về ≤ số phát ra ({valid} ≤ {returned} ≤ {issued}).")
    return issued, returned, valid


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
    source: Annotated[Path | None, typer.Option(
        "--from", "-i", readable=False, metavar="KẾT_QUẢ",
        help="Kết quả xét danh hiệu: tệp .de-xuat.json hoặc .de-xuat.xlsx do thidua awards tạo "
        "(bang-thanh-toan: tệp thidua income --json; bao-cao-dien-hinh: không cần, dùng --ledger "
        "và --year).",
        show_default=False,
    )] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", readable=False, metavar="THƯ_MỤC", help="Thư mục ghi văn bản (tự tạo nếu chưa có). Mặc định: thư mục của tệp kết quả.",
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
        "--templates", "-t", readable=False, metavar="THƯ_MỤC",
        help="Thư mục mẫu riêng (dùng trước, mẫu mặc định cho phần còn lại).",
    )] = None,
    rules: Annotated[Path | None, typer.Option(
        "--rules", "-r", readable=False, metavar="QUY_CHẾ.toml", help="Tệp quy chế (TOML): mục [documents] và tên đơn vị.",
    )] = None,
    ledger: Annotated[Path | None, typer.Option(
        "--ledger", readable=False, metavar="SỔ.db",
        help="Sổ lịch sử: người đang tạm dừng xét (thidua publish comments --ledger) bị bỏ khỏi "
        "quyết định và giấy khen, kèm cảnh báo.",
    )] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="Chuyển thêm sang PDF bằng LibreOffice (nếu đã cài).")] = False,
    force: Annotated[bool, typer.Option("--force", "-f", help="Ghi đè văn bản đã có.")] = False,
    ballots: Annotated[str | None, typer.Option(
        "--ballots", metavar="PHÁT,THU,HỢP_LỆ",
        help="Số phiếu bầu phát ra, thu về, hợp lệ (biên bản kiểm phiếu), ví dụ 9,9,8.",
    )] = None,
    year: Annotated[int | None, typer.Option(
        "--year", "-y", metavar="NĂM", help="Năm của báo cáo điển hình (bao-cao-dien-hinh, cùng --ledger).",
    )] = None,
    calibrate: Annotated[bool, typer.Option(
        "--calibrate", help="Chỉ in trang canh chỉnh để in Giấy khen lên phôi (documents.certificates).",
    )] = False,
) -> None:
    from rich.text import Text

    from thidua_cli.app import render as app
    from thidua_cli.cli.console import err, out
    from thidua_cli.core import documents as docs
    from thidua_cli.core.documents.cluster import CLUSTER_KINDS
    from thidua_cli.core.documents.income_kind import KIND as INCOME_KIND
    from thidua_cli.core.documents.models_kind import KIND as MODELS_KIND
    from thidua_cli.errors import UsageError
    from thidua_cli.present.render import print_rendered

    if kind != "all" and kind not in (*docs.KINDS, INCOME_KIND, *CLUSTER_KINDS, MODELS_KIND):
        raise UsageError(f"Không có loại văn bản \"{kind}\". Các loại: all, "
                         f"{', '.join((*docs.KINDS, INCOME_KIND, *CLUSTER_KINDS, MODELS_KIND))}.")
    if source is None:
        if kind != MODELS_KIND or ledger is None:
            raise UsageError("Thiếu --from KẾT_QUẢ (bao-cao-dien-hinh: --ledger SỔ.db --year NĂM).")
        source = ledger
    default_kind = "quyet-dinh" if kind in ("all", "giay-khen", INCOME_KIND) else kind
    request = app.RenderRequest(
        kind=kind, source=source, output=output,
        numbers=parse_numbers(number or [], default_kind),
        doc_date=parse_day(when, "--date"), meeting_date=parse_day(meeting_date, "--meeting-date"),
        signer=signer, absent=tuple(absent or ()), templates=templates, rules=rules, pdf=pdf,
        force=force, calibrate=calibrate, ballots=parse_ballots(ballots), ledger=ledger, year=year,
    )
    stderr = err()
    bar = _Bar(stderr)
    try:
        result = app.run(
            request,
            warn=lambda message: stderr.print(Text("Cảnh báo: ", style="yellow") + Text(message)),
            start=bar.start, done=bar.done,
            note=lambda text: stderr.print(Text(text, style="dim")),
            pdf_start=bar.start_pdf, pdf_done=bar.pdf_done,
        )
    finally:
        bar.close()
    print_rendered(out(), result)
    if result.pdf_failed:
        from thidua_cli.render import PdfRun, pdf_failure

        raise pdf_failure(PdfRun(result.pdfs, result.pdf_failed))


class _Bar:
    """A progress bar on stderr while more than one document is rendered."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.progress: Progress | None = None
        self.task: TaskID | None = None

    def start(self, total: int) -> None:
        if total <= 1:
            return
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=self.console,
            transient=True,
        )
        self.progress.start()
        self.task = self.progress.add_task("Đang in văn bản", total=total)

    def done(self, doc: RenderedDocument, path: Path) -> None:
        from thidua_cli.core.documents import KIND_LABELS

        if self.progress is None or self.task is None:
            return
        self.progress.update(self.task, advance=1,
                             description=f"Đã in: {KIND_LABELS.get(doc.kind, doc.kind)}")
        if self.progress.tasks[0].finished:
            self.close()

    def start_pdf(self, total: int) -> None:
        """A second bar for the PDFs: LibreOffice takes seconds per document."""
        self.close()
        self.start(total)
        if self.progress is not None and self.task is not None:
            self.progress.update(self.task, description="Đang chuyển sang PDF")

    def pdf_done(self, docx: Path, pdf: Path | None) -> None:
        if self.progress is None or self.task is None:
            return
        state = "Đã chuyển" if pdf is not None else "Không chuyển được"
        self.progress.update(self.task, advance=1, description=f"{state}: {docx.name}")
        if self.progress.tasks[0].finished:
            self.close()

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None
