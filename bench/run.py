#!/usr/bin/env python3
"""Time thidua against the bare libraries, in one run, and write ``bench/RESULTS.md``.

    python bench/run.py                       # every size: 1k, 3k, 10k, 100k (≈ 10 minutes)
    python bench/run.py --sizes 1k,3k         # a quick run
    python bench/run.py --date 2026-12-28 --machine "máy chủ phòng CNTT"

For each size and layout (30 department sheets, one combined sheet) it measures, each in its own
process (wall clock, and peak RSS from ``os.wait4``):

- ``thidua score FILE --period 2026-Q4 -o … --force``: end to end, as a clerk runs it;
- the bare read of the same file with fastexcel (``read_excel(p).load_sheet(i)``, every sheet)
  and the bare write of the same per-person result table with XlsxWriter in constant-memory
  mode (the time of each operation only, without the interpreter's start);
- pandas + openpyxl: ``pd.read_excel(engine="openpyxl", sheet_name=None)`` and ``to_excel``;

then ``thidua --help`` (median of 10 starts) and, when the command exists, ``thidua validate``
on a folder of 60 department files, on the 100k file, and ``--annotate`` on a 200-row file.
A measurement whose command does not exist yet is skipped with a note.

Plug-ins: every ``bench/*_bench.py`` module with a ``run(bench: Bench) -> None`` function is
called after the built-in measurements and may add rows and targets (``bench.add_row``,
``bench.add_target``) and use ``bench.thidua_timed(args)``, ``bench.file(size, layout)``,
``bench.find(measure, size, layout)``. When ``bench/validate_bench.py`` exists it owns the
``validate`` measurements and the built-in ones are not run.

The workbooks come from ``bench/make_workbooks.py`` (generated when missing). The benchmark may
read the clock; the project code may not.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import make_workbooks as mk  # noqa: E402

PERIOD = "2026-Q4"
LAYOUTS = {"khoa": "30 sheet khoa/phòng", "gop": "1 sheet gộp"}

# --------------------------------------------------------------------------------------------
# Measuring a process
# --------------------------------------------------------------------------------------------


@dataclass
class Timing:
    seconds: float  # wall clock of the process, or of the operation inside a worker
    peak_mb: float  # peak resident memory of the process (MiB)
    returncode: int = 0
    stderr: str = ""
    detail: dict[str, float] = field(default_factory=dict)  # worker: operation → seconds
    cpu: float = 0.0  # user + system CPU seconds (of the process, or of the operation)

    @property
    def ok(self) -> bool:
        return self.returncode == 0


# Linux folds the memory a process had before exec() into its peak RSS, and a child starts as a
# copy of its parent: measured from a big parent (plug-ins run in this process), every command
# would seem to need the parent's memory. So a small launcher (a bare interpreter, ≈ 10 MB)
# spawns the command and reports the command's own figures.
_LAUNCHER = """
import os, sys, time
result, cmd = sys.argv[1], sys.argv[2:]
devnull = os.open(os.devnull, os.O_WRONLY)
start = time.perf_counter()
pid = os.posix_spawnp(cmd[0], cmd, os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1)])
_, status, ru = os.wait4(pid, 0)
seconds = time.perf_counter() - start
with open(result, "w") as f:
    f.write(f"{seconds} {os.waitstatus_to_exitcode(status)} {ru.ru_maxrss} "
            f"{ru.ru_utime + ru.ru_stime}")
"""


def run_process(cmd: Sequence[str], *, cwd: Path | None = None) -> Timing:
    """Run ``cmd`` with stdout discarded: its wall clock, peak RSS and CPU time (its own, through
    the launcher above)."""
    with tempfile.TemporaryFile() as err, tempfile.TemporaryDirectory() as tmp:
        result = Path(tmp) / "result"
        env = dict(os.environ, NO_COLOR="1", COLUMNS="120")
        proc = subprocess.run([sys.executable, "-S", "-c", _LAUNCHER, str(result), *cmd],
                              stdout=subprocess.DEVNULL, stderr=err, cwd=cwd, env=env,
                              check=False)
        err.seek(0)
        tail = err.read().decode("utf-8", "replace")[-2000:]
        if proc.returncode != 0 or not result.exists():
            return Timing(0.0, 0.0, proc.returncode or 1, tail)
        seconds, code, maxrss_kb, cpu = result.read_text().split()
    return Timing(float(seconds), int(maxrss_kb) / 1024, int(code), tail, cpu=float(cpu))


def run_worker(op: str, *args: str) -> Timing:
    """A baseline operation in a fresh interpreter; ``seconds`` is the operation's own time."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        result = Path(f.name)
    try:
        t = run_process([sys.executable, __file__, "--worker", op, str(result), *args])
        if t.ok:
            t.detail = json.loads(result.read_text())
            t.seconds = t.detail["read"] + t.detail["write"]
            t.cpu = t.detail["read_cpu"] + t.detail["write_cpu"]
        return t
    finally:
        result.unlink(missing_ok=True)


def median_timing(runs: list[Timing]) -> Timing:
    ok = [r for r in runs if r.ok]
    if not ok:
        return runs[-1]
    best = sorted(ok, key=lambda r: r.seconds)[len(ok) // 2]
    return Timing(best.seconds, max(r.peak_mb for r in ok), 0, "",
                  {k: statistics.median(r.detail[k] for r in ok) for k in best.detail},
                  cpu=best.cpu)


# --------------------------------------------------------------------------------------------
# Workers: the bare baselines, run as `run.py --worker OP RESULT_JSON ARGS…`
# --------------------------------------------------------------------------------------------


def _rows_of(path: str) -> list[list[Any]]:
    """The people of a benchmark workbook (every sheet, below the header), read with calamine."""
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(path)
    rows: list[list[Any]] = []
    for name in wb.sheet_names:
        data = wb.get_sheet_by_name(name).to_python()
        rows += [r for r in data[mk.HEADER_ROW + 1:] if r and r[1] != ""]
    return rows


RESULT_HEADER = ("Hạng BV", "Mã NV", "Họ và tên", "Khoa/Phòng", "Chức vụ", "Nhóm", "CS1", "CS2",
                 "CM1", "CM2", "CM3", "TD1", "TD2", "HT1", "PT1", "Điểm cộng tính", "Điểm trừ",
                 "Tổng điểm", "Xếp loại", "Xếp loại (chữ)", "Loại", "Hạng khoa", "Ghi chú")
LABELS = {"HTXSNV": ("Hoàn thành xuất sắc nhiệm vụ", "A"), "HTTNV": ("Hoàn thành tốt nhiệm vụ", "B"),
          "HTNV": ("Hoàn thành nhiệm vụ", "C"), "KHTNV": ("Không hoàn thành nhiệm vụ", "D")}


def _result_table(rows: list[list[Any]]) -> list[list[Any]]:
    """The per-person result table thidua writes ("Cá nhân"), from the input rows."""
    total = mk.HEADER.index("Tổng điểm")
    ordered = sorted(rows, key=lambda r: -float(r[total]))
    dept_rank: dict[str, int] = {}
    table = []
    for rank, r in enumerate(ordered, start=1):
        dept_rank[r[3]] = dept_rank.get(r[3], 0) + 1
        bonus = min(float(r[25] or 0), 10.0)
        label, grade = LABELS[r[28]]
        table.append([rank, r[1], r[2], r[3], r[4], r[6], *r[16:25], bonus, r[26] or 0, r[27],
                      r[28], label, grade, dept_rank[r[3]], r[15]])
    return table


def worker_bare(src: str, dest: str) -> dict[str, float]:
    import fastexcel
    import xlsxwriter

    t0, c0 = time.perf_counter(), time.process_time()
    reader = fastexcel.read_excel(src)
    for i in range(len(reader.sheet_names)):
        reader.load_sheet(i, header_row=mk.HEADER_ROW)
    read, read_cpu = time.perf_counter() - t0, time.process_time() - c0

    table = _result_table(_rows_of(src))  # not timed: the data to write
    t0, c0 = time.perf_counter(), time.process_time()
    wb = xlsxwriter.Workbook(dest, {"constant_memory": True, "strings_to_numbers": False,
                                    "strings_to_formulas": False, "strings_to_urls": False})
    head = wb.add_format({"bold": True, "border": 1, "text_wrap": True, "bg_color": "#DDEBF7"})
    num = wb.add_format({"num_format": "0.00"})
    ws = wb.add_worksheet("Cá nhân")
    ws.freeze_panes(1, 3)
    ws.write_row(0, 0, RESULT_HEADER, head)
    for r, row in enumerate(table, start=1):
        ws.write_row(r, 0, row)
        ws.write_number(r, 17, row[17], num)
    ws.autofilter(0, 0, len(table), len(RESULT_HEADER) - 1)
    wb.close()
    return {"read": read, "write": time.perf_counter() - t0, "read_cpu": read_cpu,
            "write_cpu": time.process_time() - c0}


def worker_pandas(src: str, dest: str) -> dict[str, float]:
    import pandas as pd

    t0, c0 = time.perf_counter(), time.process_time()
    frames = pd.read_excel(src, engine="openpyxl", sheet_name=None, header=mk.HEADER_ROW)
    read, read_cpu = time.perf_counter() - t0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    with pd.ExcelWriter(dest, engine="openpyxl") as writer:
        for name, frame in frames.items():
            frame.to_excel(writer, sheet_name=name, index=False)
    return {"read": read, "write": time.perf_counter() - t0, "read_cpu": read_cpu,
            "write_cpu": time.process_time() - c0}


WORKERS: dict[str, Callable[..., dict[str, float]]] = {"bare": worker_bare,
                                                       "pandas": worker_pandas}


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


@dataclass
class Row:
    measure: str  # "thidua score", "fastexcel đọc", …
    size: str  # "3k", "60 tệp", …
    layout: str  # "khoa" / "gop" / ""
    seconds: float | None
    peak_mb: float | None = None
    note: str = ""
    cpu: float | None = None  # user + system CPU seconds: steadier than wall clock under load


@dataclass
class Target:
    text: str  # "Bệnh viện 3.000 người (30 sheet): score ≤ 1 s"
    measured: str  # "0,82 s"
    passed: bool | None  # None: not measured


def vn(x: float, digits: int = 2) -> str:
    """3.14 → "3,14" (Vietnamese decimal comma)."""
    return f"{x:,.{digits}f}".replace(",", " ").replace(".", ",").replace(" ", ".")


@dataclass
class Bench:
    out: Path
    thidua: list[str]
    sizes: list[str]
    repeat_small: int
    rows: list[Row] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    # -- for plug-ins --------------------------------------------------------------------------
    def file(self, size: str, layout: str) -> Path:
        return self.out / f"staff-{size}-{layout}.xlsx"

    def add_row(self, row: Row) -> None:
        self.rows.append(row)
        secs = "—" if row.seconds is None else f"{vn(row.seconds)} s"
        mem = "" if row.peak_mb is None else f", {row.peak_mb:.0f} MB"
        print(f"  {row.measure} [{row.size} {row.layout}]: {secs}{mem} {row.note}", flush=True)

    def add_target(self, text: str, measured: float | None, limit: float, unit: str = "s",
                   *, higher_is_better: bool = False, shown: str | None = None) -> None:
        if measured is None:
            self.targets.append(Target(text, "không đo được", None))
            return
        passed = measured >= limit if higher_is_better else measured <= limit
        digits = 0 if unit == "MB" else 2
        self.targets.append(Target(text, shown or f"{vn(measured, digits)} {unit}".strip(), passed))

    def find(self, measure: str, size: str, layout: str = "") -> Row | None:
        for r in self.rows:
            if (r.measure, r.size, r.layout) == (measure, size, layout) and r.seconds is not None:
                return r
        return None

    def has_command(self, name: str) -> bool:
        t = run_process([*self.thidua, name, "--help"])
        return t.ok

    def thidua_timed(self, args: Sequence[str], repeat: int = 1,
                     prepare: Callable[[], None] | None = None) -> Timing:
        runs = []
        for _ in range(repeat):
            if prepare:
                prepare()
            runs.append(run_process([*self.thidua, *args]))
        return median_timing(runs)


def failure_note(t: Timing) -> str:
    last = [ln for ln in t.stderr.strip().splitlines() if ln.strip()][-1:] or [""]
    return f"LỖI: mã thoát {t.returncode}: {last[0][:160]}"


# --------------------------------------------------------------------------------------------
# The measurements
# --------------------------------------------------------------------------------------------


def measure_sizes(bench: Bench, pandas_max: int) -> None:
    scoring = bench.has_command("score")
    if not scoring:
        bench.notes.append("`thidua score` chưa có: bỏ qua phép đo score.")
    tmp = Path(tempfile.mkdtemp(prefix="thidua-bench-"))
    try:
        for size in bench.sizes:
            n = mk.SIZES[size]
            repeat = bench.repeat_small if n <= 10_000 else 1
            for layout in LAYOUTS:
                src = bench.file(size, layout)
                print(f"{src.name} ({n} người, {LAYOUTS[layout]}):", flush=True)
                if scoring:
                    out = tmp / f"{src.stem}.ket-qua.xlsx"
                    t = bench.thidua_timed(["score", str(src), "--period", PERIOD, "-o", str(out),
                                            "--force"], repeat)
                    bench.add_row(Row("thidua score", size, layout, t.seconds if t.ok else None,
                                      t.peak_mb, "" if t.ok else failure_note(t), t.cpu))
                runs = [run_worker("bare", str(src), str(tmp / "bare.xlsx")) for _ in range(repeat)]
                t = median_timing(runs)
                if t.ok:
                    bench.add_row(Row("fastexcel đọc", size, layout, t.detail["read"],
                                      cpu=t.detail["read_cpu"]))
                    bench.add_row(Row("XlsxWriter ghi", size, layout, t.detail["write"],
                                      cpu=t.detail["write_cpu"]))
                else:
                    bench.add_row(Row("fastexcel đọc + XlsxWriter ghi", size, layout, None,
                                      note=failure_note(t)))
                if n <= pandas_max:
                    t = run_worker("pandas", str(src), str(tmp / "pandas.xlsx"))
                    if t.ok:
                        bench.add_row(Row("pandas+openpyxl đọc", size, layout, t.detail["read"],
                                          cpu=t.detail["read_cpu"]))
                        bench.add_row(Row("pandas+openpyxl ghi", size, layout, t.detail["write"],
                                          t.peak_mb, cpu=t.detail["write_cpu"]))
                    else:
                        bench.add_row(Row("pandas+openpyxl", size, layout, None,
                                          note=failure_note(t)))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def measure_help(bench: Bench) -> None:
    runs = [run_process([*bench.thidua, "--help"]) for _ in range(10)]
    ok = [r for r in runs if r.ok]
    bench.add_row(Row("thidua --help (trung vị 10 lần)", "", "",
                      statistics.median(r.seconds for r in ok) if ok else None,
                      max(r.peak_mb for r in runs), "" if ok else failure_note(runs[-1]),
                      statistics.median(r.cpu for r in ok) if ok else None))


def measure_validate(bench: Bench) -> None:
    if not bench.has_command("validate"):
        bench.notes.append("`thidua validate` chưa có: bỏ qua các phép đo validate.")
        return
    folder = bench.out / "nop-60"
    t = bench.thidua_timed(["validate", str(folder)], bench.repeat_small)
    bench.add_row(Row("thidua validate", "60 tệp (3.000 người)", "", t.seconds if t.ok else None,
                      t.peak_mb, "" if t.ok else failure_note(t), t.cpu))
    if "100k" in bench.sizes:
        src = bench.file("100k", "gop")
        t = bench.thidua_timed(["validate", str(src)])
        bench.add_row(Row("thidua validate", "100k", "gop", t.seconds if t.ok else None, t.peak_mb,
                          "" if t.ok else failure_note(t), t.cpu))
    tmp = Path(tempfile.mkdtemp(prefix="thidua-bench-"))
    try:
        src = tmp / "khoa-200.xlsx"
        shutil.copy(bench.out / "khoa-200.xlsx", src)
        t = bench.thidua_timed(["validate", "--annotate", "--force", str(src)], bench.repeat_small)
        bench.add_row(Row("thidua validate --annotate", "200 dòng", "", t.seconds if t.ok else None,
                          t.peak_mb, "" if t.ok else failure_note(t), t.cpu))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run_plugins(bench: Bench) -> list[str]:
    names = []
    for path in sorted(HERE.glob("*_bench.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        if not spec or not spec.loader:
            continue
        module = importlib.util.module_from_spec(spec)
        sys.modules[path.stem] = module
        spec.loader.exec_module(module)
        if hasattr(module, "run"):
            print(f"{path.name}:", flush=True)
            module.run(bench)
            names.append(path.name)
    return names


def evaluate(bench: Bench) -> None:
    score3k = bench.find("thidua score", "3k", "khoa")
    bench.add_target("Bệnh viện 3.000 người trong 30 sheet: `thidua score` ≤ 1 s",
                     score3k.seconds if score3k else None, 1.0)
    for layout in LAYOUTS:
        score = bench.find("thidua score", "100k", layout)
        read = bench.find("fastexcel đọc", "100k", layout)
        write = bench.find("XlsxWriter ghi", "100k", layout)
        if score and read and write and score.seconds and read.seconds and write.seconds:
            bare = read.seconds + write.seconds
            ratio = score.seconds / bare
            bench.add_target(f"100k ({LAYOUTS[layout]}): score ≤ 1,3 × (đọc fastexcel + ghi "
                             "XlsxWriter)", ratio, 1.3, "×",
                             shown=f"{vn(ratio)} × ({vn(score.seconds)} s / {vn(bare)} s)")
        else:
            bench.add_target(f"100k ({LAYOUTS[layout]}): score ≤ 1,3 × (đọc fastexcel + ghi "
                             "XlsxWriter)", None, 1.3)
        pr = bench.find("pandas+openpyxl đọc", "100k", layout)
        pw = bench.find("pandas+openpyxl ghi", "100k", layout)
        if score and pr and pw and score.seconds and pr.seconds and pw.seconds:
            speed = (pr.seconds + pw.seconds) / score.seconds
            bench.add_target(f"100k ({LAYOUTS[layout]}): score nhanh hơn pandas+openpyxl ≥ 3 ×",
                             speed, 3.0, "×", higher_is_better=True,
                             shown=f"{vn(speed, 1)} × ({vn(pr.seconds + pw.seconds, 1)} s / "
                                   f"{vn(score.seconds)} s)")
        else:
            bench.add_target(f"100k ({LAYOUTS[layout]}): score nhanh hơn pandas+openpyxl ≥ 3 ×",
                             None, 3.0)
        bench.add_target(f"100k ({LAYOUTS[layout]}): bộ nhớ đỉnh của score ≤ 600 MB",
                         score.peak_mb if score else None, 600, "MB")
    helped = bench.find("thidua --help (trung vị 10 lần)", "")
    bench.add_target("`thidua --help` ≤ 0,15 s", helped.seconds if helped else None, 0.15)
    validated = bench.find("thidua validate", "60 tệp (3.000 người)")
    if not (HERE / "validate_bench.py").exists():  # else the plug-in sets these targets
        bench.add_target("`thidua validate` 60 tệp (3.000 người) ≤ 3 s",
                         validated.seconds if validated else None, 3.0)
        v100 = bench.find("thidua validate", "100k", "gop")
        r100 = bench.find("fastexcel đọc", "100k", "gop")
        if v100 and r100 and v100.seconds and r100.seconds:
            bench.add_target("`thidua validate` 100k ≤ 3 × đọc fastexcel", v100.seconds / r100.seconds,
                             3.0, "×", shown=f"{vn(v100.seconds / r100.seconds)} × "
                                             f"({vn(v100.seconds)} s / {vn(r100.seconds)} s)")
        else:
            bench.add_target("`thidua validate` 100k ≤ 3 × đọc fastexcel", None, 3.0)
        ann = bench.find("thidua validate --annotate", "200 dòng")
        bench.add_target("`thidua validate --annotate` tệp 200 dòng ≤ 1 s",
                         ann.seconds if ann else None, 1.0)


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def machine_info(label: str | None) -> list[str]:
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        kb = int(Path("/proc/meminfo").read_text().split("\n")[0].split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB RAM"
    from importlib.metadata import PackageNotFoundError, version

    versions = []
    for pkg in ("thidua", "python-calamine", "fastexcel", "xlsxwriter", "openpyxl", "pandas",
                "typer", "rich"):
        try:
            versions.append(f"{pkg} {version(pkg)}")
        except PackageNotFoundError:
            versions.append(f"{pkg} (không có)")
    lines = []
    if label:
        lines.append(f"- Máy: {label}")
    lines += [
        f"- CPU: {cpu or platform.processor() or '?'}; nproc = {os.cpu_count()}; {mem}",
        f"- {platform.system()} {platform.release()}; Python {platform.python_version()}",
        "- Gói: " + ", ".join(versions),
    ]
    return lines


def summary(bench: Bench) -> list[str]:
    """One line per workbook: thidua beside the bare libraries (seconds)."""

    def s(measure: str, size: str, layout: str) -> str:
        r = bench.find(measure, size, layout)
        return vn(r.seconds) if r and r.seconds is not None else "—"

    out = ["| Số người | Bố cục | `thidua score` (s) | CPU của score (s) | Bộ nhớ đỉnh (MB) "
           "| fastexcel đọc (s) | XlsxWriter ghi (s) | pandas+openpyxl đọc + ghi (s) |",
           "|---:|---|---:|---:|---:|---:|---:|---:|"]
    for size in bench.sizes:
        for layout, label in LAYOUTS.items():
            score = bench.find("thidua score", size, layout)
            mem = f"{score.peak_mb:.0f}" if score and score.peak_mb else "—"
            cpu = vn(score.cpu) if score and score.cpu is not None else "—"
            pr = bench.find("pandas+openpyxl đọc", size, layout)
            pw = bench.find("pandas+openpyxl ghi", size, layout)
            pandas = vn(pr.seconds + pw.seconds) if pr and pw and pr.seconds and pw.seconds else "—"
            people = f"{mk.SIZES[size]:,}".replace(",", ".")
            out.append(f"| {people} | {label} | {s('thidua score', size, layout)} | {cpu} | {mem} "
                       f"| {s('fastexcel đọc', size, layout)} | {s('XlsxWriter ghi', size, layout)} "
                       f"| {pandas} |")
    return out


def markdown(bench: Bench, when: str, machine: list[str], plugins: list[str]) -> str:
    out = [f"# Kết quả đo hiệu năng thidua ({when})", "", *machine, ""]
    command = " ".join(["python bench/run.py", *sys.argv[1:]])
    out += [f"Lệnh: `{command}`", "", *summary(bench), ""]
    out += ["| Phép đo | Cỡ | Bố cục | Thời gian (s) | CPU (s) | Bộ nhớ đỉnh (MB) | Ghi chú |",
            "|---|---|---|---:|---:|---:|---|"]
    for r in bench.rows:
        secs = "—" if r.seconds is None else vn(r.seconds)
        cpu = "" if r.cpu is None else vn(r.cpu)
        mem = "" if r.peak_mb is None else f"{r.peak_mb:.0f}"
        out.append(f"| {r.measure} | {r.size} | {LAYOUTS.get(r.layout, r.layout)} | {secs} | {cpu} "
                   f"| {mem} | {r.note.replace('|', '/')} |")
    out += ["", *targets_table(bench)]
    notes = list(bench.notes)
    notes.append("Thời gian của thidua là cả tiến trình (khởi động Python, đọc, chấm, ghi tệp kết "
                 "quả); thời gian của fastexcel, XlsxWriter và pandas chỉ là phép đọc/ghi, đo trong "
                 "một tiến trình riêng. CPU = thời gian CPU (user + sys) của tiến trình hoặc của "
                 "phép đo: ít bị ảnh hưởng khi máy bận việc khác; mục tiêu vẫn xét theo thời gian "
                 "thực. Bộ nhớ đỉnh: RSS lớn nhất của tiến trình (os.wait4).")
    if plugins:
        notes.append("Phép đo bổ sung từ: " + ", ".join(plugins) + ".")
    out += ["", *[f"- {n}" for n in notes], ""]
    return "\n".join(out)


def targets_table(bench: Bench) -> list[str]:
    out = ["| Mục tiêu | Đo được | Kết quả |", "|---|---|---|"]
    for t in bench.targets:
        verdict = "—" if t.passed is None else ("PASS" if t.passed else "FAIL")
        out.append(f"| {t.text} | {t.measured} | {verdict} |")
    return out


README_MARKER = "<!-- section:bench -->"


def readme_section(bench: Bench, when: str, machine: list[str]) -> str:
    """The README's "bench" section (Vietnamese, for clerks and maintainers)."""
    others = [r for r in bench.rows if r.measure not in {
        "thidua score", "fastexcel đọc", "XlsxWriter ghi", "pandas+openpyxl đọc",
        "pandas+openpyxl ghi"}]
    lines = [
        "",
        "Đo bằng `bench/run.py` (cách đo và chạy lại: `bench/README.md`; bảng đầy đủ: "
        "`bench/RESULTS.md`). Bảng điểm dùng để đo có 29 cột (mã, họ tên, khoa/phòng, chức vụ, "
        "lãnh đạo, nhóm, giới tính, ngày tuyển dụng, ngày nghỉ, thai sản, kỷ luật, sáng kiến, đề "
        "tài, đăng ký, ghi chú, 9 tiêu chí, điểm cộng, điểm trừ, tổng điểm, xếp loại), chia ra 30 "
        "sheet khoa/phòng hoặc gộp trong một sheet. Mỗi phép đo chạy trong một tiến trình riêng. "
        "Thời gian của `thidua score` là cả lệnh (khởi động, đọc, chấm điểm, ghi tệp "
        "`.ket-qua.xlsx`); thời gian của fastexcel, XlsxWriter và pandas chỉ là phép đọc hoặc ghi, "
        "không kể khởi động — mốc so sánh khắt khe hơn cho thidua.",
        "",
        f"Lần đo gần nhất ({when}):",
        "",
        *machine,
        "",
        *summary(bench),
        "",
    ]
    if others:
        lines += ["| Phép đo khác | Cỡ | Thời gian (s) | CPU (s) | Bộ nhớ đỉnh (MB) |",
                  "|---|---|---:|---:|---:|"]
        for r in others:
            secs = "—" if r.seconds is None else vn(r.seconds)
            cpu = "" if r.cpu is None else vn(r.cpu)
            mem = "" if r.peak_mb is None else f"{r.peak_mb:.0f}"
            lines.append(f"| {r.measure} | {r.size} | {secs} | {cpu} | {mem} |")
        lines.append("")
    lines += [
        *targets_table(bench),
        "",
        "Cột CPU là thời gian CPU (user + sys): khi máy bận việc khác, thời gian thực tăng còn "
        "CPU thì ít đổi. Mục tiêu xét theo thời gian thực. Chạy lại (trong môi trường ảo của dự "
        "án):",
        "",
        "<!-- not-run: đo hiệu năng mất nhiều phút (bench/run.py) -->",
        "```bash",
        "python bench/run.py                              # mọi cỡ 1k, 3k, 10k, 100k: ≈ 10 phút",
        "python bench/run.py --sizes 1k,3k --repeat 1     # nhanh",
        "python bench/run.py --update-readme              # đo rồi chép số đo vào mục này",
        "```",
        "",
        "`run.py` tự sinh bảng điểm còn thiếu vào `bench/out/` (bằng `bench/make_workbooks.py`), "
        "in bảng và ghi `bench/RESULTS.md`, với PASS/FAIL cạnh từng mục tiêu.",
        "",
        "",
    ]
    return "\n".join(lines)


def update_readme(path: Path, section: str) -> None:
    """Replace the text between the bench marker and the next "## " heading, nothing else."""
    text = path.read_text(encoding="utf-8")
    start = text.index(README_MARKER) + len(README_MARKER) + 1
    end = text.find("\n## ", start)
    end = len(text) if end < 0 else end + 1
    path.write_text(text[:start] + section + text[end:], encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    if argv is None and len(sys.argv) > 2 and sys.argv[1] == "--worker":
        op, result, *rest = sys.argv[2:]
        Path(result).write_text(json.dumps(WORKERS[op](*rest)))
        return 0
    parser = argparse.ArgumentParser(description="Đo hiệu năng thidua (xem bench/README.md).")
    parser.add_argument("--out", default=str(HERE / "out"), help="thư mục bảng điểm (bench/out)")
    parser.add_argument("--sizes", default=",".join(mk.SIZES), help="ví dụ 1k,3k,10k,100k")
    parser.add_argument("--repeat", type=int, default=3,
                        help="số lần đo mỗi phép với cỡ ≤ 10k (lấy trung vị); 100k đo 1 lần")
    parser.add_argument("--pandas-max", default="100k",
                        help="không đo pandas+openpyxl với cỡ lớn hơn (mặc định 100k: đo tất cả)")
    parser.add_argument("--date", help="ngày ghi vào kết quả (mặc định: hôm nay)")
    parser.add_argument("--machine", help="mô tả máy ghi vào kết quả")
    parser.add_argument("--results", default=str(HERE / "RESULTS.md"), help="tệp Markdown kết quả")
    parser.add_argument("--update-readme", action="store_true",
                        help="chép số đo vào mục \"Hiệu năng\" của README.md (chỉ mục đó)")
    parser.add_argument("--no-generate", action="store_true",
                        help="không sinh bảng điểm còn thiếu (báo lỗi thay vào đó)")
    args = parser.parse_args(argv)

    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    if any(s not in mk.SIZES for s in sizes) or args.pandas_max not in mk.SIZES:
        parser.error(f"cỡ phải là một trong {', '.join(mk.SIZES)}")
    out = Path(args.out)
    missing = [s for s in sizes
               if not all((out / f"staff-{s}-{lay}.xlsx").exists() for lay in LAYOUTS)]
    extras_missing = not (out / "nop-60").is_dir() or not (out / "khoa-200.xlsx").exists()
    if missing or extras_missing:
        if args.no_generate:
            parser.error(f"thiếu bảng điểm trong {out}: chạy python bench/make_workbooks.py")
        print(f"Sinh bảng điểm ({', '.join(missing) or 'tệp validate'}) vào {out} …", flush=True)
        for line in mk.generate(out, missing):
            print("  " + line, flush=True)

    script = Path(sys.executable).parent / "thidua"
    thidua = [str(script)] if script.exists() else [sys.executable, "-m", "thidua_cli"]
    bench = Bench(out=out, thidua=thidua, sizes=sizes, repeat_small=max(1, args.repeat))
    when = args.date or datetime.now().strftime("%Y-%m-%d %H:%M")
    machine = machine_info(args.machine)

    load_start = os.getloadavg()[0]
    measure_sizes(bench, mk.SIZES[args.pandas_max])
    measure_help(bench)
    if not (HERE / "validate_bench.py").exists():
        measure_validate(bench)
    plugins = run_plugins(bench)
    evaluate(bench)
    machine.append(f"- Tải trung bình (1 phút) lúc bắt đầu / kết thúc: {vn(load_start)} / "
                   f"{vn(os.getloadavg()[0])} (máy có {os.cpu_count()} nhân; tải cao hơn số nhân "
                   "là máy đang bận việc khác)")

    text = markdown(bench, when, machine, plugins)
    Path(args.results).write_text(text, encoding="utf-8")
    if args.update_readme:
        update_readme(ROOT / "README.md", readme_section(bench, when, machine))
    print()
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
