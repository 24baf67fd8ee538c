"""The year: quarters rolled up into one yearly score, then rated with the scoring core.

Each quarter is scored on its own (``core.scoring.score_dataset``: its rating A/B/C/D feeds the
quarter rules). The year is then a Dataset of its own, scored by the same core so that every
year rule applies exactly once and in one place (overrides of NĐ 90/2020 as amended by
NĐ 48/2023, the HTXSNV cap per peer group with ties to the council):

- the year's points are one criterion "TBQ" (Điểm bình quân các quý) holding the mean of the
  quarter totals (or their weighted mean, ``awards.rollup``); quarters in which the person was
  not rated carry no meaningful total and are left out of the mean, and so are quarters spent
  wholly on maternity leave (the year rests on the time actually worked, NĐ 90/2020 as amended
  by NĐ 48/2023; the days still count as worked);
- leave and maternity days are summed over the quarters (so "worked < 6 months" and "absent
  3 – < 6 months" are judged on the whole year); a discipline in any quarter is a discipline in
  the year (the most severe one counts);
- the person's other facts (department, position, manager flag, group, gender, recruitment date)
  come from the last quarter in which they appear; changes are reported;
- initiatives and research: the largest quarterly count by default (a count copied into every
  quarter's sheet must not be counted four times), or their sum (``rollup.initiatives``).

People missing from a quarter that was given: new staff recruited after that quarter are
explained by their recruitment date; a stated reason ("Lý do vắng", or "Ghi chú" saying mới
tuyển, chuyển đến, nghỉ thai sản, nghỉ không lương) explains it, and their year is the mean of
the quarters they appear in; without a reason the quarter may be a forgotten row, so the person's
year is not computed (an error naming them; the others are still decided). Someone who left
before the period end (a leaving date, or "chuyển đi" and no row in the last quarter) is not
rated here (NĐ 90/2020 Điều 20.1), not counted in the cap and not recorded: listed with the reason.
Pure module.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from thidua_cli.config.sections import RollupSettings
from thidua_cli.core import workdays
from thidua_cli.core.awards_model import LEFT, MISSING_QUARTER, Excluded
from thidua_cli.core.ranking import exact, format_points, round_half_up
from thidua_cli.core.scoring import score_dataset
from thidua_cli.core.vntext import compact
from thidua_cli.errors import UsageError
from thidua_cli.issues import make_issue
from thidua_cli.model import (
    Criterion,
    Dataset,
    Discipline,
    InputFile,
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

YEAR_CRITERION = "TBQ"
YEAR_CRITERION_NAME = "Điểm bình quân các quý"
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def quarter_label(q: int) -> str:
    return f"quý {_ROMAN[q]}"


def quarters_label(qs: Sequence[int]) -> str:
    return ", ".join(quarter_label(q) for q in qs)


@dataclass(frozen=True)
class QuarterMark:
    quarter: int
    total: float
    rating: Rating
    department: str

    @property
    def at_least_b(self) -> bool:
        """Rated A or B (a rating pending the council is HTXSNV or HTTNV either way)."""
        return self.rating is Rating.PENDING_COUNCIL or self.rating.level >= Rating.HTTNV.level


@dataclass(frozen=True)
class YearPerson:
    staff_id: str
    quarters: tuple[QuarterMark, ...]  # quarters the person appears in, in order
    missing: tuple[int, ...]  # given quarters they are absent from, not explained by recruitment
    in_last_quarter: bool
    mean_total: Decimal | None  # None: no rated quarter


@dataclass(frozen=True)
class YearResult:
    year: int
    source: str  # "quarters" | "year"
    quarters_given: tuple[int, ...]
    score: ScoreResult  # the year's scoring: ratings after overrides and the cap
    people: Mapping[str, YearPerson]  # empty for a year workbook
    unrated: tuple[Person, ...]  # people with no rated quarter (not in ``score``): not rated
    report: Report  # roll-up findings + the year scoring's findings
    inputs: tuple[InputFile, ...] = ()
    excluded: tuple[Excluded, ...] = ()  # left, or a missing quarter without a reason

    @property
    def period(self) -> Period:
        return Period(PeriodKind.YEAR, self.year)

    @property
    def last_quarter(self) -> int | None:
        return max(self.quarters_given) if self.quarters_given else None


def year_from_workbook(dataset: Dataset, regulation: Regulation, year: int,
                       explain_ids: Sequence[str] = ()) -> YearResult:
    """A year workbook (the same columns as a quarter): scored directly for the year.
    ``explain_ids``: people whose year rating gets its explanation steps (awards --explain)."""
    period = Period(PeriodKind.YEAR, year)
    score = score_dataset(dataset, regulation, period, explain_ids=tuple(explain_ids))
    report = Report(list(score.report.issues))
    _tasks_note(score, report)
    return YearResult(
        year=year,
        source="year",
        quarters_given=(),
        score=score,
        people={},
        unrated=(),
        report=report,
        inputs=tuple(dataset.inputs),
    )


def rollup_quarters(
    quarters: Sequence[tuple[Period, Dataset]],
    regulation: Regulation,
    settings: RollupSettings,
    explain_ids: Sequence[str] = (),
) -> YearResult:
    """Score each quarter, roll the people up into the year and score the year.
    ``explain_ids``: people whose year rating gets its explanation steps (awards --explain)."""
    if not quarters:
        raise UsageError("Cần ít nhất một bảng điểm quý để tổng hợp năm.")
    years = {p.year for p, _ in quarters}
    if any(p.kind is not PeriodKind.QUARTER for p, _ in quarters) or len(years) != 1:
        shown = ", ".join(p.label for p, _ in quarters)
        raise UsageError(
            f"Các bảng điểm phải là các quý của cùng một năm (đang có: {shown}). Hãy đặt tên tệp "
            "theo kỳ, ví dụ quy-1-2026.xlsx … quy-4-2026.xlsx, hoặc dùng một bảng điểm năm."
        )
    numbers = [p.number for p, _ in quarters]
    if len(set(numbers)) != len(numbers):
        raise UsageError("Mỗi quý chỉ được có một bộ bảng điểm (các tệp cùng quý cần gộp trước).")
    year = years.pop()
    ordered = sorted(quarters, key=lambda pd: pd[0].number or 0)
    report = Report()
    results: list[tuple[int, ScoreResult]] = []
    inputs: list[InputFile] = []
    for period, dataset in ordered:
        assert period.number is not None
        results.append((period.number, score_dataset(dataset, regulation, period, explain_ids=())))
        inputs.extend(dataset.inputs)
    given = tuple(q for q, _ in results)
    absent_quarters = [q for q in (1, 2, 3, 4) if q not in given]
    if absent_quarters:
        report.add(make_issue(
            "year-quarters-missing", value=quarters_label(absent_quarters), year=year,
            given=quarters_label(given),
        ))

    by_person: dict[str, list[tuple[int, PersonResult]]] = {}
    for q, result in results:
        for pr in result.people:
            by_person.setdefault(pr.person.staff_id, []).append((q, pr))

    people: list[Person] = []
    year_people: dict[str, YearPerson] = {}
    unrated: list[Person] = []
    excluded: list[Excluded] = []
    for staff_id, marks in by_person.items():
        person, info, out = _roll_person(staff_id, marks, given, year, settings, report,
                                         regulation.overrides)
        year_people[staff_id] = info
        if out is not None:
            # Not rated here, not in the cap's count, not recorded: listed with the reason.
            excluded.append(out)
            continue
        if info.mean_total is None:
            unrated.append(person)
            continue
        people.append(person)

    total_max = regulation.scoring.total_max
    dataset = Dataset(
        people=people,
        criteria=(Criterion(YEAR_CRITERION, YEAR_CRITERION_NAME, "Tổng hợp năm", float(total_max)),),
        criteria_source=f"bình quân các quý ({quarters_label(given)})",
        report=Report(),
        inputs=inputs,
    )
    score = score_dataset(dataset, regulation, Period(PeriodKind.YEAR, year),
                          explain_ids=tuple(explain_ids))
    report.extend(score.report)
    _tasks_note(score, report)
    return YearResult(
        year=year,
        source="quarters",
        quarters_given=given,
        score=score,
        people=year_people,
        unrated=tuple(unrated),
        report=report,
        inputs=tuple(inputs),
        excluded=tuple(excluded),
    )


def _roll_person(
    staff_id: str,
    marks: list[tuple[int, PersonResult]],
    given: tuple[int, ...],
    year: int,
    settings: RollupSettings,
    report: Report,
    overrides: Overrides,
) -> tuple[Person, YearPerson, Excluded | None]:
    marks.sort(key=lambda m: m[0])
    latest = marks[-1][1].person
    where: dict[str, Any] = {
        "file": latest.source.file, "sheet": latest.source.sheet, "row": latest.source.row,
    }
    present = tuple(q for q, _ in marks)

    # Who is missing from which given quarter, unless recruitment explains it.
    recruited = latest.recruited_on
    missing = []
    for q in given:
        if q in present:
            continue
        if recruited is not None and recruited > Period(PeriodKind.QUARTER, year, q).end:
            continue  # recruited after that quarter: nothing is missing
        missing.append(q)

    # Left before the period end (a leaving date, or a "chuyển đi" reason and no row in the
    # last quarter): the new unit rates them (NĐ 90/2020 Điều 20.1); here they are not rated,
    # not counted in the cap and not recorded.
    left_dates = [pr.person.left_on for _, pr in marks if pr.person.left_on is not None]
    left_on = max(left_dates) if left_dates else None
    reason_text = "; ".join(dict.fromkeys(
        t for _, pr in marks for t in (pr.person.absence_reason, pr.person.note) if t))
    reason = absence_reason_kind(reason_text)
    year_end = Period(PeriodKind.YEAR, year).end
    left = (left_on is not None and left_on < year_end) or (
        reason == LEFT_REASON and given[-1] not in present)
    if left:
        until = left_on or Period(PeriodKind.QUARTER, year, present[-1]).end
        since = max(recruited or date(year, 1, 1), date(year, 1, 1))
        six_months = until >= _add_months(since, 6) - timedelta(days=1)
        when = f" ngày {left_on:%d/%m/%Y}" if left_on else ""
        detail = (f"đã chuyển đi/nghỉ việc{when} ({reason_text or 'ngày chuyển đi'}): đơn vị mới "
                  "đánh giá, xếp loại (NĐ 90/2020 Điều 20.1)")
        if six_months:
            detail += ("; đã công tác tại đây từ 6 tháng trở lên: in phiếu nhận xét, đánh giá "
                       "gửi đơn vị mới")
        report.add(make_issue("year-left", **where, name=latest.name, staff_id=staff_id,
                              value=detail))
        out = Excluded(staff_id, latest.name, latest.department, LEFT, detail)
        return latest, _info(staff_id, marks, tuple(missing), given, None), out

    if missing:
        if reason is None:
            # Nothing says why: averaging the other quarters would hide a forgotten row.
            report.add(make_issue(
                "year-missing-quarters", **where, value=quarters_label(missing), name=latest.name,
                staff_id=staff_id, present=quarters_label(present),
            ))
            detail = (f"không có tên trong bảng điểm {quarters_label(missing)} và không có lý do: "
                      "chưa xếp loại năm, chưa xét danh hiệu")
            out = Excluded(staff_id, latest.name, latest.department, MISSING_QUARTER, detail)
            return latest, _info(staff_id, marks, tuple(missing), given, None), out
        report.add(make_issue(
            "year-missing-quarter-reason", **where, value=quarters_label(missing),
            name=latest.name, staff_id=staff_id, reason=reason_text,
            present=quarters_label(present),
        ))

    # A quarter spent wholly on maternity leave carries no result of work: the year rests on the
    # time actually worked (NĐ 90/2020 as amended by NĐ 48/2023), so it is left out of the mean.
    # Its days still count as worked (the maternity days are summed below). Partial quarters count.
    maternity_quarters = tuple(
        q for q, pr in marks
        if pr.person.maternity_days > 0
        and pr.person.maternity_days >= workdays.working_days(
            Period(PeriodKind.QUARTER, year, q), overrides, since=recruited)
    )
    if maternity_quarters:
        report.add(make_issue(
            "year-maternity-quarter", **where, value=quarters_label(maternity_quarters),
            name=latest.name, staff_id=staff_id,
        ))

    # The year's mean over the rated quarters (weights renormalised over them).
    weights = {q: (settings.weights[q - 1] if settings.method == "weighted" else Decimal(1))
               for q in present}
    counted = [(q, pr) for q, pr in marks if pr.rating is not Rating.NOT_RATED and weights[q] > 0
               and q not in maternity_quarters]
    mean: Decimal | None = None
    if counted:
        weight_sum = sum((weights[q] for q, _ in counted), Decimal(0))
        weighted = sum((weights[q] * exact(pr.total) for q, pr in counted), Decimal(0))
        mean = round_half_up(weighted / weight_sum, 4)
    else:
        report.add(make_issue(
            "year-no-rated-quarter", **where, name=latest.name, staff_id=staff_id,
            value=quarters_label(present),
        ))

    departments: list[str] = []
    for _, pr in marks:
        if not departments or departments[-1] != pr.person.department:
            departments.append(pr.person.department)
    if len(departments) > 1:
        history = " → ".join(departments)
        report.add(make_issue(
            "year-department-changed", **where, name=latest.name, staff_id=staff_id,
            value=history, department=latest.department,
        ))
    dates = sorted({pr.person.recruited_on for _, pr in marks if pr.person.recruited_on})
    if len(dates) > 1:
        report.add(make_issue(
            "year-recruited-differs", **where, name=latest.name, staff_id=staff_id,
            value=", ".join(f"{d:%d/%m/%Y}" for d in dates),
            used=f"{recruited:%d/%m/%Y}" if recruited else "",
        ))

    persons = [pr.person for _, pr in marks]
    disciplines = [p.discipline for p in persons if p.discipline is not None]
    discipline: Discipline | None = max(disciplines, key=lambda d: d.severity) if disciplines else None
    if settings.initiatives == "sum":
        initiatives = sum(p.initiatives for p in persons)
        research = sum(p.research for p in persons)
    else:
        initiatives = max(p.initiatives for p in persons)
        research = max(p.research for p in persons)
    registrations = [p.registered for p in persons]
    registered = True if True in registrations else (False if False in registrations else None)
    note_parts = [f"{quarter_label(q)}: {format_points(pr.total)} ({pr.rating.value})" for q, pr in marks]
    year_person = replace(
        latest,
        scores={YEAR_CRITERION: float(mean) if mean is not None else 0.0},
        score_levels={},
        bonus=0.0,
        deduction=0.0,
        leave_days=float(sum(exact(p.leave_days) for p in persons)),
        maternity_days=float(sum(exact(p.maternity_days) for p in persons)),
        discipline=discipline,
        initiatives=initiatives,
        research=research,
        registered=registered,
        achievement="; ".join(dict.fromkeys(p.achievement for p in persons if p.achievement)),
        **_rolled_extras(persons),
        note="; ".join(note_parts),
        sheet_total=None,
        sheet_rating=None,
        columns={},
    )
    return year_person, _info(staff_id, marks, tuple(missing), given, mean), None


def _tasks_note(score: ScoreResult, report: Report) -> None:
    """Said once: without the task columns, HTXSNV rests on the points alone (issue 11)."""
    if any(pr.person.tasks_done is not None or pr.person.tasks_exceeded is not None
           for pr in score.people):
        return
    banded = sum(1 for pr in score.people if pr.band is Rating.HTXSNV)
    if banded:
        report.add(make_issue("htxsnv-tasks-not-checked", value=banded))


def _rolled_extras(persons: Sequence[Person]) -> dict[str, Any]:
    """The optional columns of issue 11 over the quarters: texts joined, days summed, the latest
    date given, and the mean of the task shares the quarters carry (None when none does).
    Nothing to roll (the usual sheet, without these columns): no field is replaced."""
    if not any(p.adhoc_award or p.previous_opinion or p.injury_days or p.training_days
               or p.contract_from or p.moved_in_on or p.discipline_ended_on
               or p.tasks_done is not None or p.tasks_exceeded is not None for p in persons):
        return {}

    def text(name: str) -> str:
        return "; ".join(dict.fromkeys(getattr(p, name) for p in persons if getattr(p, name)))

    def latest(name: str) -> date | None:
        found = [getattr(p, name) for p in persons if getattr(p, name) is not None]
        return found[-1] if found else None

    def mean(name: str) -> float | None:
        found = [exact(getattr(p, name)) for p in persons if getattr(p, name) is not None]
        return float(round_half_up(sum(found, Decimal(0)) / len(found), 2)) if found else None

    return {
        "adhoc_award": text("adhoc_award"), "previous_opinion": text("previous_opinion"),
        "injury_days": float(sum(exact(p.injury_days) for p in persons)),
        "training_days": float(sum(exact(p.training_days) for p in persons)),
        "contract_from": latest("contract_from"), "moved_in_on": latest("moved_in_on"),
        "discipline_ended_on": latest("discipline_ended_on"),
        "tasks_done": mean("tasks_done"), "tasks_exceeded": mean("tasks_exceeded"),
    }


def _info(staff_id: str, marks: list[tuple[int, PersonResult]], missing: tuple[int, ...],
          given: tuple[int, ...], mean: Decimal | None) -> YearPerson:
    return YearPerson(
        staff_id=staff_id,
        quarters=tuple(QuarterMark(q, pr.total, pr.rating, pr.person.department)
                       for q, pr in marks),
        missing=missing,
        in_last_quarter=given[-1] in {q for q, _ in marks},
        mean_total=mean,
    )


def _add_months(d: date, months: int) -> date:
    m = d.month - 1 + months
    y, m = d.year + m // 12, m % 12 + 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


LEFT_REASON = "left"
# The reasons a clerk writes in "Lý do vắng" (or "Ghi chú"), matched accent-blind without
# spaces; "chuyển đến" is tried before "chuyển công tác" (which alone means leaving).
_REASON_WORDS: tuple[tuple[str, str], ...] = (
    ("moituyen", "new"), ("chuyenden", "moved_in"), ("chuyencongtacden", "moved_in"),
    ("nghithaisan", "maternity"), ("thaisan", "maternity"),
    ("nghikhongluong", "unpaid"), ("khongluong", "unpaid"),
    ("chuyendi", LEFT_REASON), ("chuyencongtac", LEFT_REASON), ("nghiviec", LEFT_REASON),
    ("thoiviec", LEFT_REASON), ("nghihuu", LEFT_REASON),
)


def absence_reason_kind(text: str) -> str | None:
    """The kind of a stated absence reason ("new", "moved_in", "maternity", "unpaid", "left"),
    None when the text states none (decisions.md: "Lý do vắng" and its aliases, or "Ghi chú"
    containing mới tuyển / chuyển đến / chuyển đi / nghỉ thai sản / nghỉ không lương)."""
    c = compact(text)
    if not c:
        return None
    for word, kind in _REASON_WORDS:
        if word in c:
            return kind
    return None

