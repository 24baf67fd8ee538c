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
from collections.abc import Sequence
from functools import lru_cache

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


@lru_cache(maxsize=1 << 16)
def _syllable_key(word: str) -> Syllable:
    """(letters, tones) of one space-free word, NFD-decomposed and casefolded.

    Cached: Vietnamese names and department names are built from a few hundred syllables, and
    sorting 100,000 people asks for each of them thousands of times."""
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


def _check_order(order: str) -> None:
    if order not in NAME_ORDERS:
        raise UsageError(
            f"Thứ tự sắp xếp tên \"{order}\" không hợp lệ. Dùng một trong: "
            + ", ".join(NAME_ORDERS)
            + " (ten = tên, ho = họ, dem = tên đệm)."
        )


def name_sort_key(full_name: object, order: str = "ten-ho-dem") -> tuple[tuple[Syllable, ...], ...]:
    """Sort key of a person's name for official lists.

    ``order`` names the parts compared first to last: "ten-ho-dem" (the default: tên, then họ,
    then đệm), "ten-dem-ho", or "ho-dem-ten" (the full name as written). Add the staff ID as a
    last key when a deterministic order of namesakes is needed.

    The same as ``vietnamese_key`` of each part of ``split_name``, computed word by word with a
    cache (see _word_key): a hospital's names are all different but made of few words.
    """
    _check_order(order)
    if type(full_name) is str:
        keys = [k for k in map(_word_key, full_name.split()) if k]
    else:
        keys = [_word_key(w) for w in clean(full_name).split(" ") if w]
    if not keys:
        ho: tuple[Syllable, ...] = ()
        dem: tuple[Syllable, ...] = ()
        ten: tuple[Syllable, ...] = ()
    elif len(keys) == 1:
        ho, dem, ten = (), (), keys[0]
    else:
        ho, dem, ten = keys[0], tuple(s for k in keys[1:-1] for s in k), keys[-1]
    if order == "ten-ho-dem":
        return ten, ho, dem
    if order == "ten-dem-ho":
        return ten, dem, ho
    return ho, dem, ten


@lru_cache(maxsize=1 << 16)
def _word_key(word: str) -> tuple[Syllable, ...]:
    """``vietnamese_key`` of one whitespace-free word: one syllable, or none when the word is
    only zero-width characters (clean() drops it).

    Splitting a name on whitespace first and cleaning word by word gives the words of
    ``clean(name).split(" ")``: clean()'s whitespace is exactly str.isspace(), NFC never joins
    or creates characters across whitespace (checked over every code point), and the
    characters it deletes are not whitespace. tests/unit/test_names.py compares both ways."""
    return vietnamese_key(word)


def name_sort_keys(names: Sequence[object], order: str = "ten-ho-dem") -> list[int]:
    """Compact sort keys of many names at once, in the order of ``names``: one integer each.

    The keys order the names exactly as :func:`name_sort_key` does (equal keys for names it
    finds equal), but are only comparable with keys from the same call. Sorting 100,000 people
    then compares integers instead of nested tuples of syllables (about ten times faster).

    How: each distinct word is replaced by its rank among the words of these names (words are
    compared by their syllable key), and each distinct đệm (the middle words, as a sequence of
    word ranks) by its rank among the đệm of these names (compared word by word, a shorter đệm
    that is a prefix of a longer one first, as tuples compare). A name becomes three digits in
    base (number of distinct words or đệm + 1): its parts in ``order``, 0 for a missing part (the
    empty key sorts first). Ranking the đệm as a whole keeps the key to three digits: one digit
    per đệm word made a key as long as the longest name, and one name of a million words made
    a million-digit power for every word (quadratic, minutes)."""
    _check_order(order)
    words_of = [
        name.split() if type(name) is str else clean(name).split(" ") for name in names
    ]
    by_word = {w: _word_key(w) for w in {w for words in words_of for w in words}}
    ranked = sorted({k for k in by_word.values() if k})
    digit_of_key = {k: i + 1 for i, k in enumerate(ranked)}
    # Digit 0 marks a word that is only zero-width characters (empty key): clean() drops it.
    digit = {w: digit_of_key.get(k, 0) for w, k in by_word.items()}
    digits_of = [list(map(digit.__getitem__, words)) for words in words_of]
    if 0 in digit.values():
        digits_of = [[d for d in digits if d] for digits in digits_of]
    dems = {tuple(digits[1:-1]) for digits in digits_of if len(digits) > 2}
    dem_rank = {d: i + 1 for i, d in enumerate(sorted(dems))}
    base = max(len(ranked), len(dem_rank)) + 1
    keys: list[int] = []
    for digits in digits_of:
        if len(digits) > 1:
            ho, ten = digits[0], digits[-1]
            dem = dem_rank[tuple(digits[1:-1])] if len(digits) > 2 else 0
        else:
            ho, ten, dem = 0, (digits[0] if digits else 0), 0
        if order == "ten-ho-dem":
            keys.append((ten * base + ho) * base + dem)
        elif order == "ten-dem-ho":
            keys.append((ten * base + dem) * base + ho)
        else:
            keys.append((ho * base + dem) * base + ten)
    return keys
