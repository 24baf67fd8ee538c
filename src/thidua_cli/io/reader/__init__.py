"""The sheet reader (a package): raw workbooks → the people of one period, with every per-cell finding.

``read_dataset`` is the ONE code path behind both ``thidua score`` and ``thidua validate``, so
``score`` refuses exactly what ``validate`` calls an error (shared/decisions.md). It never raises
for bad data: every problem becomes an :class:`~thidua_cli.model.Issue` in ``Dataset.report``,
located by file (as given), sheet, Excel row and column letter, header text and raw value.

The workbook contract (README section "workbook"):

- one sheet per department (the sheet name is the department) or a combined sheet with a
  "Khoa/Phòng" column, in any mix, across files; an optional "Tiêu chí" sheet overrides the
  regulation's criteria;
- the header row is found by content within the first 30 rows (title rows and merged cells
  above are ignored): each row is scored by how many known column headings it holds, and it must
  hold the staff ID and the name;
- two-row headers: a criterion (often a merged cell) above its assessment levels "Tự chấm" /
  "Khoa chấm" / "Hội đồng chấm"; the counting level is chosen per cell (decisions.md "Scoring");
- rows end at the first "Tổng cộng" / "Cộng" / "Tổng" row or signature block ("Người lập biểu").

The modules, in the order the data goes through them: ``fields`` (the known columns),
``cells`` (what one cell means, and the same rules over whole columns), ``header`` (matching the
headings: the column plan), ``criteria_sheet`` (a "Tiêu chí" sheet), ``sheet`` (one sheet up to
its header), ``columns`` (its rows read column by column), ``rows`` (the rows with something to
report, and the order-dependent steps), ``dataset`` (``read_dataset``: the run over every file).
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from thidua_cli.io.reader.cells import parse_date, parse_flag
    from thidua_cli.io.reader.criteria_sheet import CriteriaSheet, read_criteria_sheet
    from thidua_cli.io.reader.dataset import read_dataset
    from thidua_cli.io.reader.fields import FIELDS, FieldSpec, is_criteria_sheet_name

# The names below load their module on first use (PEP 562): a command that needs only the
# header finding (thidua income: ``io.reader.header``) does not import the whole reader.
_LAZY = {
    "parse_date": "cells", "parse_flag": "cells",
    "CriteriaSheet": "criteria_sheet", "read_criteria_sheet": "criteria_sheet",
    "read_dataset": "dataset",
    "FIELDS": "fields", "FieldSpec": "fields", "is_criteria_sheet_name": "fields",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "FIELDS",
    "CriteriaSheet",
    "FieldSpec",
    "is_criteria_sheet_name",
    "parse_date",
    "parse_flag",
    "read_criteria_sheet",
    "read_dataset",
]
