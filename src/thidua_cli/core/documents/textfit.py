"""How wide a text prints in Times New Roman, and where to break a heading so that no line
wraps on its own ("BỆNH VIỆN ĐA KHOA TỈNH AN / BÌNH"): the widths are the font's own
(``metrics.py``, generated from its metric twin Liberation Serif), so the templates' column
widths and the tests that check them use one measure."""

from __future__ import annotations

import unicodedata
from itertools import combinations, pairwise

from thidua_cli.core.documents.metrics import BOLD, REGULAR

MM_PER_PT = 25.4 / 72
# The left column of the ND 30 head (issuer, number), in mm: the default templates are built
# with it (tools/make_templates.py), and the names in it are broken to fit it.
HEAD_LEFT_MM = 68.0
HEAD_SIZE_PT = 13


def _base(char: str) -> str:
    """The letter a Vietnamese letter is drawn on ("ệ" → "e"); tone marks do not advance."""
    return unicodedata.normalize("NFD", char)[0]


def text_width_mm(text: str, size_pt: float, *, bold: bool = False) -> float:
    """The printed width of ``text`` at ``size_pt`` in Times New Roman (regular or bold).
    A character outside the table counts as the widest capital (never under-measured)."""
    table = BOLD if bold else REGULAR
    widest = max(table.values())
    total = 0
    for char in text:
        total += table.get(char) or table.get(_base(char)) or widest
    return total / 1000 * size_pt * MM_PER_PT


# Words an office starts the second line of a name with: the place ("… ĐA KHOA / TỈNH AN BÌNH").
_LINE_STARTS = frozenset({"tỉnh", "thành", "huyện", "quận", "thị", "xã", "phường", "khu"})
_DASHES = ("–", "-", "—")


def fit_lines(text: str, width_mm: float, size_pt: float, *, bold: bool = False) -> list[str]:
    """``text`` broken between words into the fewest lines that each fit ``width_mm``, the way
    an office breaks a name: a line never starts with a dash ("HỘI ĐỒNG THI ĐUA – / KHEN
    THƯỞNG"), a place starts a line where it can ("BỆNH VIỆN ĐA KHOA / TỈNH AN BÌNH"), and
    otherwise the lines are as even as possible. A single word wider than the column stays
    on its own line."""
    words = text.split()
    if len(words) <= 1 or text_width_mm(" ".join(words), size_pt, bold=bold) <= width_mm:
        return [" ".join(words)] if words else []
    n = len(words)
    for count in range(2, n + 1):
        best: tuple[tuple[int, int, float], list[str]] | None = None
        for breaks in combinations(range(1, n), count - 1):
            edges = (0, *breaks, n)
            lines = [" ".join(words[a:b]) for a, b in pairwise(edges)]
            widths = [text_width_mm(line, size_pt, bold=bold) for line in lines]
            if any(w > width_mm and " " in line for w, line in zip(widths, lines, strict=True)):
                continue
            starts = [words[a] for a in edges[1:-1]]
            score = (sum(w.startswith(_DASHES) for w in starts),
                     -sum(w.casefold() in _LINE_STARTS for w in starts), max(widths))
            if best is None or score < best[0]:
                best = (score, lines)
        if best is not None:
            return best[1]
    return words
