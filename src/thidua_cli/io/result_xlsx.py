"""The result workbook of ``thidua score``: "Cá nhân", "Khoa phòng", "Thống kê", "Nhật ký".

Written with XlsxWriter in constant-memory mode so that 100,000 people stream through without
holding the sheet in memory: every sheet is written strictly row by row, top to bottom.

Every text that comes from the input (names, IDs, departments, notes, warning messages) is
written with ``write_string``; the workbook is opened with ``strings_to_formulas``,
``strings_to_urls`` and ``strings_to_numbers`` off, and text beginning with ``= + - @`` gets a
quote-prefix format so that Excel keeps it as text even when the clerk edits the cell
(a name "=HYPERLINK(…)" never becomes a live formula).

Formats are created once per workbook and reused (no per-cell format objects): the writer is
I/O-bound inside XlsxWriter and every extra attribute costs time at 100k rows.
"""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from thidua_cli.io.atomic import write_atomic
from thidua_cli.model import (
    BANDED_RATINGS,
    Criterion,
    PersonResult,
    Rating,
    RunInfo,
    ScoreResult,
)

if TYPE_CHECKING:  # pragma: no cover
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

SHEET_PEOPLE = "Cá nhân"
SHEET_DEPARTMENTS = "Khoa phòng"
SHEET_STATS = "Thống kê"
SHEET_LOG = "Nhật ký"

# Fill and font colours per rating (Excel's "Good / Neutral / Bad" family, plus blue, grey and
# purple), readable when printed in black and white because the text stays on the cell.
RATING_COLOURS: dict[Rating, tuple[str, str]] = {
    Rating.HTXSNV: ("#C6EFCE", "#006100"),  # green
    Rating.HTTNV: ("#DDEBF7", "#1F4E78"),  # blue
    Rating.HTNV: ("#FFEB9C", "#9C5700"),  # amber
    Rating.KHTNV: ("#FFC7CE", "#9C0006"),  # red
    Rating.NOT_RATED: ("#E7E6E6", "#3A3838"),  # grey
    Rating.PENDING_COUNCIL: ("#E4DFEC", "#5B2C6F"),  # purple
}

POINTS_FORMAT = "0.00"
PERCENT_FORMAT = "0.0%"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm:ss"

# Characters that make Excel (or LibreOffice) read a typed cell as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")

# The fixed columns of "Cá nhân" before and after the criteria.
PEOPLE_HEAD = ("STT", "Mã NV", "Họ và tên", "Khoa/Phòng", "Chức vụ", "Lãnh đạo", "Nhóm")
PEOPLE_TAIL = (
    "Tổng tiêu chí",
    "Điểm cộng (tính)",
    "Điểm trừ",
    "Tổng điểm",
    "Xếp loại",
    "Mã xếp loại",
    "Loại",
    "Hạng khoa",
    "Hạng viện",
    "Nhóm so sánh",
    "Ghi chú",
)
DEPARTMENT_HEADERS = (
    "Hạng",
    "Khoa/Phòng",
    "Số người",
    "Được xếp loại",
    "Không xếp loại",
    "Chờ HĐ xét",
    "Điểm TB",
    "Trung vị",
    "HTXSNV",
    "HTTNV",
    "HTNV",
    "KHTNV",
    "Tỷ lệ HTXSNV",
)
CAP_HEADERS = (
    "Nhóm so sánh",
    "Tỷ lệ trần",
    "Mẫu số (số người HTTNV trở lên)",
    "Số suất HTXSNV",
    "Ứng viên",
    "Giữ HTXSNV",
    "Chờ HĐ xét",
    "Hạ xuống HTTNV",
    "Điểm ngưỡng",
    "Mã NV chờ Hội đồng xét",
)
# The order of ratings in counts, tables and charts: best first, then the two unrated states.
RATING_ORDER: tuple[Rating, ...] = (*BANDED_RATINGS, Rating.PENDING_COUNCIL, Rating.NOT_RATED)


def criterion_header(criterion: Criterion) -> str:
    """"TC1 – Chấp hành chủ trương, chính sách (10)": code, name and maximum (decimal comma)."""
    return f"{criterion.code} – {criterion.name} ({_vn_number(criterion.max_points)})"


def people_headers(criteria: Sequence[Criterion]) -> list[str]:
    """The header row of "Cá nhân", in order."""
    return [*PEOPLE_HEAD, *(criterion_header(c) for c in criteria), *PEOPLE_TAIL]


def write_score_workbook(
    result: ScoreResult, run: RunInfo, path: Path, *, force: bool = False
) -> None:
    """Write the result workbook to ``path`` atomically.

    Raises ``OutputExistsError`` (exit 6) when ``path`` exists and ``force`` is false, and
    ``io.atomic.OutputWriteError`` when the folder cannot be written; on any failure no file
    (and no temporary file) is left behind.
    """

    def write(target: Path) -> None:
        _write_workbook(result, run, target)

    write_atomic(Path(path), write, force=force)


# --------------------------------------------------------------------------------------------
# The workbook
# --------------------------------------------------------------------------------------------


@dataclass
class _Formats:
    header: Format
    header_rating: dict[Rating, Format]
    title: Format
    section: Format
    bold: Format
    text_safe: Format  # quote prefix: text that would otherwise start a formula
    points: Format
    points_bold: Format
    percent: Format
    datetime: Format
    rating: dict[Rating, Format]


def _make_formats(wb: Workbook) -> _Formats:
    header_props: dict[str, Any] = {
        "bold": True,
        "text_wrap": True,
        "valign": "vcenter",
        "align": "center",
        "bg_color": "#D9E1F2",
        "border": 1,
    }
    header_rating = {
        r: wb.add_format({**header_props, "bg_color": bg, "font_color": fg})
        for r, (bg, fg) in RATING_COLOURS.items()
    }
    rating = {
        r: wb.add_format({"bg_color": bg, "font_color": fg})
        for r, (bg, fg) in RATING_COLOURS.items()
    }
    return _Formats(
        header=wb.add_format(header_props),
        header_rating=header_rating,
        title=wb.add_format({"bold": True, "font_size": 14}),
        section=wb.add_format({"bold": True, "font_size": 12, "font_color": "#1F4E78"}),
        bold=wb.add_format({"bold": True}),
        text_safe=wb.add_format({"quote_prefix": True}),
        points=wb.add_format({"num_format": POINTS_FORMAT}),
        points_bold=wb.add_format({"num_format": POINTS_FORMAT, "bold": True}),
        percent=wb.add_format({"num_format": PERCENT_FORMAT}),
        datetime=wb.add_format({"num_format": DATETIME_FORMAT, "align": "left"}),
        rating=rating,
    )


def _write_workbook(result: ScoreResult, run: RunInfo, target: Path) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(
        str(target),
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "nan_inf_to_errors": True,
            "remove_timezone": True,
        },
    )
    try:
        period = result.period.label if result.period else "kỳ không xác định"
        wb.set_properties(
            {
                "title": f"Kết quả thi đua – {period}",
                "subject": "Kết quả chấm điểm, xếp loại chất lượng",
                "author": f"thidua {run.tool_version}",
                "comments": run.command,
                # The run's own clock (never now()): the same inputs give the same bytes.
                "created": _naive(run.started_at),
            }
        )
        fmt = _make_formats(wb)
        _write_people(wb.add_worksheet(SHEET_PEOPLE), result, fmt)
        _write_departments(wb.add_worksheet(SHEET_DEPARTMENTS), result, fmt)
        _write_stats(wb, wb.add_worksheet(SHEET_STATS), result, fmt)
        _write_log(wb.add_worksheet(SHEET_LOG), result, run, fmt)
    except BaseException:
        # Release XlsxWriter's temporary row files; the half-written target is removed by the
        # atomic writer.
        _discard_row_files(wb)
        raise
    from xlsxwriter.exceptions import FileCreateError

    try:
        wb.close()
    except FileCreateError as exc:
        # XlsxWriter wraps the OSError (disk full, permission); hand the OSError itself to the
        # atomic writer, which turns it into a Vietnamese message.
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else OSError(str(exc))
        raise cause from exc


# --- "Cá nhân" --------------------------------------------------------------------------------


def _write_people(ws: Worksheet, result: ScoreResult, fmt: _Formats) -> None:
    criteria = result.criteria
    codes = [c.code for c in criteria]
    headers = people_headers(criteria)
    n_crit = len(codes)
    first_crit = len(PEOPLE_HEAD)
    first_tail = first_crit + n_crit
    last_col = len(headers) - 1
    people = result.people

    _set_widths_people(ws, people, n_crit, fmt)
    ws.set_row(0, 48)
    for col, header in enumerate(headers):
        ws.write_string(0, col, header, fmt.header)
    ws.freeze_panes(1, 3)
    ws.autofilter(0, 0, max(len(people), 1), last_col)
    _print_setup(ws)

    # Bound locals: this loop runs once per person (100k at the top of the range).
    write_string = ws.write_string
    write_number = ws.write_number
    pts = fmt.points
    pts_bold = fmt.points_bold
    rating_fmt = fmt.rating
    safe = fmt.text_safe
    isfinite = math.isfinite

    def text(row: int, col: int, value: str) -> None:
        if value:
            write_string(row, col, value, safe if value.startswith(_FORMULA_STARTS) else None)

    def number(row: int, col: int, value: float | None, cell_format: Format | None) -> None:
        if value is not None and isfinite(value):
            write_number(row, col, value, cell_format)

    for i, pr in enumerate(people):
        row = i + 1
        p = pr.person
        write_number(row, 0, row)
        text(row, 1, p.staff_id)
        text(row, 2, p.name)
        text(row, 3, p.department)
        text(row, 4, p.position)
        if p.is_manager:
            write_string(row, 5, "x")
        text(row, 6, p.peer_group)
        points = pr.points
        for j, code in enumerate(codes):
            number(row, first_crit + j, points.get(code), pts)
        c = first_tail
        number(row, c, pr.criteria_sum, pts)
        number(row, c + 1, pr.bonus_counted, pts)
        number(row, c + 2, pr.deduction_counted, pts)
        number(row, c + 3, pr.total, pts_bold)
        rating = pr.rating
        rfmt = rating_fmt[rating]
        write_string(row, c + 4, rating.label, rfmt)
        write_string(row, c + 5, rating.value, rfmt)
        grade = rating.grade
        if grade:
            write_string(row, c + 6, grade, rfmt)
        if pr.rank_department is not None:
            write_number(row, c + 7, pr.rank_department)
        if pr.rank_hospital is not None:
            write_number(row, c + 8, pr.rank_hospital)
        text(row, c + 9, pr.peer_group)
        if pr.notes:
            text(row, c + 10, "; ".join(pr.notes))


def _set_widths_people(
    ws: Worksheet, people: Sequence[PersonResult], n_crit: int, fmt: _Formats
) -> None:
    def widest(values: Any, low: int, high: int) -> int:
        longest = max((len(v) for v in values), default=0)
        return max(low, min(high, longest + 2))

    persons = [pr.person for pr in people]
    widths = [
        6,
        widest((p.staff_id for p in persons), 9, 18),
        widest((p.name for p in persons), 18, 40),
        widest((p.department for p in persons), 14, 36),
        widest((p.position for p in persons), 10, 30),
        9,
        widest((p.peer_group for p in persons), 8, 24),
    ]
    widths += [13] * n_crit
    widths += [10, 10, 9, 10, 29, 17, 6, 8, 8]
    widths.append(widest((pr.peer_group for pr in people), 14, 40))
    widths.append(widest(("; ".join(pr.notes) for pr in people), 24, 80))
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)


# --- "Khoa phòng" -----------------------------------------------------------------------------


def _write_departments(ws: Worksheet, result: ScoreResult, fmt: _Formats) -> None:
    departments = result.departments
    ws.set_row(0, 32)
    for col, text in enumerate(DEPARTMENT_HEADERS):
        rating = _rating_of_header(text)
        ws.write_string(0, col, text, fmt.header_rating[rating] if rating else fmt.header)
    longest = max((len(d.name) for d in departments), default=0)
    widths = [7, max(16, min(40, longest + 2)), 9, 10, 10, 10, 9, 9, 9, 9, 9, 9, 11]
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    ws.freeze_panes(1, 2)
    ws.autofilter(0, 0, max(len(departments), 1), len(DEPARTMENT_HEADERS) - 1)
    _print_setup(ws)

    for i, d in enumerate(departments):
        row = i + 1
        if d.rank is not None:
            ws.write_number(row, 0, d.rank)
        _write_text(ws, row, 1, d.name, fmt)
        ws.write_number(row, 2, d.headcount)
        ws.write_number(row, 3, d.rated)
        ws.write_number(row, 4, d.not_rated)
        ws.write_number(row, 5, d.pending)
        _write_opt_number(ws, row, 6, d.mean, fmt.points)
        _write_opt_number(ws, row, 7, d.median, fmt.points)
        for j, rating in enumerate(BANDED_RATINGS):
            ws.write_number(row, 8 + j, d.counts.get(rating, 0))
        _write_opt_number(ws, row, 12, d.share_htxsnv, fmt.percent)


def _rating_of_header(text: str) -> Rating | None:
    try:
        return Rating(text)
    except ValueError:
        return None


# --- "Thống kê" -------------------------------------------------------------------------------


def rating_counts(result: ScoreResult) -> dict[Rating, int]:
    """People per rating, every rating present (zero included), in :data:`RATING_ORDER`."""
    counts = dict.fromkeys(RATING_ORDER, 0)
    for pr in result.people:
        counts[pr.rating] += 1
    return counts


def _write_stats(wb: Workbook, ws: Worksheet, result: ScoreResult, fmt: _Formats) -> None:
    period = result.period.label if result.period else "kỳ không xác định"
    for col, width in enumerate((30, 17, 16, 12, 12, 12, 12, 16, 12, 40)):
        ws.set_column(col, col, width)
    ws.write_string(0, 0, f"Thống kê xếp loại – {period}", fmt.title)
    _print_setup(ws, repeat_header=False)

    # Counts per rating (rows 3–8, total in row 9; 0-based).
    row = 2
    for col, text in enumerate(("Xếp loại", "Mã", "Số người", "Tỷ lệ")):
        ws.write_string(row, col, text, fmt.header)
    counts = rating_counts(result)
    total = len(result.people)
    first_count_row = row + 1
    for rating in RATING_ORDER:
        row += 1
        rfmt = fmt.rating[rating]
        ws.write_string(row, 0, rating.label, rfmt)
        ws.write_string(row, 1, rating.value, rfmt)
        ws.write_number(row, 2, counts[rating])
        if total:
            ws.write_number(row, 3, counts[rating] / total, fmt.percent)
    last_count_row = row
    row += 1
    ws.write_string(row, 0, "Tổng cộng", fmt.bold)
    ws.write_number(row, 2, total, fmt.bold)

    # The HTXSNV cap per peer group.
    row += 2
    ws.write_string(row, 0, "Trần HTXSNV theo nhóm so sánh", fmt.section)
    row += 1
    if result.cap_groups:
        ws.set_row(row, 32)
        for col, text in enumerate(CAP_HEADERS):
            ws.write_string(row, col, text, fmt.header)
        for g in result.cap_groups:
            row += 1
            _write_text(ws, row, 0, g.key, fmt)
            ws.write_number(row, 1, g.rate, fmt.percent)
            ws.write_number(row, 2, g.denominator)
            ws.write_number(row, 3, g.slots)
            ws.write_number(row, 4, len(g.candidates))
            ws.write_number(row, 5, len(g.kept))
            ws.write_number(row, 6, len(g.pending), fmt.rating[Rating.PENDING_COUNCIL]
                            if g.pending else None)
            ws.write_number(row, 7, len(g.demoted))
            _write_opt_number(ws, row, 8, g.cutoff_total, fmt.points)
            if g.pending:
                _write_text(ws, row, 9, ", ".join(g.pending), fmt)
    else:
        ws.write_string(row, 0, "Không áp dụng trần HTXSNV cho kỳ này (hoặc không có ứng viên).")

    # Department means, highest first: the data behind the bar chart.
    means = sorted(
        (d for d in result.departments if d.mean is not None),
        key=lambda d: -(d.mean or 0.0),
    )
    row += 2
    ws.write_string(row, 0, "Điểm trung bình theo khoa/phòng (cao xuống thấp)", fmt.section)
    row += 1
    ws.write_string(row, 0, "Khoa/Phòng", fmt.header)
    ws.write_string(row, 1, "Điểm TB", fmt.header)
    first_mean_row = row + 1
    for d in means:
        row += 1
        _write_text(ws, row, 0, d.name, fmt)
        ws.write_number(row, 1, d.mean or 0.0, fmt.points)
    last_mean_row = row

    # Charts sit to the right of the widest table (the cap groups, 10 columns).
    chart_col = len(CAP_HEADERS) + 1
    if total:
        dist = wb.add_chart({"type": "column"})
        dist.add_series(
            {
                "name": "Số người",
                "categories": [SHEET_STATS, first_count_row, 1, last_count_row, 1],
                "values": [SHEET_STATS, first_count_row, 2, last_count_row, 2],
                "points": [
                    {"fill": {"color": RATING_COLOURS[r][1]}} for r in RATING_ORDER
                ],
                "data_labels": {"value": True},
            }
        )
        dist.set_title({"name": "Phân bố xếp loại"})
        dist.set_legend({"none": True})
        dist.set_y_axis({"name": "Số người", "min": 0})
        dist.set_size({"width": 576, "height": 320})
        ws.insert_chart(2, chart_col, dist)
    if means:
        bar = wb.add_chart({"type": "bar"})
        bar.add_series(
            {
                "name": "Điểm TB",
                "categories": [SHEET_STATS, first_mean_row, 0, last_mean_row, 0],
                "values": [SHEET_STATS, first_mean_row, 1, last_mean_row, 1],
                "fill": {"color": "#4472C4"},
                "data_labels": {"value": True, "num_format": POINTS_FORMAT},
            }
        )
        bar.set_title({"name": "Điểm trung bình theo khoa/phòng"})
        bar.set_legend({"none": True})
        # A bar chart draws its first category at the bottom: reverse so the best is on top.
        bar.set_y_axis({"reverse": True})
        bar.set_x_axis({"min": 0, "max": result.regulation.scoring.total_max})
        bar.set_size({"width": 576, "height": max(320, 22 * len(means) + 90)})
        ws.insert_chart(20, chart_col, bar)


# --- "Nhật ký" --------------------------------------------------------------------------------


def _write_log(ws: Worksheet, result: ScoreResult, run: RunInfo, fmt: _Formats) -> None:
    for col, width in enumerate((28, 48, 30, 66, 90, 24)):
        ws.set_column(col, col, width)
    ws.write_string(0, 0, "Nhật ký chạy thidua", fmt.title)
    _print_setup(ws, repeat_header=False)
    row = 1

    def pair(label: str, value: str | float | None) -> None:
        nonlocal row
        row += 1
        ws.write_string(row, 0, label, fmt.bold)
        if isinstance(value, str):
            _write_text(ws, row, 1, value, fmt)
        elif value is not None:
            ws.write_number(row, 1, value)

    pair("Phiên bản thidua", run.tool_version)
    row += 1
    ws.write_string(row, 0, "Thời điểm chạy", fmt.bold)
    ws.write_datetime(row, 1, run.started_at, fmt.datetime)
    ws.write_string(row, 2, run.started_at.isoformat(timespec="seconds"))
    pair("Lệnh", run.command)
    pair("Kỳ", result.period.label if result.period else "không xác định")
    pair("Mã kỳ", result.period.code if result.period else "")
    pair("Quy chế", result.regulation.name)
    pair("Nguồn quy chế", run.regulation_source)
    pair("SHA-256 quy chế", run.regulation_sha256)
    pair("Nguồn tiêu chí", result.criteria_source)

    row += 2
    ws.write_string(row, 0, "Tệp đầu vào", fmt.section)
    row += 1
    for col, text in enumerate(("STT", "Đường dẫn", "Định dạng", "SHA-256")):
        ws.write_string(row, col, text, fmt.header)
    for i, f in enumerate(run.inputs, start=1):
        row += 1
        ws.write_number(row, 0, i)
        _write_text(ws, row, 1, f.path, fmt)
        _write_text(ws, row, 2, f.format, fmt)
        _write_text(ws, row, 3, f.sha256, fmt)

    row += 2
    ws.write_string(row, 0, "Số liệu", fmt.section)
    pair("Số người", len(result.people))
    pair("Số khoa/phòng", len(result.departments))
    for rating, n in rating_counts(result).items():
        pair(f"{rating.label} ({rating.value})", n)

    if result.inferred_managers:
        row += 2
        ws.write_string(row, 0, "Lãnh đạo suy ra từ chức vụ", fmt.section)
        for staff_id in result.inferred_managers:
            row += 1
            _write_text(ws, row, 1, staff_id, fmt)

    issues = result.report.issues
    row += 2
    ws.write_string(row, 0, f"Cảnh báo và ghi nhận ({len(issues)})", fmt.section)
    row += 1
    if not issues:
        ws.write_string(row, 0, "Không có cảnh báo.")
        return
    for col, text in enumerate(("Mức", "Vị trí", "Mã", "Tệp", "Nội dung", "Giá trị")):
        ws.write_string(row, col, text, fmt.header)
    for issue in issues:
        row += 1
        ws.write_string(row, 0, issue.severity.label)
        _write_text(ws, row, 1, issue.location, fmt)
        ws.write_string(row, 2, issue.code)
        _write_text(ws, row, 3, issue.file or "", fmt)
        _write_text(ws, row, 4, issue.message, fmt)
        if issue.value is not None:
            _write_text(ws, row, 5, str(issue.value), fmt)


# --- helpers ----------------------------------------------------------------------------------


def _write_text(ws: Worksheet, row: int, col: int, value: str, fmt: _Formats) -> None:
    if value:
        ws.write_string(
            row, col, value, fmt.text_safe if value.startswith(_FORMULA_STARTS) else None
        )


def _write_opt_number(
    ws: Worksheet, row: int, col: int, value: float | None, cell_format: Format | None
) -> None:
    if value is not None and math.isfinite(value):
        ws.write_number(row, col, value, cell_format)


def _discard_row_files(wb: Workbook) -> None:
    """Close and delete the per-sheet temporary row files of constant-memory mode (XlsxWriter
    removes them only in ``close()``, which is never reached after a failure)."""
    for ws in wb.worksheets():
        handle = getattr(ws, "row_data_fh", None)
        if handle is not None and not handle.closed:
            handle.close()
        name = getattr(ws, "row_data_filename", None)
        if name:
            with contextlib.suppress(OSError):
                os.unlink(name)


def _print_setup(ws: Worksheet, *, repeat_header: bool = True) -> None:
    """Landscape A4, as wide as one page; the header row repeated on every printed page."""
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    if repeat_header:
        ws.repeat_rows(0)


def _naive(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None) if moment.tzinfo else moment


def _vn_number(value: float) -> str:
    """10.0 → "10", 2.5 → "2,5" (Vietnamese decimal comma)."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:g}".replace(".", ",")
