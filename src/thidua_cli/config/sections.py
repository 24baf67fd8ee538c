"""The typed sections of the regulation (quy chế), one frozen dataclass per TOML table.

Vocabulary only: no defaults and no parsing here. Every value comes from the shipped commented
TOML (``data/quy-che-mac-dinh.toml``, the one place that holds each default) merged under the
user's file, and is checked by :mod:`thidua_cli.config.check`. Like ``model.py``, this module
is vocabulary: it imports nothing but the model, so the pure core may import it. The TOML keys are the field names
(except where a field's comment says otherwise). The scoring sections (organisation, criteria,
scoring, bands, overrides, cap, validation) and :class:`Regulation` itself live in
:mod:`thidua_cli.model`, which the reader and the scoring core have always used; they are
re-exported here so that this module lists every section.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from thidua_cli.model import (
    Bands,
    CapRules,
    Criterion,
    Organisation,
    Overrides,
    Rating,
    Regulation,
    ScoringRules,
    ValidationRules,
)

__all__ = [
    "AwardsSettings",
    "Bands",
    "BaseSalary",
    "CapRules",
    "ClusterItem",
    "ClusterSettings",
    "CollectiveSettings",
    "CouncilMember",
    "CouncilSettings",
    "Criterion",
    "DocumentsSettings",
    "EventItem",
    "EventSettings",
    "GiayKhenSettings",
    "HigherSettings",
    "IncomeCeiling",
    "IncomeSettings",
    "KpiSettings",
    "LdttSettings",
    "MoneySettings",
    "Organisation",
    "Overrides",
    "PostGroup",
    "PostSettings",
    "QuotaSettings",
    "Regulation",
    "RollupSettings",
    "ScoringRules",
    "ValidationRules",
]


# --------------------------------------------------------------------------------------------
# [awards] and its sub-tables
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RollupSettings:
    method: str  # "mean" | "weighted"
    weights: tuple[Decimal, ...]  # one per quarter (1–4), used when method = "weighted"
    initiatives: str  # "max" | "sum": how quarterly "Sáng kiến" counts add up to the year
    min_quarter_rating: Rating | None  # e.g. HTTNV: "no quarter below B" (LĐTT condition)
    min_quarters_ab: int  # at least N quarters rated A or B (LĐTT condition); 0 = off
    require_last_quarter: bool  # not in the last quarter's list (left, moved) → no title


@dataclass(frozen=True)
class QuotaSettings:
    # TOML keys: quota_share, quota_of, quota_by_department (in [awards.cstdcs], [awards.giay_khen])
    share: Decimal  # 0 = no quota
    of: str  # "ldtt" (count of LĐTT) | "members" (headcount)
    by_department: bool  # allocate the hospital quota to departments (largest remainder)

    @property
    def enabled(self) -> bool:
        return self.share > 0


@dataclass(frozen=True)
class LdttSettings:
    min_months: int  # since recruitment (TT 01/2024/TT-BNV: 6; ND 91/2017: 10)
    require_registration: bool
    absence_limit_days: Decimal  # internal rule: absent ≥ this many working days → no LĐTT; 0 = off


@dataclass(frozen=True)
class GiayKhenSettings:
    enabled: bool
    min_rating: Rating
    achievements: tuple[str, ...]  # one of these is needed; () = the rating alone suffices
    quota: QuotaSettings


@dataclass(frozen=True)
class CollectiveSettings:
    min_ldtt_share: Decimal  # 0.70 (Luật Điều 27, 28)
    members: str  # "rated": not-rated members are left out of the shares | "all"
    rating: str  # "council": the collective's task completion is confirmed by the council |
    #             "mean_band": the department's mean score read through the rating bands
    ttldxs_min_cstdcs: int


@dataclass(frozen=True)
class HigherSettings:
    enabled: bool
    bang_khen_years: int  # consecutive CSTĐCS (or HTXSNV) years: 2
    bang_khen_initiatives: int  # initiatives in those years, not used for other awards: 2
    cstd_tinh_years: int  # consecutive CSTĐCS years: 3
    ttg_years: int  # consecutive years ≥ HTTNV after a Bằng khen: 5
    ttg_cstdcs: int  # CSTĐCS titles within them: 3


@dataclass(frozen=True)
class AwardsSettings:
    """The ``[awards]`` table."""

    women_first: bool
    leader_share_warning: Decimal  # warn when leaders' share of awarded people exceeds it; 0 = off
    rollup: RollupSettings
    ldtt: LdttSettings
    cstdcs_quota: QuotaSettings  # [awards.cstdcs]
    giay_khen: GiayKhenSettings
    collective: CollectiveSettings
    higher: HigherSettings
    # Issue 11 point 9: the most leaders may hold of a title, for provinces that set one (title
    # code → share 0–1; empty = no cap). Those above it wait for the council.
    leader_share_cap: Mapping[str, Decimal]


# --------------------------------------------------------------------------------------------
# [money], [council]
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BaseSalary:
    valid_from: date  # TOML key: from
    amount: int  # đồng per month
    basis: str  # "Nghị định 73/2024/NĐ-CP"


@dataclass(frozen=True)
class MoneySettings:
    rounding_step: int
    base_salary: tuple[BaseSalary, ...]  # sorted by date
    coefficients: Mapping[str, Decimal]  # "GIAY_KHEN", "BANG_KHEN_TINH.collective" → override
    linh: str  # "linh" | "lẻ": how amounts are read in words
    nghin: str  # "nghìn" | "ngàn"


@dataclass(frozen=True)
class CouncilSettings:
    members: int  # 0 = from the votes file
    thresholds: Mapping[str, Decimal]  # title code → share of ALL members voting for
    above_half_strict: bool  # a threshold of exactly 0.5 means "more than half" (quá bán)


# --------------------------------------------------------------------------------------------
# [documents]
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CouncilMember:
    name: str
    role: str = ""  # "Giám đốc – Chủ tịch Hội đồng"


# The lines a pre-printed Giấy khen blank (phôi) leaves to print, in the order printed.
CERTIFICATE_FIELDS = ("authority", "verb", "heading", "addressee", "detail", "reason", "date_line",
                      "signer_title", "signer_name", "decision_line", "so_vang")


@dataclass(frozen=True)
class CertificateField:
    """Where one line prints on the blank: ``x_mm`` from the left edge (the line's centre when
    centred, its start when left-aligned), ``y_mm`` from the top edge (the top of the line)."""

    x_mm: float
    y_mm: float
    width_mm: float
    size: float
    bold: bool = False
    italic: bool = False
    align: str = "center"  # "center" | "left"


@dataclass(frozen=True)
class CertificateSettings:
    """``[documents.certificates]``: "giay-trang" prints the whole Giấy khen on plain paper (the
    template); "phoi" prints only the lines of ``fields`` onto a pre-printed blank, shifted by
    the offsets a clerk measures once on the calibration page."""

    mode: str
    page_width_mm: float
    page_height_mm: float
    offset_x_mm: float
    offset_y_mm: float
    fields: Mapping[str, CertificateField]


@dataclass(frozen=True)
class DocumentsSettings:
    """The ``[documents]`` table (thidua render); "" or () = not declared."""

    templates: str
    signer: str
    signer_title: str
    office_head: str
    regulation_basis: str
    extra_bases: tuple[str, ...]
    recipients: tuple[str, ...]
    higher_recipient: str
    council_members: tuple[CouncilMember, ...]
    chair: str
    secretary: str
    tally_team: tuple[str, ...]
    ballot_titles: tuple[str, ...]
    meeting_place: str
    meeting_time: str
    name_order: str
    # The decision giving the director the authority to issue it (the hospital's organisation).
    authority_basis: str
    certificates: CertificateSettings


# --------------------------------------------------------------------------------------------
# [events] (issue 14): the catalogue of violations and bonuses a sheet lists by code
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventItem:
    code: str  # "VP01": what the sheet's "Sự việc" column lists
    name: str  # "Đi làm muộn không có lý do"
    points: tuple[float, ...]  # by occurrence in the period: (2, 4, 6) = 2, then 4, then 6 and on
    severe: bool = False  # "nặng": the rating is capped at EventSettings.severe_cap


@dataclass(frozen=True)
class EventSettings:
    """The ``[events]`` table; empty catalogues = the column is not used."""

    violations: tuple[EventItem, ...]
    bonuses: tuple[EventItem, ...]
    severe_cap: Rating  # a severe violation in the period: at most this rating

    def find(self, code: str) -> tuple[EventItem, bool] | None:
        """(item, is_violation) of a code (case-insensitive), or None."""
        key = code.strip().casefold()
        for item in self.violations:
            if item.code.casefold() == key:
                return item, True
        for item in self.bonuses:
            if item.code.casefold() == key:
                return item, False
        return None


# --------------------------------------------------------------------------------------------
# [posts] (issue 14): criteria sets per post group (vị trí việc làm)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PostGroup:
    name: str  # "Điều dưỡng, hộ sinh"
    positions: tuple[str, ...]  # the values of the matched column that belong to the group
    drop: tuple[str, ...]  # codes of the common [[criteria]] this group is not scored on
    criteria: tuple[Criterion, ...]  # the group's own criteria, added to the common ones


@dataclass(frozen=True)
class PostSettings:
    """The ``[posts]`` table; no groups = everyone on the common [[criteria]]."""

    field: str  # "position" (Chức vụ / Chức danh) | "peer_group" (Nhóm) | "job_position"
    groups: tuple[PostGroup, ...]


# --------------------------------------------------------------------------------------------
# [publish] (issue 17)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishSettings:
    """The ``[publish]`` table (thidua publish)."""

    comment_days: int = 5  # working days the proposals stay posted for comment


# --------------------------------------------------------------------------------------------
# [union] (issue 17): trade-union titles resting on initiatives (core/union.py)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnionSettings:
    """The ``[union]`` table: off by default; the union's own thresholds when turned on."""

    enabled: bool = False
    min_rating: str = "HTTNV"  # the lowest year rating for Đoàn viên CĐ xuất sắc / LĐG-LĐST
    max_leave_days: int = 40  # excluded from this many days off (maternity not counted)
    min_months: int = 10  # excluded when recruited fewer months before the period end
    discipline_excludes: bool = True  # any discipline in the year excludes
    creative_min_initiatives: int = 1  # initiatives recognised in the year for LĐG-LĐST
    creative_benefit: int = 80_000_000  # Bằng LĐST: the year's benefit, đồng
    creative_three_years: int = 120_000_000  # Bằng LĐST: three consecutive years' total, đồng


# --------------------------------------------------------------------------------------------
# [kpi] (thidua kpi; thidua score --kpi)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiSettings:
    """The ``[kpi]`` table: how attainment is computed and how a KPI score enters the rating."""

    cap: Decimal  # attainment cap as a fraction: 1.20 = at most 120 %
    higher_formula: str  # "ratio": actual / target
    lower_formula: str  # "inverse": target / actual | "complement": 2 − actual / target
    band_formula: str  # "ratio": 100 % inside, bound / actual outside | "all_or_nothing"
    missing_actual: str  # "error" | "zero" | "skip" (left out, weights re-shared)
    weights_not_100: str  # "warning" | "error"
    manager_department_weight: Decimal  # share of the department's score in a manager's KPI
    staff_department_weight: Decimal  # share of the department's score in a staff member's KPI
    hospital_owned_in_department: bool  # hospital indicators naming a department count there
    score_mode: str  # "criterion": KPI × max / 100 fills score_criterion | "total"
    score_criterion: str  # code of the criterion the KPI fills
    decimals: int  # decimals of attainments and scores


# --------------------------------------------------------------------------------------------
# [income] (thidua income: thu nhập tăng thêm, issue 16)
# --------------------------------------------------------------------------------------------

INCOME_BASES = ("salary", "position", "mix")
INCOME_EXCLUDE = ("disciplined", "probation")
INCOME_LEAVE_KINDS = ("annual", "sick", "unpaid", "other")  # maternity has its own rule
INCOME_REMAINDERS = ("largest_remainder", "carry")


@dataclass(frozen=True)
class IncomeCeiling:
    """[income.ceiling]: the savings-fund ceiling by autonomy group (ND 60/2021); 0 = not declared."""

    autonomy_group: int  # 1–4 (ND 60/2021 groups of public service units); 0 = not declared
    max_multiple: Decimal  # fund ≤ max_multiple × the period's salary fund; 0 = not checked
    basis: str  # the citation the hospital verified, printed with the warning


@dataclass(frozen=True)
class IncomeSettings:
    """The ``[income]`` table (thidua income)."""

    basis: str  # "salary" | "position" | "mix"
    mix_salary_weight: Decimal  # in "mix": weight of (HSL + PCCV); the position coefficient gets 1 − it
    grades: Mapping[str, Decimal]  # [income.grades] letter → coefficient (A 1.2, B 1.0 …)
    rating_grades: Mapping[str, str]  # [income.rating_grades] rating code → letter
    exclude: tuple[str, ...]  # who gets nothing besides a grade of coefficient 0 and not rated
    maternity: str  # "none": maternity days earn nothing | "worked": counted as days worked
    paid_leave: tuple[str, ...]  # kinds of leave counted as days worked ("annual" …)
    standard_days: int  # 0 = the period's working days (Mon–Fri minus public holidays)
    rounding_step: int  # 1000: amounts are multiples of it (but see remainder)
    remainder: str  # "largest_remainder" | "carry"
    ceiling: IncomeCeiling


# --------------------------------------------------------------------------------------------
# [cluster] (thidua cluster, issue 18)
# --------------------------------------------------------------------------------------------

CLUSTER_CONDITIONS = ("targets_exceeded", "party_htxsnv", "no_serious_violation")
CLUSTER_ROTATIONS = ("none", "list", "winner")
CLUSTER_ITEM_KINDS = ("criterion", "bonus", "deduction")


@dataclass(frozen=True)
class ClusterItem:
    """One row of the cluster's scoring table: a criterion adds its points, a bonus item adds,
    a deduction item (points written as a positive number) subtracts."""

    code: str
    name: str
    group: str
    max_points: Decimal
    kind: str = "criterion"


@dataclass(frozen=True)
class ClusterSettings:
    """The ``[cluster]`` table: the emulation cluster (khối thi đua) of hospitals."""

    tolerance: Decimal  # |self − checked| above this, per criterion, is flagged
    flag_conditions: tuple[str, ...]  # of CLUSTER_CONDITIONS; all must hold for the Cờ
    flag_vote_share: Decimal  # share of ALL member heads voting for the Cờ (0.8)
    bang_khen_slots: int  # 1–2 units after the Cờ unit
    bang_khen_vote_share: Decimal  # 0 = no vote needed
    leader_share_max: Decimal  # leaders' share among proposed individuals; 0 = off
    rotation: str  # "none" | "list" | "winner"
    items: tuple[ClusterItem, ...] = ()  # the scoring table when the cluster's workbook has none


def settings_json(awards: AwardsSettings, money: MoneySettings, council: CouncilSettings) -> dict[str, Any]:
    """The settings block of the awards result (thidua.awards/1 "settings"; stable keys)."""

    def conv(value: Any) -> Any:
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, (date, datetime)):
            return value.isoformat()
        if isinstance(value, Rating):
            return value.value
        if isinstance(value, dict):
            return {k: conv(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [conv(v) for v in value]
        return value

    out: dict[str, Any] = conv(asdict(awards))
    out["money"] = conv(asdict(money))
    out["council"] = conv(asdict(council))
    return out
