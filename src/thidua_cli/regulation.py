"""The regulation (quy chế), public face: load a TOML file, merge it over the shipped default,
check it (exit 3 on any problem).

The work is done in :mod:`thidua_cli.config`: ``load`` reads the file once (with the line of each
key), ``check`` is the one checker of every section, ``sections`` holds their types. The shipped
``data/quy-che-mac-dinh.toml`` is the ONE source of truth for every default value (its Vietnamese
comments cite the legal basis of each number). A user's file is deep-merged over it: tables merge
key by key, arrays (the criteria, the department list …) replace wholesale.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from thidua_cli.config.check import (
    SECTIONS,
    STAGE_SECTIONS,
    Checker,
    Problem,
    check_regulation,
    describe,
    fmt_number,
    suggest_key,
)
from thidua_cli.config.load import (
    DEFAULT_SOURCE,
    RulesFile,
    deep_merge,
    default_lines,
    default_mapping,
    default_text,
    read_rules,
    rules_text,
    sha256,
)
from thidua_cli.model import Regulation

__all__ = [
    "DEFAULT_SOURCE",
    "SECTIONS",
    "STAGE_SECTIONS",
    "Checker",
    "Problem",
    "RulesFile",
    "deep_merge",
    "default_regulation",
    "default_toml_text",
    "describe",
    "fmt_number",
    "load_regulation",
    "parse_regulation",
    "read_regulation_mapping",
    "read_rules",
    "regulation_from_mapping",
    "regulation_from_rules",
    "regulation_label",
    "suggest_key",
]


def default_toml_text() -> str:
    """The shipped default regulation, verbatim (Vietnamese comments included)."""
    return default_text()


def default_regulation() -> Regulation:
    """The built-in regulation (``source`` = "quy chế mặc định (tích hợp sẵn)")."""
    return check_regulation(
        default_mapping(),
        user={},
        source=DEFAULT_SOURCE,
        label=DEFAULT_SOURCE,
        sha256=sha256(default_text().encode("utf-8")),
        lines=default_lines(),
    )


def parse_regulation(text: str, source: str) -> Regulation:
    """Parse a user's TOML text, merge it over the default and check it (pure).

    ``source`` names the file in messages and becomes ``Regulation.source``; ``sha256`` is the
    hash of the text's UTF-8 bytes. Raises :class:`RegulationError` listing every problem.
    """
    return regulation_from_rules(rules_text(text, source))


def regulation_from_rules(rules: RulesFile) -> Regulation:
    """The checked regulation of a file read by :func:`read_rules` (the file is read once per
    run; ``thidua awards --set`` lays its values over the same reading)."""
    return check_regulation(
        deep_merge(default_mapping(), rules.data),
        user=rules.data,
        source=rules.source,
        label=regulation_label(rules.source),
        sha256=rules.sha256,
        lines=rules.lines,
    )


def regulation_from_mapping(
    user: Mapping[str, Any], source: str, *, label: str | None = None
) -> Regulation:
    """Merge an already parsed TOML mapping (a user's file, perhaps changed in memory, e.g. by
    ``thidua awards --set``) over the default and check it (pure), as :func:`parse_regulation`
    does for a text.

    ``label`` names the mapping in messages (default: :func:`regulation_label` of ``source``);
    no line numbers are given, since the mapping has no text. ``sha256`` is the hash of the
    mapping's canonical JSON (sorted keys), so the same settings give the same hash.
    """
    canonical = json.dumps(user, sort_keys=True, ensure_ascii=False, default=str)
    return check_regulation(
        deep_merge(default_mapping(), user),
        user=user,
        source=source,
        label=regulation_label(source) if label is None else label,
        sha256=sha256(canonical.encode("utf-8")),
        lines={},
    )


def read_regulation_mapping(path: str | Path) -> dict[str, Any]:
    """The TOML mapping of the regulation file at ``path``, read as :func:`load_regulation`
    reads it, neither merged nor checked. Raises :class:`RegulationError` (exit 3)."""
    return read_rules(path).data


def load_regulation(path: str | Path | None) -> Regulation:
    """Load the regulation at ``path`` (``None``: the built-in default).

    Raises :class:`RegulationError` (exit 3) when the file is missing, a folder, unreadable, not
    UTF-8 text, not TOML, or has a wrong key or value in any section; the message says where
    (file, line, key) and how to fix it.
    """
    if path is None:
        return default_regulation()
    return regulation_from_rules(read_rules(path))


def regulation_label(source: str) -> str:
    """How messages name a regulation: "tệp quy-che.toml" or the default's name."""
    if source == DEFAULT_SOURCE:
        return DEFAULT_SOURCE
    return f"tệp {Path(source).name}"
