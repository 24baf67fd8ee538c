"""``thidua validate`` on 1,000 malformed workbooks (seeded generator, reproducible).

Each workbook looks like a department sheet (title rows, a header, people) with random
corruptions: wrong types, random and duplicated headers, merged cells over the header, huge
numbers and texts, formulas with and without a cached value, error cells, hidden and struck
rows, legacy-font cells, hidden and very hidden sheets, total rows, and now and then broken
XML or a cut zip. They are written straight as OOXML (zip + XML, no spreadsheet library) so
that a thousand of them take a few seconds, and checked through the library function behind
the command (``thidua_cli.app.validate.validate_paths``), ten files per run so that the checks
across files run too. Asserted for every run:

- no exception escapes (an unreadable file is a finding, not an exception);
- every input file is byte-identical afterwards;
- the report can be printed (Rich) and serialised (``thidua.validate/1`` JSON);
- with ``--annotate``, the folder holds exactly the inputs and their complete marked copies;
  when writing a copy fails half-way (simulated), the run stops with a ThiduaError and no
  partial or temporary file is left behind.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from rich.console import Console

from thidua_cli.app.validate import validate_paths
from thidua_cli.errors import ThiduaError
from thidua_cli.model import Regulation
from thidua_cli.present.validate import print_result, result_json

RUNS = 100
FILES_PER_RUN = 10  # 1,000 workbooks

HEADERS = ["STT", "Mã NV", "Họ và tên", "CS1", "CS2", "CM1", "CM2", "CM3", "TD1", "TD2", "HT1",
           "PT1", "Điểm cộng", "Điểm trừ", "Tổng điểm", "Xếp loại"]
ODD_HEADERS = ["Khoa/Phòng", "Ngày tuyển dụng", "Số ngày nghỉ", "Kỷ luật", "Giới tính",
               "Lãnh đạo", "Nhóm", "Tự chấm", "Khoa chấm", "Hội đồng chấm", "CM9 (5đ)",
               "Phụ cấp", "Mã NV", "Họ và tên", "", "Hä vµ tªn", "Tổng cộng", "Ghi chú"]
TEXTS = ["8,5", "1.500", "x", "có", "Nam", "Nữ", "khiển trách", "phê bình", "25/12/2020",
         "31/02/2021", "Tổng cộng", "Người lập biểu", "(1)", "\u200b", "=SUM(A1)", "+1", "-",
         "TrÇn ThÞ Mai", "Hoï vaø teân", "chưa chấm", "HTXSNV", "Loại B", "NaN", "1e309",
         "_x0001_", "  ", "Khoa Nội", "Khoa Ngoai", "Đỗ Văn Ân", "Đỗ Văn An"]
ERRORS = ["#DIV/0!", "#VALUE!", "#REF!", "#N/A", "#NAME?", "#NUM!", "#NULL!"]
SHEET_NAMES = ["Khoa Nội", "Khoa Nhi", "Sheet1", "Tiêu chí", "Tổng hợp", "Khoa  nội",
               "Khoa Hồi sức – Chống độc", "Phòng Điều dưỡng", "Biểu đồ"]

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?><styleSheet {NS}>'
    '<fonts count="3"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><strike/><sz val="11"/><name val="Calibri"/></font>'
    '<font><sz val="12"/><name val=".VnTime"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    '</cellStyles></styleSheet>'
)


def col_letter(c: int) -> str:
    s = ""
    while c:
        c, rem = divmod(c - 1, 26)
        s = chr(65 + rem) + s
    return s


def _xml_text(text: str) -> str:
    return escape("".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 0x20), {'"': "&quot;"})


def cell_xml(ref: str, value: Any, rng: random.Random) -> str:
    style = rng.choice(['', '', '', '', ' s="1"', ' s="2"'])
    if isinstance(value, tuple):
        kind, payload = value
        if kind == "error":
            return f'<c r="{ref}" t="e"{style}><v>{payload}</v></c>'
        if kind == "formula":
            return f'<c r="{ref}"{style}><f>{_xml_text(payload)}</f></c>'
        if kind == "formula-value":
            return f'<c r="{ref}"{style}><f>{_xml_text(payload)}</f><v>{rng.randint(0, 20)}</v></c>'
        if kind == "date":
            return f'<c r="{ref}" s="3"><v>{payload}</v></c>'
        if kind == "bool":
            return f'<c r="{ref}" t="b"{style}><v>{payload}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"{style}><v>{value!r}</v></c>'
    return f'<c r="{ref}" t="inlineStr"{style}><is><t xml:space="preserve">{_xml_text(value)}</t></is></c>'


def random_value(rng: random.Random, column: int) -> Any:
    roll = rng.random()
    if roll < 0.55:
        return rng.choice([rng.randint(0, 15), rng.randint(0, 30) / 2])
    if roll < 0.70:
        return rng.choice(TEXTS)
    if roll < 0.75:
        return ("error", rng.choice(ERRORS))
    if roll < 0.80:
        return ("formula", rng.choice(["SUM(D5:L5)", "1/0", "A1+", "VLOOKUP(B5,X:Y,2,0)"]))
    if roll < 0.84:
        return ("formula-value", "SUM(D5:L5)")
    if roll < 0.87:
        return ("date", rng.choice([43831, 45000, 1, 2958465, 100000]))
    if roll < 0.89:
        return ("bool", rng.choice([0, 1]))
    if roll < 0.92:
        return rng.choice([1e308, -1e308, -5, 10**15, 0.1 + 0.2, 123456789.123])
    if roll < 0.935:
        return "Nguyễn " + "A" * rng.choice([300, 5000, 40000])
    return ""


def sheet_xml(rng: random.Random, max_people: int) -> str:
    rows: dict[int, dict[int, Any]] = {}
    r = 1
    for _ in range(rng.randint(0, 4)):  # title rows
        rows[r] = {1: rng.choice(["SỞ Y TẾ", "BẢNG ĐIỂM QUÝ IV NĂM 2026", "BẢNG ĐIỂM NĂM 2025",
                                  "Khoa Nội", ""])}
        r += rng.randint(1, 2)
    headers = list(HEADERS)
    for _ in range(rng.randint(0, 4)):
        op = rng.random()
        if op < 0.3 and headers:
            headers.pop(rng.randrange(len(headers)))
        elif op < 0.6:
            headers.insert(rng.randrange(len(headers) + 1), rng.choice(ODD_HEADERS))
        elif headers:
            headers[rng.randrange(len(headers))] = rng.choice(ODD_HEADERS + TEXTS)
    header_row = r
    if rng.random() < 0.85:
        rows[r] = dict(enumerate(headers, start=1))
        r += 1
        if rng.random() < 0.2:  # a level row under the header
            rows[r] = {c: rng.choice(["Tự chấm", "Khoa chấm", "Hội đồng chấm", ""])
                       for c in range(4, len(headers) + 1)}
            r += 1
    people = rng.randint(0, max_people)
    for i in range(people):
        row: dict[int, Any] = {}
        for c, h in enumerate(headers, start=1):
            if h == "STT":
                row[c] = i + 1
            elif h == "Mã NV":
                row[c] = rng.choice([f"NV{rng.randint(1, 40):03d}", rng.randint(1, 40), "", "NV001"])
            elif h == "Họ và tên":
                row[c] = rng.choice(["Nguyễn Văn An", "Trần Thị Bình", "TrÇn ThÞ Mai", "",
                                     f"Người {i}", f"Người {i}", f"Người {i}"])
            else:
                row[c] = random_value(rng, c)
        rows[r] = row
        r += rng.choice([1, 1, 1, 1, 2])
    if rng.random() < 0.3:
        rows[r] = {1: "Tổng cộng", 4: rng.randint(0, 500), 15: ("formula-value", "SUM(O1:O9)")}
        r += 1
    if rng.random() < 0.2:
        rows[r + 1] = {3: "Người lập biểu"}
    if rng.random() < 0.01:  # a far stray cell: a wide sheet
        rows.setdefault(header_row, {})[rng.choice([200, 1000, 16_384])] = "xa"
    hidden = {rr for rr in rows if rng.random() < 0.08}
    parts = [f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><sheetData>']
    for rr in sorted(rows):
        attrs = ' hidden="1"' if rr in hidden else ""
        cells = "".join(cell_xml(f"{col_letter(c)}{rr}", v, rng)
                        for c, v in sorted(rows[rr].items()) if v != "" or rng.random() < 0.1)
        parts.append(f'<row r="{rr}"{attrs}>{cells}</row>')
    parts.append("</sheetData>")
    merges = []
    for _ in range(rng.choice([0, 0, 0, 1, 2, 3])):
        r1 = rng.randint(1, max(r, 1))
        c1 = rng.randint(1, 16)
        merges.append(f'{col_letter(c1)}{r1}:{col_letter(c1 + rng.randint(0, 3))}'
                      f'{r1 + rng.randint(0, 2)}')
    if merges:
        parts.append(f'<mergeCells count="{len(merges)}">'
                     + "".join(f'<mergeCell ref="{m}"/>' for m in merges) + "</mergeCells>")
    parts.append("</worksheet>")
    xml = "".join(parts)
    if rng.random() < 0.01:  # broken XML
        xml = xml.replace("</row>", "<row>", 1)
    return xml


def workbook_bytes(seed: int) -> bytes:
    rng = random.Random(seed)
    n_sheets = rng.choice([1, 1, 1, 2, 3])
    names = []
    for _ in range(n_sheets):
        name = rng.choice(SHEET_NAMES)
        while name in names:
            name = name + " 2"
        names.append(name)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, n_sheets + 1))
        zf.writestr("[Content_Types].xml",
                    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
                    'openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
                    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                    '<Default Extension="xml" ContentType="application/xml"/><Override '
                    'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                    'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/'
                    'styles.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                    f'spreadsheetml.styles+xml"/>{overrides}</Types>')
        zf.writestr("_rels/.rels",
                    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                    'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
                    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                    'officeDocument" Target="xl/workbook.xml"/></Relationships>')
        sheets = "".join(
            f'<sheet name="{_xml_text(nm)}" sheetId="{i}" r:id="rId{i}"'
            + rng.choice(["", "", "", "", ' state="hidden"', ' state="veryHidden"']) + "/>"
            for i, nm in enumerate(names, start=1))
        zf.writestr("xl/workbook.xml",
                    f'<?xml version="1.0" encoding="UTF-8"?><workbook {NS} {RNS}><sheets>{sheets}'
                    '</sheets></workbook>')
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/'
            f'2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, n_sheets + 1))
        zf.writestr("xl/_rels/workbook.xml.rels",
                    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                    'openxmlformats.org/package/2006/relationships">' + rels
                    + f'<Relationship Id="rId{n_sheets + 1}" Type="http://schemas.openxmlformats.'
                    'org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
                    '</Relationships>')
        zf.writestr("xl/styles.xml", STYLES)
        for i in range(1, n_sheets + 1):
            zf.writestr(f"xl/worksheets/sheet{i}.xml", sheet_xml(rng, rng.choice([0, 2, 4, 8])))
    data = buf.getvalue()
    roll = rng.random()
    if roll < 0.02:
        data = data[: rng.randint(10, len(data) - 1)]  # cut short
    elif roll < 0.03:
        pos = rng.randrange(len(data))
        data = data[:pos] + bytes([data[pos] ^ 0xFF]) + data[pos + 1:]  # one byte flipped
    return data


def _listing(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _check_report(result: Any, regulation: Regulation) -> None:
    data = result_json(result, regulation)
    json.dumps(data, ensure_ascii=False, allow_nan=False)
    console = Console(file=io.StringIO(), width=160, color_system=None)
    print_result(console, result, regulation)


@pytest.mark.slow
@pytest.mark.parametrize("block", range(4))
def test_validate_never_crashes_and_never_touches_inputs(
        tmp_path: Path, regulation: Regulation, block: int) -> None:
    for run in range(block * RUNS // 4, (block + 1) * RUNS // 4):
        folder = tmp_path / f"run-{run}"
        folder.mkdir()
        for k in range(FILES_PER_RUN):
            (folder / f"khoa-{k}.xlsx").write_bytes(workbook_bytes(run * FILES_PER_RUN + k))
        before = _listing(folder)
        annotate = run % 12 == 0
        result = validate_paths([folder], regulation, annotate=annotate)
        after = _listing(folder)
        assert {k: v for k, v in after.items() if k in before} == before
        written = {f.annotated.path.name for f in result.files if f.annotated is not None}
        assert set(after) == set(before) | written
        if annotate:
            readable = [f for f in result.files if not f.unreadable]
            assert written == {f.path.name.replace(".xlsx", ".kiem-tra.xlsx") for f in readable}
        _check_report(result, regulation)


def test_a_failure_while_writing_a_marked_copy_leaves_nothing_partial(
        tmp_path: Path, regulation: Regulation, monkeypatch: pytest.MonkeyPatch) -> None:
    from openpyxl import Workbook

    real_save = Workbook.save
    calls = {"n": 0}

    def flaky_save(self: Workbook, filename: str) -> None:
        calls["n"] += 1
        if calls["n"] % 3 == 0:  # every third copy: half a file, then the disk is full
            Path(filename).write_bytes(b"PK\x03\x04 half a workbook")
            raise OSError(28, "No space left on device")
        real_save(self, filename)

    monkeypatch.setattr(Workbook, "save", flaky_save)
    for run in range(6):
        folder = tmp_path / f"run-{run}"
        folder.mkdir()
        for k in range(4):
            (folder / f"khoa-{k}.xlsx").write_bytes(workbook_bytes(50_000 + run * 4 + k))
        before = _listing(folder)
        try:
            result = validate_paths([folder], regulation, annotate=True)
        except ThiduaError as exc:
            assert "No space left on device" in str(exc)
        else:
            assert all(f.annotated is not None for f in result.files if not f.unreadable)
        after = _listing(folder)
        assert {k: v for k, v in after.items() if k in before} == before
        for name in set(after) - set(before):
            # only complete marked copies: no temporary files, no half-written workbook
            assert name.endswith(".kiem-tra.xlsx") and not name.startswith(".")
            with zipfile.ZipFile(folder / name) as zf:
                assert zf.testzip() is None
    assert calls["n"] >= 3
