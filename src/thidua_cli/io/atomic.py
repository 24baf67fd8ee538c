"""Atomic output: every file thidua writes goes through :func:`write_atomic`.

The data is written to a temporary file in the destination folder (same file system, so the
final ``os.replace`` is atomic) and only then moved into place. On any failure the temporary
file is removed: a clerk never finds a half-written workbook or document. An existing output is
never overwritten unless ``force`` is given.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from thidua_cli.errors import OutputExistsError, ThiduaError

# Every file this process has moved into place, in order: what a stopped run says it kept.
WRITTEN: list[Path] = []


class OutputWriteError(ThiduaError):
    """The output folder cannot be created or the file cannot be written (exit 4 is for inputs;
    an unwritable output is a usage problem: wrong folder, no permission, file open in Excel)."""


def make_output_folder(folder: Path) -> None:
    """Create an output folder (and its parents) if missing. Raises :class:`OutputWriteError`
    (exit 2) when it cannot be made: a file of that name is in the way, or no permission."""
    if folder.exists() and not folder.is_dir():
        raise OutputWriteError(
            f"Không tạo được thư mục đầu ra {folder}: đã có một tệp cùng tên (không phải thư "
            "mục). Hãy chọn tên thư mục khác."
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputWriteError(
            f"Không tạo được thư mục đầu ra {folder}: {exc.strerror or exc}. Hãy kiểm tra quyền "
            "ghi, hoặc chọn thư mục khác."
        ) from exc


def output_exists(path: Path) -> bool:
    """``path.exists()`` for an output: a name or path the system refuses (too long, a loop of
    symbolic links) is an :class:`OutputWriteError` (exit 2) saying so, not a crash."""
    try:
        return path.exists()
    except OSError as exc:
        raise OutputWriteError(cannot_write_message(path, exc)) from exc


def _exists_message(path: Path, when: str) -> str:
    """The refusal io/outputs.guard gives, in the same words: this layer does not know which
    command writes, so it names both ways to choose another output (-o or another folder)."""
    return (f"Tệp {path} đã có{when}; chưa ghi đè. Hãy chọn tên khác (-o) hoặc thư mục khác, "
            "hoặc dùng --force để ghi đè (-f).")


def write_atomic(
    path: Path | str,
    data: bytes | Callable[[Path], None],
    *,
    force: bool,
) -> None:
    """Write ``data`` to ``path`` atomically.

    ``data`` is either the bytes to write, or a callable that writes the file itself at the
    temporary path it is given (for xlsxwriter, openpyxl, python-docx …). Raises
    :class:`OutputExistsError` if ``path`` exists and ``force`` is false; the existing file is
    then left untouched. The parent folder must exist (callers create it deliberately).
    """
    path = Path(path)
    try:
        is_dir, exists = path.is_dir(), path.exists()
        folder_ok = path.parent.is_dir()
    except OSError as exc:  # a path or name too long, a loop of symbolic links …
        raise OutputWriteError(cannot_write_message(path, exc)) from exc
    if is_dir:
        raise OutputWriteError(
            f"Không ghi được {path}: đây là một thư mục, không phải tệp. Hãy chọn tên tệp khác."
        )
    if exists and not force:
        raise OutputExistsError(_exists_message(path, ""))
    folder = path.parent
    if not folder_ok:
        raise OutputWriteError(
            f"Không ghi được {path}: thư mục {folder} không tồn tại. Hãy tạo thư mục trước "
            "hoặc chọn thư mục khác."
        )
    prefix, suffix = temp_affixes(path)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=folder)
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise OutputWriteError(cannot_write_message(path, exc)) from exc
        raise OutputWriteError(
            f"Không ghi được vào thư mục {folder}: {exc.strerror or exc}. Hãy kiểm tra quyền ghi."
        ) from exc
    tmp = Path(tmp_name)
    try:
        if callable(data):
            os.close(fd)
            fd = -1
            data(tmp)
        else:
            with os.fdopen(fd, "wb") as fh:
                fd = -1
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        if not force and path.exists():
            # Created by someone else while we were writing: still never overwrite silently.
            raise OutputExistsError(_exists_message(path, " (vừa được tạo trong lúc thidua đang ghi)"))
        _keep_permissions(tmp, path)
        os.replace(tmp, path)
        WRITTEN.append(path)
    except PermissionError as exc:
        _discard(fd, tmp)
        raise OutputWriteError(
            f"Không ghi được {path}: không có quyền ghi, hoặc tệp đang mở trong Excel/Word. "
            "Hãy đóng tệp rồi chạy lại."
        ) from exc
    except OSError as exc:
        _discard(fd, tmp)
        raise OutputWriteError(cannot_write_message(path, exc)) from exc
    except BaseException:
        _discard(fd, tmp)
        raise


_TEMP_RANDOM = 8  # characters tempfile.mkstemp puts between prefix and suffix


def temp_affixes(path: Path) -> tuple[str, str]:
    """(prefix, suffix) of the temporary file beside ``path``: ``.<stem>-XXXXXXXX<ext>.tmp``,
    the stem shortened so that the whole name fits the file system's limit on one name
    (NAME_MAX, 255 bytes on Linux and macOS). A 245-character input name made a temporary name
    too long to create while the output name itself still fitted."""
    name_max = _name_max(path.parent)
    suffix = f"{path.suffix}.tmp"
    encode = os.fsencode
    room = name_max - len(encode(suffix)) - _TEMP_RANDOM - len(b".-")
    if room < 0:  # an extension itself near the limit
        suffix, room = ".tmp", name_max - len(b".-.tmp") - _TEMP_RANDOM
    # Cut by characters (never half a UTF-8 sequence) until the encoded stem fits.
    stem = path.stem[: max(room, 0)]
    while stem and len(encode(stem)) > room:
        stem = stem[:-1]
    return f".{stem}-", suffix


def _name_max(folder: Path) -> int:
    try:
        return int(os.pathconf(folder, "PC_NAME_MAX"))
    except (OSError, ValueError, AttributeError):  # no pathconf (Windows), or not answerable
        return 255


def cannot_write_message(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ENAMETOOLONG:
        return (f"Không ghi được tệp kết quả: đường dẫn hoặc tên tệp quá dài "
                f"({len(os.fsencode(path))} byte; mỗi tên tối đa 255 byte, cả đường dẫn tối đa "
                "4.096 byte). Hãy chọn tên ngắn hơn hoặc thư mục gần gốc hơn với -o.")
    return f"Không ghi được {_short(path)}: {exc.strerror or exc}."


def _short(path: Path) -> str:
    text = str(path)
    return text if len(text) <= 200 else text[:90] + " … " + text[-90:]


def _keep_permissions(tmp: Path, path: Path) -> None:
    """mkstemp creates 0600 files; give the output the usual permissions (umask applied)."""
    try:
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()
        os.chmod(tmp, mode)
    except OSError:
        pass


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _discard(fd: int, tmp: Path) -> None:
    if fd >= 0:
        with contextlib.suppress(OSError):
            os.close(fd)
    with contextlib.suppress(OSError):
        tmp.unlink()
