"""Checks ``thidua validate`` makes on top of the reader (pure).

The reader (``io.reader.read_dataset``, the one code path shared with ``thidua score``) already
reports every per-cell problem and the duplicates across sheets and files (the same staff ID in
two departments' files, a department submitted twice, a department not in the regulation's
list). What is left needs the whole read, or the computed results:

- ``department-not-submitted``: the departments expected (``--expect`` list or the
  regulation's ``organisation.departments``) that no sheet of any file holds;
- ``total-mismatch``: a person's total written in the sheet differs from the total recomputed
  by ``core.scoring.score_dataset`` (the one scorer; nothing is re-implemented here), and a
  "Tổng cộng" row differs from the sum of its column;
- ``rating-mismatch``: the rating written in the sheet differs from the regulation's.

Totals and ratings are compared only for people whose row has no error (a wrong cell would
make every comparison of that row noise) and on sheets whose columns are complete. Without a
known period the ratings cannot be decided (working days, overrides), so only totals are
compared and a ``rating-not-checked`` note says so. A department that does not know the
hospital-wide HTXSNV cap may write HTXSNV where the cap gives HTTNV: both are accepted.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from thidua_cli.core import vntext
from thidua_cli.core.numbers import ParsedNumber, format_vn_number, parse_number
from thidua_cli.core.scoring import score_dataset
from thidua_cli.issues import make_issue
from thidua_cli.model import (
    Dataset,
    Issue,
    Period,
    PeriodKind,
    Person,
    PersonResult,
    Rating,
    Regulation,
    Report,
    Severity,
)

__all__ = [
    "ValidationChecks",
    "check_dataset",
    "missing_departments",
    "parse_sheet_rating",
    "submitted_departments",
]

# Sheet-level errors that make the people's totals of that sheet incomplete.
_SHEET_BREAKING = frozenset({
    "missing-criterion-column", "missing-column", "duplicate-column", "no-header-found",
    "invalid-criteria-sheet",
})
TOLERANCE = 0.005  # totals are rounded to 2 decimals; anything above is a real difference

_RATING_WORDS: dict[str, Rating] = {
    "htxsnv": Rating.HTXSNV, "hoanthanhxuatsacnhiemvu": Rating.HTXSNV, "xuatsac": Rating.HTXSNV,
    "a": Rating.HTXSNV, "loaia": Rating.HTXSNV,
    "httnv": Rating.HTTNV, "hoanthanhtotnhiemvu": Rating.HTTNV, "tot": Rating.HTTNV,
    "b": Rating.HTTNV, "loaib": Rating.HTTNV,
    "htnv": Rating.HTNV, "hoanthanhnhiemvu": Rating.HTNV, "hoanthanh": Rating.HTNV,
    "c": Rating.HTNV, "loaic": Rating.HTNV,
    "khtnv": Rating.KHTNV, "khonghoanthanhnhiemvu": Rating.KHTNV,
    "khonghoanthanh": Rating.KHTNV, "d": Rating.KHTNV, "loaid": Rating.KHTNV,
    "khongxeploai": Rating.NOT_RATED, "kxl": Rating.NOT_RATED, "chuaxeploai": Rating.NOT_RATED,
    "khongdanhgia": Rating.NOT_RATED,
    "chohoidongxet": Rating.PENDING_COUNCIL, "chohoidong": Rating.PENDING_COUNCIL,
    "chohd": Rating.PENDING_COUNCIL, "chohdxet": Rating.PENDING_COUNCIL,
}


@functools.lru_cache(maxsize=512)
def _rating_of(text: str) -> Rating | None:
    return _RATING_WORDS.get(vntext.compact(text))


def parse_sheet_rating(text: object) -> Rating | None:
    """A rating as a department writes it: "HTTNV", "Hoàn thành tốt nhiệm vụ", "Tốt", the
    grade letter "B" or "Loại B", "Không xếp loại"; None when not recognised."""
    return _rating_of(text) if isinstance(text, str) else None  # no number or date is a rating


# --------------------------------------------------------------------------------------------
# Departments
# --------------------------------------------------------------------------------------------


def submitted_departments(dataset: Dataset) -> dict[str, str]:
    """Department key → name, for every department some sheet holds (a department sheet, or
    the "Khoa/Phòng" column of a combined sheet), in order of appearance."""
    out: dict[str, str] = {}
    for s in dataset.sheets:
        if s.department and s.people:
            out.setdefault(vntext.key(s.department), s.department)
    for department in dict.fromkeys(p.department for p in dataset.people):
        if department:
            out.setdefault(vntext.key(department), department)
    return out


def missing_departments(dataset: Dataset, expected: Sequence[str]) -> list[Issue]:
    """``department-not-submitted`` for each expected department no sheet holds."""
    have = submitted_departments(dataset)
    out: list[Issue] = []
    seen: set[str] = set()
    for name in expected:
        k = vntext.key(name)
        if not k or k in seen:
            continue
        seen.add(k)
        if k not in have:
            shown = vntext.clean(name)
            out.append(make_issue("department-not-submitted", value=shown, department=shown))
    return out


# --------------------------------------------------------------------------------------------
# Totals and ratings
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ValidationChecks:
    """What :func:`check_dataset` found, and whether it could compare ratings."""

    issues: tuple[Issue, ...]
    compared_people: int
    ratings_checked: bool


def _error_rows(report: Report) -> tuple[set[tuple[str | None, str | None, int]],
                                          set[tuple[str | None, str | None]]]:
    rows: set[tuple[str | None, str | None, int]] = set()
    sheets: set[tuple[str | None, str | None]] = set()
    for issue in report.issues:
        if issue.severity is not Severity.ERROR:
            continue
        if issue.code in _SHEET_BREAKING:
            sheets.add((issue.file, issue.sheet))
        elif issue.row is not None:
            rows.add((issue.file, issue.sheet, issue.row))
    return rows, sheets


def _comparable(dataset: Dataset) -> list[Person]:
    rows, sheets = _error_rows(dataset.report)
    if not rows and not sheets:  # the usual case: nobody to leave out (no tuple per person)
        return list(dataset.people)
    return [
        p for p in dataset.people
        if (p.source.file, p.source.sheet) not in sheets
        and (p.source.file, p.source.sheet, p.source.row) not in rows
    ]


def check_dataset(
    dataset: Dataset,
    regulation: Regulation,
    period: Period | None,
    *,
    expected_departments: Sequence[str] = (),
) -> ValidationChecks:
    """Departments not submitted, total and rating mismatches (see the module docstring)."""
    issues: list[Issue] = list(missing_departments(dataset, expected_departments))
    people = _comparable(dataset)
    ratings_checked = period is not None
    results: list[PersonResult] = []
    # Nothing written to compare (no total, rating or "Tổng cộng" column): nothing to score.
    anything = any(p.sheet_total is not None or p.sheet_rating for p in people) or any(
        c.key == "sheet_total" for s in dataset.sheets for c in s.total_row_cells
    )
    if people and anything:
        clean = replace(dataset, people=people, report=Report())
        # Totals do not depend on the period (only ratings do): without one, score under a
        # stand-in year and compare totals only.
        scoring_period = period if period is not None else Period(PeriodKind.YEAR, 2000)
        # Validate never shows the explanation steps (--explain texts) nor ranks: build none.
        results = list(score_dataset(clean, regulation, scoring_period, explain_ids=(),
                                     ranked=False).people)
    found = _person_checks(results, ratings_checked)
    found.sort(key=lambda i: (i.file or "", i.sheet or "", i.row or 0))  # stable: total first
    issues.extend(found)
    issues.extend(_total_rows(dataset, results))
    if not ratings_checked and any(p.sheet_rating for p in people):
        issues.append(make_issue("rating-not-checked"))
    return ValidationChecks(tuple(issues), len(results), ratings_checked)


def _points(value: float) -> str:
    return format_vn_number(round(value, 2))


_CAPPED = (Rating.HTXSNV, Rating.PENDING_COUNCIL)


def total_differs(written: float | None, computed: float) -> bool:
    """The sheet's own total (None: none written) disagrees with the recomputed one."""
    return written is not None and abs(written - computed) > TOLERANCE


def rating_differs(written: Rating | None, computed: Rating, capped: bool) -> bool:
    """The rating a sheet wrote (``parse_sheet_rating``; None for a text that is no rating)
    disagrees with the computed one (``capped``: the hospital-wide cap changed it). The
    department cannot know the cap: HTXSNV written before it is right too."""
    if written is computed:
        return False
    return not (written is Rating.HTXSNV and (computed in _CAPPED or capped))


def _person_checks(results: Sequence[PersonResult], ratings_checked: bool) -> list[Issue]:
    """The sheet's own total and rating of each person against the recomputed ones. One flat
    loop: on 100,000 people the common case (both agree) costs two comparisons."""
    found: list[Issue] = []
    for r in results:
        p = r.person
        written_total = p.sheet_total
        if written_total is not None and total_differs(written_total, r.total):
            found.append(make_issue(
                "total-mismatch", column=p.columns.get("sheet_total"), header="Tổng điểm",
                value=_points(written_total), computed=_points(r.total), file=p.source.file,
                sheet=p.source.sheet, row=p.source.row,
            ))
        text = p.sheet_rating
        if not ratings_checked or not text or not text.strip():
            continue
        if not rating_differs(parse_sheet_rating(text), r.rating,
                              "cap" in r.reasons or "cap-tie" in r.reasons):
            continue
        computed = (r.rating.label if r.rating.grade is None
                    else f"{r.rating.value} – {r.rating.label}")
        found.append(make_issue(
            "rating-mismatch", column=p.columns.get("sheet_rating"), header="Xếp loại",
            value=text, computed=computed, file=p.source.file, sheet=p.source.sheet,
            row=p.source.row,
        ))
    return found


def _total_rows(dataset: Dataset, results: Sequence[PersonResult]) -> Iterable[Issue]:
    """Each "Tổng cộng" cell against the sum of its column (text numbers counted, since Excel's
    SUM skips them); the total column against the recomputed totals."""
    sheets = {(s.file, s.name) for s in dataset.sheets
              if any(c.key == "sheet_total" for c in s.total_row_cells)}
    if not any(s.total_row is not None for s in dataset.sheets):
        return
    recomputed: dict[tuple[str, str, int], PersonResult] = {
        (r.person.source.file, r.person.source.sheet, r.person.source.row): r for r in results
        if (r.person.source.file, r.person.source.sheet) in sheets
    }
    people_by_sheet: dict[tuple[str, str], list[Person]] = {}
    for p in dataset.people:
        if (p.source.file, p.source.sheet) in sheets:
            people_by_sheet.setdefault((p.source.file, p.source.sheet), []).append(p)
    _, broken = _error_rows(dataset.report)
    for s in dataset.sheets:
        if s.total_row is None or (s.file, s.name) in broken:
            continue
        for cell in s.total_row_cells:
            written = parse_number(cell.value) if cell.value not in (None, "") else None
            if not isinstance(written, ParsedNumber):
                continue  # a blank or unreadable total cell: nothing to compare
            expected = cell.column_sum
            if cell.key == "sheet_total":
                for p in people_by_sheet.get((s.file, s.name), []):
                    r = recomputed.get((p.source.file, p.source.sheet, p.source.row))
                    if r is not None:
                        expected += r.total - (p.sheet_total or 0.0)
            if abs(written.value - expected) > TOLERANCE:
                yield make_issue(
                    "total-mismatch", file=s.file, sheet=s.name, row=s.total_row,
                    column=cell.column, header=cell.header, value=_points(written.value),
                    computed=_points(expected),
                )
