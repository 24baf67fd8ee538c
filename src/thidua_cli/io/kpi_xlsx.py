"""The KPI workbooks: ``<stem>.kpi.xlsx`` written by ``thidua kpi``, and the template a
department fills in (``thidua kpi template``).

``<stem>.kpi.xlsx`` sheets: "Khoa phòng" (the departments ranked, below target first in colour,
with a native bar chart of their KPI), "Chỉ số" (every indicator with its attainment, coloured by
band: ≥ 100 % green, 80–100 % yellow, < 80 % red), "Cá nhân" (each person's own score, blend and
KPI), "Phân bổ" (each hospital indicator and the indicators cascaded from it), "Nhật ký" (the
run and its findings). Landscape A4, one page wide, header rows repeated.

Every text from the input goes through io/xlsx_text.write_text (never a formula, never markup).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from thidua_cli.core.kpi import Attainment, Indicator, KpiResult, KpiTrend, Level
from thidua_cli.io.atomic import write_atomic
from thidua_cli.io.xlsx_text import TextFormats, write_row, write_text
from thidua_cli.model import Regulation

GOOD, FAIR = 100.0, 80.0  # colour bands of an attainment or a score (percent)


def band_of(value: float | None) -> str:
    """"good" (≥ 100 %), "fair" (80 – < 100 %), "poor" (< 80 %) or "none"."""
    if value is None:
        return "none"
    return "good" if value >= GOOD else "fair" if value >= FAIR else "poor"


class _Formats:
    def __init__(self, wb: Any) -> None:
        self.texts = TextFormats(wb)
        add = self.texts.add
        self.head = add({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7",
                         "border": 1})
        self.title = add({"bold": True, "font_size": 13})
        self.text = add({"valign": "top"})
        self.num = add({"num_format": "0.00", "valign": "top"})
        self.band = {
            "good": add({"num_format": "0.00", "bg_color": "#C6EFCE"}),
            "fair": add({"num_format": "0.00", "bg_color": "#FFEB9C"}),
            "poor": add({"num_format": "0.00", "bg_color": "#FFC7CE"}),
            "none": add({"num_format": "0.00"}),
        }


def _put(ws: Any, f: _Formats, r: int, c: int, value: Any, fmt: Any = None) -> None:
    if value is None or value == "":
        ws.write_blank(r, c, None, fmt)
    elif isinstance(value, str):
        write_text(ws, r, c, value, fmt or f.text, formats=f.texts)
    else:
        ws.write_number(r, c, float(value), fmt or f.num)


def _table(ws: Any, f: _Formats, headers: Sequence[tuple[str, int]], first_row: int = 0) -> None:
    for c, (h, width) in enumerate(headers):
        ws.set_column(c, c, width)
        write_text(ws, first_row, c, h, f.head, formats=f.texts)
    ws.freeze_panes(first_row + 1, 0)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(first_row)


def write_kpi_workbook(result: KpiResult, path: Path, *, source: Path, command: str,
                       force: bool = False, trend: KpiTrend | None = None) -> None:
    def writer(tmp: Path) -> None:
        _write(result, tmp, source, command, trend)

    write_atomic(path, writer, force=force)


def _write(result: KpiResult, path: Path, source: Path, command: str,
           trend: KpiTrend | None) -> None:
    from xlsxwriter.workbook import Workbook

    wb = Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                              "strings_to_numbers": False})
    try:
        f = _Formats(wb)
        _departments(wb, wb.add_worksheet("Khoa phòng"), f, result)
        _indicators(wb.add_worksheet("Chỉ số"), f, result)
        _people(wb.add_worksheet("Cá nhân"), f, result)
        _cascade(wb.add_worksheet("Phân bổ"), f, result)
        if trend is not None:
            _trend(wb, wb.add_worksheet("Xu hướng"), f, trend)
        _log(wb.add_worksheet("Nhật ký"), f, result, source, command)
    finally:
        wb.close()


def _departments(wb: Any, ws: Any, f: _Formats, result: KpiResult) -> None:
    _table(ws, f, [("Hạng", 7), ("Khoa/Phòng", 32), ("Điểm KPI", 11), ("Số chỉ số", 10),
                   ("Tổng trọng số", 12), ("Đạt chỉ tiêu", 12)])
    rows = result.departments
    for i, d in enumerate(rows, start=1):
        _put(ws, f, i, 0, d.rank)
        _put(ws, f, i, 1, d.name)
        _put(ws, f, i, 2, d.score, f.band[band_of(d.score)])
        _put(ws, f, i, 3, len(d.indicators))
        _put(ws, f, i, 4, d.weight_sum)
        _put(ws, f, i, 5, "" if d.score is None else "Chưa đạt" if d.below_target else "Đạt")
    n = len(rows)
    if result.hospital is not None:
        _put(ws, f, n + 2, 1, "Bệnh viện (chỉ số cấp bệnh viện)", f.head)
        _put(ws, f, n + 2, 2, result.hospital.score, f.band[band_of(result.hospital.score)])
    if n:
        chart = wb.add_chart({"type": "bar"})
        chart.add_series({
            "name": "Điểm KPI",
            "categories": ["Khoa phòng", 1, 1, n, 1],
            "values": ["Khoa phòng", 1, 2, n, 2],
            "data_labels": {"value": True},
        })
        chart.set_title({"name": "Điểm KPI theo khoa/phòng"})
        chart.set_y_axis({"reverse": True})
        chart.set_x_axis({"name": "%", "min": 0})
        chart.set_legend({"none": True})
        chart.set_size({"width": 640, "height": max(300, 22 * n + 80)})
        ws.insert_chart(1, 7, chart)


def _owner_label(a: Attainment) -> str:
    ind = a.indicator
    if ind.level is Level.HOSPITAL:
        return "Bệnh viện" + (f" ({ind.department})" if ind.department else "")
    if ind.level.personal:
        return f"{ind.staff_name} ({ind.staff_id})" if ind.staff_name else ind.staff_id
    return ind.department


def _all_attainments(result: KpiResult) -> list[Attainment]:
    seen: set[int] = set()
    out: list[Attainment] = []
    owners = [*([result.hospital] if result.hospital else []), *result.departments, *result.people]
    for o in owners:
        for a in o.indicators:
            if id(a.indicator) not in seen:
                seen.add(id(a.indicator))
                out.append(a)
    return out


def _indicators(ws: Any, f: _Formats, result: KpiResult) -> None:
    _table(ws, f, [("Cấp", 11), ("Khoa/Phòng, người", 28), ("Mã chỉ số", 10), ("Tên chỉ số", 36),
                   ("Đơn vị tính", 9), ("Chiều", 15), ("Chỉ tiêu", 10), ("Thực hiện", 10),
                   ("Trọng số", 9), ("Mức hoàn thành (%)", 12), ("Chỉ số cha", 10), ("Nguồn", 14),
                   ("Dòng", 16)])
    # Tens of thousands of rows: one write_row each, the formats chosen once per column (the
    # attainment's by its band), no per-cell dispatch.
    columns = [f.text] * 6 + [f.num] * 4 + [f.text] * 3
    by_band = {band: [*columns[:9], fmt, *columns[10:]] for band, fmt in f.band.items()}
    attainments = _all_attainments(result)
    for i, a in enumerate(attainments, start=1):
        ind = a.indicator
        target: Any = ind.target
        if ind.direction is not None and ind.direction.value == "band":
            target = f"{ind.band_low:g} – {ind.band_high:g}" if (
                ind.band_low is not None and ind.band_high is not None) else ""
        values: list[Any] = [ind.level.label, _owner_label(a), ind.code, ind.name, ind.unit,
                             ind.direction.label if ind.direction else "", target, ind.actual,
                             ind.weight, a.percent, ind.parent, ind.source,
                             f"{ind.where.sheet}!{ind.where.row}" if ind.where else ""]
        write_row(ws, i, values, by_band[band_of(a.percent)], formats=f.texts)
    ws.autofilter(0, 0, max(1, len(attainments)), 12)


def _people(ws: Any, f: _Formats, result: KpiResult) -> None:
    _table(ws, f, [("Khoa/Phòng", 26), ("Hạng trong khoa", 9), ("Mã NV", 10), ("Họ và tên", 26),
                   ("Cấp", 10), ("Điểm chỉ số cá nhân", 12), ("Điểm KPI", 11),
                   ("Hạng toàn viện", 9)])
    columns = [f.text, f.num, f.text, f.text, f.text, f.num, f.num, f.num]
    by_band = {band: [*columns[:6], fmt, f.num] for band, fmt in f.band.items()}
    for i, p in enumerate(result.people, start=1):
        write_row(ws, i, [p.department, p.rank, p.key, p.name, p.level.label, p.own, p.score,
                          p.hospital_rank], by_band[band_of(p.score)], formats=f.texts)


def _cascade(ws: Any, f: _Formats, result: KpiResult) -> None:
    _table(ws, f, [("Chỉ số bệnh viện", 36), ("Mức hoàn thành BV (%)", 12),
                   ("Phân bổ cho", 28), ("Chỉ số", 36), ("Mức hoàn thành (%)", 12)])
    r = 1
    for line in result.cascade:
        for child in line.children:
            _put(ws, f, r, 0, line.parent.indicator.label)
            _put(ws, f, r, 1, line.parent.percent, f.band[band_of(line.parent.percent)])
            _put(ws, f, r, 2, _owner_label(child))
            _put(ws, f, r, 3, child.indicator.label)
            _put(ws, f, r, 4, child.percent, f.band[band_of(child.percent)])
            r += 1


def _trend(wb: Any, ws: Any, f: _Formats, trend: KpiTrend) -> None:
    """The KPI period by period: the hospital, then each department; a line chart of them."""
    _table(ws, f, [("Khoa/Phòng", 32), *((p, 13) for p in trend.periods)])
    rows = [("Bệnh viện", trend.hospital), *trend.departments]
    for r, (name, scores) in enumerate(rows, start=1):
        _put(ws, f, r, 0, name)
        for c, score in enumerate(scores, start=1):
            _put(ws, f, r, c, score, f.band[band_of(score)])
    chart = wb.add_chart({"type": "line"})
    n = len(trend.periods)
    for r in range(1, len(rows) + 1):
        chart.add_series({"name": ["Xu hướng", r, 0], "categories": ["Xu hướng", 0, 1, 0, n],
                          "values": ["Xu hướng", r, 1, r, n], "marker": {"type": "circle"}})
    chart.set_title({"name": "Điểm KPI theo quý"})
    chart.set_y_axis({"name": "%"})
    chart.set_size({"width": 760, "height": 420})
    ws.insert_chart(len(rows) + 2, 0, chart)


def _log(ws: Any, f: _Formats, result: KpiResult, source: Path, command: str) -> None:
    from thidua_cli import __version__

    s = result.settings
    ws.set_column(0, 0, 28)
    ws.set_column(1, 1, 90)
    lines = [
        ("Phần mềm", f"thidua {__version__}"),
        ("Lệnh", command),
        ("Tệp KPI", str(source)),
        ("Trần mức hoàn thành", f"{float(s.cap) * 100:g} %"),
        ("Công thức", f"cao hơn tốt hơn: {s.higher_formula}; thấp hơn tốt hơn: "
                      f"{s.lower_formula}; trong khoảng: {s.band_formula}"),
        ("Thiếu số thực hiện", s.missing_actual),
        ("Kết hợp KPI khoa/phòng", f"quản lý {float(s.manager_department_weight) * 100:g} %, "
                                   f"nhân viên {float(s.staff_department_weight) * 100:g} %"),
    ]
    for r, (k, v) in enumerate(lines):
        write_text(ws, r, 0, k, f.head, formats=f.texts)
        write_text(ws, r, 1, v, f.text, formats=f.texts)
    r = len(lines) + 1
    write_text(ws, r, 0, "Phát hiện", f.title, formats=f.texts)
    for issue in result.report.issues:
        r += 1
        write_text(ws, r, 0, f"{issue.severity.label} {issue.code}", f.text, formats=f.texts)
        where = f"{issue.sheet}!{issue.cell}: " if issue.sheet and issue.cell else ""
        write_text(ws, r, 1, where + issue.message, f.text, formats=f.texts)


# --------------------------------------------------------------------------------------------
# The template (thidua kpi template)
# --------------------------------------------------------------------------------------------

TEMPLATE_HEADERS: tuple[tuple[str, int], ...] = (
    ("STT", 5), ("Mã chỉ số", 10), ("Tên chỉ số", 36), ("Cấp", 12), ("Khoa/Phòng", 24),
    ("Mã NV", 10), ("Họ và tên", 22), ("Loại", 14), ("Đơn vị tính", 9), ("Chiều", 16),
    ("Chỉ tiêu", 10), ("Thực hiện", 10), ("Trọng số (%)", 9), ("Ngưỡng", 9), ("Cận dưới", 9),
    ("Cận trên", 9), ("Chỉ số cha", 10), ("Nguồn", 16),
)
LEVEL_WORDS = ("Bệnh viện", "Khoa/phòng", "Quản lý", "Nhân viên")
DIRECTION_WORDS = ("Cao hơn tốt hơn", "Thấp hơn tốt hơn", "Trong khoảng")
KIND_WORDS = ("Số liệu", "Tỷ lệ", "Chất lượng", "Hài lòng")
TEMPLATE_ROWS = 200


def write_kpi_template(path: Path, regulation: Regulation, *, force: bool = False,
                       rows: Sequence[Indicator] = ()) -> None:
    """The template; ``rows``: indicators written in it with their targets and weights and
    the "Thực hiện" cell left for the department (``thidua kpi template --from``)."""

    def writer(tmp: Path) -> None:
        _write_template(tmp, regulation, rows)

    write_atomic(path, writer, force=force)


_LEVEL_WORD = dict(zip(("hospital", "department", "manager", "staff"), LEVEL_WORDS, strict=True))
_DIRECTION_WORD = dict(zip(("higher", "lower", "band"), DIRECTION_WORDS, strict=True))
_KIND_WORD = dict(zip(("number", "percent", "quality", "survey"), KIND_WORDS, strict=True))


def _template_row(i: int, ind: Indicator) -> list[Any]:
    """A row of the template in TEMPLATE_HEADERS order; "Thực hiện" blank."""
    return [i, ind.code, ind.name, _LEVEL_WORD[ind.level.value], ind.department, ind.staff_id,
            ind.staff_name, _KIND_WORD[ind.kind.value] if ind.kind else "", ind.unit,
            _DIRECTION_WORD[ind.direction.value] if ind.direction else "", ind.target, None,
            ind.weight, ind.threshold, ind.band_low, ind.band_high, ind.parent, ind.source]


def _write_template(path: Path, regulation: Regulation, rows: Sequence[Indicator]) -> None:
    from xlsxwriter.workbook import Workbook

    wb = Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                              "strings_to_numbers": False})
    try:
        f = _Formats(wb)
        ws = wb.add_worksheet("KPI")
        ws.merge_range(0, 0, 0, len(TEMPLATE_HEADERS) - 1, None)
        write_text(ws, 0, 0, f"BẢNG CHỈ SỐ KPI – {regulation.organisation.name}", f.title,
                   formats=f.texts)
        _table(ws, f, TEMPLATE_HEADERS, first_row=2)
        col = {h: i for i, (h, _) in enumerate(TEMPLATE_HEADERS)}
        last = 2 + TEMPLATE_ROWS
        for header, words in (("Cấp", LEVEL_WORDS), ("Chiều", DIRECTION_WORDS),
                              ("Loại", KIND_WORDS)):
            ws.data_validation(3, col[header], last, col[header], {
                "validate": "list", "source": list(words), "error_type": "warning",
                "input_title": header, "input_message": "Chọn trong danh sách."})
        departments = list(regulation.organisation.departments)
        if departments:
            lists = wb.add_worksheet("Danh mục")
            for r, name in enumerate(departments):
                write_text(lists, r, 0, name, formats=f.texts)
            ws.data_validation(3, col["Khoa/Phòng"], last, col["Khoa/Phòng"], {
                "validate": "list", "source": f"='Danh mục'!$A$1:$A${len(departments)}",
                "error_type": "warning"})
            lists.hide()
        for header in ("Chỉ tiêu", "Thực hiện", "Trọng số (%)", "Ngưỡng", "Cận dưới", "Cận trên"):
            ws.data_validation(3, col[header], last, col[header], {
                "validate": "decimal", "criteria": ">=", "value": 0, "error_type": "warning",
                "error_message": "Nhập một số không âm (tỷ lệ có thể ghi 95 hoặc 95%)."})
        for r, ind in enumerate(rows, start=3):
            for c, value in enumerate(_template_row(r - 2, ind)):
                _put(ws, f, r, c, value)
        guide = wb.add_worksheet("Hướng dẫn")
        guide.set_column(0, 0, 110)
        for r, line in enumerate(GUIDE):
            write_text(guide, r, 0, line, f.title if r == 0 else f.text, formats=f.texts)
    finally:
        wb.close()


GUIDE = (
    "Hướng dẫn điền bảng KPI",
    "Mỗi dòng là một chỉ số của một đơn vị hoặc một người. Cấp: Bệnh viện, Khoa/phòng (điền "
    "Khoa/Phòng), Quản lý hoặc Nhân viên (điền Mã NV và Khoa/Phòng).",
    "Chiều: Cao hơn tốt hơn (thực hiện / chỉ tiêu), Thấp hơn tốt hơn (chỉ tiêu / thực hiện), Trong "
    "khoảng (điền Cận dưới và Cận trên).",
    "Loại: Số liệu, Tỷ lệ (phần trăm: ghi 95, 95% hoặc 0,95), Chất lượng (tiêu chí của Bộ tiêu chí "
    "chất lượng bệnh viện, mức 1–5), Hài lòng (khảo sát hài lòng người bệnh, phần trăm).",
    "Trọng số: tổng trọng số các chỉ số của mỗi khoa/phòng, mỗi người là 100.",
    "Chỉ số cha: mã chỉ số cấp trên được phân bổ xuống (ví dụ chỉ số nhiễm khuẩn của khoa phân bổ "
    "từ chỉ số của bệnh viện); ô nào để trống (chỉ tiêu, chiều, đơn vị tính) lấy theo chỉ số cha.",
    "Ngưỡng: mức thực hiện tối thiểu (tối đa với chỉ số thấp hơn tốt hơn) để được tính điểm.",
    "Tỷ lệ dưới 1 % hãy ghi kèm dấu %, ví dụ 0,8%.",
    "Kiểm tra và tính: thidua kpi <tệp này>",
)
