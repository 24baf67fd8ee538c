"""``thidua awards`` as a library function: read the year's workbooks, roll the quarters up,
read the ledger and the votes, decide, compare what-if runs, write the proposal workbook and
its JSON. :func:`run` takes an :class:`AwardsRequest` and returns an :class:`AwardsRun`
holding the typed result (:class:`~thidua_cli.core.awards_result.AwardsOutcome`). No
printing; failures are ThiduaError subclasses, data problems findings."""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from thidua_cli.config.load import RulesFile
from thidua_cli.core.awards import awards_outcome, decide_awards
from thidua_cli.core.awards_model import AwardsResult, Votes
from thidua_cli.core.awards_result import AwardEntry, AwardsOutcome, CandidateEntry, ExcludedEntry
from thidua_cli.core.period import find_period, parse_period_option
from thidua_cli.core.vntext import compact
from thidua_cli.core.yearly import YearPerson, YearResult, rollup_quarters, year_from_workbook
from thidua_cli.errors import InvalidDataError, RegulationError, UsageError
from thidua_cli.io.raw import RawWorkbook
from thidua_cli.model import (
    Dataset,
    InputFile,
    Issue,
    Period,
    PeriodKind,
    PersonResult,
    Regulation,
)

if TYPE_CHECKING:
    from thidua_cli.config.sections import UnionSettings
    from thidua_cli.core.initiatives import Register

Progress = Callable[[str], None]
OWN_OUTPUTS = (".de-xuat.xlsx", ".ket-qua.xlsx", ".kiem-tra.xlsx", ".de-xuat.json")


@dataclass(frozen=True)
class ScoreFile:
    """A quarter read from a ``thidua score --json`` result (io/score_result.py)."""

    period: Period
    dataset: Dataset


Loaded = RawWorkbook | ScoreFile


@dataclass(frozen=True)
class Decided:
    """One decision over the year: the core's result and its ``thidua.awards/2`` form."""

    result: AwardsResult
    outcome: AwardsOutcome
    year: YearResult
    inputs: tuple[InputFile, ...]
    ledger_state: dict[str, Any] | None


def input_files(paths: Sequence[Path]) -> tuple[list[Path], list[str]]:
    """The workbooks to read, leaving out thidua's own outputs (a glob such as nam-2026/*.xlsx
    also matches the proposal workbook written there by an earlier run)."""
    from thidua_cli.app.validate import collect_inputs

    # Folders as validate and score take them (issue 13): their spreadsheets, recursively.
    given = [Path(p) for p in paths]
    expanded, skipped_paths = collect_inputs(given, skip_named=True)
    keep: list[Path] = []
    skipped: list[str] = [str(p) for p in skipped_paths]
    for p in expanded:
        if p.name.lower().endswith(OWN_OUTPUTS):
            skipped.append(str(p))
        else:
            keep.append(p)
    if not keep:
        raise UsageError("Không có bảng điểm nào để đọc (các tệp đã cho đều là tệp kết quả của "
                         "thidua). Hãy chỉ các tệp bảng điểm quý hoặc năm.")
    return keep, skipped


class Books(Mapping[Path, Loaded]):
    """The inputs, each opened when first read: a workbook, or a ``thidua score --json``
    result (name ending in .json, or content starting with "{"). A quarter's workbooks are
    released once read (``keep=False``): the four raw quarters are never all in memory at
    once, only the people read from them. ``keep=True`` (a --compare run reads the same files
    under two regulations) holds each one opened."""

    def __init__(self, paths: Sequence[Path], progress: Progress | None = None, *,
                 keep: bool = True) -> None:
        self._paths = list(paths)
        self._open: dict[Path, Loaded] = {}
        self._progress = progress
        self.keep = keep

    def __getitem__(self, p: Path) -> Loaded:
        book = self._open.get(p)
        if book is None:
            from thidua_cli.io.score_result import load_score_result
            from thidua_cli.io.workbook import load_workbook

            if p not in self._paths:
                raise KeyError(p)
            if self._progress:
                self._progress(f"Đang đọc {p}")
            book = ScoreFile(*load_score_result(p)) if self.is_score(p) else load_workbook(p)
            self._open[p] = book
        return book

    def __iter__(self) -> Iterator[Path]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)

    @staticmethod
    def is_score(p: Path) -> bool:
        from thidua_cli.io.score_result import looks_like_score_result

        return looks_like_score_result(p)

    def release(self, p: Path) -> None:
        if not self.keep and not isinstance(self._open.get(p), ScoreFile):
            self._open.pop(p, None)


def load_workbooks(paths: Sequence[Path], progress: Progress | None = None, *,
                   keep: bool = True) -> Books:
    """The inputs of ``paths`` (see :class:`Books`)."""
    return Books(paths, progress, keep=keep)


def read_year(
    books: Mapping[Path, Loaded],
    regulation: Regulation,
    *,
    year_option: int | None = None,
    progress: Progress | None = None,
    cache: ReadCache | None = None,
    explain_ids: Sequence[str] = (),
) -> YearResult:
    """Group the workbooks by period (file name, else the title row), read each quarter (all its
    files together) and roll the quarters up; or score one year workbook.

    ``cache``: the quarters already read by an earlier call (``--compare`` decides the year
    under two regulations); a quarter is read again only when the regulation reads it
    differently (criteria, organisation, validation or overrides changed by --set).

    A ``thidua score --json`` result is a quarter of its own (its period is in the JSON): it
    may stand beside workbooks of other quarters, never beside another input of its quarter."""
    from thidua_cli.io.reader import read_dataset

    def read(files: Sequence[Path], period: Period | None) -> Dataset:
        key = (tuple(files), period, _reading_of(regulation))
        for known, dataset in cache or ():
            if known == key:
                return dataset
        loaded = [books[f] for f in files]
        scored = [b for b in loaded if isinstance(b, ScoreFile)]
        if scored:
            if len(loaded) > 1:
                names = ", ".join(f.name for f in files)
                raise UsageError(
                    f"{period.label if period else 'Một kỳ'} có nhiều đầu vào ({names}) trong đó "
                    "có tệp kết quả `thidua score --json`. Mỗi quý chỉ dùng một nguồn: hoặc một "
                    "tệp kết quả JSON, hoặc (các) bảng điểm Excel của quý đó."
                )
            return scored[0].dataset
        workbooks = [b for b in loaded if isinstance(b, RawWorkbook)]
        dataset = read_dataset(workbooks, regulation, period=period)
        del loaded, workbooks
        if isinstance(books, Books):
            for f in files:
                books.release(f)
        _refuse_errors(dataset)
        if cache is not None:
            cache.append((key, dataset))
        return dataset

    by_period: dict[Period, list[Path]] = {}
    for p in books:
        scored = Books.is_score(p) if isinstance(books, Books) else isinstance(books[p], ScoreFile)
        book = books[p] if scored else None
        period: Period | None = (
            book.period if isinstance(book, ScoreFile)
            else find_period(p.name) or read([p], None).period
        )
        if period is None:
            if year_option is not None and len(books) == 1:
                period = Period(PeriodKind.YEAR, year_option)
            else:
                raise UsageError(
                    f"Không biết {p.name} là bảng điểm quý nào: tên tệp và dòng tiêu đề không ghi "
                    "kỳ. Hãy đặt tên theo kỳ, ví dụ quy-1-2026.xlsx … quy-4-2026.xlsx (hoặc "
                    "nam-2026.xlsx cho bảng điểm cả năm)."
                )
        by_period.setdefault(period, []).append(p)
    kinds = {p.kind for p in by_period}
    years = {p.year for p in by_period}
    if year_option is not None and years != {year_option}:
        shown = ", ".join(p.label for p in sorted(by_period, key=lambda x: (x.year, x.number or 0)))
        raise UsageError(f"--year {year_option} khác năm của các bảng điểm ({shown}).")
    if kinds == {PeriodKind.YEAR} and len(by_period) == 1:
        period, files = next(iter(by_period.items()))
        return year_from_workbook(read(files, period), regulation, period.year, explain_ids)
    if kinds != {PeriodKind.QUARTER} or len(years) != 1:
        shown = ", ".join(p.label for p in sorted(by_period, key=lambda x: (x.year, x.number or 0)))
        raise UsageError(
            f"Cần các bảng điểm quý của cùng một năm, hoặc một bảng điểm năm (đang có: {shown})."
        )
    quarters: list[tuple[Period, Dataset]] = []
    for period in sorted(by_period, key=lambda x: x.number or 0):
        if progress:
            progress(f"Đang đọc {period.label}")
        dataset = read(by_period[period], period)
        dataset.period = period
        quarters.append((period, dataset))
    if progress:
        progress("Đang tổng hợp năm")
    from thidua_cli.gcpause import collector_paused

    with collector_paused():  # scoring allocates per person and makes no cycles (gcpause.py)
        return rollup_quarters(quarters, regulation, regulation.awards.rollup, explain_ids)


# (files, period, what of the regulation reads them) → the quarter read; compared with ==
# (a regulation's parts are frozen dataclasses, not all hashable).
ReadCache = list[tuple[tuple[Any, ...], Dataset]]


def _reading_of(regulation: Regulation) -> tuple[Any, ...]:
    """What of the regulation the reader uses (io/reader: criteria, organisation, validation,
    overrides): two regulations equal here read a quarter alike."""
    return (regulation.criteria, regulation.organisation, regulation.validation,
            regulation.overrides)


def _refuse_errors(dataset: Dataset) -> None:
    if not dataset.report.valid:
        names = ", ".join(sorted({i.file or "" for i in dataset.report.errors} - {""}))
        raise InvalidDataError(
            f"Bảng điểm có {len(dataset.report.errors)} lỗi phải sửa trước khi xét danh hiệu "
            f"({names}; chạy `thidua validate` để có bản đánh dấu từng ô).",
            report=dataset.report,
        )


def run_awards(
    year: YearResult,
    regulation: Regulation,
    *,
    history_path: Path | None,
    votes: Votes | None,
    decision_date: date | None,
    tool_version: str,
) -> Decided:
    from thidua_cli.gcpause import collector_paused
    from thidua_cli.io.ledger import read_history, read_holds

    history, state = read_history(history_path, year.year)
    assumed = decision_date is None
    when = decision_date or year.period.end
    # Deciding allocates a few objects per person and title and makes no cycles: the cyclic
    # collector's passes over everything alive cost a third of the decision (gcpause.py).
    with collector_paused():
        result = decide_awards(year, history, regulation, votes, when,
                               decision_date_assumed=assumed)
        outcome = awards_outcome(result, tool_version)
    if history.register is not None:  # issue 17: name the register's initiatives each award uses
        from thidua_cli.app.initiatives import name_uses

        outcome = name_uses(outcome, history.register)
    if regulation.union is not None and regulation.union.enabled:  # issue 17: [union]
        outcome = _union_titles(outcome, result, year, regulation.union, history.register)
    if held := read_holds(history_path, year.year):  # issue 17: open complaints (ND 152 Đ 4.4)
        from dataclasses import replace

        from thidua_cli.core.publish import hold

        outcome = hold(outcome, held)
        outcome = replace(outcome, union=tuple(u for u in outcome.union if u.staff_id not in held))
    return Decided(result, outcome, year, year.inputs, state)


def _union_titles(outcome: AwardsOutcome, result: AwardsResult, year: YearResult,
                  rules: UnionSettings, register: Register | None) -> AwardsOutcome:
    """The trade-union titles each rated person meets (core/union.py), added to the result.
    Without a register, the sheets' initiative and research counts stand for the year's."""
    from dataclasses import replace

    from thidua_cli.core.awards_result import UnionEntry
    from thidua_cli.core.union import Member, union_titles

    people = {pr.person.staff_id: pr.person for pr in year.score.people}
    people.update({p.staff_id: p for p in year.unrated})
    members = []
    for r in result.ratings:
        p = people.get(r.staff_id)
        if p is None:
            continue
        members.append(Member(
            r.staff_id, r.name, r.department, r.rating, leave_days=p.leave_days,
            recruited_on=p.recruited_on, discipline=p.discipline.label if p.discipline else "",
            initiatives=None if register is not None else r.initiatives + r.research))
    titles = union_titles(members, register.items if register is not None else (), year.year,
                          year.period.end, rules)
    return replace(outcome, union=tuple(
        UnionEntry(t.staff_id, t.name, t.department, t.title, t.label, t.basis) for t in titles))


# --------------------------------------------------------------------------------------------
# What-if: --set KEY=VALUE
# --------------------------------------------------------------------------------------------

_ALIASES = {
    "cap.htxs": "cap.rate",
    "cap.htxsnv": "cap.rate",
    "htxs": "cap.rate",
    "ldtt.min_months": "awards.ldtt.min_months",
}


def parse_sets(items: Sequence[str], default: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """"cap.rate=0.25" → [("cap.rate", 0.25)]. A key missing its section is looked up under
    [awards] ("ldtt.min_months"); unknown keys are usage errors with a suggestion."""
    from thidua_cli.regulation import suggest_key

    known = sorted(_dotted(default))
    out: list[tuple[str, Any]] = []
    for item in items:
        if "=" not in item:
            raise UsageError(f"--set \"{item}\" phải có dạng KHOÁ=GIÁ_TRỊ, ví dụ --set cap.rate=0.25.")
        raw_key, raw_value = item.split("=", 1)
        k = raw_key.strip()
        k = _ALIASES.get(k, k)
        if k not in known and f"awards.{k}" in known:
            k = f"awards.{k}"
        # A key of a table empty by default (awards.leader_share_cap.CSTD_TINH): the regulation
        # checker refuses an unknown title code (exit 3).
        if k not in known and k.rpartition(".")[0] in _empty_tables(default):
            known.append(k)
        if k not in known:
            close = suggest_key(k, known)
            hint = f" Có phải ý bạn là `{close}`?" if close else ""
            raise UsageError(f"--set: không có khoá `{raw_key.strip()}` trong quy chế.{hint}")
        out.append((k, _value(raw_value)))
    return out


def _value(text: str) -> Any:
    t = text.strip()
    try:
        return tomllib.loads(f"v = {t}")["v"]
    except tomllib.TOMLDecodeError:
        return t


def _empty_tables(mapping: Mapping[str, Any], prefix: str = "") -> set[str]:
    out: set[str] = set()
    for k, v in mapping.items():
        if isinstance(v, Mapping):
            path = f"{prefix}.{k}" if prefix else k
            out |= {path} if not v else _empty_tables(v, path)
    return out


def _dotted(mapping: Mapping[str, Any], prefix: str = "") -> list[str]:
    out: list[str] = []
    for k, v in mapping.items():
        path = f"{prefix}.{k}" if prefix else k
        if isinstance(v, Mapping):
            out.extend(_dotted(v, path))
        else:
            out.append(path)
    return out


def regulation_with(rules: RulesFile | Path | None, sets: Sequence[tuple[str, Any]]) -> Regulation:
    """The regulation of ``rules`` (the file already read, a path, or None for the default)
    with the --set values applied, checked by the same checker as any regulation file (exit 3)."""
    # --set writes into the user's mapping, before the merge over the default.
    from thidua_cli.regulation import read_rules, regulation_from_mapping

    if isinstance(rules, Path):
        rules = read_rules(rules)
    user: dict[str, Any] = {} if rules is None else copy.deepcopy(rules.data)
    for k, value in sets:
        node = user
        parts = k.split(".")
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise UsageError(f"--set: `{k}` không hợp lệ.")
            node = child
        node[parts[-1]] = value
    source = f"{rules.source if rules else 'quy chế mặc định'} + --set"
    try:
        return regulation_from_mapping(user, source, label="tuỳ chọn --set")
    except RegulationError as exc:
        raise RegulationError("Giá trị --set không hợp lệ:\n" + exc.message) from exc


# --------------------------------------------------------------------------------------------
# --compare: who gains or loses what
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    kind: str
    who: str  # staff ID or department
    name: str
    department: str
    title: str
    title_label: str
    before: str  # status, or "" when not proposed
    after: str


def compare(plain: AwardsOutcome, what_if: AwardsOutcome) -> list[Change]:
    """Awards whose status differs between two results, plus rating changes."""

    def index(result: AwardsOutcome) -> dict[tuple[str, str, str], AwardEntry]:
        return {(a.kind, a.staff_id or a.name, a.title): a for a in result.awards}

    a, b = index(plain), index(what_if)
    changes: list[Change] = []
    for k in sorted(set(a) | set(b), key=lambda k: (k[2], compact(k[1]))):
        x, y = a.get(k), b.get(k)
        before = x.status if x else ""
        after = y.status if y else ""
        if before == after:
            continue
        ref = y or x
        assert ref is not None
        changes.append(Change(ref.kind, k[1], ref.name, ref.department, ref.title,
                              ref.title_label, before, after))
    ra = {r.staff_id: r for r in plain.ratings}
    rb = {r.staff_id: r for r in what_if.ratings}
    for sid in sorted(set(ra) | set(rb)):
        rx, ry = ra.get(sid), rb.get(sid)
        before = (rx.rating or "") if rx else ""
        after = (ry.rating or "") if ry else ""
        if before != after:
            rref = ry or rx
            assert rref is not None
            changes.append(Change("individual", sid, rref.name, rref.department, "RATING",
                                  "Xếp loại năm", before, after))
    return changes


def period_option(value: str | None) -> int | None:
    if value is None:
        return None
    period = parse_period_option(value)
    if period.kind is not PeriodKind.YEAR:
        raise UsageError("--year nhận một năm, ví dụ --year 2026.")
    return period.year


# --------------------------------------------------------------------------------------------
# The command as one function
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AwardsRequest:
    """What ``thidua awards`` was asked, as typed values (the CLI parses the options)."""

    files: Sequence[Path]
    rules: Path | None = None
    ledger: Path = Path("thidua.db")
    votes: Path | None = None
    council_size: int | None = None
    decision_date: date | None = None
    year: int | None = None
    sets: Sequence[str] = ()
    compare: bool = False
    output: Path | None = None  # the proposal workbook; None: beside the inputs
    force: bool = False
    write: bool = True  # False: --no-output
    tool_version: str = ""
    command: str = ""  # the command line, for the log sheet
    started_at: str = ""  # ISO time the run started, for the log sheet
    explain: str | None = None  # a staff ID: explain that person's year instead of writing


@dataclass(frozen=True)
class Explained:
    """``--explain MÃ_NV``: what decided one person's year, from the run's own results."""

    staff_id: str
    name: str
    department: str
    quarters: YearPerson | None  # the quarters rolled up (None: a year workbook)
    rating: PersonResult | None  # the year rating with its steps (None: no rated quarter)
    candidates: tuple[CandidateEntry, ...]  # each title considered, condition by condition
    awards: tuple[AwardEntry, ...]  # what was proposed or decided, with the money
    excluded: ExcludedEntry | None  # not rated here (left, missing quarter), and why
    base_salary: int | None
    base_salary_basis: str
    decision_date: date


@dataclass(frozen=True)
class AwardsRun:
    """What one ``thidua awards`` run decided and wrote."""

    outcome: AwardsOutcome
    decided: Decided
    skipped_inputs: tuple[str, ...] = ()
    written: tuple[Path, Path] | None = None  # (workbook, JSON)
    changes: tuple[Change, ...] | None = None  # --compare: who gains or loses what
    explained: Explained | None = None  # --explain MÃ_NV

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return self.decided.result.warnings


def run(
    request: AwardsRequest,
    *,
    progress: Progress | None = None,
    note: Progress | None = None,
) -> AwardsRun:
    """Decide the year's awards. ``progress`` hears what is being read or written; ``note``
    hears inputs left out (thidua's own outputs matched by a glob). Raises
    :class:`InvalidDataError` with the findings when a score sheet or the votes file has
    errors."""
    from thidua_cli.regulation import (
        default_regulation,
        default_toml_text,
        read_rules,
        regulation_from_rules,
    )

    sets = list(request.sets)
    if request.compare and not sets:
        raise UsageError("--compare cần ít nhất một --set KHOÁ=GIÁ_TRỊ để so sánh.")
    parsed_sets = parse_sets(sets, tomllib.loads(default_toml_text()))
    # The rules file is read once; --set is applied over that reading.
    rules_file = read_rules(request.rules) if request.rules is not None else None
    regulation = regulation_from_rules(rules_file) if rules_file else default_regulation()
    what_if = regulation_with(rules_file, parsed_sets) if parsed_sets else None

    paths, skipped = input_files(request.files)
    for s in skipped:
        if note:
            what = ("tệp khoá của Excel/LibreOffice" if Path(s).name.startswith(("~$", ".~lock"))
                    else "đây là tệp kết quả của thidua")
            note(f"Bỏ qua {s}: {what}, không phải bảng điểm.")
    # The outputs are checked before anything is read (io/outputs.guard), when their names are
    # known: -o, or a year named by --year or the file names. Only a default name that needs
    # the year found inside the files waits for the reading.
    planned = None
    if request.write and not request.compare and request.explain is None:
        known_year = request.year or _year_in_names(paths)
        if request.output is not None or known_year is not None or _single_year_file(paths):
            planned = output_pair(request.output or default_output(paths, known_year or 0))
            guard_awards(planned, request, paths)
    votes = read_votes_option(request, regulation)

    books = load_workbooks(paths, progress, keep=request.compare)
    # Only a --compare run reads the year twice: the quarters read are kept for its second pass.
    cache: ReadCache | None = [] if request.compare else None
    explain_ids = () if request.explain is None else (request.explain.strip(),)
    year_result = read_year(books, what_if or regulation, year_option=request.year,
                            progress=progress, cache=cache, explain_ids=explain_ids)
    plain = None
    if request.compare:
        # The quarters read once: the plain run reuses them unless --set changed how they read.
        plain_year = read_year(books, regulation, year_option=request.year, cache=cache)
        plain = run_awards(plain_year, regulation, history_path=request.ledger, votes=votes,
                           decision_date=request.decision_date,
                           tool_version=request.tool_version)
    decided = run_awards(year_result, what_if or regulation, history_path=request.ledger,
                         votes=votes, decision_date=request.decision_date,
                         tool_version=request.tool_version)
    if plain is not None:
        return AwardsRun(decided.outcome, decided, tuple(skipped),
                         changes=tuple(compare(plain.outcome, decided.outcome)))
    if request.explain is not None:
        return AwardsRun(decided.outcome, decided, tuple(skipped),
                         explained=explain(decided, request.explain))
    if not request.write:
        return AwardsRun(decided.outcome, decided, tuple(skipped))

    from thidua_cli.io.atomic import write_atomic
    from thidua_cli.io.awards_xlsx import write_awards_workbook

    if planned is None:
        planned = output_pair(request.output or default_output(paths, decided.outcome.year))
        guard_awards(planned, request, paths)
    target, json_target = planned
    reg = what_if or regulation
    log = {
        "started_at": request.started_at,
        "command": request.command,
        "regulation_source": reg.source,
        "regulation_sha256": reg.sha256,
        "overrides": sets,
        "ledger": str(request.ledger) if decided.ledger_state else "",
        "ledger_state": decided.ledger_state or {},
        "votes": str(request.votes) if request.votes else "",
        "inputs": [{"path": i.path, "sha256": i.sha256, "format": i.format}
                   for i in decided.inputs],
    }
    if progress:
        progress(f"Đang ghi {target}")
    from thidua_cli.gcpause import collector_paused

    with collector_paused():  # a row of cells per person and title, no cycles (gcpause.py)
        data = decided.outcome.json_bytes()  # serialised once, for both files

        def write_json(tmp: Path) -> None:
            with tmp.open("wb") as f:
                f.write(data)
                f.write(b"\n")

        write_awards_workbook(decided.outcome, log, target, force=request.force, json_text=data)
        write_atomic(json_target, write_json, force=request.force)
    return AwardsRun(decided.outcome, decided, tuple(skipped), written=(target, json_target))


def explain(decided: Decided, staff_id: str) -> Explained:
    """The person of ``staff_id`` (as score --explain finds them: exact, else the one with the
    same match key) across the year's rating, the titles and the money. Raises UsageError
    (exit 2) naming the closest ID when nobody has it."""
    from thidua_cli.core.scoring import find_person
    from thidua_cli.core.vntext import key, suggest

    outcome, year = decided.outcome, decided.year
    known = ({r.staff_id for r in outcome.ratings} | {e.staff_id for e in outcome.excluded}
             | {p.staff_id for p in year.unrated} | set(year.people))
    wanted = staff_id.strip()
    if wanted not in known:
        same = [k for k in known if key(k) == key(wanted)]
        if len(same) != 1:
            close = suggest(wanted, sorted(known), cutoff=0.7)
            hint = f" Có phải \"{close}\"?" if close else ""
            raise UsageError(f"Không có mã nhân viên \"{staff_id}\" trong các bảng điểm.{hint} "
                             "Hãy dùng mã ở cột \"Mã NV\" của bảng điểm.")
        wanted = same[0]
    rating = None
    if year.score.person(wanted) is not None:
        rating = find_person(year.score, wanted)
    rated = next((r for r in outcome.ratings if r.staff_id == wanted), None)
    excluded = next((e for e in outcome.excluded if e.staff_id == wanted), None)
    unrated = next((p for p in year.unrated if p.staff_id == wanted), None)
    name, department = (
        (rating.person.name, rating.person.department) if rating is not None
        else (rated.name, rated.department) if rated is not None
        else (excluded.name, excluded.department) if excluded is not None
        else (unrated.name, unrated.department) if unrated is not None else ("", ""))
    return Explained(
        staff_id=wanted, name=name, department=department,
        quarters=year.people.get(wanted), rating=rating,
        candidates=tuple(c for c in outcome.candidates
                         if c.kind == "individual" and c.staff_id == wanted),
        awards=tuple(a for a in outcome.awards if a.kind == "individual" and a.staff_id == wanted),
        excluded=excluded, base_salary=outcome.base_salary,
        base_salary_basis=outcome.base_salary_basis, decision_date=outcome.decision_date)


def read_votes_option(request: AwardsRequest, regulation: Regulation) -> Votes | None:
    """The council's tally sheet of --votes, or None; its errors are findings (exit 1)."""
    if request.votes is None:
        return None
    from thidua_cli.io.awards_io import read_votes

    votes, report = read_votes(request.votes,
                               members_setting=regulation.council.members,
                               members_option=request.council_size)
    if not report.valid:
        raise InvalidDataError(
            f"Tệp phiếu bầu {request.votes} có {len(report.errors)} lỗi (xem danh sách trên).",
            report)
    return votes


def output_pair(target: Path) -> tuple[Path, Path]:
    """The proposal workbook and the JSON written beside it (``x.xlsx`` → ``x.json``)."""
    return target, target.with_name(_strip_xlsx(target.name) + ".json")


def guard_awards(outputs: tuple[Path, Path], request: AwardsRequest,
                 read: Sequence[Path]) -> None:
    """io/outputs.guard over both outputs: never an input (the quarter files ``read``, votes,
    the regulation) nor the ledger, whatever --force says. A previous run's own output that a
    glob matched (``nam-2026/*.xlsx``) is skipped, not read: with --force it is replaced."""
    from thidua_cli.io.outputs import Protected, guard

    inputs = [*read, *(p for p in (request.votes, request.rules) if p is not None)]
    guard(outputs, Protected.of(inputs, ledger=request.ledger), force=request.force)


def _year_in_names(paths: Sequence[Path]) -> int | None:
    """The year the file names give (quy-4-2026.xlsx), when they all agree; else None."""
    years = set()
    for p in paths:
        found = find_period(p.name)
        if found is None:
            return None
        years.add(found.year)
    return years.pop() if len(years) == 1 else None


def _single_year_file(paths: Sequence[Path]) -> bool:
    """One input whose default output is named after its own stem (no year needed)."""
    if len(paths) != 1:
        return False
    period = find_period(paths[0].name)
    return period is None or period.kind is PeriodKind.YEAR


def _strip_xlsx(name: str) -> str:
    return name[:-5] if name.lower().endswith(".xlsx") else name


def default_output(paths: Sequence[Path], year: int) -> Path:
    """``nam-2026.de-xuat.xlsx`` in the inputs' folder for quarter files; ``<stem>.de-xuat.xlsx``
    beside a single year workbook."""
    first = paths[0]
    if len(paths) == 1:
        period = find_period(first.name)
        if period is None or period.kind is PeriodKind.YEAR:
            return first.with_name(first.stem + ".de-xuat.xlsx")
    return first.with_name(f"nam-{year}.de-xuat.xlsx")
