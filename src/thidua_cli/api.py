"""The public library functions, for scripts and notebooks: a thin re-export of ``app/``.

Each command is one function of ``thidua_cli.app`` (typed inputs in, a typed result out, no
printing); this module names the stable ones in one place.
"""

from __future__ import annotations

from thidua_cli.app.score import (
    ScoreOptions,
    ScoreOutcome,
    read_files,
    resolve_period,
    score,
    score_files,
    to_dataframe,
)

__all__ = [
    "ScoreOptions",
    "ScoreOutcome",
    "read_files",
    "resolve_period",
    "score",
    "score_files",
    "to_dataframe",
]
