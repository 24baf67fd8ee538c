"""Writing text from the data into XlsxWriter cells, safely: the ONE writer of text cells.

Two dangers, both handled here for every workbook thidua writes (score result, awards proposal,
ledger export):

- XlsxWriter copies any string shaped "<r>…</r>" into the file as rich-text XML, unescaped (in
  its shared strings and in constant-memory inline strings alike): a staff name or note typed
  that way could inject markup or corrupt the workbook.
- A text starting with ``= + - @`` (or tab, CR, LF) is stored as text, but a clerk pressing F2,
  Enter in Excel turns it into a live formula. Excel's quote prefix (the style flag
  ``quotePrefix``) keeps it text: every such cell gets the quote-prefixed twin of its format.

A workbook's formats are made through one :class:`TextFormats` so that each has its twin;
every text from a sheet, a regulation or a result goes through :func:`write_text`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# What Excel reads as the start of a formula when the cell is edited (issue 10).
FORMULA_LEAD = ("=", "+", "-", "@", "\t", "\r", "\n")


def is_rich_shaped(value: str) -> bool:
    return value.startswith("<r>") and value.endswith("</r>")


def looks_like_formula(value: str) -> bool:
    return value.startswith(FORMULA_LEAD)


class TextFormats:
    """One workbook's cell formats, each with its quote-prefixed twin made on first need."""

    def __init__(self, wb: Any) -> None:
        self._wb = wb
        self._props: dict[int, dict[str, Any]] = {}
        self._twins: dict[int, Any] = {}
        self._plain_twin: Any = None

    def add(self, properties: Mapping[str, Any] | None = None) -> Any:
        """``wb.add_format(properties)``, remembered so that its twin can be made."""
        props = dict(properties or {})
        fmt = self._wb.add_format(props)
        self._props[id(fmt)] = props
        return fmt

    def quoted(self, fmt: Any = None) -> Any:
        """The quote-prefixed twin of ``fmt`` (None: of the default format)."""
        if fmt is None:
            if self._plain_twin is None:
                self._plain_twin = self._wb.add_format({"quote_prefix": True})
            return self._plain_twin
        if getattr(fmt, "quote_prefix", False):
            return fmt
        twin = self._twins.get(id(fmt))
        if twin is None:
            props = self._props.get(id(fmt))
            if props is None:
                raise ValueError("a format not made through TextFormats.add has no quoted twin")
            twin = self._twins[id(fmt)] = self._wb.add_format({**props, "quote_prefix": True})
        return twin


def write_text(ws: Any, row: int, col: int, value: str, cell_format: Any = None, *,
               formats: TextFormats) -> None:
    """``ws.write_string`` that never lets the text become markup or a formula."""
    if looks_like_formula(value):
        cell_format = formats.quoted(cell_format)
    if is_rich_shaped(value):
        # As rich text of plain runs every run is escaped, and the cell reads back as the same
        # text ("<", "r>", "…</r>").
        parts: list[Any] = [value[:1], value[1:3], value[3:]]
        if cell_format is not None:
            parts.append(cell_format)
        ws.write_rich_string(row, col, *parts)
        return
    ws.write_string(row, col, value, cell_format)


def write_row(ws: Any, row: int, values: list[Any], cell_formats: list[Any], *,
              formats: TextFormats) -> None:
    """One row of cells from column 0, the fast path for sheets of tens of thousands of rows:
    a number goes to ``write_number``, a text through the same two checks as
    :func:`write_text` (taken only when the text needs them), None or "" is left empty.
    ``cell_formats[c]`` is column c's format (made once, not per cell)."""
    write_string, write_number = ws.write_string, ws.write_number
    for c, v in enumerate(values):
        if v is None or v == "":
            continue
        if v.__class__ is str:
            # A cheap first look (C-level prefix tests); write_text decides for the few it
            # catches.
            if v.startswith(FORMULA_LEAD) or v.startswith("<r>"):
                write_text(ws, row, c, v, cell_formats[c], formats=formats)
            else:
                write_string(row, c, v, cell_formats[c])
        else:
            write_number(row, c, v, cell_formats[c])
