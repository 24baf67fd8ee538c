"""``thidua cluster`` as a library function: read the cluster's workbook (scoring table and
members), each member's self-assessment and cross-check workbook, the vote of the member heads
and the members' awards results; rank, propose the Cờ and Bằng khen, check the leaders' share,
name next year's head unit; write ``<year>.khoi.xlsx``. No printing."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from thidua_cli.core.cluster import ClusterOutcome, MemberSheet, assess, fmt_points, json_text
from thidua_cli.errors import InvalidDataError, PeriodRequiredError, UsageError
from thidua_cli.issues import make_issue
from thidua_cli.model import Issue, Report


@dataclass(frozen=True)
class ClusterRequest:
    """What ``thidua cluster`` was asked, as typed values (the CLI parses the options)."""

    book: Path  # the cluster's workbook: scoring table and members
    sheets: Sequence[Path] = ()  # one self-assessment / cross-check workbook per member
    proposals: Sequence[Path] = ()  # the members' .de-xuat.json
    votes: Path | None = None
    rules: Path | None = None
    year: int | None = None
    output: Path | None = None
    force: bool = False
    write: bool = True


@dataclass(frozen=True)
class ClusterRun:
    outcome: ClusterOutcome
    warnings: tuple[Issue, ...]
    written: Path | None = None  # the workbook; its .json twin is beside it


_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


def cluster_year(request: ClusterRequest) -> int:
    """--year, else the one year the cluster workbook's name gives (khoi-2026.xlsx)."""
    if request.year is not None:
        return request.year
    found = set(_YEAR.findall(request.book.name))
    if len(found) == 1:
        return int(found.pop())
    raise PeriodRequiredError(
        f"Không biết năm thi đua của khối: tên tệp {request.book.name} không ghi năm (ví dụ "
        "khoi-2026.xlsx). Hãy thêm --year 2026."
    )


def default_output(request: ClusterRequest, year: int) -> Path:
    return request.output or request.book.with_name(f"{year}.khoi.xlsx")


def json_twin(workbook: Path) -> Path:
    """``2026.khoi.xlsx`` → ``2026.khoi.json``: the result ``thidua render`` reads."""
    return workbook.with_suffix(".json")


def run(request: ClusterRequest) -> ClusterRun:
    from thidua_cli.io import cluster_io
    from thidua_cli.regulation import load_regulation

    regulation = load_regulation(request.rules)
    year = cluster_year(request)
    if not request.sheets:
        raise UsageError("Chưa có bảng chấm của đơn vị thành viên nào: hãy thêm các tệp bảng chấm "
                         "sau tệp của khối, ví dụ thidua cluster khoi-2026.xlsx cham/*.xlsx.")
    target = default_output(request, year) if request.write else None
    if target is not None:
        from thidua_cli.io.outputs import Protected, guard

        inputs = [request.book, *request.sheets, *request.proposals,
                  *(p for p in (request.votes, request.rules) if p is not None)]
        guard([target, json_twin(target)], Protected.of(inputs), force=request.force)

    book = cluster_io.read_cluster_book(request.book, regulation.cluster.items)
    report = Report()
    report.extend(book.report)
    _refuse(report, "Tệp của khối")
    sheets: dict[str, MemberSheet] = {}
    for path in request.sheets:
        sheet = cluster_io.read_member_sheet(path, book.items, book.members, report)
        if sheet is None:
            continue
        if sheet.member in sheets:
            report.add(make_issue("cluster-sheet-twice", file=str(path), value=sheet.member,
                                  first=sheets[sheet.member].source, second=str(path)))
            continue
        sheets[sheet.member] = sheet
    for m in book.members:
        if m.name not in sheets and not report.errors:
            report.add(make_issue("cluster-sheet-missing", file=str(request.book), value=m.name))
    ballot = None
    if request.votes is not None:
        ballot, found = cluster_io.read_ballot(request.votes, book.members)
        report.extend(found)
    proposed, found = cluster_io.read_proposals(list(request.proposals), book.members)
    report.extend(found)
    _refuse(report, "Dữ liệu của khối")

    outcome = assess(year=year, name=book.name, items=book.items, members=book.members,
                     sheets=sheets, ballot=ballot, proposed=proposed,
                     settings=regulation.cluster)
    for rank, names in outcome.ties:
        total = next(r.checked_total for r in outcome.results if r.rank == rank)
        report.add(make_issue("cluster-rank-tie", file=str(request.book), value=fmt_points(total),
                              names=", ".join(names), rank=rank))
    written = None
    if target is not None:
        from thidua_cli.io.atomic import write_atomic
        from thidua_cli.io.cluster_xlsx import write_cluster_workbook

        write_cluster_workbook(outcome, target)
        write_atomic(json_twin(target), json_text(outcome).encode("utf-8"), force=True)
        written = target
    return ClusterRun(outcome, tuple(report.warnings), written)


def _refuse(report: Report, what: str) -> None:
    if report.errors:
        files = ", ".join(dict.fromkeys(str(i.file) for i in report.errors if i.file))
        raise InvalidDataError(
            f"{what} có {len(report.errors)} lỗi ở {files} (xem bảng trên); chưa xếp hạng. Hãy "
            "sửa các ô được chỉ ra rồi chạy lại.", report)
