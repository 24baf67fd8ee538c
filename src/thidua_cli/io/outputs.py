"""The one rule for what a command may write where (issue 10).

Every command that writes files asks :func:`guard` about all its outputs, the derived ones too
(the ``.json`` beside an ``.xlsx``, the ``.pdf`` beside a ``.docx``), before any work starts:

- an output never resolves (after symlinks) to an input, the ledger or a template, whatever
  ``--force`` says (exit 2: choosing another name is the fix);
- two outputs of one run never resolve to the same file;
- an output path that is a symbolic link (dangling or not) is never replaced;
- an existing output is replaced only with ``--force`` (exit 6 without), and only when the file
  there is of the kind the command writes (an ``.xlsx`` for a workbook, a ``.json`` document for
  JSON …): ``--force`` never destroys a ledger, a document or anything else that happens to
  carry the output's name;
- a path longer than the system allows is a usage error, said before anything runs.

:func:`thidua_cli.io.atomic.write_atomic` then writes each one atomically.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from thidua_cli.errors import OutputExistsError, UsageError

# What each output suffix must hold for --force to replace it: a predicate over the first
# bytes (and, for zip containers, the member that marks the format).
_ZIP_MARKERS = {
    ".xlsx": "xl/workbook.xml",
    ".xlsm": "xl/workbook.xml",
    ".docx": "word/document.xml",
}
_HEAD = 512


class OutputPathError(UsageError):
    """An output path that may never be written: an input, the ledger, a template, a link, two
    outputs on one file, a path too long (exit 2: another name is the fix, not --force)."""


@dataclass(frozen=True)
class Protected:
    """The files a run reads and must never write: inputs, the ledger, templates."""

    inputs: tuple[Path, ...] = ()
    ledger: Path | None = None
    templates: tuple[Path, ...] = field(default=())

    @classmethod
    def of(cls, inputs: Iterable[Path | str] = (), *, ledger: Path | str | None = None,
           templates: Iterable[Path | str] = ()) -> Protected:
        return cls(tuple(Path(p) for p in inputs),
                   Path(ledger) if ledger is not None else None,
                   tuple(Path(p) for p in templates))

    def named(self) -> list[tuple[Path, str]]:
        """Each protected path with what it is, in Vietnamese, for the message."""
        found = [(p, "tệp đầu vào") for p in self.inputs]
        if self.ledger is not None:
            found.append((self.ledger, "sổ lịch sử (ledger)"))
        found += [(p, "mẫu văn bản") for p in self.templates]
        return found


def _identity(path: Path) -> tuple[str, tuple[int, int] | None]:
    """How two paths are compared: the resolved path, and (device, inode) when it exists, so
    hard links and case-insensitive file systems are caught too."""
    resolved = os.path.realpath(path)
    try:
        st = os.stat(resolved)
    except OSError:
        return resolved, None
    return resolved, (st.st_dev, st.st_ino)


def _same(a: tuple[str, tuple[int, int] | None], b: tuple[str, tuple[int, int] | None]) -> bool:
    return a[0] == b[0] or (a[1] is not None and a[1] == b[1])


def _too_long(path: Path) -> bool:
    try:
        name_max = os.pathconf(path.parent if str(path.parent) else ".", "PC_NAME_MAX")
    except (OSError, ValueError):
        name_max = 255
    path_max = 4096
    return len(os.fsencode(path.name)) > name_max or len(os.fsencode(str(path))) >= path_max


def is_kind(path: Path, suffix: str) -> bool:
    """Whether the existing file at ``path`` holds what thidua writes under ``suffix``."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(_HEAD)
    except OSError:
        return False
    marker = _ZIP_MARKERS.get(suffix)
    if marker is not None:
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(path) as zf:
                return marker in zf.NameToInfo
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
    if suffix == ".pdf":
        return head.startswith(b"%PDF-")
    if suffix == ".json":
        text = head.lstrip(b"\xef\xbb\xbf").lstrip()
        return text[:1] in (b"{", b"[")
    if suffix in (".toml", ".md", ".html"):
        # Text, not a database or a zip: TOML and text documents are UTF-8 without NUL bytes.
        return b"\x00" not in head and not head.startswith((b"PK\x03\x04", b"SQLite format 3"))
    return False


def guard(outputs: Sequence[Path | str], protected: Protected, *, force: bool,
          other: str = "tên khác (-o)") -> None:
    """Refuse, before any work, an output set that would lose data (see the module's text).

    ``other`` says how this command chooses another output ("tên khác (-o)", "thư mục khác"),
    so that every message names an option the command has. Raises :class:`OutputPathError`
    (exit 2) or :class:`OutputExistsError` (exit 6); returns when every output may be
    written."""
    guarded = [(p, _identity(p)) for p, _ in protected.named()]
    names = dict(protected.named())
    seen: list[tuple[Path, tuple[str, tuple[int, int] | None]]] = []
    existing: list[Path] = []
    for out in map(Path, outputs):
        if _too_long(out):
            raise OutputPathError(
                f"Đường dẫn tệp kết quả quá dài ({len(str(out))} ký tự): {str(out)[:80]}…. "
                "Hãy chọn tên ngắn hơn hoặc thư mục khác."
            )
        if out.is_symlink():
            raise OutputPathError(
                f"Tệp kết quả {out} là một liên kết (symlink); thidua không ghi qua liên kết. "
                "Hãy chọn tên khác, hoặc xoá liên kết trước."
            )
        ident = _identity(out)
        for p, pid in guarded:
            if _same(ident, pid):
                raise OutputPathError(
                    f"Tệp kết quả {out} chính là {names[p]} {p}; thidua không bao giờ ghi đè "
                    f"{names[p]}, kể cả với --force. Hãy chọn {other}."
                )
        for prev, oid in seen:
            if _same(ident, oid):
                raise OutputPathError(
                    f"Hai tệp kết quả của lần chạy này trùng nhau: {prev} và {out}. "
                    f"Hãy chọn {other}."
                )
        seen.append((out, ident))
        if out.is_dir():
            raise OutputPathError(
                f"Không ghi được {out}: đây là một thư mục, không phải tệp. Hãy chọn tên tệp khác."
            )
        if out.exists():
            existing.append(out)
    if not existing:
        return
    if not force:
        shown = ", ".join(str(p) for p in existing[:5])
        if len(existing) > 5:  # a folder of 200 marked copies: name a few, count the rest
            shown += f" và {len(existing) - 5} tệp khác"
        raise OutputExistsError(
            f"Tệp {shown} đã có; chưa ghi đè. Hãy chọn {other}, hoặc dùng --force để "
            "ghi đè (-f)."
        )
    for out in existing:
        if not is_kind(out, out.suffix.lower()):
            raise OutputExistsError(
                f"Tệp {out} đã có nhưng không phải loại tệp thidua ghi ở đây "
                f"({out.suffix or 'không đuôi'}); --force chỉ ghi đè tệp kết quả cùng loại. "
                f"Hãy chọn {other}, hoặc tự chuyển tệp đó đi."
            )
