"""core/forms.py, the pure rules of ``thidua forms`` and ``thidua collect`` (issue 14): who goes
on which form, file and sheet names, the identity round trip, recognising a returned file and
choosing the submission that counts."""

from __future__ import annotations

from datetime import datetime

from thidua_cli.core.forms import (
    FORM_MARK,
    FormIdentity,
    PeopleMatch,
    StaffIndex,
    Submission,
    callback_list,
    choose_latest,
    department_from_title,
    department_of_people,
    form_file_names,
    group_by_department,
    parse_identity,
    period_slug,
    recognise_department,
    sheet_name,
    slug,
)
from thidua_cli.model import Period, PeriodKind, Person, SourceRow

Q4 = Period(PeriodKind.QUARTER, 2026, 4)


def _person(staff_id: str, department: str, row: int = 2) -> Person:
    return Person(staff_id=staff_id, name=f"Người {staff_id}", department=department,
                  source=SourceRow("nhan-su.xlsx", "DS", row), scores={})


# --- grouping and names -------------------------------------------------------------------------


def test_group_by_department_regulation_order_first_then_first_seen() -> None:
    people = [_person("1", "Khoa Ngoại"), _person("2", "khoa nội"), _person("3", "Phòng KHTH"),
              _person("4", "Khoa Nội"), _person("5", "Khoa Ngoại")]
    groups = group_by_department(people, order=["Khoa Nội", "Khoa Dược", "Khoa Ngoại"])
    # Khoa Nội (rank 0), Khoa Ngoại (rank 2); Khoa Dược has nobody: no form; Phòng KHTH is not
    # in the regulation: after them. "khoa nội" is Khoa Nội, spelt as the regulation spells it.
    assert [(d, [p.staff_id for p in ps]) for d, ps in groups] == [
        ("Khoa Nội", ["2", "4"]), ("Khoa Ngoại", ["1", "5"]), ("Phòng KHTH", ["3"])]


def test_group_by_department_without_order_keeps_the_lists_order_and_first_spelling() -> None:
    people = [_person("1", "phòng tổ chức"), _person("2", "Khoa Nhi"), _person("3", "Phòng Tổ chức")]
    assert [(d, len(ps)) for d, ps in group_by_department(people)] == [
        ("phòng tổ chức", 2), ("Khoa Nhi", 1)]


def test_file_names_fold_accents_and_number_twins() -> None:
    assert slug("Khoa Nội tổng hợp") == "khoa-noi-tong-hop"
    assert slug("Đơn vị (Đ/v) 1") == "don-vi-d-v-1"
    assert slug("***") == "khoa-phong"
    assert period_slug(Q4) == "quy-4-2026"
    assert period_slug(Period(PeriodKind.YEAR, 2026)) == "nam-2026"
    assert period_slug(Period(PeriodKind.MONTH, 2026, 3)) == "thang-3-2026"
    # "Khoa Nội" and "Khoa Nôi" fold alike: the second gets "-2", the third "-3".
    assert form_file_names(["Khoa Nội", "Khoa Nôi", "Khoa Ngoại", "KHOA NỘI"], Q4) == [
        "khoa-noi.quy-4-2026.xlsx", "khoa-noi-2.quy-4-2026.xlsx", "khoa-ngoai.quy-4-2026.xlsx",
        "khoa-noi-3.quy-4-2026.xlsx"]


def test_sheet_name_is_valid_for_excel_and_unique() -> None:
    assert sheet_name("Khoa Hồi sức / Chống độc [ICU]") == "Khoa Hồi sức - Chống độc -ICU-"
    long = "Khoa Phẫu thuật gây mê hồi sức và điều trị đau"
    assert sheet_name(long) == long[:31] and len(sheet_name(long)) == 31
    # Taken (case-blind): " (2)" replaces the tail so that the name stays within 31.
    assert sheet_name(long, [long[:31].upper()]) == long[:27] + " (2)"
    assert sheet_name("Hướng dẫn", ["Hướng dẫn", "Hướng dẫn (2)"]) == "Hướng dẫn (3)"


# --- the identity of a form ------------------------------------------------------------------


def test_identity_round_trip() -> None:
    identity = FormIdentity(1, "Khoa Nội", Q4, 37, "Nguyễn Văn An (Trưởng khoa)")
    rows = identity.rows()
    assert rows[0] == ("form", FORM_MARK)
    assert ("period", "2026-Q4") in rows
    assert parse_identity(rows) == identity
    # As read back from a workbook: numbers as floats, a blank contact, extra rows ignored.
    read_back = [["form", FORM_MARK], ["version", 1.0], ["department", " Khoa  Nội "],
                 ["period", "2026-Q4"], ["staff", 37.0], ["contact", ""], ["ghi chú", "x"]]
    assert parse_identity(read_back) == FormIdentity(1, "Khoa Nội", Q4, 37, "")


def test_identity_refuses_what_it_does_not_recognise() -> None:
    good = dict(FormIdentity(1, "Khoa Nội", Q4, 3).rows())

    def parsed(**changes: str) -> FormIdentity | None:
        return parse_identity(list({**good, **changes}.items()))

    assert parsed() is not None
    assert parsed(form="something-else") is None
    assert parsed(version="2") is None  # a later form version: not guessed
    assert parsed(version="một") is None
    assert parsed(period="không rõ") is None
    assert parsed(department="") is None
    assert parse_identity([]) is None


# --- recognising a returned file -------------------------------------------------------------


def test_department_from_title_rows() -> None:
    rows = [["BỆNH VIỆN ĐA KHOA"], ["", "Khoa/Phòng:  Khoa  Nội "], ["Mã NV", "Họ và tên"]]
    assert department_from_title(rows) == "Khoa Nội"
    assert department_from_title([["khoa phong: Khoa Nhi"]]) == "Khoa Nhi"
    assert department_from_title([["Đơn vị: Phòng Tài chính"]]) == "Phòng Tài chính"
    assert department_from_title([["Khoa/Phòng:"]]) is None  # nothing after the colon
    # Only the first rows are titles (limit 10).
    assert department_from_title([[""]] * 10 + [["Khoa/Phòng: Khoa Nội"]]) is None


def test_recognise_department_order_key_and_file_names() -> None:
    known = ["Khoa Nội", "Khoa Nội tiết", "Khoa Ngoại"]
    # The first candidate that is a known department wins (by key).
    assert recognise_department([("Sheet1", "tên sheet"), ("khoa ngoai", "tên tệp")], known) == (
        "Khoa Ngoại", "tên tệp")
    assert recognise_department([("KHOA NỘI", "dòng tiêu đề")], known) == (
        "Khoa Nội", "dòng tiêu đề")
    # A file name: whole words, the longest name first ("Khoa Nội tiết", not "Khoa Nội").
    assert recognise_department([("khoa-noi-tiet.quy-4-2026", "tên tệp")], known) == (
        "Khoa Nội tiết", "tên tệp")
    assert recognise_department([("Bang diem khoa noi (gui lai)", "tên tệp")], known) == (
        "Khoa Nội", "tên tệp")
    # Words glued together are not the name's words.
    assert recognise_department([("khoanoi", "tên tệp")], known) is None
    assert recognise_department([], known) is None
    # No known list: the first candidate as written.
    assert recognise_department([("Khoa Dược", "dòng tiêu đề")], []) == ("Khoa Dược", "dòng tiêu đề")


STAFF = StaffIndex.of([
    ("NV01", "Nguyễn Văn An", "Khoa Nội"), ("NV02", "Trần Thị Bình", "Khoa Nội"),
    ("NV03", "Lê Văn Cường", "Khoa Nội"), ("2201", "Phạm Thị Dung", "Khoa Ngoại"),
    ("NV05", "Hoàng Văn Em", "Khoa Ngoại"),
    ("NV06", "Lê Văn Cường", "Khoa Ngoại"),  # a name two people share: not matched by name
])


def test_staff_index_keeps_unique_names_only() -> None:
    assert STAFF.by_id["nv01"] == ("NV01", "Khoa Nội")
    assert "le van cuong" not in STAFF.by_name and "lê văn cường" not in STAFF.by_name
    assert set(STAFF.by_name.values()) >= {("NV01", "Khoa Nội"), ("2201", "Khoa Ngoại")}
    assert not StaffIndex.of([]) and STAFF


def test_department_of_people_majority_and_share() -> None:
    # NV01 by ID and by name (once), nv02 (case), "Trần  Thị Bình" is NV02 again, 2201 typed as
    # a number (Khoa Ngoại), "Lê Văn Cường" shared (not counted), NV99 unknown:
    # people found NV01, NV02, 2201 → Khoa Nội 2, Khoa Ngoại 1: 2 × 2 > 3.
    cells = ["Mã NV", "NV01", "Nguyễn Văn An", "nv02", "Trần  Thị Bình", 2201.0, "Lê Văn Cường",
             "NV99", 8, None, ""]
    match = department_of_people(cells, STAFF)
    assert match == PeopleMatch("Khoa Nội", 3, (("Khoa Nội", 2), ("Khoa Ngoại", 1)))
    assert match.share == "2/3 người (67 %)"  # 200 / 3 = 66.7 → 67


def test_department_of_people_half_is_no_answer() -> None:
    match = department_of_people(["NV01", "NV02", "2201", "NV05"], STAFF)
    # 2 against 2: 2 × 2 = 4 is not more than 4.
    assert match.department is None and match.found == 4
    assert match.describe() == "Khoa Ngoại 2 người, Khoa Nội 2 người"  # ties by name
    nobody = department_of_people(["Mã NV", "X1", 3.5], STAFF)
    assert nobody == PeopleMatch(None, 0, ()) and nobody.share == "0/0 người (0 %)"


# --- choosing the submission that counts -------------------------------------------------------


def _sub(path: str, when: datetime | None, sha: str, department: str | None = "Khoa Nội"
         ) -> Submission:
    return Submission(path, sha, department, Q4, "tên tệp", when)


def test_choose_latest_by_content_date() -> None:
    old = _sub("a.xlsx", datetime(2026, 12, 18, 8), "s1")
    new = _sub("b.xlsx", datetime(2026, 12, 19, 8), "s2")
    other = _sub("c.xlsx", datetime(2026, 12, 1), "s3", "khoa ngoại")
    undated = _sub("d.xlsx", None, "s4")
    nobody = _sub("e.xlsx", datetime(2026, 12, 30), "s5", None)  # not recognised: not chosen
    kept, superseded = choose_latest([undated, new, old, other, nobody])
    assert {k: [s.path for s in v] for k, v in kept.items()} == {
        "khoa nội": ["b.xlsx"], "khoa ngoại": ["c.xlsx"]}
    # Sorted by the superseded file; an undated one loses to any dated one.
    assert [(o.path, n.path) for o, n in superseded] == [("a.xlsx", "b.xlsx"),
                                                         ("d.xlsx", "b.xlsx")]


def test_choose_latest_ties_of_saved_time() -> None:
    when = datetime(2026, 12, 19, 8)
    # Two different files saved at the same second: both kept (not guessed), in path order.
    kept, superseded = choose_latest([_sub("z.xlsx", when, "s1"), _sub("m.xlsx", when, "s2")])
    assert [s.path for s in kept["khoa nội"]] == ["m.xlsx", "z.xlsx"] and superseded == []
    # The same bytes sent twice: one submission, the other superseded by it.
    kept, superseded = choose_latest([_sub("z.xlsx", when, "s1"), _sub("m.xlsx", when, "s1")])
    assert [s.path for s in kept["khoa nội"]] == ["m.xlsx"]
    assert [(o.path, n.path) for o, n in superseded] == [("z.xlsx", "m.xlsx")]
    # Two undated files: a tie too.
    kept, _ = choose_latest([_sub("b.xlsx", None, "s1"), _sub("a.xlsx", None, "s2")])
    assert [s.path for s in kept["khoa nội"]] == ["a.xlsx", "b.xlsx"]


def test_callback_list_errors_first_then_missing() -> None:
    rows = {"Khoa Nội": (0, 2, True), "Khoa Nhi": (0, 0, False), "Khoa Ngoại": (3, 0, True),
            "Khoa Dược": (0, 0, False)}
    assert callback_list(rows) == ["Khoa Ngoại", "Khoa Nhi", "Khoa Dược"]
