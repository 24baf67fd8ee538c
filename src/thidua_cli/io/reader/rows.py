"""Reading a sheet's rows into people: the plain rows come from the column-wise readings
(columns.py); the rows with something to report are read one by one, turning each flagged cell
into a located finding; then the order-dependent steps (duplicate staff IDs across sheets,
same name with another ID, departments first seen, mixed date formats) and the total row.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from itertools import chain, repeat
from typing import Any

from thidua_cli.core import vntext, workdays
from thidua_cli.core.numbers import (
    ParsedNumber,
    is_blank,
    parse_number,
)
from thidua_cli.io.reader.cells import (
    BAD,
    Finding,
    ends_table,
    level_readings,
    parse_date,
    plain_text,
    read_count,
    read_points,
    read_score,
    read_word,
    show_value,
    staff_id_text,
)
from thidua_cli.io.reader.columns import FastRows, fast_rows
from thidua_cli.io.reader.fields import FIELD_BY_NAME, FIELDS, NUMBERING, SIGNATURE, TOTAL_ROW
from thidua_cli.io.reader.header import Slot
from thidua_cli.io.reader.sheet import Layout, Seen, SheetHeader
from thidua_cli.model import (
    AssessmentLevel,
    Criterion,
    Person,
    Severity,
    SourceRow,
    TotalRowCell,
)


class SheetReader(SheetHeader):
    """A department sheet: the header (SheetHeader) and then its rows."""

    # -- rows -----------------------------------------------------------------------------
    def layout(self) -> Layout:
        """Which columns feed which Person field, from the plan."""
        plan = self.plan
        assert plan is not None
        id_slot, name_slot = plan.single("staff_id"), plan.single("name")
        assert id_slot is not None and name_slot is not None
        id_letter, name_letter, name_more = id_slot.letter, name_slot.letter, name_slot.more
        dept_slot = plan.single("department")
        run = self.run
        # Criteria: (criterion, [(level, slot)] highest priority first).
        crit_plan: list[tuple[Criterion, list[Slot]]] = []
        for crit in run.criteria:
            by_level = plan.slots.get(f"criterion:{crit.code}")
            if by_level:
                ordered = sorted(by_level.values(),
                                 key=lambda s: -(s.level.priority if s.level else 2))
                crit_plan.append((crit, ordered))
        leveled_points = []
        for key in ("bonus", "deduction", "sheet_total", "sheet_rating"):
            by_level = plan.slots.get(key)
            if by_level:
                ordered = sorted(by_level.values(),
                                 key=lambda s: -(s.level.priority if s.level else 2))
                leveled_points.append((key, ordered))
        others = [
            (spec, plan.slots[spec.name][None])
            for spec in FIELDS
            if spec.name in plan.slots and None in plan.slots[spec.name]
            and spec.name not in ("staff_id", "name", "department", "bonus", "deduction",
                                  "sheet_total", "sheet_rating")
        ]
        data_cols = sorted(
            ({s.index for by in plan.slots.values() for s in by.values()} | set(name_more))
            - plan.ignored
        )
        base_columns: dict[str, str] = {"staff_id": id_letter, "name": name_letter}
        if dept_slot:
            base_columns["department"] = dept_slot.letter
        for spec, slot in others:
            base_columns[spec.name] = slot.letter
        for key, slots in leveled_points:
            if len(slots) == 1:
                base_columns[key] = slots[0].letter
        single_crit = all(len(slots) == 1 for _, slots in crit_plan) and all(
            len(slots) == 1 for _, slots in leveled_points
        )
        if single_crit:
            for crit, slots in crit_plan:
                base_columns[f"criterion:{crit.code}"] = slots[0].letter
            for key, slots in leveled_points:
                base_columns[key] = slots[0].letter
        return Layout(crit_plan, leveled_points, others, data_cols, base_columns,
                       single_crit)

    def read_rows(self) -> None:
        plan = self.plan
        assert plan is not None
        if not plan.complete:
            return
        run, sheet, file = self.run, self.sheet, self.file
        regulation = run.regulation
        rows = sheet.rows
        nrows = len(rows)
        id_slot = plan.single("staff_id")
        name_slot = plan.single("name")
        assert id_slot is not None and name_slot is not None
        id_i, name_i = id_slot.index, name_slot.index
        name_more = name_slot.more
        dept_slot = plan.single("department")
        dept_i = dept_slot.index if dept_slot else -1
        # The header's own texts, to skip the header repeated on a printed page.
        header_id_raw = sheet.value(plan.top, id_i + 1) or sheet.value(plan.bottom, id_i + 1)
        header_name_raw = sheet.value(plan.top, name_i + 1) or sheet.value(plan.bottom,
                                                                             name_i + 1)

        layout = self.layout()
        crit_plan, leveled_points, others = (layout.crit_plan, layout.leveled_points,
                                             layout.others)
        data_cols, base_columns, single_crit = (layout.data_cols, layout.base_columns,
                                                layout.single_crit)

        # Facts calamine cannot see, grouped by row once (cell lookups stay O(1) per row).
        bad_by_row: dict[int, dict[int, tuple[str, str]]] = {}
        for (r, c), err in sheet.errors.items():
            bad_by_row.setdefault(r, {})[c - 1] = ("error-value", err)
        for (r, c), formula in sheet.formulas_without_value.items():
            bad_by_row.setdefault(r, {}).setdefault(c - 1, ("formula-without-value", formula))
        struck_rows = {r for (r, c) in sheet.struck_cells if c - 1 in (id_i, name_i)}
        hidden_rows = sheet.hidden_rows
        fill: dict[tuple[int, int], Any] = {}
        fill_cols = {s.index for k in ("department", "peer_group", "is_manager", "position")
                     for s in plan.slots.get(k, {}).values()}
        for r1, c1, r2, c2 in sheet.merged:
            if r2 > r1 and r1 > plan.bottom:
                for c in range(c1, c2 + 1):
                    if c - 1 in fill_cols:
                        top_value = sheet.value(r1, c1)
                        for r in range(r1 + 1, r2 + 1):
                            fill[(r, c - 1)] = top_value

        count_hidden = regulation.validation.count_hidden_rows
        count_struck = regulation.validation.count_struck_rows
        blank_is_zero = regulation.validation.blank_score_is_zero
        period = run.period
        max_leave = (workdays.working_days(period, regulation.overrides) if period is not None
                     else regulation.validation.max_leave_days_year)
        dates_text_late: tuple[str, int] | None = None  # (example, row) of a dd/mm text, day > 12
        dates_real_early: list[tuple[int, int, date]] = []  # (row, col, date) real, day ≤ 12
        same_name = regulation.validation.same_name_warning
        issue = self.issue
        sheet_name = sheet.name
        memo = self.memo
        dept_names_seen: set[str] = set()

        start = plan.bottom + 1
        # A row of column numbers "1 2 3 …" or "(1) (2) (3)" right under the header.
        if start <= nrows and self._is_numbering_row(rows[start - 1], id_i, name_i):
            start += 1

        # Plain rows are read column by column beforehand (see "The fast path"); this loop
        # keeps their order-dependent part, the same steps as at the end of the per-row code.
        fast = fast_rows(
            self, start, nrows, crit_plan=crit_plan, leveled_points=leveled_points,
            others=others, base_columns=base_columns, single_crit=single_crit,
            slow_rows=chain(bad_by_row, hidden_rows, struck_rows), fill=fill,
            header_id_raw=header_id_raw, max_leave=max_leave, same_name=same_name,
        ) if _FAST_PATH else None
        fast_ok = fast.ok if fast is not None else None
        fast_next = start  # the rows before it were read by the fast path
        date_slot = plan.single("recruited_on")
        date_i = date_slot.index if date_slot is not None else -1

        for r in range(start, nrows + 1):
            if fast_ok is not None and fast_ok[r - start]:
                if r >= fast_next:
                    assert fast is not None
                    fast_next = start + self._admit_fast(
                        fast, r - start, start, dept_i=dept_i, date_i=date_i,
                        dept_names_seen=dept_names_seen, dates_real_early=dates_real_early)
                continue
            row = rows[r - 1]
            n = len(row)
            if not n:
                continue
            id_v = row[id_i] if id_i < n else ""
            name_v = row[name_i] if name_i < n else ""
            id_blank = id_v == "" or (id_v.__class__ is not float and is_blank(id_v))
            # The table ends at a total row ("Tổng cộng" in the first filled cell) or, when
            # the staff ID is blank, at a signature block.
            if id_blank:
                first = next((v for v in row if v != "" and not is_blank(v)), None)
                if first is None:
                    continue
                if isinstance(first, str):
                    k = vntext.key(first)
                    if TOTAL_ROW.match(k):
                        self.total_row = r
                        break
                    if SIGNATURE.match(k):
                        break
            elif ends_table(row, id_i, id_v):
                self.total_row = r
                break
            bad = bad_by_row.get(r)
            if id_blank and (name_v == "" or is_blank(name_v)) and not any(
                (j < n and not is_blank(row[j])) or (bad is not None and j in bad)
                for j in data_cols
            ):
                continue  # STT or a formula total alone: not a person
            if header_id_raw != "" and id_v == header_id_raw and name_v == header_name_raw:
                continue  # the header repeated (printed page headers)
            if r in hidden_rows:
                issue("hidden-row-with-data", row=r,
                      counted="vẫn được tính" if count_hidden else "không được tính (bỏ qua)")
                if not count_hidden:
                    continue
            if r in struck_rows:
                issue("strike-through-row", row=r,
                      counted="vẫn được tính" if count_struck else "không được tính (bỏ qua)")
                if not count_struck:
                    continue

            # -- identity -----------------------------------------------------------------
            staff_id = "" if id_blank else staff_id_text(id_v)
            name = plain_text(name_v)
            if name_more:
                name = " ".join(
                    p for p in [name, *(plain_text(row[j]) for j in name_more if j < n)] if p
                )
            if id_v == "" and bad is not None and id_i in bad:
                self._bad_cell(r, id_i, id_slot.header, bad[id_i])
            if not staff_id:
                issue("missing-staff-id", row=r, col=id_i, header=id_slot.header)
            if not name:
                issue("missing-name", row=r, col=name_i, header=name_slot.header,
                      staff_id=staff_id)
            if dept_i >= 0:
                dv = row[dept_i] if dept_i < n else ""
                if is_blank(dv):
                    dv = fill.get((r, dept_i), "")
                memo_key = ("department", dv)
                department = memo.get(memo_key)
                if department is None:
                    department = memo[memo_key] = self.canonical_department(plain_text(dv))
                if not department:
                    issue("missing-department", row=r, col=dept_i, header=dept_slot.header
                          if dept_slot else None, staff_id=staff_id)
            else:
                department = self.department or ""
            self._first_seen(department, r, dept_i, dept_names_seen)

            # -- criteria -----------------------------------------------------------------
            scores: dict[str, float] = {}
            levels: dict[str, AssessmentLevel] = {}
            columns = base_columns if single_crit else dict(base_columns)
            for crit, slots in crit_plan:
                mx = crit.max_points
                code = crit.code
                if len(slots) == 1:
                    slot = slots[0]
                    i = slot.index
                    v = row[i] if i < n else ""
                    value = self._score_cell(r, slot, v, bad, mx)
                    if value is None:
                        if (v == "" or is_blank(v)) and (bad is None or i not in bad):
                            if blank_is_zero:
                                scores[code] = 0.0
                                levels[code] = slot.level or AssessmentLevel.DEPARTMENT
                                continue
                            issue("missing-score", row=r, col=i, header=slot.header,
                                  criterion=f"{code} – {crit.name}", cells="ô")
                        scores[code] = 0.0
                    else:
                        scores[code] = value
                        levels[code] = slot.level or AssessmentLevel.DEPARTMENT
                    continue
                chosen = self._leveled(r, row, n, bad, slots, mx, code)
                if chosen is None:
                    if blank_is_zero and not self._any_bad(row, n, bad, slots):
                        scores[code] = 0.0
                        levels[code] = slots[0].level or AssessmentLevel.DEPARTMENT
                        columns[f"criterion:{code}"] = slots[0].letter
                        continue
                    if not self._any_present(row, n, bad, slots):
                        issue("missing-score", row=r, col=slots[0].index, header=slots[0].header,
                              criterion=f"{code} – {crit.name}",
                              cells="các ô " + ", ".join(
                                  f"{s.level.label if s.level else s.header} ({s.letter}{r})"
                                  for s in slots))
                    scores[code] = 0.0
                    columns[f"criterion:{code}"] = slots[0].letter
                    continue
                value, slot = chosen
                scores[code] = value
                levels[code] = slot.level or AssessmentLevel.DEPARTMENT
                columns[f"criterion:{code}"] = slot.letter

            # -- bonus, deduction, the sheet's own total and rating -------------------------
            extra: dict[str, Any] = {}
            for key, slots in leveled_points:
                value_any = self._points_field(r, row, n, bad, key, slots, columns)
                if value_any is not None:
                    extra[key] = value_any

            # -- the other columns ----------------------------------------------------------
            for spec, slot in others:
                i = slot.index
                v = row[i] if i < n else ""
                if v == "" or (v.__class__ is str and is_blank(v)) or v is None:
                    if (r, i) in fill:
                        v = fill[(r, i)]
                    elif bad is not None and i in bad:
                        self._bad_cell(r, i, slot.header, bad[i],
                                       severity=None if spec.kind not in ("text",) else
                                       Severity.WARNING)
                        continue
                    else:
                        continue
                kind = spec.kind
                if kind == "text":
                    memo_key = ("text", v)
                    text = memo.get(memo_key)
                    if text is None:
                        text = memo[memo_key] = plain_text(v)
                    extra[spec.name] = text
                elif kind in ("flag", "tristate", "gender", "discipline"):
                    memo_key = (kind, v)
                    hit = memo.get(memo_key)
                    if hit is None:
                        hit = memo[memo_key] = read_word(kind, v)
                    word, found = hit
                    if found:  # read again: the message shows this very cell's value
                        self._report(r, slot, read_word(kind, v)[1])
                    elif word is not None:
                        extra[spec.name] = word
                elif kind == "date":
                    d, as_text = parse_date(v)
                    if d is None:
                        issue("invalid-date", row=r, col=i, header=slot.header, value=v,
                              shown=show_value(v))
                    else:
                        extra[spec.name] = d
                        if as_text and d.day > 12 and dates_text_late is None:
                            dates_text_late = (vntext.clean(v), r)
                        elif not as_text and d.day <= 12 and isinstance(v, (date, datetime)):
                            dates_real_early.append((r, i, d))
                else:  # "leave", "days", "count", "percent": numbers
                    num, found = read_count(kind, v, max_leave)
                    self._report(r, slot, found)
                    if num is not None:
                        extra[spec.name] = num

            # -- duplicates across sheets and files -------------------------------------------
            if staff_id and not self._admit_identity(
                    r, staff_id, staff_id.casefold(), name,
                    vntext.key(name) if name and same_name else None):
                continue
            if not staff_id or not name:
                continue

            run.people.append(Person(
                staff_id=staff_id,
                name=name,
                department=department,
                source=SourceRow(file, sheet_name, r),
                scores=scores,
                score_levels=levels,
                columns=columns,
                **extra,
            ))
            self.people += 1

        if self.total_row is not None:
            self._read_total_row(start, crit_plan, leveled_points, bad_by_row)

        if dates_text_late is not None and dates_real_early:
            example, _ = dates_text_late
            date_slot = plan.single("recruited_on")
            for r, i, d in dates_real_early:
                issue("mixed-date-format", row=r, col=i,
                      header=date_slot.header if date_slot else None,
                      value=d, shown=d.strftime("%d/%m/%Y"), example=example)

    def _admit_fast(self, fast: FastRows, k0: int, start: int, *, dept_i: int, date_i: int,
                    dept_names_seen: set[str],
                    dates_real_early: list[tuple[int, int, date]]) -> int:
        """The order-dependent part of reading the plain rows ``start + k0`` … up to the next
        row the per-row code reads: the same steps, in the same order, as at the end of the
        per-row code (departments first seen, dates for mixed-date-format, duplicate staff IDs,
        same names). Done for the whole run at once when no staff ID in it was seen before,
        row by row otherwise. Returns the index after the run."""
        try:
            k1 = fast.ok.index(False, k0)
        except ValueError:
            k1 = len(fast.ok)
        run, plan = self.run, self.plan
        assert plan is not None
        id_slot, name_slot = plan.single("staff_id"), plan.single("name")
        assert id_slot is not None and name_slot is not None
        file, sheet_name = self.file, self.sheet.name
        ids, id_keys, name_keys = fast.staff_ids, fast.id_keys, fast.name_keys
        rows = range(k0, k1)

        keys = id_keys[k0:k1]
        if len(set(keys)) < len(keys) or not run.ids.keys().isdisjoint(keys):
            for k in rows:  # a staff ID seen before: row by row, as the per-row code
                r = start + k
                self._first_seen(fast.departments[k] if fast.departments is not None
                                 else self.department or "", r, dept_i, dept_names_seen)
                if fast.dates is not None and fast.dates[k] is not None:
                    dates_real_early.append((r, date_i, fast.dates[k]))  # type: ignore[arg-type]
                if not self._admit_identity(r, ids[k], id_keys[k], fast.names[k],
                                            name_keys[k] if name_keys is not None else None):
                    continue
                run.people.append(fast.person(k))
                self.people += 1
            return k1

        # No duplicate staff ID: every row is a person. The only findings possible are
        # same-name-different-id, for the rows whose name was seen before (in row order).
        self._first_departments(fast, k0, k1, start, dept_i, dept_names_seen)
        if fast.dates is not None:
            dates_real_early.extend((start + k, date_i, d) for k, d in
                                    zip(rows, fast.dates[k0:k1], strict=True) if d is not None)
        run.ids.update(zip(keys, map(Seen, repeat(file), repeat(sheet_name),
                                     repeat(id_slot.letter), range(start + k0, start + k1),
                                     ids[k0:k1]), strict=True))
        self._same_names(fast, k0, k1, start)
        run.people.extend(fast.people(k0, k1))
        self.people += k1 - k0
        return k1

    def _admit_identity(self, r: int, staff_id: str, id_key: str, name: str,
                        name_key: str | None) -> bool:
        """The order-dependent identity checks of one row, for the row code and the column-wise
        rows alike: a staff ID seen before (in this or an earlier sheet or file) is a
        duplicate, not a person (False); a name seen before under another ID is reported
        (``name_key`` None: not compared)."""
        plan = self.plan
        assert plan is not None
        id_slot, name_slot = plan.single("staff_id"), plan.single("name")
        assert id_slot is not None and name_slot is not None
        run, file, sheet_name = self.run, self.file, self.sheet.name
        seen = run.ids.get(id_key)
        if seen is not None:
            self.issue("duplicate-staff-id", row=r, col=id_slot.index, header=id_slot.header,
                       value=staff_id, other=seen.where(file))
            return False
        run.ids[id_key] = Seen(file, sheet_name, id_slot.letter, r, staff_id)
        if name_key is not None:
            other = run.names.get(name_key)
            if other is None:
                run.names[name_key] = Seen(file, sheet_name, name_slot.letter, r, staff_id)
            elif other.staff_id.casefold() != id_key:
                self.issue("same-name-different-id", row=r, col=name_slot.index,
                           header=name_slot.header, value=name,
                           other=f"{other.where(file)} (mã {other.staff_id})")
        return True

    def _first_seen(self, department: str, row: int, dept_i: int, seen: set[str]) -> None:
        """Note a department the first time a row names it (departments_in_sheet, in order)."""
        if department and department not in seen:
            seen.add(department)
            dkey = vntext.key(department)
            if dkey not in self.departments_in_sheet:
                self.departments_in_sheet[dkey] = (department, row,
                                                   dept_i if dept_i >= 0 else None)

    def _first_departments(self, fast: FastRows, k0: int, k1: int, start: int, dept_i: int,
                           seen: set[str]) -> None:
        """_first_seen for the rows ``start + k0`` … of ``fast``, each department once."""
        if fast.departments is None:
            self._first_seen(self.department or "", start + k0, dept_i, seen)
            return
        depts = fast.departments
        for department in dict.fromkeys(depts[k0:k1]):
            self._first_seen(department, start + depts.index(department, k0, k1), dept_i, seen)

    def _same_names(self, fast: FastRows, k0: int, k1: int, start: int) -> None:
        """same-name-different-id for the rows ``start + k0`` … of ``fast``, none of whose
        staff IDs was seen before: a row whose name was seen before (in an earlier sheet or
        row) under another ID, in row order; the names are noted in ``run.names`` for the
        sheets read after."""
        name_keys = fast.name_keys
        if name_keys is None:
            return
        plan = self.plan
        assert plan is not None
        name_slot = plan.single("name")
        assert name_slot is not None
        file, sheet_name, ids = self.file, self.sheet.name, fast.staff_ids
        names = self.run.names
        rows = range(k0, k1)
        run_keys = name_keys[k0:k1]
        first = dict(zip(reversed(run_keys), reversed(rows), strict=True))  # key → 1st row
        again = [k for k, key in zip(rows, run_keys, strict=True)
                 if first[key] != k or key in names]
        for k in again:
            key = name_keys[k]
            other = names.get(key)
            if other is None:
                j = first[key]
                other = Seen(file, sheet_name, name_slot.letter, start + j, ids[j])
            if other.staff_id.casefold() != fast.id_keys[k]:
                self.issue("same-name-different-id", row=start + k, col=name_slot.index,
                           header=name_slot.header, value=fast.names[k],
                           other=f"{other.where(file)} (mã {other.staff_id})")
        names.update((key, Seen(file, sheet_name, name_slot.letter, start + k, ids[k]))
                     for key, k in first.items() if key not in names)

    def _read_total_row(self, start: int, crit_plan: Sequence[tuple[Criterion, list[Slot]]],
                        leveled_points: Sequence[tuple[str, list[Slot]]],
                        bad_by_row: dict[int, dict[int, tuple[str, str]]]) -> None:
        """The "Tổng cộng" row under each score column, with the sum of that column over the
        table's rows (text numbers counted: Excel's SUM skips them, which is the point).
        An error or an uncalculated formula in it is a warning: it never enters a total."""
        total_row = self.total_row
        assert total_row is not None
        rows = self.sheet.rows
        row = rows[total_row - 1]
        bad = bad_by_row.get(total_row) or {}
        slots: list[tuple[str, Slot]] = []
        for crit, crit_slots in crit_plan:
            slots.extend((f"criterion:{crit.code}", s) for s in crit_slots)
        for key, key_slots in leveled_points:
            if key == "sheet_rating":
                continue
            for s in key_slots:
                level = "" if len(key_slots) == 1 or s.level is None else f":{s.level.value}"
                slots.append((key + level, s))
        cells: list[TotalRowCell] = []
        for key, slot in slots:
            i = slot.index
            v = row[i] if i < len(row) else ""
            if v == "" or is_blank(v):
                if i in bad:
                    self._bad_cell(total_row, i, slot.header, bad[i], severity=Severity.WARNING)
                continue
            column_sum = 0.0
            for r in range(start, total_row):
                data = rows[r - 1]
                if i < len(data):
                    x = data[i]
                    if x.__class__ is float or x.__class__ is int:
                        column_sum += x
                    elif x.__class__ is str and x:
                        parsed = parse_number(x)
                        if isinstance(parsed, ParsedNumber):
                            column_sum += parsed.value
            cells.append(TotalRowCell(slot.letter, slot.header, key, v, column_sum))
        self.total_row_cells = tuple(cells)

    @staticmethod
    def _is_numbering_row(row: Sequence[Any], id_i: int, name_i: int) -> bool:
        def numbering(v: Any) -> bool:
            if isinstance(v, bool):
                return False
            if isinstance(v, (int, float)):
                return float(v).is_integer() and 0 < v < 1000
            return isinstance(v, str) and bool(NUMBERING.match(v.strip()))

        n = len(row)
        return (id_i < n and name_i < n and numbering(row[id_i]) and numbering(row[name_i]))

    def _bad_cell(self, r: int, i: int, header: str, bad: tuple[str, str],
                  severity: Severity | None = None) -> None:
        code, text = bad
        if code == "error-value":
            formula = self.sheet.formulas_without_value.get((r, i + 1))
            self.issue(code, row=r, col=i, header=header, value=text, severity=severity,
                       formula_part=f" (công thức {formula})" if formula else "")
        else:
            self.issue(code, row=r, col=i, header=header, value=text, severity=severity,
                       formula=text)

    def _report(self, r: int, slot: Slot, found: Sequence[Finding],
                severity: Severity | None = None) -> None:
        """The findings of a cell's verdict (cells.py), located at row ``r`` of ``slot``."""
        for f in found:
            self.issue(f.code, row=r, col=slot.index, header=slot.header,
                       severity=severity if f.graded else None, **f.params)

    def _score_cell(self, r: int, slot: Slot, v: Any, bad: dict[int, tuple[str, str]] | None,
                    mx: float) -> float | None:
        """A criterion cell: its score, or None when blank or not usable (its finding is
        recorded)."""
        if v == "" or is_blank(v):
            if bad is not None and slot.index in bad:
                self._bad_cell(r, slot.index, slot.header, bad[slot.index])
            return None
        value, found = read_score(v, mx)
        self._report(r, slot, found)
        return value

    @staticmethod
    def _any_bad(row: Sequence[Any], n: int, bad: dict[int, tuple[str, str]] | None,
                 slots: Sequence[Slot]) -> bool:
        return bad is not None and any(s.index in bad for s in slots)

    @staticmethod
    def _any_present(row: Sequence[Any], n: int, bad: dict[int, tuple[str, str]] | None,
                     slots: Sequence[Slot]) -> bool:
        return any(
            (s.index < n and not is_blank(row[s.index])) or (bad is not None and s.index in bad)
            for s in slots
        )

    def _leveled(self, r: int, row: Sequence[Any], n: int,
                 bad: dict[int, tuple[str, str]] | None, slots: Sequence[Slot], mx: float,
                 code: str) -> tuple[float, Slot] | None:
        """The counting cell of a criterion with assessment levels (cells.level_readings):
        every non-blank level cell is checked; a count from "Tự chấm" is reported."""
        cells = _slot_cells(row, n, bad, slots)
        readings = level_readings(cells, mx)
        for j, _, found in readings:
            slot = slots[j]
            if cells[j] is BAD:
                assert bad is not None
                self._bad_cell(r, slot.index, slot.header, bad[slot.index])
            self._report(r, slot, found)
        if not readings or readings[0][1] is None:
            return None
        j, value, _ = readings[0]
        slot = slots[j]
        assert value is not None
        if slot.level is AssessmentLevel.SELF:
            self.issue("self-assessment-fallback", row=r, col=slot.index, header=slot.header,
                       value=value, shown=show_value(value), criterion=code)
        return value, slot

    def _points_field(self, r: int, row: Sequence[Any], n: int,
                      bad: dict[int, tuple[str, str]] | None, key: str,
                      slots: Sequence[Slot], columns: dict[str, str]) -> Any:
        """Bonus/deduction, the sheet's total (compared later, never used) and rating, by
        cells.read_points. Problems in the sheet's own total and rating are warnings: those
        cells never enter a computation."""
        informative = key in ("sheet_total", "sheet_rating")
        severity = Severity.WARNING if informative else None
        cells = _slot_cells(row, n, bad, slots)
        pick, value, found = read_points(key, cells)
        if pick < 0:
            return None
        slot = slots[pick]
        if len(slots) > 1:
            columns[key] = slot.letter
        if cells[pick] is BAD:
            assert bad is not None
            self._bad_cell(r, slot.index, slot.header, bad[slot.index], severity=severity)
            return None
        self._report(r, slot, found, severity)
        if value is None:
            return None
        if slot.level is AssessmentLevel.SELF and len(slots) > 1 and not informative:
            self.issue("self-assessment-fallback", row=r, col=slot.index, header=slot.header,
                       value=value, shown=show_value(value), criterion=FIELD_BY_NAME[key].label)
        return value


_FAST_PATH = True  # tests turn it off: every row read by the row code, to compare


def _slot_cells(row: Sequence[Any], n: int, bad: dict[int, tuple[str, str]] | None,
                slots: Sequence[Slot]) -> list[Any]:
    """The cells of ``slots`` in ``row``: "" past its end, BAD where calamine saw an error value
    or a formula without a value in an otherwise blank cell."""
    cells = []
    for slot in slots:
        i = slot.index
        v = row[i] if i < n else ""
        if bad is not None and i in bad and (v == "" or is_blank(v)):
            v = BAD
        cells.append(v)
    return cells
