"""PDF conversion document by document (issue 12): one LibreOffice call per document, a time
limit scaled to the document's size, the PDFs that converted kept when another fails or runs
out of time, and the failures named with their reason. Driven by a stand-in ``soffice`` (a
shell script), so these run without LibreOffice."""

from __future__ import annotations

import os
import stat
import time
import zipfile
from pathlib import Path

import pytest

from thidua_cli import render as rd

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the stand-in soffice is a shell script")

# Converts "<name>.docx" by writing "%PDF <name>" into --outdir; a document named "cham" sleeps
# (a hung conversion), one named "hong" exits 1 without output (a broken document).
FAKE = """#!/bin/sh
out=""; src=""
while [ $# -gt 0 ]; do
  case "$1" in --outdir) out="$2"; shift;; *.docx) src="$1";; esac; shift
done
name=$(basename "$src" .docx)
case "$name" in
  cham*) sleep 30;;
  hong*) echo "general error" ; exit 1;;
esac
printf '%%PDF %s' "$name" > "$out/$name.pdf"
"""


@pytest.fixture()
def soffice(tmp_path: Path) -> str:
    exe = tmp_path / "soffice"
    exe.write_text(FAKE)
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    return str(exe)


def docx(folder: Path, name: str, body_bytes: int = 10) -> Path:
    path = folder / f"{name}.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "x" * body_bytes)
    return path


def test_each_document_converts_on_its_own_and_successes_are_kept(tmp_path: Path, soffice: str) -> None:
    src = tmp_path / "src"
    src.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    docs = [docx(src, "quyet-dinh-2026"), docx(src, "cham-2026"), docx(src, "hong-2026"), docx(src, "bien-ban-2026")]
    heard: list[tuple[str, str | None]] = []
    started = time.monotonic()
    run = rd.convert_to_pdf(docs, out, soffice=soffice, timeout_for=lambda p: 1.0,
                            on_done=lambda d, pdf: heard.append((d.name, pdf.name if pdf else None)))
    assert time.monotonic() - started < 20  # the hung one was stopped after its 1 s, not waited for
    assert [p.name for p in run.written] == ["quyet-dinh-2026.pdf", "bien-ban-2026.pdf"]
    assert (out / "quyet-dinh-2026.pdf").read_bytes() == b"%PDF quyet-dinh-2026"
    assert (out / "bien-ban-2026.pdf").read_bytes() == b"%PDF bien-ban-2026"
    assert not (out / "cham-2026.pdf").exists() and not (out / "hong-2026.pdf").exists()
    reasons = dict((p.name, why) for p, why in run.failed)
    assert reasons["cham-2026.docx"] == "quá 1 giây, đã dừng LibreOffice"
    assert reasons["hong-2026.docx"] == "LibreOffice không tạo được PDF (mã thoát 1: general error)"
    assert heard == [("quyet-dinh-2026.docx", "quyet-dinh-2026.pdf"), ("cham-2026.docx", None),
                     ("hong-2026.docx", None), ("bien-ban-2026.docx", "bien-ban-2026.pdf")]
    message = str(rd.pdf_failure(run))
    assert "cham-2026.docx: quá 1 giây" in message and "hong-2026.docx: LibreOffice không tạo được" in message
    assert "Đã giữ các PDF chuyển được (quyet-dinh-2026.pdf, bien-ban-2026.pdf)" in message


def test_time_limit_scales_with_the_size_of_the_document(tmp_path: Path) -> None:
    small = docx(tmp_path, "nho", 77_000)
    big = docx(tmp_path, "lon", 5_000_000)
    # 60 s + 40 s per MB of word/document.xml: 60 + 40 × 0.077 = 63.08; 60 + 40 × 5 = 260.
    assert rd.pdf_timeout(small) == pytest.approx(63.08)
    assert rd.pdf_timeout(big) == pytest.approx(260.0)
