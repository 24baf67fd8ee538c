"""What a user template may not carry into an official document, and the bounds of a render
(issue 10: rendering fails closed).

A .docx template from another hospital or from the internet can pull in content from outside
(a remote ``attachedTemplate``, an image linked over a UNC path, an external hyperlink), run
something when opened (a DDE/DDEAUTO field, a ``vbaProject.bin`` macro part), or make the render
itself hang or exhaust memory (nested ``range`` loops, an ever-growing output). The first kind
is refused by :func:`unsafe_parts` in both ``templates check`` and ``render``; the second by
:class:`RenderBudget` (loop iterations, output size) and :func:`time_limit` (wall clock).
"""

from __future__ import annotations

import contextlib
import io
import re
import signal
import threading
import time
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from thidua_cli.errors import TemplateError

# The bounds of one render, generous for a hospital's documents (the shipped year's decision,
# 708 people, renders about 2 MB of XML with some 20,000 loop iterations).
MAX_OUTPUT_CHARS = 50_000_000
MAX_LOOP_ITEMS = 5_000_000
MAX_RENDER_SECONDS = 60.0

_REL = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>", re.S)
_ATTR = re.compile(rb"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_FIELD = re.compile(rb"<w:(?:instrText|fldSimple)\b([^>]*)>([^<]*)", re.S)
_FIELD_INSTR = re.compile(rb"""w:instr\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_DANGEROUS_FIELDS = ("DDEAUTO", "DDE", "INCLUDETEXT", "INCLUDEPICTURE", "IMPORT", "LINK")


def _rels_findings(name: str, xml: bytes) -> list[str]:
    found: list[str] = []
    for m in _REL.finditer(xml):
        attrs = {k.decode(): (a or b).decode("utf-8", "replace")
                 for k, a, b in _ATTR.findall(m.group(1))}
        target = attrs.get("Target", "")
        kind = attrs.get("Type", "").rsplit("/", 1)[-1]
        external = attrs.get("TargetMode", "").lower() == "external"
        unc = target.startswith(("\\\\", "//", "file:"))
        if not (external or unc):
            continue
        if kind == "attachedTemplate":
            found.append(f"mẫu đính kèm từ xa (attachedTemplate → {target[:80]}) trong {name}")
        elif kind == "image":
            found.append(f"ảnh liên kết ra ngoài ({target[:80]}) trong {name}")
        elif kind == "hyperlink":
            found.append(f"liên kết ra ngoài ({target[:80]}) trong {name}")
        else:
            found.append(f"tham chiếu ra ngoài loại {kind or '?'} ({target[:80]}) trong {name}")
    return found


def _field_findings(name: str, xml: bytes) -> list[str]:
    found: list[str] = []
    for m in _FIELD.finditer(xml):
        texts = [m.group(2)]
        instr = _FIELD_INSTR.search(m.group(1))
        if instr:
            texts.append(instr.group(1) or instr.group(2))
        for text in texts:
            words = text.decode("utf-8", "replace").strip().split()
            if words and words[0].upper() in _DANGEROUS_FIELDS:
                found.append(f"trường {words[0].upper()} (chạy lệnh hoặc lấy nội dung ngoài) "
                             f"trong {name}")
    return found


def unsafe_parts(data: bytes, *, max_part_bytes: int = 64 * 1024 * 1024) -> list[str]:
    """What in a .docx template would reach outside or run code, in Vietnamese; empty when the
    template is clean. A file that is not a zip is left to the template reader to refuse."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return []
    found: list[str] = []
    with zf:
        for info in zf.infolist():
            name = info.filename
            low = name.lower()
            if low.endswith("vbaproject.bin") or (low.endswith(".bin") and "vba" in low):
                found.append(f"macro VBA ({name})")
                continue
            if not (low.endswith(".rels") or low.endswith(".xml")):
                continue
            if info.file_size > max_part_bytes:
                found.append(f"phần {name} quá lớn ({info.file_size:,} byte)")
                continue
            with zf.open(info) as fh:
                xml = fh.read(max_part_bytes + 1)
            if low.endswith(".rels"):
                found += _rels_findings(name, xml)
            elif low == "[content_types].xml":
                if b"macroEnabled" in xml or b"vbaProject" in xml:
                    found.append("khai báo macro trong [Content_Types].xml")
            else:
                found += _field_findings(name, xml)
    return sorted(set(found))


def refuse_unsafe(data: bytes, label: str) -> None:
    """Raise TemplateError (exit 5) listing what :func:`unsafe_parts` found."""
    found = unsafe_parts(data)
    if found:
        listed = "; ".join(found[:10]) + (f"; và {len(found) - 10} chỗ khác" if len(found) > 10
                                          else "")
        raise TemplateError(
            f"Mẫu {label} chứa nội dung không an toàn cho văn bản chính thức: {listed}. "
            "Hãy xoá các phần đó trong Word (hoặc dùng mẫu có sẵn: thidua templates export) "
            "rồi chạy lại."
        )


@dataclass
class RenderBudget:
    """Counts what one render produces; past a bound the render stops with a TemplateError."""

    label: str
    max_output_chars: int = MAX_OUTPUT_CHARS
    max_loop_items: int = MAX_LOOP_ITEMS
    seconds: float = MAX_RENDER_SECONDS
    output: int = 0
    items: int = 0
    started: float = field(default_factory=time.monotonic)

    def _over(self, what: str) -> TemplateError:
        return TemplateError(
            f"Mẫu {self.label} vượt giới hạn khi tạo văn bản ({what}); mẫu có vòng lặp quá lớn "
            "hoặc sinh quá nhiều nội dung. Hãy sửa mẫu rồi chạy lại."
        )

    def check_time(self) -> None:
        if time.monotonic() - self.started > self.seconds:
            raise self._over(f"quá {self.seconds:g} giây")

    def charge_items(self, n: int) -> None:
        self.items += n
        if self.items > self.max_loop_items:
            raise self._over(f"hơn {self.max_loop_items:,} vòng lặp".replace(",", "."))
        self.check_time()

    def concat(self, parts: Iterable[str]) -> str:
        """``"".join`` that stops at the output bound (Jinja's ``Environment.concat``)."""
        out: list[str] = []
        n = 0
        for k, part in enumerate(parts):
            n += len(part)
            if n > self.max_output_chars:
                raise self._over(f"văn bản dài hơn {self.max_output_chars:,} ký tự"
                                 .replace(",", "."))
            out.append(part)
            if not k % 4096:
                self.check_time()
        self.output += n
        return "".join(out)

    def range(self, *args: Any) -> range:
        """Jinja's ``range``, charged to the loop budget before any iteration runs."""
        r = range(*args)
        self.charge_items(len(r))
        return r


@contextlib.contextmanager
def time_limit(budget: RenderBudget) -> Iterator[None]:
    """Stop a render that runs past ``budget.seconds`` even when it produces nothing (a loop
    with no output): SIGALRM in the main thread of a POSIX process; elsewhere the budget's own
    checks (output, loop items) still apply."""
    usable = (hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise budget._over(f"quá {budget.seconds:g} giây")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, budget.seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
