#!/usr/bin/env python3
"""Time ``thidua kpi`` (issue 15): a hospital's KPI run, ≈ 3,000 staff × 8 indicators.

    python bench/kpi_bench.py              # prints the figures and the target
    python bench/kpi_bench.py --repeat 3

The workbook ``bench/out/kpi-3k.xlsx`` (generated when missing, deterministic): 12 hospital
indicators, 8 indicators for each of 30 departments (half cascaded from the hospital's), 8 for
each of 3,000 staff (one in ten a manager): 24,252 rows in one sheet. Measured as a clerk runs
it (a fresh process, wall clock, interpreter start included):

- ``thidua kpi kpi-3k.xlsx --no-output`` (read, compute, summary) ≤ 1 s (the target);
- ``thidua kpi kpi-3k.xlsx -o … --force`` (with the ``.kpi.xlsx`` workbook), shown;
- the CPU time (user + system) of both, steadier than the wall clock on a shared machine.

Also a plug-in of ``bench/run.py``: ``run(bench)`` adds the rows and the target.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import shutil
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
NAME = "kpi-3k.xlsx"
STAFF, DEPARTMENTS, PER_PERSON = 3000, 30, 8
HEADER = ["STT", "Mã chỉ số", "Tên chỉ số", "Cấp", "Khoa/Phòng", "Mã NV", "Họ và tên", "Chiều",
          "Chỉ tiêu", "Thực hiện", "Trọng số", "Chỉ số cha"]


def _run_module() -> ModuleType:
    main = sys.modules.get("__main__")
    if main is not None and hasattr(main, "Bench") and hasattr(main, "Row"):
        return main
    loaded = sys.modules.get("thidua_bench_run")
    if loaded is not None:
        return loaded
    spec = importlib.util.spec_from_file_location("thidua_bench_run", HERE / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["thidua_bench_run"] = module
    spec.loader.exec_module(module)
    return module


def make_workbook(path: Path) -> None:
    """The KPI workbook of a 3,000-staff hospital (seeded: the same bytes every time)."""
    from xlsxwriter.workbook import Workbook

    rng = random.Random(15)
    rows: list[list[Any]] = []
    for i in range(12):
        direction = "Thấp hơn tốt hơn" if i % 4 == 3 else "Cao hơn tốt hơn"
        target = 90 + i % 5
        rows.append([f"BV{i + 1:02d}", f"Chỉ số bệnh viện {i + 1}", "Bệnh viện", "", "", "",
                     direction, target, round(target * rng.uniform(0.8, 1.25), 1),
                     [10, 10, 5, 10, 5, 10, 10, 5, 10, 5, 10, 10][i], ""])
    for d in range(DEPARTMENTS):
        dept = f"Khoa {d + 1:02d}"
        for k in range(PER_PERSON):
            parent = f"BV{k + 1:02d}" if k % 2 == 0 else ""
            rows.append([f"K{k + 1:02d}", f"Chỉ số khoa {k + 1}", "Khoa/phòng", dept, "", "",
                         "" if parent else "Cao hơn tốt hơn", "" if parent else 100,
                         round(rng.uniform(70, 125), 1), [20, 10, 15, 10, 15, 10, 10, 10][k],
                         parent])
    for s in range(STAFF):
        dept = f"Khoa {s % DEPARTMENTS + 1:02d}"
        level = "Quản lý" if s % 10 == 0 else "Nhân viên"
        for k in range(PER_PERSON):
            rows.append([f"NV{k + 1}", f"Chỉ số cá nhân {k + 1}", level, dept, f"{s + 1:05d}",
                         f"Nhân viên {s + 1}", "Thấp hơn tốt hơn" if k == 7 else "Cao hơn tốt hơn",
                         20, round(rng.uniform(12, 26), 1), [15, 15, 10, 10, 15, 10, 10, 15][k],
                         ""])
    wb = Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("KPI")
    ws.write_row(0, 0, ["BẢNG CHỈ SỐ KPI QUÝ IV NĂM 2026"])
    ws.write_row(2, 0, HEADER)
    for r, row in enumerate(rows, start=3):
        ws.write_row(r, 0, [r - 2, *row])
    wb.close()


def run(bench: Any) -> None:
    rm = _run_module()
    path = bench.out / NAME
    if not path.exists():
        bench.out.mkdir(parents=True, exist_ok=True)
        make_workbook(path)
    t = bench.thidua_timed(["kpi", str(path), "--no-output"], bench.repeat_small)
    ok = t.returncode == 0
    bench.add_row(rm.Row("thidua kpi", "3.000 người × 8 chỉ số", "", t.seconds if ok else None,
                         t.peak_mb, "" if ok else rm.failure_note(t), t.cpu))
    bench.add_target("`thidua kpi` 3.000 người × 8 chỉ số ≤ 1 s", t.seconds if ok else None, 1.0)
    tmp = Path(tempfile.mkdtemp(prefix="thidua-bench-"))
    try:
        out = tmp / "kpi-3k.kpi.xlsx"
        t = bench.thidua_timed(["kpi", str(path), "-o", str(out), "--force"], bench.repeat_small)
        ok = t.returncode == 0
        bench.add_row(rm.Row("thidua kpi (ghi .kpi.xlsx)", "3.000 người × 8 chỉ số", "",
                             t.seconds if ok else None, t.peak_mb,
                             "" if ok else rm.failure_note(t), t.cpu))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Đo hiệu năng thidua kpi.")
    parser.add_argument("--out", default=str(HERE / "out"), help="thư mục tệp đo (bench/out)")
    parser.add_argument("--repeat", type=int, default=3, help="số lần đo (lấy trung vị)")
    args = parser.parse_args(argv)
    rm = _run_module()
    script = Path(sys.executable).parent / "thidua"
    thidua = [str(script)] if script.exists() else [sys.executable, "-m", "thidua_cli"]
    bench = rm.Bench(out=Path(args.out), thidua=thidua, sizes=[],
                     repeat_small=max(1, args.repeat))
    run(bench)
    print()
    # CPU (user + system) of the process: what the run costs when the machine is shared.
    for row in bench.rows:
        if row.cpu is not None:
            print(f"CPU       {row.measure}: {rm.vn(row.cpu)} s")
    for target in bench.targets:
        verdict = "—" if target.passed is None else ("ĐẠT" if target.passed else "CHƯA ĐẠT")
        print(f"{verdict:9} {target.text}: {target.measured}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
