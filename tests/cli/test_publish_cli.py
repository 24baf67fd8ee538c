"""``thidua publish`` (issue 17): the comment deadline in working days across Tết (hand
computed), the notice read back from the .docx, a complaint holding its candidate through to
the final list and the documents ``render`` prints, and the findings of a bad comments sheet."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from helpers import invoke_cli
from thidua_cli.core.awards_result import AwardsOutcome
from thidua_cli.core.publish import Comment, final_list, holds
from thidua_cli.core.workdays import nth_working_day

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "awards-sample.json"


def test_deadline_across_tet_2027_by_hand() -> None:
    # Tết Đinh Mùi: the holidays library gives Thu 04/02 (29 Tết) … Wed 10/02/2027 off.
    # From Mon 01/02: 01 (1), 02 (2), 03 (3); 04–05 Tết, 06–07 weekend, 08–10 Tết;
    # Thu 11 (4), Fri 12 (5). Five working days end on 12/02/2027, not 05/02.
    assert nth_working_day(date(2027, 2, 1), 5) == date(2027, 2, 12)
    # Without Tết it would be Mon–Fri of one week.
    assert nth_working_day(date(2027, 3, 1), 5) == date(2027, 3, 5)
    # A start on a holiday does not count: Sat 06/02 → first worked day Thu 11/02.
    assert nth_working_day(date(2027, 2, 6), 1) == date(2027, 2, 11)
    # The regulation's swapped days: a Saturday worked counts, a weekday off does not.
    assert nth_working_day(date(2027, 3, 1), 5, days_off=[date(2027, 3, 3)]) == date(2027, 3, 8)
    assert nth_working_day(date(2027, 3, 5), 2, days_worked=[date(2027, 3, 6)]) == date(2027, 3, 6)


def _outcome() -> AwardsOutcome:
    return AwardsOutcome.from_json(json.loads(SAMPLE.read_text(encoding="utf-8")), str(SAMPLE))


def test_only_an_open_complaint_holds() -> None:
    outcome = _outcome()
    comments = [
        Comment("BV0012", "khieu-nai", "Chưa đủ thời gian công tác"),  # open → held
        Comment("BV0020", "to-cao", "Vi phạm quy chế", answer="Không có căn cứ", resolved=True),
        Comment("BV0031", "gop-y", "Nên ghi rõ thành tích"),  # a plain comment never holds
    ]
    held = holds(outcome, comments)
    assert [(h.staff_id, h.titles) for h in held] == [
        ("BV0012", ("Lao động tiên tiến", "Chiến sĩ thi đua cơ sở", "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"))]
    final = final_list(outcome, held)
    statuses = {(a.staff_id, a.title): a.status for a in final.awards if a.staff_id == "BV0012"}
    assert set(statuses.values()) == {"pending_council"}
    assert all("NĐ 152/2025/NĐ-CP Điều 4.4" in a.note for a in final.awards if a.staff_id == "BV0012")
    # Everybody else is as the council left them (BV0007's rejection stays a rejection).
    assert [a.status for a in final.awards if a.staff_id != "BV0012"] == [
        a.status for a in outcome.awards if a.staff_id != "BV0012"]


def _docx_text(path: Path) -> str:
    doc = Document(str(path))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


@pytest.fixture
def posted(tmp_path: Path) -> Path:
    result = tmp_path / "nam-2026.de-xuat.json"
    shutil.copy(SAMPLE, result)
    done = invoke_cli("publish", "notice", result, "--start", "2027-02-01", "--days", "5")
    assert done.exit_code == 0, done.output
    assert "từ 01/02/2027 đến hết 12/02/2027 (5 ngày làm việc)" in done.stdout
    return result


def test_notice_lists_candidates_with_their_results(posted: Path) -> None:
    text = _docx_text(posted.parent / "nam-2026.thong-bao-cong-khai.docx")
    assert "Thời gian niêm yết: từ ngày 01/02/2027 đến hết ngày 12/02/2027 (05 ngày làm việc" in text
    # 10 individual proposals approved: 6 LĐTT (BV0031, 0012, 0020, 0007, 0003, 0044), 2 CSTĐCS
    # (BV0020, 0012), 1 Giấy khen (BV0003), 1 Bằng khen (BV0012); BV0007's rejected CSTĐCS is
    # not posted.
    assert "danh sách 10 lượt cá nhân" in text
    assert "LAO ĐỘNG TIÊN TIẾN (6 người)" in text
    assert "Nguyễn Thị Ánh" in text and "TẬP THỂ LAO ĐỘNG TIÊN TIẾN" not in text  # individuals only
    sheet = openpyxl.load_workbook(posted.parent / "nam-2026.y-kien.xlsx")
    info = {r[0].value: r[1].value for r in sheet["Thông tin"].iter_rows()}
    assert info["Hạn nhận ý kiến"] == "2027-02-12" and info["Số ngày làm việc"] == 5
    assert [c.value for c in sheet["Ý kiến"][4]][:5] == [
        "STT", "Người góp ý", "Mã NV người được góp ý", "Họ tên người được góp ý", "Hình thức"]


def _fill(sheet: Path, rows: list[list[object]]) -> None:
    wb = openpyxl.load_workbook(sheet)
    ws = wb["Ý kiến"]
    for n, row in enumerate(rows, start=5):
        for c, value in enumerate(row, start=1):
            ws.cell(n, c, value)
    wb.save(sheet)


def test_a_complaint_holds_the_candidate_through_to_the_documents(posted: Path) -> None:
    folder = posted.parent
    sheet = folder / "nam-2026.y-kien.xlsx"
    _fill(sheet, [
        [1, "Nguyễn Văn Khách", "BV0012", "", "Khiếu nại", "Chưa đủ thời gian công tác",
         "03/02/2027", "", ""],
        [2, "Tổ công đoàn", "BV0031", "", "Góp ý", "Ghi rõ thành tích", "15/02/2027",
         "Đã bổ sung", "x"],
    ])
    done = invoke_cli("publish", "comments", sheet, posted)
    assert done.exit_code == 0, done.output
    assert "2 ý kiến" in done.stdout and "1 cá nhân tạm dừng xét" in done.stdout
    assert "publish-late-comment" not in done.stdout
    assert "sau hạn 12/02/2027" in done.stderr  # 15/02 is after the deadline: a warning
    minutes = _docx_text(folder / "nam-2026.bien-ban-y-kien.docx")
    assert "1. Nguyễn Thị Ánh (BV0012)" in minutes
    assert "Khiếu nại: Chưa đủ thời gian công tác" in minutes
    # 10 posted − 3 proposals of BV0012 = 7 on the final list.
    assert "Danh sách cuối cùng trình Hội đồng gồm 7 lượt cá nhân" in minutes
    final = folder / "nam-2026-sau-cong-khai.de-xuat.json"
    # render prints no decision for the held candidate from the final list …
    out = folder / "van-ban"
    rendered = invoke_cli("render", "quyet-dinh", "-i", final, "-o", out)
    assert rendered.exit_code == 0, rendered.output
    decision = _docx_text(next(out.glob("quyet-dinh*.docx")))
    assert "Nguyễn Thị Ánh" not in decision and "Lý Thị Mai" in decision
    # … and ledger record does not record one.
    db = folder / "thidua.db"
    recorded = invoke_cli("ledger", "record", final, "--decision", "12/QĐ-BV", "--date",
                          "2027-02-20", "--ledger", db)
    assert recorded.exit_code == 0, recorded.output
    shown = invoke_cli("ledger", "show", "BV0012", "--ledger", db, "--json")
    # The sample carries no year ratings: the ledger knows nothing of her at all.
    assert shown.exit_code == 1 and "không có mã nhân viên \"BV0012\"" in shown.stderr
    other = json.loads(invoke_cli("ledger", "show", "BV0031", "--ledger", db, "--json").stdout)
    assert [a["title"] for a in other["awards"]] == ["LDTT"]


def test_a_bad_comments_sheet_names_its_cells(posted: Path) -> None:
    sheet = posted.parent / "nam-2026.y-kien.xlsx"
    _fill(sheet, [
        [1, "A", "BV9999", "", "Góp ý", "x", "03/02/2027", "", ""],
        [2, "B", "BV0012", "", "Kiến nghị lạ", "x", "31/02/2027", "", "có lẽ"],
    ])
    done = invoke_cli("publish", "comments", sheet, posted)
    assert done.exit_code == 1
    for where in ("Ý kiến!C5", "Ý kiến!E6", "Ý kiến!G6", "Ý kiến!I6"):
        assert where in done.stderr, done.stderr
    assert "Mã NV \"BV9999\" không có trong danh sách đề nghị khen thưởng năm 2026" in done.stderr
    assert not (posted.parent / "nam-2026.bien-ban-y-kien.docx").exists()


def test_notice_refuses_to_overwrite_and_checks_days(posted: Path) -> None:
    again = invoke_cli("publish", "notice", posted, "--start", "2027-02-01")
    assert again.exit_code == 6
    bad = invoke_cli("publish", "notice", posted, "--start", "2027-02-01", "--days", "0", "-f")
    assert bad.exit_code == 2 and "--days 0 không hợp lệ" in bad.stderr


def test_publish_templates_check_clean_and_are_the_generators_output() -> None:
    import importlib.util

    from thidua_cli import render as rd
    from thidua_cli.core.documents.publish import MINUTES, NOTICE, minutes_context, notice_context
    from thidua_cli.core.publish import Posting

    outcome = _outcome()
    posting = Posting(date(2027, 2, 1), date(2027, 2, 12), 5)
    comments = [Comment("BV0012", "khieu-nai", "x", received=date(2027, 2, 3))]
    contexts = {NOTICE: notice_context(outcome, posting),
                MINUTES: minutes_context(outcome, posting, comments, holds(outcome, comments),
                                         date(2027, 2, 12))}
    script = Path(__file__).resolve().parents[2] / "tools" / "make_publish_templates.py"
    spec = importlib.util.spec_from_file_location("make_publish_templates", script)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for kind, context in contexts.items():
        ref = rd.find_template(kind)
        assert ref.resource is not None
        check = rd.check_template(Path(str(ref.resource)), context, kind=kind)
        assert check.problems == [], (kind, check.problems)
        assert module.mt.entries(ref.read_bytes()) == module.mt.entries(module.build(kind)), (
            f"{kind}.docx differs from tools/make_publish_templates.py: run it")



def test_comment_days_from_the_regulation(tmp_path: Path) -> None:
    # [publish] comment_days = 10: from Mon 01/03/2027, ten working days end Fri 12/03/2027
    # (two weeks, no holiday). A wrong value is refused at load with its line (exit 3).
    result = tmp_path / "nam-2026.de-xuat.json"
    shutil.copy(SAMPLE, result)
    rules = tmp_path / "quy-che.toml"
    rules.write_text("[publish]\ncomment_days = 10\n", encoding="utf-8")
    done = invoke_cli("publish", "notice", result, "--start", "2027-03-01", "--rules", rules)
    assert done.exit_code == 0, done.output
    assert "đến hết 12/03/2027 (10 ngày làm việc)" in done.stdout
    rules.write_text("[publish]\ncomment_days = 0\n", encoding="utf-8")
    bad = invoke_cli("publish", "notice", result, "--start", "2027-03-01", "--rules", rules, "-f")
    assert bad.exit_code == 3 and "publish.comment_days" in bad.stderr


def test_render_with_the_ledger_leaves_out_a_candidate_held_after_the_result(posted: Path) -> None:
    # The result was made before the posting; the complaint against BV0012 (Nguyễn Thị Ánh) is
    # kept in the ledger by publish comments --ledger. render given the ORIGINAL result and the
    # ledger prints no decision or certificate for her, and says so (ND 152/2025 Điều 4.4).
    folder = posted.parent
    sheet = folder / "nam-2026.y-kien.xlsx"
    _fill(sheet, [[1, "Nguyễn Văn Khách", "BV0012", "", "Khiếu nại", "Chưa đủ thời gian",
                   "03/02/2027", "", ""]])
    db = folder / "thidua.db"
    done = invoke_cli("publish", "comments", sheet, posted, "--ledger", db)
    assert done.exit_code == 0, done.output
    before = invoke_cli("render", "quyet-dinh", "-i", posted, "-o", folder / "truoc")
    assert before.exit_code == 0, before.output
    assert "Nguyễn Thị Ánh" in _docx_text(next((folder / "truoc").glob("quyet-dinh*.docx")))
    out = folder / "sau"
    after = invoke_cli("render", "all", "-i", posted, "-o", out, "--ledger", db)
    assert after.exit_code == 0, after.output
    assert ("Không in quyết định, giấy khen cho Nguyễn Thị Ánh (BV0012): Tạm dừng xét: đang có "
            "khiếu nại chưa giải quyết xong (NĐ 152/2025/NĐ-CP Điều 4.4).") in " ".join(
                after.stderr.split())
    decision = _docx_text(next(out.glob("quyet-dinh*.docx")))
    assert "Nguyễn Thị Ánh" not in decision and "Lý Thị Mai" in decision
    certificates = _docx_text(next(out.glob("giay-khen*.docx")))
    assert "Nguyễn Thị Ánh" not in certificates and certificates.strip()
    # The ledger is never an output, and a ledger that is not there is a usage error.
    missing = invoke_cli("render", "quyet-dinh", "-i", posted, "-o", out, "--ledger",
                         folder / "khong-co.db", "-f")
    assert missing.exit_code == 2 and "Không thấy sổ lịch sử" in missing.stderr
