"""Shared test helpers: a CLI runner, the default regulation, and workbook writers.

Everything here is used by ``tests/conftest.py`` fixtures and may also be imported directly
(``from tests.helpers import write_xlsx`` or ``from helpers import …`` under pytest's rootdir
conftest import path).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from thidua_cli.io.raw import RawSheet, RawWorkbook
from thidua_cli.model import (
    Bands,
    CapRules,
    Criterion,
    Organisation,
    Overrides,
    Regulation,
    ScoringRules,
    ValidationRules,
)

# ----------------------------------------------------------------------------------------------
# Running the CLI
# ----------------------------------------------------------------------------------------------


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None = None  # set when main() raised something other than SystemExit

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@contextlib.contextmanager
def _patched_environ(values: Mapping[str, str | None]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    try:
        for k, v in values.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        yield
    finally:
        for k, old in saved.items():
            if old is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = old


def invoke_cli(*args: str | os.PathLike[str], env: Mapping[str, str | None] | None = None) -> CliResult:
    """Call ``thidua_cli.cli.app.main(argv)`` in-process with stdout/stderr captured, NO_COLOR=1
    and COLUMNS=200 (plus ``env``; a value of None removes the variable). Never raises for
    SystemExit; other exceptions are returned in ``.exception`` with exit code -1 (main() itself
    turns unexpected exceptions into exit 70 unless --debug is given)."""
    from thidua_cli.cli.app import main

    argv = [os.fspath(a) for a in args]
    environ: dict[str, str | None] = {"NO_COLOR": "1", "COLUMNS": "200", "TERM": "dumb"}
    environ.update(env or {})
    out, err = io.StringIO(), io.StringIO()
    code: int = 0
    exception: BaseException | None = None
    with _patched_environ(environ), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(argv)
        except SystemExit as exc:
            if exc.code is None:
                code = 0
            elif isinstance(exc.code, int):
                code = exc.code
            else:  # sys.exit("message")
                print(exc.code, file=sys.stderr)
                code = 1
        except BaseException as exc:  # a bug (or --debug): let the test see it
            exception = exc
            code = -1
    return CliResult(code, out.getvalue(), err.getvalue(), exception)


# ----------------------------------------------------------------------------------------------
# The default regulation, built by hand: an oracle independent of the TOML loader
# ----------------------------------------------------------------------------------------------

DEFAULT_CRITERIA: tuple[tuple[str, str, str, float], ...] = (
    ("CS1", "Chấp hành chủ trương, chính sách, pháp luật", "Chấp hành chính sách và nội quy", 10),
    ("CS2", "Chấp hành nội quy, quy chế của bệnh viện", "Chấp hành chính sách và nội quy", 10),
    ("CM1", "Khối lượng, tiến độ công việc", "Chuyên môn nghiệp vụ", 15),
    ("CM2", "Chất lượng chuyên môn", "Chuyên môn nghiệp vụ", 15),
    ("CM3", "Hồ sơ bệnh án, an toàn người bệnh", "Chuyên môn nghiệp vụ", 10),
    ("TD1", "Quy tắc ứng xử, y đức", "Tinh thần thái độ phục vụ", 10),
    ("TD2", "Sự hài lòng của người bệnh", "Tinh thần thái độ phục vụ", 10),
    ("HT1", "Học tập, đào tạo liên tục", "Học tập nâng cao trình độ", 10),
    ("PT1", "Tham gia phong trào, hoạt động đoàn thể", "Tham gia phong trào", 10),
)
CRITERION_CODES: tuple[str, ...] = tuple(c[0] for c in DEFAULT_CRITERIA)


def build_default_regulation() -> Regulation:
    """The built-in regulation's values, built by hand (same numbers as the shipped TOML)."""
    return Regulation(
        name="Quy chế thi đua, khen thưởng (mặc định)",
        source="quy chế mặc định (tích hợp sẵn)",
        sha256="0" * 64,
        organisation=Organisation(
            name="BỆNH VIỆN ĐA KHOA TỈNH AN BÌNH",
            parent="SỞ Y TẾ TỈNH AN BÌNH",
            abbreviation="BV",
            place="An Bình",
            personnel_office="Phòng Tổ chức cán bộ",
            personnel_abbreviation="TCCB",
            director_title="GIÁM ĐỐC",
            departments=(),
            exceptional_unit=False,
        ),
        criteria=tuple(Criterion(c, n, g, float(m)) for c, n, g, m in DEFAULT_CRITERIA),
        scoring=ScoringRules(bonus_cap=10, deduction_cap=None, total_min=0, total_max=100, decimals=2),
        bands=Bands(htxsnv=90, httnv=70, htnv=50, htxsnv_tasks_done=100,
                    htxsnv_tasks_exceeded=30),
        overrides=Overrides(
            discipline_forces_khtnv=True,
            min_months_worked_year=6,
            absence_months_cap_low=3,
            absence_months_cap_high=6,
            min_share_worked_period=0.5,
            working_days_per_month=22,
        ),
        cap=CapRules(
            enabled_year=True,
            enabled_quarter=True,
            enabled_month=True,
            rate=0.20,
            exceptional_rate=0.25,
            scope="hospital",
            denominator="htt_or_better",
            managers_apart=True,
            split_by_group=True,
            infer_manager_from_position=False,
            manager_positions=(
                "Giám đốc", "Phó giám đốc", "Trưởng khoa", "Phó trưởng khoa", "Trưởng phòng",
                "Phó trưởng phòng", "Điều dưỡng trưởng", "Kỹ thuật viên trưởng", "Hộ sinh trưởng",
            ),
        ),
        validation=ValidationRules(
            count_hidden_rows=True,
            count_struck_rows=False,
            max_leave_days_year=261,
            same_name_warning=True,
        ),
        # The awards and documents sections do not take part in scoring: the shipped ones.
        **{name: getattr(default_regulation(), name) for name in ("awards", "money", "council", "documents", "publish", "kpi", "income")},
    )


def default_regulation() -> Regulation:
    """The shipped built-in regulation (``thidua_cli.regulation.default_regulation()``)."""
    from thidua_cli.regulation import default_regulation as shipped

    return shipped()


# ----------------------------------------------------------------------------------------------
# Writing workbooks with openpyxl, and reading them back as RawWorkbook
# ----------------------------------------------------------------------------------------------


def write_xlsx(
    tmp_path: Path,
    sheets: Mapping[str, Sequence[Sequence[Any]]],
    *,
    name: str = "bang-diem.xlsx",
    formulas: bool = False,
    hidden_sheets: Iterable[str] = (),
    very_hidden_sheets: Iterable[str] = (),
    hidden_rows: Mapping[str, Iterable[int]] | None = None,
    struck_cells: Mapping[str, Iterable[str]] | None = None,
    merged: Mapping[str, Iterable[str]] | None = None,
    text_cells: Mapping[str, Iterable[str]] | None = None,
    fonts: Mapping[str, Mapping[str, str]] | None = None,
) -> Path:
    """Write ``sheets`` (sheet name → rows of values; None or "" is an empty cell) to
    ``tmp_path / name`` with openpyxl and return the path.

    Strings starting with "=" are written as text unless ``formulas=True``. ``hidden_rows``:
    sheet → Excel row numbers; ``struck_cells``/``text_cells``: sheet → cell refs ("B5") to strike
    through / format as Text ("@"); ``merged``: sheet → ranges ("A1:F1"); ``fonts``: sheet →
    {cell ref: font name}."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    hidden = set(hidden_sheets)
    very_hidden = set(very_hidden_sheets)
    for sheet_name, rows in sheets.items():
        ws = wb.create_sheet(sheet_name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None or value == "":
                    continue
                cell = ws.cell(row=r, column=c)
                if isinstance(value, str) and value.startswith("=") and not formulas:
                    cell.value = value
                    cell.data_type = "s"
                else:
                    cell.value = value
        for row_no in (hidden_rows or {}).get(sheet_name, ()):
            ws.row_dimensions[row_no].hidden = True
        for ref in (struck_cells or {}).get(sheet_name, ()):
            ws[ref].font = Font(strike=True)
        for ref in (text_cells or {}).get(sheet_name, ()):
            ws[ref].number_format = "@"
        for ref, font_name in (fonts or {}).get(sheet_name, {}).items():
            ws[ref].font = Font(name=font_name)
        for rng in (merged or {}).get(sheet_name, ()):
            ws.merge_cells(rng)
        if sheet_name in hidden:
            ws.sheet_state = "hidden"
        elif sheet_name in very_hidden:
            ws.sheet_state = "veryHidden"
    path = Path(tmp_path) / name
    wb.save(path)
    return path


_CACHED_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}


def raw_from_xlsx(path: str | os.PathLike[str], *, as_given: str | None = None) -> RawWorkbook:
    """Read an .xlsx written by openpyxl into a :class:`RawWorkbook` (test stand-in for
    ``io.workbook.load_workbook``): values as typed, merged ranges, hidden sheets and rows,
    strike-through cells, legacy fonts, cached errors. A formula cell (openpyxl keeps no cached
    value for files it wrote) is reported in ``formulas_without_value``. ``as_given`` is the path
    string to record (default: ``str(path)``)."""
    from openpyxl import load_workbook

    p = Path(path)
    data = p.read_bytes()
    wb = load_workbook(p, data_only=False)
    sheets: list[RawSheet] = []
    for ws in wb.worksheets:
        raw = RawSheet(
            name=unicodedata.normalize("NFC", ws.title),
            visibility=ws.sheet_state,
        )
        rows: list[list[Any]] = []
        for r, row in enumerate(ws.iter_rows(), start=1):
            values: list[Any] = []
            for c, cell in enumerate(row, start=1):
                v = cell.value
                if cell.data_type == "f" or (isinstance(v, str) and cell.data_type != "s" and v.startswith("=")):
                    raw.formulas_without_value[(r, c)] = str(v)
                    v = ""
                elif cell.data_type == "e" or (isinstance(v, str) and v in _CACHED_ERRORS and cell.data_type == "e"):
                    raw.errors[(r, c)] = str(v)
                    v = ""
                elif v is None:
                    v = ""
                elif isinstance(v, str):
                    v = unicodedata.normalize("NFC", v)
                elif isinstance(v, (datetime, date, time, bool, int, float)):
                    pass
                if v != "" and cell.font is not None:
                    if cell.font.strike:
                        raw.struck_cells.add((r, c))
                    fname = cell.font.name or ""
                    if fname.startswith((".Vn", "VNI")):
                        raw.legacy_fonts[(r, c)] = fname
                values.append(v)
            while values and values[-1] == "":
                values.pop()
            rows.append(values)
        while rows and not rows[-1]:
            rows.pop()
        raw.rows = rows
        raw.merged = [
            (m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges
        ]
        raw.hidden_rows = {r for r, dim in ws.row_dimensions.items() if dim.hidden}
        sheets.append(raw)
    for cs in wb.chartsheets:
        sheets.append(RawSheet(name=unicodedata.normalize("NFC", cs.title), kind="chartsheet",
                               visibility=cs.sheet_state))
    fmt = p.suffix.lower().lstrip(".") or "xlsx"
    return RawWorkbook(
        path=as_given if as_given is not None else str(path),
        format=fmt,
        sha256=hashlib.sha256(data).hexdigest(),
        sheets=sheets,
    )


# ----------------------------------------------------------------------------------------------
# Department sheets for reader tests
# ----------------------------------------------------------------------------------------------

# A plain one-row header: A STT, B Mã NV, C Họ và tên, D–L the nine criteria (CS1 … PT1),
# M Điểm cộng, N Điểm trừ.
DEPT_HEADER: list[Any] = ["STT", "Mã NV", "Họ và tên", *CRITERION_CODES, "Điểm cộng", "Điểm trừ"]
FULL_MARKS: tuple[float, ...] = tuple(float(c[3]) for c in DEFAULT_CRITERIA)


def person_row(stt: Any, staff_id: Any, name: Any, scores: Sequence[Any] | None = None,
               bonus: Any = "", deduction: Any = "") -> list[Any]:
    """A row under DEPT_HEADER; ``scores`` default: 9 in every criterion."""
    values = list(scores) if scores is not None else [9] * len(CRITERION_CODES)
    return [stt, staff_id, name, *values, bonus, deduction]


def read_sheets(tmp_path: Path, sheets: Mapping[str, Sequence[Sequence[Any]]],
                regulation: Regulation | None = None, *, period: Any = None,
                name: str = "bang-diem.xlsx", **opts: Any) -> Any:
    """Write ``sheets`` with openpyxl, read them back as a RawWorkbook and run
    ``io.reader.read_dataset`` on it; returns the Dataset."""
    from thidua_cli.io.reader import read_dataset

    path = write_xlsx(tmp_path, sheets, name=name, **opts)
    return read_dataset([raw_from_xlsx(path)], regulation or default_regulation(), period=period)


def issues_of(dataset: Any, code: str) -> list[Any]:
    return [i for i in dataset.report.issues if i.code == code]


def only_issue(dataset: Any, code: str) -> Any:
    found = issues_of(dataset, code)
    assert len(found) == 1, (code, [(i.code, i.location) for i in dataset.report.issues])
    return found[0]


_RUN_FIELDS = frozenset({"numbers", "date", "meeting_date", "absent"})


def doc_options(**changes: Any) -> Any:
    """Document options from the shipped regulation's ``[documents]``/``[money]`` settings, with
    ``changes`` over them (run values, ``[documents]`` keys, or ``linh``/``nghin`` of ``[money]``)."""
    from dataclasses import replace

    from thidua_cli.core.documents import options_from_settings

    regulation = default_regulation()
    money = {k: changes.pop(k) for k in ("linh", "nghin") if k in changes}
    run = {k: changes.pop(k) for k in list(changes) if k in _RUN_FIELDS}
    options = options_from_settings(regulation.documents, replace(regulation.money, **money))
    return replace(options.with_settings(**changes), **run)


# --- hostile .docx templates (tests/io/test_template_safety.py, tests/cli/test_render_fail_closed.py)

SHIPPED_TEMPLATES = Path(__file__).resolve().parents[1] / "src" / "thidua_cli" / "templates"


def docx_with(kind: str, extra: Mapping[str, bytes],
              replace: Mapping[str, bytes] | None = None) -> bytes:
    """The shipped template of ``kind`` with parts added or replaced."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(SHIPPED_TEMPLATES / f"{kind}.docx") as src, \
            zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, (replace or {}).get(info.filename, src.read(info)))
        for name, data in extra.items():
            dst.writestr(name, data)
    return out.getvalue()


def relationships_xml(rel: str) -> bytes:
    """A ``.rels`` part holding the one relationship ``rel``."""
    return (b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            b'package/2006/relationships">' + rel.encode() + b"</Relationships>")
