"""The staff list ``thidua forms`` pre-fills the forms from: the HR export (Mã NV, Họ và tên,
Khoa/Phòng, Chức vụ, Lãnh đạo, Giới tính, Ngày tuyển dụng, Nhóm …), read as tolerantly as a
score sheet because it IS read by the score-sheet reader (``io/reader``): the same header
finding (aliases, two-row headers, title rows, merged cells, legacy fonts), the same cells
(staff IDs typed as numbers, dates as text), the same findings, with no criteria to look for.

Only what makes a form wrong stops the run: an error of the reader (a duplicate staff ID, a
missing name, no table at all). "Vị trí việc làm" is read (``Person.job_position``: the post
groups may follow it, ``posts.field = "job_position"``); the HR export's other columns ("Số
điện thoại", "Trình độ" …) are not the forms' business: their ``unknown-column`` notes are
dropped.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from thidua_cli.model import Issue, Person, Regulation, Severity

_IGNORED = frozenset({"unknown-column", "missing-criterion-column"})


@dataclass(frozen=True)
class StaffList:
    path: str
    people: tuple[Person, ...]
    issues: tuple[Issue, ...]  # the reader's findings that matter (errors first)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.ERROR]


def read_staff_list(path: str | os.PathLike[str], regulation: Regulation) -> StaffList:
    """The people of the staff list, in its order. Raises InputFileError (exit 4) for a file
    that is not a readable spreadsheet."""
    from thidua_cli.io.reader import read_dataset
    from thidua_cli.io.workbook import load_workbook

    raw = load_workbook(Path(path))
    dataset = read_dataset([raw], replace(regulation, criteria=()))
    issues = [i for i in dataset.report.issues if i.code not in _IGNORED]
    issues.sort(key=lambda i: i.severity is not Severity.ERROR)
    return StaffList(raw.path, tuple(dataset.people), tuple(issues))
