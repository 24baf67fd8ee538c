"""``thidua income``: the period's additional income (thu nhập tăng thêm) distributed by grade.
Reads the grades (a ``thidua score`` result or a typed sheet), the staff sheet and the fund;
writes ``<kỳ>.thu-nhap.xlsx`` and prints the totals."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from thidua_cli.cli.framework import ViCommand

HELP = (
    "Chia quỹ thu nhập tăng thêm của tháng hoặc quý theo loại A/B/C/D.\n\n"
    "Đọc loại của kỳ (kết quả thidua score hoặc bảng loại), bảng nhân sự và quỹ; ghi "
    "<kỳ>.thu-nhap.xlsx (bảng thanh toán từng khoa/phòng có cột Ký nhận) và in tổng hợp.\n\n"
    "Ví dụ: thidua income examples/thu-nhap/loai-thang-3-2026.xlsx --staff "
    "examples/thu-nhap/nhan-su-thang-3-2026.xlsx --fund 150000000"
)


def register(app: typer.Typer) -> None:
    app.command("income", help=HELP, no_args_is_help=True, cls=ViCommand)(income)


def income(
    grades: Annotated[list[Path], typer.Argument(
        readable=False, metavar="LOẠI.xlsx", show_default=False,
        help="Loại của kỳ: kết quả thidua score (.ket-qua.xlsx hoặc --json) hoặc bảng có cột "
             "\"Mã NV\" và \"Loại\". Với --year-total: các tệp thidua income --json của các kỳ.")],
    staff: Annotated[Path | None, typer.Option(
        "--staff", "-s", readable=False, metavar="NHÂN_SỰ.xlsx",
        help="Bảng nhân sự: Mã NV, Họ và tên, Khoa/Phòng, Hệ số lương, Phụ cấp chức vụ, Hệ số "
             "vị trí, Ngày công, ngày nghỉ theo loại, Số tài khoản.")] = None,
    fund: Annotated[str | None, typer.Option(
        "--fund", metavar="SỐ_TIỀN", help="Quỹ của kỳ cho cả viện (đồng), ví dụ 150000000.")] = None,
    fund_sheet: Annotated[Path | None, typer.Option(
        "--fund-sheet", readable=False, metavar="QUỸ.xlsx",
        help="Hoặc quỹ theo khoa/phòng: bảng có cột \"Khoa/Phòng\" và \"Quỹ\".")] = None,
    rules: Annotated[Path | None, typer.Option(
        "--rules", "-r", readable=False, metavar="QUY_CHẾ.toml",
        help="Tệp quy chế (TOML), mục [income]. Mặc định: quy chế tích hợp sẵn.")] = None,
    period: Annotated[str | None, typer.Option(
        "--period", "-p", metavar="KỲ",
        help="Kỳ: 2026-M03 (tháng), 2026-Q4 (quý). Mặc định: từ kết quả chấm điểm hoặc tên tệp.")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", readable=False, metavar="TỆP.xlsx",
        help="Tệp kết quả. Mặc định: <kỳ>.thu-nhap.xlsx cạnh tệp loại (với --year-total: "
             "<năm>.thu-nhap-nam.xlsx cạnh tệp đầu tiên).")] = None,
    force: Annotated[bool, typer.Option("--force", "-f", help="Ghi đè tệp kết quả nếu đã có.")] = False,
    no_output: Annotated[bool, typer.Option(
        "--no-output", help="Không ghi tệp Excel (chỉ in ra màn hình).")] = False,
    json_out: Annotated[bool, typer.Option(
        "--json", help="In kết quả dạng JSON (schema thidua.income/1).")] = False,
    explain: Annotated[str | None, typer.Option(
        "--explain", metavar="MÃ_NV", help="Giải thích cách tính số tiền của một người.")] = None,
    compare: Annotated[Path | None, typer.Option(
        "--compare", readable=False, metavar="KỲ_TRƯỚC.json",
        help="So với kỳ trước (tệp thidua income --json): ai đổi loại, ai đổi số tiền và vì sao.")] = None,
    year_total: Annotated[bool, typer.Option(
        "--year-total", help="Cộng số tiền của mỗi người qua các kỳ (các tệp thidua income --json), "
        "cho báo cáo năm; ghi <năm>.thu-nhap-nam.xlsx.")] = False,
) -> None:
    from thidua_cli.app.income import IncomeRequest, parse_fund, run
    from thidua_cli.cli.console import err, out
    from thidua_cli.core.period import parse_period_option
    from thidua_cli.errors import InvalidDataError, UsageError
    from thidua_cli.present import income as present
    from thidua_cli.regulation import load_regulation
    from thidua_cli.report import print_findings

    if year_total:
        from thidua_cli.app.income import year_total as run_year

        outcome_year = run_year(grades, load_regulation(rules), output=output,
                                write=not no_output, force=force)
        if json_out:
            sys.stdout.write(json.dumps(present.year_json(outcome_year), ensure_ascii=False,
                                        indent=2) + "\n")
        else:
            present.print_year(out(), outcome_year)
        return
    if len(grades) != 1:
        raise UsageError("Cho một tệp loại của kỳ (nhiều tệp chỉ dùng với --year-total).")
    if staff is None:
        raise UsageError("Thiếu bảng nhân sự: thêm --staff nhan-su.xlsx.")
    if fund is not None and fund_sheet is not None:
        raise UsageError("Chỉ dùng một trong hai: --fund (cả viện) hoặc --fund-sheet (theo khoa/phòng).")
    request = IncomeRequest(
        grades=grades[0], staff=staff, fund=parse_fund(fund) if fund is not None else None,
        fund_sheet=fund_sheet, period=parse_period_option(period) if period else None,
        output=output, write=not no_output and explain is None, force=force, compare=compare)
    regulation = load_regulation(rules)
    stderr = err()
    try:
        outcome = run(request, regulation)
    except InvalidDataError as exc:
        if exc.report is not None:
            print_findings(stderr, exc.report.errors, limit=50)
        raise
    result = outcome.result
    if explain is not None:
        person = result.person(explain.strip())
        if person is None:
            raise UsageError(f"Không có mã NV \"{explain}\" trong bảng nhân sự {staff}.")
        present.print_explain(out(), person, result)
        return
    if json_out:
        present.write_json(sys.stdout, outcome, regulation)
    else:
        present.print_outcome(out(), outcome)
        if outcome.changes is not None:
            present.print_changes(out(), outcome.changes)
    if result.report.warnings:
        print_findings(stderr, result.report.warnings, limit=30)
