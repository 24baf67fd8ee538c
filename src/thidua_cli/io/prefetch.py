"""Start fastexcel on a large workbook before the rest of ``thidua validate`` is imported.

``io.columnar`` parses a large sheet with fastexcel in a thread of its own. The command itself
first imports the reader, the scoring core and NumPy and loads the regulation (about a tenth of
a second): ``start`` lets the parse begin during that time. It imports nothing heavy, reads
the file's bytes once, and hands them with the running thread to ``load_large`` (``take``),
which uses them only when they are the very bytes it reads itself. Nothing here reports
anything: any failure just means ``load_large`` starts its own parse.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

HEAD_ROWS = 40  # the rows io.columnar reads with python-calamine (the header is in the first 30)
MIN_FILE_BYTES = 512 * 1024  # compressed; io.columnar decides on the sheet's own size
MAX_FILE_BYTES = 200 * 1024 * 1024

_pending: dict[str, tuple[bytes, threading.Thread, dict[str, Any]]] = {}


def start(path: str | os.PathLike[str]) -> None:
    """Begin parsing ``path`` with fastexcel if it looks like a large .xlsx/.xlsm file."""
    key = os.path.realpath(path)
    if key in _pending or not key.lower().endswith((".xlsx", ".xlsm")):
        return
    try:
        if not MIN_FILE_BYTES <= os.path.getsize(key) <= MAX_FILE_BYTES:
            return
        with open(key, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError:
        return
    if not data.startswith(b"PK"):
        return
    _pending[key] = (data, *begin(data))


def begin(data: bytes) -> tuple[threading.Thread, dict[str, Any]]:
    """Start the fastexcel parse of ``data`` in a daemon thread; the dictionary receives
    "batch" (an Arrow record batch of the rows below HEAD_ROWS) or "error"."""
    out: dict[str, Any] = {}
    worker = threading.Thread(target=_load_columns, args=(data, out), daemon=True)
    worker.start()
    return worker, out


def take(path: str | os.PathLike[str], data: bytes) -> tuple[threading.Thread, dict[str, Any]] | None:
    """The parse started for ``path``, if it parses exactly ``data``."""
    found = _pending.pop(os.path.realpath(path), None)
    if found is None:
        return None
    started_on, worker, out = found
    if started_on != data:
        worker.join()  # another file now: let it finish, and forget it
        return None
    return worker, out


def _load_columns(data: bytes, out: dict[str, Any]) -> None:
    try:
        import fastexcel

        logging.getLogger("fastexcel").setLevel(logging.ERROR)  # "could not determine dtype"
        reader = fastexcel.read_excel(data)
        # Types inferred from every row (schema_sample_rows=None): they are the proof.
        out["batch"] = reader.load_sheet(0, header_row=None, skip_rows=HEAD_ROWS,
                                         schema_sample_rows=None, eager=True)
    except BaseException as exc:  # any failure (a Rust panic too): the usual loader decides
        out["error"] = f"{type(exc).__name__}: {exc}"
