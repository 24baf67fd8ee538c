"""Rendered .docx documents read back with python-docx: text of each part, numbers and dates,
Điều 1 against the list, every row and total, the ND 30 fonts and sizes, page size, orientation
and margins, one page per certificate."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from helpers import doc_options
from thidua_cli import render as rd
from thidua_cli.core.awards_result import from_json
from thidua_cli.core.documents import DocumentSet, build_documents
from thidua_cli.errors import InputFileError, OutputExistsError
from thidua_cli.io.awards_io import load_result
from thidua_cli.io.awards_xlsx import RESULT_SHEET

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "awards-sample.json"
FONT = "Times New Roman"


@pytest.fixture(scope="module")
def docset() -> DocumentSet:
    result = json.loads(SAMPLE.read_text(encoding="utf-8"))
    return build_documents(result, doc_options(numbers={"quyet-dinh": 12}, signer="Trần Văn Giám"))


_cache: dict[str, bytes] = {}


def rendered(kind: str, docset: DocumentSet, tmp_path: Path) -> DocumentObject:
    if kind not in _cache:
        _cache[kind] = rd.render_kind(kind, docset).data
    path = tmp_path / f"{kind}.docx"
    path.write_bytes(_cache[kind])
    return Document(str(path))


def paragraphs(doc: DocumentObject) -> list[Paragraph]:
    """Every paragraph of the body in document order, table cells included."""
    return [Paragraph(p, doc) for p in doc.element.body.iter(qn("w:p"))]


def texts(doc: DocumentObject) -> list[str]:
    return [p.text for p in paragraphs(doc)]


def find(doc: DocumentObject, text: str) -> Paragraph:
    for p in paragraphs(doc):
        if p.text == text:
            return p
    raise AssertionError(f"no paragraph {text!r} in {texts(doc)!r}")


def runs_of(p: Paragraph) -> Iterator[Any]:
    return (r for r in p.runs if r.text)


def assert_font(p: Paragraph, size: float, *, bold: bool = False, italic: bool = False) -> None:
    runs = list(runs_of(p))
    assert runs, p.text
    for r in runs:
        assert r.font.name == FONT, (p.text, r.font.name)
        rfonts = r._element.rPr.find(qn("w:rFonts"))
        assert rfonts.get(qn("w:eastAsia")) == FONT and rfonts.get(qn("w:cs")) == FONT
        assert r.font.size == Pt(size), (p.text, r.font.size)
        assert bool(r.font.bold) is bold, (p.text, "bold")
        assert bool(r.font.italic) is italic, (p.text, "italic")


def has_bottom_rule(p: Paragraph) -> bool:
    ppr = p._p.pPr
    bdr = ppr.find(qn("w:pBdr")) if ppr is not None else None
    return bdr is not None and bdr.find(qn("w:bottom")) is not None


def row_texts(row: Any) -> list[str]:
    """Cell texts of a row, a merged cell once."""
    out, seen = [], []
    for cell in row.cells:
        if any(cell._tc is s for s in seen):
            continue
        seen.append(cell._tc)
        out.append(cell.text)
    return out


def table_with_header(doc: DocumentObject, first: str) -> Table:
    for t in doc.tables:
        if t.rows and t.rows[0].cells[0].text == "STT" and first in row_texts(t.rows[0]):
            return t
    raise AssertionError(f"no table with header {first!r}")


def no_tags_left(doc: DocumentObject) -> None:
    joined = "\n".join(texts(doc))
    assert "{{" not in joined and "{%" not in joined and "%}" not in joined


def mm(length: Any) -> float:
    return round(length.mm, 1)


# --------------------------------------------------------------------------------------------
# Quyết định and its list
# --------------------------------------------------------------------------------------------


def test_decision_page_is_a4_portrait_with_nd30_margins(docset: DocumentSet, tmp_path: Path) -> None:
    doc = rendered("quyet-dinh", docset, tmp_path)
    (section,) = doc.sections
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert (mm(section.page_width), mm(section.page_height)) == (210.0, 297.0)
    assert (mm(section.top_margin), mm(section.bottom_margin)) == (20.0, 20.0)
    assert (mm(section.left_margin), mm(section.right_margin)) == (30.0, 15.0)
    # Page numbers in the header, none on page 1.
    assert section.different_first_page_header_footer
    assert section.first_page_header.paragraphs[0].text == ""
    header_xml = section.header._element.xml
    assert 'w:instr="PAGE"' in header_xml
    no_tags_left(doc)


def test_decision_header_number_and_date_line(docset: DocumentSet, tmp_path: Path) -> None:
    doc = rendered("quyet-dinh", docset, tmp_path)
    assert_font(find(doc, "SỞ Y TẾ TỈNH AN BÌNH"), 13)
    # The issuer broken where an office breaks it, never "…TỈNH AN / BÌNH" (issue 12).
    assert_font(find(doc, "BỆNH VIỆN ĐA KHOA"), 13, bold=True)
    assert_font(find(doc, "TỈNH AN BÌNH"), 13, bold=True)
    quoc_hieu = find(doc, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert_font(quoc_hieu, 13, bold=True)
    tieu_ngu = find(doc, "Độc lập - Tự do - Hạnh phúc")
    assert_font(tieu_ngu, 14, bold=True)
    all_p = paragraphs(doc)
    after = all_p[[p.text for p in all_p].index(tieu_ngu.text) + 1]
    assert after.text == "" and has_bottom_rule(after)  # the rule under the Tiêu ngữ
    assert_font(find(doc, "Số: 12/QĐ-BV"), 13)
    date_line = find(doc, "An Bình, ngày 20 tháng 12 năm 2026")
    assert_font(date_line, 14, italic=True)
    assert_font(find(doc, "QUYẾT ĐỊNH"), 14, bold=True)
    assert_font(find(doc, "Về việc công nhận danh hiệu thi đua và tặng Giấy khen năm 2026"), 14, bold=True)
    assert_font(find(doc, "GIÁM ĐỐC BỆNH VIỆN ĐA KHOA TỈNH AN BÌNH"), 14, bold=True)
    assert_font(find(doc, "QUYẾT ĐỊNH:"), 14, bold=True)


def test_decision_bases_articles_and_signature(docset: DocumentSet, tmp_path: Path) -> None:
    doc = rendered("quyet-dinh", docset, tmp_path)
    all_text = texts(doc)
    bases = [t for t in all_text if t.startswith("Căn cứ ")]
    assert bases == docset.context["bases"]
    for b in bases:
        p = find(doc, b)
        assert_font(p, 14, italic=True)
        assert p.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
        assert round(p.paragraph_format.first_line_indent.cm, 2) == 1.27
    assert_font(find(doc, "Theo đề nghị của Trưởng phòng Tổ chức cán bộ."), 14, italic=True)
    article = next(p for p in paragraphs(doc) if p.text.startswith("Điều 1. "))
    first, *rest = list(runs_of(article))
    assert first.text == "Điều 1. " and first.font.bold
    assert all(not r.font.bold for r in rest)
    assert article.text == "Điều 1. " + docset.context["decision"]["article_1"]
    assert any(t.startswith("Điều 2. Mỗi cá nhân, tập thể") for t in all_text)
    assert any(t.startswith("Điều 3. Quyết định này có hiệu lực kể từ ngày ký.") and t.endswith("./.") for t in all_text)
    assert_font(find(doc, "Nơi nhận:"), 12, bold=True, italic=True)
    for line in ("- Như Điều 3;", "- Sở Y tế (để báo cáo);", "- Lưu: VT, TCCB."):
        assert_font(find(doc, line), 11)
    assert_font(find(doc, "GIÁM ĐỐC"), 14, bold=True)
    assert_font(find(doc, "Trần Văn Giám"), 14, bold=True)


EXPECTED_LIST = [
    ["I. CHIẾN SĨ THI ĐUA CƠ SỞ"],
    ["1", "Nguyễn Thị Ánh", "Điều dưỡng", "Khoa Nội tổng hợp", "1,0", "2.340.000", ""],
    ["2", "Trần Văn Bình", "Bác sĩ", "Khoa Ngoại tổng hợp", "1,0", "2.340.000", ""],
    ["Cộng mục I: 2 cá nhân", "4.680.000", ""],
    ["II. LAO ĐỘNG TIÊN TIẾN"],
    ["1", "Đỗ Văn An", "Kỹ thuật viên", "Khoa Xét nghiệm", "0,3", "702.000", ""],
    ["2", "Nguyễn Thị Ánh", "Điều dưỡng", "Khoa Nội tổng hợp", "0,3", "-", "(1)"],
    ["3", "Lê Ăn", "Hộ lý", "Khoa Ngoại tổng hợp", "0,3", "702.000", ""],
    ["4", "Phạm Thị Ấn", "Dược sĩ", "Khoa Dược", "0,3", "702.000", ""],
    ["5", "Trần Văn Bình", "Bác sĩ", "Khoa Ngoại tổng hợp", "0,3", "-", "(1)"],
    ["6", "Lý Thị Mai", "Y sĩ <hợp đồng>", "Khoa Tai Mũi Họng & Răng Hàm Mặt", "0,3", "702.000", ""],
    ["Cộng mục II: 6 cá nhân", "2.808.000", ""],
    ["III. TẬP THỂ LAO ĐỘNG TIÊN TIẾN"],
    ["1", "Khoa Nội tổng hợp", "", "", "0,8", "1.872.000", ""],
    ["2", "Khoa Tai Mũi Họng & Răng Hàm Mặt", "", "", "0,8", "1.872.000", ""],
    ["Cộng mục III: 2 tập thể", "3.744.000", ""],
    ["IV. GIẤY KHEN (CÁ NHÂN)"],
    ["1", "Đỗ Văn An", "Kỹ thuật viên", "Khoa Xét nghiệm", "0,3", "702.000", "(2)"],
    ["Cộng mục IV: 1 cá nhân", "702.000", ""],
    ["V. GIẤY KHEN (TẬP THỂ)"],
    ["1", "Khoa Nội tổng hợp", "", "", "0,6", "1.404.000", ""],
    ["Cộng mục V: 1 tập thể", "1.404.000", ""],
    # People and collectives are counted apart from the awards (issue 12: never "people +
    # collectives" in one number).
    ["TỔNG CỘNG: 6 cá nhân (9 lượt khen thưởng) và 2 tập thể (3 lượt khen thưởng)", "13.338.000", ""],
]


def test_decision_list_every_row_subtotal_and_total(docset: DocumentSet, tmp_path: Path) -> None:
    doc = rendered("quyet-dinh", docset, tmp_path)
    table = table_with_header(doc, "Họ và tên")
    assert row_texts(table.rows[0]) == ["STT", "Họ và tên", "Chức danh", "Khoa/Phòng", "Hệ số", "Số tiền (đồng)", "Ghi chú"]
    assert [row_texts(r) for r in table.rows[1:]] == EXPECTED_LIST
    words = find(doc, "Bằng chữ: Mười ba triệu ba trăm ba mươi tám nghìn đồng.")
    assert words.runs[0].font.bold and words.runs[0].font.italic
    assert "Danh sách gồm 6 cá nhân (9 lượt khen thưởng) và 2 tập thể (3 lượt khen thưởng)." in texts(doc)
    # Long or repeated notes: a mark in the row, the text once under the table.
    assert "(1) Đã hưởng mức thưởng cao hơn cùng thời kỳ (2 trường hợp)." in texts(doc)
    assert '(2) Sáng kiến "Quy trình A<B" (1 trường hợp).' in texts(doc)
    attach = find(doc, "(Kèm theo Quyết định số 12/QĐ-BV ngày 20 tháng 12 năm 2026 của Giám đốc Bệnh viện Đa khoa tỉnh An Bình)")
    assert_font(attach, 14, italic=True)
    # The list starts on its own page.
    all_p = paragraphs(doc)
    at = [p.text for p in all_p].index("DANH SÁCH")
    head, second = all_p[at - 3], all_p[at - 2]
    assert head.text == "BỆNH VIỆN ĐA KHOA" and head.paragraph_format.page_break_before
    assert second.text == "TỈNH AN BÌNH" and not second.paragraph_format.page_break_before


def test_article_1_counts_match_the_list(docset: DocumentSet, tmp_path: Path) -> None:
    doc = rendered("quyet-dinh", docset, tmp_path)
    article = next(t for t in texts(doc) if t.startswith("Điều 1. "))
    in_article = [int(n) for n in re.findall(r"(\d+) (?:cá nhân|tập thể)", article)]
    table = table_with_header(doc, "Họ và tên")
    per_group: list[int] = []
    for row in table.rows[1:]:
        cells = row_texts(row)
        if len(cells) == 1 and not cells[0].startswith("TỔNG"):
            per_group.append(0)
        elif len(cells) == 7:
            per_group[-1] += 1
    assert in_article == per_group == [2, 6, 2, 1, 1]


# --------------------------------------------------------------------------------------------
# Certificates, ballots, minutes, submissions
# --------------------------------------------------------------------------------------------


def test_certificates_one_landscape_page_each(docset: DocumentSet, tmp_path: Path) -> None:
    doc = rendered("giay-khen", docset, tmp_path)
    (section,) = doc.sections
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (mm(section.page_width), mm(section.page_height)) == (297.0, 210.0)
    all_p = paragraphs(doc)
    starts = [p for p in all_p if p.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    assert len(starts) == 12
    # Each certificate but the first starts a new page; nothing else breaks a page.
    assert [bool(p.paragraph_format.page_break_before) for p in starts] == [False] + [True] * 11
    assert sum(bool(p.paragraph_format.page_break_before) for p in all_p) == 11
    assert 'w:type="page"' not in doc.element.body.xml
    names = [all_p[all_p.index(p) + 6].text for p in starts]
    assert names == [
        "Bà Nguyễn Thị Ánh", "Ông Trần Văn Bình",
        "Ông Đỗ Văn An", "Bà Nguyễn Thị Ánh", "Ông Lê Ăn", "Bà Phạm Thị Ấn", "Ông Trần Văn Bình", "Bà Lý Thị Mai",
        "Khoa Nội tổng hợp", "Khoa Tai Mũi Họng & Răng Hàm Mặt",
        "Ông Đỗ Văn An", "Khoa Nội tổng hợp",
    ]  # fmt: skip
    text = texts(doc)
    assert text.count("Quyết định số 12/QĐ-BV, ngày 20/12/2026") == 12
    assert [t for t in text if t.startswith("Số sổ vàng: ")] == [f"Số sổ vàng: {n:02d}" for n in range(1, 13)]
    heading = find(doc, "CHIẾN SĨ THI ĐUA CƠ SỞ")
    assert_font(heading, 32, bold=True)
    assert heading.runs[0].font.color.rgb is not None and str(heading.runs[0].font.color.rgb) == "C00000"
    assert text.count("GIẤY KHEN") == 2 and text.count("TẶNG DANH HIỆU") == 10
    no_tags_left(doc)


def test_ballots_one_per_council_member(docset: DocumentSet, tmp_path: Path) -> None:
    doc = rendered("phieu-bau", docset, tmp_path)
    all_p = paragraphs(doc)
    assert [p.text for p in all_p].count("PHIẾU BẦU") == 9
    assert sum(bool(p.paragraph_format.page_break_before) for p in all_p) == 8
    ballots = [t for t in doc.tables if row_texts(t.rows[0])[-2:] == ["Đồng ý", "Không đồng ý"]]
    assert len(ballots) == 9
    for t in ballots:
        rows = [row_texts(r) for r in t.rows[1:]]
        assert len(rows) == 3  # the secret-ballot titles only (CSTĐCS; issue 12), not all 14
        # The ruled cells are the boxes to mark (no "☐" glyph in a fallback font; issue 12).
        assert rows[0] == ["1", "Nguyễn Thị Ánh", "Khoa Nội tổng hợp", "Chiến sĩ thi đua cơ sở", "", ""]
    no_tags_left(doc)


def test_minutes_vote_table_and_conclusion(docset: DocumentSet, tmp_path: Path) -> None:
    doc = rendered("bien-ban", docset, tmp_path)
    text = texts(doc)
    assert "Số: …/BB-HĐTĐKT" in text
    assert "HỘI ĐỒNG THI ĐUA –" in text and "KHEN THƯỞNG" in text  # one name on two lines
    assert "Thành phần: Hội đồng có 9 thành viên; có mặt … thành viên, vắng mặt … thành viên." in text
    table = table_with_header(doc, "Họ và tên / Tập thể")
    rows = [row_texts(r) for r in table.rows[1:]]
    # Voted one by one: the 3 CSTĐCS (secret ballot) and the LĐTT, TTLĐTT and Giấy khen whose
    # votes differ person by person; the Bằng khen proposal, passed as one list, is one line.
    assert len(rows) == 13
    assert ("- Hình thức “Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh”: 1 cá nhân; biểu quyết thông qua "
            "cả danh sách, 9/9 thành viên đồng ý (100,0%); kết quả: thông qua (có danh sách kèm theo).") in text
    assert "Thời gian: … giờ … phút, ngày … tháng … năm 2026." in text  # to the minute
    assert rows[0] == ["1", "Nguyễn Thị Ánh", "Khoa Nội tổng hợp", "Chiến sĩ thi đua cơ sở", "8/9", "88,9%", "Đạt"]
    # CSTĐCS proposals by tên: Ánh < Ấn (a before â) < Bình.
    assert [rows[1][i] for i in (1, 4, 5, 6)] == ["Phạm Thị Ấn", "6/9", "66,7%", "Không đạt"]
    assert any(t.startswith("Hội đồng thống nhất đề nghị Giám đốc Bệnh viện Đa khoa tỉnh An Bình") for t in text)
    assert "CHỦ TỊCH HỘI ĐỒNG" in text and "THƯ KÝ" in text
    no_tags_left(doc)


def test_tally_minutes(docset: DocumentSet, tmp_path: Path) -> None:
    doc = rendered("kiem-phieu", docset, tmp_path)
    text = texts(doc)
    assert "BIÊN BẢN KIỂM PHIẾU" in text
    # Issued, returned, valid and invalid ballots each stated; unknown ones a blank to fill in.
    assert ("Tổng số thành viên Hội đồng: 9 người. Số phiếu phát ra: … phiếu; số phiếu thu về: … phiếu; "
            "số phiếu hợp lệ: … phiếu; số phiếu không hợp lệ: … phiếu.") in text
    # The ballot's proposals only (the 3 CSTĐCS), as the ballots printed them.
    assert len(table_with_header(doc, "Họ và tên / Tập thể").rows) == 1 + 3
    no_tags_left(doc)


def test_submission_to_the_director(docset: DocumentSet, tmp_path: Path) -> None:
    doc = rendered("to-trinh", docset, tmp_path)
    text = texts(doc)
    assert "TỜ TRÌNH" in text and "Số: …/TTr-TCCB" in text and "PHÒNG TỔ CHỨC CÁN BỘ" in text
    assert "Kính gửi: Giám đốc Bệnh viện Đa khoa tỉnh An Bình" in text  # no period (issue 12)
    counts = table_with_header(doc, "Danh hiệu, hình thức khen thưởng")
    assert [row_texts(r) for r in counts.rows[1:]] == [
        ["1", "Chiến sĩ thi đua cơ sở", "2 cá nhân", "4.680.000"],
        ["2", "Lao động tiên tiến", "6 cá nhân", "2.808.000"],
        ["3", "Tập thể lao động tiên tiến", "2 tập thể", "3.744.000"],
        ["4", "Giấy khen (cá nhân)", "1 cá nhân", "702.000"],
        ["5", "Giấy khen (tập thể)", "1 tập thể", "1.404.000"],
        ["Tổng cộng", "6 cá nhân (9 lượt khen thưởng) và 2 tập thể (3 lượt khen thưởng)", "13.338.000"],
    ]
    assert [row_texts(r) for r in table_with_header(doc, "Họ và tên").rows[1:]] == EXPECTED_LIST
    assert "TRƯỞNG PHÒNG" in text
    no_tags_left(doc)


def test_submission_upward(docset: DocumentSet, tmp_path: Path) -> None:
    doc = rendered("to-trinh-cap-tren", docset, tmp_path)
    text = texts(doc)
    assert "Kính gửi: Sở Y tế tỉnh An Bình" in text  # no period (issue 12)
    assert "Số: …/TTr-BV" in text
    rows = [row_texts(r) for r in table_with_header(doc, "Họ và tên").rows[1:]]
    assert rows == [
        ["I. BẰNG KHEN CỦA CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH (CÁ NHÂN)"],
        ["1", "Nguyễn Thị Ánh", "Điều dưỡng", "Khoa Nội tổng hợp", ""],
    ]
    no_tags_left(doc)


def test_names_with_markup_characters_and_a_two_line_signer(tmp_path: Path) -> None:
    result = json.loads(SAMPLE.read_text(encoding="utf-8"))
    result["awards"][0]["name"] = "Lý Thị <Mai> & Co"
    ds = build_documents(result, doc_options(signer_title="KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", signer="Lê Văn Phó"))
    for kind, expected in (("quyet-dinh", "Lý Thị <Mai> & Co"), ("giay-khen", "Bà Lý Thị <Mai> & Co")):
        path = tmp_path / f"{kind}.docx"
        path.write_bytes(rd.render_kind(kind, ds).data)
        doc = Document(str(path))
        assert expected in texts(doc) or any(expected in row_texts(r) for t in doc.tables for r in t.rows)
    doc = Document(str(tmp_path / "quyet-dinh.docx"))
    signature = next(c for t in doc.tables for c in t._cells if c.text.startswith("KT. GIÁM ĐỐC"))
    assert signature.paragraphs[0].text == "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"  # a line break, same paragraph
    assert signature.paragraphs[-1].text == "Lê Văn Phó"


# --------------------------------------------------------------------------------------------
# Safety: sandbox, strict undefined, autoescape; user templates first
# --------------------------------------------------------------------------------------------


def user_docx(folder: Path, kind: str, *lines: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    d = Document()
    for line in lines:
        d.add_paragraph(line)
    path = folder / f"{kind}.docx"
    d.save(str(path))
    return path


@pytest.mark.parametrize(
    "attack",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ org.__class__ }}",
        "{{ groups.append(1) }}",
        "{{ 'x' * 100000000 }}",
    ],
)
def test_template_injection_is_refused(attack: str, docset: DocumentSet, tmp_path: Path) -> None:
    user_docx(tmp_path / "mau", "quyet-dinh", "Quyết định", attack)
    with pytest.raises(rd.TemplateError) as exc:
        rd.render_kind("quyet-dinh", docset, user_dir=tmp_path / "mau")
    message = str(exc.value)
    assert "quyet-dinh.docx" in message and "đoạn văn thứ 2" in message
    assert "chặn" in message or "không an toàn" in message or "unsafe" in message


def test_undefined_variable_names_the_template_and_the_paragraph(docset: DocumentSet, tmp_path: Path) -> None:
    user_docx(tmp_path / "mau", "quyet-dinh", "QUYẾT ĐỊNH", "Số {{ decision.number_text }}", "Điều 1. {{ decision.artcle_1 }}")
    with pytest.raises(rd.TemplateError) as exc:
        rd.render_kind("quyet-dinh", docset, user_dir=tmp_path / "mau")
    assert str(exc.value) == (
        f"Lỗi ở mẫu {tmp_path / 'mau' / 'quyet-dinh.docx'}, đoạn văn thứ 3 «Điều 1. {{{{ decision.artcle_1 }}}}»: "
        "không có mục \"artcle_1\" (kiểm tra chính tả tên biến; danh sách biến có trong README, mục In "
        "văn bản, hoặc chạy: thidua templates check <tệp mẫu>)."
    )


def test_user_templates_first_defaults_for_the_rest(docset: DocumentSet, tmp_path: Path) -> None:
    folder = tmp_path / "mau"
    user_docx(folder, "quyet-dinh", "QĐ số {{ decision.number_text }} – {{ groups[1].rows[5].department }}")
    (folder / "to-trinh.md").write_text(
        "# Tờ trình {{ year }}\n{% for g in groups %}- {{ g.label }}: {{ g.count }}\n{% endfor %}"
        "{% include 'chu-ky.md' %}",
        encoding="utf-8",
    )
    (folder / "chu-ky.md").write_text("Người ký: {{ office_head.title }} & {{ groups[1].rows[5].position }}\n", encoding="utf-8")
    (folder / "bien-ban.html").write_text("<p>{{ groups[1].rows[5].position }} – {{ groups[2].rows[1].name }}</p>\n", encoding="utf-8")
    qd = rd.render_kind("quyet-dinh", docset, user_dir=folder)
    assert qd.template.origin == "user" and qd.filename == "quyet-dinh-12-2026.docx"
    (tmp_path / "qd.docx").write_bytes(qd.data)
    assert texts(Document(str(tmp_path / "qd.docx"))) == ["QĐ số 12/QĐ-BV – Khoa Tai Mũi Họng & Răng Hàm Mặt"]
    md = rd.render_kind("to-trinh", docset, user_dir=folder)
    assert md.filename == "to-trinh-2026.md"
    assert md.data.decode() == (
        "# Tờ trình 2026\n- Chiến sĩ thi đua cơ sở: 2\n- Lao động tiên tiến: 6\n"
        "- Tập thể lao động tiên tiến: 2\n- Giấy khen (cá nhân): 1\n- Giấy khen (tập thể): 1\n"
        "Người ký: TRƯỞNG PHÒNG & Y sĩ <hợp đồng>\n"  # Markdown: the text as typed
    )
    html = rd.render_kind("bien-ban", docset, user_dir=folder)
    assert html.data.decode() == "<p>Y sĩ &lt;hợp đồng&gt; – Khoa Tai Mũi Họng &amp; Răng Hàm Mặt</p>\n"
    assert rd.render_kind("giay-khen", docset, user_dir=folder).template.origin == "default"


def test_text_template_errors_name_the_line(docset: DocumentSet, tmp_path: Path) -> None:
    folder = tmp_path / "mau"
    folder.mkdir()
    (folder / "quyet-dinh.md").write_text("a\nb\n{{ decisoin.number_text }}\n", encoding="utf-8")
    with pytest.raises(rd.TemplateError, match=r"quyet-dinh\.md, dòng 3: biến \"decisoin\" không có"):
        rd.render_kind("quyet-dinh", docset, user_dir=folder)
    (folder / "quyet-dinh.md").write_text("{{ ''.__class__ }}\n", encoding="utf-8")
    with pytest.raises(rd.TemplateError, match=r"dòng 1: mẫu cố truy cập phần bên trong"):
        rd.render_kind("quyet-dinh", docset, user_dir=folder)
    (folder / "quyet-dinh.md").write_text("{% for x in groups %}\n", encoding="utf-8")
    with pytest.raises(rd.TemplateError, match=r"sai cú pháp Jinja"):
        rd.render_kind("quyet-dinh", docset, user_dir=folder)


def test_a_template_that_calls_itself_forever_is_a_template_error(docset: DocumentSet, tmp_path: Path) -> None:
    folder = tmp_path / "mau"
    loop = "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}"
    user_docx(folder, "quyet-dinh", "Số {{ decision.number_text }}", loop)
    with pytest.raises(rd.TemplateError, match=r"quyet-dinh\.docx.*mẫu tự gọi lại chính nó không dừng"):
        rd.render_kind("quyet-dinh", docset, user_dir=folder)
    (folder / "to-trinh.md").write_text("a\n" + loop + "\n", encoding="utf-8")
    with pytest.raises(rd.TemplateError, match=r"to-trinh\.md.*mẫu tự gọi lại chính nó không dừng"):
        rd.render_kind("to-trinh", docset, user_dir=folder)


def test_a_text_template_not_in_utf8_says_how_to_save_it(docset: DocumentSet, tmp_path: Path) -> None:
    folder = tmp_path / "mau"
    folder.mkdir()
    (folder / "quyet-dinh.md").write_bytes("Quyết định {{ year }}".encode("utf-16"))
    with pytest.raises(rd.TemplateError, match=r"quyet-dinh\.md không phải văn bản UTF-8\. Hãy lưu lại"):
        rd.render_kind("quyet-dinh", docset, user_dir=folder)


def test_a_message_from_the_sandbox_ends_with_one_full_stop(docset: DocumentSet, tmp_path: Path) -> None:
    folder = tmp_path / "mau"
    folder.mkdir()
    (folder / "quyet-dinh.md").write_text("{{ range(10**9)|list|length }}\n", encoding="utf-8")
    with pytest.raises(rd.TemplateError) as exc:
        rd.render_kind("quyet-dinh", docset, user_dir=folder)
    assert "MAX_RANGE (100000)." in str(exc.value) and not str(exc.value).endswith("..")


def test_filters(docset: DocumentSet, tmp_path: Path) -> None:
    folder = tmp_path / "mau"
    folder.mkdir()
    (folder / "quyet-dinh.md").write_text(
        "{{ 1050000|money_words }}|{{ '2026-01-05'|date_line('Hà Nội') }}|{{ '2026-03-05'|dmy }}|"
        "{{ 2340000|thousands }}|{{ '0.3'|decimal_comma }}|{{ 0.8889|percent }}|"
        "{{ (groups[1].rows|vn_sorted|map(attribute='name')|list)[:3]|join(', ') }}|"
        "{{ org.parent|sentence_case }}",
        encoding="utf-8",
    )
    out = rd.render_kind("quyet-dinh", docset, user_dir=folder).data.decode()
    assert out.split("|") == [
        "Một triệu không trăm năm mươi nghìn đồng",
        "Hà Nội, ngày 05 tháng 01 năm 2026",
        "05/03/2026",
        "2.340.000",
        "0,3",
        "88,9%",
        "Đỗ Văn An, Nguyễn Thị Ánh, Lê Ăn",
        "Sở Y tế tỉnh An Bình",
    ]
    lenient = rd.make_environment(rd.RenderSettings(linh="lẻ", nghin="ngàn"))
    assert lenient.from_string("{{ 105000|money_words }}").render() == "Một trăm lẻ năm ngàn đồng"


def test_money_words_reads_amounts_written_as_text_the_vietnamese_way() -> None:
    env = rd.make_environment()
    assert env.from_string("{{ '2.340.000'|money_words }}").render() == (
        "Hai triệu ba trăm bốn mươi nghìn đồng")
    assert env.from_string("{{ amount|money_words }}").render(amount=" 702000 ") == (
        "Bảy trăm linh hai nghìn đồng")
    # "1,5" is one and a half đồng (a decimal comma), not 15; "hai" is not a number.
    for text, message in (("1,5", "số tiền phải là số đồng nguyên"),
                          ("hai", '"hai" không phải là số tiền')):
        with pytest.raises(ValueError, match=message):
            env.from_string("{{ amount|money_words }}").render(amount=text)


# --------------------------------------------------------------------------------------------
# Writing, reading the result, exporting, checking, reproducible templates
# --------------------------------------------------------------------------------------------


def test_write_documents_refuses_existing_files_and_writes_nothing(docset: DocumentSet, tmp_path: Path) -> None:
    # An earlier document (a real .docx: --force replaces only a file of the kind written).
    import thidua_cli

    old = (Path(thidua_cli.__file__).parent / "templates" / "giay-khen.docx").read_bytes()
    (tmp_path / "giay-khen-12-2026.docx").write_bytes(old)
    with pytest.raises(OutputExistsError, match=r"giay-khen-12-2026\.docx"):
        rd.write_documents(["quyet-dinh", "giay-khen"], docset, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["giay-khen-12-2026.docx"]
    assert (tmp_path / "giay-khen-12-2026.docx").read_bytes() == old
    written = rd.write_documents(["quyet-dinh", "giay-khen"], docset, tmp_path, force=True)
    assert [p.name for _, p in written] == ["quyet-dinh-12-2026.docx", "giay-khen-12-2026.docx"]
    assert (tmp_path / "giay-khen-12-2026.docx").read_bytes()[:2] == b"PK"


def test_write_documents_creates_the_output_folder(docset: DocumentSet, tmp_path: Path) -> None:
    out = tmp_path / "van-ban" / "2026"
    written = rd.write_documents(["quyet-dinh"], docset, out)
    assert [p for _, p in written] == [out / "quyet-dinh-12-2026.docx"]
    assert (out / "quyet-dinh-12-2026.docx").read_bytes()[:2] == b"PK"


def test_load_result_from_json_and_from_the_workbook_sheet(tmp_path: Path) -> None:
    import openpyxl

    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    text = json.dumps(data, ensure_ascii=False)
    wb = openpyxl.Workbook()
    wb.active.title = "Tổng hợp"
    ws = wb.create_sheet(RESULT_SHEET)
    ws.sheet_state = "hidden"
    for i in range(0, len(text), 1000):
        ws.append([text[i : i + 1000]])
    wb.save(tmp_path / "nam-2026.de-xuat.xlsx")
    assert load_result(tmp_path / "nam-2026.de-xuat.xlsx") == from_json(data)
    assert load_result(SAMPLE) == from_json(data)
    wb2 = openpyxl.Workbook()
    wb2.save(tmp_path / "khac.xlsx")
    with pytest.raises(InputFileError, match="không có sheet ẩn \"_thidua_json\""):
        load_result(tmp_path / "khac.xlsx")
    (tmp_path / "hong.json").write_text('{"schema": ', encoding="utf-8")
    with pytest.raises(InputFileError, match=r"không phải JSON hợp lệ \(dòng 1"):
        load_result(tmp_path / "hong.json")
    with pytest.raises(InputFileError, match="Không tìm thấy tệp kết quả"):
        load_result(tmp_path / "khong-co.json")


def test_export_templates(tmp_path: Path) -> None:
    written = rd.export_templates(tmp_path / "mau")
    assert sorted(p.name for p in written) == sorted(
        f"{k}.docx" for k in ("to-trinh", "to-trinh-cap-tren", "bien-ban", "kiem-phieu", "phieu-bau", "quyet-dinh", "giay-khen",
                              "thong-bao-cong-khai", "bien-ban-y-kien",  # thidua publish
                              "bang-thanh-toan",  # thidua income
                              "bien-ban-khoi", "to-trinh-khoi",  # thidua cluster
                              "bao-cao-dien-hinh")  # the models register (issue 17)
    )
    with pytest.raises(OutputExistsError):
        rd.export_templates(tmp_path / "mau")
    assert len(rd.export_templates(tmp_path / "mau", force=True)) == 13


def test_every_default_template_checks_clean() -> None:
    from thidua_cli.core import documents as docs
    from thidua_cli.core.documents import cluster as cd
    from thidua_cli.core.documents import income_kind, models_kind
    from thidua_cli.core.documents.publish import PUBLISH_KINDS

    ds = build_documents(docs.sample_result(), docs.sample_options(doc_options()))
    cluster = cd.cluster_context(cd.sample_cluster_result(), doc_options(), place="An Bình",
                                 recipient="Hội đồng Thi đua – Khen thưởng tỉnh An Bình")

    for name in rd.default_template_names():
        kind = name.rsplit(".", 1)[0]
        if kind in PUBLISH_KINDS:
            continue  # their own contexts: tests/cli/test_publish_cli.py checks them
        ref = rd.find_template(kind)
        assert ref.path is None and ref.resource is not None
        if kind == income_kind.KIND:  # thidua income's payment table: its own context
            context = income_kind.income_context(income_kind.sample_income(), ds.context["org"])
        elif kind in cd.CLUSTER_KINDS:
            context = cd.cluster_doc(cluster, kind)
        elif kind == models_kind.KIND:  # the models report: the ledger's register
            context = models_kind.models_context(models_kind.sample_models(), 2026, ds.context["org"])
        else:
            context = ds.for_kind(kind)
        check = rd.check_template(Path(str(ref.resource)), context, kind=kind)
        assert check.problems == [], (name, check.problems)
        assert "doc.number_text" in check.variables or kind in ("phieu-bau", "giay-khen",
                                                                income_kind.KIND)


def split_runs_docx(path: Path) -> None:
    d = Document()
    p = d.add_paragraph()
    p.add_run("Số: {{ doc.num")
    r = p.add_run("ber_text }}")
    r.bold = True
    d.add_paragraph("Điều 1. {{ decision.artcle_1 }}")
    d.add_paragraph("{{ groups[0].rows[0].nmae }}")
    d.add_paragraph("Ngày {{ doc.date_line ")
    d.save(str(path))


def test_check_reports_split_tags_unknown_names_and_open_tags(tmp_path: Path) -> None:
    from thidua_cli.core import documents as docs

    path = tmp_path / "quyet-dinh.docx"
    split_runs_docx(path)
    ds = build_documents(docs.sample_result(), docs.sample_options(doc_options()))
    check = rd.check_template(path, ds.for_kind("quyet-dinh"), kind="quyet-dinh")
    found = [(p.severity, p.where, p.message, p.fix) for p in check.problems]
    assert found[0][:2] == ("warning", "đoạn văn 1") and "{{ doc.number_text }}" in found[0][2] and "2 đoạn" in found[0][2]
    assert found[1][:2] == ("error", "đoạn văn 4") and "không được đóng" in found[1][2]
    assert not check.ok
    # The open tag is also a syntax error for the whole document, so names are not resolved here:
    path2 = tmp_path / "to-trinh.docx"
    d = Document()
    d.add_paragraph("Điều 1. {{ decision.artcle_1 }}")
    d.add_paragraph("{% for g in groups %}{{ g.rows[0].nmae }}{% endfor %}")
    d.add_paragraph("{{ kinh_gui }}")
    d.save(str(path2))
    check2 = rd.check_template(path2, ds.for_kind("to-trinh"), kind="to-trinh")
    assert [(p.where, p.message, p.fix) for p in check2.problems] == [
        ("đoạn văn 1", 'biến "decision.artcle_1" không có trong dữ liệu văn bản', 'đổi thành "decision.article_1"'),
        ("đoạn văn 2", 'biến "g.rows[0].nmae" không có trong dữ liệu văn bản', 'đổi thành "g.rows[0].name"'),
        ("đoạn văn 3", 'biến "kinh_gui" không có trong dữ liệu văn bản',
         "xoá thẻ hoặc dùng một biến có trong danh sách (README)"),
    ]


def test_a_docx_with_broken_xml_is_a_template_error(docset: DocumentSet, tmp_path: Path) -> None:
    """A template damaged by some editor (its document.xml cut short) stops with exit 5 and
    how to repair it, in render and in templates check alike, never an lxml traceback."""
    import io
    import zipfile

    from thidua_cli.core import documents as docs

    good = rd.find_template("quyet-dinh").read_bytes()
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as zin, zipfile.ZipFile(buf, "w") as zout:
        for name in zin.namelist():
            data = zin.read(name)
            zout.writestr(name, data[: len(data) // 2] if name == "word/document.xml" else data)
    folder = tmp_path / "mau"
    folder.mkdir()
    path = folder / "quyet-dinh.docx"
    path.write_bytes(buf.getvalue())
    expected = r"quyet-dinh\.docx không phải tệp Word \.docx hợp lệ .*Hãy mở bằng Word và lưu lại"
    with pytest.raises(rd.TemplateError, match=expected):
        rd.render_kind("quyet-dinh", docset, user_dir=folder)
    sample = build_documents(docs.sample_result(), docs.sample_options(doc_options()))
    with pytest.raises(rd.TemplateError, match=expected):
        rd.check_template(path, sample.for_kind("quyet-dinh"), kind="quyet-dinh")


def test_default_templates_are_the_generators_output() -> None:
    import importlib.util

    script = Path(__file__).resolve().parents[2] / "tools" / "make_templates.py"
    spec = importlib.util.spec_from_file_location("make_templates", script)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for kind in module.BUILDERS:
        shipped = rd.find_template(kind)
        assert module.entries(shipped.read_bytes()) == module.entries(module.build(kind)), (
            f"{kind}.docx differs from tools/make_templates.py: run python tools/make_templates.py"
        )


@pytest.mark.parametrize(("kind", "authority"), [
    ("to-trinh", "TRƯỞNG PHÒNG"), ("bien-ban", "THƯ KÝ"), ("kiem-phieu", "TRƯỞNG BAN KIỂM PHIẾU"),
])
def test_unnamed_signatures_print_a_line_to_fill_in(docset: DocumentSet, tmp_path: Path, kind: str,
                                                    authority: str) -> None:
    """Issue 12: the sample regulation names no office head, secretary nor tally team; each
    signature block prints a visible "……" line under its title, never an empty name."""
    path = tmp_path / f"{kind}-blank.docx"
    path.write_bytes(rd.render_kind(kind, docset).data)
    lines = texts(Document(str(path)))
    start = lines.index(authority)
    assert "……………………" in lines[start:start + 8]


RAW_CODE = re.compile(r"\b(?:CSTD_\w+|CSTDCS|LDTT|TTLDTT|TTLDXS|GIAY_KHEN|BANG_KHEN_\w+|CO_THI_DUA\w*)\b")


@pytest.mark.parametrize("kind", ["to-trinh", "to-trinh-cap-tren", "bien-ban", "kiem-phieu", "phieu-bau",
                                  "quyet-dinh", "giay-khen"])
def test_no_raw_codes_in_official_text(docset: DocumentSet, tmp_path: Path, kind: str) -> None:
    doc = rendered(kind, docset, tmp_path)
    assert not [t for t in texts(doc) if RAW_CODE.search(t)]
