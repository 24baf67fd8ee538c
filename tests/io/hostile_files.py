"""Small hostile spreadsheets, built in code: each one reproduces a class of input that made
``thidua`` hang, use gigabytes or crash (issue 10). Used by tests/io/test_hostile.py and by
``PYTHONPATH=tests python tests/io/hostile_files.py DIR [--big]`` to write the full-size set for measuring."""

from __future__ import annotations

import io
import struct
import sys
import zipfile
from pathlib import Path

from helpers import CRITERION_CODES, DEPT_HEADER

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
HEADER = [str(h) for h in DEPT_HEADER]
N_CRITERIA = len(CRITERION_CODES)


def col_letter(c: int) -> str:
    s = ""
    while c:
        c, rem = divmod(c - 1, 26)
        s = chr(65 + rem) + s
    return s


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def person(r: int, name: str = "Nguyễn Văn An", first: str = "9") -> str:
    """A full person row under the header: staff ID NV<r>, 9 in every criterion but the first."""
    scores = [first] + ["9"] * (N_CRITERIA - 1)
    return (f'<row r="{r}">' + inline(f"A{r}", str(r - 1)) + inline(f"B{r}", f"NV{r:05d}")
            + inline(f"C{r}", name)
            + "".join(f'<c r="{col_letter(4 + i)}{r}"><v>{v}</v></c>' for i, v in enumerate(scores))
            + "</row>")


def header_row() -> str:
    return '<row r="1">' + "".join(inline(f"{col_letter(i)}1", h)
                                   for i, h in enumerate(HEADER, start=1)) + "</row>"


def sheet(rows: str, extra: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><sheetData>{rows}'
            f'</sheetData>{extra}</worksheet>')


def xlsx(sheets: list[str], *, shared: str | None = None,
         compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A minimal workbook: one part per sheet XML, named Sheet1, Sheet2 …"""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        zf.writestr("[Content_Types].xml",
                    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                    'package/2006/content-types"><Default Extension="xml" ContentType='
                    '"application/xml"/><Default Extension="rels" ContentType="application/'
                    'vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/'
                    'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                    'spreadsheetml.sheet.main+xml"/></Types>')
        zf.writestr("_rels/.rels",
                    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                    'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
                    'Target="xl/workbook.xml"/></Relationships>')
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/'
            f'2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(sheets) + 1))
        if shared is not None:
            rels += ('<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/'
                     'officeDocument/2006/relationships/sharedStrings" '
                     'Target="sharedStrings.xml"/>')
        zf.writestr("xl/_rels/workbook.xml.rels",
                    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                    f'package/2006/relationships">{rels}</Relationships>')
        entries = "".join(f'<sheet name="Khoa Nhi {i}" sheetId="{i}" r:id="rId{i}"/>'
                          for i in range(1, len(sheets) + 1))
        zf.writestr("xl/workbook.xml",
                    f'<?xml version="1.0"?><workbook {NS} {RNS}><sheets>{entries}</sheets>'
                    '</workbook>')
        for i, xml in enumerate(sheets, start=1):
            zf.writestr(f"xl/worksheets/sheet{i}.xml", xml)
        if shared is not None:
            zf.writestr("xl/sharedStrings.xml", shared)
    return buf.getvalue()


# --- quadratic scans ----------------------------------------------------------------------

def error_cells_spaced_close(rows: int) -> bytes:
    """Error cells closed ``</c >`` (legal XML): a lazy ``(.*?)</c>`` ran to the end each time."""
    body = "".join(f'<row r="{r}"><c r="A{r}" t="e"><v>#N/A</v></c ></row>'
                   for r in range(2, rows + 2))
    return xlsx([sheet(header_row() + body)])


def shared_formulas_without_master(rows: int) -> bytes:
    """Shared formulas whose master cell is missing: each searched the whole sheet for it."""
    body = "".join(f'<row r="{r}"><c r="D{r}"><f t="shared" si="{r}"/></c></row>'
                   for r in range(2, rows + 2))
    return xlsx([sheet(header_row() + body)])


def struck_strings_spaced_close(count: int) -> bytes:
    """Struck-through shared strings closed ``</si >``."""
    strings = "".join('<si><r><rPr><strike/></rPr><t>Nguyễn Văn An</t></r></si >'
                      for _ in range(count))
    shared = (f'<?xml version="1.0" encoding="UTF-8"?><sst {NS} count="{count}" '
              f'uniqueCount="{count}">{strings}</sst>')
    body = "".join(f'<row r="{r}"><c r="C{r}" t="s"><v>{r - 2}</v></c></row>'
                   for r in range(2, count + 2))
    return xlsx([sheet(header_row() + body)], shared=shared)


def long_text_cell(length: int) -> bytes:
    """One person whose name holds ``length`` characters."""
    return xlsx([sheet(header_row() + person(2, "Nguyễn " + "A" * length) + person(3))])


def number_cell(text: str, column: str = "D") -> bytes:
    """A person whose cell in ``column`` (D: the first criterion; past the criteria: "Điểm
    cộng", "Điểm trừ", then "Tổng điểm") holds the number ``text`` verbatim (``1e309`` is
    infinity once read)."""
    n = len(HEADER)
    head = header_row().replace("</row>", inline(f"{col_letter(n + 1)}1", "Tổng điểm") + "</row>")
    if column == "D":
        row = person(2, first=text)
    else:
        row = person(2).replace("</row>", f'<c r="{column}2"><v>{text}</v></c></row>')
    return xlsx([sheet(head + row + person(3))])


def header_with(text: str) -> bytes:
    """An extra header cell holding ``text`` (U+FFFE is not a character XML allows, written as
    its UTF-8 bytes all the same, which calamine reads)."""
    extra = inline(f"{col_letter(len(HEADER) + 1)}1", text)
    return xlsx([sheet(header_row().replace("</row>", extra + "</row>") + person(2) + person(3))])


# --- size and memory ----------------------------------------------------------------------

def split_bomb(parts: int, part_bytes: int) -> bytes:
    """``parts`` sheets, each inflating to ``part_bytes`` (under the per-part ratio check when
    ``part_bytes`` is below ``Limits.ratio_min_bytes``), together far over the total limit."""
    filler = '<row r="{r}"><c r="A{r}"><v>1</v></c></row>'
    one = header_row() + "".join(filler.format(r=r) for r in range(2, 200))
    pad = " " * max(0, part_bytes - len(one) - 200)
    xml = sheet(one + pad)
    return xlsx([xml] * parts)


def lying_sizes(real_bytes: int, declared: int = 1000) -> bytes:
    """A sheet whose zip directory (local and central headers) declares ``declared`` bytes while
    the deflate stream inflates to ``real_bytes``."""
    xml = sheet(header_row() + " " * real_bytes)
    data = bytearray(xlsx([xml]))
    name = b"xl/worksheets/sheet1.xml"
    # Local header: signature, then size fields at offset 22 (compressed 18, uncompressed 22).
    pos = 0
    while (pos := data.find(b"PK\x03\x04", pos)) >= 0:
        n = struct.unpack_from("<H", data, pos + 26)[0]
        if bytes(data[pos + 30:pos + 30 + n]) == name:
            struct.pack_into("<I", data, pos + 22, declared)
        pos += 4
    pos = 0
    while (pos := data.find(b"PK\x01\x02", pos)) >= 0:
        n = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46:pos + 46 + n]) == name:
            struct.pack_into("<I", data, pos + 24, declared)
        pos += 4
    return bytes(data)


def far_cell_in_the_middle(rows: int, pad_bytes: int) -> bytes:
    """A normal sheet with one stray value at XFD1048576 between its rows, padded (incompressible
    text in a cell) over the prefetch threshold."""
    import random
    rng = random.Random(7)
    noise = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(pad_bytes))
    body = []
    for r in range(2, rows + 2):
        body.append(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>')
        if r == rows // 2:
            body.append('<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    body.append(f'<row r="{rows + 2}">{inline(f"A{rows + 2}", noise[:30000])}</row>')
    for k in range(1, pad_bytes // 30000):
        body.append(f'<row r="{rows + 2 + k}">'
                    f'{inline(f"A{rows + 2 + k}", noise[k * 30000 % pad_bytes:][:30000])}</row>')
    return xlsx([sheet(header_row() + "".join(body))])


def ods(content_rows: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("META-INF/manifest.xml",
                    '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                    'opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" '
                    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type='
                    '"text/xml"/></manifest:manifest>')
        zf.writestr("content.xml",
                    '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
                    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
                    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
                    'office:version="1.2"><office:body><office:spreadsheet>'
                    f'<table:table table:name="Khoa Nhi">{content_rows}</table:table>'
                    '</office:spreadsheet></office:body></office:document-content>')
    return buf.getvalue()


def ods_cell(text: str, repeat: int = 1) -> str:
    rep = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return (f'<table:table-cell office:value-type="string"{rep}><text:p>{text}</text:p>'
            '</table:table-cell>')


def ods_rows_repeated(rows: int = 1_000_000, columns: int = 1_000, *, valued: bool = False) -> bytes:
    """A header, one person, then rows and columns repeated a million times; the repeated
    cells are empty but styled (what a spreadsheet writes when a format is applied to whole
    columns), and one repeated row even carries a value."""
    head = "<table:table-row>" + "".join(ods_cell(h) for h in HEADER) + "</table:table-row>"
    person = ("<table:table-row>" + ods_cell("1") + ods_cell("NV001") + ods_cell("An")
              + '<table:table-cell office:value-type="float" office:value="5"/>'
              + f'<table:table-cell table:style-name="ce1" table:number-columns-repeated='
              f'"{columns}"/></table:table-row>')
    blank = (f'<table:table-row table:number-rows-repeated="{rows}">'
             f'<table:table-cell table:style-name="ce1" table:number-columns-repeated='
             f'"{columns}"/></table:table-row>')
    valued_rows = (f'<table:table-row table:number-rows-repeated="{rows}">'
              + ods_cell("x", columns) + "</table:table-row>")
    return ods(head + person + blank + (valued_rows if valued else ""))


def write_set(folder: Path) -> dict[str, Path]:
    """The full-size hostile set (what the red team measured)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "error-cells-5000.xlsx": error_cells_spaced_close(5_000),
        "error-cells-10000.xlsx": error_cells_spaced_close(10_000),
        "shared-no-master.xlsx": shared_formulas_without_master(10_000),
        "struck-si.xlsx": struck_strings_spaced_close(10_000),
        "long-name.xlsx": long_text_cell(1_100_000),
        "long-words-name.xlsx": xlsx([sheet(header_row() + person(2, "Nguyễn " + "A " * 550_000
                                                                 + "B") + person(3))]),
        "inf-score.xlsx": number_cell("1e309"),
        "inf-bonus.xlsx": number_cell("1e309", col_letter(len(HEADER) - 1)),
        "fffe-header.xlsx": header_with("\ufffe"),
    }
    if "--big" in sys.argv:
        files["split-bomb.xlsx"] = split_bomb(380, 3_900_000)
        files["lying-sizes.xlsx"] = lying_sizes(2_100_000_000)
    files |= {
        "mid-cell-padded.xlsx": far_cell_in_the_middle(1_000, 900_000),
        "ods-rows-repeated.ods": ods_rows_repeated(),
        "ods-valued-repeated.ods": ods(
            "<table:table-row>" + "".join(ods_cell(h) for h in HEADER) + "</table:table-row>"
            '<table:table-row table:number-rows-repeated="1000000">' + ods_cell("1")
            + ods_cell("NV1") + ods_cell("An") + '<table:table-cell office:value-type="float" '
            'office:value="5" table:number-columns-repeated="13"/></table:table-row>'),
    }
    out = {}
    for name, data in files.items():
        (folder / name).write_bytes(data)
        out[name] = folder / name
    return out


if __name__ == "__main__":
    for name, path in write_set(Path(sys.argv[1])).items():
        print(name, path.stat().st_size)
