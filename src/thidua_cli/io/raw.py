"""The raw workbook: what a spreadsheet file holds, read once, before any interpretation.

``io.workbook.load_workbook(path)`` produces it (values through python-calamine; for .xlsx/.xlsm
the facts calamine cannot see — cached errors, formulas without a cached value, hidden rows,
strike-through and legacy fonts — from a bounded scan of the sheet XML). ``io.reader`` turns it
into a ``model.Dataset``. Coordinates are 1-based and exactly those Excel shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Cell = tuple[int, int]  # (row, column), 1-based


@dataclass
class RawSheet:
    name: str  # NFC-normalised sheet name
    visibility: str = "visible"  # "visible" | "hidden" | "veryHidden"
    kind: str = "worksheet"  # "worksheet" | "chartsheet" | "other"
    # rows[0] is Excel row 1 and rows[r][0] is column A. Empty cells are "" (never None).
    # Values: str (NFC, as typed), float (finite: a non-finite number is kept as its text), int,
    # bool, datetime.date / datetime.datetime / time.
    rows: list[list[Any]] = field(default_factory=list)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2
    errors: dict[Cell, str] = field(default_factory=dict)  # cached error values: "#DIV/0!"
    formulas_without_value: dict[Cell, str] = field(default_factory=dict)  # cell → formula
    hidden_rows: set[int] = field(default_factory=set)
    struck_cells: set[Cell] = field(default_factory=set)  # font with strike-through
    legacy_fonts: dict[Cell, str] = field(default_factory=dict)  # cell → ".VnTime", "VNI-Times"
    text_cells_truncated: dict[Cell, int] = field(default_factory=dict)  # cell → original length
    # Texts longer than Excel allows in a cell (32,767 UTF-16 units): cell → length. Kept
    # whole in ``rows``; the reader reports each as ``text-too-long``.
    text_cells_too_long: dict[Cell, int] = field(default_factory=dict)
    # True when the facts above were looked for (xlsx, xlsm, ods, xls). False for chart sheets
    # and when a file's structure could not be followed: the reader may say they were not
    # checked.
    facts_checked: bool = False

    def value(self, row: int, col: int) -> Any:
        """The value at a 1-based cell, "" outside the used range."""
        if 1 <= row <= len(self.rows):
            r = self.rows[row - 1]
            if 1 <= col <= len(r):
                return r[col - 1]
        return ""

    @property
    def max_row(self) -> int:
        return len(self.rows)


@dataclass
class RawWorkbook:
    path: str
    format: str  # "xlsx" | "xlsm" | "xls" | "ods"
    sha256: str
    sheets: list[RawSheet] = field(default_factory=list)
