"""KPI at four levels (bệnh viện → khoa/phòng → quản lý → nhân viên): attainment per indicator,
the weighted score of each owner, the cascade from parent indicators, the manager's blend with
their department, and rankings with ties reported (issue 15).

Pure: indicators (as the reader found them, :class:`Indicator`) and the ``[kpi]`` settings in,
a typed :class:`KpiResult` out, every finding an :class:`~thidua_cli.model.Issue` of the one
catalogue and every step an :class:`~thidua_cli.model.ExplainStep` (the explanation is data;
``present/kpi.py`` and ``score --explain`` only show it). ``thidua income`` may take grades
from :meth:`KpiResult.person` later: the result is meant to be reused, not re-computed.

The rules, each in one place:

- attainment (percent) per direction: higher is better ``actual / target``; lower is better
  ``target / actual`` ("inverse"; an actual of 0 reaches the cap) or ``2 − actual / target``
  ("complement"); a band: 100 inside [low, high], ``actual / low`` below, ``high / actual`` above
  ("ratio") or 0 outside ("all_or_nothing");
- a partial-credit threshold: past it (below for higher, above for lower) the attainment is 0;
- the cap (``kpi.cap``, 120 % by default) and a floor of 0;
- an owner's score = Σ weight × attainment / Σ weight (weights not summing to 100 are reported
  and shared proportionally; all blank = equal weights);
- a child indicator (``parent`` = a code of the level above) inherits what it leaves blank
  (unit, kind, direction, target, threshold, band) from its parent;
- a manager's (staff member's) KPI = (1 − w) × own + w × their department's score;
- rankings (departments; people within their department and hospital-wide): competition
  ranking (1, 2, 2, 4), ties reported, never broken.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from thidua_cli.config.sections import KpiSettings
from thidua_cli.core import vntext
from thidua_cli.core.numbers import format_vn_number
from thidua_cli.issues import make_issue
from thidua_cli.model import ExplainStep, Issue, Report, Severity, SourceRow

# The match key of a code or a department name: a KPI sheet repeats a few dozen of them
# thousands of times.
_key = functools.lru_cache(maxsize=4096)(vntext.key)


# --------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------


class Level(StrEnum):
    HOSPITAL = "hospital"
    DEPARTMENT = "department"
    MANAGER = "manager"
    STAFF = "staff"

    @property
    def label(self) -> str:
        return _LEVEL_LABELS[self]

    @property
    def personal(self) -> bool:
        return self in (Level.MANAGER, Level.STAFF)


_LEVEL_LABELS = {Level.HOSPITAL: "bệnh viện", Level.DEPARTMENT: "khoa/phòng",
                 Level.MANAGER: "quản lý", Level.STAFF: "nhân viên"}
# The level a child's parent code is looked up in.
PARENT_LEVEL = {Level.DEPARTMENT: Level.HOSPITAL, Level.MANAGER: Level.DEPARTMENT,
                Level.STAFF: Level.DEPARTMENT}


class Direction(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"
    BAND = "band"

    @property
    def label(self) -> str:
        return {"higher": "cao hơn tốt hơn", "lower": "thấp hơn tốt hơn",
                "band": "trong khoảng"}[self.value]


class Kind(StrEnum):
    """Indicator kinds: a plain number, a percentage, a criterion of the Bộ tiêu chí chất lượng
    bệnh viện (levels 1–5), a patient-satisfaction survey (a percentage, higher is better)."""

    NUMBER = "number"
    PERCENT = "percent"
    QUALITY = "quality"
    SURVEY = "survey"

    @property
    def label(self) -> str:
        return {"number": "số liệu", "percent": "tỷ lệ", "quality": "tiêu chí chất lượng (mức 1–5)",
                "survey": "khảo sát hài lòng"}[self.value]

    @property
    def percent(self) -> bool:
        return self in (Kind.PERCENT, Kind.SURVEY)


@dataclass(frozen=True)
class Indicator:
    """One row of the KPI workbook: an indicator of one owner. Blank cells are None / ""."""

    code: str
    name: str
    level: Level
    department: str = ""  # the owning department (department, manager, staff; a hospital row
    #                       naming a department is one the department owns)
    staff_id: str = ""  # manager and staff levels
    staff_name: str = ""
    unit: str = ""
    kind: Kind | None = None  # None: inherited from the parent, else NUMBER
    direction: Direction | None = None
    target: float | None = None
    actual: float | None = None
    weight: float | None = None
    threshold: float | None = None  # partial credit ends here
    band_low: float | None = None
    band_high: float | None = None
    source: str = ""  # where the actual comes from ("HIS", "Phòng QLCL")
    parent: str = ""  # the parent indicator's code (cascade)
    where: SourceRow | None = None
    columns: Mapping[str, str] = field(default_factory=dict)  # field → column letter
    # A cell of the row could not be read (its finding is already reported): the indicator
    # counts in its owner's weights but leaves the owner without a score.
    broken: bool = False
    # The fields whose cells already have their finding (the core does not report them again).
    reported: tuple[str, ...] = ()

    @property
    def owner_key(self) -> tuple[Level, str]:
        """Whose score the indicator enters: the hospital, a department, a person."""
        if self.level is Level.HOSPITAL:
            return (Level.HOSPITAL, "")
        if self.level is Level.DEPARTMENT:
            return (Level.DEPARTMENT, _key(self.department))
        return (Level.STAFF, self.staff_id)

    @property
    def label(self) -> str:
        return f"{self.code} – {self.name}" if self.code and self.name else self.code or self.name


@dataclass(frozen=True)
class Attainment:
    """One indicator's attainment as computed (after the cascade)."""

    indicator: Indicator  # with what it inherited filled in
    percent: float | None  # capped, rounded; None when it cannot be computed (finding) or skipped
    uncapped: float | None
    counted: bool  # enters its owner's score
    weight: float  # the weight used (0 when not counted)
    inherited: tuple[str, ...] = ()  # the fields taken from the parent
    steps: tuple[ExplainStep, ...] = ()

    @property
    def capped(self) -> bool:
        return self.percent is not None and self.uncapped is not None and self.uncapped > self.percent


@dataclass(frozen=True)
class OwnerScore:
    """The KPI of one owner: the hospital, a department or a person."""

    level: Level  # HOSPITAL, DEPARTMENT, or MANAGER / STAFF for a person
    key: str  # "" (hospital), the department's name, the staff ID
    name: str  # the hospital's, department's or person's name
    department: str  # a person's department ("" for the hospital)
    own: float | None  # Σ weight × attainment / Σ weight over the owner's own indicators
    score: float | None  # after the blend with the department (people); = own otherwise
    weight_sum: float
    indicators: tuple[Attainment, ...]
    steps: tuple[ExplainStep, ...] = ()
    rank: int | None = None  # departments among departments; people within their department
    hospital_rank: int | None = None  # people: among all the hospital's people

    @property
    def below_target(self) -> bool:
        return self.score is not None and self.score < 100


@dataclass(frozen=True)
class CascadeLine:
    """A parent indicator and the attainments of the indicators cascaded from it."""

    parent: Attainment
    children: tuple[Attainment, ...]


@dataclass(frozen=True)
class Tie:
    scope: str  # "Khoa/phòng" or "Khoa Nội: nhân viên"
    rank: int
    score: float
    keys: tuple[str, ...]


@dataclass(frozen=True)
class KpiResult:
    settings: KpiSettings
    hospital: OwnerScore | None
    departments: tuple[OwnerScore, ...]  # ranked, best first
    people: tuple[OwnerScore, ...]  # by department, then rank
    cascade: tuple[CascadeLine, ...]
    ties: tuple[Tie, ...]
    report: Report
    hospital_name: str = ""

    def person(self, staff_id: str) -> OwnerScore | None:
        """The KPI of a person by staff ID (exact, then case- and space-blind)."""
        return self._people_index().get(_id_key(staff_id))

    def department(self, name: str) -> OwnerScore | None:
        k = _key(name)
        return next((d for d in self.departments if _key(d.key) == k), None)

    def _people_index(self) -> dict[str, OwnerScore]:
        index = self.__dict__.get("_index")
        if index is None:
            index = {_id_key(p.key): p for p in self.people}
            object.__setattr__(self, "_index", index)
        return index


def _id_key(staff_id: str) -> str:
    return "".join(staff_id.split()).casefold()


# --------------------------------------------------------------------------------------------
# Numbers as the clerk reads them
# --------------------------------------------------------------------------------------------


def rounded(value: float, decimals: int) -> float:
    """Half up on the decimal value (as the sheet shows it), not banker's rounding."""
    scaled = value * _TENS[decimals]
    if abs(scaled - math.floor(scaled) - 0.5) > 1e-6:  # not near a half: no tie to settle
        return round(value, decimals)
    q = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(value)).quantize(q, rounding=ROUND_HALF_UP))


_TENS = (1, 10, 100, 1000, 10000)


def shown(value: float | None, decimals: int = 2) -> str:
    if value is None:
        return "—"
    return format_vn_number(rounded(value, decimals))


def _pct(value: float | None, decimals: int = 2) -> str:
    return f"{shown(value, decimals)} %"


# --------------------------------------------------------------------------------------------
# Attainment of one indicator
# --------------------------------------------------------------------------------------------


class _Steps(list[ExplainStep]):
    """The explanation of one computation, built only when asked: the texts cost more than the
    arithmetic (3,000 people × 8 indicators), so each detail is a function called when on.
    ``_Steps`` is on, :class:`_NoSteps` off; neither overrides ``__init__`` (two are made an
    indicator: a list subclass with its own ``__init__`` cost a third of the computation)."""

    on = True

    def add(self, rule: str, detail: Callable[[], str], basis: str = "") -> None:
        self.append(ExplainStep(rule, detail(), basis))


class _NoSteps(_Steps):
    on = False

    def add(self, rule: str, detail: Callable[[], str], basis: str = "") -> None:
        pass


def _steps(on: bool) -> _Steps:
    return _Steps() if on else _NoSteps()


@functools.lru_cache(maxsize=8)
def _cap_percent(cap: Decimal) -> float:
    """The cap in percent as a float, converted once (not once an indicator)."""
    return float(cap) * 100


_FORMULA_TEXT = {
    "ratio": "thực hiện / chỉ tiêu",
    "inverse": "chỉ tiêu / thực hiện",
    "complement": "2 − thực hiện / chỉ tiêu",
}


def attainment(ind: Indicator, settings: KpiSettings, *, explain: bool = True
               ) -> tuple[float | None, float | None, list[ExplainStep], str | None]:
    """(capped percent, uncapped percent, steps, the finding code when it cannot be computed).

    ``ind`` must already have its direction and target (after the cascade) and its actual;
    ``explain``: build the steps (texts) too. The arithmetic is :func:`_raw_attainment`'s
    alone; the steps only describe the branch it took."""
    cap = _cap_percent(settings.cap)
    case, formula_raw, raw = _raw_attainment(ind, settings, cap)
    if case == "target-zero":
        return None, None, [], "kpi-target-zero"
    capped = min(max(raw, 0.0), cap)
    steps = _attainment_steps(ind, settings, case, formula_raw, raw, cap) if explain else []
    return rounded(capped, settings.decimals), raw, steps, None


def _raw_attainment(ind: Indicator, settings: KpiSettings, cap: float
                    ) -> tuple[str, float, float]:
    """(the branch taken, the attainment by the formula, after the threshold), in percent and
    unrounded; the branch "target-zero" when a ratio cannot be computed."""
    a = ind.actual
    assert a is not None and ind.direction is not None
    if ind.direction is Direction.BAND:
        lo, hi = ind.band_low, ind.band_high
        assert lo is not None and hi is not None
        if lo <= a <= hi:
            return "in-band", 100.0, 100.0
        if settings.band_formula == "all_or_nothing":
            return "outside-band", 0.0, 0.0
        if a < lo:
            if lo == 0:
                return "target-zero", 0.0, 0.0
            raw = a / lo * 100
            return "below-band", raw, raw
        raw = hi / a * 100
        return "above-band", raw, raw
    t = ind.target
    assert t is not None
    higher = ind.direction is Direction.HIGHER
    formula = settings.higher_formula if higher else settings.lower_formula
    if t == 0:
        return "target-zero", 0.0, 0.0
    if formula == "ratio":
        raw = a / t * 100
    elif formula == "inverse":
        raw = cap if a == 0 else t / a * 100
    else:  # complement
        raw = max(0.0, (2 - a / t) * 100)
    th = ind.threshold
    if th is not None and (a < th if higher else a > th):
        return "threshold", raw, 0.0
    return "formula", raw, raw


def _attainment_steps(ind: Indicator, settings: KpiSettings, case: str, formula_raw: float,
                      raw: float, cap: float) -> list[ExplainStep]:
    """The explanation of :func:`_raw_attainment`'s branch ``case``."""
    steps = _Steps()
    d = settings.decimals
    a, t = ind.actual, ind.target
    assert a is not None and ind.direction is not None
    lo, hi = ind.band_low, ind.band_high
    if case == "in-band":
        steps.add("Mức hoàn thành", lambda: f"thực hiện {shown(a, d)} nằm trong khoảng "
                                 f"{shown(lo, d)} – {shown(hi, d)}: 100 %")
    elif case == "outside-band":
        steps.add("Mức hoàn thành", lambda: f"thực hiện {shown(a, d)} ngoài khoảng "
                                 f"{shown(lo, d)} – {shown(hi, d)}: 0 % (quy chế: ngoài khoảng "
                                 "không đạt)")
    elif case == "below-band":
        steps.add("Mức hoàn thành", lambda: f"dưới khoảng: thực hiện / cận dưới = "
                                 f"{shown(a, d)} / {shown(lo, d)} = {_pct(raw, d)}")
    elif case == "above-band":
        steps.add("Mức hoàn thành", lambda: f"trên khoảng: cận trên / thực hiện = "
                                 f"{shown(hi, d)} / {shown(a, d)} = {_pct(raw, d)}")
    else:
        assert t is not None
        direction = ind.direction
        formula = (settings.higher_formula if direction is Direction.HIGHER
                   else settings.lower_formula)

        def text() -> str:
            if formula == "ratio":
                return f"{shown(a, d)} / {shown(t, d)}"
            if formula == "inverse" and a == 0:
                return f"thực hiện bằng 0 (tốt nhất có thể) → mức trần {_pct(cap, d)}"
            if formula == "inverse":
                return f"{shown(t, d)} / {shown(a, d)}"
            return f"2 − {shown(a, d)} / {shown(t, d)}"

        steps.add("Mức hoàn thành", lambda: f"{direction.label}: {_FORMULA_TEXT[formula]}"
                                 f" = {text()} = {_pct(formula_raw, d)}", "quy chế [kpi]")
        if case == "threshold":
            th = ind.threshold
            side = "dưới" if direction is Direction.HIGHER else "vượt"
            steps.add("Ngưỡng tối thiểu", lambda: f"thực hiện {shown(a, d)} {side} ngưỡng "
                                     f"{shown(th, d)}: không được tính điểm (0 %)")
    if raw > cap:
        steps.add("Trần mức hoàn thành", lambda: f"{_pct(raw, d)} vượt trần {_pct(cap, d)}: "
                                 f"tính {_pct(cap, d)}", "quy chế kpi.cap")
    return steps


# --------------------------------------------------------------------------------------------
# The whole computation
# --------------------------------------------------------------------------------------------


@dataclass
class _Owner:
    level: Level
    key: str
    name: str
    department: str
    items: list[Attainment] = field(default_factory=list)


def compute_kpi(
    indicators: Sequence[Indicator],
    settings: KpiSettings,
    *,
    report: Report | None = None,
    departments: Sequence[str] = (),
    hospital_name: str = "",
    explain: bool | Collection[str] = True,
) -> KpiResult:
    """Every attainment, owner score, blend, ranking and finding of one KPI workbook.

    ``report`` holds the reader's findings (added to); ``departments``: the regulation's list
    (a department not in it is reported; empty = not checked). ``explain``: whose steps are
    built: everyone (True), nobody (False) or the people of these staff IDs (and every
    department and the hospital, a few dozen owners)."""
    report = report if report is not None else Report()
    wanted = None if isinstance(explain, bool) else {_id_key(i) for i in explain}

    def explains(ind: Indicator) -> bool:
        if wanted is None:
            return bool(explain)
        return not ind.level.personal or _id_key(ind.staff_id) in wanted

    d = settings.decimals
    known = {_key(x): x for x in departments}
    inds = [_canonical_department(i, known, report) for i in indicators]
    cascaded = _cascade(inds, report)
    _duplicates([c[0] for c in cascaded], report)

    owners: dict[tuple[Level, str], _Owner] = {}
    all_att: list[Attainment] = []
    for ind, inherited in cascaded:
        att = _attain(ind, inherited, settings, report, explains(ind))
        all_att.append(att)
        for key in _owner_keys(ind, settings):
            owner = owners.get(key)
            if owner is None:
                owner = owners[key] = _new_owner(key, ind, hospital_name)
            if ind.level is Level.MANAGER:
                owner.level = Level.MANAGER
            if not owner.name and ind.staff_name:
                owner.name = ind.staff_name
            owner.items.append(att)

    scored: dict[tuple[Level, str], OwnerScore] = {}
    for key, owner in owners.items():
        scored[key] = _owner_score(owner, settings, report,
                                   any(explains(a.indicator) for a in owner.items[:1]))

    # The blend: a person's KPI takes in their department's (quy chế kpi.*_department_weight).
    for key, person in list(scored.items()):
        if key[0] is not Level.STAFF:
            continue
        dept = scored.get((Level.DEPARTMENT, _key(person.department)))
        share = (settings.manager_department_weight if person.level is Level.MANAGER
                 else settings.staff_department_weight)
        w = float(share)
        if w == 0 or person.own is None:
            continue
        if dept is None or dept.score is None:
            if not person.steps:
                continue
            step = ExplainStep("Kết hợp KPI khoa/phòng", f"khoa/phòng \"{person.department}\" chưa "
                               f"có điểm KPI: giữ điểm của chính mình {shown(person.own, d)}")
            scored[key] = replace(person, steps=(*person.steps, step))
            continue
        blended = rounded((1 - w) * person.own + w * dept.score, d)
        if not person.steps:  # not explained
            scored[key] = replace(person, score=blended)
            continue
        step = ExplainStep(
            "Kết hợp KPI khoa/phòng",
            f"(1 − {shown(w * 100, d)} %) × {shown(person.own, d)} + {shown(w * 100, d)} % × "
            f"{shown(dept.score, d)} (KPI {person.department}) = {shown(blended, d)}",
            "quy chế kpi.manager_department_weight" if person.level is Level.MANAGER
            else "quy chế kpi.staff_department_weight")
        scored[key] = replace(person, score=blended, steps=(*person.steps, step))

    ties: list[Tie] = []
    hospital = scored.get((Level.HOSPITAL, ""))
    departments_ranked = [replace(o, rank=r) if r is not None else o for o, r in _ranked(
        [s for k, s in scored.items() if k[0] is Level.DEPARTMENT], "Khoa/phòng", ties, report, d)]
    in_department: list[tuple[OwnerScore, int | None]] = []
    by_dept: dict[str, list[OwnerScore]] = {}
    for k, s in scored.items():
        if k[0] is Level.STAFF:
            by_dept.setdefault(s.department, []).append(s)
    for dept_name in sorted(by_dept, key=vntext.key):
        in_department.extend(_ranked(by_dept[dept_name], f"{dept_name}: cá nhân", ties, report, d))
    # The hospital-wide ranking of people, beside the one within each department (same rule).
    overall = {o.key: r for o, r in _ranked([o for o, _ in in_department], HOSPITAL_SCOPE, ties,
                                            report, d)}
    people = [replace(o, rank=r, hospital_rank=overall[o.key]) if r is not None else o
              for o, r in in_department]

    cascade = _cascade_lines(all_att)
    return KpiResult(settings, hospital, tuple(departments_ranked), tuple(people), cascade,
                     tuple(ties), report, hospital_name)


def _new_owner(key: tuple[Level, str], ind: Indicator, hospital_name: str) -> _Owner:
    level = key[0]
    if level is Level.HOSPITAL:
        return _Owner(level, "", hospital_name or "Bệnh viện", "")
    if level is Level.DEPARTMENT:
        return _Owner(level, ind.department, ind.department, ind.department)
    return _Owner(Level.STAFF, ind.staff_id, ind.staff_name, ind.department)


def _owner_keys(ind: Indicator, settings: KpiSettings) -> list[tuple[Level, str]]:
    keys = [ind.owner_key]
    if ind.level is Level.HOSPITAL and ind.department and settings.hospital_owned_in_department:
        keys.append((Level.DEPARTMENT, _key(ind.department)))
    return keys


def _canonical_department(ind: Indicator, known: Mapping[str, str], report: Report) -> Indicator:
    if not ind.department or not known:
        return ind
    hit = known.get(_key(ind.department))
    if hit is not None:
        return replace(ind, department=hit) if hit != ind.department else ind
    hint = vntext.suggest(ind.department, list(known.values()))
    report.add(_issue(ind, "kpi-unknown-owner", "department", value=ind.department,
                      what="Khoa/phòng", where="danh sách khoa/phòng của quy chế",
                      suggestion=f" Có phải là \"{hint}\"?" if hint else ""))
    return ind


def _issue(ind: Indicator, code: str, column: str | None = None, *, severity: Severity | None = None,
           **params: Any) -> Issue:
    w = ind.where
    col = ind.columns.get(column) if column else None
    return make_issue(code, file=w.file if w else None, sheet=w.sheet if w else None,
                      row=w.row if w else None, column=col, severity=severity,
                      indicator=ind.label, **params)


_INHERITED = ("unit", "kind", "direction", "target", "threshold", "band_low", "band_high")
# What a child needs (by "is a band") to be computed without its parent.
_NEEDED = {False: ("direction", "target"), True: ("direction", "band_low", "band_high")}


def with_inherited(indicators: Sequence[Indicator]) -> list[Indicator]:
    """The indicators with what each leaves blank taken from its parent (the cascade alone,
    for a department's template)."""
    return [_default_direction(ind) for ind, _ in _cascade(list(indicators), Report())]


def _default_direction(ind: Indicator) -> Indicator:
    """A satisfaction survey without a direction: the more satisfied, the better."""
    if ind.kind is Kind.SURVEY and ind.direction is None:
        return replace(ind, direction=Direction.HIGHER)
    return ind


def _cascade(inds: list[Indicator], report: Report) -> list[tuple[Indicator, tuple[str, ...]]]:
    """Fill what a child leaves blank from its parent (looked up one level up: a department's
    parent among the hospital's indicators, a person's among their department's, then the
    hospital's)."""
    by_level: dict[tuple[Level, str, str], Indicator] = {}
    for ind in inds:
        dept = _key(ind.department) if ind.level is Level.DEPARTMENT else ""
        if ind.level in (Level.HOSPITAL, Level.DEPARTMENT):
            by_level.setdefault((ind.level, dept, _key(ind.code)), ind)
    out: list[tuple[Indicator, tuple[str, ...]]] = []
    for ind in inds:
        if not ind.parent or ind.level is Level.HOSPITAL:
            out.append((ind, ()))
            continue
        pk = _key(ind.parent)
        parent = None
        if ind.level.personal:
            parent = by_level.get((Level.DEPARTMENT, _key(ind.department), pk))
        if parent is None:
            parent = by_level.get((Level.HOSPITAL, "", pk))
        own = _default_direction(ind)
        if parent is None and all(getattr(own, f) not in (None, "") for f in _NEEDED[
                own.direction is Direction.BAND]):
            # Nothing to inherit: the code only names the parent (a department's own workbook
            # holds its rows, not the hospital's).
            out.append((ind, ()))
            continue
        if parent is None:
            codes = sorted({k[2] for k in by_level})
            hint = vntext.suggest(pk, codes)
            report.add(_issue(ind, "kpi-unknown-parent", "parent", value=ind.parent,
                              level="cấp trên",
                              suggestion=f" Có phải là \"{hint.upper()}\"?" if hint else ""))
            out.append((ind, ()))
            continue
        changes = {f: getattr(parent, f) for f in _INHERITED
                   if getattr(ind, f) in (None, "") and getattr(parent, f) not in (None, "")}
        out.append((replace(ind, **changes) if changes else ind, tuple(changes)))
    return out


def _duplicates(inds: list[Indicator], report: Report) -> None:
    seen: dict[tuple[tuple[Level, str], str], Indicator] = {}
    for ind in inds:
        k = (ind.owner_key, _key(ind.code or ind.name))
        first = seen.get(k)
        if first is None:
            seen[k] = ind
            continue
        owner = ind.staff_id or ind.department or "bệnh viện"
        report.add(_issue(ind, "kpi-duplicate-indicator", "code", owner=owner,
                          other=first.where.row if first.where else "?"))


def _attain(ind: Indicator, inherited: tuple[str, ...], settings: KpiSettings,
            report: Report, explain: bool) -> Attainment:
    steps = _steps(explain)
    d = settings.decimals
    if inherited:
        names = {"unit": "đơn vị tính", "kind": "loại", "direction": "chiều", "target": "chỉ tiêu",
                 "threshold": "ngưỡng", "band_low": "cận dưới", "band_high": "cận trên"}
        steps.add("Phân bổ từ chỉ số cha", lambda: f"{ind.label} thuộc chỉ số {ind.parent}; "
                                 f"lấy {', '.join(names[f] for f in inherited)} từ chỉ số cha")
    ind = _default_direction(ind)

    def failed(code: str, column: str | None = None, **params: Any) -> Attainment:
        if code:
            report.add(_issue(ind, code, column, **params))
        return Attainment(ind, None, None, False, 0.0, inherited, tuple(steps))

    if ind.broken:
        # A row with a bad cell is not computed, but a blank direction (nothing to inherit)
        # is a second error of the same row: both are reported on the same run.
        blank_direction = ind.direction is None and "direction" not in ind.reported
        return failed("kpi-unknown-direction" if blank_direction else "", "direction", value="")
    if ind.direction is None:
        return failed("kpi-unknown-direction", "direction", value="")
    if ind.direction is Direction.BAND:
        lo, hi = ind.band_low, ind.band_high
        if lo is None or hi is None or lo > hi:
            what = "thiếu cận dưới hoặc cận trên" if lo is None or hi is None else "cận dưới lớn hơn cận trên"
            return failed("kpi-band-bounds", "band_low", what=what)
    elif ind.target is None:
        return failed("kpi-missing-target", "target", what="ô Chỉ tiêu để trống")
    weight = ind.weight
    if ind.actual is None:
        policy = settings.missing_actual
        if policy == "error":
            return failed("kpi-missing-actual", "actual",
                          policy="Hãy điền số thực hiện (quy chế kpi.missing_actual = \"error\").")
        if policy == "skip":
            steps.add("Thiếu số thực hiện", lambda: "bỏ chỉ số này, chia lại trọng số "
                                     "(quy chế kpi.missing_actual = \"skip\")")
            report.add(_issue(ind, "kpi-missing-actual", "actual", severity=Severity.WARNING,
                              policy="Chỉ số được bỏ qua, trọng số chia lại cho các chỉ số còn lại."))
            return Attainment(ind, None, None, False, 0.0, inherited, tuple(steps))
        steps.add("Thiếu số thực hiện", lambda: "tính 0 % (quy chế kpi.missing_actual = \"zero\")")
        report.add(_issue(ind, "kpi-missing-actual", "actual", severity=Severity.WARNING,
                          policy="Chỉ số được tính 0 %."))
        return Attainment(ind, 0.0, 0.0, True, weight or 0.0, inherited, tuple(steps))
    pct, raw, more, problem = attainment(ind, settings, explain=explain)
    steps.extend(more)
    if problem is not None:
        formula = (settings.higher_formula if ind.direction is Direction.HIGHER
                   else settings.lower_formula if ind.direction is Direction.LOWER else "ratio")
        col = "band_low" if ind.direction is Direction.BAND else "target"
        return failed(problem, col, value=shown(ind.band_low if ind.direction is Direction.BAND
                                                else ind.target, d), formula=_FORMULA_TEXT[formula])
    return Attainment(ind, pct, raw, True, weight if weight is not None else 0.0, inherited,
                      tuple(steps))


def _owner_score(owner: _Owner, settings: KpiSettings, report: Report,
                 explain: bool) -> OwnerScore:
    d = settings.decimals
    items = owner.items
    counted = [a for a in items if a.counted]
    steps = _steps(explain)
    for a in items:
        for s in a.steps:
            steps.append(ExplainStep(s.rule, f"{a.indicator.label}: {s.detail}", s.basis))
    # All blank weights: equal shares (a department listing its indicators without weights).
    weights_given = [a.indicator.weight for a in items if a.indicator.weight is not None]
    equal = not weights_given and bool(items)
    if equal:
        counted = [replace(a, weight=1.0) for a in counted]
        steps.add("Trọng số", lambda: "không ghi trọng số: các chỉ số có trọng số bằng nhau")
    else:
        total_w = sum(weights_given)
        if abs(total_w - 100) > 1e-9:
            first = items[0].indicator
            sev = Severity.ERROR if settings.weights_not_100 == "error" else None
            who = ("bệnh viện" if owner.level is Level.HOSPITAL
                   else owner.name if owner.level is Level.DEPARTMENT
                   else f"{owner.name} ({owner.key})" if owner.name else owner.key)
            report.add(_issue(first, "kpi-weights-not-100", "weight", severity=sev, owner=who,
                              value=shown(total_w, d)))
    weight_sum = sum(a.weight for a in counted)
    own: float | None = None
    # An indicator that could not be computed (an error finding) leaves the owner without a
    # score rather than with a wrong one; one skipped by missing_actual = "skip" does not.
    broken = any(not a.counted and _failed(a, settings) for a in items)
    if counted and weight_sum > 0 and not broken:
        total = sum(a.weight * (a.percent or 0.0) for a in counted)
        own = rounded(total / weight_sum, d)
        steps.add("Điểm KPI", lambda: f"({' + '.join(f'{shown(a.weight, d)} × {shown(a.percent, d)}' for a in counted)}) / {shown(weight_sum, d)} = {shown(own, d)}",
                                 "Σ trọng số × mức hoàn thành / Σ trọng số")
    by_id = {id(c.indicator): c for c in counted}
    items_out = tuple(by_id.get(id(a.indicator), a) for a in items)
    return OwnerScore(owner.level, owner.key, owner.name, owner.department, own, own, weight_sum,
                      items_out, tuple(steps))


def _failed(a: Attainment, settings: KpiSettings) -> bool:
    """Not counted because of an error (not because missing_actual = "skip")."""
    return not (a.indicator.actual is None and settings.missing_actual == "skip")


HOSPITAL_SCOPE = "Toàn viện: cá nhân"  # the scope of the hospital-wide ranking of people


def _ranked(owners: Iterable[OwnerScore], scope: str, ties: list[Tie], report: Report,
            d: int) -> list[tuple[OwnerScore, int | None]]:
    """Competition ranking by score (1, 2, 2, 4): each owner with its rank, best first; ties
    reported, never broken; owners without a score last, unranked (None). Equal scores keep a
    stable order by name."""
    items = sorted(owners, key=lambda o: (o.score is None, -(o.score or 0.0), _key(o.name), o.key))
    out: list[tuple[OwnerScore, int | None]] = []
    i = 0
    while i < len(items):
        o = items[i]
        if o.score is None:
            out.append((o, None))
            i += 1
            continue
        j = i
        while j < len(items) and items[j].score == o.score:
            j += 1
        group = items[i:j]
        out.extend((g, i + 1) for g in group)
        if len(group) > 1:
            keys = tuple(g.key for g in group)
            ties.append(Tie(scope, i + 1, o.score, keys))
            names = ", ".join(f"{g.name} ({g.key})" if g.level.personal and g.name else g.name or g.key
                              for g in group)
            report.add(make_issue("kpi-rank-tie", value=names, scope=scope, score=shown(o.score, d),
                                  rank=i + 1))
        i = j
    return out


def _cascade_lines(atts: list[Attainment]) -> tuple[CascadeLine, ...]:
    parents = {(_key(a.indicator.code)): a for a in atts
               if a.indicator.level is Level.HOSPITAL and a.indicator.code}
    children: dict[str, list[Attainment]] = {}
    for a in atts:
        if a.indicator.parent and a.indicator.level is not Level.HOSPITAL:
            children.setdefault(_key(a.indicator.parent), []).append(a)
    return tuple(CascadeLine(parents[k], tuple(children[k])) for k in parents if k in children)


# --------------------------------------------------------------------------------------------
# KPI into the quarter's score (thidua score --kpi)
# --------------------------------------------------------------------------------------------


def criterion_points(score: float, max_points: float, decimals: int) -> tuple[float, ExplainStep]:
    """The points a KPI score gives a criterion of ``max_points``: KPI × max / 100, never above
    the maximum (an attainment above 100 % does not score above the criterion's maximum)."""
    raw = score * max_points / 100
    points = rounded(min(raw, max_points), decimals)
    tail = f", không vượt điểm tối đa {shown(max_points, decimals)}" if raw > max_points else ""
    return points, ExplainStep(
        "Điểm tiêu chí từ KPI",
        f"{shown(score, decimals)} × {shown(max_points, decimals)} / 100 = "
        f"{shown(rounded(raw, decimals), decimals)}{tail} → {shown(points, decimals)} điểm",
        "quy chế kpi.score_mode")


@dataclass(frozen=True)
class KpiFill:
    """What ``score --kpi`` puts into each person's criterion: the points by staff ID, the KPI
    steps for --explain, and the people who have no KPI score (an error each)."""

    points: Mapping[str, float]
    steps: Mapping[str, tuple[ExplainStep, ...]]
    issues: tuple[Issue, ...]


def fill_criterion(people: Iterable[tuple[str, str, str, SourceRow | None]], result: KpiResult,
                   criterion: str, max_points: float, decimals: int) -> KpiFill:
    """For each (staff ID, name, department, where) of the quarter: the KPI criterion's points.

    A person without a personal KPI takes their department's score when the department has
    one (a department-level KPI applies to all its staff), else it is an error."""
    points: dict[str, float] = {}
    steps: dict[str, tuple[ExplainStep, ...]] = {}
    issues: list[Issue] = []
    people = list(people)
    for staff_id, name, department, where in people:
        own = result.person(staff_id)
        if own is not None and own.score is not None:
            score, why = own.score, own.steps
        else:
            dept = result.department(department)
            if dept is None or dept.score is None or own is not None:
                reason = ("chỉ số cá nhân có lỗi" if own is not None
                          else f"khoa/phòng \"{department}\" cũng không có điểm KPI")
                issues.append(make_issue(
                    "kpi-no-score", file=where.file if where else None,
                    sheet=where.sheet if where else None, row=where.row if where else None,
                    value=staff_id, staff_id=staff_id, name=name, why=reason,
                    criterion=criterion))
                continue
            score = dept.score
            why = (ExplainStep("KPI", f"không có chỉ số cá nhân: dùng điểm KPI của khoa/phòng "
                                      f"\"{dept.name}\" = {shown(dept.score, decimals)}"),)
        pts, step = criterion_points(score, max_points, decimals)
        points[staff_id] = pts
        steps[staff_id] = (*why, step)
    # A person of the KPI workbook in a department the quarter lists, but not in the quarter's
    # sheets: a typo in a staff ID, or someone who left (reported, not an error).
    ids = {_id_key(p[0]) for p in people}
    departments = {_key(p[2]) for p in people}
    # People of a KPI department that is in no sheet of the quarter (the quarter read is one
    # department's, or the KPI names the department differently): ONE finding, at the first
    # such person's cell, counting them by department (a hospital's KPI beside one
    # department's quarter would otherwise give thousands).
    elsewhere: dict[str, list[OwnerScore]] = {}
    for o in result.people:
        if _id_key(o.key) in ids or not o.indicators:
            continue
        if _key(o.department) in departments:
            issues.append(_issue(o.indicators[0].indicator, "kpi-unknown-owner", "staff_id",
                                 value=o.key, what="Mã NV",
                                 where=f"bảng điểm quý của {o.department}", suggestion=""))
        else:
            elsewhere.setdefault(o.department, []).append(o)
    if elsewhere:
        first = next(iter(elsewhere.values()))[0]
        count = sum(len(g) for g in elsewhere.values())
        listed = "; ".join(f"{name}: {len(g)} người" for name, g in list(elsewhere.items())[:5])
        tail = f"; và {len(elsewhere) - 5} khoa/phòng khác" if len(elsewhere) > 5 else ""
        issues.append(_issue(
            first.indicators[0].indicator, "kpi-unknown-owner", "staff_id", value=first.key,
            what="Mã NV", where=f"bảng điểm quý (khoa/phòng \"{first.department}\" không có "
                                "trong quý)",
            suggestion=f" Bảng KPI có {count} người thuộc khoa/phòng không có trong bảng điểm quý "
                       f"({listed}{tail}): không đối chiếu được."))
    return KpiFill(points, steps, tuple(issues))


# --------------------------------------------------------------------------------------------
# Trends across periods (several KPI workbooks, one per quarter)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiTrend:
    """The KPI of the hospital and of each department, period by period (oldest first)."""

    periods: tuple[str, ...]  # labels: "Quý I năm 2026", or the file's name
    hospital: tuple[float | None, ...]
    departments: tuple[tuple[str, tuple[float | None, ...]], ...]  # name, one score a period


def trend(results: Sequence[tuple[str, KpiResult]]) -> KpiTrend:
    """The trend of ``results`` (label, result), in the order given."""
    names: dict[str, str] = {}
    for _, r in results:
        for d in r.departments:
            names.setdefault(_key(d.name), d.name)
    ordered = sorted(names.items(), key=lambda kv: kv[0])
    rows = tuple(
        (name, tuple((lambda d: None if d is None else d.score)(r.department(name))
                     for _, r in results))
        for _, name in ordered)
    return KpiTrend(tuple(label for label, _ in results),
                    tuple(r.hospital.score if r.hospital else None for _, r in results), rows)
