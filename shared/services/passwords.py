"""Password hashing: argon2id through argon2-cffi, with its RFC 9106 defaults."""

from __future__ import annotations

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
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise ServiceError(
            ErrorKind.UNPROCESSABLE,
            "weak_password",
            f"Passwords are {MIN_LENGTH} to {MAX_LENGTH} characters.",
        )


def hash_password(password: str) -> str:
    check_strength(password)
    return _hasher.hash(password)


def verify(stored_hash: str | None, password: str) -> bool:
    """True if ``password`` matches; a missing hash (an account with no password yet) never matches."""
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)
