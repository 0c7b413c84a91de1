"""The users and credentials repositories' contract, on the in-memory fake and on Postgres.

Postgres keeps the rows of earlier tests, so each test makes its own users
and reads only what they own.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import pytest

from shared.container import Container
from shared.db.migrate import upgrade
from shared.db.repositories.records import Conflict
from shared.domain.clock import utcnow
from shared.settings import Settings
from tests.support.worlds import PostgresWorld, World

if TYPE_CHECKING:
    from shared.services.users import UserView

T = TypeVar("T")


def handle() -> str:
    return f"h-{uuid.uuid4().hex[:12]}"


def meeting(call: Callable[..., T]) -> Callable[..., T]:
    """``call``, but each caller first waits (up to a second) for a second one: two threads
    reach it at the same moment, unless a lock taken before it makes one wait for the other."""
    together = threading.Barrier(2, timeout=1.0)

    def met(*args: Any, **kwargs: Any) -> T:
        try:
            together.wait()
        except threading.BrokenBarrierError:  # the other is waiting for the row: as it should
            pass
        return call(*args, **kwargs)

    return met


def ask_for_token(world: World, user: UserView, secret: str) -> str:
    """A token asked for by a request signed in with ``secret``: "made", or the refusal's code."""
    from shared.services import credentials
    from shared.services.errors import ServiceError

    with world.uow() as uow:
        try:
            credentials.create_token(uow, user, "laptop", secret)
        except ServiceError as exc:
            return exc.code
    return "made"


def twice_at_once(work: Callable[[], None]) -> None:
    both = [threading.Thread(target=work) for _ in range(2)]
    for thread in both:
        thread.start()
    for thread in both:
        thread.join(20)


def test_a_user_is_read_back_by_id_and_handle_and_a_taken_handle_conflicts(world: World) -> None:
    name = handle()
    with world.uow() as uow:
        added = uow.users.add(name, "hash", "admin", utcnow())
        uow.commit()
    with world.uow() as uow:
        assert uow.users.get(added.id) == added == uow.users.by_handle(name)
        assert (added.handle, added.role, added.password_hash) == (name, "admin", "hash")
        assert uow.users.get(uuid.uuid4()) is None and uow.users.by_handle(handle()) is None
        with pytest.raises(Conflict):
            uow.users.add(name, None, "learner", utcnow())


def test_an_uncommitted_user_is_not_stored(world: World) -> None:
    with world.uow() as uow:
        added = uow.users.add(handle(), None, "learner", utcnow())
    with world.uow() as uow:
        assert uow.users.get(added.id) is None


def test_password_hash_and_role_changes_are_stored(world: World) -> None:
    user_id = world.add_user()
    with world.uow() as uow:
        uow.users.set_password_hash(user_id, "new-hash")
        uow.users.set_role(user_id, "admin")
        uow.commit()
    with world.uow() as uow:
        user = uow.users.get(user_id)
        assert user is not None and (user.password_hash, user.role) == ("new-hash", "admin")


def test_users_page_oldest_first_with_the_total(world: World) -> None:
    later = utcnow() + timedelta(days=3650)  # after every other test's users
    with world.uow() as uow:
        added = [uow.users.add(handle(), None, "learner", later + timedelta(seconds=s)) for s in (2, 0, 1)]
        uow.commit()
    with world.uow() as uow:
        total = uow.users.page(1, 0)[1]
        page, again = uow.users.page(2, total - 3)
        assert again == total >= 3
        assert [u.id for u in page] == [added[1].id, added[2].id]


def test_a_user_with_attempts_cannot_be_deleted_until_they_are(world: World) -> None:
    user_id = world.add_user()
    attempt_id = world.add_attempt(learner_id=user_id)
    with world.uow() as uow, pytest.raises(Conflict):
        uow.users.delete(user_id)
    with world.uow() as uow:
        assert uow.attempts.recordings_of(user_id) == [(attempt_id, world.attempt(attempt_id)["storage_key"])]
        uow.attempts.delete([attempt_id])
        uow.users.delete(user_id)
        uow.commit()
    with world.uow() as uow:
        assert uow.users.get(user_id) is None and uow.attempts.get(attempt_id) is None


def test_a_session_finds_its_user_until_it_expires_or_ends(world: World) -> None:
    user_id, now = world.add_user(), utcnow()
    with world.uow() as uow:
        uow.credentials.add_session("a" * 64, user_id, "csrf-a", now + timedelta(hours=1), now)
        uow.credentials.add_session("b" * 64, user_id, "csrf-b", now + timedelta(seconds=1), now)
        uow.commit()
    with world.uow() as uow:
        found = uow.credentials.session_user("a" * 64, now)
        assert found is not None and (found[0].id, found[1]) == (user_id, "csrf-a")
        assert uow.credentials.session_user("b" * 64, now + timedelta(seconds=2)) is None  # expired
        assert uow.credentials.session_user("c" * 64, now) is None
        uow.credentials.end_expired_sessions(now + timedelta(seconds=2))
        uow.commit()
    with world.uow() as uow:
        assert uow.credentials.session_user("b" * 64, now) is None  # gone, not only expired
        uow.credentials.end_session("a" * 64)
        uow.commit()
    with world.uow() as uow:
        assert uow.credentials.session_user("a" * 64, now) is None


def test_ending_a_users_sessions_leaves_other_users_sessions(world: World) -> None:
    mine, theirs, now = world.add_user(), world.add_user(), utcnow()
    mine_hash, theirs_hash = uuid.uuid4().hex * 2, uuid.uuid4().hex * 2
    with world.uow() as uow:
        uow.credentials.add_session(mine_hash, mine, "x", now + timedelta(hours=1), now)
        uow.credentials.add_session(theirs_hash, theirs, "y", now + timedelta(hours=1), now)
        uow.credentials.end_sessions_of(mine)
        uow.commit()
    with world.uow() as uow:
        assert uow.credentials.session_user(mine_hash, now) is None
        assert uow.credentials.session_user(theirs_hash, now) is not None


def add_token(world: World, user_id: uuid.UUID, name: str, seconds: int = 0) -> tuple[uuid.UUID, str]:
    token_hash = uuid.uuid4().hex * 2
    with world.uow() as uow:
        token = uow.credentials.add_token(
            user_id, name, token_hash, "rct_abc", utcnow() + timedelta(seconds=seconds)
        )
        uow.commit()
    return token.id, token_hash


def test_live_tokens_list_oldest_first_and_a_revoked_one_finds_nobody(world: World) -> None:
    user_id, other = world.add_user(), world.add_user()
    second, _ = add_token(world, user_id, "second", seconds=1)
    first, first_hash = add_token(world, user_id, "first")
    with world.uow() as uow:
        assert [(t.id, t.name, t.prefix) for t in uow.credentials.live_tokens(user_id)] == [
            (first, "first", "rct_abc"), (second, "second", "rct_abc"),
        ]  # fmt: skip
        assert uow.credentials.count_live_tokens(user_id) == 2
        use = uow.credentials.token_use(first_hash)
        assert use is not None and (use.user.id, use.token_id, use.last_used_at) == (user_id, first, None)
        assert not uow.credentials.revoke_token(first, other, utcnow())  # not theirs
        assert uow.credentials.revoke_token(first, user_id, utcnow())
        uow.commit()
    with world.uow() as uow:
        assert not uow.credentials.revoke_token(first, user_id, utcnow())  # already revoked
        assert uow.credentials.token_use(first_hash) is None
        assert [t.id for t in uow.credentials.live_tokens(user_id)] == [second]
        assert uow.credentials.count_live_tokens(user_id) == 1


def test_a_tokens_use_is_noted(world: World) -> None:
    user_id = world.add_user()
    token_id, token_hash = add_token(world, user_id, "t")
    moment = utcnow()
    with world.uow() as uow:
        uow.credentials.note_token_use(token_id, moment)
        uow.commit()
    with world.uow() as uow:
        use = uow.credentials.token_use(token_hash)
        assert use is not None and use.last_used_at == moment
        assert uow.credentials.live_tokens(user_id)[0].last_used_at == moment


def test_forgetting_a_user_drops_their_sessions_and_tokens(world: World) -> None:
    user_id, now = world.add_user(), utcnow()
    _, token_hash = add_token(world, user_id, "t")
    session_hash = uuid.uuid4().hex * 2
    with world.uow() as uow:
        uow.credentials.add_session(session_hash, user_id, "x", now + timedelta(hours=1), now)
        uow.credentials.forget_user(user_id)
        uow.commit()
    with world.uow() as uow:
        assert uow.credentials.token_use(token_hash) is None
        assert uow.credentials.session_user(session_hash, now) is None
        assert uow.credentials.live_tokens(user_id) == []


def test_users_are_counted_by_role_and_a_handle_is_found_in_any_case(world: World) -> None:
    with world.uow() as uow:
        before = uow.users.count_role("admin")
        name = handle()
        added = uow.users.add(name.upper(), None, "admin", utcnow())
        uow.commit()
    with world.uow() as uow:
        assert uow.users.count_role("admin") == before + 1
        assert uow.users.by_handle(name.lower()) == added


def test_counting_admins_holds_them_so_two_removals_cannot_both_pass(pg_container: Container) -> None:
    world = PostgresWorld(pg_container)
    with world.uow() as uow:
        ada = uow.users.add(handle(), None, "admin", utcnow())
        uow.commit()
    counted: list[int] = []
    with world.uow() as first:
        admins = first.users.count_role("admin")

        def second() -> None:  # another admin removal, at the same moment
            with world.uow() as uow:
                counted.append(uow.users.count_role("admin"))

        other = threading.Thread(target=second)
        other.start()
        other.join(0.5)
        assert other.is_alive()  # it waits for the first removal to end
        first.users.set_role(ada.id, "learner")
        first.commit()
    other.join(10)
    assert counted == [admins - 1]  # and then counts without the admin just removed


@pytest.fixture(params=["postgres", "sqlite"])
def any_database(request: pytest.FixtureRequest, tmp_path: Path) -> Container:
    if request.param == "postgres":
        return cast(Container, request.getfixturevalue("pg_container"))
    settings = Settings(home=tmp_path)  # the embedded database, as recital serve keeps it
    upgrade(settings)
    return Container(settings)


def test_a_sign_in_holds_its_user_so_a_password_change_cannot_come_between(any_database: Container) -> None:
    """The race QA found: the old password checked, the change committed, then the
    session inserted, and it outlived the change that should have ended it. On SQLite
    too, where a SELECT alone locks nothing."""
    from shared.services import credentials, passwords, users

    world = PostgresWorld(any_database)
    name, old = handle(), "the old password"
    with world.uow() as uow:
        uow.users.add(name, passwords.hash_password(old), "learner", utcnow())
        uow.commit()
    with world.uow() as signing_in:
        user = users.authenticate(signing_in, name, old, hold=True)

        def change() -> None:  # the learner changes the password at that moment
            with world.uow() as uow:
                users.set_password(uow, name, "the new password")

        other = threading.Thread(target=change)
        other.start()
        other.join(0.5)
        assert other.is_alive()  # the change waits for the sign-in's transaction
        session = credentials.start_session(signing_in, user, timedelta(hours=1))
    other.join(10)
    assert not other.is_alive()
    with world.uow() as uow:
        assert credentials.session_user(uow, session.secret) is None  # the change ended it too


def test_two_sign_ins_that_both_rehash_the_password_take_turns(
    pg_container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under FOR SHARE both sign-ins held the row, both re-hashed, and Postgres killed
    one as a deadlock (503). Both verify at the same moment here, if the lock lets them."""
    from argon2 import PasswordHasher

    from shared.services import credentials, passwords, users

    world = PostgresWorld(pg_container)
    name, password = handle(), "the password"
    outdated = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(password)
    with world.uow() as uow:
        uow.users.add(name, outdated, "learner", utcnow())
        uow.commit()
    monkeypatch.setattr(passwords, "verify", meeting(passwords.verify))
    outcome: list[str] = []

    def sign_in() -> None:
        try:
            with world.uow() as uow:
                user = users.authenticate(uow, name, password, hold=True)
                credentials.start_session(uow, user, timedelta(hours=1))
            outcome.append("signed in")
        except Exception as exc:  # a deadlock's OperationalError
            outcome.append(type(exc).__name__)

    twice_at_once(sign_in)
    assert outcome == ["signed in", "signed in"]
    with world.uow() as uow:
        assert not passwords.needs_rehash(uow.users.by_handle(name).password_hash or "", password)


def test_a_token_asked_for_as_the_password_changes_is_refused(pg_container: Container) -> None:
    """The race the sign-in had, on token creation: a request signed in with a session
    that a password change is ending asks for a token. It waits for the change, then
    finds its session gone (without the hold it made a token the change never revoked)."""
    from shared.services import credentials, passwords, users

    world = PostgresWorld(pg_container)
    name = handle()
    with world.uow() as uow:
        uow.users.add(name, passwords.hash_password("the old password"), "learner", utcnow())
        uow.commit()
    with world.uow() as uow:
        user = users.by_handle(uow, name)
        session = credentials.start_session(uow, user, timedelta(hours=1))
    outcome: list[str] = []

    def ask_for_a_token() -> None:
        outcome.append(ask_for_token(world, user, session.secret))

    with world.uow() as changing:  # users.set_password's steps, its commit held back
        changing.users.set_password_hash(user.id, passwords.hash_password("the new password"))
        changing.credentials.end_sessions_of(user.id)
        asking = threading.Thread(target=ask_for_a_token)
        asking.start()
        asking.join(0.5)
        assert asking.is_alive()  # it waits for the change
        changing.credentials.revoke_tokens_of(user.id, utcnow())
        changing.commit()
    asking.join(10)
    assert outcome == ["signed_out"]
    with world.uow() as uow:
        assert credentials.list_tokens(uow, user) == []


def test_two_tokens_asked_for_at_the_cap_make_one(
    pg_container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: twelve tokens asked for at once with 46 live made 53 (the cap is 50): each counted
    before holding the user's row. Both count at the same moment here, if the lock lets them."""
    from shared.db.repositories.credentials import SqlCredentials
    from shared.services import credentials, users

    world = PostgresWorld(pg_container)
    name = handle()
    with world.uow() as uow:
        uow.users.add(name, None, "learner", utcnow())
        uow.commit()
    with world.uow() as uow:
        user = users.by_handle(uow, name)
        session = credentials.start_session(uow, user, timedelta(hours=1))
        for n in range(credentials.MAX_TOKENS - 1):
            uow.credentials.add_token(user.id, f"t{n}", f"hash-{name}-{n}", "rct_x", utcnow())
        uow.commit()
    monkeypatch.setattr(SqlCredentials, "count_live_tokens", meeting(SqlCredentials.count_live_tokens))
    outcome: list[str] = []
    twice_at_once(lambda: outcome.append(ask_for_token(world, user, session.secret)))
    assert sorted(outcome) == ["made", "too_many_tokens"]
