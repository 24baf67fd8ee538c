#!/usr/bin/env python3
"""Time ``thidua income`` (issue 16, "bench: 3,000 staff ≤ 1 s").

    python bench/income_bench.py              # prints the figures (median of 3 runs)
    python bench/income_bench.py --n 3000 --repeat 3

Target: a hospital of 3,000 staff in 30 departments, one fund for the month, ≤ 1 s as the clerk
runs it (a fresh process, wall clock, interpreter start included): reading the grades sheet and
the staff sheet, the exact distribution, and writing ``<kỳ>.thu-nhap.xlsx`` (30 payment tables,
the summary with its chart, the bank-transfer sheet). The CPU time is shown beside it (steadier
than the wall clock on a shared machine). The inputs are generated here (seeded).

Also a plug-in of ``bench/run.py`` (``run(bench)`` adds the row and the target).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
MEASURE = "thidua income"


def make_inputs(folder: Path, n: int, seed: int = 2026) -> tuple[Path, Path]:
    """A grades sheet and a staff sheet of ``n`` people in 30 departments (March 2026)."""
    import xlsxwriter

    rng = random.Random(seed)
    grades_path, staff_path = folder / "loai-thang-3-2026.xlsx", folder / "nhan-su.xlsx"
    people = [(f"NV{i:05d}", f"Người số {i}", f"Khoa {i % 30 + 1:02d}") for i in range(1, n + 1)]
    wb = xlsxwriter.Workbook(str(grades_path))
    ws = wb.add_worksheet("Loại")
    ws.write_row(0, 0, ["BẢNG XẾP LOẠI THÁNG 3 NĂM 2026"])
    ws.write_row(2, 0, ["STT", "Mã NV", "Họ và tên", "Khoa/Phòng", "Loại"])
    for i, (sid, name, dept) in enumerate(people, start=1):
        ws.write_row(2 + i, 0, [i, sid, name, dept, rng.choice("AABBBBBCCD")])
    wb.close()
    wb = xlsxwriter.Workbook(str(staff_path))
    ws = wb.add_worksheet("Nhân sự")
    ws.write_row(0, 0, ["STT", "Mã NV", "Họ và tên", "Khoa/Phòng", "Hệ số lương",
                        "Phụ cấp chức vụ", "Ngày công", "Nghỉ phép", "Số tài khoản", "Ngân hàng"])
    for i, (sid, name, dept) in enumerate(people, start=1):
        leave = rng.choice((0, 0, 0, 0, 1, 2))
        ws.write_row(i, 0, [i, sid, name, dept, rng.choice((2.34, 2.67, 3.0, 3.33, 3.66)),
                            rng.choice((0, 0, 0, 0.3, 0.5)), 22 - leave, leave or "",
                            f"{rng.randrange(10**12, 10**13)}", "Vietcombank"])
    wb.close()
    return grades_path, staff_path


def _args(grades: Path, staff: Path, out: Path) -> list[str]:
    return ["income", str(grades), "--staff", str(staff), "--fund", "4.500.000.000",
            "-o", str(out), "--force"]


def run(bench: Any) -> None:
    n = 3000
    with tempfile.TemporaryDirectory() as tmp:
        grades, staff = make_inputs(Path(tmp), n)
        t = bench.thidua_timed(_args(grades, staff, Path(tmp) / "out.thu-nhap.xlsx"),
                               repeat=bench.repeat_small)
    run_py = sys.modules.get("__main__")
    row_cls = getattr(run_py, "Row", None)
    if row_cls is None or not t.ok:
        bench.notes.append(f"{MEASURE}: không đo được ({t.stderr.strip()[:200]})")
        return
    bench.add_row(row_cls(MEASURE, "3k", "", t.seconds, t.peak_mb,
                          note=f"CPU {t.cpu:.2f} s", cpu=t.cpu))
    bench.add_target("Thu nhập tăng thêm 3.000 người (30 khoa), một quỹ: income ≤ 1 s",
                     t.seconds, 1.0)


def main(argv: list[str] | None = None) -> int:
    import statistics
    import subprocess
    import time

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    thidua = shutil.which("thidua") or "thidua"
    with tempfile.TemporaryDirectory() as tmp:
        grades, staff = make_inputs(Path(tmp), args.n)
        out = Path(tmp) / "out.thu-nhap.xlsx"
        walls, cpus = [], []
        for _ in range(args.repeat):
            import resource

            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run([thidua, *_args(grades, staff, out)], check=True,
                           stdout=subprocess.DEVNULL)
            walls.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    print(f"thidua income, {args.n} người, 30 khoa: {statistics.median(walls):.2f} s "
          f"(CPU {statistics.median(cpus):.2f} s; median of {args.repeat}); mục tiêu ≤ 1 s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
