"""What the documents need besides the awards result: the regulation's ``[documents]`` and
``[money]`` settings (typed at load by ``config/check.py``; their defaults live once, in the
shipped TOML) and the values of one run (numbers, dates, who is absent)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from thidua_cli.config.sections import DocumentsSettings, MoneySettings


@dataclass(frozen=True)
class DocumentOptions:
    """The settings of the regulation, and the run's own values over them.

    ``numbers`` maps a kind ("quyet-dinh", "to-trinh" …) to its number; a kind without a number
    gets a blank ("…/QĐ-BV") for the văn thư to fill in, as ND 30/2020 assigns numbers when a
    document is issued. ``date`` is the date of the documents (default: the result's
    ``decision_date``); ``meeting_date`` is the council meeting's (blank when unknown)."""

    documents: DocumentsSettings
    money: MoneySettings
    numbers: Mapping[str, int] = field(default_factory=dict)
    date: dt.date | None = None
    meeting_date: dt.date | None = None
    absent: tuple[str, ...] = ()
    # The tally of the secret ballot (--ballots): issued, returned, valid; None = to fill by hand.
    ballots: tuple[int, int, int] | None = None

    def with_settings(self, **changes: Any) -> DocumentOptions:
        """These options with some ``[documents]`` settings replaced (``--signer`` over
        ``documents.signer``; tests)."""
        return replace(self, documents=replace(self.documents, **changes))


def options_from_settings(documents: DocumentsSettings, money: MoneySettings) -> DocumentOptions:
    """The regulation's ``[documents]`` settings as document options. The way amounts are read
    in words ("linh"/"lẻ", "nghìn"/"ngàn") is the ``[money]`` table's: one setting per run."""
    return DocumentOptions(documents=documents, money=money)
