"""Reading the parts of a zip workbook (xlsx, xlsm, ods) without trusting its directory.

The zip directory is checked before anything is inflated (total size, compression ratio,
member count); every part this package reads itself is inflated a megabyte at a time against
a cap and the workbook's budget, so a directory that lies stops at the bound. XML is parsed
without DTDs; a part that is not XML, or announces counts it cannot hold, is a corrupt file.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile

from thidua_cli.io.formats.facts import Limits, corrupt_message, dotted, too_big
from thidua_cli.io.sniff import SAVE_AS_XLSX, ZIP_ERRORS, UnreadableFileError, corrupt_zip_message


def check_zip_bounds(zf: zipfile.ZipFile, limits: Limits, shown: str) -> None:
    """Refuse a zip whose directory announces too much data or an absurd compression ratio.

    Parts this module reads itself are also read through a size cap; zipfile stops at the
    declared size and checks the CRC, so a directory that lies is caught as corruption."""
    infos = zf.infolist()
    if len(infos) > limits.max_members:
        raise too_big(shown, f"{dotted(len(infos))} phần trong file nén")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > limits.ratio_min_bytes and (
            info.file_size > limits.max_ratio * max(info.compress_size, 1)
        ):
            ratio = info.file_size / max(info.compress_size, 1)
            raise too_big(shown, f"phần \"{info.filename}\" nén với tỉ lệ {dotted(round(ratio))}:1")
    if total > limits.max_uncompressed_bytes:
        raise too_big(
            shown,
            f"giải nén ra {dotted(round(total / 1e6))} MB, giới hạn "
            f"{dotted(round(limits.max_uncompressed_bytes / 1e6))} MB",
        )


_CHUNK = 1 << 20  # bytes inflated at a time: zipfile inflates a whole read(n) before cutting it


class Inflated:
    """The bytes inflated so far from one workbook, against ``max_uncompressed_bytes``: counted
    as they come out of the decompressor, whatever the zip directory declared."""

    def __init__(self, limits: Limits) -> None:
        self.limit = limits.max_uncompressed_bytes
        self.left = self.limit

    def spend(self, n: int, shown: str) -> None:
        self.left -= n
        if self.left < 0:
            raise too_big(shown, f"giải nén ra hơn {dotted(round(self.limit / 1e6))} MB")


def read_part(
    zf: zipfile.ZipFile, name: str, cap: int, shown: str, budget: Inflated | None = None
) -> bytes:
    """A whole zip member, at most ``cap`` bytes (a larger one is refused, never cut), inflated
    a megabyte at a time so that a member larger than its directory says stops at the cap
    instead of being inflated whole first (2.1 GB from a 2.6 MB file)."""
    chunks: list[bytes] = []
    size = 0
    try:
        with zf.open(name) as fh:
            while chunk := fh.read(_CHUNK):
                size += len(chunk)
                if size > cap:
                    raise too_big(shown, f"phần \"{name}\" lớn hơn {dotted(round(cap / 1e6))} MB")
                if budget is not None:
                    budget.spend(len(chunk), shown)
                chunks.append(chunk)
    except KeyError as exc:
        raise UnreadableFileError(
            "corrupt-zip",
            f"File \"{shown}\" thiếu phần \"{name}\" của bảng tính nên không đọc được. "
            f"{SAVE_AS_XLSX}",
        ) from exc
    except ZIP_ERRORS as exc:
        raise UnreadableFileError("corrupt-zip", corrupt_zip_message(shown)) from exc
    return b"".join(chunks)


def verify_part(
    zf: zipfile.ZipFile, name: str, shown: str, budget: Inflated, *, look_for: bytes = b""
) -> tuple[bytes, bool]:
    """Inflate a member to check its CRC and declared size, without keeping it. Returns its
    first 64 KB and whether ``look_for`` occurs anywhere in it."""
    found = False
    try:
        with zf.open(name) as fh:
            head = fh.read(1 << 16)
            budget.spend(len(head), shown)
            found = bool(look_for) and look_for in head
            tail = head[-len(look_for):] if look_for else b""
            while chunk := fh.read(_CHUNK):
                budget.spend(len(chunk), shown)
                if look_for and not found:
                    found = look_for in tail + chunk
                    tail = chunk[-len(look_for):]
    except ZIP_ERRORS as exc:
        raise UnreadableFileError("corrupt-zip", corrupt_zip_message(shown)) from exc
    return head, found


_COUNT_ATTR = re.compile(rb"\b[A-Za-z]*[cC]ount\s*=\s*[\"']\s*([0-9]{1,30})")


def check_counts(data: bytes, size: int, part: str, shown: str, lo: int = 0,
                  hi: int | None = None) -> None:
    """Refuse counts (``count``, ``uniqueCount`` …) larger than the part itself could hold.

    calamine reserves memory for announced counts before reading: a damaged
    ``uniqueCount="102147483648"`` would make it abort the whole process."""
    for m in _COUNT_ATTR.finditer(data, lo, len(data) if hi is None else hi):
        if int(m.group(1)) > size + 16:
            raise UnreadableFileError(
                "corrupt",
                corrupt_message(shown, "xlsx", f"số lượng khai báo sai trong \"{part}\""),
            )


def parse_xml(data: bytes, part: str, shown: str) -> ET.Element:
    # OOXML and ODF never carry a DTD; refusing one removes entity-expansion tricks entirely.
    # LookupError: an unknown encoding named in the XML declaration.
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise corrupt_part(shown, part)
    try:
        return ET.fromstring(data)
    except (ET.ParseError, ValueError, UnicodeError, LookupError) as exc:
        raise corrupt_part(shown, part) from exc


def corrupt_part(shown: str, part: str) -> UnreadableFileError:
    return UnreadableFileError(
        "corrupt-xml",
        f"File \"{shown}\" bị hỏng: phần \"{part}\" bên trong không đúng định dạng XML. Hãy mở "
        "bằng Excel (Excel thường tự sửa được) rồi lưu lại thành một file .xlsx mới.",
    )


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def inside(tag: bytes) -> bytes:
    """A regex for the content of an element ``tag`` up to its own end tag, linear whatever the
    file holds: it never runs past the next start or end of the same element, and the atomic
    group gives back nothing. A lazy ``(.*?)</tag>`` searched to the end of the part for every
    element closed another legal way (``</c >``): quadratic, 37 s for 10,000 cells."""
    return rb"((?>(?:[^<]+|<(?!/?" + tag + rb"[\s>/]))*))"


def element(tag: bytes) -> re.Pattern[bytes]:
    """``<tag …/>`` (group 1 is None) or ``<tag …>content</tag >`` (content in group 1)."""
    return re.compile(rb"<" + tag + rb"(?=[\s>/])[^>]*?(?:/>|>" + inside(tag) + rb"</" + tag
                      + rb"\s*>)")
