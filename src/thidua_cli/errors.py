"""The one exception family of thidua, and the exit codes it maps to.

A *failure* stops the run (an unreadable file, a bad regulation, a missing template) and is
raised as a :class:`ThiduaError` subclass. Data that is wrong (a score above its maximum …) is a
*finding* (``model.Issue``), collected in a ``Report`` and never raised one by one.

Each subclass carries its exit code; ``cli.app`` is the only place that turns them into exits.
This module imports nothing from the rest of the package.
"""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for the annotation only: at run time this module imports nothing of ours
    from thidua_cli.model import Report


class ExitCode(IntEnum):
    """Exit codes are an interface: documented in the README and tested one by one."""

    OK = 0
    INVALID_DATA = 1  # findings with severity "error"
    USAGE = 2  # bad options, missing period
    REGULATION = 3  # the regulation (quy chế) file
    INPUT = 4  # an input file that cannot be read (not a spreadsheet, encrypted, corrupt)
    TEMPLATE = 5  # a template or rendering failure
    OUTPUT_EXISTS = 6  # an output exists and --force was not given
    LEDGER = 7  # the history ledger (SQLite)
    INTERNAL = 70  # a bug: shown with a traceback only under --debug


class ThiduaError(Exception):
    """Base of every failure thidua raises on purpose. ``str(exc)`` is a Vietnamese message
    that says what went wrong, where (file, sheet, cell or key) and how to fix it."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(ThiduaError):
    """Bad options or arguments, or a period that is needed and cannot be found."""

    exit_code = ExitCode.USAGE


class PeriodRequiredError(UsageError):
    """A rule needs the period and neither --period, the file name nor a title row gives it."""


class RegulationError(ThiduaError):
    """The regulation (quy chế) file is missing, not TOML, or has a wrong key or value."""

    exit_code = ExitCode.REGULATION


class InputFileError(ThiduaError):
    """An input file cannot be read: missing, not a spreadsheet, encrypted, corrupt."""

    exit_code = ExitCode.INPUT


class InvalidDataError(ThiduaError):
    """The data has findings of severity "error"; the run refuses to compute from it.

    ``report`` is the ``model.Report`` holding the findings."""

    exit_code = ExitCode.INVALID_DATA

    def __init__(self, message: str, report: Report | None = None) -> None:
        super().__init__(message)
        self.report = report


class TemplateError(ThiduaError):
    """A document template is missing, invalid, unsafe, or uses an undefined variable."""

    exit_code = ExitCode.TEMPLATE


class OutputExistsError(ThiduaError):
    """An output file already exists and --force was not given."""

    exit_code = ExitCode.OUTPUT_EXISTS


class LedgerError(ThiduaError):
    """The history ledger cannot be opened, migrated or written, or a record is refused."""

    exit_code = ExitCode.LEDGER
