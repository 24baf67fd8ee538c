#!/usr/bin/env python3
"""Time the register of initiatives (issue 17).

    python bench/initiatives_bench.py                 # 2,000 initiatives, 3,000 people
    python bench/initiatives_bench.py --n 2000 --people 3000 --repeat 3

Figures (median of ``repeat`` runs, in-process, after the imports):
- reading a register workbook of ``n`` rows with its findings (io/initiatives_io.read_register);
- writing it with the register's rows and the counts sheet with its chart
  (io/initiatives_xlsx.write_register);
- the awards stage's reading of the register: the Wallet supply and this year's counts of
  ``people`` people (core/initiatives.register_supply and year_counts), what ``thidua awards``
  adds per person when the ledger keeps a register.

Also a plug-in of ``bench/run.py`` (``run(bench)`` adds the rows).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from thidua_cli.core.initiatives import Register, register_supply, year_counts  # noqa: E402
from thidua_cli.io.initiatives_io import read_register  # noqa: E402
from thidua_cli.io.initiatives_xlsx import write_register  # noqa: E402


def make_register(path: Path, n: int, people: int, seed: int = 17) -> None:
    from xlsxwriter.workbook import Workbook

    rng = random.Random(seed)
    wb = Workbook(str(path))
    ws = wb.add_worksheet("Sổ sáng kiến")
    ws.write_row(0, 0, ["SỔ SÁNG KIẾN"])
    ws.write_row(2, 0, ["STT", "Tên sáng kiến", "Tác giả", "Mã NV", "Tỷ lệ đóng góp", "Khoa/Phòng",
                        "Tổ công đoàn", "Cấp công nhận", "Số quyết định", "Ngày quyết định"])
    for i in range(n):
        k = rng.choice((1, 2, 3))
        ids = rng.sample(range(1, people + 1), k)
        shares = {1: "100", 2: "60; 40", 3: "50; 30; 20"}[k]
        year = rng.choice((2024, 2025, 2026))
        ws.write_row(3 + i, 0, [i + 1, f"Sáng kiến số {i + 1}", "; ".join(f"Người {j}" for j in ids),
                                "; ".join(f"BV{j:05d}" for j in ids), shares,
                                f"Khoa {rng.randint(1, 30):02d}", f"Tổ {rng.randint(1, 6)}",
                                rng.choice(("Cấp cơ sở", "Cấp ngành", "Cấp tỉnh")),
                                f"{rng.randint(1, 500)}/QĐ-BV",
                                date(year, rng.randint(1, 12), rng.randint(1, 28)).strftime("%d/%m/%Y")])
    wb.close()


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), value


def measure(n: int = 2000, people: int = 3000, repeat: int = 3) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "sang-kien.xlsx"
        make_register(src, n, people)
        read_s, data = timed(lambda: read_register(src), repeat)
        items = data.items  # type: ignore[attr-defined]
        assert len(items) == n and data.report.valid  # type: ignore[attr-defined]
        out = Path(tmp) / "xuat.xlsx"
        write_s, _ = timed(lambda: write_register(items, out, title="Thống kê", force=True), repeat)
        register = Register(items)

        def awards_reading() -> int:
            total = 0
            for j in range(1, people + 1):
                sid = f"BV{j:05d}"
                current, past = register_supply(register, sid, 2026, 0, {})
                total += current + sum(past.values())
                year_counts(register, sid, 2026)
            return total

        supply_s, _ = timed(awards_reading, repeat)
    return {"read": read_s, "write": write_s, "supply": supply_s}


def run(bench: Any) -> None:
    """Plug-in of bench/run.py."""
    from run import Row  # type: ignore[import-not-found]

    f = measure(2000, 3000, 3)
    bench.add_row(Row("initiatives: đọc sổ sáng kiến", "2.000 dòng", "", f["read"]))
    bench.add_row(Row("initiatives export", "2.000 sáng kiến", "", f["write"], note="kèm biểu đồ"))
    bench.add_row(Row("awards: đọc sổ sáng kiến", "3.000 người", "", f["supply"]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    f = measure(args.n, args.people, args.repeat)
    print(f"read a register of {args.n} rows:        {f['read']:.3f} s")
    print(f"export {args.n} initiatives with chart:  {f['write']:.3f} s")
    print(f"awards: supply of {args.people} people:      {f['supply']:.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
