"""Trade-union titles resting on initiatives (issue 17, core/union.py), worked by hand with the
default [union] thresholds: rating ≥ HTTNV, < 40 days off (maternity aside), ≥ 10 months since
recruitment, no discipline; LĐG–LĐST ≥ 1 initiative of the year; Bằng LĐST 80 million đồng in
the year or 120 million over three consecutive years (QĐ 1564/QĐ-TLĐ 2014 Điều 16.1.1)."""

from __future__ import annotations

import json
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

from thidua_cli.config.sections import UnionSettings
from thidua_cli.core.initiatives import Author, Initiative
from thidua_cli.core.union import Member, benefit_part, exclusion, union_titles
from thidua_cli.model import Rating

RULES = UnionSettings(enabled=True)
END = date(2026, 12, 31)
M = 1_000_000


def _sk(n: int, year: int, benefit: int, *authors: tuple[str, str | None]) -> Initiative:
    return Initiative(f"Giải pháp {n}", "co-so", year, year,
                      tuple(Author(f"Người {sid}", sid, Decimal(s) if s else None)
                            for sid, s in authors), benefit=benefit, id=n)


REGISTER = [
    _sk(1, 2024, 60 * M, ("A", None), ("C", None)),  # no shares: A's part 60/2 = 30 M
    _sk(2, 2025, 30 * M, ("A", None)),  # A alone: 30 M
    _sk(3, 2026, 100 * M, ("A", "60"), ("B", "40")),  # A 60 M, B 40 M
    _sk(4, 2026, 85 * M, ("D", None)),  # D 85 M
    _sk(5, 2024, 70 * M, ("K", None)),  # K: 2024 and 2026, no 2025
    _sk(6, 2026, 60 * M, ("K", None)),
]


def _titles(*members: Member) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for t in union_titles(members, REGISTER, 2026, END, RULES):
        out.setdefault(t.staff_id, []).append(t.title)
    return out


def test_parts_of_the_benefit_by_hand() -> None:
    assert benefit_part(REGISTER[0], "A") == 30 * M  # 60 M ÷ 2 authors, no shares written
    assert benefit_part(REGISTER[2], "A") == 60 * M  # 100 M × 60 %
    assert benefit_part(REGISTER[2], "B") == 40 * M  # 100 M × 40 %
    assert benefit_part(REGISTER[2], "Z") == 0


def test_titles_by_hand() -> None:
    got = _titles(
        # A: 2026 part 60 M < 80 M; 2024–2026: 30 + 30 + 60 = 120 M ≥ 120 M, a solution each
        # year → Bằng LĐST on the three years; HTTNV and 1 initiative of 2026 → both titles.
        Member("A", "A", "K1", Rating.HTTNV, leave_days=10, recruited_on=date(2020, 1, 1)),
        # B: HTXSNV, 1 initiative of 2026 (part 40 M): no Bằng.
        Member("B", "B", "K1", Rating.HTXSNV),
        # D: HTNV is below HTTNV → neither title; 85 M ≥ 80 M in 2026 → Bằng LĐST.
        Member("D", "D", "K1", Rating.HTNV),
        # K: 70 + 60 = 130 M ≥ 120 M but no solution in 2025 → not three consecutive years;
        # 60 M < 80 M in 2026 → no Bằng.
        Member("K", "K", "K1", Rating.HTTNV),
        # G: recruited 01/03/2026 → 10 full months to 31/12 → considered; no initiative.
        Member("G", "G", "K1", Rating.HTTNV, recruited_on=date(2026, 3, 1)),
    )
    assert got == {"A": ["DVCD_XS", "LDG_LDST", "BANG_LDST"], "B": ["DVCD_XS", "LDG_LDST"],
                   "D": ["BANG_LDST"], "K": ["DVCD_XS", "LDG_LDST"], "G": ["DVCD_XS"]}
    basis = {t.title: t.basis for t in union_titles(
        [Member("A", "A", "K1", Rating.HTTNV)], REGISTER, 2026, END, RULES)}
    assert basis["BANG_LDST"].startswith("Giá trị làm lợi 03 năm 2024–2026: 120.000.000 đ (từ "
                                         "120.000.000 đ; Điều 16 khoản 1.1")


def test_exclusions_by_hand() -> None:
    # 40 days off is excluded (from 40), 39.5 is not; maternity is not in leave_days.
    assert exclusion(Member("E", "E", "", Rating.HTXSNV, leave_days=40), RULES, END) == (
        "nghỉ 40 ngày (không kể thai sản), từ 40 ngày không xét")
    assert exclusion(Member("E", "E", "", Rating.HTXSNV, leave_days=39.5), RULES, END) is None
    # Recruited 15/03/2026: 15/03 → 14/12 is 9 full months by 31/12 → under 10.
    assert exclusion(Member("F", "F", "", Rating.HTXSNV, recruited_on=date(2026, 3, 15)), RULES,
                     END) == "mới tuyển dụng 9 tháng (dưới 10 tháng)"
    held = Member("H", "H", "", Rating.HTXSNV, discipline="Khiển trách")
    assert exclusion(held, RULES, END) == "bị kỷ luật (Khiển trách) trong năm"
    assert _titles(held, Member("A", "A", "", Rating.HTXSNV, leave_days=45)) == {}
    # The union may turn the discipline rule off and lower the rating floor.
    lenient = UnionSettings(enabled=True, discipline_excludes=False, min_rating="HTNV")
    assert [t.title for t in union_titles([held], [], 2026, END, lenient)] == ["DVCD_XS"]


def test_sheet_counts_stand_in_without_a_register() -> None:
    m = Member("S", "S", "", Rating.HTTNV, initiatives=1)
    assert [t.title for t in union_titles([m], [], 2026, END, RULES)] == ["DVCD_XS", "LDG_LDST"]


def test_awards_show_union_titles_only_when_enabled(tmp_path: Path) -> None:
    from helpers import invoke_cli

    examples = Path(__file__).resolve().parents[2] / "examples"
    files = sorted((examples / "nam-2026").glob("quy-*.xlsx"))
    db = tmp_path / "thidua.db"
    shutil.copy(examples / "thidua.db", db)
    off = invoke_cli("awards", *files, "--ledger", db, "--json", "--no-output")
    assert off.exit_code == 0, off.output
    assert "union" not in json.loads(off.stdout)
    rules = tmp_path / "quy-che.toml"
    rules.write_text(_enable(examples / "quy-che.toml"), encoding="utf-8")
    on = invoke_cli("awards", *files, "--ledger", db, "--rules", rules, "--json", "--no-output")
    assert on.exit_code == 0, on.output
    union = json.loads(on.stdout)["union"]
    assert union and {u["title"] for u in union} <= {"DVCD_XS", "LDG_LDST", "BANG_LDST"}
    shown = invoke_cli("awards", *files, "--ledger", db, "--rules", rules, "-o",
                       tmp_path / "kq.de-xuat.xlsx")
    assert shown.exit_code == 0, shown.output
    assert "Danh hiệu công đoàn" in shown.stdout and union[0]["name"] in shown.stdout
    # The proposal workbook has the same list on its own sheet, read back cell by cell.
    import openpyxl

    sheet = openpyxl.load_workbook(tmp_path / "kq.de-xuat.xlsx")["Công đoàn"]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    assert [(r[1], r[4], r[5]) for r in rows] == [
        (u["staff_id"], u["title_label"], u["basis"]) for u in union]


def _enable(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    head, sep, tail = text.partition("[union]\n")
    return head + sep + tail.replace("enabled = false", "enabled = true", 1)
