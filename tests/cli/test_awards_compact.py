"""Issue 19: the awards result is compact data (thidua.awards/2: reasons as codes with
parameters, rendered by the one catalogue), --compare reuses the quarters read, and issue 11's
`thidua awards --explain MÃ_NV` explains one person's year step by step. All on the shipped
example year (examples/nam-2026, its ledger and votes, decision dated 20/12/2026)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from thidua_cli.core.awards_result import SCHEMA_V1, from_json
from thidua_cli.core.reasons import CATALOGUE, LEGACY_TEXT, render

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
# The target: ≤ 1.5 KB of .de-xuat.json per person (it was ≈ 6 KB on the example).
BYTES_PER_PERSON = 1536


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from helpers import invoke_cli

    base = tmp_path_factory.mktemp("nam")
    shutil.copytree(EXAMPLES / "nam-2026", base / "nam-2026",
                    ignore=shutil.ignore_patterns("*.de-xuat.*"))
    for name in ("thidua.db", "phieu-bau-2026.xlsx"):
        shutil.copy(EXAMPLES / name, base / name)
    quarters = [str(base / "nam-2026" / f"quy-{q}-2026.xlsx") for q in (1, 2, 3, 4)]
    common = ["--ledger", str(base / "thidua.db"), "--votes", str(base / "phieu-bau-2026.xlsx"),
              "--decision-date", "2026-12-20"]
    result = invoke_cli("awards", *quarters, *common)
    assert result.exit_code == 0, result.stderr
    return {"base": base, "quarters": quarters, "common": common,
            "json": base / "nam-2026" / "nam-2026.de-xuat.json"}


def test_the_result_file_is_at_most_1_5_kb_per_person(year: dict[str, Any]) -> None:
    path: Path = year["json"]
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["schema"] == "thidua.awards/2"
    people = len(data["ratings"]) + len(data["excluded"])
    assert people >= 790  # the example's 792 people, rated or not rated here
    assert path.stat().st_size / people <= BYTES_PER_PERSON, path.stat().st_size / people
    text = path.read_text(encoding="utf-8")
    # No reason is stored as text: the council's boilerplate condition of every LĐTT candidate
    # is a code, and the articles cited by each condition live in the catalogue.
    assert "Có tinh thần tự lực" not in text and "Có tinh thần tự lực" in CATALOGUE["ldtt.1"]
    assert text.count("Luật TĐKT 2022 Điều 24") <= 2  # the LĐTT title's basis, once


def test_the_reasons_render_the_same_after_the_round_trip(year: dict[str, Any]) -> None:
    from helpers import invoke_cli

    result = invoke_cli("awards", *year["quarters"], *year["common"], "--json", "--no-output")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    outcome = from_json(data)
    again = from_json(json.loads(json.dumps(outcome.to_json(), ensure_ascii=False)))
    assert [(c.staff_id, c.title, c.met, c.unmet, c.pending, c.to_confirm)
            for c in again.candidates] == [
        (c.staff_id, c.title, c.met, c.unmet, c.pending, c.to_confirm) for c in outcome.candidates]
    assert again.awards == outcome.awards and again.ratings == outcome.ratings
    # The file's text is written entry by entry, never as one object tree: the same JSON.
    assert outcome.json_text() == json.dumps(outcome.to_json(), ensure_ascii=False,
                                             separators=(",", ":"))
    assert result.stdout == outcome.json_text() + "\n"
    # Every code the run used is in the one catalogue (an unknown code would show "[code]").
    codes = {x.code for c in outcome.candidates for x in c.conditions}
    assert codes <= set(CATALOGUE) and not any(t.startswith("[") for c in outcome.candidates
                                               for t in c.unmet + c.met)


def test_a_v1_result_is_still_read_with_its_reasons_verbatim() -> None:
    """Migration: a thidua.awards/1 file (reasons stored as text) still loads; each text is kept
    as it was (code LEGACY_TEXT)."""
    data = json.loads((ROOT / "tests" / "data" / "awards-sample.json").read_text(encoding="utf-8"))
    assert data["schema"] == SCHEMA_V1
    data["candidates"] = [{"kind": "individual", "staff_id": "BV0003", "name": "Lê Văn Cường",
                           "department": "Khoa Nội", "title": "LDTT", "eligible": False,
                           "outcome": "not_eligible", "unmet": ["Bị kỷ luật (Khiển trách)"],
                           "met": [], "pending": [], "to_confirm": ["Hội đồng xét"]}]
    outcome = from_json(data)
    (c,) = outcome.candidates
    assert (c.unmet, c.to_confirm, c.conditions[0].code) == (
        ("Bị kỷ luật (Khiển trách)",), ("Hội đồng xét",), LEGACY_TEXT)
    assert render(LEGACY_TEXT, ("chữ {0} giữ nguyên",)) == "chữ {0} giữ nguyên"


def test_compare_reads_each_quarter_once(year: dict[str, Any],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import thidua_cli.io.reader as reader
    from thidua_cli.app import awards as app

    calls: list[str] = []
    real = reader.read_dataset

    def counting(raws: Any, regulation: Any, **kw: Any) -> Any:
        calls.append(Path(raws[0].path).name)
        return real(raws, regulation, **kw)

    monkeypatch.setattr(reader, "read_dataset", counting)
    run = app.run(app.AwardsRequest(files=[Path(p) for p in year["quarters"]],
                                    ledger=year["base"] / "thidua.db", sets=("cap.rate=0.25",),
                                    compare=True))
    assert run.changes  # a 25 % cap adds HTXSNV ratings and titles
    assert sorted(calls) == [f"quy-{q}-2026.xlsx" for q in (1, 2, 3, 4)]


def test_explain_one_person_step_by_step_with_citations(year: dict[str, Any]) -> None:
    from helpers import invoke_cli

    before = sorted(p.name for p in (year["base"] / "nam-2026").iterdir())
    result = invoke_cli("awards", *year["quarters"], *year["common"], "--explain", "BV0227",
                        env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("Nguyễn Thu Chi – mã NV BV0227 – Khoa Nhi")
    # The quarters and their mean: (91.5 + 97.5 + 96.5 + 94.5) / 4 = 380 / 4 = 95 … the year's
    # mean as the roll-up computed it, shown with the rounding of the score steps.
    assert "1. Điểm các quý: quý I 91,5 (chờ Hội đồng) · quý II 97,5 (HTXSNV)" in out
    # The year rating by the same steps as `score --explain`, with their bases.
    assert "Xếp loại năm – Trần HTXSNV" in out and "Căn cứ: NĐ 90/2020/NĐ-CP" in out
    assert "Xếp loại năm – Kết quả: Hoàn thành xuất sắc nhiệm vụ (HTXSNV)" in out
    # Each title, condition by condition, with the article in each reason.
    assert "Danh hiệu LĐTT: đủ điều kiện" in out
    assert ("[đạt] Xếp loại năm HTXSNV (Hoàn thành xuất sắc nhiệm vụ), từ Hoàn thành tốt nhiệm "
            "vụ trở lên (Luật TĐKT 2022 Điều 24)") in out
    # CSTĐCS needs ≥ 80 % of the 9 members: 7/9 = 77.78 % < 80 % → rejected, not paid.
    assert "[chưa đạt] Hội đồng bỏ phiếu đồng ý 7/9 thành viên = 77,78% (cần từ 80% trở lên" in out
    # The money: 0.3 × 2,340,000 = 702,000 đ, rounded up to the next 10,000: 710,000 đ, paid.
    assert ("Tiền thưởng – Lao động tiên tiến: Đạt; hệ số 0,3 × lương cơ sở 2.340.000 đ "
            "(Nghị định 73/2024/NĐ-CP) = 702.000 đ, làm tròn lên 710.000 đ "
            "(NĐ 152/2025/NĐ-CP Điều 49.2); được chi.") in out
    assert "Căn cứ: Luật TĐKT 2022 Điều 24; NĐ 152/2025/NĐ-CP Điều 50" in out
    assert "Tiền thưởng – Chiến sĩ thi đua cơ sở: Không đạt" in out and "không chi" in out
    # --explain writes nothing.
    assert sorted(p.name for p in (year["base"] / "nam-2026").iterdir()) == before


def test_explain_an_unknown_id_is_a_usage_error(year: dict[str, Any]) -> None:
    from helpers import invoke_cli

    result = invoke_cli("awards", *year["quarters"], *year["common"], "--explain", "BV02270")
    assert result.exit_code == 2
    assert "Không có mã nhân viên \"BV02270\" trong các bảng điểm." in result.stderr
    assert "Có phải \"BV0" in result.stderr  # the closest ID


def test_the_hidden_sheet_chunks_of_utf8_bytes_are_the_text_chunks() -> None:
    """The workbook's hidden copy is cut from the UTF-8 bytes a slice at a time; the pieces are
    the same 32,000-character pieces as cut from the text (a multi-byte letter never split)."""
    from thidua_cli.io.awards_xlsx import json_chunks

    text = "Nguyễn Thị Ánh – Khoa Hồi sức; " * 3001  # 31 characters, 45 bytes in UTF-8
    assert list(json_chunks(text.encode("utf-8"))) == list(json_chunks(text))
    assert [len(c) for c in json_chunks(text)] == [32_000, 32_000, 29_031]  # 93,031 = 31 × 3001
    assert list(json_chunks(b"")) == list(json_chunks("")) == [""]
