"""io/reader: the column-wise fast path reads exactly what the per-row code reads.

The per-row code is the reference. Department sheets that are mostly plain, with every kind of
oddity sprinkled in (text numbers, values out of range, blanks, unknown words, total rows,
repeated headers, duplicates, hidden and struck rows, error cells, merged cells, assessment
levels), are read both ways; people (with the order of their mappings) and findings (codes,
cells, messages, order) must be identical."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, datetime, time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_reader_fuzz import sheets as garbage_sheets

from helpers import default_regulation
from thidua_cli.core import vntext
from thidua_cli.io import reader
from thidua_cli.io.raw import RawSheet, RawWorkbook
from thidua_cli.io.reader import cells as reader_cells
from thidua_cli.io.reader import rows as reader_rows
from thidua_cli.model import Period, PeriodKind, Regulation

REGULATION = default_regulation()
CRITERIA = [(c.code, c.max_points) for c in REGULATION.criteria]
PERIOD = Period(PeriodKind.QUARTER, 2026, 4)
DEPARTMENTS = ["Khoa Nội", "Khoa Ngoại", "Phòng Tổ chức cán bộ", "Khoa Tim mạch"]
NAMES = ["Nguyễn Văn An", "Trần Thị Thúy", "Lê Hòa", "Tạ Quang Tổng", "Cao Thị Cộng",
         "Phạm  Minh", " Đỗ Hoà ", "Vũ\u200bLan", "Hoàng Thuỷ", "Bùi Văn Tùng", "TRẦN THÚY"]

# Oddities for any cell: each sends its row to the per-row code (or is read the same way).
ODD = st.sampled_from([
    "", " ", "\u00a0", "\u200b", None, True, False, 0, 1, -1, 1e300, math.nan, math.inf,
    "8,5", "8.5", "1.500", "9đ", "abc", "x", "có", "không", "0", "Nam", "Nữ", "?", "khiển trách",
    "Cảnh cáo", "25/12/2020", "05/03/2021", "31/02/2021", "2020-01-02", 43000.0, 2020.0,
    date(2019, 5, 3), date(2019, 5, 23), datetime(2018, 1, 2, 8, 30), time(8, 0),
    "Tổng cộng", "Cộng", "TỔNG", "Người lập biểu", "Trưởng khoa", "Mã NV", "Họ và tên",
    "NV001", "nv001", "Nguyễn Văn An", "HTXSNV", 250.0, 300.0, 15.5, 10.0, 0.0,
])


def _plain_value(kind: str, draw: st.DrawFn, mx: float = 10.0) -> Any:
    if kind == "score":
        return draw(st.sampled_from([0.0, 5.0, 7.5, mx, 9.0, 8.25, 6.0, 3]))
    if kind == "points":
        return draw(st.sampled_from(["", "", 1.0, 2.5, 0.0, 3]))
    if kind == "total":
        return draw(st.sampled_from(["", 80.0, 95.5, -1.0, 70]))
    if kind == "rating":
        return draw(st.sampled_from(["", "HTTNV", "HTXSNV", " HTNV ", "  "]))
    if kind == "text":
        return draw(st.sampled_from(["", "Bác sĩ", "Điều dưỡng", "  Kỹ thuật viên  ", "Khác"]))
    if kind == "flag":
        return draw(st.sampled_from(["", "x", "X", "có", 1.0, 0.0, "không", " "]))
    if kind == "gender":
        return draw(st.sampled_from(["", "Nam", "Nữ", "nam", "NỮ"]))
    if kind == "date":
        return draw(st.sampled_from(["", date(2008, 11, 10), date(2015, 3, 25),
                                     datetime(2012, 7, 14, 0, 0), date(2020, 1, 5)]))
    if kind == "number":
        return draw(st.sampled_from(["", "", 0.0, 2.0, 10.0, 44.0, 3]))
    if kind == "discipline":
        return draw(st.sampled_from(["", "", "không", "Khiển trách", "-"]))
    raise AssertionError(kind)


# (header, kind) of the columns a sheet may have besides the identity and the criteria.
OTHER_COLUMNS = [
    ("Chức vụ", "text"), ("Lãnh đạo", "flag"), ("Nhóm", "text"), ("Giới tính", "gender"),
    ("Ngày tuyển dụng", "date"), ("Số ngày nghỉ", "number"), ("Nghỉ thai sản", "number"),
    ("Kỷ luật", "discipline"), ("Sáng kiến", "number"), ("Đề tài NCKH", "number"),
    ("Đăng ký thi đua", "flag"), ("Ghi chú", "text"), ("Điểm cộng", "points"),
    ("Điểm trừ", "points"), ("Tổng điểm", "total"), ("Xếp loại", "rating"),
]
LEVELS = ["Hội đồng chấm", "Khoa chấm", "Tự chấm"]


@st.composite
def department_sheet(draw: st.DrawFn, index: int) -> RawSheet:
    combined = draw(st.booleans())
    others = draw(st.lists(st.sampled_from(OTHER_COLUMNS), unique=True, max_size=8))
    leveled = draw(st.sets(st.sampled_from([c for c, _ in CRITERIA]), max_size=2))
    level_count = draw(st.integers(2, 3))
    points_leveled = draw(st.booleans()) and bool(leveled)
    name_first = draw(st.booleans())

    # Columns: (top header, bottom header, kind, max points)
    columns: list[tuple[str, str, str, float]] = [("STT", "", "stt", 0)]
    identity = [("Mã NV", "", "id", 0), ("Họ và tên", "", "name", 0)]
    columns += list(reversed(identity)) if name_first else identity
    if combined:
        columns.append(("Khoa/Phòng", "", "department", 0))
    for code, mx in CRITERIA:
        if code in leveled:
            columns += [(code, lvl, "score", mx) for lvl in LEVELS[:level_count]]
        else:
            columns.append((code, "", "score", mx))
    for header, kind in others:
        if points_leveled and kind == "points":
            columns += [(header, lvl, kind, 0) for lvl in LEVELS[:2]]
        else:
            columns.append((header, "", kind, 0))
    two_rows = bool(leveled) or points_leveled

    rows: list[list[Any]] = [["BẢNG ĐIỂM THI ĐUA QUÝ IV NĂM 2026"] + [""] * (len(columns) - 1)]
    rows.append([top for top, _, _, _ in columns])
    if two_rows:
        rows.append([bottom for _, bottom, _, _ in columns])
    header_rows = len(rows)
    if draw(st.booleans()):
        rows.append([float(i + 1) for i in range(len(columns))])  # the column numbers row

    n = draw(st.integers(0, 25))
    ids: list[Any] = []
    odd_rate = draw(st.sampled_from([0.0, 0.02, 0.1, 0.3]))
    for i in range(n):
        row: list[Any] = []
        for _top, _bottom, kind, mx in columns:
            if kind == "stt":
                value: Any = float(i + 1)
            elif kind == "id":
                value = draw(st.sampled_from([f"NV{index}{i:03d}", f"CB{index}{i:03d}",
                                              float(1000 * index + i), f"nv{index}{i:03d} "]))
                if ids and draw(st.integers(0, 19)) == 0:
                    value = draw(st.sampled_from(ids))  # a staff ID twice
                ids.append(value)
            elif kind == "name":
                value = draw(st.sampled_from(NAMES)) + ("" if draw(st.booleans()) else f" {i}")
            elif kind == "department":
                value = draw(st.sampled_from([*DEPARTMENTS, " Khoa nội "]))
            else:
                value = _plain_value(kind, draw, mx)
            if odd_rate and draw(st.floats(0, 1)) < odd_rate:
                value = draw(ODD)
            row.append(value)
        if draw(st.floats(0, 1)) < odd_rate / 3:
            row = row[: draw(st.integers(0, len(row)))]  # a short row
        rows.append(row)
    if draw(st.booleans()):
        rows.append(["", "Tổng cộng"] + [""] * (len(columns) - 2))
        rows.append(["", "NV999", "Người sau dòng tổng"] + [1.0] * (len(columns) - 3))

    total = len(rows)
    body = st.integers(header_rows + 1, max(total, header_rows + 1))
    col = st.integers(1, len(columns))
    merged = []
    if combined and n > 2 and draw(st.booleans()):
        dept_col = next(c for c, (_, _, kind, _) in enumerate(columns, 1) if kind == "department")
        r1 = draw(body)
        merged.append((r1, dept_col, min(total, r1 + 2), dept_col))
    return RawSheet(
        name="Tổng hợp" if combined else draw(st.sampled_from(DEPARTMENTS)),
        rows=rows,
        merged=merged,
        errors=dict.fromkeys(draw(st.lists(st.tuples(body, col), max_size=2)), "#DIV/0!"),
        formulas_without_value=dict.fromkeys(draw(st.lists(st.tuples(body, col), max_size=2)),
                                             "=SUM(A1:B1)"),
        hidden_rows=set(draw(st.lists(body, max_size=2))),
        struck_cells=set(draw(st.lists(st.tuples(body, st.integers(1, 3)), max_size=2))),
        facts_checked=True,
    )


@st.composite
def regulations(draw: st.DrawFn) -> Regulation:
    validation = replace(
        REGULATION.validation,
        count_hidden_rows=draw(st.booleans()),
        count_struck_rows=draw(st.booleans()),
        blank_score_is_zero=draw(st.booleans()),
        same_name_warning=draw(st.booleans()),
    )
    organisation = REGULATION.organisation
    if draw(st.booleans()):
        organisation = replace(organisation, departments=tuple(DEPARTMENTS))
    return replace(REGULATION, validation=validation, organisation=organisation)


def _read(raws: list[RawWorkbook], regulation: Regulation, fast: bool,
          monkeypatch: pytest.MonkeyPatch) -> tuple[Any, ...]:
    copies = [RawWorkbook(wb.path, wb.format, wb.sha256,
                          [replace(s, rows=[list(r) for r in s.rows]) for s in wb.sheets])
              for wb in raws]
    monkeypatch.setattr(reader_rows, "_FAST_PATH", fast)
    ds = reader.read_dataset(copies, regulation, period=PERIOD)
    people = [(p, list(p.scores.items()), list(p.score_levels.items()), list(p.columns.items()))
              for p in ds.people]
    return people, ds.report.issues, ds.sheets, ds.criteria


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.data_too_large])
@given(st.data(), regulations())
def test_fast_path_reads_exactly_what_the_row_code_reads(data: st.DataObject,
                                                          regulation: Regulation) -> None:
    books = data.draw(st.lists(st.lists(st.integers(0, 9), min_size=1, max_size=3),
                               min_size=1, max_size=2))
    raws = [RawWorkbook(f"khoa-{b}.xlsx", "xlsx", "0" * 64,
                        [data.draw(department_sheet(10 * b + s)) for s in sheet_ids])
            for b, sheet_ids in enumerate(books)]
    with pytest.MonkeyPatch.context() as mp:
        slow = _read(raws, regulation, False, mp)
        fast = _read(raws, regulation, True, mp)
    # repr: stricter than == (1 and 1.0 differ, so do mapping orders) and NaN equals NaN.
    assert repr(fast) == repr(slow)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(garbage_sheets(), max_size=3), min_size=1, max_size=2), regulations())
def test_fast_path_equals_row_code_on_garbage(books: list[list[RawSheet]],
                                              regulation: Regulation) -> None:
    """Sheets of random cells and headers (the reader's fuzz test): still the same reading."""
    raws = [RawWorkbook(f"{i}.xlsx", "xlsx", "0" * 64, sheets) for i, sheets in enumerate(books)]
    with pytest.MonkeyPatch.context() as mp:
        slow = _read(raws, regulation, False, mp)
        fast = _read(raws, regulation, True, mp)
    assert repr(fast) == repr(slow)


def test_fast_path_is_taken_on_a_plain_sheet(monkeypatch: pytest.MonkeyPatch) -> None:
    """A plain sheet is read column-wise, with the same people as the per-row code."""
    header = ["STT", "Mã NV", "Họ và tên", *(c for c, _ in CRITERIA), "Điểm cộng", "Xếp loại"]
    rows: list[list[Any]] = [header] + [
        [float(i), f"NV{i:04d}", f"Nguyễn Văn {i}", *([8.0] * len(CRITERIA)), "", "HTTNV"]
        for i in range(1, 201)
    ]
    sheet = RawSheet("Khoa Nội", rows=rows, facts_checked=True)
    taken: list[int] = []
    original = reader_rows.fast_rows

    def spy(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        taken.append(sum(result.ok) if result is not None else -1)
        return result

    monkeypatch.setattr(reader_rows, "fast_rows", spy)
    raw = RawWorkbook("khoa-noi.xlsx", "xlsx", "0" * 64, [sheet])
    fast = _read([raw], REGULATION, True, monkeypatch)
    assert taken == [200]
    slow = _read([raw], REGULATION, False, monkeypatch)
    assert fast == slow
    people = fast[0]
    assert len(people) == 200 and people[0][0].scores["CM1"] == 8.0
    assert people[199][0].staff_id == "NV0200" and people[199][0].sheet_rating == "HTTNV"
    assert people[0][0].source.row == 2


PIECES = st.sampled_from([
    *"aAóÒòaươĐđ ổộ\t\n", "\u00a0", "\u200b", "\u2007", "\x1c", "\x00", "o\u0301", "\u0301",
    "ß", "ΑΣ", "Tổng", "  ", "ùy", "ÚY", "Thúy", "hòa",
])
TEXTS = st.lists(PIECES, max_size=8).map("".join) | st.text(max_size=8)


@settings(max_examples=300)
@given(st.lists(TEXTS, max_size=8))
def test_batched_text_steps_equal_one_by_one(texts: list[str]) -> None:
    cleaned = reader_cells.clean_all(texts)
    assert cleaned == [vntext.clean(t) for t in texts]
    assert reader_cells.keys_all(cleaned) == [vntext.key(t) for t in cleaned]
    assert reader_cells.casefold_all(cleaned) == [t.casefold() for t in cleaned]


@pytest.mark.parametrize("enabled", [True, False])
def test_reading_leaves_the_garbage_collector_as_it_was(enabled: bool) -> None:
    import gc

    rows = [["Mã NV", "Họ và tên", *(c for c, _ in CRITERIA)],
            ["NV1", "Lê Hòa", *([5.0] * len(CRITERIA))]]
    raw = RawWorkbook("khoa-noi.xlsx", "xlsx", "0" * 64, [RawSheet("Khoa Nội", rows=rows)])
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        ds = reader.read_dataset([raw], REGULATION, period=PERIOD)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
    assert [p.name for p in ds.people] == ["Lê Hòa"]


@pytest.mark.parametrize("fast", [True, False])
def test_a_number_in_the_rating_column_is_read_as_its_text(monkeypatch: pytest.MonkeyPatch,
                                                           fast: bool) -> None:
    """A number typed in "Xếp loại" is the text "5" (then a rating-mismatch), never a float that
    the rating check would fail on (it crashed validate before)."""
    from thidua_cli.core.validation import check_dataset

    monkeypatch.setattr(reader_rows, "_FAST_PATH", fast)
    header = ["Mã NV", "Họ và tên", *(c for c, _ in CRITERIA), "Tổng điểm", "Xếp loại"]
    scores = [m / 2 for _, m in CRITERIA]  # half of every maximum
    total = sum(scores)
    rows = [header, ["NV1", "Lê Hòa", *scores, total, 5.0],
            ["NV2", "Trần An", *scores, total, "HTNV"]]
    raw = RawWorkbook("khoa-noi.xlsx", "xlsx", "0" * 64, [RawSheet("Khoa Nội", rows=rows)])
    ds = reader.read_dataset([raw], REGULATION, period=PERIOD)
    assert [p.sheet_rating for p in ds.people] == ["5", "HTNV"]
    checks = check_dataset(ds, REGULATION, PERIOD)
    mismatches = [i for i in checks.issues if i.code == "rating-mismatch"]
    assert [(i.row, i.value) for i in mismatches] == [(2, "5")]
