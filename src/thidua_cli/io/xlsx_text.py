"""Writing text from the data into XlsxWriter cells, safely.

XlsxWriter copies any string shaped "<r>…</r>" into the file as rich-text XML, unescaped (in its
shared strings and in constant-memory inline strings alike): a staff name or note typed that way
could inject a live formula or corrupt the workbook. Every text that comes from a sheet, a
regulation or a result goes through :func:`write_text` instead of ``write_string``.
"""

from __future__ import annotations

from typing import Any


def is_rich_shaped(value: str) -> bool:
    return value.startswith("<r>") and value.endswith("</r>")


def write_text(ws: Any, row: int, col: int, value: str, cell_format: Any = None) -> None:
    """``ws.write_string`` that never lets the text become markup or a formula."""
    if is_rich_shaped(value):
        # As rich text of plain runs every run is escaped, and the cell reads back as the same
        # text ("<", "r>", "…</r>").
        parts: list[Any] = [value[:1], value[1:3], value[3:]]
        if cell_format is not None:
            parts.append(cell_format)
        ws.write_rich_string(row, col, *parts)
        return
    ws.write_string(row, col, value, cell_format)
