"""`thidua awards` and `thidua ledger` end to end: workbooks written here, the outputs read back
and compared with values worked out by hand; every exit code.

The year (four quarter files, same points every quarter), default regulation:

    Khoa Nội  BV01 Nguyễn Thị An   95, 1 initiative (quarter IV)   → HTXSNV
              BV02 Trần Văn Bình   85                              → HTTNV
              BV03 Lê Thị Cúc      85                              → HTTNV
              BV04 Phạm Văn Dũng   60                              → HTNV
              BV05 "=HYPERLINK(…)" 80 (a name that looks like a formula)
    Khoa Sản  BV06 Hoàng Thị Em    92                              → HTTNV after the cap
              BV07 Vũ Thị Giang    80                              → HTTNV
              BV08 Đỗ Văn Hùng     80, recruited 01/8/2026 (quarters III–IV): 109 working days
                                   < 132 → not rated for the year

The cap: 6 people rated HTTNV or better → floor(0.2 × 6) = 1 slot: BV01 (95) keeps HTXSNV, BV06
(92) becomes HTTNV. Titles without votes: BV01 CSTĐCS (2,340,000; its LĐTT is not paid) and a
Giấy khen on her "Thành tích" (0.3 × 2,340,000 = 702,000 → 710,000; issue 11 point 6, Luật
Điều 75: a Giấy khen rests on an achievement, not on an initiative, by default); LĐTT for BV02, BV03, BV05,
BV06, BV07 (5 × 710,000); TTLĐTT for Khoa Nội (4 of 5 rated = 80 %) and Khoa Sản (2 of 2),
2 × 1,880,000. Total 2,340,000 + 710,000 + 3,550,000 + 3,760,000 = 10,360,000 đ.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from helpers import awards_rows, write_xlsx
from thidua_cli.core.awards_result import from_json

HEADER = ["STT", "Mã NV", "Họ và tên", "Giới tính", "Ngày tuyển dụng", "Số ngày nghỉ", "Sáng kiến",
          "CS1", "CS2", "CM1", "CM2", "CM3", "TD1", "TD2", "HT1", "PT1", "Thành tích"]
ACHIEVEMENT = {("BV01", 4): "Cứu sống bệnh nhân ngừng tim tại khoa"}
MAXIMA = [10, 10, 15, 15, 10, 10, 10, 10, 10]
FORMULA_NAME = '=HYPERLINK("http://x.vn","Bấm")'


def scores_for(total: float) -> list[float]:
    left, out = total, []
    for m in MAXIMA:
        take = min(m, left)
        out.append(take)
        left -= take
    assert left == 0
    return out


PEOPLE = {
    "Khoa Nội": [
        ("BV01", "Nguyễn Thị An", "Nữ", 95, date(2010, 1, 1), {4: 1}),
        ("BV02", "Trần Văn Bình", "Nam", 85, date(2012, 5, 1), {}),
        ("BV03", "Lê Thị Cúc", "Nữ", 85, date(2015, 3, 1), {}),
        ("BV04", "Phạm Văn Dũng", "Nam", 60, date(2016, 1, 1), {}),
        ("BV05", FORMULA_NAME, "Nam", 80, date(2018, 1, 1), {}),
    ],
    "Khoa Sản": [
        ("BV06", "Hoàng Thị Em", "Nữ", 92, date(2011, 1, 1), {}),
        ("BV07", "Vũ Thị Giang", "Nữ", 80, date(2019, 1, 1), {}),
        ("BV08", "Đỗ Văn Hùng", "Nam", 80, date(2026, 8, 1), {}),
    ],
}
QUARTER_END = {1: date(2026, 3, 31), 2: date(2026, 6, 30), 3: date(2026, 9, 30), 4: date(2026, 12, 31)}


def write_quarter(folder: Path, q: int, *, bad: bool = False, file_name: str | None = None,
                  title: bool = True) -> Path:
    sheets: dict[str, list[list[Any]]] = {}
    for dept, people in PEOPLE.items():
        rows: list[list[Any]] = [[f"BẢNG ĐIỂM THI ĐUA QUÝ {'I' * q if q < 4 else 'IV'} NĂM 2026"],
                                 []] if title else []
        rows.append(HEADER)
        for i, (sid, name, gender, total, recruited, initiatives) in enumerate(people, start=1):
            if recruited > QUARTER_END[q]:
                continue
            scores = scores_for(total)
            if bad and sid == "BV02":
                scores[0] = 12  # above the maximum of 10
            rows.append([i, sid, name, gender, recruited, None, initiatives.get(q), *scores,
                         ACHIEVEMENT.get((sid, q))])
        sheets[dept] = rows
    return write_xlsx(folder, sheets, name=file_name or f"quy-{q}-2026.xlsx")


@pytest.fixture(scope="module")
def year_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("nam")
    for q in (1, 2, 3, 4):
        write_quarter(folder, q)
    return folder


def quarters(folder: Path) -> list[Path]:
    return [folder / f"quy-{q}-2026.xlsx" for q in (1, 2, 3, 4)]


def fresh(tmp_path: Path, year_dir: Path) -> list[Path]:
    """The quarter files copied into ``tmp_path`` (each test writes its own outputs)."""
    out = []
    for p in quarters(year_dir):
        target = tmp_path / p.name
        target.write_bytes(p.read_bytes())
        out.append(target)
    return out


def votes_file(folder: Path, rows: list[list[Any]], members: int | None = 9) -> Path:
    top: list[list[Any]] = [["KẾT QUẢ KIỂM PHIẾU"]]
    if members is not None:
        top.append([f"Tổng số thành viên Hội đồng: {members}"])
    top += [[], ["STT", "Mã NV", "Họ và tên", "Khoa/Phòng", "Danh hiệu", "Số phiếu đồng ý"]]
    return write_xlsx(folder, {"Kiểm phiếu": top + rows}, name="phieu-bau.xlsx")


# --------------------------------------------------------------------------------------------
# thidua awards
# --------------------------------------------------------------------------------------------


def test_awards_writes_the_workbook_and_json(run_cli: Any, tmp_path: Path, year_dir: Path) -> None:
    files = fresh(tmp_path, year_dir)
    result = run_cli("awards", *files, "--ledger", tmp_path / "none.db", "--decision-date",
                     "2026-12-20")
    assert result.exit_code == 0, result.output
    assert "Tổng tiền thưởng: 10.360.000 đồng" in result.stdout
    assert "Bằng chữ: Mười triệu ba trăm sáu mươi nghìn đồng" in result.stdout
    assert "Chưa có phiếu bầu của Hội đồng" in result.stdout
    assert "history-missing" in result.stderr  # no ledger: multi-year awards cannot be judged

    xlsx = tmp_path / "nam-2026.de-xuat.xlsx"
    data = json.loads((tmp_path / "nam-2026.de-xuat.json").read_text(encoding="utf-8"))
    assert data["schema"] == "thidua.awards/2"
    assert (data["year"], data["decision_date"], data["base_salary"]) == (2026, "2026-12-20", 2_340_000)
    assert data["ruleset"]["code"] == "2025-07"
    assert data["money"]["total"] == 10_360_000
    ratings = {r["staff_id"]: r["rating"] for r in data["ratings"]}
    assert ratings == {"BV01": "HTXSNV", "BV02": "HTTNV", "BV03": "HTTNV", "BV04": "HTNV",
                       "BV05": "HTTNV", "BV06": "HTTNV", "BV07": "HTTNV", "BV08": "NOT_RATED"}
    by = {(a["title"], a["staff_id"] or a["name"]): a for a in awards_rows(data)}
    assert (by[("CSTDCS", "BV01")]["amount"], by[("CSTDCS", "BV01")]["paid"]) == (2_340_000, True)
    assert by[("LDTT", "BV01")]["paid"] is False
    # Issue 11 point 6: the Giấy khen rests on the "Thành tích" column; the initiative is kept
    # (BV01 is CSTĐCS by HTXSNV, a year of a multi-year streak).
    assert by[("GIAY_KHEN", "BV01")]["initiatives_used"] == []
    assert by[("TTLDTT", "Khoa Sản")]["amount"] == 1_880_000
    assert by[("TTLDXS", "Khoa Nội")]["level"] == "higher"
    # Department ranking by mean year score: Khoa Sản (92 + 80) / 2 = 86 (BV08 not rated, left
    # out), Khoa Nội (95 + 85 + 85 + 60 + 80) / 5 = 81.
    assert [(d["name"], d["rank"], d["mean_total"]) for d in data["departments"]] == [
        ("Khoa Nội", 2, 81.0), ("Khoa Sản", 1, 86.0)]
    # thidua.awards/2: reasons are codes with parameters, rendered by the one catalogue.
    bv08 = next(c for c in data["candidates"] if c.get("staff_id") == "BV08")
    assert "name" not in bv08  # the name is in "ratings", not repeated here
    ldtt_raw = next(t for t in bv08["titles"] if t[0] == "LDTT")
    assert ldtt_raw[1] == "not_eligible"
    assert not any("Chưa đủ" in str(x) for c in ldtt_raw[2] for x in c)  # no stored text
    why_not = next(c for c in from_json(data).candidates
                   if c.title == "LDTT" and c.staff_id == "BV08")
    assert (why_not.eligible, why_not.name, why_not.department) == (False, "Đỗ Văn Hùng",
                                                                    "Khoa Sản")
    assert any("Chưa đủ 6 tháng kể từ ngày tuyển dụng" in u for u in why_not.unmet)

    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == ["CSTĐCS", "LĐTT", "Giấy khen", "TTLĐTT", "TTLĐXS", "Lý do",
                             "Khoa phòng", "Tiền thưởng", "Nhật ký", "_thidua_json"]
    assert wb["_thidua_json"].sheet_state == "hidden"
    hidden = "".join(str(r[0].value) for r in wb["_thidua_json"].iter_rows())
    assert json.loads(hidden) == data
    ldtt = wb["LĐTT"]
    names = [ldtt.cell(r, 3).value for r in range(2, ldtt.max_row + 1)]
    assert FORMULA_NAME in names
    cell = next(ldtt.cell(r, 3) for r in range(2, ldtt.max_row + 1)
                if ldtt.cell(r, 3).value == FORMULA_NAME)
    assert cell.data_type == "s"  # text, never a live formula
    money = wb["Tiền thưởng"]
    totals = [row for row in money.iter_rows(values_only=True) if row[0] == "Tổng cộng"]
    assert totals[0][6] == 10_360_000
    reasons = wb["Lý do"]
    # 8 people × 6 individual titles + 2 departments × 3 collective titles.
    assert reasons.max_row - 1 == 8 * 6 + 2 * 3
    log = {r[0].value: r[1].value for r in wb["Nhật ký"].iter_rows() if r[0].value}
    assert log["Ngày quyết định"] == "2026-12-20"
    assert "2025-07" in log["Bộ quy tắc"]


def test_json_output_and_output_exists(run_cli: Any, tmp_path: Path, year_dir: Path) -> None:
    files = fresh(tmp_path, year_dir)
    result = run_cli("awards", *files, "--ledger", tmp_path / "x.db", "--json", "--no-output")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # No --decision-date: the year's end is used, and said so.
    assert data["decision_date"] == "2026-12-31" and data["decision_date_assumed"] is True
    assert any(w["code"] == "decision-date-assumed" for w in data["warnings"])
    assert not (tmp_path / "nam-2026.de-xuat.xlsx").exists()
    first = run_cli("awards", *files, "--ledger", tmp_path / "x.db")
    assert first.exit_code == 0, first.output
    again = run_cli("awards", *files, "--ledger", tmp_path / "x.db")
    assert again.exit_code == 6
    assert "đã có; chưa ghi đè" in again.stderr and "--force" in again.stderr
    assert run_cli("awards", *files, "--ledger", tmp_path / "x.db", "--force").exit_code == 0


def test_votes_decide_and_cascade(run_cli: Any, tmp_path: Path, year_dir: Path) -> None:
    files = fresh(tmp_path, year_dir)
    votes = votes_file(tmp_path, [
        [1, "BV01", "Nguyễn Thị An", "Khoa Nội", "Chiến sĩ thi đua cơ sở", 8],
        [2, "tất cả", None, None, "Lao động tiên tiến", 9],
        [3, "BV02", "Trần Văn Bình", "Khoa Nội", "LĐTT", 4],
        [4, "*", None, None, "Giấy khen", 9],
        [5, None, None, "tất cả", "Tập thể lao động tiên tiến", 9],
        [6, None, None, "Khoa Nội", "Tập thể lao động xuất sắc", 5],
    ])
    result = run_cli("awards", *files, "--votes", votes, "--ledger", tmp_path / "x.db",
                     "--decision-date", "2026-12-20", "--json", "--no-output")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    by = {(a["title"], a["staff_id"] or a["name"]): a for a in awards_rows(data)}
    assert by[("CSTDCS", "BV01")]["status"] == "approved"
    assert by[("CSTDCS", "BV01")]["vote_share"] == 0.8889  # 8 of 9 ≥ 80 %
    assert by[("LDTT", "BV02")]["status"] == "rejected"  # 4 of 9: not more than half
    # Khoa Nội now has 3 LĐTT of 5 rated = 60 % < 70 %: no collective title.
    noi = next(c for c in from_json(data).candidates
               if c.title == "TTLDTT" and c.name == "Khoa Nội")
    assert noi.eligible is False
    assert any("Chỉ 3/5 thành viên đạt Lao động tiên tiến = 60%" in u for u in noi.unmet)
    # 2,340,000 + 710,000 (Giấy khen) + 4 × 710,000 + 1,880,000 (Khoa Sản) = 7,770,000
    assert data["money"]["total"] == 7_770_000
    assert data["council"] == {"members": 9, "thresholds": data["council"]["thresholds"],
                               "votes_given": True}


def test_bad_votes_file(run_cli: Any, tmp_path: Path, year_dir: Path) -> None:
    files = fresh(tmp_path, year_dir)
    votes = votes_file(tmp_path, [[1, "BV01", "A", "Khoa Nội", "Chiến sĩ thi đua", 12],
                                  [2, "BV01", "A", "Khoa Nội", "CSTĐCS", 12]])
    result = run_cli("awards", *files, "--votes", votes, "--ledger", tmp_path / "x.db")
    assert result.exit_code == 1
    assert "vote-unknown-title" in result.stderr and "vote-invalid-count" in result.stderr
    no_size = votes_file(tmp_path, [[1, "BV01", "A", "Khoa Nội", "CSTĐCS", 8]], members=None)
    result = run_cli("awards", *files, "--votes", no_size, "--ledger", tmp_path / "x.db")
    assert result.exit_code == 2 and "--council-size" in result.stderr
    result = run_cli("awards", *files, "--votes", no_size, "--council-size", "9", "--ledger",
                     tmp_path / "x.db", "--no-output")
    assert result.exit_code == 0, result.output


def test_what_if_compare(run_cli: Any, tmp_path: Path, year_dir: Path) -> None:
    files = fresh(tmp_path, year_dir)
    # The old 10-month rule costs nobody here; a 40 % cap keeps BV06 at HTXSNV (2 slots of 6).
    result = run_cli("awards", *files, "--ledger", tmp_path / "x.db", "--set", "cap.rate=0.4",
                     "--compare")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "So sánh với quy chế hiện hành khi đổi: cap.rate=0.4" in out
    assert "BV06" in out and "HTTNV" in out and "HTXSNV" in out
    assert not (tmp_path / "nam-2026.de-xuat.xlsx").exists()  # --compare writes nothing
    result = run_cli("awards", *files, "--ledger", tmp_path / "x.db", "--set", "cap.rate=0.4",
                     "--compare", "--json")
    changes = json.loads(result.stdout)["changes"]
    assert {"who": "BV06", "title": "CSTDCS", "before": "", "after": "proposed"}.items() <= next(
        c for c in changes if c["who"] == "BV06" and c["title"] == "CSTDCS").items()


@pytest.mark.parametrize(
    ("args", "code", "text"),
    [
        (["--compare"], 2, "--compare cần ít nhất một --set"),
        (["--set", "cap.rat=0.3"], 2, "Có phải ý bạn là `cap.rate`"),
        (["--set", "cap.rate=3"], 3, "cap.rate"),
        (["--decision-date", "31/02/2026"], 2, "không phải ngày hợp lệ"),
        (["--decision-date", "2023-12-31"], 2, "trước 01/01/2024"),
    ],
)
def test_usage_and_regulation_errors(run_cli: Any, tmp_path: Path, year_dir: Path, args: list[str],
                                     code: int, text: str) -> None:
    result = run_cli("awards", *quarters(year_dir), "--ledger", tmp_path / "x.db", "--no-output",
                     *args)
    assert result.exit_code == code, result.output
    assert text in result.stderr


def test_invalid_data_bad_regulation_unreadable_input(run_cli: Any, tmp_path: Path,
                                                      year_dir: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    files = [write_quarter(bad, q, bad=(q == 2)) for q in (1, 2, 3, 4)]
    result = run_cli("awards", *files, "--ledger", tmp_path / "x.db")
    assert result.exit_code == 1
    assert "above-maximum" in result.stderr and "quy-2-2026.xlsx" in result.stderr
    rules = tmp_path / "quy-che.toml"
    rules.write_text("[awards.ldtt]\nmin_month = 10\n", encoding="utf-8")
    result = run_cli("awards", *quarters(year_dir), "--rules", rules, "--ledger", tmp_path / "x.db")
    assert result.exit_code == 3
    assert "awards.ldtt.min_month" in result.stderr and "awards.ldtt.min_months" in result.stderr
    junk = tmp_path / "quy-1-2026.xlsx"
    junk.write_text("không phải bảng tính", encoding="utf-8")
    result = run_cli("awards", junk, "--ledger", tmp_path / "x.db")
    assert result.exit_code == 4
    unnamed = write_quarter(tmp_path, 1, file_name="bang-diem.xlsx", title=False)
    result = run_cli("awards", unnamed, quarters(year_dir)[1], "--ledger", tmp_path / "x.db")
    assert result.exit_code == 2  # neither the name nor a title row says which quarter
    assert "bang-diem.xlsx" in result.stderr and "quy-1-2026.xlsx" in result.stderr
    not_a_ledger = tmp_path / "so.db"
    not_a_ledger.write_text("x" * 2000, encoding="utf-8")
    result = run_cli("awards", *quarters(year_dir), "--ledger", not_a_ledger, "--no-output")
    assert result.exit_code == 7 and "không phải là sổ lịch sử" in result.stderr


# --------------------------------------------------------------------------------------------
# thidua ledger
# --------------------------------------------------------------------------------------------


def history_file(folder: Path) -> Path:
    rows = [
        ["Năm", "Số quyết định", "Ngày quyết định", "Mã NV", "Họ và tên", "Khoa/Phòng", "Danh hiệu",
         "Xếp loại", "Sáng kiến"],
        [2025, "14/QĐ-BV", "19/12/2025", "BV01", "Nguyễn Thị An", "Khoa Nội", "Chiến sĩ thi đua cơ sở",
         "HTXSNV", 2],
        [2025, "14/QĐ-BV", "19/12/2025", "BV02", "Trần Văn Bình", "Khoa Nội", "Lao động tiên tiến",
         "HTTNV", None],
        [2024, None, None, "BV01", "Nguyễn Thị An", "Khoa Nội", None, "HTTNV", None],
    ]
    return write_xlsx(folder, {"Lịch sử": rows}, name="lich-su.xlsx")


def test_ledger_import_awards_record_show_export(run_cli: Any, tmp_path: Path,
                                                 year_dir: Path) -> None:
    db = tmp_path / "thidua.db"
    imported = run_cli("ledger", "import", history_file(tmp_path), "--ledger", db)
    assert imported.exit_code == 0, imported.output
    assert "1 quyết định, 2 khen thưởng, 3 xếp loại năm" in " ".join(imported.stdout.split())

    files = fresh(tmp_path, year_dir)
    # With the history, BV01 has CSTĐCS 2025 and 2026 and two unused initiatives of 2025:
    # a candidate for the Bằng khen (proposed upward); her 2026 initiative still pays a Giấy khen.
    votes = votes_file(tmp_path, [
        [1, "BV01", "Nguyễn Thị An", "Khoa Nội", "CSTĐCS", 9],
        [2, "BV01", "Nguyễn Thị An", "Khoa Nội", "Bằng khen của Chủ tịch UBND tỉnh", 9],
        [3, "tất cả", None, None, "Lao động tiên tiến", 9],
        [4, "tất cả", None, None, "Giấy khen", 9],
        [5, None, None, "tất cả", "TTLĐTT", 9],
        [6, None, None, "tất cả", "TTLĐXS", 9],
    ])
    run = run_cli("awards", *files, "--ledger", db, "--votes", votes, "--decision-date",
                  "2026-12-20")
    assert run.exit_code == 0, run.output
    data = json.loads((tmp_path / "nam-2026.de-xuat.json").read_text(encoding="utf-8"))
    bk = next(a for a in awards_rows(data) if a["title"] == "BANG_KHEN_TINH" and a["staff_id"] == "BV01")
    assert (bk["status"], bk["level"], bk["paid"]) == ("approved", "higher", False)
    assert bk["initiatives_used"] == [{"year": 2025, "count": 2}]

    result_file = tmp_path / "nam-2026.de-xuat.xlsx"
    record = run_cli("ledger", "record", result_file, "--decision", "12/QĐ-BV", "--date",
                     "2026-12-20", "--ledger", db)
    assert record.exit_code == 0, record.output
    assert "Đã ghi quyết định 12/QĐ-BV ngày 20/12/2026 (năm 2026)" in " ".join(record.stdout.split())
    assert "đề nghị khen thưởng cấp trên không ghi" in record.stderr
    twice = run_cli("ledger", "record", result_file, "--decision", "Số: 12/qđ-bv", "--date",
                    "2026-12-21", "--ledger", db)
    assert twice.exit_code == 7 and "đã có quyết định" in twice.stderr

    show = run_cli("ledger", "show", "BV01", "--ledger", db)
    assert show.exit_code == 0, show.output
    assert "Nguyễn Thị An (BV01)" in show.stdout
    assert "12/QĐ-BV ngày 20/12/2026" in show.stdout and "14/QĐ-BV ngày 19/12/2025" in show.stdout
    # Three 2026 titles of one decision: the decision is named once (issue 13).
    assert show.stdout.count("12/QĐ-BV ngày 20/12/2026") == 1
    as_json = json.loads(run_cli("ledger", "show", "BV01", "--ledger", db, "--json").stdout)
    assert [(a["year"], a["title"]) for a in as_json["awards"]] == [
        (2025, "CSTDCS"), (2026, "LDTT"), (2026, "CSTDCS"), (2026, "GIAY_KHEN")]
    assert {r["year"]: r["rating"] for r in as_json["ratings"]} == {2024: "HTTNV", 2025: "HTXSNV",
                                                                    2026: "HTXSNV"}
    # The initiatives the 2026 awards rested on are now marked used. Issue 11 point 6: the Giấy
    # khen rests on BV01's "Thành tích", so her 2026 initiative stays unused (Luật Điều 75).
    assert {r["year"]: r["used"] for r in as_json["ratings"]} == {2024: 0, 2025: 0, 2026: 0}
    missing = run_cli("ledger", "show", "BV001", "--ledger", db)
    # issue 13: not a usage error; the ledger has no such person (exit 1, like grep).
    assert missing.exit_code == 1 and "Có phải \"BV01\"" in missing.stderr

    export = run_cli("ledger", "export", "--ledger", db, "-o", tmp_path / "so.xlsx")
    assert export.exit_code == 0, export.output
    wb = openpyxl.load_workbook(tmp_path / "so.xlsx")
    assert wb.sheetnames == ["Khen thưởng", "Xếp loại", "Quyết định"]
    decisions = [r[0] for r in wb["Quyết định"].iter_rows(min_row=2, values_only=True)]
    assert decisions == ["14/QĐ-BV", "12/QĐ-BV"]
    assert run_cli("ledger", "export", "--ledger", db, "-o", tmp_path / "so.xlsx").exit_code == 6


def test_ledger_record_without_votes_needs_proposed(run_cli: Any, tmp_path: Path,
                                                    year_dir: Path) -> None:
    files = fresh(tmp_path, year_dir)
    db = tmp_path / "t.db"
    assert run_cli("awards", *files, "--ledger", db, "--decision-date", "2026-12-20").exit_code == 0
    result_json = tmp_path / "nam-2026.de-xuat.json"
    refused = run_cli("ledger", "record", result_json, "--decision", "3/QĐ-BV", "--date",
                      "2026-12-20", "--ledger", db)
    assert refused.exit_code == 7 and "chưa có phiếu bầu" in refused.stderr
    assert not db.exists()
    ok = run_cli("ledger", "record", result_json, "--decision", "3/QĐ-BV", "--date", "2026-12-20",
                 "--ledger", db, "--proposed")
    assert ok.exit_code == 0, ok.output
    # Hospital-level proposals: 6 LĐTT (BV01's too: awarded, only not paid), 1 CSTĐCS, 1 Giấy
    # khen, 2 TTLĐTT; the TTLĐXS is decided upward and not recorded.
    assert "10 khen thưởng" in " ".join(ok.stdout.split())
    bad_import = write_xlsx(tmp_path, {"S": [["Năm", "Mã NV", "Họ và tên", "Danh hiệu"],
                                             [2025, "BV01", "A", "Huân chương"]]}, name="x.xlsx")
    failed = run_cli("ledger", "import", bad_import, "--ledger", db)
    assert failed.exit_code == 1
    assert "ledger-unknown-title" in failed.stderr and "ledger-missing-decision" in failed.stderr
    assert run_cli("ledger", "show", "BV01", "--ledger", tmp_path / "none.db").exit_code == 7


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_what_if_on_a_regulation_saved_by_notepad(run_cli: Any, tmp_path: Path, year_dir: Path,
                                                  encoding: str) -> None:
    # Notepad saves "UTF-8 with BOM" or "Unicode" (UTF-16); the plain run reads such a file, so
    # --set over it must too (it used to crash on the BOM).
    rules = tmp_path / "quy-che.toml"
    rules.write_text("[cap]\nrate = 0.2\n", encoding=encoding)
    result = run_cli("awards", *fresh(tmp_path, year_dir), "--rules", rules, "--ledger",
                     tmp_path / "x.db", "--set", "cap.rate=0.4", "--compare", "--json")
    assert result.exit_code == 0, result.output
    changes = json.loads(result.stdout)["changes"]
    assert any(c["who"] == "BV06" and c["title"] == "RATING" and c["after"] == "HTXSNV"
               for c in changes)


def test_a_blank_vote_count_is_an_error_not_zero_votes(run_cli: Any, tmp_path: Path,
                                                       year_dir: Path) -> None:
    # A tally row whose count was not filled in must not silently reject the candidate.
    files = fresh(tmp_path, year_dir)
    votes = votes_file(tmp_path, [[1, "BV01", "Nguyễn Thị An", "Khoa Nội", "CSTĐCS", None]])
    result = run_cli("awards", *files, "--votes", votes, "--ledger", tmp_path / "x.db",
                     "--no-output")
    assert result.exit_code == 1, result.output
    assert "vote-invalid-count" in result.stderr
    assert 'Số phiếu đồng ý "" không hợp lệ' in result.stderr


def test_rerunning_a_recorded_year_gives_the_same_awards(run_cli: Any, tmp_path: Path,
                                                         year_dir: Path) -> None:
    # BV01's Giấy khen rests on the initiative of 2026. Once the decision is in the ledger, a
    # rerun for 2026 must not count that use against the award itself (it dropped the Giấy khen).
    # Issue 11 point 6: a Giấy khen spends an initiative only where the regulation allows it and
    # no multi-year streak needs it (higher awards off here).
    files = fresh(tmp_path, year_dir)
    db = tmp_path / "thidua.db"
    rules = tmp_path / "quy-che.toml"
    rules.write_text('[awards.giay_khen]\nachievements = ["initiative"]\n'
                     '[awards.higher]\nenabled = false\n', encoding="utf-8")
    first = run_cli("awards", *files, "--ledger", db, "--decision-date", "2026-12-20", "--json",
                    "--rules", rules)
    assert first.exit_code == 0, first.output
    before = json.loads(first.stdout)
    gk = [a for a in awards_rows(before) if a["title"] == "GIAY_KHEN"]
    assert [(a["staff_id"], a["initiatives_used"]) for a in gk] == [
        ("BV01", [{"year": 2026, "count": 1}])]
    result = run_cli("ledger", "record", tmp_path / "nam-2026.de-xuat.json", "--decision",
                     "12/QĐ-BV", "--date", "2026-12-20", "--ledger", db, "--proposed")
    assert result.exit_code == 0, result.output
    again = run_cli("awards", *files, "--ledger", db, "--decision-date", "2026-12-20", "--json",
                    "--no-output", "--rules", rules)
    assert again.exit_code == 0, again.output
    after = json.loads(again.stdout)

    def decided(data: dict[str, Any]) -> list[tuple[Any, ...]]:
        return [(a["staff_id"] or a["name"], a["title"], a["status"], a["amount"], a["paid"])
                for a in awards_rows(data)]

    assert decided(after) == decided(before)
    assert after["money"]["total"] == before["money"]["total"] == 10_360_000


def test_money_sheet_states_the_rounding_in_use(run_cli: Any, tmp_path: Path,
                                                 year_dir: Path) -> None:
    rules = tmp_path / "quy-che.toml"
    rules.write_text("[money]\nrounding_step = 1000\n", encoding="utf-8")
    result = run_cli("awards", *fresh(tmp_path, year_dir), "--rules", rules, "--ledger",
                     tmp_path / "x.db", "--decision-date", "2026-12-20")
    assert result.exit_code == 0, result.output
    money = openpyxl.load_workbook(tmp_path / "nam-2026.de-xuat.xlsx")["Tiền thưởng"]
    rows = list(money.iter_rows(values_only=True))
    assert rows[2][:2] == ("Ngày quyết định", "20/12/2026")
    ldtt = next(r for r in rows if r[0] == "Lao động tiên tiến")
    assert ldtt[5] == 702_000  # 0.3 × 2,340,000, rounded up to the thousand only
    rule = next(r[0] for r in rows if r[0] and str(r[0]).startswith("Tiền thưởng = "))
    assert "làm tròn lên hàng nghìn đồng" in rule and "chục nghìn" not in rule


def test_the_app_functions_return_typed_results_and_print_nothing(
        tmp_path: Path, year_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The library layer under the commands: typed inputs in, a typed result out, no output.
    from thidua_cli.app import awards as app_awards
    from thidua_cli.app import ledger as app_ledger
    from thidua_cli.core.awards_result import AwardsOutcome
    from thidua_cli.io.awards_io import load_result

    files = fresh(tmp_path, year_dir)
    heard: list[str] = []
    run = app_awards.run(app_awards.AwardsRequest(files=files, ledger=tmp_path / "l.db",
                                                  tool_version="t"), progress=heard.append)
    assert isinstance(run.outcome, AwardsOutcome) and run.written is not None
    assert run.outcome.money.total == 10_360_000
    assert load_result(run.written[0]) == load_result(run.written[1]) == run.outcome
    done = app_ledger.record(run.written[1], number="12/QĐ-BV", signed_on=date(2026, 12, 20),
                             ledger=tmp_path / "l.db", include_proposed=True)
    assert done.year == 2026 and done.summary.decisions == 1
    history = app_ledger.person("BV01", ledger=tmp_path / "l.db")
    assert {a.record.title for a in history.awards} == {"LDTT", "CSTDCS", "GIAY_KHEN"}
    assert capsys.readouterr() == ("", "") and heard


def test_the_ledger_command_does_not_reach_into_the_awards_run() -> None:
    import ast

    import thidua_cli.cli.ledger as module

    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert "thidua_cli.app.awards" not in imported and "thidua_cli.awards_run" not in imported


def test_per_person_sheets_print_a_department_at_a_time(run_cli: Any, tmp_path: Path,
                                                         year_dir: Path) -> None:
    """Issue 12: a title's list is filed by department. Ranked hospital-wide the LĐTT list
    interleaves them (BV01 95 Nội, BV06 92 Sản, BV02 85 Nội …); printed, Khoa Nội's rows come
    first (ranked within it), then Khoa Sản's from the top of a new page."""
    files = fresh(tmp_path, year_dir)
    result = run_cli("awards", *files, "--ledger", tmp_path / "none.db", "--decision-date",
                     "2026-12-20")
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "nam-2026.de-xuat.json").read_text(encoding="utf-8"))
    ranked = [a["staff_id"] for a in data["awards"] if a["title"] == "LDTT"]
    assert ranked[:2] == ["BV01", "BV06"]  # the JSON keeps the hospital-wide ranking
    ldtt = openpyxl.load_workbook(tmp_path / "nam-2026.de-xuat.xlsx")["LĐTT"]
    rows = [(ldtt.cell(r, 2).value, ldtt.cell(r, 6).value) for r in range(2, ldtt.max_row + 1)]
    assert [sid for sid, _ in rows] == ["BV01", "BV02", "BV03", "BV05", "BV06", "BV07"]
    assert [dept for _, dept in rows] == ["Khoa Nội"] * 4 + ["Khoa Sản"] * 2
    assert [ldtt.cell(r, 1).value for r in range(2, ldtt.max_row + 1)] == [1, 2, 3, 4, 5, 6]
    # Header on row 1, Khoa Nội on rows 2–5: the one break falls after row 5.
    assert [b.id for b in ldtt.row_breaks.brk] == [5]
    # "Lý do" likewise: Khoa Nội's 5 people × 6 titles and its 3 collective titles on rows
    # 2–34, then Khoa Sản's 3 × 6 + 3 on rows 35–55.
    reasons = openpyxl.load_workbook(tmp_path / "nam-2026.de-xuat.xlsx")["Lý do"]
    kinds = [(reasons.cell(r, 5).value, reasons.cell(r, 2).value) for r in range(2, reasons.max_row + 1)]
    assert kinds == ([("Khoa Nội", "Cá nhân")] * 30 + [("Khoa Nội", "Tập thể")] * 3
                     + [("Khoa Sản", "Cá nhân")] * 18 + [("Khoa Sản", "Tập thể")] * 3)
    assert [b.id for b in reasons.row_breaks.brk] == [34]
    # A collective sheet (a department a row) has none.
    assert list(openpyxl.load_workbook(tmp_path / "nam-2026.de-xuat.xlsx")["TTLĐTT"].row_breaks.brk) == []


def ballots_votes_file(folder: Path, lines: list[list[Any]]) -> Path:
    """A tally sheet with the ballot counts written above the table (README "Tệp phiếu bầu");
    the table starts on row 4 + len(lines)."""
    top: list[list[Any]] = [["KẾT QUẢ KIỂM PHIẾU"], ["Tổng số thành viên Hội đồng: 9"], *lines, [],
                            ["STT", "Mã NV", "Họ và tên", "Khoa/Phòng", "Danh hiệu", "Số phiếu đồng ý"],
                            [1, "BV01", "Nguyễn Thị An", "Khoa Nội", "CSTĐCS", 8]]
    return write_xlsx(folder, {"Kiểm phiếu": top}, name="phieu-bau.xlsx")


def _tally_line(path: Path) -> str:
    from docx import Document

    (line,) = [p.text for p in Document(str(path)).paragraphs if "phát ra" in p.text]
    return line


def test_ballot_counts_from_the_tally_sheet_reach_the_tally_minutes(
        run_cli: Any, tmp_path: Path, year_dir: Path) -> None:
    """Issue 12: the ballots issued, returned and valid written on the tally sheet flow through
    the awards result (council.ballots) into the Biên bản kiểm phiếu; --ballots still wins.
    Written three tolerant ways: the number in the next cell, after a colon with "phiếu", and
    "thu về" for "thu vào"; "không hợp lệ: 1" agrees with 9 − 8."""
    files = fresh(tmp_path, year_dir)
    votes = ballots_votes_file(tmp_path, [["Số phiếu phát ra:", 9], ["Số phiếu thu về: 9 phiếu"],
                                          ["Số phiếu hợp lệ: 8"], ["Số phiếu không hợp lệ: 1"]])
    result = run_cli("awards", *files, "--votes", votes, "--ledger", tmp_path / "x.db",
                     "--decision-date", "2026-12-20")
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "nam-2026.de-xuat.json").read_text(encoding="utf-8"))
    assert data["council"]["ballots"] == {"issued": 9, "returned": 9, "valid": 8}
    # The workbook's hidden JSON carries the same; render reads either.
    r = run_cli("render", "kiem-phieu", "--from", tmp_path / "nam-2026.de-xuat.xlsx")
    assert r.exit_code == 0, r.output
    assert ("Số phiếu phát ra: 9 phiếu; số phiếu thu về: 9 phiếu; số phiếu hợp lệ: 8 phiếu; "
            "số phiếu không hợp lệ: 1 phiếu.") in _tally_line(tmp_path / "kiem-phieu-2026.docx")
    # --ballots overrides the sheet: invalid = 8 − 6 = 2.
    r = run_cli("render", "kiem-phieu", "--from", tmp_path / "nam-2026.de-xuat.json",
                "--ballots", "9,8,6", "--force")
    assert r.exit_code == 0, r.output
    assert ("Số phiếu phát ra: 9 phiếu; số phiếu thu về: 8 phiếu; số phiếu hợp lệ: 6 phiếu; "
            "số phiếu không hợp lệ: 2 phiếu.") in _tally_line(tmp_path / "kiem-phieu-2026.docx")


def test_a_tally_sheet_without_ballot_counts_leaves_them_out_of_the_result(
        run_cli: Any, tmp_path: Path, year_dir: Path) -> None:
    files = fresh(tmp_path, year_dir)
    votes = ballots_votes_file(tmp_path, [])
    result = run_cli("awards", *files, "--votes", votes, "--ledger", tmp_path / "x.db", "--json",
                     "--no-output")
    assert result.exit_code == 0, result.output
    assert "ballots" not in json.loads(result.stdout)["council"]


@pytest.mark.parametrize(("lines", "cell", "detail"), [
    # Rows 3–5 hold the counts: phát ra, thu vào, hợp lệ.
    ([["Số phiếu phát ra: 9"], ["Số phiếu thu vào: 10"], ["Số phiếu hợp lệ: 8"]], "A4",
     "Số phiếu thu vào (10) nhiều hơn số phát ra (9)."),
    ([["Số phiếu phát ra: 9"], ["Số phiếu thu vào: 8"], ["Số phiếu hợp lệ:", 9]], "A5",
     "Số phiếu hợp lệ (9) nhiều hơn số thu vào (8)."),
    ([["Số phiếu phát ra: 10"], ["Số phiếu thu vào: 9"], ["Số phiếu hợp lệ: 9"]], "A3",
     "Số phiếu phát ra (10) nhiều hơn số thành viên Hội đồng (9)."),
    ([["Số phiếu phát ra: 9"], ["Số phiếu thu vào: chín"], ["Số phiếu hợp lệ: 8"]], "A4",
     "Số phiếu thu vào không phải số nguyên không âm."),
    ([["Số phiếu phát ra: 9"], ["Số phiếu thu vào: 9"]], "A3", "Thiếu số phiếu hợp lệ."),
    ([["Số phiếu phát ra: 9"], ["Số phiếu thu vào: 9"], ["Số phiếu hợp lệ: 8"],
      ["Số phiếu không hợp lệ: 2"]], "A6", "Số phiếu không hợp lệ (2) khác thu vào − hợp lệ (9 − 8 = 1)."),
])
def test_bad_ballot_counts_on_the_tally_sheet_exit_1_at_their_cell(
        run_cli: Any, tmp_path: Path, year_dir: Path, lines: list[list[Any]], cell: str,
        detail: str) -> None:
    files = fresh(tmp_path, year_dir)
    votes = ballots_votes_file(tmp_path, lines)
    result = run_cli("awards", *files, "--votes", votes, "--ledger", tmp_path / "x.db",
                     "--no-output")
    assert result.exit_code == 1, result.output
    err = " ".join(result.stderr.split())
    assert f"Kiểm phiếu!{cell}" in err and "vote-ballots-invalid" in err and detail in err
    assert f"Tệp phiếu bầu {votes} có 1 lỗi" in err
