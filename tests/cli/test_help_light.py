"""`thidua X --help` stays light (issue 19: ≤ 0.15 s, ≤ 30 MB, measured by bench/run.py): asking
for a command's help never imports pydantic. Typer coerces every parameter value that is not
already a bool through a pydantic adapter; the help flag's default was None, so parsing the
root group's options for `thidua score --help` imported pydantic (≈ 0.06 s, 3 MB)."""

from __future__ import annotations

import subprocess
import sys

import pytest

CASES = [[], ["score"], ["awards"], ["validate"], ["render"], ["ledger"], ["ledger", "show"],
         ["templates"], ["init"]]


@pytest.mark.parametrize("command", CASES, ids=lambda c: " ".join(c) or "thidua")
def test_help_does_not_import_pydantic(command: list[str]) -> None:
    code = (
        "import sys\n"
        "from thidua_cli.cli.app import main\n"
        "try:\n"
        f"    main({[*command, '--help']!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('PYDANTIC' if any(m.split('.')[0] == 'pydantic' for m in sys.modules) else 'OK')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=False)
    assert "Cách dùng:" in out.stdout, out.stderr
    assert out.stdout.rstrip().endswith("OK"), out.stdout[-300:]
