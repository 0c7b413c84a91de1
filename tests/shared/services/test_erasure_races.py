"""Deleting an account on Postgres while the same user adds something (another tab, or
an admin deleting a learner who is busy): the deletion waits for it and takes it too.

QA: a piece or an upload committed while the account was being deleted made the
user's DELETE fail its foreign key, a 500 after the recordings had already gone.
"""

from __future__ import annotations

import io
import threading
import uuid
import wave
from collections.abc import Callable
from pathlib import Path

import pytest

from shared.container import Container
from shared.db.repositories.port import UnitOfWorkPort
from shared.db.repositories.records import NewAttempt
from shared.db.repositories.users import SqlUsers
from shared.domain.clock import utcnow
from shared.services import erasure, pieces
from shared.services.errors import ErrorKind, ServiceError
from shared.services.submission import Submission, submit_attempt
from shared.services.users import UserView, view


def wav() -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"\x01\x00" * 1600)
    return out.getvalue()


def _user_with_piece(pg: Container) -> tuple[uuid.UUID, uuid.UUID]:
    with pg.uow() as uow:
        user = uow.users.add(f"e-{uuid.uuid4().hex[:12]}", None, "learner", utcnow())
        piece = uow.pieces.add(user.id, "t", "one two three", "private", utcnow())
        uow.commit()
    return user.id, piece.id


def _new_piece(user_id: uuid.UUID, _piece_id: uuid.UUID) -> Callable[[UnitOfWorkPort], None]:
    return lambda uow: uow.pieces.add(user_id, "another", "four five six", "private", utcnow()) and None


def _upload(user_id: uuid.UUID, piece_id: uuid.UUID) -> Callable[[UnitOfWorkPort], None]:
    row = NewAttempt(uuid.uuid4(), user_id, piece_id, f"attempts/{user_id}/x.wav", "0" * 64, 1, "wav")
    return lambda uow: uow.attempts.add(row) and None


@pytest.mark.parametrize("adding", [_new_piece, _upload], ids=["a new piece", "an upload to their piece"])
def test_an_account_deleted_while_its_user_adds_something_goes_with_it(
    pg: Container, adding: Callable[[uuid.UUID, uuid.UUID], Callable[[UnitOfWorkPort], None]]
) -> None:
    user_id, piece_id = _user_with_piece(pg)
    failures: list[BaseException] = []

    def delete_account() -> None:
        try:
            with pg.uow() as uow:
                erasure.delete_account(uow, pg.storage, user_id)
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            failures.append(exc)

    with pg.uow() as uow:
        adding(user_id, piece_id)(uow)  # inserted, not yet committed
        deleting = threading.Thread(target=delete_account)
        deleting.start()
        deleting.join(0.5)
        assert deleting.is_alive()  # it waits for what is being added
        uow.commit()
    deleting.join(20)
    assert not deleting.is_alive() and failures == []
    with pg.uow() as uow:
        assert uow.users.get(user_id) is None
        assert uow.pieces.owned_by(user_id) == [] and uow.attempts.recordings_of(user_id) == []


def _create_piece(pg: Container, user: UserView, _shared: uuid.UUID) -> None:
    with pg.uow() as uow:
        pieces.create_piece(uow, user, "Late", "four five six")


def _submit(pg: Container, user: UserView, shared: uuid.UUID) -> None:
    recording = io.BytesIO(wav())
    with pg.uow(autocommit=True) as uow:  # as the front door submits
        submit_attempt(uow, pg.storage, lambda _id: None, Submission(user.id, shared, recording), 10**6)


@pytest.mark.parametrize(
    "write", [_create_piece, _submit], ids=["a new piece", "an upload to a shared piece"]
)
def test_a_write_waiting_on_its_accounts_deletion_is_told_it_was_signed_out(
    pg: Container, write: Callable[[Container, UserView, uuid.UUID], None]
) -> None:
    """QA: the write that waited for the deletion then failed the user's foreign key: a 500."""
    user_id, _ = _user_with_piece(pg)
    _, shared = _user_with_piece(pg)
    with pg.uow() as uow:
        uow.pieces.change(shared, "Shared", "one two three", "public")
        user = view(uow.users.add(f"w-{uuid.uuid4().hex[:12]}", None, "learner", utcnow()))
        uow.commit()
    failures: list[BaseException] = []

    def run() -> None:
        try:
            write(pg, user, shared)
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            failures.append(exc)

    with pg.uow() as deleting:
        deleting.pieces.lock_owned(user.id)
        deleting.users.lock(user.id)  # the deletion has begun
        writing = threading.Thread(target=run)
        writing.start()
        writing.join(0.5)
        assert writing.is_alive()  # it waits for the deletion
        erasure.delete_account(deleting, pg.storage, user.id)
    writing.join(20)
    assert not writing.is_alive() and len(failures) == 1
    refused = failures[0]
    assert isinstance(refused, ServiceError) and (refused.kind, refused.code) == (
        ErrorKind.UNAUTHENTICATED, "signed_out",
    )  # fmt: skip
    stored = Path(pg.settings.home) / "storage" / "attempts" / str(user.id)
    assert not stored.exists() or not any(stored.iterdir())  # a refused upload keeps no recording


def test_two_admins_deleted_at_once_take_turns_rather_than_deadlock(
    pg: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each deletion counts the admins (locking their rows) before it locks its own user:
    holding its own row first, two deletions each waited for the other's (a deadlock, 503)."""
    with pg.uow() as uow:
        ids = [uow.users.add(f"a-{uuid.uuid4().hex[:12]}", None, "admin", utcnow()).id for _ in range(3)]
        uow.commit()
    both_counting = threading.Barrier(2, timeout=10)
    count_role = SqlUsers.count_role

    def count_together(self: SqlUsers, role: str) -> int:
        both_counting.wait()  # each deletion has taken what it takes before counting
        return count_role(self, role)

    monkeypatch.setattr(SqlUsers, "count_role", count_together)
    failures: list[BaseException] = []

    def delete(user_id: uuid.UUID) -> None:
        try:
            with pg.uow() as uow:
                erasure.delete_account(uow, pg.storage, user_id)
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            failures.append(exc)

    deletions = [threading.Thread(target=delete, args=(user_id,)) for user_id in ids[:2]]
    for thread in deletions:
        thread.start()
    for thread in deletions:
        thread.join(30)
    assert failures == []
    with pg.uow() as uow:
        assert [uow.users.get(user_id) is None for user_id in ids] == [True, True, False]
