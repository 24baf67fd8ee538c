"""The one catalogue of reasons (core/reasons.py): every condition the core builds is a code of
the catalogue with as many parameters as its template shows, and the catalogue holds no code
nobody uses. Checked statically over the core's source (every Condition("code", status, (…)))."""

from __future__ import annotations

import ast
import string
from pathlib import Path

from thidua_cli.core.reasons import CATALOGUE, LEGACY_TEXT, render

CORE = Path(__file__).resolve().parents[2] / "src" / "thidua_cli" / "core"


def _calls() -> list[tuple[str, str, int | None]]:
    """(file:line, code, number of parameters or None when not a literal tuple)."""
    out = []
    for path in sorted(CORE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "Condition"):
                assert node.args and isinstance(node.args[0], ast.Constant), (
                    f"{path.name}:{node.lineno}: a condition's first argument is its code")
                params = node.args[2] if len(node.args) > 2 else ast.Tuple(elts=[])
                count = len(params.elts) if isinstance(params, ast.Tuple) else None
                out.append((f"{path.name}:{node.lineno}", node.args[0].value, count))
    return out


def _placeholders(template: str) -> int:
    indexes = [int(f) for _, f, _, _ in string.Formatter().parse(template) if f]
    return max(indexes) + 1 if indexes else 0


def test_every_condition_is_a_catalogue_code_with_its_parameters() -> None:
    calls = _calls()
    assert len(calls) > 80
    for where, code, count in calls:
        assert code in CATALOGUE, f"{where}: {code} is not in core/reasons.py"
        if count is not None:
            assert count == _placeholders(CATALOGUE[code]), (
                f"{where}: {code} gets {count} parameters, its template shows "
                f"{_placeholders(CATALOGUE[code])}")


def test_the_catalogue_has_no_unused_code() -> None:
    used = {code for _, code, _ in _calls()}
    assert set(CATALOGUE) - used == {LEGACY_TEXT}


def test_rendering() -> None:
    # Xếp loại: "Hội đồng bỏ phiếu đồng ý 7/9 thành viên = 77,78% (cần từ 80% trở lên …)".
    assert render("votes.tally", (7, 9, "77,78%", "từ 80% trở lên", "NĐ 152/2025/NĐ-CP")) == (
        "Hội đồng bỏ phiếu đồng ý 7/9 thành viên = 77,78% (cần từ 80% trở lên tổng số thành "
        "viên) (NĐ 152/2025/NĐ-CP)")
    # A code a newer thidua wrote shows as itself, never a crash.
    assert render("khong-co.1", ("a", 2)) == "[khong-co.1] a; 2"
