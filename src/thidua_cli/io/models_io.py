"""The register of exemplary models (điển hình tiên tiến) in workbooks: reading a messy sheet
(``thidua initiatives models import``) and writing the yearly report of models and their
replication (``thidua initiatives models report``).

One row per model, or per place a model was replicated at (rows naming the same model add
places). Every problem is a finding of the one catalogue naming file, sheet and cell; the
register takes all rows or none. Text is written as data (io/xlsx_text), never a formula.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from thidua_cli.core.models import ExemplaryModel, Replication, merge, parse_kind, summary
from thidua_cli.core.numbers import is_blank
from thidua_cli.errors import InvalidDataError
from thidua_cli.io.atomic import write_atomic
from thidua_cli.io.awards_io import _cell, _find_header, _int, _text, _where
from thidua_cli.io.awards_xlsx import _Formats, _header, _s
from thidua_cli.io.reader.cells import staff_id_text
from thidua_cli.issues import make_issue
from thidua_cli.model import Report

ALIASES: dict[str, tuple[str, ...]] = {
    "year": ("Năm", "Năm công nhận", "Năm xét"),
    "kind": ("Đối tượng", "Cá nhân/Tập thể", "Loại"),
    "name": ("Họ tên/Tập thể", "Họ và tên", "Tên tập thể", "Cá nhân, tập thể", "Điển hình"),
    "staff_id": ("Mã NV", "Mã nhân viên"),
    "department": ("Khoa/Phòng", "Khoa phòng", "Đơn vị"),
    "model": ("Mô hình", "Mô hình, cách làm", "Tên mô hình", "Cách làm hay"),
    "criteria": ("Tiêu chí đạt", "Tiêu chí", "Thành tích"),
    "place": ("Nơi nhân rộng", "Đơn vị nhân rộng", "Nhân rộng tại"),
    "result": ("Kết quả nhân rộng", "Kết quả"),
}
HEADINGS = {f: names[0] for f, names in ALIASES.items()}
MODELS_SHEET = "Điển hình tiên tiến"
SUMMARY_SHEET = "Tổng hợp"


@dataclass(frozen=True)
class ModelsImport:
    items: tuple[ExemplaryModel, ...]  # merged: one per model
    report: Report
    rows: int


def read_models(path: str | Path) -> ModelsImport:
    from thidua_cli.io.workbook import load_workbook

    shown = str(path)
    raw = load_workbook(path)
    report = Report()
    items: list[ExemplaryModel] = []
    rows = tables = 0
    for sheet in raw.sheets:
        if sheet.kind != "worksheet":
            continue
        header = _find_header(sheet, ALIASES, ("name", "model"))
        if header is None:
            continue
        tables += 1
        cols = header.columns
        for r in range(header.row + 1, sheet.max_row + 1):
            v = {f: _cell(sheet, r, c) for f, c in cols.items()}
            if all(is_blank(x) for x in v.values()):
                continue
            rows += 1
            item = _row(shown, sheet, r, cols, v, report)
            if item is not None:
                items.append(item)
    if tables == 0:
        raise InvalidDataError(
            f"Tệp {shown} không có bảng điển hình tiên tiến: cần một dòng tiêu đề có ít nhất hai "
            "cột \"Họ tên/Tập thể\" và \"Mô hình\" (thêm \"Năm\", \"Đối tượng\", \"Tiêu chí đạt\", "
            "\"Nơi nhân rộng\", \"Kết quả nhân rộng\" … nếu có).", report)
    return ModelsImport(tuple(merge(items)), report, rows)


def _row(shown: str, sheet: Any, r: int, cols: Mapping[str, int], v: Mapping[str, Any],
         report: Report) -> ExemplaryModel | None:
    def here(f: str) -> dict[str, Any]:
        return _where(shown, sheet, r, cols.get(f))

    before = len(report.errors)
    name, model = _text(v.get("name", "")), _text(v.get("model", ""))
    if not name:
        report.add(make_issue("model-missing-name", **here("name")))
    if not model:
        report.add(make_issue("model-missing-model", **here("model")))
    kind = parse_kind(_text(v.get("kind", "")))
    if kind is None:
        report.add(make_issue("model-unknown-kind", **here("kind"), value=_text(v["kind"])))
    year = _int(v.get("year"))
    if not year or not 1990 <= year <= 2100:
        report.add(make_issue("model-no-year", **here("year"), value=_text(v.get("year", ""))))
    place, result = _text(v.get("place", "")), _text(v.get("result", ""))
    if len(report.errors) > before or kind is None or not year:
        return None
    sid = staff_id_text(v.get("staff_id")) if not is_blank(v.get("staff_id")) else ""
    return ExemplaryModel(year, kind, name, model, _text(v.get("criteria", "")), sid or "",
                          _text(v.get("department", "")),
                          (Replication(place, result),) if place else ())


def write_report(items: Sequence[ExemplaryModel], path: Path, *, year: int, force: bool) -> None:
    """The yearly report: one row per model and place (a model not replicated yet has one
    row with the place blank), and the summary counts."""
    def writer(tmp: Path) -> None:
        from xlsxwriter.workbook import Workbook

        wb = Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                 "strings_to_numbers": False})
        try:
            f = _Formats(wb)
            ws = wb.add_worksheet(MODELS_SHEET)
            ws.write_string(0, 0, f"BÁO CÁO ĐIỂN HÌNH TIÊN TIẾN VÀ NHÂN RỘNG NĂM {year}", f.title)
            heads = [("STT", 5), (HEADINGS["year"], 7), (HEADINGS["kind"], 10),
                     (HEADINGS["name"], 26), (HEADINGS["staff_id"], 10),
                     (HEADINGS["department"], 22), (HEADINGS["model"], 36),
                     (HEADINGS["criteria"], 30), (HEADINGS["place"], 24),
                     (HEADINGS["result"], 36)]
            _header(ws, f, heads, row=2)
            row = 3
            for n, m in enumerate(items, start=1):
                for rep in m.replications or (Replication(""),):
                    for c, value in enumerate((n, m.year, m.kind_label, m.name, m.staff_id,
                                               m.department, m.model, m.criteria, rep.place,
                                               rep.result)):
                        _s(ws, row, c, value, f.wrap, f)
                    row += 1
            s = summary(items)
            ws = wb.add_worksheet(SUMMARY_SHEET)
            ws.set_column(0, 0, 44)
            ws.set_column(1, 1, 10)
            for r, (label, value) in enumerate((
                    ("Số điển hình tiên tiến", s.models), ("– Cá nhân", s.individuals),
                    ("– Tập thể", s.collectives), ("Số điển hình đã được nhân rộng", s.replicated),
                    ("Số nơi nhân rộng", s.places))):
                ws.write_string(r, 0, label, f.bold if r in (0, 3, 4) else f.text)
                ws.write_number(r, 1, value, f.text)
        finally:
            wb.close()

    write_atomic(path, writer, force=force)
