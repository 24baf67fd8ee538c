"""One department sheet before its rows: the run's shared state, legacy encodings, the header
row, the column plan, the department and the period in the title rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from thidua_cli.core import legacy, vntext
from thidua_cli.core.numbers import (
    is_blank,
)
from thidua_cli.core.period import find_period
from thidua_cli.core.posts import has_groups
from thidua_cli.io.raw import RawSheet
from thidua_cli.io.reader.cells import show_value
from thidua_cli.io.reader.fields import (
    FIELD_BY_NAME,
    GENERIC_SHEET,
    HEADER_SCAN_ROWS,
    LEADING_NUMBER,
    REGULATION_SOURCE,
    FieldSpec,
)
from thidua_cli.io.reader.header import (
    HeaderGuess,
    Matcher,
    Plan,
    Slot,
    cell_text,
    guess_headers,
    level_of,
)
from thidua_cli.issues import make_issue
from thidua_cli.model import (
    AssessmentLevel,
    Criterion,
    Issue,
    Period,
    Person,
    Regulation,
    Severity,
    TotalRowCell,
    column_letter,
)

# --------------------------------------------------------------------------------------------
# Reading one department sheet
# --------------------------------------------------------------------------------------------


class Seen(NamedTuple):
    """Where a staff ID (or name) was first seen. A tuple, and the cell written only when a
    message needs it: one is kept per person while the files are read."""

    file: str
    sheet: str
    column: str  # letter
    row: int
    staff_id: str = ""

    def where(self, file: str) -> str:
        loc = f"{self.sheet}!{self.column}{self.row}"
        return loc if file == self.file else f"{loc} (tệp {self.file})"


@dataclass
class Run:
    """State shared by every sheet of one read."""

    regulation: Regulation
    criteria: tuple[Criterion, ...]
    matcher: Matcher
    criteria_label: str = REGULATION_SOURCE  # "quy chế" or "bảng tiêu chí ở sheet … (file)"
    period: Period | None = None
    ids: dict[str, Seen] = field(default_factory=dict)
    names: dict[str, Seen] = field(default_factory=dict)
    departments: dict[str, tuple[str, str]] = field(default_factory=dict)  # key → (file, sheet)
    known_departments: dict[str, str] = field(default_factory=dict)  # key → canonical name
    department_list: str = "của quy chế"  # the list's name in unknown-department
    people: list[Person] = field(default_factory=list)

    @classmethod
    def of(cls, regulation: Regulation, criteria: tuple[Criterion, ...]) -> Run:
        """A new read under ``regulation``, its departments known by their keys."""
        run = cls(regulation=regulation, criteria=criteria, matcher=Matcher(criteria))
        run.known_departments = {vntext.key(d): d for d in regulation.organisation.departments}
        return run


class Layout(NamedTuple):
    """The column plan of a sheet's rows (see SheetHeader.layout)."""

    crit_plan: list[tuple[Criterion, list[Slot]]]  # criterion, its slots highest level first
    leveled_points: list[tuple[str, list[Slot]]]  # bonus, deduction, total, rating
    others: list[tuple[FieldSpec, Slot]]  # the other known columns
    data_cols: list[int]
    base_columns: dict[str, str]  # Person.columns when every field has one column
    single_crit: bool  # every criterion and point field has one column (no levels)


class SheetHeader:
    def __init__(self, run: Run, file: str, sheet: RawSheet) -> None:
        self.run = run
        self.file = file
        self.sheet = sheet
        self.issues: list[Issue] = []
        self.plan: Plan | None = None
        self.no_header: HeaderGuess | None = None  # set when no header row was found
        self.title_period: tuple[Period, str] | None = None
        self.people = 0
        self.department: str | None = None  # the sheet's department (None: a combined sheet)
        # department key → (name, first row, column index or None), in order of appearance
        self.departments_in_sheet: dict[str, tuple[str, int, int | None]] = {}
        # Values that repeat down a column (departments, positions, "Nam"/"Nữ", "x") are read
        # once: (field kind, raw value) → reading.
        self.memo: dict[tuple[str, Any], Any] = {}
        # The sheet's own "Tổng cộng" row (validate compares it; nothing computes with it).
        self.total_row: int | None = None
        self.total_row_cells: tuple[TotalRowCell, ...] = ()
        self._converted: set[tuple[int, int]] = set()  # cells turned from TCVN3/VNI to Unicode
        self._conversions: list[legacy.Conversion] = []  # reported once the header is known
        # The table's columns, transposed once (see table_columns).
        self._columns: tuple[int, list[tuple[Any, ...]]] | None = None

    # -- findings -------------------------------------------------------------------------
    def issue(self, code: str, *, row: int | None = None, col: int | None = None,
              header: str | None = None, value: Any = None, shown: str | None = None,
              severity: Severity | None = None, **params: Any) -> None:
        iss = make_issue(
            code, file=self.file, sheet=self.sheet.name, row=row,
            column=column_letter(col + 1) if col is not None else None, header=header,
            value=shown if shown is not None else value, severity=severity, **params,
        )
        if shown is not None:
            iss = replace(iss, value=value)
        self.issues.append(iss)

    # -- old encodings (TCVN3, VNI) ---------------------------------------------------------
    def convert_legacy_header(self) -> None:
        """Before the header is looked for: cells in a legacy font anywhere in the sheet, and
        the title/header area (first rows) detected by content, row by row. Converted in the
        reader's in-memory rows only; each conversion is reported (legacy-encoding)."""
        sheet = self.sheet
        found: list[legacy.Conversion] = []
        if sheet.legacy_fonts:
            found.extend(legacy.by_font(sheet.legacy_fonts, sheet.value))
        done = {(c.row, c.col) for c in found}
        for r in range(1, min(HEADER_SCAN_ROWS, sheet.max_row) + 1):
            row = sheet.rows[r - 1]
            if not any(v.__class__ is str and not v.isascii() for v in row):
                continue
            found.extend(legacy.by_content(
                (r, c, v) for c, v in enumerate(row, start=1) if (r, c) not in done
            ))
        self._record_conversions(found)

    def convert_legacy_columns(self) -> None:
        """After the header: each text column of the table (names, departments, positions …)
        detected by content as a whole (one old name pasted into a Unicode list is found on
        its own)."""
        plan = self.plan
        if plan is None:
            self._report_conversions(None)
            return
        text_kinds = ("name", "department", "text", "discipline", "gender", "flag", "tristate",
                      "rating")
        name_slot = plan.single("name")
        columns: set[int] = set(name_slot.more) if name_slot is not None else set()
        for key, by_level in plan.slots.items():
            spec = FIELD_BY_NAME.get(key)
            if spec is not None and spec.kind in text_kinds:
                columns.update(slot.index for slot in by_level.values())
        first = plan.bottom + 1
        table = self.table_columns(first)
        found: list[legacy.Conversion] = []
        for i in sorted(columns):
            c = i + 1
            values = table[i]
            # Most columns hold no one-byte text at all: decide on the distinct values first.
            if not legacy.might_convert(set(values)):
                continue
            cells = [
                (r, c, v) for r, v in enumerate(values, start=first)
                if v.__class__ is str and not v.isascii() and (r, c) not in self._converted
            ]
            found.extend(legacy.by_content(cells))
        if found:
            self._columns = None  # the cells converted changed the rows
        self._record_conversions(found)
        self._report_conversions(plan)

    def release_columns(self) -> None:
        """Drop the transposed columns once the rows are read (they hold every cell)."""
        self._columns = None

    def table_columns(self, first: int) -> list[tuple[Any, ...]]:
        """The table's columns from Excel row ``first`` down: ``[i][k]`` is cell (first + k,
        i + 1), "" past the end of a short row. One transposition per sheet, shared by the
        legacy-encoding check and the fast path (the collector is paused while the reader
        runs: 0.07 s for 100,000 rows × 29 columns, a third of one pass per column)."""
        cached = self._columns
        if cached is not None and cached[0] <= first:
            return [col[first - cached[0]:] for col in cached[1]] if first > cached[0] \
                else cached[1]
        assert self.plan is not None
        plan = self.plan
        width = 1 + max([i for by in plan.slots.values() for s in by.values()
                         for i in (s.index, *s.more)], default=-1)
        body = self.sheet.rows[first - 1:]
        if body and min(map(len, body)) < width:
            body = [row if len(row) >= width else [*row, *[""] * (width - len(row))]
                    for row in body]
        if body and len(body[0]) > 2 * width:
            body = [row[:width] for row in body]  # a stray cell far right: not its columns
        columns = list(zip(*body, strict=False))[:width] if body else [() for _ in range(width)]
        self._columns = (first, columns)
        return columns

    # One finding per converted cell, up to this many per sheet; then one per column.
    LEGACY_SHOWN = 20

    def _record_conversions(self, found: list[legacy.Conversion]) -> None:
        legacy.apply(self.sheet.rows, found)
        for conv in found:
            self._converted.add((conv.row, conv.col))
        self._conversions.extend(found)

    def _report_conversions(self, plan: Plan | None) -> None:
        found = sorted(self._conversions, key=lambda c: (c.row, c.col))
        self._conversions = []
        if not found:
            return
        headers: dict[int, str] = {}
        if plan is not None:
            for by_level in plan.slots.values():
                for slot in by_level.values():
                    headers.setdefault(slot.index, slot.header)
        rest: dict[int, list[legacy.Conversion]] = {}
        for n, conv in enumerate(found, start=1):
            if n > self.LEGACY_SHOWN:
                rest.setdefault(conv.col, []).append(conv)
                continue
            self.issue(
                "legacy-encoding", row=conv.row, col=conv.col - 1,
                header=headers.get(conv.col - 1), value=conv.original,
                encoding=conv.encoding, converted=conv.converted,
                font=conv.basis if conv.basis != legacy.BY_CONTENT
                else "không rõ, nhận ra theo nội dung chữ",
            )
        for col, convs in sorted(rest.items()):
            first = convs[0]
            self.issue(
                "legacy-encoding-many", row=first.row, col=col - 1,
                header=headers.get(col - 1) or column_letter(col), value=first.original,
                count=len(convs), encoding=first.encoding, converted=first.converted,
            )

    # -- header ---------------------------------------------------------------------------
    def find_header(self) -> None:
        sheet, matcher = self.sheet, self.run.matcher
        guesses = guess_headers(sheet, matcher)
        complete = [g for g in guesses if g.has_id and g.has_name]
        if complete:
            best = max(complete, key=lambda g: (g.hits, -g.row))
            self.plan = self._build_plan(best.row)
        else:
            partial = max(guesses, key=lambda g: (g.hits, -g.row), default=None)
            if partial is not None and partial.hits >= 3:
                # Clearly a header, but the staff ID or the name column is missing: the plan
                # reports it (missing-column) and no row is read.
                self.plan = self._build_plan(partial.row)
                self.plan.complete = False
            else:
                shown = max(guesses, key=lambda g: (len(g.texts), -g.row), default=None)
                self.no_header = shown or HeaderGuess(0, 0, False, False, [])
                return
        self._find_title_period()

    def _merged_lookup(self, rows: range) -> dict[tuple[int, int], tuple[int, int, int, int]]:
        lookup: dict[tuple[int, int], tuple[int, int, int, int]] = {}
        for rng in self.sheet.merged:
            r1, c1, r2, c2 = rng
            if r2 < rows.start or r1 >= rows.stop:
                continue
            for r in range(max(r1, rows.start), min(r2, rows.stop - 1) + 1):
                for c in range(c1, c2 + 1):
                    lookup[(r, c)] = rng
        return lookup

    def _build_plan(self, h: int) -> Plan:
        sheet = self.sheet
        level_count = lambda r: sum(  # noqa: E731
            1 for v in (sheet.rows[r - 1] if 1 <= r <= sheet.max_row else ())
            if isinstance(v, str) and level_of(vntext.clean(v)) is not None
        )
        # A row of level labels right under the header, with the staff ID cell blank there (a
        # data row never has a blank ID and "Hội đồng" in a cell by chance … and when it does,
        # it is still not a header).
        id_col = next((c for c, v in enumerate(sheet.rows[h - 1], start=1)
                       if isinstance(v, str) and self.run.matcher.classify(vntext.clean(v)).field
                       == "staff_id"), 0)
        if level_count(h + 1) and (not id_col or is_blank(sheet.value(h + 1, id_col))):
            top, bottom = h, h + 1
        elif h > 1 and level_count(h):
            top, bottom = h - 1, h
        else:
            top, bottom = h, h
        plan = Plan(top, bottom)
        merged = self._merged_lookup(range(top, bottom + 1))

        def source_at(r: int, c: int) -> tuple[str, tuple[int, int, int, int] | None]:
            rng = merged.get((r, c))
            if rng is not None:
                return cell_text(sheet.value(rng[0], rng[1])), rng
            return cell_text(sheet.value(r, c)), None

        def text_at(r: int, c: int) -> str:
            return source_at(r, c)[0]

        width = max(len(sheet.rows[r - 1]) for r in range(top, bottom + 1))
        width = max([width] + [c for (_, c) in merged])
        warned_groups: set[str] = set()
        # A heading merged across columns (not over assessment levels): its first column holds
        # the field; the others continue it (name parts) or are reported once (merged-header).
        merged_fields: dict[tuple[int, int, int, int], Slot | None] = {}
        for c in range(1, width + 1):
            if top == bottom:
                text, rng = source_at(top, c)
            else:
                bottom_text, bottom_rng = source_at(bottom, c)
                lvl = level_of(bottom_text)
                if lvl is not None:
                    group, gcol = text_at(top, c), c
                    if not group:  # an unmerged label stands left of its level columns
                        cc = c - 1
                        while cc >= 1 and not text_at(top, cc) and level_of(text_at(bottom, cc)):
                            cc -= 1
                        if cc >= 1 and level_of(text_at(bottom, cc)) is not None:
                            group, gcol = text_at(top, cc), cc
                    top_rng = merged.get((top, c))
                    if top_rng is not None:
                        gcol = top_rng[1]
                    self._register(plan, group, lvl, c, bottom, warned_groups, group_col=gcol)
                    continue
                top_text, top_rng = source_at(top, c)
                text, rng = (bottom_text, bottom_rng) if bottom_text else (top_text, top_rng)
                if bottom_text and top_text and top_text != bottom_text:
                    kinds = self.run.matcher.classify
                    if kinds(bottom_text).kind in ("unknown", "blank") and kinds(
                        top_text
                    ).kind not in ("unknown", "blank"):
                        text, rng = top_text, top_rng
            if rng is not None and rng[3] > rng[1]:  # merged across columns
                if rng in merged_fields:
                    first = merged_fields[rng]
                    if first is not None and first.key == "name":
                        first.more.append(c - 1)
                    elif first is not None:
                        merged_fields[rng] = None
                        self.issue("merged-header", row=rng[0], col=rng[1] - 1, value=text,
                                   header=text)
                    continue
                merged_fields[rng] = self._register(plan, text, None, c, bottom, warned_groups)
                continue
            self._register(plan, text, None, c, bottom, warned_groups)
        self._check_required(plan)
        return plan

    def _register(self, plan: Plan, text: str, level: AssessmentLevel | None, c: int,
                  header_row: int, warned: set[str], group_col: int | None = None
                  ) -> Slot | None:
        """Add the column to the plan (or report why not); the new slot, if any."""
        col = c - 1
        letter = column_letter(c)
        match = self.run.matcher.classify(text)
        group_key = f"{group_col or c}:{text}"
        if match.kind == "blank":
            if level is not None and group_key not in warned:
                warned.add(group_key)
                self.issue("unknown-column", row=header_row, col=col, value=level.label,
                           header=level.label, suggestion=" Hãy ghi tên tiêu chí ở ô phía trên.")
            return None
        if match.kind == "field" and match.field is not None:
            spec = FIELD_BY_NAME[match.field]
            if spec.kind == "ignore":
                plan.ignored.add(col)
                return None
            if spec.kind in ("total", "rating"):
                plan.ignored.add(col)
            key = spec.name
            lvl = level if spec.leveled else None
            shown = text if level is None else f"{text} – {level.label}"
        elif match.kind == "criterion" and match.criterion is not None:
            crit = match.criterion
            key = f"criterion:{crit.code}"
            lvl = level
            shown = text if level is None else f"{text} – {level.label}"
            if (match.sheet_max is not None and abs(match.sheet_max - crit.max_points) > 1e-9
                    and group_key not in warned):
                warned.add(group_key)
                self.issue("criterion-max-differs", row=header_row - (1 if level else 0), col=col,
                           header=text, sheet_max=show_value(match.sheet_max),
                           criterion=f"{crit.code} – {crit.name}",
                           max_points=show_value(crit.max_points), source=self.run.criteria_label)
        elif match.kind == "level":
            self.issue("unknown-column", row=header_row, col=col, value=text, header=text,
                       suggestion=" Cột mức chấm phải nằm dưới ô tên tiêu chí (tiêu đề hai dòng).")
            return None
        elif match.kind == "like-criterion" or level is not None:
            if group_key not in warned:
                warned.add(group_key)
                self.issue("criterion-not-in-regulation",
                           row=header_row - (1 if level else 0), col=col, value=text, header=text,
                           suggestion=self.run.matcher.index.suggestion(text))
            return None
        else:
            self.issue("unknown-column", row=header_row, col=col, value=text, header=text,
                       suggestion=self.run.matcher.column_suggestion(text))
            return None
        by_level = plan.slots.setdefault(key, {})
        clash = by_level.get(lvl) or (
            next(iter(by_level.values())) if by_level and (lvl is None) != (None in by_level)
            else None
        )
        if clash is not None:
            self.issue("duplicate-column", row=header_row, col=col, value=shown, header=shown,
                       first=clash.letter, second=letter)
            return None
        slot = Slot(key, lvl, col, letter, shown,
                     match.criterion if match.kind == "criterion" else None)
        by_level[lvl] = slot
        return slot

    def _check_required(self, plan: Plan) -> None:
        if plan.complete:
            # The header row named both, but a column may have been lost (a duplicate, an odd
            # two-row header): without them no row can be read.
            for fname in ("staff_id", "name"):
                if fname not in plan.slots:
                    plan.complete = False
                    self.issue("missing-column", row=plan.bottom,
                               column_name=FIELD_BY_NAME[fname].label, header_row=plan.bottom)
        if "department" not in plan.slots:
            if GENERIC_SHEET.match(vntext.fold(self.sheet.name)):
                plan.complete = False
                self.issue("missing-column", row=plan.bottom,
                           column_name=FIELD_BY_NAME["department"].label + " (sheet \"" + self.sheet.name
                           + "\" không mang tên một khoa/phòng)",
                           header_row=plan.bottom)
            else:
                self.department = self.canonical_department(vntext.clean(self.sheet.name))
        # With criteria sets per post ([posts]), what a sheet needs depends on its people: checked
        # after its rows are read (dataset._post_pass).
        for crit in () if has_groups(self.run.regulation) else self.run.criteria:
            if f"criterion:{crit.code}" not in plan.slots:
                self.issue("missing-criterion-column", row=plan.bottom,
                           criterion=f"{crit.code} – {crit.name}",
                           max_points=show_value(crit.max_points))

    def canonical_department(self, name: str) -> str:
        known = self.run.known_departments
        if not known:
            return name
        hit = known.get(vntext.key(name))
        if hit is None:
            hit = known.get(vntext.key(LEADING_NUMBER.sub("", name)))
        return hit or name

    def _find_title_period(self) -> None:
        assert self.plan is not None
        for r in range(1, self.plan.top):
            for c, v in enumerate(self.sheet.rows[r - 1], start=1):
                if isinstance(v, str) and v:
                    found = find_period(v)
                    if found is not None:
                        self.title_period = (
                            found, f"dòng tiêu đề sheet \"{self.sheet.name}\" ô {column_letter(c)}{r}"
                        )
                        return
