"""Hostile input files never hang, never blow memory, never crash (issue 10).

Each class of input that a red team found making ``thidua`` quadratic, gigabyte-hungry or
crash (exit 70) is built here small (tests/io/hostile_files.py) and checked: the bounded
scan refuses or reads it quickly, the exit code is one of the documented ones (1 invalid data,
2 usage, 4 unreadable input), the message is Vietnamese and names the file, sheet or cell, and
no traceback is printed. The last test is a seeded fuzz that mixes the classes in ordinary
department workbooks.

Time bounds are generous (a quadratic scan of the same input takes minutes, the linear one a
fraction of a second): they catch the class coming back, not a slow machine.
"""

from __future__ import annotations

import io
import os
import random
import struct
import time
import tracemalloc
import zipfile
from pathlib import Path

import hostile_files as H
import pytest

from helpers import invoke_cli
from thidua_cli.app.validate import validate_paths
from thidua_cli.core.names import name_sort_keys
from thidua_cli.errors import ThiduaError
from thidua_cli.io.atomic import temp_affixes, write_atomic
from thidua_cli.io.sniff import UnreadableFileError, read_input
from thidua_cli.io.workbook import (
    Limits,
    load_workbook,
    scan_ooxml,
    scan_sheet_xml,
    struck_shared_strings,
)
from thidua_cli.model import Regulation


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def _refused(path: Path, limits: Limits | None = None) -> UnreadableFileError:
    with pytest.raises(UnreadableFileError) as info:
        load_workbook(path, **({"limits": limits} if limits else {}))
    assert info.value.exit_code == 4
    assert path.name in info.value.message
    return info.value


def _timed(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - start


def _no_traceback(result) -> None:  # type: ignore[no-untyped-def]
    assert result.exception is None, result.exception
    assert "Traceback" not in result.stderr and "panicked" not in result.stderr
    assert result.exit_code in range(8), (result.exit_code, result.stderr[-500:])


# --- quadratic scans ----------------------------------------------------------------------


def test_error_cells_closed_with_a_space_are_found_in_linear_time(tmp_path: Path) -> None:
    p = _write(tmp_path, "loi.xlsx", H.error_cells_spaced_close(20_000))
    wb, seconds = _timed(load_workbook, p)
    sheet = wb.sheets[0]
    assert len(sheet.errors) == 20_000 and sheet.errors[(2, 1)] == "#N/A"
    assert seconds < 5  # quadratic: 37 s for 10,000 rows


def test_the_error_cell_scan_stops_at_the_next_cell() -> None:
    # An error cell never closed: its content ends where the next cell starts, so the scan
    # neither runs to the end of the sheet nor takes the next cell's value for its own.
    rows = ('<row r="2"><c r="A2" t="e"><v>#REF!</v>'
            '<c r="B2" t="e"><v>#N/A</v></c ></row>')
    facts = scan_sheet_xml(H.sheet(H.header_row() + rows).encode())
    assert facts.errors == {(2, 2): "#N/A"}


def test_shared_formulas_without_a_master_in_linear_time(tmp_path: Path) -> None:
    p = _write(tmp_path, "chung.xlsx", H.shared_formulas_without_master(20_000))
    wb, seconds = _timed(load_workbook, p)
    assert len(wb.sheets[0].formulas_without_value) == 20_000
    assert seconds < 5


def test_a_shared_formula_names_its_master_found_in_one_pass() -> None:
    rows = ('<row r="2"><c r="D2"><f t="shared" ref="D2:D3" si="7">SUM(A2:C2)</f></c></row>'
            '<row r="3"><c r="D3"><f t="shared" si="7"/></c></row>'
            '<row r="4"><c r="D4"><f t="shared" si="8"/></c></row>')
    facts = scan_sheet_xml(H.sheet(H.header_row() + rows).encode())
    assert facts.formulas_without_value == {
        (2, 4): "=SUM(A2:C2)",
        (3, 4): "=SUM(A2:C2) (công thức dùng chung)",
        (4, 4): "(công thức dùng chung)",
    }


def test_struck_shared_strings_closed_with_a_space_in_linear_time(tmp_path: Path) -> None:
    p = _write(tmp_path, "gach.xlsx", H.struck_strings_spaced_close(20_000))
    wb, seconds = _timed(load_workbook, p)
    assert len(wb.sheets[0].struck_cells) == 20_000
    assert seconds < 5


def test_many_struck_styles_in_linear_time() -> None:
    from thidua_cli.io.workbook import _StyleFlags

    flags = _StyleFlags(struck=set(range(1, 50_001)))
    rows = "".join(f'<row r="{r}"><c r="A{r}" s="{r}"><v>1</v></c></row>'
                   for r in range(1, 20_001))
    facts, seconds = _timed(scan_sheet_xml, H.sheet(rows).encode(), flags)
    assert len(facts.struck_cells) == 20_000
    assert seconds < 5  # 50,000 alternatives tried at every cell


def test_shared_string_indices_count_empty_and_spaced_items() -> None:
    sst = (b'<sst><si/><si><t>a</t></si ><si><r><rPr><strike/></rPr><t>b</t></r ></si>'
           b'<si><r><t>c</t></r><r><rPr><strike/></rPr><t>d</t></r></si></sst>')
    assert struck_shared_strings(sst) == {2}


def test_ods_error_cells_closed_with_a_space_in_linear_time(tmp_path: Path) -> None:
    cell = ('<table:table-cell table:formula="of:=1/0" office:value-type="float" '
            'calcext:value-type="error"><text:p>#DIV/0!</text:p ></table:table-cell >')
    rows = "".join(f"<table:table-row>{cell}</table:table-row>" for _ in range(20_000))
    data = H.ods(rows).replace(b'office:version="1.2"', b'office:version="1.2" xmlns:calcext='
                               b'"urn:org:documentfoundation:names:experimental:calc:xmlns:'
                               b'calcext:1.0"')
    p = _write(tmp_path, "loi.ods", data)
    wb, seconds = _timed(load_workbook, p)
    assert len(wb.sheets[0].errors) == 20_000 and wb.sheets[0].errors[(1, 1)] == "#DIV/0!"
    assert seconds < 5


def test_a_name_of_a_million_words_sorts_in_linear_time() -> None:
    long_name = "Nguyễn " + "A " * 550_000 + "Bình"
    names = ["Trần Văn An", long_name, "Nguyễn A A Bình", "Lê Bình"]
    keys, seconds = _timed(name_sort_keys, names)
    assert seconds < 3  # one digit per word: minutes
    order = [names[i] for i in sorted(range(len(names)), key=keys.__getitem__)]
    assert order == ["Trần Văn An", "Lê Bình", "Nguyễn A A Bình", long_name]


# --- total size, lying sizes, repeated cells ----------------------------------------------


def test_many_parts_each_under_the_part_limit_are_bounded_as_a_whole(tmp_path: Path) -> None:
    p = _write(tmp_path, "bom.xlsx", H.split_bomb(40, 500_000))
    exc = _refused(p, Limits(max_uncompressed_bytes=10_000_000))
    assert exc.kind == "too-large" and "10 MB" in exc.message


def test_the_inflated_bytes_are_counted_not_only_the_declared_ones(tmp_path: Path) -> None:
    from thidua_cli.io.workbook import _Inflated, _read_part

    p = _write(tmp_path, "bom.xlsx", H.split_bomb(3, 3_000_000))
    budget = _Inflated(Limits(max_uncompressed_bytes=5_000_000))
    with zipfile.ZipFile(p) as zf, pytest.raises(UnreadableFileError) as info:
        for i in (1, 2, 3):
            _read_part(zf, f"xl/worksheets/sheet{i}.xml", 10**9, p.name, budget)
    assert info.value.kind == "too-large"


def test_a_directory_that_lies_about_sizes_is_inflated_in_bounded_chunks(tmp_path: Path) -> None:
    data = H.lying_sizes(64_000_000)
    exc = _refused(_write(tmp_path, "noi-doi.xlsx", data))
    assert exc.kind in ("corrupt-zip", "too-large")
    # The scan alone (read_input reserves a buffer of the file-size limit, never touched).
    tracemalloc.start()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf, pytest.raises(UnreadableFileError):
            scan_ooxml(zf, Limits(), "noi-doi.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16_000_000  # zipfile's read(cap) inflated all 64 MB at once


def test_a_zip_of_a_million_parts_is_refused_before_zipfile_lists_them(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        with zipfile.ZipFile(io.BytesIO(H.number_cell("9"))) as src:
            for info in src.infolist():
                zf.writestr(info, src.read(info))
        for k in range(30_000):
            zf.writestr(zipfile.ZipInfo(f"x/{k}"), b"")
    p = _write(tmp_path, "nhieu-phan.xlsx", buf.getvalue())
    exc = _refused(p)
    assert exc.kind == "too-large" and "30.005 phần" in exc.message
    assert "không, hoặc" in exc.message


def test_a_far_cell_in_the_middle_is_refused_before_anything_is_allocated(tmp_path: Path) -> None:
    p = _write(tmp_path, "o-xa.xlsx", H.far_cell_in_the_middle(200, 60_000))
    exc = _refused(p)
    assert exc.kind == "too-many-cells"
    assert "Khoa Nhi 1" in exc.message and "XFD" in exc.message


def test_ods_rows_repeated_a_million_times_are_refused_quickly(tmp_path: Path) -> None:
    head = "<table:table-row>" + "".join(H.ods_cell(h) for h in H.HEADER) + "</table:table-row>"
    person = ('<table:table-row table:number-rows-repeated="1000000">' + H.ods_cell("1")
              + H.ods_cell("NV1") + H.ods_cell("An") + '<table:table-cell office:value-type='
              '"float" office:value="5" table:number-columns-repeated="13"/></table:table-row>')
    p = _write(tmp_path, "lap.ods", H.ods(head + person))
    exc, seconds = _timed(_refused, p)
    assert exc.kind == "too-many-cells" and "Khoa Nhi" in exc.message
    assert seconds < 5  # read whole: 43 s and 1.9 GB


def test_ods_value_cells_copied_by_repetition_are_bounded(tmp_path: Path) -> None:
    person = ('<table:table-row table:number-rows-repeated="300">' + H.ods_cell("1")
              + H.ods_cell("NV1") + H.ods_cell("An") + '<table:table-cell office:value-type='
              '"float" office:value="5" table:number-columns-repeated="13"/></table:table-row>')
    p = _write(tmp_path, "lap.ods", H.ods(person))
    assert len(load_workbook(p, limits=Limits(max_ods_repeated_cells=4_800)).sheets[0].rows) == 300
    exc = _refused(p, Limits(max_ods_repeated_cells=4_000))
    assert exc.kind == "too-many-cells" and "Khoa Nhi" in exc.message and "dòng 1" in exc.message


def test_ods_empty_styled_rows_repeated_do_not_count(tmp_path: Path) -> None:
    p = _write(tmp_path, "lap.ods", H.ods_rows_repeated())
    sheet = load_workbook(p).sheets[0]
    assert len(sheet.rows) == 2 and sheet.value(2, 3) == "An"


def test_the_cells_of_all_sheets_are_bounded_together(tmp_path: Path) -> None:
    rows = "".join(f'<row r="{r}"><c r="Z{r}"><v>1</v></c></row>' for r in range(1, 101))
    p = _write(tmp_path, "nhieu.xlsx", H.xlsx([H.sheet(rows)] * 5))
    limits = Limits(max_cells=3_000, max_total_cells=10_000)
    load_workbook(p, limits=Limits(max_cells=3_000, max_total_cells=13_000))
    exc = _refused(p, limits)
    assert exc.kind == "too-many-cells" and "Khoa Nhi 4" in exc.message


# --- text longer than a cell holds ---------------------------------------------------------


def test_a_text_longer_than_excel_allows_is_recorded(tmp_path: Path) -> None:
    over = H.sheet(H.header_row() + H.person(2, "Nguyễn " + "A" * 40_000)
                   + H.person(3, "B" * 32_767) + H.person(4, "😀" * 16_384))
    sheet = load_workbook(_write(tmp_path, "dai.xlsx", H.xlsx([over]))).sheets[0]
    assert sheet.text_cells_too_long == {(2, 3): 40_007, (4, 3): 16_384}
    assert len(sheet.value(2, 3)) == 40_007  # kept whole


# --- crashes -------------------------------------------------------------------------------


BONUS, DEDUCTION, TOTAL = (H.col_letter(len(H.HEADER) - 1), H.col_letter(len(H.HEADER)),
                          H.col_letter(len(H.HEADER) + 1))


@pytest.mark.parametrize("column", ["D", BONUS, DEDUCTION, TOTAL])
@pytest.mark.parametrize("number", ["1e309", "-1e309", "NaN"])
@pytest.mark.parametrize("command", ["score", "validate"])
def test_a_number_that_is_not_finite_is_a_finding(tmp_path: Path, column: str, number: str,
                                                  command: str) -> None:
    p = _write(tmp_path, "quy-4-2026.xlsx", H.number_cell(number, column))
    result = invoke_cli(command, p, "--json")
    _no_traceback(result)
    # An error, except in the sheet's own total, which is only compared (a warning).
    assert result.exit_code == (0 if column == TOTAL else 1)
    assert f"{column}2" in result.stdout + result.stderr


def test_a_number_that_is_not_finite_is_read_as_its_text(tmp_path: Path) -> None:
    sheet = load_workbook(_write(tmp_path, "a.xlsx", H.number_cell("1e309"))).sheets[0]
    assert sheet.value(2, 4) == "inf" and sheet.value(3, 4) == 9


def test_xls_cell_beyond_excels_last_column_with_annotate(tmp_path: Path) -> None:
    data = bytearray((Path(__file__).parents[1] / "data" / "loader-sample.xls").read_bytes())
    i = bytes(data).find(b"\xfd\x00\x0a\x00")  # the first LABELSST: C2
    struct.pack_into("<HH", data, i + 4, 1, 65_283)
    p = _write(tmp_path, "cu.xls", bytes(data))
    result = invoke_cli("validate", p, "--annotate")
    _no_traceback(result)
    copy = tmp_path / "cu.kiem-tra.xlsx"
    assert copy.exists()
    from openpyxl import load_workbook as open_xlsx

    summary = open_xlsx(copy).worksheets[0]
    assert "1 ô nằm ngoài giới hạn của Excel" in str(summary["A3"].value)


@pytest.mark.parametrize("text", ["\ufffe", "\uffff", "Họ\ufffetên"])
def test_noncharacters_in_a_header_with_annotate(tmp_path: Path, text: str) -> None:
    p = _write(tmp_path, "khoa.xlsx", H.header_with(text))
    result = invoke_cli("validate", p, "--annotate")
    _no_traceback(result)
    assert result.exit_code in (0, 1)
    assert (tmp_path / "khoa.kiem-tra.xlsx").exists()


def test_an_input_name_of_245_characters(tmp_path: Path) -> None:
    p = _write(tmp_path, "a" * 240 + ".xlsx", H.number_cell("9"))
    result = invoke_cli("score", p, "--period", "2026-Q4")
    _no_traceback(result)
    assert result.exit_code == 0
    assert sorted(x.name for x in tmp_path.iterdir()) == sorted(
        [p.name, "a" * 240 + ".ket-qua.xlsx"])


@pytest.mark.parametrize("stem", ["a" * 300, "Nguyễn" * 60, "x"])
def test_temporary_names_fit_name_max(tmp_path: Path, stem: str) -> None:
    prefix, suffix = temp_affixes(tmp_path / f"{stem}.ket-qua.xlsx")
    assert len(os.fsencode(prefix + "12345678" + suffix)) <= 255
    assert prefix.startswith(".") and suffix.endswith(".xlsx.tmp")


def test_an_output_path_over_4096_characters(tmp_path: Path) -> None:
    p = _write(tmp_path, "quy-4-2026.xlsx", H.number_cell("9"))
    far = tmp_path.joinpath(*["b" * 200] * 21, "kq.xlsx")
    result = invoke_cli("score", p, "-o", far)
    _no_traceback(result)
    assert result.exit_code in (2, 6)
    assert "quá dài" in result.stderr
    with pytest.raises(ThiduaError) as info:
        write_atomic(far, b"x", force=True)
    assert info.value.exit_code == 2


def test_an_unreadable_input_is_exit_4_in_vietnamese(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    p = _write(tmp_path, "khoa.xlsx", H.number_cell("9"))
    real_open = open

    def no_permission(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(file) == p:
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", no_permission)
    with pytest.raises(UnreadableFileError) as info:
        read_input(p)
    assert info.value.exit_code == 4 and info.value.kind == "permission"
    assert "Không có quyền đọc file" in info.value.message and "khoa.xlsx" in info.value.message


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root reads any file: permissions are not enforced")
def test_an_unreadable_input_on_the_command_line(tmp_path: Path) -> None:
    p = _write(tmp_path, "khoa.xlsx", H.number_cell("9"))
    p.chmod(0)
    try:
        result = invoke_cli("validate", p)
    finally:
        p.chmod(0o644)
    _no_traceback(result)
    assert result.exit_code == 4 and "Không có quyền đọc" in result.stderr


# --- the classes together: a seeded fuzz --------------------------------------------------


def _hostile_sheet(rng: random.Random) -> tuple[str, str | None]:
    """A department sheet with a few hostile features; the shared strings part, if any."""
    rows = [H.header_row()]
    shared: list[str] = []
    n = rng.randint(1, 300)
    for r in range(2, n + 2):
        roll = rng.random()
        if roll < 0.1:
            rows.append(f'<row r="{r}"><c r="A{r}" t="e"><v>#N/A</v></c ></row>')
        elif roll < 0.2:
            rows.append(f'<row r="{r}"><c r="D{r}"><f t="shared" si="{r}"/></c></row>')
        elif roll < 0.3:
            shared.append("<si><r><rPr><strike/></rPr><t>Gạch</t></r></si >")
            rows.append(f'<row r="{r}"><c r="C{r}" t="s"><v>{len(shared) - 1}</v></c></row>')
        elif roll < 0.35:
            rows.append(H.person(r, rng.choice(["\ufffe", "A " * 5_000, "Ư" * 40_000])))
        elif roll < 0.4:
            rows.append(H.person(r, first=rng.choice(["1e309", "-1e309", "NaN", "1e-400"])))
        elif roll < 0.41:
            rows.append(f'<row r="{r}"><c r="{rng.choice(["XFD", "AAA", "Z"])}{r}"><v>1</v></c>'
                        "</row>")
        else:
            rows.append(H.person(r))
    sst = None
    if shared:
        sst = (f'<?xml version="1.0" encoding="UTF-8"?><sst {H.NS} count="{len(shared)}" '
               f'uniqueCount="{len(shared)}">' + "".join(shared) + "</sst>")
    return H.sheet("".join(rows)), sst


@pytest.mark.parametrize("seed", range(6))
def test_hostile_classes_mixed_never_crash(tmp_path: Path, regulation: Regulation,
                                           seed: int) -> None:
    rng = random.Random(seed)
    for k in range(4):
        xml, sst = _hostile_sheet(rng)
        (tmp_path / f"khoa-{k}.xlsx").write_bytes(H.xlsx([xml], shared=sst))
    (tmp_path / "lap.ods").write_bytes(H.ods_rows_repeated(rng.choice([10, 100_000, 10**9])))
    start = time.perf_counter()
    result = validate_paths([tmp_path], regulation, annotate=seed % 2 == 0)
    assert time.perf_counter() - start < 60
    assert len(result.files) == 5
