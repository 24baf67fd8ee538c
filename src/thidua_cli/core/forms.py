"""Submission forms and their collection (issue 14): the pure rules.

``thidua forms`` sends each department its own workbook, pre-filled from the staff list;
``thidua collect`` gathers what comes back. What is decided here, without files or clock:

- who goes on which form (:func:`group_by_department`: the regulation's department order, then
  the staff list's; staff in the list's order) and the form's file name (:func:`form_file_name`);
- the identity a form carries in its hidden sheet (:class:`FormIdentity`: form version,
  department, period, staff count, contact), written as key/value rows and read back by
  :func:`parse_identity`, which refuses anything it does not recognise;
- which returned file stands for a department (:func:`recognise_department`: the hidden sheet
  first, then a title row "Khoa/Phòng: …", then the people in the file against the staff list
  (:func:`department_of_people`: the department most of them belong to, with its share), then
  the department named by a sheet or the file name) and which submission counts when a department sent several
  (:func:`choose_latest`: the latest by content date; two different files of the same date are
  both kept, so that the reader reports the conflict rather than one being dropped silently).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from thidua_cli.core import vntext
from thidua_cli.core.period import find_period
from thidua_cli.model import Period, Person

FORM_MARK = "thidua-form"  # cell A1 of the identity sheet
FORM_VERSION = 1
IDENTITY_SHEET = "_thidua"
INSTRUCTIONS_SHEET = "Hướng dẫn"
INSTRUCTIONS_TITLE = "HƯỚNG DẪN ĐIỀN BIỂU MẪU CHẤM ĐIỂM THI ĐUA"
# The title row a form carries above its table; collect reads it when the hidden sheet is gone.
DEPARTMENT_TITLE = "Khoa/Phòng:"
_DEPARTMENT_LINE = re.compile(r"^\s*(?:khoa\s*/\s*phong|khoa phong|don vi)\s*:\s*(.+)$")


@dataclass(frozen=True)
class FormIdentity:
    """What a form says about itself (the hidden sheet ``_thidua``)."""

    version: int
    department: str
    period: Period
    staff: int  # rows pre-filled
    contact: str = ""  # the department's managers, from the staff list: who to call back

    def rows(self) -> list[tuple[str, str]]:
        """The key/value rows of the hidden sheet (A1 is the mark)."""
        return [
            ("form", FORM_MARK),
            ("version", str(self.version)),
            ("department", self.department),
            ("period", self.period.code),
            ("staff", str(self.staff)),
            ("contact", self.contact),
        ]


def parse_identity(rows: Sequence[Sequence[Any]]) -> FormIdentity | None:
    """The identity written by :meth:`FormIdentity.rows`, or None when the sheet is not a form's
    (no mark, an unknown version, a period or department missing)."""
    values: dict[str, str] = {}
    for row in rows:
        if len(row) >= 2 and isinstance(row[0], str):
            values[row[0].strip()] = vntext.clean(row[1]) if not isinstance(row[1], float) \
                else str(int(row[1])) if row[1].is_integer() else str(row[1])
    if values.get("form") != FORM_MARK:
        return None
    try:
        version = int(values.get("version", ""))
    except ValueError:
        return None
    period = find_period(values.get("period", "").replace("-", " "))
    department = values.get("department", "")
    if version != FORM_VERSION or period is None or not department:
        return None
    staff = values.get("staff", "0")
    return FormIdentity(version, department, period, int(staff) if staff.isdigit() else 0,
                        values.get("contact", ""))


def group_by_department(people: Iterable[Person], order: Sequence[str] = ()
                        ) -> list[tuple[str, list[Person]]]:
    """The staff per department: the departments of ``order`` (the regulation's list) first, in
    its order, then the others in the order the staff list first names them. Names are matched
    by key ("khoa nội" is "Khoa Nội"); the spelling kept is the regulation's, else the first."""
    rank = {vntext.key(name): i for i, name in enumerate(order)}
    spelling = {vntext.key(name): name for name in order}
    groups: dict[str, list[Person]] = {}
    first_seen: dict[str, int] = {}
    for person in people:
        k = vntext.key(person.department)
        spelling.setdefault(k, person.department)
        first_seen.setdefault(k, len(first_seen))
        groups.setdefault(k, []).append(person)
    keys = sorted(groups, key=lambda k: (rank.get(k, len(rank)), first_seen[k]))
    return [(spelling[k], groups[k]) for k in keys]


def slug(text: str) -> str:
    """"Khoa Nội tổng hợp" → "khoa-noi-tong-hop" (file names that survive e-mail and zip)."""
    return re.sub(r"[^0-9a-z]+", "-", vntext.fold(text)).strip("-") or "khoa-phong"


def period_slug(period: Period) -> str:
    """"quy-4-2026", "nam-2026", "thang-3-2026": a file name the period reader recognises."""
    if period.number is None:
        return f"nam-{period.year}"
    word = "quy" if period.kind.value == "quarter" else "thang"
    return f"{word}-{period.number}-{period.year}"


def form_file_names(departments: Sequence[str], period: Period) -> list[str]:
    """One file name per department, "<khoa>.<kỳ>.xlsx"; two departments whose names fold alike
    get "-2", "-3" …, so that no form overwrites another."""
    used: dict[str, int] = {}
    out: list[str] = []
    for name in departments:
        base = slug(name)
        n = used.get(base, 0) + 1
        used[base] = n
        out.append(f"{base if n == 1 else f'{base}-{n}'}.{period_slug(period)}.xlsx")
    return out


def sheet_name(department: str, taken: Iterable[str] = ()) -> str:
    """An Excel sheet name for a department: at most 31 characters, none of ``[]:*?/\\``,
    different (by case) from ``taken``."""
    base = re.sub(r"[\[\]:*?/\\]", "-", vntext.clean(department)).strip("'") or "Khoa"
    base = base[:31]
    lowered = {t.casefold() for t in taken}
    name, n = base, 1
    while name.casefold() in lowered:
        n += 1
        tail = f" ({n})"
        name = base[: 31 - len(tail)] + tail
    return name


# --------------------------------------------------------------------------------------------
# Collecting
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    """One returned file, as recognised."""

    path: str
    sha256: str
    department: str | None  # None: not recognised
    period: Period | None
    how: str  # Vietnamese: how the department was recognised ("sheet ẩn của biểu mẫu", …)
    when: datetime | None  # the content date (saved-at in the file, else the file's date)
    contact: str = ""
    identity: FormIdentity | None = None


def department_from_title(rows: Sequence[Sequence[Any]], limit: int = 10) -> str | None:
    """"Khoa/Phòng: Khoa Nội" in one of the first rows (a form's title), or None."""
    for row in rows[:limit]:
        for v in row:
            if isinstance(v, str) and v:
                m = _DEPARTMENT_LINE.match(vntext.fold(v))
                if m:
                    text = vntext.clean(v)
                    return vntext.clean(text[text.index(":") + 1:]) or None
    return None


def recognise_department(candidates: Sequence[tuple[str, str]], known: Sequence[str]
                         ) -> tuple[str, str] | None:
    """The first candidate ``(text, how)`` that is a known department (by key, or contained in
    the text accent-blind, for a file name "khoa-noi.quy-4-2026.xlsx"), as (name, how); with no
    known list, the first candidate as written."""
    if not known:
        return (candidates[0][0], candidates[0][1]) if candidates else None
    by_key = {vntext.key(k): k for k in known}
    folded = sorted(((slug(k), k) for k in known), key=lambda p: -len(p[0]))
    for text, how in candidates:
        hit = by_key.get(vntext.key(text))
        if hit is None:
            s = f"-{slug(text)}-"  # whole words; longest names tried first
            hit = next((k for f, k in folded if f"-{f}-" in s), None)
        if hit is not None:
            return hit, how
    return None


@dataclass(frozen=True)
class StaffIndex:
    """The staff list as collect matches a returned file's people against it: staff ID
    (case-folded) → (ID, department), and name (by key) → (ID, department) for the names that
    are unique in the list (a name two people share tells nothing)."""

    by_id: Mapping[str, tuple[str, str]]
    by_name: Mapping[str, tuple[str, str]]

    @classmethod
    def of(cls, people: Iterable[tuple[str, str, str]]) -> StaffIndex:
        """``people``: (staff ID, name, department) of the staff list."""
        by_id: dict[str, tuple[str, str]] = {}
        by_name: dict[str, tuple[str, str] | None] = {}
        for staff_id, name, department in people:
            if not staff_id or not department:
                continue
            by_id.setdefault(staff_id.casefold(), (staff_id, department))
            k = vntext.key(name)
            if k:
                by_name[k] = None if k in by_name else (staff_id, department)
        return cls(by_id, {k: v for k, v in by_name.items() if v is not None})

    def __bool__(self) -> bool:
        return bool(self.by_id)


@dataclass(frozen=True)
class PeopleMatch:
    """What the people of a file say about its department."""

    department: str | None  # the department more than half of the people found belong to
    found: int  # people of the staff list found in the file (by ID, else by unique name)
    counts: tuple[tuple[str, int], ...]  # per department, most first (ties by name)

    @property
    def share(self) -> str:
        """"3/4 người (75 %)": the winner's share, for the message."""
        top = self.counts[0][1] if self.counts else 0
        return f"{top}/{self.found} người ({round(100 * top / self.found) if self.found else 0} %)"

    def describe(self) -> str:
        """"Khoa Nội 2 người, Khoa Ngoại 2 người": the split, for an ambiguous file."""
        return ", ".join(f"{d} {n} người" for d, n in self.counts)


def department_of_people(values: Iterable[Any], index: StaffIndex) -> PeopleMatch:
    """The department of a returned file by the people in it: every cell that is a staff ID of
    the list (an ID typed as a number too) or, failing an ID, a name unique in the list, counts
    its person once; the department of MORE THAN HALF of the people found is the file's. Half
    or less (two departments' people in one file, or a tie) is no answer: the caller reports
    the split rather than guessing."""
    people: dict[str, str] = {}
    for v in values:
        if v.__class__ is str:
            text = v.strip()
            if not text:
                continue
            hit = index.by_id.get(text.casefold())
            if hit is None and " " in text:  # names have a space; most cells are not names
                hit = index.by_name.get(vntext.key(text))
        elif v.__class__ in (int, float) and float(v).is_integer():
            hit = index.by_id.get(str(int(v)))
        else:
            continue
        if hit is not None:
            people[hit[0]] = hit[1]
    tally: dict[str, int] = {}
    spelling: dict[str, str] = {}
    for department in people.values():
        k = vntext.key(department)
        spelling.setdefault(k, department)
        tally[k] = tally.get(k, 0) + 1
    counts = tuple(sorted(((spelling[k], n) for k, n in tally.items()),
                          key=lambda p: (-p[1], vntext.key(p[0]))))
    found = len(people)
    winner = counts[0][0] if counts and 2 * counts[0][1] > found else None
    return PeopleMatch(winner, found, counts)


def choose_latest(submissions: Sequence[Submission]
                  ) -> tuple[dict[str, list[Submission]], list[tuple[Submission, Submission]]]:
    """Per department key, the submission(s) that count, and the (superseded, kept) pairs.

    The latest content date wins; a file identical to the kept one (same bytes, sent twice)
    is superseded by it. Two different files of the same date are both kept: which one the
    department meant is not for thidua to guess (the reader then reports the department twice).
    A submission without a date loses to any dated one.
    """
    by_dept: dict[str, list[Submission]] = {}
    for s in submissions:
        if s.department is not None:
            by_dept.setdefault(vntext.key(s.department), []).append(s)
    kept: dict[str, list[Submission]] = {}
    superseded: list[tuple[Submission, Submission]] = []
    for k, subs in by_dept.items():
        def stamp(s: Submission) -> tuple[int, datetime]:
            return (1, s.when) if s.when is not None else (0, datetime.min)

        latest = max(stamp(s) for s in subs)
        top: list[Submission] = []
        for s in sorted(subs, key=lambda s: s.path):
            if stamp(s) == latest and all(t.sha256 != s.sha256 for t in top):
                top.append(s)
        kept[k] = top
        for s in subs:
            if s not in top:
                superseded.append((s, top[0]))
    return kept, sorted(superseded, key=lambda p: p[0].path)


def callback_list(rows: Mapping[str, tuple[int, int, bool]]) -> list[str]:
    """The departments to call back, in order: those with errors, then those missing.
    ``rows`` maps a department to (errors, warnings, submitted)."""
    with_errors = [d for d, (e, _, sub) in rows.items() if sub and e]
    missing = [d for d, (_, _, sub) in rows.items() if not sub]
    return with_errors + missing
