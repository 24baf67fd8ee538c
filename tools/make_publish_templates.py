"""Build the default templates of ``thidua publish`` (issue 17): the Thông báo công khai and
the Biên bản tổng hợp ý kiến, in the layout of every other document (ND 30/2020, Phụ lục I),
with the helpers of ``tools/make_templates.py``. Kept apart from that script so that the
award documents and the posting documents are built (and checked) each by their own::

    python tools/make_publish_templates.py            # writes src/thidua_cli/templates/…
    python tools/make_publish_templates.py --check    # exit 1 if a committed template differs

The Jinja tags are the contexts of ``thidua_cli.core.documents.publish``.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_templates as mt
from docx.document import Document as DocumentObject
from docx.shared import Mm, Pt

CENTER, LEFT = mt.CENTER, mt.LEFT
# STT, Họ và tên, Khoa/Phòng, Kết quả theo tiêu chí: 165 mm.
NOTICE_WIDTHS = (11, 40, 44, 70)
# STT, Người góp ý, Về ai, Hình thức, Nội dung, Ngày nhận, Giải quyết: 165 mm.
COMMENT_WIDTHS = (10, 24, 26, 20, 37, 18, 30)


def _row_cells(table, row: int, values, aligns, size: float = 11) -> None:  # type: ignore[no-untyped-def]
    for i, (text, align) in enumerate(zip(values, aligns, strict=True)):
        p = mt.cell_text(table.cell(row, i), text, size, align=align)
        p.paragraph_format.space_before = Pt(1)
        p.paragraph_format.space_after = Pt(1)


def candidates_table(doc, groups: str = "groups") -> None:  # type: ignore[no-untyped-def]
    """The candidates by title; STT restarts in each group."""
    table = mt.fixed_table(doc, 6, NOTICE_WIDTHS, grid=True, cell_margin_mm=1)
    mt.repeat_header(table.rows[0])
    for i, text in enumerate(("STT", "Họ và tên", "Khoa/Phòng", "Kết quả theo tiêu chí")):
        mt.cell_text(table.cell(0, i), text, 11, bold=True)
    mt.cell_text(table.cell(1, 0), "{%tr for g in " + groups + " %}", 12)
    merged = table.rows[2].cells[0].merge(table.rows[2].cells[len(NOTICE_WIDTHS) - 1])
    mt.cell_text(merged, "{{ g.title|upper }} ({{ g.count }} người)", 12, bold=True, align=LEFT)
    mt.cell_text(table.cell(3, 0), "{%tr for r in g.rows %}", 12)
    _row_cells(table, 4, ("{{ r.stt }}", "{{ r.name }}", "{{ r.department }}", "{{ r.result }}"),
               (CENTER, LEFT, LEFT, LEFT))
    mt.cant_split(table.rows[4])
    mt.cell_text(table.cell(5, 0), "{%tr endfor %}", 12)
    end = table.add_row()
    mt.cell_text(end.cells[0], "{%tr endfor %}", 12)
    for r in table.rows:
        for i, w in enumerate(NOTICE_WIDTHS):
            if i < len(r.cells):
                r.cells[i].width = Mm(w)


def thong_bao_cong_khai() -> DocumentObject:
    doc = mt.new_document("Thông báo công khai danh sách đề nghị khen thưởng")
    mt.state_header(doc)
    mt.doc_title(doc, "THÔNG BÁO", "Công khai danh sách cá nhân được đề nghị xét tặng danh hiệu "
                 "thi đua, hình thức khen thưởng năm {{ year }}")
    mt.para(doc, "Thực hiện nguyên tắc dân chủ, công khai trong thi đua, khen thưởng, "
            "{{ org.short_name }} thông báo công khai danh sách {{ count_total }} lượt cá nhân được "
            "đề nghị xét tặng danh hiệu thi đua, hình thức khen thưởng năm {{ year }} cùng kết quả "
            "theo từng tiêu chí (danh sách kèm theo).", indent=True)
    mt.para(doc, "Thời gian niêm yết: từ ngày {{ posting.start }} đến hết ngày {{ posting.deadline }} "
            "({{ posting.days_text }} ngày làm việc, không kể ngày nghỉ lễ, Tết và ngày nghỉ hằng "
            "tuần).", indent=True)
    mt.para(doc, "Mọi ý kiến góp ý, khiếu nại, tố cáo xin gửi về Thường trực Hội đồng Thi đua – Khen "
            "thưởng ({{ org.personnel_office or 'Phòng Tổ chức cán bộ' }}) trước hạn trên. Cá nhân "
            "đang bị xem xét kỷ luật, điều tra, giải quyết khiếu nại, tố cáo sẽ tạm dừng xét "
            "khen thưởng cho đến khi có kết luận ({{ basis }}).", indent=True)
    mt.signature_table(doc, recipients="['Như trên', 'Bảng tin, trang thông tin điện tử', 'Lưu: VT, TĐKT']",
                       authority="TM. HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG\nCHỦ TỊCH", name="")
    mt.appendix_head(doc)
    mt.para(doc, "DANH SÁCH ĐỀ NGHỊ XÉT TẶNG DANH HIỆU THI ĐUA, HÌNH THỨC KHEN THƯỞNG NĂM {{ year }}",
            13, bold=True, align=CENTER, before=12, after=0)
    mt.para(doc, "(Kèm theo Thông báo số {{ doc.number_text }} ngày {{ doc.dmy }})", 13, italic=True,
            align=CENTER, after=6)
    candidates_table(doc)
    return doc


def bien_ban_y_kien() -> DocumentObject:
    doc = mt.new_document("Biên bản tổng hợp ý kiến")
    mt.state_header(doc)
    mt.doc_title(doc, "BIÊN BẢN", "Tổng hợp ý kiến về danh sách đề nghị khen thưởng năm {{ year }}")
    mt.para(doc, "Danh sách được niêm yết công khai từ ngày {{ posting.start }} đến hết ngày "
            "{{ posting.deadline }} ({{ posting.days }} ngày làm việc). Thường trực Hội đồng Thi "
            "đua – Khen thưởng nhận được {{ count_comments }} ý kiến, tổng hợp như sau:", indent=True)
    table = mt.fixed_table(doc, 4, COMMENT_WIDTHS, grid=True, cell_margin_mm=1)
    mt.repeat_header(table.rows[0])
    for i, text in enumerate(("STT", "Người góp ý", "Về cá nhân", "Hình thức", "Nội dung",
                              "Ngày nhận", "Giải quyết")):
        mt.cell_text(table.cell(0, i), text, 11, bold=True)
    mt.cell_text(table.cell(1, 0), "{%tr for c in comments %}", 12)
    _row_cells(table, 2, ("{{ c.stt }}", "{{ c.by }}", "{{ c.about }}", "{{ c.kind }}", "{{ c.text }}",
                          "{{ c.received }}{% if c.late %} (sau hạn){% endif %}",
                          "{{ c.answer }}. {{ c.state }}"),
               (CENTER, LEFT, LEFT, LEFT, LEFT, CENTER, LEFT))
    mt.cell_text(table.cell(3, 0), "{%tr endfor %}", 12)
    mt.tag(doc, "{%p if held %}")
    mt.para(doc, "Tạm dừng xét khen thưởng ({{ basis }}: đang xem xét kỷ luật, điều tra, giải quyết "
            "khiếu nại, tố cáo) đối với {{ count_held }} cá nhân:", indent=True, before=6)
    mt.tag(doc, "{%p for h in held %}")
    mt.para(doc, "{{ h.stt }}. {{ h.name }} ({{ h.staff_id }}), đề nghị {{ h.titles }}: {{ h.reasons }}.",
            indent=True, after=0)
    mt.tag(doc, "{%p endfor %}")
    mt.tag(doc, "{%p else %}")
    mt.para(doc, "Không có cá nhân nào phải tạm dừng xét khen thưởng.", indent=True, before=6)
    mt.tag(doc, "{%p endif %}")
    mt.para(doc, "Danh sách cuối cùng trình Hội đồng gồm {{ count_final }} lượt cá nhân (kèm theo). "
            "Biên bản đã được thông qua./.", indent=True, before=6)
    mt.signature_table(doc, recipients=None, authority="CHỦ TỊCH HỘI ĐỒNG", name="",
                       left_authority="THƯ KÝ", left_name="")
    mt.appendix_head(doc)
    mt.para(doc, "DANH SÁCH CUỐI CÙNG SAU KHI LẤY Ý KIẾN NĂM {{ year }}", 13, bold=True,
            align=CENTER, before=12, after=6)
    candidates_table(doc)
    return doc


BUILDERS = {"thong-bao-cong-khai": thong_bao_cong_khai, "bien-ban-y-kien": bien_ban_y_kien}


def build(kind: str) -> bytes:
    buf = io.BytesIO()
    BUILDERS[kind]().save(buf)
    return mt.reproducible(buf.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed templates")
    args = parser.parse_args(argv)
    differ = []
    for kind in BUILDERS:
        data = build(kind)
        path = mt.OUT / f"{kind}.docx"
        if args.check:
            if not path.exists() or mt.entries(path.read_bytes()) != mt.entries(data):
                differ.append(path.name)
        else:
            path.write_bytes(data)
            print(f"wrote {path.relative_to(mt.ROOT)}")
    if differ:
        print("differ from tools/make_publish_templates.py: " + ", ".join(differ), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
