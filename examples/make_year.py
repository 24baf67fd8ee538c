"""Sinh ví dụ cả năm 2026 cho `thidua awards`: bốn bảng điểm quý, danh sách khen thưởng 2024–2025
(nhập vào sổ lịch sử thidua.db bằng `thidua ledger import`) và kết quả bỏ phiếu của Hội đồng.

    python examples/make_year.py [OUTDIR]        (mặc định: thư mục examples/)

Ghi ra:
    nam-2026/quy-1-2026.xlsx … quy-4-2026.xlsx   bảng điểm bốn quý (cùng 792 người của
                                                 quy-4-2026.xlsx; quý IV cùng điểm)
    lich-su-2024-2025.xlsx                       quyết định khen thưởng và xếp loại 2024, 2025
    thidua.db                                    sổ lịch sử (thidua ledger import của tệp trên)
    phieu-bau-2026.xlsx                          kết quả bỏ phiếu của Hội đồng (9 thành viên)

Deterministic: seeded random.Random, no clock (the ledger's "recorded at" comes from
SOURCE_DATE_EPOCH). The people come from make_examples.py (same seed, same staff); quarters I–III
vary each person's quarter IV points a little. The cases the README run must show are chosen by
running thidua's own core on the generated data: a tie at the year's HTXSNV cap settled by the
council's votes, candidates for CSTĐ cấp tỉnh and Bằng khen from the 2024–2025 history, a streak
broken by one year, a CSTĐCS rejected by the vote (7 of 9 < 80 %), someone who left in June,
someone missing from one quarter's file, a long absence across quarters.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import make_examples as mx  # noqa: E402  (the examples folder is not a package)

SEED = 20261
YEAR = 2026
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
QUARTER_ENDS = {1: date(2026, 3, 31), 2: date(2026, 6, 30), 3: date(2026, 9, 30),
                4: date(2026, 12, 31)}
COUNCIL = 9
RECORDED_EPOCH = "1767578400"  # 2026-01-05 02:00 UTC: the ledger's "recorded at"


@dataclass
class Quarter:
    """One person's row in one quarter's sheet (half-points, as make_examples keeps them)."""

    scores: dict[str, int]
    bonus: int = 0
    deduction: int = 0
    leave: int = 0
    maternity: int = 0
    discipline: str = ""
    initiatives: int = 0
    research: int = 0

    @property
    def total(self) -> int:
        raw = sum(self.scores.values()) + min(self.bonus, mx.BONUS_CAP_HALF) - self.deduction
        return max(0, min(mx.TOTAL_MAX_HALF, raw))


@dataclass
class Member:
    staff: mx.Staff
    quarters: dict[int, Quarter] = field(default_factory=dict)
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)  # issue 11: column header → value


def make_sheet(name: str, rows: list[list[tuple[Any, str]]], *, merge_title_rows: int = 0,
               width: int = 0, widths: dict[int, float] | None = None) -> mx.Sheet:
    """A make_examples Sheet from rows of (value, style); the first rows merged across."""
    sheet = mx.Sheet(name, widths=dict(widths or {}))
    for r, row in enumerate(rows):
        if r < merge_title_rows and row:
            value, style = row[0]
            sheet.merge(r, 0, r, width - 1, value, style)
            continue
        for c, (value, style) in enumerate(row):
            sheet.put(r, c, value, style)
    return sheet


# --------------------------------------------------------------------------------------------
# The four quarters
# --------------------------------------------------------------------------------------------


def quarter_of(s: mx.Staff) -> Quarter:
    return Quarter(dict(s.scores), s.bonus, s.deduction, s.leave, s.maternity, s.discipline,
                   s.initiatives, s.research)


def build_members() -> list[Member]:
    staff, _ = mx.build()
    rng = random.Random(SEED)
    members: list[Member] = []
    for s in staff:
        m = Member(s)
        m.quarters[4] = quarter_of(s)
        for q in (1, 2, 3):
            if s.recruited > QUARTER_ENDS[q]:
                continue  # recruited later in the year
            base = sum(s.scores.values())
            wanted = max(90, min(mx.TOTAL_MAX_HALF, base + rng.randint(-6, 6)))
            qr = Quarter(mx.distribute_loss(rng, mx.TOTAL_MAX_HALF - wanted))
            if rng.random() < 0.15:
                qr.leave = rng.randint(1, 5)
            if rng.random() < 0.08:
                qr.deduction = rng.choice((1, 2, 2, 3))
            if s.maternity and q == 3 and s.maternity >= 66:
                qr.maternity = 4  # maternity leave from 25/9/2026
            m.quarters[q] = qr
        members.append(m)
    year_cases(members)
    issue11_cases(members)
    return members


def plain(m: Member) -> bool:
    s = m.staff
    return (mx.plain(s) and all(not q.leave and not q.deduction for q in m.quarters.values())
            and len(m.quarters) == 4 and not s.initiatives and not s.research)


def pick(members: list[Member], dept: str, nth: int = 0, position: str | None = None) -> Member:
    hits = [m for m in members if m.staff.dept.name == dept and plain(m)
            and (position is None or m.staff.position == position)]
    return hits[nth]


def year_cases(members: list[Member]) -> None:
    # Left the hospital on 30/6/2026: in quarters I and II only (a new row, not in quy-4-2026).
    dept = next(d for d in mx.DEPARTMENTS if d.name == "Khoa Nội tổng hợp")
    left = mx.Staff(dept=dept, staff_id="BV0900", name="Phan Thị Thu Trang", gender="Nữ",
                    position="Điều dưỡng", manager=False, recruited=date(2012, 3, 1),
                    scores=mx.distribute_loss(random.Random(7), 20))
    members.append(Member(left, {1: quarter_of(left), 2: quarter_of(left)},
                          "Chuyển công tác từ 01/7/2026"))
    # Missing from quarter II's file (a forgotten row).
    m = pick(members, "Khoa Mắt", 1)
    del m.quarters[2]
    m.note = "Khoa quên ghi tên trong bảng điểm quý II"
    # Sick leave over three quarters: 25 + 25 + 20 = 70 working days = 3.2 months → at most HTNV.
    m = pick(members, "Khoa Thần kinh", 0, "Điều dưỡng")
    for q, days in ((1, 25), (2, 25), (3, 20)):
        m.quarters[q].leave = days
    m.note = "Nghỉ ốm 70 ngày làm việc trong năm"


# --------------------------------------------------------------------------------------------
# Issue 11 (points 3 and 8): two transfers in, and a tie at the cap that women first settles
# --------------------------------------------------------------------------------------------

EXTRA_COLUMNS: dict[str, tuple[str, ...]] = {}  # department → the columns its sheets add
WOMEN_FIRST: set[str] = set()  # settled by NĐ 152/2025 Điều 4.6: no longer waits for the council


def issue11_cases(members: list[Member]) -> None:
    # Transferred in (NĐ 90/2020 Điều 20.1): rated here from quarter III; both worked ≥ 6 months
    # at the old unit in 2026, so LĐTT needs its opinion: one has it, the other not yet.
    dept = next(d for d in mx.DEPARTMENTS if d.name == "Khoa Ngoại tổng hợp")
    EXTRA_COLUMNS[dept.name] = ("Lý do vắng", "Ngày chuyển đến", "Ý kiến đơn vị cũ")
    for sid, name, gender, moved, opinion, seed in (
            ("BV0901", "Trịnh Thị Hồng Nhung", "Nữ", date(2026, 8, 1),
             "Hoàn thành tốt nhiệm vụ, không vi phạm kỷ luật (Bệnh viện huyện An Phú)", 11),
            ("BV0902", "Đào Văn Khải", "Nam", date(2026, 9, 1), "", 12)):
        s = mx.Staff(dept=dept, staff_id=sid, name=name, gender=gender, position="Điều dưỡng",
                     manager=False, recruited=date(2014, 6, 1),
                     scores=mx.distribute_loss(random.Random(seed), 30))
        members.append(Member(s, {3: quarter_of(s), 4: quarter_of(s)}, extra={
            "Lý do vắng": "Chuyển đến", "Ngày chuyển đến": moved, "Ý kiến đơn vị cũ": opinion}))
    # Women first between equals (NĐ 152/2025 Điều 4.6): BV0518 is a woman tied at the cap with
    # a man (BV0100) for the last HTXSNV seat of her group.
    m = next(m for m in members if m.staff.staff_id == "BV0518")
    m.staff.gender, m.staff.name = "Nữ", "Nguyễn Thị Hữu Anh"
    WOMEN_FIRST.add("BV0518")


def quarter_sheets(members: list[Member], q: int) -> list[mx.Sheet]:
    sheets = []
    for dept in mx.DEPARTMENTS:
        rows = [m for m in members if m.staff.dept is dept and q in m.quarters]
        sheets.append(quarter_sheet(dept, rows, q))
    return sheets


def quarter_sheet(dept: mx.Dept, rows: list[Member], q: int) -> mx.Sheet:
    header = ["STT", "Mã NV", "Họ và tên", "Chức vụ", "Lãnh đạo"]
    if dept.nhom:
        header.append("Nhóm")
    header += ["Giới tính", "Ngày tuyển dụng", "Số ngày nghỉ", "Nghỉ thai sản", "Kỷ luật",
               "Sáng kiến", "Đề tài NCKH", "Đăng ký thi đua"]
    header += [c[0] for c in mx.CRITERIA] + ["Điểm cộng", "Điểm trừ", "Tổng điểm", "Ghi chú"]
    header += list(EXTRA_COLUMNS.get(dept.name, ()))
    width = len(header)
    kind = "Khoa" if dept.name.startswith("Khoa") else "Phòng"
    cells: list[list[tuple[Any, str]]] = [
        [(mx.PARENT, "parent")], [(mx.ORGANISATION, "org")],
        [(f"BẢNG TỔNG HỢP ĐIỂM THI ĐUA QUÝ {ROMAN[q]} NĂM {YEAR}", "title")],
        [(f"{kind}: {dept.short}", "subtitle")], [],
        [(h, "header") for h in header],
    ]
    for i, m in enumerate(rows, start=1):
        s, qr = m.staff, m.quarters[q]
        line: list[tuple[Any, str]] = [(i, "center"), (s.staff_id, "text"), (s.name, "text"),
                                       (s.position, "text"), ("x" if s.manager else None, "center")]
        if dept.nhom:
            line.append((s.nhom, "text"))
        line += [(s.gender, "center"), (s.recruited, "date"), (qr.leave or None, "number"),
                 (qr.maternity or None, "number"), (qr.discipline or None, "text"),
                 (qr.initiatives or None, "number"), (qr.research or None, "number"),
                 ("x" if s.registered else "không", "center")]
        line += [(mx.half(qr.scores[c[0]]), "number") for c in mx.CRITERIA]
        note = m.note if q == max(m.quarters) else ""
        if q == 4 and s.note:
            note = s.note
        line += [(mx.half(qr.bonus) if qr.bonus else None, "number"),
                 (mx.half(qr.deduction) if qr.deduction else None, "number"),
                 (mx.half(qr.total), "total"), (note or None, "text")]
        line += [(m.extra.get(h) or None, "date" if isinstance(m.extra.get(h), date) else "text")
                 for h in EXTRA_COLUMNS.get(dept.name, ())]
        cells.append(line)
    cells += [[], [("Người lập biểu", "sign")] + [(None, "sign")] * (width - 3)
              + [(dept.head_title, "sign")]]
    return make_sheet(dept.name, cells, merge_title_rows=4, width=width,
                      widths={1: 10, 2: 26, 3: 18, width - 1: 30})


# --------------------------------------------------------------------------------------------
# thidua's own core on the generated data (to choose the cases the example must show)
# --------------------------------------------------------------------------------------------


def people_of(members: list[Member], q: int) -> list[Any]:
    from thidua_cli.model import Discipline, Gender, Person, SourceRow

    disciplines = {"Khiển trách": Discipline.KHIEN_TRACH, "Cảnh cáo": Discipline.CANH_CAO}
    out = []
    for row, m in enumerate((m for m in members if q in m.quarters), start=7):
        s, qr = m.staff, m.quarters[q]
        out.append(Person(
            staff_id=str(s.staff_id), name=s.name, department=s.dept.name,
            source=SourceRow(f"quy-{q}-{YEAR}.xlsx", s.dept.name, row),
            scores={c: qr.scores[c] / 2 for c in mx.CODES}, bonus=qr.bonus / 2,
            deduction=qr.deduction / 2, position=s.position, is_manager=s.manager,
            peer_group=s.nhom if s.dept.nhom else "",
            gender=Gender.FEMALE if s.gender == "Nữ" else Gender.MALE,
            recruited_on=s.recruited, leave_days=float(qr.leave),
            maternity_days=float(qr.maternity), discipline=disciplines.get(qr.discipline),
            initiatives=qr.initiatives, research=qr.research, registered=s.registered,
            absence_reason=m.extra.get("Lý do vắng", ""), moved_in_on=m.extra.get("Ngày chuyển đến"),
            previous_opinion=m.extra.get("Ý kiến đơn vị cũ", ""),
        ))
    return out


def regulation() -> Any:
    from thidua_cli.regulation import parse_regulation

    return parse_regulation(mx.regulation_text(), "quy-che.toml")


def year_result(members: list[Member]) -> Any:
    from thidua_cli.core.yearly import rollup_quarters
    from thidua_cli.model import Criterion, Dataset, Period, PeriodKind, Report

    reg = regulation()
    criteria = tuple(Criterion(c, n, g, float(x)) for c, n, g, x in mx.CRITERIA)
    quarters = [(Period(PeriodKind.QUARTER, YEAR, q),
                 Dataset(people_of(members, q), criteria, "quy chế", Report())) for q in (1, 2, 3, 4)]
    return rollup_quarters(quarters, reg, reg.awards.rollup)


def year_ties(members: list[Member]) -> list[tuple[str, list[str], int]]:
    """The ties at the year's HTXSNV cap: (group, tied IDs, seats left). The generated points
    give two of them; the council's votes settle the first, the second stays for the council."""
    year = year_result(members)
    ties = [(g.key, list(g.pending), g.slots_left_for_tie) for g in year.score.cap_groups if g.pending]
    if len(ties) < 2:
        raise RuntimeError("make_year: the generated year no longer has two ties at the cap")
    return ties


# --------------------------------------------------------------------------------------------
# History 2024–2025 and the council's votes
# --------------------------------------------------------------------------------------------


@dataclass
class Past:
    rating: str
    titles: list[str] = field(default_factory=list)
    initiatives: int = 0
    used: int = 0


def build_history(members: list[Member], year: Any, rng: random.Random
                  ) -> tuple[dict[tuple[str, int], Past], dict[str, list[str]]]:
    totals = {p.person.staff_id: p.total for p in year.score.people}
    history: dict[tuple[str, int], Past] = {}
    for m in members:
        sid = str(m.staff.staff_id)
        t = totals.get(sid)
        for y in (2024, 2025):
            if m.staff.recruited > date(y, 6, 30) or t is None:
                continue
            if t >= 90 and rng.random() < 0.35:
                rating = "HTXSNV"
            elif t >= 72 or (t >= 70 and rng.random() < 0.7):
                rating = "HTTNV"
            else:
                rating = "HTNV"
            past = Past(rating)
            if rating in ("HTXSNV", "HTTNV"):
                past.titles.append("LDTT")
            if rating == "HTXSNV":
                past.titles.append("CSTDCS")
            history[(sid, y)] = past
    collective: dict[str, list[str]] = {}
    return history, collective


def shape_history(members: list[Member], year: Any, history: dict[tuple[str, int], Past]
                  ) -> dict[str, str]:
    """Give chosen people the past that makes them candidates upward this year."""
    kept = [p for p in year.score.people if p.rating.value == "HTXSNV"]
    kept.sort(key=lambda p: (-p.total, p.person.staff_id))
    ids = [p.person.staff_id for p in kept]
    roles: dict[str, str] = {}
    # CSTĐ cấp tỉnh: CSTĐCS 2024, 2025 (and 2026), an initiative of 2025 not yet used.
    for sid in ids[0:2]:
        history[(sid, 2024)] = Past("HTXSNV", ["LDTT", "CSTDCS"])
        history[(sid, 2025)] = Past("HTXSNV", ["LDTT", "CSTDCS"], initiatives=1)
        roles[sid] = "CSTĐ tỉnh"
    # Bằng khen: CSTĐCS 2025 (and 2026), two initiatives of 2025 not used; 2024 only LĐTT.
    for sid in ids[2:4]:
        history[(sid, 2024)] = Past("HTTNV", ["LDTT"])
        history[(sid, 2025)] = Past("HTXSNV", ["LDTT", "CSTDCS"], initiatives=2)
        roles[sid] = "Bằng khen"
    # A streak broken by one year: CSTĐCS 2024, only LĐTT 2025, CSTĐCS-eligible 2026.
    sid = ids[4]
    history[(sid, 2024)] = Past("HTXSNV", ["LDTT", "CSTDCS"], initiatives=1, used=0)
    history[(sid, 2025)] = Past("HTTNV", ["LDTT"], initiatives=1, used=0)
    roles[sid] = "chuỗi gián đoạn"
    # An initiative already used: CSTĐCS 2025 rested on it.
    sid = ids[5]
    history[(sid, 2025)] = Past("HTTNV", ["LDTT", "CSTDCS"], initiatives=1, used=1)
    return roles


def history_workbook(members: list[Member], history: dict[tuple[str, int], Past],
                     ttldxs: dict[int, list[str]], ttldtt: dict[int, list[str]]) -> list[mx.Sheet]:
    by_id = {str(m.staff.staff_id): m for m in members}
    decisions = {
        (2024, "hospital"): ("15/QĐ-BV", date(2024, 12, 20)),
        (2024, "higher"): ("86/QĐ-UBND", date(2025, 4, 10)),
        (2025, "hospital"): ("14/QĐ-BV", date(2025, 12, 19)),
        (2025, "higher"): ("52/QĐ-UBND", date(2026, 3, 20)),
    }
    labels = {"LDTT": "Lao động tiên tiến", "CSTDCS": "Chiến sĩ thi đua cơ sở",
              "TTLDTT": "Tập thể lao động tiên tiến", "TTLDXS": "Tập thể lao động xuất sắc"}
    header = ["STT", "Năm", "Số quyết định", "Ngày quyết định", "Mã NV", "Họ và tên", "Khoa/Phòng",
              "Danh hiệu"]
    awards: list[list[tuple[Any, str]]] = [
        [("DANH SÁCH KHEN THƯỞNG NĂM 2024 – 2025", "sheet_title")], [],
        [(h, "header") for h in header]]
    n = 0

    def row(y: int, number: str, signed: date, sid: Any, name: str, dept: str, title: str) -> None:
        nonlocal n
        n += 1
        awards.append([(n, "center"), (y, "center"), (number, "text"), (signed, "date"),
                       (sid, "text"), (name or None, "text"), (dept, "text"), (title, "text")])

    for y in (2024, 2025):
        number, signed = decisions[(y, "hospital")]
        for title in ("CSTDCS", "LDTT"):
            for (sid, yy), past in sorted(history.items(), key=lambda kv: kv[0]):
                if yy == y and title in past.titles:
                    s = by_id[sid].staff
                    row(y, number, signed, s.staff_id, s.name, s.dept.name, labels[title])
        for dept in ttldtt[y]:
            row(y, number, signed, None, "", dept, labels["TTLDTT"])
        number, signed = decisions[(y, "higher")]
        for dept in ttldxs[y]:
            row(y, number, signed, None, "", dept, labels["TTLDXS"])
    ratings: list[list[tuple[Any, str]]] = [
        [("XẾP LOẠI CHẤT LƯỢNG NĂM 2024 – 2025", "sheet_title")], [],
        [(h, "header") for h in ("STT", "Năm", "Mã NV", "Họ và tên", "Khoa/Phòng", "Xếp loại",
                                 "Sáng kiến", "Sáng kiến đã dùng")]]
    ordered = sorted(history.items(), key=lambda kv: (kv[0][1], kv[0][0]))
    for i, ((sid, y), past) in enumerate(ordered, start=1):
        s = by_id[sid].staff
        ratings.append([(i, "center"), (y, "center"), (s.staff_id, "text"), (s.name, "text"),
                        (s.dept.name, "text"), (past.rating, "center"),
                        (past.initiatives or None, "number"), (past.used or None, "number")])
    return [make_sheet("Khen thưởng", awards, widths={2: 14, 3: 12, 5: 26, 6: 26, 7: 30}),
            make_sheet("Xếp loại", ratings, widths={3: 26, 4: 26})]


def votes_sheet(rows: list[tuple[str, str, str, str, int]]) -> mx.Sheet:
    cells: list[list[tuple[Any, str]]] = [
        [("KẾT QUẢ BỎ PHIẾU XÉT DANH HIỆU THI ĐUA, HÌNH THỨC KHEN THƯỞNG NĂM 2026", "sheet_title")],
        [(f"Tổng số thành viên Hội đồng: {COUNCIL}", "text")], [],
        [(h, "header") for h in ("STT", "Mã NV", "Họ và tên", "Khoa/Phòng", "Danh hiệu",
                                 "Số phiếu đồng ý")],
    ]
    for i, (sid, name, dept, title, votes) in enumerate(rows, start=1):
        cells.append([(i, "center"), (sid or None, "text"), (name or None, "text"),
                      (dept or None, "text"), (title, "text"), (votes, "number")])
    return make_sheet("Kiểm phiếu", cells, widths={1: 10, 2: 26, 3: 26, 4: 30})


def decide_in_memory(members: list[Member], history: dict[tuple[str, int], Past],
                     ttldxs: dict[int, list[str]], ttldtt: dict[int, list[str]]) -> Any:
    from thidua_cli.core.awards import decide_awards
    from thidua_cli.core.awards_model import History, HistoryYear
    from thidua_cli.core.vntext import key
    from thidua_cli.model import Rating

    reg = regulation()
    people: dict[str, dict[int, HistoryYear]] = {}
    for (sid, y), past in history.items():
        people.setdefault(sid, {})[y] = HistoryYear(y, Rating(past.rating), frozenset(past.titles),
                                                    past.initiatives, past.used)
    depts: dict[str, dict[int, HistoryYear]] = {}
    for y in (2024, 2025):
        for d in ttldtt[y]:
            depts.setdefault(key(d), {})[y] = HistoryYear(y, titles=frozenset({"TTLDTT"}))
        for d in ttldxs[y]:
            old = depts.setdefault(key(d), {}).get(y, HistoryYear(y))
            depts[key(d)][y] = replace(old, titles=old.titles | {"TTLDXS"})
    hist = History(people=people, departments=depts, years=frozenset({2024, 2025}))
    return decide_awards(year_result(members), hist, reg, None,
                         date(2026, 12, 20))


def write_all(outdir: Path) -> list[str]:
    members = build_members()
    ties = year_ties(members)
    tied = ties[0][1]
    winner = sorted(tied)[0]
    year = year_result(members)
    rng = random.Random(SEED + 1)
    history, _ = build_history(members, year, rng)
    roles = shape_history(members, year, history)
    ttldtt = {y: [d.name for d in mx.DEPARTMENTS if d.name not in ("Khoa Truyền nhiễm",)]
              for y in (2024, 2025)}
    ttldxs = {2024: ["Khoa Sản", "Khoa Nhi"], 2025: ["Khoa Sản", "Khoa Gây mê hồi sức"]}
    result = decide_in_memory(members, history, ttldxs, ttldtt)

    by_id = {str(m.staff.staff_id): m for m in members}
    rows: list[tuple[str, str, str, str, int]] = []
    for sid in tied:
        s = by_id[sid].staff
        rows.append((sid, s.name, s.dept.name, "Hoàn thành xuất sắc nhiệm vụ",
                     6 if sid == winner else 2))
    cstdcs = [c for c in result.candidates if c.title == "CSTDCS" and c.outcome != "not_eligible"]
    rejected = set(sorted(c.staff_id for c in cstdcs if c.staff_id not in tied)[7::40][:2])
    still_tied = {sid for _, ids, _ in ties for sid in ids} - {winner} - WOMEN_FIRST
    for c in cstdcs:
        if c.staff_id in still_tied:
            continue  # their rating waits for the council: no CSTĐCS vote yet
        votes = 7 if c.staff_id in rejected else (8 if int(rng.random() * 3) == 0 else 9)
        rows.append((c.staff_id or "", c.name, c.department, "Chiến sĩ thi đua cơ sở", votes))
    if winner not in {r[0] for r in rows if r[3] == "Chiến sĩ thi đua cơ sở"}:
        s = by_id[winner].staff
        rows.append((winner, s.name, s.dept.name, "Chiến sĩ thi đua cơ sở", 8))
    for c in result.candidates:
        if c.outcome == "not_eligible" or c.title not in ("CSTD_TINH", "BANG_KHEN_TINH"):
            continue
        label = ("Chiến sĩ thi đua cấp tỉnh" if c.title == "CSTD_TINH"
                 else "Bằng khen của Chủ tịch UBND tỉnh")
        rows.append((c.staff_id or "", c.name if c.staff_id else "", c.department, label, 9))
    for title, votes in (("Lao động tiên tiến", 9), ("Giấy khen", 9)):
        rows.append(("tất cả", "(toàn bộ danh sách đề nghị)", "", title, votes))
    for title, votes in (("Tập thể lao động tiên tiến", 9), ("Tập thể lao động xuất sắc", 8)):
        rows.append(("", "", "tất cả", title, votes))

    year_dir = outdir / "nam-2026"
    year_dir.mkdir(parents=True, exist_ok=True)
    for q in (1, 2, 3, 4):
        mx.write_xlsxwriter(year_dir / f"quy-{q}-{YEAR}.xlsx", quarter_sheets(members, q))
    history_file = outdir / "lich-su-2024-2025.xlsx"
    mx.write_xlsxwriter(history_file, history_workbook(members, history, ttldxs, ttldtt))
    mx.write_xlsxwriter(outdir / "phieu-bau-2026.xlsx", [votes_sheet(rows)])
    ledger = outdir / "thidua.db"
    if ledger.exists():
        ledger.unlink()
    _ledger_import(history_file, ledger)

    lines = [f"{len(members)} người; bốn quý năm {YEAR} trong {year_dir}."]
    for group, ids, seats in ties:
        lines.append(f"Bằng điểm ở trần HTXSNV năm, nhóm {group}: {', '.join(ids)} ({seats} suất)")
    rest = (f"ưu tiên nữ (NĐ 152/2025 Điều 4.6) chọn {', '.join(sorted(WOMEN_FIRST))}"
            if WOMEN_FIRST else "chờ Hội đồng")
    lines.append(f"  Phiếu bầu của Hội đồng chọn {winner}; nhóm còn lại: {rest}.")
    lines += [f"  {sid} ({by_id[sid].staff.name}): {role}" for sid, role in roles.items()]
    lines.append(f"Phiếu bầu: {len(rows)} dòng; CSTĐCS không đủ 80 %: {', '.join(sorted(rejected))}.")
    return lines


def _ledger_import(source: Path, ledger: Path) -> None:
    """`thidua ledger import` itself, in this process, from the output folder (so the ledger
    records the file's name, not where it was generated) and with a fixed clock."""
    from thidua_cli.cli.app import main

    old_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    old_cwd = Path.cwd()
    os.environ["SOURCE_DATE_EPOCH"] = RECORDED_EPOCH
    os.chdir(source.parent)
    try:
        main(["ledger", "import", source.name, "--ledger", os.path.relpath(ledger, source.parent)])
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise
    finally:
        os.chdir(old_cwd)
        if old_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old_epoch


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("outdir", nargs="?", default=str(HERE), help="thư mục ghi (mặc định: examples/)")
    args = parser.parse_args(list(argv) if argv is not None else None)
    for line in write_all(Path(args.outdir)):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
