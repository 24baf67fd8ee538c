"""The facts of an .ods from its ``content.xml``: errors, formulas without a value, hidden
rows, struck and legacy-font cells, merged ranges and each sheet's extent (a tag-level scan;
ods files are small and rare). Repeated rows and columns are bounded: a tiny file may claim
millions of cells.
"""

from __future__ import annotations

import html
import re
import unicodedata
import zipfile

from thidua_cli.io.formats.facts import (
    CellBudget,
    Limits,
    SheetFacts,
    check_extent,
    dotted,
    is_legacy_font,
)
from thidua_cli.io.formats.parts import Inflated, corrupt_part, element, inside, read_part
from thidua_cli.io.sniff import UnreadableFileError

_ODS_TOKEN = re.compile(
    rb"<table:table(\s[^>]*)?>|</table:table>|<table:table-row(\s[^>]*?)?(/?)>|</table:table-row>"
    rb"|<table:(?:covered-)?table-cell(\s[^>]*?)?(/?)>"
)
_ODS_ATTR = re.compile(rb"([\w.-]+:[\w.-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_ODS_STYLE = re.compile(
    rb"<style:style\s([^>]*?)(?:/>|>" + inside(rb"style:style") + rb"</style:style\s*>)"
)
_ODS_TEXT_P = element(rb"text:p")
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
    content = read_part(zf, "content.xml", limits.max_uncompressed_bytes, shown,
                         Inflated(limits))
    if b"<!DOCTYPE" in content or b"<!ENTITY" in content:
        raise corrupt_part(shown, "content.xml")
    struck_styles, legacy_styles = _ods_styles(content)
    out: dict[str, SheetFacts] = {}
    facts: SheetFacts | None = None
    cells = CellBudget(limits, shown)
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
                check_extent(facts, limits, shown, unicodedata.normalize("NFC", name))
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
        f"(tới dòng {dotted(row)} đã hơn {dotted(limits.max_ods_repeated_cells)} ô chép lặp), "
        "nên không đọc để tránh treo máy. Hãy mở bằng LibreOffice hoặc Excel, xoá các dòng lặp thừa rồi "
        "lưu lại.",
    )


def _ods_end_table(
    facts: SheetFacts | None, hidden: list[tuple[int, int]], cells: CellBudget, name: str
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
