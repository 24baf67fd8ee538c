#!/usr/bin/env python3
"""Time ``thidua validate`` (issue 3, "Performance").

    python bench/validate_bench.py            # prints the figures and the targets
    python bench/validate_bench.py --repeat 3

Targets, each measured as a clerk runs the command (a fresh process, wall clock, interpreter
start included):

- a folder of 60 department files (≈ 3,000 staff; ``bench/out/nop-60``) ≤ 1 s;
- a single 100,000-row workbook (``staff-100k-gop.xlsx``) ≤ 5 s, clean or with one wrong cell
  (``staff-100k-gop-loi.xlsx``), and the same people in 30 sheets (``staff-100k-khoa.xlsx``)
  ≤ 5 s (issue 9: one reading engine, no path for one file size); the clean one is also shown
  against the bare fastexcel read of the same file (``fastexcel.read_excel(p).load_sheet(i)``
  for every sheet, in its own process, the read only), without a target;
- the marked copy (``--annotate --force``) of a 200-row department file (``khoa-200.xlsx``)
  ≤ 1 s.


Also a plug-in of ``bench/run.py``: ``run(bench)`` adds the rows and the targets (it then owns
the ``validate`` measurements) and reuses the fastexcel read of the 100k file when ``run.py``
measured it. The workbooks come from ``bench/make_workbooks.py`` (generated when missing).
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent

FOLDER = "60 tệp (3.000 người)"
ANNOTATE = "200 dòng"
WRONG = "100k, một ô sai"


def _run_module() -> ModuleType:
    """``bench/run.py``: the running one when this is a plug-in, else loaded from its file."""
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


def run(bench: Any) -> None:
    rm = _run_module()
    Row = rm.Row

    def note(t: Any, ok_codes: tuple[int, ...] = (0,)) -> str:
        return "" if t.returncode in ok_codes else rm.failure_note(t)

    def seconds(t: Any, ok_codes: tuple[int, ...] = (0,)) -> float | None:
        return t.seconds if t.returncode in ok_codes else None

    # 1. A folder of 60 department files.
    folder = bench.out / "nop-60"
    t = bench.thidua_timed(["validate", str(folder)], bench.repeat_small)
    bench.add_row(Row("thidua validate", FOLDER, "", seconds(t), t.peak_mb, note(t), t.cpu))
    bench.add_target("`thidua validate` 60 tệp (3.000 người) ≤ 1 s", seconds(t), 1.0)

    # 2. One 100k-row workbook, against the bare fastexcel read of the same file.
    src = bench.file("100k", "gop")
    if src.exists():
        read = bench.find("fastexcel đọc", "100k", "gop")
        read_s = read.seconds if read else None
        read_cpu = read.cpu if read else None
        if read_s is None:
            tmp = Path(tempfile.mkdtemp(prefix="thidua-bench-"))
            try:
                w = rm.run_worker("bare", str(src), str(tmp / "bare.xlsx"))
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
            if w.ok:
                read_s, read_cpu = w.detail["read"], w.detail.get("read_cpu")
                bench.add_row(Row("fastexcel đọc", "100k", "gop", read_s, cpu=read_cpu))
        # Two seconds a run: the median of --repeat runs, like the small sizes (one run of a
        # second or two moves by a tenth with whatever else the machine does).
        t = bench.thidua_timed(["validate", str(src)], bench.repeat_small)
        bench.add_row(Row("thidua validate", "100k", "gop", seconds(t), t.peak_mb, note(t),
                          t.cpu))
        v = seconds(t)
        ratio = (f"; {rm.vn(v / read_s)} × đọc fastexcel ({rm.vn(read_s)} s)"
                 if v and read_s else "")
        bench.add_target("`thidua validate` 100k (1 sheet) ≤ 5 s", v, 5.0,
                         shown=f"{rm.vn(v)} s{ratio}" if v else None)
    else:
        bench.notes.append(f"Không có {src.name}: bỏ qua phép đo validate 100k.")

    # 2b. The same 100k sheet with one wrong cell (findings: the ambiguous "9,5" and the
    # total it changes), and the same people in 30 sheets: the same one path.
    wrong = src.with_name("staff-100k-gop-loi.xlsx")
    if wrong.exists():
        t = bench.thidua_timed(["validate", str(wrong)], bench.repeat_small)
        bench.add_row(Row("thidua validate", WRONG, "gop", seconds(t, (0, 1)), t.peak_mb,
                          note(t, (0, 1)), t.cpu))
        bench.add_target("`thidua validate` 100k, một ô sai ≤ 5 s", seconds(t, (0, 1)), 5.0)
    split = bench.file("100k", "khoa")
    if split.exists():
        t = bench.thidua_timed(["validate", str(split)], bench.repeat_small)
        bench.add_row(Row("thidua validate", "100k", "khoa", seconds(t), t.peak_mb, note(t),
                          t.cpu))
        bench.add_target("`thidua validate` 100k (30 sheet) ≤ 5 s", seconds(t), 5.0)

    # 3. The marked copy of a 200-row department file.
    tmp = Path(tempfile.mkdtemp(prefix="thidua-bench-"))
    try:
        copy = tmp / "khoa-200.xlsx"
        shutil.copy(bench.out / "khoa-200.xlsx", copy)
        t = bench.thidua_timed(["validate", "--annotate", "--force", str(copy)],
                               bench.repeat_small)
        bench.add_row(Row("thidua validate --annotate", ANNOTATE, "", seconds(t), t.peak_mb,
                          note(t), t.cpu))
        bench.add_target("`thidua validate --annotate` tệp 200 dòng ≤ 1 s", seconds(t), 1.0)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Đo hiệu năng thidua validate.")
    parser.add_argument("--out", default=str(HERE / "out"), help="thư mục bảng điểm (bench/out)")
    parser.add_argument("--repeat", type=int, default=3, help="số lần đo (lấy trung vị)")
    parser.add_argument("--no-100k", action="store_true", help="bỏ qua tệp 100k")
    args = parser.parse_args(argv)
    rm = _run_module()
    out = Path(args.out)
    sizes = [] if args.no_100k else ["100k"]
    missing = [s for s in sizes if not (out / f"staff-{s}-gop.xlsx").exists()]
    if missing or not (out / "nop-60").is_dir() or not (out / "khoa-200.xlsx").exists():
        print(f"Sinh bảng điểm vào {out} …", flush=True)
        for line in rm.mk.generate(out, missing):
            print("  " + line, flush=True)
    script = Path(sys.executable).parent / "thidua"
    thidua = [str(script)] if script.exists() else [sys.executable, "-m", "thidua_cli"]
    bench = rm.Bench(out=out, thidua=thidua, sizes=sizes, repeat_small=max(1, args.repeat))
    run(bench)
    print()
    for target in bench.targets:
        verdict = "—" if target.passed is None else ("ĐẠT" if target.passed else "CHƯA ĐẠT")
        print(f"{verdict:9} {target.text}: {target.measured}")
    for line in bench.notes:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
