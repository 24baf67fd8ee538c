"""Reading the regulation (quy chế) file: its bytes once, its TOML mapping and where each key is
written, so that the checker's messages can name the line.

The shipped ``data/quy-che-mac-dinh.toml`` is the ONE source of truth for every default value;
:func:`default_mapping` is its parsed mapping and :func:`deep_merge` lays a user's file over it
(tables merge key by key, arrays replace wholesale). Messages for an unreadable file, a file of the
wrong kind, a wrong encoding or a TOML mistake are written here, in Vietnamese.
"""

from __future__ import annotations

import copy
import hashlib
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from thidua_cli.errors import RegulationError

DEFAULT_FILE = "quy-che-mac-dinh.toml"
DEFAULT_SOURCE = "quy chế mặc định (tích hợp sẵn)"


@dataclass(frozen=True)
class RulesFile:
    """A regulation file read once: its source name, parsed TOML, key lines and hash."""

    source: str  # the path as given, named in messages and in Regulation.source
    data: dict[str, Any]  # the user's TOML mapping, not merged
    lines: Mapping[str, int]  # dotted key ("awards.ldtt.min_months") → line of the file
    sha256: str  # of the file's bytes


def read_rules(path: str | Path) -> RulesFile:
    """Read and parse the regulation file at ``path`` (Notepad's BOM and UTF-16 welcome).
    Raises :class:`RegulationError` (exit 3) for a missing, unreadable or non-TOML file."""
    p = Path(path)
    data = _read_bytes(p)
    text = _decode(data, p)
    return RulesFile(str(path), _toml(text, str(path)), key_lines(text), sha256(data))


def rules_text(text: str, source: str) -> RulesFile:
    """A regulation given as text (pure): as :func:`read_rules` without the file."""
    return RulesFile(source, _toml(text, source), key_lines(text), sha256(text.encode("utf-8")))


def default_text() -> str:
    """The shipped default regulation, verbatim (Vietnamese comments included)."""
    return _default_text()


def default_mapping() -> dict[str, Any]:
    """The shipped default's TOML mapping (shared: callers must not change it)."""
    return _default_mapping()


def default_lines() -> Mapping[str, int]:
    return _default_lines()


@lru_cache(maxsize=1)
def _default_text() -> str:
    return (
        resources.files("thidua_cli").joinpath("data", DEFAULT_FILE).read_text(encoding="utf-8")
    )


@lru_cache(maxsize=1)
def _default_mapping() -> dict[str, Any]:
    return _toml(_default_text(), DEFAULT_SOURCE)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_bytes(path: Path) -> bytes:
    if path.is_dir():
        inside = path / "quy-che.toml"
        tip = (
            f" Có phải ý bạn là {inside}?"
            if inside.is_file()
            else " Hãy chỉ ra tệp .toml, ví dụ --rules quy-che.toml."
        )
        raise RegulationError(f"{path} là một thư mục, không phải tệp quy chế.{tip}")
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise RegulationError(
            f"Không tìm thấy tệp quy chế {path}. Hãy kiểm tra đường dẫn, hoặc chạy "
            "`thidua init` để tạo tệp quy-che.toml mẫu."
        ) from exc
    except PermissionError as exc:
        raise RegulationError(
            f"Không có quyền đọc tệp quy chế {path}. Hãy kiểm tra quyền truy cập tệp."
        ) from exc
    except OSError as exc:
        raise RegulationError(
            f"Không đọc được tệp quy chế {path}: {exc.strerror or exc}."
        ) from exc


_SIGNATURES = {
    b"PK\x03\x04": "một tệp Excel/Word (.xlsx/.docx) hoặc tệp nén",
    b"\xd0\xcf\x11\xe0": "một tệp Excel/Word đời cũ (.xls/.doc)",
    b"%PDF": "một tệp PDF",
}


def _decode(data: bytes, path: Path) -> str:
    for magic, what in _SIGNATURES.items():
        if data.startswith(magic):
            raise RegulationError(
                f"Tệp quy chế {path} là {what}, không phải tệp văn bản TOML. Tệp quy chế là tệp "
                "văn bản .toml (tạo bằng `thidua init`, sửa bằng Notepad)."
            )
    if data.startswith(b"\xef\xbb\xbf"):  # Notepad's "UTF-8 with BOM"
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Notepad's "Unicode" (UTF-16)
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _not_utf8(path, data, exc) from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _not_utf8(path, data, exc) from exc


def _not_utf8(path: Path, data: bytes, exc: UnicodeDecodeError) -> RegulationError:
    line = data[: exc.start].count(b"\n") + 1
    return RegulationError(
        f"Tệp quy chế {path} không lưu theo mã UTF-8 (ký tự lạ ở dòng {line}). Trong Notepad "
        "chọn File → Save As…, mục Encoding chọn UTF-8, rồi lưu lại."
    )




def deep_merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """``over`` on top of ``base``: tables merge key by key, anything else (arrays included)
    replaces. Neither input is modified."""
    out = copy.deepcopy(dict(base))
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


_POSITION = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)\s*$")
_TOML_MESSAGES: tuple[tuple[str, str], ...] = (
    ("Invalid value", "giá trị không hợp lệ: văn bản phải đặt trong ngoặc kép (\"…\"), số thập "
     "phân dùng dấu chấm (0.20), có/không ghi true/false"),
    ("Expected newline or end of document after a statement",
     "sau giá trị còn ký tự thừa: mỗi dòng chỉ một `khoá = giá trị`; số thập phân dùng dấu chấm "
     "(0.20, không ghi 0,20 hay 20%); văn bản đặt trong ngoặc kép"),
    ("Expected '=' after a key in a key/value pair",
     "thiếu dấu = sau tên khoá (mỗi dòng có dạng `khoá = giá trị`; tên khoá không có dấu cách)"),
    ("Cannot overwrite a value", "một khoá được ghi hai lần; hãy xoá một dòng"),
    ("Cannot declare", "một mục [..] hoặc khoá được khai báo hai lần; hãy gộp hoặc xoá một chỗ"),
    ("Cannot redefine namespace", "một mục [..] được khai báo hai lần; hãy gộp hoặc xoá một chỗ"),
    ("Cannot mutate immutable namespace", "một mục được khai báo hai lần; hãy gộp hoặc xoá một chỗ"),
    ("Unclosed array", "danh sách chưa đóng ngoặc vuông ]"),
    ("Unclosed inline table", "mục viết trong ngoặc nhọn chưa đóng dấu }"),
    ("Unterminated string", "văn bản chưa đóng ngoặc kép \""),
    ("Invalid statement", "dòng không đúng dạng `khoá = giá trị` hay `[mục]`"),
    ("Expected ']' at the end of a table declaration", "tên mục thiếu dấu ] đóng"),
    ("Expected ']]' at the end of an array declaration", "tên mục thiếu dấu ]] đóng"),
    ("Illegal character", "có ký tự không được phép (thường do dán từ Word/Excel: dấu tab trong "
     "văn bản, ký tự điều khiển)"),
    ("Invalid initial character for a key part",
     "tên khoá không hợp lệ (tên khoá chỉ gồm chữ không dấu, chữ số, _ và -)"),
    ("Invalid date or datetime", "ngày tháng không hợp lệ (dạng 2026-12-20)"),
    ("Invalid hex value", "có dấu \\ trong văn bản: trong ngoặc kép hãy ghi \\\\ hoặc dùng "
     "ngoặc đơn '…' (ví dụ đường dẫn 'C:\\Mau')"),
    ("Unescaped '\\' in a string", "có dấu \\ trong văn bản: trong ngoặc kép hãy ghi \\\\ hoặc "
     "dùng ngoặc đơn '…' (ví dụ đường dẫn 'C:\\Mau')"),
    ("Escaped character is not a Unicode scalar value", "có dấu \\ trong văn bản: hãy ghi \\\\"),
)


def _toml(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _toml_error(text, source, exc) from exc


def _toml_error(text: str, source: str, exc: tomllib.TOMLDecodeError) -> RegulationError:
    raw = str(exc)
    m = _POSITION.search(raw)
    english = raw[: m.start()] if m else raw
    line = int(m.group(1)) if m and m.group(1) else None
    column = int(m.group(2)) if m and m.group(2) else None
    reason = next((vi for en, vi in _TOML_MESSAGES if english.startswith(en)), None)
    reason = reason or f"lỗi cú pháp TOML ({english})"
    if english.startswith("Cannot overwrite a value"):
        dup = _first_duplicate_key(text)
        if dup is not None:
            key, first, second = dup
            line, column = second, None
            reason = f"khoá `{key}` được ghi hai lần (dòng {first} và dòng {second}); hãy xoá một dòng"
    lines = text.splitlines()
    where = ""
    shown = ""
    if line is not None:
        where = f" ở dòng {line}" + (f", cột {column}" if column else "")
        if 1 <= line <= len(lines):
            shown = f"\n    dòng {line}: {lines[line - 1].strip()}"
            comma = re.search(r"=\s*(-?\d+),(\d+)", lines[line - 1])
            if comma:
                reason = (
                    f"số thập phân phải dùng dấu chấm: ghi {comma.group(1)}.{comma.group(2)}, "
                    f"không ghi {comma.group(1)},{comma.group(2)}"
                )
    elif m is not None:
        where = " ở cuối tệp"
    name = DEFAULT_SOURCE if source == DEFAULT_SOURCE else f"Tệp quy chế {source}"
    return RegulationError(
        f"{name} không đúng cú pháp TOML{where}: {reason}.{shown}\n"
        "Hãy sửa dòng đó (mở bằng Notepad) rồi chạy lại; `thidua init` tạo một tệp mẫu đúng cú pháp."
    )


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?")
_ASSIGN = re.compile(r"^\s*([A-Za-z0-9_\-.\"' ]+?)\s*=")


def _scan_keys(text: str) -> Iterable[tuple[str, int]]:
    """(dotted key, line) of each table header and ``key =`` line (best effort, for messages;
    lines inside a multi-line array are skipped)."""
    table = ""
    counters: dict[str, int] = {}
    depth = 0  # unclosed [ of a multi-line array value
    for n, line in enumerate(text.splitlines(), 1):
        code, balance = _code_and_balance(line)
        if depth > 0:
            depth = max(0, depth + balance)
            continue
        header = _HEADER.match(code)
        if header:
            name = _clean_key(header.group(2))
            if header.group(1) == "[[":
                counters[name] = counters.get(name, 0) + 1
                table = f"{name}[{counters[name]}]"
            else:
                table = name
            yield table, n
            continue
        assign = _ASSIGN.match(code)
        if assign:
            key = _clean_key(assign.group(1))
            yield (f"{table}.{key}" if table else key), n
            depth = max(0, balance)


def _code_and_balance(line: str) -> tuple[str, int]:
    """The line without its comment, and its count of [ minus ] outside quotes."""
    quote = ""
    balance = 0
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            return line[:i], balance
        elif ch == "[":
            balance += 1
        elif ch == "]":
            balance -= 1
    return line, balance


def _clean_key(raw: str) -> str:
    return ".".join(part.strip().strip("\"'") for part in raw.split("."))


def key_lines(text: str) -> dict[str, int]:
    lines: dict[str, int] = {}
    for key, n in _scan_keys(text):
        lines.setdefault(key, n)
        if key.endswith("[1]"):  # an array of tables is named by its first block
            lines.setdefault(key[:-3], n)
    return lines


def _first_duplicate_key(text: str) -> tuple[str, int, int] | None:
    seen: dict[str, int] = {}
    for key, n in _scan_keys(text):
        if key in seen and not key.endswith("]"):
            return key, seen[key], n
        seen[key] = n
    return None


@lru_cache(maxsize=1)
def _default_lines() -> dict[str, int]:
    return key_lines(_default_text())
