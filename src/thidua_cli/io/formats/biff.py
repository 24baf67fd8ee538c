"""The facts of an .xls from the BIFF records of its Workbook stream: FORMULA/BOOLERR errors,
ROW hidden flags, FONT/XF strike-through and legacy font names, and each sheet's extent, since
a damaged .xls can name a cell at column 60,000 and make calamine abort the whole process.
"""

from __future__ import annotations

import struct
import unicodedata
from collections.abc import Iterator

from thidua_cli.io.formats.facts import (
    CellBudget,
    Limits,
    SheetFacts,
    StyleFlags,
    corrupt_message,
    flag_cell,
    is_legacy_font,
)
from thidua_cli.io.sniff import OleError, OleFile, UnreadableFileError, encrypted_message

_BIFF_ERRORS = {
    0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?",
    0x24: "#NUM!", 0x2A: "#N/A", 0x2B: "#GETTING_DATA",
}
_BOF, _EOF, _FILEPASS, _FONT, _XF, _BOUNDSHEET, _ROW = (
    0x0809, 0x000A, 0x002F, 0x0031, 0x00E0, 0x0085, 0x0208
)
_FORMULA, _NUMBER, _RK, _LABELSST, _LABEL, _BOOLERR, _RSTRING = (
    0x0006, 0x0203, 0x027E, 0x00FD, 0x0204, 0x0205, 0x00D6
)
_MULRK, _BLANK, _MULBLANK = 0x00BD, 0x0201, 0x00BE
_DIMENSIONS, _SST = 0x0200, 0x00FC
_TEXT_RECORDS = (_LABELSST, _LABEL, _RSTRING)


def _biff_string(body: bytes, off: int, biff8: bool, *, len_bytes: int = 1) -> str:
    """A short BIFF string: a length, then (BIFF8) a flags byte, then 8-bit or UTF-16 text."""
    n = body[off] if len_bytes == 1 else struct.unpack_from("<H", body, off)[0]
    off += len_bytes
    if biff8:
        wide = body[off] & 1
        off += 1
        raw = body[off : off + n * (2 if wide else 1)]
        return raw.decode("utf-16-le" if wide else "latin-1", errors="replace")
    return body[off : off + n].decode("cp1252", errors="replace")


def scan_xls(
    data: bytes, limits: Limits, shown: str
) -> tuple[dict[str, SheetFacts], list[SheetFacts]]:
    """Facts of every sheet of an .xls (BIFF8, and BIFF5 as far as it goes), keyed by name and
    in workbook order: cached errors (FORMULA and BOOLERR records), hidden rows (ROW records),
    strike-through and legacy fonts (FONT and XF records), and the extent — calamine allocates
    the rectangle up to the farthest cell, and a damaged file may name a cell at column 60,000.

    Each sheet is walked from the offset its BOUNDSHEET record gives, as calamine does, and the
    total work is bounded. A file whose structure cannot be followed is left to calamine."""
    try:
        ole = OleFile(data)
        stream = ole.read_stream("Workbook") or ole.read_stream("Book")
    except (OleError, struct.error):
        return {}, []
    if not stream:
        return {}, []
    budget = [4 * len(stream) + 1024]  # bytes of records a walk may still visit

    def records(start: int) -> Iterator[tuple[int, int, int]]:
        """(type, body start, body end) from ``start`` to the EOF closing its BOF."""
        pos, depth = start, 0
        while pos + 4 <= len(stream):
            rtype, rlen = struct.unpack_from("<HH", stream, pos)
            end = pos + 4 + rlen
            if end > len(stream):
                return
            budget[0] -= rlen + 4
            if budget[0] < 0:
                raise UnreadableFileError(
                    "corrupt", corrupt_message(shown, "xls", "cấu trúc bản ghi bất thường")
                )
            yield rtype, pos + 4, end
            if rtype == _BOF:
                depth += 1
            elif rtype == _EOF:
                depth -= 1
                if depth <= 0:
                    return
            pos = end

    biff8 = True
    fonts: list[tuple[bool, str | None]] = []
    xf_fonts: list[int] = []
    sheets: list[tuple[int, str]] = []
    try:
        for rtype, b, e in records(0):
            body = stream[b:e]
            if rtype == _BOF and len(body) >= 2:
                biff8 = struct.unpack_from("<H", body, 0)[0] >= 0x0600
            elif rtype == _FILEPASS:
                raise UnreadableFileError("encrypted", encrypted_message(shown))
            elif rtype == _FONT and len(body) >= 15:
                (grbit,) = struct.unpack_from("<H", body, 2)
                name = _biff_string(body, 14, biff8)
                fonts.append((bool(grbit & 0x08), name if is_legacy_font(name) else None))
            elif rtype == _XF and len(body) >= 2:
                xf_fonts.append(struct.unpack_from("<H", body, 0)[0])
            elif rtype == _BOUNDSHEET and len(body) >= 7:
                (offset,) = struct.unpack_from("<I", body, 0)
                sheets.append((offset, _biff_string(body, 6, biff8)))
            elif rtype == _SST and len(body) >= 8:
                # calamine reserves room for the announced number of strings up front; each
                # string takes at least 3 bytes, so a larger count is a damaged file.
                (unique,) = struct.unpack_from("<I", body, 4)
                if unique > len(stream) // 3 + 1:
                    raise UnreadableFileError(
                        "corrupt",
                        corrupt_message(shown, "xls", "bảng chuỗi (SST) khai báo sai số lượng"),
                    )
    except (struct.error, IndexError):
        return {}, []

    flags = StyleFlags()
    for i, font_index in enumerate(xf_fonts):
        # Font index 4 does not exist in BIFF: indices above it are shifted by one.
        fi = font_index - 1 if font_index > 4 else font_index
        if 0 <= fi < len(fonts):
            struck, legacy = fonts[fi]
            if struck:
                flags.struck.add(i)
            if legacy:
                flags.legacy[i] = unicodedata.normalize("NFC", legacy)

    by_name: dict[str, SheetFacts] = {}
    ordered: list[SheetFacts] = []
    walked: dict[int, SheetFacts] = {}
    cells = CellBudget(limits, shown)
    for offset, name in sheets:
        facts = walked.get(offset)
        if facts is None:
            facts = walked[offset] = _scan_biff_sheet(stream, records(offset), flags)
            if facts.dimensions_broken:
                raise UnreadableFileError(
                    "corrupt",
                    corrupt_message(shown, "xls", "vùng dữ liệu (DIMENSIONS) sai", name),
                )
            cells.add(facts, unicodedata.normalize("NFC", name))
        by_name.setdefault(name, facts)
        ordered.append(facts)
    return by_name, ordered


def _scan_biff_sheet(
    stream: bytes, recs: Iterator[tuple[int, int, int]], flags: StyleFlags
) -> SheetFacts:
    facts = SheetFacts()
    flagged = flags.struck | set(flags.legacy)

    def cell(row: int, col: int, xf: int, text: bool) -> None:
        r, c = row + 1, col + 1
        if r > facts.max_row:
            facts.max_row = r
        if c > facts.max_col:
            facts.max_col = c
        if xf in flagged:
            flag_cell((r, c), xf, "s" if text else "n", flags, facts)

    try:
        for rtype, b, e in recs:
            n = e - b
            if rtype in (_NUMBER, _RK, _LABELSST, _LABEL, _RSTRING, _BLANK) and n >= 6:
                row, col, xf = struct.unpack_from("<HHH", stream, b)
                if rtype == _BLANK:  # formatting only: counts for the extent, holds no text
                    facts.max_row, facts.max_col = max(facts.max_row, row + 1), max(
                        facts.max_col, col + 1
                    )
                else:
                    cell(row, col, xf, rtype in _TEXT_RECORDS)
            elif rtype == _FORMULA and n >= 14:
                row, col, xf = struct.unpack_from("<HHH", stream, b)
                kind, code = stream[b + 6], stream[b + 8]
                special = stream[b + 12 : b + 14] == b"\xff\xff"
                cell(row, col, xf, special and kind == 0)
                if special and kind == 2:
                    facts.errors[(row + 1, col + 1)] = _BIFF_ERRORS.get(code, "#VALUE!")
            elif rtype == _BOOLERR and n >= 8:
                row, col, xf = struct.unpack_from("<HHH", stream, b)
                cell(row, col, xf, False)
                if stream[b + 7] == 1:
                    facts.errors[(row + 1, col + 1)] = _BIFF_ERRORS.get(stream[b + 6], "#VALUE!")
            elif rtype in (_MULRK, _MULBLANK) and n >= 6:
                row, first = struct.unpack_from("<HH", stream, b)
                (last,) = struct.unpack_from("<H", stream, e - 2)
                step = 6 if rtype == _MULRK else 2
                count = min(max(last - first + 1, 0), (n - 6) // step)
                if rtype == _MULBLANK:
                    if count:
                        facts.max_row = max(facts.max_row, row + 1)
                        facts.max_col = max(facts.max_col, first + count)
                    continue
                for k in range(count):
                    (xf,) = struct.unpack_from("<H", stream, b + 4 + k * step)
                    cell(row, first + k, xf, False)
            elif rtype == _DIMENSIONS and n >= 10:
                # calamine sizes the sheet from this record before reading any cell.
                if n >= 14:
                    r1, r2, c1, c2 = struct.unpack_from("<IIHH", stream, b)
                else:
                    r1, r2, c1, c2 = struct.unpack_from("<HHHH", stream, b)
                if r1 > r2 or c1 > c2:
                    # calamine subtracts first from last without checking: refuse here.
                    facts.dimensions_broken = True
                facts.max_row = max(facts.max_row, r1, r2)
                facts.max_col = max(facts.max_col, c1, c2)
            elif rtype == _ROW and n >= 14:
                row, grbit = struct.unpack_from("<H", stream, b)[0], struct.unpack_from(
                    "<H", stream, b + 12
                )[0]
                if grbit & 0x20:
                    facts.hidden_rows.add(row + 1)
    except (struct.error, IndexError):
        pass  # a damaged record: calamine will say what it makes of the file
    return facts
