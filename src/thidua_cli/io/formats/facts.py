"""What a format scan finds in a sheet, and the bounds it checks a file against.

:class:`SheetFacts` is what each scanner (``ooxml``, ``ods``, ``biff``) reports for one sheet;
:class:`Limits` the bounds that keep a hostile or broken file from exhausting memory or time.
The helpers shared by the scanners live here too: style flags (struck and legacy fonts) applied
to a cell, A1 column letters, the cell budget of a workbook, and the two messages for a file
outside the bounds or damaged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from thidua_cli.io.raw import Cell
from thidua_cli.io.sniff import DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_MEMBERS, UnreadableFileError
from thidua_cli.model import column_letter


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
# Messages for a file outside the bounds
# ---------------------------------------------------------------------------------------------


def dotted(value: int) -> str:
    """An integer with Vietnamese thousands dots: 1.048.576."""
    return f"{value:,}".replace(",", ".")


def too_big(shown: str, detail: str) -> UnreadableFileError:
    return UnreadableFileError(
        "too-large",
        f"File \"{shown}\" quá lớn hoặc bị nén bất thường ({detail}), nên không đọc để tránh treo "
        "máy. Bảng điểm của khoa/phòng chỉ cần vài nghìn dòng: hãy kiểm tra lại có chọn nhầm "
        "file không, hoặc mở bằng Excel, xoá các dòng/cột/sheet thừa rồi lưu lại thành .xlsx.",
    )


# ---------------------------------------------------------------------------------------------
# Style flags, cell addresses and the cells a workbook will take
# ---------------------------------------------------------------------------------------------


@dataclass
class StyleFlags:
    struck: set[int] = field(default_factory=set)  # cellXfs indices whose font is struck
    legacy: dict[int, str] = field(default_factory=dict)  # cellXfs index → legacy font name
    struck_strings: set[int] = field(default_factory=set)  # shared strings struck as rich text


def is_legacy_font(name: str) -> bool:
    """TCVN3 (ABC) fonts are named ".Vn…" (.VnTime, .VnArial, .VnTimeH); VNI fonts "VNI-…";
    "VNtimes new roman" is an old TCVN3 font too (locale.md, legacy encodings)."""
    low = name.strip().lower()
    return low.startswith((".vn", "vni-", "vni ", "vntimes new roman"))


def col_index(letters: bytes | str) -> int:
    """"A" → 1, "Z" → 26, "AA" → 27, "XFD" → 16384."""
    if isinstance(letters, str):
        letters = letters.encode("ascii")
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ch - 64)
    return n


# 3 → "C": the model's one spelling of a column's letters.
col_letters = column_letter


def flag_cell(ref: Cell, style: int, t: str, flags: StyleFlags, facts: SheetFacts) -> None:
    if style in flags.struck:
        facts.struck_cells.add(ref)
    legacy = flags.legacy.get(style)
    # Only text can be mis-encoded; a number in .VnTime is still a number.
    if legacy and t in ("s", "inlineStr", "str"):
        facts.legacy_fonts[ref] = legacy


class CellBudget:
    """The cells the sheets checked so far will take (each sheet's rectangle): one workbook of
    many sheets, each under ``max_cells``, is bounded as a whole."""

    def __init__(self, limits: Limits, shown: str) -> None:
        self.limits, self.shown, self.total = limits, shown, 0

    def add(self, facts: SheetFacts, sheet: str) -> None:
        check_extent(facts, self.limits, self.shown, sheet)
        self.total += facts.max_row * facts.max_col
        if self.total > self.limits.max_total_cells:
            raise UnreadableFileError(
                "too-many-cells",
                f"File \"{self.shown}\" có quá nhiều ô (các sheet tới sheet \"{sheet}\" đã "
                f"khoảng {dotted(self.total)} ô, giới hạn "
                f"{dotted(self.limits.max_total_cells)}), quá lớn để đọc. Hãy mở bằng Excel, xoá các sheet và dòng/cột thừa rồi lưu lại, "
                "hoặc tách thành nhiều file.",
            )


def check_extent(facts: SheetFacts, limits: Limits, shown: str, sheet: str) -> None:
    area = facts.max_row * facts.max_col
    if area <= limits.max_cells:
        return
    raise UnreadableFileError(
        "too-many-cells",
        f"Sheet \"{sheet}\" của file \"{shown}\" có dữ liệu trải tới dòng "
        f"{dotted(facts.max_row)} và cột {col_letters(facts.max_col)} (khoảng {dotted(area)} ô), "
        "quá lớn để đọc. Thường là do có ô bị gõ nhầm hoặc định dạng thừa ở rất xa bảng: hãy mở bằng Excel, nhấn Ctrl+End "
        "để tìm ô cuối, xoá các dòng/cột thừa bên dưới và bên phải bảng rồi lưu lại.",
    )


def corrupt_message(shown: str, fmt: str, detail: str, sheet: str | None = None) -> str:
    where = f" (sheet \"{sheet}\")" if sheet else ""
    kind = {"xls": "Excel 97-2003 (.xls)", "ods": "LibreOffice (.ods)"}.get(fmt, "Excel (.xlsx)")
    return (
        f"Không đọc được file {kind} \"{shown}\"{where}: file bị hỏng hoặc có nội dung khác chuẩn "
        f"(chi tiết: {detail}). Hãy mở bằng Excel hoặc LibreOffice rồi lưu lại thành một file "
        ".xlsx mới và chạy lại."
    )
