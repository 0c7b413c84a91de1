"""Passwords are compared in Unicode's NFKC form (NIST SP 800-63B, 5.1.1.2)."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from shared.services import passwords, users
from tests.support.fake_uow import FakeDatabase

pytestmark = pytest.mark.usefixtures("cheap_argon2")

COMPOSED = "caf\u00e9 au lait"  # "é" as one character, as most keyboards type it
DECOMPOSED = "cafe\u0301 au lait"  # "e" and a combining accent, as some type it
FULL_WIDTH = "\uff43\uff41\uff46\u00e9 au lait"  # full-width "caf" from an East Asian keyboard


def test_one_password_typed_in_different_unicode_forms_signs_in() -> None:
    db = FakeDatabase()
    made = users.sign_up(db.uow(), "ada", DECOMPOSED)
    assert users.authenticate(db.uow(), "ada", COMPOSED) == made
    assert users.authenticate(db.uow(), "ada", FULL_WIDTH) == made
    assert not passwords.verify(db.tables.users[made.id]["password_hash"], "cafe au lait")


def test_a_hash_of_the_password_as_typed_still_signs_in_and_is_made_again(
    cheap_argon2: PasswordHasher,
) -> None:
    """Hashes from before NFKC hold the password as typed: it still matches, and the
    sign-in hashes it again in NFKC, so the other form works from then on."""
    db = FakeDatabase()
    made = users.sign_up(db.uow(), "ada", COMPOSED)
    with db.uow() as uow:
        uow.users.set_password_hash(made.id, cheap_argon2.hash(DECOMPOSED))  # as typed, not NFKC
        uow.commit()
    assert not passwords.verify(db.tables.users[made.id]["password_hash"], FULL_WIDTH)
    assert users.authenticate(db.uow(), "ada", DECOMPOSED) == made
    stored = db.tables.users[made.id]["password_hash"]
    assert cheap_argon2.verify(stored, COMPOSED)  # NFKC of what was typed
    assert not passwords.needs_rehash(stored, DECOMPOSED)
    assert users.authenticate(db.uow(), "ada", FULL_WIDTH) == made


def test_an_ascii_password_is_hashed_as_it_is() -> None:
    stored = passwords.hash_password("correct horse")
    assert passwords.verify(stored, "correct horse") and not passwords.needs_rehash(stored, "correct horse")
    assert not passwords.verify(stored, "Correct horse")
