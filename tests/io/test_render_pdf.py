"""PDF through LibreOffice headless: page count with pdfinfo, fonts with pdffonts (Times New Roman
or its metric twin Liberation Serif, embedded), one page per certificate. Skipped cleanly when
LibreOffice or poppler is not installed."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import doc_options
from thidua_cli import render as rd
from thidua_cli.core.documents import build_documents
from thidua_cli.errors import OutputExistsError

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "awards-sample.json"

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(rd.find_soffice() is None, reason="LibreOffice (soffice) is not installed"),
    pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils is not installed"),
]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pdf")
    result = json.loads(SAMPLE.read_text(encoding="utf-8"))
    docset = build_documents(result, doc_options(numbers={"quyet-dinh": 12}, signer="Trần Văn Giám"))
    written = rd.write_documents(["quyet-dinh", "giay-khen"], docset, out)
    converted = rd.convert_to_pdf([p for _, p in written], out).written
    return {p.stem.split("-12-")[0]: p for p in converted}


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def page_text(path: Path, page: int) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path), "-"],
        capture_output=True, text=True, check=True,
    ).stdout


def test_decision_pdf_pages_and_text(pdfs: dict[str, Path]) -> None:
    path = pdfs["quyet-dinh"]
    assert path.name == "quyet-dinh-12-2026.pdf"
    pages = pdf_pages(path)
    assert 2 <= pages <= 4  # the decision on page 1, the list of 12 rows after it
    first = page_text(path, 1)
    assert "QUYẾT ĐỊNH" in first and "Số: 12/QĐ-BV" in first
    assert "An Bình, ngày 20 tháng 12 năm 2026" in first
    assert "DANH SÁCH" not in first  # the list starts on a new page
    assert "DANH SÁCH" in page_text(path, 2)
    # The list ends with its total and words; the notes' legend (issue 12) may follow overleaf.
    last = "".join(page_text(path, p) for p in range(max(2, pages - 1), pages + 1))
    assert "13.338.000" in last and "Mười ba triệu ba trăm ba mươi tám nghìn đồng" in last
    assert "(1) Đã hưởng mức thưởng cao hơn cùng thời kỳ" in page_text(path, pages)


def test_decision_pdf_fonts_are_times_or_liberation_serif_and_embedded(pdfs: dict[str, Path]) -> None:
    listing = subprocess.run(["pdffonts", str(pdfs["quyet-dinh"])], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
    assert rows
    for row in rows:
        name = row[0].split("+", 1)[-1]
        assert name.startswith(("LiberationSerif", "TimesNewRoman", "Times")), name
        emb = row[-5]  # columns: … emb sub uni object ID
        assert emb == "yes", row
    styles = {row[0].split("+", 1)[-1] for row in rows}
    assert any("Bold" in s for s in styles) and any("Italic" in s for s in styles)


def test_certificates_pdf_has_one_page_per_certificate(pdfs: dict[str, Path]) -> None:
    path = pdfs["giay-khen"]
    assert pdf_pages(path) == 12
    for page, name in ((1, "Nguyễn Thị Ánh"), (8, "Lý Thị Mai"), (10, "Khoa Tai Mũi Họng & Răng Hàm Mặt")):
        text = page_text(path, page)
        assert name in text and text.count("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") == 1
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    size = next(line for line in info.splitlines() if line.startswith("Page size:"))
    width, height = (float(x) for x in size.split()[2:5:2])
    assert width > height  # landscape: 842 × 595 pt


def test_existing_pdf_is_kept_without_force(pdfs: dict[str, Path], tmp_path: Path) -> None:
    docx = pdfs["quyet-dinh"].with_suffix(".docx")
    target = tmp_path / "quyet-dinh-12-2026.pdf"
    target.write_bytes(b"old")
    with pytest.raises(OutputExistsError):
        rd.convert_to_pdf([docx], tmp_path)
    assert target.read_bytes() == b"old"


def test_a_soffice_that_cannot_start_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(rd.TemplateError, match="Không chạy được LibreOffice"):
        rd.convert_to_pdf([tmp_path / "x.docx"], tmp_path, soffice=str(tmp_path / "khong-co-soffice"))
