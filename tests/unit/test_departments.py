"""Department statistics (core/departments.py)."""

from __future__ import annotations

from helpers import CRITERION_CODES
from thidua_cli.core.departments import department_results
from thidua_cli.model import Person, PersonResult, Rating, SourceRow

X, T, N, K = Rating.HTXSNV, Rating.HTTNV, Rating.HTNV, Rating.KHTNV
NR, P = Rating.NOT_RATED, Rating.PENDING_COUNCIL


def pr(staff_id: str, department: str, total: float, rating: Rating) -> PersonResult:
    person = Person(
        staff_id=staff_id,
        name=f"Người {staff_id}",
        department=department,
        source=SourceRow("bang-diem.xlsx", department, 2),
        scores={CRITERION_CODES[0]: total},
    )
    return PersonResult(
        person=person,
        points={CRITERION_CODES[0]: total},
        criteria_sum=total,
        bonus_counted=0.0,
        deduction_counted=0.0,
        total=total,
        band=rating if rating.is_rated else T,
        rating=rating,
    )


def test_stats_with_not_rated_and_pending():
    people = [
        pr("1", "Khoa Nội", 80, T),
        pr("2", "Khoa Nội", 92, X),
        pr("3", "Khoa Nội", 60, N),
        pr("4", "Khoa Nội", 95, P),
        pr("5", "Khoa Nội", 30, NR),  # counted in the headcount only
    ]
    (d,) = department_results(people)
    assert d.name == "Khoa Nội"
    assert (d.headcount, d.rated, d.not_rated, d.pending) == (5, 3, 1, 1)
    # mean and median over 80, 92, 60, 95 (the not-rated 30 is left out)
    assert d.mean == 81.75  # 327 / 4
    assert d.median == 86.0  # (80 + 92) / 2
    assert d.counts[X] == 1 and d.counts[T] == 1 and d.counts[N] == 1 and d.counts[K] == 0
    assert d.counts[NR] == 1 and d.counts[P] == 1
    assert set(d.counts) == set(Rating)
    assert d.share_htxsnv == 0.25  # 1 of the 4 rated or pending
    assert d.rank == 1


def test_rank_by_mean_ties_share_and_list_by_vietnamese_name():
    people = [
        pr("n1", "Khoa Nội", 80, T), pr("n2", "Khoa Nội", 83.5, T),  # mean 81.75
        pr("s1", "Khoa Sản", 81.5, T), pr("s2", "Khoa Sản", 82, T),  # mean 81.75: tie
        pr("g1", "Khoa Ngoại", 85, T), pr("g2", "Khoa Ngoại", 85, T), pr("g3", "Khoa Ngoại", 70, T),
        pr("h1", "Phòng Hành chính", 99, NR),  # nobody rated: no mean, no rank, last
        pr("d1", "Khoa Đông y", 40, K),
    ]
    result = department_results(people)
    assert [(d.name, d.rank, d.mean) for d in result] == [
        ("Khoa Nội", 1, 81.75),
        ("Khoa Sản", 1, 81.75),
        ("Khoa Ngoại", 3, 80.0),
        ("Khoa Đông y", 4, 40.0),
        ("Phòng Hành chính", None, None),
    ]
    hc = result[-1]
    assert (hc.headcount, hc.rated, hc.not_rated, hc.median, hc.share_htxsnv) == (1, 0, 1, None, None)
    assert result[2].median == 85.0


def test_mean_rounds_half_up_and_exactly():
    # (80.01 + 80.00) / 2 = 80.005 → 80.01 half up (banker's rounding would give 80.00)
    (d,) = department_results([pr("1", "K", 80.01, T), pr("2", "K", 80.0, T)])
    assert d.mean == 80.01
    assert d.median == 80.01
    # 80 + 80 + 81 = 241 / 3 = 80.333… → 80.33; share of HTXSNV 0 of 3
    (d,) = department_results([pr("1", "K", 80, T), pr("2", "K", 80, T), pr("3", "K", 81, T)])
    assert d.mean == 80.33
    assert d.share_htxsnv == 0.0
    # float artefacts do not leak: 8.1 + 8.2 + 8.3 = 24.6 / 3 = 8.2
    (d,) = department_results([pr("1", "K", 8.1, N), pr("2", "K", 8.2, N), pr("3", "K", 8.3, N)])
    assert d.mean == 8.2


def test_share_of_htxsnv_rounded_to_four_places():
    people = [pr("1", "K", 95, X)] + [pr(str(i), "K", 80, T) for i in range(2, 4)]
    (d,) = department_results(people)
    assert d.share_htxsnv == 0.3333


def test_department_names_group_by_match_key():
    people = [pr("1", "Khoa Nội", 80, T), pr("2", "khoa  nội", 90, X)]
    (d,) = department_results(people)
    assert d.name == "Khoa Nội"
    assert d.headcount == 2


def test_no_people():
    assert department_results([]) == ()
