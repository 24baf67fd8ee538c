"""The README's `thidua awards` run is real: the command shown runs on the committed example and
prints exactly the output pasted under it (same terminal width)."""

from __future__ import annotations

import glob
import hashlib
import re
import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECTION = (ROOT / "README.md").read_text(encoding="utf-8").split("<!-- section:awards -->", 1)[1]
SECTION = SECTION.split("<!-- section:", 1)[0]


def _blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", SECTION, re.S)


def test_the_readme_run_prints_what_the_readme_shows(run_cli: Any, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    command = _blocks("bash")[0].strip()
    assert command.startswith("thidua awards examples/nam-2026/*.xlsx --ledger examples/thidua.db")
    expected = _blocks("text")[0]
    shutil.copytree(ROOT / "examples" / "nam-2026", tmp_path / "examples" / "nam-2026",
                    ignore=shutil.ignore_patterns("*.de-xuat.*"))
    for name in ("thidua.db", "phieu-bau-2026.xlsx"):
        shutil.copy(ROOT / "examples" / name, tmp_path / "examples" / name)
    ledger_hash = hashlib.sha256((tmp_path / "examples" / "thidua.db").read_bytes()).hexdigest()
    monkeypatch.chdir(tmp_path)
    args: list[str] = []
    for word in shlex.split(command)[1:]:
        args += sorted(glob.glob(word)) if "*" in word else [word]
    result = run_cli(*args, env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    got = "\n".join(line.rstrip() for line in result.stdout.splitlines())
    assert got == expected.rstrip("\n"), "README awards output is stale: rerun the command and paste"
    # The warnings go to stderr; the ledger is only read.
    assert "year-missing-quarters" in result.stderr
    assert hashlib.sha256((tmp_path / "examples" / "thidua.db").read_bytes()).hexdigest() == ledger_hash
    assert (tmp_path / "examples" / "nam-2026" / "nam-2026.de-xuat.xlsx").is_file()


def test_the_readme_quota_and_leader_cap_run_prints_the_warnings_shown(
        run_cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 11 points 9 and 10 on the example year: the README's second run (a CSTĐCS quota and
    a leaders' cap for CSTĐ tỉnh, by --set) prints on stderr exactly the lines pasted under it
    (what its `grep -A3` keeps)."""
    command = _blocks("bash")[1].strip()
    assert "--set awards.leader_share_cap.CSTD_TINH=0.3" in command
    expected = _blocks("text")[1]
    shutil.copytree(ROOT / "examples" / "nam-2026", tmp_path / "examples" / "nam-2026",
                    ignore=shutil.ignore_patterns("*.de-xuat.*"))
    for name in ("thidua.db", "phieu-bau-2026.xlsx"):
        shutil.copy(ROOT / "examples" / name, tmp_path / "examples" / name)
    monkeypatch.chdir(tmp_path)
    args: list[str] = []
    for word in shlex.split(command.split(" 2>&1", 1)[0])[1:]:
        args += sorted(glob.glob(word)) if "*" in word else [word]
    result = run_cli(*args, env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    err = [line.rstrip() for line in result.stderr.splitlines()]
    picked: list[str] = []
    for i, line in enumerate(err):
        if "quota-seat-freed" in line or "leader-share-title-cap" in line:
            picked += err[i:i + 4]  # grep -A3
    assert "\n".join(picked) == expected.rstrip("\n")
