"""The comments sheet of a public posting (``thidua publish``): written with the notice, filled
in by the clerk as comments arrive, read back by ``thidua publish comments``.

Sheets: "Ý kiến" (one row per comment: who, about whom, what kind, what, received when,
resolved how, resolved or not), "Danh sách công khai" (the candidates posted, to look IDs up)
and "Thông tin" (the posting's start, deadline and working days, which the reading needs).
Every problem of a filled-in sheet is a finding naming file, sheet and cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from thidua_cli.core.awards_result import AwardsOutcome
from thidua_cli.core.numbers import is_blank
from thidua_cli.core.publish import (
    KIND_LABELS,
    Comment,
    Posting,
    criteria_result,
    parse_comment_kind,
    posted,
)
from thidua_cli.errors import InvalidDataError
from thidua_cli.io.atomic import write_atomic
from thidua_cli.io.awards_io import _cell, _find_header, _text, _where
from thidua_cli.io.awards_xlsx import _Formats, _header, _s
from thidua_cli.io.reader.cells import parse_date, parse_flag, staff_id_text
from thidua_cli.issues import make_issue
from thidua_cli.model import Report

COMMENTS_SHEET = "Ý kiến"
POSTED_SHEET = "Danh sách công khai"
INFO_SHEET = "Thông tin"
ALIASES: dict[str, tuple[str, ...]] = {
    "by": ("Người góp ý", "Người gửi", "Người/đơn vị góp ý"),
    "staff_id": ("Mã NV người được góp ý", "Mã NV", "Mã nhân viên"),
    "name": ("Họ tên người được góp ý", "Họ và tên", "Về cá nhân"),
    "kind": ("Hình thức", "Loại ý kiến", "Loại"),
    "text": ("Nội dung", "Nội dung ý kiến"),
    "received": ("Ngày nhận", "Ngày tiếp nhận"),
    "answer": ("Cách giải quyết", "Kết quả giải quyết", "Giải quyết"),
    "resolved": ("Đã giải quyết xong", "Đã giải quyết", "Xong"),
}
_INFO = {"start": "Ngày bắt đầu niêm yết", "deadline": "Hạn nhận ý kiến",
         "days": "Số ngày làm việc", "year": "Năm thi đua", "result": "Kết quả xét danh hiệu"}


def write_comments_sheet(outcome: AwardsOutcome, posting: Posting, source: str, path: Path, *,
                         force: bool) -> None:
    def writer(tmp: Path) -> None:
        from xlsxwriter.workbook import Workbook

        wb = Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                 "strings_to_numbers": False})
        try:
            f = _Formats(wb)
            ws = wb.add_worksheet(COMMENTS_SHEET)
            ws.write_string(0, 0, f"SỔ TIẾP NHẬN Ý KIẾN VỀ DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM "
                                  f"{outcome.year}", f.title)
            ws.write_string(1, 0, f"Niêm yết từ {posting.start:%d/%m/%Y} đến hết "
                                  f"{posting.deadline:%d/%m/%Y} ({posting.days} ngày làm việc). "
                                  "Hình thức: " + ", ".join(KIND_LABELS.values()) + ".", f.text)
            heads = [("STT", 5), (ALIASES["by"][0], 22), (ALIASES["staff_id"][0], 12),
                     (ALIASES["name"][0], 24), (ALIASES["kind"][0], 18), (ALIASES["text"][0], 44),
                     (ALIASES["received"][0], 12), (ALIASES["answer"][0], 36),
                     (ALIASES["resolved"][0], 10)]
            _header(ws, f, heads, row=3)
            ws.data_validation(4, 4, 503, 4, {"validate": "list",
                                              "source": list(KIND_LABELS.values())})
            ws.data_validation(4, 6, 503, 6, {"validate": "date", "criteria": ">=",
                                              "value": date(posting.start.year - 1, 1, 1),
                                              "ignore_blank": True})
            ws = wb.add_worksheet(POSTED_SHEET)
            _header(ws, f, [("STT", 5), ("Mã NV", 10), ("Họ và tên", 24), ("Khoa/Phòng", 24),
                            ("Danh hiệu đề nghị", 26), ("Kết quả theo tiêu chí", 50)])
            for r, a in enumerate(posted(outcome), start=1):
                for c, value in enumerate((r, a.staff_id, a.name, a.department, a.title_label,
                                           criteria_result(outcome, a))):
                    _s(ws, r, c, value, f.wrap, f)
            ws = wb.add_worksheet(INFO_SHEET)
            ws.set_column(0, 0, 26)
            ws.set_column(1, 1, 40)
            info: tuple[tuple[str, Any], ...] = (
                ("result", source), ("year", outcome.year), ("start", posting.start.isoformat()),
                ("deadline", posting.deadline.isoformat()), ("days", posting.days))
            for r, (k, item) in enumerate(info):
                ws.write_string(r, 0, _INFO[k], f.bold)
                _s(ws, r, 1, item, f.text, f)
        finally:
            wb.close()

    write_atomic(path, writer, force=force)


@dataclass(frozen=True)
class CommentsRead:
    posting: Posting
    year: int
    comments: tuple[Comment, ...]
    report: Report


def read_comments(path: str | Path, outcome: AwardsOutcome) -> CommentsRead:
    """The comments of a filled-in sheet, checked against the candidates of ``outcome``."""
    from thidua_cli.io.workbook import load_workbook

    shown = str(path)
    raw = load_workbook(path)
    info_sheet = next((s for s in raw.sheets if s.name == INFO_SHEET), None)
    info: dict[str, Any] = {}
    if info_sheet is not None:
        labels = {v: k for k, v in _INFO.items()}
        for r in range(1, info_sheet.max_row + 1):
            label = _text(_cell(info_sheet, r, 1))
            if label in labels:
                info[labels[label]] = _cell(info_sheet, r, 2)
    start = parse_date(info.get("start"))[0] if "start" in info else None
    deadline = parse_date(info.get("deadline"))[0] if "deadline" in info else None
    if start is None or deadline is None:
        raise InvalidDataError(
            f"Tệp {shown} thiếu sheet \"{INFO_SHEET}\" với ngày bắt đầu niêm yết và hạn nhận ý "
            "kiến. Hãy dùng sổ ý kiến do thidua publish notice ghi ra.")
    days = int(float(info.get("days") or 0))
    year = int(float(info.get("year") or outcome.year))
    posting = Posting(start, deadline, days)
    sheet = next((s for s in raw.sheets if s.name == COMMENTS_SHEET), None)
    header = _find_header(sheet, ALIASES, ("staff_id", "text")) if sheet is not None else None
    if sheet is None or header is None:
        raise InvalidDataError(
            f"Tệp {shown} không có sheet \"{COMMENTS_SHEET}\" với các cột \"{ALIASES['staff_id'][0]}\" "
            f"và \"{ALIASES['text'][0]}\".")
    candidates = {a.staff_id for a in posted(outcome) if a.staff_id}
    report = Report()
    comments: list[Comment] = []
    cols = header.columns
    for r in range(header.row + 1, sheet.max_row + 1):
        v = {f: _cell(sheet, r, c) for f, c in cols.items()}
        if all(is_blank(x) for x in v.values()):
            continue

        def here(f: str, r: int = r) -> dict[str, Any]:
            return _where(shown, sheet, r, cols.get(f))

        sid = staff_id_text(v.get("staff_id", ""))
        before = len(report.errors)
        if not sid:
            report.add(make_issue("publish-missing-candidate", **here("staff_id")))
        elif sid not in candidates:
            report.add(make_issue("publish-unknown-candidate", **here("staff_id"), value=sid,
                                  year=outcome.year))
        kind_text = _text(v.get("kind", ""))
        kind = parse_comment_kind(kind_text)
        if kind is None:
            report.add(make_issue("publish-unknown-comment-kind", **here("kind"), value=kind_text,
                                  kinds=", ".join(KIND_LABELS.values())))
        received = None
        if not is_blank(v.get("received")):
            received = parse_date(v["received"])[0]
            if received is None:
                report.add(make_issue("publish-invalid-date", **here("received"),
                                      value=_text(v["received"])))
        done = parse_flag(v.get("resolved"))
        if done == "?":
            report.add(make_issue("publish-invalid-flag", **here("resolved"),
                                  value=_text(v["resolved"])))
        if len(report.errors) > before or kind is None:
            continue
        if received is not None and received > deadline:
            report.add(make_issue("publish-late-comment", **here("received"), value=received,
                                  deadline=f"{deadline:%d/%m/%Y}"))
        comments.append(Comment(about=sid, kind=kind, text=_text(v.get("text", "")),
                                by=_text(v.get("by", "")), received=received,
                                answer=_text(v.get("answer", "")), resolved=done is True, row=r))
    return CommentsRead(posting, year, tuple(comments), report)
