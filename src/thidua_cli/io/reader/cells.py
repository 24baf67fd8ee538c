"""Per-cell rules: what one cell means (a staff ID, a text, a flag, a date, a discipline level,
a gender) and the column-wise readings of whole columns that mark the cells needing a finding
(``SLOW``) for the row code (rows.py), which states it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple

from thidua_cli.core import vntext
from thidua_cli.core.numbers import (
    NumberProblem,
    ParsedNumber,
    format_vn_number,
    is_blank,
    parse_number,
)
from thidua_cli.io.reader.fields import (
    DATE_DMY,
    DATE_ISO,
    DISCIPLINES,
    EXCEL_EPOCH,
    FALSE_WORDS,
    FEMALE_WORDS,
    MALE_WORDS,
    NO_DISCIPLINE,
    PERSON_DEFAULTS,
    TOTAL_ROW,
    TRUE_WORDS,
)
from thidua_cli.io.reader.header import Slot
from thidua_cli.model import (
    AssessmentLevel,
    Discipline,
    Gender,
)

# --------------------------------------------------------------------------------------------
# Small value readers (pure; used by the row loop)
# --------------------------------------------------------------------------------------------


def show_value(value: Any) -> str:
    """A value as a clerk reads it in a message: numbers the Vietnamese way."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        try:
            return format_vn_number(value)
        except (ValueError, OverflowError):
            return str(value)
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def staff_id_text(value: Any) -> str:
    """A staff ID as text: 2201.0 → "2201"; "0012" keeps its zeros (decisions.md)."""
    if isinstance(value, str):
        return vntext.clean(value)
    if isinstance(value, bool):
        return vntext.clean(str(value))
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return vntext.clean(value)


def ends_table(row: Sequence[Any], id_i: int, id_v: Any) -> bool:
    """A total-row label in a cell left of (or in) a filled staff ID cell."""
    return any(map(is_total_label, row[:id_i])) or is_total_label(id_v)


def is_total_label(v: Any) -> bool:
    """A cell reading "Tổng cộng", "Cộng", "Tổng số" … (the row that ends the table)."""
    return bool(v.__class__ is str and v and v.lstrip()[:1] in "TtCc" and total_label(v))


def plain_text(value: Any) -> str:
    if isinstance(value, str):
        return vntext.clean(value)
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return vntext.clean(value)


def parse_flag(value: Any) -> bool | str | None:
    """True/False/None (blank), or the string "?" for an unknown value."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        if value == 1:
            return True
        if value == 0:
            return False
        return "?"
    s = vntext.fold(value)
    if s in TRUE_WORDS:
        return True
    if s in FALSE_WORDS:
        return False
    return "?"


def parse_date(value: Any) -> tuple[date | None, bool]:
    """(date or None when invalid, typed as text?)."""
    if isinstance(value, datetime):
        return value.date(), False
    if isinstance(value, date):
        return value, False
    if isinstance(value, (bool, time)):
        return None, False
    if isinstance(value, (int, float)):
        # A date cell formatted as General shows its serial number; accept a plausible range
        # (1954–2099) only, so that a bare year such as 2020 is refused, not read as 1905.
        if 20000 <= value < 73051:
            return EXCEL_EPOCH + timedelta(days=int(value)), False
        return None, False
    s = vntext.clean(value)
    m = DATE_DMY.fullmatch(s)
    try:
        if m:
            return date(int(m[3]), int(m[2]), int(m[1])), True
        m = DATE_ISO.fullmatch(s)
        if m:
            return date(int(m[1]), int(m[2]), int(m[3])), True
    except ValueError:
        return None, True
    return None, True


def parse_discipline(value: Any) -> Discipline | str | None:
    if is_blank(value):
        return None
    s = vntext.fold(value)
    if s in NO_DISCIPLINE:
        return None
    c = vntext.compact(value)
    for prefix, level in DISCIPLINES:
        if c.startswith(prefix):
            return level
    return "?"


def parse_gender(value: Any) -> Gender | None:
    if is_blank(value):
        return Gender.UNKNOWN
    s = vntext.fold(value)
    if s in MALE_WORDS:
        return Gender.MALE
    if s in FEMALE_WORDS:
        return Gender.FEMALE
    return None




# --------------------------------------------------------------------------------------------
# Verdicts: what a cell yields and what it has to report, written once. The column-wise
# reading (fast_* below) maps them over a column and marks a cell with a finding ``SLOW``;
# the row code (rows.py) calls the same function on that cell and locates each finding.
# --------------------------------------------------------------------------------------------


class Finding(NamedTuple):
    """A finding a cell's reading calls for, before it is located (row, column, header).
    ``graded``: a number problem, which takes the severity of the column (a warning in the
    sheet's own total and rating, which never enter a computation)."""

    code: str
    params: dict[str, Any]
    graded: bool = False


NONE_FOUND: tuple[Finding, ...] = ()
BAD: Any = object()  # stands for a blank cell with an error value or an uncalculated formula


def number_problem(v: Any, problem: NumberProblem) -> tuple[Finding, ...]:
    """The finding for a cell that is not a number."""
    if problem.code == "ambiguous-decimal" and problem.readings:
        return (Finding("ambiguous-decimal", {"value": v, "reading_a": problem.readings[0],
                                              "reading_b": problem.readings[1]}, True),)
    if problem.code != "blank":
        return (Finding("not-a-number", {"value": v, "shown": show_value(v)}, True),)
    return NONE_FOUND


def read_number(v: Any) -> tuple[float | None, tuple[Finding, ...]]:
    """A non-blank number cell: its value (None when it is not a number) and findings (a number
    typed as text is read, and reported)."""
    parsed = parse_number(v)
    if not isinstance(parsed, ParsedNumber):
        return None, number_problem(v, parsed)
    if parsed.from_text:
        return parsed.value, (Finding("number-stored-as-text",
                                      {"value": v, "number": show_value(parsed.value)}),)
    return parsed.value, NONE_FOUND


def read_score(v: Any, mx: float) -> tuple[float | None, tuple[Finding, ...]]:
    """A non-blank criterion cell: a number within 0 … ``mx`` (None when not usable)."""
    if (v.__class__ is float or v.__class__ is int) and 0 <= v <= mx:
        return float(v), NONE_FOUND
    value, found = read_number(v)
    if value is None:
        return None, found
    if value < 0:
        return None, (*found, Finding("negative-score", {"value": v, "shown": show_value(value)}))
    if value > mx:
        return None, (*found, Finding("above-maximum", {
            "value": v, "shown": show_value(value), "max_points": show_value(mx)}))
    return value, found


def level_readings(cells: Sequence[Any], mx: float
                   ) -> list[tuple[int, float | None, tuple[Finding, ...]]]:
    """A criterion with assessment levels (``cells`` highest level first; ``BAD`` for an error
    cell): (level index, score or None, findings) for every non-blank level, in order. The
    first of them counts, even when it is not usable (decisions.md "Scoring"): Hội đồng, else
    Khoa, else Tự chấm (a fallback the caller reports)."""
    out: list[tuple[int, float | None, tuple[Finding, ...]]] = []
    for j, v in enumerate(cells):
        if (v.__class__ is float or v.__class__ is int) and 0 <= v <= mx:
            out.append((j, float(v), NONE_FOUND))
        elif v is BAD:
            out.append((j, None, NONE_FOUND))
        elif not (v == "" or is_blank(v)):
            value, found = read_score(v, mx)
            out.append((j, value, found))
    return out


def read_count(kind: str, v: Any, max_leave: float) -> tuple[float | int | None,
                                                              tuple[Finding, ...]]:
    """A non-blank "leave" (0 … the period's working days), "days" (≥ 0) or "count" (a whole
    number ≥ 0) cell; a "percent" cell is read by :func:`read_percent`."""
    if kind == "percent":
        return read_percent(v)
    num, found = read_number(v)
    if num is None:
        return None, found
    if kind == "leave":
        if num < 0 or num > max_leave:
            return None, (*found, Finding("leave-days-out-of-range", {
                "value": v, "shown": show_value(v), "maximum": show_value(max_leave)}))
    elif num < 0:
        return None, (*found, Finding("negative-number", {"value": v, "shown": show_value(v)}))
    if kind == "count":
        if not float(num).is_integer():
            return None, (*found, Finding("not-a-number", {"value": v, "shown": show_value(v)}))
        return int(num), found
    return float(num), found


def read_percent(v: Any) -> tuple[float | None, tuple[Finding, ...]]:
    """A non-blank "% nhiệm vụ hoàn thành" / "% vượt" cell, as a percentage 0 … 100. Text may
    carry its sign ("100%", "30 %"); a number from 0 to 1 is Excel's percent format (30 % is
    stored as 0.3), a larger number is the percentage itself (30 means 30 %)."""
    text = v.strip() if v.__class__ is str else None
    if text is not None and text.endswith("%"):
        num, found = read_number(text[:-1])
        found = tuple(f for f in found if f.code != "number-stored-as-text")
    else:
        num, found = read_number(v)
        if num is not None and 0 <= num <= 1:
            num = num * 100
    if num is None:
        return None, found
    if not 0 <= num <= 100:
        return None, (*found, Finding("percent-out-of-range", {"value": v, "shown": show_value(v)}))
    return float(num), found


def read_points(key: str, cells: Sequence[Any]) -> tuple[int, Any, tuple[Finding, ...]]:
    """Bonus or deduction (≥ 0), the sheet's own total (any number) or rating (a text), from
    its level cells highest first (``BAD`` for an error cell): (index of the first non-blank
    cell or -1, its reading or None when unusable, findings). Blank everywhere: unset."""
    for j, v in enumerate(cells):
        if v is BAD:
            return j, None, NONE_FOUND  # the caller reports the error cell
        if v == "" or is_blank(v):
            continue
        if key == "sheet_rating":
            return j, plain_text(v), NONE_FOUND
        if v.__class__ is float or v.__class__ is int:
            value: float | None = float(v)
            found = NONE_FOUND
        else:
            value, found = read_number(v)
            if value is None:
                return j, None, found
        assert value is not None
        if key != "sheet_total" and value < 0:
            return j, None, (*found, Finding("negative-score",
                                             {"value": v, "shown": show_value(value)}))
        return j, value, found
    return -1, None, NONE_FOUND


def read_word(kind: str, v: Any) -> tuple[Any, tuple[Finding, ...]]:
    """A non-blank flag, gender or discipline cell: its reading (None: the field stays unset)
    and the finding for a word thidua does not know."""
    if kind == "gender":
        gender = parse_gender(v)
        if gender is None:
            return None, (Finding("unknown-gender", {"value": v, "shown": show_value(v)}),)
        return gender, NONE_FOUND
    if kind == "discipline":
        level = parse_discipline(v)
        if level == "?":
            return None, (Finding("unknown-discipline-level",
                                  {"value": v, "shown": show_value(v)}),)
        return level, NONE_FOUND
    flag = parse_flag(v)  # "flag", "tristate"
    if flag == "?":
        return None, (Finding("unknown-flag-value", {"value": v, "shown": show_value(v)}),)
    return flag, NONE_FOUND


SLOW: Any = object()  # marks a cell (hence its row) for the per-row code
_SEP = "\x00"  # joins texts for one C-speed pass; never inside a cell (checked each time)
_SPACE_RUN = re.compile(" {2,}")


def _joinable(texts: Sequence[str]) -> str | None:
    """The texts joined by NUL, or None when one of them holds a NUL itself."""
    blob = _SEP.join(texts)
    return blob if blob.count(_SEP) == len(texts) - 1 else None


def _plain(texts: Sequence[str], blob: str) -> bool:
    """True when ``vntext.clean`` can only strip and collapse ASCII spaces in these texts: no
    invisible character, no other kind of space (both are "not printable") and NFC already."""
    return all(map(str.isprintable, texts)) and unicodedata.is_normalized("NFC", blob)


def clean_all(texts: Sequence[str]) -> list[str]:
    """``[vntext.clean(t) for t in texts]`` in a few passes over one joined string.

    Exact because every step of ``clean`` works within a text: NUL composes with nothing under
    NFC, is neither a space nor invisible, so the runs of spaces collapsed never cross it; only
    the outer strip needs redoing at each join. Plain texts (see ``_plain``) skip the
    character-by-character steps."""
    if not texts:
        return []
    blob = _joinable(texts)
    if blob is None:
        return [vntext.clean(t) for t in texts]
    if _plain(texts, blob):
        if "  " in blob:
            blob = _SPACE_RUN.sub(" ", blob)
        blob = blob.strip(" ")
    else:
        blob = vntext.clean(blob)
    if " " + _SEP in blob or _SEP + " " in blob:
        blob = blob.replace(" " + _SEP, _SEP).replace(_SEP + " ", _SEP)
    out = blob.split(_SEP)
    return out if len(out) == len(texts) else [vntext.clean(t) for t in texts]


def keys_all(clean_texts: Sequence[str]) -> list[str]:
    """``[vntext.key(t) for t in clean_texts]`` for texts already clean (``clean_all``).

    ``key`` of a clean text is its casefold with the tone placement unified; both work within
    a text (casefold character by character, the tone pairs are two letters), so they run
    once over the texts joined by NUL."""
    blob = _joinable(clean_texts)
    # A clean text is its own clean() only when NFC: removing an invisible character can
    # leave a combining mark after its letter ("a", U+200B, U+0301), which key() composes.
    if blob is None or not clean_texts or not unicodedata.is_normalized("NFC", blob):
        return [vntext.key(t) for t in clean_texts]
    out = vntext.unify_tones(blob.casefold()).split(_SEP)
    return out if len(out) == len(clean_texts) else [vntext.key(t) for t in clean_texts]


def casefold_all(texts: Sequence[str]) -> list[str]:
    blob = _joinable(texts)
    if blob is None or not texts:
        return [t.casefold() for t in texts]
    out = blob.casefold().split(_SEP)
    return out if len(out) == len(texts) else [t.casefold() for t in texts]


def flagged_rows(values: Sequence[Any]) -> set[int]:
    return {k for k, v in enumerate(values) if v is SLOW}


def by_value(col: Sequence[Any], read: Callable[[Any], Any]) -> Sequence[Any]:
    """``read`` applied to each distinct value once (such columns repeat a few words)."""
    try:
        table = {v: read(v) for v in set(col)}
    except TypeError:  # an unhashable value: never from calamine, but stay exact
        return [read(v) for v in col]
    return list(map(table.__getitem__, col))


def usable(value: Any, found: tuple[Finding, ...]) -> Any:
    """A verdict's value for the column-wise reading, or ``SLOW`` when the cell has a finding
    to state (or no value), which the row code then locates."""
    return SLOW if value is None or found else value


def fast_criterion(col: Sequence[Any], mx: float) -> Sequence[Any]:
    """Scores of a criterion read from one column: ``read_score`` on each cell, after one test
    for the usual column (floats within 0 … maximum), which it reads as it is. A blank cell is
    left to the row code (a missing score, or 0 by the regulation)."""
    if col and set(map(type, col)) == {float} and min(col) >= 0 and max(col) <= mx \
            and math.isfinite(sum(col)):  # a NaN would pass min and max, not the sum
        return col  # float(v) is v itself for a float
    return [SLOW if v == "" or is_blank(v) else usable(*read_score(v, mx)) for v in col]


def fast_leveled(cols: Sequence[Sequence[Any]], slots: Sequence[Slot], mx: float
                  ) -> tuple[list[Any], list[int]]:
    """Scores of a criterion with assessment levels (``slots`` highest level first), by
    ``level_readings`` row by row. Left to the row code: no level filled, a level cell with a
    finding, and a count from "Tự chấm" (reported)."""
    self_level = [slot.level is AssessmentLevel.SELF for slot in slots]
    values: list[Any] = []
    chosen: list[int] = []
    for cells in zip(*cols, strict=True):
        readings = level_readings(cells, mx)
        if not readings or self_level[readings[0][0]] or any(
                value is None or found for _, value, found in readings):
            values.append(SLOW)
            chosen.append(0)
        else:
            values.append(readings[0][1])
            chosen.append(readings[0][0])
    return values, chosen


def fast_points(key: str, cols: Sequence[Sequence[Any]], slots: Sequence[Slot]
                 ) -> tuple[Sequence[Any], list[int]]:
    """Bonus, deduction, the sheet's own total and rating by ``read_points``, after tests for
    the usual columns (numbers and blanks): the first non-blank level counts; ``chosen`` is -1
    where every cell is blank (field unset)."""
    default = PERSON_DEFAULTS[key]
    rating = key == "sheet_rating"
    signed = key == "sheet_total"
    many = len(slots) > 1
    if not many and not rating:
        col = cols[0]
        kinds = set(map(type, col))
        if kinds == {float} and (signed or min(col) >= 0):
            return col, []
        if kinds == {str} and col.count("") == len(col):
            return [default] * len(col), []
        if kinds == {float, str}:  # numbers and blank cells: blank keeps the default
            numbers = [v for v in col if v.__class__ is float]
            if (len(numbers) + col.count("") == len(col) and math.isfinite(sum(numbers))
                    and (signed or min(numbers) >= 0)):
                return [default if v.__class__ is str else v for v in col], []
    if not many and rating:
        def read_rating(v: Any) -> Any:
            if v.__class__ is not str:
                return SLOW
            return default if is_blank(v) else plain_text(v)
        return by_value(cols[0], read_rating), []
    informative = key in ("sheet_total", "sheet_rating")
    values: list[Any] = []
    chosen: list[int] = []
    for cells in zip(*cols, strict=True):
        pick, value, found = read_points(key, cells)
        if pick < 0:
            value = default
        elif value is None or found or (
                many and not informative and slots[pick].level is AssessmentLevel.SELF):
            value = SLOW  # a finding, or a count from "Tự chấm" (self-assessment-fallback)
        values.append(value)
        chosen.append(pick)
    return values, chosen


def fast_other(kind: str, col: Sequence[Any], default: Any, max_leave: float) -> Sequence[Any]:
    """One of the other known columns, by the verdict functions above; blank cells keep the
    Person default (the row code leaves the field unset). Values other than text in a
    text-like column go to the row code: its memo of readings would mix 1, 1.0 and True."""
    if kind == "text":
        def read(v: Any) -> Any:
            if v.__class__ is str:
                return default if is_blank(v) else plain_text(v)
            return default if v is None else SLOW
        return by_value(col, read)
    if kind in ("flag", "tristate", "gender", "discipline"):
        flag = kind in ("flag", "tristate")

        def read(v: Any) -> Any:
            if is_blank(v) if flag else (v is None or (v.__class__ is str and is_blank(v))):
                return default
            if not flag and v.__class__ is not str:
                return SLOW
            value, found = read_word(kind, v)
            return SLOW if found else default if value is None else value
        return by_value(col, read)
    if col.count("") == len(col):
        return [default] * len(col)
    if kind == "date":  # a date typed as text, a serial number: the per-row code
        return [
            v.date() if v.__class__ is datetime else v if v.__class__ is date
            else default if (v.__class__ is str and v == "") or v is None else SLOW
            for v in col
        ]
    if kind == "percent":
        return [default if (v.__class__ is str and is_blank(v)) or v is None
                else usable(*read_percent(v)) for v in col]
    if kind in ("leave", "days", "count"):
        numbers = [v for v in col if v.__class__ is float]
        if len(numbers) + col.count("") == len(col):
            # Numbers and blank cells only (the usual column): the loop below, at C speed.
            if not numbers:
                return [default] * len(col)
            if math.isfinite(sum(numbers)) and min(numbers) >= 0 and (
                    kind != "leave" or max(numbers) <= max_leave) and (
                    kind != "count" or all(map(float.is_integer, numbers))):
                if kind == "count":
                    return [default if v.__class__ is str else int(v) for v in col]
                return [default if v.__class__ is str else v for v in col]
        return [default if (v.__class__ is str and v == "") or v is None
                else usable(*read_count(kind, v, max_leave)) for v in col]
    return [SLOW] * len(col)


def total_label(text: str) -> bool:
    """``TOTAL_ROW`` on the text's key, after a cheap test: the key of "Tổng …" / "Cộng …"
    holds "ng", which only an invisible character could hide in the raw text."""
    if "ng" not in text.casefold() and text.isprintable():
        return False
    return bool(TOTAL_ROW.match(vntext.key(text)))
