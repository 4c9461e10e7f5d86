"""Vietnamese text helpers: diacritic folding for search, and collation keys.

Both produce plain stored columns so that search and ordering take one code path
on SQLite and PostgreSQL alike (SQLite has neither ``unaccent`` nor an ICU
Vietnamese collation).
"""

import functools
import re
import unicodedata

# The Vietnamese alphabet, with the Latin letters it lacks (f, j, w, z) placed where
# Latin order puts them so that foreign names sort sensibly.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: index for index, letter in enumerate(ALPHABET)}

# Tone marks, in dictionary order: ngang (none), huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

_SPACES = re.compile(r"\s+")
_SEPARATOR = "01"
_END_OF_LETTERS = "00"
# Keep keys within the column size even for very long names.
MAX_KEYED_CHARS = 250


# Both keys are pure functions of their text, and the same texts (unit names, positions,
# given names) come back row after row in an import or a data set: computed once each.
@functools.lru_cache(maxsize=16384)
def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ → d) and collapse spaces: 'Đồng  Hới' → 'dong hoi'."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "d"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped.lower()).strip()


# Anything but letters and digits separates words: dashes of every kind, quotes curly or
# straight, slashes and brackets fold alike ("Đền ơn đáp nghĩa – Uống nước" and "… - …").
_NON_WORD = re.compile(r"[\W_]+")
SEARCH_SEPARATOR = "|"


def search_words(text: str) -> list[str]:
    """The words search compares: folded, split at anything but a letter or a digit.

    '2021/QĐ-UBND' → ['2021', 'qd', 'ubnd']; '“Na Rì”' → ['na', 'ri'].
    """
    return _NON_WORD.sub(" ", fold(text)).split()


def search_column(texts) -> str:
    """A stored search column: each text's words, the texts framed by ``|``.

    '| huyen na ri | na ri |': every word follows a space, so "a word starting with
    ``ly``" is the substring `` ly`` (which has trigrams on PostgreSQL, however short
    the word), and a whole text equal to the query is ``| na ri |``.
    """
    parts = [" ".join(words) for words in map(search_words, texts) if words]
    if not parts:
        return ""
    return f"{SEARCH_SEPARATOR} " + f" {SEARCH_SEPARATOR} ".join(parts) + f" {SEARCH_SEPARATOR}"


def _split_letter(char: str) -> tuple[str, int]:
    """Split one lower-case character into (letter without tone, tone rank)."""
    decomposed = unicodedata.normalize("NFD", char)
    tone = 0
    kept = []
    for mark in decomposed:
        if mark in _TONES:
            tone = _TONES[mark]
        else:
            kept.append(mark)
    return unicodedata.normalize("NFC", "".join(kept)), tone


@functools.lru_cache(maxsize=16384)
def sort_key(text: str) -> str:
    """A key whose plain string order is Vietnamese alphabetical order.

    Letters are compared first (a < ă < â < b ... d < đ ... u < ư), then tones
    (a < à < ả < ã < á < ạ), as Vietnamese dictionaries do. The key holds only
    digits so it sorts the same under any database collation.
    """
    letters: list[str] = []
    tones: list[str] = []
    previous_was_separator = True
    for char in unicodedata.normalize("NFC", text.strip().lower())[:MAX_KEYED_CHARS]:
        letter, tone = _split_letter(char)
        if letter in _LETTER_RANK:
            letters.append(f"{20 + _LETTER_RANK[letter]:02d}")
            tones.append(str(tone))
            previous_was_separator = False
        elif letter.isdigit() and letter.isascii():
            letters.append(f"1{letter}")
            previous_was_separator = False
        elif not previous_was_separator:
            letters.append(_SEPARATOR)
            previous_was_separator = True
    while letters and letters[-1] == _SEPARATOR:
        letters.pop()
    return "".join(letters) + _END_OF_LETTERS + "".join(tones)


def person_sort_key(full_name: str) -> str:
    """Vietnamese name lists sort by given name (the last word), then the full name."""
    words = full_name.split()
    given = words[-1] if words else ""
    return sort_key(given) + _END_OF_LETTERS + sort_key(full_name)


_PLAIN_DECIMAL = re.compile(r"^[+-]?\d+(\.\d+)?$")


def parse_decimal(raw: str):
    """Read a number typed by a Vietnamese user (or pasted from Excel).

    "1.234,5" → 1234.5; "18.568" → 18568; "8,5" and "8.5" → 8.5; "85%" → 85;
    "1,234.5" → 1234.5. A dot followed by exactly three digits is a thousands
    separator (the Vietnamese convention), except after a leading zero ("0.125").
    Raises ``ValueError`` when the text is not a number.
    """
    from decimal import Decimal, InvalidOperation

    text = str(raw).strip().replace("\u00a0", "").replace(" ", "").rstrip("%")
    if not text:
        raise ValueError("empty")
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        text = text.replace(",", "") if text.count(",") > 1 else text.replace(",", ".")
    elif "." in text:
        parts = text.split(".")
        head = parts[0].lstrip("+-")
        grouped = all(len(part) == 3 for part in parts[1:])
        if len(parts) > 2 and not grouped:
            raise ValueError(raw)
        if len(parts) > 2 or (grouped and head not in ("", "0")):
            text = text.replace(".", "")
    if not _PLAIN_DECIMAL.match(text):
        raise ValueError(raw)
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(raw) from None


def format_decimal(value) -> str:
    """A stored number as the user types it back, in the active language: "1.234,5"."""
    from django.utils.formats import number_format

    if value is None:
        return ""
    normalized = value.normalize()
    exponent = normalized.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return number_format(normalized, places, use_l10n=True, force_grouping=True)


def vn_count(value: int | None) -> str:
    """A whole number as official documents write it whatever the reader's language:
    18.568 (a dot between thousands)."""
    if value is None:
        return ""
    return f"{int(value):,}".replace(",", ".")


# Invisible characters that make two equal-looking names differ. Vietnamese uses none of
# them: zero-width space, non-joiner and joiner, word joiner, byte-order mark, soft hyphen.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_INVISIBLE = str.maketrans(dict.fromkeys(INVISIBLE))


def normalize_text(text: str) -> str:
    """Text as the product stores it: Unicode NFC (one code point for "ệ", as typed on
    most keyboards, where macOS and some imports send "e" plus two combining marks), with
    the invisible characters above removed."""
    return unicodedata.normalize("NFC", text.translate(_INVISIBLE))


def name_key(text: str) -> str:
    """The key under which two names are the same name: NFC, case-folded, invisible and
    format characters removed, spaces collapsed. 'HUYỆN  NA RÌ' and an NFD 'Huyện Na Rì'
    have the key of 'Huyện Na Rì'; diacritics still count ('Na Ri' is another name)."""
    visible = "".join(
        " " if unicodedata.category(ch) == "Cc" else ch
        for ch in normalize_text(text)
        if unicodedata.category(ch) != "Cf"
    )
    folded = unicodedata.normalize("NFC", visible.casefold())
    return " ".join(folded.split())
