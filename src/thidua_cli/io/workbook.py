"""Open a spreadsheet file, once, for reading: the one place that does it.

``load_workbook(path)`` returns a :class:`~thidua_cli.io.raw.RawWorkbook`: every sheet's values
exactly where Excel shows them (``rows[r-1][c-1]`` is cell (r, c), from A1), plus the facts
python-calamine cannot see. It never crashes nor hangs on a bad input: every failure is an
``InputFileError`` (exit 4) with a Vietnamese message naming the file and saying what to do.

How:

1. The bytes are read once (bounded), sniffed (``io.sniff``) and hashed, so the hash, the
   format and the values all come from the very same bytes.
2. A zip (xlsx, xlsm, ods) is checked against its directory *before* any parser inflates it:
   total uncompressed size and compression ratio (zip bombs) (``io.formats.parts``).
3. The facts calamine cannot see come from the format scanners in ``io.formats``, each
   bounded by :class:`~thidua_cli.io.formats.facts.Limits` and giving a ``SheetFacts`` per
   sheet: cached errors, formulas without a cached value, hidden rows, strike-through, legacy
   Vietnamese fonts (.VnTime, VNI-Times) and each sheet's extent, because calamine allocates
   the whole rectangle from A1 to the farthest cell (a stray value at XFD1048576 would exhaust
   memory; a damaged .xls naming column 60,000 makes it abort the process). xlsx/xlsm:
   ``ooxml`` (byte regexes over the sheet XML); ods: ``ods`` (``content.xml``); xls: ``biff``
   (the records of the Workbook stream).
4. Values come from python-calamine, every string NFC-normalised.

``RawSheet.facts_checked`` is True when those facts were looked for; it stays False for chart
sheets and for an .xls whose record structure could not be followed (the reader may say that
hidden rows and error values were not checked).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import queue
import sys
import tempfile
import threading
import unicodedata
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any, TypeVar

from thidua_cli.gcpause import collector_paused
from thidua_cli.io.formats.biff import scan_xls
from thidua_cli.io.formats.facts import (
    DEFAULT_LIMITS,
    Limits,
    SheetFacts,
    corrupt_message,
    too_big,
)
from thidua_cli.io.formats.ods import scan_ods
from thidua_cli.io.formats.ooxml import scan_ooxml
from thidua_cli.io.formats.parts import check_zip_bounds
from thidua_cli.io.raw import Cell, RawSheet, RawWorkbook
from thidua_cli.io.sniff import (
    UnreadableFileError,
    display_name,
    encrypted_message,
    open_zip,
    read_input,
    sniff_bytes,
)

T = TypeVar("T")


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
    # The facts of xlsx sheets that need no bound checked first: read while calamine parses.
    deferred: list[Callable[[], None]] = []
    if fmt in ("xlsx", "xlsm", "ods"):
        with open_zip(data, shown, max_members=limits.max_members) as zf:
            check_zip_bounds(zf, limits, shown)
            if fmt == "ods":
                facts = scan_ods(zf, limits, shown)
            else:
                facts = scan_ooxml(zf, limits, shown, deferred=deferred)
    else:
        facts, ordered = scan_xls(data, limits, shown)
    with collector_paused():  # calamine builds one list per row (see gcpause.py)
        sheets = _read_values(data, fmt, shown, facts, ordered, meanwhile=deferred)
    if not sheets:
        # Excel cannot save a workbook without a sheet: this one is damaged.
        raise UnreadableFileError(
            "corrupt", corrupt_message(shown, fmt, "không có sheet nào trong file")
        )
    return RawWorkbook(path=os.fspath(path), format=fmt, sha256=digest, sheets=sheets)


# ---------------------------------------------------------------------------------------------
# Values through python-calamine
# ---------------------------------------------------------------------------------------------


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
        raise too_big(shown, "không đủ bộ nhớ để đọc") from exc
    except BaseException as exc:
        detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        raise UnreadableFileError("corrupt", corrupt_message(shown, fmt, detail, sheet)) from exc


class _StderrHold:
    """File descriptor 2 redirected to one temporary file while any calamine call runs, in any
    thread. fd 2 belongs to the process: two threads each saving and restoring it would race
    (one restoring the other's temporary file, and every later message lost), so the first call
    in redirects, the last out restores, and the calls in between share the hold."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.depth = 0
        self.saved = -1
        self.file: Any = None
        self.failed = False

    def enter(self) -> bool:
        with self.lock:
            if self.depth == 0:
                try:
                    sys.stderr.flush()
                    saved = os.dup(2)
                except (OSError, ValueError, AttributeError):
                    return False
                self.saved, self.failed = saved, False
                self.file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the last leave)
                os.dup2(self.file.fileno(), 2)
            self.depth += 1
            return True

    def leave(self, ok: bool) -> None:
        with self.lock:
            self.failed = self.failed or not ok
            self.depth -= 1
            if self.depth:
                return
            os.dup2(self.saved, 2)
            os.close(self.saved)
            held, self.file = self.file, None
            with held:
                if not self.failed:
                    held.seek(0)
                    text = held.read()
                    if text:
                        os.write(2, text)


_STDERR_HOLD = _StderrHold()


@contextmanager
def _native_stderr_held() -> Iterator[None]:
    """Hold what native code writes to file descriptor 2 during a calamine call.

    A Rust panic inside calamine on a damaged file prints "thread … panicked at …" straight to
    the terminal before pyo3 turns it into an exception; the clerk must only see our message.
    If every call of the hold succeeds, whatever was written is passed on unchanged; if one
    fails, the exception (with its own text) replaces it. Shared by the threads of
    load_workbook (see _StderrHold)."""
    if not _STDERR_HOLD.enter():
        yield
        return
    ok = False
    try:
        yield
        ok = True
    finally:
        _STDERR_HOLD.leave(ok)


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
    meanwhile: list[Callable[[], None]] | None = None,
) -> list[RawSheet]:
    """The values of every worksheet. calamine parses the sheets in a second thread (it
    releases the GIL while it parses, most of a large file's reading) while this one runs
    ``meanwhile`` and builds the Python values of the sheet parsed before (_parse_sheets)."""
    from python_calamine import CalamineWorkbook

    wb = _guarded(lambda: CalamineWorkbook.from_filelike(io.BytesIO(data)), shown, fmt)
    try:
        metas = _guarded(lambda: list(wb.sheets_metadata), shown, fmt)
        sheets = [
            RawSheet(
                name=unicodedata.normalize("NFC", str(meta.name)),
                visibility=_VISIBILITY.get(_enum_name(meta.visible), "visible"),
                kind=_KINDS.get(_enum_name(meta.typ), "other"),
            )
            for meta in metas
        ]
        wanted = [i for i, sheet in enumerate(sheets) if sheet.kind == "worksheet"]
        # Closed whatever happens below: the parsing thread is stopped and waited for.
        with contextlib.closing(_parse_sheets(wb, wanted, sheets, shown, fmt,
                                              meanwhile or [])) as parsed:
            for index, cal in zip(wanted, parsed, strict=True):
                sheet = sheets[index]
                name = sheet.name
                raw_name = str(metas[index].name)
                f = facts.get(raw_name)
                if f is None and ordered and index < len(ordered):
                    f = ordered[index]  # .xls names decoded differently: same order
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


def _parse_sheets(
    wb: Any, wanted: list[int], sheets: list[RawSheet], shown: str, fmt: str,
    meanwhile: list[Callable[[], None]],
) -> Generator[Any, None, None]:
    """calamine's parsed sheets ``wanted`` (indices), in order, parsed by a second thread one
    sheet ahead of the caller: it parses sheet k + 1 (releasing the GIL) while this thread
    runs ``meanwhile`` (each job dropped once run, with the bytes it holds) and then turns
    sheet k into Python values. At most three parsed sheets are alive at once (the one being
    converted, one waiting in the queue, the one being parsed), not the whole workbook's.
    Whatever a parse raised is raised
    here, for its sheet. The thread is always stopped and waited for before this generator
    ends (it holds file descriptor 2, see _native_stderr_held), whatever ends it."""

    def parse(i: int) -> Any:
        return _guarded(partial(wb.get_sheet_by_index, i), shown, fmt, sheets[i].name)

    if not meanwhile:
        for i in wanted:
            yield parse(i)
        return
    ready: queue.Queue[tuple[bool, Any]] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def run() -> None:
        for i in wanted:
            if stop.is_set():
                return
            try:
                item: tuple[bool, Any] = (True, parse(i))
            except BaseException as exc:  # handed to the main thread, which raises it
                item = (False, exc)
            ready.put(item)
            if not item[0]:
                return

    worker = threading.Thread(target=run, name="calamine", daemon=True)
    worker.start()
    try:
        while meanwhile:
            meanwhile.pop(0)()
        for _ in wanted:
            ok, value = ready.get()
            if not ok:
                raise value
            yield value
            del value
    finally:
        stop.set()
        while worker.is_alive():  # a worker blocked on a full queue: make room, then wait
            with contextlib.suppress(queue.Empty):
                ready.get_nowait()
            worker.join(0.05)


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
