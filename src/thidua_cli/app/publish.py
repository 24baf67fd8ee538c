"""``thidua publish`` as library functions: post an awards result for comment (the Thông báo
công khai and the comments sheet), then read the comments back (the Biên bản tổng hợp ý kiến
and the final list, where a candidate with an open complaint is held). No printing."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from thidua_cli.core.publish import Held, Posting
from thidua_cli.errors import InvalidDataError, UsageError
from thidua_cli.model import Report

MAX_DAYS = 60


def _stem(result: Path) -> str:
    name = result.name
    for suffix in (".de-xuat.json", ".de-xuat.xlsx", ".json", ".xlsx"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return result.stem


def _render(kind: str, context: dict[str, object], templates: Path | None) -> bytes:
    from thidua_cli import render as rd

    user_dir = rd.check_templates_dir(templates)
    return rd.render_template(rd.find_template(kind, user_dir), context, user_dir=user_dir)


@dataclass(frozen=True)
class Noticed:
    year: int
    posting: Posting
    candidates: int
    notice: Path
    sheet: Path


def notice(result: Path, *, start: date, days: int | None = None, rules: Path | None = None,
           output: Path | None = None, templates: Path | None = None,
           force: bool = False) -> Noticed:
    """Render the notice and write the comments sheet next to the result (or in ``output``).
    The deadline is the ``days``-th working day from ``start`` (core/workdays); ``days``
    defaults to the regulation's ``publish.comment_days``."""
    from thidua_cli.core.documents.publish import NOTICE, notice_context
    from thidua_cli.core.publish import posted
    from thidua_cli.core.workdays import nth_working_day
    from thidua_cli.io.atomic import make_output_folder, write_atomic
    from thidua_cli.io.awards_io import load_result
    from thidua_cli.io.outputs import Protected, guard
    from thidua_cli.io.publish_io import write_comments_sheet
    from thidua_cli.regulation import load_regulation

    if days is not None and not 1 <= days <= MAX_DAYS:
        raise UsageError(f"--days {days} không hợp lệ: số ngày làm việc niêm yết từ 1 đến {MAX_DAYS}.")
    regulation = load_regulation(rules)
    days = days if days is not None else regulation.publish.comment_days
    outcome = load_result(result)
    if not posted(outcome):
        raise InvalidDataError(f"Kết quả {result} không có cá nhân nào được đề nghị: không có gì "
                               "để niêm yết.")
    ov = regulation.overrides
    posting = Posting(start, nth_working_day(start, days, days_off=ov.days_off,
                                             days_worked=ov.days_worked), days)
    folder = output if output is not None else result.parent
    stem = _stem(result)
    doc_path = folder / f"{stem}.{NOTICE}.docx"
    sheet_path = folder / f"{stem}.y-kien.xlsx"
    guard([doc_path, sheet_path], Protected.of([result, *([rules] if rules else [])]),
          force=force, other="thư mục khác (-o)")
    data = _render(NOTICE, notice_context(outcome, posting), templates)
    make_output_folder(folder)
    write_atomic(doc_path, data, force=force)
    write_comments_sheet(outcome, posting, str(result), sheet_path, force=force)
    return Noticed(outcome.year, posting, len(posted(outcome)), doc_path, sheet_path)


@dataclass(frozen=True)
class Reviewed:
    year: int
    posting: Posting
    comments: int
    held: tuple[Held, ...]
    minutes: Path
    final: Path
    report: Report  # warnings only


def comments(sheet: Path, result: Path, *, day: date | None = None, output: Path | None = None,
             templates: Path | None = None, force: bool = False,
             ledger: Path | None = None) -> Reviewed:
    """Read the filled-in comments sheet; write the Biên bản tổng hợp ý kiến and the final
    list (``<tên>-sau-cong-khai.de-xuat.json``: the result with each held candidate's
    proposals waiting, which ``render`` and ``ledger record`` then leave out). With ``ledger``
    the holds are kept there too, and ``awards --ledger`` keeps those candidates waiting."""
    from thidua_cli.core.documents.publish import MINUTES, minutes_context
    from thidua_cli.core.publish import final_list, holds
    from thidua_cli.io.atomic import make_output_folder, write_atomic
    from thidua_cli.io.awards_io import load_result
    from thidua_cli.io.outputs import Protected, guard
    from thidua_cli.io.publish_io import read_comments

    outcome = load_result(result)
    read = read_comments(sheet, outcome)
    if read.year != outcome.year:
        raise UsageError(f"Sổ ý kiến {sheet} là của năm {read.year}, kết quả {result} là năm "
                         f"{outcome.year}.")
    if not read.report.valid:
        raise InvalidDataError(f"Tệp {sheet} có {len(read.report.errors)} lỗi (xem danh sách "
                               "trên); chưa ghi biên bản.", read.report)
    held = holds(outcome, read.comments)
    folder = output if output is not None else result.parent
    stem = _stem(result)
    minutes_path = folder / f"{stem}.{MINUTES}.docx"
    final_path = folder / f"{stem}-sau-cong-khai.de-xuat.json"
    guard([minutes_path, final_path], Protected.of([sheet, result], ledger=ledger), force=force,
          other="thư mục khác (-o)")
    when = day or read.posting.deadline
    data = _render(MINUTES, minutes_context(outcome, read.posting, read.comments, held, when),
                   templates)
    final = final_list(outcome, held)
    text = json.dumps(final.to_json(), ensure_ascii=False, indent=2) + "\n"
    make_output_folder(folder)
    write_atomic(minutes_path, data, force=force)
    write_atomic(final_path, text.encode("utf-8"), force=force)
    if ledger is not None:
        from thidua_cli.app.ledger import now
        from thidua_cli.core.publish import reason
        from thidua_cli.io.ledger import Ledger

        with Ledger.open(ledger, create=True) as book:
            book.replace_holds(outcome.year, [(h.staff_id, h.name, reason(h)) for h in held],
                               source=str(sheet), at=now())
    return Reviewed(outcome.year, read.posting, len(read.comments), tuple(held), minutes_path,
                    final_path, read.report)
