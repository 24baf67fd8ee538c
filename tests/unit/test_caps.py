"""The HTXSNV cap on one peer group, peer groups and manager positions (core/caps.py)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import build_default_regulation
from thidua_cli.core.caps import (
    CapEntry,
    apply_cap,
    cap_candidates,
    cap_rate,
    check_cap_rules,
    denominator_ratings,
    match_manager_position,
    peer_group_of,
    slots_for,
)
from thidua_cli.errors import RegulationError
from thidua_cli.model import Rating

X, T, N, K = Rating.HTXSNV, Rating.HTTNV, Rating.HTNV, Rating.KHTNV
CAP = build_default_regulation().cap
ORG = build_default_regulation().organisation


def entries(*rows: tuple[str, float, Rating]) -> list[CapEntry]:
    return [CapEntry(sid, Decimal(str(total)), rating) for sid, total, rating in rows]


def test_slots_are_floor_and_exact():
    assert slots_for(Decimal("0.2"), 10) == 2
    assert slots_for(Decimal("0.2"), 35) == 7  # 0.2 × 35 = 7 exactly (a float gives 7.000…01)
    assert slots_for(Decimal("0.2"), 34) == 6  # 6.8 rounds down ("không vượt quá")
    assert slots_for(Decimal("0.25"), 10) == 2  # 2.5 → 2
    assert slots_for(Decimal("0.25"), 12) == 3
    assert slots_for(Decimal("0.2"), 4) == 0
    assert slots_for(Decimal("0.2"), 0) == 0


def test_cap_rate_exceptional_unit():
    assert cap_rate(CAP, ORG) == Decimal("0.2")
    assert cap_rate(CAP, replace(ORG, exceptional_unit=True)) == Decimal("0.25")


def test_everyone_fits():
    # 10 at HTT-or-better → 2 slots; 2 candidates → both keep HTXSNV
    rows = [("a", 95, X), ("b", 91, X)] + [(f"t{i}", 80, T) for i in range(8)]
    g = apply_cap("G", entries(*rows), Decimal("0.2"), "htt_or_better")
    assert (g.denominator, g.slots) == (10, 2)
    assert g.candidates == g.kept == ("a", "b")
    assert g.pending == g.demoted == ()
    assert g.cutoff_total is None


def test_twenty_percent_of_ten_keeps_two_demotes_the_rest():
    rows = [("c", 92, X), ("a", 97, X), ("b", 94, X)] + [(f"t{i}", 75, T) for i in range(7)]
    rows += [("h", 60, N), ("k", 40, K)]  # below HTTNV: not in the denominator
    g = apply_cap("G", entries(*rows), Decimal("0.2"), "htt_or_better")
    assert (g.denominator, g.slots) == (10, 2)
    assert g.candidates == ("a", "b", "c")  # best first
    assert g.kept == ("a", "b")
    assert g.demoted == ("c",)
    assert g.pending == ()
    assert g.cutoff_total == 94.0


def test_tie_at_the_cutoff_goes_to_the_council():
    # slots 2; totals 95, 93, 93, 93 → 95 keeps, the three 93s pending, the 91 demoted
    rows = [("a", 95, X), ("b", 93, X), ("c", 93, X), ("d", 93, X), ("e", 91, X)]
    rows += [(f"t{i}", 80, T) for i in range(5)]
    g = apply_cap("G", entries(*rows), Decimal("0.2"), "htt_or_better")
    assert (g.denominator, g.slots) == (10, 2)
    assert g.kept == ("a",)
    assert g.pending == ("b", "c", "d")
    assert g.demoted == ("e",)
    assert g.slots_left_for_tie == 1
    assert g.cutoff_total == 93.0


def test_tie_that_fits_keeps_everyone_at_the_cutoff():
    # slots 3 (15 in the denominator); 95, 93, 93, 90 → the two 93s fit in the 2 slots left
    rows = [("a", 95, X), ("b", 93, X), ("c", 93, X), ("d", 90, X)]
    rows += [(f"t{i}", 80, T) for i in range(11)]
    g = apply_cap("G", entries(*rows), Decimal("0.2"), "htt_or_better")
    assert (g.denominator, g.slots) == (15, 3)
    assert g.kept == ("a", "b", "c")
    assert g.demoted == ("d",)
    assert g.pending == ()
    assert g.slots_left_for_tie == 0


def test_tie_for_the_first_slot():
    # 1 slot, two people at 96: both pending, nobody kept
    rows = [("a", 96, X), ("b", 96, X), ("c", 92, X), ("t1", 80, T), ("t2", 80, T)]
    g = apply_cap("G", entries(*rows), Decimal("0.2"), "htt_or_better")
    assert g.slots == 1
    assert g.kept == ()
    assert g.pending == ("a", "b")
    assert g.demoted == ("c",)
    assert g.slots_left_for_tie == 1


def test_zero_slots_demotes_every_candidate_nobody_pending():
    rows = [("a", 96, X), ("b", 96, X), ("t1", 80, T), ("t2", 80, T)]
    g = apply_cap("G", entries(*rows), Decimal("0.2"), "htt_or_better")
    assert (g.denominator, g.slots) == (4, 0)
    assert g.kept == g.pending == ()
    assert g.demoted == ("a", "b")


def test_denominator_htt_only():
    # 3 HTXSNV + 7 HTTNV: htt_or_better = 10 → 2 slots; htt_only = 7 → 1 slot
    rows = [("a", 97, X), ("b", 94, X), ("c", 92, X)] + [(f"t{i}", 75, T) for i in range(7)]
    wide = apply_cap("G", entries(*rows), Decimal("0.2"), "htt_or_better")
    narrow = apply_cap("G", entries(*rows), Decimal("0.2"), "htt_only")
    assert (wide.denominator, wide.slots, wide.kept) == (10, 2, ("a", "b"))
    assert (narrow.denominator, narrow.slots, narrow.kept) == (7, 1, ("a",))
    assert narrow.demoted == ("b", "c")


def test_exceptional_rate_25_percent():
    # 12 HTT-or-better: 20 % → 2 slots, 25 % → 3 slots
    rows = [("a", 99, X), ("b", 97, X), ("c", 95, X), ("d", 93, X)]
    rows += [(f"t{i}", 80, T) for i in range(8)]
    assert apply_cap("G", entries(*rows), Decimal("0.2"), "htt_or_better").kept == ("a", "b")
    g = apply_cap("G", entries(*rows), Decimal("0.25"), "htt_or_better")
    assert (g.slots, g.kept, g.demoted) == (3, ("a", "b", "c"), ("d",))
    assert g.rate == 0.25


@given(
    st.lists(st.integers(min_value=90, max_value=94), max_size=12),
    st.integers(min_value=0, max_value=30),
)
def test_cap_properties(candidate_totals, others):
    rows = [(f"x{i}", t, X) for i, t in enumerate(candidate_totals)]
    rows += [(f"t{i}", 80, T) for i in range(others)]
    g = apply_cap("G", entries(*rows), Decimal("0.2"), "htt_or_better")
    # every candidate ends in exactly one outcome
    assert sorted(g.kept + g.pending + g.demoted) == sorted(g.candidates)
    # never more HTXSNV than slots, and never fewer than slots when nobody is pending
    assert len(g.kept) <= g.slots
    if not g.pending:
        assert len(g.kept) == min(g.slots, len(g.candidates))
    else:
        assert len(g.kept) + g.slots_left_for_tie == g.slots
        assert len(g.pending) > g.slots_left_for_tie
    # equal totals always share the same outcome: ties are never broken
    total = {sid: t for sid, t, _ in rows}
    outcome = {s: "kept" for s in g.kept} | {s: "pending" for s in g.pending}
    outcome |= {s: "demoted" for s in g.demoted}
    for a in g.candidates:
        for b in g.candidates:
            if total[a] == total[b]:
                assert outcome[a] == outcome[b]


def test_peer_group_labels():
    cap = CAP
    g = peer_group_of(cap, is_manager=True, peer_group="", department="Khoa Nội")
    assert g.label == "Lãnh đạo, quản lý"
    g = peer_group_of(cap, is_manager=False, peer_group="Điều dưỡng", department="Khoa Nội")
    assert g.label == "Viên chức, người lao động – Điều dưỡng"
    dept = replace(cap, scope="department")
    g = peer_group_of(dept, is_manager=False, peer_group="Điều dưỡng", department="Khoa Nội")
    assert g.label == "Viên chức, người lao động – Điều dưỡng – Khoa Nội"
    flat = replace(cap, managers_apart=False, split_by_group=False)
    assert peer_group_of(flat, is_manager=True, peer_group="BS", department="K").label == "Toàn viện"
    no_split = replace(cap, split_by_group=False)
    g = peer_group_of(no_split, is_manager=False, peer_group="Bác sĩ", department="K")
    assert g.label == "Viên chức, người lao động"


def test_peer_group_identity_ignores_case_and_spacing():
    a = peer_group_of(CAP, is_manager=False, peer_group="Điều dưỡng", department="")
    b = peer_group_of(CAP, is_manager=False, peer_group=" điều  DƯỠNG ", department="")
    c = peer_group_of(CAP, is_manager=True, peer_group="Điều dưỡng", department="")
    assert a.ident == b.ident
    assert a.ident != c.ident


def test_manager_position_prefix_match():
    positions = CAP.manager_positions
    assert match_manager_position("Phó trưởng khoa Nội", positions) == "Phó trưởng khoa"
    assert match_manager_position("TRƯỞNG KHOA Ngoại", positions) == "Trưởng khoa"
    assert match_manager_position("Điều dưỡng trưởng", positions) == "Điều dưỡng trưởng"
    assert match_manager_position("Giám đốc", positions) == "Giám đốc"
    assert match_manager_position("Phó giám đốc", positions) == "Phó giám đốc"
    assert match_manager_position("Điều dưỡng viên", positions) is None
    assert match_manager_position("Bác sĩ", positions) is None
    assert match_manager_position("", positions) is None
    assert match_manager_position("Trưởng khoan", ("Trưởng khoa",)) is None  # whole words


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("scope", "toan-vien", "cap.scope"),
        ("denominator", "all", "cap.denominator"),
        ("rate", 20.0, "cap.rate"),
    ],
)
def test_bad_cap_settings_are_regulation_errors(field, value, expected):
    with pytest.raises(RegulationError, match=expected):
        check_cap_rules(replace(CAP, **{field: value}))


def test_denominator_ratings():
    assert denominator_ratings("htt_or_better") == {X, T}
    assert denominator_ratings("htt_only") == {T}


@given(
    st.lists(
        st.tuples(st.integers(min_value=88, max_value=95), st.sampled_from([X, X, T, N, K])),
        max_size=30,
    ),
    st.sampled_from(["htt_or_better", "htt_only"]),
    st.sampled_from([Decimal("0.2"), Decimal("0.25"), Decimal(0)]),
)
def test_cap_candidates_is_apply_cap_with_the_denominator_counted(rows, mode, rate):
    # The scoring core counts the denominator itself and passes only the HTXSNV candidates.
    group = entries(*((f"p{i}", total, rating) for i, (total, rating) in enumerate(rows)))
    counted = sum(1 for e in group if e.rating in denominator_ratings(mode))
    candidates = [e for e in group if e.rating is X]
    assert cap_candidates("G", candidates, counted, rate) == apply_cap("G", group, rate, mode)
