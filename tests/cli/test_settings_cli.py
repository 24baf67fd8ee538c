"""A misspelt key in ANY section of the regulation is refused at load by every command that loads
it: exit 3, the message naming the file, the line, the key and the key meant (issue 9)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SAMPLE = ROOT / "tests" / "data" / "awards-sample.json"

# One misspelt key per section: (TOML text, the wrong key, line, the key meant).
TYPOS = {
    "organisation": ('[organisation]\nabbreviaton = "BV"\n', "organisation.abbreviaton", 2,
                     "organisation.abbreviation"),
    "scoring": ("[scoring]\nbonus_capp = 5\n", "scoring.bonus_capp", 2, "scoring.bonus_cap"),
    "bands": ("[bands]\nhtxsvn = 90\n", "bands.htxsvn", 2, "bands.htxsnv"),
    "overrides": ("[overrides]\nworking_days_per_mont = 22\n", "overrides.working_days_per_mont",
                  2, "overrides.working_days_per_month"),
    "cap": ("[cap]\nrat = 0.25\n", "cap.rat", 2, "cap.rate"),
    "validation": ("[validation]\nsame_name_warnin = true\n", "validation.same_name_warnin", 2,
                   "validation.same_name_warning"),
    "criteria": ('[[criteria]]\ncode = "A"\nname = "A"\ngroup = "G"\nmax_pointz = 100\n',
                 "criteria[1].max_pointz", 5, "criteria[1].max_points"),
    "awards": ("[awards]\nwomen_first = true\nmin_monthz = 3\n", "awards.min_monthz", 3,
               "awards.ldtt.min_months"),
    "awards.ldtt": ("[awards.ldtt]\nmin_monthz = 3\n", "awards.ldtt.min_monthz", 2,
                    "awards.ldtt.min_months"),
    "money": ("[money]\nrounding_stepp = 1000\n", "money.rounding_stepp", 2, "money.rounding_step"),
    "council": ("[council]\nmemberz = 9\n", "council.memberz", 2, "council.members"),
    "council.thresholds": ("[council.thresholds]\nCSTDSC = 0.8\n", "council.thresholds.CSTDSC", 2,
                           "council.thresholds.CSTDCS"),
    "documents": ('[documents]\nsigner_nam = "Trần Văn Giám"\n', "documents.signer_nam", 2,
                  "documents.signer"),
}


def _rules(tmp_path: Path, section: str) -> Path:
    path = tmp_path / "quy-che.toml"
    path.write_text('name = "Quy chế thử"\n' + TYPOS[section][0], encoding="utf-8")
    return path


def _assert_refused(result: Any, section: str) -> None:
    _, key, line, meant = TYPOS[section]
    assert result.exit_code == 3, result.output
    assert f"- tệp quy-che.toml, khoá `{key}` (dòng {line + 1}): không có khoá này" in result.stderr
    assert f"Có phải ý bạn là `{meant}`?" in result.stderr
    assert "Traceback" not in result.output


@pytest.fixture
def quarter(tmp_path: Path) -> Path:
    target = tmp_path / "quy-4-2026.xlsx"
    shutil.copy(EXAMPLES / "quy-4-2026.xlsx", target)
    return target


@pytest.mark.parametrize("section", sorted(TYPOS))
def test_score_refuses_a_misspelt_key_in_any_section(
    section: str, quarter: Path, tmp_path: Path, run_cli: Any
) -> None:
    result = run_cli("score", quarter, "--rules", _rules(tmp_path, section))
    _assert_refused(result, section)
    assert not quarter.with_name("quy-4-2026.ket-qua.xlsx").exists()


@pytest.mark.parametrize("section", ["documents", "awards", "money"])
def test_validate_refuses_a_misspelt_key(section: str, quarter: Path, tmp_path: Path, run_cli: Any) -> None:
    _assert_refused(run_cli("validate", quarter, "--rules", _rules(tmp_path, section)), section)


@pytest.mark.parametrize("section", ["documents", "council", "cap"])
def test_awards_refuses_a_misspelt_key(section: str, quarter: Path, tmp_path: Path, run_cli: Any) -> None:
    result = run_cli("awards", quarter, "--rules", _rules(tmp_path, section), "--ledger",
                     tmp_path / "so.db")
    _assert_refused(result, section)


@pytest.mark.parametrize("section", ["awards.ldtt", "money", "scoring"])
def test_render_refuses_a_misspelt_key(section: str, tmp_path: Path, run_cli: Any) -> None:
    source = tmp_path / "nam-2026.de-xuat.json"
    shutil.copy(SAMPLE, source)
    result = run_cli("render", "all", "--from", source, "--rules", _rules(tmp_path, section))
    _assert_refused(result, section)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nam-2026.de-xuat.json", "quy-che.toml"]


def test_awards_set_goes_through_the_same_checker(quarter: Path, tmp_path: Path, run_cli: Any) -> None:
    result = run_cli("awards", quarter, "--set", "awards.ldtt.min_months=13", "--ledger",
                     tmp_path / "so.db")
    assert result.exit_code == 3, result.output
    assert "Giá trị --set không hợp lệ" in result.stderr
    assert "tuỳ chọn --set, khoá `awards.ldtt.min_months`" in result.stderr


def test_the_rules_file_is_read_once_per_awards_run(
    tmp_path: Path, run_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from thidua_cli.config import load

    reads: list[Path] = []
    real = load._read_bytes

    def counting(path: Path) -> bytes:
        reads.append(path)
        return real(path)

    monkeypatch.setattr(load, "_read_bytes", counting)
    rules = tmp_path / "quy-che.toml"
    rules.write_text('name = "Quy chế thử"\n[awards.ldtt]\nmin_months = 6\n', encoding="utf-8")
    books = sorted((EXAMPLES / "nam-2026").glob("quy-*-2026.xlsx"))
    result = run_cli("awards", *books, "--rules", rules, "--set", "cap.rate=0.25", "--compare",
                     "--ledger", tmp_path / "so.db", "--no-output")
    assert result.exit_code == 0, result.output
    assert reads == [rules]
