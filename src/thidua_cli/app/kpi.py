"""``kpi`` as a library call: read a KPI workbook, compute (core/kpi.py), write
``<stem>.kpi.xlsx``; and ``kpi template``: the workbook a department fills in.

Typed inputs in, a typed :class:`KpiOutcome` out; no printing (``present/kpi.py`` shows it).
``score --kpi`` reads its KPI file through :func:`read_kpi` too, so both commands see the same
indicators, findings and scores.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from thidua_cli.core.kpi import KpiResult, KpiTrend
from thidua_cli.errors import ExitCode, UsageError
from thidua_cli.model import Regulation

Progress = Callable[[str], None]

KPI_SUFFIX = ".kpi.xlsx"
TEMPLATE_NAME = "mau-kpi.xlsx"


@dataclass(frozen=True)
class KpiOutcome:
    path: Path  # the KPI workbook read (the latest period's when several are given)
    result: KpiResult
    target: Path | None = None  # the workbook written (None: --no-output, or errors)
    trend: KpiTrend | None = None  # several workbooks: the scores period by period
    earlier: tuple[tuple[Path, KpiResult], ...] = ()  # the other periods' results

    @property
    def valid(self) -> bool:
        return self.result.report.valid and all(r.report.valid for _, r in self.earlier)

    @property
    def exit_code(self) -> int:
        return 0 if self.valid else int(ExitCode.INVALID_DATA)


def default_output(path: Path) -> Path:
    """``kpi-quy-4-2026.xlsx`` → ``kpi-quy-4-2026.kpi.xlsx`` beside it."""
    return path.with_name(path.stem + KPI_SUFFIX)


def read_kpi(path: Path, regulation: Regulation, *, progress: Progress | None = None,
             explain: bool | Collection[str] = True) -> KpiResult:
    """Read and compute one KPI workbook (never raises for data: findings are in the report;
    an unreadable file is an InputFileError, exit 4). ``explain``: whose steps to build
    (core.kpi.compute_kpi)."""
    from thidua_cli.core.kpi import compute_kpi
    from thidua_cli.gcpause import collector_paused
    from thidua_cli.io.reader.kpi import read_kpi_workbook
    from thidua_cli.io.sniff import display_name
    from thidua_cli.io.workbook import load_workbook

    if progress:
        progress(f"Đang đọc {path}")
    raw = load_workbook(path)
    org = regulation.organisation
    with collector_paused():  # the reader and the core allocate per row, make no cycles
        data = read_kpi_workbook(raw, display_name(path))
        return compute_kpi(data.indicators, regulation.kpi, report=data.report,
                           departments=org.departments, hospital_name=org.name, explain=explain)


def run_kpi(paths: Sequence[Path], regulation: Regulation, *, output: Path | None = None,
            write: bool = True, force: bool = False, command: str = "thidua kpi",
            progress: Progress | None = None, explain: bool = True) -> KpiOutcome:
    """Compute the KPI of each workbook of ``paths`` (one a period) and (unless ``write`` is
    False or the data has errors) write ``<stem>.kpi.xlsx`` beside the latest. Several
    workbooks are ordered by the period in their names (``kpi-quy-3-2026``), else as given,
    and give the trend. The output is checked before anything is read."""
    from thidua_cli.app.outputs import guard_outputs
    from thidua_cli.core.kpi import trend
    from thidua_cli.core.period import find_period
    from thidua_cli.gcpause import collector_paused

    if not paths:
        raise UsageError("Chưa có bảng KPI nào. Ví dụ: thidua kpi kpi-quy-4-2026.xlsx")
    periods = [find_period(p.stem) for p in paths]
    order = list(range(len(paths)))
    if all(periods):  # every name tells its period: oldest first
        order.sort(key=lambda i: (periods[i].start, i))  # type: ignore[union-attr]
    ordered = [paths[i] for i in order]
    labels = [periods[i].label if periods[i] else paths[i].name  # type: ignore[union-attr]
              for i in order]
    latest = ordered[-1]
    target = (output or default_output(latest)) if write else None
    if target is not None:
        guard_outputs([target], ordered, regulation, force=force)
    results = [(p, read_kpi(p, regulation, progress=progress,
                            explain=explain and p == latest)) for p in ordered]
    result = results[-1][1]
    kpi_trend = (trend([(label, r) for label, (_, r) in zip(labels, results, strict=True)])
                 if len(results) > 1 else None)
    outcome = KpiOutcome(latest, result, None, kpi_trend, tuple(results[:-1]))
    if target is not None and outcome.valid:
        from thidua_cli.io.kpi_xlsx import write_kpi_workbook

        if progress:
            progress(f"Đang ghi {target}")
        with collector_paused():  # XlsxWriter keeps a tuple a cell (gcpause.py)
            write_kpi_workbook(result, target, source=latest, command=command, force=force,
                               trend=kpi_trend)
        return KpiOutcome(latest, result, target, kpi_trend, tuple(results[:-1]))
    return outcome


def write_template(output: Path | None, regulation: Regulation, *, force: bool = False,
                   folder: Path | None = None, source: Path | None = None,
                   department: str | None = None) -> tuple[Path, int]:
    """Write the KPI workbook a department fills in (``mau-kpi.xlsx`` by default); with
    ``source`` (a KPI workbook: last quarter's, or the hospital's plan) its indicators are
    written with their targets and weights and an empty "Thực hiện"; ``department``: only
    that department's indicators and its people's. Returns the path and the rows written."""
    from thidua_cli.app.outputs import guard_outputs
    from thidua_cli.core import vntext
    from thidua_cli.io.kpi_xlsx import write_kpi_template

    target = output or (folder or Path.cwd()) / TEMPLATE_NAME
    if target.suffix.lower() != ".xlsx":
        raise UsageError(f"Mẫu KPI phải là tệp .xlsx, không phải \"{target.name}\".")
    if department is not None and source is None:
        raise UsageError("--department chỉ dùng cùng --from (bảng KPI để lấy chỉ số). Ví dụ: "
                         "thidua kpi template --from kpi-quy-4-2026.xlsx --department \"Khoa Nội\"")
    guard_outputs([target], [source] if source else [], regulation, force=force)
    rows = []
    if source is not None:
        from thidua_cli.io.reader.kpi import read_kpi_workbook
        from thidua_cli.io.sniff import display_name
        from thidua_cli.io.workbook import load_workbook

        data = read_kpi_workbook(load_workbook(source), display_name(source))
        rows = [i for i in data.indicators if not i.broken]
        if department is not None:
            from thidua_cli.core.kpi import with_inherited

            # Without the hospital's rows the department's sheet must carry what it inherits.
            rows = with_inherited(rows)
            k = vntext.key(department)
            rows = [i for i in rows if vntext.key(i.department) == k and i.level.value != "hospital"]
            if not rows:
                known = sorted({i.department for i in data.indicators if i.department})
                hint = vntext.suggest(department, known)
                raise UsageError(f"Bảng KPI {source.name} không có chỉ số nào của \"{department}\"."
                                 + (f" Có phải là \"{hint}\"?" if hint else ""))
    write_kpi_template(target, regulation, force=force, rows=rows)
    return target, len(rows)
