"""The library behind ``thidua forms``: a staff list → one pre-filled form per department.

``make_forms(staff_path, regulation, period, out_dir, …)`` reads the staff list
(``io/staff_list.py``: the score-sheet reader, tolerant), stops on its errors
(``InvalidDataError``, exit 1, with the findings), groups the staff by department
(``core/forms.py``: the regulation's department order first), checks every output before the
first is written (``io/outputs.guard``: the staff list and the regulation are never
overwritten; an existing form only with ``force``), then writes each form
(``io/forms_xlsx.py``). No printing: ``present/forms.py`` shows the result.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from thidua_cli.core import workdays
from thidua_cli.core.forms import FormIdentity, form_file_names, group_by_department
from thidua_cli.core.posts import criteria_for_people
from thidua_cli.errors import InvalidDataError, UsageError
from thidua_cli.model import Issue, Period, Regulation, Report

Progress = Callable[[str], None]


@dataclass(frozen=True)
class FormWritten:
    path: Path
    identity: FormIdentity


@dataclass(frozen=True)
class FormsResult:
    staff_list: str
    period: Period
    out_dir: Path
    forms: tuple[FormWritten, ...]
    warnings: tuple[Issue, ...]  # the staff list's warnings (the forms were still written)

    @property
    def staff(self) -> int:
        return sum(f.identity.staff for f in self.forms)


def make_forms(staff_path: str | os.PathLike[str], regulation: Regulation, period: Period,
               out_dir: str | os.PathLike[str], *, departments: tuple[str, ...] = (),
               force: bool = False, progress: Progress | None = None) -> FormsResult:
    """Write the forms (see the module docstring). ``departments``: only these (by name)."""
    from thidua_cli.app.outputs import guard_outputs
    from thidua_cli.core import vntext
    from thidua_cli.io.atomic import make_output_folder
    from thidua_cli.io.forms_xlsx import write_form
    from thidua_cli.io.staff_list import read_staff_list

    if progress:
        progress(f"Đang đọc danh sách nhân sự {staff_path}")
    staff = read_staff_list(staff_path, regulation)
    if staff.errors:
        raise InvalidDataError(
            f"Danh sách nhân sự {staff.path} có {len(staff.errors)} lỗi; chưa tạo biểu mẫu. "
            "Hãy sửa danh sách (mỗi người một mã NV, có họ tên, có khoa/phòng) rồi chạy lại.",
            Report(list(staff.issues)),
        )
    groups = group_by_department(staff.people, regulation.organisation.departments)
    if departments:
        wanted = {vntext.key(d) for d in departments}
        unknown = [d for d in departments if vntext.key(d) not in {vntext.key(g) for g, _ in groups}]
        if unknown:
            raise UsageError(
                f"Danh sách nhân sự không có khoa/phòng: {', '.join(unknown)}. Các khoa/phòng có: "
                + ", ".join(g for g, _ in groups) + "."
            )
        groups = [(g, p) for g, p in groups if vntext.key(g) in wanted]
    if not groups:
        raise InvalidDataError(f"Danh sách nhân sự {staff.path} không có ai; chưa tạo biểu mẫu.")
    if any(not g for g, _ in groups):
        blank = next(p for g, p in groups if not g)[0]
        raise InvalidDataError(
            f"Danh sách nhân sự {staff.path}: \"{blank.name}\" ({blank.staff_id}, dòng "
            f"{blank.source.row}) không có khoa/phòng. Hãy thêm cột \"Khoa/Phòng\" và điền đủ."
        )

    folder = Path(out_dir)
    names = form_file_names([g for g, _ in groups], period)
    targets = [folder / n for n in names]
    guard_outputs(targets, [Path(staff_path)], regulation, force=force, other="thư mục khác (-o)")
    make_output_folder(folder)
    leave_max = workdays.working_days(period, regulation.overrides)
    written: list[FormWritten] = []
    for (department, people), target in zip(groups, targets, strict=True):
        if progress:
            progress(f"Đang ghi {target.name}")
        identity = write_form(target, regulation=regulation,
                              criteria=criteria_for_people(regulation, people),
                              period=period, department=department, people=people,
                              leave_max=leave_max, force=force)
        written.append(FormWritten(target, identity))
    warnings = tuple(i for i in staff.issues if i not in staff.errors)
    return FormsResult(staff.path, period, folder, tuple(written), warnings)
