"""``thidua render`` and ``thidua templates`` through the CLI: files written, exit codes and
Vietnamese messages."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from helpers import awards_rows

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "awards-sample.json"
ALL_FILES = [
    "bien-ban-2026.docx",
    "giay-khen-12-2026.docx",
    "kiem-phieu-2026.docx",
    "phieu-bau-2026.docx",
    "quyet-dinh-12-2026.docx",
    "to-trinh-2026.docx",
    "to-trinh-cap-tren-2026.docx",
]


@pytest.fixture
def result_file(tmp_path: Path) -> Path:
    target = tmp_path / "nam-2026.de-xuat.json"
    shutil.copy(SAMPLE, target)
    return target


def docx_text(path: Path) -> list[str]:
    doc = Document(str(path))
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    return [Paragraph(p, doc).text for p in doc.element.body.iter(qn("w:p"))]


def docx_rows(path: Path) -> list[list[str]]:
    """Cell texts of every table row of a .docx, read from its XML."""
    import zipfile

    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    return [
        ["".join(t.text or "" for t in tc.iter(f"{w}t")) for tc in tr.iter(f"{w}tc")]
        for tr in root.iter(f"{w}tr")
    ]


def test_render_all_writes_the_full_set(run_cli: Callable[..., Any], result_file: Path) -> None:
    r = run_cli("render", "all", "--from", result_file, "--number", "12", "--signer", "Trần Văn Giám")
    assert r.exit_code == 0, r.output
    folder = result_file.parent
    assert sorted(p.name for p in folder.glob("*.docx")) == ALL_FILES
    for name in ALL_FILES:
        assert name in r.stdout.replace("\n", "").replace(" ", "") or name in r.stdout
    text = docx_text(folder / "quyet-dinh-12-2026.docx")
    assert "Số: 12/QĐ-BV" in text and "Trần Văn Giám" in text
    # Only the signatures the regulation leaves unnamed are reported (issue 12): office head,
    # secretary, tally team; the signer (and so the chair) is given by --signer. And the two
    # Căn cứ lines it does not declare (authority, Quy chế), each once.
    assert r.stderr.count("Cảnh báo") == 3 + 2
    assert r.stderr.count("documents.authority_basis") == 1 and r.stderr.count("documents.regulation_basis") == 1
    assert "documents.signer" not in r.stderr


def test_existing_outputs_are_kept_without_force(run_cli: Callable[..., Any], result_file: Path) -> None:
    assert run_cli("render", "quyet-dinh", "--from", result_file, "-n", "12").exit_code == 0
    target = result_file.parent / "quyet-dinh-12-2026.docx"
    before = target.read_bytes()
    r = run_cli("render", "all", "--from", result_file, "-n", "12")
    assert r.exit_code == 6
    # The one output rule's words (io/outputs.guard), as for every command.
    assert "đã có; chưa ghi đè" in r.stderr and "quyet-dinh-12-2026.docx" in r.stderr and "--force" in r.stderr
    assert sorted(p.name for p in result_file.parent.glob("*.docx")) == ["quyet-dinh-12-2026.docx"]
    assert target.read_bytes() == before
    r = run_cli("render", "quyet-dinh", "--from", result_file, "-n", "12", "--date", "05/01/2027", "--force")
    assert r.exit_code == 0, r.output
    assert "An Bình, ngày 05 tháng 01 năm 2027" in docx_text(target)
    assert "Cảnh báo: Ngày ký văn bản (05/01/2027) khác ngày quyết định" in r.stderr


def test_number_for_another_kind_and_output_folder(run_cli: Callable[..., Any], result_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "van-ban"
    out.mkdir()
    r = run_cli("render", "to-trinh", "--from", result_file, "-o", out, "--number", "to-trinh=7", "--number", "to-trinh-cap-tren=8")
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == ["to-trinh-07-2026.docx", "to-trinh-cap-tren-08-2026.docx"]
    assert "Số: 07/TTr-TCCB" in docx_text(out / "to-trinh-07-2026.docx")
    assert "Số: 08/TTr-BV" in docx_text(out / "to-trinh-cap-tren-08-2026.docx")


def test_output_folder_is_created_when_missing(run_cli: Callable[..., Any], result_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "van-ban" / "nam-2026"
    r = run_cli("render", "quyet-dinh", "--from", result_file, "-o", out, "-n", "12")
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == ["quyet-dinh-12-2026.docx"]
    assert "Số: 12/QĐ-BV" in docx_text(out / "quyet-dinh-12-2026.docx")


def test_output_folder_that_is_a_file_exits_2(run_cli: Callable[..., Any], result_file: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "van-ban"
    blocker.write_text("not a folder", encoding="utf-8")
    r = run_cli("render", "quyet-dinh", "--from", result_file, "-o", blocker, "-n", "12")
    assert r.exit_code == 2, r.output
    assert f"Không tạo được thư mục đầu ra {blocker}" in r.stderr
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_pdf_refused_leaves_no_new_output_folder(run_cli: Callable[..., Any], result_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "van-ban"
    r = run_cli("render", "quyet-dinh", "--from", result_file, "-o", out, "--pdf",
                env={"THIDUA_SOFFICE": "/khong/co/soffice"})
    assert r.exit_code == 5
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["render", "nope"], 'Không có loại văn bản "nope"'),
        (["render", "all", "--number", "abc"], "--number abc: số văn bản phải là số nguyên dương"),
        (["render", "all", "--number", "quyetdinh=3"], 'không có loại văn bản "quyetdinh"'),
        (["render", "all", "--date", "31/02/2026"], "--date 31/02/2026: không phải ngày hợp lệ"),
    ],
)
def test_usage_errors_exit_2(run_cli: Callable[..., Any], result_file: Path, args: list[str], message: str) -> None:
    r = run_cli(*args, "--from", result_file)
    assert r.exit_code == 2, r.output
    assert message in r.stderr
    assert not list(result_file.parent.glob("*.docx"))


def test_unreadable_result_exits_4(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    r = run_cli("render", "all", "--from", tmp_path / "khong-co.json")
    assert r.exit_code == 4 and "Không tìm thấy tệp kết quả xét danh hiệu" in r.stderr
    (tmp_path / "diem.json").write_text(json.dumps({"schema": "thidua.score/1"}), encoding="utf-8")
    r = run_cli("render", "all", "--from", tmp_path / "diem.json")
    assert r.exit_code == 4 and 'schema là \'thidua.score/1\', cần "thidua.awards/2" hoặc "thidua.awards/1"' in r.stderr


def test_nothing_approved_exits_1(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    for a in data["awards"]:
        a["status"] = "rejected"
    path = tmp_path / "x.de-xuat.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    r = run_cli("render", "quyet-dinh", "--from", path)
    assert r.exit_code == 1
    assert "Không in được quyet-dinh: không có danh hiệu, hình thức khen thưởng nào được Hội đồng thông qua." in r.stderr
    # "all" still writes the minutes and ballots of the votes that took place.
    r = run_cli("render", "all", "--from", path)
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in tmp_path.glob("*.docx")) == ["bien-ban-2026.docx", "kiem-phieu-2026.docx", "phieu-bau-2026.docx"]


def test_template_error_exits_5(run_cli: Callable[..., Any], result_file: Path, tmp_path: Path) -> None:
    folder = tmp_path / "mau"
    folder.mkdir()
    (folder / "quyet-dinh.md").write_text("{{ ''.__class__.__mro__ }}\n", encoding="utf-8")
    r = run_cli("render", "quyet-dinh", "--from", result_file, "--templates", folder)
    assert r.exit_code == 5
    assert "quyet-dinh.md, dòng 1: mẫu cố truy cập phần bên trong của chương trình" in r.stderr
    assert not list(result_file.parent.glob("quyet-dinh*"))
    r = run_cli("render", "quyet-dinh", "--from", result_file, "--templates", tmp_path / "khong-co")
    assert r.exit_code == 5 and "Không tìm thấy thư mục mẫu văn bản" in r.stderr


def test_pdf_without_libreoffice_exits_5_and_writes_nothing(run_cli: Callable[..., Any], result_file: Path) -> None:
    r = run_cli("render", "quyet-dinh", "--from", result_file, "--pdf", env={"THIDUA_SOFFICE": "/khong/co/soffice"})
    assert r.exit_code == 5
    assert "Không tìm thấy LibreOffice (soffice) để chuyển sang PDF; chưa ghi tệp nào." in r.stderr
    assert not list(result_file.parent.glob("*.docx"))


def test_render_from_the_proposal_workbook_and_a_regulation(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    import openpyxl

    text = SAMPLE.read_text(encoding="utf-8")
    wb = openpyxl.Workbook()
    ws = wb.create_sheet("_thidua_json")
    ws.sheet_state = "hidden"
    for i in range(0, len(text), 32_000):
        ws.append([text[i : i + 32_000]])
    book = tmp_path / "nam-2026.de-xuat.xlsx"
    wb.save(book)
    rules = tmp_path / "quy-che.toml"
    rules.write_text(
        '[documents]\nsigner = "Phạm Văn Ký"\nrecipients = ["Như Điều 3", "Đảng ủy Bệnh viện"]\n'
        'council_members = [{ name = "Phạm Văn Ký", role = "Giám đốc – Chủ tịch" }, { name = "Lê Vắng" }]\n',
        encoding="utf-8",
    )
    r = run_cli("render", "all", "--from", book, "--rules", rules, "-n", "12", "--absent", "Lê Vắng")
    assert r.exit_code == 0, r.output
    qd = docx_text(tmp_path / "quyet-dinh-12-2026.docx")
    assert "Phạm Văn Ký" in qd and "- Đảng ủy Bệnh viện;" in qd
    bb = docx_text(tmp_path / "bien-ban-2026.docx")
    assert "Thành phần: Hội đồng có 9 thành viên; có mặt 1 thành viên, vắng mặt 1 thành viên." in bb
    assert "- Lê Vắng (lý do: …);" in bb  # no reason given: a blank to fill in
    assert "Cảnh báo: Quy chế liệt kê 2 thành viên Hội đồng" in r.stderr
    bad = tmp_path / "sai.toml"
    bad.write_text('[documents]\nsigne = "A"\n', encoding="utf-8")
    r = run_cli("render", "all", "--from", book, "--rules", bad)
    assert r.exit_code == 3 and "Có phải ý bạn là `documents.signer`?" in r.stderr


def test_regulation_templates_folder_is_relative_to_the_regulation(run_cli: Callable[..., Any], result_file: Path, tmp_path: Path) -> None:
    conf = tmp_path / "cau-hinh"
    (conf / "mau").mkdir(parents=True)
    (conf / "mau" / "quyet-dinh.md").write_text("QĐ {{ decision.number_text }}\n", encoding="utf-8")
    (conf / "quy-che.toml").write_text('[documents]\ntemplates = "mau"\n', encoding="utf-8")
    r = run_cli("render", "quyet-dinh", "--from", result_file, "--rules", conf / "quy-che.toml", "-n", "4")
    assert r.exit_code == 0, r.output
    assert (result_file.parent / "quyet-dinh-04-2026.md").read_text(encoding="utf-8") == "QĐ 04/QĐ-BV\n"


def test_templates_export_into_a_folder_that_cannot_be_made_exits_2(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    # Like render -o and every other output: a folder problem is exit 2, not a template error.
    blocker = tmp_path / "mau"
    blocker.write_text("not a folder", encoding="utf-8")
    r = run_cli("templates", "export", blocker / "con")
    assert r.exit_code == 2, r.output
    assert f"Không tạo được thư mục đầu ra {blocker / 'con'}" in r.stderr


def test_templates_export_check_and_list(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    folder = tmp_path / "mau"
    r = run_cli("templates", "export", folder)
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [n.replace("-2026", "").replace("-12", "") for n in ALL_FILES]
        + ["thong-bao-cong-khai.docx", "bien-ban-y-kien.docx", "bang-thanh-toan.docx",
           "bien-ban-khoi.docx", "to-trinh-khoi.docx",
           "bao-cao-dien-hinh.docx"])  # thidua publish's and the models report (issue 17)
    for name in ("thong-bao-cong-khai.docx", "bien-ban-y-kien.docx"):
        r = run_cli("templates", "check", folder / name)
        assert r.exit_code == 0 and f"mẫu dùng được (loại {name[:-5]}" in r.stdout, r.output
    assert run_cli("templates", "export", folder).exit_code == 6
    r = run_cli("templates", "check", folder / "to-trinh-khoi.docx")
    assert r.exit_code == 0 and "mẫu dùng được (loại to-trinh-khoi" in r.stdout
    r = run_cli("templates", "check", folder / "bao-cao-dien-hinh.docx")
    assert r.exit_code == 0 and "mẫu dùng được (loại bao-cao-dien-hinh" in r.stdout, r.output
    r = run_cli("templates", "check", folder / "quyet-dinh.docx")
    assert r.exit_code == 0 and "mẫu dùng được (loại quyet-dinh" in r.stdout
    (folder / "giay-khen.md").write_text("{{ c.nmae }}\n{% for c in certificates %}{{ c.adressee }}{% endfor %}\n", encoding="utf-8")
    r = run_cli("templates", "check", folder / "giay-khen.md")
    assert r.exit_code == 5
    assert 'biến "c.adressee" không có trong dữ liệu văn bản' in r.stdout and 'đổi thành "c.addressee"' in r.stdout
    assert 'biến "c" không có' in r.stdout  # used outside the loop
    assert "2 lỗi, 0 cảnh báo." in r.stderr
    (folder / "giay-khen.docx").unlink()  # a .docx comes before a .md of the same kind
    (folder / "quyet-dinh.docx").unlink()
    r = run_cli("templates", "list", "--templates", folder)
    assert r.exit_code == 0
    lines = {line.split("│")[1].strip(): line for line in r.stdout.splitlines() if line.count("│") == 5}
    assert "giay-khen.md" in lines["giay-khen"] and "riêng" in lines["giay-khen"]
    assert "quyet-dinh.docx" in lines["quyet-dinh"] and "mặc định" in lines["quyet-dinh"]
    assert "riêng" in lines["bien-ban"]


@pytest.mark.slow  # ≈ 8 s: a year of 900 people through thidua awards, then every document
def test_the_example_hospital_end_to_end(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    """The shipped example year: thidua awards with the council's votes, then thidua render all on
    its result: the full set, every approved hospital-level award listed once (rejected and
    pending ones left out), one certificate each, Điều 1 and the total counting the list."""
    import re
    import zipfile

    root = Path(__file__).resolve().parents[2] / "examples"
    (tmp_path / "nam-2026").mkdir()
    for q in range(1, 5):
        shutil.copy(root / "nam-2026" / f"quy-{q}-2026.xlsx", tmp_path / "nam-2026")
    shutil.copy(root / "thidua.db", tmp_path / "thidua.db")
    r = run_cli("awards", *sorted((tmp_path / "nam-2026").glob("quy-*.xlsx")), "--ledger", tmp_path / "thidua.db",
                "--votes", root / "phieu-bau-2026.xlsx", "--decision-date", "2026-12-20")
    assert r.exit_code == 0, r.output
    (result_path,) = (tmp_path / "nam-2026").glob("*.de-xuat.json")
    data = json.loads(result_path.read_text(encoding="utf-8"))
    assert data["council"]["votes_given"] is True
    r = run_cli("render", "all", "--from", result_path, "-n", "12", "--signer", "Trần Văn Giám")
    assert r.exit_code == 0, r.output
    folder = result_path.parent
    assert sorted(p.name for p in folder.glob("*.docx")) == ALL_FILES  # the full set
    awards = awards_rows(data)
    decided = [a for a in awards if a["status"] == "approved" and a["level"] == "hospital"]
    left_out = [a for a in awards if a["status"] in ("rejected", "pending_council")]
    assert decided and left_out
    # A 900-row list: read the XML directly (python-docx's table API is slow on long tables).
    rows = docx_rows(folder / "quyet-dinh-12-2026.docx")
    data_rows = [r for r in rows if len(r) == 7 and r[0].isdigit()]
    assert sorted((r[1], r[3]) for r in data_rows) == sorted((a["name"], a["department"] if a["kind"] == "individual" else "") for a in decided)
    article = next(t for t in docx_text(folder / "quyet-dinh-12-2026.docx") if t.startswith("Điều 1. "))
    assert sum(int(n) for n in re.findall(r"(\d+) (?:cá nhân|tập thể)", article)) == len(decided)
    total = sum(a["amount"] for a in decided if a["paid"])
    # TỔNG CỘNG states people and collectives apart, and the awards they hold (issue 12).
    people = {a["staff_id"] for a in decided if a["kind"] == "individual"}
    units = {a["name"] for a in decided if a["kind"] == "collective"}
    individual = sum(a["kind"] == "individual" for a in decided)
    assert rows[-1][:2] == [f"TỔNG CỘNG: {len(people)} cá nhân ({individual} lượt khen thưởng) và {len(units)} tập thể",
                            f"{total:,}".replace(",", ".")]
    assert len(people) + len(units) < len(decided)
    with zipfile.ZipFile(folder / "giay-khen-12-2026.docx") as z:  # 900 pages: count in the XML
        body = z.read("word/document.xml").decode("utf-8")
    assert body.count(">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<") == len(decided)
    assert body.count("<w:pageBreakBefore/>") == len(decided) - 1
    # The minutes: the secret-ballot proposals (CSTĐCS, CSTĐ tỉnh) one row each, every rejection
    # among them; the lists passed as a whole (LĐTT 708, …) one line each (issue 12).
    votes = [r for r in docx_rows(folder / "bien-ban-2026.docx") if len(r) == 7 and r[0].isdigit()]
    secret = [a for a in awards if a["title"] in ("CSTDCS", "CSTD_TINH")]
    assert len(votes) == len(secret) < len(awards)
    assert sum(r[6] == "Không đạt" for r in votes) == sum(a["status"] == "rejected" for a in awards)
    minutes = docx_text(folder / "bien-ban-2026.docx")
    ldtt = sum(a["title"] == "LDTT" for a in awards)
    assert any(t.startswith(f"- Danh hiệu “Lao động tiên tiến”: {ldtt} cá nhân; biểu quyết thông qua cả danh sách")
               and t.endswith("(có danh sách kèm theo).") for t in minutes)
    assert "Lỗi" not in r.stderr


def test_render_never_writes_over_its_templates(run_cli: Callable[..., Any],
                                                result_file: Path, tmp_path: Path) -> None:
    """Issue 10: an output that would land on a file of the templates folder the run reads is
    refused (exit 2) whatever --force says, and the file is left as it was."""
    folder = tmp_path / "mau"
    assert run_cli("templates", "export", folder).exit_code == 0
    clash = folder / "quyet-dinh-12-2026.docx"  # a file of the templates folder, the output's name
    clash.write_bytes((folder / "quyet-dinh.docx").read_bytes())
    before = clash.read_bytes()
    r = run_cli("render", "quyet-dinh", "--from", result_file, "-n", "12", "--templates", folder,
                "-o", folder, "--force")
    assert r.exit_code == 2, r.stderr
    assert "mẫu văn bản" in r.stderr and "kể cả với --force" in r.stderr
    assert clash.read_bytes() == before



@pytest.mark.parametrize("value", ["9,9", "9,10,8", "a,b,c"])
def test_bad_ballot_counts_exit_2(run_cli: Callable[..., Any], result_file: Path, value: str) -> None:
    r = run_cli("render", "kiem-phieu", "--from", result_file, "--ballots", value)
    assert r.exit_code == 2 and "--ballots" in r.stderr


def test_the_example_regulation_has_the_council_the_readme_names(run_cli: Any,
                                                                   tmp_path: Path) -> None:
    """issue 13: the README's `render bien-ban … --rules examples/quy-che.toml --absent "Vũ Văn
    Vắng"` stopped (exit 2) because the shipped example regulation had no council. It now has
    the example hospital's nine members (as many as phieu-bau-2026.xlsx counts): 9 − 1 absent
    = 8 present, and the minutes name the absent member, the chair and the secretary."""
    examples = Path(__file__).resolve().parents[2] / "examples"
    ledger = tmp_path / "thidua.db"
    ledger.write_bytes((examples / "thidua.db").read_bytes())
    result = tmp_path / "nam-2026.de-xuat.json"
    year = sorted((examples / "nam-2026").glob("quy-*.xlsx"))
    done = run_cli("awards", *year, "--ledger", ledger, "--votes",
                   examples / "phieu-bau-2026.xlsx", "--decision-date", "2026-12-20",
                   "-o", tmp_path / "nam-2026.de-xuat.xlsx")
    assert done.exit_code == 0, done.stderr
    out = tmp_path / "van-ban"
    done = run_cli("render", "bien-ban", "--from", result, "--rules", examples / "quy-che.toml",
                   "--meeting-date", "2026-12-15", "--absent", "Vũ Văn Vắng", "-o", out)
    assert done.exit_code == 0, done.stderr
    # 9 listed, 9 on the votes file: no documents-council-size-differs warning
    assert "thành viên Hội đồng nhưng kết quả xét danh hiệu" not in done.stderr, done.stderr
    lines = [p.text for p in Document(str(out / "bien-ban-2026.docx")).paragraphs]
    assert ("Thành phần: Hội đồng có 9 thành viên; có mặt 8 thành viên, vắng mặt 1 thành viên."
            in lines), lines
    absent = lines.index("Thành viên vắng mặt:")
    # No reason given with --absent: a blank for it (issue 12).
    assert lines[absent + 1] == "- Vũ Văn Vắng, Chủ tịch Công đoàn – Ủy viên (lý do: …);", lines[absent:]
    assert any(t.startswith("Chủ trì: Trần Văn Giám – ") for t in lines), lines
    assert any(t.startswith("Thư ký: Lê Thị Phòng – ") for t in lines), lines
    assert "- Đỗ Minh Phúc, Phó Giám đốc – Phó Chủ tịch Hội đồng;" in lines
