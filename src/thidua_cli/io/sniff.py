"""What kind of file is this? Decided by its first bytes, never by its extension.

Department workbooks arrive as .xlsx, old .xls, LibreOffice .ods, but also as web pages the
hospital information system exports with an ".xls" name, CSV files, password-protected files,
half-downloaded files, Excel's own "~$" lock files, zip archives of several workbooks … Each of
those gets its own Vietnamese message that names the file and says what to do.

``sniff(path)`` returns one of :data:`SUPPORTED` ("xlsx", "xlsm", "xls", "ods") or raises
:class:`UnreadableFileError` (an ``InputFileError``, exit 4) whose ``kind`` says which case it
is. ``io.workbook.load_workbook`` reads the bytes once and calls :func:`sniff_bytes`.
"""

from __future__ import annotations

import io
import os
import stat
import struct
import unicodedata
import zipfile
import zlib
from pathlib import Path

from thidua_cli.errors import InputFileError

SUPPORTED = ("xlsx", "xlsm", "xls", "ods")

# Reading the whole input into memory keeps the hash, the sniffing and the parsing on the very
# same bytes. Department workbooks are a few MB; this bound only stops absurd inputs.
DEFAULT_MAX_FILE_BYTES = 512 * 1024 * 1024
# Parts of a zip (xlsx, ods): a workbook of 300 sheets has about 700. zipfile builds an object
# per part while opening, so a file of a million empty parts took 12 s and 670 MB before any
# check: the count is read from the zip's own directory first.
DEFAULT_MAX_MEMBERS = 20_000

HEAD_BYTES = 64 * 1024

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# An empty zip archive has only its end record.
ZIP_EMPTY_MAGIC = b"PK\x05\x06"

ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"

# Everything the zip module (and zlib below it) may raise on a damaged archive. ``ValueError``
# covers UnicodeDecodeError of member names; ``RuntimeError`` an encrypted member;
# ``NotImplementedError`` an unknown compression method.
ZIP_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    EOFError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    struct.error,
    zlib.error,
    KeyError,
    IndexError,
    OverflowError,
)

SAVE_AS_XLSX = (
    "Hãy mở file bằng Excel rồi chọn File → Save As (Lưu thành) → kiểu \"Excel Workbook (*.xlsx)\" "
    "và chạy lại lệnh với file .xlsx mới."
)


class UnreadableFileError(InputFileError):
    """An input that is not a readable spreadsheet. ``kind`` names the case ("missing",
    "folder", "html", "encrypted", "corrupt-zip", "too-large" …) for tests and JSON reports;
    the exit code is that of :class:`InputFileError` (4)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def display_name(path: str | os.PathLike[str]) -> str:
    """The path as the user gave it, NFC-normalised (macOS gives NFD file names)."""
    return unicodedata.normalize("NFC", os.fspath(path))


# ---------------------------------------------------------------------------------------------
# The path itself
# ---------------------------------------------------------------------------------------------


def check_path(path: str | os.PathLike[str]) -> os.stat_result:
    """Stat the path and refuse what is not a regular, readable file, without opening it.

    A FIFO or a device would block or never end when read, so those are refused before any
    ``open``."""
    shown = display_name(path)
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError as exc:
        raise UnreadableFileError("missing", _missing_message(p, shown)) from exc
    except PermissionError as exc:
        raise UnreadableFileError("permission", _permission_message(shown)) from exc
    except NotADirectoryError as exc:
        raise UnreadableFileError(
            "missing",
            f"Không tìm thấy file \"{shown}\": một phần của đường dẫn không phải là thư mục. "
            "Hãy kiểm tra lại đường dẫn.",
        ) from exc
    except (OSError, ValueError) as exc:
        # ValueError: an embedded NUL byte; OSError: a name too long, a broken network drive …
        raise UnreadableFileError(
            "missing",
            f"Không mở được đường dẫn \"{shown}\" ({exc.__class__.__name__}). Hãy kiểm tra lại "
            "đường dẫn và tên file.",
        ) from exc
    if stat.S_ISDIR(st.st_mode):
        raise UnreadableFileError("folder", _folder_message(p, shown))
    if not stat.S_ISREG(st.st_mode):
        raise UnreadableFileError(
            "not-a-file",
            f"\"{shown}\" không phải là một file thông thường (có thể là thiết bị hoặc ống dẫn). "
            "Hãy chỉ ra file bảng tính .xlsx cần đọc.",
        )
    return st


def _missing_message(p: Path, shown: str) -> str:
    msg = f"Không tìm thấy file \"{shown}\". Hãy kiểm tra lại đường dẫn và tên file"
    hint = _similar_name(p)
    if hint:
        msg += f" (có phải là \"{hint}\"?)"
    return msg + "."


def _similar_name(p: Path) -> str | None:
    """A file of the same folder whose name is close to the one typed (bounded listing)."""
    import difflib

    parent = p.parent if str(p.parent) else Path(".")
    try:
        names = []
        with os.scandir(parent) as it:
            for i, entry in enumerate(it):
                if i >= 2000:
                    break
                names.append(unicodedata.normalize("NFC", entry.name))
    except (OSError, ValueError):
        return None
    want = unicodedata.normalize("NFC", p.name)
    best = difflib.get_close_matches(want.casefold(), [n.casefold() for n in names], 1, 0.75)
    if not best:
        return None
    for n in names:
        if n.casefold() == best[0]:
            return str(parent / n) if str(p.parent) not in ("", ".") else n
    return None


def _permission_message(shown: str) -> str:
    return (
        f"Không có quyền đọc file \"{shown}\". Hãy kiểm tra quyền truy cập của file (hoặc thư mục "
        "chứa nó); nếu file nằm trên ổ mạng hoặc đang được mở khoá trên máy khác, hãy chép file "
        "về máy rồi chạy lại."
    )


_SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


def _folder_message(p: Path, shown: str) -> str:
    msg = f"\"{shown}\" là một thư mục, không phải file bảng tính."
    found: list[str] = []
    try:
        with os.scandir(p) as it:
            for i, entry in enumerate(it):
                if i >= 2000 or len(found) >= 3:
                    break
                name = unicodedata.normalize("NFC", entry.name)
                if name.lower().endswith(_SPREADSHEET_SUFFIXES) and not name.startswith("~$"):
                    found.append(name)
    except (OSError, ValueError):
        found = []
    if found:
        examples = ", ".join(f"\"{shown.rstrip('/')}/{n}\"" for n in sorted(found))
        msg += f" Hãy chỉ ra từng file trong thư mục, ví dụ: {examples}."
    else:
        msg += " Hãy chỉ ra đường dẫn đến file .xlsx cần đọc."
    return msg


def read_input(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> bytes:
    """The whole file, after :func:`check_path`; every failure is an UnreadableFileError.

    Text-like inputs (a web page, a CSV) are recognised from their head first, so that a large
    exported report still gets the right message rather than "too large"."""
    shown = display_name(path)
    st = check_path(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(HEAD_BYTES)
            if st.st_size > max_bytes:
                _refuse_by_head(head, shown, path)
                raise UnreadableFileError(
                    "too-large",
                    f"File \"{shown}\" quá lớn ({_mb(st.st_size)}; giới hạn "
                    f"{_mb(max_bytes)}). Bảng điểm của khoa/phòng thường chỉ vài MB: hãy kiểm tra "
                    "lại có chọn nhầm file không, hoặc xoá các sheet/hình ảnh thừa rồi lưu lại.",
                )
            fh.seek(0)
            data = fh.read(max_bytes + 1)
    except PermissionError as exc:
        raise UnreadableFileError("permission", _permission_message(shown)) from exc
    except IsADirectoryError as exc:
        raise UnreadableFileError("folder", _folder_message(Path(path), shown)) from exc
    except OSError as exc:
        raise UnreadableFileError(
            "io-error",
            f"Không đọc được file \"{shown}\" (lỗi hệ thống: {exc.strerror or exc}). Nếu file nằm "
            "trên ổ mạng hoặc USB, hãy chép về máy rồi chạy lại.",
        ) from exc
    if len(data) > max_bytes:
        raise UnreadableFileError(
            "too-large",
            f"File \"{shown}\" quá lớn (hơn {_mb(max_bytes)}). Hãy kiểm tra lại có chọn nhầm file "
            "không.",
        )
    return data


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):,.0f} MB".replace(",", ".")


def _refuse_by_head(head: bytes, shown: str, path: str | os.PathLike[str]) -> None:
    """Raise the specific message for a head that is not a zip or OLE container."""
    if head.startswith((ZIP_MAGIC, ZIP_EMPTY_MAGIC, OLE_MAGIC)):
        return
    _classify_head(head, shown, Path(path).name)


# ---------------------------------------------------------------------------------------------
# Sniffing
# ---------------------------------------------------------------------------------------------


def sniff(path: str | os.PathLike[str]) -> str:
    """The format of the file at ``path`` ("xlsx" | "xlsm" | "xls" | "ods") from its bytes.

    Raises :class:`UnreadableFileError` (exit 4) with a Vietnamese message for everything else:
    missing, folder, no permission, empty, web page (HTML/MHTML) export, Excel 2003 XML, CSV or
    text, PDF, password-protected, corrupt or truncated zip, a zip that is not a workbook,
    .xlsb, a Word/PowerPoint file, an Excel lock file, an unknown format."""
    data = read_input(path)
    return sniff_bytes(data, display_name(path))


def sniff_bytes(data: bytes, shown: str) -> str:
    """As :func:`sniff`, for bytes already read; ``shown`` is the file name used in messages."""
    base = Path(shown).name
    if not data:
        raise UnreadableFileError(
            "empty",
            f"File \"{shown}\" rỗng (0 byte). Có thể việc tải về hoặc sao chép chưa xong: hãy "
            "chép lại file từ nguồn (email, Zalo, ổ mạng) rồi chạy lại.",
        )
    if data.startswith(ZIP_MAGIC):
        return _sniff_zip(data, shown)
    if data.startswith(ZIP_EMPTY_MAGIC):
        raise UnreadableFileError(
            "not-spreadsheet-zip",
            f"File \"{shown}\" là một file nén .zip rỗng, không phải bảng tính. {SAVE_AS_XLSX}",
        )
    if data.startswith(OLE_MAGIC):
        return _sniff_ole(data, shown)
    if base.startswith("~$") and len(data) < 4096:
        raise UnreadableFileError(
            "lock-file",
            f"\"{shown}\" là file tạm Excel tạo ra trong lúc một bảng tính đang mở (tên bắt đầu "
            f"bằng \"~$\"), không phải bảng điểm. Hãy chọn file gốc \"{base[2:]}\".",
        )
    _classify_head(data[:HEAD_BYTES], shown, base)
    raise AssertionError("unreachable")  # pragma: no cover


def _classify_head(head: bytes, shown: str, base: str) -> None:
    """Raise the message for an input that is neither a zip nor an OLE container."""
    text = _decode_head(head)
    stripped = text.lstrip("\ufeff \t\r\n\x00").lower()
    if stripped.startswith("mime-version:") or (
        stripped.startswith(("from:", "date:", "subject:", "content-type: multipart"))
        and "mime-version:" in stripped[:4000]
    ):
        raise UnreadableFileError("mhtml", _web_page_message(shown, "trang web lưu dạng MHTML"))
    if stripped.startswith("<"):
        window = stripped[:HEAD_BYTES]
        if stripped.startswith("<?xml") or (
            stripped.startswith("<!--") and "<?xml" in window[:200]
        ):
            if "urn:schemas-microsoft-com:office:spreadsheet" in window or (
                "progid=\"excel.sheet\"" in window
            ):
                raise UnreadableFileError(
                    "spreadsheetml-2003",
                    f"File \"{shown}\" là bảng tính dạng \"XML Spreadsheet 2003\" (thường do phần "
                    f"mềm quản lý bệnh viện xuất ra), chưa được hỗ trợ. {SAVE_AS_XLSX}",
                )
            if "<html" in window or "<!doctype html" in window:
                raise UnreadableFileError("html", _web_page_message(shown, "trang web (HTML)"))
            if "opendocument" in window and "<office:document" in window:
                raise UnreadableFileError(
                    "flat-ods",
                    f"File \"{shown}\" là bảng tính LibreOffice dạng XML phẳng (.fods), chưa được "
                    "hỗ trợ. Hãy mở bằng LibreOffice hoặc Excel rồi lưu thành .xlsx (hoặc .ods).",
                )
            raise UnreadableFileError(
                "xml",
                f"File \"{shown}\" là một file XML, không phải bảng tính Excel. {SAVE_AS_XLSX}",
            )
        html_starts = ("<!doctype html", "<html", "<table", "<head", "<body", "<meta", "<style",
                       "<title", "<div", "<!--", "<tr", "<font", "<center", "<p")
        if stripped.startswith(html_starts) and (
            "<html" in window or "<table" in window or stripped.startswith(html_starts[:4])
        ):
            raise UnreadableFileError("html", _web_page_message(shown, "trang web (HTML)"))
    if head.startswith(b"%PDF"):
        raise UnreadableFileError(
            "pdf",
            f"File \"{shown}\" là file PDF, không phải bảng tính. Hãy dùng file Excel (.xlsx) gốc "
            "của bảng điểm, không dùng bản đã in ra PDF.",
        )
    if head.startswith(b"{\\rtf"):
        raise UnreadableFileError(
            "rtf",
            f"File \"{shown}\" là văn bản RTF, không phải bảng tính. {SAVE_AS_XLSX}",
        )
    if _looks_like_text(head):
        sep = _guess_separator(text)
        what = f"CSV phân cách bằng dấu \"{sep}\"" if sep else "văn bản thuần (text)"
        if sep == "\t":
            what = "văn bản phân cách bằng phím Tab"
        raise UnreadableFileError(
            "csv",
            f"File \"{shown}\" là file {what}, chưa được hỗ trợ (chữ tiếng Việt và số thập phân "
            f"trong CSV dễ bị đọc sai). {SAVE_AS_XLSX}",
        )
    ext = Path(base).suffix.lower()
    claimed = f" dù tên file có đuôi \"{ext}\"" if ext in _SPREADSHEET_SUFFIXES else ""
    raise UnreadableFileError(
        "unknown",
        f"Không nhận ra định dạng của file \"{shown}\": đây không phải bảng tính Excel (.xlsx, "
        f".xls) hay LibreOffice (.ods){claimed}. Có thể file bị hỏng hoặc chọn nhầm file; hãy mở "
        "thử bằng Excel và lưu lại thành .xlsx.",
    )


def _web_page_message(shown: str, what: str) -> str:
    return (
        f"File \"{shown}\" thực chất là {what} do phần mềm quản lý bệnh viện xuất ra (tuy tên "
        f"file có thể có đuôi .xls), không phải bảng tính thật. {SAVE_AS_XLSX}"
    )


def _decode_head(head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        enc = "utf-16-le" if head.startswith(b"\xff\xfe") else "utf-16-be"
        return head[2:].decode(enc, errors="replace")
    if len(head) >= 4 and head[1:4:2] == b"\x00\x00" and head[0:4:2] != b"\x00\x00":
        # UTF-16-LE without a BOM ("<\0h\0…"): Excel's "Unicode Text" export.
        return head.decode("utf-16-le", errors="replace")
    return head.decode("utf-8", errors="replace")


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = head[:8192]
    if b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 3:  # a character cut by the sample's end
            return True
    # cp1258 / cp1252 text (Vietnamese Windows Excel CSV): few control characters.
    controls = sum(1 for b in sample if b < 0x20 and b not in (9, 10, 13))
    return controls <= len(sample) // 100


def _guess_separator(text: str) -> str | None:
    lines = [ln for ln in text.splitlines()[:10] if ln.strip()]
    if not lines:
        return None
    counts = {sep: min(ln.count(sep) for ln in lines) for sep in (";", "\t", ",", "|")}
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] > 0 else None


# ---------------------------------------------------------------------------------------------
# Zip containers: xlsx, xlsm, ods, and what is not a workbook
# ---------------------------------------------------------------------------------------------


def corrupt_zip_message(shown: str) -> str:
    return (
        f"File \"{shown}\" bị hỏng hoặc không đầy đủ (có thể tải về hoặc sao chép chưa xong, "
        "hoặc bị cắt khi gửi qua mạng). Hãy lấy lại file từ nguồn; nếu Excel còn mở được file, "
        "hãy lưu lại thành một file .xlsx mới rồi chạy lại."
    )


def open_zip(data: bytes, shown: str, *, max_members: int = DEFAULT_MAX_MEMBERS) -> zipfile.ZipFile:
    members = _member_count(data)
    if members > max_members:
        raise UnreadableFileError(
            "too-large",
            f"File \"{shown}\" quá lớn hoặc bị nén bất thường ({members:_} phần trong file nén, "
            f"giới hạn {max_members:_}), nên không đọc để tránh treo máy. Hãy kiểm tra lại có "
            "chọn nhầm file không, hoặc mở bằng Excel rồi lưu lại thành .xlsx.".replace("_", "."),
        )
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS as exc:
        raise UnreadableFileError("corrupt-zip", corrupt_zip_message(shown)) from exc


def _member_count(data: bytes) -> int:
    """About how many parts the zip's central directory lists, found before zipfile parses
    it: the entry signatures in the directory's bytes (zipfile walks those bytes, whatever
    count the end record states), counted at memchr speed. 0 when there is no end record
    (zipfile then says the file is not a zip)."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        return 0
    cd_size = struct.unpack_from("<I", data, end + 12)[0]
    start = end - cd_size if cd_size <= end else 0  # zip64 (0xFFFFFFFF): the whole file
    return data.count(b"PK\x01\x02", start, end)


def read_member(zf: zipfile.ZipFile, name: str, cap: int, shown: str) -> bytes:
    """At most ``cap`` bytes of a member (streamed: a lying header cannot make it bigger)."""
    try:
        with zf.open(name) as fh:
            return fh.read(cap)
    except ZIP_ERRORS as exc:
        raise UnreadableFileError("corrupt-zip", corrupt_zip_message(shown)) from exc


def _sniff_zip(data: bytes, shown: str) -> str:
    with open_zip(data, shown) as zf:
        try:
            names = zf.namelist()
        except ZIP_ERRORS as exc:  # pragma: no cover - namelist only reads the parsed directory
            raise UnreadableFileError("corrupt-zip", corrupt_zip_message(shown)) from exc
        nameset = set(names)
        if "xl/workbook.xml" in nameset:
            if "xl/vbaProject.bin" in nameset:
                return "xlsm"
            if "[Content_Types].xml" in nameset:
                ct = read_member(zf, "[Content_Types].xml", 1024 * 1024, shown)
                if b"macroenabled" in ct.lower():
                    return "xlsm"
            return "xlsx"
        if "xl/workbook.bin" in nameset:
            raise UnreadableFileError(
                "xlsb",
                f"File \"{shown}\" là bảng tính Excel dạng nhị phân (.xlsb), chưa được hỗ trợ. "
                f"{SAVE_AS_XLSX}",
            )
        if "mimetype" in nameset:
            mime = read_member(zf, "mimetype", 200, shown).strip().decode("ascii", "replace")
            if mime == ODS_MIMETYPE:
                return "ods"
            if mime.startswith("application/vnd.oasis.opendocument."):
                raise UnreadableFileError(
                    "opendocument-other",
                    f"File \"{shown}\" là tài liệu OpenDocument ({mime.rsplit('.', 1)[-1]}), không "
                    "phải bảng tính. Hãy dùng file bảng tính .xlsx (hoặc .ods) của bảng điểm.",
                )
        if "word/document.xml" in nameset:
            raise UnreadableFileError(
                "word",
                f"File \"{shown}\" là văn bản Word (.docx), không phải bảng tính. Hãy dùng file "
                "Excel (.xlsx) của bảng điểm; nếu bảng điểm nằm trong Word, hãy chép bảng sang "
                "Excel và lưu thành .xlsx.",
            )
        if "ppt/presentation.xml" in nameset:
            raise UnreadableFileError(
                "powerpoint",
                f"File \"{shown}\" là bản trình chiếu PowerPoint, không phải bảng tính. Hãy dùng "
                "file Excel (.xlsx) của bảng điểm.",
            )
        if "[Content_Types].xml" in nameset and any(n.lower() == "xl/workbook.xml" for n in names):
            raise UnreadableFileError(
                "corrupt-zip",
                f"File \"{shown}\" có cấu trúc bảng tính khác chuẩn (tên phần \"workbook.xml\" sai "
                f"chữ hoa/thường) nên không đọc được. {SAVE_AS_XLSX}",
            )
        inner = sorted(
            unicodedata.normalize("NFC", n.rsplit("/", 1)[-1])
            for n in names
            if n.lower().endswith(_SPREADSHEET_SUFFIXES)
        )
        if inner:
            listed = ", ".join(f"\"{n}\"" for n in inner[:5])
            more = f" và {len(inner) - 5} file khác" if len(inner) > 5 else ""
            raise UnreadableFileError(
                "zip-archive",
                f"File \"{shown}\" là một file nén (.zip) chứa {listed}{more}. Hãy giải nén "
                "(chuột phải → Extract All) rồi chạy lệnh với các file bảng tính bên trong.",
            )
        raise UnreadableFileError(
            "not-spreadsheet-zip",
            f"File \"{shown}\" là một file nén (.zip) nhưng không phải bảng tính Excel hay "
            "LibreOffice. Hãy kiểm tra lại có chọn nhầm file không.",
        )


# ---------------------------------------------------------------------------------------------
# OLE compound files: .xls, or a password-protected .xlsx, or a Word .doc
# ---------------------------------------------------------------------------------------------


def encrypted_message(shown: str) -> str:
    return (
        f"File \"{shown}\" được đặt mật khẩu mở file nên không đọc được. Hãy mở bằng Excel (nhập "
        "mật khẩu), bỏ mật khẩu (File → Info → Protect Workbook → Encrypt with Password, xoá mật "
        "khẩu, bấm OK) rồi lưu lại và chạy lại lệnh."
    )


def _sniff_ole(data: bytes, shown: str) -> str:
    names = ole_stream_names(data)
    if names is None:
        # The directory cannot be walked (a damaged or unusual file). Fall back to looking for
        # the UTF-16 stream names anywhere; calamine decides about the rest.
        if "EncryptionInfo".encode("utf-16-le") in data or (
            "EncryptedPackage".encode("utf-16-le") in data
        ):
            raise UnreadableFileError("encrypted", encrypted_message(shown))
        return "xls"
    lowered = {n.lower() for n in names}
    if "encryptioninfo" in lowered or "encryptedpackage" in lowered:
        raise UnreadableFileError("encrypted", encrypted_message(shown))
    if "workbook" in lowered or "book" in lowered:
        return "xls"
    if "worddocument" in lowered:
        raise UnreadableFileError(
            "word",
            f"File \"{shown}\" là văn bản Word (.doc), không phải bảng tính. Hãy dùng file Excel "
            "(.xlsx) của bảng điểm.",
        )
    if "powerpoint document" in lowered:
        raise UnreadableFileError(
            "powerpoint",
            f"File \"{shown}\" là bản trình chiếu PowerPoint (.ppt), không phải bảng tính. Hãy "
            "dùng file Excel (.xlsx) của bảng điểm.",
        )
    raise UnreadableFileError(
        "not-spreadsheet-ole",
        f"File \"{shown}\" là một tài liệu Office cũ nhưng không chứa bảng tính (không có phần "
        f"\"Workbook\"). Có thể file bị hỏng hoặc chọn nhầm file. {SAVE_AS_XLSX}",
    )


_ENDOFCHAIN = 0xFFFFFFFE
_MAX_SECTOR = 0xFFFFFFFA  # above: special values (free, end of chain, FAT, DIFAT)


class OleFile:
    """A minimal, bounded reader of OLE2 (Compound File Binary) containers: the directory and
    the bytes of one stream. Every chain is followed at most once per sector, so a damaged or
    hostile file cannot loop; any inconsistency raises :class:`OleError`."""

    def __init__(self, data: bytes, *, max_entries: int = 100_000) -> None:
        if len(data) < 512 or not data.startswith(OLE_MAGIC):
            raise OleError("not an OLE file")
        (shift,) = struct.unpack_from("<H", data, 0x1E)
        if shift not in (9, 12):
            raise OleError("bad sector size")
        self.data = data
        self.ssz = 1 << shift
        (mini_shift,) = struct.unpack_from("<H", data, 0x20)
        self.mini_ssz = 1 << min(mini_shift, 12)
        first_dir, = struct.unpack_from("<I", data, 0x30)
        self.mini_cutoff, first_minifat = struct.unpack_from("<II", data, 0x38)
        first_difat, n_difat = struct.unpack_from("<II", data, 0x44)
        self.n_sectors = max(0, -(-(len(data) - self.ssz) // self.ssz))
        per_sector = self.ssz // 4
        # The FAT's own sectors are listed in the DIFAT: 109 in the header, then a chain.
        self.fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s <= _MAX_SECTOR]
        d, seen = first_difat, set[int]()
        while d <= _MAX_SECTOR and n_difat > 0 and d not in seen and len(seen) <= self.n_sectors:
            seen.add(d)
            entries = struct.unpack_from(f"<{per_sector}I", self._sector(d))
            self.fat_sectors.extend(s for s in entries[:-1] if s <= _MAX_SECTOR)
            d = entries[-1]
        self.entries: list[tuple[str, int, int, int]] = []  # name, type, start, size
        directory = self._chain_bytes(first_dir)
        for off in range(0, len(directory) - 127, 128):
            if len(self.entries) >= max_entries:
                raise OleError("too many directory entries")
            (name_len,) = struct.unpack_from("<H", directory, off + 0x40)
            kind = directory[off + 0x42]
            start, size = struct.unpack_from("<II", directory, off + 0x74)
            if kind in (1, 2, 5) and 2 <= name_len <= 64:
                name = directory[off : off + name_len - 2].decode("utf-16-le", errors="replace")
                self.entries.append((name, kind, start, size))
        if not self.entries:
            raise OleError("empty directory")
        self._first_minifat = first_minifat

    def _sector(self, i: int) -> bytes:
        off = (i + 1) * self.ssz
        if i > _MAX_SECTOR or off >= len(self.data):
            raise OleError("sector outside the file")
        return self.data[off : off + self.ssz]

    def _next(self, i: int, fat_sectors: list[int]) -> int:
        idx, pos = divmod(i, self.ssz // 4)
        if idx >= len(fat_sectors):
            raise OleError("sector outside the FAT")
        sec = self._sector(fat_sectors[idx])
        if len(sec) < (pos + 1) * 4:
            raise OleError("short FAT sector")
        return int(struct.unpack_from("<I", sec, pos * 4)[0])

    def _chain(self, start: int) -> list[int]:
        chain: list[int] = []
        seen: set[int] = set()
        cur = start
        while cur != _ENDOFCHAIN:
            if cur > _MAX_SECTOR or cur in seen or len(chain) > self.n_sectors:
                raise OleError("broken sector chain")
            seen.add(cur)
            chain.append(cur)
            cur = self._next(cur, self.fat_sectors)
        return chain

    def _chain_bytes(self, start: int) -> bytes:
        return b"".join(self._sector(s) for s in self._chain(start))

    def names(self) -> list[str]:
        return [name for name, _, _, _ in self.entries]

    def read_stream(self, wanted: str) -> bytes | None:
        """The bytes of the first stream named ``wanted`` (case-insensitive), or None."""
        found = next(
            (e for e in self.entries if e[1] == 2 and e[0].lower() == wanted.lower()), None
        )
        if found is None:
            return None
        _, _, start, size = found
        if size >= self.mini_cutoff:
            return self._chain_bytes(start)[:size]
        # Small streams live in the mini stream (the root entry's data), in 64-byte sectors.
        root = next((e for e in self.entries if e[1] == 5), None)
        if root is None:
            raise OleError("no root entry")
        mini_stream = self._chain_bytes(root[2])
        minifat = self._chain_bytes(self._first_minifat) if self._first_minifat <= _MAX_SECTOR else b""
        n_mini = len(minifat) // 4
        out: list[bytes] = []
        seen: set[int] = set()
        cur = start
        while cur != _ENDOFCHAIN and sum(len(b) for b in out) < size:
            if cur >= n_mini or cur in seen:
                raise OleError("broken mini sector chain")
            seen.add(cur)
            off = cur * self.mini_ssz
            out.append(mini_stream[off : off + self.mini_ssz])
            cur = int(struct.unpack_from("<I", minifat, cur * 4)[0])
        return b"".join(out)[:size]


class OleError(ValueError):
    """An OLE container whose structure cannot be followed."""


def ole_stream_names(data: bytes, *, max_entries: int = 100_000) -> list[str] | None:
    """Names of the entries of an OLE2 directory, or None when it cannot be followed."""
    try:
        return OleFile(data, max_entries=max_entries).names()
    except (OleError, struct.error):
        return None
