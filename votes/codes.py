"""Ballot codes: short enough to type from a paper slip, long enough that guessing is
hopeless.

A code is ten characters of Crockford's base 32 (digits and capital letters without
I, L, O and U), printed in two groups of five: ``7K3QX-M9D2R``. That is 50 random bits:
with 40 codes of an open vote, an address allowed 30 wrong tries every 10 minutes would
need about 10⁸ years for an even chance of hitting one. Typing is forgiving: case,
spaces and dashes do not matter, and O, I and L read as 0, 1 and 1.

Only a keyed hash of a code is stored (HMAC with the site's secret key): the table of
codes alone does not give the codes back, even by trying every one.
"""

import secrets

from django.utils.crypto import salted_hmac

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 10
GROUP = 5
_READS_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_KEY_SALT = "votes.ballot-code"


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize(typed: str) -> str:
    """The code as stored from what a voter typed, or "" when it cannot be a code."""
    code = "".join(str(typed or "").split()).replace("-", "").upper().translate(_READS_AS)
    if len(code) != LENGTH or any(character not in ALPHABET for character in code):
        return ""
    return code


def display(code: str) -> str:
    """The code as printed on a slip: two groups of five."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def code_hash(code: str) -> str:
    """The stored form of a (normalized) code."""
    return salted_hmac(_KEY_SALT, code, algorithm="sha256").hexdigest()
