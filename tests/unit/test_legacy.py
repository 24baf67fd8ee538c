"""core/legacy: TCVN3 and VNI → Unicode, detection by font and by content."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thidua_cli.core import legacy
from thidua_cli.core.legacy import (
    BY_CONTENT,
    TCVN3,
    TCVN3_TABLE,
    VNI,
    by_content,
    by_font,
    could_be_legacy,
    decode_tcvn3,
    decode_vni,
    encoding_of_font,
    is_capital_font,
    is_vietnamese_syllable,
)

# Every lower-case Vietnamese letter that is not ASCII: 12 vowels × 5 tones, ă â ê ô ơ ư, đ.
LOWER = sorted(
    {unicodedata.normalize("NFC", v + t) for v in "aăâeêioôơuưy"
     for t in ("\u0300", "\u0309", "\u0303", "\u0301", "\u0323")}
    | set("ăâêôơưđ")
)


# --------------------------------------------------------------------------------------------
# TCVN3 table
# --------------------------------------------------------------------------------------------


def test_tcvn3_table_covers_every_lower_case_letter_and_the_seven_capitals() -> None:
    assert len(LOWER) == 67
    assert sorted(v for v in TCVN3_TABLE.values() if v.islower()) == LOWER
    assert sorted(v for v in TCVN3_TABLE.values() if v.isupper()) == sorted("ĂÂÊÔƠƯĐ")
    assert len(TCVN3_TABLE) == 74


@pytest.mark.skipif(shutil.which("iconv") is None, reason="glibc iconv not installed")
def test_tcvn3_table_equals_glibc_iconv() -> None:
    data = bytes(sorted(TCVN3_TABLE))
    # One byte per line, so that no byte combines with the next in iconv's stateful decoder.
    lines = b"\n".join(bytes([b]) for b in data)
    result = subprocess.run(
        ["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=lines, capture_output=True,
        check=True,
    )
    decoded = result.stdout.decode("utf-8").split("\n")
    assert len(decoded) == len(data)
    for byte, text in zip(data, decoded, strict=True):
        assert unicodedata.normalize("NFC", text) == TCVN3_TABLE[byte], hex(byte)


@pytest.mark.parametrize(
    ("tcvn3", "unicode"),
    [
        ("Hä vµ tªn", "Họ và tên"),
        ("M· NV", "Mã NV"),
        ("NguyÔn ThÞ Thuû", "Nguyễn Thị Thuỷ"),
        ("Tr\xadêng", "Trường"),  # "ư" is the soft hyphen U+00AD
        ("§ç V¨n ¢n", "Đỗ Văn Ân"),
        ("Khoa Néi tæng hîp", "Khoa Nội tổng hợp"),
        ("Khiªn tr¸ch", "Khiên trách"),
    ],
)
def test_decode_tcvn3(tcvn3: str, unicode: str) -> None:
    assert decode_tcvn3(tcvn3) == unicode


def test_vntimeh_draws_capitals() -> None:
    assert decode_tcvn3("Hä vµ tªn", capitals=True) == "HỌ VÀ TÊN"
    assert is_capital_font(".VnTimeH") and is_capital_font(".VnArial NarrowH")
    assert not is_capital_font(".VnTime") and not is_capital_font("Times New Roman")
    assert not is_capital_font("VNI-Times")


# --------------------------------------------------------------------------------------------
# VNI
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("vni", "unicode"),
    [
        ("Hoï vaø teân", "Họ và tên"),
        ("Nguyeãn Thò Thuûy", "Nguyễn Thị Thủy"),
        ("Ñoã Vaên Aân", "Đỗ Văn Ân"),
        ("Tröông Thò Kim Yeán", "Trương Thị Kim Yến"),
        ("Traàn Ñöùc Vieät", "Trần Đức Việt"),
        ("Quaûng Ngaõi", "Quảng Ngãi"),
        ("Mî", "Mỵ"),  # ỵ is one byte (î); a converter that misses it leaves "Mî"
        ("Lyù", "Lý"),
        ("Khuyeát", "Khuyết"),
        ("Ngöôøi", "Người"),
        ("Ñaëng Thò Kieàu", "Đặng Thị Kiều"),
        ("ÑAËNG", "ĐẶNG"),
        ("NGUYEÃN", "NGUYỄN"),
        ("Hoà Chí Minh", "Hồ Chí Minh"),
        ("Khieån traùch", "Khiển trách"),
    ],
)
def test_decode_vni(vni: str, unicode: str) -> None:
    assert decode_vni(vni) == unicode


def test_vni_mark_after_a_consonant_is_kept_as_it_is() -> None:
    # "â" is a circumflex only after a, e, o; after a consonant it stays a character.
    assert decode_vni("Bâ") == "Bâ"
    assert decode_vni("à") == "à"


# --------------------------------------------------------------------------------------------
# Syllables
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "word",
    ["nguyễn", "khuỷu", "Trường", "hòa", "hoà", "thủy", "thuỷ", "người", "giữa", "gìn", "quá",
     "khuya", "xoong", "Đỗ", "Việt", "oai", "hoài", "ạ", "Ân", "uống"],
)
def test_valid_syllables(word: str) -> None:
    assert is_vietnamese_syllable(word)


@pytest.mark.parametrize(
    "word", ["Hä", "vµ", "tªn", "Hoï", "teân", "maõ", "vaø", "Noäi", "café", "Müller", "hoàà"]
)
def test_invalid_syllables(word: str) -> None:
    assert not is_vietnamese_syllable(word)


def test_could_be_legacy_only_for_one_byte_text() -> None:
    assert could_be_legacy("Hä vµ tªn")
    assert could_be_legacy("Lê Hà")  # all Latin-1: a candidate, decided by the scores
    assert not could_be_legacy("Nguyễn Văn An")  # ễ, ă: Unicode already
    assert not could_be_legacy("Nguyen Van An")  # ASCII


# --------------------------------------------------------------------------------------------
# Detection
# --------------------------------------------------------------------------------------------


def _cells(*values: str, row: int = 5) -> list[tuple[int, int, str]]:
    return [(row, c, v) for c, v in enumerate(values, start=1)]


def test_header_row_in_tcvn3_is_detected_as_a_group() -> None:
    convs = by_content(_cells("STT", "M· NV", "Hä vµ tªn", "Chøc vô", "Ghi chó"))
    assert [(c.col, c.converted, c.encoding, c.basis) for c in convs] == [
        (2, "Mã NV", TCVN3, BY_CONTENT),
        (3, "Họ và tên", TCVN3, BY_CONTENT),
        (4, "Chức vụ", TCVN3, BY_CONTENT),
        (5, "Ghi chú", TCVN3, BY_CONTENT),
    ]


def test_header_row_in_vni_is_detected_as_a_group() -> None:
    convs = by_content(_cells("Maõ NV", "Hoï vaø teân", "Chöùc vuï"))
    assert [(c.converted, c.encoding) for c in convs] == [
        ("Mã NV", VNI), ("Họ và tên", VNI), ("Chức vụ", VNI)]


def test_one_tcvn3_name_in_a_unicode_column_is_converted_alone() -> None:
    column = [(r, 3, v) for r, v in enumerate(
        ["Nguyễn Văn An", "Lê Thị Hà", "TrÇn ThÞ Mai", "Phạm Minh Đức", "Lê Hà"], start=10)]
    convs = by_content(column)
    assert [(c.row, c.original, c.converted) for c in convs] == [
        (12, "TrÇn ThÞ Mai", "Trần Thị Mai")]


def test_unicode_and_foreign_text_are_never_converted() -> None:
    assert by_content(_cells("Lê Hà", "Hà Lê", "Café", "José Müller", "Ghi chú: 5 µg")) == []


def test_by_font_converts_legacy_font_cells_and_names_the_font() -> None:
    values = {(4, 2): "Hä vµ tªn", (5, 2): "NguyÔn V¨n An", (6, 2): "Nguyễn Văn Bình",
              (7, 2): "Hoï vaø teân", (8, 2): "123", (9, 2): "Hä vµ tªn"}
    fonts = {(4, 2): ".VnTime", (5, 2): ".VnTime", (6, 2): ".VnTime", (7, 2): "VNI-Times",
             (8, 2): ".VnTime", (9, 2): ".VnTimeH"}
    convs = by_font(fonts, lambda r, c: values[(r, c)])
    assert [(c.row, c.converted, c.encoding, c.font) for c in convs] == [
        (4, "Họ và tên", TCVN3, ".VnTime"),
        (5, "Nguyễn Văn An", TCVN3, ".VnTime"),
        (7, "Họ và tên", VNI, "VNI-Times"),
        (9, "HỌ VÀ TÊN", TCVN3, ".VnTimeH"),
    ]


def test_fonts() -> None:
    assert encoding_of_font(".VnTime") == TCVN3
    assert encoding_of_font(".VnArial Narrow") == TCVN3
    assert encoding_of_font("VNI-Times") == VNI
    assert encoding_of_font("Times New Roman") is None
    assert encoding_of_font(None) is None


def test_apply_writes_into_rows() -> None:
    rows = [["x"], ["a", "Hä vµ tªn"]]
    legacy.apply(rows, by_content([(2, 2, "Hä vµ tªn")]))
    assert rows == [["x"], ["a", "Họ và tên"]]


# --------------------------------------------------------------------------------------------
# Properties: round trips and Unicode left alone
# --------------------------------------------------------------------------------------------

SYLLABLES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
             "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Thị", "Văn", "Minh", "Thu", "Hương",
             "Quỳnh", "Tuấn", "Ánh", "Ấn", "Ỵ", "Khuyến", "Nghĩa", "Trường", "Giang", "Yến",
             "Ngọc", "Hà", "Thủy", "Xuân", "Đức", "Chiến", "Hậu", "Kiều", "Mỹ", "khoa", "nội"]

_TCVN3_ENCODE = {ch: chr(b) for b, ch in TCVN3_TABLE.items()}
_VNI_LETTERS = {"ơ": "ô", "ư": "ö", "đ": "ñ", "í": "í", "ì": "ì", "ỉ": "æ", "ĩ": "ó", "ị": "ò",
                "ỵ": "î"}
_VNI_MARK = {"\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï",
             "\u0302": "â", "\u0302\u0301": "á", "\u0302\u0300": "à", "\u0302\u0309": "å",
             "\u0302\u0303": "ã", "\u0302\u0323": "ä", "\u0306": "ê", "\u0306\u0301": "é",
             "\u0306\u0300": "è", "\u0306\u0309": "ú", "\u0306\u0303": "ü", "\u0306\u0323": "ë"}


def to_tcvn3(text: str) -> str:
    """Lower-case-only TCVN3 (what a .VnTimeH cell holds for capitals)."""
    return "".join(_TCVN3_ENCODE.get(ch, ch) for ch in text)


def to_vni(text: str) -> str:
    """Unicode → VNI, written independently of the decoder (from the VNI chart)."""
    out = []
    for ch in text:
        lower = ch.lower()
        upper = ch != lower
        if lower in _VNI_LETTERS:
            enc = _VNI_LETTERS[lower]
            out.append(enc.upper() if upper else enc)
            continue
        parts = unicodedata.normalize("NFD", lower)
        base = parts[0]
        # letter marks (circumflex, breve, horn) before the tone
        marks = "".join(sorted(parts[1:], key=lambda m: m not in "\u0302\u0306\u031b"))
        if base in "ou" and marks.startswith("\u031b"):  # ơ ư with a tone
            letter = "ô" if base == "o" else "ö"
            out.append(letter.upper() if upper else letter)
            marks = marks[1:]
        elif base == "i" and marks:
            enc = _VNI_LETTERS[unicodedata.normalize("NFC", base + marks)]
            out.append(enc.upper() if upper else enc)
            continue
        elif base == "y" and marks == "\u0323":
            out.append("Î" if upper else "î")
            continue
        else:
            out.append(base.upper() if upper else base)
        if marks:
            m = _VNI_MARK[marks]
            out.append(m.upper() if upper else m)
    return "".join(out)


names = st.lists(st.sampled_from(SYLLABLES), min_size=1, max_size=4).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(names)
def test_tcvn3_round_trip(name: str) -> None:
    lower = name.lower()
    assert decode_tcvn3(to_tcvn3(lower)) == lower
    assert decode_tcvn3(to_tcvn3(lower), capitals=True) == name.upper()


@settings(max_examples=200, deadline=None)
@given(names)
def test_vni_round_trip(name: str) -> None:
    assert decode_vni(to_vni(name)) == name


@settings(max_examples=200, deadline=None)
@given(st.lists(names, min_size=1, max_size=8))
def test_unicode_columns_are_never_converted(column: list[str]) -> None:
    assert by_content([(r, 1, v) for r, v in enumerate(column, start=1)]) == []


@settings(max_examples=100, deadline=None)
@given(st.lists(names, min_size=1, max_size=6))
def test_a_column_typed_in_tcvn3_is_converted_back(column: list[str]) -> None:
    lower = [v.lower() for v in column]
    encoded = [to_tcvn3(v) for v in lower]
    convs = by_content([(r, 1, v) for r, v in enumerate(encoded, start=1)])
    got = {c.row: c.converted for c in convs}
    for r, (orig, enc) in enumerate(zip(lower, encoded, strict=True), start=1):
        if enc != orig and legacy._has_foreign_mark(enc):
            assert got.get(r) == orig


def test_might_convert_is_a_cheap_pre_check() -> None:
    assert not legacy.might_convert(["Nguyễn Văn An", "Lê Hà", 8.5, None, "Bác sĩ"])
    assert legacy.might_convert(["Nguyễn Văn An", "TrÇn ThÞ Mai"])
    assert legacy.might_convert(["Leâ Vaên Taâm"])  # VNI with no foreign mark at all
