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
``thidua score --explain MÃ_NV``; :func:`explain` returns them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from thidua_cli.core.caps import (
    CAP_BASIS,
    DENOMINATOR_LABELS,
    MANAGER_LABEL,
    CapEntry,
    PeerGroup,
    apply_cap,
    cap_rate,
    check_cap_rules,
    match_manager_position,
    peer_group_of,
)
from thidua_cli.core.departments import department_results
from thidua_cli.core.names import vietnamese_key
from thidua_cli.core.ranking import (
    competition_ranks,
    exact,
    format_percent,
    format_points,
    listing_key,
    round_half_up,
)
from thidua_cli.core.vntext import key, suggest
from thidua_cli.errors import InvalidDataError, PeriodRequiredError, UsageError
from thidua_cli.issues import make_issue
from thidua_cli.model import (
    CapGroup,
    Criterion,
    Dataset,
    ExplainStep,
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
BASIS_WORKED_PERIOD = "Quy chế của đơn vị: làm việc dưới một nửa số ngày làm việc của kỳ"
BASIS_ABSENCE = (
    "NĐ 90/2020/NĐ-CP sửa đổi bởi NĐ 48/2023/NĐ-CP: nghỉ từ 3 đến dưới 6 tháng thì không được "
    "xếp HTTNV trở lên"
)

_KIND_LABEL = {PeriodKind.YEAR: "năm", PeriodKind.QUARTER: "quý", PeriodKind.MONTH: "tháng"}


@dataclass
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
    notes: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    steps: list[ExplainStep] = field(default_factory=list)

    def step(self, rule: str, detail: str, basis: str = "") -> None:
        self.steps.append(ExplainStep(rule, detail, basis))


@dataclass(frozen=True)
class _Rules:
    """The regulation's numbers as exact decimals, and texts built once per run."""

    criteria: tuple[Criterion, ...]
    max_texts: tuple[str, ...]  # each criterion's maximum, formatted
    max_sum: Decimal
    bonus_cap: Decimal
    deduction_cap: Decimal | None
    total_min: Decimal
    total_max: Decimal
    decimals: int
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
            max_texts=tuple(format_points(c.max_points) for c in criteria),
            max_sum=sum((exact(c.max_points) for c in criteria), Decimal(0)),
            bonus_cap=exact(sc.bonus_cap),
            deduction_cap=None if sc.deduction_cap is None else exact(sc.deduction_cap),
            total_min=exact(sc.total_min),
            total_max=exact(sc.total_max),
            decimals=sc.decimals,
            htxsnv=x,
            httnv=t,
            htnv=n,
            thresholds=(
                f"Ngưỡng: HTXSNV ≥ {format_points(x)}; HTTNV ≥ {format_points(t)}; "
                f"HTNV ≥ {format_points(n)}; dưới {format_points(n)} là KHTNV."
            ),
        )


# --------------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------------


def score_dataset(
    dataset: Dataset,
    regulation: Regulation,
    period: Period | None,
    *,
    name_order: str = "ten-ho-dem",
) -> ScoreResult:
    """Score every person of ``dataset`` under ``regulation`` for ``period``.

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
    rules = _Rules.of(regulation, criteria)

    works: list[_Work] = []
    inferred: list[str] = []
    marking_sheets = {
        (p.source.file, p.source.sheet) for p in dataset.people if p.is_manager
    }
    for person in dataset.people:
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
        work = _score_points(person, rules, regulation)
        if matched is not None:
            work.step(
                "Lãnh đạo, quản lý (suy ra)",
                f"{_why_inferred(person)}; chức vụ \"{person.position}\" khớp "
                f"\"{matched}\" trong danh sách chức vụ lãnh đạo của quy chế → thuộc nhóm "
                f"{MANAGER_LABEL}.",
                BASIS_REGULATION + " (cap.infer_manager_from_position)",
            )
        _apply_overrides(work, regulation, period)
        works.append(work)

    # Listing order first: it is the order of candidates with equal totals in every output.
    works.sort(
        key=lambda w: listing_key(
            None if w.rating is Rating.NOT_RATED else w.total,
            w.person.name,
            w.person.staff_id,
            name_order=name_order,
        )
    )
    cap_groups = _apply_caps(works, regulation, period, report)
    ranks_h, ranks_d = _ranks(works)

    people = []
    for w in works:
        rank_h, rank_d = ranks_h[id(w)], ranks_d[id(w)]
        _final_step(w, rank_h, rank_d)
        people.append(
            PersonResult(
                person=w.person,
                points=w.points,
                criteria_sum=float(w.criteria_sum),
                bonus_counted=float(w.bonus_counted),
                deduction_counted=float(w.deduction_counted),
                total=float(w.total),
                band=w.band,
                rating=w.rating,
                notes=tuple(w.notes),
                reasons=tuple(w.reasons),
                peer_group=w.group.label,
                rank_department=rank_d,
                rank_hospital=rank_h,
                steps=tuple(w.steps),
            )
        )
    people_t = tuple(people)
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
    """How one person's total and rating were reached, step by step (Vietnamese)."""
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
    return list(found.steps)


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


def _score_points(person: Person, rules: _Rules, regulation: Regulation) -> _Work:
    points: dict[str, float] = {}
    total_points = Decimal(0)
    steps: list[ExplainStep] = []
    for c, max_text in zip(rules.criteria, rules.max_texts, strict=True):
        raw = person.scores.get(c.code)
        if raw is None:
            value = Decimal(0)
            detail = f"{c.name}: để trống, tính 0/{max_text} điểm."
        else:
            value = exact(raw)
            level = person.score_levels.get(c.code)
            where = f" ({level.label})" if level is not None else ""
            detail = f"{c.name}: {format_points(value)}/{max_text} điểm{where}."
        points[c.code] = float(value)
        total_points += value
        steps.append(ExplainStep(f"Tiêu chí {c.code}", detail, BASIS_REGULATION))
    steps.append(
        ExplainStep(
            "Tổng điểm tiêu chí",
            f"Cộng {len(rules.criteria)} tiêu chí: {format_points(total_points)} điểm "
            f"(tối đa {format_points(rules.max_sum)}).",
            BASIS_REGULATION,
        )
    )

    bonus = exact(person.bonus)
    bonus_counted = min(bonus, rules.bonus_cap)
    if bonus > rules.bonus_cap:
        detail = (
            f"Ghi {format_points(bonus)} điểm, vượt mức tối đa {format_points(rules.bonus_cap)} "
            f"của quy chế → tính {format_points(bonus_counted)} điểm."
        )
    else:
        detail = (
            f"{format_points(bonus)} điểm (tối đa {format_points(rules.bonus_cap)}) → tính "
            f"{format_points(bonus_counted)} điểm."
        )
    steps.append(ExplainStep("Điểm cộng", detail, BASIS_REGULATION + " (scoring.bonus_cap)"))

    deduction = exact(person.deduction)
    if rules.deduction_cap is not None and deduction > rules.deduction_cap:
        deduction_counted = rules.deduction_cap
        detail = (
            f"Ghi {format_points(deduction)} điểm, vượt mức tối đa "
            f"{format_points(deduction_counted)} → trừ {format_points(deduction_counted)} điểm."
        )
    else:
        deduction_counted = deduction
        limit = (
            "không giới hạn" if rules.deduction_cap is None
            else f"tối đa {format_points(rules.deduction_cap)}"
        )
        detail = f"Trừ {format_points(deduction)} điểm ({limit})."
    steps.append(ExplainStep("Điểm trừ", detail, BASIS_REGULATION + " (scoring.deduction_cap)"))

    raw_total = total_points + bonus_counted - deduction_counted
    low, high = rules.total_min, rules.total_max
    clamped = min(max(raw_total, low), high)
    total = round_half_up(clamped, rules.decimals)
    detail = (
        f"{format_points(total_points)} + {format_points(bonus_counted)} − "
        f"{format_points(deduction_counted)} = {format_points(raw_total)}"
    )
    if clamped != raw_total:
        detail += (
            f"; giới hạn trong khoảng {format_points(low)}–{format_points(high)} → "
            f"{format_points(clamped)}"
        )
    if total != clamped:
        detail += f"; làm tròn {rules.decimals} chữ số thập phân → {format_points(total)}"
    steps.append(ExplainStep("Tổng điểm", detail + ".", BASIS_REGULATION + " (scoring)"))

    band, band_detail = _band(total, rules)
    steps.append(ExplainStep("Xếp loại theo điểm", band_detail, BASIS_BANDS))
    return _Work(
        person=person,
        points=points,
        criteria_sum=total_points,
        bonus_counted=bonus_counted,
        deduction_counted=deduction_counted,
        total=total,
        band=band,
        rating=band,
        group=peer_group_of(
            regulation.cap,
            is_manager=person.is_manager,
            peer_group=person.peer_group,
            department=person.department,
        ),
        steps=steps,
    )


def _band(total: Decimal, rules: _Rules) -> tuple[Rating, str]:
    x, t, n = rules.htxsnv, rules.httnv, rules.htnv
    shown = format_points(total)
    if total >= x:
        rating, why = Rating.HTXSNV, f"{shown} ≥ {format_points(x)}"
    elif total >= t:
        rating, why = Rating.HTTNV, f"{format_points(t)} ≤ {shown} < {format_points(x)}"
    elif total >= n:
        rating, why = Rating.HTNV, f"{format_points(n)} ≤ {shown} < {format_points(t)}"
    else:
        rating, why = Rating.KHTNV, f"{shown} < {format_points(n)}"
    return rating, f"{why} → {rating.value} ({rating.label}). {rules.thresholds}"


# --------------------------------------------------------------------------------------------
# Overrides
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _frac(value: float) -> Fraction:
    """The exact fraction of a setting or a day count (cached: the same few values recur)."""
    return Fraction(exact(value))


@lru_cache(maxsize=4096)
def _working_days(period: Period, since: date | None) -> int:
    return period.working_days(since=since)


def _days(value: Fraction) -> str:
    return format_points(round_half_up(Decimal(value.numerator) / value.denominator, 2))


def _apply_overrides(w: _Work, regulation: Regulation, period: Period) -> None:
    ov = regulation.overrides
    p = w.person
    disciplined = p.discipline is not None and ov.discipline_forces_khtnv
    if p.discipline is not None:
        if ov.discipline_forces_khtnv:
            w.rating = Rating.KHTNV
            w.reasons.append("discipline")
            w.notes.append(f"Bị kỷ luật ({p.discipline.label}) trong kỳ: xếp KHTNV")
            w.step(
                "Ghi đè: kỷ luật",
                f"Bị kỷ luật ({p.discipline.label}) trong kỳ → xếp KHTNV "
                f"({Rating.KHTNV.label}) dù điểm là {format_points(w.total)}.",
                BASIS_DISCIPLINE,
            )
        else:
            w.step(
                "Kỷ luật",
                f"Bị kỷ luật ({p.discipline.label}) nhưng quy chế không buộc xếp KHTNV "
                "(overrides.discipline_forces_khtnv = false); giữ xếp loại theo điểm.",
                BASIS_REGULATION,
            )

    # Time worked. Maternity counts as worked: only the leave days are subtracted.
    wdpm = _frac(ov.working_days_per_month)
    leave = _frac(p.leave_days)
    available = _working_days(period, p.recruited_on)
    worked = max(Fraction(available) - leave, Fraction(0))
    since = ""
    if p.recruited_on is not None and p.recruited_on > period.start:
        since = f" tính từ ngày tuyển dụng {p.recruited_on:%d/%m/%Y}"
    maternity = ""
    if p.maternity_days:
        maternity = (
            f"; nghỉ thai sản {format_points(p.maternity_days)} ngày được tính là thời gian "
            "làm việc"
        )
    basics = (
        f"{period.label} có {available} ngày làm việc{since}; nghỉ (không kể thai sản) "
        f"{format_points(p.leave_days)} ngày{maternity}"
    )
    if period.kind is PeriodKind.YEAR:
        months = worked / wdpm
        minimum = _frac(ov.min_months_worked_year)
        too_little = months < minimum
        measure = (
            f"{basics} → làm việc {_days(worked)} ngày = {_days(months)} tháng "
            f"({format_points(ov.working_days_per_month)} ngày/tháng)"
        )
        compare = f"{'<' if too_little else '≥'} {format_points(ov.min_months_worked_year)} tháng"
        basis = BASIS_WORKED_YEAR
        short = f"Làm việc {_days(months)} tháng trong năm (dưới " \
                f"{format_points(ov.min_months_worked_year)} tháng)"
    else:
        share = _frac(ov.min_share_worked_period)
        full = _working_days(period, None)
        needed = share * full
        too_little = worked < needed
        measure = f"{basics} → làm việc {_days(worked)} ngày"
        compare = (
            f"{'<' if too_little else '≥'} {format_percent(ov.min_share_worked_period)} × "
            f"{full} = {_days(needed)} ngày"
        )
        basis = BASIS_WORKED_PERIOD
        short = (
            f"Làm việc {_days(worked)}/{full} ngày của {_KIND_LABEL[period.kind]} (dưới "
            f"{format_points(exact(ov.min_share_worked_period) * 100)}%)"
        )
    if not too_little:
        w.step("Thời gian làm việc", f"{measure} {compare}: đủ để xếp loại.", basis)
    elif disciplined:
        w.notes.append(f"{short} nhưng bị kỷ luật: vẫn xếp KHTNV")
        w.step(
            "Thời gian làm việc",
            f"{measure} {compare}: không đủ để xếp loại, nhưng người bị kỷ luật vẫn xếp KHTNV "
            "(kỷ luật được xét trước).",
            basis,
        )
    else:
        w.rating = Rating.NOT_RATED
        w.reasons.append("not-worked-enough")
        w.notes.append(f"{short}: không xếp loại")
        w.step(
            "Ghi đè: không xếp loại",
            f"{measure} {compare} → {Rating.NOT_RATED.label}.",
            basis,
        )

    if period.kind is PeriodKind.YEAR and p.leave_days and w.rating.is_rated:
        absent = leave / wdpm
        low = _frac(ov.absence_months_cap_low)
        high = _frac(ov.absence_months_cap_high)
        measure = (
            f"Nghỉ {format_points(p.leave_days)} ngày làm việc (không kể thai sản) = "
            f"{_days(absent)} tháng"
        )
        window = (
            f"từ {format_points(ov.absence_months_cap_low)} đến dưới "
            f"{format_points(ov.absence_months_cap_high)} tháng"
        )
        if low <= absent < high:
            if w.rating.level > Rating.HTNV.level:
                before = w.rating
                w.rating = Rating.HTNV
                w.reasons.append("absence")
                w.notes.append(f"Nghỉ {_days(absent)} tháng trong năm ({window}): tối đa HTNV")
                w.step(
                    "Ghi đè: nghỉ dài ngày",
                    f"{measure}, {window} → tối đa HTNV: {before.value} hạ xuống HTNV.",
                    BASIS_ABSENCE,
                )
            else:
                w.step(
                    "Nghỉ dài ngày",
                    f"{measure}, {window} → tối đa HTNV; xếp loại {w.rating.value} không đổi.",
                    BASIS_ABSENCE,
                )
        else:
            w.step("Nghỉ dài ngày", f"{measure}: không thuộc diện {window}.", BASIS_ABSENCE)


# --------------------------------------------------------------------------------------------
# The cap
# --------------------------------------------------------------------------------------------


def _apply_caps(
    works: list[_Work], regulation: Regulation, period: Period, report: Report
) -> tuple[CapGroup, ...]:
    cap = regulation.cap
    if not cap.enabled_for(period.kind):
        for w in works:
            if w.rating is Rating.HTXSNV:
                w.step(
                    "Trần HTXSNV",
                    f"Quy chế không áp trần HTXSNV cho kỳ {_KIND_LABEL[period.kind]}: giữ HTXSNV.",
                    BASIS_REGULATION,
                )
        return ()

    rate = cap_rate(cap, regulation.organisation)
    pct = format_percent(rate)
    groups: dict[tuple[str, ...], list[_Work]] = {}
    for w in works:  # already in listing order
        groups.setdefault(w.group.ident, []).append(w)
    ordered = sorted(
        groups.values(),
        key=lambda ms: (ms[0].group.ident[0] != "manager", vietnamese_key(ms[0].group.label),
                        ms[0].group.ident),
    )
    results: list[CapGroup] = []
    for members in ordered:
        label = members[0].group.label
        entries = [CapEntry(w.person.staff_id, w.total, w.rating) for w in members]
        group = apply_cap(label, entries, rate, cap.denominator)
        results.append(group)
        by_id = {w.person.staff_id: w for w in members}
        candidate_ranks = competition_ranks(
            (sid, by_id[sid].total) for sid in group.candidates
        )
        rate_basis = (
            f"tỷ lệ {pct}" + (" (đơn vị có thành tích xuất sắc)"
                              if regulation.organisation.exceptional_unit else "")
        )
        head = (
            f"Nhóm \"{label}\": mẫu số {group.denominator} ({DENOMINATOR_LABELS[cap.denominator]}), "
            f"{rate_basis} → {group.slots} suất; {len(group.candidates)} ứng viên HTXSNV"
        )
        pending = set(group.pending)
        demoted = set(group.demoted)
        cutoff = format_points(group.cutoff_total) if group.cutoff_total is not None else ""
        for w in members:
            sid = w.person.staff_id
            if sid not in candidate_ranks:
                w.step(
                    "Trần HTXSNV",
                    f"{head}. Không phải ứng viên HTXSNV (xếp loại trước khi áp trần: "
                    f"{w.rating.value}), không bị ảnh hưởng.",
                    CAP_BASIS,
                )
                continue
            place = f"đứng thứ {candidate_ranks[sid]} trong các ứng viên ({format_points(w.total)} điểm)"
            if sid in pending:
                w.rating = Rating.PENDING_COUNCIL
                w.reasons.append("cap-tie")
                w.notes.append(
                    f"Bằng điểm ở ngưỡng trần {pct} HTXSNV của nhóm {label}: còn "
                    f"{group.slots_left_for_tie} suất cho {len(group.pending)} người cùng "
                    f"{cutoff} điểm; chờ Hội đồng xét"
                )
                w.step(
                    "Trần HTXSNV",
                    f"{head}; {place}, bằng điểm ngưỡng {cutoff} với {len(group.pending)} người "
                    f"nhưng chỉ còn {group.slots_left_for_tie} suất → {Rating.PENDING_COUNCIL.label}"
                    " (không phân định bằng tên, mã hay thứ tự).",
                    CAP_BASIS,
                )
            elif sid in demoted:
                w.rating = Rating.HTTNV
                w.reasons.append("cap")
                w.notes.append(f"Vượt trần {pct} HTXSNV của nhóm {label}: xếp HTTNV")
                why = "không còn suất" if group.slots == 0 else f"dưới ngưỡng {cutoff} điểm"
                w.step("Trần HTXSNV", f"{head}; {place}, {why} → xếp HTTNV.", CAP_BASIS)
            else:
                w.step("Trần HTXSNV", f"{head}; {place} → giữ HTXSNV.", CAP_BASIS)
        if group.pending:
            report.add(
                make_issue(
                    "cap-tie",
                    group=label,
                    slots=group.slots_left_for_tie,
                    count=len(group.pending),
                    total=cutoff,
                    ids=", ".join(group.pending),
                )
            )
    return tuple(results)


# --------------------------------------------------------------------------------------------
# Ranks and the last step
# --------------------------------------------------------------------------------------------


def _ranks(works: list[_Work]) -> tuple[dict[int, int | None], dict[int, int | None]]:
    def total_of(w: _Work) -> Decimal | None:
        return None if w.rating is Rating.NOT_RATED else w.total

    hospital = competition_ranks((id(w), total_of(w)) for w in works)
    department: dict[int, int | None] = {}
    by_dept: dict[str, list[_Work]] = {}
    for w in works:
        by_dept.setdefault(key(w.person.department), []).append(w)
    for members in by_dept.values():
        department.update(competition_ranks((id(w), total_of(w)) for w in members))
    return hospital, department


def _final_step(w: _Work, rank_h: int | None, rank_d: int | None) -> None:
    rating = w.rating
    text = f"{rating.label} ({rating.value})"
    if rating.grade:
        text += f", loại {rating.grade}"
    if rank_h is None:
        text += "; không xếp hạng (không được xếp loại)."
    else:
        text += f"; hạng {rank_h} toàn viện, hạng {rank_d} trong {w.person.department}."
    w.step("Kết quả", text)
