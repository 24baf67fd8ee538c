"""io.sniff: the format is decided by the bytes, and every unreadable input gets its own
Vietnamese message naming the file (exit code 4)."""

from __future__ import annotations

import io
import os
import struct
import unicodedata
import zipfile
from pathlib import Path

import pytest

from thidua_cli.errors import ExitCode, InputFileError
from thidua_cli.io import sniff as sniff_mod
from thidua_cli.io.sniff import UnreadableFileError, ole_stream_names, sniff

DATA = Path(__file__).resolve().parent.parent / "data"


def _xlsx(path: Path, value: str = "Họ và tên") -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = value
    wb.save(path)
    return path


def _refused(path: Path | str) -> UnreadableFileError:
    with pytest.raises(UnreadableFileError) as info:
        sniff(path)
    exc = info.value
    assert isinstance(exc, InputFileError)
    assert exc.exit_code == ExitCode.INPUT == 4
    return exc


def make_ole(names: list[str], *, sector_size: int = 512) -> bytes:
    """A minimal but valid Compound File Binary: header, one FAT sector, one directory
    sector chain holding a root entry and the given stream names (streams are empty)."""
    shift = 9 if sector_size == 512 else 12
    entries = ["Root Entry", *names]
    per_sector = sector_size // 128
    n_dir = -(-len(entries) // per_sector)
    fat = [0xFFFFFFFD]  # sector 0 is the FAT itself
    for i in range(n_dir):
        fat.append(i + 2 if i < n_dir - 1 else 0xFFFFFFFE)
    fat += [0xFFFFFFFF] * (sector_size // 4 - len(fat))
    header = bytearray(512)
    header[0:8] = sniff_mod.OLE_MAGIC
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3 if shift == 9 else 4, 0xFFFE, shift, 6)
    struct.pack_into("<IIIIIIII", header, 0x28, 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE)
    struct.pack_into("<I", header, 0x48, 0)
    difat = [0] + [0xFFFFFFFF] * 108
    struct.pack_into("<109I", header, 0x4C, *difat)
    header += b"\x00" * (sector_size - 512)
    directory = bytearray()
    for i, name in enumerate(entries):
        entry = bytearray(128)
        raw = name.encode("utf-16-le") + b"\x00\x00"
        entry[: len(raw)] = raw
        struct.pack_into("<HBB", entry, 0x40, len(raw), 5 if i == 0 else 2, 1)
        struct.pack_into("<III", entry, 0x44, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
        struct.pack_into("<IQ", entry, 0x74, 0xFFFFFFFE, 0)
        directory += entry
    directory += b"\x00" * (n_dir * sector_size - len(directory))
    return bytes(header) + struct.pack(f"<{sector_size // 4}I", *fat) + bytes(directory)


# --- supported formats -------------------------------------------------------------------


def test_xlsx_by_bytes_whatever_the_extension(tmp_path: Path) -> None:
    real = _xlsx(tmp_path / "bang-diem.xlsx")
    assert sniff(real) == "xlsx"
    disguised = tmp_path / "bang-diem.xls"
    disguised.write_bytes(real.read_bytes())
    assert sniff(disguised) == "xlsx"


def _rezip(src: Path, dst: Path, extra: dict[str, bytes], replace: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info.filename)))
        for name, data in extra.items():
            zout.writestr(name, data)
    return dst


def test_xlsm_from_vba_project_or_content_type(tmp_path: Path) -> None:
    base = _xlsx(tmp_path / "base.xlsx")
    with_vba = _rezip(base, tmp_path / "a.xlsx", {"xl/vbaProject.bin": b"\x00" * 10}, {})
    assert sniff(with_vba) == "xlsm"
    with zipfile.ZipFile(base) as z:
        ct = z.read("[Content_Types].xml").replace(
            b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        )
    assert b"macroEnabled" in ct
    macro_ct = _rezip(base, tmp_path / "b.xlsx", {}, {"[Content_Types].xml": ct})
    assert sniff(macro_ct) == "xlsm"


def test_xls_and_ods_saved_by_libreoffice() -> None:
    assert sniff(DATA / "loader-sample.xls") == "xls"
    assert sniff(DATA / "loader-sample.ods") == "ods"


def test_ods_named_xlsx_is_still_ods(tmp_path: Path) -> None:
    p = tmp_path / "bang-diem.xlsx"
    p.write_bytes((DATA / "loader-sample.ods").read_bytes())
    assert sniff(p) == "ods"


# --- paths ---------------------------------------------------------------------------------


def test_missing_file_suggests_a_close_name(tmp_path: Path) -> None:
    _xlsx(tmp_path / "quy-4-2026.xlsx")
    exc = _refused(tmp_path / "quy-4-2025.xlsx")
    assert exc.kind == "missing"
    assert "Không tìm thấy file" in exc.message
    assert "quy-4-2025.xlsx" in exc.message
    assert "quy-4-2026.xlsx" in exc.message  # the suggestion


def test_missing_file_without_suggestion(tmp_path: Path) -> None:
    exc = _refused(tmp_path / "khong-co.xlsx")
    assert exc.kind == "missing"
    assert "có phải là" not in exc.message


def test_folder_lists_the_workbooks_inside(tmp_path: Path) -> None:
    folder = tmp_path / "nop-bai"
    folder.mkdir()
    _xlsx(folder / "khoa-noi.xlsx")
    (folder / "~$khoa-noi.xlsx").write_bytes(b"x" * 165)
    exc = _refused(folder)
    assert exc.kind == "folder"
    assert "là một thư mục" in exc.message
    assert "khoa-noi.xlsx" in exc.message
    assert "~$" not in exc.message


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    exc = _refused(fifo)  # opening a FIFO would block forever
    assert exc.kind == "not-a-file"


def test_no_read_permission(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = _xlsx(tmp_path / "khoa.xlsx")

    def denied(*args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied")

    # Tests may run as root, where chmod 000 does not stop reading: simulate the OS refusal.
    monkeypatch.setattr(sniff_mod, "open", denied, raising=False)
    exc = _refused(p)
    assert exc.kind == "permission"
    assert "Không có quyền đọc file" in exc.message and "khoa.xlsx" in exc.message


def test_too_large_file_is_refused_before_reading(tmp_path: Path) -> None:
    p = _xlsx(tmp_path / "lon.xlsx")
    with pytest.raises(UnreadableFileError) as info:
        sniff_mod.read_input(p, max_bytes=100)
    assert info.value.kind == "too-large"
    assert "quá lớn" in info.value.message


def test_large_web_page_gets_the_web_page_message(tmp_path: Path) -> None:
    p = tmp_path / "bao-cao.xls"
    p.write_bytes(b"<html><body><table>" + b"<tr><td>1</td></tr>" * 100 + b"</table></body></html>")
    with pytest.raises(UnreadableFileError) as info:
        sniff_mod.read_input(p, max_bytes=100)
    assert info.value.kind == "html"


# --- not spreadsheets ------------------------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    p = tmp_path / "trong.xlsx"
    p.write_bytes(b"")
    exc = _refused(p)
    assert exc.kind == "empty"
    assert "rỗng (0 byte)" in exc.message and "trong.xlsx" in exc.message


@pytest.mark.parametrize(
    "content",
    [
        b"<html><head><meta charset='utf-8'></head><body><table><tr><td>An</td></tr></table>",
        b"\xef\xbb\xbf  \r\n<!DOCTYPE HTML PUBLIC '-//W3C//DTD HTML 4.0//EN'><HTML><TABLE>",
        b"\n\t<table border=1><tr><td>M\xc3\xa3 NV</td></tr></table>",
        "<html><table><tr><td>Họ tên</td></tr></table></html>".encode("utf-16"),
        b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body><table/></body></html>',
    ],
)
def test_html_export_of_the_hospital_system(tmp_path: Path, content: bytes) -> None:
    p = tmp_path / "xuat-tu-HIS.xls"
    p.write_bytes(content)
    exc = _refused(p)
    assert exc.kind == "html"
    assert "trang web" in exc.message
    assert "xuat-tu-HIS.xls" in exc.message
    assert "Save As" in exc.message and ".xlsx" in exc.message


def test_mhtml_export(tmp_path: Path) -> None:
    p = tmp_path / "bao-cao.xls"
    p.write_bytes(b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=x\r\n\r\n--x")
    exc = _refused(p)
    assert exc.kind == "mhtml"
    assert "MHTML" in exc.message and "Save As" in exc.message


def test_spreadsheetml_2003(tmp_path: Path) -> None:
    p = tmp_path / "his.xls"
    p.write_bytes(
        b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook '
        b'xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet/></Workbook>'
    )
    exc = _refused(p)
    assert exc.kind == "spreadsheetml-2003"
    assert "XML Spreadsheet 2003" in exc.message


def _cp1258(text: str) -> bytes:
    """cp1258 as Windows writes it: precomposed base letters (â, ê, ơ …) + combining tones."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        d = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", d[:2]) if len(d) > 2 else d[0]
        rest = d[2:] if len(d) > 2 else d[1:]
        out += base.encode("cp1258") + rest.encode("cp1258")
    return out


def test_csv_from_vietnamese_windows_excel(tmp_path: Path) -> None:
    p = tmp_path / "bang-diem.csv"
    # cp1258 with a semicolon separator, as Excel on a Vietnamese Windows writes it.
    p.write_bytes(_cp1258("Mã NV;Họ tên;Điểm\r\n001;Nguyễn Văn An;8,5\r\n"))
    assert b"\xde" in p.read_bytes()  # a combining tilde: real cp1258, not Latin-1
    exc = _refused(p)
    assert exc.kind == "csv"
    assert 'dấu ";"' in exc.message
    assert "chưa được hỗ trợ" in exc.message and "Save As" in exc.message


def test_tab_separated_unicode_text(tmp_path: Path) -> None:
    p = tmp_path / "bang-diem.txt"
    p.write_bytes("Mã NV\tHọ tên\r\n1\tAn\r\n".encode("utf-16"))
    exc = _refused(p)
    assert exc.kind == "csv"
    assert "phím Tab" in exc.message


def test_pdf(tmp_path: Path) -> None:
    p = tmp_path / "bang-diem.pdf"
    p.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj")
    assert _refused(p).kind == "pdf"


def test_unknown_binary_named_xlsx(tmp_path: Path) -> None:
    p = tmp_path / "hong.xlsx"
    p.write_bytes(bytes(range(256)) * 4)
    exc = _refused(p)
    assert exc.kind == "unknown"
    assert 'đuôi ".xlsx"' in exc.message


def test_excel_lock_file(tmp_path: Path) -> None:
    p = tmp_path / "~$khoa-noi.xlsx"
    p.write_bytes(b"\x05nguoi" + b" " * 50 + b"\x00" * 100)
    exc = _refused(p)
    assert exc.kind == "lock-file"
    assert '"khoa-noi.xlsx"' in exc.message


# --- zips ---------------------------------------------------------------------------------


def test_truncated_xlsx(tmp_path: Path) -> None:
    whole = _xlsx(tmp_path / "whole.xlsx").read_bytes()
    p = tmp_path / "tai-do.xlsx"
    p.write_bytes(whole[: len(whole) // 2])
    exc = _refused(p)
    assert exc.kind == "corrupt-zip"
    assert "bị hỏng hoặc không đầy đủ" in exc.message and "tai-do.xlsx" in exc.message


def test_zip_of_workbooks_lists_them(tmp_path: Path) -> None:
    p = tmp_path / "cac-khoa.zip"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("nop/Khoa Nội.xlsx", b"x")
        z.writestr("nop/Khoa Ngoại.xlsx", b"x")
    exc = _refused(p)
    assert exc.kind == "zip-archive"
    assert "Khoa Nội.xlsx" in exc.message and "Khoa Ngoại.xlsx" in exc.message
    assert "giải nén" in exc.message


def test_other_zip(tmp_path: Path) -> None:
    p = tmp_path / "anh.zip"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("anh.jpg", b"\xff\xd8")
    assert _refused(p).kind == "not-spreadsheet-zip"


def test_docx_and_xlsb(tmp_path: Path) -> None:
    docx = tmp_path / "to-trinh.docx"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        z.writestr("word/document.xml", b"<w:document/>")
    assert _refused(docx).kind == "word"
    xlsb = tmp_path / "bang.xlsb"
    with zipfile.ZipFile(xlsb, "w") as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        z.writestr("xl/workbook.bin", b"\x00")
    exc = _refused(xlsb)
    assert exc.kind == "xlsb" and ".xlsb" in exc.message


def test_other_opendocument(tmp_path: Path) -> None:
    p = tmp_path / "van-ban.ods"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("mimetype", b"application/vnd.oasis.opendocument.text")
    assert _refused(p).kind == "opendocument-other"


# --- OLE: xls, encrypted OOXML, Word ---------------------------------------------------------


def test_ole_directory_reader_on_a_real_xls() -> None:
    names = ole_stream_names((DATA / "loader-sample.xls").read_bytes())
    assert names is not None
    assert "Workbook" in names


@pytest.mark.parametrize("sector_size", [512, 4096])
def test_encrypted_ooxml(tmp_path: Path, sector_size: int) -> None:
    p = tmp_path / "mat-khau.xlsx"
    p.write_bytes(make_ole(["EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"],
                           sector_size=sector_size))
    assert ole_stream_names(p.read_bytes()) == [
        "Root Entry", "EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"
    ]
    exc = _refused(p)
    assert exc.kind == "encrypted"
    assert "đặt mật khẩu" in exc.message and "mat-khau.xlsx" in exc.message
    assert "Encrypt with Password" in exc.message


def test_encrypted_with_a_damaged_directory_falls_back_to_the_name(tmp_path: Path) -> None:
    data = bytearray(make_ole(["EncryptionInfo", "EncryptedPackage"]))
    struct.pack_into("<I", data, 0x30, 0x7FFFFFF0)  # directory sector far beyond the file
    assert ole_stream_names(bytes(data)) is None
    p = tmp_path / "mat-khau.xlsx"
    p.write_bytes(bytes(data))
    assert _refused(p).kind == "encrypted"


def test_ole_with_many_directory_sectors(tmp_path: Path) -> None:
    names = [f"Stream{i}" for i in range(9)] + ["Workbook"]
    data = make_ole(names)
    assert ole_stream_names(data) == ["Root Entry", *names]
    p = tmp_path / "cu.xls"
    p.write_bytes(data)
    assert sniff(p) == "xls"


def test_word_doc_and_other_ole(tmp_path: Path) -> None:
    doc = tmp_path / "to-trinh.doc"
    doc.write_bytes(make_ole(["WordDocument", "1Table"]))
    assert _refused(doc).kind == "word"
    other = tmp_path / "la.xls"
    other.write_bytes(make_ole(["Something"]))
    assert _refused(other).kind == "not-spreadsheet-ole"


def test_ole_cycle_in_the_fat_does_not_hang() -> None:
    data = bytearray(make_ole(["Workbook"]))
    fat_off = 512
    struct.pack_into("<I", data, fat_off + 4, 1)  # directory sector 1 points to itself
    assert ole_stream_names(bytes(data)) is None


def test_sniff_bytes_never_reads_the_disk() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", b"<workbook/>")
    assert sniff_mod.sniff_bytes(buf.getvalue(), "x.xlsx") == "xlsx"
