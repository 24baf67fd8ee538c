"""A large one-sheet .xlsx workbook read column by column, for ``thidua validate``.

``io.workbook.load_workbook`` builds one Python list per row through python-calamine: for
100,000 rows × 29 columns that alone takes longer than the issue allows the whole check. For a
workbook of one large sheet, this module reads the data rows with fastexcel instead (the same
calamine parser, in Rust, returning typed Arrow columns and releasing the GIL), in a thread of
its own while this thread runs the very same bounded XML scan as ``load_workbook``.

Exactness. The reader must see what ``load_workbook`` would give it, value for value:

- the first ``HEAD_ROWS`` rows (title, header, the first data rows) come from python-calamine
  itself, run on the workbook's own parts with the sheet cut after that row (its merged cells
  kept): the header planner reads exactly the usual rows;
- the rows below come from fastexcel only when its column types prove each value is the one
  python-calamine returns: a number column holds numbers only (fastexcel infers "string" as soon
  as one text cell is present, over every row), a date column dates at midnight only — each
  written in the XML as a whole serial day from 1 (1900-01-01) to 9999-12-31, since
  python-calamine gives a datetime for any fraction (fastexcel rounds to the millisecond), a
  time below day 1, and a number beyond 9999 (which fastexcel leaves empty) — and the
  text columns hold text cells only — the number of text cells the sheet XML declares below the
  head (``t="s"``, ``t="str"``, ``t="inlineStr"``) must equal the number of texts fastexcel
  returns, so no number or date was turned into text. Booleans, cached errors, ISO dates,
  formulas without a value, hidden rows, struck or legacy-font cells anywhere: not taken.

``load_large`` returns None whenever one of these does not hold (or anything goes wrong): the
caller then reads the file the usual way, which reports everything exactly. Nothing here
raises for a bad file except what ``load_workbook`` itself raises (the same bounds, the same
messages).
"""

from __future__ import annotations

import io
import logging
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from thidua_cli.io import prefetch
from thidua_cli.io.raw import RawSheet, RawWorkbook
from thidua_cli.io.sniff import display_name, open_zip, read_input, sniff_bytes
from thidua_cli.io.workbook import (
    DEFAULT_LIMITS,
    Limits,
    SheetFacts,
    _read_values,
    check_zip_bounds,
    scan_ooxml,
)
from thidua_cli.model import column_letter

if TYPE_CHECKING:
    import pyarrow as pa

HEAD_ROWS = prefetch.HEAD_ROWS  # rows read by python-calamine (the header is in the first 30)
# Below this size (the sheet's XML, uncompressed) the usual loader is fast enough: a sheet of
# 3,000 rows × 29 columns is about 2.5 MB; 100,000 rows about 85 MB.
MIN_SHEET_BYTES = 8 << 20

_ROW_START = re.compile(rb"<row\b[^>]*?\sr=\"([0-9]{1,7})\"")
_DIMENSION = re.compile(rb"<dimension\b[^>]*/>")
_EPOCH = date(1970, 1, 1)

log = logging.getLogger(__name__)


@dataclass
class LargeSheet:
    """One large worksheet: ``workbook`` is the RawWorkbook of ``load_workbook`` except that
    its sheet's ``rows`` stop after row ``HEAD_ROWS`` (padded to the full width); the rows from
    ``HEAD_ROWS + 1`` to ``nrows`` are in ``columns`` (one Arrow array per column, from A)."""

    workbook: RawWorkbook
    nrows: int
    columns: list[pa.Array]
    _cache: dict[int, list[Any]]

    @property
    def sheet(self) -> RawSheet:
        return self.workbook.sheets[0]

    @property
    def width(self) -> int:
        return len(self.columns)

    def values(self, index: int, first_row: int) -> list[Any]:
        """Column ``index`` (0 = A) from Excel row ``first_row`` to the last row, each value as
        ``load_workbook`` gives it ("" for an empty cell)."""
        tail = self._cache.get(index)
        if tail is None:
            tail = self._cache[index] = _python_values(self.columns[index])
        head_rows = self.sheet.rows[first_row - 1:HEAD_ROWS] if first_row <= HEAD_ROWS else []
        return [row[index] for row in head_rows] + (
            tail if first_row <= HEAD_ROWS + 1 else tail[first_row - HEAD_ROWS - 1:]
        )


def load_large(
    path: str | os.PathLike[str], *, limits: Limits = DEFAULT_LIMITS,
    min_sheet_bytes: int | None = None,
) -> LargeSheet | None:
    """The workbook at ``path`` read column by column, or None when it is not one large
    worksheet whose values can be taken from fastexcel exactly (see the module docstring).

    Raises what ``load_workbook`` raises for an unreadable file (InputFileError)."""
    shown = display_name(path)
    data = read_input(path, max_bytes=limits.max_file_bytes)
    fmt = sniff_bytes(data, shown)
    if fmt not in ("xlsx", "xlsm"):
        return None
    with open_zip(data, shown) as zf:
        check_zip_bounds(zf, limits, shown)
        worksheets = [i for i in zf.infolist() if i.filename.lower().startswith("xl/worksheets/")
                      and i.filename.lower().endswith(".xml")]
        smallest = MIN_SHEET_BYTES if min_sheet_bytes is None else min_sheet_bytes
        if len(worksheets) != 1 or worksheets[0].file_size < smallest:
            return None
        # fastexcel parses in its own thread (it releases the GIL) while this one scans; the
        # command may have started it already (io.prefetch), on these very bytes.
        started = prefetch.take(path, data)
        worker, loaded = started if started is not None else prefetch.begin(data)
        try:
            keep: dict[str, tuple[str, bytes]] = {}
            facts = scan_ooxml(zf, limits, shown, keep=keep)
            if len(facts) != 1 or len(keep) != 1:
                return None
            (name, sheet_facts), = facts.items()
            part, xml = keep[name]
            if not _facts_plain(sheet_facts):
                return None
            cut = _head_cut(xml)
            if cut is None:
                return None
            texts_below = _text_cells(xml, cut)
            if texts_below is None:
                return None
            head_zip = _head_workbook(zf, part, xml, cut)
            # While fastexcel still parses: the head rows, and the serials of the columns whose
            # head holds dates (the date columns below, most likely).
            sheets = _read_values(head_zip, fmt, shown, facts)
            serials = {
                i: _serials(xml, cut, i)
                for i in sorted({i for s in sheets[:1] for row in s.rows
                                 for i, v in enumerate(row) if isinstance(v, date)})
            }
        finally:
            worker.join()
    if "error" in loaded:
        log.debug("fastexcel: %s", loaded["error"])
        return None
    import hashlib

    import pyarrow as pa

    batch: pa.RecordBatch = loaded["batch"]
    width = batch.num_columns
    if width != sheet_facts.max_col or batch.num_rows == 0:
        return None  # column A empty, or an extent fastexcel counts otherwise: not taken
    columns = list(batch.columns)
    strings = 0
    for i, col in enumerate(columns):
        kind = _kind(col.type)
        if kind is None:
            return None
        if kind == "text":
            strings += len(col) - col.null_count
            if _holds(col, b't="'):
                return None
        elif kind == "date" and (not pa.types.is_timestamp(col.type) or not _midnights(col)
                                 or not _whole_days(serials.get(i) or _serials(xml, cut, i),
                                                    col)):
            return None
    if strings != texts_below:
        return None  # a number or a date became text, or a text became nothing
    del xml, keep
    if len(sheets) != 1 or sheets[0].kind != "worksheet":
        return None
    sheet = sheets[0]
    if len(sheet.rows) > HEAD_ROWS or any(len(r) > width for r in sheet.rows):
        return None
    sheet.rows = [row + [""] * (width - len(row)) for row in sheet.rows]
    sheet.rows += [[""] * width for _ in range(HEAD_ROWS - len(sheet.rows))]
    workbook = RawWorkbook(path=os.fspath(path), format=fmt,
                           sha256=hashlib.sha256(data).hexdigest(), sheets=[sheet])
    return LargeSheet(workbook, HEAD_ROWS + batch.num_rows, columns, {})


def _facts_plain(facts: SheetFacts) -> bool:
    return not (facts.errors or facts.formulas_without_value or facts.hidden_rows
                or facts.struck_cells or facts.legacy_fonts)


def _head_cut(xml: bytes) -> int | None:
    """Where row ``HEAD_ROWS + 1`` (or the first row after it) starts in the sheet XML; None
    when the rows are not written the plain way (every row with its number, no prefix)."""
    data_at = xml.find(b"<sheetData>")
    if data_at < 0:
        return None
    pos = data_at
    while True:
        m = _ROW_START.search(xml, pos, pos + (1 << 20))
        if m is None:
            return None
        if xml.rfind(b"<row", pos, m.start()) >= 0:
            return None  # a row without its number in between
        if int(m.group(1)) > HEAD_ROWS:
            return m.start()
        pos = m.end()


def _text_cells(xml: bytes, cut: int) -> int | None:
    """The text cells (shared, inline, formula text) below the head; None when the XML holds
    cells of another type (boolean, error, ISO date) or a type attribute written another way.

    Counted on the start tags as Excel, LibreOffice, openpyxl and XlsxWriter write them
    (``<c r="A7" s="3" t="s">``: the type after a quoted attribute). A cell written otherwise
    is not counted, which can only make the counts differ (then the file is not taken). Text
    inside cells could hold such a pattern too: load_large refuses any text holding ``t="``."""
    end = xml.rfind(b"</sheetData>")
    if end < cut:
        return None
    typed = xml.count(b' t="', cut, end)
    # '" t="s' counts "s" and "str" (no other cell type starts with s), '" t="i' "inlineStr".
    texts = xml.count(b'" t="s', cut, end) + xml.count(b'" t="i', cut, end)
    if typed == texts:
        return texts
    other = xml.count(b'" t="n"', cut, end) + xml.count(b'<f t="', cut, end)
    return texts if typed == texts + other else None


def _head_workbook(zf: zipfile.ZipFile, part: str, xml: bytes, cut: int) -> bytes:
    """The workbook with its sheet cut after the head rows (merged cells and the rest of the
    sheet's parts kept; no dimension, which would announce the whole sheet)."""
    end = xml.rfind(b"</sheetData>")
    head = _DIMENSION.sub(b"", xml[:cut], count=1) + xml[end:]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
        for info in zf.infolist():
            dst.writestr(info.filename, head if info.filename == part else zf.read(info))
    return out.getvalue()


def _kind(t: pa.DataType) -> str | None:
    import pyarrow as pa

    if pa.types.is_float64(t):
        return "number"
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return "text"
    if pa.types.is_timestamp(t) or pa.types.is_date(t):
        return "date"
    if pa.types.is_null(t):
        return "empty"
    return None  # booleans, durations, times: the usual loader


def _holds(col: pa.Array, pattern: bytes) -> bool:
    """Whether a text of the column may hold ``pattern``: searched in the column's character
    buffers (a false alarm only makes the file go the usual way)."""
    import pyarrow as pa

    buffers = col.buffers()
    searched = buffers[1:] if pa.types.is_string_view(col.type) else buffers[2:]
    return any(pattern in buf.to_pybytes() for buf in searched if buf is not None)


_MS_PER_UNIT = {"s": 1000, "ms": 1, "us": 0.001, "ns": 0.000001}

# The columns are read from their Arrow buffers with NumPy: pyarrow's own conversions of a
# column with empty cells (to_numpy, is_null …) import pandas or the compute kernels on first
# use, which costs more than reading the whole column.


def _valid(col: pa.Array) -> Any:
    """A NumPy bool array: True where the column has a value; None when every cell has one."""
    import numpy as np

    if not col.null_count:
        return None
    bits = np.frombuffer(col.buffers()[0], dtype=np.uint8)
    return np.unpackbits(bits, bitorder="little")[col.offset:col.offset + len(col)].astype(bool)


def _fixed(col: pa.Array, dtype: Any) -> Any:
    """The values buffer of a fixed-width column (float64, timestamp) as a NumPy array; what
    lies under an empty cell is unspecified (use _valid)."""
    import numpy as np

    return np.frombuffer(col.buffers()[1], dtype=dtype, count=len(col), offset=col.offset * 8)


def _midnights(col: pa.Array) -> bool:
    """Every date of the column at 00:00 (python-calamine gives a date then, not a datetime)."""
    import numpy as np

    ms = _day_ms(col)
    return ms is not None and bool((np.mod(ms, 86_400_000) == 0).all())


# Days since 1970 of 1900-01-01 (serial 1) and of 9999-12-31 (the last date Python has).
_FIRST_DAY = (date(1900, 1, 1) - _EPOCH).days
_LAST_DAY = (date(9999, 12, 31) - _EPOCH).days


def _serials(xml: bytes, cut: int, index: int) -> list[bytes]:
    """The cached values (``<v>``) of column ``index`` below the head, as written: each value
    cell found in the XML as ``<c r="I41" …>``, the reference first, an optional formula, then
    ``<v>`` (a cell written another way is not found: then the counts differ)."""
    letter = column_letter(index + 1).encode()
    cell = re.compile(rb'<c r="' + letter
                      + rb'[0-9]+"[^>]*>(?:<f\b[^>]*?(?:/>|>[^<]*</f>))?<v>([^<]*)</v>')
    return cell.findall(xml, cut, xml.rfind(b"</sheetData>"))


def _whole_days(serials: list[bytes], col: pa.Array) -> bool:
    """Whether each date of the column below the head is a whole serial day from 1 in the
    sheet XML, and a day Python has. python-calamine gives a datetime (not a date) for a serial
    with any fraction, even one below the millisecond that fastexcel rounds away; a time for a
    serial below 1; a plain number beyond 9999-12-31, where fastexcel gives nothing or a date
    Python cannot hold. ``serials``: the column's values as the XML writes them (_serials); a
    cell written another way makes the counts differ, and the file is not taken."""
    import numpy as np

    if len(serials) != len(col) - col.null_count:
        return False
    try:
        x = np.array(serials).astype(np.float64)
    except ValueError:
        return False
    if not bool(((x >= 1) & (x == np.floor(x))).all()):
        return False
    days = np.floor_divide(_day_ms(col), 86_400_000)
    valid = _valid(col)
    if valid is not None:
        days = days[valid]
    return bool(((days >= _FIRST_DAY) & (days <= _LAST_DAY)).all())


def _day_ms(col: pa.Array) -> Any:
    """Milliseconds since 1970 of each date of a timestamp column (0 where empty) as int64,
    or None when a value is finer than a millisecond."""
    import numpy as np

    raw = _fixed(col, np.int64).copy()
    valid = _valid(col)
    if valid is not None:
        raw[~valid] = 0
    per = _MS_PER_UNIT[col.type.unit]
    if per >= 1:
        return raw * int(per)
    step = round(1 / per)
    if (np.mod(raw, step) != 0).any():
        return None
    return raw // step


def _python_values(col: pa.Array) -> list[Any]:
    """The values of one column as python-calamine and load_workbook give them."""
    import numpy as np

    kind = _kind(col.type)
    n = len(col)
    if kind == "empty" or col.null_count == n:
        return [""] * n
    valid = _valid(col)
    if kind == "text":
        values: list[Any] = col.to_pylist()
        if valid is not None:
            values = [v if v is not None else "" for v in values]
        blob = "\x00".join(values)
        if not blob.isascii() and not unicodedata.is_normalized("NFC", blob):
            normalize = unicodedata.normalize
            values = [v if v.isascii() else normalize("NFC", v) for v in values]
        return values
    if kind == "date":  # dates at midnight: days since 1970, each distinct day made once
        days = np.floor_divide(_day_ms(col), 86_400_000).tolist()
        made = {d: _EPOCH + timedelta(days=d) for d in set(days)}
        values = list(map(made.__getitem__, days))
    else:
        values = _fixed(col, np.float64).tolist()
    if valid is not None:
        for k in np.flatnonzero(~valid).tolist():
            values[k] = ""
    return values
