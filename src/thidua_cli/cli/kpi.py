"""``thidua kpi``: KPI at four levels (bệnh viện → khoa/phòng → quản lý → nhân viên) from a KPI
workbook; ``thidua kpi template`` writes the workbook a department fills in. A thin adapter over
:mod:`thidua_cli.app.kpi` and :mod:`thidua_cli.present.kpi`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from thidua_cli.cli.framework import ViCommand

HELP = (
    "Tính KPI bốn cấp (bệnh viện, khoa/phòng, quản lý, nhân viên) từ bảng chỉ số KPI: mức hoàn "
    "thành từng chỉ số, điểm KPI của từng khoa/phòng và từng người, xếp hạng khoa/phòng.\n\n"
    "Ghi <tên tệp>.kpi.xlsx cạnh tệp đầu vào (có biểu đồ). Mã thoát: 0 không có lỗi, 1 bảng KPI "
    "có lỗi (không ghi tệp), 4 tệp không đọc được. \"thidua kpi template\" ghi mẫu bảng KPI "
    "mau-kpi.xlsx để khoa/phòng điền.\n\n"
    "Ví dụ: thidua kpi examples/kpi/kpi-quy-4-2026.xlsx\n\n"
    "        thidua kpi examples/kpi/kpi-quy-4-2026.xlsx --json\n\n"
    "        thidua kpi examples/kpi/kpi-quy-*-2026.xlsx\n\n"
    "        thidua kpi template -o mau-kpi.xlsx\n\n"
    "        thidua kpi template --from examples/kpi/kpi-quy-4-2026.xlsx --department "
    "\"Khoa Nội tổng hợp\" -o mau-kpi-noi-tong-hop.xlsx"
)
TEMPLATE_WORD = "template"


def register(app: typer.Typer) -> None:
    app.command("kpi", help=HELP, no_args_is_help=True, cls=ViCommand)(kpi)


def kpi(
    files: Annotated[list[str], typer.Argument(
        metavar="TỆP_KPI.xlsx...", show_default=False,
        help="Bảng chỉ số KPI (.xlsx, .xls, .ods); nhiều tệp (mỗi quý một tệp) thì có thêm xu "
        "hướng theo quý. Hoặc chữ template để ghi mẫu bảng KPI.",
    )],
    rules: Annotated[Path | None, typer.Option(
        "--rules", "-r", readable=False, metavar="QUY_CHẾ.toml",
        help="Tệp quy chế (TOML), mục [kpi]. Mặc định: quy chế tích hợp sẵn.",
    )] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", readable=False, metavar="TỆP.xlsx",
        help="Tệp ghi ra. Mặc định: <tên tệp>.kpi.xlsx cạnh tệp KPI (mau-kpi.xlsx với template).",
    )] = None,
    force: Annotated[bool, typer.Option("--force", "-f", help="Ghi đè tệp nếu đã có.")] = False,
    no_output: Annotated[bool, typer.Option(
        "--no-output", help="Không ghi tệp Excel (chỉ in ra màn hình).")] = False,
    json_out: Annotated[bool, typer.Option(
        "--json", help="In kết quả dạng JSON (schema thidua.kpi/1).")] = False,
    source: Annotated[Path | None, typer.Option(
        "--from", readable=False, metavar="TỆP_KPI.xlsx",
        help="Với template: điền sẵn các chỉ số (chỉ tiêu, trọng số, chiều) của bảng KPI này, để "
        "trống cột Thực hiện.")] = None,
    department: Annotated[str | None, typer.Option(
        "--department", metavar="KHOA",
        help="Với template --from: chỉ các chỉ số của khoa/phòng này và người của khoa.")] = None,
) -> None:
    from rich.text import Text

    from thidua_cli.app import kpi as app
    from thidua_cli.cli import invocation
    from thidua_cli.cli.console import err, out
    from thidua_cli.errors import UsageError
    from thidua_cli.present import kpi as present
    from thidua_cli.regulation import load_regulation
    from thidua_cli.report import print_findings

    regulation = load_regulation(rules)
    if files[0].strip().casefold() == TEMPLATE_WORD:
        if len(files) > 1:
            raise UsageError("thidua kpi template không nhận thêm tệp; dùng -o để chọn tên tệp.")
        target, count = app.write_template(output, regulation, force=force, source=source,
                                            department=department)
        tail = f" ({count} chỉ số điền sẵn)" if source is not None else ""
        out().print(Text("Đã ghi mẫu bảng KPI: ", style="bold green") + Text(str(target) + tail))
        return
    if source is not None or department is not None:
        raise UsageError("--from và --department chỉ dùng với thidua kpi template.")
    outcome = app.run_kpi([Path(f) for f in files], regulation, output=output, write=not no_output,
                          force=force, command=invocation.command_line(),
                          explain=json_out)  # the steps are shown in the JSON only
    stderr = err()
    if json_out:
        import json

        sys.stdout.write(json.dumps(present.result_json(outcome), ensure_ascii=False, indent=2))
        sys.stdout.write("\n")
    else:
        present.print_summary(out(), outcome)
    # Errors and warnings on the terminal; the ties (information) are in the summary, the JSON
    # and the workbook's "Nhật ký".
    reports = [*(r.report for _, r in outcome.earlier), outcome.result.report]
    shown = [i for rep in reports for i in (*rep.errors, *rep.warnings)]
    if shown:
        print_findings(stderr, shown, limit=50, more="thêm --json để xem đủ")
    if outcome.exit_code:
        if not no_output:
            stderr.print(Text("Bảng KPI có lỗi: chưa ghi tệp kết quả. Hãy sửa các ô đã nêu rồi "
                              "chạy lại.", style="bold red"))
        raise typer.Exit(outcome.exit_code)
