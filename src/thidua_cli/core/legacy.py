"""Old Vietnamese encodings (TCVN3/ABC and VNI) → Unicode (locale.md "Legacy encodings").

Before Unicode, Vietnamese was typed in 8-bit fonts: TCVN3 (ABC; fonts ".VnTime", ".VnArial",
capitals in ".VnTimeH") and VNI ("VNI-Times"). A spreadsheet keeps such text as Latin-1-looking
characters that only look right in the old font: "Hä vµ tªn" (TCVN3) and "Hoï vaø teân" (VNI)
both mean "Họ và tên". No maintained library converts them, so the tables are written here by
hand; the TCVN3 one is checked against glibc ``iconv -f TCVN5712-1`` in the tests.

Detection, in order of trust:

1. the cell's font (``.Vn…`` → TCVN3, a name ending in "H" → capitals; ``VNI…`` → VNI);
2. the content: trial-convert the text and count the words that are valid Vietnamese syllables
   before and after. A group (a header row, a whole column) decides the encoding together; a
   lone cell is converted only when none of its words is Vietnamese as it stands and every one
   is after conversion.

Text holding a Vietnamese letter beyond Latin-1 (ă, ơ, ư, đ, ạ … ỹ) is Unicode already and is
never converted. Nothing is converted silently: every conversion is returned as a
:class:`Conversion` and the reader reports it (finding ``legacy-encoding``). TCVN3 "ư" is the
soft hyphen U+00AD, which text cleaning would delete: convert before cleaning.

Pure functions over strings; no file access.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "TCVN3",
    "VNI",
    "Conversion",
    "by_content",
    "by_font",
    "could_be_legacy",
    "decode",
    "decode_tcvn3",
    "decode_vni",
    "encoding_of_font",
    "is_capital_font",
    "is_vietnamese_syllable",
    "might_convert",
    "syllable_score",
]

TCVN3 = "TCVN3"
VNI = "VNI"
BY_CONTENT = "nhận ra theo nội dung chữ"

# --------------------------------------------------------------------------------------------
# TCVN3 (TCVN 5712:1993, table VN3): 67 lower-case letters and 7 capitals, by byte.
# --------------------------------------------------------------------------------------------

# Each toned series lists the byte of the vowel with huyền, hỏi, ngã, sắc, nặng (à ả ã á ạ).
_TONES = ("\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
_TCVN3_SERIES: tuple[tuple[str, tuple[int, int, int, int, int]], ...] = (
    ("a", (0xB5, 0xB6, 0xB7, 0xB8, 0xB9)),
    ("ă", (0xBB, 0xBC, 0xBD, 0xBE, 0xC6)),
    ("â", (0xC7, 0xC8, 0xC9, 0xCA, 0xCB)),
    ("e", (0xCC, 0xCE, 0xCF, 0xD0, 0xD1)),
    ("ê", (0xD2, 0xD3, 0xD4, 0xD5, 0xD6)),
    ("i", (0xD7, 0xD8, 0xDC, 0xDD, 0xDE)),
    ("o", (0xDF, 0xE1, 0xE2, 0xE3, 0xE4)),
    ("ô", (0xE5, 0xE6, 0xE7, 0xE8, 0xE9)),
    ("ơ", (0xEA, 0xEB, 0xEC, 0xED, 0xEE)),
    ("u", (0xEF, 0xF1, 0xF2, 0xF3, 0xF4)),
    ("ư", (0xF5, 0xF6, 0xF7, 0xF8, 0xF9)),
    ("y", (0xFA, 0xFB, 0xFC, 0xFD, 0xFE)),
)
# The letters without a tone mark: capitals at A1–A7, lower case at A8–AE (AD is "ư": the soft
# hyphen when read as Latin-1).
_TCVN3_PLAIN = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
}


def _tcvn3_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for base, codes in _TCVN3_SERIES:
        for tone, code in zip(_TONES, codes, strict=True):
            table[code] = unicodedata.normalize("NFC", base + tone)
    table.update(_TCVN3_PLAIN)
    return table


TCVN3_TABLE: dict[int, str] = _tcvn3_table()


def decode_tcvn3(text: str, *, capitals: bool = False) -> str:
    """TCVN3 text (its bytes read as Latin-1) → Unicode NFC. ``capitals``: the cell's font is a
    capitals font (".VnTimeH"), which draws every letter as a capital."""
    out = text.translate(TCVN3_TABLE)
    return out.upper() if capitals else out


# --------------------------------------------------------------------------------------------
# VNI (VNI for Windows): a base letter followed by one mark byte; a few letters are one byte.
# --------------------------------------------------------------------------------------------

_CIRC, _BREVE = "\u0302", "\u0306"
_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
# Mark byte (lower-case form; the capital form is the Latin-1 capital of the same letter).
_VNI_MARKS_LOWER: dict[str, str] = {
    "ù": _ACUTE, "ø": _GRAVE, "û": _HOOK, "õ": _TILDE, "ï": _DOT,
    "â": _CIRC, "á": _CIRC + _ACUTE, "à": _CIRC + _GRAVE, "å": _CIRC + _HOOK,
    "ã": _CIRC + _TILDE, "ä": _CIRC + _DOT,
    "ê": _BREVE, "é": _BREVE + _ACUTE, "è": _BREVE + _GRAVE, "ú": _BREVE + _HOOK,
    "ü": _BREVE + _TILDE, "ë": _BREVE + _DOT,
}
# Letters that are a single byte.
_VNI_SINGLE_LOWER: dict[str, str] = {
    "ô": "ơ", "ö": "ư", "ñ": "đ", "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ",
}
VNI_MARKS: dict[str, str] = {}
VNI_SINGLE: dict[str, str] = {}
for _k, _v in _VNI_MARKS_LOWER.items():
    VNI_MARKS[_k] = _v
    VNI_MARKS[_k.upper()] = _v
for _k, _v in _VNI_SINGLE_LOWER.items():
    VNI_SINGLE[_k] = _v
    VNI_SINGLE[_k.upper()] = _v.upper()
del _k, _v

# The single-byte letters that carry a tone already (no mark byte may add another), and their
# bare vowel (which a following letter mark would apply to).
_VNI_TONED_SINGLE = {"í": "i", "ì": "i", "ỉ": "i", "ĩ": "i", "ị": "i", "ỵ": "y"}
_VOWELS = frozenset("aeiouyăâêôơư")
_TONE_MARKS = frozenset(_TONES)


def decode_vni(text: str) -> str:
    """VNI text (its bytes read as Latin-1) → Unicode NFC.

    A mark byte applies to the vowel just before it (circumflex only on a/e/o, breve only on
    a, one tone per vowel); anywhere else it is kept as the character it is."""
    out: list[str] = []
    base = ""  # the last letter written (lower case, letter marks applied), "" after a non-letter
    has_tone = False
    for ch in text:
        single = VNI_SINGLE.get(ch)
        if single is not None:
            out.append(single)
            lower = single.lower()
            has_tone = lower in _VNI_TONED_SINGLE
            base = _VNI_TONED_SINGLE.get(lower, lower)
            continue
        marks = VNI_MARKS.get(ch)
        if marks is not None and base in _VOWELS and not has_tone:
            letter_mark = marks[0] if marks[0] in (_CIRC, _BREVE) else ""
            tone = marks[-1] if marks[-1] in _TONE_MARKS else ""
            ok = (
                not letter_mark or (letter_mark == _CIRC and base in "aeo")
                 or (letter_mark == _BREVE and base == "a")
            )
            if ok:
                out.append(marks)
                if letter_mark:
                    base = unicodedata.normalize("NFC", base + letter_mark)
                has_tone = bool(tone)
                continue
        out.append(ch)
        base = ch.lower() if ch.isalpha() else ""
        has_tone = False
    return unicodedata.normalize("NFC", "".join(out))


def decode(text: str, encoding: str, *, capitals: bool = False) -> str:
    if encoding == TCVN3:
        return decode_tcvn3(text, capitals=capitals)
    if encoding == VNI:
        out = decode_vni(text)
        return out.upper() if capitals else out
    raise ValueError(f"unknown legacy encoding {encoding!r}")


# --------------------------------------------------------------------------------------------
# Fonts
# --------------------------------------------------------------------------------------------


def encoding_of_font(font: str | None) -> str | None:
    """TCVN3 for ".VnTime", ".VnArial", ".VnTimeH" …, "VNtimes new roman"; VNI for "VNI-Times",
    "VNI Helve" …; None for any other font."""
    if not font:
        return None
    low = font.strip().lower()
    if low.startswith((".vn", "vntimes new roman", "vn times")):
        return TCVN3
    if low.startswith("vni"):
        return VNI
    return None


def is_capital_font(font: str | None) -> bool:
    """".VnTimeH", ".VnArialH", ".VnArial NarrowH": TCVN3 capitals fonts end in a capital H."""
    if not font or encoding_of_font(font) != TCVN3:
        return False
    name = font.strip()
    return name.endswith("H") and len(name) > 4


# --------------------------------------------------------------------------------------------
# Scoring text as Vietnamese
# --------------------------------------------------------------------------------------------

_INITIAL = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnprstvx])?"
_NUCLEUS = r"[ou]?(?:iê|yê|uô|ươ|ia|ya|ua|ưa|[aăâeêioôơuưy])"
_FINAL = r"(?:ch|nh|ng|[cmnpt]|[iyuo])?"
_SYLLABLE = re.compile(_INITIAL + _NUCLEUS + _FINAL)
_LETTER_MARKS = frozenset("\u0302\u0306\u031b")
_WORD_SPLIT = re.compile(r"[\s\u00a0!-/:-@\[-`{-~]+")
# Latin-1 letters that are also Vietnamese letters in Unicode; any other non-ASCII character
# of a candidate text (µ ª ¸ ø ï …) can only come from a legacy encoding.
_VIETNAMESE_LATIN1 = frozenset("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
# Windows-1252 characters at bytes 80–9F: still "one byte" text.
_CP1252_EXTRA = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_BEYOND_ONE_BYTE = re.compile("[^\x00-\xff" + _CP1252_EXTRA + "]")


@functools.lru_cache(maxsize=1 << 16)
def is_vietnamese_syllable(word: str) -> bool:
    """True for a well-formed Vietnamese syllable ("nguyễn", "khuỷu", "Trường"): letters of
    the Vietnamese alphabet, at most one tone mark, and the tone on a vowel where Vietnamese
    spelling puts it (old and new placements both accepted: "hòa" and "hoà")."""
    if not word:
        return False
    bare: list[str] = []
    tone_at = -1
    for i, ch in enumerate(unicodedata.normalize("NFC", word.lower())):
        parts = unicodedata.normalize("NFD", ch)
        base = parts[0]
        marks = parts[1:]
        tones = [m for m in marks if m in _TONE_MARKS]
        if any(m not in _TONE_MARKS and m not in _LETTER_MARKS for m in marks):
            return False
        if tones:
            if tone_at >= 0 or len(tones) > 1:
                return False
            tone_at = i
        bare.append(unicodedata.normalize("NFC", base + "".join(m for m in marks
                                                                 if m in _LETTER_MARKS)))
    text = "".join(bare)
    if len(text) != len(bare) or _SYLLABLE.fullmatch(text) is None:
        return False
    return tone_at < 0 or _tone_placed_right(text, tone_at)


_PARTS = re.compile(
    r"(ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnprstvx])?([aăâeêioôơuưy]+)(ch|nh|ng|[cmnpt])?"
)


def _tone_placed_right(text: str, tone_at: int) -> bool:
    m = _PARTS.fullmatch(text)
    if m is None:
        return True  # not judged here
    vowels, final = m.group(2), m.group(3)
    pos = tone_at - m.start(2)
    if not 0 <= pos < len(vowels):
        return False
    if len(vowels) == 1:
        return True
    marked = [i for i, ch in enumerate(vowels) if ch in "ăâêôơư"]
    if marked:
        return pos == marked[-1]
    if final:
        return pos == len(vowels) - 1
    if vowels in ("oa", "oe", "uy"):
        return True
    if len(vowels) == 3:
        return pos == 1
    return pos == 0


def _words(text: str) -> list[str]:
    return [w for w in _WORD_SPLIT.split(text) if w]


def could_be_legacy(text: str) -> bool:
    """Text that a legacy encoding could have produced: some non-ASCII character, and every
    character one byte (Latin-1 or Windows-1252). Unicode Vietnamese beyond Latin-1 (ă ơ ư đ,
    ạ … ỹ) rules it out."""
    return not text.isascii() and _BEYOND_ONE_BYTE.search(text) is None


def _has_foreign_mark(text: str) -> bool:
    return any(ord(ch) >= 0x80 and ch not in _VIETNAMESE_LATIN1 for ch in text)


def syllable_score(text: str) -> tuple[int, int]:
    """(valid syllables, words counted) over the words holding a non-ASCII character."""
    counted = valid = 0
    for w in _words(text):
        if w.isascii():
            continue
        counted += 1
        if is_vietnamese_syllable(w):
            valid += 1
    return valid, counted


def _score_converted(original: str, converted: str) -> tuple[int, int]:
    """Valid syllables of ``converted`` among the words that were non-ASCII in ``original``
    (the conversion keeps word boundaries: no mark byte is a space or punctuation)."""
    before = _words(original)
    after = _words(converted)
    if len(before) != len(after):
        return syllable_score(converted)
    counted = valid = 0
    for b, a in zip(before, after, strict=True):
        if b.isascii():
            continue
        counted += 1
        if is_vietnamese_syllable(a):
            valid += 1
    return valid, counted


# --------------------------------------------------------------------------------------------
# Conversions of cells
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Conversion:
    """One converted cell: where, what it held, what it now holds, and why."""

    row: int
    col: int
    original: str
    converted: str
    encoding: str  # TCVN3 | VNI
    basis: str  # the font name (".VnTime") or BY_CONTENT

    @property
    def font(self) -> str:
        return self.basis


def by_font(fonts: Mapping[tuple[int, int], str], value: Callable[[int, int], Any]) -> list[Conversion]:
    """Conversions of the cells whose font is a legacy font (``fonts``: (row, col) → font name;
    ``value(row, col)`` gives the cell). A cell is converted when its text could be one-byte
    text, the conversion changes it, and the result is no less Vietnamese than the original."""
    out: list[Conversion] = []
    for (r, c), font in sorted(fonts.items()):
        enc = encoding_of_font(font)
        v = value(r, c)
        if enc is None or not isinstance(v, str) or not could_be_legacy(v):
            continue
        converted = decode(v, enc, capitals=is_capital_font(font))
        if converted == v:
            continue
        before, _ = syllable_score(v)
        after, _ = _score_converted(v, converted)
        if after >= before:
            out.append(Conversion(r, c, v, converted, enc, font.strip()))
    return out


def by_content(cells: Iterable[tuple[int, int, Any]]) -> list[Conversion]:
    """Conversions of a group of cells read together (a header row, a column), decided by
    their content.

    The group's encoding is the one under which most of its non-ASCII words become valid
    Vietnamese syllables, provided that is a clear majority, more than before, and the one-byte
    cells are most of the group (a column of Unicode names with one old name in it is not a
    TCVN3 column); every cell of the group that loses nothing by it is converted. Without a group decision, a lone cell is
    converted only when none of its words is Vietnamese as it stands and all of them are after.
    """
    candidates: list[tuple[int, int, str]] = []
    unicode_cells: list[str] = []  # cells that are Unicode already (ă, ơ, ạ …)
    for r, c, v in cells:
        if not isinstance(v, str) or v.isascii():
            continue
        if _BEYOND_ONE_BYTE.search(v) is None:
            candidates.append((r, c, v))
        else:
            unicode_cells.append(v)
    if not candidates:
        return []
    scores = [syllable_score(v) for _, _, v in candidates]
    if all(before == counted for before, counted in scores):
        # Every word already reads as Vietnamese: no conversion can gain (the group needs a
        # gain, a lone cell needs to be unreadable as it stands).
        return []
    unicode_words = sum(1 for v in unicode_cells for w in _words(v) if not w.isascii())
    trials: dict[str, list[tuple[str, int, int, int]]] = {TCVN3: [], VNI: []}
    before_total = counted_total = 0
    for (_, _, v), (before, counted) in zip(candidates, scores, strict=True):
        before_total += before
        counted_total += counted
        for enc, results in trials.items():
            converted = decode(v, enc)
            after, _ = _score_converted(v, converted)
            results.append((converted, after, before, counted))
    group_enc: str | None = None
    best_after = before_total
    for enc in (TCVN3, VNI):
        after_total = sum(t[1] for t in trials[enc])
        if (after_total > best_after and after_total * 10 >= counted_total * 6
                and counted_total * 10 >= (counted_total + unicode_words) * 6):
            group_enc, best_after = enc, after_total
    out: list[Conversion] = []
    for i, (r, c, v) in enumerate(candidates):
        chosen: str | None = None
        if group_enc is not None:
            converted, after, before, _ = trials[group_enc][i]
            # Inside a group that is clearly in the old encoding, a cell that reads as well
            # either way ("Ghi chó" / "Ghi chú") follows the group.
            if after >= before and converted != v:
                chosen = group_enc
        if chosen is None:
            for enc in (TCVN3, VNI):
                converted, after, before, counted = trials[enc][i]
                if (counted and before == 0 and after == counted and converted != v
                        and _has_foreign_mark(v)):
                    chosen = enc
                    break
        if chosen is not None:
            out.append(Conversion(r, c, v, trials[chosen][i][0], chosen, BY_CONTENT))
    return out


def might_convert(texts: Iterable[Any]) -> bool:
    """Cheap pre-check for :func:`by_content` over a column's distinct values: False when no
    text is one-byte text that fails to read as Vietnamese (then nothing can be converted)."""
    beyond = _BEYOND_ONE_BYTE.search
    # could_be_legacy, inlined: the loop runs over every distinct name of a large list.
    for v in [v for v in texts if isinstance(v, str) and not v.isascii() and beyond(v) is None]:
        valid, counted = syllable_score(v)
        if valid < counted:
            return True
    return False


def apply(rows: Sequence[list[Any]], conversions: Iterable[Conversion]) -> None:
    """Write converted texts into ``rows`` (``rows[r-1][c-1]``), for the reader's in-memory copy
    of a sheet (never the file)."""
    for conv in conversions:
        row = rows[conv.row - 1]
        if conv.col - 1 < len(row):
            row[conv.col - 1] = conv.converted
