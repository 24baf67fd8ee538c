"""regulation.py: the shipped default, merging a user's file over it, loud validation."""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thidua_cli.core.rulesets import TITLE_CODES
from thidua_cli.errors import ExitCode, RegulationError
from thidua_cli.model import Criterion, PeriodKind
from thidua_cli.regulation import (
    DEFAULT_SOURCE,
    STAGE_SECTIONS,
    Checker,
    deep_merge,
    default_regulation,
    default_toml_text,
    load_regulation,
    parse_regulation,
    suggest_key,
)

SRC = "/data/quy-che.toml"  # a source name for parse_regulation: messages say "tệp quy-che.toml"


def problems(text: str) -> list[str]:
    """The "- tệp …" lines of the RegulationError raised for ``text``."""
    with pytest.raises(RegulationError) as info:
        parse_regulation(text, SRC)
    assert info.value.exit_code == ExitCode.REGULATION == 3
    return [line for line in info.value.message.splitlines() if line.startswith("- ")]


def only_problem(text: str) -> str:
    lines = problems(text)
    assert len(lines) == 1, lines
    return lines[0]


# ---------------------------------------------------------------------------------------------
# The default
# ---------------------------------------------------------------------------------------------


def test_default_values() -> None:
    r = default_regulation()
    assert r.source == "quy chế mặc định (tích hợp sẵn)" == DEFAULT_SOURCE
    assert r.sha256 == hashlib.sha256(default_toml_text().encode("utf-8")).hexdigest()
    assert r.name
    o = r.organisation
    assert (o.name, o.parent, o.abbreviation, o.place) == (
        "BỆNH VIỆN ĐA KHOA TỈNH AN BÌNH",
        "SỞ Y TẾ TỈNH AN BÌNH",
        "BV",
        "An Bình",
    )
    assert (o.personnel_office, o.personnel_abbreviation, o.director_title) == (
        "Phòng Tổ chức cán bộ",
        "TCCB",
        "GIÁM ĐỐC",
    )
    assert o.departments == () and o.exceptional_unit is False

    chs, cm, td = "Chấp hành chính sách và nội quy", "Chuyên môn nghiệp vụ", "Tinh thần thái độ phục vụ"
    assert r.criteria == (
        Criterion("CS1", "Chấp hành chủ trương, chính sách, pháp luật", chs, 10),
        Criterion("CS2", "Chấp hành nội quy, quy chế của bệnh viện", chs, 10),
        Criterion("CM1", "Khối lượng, tiến độ công việc", cm, 15),
        Criterion("CM2", "Chất lượng chuyên môn", cm, 15),
        Criterion("CM3", "Hồ sơ bệnh án, an toàn người bệnh", cm, 10),
        Criterion("TD1", "Quy tắc ứng xử, y đức", td, 10),
        Criterion("TD2", "Sự hài lòng của người bệnh", td, 10),
        Criterion("HT1", "Học tập, đào tạo liên tục", "Học tập nâng cao trình độ", 10),
        Criterion("PT1", "Tham gia phong trào, hoạt động đoàn thể", "Tham gia phong trào", 10),
    )
    assert r.max_total == 100
    assert all(isinstance(c.max_points, float) for c in r.criteria)

    s = r.scoring
    assert (s.bonus_cap, s.deduction_cap, s.total_min, s.total_max, s.decimals) == (10, None, 0, 100, 2)
    assert isinstance(s.decimals, int)
    assert (r.bands.htxsnv, r.bands.httnv, r.bands.htnv) == (90, 70, 50)

    ov = r.overrides
    assert ov.discipline_forces_khtnv is True
    assert (ov.min_months_worked_year, ov.absence_months_cap_low, ov.absence_months_cap_high) == (6, 3, 6)
    assert (ov.min_share_worked_period, ov.working_days_per_month) == (0.5, 22)

    c = r.cap
    assert c.enabled_for(PeriodKind.YEAR) and c.enabled_for(PeriodKind.QUARTER)
    assert c.enabled_for(PeriodKind.MONTH)
    assert (c.rate, c.exceptional_rate, c.scope, c.denominator) == (0.20, 0.25, "hospital", "htt_or_better")
    assert (c.managers_apart, c.split_by_group, c.infer_manager_from_position) == (True, True, False)
    assert c.manager_positions == (
        "Giám đốc",
        "Phó giám đốc",
        "Trưởng khoa",
        "Phó trưởng khoa",
        "Trưởng phòng",
        "Phó trưởng phòng",
        "Điều dưỡng trưởng",
        "Kỹ thuật viên trưởng",
        "Hộ sinh trưởng",
    )

    v = r.validation
    assert (v.count_hidden_rows, v.count_struck_rows, v.max_leave_days_year, v.same_name_warning) == (
        True,
        False,
        261,
        True,
    )
    assert v.blank_score_is_zero is False


def test_load_none_is_the_default() -> None:
    assert load_regulation(None) == default_regulation()


def test_default_text_cites_the_legal_basis_in_vietnamese() -> None:
    text = default_toml_text()
    for basis in ("366-QĐ/TW", "48/2023/NĐ-CP", "90/2020/NĐ-CP", "06/2022/QH15", "30/2020/NĐ-CP"):
        assert basis in text
    assert "# deduction_cap = 20" in text  # the "no cap" convention is shown, commented out
    # Every key of the default is documented by a comment line somewhere above it.
    assert text.count("\n#") > 100


def test_stage_sections_registry_and_marked_place_in_the_default() -> None:
    assert {"awards", "money", "council", "documents"} <= set(STAGE_SECTIONS)
    text = default_toml_text()
    assert "[awards], [money], [council]" in text and "[documents]" in text


def test_empty_user_file_equals_the_default_but_for_source_and_hash() -> None:
    r = parse_regulation("", SRC)
    d = default_regulation()
    assert r.source == SRC and r.sha256 == hashlib.sha256(b"").hexdigest()
    assert (r.organisation, r.criteria, r.scoring, r.bands, r.overrides, r.cap, r.validation) == (
        d.organisation,
        d.criteria,
        d.scoring,
        d.bands,
        d.overrides,
        d.cap,
        d.validation,
    )


# ---------------------------------------------------------------------------------------------
# A user's file over the default
# ---------------------------------------------------------------------------------------------


def test_user_file_overrides_one_value(tmp_path: Path) -> None:
    path = tmp_path / "quy-che.toml"
    data = b"[cap]\nrate = 0.15\n"
    path.write_bytes(data)
    r = load_regulation(path)
    d = default_regulation()
    assert r.cap.rate == 0.15
    assert r.cap.exceptional_rate == 0.25 and r.cap.scope == "hospital"  # the rest of [cap] kept
    assert r.bands == d.bands and r.criteria == d.criteria and r.organisation == d.organisation
    assert r.source == str(path)
    assert r.sha256 == hashlib.sha256(data).hexdigest()


def test_arrays_replace_wholesale_and_tables_merge() -> None:
    r = parse_regulation(
        """
name = "Quy chế năm 2026"
[organisation]
name = "BỆNH VIỆN NHI TỈNH AN BÌNH"
departments = ["Khoa Nội", "Phòng Tổ chức cán bộ"]
exceptional_unit = true

[[criteria]]
code = "A"
name = "Chuyên môn"
group = "Chung"
max_points = 60

[[criteria]]
code = "B"
name = "Thái độ"
group = "Chung"
max_points = 40.5

[scoring]
total_max = 100.5
deduction_cap = 20
""",
        SRC,
    )
    assert r.name == "Quy chế năm 2026"
    assert r.organisation.name == "BỆNH VIỆN NHI TỈNH AN BÌNH"
    assert r.organisation.parent == "SỞ Y TẾ TỈNH AN BÌNH"  # merged key by key
    assert r.organisation.departments == ("Khoa Nội", "Phòng Tổ chức cán bộ")
    assert r.organisation.exceptional_unit is True
    assert [c.code for c in r.criteria] == ["A", "B"]  # the 9 default criteria are gone
    assert r.max_total == 100.5 and r.scoring.deduction_cap == 20


def test_deduction_cap_false_means_no_cap() -> None:
    assert parse_regulation("[scoring]\ndeduction_cap = false\n", SRC).scoring.deduction_cap is None


def test_text_values_are_normalised_to_nfc_single_spaces() -> None:
    nfd = "Khoa Nội"  # NFD, as typed on macOS
    r = parse_regulation(f'[organisation]\ndepartments = ["  {nfd}  tổng hợp "]\n', SRC)
    assert r.organisation.departments == ("Khoa Nội tổng hợp",)


def test_stage_sections_are_typed_and_merged_over_the_default() -> None:
    r = parse_regulation(
        '[awards.ldtt]\nmin_months = 10\n[documents]\ntemplates = \'C:\\Mau\'\n', SRC
    )
    # The user's keys are merged over the default tables of those sections.
    assert r.awards.ldtt.min_months == 10
    assert r.documents.templates == "C:\\Mau"
    default = default_regulation()
    assert r.awards.ldtt.require_registration == default.awards.ldtt.require_registration
    assert (r.money, r.council) == (default.money, default.council)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('[documents]\nsigner_nam = "A"\n',
         "- tệp quy-che.toml, khoá `documents.signer_nam` (dòng 2): không có khoá này trong mục "
         "[documents]. Có phải ý bạn là `documents.signer`?"),
        ("[awards]\nwomen_first = false\nmin_monthz = 3\n",
         "- tệp quy-che.toml, khoá `awards.min_monthz` (dòng 3): không có khoá này trong mục "
         "[awards]; khoá này thuộc mục [awards.ldtt]. Có phải ý bạn là `awards.ldtt.min_months`?"),
        ("[awards.ldtt]\nmin_monthz = 3\n",
         "- tệp quy-che.toml, khoá `awards.ldtt.min_monthz` (dòng 2): không có khoá này trong mục "
         "[awards.ldtt]. Có phải ý bạn là `awards.ldtt.min_months`?"),
        ("[money]\nrounding_stepp = 1000\n",
         "- tệp quy-che.toml, khoá `money.rounding_stepp` (dòng 2): không có khoá này trong mục "
         "[money]. Có phải ý bạn là `money.rounding_step`?"),
        ("[council]\nmemberz = 9\n",
         "- tệp quy-che.toml, khoá `council.memberz` (dòng 2): không có khoá này trong mục "
         "[council]. Có phải ý bạn là `council.members`?"),
        ("[council.thresholds]\nCSTDSC = 0.8\n",
         "- tệp quy-che.toml, khoá `council.thresholds.CSTDSC` (dòng 2): không có khoá này trong "
         "mục [council.thresholds]. Có phải ý bạn là `council.thresholds.CSTDCS`?"),
        ("[cap]\nrat = 0.3\n",
         "- tệp quy-che.toml, khoá `cap.rat` (dòng 2): không có khoá này trong mục [cap]. "
         "Có phải ý bạn là `cap.rate`?"),
    ],
)
def test_a_misspelt_key_in_any_section_is_refused_with_line_and_suggestion(
    text: str, line: str
) -> None:
    assert problems(text) == [line]


def test_stage_section_values_are_checked() -> None:
    found = problems(
        '[awards.ldtt]\nmin_months = "sáu"\n[money]\nrounding_step = 5000\n'
        '[documents]\nname_order = "ho-ten"\nrecipients = "Như Điều 3"\n'
        'council_members = [{ role = "x" }]\nballot_titles = ["CSTD_CS"]\n'
    )
    assert found == [
        '- tệp quy-che.toml, khoá `awards.ldtt.min_months` (dòng 2): phải là một số nguyên (ví dụ '
        '2) nhưng đang là văn bản "sáu".',
        "- tệp quy-che.toml, khoá `money.rounding_step` (dòng 4): chỉ nhận một trong: 1, 1000, "
        "10000 (đồng), nhưng đang là số 5000.",
        "- tệp quy-che.toml, khoá `documents.recipients` (dòng 7): phải là một danh sách văn bản, "
        'ví dụ ["…", "…"], nhưng đang là văn bản "Như Điều 3".',
        '- tệp quy-che.toml, khoá `documents.ballot_titles` (dòng 9): không có danh hiệu "CSTD_CS" '
        "(dùng mã: " + ", ".join(TITLE_CODES) + '). Có phải ý bạn là "CSTDCS"?',
        "- tệp quy-che.toml, khoá `documents.council_members[1]`: cần họ tên (name) của thành viên.",
        '- tệp quy-che.toml, khoá `documents.name_order` (dòng 6): "ho-ten" không hợp lệ; chỉ nhận '
        '"ten-ho-dem" hoặc "ten-dem-ho" hoặc "ho-dem-ten". Có phải ý bạn là "ho-dem-ten"?',
    ]


def test_deep_merge_does_not_touch_its_inputs() -> None:
    base = {"a": {"x": 1, "y": [1, 2]}, "b": [{"k": 1}]}
    over = {"a": {"y": [3]}, "b": [{"k": 2}, {"k": 3}]}
    merged = deep_merge(base, over)
    assert merged == {"a": {"x": 1, "y": [3]}, "b": [{"k": 2}, {"k": 3}]}
    merged["a"]["x"] = 99
    assert base == {"a": {"x": 1, "y": [1, 2]}, "b": [{"k": 1}]}
    assert over == {"a": {"y": [3]}, "b": [{"k": 2}, {"k": 3}]}


# ---------------------------------------------------------------------------------------------
# Validation messages (exact)
# ---------------------------------------------------------------------------------------------


def test_unknown_key_with_suggestion_and_line() -> None:
    assert only_problem("[cap]\nrat = 0.3\n") == (
        "- tệp quy-che.toml, khoá `cap.rat` (dòng 2): không có khoá này trong mục [cap]. "
        "Có phải ý bạn là `cap.rate`?"
    )


def test_key_written_in_the_wrong_table_is_pointed_to_its_place() -> None:
    assert only_problem("[scoring]\nrate = 0.2\n") == (
        "- tệp quy-che.toml, khoá `scoring.rate` (dòng 2): không có khoá này trong mục [scoring]; "
        "khoá này thuộc mục [cap]. Có phải ý bạn là `cap.rate`?"
    )


def test_unknown_section_and_unknown_top_level_key() -> None:
    assert problems("nam = 2026\n[capp]\nrate = 0.2\n[xyz]\na = 1\n") == [
        "- tệp quy-che.toml, khoá `nam` (dòng 1): không có khoá này ở đầu tệp (ngoài các mục). "
        "Có phải ý bạn là `name`?",
        "- tệp quy-che.toml, khoá `capp` (dòng 2): không có mục [capp] trong quy chế. "
        "Có phải ý bạn là `cap`?",
        "- tệp quy-che.toml, khoá `xyz` (dòng 4): không có mục [xyz] trong quy chế. Các khoá được "
        "dùng: name, criteria, organisation, scoring, bands, overrides, cap, validation, awards, "
        "money, council, documents, events, posts, publish, kpi, income, cluster, union.",
    ]


def test_unknown_key_in_a_criterion() -> None:
    text = '[[criteria]]\ncode = "A"\nname = "X"\ngroup = "G"\nmax_points = 100\nmax = 5\n'
    assert only_problem(text) == (
        "- tệp quy-che.toml, khoá `criteria[1].max` (dòng 6): không có khoá này trong khối "
        "[[criteria]] thứ 1. Có phải ý bạn là `criteria[1].max_points`?"
    )


def test_wrong_types() -> None:
    assert problems(
        'name = 5\n[cap]\nrate = "20%"\nmanagers_apart = "có"\nmanager_positions = "Trưởng khoa"\n'
        "enabled_year = 1\n[scoring]\ndecimals = 2.0\nbonus_cap = true\ntotal_max = \"100\"\n"
    ) == [
        '- tệp quy-che.toml, khoá `name` (dòng 1): phải là văn bản trong ngoặc kép (ví dụ "…") '
        "nhưng đang là số 5.",
        "- tệp quy-che.toml, khoá `scoring.bonus_cap` (dòng 9): phải là một số (ví dụ 10), không "
        "phải giá trị true.",
        "- tệp quy-che.toml, khoá `scoring.total_max` (dòng 10): phải là một số, không phải văn "
        "bản: bỏ ngoặc kép, ghi `total_max = 100`.",
        "- tệp quy-che.toml, khoá `scoring.decimals` (dòng 8): phải là số nguyên: ghi 2 (không có "
        "phần thập phân).",
        "- tệp quy-che.toml, khoá `cap.enabled_year` (dòng 6): phải là true hoặc false (không dùng "
        "0/1): ghi true.",
        '- tệp quy-che.toml, khoá `cap.rate` (dòng 3): phải là một số, không phải văn bản "20%": '
        "tỷ lệ ghi bằng số thập phân, ví dụ `rate = 0.2` (tức 20 %).",
        "- tệp quy-che.toml, khoá `cap.managers_apart` (dòng 4): phải là true hoặc false, viết "
        "không có ngoặc kép: ghi true.",
        "- tệp quy-che.toml, khoá `cap.manager_positions` (dòng 5): phải là một danh sách trong "
        'ngoặc vuông, ví dụ ["Trưởng khoa"], nhưng đang là một văn bản.',
    ]


def test_a_section_written_as_a_value() -> None:
    assert only_problem("cap = 0.2\n") == (
        "- tệp quy-che.toml, khoá `cap` (dòng 1): phải là một mục (bảng) nhưng đang là số 0.2; "
        "hãy viết thành mục [cap] với các khoá bên dưới."
    )


def test_out_of_range_values() -> None:
    assert problems(
        "[cap]\nrate = 20\nexceptional_rate = -0.1\nscope = \"khoa\"\ndenominator = \"htt\"\n"
        "[overrides]\nmin_share_worked_period = 50\nworking_days_per_month = 0\n"
        "[scoring]\ndecimals = 7\ndeduction_cap = 0\nbonus_cap = -1\n"
        "[validation]\nmax_leave_days_year = 400\n"
    ) == [
        "- tệp quy-che.toml, khoá `scoring.bonus_cap` (dòng 12): phải từ 0 trở lên, nhưng đang "
        "là -1. Ghi 0 nếu không tính điểm cộng.",
        "- tệp quy-che.toml, khoá `scoring.deduction_cap` (dòng 11): phải lớn hơn 0, nhưng đang là "
        "0. Muốn không giới hạn điểm trừ thì xoá dòng này hoặc ghi deduction_cap = false.",
        "- tệp quy-che.toml, khoá `scoring.decimals` (dòng 10): phải nằm trong khoảng từ 0 đến 4, "
        "nhưng đang là 7.",
        "- tệp quy-che.toml, khoá `overrides.min_share_worked_period` (dòng 7): phải nằm trong "
        "khoảng từ 0 đến 1, nhưng đang là 50. Ghi bằng số thập phân: 0.5 nghĩa là một nửa số ngày "
        "làm việc của kỳ.",
        "- tệp quy-che.toml, khoá `overrides.working_days_per_month` (dòng 8): phải lớn hơn 0 và "
        "không quá 31, nhưng đang là 0.",
        "- tệp quy-che.toml, khoá `cap.rate` (dòng 2): phải nằm trong khoảng từ 0 đến 1, nhưng "
        "đang là 20. Tỷ lệ ghi bằng số thập phân: 0.20 nghĩa là 20 %.",
        "- tệp quy-che.toml, khoá `cap.exceptional_rate` (dòng 3): phải nằm trong khoảng từ 0 đến "
        "1, nhưng đang là -0.1. Tỷ lệ ghi bằng số thập phân: 0.20 nghĩa là 20 %.",
        '- tệp quy-che.toml, khoá `cap.scope` (dòng 4): "khoa" không hợp lệ; chỉ nhận "hospital" '
        'hoặc "department". Có phải ý bạn là "department"?',
        '- tệp quy-che.toml, khoá `cap.denominator` (dòng 5): "htt" không hợp lệ; chỉ nhận '
        '"htt_or_better" hoặc "htt_only".',
        "- tệp quy-che.toml, khoá `validation.max_leave_days_year` (dòng 14): phải lớn hơn 0 và "
        "không quá 366, nhưng đang là 400.",
    ]


def test_deduction_cap_true_is_refused() -> None:
    assert only_problem("[scoring]\ndeduction_cap = true\n") == (
        "- tệp quy-che.toml, khoá `scoring.deduction_cap` (dòng 2): ghi một số, hoặc false (hay "
        "xoá dòng này) nghĩa là không giới hạn; true không có nghĩa ở đây."
    )


def test_unordered_bands_blame_the_key_the_user_wrote() -> None:
    assert only_problem("[bands]\nhttnv = 95\n") == (
        "- tệp quy-che.toml, khoá `bands.httnv` (dòng 2): các ngưỡng phải giảm dần htxsnv > httnv "
        "> htnv (hiện là htxsnv = 90, httnv = 95, htnv = 50): ngưỡng Hoàn thành tốt nhiệm vụ phải "
        "thấp hơn ngưỡng Hoàn thành xuất sắc nhiệm vụ."
    )
    assert only_problem("[bands]\nhtxsnv = 60\n") == (
        "- tệp quy-che.toml, khoá `bands.htxsnv` (dòng 2): các ngưỡng phải giảm dần htxsnv > httnv "
        "> htnv (hiện là htxsnv = 60, httnv = 70, htnv = 50): ngưỡng Hoàn thành tốt nhiệm vụ phải "
        "thấp hơn ngưỡng Hoàn thành xuất sắc nhiệm vụ."
    )
    assert only_problem("[bands]\nhtnv = 70\n") == (
        "- tệp quy-che.toml, khoá `bands.htnv` (dòng 2): các ngưỡng phải giảm dần htxsnv > httnv "
        "> htnv (hiện là htxsnv = 90, httnv = 70, htnv = 70): ngưỡng Hoàn thành nhiệm vụ phải "
        "thấp hơn ngưỡng Hoàn thành tốt nhiệm vụ."
    )


def test_band_above_the_scale() -> None:
    assert only_problem("[bands]\nhtxsnv = 101\n") == (
        "- tệp quy-che.toml, khoá `bands.htxsnv` (dòng 2): ngưỡng 101 nằm ngoài thang điểm từ 0 "
        "đến 100 (scoring.total_min – scoring.total_max)."
    )


def test_absence_months_must_be_ordered() -> None:
    assert only_problem("[overrides]\nabsence_months_cap_low = 7\n") == (
        "- tệp quy-che.toml, khoá `overrides.absence_months_cap_low` (dòng 2): "
        "absence_months_cap_low (7 tháng) không được lớn hơn absence_months_cap_high (6 tháng): "
        "nghỉ từ cap_low đến dưới cap_high tháng thì tối đa Hoàn thành nhiệm vụ."
    )


CRIT = '[[criteria]]\ncode = "{code}"\nname = "{name}"\ngroup = "G"\nmax_points = {pts}\n'


def test_duplicate_criterion_code_and_name() -> None:
    text = (
        CRIT.format(code="CS1", name="Một", pts=50)
        + CRIT.format(code="cs1", name="Hai", pts=30)
        + CRIT.format(code="CS3", name="một", pts=20)
    )
    assert problems(text) == [
        '- tệp quy-che.toml, khoá `criteria[2].code` (dòng 7): mã tiêu chí "cs1" bị trùng với '
        "tiêu chí thứ 1 (`criteria[1].code`); mỗi tiêu chí phải có một mã riêng.",
        '- tệp quy-che.toml, khoá `criteria[3].name` (dòng 13): tên tiêu chí "một" bị trùng với '
        "tiêu chí thứ 1; hãy đặt tên khác để cột điểm của bảng điểm được nhận ra đúng tiêu chí.",
    ]


def test_criterion_max_points_and_missing_key() -> None:
    text = CRIT.format(code="A", name="X", pts=0) + '[[criteria]]\ncode = "B"\nname = "Y"\n'
    assert problems(text) == [
        "- tệp quy-che.toml, khoá `criteria[1].max_points` (dòng 5): phải lớn hơn 0, nhưng đang "
        "là 0.",
        "- tệp quy-che.toml, khoá `criteria[2].group`: thiếu khoá này; hãy thêm dòng `group = …`.",
        "- tệp quy-che.toml, khoá `criteria[2].max_points`: thiếu khoá này; hãy thêm dòng "
        "`max_points = …`.",
    ]


def test_criteria_total_must_match_total_max() -> None:
    text = CRIT.format(code="A", name="X", pts=60) + CRIT.format(code="B", name="Y", pts=35)
    assert only_problem(text) == (
        "- tệp quy-che.toml, khoá `criteria` (dòng 1): tổng điểm tối đa các tiêu chí là 95 (A 60 + "
        "B 35) nhưng scoring.total_max = 100. Hãy sửa max_points của các tiêu chí cho tổng đủ 100, "
        "hoặc nếu quy chế của bệnh viện thật sự tính trên 95 điểm thì ghi total_max = 95 trong "
        "mục [scoring] (và xem lại các ngưỡng [bands])."
    )
    # Fixed the way the message says:
    r = parse_regulation(text + "[scoring]\ntotal_max = 95\n", SRC)
    assert r.scoring.total_max == 95 == r.max_total


def test_changing_total_max_alone_blames_total_max() -> None:
    assert only_problem("[scoring]\ntotal_max = 90\n[bands]\nhtxsnv = 85\n").startswith(
        "- tệp quy-che.toml, khoá `scoring.total_max` (dòng 2): tổng điểm tối đa các tiêu chí là "
        "100 (CS1 10 + CS2 10 + CM1 15"
    )


def test_empty_criteria_and_empty_text() -> None:
    assert problems('criteria = []\n[organisation]\nname = "  "\n') == [
        "- tệp quy-che.toml, khoá `organisation.name` (dòng 3): không được để trống; hãy ghi nội "
        "dung trong ngoặc kép.",
        "- tệp quy-che.toml, khoá `criteria` (dòng 1): danh sách tiêu chí đang trống; mỗi tiêu chí "
        "viết thành một khối [[criteria]] gồm code, name, group, max_points (xem tệp `thidua init` "
        "tạo ra).",
    ]


def test_duplicate_department() -> None:
    assert only_problem('[organisation]\ndepartments = ["Khoa Nội", "Khoa Ngoại", "khoa nội"]\n') == (
        '- tệp quy-che.toml, khoá `organisation.departments[3]`: "khoa nội" bị trùng với phần tử '
        "thứ 1 của danh sách; hãy xoá một lần."
    )


def test_all_problems_are_collected_in_one_error() -> None:
    with pytest.raises(RegulationError) as info:
        parse_regulation("[cap]\nrat = 1\nrate = 2\n[bands]\nhtnv = 80\n", SRC)
    message = info.value.message
    assert message.startswith(f"Quy chế {SRC} có 3 lỗi, chưa dùng được:\n")
    assert message.endswith("Hãy sửa tệp quy chế (mở bằng Notepad, lưu với mã UTF-8) rồi chạy lại.")
    assert message.count("\n- tệp quy-che.toml, khoá `") == 3


def test_one_problem_says_so() -> None:
    with pytest.raises(RegulationError) as info:
        parse_regulation("[cap]\nrat = 1\n", SRC)
    assert info.value.message.startswith(f"Quy chế {SRC} có một lỗi, chưa dùng được:\n- tệp")


def test_line_numbers_skip_multiline_arrays_and_comments() -> None:
    text = (
        "# rate = 1 (a comment)\n[cap]\nmanager_positions = [\n  \"Trưởng khoa\",  # [x\n"
        '  "rate = 9",\n]\nrate = 5 # [\n'
    )
    assert only_problem(text).startswith("- tệp quy-che.toml, khoá `cap.rate` (dòng 7): ")


# ---------------------------------------------------------------------------------------------
# Broken TOML
# ---------------------------------------------------------------------------------------------


def toml_error(text: str) -> str:
    with pytest.raises(RegulationError) as info:
        parse_regulation(text, SRC)
    assert info.value.exit_code == 3
    assert isinstance(info.value.__cause__, tomllib.TOMLDecodeError)
    return info.value.message


def test_broken_toml_names_line_and_column() -> None:
    assert toml_error('[organisation]\nname = Bệnh viện\n') == (
        f"Tệp quy chế {SRC} không đúng cú pháp TOML ở dòng 2, cột 8: giá trị không hợp lệ: văn "
        'bản phải đặt trong ngoặc kép ("…"), số thập phân dùng dấu chấm (0.20), có/không ghi '
        "true/false.\n    dòng 2: name = Bệnh viện\n"
        "Hãy sửa dòng đó (mở bằng Notepad) rồi chạy lại; `thidua init` tạo một tệp mẫu đúng cú pháp."
    )


def test_decimal_comma_is_explained() -> None:
    message = toml_error("[cap]\n\nrate = 0,20\n")
    assert message.startswith(
        f"Tệp quy chế {SRC} không đúng cú pháp TOML ở dòng 3, cột 9: số thập phân phải dùng dấu "
        "chấm: ghi 0.20, không ghi 0,20.\n    dòng 3: rate = 0,20\n"
    )


def test_duplicate_key_names_both_lines() -> None:
    assert toml_error("[cap]\nrate = 0.2\n# …\nrate = 0.25\n").startswith(
        f"Tệp quy chế {SRC} không đúng cú pháp TOML ở dòng 4: khoá `cap.rate` được ghi hai lần "
        "(dòng 2 và dòng 4); hãy xoá một dòng.\n    dòng 4: rate = 0.25\n"
    )


def test_backslash_in_a_path_is_explained() -> None:
    assert "dùng ngoặc đơn '…'" in toml_error('[documents]\ntemplates = "C:\\Mau"\n')


def test_unclosed_array_at_end_of_file() -> None:
    assert toml_error('[organisation]\ndepartments = ["Khoa Nội"\n').startswith(
        f"Tệp quy chế {SRC} không đúng cú pháp TOML"
    )
    assert "danh sách chưa đóng ngoặc vuông ]" in toml_error("x = [1, 2")


# ---------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------


def load_error(path: Path) -> str:
    with pytest.raises(RegulationError) as info:
        load_regulation(path)
    assert info.value.exit_code == 3
    return info.value.message


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "khong-co.toml"
    assert load_error(path) == (
        f"Không tìm thấy tệp quy chế {path}. Hãy kiểm tra đường dẫn, hoặc chạy `thidua init` để "
        "tạo tệp quy-che.toml mẫu."
    )


def test_directory_points_to_the_file_inside(tmp_path: Path) -> None:
    assert load_error(tmp_path) == (
        f"{tmp_path} là một thư mục, không phải tệp quy chế. Hãy chỉ ra tệp .toml, ví dụ --rules "
        "quy-che.toml."
    )
    (tmp_path / "quy-che.toml").write_text("", encoding="utf-8")
    assert load_error(tmp_path).endswith(f"Có phải ý bạn là {tmp_path / 'quy-che.toml'}?")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "quy-che.toml"
    path.write_bytes('[organisation]\nplace = "Hà Nam"\n'.encode("cp1258"))
    assert load_error(path) == (
        f"Tệp quy chế {path} không lưu theo mã UTF-8 (ký tự lạ ở dòng 2). Trong Notepad chọn "
        "File → Save As…, mục Encoding chọn UTF-8, rồi lưu lại."
    )


def test_an_excel_file_given_as_regulation(tmp_path: Path) -> None:
    path = tmp_path / "quy-che.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\0" * 20)
    assert load_error(path).startswith(
        f"Tệp quy chế {path} là một tệp Excel/Word (.xlsx/.docx) hoặc tệp nén, không phải tệp văn "
        "bản TOML."
    )


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_notepad_encodings_are_accepted(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "quy-che.toml"
    data = '[organisation]\nplace = "Hà Nội"\n'.encode(encoding)
    path.write_bytes(data)
    r = load_regulation(path)
    assert r.organisation.place == "Hà Nội"
    assert r.sha256 == hashlib.sha256(data).hexdigest()


def test_unreadable_file(tmp_path: Path) -> None:
    import os

    path = tmp_path / "quy-che.toml"
    path.write_text("", encoding="utf-8")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):  # running as root: permissions do not apply
            pytest.skip("file permissions are not enforced for this user")
        assert load_error(path) == (
            f"Không có quyền đọc tệp quy chế {path}. Hãy kiểm tra quyền truy cập tệp."
        )
    finally:
        path.chmod(0o644)


# ---------------------------------------------------------------------------------------------
# Helpers other modules reuse
# ---------------------------------------------------------------------------------------------


def test_suggest_key() -> None:
    assert suggest_key("rat", ["rate", "scope"]) == "rate"
    assert suggest_key("max", ["code", "name", "group", "max_points"]) == "max_points"
    assert suggest_key("zzz", ["rate", "scope"]) is None


def test_checker_for_an_extra_section() -> None:
    check = Checker("tệp quy-che.toml", {"awards.ldtt_min_month": 4})
    table = {"ldtt_min_month": 6, "vote_share": "80%"}
    check.unknown_keys(table, ["ldtt_min_months", "vote_share"], "awards")
    check.number(table["vote_share"], "awards.vote_share", minimum=0, maximum=1)
    with pytest.raises(RegulationError) as info:
        check.raise_if_any("/x/quy-che.toml")
    assert info.value.message.splitlines()[1:3] == [
        "- tệp quy-che.toml, khoá `awards.ldtt_min_month` (dòng 4): không có khoá này trong mục "
        "[awards]. Có phải ý bạn là `awards.ldtt_min_months`?",
        '- tệp quy-che.toml, khoá `awards.vote_share`: phải là một số, không phải văn bản "80%": '
        "tỷ lệ ghi bằng số thập phân, ví dụ `vote_share = 0.8` (tức 80 %).",
    ]


@given(st.floats(min_value=-5, max_value=5, allow_nan=False))
def test_rates_are_accepted_exactly_in_zero_to_one(rate: float) -> None:
    text = f"[cap]\nrate = {rate!r}\n"
    if 0 <= rate <= 1:
        assert parse_regulation(text, SRC).cap.rate == rate
    else:
        assert only_problem(text).startswith("- tệp quy-che.toml, khoá `cap.rate` (dòng 2): phải")


# ---------------------------------------------------------------------------------------------
# The README section cannot rot
# ---------------------------------------------------------------------------------------------

README = Path(__file__).resolve().parents[2] / "README.md"


def _readme_section() -> str:
    text = README.read_text(encoding="utf-8")
    return text.split("<!-- section:regulation -->", 1)[1].split("\n## ", 1)[0]


def test_readme_documents_every_key_of_the_default() -> None:
    import dataclasses

    from thidua_cli.regulation import SECTIONS

    section = _readme_section()
    for name, cls in SECTIONS.items():
        for f in dataclasses.fields(cls):
            assert f"`{name}.{f.name}`" in section or f"`{f.name}`" in section, f"{name}.{f.name}"
    for key in ("code", "name", "group", "max_points"):
        assert f"`{key}`" in section


def test_readme_error_example_is_what_the_loader_prints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    section = _readme_section()
    toml_example = re.search(r"```toml\n(.*?)```", section, re.S)
    assert toml_example is not None
    monkeypatch.chdir(tmp_path)
    Path("quy-che.toml").write_text(toml_example.group(1), encoding="utf-8")
    assert load_regulation("quy-che.toml").organisation.name == "BỆNH VIỆN ĐA KHOA HUYỆN MỸ AN"

    shown = re.search(r"```text\nLỗi: (.*?)```", section, re.S)
    assert shown is not None
    Path("quy-che.toml").write_text(
        '[cap]\nrat = 0.25\n\n[bands]\nhttnv = 95\n\n[[criteria]]\ncode = "CM1"\n'
        'name = "Chuyên môn"\ngroup = "Chuyên môn"\nmax_points = 60\n\n[[criteria]]\n'
        'code = "CM1"\nname = "Thái độ"\ngroup = "Thái độ"\nmax_points = 35\n',
        encoding="utf-8",
    )
    with pytest.raises(RegulationError) as info:
        load_regulation("quy-che.toml")
    assert info.value.message + "\n" == shown.group(1)


def test_the_default_toml_sets_every_field_of_the_model() -> None:
    """The shipped TOML is the one source of every default: a field added to a dataclass in
    model.py (even with a Python default) must be written, with its comment, in the TOML."""
    import dataclasses

    from thidua_cli.regulation import SECTIONS

    data = tomllib.loads(default_toml_text())
    for name, cls in SECTIONS.items():
        for f in dataclasses.fields(cls):
            if (name, f.name) == ("scoring", "deduction_cap"):
                continue  # "no cap" is the absence of the key (TOML has no null)
            assert f.name in data[name], f"{name}.{f.name} is missing from the default TOML"
    assert all(set(c) == {"code", "name", "group", "max_points"} for c in data["criteria"])


def test_regulation_from_mapping_validates_without_line_numbers() -> None:
    from thidua_cli.regulation import regulation_from_mapping

    reg = regulation_from_mapping({"cap": {"rate": 0.25}}, "thử", label="tuỳ chọn --set")
    assert (reg.cap.rate, reg.source, reg.bands.htxsnv) == (0.25, "thử", 90)
    again = regulation_from_mapping({"cap": {"rate": 0.25}}, "khác")
    assert again.sha256 == reg.sha256  # the same settings, the same hash
    assert regulation_from_mapping({"cap": {"rate": 0.2}}, "thử").sha256 != reg.sha256
    with pytest.raises(RegulationError) as info:
        regulation_from_mapping({"cap": {"rate": 2.5}}, "thử", label="tuỳ chọn --set")
    assert "- tuỳ chọn --set, khoá `cap.rate`: phải nằm trong khoảng từ 0 đến 1" in info.value.message
    assert "dòng" not in info.value.message


def test_read_regulation_mapping_reads_like_the_loader(tmp_path: Path) -> None:
    from thidua_cli.regulation import read_regulation_mapping

    path = tmp_path / "quy-che.toml"
    path.write_bytes(b"\xef\xbb\xbf" + 'name = "Quy chế BV"\n[cap]\nrate = 0.25\n'.encode())
    assert read_regulation_mapping(path) == {"name": "Quy chế BV", "cap": {"rate": 0.25}}
    with pytest.raises(RegulationError, match="Không tìm thấy tệp quy chế"):
        read_regulation_mapping(tmp_path / "khong-co.toml")


def test_set_values_are_not_blamed_on_lines_of_a_text_nobody_wrote(tmp_path: Path) -> None:
    # --set once went through a TOML text written in memory: its messages named the line of that
    # text ("dòng 4"), which is no line of the clerk's file.
    from thidua_cli.app.awards import regulation_with

    path = tmp_path / "quy-che.toml"
    path.write_text('name = "X"\n[cap]\nrate = 0.2\n', encoding="utf-8")
    for rules in (None, path):
        with pytest.raises(RegulationError) as info:
            regulation_with(rules, [("cap.rate", 2.5)])
        message = info.value.message
        assert "- tuỳ chọn --set, khoá `cap.rate`: phải nằm trong khoảng từ 0 đến 1" in message
        assert "dòng" not in message
