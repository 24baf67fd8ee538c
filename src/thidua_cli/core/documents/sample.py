"""A small, complete example (``thidua templates check`` without --from; the README's
variables)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from thidua_cli.config.sections import CouncilMember
from thidua_cli.core.awards_result import SCHEMA
from thidua_cli.core.documents.lists import STATUS_APPROVED, STATUS_REJECTED
from thidua_cli.core.documents.options import DocumentOptions


def sample_result(year: int = 2026) -> dict[str, Any]:
    """A small awards result in which every list of the context is non-empty: an individual
    title, a collective title, a Giấy khen, a rejected proposal and a higher-level proposal."""

    def award(title: str, label: str, category: str, name: str, *, kind: str = "individual",
              level: str = "hospital", status: str = STATUS_APPROVED, votes: int = 8,
              coefficient: str = "0.3", amount: int = 702_000, gender: str = "nu",
              position: str = "Điều dưỡng", department: str = "Khoa Nội tổng hợp") -> dict[str, Any]:
        return {
            "kind": kind, "title": title, "title_label": label, "category": category,
            "level": level, "staff_id": None if kind == "collective" else f"BV{len(name):04d}",
            "name": name, "gender": gender if kind == "individual" else "",
            "position": position if kind == "individual" else "", "department": department,
            "year_rating": "HTXSNV", "status": status, "votes_for": votes, "council_members": 9,
            "vote_share": round(votes / 9, 4), "coefficient": coefficient, "amount": amount,
            "paid": True, "basis": "", "note": "",
        }  # fmt: skip

    awards = [
        award("CSTDCS", "Chiến sĩ thi đua cơ sở", "title", "Nguyễn Thị Ánh", coefficient="1.0", amount=2_340_000),
        award("LDTT", "Lao động tiên tiến", "title", "Đỗ Văn An", gender="nam", position="Bác sĩ"),
        award("TTLDTT", "Tập thể lao động tiên tiến", "title", "Khoa Nội tổng hợp", kind="collective",
              coefficient="0.8", amount=1_872_000),
        award("GIAY_KHEN", "Giấy khen", "commendation", "Lê Ăn", gender="nam", position="Hộ lý"),
        award("CSTDCS", "Chiến sĩ thi đua cơ sở", "title", "Phạm Thị Ấn", status=STATUS_REJECTED, votes=6,
              coefficient="1.0", amount=2_340_000),
        award("BANG_KHEN_TINH", "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "commendation",
              "Nguyễn Thị Ánh", level="higher", votes=9, coefficient="1.5", amount=3_510_000),
    ]
    return {
        "schema": SCHEMA,
        "tool": {"name": "thidua", "version": ""},
        "year": year,
        "decision_date": f"{year}-12-20",
        "ruleset": {
            "code": "2025-07",
            "name": "Luật Thi đua, khen thưởng 2022; Nghị định 152/2025/NĐ-CP",
            "legal_bases": [
                "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
                "Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định về "
                "phân cấp, phân quyền trong lĩnh vực thi đua, khen thưởng; quy định chi tiết và "
                "hướng dẫn thi hành một số điều của Luật Thi đua, khen thưởng",
            ],
        },
        "organisation": {
            "name": "BỆNH VIỆN ĐA KHOA TỈNH AN BÌNH", "parent": "SỞ Y TẾ TỈNH AN BÌNH",
            "abbreviation": "BV", "place": "An Bình", "personnel_office": "Phòng Tổ chức cán bộ",
            "personnel_abbreviation": "TCCB", "director_title": "GIÁM ĐỐC",
        },
        "base_salary": 2_340_000,
        "council": {"members": 9, "thresholds": {"CSTDCS": 0.8, "LDTT": 0.5, "GIAY_KHEN": 0.5, "TTLDTT": 0.5}},
        "awards": awards,
        "candidates": [],
        "departments": [],
        "quotas": [],
        "ties": [],
        "money": {"by_title": [], "total": 5_616_000, "total_words": ""},
        "warnings": [],
    }


def sample_options(defaults: DocumentOptions) -> DocumentOptions:
    """``defaults`` (the regulation's) with every optional list filled (council members present
    and absent, tally team)."""
    return replace(defaults.with_settings(
        signer="Trần Văn Giám",
        office_head="Lê Thị Phòng",
        council_members=(
            CouncilMember("Trần Văn Giám", "Giám đốc – Chủ tịch Hội đồng"),
            CouncilMember("Lê Thị Phòng", "Trưởng phòng Tổ chức cán bộ – Thư ký"),
            CouncilMember("Vũ Văn Vắng", "Chủ tịch Công đoàn – Ủy viên"),
        ),
        secretary="Lê Thị Phòng",
        tally_team=("Hoàng Văn Kiểm – Trưởng ban", "Đinh Thị Phiếu – Ủy viên"),
    ),
        absent=("Vũ Văn Vắng",),
        numbers={"quyet-dinh": 12, "to-trinh": 11, "to-trinh-cap-tren": 13, "bien-ban": 3, "kiem-phieu": 4},
    )
