"""The one catalogue of finding codes: well-formed, and the README's table matches it."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from thidua_cli.issues import CATALOGUE, make_issue, markdown_table
from thidua_cli.model import Severity

README = Path(__file__).resolve().parents[2] / "README.md"


def test_codes_are_stable_kebab_case() -> None:
    for code, kind in CATALOGUE.items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code), code
        assert kind.code == code
        assert kind.title and kind.template
        assert isinstance(kind.severity, Severity)


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_template_formats_with_its_fields(code: str) -> None:
    fields = {
        name
        for _, name, _, _ in string.Formatter().parse(CATALOGUE[code].template)
        if name
    }
    params = dict.fromkeys(fields - {"value", "header", "row", "column"}, "1")
    issue = make_issue(code, sheet="Khoa Nội", row=12, column="F", header="H", value="x", **params)
    assert "?" not in issue.message.replace("?\"", "")  # every field was filled
    assert issue.location == "Khoa Nội!F12"


def test_missing_field_shows_a_placeholder_not_a_crash() -> None:
    issue = make_issue("above-maximum", sheet="S", row=2, column="B", value=45)
    assert "45" in issue.message and "?" in issue.message


def test_readme_table_of_codes_matches_the_catalogue() -> None:
    text = README.read_text(encoding="utf-8")
    start, end = "<!-- codes:start -->", "<!-- codes:end -->"
    assert start in text and end in text, "README lacks the generated table of codes"
    table = text.split(start, 1)[1].split(end, 1)[0].strip()
    assert table == markdown_table(), (
        "README's table of codes is stale: regenerate it with `python -m thidua_cli.issues`"
    )
