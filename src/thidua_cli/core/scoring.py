"""Scoring: points → total → band → overrides → the HTXSNV cap → ranks (pure).

The rules, in the order they are applied to each person (shared/decisions.md "Periods",
"The cap", "Scoring"; domain-law.md §6, §14.2, §14.7):

1. ``points``: the person's score for each of the dataset's criteria (the reader chose the
   counting level per cell; a criterion with no score counts 0 and the explanation says so).
   ``total = clamp(Σ points + min(bonus, bonus_cap) − deduction (capped only when a deduction
   cap is set), total_min, total_max)``, rounded half up to ``scoring.decimals``. All of it in
   exact decimals: 8.1 + 8.2 is 16.3, not 16.299999999999997.
2. The band from the rounded total (the number the clerk sees): ≥ HTXSNV threshold → HTXSNV,
   ≥ HTTNV → HTTNV, ≥ HTNV → HTNV, else KHTNV.
3. Overrides, in this order:
   a. disciplined in the period → KHTNV (NĐ 90/2020 as amended by NĐ 48/2023);
   b. worked too little → not rated. Year: months worked < 6, where days worked are the
      period's working days from the recruitment date minus the leave days (maternity counts as
      worked, so it is not subtracted) and a month is 22 working days. Quarter and month:
      days worked < 50 % of the period's working days (new staff count from recruitment).
      **Discipline beats not-rated**: a disciplined person stays KHTNV even if they worked
      little — the law makes KHTNV mandatory for a disciplined person, while "not rated" only
      reflects too little time to judge; either way the person is never a cap candidate and
      never an award candidate (decisions.md), and KHTNV keeps the discipline visible.
   c. year only: absent (leave, not maternity) ≥ 3 and < 6 months → at most HTNV.
4. The HTXSNV cap per peer group (core/caps.py), when enabled for the period kind.
5. Ranks: competition ranks (1, 2, 2, 4) by total over everyone except the not-rated people,
   hospital-wide and per department. Not-rated people have no rank and are listed last (in
   name order): their totals are shown but do not compete.
   People are listed by total (descending), then Vietnamese name order (tên, họ, đệm), then
   staff ID — the name and ID only order the listing of people who share a rank.

Every step is kept as an :class:`ExplainStep` (Vietnamese) in ``PersonResult.steps`` for
``thidua score --explain MÃ_NV``; :func:`explain` returns them. Steps are built for the people
named in ``explain_ids`` (everyone when it is None, the library default); the notes ("Ghi chú")
and reason codes are always complete for everyone.

Speed (a 100,000-person workbook scores in about a second): the per-person work is kept to
arithmetic on exact decimals. What repeats across people is computed once per run: the exact
decimal of each distinct score (a sheet holds a few dozen), the working days and the
worked-enough verdict per (recruitment date, leave days), the peer group per (manager, group,
department), the collation key per name syllable; explanation texts are formatted only when
asked for; ranks are counted in one pass over the listing order instead of re-sorting.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache

from thidua_cli.core import workdays
from thidua_cli.core.caps import (
    CAP_BASIS,
    DENOMINATOR_LABELS,
    MANAGER_LABEL,
    CapEntry,
    PeerGroup,
    cap_candidates,
    cap_rate,
    check_cap_rules,
    denominator_ratings,
    match_manager_position,
    peer_group_of,
)
from thidua_cli.core.departments import department_results
from thidua_cli.core.names import name_sort_keys, vietnamese_key
from thidua_cli.core.ranking import (
    ExactMemo,
    competition_ranks,
    exact,
    format_percent,
    format_points,
    round_half_up,
)
from thidua_cli.core.vntext import key, suggest
from thidua_cli.errors import InvalidDataError, PeriodRequiredError, UsageError
from thidua_cli.issues import make_issue
from thidua_cli.model import (
    AssessmentLevel,
    CapGroup,
    Criterion,
    Dataset,
    ExplainStep,
    Overrides,
    Period,
    PeriodKind,
    Person,
    PersonResult,
    Rating,
    Regulation,
    Report,
    ScoreResult,
)

BASIS_REGULATION = "Quy chế thi đua, khen thưởng của đơn vị"
BASIS_BANDS = "Quy định 366-QĐ/TW Điều 11 (mức điểm); quy chế của đơn vị (ngưỡng xếp loại)"
BASIS_DISCIPLINE = "NĐ 90/2020/NĐ-CP sửa đổi bởi NĐ 48/2023/NĐ-CP: bị kỷ luật trong năm → KHTNV"
BASIS_WORKED_YEAR = (
    "NĐ 90/2020/NĐ-CP sửa đổi bởi NĐ 48/2023/NĐ-CP: làm việc dưới 6 tháng trong năm thì không "
    "xếp loại (trừ nghỉ thai sản)"
)
BASIS_TASKS = "Quy định 366-QĐ/TW Điều 11 (HTXSNV: 100% nhiệm vụ hoàn thành, vượt mức)"
BASIS_WORKED_PERIOD = "Quy chế của đơn vị: làm việc dưới một nửa số ngày làm việc của kỳ"
BASIS_ABSENCE = (
    "NĐ 90/2020/NĐ-CP sửa đổi bởi NĐ 48/2023/NĐ-CP: nghỉ từ 3 đến dưới 6 tháng thì không được "
    "xếp HTTNV trở lên"
)

_KIND_LABEL = {PeriodKind.YEAR: "năm", PeriodKind.QUARTER: "quý", PeriodKind.MONTH: "tháng"}

# Ratings tested in the per-person loop, as sets: an enum property (Rating.level, .is_rated) is
# a Python-level call, ~100× a set lookup, and the loop runs once per person.
_RATED = frozenset(r for r in Rating if r.is_rated)
_ABOVE_HTNV = frozenset(r for r in Rating if r.level > Rating.HTNV.level)

_NO_POINTS = Decimal(0)
# AssessmentLevel.label builds its table on every call; the explanation asks for it per cell.
_LEVEL_LABELS = {level: level.label for level in AssessmentLevel}


@dataclass(slots=True)
class _Work:
    """A person being scored (mutable while the rules run)."""

    person: Person
    points: dict[str, float]
    criteria_sum: Decimal
    bonus_counted: Decimal
    deduction_counted: Decimal
    total: Decimal
    band: Rating
    rating: Rating
    group: PeerGroup
    explain: bool  # build the ExplainSteps of this person
    # Tuples, and no step list unless explained: most people get no note, and every object
    # that holds others is one more for the garbage collector to walk, 100,000 times over.
    notes: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    steps: list[ExplainStep] | None = None
    rank_hospital: int | None = None
    rank_department: int | None = None

    def note(self, text: str, reason: str | None = None) -> None:
        """A note for the "Ghi chú" column and, when the rating changed, its reason code."""
        self.notes += (text,)
        if reason is not None:
            self.reasons += (reason,)

    def step(self, rule: str, detail: str, basis: str = "") -> None:
        if self.steps is None:
            self.steps = []
        self.steps.append(ExplainStep(rule, detail, basis))


@dataclass(frozen=True)
class _Rules:
    """The regulation's numbers as exact decimals, and texts built once per run."""

    criteria: tuple[Criterion, ...]
    codes: tuple[str, ...]
    max_texts: tuple[str, ...]  # each criterion's maximum, formatted
    max_sum: Decimal
    bonus_cap: Decimal
    deduction_cap: Decimal | None
    total_min: Decimal
    total_max: Decimal
    decimals: int
    quantum: Decimal  # 10 ** -decimals, for round_half_up
    htxsnv: Decimal
    httnv: Decimal
    htnv: Decimal
    thresholds: str  # "Ngưỡng: HTXSNV ≥ 90; …"

    @classmethod
    def of(cls, regulation: Regulation, criteria: Sequence[Criterion]) -> _Rules:
        sc, b = regulation.scoring, regulation.bands
        x, t, n = exact(b.htxsnv), exact(b.httnv), exact(b.htnv)
        return cls(
            criteria=tuple(criteria),
            codes=tuple(c.code for c in criteria),
            max_texts=tuple(format_points(c.max_points) for c in criteria),
            max_sum=sum((exact(c.max_points) for c in criteria), Decimal(0)),
            bonus_cap=exact(sc.bonus_cap),
            deduction_cap=None if sc.deduction_cap is None else exact(sc.deduction_cap),
            total_min=exact(sc.total_min),
            total_max=exact(sc.total_max),
            decimals=sc.decimals,
            quantum=Decimal(1).scaleb(-sc.decimals),
            htxsnv=x,
            httnv=t,
            htnv=n,
            thresholds=(
                f"Ngưỡng: HTXSNV ≥ {format_points(x)}; HTTNV ≥ {format_points(t)}; "
                f"HTNV ≥ {format_points(n)}; dưới {format_points(n)} là KHTNV."
            ),
        )


@dataclass(frozen=True, slots=True)
class _Time:
    """Time worked in the period, for one (recruitment date, leave days): the same for everyone
    who shares them, so computed once per pair."""

    available: int  # working days of the period from the recruitment date
    worked: Fraction  # available − leave days, at least 0
    measure: Fraction  # year: months worked; quarter/month: days worked
    too_little: bool


@dataclass(frozen=True, slots=True)
class _Absence:
    """Year only: months absent for a number of leave days, and whether they cap the rating."""

    months: Fraction
    in_window: bool  # low ≤ months < high → at most HTNV


class _Run:
    """Everything constant during one scoring run, and the per-run caches."""

    def __init__(
        self,
        regulation: Regulation,
        period: Period,
        criteria: Sequence[Criterion],
        explain_ids: Collection[str] | None,
    ) -> None:
        # The match keys of the staff IDs to explain; None = everyone.
        self.explain_keys = None if explain_ids is None else {key(i) for i in explain_ids}
        self.explaining = self.explain_keys is None or bool(self.explain_keys)
        self.regulation = regulation
        self.period = period
        self.rules = _Rules.of(regulation, criteria)
        self.exact = ExactMemo()
        ov = regulation.overrides
        self.ov = ov
        self.is_year = period.kind is PeriodKind.YEAR
        self.start = period.start
        self.wdpm = _frac(ov.working_days_per_month)
        self.full_days = _working_days(period, ov, None)
        self.min_months = _frac(ov.min_months_worked_year)
        self.needed_days = _frac(ov.min_share_worked_period) * self.full_days
        self._times: dict[tuple[date | None, float], _Time] = {}
        self._absences: dict[float, _Absence] = {}
        self.groups: dict[tuple[bool, str, str], PeerGroup] = {}
        self.department_keys: dict[str, str] = {}

    def time(self, recruited_on: date | None, leave_days: float) -> _Time:
        # Recruited on or before the first day: the whole period counts, whatever the date
        # (one cache entry for all of them, not one per recruitment date).
        since = recruited_on if recruited_on is not None and recruited_on > self.start else None
        found = self._times.get((since, leave_days))
        if found is None:
            available = _working_days(self.period, self.ov, since)
            worked = max(Fraction(available) - _frac(leave_days), Fraction(0))
            if self.is_year:
                months = worked / self.wdpm
                found = _Time(available, worked, months, months < self.min_months)
            else:
                found = _Time(available, worked, worked, worked < self.needed_days)
            self._times[(since, leave_days)] = found
        return found

    def absence(self, leave_days: float) -> _Absence:
        found = self._absences.get(leave_days)
        if found is None:
            months = _frac(leave_days) / self.wdpm
            low = _frac(self.ov.absence_months_cap_low)
            high = _frac(self.ov.absence_months_cap_high)
            found = self._absences[leave_days] = _Absence(months, low <= months < high)
        return found

    def explains(self, person: Person) -> bool:
        """Whether this person's explanation steps are built."""
        if self.explain_keys is None:
            return True
        return self.explaining and key(person.staff_id) in self.explain_keys

    def group(self, person: Person) -> PeerGroup:
        ident = (person.is_manager, person.peer_group, person.department)
        found = self.groups.get(ident)
        if found is None:
            found = self.groups[ident] = peer_group_of(
                self.regulation.cap,
                is_manager=person.is_manager,
                peer_group=person.peer_group,
                department=person.department,
            )
        return found

    def department_key(self, department: str) -> str:
        found = self.department_keys.get(department)
        if found is None:
            found = self.department_keys[department] = key(department)
        return found


# --------------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------------


def score_dataset(
    dataset: Dataset,
    regulation: Regulation,
    period: Period | None,
    *,
    name_order: str = "ten-ho-dem",
    explain_ids: Collection[str] | None = None,
) -> ScoreResult:
    """Score every person of ``dataset`` under ``regulation`` for ``period``.

    ``explain_ids``: the staff IDs whose :class:`ExplainStep` list is built (compared on match
    keys, so " nv001" finds "NV001"); None builds it for everyone, ``()`` for nobody — the
    steps are texts for ``--explain``, and formatting them for 100,000 people costs more than
    scoring them. Nothing else depends on it: totals, ratings, notes, reasons, ranks and
    findings are the same either way.

    Raises PeriodRequiredError without a period (every date rule needs its end), and
    InvalidDataError when the dataset carries error findings (a total would be wrong)."""
    if period is None:
        raise PeriodRequiredError(
            "Cần biết kỳ đánh giá để xếp loại (số ngày làm việc, trần HTXSNV). Hãy thêm "
            "--period, ví dụ --period 2026-Q4 (quý IV năm 2026) hoặc --period 2026 (cả năm)."
        )
    if not dataset.report.valid:
        raise InvalidDataError(
            f"Bảng điểm có {len(dataset.report.errors)} lỗi phải sửa trước khi chấm điểm "
            "(chạy `thidua validate` để có bản đánh dấu từng ô).",
            report=dataset.report,
        )
    check_cap_rules(regulation.cap)
    criteria = dataset.criteria or regulation.criteria
    report = Report(list(dataset.report.issues))
    run = _Run(regulation, period, criteria, explain_ids)

    works: list[_Work] = []
    inferred: list[str] = []
    infer = regulation.cap.infer_manager_from_position
    marking_sheets = {
        (p.source.file, p.source.sheet) for p in dataset.people if p.is_manager
    } if infer else set()
    explain_all = run.explain_keys is None
    for person in dataset.people:
        matched = None
        if infer and not person.is_manager:
            marked = (person.source.file, person.source.sheet) in marking_sheets
            person, matched = _infer_manager(person, regulation, sheet_marks_managers=marked)
        if matched is not None:
            inferred.append(person.staff_id)
            report.add(
                make_issue(
                    "manager-inferred",
                    file=person.source.file,
                    sheet=person.source.sheet,
                    row=person.source.row,
                    column=person.columns.get("position"),
                    header="Chức vụ",
                    value=person.position,
                    name=person.name,
                    staff_id=person.staff_id,
                )
            )
        work = _score_points(person, run, explain_all or (run.explaining and run.explains(person)))
        if matched is not None and work.explain:
            # The inference comes after the points in the explanation, as it always has.
            work.step(
                "Lãnh đạo, quản lý (suy ra)",
                f"{_why_inferred(person)}; chức vụ \"{person.position}\" khớp "
                f"\"{matched}\" trong danh sách chức vụ lãnh đạo của quy chế → thuộc nhóm "
                f"{MANAGER_LABEL}.",
                BASIS_REGULATION + " (cap.infer_manager_from_position)",
            )
        _apply_overrides(work, run)
        works.append(work)

    works = _listing_order(works, name_order)
    cap_groups = _apply_caps(works, run, report)
    people_t = _results(works, run)
    return ScoreResult(
        period=period,
        regulation=regulation,
        criteria=tuple(criteria),
        criteria_source=dataset.criteria_source,
        people=people_t,
        departments=department_results(people_t),
        cap_groups=cap_groups,
        report=report,
        inferred_managers=tuple(inferred),
    )


def explain(result: ScoreResult, staff_id: str) -> list[ExplainStep]:
    """How one person's total and rating were reached, step by step (Vietnamese).

    The result must have been scored with this person's steps (``explain_ids`` None, the
    default, or containing ``staff_id``)."""
    return list(find_person(result, staff_id).steps)


def find_person(result: ScoreResult, staff_id: str) -> PersonResult:
    """The person of ``staff_id`` as ``explain_ids`` finds them: the exact ID, else the one
    person with the same match key (" nv001" finds "NV001"). Raises UsageError (exit 2) with
    the closest ID when there is none."""
    wanted = staff_id.strip()
    found = result.person(wanted)
    if found is None:
        matches = [p for p in result.people if key(p.person.staff_id) == key(wanted)]
        found = matches[0] if len(matches) == 1 else None
    if found is None:
        close = suggest(wanted, [p.person.staff_id for p in result.people], cutoff=0.7)
        hint = f" Có phải \"{close}\"?" if close else ""
        raise UsageError(
            f"Không có mã nhân viên \"{staff_id}\" trong kết quả chấm điểm.{hint} Hãy dùng mã ở "
            "cột \"Mã NV\" của bảng điểm."
        )
    return found


def _listing_order(works: list[_Work], name_order: str) -> list[_Work]:
    """People in listing order: it is the order of candidates with equal totals in every output.

    The order of ranking.listing_key: total descending (not-rated people last, among themselves
    by name), then the Vietnamese name order, then the staff ID; people equal on all of these
    stay in input order. Computed as one integer per person — (not rated, place of the total
    among the distinct totals, compact name key of names.name_sort_keys) — so that sorting
    100,000 people compares integers, not tuples of decimals and syllables."""
    names = name_sort_keys([w.person.name for w in works], name_order)
    totals = sorted({w.total for w in works if w.rating is not Rating.NOT_RATED}, reverse=True)
    place = {total: i for i, total in enumerate(totals)}  # equal decimals share a place
    not_rated = len(totals)  # after every rated person; the same for all not-rated people
    name_span = max(names, default=0) + 1
    keys = [
        (not_rated if w.rating is Rating.NOT_RATED else place[w.total]) * name_span + name
        for w, name in zip(works, names, strict=True)
    ]
    # Two stable sorts: by staff ID, then by the key — the staff ID decides only between
    # equal keys, and exact ties keep their input order; _Work objects are never compared.
    order = sorted(range(len(works)), key=lambda i: works[i].person.staff_id)
    order.sort(key=keys.__getitem__)
    return [works[i] for i in order]


# --------------------------------------------------------------------------------------------
# Points, total, band
# --------------------------------------------------------------------------------------------


def _infer_manager(
    person: Person, regulation: Regulation, *, sheet_marks_managers: bool
) -> tuple[Person, str | None]:
    """Infer the manager flag from "Chức vụ" when the setting is on (off by default).

    The "Lãnh đạo" column is the clerk's answer when it was filled in: a sheet whose "Lãnh đạo"
    column marks at least one person is trusted as it is (an unmarked Trưởng khoa there stays
    unmarked). Inference applies only to sheets without that column, or whose column marks
    nobody (left empty); every inferred person is listed (manager-inferred) for checking."""
    cap = regulation.cap
    if not cap.infer_manager_from_position or person.is_manager or sheet_marks_managers:
        return person, None
    matched = match_manager_position(person.position, cap.manager_positions)
    if matched is None:
        return person, None
    return replace(person, is_manager=True, manager_inferred=True), matched


def _why_inferred(person: Person) -> str:
    if "is_manager" in person.columns:
        return (
            f"Cột \"Lãnh đạo\" của sheet {person.source.sheet} không đánh dấu ai (để trống)"
        )
    return f"Sheet {person.source.sheet} không có cột \"Lãnh đạo\""


def _score_points(person: Person, run: _Run, explain: bool) -> _Work:
    """Points, total and band: the arithmetic only; the steps come from _points_steps."""
    rules = run.rules
    as_decimal = run.exact
    known = as_decimal.known
    scores = person.scores
    points: dict[str, float] = {}
    total_points = _NO_POINTS
    for code in rules.codes:
        raw = scores.get(code)
        if raw is None:
            points[code] = 0.0  # an empty cell counts 0
        elif type(raw) is float:
            # float(exact(x)) is x itself (its shortest repr reads back as x). known holds
            # no zero, and a non-zero decimal is true, so `or` only calls on a miss.
            points[code] = raw
            total_points += known.get(raw) or as_decimal(raw)
        else:
            value = as_decimal(raw)
            points[code] = float(value)
            total_points += value

    bonus_counted = min(as_decimal(person.bonus), rules.bonus_cap)
    deduction_counted = as_decimal(person.deduction)
    if rules.deduction_cap is not None and deduction_counted > rules.deduction_cap:
        deduction_counted = rules.deduction_cap
    raw_total = total_points + bonus_counted - deduction_counted
    clamped = min(max(raw_total, rules.total_min), rules.total_max)
    total = clamped.quantize(rules.quantum, rounding=ROUND_HALF_UP)  # round_half_up
    if total >= rules.htxsnv:
        band = Rating.HTXSNV
    elif total >= rules.httnv:
        band = Rating.HTTNV
    elif total >= rules.htnv:
        band = Rating.HTNV
    else:
        band = Rating.KHTNV
    # Positional (person, points, criteria_sum, bonus_counted, deduction_counted, total, band,
    # rating, group, explain): the keyword form costs more than the arithmetic above.
    work = _Work(
        person, points, total_points, bonus_counted, deduction_counted, total, band, band,
        run.groups.get((person.is_manager, person.peer_group, person.department))
        or run.group(person),
        explain,
    )
    if explain:
        _points_steps(work, rules)
    return work


def _points_steps(w: _Work, rules: _Rules) -> None:
    """The explanation of _score_points, from the same numbers."""
    person = w.person
    for c, max_text in zip(rules.criteria, rules.max_texts, strict=True):
        raw = person.scores.get(c.code)
        if raw is None:
            detail = f"{c.name}: để trống, tính 0/{max_text} điểm."
        else:
            level = person.score_levels.get(c.code)
            where = f" ({_LEVEL_LABELS.get(level) or level.label})" if level is not None else ""
            # format_points converts exactly itself (and remembers the few values a sheet has).
            detail = f"{c.name}: {format_points(raw)}/{max_text} điểm{where}."
        w.step(f"Tiêu chí {c.code}", detail, BASIS_REGULATION)
    w.step(
        "Tổng điểm tiêu chí",
        f"Cộng {len(rules.criteria)} tiêu chí: {format_points(w.criteria_sum)} điểm "
        f"(tối đa {format_points(rules.max_sum)}).",
        BASIS_REGULATION,
    )

    bonus = exact(person.bonus)
    if bonus > rules.bonus_cap:
        detail = (
            f"Ghi {format_points(bonus)} điểm, vượt mức tối đa {format_points(rules.bonus_cap)} "
            f"của quy chế → tính {format_points(w.bonus_counted)} điểm."
        )
    else:
        detail = (
            f"{format_points(bonus)} điểm (tối đa {format_points(rules.bonus_cap)}) → tính "
            f"{format_points(w.bonus_counted)} điểm."
        )
    w.step("Điểm cộng", detail, BASIS_REGULATION + " (scoring.bonus_cap)")

    deduction = exact(person.deduction)
    if rules.deduction_cap is not None and deduction > rules.deduction_cap:
        detail = (
            f"Ghi {format_points(deduction)} điểm, vượt mức tối đa "
            f"{format_points(w.deduction_counted)} → trừ {format_points(w.deduction_counted)} "
            "điểm."
        )
    else:
        limit = (
            "không giới hạn" if rules.deduction_cap is None
            else f"tối đa {format_points(rules.deduction_cap)}"
        )
        detail = f"Trừ {format_points(deduction)} điểm ({limit})."
    w.step("Điểm trừ", detail, BASIS_REGULATION + " (scoring.deduction_cap)")

    raw_total = w.criteria_sum + w.bonus_counted - w.deduction_counted
    low, high = rules.total_min, rules.total_max
    clamped = min(max(raw_total, low), high)
    detail = (
        f"{format_points(w.criteria_sum)} + {format_points(w.bonus_counted)} − "
        f"{format_points(w.deduction_counted)} = {format_points(raw_total)}"
    )
    if clamped != raw_total:
        detail += (
            f"; giới hạn trong khoảng {format_points(low)}–{format_points(high)} → "
            f"{format_points(clamped)}"
        )
    if w.total != clamped:
        detail += f"; làm tròn {rules.decimals} chữ số thập phân → {format_points(w.total)}"
    w.step("Tổng điểm", detail + ".", BASIS_REGULATION + " (scoring)")
    w.step("Xếp loại theo điểm", _band_detail(w.total, w.band, rules), BASIS_BANDS)


def _band_detail(total: Decimal, rating: Rating, rules: _Rules) -> str:
    x, t, n = rules.htxsnv, rules.httnv, rules.htnv
    shown = format_points(total)
    if rating is Rating.HTXSNV:
        why = f"{shown} ≥ {format_points(x)}"
    elif rating is Rating.HTTNV:
        why = f"{format_points(t)} ≤ {shown} < {format_points(x)}"
    elif rating is Rating.HTNV:
        why = f"{format_points(n)} ≤ {shown} < {format_points(t)}"
    else:
        why = f"{shown} < {format_points(n)}"
    return f"{why} → {rating.value} ({rating.label}). {rules.thresholds}"


# --------------------------------------------------------------------------------------------
# Overrides
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _frac(value: float) -> Fraction:
    """The exact fraction of a setting or a day count (cached: the same few values recur)."""
    return Fraction(exact(value))


@lru_cache(maxsize=4096)
def _working_days(period: Period, overrides: Overrides, since: date | None) -> int:
    if period.kind is PeriodKind.YEAR:
        # The year counts months of time worked: public holidays are paid days and never
        # reduce it (decisions.md 2026-12-07), so no holiday is taken out here.
        return period.working_days(since=since)
    # A quarter or month: its working days are Monday–Friday minus public holidays and the
    # regulation's swaps (Bộ luật Lao động 2019 Điều 112; core/workdays.py).
    return workdays.working_days(period, overrides, since)


def _days(value: Fraction) -> str:
    return format_points(round_half_up(Decimal(value.numerator) / value.denominator, 2))


def _apply_overrides(w: _Work, run: _Run) -> None:
    ov = run.ov
    p = w.person
    discipline = p.discipline
    disciplined = discipline is not None and ov.discipline_forces_khtnv
    if discipline is not None:
        if ov.discipline_forces_khtnv:
            w.rating = Rating.KHTNV
            w.note(f"Bị kỷ luật ({discipline.label}) trong kỳ: xếp KHTNV", "discipline")
            if w.explain:
                w.step(
                    "Ghi đè: kỷ luật",
                    f"Bị kỷ luật ({discipline.label}) trong kỳ → xếp KHTNV "
                    f"({Rating.KHTNV.label}) dù điểm là {format_points(w.total)}.",
                    BASIS_DISCIPLINE,
                )
        elif w.explain:
            w.step(
                "Kỷ luật",
                f"Bị kỷ luật ({discipline.label}) nhưng quy chế không buộc xếp KHTNV "
                "(overrides.discipline_forces_khtnv = false); giữ xếp loại theo điểm.",
                BASIS_REGULATION,
            )

    # Time worked. Maternity counts as worked: only the leave days are subtracted.
    time = run.time(p.works_since, p.leave_days)
    if not time.too_little:
        if w.explain:
            measure, compare, _, basis = _time_texts(p, time, run)
            w.step("Thời gian làm việc", f"{measure} {compare}: đủ để xếp loại.", basis)
    elif disciplined:
        measure, compare, short, basis = _time_texts(p, time, run)
        w.note(f"{short} nhưng bị kỷ luật: vẫn xếp KHTNV")
        if w.explain:
            w.step(
                "Thời gian làm việc",
                f"{measure} {compare}: không đủ để xếp loại, nhưng người bị kỷ luật vẫn xếp "
                "KHTNV (kỷ luật được xét trước).",
                basis,
            )
    else:
        measure, compare, short, basis = _time_texts(p, time, run)
        w.rating = Rating.NOT_RATED
        w.note(f"{short}: không xếp loại", "not-worked-enough")
        if w.explain:
            w.step(
                "Ghi đè: không xếp loại",
                f"{measure} {compare} → {Rating.NOT_RATED.label}.",
                basis,
            )

    if run.is_year and p.leave_days and w.rating in _RATED:
        _apply_absence(w, run)
    if w.rating is Rating.HTXSNV and (p.tasks_done is not None or p.tasks_exceeded is not None):
        _apply_tasks(w, run)


def _apply_tasks(w: _Work, run: _Run) -> None:
    """HTXSNV also needs the shares of tasks done and exceeded the sheet carries (QĐ 366-QĐ/TW
    Điều 11); short of either, the rating is HTTNV (before the cap: not a candidate)."""
    b, p = run.regulation.bands, w.person
    checks = []
    if p.tasks_done is not None:
        checks.append((exact(p.tasks_done) >= exact(b.htxsnv_tasks_done),
                       f"hoàn thành {format_points(p.tasks_done)}% nhiệm vụ (cần "
                       f"{format_points(b.htxsnv_tasks_done)}%)"))
    if p.tasks_exceeded is not None:
        checks.append((exact(p.tasks_exceeded) >= exact(b.htxsnv_tasks_exceeded),
                       f"vượt mức {format_points(p.tasks_exceeded)}% nhiệm vụ (cần từ "
                       f"{format_points(b.htxsnv_tasks_exceeded)}%)"))
    detail = "; ".join(text for _, text in checks)
    if all(ok for ok, _ in checks):
        if w.explain:
            w.step("Nhiệm vụ (HTXSNV)", f"{detail[:1].upper()}{detail[1:]}: đủ điều kiện HTXSNV.",
                   BASIS_TASKS)
        return
    short = "; ".join(text for ok, text in checks if not ok)
    w.rating = Rating.HTTNV
    w.note(f"Điểm đạt HTXSNV nhưng {short}: xếp HTTNV", "tasks")
    if w.explain:
        w.step("Ghi đè: nhiệm vụ", f"Điểm đạt HTXSNV; {detail} → HTTNV "
               f"({Rating.HTTNV.label}).", BASIS_TASKS)


def _time_texts(p: Person, time: _Time, run: _Run) -> tuple[str, str, str, str]:
    """(measure, comparison, short note, basis) of the time-worked rule, in Vietnamese."""
    ov, period = run.ov, run.period
    since = ""
    start = p.works_since
    if start is not None and start > period.start:
        what = "ngày tuyển dụng" if start == p.recruited_on else "ngày hợp đồng (làm việc liên tục)"
        since = f" tính từ {what} {start:%d/%m/%Y}"
    maternity = ""
    if p.maternity_days:
        maternity = (
            f"; nghỉ thai sản {format_points(p.maternity_days)} ngày được tính là thời gian "
            "làm việc"
        )
    if p.injury_days or p.training_days:
        # Recorded apart from "Số ngày nghỉ": counted as worked (TT 01/2024/TT-BNV).
        maternity += (
            f"; điều trị thương (cứu người, chiến đấu) {format_points(p.injury_days)} ngày, đi "
            f"học từ 1 năm {format_points(p.training_days)} ngày được tính là thời gian làm việc"
        )
    holidays = ""
    if not run.is_year:
        # Say which weekdays the calendar removed (Bộ luật Lao động 2019 Điều 112).
        first = max(period.start, start) if start else period.start
        off = [d for d, _ in workdays.removed(period, ov) if d >= first]
        if off:
            holidays = (f" (đã trừ {len(off)} ngày nghỉ lễ, Tết: "
                        f"{', '.join(f'{d:%d/%m}' for d in off)}; {workdays.BASIS})")
    basics = (
        f"{period.label} có {time.available} ngày làm việc{since}{holidays}; nghỉ (không kể "
        f"thai sản) {format_points(p.leave_days)} ngày{maternity}"
    )
    sign = "<" if time.too_little else "≥"
    if run.is_year:
        months = time.measure
        measure = (
            f"{basics} → làm việc {_days(time.worked)} ngày = {_days(months)} tháng "
            f"({format_points(ov.working_days_per_month)} ngày/tháng)"
        )
        compare = f"{sign} {format_points(ov.min_months_worked_year)} tháng"
        short = (
            f"Làm việc {_days(months)} tháng trong năm (dưới "
            f"{format_points(ov.min_months_worked_year)} tháng)"
        )
        return measure, compare, short, BASIS_WORKED_YEAR
    full = run.full_days
    measure = f"{basics} → làm việc {_days(time.worked)} ngày"
    compare = (
        f"{sign} {format_percent(ov.min_share_worked_period)} × "
        f"{full} = {_days(run.needed_days)} ngày"
    )
    short = (
        f"Làm việc {_days(time.worked)}/{full} ngày của {_KIND_LABEL[period.kind]} (dưới "
        f"{format_points(exact(ov.min_share_worked_period) * 100)}%)"
    )
    return measure, compare, short, BASIS_WORKED_PERIOD


def _apply_absence(w: _Work, run: _Run) -> None:
    """Year only: absent (leave, not maternity) ≥ 3 and < 6 months → at most HTNV."""
    ov: Overrides = run.ov
    p = w.person
    absence = run.absence(p.leave_days)
    if not absence.in_window and not w.explain:
        return
    measure = (
        f"Nghỉ {format_points(p.leave_days)} ngày làm việc (không kể thai sản) = "
        f"{_days(absence.months)} tháng"
    )
    window = (
        f"từ {format_points(ov.absence_months_cap_low)} đến dưới "
        f"{format_points(ov.absence_months_cap_high)} tháng"
    )
    if not absence.in_window:
        w.step("Nghỉ dài ngày", f"{measure}: không thuộc diện {window}.", BASIS_ABSENCE)
    elif w.rating in _ABOVE_HTNV:
        before = w.rating
        w.rating = Rating.HTNV
        w.note(
            f"Nghỉ {_days(absence.months)} tháng trong năm ({window}): tối đa HTNV", "absence"
        )
        if w.explain:
            w.step(
                "Ghi đè: nghỉ dài ngày",
                f"{measure}, {window} → tối đa HTNV: {before.value} hạ xuống HTNV.",
                BASIS_ABSENCE,
            )
    elif w.explain:
        w.step(
            "Nghỉ dài ngày",
            f"{measure}, {window} → tối đa HTNV; xếp loại {w.rating.value} không đổi.",
            BASIS_ABSENCE,
        )


# --------------------------------------------------------------------------------------------
# The cap
# --------------------------------------------------------------------------------------------


def _apply_caps(works: list[_Work], run: _Run, report: Report) -> tuple[CapGroup, ...]:
    regulation, period = run.regulation, run.period
    cap = regulation.cap
    if not cap.enabled_for(period.kind):
        for w in works:
            if w.explain and w.rating is Rating.HTXSNV:
                w.step(
                    "Trần HTXSNV",
                    f"Quy chế không áp trần HTXSNV cho kỳ {_KIND_LABEL[period.kind]}: giữ HTXSNV.",
                    BASIS_REGULATION,
                )
        return ()

    rate = cap_rate(cap, regulation.organisation)
    pct = format_percent(rate)
    counted = denominator_ratings(cap.denominator)
    groups: dict[tuple[str, ...], list[_Work]] = {}
    for w in works:  # already in listing order
        members = groups.get(w.group.ident)
        if members is None:
            members = groups[w.group.ident] = []
        members.append(w)
    ordered = sorted(
        groups.values(),
        key=lambda ms: (ms[0].group.ident[0] != "manager", vietnamese_key(ms[0].group.label),
                        ms[0].group.ident),
    )
    results: list[CapGroup] = []
    for members in ordered:
        label = members[0].group.label
        # One pass: the denominator counts the whole group, only HTXSNV people are candidates.
        denominator = 0
        candidates: list[CapEntry] = []
        for w in members:
            if w.rating in counted:
                denominator += 1
            if w.rating is Rating.HTXSNV:
                candidates.append(CapEntry(w.person.staff_id, w.total, w.rating))
        group = cap_candidates(label, candidates, denominator, rate)
        results.append(group)
        if group.pending or group.demoted or (run.explaining and any(w.explain for w in members)):
            _cap_outcome(members, group, pct, run)
        if group.pending:
            report.add(
                make_issue(
                    "cap-tie",
                    group=label,
                    slots=group.slots_left_for_tie,
                    count=len(group.pending),
                    total=format_points(group.cutoff_total)
                    if group.cutoff_total is not None else "",
                    ids=", ".join(group.pending),
                )
            )
    return tuple(results)


def _cap_outcome(members: list[_Work], group: CapGroup, pct: str, run: _Run) -> None:
    """Ratings, reasons, notes (and steps, when explained) of one peer group after the cap."""
    regulation = run.regulation
    label = group.key
    candidate_ids = set(group.candidates)
    pending = set(group.pending)
    demoted = set(group.demoted)
    cutoff = format_points(group.cutoff_total) if group.cutoff_total is not None else ""
    head = ""
    candidate_ranks: dict[str, int | None] = {}
    if run.explaining and any(w.explain for w in members):
        totals = {w.person.staff_id: w.total for w in members}
        candidate_ranks = competition_ranks((sid, totals[sid]) for sid in group.candidates)
        rate_basis = (
            f"tỷ lệ {pct}" + (" (đơn vị có thành tích xuất sắc)"
                              if regulation.organisation.exceptional_unit else "")
        )
        head = (
            f"Nhóm \"{label}\": mẫu số {group.denominator} "
            f"({DENOMINATOR_LABELS[regulation.cap.denominator]}), "
            f"{rate_basis} → {group.slots} suất; {len(group.candidates)} ứng viên HTXSNV"
        )
    for w in members:
        sid = w.person.staff_id
        if sid not in candidate_ids:
            if w.explain:
                w.step(
                    "Trần HTXSNV",
                    f"{head}. Không phải ứng viên HTXSNV (xếp loại trước khi áp trần: "
                    f"{w.rating.value}), không bị ảnh hưởng.",
                    CAP_BASIS,
                )
            continue
        place = ""
        if w.explain:
            place = (
                f"đứng thứ {candidate_ranks[sid]} trong các ứng viên ({format_points(w.total)} "
                "điểm)"
            )
        if sid in pending:
            w.rating = Rating.PENDING_COUNCIL
            w.note(
                f"Bằng điểm ở ngưỡng trần {pct} HTXSNV của nhóm {label}: còn "
                f"{group.slots_left_for_tie} suất cho {len(group.pending)} người cùng "
                f"{cutoff} điểm; chờ Hội đồng xét",
                "cap-tie",
            )
            if w.explain:
                w.step(
                    "Trần HTXSNV",
                    f"{head}; {place}, bằng điểm ngưỡng {cutoff} với {len(group.pending)} "
                    f"người nhưng chỉ còn {group.slots_left_for_tie} suất → "
                    f"{Rating.PENDING_COUNCIL.label} (không phân định bằng tên, mã hay thứ tự).",
                    CAP_BASIS,
                )
        elif sid in demoted:
            w.rating = Rating.HTTNV
            w.note(f"Vượt trần {pct} HTXSNV của nhóm {label}: xếp HTTNV", "cap")
            if w.explain:
                why = "không còn suất" if group.slots == 0 else f"dưới ngưỡng {cutoff} điểm"
                w.step("Trần HTXSNV", f"{head}; {place}, {why} → xếp HTTNV.", CAP_BASIS)
        elif w.explain:
            w.step("Trần HTXSNV", f"{head}; {place} → giữ HTXSNV.", CAP_BASIS)


# --------------------------------------------------------------------------------------------
# Ranks and the last step
# --------------------------------------------------------------------------------------------


def _results(works: list[_Work], run: _Run) -> tuple[PersonResult, ...]:
    """Ranks, the last explanation step and the PersonResult of everyone, in one pass.

    Competition ranks (1, 2, 2, 4) by total, hospital-wide and per department; not-rated
    people have none. ``works`` is in listing order — every rated person before the not-rated,
    totals descending — so equal totals are neighbours and counting positions gives the ranks
    (the same numbers as competition_ranks, without sorting 100,000 totals again). One pass,
    not two: at this size each pass over the people costs more in memory reads than in work."""
    position, previous, rank = 0, None, 0  # the hospital's count
    departments: dict[str, list] = {}  # department key → [position, previous total, rank]
    department_keys = run.department_keys
    people = []
    for w in works:
        if w.rating is not Rating.NOT_RATED:  # else no rank
            total = w.total
            position += 1
            if total != previous:  # the first of a run of equal totals takes its position
                rank, previous = position, total
            w.rank_hospital = rank
            dept = department_keys.get(w.person.department)
            if dept is None:
                dept = run.department_key(w.person.department)
            state = departments.get(dept)
            if state is None:
                state = departments[dept] = [0, None, 0]
            state[0] += 1
            if total != state[1]:
                state[1], state[2] = total, state[0]
            w.rank_department = state[2]
        if w.explain:
            _final_step(w)
        # Positional, in the order of PersonResult's fields (test_scoring checks that order):
        # matching 14 keyword names costs a microsecond per person, 0.1 s per 100,000.
        people.append(
            PersonResult(
                w.person,
                w.points,
                float(w.criteria_sum),
                float(w.bonus_counted),
                float(w.deduction_counted),
                float(w.total),
                w.band,
                w.rating,
                w.notes,
                w.reasons,
                w.group.label,
                w.rank_department,
                w.rank_hospital,
                tuple(w.steps) if w.steps else (),
            )
        )
    return tuple(people)


def _final_step(w: _Work) -> None:
    rank_h, rank_d = w.rank_hospital, w.rank_department
    rating = w.rating
    text = f"{rating.label} ({rating.value})"
    if rating.grade:
        text += f", loại {rating.grade}"
    if rank_h is None:
        text += "; không xếp hạng (không được xếp loại)."
    else:
        text += f"; hạng {rank_h} toàn viện, hạng {rank_d} trong {w.person.department}."
    w.step("Kết quả", text)
