"""Password hashing: argon2id through argon2-cffi, with its RFC 9106 defaults.

Passwords are compared in Unicode's NFKC form (NIST SP 800-63B, 5.1.1.2): "é"
typed as one character on one keyboard and as "e" and an accent on another is
one password. Hashes made before that (2026-12-05) hold the password as typed;
they still verify, and are hashed again in NFKC at the next sign-in.
"""

from __future__ import annotations

import unicodedata

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from shared.services.errors import ErrorKind, ServiceError

MIN_LENGTH = 8
MAX_LENGTH = 256  # argon2 takes any length; this only bounds the work a request can ask for

_hasher = PasswordHasher()
# Verified when the handle is unknown, so a sign-in costs the same whether or
# not the account exists (no timing oracle for handles).
_DUMMY_HASH = _hasher.hash("not a real password, only spends the time")


def check_strength(password: str) -> None:
    if not MIN_LENGTH <= len(normalised(password)) <= MAX_LENGTH:
        raise ServiceError(
            ErrorKind.UNPROCESSABLE,
            "weak_password",
            f"Passwords are {MIN_LENGTH} to {MAX_LENGTH} characters.",
        )


def normalised(password: str) -> str:
    """The form a password is hashed and compared in."""
    return password if password.isascii() else unicodedata.normalize("NFKC", password)


def hash_password(password: str) -> str:
    check_strength(password)
    return _hasher.hash(normalised(password))


def verify(stored_hash: str | None, password: str) -> bool:
    """True if ``password`` matches; a missing hash (an account with no password yet) never
    matches. A hash of the password as typed, from before NFKC, matches too."""
    found = False
    for form in _forms(password):  # each form costs the same with or without a hash
        found = _matches(stored_hash or _DUMMY_HASH, form) or found
    return found and stored_hash is not None


def needs_rehash(stored_hash: str, password: str) -> bool:
    """Whether a hash that ``password`` matched should be made again: older parameters, or
    the password as typed rather than in NFKC."""
    if _hasher.check_needs_rehash(stored_hash):
        return True
    return len(_forms(password)) > 1 and not _matches(stored_hash, normalised(password))


def _forms(password: str) -> tuple[str, ...]:
    form = normalised(password)
    return (form,) if form == password else (form, password)


def _matches(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False
