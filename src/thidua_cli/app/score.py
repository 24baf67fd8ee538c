"""``score`` as a library call: read the workbooks, score, write the result workbook.

Typed inputs in (paths, a loaded regulation, a period, :class:`ScoreOptions`), a typed
:class:`ScoreOutcome` out; no printing (``present/score.py`` shows it, ``cli/score.py`` only
parses options). Failures are ``ThiduaError`` subclasses: unreadable files, a run without a
period, data that ``validate`` would refuse (``InvalidDataError``, exit 1, with its report).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from thidua_cli.errors import (
    InvalidDataError,
    OutputExistsError,
    PeriodRequiredError,
    ThiduaError,
    UsageError,
)
from thidua_cli.model import (
    Criterion,
    Dataset,
    Period,
    PersonResult,
    Regulation,
    RunInfo,
    ScoreResult,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from thidua_cli.core.kpi import KpiFill, KpiResult

Progress = Callable[[str], None]

RESULT_SUFFIX = ".ket-qua.xlsx"


@dataclass(frozen=True)
class ScoreOptions:
    """What the clerk chose besides the files, the regulation and the period."""

    output: Path | None = None  # None: <stem>.ket-qua.xlsx beside the first input
    write: bool = True  # False: --no-output (nothing written)
    force: bool = False  # overwrite an existing result workbook
    explain: str | None = None  # a staff ID: explain that person instead of writing
    command: str = "thidua score"  # the command line, for the workbook's "Nhật ký"
    started_at: datetime | None = None  # the run's clock (passed in; None: now)
    # With --json (issue 13): a refused workbook is told here and the run goes on without
    # writing it, so that the JSON is still printed; None: the refusal stops the run.
    on_refused: Callable[[ThiduaError], None] | None = None
    kpi: Path | None = None  # a KPI workbook filling the KPI criterion (thidua score --kpi)


@dataclass(frozen=True)
class ScoreOutcome:
    """One score run: what was read, the result, the facts of the run and what was written."""

    dataset: Dataset
    result: ScoreResult
    regulation: Regulation
    run: RunInfo
    target: Path | None = None  # the workbook written, None with --no-output or --explain
    skipped: tuple[Path, ...] = ()  # lock files and thidua's own outputs left out (as validate)
    refused: ThiduaError | None = None  # why the workbook was not written (on_refused)
    explained: PersonResult | None = None  # the person of --explain


def score(
    paths: Sequence[Path],
    regulation: Regulation,
    *,
    period: Period | None = None,
    options: ScoreOptions | None = None,
    progress: Progress | None = None,
) -> ScoreOutcome:
    """Read, score and (unless told not to) write ``<stem>.ket-qua.xlsx``.

    With ``options.explain`` only that person's explanation steps are built and nothing is
    written (the outcome's ``explained``). Raises ``InvalidDataError`` exactly when
    ``validate`` finds errors, ``OutputExistsError`` when the workbook exists without
    ``force``."""
    from thidua_cli import __version__
    from thidua_cli.app.validate import collect_inputs

    options = options or ScoreOptions()
    started = options.started_at or datetime.now().astimezone()
    # Folders, lock files (~$….xlsx) and thidua's own outputs as validate takes them (issue 13).
    files, skipped = collect_inputs(paths, skip_named=True)
    if not files:
        raise UsageError("Không có bảng điểm nào để chấm (các tệp đã cho là tệp khoá của Excel "
                         "hoặc tệp kết quả của thidua). Ví dụ: thidua score quy-4-2026.xlsx")
    paths = files
    explain = None if options.explain is None else options.explain.strip()
    target: Path | None = None
    refused: ThiduaError | None = None
    if options.write and options.explain is None:
        # Before anything is read (issue 10, 13): a refused output costs the clerk nothing.
        target = options.output or default_output(paths, period)
        from thidua_cli.app.outputs import guard_outputs

        try:
            guard_outputs([target], [*paths, *([options.kpi] if options.kpi else [])], regulation,
                      force=options.force)
        except (OutputExistsError, UsageError) as exc:
            if options.on_refused is None:
                raise
            options.on_refused(exc)
            target, refused = None, exc
    # Explanation steps are texts for --explain only: build them for that one person.
    dataset, result = score_files(
        paths, regulation, period=period, progress=progress,
        explain_ids=() if explain is None else (explain,), kpi=options.kpi,
    )
    run = RunInfo(
        tool_version=__version__,
        started_at=started,
        command=options.command,
        inputs=tuple(dataset.inputs),
        regulation_source=regulation.source,
        regulation_sha256=regulation.sha256,
    )
    if options.explain is not None:
        from thidua_cli.core.scoring import find_person

        explained = find_person(result, options.explain)
        return ScoreOutcome(dataset, result, regulation, run, explained=explained,
                            skipped=tuple(skipped))

    if target is not None:
        from thidua_cli.io.result_xlsx import write_score_workbook

        if progress:
            progress(f"Đang ghi {target}")
        write_score_workbook(result, run, target, force=options.force)
    return ScoreOutcome(dataset, result, regulation, run, target=target, refused=refused,
                        skipped=tuple(skipped))


def default_output(inputs: Path | Sequence[Path], period: Period | None = None) -> Path:
    """One input: ``quy-4-2026.xlsx`` → ``quy-4-2026.ket-qua.xlsx`` beside it. Several (issue 13:
    not after the first one alone): in their common folder, named after the period when it is
    known before reading (``--period``, else the first file name naming one), else after that
    folder: ``nop-ve/quy-4-2026.ket-qua.xlsx``, ``nop-ve/nop-ve.ket-qua.xlsx``."""
    import os

    from thidua_cli.core.period import find_period

    paths = [inputs] if isinstance(inputs, Path) else list(inputs)
    if len(paths) == 1:
        return paths[0].with_name(paths[0].stem + RESULT_SUFFIX)
    folder = Path(os.path.commonpath([p.absolute().parent for p in paths]))
    if period is None:
        period = next((f for f in (find_period(p.name) for p in paths) if f is not None), None)
    name = _period_stem(period) if period is not None else (folder.name or "ket-qua")
    if not paths[0].is_absolute():
        folder = Path(os.path.relpath(folder))  # said back as the clerk typed the paths
    return folder / (name + RESULT_SUFFIX)


def _period_stem(period: Period) -> str:
    """The file-name form thidua also reads back (core/period.find_period): quy-4-2026, nam-2026,
    thang-03-2026."""
    from thidua_cli.model import PeriodKind

    if period.kind is PeriodKind.YEAR:
        return f"nam-{period.year}"
    if period.kind is PeriodKind.QUARTER:
        return f"quy-{period.number}-{period.year}"
    return f"thang-{period.number:02d}-{period.year}"


def read_files(
    paths: Sequence[str | Path],
    regulation: Regulation,
    *,
    period: Period | None = None,
    progress: Progress | None = None,
) -> Dataset:
    """Load every workbook and read the people of one period, with every finding."""
    from thidua_cli.io.reader import read_dataset
    from thidua_cli.io.workbook import load_workbook

    raws = []
    for path in paths:
        if progress:
            progress(f"Đang đọc {path}")
        raws.append(load_workbook(path))
    return read_dataset(raws, regulation, period=period)


def resolve_period(
    option: Period | None, paths: Sequence[str | Path], dataset: Dataset | None
) -> tuple[Period, str]:
    """The period of a run and where it came from: --period, else what the reader found (the
    first file name, then the first title row).

    The period end is the reference date of every date rule (decisions.md), never today.
    """
    if option is not None:
        return option, "tuỳ chọn --period"
    if dataset is not None and dataset.period is not None:
        return dataset.period, dataset.period_source or "dòng tiêu đề của bảng"
    names = ", ".join(Path(p).name for p in paths)
    raise PeriodRequiredError(
        f"Không xác định được kỳ đánh giá của {names}: tên tệp và dòng tiêu đề không ghi quý/năm. "
        "Hãy thêm --period, ví dụ --period 2026-Q4 (quý IV năm 2026) hoặc --period 2026 (cả năm)."
    )


def invalid_data_error(dataset: Dataset) -> InvalidDataError:
    errors = dataset.report.errors
    return InvalidDataError(
        f"Bảng điểm có {len(errors)} lỗi phải sửa trước khi chấm điểm (xem danh sách ở trên; "
        "chạy `thidua validate` để có bản đánh dấu từng ô).",
        report=dataset.report,
    )


def score_files(
    paths: Sequence[str | Path],
    regulation: Regulation,
    *,
    period: Period | None = None,
    progress: Progress | None = None,
    explain_ids: Collection[str] | None = None,
    kpi: Path | None = None,
) -> tuple[Dataset, ScoreResult]:
    """Read and score, writing nothing. Refuses (InvalidDataError, exit 1) exactly when
    ``validate`` finds errors.

    ``explain_ids``: whose explanation steps to build (core.scoring.score_dataset; None =
    everyone, ``()`` = nobody). ``kpi``: a KPI workbook whose scores fill the KPI criterion
    (``[kpi] score_mode``); its steps lead each explained person's steps."""
    from thidua_cli.core.scoring import score_dataset
    from thidua_cli.gcpause import collector_paused

    plan = None if kpi is None else _KpiPlan.of(
        kpi, regulation, progress, True if explain_ids is None else tuple(explain_ids))
    # The reader looks for the period itself (file names, then title rows) when none is given.
    read_with = regulation if plan is None else plan.read_regulation
    dataset = read_files(paths, read_with, period=period, progress=progress)
    fill = None
    if plan is not None:
        fill = plan.apply(dataset)
    if not dataset.report.valid:
        raise invalid_data_error(dataset)
    resolved, source = resolve_period(period, paths, dataset)
    dataset.period, dataset.period_source = resolved, source
    if progress:
        progress("Đang chấm điểm")
    with collector_paused():  # the core allocates per person, makes no cycles (gcpause.py)
        result = score_dataset(dataset, regulation, resolved, explain_ids=explain_ids)
    if fill is not None and fill.steps and explain_ids != ():
        from dataclasses import replace

        # Only the explained people have steps; theirs start with how the KPI was computed.
        result = replace(result, people=tuple(
            replace(p, steps=(*fill.steps.get(p.person.staff_id, ()), *p.steps)) if p.steps else p
            for p in result.people))
    return dataset, result


@dataclass(frozen=True)
class _KpiPlan:
    """How a KPI workbook enters a score run: the regulation the quarter is read with (without
    the criterion the KPI fills), the criterion, and the computed KPI."""

    read_regulation: Regulation
    criterion: Criterion
    criteria: tuple[Criterion, ...]  # the run's criteria (the regulation's; "total": the KPI)
    total: bool  # score_mode = "total": the KPI is the whole score
    kpi: KpiResult
    decimals: int

    @classmethod
    def of(cls, path: Path, regulation: Regulation, progress: Progress | None,
           explain: bool | Collection[str]) -> _KpiPlan:
        from dataclasses import replace

        from thidua_cli.app.kpi import read_kpi
        from thidua_cli.core import vntext
        from thidua_cli.errors import RegulationError

        settings = regulation.kpi
        code = settings.score_criterion
        result = read_kpi(path, regulation, progress=progress, explain=explain)
        if not result.report.valid:
            errors = result.report.errors
            raise InvalidDataError(
                f"Bảng KPI {path.name} có {len(errors)} lỗi phải sửa trước khi chấm điểm (xem "
                "danh sách ở trên; chạy `thidua kpi` để xem chi tiết).", report=result.report)
        decimals = regulation.scoring.decimals
        if settings.score_mode == "total":
            crit = Criterion(code, "Kết quả KPI", "KPI", regulation.scoring.total_max)
            return cls(replace(regulation, criteria=()), crit, (crit,), True, result, decimals)
        found = [c for c in regulation.criteria if vntext.key(c.code) == vntext.key(code)]
        if not found:
            raise RegulationError(
                f"Quy chế {regulation.source}: kpi.score_criterion = \"{code}\" nhưng không có "
                f"tiêu chí mã {code} trong [[criteria]]. Hãy thêm một khối [[criteria]] với code = "
                f"\"{code}\" và điểm tối đa (max_points), hoặc ghi kpi.score_mode = \"total\".")
        crit = found[0]
        others = tuple(c for c in regulation.criteria if c is not crit)
        return cls(replace(regulation, criteria=others), crit, regulation.criteria, False, result,
                   decimals)

    def apply(self, dataset: Dataset) -> KpiFill:
        """Fill the criterion of every person read (in place); a person without KPI is an
        error in the dataset's report."""
        from dataclasses import replace

        from thidua_cli.core.kpi import fill_criterion
        from thidua_cli.io.reader.fields import REGULATION_SOURCE

        crit = self.criterion
        if self.total or dataset.criteria_source == REGULATION_SOURCE:
            dataset.criteria = self.criteria
        elif all(c.code != crit.code for c in dataset.criteria):
            dataset.criteria = (*dataset.criteria, crit)
        fill = fill_criterion(
            ((p.staff_id, p.name, p.department, p.source) for p in dataset.people),
            self.kpi, crit.code, crit.max_points, self.decimals)
        for issue in fill.issues:
            dataset.report.add(issue)
        dataset.people = [
            replace(p, scores={**p.scores, crit.code: fill.points[p.staff_id]})
            if p.staff_id in fill.points else p for p in dataset.people]
        return fill


# The people table as a pandas DataFrame: the column names are the headers of the "Cá nhân"
# sheet, so a notebook and the workbook speak of the same columns.
def to_dataframe(result: ScoreResult) -> pd.DataFrame:
    """The people of ``result`` as a DataFrame, one row per person, the columns and values of
    the result workbook's "Cá nhân" sheet (for analysts in a notebook).

    pandas is an optional extra: ``pip install 'thidua[pandas]'``."""
    try:
        import pandas as pd
    except ImportError as exc:
        from thidua_cli.errors import UsageError

        raise UsageError(
            "to_dataframe cần thư viện pandas: cài bằng pip install 'thidua[pandas]'."
        ) from exc
    from thidua_cli.io.result_xlsx import people_table

    columns = people_table(result.criteria)
    rows = [
        [column.cell_value(i, pr) for column in columns]
        for i, pr in enumerate(result.people, start=1)
    ]
    return pd.DataFrame(rows, columns=[column.header for column in columns])
