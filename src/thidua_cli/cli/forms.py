"""``thidua forms``: one pre-filled submission form per department, from the staff list. A thin
adapter over :func:`thidua_cli.app.forms.make_forms` (present: ``present/forms.py``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from thidua_cli.cli.framework import ViCommand

HELP = (
    "Tạo biểu mẫu chấm điểm cho từng khoa/phòng từ danh sách nhân sự: nhân viên điền sẵn và "
    "khoá, tiêu chí có điểm tối đa, ô nhập có kiểm tra, tổng điểm tự tính.\n\n"
    "Ví dụ: thidua forms examples/nhan-su.xlsx --period 2026-Q4 -o bieu-mau\n\n"
    "        thidua forms examples/nhan-su.xlsx -p 2026-Q4 -o bieu-mau --department \"Khoa Nội tổng hợp\""
)


def register(app: typer.Typer) -> None:
    app.command("forms", help=HELP, no_args_is_help=True, cls=ViCommand)(forms)


def forms(
    staff: Annotated[Path, typer.Argument(
        readable=False, metavar="NHÂN_SỰ.xlsx", show_default=False,
        help="Danh sách nhân sự (tệp xuất từ phần mềm nhân sự): Mã NV, Họ và tên, Khoa/Phòng, "
        "Chức vụ, Lãnh đạo, Giới tính, Ngày tuyển dụng, Nhóm …",
    )],
    period: Annotated[str, typer.Option(
        "--period", "-p", metavar="KỲ", help="Kỳ đánh giá: 2026-Q4 (quý), 2026 (năm), 2026-M03.",
    )] = "",
    rules: Annotated[Path | None, typer.Option(
        "--rules", "-r", readable=False, metavar="QUY_CHẾ.toml",
        help="Tệp quy chế (TOML). Mặc định: quy chế tích hợp sẵn.",
    )] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", readable=False, metavar="THƯ_MỤC",
        help="Thư mục ghi biểu mẫu. Mặc định: bieu-mau-<kỳ> cạnh danh sách nhân sự.",
    )] = None,
    department: Annotated[list[str] | None, typer.Option(
        "--department", "-d", metavar="KHOA",
        help="Chỉ tạo biểu mẫu cho khoa/phòng này (có thể ghi nhiều lần).",
    )] = None,
    force: Annotated[bool, typer.Option("--force", "-f", help="Ghi đè biểu mẫu đã có.")] = False,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Không hiện dòng tiến độ trên stderr.")] = False,
) -> None:
    from thidua_cli.app.forms import make_forms
    from thidua_cli.cli.console import err, out, progress_bar
    from thidua_cli.core.forms import period_slug
    from thidua_cli.core.period import parse_period_option
    from thidua_cli.errors import InvalidDataError, PeriodRequiredError
    from thidua_cli.present.forms import print_forms
    from thidua_cli.regulation import load_regulation
    from thidua_cli.report import print_findings

    if not period:
        raise PeriodRequiredError(
            "Chưa biết kỳ đánh giá của biểu mẫu. Hãy ghi rõ, ví dụ: --period 2026-Q4."
        )
    chosen = parse_period_option(period)
    regulation = load_regulation(rules)
    folder = output if output is not None else staff.parent / f"bieu-mau-{period_slug(chosen)}"
    stderr = err()
    try:
        with progress_bar(stderr, quiet=quiet) as progress:
            result = make_forms(staff, regulation, chosen, folder,
                                departments=tuple(department or ()), force=force,
                                progress=progress)
    except InvalidDataError as exc:
        if exc.report is not None:
            print_findings(stderr, exc.report.errors, limit=50)
        raise
    print_forms(out(), result)
