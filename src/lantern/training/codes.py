"""Certificate verification codes: 80 random bits and a keyed check, grouped for reading aloud.

The random part comes from `secrets`, so codes are neither sequential nor guessable; the check (an HMAC of
the random part with the site's secret key) lets the verification page refuse a mistyped or invented code
without hinting whether any certificate exists. Crockford's base 32: no I, L, O or U to misread.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
BODY_LENGTH = 16  # 80 bits
CHECK_LENGTH = 4
GROUP = 4


def _encode(data: bytes, length: int) -> str:
    number = int.from_bytes(data, "big")
    chars = []
    for _ in range(length):
        number, digit = divmod(number, 32)
        chars.append(ALPHABET[digit])
    return "".join(reversed(chars))


def _check(body: str, key: str) -> str:
    digest = hmac.new(key.encode(), body.encode(), hashlib.sha256).digest()
    return _encode(digest[:3], CHECK_LENGTH)


def new_code(key: str) -> str:
    """A fresh code in its stored form (no separators), e.g. ``7K3M…`` (20 characters)."""
    body = _encode(secrets.token_bytes(10), BODY_LENGTH)
    return body + _check(body, key)


def normalise(text: str) -> str:
    """What someone typed, in stored form: upper case, no spaces or dashes, look-alike letters mapped."""
    cleaned = "".join(ch for ch in text.upper() if ch not in " -\t")
    return cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))


def well_formed(code: str, key: str) -> bool:
    """True when `code` (stored form) has the right length, alphabet and check."""
    if len(code) != BODY_LENGTH + CHECK_LENGTH or any(ch not in ALPHABET for ch in code):
        return False
    body, check = code[:BODY_LENGTH], code[BODY_LENGTH:]
    return hmac.compare_digest(_check(body, key), check)


def display(code: str) -> str:
    """``ABCD-EFGH-…`` for print and screen."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))
