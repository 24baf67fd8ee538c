#!/usr/bin/env python3
"""Sinh ví dụ khối thi đua năm 2026 cho `thidua cluster`: chín bệnh viện của tỉnh An Bình (tỉnh
giả định), một đơn vị nộp bảng chấm "lộn xộn".

    python examples/make_cluster.py [OUTDIR]        (mặc định: examples/khoi-2026)

Ghi ra:
    khoi-2026.xlsx          bảng điểm của khối (tiêu chí, nhóm, điểm tối đa, điểm cộng, điểm trừ)
                            và danh sách thành viên (Trưởng khối, số lao động, điều kiện Cờ)
    cham/*.xlsx             bảng tự chấm và kiểm tra chéo của từng đơn vị (9 tệp); tệp của Bệnh
                            viện Tâm thần có dòng tiêu đề, ô gộp, nhóm, số gõ dạng văn bản "8,5",
                            một ô kiểm tra để trống, dòng Tổng cộng và chữ ký như bản thật
    bieu-quyet.xlsx         kết quả biểu quyết của Trưởng các đơn vị (9 thành viên)
    de-xuat/*.json          đề nghị khen thưởng của hai đơn vị (kết quả thidua awards, tên
                            không đuôi .de-xuat.json để được kèm trong kho mã)
    quy-che-khoi.toml       quy chế: quy chế mặc định, thêm tỷ lệ lãnh đạo tối đa 30 %

What the run shows (the totals are written here by hand and checked by the tests): Đa khoa tỉnh
first with 105 points, all Cờ conditions met, 8 of 9 votes; Bệnh viện A second (Bằng khen);
Mắt and Phục hồi chức năng tied third at 96 for the one Bằng khen seat left (pending, never
broken); Sông Cầu's self score skipped a deduction (a flagged difference of 5 points); the leaders'
share of the proposals is 6 of 18 (33.3 %), above 30 %, Đa khoa tỉnh at 40 %.
Deterministic: no clock, no randomness.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PROVINCE = "AN BÌNH"
CLUSTER = "KHỐI THI ĐUA CÁC BỆNH VIỆN TUYẾN TỈNH – TỈNH AN BÌNH"
CREATED = datetime(2026, 12, 5, 8, 0, 0)

# Mã, nội dung, nhóm, tối đa, loại
ITEMS: tuple[tuple[str, str, str, float, str], ...] = (
    ("CM1", "Hoàn thành chỉ tiêu khám, chữa bệnh được giao", "I. Nhiệm vụ chuyên môn", 20, ""),
    ("CM2", "Chất lượng bệnh viện theo Bộ tiêu chí của Bộ Y tế", "I. Nhiệm vụ chuyên môn", 15, ""),
    ("CM3", "Chuyển đổi số, bệnh án điện tử", "I. Nhiệm vụ chuyên môn", 15, ""),
    ("QL1", "Quản lý tài chính, tự chủ", "II. Quản lý, điều hành", 10, ""),
    ("QL2", "Cải cách hành chính, báo cáo đúng hạn", "II. Quản lý, điều hành", 10, ""),
    ("DT1", "Xây dựng tổ chức Đảng", "III. Đảng và đoàn thể", 10, ""),
    ("DT2", "Công đoàn, Đoàn Thanh niên", "III. Đảng và đoàn thể", 10, ""),
    ("PT1", "Tổ chức phong trào thi đua, khen thưởng", "IV. Phong trào thi đua", 10, ""),
    ("C1", "Vượt chỉ tiêu kế hoạch năm", "V. Điểm cộng", 5, "Cộng"),
    ("C2", "Sáng kiến được công nhận cấp tỉnh", "V. Điểm cộng", 5, "Cộng"),
    ("T1", "Có khiếu nại vượt cấp đúng sự thật", "VI. Điểm trừ", 5, "Trừ"),
    ("T2", "Chậm báo cáo định kỳ", "VI. Điểm trừ", 3, "Trừ"),
)
CODES = tuple(i[0] for i in ITEMS)

# name, file, head, staff, targets exceeded, party rating, serious violation,
# checked points (in ITEMS order), self points where they differ from the checked ones.
MEMBERS: tuple[tuple[str, str, bool, int, str, str, str, tuple[float | None, ...],
                     dict[str, float]], ...] = (
    ("Bệnh viện Đa khoa tỉnh An Bình", "da-khoa-tinh", True, 650, "Có", "HTXSNV", "Không",
     (20, 14, 14, 10, 9, 10, 10, 10, 5, 3, 0, 0), {"CM2": 15}),
    ("Bệnh viện A", "benh-vien-a", False, 420, "Có", "HTXSNV", "Không",
     (19, 14, 13, 9, 9, 10, 9, 10, 4, 2, 0, 0), {"CM1": 20}),
    ("Bệnh viện C", "benh-vien-c", False, 380, "Có", "HTTNV", "Không",
     (18, 13, 12, 9, 8, 9, 9, 9, 2, 0, 0, 1), {"CM2": 13.5}),
    ("Bệnh viện Đa khoa khu vực Sông Cầu", "song-cau", False, 310, "Không", "HTTNV", "Có",
     (17, 12, 11, 8, 8, 9, 8, 8, 1, 0, 5, 0), {"T1": 0}),
    ("Bệnh viện Mắt tỉnh An Bình", "mat", False, 120, "Có", "HTXSNV", "Không",
     (19, 13, 13, 9, 9, 10, 9, 9, 3, 2, 0, 0), {}),
    ("Bệnh viện Phục hồi chức năng tỉnh An Bình", "phuc-hoi-chuc-nang", False, 110, "Có",
     "HTXSNV", "Không", (18, 14, 13, 9, 9, 10, 9, 9, 3, 2, 0, 0), {"CM3": 14}),
    ("Bệnh viện Lao và Bệnh phổi tỉnh An Bình", "lao-benh-phoi", False, 140, "Có", "HTTNV",
     "Không", (17, 12, 12, 8, 8, 9, 9, 8, 2, 0, 0, 0), {}),
    ("Bệnh viện Y học cổ truyền tỉnh An Bình", "y-hoc-co-truyen", False, 150, "Có", "HTTNV",
     "Không", (18, 13, 12, 9, 8, 9, 9, 9, 2, 1, 0, 0), {}),
    # The messy one: QL2 not checked (blank), counted from the self score 8,5.
    ("Bệnh viện Tâm thần tỉnh An Bình", "tam-than", False, 95, "Có", "HTTNV", "Không",
     (18, 13, 12, 9, None, 9, 9, 9, 2, 0, 0, 0), {"QL2": 8.5}),
)
VOTES = (("Bệnh viện Đa khoa tỉnh An Bình", "Cờ thi đua", 8),
         ("Bệnh viện A", "Bằng khen", 7),
         ("Bệnh viện Mắt tỉnh An Bình", "Bằng khen", 6),
         ("Bệnh viện Phục hồi chức năng tỉnh An Bình", "Bằng khen", 5))
# Proposals: member → (title code, label, leaders, direct workers)
PROPOSALS = {
    "Bệnh viện Đa khoa tỉnh An Bình": (("CSTDCS", "Chiến sĩ thi đua cơ sở", 2, 2),
                                       ("LDTT", "Lao động tiên tiến", 2, 4)),
    "Bệnh viện A": (("CSTDCS", "Chiến sĩ thi đua cơ sở", 1, 1),
                    ("LDTT", "Lao động tiên tiến", 1, 5)),
}


def _book(sheets: Sequence[tuple[str, list[list[Any]], Iterable[str]]], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows, merged in sheets:
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for rng in merged:
            ws.merge_cells(rng)
        ws["A1"].font = Font(bold=True)
    wb.properties.created = wb.properties.modified = CREATED
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def cluster_book() -> list[tuple[str, list[list[Any]], Iterable[str]]]:
    table: list[list[Any]] = [[CLUSTER], ["BẢNG ĐIỂM GIAO ƯỚC THI ĐUA NĂM 2026"], [],
                              ["Mã", "Tiêu chí", "Nhóm", "Điểm tối đa", "Loại"]]
    table += [[c, n, g, m, k] for c, n, g, m, k in ITEMS]
    table.append(["", "Tổng cộng (không kể điểm cộng, điểm trừ)", "", 100, ""])
    members: list[list[Any]] = [["DANH SÁCH ĐƠN VỊ THÀNH VIÊN NĂM 2026"], [],
                                ["STT", "Đơn vị", "Trưởng khối", "Số lao động", "Vượt chỉ tiêu",
                                 "Tổ chức Đảng", "Vi phạm nghiêm trọng"]]
    for i, (name, _, head, staff, targets, party, violation, _p, _s) in enumerate(MEMBERS, 1):
        members.append([i, name, "x" if head else "", staff, targets, party, violation])
    return [("Bảng điểm", table, ("A1:E1", "A2:E2")), ("Thành viên", members, ("A1:G1",))]


def _fmt(value: float | None) -> float | str | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def member_sheet(index: int) -> tuple[str, list[list[Any]], Iterable[str]]:
    name, _, _, _, _, _, _, checked, own = MEMBERS[index]
    selfs = [own.get(c, checked[i]) for i, c in enumerate(CODES)]
    if name.startswith("Bệnh viện Tâm thần"):
        return _messy(name, selfs, checked)
    rows: list[list[Any]] = [[f"Đơn vị: {name}"], [],
                             ["Mã", "Nội dung", "Điểm tối đa", "Tự chấm", "Kiểm tra"]]
    for (code, text, _, maximum, _), s, c in zip(ITEMS, selfs, checked, strict=True):
        rows.append([code, text, maximum, _fmt(s), _fmt(c)])
    return ("Chấm điểm", rows, ())


def _messy(name: str, selfs: Sequence[float | None], checked: Sequence[float | None]
           ) -> tuple[str, list[list[Any]], Iterable[str]]:
    rows: list[list[Any]] = [
        ["SỞ Y TẾ TỈNH AN BÌNH", "", "", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        ["BỆNH VIỆN TÂM THẦN", "", "", "Độc lập - Tự do - Hạnh phúc"],
        [],
        ["BẢNG TỰ CHẤM ĐIỂM THI ĐUA NĂM 2026"],
        [f"Tên đơn vị:  {name.upper()}"],
        [],
        ["STT", "Mã tiêu chí", "Nội dung chấm điểm", "Điểm chuẩn", "Điểm tự chấm",
         "Điểm khối chấm", "Ghi chú"],
    ]
    group = ""
    n = 0
    for (code, text, grp, maximum, _), s, c in zip(ITEMS, selfs, checked, strict=True):
        if grp != group:
            rows.append(["", "", grp.upper(), "", "", "", ""])
            group = grp
        n += 1
        shown_self: Any = _fmt(s)
        if isinstance(s, float) and not s.is_integer():
            shown_self = f"{s:g}".replace(".", ",")  # typed as text, the Vietnamese way
        rows.append([n, code, text, maximum, shown_self, _fmt(c),
                     "chờ đoàn kiểm tra" if c is None else ""])
    rows += [["", "", "Tổng cộng", 100, "", "", ""], [],
             ["", "", "", "", "An Bình, ngày 02 tháng 12 năm 2026"],
             ["", "", "", "", "GIÁM ĐỐC"]]
    return ("Tự chấm 2026", rows, ("A4:G4", "A5:G5"))


def votes_sheet() -> tuple[str, list[list[Any]], Iterable[str]]:
    rows: list[list[Any]] = [["KẾT QUẢ BIỂU QUYẾT HỌP KHỐI NĂM 2026"],
                             ["Tổng số thành viên: 9"], [],
                             ["STT", "Đơn vị", "Danh hiệu", "Số phiếu đồng ý"]]
    rows += [[i, u, t, v] for i, (u, t, v) in enumerate(VOTES, 1)]
    return ("Biểu quyết", rows, ())


def proposal_json(member: str) -> dict[str, Any]:
    from thidua_cli.core.awards_result import AwardEntry, AwardsOutcome, Council, RulesetInfo

    awards = []
    n = 0
    for code, label, leaders, direct in PROPOSALS[member]:
        for k in range(leaders + direct):
            n += 1
            manager = k < leaders
            awards.append(AwardEntry(
                kind="individual", title=code, title_label=label, status="proposed",
                name=f"Cán bộ {n:02d}", staff_id=f"NV{n:03d}",
                position="Trưởng khoa" if manager else "Điều dưỡng", is_manager=manager))
    outcome = AwardsOutcome(
        year=2026, decision_date=date(2026, 12, 20),
        ruleset=RulesetInfo("2025-07", "Nghị định 152/2025/NĐ-CP"),
        organisation={"name": member.upper(), "parent": f"SỞ Y TẾ TỈNH {PROVINCE}"},
        council=Council(members=9), awards=tuple(awards))
    return outcome.to_json()


def rules_text() -> str:
    return ('# Quy chế của khối: quy chế mặc định, thêm tỷ lệ lãnh đạo tối đa.\n'
            'name = "Quy chế khối thi đua các bệnh viện tuyến tỉnh An Bình năm 2026"\n\n'
            "[cluster]\n# Lãnh đạo, quản lý tối đa 30 % số cá nhân được đề nghị (thoả thuận "
            "của khối).\nleader_share_max = 0.3\n")


def write_cluster(outdir: Path) -> list[str]:
    outdir.mkdir(parents=True, exist_ok=True)
    _book(cluster_book(), outdir / "khoi-2026.xlsx")
    for i, member in enumerate(MEMBERS):
        _book([member_sheet(i)], outdir / "cham" / f"{member[1]}.xlsx")
    _book([votes_sheet()], outdir / "bieu-quyet.xlsx")
    (outdir / "de-xuat").mkdir(exist_ok=True)
    for member, (_, slug, *_rest) in ((m[0], m) for m in MEMBERS if m[0] in PROPOSALS):
        text = json.dumps(proposal_json(member), ensure_ascii=False, indent=2) + "\n"
        (outdir / "de-xuat" / f"{slug}.json").write_text(text, encoding="utf-8")
    (outdir / "quy-che-khoi.toml").write_text(rules_text(), encoding="utf-8")
    return [f"khối 2026: {len(MEMBERS)} đơn vị, {len(ITEMS)} mục chấm, {len(VOTES)} dòng biểu "
            f"quyết, {len(PROPOSALS)} tệp đề xuất → {outdir}"]


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("outdir", nargs="?", default=str(HERE / "khoi-2026"))
    args = parser.parse_args(list(argv) if argv is not None else None)
    for line in write_cluster(Path(args.outdir)):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
