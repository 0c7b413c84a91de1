"""Browser sessions and API tokens on the in-memory unit of work."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from shared.domain.clock import utcnow
from shared.services import credentials, users
from shared.services.errors import ServiceError
from tests.support.fake_uow import FakeDatabase


def learner(db: FakeDatabase, handle: str = "ada") -> users.UserView:
    return users.ensure_user(db.uow(), handle)


def code(call: object) -> str:
    with pytest.raises(ServiceError) as raised:
        call()  # type: ignore[operator]
    return raised.value.code


def test_a_session_finds_its_user_and_csrf_token_until_it_ends() -> None:
    db = FakeDatabase()
    ada = learner(db)
    started = credentials.start_session(db.uow(), ada, timedelta(hours=1))
    assert credentials.session_user(db.uow(), started.secret) == (ada, started.csrf_token)
    assert started.secret not in db.tables.sessions  # only the sha256 is kept
    credentials.end_session(db.uow(), started.secret)
    assert credentials.session_user(db.uow(), started.secret) is None


def test_an_expired_session_finds_nobody_and_a_new_one_sweeps_it_away() -> None:
    db = FakeDatabase()
    ada = learner(db)
    old = credentials.start_session(db.uow(), ada, timedelta(seconds=-1))
    assert credentials.session_user(db.uow(), old.secret) is None
    credentials.start_session(db.uow(), ada, timedelta(hours=1))
    assert credentials.digest(old.secret) not in db.tables.sessions


def test_a_token_finds_its_user_and_notes_its_use_at_most_once_a_minute() -> None:
    db = FakeDatabase()
    ada = learner(db)
    token, secret = credentials.create_token(db.uow(), ada, " laptop ")
    assert (token.name, token.prefix, token.last_used_at) == ("laptop", secret[:12], None)
    assert secret.startswith(credentials.TOKEN_PREFIX)
    commits = db.commits
    assert credentials.token_user(db.uow(), secret) == ada
    assert db.commits == commits + 1  # the first use is noted
    assert credentials.token_user(db.uow(), secret) == ada
    assert db.commits == commits + 1  # within the minute: a read only, no write
    db.tables.tokens[token.id]["last_used_at"] = utcnow() - timedelta(minutes=2)
    credentials.token_user(db.uow(), secret)
    assert db.commits == commits + 2
    assert credentials.token_user(db.uow(), "rct_unknown") is None


def test_a_revoked_token_finds_nobody_and_only_its_owner_revokes_it() -> None:
    db = FakeDatabase()
    ada, bob = learner(db), learner(db, "bob")
    token, secret = credentials.create_token(db.uow(), ada, "ci")
    assert code(lambda: credentials.revoke_token(db.uow(), bob, token.id)) == "token_not_found"
    credentials.revoke_token(db.uow(), ada, token.id)
    assert credentials.token_user(db.uow(), secret) is None
    assert credentials.list_tokens(db.uow(), ada) == []
    assert code(lambda: credentials.revoke_token(db.uow(), ada, token.id)) == "token_not_found"
    assert code(lambda: credentials.revoke_token(db.uow(), ada, uuid.uuid4())) == "token_not_found"


@pytest.mark.parametrize("name", ["", "   ", "x" * 101, "\u200b"])
def test_a_token_needs_a_name(name: str) -> None:
    db = FakeDatabase()
    assert code(lambda: credentials.create_token(db.uow(), learner(db), name)) == "invalid_token_name"


def test_a_token_name_is_one_line_without_escapes() -> None:
    db = FakeDatabase()
    assert code(lambda: credentials.create_token(db.uow(), learner(db), "ci\x1b[2J")) == "invalid_characters"
    assert (
        code(lambda: credentials.create_token(db.uow(), learner(db), "laptop\nphone")) == "invalid_characters"
    )
    assert (
        credentials.create_token(db.uow(), learner(db), "Zoë's laptop — école")[0].name
        == "Zoë's laptop — école"
    )


def test_a_user_holds_at_most_fifty_live_tokens() -> None:
    db = FakeDatabase()
    ada = learner(db)
    made = [credentials.create_token(db.uow(), ada, f"t{i}")[0] for i in range(credentials.MAX_TOKENS)]
    assert [t.id for t in credentials.list_tokens(db.uow(), ada)] == [t.id for t in made]
    assert code(lambda: credentials.create_token(db.uow(), ada, "one more")) == "too_many_tokens"
    credentials.revoke_token(db.uow(), ada, made[0].id)
    credentials.create_token(db.uow(), ada, "one more")
