"""Vietnamese text normalisation and match keys (locale.md: "Unicode").

Every cell, sheet name and file name is normalised to NFC on read. Header matching uses an
exact key (clean + casefold) then an accent-blind key (đ→d). People are never matched
accent-blind ("Đỗ Văn An" and "Đỗ Văn Ân" fold to the same key).
"""

from __future__ import annotations

import difflib
import re
import unicodedata

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = re.compile(r"[\s\u00a0\u2007\u202f]+")
# Old and new tone placement (hòa / hoà): unified only inside match keys.
_TONE_PLACEMENT = {
    "òa": "oà", "óa": "oá", "ỏa": "oả", "õa": "oã", "ọa": "oạ",
    "òe": "oè", "óe": "oé", "ỏe": "oẻ", "õe": "oẽ", "ọe": "oẹ",
    "ùy": "uỳ", "úy": "uý", "ủy": "uỷ", "ũy": "uỹ", "ụy": "uỵ",
}
_TONE_RE = re.compile("|".join(_TONE_PLACEMENT))


def clean(text: object) -> str:
    """NFC, no zero-width characters, every run of spaces/newlines/NBSP as one space, stripped."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFC", str(text)).translate(_INVISIBLE)
    return _SPACES.sub(" ", s).strip()


def key(text: object) -> str:
    """Exact match key: clean, casefolded, tone placement unified."""
    return unify_tones(clean(text).casefold())


def unify_tones(text: str) -> str:
    """The new tone placement ("hòa" → "hoà", "thủy" → "thuỷ") of a casefolded text; each
    change stays within two letters, so texts joined by any separator are unified alike."""
    return _TONE_RE.sub(lambda m: _TONE_PLACEMENT[m.group(0)], text)


def fold(text: object) -> str:
    """Accent-blind key for headers only: no diacritics, đ→d, casefolded, single spaces."""
    s = unicodedata.normalize("NFD", clean(text).casefold().replace("đ", "d"))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return s


def compact(text: object) -> str:
    """Accent-blind key without spaces and punctuation: "Mã NV" → "manv"."""
    return re.sub(r"[^0-9a-z]", "", fold(text))


def suggest(word: str, candidates: list[str] | tuple[str, ...], cutoff: float = 0.6) -> str | None:
    """The closest candidate (by accent-blind similarity) or None. Only ever a suggestion, and
    only a likely one: the words both begin with ("Khoa", "Phòng") are set aside before comparing,
    so "Khoa Cấp cứu" is never offered "Khoa Mắt" for sharing "Khoa " (issue 13). A candidate
    that goes on where the word stops ("Khoa Ngoại" → "Khoa Ngoại tổng hợp") is likely too."""
    folded_word = fold(word)
    best: str | None = None
    best_key = (0.0, 0.0)
    for candidate in candidates:
        folded = fold(candidate)
        key = (_likeness(folded_word, folded),
               difflib.SequenceMatcher(None, folded_word, folded).ratio())
        if key[0] >= cutoff and key > best_key:
            best, best_key = candidate, key
    return best


_CONTINUES = 0.9  # a name that goes on where the other stops: more likely than a near spelling


def _likeness(a: str, b: str) -> float:
    """Similarity of what tells two folded names apart: their leading words in common dropped."""
    ta, tb = a.split(), b.split()
    i = 0
    while i < min(len(ta), len(tb)) and ta[i] == tb[i]:
        i += 1
    rest_a, rest_b = " ".join(ta[i:]), " ".join(tb[i:])
    if not rest_a or not rest_b:
        # One goes on where the other stops: likely when more than a first word ("Khoa") agrees.
        return 1.0 if rest_a == rest_b else (_CONTINUES if i >= 2 else 0.0)
    ratio = difflib.SequenceMatcher(None, rest_a, rest_b).ratio()
    if rest_b.startswith(rest_a + " ") or rest_a.startswith(rest_b + " "):
        return max(ratio, _CONTINUES)
    return ratio
