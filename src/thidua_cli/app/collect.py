"""The library behind ``thidua collect``: a folder of returned files → who submitted, what is
wrong, and the merged quarter workbook ``score`` reads.

``collect_folder(folder, regulation, …)``:

1. Inputs: the folder's spreadsheets, recursively (``app/validate.collect_inputs``: lock
   files, hidden files and thidua's own outputs left out; any file names, mixed formats).
2. Each file is recognised (``core/forms.py``): the form's hidden sheet first (department,
   period, contact; read alone, without loading the workbook), then a title row "Khoa/Phòng:
   …", then the people in the file when ``--expect`` is a staff list (the department of more
   than half of the staff IDs or names found, its share reported), then a sheet or file name
   that is a known department (``--expect`` list, else the regulation's, plus the forms'
   own). A file not recognised is an error (``form-unrecognised``; ``form-staff-mixed`` when
   its people are split between departments); a form of another period is an error
   (``form-wrong-period``) and is not merged.
3. Per department the latest submission by content date counts (``io/forms_xlsx.content_date``:
   the date saved inside the file, else the file's date); older ones are noted
   (``form-superseded``, info).
4. The kept files are validated together by ``app/validate.validate_paths`` — exactly
   ``thidua validate``, marked copies included with ``annotate`` — and the period's departments
   not submitted are reported by it (``department-not-submitted``).
5. The merged workbook is written (``io/collect_xlsx.py``), every output checked first
   (``io/outputs.guard``): never over an input or the regulation; an existing one only with
   ``force``.

Exit code (``CollectResult.exit_code``): 4 when a file could not be read, else 1 when any
department (or file) has an error, else 0.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from thidua_cli.core import vntext
from thidua_cli.core.forms import (
    StaffIndex,
    Submission,
    callback_list,
    choose_latest,
    department_from_title,
    department_of_people,
    period_slug,
    recognise_department,
)
from thidua_cli.errors import ExitCode, InputFileError, PeriodRequiredError
from thidua_cli.issues import make_issue
from thidua_cli.model import Issue, Period, Regulation, Severity

Progress = Callable[[str], None]
MERGED_PREFIX = "tong-hop-"


@dataclass
class DepartmentRow:
    """One line of the tracking table."""

    department: str
    submitted: bool
    files: list[str] = field(default_factory=list)
    when: datetime | None = None
    how: str = ""
    people: int = 0
    errors: int = 0
    warnings: int = 0
    contact: str = ""

    @property
    def status(self) -> str:
        """"missing" | "errors" | "warnings" | "ok"."""
        if not self.submitted:
            return "missing"
        return "errors" if self.errors else "warnings" if self.warnings else "ok"


@dataclass
class CollectResult:
    folder: Path
    period: Period
    period_source: str
    departments: list[DepartmentRow]
    file_issues: dict[str, list[Issue]]  # file name → findings (validation and collection)
    general: list[Issue]  # findings about no single file
    superseded: list[Issue]
    output: Path | None  # the merged workbook written
    sheets: list[str]
    unreadable: list[str]
    skipped: list[Path]
    annotated: list[Path] = field(default_factory=list)

    @property
    def issues(self) -> list[Issue]:
        return [i for v in self.file_issues.values() for i in v] + self.general

    @property
    def callback(self) -> list[str]:
        return callback_list({d.department: (d.errors, d.warnings, d.submitted)
                              for d in self.departments})

    @property
    def exit_code(self) -> int:
        if self.unreadable:
            return int(ExitCode.INPUT)
        if any(i.severity is Severity.ERROR for i in self.issues):
            return int(ExitCode.INVALID_DATA)
        return int(ExitCode.OK)


def default_output(folder: Path, period: Period) -> Path:
    """"<parent of the folder>/tong-hop-quy-4-2026.xlsx": a name the period reader knows."""
    parent = folder.parent if folder.name else folder.resolve().parent
    return parent / f"{MERGED_PREFIX}{period_slug(period)}.xlsx"


def collect_folder(
    folder: str | os.PathLike[str],
    regulation: Regulation,
    *,
    period: Period | None = None,
    expect: str | os.PathLike[str] | None = None,
    output: str | os.PathLike[str] | None = None,
    write: bool = True,
    annotate: bool = False,
    force: bool = False,
    progress: Progress | None = None,
) -> CollectResult:
    from thidua_cli.app.outputs import guard_outputs
    from thidua_cli.app.validate import _nfc, collect_inputs, validate_paths
    from thidua_cli.core.period import find_period
    from thidua_cli.io.collect_xlsx import write_merged
    from thidua_cli.io.forms_xlsx import content_date, file_digest, peek_identity, read_identity
    from thidua_cli.io.raw import RawWorkbook
    from thidua_cli.io.workbook import load_workbook

    root = Path(folder)
    expect_path = Path(expect) if expect is not None else None
    files, skipped = collect_inputs([root], exclude=[expect_path] if expect_path else [])
    # A merged workbook of an earlier run that sits in the folder is not a submission.
    files = [f for f in files if not f.name.startswith(MERGED_PREFIX)
             and (output is None or f.resolve() != Path(output).resolve())]

    known: list[str] = list(regulation.organisation.departments)
    if expect_path is not None:
        from thidua_cli.io.department_list import read_department_list

        known = read_department_list(expect_path)
    staff = _staff_index(expect_path, regulation)
    mixed: dict[str, Issue] = {}  # file → form-staff-mixed, reported if nothing else names it

    # 1–2. Load and recognise every file.
    loaded: dict[Path, RawWorkbook] = {}
    unreadable: list[str] = []
    file_issues: dict[str, list[Issue]] = {}
    subs: list[Submission] = []
    for f in files:
        name = _nfc(f)
        if progress:
            progress(f"Đang đọc {name}")
        when, _ = content_date(f)
        # A form says who it is from in its hidden sheet: read that alone; the file itself is
        # loaded only if it is the submission kept (a resubmitted department's older copies
        # never are).
        identity = peek_identity(f)
        if identity is not None:
            subs.append(Submission(name, file_digest(f), identity.department, identity.period,
                                   "sheet ẩn của biểu mẫu", when, identity.contact, identity))
            continue
        try:
            raw = load_workbook(f)
        except InputFileError as exc:
            unreadable.append(name)
            file_issues[name] = [make_issue("unreadable-file", file=name, detail=exc.message)]
            continue
        loaded[f] = raw
        identity = read_identity(raw)
        if identity is not None:
            subs.append(Submission(name, raw.sha256, identity.department, identity.period,
                                   "sheet ẩn của biểu mẫu", when, identity.contact, identity))
            continue
        candidates: list[tuple[str, str]] = []
        title_period: Period | None = None
        for sheet in raw.sheets:
            title = department_from_title(sheet.rows)
            if title:
                candidates.append((title, f"dòng tiêu đề sheet \"{sheet.name}\""))
            if title_period is None:
                for row in sheet.rows[:10]:
                    for v in row:
                        if isinstance(v, str) and title_period is None:
                            title_period = find_period(v)
        if staff:
            match = department_of_people(
                (v for s in raw.sheets if s.kind == "worksheet" and s.visibility == "visible"
                 for row in s.rows for v in row), staff)
            if match.department is not None:
                candidates.append((match.department,
                                   f"nhân sự trong tệp: {match.share} thuộc khoa/phòng này"))
            elif match.found:
                mixed[name] = make_issue("form-staff-mixed", file=name, found=match.found,
                                         split=match.describe())
        candidates += [(s.name, f"tên sheet \"{s.name}\"") for s in raw.sheets
                       if s.visibility == "visible"]
        candidates.append((f.stem, "tên tệp"))
        hit = recognise_department(candidates, known + [s.department for s in subs
                                                        if s.department])
        subs.append(Submission(name, raw.sha256, hit[0] if hit else None,
                               title_period or find_period(f.name),
                               hit[1] if hit else "", when, ""))
    known_all = known + [s.department for s in subs if s.department and
                         vntext.key(s.department) not in {vntext.key(k) for k in known}]

    # The period: --period, else the forms' (the first form), else a file name or title row.
    source = "tuỳ chọn --period"
    if period is None:
        found = next(((s.period, f"sheet ẩn của biểu mẫu {s.path}") for s in subs
                      if s.identity is not None), None) or next(
            ((s.period, f"tệp {s.path}") for s in subs if s.period is not None), None)
        if found is None:
            raise PeriodRequiredError(
                "Không biết kỳ đánh giá của các tệp nộp về (không có biểu mẫu của thidua, tên "
                "tệp và dòng tiêu đề không ghi kỳ). Hãy ghi rõ, ví dụ: --period 2026-Q4."
            )
        period, source = found
    assert period is not None

    for s in subs:
        if s.department is None:
            file_issues.setdefault(s.path, []).append(
                mixed.get(s.path) or make_issue("form-unrecognised", file=s.path))
        elif s.identity is not None and s.period != period:
            file_issues.setdefault(s.path, []).append(make_issue(
                "form-wrong-period", file=s.path, department=s.department,
                found=s.identity.period.label, expected=period.label))
    usable = [s for s in subs if s.department is not None
              and not (s.identity is not None and s.period != period)]

    # 3. The latest submission per department.
    kept, superseded_pairs = choose_latest(usable)
    superseded = [make_issue("form-superseded", file=old.path, department=old.department,
                             when=_when(old.when), kept=new.path, kept_when=_when(new.when))
                  for old, new in superseded_pairs]
    kept_subs = [s for group in kept.values() for s in group]
    order = {vntext.key(d): i for i, d in enumerate(known_all)}
    kept_subs.sort(key=lambda s: (order.get(vntext.key(s.department or ""), len(order)), s.path))

    by_path = {_nfc(f): f for f in files}
    for sub in list(kept_subs):
        f = by_path[sub.path]
        if f not in loaded:
            try:
                loaded[f] = load_workbook(f)
            except InputFileError as exc:
                unreadable.append(sub.path)
                file_issues[sub.path] = [make_issue("unreadable-file", file=sub.path,
                                                    detail=exc.message)]
                kept_subs.remove(sub)

    target = Path(output) if output is not None else default_output(root, period)
    if write:
        guard_outputs([target], files, regulation, force=force)

    # 4. Validate the kept files together, as thidua validate does.
    general: list[Issue] = []
    annotated: list[Path] = []
    validated: dict[str, tuple[int, int, int]] = {}
    if kept_subs or known:
        kept_paths = [by_path[s.path] for s in kept_subs]
        if kept_paths:
            result = validate_paths(kept_paths, regulation, period=period, expect=expect_path,
                                    annotate=annotate, force=force, progress=progress,
                                    loaded={p: loaded[p] for p in kept_paths})
            general = result.general
            for fr in result.files:
                file_issues.setdefault(fr.name, []).extend(fr.issues)
                validated[fr.name] = (fr.errors, fr.warnings, fr.people)
                if fr.annotated is not None:
                    annotated.append(fr.annotated.path)
        else:
            general = [make_issue("department-not-submitted", department=d) for d in known]

    # The tracking table: every known department, then any other one found.
    rows: dict[str, DepartmentRow] = {}
    for d in known_all:
        rows.setdefault(vntext.key(d), DepartmentRow(d, submitted=False))
    for s in kept_subs:
        line = rows.setdefault(vntext.key(s.department or ""),
                              DepartmentRow(s.department or "", submitted=False))
        line.submitted = True
        line.files.append(s.path)
        line.when = s.when if line.when is None or (s.when and s.when > line.when) else line.when
        line.how = s.how
        line.contact = line.contact or s.contact
        errors, warnings, people = validated.get(s.path, (0, 0, 0))
        extra = file_issues.get(s.path, [])
        line.errors += errors + sum(1 for i in extra if i.severity is Severity.ERROR
                                   and i.code.startswith("form-"))
        line.warnings += warnings
        line.people += people
    for s in subs:  # a contact from an older form still helps to call back
        if s.department and s.contact:
            r = rows.get(vntext.key(s.department))
            if r is not None and not r.contact:
                r.contact = s.contact
    for s in subs:
        if s.identity is not None and s.period != period and s.department:
            r = rows.get(vntext.key(s.department))
            if r is not None and not r.submitted:
                r.errors += 1

    sheets: list[str] = []
    written: Path | None = None
    if write:
        if progress:
            progress(f"Đang ghi {target}")
        sheets = write_merged(target, [(s.department or "", loaded[by_path[s.path]])
                                       for s in kept_subs], force=force)
        written = target

    return CollectResult(
        folder=root, period=period, period_source=source, departments=list(rows.values()),
        file_issues=file_issues, general=general, superseded=superseded, output=written,
        sheets=sheets, unreadable=unreadable, skipped=skipped, annotated=annotated,
    )


def _staff_index(expect: Path | None, regulation: Regulation) -> StaffIndex:
    """The staff IDs and names of ``--expect`` when it is a staff list (a list of department
    names, or a .txt, has none: then files are not recognised by their people)."""
    if expect is None or expect.suffix.lower() == ".txt":
        return StaffIndex({}, {})
    from thidua_cli.io.staff_list import read_staff_list

    people = read_staff_list(expect, regulation).people
    return StaffIndex.of((p.staff_id, p.name, p.department) for p in people)


def _when(when: datetime | None) -> str:
    return when.strftime("%d/%m/%Y %H:%M:%S") if when is not None else "không rõ ngày"
