"""issue 13, "messages that mislead": what the clerk reads names the right list, suggests only
likely names, says why --absent cannot be used, and an output of several inputs is named after
them all, not after the first one."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from helpers import write_xlsx
from thidua_cli.app.score import default_output
from thidua_cli.core.period import find_period
from thidua_cli.core.vntext import suggest
from thidua_cli.model import Period, PeriodKind

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SAMPLE = ROOT / "tests" / "data" / "awards-sample.json"
DEPARTMENTS = ["Khoa Cấp cứu", "Khoa Mắt", "Khoa Nhi", "Khoa Nội tổng hợp", "Khoa Ngoại tổng hợp",
               "Khoa Sản", "Khoa Dược", "Phòng Điều dưỡng", "Phòng Tổ chức cán bộ"]


# --- "did you mean": only when likely ---------------------------------------------------------

@pytest.mark.parametrize("typed, offered", [
    ("Khoa Nhj", "Khoa Nhi"),                     # one letter off in the name proper
    ("Khoa Nhii", "Khoa Nhi"),
    ("khoa cap cuu", "Khoa Cấp cứu"),             # without accents
    ("Khoa Ngoại", "Khoa Ngoại tổng hợp"),        # the name cut short
    ("Phòng Tổ chức cán bộ ", "Phòng Tổ chức cán bộ"),
])
def test_a_likely_name_is_suggested(typed: str, offered: str) -> None:
    assert suggest(typed, DEPARTMENTS[1:] if typed.startswith("Khoa Ng") else DEPARTMENTS) == offered


@pytest.mark.parametrize("typed", [
    "Khoa Chấn thương chỉnh hình",  # shares only "Khoa " with the list
    "Khoa Răng Hàm Mặt",            # "Khoa Mắt" looked close by its letters, not by its name
    "Khoa",                          # a first word alone says nothing
    "Phòng Vật tư",
])
def test_an_unlikely_name_gets_no_suggestion(typed: str) -> None:
    assert suggest(typed, DEPARTMENTS) is None


def test_khoa_cap_cuu_is_not_offered_khoa_mat() -> None:
    """The case the issue saw: "Khoa Cấp cứu" missing from the list was offered "Khoa Mắt"
    (difflib's ratio on the whole folded names: 2 × 6 common letters / (12 + 8) = 0.6)."""
    assert suggest("Khoa Cấp cứu", [d for d in DEPARTMENTS if d != "Khoa Cấp cứu"]) is None


# --- --expect: the findings name the list they were checked against ----------------------------

def test_unknown_department_names_the_expect_list(run_cli: Any, tmp_path: Path) -> None:
    folder = tmp_path / "nop-ve"
    folder.mkdir()
    shutil.copy(EXAMPLES / "nop-ve" / "khoa-duoc.xlsx", folder / "khoa-duoc.xlsx")
    expect = write_xlsx(tmp_path, {"DS": [["Khoa/Phòng"], ["Khoa Dươc"], ["Khoa Nhi"]]},
                        name="ds.xlsx")
    data = json.loads(run_cli("validate", folder, "--expect", expect, "--json").stdout)
    messages = [f["message"] for f in data["findings"] if f["code"] == "unknown-department"]
    assert messages == [f"\"Khoa Dược\" không có trong danh sách khoa/phòng phải nộp (--expect "
                        f"{expect}). Có phải là \"Khoa Dươc\"?"]
    assert "quy chế" not in messages[0]


# --- render --absent with no council in the regulation -----------------------------------------

def test_absent_with_an_empty_council_list_says_the_list_is_empty(run_cli: Any,
                                                                  tmp_path: Path) -> None:
    result_file = Path(shutil.copy(SAMPLE, tmp_path / "nam-2026.de-xuat.json"))
    r = run_cli("render", "bien-ban", "--from", result_file, "--absent", "Vũ Văn Vắng")
    assert r.exit_code == 2, r.output
    assert "Quy chế chưa có danh sách thành viên Hội đồng" in r.stderr
    assert "documents.council_members đang trống" in r.stderr and "Vũ Văn Vắng" in r.stderr
    assert not list(tmp_path.glob("*.docx"))


# --- the output of several inputs ----------------------------------------------------------------

def test_one_input_names_the_output_after_itself() -> None:
    assert default_output(Path("nop-ve/khoa-nhi.xlsx")) == Path("nop-ve/khoa-nhi.ket-qua.xlsx")
    assert default_output([Path("quy-4-2026.xlsx")]) == Path("quy-4-2026.ket-qua.xlsx")


def test_several_inputs_name_the_output_after_the_period_or_the_folder() -> None:
    two = [Path("nop-ve/khoa-noi.xlsx"), Path("nop-ve/khoa-nhi.xlsx")]
    assert default_output(two) == Path("nop-ve/nop-ve.ket-qua.xlsx")
    assert default_output(two, find_period("2026-Q4")) == Path("nop-ve/quy-4-2026.ket-qua.xlsx")
    assert default_output(two, Period(PeriodKind.YEAR, 2026)) == Path("nop-ve/nam-2026.ket-qua.xlsx")
    month = Period(PeriodKind.MONTH, 2026, 3)
    assert default_output(two, month) == Path("nop-ve/thang-03-2026.ket-qua.xlsx")
    # The period from a file name, in the folder the inputs share.
    named = [Path("a/quy-3-2026-noi.xlsx"), Path("a/b/khoa-nhi.xlsx")]
    assert default_output(named) == Path("a/quy-3-2026.ket-qua.xlsx")
    # What thidua writes under these names it reads back as the same period.
    assert find_period("thang-03-2026") == month
    assert find_period("nam-2026") == Period(PeriodKind.YEAR, 2026)


def test_score_of_two_files_writes_one_result_named_after_the_period(run_cli: Any,
                                                                     tmp_path: Path) -> None:
    for name in ("khoa-duoc.xlsx", "khoa-tim-mach.xlsx"):
        shutil.copy(EXAMPLES / "nop-ve" / name, tmp_path / name)
    r = run_cli("score", tmp_path / "khoa-duoc.xlsx", tmp_path / "khoa-tim-mach.xlsx",
                "--period", "2026-Q4")
    assert r.exit_code == 0, r.output
    assert (tmp_path / "quy-4-2026.ket-qua.xlsx").is_file()
    assert not (tmp_path / "khoa-duoc.ket-qua.xlsx").exists()
    r = run_cli("score", tmp_path, "--period", "2026-Q4")  # the folder: the same name, refused
    assert r.exit_code == 6 and "quy-4-2026.ket-qua.xlsx" in r.stderr


# --- Jinja's syntax errors, said in Vietnamese (templates check, render) --------------------------

ENGLISH_WORDS = ("Unexpected", "unexpected", "expected", "Encountered", "looking for", "innermost",
                 "tag", "template", "token", "got", "Missing", "named")


@pytest.mark.parametrize("source, said", [
    # 3 sentences of Jinja ("Unexpected end of template. Jinja was looking for the following
    # tags: 'elif' or 'else' or 'endif'. The innermost block …") → 3 parts
    ("{% if a %}x", "sai cú pháp Jinja: mẫu đã hết mà còn khối chưa đóng; cần một trong các thẻ "
                    "{% elif %} hoặc {% else %} hoặc {% endif %}; khối trong cùng chưa đóng là "
                    "{% if %}."),
    ("{% for x in y %}{% endif %}", "sai cú pháp Jinja: thẻ {% endif %} không có hoặc không đúng "
                                    "chỗ; cần một trong các thẻ {% endfor %} hoặc {% else %}; "
                                    "khối trong cùng chưa đóng là {% for %}."),
    ("{{ a + }}", "sai cú pháp Jinja: \"}}\" không đúng chỗ."),
    ("{{ a b }}", "sai cú pháp Jinja: cần \"}}\" nhưng gặp \"b\"."),
    ("{{ a", "sai cú pháp Jinja: mẫu đã hết trong khi còn chờ \"}}\"."),
    ("{{ a | khongco }}", "sai cú pháp Jinja: không có bộ lọc \"khongco\"."),
    ("{% %}", "sai cú pháp Jinja: thiếu tên thẻ sau {%."),
    ("{# x", "sai cú pháp Jinja: thiếu dấu #} đóng chú thích."),
])
def test_jinja_syntax_errors_in_vietnamese(source: str, said: str) -> None:
    import jinja2

    from thidua_cli.render import syntax_error_text

    env = jinja2.Environment()
    with pytest.raises(jinja2.TemplateSyntaxError) as caught:
        env.compile(env.parse(source))
    text = syntax_error_text(caught.value.message or "")
    assert text == said
    assert not any(word in text for word in ENGLISH_WORDS), text


def test_an_unknown_jinja_sentence_is_kept_and_marked() -> None:
    from thidua_cli.render import syntax_error_text

    assert syntax_error_text("Something new.") == (
        "sai cú pháp Jinja: (thông báo gốc của Jinja: Something new).")


def test_templates_check_says_a_syntax_error_in_vietnamese(run_cli: Any, tmp_path: Path) -> None:
    template = tmp_path / "quyet-dinh.md"
    template.write_text("# Quyết định\n{% if a %}\nx\n", encoding="utf-8")
    r = run_cli("templates", "check", template, env={"COLUMNS": "200"})
    assert r.exit_code == 5, r.output
    assert "mẫu đã hết mà còn khối chưa đóng" in r.stdout
    assert "Unexpected" not in r.output and "Jinja was looking" not in r.output
