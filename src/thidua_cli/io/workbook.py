"""Open a spreadsheet file, once, for reading: the one place that does it.

``load_workbook(path)`` returns a :class:`~thidua_cli.io.raw.RawWorkbook`: every sheet's values
exactly where Excel shows them (``rows[r-1][c-1]`` is cell (r, c), from A1), plus the facts
python-calamine cannot see. It never crashes nor hangs on a bad input: every failure is an
``InputFileError`` (exit 4) with a Vietnamese message naming the file and saying what to do.

How:

1. The bytes are read once (bounded), sniffed (``io.sniff``) and hashed, so the hash, the
   format and the values all come from the very same bytes.
2. A zip (xlsx, xlsm, ods) is checked against its directory *before* any parser inflates it:
   total uncompressed size and compression ratio (zip bombs).
3. xlsx/xlsm: a bounded scan of the sheet XML with byte regexes (no Python loop per cell in the
   common case) finds cached errors, formulas without a cached value, hidden rows, and — only
   when the styles use them — strike-through and legacy Vietnamese fonts (.VnTime, VNI-Times).
   It also measures each sheet's extent, because calamine allocates the whole rectangle from A1
   to the farthest cell: a stray value at XFD1048576 would exhaust memory.
   ods: the same facts from ``content.xml`` (a tag-level scan; ods files are small and rare).
   xls: the same facts from the BIFF records of the Workbook stream (FORMULA/BOOLERR errors,
   ROW hidden flags, FONT/XF strike-through and names) and the extent, since a damaged .xls
   can name a cell at column 60,000 and make calamine abort the whole process.
4. Values come from python-calamine, every string NFC-normalised.

``RawSheet.facts_checked`` is True when those facts were looked for; it stays False for chart
sheets and for an .xls whose record structure could not be followed (the reader may say that
hidden rows and error values were not checked).
"""

from __future__ import annotations

import hashlib
import html
import io
import os
import re
import struct
import sys
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import PurePosixPath
from typing import Any, TypeVar

from thidua_cli.gcpause import collector_paused
from thidua_cli.io.raw import Cell, RawSheet, RawWorkbook
from thidua_cli.io.sniff import (
    DEFAULT_MAX_FILE_BYTES,
    DEFAULT_MAX_MEMBERS,
    SAVE_AS_XLSX,
    ZIP_ERRORS,
    OleError,
    OleFile,
    UnreadableFileError,
    corrupt_zip_message,
    display_name,
    encrypted_message,
    open_zip,
    read_input,
    sniff_bytes,
)

T = TypeVar("T")

@dataclass(frozen=True)
class Limits:
    """Bounds that keep a hostile or broken file from exhausting memory or time.

    The defaults are far above any department workbook (100,000 rows × 29 columns is 2.9 M
    cells and about 100 MB of sheet XML)."""

    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    # Sum of the uncompressed sizes of the parts read (xlsx, xlsm, ods), as the zip directory
    # declares them and as they actually inflate (a directory can lie): four times the sheet
    # XML of the largest real table (100,000 people × 29 columns, about 100 MB).
    max_uncompressed_bytes: int = 400_000_000
    # Compression ratio above which a part counts as a zip bomb; real sheet XML stays well
    # under 100:1. Parts smaller than ``ratio_min_bytes`` may compress as much as they like.
    max_ratio: float = 200.0
    ratio_min_bytes: int = 4 * 1024 * 1024
    max_members: int = DEFAULT_MAX_MEMBERS
    # Cells calamine would allocate for one sheet (the rectangle from A1 to the farthest value),
    # and for the whole workbook (the sum over its sheets). Each cell costs about 120 bytes once
    # read (Rust, then Python), so 5 M cells is about 600 MB: room for the largest real table
    # (100,000 people × 29 columns = 2.9 M cells) and a bound on a tiny .ods whose repeated
    # rows claim millions of cells.
    max_cells: int = 5_000_000
    max_total_cells: int = 5_000_000
    # .ods: cells holding a value that exist only as copies (number-rows-repeated,
    # number-columns-repeated beyond the first). A spreadsheet writes them for identical
    # neighbours (a run of zeros); a 1 KB file repeating one person a million times is not a
    # department's sheet. Empty repeated cells (formatting to the sheet's end) never count.
    max_ods_repeated_cells: int = 1_000_000
    # workbook.xml, its rels and styles.xml are small; a larger one is not a real workbook.
    max_meta_bytes: int = 64 * 1024 * 1024


DEFAULT_LIMITS = Limits()


@dataclass
class SheetFacts:
    """What the XML scan found in one sheet (coordinates 1-based)."""

    errors: dict[Cell, str] = field(default_factory=dict)
    formulas_without_value: dict[Cell, str] = field(default_factory=dict)
    hidden_rows: set[int] = field(default_factory=set)
    struck_cells: set[Cell] = field(default_factory=set)
    legacy_fonts: dict[Cell, str] = field(default_factory=dict)
    merged: list[tuple[int, int, int, int]] | None = None  # ods only; calamine gives xlsx/xls
    dimensions_broken: bool = False  # xls: a DIMENSIONS record with first > last
    max_row: int = 0
    max_col: int = 0


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------


def load_workbook(path: str | os.PathLike[str], *, limits: Limits = DEFAULT_LIMITS) -> RawWorkbook:
    """Read the spreadsheet at ``path`` (xlsx, xlsm, xls, ods, whatever its extension).

    Raises ``InputFileError`` (an :class:`~thidua_cli.io.sniff.UnreadableFileError`, exit 4)
    for anything that cannot be read; never anything else for a bad input."""
    shown = display_name(path)
    data = read_input(path, max_bytes=limits.max_file_bytes)
    fmt = sniff_bytes(data, shown)
    digest = hashlib.sha256(data).hexdigest()

    facts: dict[str, SheetFacts] = {}
    ordered: list[SheetFacts] = []
    if fmt in ("xlsx", "xlsm", "ods"):
        with open_zip(data, shown, max_members=limits.max_members) as zf:
            check_zip_bounds(zf, limits, shown)
            scan = scan_ods if fmt == "ods" else scan_ooxml
            facts = scan(zf, limits, shown)
    else:
        facts, ordered = scan_xls(data, limits, shown)
    with collector_paused():  # calamine builds one list per row (see gcpause.py)
        sheets = _read_values(data, fmt, shown, facts, ordered)
    if not sheets:
        # Excel cannot save a workbook without a sheet: this one is damaged.
        raise UnreadableFileError(
            "corrupt", _corrupt_message(shown, fmt, "không có sheet nào trong file")
        )
    return RawWorkbook(path=os.fspath(path), format=fmt, sha256=digest, sheets=sheets)


# ---------------------------------------------------------------------------------------------
# Zip bounds
# ---------------------------------------------------------------------------------------------


def _n(value: int) -> str:
    """An integer with Vietnamese thousands dots: 1.048.576."""
    return f"{value:,}".replace(",", ".")


def _too_big(shown: str, detail: str) -> UnreadableFileError:
    return UnreadableFileError(
        "too-large",
        f"File \"{shown}\" quá lớn hoặc bị nén bất thường ({detail}), nên không đọc để tránh treo "
        "máy. Bảng điểm của khoa/phòng chỉ cần vài nghìn dòng: hãy kiểm tra lại có chọn nhầm "
        "file không, hoặc mở bằng Excel, xoá các dòng/cột/sheet thừa rồi lưu lại thành .xlsx.",
    )


def check_zip_bounds(zf: zipfile.ZipFile, limits: Limits, shown: str) -> None:
    """Refuse a zip whose directory announces too much data or an absurd compression ratio.

    Parts this module reads itself are also read through a size cap; zipfile stops at the
    declared size and checks the CRC, so a directory that lies is caught as corruption."""
    infos = zf.infolist()
    if len(infos) > limits.max_members:
        raise _too_big(shown, f"{_n(len(infos))} phần trong file nén")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > limits.ratio_min_bytes and (
            info.file_size > limits.max_ratio * max(info.compress_size, 1)
        ):
            ratio = info.file_size / max(info.compress_size, 1)
            raise _too_big(shown, f"phần \"{info.filename}\" nén với tỉ lệ {_n(round(ratio))}:1")
    if total > limits.max_uncompressed_bytes:
        raise _too_big(
            shown,
            f"giải nén ra {_n(round(total / 1e6))} MB, giới hạn "
            f"{_n(round(limits.max_uncompressed_bytes / 1e6))} MB",
        )


_CHUNK = 1 << 20  # bytes inflated at a time: zipfile inflates a whole read(n) before cutting it


class _Inflated:
    """The bytes inflated so far from one workbook, against ``max_uncompressed_bytes``: counted
    as they come out of the decompressor, whatever the zip directory declared."""

    def __init__(self, limits: Limits) -> None:
        self.limit = limits.max_uncompressed_bytes
        self.left = self.limit

    def spend(self, n: int, shown: str) -> None:
        self.left -= n
        if self.left < 0:
            raise _too_big(shown, f"giải nén ra hơn {_n(round(self.limit / 1e6))} MB")


def _read_part(
    zf: zipfile.ZipFile, name: str, cap: int, shown: str, budget: _Inflated | None = None
) -> bytes:
    """A whole zip member, at most ``cap`` bytes (a larger one is refused, never cut), inflated
    a megabyte at a time so that a member larger than its directory says stops at the cap
    instead of being inflated whole first (2.1 GB from a 2.6 MB file)."""
    chunks: list[bytes] = []
    size = 0
    try:
        with zf.open(name) as fh:
            while chunk := fh.read(_CHUNK):
                size += len(chunk)
                if size > cap:
                    raise _too_big(shown, f"phần \"{name}\" lớn hơn {_n(round(cap / 1e6))} MB")
                if budget is not None:
                    budget.spend(len(chunk), shown)
                chunks.append(chunk)
    except KeyError as exc:
        raise UnreadableFileError(
            "corrupt-zip",
            f"File \"{shown}\" thiếu phần \"{name}\" của bảng tính nên không đọc được. "
            f"{SAVE_AS_XLSX}",
        ) from exc
    except ZIP_ERRORS as exc:
        raise UnreadableFileError("corrupt-zip", corrupt_zip_message(shown)) from exc
    return b"".join(chunks)


def _verify_part(
    zf: zipfile.ZipFile, name: str, shown: str, budget: _Inflated, *, look_for: bytes = b""
) -> tuple[bytes, bool]:
    """Inflate a member to check its CRC and declared size, without keeping it. Returns its
    first 64 KB and whether ``look_for`` occurs anywhere in it."""
    found = False
    try:
        with zf.open(name) as fh:
            head = fh.read(1 << 16)
            budget.spend(len(head), shown)
            found = bool(look_for) and look_for in head
            tail = head[-len(look_for):] if look_for else b""
            while chunk := fh.read(_CHUNK):
                budget.spend(len(chunk), shown)
                if look_for and not found:
                    found = look_for in tail + chunk
                    tail = chunk[-len(look_for):]
    except ZIP_ERRORS as exc:
        raise UnreadableFileError("corrupt-zip", corrupt_zip_message(shown)) from exc
    return head, found


_COUNT_ATTR = re.compile(rb"\b[A-Za-z]*[cC]ount\s*=\s*[\"']\s*([0-9]{1,30})")


def _check_counts(data: bytes, size: int, part: str, shown: str, lo: int = 0,
                  hi: int | None = None) -> None:
    """Refuse counts (``count``, ``uniqueCount`` …) larger than the part itself could hold.

    calamine reserves memory for announced counts before reading: a damaged
    ``uniqueCount="102147483648"`` would make it abort the whole process."""
    for m in _COUNT_ATTR.finditer(data, lo, len(data) if hi is None else hi):
        if int(m.group(1)) > size + 16:
            raise UnreadableFileError(
                "corrupt",
                _corrupt_message(shown, "xlsx", f"số lượng khai báo sai trong \"{part}\""),
            )


def _parse_xml(data: bytes, part: str, shown: str) -> ET.Element:
    # OOXML and ODF never carry a DTD; refusing one removes entity-expansion tricks entirely.
    # LookupError: an unknown encoding named in the XML declaration.
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise _corrupt_part(shown, part)
    try:
        return ET.fromstring(data)
    except (ET.ParseError, ValueError, UnicodeError, LookupError) as exc:
        raise _corrupt_part(shown, part) from exc


def _corrupt_part(shown: str, part: str) -> UnreadableFileError:
    return UnreadableFileError(
        "corrupt-xml",
        f"File \"{shown}\" bị hỏng: phần \"{part}\" bên trong không đúng định dạng XML. Hãy mở "
        "bằng Excel (Excel thường tự sửa được) rồi lưu lại thành một file .xlsx mới.",
    )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


# ---------------------------------------------------------------------------------------------
# xlsx / xlsm: workbook, relationships, styles
# ---------------------------------------------------------------------------------------------


@dataclass
class _StyleFlags:
    struck: set[int] = field(default_factory=set)  # cellXfs indices whose font is struck
    legacy: dict[int, str] = field(default_factory=dict)  # cellXfs index → legacy font name
    struck_strings: set[int] = field(default_factory=set)  # shared strings struck as rich text


def _inside(tag: bytes) -> bytes:
    """A regex for the content of an element ``tag`` up to its own end tag, linear whatever the
    file holds: it never runs past the next start or end of the same element, and the atomic
    group gives back nothing. A lazy ``(.*?)</tag>`` searched to the end of the part for every
    element closed another legal way (``</c >``): quadratic, 37 s for 10,000 cells."""
    return rb"((?>(?:[^<]+|<(?!/?" + tag + rb"[\s>/]))*))"


def _element(tag: bytes) -> re.Pattern[bytes]:
    """``<tag …/>`` (group 1 is None) or ``<tag …>content</tag >`` (content in group 1)."""
    return re.compile(rb"<" + tag + rb"(?=[\s>/])[^>]*?(?:/>|>" + _inside(tag) + rb"</" + tag
                      + rb"\s*>)")


_SI = _element(rb"(?:[\w.-]+:)?si")
_RUN = _element(rb"(?:[\w.-]+:)?r")
_RUN_TEXT = re.compile(rb"<(?:[\w.-]+:)?t\b[^>]*>([^<]*)</(?:[\w.-]+:)?t\s*>")
_STRIKE_ON = re.compile(rb"<(?:[\w.-]+:)?strike\b(?![^>]*\bval\s*=\s*[\"'](?:0|false)[\"'])")


def struck_shared_strings(data: bytes) -> set[int]:
    """Indices of the shared strings whose visible text is struck through entirely (every rich
    text run holding non-blank text has a strike). A partly struck text is not reported."""
    out: set[int] = set()
    for index, si in enumerate(_SI.finditer(data)):
        body = si.group(1) or b""
        if b"strike" not in body:
            continue
        runs = [
            (bool(_STRIKE_ON.search(run.group(1) or b"")),
             b"".join(_RUN_TEXT.findall(run.group(1) or b"")).strip())
            for run in _RUN.finditer(body)
        ]
        texts = [struck for struck, text in runs if text]
        if texts and all(texts):
            out.add(index)
    return out


def is_legacy_font(name: str) -> bool:
    """TCVN3 (ABC) fonts are named ".Vn…" (.VnTime, .VnArial, .VnTimeH); VNI fonts "VNI-…";
    "VNtimes new roman" is an old TCVN3 font too (locale.md, legacy encodings)."""
    low = name.strip().lower()
    return low.startswith((".vn", "vni-", "vni ", "vntimes new roman"))


def _rels_targets(data: bytes, base_dir: str, part: str, shown: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (type, resolved part name)."""
    root = _parse_xml(data, part, shown)
    out: dict[str, tuple[str, str]] = {}
    for el in root:
        if _local(el.tag) != "Relationship":
            continue
        rid, target = el.get("Id"), el.get("Target")
        if not rid or not target or el.get("TargetMode") == "External":
            continue
        if target.startswith("/"):
            resolved = target.lstrip("/")
        elif base_dir == "xl" and target.startswith("xl/"):
            resolved = target  # what calamine (and some writers) mean by it
        else:
            resolved = _normpath(f"{base_dir}/{target}")
        out[rid] = (el.get("Type") or "", resolved)
    return out


def _normpath(p: str) -> str:
    parts: list[str] = []
    for seg in PurePosixPath(p).parts:
        if seg == "..":
            if parts:
                parts.pop()
        elif seg not in (".", ""):
            parts.append(seg)
    return "/".join(parts)


def _styles(data: bytes, shown: str, part: str) -> _StyleFlags:
    root = _parse_xml(data, part, shown)
    fonts: list[tuple[bool, str | None]] = []
    xf_fonts: list[int] = []
    for el in root:
        tag = _local(el.tag)
        if tag == "fonts":
            for font in el:
                struck, legacy = False, None
                for prop in font:
                    ptag = _local(prop.tag)
                    if ptag == "strike":
                        struck = (prop.get("val") or "1").lower() not in ("0", "false")
                    elif ptag == "name":
                        name = prop.get("val") or ""
                        if is_legacy_font(name):
                            legacy = unicodedata.normalize("NFC", name)
                fonts.append((struck, legacy))
        elif tag == "cellXfs":
            for xf in el:
                try:
                    xf_fonts.append(int(xf.get("fontId") or 0))
                except ValueError:
                    xf_fonts.append(0)
    flags = _StyleFlags()
    for i, font_id in enumerate(xf_fonts):
        if 0 <= font_id < len(fonts):
            struck, legacy = fonts[font_id]
            if struck:
                flags.struck.add(i)
            if legacy:
                flags.legacy[i] = legacy
    return flags


def scan_ooxml(
    zf: zipfile.ZipFile,
    limits: Limits,
    shown: str,
) -> dict[str, SheetFacts]:
    """Facts of every worksheet, keyed by the sheet name exactly as in ``xl/workbook.xml``."""
    names = set(zf.namelist())
    # Writers differ in case and slashes of part names; resolve targets leniently.
    by_lower = {n.replace("\\", "/").lower(): n for n in names}

    def member(target: str | None) -> str | None:
        if not target:
            return None
        return target if target in names else by_lower.get(target.lower())

    inflated = _Inflated(limits)
    wb_xml = _read_part(zf, "xl/workbook.xml", limits.max_meta_bytes, shown, inflated)
    _check_counts(wb_xml, len(wb_xml), "xl/workbook.xml", shown)
    rels: dict[str, tuple[str, str]] = {}
    rels_name = member("xl/_rels/workbook.xml.rels")
    if rels_name:
        rels_xml = _read_part(zf, rels_name, limits.max_meta_bytes, shown, inflated)
        rels = _rels_targets(rels_xml, "xl", rels_name, shown)
    root = _parse_xml(wb_xml, "xl/workbook.xml", shown)
    sheets: list[tuple[str, str, str | None]] = []
    for el in root.iter():
        if _local(el.tag) != "sheet":
            continue
        rid = next((v for k, v in el.attrib.items() if _local(k) == "id" and "relationships"
                    in k), None)
        typ, target = rels.get(rid or "", ("", ""))
        sheets.append((el.get("name") or "", typ, member(target)))

    styles_part = member(next((t for typ, t in rels.values() if typ.endswith("/styles")), None))
    styles_part = styles_part or member("xl/styles.xml")
    flags = _StyleFlags()
    if styles_part:
        styles_xml = _read_part(zf, styles_part, limits.max_meta_bytes, shown, inflated)
        _check_counts(styles_xml, len(styles_xml), styles_part, shown)
        flags = _styles(styles_xml, shown, styles_part)

    # calamine inflates the shared strings itself: check them first (declared size and CRC).
    shared = {member(t) for typ, t in rels.values() if typ.endswith("/sharedStrings")}
    for ss in sorted(p for p in shared | {member("xl/sharedStrings.xml")} if p):
        head, has_strike = _verify_part(zf, ss, shown, inflated, look_for=b"strike")
        _check_counts(head, zf.getinfo(ss).file_size, ss, shown)
        if has_strike:
            # Text struck through in edit mode is stored as rich text in the shared strings.
            # Counted once, by the check above.
            whole = _read_part(zf, ss, limits.max_uncompressed_bytes, shown)
            flags.struck_strings |= struck_shared_strings(whole)

    out: dict[str, SheetFacts] = {}
    scanned: set[str] = set()
    cells = _CellBudget(limits, shown)
    for name, typ, part in sheets:
        if not part or part in scanned:
            continue
        scanned.add(part)
        data = _read_part(zf, part, limits.max_uncompressed_bytes, shown, inflated)
        facts = scan_sheet_xml(data, flags, shown=shown, part=part, max_cells=limits.max_cells)
        cells.add(facts, unicodedata.normalize("NFC", name))
        if not typ.endswith(("/chartsheet", "/dialogsheet")):
            out[name] = facts
    # Safety net: any other sheet-like part calamine might open is bounded too.
    for part in sorted(names - scanned):
        low = part.lower()
        if low.endswith(".xml") and "sheet" in low.rsplit("/", 1)[-1] and low.startswith("xl/"):
            data = _read_part(zf, part, limits.max_uncompressed_bytes, shown, inflated)
            facts = scan_sheet_xml(data, flags, shown=shown, part=part, max_cells=limits.max_cells)
            _check_extent(facts, limits, shown, part)
    return out


# ---------------------------------------------------------------------------------------------
# xlsx / xlsm: one sheet's XML
# ---------------------------------------------------------------------------------------------

_Q = rb"[\"']"  # attribute values may be quoted either way
_ATTR_R_CELL = re.compile(rb"\sr\s*=\s*" + _Q + rb"([A-Za-z]{1,3})([0-9]{1,7})" + _Q)
_ATTR_R_ROW = re.compile(rb"\sr\s*=\s*" + _Q + rb"([0-9]{1,7})" + _Q)
_ATTR_T = re.compile(rb"\st\s*=\s*" + _Q + rb"([A-Za-z]*)" + _Q)
_ATTR_S = re.compile(rb"\ss\s*=\s*" + _Q + rb"([0-9]+)" + _Q)
_ATTR_SI = re.compile(rb"\ssi\s*=\s*" + _Q + rb"([0-9]+)" + _Q)
_PREFIX = re.compile(rb"<([A-Za-z_][\w.-]*:)?sheetData[\s>/]")


@dataclass(frozen=True)
class _SheetRegexes:
    error_cell: re.Pattern[bytes]
    value: re.Pattern[bytes]
    formula_no_value: re.Pattern[bytes]
    cell_open: re.Pattern[bytes]
    hidden_row: re.Pattern[bytes]
    content_cell: re.Pattern[bytes]
    cell_ref: re.Pattern[bytes]
    content_cell_ref: re.Pattern[bytes]
    prefix: bytes


_REGEX_CACHE: dict[bytes, _SheetRegexes] = {}


def _regexes(prefix: bytes) -> _SheetRegexes:
    cached = _REGEX_CACHE.get(prefix)
    if cached:
        return cached
    p = re.escape(prefix)
    c, f, v, row = p + rb"c", p + rb"f", p + rb"v", p + rb"row"
    rx = _SheetRegexes(
        # A cell whose type is "e": its <v> holds the cached error ("#DIV/0!").
        error_cell=re.compile(
            rb"<" + c + rb"(\s[^>]*?\st\s*=\s*" + _Q + rb"e" + _Q + rb"[^>]*?)(?<!/)>"
            + _inside(c) + rb"</" + c + rb"\s*>"
        ),
        value=re.compile(rb"<" + v + rb"(?:\s[^>]*)?>([^<]*)</" + v + rb"\s*>"),
        # A formula not followed by a non-empty cached value (only such cells match, so a
        # sheet full of SUM formulas with values costs one regex pass and no Python loop).
        formula_no_value=re.compile(
            rb"<" + f + rb"(\s[^>]*?)?(?:/>|>([^<]*)</" + f + rb"\s*>)(?!\s*<" + v
            + rb"(?:\s[^>]*)?>[^<]+</" + v + rb"\s*>)\s*(<" + v + rb"(?:\s[^>]*?)?(?:/>|>\s*</"
            + v + rb"\s*>))?"
        ),
        cell_open=re.compile(rb"<" + c + rb"(\s[^>]*?)(?<!/)>"),
        hidden_row=re.compile(
            rb"<" + row + rb"(\s[^>]*?\shidden\s*=\s*" + _Q + rb"(?:1|true)" + _Q + rb"[^>]*)>"
        ),
        content_cell=re.compile(rb"<" + c + rb"(\s[^>]*?)(?<!/)>"),
        cell_ref=re.compile(rb"<" + c + rb"\s[^>]*?\br\s*=\s*" + _Q + rb"([A-Za-z]{1,3})([0-9]{1,7})"),
        content_cell_ref=re.compile(
            rb"<" + c + rb"(?=\s)[^>]*?\sr\s*=\s*" + _Q + rb"([A-Za-z]{1,3})([0-9]{1,7})" + _Q
            + rb"[^>]*(?<!/)>"
        ),
        prefix=prefix,
    )
    _REGEX_CACHE[prefix] = rx
    return rx


def col_index(letters: bytes | str) -> int:
    """"A" → 1, "Z" → 26, "AA" → 27, "XFD" → 16384."""
    if isinstance(letters, str):
        letters = letters.encode("ascii")
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ch - 64)
    return n


def col_letters(col: int) -> str:
    out = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def _cell_ref(attrs: bytes) -> Cell | None:
    m = _ATTR_R_CELL.search(attrs)
    if not m:
        return None
    return int(m.group(2)), col_index(m.group(1))


def _attr_t(attrs: bytes) -> str:
    m = _ATTR_T.search(attrs)
    return m.group(1).decode("ascii") if m else "n"


def _formula_text(text: bytes | None) -> str:
    return "=" + html.unescape(text.decode("utf-8", errors="replace")) if text else ""


SHARED_FORMULA = "(công thức dùng chung)"


def scan_sheet_xml(
    data: bytes,
    flags: _StyleFlags | None = None,
    *,
    shown: str = "",
    part: str = "",
    max_cells: int = DEFAULT_LIMITS.max_cells,
) -> SheetFacts:
    """The facts of one worksheet part. Uses byte regexes when every row and cell carries its
    ``r`` reference (what Excel, LibreOffice, openpyxl and XlsxWriter write); otherwise walks
    the XML with ElementTree, counting positions the way calamine does."""
    flags = flags or _StyleFlags()
    m = _PREFIX.search(data)
    if not m:
        return SheetFacts()
    rx = _regexes(m.group(1) or b"")
    lo = m.start()
    hi = data.rfind(b"</" + rx.prefix + b"sheetData>")
    hi = len(data) if hi < lo else hi
    # Counts (mergeCells, hyperlinks …) live outside sheetData: cheap to check there.
    _check_counts(data, len(data), part, shown, 0, lo)
    _check_counts(data, len(data), part, shown, hi)
    # One pass finds the first cell that either has no reference (then the exact tree walk
    # takes over) or lies beyond the extent hint (then the exact extent is computed).
    hint = _extent_hint(data, rx, lo, hi)
    unusual = _first_unusual_cell(data, rx, lo, hi, hint)
    if unusual == "no-ref" or (unusual == "beyond" and not _all_refs_present(data, rx, lo, hi)):
        return _scan_sheet_tree(data, flags, shown=shown, part=part)
    # No entity is ever expanded on this path (regexes read the raw bytes), so a DTD is inert.
    facts = SheetFacts()

    # Cached errors: a cell of type "e" (skipped at the cost of one substring search when the
    # sheet has none, the common case; single quotes are rare, and one byte is found at memchr
    # speed, a short pattern is not).
    if data.find(b'"e"', lo, hi) >= 0 or (
        data.find(b"'", lo, hi) >= 0 and data.find(b"'e'", lo, hi) >= 0
    ):
        for em in rx.error_cell.finditer(data, lo, hi):
            ref = _cell_ref(em.group(1))
            vm = rx.value.search(em.group(2))
            if ref and vm and vm.group(1).strip():
                facts.errors[ref] = html.unescape(vm.group(1).decode("utf-8", "replace")).strip()

    # Formulas without a cached value: the regex starts at <f> and only matches a formula not
    # followed by a non-empty <v>, so a sheet full of SUMs with values costs one pass.
    shared: dict[bytes, str] = {}
    for fm in rx.formula_no_value.finditer(data, lo, hi):
        # The formula's own cell is the last cell opened before it.
        cm = None
        for cm in rx.cell_open.finditer(data, max(lo, fm.start() - 4096), fm.start()):  # noqa: B007
            pass
        if cm is None:
            continue
        attrs = cm.group(1)
        ref = _cell_ref(attrs)
        if ref is None or ref in facts.errors:
            continue
        if fm.group(3) is not None and _attr_t(attrs) == "str":
            continue  # a text formula whose cached value is "" (=IF(…;"";…)): it has a value
        facts.formulas_without_value[ref] = _formula_or_shared(data, rx, fm, shared)

    if data.find(b"hidden", lo, hi) >= 0:
        for hm in rx.hidden_row.finditer(data, lo, hi):
            rm = _ATTR_R_ROW.search(hm.group(1))
            if rm:
                facts.hidden_rows.add(int(rm.group(1)))
            elif not hm.group(0).endswith(b"/>"):
                # A row without its number: the first cell's reference tells it.
                first = rx.cell_ref.search(data, hm.end(), min(hi, hm.end() + 4096))
                if first:
                    facts.hidden_rows.add(int(first.group(2)))

    if flags.struck or flags.legacy:
        _scan_styles_fast(data, rx, flags, facts)
    if flags.struck_strings:
        _scan_struck_strings(data, rx, lo, hi, flags.struck_strings, facts)

    facts.max_row, facts.max_col = hint
    if unusual == "beyond" or hint[0] * hint[1] > max_cells:
        facts.max_row, facts.max_col = _exact_extent(data, rx)
    return facts


def _all_refs_present(data: bytes, rx: _SheetRegexes, lo: int, hi: int) -> bool:
    """True when every cell of sheetData starts ``<c r="`` (Excel, LibreOffice, openpyxl and
    XlsxWriter all write that): then regexes read exact coordinates from the references.

    Inside sheetData the only elements starting with "<c" are cells, so two substring counts
    (about 60 ms each on 100 MB) decide it; anything else takes the exact tree walk. Rows need
    no reference: cells carry their own."""
    p = rx.prefix
    return data.count(b"<" + p + b"c", lo, hi) == data.count(b"<" + p + b'c r="', lo, hi)


def _formula_or_shared(
    data: bytes, rx: _SheetRegexes, fm: re.Match[bytes], shared: dict[bytes, str]
) -> str:
    text = fm.group(2)
    if text and text.strip():
        return _formula_text(text)
    sim = _ATTR_SI.search(fm.group(1) or b"")
    if not sim:
        return SHARED_FORMULA if b"shared" in (fm.group(1) or b"") else "="
    if not shared:
        # Every master in one pass, the first time one is needed: searching the sheet once per
        # missing master was quadratic (each child of a lost master searched it all again).
        f = re.escape(rx.prefix) + rb"f"
        masters = re.compile(rb"<" + f + rb"\s[^>]*?\ssi\s*=\s*" + _Q + rb"([0-9]+)" + _Q
                             + rb"[^>]*?(?<!/)>([^<]+)</" + f + rb"\s*>")
        for mm in masters.finditer(data):
            shared.setdefault(mm.group(1), f"{_formula_text(mm.group(2))} {SHARED_FORMULA}")
        shared[b""] = ""  # marks the pass as done
    return shared.get(sim.group(1), SHARED_FORMULA)


def _scan_styles_fast(data: bytes, rx: _SheetRegexes, flags: _StyleFlags, facts: SheetFacts) -> None:
    """Cells (with content) whose style is struck or in a legacy font. Only flagged styles are
    matched, so the cost is one regex pass plus a loop over those cells — unless the default
    style (index 0, used by cells without ``s``) is flagged, which needs every cell."""
    flagged = set(flags.struck) | set(flags.legacy)
    if 0 in flagged:
        matches: Iterator[re.Match[bytes]] = rx.content_cell.finditer(data)
    else:
        pat = re.compile(
            rb"<" + re.escape(rx.prefix) + rb"c(?=\s[^>]*?\ss\s*=\s*" + _Q + _one_of(flagged)
            + _Q + rb")(\s[^>]*?)(?<!/)>"
        )
        matches = pat.finditer(data)
    for cm in matches:
        attrs = cm.group(1)
        sm = _ATTR_S.search(attrs)
        style = int(sm.group(1)) if sm else 0
        if style not in flagged:
            continue
        ref = _cell_ref(attrs)
        if ref is None:
            continue
        _flag_cell(ref, style, _attr_t(attrs), flags, facts)


def _scan_struck_strings(
    data: bytes, rx: _SheetRegexes, lo: int, hi: int, indices: set[int], facts: SheetFacts
) -> None:
    """Cells showing a shared string that is struck through as rich text."""
    p = re.escape(rx.prefix)
    pat = re.compile(
        rb"<" + p + rb"c(\s[^>]*?\bt\s*=\s*" + _Q + rb"s" + _Q + rb"[^>]*?)(?<!/)>\s*<" + p
        + rb"v>(" + _one_of(indices) + rb")</" + p + rb"v\s*>"
    )
    for m in pat.finditer(data, lo, hi):
        ref = _cell_ref(m.group(1))
        if ref and int(m.group(2)) in indices:
            facts.struck_cells.add(ref)


def _one_of(numbers: set[int]) -> bytes:
    """A regex for the decimal numbers in ``numbers``: their alternation when few, else any
    number (the caller checks membership). An alternation is tried one branch after another
    at every cell: 50,000 struck styles or shared strings made each cell cost 50,000 tries."""
    if len(numbers) > 64:
        return rb"[0-9]+"
    return rb"(?:" + b"|".join(str(i).encode() for i in sorted(numbers)) + rb")"


def _flag_cell(ref: Cell, style: int, t: str, flags: _StyleFlags, facts: SheetFacts) -> None:
    if style in flags.struck:
        facts.struck_cells.add(ref)
    legacy = flags.legacy.get(style)
    # Only text can be mis-encoded; a number in .VnTime is still a number.
    if legacy and t in ("s", "inlineStr", "str"):
        facts.legacy_fonts[ref] = legacy


_DIMENSION = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?dimension\s[^>]*?ref\s*=\s*" + _Q + rb"(?:[A-Za-z]{1,3}[0-9]{1,7}:)?"
    rb"([A-Za-z]{1,3})([0-9]{1,7})" + _Q
)
_ROW_R = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row\s[^>]*?\br\s*=\s*" + _Q + rb"([0-9]{1,7})" + _Q)


def _extent_hint(data: bytes, rx: _SheetRegexes, lo: int, hi: int) -> tuple[int, int]:
    """(max row, max column) the sheet claims: its ``<dimension>``, or without one the row
    numbers and the widest column letters. Only a hint: :func:`_first_unusual_cell` checks it."""
    dm = _DIMENSION.search(data, 0, lo)
    if dm:
        return int(dm.group(2)), col_index(dm.group(1))
    rows = _ROW_R.findall(data, lo, hi)
    max_row = max((int(x) for x in set(rows)), default=0)
    cell = b"<" + re.escape(rx.prefix) + b'c r="'
    for letters in (3, 2, 1):
        pat = re.compile(cell + rb"([A-Za-z]{" + str(letters).encode() + rb"})[0-9]")
        found = pat.findall(data, lo, hi)
        if found:
            return max_row, max(col_index(x) for x in set(found))
    return max_row, 0


def _first_unusual_cell(
    data: bytes, rx: _SheetRegexes, lo: int, hi: int, hint: tuple[int, int]
) -> str | None:
    """"no-ref" if the first unusual cell has no leading ``r="…"``, "beyond" if it lies right
    of or below ``hint``, None if every cell is a plain ``<c r="…">`` inside the hint.

    Two passes with the literal "<c" as prefix. The first only skips the cells that are
    plainly inside the hint (fewer letters or digits than its corner, or a smaller first one:
    0.08 s of CPU for 2.9 million cells); the exact test (alternatives for "greater than",
    0.24 s for the same cells) starts at the first other cell, which is normally in the last
    rows, as writers put rows in order."""
    cell = b"<" + re.escape(rx.prefix) + b"c"
    start = lo
    plain = _plainly_inside(hint)
    if plain is not None:
        first = re.compile(cell + rb'(?! r="' + plain + rb'")').search(data, lo, hi)
        if first is None:
            return None
        start = first.start()
    pat = re.compile(
        cell + rb'(?: r="(?:[A-Za-z]{1,3}' + _gt_digits(hint[0]) + rb'"|' + _gt_letters(hint[1])
        + rb'[0-9])|(?! r="))'
    )
    m = pat.search(data, start, hi)
    if m is None:
        return None
    return "beyond" if data.startswith(b' r="', m.start() + len(cell)) else "no-ref"


def _plainly_inside(hint: tuple[int, int]) -> bytes | None:
    """A regex for cell references certainly inside ``hint`` (uppercase letters, then digits):
    fewer letters than the corner's column, or as many and not greater; fewer digits than its
    row, or as many with a smaller first digit. None when the hint is too small to bother."""
    max_row, max_col = hint
    if max_row < 10 or max_col < 1:
        return None
    letters = col_letters(max_col).encode()
    inside: list[bytes] = []
    if len(letters) > 1:
        inside.append(b"[A-Z]{1,%d}+" % (len(letters) - 1))
    for i in range(len(letters)):  # same length: a smaller letter at i, equal before it
        if letters[i] > ord("A"):
            inside.append(letters[:i] + b"[A-%c]" % (letters[i] - 1)
                          + (b"[A-Z]{%d}" % (len(letters) - i - 1) if i < len(letters) - 1
                             else b""))
    inside.append(letters)
    digits = str(max_row).encode()
    rows = [b"[0-9]{1,%d}+" % (len(digits) - 1)]
    if digits[0] > ord("1"):
        rows.append(b"[1-%c][0-9]{%d}" % (digits[0] - 1, len(digits) - 1))
    return b"(?:" + b"|".join(inside) + b")(?:" + b"|".join(rows) + b")"


def _gt_digits(n: int) -> bytes:
    """A regex matching the decimal strings (up to 7 digits) of the numbers greater than n."""
    s = str(max(n, 0))
    alts = [rb"[0-9]{" + str(len(s) + 1).encode() + rb",7}"] if len(s) < 7 else []
    for i, ch in enumerate(s):
        if ch != "9":
            rest = len(s) - i - 1
            alts.append(
                s[:i].encode() + f"[{int(ch) + 1}-9]".encode()
                + (f"[0-9]{{{rest}}}".encode() if rest else b"")
            )
    return b"(?:" + b"|".join(alts) + b")" if alts else b"(?!)"


def _gt_letters(col: int) -> bytes:
    """A regex matching the column letters (either case) of the columns right of ``col``."""
    letters = col_letters(col)
    alts = [rb"[A-Za-z]{" + str(len(letters) + 1).encode() + rb",3}"] if len(letters) < 3 else []
    for i, ch in enumerate(letters):
        if ch != "Z":
            nxt = chr(ord(ch) + 1)
            rest = len(letters) - i - 1
            prefix = "".join(f"[{c}{c.lower()}]" for c in letters[:i])
            alts.append(
                (prefix + f"[{nxt}-Z{nxt.lower()}-z]" + (f"[A-Za-z]{{{rest}}}" if rest else ""))
                .encode()
            )
    return b"(?:" + b"|".join(alts) + b")" if alts else b"(?!)"


def _exact_extent(data: bytes, rx: _SheetRegexes) -> tuple[int, int]:
    """The exact extent of cells with content (only run when the cheap bound is too large)."""
    max_row = max_col = 0
    for letters, digits in set(rx.content_cell_ref.findall(data)):
        max_row = max(max_row, int(digits))
        max_col = max(max_col, col_index(letters))
    return max_row, max_col


class _CellBudget:
    """The cells the sheets checked so far will take (each sheet's rectangle): one workbook of
    many sheets, each under ``max_cells``, is bounded as a whole."""

    def __init__(self, limits: Limits, shown: str) -> None:
        self.limits, self.shown, self.total = limits, shown, 0

    def add(self, facts: SheetFacts, sheet: str) -> None:
        _check_extent(facts, self.limits, self.shown, sheet)
        self.total += facts.max_row * facts.max_col
        if self.total > self.limits.max_total_cells:
            raise UnreadableFileError(
                "too-many-cells",
                f"File \"{self.shown}\" có quá nhiều ô (các sheet tới sheet \"{sheet}\" đã "
                f"khoảng {_n(self.total)} ô, giới hạn {_n(self.limits.max_total_cells)}), quá "
                "lớn để đọc. Hãy mở bằng Excel, xoá các sheet và dòng/cột thừa rồi lưu lại, "
                "hoặc tách thành nhiều file.",
            )


def _check_extent(facts: SheetFacts, limits: Limits, shown: str, sheet: str) -> None:
    area = facts.max_row * facts.max_col
    if area <= limits.max_cells:
        return
    raise UnreadableFileError(
        "too-many-cells",
        f"Sheet \"{sheet}\" của file \"{shown}\" có dữ liệu trải tới dòng {_n(facts.max_row)} "
        f"và cột {col_letters(facts.max_col)} (khoảng {_n(area)} ô), quá lớn để đọc. Thường là "
        "do có ô bị gõ nhầm hoặc định dạng thừa ở rất xa bảng: hãy mở bằng Excel, nhấn Ctrl+End "
        "để tìm ô cuối, xoá các dòng/cột thừa bên dưới và bên phải bảng rồi lưu lại.",
    )


def _scan_sheet_tree(data: bytes, flags: _StyleFlags, *, shown: str, part: str) -> SheetFacts:
    """Exact walk for writers that omit ``r`` on rows or cells: a row without ``r`` follows the
    previous row, a cell without ``r`` follows the previous cell of its row (as calamine)."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise _corrupt_part(shown, part)
    facts = SheetFacts()
    flagged = set(flags.struck) | set(flags.legacy)
    row = 0
    col = 0
    shared: dict[str, str] = {}
    pending: list[tuple[Cell, str]] = []  # shared-formula children whose master comes later
    try:
        for event, el in ET.iterparse(io.BytesIO(data), events=("start", "end")):
            tag = _local(el.tag)
            if event == "start":
                if tag == "row":
                    r = el.get("r")
                    row = int(r) if r and r.isdigit() else row + 1
                    col = 0
                    if (el.get("hidden") or "").lower() in ("1", "true"):
                        facts.hidden_rows.add(row)
                continue
            if tag == "c":
                ref_attr = el.get("r")
                m = re.fullmatch(r"([A-Za-z]{1,3})([0-9]{1,7})", ref_attr or "")
                cell = (int(m.group(2)), col_index(m.group(1))) if m else (row, col + 1)
                row, col = cell[0], cell[1]
                _tree_cell(el, cell, facts, flags, flagged, shared, pending)
                el.clear()
            elif tag == "row":
                el.clear()
    except (ET.ParseError, ValueError, UnicodeError, LookupError) as exc:
        raise _corrupt_part(shown, part) from exc
    for cell, si in pending:
        master = shared.get(si)
        facts.formulas_without_value[cell] = (
            f"{master} {SHARED_FORMULA}" if master else SHARED_FORMULA
        )
    return facts


def _tree_cell(
    el: ET.Element,
    cell: Cell,
    facts: SheetFacts,
    flags: _StyleFlags,
    flagged: set[int],
    shared: dict[str, str],
    pending: list[tuple[Cell, str]],
) -> None:
    t = el.get("t") or "n"
    f_el = v_el = None
    has_content = False
    for child in el:
        has_content = True
        ctag = _local(child.tag)
        if ctag == "f":
            f_el = child
        elif ctag == "v":
            v_el = child
    if has_content:
        facts.max_row = max(facts.max_row, cell[0])
        facts.max_col = max(facts.max_col, cell[1])
    vtext = (v_el.text or "") if v_el is not None else ""
    if f_el is not None:
        ftext = f_el.text or ""
        if f_el.get("t") == "shared" and f_el.get("si") is not None and ftext.strip():
            shared[f_el.get("si") or ""] = "=" + ftext
    if t == "e" and vtext.strip():
        facts.errors[cell] = vtext.strip()
    elif f_el is not None and not vtext and not (v_el is not None and t == "str"):
        ftext = f_el.text or ""
        if ftext.strip():
            facts.formulas_without_value[cell] = "=" + ftext
        elif f_el.get("si") is not None:
            pending.append((cell, f_el.get("si") or ""))
        else:
            facts.formulas_without_value[cell] = SHARED_FORMULA
    if flagged and has_content:
        try:
            style = int(el.get("s") or 0)
        except ValueError:
            style = 0
        if style in flagged:
            _flag_cell(cell, style, t, flags, facts)
    if t == "s" and flags.struck_strings and vtext.strip().isdigit() and (
        int(vtext.strip()) in flags.struck_strings
    ):
        facts.struck_cells.add(cell)


# ---------------------------------------------------------------------------------------------
# ods: content.xml
# ---------------------------------------------------------------------------------------------

_ODS_TOKEN = re.compile(
    rb"<table:table(\s[^>]*)?>|</table:table>|<table:table-row(\s[^>]*?)?(/?)>|</table:table-row>"
    rb"|<table:(?:covered-)?table-cell(\s[^>]*?)?(/?)>"
)
_ODS_ATTR = re.compile(rb"([\w.-]+:[\w.-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_ODS_STYLE = re.compile(
    rb"<style:style\s([^>]*?)(?:/>|>" + _inside(rb"style:style") + rb"</style:style\s*>)"
)
_ODS_TEXT_P = _element(rb"text:p")
# Where the content of a cell certainly ends: the next cell or row starts or ends.
_ODS_CELL_EDGE = re.compile(rb"</?table:(?:covered-)?table-(?:cell|row)")
_TAGS = re.compile(rb"<[^>]*>")


def _ods_attrs(raw: bytes | None) -> dict[bytes, str]:
    if not raw:
        return {}
    return {
        m.group(1): html.unescape((m.group(2) if m.group(2) is not None else m.group(3) or b"")
                                  .decode("utf-8", "replace"))
        for m in _ODS_ATTR.finditer(raw)
    }


def _ods_int(value: str | None, default: int = 1) -> int:
    try:
        n = int(value) if value is not None else default
    except ValueError:
        return default
    return max(n, 1)


def _ods_styles(content: bytes) -> tuple[set[str], dict[str, str]]:
    """Automatic cell styles of content.xml that strike through or use a legacy font."""
    struck: set[str] = set()
    legacy: dict[str, str] = {}
    for sm in _ODS_STYLE.finditer(content):
        attrs = _ods_attrs(sm.group(1))
        name = attrs.get(b"style:name")
        if not name or attrs.get(b"style:family") != "table-cell":
            continue
        body = _ods_attrs(b" ".join(re.findall(rb"<style:text-properties\s([^>]*?)/?>",
                                               sm.group(2) or b"")))
        through = body.get(b"style:text-line-through-style", "none")
        if through and through != "none":
            struck.add(name)
        font = body.get(b"style:font-name") or body.get(b"fo:font-family") or ""
        if is_legacy_font(font.strip("'\"")):
            legacy[name] = unicodedata.normalize("NFC", font.strip("'\""))
    return struck, legacy


def scan_ods(zf: zipfile.ZipFile, limits: Limits, shown: str) -> dict[str, SheetFacts]:
    """Facts of every table of an .ods, keyed by its name: extent (checked before calamine
    expands repeated rows and cells), merged ranges, hidden rows, cached errors, formulas
    without a value, strike-through and legacy fonts (automatic styles only)."""
    content = _read_part(zf, "content.xml", limits.max_uncompressed_bytes, shown,
                         _Inflated(limits))
    if b"<!DOCTYPE" in content or b"<!ENTITY" in content:
        raise _corrupt_part(shown, "content.xml")
    struck_styles, legacy_styles = _ods_styles(content)
    out: dict[str, SheetFacts] = {}
    facts: SheetFacts | None = None
    cells = _CellBudget(limits, shown)
    copies = 0  # value cells made by repetition, in the whole file
    name = ""
    row = col = 0
    row_repeat = 1
    # Hidden row ranges, kept as ranges until the table ends: LibreOffice hides "all rows
    # below the table" as one row repeated a million times.
    hidden: list[tuple[int, int]] = []
    for tm in _ODS_TOKEN.finditer(content):
        tok = tm.group(0)
        if tok.startswith(b"<table:table-row"):
            if facts is None:
                continue
            attrs = _ods_attrs(tm.group(2))
            row_repeat = _ods_int(attrs.get(b"table:number-rows-repeated"))
            row += 1
            col = 0
            if attrs.get(b"table:visibility") in ("collapse", "filter"):
                hidden.append((row, row + row_repeat - 1))
            if tm.group(3):  # an empty self-closed row
                row += row_repeat - 1
                row_repeat = 1
        elif tok == b"</table:table-row>":
            row += row_repeat - 1
            row_repeat = 1
        elif tok.startswith(b"<table:table-cell") or tok.startswith(b"<table:covered"):
            if facts is None:
                continue
            attrs = _ods_attrs(tm.group(4))
            repeat = _ods_int(attrs.get(b"table:number-columns-repeated"))
            first = col + 1
            col += repeat
            if tok.startswith(b"<table:covered"):
                continue
            has_value = b"office:value-type" in (tm.group(4) or b"") or not tm.group(5)
            if not has_value:
                continue
            last_row = row + row_repeat - 1
            copies += row_repeat * repeat - 1
            if copies > limits.max_ods_repeated_cells:
                raise _too_many_copies(shown, unicodedata.normalize("NFC", name), row, limits)
            facts.max_row = max(facts.max_row, last_row)
            facts.max_col = max(facts.max_col, col)
            if facts.max_row * facts.max_col > limits.max_cells:
                _check_extent(facts, limits, shown, unicodedata.normalize("NFC", name))
            cell = (row, first)
            span_c = _ods_int(attrs.get(b"table:number-columns-spanned"))
            span_r = _ods_int(attrs.get(b"table:number-rows-spanned"))
            if (span_c > 1 or span_r > 1) and facts.merged is not None:
                facts.merged.append((row, first, row + span_r - 1, first + span_c - 1))
            vtype = attrs.get(b"calcext:value-type") or attrs.get(b"office:value-type")
            if vtype == "error" and not tm.group(5):
                edge = _ODS_CELL_EDGE.search(content, tm.end())
                pm = _ODS_TEXT_P.search(content, tm.end(), edge.start() if edge else len(content))
                text = _TAGS.sub(b"", pm.group(1) or b"") if pm else b"#VALUE!"
                facts.errors[cell] = html.unescape(text.decode("utf-8", "replace")).strip()
            elif attrs.get(b"table:formula") and not (attrs.get(b"office:value-type")):
                facts.formulas_without_value[cell] = (
                    "=" + attrs[b"table:formula"].split(":", 1)[-1].lstrip("=")
                )
            style = attrs.get(b"table:style-name")
            if style in struck_styles:
                facts.struck_cells.add(cell)
            if style in legacy_styles and vtype == "string":
                facts.legacy_fonts[cell] = legacy_styles[style]
        elif tok.startswith(b"<table:table"):
            _ods_end_table(facts, hidden, cells, name)
            attrs = _ods_attrs(tm.group(1))
            name = attrs.get(b"table:name", "")
            facts = SheetFacts(merged=[])
            out.setdefault(name, facts)
            row = col = 0
            row_repeat = 1
        elif tok == b"</table:table>":
            _ods_end_table(facts, hidden, cells, name)
            facts = None
    _ods_end_table(facts, hidden, cells, name)
    return out


def _too_many_copies(shown: str, sheet: str, row: int, limits: Limits) -> UnreadableFileError:
    return UnreadableFileError(
        "too-many-cells",
        f"Sheet \"{sheet}\" của file \"{shown}\" lặp lại các dòng/ô có dữ liệu quá nhiều lần "
        f"(tới dòng {_n(row)} đã hơn {_n(limits.max_ods_repeated_cells)} ô chép lặp), nên không "
        "đọc để tránh treo máy. Hãy mở bằng LibreOffice hoặc Excel, xoá các dòng lặp thừa rồi "
        "lưu lại.",
    )


def _ods_end_table(
    facts: SheetFacts | None, hidden: list[tuple[int, int]], cells: _CellBudget, name: str
) -> None:
    if facts is not None:
        cells.add(facts, unicodedata.normalize("NFC", name))
    _ods_hidden(facts, hidden)


def _ods_hidden(facts: SheetFacts | None, hidden: list[tuple[int, int]]) -> None:
    """Hidden rows that matter: those up to the last row holding data."""
    if facts is not None:
        for first, last in hidden:
            facts.hidden_rows.update(range(first, min(last, facts.max_row) + 1))
    hidden.clear()


# ---------------------------------------------------------------------------------------------
# xls: the BIFF records of the Workbook stream
# ---------------------------------------------------------------------------------------------

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
                    "corrupt", _corrupt_message(shown, "xls", "cấu trúc bản ghi bất thường")
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
                        _corrupt_message(shown, "xls", "bảng chuỗi (SST) khai báo sai số lượng"),
                    )
    except (struct.error, IndexError):
        return {}, []

    flags = _StyleFlags()
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
    cells = _CellBudget(limits, shown)
    for offset, name in sheets:
        facts = walked.get(offset)
        if facts is None:
            facts = walked[offset] = _scan_biff_sheet(stream, records(offset), flags)
            if facts.dimensions_broken:
                raise UnreadableFileError(
                    "corrupt",
                    _corrupt_message(shown, "xls", "vùng dữ liệu (DIMENSIONS) sai", name),
                )
            cells.add(facts, unicodedata.normalize("NFC", name))
        by_name.setdefault(name, facts)
        ordered.append(facts)
    return by_name, ordered


def _scan_biff_sheet(
    stream: bytes, recs: Iterator[tuple[int, int, int]], flags: _StyleFlags
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
            _flag_cell((r, c), xf, "s" if text else "n", flags, facts)

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


# ---------------------------------------------------------------------------------------------
# Values through python-calamine
# ---------------------------------------------------------------------------------------------


def _corrupt_message(shown: str, fmt: str, detail: str, sheet: str | None = None) -> str:
    where = f" (sheet \"{sheet}\")" if sheet else ""
    kind = {"xls": "Excel 97-2003 (.xls)", "ods": "LibreOffice (.ods)"}.get(fmt, "Excel (.xlsx)")
    return (
        f"Không đọc được file {kind} \"{shown}\"{where}: file bị hỏng hoặc có nội dung khác chuẩn "
        f"(chi tiết: {detail}). Hãy mở bằng Excel hoặc LibreOffice rồi lưu lại thành một file "
        ".xlsx mới và chạy lại."
    )


def _guarded(fn: Callable[[], T], shown: str, fmt: str, sheet: str | None = None) -> T:
    """Run a calamine call; map everything it may raise (including a Rust panic, which pyo3
    raises as a BaseException) to UnreadableFileError."""
    from python_calamine import PasswordError

    try:
        with _native_stderr_held():
            return fn()
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except PasswordError as exc:
        raise UnreadableFileError("encrypted", encrypted_message(shown)) from exc
    except MemoryError as exc:
        raise _too_big(shown, "không đủ bộ nhớ để đọc") from exc
    except BaseException as exc:
        detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        raise UnreadableFileError("corrupt", _corrupt_message(shown, fmt, detail, sheet)) from exc


@contextmanager
def _native_stderr_held() -> Iterator[None]:
    """Hold what native code writes to file descriptor 2 during a calamine call.

    A Rust panic inside calamine on a damaged file prints "thread … panicked at …" straight to
    the terminal before pyo3 turns it into an exception; the clerk must only see our message.
    If the call succeeds, whatever was written is passed on unchanged; if it fails, the
    exception (with its own text) replaces it."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):
        yield
        return
    with tempfile.TemporaryFile() as held:
        os.dup2(held.fileno(), 2)
        ok = False
        try:
            yield
            ok = True
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            if ok:
                held.seek(0)
                text = held.read()
                if text:
                    os.write(2, text)


_KINDS = {"WorkSheet": "worksheet", "ChartSheet": "chartsheet"}
_VISIBILITY = {"Visible": "visible", "Hidden": "hidden", "VeryHidden": "veryHidden"}


def _enum_name(value: object) -> str:
    return str(value).rsplit(".", 1)[-1]


def _read_values(
    data: bytes,
    fmt: str,
    shown: str,
    facts: dict[str, SheetFacts],
    ordered: list[SheetFacts] | None = None,
) -> list[RawSheet]:
    from python_calamine import CalamineWorkbook

    wb = _guarded(lambda: CalamineWorkbook.from_filelike(io.BytesIO(data)), shown, fmt)
    try:
        metas = _guarded(lambda: list(wb.sheets_metadata), shown, fmt)
        sheets: list[RawSheet] = []
        for index, meta in enumerate(metas):
            raw_name = str(meta.name)
            name = unicodedata.normalize("NFC", raw_name)
            sheet = RawSheet(
                name=name,
                visibility=_VISIBILITY.get(_enum_name(meta.visible), "visible"),
                kind=_KINDS.get(_enum_name(meta.typ), "other"),
            )
            sheets.append(sheet)
            if sheet.kind != "worksheet":
                continue
            f = facts.get(raw_name)
            if f is None and ordered and index < len(ordered):
                f = ordered[index]  # .xls names decoded differently: same order
            cal = _guarded(partial(wb.get_sheet_by_index, index), shown, fmt, name)
            rows: list[list[Any]] = _guarded(
                partial(cal.to_python, skip_empty_area=False), shown, fmt, name
            )
            sheet.rows = _nfc_rows(rows, sheet.text_cells_too_long)
            if f is not None and f.merged is not None:
                sheet.merged = sorted(f.merged)
            else:
                ranges = _guarded(partial(getattr, cal, "merged_cell_ranges"), shown, fmt, name)
                sheet.merged = sorted(
                    (int(a[0]) + 1, int(a[1]) + 1, int(b[0]) + 1, int(b[1]) + 1)
                    for a, b in (ranges or [])
                )
            if f is not None:
                sheet.errors = f.errors
                sheet.formulas_without_value = f.formulas_without_value
                sheet.hidden_rows = f.hidden_rows
                sheet.struck_cells = f.struck_cells
                sheet.legacy_fonts = f.legacy_fonts
                sheet.facts_checked = True
    finally:
        _guarded(wb.close, shown, fmt)
    return sheets


TEXT_CELL_MAX = 32_767  # Excel's limit for one cell, in UTF-16 units


def _nfc_rows(rows: list[list[Any]], too_long: dict[Cell, int] | None = None) -> list[list[Any]]:
    """NFC-normalise every string in place (ASCII strings, most cells, are skipped cheaply).

    Long texts are kept whole: nothing in a workbook is truncated (the zip bounds already
    limit memory), because a cut text would silently change data. Those longer than Excel
    allows are put in ``too_long`` (cell → length in characters) for the reader to report.

    A number that is not finite (``<v>1e309</v>`` reads as infinity; NaN) is no number a
    spreadsheet can hold: it becomes its text ("inf", "nan"), which every reading of a number
    reports as not a number. Kept as a float, it passed the reader's fast checks (``v >= 0``)
    and crashed the scoring."""
    normalize = unicodedata.normalize
    is_nfc = unicodedata.is_normalized
    half = TEXT_CELL_MAX // 2  # below it no text can pass the limit, even all in surrogate pairs
    # Whether any cell needs the loop below is asked of all the cells at once, in C: the texts
    # joined (NFC and no long text: nothing to do for them) and the sum of the numbers (finite
    # unless one is not, or the sum overflows, which only sends it to the loop).
    texts = [v for row in rows for v in row if v.__class__ is str]
    numbers = [v for row in rows for v in row if v.__class__ is float]
    total = sum(numbers)
    if (
        total - total == 0.0
        and max(map(len, texts), default=0) <= half
        and is_nfc("NFC", "\n".join(texts))
    ):
        return rows
    del texts, numbers
    for r, row in enumerate(rows, start=1):
        for i, v in enumerate(row):
            t = type(v)
            if t is str:
                if not v.isascii() and not is_nfc("NFC", v):
                    v = row[i] = normalize("NFC", v)
                if len(v) > half and too_long is not None and (
                    len(v.encode("utf-16-le")) // 2 > TEXT_CELL_MAX
                ):
                    too_long[(r, i + 1)] = len(v)
            elif t is float and v - v != 0.0:  # inf - inf and nan - nan are nan
                row[i] = str(v)
    return rows
