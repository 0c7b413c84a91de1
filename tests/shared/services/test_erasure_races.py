"""Deleting an account on Postgres while the same user adds something (another tab, or
an admin deleting a learner who is busy): the deletion waits for it and takes it too.

QA: a piece or an upload committed while the account was being deleted made the
user's DELETE fail its foreign key, a 500 after the recordings had already gone.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any, cast

import pytest

from shared.container import Container
from shared.db.repositories.port import UnitOfWorkPort
from shared.db.repositories.records import NewAttempt
from shared.domain.clock import utcnow
from shared.services import erasure


def _user_with_piece(pg: Container) -> tuple[uuid.UUID, uuid.UUID]:
    with pg.uow() as uow:
        user = uow.users.add(f"e-{uuid.uuid4().hex[:12]}", None, "learner", utcnow())
        piece = uow.pieces.add(user.id, "t", "one two three", "private", utcnow())
        uow.commit()
    return user.id, piece.id


def _new_piece(user_id: uuid.UUID, _piece_id: uuid.UUID) -> Callable[[UnitOfWorkPort], None]:
    def add(uow: UnitOfWorkPort) -> None:
        uow.pieces.add(user_id, "another", "four five six", "private", utcnow())
        cast(Any, uow).session.flush()  # as its commit does, a moment before committing

    return add


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
