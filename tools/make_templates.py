"""Build the default document templates of ``thidua render`` (the .docx files are generated).

Run from the repository root after changing this script, and commit both the script and the
templates it writes::

    python tools/make_templates.py            # writes src/thidua_cli/templates/*.docx
    python tools/make_templates.py --check    # exit 1 if a committed template differs

The output is reproducible (fixed zip timestamps and entry order; byte for byte with the same
zlib), so ``--check`` tells whether the committed binaries came from this script (it compares the
entries' content).

Layout: Nghị định 30/2020/NĐ-CP, Phụ lục I (domain-law.md §10, §14.8): A4 210 × 297 mm; margins
top 20, bottom 20, left 30, right 15 mm; Times New Roman; Quốc hiệu 13 pt bold upper case; Tiêu
ngữ 14 pt bold with a rule as long as the text under it; parent body 13 pt upright; issuing body
13 pt bold with a short rule; "Số: 12/QĐ-BV" 13 pt; the place-and-date line 14 pt italic; the
document type 14 pt bold; body 14 pt justified with a 1.27 cm first-line indent and 6 pt after;
"Nơi nhận:" 12 pt bold italic; recipients 11 pt; signature authority and signer 14 pt bold; page
numbers centred in the top margin, not on page 1. Certificates are A4 landscape, one page each.

The Jinja tags are the context of ``thidua_cli.core.documents.build_documents`` (see the README
section "In văn bản" for the list of variables).
"""

from __future__ import annotations

import argparse
import io
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from thidua_cli.core.documents.textfit import HEAD_LEFT_MM

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "thidua_cli" / "templates"

FONT = "Times New Roman"
BODY = 14
RED = RGBColor(0xC0, 0x00, 0x00)
CONTENT_PORTRAIT_MM = 210 - 30 - 15  # 165 mm between the margins
CENTER = WD_ALIGN_PARAGRAPH.CENTER
LEFT = WD_ALIGN_PARAGRAPH.LEFT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT

Parent = DocumentObject | _Cell


# ------------------------------------------------------------------------------------------------
# Low-level helpers
# ------------------------------------------------------------------------------------------------


def set_run_font(run, size: float, *, bold: bool = False, italic: bool = False, color=None) -> None:
    """Font name on all four scripts (Word uses eastAsia/cs for some Vietnamese glyph runs)."""
    run.font.name = FONT
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), FONT)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    if color is not None:
        run.font.color.rgb = color


def para(
    parent: Parent,
    text: str = "",
    size: float = BODY,
    *,
    bold: bool = False,
    italic: bool = False,
    align=JUSTIFY,
    indent: bool = False,
    before: float = 0,
    after: float = 6,
    color=None,
    keep_next: bool = False,
    line: float | None = None,
) -> Paragraph:
    p = parent.add_paragraph()
    fmt = p.paragraph_format
    fmt.alignment = align
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    if line is not None:
        fmt.line_spacing = line
    if indent:
        fmt.first_line_indent = Cm(1.27)
    if keep_next:
        fmt.keep_with_next = True
    if text:
        run = p.add_run(text)
        set_run_font(run, size, bold=bold, italic=italic, color=color)
    return p


def add_run(p: Paragraph, text: str, size: float = BODY, *, bold=False, italic=False, color=None):
    run = p.add_run(text)
    set_run_font(run, size, bold=bold, italic=italic, color=color)
    return run


def tag(parent: Parent, text: str) -> Paragraph:
    """A paragraph holding only a docxtpl paragraph tag ({%p … %}); it disappears on render."""
    p = parent.add_paragraph()
    p.paragraph_format.space_after = Pt(0)
    run = p.add_run(text)
    set_run_font(run, BODY)
    return p


def rule(parent: Parent, width_mm: float, column_mm: float, *, after: float = 6,
         offset_mm: float = 0.0, container_mm: float | None = None) -> Paragraph:
    """A solid rule of ``width_mm`` centred in a column: an empty, 2 pt high paragraph with a
    bottom border, indented from both sides (ND 30: the line under the Tiêu ngữ / the issuer).

    The column starts ``offset_mm`` from the left edge of the text area, which is
    ``container_mm`` wide (default: the column itself)."""
    p = parent.add_paragraph()
    fmt = p.paragraph_format
    container = column_mm if container_mm is None else container_mm
    left = offset_mm + (column_mm - width_mm) / 2
    fmt.left_indent = Mm(left)
    fmt.right_indent = Mm(container - left - width_mm)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(after)
    fmt.line_spacing = Pt(2)
    ppr = p._element.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "6")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    bdr.append(bottom)
    ppr.append(bdr)
    run = p.add_run("")
    set_run_font(run, 2)
    return p


def new_page_each_loop(parent: Parent, make_first, *, page_first: bool = False) -> None:
    """Inside a ``{%p for %}`` loop: the first paragraph of every item but the first starts a new
    page ("page break before", which never leaves a blank page the way a break character at the
    bottom of a full page does). ``make_first(parent)`` adds that paragraph and returns it.
    ``page_first``: the other way round, only the first item starts a page (the lines of a
    heading that opens a new page)."""
    tag(parent, "{%p if loop.first %}")
    first = make_first(parent)
    tag(parent, "{%p else %}")
    other = make_first(parent)
    (first if page_first else other).paragraph_format.page_break_before = True
    tag(parent, "{%p endif %}")


def first_paragraph_cleanup(cell: _Cell) -> None:
    """A new cell holds one empty paragraph; drop it once the cell has content."""
    first = cell.paragraphs[0]
    if not first.text and not first.runs and len(cell.paragraphs) > 1:
        first._element.getparent().remove(first._element)


def no_borders(table: Table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def fixed_table(
    parent: Parent,
    rows: int,
    widths_mm: Sequence[float],
    *,
    grid: bool,
    indent_mm: float | None = None,
    cell_margin_mm: float | None = None,
) -> Table:
    if grid and cell_margin_mm is None:
        cell_margin_mm = 1  # the padding the columns' widths are measured with (not Word's 1.9 mm)
    """A table with fixed column widths set on the grid and on every cell. ``indent_mm`` (may be
    negative) places it from the left margin instead of centring it; ``cell_margin_mm`` sets the
    left/right cell padding."""
    table = parent.add_table(rows=rows, cols=len(widths_mm))
    if grid:
        table.style = "Table Grid"
    else:
        no_borders(table)
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    if indent_mm is None:
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
    else:
        ind = OxmlElement("w:tblInd")
        ind.set(qn("w:w"), str(round(indent_mm * 1440 / 25.4)))
        ind.set(qn("w:type"), "dxa")
        tbl_pr.append(ind)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    if cell_margin_mm is not None:
        mar = OxmlElement("w:tblCellMar")
        for edge in ("left", "right"):
            el = OxmlElement(f"w:{edge}")
            el.set(qn("w:w"), str(round(cell_margin_mm * 1440 / 25.4)))
            el.set(qn("w:type"), "dxa")
            mar.append(el)
        tbl_pr.append(mar)
    for i, w in enumerate(widths_mm):
        table.columns[i].width = Mm(w)  # the grid (LibreOffice reads this)
        for cell in table.columns[i].cells:
            cell.width = Mm(w)  # the cells (Word reads this)
    return table


def mark_size(p: Paragraph, size: float) -> None:
    """The paragraph mark at the text's size: the line's height counts the mark too, so a
    12 pt row with the body's 14 pt mark is a 14 pt row (the list ran to 28 pages)."""
    ppr = p._p.get_or_add_pPr()
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        ppr.append(rpr)
    for tag_name in ("w:sz", "w:szCs"):
        el = OxmlElement(tag_name)
        el.set(qn("w:val"), str(round(size * 2)))
        rpr.append(el)


def cell_text(cell: _Cell, text: str, size: float = 12, *, bold=False, italic=False, align=CENTER) -> Paragraph:
    p = cell.paragraphs[0]
    mark_size(p, size)
    p.paragraph_format.alignment = align
    p.paragraph_format.space_before = Pt(2)
    p.paragraph_format.space_after = Pt(2)
    if text:
        add_run(p, text, size, bold=bold, italic=italic)
    return p


def cant_split(row) -> None:
    """Keep a row on one page (a name never starts on one page and ends on the next)."""
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def no_wrap(cell: _Cell) -> None:
    """An amount never breaks across lines ("835.170.00/0"): the column is sized for it."""
    tc_pr = cell._tc.get_or_add_tcPr()
    el = OxmlElement("w:noWrap")
    tc_pr.append(el)


def repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def page_number_header(section) -> None:
    """Page numbers centred in the header, 13 pt, none on page 1 (ND 30/2020)."""
    section.different_first_page_header_footer = True
    header = section.header
    p = header.paragraphs[0]
    p.paragraph_format.alignment = CENTER
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    run = p.add_run("2")
    set_run_font(run, 13)
    fld.append(run._element)
    p._element.append(fld)
    section.first_page_header.paragraphs[0].text = ""


def new_document(title: str, *, landscape: bool = False, page_numbers: bool = True) -> DocumentObject:
    doc = Document()
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin = section.bottom_margin = Mm(20)
        section.left_margin = section.right_margin = Mm(20)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin = Mm(20)
        section.bottom_margin = Mm(20)
        section.left_margin = Mm(30)
        section.right_margin = Mm(15)
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY)
    rpr = normal.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), FONT)
    normal.paragraph_format.space_after = Pt(6)
    # Single line spacing (ND 30/2020: single to 1.5 lines): the decision and its signature on one page.
    normal.paragraph_format.line_spacing = 1.0
    if page_numbers:
        page_number_header(section)
    props = doc.core_properties
    props.title = title
    props.author = "thidua"
    props.comments = "Mẫu văn bản mặc định của thidua (Nghị định 30/2020/NĐ-CP)"
    props.language = "vi-VN"
    props.subject = ""
    props.identifier = ""
    # The body of Document() starts with no paragraph; the section properties stay last.
    return doc


# ------------------------------------------------------------------------------------------------
# ND 30 building blocks
# ------------------------------------------------------------------------------------------------

# The head table is wider than the text area (Quốc hiệu at 13 pt bold is about 105 mm long): it
# starts HEAD_INDENT mm left of the left margin and ends at the right margin.
HEAD_INDENT = -11.0
LEFT_COL = HEAD_LEFT_MM  # the names in it are broken to fit it (core/documents/textfit.py)
RIGHT_COL = CONTENT_PORTRAIT_MM - HEAD_INDENT - LEFT_COL  # 108 mm


def state_header(doc: Parent, *, with_number: bool = True) -> Table:
    """The two-column head of page 1: issuer and number on the left, Quốc hiệu, Tiêu ngữ and the
    date line on the right (ô 1–4)."""
    left, right = LEFT_COL, RIGHT_COL
    table = fixed_table(doc, 2 if with_number else 1, (left, right), grid=False,
                        indent_mm=HEAD_INDENT, cell_margin_mm=0)
    c = table.cell(0, 0)
    # Each name line by line as core broke it to fit the column: a name never wraps mid-place.
    tag(c, "{%p for line in doc.parent_lines %}")
    p = para(c, "{{ line }}", 13, align=CENTER, after=0)
    tag(c, "{%p endfor %}")
    tag(c, "{%p for line in doc.issuer_lines %}")
    para(c, "{{ line }}", 13, bold=True, align=CENTER, after=0)
    tag(c, "{%p endfor %}")
    first_paragraph_cleanup(c)
    rule(c, 25, left, after=0)
    c = table.cell(0, 1)
    p = cell_text(c, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, bold=True)
    p.paragraph_format.space_before = Pt(0)
    p.paragraph_format.space_after = Pt(0)
    p = c.add_paragraph()
    p.paragraph_format.alignment = CENTER
    p.paragraph_format.space_after = Pt(0)
    add_run(p, "Độc lập - Tự do - Hạnh phúc", 14, bold=True)
    rule(c, 64, right, after=0)
    if with_number:
        p = cell_text(table.cell(1, 0), "Số: {{ doc.number_text }}", 13, align=CENTER)
        p.paragraph_format.space_before = Pt(6)
        p = cell_text(table.cell(1, 1), "{{ doc.date_line }}", 14, italic=True, align=CENTER)
        p.paragraph_format.space_before = Pt(6)
    return table


def appendix_head(doc: Parent, lines: str = "doc.org_lines") -> None:
    """The issuer at the top left of an attached list, starting a new page (page break before:
    unlike a break character, it never leaves a blank page when the page before is full)."""
    def line(parent: Parent) -> Paragraph:
        p = para(parent, "{{ line }}", 13, bold=True, align=CENTER, after=0)
        p.paragraph_format.left_indent = Mm(HEAD_INDENT)
        p.paragraph_format.right_indent = Mm(CONTENT_PORTRAIT_MM - (HEAD_INDENT + LEFT_COL))
        return p

    tag(doc, "{%p for line in " + lines + " %}")
    new_page_each_loop(doc, lambda d: line(d), page_first=True)
    tag(doc, "{%p endfor %}")
    rule(doc, 25, LEFT_COL, after=0, offset_mm=HEAD_INDENT, container_mm=CONTENT_PORTRAIT_MM)


def doc_title(doc: Parent, kind: str, summary: str, *, rule_below: bool = True) -> None:
    para(doc, kind, 14, bold=True, align=CENTER, before=18, after=0, keep_next=True)
    para(doc, summary, 14, bold=True, align=CENTER, after=0, keep_next=True)
    if rule_below:
        rule(doc, 40, CONTENT_PORTRAIT_MM, after=12)


def bases_block(doc: Parent) -> None:
    tag(doc, "{%p for b in bases %}")
    para(doc, "{{ b }}", italic=True, indent=True)
    tag(doc, "{%p endfor %}")


def signature_table(
    doc: Parent,
    *,
    recipients: str | None,
    authority: str,
    name: str,
    left_authority: str | None = None,
    left_name: str | None = None,
) -> Table:
    """Nơi nhận (12 pt bold italic; recipients 11 pt) on the left, the signature on the right;
    or two signatures (Biên bản: secretary left, chair right)."""
    if getattr(doc, "paragraphs", None):
        # The closing sentence goes with the signatures (no signature alone on a page): every
        # paragraph back to the last one with text (a spacer alone would carry nothing over).
        for p in reversed(doc.paragraphs):
            p.paragraph_format.keep_with_next = True
            if p.text.strip() and "{%" not in p.text:
                break
    table = fixed_table(doc, 1, (75, CONTENT_PORTRAIT_MM - 75), grid=False)
    left = table.cell(0, 0)
    if recipients is not None:
        p = cell_text(left, "Nơi nhận:", 12, bold=True, italic=True, align=LEFT)
        p.paragraph_format.space_after = Pt(0)
        tag(left, "{%p for r in " + recipients + " %}")
        p = left.add_paragraph()
        p.paragraph_format.space_after = Pt(0)
        add_run(p, "{{ r }}", 11)
        tag(left, "{%p endfor %}")
    elif left_authority is not None:
        p = cell_text(left, left_authority, 14, bold=True)
        p.paragraph_format.space_after = Pt(0)
        for _ in range(4):
            para(left, "", after=0)
        para(left, left_name or "", 14, bold=True, align=CENTER, after=0)
    # The whole block on one page: a signature never stands alone at the top of the next one.
    cant_split(table.rows[0])
    right = table.cell(0, 1)
    p = cell_text(right, authority, 14, bold=True)
    p.paragraph_format.space_after = Pt(0)
    for _ in range(4):
        para(right, "", after=0)
    para(right, name, 14, bold=True, align=CENTER, after=0)
    return table


# Widths measured with the font's metrics (core/documents/textfit.py) on the example year, cell
# padding 1 mm a side: Số tiền fits "999.999.999" in bold 11 pt (19.4 mm); Khoa/Phòng the
# longest department ("Khoa Kiểm soát nhiễm khuẩn", 46.3 mm at 11 pt); Chức danh all but the
# rare long titles ("Phó trưởng khoa" 25.8 mm); Ghi chú holds a mark "(1)", the long notes being explained once under the
# table (note_legend). Rows in 11 pt with little padding: a real office prints a few pages per
# hundred people (the example's 901 rows: 24 pages).
LIST_WIDTHS = (10, 38, 28, 48, 9, 23, 9)  # 165 mm; "STT", "Ghi" in bold 11 pt fit too
LIST_ROW_PT = 11
LIST_HEAD = ("STT", "Họ và tên", "Chức danh", "Khoa/Phòng", "Hệ số", "Số tiền (đồng)", "Ghi chú")


def note_legend(doc: Parent, legend: str = "note_legend") -> None:
    """The long or repeated notes of the list, once each, under the table."""
    tag(doc, "{%p if " + legend + " %}")
    p = para(doc, before=6, after=0)
    add_run(p, "Ghi chú:", 12, bold=True, italic=True)
    tag(doc, "{%p for n in " + legend + " %}")
    p = para(doc, after=0)
    add_run(p, "{{ n.mark }} {{ n.text }} ({{ n.count }} trường hợp).", 12, italic=True)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")


def award_list_table(doc: Parent, groups: str = "groups", *, total: str = "total", count: str = "count_text") -> Table:
    """The list attached to a decision (domain-law.md §10.3): grouped by title, STT restarting in
    each group, subtotal per group, TỔNG CỘNG."""
    table = fixed_table(doc, 7, LIST_WIDTHS, grid=True, cell_margin_mm=1)
    head = table.rows[0]
    repeat_header(head)
    for i, text in enumerate(LIST_HEAD):
        cell_text(head.cells[i], text, LIST_ROW_PT, bold=True)
    cell_text(table.cell(1, 0), "{%tr for g in " + groups + " %}", 12)
    group = table.rows[2]
    merged = group.cells[0].merge(group.cells[len(LIST_WIDTHS) - 1])
    cell_text(merged, "{{ g.roman }}. {{ g.label|upper }}", 12, bold=True, align=LEFT)
    cell_text(table.cell(3, 0), "{%tr for r in g.rows %}", 12)
    row = table.rows[4]
    values = ("{{ r.stt }}", "{{ r.name }}", "{{ r.position }}", "{{ r.department }}",
              "{{ r.coefficient }}", "{{ r.amount }}", "{{ r.note_mark }}")  # fmt: skip
    aligns = (CENTER, LEFT, LEFT, LEFT, CENTER, RIGHT, CENTER)
    for i, (text, align) in enumerate(zip(values, aligns, strict=True)):
        p = cell_text(row.cells[i], text, LIST_ROW_PT, align=align)
        p.paragraph_format.space_before = Pt(1)
        p.paragraph_format.space_after = Pt(1)
        p.paragraph_format.line_spacing = 1.0
    cant_split(row)
    cell_text(table.cell(5, 0), "{%tr endfor %}", 12)
    sub = table.rows[6]
    label = sub.cells[0].merge(sub.cells[4])
    cell_text(label, "Cộng mục {{ g.roman }}: {{ g.count }} {{ g.unit }}", 12, bold=True, align=LEFT)
    cell_text(sub.cells[5], "{{ g.subtotal }}", LIST_ROW_PT, bold=True, align=RIGHT)
    no_wrap(sub.cells[5])
    no_wrap(row.cells[5])
    end = table.add_row()
    cell_text(end.cells[0], "{%tr endfor %}", 12)
    tot = table.add_row()
    label = tot.cells[0].merge(tot.cells[4])
    cell_text(label, "TỔNG CỘNG: {{ " + count + " }}", 12, bold=True, align=LEFT)
    cell_text(tot.cells[5], "{{ " + total + " }}", LIST_ROW_PT, bold=True, align=RIGHT)
    no_wrap(tot.cells[5])
    for r in table.rows:
        for i, w in enumerate(LIST_WIDTHS):
            if i < len(r.cells):
                r.cells[i].width = Mm(w)
    return table


# ------------------------------------------------------------------------------------------------
# The documents
# ------------------------------------------------------------------------------------------------


def quyet_dinh() -> DocumentObject:
    doc = new_document("Quyết định công nhận danh hiệu thi đua, khen thưởng")
    state_header(doc)
    doc_title(doc, "QUYẾT ĐỊNH", "{{ decision.summary }}")
    para(doc, "{{ decision.authority }}", 14, bold=True, align=CENTER, after=12)
    bases_block(doc)
    para(doc, "{{ proposal_line }}", italic=True, indent=True)
    para(doc, "QUYẾT ĐỊNH:", 14, bold=True, align=CENTER, before=6, after=12)
    for n, key in ((1, "article_1"), (2, "article_2"), (3, "article_3")):
        p = para(doc, indent=True)
        add_run(p, f"Điều {n}. ", bold=True)
        add_run(p, "{{ decision." + key + " }}")
    para(doc, "", after=6)
    signature_table(doc, recipients="recipients", authority="{{ signer.title }}", name="{{ signer.name_line }}")
    # The list attached to the decision, on its own page.
    appendix_head(doc)
    para(doc, "DANH SÁCH", 14, bold=True, align=CENTER, before=12, after=0)
    para(doc, "Cá nhân, tập thể được công nhận danh hiệu thi đua và khen thưởng năm {{ year }}",
         14, bold=True, align=CENTER, after=0)
    para(doc, "{{ decision.attachment_line }}", 14, italic=True, align=CENTER, after=12)
    award_list_table(doc)
    p = para(doc, before=6)
    add_run(p, "Bằng chữ: ", italic=True, bold=True)
    add_run(p, "{{ total_words }}.", italic=True)
    para(doc, "{{ count_sentence }}", 13, italic=True)
    note_legend(doc)
    return doc


def to_trinh() -> DocumentObject:
    doc = new_document("Tờ trình đề nghị công nhận danh hiệu thi đua, khen thưởng")
    state_header(doc)
    doc_title(doc, "TỜ TRÌNH", "Về việc đề nghị công nhận danh hiệu thi đua, khen thưởng năm {{ year }}")
    p = para(doc, align=CENTER, after=12)
    add_run(p, "Kính gửi: ")
    add_run(p, "{{ proposal.recipient }}")  # no period (ND 30 samples)
    bases_block(doc)
    para(doc, "Căn cứ kết quả đánh giá, xếp loại năm {{ year }} và kết quả bỏ phiếu của Hội đồng Thi "
         "đua – Khen thưởng {{ council.meeting_date_words }}, {{ org.personnel_office }} kính trình "
         "{{ proposal.recipient }} xem xét, {{ proposal.request }} (có danh sách kèm theo), cụ thể:",
         indent=True)
    table = fixed_table(doc, 4, (12, 83, 30, 40), grid=True)
    for i, text in enumerate(("STT", "Danh hiệu, hình thức khen thưởng", "Số lượng", "Số tiền (đồng)")):
        cell_text(table.cell(0, i), text, 12, bold=True)
    cell_text(table.cell(1, 0), "{%tr for c in counts %}", 12)
    for i, (text, align) in enumerate(zip(("{{ loop.index }}", "{{ c.label }}", "{{ c.text }}", "{{ c.amount }}"),
                                          (CENTER, LEFT, CENTER, RIGHT), strict=True)):
        cell_text(table.cell(2, i), text, 12, align=align)
    cell_text(table.cell(3, 0), "{%tr endfor %}", 12)
    tot = table.add_row()
    label = tot.cells[0].merge(tot.cells[1])
    cell_text(label, "Tổng cộng", 12, bold=True, align=LEFT)
    cell_text(tot.cells[2], "{{ count_text }}", 12, bold=True)
    cell_text(tot.cells[3], "{{ total }}", 12, bold=True, align=RIGHT)
    p = para(doc, indent=True, before=6)
    add_run(p, "Tổng số tiền thưởng: {{ total }} đồng (bằng chữ: {{ total_words }}).")
    para(doc, "Kính trình {{ proposal.recipient }} xem xét, quyết định./.", indent=True)
    signature_table(doc, recipients="proposal.recipients", authority="{{ office_head.title }}",
                    name="{{ office_head.name_line }}")
    appendix_head(doc)
    para(doc, "DANH SÁCH ĐỀ NGHỊ", 14, bold=True, align=CENTER, before=12, after=0)
    para(doc, "công nhận danh hiệu thi đua, khen thưởng năm {{ year }}", 14, bold=True, align=CENTER, after=0)
    para(doc, "(Kèm theo Tờ trình số {{ doc.number_text }} {{ doc.date_words }} của {{ org.personnel_office }})",
         14, italic=True, align=CENTER, after=12)
    award_list_table(doc)
    p = para(doc, before=6)
    add_run(p, "Bằng chữ: ", italic=True, bold=True)
    add_run(p, "{{ total_words }}.", italic=True)
    note_legend(doc)
    return doc


def to_trinh_cap_tren() -> DocumentObject:
    doc = new_document("Tờ trình đề nghị cấp trên khen thưởng")
    state_header(doc)
    doc_title(doc, "TỜ TRÌNH", "Về việc đề nghị khen thưởng năm {{ year }}")
    p = para(doc, align=CENTER, after=12)
    add_run(p, "Kính gửi: ")
    add_run(p, "{{ higher.recipient }}")  # no period (ND 30 samples)
    bases_block(doc)
    para(doc, "{{ org.name_sentence }} kính đề nghị {{ higher.recipient }} xem xét, trình cấp có "
         "thẩm quyền khen thưởng: {{ higher.request }} (có danh sách và báo cáo thành tích kèm theo).",
         indent=True)
    para(doc, "Tổng số: {{ higher.count_text }}.", indent=True)
    widths = (12, 45, 28, 40, 40)
    table = fixed_table(doc, 6, widths, grid=True)
    for i, text in enumerate(("STT", "Họ và tên", "Chức danh", "Khoa/Phòng", "Ghi chú")):
        cell_text(table.cell(0, i), text, 12, bold=True)
    repeat_header(table.rows[0])
    cell_text(table.cell(1, 0), "{%tr for g in higher.groups %}", 12)
    merged = table.rows[2].cells[0].merge(table.rows[2].cells[4])
    cell_text(merged, "{{ g.roman }}. {{ g.label|upper }}", 12, bold=True, align=LEFT)
    cell_text(table.cell(3, 0), "{%tr for r in g.rows %}", 12)
    for i, (text, align) in enumerate(zip(("{{ r.stt }}", "{{ r.name }}", "{{ r.position }}",
                                           "{{ r.department }}", "{{ r.note_mark }}"),
                                          (CENTER, LEFT, LEFT, LEFT, LEFT), strict=True)):
        cell_text(table.cell(4, i), text, 12, align=align)
    cant_split(table.rows[4])
    cell_text(table.cell(5, 0), "{%tr endfor %}", 12)
    end = table.add_row()
    cell_text(end.cells[0], "{%tr endfor %}", 12)
    note_legend(doc, "higher.note_legend")
    para(doc, "Kính đề nghị {{ higher.recipient }} xem xét, giải quyết./.", indent=True, before=6)
    signature_table(doc, recipients="higher.recipients", authority="{{ signer.title }}", name="{{ signer.name_line }}")
    return doc


# "100,0%" is 13.1 mm at 12 pt, "Không đạt" 17.8 mm, "999/999" 13.9 mm; padding 1 mm a side.
VOTE_WIDTHS = (11, 39, 30, 31, 18, 16, 20)  # 165 mm; "STT" in bold 12 pt is 8 mm
VOTE_HEAD = ("STT", "Họ và tên / Tập thể", "Khoa/Phòng", "Đề nghị", "Số phiếu đồng ý / tổng số thành viên",
             "Tỷ lệ", "Kết quả")  # fmt: skip


def vote_table(doc: Parent, rows: str = "votes") -> Table:
    table = fixed_table(doc, 4, VOTE_WIDTHS, grid=True, cell_margin_mm=1)
    repeat_header(table.rows[0])
    for i, text in enumerate(VOTE_HEAD):
        cell_text(table.cell(0, i), text, 12, bold=True)
    cell_text(table.cell(1, 0), "{%tr for v in " + rows + " %}", 12)
    values = ("{{ v.stt }}", "{{ v.name }}", "{{ v.department }}", "{{ v.proposal }}", "{{ v.votes }}",
              "{{ v.share }}", "{{ v.result }}")  # fmt: skip
    aligns = (CENTER, LEFT, LEFT, LEFT, CENTER, CENTER, CENTER)
    for i, (text, align) in enumerate(zip(values, aligns, strict=True)):
        cell_text(table.cell(2, i), text, 12, align=align)
    cant_split(table.rows[2])
    cell_text(table.cell(3, 0), "{%tr endfor %}", 12)
    return table


def bien_ban() -> DocumentObject:
    doc = new_document("Biên bản họp Hội đồng Thi đua – Khen thưởng")
    state_header(doc)
    doc_title(doc, "BIÊN BẢN", "Họp Hội đồng Thi đua – Khen thưởng xét danh hiệu thi đua, hình thức khen "
              "thưởng năm {{ year }}")
    para(doc, "Thời gian: {{ council.meeting_time }}, {{ council.meeting_date_words }}.", indent=True)
    para(doc, "Địa điểm: {{ council.meeting_place }}.", indent=True)
    para(doc, "Thành phần: Hội đồng có {{ council.members_text }} thành viên; có mặt "
         "{{ council.present_text }} thành viên, vắng mặt {{ council.absent_text }} thành viên.", indent=True)
    tag(doc, "{%p if council.present_list %}")
    para(doc, "Thành viên có mặt:", indent=True, after=0)
    tag(doc, "{%p for m in council.present_list %}")
    para(doc, "- {{ m.name }}{% if m.role %}, {{ m.role }}{% endif %};", indent=True, after=0)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if council.absent_list %}")
    para(doc, "Thành viên vắng mặt:", indent=True, after=0, before=6)
    tag(doc, "{%p for m in council.absent_list %}")
    para(doc, "- {{ m.name }}{% if m.role %}, {{ m.role }}{% endif %} (lý do: {{ m.reason }});", indent=True,
         after=0)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    para(doc, "Chủ trì: {{ council.chair_text }}.", indent=True, before=6)
    para(doc, "Thư ký: {{ council.secretary_text }}.", indent=True)
    para(doc, "NỘI DUNG", 14, bold=True, align=CENTER, before=6)
    para(doc, "1. Thường trực Hội đồng báo cáo kết quả đánh giá, xếp loại năm {{ year }} và đề nghị của "
         "các khoa, phòng.", indent=True)
    para(doc, "2. Hội đồng thảo luận, bầu Ban kiểm phiếu và bỏ phiếu kín. Số phiếu đồng ý được tính trên "
         "tổng số thành viên Hội đồng; tỷ lệ cần đạt: {{ council.thresholds_text }}.", indent=True)
    para(doc, "3. Kết quả bỏ phiếu kín:", indent=True, keep_next=True)
    tag(doc, "{%p if votes %}")
    vote_table(doc)
    tag(doc, "{%p else %}")
    para(doc, "Không có đề xuất nào phải bỏ phiếu kín.", indent=True)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if list_votes %}")
    para(doc, "4. Biểu quyết thông qua theo danh sách (không bỏ phiếu từng người):", indent=True, before=6)
    tag(doc, "{%p for lv in list_votes %}")
    para(doc, "- {{ lv.text }}", indent=True, after=0)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    para(doc, "KẾT LUẬN", 14, bold=True, align=CENTER, before=12)
    para(doc, "{{ council.conclusion }}", indent=True)
    para(doc, "Cuộc họp kết thúc lúc {{ council.end_time }} cùng ngày. Biên bản đã được đọc lại và "
         "thông qua trước Hội đồng./.", indent=True)
    signature_table(doc, recipients=None, authority="CHỦ TỊCH HỘI ĐỒNG", name="{{ council.chair_line }}",
                    left_authority="THƯ KÝ", left_name="{{ council.secretary_line }}")
    return doc


def kiem_phieu() -> DocumentObject:
    doc = new_document("Biên bản kiểm phiếu")
    state_header(doc)
    doc_title(doc, "BIÊN BẢN KIỂM PHIẾU", "Bầu xét danh hiệu thi đua, hình thức khen thưởng năm {{ year }}")
    para(doc, "Hồi {{ council.meeting_time }}, {{ council.meeting_date_words }}, tại {{ council.meeting_place }}, "
         "Ban kiểm phiếu do Hội đồng Thi đua – Khen thưởng bầu gồm:", indent=True)
    tag(doc, "{%p for m in council.tally_team %}")
    para(doc, "- {{ m }};", indent=True, after=0)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if not council.tally_team %}")
    para(doc, "- {{ blank }}", indent=True, after=0)
    para(doc, "- {{ blank }}", indent=True, after=0)
    para(doc, "- {{ blank }}", indent=True, after=0)
    tag(doc, "{%p endif %}")
    para(doc, "đã tiến hành kiểm phiếu bầu xét danh hiệu thi đua, hình thức khen thưởng năm {{ year }}, "
         "kết quả như sau:", indent=True, before=6)
    para(doc, "Tổng số thành viên Hội đồng: {{ council.members_text }} người. Số phiếu phát ra: "
         "{{ council.ballots_issued }} phiếu; số phiếu thu về: {{ council.ballots_returned }} phiếu; "
         "số phiếu hợp lệ: {{ council.ballots_valid }} phiếu; số phiếu không hợp lệ: "
         "{{ council.ballots_invalid }} phiếu.", indent=True)
    vote_table(doc, "tally_votes")
    para(doc, "Biên bản kiểm phiếu được lập xong lúc {{ council.end_time }} cùng ngày và công bố trước "
         "Hội đồng./.", indent=True, before=6)
    signature_table(doc, recipients=None, authority="TRƯỞNG BAN KIỂM PHIẾU",
                    name="{{ council.tally_head_line }}", left_authority="CÁC THÀNH VIÊN",
                    left_name="{{ council.tally_member_lines|join('\\n') }}")
    return doc


def phieu_bau() -> DocumentObject:
    doc = new_document("Phiếu bầu xét danh hiệu thi đua, khen thưởng", page_numbers=False)
    tag(doc, "{%p for b in ballots %}")
    new_page_each_loop(doc, lambda d: para(d, "{{ org.name }}", 13, bold=True, align=CENTER, after=0))
    para(doc, "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG", 13, bold=True, align=CENTER, after=0)
    rule(doc, 30, CONTENT_PORTRAIT_MM, after=12)
    para(doc, "PHIẾU BẦU", 16, bold=True, align=CENTER, after=0)
    para(doc, "Xét danh hiệu thi đua, hình thức khen thưởng năm {{ year }}", 14, bold=True, align=CENTER, after=6)
    para(doc, "(Đánh dấu X vào một ô «Đồng ý» hoặc «Không đồng ý» ở mỗi dòng. Phiếu đánh dấu cả hai ô "
         "hoặc bỏ trống ở một dòng không được tính cho dòng đó.)", 12, italic=True, align=CENTER, after=6)
    widths = (11, 44, 35, 35, 20, 20)  # "STT" in bold 12 pt is 8 mm, plus 2 mm of padding
    table = fixed_table(doc, 4, widths, grid=True)
    repeat_header(table.rows[0])
    for i, text in enumerate(("STT", "Họ và tên / Tập thể", "Khoa/Phòng", "Đề nghị", "Đồng ý", "Không đồng ý")):
        cell_text(table.cell(0, i), text, 12, bold=True)
    cell_text(table.cell(1, 0), "{%tr for c in ballot_candidates %}", 12)
    # The two last cells are left empty: the ruled cell is the box to mark (a "☐" glyph is not
    # in Times New Roman and printed in a fallback font).
    for i, (text, align) in enumerate(zip(("{{ c.stt }}", "{{ c.name }}", "{{ c.department }}", "{{ c.proposal }}",
                                           "", ""),
                                          (CENTER, LEFT, LEFT, LEFT, CENTER, CENTER), strict=True)):
        cell_text(table.cell(2, i), text, 12, align=align)
    cant_split(table.rows[2])
    cell_text(table.cell(3, 0), "{%tr endfor %}", 12)
    para(doc, "{{ doc.date_line }}", 13, italic=True, align=RIGHT, before=12)
    tag(doc, "{%p endfor %}")
    return doc


CERT_WIDTH = 297 - 40  # 257 mm


def giay_khen() -> DocumentObject:
    """One certificate a page, the text spread over the page (it used the top 60 %), and room
    for the signature and the seal: five lines (about 28 mm) between the title and the name."""
    doc = new_document("Giấy khen, giấy chứng nhận", landscape=True, page_numbers=False)
    tag(doc, "{%p for c in certificates %}")
    new_page_each_loop(doc, lambda d: para(d, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, bold=True,
                                           align=CENTER, after=0))
    para(doc, "Độc lập - Tự do - Hạnh phúc", 14, bold=True, align=CENTER, after=0)
    rule(doc, 64, CERT_WIDTH, after=30)
    para(doc, "{{ decision.authority }}", 17, bold=True, align=CENTER, after=16, color=RED)
    para(doc, "{{ c.verb }}", 17, bold=True, align=CENTER, after=12)
    para(doc, "{{ c.heading }}", 32, bold=True, align=CENTER, after=20, color=RED)
    para(doc, "{{ c.addressee }}", 24, bold=True, align=CENTER, after=12)
    para(doc, "{{ c.detail }}", 16, align=CENTER, after=8)
    para(doc, "{{ c.reason }}", 16, italic=True, align=CENTER, after=24)
    table = fixed_table(doc, 1, (CERT_WIDTH / 2, CERT_WIDTH / 2), grid=False)
    cant_split(table.rows[0])
    left = table.cell(0, 0)
    p = cell_text(left, "", 13, align=LEFT)
    for _ in range(5):
        para(left, "", 13, after=0)
    para(left, "{{ c.decision_line }}", 13, align=LEFT, after=0)
    para(left, "Số sổ vàng: {{ c.so_vang_text }}", 13, align=LEFT, after=0)
    first_paragraph_cleanup(left)
    right = table.cell(0, 1)
    p = cell_text(right, "{{ decision.date_line }}", 14, italic=True)
    p.paragraph_format.space_after = Pt(0)
    para(right, "{{ signer.title }}", 14, bold=True, align=CENTER, after=0)
    for _ in range(5):
        para(right, "", after=0)
    para(right, "{{ signer.name_line }}", 14, bold=True, align=CENTER, after=0)
    tag(doc, "{%p endfor %}")
    return doc


# The payment table of the additional income (thidua income, issue 16): A4 landscape, one page per
# department; its context is core/documents/income_kind.py's, not the awards documents'.
PAY_WIDTHS = (10, 20, 48, 30, 15, 12, 15, 30, 50, 27)  # 257 mm between 20 mm margins
PAY_HEAD = ("STT", "Mã NV", "Họ và tên", "Chức danh", "Hệ số", "Loại", "Ngày công",
            "Số tiền (đồng)", "Ghi chú", "Ký nhận")
PAY_ROW_PT = 11


def bang_thanh_toan() -> DocumentObject:
    doc = new_document("Bảng thanh toán tiền thu nhập tăng thêm", landscape=True)
    tag(doc, "{%p for d in departments %}")
    new_page_each_loop(doc, lambda x: para(x, "{{ org.parent }}", 12, align=LEFT, after=0))
    para(doc, "{{ org.name }}", 12, bold=True, align=LEFT, after=6)
    para(doc, "{{ title }}", 14, bold=True, align=CENTER, after=0)
    para(doc, "{{ period_label }} – {{ d.name }}", 13, italic=True, align=CENTER, after=6)
    table = fixed_table(doc, 4, PAY_WIDTHS, grid=True, cell_margin_mm=1)
    head = table.rows[0]
    repeat_header(head)
    for i, text in enumerate(PAY_HEAD):
        cell_text(head.cells[i], text, PAY_ROW_PT, bold=True)
    cell_text(table.cell(1, 0), "{%tr for r in d.rows %}", 12)
    row = table.rows[2]
    values = ("{{ r.stt }}", "{{ r.staff_id }}", "{{ r.name }}", "{{ r.title }}",
              "{{ r.coefficient }}", "{{ r.grade }}", "{{ r.days }}", "{{ r.amount }}",
              "{{ r.note }}", "")  # fmt: skip
    aligns = (CENTER, CENTER, LEFT, LEFT, CENTER, CENTER, CENTER, RIGHT, LEFT, CENTER)
    for i, (text, align) in enumerate(zip(values, aligns, strict=True)):
        p = cell_text(row.cells[i], text, PAY_ROW_PT, align=align)
        p.paragraph_format.line_spacing = 1.0
    cant_split(row)
    no_wrap(row.cells[7])
    cell_text(table.cell(3, 0), "{%tr endfor %}", 12)
    tot = table.add_row()
    label = tot.cells[0].merge(tot.cells[6])
    cell_text(label, "Cộng: {{ d.count }} người", 12, bold=True, align=LEFT)
    cell_text(tot.cells[7], "{{ d.total }}", 12, bold=True, align=RIGHT)
    no_wrap(tot.cells[7])
    for r in table.rows:
        for i, w in enumerate(PAY_WIDTHS):
            if i < len(r.cells):
                r.cells[i].width = Mm(w)
    para(doc, "Số tiền bằng chữ: {{ d.total_words }}.", 12, italic=True, before=6, after=6)
    signs = fixed_table(doc, 2, (257 / 3, 257 / 3, 257 / 3), grid=False)
    cell_text(signs.cell(0, 2), "{{ date_line }}", 13, italic=True)
    for i, (title, note) in enumerate((("Người lập bảng", "(Ký, họ tên)"),
                                       ("Kế toán trưởng", "(Ký, họ tên)"),
                                       ("Thủ trưởng đơn vị", "(Ký, họ tên, đóng dấu)"))):
        cell = signs.cell(1, i)
        p = cell_text(cell, title, 13, bold=True)
        p.paragraph_format.space_after = Pt(0)
        para(cell, note, 12, italic=True, align=CENTER, after=0)
    cant_split(signs.rows[0])
    cant_split(signs.rows[1])
    tag(doc, "{%p endfor %}")
    return doc


# --- The emulation cluster (thidua cluster, issue 18): context of core/documents/cluster.py ----

RANK_WIDTHS = (14, 85, 33, 33)  # 165 mm
CLUSTER_VOTE_WIDTHS = (11, 52, 30, 30, 20, 22)  # 165 mm


def _rows_table(doc: Parent, widths, heads, loop: str, values, aligns) -> Table:
    table = fixed_table(doc, 4, widths, grid=True, cell_margin_mm=1)
    repeat_header(table.rows[0])
    for i, text in enumerate(heads):
        cell_text(table.cell(0, i), text, 12, bold=True)
    cell_text(table.cell(1, 0), "{%tr for " + loop + " %}", 12)
    for i, (text, align) in enumerate(zip(values, aligns, strict=True)):
        cell_text(table.cell(2, i), text, 12, align=align)
    cant_split(table.rows[2])
    cell_text(table.cell(3, 0), "{%tr endfor %}", 12)
    return table


def bien_ban_khoi() -> DocumentObject:
    doc = new_document("Biên bản họp khối thi đua")
    state_header(doc)
    doc_title(doc, "BIÊN BẢN", "Họp tổng kết, bình xét thi đua năm {{ year }} của {{ cluster.name }}")
    para(doc, "Thời gian: {{ meeting.time }}, {{ meeting.date_words }}.", indent=True)
    para(doc, "Địa điểm: {{ meeting.place }}.", indent=True)
    para(doc, "Thành phần: Trưởng (hoặc người được ủy quyền) của {{ cluster.members_text }} đơn vị "
         "thành viên khối; Trưởng khối: {{ cluster.head }}.", indent=True)
    para(doc, "Chủ trì: {{ meeting.chair_line }}. Thư ký: {{ meeting.secretary_line }}.", indent=True)
    para(doc, "NỘI DUNG", 14, bold=True, align=CENTER, before=6)
    para(doc, "1. Kết quả chấm điểm, kiểm tra chéo theo bảng điểm giao ước thi đua năm {{ year }} "
         "(xếp hạng theo điểm kiểm tra chéo; đơn vị bằng điểm cùng hạng):", indent=True)
    _rows_table(doc, RANK_WIDTHS, ("Hạng", "Đơn vị", "Điểm tự chấm", "Điểm kiểm tra chéo"),
                "r in ranking", ("{{ r.rank }}", "{{ r.name }}", "{{ r.self_total }}",
                                 "{{ r.checked_total }}"), (CENTER, LEFT, CENTER, CENTER))
    para(doc, "2. Kết quả biểu quyết của Trưởng các đơn vị thành viên (tỷ lệ tính trên tổng số "
         "{{ cluster.members_text }} thành viên):", indent=True, before=6)
    _rows_table(doc, CLUSTER_VOTE_WIDTHS, ("STT", "Đơn vị", "Đề nghị", "Số phiếu đồng ý", "Tỷ lệ",
                                           "Kết quả"),
                "v in votes", ("{{ v.stt }}", "{{ v.name }}", "{{ v.proposal }}", "{{ v.votes }}",
                               "{{ v.share }}", "{{ v.result }}"),
                (CENTER, LEFT, LEFT, CENTER, CENTER, CENTER))
    para(doc, "KẾT LUẬN", 14, bold=True, align=CENTER, before=12)
    para(doc, "{{ conclusion }}", indent=True)
    para(doc, "Trưởng khối năm {{ year + 1 }}: {{ cluster.next_head }} ({{ cluster.rotation_reason }}).",
         indent=True)
    para(doc, "Biên bản đã được đọc lại và thông qua trước hội nghị./.", indent=True)
    signature_table(doc, recipients=None, authority="CHỦ TRÌ", name="{{ meeting.chair_line }}",
                    left_authority="THƯ KÝ", left_name="{{ meeting.secretary_line }}")
    return doc


def to_trinh_khoi() -> DocumentObject:
    doc = new_document("Tờ trình đề nghị tặng Cờ thi đua và Bằng khen")
    state_header(doc)
    doc_title(doc, "TỜ TRÌNH", "Về việc đề nghị tặng Cờ thi đua và Bằng khen năm {{ year }} cho đơn vị "
              "của {{ cluster.name }}")
    p = para(doc, align=CENTER, after=12)
    add_run(p, "Kính gửi: ")
    add_run(p, "{{ proposal.recipient }}")
    para(doc, "Căn cứ Luật Thi đua, khen thưởng năm 2022; căn cứ kết quả chấm điểm, kiểm tra chéo và "
         "biểu quyết tại hội nghị tổng kết năm {{ year }} của {{ cluster.name }} (có biên bản kèm "
         "theo), {{ cluster.head }} – Trưởng khối kính trình {{ proposal.recipient }} xem xét:",
         indent=True)
    para(doc, "1. Tặng Cờ thi đua cho: {{ proposal.flag_text }}.", indent=True)
    para(doc, "2. Tặng Bằng khen cho: {{ proposal.bang_khen_text }}.", indent=True)
    para(doc, "Kết quả xếp hạng và biểu quyết:", indent=True)
    _rows_table(doc, CLUSTER_VOTE_WIDTHS, ("STT", "Đơn vị", "Đề nghị", "Số phiếu đồng ý", "Tỷ lệ",
                                           "Kết quả"),
                "v in votes", ("{{ v.stt }}", "{{ v.name }}", "{{ v.proposal }}", "{{ v.votes }}",
                               "{{ v.share }}", "{{ v.result }}"),
                (CENTER, LEFT, LEFT, CENTER, CENTER, CENTER))
    para(doc, "Kính trình {{ proposal.recipient }} xem xét, quyết định./.", indent=True, before=6)
    signature_table(doc, recipients="proposal.recipients", authority="{{ signer.title }}",
                    name="{{ signer.name_line }}")
    return doc


# The yearly report of exemplary models and their replication (issue 17): its context is
# core/documents/models_kind.py's (the ledger's register), the head the shared ND 30 one.
MODEL_WIDTHS = (9, 32, 22, 36, 24, 42)  # 165 mm


def bao_cao_dien_hinh() -> DocumentObject:
    doc = new_document("Báo cáo điển hình tiên tiến và kết quả nhân rộng")
    state_header(doc)
    doc_title(doc, "{{ title }}", "{{ summary_line }}")
    para(doc, "Năm {{ year }}, đơn vị có {{ counts.models }} điển hình tiên tiến "
         "({{ counts.individuals }} cá nhân, {{ counts.collectives }} tập thể); "
         "{{ counts.replicated }} điển hình đã được nhân rộng tại {{ counts.places }} nơi. "
         "Cụ thể như sau:", indent=True)
    table = _rows_table(doc, MODEL_WIDTHS, ("STT", "Cá nhân, tập thể", "Khoa/Phòng",
                                            "Mô hình, cách làm", "Tiêu chí đạt",
                                            "Nơi nhân rộng: kết quả"),
                        "r in rows", ("{{ r.stt }}", "{{ r.name }} ({{ r.kind }})",
                                      "{{ r.department }}", "{{ r.model }}", "{{ r.criteria }}", ""),
                        (CENTER, LEFT, LEFT, LEFT, LEFT, LEFT))
    # One line per place the model was replicated at, its result beside it.
    cell = table.cell(2, 5)
    for p in list(cell.paragraphs):
        p._element.getparent().remove(p._element)
    tag(cell, "{%p for line in r.replications %}")
    para(cell, "{{ line }}", 12, align=LEFT, after=0)
    tag(cell, "{%p endfor %}")
    para(doc, "Đơn vị tiếp tục phát hiện, bồi dưỡng và nhân rộng các điển hình tiên tiến./.",
         indent=True, before=6)
    signature_table(doc, recipients="recipients", authority="{{ signer.title }}",
                    name="{{ signer.name_line }}")
    return doc

BUILDERS = {
    "to-trinh": to_trinh,
    "to-trinh-cap-tren": to_trinh_cap_tren,
    "bien-ban": bien_ban,
    "kiem-phieu": kiem_phieu,
    "phieu-bau": phieu_bau,
    "quyet-dinh": quyet_dinh,
    "giay-khen": giay_khen,
    "bang-thanh-toan": bang_thanh_toan,
    "bien-ban-khoi": bien_ban_khoi,
    "to-trinh-khoi": to_trinh_khoi,
    "bao-cao-dien-hinh": bao_cao_dien_hinh,
}

_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def reproducible(data: bytes) -> bytes:
    """The same .docx with fixed entry timestamps and a fixed entry order."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    names = src.namelist()
    first = [n for n in names if n == "[Content_Types].xml"]
    rest = sorted(n for n in names if n != "[Content_Types].xml")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in first + rest:
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(name))
    return out.getvalue()


def entries(data: bytes) -> list[tuple[str, bytes]]:
    """The (name, uncompressed content) of every entry: what "the same template" means, whatever
    zlib build compressed it."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [(n, z.read(n)) for n in z.namelist()]


def build(kind: str) -> bytes:
    doc = BUILDERS[kind]()
    # python-docx stamps no time on save; the core properties of its default template are fixed.
    buf = io.BytesIO()
    doc.save(buf)
    return reproducible(buf.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed templates")
    parser.add_argument("--out", type=Path, default=OUT, help="output folder")
    args = parser.parse_args(argv)
    differ = []
    args.out.mkdir(parents=True, exist_ok=True)
    for kind in BUILDERS:
        data = build(kind)
        path = args.out / f"{kind}.docx"
        if args.check:
            if not path.exists() or entries(path.read_bytes()) != entries(data):
                differ.append(path.name)
        else:
            path.write_bytes(data)
            print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    if differ:
        print("differ from tools/make_templates.py: " + ", ".join(differ), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
