"""The emulation cluster's core (issue 18), with numbers worked out by hand.

The scoring table: K1 (max 50), K2 (max 40), B (bonus, max 10), T (deduction, max 5).

    member  self K1 K2 B T   checked K1 K2 B T      self total        checked total
    An      48 38 5 0        47 38 5 0              48+38+5-0 = 91    47+38+5-0 = 90
    Bình    45 40 4 0        45 39 4 0              45+40+4   = 89    45+39+4   = 88
    Cúc     44 40 4 0        44 40 4 0              88                88
    Dung    46 38 6 0        46 38 6 2              90                46+38+6-2 = 88
    Em      40 35 0 0        40 35 -  0 (B blank)   75                40+35+0(self B)-0 = 75

Ranks by the checked totals (competition ranking): An 90 → 1; Bình, Cúc, Dung 88 → 2 each (tied,
never broken); Em 75 → 5. Differences above the tolerance 0.5: An K1 (48 − 47 = 1), Bình K2
(40 − 39 = 1), Dung T (0 − 2 = −2); none for Cúc; Em's B was not checked: the self score counts.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from thidua_cli.config.sections import ClusterSettings
from thidua_cli.core.cluster import (
    BANG_KHEN,
    BONUS,
    DEDUCTION,
    FLAG,
    NOT_PROPOSED,
    PENDING,
    PROPOSED,
    Ballot,
    Item,
    Member,
    MemberSheet,
    Proposed,
    assess,
    competition_ranks,
    leader_ratio,
    outcome_json,
    vote_passes,
)

D = Decimal
ITEMS = (Item("K1", "Chuyên môn", "I", D(50)), Item("K2", "Quản lý", "I", D(40)),
         Item("B", "Điểm cộng", "II", D(10), BONUS), Item("T", "Điểm trừ", "III", D(5), DEDUCTION))
SETTINGS = ClusterSettings(
    tolerance=D("0.5"), flag_conditions=("targets_exceeded", "party_htxsnv", "no_serious_violation"),
    flag_vote_share=D("0.8"), bang_khen_slots=2, bang_khen_vote_share=D("0.5"),
    leader_share_max=D("0.3"), rotation="list")
MEMBERS = (
    Member("An", is_head=True, targets_exceeded=True, party_htxsnv=True, serious_violation=False),
    Member("Bình", targets_exceeded=True, party_htxsnv=True, serious_violation=False),
    Member("Cúc", targets_exceeded=True, party_htxsnv=False, serious_violation=False),
    Member("Dung", targets_exceeded=False, party_htxsnv=True, serious_violation=True),
    Member("Em"),
)


def _sheet(name: str, own: tuple[int, ...], checked: tuple[int | None, ...]) -> MemberSheet:
    codes = [i.code for i in ITEMS]
    return MemberSheet(name, f"{name}.xlsx", dict(zip(codes, map(D, own), strict=True)),
                       {c: None if v is None else D(v) for c, v in zip(codes, checked, strict=True)})


SHEETS = {s.member: s for s in (
    _sheet("An", (48, 38, 5, 0), (47, 38, 5, 0)),
    _sheet("Bình", (45, 40, 4, 0), (45, 39, 4, 0)),
    _sheet("Cúc", (44, 40, 4, 0), (44, 40, 4, 0)),
    _sheet("Dung", (46, 38, 6, 0), (46, 38, 6, 2)),
    _sheet("Em", (40, 35, 0, 0), (40, 35, None, 0)),
)}
BALLOT = Ballot(members=5, flag={"An": 4}, bang_khen={"Bình": 3, "Cúc": 2, "Dung": 5})


def _run(ballot: Ballot | None = BALLOT, settings: ClusterSettings = SETTINGS,
         sheets: dict[str, MemberSheet] | None = None, proposed: tuple[Proposed, ...] = ()):
    return assess(year=2026, name="Khối thử", items=ITEMS, members=MEMBERS,
                  sheets=sheets or SHEETS, ballot=ballot, proposed=proposed, settings=settings)


def test_totals_ranks_and_ties() -> None:
    o = _run()
    got = [(r.name, r.self_total, r.checked_total, r.rank, r.tied_with) for r in o.results]
    assert got == [
        ("An", D(91), D(90), 1, ()),
        ("Bình", D(89), D(88), 2, ("Cúc", "Dung")),
        ("Cúc", D(88), D(88), 2, ("Bình", "Dung")),
        ("Dung", D(90), D(88), 2, ("Bình", "Cúc")),
        ("Em", D(75), D(75), 5, ()),
    ]
    assert o.ties == ((2, ("Bình", "Cúc", "Dung")),)
    assert competition_ranks([D(3), D(5), D(5), D(1)]) == [3, 1, 1, 4]


def test_differences_flagged_above_the_tolerance() -> None:
    o = _run()
    flagged = {r.name: [(d.code, d.difference) for d in r.flagged] for r in o.results}
    assert flagged == {"An": [("K1", D(1))], "Bình": [("K2", D(1))], "Cúc": [],
                       "Dung": [("T", D(-2))], "Em": []}
    em = next(r for r in o.results if r.name == "Em")
    assert em.self_used == ("B",)
    # A difference of exactly the tolerance is not flagged: 0.5 is not above 0.5.
    half = {**SHEETS, "An": _sheet("An", (48, 38, 5, 0), (48, 38, 5, 0))}
    half["An"] = MemberSheet("An", "An.xlsx", {"K1": D("47.5"), "K2": D(38), "B": D(5), "T": D(0)},
                             {"K1": D(47), "K2": D(38), "B": D(5), "T": D(0)})
    an = next(r for r in _run(sheets=half).results if r.name == "An")
    assert an.differences[0].difference == D("0.5") and not an.differences[0].flagged


def test_flag_for_the_leader_with_every_condition_and_the_vote() -> None:
    o = _run()
    flag = o.decision("An", FLAG)
    # 4 of 5 heads = 80 % ≥ 80 %.
    assert flag.status == PROPOSED and flag.votes_for == 4
    assert all(r.met for r in flag.reasons)
    assert "4/5 phiếu đồng ý (80 %), cần từ 80 %" in flag.reasons[-1].text
    # 3 of 5 = 60 % < 80 %: no Cờ, the reason says so.
    low = _run(ballot=replace(BALLOT, flag={"An": 3}))
    flag = low.decision("An", FLAG)
    assert flag.status == NOT_PROPOSED
    assert [r.met for r in flag.reasons] == [True, True, True, True, False]
    # A condition not met (party not HTXSNV) refuses even with every vote.
    cond = assess(year=2026, name="K", items=ITEMS,
                  members=(replace(MEMBERS[0], party_htxsnv=False), *MEMBERS[1:]),
                  sheets=SHEETS, ballot=BALLOT, proposed=(), settings=SETTINGS)
    flag = cond.decision("An", FLAG)
    assert flag.status == NOT_PROPOSED
    assert any(r.met is False and "tổ chức đảng" in r.text for r in flag.reasons)
    # No vote held yet: pending, never proposed by default.
    assert _run(ballot=None).decision("An", FLAG).status == PENDING
    # Members ranked below the leader are never proposed for the Cờ.
    assert _run().decision("Bình", FLAG).status == NOT_PROPOSED


def test_bang_khen_seats_and_a_tie_that_does_not_fit() -> None:
    o = _run()
    # Two seats after the leader, three members tied at rank 2: no one is chosen silently.
    # Bình (3 of 5 votes > half, no violation): pending the cluster's decision on the tie.
    # Cúc: 2 of 5 is not more than half → refused; Dung: a serious violation → refused.
    status = {n: o.decision(n, BANG_KHEN).status for n in ("Bình", "Cúc", "Dung")}
    assert status == {"Bình": PENDING, "Cúc": NOT_PROPOSED, "Dung": NOT_PROPOSED}
    bình = o.decision("Bình", BANG_KHEN).reasons
    assert bình[0].met is None and "chỉ còn 2 suất" in bình[0].text
    assert "2/5 phiếu đồng ý (40 %), cần quá bán" in o.decision("Cúc", BANG_KHEN).reasons[-1].text
    assert any(r.met is False and "vi phạm" in r.text for r in o.decision("Dung", BANG_KHEN).reasons)
    assert o.decision("Em", BANG_KHEN).status == NOT_PROPOSED
    assert "ngoài 2 suất" in o.decision("Em", BANG_KHEN).reasons[0].text
    # Break the tie: Bình 88 → 89. Rank 2 Bình (1 seat), rank 3 Cúc and Dung (2 for 1 seat).
    sheets = {**SHEETS, "Bình": _sheet("Bình", (45, 40, 4, 0), (45, 40, 4, 0))}
    o = _run(sheets=sheets)
    assert o.decision("Bình", BANG_KHEN).status == PROPOSED  # 3 of 5 > half
    cúc = o.decision("Cúc", BANG_KHEN).reasons
    assert cúc[0].met is None and "chỉ còn 1 suất" in cúc[0].text
    # Bằng khen vote exactly half (quá bán means more than half): 2 of 4 fails, 3 of 5 passes.
    assert not vote_passes(2, 4, D("0.5")) and vote_passes(3, 5, D("0.5"))
    assert vote_passes(8, 10, D("0.8")) and not vote_passes(7, 9, D("0.8"))  # 77.8 % < 80 %


def test_tie_at_the_top_is_never_broken() -> None:
    sheets = {**SHEETS, "Bình": _sheet("Bình", (45, 40, 4, 0), (47, 39, 4, 0))}  # 90, like An
    o = _run(sheets=sheets)
    assert [(r.name, r.rank) for r in o.results[:2]] == [("An", 1), ("Bình", 1)]
    assert o.decision("An", FLAG).status == PENDING
    assert any(r.met is None and "bằng điểm thứ nhất với Bình" in r.text
               for r in o.decision("An", FLAG).reasons)
    assert o.rotation.next == "Bình"  # "list": the next in the list after the head An


def test_leaders_share_per_title_and_overall() -> None:
    """An proposes 2 leaders + 3 direct workers for LĐTT and 1 leader for CSTĐCS; Bình 1 leader +
    4 direct for LĐTT. LĐTT: 3 / (3 + 7) = 30 % (not above 30 %); An's 2/5 = 40 % exceeds, Bình's
    1/5 = 20 % does not. CSTĐCS: 1/1 = 100 %. Overall: 4 / (4 + 7) = 36.4 % > 30 %."""
    people = [Proposed("An", f"a{i}", "LDTT", "Lao động tiên tiến", i < 2) for i in range(5)]
    people += [Proposed("An", "c", "CSTDCS", "Chiến sĩ thi đua cơ sở", True)]
    people += [Proposed("Bình", f"b{i}", "LDTT", "Lao động tiên tiến", i < 1) for i in range(5)]
    rows = {r.title: r for r in leader_ratio(people, MEMBERS, D("0.3"))}
    ldtt = rows["LDTT"]
    assert (ldtt.leaders, ldtt.direct, ldtt.share, ldtt.exceeds) == (3, 7, D("0.3"), False)
    assert [(e.member, e.share, e.exceeds) for e in ldtt.members] == [
        ("An", D("0.4"), True), ("Bình", D("0.2"), False)]
    assert (rows["CSTDCS"].share, rows["CSTDCS"].exceeds) == (D(1), True)
    overall = rows["ALL"]
    assert (overall.leaders, overall.direct, overall.exceeds) == (4, 7, True)
    assert round(overall.share or 0, 3) == D("0.364")
    # No limit (0): shares are reported, nobody exceeds.
    assert not any(r.exceeds for r in leader_ratio(people, MEMBERS, D(0)))


def test_rotation_rules() -> None:
    assert _run().rotation.next == "Bình"
    assert _run(settings=replace(SETTINGS, rotation="winner")).rotation.next == "An"
    assert _run(settings=replace(SETTINGS, rotation="none")).rotation.next == "An"
    no_head = assess(year=2026, name="K", items=ITEMS,
                     members=(replace(MEMBERS[0], is_head=False), *MEMBERS[1:]), sheets=SHEETS,
                     ballot=BALLOT, proposed=(), settings=SETTINGS)
    assert no_head.rotation.next is None and "không đánh dấu" in no_head.rotation.reason
    # The last member of the list hands over to the first.
    last = assess(year=2026, name="K", items=ITEMS,
                  members=(replace(MEMBERS[0], is_head=False), *MEMBERS[1:4],
                           replace(MEMBERS[4], is_head=True)),
                  sheets=SHEETS, ballot=BALLOT, proposed=(), settings=SETTINGS)
    assert last.rotation.next == "An"


def test_json_contract() -> None:
    data = outcome_json(_run())
    assert data["schema"] == "thidua.cluster/1"
    assert [(r["name"], r["rank"], r["checked_total"]) for r in data["ranking"]][:2] == [
        ("An", 1, 90.0), ("Bình", 2, 88.0)]
    assert data["ties"] == [{"rank": 2, "names": ["Bình", "Cúc", "Dung"]}]
    an_flag = next(p for p in data["proposals"] if p["member"] == "An" and p["title"] == FLAG)
    assert an_flag["status"] == "proposed" and an_flag["votes_for"] == 4
    assert data["ranking"][0]["points"]["K1"] == {"self": 48.0, "checked": 47.0,
                                                  "difference": 1.0, "flagged": True}
    assert data["rotation"]["next"] == "Bình"
