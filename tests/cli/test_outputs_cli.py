"""issue 10, data loss: every command that writes asks io/outputs.guard about every output
(the derived ones too) before it reads anything; no output option can reach an input, the
ledger or a template, whatever --force says.

Each reported case is reproduced through the command line, then one test walks every command
and every output option. (``render`` plans its outputs in app/render.py, kept by the render
work; its own tests cover it.)"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def year(tmp_path: Path) -> list[Path]:
    out = []
    for q in (1, 2, 3, 4):
        src = EXAMPLES / "nam-2026" / f"quy-{q}-2026.xlsx"
        out.append(Path(shutil.copy(src, tmp_path / src.name)))
    return out


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    return Path(shutil.copy(EXAMPLES / "thidua.db", tmp_path / "thidua.db"))


@pytest.fixture
def dept(tmp_path: Path) -> Path:
    return Path(shutil.copy(EXAMPLES / "nop-ve" / "khoa-nhi.xlsx", tmp_path / "k.xlsx"))


def _refused(result: Any, code: int = 2) -> None:
    assert result.exit_code == code, result.output
    assert result.stderr.startswith("Lỗi:"), result.stderr
    assert "Traceback" not in result.stderr


def test_ledger_export_over_the_ledger(run_cli: Any, ledger: Path) -> None:
    before = _digest(ledger)
    _refused(run_cli("ledger", "export", "-o", ledger, "--ledger", ledger, "--force"))
    assert _digest(ledger) == before
    with sqlite3.connect(ledger) as con:
        assert con.execute("pragma quick_check").fetchone() == ("ok",)
    con.close()


def test_awards_output_over_an_input_quarter(run_cli: Any, year: list[Path], ledger: Path) -> None:
    before = _digest(year[3])
    result = run_cli("awards", *year, "--ledger", ledger, "-o", year[3], "--force")
    _refused(result)
    assert "chính là tệp đầu vào" in result.stderr
    assert _digest(year[3]) == before


def test_awards_json_beside_the_output_over_the_ledger(run_cli: Any, year: list[Path],
                                                       tmp_path: Path) -> None:
    led = tmp_path / "so.json"
    with sqlite3.connect(led) as con:
        con.execute("create table t (x)")
    con.close()
    before = _digest(led)
    result = run_cli("awards", *year, "--ledger", led, "-o", tmp_path / "so.xlsx", "--force")
    _refused(result)
    assert "sổ lịch sử" in result.stderr
    assert _digest(led) == before
    assert not (tmp_path / "so.xlsx").exists()  # nothing written: refused before the work


def test_validate_annotate_over_an_input(run_cli: Any, dept: Path) -> None:
    marked_input = Path(shutil.copy(dept, dept.with_name("k.kiem-tra.xlsx")))
    before = _digest(marked_input)
    result = run_cli("validate", dept, marked_input, "--annotate", "--force")
    _refused(result)
    assert _digest(marked_input) == before


def test_symlink_at_the_output_is_never_replaced(run_cli: Any, dept: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "khac.xlsx"
    shutil.copy(dept, elsewhere)
    before = _digest(elsewhere)
    link = tmp_path / "k.ket-qua.xlsx"
    link.symlink_to(elsewhere)
    _refused(run_cli("score", dept, "--force"))
    assert link.is_symlink() and _digest(elsewhere) == before
    dangling = tmp_path / "k.kiem-tra.xlsx"
    dangling.symlink_to(tmp_path / "khong-co.xlsx")
    _refused(run_cli("validate", dept, "--annotate", "--force"))
    assert dangling.is_symlink() and not (tmp_path / "khong-co.xlsx").exists()


def test_force_never_replaces_a_file_of_another_kind(run_cli: Any, year: list[Path],
                                                     ledger: Path, tmp_path: Path) -> None:
    # A ledger that happens to carry the output's name is not a workbook.
    disguised = Path(shutil.copy(ledger, tmp_path / "nam-2026.de-xuat.xlsx"))
    before = _digest(disguised)
    result = run_cli("awards", *year, "--ledger", ledger, "--force")
    _refused(result, 6)
    assert "không phải loại tệp" in result.stderr
    assert _digest(disguised) == before
    toml = tmp_path / "cfg" / "quy-che.toml"
    toml.parent.mkdir()
    shutil.copy(ledger, toml)
    _refused(run_cli("init", toml.parent, "--force"), 6)
    assert _digest(toml) == _digest(ledger)


def test_long_output_path_is_a_usage_error(run_cli: Any, dept: Path, tmp_path: Path) -> None:
    long = tmp_path / ("a" * 200) / ("b" * 4100 + ".xlsx")
    result = run_cli("score", dept, "-o", long)
    _refused(result)
    assert "quá dài" in result.stderr
    named = Path(shutil.copy(dept, tmp_path / ("c" * 246 + ".xlsx")))
    result = run_cli("validate", named, "--annotate")
    _refused(result)
    assert "quá dài" in result.stderr


def test_refusal_comes_before_the_work(run_cli: Any, dept: Path, monkeypatch: Any) -> None:
    """issue 13: an existing result is said before anything is read (no late exit 6)."""
    import thidua_cli.io.workbook as workbook

    (dept.with_name("k.ket-qua.xlsx")).write_bytes(b"x")

    def never(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("read before the outputs were checked")

    monkeypatch.setattr(workbook, "load_workbook", never)
    _refused(run_cli("score", dept), 6)


def _zip(path: Path, member: str) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(member, "<x/>")
    return path


# Every command and every output option, each aimed at something the run reads: an input,
# the regulation, the votes, the --expect list, the ledger. (name, args(tmp, files), protected)
def _cases(tmp: Path, year: list[Path], ledger: Path, dept: Path) -> list[tuple[str, list[Any], Path]]:
    rules = Path(shutil.copy(EXAMPLES / "quy-che.toml", tmp / "quy-che.toml"))
    votes = Path(shutil.copy(EXAMPLES / "phieu-bau-2026.xlsx", tmp / "phieu-bau.xlsx"))
    expect = Path(shutil.copy(dept, tmp / "k2.kiem-tra.xlsx"))
    k2 = Path(shutil.copy(dept, tmp / "k2.xlsx"))
    return [
        ("score -o input", ["score", dept, "-o", dept], dept),
        ("score -o rules", ["score", dept, "--rules", rules, "-o", rules], rules),
        ("validate --annotate input", ["validate", k2, expect, "--annotate"], expect),
        ("validate --annotate --expect", ["validate", k2, "--expect", expect, "--annotate"],
         expect),
        ("awards -o input", ["awards", *year, "--ledger", ledger, "-o", year[0]], year[0]),
        ("awards -o ledger", ["awards", *year, "--ledger", ledger, "-o", ledger], ledger),
        ("awards -o votes", ["awards", *year, "--ledger", ledger, "--votes", votes, "-o", votes],
         votes),
        ("awards json over ledger", ["awards", *year, "--ledger", tmp / "so.json",
                                     "-o", tmp / "so.xlsx"], tmp / "so.json"),
        ("ledger export -o ledger", ["ledger", "export", "--ledger", ledger, "-o", ledger],
         ledger),
    ]


@pytest.mark.parametrize("force", [False, True])
def test_no_output_option_reaches_an_input_the_ledger_or_a_template(
    run_cli: Any, tmp_path: Path, year: list[Path], ledger: Path, dept: Path, force: bool
) -> None:
    shutil.copy(ledger, tmp_path / "so.json")  # a ledger whose name the derived JSON takes
    for name, args, protected in _cases(tmp_path, year, ledger, dept):
        before = _digest(protected)
        result = run_cli(*args, *(["--force"] if force else []))
        # Exit 2 whatever --force says: another name is the fix.
        assert result.exit_code == 2, (name, result.output)
        assert "kể cả với --force" in result.stderr, name
        assert _digest(protected) == before, name
    # Templates: the exported defaults and init's TOML never go through a link nor over a file
    # of another kind, even with --force.
    folder = tmp_path / "mau"
    folder.mkdir()
    (folder / "quyet-dinh.docx").symlink_to(tmp_path / "ngoai.docx")
    _refused(run_cli("templates", "export", folder, *(["--force"] if force else [])))
    assert not (tmp_path / "ngoai.docx").exists()
    cfg = tmp_path / "cfg"
    cfg.mkdir()
    (cfg / "quy-che.toml").symlink_to(ledger)
    before = _digest(ledger)
    _refused(run_cli("init", cfg, *(["--force"] if force else [])))
    assert _digest(ledger) == before


def test_json_is_still_printed_when_the_workbook_is_refused(run_cli: Any, tmp_path: Path) -> None:
    """issue 13, the --json trap: `score X --json > k.json` after a first run printed nothing
    and exited 6 late. The refusal is said on stderr, the JSON still goes to stdout, exit 6."""
    import json

    src = Path(shutil.copy(EXAMPLES / "quy-4-2026.xlsx", tmp_path / "quy-4-2026.xlsx"))
    existing = tmp_path / "quy-4-2026.ket-qua.xlsx"
    existing.write_bytes(b"x")
    result = run_cli("score", src, "--json")
    assert result.exit_code == 6, result.stderr
    assert json.loads(result.stdout)["schema"] == "thidua.score/1"
    assert "đã có; chưa ghi đè" in result.stderr and "Vẫn in JSON" in result.stderr
    assert existing.read_bytes() == b"x"
