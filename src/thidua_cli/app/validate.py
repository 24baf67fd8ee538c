"""The library behind ``thidua validate`` (no printing; ``present/validate.py`` presents and
``cli/validate.py`` parses the options).

``validate_paths(paths, regulation, …)`` checks every spreadsheet given (folders are walked
recursively) and returns a :class:`ValidationResult`:

1. Inputs: files as given; in folders, every .xlsx/.xlsm/.xls/.ods, skipping thidua's own
   outputs (``*.ket-qua.xlsx``, ``*.kiem-tra.xlsx``, ``*.de-xuat.xlsx``), Excel/LibreOffice
   lock files (``~$…``, ``.~lock…``) and hidden files.
2. Each file is loaded on its own (``io.workbook.load_workbook``). A file that cannot be read
   becomes an ``unreadable-file`` finding with the loader's message, and the others go on.
3. All readable workbooks are read TOGETHER by ``io.reader.read_dataset`` — exactly the call
   ``thidua score`` makes — so ``score`` refuses exactly what ``validate`` calls an error, and
   duplicates across files (staff IDs, departments) are found by the same code.
4. ``core.validation.check_dataset`` adds what needs the whole read or the computed results:
   departments not submitted yet, total and rating mismatches.
5. With ``annotate``, each readable file with findings gets its marked copy ``<stem>.kiem-tra.xlsx``
   (``io.annotate``; ``<name>.kiem-tra.xlsx`` when two inputs would share one). Every target
   is checked before the first is written: an existing one stops the run (exit 6) unless
   ``force``.

Exit code (``ValidationResult.exit_code``): 4 when some file could not be read (the others are
still fully checked and reported), else 1 when any finding is an error, else 0 (warnings and
notes allowed).
"""

from __future__ import annotations

import functools
import os
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from thidua_cli.errors import ExitCode, InputFileError, UsageError
from thidua_cli.gcpause import collector_paused
from thidua_cli.issues import make_issue
from thidua_cli.model import Issue, Period, Regulation, Report, Severity

if TYPE_CHECKING:  # pragma: no cover
    from thidua_cli.io.annotate import AnnotateResult
    from thidua_cli.io.raw import RawWorkbook

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
OUTPUT_SUFFIXES = (".ket-qua.xlsx", ".kiem-tra.xlsx", ".de-xuat.xlsx", ".kpi.xlsx")

Progress = Callable[[str], None]


@dataclass
class FileResult:
    """One input file and what was found in it."""

    path: Path
    name: str  # the path as shown in findings and reports
    format: str | None = None  # None when unreadable
    people: int = 0
    sheets: int = 0
    issues: list[Issue] = field(default_factory=list)
    unreadable: bool = False
    annotated: AnnotateResult | None = None

    @property
    def errors(self) -> int:
        return sum(1 for i in self.issues if i.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for i in self.issues if i.severity is Severity.WARNING)

    @property
    def status(self) -> str:
        """"unreadable" | "errors" | "warnings" | "ok"."""
        if self.unreadable:
            return "unreadable"
        if self.errors:
            return "errors"
        if self.warnings:
            return "warnings"
        return "ok"


@dataclass
class ValidationResult:
    files: list[FileResult]
    general: list[Issue]  # findings about no single file (departments not submitted …)
    period: Period | None
    period_source: str | None
    ratings_checked: bool
    expected_departments: tuple[str, ...]
    expected_source: str | None  # "--expect <file>", "quy chế" or None (no list)
    skipped: list[Path] = field(default_factory=list)  # outputs and lock files in folders

    @property
    def issues(self) -> list[Issue]:
        out = [i for f in self.files for i in f.issues]
        return out + self.general

    @property
    def report(self) -> Report:
        return Report(self.issues)

    @property
    def exit_code(self) -> int:
        if any(f.unreadable for f in self.files):
            return int(ExitCode.INPUT)
        if any(i.severity is Severity.ERROR for i in self.issues):
            return int(ExitCode.INVALID_DATA)
        return int(ExitCode.OK)

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)


# --------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------


def _nfc(path: Path) -> str:
    return unicodedata.normalize("NFC", os.fspath(path))


def is_own_output(path: Path) -> bool:
    name = unicodedata.normalize("NFC", path.name).lower()
    return name.endswith(OUTPUT_SUFFIXES)


def _is_lock_or_hidden(path: Path) -> bool:
    name = path.name
    return name.startswith(("~$", ".~lock", "."))


def is_lock_file(path: Path) -> bool:
    """An Excel or LibreOffice lock file (``~$…``, ``.~lock…``): never a workbook to read."""
    return path.name.startswith(("~$", ".~lock"))


def collect_inputs(
    paths: Sequence[str | os.PathLike[str]], *, exclude: Sequence[Path] = (),
    skip_named: bool = False,
) -> tuple[list[Path], list[Path]]:
    """(files to check, files skipped). Folders give their spreadsheets, recursively, in name
    order, leaving out lock files, hidden files and thidua's own outputs. Files named on the
    command line are checked (a missing one is reported as unreadable), except, with
    ``skip_named`` (``score``: a glob such as ``nop-ve/*.xlsx`` matches them), lock files and
    thidua's own outputs, which are skipped too."""
    excluded = {Path(p).resolve() for p in exclude}
    files: list[Path] = []
    skipped: list[Path] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        key = p.resolve()
        if key not in seen and key not in excluded:
            seen.add(key)
            files.append(p)

    for given in paths:
        p = Path(given)
        if p.is_dir():
            found = []
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for n in names:
                    found.append(Path(root) / n)
            any_sheet = False
            for f in sorted(found, key=lambda x: _nfc(x).casefold()):
                if not f.name.lower().endswith(SPREADSHEET_SUFFIXES):
                    continue
                if _is_lock_or_hidden(f) or is_own_output(f):
                    skipped.append(f)
                    continue
                any_sheet = True
                add(f)
            if not any_sheet:
                raise UsageError(
                    f"Thư mục \"{_nfc(p)}\" không có tệp bảng tính nào (.xlsx, .xlsm, .xls, .ods) "
                    "để kiểm tra. Hãy chép các tệp khoa/phòng gửi về vào thư mục này, hoặc chỉ "
                    "rõ tên tệp."
                )
        elif skip_named and (is_lock_file(p) or is_own_output(p)):
            skipped.append(p)
        else:
            add(p)
    return files, skipped


# --------------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------------


def validate_paths(
    paths: Sequence[str | os.PathLike[str]],
    regulation: Regulation,
    *,
    period: Period | None = None,
    expect: str | os.PathLike[str] | None = None,
    annotate: bool = False,
    force: bool = False,
    progress: Progress | None = None,
    loaded: Mapping[Path, RawWorkbook] | None = None,
) -> ValidationResult:
    """Check the files (see the module docstring). Raises only for failures of the run itself:
    UsageError (nothing to check, a bad --expect list), InputFileError (--expect unreadable),
    OutputExistsError (a marked copy exists, no ``force``), RegulationError. ``loaded``: files
    the caller has already loaded (``thidua collect`` looks inside each first), not loaded
    again."""
    # Loading, reading and checking allocate a few objects per cell and per person and make no
    # cycles: one pause for all of it (gcpause.py), not one per step (measured: 0.3 s of a
    # 100,000-row file goes to collections between the steps otherwise).
    with collector_paused():
        return _validate_paths(paths, regulation, period=period, expect=expect,
                               annotate=annotate, force=force, progress=progress,
                               loaded=loaded or {})


def _validate_paths(
    paths: Sequence[str | os.PathLike[str]],
    regulation: Regulation,
    *,
    period: Period | None,
    expect: str | os.PathLike[str] | None,
    annotate: bool,
    force: bool,
    progress: Progress | None,
    loaded: Mapping[Path, RawWorkbook],
) -> ValidationResult:
    from thidua_cli.core.period import find_period
    from thidua_cli.core.validation import check_dataset
    from thidua_cli.io.reader import read_dataset
    from thidua_cli.io.workbook import load_workbook

    expect_path = Path(expect) if expect is not None else None
    files, skipped = collect_inputs(paths, exclude=[expect_path] if expect_path else [])
    if not files:
        raise UsageError("Chưa có tệp nào để kiểm tra. Ví dụ: thidua validate nop-ve/")

    expected: tuple[str, ...] = tuple(regulation.organisation.departments)
    expected_source: str | None = "quy chế" if expected else None
    read_regulation = regulation
    if expect_path is not None:
        from thidua_cli.io.department_list import read_department_list

        expected = tuple(read_department_list(expect_path))
        expected_source = f"--expect {_nfc(expect_path)}"
        # Unknown departments are judged against the same list (a suggestion, never a match).
        read_regulation = replace(
            regulation, organisation=replace(regulation.organisation, departments=expected)
        )

    targets: dict[Path, Path] = {}
    if annotate:
        from thidua_cli.app.outputs import guard_outputs
        from thidua_cli.io.annotate import annotated_paths

        targets = dict(zip(files, annotated_paths(files), strict=True))
        # Every marked copy is checked before the first file is read (io/outputs.guard):
        # none may be an input, the --expect list or the regulation, whatever --force says.
        guard_outputs(list(targets.values()), [*files, *([expect_path] if expect_path else [])],
                      regulation, force=force,
                      other="xoá hoặc chuyển các bản đánh dấu cũ đi")

    # The period: --period, else the first file name that names one, else (after reading)
    # the title rows.
    resolved, source = period, ("tuỳ chọn --period" if period is not None else None)
    if resolved is None:
        for f in files:
            found = find_period(f.name)
            if found is not None:
                resolved, source = found, f"tên tệp {f.name}"
                break

    results: list[FileResult] = []
    raws: list[RawWorkbook] = []
    raw_of: dict[str, RawWorkbook] = {}
    for f in files:
        name = _nfc(f)
        result = FileResult(path=f, name=name)
        results.append(result)
        if progress:
            progress(f"Đang đọc {name}")
        try:
            raw = loaded.get(f) or load_workbook(f)
        except InputFileError as exc:
            result.unreadable = True
            result.issues.append(make_issue("unreadable-file", file=name, detail=exc.message))
            continue
        raw.path = name
        result.format = raw.format
        raws.append(raw)
        raw_of[name] = raw

    general: list[Issue] = []
    ratings_checked = False
    if raws:
        if progress:
            progress("Đang kiểm tra")
        dataset = read_dataset(raws, read_regulation, period=resolved,
                               department_list=(f"phải nộp ({expected_source})"
                                                if expect_path is not None else "của quy chế"))
        if resolved is None and dataset.period is not None:
            resolved, source = dataset.period, dataset.period_source
        checks = check_dataset(dataset, read_regulation, resolved,
                               expected_departments=expected)
        ratings_checked = checks.ratings_checked
        by_file = {r.name: r for r in results}
        for issue in [*dataset.report.issues, *checks.issues]:
            target = by_file.get(issue.file) if issue.file else None
            if target is None:
                general.append(issue)
            else:
                target.issues.append(issue)
        for s in dataset.sheets:
            r = by_file.get(s.file)
            if r is not None:
                r.sheets += 1
                r.people += s.people
        for r in results:
            if r.name in raw_of:
                position = {s.name: i for i, s in enumerate(raw_of[r.name].sheets)}
                r.issues.sort(key=functools.partial(_order, sheet_position=position))

    if annotate:
        from thidua_cli.io.annotate import annotate_workbook

        for r in results:
            # A file without any finding needs no marked copy to send back (issue 13).
            if r.unreadable or not r.issues:
                continue
            if progress:
                progress(f"Đang ghi bản đánh dấu của {r.name}")
            r.annotated = annotate_workbook(r.path, r.issues, targets[r.path], force=force,
                                            raw=raw_of[r.name])

    return ValidationResult(
        files=results,
        general=general,
        period=resolved,
        period_source=source,
        ratings_checked=ratings_checked,
        expected_departments=expected,
        expected_source=expected_source,
        skipped=skipped,
    )


def _order(issue: Issue, sheet_position: dict[str, int]) -> tuple[int, int, int, str]:
    """Findings of a file in reading order: file-level first, then sheet by sheet as in the
    workbook, by row and column (the sort is stable: findings of one cell keep their order)."""
    sheet = -1 if issue.sheet is None else sheet_position.get(issue.sheet, len(sheet_position))
    return (sheet, issue.row or 0, len(issue.column or ""), issue.column or "")
