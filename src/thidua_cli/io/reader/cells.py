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
from typing import Any

from thidua_cli.core import vntext
from thidua_cli.core.numbers import (
    format_vn_number,
    is_blank,
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
    for v in row[:id_i]:
        if v.__class__ is str and v and v.lstrip()[:1] in "TtCc" and TOTAL_ROW.match(
            vntext.key(v)
        ):
            return True
    return bool(
        id_v.__class__ is str and id_v.lstrip()[:1] in "TtCc" and TOTAL_ROW.match(vntext.key(id_v))
    )


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


def fast_criterion(col: Sequence[Any], mx: float) -> Sequence[Any]:
    """Scores of a criterion read from one column: the per-row code's own fast test (a number
    within 0 … maximum) on the whole column at once."""
    if col and set(map(type, col)) == {float} and min(col) >= 0 and max(col) <= mx \
            and math.isfinite(sum(col)):  # a NaN would pass min and max, not the sum
        return col  # float(v) is v itself for a float
    return [float(v) if (v.__class__ is float or v.__class__ is int) and 0 <= v <= mx else SLOW
            for v in col]


def fast_leveled(cols: Sequence[Sequence[Any]], slots: Sequence[Slot], mx: float
                  ) -> tuple[list[Any], list[int]]:
    """Scores of a criterion with assessment levels (``slots`` highest level first): the first
    filled level counts. Left to the per-row code: no level filled, a level cell that is not a
    number within range (it has a finding), and a count from "Tự chấm" (reported)."""
    self_level = [slot.level is AssessmentLevel.SELF for slot in slots]
    values: list[Any] = []
    chosen: list[int] = []
    for cells in zip(*cols, strict=True):
        first = -1
        for j, v in enumerate(cells):
            if v.__class__ is str and v == "":
                continue
            if (v.__class__ is float or v.__class__ is int) and 0 <= v <= mx:
                if first < 0:
                    first = j
            else:
                first = -2
                break
        if first < 0 or self_level[first]:
            values.append(SLOW)
            chosen.append(0)
        else:
            values.append(float(cells[first]))
            chosen.append(first)
    return values, chosen


def fast_points(key: str, cols: Sequence[Sequence[Any]], slots: Sequence[Slot]
                 ) -> tuple[Sequence[Any], list[int]]:
    """Bonus, deduction, the sheet's own total and rating as ``_points_field`` reads them: the
    first non-blank level counts; ``chosen`` is -1 where every cell is blank (field unset)."""
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
    text_of: dict[str, str | None] = {}
    if rating:
        texts = {v for col in cols for v in col if v.__class__ is str and v}
        text_of = {v: (None if is_blank(v) else plain_text(v)) for v in texts}
    informative = key in ("sheet_total", "sheet_rating")
    values: list[Any] = []
    chosen: list[int] = []
    for cells in zip(*cols, strict=True):
        value: Any = default
        pick = -1
        for j, v in enumerate(cells):
            if v.__class__ is str and v == "":
                continue
            pick = j
            if rating:
                value = text_of.get(v, SLOW) if v.__class__ is str else SLOW
                if value is None:  # spaces only: blank, look further
                    value, pick = default, -1
                    continue
            elif (v.__class__ is float or v.__class__ is int) and (signed or v >= 0):
                value = float(v)
            else:
                value = SLOW
            if many and not informative and slots[j].level is AssessmentLevel.SELF:
                value = SLOW  # self-assessment-fallback
            break
        values.append(value)
        chosen.append(pick)
    return values, chosen


def fast_other(kind: str, col: Sequence[Any], default: Any, max_leave: float) -> Sequence[Any]:
    """One of the other known columns, as the per-row code reads it; blank cells keep the
    Person default (the per-row code leaves the field unset). Values other than text in a
    text-like column go to the per-row code: its memo of readings would mix 1, 1.0 and True."""
    if kind == "text":
        def read(v: Any) -> Any:
            if v.__class__ is str:
                return default if is_blank(v) else plain_text(v)
            return default if v is None else SLOW
        return by_value(col, read)
    if kind in ("flag", "tristate"):
        def read_flag(v: Any) -> Any:  # 1, 1.0 and True read alike here
            if is_blank(v):
                return default
            flag = parse_flag(v)
            return SLOW if flag == "?" else flag
        return by_value(col, read_flag)
    if kind == "gender":
        def read_gender(v: Any) -> Any:
            if v is None or (v.__class__ is str and is_blank(v)):
                return default
            if v.__class__ is not str:
                return SLOW
            gender = parse_gender(v)
            return SLOW if gender is None else gender
        return by_value(col, read_gender)
    if kind == "discipline":
        def read_discipline(v: Any) -> Any:
            if v is None or (v.__class__ is str and is_blank(v)):
                return default
            if v.__class__ is not str:
                return SLOW
            level = parse_discipline(v)
            if level == "?":
                return SLOW
            return default if level is None else level
        return by_value(col, read_discipline)
    if col.count("") == len(col):
        return [default] * len(col)
    if kind == "date":  # a date typed as text, a serial number: the per-row code
        return [
            v.date() if v.__class__ is datetime else v if v.__class__ is date
            else default if (v.__class__ is str and v == "") or v is None else SLOW
            for v in col
        ]
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
        out: list[Any] = []
        for v in col:
            if (v.__class__ is str and v == "") or v is None:
                out.append(default)
            elif (v.__class__ is float or v.__class__ is int) and math.isfinite(v) and v >= 0:
                if kind == "leave":
                    out.append(float(v) if v <= max_leave else SLOW)
                elif kind == "count":
                    out.append(int(float(v)) if float(v).is_integer() else SLOW)
                else:
                    out.append(float(v))
            else:
                out.append(SLOW)
        return out
    return [SLOW] * len(col)


def total_label(text: str) -> bool:
    """``TOTAL_ROW`` on the text's key, after a cheap test: the key of "Tổng …" / "Cộng …"
    holds "ng", which only an invisible character could hide in the raw text."""
    if "ng" not in text.casefold() and text.isprintable():
        return False
    return bool(TOTAL_ROW.match(vntext.key(text)))
