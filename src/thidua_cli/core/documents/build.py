"""The context of every document kind from an awards result: the shared facts
(``base.py``), then each kind's builder (``kinds.py``), joined into one context."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from thidua_cli.core import vnformat as fmt
from thidua_cli.core.awards_result import SCHEMA, AwardsOutcome
from thidua_cli.core.documents.base import make_base
from thidua_cli.core.documents.docset import KINDS, DocumentSet
from thidua_cli.core.documents.kinds import BUILDERS
from thidua_cli.core.documents.lists import clean_text, count_text, counts_of, mark_notes
from thidua_cli.core.documents.options import DocumentOptions
from thidua_cli.core.money import money_in_words
from thidua_cli.model import Issue


def build_documents(
    typed: AwardsOutcome | Mapping[str, Any],
    options: DocumentOptions,
    *,
    source: str = "kết quả xét danh hiệu",
    organisation: Mapping[str, Any] | None = None,
) -> DocumentSet:
    """Build the context of every document kind from an awards result (``thidua.awards/1``).

    ``organisation`` (the regulation's, when the clerk passes one) replaces the result's
    organisation block. Raises :class:`InputFileError` when the result is not a valid awards
    result, :class:`UsageError` for options that do not fit it (an absent name that is no
    council member, an unknown name order)."""
    # A JSON object (a test, the sample) is checked at this boundary by the one checker.
    outcome = typed if isinstance(typed, AwardsOutcome) else AwardsOutcome.from_json(typed, source)
    base = make_base(outcome, options, organisation)
    groups = base.groups
    warnings = list(base.findings)
    context: dict[str, Any] = {
        "schema": SCHEMA,
        "year": base.year,
        "org": base.org,
        "ruleset": {
            "code": outcome.ruleset.code,
            "name": clean_text(outcome.ruleset.name),
            "legal_bases": base.legal,
        },
        "base_salary": fmt.thousands(outcome.base_salary or 0),
        "groups": groups,
        "counts": counts_of(groups),
        "count_total": sum(g["count"] for g in groups),
        "count_individuals": sum(g["count"] for g in groups if not g["collective"]),
        "count_collectives": sum(g["count"] for g in groups if g["collective"]),
        "total": fmt.thousands(base.total),
        "total_value": base.total,
        "total_words": money_in_words(base.total, linh=options.money.linh, nghin=options.money.nghin),
        "note_legend": mark_notes(groups),
        **count_text(groups),
        "docs": base.docs,
        "status_used": base.wanted,
        "blank": fmt.BLANK * 8,
    }
    kind_warnings: dict[str, tuple[Issue, ...]] = {}
    council: dict[str, Any] = {}
    for kind in KINDS:
        part = BUILDERS[kind](base)
        for key, value in part.context.items():
            if key == "council":
                council.update(value)
            else:
                context[key] = value
        if part.findings:
            kind_warnings[kind] = part.findings
    context["council"] = council
    context["warnings"] = [w.message for w in warnings]
    return DocumentSet(
        context=context, warnings=tuple(warnings), has_higher=bool(base.higher),
        kind_warnings=kind_warnings,
    )

