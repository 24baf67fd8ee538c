"""``thidua validate`` on a large one-sheet workbook, column by column.

The usual path reads every row into a Person (io/reader.py), then scores everyone
(core/scoring.py) to compare the sheet's own totals and ratings: about 4.5 s for 100,000 rows,
most of it one Python object after another. For a workbook that ``io.columnar.load_large``
took, this module runs the same reader on the same rows without building anyone:

1. the reader finds the header and plans the columns on the first rows (the usual code);
2. the reader's own column readers (``_fast_table``, the fast path of ``read_rows``) read every
   column of the table;
3. the order-dependent steps of ``_admit_fast`` (duplicate staff IDs, the same name under two
   IDs, departments in order of appearance) are done on the columns, and the departments are
   checked by the usual ``_check_departments``;
4. ``core.scoring.rate_table`` recomputes every total and rating with the rules of
   ``score_dataset``, and they are compared as ``core.validation`` compares them.

The result is used only when it is certain to be the usual one: a row the per-row code would
read, any finding other than same-name-different-id (the one warning a clean large list
commonly has, reproduced here exactly), a total or a rating that differs, anything unusual in
the header, the period or the regulation — and ``check_large`` returns None: the caller then
validates the file the usual way, which reports everything exactly. A clean large file is
checked in a fraction of the time; a file with problems costs the usual time plus this
attempt. tests/io/test_columnar.py compares both paths on many workbooks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from thidua_cli.core import legacy
from thidua_cli.core.scoring import rate_table
from thidua_cli.core.validation import parse_sheet_rating, rating_differs, total_differs
from thidua_cli.io import reader as _reader
from thidua_cli.io.columnar import HEAD_ROWS, LargeSheet
from thidua_cli.io.raw import RawWorkbook
from thidua_cli.model import Issue, Period, Regulation

_TEXT_KINDS = ("name", "department", "text", "discipline", "gender", "flag", "tristate", "rating")


@dataclass(frozen=True)
class LargeCheck:
    """What validate reports for the file: its workbook (head rows only), the people read,
    the findings (same-name-different-id warnings only), and the period with its source."""

    workbook: RawWorkbook
    sheet: str
    people: int
    issues: tuple[Issue, ...]
    period: Period
    period_source: str | None


def check_large(large: LargeSheet, regulation: Regulation, period: Period | None
                ) -> LargeCheck | None:
    """Validate ``large`` column by column; None when the usual path must do it (see the
    module docstring). ``period``: the run's period when known (--period or the file name),
    as ``read_dataset`` takes it."""
    R = _reader
    raw, sheet = large.workbook, large.sheet
    file = raw.path
    if (sheet.kind != "worksheet" or sheet.visibility != "visible"
            or R.is_criteria_sheet_name(sheet.name) or sheet.text_cells_truncated):
        return None
    criteria = tuple(regulation.criteria)
    run = R._Run.of(regulation, criteria)
    reader = R._SheetReader(run, file, sheet)
    reader.convert_legacy_header()
    reader.find_header()
    plan = reader.plan
    if plan is None or not plan.complete or reader.issues or reader._conversions:
        return None

    # The period, as read_dataset finds it; one that disagrees is a finding (period-mismatch).
    found = R.found_periods_of([file], [reader])
    dataset_period, source = R.dataset_period_of(found, period)
    if dataset_period is None:
        return None  # ratings not checked: the usual path says so
    if any(p != dataset_period for p, *_ in found):
        return None
    run.period = dataset_period

    layout = reader.layout()
    id_slot, name_slot = plan.single("staff_id"), plan.single("name")
    dept_slot = plan.single("department")
    assert id_slot is not None and name_slot is not None
    if not layout.single_crit or name_slot.more:
        return None
    id_i, name_i = id_slot.index, name_slot.index
    start = plan.bottom + 1
    if start <= HEAD_ROWS and reader._is_numbering_row(sheet.rows[start - 1], id_i, name_i):
        start += 1
    stop = large.nrows
    m = stop - start + 1
    if start > HEAD_ROWS + 1 or m <= 0:
        return None
    if any(r2 >= plan.bottom + 1 for _, _, r2, _ in sheet.merged):
        return None  # merged cells in the table (their values fill down): the usual path

    cache: dict[int, list[Any]] = {}

    def column(i: int) -> list[Any]:
        col = cache.get(i)
        if col is None:
            col = cache[i] = large.values(i, start) if i < large.width else [""] * m
        return col

    header_id_raw = sheet.value(plan.top, id_i + 1) or sheet.value(plan.bottom, id_i + 1)
    slow: set[int] = set()
    fast = R._fast_table(
        reader, start, stop, m, column, slow, crit_plan=layout.crit_plan,
        leveled_points=layout.leveled_points, others=layout.others,
        base_columns=layout.base_columns, single_crit=True, header_id_raw=header_id_raw,
        max_leave=dataset_period.working_days(),
        same_name=regulation.validation.same_name_warning, persons=False,
    )
    if slow:
        return None  # a row with something to say: the per-row code reads it

    # Old encodings by content, column by column, as convert_legacy_columns (from the row
    # under the header, numbering row included).
    text_columns = set(name_slot.more)
    for field_key, by_level in plan.slots.items():
        spec = R._FIELD.get(field_key)
        if spec is not None and spec.kind in _TEXT_KINDS:
            text_columns.update(slot.index for slot in by_level.values())
    for i in sorted(text_columns):
        values = large.values(i, plan.bottom + 1) if i < large.width else []
        if legacy.might_convert(set(values)):
            return None

    # _admit_fast for one run of rows, none seen before.
    if len(set(fast.id_keys)) < m:
        return None  # duplicate-staff-id
    reader._first_departments(fast, 0, m, start, dept_slot.index if dept_slot else -1, set())
    reader._same_names(fast, 0, m, start, remember=False)  # the only sheet of the run
    reader.people = m
    R._check_departments(run, reader)
    if any(i.code != "same-name-different-id" for i in reader.issues):
        return None

    if not _totals_agree(fast, regulation, dataset_period, criteria, reader, m):
        return None
    return LargeCheck(raw, sheet.name, m, tuple(reader.issues), dataset_period, source)


def _totals_agree(fast: Any, regulation: Regulation, period: Period, criteria: tuple[Any, ...],
                  reader: Any, m: int) -> bool:
    """core.validation's total and rating checks find nothing (see check_dataset)."""
    by = fast.by_name

    def values(name: str) -> Sequence[Any]:
        v = by.get(name)
        if v is None:
            return [_reader._PERSON_DEFAULTS.get(name)] * m
        if isinstance(v, _reader._Same):
            return [v.value] * m
        return v

    written_totals, written_ratings = values("sheet_total"), values("sheet_rating")
    if all(t is None for t in written_totals) and not any(written_ratings):
        return True  # nothing written to compare: nothing scored (as check_dataset)
    scores = [fast.score_columns.get(c.code) for c in criteria]
    if any(s is None for s in scores):
        return False
    rated = rate_table(
        regulation, period, criteria, scores=scores, bonus=values("bonus"),
        deduction=values("deduction"), discipline=values("discipline"),
        recruited_on=values("recruited_on"), leave_days=values("leave_days"),
        is_manager=values("is_manager"), peer_group=values("peer_group"),
        department=values("department"),
        staff_ids=fast.staff_ids,
    )
    if rated is None:
        return False
    if any(map(total_differs, written_totals, rated.totals)):
        return False  # total-mismatch
    # The written rating of each distinct text, once (a blank cell is not compared).
    blank = object()
    readings: dict[Any, Any] = {
        text: blank if not text or not text.strip() else parse_sheet_rating(text)
        for text in set(written_ratings)
    }
    for written, rating, capped in zip(map(readings.__getitem__, written_ratings),
                                       rated.ratings, rated.capped, strict=True):
        if written is not blank and rating_differs(written, rating, capped):
            return False  # rating-mismatch
    return True
