"""io/workbook: details of the sheet XML scan and of reading large sheets."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thidua_cli.io.formats.ooxml import scan_sheet_xml
from thidua_cli.io.workbook import load_workbook

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _sheet(cells: str) -> bytes:
    return (f'<worksheet {NS}><dimension ref="A1:C2"/><sheetData><row r="1">{cells}</row>'
            "</sheetData></worksheet>").encode()


def test_error_cell_found_whatever_the_quotes() -> None:
    """A cached error is found with single-quoted attributes too (a writer may use them)."""
    double = scan_sheet_xml(_sheet('<c r="A1" t="e"><v>#DIV/0!</v></c>'))
    single = scan_sheet_xml(_sheet("<c r='B1' t='e'><v>#N/A</v></c>"))
    mixed = scan_sheet_xml(_sheet("<c r=\"C1\" t='e'><v>#REF!</v></c>"))
    assert double.errors == {(1, 1): "#DIV/0!"}
    assert single.errors == {(1, 2): "#N/A"}
    assert mixed.errors == {(1, 3): "#REF!"}


def test_no_error_cell_no_finding() -> None:
    facts = scan_sheet_xml(_sheet("<c r=\"A1\" t=\"inlineStr\"><is><t>l'e'</t></is></c>"))
    assert facts.errors == {}


@pytest.mark.parametrize("enabled", [True, False])
def test_loading_leaves_the_garbage_collector_as_it_was(tmp_path: Path, enabled: bool) -> None:
    """The collector is paused while calamine builds the rows, then restored as it was."""
    import xlsxwriter

    p = tmp_path / "khoa.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    wb.add_worksheet("Khoa Nội").write_row(0, 0, ["Mã NV", "Họ và tên", 9.5])
    wb.close()
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        sheet = load_workbook(p).sheets[0]
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
    assert sheet.rows == [["Mã NV", "Họ và tên", 9.5]]


def _one_pass_unusual(data: bytes, hint: tuple[int, int]) -> str | None:
    """The reference: the exact test alone, over every cell."""
    import re

    from thidua_cli.io.formats.ooxml import _gt_digits, _gt_letters

    pat = re.compile(rb'<c(?: r="(?:[A-Za-z]{1,3}' + _gt_digits(hint[0]) + rb'"|'
                     + _gt_letters(hint[1]) + rb'[0-9])|(?! r="))')
    m = pat.search(data)
    if m is None:
        return None
    return "beyond" if data.startswith(b' r="', m.start() + 2) else "no-ref"


@settings(max_examples=400, deadline=None)
@given(
    hint=st.tuples(st.integers(0, 2_000_000), st.integers(0, 20_000))
    | st.tuples(st.sampled_from([9, 10, 99, 100, 3000, 9999, 100005]),
                st.sampled_from([1, 25, 26, 27, 29, 52, 702, 703, 16384])),
    cells=st.lists(st.one_of(
        st.tuples(st.integers(1, 2_100_000), st.integers(1, 17_000)),
        st.tuples(st.just("near"), st.integers(-3, 3), st.integers(-3, 3)),
        st.sampled_from(["no-ref", "lower", "zeros", "quote"]),
    ), max_size=12),
)
def test_two_pass_extent_check_equals_one_pass(hint: tuple[int, int], cells: list[Any]) -> None:
    """The quick pass that skips plainly-inside cells never changes the answer."""
    from thidua_cli.io.formats.facts import col_letters
    from thidua_cli.io.formats.ooxml import _first_unusual_cell, _regexes

    parts = []
    for c in cells:
        if c == "no-ref":
            parts.append('<c t="n"><v>1</v></c>')
        elif c == "lower":
            parts.append('<c r="ab12"><v>1</v></c>')
        elif c == "zeros":
            parts.append('<c r="A0000012"><v>1</v></c>')
        elif c == "quote":
            parts.append("<c r='B3'><v>1</v></c>")
        elif c[0] == "near":  # around the hint's corner
            row, col = max(1, hint[0] + c[1]), max(1, hint[1] + c[2])
            parts.append(f'<c r="{col_letters(col)}{row}"><v>1</v></c>')
        else:
            parts.append(f'<c r="{col_letters(c[1])}{c[0]}"><v>1</v></c>')
    data = f"<sheetData><row>{''.join(parts)}</row></sheetData>".encode()
    got = _first_unusual_cell(data, _regexes(b""), 0, len(data), hint)
    assert got == _one_pass_unusual(data, hint)


def test_formula_without_value_belongs_to_the_last_cell_opened_before_it() -> None:
    """The formula's cell is found searching backwards from the <f> (collect's speed-up, issue
    14): a self-closing cell just before it, a cell whose formula has a value and a text
    formula with an empty value are not it; tab-separated attributes and a prefix are read."""
    cells = ('<c r="A1" s="1"/>'  # self-closing: no formula inside
             '<c r="B1"><f>SUM(A1:A1)</f></c>'  # no <v>: reported on B1
             '<c r="C1"><f>A1+1</f><v>2</v></c>')  # a value: not reported
    facts = scan_sheet_xml(_sheet(cells))
    assert facts.formulas_without_value == {(1, 2): "=SUM(A1:A1)"}
    tabbed = scan_sheet_xml(_sheet('<c\tr="C1"\tt="n"><f>B1*2</f></c><c r="A1"/>'))
    assert tabbed.formulas_without_value == {(1, 3): "=B1*2"}
    text = scan_sheet_xml(_sheet('<c r="A1" t="str"><f>IF(1,"","x")</f><v></v></c>'))
    assert text.formulas_without_value == {}
    prefixed = (b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b'<x:dimension ref="A1:C2"/><x:sheetData><x:row r="2"><x:c r="A2"/>'
                b'<x:c r="C2"><x:f>A2</x:f></x:c></x:row></x:sheetData></x:worksheet>')
    assert scan_sheet_xml(prefixed).formulas_without_value == {(2, 3): "=A2"}
