"""The facts of an .xlsx/.xlsm that python-calamine cannot see, from its sheet XML.

A bounded scan of each sheet's XML with byte regexes (no Python loop per cell in the common
case) finds cached errors, formulas without a cached value, hidden rows, and — only when the
styles use them — strike-through and legacy Vietnamese fonts (.VnTime, VNI-Times). It also
measures each sheet's extent, because calamine allocates the whole rectangle from A1 to the
farthest cell: a stray value at XFD1048576 would exhaust memory.
"""

from __future__ import annotations

import html
import io
import re
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import PurePosixPath

from thidua_cli.io.formats.facts import (
    DEFAULT_LIMITS,
    CellBudget,
    Limits,
    SheetFacts,
    StyleFlags,
    check_extent,
    col_index,
    col_letters,
    flag_cell,
    is_legacy_font,
)
from thidua_cli.io.formats.parts import (
    Inflated,
    check_counts,
    corrupt_part,
    element,
    inside,
    local_name,
    parse_xml,
    read_part,
    verify_part,
)
from thidua_cli.io.raw import Cell

# ---------------------------------------------------------------------------------------------
# xlsx / xlsm: workbook, relationships, styles
# ---------------------------------------------------------------------------------------------

_SI = element(rb"(?:[\w.-]+:)?si")
_RUN = element(rb"(?:[\w.-]+:)?r")
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


def _rels_targets(data: bytes, base_dir: str, part: str, shown: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (type, resolved part name)."""
    root = parse_xml(data, part, shown)
    out: dict[str, tuple[str, str]] = {}
    for el in root:
        if local_name(el.tag) != "Relationship":
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


def _styles(data: bytes, shown: str, part: str) -> StyleFlags:
    root = parse_xml(data, part, shown)
    fonts: list[tuple[bool, str | None]] = []
    xf_fonts: list[int] = []
    for el in root:
        tag = local_name(el.tag)
        if tag == "fonts":
            for font in el:
                struck, legacy = False, None
                for prop in font:
                    ptag = local_name(prop.tag)
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
    flags = StyleFlags()
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
    *,
    deferred: list[Callable[[], None]] | None = None,
) -> dict[str, SheetFacts]:
    """Facts of every worksheet, keyed by the sheet name exactly as in ``xl/workbook.xml``.

    With ``deferred``, every bound is checked here but the rest of each sheet's facts is
    appended there as a function to run later (see :func:`gate_sheet_xml`)."""
    names = set(zf.namelist())
    # Writers differ in case and slashes of part names; resolve targets leniently.
    by_lower = {n.replace("\\", "/").lower(): n for n in names}

    def member(target: str | None) -> str | None:
        if not target:
            return None
        return target if target in names else by_lower.get(target.lower())

    inflated = Inflated(limits)
    wb_xml = read_part(zf, "xl/workbook.xml", limits.max_meta_bytes, shown, inflated)
    check_counts(wb_xml, len(wb_xml), "xl/workbook.xml", shown)
    rels: dict[str, tuple[str, str]] = {}
    rels_name = member("xl/_rels/workbook.xml.rels")
    if rels_name:
        rels_xml = read_part(zf, rels_name, limits.max_meta_bytes, shown, inflated)
        rels = _rels_targets(rels_xml, "xl", rels_name, shown)
    root = parse_xml(wb_xml, "xl/workbook.xml", shown)
    sheets: list[tuple[str, str, str | None]] = []
    for el in root.iter():
        if local_name(el.tag) != "sheet":
            continue
        rid = next((v for k, v in el.attrib.items() if local_name(k) == "id" and "relationships"
                    in k), None)
        typ, target = rels.get(rid or "", ("", ""))
        sheets.append((el.get("name") or "", typ, member(target)))

    styles_part = member(next((t for typ, t in rels.values() if typ.endswith("/styles")), None))
    styles_part = styles_part or member("xl/styles.xml")
    flags = StyleFlags()
    if styles_part:
        styles_xml = read_part(zf, styles_part, limits.max_meta_bytes, shown, inflated)
        check_counts(styles_xml, len(styles_xml), styles_part, shown)
        flags = _styles(styles_xml, shown, styles_part)

    # calamine inflates the shared strings itself: check them first (declared size and CRC).
    shared = {member(t) for typ, t in rels.values() if typ.endswith("/sharedStrings")}
    for ss in sorted(p for p in shared | {member("xl/sharedStrings.xml")} if p):
        head, has_strike = verify_part(zf, ss, shown, inflated, look_for=b"strike")
        check_counts(head, zf.getinfo(ss).file_size, ss, shown)
        if has_strike:
            # Text struck through in edit mode is stored as rich text in the shared strings.
            # Counted once, by the check above.
            whole = read_part(zf, ss, limits.max_uncompressed_bytes, shown)
            flags.struck_strings |= struck_shared_strings(whole)

    out: dict[str, SheetFacts] = {}
    scanned: set[str] = set()
    cells = CellBudget(limits, shown)
    for name, typ, part in sheets:
        if not part or part in scanned:
            continue
        scanned.add(part)
        data = read_part(zf, part, limits.max_uncompressed_bytes, shown, inflated)
        facts, rest = gate_sheet_xml(data, flags, shown=shown, part=part,
                                     max_cells=limits.max_cells)
        cells.add(facts, unicodedata.normalize("NFC", name))
        if typ.endswith(("/chartsheet", "/dialogsheet")):
            continue  # bounded, but no values are read from it: its facts are not needed
        out[name] = facts
        if rest is not None:
            if deferred is None:
                rest()
            else:
                deferred.append(rest)
    # Safety net: any other sheet-like part calamine might open is bounded too.
    for part in sorted(names - scanned):
        low = part.lower()
        if low.endswith(".xml") and "sheet" in low.rsplit("/", 1)[-1] and low.startswith("xl/"):
            data = read_part(zf, part, limits.max_uncompressed_bytes, shown, inflated)
            facts, _ = gate_sheet_xml(data, flags, shown=shown, part=part,
                                      max_cells=limits.max_cells)
            check_extent(facts, limits, shown, part)
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
            + inside(c) + rb"</" + c + rb"\s*>"
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
    flags: StyleFlags | None = None,
    *,
    shown: str = "",
    part: str = "",
    max_cells: int = DEFAULT_LIMITS.max_cells,
) -> SheetFacts:
    """The facts of one worksheet part. Uses byte regexes when every row and cell carries its
    ``r`` reference (what Excel, LibreOffice, openpyxl and XlsxWriter write); otherwise walks
    the XML with ElementTree, counting positions the way calamine does."""
    facts, rest = gate_sheet_xml(data, flags, shown=shown, part=part, max_cells=max_cells)
    if rest is not None:
        rest()
    return facts


def gate_sheet_xml(
    data: bytes,
    flags: StyleFlags | None = None,
    *,
    shown: str = "",
    part: str = "",
    max_cells: int = DEFAULT_LIMITS.max_cells,
) -> tuple[SheetFacts, Callable[[], None] | None]:
    """The part of :func:`scan_sheet_xml` that must come before calamine opens the sheet: the
    announced counts and the extent (calamine allocates the whole rectangle), in the facts
    returned. The rest (cached errors, formulas without a value, hidden rows, struck and
    legacy-font cells) is the function returned, which fills the same facts: load_workbook
    runs it while calamine parses, since calamine releases the GIL. None: nothing is left."""
    flags = flags or StyleFlags()
    m = _PREFIX.search(data)
    if not m:
        return SheetFacts(), None
    rx = _regexes(m.group(1) or b"")
    lo = m.start()
    hi = data.rfind(b"</" + rx.prefix + b"sheetData>")
    hi = len(data) if hi < lo else hi
    # Counts (mergeCells, hyperlinks …) live outside sheetData: cheap to check there.
    check_counts(data, len(data), part, shown, 0, lo)
    check_counts(data, len(data), part, shown, hi)
    # One pass finds the first cell that either has no reference (then the exact tree walk
    # takes over) or lies beyond the extent hint (then the exact extent is computed).
    hint = _extent_hint(data, rx, lo, hi)
    unusual = _first_unusual_cell(data, rx, lo, hi, hint)
    if unusual == "no-ref" or (unusual == "beyond" and not _all_refs_present(data, rx, lo, hi)):
        return _scan_sheet_tree(data, flags, shown=shown, part=part), None
    # No entity is ever expanded on this path (regexes read the raw bytes), so a DTD is inert.
    facts = SheetFacts()
    facts.max_row, facts.max_col = hint
    if unusual == "beyond" or hint[0] * hint[1] > max_cells:
        facts.max_row, facts.max_col = _exact_extent(data, rx)
    return facts, partial(_sheet_facts, data, flags, rx, lo, hi, facts)


def _sheet_facts(
    data: bytes, flags: StyleFlags, rx: _SheetRegexes, lo: int, hi: int, facts: SheetFacts
) -> None:
    """The facts of a sheet whose extent :func:`gate_sheet_xml` has checked."""

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
        # The formula's own cell is the last cell opened before it: searched backwards from
        # the formula (a forward scan of the 4 KB before each formula cost ~4 ms per 300
        # formulas, the whole of a form saved by openpyxl, which writes no cached values).
        cm = _last_cell_open(data, rx, max(lo, fm.start() - 4096), fm.start())
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


def _last_cell_open(data: bytes, rx: _SheetRegexes, lo: int, end: int) -> re.Match[bytes] | None:
    """The last ``<c …>`` opening tag starting in ``data[lo:end]`` and ending before ``end``."""
    tag = b"<" + rx.prefix + b"c"
    pos = data.rfind(tag, lo, end)
    while pos >= 0:
        m = rx.cell_open.match(data, pos, end)
        if m is not None:
            return m
        pos = data.rfind(tag, lo, pos)
    return None


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


def _scan_styles_fast(data: bytes, rx: _SheetRegexes, flags: StyleFlags, facts: SheetFacts) -> None:
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
        flag_cell(ref, style, _attr_t(attrs), flags, facts)


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


def _scan_sheet_tree(data: bytes, flags: StyleFlags, *, shown: str, part: str) -> SheetFacts:
    """Exact walk for writers that omit ``r`` on rows or cells: a row without ``r`` follows the
    previous row, a cell without ``r`` follows the previous cell of its row (as calamine)."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise corrupt_part(shown, part)
    facts = SheetFacts()
    flagged = set(flags.struck) | set(flags.legacy)
    row = 0
    col = 0
    shared: dict[str, str] = {}
    pending: list[tuple[Cell, str]] = []  # shared-formula children whose master comes later
    try:
        for event, el in ET.iterparse(io.BytesIO(data), events=("start", "end")):
            tag = local_name(el.tag)
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
        raise corrupt_part(shown, part) from exc
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
    flags: StyleFlags,
    flagged: set[int],
    shared: dict[str, str],
    pending: list[tuple[Cell, str]],
) -> None:
    t = el.get("t") or "n"
    f_el = v_el = None
    has_content = False
    for child in el:
        has_content = True
        ctag = local_name(child.tag)
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
            flag_cell(cell, style, t, flags, facts)
    if t == "s" and flags.struck_strings and vtext.strip().isdigit() and (
        int(vtext.strip()) in flags.struck_strings
    ):
        facts.struck_cells.add(cell)
