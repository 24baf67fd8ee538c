"""The filing order of long per-person sheets (io/print_setup.py, issue 12): a department at a
time, the ranking kept within each, a page break before each department but the first."""

from __future__ import annotations

from thidua_cli.io.print_setup import MAX_PAGE_BREAKS, department_breaks, group_by_department


def test_departments_in_vietnamese_order_ranking_kept_within() -> None:
    # (rank, department) in the hospital-wide ranking; "Ngoại" before "Nội" (g before o),
    # "Đông y" after "Dược" (đ after d), spaces and case do not make a new department.
    ranked = [(1, "Khoa Nội"), (2, "Khoa Ngoại"), (3, "Khoa  nội"), (4, "Khoa Đông y"),
              (5, "Khoa Dược"), (6, "Khoa Ngoại")]
    filed = group_by_department(ranked, lambda row: row[1])
    assert [rank for rank, _ in filed] == [5, 4, 2, 6, 1, 3]
    # Written from row 1 (0-based; row 0 is the header): Dược on 1, Đông y on 2, Ngoại on 3–4,
    # Nội on 5–6 → breaks before rows 2, 3 and 5.
    assert department_breaks([d for _, d in filed], first_row=1) == [2, 3, 5]
    assert department_breaks([], first_row=1) == []


def test_breaks_stop_at_excels_limit() -> None:
    departments = [f"Khoa {i:04d}" for i in range(MAX_PAGE_BREAKS + 10)]
    breaks = department_breaks(departments, first_row=1)
    assert len(breaks) == MAX_PAGE_BREAKS == 1023
    assert breaks[:2] == [2, 3] and breaks[-1] == 1 + MAX_PAGE_BREAKS
