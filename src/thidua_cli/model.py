"""The shared vocabulary of thidua: frozen dataclasses and enums, no behaviour beyond small
derived properties. Everything here is pure (no files, no clock, no console).

Flow: ``io`` reads workbooks into a :class:`Dataset` (people + findings); ``core`` turns a
Dataset and a :class:`Regulation` into a :class:`ScoreResult`; later stages (awards, documents)
build on ScoreResult. Identifiers are English; every text a clerk reads is Vietnamese.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the sections import Rating from here; Regulation only names them
    from thidua_cli.config.sections import (
        AwardsSettings,
        ClusterSettings,
        CouncilSettings,
        DocumentsSettings,
        EventSettings,
        IncomeSettings,
        KpiSettings,
        MoneySettings,
        PostSettings,
        PublishSettings,
        UnionSettings,
    )

# --------------------------------------------------------------------------------------------
# Enumerations
# --------------------------------------------------------------------------------------------


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "Lỗi", "warning": "Cảnh báo", "info": "Thông tin"}[self.value]


class Rating(StrEnum):
    """Quality rating (xếp loại chất lượng). The JSON codes are the enum values."""

    HTXSNV = "HTXSNV"
    HTTNV = "HTTNV"
    HTNV = "HTNV"
    KHTNV = "KHTNV"
    NOT_RATED = "NOT_RATED"
    PENDING_COUNCIL = "PENDING_COUNCIL"

    @property
    def label(self) -> str:
        return _RATING_LABELS[self]

    @property
    def grade(self) -> str | None:
        """Grade letter (column "Loại"): A/B/C/D; none for not rated or pending."""
        return _RATING_GRADES.get(self)

    @property
    def level(self) -> int:
        """Order for comparisons: HTXSNV 4 > HTTNV 3 > HTNV 2 > KHTNV 1; others 0."""
        return _RATING_LEVELS.get(self, 0)

    @property
    def is_rated(self) -> bool:
        return self.level > 0


_RATING_LABELS = {
    Rating.HTXSNV: "Hoàn thành xuất sắc nhiệm vụ",
    Rating.HTTNV: "Hoàn thành tốt nhiệm vụ",
    Rating.HTNV: "Hoàn thành nhiệm vụ",
    Rating.KHTNV: "Không hoàn thành nhiệm vụ",
    Rating.NOT_RATED: "Không xếp loại",
    Rating.PENDING_COUNCIL: "Chờ Hội đồng xét",
}
_RATING_GRADES = {Rating.HTXSNV: "A", Rating.HTTNV: "B", Rating.HTNV: "C", Rating.KHTNV: "D"}
_RATING_LEVELS = {Rating.HTXSNV: 4, Rating.HTTNV: 3, Rating.HTNV: 2, Rating.KHTNV: 1}
BANDED_RATINGS = (Rating.HTXSNV, Rating.HTTNV, Rating.HTNV, Rating.KHTNV)


class Discipline(StrEnum):
    """Administrative discipline levels, mildest first."""

    KHIEN_TRACH = "khien-trach"
    CANH_CAO = "canh-cao"
    CACH_CHUC = "cach-chuc"
    BUOC_THOI_VIEC = "buoc-thoi-viec"

    @property
    def label(self) -> str:
        return {
            "khien-trach": "Khiển trách",
            "canh-cao": "Cảnh cáo",
            "cach-chuc": "Cách chức",
            "buoc-thoi-viec": "Buộc thôi việc",
        }[self.value]

    @property
    def severity(self) -> int:
        return list(Discipline).index(self) + 1


class AssessmentLevel(StrEnum):
    """Who scored a criterion; the highest level present counts (council > dept > self)."""

    SELF = "tu-cham"
    DEPARTMENT = "khoa-cham"
    COUNCIL = "hoi-dong-cham"

    @property
    def label(self) -> str:
        return {"tu-cham": "Tự chấm", "khoa-cham": "Khoa chấm", "hoi-dong-cham": "Hội đồng chấm"}[
            self.value
        ]

    @property
    def priority(self) -> int:
        return {"tu-cham": 1, "khoa-cham": 2, "hoi-dong-cham": 3}[self.value]


class Gender(StrEnum):
    MALE = "nam"
    FEMALE = "nu"
    UNKNOWN = ""


class PeriodKind(StrEnum):
    YEAR = "year"
    QUARTER = "quarter"
    MONTH = "month"


_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class Period:
    """An emulation period. Its end is the reference date for every date rule (never today)."""

    kind: PeriodKind
    year: int
    number: int | None = None  # quarter 1–4 or month 1–12; None for a year

    @property
    def start(self) -> date:
        if self.kind is PeriodKind.YEAR:
            return date(self.year, 1, 1)
        if self.kind is PeriodKind.QUARTER:
            assert self.number is not None
            return date(self.year, 3 * self.number - 2, 1)
        assert self.number is not None
        return date(self.year, self.number, 1)

    @property
    def end(self) -> date:
        if self.kind is PeriodKind.YEAR:
            return date(self.year, 12, 31)
        assert self.number is not None
        last_month = 3 * self.number if self.kind is PeriodKind.QUARTER else self.number
        return date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])

    @property
    def code(self) -> str:
        """Machine form used by --period and JSON: "2026", "2026-Q4", "2026-M03"."""
        if self.kind is PeriodKind.YEAR:
            return str(self.year)
        if self.kind is PeriodKind.QUARTER:
            return f"{self.year}-Q{self.number}"
        return f"{self.year}-M{self.number:02d}"

    @property
    def label(self) -> str:
        """Vietnamese label: "Năm 2026", "Quý IV năm 2026", "Tháng 3 năm 2026"."""
        if self.kind is PeriodKind.YEAR:
            return f"Năm {self.year}"
        if self.kind is PeriodKind.QUARTER:
            assert self.number is not None
            return f"Quý {_ROMAN[self.number]} năm {self.year}"
        return f"Tháng {self.number} năm {self.year}"

    def working_days(self, since: date | None = None, *,
                     days_off: AbstractSet[date] = frozenset(),
                     days_worked: AbstractSet[date] = frozenset()) -> int:
        """Monday–Friday days from ``since`` (or the start) to the end, both included, minus the
        weekdays in ``days_off`` (public holidays, nghỉ bù), plus the weekend days in
        ``days_worked`` (làm bù). The calendar itself comes from core/workdays.py, which every
        rule calls: this is the one count."""
        first = max(self.start, since) if since else self.start
        if first > self.end:
            return 0
        days = (self.end - first).days + 1
        full_weeks, rest = divmod(days, 7)
        count = full_weeks * 5
        for i in range(rest):
            if (first + timedelta(days=full_weeks * 7 + i)).weekday() < 5:
                count += 1
        count -= sum(1 for d in days_off if first <= d <= self.end and d.weekday() < 5)
        count += sum(1 for d in days_worked if first <= d <= self.end and d.weekday() >= 5)
        return count


# --------------------------------------------------------------------------------------------
# Findings
# --------------------------------------------------------------------------------------------


def column_letter(index: int) -> str:
    """1 → "A", 27 → "AA"."""
    letters = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True, slots=True)
class Issue:
    """One finding. ``row`` is the 1-based row Excel shows; ``column`` its letter."""

    code: str
    severity: Severity
    message: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    header: str | None = None
    value: Any = None

    @property
    def cell(self) -> str | None:
        """"F12" (or "12:12" for a whole row, "F:F" for a column), without the sheet."""
        if self.row is not None and self.column:
            return f"{self.column}{self.row}"
        if self.row is not None:
            return f"{self.row}:{self.row}"
        if self.column:
            return f"{self.column}:{self.column}"
        return None

    @property
    def location(self) -> str:
        """"Khoa Nội!F12": the sheet and cell as the clerk reads them."""
        cell = self.cell
        if self.sheet and cell:
            return f"{self.sheet}!{cell}"
        return self.sheet or cell or ""

    @property
    def excel_ref(self) -> str | None:
        """"'Khoa Nội'!F12": the reference Excel accepts in a hyperlink or the Name Box."""
        if not self.sheet:
            return None
        sheet = "'" + self.sheet.replace("'", "''") + "'"
        cell = f"{self.column or 'A'}{self.row or 1}"
        return f"{sheet}!{cell}"


@dataclass
class Report:
    """Findings collected during a run; never raised one by one."""

    issues: list[Issue] = field(default_factory=list)

    def add(self, issue: Issue) -> None:
        self.issues.append(issue)

    def extend(self, issues: list[Issue] | Report) -> None:
        self.issues.extend(issues.issues if isinstance(issues, Report) else issues)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.WARNING]

    @property
    def valid(self) -> bool:
        return not self.errors


# --------------------------------------------------------------------------------------------
# The regulation (quy chế). The values live in the shipped default TOML (one source of truth);
# these classes give them types. ``config/`` loads, merges and checks.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    code: str
    name: str
    group: str
    max_points: float


@dataclass(frozen=True)
class Organisation:
    name: str  # "BỆNH VIỆN ĐA KHOA TỈNH X"
    parent: str  # "SỞ Y TẾ TỈNH X"
    abbreviation: str  # "BV" in "12/QĐ-BV"
    place: str  # "Hà Nội" in the date line
    personnel_office: str  # "Phòng Tổ chức cán bộ"
    personnel_abbreviation: str  # "TCCB"
    director_title: str  # "GIÁM ĐỐC"
    departments: tuple[str, ...]  # the expected list (may be empty)
    exceptional_unit: bool  # "đơn vị có thành tích xuất sắc": cap rate 25 %

    def letterhead(self) -> dict[str, str]:
        """The block every document and the awards result carry (thidua.awards/1 "organisation")."""
        return {
            "name": self.name,
            "parent": self.parent,
            "abbreviation": self.abbreviation,
            "place": self.place,
            "personnel_office": self.personnel_office,
            "personnel_abbreviation": self.personnel_abbreviation,
            "director_title": self.director_title,
        }


@dataclass(frozen=True)
class ScoringRules:
    bonus_cap: float  # "Điểm cộng" counted at most this much
    deduction_cap: float | None  # None: deductions are not capped
    total_min: float
    total_max: float
    decimals: int  # totals are rounded (half up) to this many decimals


@dataclass(frozen=True)
class Bands:
    """Lower bounds (inclusive) of each rating band; below ``htnv`` is KHTNV."""

    htxsnv: float
    httnv: float
    htnv: float
    # HTXSNV also needs these shares of tasks (QĐ 366-QĐ/TW Điều 11), when the sheet carries
    # "% nhiệm vụ hoàn thành" / "% vượt" (percentages 0–100).
    htxsnv_tasks_done: float
    htxsnv_tasks_exceeded: float


@dataclass(frozen=True)
class Overrides:
    discipline_forces_khtnv: bool
    min_months_worked_year: float  # < this (maternity counts as worked) → not rated (year)
    absence_months_cap_low: float  # absent ≥ this … (year)
    absence_months_cap_high: float  # … and < this → at most HTNV (year)
    min_share_worked_period: float  # quarter/month: worked < share × working days → not rated
    working_days_per_month: float  # 22: converts "Số ngày nghỉ" (working days) into months
    # The year's announced swaps on top of the public holidays (core/workdays.py): extra days off
    # (nghỉ bù) and weekend days worked (làm bù).
    days_off: tuple[date, ...] = ()
    days_worked: tuple[date, ...] = ()


@dataclass(frozen=True)
class CapRules:
    """The HTXSNV cap (ND 90/2020 as amended by ND 48/2023; QĐ 366-QĐ/TW)."""

    enabled_year: bool
    enabled_quarter: bool
    enabled_month: bool
    rate: float  # 0.20
    exceptional_rate: float  # 0.25 when organisation.exceptional_unit
    scope: str  # "hospital" | "department"
    denominator: str  # "htt_or_better" | "htt_only"
    managers_apart: bool
    split_by_group: bool  # split further by the "Nhóm" column
    infer_manager_from_position: bool
    manager_positions: tuple[str, ...]

    def enabled_for(self, kind: PeriodKind) -> bool:
        return {
            PeriodKind.YEAR: self.enabled_year,
            PeriodKind.QUARTER: self.enabled_quarter,
            PeriodKind.MONTH: self.enabled_month,
        }[kind]


@dataclass(frozen=True)
class ValidationRules:
    count_hidden_rows: bool  # hidden rows with data: counted (True) or skipped
    count_struck_rows: bool  # strike-through rows: counted or skipped
    max_leave_days_year: float  # leave-days-out-of-range above this (working days)
    same_name_warning: bool
    # A criterion whose every assessment-level cell is blank: an error (missing-score) unless the
    # quy chế says a blank counts as 0 points (io/reader/; README "workbook").
    blank_score_is_zero: bool = False


@dataclass(frozen=True)
class Regulation:
    name: str  # "Quy chế thi đua, khen thưởng năm 2026"
    source: str  # "mặc định (tích hợp sẵn)" or the file path
    sha256: str  # hash of the effective (merged) TOML text
    organisation: Organisation
    criteria: tuple[Criterion, ...]
    scoring: ScoringRules
    bands: Bands
    overrides: Overrides
    cap: CapRules
    validation: ValidationRules
    # The sections of the later stages, typed in config/sections.py (checked at load like the rest).
    awards: AwardsSettings
    money: MoneySettings
    council: CouncilSettings
    documents: DocumentsSettings
    publish: PublishSettings
    kpi: KpiSettings
    income: IncomeSettings  # thidua income (issue 16)
    cluster: ClusterSettings
    # [events] (issue 14); None only for a Regulation built by hand without it (tests).
    events: EventSettings | None = None
    posts: PostSettings | None = None  # [posts] (issue 14); None as above
    union: UnionSettings | None = None  # [union] (issue 17); None as above: off

    @property
    def max_total(self) -> float:
        return sum(c.max_points for c in self.criteria)


# --------------------------------------------------------------------------------------------
# Input records
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SourceRow:
    file: str
    sheet: str
    row: int  # the row number Excel shows


@dataclass(frozen=True, slots=True)
class Event:
    """One violation or bonus of a person in the period, resolved from the catalogue."""

    code: str
    name: str
    on: date | None  # the date written, if any
    points: float  # deducted (violation) or added (bonus), after escalation
    violation: bool
    nth: int  # 1 for the first occurrence of this code in the period, 2 for the second …
    severe: bool = False


@dataclass(frozen=True)
class Person:
    """One staff member as read from a department sheet (one period)."""

    staff_id: str
    name: str
    department: str
    source: SourceRow
    scores: Mapping[str, float]  # criterion code → points at the counting level
    score_levels: Mapping[str, AssessmentLevel] = field(default_factory=dict)
    bonus: float = 0.0
    deduction: float = 0.0
    position: str = ""
    is_manager: bool = False
    manager_inferred: bool = False
    peer_group: str = ""  # the "Nhóm" column
    job_position: str = ""  # the "Vị trí việc làm" column (posts.field = "job_position")
    gender: Gender = Gender.UNKNOWN
    recruited_on: date | None = None
    leave_days: float = 0.0  # working days absent, other than maternity
    maternity_days: float = 0.0
    left_on: date | None = None  # leaving (or transfer-out) date, when the sheet carries one
    absence_reason: str = ""  # "Lý do vắng": why the person is missing from some quarter
    achievement: str = ""  # "Thành tích": the basis of a Giấy khen
    # Issue 11 (points 3, 11, 12): optional columns; blank or absent leaves today's rules.
    adhoc_award: str = ""  # "Khen thưởng đột xuất" already given: never a merit basis (NĐ 152 Đ4.3)
    injury_days: float = 0.0  # treating an injury from rescue or combat: counts as worked
    training_days: float = 0.0  # a course of ≥ 1 year: counts as worked for LĐTT (TT 01/2024)
    contract_from: date | None = None  # contract before recruitment: continuous work from here
    discipline_ended_on: date | None = None  # achievements count from this day (NĐ 152 Đ4.4)
    moved_in_on: date | None = None  # transferred in from another unit on this day
    previous_opinion: str = ""  # the old unit's opinion (NĐ 90/2020 Điều 20.1)
    tasks_done: float | None = None  # "% nhiệm vụ hoàn thành" (0–100)
    tasks_exceeded: float | None = None  # "% vượt" (0–100) (QĐ 366-QĐ/TW Điều 11)
    discipline: Discipline | None = None
    initiatives: int = 0
    research: int = 0
    registered: bool | None = None
    note: str = ""
    # "Sự việc": violations and bonuses by code and date ("VP01 12/10/2026; KT01"), as typed;
    # the reader resolves them (core/events.py) into ``event_list`` and adds their points to
    # ``deduction`` / ``bonus`` (issue 14).
    events: str = ""
    event_list: tuple[Event, ...] = ()
    post: str = ""  # the post group ([posts]) whose criteria set the person is scored on
    sheet_total: float | None = None  # the sheet's own "Tổng điểm" (compared, never used)
    sheet_rating: str | None = None  # the sheet's own "Xếp loại"
    columns: Mapping[str, str] = field(default_factory=dict)  # field/criterion code → letter

    @property
    def works_since(self) -> date | None:
        """The start of continuous work here: a labour contract just before recruitment counts
        (Bộ Nội vụ's reading of TT 01/2024: continuous work at the same agency is added)."""
        if self.contract_from is not None and (self.recruited_on is None
                                               or self.contract_from < self.recruited_on):
            return self.contract_from
        return self.recruited_on


@dataclass(frozen=True)
class InputFile:
    path: str
    sha256: str
    format: str  # "xlsx", "xlsm", "xls", "ods"


@dataclass(frozen=True, slots=True)
class TotalRowCell:
    """A cell of a sheet's own "Tổng cộng" row under a score column (compared, never used)."""

    column: str  # letter
    header: str
    key: str  # "criterion:CM1", "bonus", "deduction", "sheet_total"
    value: Any  # as written: a number, text, or None for a blank cell
    column_sum: float  # Σ of the column's numbers over the table's rows (text numbers counted)


@dataclass(frozen=True)
class SheetSummary:
    file: str
    name: str
    department: str | None  # None for a combined sheet or a skipped one
    people: int
    status: str  # "ok" | "skipped" | "criteria" | "hidden" | "empty"
    total_row: int | None = None  # the Excel row of the sheet's "Tổng cộng" row, if any
    total_row_cells: tuple[TotalRowCell, ...] = ()


@dataclass
class Dataset:
    """What the reader hands to the core: the people of one period, and what it found."""

    people: list[Person]
    criteria: tuple[Criterion, ...]
    criteria_source: str  # "quy chế" or "sheet 'Tiêu chí' (file)"
    report: Report
    inputs: list[InputFile] = field(default_factory=list)
    sheets: list[SheetSummary] = field(default_factory=list)
    period: Period | None = None  # found in a title row, if any
    period_source: str | None = None


# --------------------------------------------------------------------------------------------
# Scoring results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExplainStep:
    rule: str  # short Vietnamese rule name: "Điểm cộng", "Ghi đè: kỷ luật", "Trần HTXSNV"
    detail: str  # what happened, with numbers
    basis: str = ""  # legal or regulation basis, e.g. "NĐ 48/2023/NĐ-CP"


@dataclass(frozen=True, slots=True)
class PersonResult:
    person: Person
    points: Mapping[str, float]  # criterion code → points counted
    criteria_sum: float
    bonus_counted: float
    deduction_counted: float
    total: float
    band: Rating  # from the points alone
    rating: Rating  # after overrides and the cap
    notes: tuple[str, ...] = ()  # Vietnamese notes on overrides and caps
    reasons: tuple[str, ...] = ()  # stable codes: "discipline", "not-worked-enough", "absence", "cap", "cap-tie", "severe-violation"
    peer_group: str = ""
    rank_department: int | None = None
    rank_hospital: int | None = None
    steps: tuple[ExplainStep, ...] = ()

    @property
    def grade(self) -> str | None:
        return self.rating.grade


@dataclass(frozen=True)
class CapGroup:
    """The HTXSNV cap applied to one peer group."""

    key: str  # "Viên chức, người lao động", "Lãnh đạo, quản lý – Điều dưỡng", …
    rate: float
    denominator: int  # count rated HTTNV or better (or HTTNV only) before capping
    slots: int  # floor(rate × denominator)
    candidates: tuple[str, ...]  # staff IDs banded HTXSNV, best first
    kept: tuple[str, ...]
    pending: tuple[str, ...]  # tied at the cut-off: PENDING_COUNCIL
    demoted: tuple[str, ...]  # → HTTNV
    cutoff_total: float | None = None
    slots_left_for_tie: int = 0


@dataclass(frozen=True)
class DepartmentResult:
    name: str
    headcount: int
    rated: int
    not_rated: int
    pending: int
    mean: float | None
    median: float | None
    counts: Mapping[Rating, int]
    share_htxsnv: float | None  # of the rated
    rank: int | None


@dataclass(frozen=True)
class ScoreResult:
    period: Period | None
    regulation: Regulation
    criteria: tuple[Criterion, ...]
    criteria_source: str
    people: tuple[PersonResult, ...]  # in hospital rank order
    departments: tuple[DepartmentResult, ...]  # in rank order
    cap_groups: tuple[CapGroup, ...]
    report: Report  # warnings carried from reading and scoring
    inferred_managers: tuple[str, ...] = ()

    def person(self, staff_id: str) -> PersonResult | None:
        for p in self.people:
            if p.person.staff_id == staff_id:
                return p
        return None


@dataclass(frozen=True)
class RunInfo:
    """Facts about a run for the "Nhật ký" sheet and JSON; the CLI passes the clock in."""

    tool_version: str
    started_at: datetime
    command: str  # "thidua score quy-4-2026.xlsx --period 2026-Q4"
    inputs: tuple[InputFile, ...]
    regulation_source: str
    regulation_sha256: str
