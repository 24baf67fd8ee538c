"""The library entry points behind the commands: read files, score, with no printing.

Each command in ``cli/`` is a short adapter over one of these functions. They raise
``ThiduaError`` subclasses for failures and return findings in reports.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from pathlib import Path

from thidua_cli.errors import InvalidDataError, PeriodRequiredError
from thidua_cli.model import Dataset, Period, Regulation, ScoreResult

Progress = Callable[[str], None]


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
) -> tuple[Dataset, ScoreResult]:
    """Read and score. Refuses (InvalidDataError, exit 1) exactly when ``validate`` finds errors.

    ``explain_ids``: whose explanation steps to build (core.scoring.score_dataset; None =
    everyone, ``()`` = nobody)."""
    from thidua_cli.core.scoring import score_dataset
    from thidua_cli.gcpause import collector_paused

    # The reader looks for the period itself (file names, then title rows) when none is given.
    dataset = read_files(paths, regulation, period=period, progress=progress)
    if not dataset.report.valid:
        raise invalid_data_error(dataset)
    resolved, source = resolve_period(period, paths, dataset)
    dataset.period, dataset.period_source = resolved, source
    if progress:
        progress("Đang chấm điểm")
    with collector_paused():  # the core allocates per person, makes no cycles (gcpause.py)
        result = score_dataset(dataset, regulation, resolved, explain_ids=explain_ids)
    return dataset, result
