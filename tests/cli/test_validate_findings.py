"""Every finding code ``thidua validate`` can report: a workbook with exactly that problem, and
the code, the cell and the Vietnamese message checked. Run through the library function behind
the command (``thidua_cli.app.validate.validate_paths``) to stay fast; the CLI itself is covered by
``test_validate_cli.py``. Also: ``score`` refuses exactly what ``validate`` calls an error, and
the cells of a workbook saved by LibreOffice are exact."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from helpers import write_xlsx
from thidua_cli import api
from thidua_cli.app.validate import validate_paths
from thidua_cli.errors import InvalidDataError
from thidua_cli.model import Issue, Regulation, Severity

ROOT = Path(__file__).resolve().parents[2]
LO_DIR = ROOT / "tests" / "data" / "libreoffice"

HEADER = ["STT", "Mã NV", "Họ và tên", "CS1", "CS2", "CM1", "CM2", "CM3", "TD1", "TD2", "HT1",
          "PT1", "Tổng điểm", "Xếp loại"]
SCORES = [8, 9, 12, 13, 8, 9, 8, 7, 9]  # Σ 83 → HTTNV


def dept(prefix: str = "KN", n: int = 3, *, changes: dict[str, Any] | None = None,
         title: str = "BẢNG ĐIỂM THI ĐUA QUÝ IV NĂM 2026", extra: list[Any] | None = None,
         header: list[str] | None = None) -> list[list[Any]]:
    """Title rows 1–2, blank row 3, header row 4 (columns A–N as HEADER, then ``extra``
    columns), people from row 5. ``changes``: {"F6": 17, …} in Excel cell notation."""
    rows: list[list[Any]] = [["BỆNH VIỆN ĐA KHOA TỈNH AN BÌNH"], [title], [],
                             list(header or HEADER) + [e[0] for e in (extra or [])]]
    for i in range(n):
        rows.append([i + 1, f"{prefix}{i + 1:03d}", f"Người {prefix} {i + 1}", *SCORES, 83,
                     "HTTNV"] + [e[1 + i] if len(e) > 1 + i else None for e in (extra or [])])
    for ref, v in (changes or {}).items():
        col = "".join(ch for ch in ref if ch.isalpha())
        r = int(ref[len(col):])
        c = 0
        for ch in col:
            c = c * 26 + ord(ch) - 64
        while len(rows) < r:
            rows.append([])
        row = rows[r - 1]
        row.extend([None] * (c - len(row)))
        row[c - 1] = v
    return rows


@dataclass
class Case:
    code: str
    files: dict[str, dict[str, list[list[Any]]]]  # file name → sheets
    where: tuple[str | None, str | None]  # (sheet, cell) of the finding
    message: str
    severity: Severity = Severity.ERROR
    write: dict[str, dict[str, Any]] = field(default_factory=dict)  # file → write_xlsx kwargs
    expect: list[str] | None = None
    file: str | None = None  # the file the finding names (default: the first one)


TCVN3_NAME = "TrÇn ThÞ Mai"  # "Trần Thị Mai" typed with the .VnTime font

CASES = [
    Case("no-header-found",
         {"khoa-noi.xlsx": {"Khoa Nội": [["Danh sách"], ["Tên", "Điểm"], ["An", 5]]}},
         ("Khoa Nội", None),
         "Không tìm thấy dòng tiêu đề trong 30 dòng đầu của sheet. Các tiêu đề tìm thấy: "
         "\"Tên\", \"Điểm\". Cần có ít nhất các cột: Mã NV, Họ và tên. Hãy thêm một dòng tiêu "
         "đề có các cột đó."),
    Case("missing-column",
         {"khoa-noi.xlsx": {"Khoa Nội": dept(changes={"B4": "Mã số thuế"})}},
         ("Khoa Nội", "4:4"),
         "Thiếu cột \"Mã NV\". Hãy thêm cột này vào dòng tiêu đề (dòng 4)."),
    Case("unknown-column",
         {"khoa-noi.xlsx": {"Khoa Nội": dept(extra=[["Phụ cấp", 1, 2, 3]])}},
         ("Khoa Nội", "O4"),
         "Không nhận ra cột \"Phụ cấp\"; cột này bị bỏ qua.", Severity.WARNING),
    Case("duplicate-column",
         {"khoa-noi.xlsx": {"Khoa Nội": dept(extra=[["CS1", 8, 8, 8]])}},
         ("Khoa Nội", "O4"),
         "Cột \"CS1\" xuất hiện hai lần (cột D và cột O). Hãy xoá hoặc đổi tên một cột."),
    Case("criterion-not-in-regulation",
         {"khoa-noi.xlsx": {"Khoa Nội": dept(extra=[["XY9 (5đ)", 1, 1, 1]])}},
         ("Khoa Nội", "O4"),
         "Cột \"XY9 (5đ)\" giống một cột tiêu chí nhưng không có tiêu chí này trong quy chế; "
         "cột bị bỏ qua.", Severity.WARNING),
    Case("criteria-differ-from-regulation",
         {"khoa-noi.xlsx": {
             "Tiêu chí": [["Mã", "Tiêu chí", "Điểm tối đa"],
                          *[[c, f"Tiêu chí {c}", m] for c, m in zip(
                              ("CS1", "CS2", "CM1", "CM2", "CM3", "TD1", "TD2", "HT1", "PT1"),
                              (10, 10, 15, 15, 10, 10, 10, 10, 5), strict=True)]],
             "Khoa Nội": dept(changes={"L5": 4, "L6": 4, "L7": 4, "M5": 78, "M6": 78,
                                       "M7": 78})}},
         ("Tiêu chí", "1:1"),
         "Sheet \"Tiêu chí\" khác quy chế: đổi điểm tối đa PT1 10 → 5. Bảng tiêu chí của file "
         "được dùng.", Severity.WARNING),
    Case("missing-staff-id",
         {"khoa-noi.xlsx": {"Khoa Nội": dept(changes={"B6": None})}},
         ("Khoa Nội", "B6"),
         "Dòng có dữ liệu nhưng không có mã nhân viên. Hãy điền mã nhân viên."),
    Case("duplicate-staff-id",
         {"khoa-noi.xlsx": {"Khoa Nội": dept(changes={"B6": "KN001"})}},
         ("Khoa Nội", "B6"),
         "Mã nhân viên \"KN001\" đã có ở Khoa Nội!B5. Mỗi người chỉ được có một dòng."),
    Case("duplicate-staff-id",
         {"khoa.xlsx": {"Khoa Nội": dept(), "Khoa Nhi": dept("NH", changes={"B7": "KN002"})}},
         ("Khoa Nhi", "B7"),
         "Mã nhân viên \"KN002\" đã có ở Khoa Nội!B6. Mỗi người chỉ được có một dòng."),
    Case("missing-name",
         {"khoa-noi.xlsx": {"Khoa Nội": dept(changes={"C6": None})}},
         ("Khoa Nội", "C6"),
         "Dòng của mã nhân viên \"KN002\" không có họ tên. Hãy điền họ và tên."),
    Case("same-name-different-id",
         {"khoa-noi.xlsx": {"Khoa Nội": dept(changes={"C6": "Người KN 1"})}},
         ("Khoa Nội", "C6"),
         "\"Người KN 1\" trùng họ tên với người ở Khoa Nội!C5 (mã KN001) nhưng khác mã nhân "
         "viên; hãy kiểm tra có phải hai người khác nhau.", Severity.WARNING),
    Case("not-a-number",
         {"khoa-noi.xlsx": {"Khoa Nội": dept(changes={"D6": "tám"})}},
         ("Khoa Nội", "D6"),
         "Ô \"CS1\" phải là số nhưng có giá trị \"tám\". Hãy nhập một số (ví dụ 8,5)."),
    Case("negative-score",
         {"khoa-noi.xlsx": {"Khoa Nội": dept(changes={"D6": -1})}},
         ("Khoa Nội", "D6"),
         "Điểm \"CS1\" là -1, không được âm. Điểm trừ ghi ở cột \"Điểm trừ\"."),
    Case("above-maximum",
         {"khoa-noi.xlsx": {"Khoa Nội": dept(changes={"F6": 17})}},
         ("Khoa Nội", "F6"),
         "Điểm \"CM1\" là 17, vượt điểm tối đa 15. Hãy sửa lại."),
    Case("ambiguous-decimal",
         {"khoa-noi.xlsx": {"Khoa Nội": dept(changes={"D6": "1.500"})}},
         ("Khoa Nội", "D6"),
         "\"1.500\" có thể là 1,5 hoặc 1500. Dùng dấu phẩy cho phần thập phân (ví dụ 1,5) và "
         "không dùng dấu chấm phân cách hàng nghìn."),
    Case("number-stored-as-text",
         {"khoa-noi.xlsx": {"Khoa Nội": dept(changes={"D6": "8"})}},
         ("Khoa Nội", "D6"),
         "\"8\" là số nhưng được lưu dạng chữ (Excel bỏ qua khi cộng SUM); đã đọc là 8. Hãy đổi "
         "ô sang dạng số.", Severity.WARNING),
    Case("formula-without-value",
         {"khoa-noi.xlsx": {"Khoa Nội": dept(changes={"D6": "=4+4"})}},
         ("Khoa Nội", "D6"),
         "Ô có công thức (=4+4) nhưng không có giá trị đã tính: file được lưu bởi một chương "
         "trình không tính công thức. Hãy mở file bằng Excel rồi lưu lại.",
         write={"khoa-noi.xlsx": {"formulas": True}}),
    Case("error-value",
         {"khoa-noi.xlsx": {"Khoa Nội": dept(changes={"D6": "#DIV/0!"})}},
         ("Khoa Nội", "D6"),
         "Ô có giá trị lỗi #DIV/0!. Hãy sửa công thức hoặc nhập điểm trực tiếp."),
    Case("total-mismatch",
         {"khoa-noi.xlsx": {"Khoa Nội": dept(changes={"M6": 80})}},
         ("Khoa Nội", "M6"),
         "Tổng trên sheet là 80 nhưng tính lại được 83. Kết quả dùng số tính lại.",
         Severity.WARNING),
    Case("total-mismatch",  # the "Tổng cộng" row: 3 × 8 = 24 in column D, not 20
         {"khoa-noi.xlsx": {"Khoa Nội": dept(changes={"A8": "Tổng cộng", "D8": 20,
                                                      "M8": 249})}},
         ("Khoa Nội", "D8"),
         "Tổng trên sheet là 20 nhưng tính lại được 24. Kết quả dùng số tính lại.",
         Severity.WARNING),
    Case("rating-mismatch",
         {"khoa-noi.xlsx": {"Khoa Nội": dept(changes={"N6": "Xuất sắc"})}},
         ("Khoa Nội", "N6"),
         "Xếp loại trên sheet là \"Xuất sắc\" nhưng theo quy chế là \"HTTNV – Hoàn thành tốt "
         "nhiệm vụ\".", Severity.WARNING),
    Case("hidden-row-with-data",
         {"khoa-noi.xlsx": {"Khoa Nội": dept()}},
         ("Khoa Nội", "6:6"),
         "Dòng 6 bị ẩn nhưng có dữ liệu; theo quy chế dòng này vẫn được tính.",
         Severity.WARNING, write={"khoa-noi.xlsx": {"hidden_rows": {"Khoa Nội": [6]}}}),
    Case("strike-through-row",
         {"khoa-noi.xlsx": {"Khoa Nội": dept()}},
         ("Khoa Nội", "6:6"),
         "Dòng 6 bị gạch ngang (thường là người đã nghỉ); theo quy chế dòng này không được "
         "tính (bỏ qua).", Severity.WARNING,
         write={"khoa-noi.xlsx": {"struck_cells": {"Khoa Nội": ["B6", "C6"]}}}),
    Case("hidden-sheet",
         {"khoa.xlsx": {"Khoa Nội": dept(), "Khoa Nhi": dept("NH")}},
         ("Khoa Nhi", None),
         "Sheet đang bị ẩn (ẩn); dữ liệu của nó vẫn được đọc và tính như các sheet khác. Hãy bỏ "
         "ẩn (chuột phải vào tên sheet → Unhide) để kiểm tra.", Severity.WARNING,
         write={"khoa.xlsx": {"hidden_sheets": ["Khoa Nhi"]}}),
    Case("legacy-encoding",
         {"khoa-noi.xlsx": {"Khoa Nội": dept(changes={"C6": TCVN3_NAME})}},
         ("Khoa Nội", "C6"),
         "Chữ \"TrÇn ThÞ Mai\" dùng bảng mã TCVN3 (phông .VnTime); đã chuyển sang Unicode: "
         "\"Trần Thị Mai\". Hãy dùng phông Unicode (Times New Roman) khi nhập.",
         Severity.WARNING, write={"khoa-noi.xlsx": {"fonts": {"Khoa Nội": {"C6": ".VnTime"}}}}),
    Case("legacy-encoding",  # a VNI header, no font information: found by its content
         {"khoa-noi.xlsx": {"Khoa Nội": dept(changes={"C4": "Hoï vaø teân"})}},
         ("Khoa Nội", "C4"),
         "Chữ \"Hoï vaø teân\" dùng bảng mã VNI (phông không rõ, nhận ra theo nội dung chữ); "
         "đã chuyển sang Unicode: \"Họ và tên\". Hãy dùng phông Unicode (Times New Roman) khi "
         "nhập.", Severity.WARNING),
    Case("legacy-encoding",  # an old name pasted into a Unicode list, no font information
         {"khoa-noi.xlsx": {"Khoa Nội": dept(changes={"C6": "Ph¹m V¨n Hïng"})}},
         ("Khoa Nội", "C6"),
         "Chữ \"Ph¹m V¨n Hïng\" dùng bảng mã TCVN3 (phông không rõ, nhận ra theo nội dung "
         "chữ); đã chuyển sang Unicode: \"Phạm Văn Hùng\". Hãy dùng phông Unicode (Times New "
         "Roman) khi nhập.", Severity.WARNING),
    Case("mixed-date-format",
         {"khoa-noi.xlsx": {"Khoa Nội": dept(extra=[["Ngày tuyển dụng", "25/03/2020",
                                                     date(2020, 3, 5), "01/10/2019"]])}},
         ("Khoa Nội", "O6"),
         "Cột \"Ngày tuyển dụng\" vừa có ngày dạng chữ dd/mm (ví dụ \"25/03/2020\") vừa có ngày "
         "Excel; ngày 05/03/2020 có thể đã bị Excel kiểu Mỹ đảo ngày và tháng. Hãy kiểm tra.",
         Severity.WARNING),
    Case("invalid-date",
         {"khoa-noi.xlsx": {"Khoa Nội": dept(extra=[["Ngày tuyển dụng", "31/02/2020"]])}},
         ("Khoa Nội", "O5"),
         "\"31/02/2020\" không phải là ngày hợp lệ (dùng dạng ngày/tháng/năm, ví dụ "
         "05/01/2024)."),
    # Q4 2026 has 65 working days: 66 Monday–Fridays minus the public holiday 24/11 (issue 11
    # point 13, Bộ luật Lao động 2019 Điều 112).
    Case("leave-days-out-of-range",
         {"khoa-noi.xlsx": {"Khoa Nội": dept(extra=[["Số ngày nghỉ", 0, 100]])}},
         ("Khoa Nội", "O6"),
         "Số ngày nghỉ 100 nằm ngoài khoảng 0–65 ngày làm việc của kỳ."),
    Case("unknown-discipline-level",
         {"khoa-noi.xlsx": {"Khoa Nội": dept(extra=[["Kỷ luật", None, "Phê bình"]])}},
         ("Khoa Nội", "O6"),
         "\"Phê bình\" không phải hình thức kỷ luật. Dùng: khiển trách, cảnh cáo, cách chức, "
         "buộc thôi việc (hoặc để trống)."),
    Case("unknown-department",
         {"khoa-noi.xlsx": {"Khoa Noi": dept()}},
         ("Khoa Noi", None),
         # the list is the --expect file, and the message says so (issue 13)
         "\"Khoa Noi\" không có trong danh sách khoa/phòng phải nộp (--expect {expect}). Có "
         "phải là \"Khoa Nội\"?", Severity.WARNING, expect=["Khoa Nội", "Khoa Nhi"]),
    Case("empty-sheet",
         {"khoa-noi.xlsx": {"Khoa Nội": dept(), "Sheet2": []}},
         ("Sheet2", None),
         "Sheet không có dữ liệu; đã bỏ qua.", Severity.WARNING),
    Case("department-submitted-twice",
         {"a.xlsx": {"Khoa Nội": dept()}, "b.xlsx": {"Khoa Nội": dept("KX")}},
         ("Khoa Nội", None), "", file="b.xlsx"),
    Case("department-not-submitted",
         {"khoa-noi.xlsx": {"Khoa Nội": dept()}},
         (None, None), "Chưa nhận được bảng điểm của \"Khoa Nhi\".", Severity.WARNING,
         expect=["Khoa Nội", "Khoa Nhi"]),
    Case("rating-not-checked",  # no period in the file name nor in a title row
         {"khoa-noi.xlsx": {"Khoa Nội": dept(title="BẢNG ĐIỂM THI ĐUA")}},
         (None, None),
         "Không xác định được kỳ đánh giá (tên tệp và dòng tiêu đề không ghi quý/năm) nên chưa "
         "so cột Xếp loại của sheet với quy chế; tổng điểm vẫn được so. Thêm --period, ví dụ "
         "--period 2026-Q4, để so cả xếp loại.", Severity.INFO),
]


def _ids() -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for c in CASES:
        seen[c.code] = seen.get(c.code, 0) + 1
        out.append(c.code if seen[c.code] == 1 else f"{c.code}-{seen[c.code]}")
    return out


def build(tmp_path: Path, case: Case) -> list[Path]:
    paths = []
    for name, sheets in case.files.items():
        paths.append(write_xlsx(tmp_path, sheets, name=name, **case.write.get(name, {})))
    return paths


def run(tmp_path: Path, case: Case, regulation: Regulation) -> tuple[list[Issue], int]:
    paths = build(tmp_path, case)
    expect = None
    if case.expect is not None:
        expect = tmp_path / "danh-sach.txt"
        expect.write_text("\n".join(case.expect), encoding="utf-8")
    result = validate_paths(paths, regulation, expect=expect)
    return result.issues, result.exit_code


@pytest.mark.parametrize("case", CASES, ids=_ids())
def test_each_finding(tmp_path: Path, regulation: Regulation, case: Case) -> None:
    issues, exit_code = run(tmp_path, case, regulation)
    found = [i for i in issues if i.code == case.code]
    assert found, [(i.code, i.location, i.message) for i in issues]
    sheet, cell = case.where
    hit = [i for i in found if i.sheet == sheet and i.cell == cell]
    assert hit, [(i.sheet, i.cell, i.message) for i in found]
    issue = hit[0]
    if case.message:
        # a --expect list is written to tmp_path/danh-sach.txt by run()
        assert issue.message == case.message.replace("{expect}", str(tmp_path / "danh-sach.txt"))
    assert issue.severity is case.severity
    expected_file = case.file or (next(iter(case.files)) if sheet else None)
    if expected_file is not None:
        assert issue.file == str(tmp_path / expected_file)
    assert exit_code == (1 if any(i.severity is Severity.ERROR for i in issues) else 0)


def test_department_submitted_twice_names_both_files(tmp_path: Path,
                                                      regulation: Regulation) -> None:
    case = next(c for c in CASES if c.code == "department-submitted-twice")
    issues, _ = run(tmp_path, case, regulation)
    issue = next(i for i in issues if i.code == "department-submitted-twice")
    assert issue.message == (
        f"Khoa/phòng \"Khoa Nội\" có dữ liệu ở cả sheet \"Khoa Nội\" (tệp {tmp_path / 'a.xlsx'}) "
        f"và sheet \"Khoa Nội\" (tệp {tmp_path / 'b.xlsx'}). Hãy giữ lại một bản."
    )


def test_unreadable_file(tmp_path: Path, regulation: Regulation) -> None:
    bad = tmp_path / "khoa-nhi.xlsx"
    bad.write_bytes(b"PK\x03\x04 cut short")
    good = write_xlsx(tmp_path, {"Khoa Nội": dept()}, name="khoa-noi.xlsx")
    result = validate_paths([good, bad], regulation)
    issue = next(i for i in result.issues if i.code == "unreadable-file")
    assert (issue.file, issue.sheet, issue.cell, issue.severity) == (
        str(bad), None, None, Severity.ERROR)
    assert issue.message.startswith(f"File \"{bad}\" bị hỏng hoặc không đầy đủ")
    assert result.exit_code == 4
    assert [f.status for f in result.files] == ["ok", "unreadable"]


def test_legacy_encoding_many(tmp_path: Path, regulation: Regulation) -> None:
    # A whole list typed in TCVN3: 20 cells one by one, then one finding for the rest.
    names = ["NguyÔn V¨n An", "TrÇn ThÞ Mai", "Lª V¨n Hïng", "Ph¹m ThÞ Lan", "Vò V¨n Nam"]
    rows = dept(n=25)
    for i in range(25):
        rows[4 + i][2] = names[i % 5] + f" {i}"
    fonts = {f"C{5 + i}": ".VnTime" for i in range(25)}
    path = write_xlsx(tmp_path, {"Khoa Nội": rows}, name="khoa-noi.xlsx",
                      fonts={"Khoa Nội": fonts})
    issues = validate_paths([path], regulation).issues
    single = [i for i in issues if i.code == "legacy-encoding"]
    many = [i for i in issues if i.code == "legacy-encoding-many"]
    assert [i.cell for i in single] == [f"C{r}" for r in range(5, 25)]
    assert len(many) == 1 and many[0].cell == "C25"
    assert many[0].message == (
        "Cột \"Họ và tên\" còn 5 ô chữ bảng mã TCVN3 khác đã được chuyển sang Unicode (ví dụ "
        "\"NguyÔn V¨n An 20\" → \"Nguyễn Văn An 20\"). Hãy chuyển cả bảng sang phông Unicode "
        "(Unikey: công cụ chuyển mã, từ TCVN3 sang Unicode)."
    )
    # converted names are what the reader uses: no same-name or missing-name noise
    assert {i.severity for i in issues} == {Severity.WARNING}


# --------------------------------------------------------------------------------------------
# score refuses exactly what validate calls an error (one code path)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=_ids())
def test_score_refuses_exactly_validate_errors(tmp_path: Path, regulation: Regulation,
                                               case: Case) -> None:
    if case.expect is not None:
        pytest.skip("the expected-departments list is validate's own option")
    issues, _ = run(tmp_path, case, regulation)
    has_errors = any(i.severity is Severity.ERROR for i in issues)
    paths = [tmp_path / name for name in case.files]
    from thidua_cli.model import Period, PeriodKind

    try:
        api.score_files(paths, regulation, period=Period(PeriodKind.QUARTER, 2026, 4))
        refused = False
    except InvalidDataError as exc:
        refused = True
        assert {(i.code, i.location) for i in exc.report.errors} == {  # type: ignore[attr-defined]
            (i.code, i.location) for i in issues if i.severity is Severity.ERROR}
    assert refused is has_errors


# --------------------------------------------------------------------------------------------
# A workbook saved by LibreOffice: every reference is the cell Excel shows
# --------------------------------------------------------------------------------------------


def _fixture_problems() -> list[tuple[str, str]]:
    spec = importlib.util.spec_from_file_location("make_validate_fixture",
                                                  LO_DIR / "make_validate_fixture.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.PROBLEMS)


def test_libreoffice_fixture_cells_are_exact(regulation: Regulation) -> None:
    result = validate_paths([LO_DIR / "khoa-noi-lo.xlsx"], regulation)
    got = [(i.code, i.cell) for i in result.issues]
    assert got == _fixture_problems()
    assert all(i.sheet == "Khoa Nội" for i in result.issues)
    assert result.period is not None and result.period.code == "2026-Q4"


def test_libreoffice_xls_gives_the_same_cells_for_what_it_holds(
        regulation: Regulation) -> None:
    result = validate_paths([LO_DIR / "khoa-noi-lo.xls"], regulation)
    got = [(i.code, i.cell) for i in result.issues]
    xlsx = _fixture_problems()
    # every finding of the .xls is one of the .xlsx, at the same cell
    assert set(got) <= set(xlsx), set(got) - set(xlsx)
    for must in (("above-maximum", "K12"), ("not-a-number", "O14"), ("duplicate-staff-id", "B18"),
                 ("missing-name", "C19"), ("total-mismatch", "Q22")):
        assert must in got

