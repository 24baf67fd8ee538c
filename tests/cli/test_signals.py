"""SIGTERM and Ctrl+C in the middle of writing: the half-written file is removed, the run says
"Đã dừng" and what it kept, and exits 143 / 130 (issue 10)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "quy-4-2026.xlsx"

# Runs `thidua score` with the atomic writer patched to raise a signal once its temporary
# file exists: exactly the moment a real SIGTERM would leave debris.
_SCRIPT = textwrap.dedent("""
    import os, signal, sys
    from thidua_cli.io import atomic
    real = atomic.write_atomic
    def stopping(path, data, *, force):
        def writer(tmp):
            tmp.write_bytes(b"half")
            os.kill(os.getpid(), getattr(signal, sys.argv[1]))
            raise AssertionError("the signal should have stopped the write")
        return real(path, writer, force=force)
    atomic.write_atomic = stopping
    from thidua_cli.cli.app import main
    main(sys.argv[2:])
""")


@pytest.mark.parametrize(("sig", "code"), [("SIGTERM", 143), ("SIGINT", 130)])
def test_a_stopped_write_leaves_nothing(tmp_path: Path, sig: str, code: int) -> None:
    src = tmp_path / "quy-4-2026.xlsx"
    shutil.copy(EXAMPLE, src)
    proc = subprocess.run(
        [sys.executable, "-c", _SCRIPT, sig, "score", str(src)],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    assert proc.returncode == code, proc.stderr
    assert "Đã dừng; không ghi tệp nào." in proc.stderr
    assert "Traceback" not in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["quy-4-2026.xlsx"]
