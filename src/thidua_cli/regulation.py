"""The regulation (quy chế): load a TOML file, merge it over the shipped default, validate it.

The shipped ``data/quy-che-mac-dinh.toml`` is the ONE source of truth for every default value
(its Vietnamese comments cite the legal basis of each number). A user's file is deep-merged over
it: tables merge key by key, arrays (the criteria, the department list …) replace wholesale. The
merged mapping is then checked against the typed dataclasses of :mod:`thidua_cli.model` — the
TOML keys ARE the dataclass field names — and every problem is collected; one
:class:`~thidua_cli.errors.RegulationError` (exit 3) lists them all, each naming its dotted key
(``cap.rate``, ``criteria[3].max_points``; criteria are numbered from 1 as the clerk counts them).

Sections owned by later stages (``[awards]``, ``[money]``, ``[council]``, ``[documents]``) are
registered in :data:`EXTRA_SECTIONS`, kept as parsed mappings in ``Regulation.extra`` and validated
by their own modules, which can reuse :class:`Checker` so that their messages read the same.
Any other top-level key is an error with a "did you mean" suggestion.

This module reads files (``load_regulation``) but :func:`parse_regulation` is pure.
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
import hashlib
import json
import math
import re
import tomllib
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from thidua_cli.core import vntext
from thidua_cli.errors import RegulationError
from thidua_cli.model import (
    Bands,
    CapRules,
    Criterion,
    Organisation,
    Regulation,
    ScoringRules,
    ValidationRules,
)
from thidua_cli.model import Overrides as OverrideRules

DEFAULT_FILE = "quy-che-mac-dinh.toml"
DEFAULT_SOURCE = "quy chế mặc định (tích hợp sẵn)"

#: Top-level tables validated here, and the dataclass each one becomes.
SECTIONS: dict[str, type] = {
    "organisation": Organisation,
    "scoring": ScoringRules,
    "bands": Bands,
    "overrides": OverrideRules,
    "cap": CapRules,
    "validation": ValidationRules,
}

#: Top-level tables owned by later stages: kept as parsed in ``Regulation.extra`` and validated by
#: the module named here. A module that adds a section to the default TOML registers it here
#: (additive edit: one line each).
EXTRA_SECTIONS: dict[str, str] = {
    "awards": "xét danh hiệu thi đua (thidua awards)",
    "money": "tiền thưởng (thidua awards)",
    "council": "Hội đồng Thi đua – Khen thưởng (thidua awards)",
    "documents": "in văn bản (thidua render)",
}

CRITERION_KEYS = tuple(f.name for f in dataclasses.fields(Criterion))
SCOPES = ("hospital", "department")
DENOMINATORS = ("htt_or_better", "htt_only")


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def default_toml_text() -> str:
    """The shipped default regulation, verbatim (Vietnamese comments included)."""
    return _default_text()


def default_regulation() -> Regulation:
    """The built-in regulation (``source`` = "quy chế mặc định (tích hợp sẵn)")."""
    text = _default_text()
    return _build(
        copy.deepcopy(_default_mapping()),  # callers get their own extra tables
        user={},
        source=DEFAULT_SOURCE,
        label=DEFAULT_SOURCE,
        sha256=_sha256(text.encode("utf-8")),
        lines=_key_lines(text),
    )


def parse_regulation(text: str, source: str) -> Regulation:
    """Parse a user's TOML text, merge it over the default and validate it (pure).

    ``source`` names the file in messages and becomes ``Regulation.source``; ``sha256`` is the
    hash of the text's UTF-8 bytes. Raises :class:`RegulationError` listing every problem.
    """
    return _parse(text, source, _sha256(text.encode("utf-8")))


def regulation_from_mapping(
    user: Mapping[str, Any], source: str, *, label: str | None = None
) -> Regulation:
    """Merge an already parsed TOML mapping (a user's file, perhaps changed in memory, e.g. by
    ``thidua awards --set``) over the default and validate it (pure), as :func:`parse_regulation`
    does for a text.

    ``label`` names the mapping in messages (default: :func:`regulation_label` of ``source``);
    no line numbers are given, since the mapping has no text. ``sha256`` is the hash of the
    mapping's canonical JSON (sorted keys), so the same settings give the same hash.
    """
    canonical = json.dumps(user, sort_keys=True, ensure_ascii=False, default=str)
    return _build(
        deep_merge(_default_mapping(), user),
        user=user,
        source=source,
        label=regulation_label(source) if label is None else label,
        sha256=_sha256(canonical.encode("utf-8")),
        lines={},
    )


def read_regulation_mapping(path: str | Path) -> dict[str, Any]:
    """The TOML mapping of the regulation file at ``path``, read as :func:`load_regulation`
    reads it (Notepad's BOM and UTF-16, its messages for a missing file or a TOML mistake),
    neither merged nor validated. Raises :class:`RegulationError` (exit 3)."""
    p = Path(path)
    return _toml(_decode(_read_bytes(p), p), str(path))


def load_regulation(path: str | Path | None) -> Regulation:
    """Load the regulation at ``path`` (``None``: the built-in default).

    Raises :class:`RegulationError` (exit 3) when the file is missing, a folder, unreadable, not
    UTF-8 text, not TOML, or has a wrong key or value; the message says where and how to fix it.
    """
    if path is None:
        return default_regulation()
    p = Path(path)
    data = _read_bytes(p)
    text = _decode(data, p)
    return _parse(text, str(path), _sha256(data))


def regulation_label(source: str) -> str:
    """How messages name a regulation: "tệp quy-che.toml" or the default's name."""
    if source == DEFAULT_SOURCE:
        return DEFAULT_SOURCE
    return f"tệp {Path(source).name}"


# ---------------------------------------------------------------------------------------------
# Collecting problems (reusable by the modules that validate the extra sections)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    key: str  # dotted path: "cap.rate", "criteria[3].max_points"
    message: str  # Vietnamese: what is wrong and how to fix it


_MISSING: Any = object()


class Checker:
    """Collects problems of one regulation; typed getters record a problem and return None.

    ``label`` names the file ("tệp quy-che.toml"); ``lines`` maps dotted keys to the line of the
    user's file where they are written (best effort, for the messages).
    """

    def __init__(self, label: str, lines: Mapping[str, int] | None = None) -> None:
        self.label = label
        self.lines: Mapping[str, int] = lines or {}
        self.problems: list[Problem] = []

    # -- recording ---------------------------------------------------------------------------
    def add(self, key: str, message: str) -> None:
        self.problems.append(Problem(key, message))

    def format(self, problem: Problem) -> str:
        line = self.lines.get(problem.key)
        where = f" (dòng {line})" if line else ""
        return f"- {self.label}, khoá `{problem.key}`{where}: {problem.message}"

    def error(self, source: str) -> RegulationError:
        n = len(self.problems)
        what = "một lỗi" if n == 1 else f"{n} lỗi"
        name = DEFAULT_SOURCE if source == DEFAULT_SOURCE else f"Quy chế {source}"
        body = "\n".join(self.format(p) for p in self.problems)
        return RegulationError(
            f"{name} có {what}, chưa dùng được:\n{body}\n"
            "Hãy sửa tệp quy chế (mở bằng Notepad, lưu với mã UTF-8) rồi chạy lại."
        )

    def raise_if_any(self, source: str) -> None:
        if self.problems:
            raise self.error(source)

    # -- structure ---------------------------------------------------------------------------
    def table(self, value: Any, key: str, *, example: str = "") -> dict[str, Any] | None:
        if isinstance(value, dict):
            return value
        how = example or f"viết thành mục [{key}] với các khoá bên dưới"
        self.add(key, f"phải là một mục (bảng) nhưng đang là {describe(value)}; hãy {how}.")
        return None

    def unknown_keys(
        self,
        table: Mapping[str, Any],
        allowed: Iterable[str],
        path: str,
        *,
        elsewhere: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        """Every key of ``table`` not in ``allowed`` is a problem with a suggestion.

        ``elsewhere`` maps other tables' paths to their keys: a key written in the wrong table
        is pointed to its right place.
        """
        allowed = list(allowed)
        for key in table:
            if key in allowed:
                continue
            full = f"{path}.{key}" if path else key
            what = _unknown_what(path, key, table[key])
            hint = suggest_key(key, allowed)
            if hint is not None:
                target = f"{path}.{hint}" if path else hint
                self.add(full, f"{what}. Có phải ý bạn là `{target}`?")
                continue
            moved = [
                f"{other}.{key}" for other, keys in (elsewhere or {}).items() if key in set(keys)
            ]
            if moved:
                self.add(
                    full,
                    f"{what}; khoá này thuộc mục [{moved[0].rsplit('.', 1)[0]}]. "
                    f"Có phải ý bạn là `{moved[0]}`?",
                )
                continue
            self.add(full, f"{what}. Các khoá được dùng: {', '.join(allowed)}.")

    def require(self, table: Mapping[str, Any], key: str, path: str) -> Any:
        if key not in table:
            self.add(path, f"thiếu khoá này; hãy thêm dòng `{key} = …`.")
            return _MISSING
        return table[key]

    # -- scalar types ------------------------------------------------------------------------
    def string(
        self,
        value: Any,
        path: str,
        *,
        choices: tuple[str, ...] | None = None,
        allow_empty: bool = False,
    ) -> str | None:
        if not isinstance(value, str):
            example = f'"{choices[0]}"' if choices else '"…"'
            self.add(
                path,
                f"phải là văn bản trong ngoặc kép (ví dụ {example}) nhưng đang là "
                f"{describe(value)}.",
            )
            return None
        text = vntext.clean(value)
        if choices is not None and text not in choices:
            alias = _CHOICE_ALIASES.get(vntext.fold(text))
            hint = [alias] if alias in choices else difflib.get_close_matches(
                text.lower(), choices, n=1, cutoff=0.6
            )
            extra = f' Có phải ý bạn là "{hint[0]}"?' if hint else ""
            listed = " hoặc ".join(f'"{c}"' for c in choices)
            self.add(path, f'"{value}" không hợp lệ; chỉ nhận {listed}.{extra}')
            return None
        if not text and not allow_empty:
            self.add(path, "không được để trống; hãy ghi nội dung trong ngoặc kép.")
            return None
        return text

    def number(
        self,
        value: Any,
        path: str,
        *,
        minimum: float | None = None,
        maximum: float | None = None,
        above: float | None = None,
        hint: str = "",
    ) -> float | None:
        """A finite int or float (never a bool) within the bounds (``above`` is exclusive)."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add(path, _not_a_number(value, path))
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.add(path, f"phải là một số hữu hạn, không phải {describe(value)}.")
            return None
        bounds = _bounds_text(minimum, maximum, above)
        out_of_range = (
            (minimum is not None and value < minimum)
            or (maximum is not None and value > maximum)
            or (above is not None and value <= above)
        )
        if out_of_range:
            tail = f" {hint}" if hint else ""
            self.add(path, f"phải {bounds}, nhưng đang là {fmt_number(value)}.{tail}")
            return None
        return float(value)

    def integer(
        self, value: Any, path: str, *, minimum: int | None = None, maximum: int | None = None
    ) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                self.add(path, f"phải là số nguyên: ghi {int(value)} (không có phần thập phân).")
            else:
                self.add(path, f"phải là một số nguyên (ví dụ 2) nhưng đang là {describe(value)}.")
            return None
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            self.add(path, f"phải {_bounds_text(minimum, maximum, None)}, nhưng đang là {value}.")
            return None
        return value

    def boolean(self, value: Any, path: str) -> bool | None:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and vntext.fold(value) in _TRUE_WORDS | _FALSE_WORDS:
            word = "true" if vntext.fold(value) in _TRUE_WORDS else "false"
            self.add(path, f"phải là true hoặc false, viết không có ngoặc kép: ghi {word}.")
            return None
        if isinstance(value, int | float) and value in (0, 1):
            word = "true" if value else "false"
            self.add(path, f"phải là true hoặc false (không dùng 0/1): ghi {word}.")
            return None
        self.add(path, f"phải là true (có) hoặc false (không) nhưng đang là {describe(value)}.")
        return None

    def strings(self, value: Any, path: str, *, unique: bool = True) -> tuple[str, ...] | None:
        if isinstance(value, str):
            self.add(
                path,
                f'phải là một danh sách trong ngoặc vuông, ví dụ ["{vntext.clean(value)}"], '
                "nhưng đang là một văn bản.",
            )
            return None
        if not isinstance(value, list):
            self.add(
                path,
                f'phải là một danh sách văn bản, ví dụ ["…", "…"], nhưng đang là {describe(value)}.',
            )
            return None
        out: list[str] = []
        seen: dict[str, int] = {}
        ok = True
        for i, item in enumerate(value, 1):
            text = self.string(item, f"{path}[{i}]")
            if text is None:
                ok = False
                continue
            k = vntext.key(text)
            if unique and k in seen:
                self.add(
                    f"{path}[{i}]",
                    f'"{text}" bị trùng với phần tử thứ {seen[k]} của danh sách; hãy xoá một lần.',
                )
                ok = False
                continue
            seen[k] = i
            out.append(text)
        return tuple(out) if ok else None


_ARRAY_ITEM = re.compile(r"^(\w+)\[(\d+)\]$")


def _unknown_what(path: str, key: str, value: Any) -> str:
    if not path:
        if isinstance(value, dict):
            return f"không có mục [{key}] trong quy chế"
        return "không có khoá này ở đầu tệp (ngoài các mục)"
    item = _ARRAY_ITEM.match(path)
    if item:
        return f"không có khoá này trong khối [[{item.group(1)}]] thứ {item.group(2)}"
    return f"không có khoá này trong mục [{path}]"


# Vietnamese words a clerk may type for a setting's English value.
_CHOICE_ALIASES = {
    "khoa": "department",
    "phong": "department",
    "khoa/phong": "department",
    "khoa phong": "department",
    "benh vien": "hospital",
    "toan vien": "hospital",
    "vien": "hospital",
}

_TRUE_WORDS = {"true", "co", "yes", "x", "bat", "dung", "1"}
_FALSE_WORDS = {"false", "khong", "no", "tat", "sai", "0"}


def suggest_key(key: str, allowed: Iterable[str]) -> str | None:
    """The allowed key the clerk most probably meant (spelling, or a unique prefix), or None."""
    allowed = list(allowed)
    k = vntext.fold(key).replace(" ", "_").replace("-", "_")
    close = difflib.get_close_matches(k, allowed, n=1, cutoff=0.6)
    if close:
        return close[0]
    prefixed = [a for a in allowed if len(k) >= 3 and (a.startswith(k) or k.startswith(a))]
    return prefixed[0] if len(prefixed) == 1 else None


def describe(value: Any) -> str:
    """A TOML value as the clerk reads it, for "… nhưng đang là X"."""
    if isinstance(value, bool):
        return f"giá trị {'true' if value else 'false'}"
    if isinstance(value, int | float):
        return f"số {fmt_number(value)}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "…"
        return f'văn bản "{shown}"'
    if isinstance(value, list):
        return "một danh sách [...]"
    if isinstance(value, dict):
        return "một mục (bảng)"
    if isinstance(value, datetime | date | time):
        return f"ngày giờ {value.isoformat()}"
    return f"giá trị {value!r}"


def fmt_number(value: float) -> str:
    """10 → "10", 10.0 → "10", 0.2 → "0.2" (as typed in TOML: decimal point)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _bounds_text(minimum: float | None, maximum: float | None, above: float | None) -> str:
    if above is not None and maximum is not None:
        return f"lớn hơn {fmt_number(above)} và không quá {fmt_number(maximum)}"
    if above is not None:
        return f"lớn hơn {fmt_number(above)}"
    if minimum is not None and maximum is not None:
        return f"nằm trong khoảng từ {fmt_number(minimum)} đến {fmt_number(maximum)}"
    if minimum is not None:
        return f"từ {fmt_number(minimum)} trở lên"
    if maximum is not None:
        return f"không quá {fmt_number(maximum)}"
    return "hợp lệ"


_NUMBERISH = re.compile(r"^\s*[-+]?\d+(?:[.,]\d+)?\s*(%)?\s*$")


def _not_a_number(value: Any, path: str) -> str:
    key = path.rsplit(".", 1)[-1]
    if isinstance(value, bool):
        return f"phải là một số (ví dụ 10), không phải {describe(value)}."
    if isinstance(value, str):
        m = _NUMBERISH.match(value)
        if m:
            digits = value.strip().rstrip("%").strip().replace(",", ".")
            if m.group(1):
                as_fraction = fmt_number(round(float(digits) / 100, 6))
                return (
                    f'phải là một số, không phải văn bản "{value}": tỷ lệ ghi bằng số thập '
                    f"phân, ví dụ `{key} = {as_fraction}` (tức {digits} %)."
                )
            return (
                f"phải là một số, không phải văn bản: bỏ ngoặc kép, ghi `{key} = {digits}`."
            )
    return f"phải là một số (ví dụ 10 hoặc 0.5) nhưng đang là {describe(value)}."


# ---------------------------------------------------------------------------------------------
# Reading and parsing
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _default_text() -> str:
    return (
        resources.files("thidua_cli").joinpath("data", DEFAULT_FILE).read_text(encoding="utf-8")
    )


@lru_cache(maxsize=1)
def _default_mapping() -> dict[str, Any]:
    return _toml(_default_text(), DEFAULT_SOURCE)


def _sha256(data: bytes) -> str:
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


def _parse(text: str, source: str, sha256: str) -> Regulation:
    user = _toml(text, source)
    merged = deep_merge(_default_mapping(), user)
    return _build(
        merged,
        user=user,
        source=source,
        label=regulation_label(source),
        sha256=sha256,
        lines=_key_lines(text),
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


def _key_lines(text: str) -> dict[str, int]:
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


# ---------------------------------------------------------------------------------------------
# Validation: merged mapping → Regulation
# ---------------------------------------------------------------------------------------------


def _build(
    merged: Mapping[str, Any],
    *,
    user: Mapping[str, Any],
    source: str,
    label: str,
    sha256: str,
    lines: Mapping[str, int],
) -> Regulation:
    check = Checker(label, lines)
    user_keys = set(_dotted_keys(user))
    allowed_top = ["name", "criteria", *SECTIONS, *EXTRA_SECTIONS]
    section_keys = {name: _field_names(cls) for name, cls in SECTIONS.items()}
    check.unknown_keys(merged, allowed_top, "", elsewhere=section_keys)

    name = check.require(merged, "name", "name")
    name = None if name is _MISSING else check.string(name, "name")

    sections: dict[str, Any] = {}
    for section, cls in SECTIONS.items():
        raw = merged.get(section, _MISSING)
        if raw is _MISSING:
            check.add(section, f"thiếu mục [{section}]; hãy chép mục này từ tệp `thidua init` tạo ra.")
            continue
        table = check.table(raw, section)
        if table is None:
            continue
        others = {k: v for k, v in section_keys.items() if k != section}
        check.unknown_keys(table, section_keys[section], section, elsewhere=others)
        converted = _fields(check, cls, table, section)
        if converted is not None:
            sections[section] = converted

    criteria = _criteria(check, merged.get("criteria", _MISSING))

    extra: dict[str, Any] = {}
    for section in EXTRA_SECTIONS:
        if section in merged:
            table = check.table(merged[section], section)
            if table is not None:
                extra[section] = table

    _cross_checks(check, sections, criteria, user_keys)
    check.raise_if_any(source)

    assert name is not None and criteria is not None
    return Regulation(
        name=name,
        source=source,
        sha256=sha256,
        organisation=sections["organisation"],
        criteria=criteria,
        scoring=sections["scoring"],
        bands=sections["bands"],
        overrides=sections["overrides"],
        cap=sections["cap"],
        validation=sections["validation"],
        extra=extra,
    )


def _dotted_keys(mapping: Mapping[str, Any], prefix: str = "") -> Iterable[str]:
    for key, value in mapping.items():
        path = f"{prefix}.{key}" if prefix else key
        yield path
        if isinstance(value, dict):
            yield from _dotted_keys(value, path)


def _field_names(cls: type) -> list[str]:
    return [f.name for f in dataclasses.fields(cls)]


# Bounds of each number, and what to say when it is out of range. Keys absent here only need
# their type. Percentages are fractions (0.20 = 20 %).
_RATE_HINT = "Tỷ lệ ghi bằng số thập phân: 0.20 nghĩa là 20 %."
_NUMBER_RULES: dict[str, dict[str, Any]] = {
    "scoring.bonus_cap": {"minimum": 0, "hint": "Ghi 0 nếu không tính điểm cộng."},
    "scoring.deduction_cap": {
        "above": 0,
        "hint": "Muốn không giới hạn điểm trừ thì xoá dòng này hoặc ghi deduction_cap = false.",
    },
    "scoring.total_min": {"minimum": 0},
    "scoring.total_max": {"above": 0},
    "bands.htxsnv": {"minimum": 0},
    "bands.httnv": {"minimum": 0},
    "bands.htnv": {"minimum": 0},
    "overrides.min_months_worked_year": {"minimum": 0, "maximum": 12},
    "overrides.absence_months_cap_low": {"minimum": 0, "maximum": 12},
    "overrides.absence_months_cap_high": {"minimum": 0, "maximum": 12},
    "overrides.min_share_worked_period": {
        "minimum": 0,
        "maximum": 1,
        "hint": "Ghi bằng số thập phân: 0.5 nghĩa là một nửa số ngày làm việc của kỳ.",
    },
    "overrides.working_days_per_month": {"above": 0, "maximum": 31},
    "cap.rate": {"minimum": 0, "maximum": 1, "hint": _RATE_HINT},
    "cap.exceptional_rate": {"minimum": 0, "maximum": 1, "hint": _RATE_HINT},
    "validation.max_leave_days_year": {"above": 0, "maximum": 366},
}
_INT_RULES: dict[str, dict[str, int]] = {"scoring.decimals": {"minimum": 0, "maximum": 4}}
_CHOICES: dict[str, tuple[str, ...]] = {"cap.scope": SCOPES, "cap.denominator": DENOMINATORS}
_MAY_BE_EMPTY = {"organisation.departments", "cap.manager_positions"}


def _fields(check: Checker, cls: type, table: Mapping[str, Any], section: str) -> Any:
    """Convert one table into ``cls``; None when any field has a problem (already recorded)."""
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    ok = True
    for f in dataclasses.fields(cls):
        path = f"{section}.{f.name}"
        tp = hints[f.name]
        optional = _is_optional(tp)
        if f.name not in table:
            if optional:
                values[f.name] = None
            elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                check.require(table, f.name, path)
                ok = False
            continue
        value = _convert(check, tp, table[f.name], path)
        if value is _MISSING:
            ok = False
        else:
            values[f.name] = value
    return cls(**values) if ok else None


def _is_optional(tp: Any) -> bool:
    return isinstance(tp, types.UnionType) and type(None) in typing.get_args(tp)


def _convert(check: Checker, tp: Any, value: Any, path: str) -> Any:
    if _is_optional(tp):
        # TOML has no null: "false" (or leaving the key out) means "none", e.g. no deduction cap.
        if value is False:
            return None
        if value is True:
            check.add(
                path,
                "ghi một số, hoặc false (hay xoá dòng này) nghĩa là không giới hạn; true không "
                "có nghĩa ở đây.",
            )
            return _MISSING
        (inner,) = [a for a in typing.get_args(tp) if a is not type(None)]
        return _convert(check, inner, value, path)
    result: Any
    if tp is bool:
        result = check.boolean(value, path)
    elif tp is int:
        result = check.integer(value, path, **_INT_RULES.get(path, {}))
    elif tp is float:
        result = check.number(value, path, **_NUMBER_RULES.get(path, {}))
    elif tp is str:
        result = check.string(value, path, choices=_CHOICES.get(path))
    elif typing.get_origin(tp) is tuple and typing.get_args(tp) == (str, ...):
        result = check.strings(value, path)
        if result is not None and not result and path not in _MAY_BE_EMPTY:
            check.add(path, "danh sách không được để trống.")
            result = None
    else:  # pragma: no cover - a model field of a type this loader does not know
        raise TypeError(f"regulation: unsupported field type {tp!r} at {path}")
    return _MISSING if result is None else result


def _criteria(check: Checker, raw: Any) -> tuple[Criterion, ...] | None:
    example = (
        "mỗi tiêu chí viết thành một khối [[criteria]] gồm code, name, group, max_points "
        "(xem tệp `thidua init` tạo ra)"
    )
    if raw is _MISSING:
        check.add("criteria", f"thiếu danh sách tiêu chí; {example}.")
        return None
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        check.add("criteria", f"phải là danh sách tiêu chí nhưng đang là {describe(raw)}; {example}.")
        return None
    if not raw:
        check.add("criteria", f"danh sách tiêu chí đang trống; {example}.")
        return None
    out: list[Criterion] = []
    codes: dict[str, int] = {}
    names: dict[str, int] = {}
    ok = True
    for i, item in enumerate(raw, 1):
        base = f"criteria[{i}]"
        check.unknown_keys(item, CRITERION_KEYS, base)
        values: dict[str, Any] = {}
        for key in CRITERION_KEYS:
            value = check.require(item, key, f"{base}.{key}")
            if value is _MISSING:
                ok = False
                continue
            if key == "max_points":
                converted: Any = check.number(value, f"{base}.{key}", above=0)
            else:
                converted = check.string(value, f"{base}.{key}")
            if converted is None:
                ok = False
            values[key] = converted
        code, name = values.get("code"), values.get("name")
        if code:
            k = vntext.key(code)
            if k in codes:
                check.add(
                    f"{base}.code",
                    f'mã tiêu chí "{code}" bị trùng với tiêu chí thứ {codes[k]} '
                    f"(`criteria[{codes[k]}].code`); mỗi tiêu chí phải có một mã riêng.",
                )
                ok = False
            else:
                codes[k] = i
        if name:
            k = vntext.key(name)
            if k in names:
                check.add(
                    f"{base}.name",
                    f'tên tiêu chí "{name}" bị trùng với tiêu chí thứ {names[k]}; hãy đặt tên khác '
                    "để cột điểm của bảng điểm được nhận ra đúng tiêu chí.",
                )
                ok = False
            else:
                names[k] = i
        if ok and len(values) == len(CRITERION_KEYS):
            out.append(Criterion(**values))
    return tuple(out) if ok else None


def _cross_checks(
    check: Checker,
    sections: Mapping[str, Any],
    criteria: tuple[Criterion, ...] | None,
    user_keys: set[str],
) -> None:
    """Rules between keys; each part runs when the keys it needs are valid on their own."""
    scoring: ScoringRules | None = sections.get("scoring")
    bands: Bands | None = sections.get("bands")
    overrides: OverrideRules | None = sections.get("overrides")

    if overrides is not None and (
        overrides.absence_months_cap_low > overrides.absence_months_cap_high
    ):
        check.add(
            _blame(user_keys, "overrides.absence_months_cap_low", "overrides.absence_months_cap_high"),
            f"absence_months_cap_low ({fmt_number(overrides.absence_months_cap_low)} tháng) không "
            f"được lớn hơn absence_months_cap_high ({fmt_number(overrides.absence_months_cap_high)} "
            "tháng): nghỉ từ cap_low đến dưới cap_high tháng thì tối đa Hoàn thành nhiệm vụ.",
        )

    if bands is not None:
        _check_band_order(check, bands, user_keys)

    if scoring is None:
        return
    if scoring.total_min >= scoring.total_max:
        check.add(
            _blame(user_keys, "scoring.total_min", "scoring.total_max"),
            f"điểm thấp nhất total_min ({fmt_number(scoring.total_min)}) phải nhỏ hơn điểm cao "
            f"nhất total_max ({fmt_number(scoring.total_max)}).",
        )
        return

    if criteria:
        total = sum(c.max_points for c in criteria)
        if not math.isclose(total, scoring.total_max, rel_tol=0, abs_tol=1e-9):
            parts = " + ".join(f"{c.code} {fmt_number(c.max_points)}" for c in criteria)
            shown_total = fmt_number(round(total, 6))
            check.add(
                _blame(user_keys, "criteria", "scoring.total_max"),
                f"tổng điểm tối đa các tiêu chí là {shown_total} ({parts}) nhưng "
                f"scoring.total_max = {fmt_number(scoring.total_max)}. Hãy sửa max_points của các "
                f"tiêu chí cho tổng đủ {fmt_number(scoring.total_max)}, hoặc nếu quy chế của bệnh "
                f"viện thật sự tính trên {shown_total} điểm thì ghi total_max = {shown_total} "
                "trong mục [scoring] (và xem lại các ngưỡng [bands]).",
            )

    if bands is None:
        return
    for key in ("htxsnv", "httnv", "htnv"):
        value = getattr(bands, key)
        if not scoring.total_min <= value <= scoring.total_max:
            check.add(
                f"bands.{key}",
                f"ngưỡng {fmt_number(value)} nằm ngoài thang điểm từ "
                f"{fmt_number(scoring.total_min)} đến {fmt_number(scoring.total_max)} "
                "(scoring.total_min – scoring.total_max).",
            )


def _check_band_order(check: Checker, bands: Bands, user_keys: set[str]) -> None:
    """htxsnv > httnv > htnv: each band must be reachable."""
    shown = (
        f"hiện là htxsnv = {fmt_number(bands.htxsnv)}, httnv = {fmt_number(bands.httnv)}, "
        f"htnv = {fmt_number(bands.htnv)}"
    )
    if not bands.htxsnv > bands.httnv:
        check.add(
            _blame(user_keys, "bands.httnv", "bands.htxsnv"),
            f"các ngưỡng phải giảm dần htxsnv > httnv > htnv ({shown}): ngưỡng Hoàn thành tốt "
            "nhiệm vụ phải thấp hơn ngưỡng Hoàn thành xuất sắc nhiệm vụ.",
        )
    if not bands.httnv > bands.htnv:
        check.add(
            _blame(user_keys, "bands.htnv", "bands.httnv"),
            f"các ngưỡng phải giảm dần htxsnv > httnv > htnv ({shown}): ngưỡng Hoàn thành nhiệm "
            "vụ phải thấp hơn ngưỡng Hoàn thành tốt nhiệm vụ.",
        )


def _blame(user_keys: set[str], preferred: str, other: str) -> str:
    """Of two keys in conflict, the one the user's file set (``preferred`` when both or none)."""
    if preferred not in user_keys and other in user_keys:
        return other
    return preferred
