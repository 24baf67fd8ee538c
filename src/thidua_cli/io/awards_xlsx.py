"""The proposal workbook ``<stem>.de-xuat.xlsx`` written by ``thidua awards``.

Sheets: one per title with awards (ready for the council and the documents), "Lý do" (every
person and department × title with the conditions met and unmet), "Khoa phòng" (collective
titles, quotas, ties, the leaders' share), "Tiền thưởng" (amounts and totals, in figures and in
words), "Nhật ký" (inputs' hashes, rule set, settings, ledger state, warnings) and the hidden
"_thidua_json" holding the ``thidua.awards/2`` object in chunks of ≤ 32,000 characters in
column A (the documents stage reads it from there).

Text from the input sheets is written as strings only (XlsxWriter with
``strings_to_formulas/urls/numbers = False``) through io/xlsx_text.write_text: a name typed
"=HYPERLINK(…)" stays text and carries Excel's quote prefix (F2, Enter keeps it text).
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from thidua_cli.core.awards_model import CONFIRM, MET, PENDING, UNMET
from thidua_cli.core.awards_result import AwardEntry, AwardsOutcome, CandidateEntry
from thidua_cli.core.rulesets import COLLECTIVE, LISTING_ORDER, short_label
from thidua_cli.core.vnformat import dmy
from thidua_cli.io.atomic import write_atomic
from thidua_cli.io.ledger import RatingRecord, StoredAward, StoredDecision
from thidua_cli.io.xlsx_text import TextFormats, write_text

RESULT_SHEET = "_thidua_json"
CHUNK = 32_000

_STATUS = {
    "approved": "Đạt (Hội đồng thông qua)",
    "proposed": "Đề nghị (chưa bỏ phiếu)",
    "rejected": "Không đạt (phiếu bầu)",
    "pending_council": "Chờ Hội đồng xét",
}
_OUTCOME = {"eligible": "Đủ điều kiện", "not_eligible": "Chưa đủ điều kiện",
            "pending_council": "Chờ Hội đồng xét"}


def json_chunks(text: str | bytes, size: int = CHUNK) -> Iterator[str]:
    """The result's JSON in pieces of ``size`` characters (UTF-8 ``bytes`` are decoded a
    slice at a time, so a province's result is never held twice as text)."""
    if isinstance(text, str):
        yield from (text[i:i + size] for i in range(0, len(text), size))
        if not text:
            yield ""
        return
    decoder = codecs.getincrementaldecoder("utf-8")()
    pending = ""
    for start in range(0, len(text), size):
        pending += decoder.decode(text[start:start + size])
        while len(pending) >= size:
            yield pending[:size]
            pending = pending[size:]
    pending += decoder.decode(b"", final=True)
    if pending or not text:
        yield pending


def write_awards_workbook(
    result: AwardsOutcome,
    log: Mapping[str, Any],
    path: Path,
    *,
    force: bool = False,
    json_text: str | bytes | None = None,
) -> None:
    """Write the proposal workbook for the awards result; ``log`` holds the run facts for
    "Nhật ký" (version, time, command, inputs, regulation, ledger state). ``json_text``: the
    result's JSON when the caller has already serialised it (for the .json beside it)."""

    def writer(tmp: Path) -> None:
        _write(result, log, tmp, json_text)

    write_atomic(path, writer, force=force)


class _Formats:
    def __init__(self, wb: Any) -> None:
        # Every format has a quote-prefixed twin for text that looks like a formula.
        self.texts = TextFormats(wb)
        add = self.texts.add
        self.head = add({"bold": True, "text_wrap": True, "valign": "top",
                                   "bg_color": "#DDEBF7", "border": 1})
        self.title = add({"bold": True, "font_size": 13})
        self.text = add({"valign": "top"})
        self.wrap = add({"text_wrap": True, "valign": "top"})
        self.money = add({"num_format": "#,##0", "valign": "top"})
        self.money_bold = add({"num_format": "#,##0", "bold": True})
        self.points = add({"num_format": "0.00", "valign": "top"})
        self.pct = add({"num_format": "0.00%", "valign": "top"})
        self.bold = add({"bold": True})
        self.status = {
            "approved": add({"bg_color": "#C6EFCE", "valign": "top"}),
            "proposed": add({"bg_color": "#DDEBF7", "valign": "top"}),
            "rejected": add({"bg_color": "#FFC7CE", "valign": "top"}),
            "pending_council": add({"bg_color": "#E4DFEC", "valign": "top"}),
            "eligible": add({"bg_color": "#C6EFCE", "valign": "top"}),
            "not_eligible": add({"valign": "top"}),
        }


def _s(ws: Any, row: int, col: int, value: Any, fmt: Any, f: _Formats) -> None:
    """A cell from data: strings always as strings (through the one text writer), numbers as
    numbers, None as blank."""
    if value is None or value == "":
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_string(row, col, "x" if value else "", fmt)
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value, fmt)
    else:
        write_text(ws, row, col, str(value), fmt, formats=f.texts)


def _header(ws: Any, f: _Formats, headers: Sequence[tuple[str, int]], row: int = 0) -> None:
    for c, (text, width) in enumerate(headers):
        ws.write_string(row, c, text, f.head)
        ws.set_column(c, c, width)
    ws.freeze_panes(row + 1, 0)
    ws.autofilter(row, 0, row, len(headers) - 1)


def _write(result: AwardsOutcome, log: Mapping[str, Any], path: Path,
           json_text: str | bytes | None = None) -> None:
    from xlsxwriter.workbook import Workbook

    # Constant memory: every sheet is written row after row, so each row goes to disk as it is
    # written instead of a cell object per cell held until close (the "Lý do" sheet has a row
    # per person and title).
    wb = Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                              "strings_to_numbers": False, "constant_memory": True})
    try:
        f = _Formats(wb)
        for code, kind in LISTING_ORDER:
            rows = [a for a in result.awards if a.title == code and a.kind == kind]
            if rows:
                _title_sheet(wb.add_worksheet(short_label(code, kind)), f, rows, kind)
        _reasons_sheet(wb.add_worksheet("Lý do"), f, result.candidates)
        _departments_sheet(wb.add_worksheet("Khoa phòng"), f, result)
        _money_sheet(wb.add_worksheet("Tiền thưởng"), f, result)
        if result.union:  # [union] enabled (issue 17)
            _union_sheet(wb.add_worksheet(UNION_SHEET), f, result)
        _log_sheet(wb.add_worksheet("Nhật ký"), f, result, log)
        _print_all(wb, result)
        hidden = wb.add_worksheet(RESULT_SHEET)
        text = json_text if json_text is not None else result.json_bytes()
        for i, chunk in enumerate(json_chunks(text)):
            write_text(hidden, i, 0, chunk, formats=f.texts)
        hidden.hide()
    finally:
        wb.close()


def _print_all(wb: Any, result: AwardsOutcome) -> None:
    """Every visible sheet gets the one print set-up (io/print_setup.py): the hospital in the
    page header, the year and the sheet on the right. The lists and "Lý do" repeat their header
    row; the free-form sheets (money, log) do not have one."""
    from thidua_cli.io.print_setup import setup_xlsxwriter

    hospital = str(result.organisation.get("name", "") or "")
    for ws in wb.worksheets():
        header_rows = 0 if ws.name in ("Tiền thưởng", "Nhật ký") else 1
        setup_xlsxwriter(ws, header_rows=header_rows, left=hospital,
                         right=f"{ws.name} – năm {result.year}")


UNION_SHEET = "Công đoàn"


def _union_sheet(ws: Any, f: _Formats, result: AwardsOutcome) -> None:
    """The trade-union titles met (core/union.py), for the union's executive committee."""
    _header(ws, f, [("STT", 5), ("Mã NV", 10), ("Họ và tên", 24), ("Khoa/Phòng", 24),
                    ("Danh hiệu công đoàn", 30), ("Căn cứ", 70)])
    for r, u in enumerate(result.union, start=1):
        for c, value in enumerate((r, u.staff_id, u.name, u.department, u.title_label, u.basis)):
            _s(ws, r, c, value, f.wrap, f)


def _title_sheet(ws: Any, f: _Formats, rows: Sequence[AwardEntry], kind: str) -> None:
    individual = kind == "individual"
    headers = [("STT", 5)]
    if individual:
        headers += [("Mã NV", 10), ("Họ và tên", 26), ("Giới tính", 8), ("Chức vụ", 18),
                    ("Khoa/Phòng", 26), ("Lãnh đạo", 8), ("Xếp loại năm", 12), ("Điểm năm", 9)]
    else:
        headers += [("Khoa/Phòng", 30), ("Điểm bình quân", 10)]
    headers += [("Trạng thái", 22), ("Số phiếu đồng ý", 10), ("Số thành viên HĐ", 10),
                ("Tỷ lệ phiếu", 10), ("Hệ số", 7), ("Số tiền (đồng)", 13), ("Được chi", 8),
                ("Căn cứ", 40), ("Ghi chú", 50)]
    _header(ws, f, headers)
    if individual:
        # Filed by department: a department at a time (ranked within it), each from the top of
        # a page. The JSON and the documents keep the hospital-wide ranking.
        from thidua_cli.io.print_setup import department_breaks, group_by_department

        rows = group_by_department(rows, lambda a: a.department)
        ws.set_h_pagebreaks(department_breaks([a.department for a in rows], first_row=1))
    genders = {"nu": "Nữ", "nam": "Nam"}
    for i, a in enumerate(rows, start=1):
        values: list[tuple[Any, Any]] = [(i, f.text)]
        if individual:
            values += [(a.staff_id, f.text), (a.name, f.text),
                       (genders.get(a.gender, ""), f.text), (a.position, f.text),
                       (a.department, f.text), (a.is_manager, f.text),
                       (a.year_rating, f.text), (a.year_total, f.points)]
        else:
            values += [(a.name, f.text), (a.year_total, f.points)]
        values += [
            (_STATUS.get(a.status, a.status), f.status.get(a.status, f.text)),
            (a.votes_for, f.text), (a.council_members, f.text),
            (a.vote_share, f.pct), (a.coefficient, f.text),
            (a.amount if a.paid else 0, f.money), (a.paid, f.text),
            (a.basis, f.wrap), (a.note, f.wrap),
        ]
        for c, (value, fmt) in enumerate(values):
            _s(ws, i, c, value, fmt, f)


def _reasons_sheet(ws: Any, f: _Formats, candidates: Sequence[CandidateEntry]) -> None:
    _header(ws, f, [("STT", 5), ("Cá nhân / tập thể", 10), ("Mã NV", 10), ("Họ và tên", 26),
                    ("Khoa/Phòng", 26), ("Danh hiệu", 14), ("Kết quả", 16),
                    ("Điều kiện chưa đạt", 60), ("Chờ Hội đồng", 40), ("Điều kiện đã đạt", 60),
                    ("Hội đồng xác nhận", 40)])
    # Filed by department like the title sheets: each department's people (ranked) and then
    # its own collective titles, each department from the top of a page.
    from thidua_cli.io.print_setup import department_breaks, group_by_department

    candidates = group_by_department(candidates, lambda c: c.department)
    ws.set_h_pagebreaks(department_breaks([c.department for c in candidates], first_row=1))
    # A row per person and title (the largest sheet): the reasons are rendered from their codes
    # here, once; an empty cell is left unwritten rather than written blank.
    labels = {(c.title, c.kind): short_label(c.title, c.kind) for c in candidates}
    order = (UNMET, PENDING, MET, CONFIRM)
    for i, c in enumerate(candidates, start=1):
        texts: dict[str, list[str]] = {status: [] for status in order}
        for x in c.conditions:
            texts[x.status].append(x.text)
        ws.write_number(i, 0, i, f.text)
        write_text(ws, i, 1, "Cá nhân" if c.kind == "individual" else "Tập thể", f.text,
                   formats=f.texts)
        for col, value in ((2, c.staff_id), (3, c.name), (4, c.department),
                           (5, labels[(c.title, c.kind)])):
            if value:
                write_text(ws, i, col, value, f.text, formats=f.texts)
        write_text(ws, i, 6, _OUTCOME.get(c.outcome, c.outcome),
                   f.status.get(c.outcome, f.text), formats=f.texts)
        for col, status in enumerate(order, start=7):
            if texts[status]:
                write_text(ws, i, col, "\n".join(texts[status]), f.wrap, formats=f.texts)


def _departments_sheet(ws: Any, f: _Formats, result: AwardsOutcome) -> None:
    _header(ws, f, [("Hạng", 5), ("Khoa/Phòng", 30), ("Số người", 8), ("Thành viên tính", 9),
                    ("LĐTT", 7), ("Tỷ lệ LĐTT", 9), ("CSTĐCS", 8), ("100% từ HTNV", 9),
                    ("Kỷ luật từ cảnh cáo", 9), ("Điểm bình quân", 9), ("Tỷ lệ nữ", 8),
                    ("Danh hiệu tập thể", 20), ("Số suất", 24)])
    r = 0
    for r, d in enumerate(result.departments, start=1):
        quota = d.quota or {}
        quota_text = "; ".join(f"{short_label(k)}: {v}" for k, v in quota.items())
        values = [
            (d.rank, f.text), (d.name, f.text), (d.headcount, f.text),
            (d.members, f.text),
            (d.ldtt, f.text), (d.ldtt_share, f.pct), (d.cstdcs, f.text),
            ("có" if d.all_htnv_or_better else "không", f.text),
            (d.discipline_canh_cao_or_above, f.text), (d.mean_total, f.points),
            (d.women_share, f.pct),
            (", ".join(short_label(t, COLLECTIVE) for t in d.titles), f.text),
            (quota_text, f.text),
        ]
        for c, (value, fmt) in enumerate(values):
            _s(ws, r, c, value, fmt, f)
    row = r + 2
    quotas = result.quotas
    if quotas:
        ws.write_string(row, 0, "Số suất theo quy chế (phương pháp phần dư lớn nhất)", f.title)
        row += 1
        for c, text in enumerate(("Danh hiệu", "Khoa/Phòng", "Cơ sở tính", "Phần chính xác",
                                  "Số suất", "Ứng viên", "Được chọn", "Chờ Hội đồng")):
            ws.write_string(row, c + 1, text, f.head)
        for q in quotas:
            row += 1
            cells: tuple[Any, ...] = (short_label(q.title), q.department or "Toàn bệnh viện",
                                      q.base, q.exact, q.quota, q.candidates, q.chosen, q.pending)
            for c, cell in enumerate(cells):
                _s(ws, row, c + 1, cell, f.text, f)
        row += 2
    ties = result.ties
    if ties:
        ws.write_string(row, 0, "Các trường hợp bằng nhau ở ranh giới: Hội đồng quyết định", f.title)
        row += 1
        for c, text in enumerate(("Loại", "Danh hiệu", "Nhóm / khoa", "Số suất còn", "Những người "
                                  "bằng nhau", "Điểm")):
            ws.write_string(row, c + 1, text, f.head)
        kinds = {"rating": "Trần HTXSNV", "award": "Số suất", "quota": "Chia suất"}
        for t in ties:
            row += 1
            names = ", ".join(f"{n} ({i})" if n != i else n for n, i in zip(t.names, t.ids,
                                                                           strict=False))
            for c, value in enumerate((kinds.get(t.kind, t.kind),
                                       short_label(t.title), t.scope,
                                       t.slots, names, t.total)):
                _s(ws, row, c + 1, value, f.wrap, f)
        row += 2
    leader = result.leader_share
    ws.write_string(row, 0, "Tỷ lệ khen thưởng lãnh đạo, quản lý và người lao động trực tiếp", f.title)
    row += 1
    for c, (text, value, fmt) in enumerate((
        ("Lãnh đạo, quản lý", leader.leaders, f.text),
        ("Người lao động trực tiếp", leader.direct_workers, f.text),
        ("Tỷ lệ lãnh đạo", leader.share_leaders, f.pct),
    )):
        ws.write_string(row, 1 + 2 * c, text, f.bold)
        _s(ws, row, 2 + 2 * c, value, fmt, f)
    if leader.warning:
        row += 1
        write_text(ws, row, 1, str(leader.warning), formats=f.texts)


def _money_sheet(ws: Any, f: _Formats, result: AwardsOutcome) -> None:
    ws.set_column(0, 0, 34)
    ws.set_column(1, 6, 14)
    ws.write_string(0, 0, "TIỀN THƯỞNG THI ĐUA, KHEN THƯỞNG NĂM " + str(result.year),
                    f.title)
    ws.write_string(1, 0, "Mức lương cơ sở")
    _s(ws, 1, 1, result.base_salary, f.money, f)
    write_text(ws, 1, 2, result.base_salary_basis, formats=f.texts)
    ws.write_string(2, 0, "Ngày quyết định")
    write_text(ws, 2, 1, dmy(result.decision_date), formats=f.texts)
    ws.write_string(3, 0, "Bộ quy tắc")
    write_text(ws, 3, 1, result.ruleset.name, formats=f.texts)
    headers = ("Danh hiệu / hình thức", "Cá nhân / tập thể", "Số được khen", "Số được chi",
               "Hệ số", "Mức thưởng (đồng)", "Thành tiền (đồng)")
    for c, text in enumerate(headers):
        ws.write_string(5, c, text, f.head)
    row = 5
    for m in result.money.by_title:
        row += 1
        values = (m.title_label, "Cá nhân" if m.kind == "individual" else "Tập thể",
                  m.awarded, m.count, m.coefficient)
        for c, value in enumerate(values):
            _s(ws, row, c, value, f.text, f)
        _s(ws, row, 5, m.unit_amount, f.money, f)
        _s(ws, row, 6, m.amount, f.money, f)
    row += 1
    ws.write_string(row, 0, "Tổng cộng", f.bold)
    _s(ws, row, 6, result.money.total or 0, f.money_bold, f)
    row += 1
    ws.write_string(row, 0, "Bằng chữ: " + result.money.total_words, f.bold)
    row += 2
    step = result.settings.get("money", {}).get("rounding_step", 10_000)
    ws.write_string(row, 0, "Tiền thưởng = hệ số × mức lương cơ sở tại ngày ký quyết định, "
                    f"{_ROUNDING.get(step, f'làm tròn lên bội số của {step} đồng')}; cùng kỳ nhiều "
                    "danh hiệu chỉ chi danh hiệu cao nhất; khen thưởng cấp trên do cấp quyết định "
                    "chi.")


_ROUNDING = {10_000: "làm tròn lên hàng chục nghìn đồng", 1_000: "làm tròn lên hàng nghìn đồng",
             1: "không làm tròn"}


def _log_sheet(ws: Any, f: _Formats, result: AwardsOutcome, log: Mapping[str, Any]) -> None:
    ws.set_column(0, 0, 30)
    ws.set_column(1, 1, 70)
    ws.set_column(2, 3, 30)
    row = 0

    def line(label: str, value: Any) -> None:
        nonlocal row
        write_text(ws, row, 0, label, f.bold, formats=f.texts)
        _s(ws, row, 1, value if not isinstance(value, (list, dict)) else json.dumps(
            value, ensure_ascii=False), f.wrap, f)
        row += 1

    line("Công cụ", f"thidua {result.tool_version}")
    line("Thời điểm chạy", log.get("started_at", ""))
    line("Lệnh", log.get("command", ""))
    line("Năm", result.year)
    line("Ngày quyết định", result.decision_date.isoformat())
    line("Bộ quy tắc", f"{result.ruleset.code}: {result.ruleset.name}")
    line("Mức lương cơ sở", f"{result.base_salary} ({result.base_salary_basis})")
    line("Quy chế", log.get("regulation_source", ""))
    line("SHA-256 quy chế", log.get("regulation_sha256", ""))
    line("Thay đổi (--set)", "; ".join(log.get("overrides", [])) or "không")
    line("Sổ lịch sử", log.get("ledger", "") or "không có")
    for k, v in (log.get("ledger_state") or {}).items():
        line(f"  {k}", v)
    line("Phiếu bầu", log.get("votes", "") or "không có")
    line("Ưu tiên nữ khi bằng điểm", "có" if result.women_first else "không")
    row += 1
    ws.write_string(row, 0, "Tệp đầu vào", f.head)
    ws.write_string(row, 1, "SHA-256", f.head)
    ws.write_string(row, 2, "Định dạng", f.head)
    row += 1
    for item in log.get("inputs", []):
        write_text(ws, row, 0, str(item.get("path", "")), formats=f.texts)
        write_text(ws, row, 1, str(item.get("sha256", "")), formats=f.texts)
        write_text(ws, row, 2, str(item.get("format", "")), formats=f.texts)
        row += 1
    row += 1
    ws.write_string(row, 0, "Thiết lập xét danh hiệu", f.head)
    row += 1
    for k, v in _flatten(result.settings):
        line(k, v)
    row += 1
    ws.write_string(row, 0, "Cảnh báo", f.head)
    ws.write_string(row, 1, "Nội dung", f.head)
    ws.write_string(row, 2, "Vị trí", f.head)
    row += 1
    for w in result.warnings:
        write_text(ws, row, 0, w.code, formats=f.texts)
        write_text(ws, row, 1, w.message, f.wrap, formats=f.texts)
        where = "!".join(x for x in (w.sheet, w.cell) if x)
        write_text(ws, row, 2, f"{w.file or ''} {where}".strip(), formats=f.texts)
        row += 1


def _flatten(value: Any, prefix: str = "") -> list[tuple[str, Any]]:
    if isinstance(value, Mapping):
        out: list[tuple[str, Any]] = []
        for k, v in value.items():
            out.extend(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    if isinstance(value, list) and value and isinstance(value[0], Mapping):
        return [(f"{prefix}[{i}]", json.dumps(v, ensure_ascii=False)) for i, v in enumerate(value)]
    return [(prefix, json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value)]


def write_ledger_workbook(
    decisions: Sequence[StoredDecision], awards: Sequence[StoredAward],
    ratings: Sequence[RatingRecord], path: Path, *,
    force: bool = False,
) -> None:
    """``thidua ledger export``: the ledger as a workbook whose "Khen thưởng" and "Xếp loại"
    sheets ``thidua ledger import`` reads back."""

    def writer(tmp: Path) -> None:
        from xlsxwriter.workbook import Workbook

        wb = Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                 "strings_to_numbers": False})
        try:
            f = _Formats(wb)
            ws = wb.add_worksheet("Khen thưởng")
            _header(ws, f, [("Năm", 6), ("Số quyết định", 14), ("Ngày quyết định", 12),
                            ("Mã NV", 10), ("Họ và tên", 26), ("Khoa/Phòng", 26),
                            ("Danh hiệu", 30), ("Mã danh hiệu", 16), ("Cấp", 10), ("Hệ số", 7),
                            ("Số tiền", 12), ("Số sáng kiến làm căn cứ", 10)])
            for r, stored in enumerate(awards, start=1):
                a = stored.record
                values: tuple[Any, ...] = (a.year, stored.decision, stored.signed_on.strftime("%d/%m/%Y"),
                          a.staff_id, a.name if a.kind == "individual" else "", a.department or
                          (a.name if a.kind != "individual" else ""), a.title_label, a.title,
                          "Bệnh viện" if a.level == "hospital" else "Cấp trên", a.coefficient,
                          a.amount, stored.initiatives_count)
                for c, value in enumerate(values):
                    _s(ws, r, c, value, f.money if c == 10 else f.text, f)
            ws = wb.add_worksheet("Xếp loại")
            _header(ws, f, [("Năm", 6), ("Mã NV", 10), ("Họ và tên", 26), ("Khoa/Phòng", 26),
                            ("Xếp loại", 10), ("Sáng kiến", 9), ("Sáng kiến đã dùng", 10)])
            for r, x in enumerate(ratings, start=1):
                for c, value in enumerate((x.year, x.staff_id, x.name, x.department, x.rating,
                                           x.initiatives, x.used)):
                    _s(ws, r, c, value, f.text, f)
            ws = wb.add_worksheet("Quyết định")
            _header(ws, f, [("Số quyết định", 16), ("Ngày ký", 12), ("Năm thi đua", 8),
                            ("Nguồn", 14), ("Tệp", 40), ("Ghi sổ lúc", 20), ("Số khen thưởng", 10)])
            for r, d in enumerate(decisions, start=1):
                for c, value in enumerate((d.number, d.signed_on.strftime("%d/%m/%Y"), d.year,
                                           "ghi từ kết quả" if d.origin == "record" else "nhập từ Excel",
                                           d.source, d.recorded_at, d.awards)):
                    _s(ws, r, c, value, f.text, f)
            from thidua_cli.io.print_setup import setup_xlsxwriter

            for sheet in wb.worksheets():
                setup_xlsxwriter(sheet, left="Sổ thi đua, khen thưởng", right=sheet.name)
        finally:
            wb.close()

    write_atomic(path, writer, force=force)
