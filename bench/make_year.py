#!/usr/bin/env python3
"""Generate a year of quarter workbooks for ``thidua awards`` into ``bench/out/``.

    python bench/make_year.py [--out bench/out] [--sizes 3k,10k]

For each size N: ``nam-N/quy-1-2026.xlsx`` … ``quy-4-2026.xlsx``, each N people in 30 department
sheets (the 29 columns of make_workbooks.py). The same people in every quarter (ID, name,
department, position, manager flag, group, gender, recruitment date are quarter I's); the points,
leave, discipline and initiatives are drawn again per quarter, so the year's mean, its ratings and
the titles vary as in a real year. Seeded, so every run writes the same cells.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import make_workbooks as mk  # noqa: E402

SIZES = {"1k": 1_000, "3k": 3_000, "10k": 10_000, "30k": 30_000, "100k": 100_000}
IDENTITY = slice(1, 9)  # Mã NV … Ngày tuyển dụng: the person, the same every quarter
MATERNITY = mk.HEADER.index("Nghỉ thai sản")
INITIATIVES = mk.HEADER.index("Sáng kiến")


def folder(out: Path, key: str) -> Path:
    return out / f"nam-{key}"


def generate(out: Path, sizes: list[str]) -> list[str]:
    made = []
    for key in sizes:
        n = SIZES[key]
        target = folder(out, key)
        target.mkdir(parents=True, exist_ok=True)
        first = list(mk.people(n, mk.DEPARTMENTS_30))
        for q in range(1, 5):
            rows = first if q == 1 else list(mk.people(n, mk.DEPARTMENTS_30, seed=mk.SEED + q))
            for i, row in enumerate(rows):
                row[IDENTITY] = first[i][IDENTITY]
                if row[7] != "Nữ":
                    row[MATERNITY] = ""
                # about 1 in 40 has an initiative recognised in the year (quarter IV's sheet)
                row[INITIATIVES] = 1 if q == 4 and i % 40 == 7 else ""
            path = target / f"quy-{q}-2026.xlsx"
            t0 = time.perf_counter()
            mk.write_workbook(path, [(d, [list(r) for r in rs]) for d, rs in mk.by_department(rows)])
            made.append(f"{path}: {n} người ({time.perf_counter() - t0:.1f} s)")
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Sinh bốn bảng điểm quý cho `thidua awards`.")
    parser.add_argument("--out", default=str(HERE / "out"), help="thư mục ghi (mặc định bench/out)")
    parser.add_argument("--sizes", default="3k,10k", help="các cỡ: " + ", ".join(SIZES))
    args = parser.parse_args(argv)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"cỡ không có: {', '.join(unknown)} (chọn trong {', '.join(SIZES)})")
    for line in generate(Path(args.out), sizes):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
