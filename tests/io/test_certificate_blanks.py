"""Giấy khen on pre-printed blanks (phôi; issue 12): only the changing lines, each a frame at
its place in millimetres from [documents.certificates], shifted by the printer's offsets; a
calibration page with rulers and "+" marks. Read back from the .docx (w:framePr in twips:
1 mm = 1440 / 25.4 twips) and, with LibreOffice, from the PDF (pdftotext -bbox, 1 mm = 72 / 25.4 pt)."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn

from helpers import doc_options
from thidua_cli import render as rd
from thidua_cli.core.documents import build_documents
from thidua_cli.errors import RegulationError
from thidua_cli.regulation import load_regulation

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "awards-sample.json"
PHOI = """[documents.certificates]
mode = "phoi"
offset_x_mm = 1.5
offset_y_mm = -2
[documents.certificates.fields]
authority = { x = 148.5, y = 52, width = 250, size = 17, enabled = false }
"""


def twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


@pytest.fixture()
def phoi(tmp_path: Path) -> Any:
    path = tmp_path / "phoi.toml"
    path.write_text(PHOI, encoding="utf-8")
    return load_regulation(path).documents


def frames(data: bytes) -> list[tuple[str, dict[str, str]]]:
    """(text, framePr attributes) of every framed paragraph, in order."""
    doc = Document(io.BytesIO(data))
    out = []
    for p in doc.paragraphs:
        frame = p._p.find(f"{qn('w:pPr')}/{qn('w:framePr')}")
        if frame is not None:
            out.append((p.text, {k.split("}")[1]: v for k, v in frame.attrib.items()}))
    return out


def test_settings_default_to_plain_paper_and_read_the_blank_s_layout(phoi: Any) -> None:
    assert load_regulation(None).documents.certificates.mode == "giay-trang"
    cert = phoi.certificates
    assert cert.mode == "phoi" and (cert.offset_x_mm, cert.offset_y_mm) == (1.5, -2)
    assert "authority" not in cert.fields  # pre-printed on this blank
    heading = cert.fields["heading"]  # the shipped default position
    assert (heading.x_mm, heading.y_mm, heading.width_mm, heading.size, heading.bold) == (148.5, 76, 250, 30, True)


@pytest.mark.parametrize(("text", "message"), [
    ('[documents.certificates.fields]\nheadng = { x = 1, y = 1, width = 10, size = 12 }\n', "heading"),
    ('[documents.certificates.fields]\nheading = { x = 1, y = 1, width = 10, size = 12, align = "right" }\n', "center"),
    ('[documents.certificates]\nmode = "phôi"\n', "phoi"),
])
def test_bad_layout_is_refused_at_load(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "sai.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RegulationError, match=message):
        load_regulation(path)


def test_each_certificate_prints_its_lines_at_their_places(phoi: Any) -> None:
    result = json.loads(SAMPLE.read_text(encoding="utf-8"))
    docset = build_documents(result, doc_options(numbers={"quyet-dinh": 12}, signer="Trần Văn Giám",
                                                 certificates=phoi.certificates))
    doc = rd.render_kind("giay-khen", docset)
    placed = frames(doc.data)
    # 12 certificates × 10 lines (11 fields, authority pre-printed).
    assert len(placed) == 12 * 10
    first = dict(placed[:10])
    # heading: centred at 148.5 mm in 250 mm → left edge 23.5 mm, + 1.5 mm offset = 25 mm;
    # top 76 mm − 2 mm = 74 mm.
    assert first["CHIẾN SĨ THI ĐUA CƠ SỞ"] == {
        "w": str(twips(250)), "x": str(twips(25)), "y": str(twips(74)),
        "hAnchor": "page", "vAnchor": "page", "wrap": "notBeside"}
    # decision_line is left-aligned from x = 25 mm: 26.5 mm; y 170 − 2 = 168 mm.
    line = next(a for t, a in placed[:10] if t.startswith("Quyết định số 12/QĐ-BV"))
    assert (line["x"], line["y"]) == (str(twips(26.5)), str(twips(168)))
    assert "Bà Nguyễn Thị Ánh" in first and "Số sổ vàng: 01" in first and "Trần Văn Giám" in first
    assert not any("GIÁM ĐỐC BỆNH VIỆN" in t for t, _ in placed)  # the blank has it
    body = Document(io.BytesIO(doc.data))
    assert sum(bool(p.paragraph_format.page_break_before) for p in body.paragraphs) == 11  # 12 pages
    section = body.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)


def test_calibration_page_shows_rulers_marks_and_every_line(phoi: Any) -> None:
    result = json.loads(SAMPLE.read_text(encoding="utf-8"))
    docset = build_documents(result, doc_options(signer="Trần Văn Giám", certificates=phoi.certificates))
    placed = frames(rd.calibration_docx(docset, phoi.certificates))
    texts = [t for t, _ in placed]
    # Rulers every 10 mm: 10 … 290 along the top, 10 … 200 down the left.
    assert texts.count("10") == 2 and "290" in texts and "200" in texts
    marks = [a for t, a in placed if t == "+"]
    # The "+" centred on (20, 20) and (277, 190) mm, offsets applied: box 10 mm wide from x − 5.
    assert [(m["x"], m["y"]) for m in marks] == [(str(twips(16.5)), str(twips(15))),
                                                  (str(twips(273.5)), str(twips(185)))]
    assert "[heading] CHIẾN SĨ THI ĐUA CƠ SỞ" in texts and "[signer_name] Trần Văn Giám" in texts
    assert any(t.startswith("Dấu + cách mép trái và mép trên 20 mm") for t in texts)


def test_calibrate_option_writes_only_the_calibration_page(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    (tmp_path / "phoi.toml").write_text(PHOI, encoding="utf-8")
    shutil.copy(SAMPLE, tmp_path / "nam-2026.de-xuat.json")
    r = run_cli("render", "giay-khen", "--from", tmp_path / "nam-2026.de-xuat.json", "-r", tmp_path / "phoi.toml",
                "--calibrate", "-o", tmp_path / "out")
    assert r.exit_code == 0, r.output
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["giay-khen-can-chinh.docx"]


@pytest.mark.libreoffice
@pytest.mark.skipif(rd.find_soffice() is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice or poppler is not installed")
def test_the_pdf_puts_the_lines_where_the_settings_say(phoi: Any, tmp_path: Path) -> None:
    result = json.loads(SAMPLE.read_text(encoding="utf-8"))
    docset = build_documents(result, doc_options(numbers={"quyet-dinh": 12}, signer="Trần Văn Giám",
                                                 certificates=phoi.certificates))
    docx = tmp_path / "giay-khen-12-2026.docx"
    docx.write_bytes(rd.render_kind("giay-khen", docset).data)
    run = rd.convert_to_pdf([docx], tmp_path)
    (pdf,) = run.written
    xml = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox", str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    def word(text: str) -> tuple[float, float]:
        line = next(x for x in xml.splitlines() if f">{text}</word>" in x)
        return float(line.split('xMin="')[1].split('"')[0]), float(line.split('yMin="')[1].split('"')[0])
    pt = 72 / 25.4
    # heading's top 74 mm = 209.8 pt; decision_line starts at 26.5 mm = 75.1 pt, top 168 mm = 476.2 pt.
    assert word("CHIẾN")[1] == pytest.approx(74 * pt, abs=2)
    x, y = word("Quyết")
    assert x == pytest.approx(26.5 * pt, abs=2) and y == pytest.approx(168 * pt, abs=2)
