"""The entry point: ``read_dataset`` reads every workbook of a run, the periods found, the
checks across sheets and files (departments, hidden sheets).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import PurePath

from thidua_cli.core import vntext
from thidua_cli.core.forms import FORM_MARK, IDENTITY_SHEET, INSTRUCTIONS_SHEET, INSTRUCTIONS_TITLE
from thidua_cli.core.numbers import (
    format_vn_number,
    is_blank,
)
from thidua_cli.core.period import find_period
from thidua_cli.core.posts import all_criteria, has_groups
from thidua_cli.gcpause import collector_paused
from thidua_cli.io.raw import RawSheet, RawWorkbook
from thidua_cli.io.reader.criteria_sheet import read_criteria_sheet
from thidua_cli.io.reader.fields import FIELD_BY_NAME, REGULATION_SOURCE, is_criteria_sheet_name
from thidua_cli.io.reader.rows import SheetReader
from thidua_cli.io.reader.sheet import Run
from thidua_cli.issues import make_issue
from thidua_cli.model import (
    Criterion,
    Dataset,
    InputFile,
    Issue,
    Period,
    Person,
    Regulation,
    Report,
    Severity,
    SheetSummary,
    column_letter,
)

# --------------------------------------------------------------------------------------------
# The entry point
# --------------------------------------------------------------------------------------------


def read_dataset(
    raws: Sequence[RawWorkbook], regulation: Regulation, *, period: Period | None = None,
    department_list: str = "của quy chế",
) -> Dataset:
    """The people of one period from raw workbooks, with every finding (never raises for data).

    ``period``: the run's period when known (--period or the file name); otherwise the reader
    looks in file names and in the title rows above each header (``Dataset.period`` and
    ``Dataset.period_source`` say what it found). The period's working days bound "Số ngày
    nghỉ"; without a period the bound is ``validation.max_leave_days_year``.
    ``department_list`` names, in the clerk's words, the list the departments are checked
    against (validate --expect gives its own file instead of the regulation's list).
    """
    with collector_paused():  # see gcpause.py
        return _read_dataset(raws, regulation, period, department_list)


def _read_dataset(raws: Sequence[RawWorkbook], regulation: Regulation,
                  period: Period | None, department_list: str) -> Dataset:
    report = Report()
    inputs = [InputFile(wb.path, wb.sha256, wb.format) for wb in raws]

    # 1. The criteria: a "Tiêu chí" sheet wins over the regulation.
    criteria: tuple[Criterion, ...] = all_criteria(regulation)  # with every post group's own
    criteria_source = REGULATION_SOURCE
    criteria_issues: dict[tuple[int, int], tuple[Issue, ...]] = {}
    used_from: str | None = None
    for wi, wb in enumerate(raws):
        for si, sheet in enumerate(wb.sheets):
            if sheet.kind != "worksheet" or not is_criteria_sheet_name(sheet.name):
                continue
            result = read_criteria_sheet(sheet, file=wb.path, regulation=regulation)
            found = list(result.issues)
            if result.criteria is not None:
                if used_from is None:
                    criteria = result.criteria
                    used_from = f"sheet \"{sheet.name}\" ({wb.path})"
                    criteria_source = f"sheet '{sheet.name}' ({wb.path})"
                elif result.criteria != criteria:
                    found = [i for i in found if i.code != "criteria-differ-from-regulation"]
                    found.append(make_issue(
                        "invalid-criteria-sheet", file=wb.path, sheet=sheet.name,
                        detail=f"khác bảng tiêu chí ở {used_from}; chỉ được có một bảng "
                        "tiêu chí cho cả kỳ",
                    ))
                else:
                    found = [i for i in found if i.code != "criteria-differ-from-regulation"]
            criteria_issues[(wi, si)] = tuple(found)

    run = Run.of(regulation, criteria)
    run.department_list = department_list
    if used_from is not None:
        run.criteria_label = f"bảng tiêu chí ở {used_from}"

    # 2. Headers and column plans for every sheet (cheap), and periods in title rows.
    readers: list[tuple[int, int, SheetReader | None, list[Issue], str]] = []
    reader: SheetReader | None
    for wi, wb in enumerate(raws):
        aux = form_aux_sheets(wb)
        for si, sheet in enumerate(wb.sheets):
            pre: list[Issue] = []
            status = "ok"
            if si in aux:  # a thidua form's instructions and identity: never data
                readers.append((wi, si, None, pre, "skipped"))
                continue
            if (wi, si) in criteria_issues:
                pre.extend(_hidden_sheet_issue(wb.path, sheet))
                pre.extend(criteria_issues[(wi, si)])
                readers.append((wi, si, None, pre, "criteria"))
                continue
            if sheet.kind != "worksheet":
                if sheet.kind == "chartsheet":
                    pre.append(make_issue("chart-only-sheet", file=wb.path, sheet=sheet.name))
                readers.append((wi, si, None, pre, "skipped"))
                continue
            if not _has_content(sheet):
                pre.append(make_issue("empty-sheet", file=wb.path, sheet=sheet.name))
                readers.append((wi, si, None, pre, "empty"))
                continue
            pre.extend(_hidden_sheet_issue(wb.path, sheet))
            if sheet.visibility != "visible":
                status = "hidden"
            pre.extend(_truncated_cells(wb.path, sheet))
            reader = SheetReader(run, wb.path, sheet)
            reader.convert_legacy_header()
            reader.find_header()
            reader.convert_legacy_columns()
            readers.append((wi, si, reader, pre, status))

    # 3. The period: given, else the first file name, else the first title row.
    found_periods = found_periods_of([wb.path for wb in raws],
                                     [r for _, _, r, _, _ in readers if r is not None])
    dataset_period, period_source = dataset_period_of(found_periods, period)
    run.period = dataset_period
    period_issues: dict[tuple[str, str | None], list[Issue]] = {}
    if dataset_period is not None:
        for p, where, file, sheet_name in found_periods:
            if p != dataset_period:
                period_issues.setdefault((file, sheet_name), []).append(make_issue(
                    "period-mismatch", file=file, sheet=sheet_name,
                    where=where[0].upper() + where[1:], found=p.label,
                    expected=dataset_period.label, source=period_source,
                ))

    # 4. Rows.
    sheets: list[SheetSummary] = []
    ordered: list[tuple[list[Issue], SheetReader | None]] = []
    emitted_file_periods: set[str] = set()
    for wi, si, reader, pre, status in readers:
        wb = raws[wi]
        sheet = wb.sheets[si]
        issues = list(pre)
        if wb.path not in emitted_file_periods:
            emitted_file_periods.add(wb.path)
            issues = period_issues.get((wb.path, None), []) + issues
        if reader is None:
            sheets.append(SheetSummary(wb.path, sheet.name, None, 0, status))
            ordered.append((issues, None))
            continue
        issues.extend(period_issues.get((wb.path, sheet.name), []))
        if reader.plan is not None:
            first_person = len(run.people)
            reader.read_rows()
            reader.release_columns()
            _check_departments(run, reader)
            if has_groups(regulation) and reader.plan.complete:
                _post_pass(run, reader, first_person, regulation)
        issues.extend(reader.issues)
        if reader.plan is None or not reader.plan.complete:
            status = "skipped"
        elif reader.people == 0 and reader.plan.complete:
            issues.append(make_issue("empty-sheet", file=wb.path, sheet=sheet.name,
                                     row=reader.plan.bottom + 1))
            status = "empty"
        department = reader.department if reader.plan is not None and reader.plan.complete \
            and "department" not in reader.plan.slots else None
        sheets.append(SheetSummary(wb.path, sheet.name, department, reader.people, status,
                                   total_row=reader.total_row,
                                   total_row_cells=reader.total_row_cells))
        ordered.append((issues, reader))

    # 5. Sheets without a header: a warning when another sheet has data, else an error.
    has_people = bool(run.people)
    for issues, reader in ordered:
        if reader is not None and reader.no_header is not None:
            guess = reader.no_header
            found_texts = ", ".join(f"\"{t}\"" for t in guess.texts[:12]) or "(không có)"
            issues.append(make_issue(
                "no-header-found", file=reader.file, sheet=reader.sheet.name,
                severity=Severity.WARNING if has_people else Severity.ERROR,
                found=found_texts, expected="Mã NV, Họ và tên",
            ))
        report.extend(issues)
    if not has_people:
        readable = [s for s in sheets if s.status not in ("criteria",)]
        detail = (
            "Các sheet đã xem: " + "; ".join(f"\"{s.name}\" ({_STATUS_LABELS.get(s.status, s.status)})"
                                             for s in readable) + "."
            if readable else "Tệp không có sheet nào."
        )
        report.add(make_issue("no-data", file=raws[0].path if len(raws) == 1 else None,
                              detail=detail))

    if any(p.events for p in run.people):
        run.people = _resolve_events(run.people, regulation, dataset_period, report)

    return Dataset(
        people=run.people,
        criteria=criteria,
        criteria_source=criteria_source,
        report=report,
        inputs=inputs,
        sheets=sheets,
        period=dataset_period,
        period_source=period_source,
    )


def found_periods_of(paths: Sequence[str], readers: Iterable[SheetReader]
                     ) -> list[tuple[Period, str, str, str | None]]:
    """The periods named by the file names, then by the title rows above each header:
    (period, where, file, sheet or None), in that order."""
    found: list[tuple[Period, str, str, str | None]] = []
    for path in paths:
        name = PurePath(path).name
        p = find_period(name)
        if p is not None:
            found.append((p, f"tên tệp {name}", path, None))
    for reader in readers:
        if reader.title_period is not None:
            tp, where = reader.title_period
            found.append((tp, where, reader.file, reader.sheet.name))
    return found


def dataset_period_of(found: Sequence[tuple[Period, str, str, str | None]],
                      period: Period | None) -> tuple[Period | None, str | None]:
    """The read's period and where it comes from: the one given, else the first found."""
    if period is not None:
        return period, "kỳ được chỉ định"
    if found:
        return found[0][0], found[0][1]
    return None, None


_STATUS_LABELS = {
    "ok": "không có người nào",
    "skipped": "bỏ qua",
    "empty": "trống",
    "hidden": "ẩn",
    "criteria": "tiêu chí",
}


def _post_pass(run: Run, reader: SheetReader, first: int, regulation: Regulation) -> None:
    """Criteria sets per post (issue 14), for the people this sheet added (``run.people[first:]``):
    each person gets their group; a score typed in a criterion of another post is left out
    (warning ``criterion-not-for-post``); the blank cells of criteria not theirs are not missing
    scores; a criterion column the sheet's people need and the sheet lacks is an error, as
    without posts (``missing-criterion-column``)."""
    from dataclasses import replace

    from thidua_cli.core.posts import criteria_of, group_of

    posts = regulation.posts
    plan = reader.plan
    assert posts is not None and plan is not None
    letter_code = {slot.letter: key.split(":", 1)[1] for key, by_level in plan.slots.items()
                   if key.startswith("criterion:") for slot in by_level.values()}
    not_theirs: set[tuple[int, str]] = set()  # (row, column letter)
    needed: dict[str, Criterion] = {}
    for k in range(first, len(run.people)):
        p = run.people[k]
        group = group_of(p, posts)
        mine = criteria_of(group, regulation.criteria)
        codes = {c.code for c in mine}
        for c in mine:
            needed.setdefault(c.code, c)
        for letter, code in letter_code.items():
            if code not in codes:
                not_theirs.add((p.source.row, letter))
        # A blank cell reads as 0 (and its missing-score is dropped below): only points typed in
        # another post's criterion are worth a word.
        extra = {c: v for c, v in p.scores.items() if c not in codes}
        for code, value in extra.items():
            if value:
                reader.issue("criterion-not-for-post", row=p.source.row,
                             col=_col_index(p.columns.get(f"criterion:{code}", "")),
                             header=code, value=value, criterion=code,
                             post=f'bộ tiêu chí của nhóm "{group.name}"' if group
                             else "bộ tiêu chí chung")
        if extra or group is not None:
            run.people[k] = replace(
                p, post=group.name if group else "",
                scores={c: v for c, v in p.scores.items() if c in codes},
                score_levels={c: v for c, v in p.score_levels.items() if c in codes})
    reader.issues = [i for i in reader.issues if not (
        i.code in ("missing-score", "self-assessment-fallback")
        and (i.row, i.column) in not_theirs)]
    for code, c in needed.items():
        if f"criterion:{code}" not in plan.slots:
            reader.issue("missing-criterion-column", row=plan.bottom,
                         criterion=f"{c.code} – {c.name}", max_points=format_vn_number(c.max_points))


def _col_index(letter: str) -> int | None:
    n = 0
    for ch in letter:
        n = n * 26 + ord(ch) - 64
    return n - 1 if n else None


def _resolve_events(people: list[Person], regulation: Regulation, period: Period | None,
                    report: Report) -> list[Person]:
    """The "Sự việc" column (issue 14): each person's codes resolved through the regulation's
    catalogue (core/events.py); their points are added to the deduction and the bonus, the
    events kept for --explain and the severe-violation cap. A code that cannot be resolved is
    an error on the cell (the total would be wrong)."""
    from dataclasses import replace

    from thidua_cli.config.sections import EventSettings
    from thidua_cli.core.events import parse_events, totals
    from thidua_cli.model import Rating

    settings = regulation.events or EventSettings((), (), Rating.HTNV)
    out: list[Person] = []
    for p in people:
        if not p.events:
            out.append(p)
            continue
        events, problems = parse_events(p.events, settings, period)
        for code, detail in problems:
            report.add(make_issue(code, file=p.source.file, sheet=p.source.sheet,
                                  row=p.source.row, column=p.columns.get("events"),
                                  header="Sự việc", value=p.events, detail=detail))
        deduction, bonus = totals(events)
        out.append(replace(p, event_list=events, deduction=p.deduction + deduction,
                           bonus=p.bonus + bonus))
    return out


def form_aux_sheets(wb: RawWorkbook) -> set[int]:
    """The sheets a thidua form adds beside its data (``thidua forms``, issue 14): the hidden
    identity sheet (recognised by its mark) and, in the same workbook, the instructions sheet
    (by its name and title). They are skipped without a finding: a filled form reads with no
    warnings. Any other hidden or header-less sheet is reported as before."""
    ident = next((i for i, s in enumerate(wb.sheets)
                  if s.name == IDENTITY_SHEET and s.value(1, 2) == FORM_MARK), None)
    if ident is None:
        return set()
    return {ident} | {i for i, s in enumerate(wb.sheets)
                      if s.name == INSTRUCTIONS_SHEET and s.value(1, 1) == INSTRUCTIONS_TITLE}


def _has_content(sheet: RawSheet) -> bool:
    if sheet.errors or sheet.formulas_without_value:
        return True
    return any(not is_blank(v) for row in sheet.rows for v in row)


def _hidden_sheet_issue(file: str, sheet: RawSheet) -> list[Issue]:
    if sheet.visibility == "visible":
        return []
    state = "ẩn sâu – veryHidden" if sheet.visibility == "veryHidden" else "ẩn"
    return [make_issue("hidden-sheet", file=file, sheet=sheet.name, state=state,
                       counted="vẫn được đọc và tính như các sheet khác")]


def _truncated_cells(file: str, sheet: RawSheet) -> list[Issue]:
    return [
        make_issue("large-text-cell", file=file, sheet=sheet.name, row=r,
                   column=column_letter(c), length=format_vn_number(length))
        for (r, c), length in sorted(sheet.text_cells_truncated.items())
    ]


def _check_departments(run: Run, reader: SheetReader) -> None:
    """department-submitted-twice across sheets and files; unknown-department against the
    regulation's list (a suggestion only, never an automatic match)."""
    known = run.known_departments
    names = list(known.values())
    for dkey, (name, row, col) in reader.departments_in_sheet.items():
        first = run.departments.get(dkey)
        here = (reader.file, reader.sheet.name)
        if first is not None and first != here:
            reader.issue(
                "department-submitted-twice", department=name,
                first=_where_sheet(first, reader.file), second=_where_sheet(here, first[0]),
            )
        elif first is None:
            run.departments[dkey] = here
        if known and dkey not in known:
            best = vntext.suggest(name, names)
            reader.issue("unknown-department", value=name, list=run.department_list,
                         row=row if col is not None else None,
                         col=col, header=FIELD_BY_NAME["department"].label if col is not None else None,
                         suggestion=f" Có phải là \"{best}\"?" if best else "")


def _where_sheet(where: tuple[str, str], other_file: str) -> str:
    file, sheet = where
    return f"sheet \"{sheet}\"" + ("" if file == other_file else f" (tệp {file})")
