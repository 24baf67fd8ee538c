"""Vietnamese collation of names and any text (core/names.py)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thidua_cli.core.names import name_sort_key, name_sort_keys, split_name, vietnamese_key
from thidua_cli.errors import UsageError


def by_key(texts: list[str]) -> list[str]:
    return sorted(texts, key=vietnamese_key)


def test_locale_reference_order_by_ten():
    names = ["Trần Bình", "Lê Ăn", "Đỗ Văn An", "Phạm Thị Ấn", "Nguyễn Thị Ánh"]
    got = sorted(names, key=lambda n: vietnamese_key(split_name(n)[2]))
    assert got == ["Đỗ Văn An", "Nguyễn Thị Ánh", "Lê Ăn", "Phạm Thị Ấn", "Trần Bình"]
    # The default name key (tên, họ, đệm) gives the same order here: every tên differs.
    assert sorted(names, key=name_sort_key) == got


def test_plain_sorted_is_wrong_and_ours_is_right():
    words = ["Đức", "Dung", "Anh", "Ân", "Ăn", "Zô", "Bình"]
    assert sorted(words)[-1] != "Zô"  # code-point order puts Đ/Â/Ă after Z
    assert by_key(words) == ["Anh", "Ăn", "Ân", "Bình", "Dung", "Đức", "Zô"]


def test_full_alphabet_order():
    alphabet = ["a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z"]
    shuffled = list(reversed(alphabet))
    assert by_key(shuffled) == alphabet


def test_tone_order():
    assert by_key(["ạ", "á", "ã", "ả", "à", "a"]) == ["a", "à", "ả", "ã", "á", "ạ"]
    assert by_key(["mạ", "má", "mã", "mả", "mà", "ma"]) == ["ma", "mà", "mả", "mã", "má", "mạ"]


def test_letters_before_tones_syllable_by_syllable():
    assert by_key(["ách", "ác"]) == ["ác", "ách"]
    assert by_key(["Bà Ba", "Ba Bác"]) == ["Ba Bác", "Bà Ba"]
    # letters win over tones inside a syllable: "ạn" (a, n) < "ăn" (ă, n)
    assert by_key(["ăn", "ạn"]) == ["ạn", "ăn"]
    # a shorter name is a prefix and comes first
    assert by_key(["Lan Anh", "Lan"]) == ["Lan", "Lan Anh"]


def test_letter_marks_with_tones_compose_either_way():
    # "ặ" as NFC, as NFD (a + dot below + breve), and typed mark-by-mark in the other order
    nfc = "\u1eb7"
    nfd = unicodedata.normalize("NFD", nfc)
    odd = "a\u0306\u0323"
    assert vietnamese_key(nfc) == vietnamese_key(nfd) == vietnamese_key(odd)
    assert vietnamese_key("ặ") > vietnamese_key("ạ")  # ă after a, whatever the tone
    assert vietnamese_key("ặ") < vietnamese_key("â")


def test_old_and_new_tone_placement_are_equal():
    assert vietnamese_key("Hòa") == vietnamese_key("Hoà")
    assert vietnamese_key("Thủy") == vietnamese_key("Thuỷ")


def test_spaces_and_invisible_characters_do_not_matter():
    assert vietnamese_key("  Nguyễn\u00a0 Văn\u200b  An ") == vietnamese_key("Nguyễn Văn An")


def test_legacy_eth_stands_for_d_bar():
    assert vietnamese_key("\u00d0ức") == vietnamese_key("Đức")


def test_digits_before_letters_and_punctuation_first():
    assert by_key(["Khoa B", "Khoa 2", "Khoa A", "Khoa (1)"]) == [
        "Khoa (1)", "Khoa 2", "Khoa A", "Khoa B",
    ]


def test_split_name():
    assert split_name("Nguyễn Thị Minh Khai") == ("Nguyễn", "Thị Minh", "Khai")
    assert split_name("Lê An") == ("Lê", "", "An")
    assert split_name("An") == ("", "", "An")
    assert split_name("   ") == ("", "", "")


def test_name_key_ten_then_ho_then_dem():
    names = ["Trần Văn An", "Nguyễn Văn An", "Nguyễn Thị An", "Lê Bình", "Nguyễn An"]
    assert sorted(names, key=name_sort_key) == [
        "Nguyễn An",  # same tên and họ: empty đệm first
        "Nguyễn Thị An",
        "Nguyễn Văn An",
        "Trần Văn An",
        "Lê Bình",
    ]


def test_name_orders():
    names = ["Nguyễn Văn An", "Nguyễn Thị An", "Đào Bình"]
    assert sorted(names, key=lambda n: name_sort_key(n, "ho-dem-ten")) == [
        "Đào Bình", "Nguyễn Thị An", "Nguyễn Văn An",
    ]
    names = ["Trần Thị An", "Lê Văn An", "Nguyễn Ánh An"]
    assert sorted(names, key=lambda n: name_sort_key(n, "ten-dem-ho")) == [
        "Nguyễn Ánh An", "Trần Thị An", "Lê Văn An",
    ]
    assert sorted(names, key=lambda n: name_sort_key(n, "ten-ho-dem")) == [
        "Lê Văn An", "Nguyễn Ánh An", "Trần Thị An",
    ]


def test_unknown_name_order_is_a_usage_error():
    with pytest.raises(UsageError, match="ten-ho-dem"):
        name_sort_key("Lê An", "ho-ten")
    with pytest.raises(UsageError, match="ten-ho-dem"):
        name_sort_keys(["Lê An"], "ho-ten")


def test_name_sort_keys_are_integers_in_name_order():
    names = ["Trần Văn An", "Nguyễn Văn An", "Nguyễn Thị An", "Lê Bình", "Nguyễn An", "An",
             "nguyễn  thị\u200b an", ""]
    keys = name_sort_keys(names)
    assert all(type(k) is int for k in keys)
    assert [names[i] for i in sorted(range(len(names)), key=keys.__getitem__)] == [
        "",  # no tên at all
        "An",  # a tên alone: no họ comes before any họ
        "Nguyễn An",
        "Nguyễn Thị An",
        "nguyễn  thị\u200b an",  # the same name as the one before: the same key
        "Nguyễn Văn An",
        "Trần Văn An",
        "Lê Bình",
    ]
    assert keys[2] == keys[6]
    assert name_sort_keys([]) == []


# --- properties -------------------------------------------------------------------------------

_VI_CHARS = "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
vi_text = st.text(alphabet=_VI_CHARS + _VI_CHARS.upper() + "  fjwz0123-", max_size=20)


@given(vi_text)
def test_nfc_and_nfd_give_the_same_key(text):
    assert vietnamese_key(unicodedata.normalize("NFD", text)) == vietnamese_key(
        unicodedata.normalize("NFC", text)
    )


@given(vi_text)
def test_case_insensitive(text):
    assert vietnamese_key(text.upper()) == vietnamese_key(text.lower()) == vietnamese_key(text)


@given(st.lists(vi_text, max_size=12))
def test_total_order_consistent_sorting(texts):
    once = sorted(texts, key=vietnamese_key)
    keys = [vietnamese_key(t) for t in once]
    assert keys == sorted(keys)
    # sorting a permutation gives the same sequence of keys (a total order, no cycles)
    assert [vietnamese_key(t) for t in sorted(reversed(texts), key=vietnamese_key)] == keys


@given(vi_text, vi_text, vi_text)
def test_transitive(a, b, c):
    ka, kb, kc = vietnamese_key(a), vietnamese_key(b), vietnamese_key(c)
    if ka <= kb and kb <= kc:
        assert ka <= kc


@given(st.text(max_size=30), st.text(max_size=30))
def test_any_text_has_a_comparable_key(a, b):
    ka, kb = vietnamese_key(a), vietnamese_key(b)
    # comparable without TypeError, and exactly one of <, ==, > holds
    assert [ka < kb, ka == kb, ka > kb].count(True) == 1


# name_sort_key cleans a name once and keys it word by word; name_sort_keys turns the keys into
# integers. Both must agree with the plain definition: vietnamese_key of each part of
# split_name (each part cleaned again), whatever the spaces, zero-width characters, case and
# normalisation form.
_MESSY = _VI_CHARS + _VI_CHARS.upper() + "\u0301\u0300\u0323\u0306\u0302\u031b" + "AĐđ0-."
_GAPS = [" ", "  ", "\u00a0", "\t", "\u2007", "\u202f", "\u3000", "\n", "\u200b", " \u200b "]
messy_name = st.lists(
    st.tuples(st.text(alphabet=_MESSY, max_size=5), st.sampled_from(_GAPS)), max_size=5
).map(lambda parts: "".join(word + gap for word, gap in parts))


def plain_name_sort_key(name: str, order: str) -> tuple:
    ho, dem, ten = split_name(name)
    parts = {"ten": ten, "ho": ho, "dem": dem}
    return tuple(vietnamese_key(parts[p]) for p in order.split("-"))


@given(messy_name, st.sampled_from(["ten-ho-dem", "ten-dem-ho", "ho-dem-ten"]))
def test_name_sort_key_is_the_plain_definition(name, order):
    assert name_sort_key(name, order) == plain_name_sort_key(name, order)


@given(
    st.lists(st.one_of(messy_name, vi_text), max_size=15),
    st.sampled_from(["ten-ho-dem", "ten-dem-ho", "ho-dem-ten"]),
)
def test_name_sort_keys_order_and_ties_are_name_sort_keys(names, order):
    compact = name_sort_keys(names, order)
    full = [name_sort_key(n, order) for n in names]
    for i in range(len(names)):
        for j in range(len(names)):
            assert (compact[i] < compact[j]) == (full[i] < full[j])
            assert (compact[i] == compact[j]) == (full[i] == full[j])
