"""The context of the decision documents, built from the awards result (``thidua.awards/1``).

Pure: the caller passes the typed result (or its JSON object), and the options: the regulation's
``[documents]`` and ``[money]`` settings with the run's numbers and dates; no file, no clock.
The context is plain dicts, lists, strings and numbers, so that the same context renders a .docx (docxtpl), a Markdown or an HTML
template, and so that ``thidua templates check`` can list what it provides.

What the documents show (domain-law.md §10, §14.8; ND 30/2020/NĐ-CP):

- the decision lists only the hospital-level awards the council passed (``status`` "approved"),
  or the proposals when no vote was recorded (with a warning); higher-level awards are proposed
  upward in the second Tờ trình;
- groups by title: I. Chiến sĩ thi đua cơ sở, II. Lao động tiên tiến, III. the collective titles,
  then the forms of commendation (Giấy khen) of individuals and of collectives; STT restarts in
  each group; subtotals, the total in figures and in words;
- names in Vietnamese list order (tên, họ, đệm: ``core.names.name_sort_key``), collectives in
  Vietnamese alphabetical order;
- "Điều 1" counts are computed from the same groups as the list, so they always match;
- "Căn cứ" lines come from the rule set the awards stage actually applied (``ruleset.legal_bases``).

The package: ``options.py`` (settings and the run's values), ``lists.py`` (awards, groups, rows,
sentences), ``base.py`` (the facts every kind shares, and the findings about the result),
``kinds.py`` (one builder per kind), ``build.py`` (joins them), ``docset.py`` (the kinds and the
set the renderer reads), ``sample.py`` (a small complete example).
"""

from __future__ import annotations

from thidua_cli.config.sections import CouncilMember
from thidua_cli.core.documents.build import build_documents
from thidua_cli.core.documents.docset import KIND_LABELS, KINDS, DocumentSet
from thidua_cli.core.documents.lists import (
    STATUS_APPROVED,
    STATUS_PENDING,
    STATUS_PROPOSED,
    STATUS_REJECTED,
    Award,
    read_awards,
    roman,
)
from thidua_cli.core.documents.options import DocumentOptions, options_from_settings
from thidua_cli.core.documents.sample import sample_options, sample_result

__all__ = [
    "KINDS",
    "KIND_LABELS",
    "STATUS_APPROVED",
    "STATUS_PENDING",
    "STATUS_PROPOSED",
    "STATUS_REJECTED",
    "Award",
    "CouncilMember",
    "DocumentOptions",
    "DocumentSet",
    "build_documents",
    "options_from_settings",
    "read_awards",
    "roman",
    "sample_options",
    "sample_result",
]
