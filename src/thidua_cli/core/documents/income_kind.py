"""The ``thidua render bang-thanh-toan`` document: the payment table of the additional income
(thu nhập tăng thêm, issue 16), one page per department, from a ``thidua income --json`` result
(schema ``thidua.income/1``). Pure: a JSON object and the letterhead in, the context out.

Kept apart from the awards kinds (``kinds.py``): its source is an income result, not an awards
result, so it has its own context; ``render`` sends this kind here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from thidua_cli.core import vnformat as fmt
from thidua_cli.core.documents.lists import clean_text
from thidua_cli.core.money import money_in_words
from thidua_cli.errors import InputFileError

KIND = "bang-thanh-toan"
LABEL = "Bảng thanh toán tiền thu nhập tăng thêm"
SCHEMA = "thidua.income/1"
SIGNERS = (("Người lập bảng", "(Ký, họ tên)"), ("Kế toán trưởng", "(Ký, họ tên)"),
           ("Thủ trưởng đơn vị", "(Ký, họ tên, đóng dấu)"))


def _number(value: Any) -> str:
    """1.5 → "1,5"; 22.0 → "22"."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return ""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def income_context(data: Mapping[str, Any], org: Mapping[str, str], *, linh: str = "linh",
                   nghin: str = "nghìn", source: str = "kết quả thu nhập tăng thêm") -> dict[str, Any]:
    """The context of the payment table. Raises InputFileError for a result that is not a
    ``thidua income --json`` one."""
    if data.get("schema") != SCHEMA or not isinstance(data.get("people"), list) or not isinstance(
            data.get("period"), dict):
        raise InputFileError(f"{source} không phải kết quả `thidua income --json` (cần \"schema\": "
                             f"\"{SCHEMA}\"). Hãy tạo bằng `thidua income … --json > ket-qua.json`.")
    departments: dict[str, list[dict[str, Any]]] = {}
    for p in data["people"]:
        if not isinstance(p, dict) or not isinstance(p.get("amount"), int):
            raise InputFileError(f"{source}: mỗi phần tử của `people` cần `amount` là số nguyên.")
        rows = departments.setdefault(clean_text(str(p.get("department", ""))), [])
        rows.append({
            "stt": len(rows) + 1,
            "staff_id": clean_text(str(p.get("staff_id", ""))),
            "name": clean_text(str(p.get("name", ""))),
            "title": clean_text(str(p.get("title") or "")),
            "coefficient": _number(p.get("coefficient")),
            "grade": clean_text(str(p.get("grade") or "—")),
            "days": _number(p.get("credited_days")),
            "amount": fmt.thousands(p["amount"]),
            "amount_value": p["amount"],
            "note": "; ".join(clean_text(str(r.get("text", ""))) for r in p.get("reasons", [])
                              if isinstance(r, dict)),
        })
    groups = []
    for name, rows in departments.items():
        total = sum(r["amount_value"] for r in rows)
        groups.append({"name": name, "rows": rows, "count": len(rows), "total": fmt.thousands(total),
                       "total_words": money_in_words(total, linh=linh, nghin=nghin)})
    total = sum(int(r["amount_value"]) for rows in departments.values() for r in rows)
    period = data["period"]
    return {
        "schema": SCHEMA,
        "org": dict(org),
        "title": LABEL.upper(),
        "period_label": clean_text(str(period.get("label", ""))),
        "period_code": clean_text(str(period.get("code", ""))),
        "departments": groups,
        "total": fmt.thousands(total),
        "total_words": money_in_words(total, linh=linh, nghin=nghin),
        "date_line": f"{org.get('place', '')}, ngày … tháng … năm …",
        "signers": [{"title": t, "note": n} for t, n in SIGNERS],
    }


def sample_income() -> dict[str, Any]:
    """A small income result for ``templates check`` (every key the default template uses)."""
    return {
        "schema": SCHEMA,
        "period": {"code": "2026-M03", "label": "Tháng 3 năm 2026"},
        "people": [
            {"staff_id": "NV01", "name": "Nguyễn Văn An", "department": "Khoa Nội", "title": "Bác sĩ",
             "coefficient": 3.96, "grade": "A", "credited_days": 22.0, "amount": 5_206_000,
             "reasons": []},
            {"staff_id": "NV02", "name": "Trần Thị Bình", "department": "Khoa Nội",
             "title": "Điều dưỡng", "coefficient": 2.34, "grade": "C", "credited_days": 14.0,
             "amount": 1_231_000, "reasons": [{"code": "GRADE_REDUCED", "text": "Loại C: hệ số 0,8",
                                               "zero": False}]},
        ],
    }
