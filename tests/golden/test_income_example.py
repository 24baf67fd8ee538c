"""The income example (examples/thu-nhap/, issue 16) read with thidua itself: March 2026 with one
fund, Q4 2026 with a fund per department; every pool adds up to its fund to the đồng."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "examples" / "thu-nhap"
RULES = ROOT / "examples" / "quy-che.toml"


def test_march_2026_one_fund(run_cli: Any) -> None:
    result = run_cli("income", FOLDER / "loai-thang-3-2026.xlsx", "--staff",
                     FOLDER / "nhan-su-thang-3-2026.xlsx", "--fund", "1.250.000.000",
                     "--rules", RULES, "--json", "--no-output")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["period"]["code"] == "2026-M03" and doc["standard_days"] == 22
    assert sum(p["amount"] for p in doc["people"]) == 1_250_000_000
    reasons = {r["code"] for p in doc["people"] for r in p["reasons"]}
    assert {"GRADE_ZERO", "MATERNITY_FULL", "GRADE_REDUCED", "DAYS_REDUCED"} <= reasons


def test_q4_2026_fund_per_department(run_cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "q4.thu-nhap.xlsx"
    result = run_cli("income", FOLDER / "loai-quy-4-2026.xlsx", "--staff",
                     FOLDER / "nhan-su-quy-4-2026.xlsx", "--fund-sheet",
                     FOLDER / "quy-khoa-quy-4-2026.xlsx", "--rules", RULES, "-o", out)
    assert result.exit_code == 0, result.stderr
    funds = openpyxl.load_workbook(FOLDER / "quy-khoa-quy-4-2026.xlsx")["Quỹ"]
    expected = {r[1]: r[2] for r in funds.iter_rows(min_row=4, values_only=True) if r[1]}
    wb = openpyxl.load_workbook(out)
    summary = wb["Tổng hợp"]
    paid = {}
    for row in summary.iter_rows(values_only=True):
        if row[0] in expected and isinstance(row[4], int):
            paid[row[0]] = row[4]
    assert paid == expected  # each department's total is its fund, to the đồng
    assert "Chuyển khoản" in wb.sheetnames
