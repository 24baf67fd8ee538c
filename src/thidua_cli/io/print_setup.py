"""The print set-up of every sheet a clerk prints (issue 12): A4, landscape, the header rows
repeated on each page, the hospital and the period in the page header, "Trang 3/12" in the
footer, and as wide as one page — unless one page wide would shrink the text under 9 pt, in
which case the sheet prints at the 9 pt scale and its columns run on to a second page (a
4–5 pt "Cá nhân" sheet cannot be read).

One rule for the XlsxWriter writers (score, awards, ledger) and for openpyxl (the marked copy
of ``validate --annotate``). Long per-person lists filed by department print a department at a
time, each from the top of a page (:func:`group_by_department`, :func:`department_breaks`)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")

# A4 landscape less 12.7 mm (0.5 in) of margin each side, in points.
PRINTABLE_WIDTH_PT = (297 - 2 * 12.7) / 25.4 * 72
MARGIN_IN = 0.5
BODY_FONT_PT = 11  # the workbooks' body font (XlsxWriter's and openpyxl's default Calibri 11)
MIN_FONT_PT = 9
MIN_SCALE = math.ceil(100 * MIN_FONT_PT / BODY_FONT_PT)  # 82 %: 11 pt printed at 9 pt
DEFAULT_COLUMN_PX = 64
FOOTER = "&CTrang &P/&N"


def _header_text(left: str, right: str) -> str:
    """An Excel page header: "&" is a control character there, so it is doubled; the whole
    header is kept under Excel's 255 characters."""
    def clean(text: str) -> str:
        return text.replace("&", "&&").replace("\n", " ")[:110]
    parts = []
    if left:
        parts.append("&L" + clean(left))
    if right:
        parts.append("&R" + clean(right))
    return "".join(parts)


def fits_one_page_wide(column_px: Iterable[float]) -> bool:
    """Whether columns of these pixel widths print one page wide at 9 pt or more: their width
    in points (0.75 pt a pixel) shrunk to the page must keep at least 82 % of it."""
    natural = sum(column_px) * 0.75
    return natural == 0 or PRINTABLE_WIDTH_PT / natural * 100 >= MIN_SCALE


def setup_xlsxwriter(ws: Any, *, header_rows: int = 1, left: str = "", right: str = "") -> None:
    """Print set-up of an XlsxWriter worksheet; call it once the columns are sized."""
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.set_margins(left=MARGIN_IN, right=MARGIN_IN, top=0.75, bottom=0.75)
    info = getattr(ws, "col_info", {})
    # The last column written or sized (a column sized but still empty prints too).
    last = max([c for c in (getattr(ws, "dim_colmax", None),) if c is not None] + list(info), default=-1)
    widths = []
    if last >= 0:
        for col in range(last + 1):
            column = info.get(col)
            widths.append(column.width if column is not None and column.width is not None
                          else DEFAULT_COLUMN_PX)
    if fits_one_page_wide(widths):
        ws.fit_to_pages(1, 0)
    else:
        ws.set_print_scale(MIN_SCALE)
    if header_rows:
        ws.repeat_rows(0, header_rows - 1)
    header = _header_text(left, right)
    if header:
        ws.set_header(header)
    ws.set_footer(FOOTER)


def setup_openpyxl(ws: Any, *, header_rows: int = 1, left: str = "", right: str = "") -> None:
    """The same set-up for an openpyxl worksheet."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_margins.left = ws.page_margins.right = MARGIN_IN
    # A stored width counts characters of 7 px (Calibri 11), padding included; unsized: 64 px.
    # openpyxl keeps a run of equally wide columns as one dimension (min..max).
    sized: dict[int, float] = {}
    for dim in ws.column_dimensions.values():
        if dim.width:
            for col in range(dim.min or 1, (dim.max or dim.min or 1) + 1):
                sized[col] = dim.width * 7
    last = max([ws.max_column or 0, *sized])
    widths = [sized.get(col, DEFAULT_COLUMN_PX) for col in range(1, last + 1)]
    if fits_one_page_wide(widths):
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
    else:
        ws.page_setup.scale = MIN_SCALE
    if header_rows:
        ws.print_title_rows = f"1:{header_rows}"
    if left:
        ws.oddHeader.left.text = left.replace("&", "&&")[:110]
    if right:
        ws.oddHeader.right.text = right.replace("&", "&&")[:110]
    ws.oddFooter.center.text = "Trang &P/&N"


# Excel keeps at most 1,023 manual page breaks a sheet; past that the rest run on unbroken.
MAX_PAGE_BREAKS = 1023


def group_by_department(rows: Sequence[T], department: Callable[[T], str]) -> list[T]:
    """The rows a department at a time, departments in Vietnamese order, each keeping its rows'
    own order (the ranking): how a per-person list is filed, one department's pages each."""
    names = [department(row) for row in rows]
    place = _department_places(names)
    groups: list[list[T]] = [[] for _ in range(max(place.values(), default=-1) + 1)]
    for row, name in zip(rows, names, strict=True):  # in order: the ranking is kept
        groups[place[name]].append(row)
    return [row for group in groups for row in group]


def _department_places(names: Iterable[str]) -> dict[str, int]:
    """Each department name → its place in Vietnamese order; names that collate the same
    ("Khoa Nội", "Khoa  nội") share one. Sorting by these small numbers is what keeps 100,000
    rows quick (the collation key is built once per department, the rows are bucketed)."""
    from thidua_cli.core.names import vietnamese_key

    keys = {name: vietnamese_key(name) for name in set(names)}
    places: dict[str, int] = {}
    previous: Any = None
    place = -1
    for name in sorted(keys, key=keys.__getitem__):
        if keys[name] != previous:
            place, previous = place + 1, keys[name]
        places[name] = place
    return places


def department_breaks(departments: Sequence[str], first_row: int) -> list[int]:
    """The 0-based rows before which a page break starts the next department, for rows already
    grouped (:func:`group_by_department`) and written from ``first_row`` on."""
    # The grouping's own sameness: "Khoa Nội" and "Khoa  nội" are one department.
    place = _department_places(departments)
    breaks = [first_row + i for i in range(1, len(departments))
              if place[departments[i]] != place[departments[i - 1]]]
    return breaks[:MAX_PAGE_BREAKS]
