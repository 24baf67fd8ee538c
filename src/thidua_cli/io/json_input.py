"""Parsing a JSON input (a ``thidua score --json`` result, an awards result) within bounds.

``json.loads`` on a hostile file fails outside ``JSONDecodeError``: nesting deeper than the
interpreter's recursion limit raises ``RecursionError`` and an integer of more than 4,300
digits raises a plain ``ValueError`` (Python's limit on int conversion). Both were exit 70
("a bug"); they are an unreadable input (exit 4) like any other malformed JSON (issue 10).
"""

from __future__ import annotations

import json
from typing import Any

from thidua_cli.errors import InputFileError


def parse_json(text: str, shown: str, hint: str) -> Any:
    """The parsed document; :class:`InputFileError` (exit 4) naming ``shown`` and saying
    ``hint`` (how to make a good file) when it is not JSON thidua can read."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputFileError(
            f"{shown} không phải JSON hợp lệ (dòng {exc.lineno}, cột {exc.colno}: {exc.msg}). "
            f"{hint}"
        ) from exc
    except RecursionError as exc:
        raise InputFileError(
            f"{shown}: JSON lồng nhau quá sâu, không phải tệp thidua tạo ra. {hint}"
        ) from exc
    except ValueError as exc:  # an integer beyond Python's 4,300-digit conversion limit
        raise InputFileError(
            f"{shown}: JSON có một số quá dài (hàng nghìn chữ số), không phải tệp thidua tạo "
            f"ra. {hint}"
        ) from exc
