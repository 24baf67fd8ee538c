"""Finding the header row and matching its headings: the column plan of one sheet.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from thidua_cli.core import vntext
from thidua_cli.core.numbers import is_blank
from thidua_cli.io.raw import RawSheet
from thidua_cli.io.reader.fields import (
    ALL_ALIASES,
    CODE_PREFIX,
    FIELD_BY_COMPACT,
    FIELD_BY_KEY,
    HEADER_SCAN_ROWS,
    LEVEL_BY_COMPACT,
    LEVEL_BY_KEY,
    MAX_PAREN,
    MAX_UNIT,
    NUMBERING,
    TRAILING_PAREN,
    alias_index,
)
from thidua_cli.model import (
    AssessmentLevel,
    Criterion,
)

# --------------------------------------------------------------------------------------------
# Matching headers
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Match:
    kind: str  # "field" | "criterion" | "level" | "like-criterion" | "unknown" | "blank"
    field: str | None = None
    criterion: Criterion | None = None
    level: AssessmentLevel | None = None
    sheet_max: float | None = None


_BLANK_MATCH = _Match("blank")


class _CriterionIndex:
    def __init__(self, criteria: Sequence[Criterion]) -> None:
        self.criteria = tuple(criteria)
        self.by_code = {vntext.compact(c.code): c for c in criteria}
        self.by_name_key = {vntext.key(c.name): c for c in criteria}
        self.by_name_compact = {vntext.compact(c.name): c for c in criteria}

    def find(self, k: str) -> Criterion | None:
        c = vntext.compact(k)
        return self.by_code.get(c) or self.by_name_key.get(k) or self.by_name_compact.get(c)

    def match(self, text: str) -> tuple[Criterion | None, float | None, bool]:
        """(criterion, maximum written in the header, looks like a criterion header)."""
        k = vntext.key(text)
        sheet_max: float | None = None
        m = MAX_PAREN.search(k) or MAX_UNIT.search(k)
        if m:
            sheet_max = float(m.group(1).replace(",", "."))
            k = k[: m.start()].strip(" -–—:.,")
        if not k:
            return None, sheet_max, sheet_max is not None
        crit = self.find(k)
        if crit is not None:
            return crit, sheet_max, True
        looks = sheet_max is not None
        cm = CODE_PREFIX.match(k)
        if cm:
            looks = True
            crit = self.by_code.get(vntext.compact(cm.group(1) + cm.group(2)))
            if crit is None:
                rest = k[cm.end():].strip(" -–—:.)")
                if rest:
                    crit = self.find(rest)
            if crit is not None:
                return crit, sheet_max, True
        return None, sheet_max, looks

    def suggestion(self, text: str) -> str:
        """" Có phải là tiêu chí "CM2 – …"?" when the header's name part is close to one
        criterion's name. Codes are not compared: "CM4" is as close to CM1 as to CM3, and an
        extra criterion of the department's own is more likely than a typo."""
        k = vntext.key(text)
        m = MAX_PAREN.search(k) or MAX_UNIT.search(k)
        if m:
            k = k[: m.start()]
        cm = CODE_PREFIX.match(k)
        if cm:
            k = k[cm.end():]
        k = k.strip(" -–—:.,)")
        if not k:
            return ""
        names = {c.name: f"{c.code} – {c.name}" for c in self.criteria}
        best = _close(k, list(names))
        return f" Có phải là tiêu chí \"{names[best]}\"?" if best else ""


def _close(text: str, candidates: Sequence[str], cutoff: float = 0.8) -> str | None:
    """The candidate closest to ``text`` on the accent-blind compact key, if close enough.
    Only ever a suggestion in a message (locale.md: "Khoa Nội"/"Khoa Ngoại" are 0.89 alike)."""
    by_key: dict[str, str] = {}
    for c in candidates:
        by_key.setdefault(vntext.compact(c), c)
    best = difflib.get_close_matches(vntext.compact(text), list(by_key), n=1, cutoff=cutoff)
    return by_key[best[0]] if best else None


def level_of(text: str) -> AssessmentLevel | None:
    if not text:
        return None
    k = vntext.key(text)
    lvl = LEVEL_BY_KEY.get(k)
    if lvl is None:
        lvl = LEVEL_BY_COMPACT.get(vntext.compact(k))
    return lvl


def lookup_heading(text: str, by_key: Mapping[str, Any], by_compact: Mapping[str, Any]) -> Any:
    """THE rule matching a heading to an alias: on the accented key, then accent- and
    space-blind, then without a trailing "(…)" ("Hệ số lương (HSL)")."""
    k = vntext.key(text)
    name = by_key.get(k)
    if name is None:
        name = by_compact.get(vntext.compact(k))
    if name is None:
        stripped = TRAILING_PAREN.sub("", k)
        if stripped and stripped != k:
            name = by_key.get(stripped) or by_compact.get(vntext.compact(stripped))
    return name


def _field_of(text: str) -> str | None:
    name: str | None = lookup_heading(text, FIELD_BY_KEY, FIELD_BY_COMPACT)
    return name


class Matcher:
    """Classifies header texts; cached per reader (headers repeat across sheets)."""

    def __init__(self, criteria: Sequence[Criterion]) -> None:
        self.index = _CriterionIndex(criteria)
        self._cache: dict[str, _Match] = {}

    def classify(self, text: str) -> _Match:
        if not text:
            return _BLANK_MATCH
        hit = self._cache.get(text)
        if hit is not None:
            return hit
        result: _Match
        name = _field_of(text)
        if name is not None:
            result = _Match("field", field=name)
        else:
            lvl = level_of(text)
            if lvl is not None:
                result = _Match("level", level=lvl)
            else:
                crit, sheet_max, looks = self.index.match(text)
                if crit is not None:
                    result = _Match("criterion", criterion=crit, sheet_max=sheet_max)
                elif looks:
                    result = _Match("like-criterion", sheet_max=sheet_max)
                else:
                    result = _Match("unknown")
        self._cache[text] = result
        return result

    def column_suggestion(self, text: str) -> str:
        cands = list(ALL_ALIASES) + [c.code for c in self.index.criteria] + [
            c.name for c in self.index.criteria
        ]
        best = _close(text, cands)
        return f" Có phải ý bạn là \"{best}\"?" if best else ""


# --------------------------------------------------------------------------------------------
# The column plan of one sheet
# --------------------------------------------------------------------------------------------


@dataclass
class Slot:
    key: str  # "staff_id" … or "criterion:CM1"
    level: AssessmentLevel | None
    index: int  # 0-based column
    letter: str
    header: str  # shown in findings
    criterion: Criterion | None = None
    # Further 0-based columns under the same merged heading: "Họ và tên" merged over
    # "Họ đệm" | "Tên" is read as both parts joined by a space.
    more: list[int] = field(default_factory=list)


@dataclass
class Plan:
    top: int  # first header row (Excel row number)
    bottom: int  # last header row
    slots: dict[str, dict[AssessmentLevel | None, Slot]] = field(default_factory=dict)
    ignored: set[int] = field(default_factory=set)  # STT, the sheet's totals and ratings
    complete: bool = True  # False when a required column is missing: rows are not read

    def single(self, key: str) -> Slot | None:
        by_level = self.slots.get(key)
        if not by_level:
            return None
        if None in by_level:
            return by_level[None]
        return max(by_level.values(), key=lambda s: s.level.priority if s.level else 0)


@dataclass
class HeaderGuess:
    row: int
    hits: int
    has_id: bool
    has_name: bool
    texts: list[str]


def cell_text(value: Any) -> str:
    return vntext.clean(value) if isinstance(value, str) else ""


def guess_headers(sheet: RawSheet, matcher: Matcher) -> list[HeaderGuess]:
    """Each of the first rows scored as a header. Once a complete header (staff ID and name)
    is found, a later row is classified only if it has more texts than that header has hits:
    otherwise it cannot win (ties go to the upper row), and data rows, whose names never repeat
    from sheet to sheet, are most of the classifying work."""
    guesses = []
    best_complete = -1
    for r in range(1, min(HEADER_SCAN_ROWS, sheet.max_row) + 1):
        row = sheet.rows[r - 1]
        if best_complete >= 0 and sum(
            1 for v in row if isinstance(v, str) and v and len(v) <= 200
        ) <= best_complete:
            continue
        hits = 0
        has_id = has_name = False
        texts = []
        for v in row:
            if not isinstance(v, str) or not v or len(v) > 200:
                continue
            t = vntext.clean(v)
            if not t:
                continue
            texts.append(t)
            m = matcher.classify(t)
            if m.kind in ("field", "criterion", "level"):
                hits += 1
                if m.field == "staff_id":
                    has_id = True
                elif m.field == "name":
                    has_name = True
        guesses.append(HeaderGuess(r, hits, has_id, has_name, texts))
        if has_id and has_name:
            best_complete = max(best_complete, hits)
    return guesses


# --------------------------------------------------------------------------------------------
# A table without criteria (the income staff, grades and fund sheets)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableHeader:
    row: int  # the header row (Excel)
    first: int  # the first data row (Excel)
    columns: dict[str, int]  # field → 1-based column
    headers: dict[str, str]  # field → heading as written


class Headings:
    """A table's own columns by alias (``field → aliases``), matched by ``lookup_heading``, the
    rule of the score sheet's columns; the first column naming a field wins."""

    def __init__(self, aliases: Mapping[str, Sequence[str]]) -> None:
        self.by_key, self.by_compact = alias_index(
            (a, f) for f, names in aliases.items() for a in names)

    def match(self, row: Sequence[Any], taken: Mapping[str, int] | None = None
              ) -> tuple[dict[str, int], dict[str, str]]:
        taken = taken or {}
        found: dict[str, int] = {}
        headers: dict[str, str] = {}
        for c, value in enumerate(row, start=1):
            text = cell_text(value)
            if not text or len(text) > 200:
                continue
            name = lookup_heading(text, self.by_key, self.by_compact)
            if name is not None and name not in found and name not in taken:
                found[name] = c
                headers[name] = text
        return found, headers


def find_table_header(sheet: RawSheet, headings: Headings, required: Sequence[str],
                      any_of: Sequence[str] = ()) -> TableHeader | None:
    """The header row among the first ``HEADER_SCAN_ROWS`` rows with every ``required`` field
    (and one of ``any_of`` when given); the row with the most known headings wins, ties to the
    upper row. A second header row under merged headings ("Số ngày nghỉ" over "Phép | Ốm") is
    read too, and a numbering row "(1) (2) (3)" under the header is skipped."""
    best: tuple[int, dict[str, int], dict[str, str]] | None = None
    for r in range(1, min(sheet.max_row, HEADER_SCAN_ROWS) + 1):
        found, headers = headings.match(sheet.rows[r - 1])
        if all(f in found for f in required) and (not any_of or any(f in found for f in any_of)) \
                and (best is None or len(found) > len(best[1])):
            best = (r, found, headers)
    if best is None:
        return None
    r, found, headers = best
    first = r + 1
    more, more_headers = headings.match(sheet.rows[r] if r < sheet.max_row else [], found)
    if more and not (set(more) & {"staff_id", "name"}):
        found.update(more)
        headers.update(more_headers)
        first = r + 2
    if first <= sheet.max_row:
        cells = [vntext.clean(str(v)) for v in sheet.rows[first - 1] if not is_blank(v)]
        if len(cells) > 2 and all(NUMBERING.match(t) for t in cells):
            first += 1
    return TableHeader(r, first, found, headers)
