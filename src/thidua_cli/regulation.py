"""The regulation (quy chế): load, merge over the shipped default, validate."""

from __future__ import annotations

from importlib import resources

DEFAULT_FILE = "quy-che-mac-dinh.toml"


def default_toml_text() -> str:
    """The shipped default regulation, verbatim (Vietnamese comments included)."""
    return resources.files("thidua_cli").joinpath("data", DEFAULT_FILE).read_text(encoding="utf-8")
