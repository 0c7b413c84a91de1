"""Users on the in-memory unit of work: milliseconds besides argon2's hashing.

The repositories keep the contract tests/shared/db/test_account_repository_contract.py
checks on Postgres too.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta

import pytest
from argon2 import PasswordHasher

from shared.services import credentials, users
from shared.services.errors import ErrorKind, ServiceError
from tests.support.fake_uow import FakeDatabase

PASSWORD = "correct horse"
pytestmark = pytest.mark.usefixtures("cheap_argon2")


def error(call: Callable[[], object]) -> tuple[ErrorKind, str]:
    with pytest.raises(ServiceError) as raised:
        call()
    return raised.value.kind, raised.value.code


def test_sign_up_commits_a_learner_who_can_sign_in_and_a_taken_handle_conflicts() -> None:
    db = FakeDatabase()
    made = users.sign_up(db.uow(), "ada", PASSWORD)
    assert (made.handle, made.role, made.is_admin) == ("ada", "learner", False)
    assert db.commits == 1 and not db.open
    assert users.authenticate(db.uow(), "ada", PASSWORD) == made
    assert error(lambda: users.sign_up(db.uow(), "ada", PASSWORD)) == (ErrorKind.CONFLICT, "handle_taken")
    assert db.commits == 1 and len(db.open) == 1  # the conflict was rolled back; the sign-in's read is open


@pytest.mark.parametrize("handle", ["", "-ada", "ada\n", "a b", "x" * 121])
def test_a_malformed_handle_is_refused_before_any_write(handle: str) -> None:
    db = FakeDatabase()
    assert error(lambda: users.sign_up(db.uow(), handle, PASSWORD)) == (
        ErrorKind.UNPROCESSABLE,
        "invalid_handle",
    )
    assert error(lambda: users.ensure_user(db.uow(), handle)) == (ErrorKind.UNPROCESSABLE, "invalid_handle")
    assert db.commits == 0


def test_a_wrong_password_and_an_unknown_handle_give_the_same_error() -> None:
    db = FakeDatabase()
    users.sign_up(db.uow(), "ada", PASSWORD)
    wrong = error(lambda: users.authenticate(db.uow(), "ada", "wrong password"))
    unknown = error(lambda: users.authenticate(db.uow(), "bob", PASSWORD))
    bad_handle = error(lambda: users.authenticate(db.uow(), "a b", PASSWORD))
    assert wrong == unknown == bad_handle == (ErrorKind.UNAUTHENTICATED, "invalid_credentials")


def test_an_outdated_hash_is_replaced_on_sign_in(cheap_argon2: PasswordHasher) -> None:
    db = FakeDatabase()
    made = users.sign_up(db.uow(), "ada", PASSWORD)
    with db.uow() as uow:
        uow.users.set_password_hash(
            made.id, PasswordHasher(time_cost=2, memory_cost=1024, parallelism=1).hash(PASSWORD)
        )
        uow.commit()
    users.authenticate(db.uow(), "ada", PASSWORD)
    stored = db.tables.users[made.id]["password_hash"]
    assert not cheap_argon2.check_needs_rehash(stored)
    assert users.authenticate(db.uow(), "ada", PASSWORD) == made


def test_ensure_user_makes_a_passwordless_learner_once() -> None:
    db = FakeDatabase()
    first = users.ensure_user(db.uow(), "demo")
    assert users.ensure_user(db.uow(), "demo") == first
    assert db.commits == 1 and db.tables.users[first.id]["password_hash"] is None
    assert error(lambda: users.authenticate(db.uow(), "demo", PASSWORD))[1] == "invalid_credentials"


def test_changing_a_password_needs_the_current_one_and_ends_every_session() -> None:
    db = FakeDatabase()
    ada = users.sign_up(db.uow(), "ada", PASSWORD)
    browser = credentials.start_session(db.uow(), ada, timedelta(hours=1))
    _, secret = credentials.create_token(db.uow(), ada, "script")
    assert error(lambda: users.change_password(db.uow(), ada, "wrong one", "new password")) == (
        ErrorKind.UNPROCESSABLE, "wrong_password",
    )  # fmt: skip
    assert credentials.session_user(db.uow(), browser.secret) is not None
    users.change_password(db.uow(), ada, PASSWORD, "new password")
    assert credentials.session_user(db.uow(), browser.secret) is None
    assert credentials.token_user(db.uow(), secret) is None
    assert users.authenticate(db.uow(), "ada", "new password") == ada


def test_an_operator_sets_roles_and_passwords_of_existing_users_only() -> None:
    db = FakeDatabase()
    ada = users.sign_up(db.uow(), "ada", PASSWORD)
    assert users.set_role(db.uow(), "ada", "admin").is_admin
    assert users.get_user(db.uow(), ada.id).role == "admin"
    assert error(lambda: users.set_role(db.uow(), "ada", "owner")) == (
        ErrorKind.UNPROCESSABLE,
        "invalid_role",
    )  # type: ignore[arg-type]
    assert error(lambda: users.set_role(db.uow(), "bob", "admin"))[1] == "user_not_found"
    assert error(lambda: users.set_password(db.uow(), "bob", PASSWORD))[1] == "user_not_found"
    assert error(lambda: users.get_user(db.uow(), uuid.uuid4()))[1] == "user_not_found"


def test_the_only_admin_cannot_be_made_a_learner_until_there_is_another() -> None:
    db = FakeDatabase()
    root = users.sign_up(db.uow(), "root", PASSWORD, "admin")
    assert error(lambda: users.set_role(db.uow(), "ROOT", "learner")) == (ErrorKind.CONFLICT, "last_admin")
    assert users.get_user(db.uow(), root.id).is_admin
    assert users.set_role(db.uow(), "root", "admin").is_admin  # no change: allowed
    users.sign_up(db.uow(), "deputy", PASSWORD, "admin")
    assert users.set_role(db.uow(), "root", "learner").role == "learner"
    assert error(lambda: users.set_role(db.uow(), "deputy", "learner"))[1] == "last_admin"


def test_users_list_oldest_first_with_the_total() -> None:
    db = FakeDatabase()
    made = [users.ensure_user(db.uow(), f"u{i}") for i in range(3)]
    page, total = users.list_users(db.uow(), 2, 1)
    assert ([u.id for u in page], total) == ([made[1].id, made[2].id], 3)
