#!/usr/bin/env python3
"""Time ``thidua cluster`` (issue 18): the shipped nine-member example, and a large cluster of
60 members × 100 scoring items (one workbook each), both in-process through ``app.cluster.run``
(read every workbook, rank, write ``<year>.khoi.xlsx`` and its JSON), median of 3 runs.

    python bench/cluster_bench.py

Target: the example in ≤ 1 s. Also a plug-in of ``bench/run.py`` (``run(bench)``).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "examples"))


def _large(folder: Path, members: int = 60, items: int = 100) -> list[Path]:
    from openpyxl import Workbook

    names = [f"Bệnh viện số {i:02d}" for i in range(1, members + 1)]
    wb = Workbook()
    ws = wb.active
    ws.title = "Bảng điểm"
    ws.append(["Mã", "Tiêu chí", "Nhóm", "Điểm tối đa"])
    for k in range(1, items + 1):
        ws.append([f"TC{k:03d}", f"Tiêu chí {k}", f"Nhóm {1 + k // 10}", 10])
    members_ws = wb.create_sheet("Thành viên")
    members_ws.append(["Đơn vị", "Trưởng khối", "Vượt chỉ tiêu", "Tổ chức Đảng", "Vi phạm nghiêm trọng"])
    for i, n in enumerate(names):
        members_ws.append([n, "x" if i == 0 else "", "Có", "HTXSNV", "Không"])
    book = folder / "khoi-2026.xlsx"
    wb.save(book)
    files = [book]
    for i, n in enumerate(names):
        wb = Workbook()
        ws = wb.active
        ws.append([f"Đơn vị: {n}"])
        ws.append(["Mã", "Nội dung", "Điểm tối đa", "Tự chấm", "Kiểm tra"])
        for k in range(1, items + 1):
            score = (i * 7 + k * 3) % 11
            ws.append([f"TC{k:03d}", f"Tiêu chí {k}", 10, min(10, score), min(10, score) if k % 9 else max(0, score - 1)])
        path = folder / f"dv-{i:02d}.xlsx"
        wb.save(path)
        files.append(path)
    return files


def _time(request: Any, repeat: int = 3) -> float:
    from thidua_cli.app import cluster as app

    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        app.run(request)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure() -> dict[str, float]:
    from thidua_cli.app.cluster import ClusterRequest

    ex = ROOT / "examples" / "khoi-2026"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        example = ClusterRequest(
            book=ex / "khoi-2026.xlsx", sheets=tuple(sorted((ex / "cham").glob("*.xlsx"))),
            proposals=tuple(sorted((ex / "de-xuat").glob("*.json"))), votes=ex / "bieu-quyet.xlsx",
            rules=ex / "quy-che-khoi.toml", output=out / "2026.khoi.xlsx", force=True)
        files = _large(out)
        large = ClusterRequest(book=files[0], sheets=tuple(files[1:]),
                               output=out / "lon.khoi.xlsx", force=True)
        return {"example": _time(example), "large": _time(large)}


def run(bench: Any) -> None:
    """Plug-in of bench/run.py."""
    from run import Row  # type: ignore[import-not-found]

    f = measure()
    bench.add_row(Row("cluster: khối ví dụ", "9 đơn vị × 12 mục", "", f["example"]))
    bench.add_row(Row("cluster", "60 đơn vị × 100 mục", "", f["large"]))
    bench.add_target("thidua cluster, khối ví dụ 9 đơn vị ≤ 1 s", f["example"], 1.0)


def main() -> int:
    f = measure()
    print(f"example, 9 members × 12 items:   {f['example']:.3f} s  target ≤ 1 s")
    print(f"large, 60 members × 100 items:   {f['large']:.3f} s")
    return 0 if f["example"] <= 1.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
