"""Vietnamese collation: the order of names in official lists (locale.md "Names and sorting").

Plain ``sorted()`` puts "Á", "Ă", "Đ" after "Z", and a generic Unicode collation treats "ă"/"â"
as accents of "a". Vietnamese dictionaries and official lists use their own alphabet

    a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y   (f j w z in their Latin places)

and decide letters before tones, syllable by syllable: "ác" < "ách" (the letters differ), and
"Ba Bác" < "Bà Ba" (the first syllables have the same letters, so the tone of "Ba" < "Bà"
decides before the second syllable is looked at). Tones rank none < huyền < hỏi < ngã < sắc <
nặng (a à ả ã á ạ). Keys are case-insensitive and NFC/NFD-insensitive, and the old and new tone
placements (hòa / hoà) give the same key because the tone is taken per syllable.

Official lists sort people by tên (the last word), then họ (the first word), then đệm (the
middle words); the tie-break order varies between offices, hence ``order``.
"""

from __future__ import annotations

import unicodedata

from thidua_cli.core.vntext import clean
from thidua_cli.errors import UsageError

# The base letters in Vietnamese alphabetical order; letters with a letter mark (ă â đ ê ô ơ ư)
# are separate letters, written here as NFD base + mark so that decomposed input matches.
_ALPHABET = (
    "a", "a\u0306", "a\u0302", "b", "c", "d", "đ", "e", "e\u0302", "f", "g", "h", "i", "j",
    "k", "l", "m", "n", "o", "o\u0302", "o\u031b", "p", "q", "r", "s", "t", "u", "u\u031b",
    "v", "w", "x", "y", "z",
)
_LETTER_RANK = {letter: 1000 + i for i, letter in enumerate(_ALPHABET)}
# Marks that make a new letter (breve, circumflex, horn) rather than a tone.
_LETTER_MARKS = frozenset("\u0306\u0302\u031b")
# Tone marks in dictionary order: huyền, hỏi, ngã, sắc, nặng (no mark = 0).
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Other combining marks (foreign names: ç, ö …) rank after every Vietnamese tone.
_OTHER_MARK_BASE = 100

NAME_ORDERS = ("ten-ho-dem", "ten-dem-ho", "ho-dem-ten")

Syllable = tuple[tuple[int, ...], tuple[int, ...]]


def _char_rank(ch: str) -> int:
    """Primary weight of a base character: digits, then letters, then anything else."""
    if ch in _LETTER_RANK:
        return _LETTER_RANK[ch]
    if ch.isdigit():
        # Any decimal digit (including full-width ones) by its numeric value.
        return 500 + unicodedata.digit(ch, 0)
    if ch.isalpha():
        # A letter outside the Vietnamese/Latin alphabet: after z, by code point.
        return 2000 + ord(ch)
    # Punctuation and symbols sort before digits and letters, by code point.
    return ord(ch) - 0x110000


def _syllable_key(word: str) -> Syllable:
    """(letters, tones) of one space-free word, NFD-decomposed and casefolded."""
    letters: list[int] = []
    tones: list[int] = []
    pending = ""  # base character waiting for possible letter marks
    # "Ð" (U+00D0, eth) stands in for "Đ" in some legacy-converted text.
    decomposed = unicodedata.normalize("NFD", word.casefold().replace("ð", "đ"))
    for ch in decomposed:
        if unicodedata.combining(ch):
            if ch in _LETTER_MARKS and pending and (pending + ch) in _LETTER_RANK:
                pending += ch
            elif ch in _TONE_RANK:
                tones.append(_TONE_RANK[ch])
            else:
                tones.append(_OTHER_MARK_BASE + ord(ch))
            continue
        if pending:
            letters.append(_char_rank(pending))
        pending = ch
    if pending:
        letters.append(_char_rank(pending))
    return tuple(letters), tuple(tones)


def vietnamese_key(text: object) -> tuple[Syllable, ...]:
    """Collation key of any Vietnamese text (names, departments, groups).

    Compare syllable by syllable; within a syllable the letters decide first, then the tone.
    Case, Unicode normalisation form, extra spaces and zero-width characters do not matter.
    """
    return tuple(_syllable_key(word) for word in clean(text).split(" ") if word)


def split_name(full_name: object) -> tuple[str, str, str]:
    """(họ, đệm, tên) of a Vietnamese full name: first word, middle words, last word.

    A one-word name is all tên."""
    words = [w for w in clean(full_name).split(" ") if w]
    if not words:
        return "", "", ""
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


def name_sort_key(full_name: object, order: str = "ten-ho-dem") -> tuple[tuple[Syllable, ...], ...]:
    """Sort key of a person's name for official lists.

    ``order`` names the parts compared first to last: "ten-ho-dem" (the default: tên, then họ,
    then đệm), "ten-dem-ho", or "ho-dem-ten" (the full name as written). Add the staff ID as a
    last key when a deterministic order of namesakes is needed.
    """
    if order not in NAME_ORDERS:
        raise UsageError(
            f"Thứ tự sắp xếp tên \"{order}\" không hợp lệ. Dùng một trong: "
            + ", ".join(NAME_ORDERS)
            + " (ten = tên, ho = họ, dem = tên đệm)."
        )
    ho, dem, ten = split_name(full_name)
    parts = {"ten": ten, "ho": ho, "dem": dem}
    return tuple(vietnamese_key(parts[p]) for p in order.split("-"))
