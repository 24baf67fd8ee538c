"""`thidua awards` on the quarters' `thidua score --json` results gives the same awards, money
and departments as on the quarter workbooks (the README's example: examples/nam-2026, the
example ledger and votes, decision date 20/12/2026)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
DECISION = ["--decision-date", "2026-12-20"]


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The examples copied, each quarter scored to JSON, and awards run both ways."""
    from helpers import invoke_cli

    base = tmp_path_factory.mktemp("nam")
    books = base / "nam-2026"
    shutil.copytree(EXAMPLES / "nam-2026", books)
    for name in ("thidua.db", "phieu-bau-2026.xlsx"):
        shutil.copy(EXAMPLES / name, base / name)
    jsons = base / "json"
    jsons.mkdir()
    for q in (1, 2, 3, 4):
        result = invoke_cli("score", str(books / f"quy-{q}-2026.xlsx"), "--json", "--no-output")
        assert result.exit_code == 0, result.stderr
        (jsons / f"quy-{q}.json").write_text(result.stdout, encoding="utf-8")
    common = ["--ledger", str(base / "thidua.db"), "--votes", str(base / "phieu-bau-2026.xlsx"),
              *DECISION, "--json", "--no-output"]
    from_books = invoke_cli("awards", *[str(books / f"quy-{q}-2026.xlsx") for q in (1, 2, 3, 4)],
                            *common)
    from_json = invoke_cli("awards", *[str(jsons / f"quy-{q}.json") for q in (1, 2, 3, 4)],
                           *common)
    return {"base": base, "books": books, "jsons": jsons, "from_books": from_books,
            "from_json": from_json}


def test_awards_from_score_results_equal_awards_from_workbooks(scored: dict[str, Any]) -> None:
    a, b = scored["from_books"], scored["from_json"]
    assert a.exit_code == 0, a.stderr
    assert b.exit_code == 0, b.stderr
    books, jsons = json.loads(a.stdout), json.loads(b.stdout)
    assert books["awards"], "the example proposes awards"
    assert jsons["awards"] == books["awards"]
    assert jsons["money"] == books["money"]
    assert jsons["departments"] == books["departments"]
    assert jsons["ratings"] == books["ratings"]
    # Everything else too: candidates, quotas, ties, and the warnings, which name the
    # workbooks' rows (kept in the score results' "source").
    assert jsons == books
    assert any(w.get("row") for w in jsons["warnings"])


def test_mixed_json_and_workbooks_for_different_quarters(
    scored: dict[str, Any], run_cli: Callable[..., Any]
) -> None:
    base, books, jsons = scored["base"], scored["books"], scored["jsons"]
    # A score result without the .json ending is recognised by its content.
    renamed = base / "quy-2-ket-qua-cham-diem.txt"
    shutil.copy(jsons / "quy-2.json", renamed)
    result = run_cli("awards", str(jsons / "quy-1.json"), str(renamed),
                     str(books / "quy-3-2026.xlsx"), str(books / "quy-4-2026.xlsx"),
                     "--ledger", str(base / "thidua.db"), "--votes",
                     str(base / "phieu-bau-2026.xlsx"), *DECISION, "--json", "--no-output")
    assert result.exit_code == 0, result.stderr
    expected = json.loads(scored["from_books"].stdout)
    got = json.loads(result.stdout)
    assert got["awards"] == expected["awards"]
    assert got["money"] == expected["money"]


def test_json_and_workbook_of_the_same_quarter_are_refused(
    scored: dict[str, Any], run_cli: Callable[..., Any]
) -> None:
    books, jsons = scored["books"], scored["jsons"]
    result = run_cli("awards", str(jsons / "quy-1.json"), str(books / "quy-1-2026.xlsx"),
                     *DECISION, "--json", "--no-output")
    assert result.exit_code == 2
    assert "Quý I năm 2026 có nhiều đầu vào" in result.stderr
    assert "Mỗi quý chỉ dùng một nguồn" in result.stderr


def _write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_wrong_schema_is_exit_4(scored: dict[str, Any], run_cli: Callable[..., Any],
                                tmp_path: Path) -> None:
    data = json.loads((scored["jsons"] / "quy-1.json").read_text(encoding="utf-8"))
    data["schema"] = "thidua.awards/1"
    bad = _write(tmp_path / "quy-1.json", data)
    result = run_cli("awards", str(bad), str(scored["jsons"] / "quy-2.json"), *DECISION,
                     "--json", "--no-output")
    assert result.exit_code == 4
    err = " ".join(result.stderr.split())
    assert f"Tệp {bad} không phải kết quả `thidua score --json`" in err
    assert '"thidua.awards/1"' in err and '"thidua.score/1"' in err


def test_missing_key_names_the_key_and_the_fix(scored: dict[str, Any],
                                               run_cli: Callable[..., Any],
                                               tmp_path: Path) -> None:
    data = json.loads((scored["jsons"] / "quy-3.json").read_text(encoding="utf-8"))
    del data["people"][3]["inputs"]["leave_days"]
    bad = _write(tmp_path / "quy-3.json", data)
    result = run_cli("awards", str(bad), *DECISION, "--json", "--no-output")
    assert result.exit_code == 4
    err = " ".join(result.stderr.split())
    assert f"Tệp kết quả chấm điểm {bad}: thiếu khoá `people[3].inputs.leave_days`" in err
    assert "hãy chạy lại `thidua score … --json` bằng phiên bản này" in err


def test_result_of_an_older_version_without_inputs_is_exit_4(
    scored: dict[str, Any], run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    data = json.loads((scored["jsons"] / "quy-4.json").read_text(encoding="utf-8"))
    for person in data["people"]:
        del person["inputs"]
    bad = _write(tmp_path / "quy-4.json", data)
    result = run_cli("awards", str(bad), *DECISION, "--json", "--no-output")
    assert result.exit_code == 4
    assert "thiếu khoá `people[0].inputs`" in " ".join(result.stderr.split())


def test_not_json_is_exit_4(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    bad = tmp_path / "quy-1.json"
    bad.write_text('{"schema": "thidua.score/1", ', encoding="utf-8")
    result = run_cli("awards", str(bad), *DECISION, "--json", "--no-output")
    assert result.exit_code == 4
    assert f"Tệp {bad} không phải JSON hợp lệ" in " ".join(result.stderr.split())


@pytest.mark.parametrize("text, said", [
    ("[" * 100_000 + "]" * 100_000, "lồng nhau quá sâu"),
    ('{"schema": "thidua.score/1", "x": ' + "9" * 5000 + "}", "số quá dài"),
])
def test_hostile_json_is_exit_4(run_cli: Callable[..., Any], tmp_path: Path, text: str,
                                said: str) -> None:
    """issue 10: deep nesting and a 5,000-digit number were exit 70."""
    bad = tmp_path / "quy-1.json"
    bad.write_text(text, encoding="utf-8")
    result = run_cli("awards", str(bad), *DECISION, "--json", "--no-output")
    assert result.exit_code == 4, result.output
    assert said in " ".join(result.stderr.split())
    from thidua_cli.errors import InputFileError
    from thidua_cli.io.awards_io import load_result

    awards = tmp_path / "nam.de-xuat.json"
    awards.write_text(text.replace("thidua.score/1", "thidua.awards/1"), encoding="utf-8")
    with pytest.raises(InputFileError, match=said):
        load_result(awards)
