"""Presenters: the ``thidua.score/1`` JSON, findings as JSON, and the Rich outputs."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import pytest
from rich.console import Console

from thidua_cli import report
from thidua_cli.issues import make_issue
from thidua_cli.model import (
    CapGroup,
    Criterion,
    DepartmentResult,
    ExplainStep,
    InputFile,
    Issue,
    Period,
    PeriodKind,
    Person,
    PersonResult,
    Rating,
    Regulation,
    Report,
    RunInfo,
    ScoreResult,
    Severity,
    SourceRow,
)
from thidua_cli.present import score as present_score

CRITERIA = (
    Criterion("CS", "Chấp hành chính sách", "Chấp hành chính sách và nội quy", 30.0),
    Criterion("CM", "Chuyên môn nghiệp vụ", "Chuyên môn nghiệp vụ", 50.0),
    Criterion("TD", "Thái độ phục vụ", "Tinh thần thái độ phục vụ", 20.0),
)
LEADERS = "Lãnh đạo, quản lý"
STAFF = "Viên chức, người lao động"
RUN = RunInfo(
    tool_version="0.1.0",
    started_at=datetime(2026, 12, 20, 9, 30, 5),
    command="thidua score quy-4-2026.xlsx",
    inputs=(InputFile("quy-4-2026.xlsx", "a" * 64, "xlsx"),),
    regulation_source="quy-che.toml",
    regulation_sha256="b" * 64,
)
STEPS = (
    ExplainStep("Tiêu chí CS", "Chấp hành chính sách: 30/30 điểm (Khoa chấm).", "Quy chế"),
    ExplainStep("Điểm cộng", "2 điểm (tối đa 10) → tính 2 điểm."),
    ExplainStep("Xếp loại theo điểm", "99,33 ≥ 90 → HTXSNV.", "QĐ 366-QĐ/TW"),
)


def _person(staff_id: str, name: str, department: str, row: int, **kw: object) -> Person:
    return Person(staff_id=staff_id, name=name, department=department,
                  source=SourceRow("quy-4-2026.xlsx", department, row), scores={}, **kw)  # type: ignore[arg-type]


def make_result(regulation: Regulation, *, department: str = "Khoa Nội",
                name: str = "Nguyễn Thị Ánh") -> ScoreResult:
    a = PersonResult(
        person=_person("0012", name, department, 8, position="Trưởng khoa",
                       is_manager=True, peer_group="Bác sĩ"),
        points={"CS": 30.0, "CM": 48.456, "TD": 19.0},
        criteria_sum=97.456,
        bonus_counted=2.0,
        deduction_counted=0.125,
        total=99.33,
        band=Rating.HTXSNV,
        rating=Rating.HTXSNV,
        peer_group=LEADERS,
        rank_department=1,
        rank_hospital=1,
        steps=STEPS,
    )
    b = PersonResult(
        person=_person("2201", "Trần Văn Bình", "Khoa Ngoại", 9),
        points={"CS": 28.0, "CM": 45.0, "TD": 19.0},
        criteria_sum=92.0, bonus_counted=0.0, deduction_counted=0.0, total=92.0,
        band=Rating.HTXSNV, rating=Rating.PENDING_COUNCIL,
        notes=("Bằng điểm ở ngưỡng trần HTXSNV: chờ Hội đồng xét",), reasons=("cap-tie",),
        peer_group=STAFF, rank_department=1, rank_hospital=2,
    )
    c = PersonResult(
        person=_person("0007", "Lê Thị Hoa", "Khoa Ngoại", 10),
        points={"CS": 28.0, "CM": 45.0},  # TD missing: null in JSON
        criteria_sum=73.0, bonus_counted=0.0, deduction_counted=0.0, total=73.0,
        band=Rating.HTTNV, rating=Rating.NOT_RATED,
        notes=("Làm việc 20/64 ngày: không xếp loại",), reasons=("not-worked-enough",),
        peer_group=STAFF,
    )
    departments = (
        DepartmentResult(department, 1, 1, 0, 0, 99.33, 99.33,
                         {Rating.HTXSNV: 1}, 1.0, 1),
        DepartmentResult("Khoa Ngoại", 2, 0, 1, 1, 92.0, 92.0,
                         {Rating.PENDING_COUNCIL: 1, Rating.NOT_RATED: 1}, None, 2),
    )
    caps = (
        CapGroup(LEADERS, 0.2, 5, 1, ("0012",), ("0012",), (), (), 99.33, 0),
        CapGroup(STAFF, 0.2, 7, 1, ("2201", "9999"), (), ("2201", "9999"), (), 92.0, 1),
    )
    rep = Report()
    rep.add(make_issue("number-stored-as-text", file="quy-4-2026.xlsx", sheet="Khoa Nội",
                       row=10, column="F", header="CM", value="46", number=46))
    return ScoreResult(
        period=Period(PeriodKind.QUARTER, 2026, 4), regulation=regulation, criteria=CRITERIA,
        criteria_source="sheet \"Tiêu chí\" (quy-4-2026.xlsx)", people=(a, b, c),
        departments=departments, cap_groups=caps, report=rep,
    )


@pytest.fixture
def result(regulation: Regulation) -> ScoreResult:
    return make_result(regulation)


def _cells(line: str) -> list[str]:
    """The cells of one rendered table line ("│ a │ b │" or "┃ a ┃ b ┃")."""
    sep = "┃" if line.lstrip().startswith("┃") else "│"
    return [c.strip() for c in line.strip().split(sep)[1:-1]]


def _render(fn: object, *args: object, width: int = 120, **kw: object) -> str:
    console = Console(record=True, width=width, color_system=None)
    fn(console, *args, **kw)  # type: ignore[operator]
    return console.export_text()


# ----------------------------------------------------------------------------------------------
# JSON
# ----------------------------------------------------------------------------------------------


def test_top_level_keys_in_stable_order(result: ScoreResult) -> None:
    data = present_score.score_json(result, RUN)
    assert list(data) == [
        "schema", "tool", "period", "regulation", "inputs", "criteria_source", "criteria",
        "people", "departments", "cap_groups", "ties", "inferred_managers", "warnings", "counts",
    ]
    assert data["schema"] == "thidua.score/1"
    assert data["tool"] == {"name": "thidua", "version": "0.1.0"}
    assert data["period"] == {"code": "2026-Q4", "label": "Quý IV năm 2026", "kind": "quarter",
                              "start": "2026-10-01", "end": "2026-12-31"}
    assert data["regulation"] == {"name": result.regulation.name, "source": "quy-che.toml",
                                  "sha256": "b" * 64}
    assert data["inputs"] == [{"path": "quy-4-2026.xlsx", "format": "xlsx", "sha256": "a" * 64}]
    assert data["criteria_source"] == "sheet \"Tiêu chí\" (quy-4-2026.xlsx)"
    assert data["criteria"][1] == {"code": "CM", "name": "Chuyên môn nghiệp vụ",
                                   "group": "Chuyên môn nghiệp vụ", "max_points": 50.0}


def test_person_object_checked_by_hand(result: ScoreResult) -> None:
    person = present_score.score_json(result, RUN)["people"][0]
    assert person == {
        "staff_id": "0012",
        "name": "Nguyễn Thị Ánh",
        "department": "Khoa Nội",
        "position": "Trưởng khoa",
        "is_manager": True,
        "group": "Bác sĩ",
        "peer_group": LEADERS,
        "source": {"file": "quy-4-2026.xlsx", "sheet": "Khoa Nội", "row": 8},
        "points": {"CS": 30.0, "CM": 48.46, "TD": 19.0},
        "criteria_sum": 97.46,
        "bonus": 2.0,
        "deduction": 0.13,  # 0.125 rounds half up, not to even
        "total": 99.33,
        "band": {"code": "HTXSNV", "label": "Hoàn thành xuất sắc nhiệm vụ"},
        "rating": {"code": "HTXSNV", "label": "Hoàn thành xuất sắc nhiệm vụ"},
        "grade": "A",
        "notes": [],
        "reasons": [],
        "rank_department": 1,
        "rank_hospital": 1,
        "inputs": {
            "scores": {"CS": None, "CM": None, "TD": None},  # the person's sheet cells: empty
            "bonus": 0.0,
            "deduction": 0.0,
            "gender": "",
            "recruited_on": None,
            "leave_days": 0.0,
            "maternity_days": 0.0,
            "discipline": None,
            "initiatives": 0,
            "research": 0,
            "registered": None,
            "manager_inferred": False,
            "note": "",
            "left_on": None, "absence_reason": "", "achievement": "", "adhoc_award": "",
            "injury_days": 0.0, "training_days": 0.0, "contract_from": None,
            "discipline_ended_on": None, "moved_in_on": None, "previous_opinion": "",
            "tasks_done": None, "tasks_exceeded": None,
        },
    }
    assert list(person) == list(person.keys())  # insertion order is the documented order


def test_ratings_are_codes_with_labels(result: ScoreResult) -> None:
    people = present_score.score_json(result, RUN)["people"]
    pending, not_rated = people[1], people[2]
    assert pending["band"] == {"code": "HTXSNV", "label": "Hoàn thành xuất sắc nhiệm vụ"}
    assert pending["rating"] == {"code": "PENDING_COUNCIL", "label": "Chờ Hội đồng xét"}
    assert pending["grade"] is None
    assert pending["reasons"] == ["cap-tie"]
    assert not_rated["rating"] == {"code": "NOT_RATED", "label": "Không xếp loại"}
    assert not_rated["rank_department"] is None and not_rated["rank_hospital"] is None
    assert not_rated["points"] == {"CS": 28.0, "CM": 45.0, "TD": None}


def test_departments_caps_ties_counts(result: ScoreResult) -> None:
    data = present_score.score_json(result, RUN)
    assert data["departments"][1] == {
        "rank": 2, "name": "Khoa Ngoại", "headcount": 2, "rated": 0, "not_rated": 1,
        "pending": 1, "mean": 92.0, "median": 92.0,
        "counts": {"HTXSNV": 0, "HTTNV": 0, "HTNV": 0, "KHTNV": 0, "PENDING_COUNCIL": 1,
                   "NOT_RATED": 1},
        "share_htxsnv": None,
    }
    assert data["departments"][0]["share_htxsnv"] == 1.0
    assert data["cap_groups"][1] == {
        "group": STAFF, "rate": 0.2, "denominator": 7, "slots": 1,
        "candidates": ["2201", "9999"], "kept": [], "pending": ["2201", "9999"], "demoted": [],
        "cutoff_total": 92.0, "slots_left_for_tie": 1,
    }
    assert data["ties"] == [
        {"group": STAFF, "slots_left": 1, "staff_ids": ["2201", "9999"], "total": 92.0}
    ]
    assert data["counts"] == {
        "people": 3, "departments": 2, "rated": 1,
        "ratings": {"HTXSNV": 1, "HTTNV": 0, "HTNV": 0, "KHTNV": 0, "PENDING_COUNCIL": 1,
                    "NOT_RATED": 1},
        "warnings": 1,
    }
    assert data["warnings"][0]["code"] == "number-stored-as-text"


def test_json_is_plain_and_deterministic(result: ScoreResult, regulation: Regulation) -> None:
    first = json.dumps(present_score.score_json(result, RUN), ensure_ascii=False, allow_nan=False)
    again = json.dumps(present_score.score_json(make_result(regulation), RUN), ensure_ascii=False,
                       allow_nan=False)
    assert first == again
    assert json.loads(first) == present_score.score_json(result, RUN)
    assert "2026-12-20" not in first  # the run's clock stays out of the JSON


def test_no_period_is_null(result: ScoreResult) -> None:
    from dataclasses import replace

    assert present_score.score_json(replace(result, period=None), RUN)["period"] is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.125, 0.13), (2.675, 2.68), (48.456, 48.46), (7, 7.0), (Decimal("1.005"), 1.01),
     (-0.001, 0.0), (None, None), (float("nan"), None), (float("inf"), None)],
)
def test_numbers_two_decimals_half_up(value: float | None, expected: float | None) -> None:
    got = report.num_json(value)
    assert got == expected
    if got is not None:
        assert json.dumps(got) == json.dumps(expected)  # "0.0", never "-0.0"


def test_issues_json_shape() -> None:
    rep = Report()
    rep.add(make_issue("invalid-date", file="a.xlsx", sheet="Khoa Nội", row=12, column="F",
                       header="Ngày tuyển dụng", value=date(2026, 2, 28)))
    rep.add(Issue("x-code", Severity.INFO, "Thông tin", value=Decimal("8.50")))
    rep.add(Issue("y-code", Severity.WARNING, "Cả cột", sheet="Khoa Nội", column="G"))
    items = report.issues_json(rep)
    assert items[0] == {
        "code": "invalid-date", "severity": "error", "file": "a.xlsx", "sheet": "Khoa Nội",
        "row": 12, "column": "F", "cell": "F12", "header": "Ngày tuyển dụng",
        "value": "2026-02-28",
        "message": rep.issues[0].message,
    }
    assert items[1]["value"] == "8.50" and items[1]["cell"] is None
    assert items[2]["cell"] == "G:G" and items[2]["severity"] == "warning"
    assert report.issues_json(rep.issues) == items  # a plain list of issues works too
    json.dumps(items, allow_nan=False)


# ----------------------------------------------------------------------------------------------
# Rich summary
# ----------------------------------------------------------------------------------------------


def test_summary_text(result: ScoreResult) -> None:
    text = _render(present_score.print_score_summary, result)
    assert text.startswith("Kết quả xếp loại – Quý IV năm 2026\n")
    header = next(line for line in text.splitlines() if "Khoa/Phòng" in line)
    cells = _cells(header)
    assert cells == ["Hạng", "Khoa/Phòng", "Số người", "Điểm TB", "HTXSNV", "HTTNV", "HTNV",
                     "KHTNV", "Chờ HĐ", "Không XL"]
    rows = [_cells(line) for line in text.splitlines() if line.startswith("│")]
    assert rows[0] == ["1", "Khoa Nội", "1", "99,33", "1", "0", "0", "0", "0", "0"]
    assert rows[1] == ["2", "Khoa Ngoại", "2", "92", "0", "0", "0", "0", "1", "1"]
    assert ("Toàn viện: 3 người · HTXSNV 1 · HTTNV 0 · HTNV 0 · KHTNV 0 · Chờ Hội đồng xét 1 · "
            "Không xếp loại 1") in text
    cap_rows = [r for r in rows if r[0] in (LEADERS, STAFF)]
    assert cap_rows == [
        [LEADERS, "20%", "5", "1", "1", "1", "0", "0"],
        [STAFF, "20%", "7", "1", "2", "0", "2", "0"],
    ]
    one_line = " ".join(text.split())
    assert ('Cần Hội đồng xét: nhóm "Viên chức, người lao động" còn 1 suất HTXSNV cho 2 người '
            "cùng 92 điểm: Trần Văn Bình (2201), ? (9999).") in one_line


def test_summary_prints_sheet_text_literally(regulation: Regulation) -> None:
    odd = make_result(regulation, department="[bold red]Khoa[/]",
                      name="[link=http://x.example]Bấm[/link]")
    text = _render(present_score.print_score_summary, odd, width=160)
    assert "[bold red]Khoa[/]" in text


def test_summary_without_caps_or_pending(regulation: Regulation) -> None:
    from dataclasses import replace

    plain = replace(make_result(regulation), cap_groups=(),
                    departments=(DepartmentResult("Khoa Nội", 1, 1, 0, 0, None, None, {}, None,
                                                  None),))
    text = _render(present_score.print_score_summary, plain)
    assert "Trần HTXSNV" not in text and "Cần Hội đồng xét" not in text
    assert "Chờ HĐ" not in text.split("Toàn viện")[0]  # no pending column
    row = next(line for line in text.splitlines() if "Khoa Nội" in line)
    assert _cells(row)[:4] == ["", "Khoa Nội", "1", "—"]


# ----------------------------------------------------------------------------------------------
# Findings
# ----------------------------------------------------------------------------------------------


def _issue(code: str, sev: Severity, sheet: str | None, row: int | None, col: str | None,
           msg: str, file: str = "a.xlsx", value: object = None) -> Issue:
    return Issue(code, sev, msg, file=file, sheet=sheet, row=row, column=col, value=value)


def test_findings_grouped_by_sheet_then_row() -> None:
    issues = [
        _issue("above-maximum", Severity.ERROR, "Khoa Nội", 12, "F", "Vượt tối đa", value=45),
        _issue("not-a-number", Severity.ERROR, "Khoa Ngoại", 9, "E", "Không phải số",
               value="tám"),
        _issue("negative-score", Severity.ERROR, "Khoa Nội", 8, "AA", "Điểm âm", value=-1),
        _issue("negative-score", Severity.ERROR, "Khoa Nội", 8, "G", "Điểm âm", value=-2),
    ]
    text = _render(report.print_findings, issues, width=160)
    lines = [line for line in text.splitlines() if line.startswith("│")]
    places = [_cells(line)[2] for line in lines]
    assert places == ["Khoa Nội!G8", "Khoa Nội!AA8", "Khoa Nội!F12", "Khoa Ngoại!E9"]
    first = _cells(lines[0])
    assert first == ["Lỗi", "negative-score", "Khoa Nội!G8", "-2", "Điểm âm"]
    assert text.startswith("Phát hiện: 4 lỗi")
    assert "├" in text  # a separator between the two sheets
    header = next(line for line in text.splitlines() if line.startswith("┃"))
    assert _cells(header) == [
        "Mức", "Mã", "Ô", "Giá trị", "Nội dung"]


def test_findings_limit_shows_errors_first() -> None:
    issues = [
        _issue("hidden-sheet", Severity.WARNING, "Cũ", None, None, "Sheet ẩn"),
        _issue("unknown-column", Severity.WARNING, "Khoa Nội", 1, "K", "Cột lạ"),
        _issue("above-maximum", Severity.ERROR, "Khoa Nội", 12, "F", "Vượt tối đa"),
        _issue("unknown-column", Severity.WARNING, "Khoa Nội", 1, "L", "Cột lạ 2"),
    ]
    text = _render(report.print_findings, issues, limit=2, width=160)
    codes = [_cells(line)[1] for line in text.splitlines() if line.startswith("│")]
    assert codes == ["hidden-sheet", "above-maximum"]
    assert "… và 2 phát hiện khác không hiện ở đây" in text
    assert text.startswith("Phát hiện: 1 lỗi, 3 cảnh báo")


def test_findings_from_several_files_show_the_file() -> None:
    issues = [
        _issue("duplicate-staff-id", Severity.ERROR, "Khoa Nội", 5, "B", "Trùng", file="q1.xlsx"),
        _issue("duplicate-staff-id", Severity.ERROR, "Khoa Nội", 6, "B", "Trùng", file="q2.xlsx"),
    ]
    text = _render(report.print_findings, Report(issues), width=160)
    header = next(line for line in text.splitlines() if line.startswith("┃"))
    assert _cells(header)[0] == "Tệp"
    assert "q1.xlsx" in text and "q2.xlsx" in text


def test_findings_text_is_not_markup() -> None:
    issues = [_issue("not-a-number", Severity.ERROR, "[red]Khoa[/red]", 3, "C",
                     "Ô có [bold]chữ[/bold]", value="[x]")]
    text = _render(report.print_findings, issues, width=160)
    assert "[red]Khoa[/red]!C3" in text and "Ô có [bold]chữ[/bold]" in text and "[x]" in text


def test_no_findings() -> None:
    assert _render(report.print_findings, []).strip() == "Không có lỗi hay cảnh báo nào."


# ----------------------------------------------------------------------------------------------
# Explain
# ----------------------------------------------------------------------------------------------


def test_explain_lists_steps(result: ScoreResult) -> None:
    text = _render(present_score.print_explain, result.people[0], width=160)
    lines = [line.rstrip() for line in text.splitlines()]
    assert lines[0] == "Nguyễn Thị Ánh – mã NV 0012 – Khoa Nội"
    assert lines[1] == 'Nguồn: quy-4-2026.xlsx, sheet "Khoa Nội", dòng 8'
    assert lines[2] == "1. Tiêu chí CS: Chấp hành chính sách: 30/30 điểm (Khoa chấm)."
    assert lines[3] == "   Căn cứ: Quy chế"
    assert lines[4] == "2. Điểm cộng: 2 điểm (tối đa 10) → tính 2 điểm."
    assert lines[5] == "3. Xếp loại theo điểm: 99,33 ≥ 90 → HTXSNV."
    assert lines[6] == "   Căn cứ: QĐ 366-QĐ/TW"
    assert lines[7] == (
        "Kết quả: 99,33 điểm; theo điểm HTXSNV; xếp loại Hoàn thành xuất sắc nhiệm vụ (HTXSNV), "
        "loại A; hạng 1 trong khoa/phòng, hạng 1 toàn viện."
    )


def test_explain_without_steps_shows_the_arithmetic(result: ScoreResult) -> None:
    text = _render(present_score.print_explain, result.people[1], width=160)
    assert "Điểm tiêu chí: CS 28 + CM 45 + TD 19 = 92" in text
    assert "Điểm cộng tính 0, điểm trừ 0." in text
    assert "- Bằng điểm ở ngưỡng trần HTXSNV: chờ Hội đồng xét" in text
    assert text.rstrip().endswith(
        "Kết quả: 92 điểm; theo điểm HTXSNV; xếp loại Chờ Hội đồng xét (PENDING_COUNCIL); "
        "hạng 1 trong khoa/phòng, hạng 2 toàn viện."
    )


def test_explain_does_not_repeat_the_core_result_step(result: ScoreResult) -> None:
    from dataclasses import replace

    pr = replace(result.people[0], steps=(*STEPS, ExplainStep("Kết quả", "Hoàn thành xuất sắc "
                                                              "nhiệm vụ (HTXSNV), loại A.")))
    text = _render(present_score.print_explain, pr, width=160)
    assert text.count("Kết quả") == 1
    assert "4. Kết quả: Hoàn thành xuất sắc nhiệm vụ (HTXSNV), loại A." in text


def test_explain_wraps_under_its_step(result: ScoreResult) -> None:
    from dataclasses import replace

    long = ExplainStep("Trần HTXSNV", "chữ " * 40, "NĐ 48/2023/NĐ-CP")
    pr = replace(result.people[0], steps=(long,))
    lines = _render(present_score.print_explain, pr, width=60).splitlines()
    end = next(i for i, line in enumerate(lines) if line.startswith("Kết quả"))
    step = lines[2:end]
    assert len(step) >= 3
    assert step[0].startswith("1. Trần HTXSNV: chữ")
    assert all(line.startswith("   ") for line in step[1:])  # hanging indent
    assert step[-1].rstrip() == "   Căn cứ: NĐ 48/2023/NĐ-CP"


def test_person_inputs_are_the_sheet_values_unrounded(regulation: Regulation) -> None:
    from dataclasses import replace

    from thidua_cli.model import Discipline, Gender

    sheet_person = _person(
        "0031", "Phạm Thu Hà", "Khoa Nội", 12, gender=Gender.FEMALE,
        recruited_on=date(2026, 5, 4), leave_days=3.5, maternity_days=61.0,
        discipline=Discipline.KHIEN_TRACH,
        initiatives=2, research=1, registered=True, note="chuyển từ Khoa Ngoại",
        bonus=12.345, deduction=0.125,
    )
    sheet_person = replace(sheet_person, scores={"CS": 29.125, "CM": 48.456})
    pr = PersonResult(
        person=sheet_person, points={"CS": 29.125, "CM": 48.456, "TD": 0.0},
        criteria_sum=77.581, bonus_counted=10.0, deduction_counted=0.125, total=87.46,
        band=Rating.HTTNV, rating=Rating.HTTNV, peer_group=STAFF,
    )
    base = make_result(regulation)
    data = present_score.score_json(replace(base, people=(pr,)), RUN)
    person = data["people"][0]
    assert person["bonus"] == 10.0 and person["points"]["CM"] == 48.46  # counted, rounded
    assert person["inputs"] == {
        "scores": {"CS": 29.125, "CM": 48.456, "TD": None},
        "bonus": 12.345,
        "deduction": 0.125,
        "gender": "nu",
        "recruited_on": "2026-05-04",
        "leave_days": 3.5,
        "maternity_days": 61.0,
        "discipline": "khien-trach",
        "initiatives": 2,
        "research": 1,
        "registered": True,
        "manager_inferred": False,
        "note": "chuyển từ Khoa Ngoại",
        "left_on": None, "absence_reason": "", "achievement": "", "adhoc_award": "",
        "injury_days": 0.0, "training_days": 0.0, "contract_from": None,
        "discipline_ended_on": None, "moved_in_on": None, "previous_opinion": "",
        "tasks_done": None, "tasks_exceeded": None,
    }
