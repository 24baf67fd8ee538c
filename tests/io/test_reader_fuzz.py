"""io/reader: never raises on malformed department sheets (hypothesis-generated RawSheets)."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import CRITERION_CODES, default_regulation
from thidua_cli.io.raw import RawSheet, RawWorkbook
from thidua_cli.io.reader import FIELDS, read_dataset
from thidua_cli.issues import CATALOGUE

REGULATION = default_regulation()
HEADERS = [a for f in FIELDS for a in f.aliases] + list(CRITERION_CODES) + [
    "Tự chấm", "Khoa chấm", "Hội đồng chấm", "CM9 (5đ)", "Tiêu chí", "Tổng cộng", "?", ""]

cells = st.one_of(
    st.just(""),
    st.text(max_size=12),
    st.sampled_from(["8,5", "1.500", "x", "có", "Nam", "Nữ", "khiển trách", "25/12/2020",
                     "31/02/2021", "Tổng cộng", "Người lập biểu", "(1)", "\u200b", "=SUM(A1)"]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.booleans(),
    st.dates(min_value=date(1900, 1, 1)),
    st.datetimes(min_value=datetime(1900, 1, 1)),
    st.times(),
    st.none(),
)


@st.composite
def sheets(draw: st.DrawFn) -> RawSheet:
    width = draw(st.integers(min_value=0, max_value=16))
    title_rows = draw(st.lists(st.lists(cells, max_size=3), max_size=3))
    header_rows = draw(st.lists(st.lists(st.sampled_from(HEADERS), min_size=width,
                                         max_size=width), min_size=0, max_size=2))
    body = draw(st.lists(st.lists(cells, max_size=width + 2), max_size=12))
    rows = [*title_rows, *header_rows, *body]
    n = len(rows)
    coords = st.tuples(st.integers(1, max(n, 1)), st.integers(1, max(width, 1)))
    merged = [
        (min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2))
        for (r1, c1), (r2, c2) in draw(st.lists(st.tuples(coords, coords), max_size=3))
    ]
    return RawSheet(
        name=draw(st.sampled_from(["Khoa Nội", "Sheet1", "Tiêu chí", "Tổng hợp", "Khoa  nội"])),
        visibility=draw(st.sampled_from(["visible", "hidden", "veryHidden"])),
        kind=draw(st.sampled_from(["worksheet"] * 5 + ["chartsheet", "other"])),
        rows=rows,
        merged=merged,
        errors=dict.fromkeys(draw(st.lists(coords, max_size=3)), "#DIV/0!"),
        formulas_without_value=dict.fromkeys(draw(st.lists(coords, max_size=3)), "=A1"),
        hidden_rows=set(draw(st.lists(st.integers(1, max(n, 1)), max_size=3))),
        struck_cells=set(draw(st.lists(coords, max_size=3))),
        text_cells_truncated=dict.fromkeys(draw(st.lists(coords, max_size=2)), 5000),
    )


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(sheets(), max_size=3), min_size=1, max_size=2),
       st.sampled_from(["a.xlsx", "quy-3-2026.xlsx", "nam-2025.xlsx"]))
def test_reader_never_raises_and_findings_are_well_formed(books: list[list[RawSheet]],
                                                          name: str) -> None:
    raws = [RawWorkbook(f"{i}-{name}", "xlsx", "0" * 64, sheets) for i, sheets in
            enumerate(books)]
    ds = read_dataset(raws, REGULATION)
    for issue in ds.report.issues:
        assert issue.code in CATALOGUE
        assert issue.message
        assert issue.column is None or re.fullmatch(r"[A-Z]{1,3}", issue.column)
        assert issue.row is None or issue.row >= 1
    for person in ds.people:
        assert person.staff_id and person.name
        # A criterion without a column is an error (missing-criterion-column), not a score.
        assert set(person.scores) <= {c.code for c in ds.criteria}
        assert all(re.fullmatch(r"[A-Z]{1,3}", v) for v in person.columns.values())
    ids = [p.staff_id.casefold() for p in ds.people]
    assert len(ids) == len(set(ids))  # duplicates are reported, never kept twice
    assert len(ds.sheets) == sum(len(b) for b in books)
    if not ds.people:
        assert any(i.code == "no-data" for i in ds.report.issues)


def test_odd_values_in_every_optional_column() -> None:
    header = ["Mã NV", "Họ và tên", *CRITERION_CODES, *[f.aliases[0] for f in FIELDS
                                                          if f.name not in ("staff_id", "name")]]
    odd: list[object] = [time(8, 30), float("nan"), -(10**30), True, date(2020, 1, 1), "x" * 500]
    rows: list[list[object]] = [header]
    for i, v in enumerate(odd):
        rows.append([f"N{i}", f"Tên {i}", *[v] * (len(header) - 2)])
    ds = read_dataset([RawWorkbook("a.xlsx", "xlsx", "0" * 64, [RawSheet("Khoa A", rows=rows)])],
                      REGULATION)
    assert len(ds.people) == len(odd)
    assert not ds.report.valid
