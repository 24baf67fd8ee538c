#!/usr/bin/env python3
"""Time ``thidua render`` on a large decision (issue 5, "Performance").

    python bench/render_bench.py              # prints the figures (median of 5 runs)
    python bench/render_bench.py --n 1000 --repeat 5

Targets: 1,000 certificates rendered into ONE document ≤ 1 s; a decision whose list has 1,000
rows ≤ 1 s. Each figure is the rendering of one document in-process (docxtpl: load the template,
render with the sandboxed environment, save the .docx into memory), after the context is built;
the context build (sorting 1,000 names in Vietnamese order, money, groups) is timed on its own.

Also a plug-in of ``bench/run.py`` (``run(bench)`` adds the rows and the targets).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from thidua_cli import render as rd  # noqa: E402
from thidua_cli.core import documents as docs  # noqa: E402

HO = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
DEM = ["Văn", "Thị", "Hữu", "Đức", "Thanh", "Minh", "Ngọc", "Quốc", "Thu", "Hoài", "Kim", "Xuân"]
TEN = ["An", "Anh", "Ánh", "Bình", "Cường", "Dũng", "Đạt", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng",
       "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Ngân", "Nhung", "Oanh", "Phúc", "Quang",
       "Quyên", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Uyên", "Vân", "Yến", "Ấn", "Ăn"]  # fmt: skip
POSITIONS = ["Bác sĩ", "Điều dưỡng", "Kỹ thuật viên", "Dược sĩ", "Hộ lý", "Nhân viên"]


def large_result(n: int, seed: int = 2026) -> dict[str, Any]:
    """An awards result with ``n`` approved Lao động tiên tiến (plus the sample's other titles)."""
    rng = random.Random(seed)
    result = docs.sample_result()
    awards = []
    for i in range(n):
        name = f"{rng.choice(HO)} {rng.choice(DEM)} {rng.choice(TEN)}"
        awards.append({
            "kind": "individual", "title": "LDTT", "title_label": "Lao động tiên tiến", "category": "title",
            "level": "hospital", "staff_id": f"BV{i:05d}", "name": name, "gender": rng.choice(["nam", "nu"]),
            "position": rng.choice(POSITIONS), "department": f"Khoa {rng.randint(1, 30):02d}",
            "year_rating": "HTTNV", "status": "approved", "votes_for": 7, "council_members": 9,
            "vote_share": 0.7778, "coefficient": "0.3", "amount": 702_000, "paid": True, "basis": "", "note": "",
        })  # fmt: skip
    result["awards"] = awards
    return result


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), value


def measure(n: int = 1000, repeat: int = 5) -> dict[str, float]:
    from dataclasses import replace

    from thidua_cli.regulation import default_regulation

    result = large_result(n)
    reg = default_regulation()
    options = replace(docs.options_from_settings(reg.documents, reg.money),
                      numbers={"quyet-dinh": 12})
    build_s, docset = timed(lambda: docs.build_documents(result, options), repeat)
    assert isinstance(docset, docs.DocumentSet)
    assert len(docset.context["certificates"]) == n
    cert_s, cert = timed(lambda: rd.render_kind("giay-khen", docset), repeat)
    list_s, decision = timed(lambda: rd.render_kind("quyet-dinh", docset), repeat)
    assert isinstance(cert, rd.RenderedDocument) and cert.items == n
    assert isinstance(decision, rd.RenderedDocument) and decision.items == n
    return {"context": build_s, "certificates": cert_s, "decision": list_s,
            "certificates_mb": len(cert.data) / 1e6, "decision_mb": len(decision.data) / 1e6}  # fmt: skip


def run(bench: Any) -> None:
    """Plug-in of bench/run.py."""
    from run import Row  # type: ignore[import-not-found]

    figures = measure(1000, 3)
    bench.add_row(Row("render: dữ liệu văn bản", "1.000 người", "", figures["context"]))
    bench.add_row(Row("render giay-khen", "1.000 trang", "", figures["certificates"], note="một tệp .docx"))
    bench.add_row(Row("render quyet-dinh", "danh sách 1.000 dòng", "", figures["decision"]))
    bench.add_target("1.000 giấy khen trong một tệp ≤ 1 s", figures["certificates"], 1.0)
    bench.add_target("Quyết định có danh sách 1.000 dòng ≤ 1 s", figures["decision"], 1.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    f = measure(args.n, args.repeat)
    ok = f["certificates"] <= 1.0 and f["decision"] <= 1.0
    print(f"context for {args.n} awards:        {f['context']:.3f} s")
    print(f"{args.n} certificates, one .docx:   {f['certificates']:.3f} s ({f['certificates_mb']:.1f} MB)  target ≤ 1 s")
    print(f"decision with a {args.n}-row list:  {f['decision']:.3f} s ({f['decision_mb']:.1f} MB)  target ≤ 1 s")
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
