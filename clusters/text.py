"""Vietnamese text helpers: diacritic folding for search, and collation keys.

Both produce plain stored columns so that search and ordering take one code path
on SQLite and PostgreSQL alike (SQLite has neither ``unaccent`` nor an ICU
Vietnamese collation).
"""

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


def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ → d) and collapse spaces: 'Đồng  Hới' → 'dong hoi'."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "d"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped.lower()).strip()


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


def vietnamese_sorted(items, key=lambda item: item):
    """Sort Python objects in Vietnamese order (for lists not read from the database)."""
    return sorted(items, key=lambda item: sort_key(key(item)))
