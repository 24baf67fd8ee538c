"""issue 10: an unreadable input is thidua's own Vietnamese message and exit 4, never Click's
English "is not readable" and exit 2 (input paths are declared ``readable=False``: the
reading code, io/sniff, is the one that judges)."""

from __future__ import annotations

import builtins
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _deny(monkeypatch: Any, target: Path) -> None:
    """What a file without read permission looks like, also when the tests run as root:
    os.access says no (Click's check) and opening it raises PermissionError."""
    real_open, real_access = builtins.open, os.access
    denied = os.fspath(target)

    def fake_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, (str, os.PathLike)) and os.fspath(file) == denied:
            raise PermissionError(13, "Permission denied", denied)
        return real_open(file, *args, **kwargs)

    def fake_access(path: Any, mode: int, *args: Any, **kwargs: Any) -> bool:
        if os.fspath(path) == denied:
            return False
        return real_access(path, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", fake_open)
    monkeypatch.setattr(os, "access", fake_access)


@pytest.mark.parametrize("command", ["score", "validate", "awards"])
def test_unreadable_input_is_exit_4_in_vietnamese(run_cli: Any, tmp_path: Path, monkeypatch: Any,
                                                 command: str) -> None:
    src = Path(shutil.copy(EXAMPLES / "quy-4-2026.xlsx", tmp_path / "quy-4-2026.xlsx"))
    _deny(monkeypatch, src)
    extra = ["--ledger", tmp_path / "x.db"] if command == "awards" else []
    result = run_cli(command, src, *extra)
    assert result.exit_code == 4, result.output
    assert "Không có quyền đọc" in result.output
    assert "not readable" not in result.output and "Usage" not in result.output


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root reads every file whatever its permissions")
def test_unreadable_input_with_real_permissions(run_cli: Any, tmp_path: Path) -> None:
    src = Path(shutil.copy(EXAMPLES / "quy-4-2026.xlsx", tmp_path / "quy-4-2026.xlsx"))
    src.chmod(0)
    result = run_cli("score", src)
    assert result.exit_code == 4 and "Không có quyền đọc" in result.stderr


def test_unreadable_option_paths_are_thiduas_own_messages(run_cli: Any, tmp_path: Path) -> None:
    src = EXAMPLES / "quy-4-2026.xlsx"
    result = run_cli("score", src, "--rules", tmp_path, "--no-output")
    assert result.exit_code == 3, result.output  # the regulation's own exit code
    assert "not readable" not in result.output and result.stderr.startswith("Lỗi:")
    # A folder given where a file is expected: said by thidua, not by Click.
    result = run_cli("ledger", "record", tmp_path, "--decision", "1/QĐ", "--date", "2026-12-20",
                     "--ledger", tmp_path / "x.db")
    assert result.exit_code in (2, 4), result.output
    assert "Usage" not in result.output and "Traceback" not in result.output
