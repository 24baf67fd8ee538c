"""Versioned rule sets, chosen by the date the award decision is signed.

- ``"2024"``: Luật Thi đua, khen thưởng 2022 + Nghị định 98/2023/NĐ-CP + Thông tư 01/2024/TT-BNV,
  for decisions from 01/01/2024 (the Law's entry into force) to 30/6/2025;
- ``"2025-07"``: the Law + Nghị định 152/2025/NĐ-CP, for decisions from 01/7/2025 (ND 152 Điều 59
  repeals ND 98/2023).

A rule set holds what the law fixes: the legal bases quoted in documents, each title's article,
deciding level and money coefficient, the default vote thresholds, and whether the women-first
tie preference exists (ND 152/2025 Điều 4.6). What a hospital decides for itself lives in the
regulation's ``[awards]``, ``[money]`` and ``[council]`` tables (``config/sections.py``).

Sources: shared/domain/domain-law.md §1–5 and §14. Values tagged [R] there (not re-verified) are
marked below; the regulation's ``[money.coefficients]`` table can override any coefficient.
Pure module.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from thidua_cli.config.sections import BaseSalary  # a row of [money] base_salary
from thidua_cli.errors import UsageError

INDIVIDUAL = "individual"
COLLECTIVE = "collective"
TITLE = "title"  # danh hiệu thi đua
COMMENDATION = "commendation"  # hình thức khen thưởng
HOSPITAL = "hospital"  # decided (and paid) by the hospital director
HIGHER = "higher"  # proposed upward; decided and paid by the ministry / province / government

LAW = "Luật TĐKT 2022"


@dataclass(frozen=True)
class TitleSpec:
    """One title or form of commendation, for one kind of recipient."""

    code: str  # "LDTT"; the same code may exist for both kinds (GIAY_KHEN, BANG_KHEN_TINH)
    kind: str  # INDIVIDUAL | COLLECTIVE
    label: str  # "Lao động tiên tiến"
    short: str  # "LĐTT": sheet names and tables
    category: str  # TITLE | COMMENDATION
    level: str  # HOSPITAL | HIGHER
    article: str  # criteria: "Luật TĐKT 2022 Điều 24"
    coefficient: Decimal
    money_article: str  # "NĐ 152/2025/NĐ-CP Điều 50"
    rank: int  # precedence in lists: lower first

    @property
    def basis(self) -> str:
        return f"{self.article}; {self.money_article}"


@dataclass(frozen=True)
class Ruleset:
    code: str
    name: str
    valid_from: date
    valid_to: date | None
    legal_bases: tuple[str, ...]
    decree: str  # "NĐ 152/2025/NĐ-CP"
    titles: tuple[TitleSpec, ...]
    vote_basis: str  # the article behind the 80 % (CSTĐCS) and 90 % (CSTĐ tỉnh/Bộ) rules
    women_first: bool  # the rule set has the women-first preference between equals
    women_first_basis: str
    money_principles: str  # "NĐ 152/2025/NĐ-CP Điều 49"
    ldtt_months_basis: str

    def title(self, code: str, kind: str = INDIVIDUAL) -> TitleSpec:
        for t in self.titles:
            if t.code == code and t.kind == kind:
                return t
        raise KeyError((code, kind))

    def has_title(self, code: str, kind: str = INDIVIDUAL) -> bool:
        return any(t.code == code and t.kind == kind for t in self.titles)


def _titles(decree: str, art_titles: str, art_forms: str, giay_khen: str) -> tuple[TitleSpec, ...]:
    d = Decimal
    return (
        # Individual titles (Luật Điều 21–24) and forms (Điều 73–75)
        TitleSpec("BANG_KHEN_TTG", INDIVIDUAL, "Bằng khen của Thủ tướng Chính phủ", "BK Thủ tướng",
                  COMMENDATION, HIGHER, f"{LAW} Điều 73", d("3.5"), f"{decree} {art_forms}", 10),
        TitleSpec("CSTD_TINH", INDIVIDUAL, "Chiến sĩ thi đua cấp Bộ, ngành, tỉnh", "CSTĐ tỉnh",
                  TITLE, HIGHER, f"{LAW} Điều 22", d("3.0"), f"{decree} {art_titles}", 20),
        TitleSpec("BANG_KHEN_TINH", INDIVIDUAL, "Bằng khen của Bộ trưởng, Chủ tịch UBND tỉnh",
                  "Bằng khen", COMMENDATION, HIGHER, f"{LAW} Điều 74", d("1.5"),
                  f"{decree} {art_forms}", 30),
        TitleSpec("CSTDCS", INDIVIDUAL, "Chiến sĩ thi đua cơ sở", "CSTĐCS", TITLE, HOSPITAL,
                  f"{LAW} Điều 23", d("1.0"), f"{decree} {art_titles}", 40),
        TitleSpec("LDTT", INDIVIDUAL, "Lao động tiên tiến", "LĐTT", TITLE, HOSPITAL,
                  f"{LAW} Điều 24", d("0.3"), f"{decree} {art_titles}", 50),
        TitleSpec("GIAY_KHEN", INDIVIDUAL, "Giấy khen", "Giấy khen", COMMENDATION, HOSPITAL,
                  f"{LAW} Điều 75", d(giay_khen), f"{decree} {art_forms}", 60),
        # Collective titles (Luật Điều 27–28) and forms
        TitleSpec("BANG_KHEN_TINH", COLLECTIVE, "Bằng khen của Bộ trưởng, Chủ tịch UBND tỉnh",
                  "Bằng khen tập thể", COMMENDATION, HIGHER, f"{LAW} Điều 74", d("3.0"),
                  f"{decree} {art_forms}", 70),
        TitleSpec("TTLDXS", COLLECTIVE, "Tập thể lao động xuất sắc", "TTLĐXS", TITLE, HIGHER,
                  f"{LAW} Điều 27", d("1.5"), f"{decree} {art_titles}", 80),
        TitleSpec("TTLDTT", COLLECTIVE, "Tập thể lao động tiên tiến", "TTLĐTT", TITLE, HOSPITAL,
                  f"{LAW} Điều 28", d("0.8"), f"{decree} {art_titles}", 90),
    )


_LAW_BASIS = "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022"

RULESET_2024 = Ruleset(
    code="2024",
    name="Luật Thi đua, khen thưởng 2022; Nghị định 98/2023/NĐ-CP",
    valid_from=date(2024, 1, 1),
    valid_to=date(2025, 6, 30),
    legal_bases=(
        _LAW_BASIS,
        "Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết "
        "thi hành một số điều của Luật Thi đua, khen thưởng",
        # Its date is not verified (domain-law.md §1): quoted without one.
        "Thông tư số 01/2024/TT-BNV của Bộ trưởng Bộ Nội vụ quy định biện pháp thi hành Luật "
        "Thi đua, khen thưởng",
    ),
    decree="NĐ 98/2023/NĐ-CP",
    # ND 98/2023 Điều 53–58 hold the money rules; the coefficients equal those restated by
    # ND 152/2025 for every title a hospital decides [R for Bằng khen and the Prime Minister's].
    titles=_titles("NĐ 98/2023/NĐ-CP", "Điều 53–58", "Điều 53–58", "0.3"),
    vote_basis="NĐ 98/2023/NĐ-CP Điều 30.7",
    women_first=False,
    women_first_basis="",
    money_principles="NĐ 98/2023/NĐ-CP Điều 53",
    ldtt_months_basis="TT 01/2024/TT-BNV",
)

RULESET_2025_07 = Ruleset(
    code="2025-07",
    name="Luật Thi đua, khen thưởng 2022; Nghị định 152/2025/NĐ-CP",
    valid_from=date(2025, 7, 1),
    valid_to=None,
    legal_bases=(
        _LAW_BASIS,
        "Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định về phân "
        "cấp, phân quyền trong lĩnh vực thi đua, khen thưởng; quy định chi tiết và hướng dẫn thi "
        "hành một số điều của Luật Thi đua, khen thưởng",
    ),
    decree="NĐ 152/2025/NĐ-CP",
    titles=_titles("NĐ 152/2025/NĐ-CP", "Điều 50", "Điều 54", "0.3"),
    # ND 152/2025 Điều 59 repealed ND 98/2023: a decision signed from 01/7/2025 never cites it.
    # The 80 %/90 % rule was verified in ND 98/2023 Điều 30.7; the article of ND 152/2025 that
    # carries it is not verified, so the decree is cited without one (README, rules table).
    vote_basis="NĐ 152/2025/NĐ-CP",
    women_first=True,
    women_first_basis="NĐ 152/2025/NĐ-CP Điều 4.6",
    money_principles="NĐ 152/2025/NĐ-CP Điều 49",
    ldtt_months_basis="TT 01/2024/TT-BNV",
)

RULESETS: tuple[Ruleset, ...] = (RULESET_2024, RULESET_2025_07)

# The order titles are listed in (the proposal workbook's sheets, the summary table): what the
# hospital decides, then what it proposes upward.
LISTING_ORDER: tuple[tuple[str, str], ...] = (
    ("CSTDCS", INDIVIDUAL), ("LDTT", INDIVIDUAL), ("GIAY_KHEN", INDIVIDUAL),
    ("TTLDTT", COLLECTIVE), ("TTLDXS", COLLECTIVE), ("CSTD_TINH", INDIVIDUAL),
    ("BANG_KHEN_TINH", INDIVIDUAL), ("BANG_KHEN_TINH", COLLECTIVE), ("BANG_KHEN_TTG", INDIVIDUAL),
)
# Every rule set names its titles alike.
_SHORT = {(t.code, t.kind): t.short for t in RULESET_2025_07.titles}


def short_label(code: str, kind: str = INDIVIDUAL) -> str:
    """The short name clerks see ("CSTĐCS", "Bằng khen tập thể"); the code itself when it is not
    a title ("HTXSNV", the council's choice at the cap)."""
    return _SHORT.get((code, kind), code)


def ruleset_for(decision_date: date) -> Ruleset:
    """The rule set in force on the day the decision is signed (30/6/2025 → ND 98/2023;
    01/7/2025 → ND 152/2025). Before 01/01/2024 the 2003 Law applied: not supported."""
    for rs in RULESETS:
        if rs.valid_from <= decision_date and (rs.valid_to is None or decision_date <= rs.valid_to):
            return rs
    raise UsageError(
        f"Ngày quyết định {decision_date:%d/%m/%Y} trước 01/01/2024, khi Luật Thi đua, khen "
        "thưởng 2022 chưa có hiệu lực: thidua chưa có bộ quy tắc cho thời gian này. Hãy kiểm tra "
        "--decision-date."
    )


def base_salary_on(table: Sequence[BaseSalary], on: date) -> BaseSalary:
    """The base salary in force on ``on`` (the latest row whose start is on or before it)."""
    best: BaseSalary | None = None
    for row in table:
        if row.valid_from <= on and (best is None or row.valid_from > best.valid_from):
            best = row
    if best is None:
        first = min((r.valid_from for r in table), default=None)
        since = f" (bảng bắt đầu từ {first:%d/%m/%Y})" if first else ""
        raise UsageError(
            f"Không có mức lương cơ sở áp dụng ngày {on:%d/%m/%Y}{since}. Hãy thêm dòng vào "
            "money.base_salary trong quy chế."
        )
    return best


def coefficient_of(spec: TitleSpec, overrides: Mapping[str, Decimal]) -> Decimal:
    """The title's coefficient, or the regulation's override keyed "CODE" (individual) or
    "CODE.collective"."""
    key = spec.code if spec.kind == INDIVIDUAL else f"{spec.code}.collective"
    return overrides.get(key, spec.coefficient)


# --------------------------------------------------------------------------------------------
# Reading titles and ratings as clerks type them (tally sheets, past decision lists)
# --------------------------------------------------------------------------------------------

TITLE_CODES = (
    "LDTT", "CSTDCS", "GIAY_KHEN", "BANG_KHEN_TINH", "CSTD_TINH", "BANG_KHEN_TTG", "TTLDTT",
    "TTLDXS",
)
COLLECTIVE_ONLY = ("TTLDTT", "TTLDXS")
INDIVIDUAL_ONLY = ("LDTT", "CSTDCS", "CSTD_TINH")

_EXACT_TITLES = {
    "ldtt": "LDTT", "laodongtientien": "LDTT",
    "cstdcs": "CSTDCS", "chiensithiduacoso": "CSTDCS",
    "ttldtt": "TTLDTT", "tapthelaodongtientien": "TTLDTT",
    "ttldxs": "TTLDXS", "tapthelaodongxuatsac": "TTLDXS",
    "giaykhen": "GIAY_KHEN", "bangkhen": "BANG_KHEN_TINH",
    "cstdtinh": "CSTD_TINH", "cstdbo": "CSTD_TINH", "bangkhentinh": "BANG_KHEN_TINH",
    "bkttg": "BANG_KHEN_TTG", "bangkhenttg": "BANG_KHEN_TTG",
    "htxsnv": "HTXSNV", "hoanthanhxuatsacnhiemvu": "HTXSNV",
}


def parse_title(text: object, *, allow_rating: bool = False) -> str | None:
    """The title code a clerk means: "Chiến sĩ thi đua cơ sở", "CSTĐCS", "CSTDCS", "Bằng khen
    của Chủ tịch UBND tỉnh", "Bằng khen Thủ tướng Chính phủ" … None when it is not a title.
    With ``allow_rating``, "HTXSNV" (the council's choice between people tied at the cap) too."""
    from thidua_cli.core.vntext import compact

    c = compact(text)
    for prefix in ("danhhieu", "hinhthuc"):
        c = c.removeprefix(prefix)
    if not c:
        return None
    code = _EXACT_TITLES.get(c)
    if code is None:
        if c.startswith(("bangkhen", "bk")) and any(w in c for w in ("thutuong", "ttg", "chinhphu")):
            code = "BANG_KHEN_TTG"
        elif c.startswith("bangkhen"):
            code = "BANG_KHEN_TINH"
        elif c.startswith("giaykhen"):
            code = "GIAY_KHEN"
        elif c.startswith(("chiensithidua", "cstd")) and any(
            w in c for w in ("tinh", "bo", "nganh", "cap")
        ) and "coso" not in c and "toanquoc" not in c:
            code = "CSTD_TINH"
        elif c.upper() in TITLE_CODES:
            code = c.upper()
    if code == "HTXSNV" and not allow_rating:
        return None
    return code


_RATINGS = {
    "htxsnv": "HTXSNV", "hoanthanhxuatsacnhiemvu": "HTXSNV", "a": "HTXSNV",
    "httnv": "HTTNV", "hoanthanhtotnhiemvu": "HTTNV", "b": "HTTNV",
    "htnv": "HTNV", "hoanthanhnhiemvu": "HTNV", "c": "HTNV",
    "khtnv": "KHTNV", "khonghoanthanhnhiemvu": "KHTNV", "d": "KHTNV",
    "khongxeploai": "NOT_RATED", "notrated": "NOT_RATED",
}


def parse_rating(text: object) -> str | None:
    """A rating code from "HTTNV", "Hoàn thành tốt nhiệm vụ" or the grade letter "B"."""
    from thidua_cli.core.vntext import compact

    return _RATINGS.get(compact(text))
