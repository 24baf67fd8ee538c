"""What a clerk sees on paper (issue 12), read back from the rendered .docx: no number and no
word breaks inside itself (each cell's width, less its padding, holds its widest number and its
longest word, measured with Times New Roman's own widths), names in the head broken where an
office breaks them, the signature kept with the text before it, and the list of the example
year short enough to print (its rows are one line each)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.table import Table, _Cell

from helpers import doc_options
from thidua_cli import render as rd
from thidua_cli.core.documents import KINDS, build_documents
from thidua_cli.core.documents.textfit import fit_lines, text_width_mm

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "awards-sample.json"
NUMBER = re.compile(r"[\d.,%/…-]+")
TWIPS_PER_MM = 1440 / 25.4


@pytest.fixture(scope="module")
def sample_docs() -> dict[str, Document]:
    result = json.loads(SAMPLE.read_text(encoding="utf-8"))
    docset = build_documents(result, doc_options(numbers={"quyet-dinh": 12}, signer="Trần Văn Giám"))
    return {kind: Document(io.BytesIO(rd.render_kind(kind, docset).data)) for kind in KINDS}


def padding_mm(table: Table) -> float:
    """Left plus right cell padding of a table (tblCellMar), Word's 1.9 mm a side when unset."""
    mar = table._tbl.tblPr.find(qn("w:tblCellMar"))
    if mar is None:
        return 2 * 1.905
    return sum(int(mar.find(qn(f"w:{edge}")).get(qn("w:w"))) / TWIPS_PER_MM for edge in ("left", "right"))


def overflows(cell: _Cell, room: float) -> list[str]:
    """The numbers and words of ``cell`` wider than ``room`` (its text width), with their measure."""
    out = []
    for p in cell.paragraphs:
        for run in p.runs:
            size = run.font.size.pt if run.font.size else 14
            bold = bool(run.font.bold)
            text = run.text.strip()
            pieces = [text] if NUMBER.fullmatch(text) else text.split()
            for piece in pieces:
                width = text_width_mm(piece, size, bold=bold)
                if width > room:
                    out.append(f"{piece!r} {width:.1f} mm > {room:.1f} mm")
    return out


def check_tables(doc: Document) -> list[str]:
    problems = []
    for table in doc.tables:
        if table._tbl.tblPr.find(qn("w:tblBorders")) is not None:
            continue  # the borderless head and signature tables: text paragraphs, not columns
        pad = padding_mm(table)
        grid = [int(c.get(qn("w:w"))) / TWIPS_PER_MM for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        for tr in table._tbl.tr_lst:
            at = 0
            for tc in tr.tc_lst:
                span = tc.grid_span
                width = sum(grid[at:at + span])  # a merged cell is as wide as the columns it spans
                at += span
                cell = _Cell(tc, table)
                problems += [f"{where} (row {row_text(tr)!r})" for where in overflows(cell, width - pad)]
    return problems


def row_text(tr: object) -> str:
    return " | ".join("".join(tc.itertext()) for tc in tr.tc_lst)[:60]  # type: ignore[attr-defined]


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "giay-khen"])
def test_no_number_or_word_breaks_inside_itself(sample_docs: dict[str, Document], kind: str) -> None:
    """"835.170.00/0", "100,0/%", "ST/T", "95/0" (issue 12): every ruled cell holds its numbers
    whole and its longest word. Example: "100,0%" at 12 pt is (4 × 500 + 250 + 833) / 1000 ×
    12 pt = 36.99 pt = 13.05 mm; the Tỷ lệ column is 16 mm less 2 mm of padding = 14 mm."""
    assert check_tables(sample_docs[kind]) == []


def test_the_measure_is_the_font_s() -> None:
    # Times New Roman: digits 0.5 em, "." 0.25 em, "%" 0.833 em; bold digits 0.5 em too.
    assert text_width_mm("100,0%", 12) == pytest.approx((4 * 500 + 250 + 833) / 1000 * 12 * 25.4 / 72)
    assert text_width_mm("999.999.999", 11, bold=True) == pytest.approx((9 * 500 + 2 * 250) / 1000 * 11 * 25.4 / 72)
    # A tone mark does not widen its letter.
    assert text_width_mm("Ệ", 13) == text_width_mm("E", 13)


def test_head_names_break_where_an_office_breaks_them() -> None:
    assert fit_lines("BỆNH VIỆN ĐA KHOA TỈNH AN BÌNH", 68, 13, bold=True) == ["BỆNH VIỆN ĐA KHOA", "TỈNH AN BÌNH"]
    assert fit_lines("HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG", 68, 13, bold=True) == ["HỘI ĐỒNG THI ĐUA –", "KHEN THƯỞNG"]
    assert fit_lines("SỞ Y TẾ TỈNH AN BÌNH", 68, 13) == ["SỞ Y TẾ TỈNH AN BÌNH"]
    assert fit_lines("BỆNH VIỆN NHI ĐỒNG THÀNH PHỐ HỒ CHÍ MINH", 68, 13, bold=True) == [
        "BỆNH VIỆN NHI ĐỒNG", "THÀNH PHỐ HỒ CHÍ MINH"]
    for line in fit_lines("BỆNH VIỆN ĐA KHOA KHU VỰC MIỀN NÚI PHÍA BẮC TỈNH LÀO CAI", 68, 13, bold=True):
        assert text_width_mm(line, 13, bold=True) <= 68


@pytest.mark.parametrize("kind", ["quyet-dinh", "to-trinh", "to-trinh-cap-tren", "bien-ban", "kiem-phieu"])
def test_head_lines_fit_their_column(sample_docs: dict[str, Document], kind: str) -> None:
    head = sample_docs[kind].tables[0]
    left = head.cell(0, 0)
    lines = [p for p in left.paragraphs if p.text.strip()]
    assert len(lines) >= 2
    for p in lines:
        run = p.runs[0]
        assert text_width_mm(p.text, run.font.size.pt, bold=bool(run.font.bold)) <= left.width.mm, p.text


@pytest.mark.parametrize(("kind", "closing"), [
    ("quyet-dinh", "Điều 3."), ("to-trinh", "Kính trình"), ("to-trinh-cap-tren", "Kính đề nghị"),
    ("bien-ban", "Cuộc họp kết thúc"), ("kiem-phieu", "Biên bản kiểm phiếu được lập xong"),
])
def test_signature_keeps_with_its_closing_text(sample_docs: dict[str, Document], kind: str, closing: str) -> None:
    """No signature alone on a page: the closing paragraph and any spacer after it keep with
    the signature table, whose one row cannot split."""
    body = sample_docs[kind].element.body
    children = list(body)
    closing_at = max(i for i, el in enumerate(children)
                     if el.tag == qn("w:p") and "".join(el.itertext()).strip().startswith(closing))
    after = children[closing_at:]
    sig = next(el for el in after if el.tag == qn("w:tbl"))
    for el in after[: after.index(sig)]:
        assert el.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None, "".join(el.itertext())
    assert sig.find(f".//{qn('w:trPr')}/{qn('w:cantSplit')}") is not None
