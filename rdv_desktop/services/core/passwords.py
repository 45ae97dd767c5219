"""scrypt password hashes (stdlib hashlib), self-describing so parameters can change later.

Cost: N = 2^17, r = 8, p = 1 (128 MiB and about a third of a second per hash on the counter's
PCs), as OWASP recommends for scrypt. A hash made with a lower cost is replaced at the next
successful sign-in (`needs_rehash`). Tests lower the cost with `set_cost` (tests/conftest.py):
the rule is what is tested, not the CPU time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from functools import cache

_LOG2_N, _R, _P = 17, 8, 1
_MAX_LOG2_N = 20  # a stored hash never makes a sign-in take more than this
_PREFIX = "scrypt"
_cost = {"log2_n": _LOG2_N}

MIN_LENGTH = 12
PASSPHRASE_LENGTH, PASSPHRASE_WORDS = 20, 4
WEAK_PASSWORD = (
    f"Mot de passe trop faible : au moins {MIN_LENGTH} caractères mêlant trois sortes parmi "
    "minuscules, majuscules, chiffres et autres signes, ou une phrase de passe d'au moins "
    f"{PASSPHRASE_LENGTH} caractères et {PASSPHRASE_WORDS} mots.")


def set_cost(log2_n: int) -> None:
    """Tests only: hash with N = 2^log2_n (production keeps 2^17)."""
    _cost["log2_n"] = log2_n
    dummy_hash.cache_clear()


def password_problem(password: str) -> str | None:
    """The French reason a new password is refused (CNIL 2022 recommendations), or None."""
    classes = sum(bool(re.search(pattern, password)) for pattern in
                  (r"[a-zà-ÿ]", r"[A-ZÀ-Þ]", r"[0-9]", r"[^0-9A-Za-zÀ-ÿ]"))
    if len(password) >= MIN_LENGTH and classes >= 3:
        return None
    words = re.findall(r"[^\W\d_]{2,}", password)
    if len(password) >= PASSPHRASE_LENGTH and len(words) >= PASSPHRASE_WORDS:
        return None
    return WEAK_PASSWORD


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, size: int) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=size,
                          maxmem=129 * r * n + (1 << 20))


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    n = 2 ** _cost["log2_n"]
    digest = _scrypt(password, salt, n, _R, _P, 32)
    b64 = base64.b64encode
    return f"{_PREFIX}${n}${_R}${_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        prefix, n, r, p, salt, digest = stored.split("$")
        if prefix != _PREFIX or int(n) > 2 ** _MAX_LOG2_N:
            return False
        expected = base64.b64decode(digest)
        actual = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p),
                         len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def needs_rehash(stored: str) -> bool:
    """A hash made with a lower cost than today's (or another scheme)."""
    try:
        prefix, n, r, p, *_ = stored.split("$")
        return prefix != _PREFIX or (int(n), int(r), int(p)) < (2 ** _cost["log2_n"], _R, _P)
    except ValueError:
        return True


@cache
def dummy_hash() -> str:
    """Checked against for an unknown login, so it costs the same time as a known one."""
    return hash_password(secrets.token_hex(8))
