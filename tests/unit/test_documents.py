"""The document context built from an awards result (``thidua.awards/1``): groups, order, money,
Điều 1, Căn cứ, council, certificates; and the checks on the result and on [documents]."""

from __future__ import annotations

import copy
import json
import re
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from helpers import doc_options
from thidua_cli.core import documents as docs
from thidua_cli.core.documents import CouncilMember, build_documents
from thidua_cli.errors import InputFileError, InvalidDataError, RegulationError, UsageError
from thidua_cli.regulation import parse_regulation

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "awards-sample.json"


@pytest.fixture
def result() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SAMPLE.read_text(encoding="utf-8"))
    return data


def messages(findings: Any) -> tuple[str, ...]:
    return tuple(w.message for w in findings)


def names(group: dict[str, Any]) -> list[str]:
    return [r["name"] for r in group["rows"]]


def test_groups_follow_the_official_order_with_names_in_vietnamese_list_order(result: dict[str, Any]) -> None:
    ctx = build_documents(result, doc_options()).context
    assert [(g["roman"], g["label"], g["count"]) for g in ctx["groups"]] == [
        ("I", "Chiến sĩ thi đua cơ sở", 2),
        ("II", "Lao động tiên tiến", 6),
        ("III", "Tập thể lao động tiên tiến", 2),
        ("IV", "Giấy khen (cá nhân)", 1),
        ("V", "Giấy khen (tập thể)", 1),
    ]
    # tên, then họ, then đệm; a < ă < â and letters before tones (locale.md).
    assert names(ctx["groups"][1]) == [
        "Đỗ Văn An", "Nguyễn Thị Ánh", "Lê Ăn", "Phạm Thị Ấn", "Trần Văn Bình", "Lý Thị Mai",
    ]  # fmt: skip
    assert names(ctx["groups"][0]) == ["Nguyễn Thị Ánh", "Trần Văn Bình"]
    assert names(ctx["groups"][2]) == ["Khoa Nội tổng hợp", "Khoa Tai Mũi Họng & Răng Hàm Mặt"]
    # STT restarts in each group; the số sổ vàng runs through the whole list.
    assert [r["stt"] for r in ctx["groups"][1]["rows"]] == [1, 2, 3, 4, 5, 6]
    every = [r for g in ctx["groups"] for r in g["rows"]]
    assert [r["so_vang"] for r in every] == list(range(1, 13))


def test_money_subtotals_total_and_words(result: dict[str, Any]) -> None:
    ctx = build_documents(result, doc_options()).context
    # CSTĐCS 2 × 2,340,000; LĐTT 4 paid × 702,000 (Ánh and Bình are paid as CSTĐCS, ND 152
    # Điều 49: one period, the highest title only); TTLĐTT 2 × 1,872,000; Giấy khen 702,000 and
    # 1,404,000 (a title and a form of commendation are both paid).
    assert [g["subtotal_value"] for g in ctx["groups"]] == [4_680_000, 2_808_000, 3_744_000, 702_000, 1_404_000]
    assert [g["subtotal"] for g in ctx["groups"]] == ["4.680.000", "2.808.000", "3.744.000", "702.000", "1.404.000"]
    assert ctx["total_value"] == 13_338_000
    assert ctx["total"] == "13.338.000"
    assert ctx["total_words"] == "Mười ba triệu ba trăm ba mươi tám nghìn đồng"
    unpaid = [r for r in ctx["groups"][1]["rows"] if not r["paid"]]
    assert [r["name"] for r in unpaid] == ["Nguyễn Thị Ánh", "Trần Văn Bình"]
    assert all(r["amount"] == "-" and r["amount_value"] == 0 for r in unpaid)
    assert all(r["note"] == "Đã hưởng mức thưởng cao hơn cùng thời kỳ" for r in unpaid)
    first = ctx["groups"][0]["rows"][0]
    assert (first["coefficient"], first["amount"]) == ("1,0", "2.340.000")


def test_article_1_counts_are_those_of_the_list(result: dict[str, Any]) -> None:
    ctx = build_documents(result, doc_options()).context
    article = ctx["decision"]["article_1"]
    assert article == (
        "Công nhận danh hiệu “Chiến sĩ thi đua cơ sở” năm 2026 cho 2 cá nhân; danh hiệu "
        "“Lao động tiên tiến” năm 2026 cho 6 cá nhân; danh hiệu “Tập thể lao động tiên tiến” năm "
        "2026 cho 2 tập thể; tặng Giấy khen của Giám đốc Bệnh viện Đa khoa tỉnh An Bình cho 1 cá "
        "nhân, 1 tập thể (có danh sách kèm theo)."
    )
    counted = [int(n) for n in re.findall(r"(\d+) (?:cá nhân|tập thể)", article)]
    assert counted == [g["count"] for g in ctx["groups"]]
    assert ctx["count_total"] == 12 and ctx["count_individuals"] == 9 and ctx["count_collectives"] == 3
    assert ctx["decision"]["summary"] == "Về việc công nhận danh hiệu thi đua và tặng Giấy khen năm 2026"


def test_only_approved_hospital_awards_are_decided(result: dict[str, Any]) -> None:
    ds = build_documents(result, doc_options())
    listed = {(r["name"], r["title"]) for g in ds.context["groups"] for r in g["rows"]}
    assert ("Phạm Thị Ấn", "CSTDCS") not in listed  # rejected: 6/9 < 80 %
    assert ("Nguyễn Thị Ánh", "BANG_KHEN_TINH") not in listed  # higher level: proposed upward
    assert ds.has_higher
    higher = ds.context["higher"]
    assert [(g["label"], names(g)) for g in higher["groups"]] == [
        ("Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh (cá nhân)", ["Nguyễn Thị Ánh"])
    ]
    assert higher["recipient"] == "Sở Y tế tỉnh An Bình"
    assert higher["request"] == "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho 1 cá nhân"
    assert ds.warnings == ()


def test_kinds_to_write(result: dict[str, Any]) -> None:
    ds = build_documents(result, doc_options())
    assert ds.kinds_to_write("all") == list(docs.KINDS)
    assert ds.kinds_to_write("to-trinh") == ["to-trinh", "to-trinh-cap-tren"]
    assert ds.kinds_to_write("phieu-bau") == ["phieu-bau"]
    local = copy.deepcopy(result)
    local["awards"] = [a for a in local["awards"] if a.get("level", "hospital") == "hospital"]
    del local["money"]
    assert "to-trinh-cap-tren" not in build_documents(local, doc_options()).kinds_to_write("all")
    with pytest.raises(InvalidDataError, match="Không in được to-trinh-cap-tren: không có đề nghị"):
        build_documents(local, doc_options()).kinds_to_write("to-trinh-cap-tren")
    for a in local["awards"]:
        a["status"] = "rejected"
    rejected = build_documents(local, doc_options())
    assert rejected.kinds_to_write("all") == ["bien-ban", "kiem-phieu", "phieu-bau"]
    with pytest.raises(InvalidDataError, match="Không in được quyet-dinh: không có danh hiệu"):
        rejected.kinds_to_write("quyet-dinh")
    local["awards"] = []
    with pytest.raises(InvalidDataError, match="Không có văn bản nào để in"):
        build_documents(local, doc_options()).kinds_to_write("all")
    with pytest.raises(UsageError, match='Không có loại văn bản "nope"'):
        ds.kinds_to_write("nope")


def test_without_votes_the_proposals_are_listed_with_a_warning(result: dict[str, Any]) -> None:
    for a in result["awards"]:
        a["status"] = "proposed"
        a["votes_for"] = None
        a["vote_share"] = None
    del result["council"]["votes_given"]  # an older result: no approved or rejected means no vote
    ds = build_documents(result, doc_options())
    assert ds.context["status_used"] == "proposed"
    assert ds.context["count_total"] == 13  # the formerly rejected proposal is listed too
    assert any("Chưa có kết quả bỏ phiếu" in w for w in messages(ds.warnings))
    row = ds.context["votes"][0]
    assert (row["votes"], row["share"], row["result"]) == ("…/9", "…", "…")


def test_votes_given_false_lists_the_proposals_even_with_cap_ties(result: dict[str, Any]) -> None:
    # Without a votes file thidua awards still marks people tied at the HTXSNV cap
    # "pending_council"; that is not a vote.
    for a in result["awards"]:
        a["status"] = "proposed"
    result["awards"][0]["status"] = "pending_council"
    result["council"]["votes_given"] = False
    ds = build_documents(result, doc_options())
    assert ds.context["status_used"] == "proposed"
    assert ds.context["count_total"] == 12  # 13 proposals at hospital level, 1 pending
    assert any("Chưa có kết quả bỏ phiếu" in w for w in messages(ds.warnings))


def test_a_list_total_that_differs_from_the_awards_total_is_reported(result: dict[str, Any]) -> None:
    result["money"]["total"] = 16_848_000 + 10_000
    ds = build_documents(result, doc_options())
    assert [w.code for w in ds.warnings] == ["documents-total-mismatch"]
    assert messages(ds.warnings) == (
        "Tổng tiền của danh sách (13.338.000 đồng) khác tổng tiền trong kết quả xét danh hiệu "
        "(13.348.000 đồng); hãy kiểm tra lại trước khi trình ký.",
    )


def test_unknown_council_size_prints_one_ballot_with_a_warning(result: dict[str, Any]) -> None:
    result["council"]["members"] = None
    for a in result["awards"]:
        a["council_members"] = None
    ds = build_documents(result, doc_options())
    assert len(ds.context["ballots"]) == 1
    assert not any("phiếu bầu" in w for w in messages(ds.warnings_for(["quyet-dinh"])))
    assert any("in 1 phiếu bầu để sao thêm" in w for w in messages(ds.warnings_for(["quyet-dinh", "phieu-bau"])))
    members = tuple(CouncilMember(f"TV {i}") for i in range(7))
    assert len(build_documents(result, doc_options(council_members=members)).context["ballots"]) == 7


def test_pending_council_is_left_out_and_reported(result: dict[str, Any]) -> None:
    result["awards"][0]["status"] = "pending_council"  # Lý Thị Mai, LĐTT
    ds = build_documents(result, doc_options())
    assert "Lý Thị Mai" not in names(ds.context["groups"][1])
    assert any("đang chờ Hội đồng xét" in w and "Lý Thị Mai (Lao động tiên tiến)" in w for w in messages(ds.warnings))


def test_bases_come_from_the_applied_rule_set(result: dict[str, Any]) -> None:
    opts = doc_options(
        regulation_basis="Quyết định số 05/QĐ-BV ngày 10 tháng 01 năm 2026 của Giám đốc Bệnh viện ban hành Quy chế thi đua, khen thưởng.",
        meeting_date=date(2026, 12, 15),
    )
    ctx = build_documents(result, opts).context
    # The director's authority first; not declared here, so printed with blanks (issue 12).
    assert ctx["bases"][0] == (
        "Căn cứ Quyết định số … ngày … tháng … năm … của … quy định chức năng, nhiệm vụ, quyền hạn "
        "và cơ cấu tổ chức của Bệnh viện Đa khoa tỉnh An Bình;"
    )
    assert ctx["bases"][1] == "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"
    assert ctx["bases"][2].startswith("Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025")
    assert ctx["bases"][3] == (
        "Căn cứ Quyết định số 05/QĐ-BV ngày 10 tháng 01 năm 2026 của Giám đốc Bệnh viện ban hành "
        "Quy chế thi đua, khen thưởng;"
    )
    assert ctx["bases"][4] == "Căn cứ Biên bản họp Hội đồng Thi đua – Khen thưởng Bệnh viện ngày 15 tháng 12 năm 2026;"
    assert all(b.endswith(";") for b in ctx["bases"])
    assert ctx["proposal_line"] == "Theo đề nghị của Trưởng phòng Tổ chức cán bộ."
    assert ctx["decision"]["article_3"].startswith(
        "Quyết định này có hiệu lực kể từ ngày ký. Trưởng phòng Tổ chức cán bộ, Trưởng phòng Tài chính"
    )
    assert "Nghị định số 152/2025/NĐ-CP" in ctx["decision"]["article_2"]
    # Under the older rule set the decision cites ND 98/2023.
    result["ruleset"]["legal_bases"] = ["Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ"]
    ctx = build_documents(result, doc_options(authority_basis="Quyết định số 1234/QĐ-UBND ngày 15/3/2020 của "
                                              "UBND tỉnh An Bình")).context
    assert ctx["bases"][0] == "Căn cứ Quyết định số 1234/QĐ-UBND ngày 15/3/2020 của UBND tỉnh An Bình;"
    assert ctx["bases"][1] == "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ;"
    # Neither declared: the Quy chế line is printed with blanks too, never dropped.
    assert ctx["bases"][2] == ("Căn cứ Quyết định số …/QĐ-BV ngày … tháng … năm … của Giám đốc Bệnh viện "
                               "ban hành Quy chế thi đua, khen thưởng của Bệnh viện;")
    assert "Nghị định số 98/2023/NĐ-CP" in ctx["decision"]["article_2"]


def test_numbers_dates_and_headers(result: dict[str, Any]) -> None:
    opts = doc_options(numbers={"quyet-dinh": 5, "to-trinh": 12}, date=date(2027, 1, 5), signer="Trần Văn Giám")
    ds = build_documents(result, opts)
    qd = ds.for_kind("quyet-dinh")["doc"]
    assert (qd["number_text"], qd["date_line"]) == ("05/QĐ-BV", "An Bình, ngày 05 tháng 01 năm 2027")
    assert (qd["parent"], qd["issuer"]) == ("SỞ Y TẾ TỈNH AN BÌNH", "BỆNH VIỆN ĐA KHOA TỈNH AN BÌNH")
    tt = ds.for_kind("to-trinh")["doc"]
    assert (tt["number_text"], tt["parent"], tt["issuer"]) == (
        "12/TTr-TCCB", "BỆNH VIỆN ĐA KHOA TỈNH AN BÌNH", "PHÒNG TỔ CHỨC CÁN BỘ",
    )  # fmt: skip
    assert ds.for_kind("bien-ban")["doc"]["number_text"] == "…/BB-HĐTĐKT"
    assert ds.context["decision"]["attachment_line"] == (
        "(Kèm theo Quyết định số 05/QĐ-BV ngày 05 tháng 01 năm 2027 của Giám đốc Bệnh viện Đa khoa "
        "tỉnh An Bình)"
    )
    assert ds.context["signer"] == {"title": "GIÁM ĐỐC", "name": "Trần Văn Giám", "name_line": "Trần Văn Giám"}
    assert ds.context["recipients"] == ["- Như Điều 3;", "- Sở Y tế (để báo cáo);", "- Lưu: VT, TCCB."]
    with pytest.raises(UsageError, match="không-có"):
        ds.for_kind("không-có")


def test_a_regulation_organisation_replaces_the_results(result: dict[str, Any]) -> None:
    org = dict(result["organisation"], name="BỆNH VIỆN NHI TỈNH AN BÌNH", abbreviation="BVN", place="Bình Minh")
    ctx = build_documents(result, doc_options(numbers={"quyet-dinh": 3}), organisation=org).context
    assert ctx["docs"]["quyet-dinh"]["number_text"] == "03/QĐ-BVN"
    assert ctx["docs"]["quyet-dinh"]["date_line"].startswith("Bình Minh, ngày 20")
    assert ctx["decision"]["authority"] == "GIÁM ĐỐC BỆNH VIỆN NHI TỈNH AN BÌNH"


def test_council_votes_and_attendance(result: dict[str, Any]) -> None:
    members = tuple(CouncilMember(f"Thành viên {i}", "Ủy viên") for i in range(1, 10))
    # ballot_titles = []: every proposal on the ballot (the default is the secret-ballot titles).
    opts = doc_options(council_members=members, absent=("Thành viên 9",), secretary="Thành viên 2",
                       ballot_titles=())
    ctx = build_documents(result, opts).context
    council = ctx["council"]
    assert (council["members"], council["present"], council["absent_text"]) == (9, 8, "1")
    assert [m["name"] for m in council["absent_list"]] == ["Thành viên 9"]
    assert council["ballots_issued"] == "8"
    assert council["thresholds_text"].startswith("Chiến sĩ thi đua cơ sở từ 80% trở lên")
    assert len(ctx["votes"]) == 14  # every proposal, whatever its status
    first = ctx["votes"][0]
    assert (first["name"], first["proposal"], first["votes"], first["share"], first["result"]) == (
        "Nguyễn Thị Ánh", "Chiến sĩ thi đua cơ sở", "8/9", "88,9%", "Đạt",
    )  # fmt: skip
    rejected = next(v for v in ctx["votes"] if v["status"] == "rejected")
    assert (rejected["name"], rejected["votes"], rejected["share"], rejected["result"]) == (
        "Phạm Thị Ấn", "6/9", "66,7%", "Không đạt",
    )  # fmt: skip
    assert len(ctx["ballots"]) == 9 and len(ctx["ballot_candidates"]) == 14
    assert council["conclusion"].startswith("Hội đồng thống nhất đề nghị Giám đốc Bệnh viện Đa khoa tỉnh An Bình công nhận")
    assert council["conclusion"].endswith(
        "đề nghị cấp trên xét khen thưởng: Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho 1 cá nhân."
    )


def test_ballots_can_be_limited_to_some_titles(result: dict[str, Any]) -> None:
    ctx = build_documents(result, doc_options(ballot_titles=("CSTDCS", "BANG_KHEN_TINH"))).context
    assert [(c["stt"], c["name"], c["title"]) for c in ctx["ballot_candidates"]] == [
        (1, "Nguyễn Thị Ánh", "CSTDCS"), (2, "Phạm Thị Ấn", "CSTDCS"), (3, "Trần Văn Bình", "CSTDCS"),
        (4, "Nguyễn Thị Ánh", "BANG_KHEN_TINH"),
    ]  # fmt: skip
    assert len(ctx["votes"]) == 14  # the minutes still show every vote
    with pytest.raises(RegulationError, match=r'không có danh hiệu "CSTD_CS".*Có phải ý bạn là "CSTDCS"\?'):
        parse_regulation('[documents]\nballot_titles = ["CSTD_CS"]\n', "quy-che.toml")


def test_absent_member_must_be_a_member(result: dict[str, Any]) -> None:
    opts = doc_options(council_members=(CouncilMember("Trần Văn Giám"),), absent=("Trần Văn Giam",))
    with pytest.raises(UsageError, match="Trần Văn Giam"):
        build_documents(result, opts)


def test_certificates_one_per_decided_award(result: dict[str, Any]) -> None:
    ctx = build_documents(result, doc_options(numbers={"quyet-dinh": 12})).context
    certs = ctx["certificates"]
    assert len(certs) == 12
    first = certs[0]
    assert (first["addressee"], first["verb"], first["heading"], first["document"]) == (
        "Bà Nguyễn Thị Ánh", "TẶNG DANH HIỆU", "CHIẾN SĨ THI ĐUA CƠ SỞ", "Giấy chứng nhận",
    )  # fmt: skip
    assert first["decision_line"] == "Quyết định số 12/QĐ-BV, ngày 20/12/2026"
    assert first["so_vang_text"] == "01"
    assert first["reason"] == "Đạt danh hiệu Chiến sĩ thi đua cơ sở năm 2026"
    gk = [c for c in certs if c["title"] == "GIAY_KHEN"]
    assert [(c["addressee"], c["verb"], c["heading"]) for c in gk] == [
        ("Ông Đỗ Văn An", "TẶNG", "GIẤY KHEN"),
        ("Khoa Nội tổng hợp", "TẶNG", "GIẤY KHEN"),
    ]


def test_text_is_normalised_and_control_characters_dropped(result: dict[str, Any]) -> None:
    result["awards"][0]["name"] = unicodedata.normalize("NFD", "Lý Thị Mai")
    result["awards"][0]["note"] = "dòng 1\r\ndòng 2\x0b\x07"
    ctx = build_documents(result, doc_options()).context
    row = next(r for g in ctx["groups"] for r in g["rows"] if r["staff_id"] == "BV0031")
    assert row["name"] == "Lý Thị Mai" and unicodedata.is_normalized("NFC", row["name"])
    assert row["note"] == "dòng 1\ndòng 2"


def test_a_result_that_is_not_an_awards_result(result: dict[str, Any]) -> None:
    with pytest.raises(InputFileError, match=r"schema là 'thidua.score/1'"):
        build_documents({"schema": "thidua.score/1"}, doc_options(), source="x.json")
    broken = copy.deepcopy(result)
    del broken["decision_date"]
    broken["awards"][2]["amount"] = "702000"
    broken["awards"][3]["status"] = "ok"
    del broken["awards"][4]["name"]
    with pytest.raises(InputFileError) as exc:
        build_documents(broken, doc_options(), source="nam-2026.de-xuat.json")
    message = str(exc.value)
    assert message.startswith("nam-2026.de-xuat.json không phải kết quả xét danh hiệu hợp lệ")
    assert "- decision_date: thiếu" in message
    assert "- awards[2].amount: phải là số nguyên, không phải '702000'." in message
    assert "- awards[3].status: \"ok\" phải là một trong proposed, approved, rejected, pending_council." in message
    assert "- awards[4].name: thiếu." in message


def test_the_results_top_level_blocks_are_checked_too(result: dict[str, Any]) -> None:
    """A hand-edited result never turns into garbage Căn cứ lines or a crash: every block the
    documents read is checked and named."""
    broken = copy.deepcopy(result)
    broken["ruleset"]["legal_bases"] = "Luật Thi đua, khen thưởng"  # a text, not a list
    broken["council"]["thresholds"] = [0.8]
    broken["council"]["members"] = "chín"
    broken["base_salary"] = "2.340.000"
    del broken["year"]
    with pytest.raises(InputFileError) as exc:
        build_documents(broken, doc_options(), source="nam-2026.de-xuat.json")
    message = str(exc.value)
    assert "- ruleset.legal_bases: phải là danh sách chuỗi chữ." in message
    assert "- council.thresholds: phải là một đối tượng {mã danh hiệu: tỷ lệ}." in message
    assert "- council.members: phải là số nguyên, không phải 'chín'." in message
    assert "- base_salary: phải là số nguyên, không phải '2.340.000'." in message
    assert "- year: thiếu." in message  # the key itself, not "year.year"
    # Absent optional blocks are fine.
    fine = copy.deepcopy(result)
    del fine["ruleset"]["legal_bases"], fine["council"]["thresholds"], fine["base_salary"]
    assert build_documents(fine, doc_options()).context["base_salary"] == "0"


def test_documents_settings_are_validated_loudly() -> None:
    with pytest.raises(RegulationError) as exc:
        parse_regulation(
            '[documents]\nsignr = "A"\nrecipients = "Như Điều 3"\nname_order = "ho-ten"\n'
            'council_members = [{ role = "x" }]\n',
            "quy-che.toml",
        )
    text = str(exc.value)
    assert "- tệp quy-che.toml, khoá `documents.signr` (dòng 2): không có khoá này trong mục [documents]. Có phải ý bạn là `documents.signer`?" in text
    assert "- tệp quy-che.toml, khoá `documents.recipients` (dòng 3): phải là một danh sách văn bản" in text
    assert "- tệp quy-che.toml, khoá `documents.name_order` (dòng 4): \"ho-ten\" không hợp lệ" in text
    assert "- tệp quy-che.toml, khoá `documents.council_members[1]`: cần họ tên (name) của thành viên." in text


def test_documents_settings_and_money_words_settings() -> None:
    regulation = parse_regulation(
        '[documents]\nsigner = " Trần Văn Giám "\nrecipients = ["Như Điều 3", "Sở Y tế"]\n'
        'council_members = [{ name = "Trần Văn Giám", role = "Chủ tịch" }, "Lê Thị Phòng"]\n'
        'signer_title = "KT. GIÁM ĐỐC\\nPHÓ GIÁM ĐỐC"\n[money]\nlinh = "lẻ"\nnghin = "ngàn"\n',
        "quy-che.toml",
    )
    opts = docs.options_from_settings(regulation.documents, regulation.money)
    assert opts.documents.signer == "Trần Văn Giám"
    assert opts.documents.signer_title == "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"  # the line break is kept
    assert opts.documents.council_members == (CouncilMember("Trần Văn Giám", "Chủ tịch"), CouncilMember("Lê Thị Phòng"))
    assert opts.documents.recipients == ("Như Điều 3", "Sở Y tế")
    assert (opts.money.linh, opts.money.nghin) == ("lẻ", "ngàn")


def test_money_words_follow_the_regional_setting(result: dict[str, Any]) -> None:
    # Keep only Đỗ Văn An's Giấy khen (702,000) and LĐTT (702,000): 1,404,000 in total.
    result["awards"] = [a for a in result["awards"] if a["staff_id"] == "BV0003"]
    ctx = build_documents(result, doc_options(linh="lẻ", nghin="ngàn")).context
    assert ctx["total_words"] == "Một triệu bốn trăm lẻ bốn ngàn đồng"


def test_only_commendations_changes_the_summary(result: dict[str, Any]) -> None:
    result["awards"] = [a for a in result["awards"] if a["title"] == "GIAY_KHEN"]
    ctx = build_documents(result, doc_options()).context
    assert ctx["decision"]["summary"] == "Về việc tặng Giấy khen năm 2026"
    assert ctx["decision"]["article_1"] == (
        "Tặng Giấy khen của Giám đốc Bệnh viện Đa khoa tỉnh An Bình cho 1 cá nhân, 1 tập thể "
        "(có danh sách kèm theo)."
    )


def test_a_later_signing_date_than_the_money_date_is_reported(result: dict[str, Any]) -> None:
    ds = build_documents(result, doc_options(date=date(2027, 1, 5)))
    assert any("2027" in w and "thidua awards" in w for w in messages(ds.warnings))


def test_sample_result_fills_every_list() -> None:
    ctx = build_documents(docs.sample_result(), docs.sample_options(doc_options())).context
    for key in ("groups", "certificates", "votes", "ballots", "ballot_candidates", "bases", "recipients"):
        assert ctx[key], key
    assert ctx["higher"]["groups"] and ctx["council"]["present_list"] and ctx["council"]["absent_list"]
    assert ctx["council"]["tally_team"]


def test_roman_numerals() -> None:
    assert [docs.roman(n) for n in (1, 2, 3, 4, 5, 9, 10, 14, 40)] == [
        "I", "II", "III", "IV", "V", "IX", "X", "XIV", "XL",
    ]  # fmt: skip


def test_unset_signatures_are_visible_lines_with_one_warning_each(result: dict[str, Any]) -> None:
    """Issue 12: an unset signer, office head, secretary or tally team is printed as a line to
    fill in by hand and reported (catalogued finding), once however many kinds it signs."""
    ds = build_documents(result, doc_options())
    ctx = ds.context
    blank = "……………………"
    assert ctx["signer"]["name_line"] == ctx["office_head"]["name_line"] == blank
    assert ctx["council"]["chair_line"] == ctx["council"]["secretary_line"] == blank
    assert ctx["council"]["tally_head_line"] == blank
    found = [w for w in ds.warnings_for(docs.KINDS) if w.code != "documents-basis-blank"]
    assert all(w.code == "documents-signature-blank" for w in found)
    assert len(found) == 5  # signer, office head, chair, secretary, tally team
    assert sum("documents.signer" in w.message for w in found) == 2  # signer; chair falls back to it
    assert not build_documents(result, doc_options(
        signer="Trần Văn Giám", office_head="Lê Thị Phòng", secretary="Lê Thị Phòng",
        tally_team=("Hoàng Văn Kiểm – Trưởng ban", "Đinh Thị Phiếu – Ủy viên"),
        authority_basis="Quyết định số 1234/QĐ-UBND", regulation_basis="Quyết định số 05/QĐ-BV",
    )).warnings_for(docs.KINDS)
    named = build_documents(result, doc_options(tally_team=("Đinh Thị Phiếu – Ủy viên", "Hoàng Văn Kiểm – Trưởng ban")))
    assert named.context["council"]["tally_head_line"] == "Hoàng Văn Kiểm"
    assert named.context["council"]["tally_member_lines"] == ["Đinh Thị Phiếu"]


def test_thresholds_name_titles_and_say_qua_ban(result: dict[str, Any]) -> None:
    """Issue 12: the minutes never print a code ("CSTD_TINH"), and with above_half_strict a
    one-half threshold reads "quá bán (trên 50%)" (5 of 10 fails), not "từ 50% trở lên"."""
    result["council"]["thresholds"] = {"CSTDCS": 0.8, "CSTD_TINH": 0.8, "LDTT": 0.5, "BANG_KHEN_TTG": 0.5}
    result["settings"] = {"council": {"above_half_strict": True}}
    text = build_documents(result, doc_options()).context["council"]["thresholds_text"]
    assert text == (
        "Chiến sĩ thi đua cơ sở từ 80% trở lên; Chiến sĩ thi đua cấp Bộ, ngành, tỉnh từ 80% trở lên; "
        "Lao động tiên tiến quá bán (trên 50%); Bằng khen của Thủ tướng Chính phủ quá bán (trên 50%)"
    )
    result["settings"] = {"council": {"above_half_strict": False}}
    text = build_documents(result, doc_options()).context["council"]["thresholds_text"]
    assert "Lao động tiên tiến từ 50% trở lên" in text


def test_ballots_hold_only_secret_ballot_titles_by_default(result: dict[str, Any]) -> None:
    """Issue 12: by default (the shipped regulation) only Chiến sĩ thi đua goes on the ballot;
    Lao động tiên tiến and Giấy khen are approved by a show of hands."""
    ctx = build_documents(result, doc_options()).context
    assert {c["title"] for c in ctx["ballot_candidates"]} == {"CSTDCS"}
    # The minutes record each proposal voted on one by one (here every title: the sample's votes
    # differ person by person), and the Bằng khen proposal passed as one list as one line.
    assert len(ctx["votes"]) == 13
    assert [lv["count_text"] for lv in ctx["list_votes"]] == ["1 cá nhân"]


def test_unset_bases_are_printed_with_blanks_and_warned_once_each(result: dict[str, Any]) -> None:
    """Issue 12: the director's authority and the hospital's Quy chế are never silently dropped;
    each unset one is one warning naming its setting, whichever documents print it."""
    ds = build_documents(result, doc_options())
    found = [w for w in ds.warnings_for(docs.KINDS) if w.code == "documents-basis-blank"]
    assert ["documents.authority_basis" in w.message for w in found] == [True, False]
    assert "documents.regulation_basis" in found[1].message
    assert sum(b.count("…") for b in ds.context["bases"][:1]) == 5


def test_minutes_name_absent_members_with_reasons_and_the_time_to_the_minute(result: dict[str, Any]) -> None:
    from thidua_cli.config.sections import CouncilMember

    members = (CouncilMember("Trần Văn Giám", "Giám đốc – Chủ tịch Hội đồng"),
               CouncilMember("Lê Thị Phòng", "Trưởng phòng Tổ chức cán bộ – Ủy viên thường trực"),
               CouncilMember("Vũ Văn Vắng", "Phó Giám đốc – Phó Chủ tịch"),
               CouncilMember("Đinh Thị Hai", "Ủy viên"))
    ctx = build_documents(result, doc_options(
        council_members=members, chair="Trần Văn Giám", secretary="Lê Thị Phòng", meeting_time="8:30",
        absent=("Vũ Văn Vắng: đi công tác", "Đinh Thị Hai"),
    )).context
    council = ctx["council"]
    assert council["absent_list"] == [
        {"name": "Vũ Văn Vắng", "role": "Phó Giám đốc – Phó Chủ tịch", "reason": "đi công tác"},
        {"name": "Đinh Thị Hai", "role": "Ủy viên", "reason": "…"},  # a reason to write in by hand
    ]
    assert (council["present_text"], council["absent_text"]) == ("2", "2")
    assert council["meeting_time"] == "08 giờ 30 phút" and council["end_time"] == "… giờ … phút"
    assert council["chair_text"] == "Trần Văn Giám – Giám đốc – Chủ tịch Hội đồng"
    assert council["secretary_text"] == "Lê Thị Phòng – Trưởng phòng Tổ chức cán bộ – Ủy viên thường trực"
    # The tally: ballots issued = the 2 members present.
    assert council["ballots_issued"] == "2"


def test_lists_passed_as_a_whole_are_one_line_each(result: dict[str, Any]) -> None:
    """decisions.md: LĐTT, TTLĐTT and Giấy khen pass as one list; the minutes give the count,
    the list's vote and "(có danh sách kèm theo)" instead of a row per person."""
    for a in result["awards"]:
        if a["title"] == "LDTT":
            a["votes_for"], a["council_members"], a["vote_share"] = 9, 9, 1.0
    ctx = build_documents(result, doc_options()).context
    assert "LDTT" not in {v["title"] for v in ctx["votes"]}
    ldtt = next(lv for lv in ctx["list_votes"] if lv["title"] == "LDTT")
    # 6 LĐTT in the sample, all individuals; 9 of 9 members: 100,0%.
    assert ldtt["text"] == ("Danh hiệu “Lao động tiên tiến”: 6 cá nhân; biểu quyết thông qua cả danh sách, "
                            "9/9 thành viên đồng ý (100,0%); kết quả: thông qua (có danh sách kèm theo).")


def test_ballots_leave_out_what_exists_only_because_of_the_vote(result: dict[str, Any]) -> None:
    """A Giấy khen given to someone whose CSTĐCS the council rejected was not proposed before
    the vote: not on the ballot even when the regulation puts Giấy khen on it."""
    rejected = next(a for a in result["awards"] if a["title"] == "CSTDCS" and a["status"] == "rejected")
    derived = next(a for a in result["awards"] if a["title"] == "GIAY_KHEN" and a["kind"] == "individual")
    derived.update(staff_id=rejected["staff_id"], name=rejected["name"], department=rejected["department"])
    ctx = build_documents(result, doc_options(ballot_titles=("CSTDCS", "GIAY_KHEN"))).context
    on_ballot = [(c["name"], c["title"]) for c in ctx["ballot_candidates"]]
    assert (rejected["name"], "CSTDCS") in on_ballot
    assert (rejected["name"], "GIAY_KHEN") not in on_ballot
    assert ("Khoa Nội tổng hợp", "GIAY_KHEN") in on_ballot  # the collective Giấy khen was proposed


def test_the_applicable_authority_is_named() -> None:
    """Issue 12: "Bằng khen của Bộ trưởng, Chủ tịch UBND tỉnh" names the one over the hospital."""
    from thidua_cli.core.documents.base import applicable_label

    both = "Bằng khen của Bộ trưởng, Chủ tịch UBND tỉnh"
    assert applicable_label(both, "SỞ Y TẾ TỈNH AN BÌNH") == "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"
    assert applicable_label(both, "BỘ Y TẾ") == "Bằng khen của Bộ trưởng"
    assert applicable_label(both, "") == both  # unknown parent: as the rule set says
    assert applicable_label("Chiến sĩ thi đua cấp Bộ, ngành, tỉnh", "SỞ Y TẾ TỈNH AN BÌNH") == "Chiến sĩ thi đua cấp tỉnh"


def test_a_note_on_every_row_is_said_once() -> None:
    from thidua_cli.core.documents.lists import mark_notes

    note = "Đề nghị cấp trên khen thưởng; cấp quyết định chi tiền thưởng"
    groups = [{"rows": [{"note": note}, {"note": note}]}, {"rows": [{"note": note}]}]
    assert mark_notes(groups) == [{"mark": "Mọi trường hợp:", "text": note, "count": 3}]
    assert [r["note_mark"] for g in groups for r in g["rows"]] == ["", "", ""]


def test_tally_counts_from_the_meeting(result: dict[str, Any]) -> None:
    """--ballots 9,9,8: issued 9, returned 9, valid 8, so invalid 9 − 8 = 1."""
    council = build_documents(result, doc_options(ballots=(9, 9, 8))).context["council"]
    assert [council[k] for k in ("ballots_issued", "ballots_returned", "ballots_valid", "ballots_invalid")] == [
        "9", "9", "8", "1"]
    council = build_documents(result, doc_options()).context["council"]
    assert council["ballots_returned"] == "…"  # to be written in at the meeting
