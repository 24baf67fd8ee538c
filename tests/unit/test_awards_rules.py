"""Rule sets by decision date, base salary table, title and rating parsing, and the loud
validation of the [awards] / [money] / [council] tables."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from thidua_cli.app.awards import parse_sets, regulation_with
from thidua_cli.core.rulesets import (
    BaseSalary,
    base_salary_on,
    parse_rating,
    parse_title,
    ruleset_for,
)
from thidua_cli.errors import RegulationError, UsageError
from thidua_cli.model import Regulation


def test_ruleset_switches_on_1_july_2025() -> None:
    assert ruleset_for(date(2024, 1, 1)).code == "2024"
    assert ruleset_for(date(2025, 6, 30)).code == "2024"
    assert ruleset_for(date(2025, 7, 1)).code == "2025-07"
    assert ruleset_for(date(2026, 12, 20)).money_principles == "NĐ 152/2025/NĐ-CP Điều 49"
    assert not ruleset_for(date(2025, 6, 30)).women_first
    assert ruleset_for(date(2025, 7, 1)).women_first
    with pytest.raises(UsageError):
        ruleset_for(date(2023, 12, 31))


def test_coefficients_of_nd_152() -> None:
    rs = ruleset_for(date(2026, 1, 1))
    coef = {(t.code, t.kind): str(t.coefficient) for t in rs.titles}
    assert coef[("LDTT", "individual")] == "0.3"
    assert coef[("CSTDCS", "individual")] == "1.0"
    assert coef[("GIAY_KHEN", "individual")] == "0.3"
    assert coef[("TTLDTT", "collective")] == "0.8"
    assert coef[("TTLDXS", "collective")] == "1.5"
    assert coef[("BANG_KHEN_TINH", "individual")] == "1.5"
    assert coef[("BANG_KHEN_TINH", "collective")] == "3.0"
    assert coef[("CSTD_TINH", "individual")] == "3.0"
    assert coef[("BANG_KHEN_TTG", "individual")] == "3.5"


def test_base_salary_table(regulation: Regulation) -> None:
    table = regulation.money.base_salary
    assert base_salary_on(table, date(2024, 6, 30)).amount == 1_800_000
    assert base_salary_on(table, date(2024, 7, 1)).amount == 2_340_000
    assert base_salary_on(table, date(2026, 12, 20)).basis == "Nghị định 73/2024/NĐ-CP"
    with pytest.raises(UsageError, match=r"money\.base_salary"):
        base_salary_on((BaseSalary(date(2024, 7, 1), 2_340_000, "x"),), date(2020, 1, 1))


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Lao động tiên tiến", "LDTT"),
        ("LĐTT", "LDTT"),
        ("Chiến sĩ thi đua cơ sở", "CSTDCS"),
        ("CSTĐCS", "CSTDCS"),
        ("Danh hiệu Chiến sĩ thi đua cơ sở", "CSTDCS"),
        ("Giấy khen của Giám đốc", "GIAY_KHEN"),
        ("Bằng khen của Chủ tịch UBND tỉnh", "BANG_KHEN_TINH"),
        ("Bằng khen Bộ Y tế", "BANG_KHEN_TINH"),
        ("Bằng khen của Thủ tướng Chính phủ", "BANG_KHEN_TTG"),
        ("Chiến sĩ thi đua cấp tỉnh", "CSTD_TINH"),
        ("CSTĐ cấp Bộ", "CSTD_TINH"),
        ("Tập thể lao động tiên tiến", "TTLDTT"),
        ("Tập thể Lao động xuất sắc", "TTLDXS"),
        ("TTLDTT", "TTLDTT"),
        ("Chiến sĩ thi đua toàn quốc", None),
        ("Khen thưởng đột xuất", None),
    ],
)
def test_parse_title(text: str, code: str | None) -> None:
    assert parse_title(text) == code


def test_parse_title_rating_and_parse_rating() -> None:
    assert parse_title("HTXSNV") is None
    assert parse_title("Hoàn thành xuất sắc nhiệm vụ", allow_rating=True) == "HTXSNV"
    assert parse_rating("Hoàn thành tốt nhiệm vụ") == "HTTNV"
    assert parse_rating("b") == "HTTNV"
    assert parse_rating("KHTNV") == "KHTNV"
    assert parse_rating("giỏi") is None


def test_default_settings(regulation: Regulation) -> None:
    s = regulation.awards
    assert s.ldtt.min_months == 6
    assert s.collective.min_ldtt_share == Decimal("0.7")
    assert regulation.council.thresholds["CSTDCS"] == Decimal("0.8")
    assert regulation.money.rounding_step == 10_000
    assert s.women_first is True  # issue 11 point 8: ND 152/2025 Điều 4.6 is mandatory wording
    assert s.rollup.method == "mean" and s.rollup.initiatives == "max"


def test_unknown_keys_and_bad_values_are_listed_together() -> None:
    from thidua_cli.regulation import parse_regulation

    text = ('[awards.ldtt]\nmin_month = 6\nmin_months = "sáu"\n[council.thresholds]\nCSTDSC = 0.8\n'
            "[money]\nrounding_step = 5000\n")
    with pytest.raises(RegulationError) as info:
        parse_regulation(text, "quy-che.toml")
    text = str(info.value)
    assert "tệp quy-che.toml, khoá `awards.ldtt.min_month`" in text
    assert "Có phải ý bạn là `awards.ldtt.min_months`" in text
    assert "khoá `awards.ldtt.min_months` (dòng 3): phải là một số nguyên" in text
    assert "`council.thresholds.CSTDSC`" in text and "CSTDCS" in text
    assert "`money.rounding_step`" in text and "10000" in text
    assert info.value.exit_code == 3


def test_set_keys_and_aliases(regulation: Regulation) -> None:
    import tomllib

    from thidua_cli.regulation import default_toml_text

    default = tomllib.loads(default_toml_text())
    assert parse_sets(["cap.htxs=0.25", "ldtt.min_months=10", "awards.women_first=true"], default) == [
        ("cap.rate", 0.25), ("awards.ldtt.min_months", 10), ("awards.women_first", True)]
    with pytest.raises(UsageError, match=r"Có phải ý bạn là `cap\.rate`"):
        parse_sets(["cap.rat=0.25"], default)
    with pytest.raises(UsageError, match="KHOÁ=GIÁ_TRỊ"):
        parse_sets(["cap.rate"], default)
    changed = regulation_with(None, [("cap.rate", 0.25), ("awards.ldtt.min_months", 10)])
    assert changed.cap.rate == 0.25
    assert changed.awards.ldtt.min_months == 10
    with pytest.raises(RegulationError) as info:
        regulation_with(None, [("cap.rate", 2.5)])
    assert "cap.rate" in str(info.value)

