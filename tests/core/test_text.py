import random
import unicodedata

import pytest

from core.text import MAX_KEYED_CHARS, fold, person_sort_key, sort_key


def shuffled(items, seed=7):
    items = list(items)
    random.Random(seed).shuffle(items)
    return items


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đồng", "dong"),
        ("đường", "duong"),
        ("  Đồng   Hới ", "dong hoi"),
        ("NA RÌ", "na ri"),
        ("Huyện Chợ Đồn", "huyen cho don"),
        ("Thành phố Bắc Kạn", "thanh pho bac kan"),
        ("Ưu tiên Ơn Ổn", "uu tien on on"),
        ("", ""),
    ],
)
def test_fold_strips_diacritics_lower_cases_and_collapses_spaces(text, folded):
    assert fold(text) == folded


def test_fold_reads_decomposed_text_like_composed_text():
    decomposed = unicodedata.normalize("NFD", "Huyện Na Rì")
    assert decomposed != "Huyện Na Rì"
    assert fold(decomposed) == "huyen na ri"


def test_it_orders_the_letters_the_vietnamese_way():
    letters = ["Ư", "U", "Đ", "D", "Ơ", "Ô", "O", "Ă", "Â", "A", "à", "á", "ả", "ã", "ạ"]
    assert sorted(letters, key=sort_key) == [
        "A", "à", "ả", "ã", "á", "ạ", "Ă", "Â", "D", "Đ", "O", "Ô", "Ơ", "U", "Ư",
    ]  # fmt: skip


def test_it_orders_the_modified_vowels_after_their_base_letter():
    assert sorted(shuffled(["e", "ê", "f", "d", "đ", "a", "ă", "â", "b"]), key=sort_key) == [
        "a", "ă", "â", "b", "d", "đ", "e", "ê", "f",
    ]  # fmt: skip


def test_it_orders_the_tones_ngang_huyen_hoi_nga_sac_nang():
    assert sorted(shuffled(["mạ", "má", "mã", "mả", "mà", "ma"]), key=sort_key) == [
        "ma", "mà", "mả", "mã", "má", "mạ",
    ]  # fmt: skip


def test_letters_decide_before_tones():
    # "bá" has a later tone than "bac" has none, but its letters come first;
    # "Bạch" comes before "Bắc" because a < ă, whatever the tones.
    assert sorted(["bac", "bá"], key=sort_key) == ["bá", "bac"]
    assert sorted(["Huyện Bắc Hà", "Huyện Bạch Thông", "Huyện Ba Bể"], key=sort_key) == [
        "Huyện Ba Bể",
        "Huyện Bạch Thông",
        "Huyện Bắc Hà",
    ]


def test_a_shorter_name_comes_before_a_longer_one_with_the_same_start():
    # Letters of the whole name first ("ba" < "ba be"), then tones ("ba" < "bà").
    assert sorted(shuffled(["Ba Bể", "Bà", "Ba", "Ba Bể 2"]), key=sort_key) == [
        "Ba",
        "Bà",
        "Ba Bể",
        "Ba Bể 2",
    ]


def test_it_sorts_real_unit_names_in_dictionary_order():
    names = [
        "Huyện Ba Bể",
        "Huyện Bạch Thông",
        "Huyện Bảo Thắng",
        "Huyện Bảo Yên",
        "Huyện Bát Xát",
        "Huyện Bắc Hà",
        "Huyện Chợ Đồn",
        "Huyện Chợ Mới",
        "Huyện Mường Khương",
        "Huyện Na Rì",
        "Huyện Ngân Sơn",
        "Huyện Pác Nặm",
        "Huyện Si Ma Cai",
        "Huyện Văn Bàn",
        "Thành phố Bắc Kạn",
        "Thành phố Lào Cai",
        "Thị xã Sa Pa",
    ]
    assert sorted(shuffled(names), key=sort_key) == names


def test_case_punctuation_and_spacing_do_not_change_the_key():
    assert sort_key("HUYỆN NA RÌ") == sort_key("huyện na rì")
    assert sort_key("Huyện  Na   Rì ") == sort_key("Huyện Na Rì")
    assert sort_key("Huyện Na Rì (cũ)") == sort_key("Huyện Na Rì - cũ")


def test_the_key_holds_only_digits_and_fits_its_column():
    key = sort_key("Đường " * 400)
    assert key.isdigit()
    assert len(key) <= 800
    assert sort_key("Đường " * 400) == sort_key("Đường " * (MAX_KEYED_CHARS // 6 + 10))


def test_decomposed_text_sorts_like_composed_text():
    assert sort_key(unicodedata.normalize("NFD", "Huyện Bắc Hà")) == sort_key("Huyện Bắc Hà")


def test_rows_sort_by_the_key_of_their_name():
    rows = [{"name": "Ư"}, {"name": "U"}, {"name": "Đ"}]
    assert [row["name"] for row in sorted(rows, key=lambda row: sort_key(row["name"]))] == [
        "Đ",
        "U",
        "Ư",
    ]


def test_people_sort_by_given_name_then_full_name():
    people = ["Nguyễn Văn Bình", "Trần Thị An", "Lê Văn Bình", "Đỗ Thị Ánh"]
    assert sorted(people, key=person_sort_key) == [
        "Trần Thị An",
        "Đỗ Thị Ánh",
        "Lê Văn Bình",
        "Nguyễn Văn Bình",
    ]
