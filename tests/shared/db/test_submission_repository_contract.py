"""What submitting asks of the database, on the in-memory fakes and on Postgres:
the insert and its keys, idempotency keys, the queue cap's count, piece access."""

from __future__ import annotations

import uuid

import pytest

from shared.db.repositories.records import Conflict, KeyedAttempt, NewAttempt, PieceAccess
from shared.domain.clock import utcnow
from tests.support.worlds import World


def new_piece(world: World, owner: uuid.UUID, visibility: str = "private") -> uuid.UUID:
    with world.uow() as uow:
        piece = uow.pieces.add(owner, "t", "one two", visibility, utcnow())
        uow.commit()
        return piece.id


def new(learner: uuid.UUID, piece: uuid.UUID, key: str | None = None) -> NewAttempt:
    attempt_id = uuid.uuid4()
    return NewAttempt(attempt_id, learner, piece, f"attempts/{attempt_id}.wav", "a" * 64, 10, "wav", key)


def add(world: World, attempt: NewAttempt) -> None:
    with world.uow() as uow:
        uow.attempts.add(attempt)
        uow.commit()


def test_an_added_attempt_is_queued_and_found_by_its_key(world: World) -> None:
    learner = world.add_user()
    attempt = new(learner, new_piece(world, learner), "key-1")
    add(world, attempt)
    row = world.attempt(attempt.id)
    assert (row["status"], row["stage"], row["delivery_count"], row["size_bytes"]) == (
        "queued",
        "uploaded",
        0,
        10,
    )
    with world.uow() as uow:
        assert uow.attempts.keyed(learner, "key-1") == KeyedAttempt(attempt.id, attempt.piece_id, "a" * 64)
        assert uow.attempts.keyed(learner, "key-2") is None
        assert uow.attempts.keyed(world.add_user(), "key-1") is None  # keys are per learner


def test_a_reused_key_a_taken_id_or_a_missing_piece_conflicts(world: World) -> None:
    learner, other = world.add_user(), world.add_user()
    piece = new_piece(world, learner, "public")
    first = new(learner, piece, "k")
    add(world, first)
    add(world, new(other, piece, "k"))  # another learner's "k"
    add(world, new(learner, piece))  # no key: never collides
    add(world, new(learner, piece))
    for clash in (new(learner, piece, "k"), first, new(learner, uuid.uuid4())):
        with world.uow() as uow, pytest.raises(Conflict):
            uow.attempts.add(clash)
    with world.uow() as uow:
        assert uow.attempts.count_open(learner) == 3


def test_open_attempts_are_the_queued_and_processing_ones(world: World) -> None:
    learner = world.add_user()
    piece = new_piece(world, learner)
    attempts = [new(learner, piece) for _ in range(4)]
    for attempt in attempts:
        add(world, attempt)
    world.set(attempts[1].id, status="processing")
    world.set(attempts[2].id, status="done")
    world.set(attempts[3].id, status="failed")
    with world.uow() as uow:
        assert uow.attempts.count_open(learner) == 2
        assert uow.attempts.count_open(world.add_user()) == 0


def test_piece_access_is_owner_and_visibility(world: World) -> None:
    owner = world.add_user()
    private, public = new_piece(world, owner), new_piece(world, owner, "public")
    with world.uow() as uow:
        assert uow.pieces.access(private) == PieceAccess(owner, "private")
        assert uow.pieces.access(public) == PieceAccess(owner, "public")
        assert uow.pieces.access(uuid.uuid4()) is None
