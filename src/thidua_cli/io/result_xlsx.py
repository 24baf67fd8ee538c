"""The result workbook of ``thidua score``: "Cá nhân", "Khoa phòng", "Thống kê", "Nhật ký".

XlsxWriter builds the whole workbook (sheets, formats, column widths, frozen panes, filters,
charts, print setup) except the data rows of "Cá nhân", the one sheet that grows with the
hospital: at 100,000 people XlsxWriter spends ≈ 3 µs of Python per cell there (≈ 9 s), while
writing the same rows as XML text here takes a fifth of that. So "Cá nhân" gets its header row
and one *sample* row from XlsxWriter (the sample uses every format the body uses, so that
XlsxWriter puts them in ``styles.xml`` and gives each its ``xf_index``); the workbook is closed
into memory, and the final file is streamed from it: every zip entry copied unchanged except
``xl/worksheets/sheet1.xml``, whose sample row is replaced by the generated rows, block by block
(bounded memory), with the ``<dimension>`` set to the full table.

Every part of "Cá nhân" (header, widths, the sum of text for the zip64 decision, the generated
cells) follows one column table, :func:`people_table`: a column's header, value getter, kind of
cell (which gives its style) and width; no part counts columns by position.

The generated cells read back as the cells XlsxWriter writes in constant-memory mode
(``tests/io/test_result_xlsx.py`` compares both cell by cell, through openpyxl, calamine and
LibreOffice), with two deliberate differences (exact numbers, escaped "<r>…</r>" text):

* numbers ``<c r="H2" s="2"><v>9.5</v></c>``, the shortest text that reads back the same float
  (``repr``; XlsxWriter rounds to 16 digits); empty, NaN and infinite values leave no cell;
* text as inline strings, XML-escaped (``& < >``), control characters and U+FFFE/U+FFFF as
  Excel's ``_xHHHH_`` escapes, a literal ``_xHHHH_`` protected as ``_x005F_xHHHH_``,
  ``xml:space="preserve"`` around leading/trailing white space, cut at Excel's 32,767 UTF-16
  units per cell (as XlsxWriter does); a lone surrogate (which XlsxWriter cannot write at all)
  becomes ``_xD800_`` …; a text shaped like rich-text XML ("<r>…</r>"), which XlsxWriter's
  constant-memory mode copies into the file unescaped, is escaped like any other;
* text beginning with ``= + - @`` (or tab, CR, LF) gets the quote-prefix style, so Excel keeps
  it as text even when the clerk edits the cell (a name "=HYPERLINK(…)" never becomes a live
  formula); nothing is ever written as a formula or a hyperlink.

Every other text from the input (departments, peer groups, warnings …) is written by
XlsxWriter with ``write_string`` (the workbook is opened with ``strings_to_formulas``,
``strings_to_urls`` and ``strings_to_numbers`` off), with the same quote prefix, except text
shaped "<r>…</r>", written as plain rich text so that XlsxWriter escapes it (see
:func:`_write_text`).
"""

from __future__ import annotations

import contextlib
import io
import itertools
import math
import os
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from thidua_cli.core.ranking import RATING_ORDER, rating_counts
from thidua_cli.io.atomic import OutputWriteError, write_atomic
from thidua_cli.io.xlsx_text import FORMULA_LEAD, TextFormats, write_text
from thidua_cli.model import (
    BANDED_RATINGS,
    Criterion,
    PersonResult,
    Rating,
    RunInfo,
    ScoreResult,
)

if TYPE_CHECKING:  # pragma: no cover
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

SHEET_PEOPLE = "Cá nhân"
SHEET_DEPARTMENTS = "Khoa phòng"
SHEET_STATS = "Thống kê"
SHEET_LOG = "Nhật ký"

# Fill and font colours per rating (Excel's "Good / Neutral / Bad" family, plus blue, grey and
# purple), readable when printed in black and white because the text stays on the cell.
RATING_COLOURS: dict[Rating, tuple[str, str]] = {
    Rating.HTXSNV: ("#C6EFCE", "#006100"),  # green
    Rating.HTTNV: ("#DDEBF7", "#1F4E78"),  # blue
    Rating.HTNV: ("#FFEB9C", "#9C5700"),  # amber
    Rating.KHTNV: ("#FFC7CE", "#9C0006"),  # red
    Rating.NOT_RATED: ("#E7E6E6", "#3A3838"),  # grey
    Rating.PENDING_COUNCIL: ("#E4DFEC", "#5B2C6F"),  # purple
}

POINTS_FORMAT = "0.00"
PERCENT_FORMAT = "0.0%"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm:ss"

# Characters that make Excel (or LibreOffice) read a typed cell as a formula.
_FORMULA_STARTS = FORMULA_LEAD

class Cell(Enum):
    """How a column's value becomes a cell of "Cá nhân" (its style and its XML)."""

    INDEX = "index"  # the row's number (STT); the column has no value getter
    TEXT = "text"  # text from the input, different on most rows (IDs, names)
    LABEL = "label"  # text from the input with few distinct values: built once per value
    MARK = "mark"  # "x" when true, no cell when false
    POINTS = "points"  # a number in POINTS_FORMAT
    TOTAL = "total"  # a number in POINTS_FORMAT, bold
    RATING = "rating"  # a text of the rating (``rating_text``), in the rating's colours
    RANK = "rank"  # a whole number, no format


@dataclass(frozen=True)
class PeopleColumn:
    """One column of "Cá nhân": everything the header, the widths, the sample row and the
    generated rows need, so that no part counts columns by hand."""

    header: str
    cell: Cell
    value: Callable[[PersonResult], Any] | None  # None only for Cell.INDEX
    width: int | tuple[int, int]  # fixed, or (least, most) fitted to the longest text
    rating_text: Callable[[Rating], str | None] | None = None  # Cell.RATING only

    def cell_value(self, index: int, pr: PersonResult) -> Any:
        """What the cell of person number ``index`` (from 1) holds once read back: the number,
        the text (a rating's text for rating columns), or None where no cell is written."""
        if self.value is None:
            return index
        value = self.value(pr)
        if self.cell is Cell.MARK:
            return "x" if value else None
        if self.cell is Cell.RATING:
            assert self.rating_text is not None
            return self.rating_text(value) or None
        if self.cell in (Cell.TEXT, Cell.LABEL):
            return value or None
        if value is None or not math.isfinite(value):
            return None
        return value


def _notes(pr: PersonResult) -> str:
    return "; ".join(pr.notes)


# The fixed columns of "Cá nhân" before and after the criteria (see :func:`people_table`).
PEOPLE_HEAD_COLUMNS: tuple[PeopleColumn, ...] = (
    PeopleColumn("STT", Cell.INDEX, None, 6),
    PeopleColumn("Mã NV", Cell.TEXT, attrgetter("person.staff_id"), (9, 18)),
    PeopleColumn("Họ và tên", Cell.TEXT, attrgetter("person.name"), (18, 40)),
    PeopleColumn("Khoa/Phòng", Cell.LABEL, attrgetter("person.department"), (14, 36)),
    PeopleColumn("Chức vụ", Cell.LABEL, attrgetter("person.position"), (10, 30)),
    PeopleColumn("Lãnh đạo", Cell.MARK, attrgetter("person.is_manager"), 9),
    PeopleColumn("Nhóm", Cell.LABEL, attrgetter("person.peer_group"), (8, 24)),
)
PEOPLE_TAIL_COLUMNS: tuple[PeopleColumn, ...] = (
    PeopleColumn("Tổng tiêu chí", Cell.POINTS, attrgetter("criteria_sum"), 10),
    PeopleColumn("Điểm cộng (tính)", Cell.POINTS, attrgetter("bonus_counted"), 10),
    PeopleColumn("Điểm trừ", Cell.POINTS, attrgetter("deduction_counted"), 9),
    PeopleColumn("Tổng điểm", Cell.TOTAL, attrgetter("total"), 10),
    PeopleColumn("Xếp loại", Cell.RATING, attrgetter("rating"), 29, attrgetter("label")),
    PeopleColumn("Mã xếp loại", Cell.RATING, attrgetter("rating"), 17, attrgetter("value")),
    PeopleColumn("Loại", Cell.RATING, attrgetter("rating"), 6, attrgetter("grade")),
    PeopleColumn("Hạng khoa", Cell.RANK, attrgetter("rank_department"), 8),
    PeopleColumn("Hạng viện", Cell.RANK, attrgetter("rank_hospital"), 8),
    PeopleColumn("Nhóm so sánh", Cell.LABEL, attrgetter("peer_group"), (14, 40)),
    PeopleColumn("Ghi chú", Cell.LABEL, _notes, (24, 80)),
)
PEOPLE_HEAD = tuple(c.header for c in PEOPLE_HEAD_COLUMNS)
PEOPLE_TAIL = tuple(c.header for c in PEOPLE_TAIL_COLUMNS)
CRITERION_WIDTH = 13


def _criterion_column(criterion: Criterion) -> PeopleColumn:
    code = criterion.code

    def points(pr: PersonResult) -> float | None:
        return pr.points.get(code)

    return PeopleColumn(criterion_header(criterion), Cell.POINTS, points, CRITERION_WIDTH)


def people_table(criteria: Sequence[Criterion]) -> tuple[PeopleColumn, ...]:
    """The columns of "Cá nhân", in order: the fixed head, one per criterion, the fixed tail.
    The one description the header, the widths and the generated rows all follow."""
    return (*PEOPLE_HEAD_COLUMNS, *(_criterion_column(c) for c in criteria),
            *PEOPLE_TAIL_COLUMNS)


DEPARTMENT_HEADERS = (
    "Hạng",
    "Khoa/Phòng",
    "Số người",
    "Được xếp loại",
    "Không xếp loại",
    "Chờ HĐ xét",
    "Điểm TB",
    "Trung vị",
    "HTXSNV",
    "HTTNV",
    "HTNV",
    "KHTNV",
    "Tỷ lệ HTXSNV",
)
CAP_HEADERS = (
    "Nhóm so sánh",
    "Tỷ lệ trần",
    "Mẫu số (số người HTTNV trở lên)",
    "Số suất HTXSNV",
    "Ứng viên",
    "Giữ HTXSNV",
    "Chờ HĐ xét",
    "Hạ xuống HTTNV",
    "Điểm ngưỡng",
    "Mã NV chờ Hội đồng xét",
)


def criterion_header(criterion: Criterion) -> str:
    """"TC1 – Chấp hành chủ trương, chính sách (10)": code, name and maximum (decimal comma)."""
    return f"{criterion.code} – {criterion.name} ({_vn_number(criterion.max_points)})"


def people_headers(criteria: Sequence[Criterion]) -> list[str]:
    """The header row of "Cá nhân", in order."""
    return [column.header for column in people_table(criteria)]


# Excel's sheet: 1,048,576 rows, the first of them the header.
MAX_PEOPLE = 1_048_575
# Excel's limit on one cell's text, in UTF-16 code units (XlsxWriter cuts longer text there).
CELL_TEXT_MAX = 32_767

# "Cá nhân" is the first worksheet XlsxWriter adds, hence its part name.
_PEOPLE_PART = "xl/worksheets/sheet1.xml"
# Deflate level of the generated sheet. Measured on 100k people (27 columns, 117 MB of XML;
# min of 7): level 1 0.29 s → 16.3 MB, 2 0.31 s → 15.5 MB, 3 0.46 s → 14.2 MB, 6 (zlib's
# default, XlsxWriter's) 0.94–1.5 s → 12.0 MB. Level 1: a file a third larger (0.5 MB for a
# hospital of 3,000) for a fifth to a third of the time; generating the XML takes ≈ 0.55 s.
_PEOPLE_COMPRESSLEVEL = 1
# Rows generated per block written to the zip stream (≈ 1 MB of XML at 27 columns).
_BLOCK_ROWS = 1000
# A zip entry larger than this needs the zip64 extension (Python's zipfile must be told before
# it starts writing). Below it no zip64 record is written: readers differ on zip64 (Excel is
# known to be strict about its form), and XlsxWriter writes none by default either.
_ZIP64_LIMIT = (1 << 31) - 1
# Upper bounds for that decision: bytes of one cell apart from its text (the longest markup,
# a rating label, a number), of a row's own markup, and of one character of text once escaped
# ("\x01" → "_x0001_").
_CELL_BYTES_MAX = 160
_ROW_BYTES_MAX = 32
_CHAR_BYTES_MAX = 7


def write_score_workbook(
    result: ScoreResult, run: RunInfo, path: Path, *, force: bool = False
) -> None:
    """Write the result workbook to ``path`` atomically.

    Raises ``OutputExistsError`` (exit 6) when ``path`` exists and ``force`` is false, and
    ``io.atomic.OutputWriteError`` (exit 2) when the folder cannot be written or when there are
    more people than one Excel sheet holds (:data:`MAX_PEOPLE`); on any failure no file (and no
    temporary file) is left behind.
    """
    path = Path(path)
    count = len(result.people)
    if count > MAX_PEOPLE:
        raise OutputWriteError(
            f"Không ghi được {path}: có {_vn_int(count)} người, nhiều hơn số dòng một sheet "
            f"Excel chứa được ({_vn_int(MAX_PEOPLE)} dòng dữ liệu dưới dòng tiêu đề). Hãy chấm "
            "riêng từng phần (mỗi lần một nhóm tệp hoặc khoa/phòng), hoặc dùng --no-output để "
            "chỉ xem kết quả trên màn hình."
        )

    def write(target: Path) -> None:
        _write_workbook(result, run, target)

    write_atomic(path, write, force=force)


# --------------------------------------------------------------------------------------------
# The workbook
# --------------------------------------------------------------------------------------------


@dataclass
class _Formats:
    header: Format
    header_rating: dict[Rating, Format]
    title: Format
    section: Format
    bold: Format
    text_safe: Format  # quote prefix: text that would otherwise start a formula
    texts: TextFormats  # the one text writer's formats (text_safe is its plain twin)
    points: Format
    points_bold: Format
    percent: Format
    datetime: Format
    rating: dict[Rating, Format]


@dataclass(frozen=True)
class _BodyStyles:
    """The ``s`` attribute (XlsxWriter's ``xf_index``) of every format of the "Cá nhân" rows."""

    text_safe: int
    points: int
    points_bold: int
    rating: dict[Rating, int]


def _make_formats(wb: Workbook) -> _Formats:
    texts = TextFormats(wb)
    header_props: dict[str, Any] = {
        "bold": True,
        "text_wrap": True,
        "valign": "vcenter",
        "align": "center",
        "bg_color": "#D9E1F2",
        "border": 1,
    }
    header_rating = {
        r: wb.add_format({**header_props, "bg_color": bg, "font_color": fg})
        for r, (bg, fg) in RATING_COLOURS.items()
    }
    rating = {
        r: wb.add_format({"bg_color": bg, "font_color": fg})
        for r, (bg, fg) in RATING_COLOURS.items()
    }
    return _Formats(
        header=wb.add_format(header_props),
        header_rating=header_rating,
        title=wb.add_format({"bold": True, "font_size": 14}),
        section=wb.add_format({"bold": True, "font_size": 12, "font_color": "#1F4E78"}),
        bold=wb.add_format({"bold": True}),
        text_safe=texts.quoted(None),
        texts=texts,
        points=wb.add_format({"num_format": POINTS_FORMAT}),
        points_bold=wb.add_format({"num_format": POINTS_FORMAT, "bold": True}),
        percent=wb.add_format({"num_format": PERCENT_FORMAT}),
        datetime=wb.add_format({"num_format": DATETIME_FORMAT, "align": "left"}),
        rating=rating,
    )


def _write_workbook(result: ScoreResult, run: RunInfo, target: Path) -> None:
    """XlsxWriter's workbook into memory (all but the "Cá nhân" rows), then the final file."""
    filed = filing_order(result.people)
    skeleton = io.BytesIO()
    styles, text_chars = _write_skeleton(result, run, skeleton, filed)
    skeleton.seek(0)
    _assemble(skeleton, target, result, styles, text_chars, filed)


def filing_order(people: Sequence[PersonResult]) -> list[PersonResult]:
    """The rows of "Cá nhân" as offices file them: a department at a time (departments in
    Vietnamese order, the hospital-wide ranking within each), each from the top of a page. The
    screen, the JSON and ``ScoreResult.people`` keep the hospital-wide ranking."""
    from thidua_cli.io.print_setup import group_by_department

    return group_by_department(people, _department_of)


def _department_of(pr: PersonResult) -> str:
    return pr.person.department


def _write_skeleton(
    result: ScoreResult, run: RunInfo, target: BinaryIO, filed: Sequence[PersonResult]
) -> tuple[_BodyStyles | None, int]:
    """Every sheet through XlsxWriter, "Cá nhân" with its header and a sample row only.

    Returns the styles of the "Cá nhân" body (None without people) and the number of characters
    of text its rows will hold (for the zip64 decision)."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(
        target,  # XlsxWriter writes the zip into a binary file object as well as a path
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "nan_inf_to_errors": True,
            "remove_timezone": True,
        },
    )
    try:
        period = result.period.label if result.period else "kỳ không xác định"
        wb.set_properties(
            {
                "title": f"Kết quả thi đua – {period}",
                "subject": "Kết quả chấm điểm, xếp loại chất lượng",
                "author": f"thidua {run.tool_version}",
                "comments": run.command,
                # The run's own clock (never now()): the same inputs give the same bytes.
                "created": _naive(run.started_at),
            }
        )
        fmt = _make_formats(wb)
        text_chars = _write_people(wb.add_worksheet(SHEET_PEOPLE), result, fmt, filed)
        _write_departments(wb.add_worksheet(SHEET_DEPARTMENTS), result, fmt)
        _write_stats(wb, wb.add_worksheet(SHEET_STATS), result, fmt)
        _write_log(wb.add_worksheet(SHEET_LOG), result, run, fmt)
    except BaseException:
        # Release XlsxWriter's temporary row files; the half-written target is removed by the
        # atomic writer.
        _discard_row_files(wb)
        raise
    from xlsxwriter.exceptions import FileCreateError

    try:
        wb.close()
    except FileCreateError as exc:
        # XlsxWriter wraps the OSError (disk full, permission); hand the OSError itself to the
        # atomic writer, which turns it into a Vietnamese message.
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else OSError(str(exc))
        raise cause from exc
    if not result.people:
        return None, 0
    # XlsxWriter numbers the formats it used while closing; the sample row used them all.
    return (
        _BodyStyles(
            text_safe=_xf_index(fmt.text_safe),
            points=_xf_index(fmt.points),
            points_bold=_xf_index(fmt.points_bold),
            rating={r: _xf_index(f) for r, f in fmt.rating.items()},
        ),
        text_chars,
    )


def _xf_index(cell_format: Format) -> int:
    index = cell_format.xf_index
    if not isinstance(index, int):  # pragma: no cover - the sample row uses every format
        raise RuntimeError("result_xlsx: a body format was not registered by the sample row")
    return index


# --- "Cá nhân" --------------------------------------------------------------------------------


def _write_people(ws: Worksheet, result: ScoreResult, fmt: _Formats,
                  filed: Sequence[PersonResult]) -> int:
    """Widths, header, panes, filter and print setup of "Cá nhân", and a sample row.

    The sample row (row 2) uses every format of the body so that XlsxWriter registers them;
    :func:`_assemble` replaces it with the real rows. Returns the number of characters of text
    in the people's rows."""
    table = people_table(result.criteria)
    people = result.people

    text_chars = _set_widths_people(ws, people, table)
    ws.set_row(0, 48)
    for col, column in enumerate(table):
        ws.write_string(0, col, column.header, fmt.header)
    ws.freeze_panes(1, 3)
    ws.autofilter(0, 0, max(len(people), 1), len(table) - 1)
    _print_setup(ws, result, "Kết quả thi đua – Cá nhân")
    from thidua_cli.io.print_setup import department_breaks

    ws.set_h_pagebreaks(department_breaks([pr.person.department for pr in filed], first_row=1))
    if people:
        body = (fmt.text_safe, fmt.points, fmt.points_bold, *fmt.rating.values())
        for col, cell_format in enumerate(body):
            ws.write_string(1, col, "mẫu", cell_format)
    return text_chars


def _set_widths_people(
    ws: Worksheet, people: Sequence[PersonResult], table: Sequence[PeopleColumn]
) -> int:
    """Column widths, fitted ones from the longest text of the column; returns the total length
    of the texts the rows hold (every text column, fitted or not)."""
    total = 0
    for col, column in enumerate(table):
        width = column.width
        if column.cell in (Cell.TEXT, Cell.LABEL):
            assert column.value is not None
            lengths = [len(v) if v else 0 for v in map(column.value, people)]
            total += sum(lengths)
            if not isinstance(width, int):
                low, high = width
                width = max(low, min(high, max(lengths, default=0) + 2))
        elif not isinstance(width, int):
            width = width[0]
        ws.set_column(col, col, width)
    return total


# --- "Cá nhân": the final file ----------------------------------------------------------------


def _assemble(
    skeleton: BinaryIO,
    target: Path,
    result: ScoreResult,
    styles: _BodyStyles | None,
    text_chars: int,
    filed: Sequence[PersonResult],
) -> None:
    """Copy XlsxWriter's workbook into ``target`` entry by entry, in its order, with the rows
    of "Cá nhân" generated into its sheet part."""
    with (
        zipfile.ZipFile(skeleton) as source,
        zipfile.ZipFile(target, "w", allowZip64=True) as dest,
    ):
        for info in source.infolist():
            data = source.read(info)
            entry = zipfile.ZipInfo(info.filename, info.date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            entry.create_system = info.create_system
            if info.filename != _PEOPLE_PART:
                dest.writestr(entry, data)
                continue
            head, tail = _split_sheet_xml(data.decode("utf-8"), len(result.people),
                                          len(people_headers(result.criteria)))
            head_bytes, tail_bytes = head.encode("utf-8"), tail.encode("utf-8")
            bound = (
                len(head_bytes)
                + len(tail_bytes)
                + len(result.people) * (_ROW_BYTES_MAX + _CELL_BYTES_MAX * _people_columns(result))
                + _CHAR_BYTES_MAX * text_chars
            )
            _set_compresslevel(entry, _PEOPLE_COMPRESSLEVEL)
            with dest.open(entry, "w", force_zip64=bound > _ZIP64_LIMIT) as part:
                part.write(head_bytes)
                if styles is not None:
                    for block in people_rows_xml(result, styles, people=filed):
                        part.write(block.encode("utf-8"))
                part.write(tail_bytes)


def _people_columns(result: ScoreResult) -> int:
    return len(people_table(result.criteria))


_DIMENSION = re.compile(r'<dimension ref="[^"]*"/>')


def _split_sheet_xml(xml: str, people: int, columns: int) -> tuple[str, str]:
    """XlsxWriter's "Cá nhân" part → (everything up to the header row's end, with the
    dimension set to the full table; ``</sheetData>`` and everything after)."""
    start = xml.find("<sheetData>")
    header_end = xml.find("</row>", start)
    end = xml.find("</sheetData>", header_end)
    if min(start, header_end, end) < 0:  # pragma: no cover - XlsxWriter always writes them
        raise RuntimeError("result_xlsx: unexpected XlsxWriter output for the people sheet")
    head = xml[: header_end + len("</row>")]
    ref = f'<dimension ref="A1:{_column_letter(columns - 1)}{people + 1}"/>'
    head, found = _DIMENSION.subn(ref, head, count=1)
    if not found:  # pragma: no cover
        raise RuntimeError("result_xlsx: no <dimension> in XlsxWriter's people sheet")
    return head, xml[end:]


def _set_compresslevel(entry: zipfile.ZipInfo, level: int) -> None:
    # ZipFile.open(entry, "w") takes the level from the entry: ``compress_level`` since Python
    # 3.13, ``_compresslevel`` before.
    setattr(entry, "compress_level" if hasattr(entry, "compress_level") else "_compresslevel",
            level)


def people_rows_xml(
    result: ScoreResult,
    styles: _BodyStyles,
    *,
    block_rows: int = _BLOCK_ROWS,
    table: Sequence[PeopleColumn] | None = None,
    people: Sequence[PersonResult] | None = None,
) -> Iterator[str]:
    """The ``<row>`` elements of "Cá nhân" from row 2 on, as SpreadsheetML text in blocks of
    ``block_rows`` rows: the cells XlsxWriter's ``write_number``/``write_string`` write in
    constant-memory mode (see the module docstring), styles by ``styles``, one cell per column
    of ``table`` (default: :func:`people_table`) in its order, none where the value is empty;
    one row per person of ``people`` in its order (default: ``result.people``)."""
    if table is None:
        table = people_table(result.criteria)
    # Per column: the start of its cells (before the row number), its value getter, and the
    # function from value to the rest of the cell ("" or None: no cell). Most of these are a
    # dict's own lookup: values repeat (scores, departments, ratings), and building a cell's
    # text is the dearest step of a row.
    memos = _Memos(styles)
    plan = [
        (f'<c r="{_column_letter(col)}', column.value or _row_numbers(),
         _cell_renderer(column, styles, memos))
        for col, column in enumerate(table)
    ]
    out: list[str] = []
    append = out.append
    rows_in_block = 0
    for i, pr in enumerate(result.people if people is None else people, start=1):
        r = str(i + 1)
        append(f'<row r="{r}">')
        for opener, get, render in plan:
            piece = render(get(pr))
            if piece:
                append(f"{opener}{r}{piece}")
        append("</row>")
        rows_in_block += 1
        if rows_in_block == block_rows:
            yield "".join(out)
            out.clear()
            rows_in_block = 0
    if out:
        yield "".join(out)


def _row_numbers() -> Callable[[PersonResult], int]:
    """The value getter of an STT column: 1, 2, 3 … on successive calls. Every getter is
    called once per row, in row order, so this counts the rows; it spares the loop a test
    per cell for the one column whose value is not the person's."""
    numbers = itertools.count(1)
    return lambda _pr: next(numbers)


class _Memo(dict[Any, str]):
    """value → the rest of its cell, built on first use by ``build``."""

    def __init__(self, build: Callable[[Any], str]) -> None:
        super().__init__({None: ""})
        self._build = build

    def __missing__(self, value: Any) -> str:
        piece = self[value] = self._build(value)
        return piece


class _Memos:
    """The caches shared by the columns of one kind (every points column, every label)."""

    def __init__(self, styles: _BodyStyles) -> None:
        text_cell = _text_cell_factory(styles.text_safe)
        pts = f'" s="{styles.points}"><v>'
        pts_bold = f'" s="{styles.points_bold}"><v>'
        self.text_cell = text_cell
        self.labels = _Memo(text_cell)
        self.points = _Memo(lambda v: _number_cell_rest(v, pts))
        self.totals = _Memo(lambda v: _number_cell_rest(v, pts_bold))


_PLAIN = '"><v>'


def _index_cell(index: int) -> str:
    return f"{_PLAIN}{index}</v></c>"


def _rank_cell(rank: float | None) -> str:
    if type(rank) is int:
        return f"{_PLAIN}{rank}</v></c>"
    return "" if rank is None else _number_cell_rest(rank, _PLAIN)


def _cell_renderer(
    column: PeopleColumn, styles: _BodyStyles, memos: _Memos
) -> Callable[[Any], str | None]:
    """The function from a value of ``column`` to the rest of its cell after ``<c r="B2``."""
    kind = column.cell
    if kind is Cell.INDEX:
        return _index_cell
    if kind is Cell.TEXT:
        return memos.text_cell
    if kind is Cell.LABEL:
        return memos.labels.__getitem__
    if kind is Cell.MARK:
        return {True: '" t="inlineStr"><is><t>x</t></is></c>'}.get
    if kind is Cell.POINTS:
        return memos.points.__getitem__
    if kind is Cell.TOTAL:
        return memos.totals.__getitem__
    if kind is Cell.RANK:
        return _rank_cell
    assert kind is Cell.RATING and column.rating_text is not None
    cells = {}
    for rating in Rating:
        text = column.rating_text(rating)
        cells[rating] = (
            f'" s="{styles.rating[rating]}" t="inlineStr"><is><t>{_escape_cell_text(text)}'
            "</t></is></c>" if text else ""
        )
    return cells.__getitem__


def _number_cell_rest(value: float, style_open: str) -> str:
    """``style_open`` + the number + the cell's end, or "" for NaN and infinities (no cell)."""
    if not math.isfinite(value):
        return ""
    return f"{style_open}{_number_text(value)}</v></c>"


def _number_text(value: float) -> str:
    """The ``<v>`` of a number cell: integers as integers ("92"), other floats as the shortest
    text that reads back the same float ("85.00999999999999", "1e-05")."""
    if type(value) is int:
        return str(value)
    if value == 0:
        return "0"  # also -0.0
    text = repr(float(value))  # float(): also numpy floats, Decimal, bool
    return text[:-2] if text.endswith(".0") else text


# Text that needs more than copying into <t>: XML's specials, characters XML 1.0 forbids
# (control characters but tab and line feed, lone surrogates, U+FFFE/U+FFFF) and a literal
# "_xHHHH_" that Excel would otherwise decode.
_NEEDS_ESCAPE = re.compile("[&<>\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
_LITERAL_ESCAPE = re.compile("(_x[0-9a-fA-F]{4}_)")
_FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")


def _escape_cell_text(text: str) -> str:
    """Cell text → the content of ``<t>``, escaped as Excel (and XlsxWriter) do: "_x0041_" →
    "_x005F_x0041_", "\\x01" → "_x0001_", "\\r" → "_x000D_", then ``& < >``."""
    if _NEEDS_ESCAPE.search(text) is None:
        return text
    text = _LITERAL_ESCAPE.sub(r"_x005F\1", text)
    text = _FORBIDDEN_CHARS.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _text_cell_factory(text_safe: int) -> Callable[[str], str]:
    """A function: text → the rest of its cell after ``<c r="B2`` (style, type, the escaped
    text); "" for empty text (no cell)."""
    safe = f' s="{text_safe}"'
    half = CELL_TEXT_MAX // 2
    starts = _FORMULA_STARTS
    needs_escape = _NEEDS_ESCAPE.search

    def text_cell(value: str) -> str:
        if not value:
            return ""  # no cell, as XlsxWriter writes none for ""
        style = safe if value.startswith(starts) else ""
        if len(value) > half and _utf16_len(value) > CELL_TEXT_MAX:
            value = _utf16_truncate(value, CELL_TEXT_MAX)
        if needs_escape(value) is not None:
            value = _escape_cell_text(value)
        if value[0].isspace() or value[-1].isspace():
            return f'"{style} t="inlineStr"><is><t xml:space="preserve">{value}</t></is></c>'
        return f'"{style} t="inlineStr"><is><t>{value}</t></is></c>'

    return text_cell


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _utf16_truncate(text: str, limit: int) -> str:
    """The longest start of ``text`` within ``limit`` UTF-16 units, never half a character."""
    length = 0
    for index, char in enumerate(text):
        length += 2 if ord(char) > 0xFFFF else 1
        if length > limit:
            return text[:index]
    return text


def _column_letter(col: int) -> str:
    """0 → "A", 25 → "Z", 26 → "AA"."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --- "Khoa phòng" -----------------------------------------------------------------------------


def _write_departments(ws: Worksheet, result: ScoreResult, fmt: _Formats) -> None:
    departments = result.departments
    ws.set_row(0, 32)
    for col, text in enumerate(DEPARTMENT_HEADERS):
        rating = _rating_of_header(text)
        ws.write_string(0, col, text, fmt.header_rating[rating] if rating else fmt.header)
    longest = max((len(d.name) for d in departments), default=0)
    widths = [7, max(16, min(40, longest + 2)), 9, 10, 10, 10, 9, 9, 9, 9, 9, 9, 11]
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    ws.freeze_panes(1, 2)
    ws.autofilter(0, 0, max(len(departments), 1), len(DEPARTMENT_HEADERS) - 1)
    _print_setup(ws, result, "Kết quả thi đua – Khoa phòng")

    for i, d in enumerate(departments):
        row = i + 1
        if d.rank is not None:
            ws.write_number(row, 0, d.rank)
        _write_text(ws, row, 1, d.name, fmt)
        ws.write_number(row, 2, d.headcount)
        ws.write_number(row, 3, d.rated)
        ws.write_number(row, 4, d.not_rated)
        ws.write_number(row, 5, d.pending)
        _write_opt_number(ws, row, 6, d.mean, fmt.points)
        _write_opt_number(ws, row, 7, d.median, fmt.points)
        for j, rating in enumerate(BANDED_RATINGS):
            ws.write_number(row, 8 + j, d.counts.get(rating, 0))
        _write_opt_number(ws, row, 12, d.share_htxsnv, fmt.percent)


def _rating_of_header(text: str) -> Rating | None:
    try:
        return Rating(text)
    except ValueError:
        return None


# --- "Thống kê" -------------------------------------------------------------------------------


def _write_stats(wb: Workbook, ws: Worksheet, result: ScoreResult, fmt: _Formats) -> None:
    period = result.period.label if result.period else "kỳ không xác định"
    # 169 characters: one A4 landscape page wide at 83 % (io/print_setup.py keeps 9 pt).
    for col, width in enumerate((30, 17, 16, 12, 12, 12, 12, 16, 12, 30)):
        ws.set_column(col, col, width)
    ws.write_string(0, 0, f"Thống kê xếp loại – {period}", fmt.title)
    _print_setup(ws, result, "Thống kê xếp loại", repeat_header=False)

    # Counts per rating (rows 3–8, total in row 9; 0-based).
    row = 2
    for col, text in enumerate(("Xếp loại", "Mã", "Số người", "Tỷ lệ")):
        ws.write_string(row, col, text, fmt.header)
    counts = rating_counts(result.people)
    total = len(result.people)
    first_count_row = row + 1
    for rating in RATING_ORDER:
        row += 1
        rfmt = fmt.rating[rating]
        ws.write_string(row, 0, rating.label, rfmt)
        ws.write_string(row, 1, rating.value, rfmt)
        ws.write_number(row, 2, counts[rating])
        if total:
            ws.write_number(row, 3, counts[rating] / total, fmt.percent)
    last_count_row = row
    row += 1
    ws.write_string(row, 0, "Tổng cộng", fmt.bold)
    ws.write_number(row, 2, total, fmt.bold)

    # The HTXSNV cap per peer group.
    row += 2
    ws.write_string(row, 0, "Trần HTXSNV theo nhóm so sánh", fmt.section)
    row += 1
    if result.cap_groups:
        ws.set_row(row, 32)
        for col, text in enumerate(CAP_HEADERS):
            ws.write_string(row, col, text, fmt.header)
        for g in result.cap_groups:
            row += 1
            _write_text(ws, row, 0, g.key, fmt)
            ws.write_number(row, 1, g.rate, fmt.percent)
            ws.write_number(row, 2, g.denominator)
            ws.write_number(row, 3, g.slots)
            ws.write_number(row, 4, len(g.candidates))
            ws.write_number(row, 5, len(g.kept))
            ws.write_number(row, 6, len(g.pending), fmt.rating[Rating.PENDING_COUNCIL]
                            if g.pending else None)
            ws.write_number(row, 7, len(g.demoted))
            _write_opt_number(ws, row, 8, g.cutoff_total, fmt.points)
            if g.pending:
                _write_text(ws, row, 9, ", ".join(g.pending), fmt)
    else:
        ws.write_string(row, 0, "Không áp dụng trần HTXSNV cho kỳ này (hoặc không có ứng viên).")

    # Department means, highest first: the data behind the bar chart.
    means = sorted(
        (d for d in result.departments if d.mean is not None),
        key=lambda d: -(d.mean or 0.0),
    )
    row += 2
    ws.write_string(row, 0, "Điểm trung bình theo khoa/phòng (cao xuống thấp)", fmt.section)
    row += 1
    ws.write_string(row, 0, "Khoa/Phòng", fmt.header)
    ws.write_string(row, 1, "Điểm TB", fmt.header)
    first_mean_row = row + 1
    for d in means:
        row += 1
        _write_text(ws, row, 0, d.name, fmt)
        ws.write_number(row, 1, d.mean or 0.0, fmt.points)
    last_mean_row = row

    # Charts sit to the right of the widest table (the cap groups, 10 columns).
    chart_col = len(CAP_HEADERS) + 1
    if total:
        dist = wb.add_chart({"type": "column"})
        dist.add_series(
            {
                "name": "Số người",
                "categories": [SHEET_STATS, first_count_row, 1, last_count_row, 1],
                "values": [SHEET_STATS, first_count_row, 2, last_count_row, 2],
                "points": [
                    {"fill": {"color": RATING_COLOURS[r][1]}} for r in RATING_ORDER
                ],
                "data_labels": {"value": True},
            }
        )
        dist.set_title({"name": "Phân bố xếp loại"})
        dist.set_legend({"none": True})
        dist.set_y_axis({"name": "Số người", "min": 0})
        dist.set_size({"width": 576, "height": 320})
        ws.insert_chart(2, chart_col, dist)
    if means:
        bar = wb.add_chart({"type": "bar"})
        bar.add_series(
            {
                "name": "Điểm TB",
                "categories": [SHEET_STATS, first_mean_row, 0, last_mean_row, 0],
                "values": [SHEET_STATS, first_mean_row, 1, last_mean_row, 1],
                "fill": {"color": "#4472C4"},
                "data_labels": {"value": True, "num_format": POINTS_FORMAT},
            }
        )
        bar.set_title({"name": "Điểm trung bình theo khoa/phòng"})
        bar.set_legend({"none": True})
        # A bar chart draws its first category at the bottom: reverse so the best is on top.
        bar.set_y_axis({"reverse": True})
        bar.set_x_axis({"min": 0, "max": result.regulation.scoring.total_max})
        bar.set_size({"width": 576, "height": max(320, 22 * len(means) + 90)})
        ws.insert_chart(20, chart_col, bar)


# --- "Nhật ký" --------------------------------------------------------------------------------


def _write_log(ws: Worksheet, result: ScoreResult, run: RunInfo, fmt: _Formats) -> None:
    for col, width in enumerate((28, 48, 30, 66, 90, 24)):
        ws.set_column(col, col, width)
    ws.write_string(0, 0, "Nhật ký chạy thidua", fmt.title)
    _print_setup(ws, result, "Nhật ký chạy thidua", repeat_header=False)
    row = 1

    def pair(label: str, value: str | float | None) -> None:
        nonlocal row
        row += 1
        ws.write_string(row, 0, label, fmt.bold)
        if isinstance(value, str):
            _write_text(ws, row, 1, value, fmt)
        elif value is not None:
            ws.write_number(row, 1, value)

    pair("Phiên bản thidua", run.tool_version)
    row += 1
    ws.write_string(row, 0, "Thời điểm chạy", fmt.bold)
    ws.write_datetime(row, 1, run.started_at, fmt.datetime)
    ws.write_string(row, 2, run.started_at.isoformat(timespec="seconds"))
    pair("Lệnh", run.command)
    pair("Kỳ", result.period.label if result.period else "không xác định")
    pair("Mã kỳ", result.period.code if result.period else "")
    pair("Quy chế", result.regulation.name)
    pair("Nguồn quy chế", run.regulation_source)
    pair("SHA-256 quy chế", run.regulation_sha256)
    pair("Nguồn tiêu chí", result.criteria_source)

    row += 2
    ws.write_string(row, 0, "Tệp đầu vào", fmt.section)
    row += 1
    for col, text in enumerate(("STT", "Đường dẫn", "Định dạng", "SHA-256")):
        ws.write_string(row, col, text, fmt.header)
    for i, f in enumerate(run.inputs, start=1):
        row += 1
        ws.write_number(row, 0, i)
        _write_text(ws, row, 1, f.path, fmt)
        _write_text(ws, row, 2, f.format, fmt)
        _write_text(ws, row, 3, f.sha256, fmt)

    row += 2
    ws.write_string(row, 0, "Số liệu", fmt.section)
    pair("Số người", len(result.people))
    pair("Số khoa/phòng", len(result.departments))
    for rating, n in rating_counts(result.people).items():
        pair(f"{rating.label} ({rating.value})", n)

    if result.inferred_managers:
        row += 2
        ws.write_string(row, 0, "Lãnh đạo suy ra từ chức vụ", fmt.section)
        for staff_id in result.inferred_managers:
            row += 1
            _write_text(ws, row, 1, staff_id, fmt)

    issues = result.report.issues
    row += 2
    ws.write_string(row, 0, f"Cảnh báo và ghi nhận ({len(issues)})", fmt.section)
    row += 1
    if not issues:
        ws.write_string(row, 0, "Không có cảnh báo.")
        return
    for col, text in enumerate(("Mức", "Vị trí", "Mã", "Tệp", "Nội dung", "Giá trị")):
        ws.write_string(row, col, text, fmt.header)
    for issue in issues:
        row += 1
        ws.write_string(row, 0, issue.severity.label)
        _write_text(ws, row, 1, issue.location, fmt)
        ws.write_string(row, 2, issue.code)
        _write_text(ws, row, 3, issue.file or "", fmt)
        _write_text(ws, row, 4, issue.message, fmt)
        if issue.value is not None:
            _write_text(ws, row, 5, str(issue.value), fmt)


# --- helpers ----------------------------------------------------------------------------------


def _write_text(ws: Worksheet, row: int, col: int, value: str, fmt: _Formats) -> None:
    """Text from the input, through XlsxWriter: never a formula, never markup."""
    if not value:
        return
    write_text(ws, row, col, value, formats=fmt.texts)


def _write_opt_number(
    ws: Worksheet, row: int, col: int, value: float | None, cell_format: Format | None
) -> None:
    if value is not None and math.isfinite(value):
        ws.write_number(row, col, value, cell_format)


def _discard_row_files(wb: Workbook) -> None:
    """Close and delete the per-sheet temporary row files of constant-memory mode (XlsxWriter
    removes them only in ``close()``, which is never reached after a failure)."""
    for ws in wb.worksheets():
        handle = getattr(ws, "row_data_fh", None)
        if handle is not None and not handle.closed:
            handle.close()
        name = getattr(ws, "row_data_filename", None)
        if name:
            with contextlib.suppress(OSError):
                os.unlink(name)


def _print_setup(ws: Worksheet, result: ScoreResult, title: str, *, repeat_header: bool = True) -> None:
    """The one print set-up (io/print_setup.py): A4 landscape, one page wide unless that
    prints under 9 pt, the header row on every page, the sheet and the period in the page
    header, page numbers in the footer."""
    from thidua_cli.io.print_setup import setup_xlsxwriter

    period = result.period.label if result.period else ""
    setup_xlsxwriter(ws, header_rows=1 if repeat_header else 0, left=title, right=period)


def _naive(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None) if moment.tzinfo else moment


def _vn_int(value: int) -> str:
    """1048575 → "1.048.575" (Vietnamese thousands separator)."""
    return f"{value:,}".replace(",", ".")


def _vn_number(value: float) -> str:
    """10.0 → "10", 2.5 → "2,5" (Vietnamese decimal comma)."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:g}".replace(".", ",")
