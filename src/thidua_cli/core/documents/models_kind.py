"""The ``thidua render bao-cao-dien-hinh`` document: the yearly report of exemplary models and
their replication (issue 17), from the ledger's models register for a year, in the ND 30/2020
layout (the head's names broken by ``base.head_lines`` so they never wrap mid-place). Pure: the
models and the letterhead in, the context out; ``render`` sends this kind here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from thidua_cli.core import vnformat as fmt
from thidua_cli.core.documents.base import head_lines
from thidua_cli.core.documents.lists import clean_text
from thidua_cli.core.models import ExemplaryModel, Replication, summary

KIND = "bao-cao-dien-hinh"
LABEL = "Báo cáo điển hình tiên tiến và kết quả nhân rộng"


def _replication(r: Replication) -> str:
    """"Khoa Sản: áp dụng từ quý III" (the place alone when no result was recorded)."""
    place, result = clean_text(r.place), clean_text(r.result)
    return f"{place}: {result}" if result else place


def models_context(items: Sequence[ExemplaryModel], year: int,
                   org: Mapping[str, str]) -> dict[str, Any]:
    """The report's context: one row per model (a line per place it was replicated at, with
    the result), and the counts of ``core.models.summary``."""
    s = summary(items)
    rows = [{
        "stt": i, "kind": m.kind_label, "name": clean_text(m.name),
        "department": clean_text(m.department), "model": clean_text(m.model),
        "criteria": clean_text(m.criteria),
        "replications": [_replication(r) for r in m.replications] or ["Chưa nhân rộng"],
    } for i, m in enumerate(items, 1)]
    parent, name = org.get("parent", ""), org.get("name", "")
    return {
        "org": dict(org), "year": year, "title": "BÁO CÁO",
        "summary_line": f"Điển hình tiên tiến và kết quả nhân rộng năm {year}",
        "doc": {**head_lines(parent.upper(), name.upper(), name.upper()),
                "number_text": fmt.doc_number(None, "BC", org.get("abbreviation", "")),
                "date_line": fmt.blank_date_line(org.get("place", ""), year)},
        "rows": rows,
        "counts": {"models": s.models, "individuals": s.individuals,
                   "collectives": s.collectives, "replicated": s.replicated, "places": s.places},
        "recipients": ["- Như trên;", "- Lưu: VT, " + (org.get("personnel_abbreviation") or "TCCB")
                       + "."],
        "signer": {"title": (org.get("director_title") or "GIÁM ĐỐC").upper(), "name_line": ""},
    }


def sample_models() -> list[ExemplaryModel]:
    """Two models for ``templates check`` (every key the default template uses)."""
    return [
        ExemplaryModel(2026, "individual", "Nguyễn Văn An", "Khám bệnh theo hẹn qua điện thoại",
                       "Đạt Chiến sĩ thi đua cơ sở năm 2026", "NV01", "Khoa Nội",
                       (Replication("Khoa Ngoại", "Giảm 30% thời gian chờ"),)),
        ExemplaryModel(2026, "collective", "Khoa Dược", "Cấp phát thuốc một cửa", "", "", ""),
    ]
