"""The column-wise reading of a sheet's rows: every known column read at once with the
per-cell rules of cells.py, the rows with a flagged cell left to rows.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import MISSING, dataclass
from datetime import date
from itertools import repeat
from typing import TYPE_CHECKING, Any, NamedTuple

from thidua_cli.core import vntext
from thidua_cli.core.numbers import (
    is_blank,
)
from thidua_cli.io.reader.cells import (
    SLOW,
    by_value,
    casefold_all,
    clean_all,
    fast_criterion,
    fast_leveled,
    fast_other,
    fast_points,
    flagged_rows,
    is_total_label,
    keys_all,
    plain_text,
    staff_id_text,
)
from thidua_cli.io.reader.fields import (
    PERSON_DEFAULTS,
    PERSON_FIELD_SPECS,
    PERSON_FIELDS,
    FieldSpec,
)
from thidua_cli.io.reader.header import Slot
from thidua_cli.model import (
    AssessmentLevel,
    Criterion,
    Person,
    SourceRow,
)

if TYPE_CHECKING:  # pragma: no cover
    from thidua_cli.io.reader.rows import SheetReader


# --------------------------------------------------------------------------------------------
# The fast path: whole columns at once
# --------------------------------------------------------------------------------------------
#
# ``read_rows`` visits rows one at a time because what a row means depends on the rows before
# it (the first row of a staff ID wins, the table ends at its total row). Most rows of a real
# sheet are plain, though: numbers within range, known words, nothing to report. Their readings
# are computed beforehand, column by column, where builtins (``zip``, ``map``, ``min``, ``max``,
# ``str.join``) do the work at C speed; the row loop then only does the order-dependent part
# for them (duplicates, departments). The readings are the verdicts of cells.py mapped over
# each column; a cell whose verdict has a finding (a blank or text number, a value out of
# range, an unknown word) marks its row, as do a hidden or struck row, an error cell and a
# possible total row. The row code reads the marked rows with the same verdicts and only
# locates their findings (tests/io/test_reader_fast.py reads fuzzed sheets both ways, every
# row marked and not, and compares people and findings).

def _person_factory() -> Callable[..., Person]:
    """``Person(*values)``, without the frozen dataclass ``__init__`` when that changes nothing.

    A frozen dataclass sets each of Person's 24 fields through ``object.__setattr__``: 2.1 µs
    a person, 0.21 s for 100,000. Filling the instance dictionary in one call gives the very
    same object (equality, repr, pickling, ``dataclasses.replace``) in 0.9 µs; it is only used
    while Person has no ``__post_init__`` and keeps a ``__dict__`` (no slots)."""
    if "__post_init__" in vars(Person) or "__slots__" in vars(Person):
        return Person
    new = object.__new__
    names = PERSON_FIELDS

    def make(*values: Any) -> Person:
        person = new(Person)
        person.__dict__.update(zip(names, values, strict=True))
        return person

    return make


_new_person = _person_factory()


@dataclass
class FastRows:
    """Readings of the rows ``start`` … of a sheet; ``ok[k]`` says row ``start + k`` is
    read from them (else the per-row code reads it)."""

    ok: list[bool]
    staff_ids: list[str]
    id_keys: list[str]
    names: list[str]
    name_keys: list[str] | None
    departments: Sequence[str] | None
    fields: list[Sequence[Any] | _Same]  # Person's fields in order: per row, or one value
    dates: list[date | None] | None  # real dates with day ≤ 12 (mixed-date-format)
    # The same readings by Person field name, and each criterion's scores (code → column).
    by_name: dict[str, Sequence[Any] | _Same]
    score_columns: dict[str, Sequence[Any]]

    def person(self, k: int) -> Person:
        return _new_person(*(f.value if isinstance(f, _Same) else f[k] for f in self.fields))

    def people(self, k0: int, k1: int) -> Iterator[Person]:
        """The persons of rows k0 … k1 - 1, field by field (iterated in C, no row tuples)."""
        rows = range(k0, k1)
        return map(_new_person, *(repeat(f.value, k1 - k0) if isinstance(f, _Same)
                                  else map(f.__getitem__, rows) for f in self.fields))


class _Same(NamedTuple):
    """One value of a Person field for every row (the sheet's department, a default)."""

    value: Any


def fast_rows(reader: SheetReader, start: int, stop: int, *,
               crit_plan: Sequence[tuple[Criterion, list[Slot]]],
               leveled_points: Sequence[tuple[str, list[Slot]]],
               others: Sequence[tuple[FieldSpec, Slot]], base_columns: dict[str, str],
               single_crit: bool, slow_rows: Iterable[int], fill: dict[tuple[int, int], Any],
               header_id_raw: Any, max_leave: float, same_name: bool) -> FastRows | None:
    """Readings of rows ``start`` … ``stop`` (the last row of the sheet) column by column; None
    when the sheet does not suit (a name split over several columns)."""
    plan = reader.plan
    assert plan is not None
    id_slot, name_slot = plan.single("staff_id"), plan.single("name")
    dept_slot = plan.single("department")
    assert id_slot is not None and name_slot is not None
    if name_slot.more:
        return None
    block = reader.sheet.rows[start - 1:stop]
    m = len(block)
    id_i, name_i = id_slot.index, name_slot.index
    used = [id_i, name_i, *(s.index for _, slots in crit_plan for s in slots),
            *(s.index for _, slots in leveled_points for s in slots),
            *(s.index for _, s in others)]
    if dept_slot is not None:
        used.append(dept_slot.index)
    if not m:
        return None

    fills: dict[int, list[tuple[int, Any]]] = {}
    for (r, i), value in fill.items():
        if start <= r <= stop:
            fills.setdefault(i, []).append((r - start, value))

    slow = {r - start for r in slow_rows if start <= r <= stop}

    # The columns, transposed once per sheet. Rows too short for the columns used (never from
    # calamine, whose rows are a rectangle) go to the per-row code.
    if min(map(len, block)) <= max(used):
        slow.update(k for k, row in enumerate(block) if len(row) <= max(used))
    transposed = reader.table_columns(start)
    assert not transposed or len(transposed[0]) == m  # stop is the sheet's last row

    def column(i: int) -> Sequence[Any]:
        col: Sequence[Any] = transposed[i]
        if i in fills:
            filled = list(col)
            for k, value in fills[i]:  # a merged cell's value, as the per-row code does
                if is_blank(filled[k]):
                    filled[k] = value
            col = filled
        return col

    return _fast_table(reader, start, stop, m, column, slow, crit_plan=crit_plan,
                       leveled_points=leveled_points, others=others, base_columns=base_columns,
                       single_crit=single_crit, header_id_raw=header_id_raw,
                       max_leave=max_leave, same_name=same_name)


def _fast_table(reader: SheetReader, start: int, stop: int, m: int,
                column: Callable[[int], Sequence[Any]], slow: set[int], *,
                crit_plan: Sequence[tuple[Criterion, list[Slot]]],
                leveled_points: Sequence[tuple[str, list[Slot]]],
                others: Sequence[tuple[FieldSpec, Slot]], base_columns: dict[str, str],
                single_crit: bool, header_id_raw: Any, max_leave: float,
                same_name: bool) -> FastRows:
    """The readings of rows ``start`` … ``stop`` (``m`` rows) from their columns
    (``column(i)``: the values of column index ``i``, one per row); ``slow`` (updated) holds
    the rows left to the per-row code."""
    plan = reader.plan
    assert plan is not None
    id_slot, name_slot = plan.single("staff_id"), plan.single("name")
    dept_slot = plan.single("department")
    assert id_slot is not None and name_slot is not None
    id_i, name_i = id_slot.index, name_slot.index

    # Identity. The per-row code ends the table at a total row: rows that might be one
    # (a text starting "T…"/"C…" in or left of the ID column) are checked exactly.
    ids_raw = column(id_i)
    if header_id_raw != "" and ids_raw.count(header_id_raw):
        slow.update(k for k, v in enumerate(ids_raw) if v == header_id_raw)
    for j in range(id_i + 1):
        col = ids_raw if j == id_i else column(j)
        if str not in set(map(type, col)):
            continue
        slow.update(
            k for k, v in enumerate(col)
            if is_total_label(v)
        )
    if set(map(type, ids_raw)) == {str}:
        staff_ids = clean_all(ids_raw)
    else:
        staff_ids = [vntext.clean(v) if v.__class__ is str else staff_id_text(v) for v in ids_raw]
    if "" in staff_ids:
        slow.update(k for k, s in enumerate(staff_ids) if not s)
    id_keys = casefold_all(staff_ids)

    names_raw = column(name_i)
    if set(map(type, names_raw)) == {str}:
        names = clean_all(names_raw)
    else:
        names = [vntext.clean(v) if v.__class__ is str else "" for v in names_raw]
    if "" in names:
        slow.update(k for k, s in enumerate(names) if not s)
    name_keys = keys_all(names) if same_name else None

    departments: Sequence[str] | None = None
    if dept_slot is not None:
        memo = reader.memo

        def department_of(v: Any) -> str:
            if v.__class__ is not str or is_blank(v):
                return ""  # missing, or a number: the per-row code reads it
            memo_key = ("department", v)
            name = memo.get(memo_key)
            if name is None:
                name = memo[memo_key] = reader.canonical_department(plain_text(v))
            return name

        departments = by_value(column(dept_slot.index), department_of)
        if "" in departments:
            slow.update(k for k, s in enumerate(departments) if not s)

    # Criteria: scores, and per row the level and column that count.
    codes: list[str] = []
    score_values: list[Sequence[Any]] = []
    levels_fixed: list[AssessmentLevel | None] = []  # None: chosen per row
    picks: list[list[int]] = []
    for crit, slots in crit_plan:
        codes.append(crit.code)
        if len(slots) == 1:
            values = fast_criterion(column(slots[0].index), crit.max_points)
            levels_fixed.append(slots[0].level or AssessmentLevel.DEPARTMENT)
            picks.append([])
        else:
            values, chosen = fast_leveled([column(s.index) for s in slots], slots,
                                           crit.max_points)
            levels_fixed.append(None)
            picks.append(chosen)
        if SLOW in values:
            slow |= flagged_rows(values)
        score_values.append(values)
    scores: list[dict[str, float]]
    if score_values:
        # dict(zip(codes, row)) for each row, iterated in C
        scores = list(map(dict, map(zip, repeat(codes), zip(*score_values, strict=True))))
    else:
        scores = [{} for _ in range(m)]

    extra: dict[str, Sequence[Any]] = {}
    point_picks: list[tuple[str, list[Slot], list[int]]] = []
    for key, slots in leveled_points:
        values, chosen = fast_points(key, [column(s.index) for s in slots], slots)
        if SLOW in values:
            slow |= flagged_rows(values)
        extra[key] = values
        if len(slots) > 1:
            point_picks.append((key, slots, chosen))
    for spec, slot in others:
        values = fast_other(spec.kind, column(slot.index), PERSON_DEFAULTS.get(spec.name),
                             max_leave)
        if SLOW in values:
            slow |= flagged_rows(values)
        extra[spec.name] = values

    # The levels and column letters that count: one shared mapping per distinct choice
    # (read-only for everyone downstream), as the per-row code builds them.
    if all(level is not None for level in levels_fixed):
        shared_levels = dict(zip(codes, levels_fixed, strict=True))
        score_levels: Sequence[Any] | _Same = _Same(shared_levels)
    else:
        level_cache: dict[tuple[Any, ...], dict[str, AssessmentLevel]] = {}
        per_row_levels = []
        for k in range(m):
            chosen_levels = tuple(
                fixed if fixed is not None
                else (crit_plan[c][1][picks[c][k]].level or AssessmentLevel.DEPARTMENT)
                for c, fixed in enumerate(levels_fixed)
            )
            hit = level_cache.get(chosen_levels)
            if hit is None:
                hit = level_cache[chosen_levels] = dict(zip(codes, chosen_levels, strict=True))
            per_row_levels.append(hit)
        score_levels = per_row_levels
    if single_crit:
        columns: Sequence[Any] | _Same = _Same(base_columns)
    else:
        column_cache: dict[tuple[Any, ...], dict[str, str]] = {}
        per_row_columns = []
        multi = [(c, crit, slots) for c, (crit, slots) in enumerate(crit_plan) if len(slots) > 1]
        for k in range(m):
            crit_letters = tuple(slots[picks[c][k]].letter for c, _, slots in multi)
            point_letters = tuple(slots[chosen[k]].letter if chosen[k] >= 0 else None
                                  for _, slots, chosen in point_picks)
            hit_columns = column_cache.get((crit_letters, point_letters))
            if hit_columns is None:
                hit_columns = dict(base_columns)
                for (_, crit, _), letter in zip(multi, crit_letters, strict=True):
                    hit_columns[f"criterion:{crit.code}"] = letter
                for (key, _, _), maybe in zip(point_picks, point_letters, strict=True):
                    if maybe is not None:
                        hit_columns[key] = maybe
                column_cache[(crit_letters, point_letters)] = hit_columns
            per_row_columns.append(hit_columns)
        columns = per_row_columns

    file, sheet_name = reader.file, reader.sheet.name
    seqs: dict[str, Sequence[Any] | _Same] = {
        "staff_id": staff_ids,
        "name": names,
        "department": departments if departments is not None
        else _Same(reader.department or ""),
        "source": [SourceRow(file, sheet_name, r) for r in range(start, stop + 1)],
        "scores": scores,
        "score_levels": score_levels,
        "columns": columns,
        **extra,
    }
    person_fields = [seqs[name] if name in seqs else _default_column(name, m)
                     for name in PERSON_FIELDS]
    recruited = extra.get("recruited_on")
    dates = ([d if d.__class__ is date and d.day <= 12 else None for d in recruited]
             if recruited is not None else None)
    ok = [True] * m
    for k in slow:
        ok[k] = False
    return FastRows(ok, staff_ids, id_keys, names, name_keys, departments, person_fields,
                     dates, seqs, dict(zip(codes, score_values, strict=True)))


def _default_column(name: str, m: int) -> Sequence[Any] | _Same:
    f = PERSON_FIELD_SPECS[name]
    if f.default is not MISSING:
        return _Same(f.default)
    assert f.default_factory is not MISSING
    return [f.default_factory() for _ in range(m)]
