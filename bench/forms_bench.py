#!/usr/bin/env python3
"""Time ``thidua forms`` and ``thidua collect`` (issue 14).

    python bench/forms_bench.py               # prints the figures (median of 3 runs)

Targets: the forms of 30 departments / 3,000 staff ≤ 2 s; collecting 60 returned files (each
of the 30 departments sent twice: a first copy and a later correction) ≤ 1 s. Both are timed
in-process (the library calls ``app.forms.make_forms`` and ``app.collect.collect_folder``,
the merged workbook written), after the interpreter's start; filling the forms (openpyxl) is
preparation, not timed.

Also a plug-in of ``bench/run.py`` (``run(bench)`` adds the rows and the targets).
"""

from __future__ import annotations

import random
import re
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

DEPARTMENTS = 30
STAFF = 3000


def staff_list(path: Path, n: int = STAFF, departments: int = DEPARTMENTS) -> Path:
    from xlsxwriter import Workbook

    rng = random.Random(2026)
    wb = Workbook(str(path))
    ws = wb.add_worksheet("Nhân sự")
    ws.write_row(0, 0, ["Mã NV", "Họ và tên", "Khoa/Phòng", "Chức vụ", "Lãnh đạo", "Giới tính",
                        "Ngày tuyển dụng"])
    for i in range(n):
        d = i % departments
        ws.write_row(i + 1, 0, [f"NV{i:05d}", f"Nguyễn Văn {i}", f"Khoa {d + 1:02d}",
                                "Trưởng khoa" if i < departments else "Bác sĩ",
                                "x" if i < departments else "", rng.choice(["Nam", "Nữ"]),
                                date(2015, 1, 1).isoformat()])
    wb.close()
    return path


def fill(form: Path, target: Path, stamp: str) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(form)
    ws = wb.worksheets[0]
    r = 7
    while ws.cell(r, 2).value:
        for c in range(9, 18):
            ws.cell(r, c).value = 8
        r += 1
    wb.save(target)
    tmp = target.with_suffix(".tmp")
    with zipfile.ZipFile(target) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]+", rb"\g<1>" + stamp.encode(), data)
            dst.writestr(item, data)
    tmp.replace(target)


def measure(repeat: int = 3) -> dict[str, float]:
    from thidua_cli.app.collect import collect_folder
    from thidua_cli.app.forms import make_forms
    from thidua_cli.core.period import parse_period_option
    from thidua_cli.regulation import default_regulation

    reg = default_regulation()
    period = parse_period_option("2026-Q4")
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        staff = staff_list(t / "nhan-su.xlsx")
        forms_times, forms_cpu = [], []
        for i in range(repeat):
            start, cpu = time.perf_counter(), time.process_time()
            result = make_forms(staff, reg, period, t / f"bm{i}")
            forms_times.append(time.perf_counter() - start)
            forms_cpu.append(time.process_time() - cpu)
        assert len(result.forms) == DEPARTMENTS and result.staff == STAFF
        back = t / "nop-ve"
        back.mkdir()
        for f in result.forms:
            fill(f.path, back / f"{f.path.stem}.lan-1.xlsx", "2026-12-18T08:00:00Z")
            shutil.copy(back / f"{f.path.stem}.lan-1.xlsx", back / f"{f.path.stem}.lan-2.xlsx")
            fill(f.path, back / f"{f.path.stem}.lan-2.xlsx", "2026-12-19T08:00:00Z")
        collect_times, collect_cpu = [], []
        for i in range(repeat):
            start, cpu = time.perf_counter(), time.process_time()
            done = collect_folder(back, reg, output=t / f"tong-hop-{i}.xlsx")
            collect_times.append(time.perf_counter() - start)
            collect_cpu.append(time.process_time() - cpu)
        assert len(done.superseded) == DEPARTMENTS
        assert sum(d.people for d in done.departments) == STAFF
    # CPU seconds beside the wall clock: on a shared machine the wall clock measures the others.
    return {"forms": statistics.median(forms_times), "collect": statistics.median(collect_times),
            "forms_cpu": statistics.median(forms_cpu),
            "collect_cpu": statistics.median(collect_cpu)}


def run(bench: Any) -> None:
    """Plug-in of bench/run.py."""
    from run import Row  # type: ignore[import-not-found]

    f = measure()
    bench.add_row(Row("thidua forms", "3.000 người", "30 khoa", f["forms"], note="trong tiến trình",
                      cpu=f["forms_cpu"]))
    bench.add_row(Row("thidua collect", "60 tệp", "30 khoa", f["collect"],
                      note="trong tiến trình, ghi bảng tổng hợp", cpu=f["collect_cpu"]))
    bench.add_target("Biểu mẫu 30 khoa / 3.000 người ≤ 2 s", f["forms"], 2.0)
    bench.add_target("Thu 60 tệp nộp về ≤ 1 s", f["collect"], 1.0)


def main() -> int:
    f = measure()
    print(f"forms, 30 departments / 3,000 staff: {f['forms']:.3f} s (CPU {f['forms_cpu']:.3f} s)"
          "  target ≤ 2 s")
    print(f"collect, 60 files:                   {f['collect']:.3f} s (CPU {f['collect_cpu']:.3f} s)"
          "  target ≤ 1 s")
    ok = f["forms"] <= 2.0 and f["collect"] <= 1.0
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
