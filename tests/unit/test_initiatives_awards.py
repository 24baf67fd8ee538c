"""The awards spend the register's initiatives (issue 17): two years worked by hand, where a
Giấy khen that spent 2025's initiative would break 2026's Bằng khen; the proposal names each
initiative used with its decision; ``ledger record`` marks the parts used, and a rerun of the
year after recording gives the same result."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from test_awards_scenarios import P, award, cand, decide, fillers, joined, reg

from thidua_cli.app.awards import awards_outcome
from thidua_cli.app.initiatives import name_uses
from thidua_cli.app.ledger import plan_uses
from thidua_cli.core.awards_model import History, HistoryYear
from thidua_cli.core.initiatives import Author, Initiative, Register, supply
from thidua_cli.io.awards_io import result_records
from thidua_cli.io.ledger import Ledger
from thidua_cli.model import Rating

# Giấy khen may rest on an initiative (the regulation allows it here); Bằng khen tỉnh needs
# 2 CSTĐCS years in a row and 2 initiatives across them (the defaults: 2 years, 2 initiatives).
REG = reg(("awards.giay_khen.achievements", ["initiative"]))


def _sk(n: int, year: int, level: str = "co-so", used: str = "", used_year: int | None = None,
        staff: str = "A1") -> Initiative:
    return Initiative(f"Sáng kiến {n}", level, year, year,
                      (Author("Nguyễn Văn A1", staff, used_by=used, used_year=used_year),),
                      decision_number=f"{n}/QĐ-BV", decision_date=date(year, 11, 20), id=n)


def test_supply_counts_free_parts_by_year() -> None:
    items = [_sk(1, 2025), _sk(2, 2026), _sk(3, 2026, used="Giấy khen năm 2026", used_year=2026),
             _sk(4, 2025, used="Giấy khen năm 2025", used_year=2025), _sk(5, 2027)]
    # Deciding 2026: #1 (2025) and #2 (2026) are free; #3 was used by a 2026 award, which this
    # run decides again, so it is free too; #4 was spent in 2025; #5 is next year's.
    assert supply(items, "A1", 2026) == {2025: 1, 2026: 2}
    assert supply(items, "B9", 2026) == {}


def test_two_years_giay_khen_would_break_next_years_bang_khen() -> None:
    sk2025, sk2026 = _sk(1, 2025), _sk(2, 2026)
    # 2025: A1 scores 95 among 9 fillers at 80 → HTXSNV (cap 20 % of 10 = 2), so CSTĐCS rests on
    # the rating and needs no initiative. The Giấy khen could rest on the 2025 initiative, but
    # A1 is in a streak (CSTĐCS this year): the initiative is kept for a multi-year award.
    res25 = decide([P("A1", 95), *fillers(9)], regulation=REG, year=2025,
                   when=date(2025, 12, 20), history=History(register=Register((sk2025,))))
    assert cand(res25, "CSTDCS", "A1").eligible
    assert award(res25, "CSTDCS", "A1").initiatives_used == ()
    gk = cand(res25, "GIAY_KHEN", "A1")
    assert gk.outcome == "not_eligible"
    assert "để dành cho khen thưởng nhiều năm" in joined(gk.texts("unmet"))
    # 2026: CSTĐCS again (HTXSNV); the 2025 initiative is still free, the 2026 one is new:
    # 1 + 1 = 2 initiatives in 2025–2026 → Bằng khen tỉnh, resting on both.
    past = {"A1": {2025: HistoryYear(2025, Rating.HTXSNV, frozenset({"LDTT", "CSTDCS"}))}}
    history = History(people=past, years=frozenset({2025}), register=Register((sk2025, sk2026)))
    res26 = decide([P("A1", 95), *fillers(9)], regulation=REG, history=history)
    bk = award(res26, "BANG_KHEN_TINH", "A1")
    assert cand(res26, "BANG_KHEN_TINH", "A1").eligible
    assert bk.initiatives_used == ((2025, 1), (2026, 1))
    # Had a 2025 Giấy khen spent the 2025 initiative, only 1 would be left: no Bằng khen.
    spent = replace(sk2025, authors=(replace(sk2025.authors[0], used_by="Giấy khen năm 2025",
                                             used_year=2025),))
    res26b = decide([P("A1", 95), *fillers(9)], regulation=REG,
                    history=replace(history, register=Register((spent, sk2026))))
    assert "Chỉ có 1 sáng kiến/đề tài trong 2025–2026 chưa dùng làm căn cứ khen thưởng khác, cần 2" in joined(
        cand(res26b, "BANG_KHEN_TINH", "A1").texts("unmet"))
    # The proposal names both initiatives with their decisions, as the dossier needs.
    outcome = name_uses(awards_outcome(res26, "test"), Register((sk2025, sk2026)))
    note = next(a.note for a in outcome.awards if a.title == "BANG_KHEN_TINH")
    assert ("Sáng kiến, đề tài làm căn cứ: «Sáng kiến 1» (cấp cơ sở, QĐ 1/QĐ-BV ngày 20/11/2025); "
            "«Sáng kiến 2» (cấp cơ sở, QĐ 2/QĐ-BV ngày 20/11/2026)") in note


def test_register_replaces_the_sheets_counts_of_the_years_it_covers() -> None:
    # The register covers 2026 (it holds B2's initiative); A1's sheet says 1 initiative, the
    # register none: the register wins (HTTNV at 85, so CSTĐCS would need an initiative).
    res = decide([P("A1", 85, initiatives=1), *fillers(4)],
                 history=History(register=Register((_sk(8, 2026, staff="B2"),))))
    assert not cand(res, "CSTDCS", "A1").eligible
    res = decide([P("A1", 85), *fillers(4)], history=History(register=Register((_sk(7, 2026),))))
    assert award(res, "CSTDCS", "A1").initiatives_used == ((2026, 1),)
    # A register holding nothing for 2026 leaves the sheets' counts as they are.
    res = decide([P("A1", 85, initiatives=1), *fillers(4)], history=History(register=Register(())))
    assert award(res, "CSTDCS", "A1").initiatives_used == ((2026, 1),)


def test_a_register_started_in_2026_keeps_the_ledgers_counts_of_2025() -> None:
    # 2025 from the ledger's counts (1 initiative, unused), 2026 from the register (1):
    # 1 + 1 = 2 → Bằng khen tỉnh on CSTĐCS 2025–2026.
    past = {"A1": {2025: HistoryYear(2025, Rating.HTXSNV, frozenset({"LDTT", "CSTDCS"}), 1, 0)}}
    history = History(people=past, years=frozenset({2025}), register=Register((_sk(2, 2026),)))
    res = decide([P("A1", 95), *fillers(9)], history=history)
    assert award(res, "BANG_KHEN_TINH", "A1").initiatives_used == ((2025, 1), (2026, 1))


def test_record_marks_the_parts_used_and_a_rerun_gives_the_same(tmp_path: Path) -> None:
    db = tmp_path / "thidua.db"
    with Ledger.open(db, create=True) as book:
        book.add_initiatives([_sk(1, 2026)], source="test", at="t")
    with Ledger.open(db, read_only=True) as book:
        history = book.history(before=2026)
    assert history.register is not None and len(history.register) == 1
    res = decide([P("A1", 85), *fillers(4)], history=history)
    outcome = awards_outcome(res, "test")
    batch, ratings, _ = result_records(outcome, number="12/QĐ-BV", signed_on=date(2026, 12, 20),
                                       source="x", sha256="", recorded_at="t",
                                       include_proposed=True)
    with Ledger.open(db) as book:
        uses = plan_uses(book.initiatives(), batch.awards, number="12/QĐ-BV", year=2026)
        assert uses == [(1, "A1", "Chiến sĩ thi đua cơ sở năm 2026 (QĐ 12/QĐ-BV)", 2026)]
        book.write([batch], ratings, initiative_parts=uses)
        (item,) = book.initiatives()
        assert item.authors[0].used_by == "Chiến sĩ thi đua cơ sở năm 2026 (QĐ 12/QĐ-BV)"
        # Deciding 2026 again after recording: its own award's part is free again.
        again = decide([P("A1", 85), *fillers(4)], history=book.history(before=2026))
        assert award(again, "CSTDCS", "A1").initiatives_used == ((2026, 1),)
        # Deciding 2027: the part is spent.
        assert supply(book.initiatives(), "A1", 2027) == {}


def test_holds_kept_in_the_ledger_make_awards_wait(tmp_path: Path) -> None:
    """publish comments --ledger keeps the holds; awards --ledger keeps those candidates
    waiting (ND 152/2025 Điều 4.4), so no decision is printed for them from its result."""
    import shutil

    from test_awards_scenarios import CRIT

    from helpers import invoke_cli
    from thidua_cli.app.awards import run_awards
    from thidua_cli.core.yearly import year_from_workbook
    from thidua_cli.io.ledger import read_holds
    from thidua_cli.model import Dataset, Report

    posted = tmp_path / "nam-2026.de-xuat.json"
    shutil.copy(Path(__file__).resolve().parents[1] / "data" / "awards-sample.json", posted)
    assert invoke_cli("publish", "notice", posted, "--start", "2027-02-01").exit_code == 0
    folder = posted.parent
    sheet = folder / "nam-2026.y-kien.xlsx"
    _fill_comments(sheet, [[1, "A", "BV0012", "", "Đang xem xét kỷ luật", "Vi phạm nội quy", "03/02/2027",
                   "", ""]])
    db = folder / "thidua.db"
    done = invoke_cli("publish", "comments", sheet, posted, "--ledger", db)
    assert done.exit_code == 0, done.output
    reason = ("Tạm dừng xét: đang có đang xem xét kỷ luật chưa giải quyết xong "
              "(NĐ 152/2025/NĐ-CP Điều 4.4)")
    assert read_holds(db, 2026) == {"BV0012": reason}
    # thidua awards with that ledger: BV0012 (HTXSNV at 95 among 9 at 80: LĐTT and CSTĐCS)
    # waits for the council; the others are decided as before.
    r = reg()
    people = [P("BV0012", 95), *fillers(9)]
    year = year_from_workbook(Dataset(people, CRIT, "test", Report()), r, 2026)
    decided = run_awards(year, r, history_path=db, votes=None, decision_date=date(2026, 12, 20),
                         tool_version="test")
    mine = [a for a in decided.outcome.awards if a.staff_id == "BV0012"]
    assert {a.title for a in mine} >= {"LDTT", "CSTDCS"}
    assert all(a.status == "pending_council" and reason in a.note for a in mine)
    assert all(a.status == "proposed" for a in decided.outcome.awards
               if a.staff_id == "X01" and a.title == "LDTT")
    # The complaint resolved: reading the sheet again lifts the hold.
    _fill_comments(sheet, [[1, "A", "BV0012", "", "Đang xem xét kỷ luật", "Vi phạm nội quy", "03/02/2027",
                   "Không có vi phạm", "x"]])
    again = invoke_cli("publish", "comments", sheet, posted, "--ledger", db, "--force")
    assert again.exit_code == 0, again.output
    assert read_holds(db, 2026) == {}


def _fill_comments(sheet: Path, rows: list[list[object]]) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(sheet)
    for n, row in enumerate(rows, start=5):
        for c, value in enumerate(row, start=1):
            wb["Ý kiến"].cell(n, c, value)
    wb.save(sheet)


def test_pick_names_the_lowest_level_for_the_hospital_the_highest_for_higher_awards() -> None:
    from thidua_cli.core.initiatives import pick

    co_so, tinh = _sk(1, 2026), replace(_sk(2, 2026), level="tinh")
    spent: set[tuple[int | None, str]] = set()
    # CSTĐCS (hospital) first: it takes the cơ sở one, the cấp tỉnh one stays for CSTĐ tỉnh.
    assert pick([tinh, co_so], "A1", 2026, ((2026, 1),), spent) == [co_so]
    assert pick([tinh, co_so], "A1", 2026, ((2026, 1),), spent, higher=True) == [tinh]
    # In the other order the same two are named.
    spent = set()
    assert pick([tinh, co_so], "A1", 2026, ((2026, 1),), spent, higher=True) == [tinh]
    assert pick([tinh, co_so], "A1", 2026, ((2026, 1),), spent) == [co_so]
